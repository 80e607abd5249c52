//! The text patterns of government documents that more than one command reads: the
//! 文号 (`京社保发〔2021〕15号`) and the dates written in Chinese (`2021年8月26日`,
//! `四季度`). `import` lifts them into front matter, `new` marks them for revision,
//! and the validity and intake features read them too; one definition each keeps
//! them agreeing.
//!
//! Numbering markers are not here: `numbering::marker` recognises them by hand,
//! because a marker's reading depends on what follows it (`一、` vs `一是`, `1.` vs
//! `1.5`) and on the hierarchy around it, which no pattern can say.

use std::sync::LazyLock;

use regex::Regex;

use crate::cjk::is_cjk;

/// Compiles a pattern written in this file.
#[expect(
    clippy::expect_used,
    reason = "the patterns are literals in this file, each compiled by a test"
)]
fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("a literal pattern compiles")
}

/// `京社保发〔2021〕15号`: the issuer's code, the year in 〔〕, the serial number, 号.
static DOC_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?<code>[^〔]+)〔[0-9]{4}〕[0-9]+号$"));

/// `2021年8月26日`, exactly.
static CHINESE_DATE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?<year>[0-9]{4})年(?<month>[0-9]+)月(?<day>[0-9]+)日$"));

/// A phrase that names a date or a period: `YYYY年[M月[D日]]`, a quarter
/// (`一季度`…`四季度`), or a year with its quarter (`2021年四季度`).
static DATE_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"[0-9]{4}年(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?)?(?:[一二三四]季度)?|[一二三四]季度",
    )
});

/// Whether `s` is exactly a 文号; the issuer's code is Chinese text.
pub fn is_doc_number(s: &str) -> bool {
    DOC_NUMBER
        .captures(s)
        .and_then(|c| c.name("code"))
        .is_some_and(|code| code.as_str().chars().all(is_cjk))
}

/// `2021年8月26日` → `2021-08-26`, only if `s` is exactly a date with a month and day
/// in range.
pub fn parse_chinese_date(s: &str) -> Option<String> {
    let captures = CHINESE_DATE.captures(s)?;
    let number = |name: &str| captures.name(name)?.as_str().parse::<u32>().ok();
    let (year, month, day) = (number("year")?, number("month")?, number("day")?);
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// The byte ranges of the date phrases in `text`, in order.
pub fn date_phrases(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    DATE_PHRASE.find_iter(text).map(|m| m.range())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_numbers() {
        assert!(is_doc_number("京社保发〔2021〕15号"));
        assert!(is_doc_number("京人社市场字〔2021〕68号"));
        assert!(!is_doc_number("京社保发〔2021〕号"));
        assert!(!is_doc_number("京社保发〔21〕15号"));
        assert!(!is_doc_number("ABC〔2021〕15号"));
        assert!(!is_doc_number("京社保发〔2021〕15号文"));
    }

    #[test]
    fn chinese_dates() {
        assert_eq!(parse_chinese_date("2021年8月26日").as_deref(), Some("2021-08-26"));
        assert_eq!(parse_chinese_date("2021年13月26日"), None);
        assert_eq!(parse_chinese_date("2021年8月26日起"), None);
        assert_eq!(parse_chinese_date("21年8月26日"), None);
    }

    #[test]
    fn date_phrases_take_the_longest_reading() {
        let text = "自2021年10月1日起，四季度内，2021年123月，12021年";
        let found: Vec<&str> = date_phrases(text).map(|r| &text[r]).collect();
        assert_eq!(found, ["2021年10月1日", "四季度", "2021年", "2021年"]);
    }
}
