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

/// A 文号 as pages and Word files write it, anywhere in a line: any of the brackets
/// editors type for 〔〕, full-width digits, spaces, a `第` before the serial, leading
/// zeros (`京政发[2021]024号`, `京政发（2021）第24号`). [`normalise_doc_number`] writes
/// it as GB/T 9704 does.
static DOC_NUMBER_LOOSE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?<code>\p{Han}{1,16}?)[ \u{3000}]*[〔\[［【(（〖{｛][ \u{3000}]*(?<year>[0-9０-９]{4})[ \u{3000}]*[〕\]］】)）〗}｝][ \u{3000}]*第?[ \u{3000}]*(?<serial>[0-9０-９]{1,6})[ \u{3000}]*号",
    )
});

/// A date written with Arabic digits: `2021年11月5日`, `2021-11-05`, `2021.11.5`,
/// `2021/11/05`, full-width digits allowed.
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?<year>[0-9０-９]{4})[ \u{3000}]*(?:年|-|\.|/)[ \u{3000}]*(?<month>[0-9０-９]{1,2})[ \u{3000}]*(?:月|-|\.|/)[ \u{3000}]*(?<day>[0-9０-９]{1,2})[ \u{3000}]*日?",
    )
});

/// A date written in Chinese numerals, as 公文 signatures did before 2012 and some
/// still do: `二〇二一年十一月五日`, `二○二一年…` (a circle for 〇).
static HANZI_DATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?<year>[〇○零Ｏ一二三四五六七八九]{4})年(?<month>[一二三四五六七八九十]{1,3})月(?<day>[一二三四五六七八九十]{1,4})日",
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

/// The first 文号 in `text`, canonical (〔〕, the year in full, no leading zeros, no
/// `第`), with its byte range; only when the issuer's code is Chinese text.
pub fn find_doc_number(text: &str) -> Option<(String, std::ops::Range<usize>)> {
    for captures in DOC_NUMBER_LOOSE.captures_iter(text) {
        let (Some(all), Some(code), Some(year), Some(serial)) = (
            captures.get(0),
            captures.name("code"),
            captures.name("year"),
            captures.name("serial"),
        ) else {
            continue;
        };
        let year = crate::numbering::numerals::fold_fullwidth_digits(year.as_str());
        let serial = crate::numbering::numerals::fold_fullwidth_digits(serial.as_str());
        let Ok(serial) = serial.parse::<u32>() else { continue };
        if serial == 0 {
            continue;
        }
        let canonical = format!("{}〔{year}〕{serial}号", code.as_str());
        if is_doc_number(&canonical) {
            return Some((canonical, all.range()));
        }
    }
    None
}

/// `京政发[2021]024号` → `京政发〔2021〕24号`: a 文号 written any common way, as
/// GB/T 9704-2012 §7.2.5 writes it; `None` unless the whole text is one 文号.
pub fn normalise_doc_number(text: &str) -> Option<String> {
    let text = text.trim();
    let (canonical, range) = find_doc_number(text)?;
    (range == (0..text.len())).then_some(canonical)
}

/// The first date in `text` written in any form 公文 and pages use, as `YYYY-MM-DD`,
/// with its byte range; only a date that exists (no 2月30日).
pub fn find_date(text: &str) -> Option<(String, std::ops::Range<usize>)> {
    let numeric = NUMERIC_DATE.captures_iter(text).find_map(|c| {
        let fold = |name: &str| -> Option<u32> {
            crate::numbering::numerals::fold_fullwidth_digits(c.name(name)?.as_str())
                .parse()
                .ok()
        };
        Some((iso_date(fold("year")?, fold("month")?, fold("day")?)?, c.get(0)?.range()))
    });
    let hanzi = HANZI_DATE.captures_iter(text).find_map(|c| {
        let year: String = c
            .name("year")?
            .as_str()
            .chars()
            .map(|ch| match ch {
                '○' | 'Ｏ' => Some('0'),
                ch => crate::numbering::numerals::digit_value(ch)
                    .and_then(|d| char::from_digit(d, 10)),
            })
            .collect::<Option<String>>()?;
        let month = crate::numbering::numerals::parse(c.name("month")?.as_str())?;
        let day = crate::numbering::numerals::parse(c.name("day")?.as_str())?;
        Some((iso_date(year.parse().ok()?, month, day)?, c.get(0)?.range()))
    });
    match (numeric, hanzi) {
        (Some(a), Some(b)) => Some(if a.1.start <= b.1.start { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// A date in any form [`find_date`] reads, when it is the whole of `text`.
pub fn parse_any_date(text: &str) -> Option<String> {
    let text = text.trim();
    let (date, range) = find_date(text)?;
    (range == (0..text.len())).then_some(date)
}

fn iso_date(year: u32, month: u32, day: u32) -> Option<String> {
    let iso = format!("{year:04}-{month:02}-{day:02}");
    crate::edition::date::Date::parse(&iso, false).map(|_| iso)
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
    fn doc_numbers_written_loosely() {
        assert_eq!(
            normalise_doc_number("京政发[2021]024号").as_deref(),
            Some("京政发〔2021〕24号")
        );
        assert_eq!(
            normalise_doc_number("京政发（２０２１）第24号").as_deref(),
            Some("京政发〔2021〕24号")
        );
        assert_eq!(
            normalise_doc_number(" 京人社办发〔2021〕 8 号").as_deref(),
            Some("京人社办发〔2021〕8号")
        );
        assert_eq!(normalise_doc_number("京政发〔2021〕0号"), None);
        assert_eq!(normalise_doc_number("见京政发〔2021〕24号文"), None);
        let (n, r) = find_doc_number("签发人：张三　　京政发〔2021〕24号").unwrap();
        assert_eq!(n, "京政发〔2021〕24号");
        assert_eq!(&"签发人：张三　　京政发〔2021〕24号"[r], "京政发〔2021〕24号");
    }

    #[test]
    fn dates_in_every_form() {
        for (text, iso) in [
            ("2021年11月5日", "2021-11-05"),
            ("2021-11-05", "2021-11-05"),
            ("2021.11.5", "2021-11-05"),
            ("2021/11/05", "2021-11-05"),
            ("２０２１年１１月５日", "2021-11-05"),
            ("二〇二一年十一月五日", "2021-11-05"),
            ("二○二一年十二月三十一日", "2021-12-31"),
            ("2024年7月25日", "2024-07-25"),
        ] {
            assert_eq!(parse_any_date(text).as_deref(), Some(iso), "{text}");
        }
        assert_eq!(parse_any_date("2021年2月30日"), None);
        assert_eq!(parse_any_date("二〇二一年十三月五日"), None);
        assert_eq!(parse_any_date("自2021年11月5日起施行"), None);
        assert_eq!(
            find_date("自2021年11月5日起施行").map(|(d, _)| d).as_deref(),
            Some("2021-11-05")
        );
    }

    #[test]
    fn date_phrases_take_the_longest_reading() {
        let text = "自2021年10月1日起，四季度内，2021年123月，12021年";
        let found: Vec<&str> = date_phrases(text).map(|r| &text[r]).collect();
        assert_eq!(found, ["2021年10月1日", "四季度", "2021年", "2021年"]);
    }
}
