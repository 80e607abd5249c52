//! The marker at the start of one paragraph or heading text.
//!
//! Takes the text of one block (a heading's text without its `#`s, or a paragraph) and
//! returns the [`Marker`] it begins with, if any: its [`MarkerKind`], its value, its byte
//! range and the non-canonical [`Variant`]s it was written in. Also writes canonical
//! markers ([`canonical_text`]) and rewrites the marker part of a text ([`canonicalize`],
//! [`rewrite`]) for `huibian fmt`.
//!
//! Rules decided here (each one guards against a false positive seen in real text):
//! - only the start of the text counts, after optional leading white space (` `, U+3000,
//!   tab, NBSP, …): `根据第一条规定` and a `（一）` inside a sentence are not markers;
//! - Arabic numbers have 1–3 digits and no leading zero; `1.5亿元`, `1、2月`, `3.0版`
//!   (a digit right after the period or 、) and `2021年` (no punctuation) are not
//!   markers;
//! - `X、` followed by a numeral that is X + 1, or by any numeral and 、, is an
//!   enumeration of numerals (`一、二季度`, `十一、十二月`, `一、三、五`), not a marker;
//! - `第X条`/`第X章`/`第X节` with no separator is a reference, not a marker, when it
//!   goes on with 第 、 ， 。 ； ： 至 到 和 与 及 或 所 中 的 之 款 项 or 规定
//!   (`第十条规定的`, `第三条第二款`, `第一条至第五条`); otherwise it is a marker
//!   missing its separator;
//! - [`MarkerKind::Ordinal`] is only `第X，`; `首先`/`其次` are prose;
//! - the enclosed compatibility characters editors paste from word processors are read
//!   as the kind they stand for and flagged: `⑴` → `（1）`, `⒈` → `1.`, `㈠` → `（一）`;
//! - a value of 0 is never a marker.

use std::ops::Range;

use super::numerals;

/// The numbering styles of Chinese official documents; each has one canonical spelling
/// ([`canonical_text`]) and a rank that depends on the document's hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarkerKind {
    /// `一、` — top level of a 方案/意见/通知.
    Hanzi,
    /// `（一）` — second level of a plan; 项 of an article.
    ParenHanzi,
    /// `1.` — third level of a plan; 目 of an article.
    Arabic,
    /// `（1）` — fourth level of a plan.
    ParenArabic,
    /// `①` … `㊿` — fifth level of a plan.
    Circled,
    /// `第一章` — top level of a 条例/办法.
    Chapter,
    /// `第一节` — sections inside a chapter.
    Section,
    /// `第一条` — articles; numbered through the whole document.
    Article,
    /// `一是`/`二是` — an inline enumeration; never structural.
    InlineEnum,
    /// `第一，` — an ordinal enumeration; never structural.
    Ordinal,
}

impl MarkerKind {
    /// Every kind, in the order above: for tables and tests that must miss none.
    pub const ALL: [MarkerKind; 10] = [
        Self::Hanzi,
        Self::ParenHanzi,
        Self::Arabic,
        Self::ParenArabic,
        Self::Circled,
        Self::Chapter,
        Self::Section,
        Self::Article,
        Self::InlineEnum,
        Self::Ordinal,
    ];

    /// Whether the kind numbers the document's structure (everything but the inline
    /// enumerations `一是` and `第一，`, which live inside sentences).
    pub fn is_structural(self) -> bool {
        !matches!(self, MarkerKind::InlineEnum | MarkerKind::Ordinal)
    }
}

/// A non-canonical form of a marker, as editors paste it; `check` names it and `fmt`
/// rewrites it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// `(一)`, `(1)`: both parentheses half-width.
    HalfWidthParens,
    /// `（1)`, `(1）`: one full-width and one half-width parenthesis.
    MixedParens,
    /// `1）`, `一)`: a closing parenthesis without its opening one.
    MissingOpenParen,
    /// `1．`: a full-width period after an Arabic number.
    FullWidthPeriod,
    /// `1、`: 、 after an Arabic number (canonical is `1.`).
    ArabicComma,
    /// `一.`, `一．`: a period after a hanzi number (canonical is `一、`).
    HanziPeriod,
    /// `１.`, `（２）`: full-width digits.
    FullWidthDigits,
    /// `⑴`, `⒈`, `㈠`: an enclosed compatibility character instead of the spelled form.
    EnclosedCharacter,
    /// `一十一`, `一百〇二`: a hanzi numeral not in its canonical spelling (`十一`,
    /// `一百零二`).
    NumeralSpelling,
    /// `1. 文字`, `一、 文字`: spaces after the marker.
    SpaceAfter,
    /// `第一条` followed by something other than exactly one U+3000 before its text.
    ArticleSeparator,
    /// `第一章` followed by something other than exactly one ASCII space before its title.
    TitleSeparator,
}

impl Variant {
    /// An editor-facing description of the variant, with an example, for findings.
    pub fn describe(self) -> &'static str {
        match self {
            Variant::HalfWidthParens => "half-width parentheses (一)",
            Variant::MixedParens => "mixed-width parentheses （1)",
            Variant::MissingOpenParen => "a closing parenthesis only, 1）",
            Variant::FullWidthPeriod => "a full-width period 1．",
            Variant::ArabicComma => "、 after an Arabic number, 1、",
            Variant::HanziPeriod => "a period after a hanzi number, 一.",
            Variant::FullWidthDigits => "full-width digits １",
            Variant::EnclosedCharacter => "an enclosed character ⑴/⒈/㈠",
            Variant::NumeralSpelling => {
                "a non-canonical numeral such as 一十一 or 一百〇二"
            }
            Variant::SpaceAfter => "a space after the marker",
            Variant::ArticleSeparator => {
                "第X条 not followed by exactly one full-width space"
            }
            Variant::TitleSeparator => "第X章/节 not followed by exactly one space",
        }
    }
}

/// A recognised marker: what `check`, `fmt` and the importer need to know about the
/// number a text begins with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Which numbering style.
    pub kind: MarkerKind,
    /// The number, ≥ 1.
    pub value: u32,
    /// Bytes of the marker in the text, including its punctuation and the separator
    /// spaces after it, if any; the text proper begins at `range.end`.
    pub range: Range<usize>,
    /// True when the marker is written exactly as [`canonical_text`] plus the canonical
    /// separator, i.e. `issues` is empty.
    pub canonical: bool,
    /// The non-canonical forms found, in the order met.
    pub issues: Vec<Variant>,
}

/// Spaces that may follow (or, as indentation, precede) a marker.
fn is_space(c: char) -> bool {
    // Every white space, as the joined text that `plan` numbers is trimmed: a marker
    // behind a pasted vertical tab must be seen (and renumbered) alike everywhere.
    c.is_whitespace()
}

/// The canonical spelling of a marker without any separator: `一、`, `（一）`, `1.`,
/// `（1）`, `①`, `第一章`, `第一节`, `第一条`, `一是`, `第一，`. Circled values above
/// 50 have no character and are written `（n）`.
pub fn canonical_text(kind: MarkerKind, value: u32) -> String {
    let han = numerals::write(value);
    match kind {
        MarkerKind::Hanzi => format!("{han}、"),
        MarkerKind::ParenHanzi => format!("（{han}）"),
        MarkerKind::Arabic => format!("{value}."),
        MarkerKind::ParenArabic => format!("（{value}）"),
        MarkerKind::Circled => match circled_char(value) {
            Some(c) => c.to_string(),
            None => format!("（{value}）"),
        },
        MarkerKind::Chapter => format!("第{han}章"),
        MarkerKind::Section => format!("第{han}节"),
        MarkerKind::Article => format!("第{han}条"),
        MarkerKind::InlineEnum => format!("{han}是"),
        MarkerKind::Ordinal => format!("第{han}，"),
    }
}

/// The canonical separator after a marker: one U+3000 after an article, one ASCII space
/// before a chapter or section title, nothing otherwise or when no text follows.
fn canonical_separator(kind: MarkerKind, text_follows: bool) -> &'static str {
    match kind {
        _ if !text_follows => "",
        MarkerKind::Article => "\u{3000}",
        MarkerKind::Chapter | MarkerKind::Section => " ",
        _ => "",
    }
}

/// The separator between `marker_text` and the `body` that follows it: the kind's
/// canonical one, or one space where the body, written right after the marker, would
/// no longer leave the same marker (`2. 2.5亿元` is item 2, `2.2.5亿元` is no marker;
/// `一、 二季度` is item 一, `一、二季度` an enumeration).
fn separator(
    kind: MarkerKind,
    value: u32,
    marker_text: &str,
    body: &str,
) -> &'static str {
    let canonical = canonical_separator(kind, !body.is_empty());
    if !canonical.is_empty() || body.is_empty() {
        return canonical;
    }
    let joined = format!("{marker_text}{body}");
    let same = scan(&joined).is_some_and(|scan| {
        scan.kind == kind && scan.value == value && scan.len == marker_text.len()
    });
    if same { canonical } else { " " }
}

/// The marker at the very start of `s`, of whichever kind reads it.
fn scan(s: &str) -> Option<Scan> {
    scan_di(s)
        .or_else(|| scan_paren(s))
        .or_else(|| scan_enclosed(s))
        .or_else(|| scan_hanzi(s))
        .or_else(|| scan_arabic(s))
}

/// `①`..`⑳`, `㉑`..`㉟`, `㊱`..`㊿` for 1..=50.
fn circled_char(value: u32) -> Option<char> {
    let code = match value {
        1..=20 => 0x2460 + value - 1,
        21..=35 => 0x3251 + value - 21,
        36..=50 => 0x32B1 + value - 36,
        _ => return None,
    };
    char::from_u32(code)
}

/// What an enclosed character stands for: (kind, value, is a compatibility form).
fn enclosed(c: char) -> Option<(MarkerKind, u32, bool)> {
    let u = c as u32;
    Some(match u {
        0x2460..=0x2473 => (MarkerKind::Circled, u - 0x2460 + 1, false),
        0x3251..=0x325F => (MarkerKind::Circled, u - 0x3251 + 21, false),
        0x32B1..=0x32BF => (MarkerKind::Circled, u - 0x32B1 + 36, false),
        0x2474..=0x2487 => (MarkerKind::ParenArabic, u - 0x2474 + 1, true),
        0x2488..=0x249B => (MarkerKind::Arabic, u - 0x2488 + 1, true),
        0x3220..=0x3229 => (MarkerKind::ParenHanzi, u - 0x3220 + 1, true),
        _ => return None,
    })
}

/// The marker proper, before separator handling: kind, value, byte length, variants.
struct Scan {
    kind: MarkerKind,
    value: u32,
    len: usize,
    issues: Vec<Variant>,
}

/// The longest prefix of `s` made of hanzi numeral characters, and its value if it is
/// a well-formed numeral ≥ 1.
fn hanzi_prefix(s: &str) -> (&str, Option<u32>) {
    let end = s.find(|c: char| !numerals::is_numeral_char(c)).unwrap_or(s.len());
    let digits = &s[..end];
    (digits, numerals::parse(digits).filter(|&v| v >= 1))
}

/// The Arabic number (1–3 ASCII or full-width digits, no leading zero) at the start of
/// `s`: (value, byte length, any full-width digit).
fn arabic_prefix(s: &str) -> Option<(u32, usize, bool)> {
    let mut value = 0u32;
    let mut len = 0;
    let mut count = 0;
    let mut wide = false;
    for c in s.chars() {
        let Some(d) = numerals::arabic_digit(c) else { break };
        if count == 0 && d == 0 {
            return None;
        }
        count += 1;
        if count > 3 {
            return None;
        }
        value = value * 10 + d;
        len += c.len_utf8();
        wide |= numerals::is_fullwidth_digit(c);
    }
    (count > 0).then_some((value, len, wide))
}

/// `[NumeralSpelling]` when `digits` is not how [`numerals::write`] spells `value`.
fn spelling(digits: &str, value: u32) -> Vec<Variant> {
    if numerals::write(value) == digits {
        Vec::new()
    } else {
        vec![Variant::NumeralSpelling]
    }
}

fn starts_with_digit(s: &str) -> bool {
    s.chars().next().and_then(numerals::arabic_digit).is_some()
}

/// Whether what follows `第X条/章/节` makes it a reference rather than a marker.
fn is_reference_continuation(rest: &str) -> bool {
    match rest.chars().next() {
        Some(c) => {
            "第、，。；：至到和与及或所中的之款项".contains(c) || rest.starts_with("规定")
        }
        None => false,
    }
}

/// `第X章`, `第X节`, `第X条`, `第X，`.
fn scan_di(s: &str) -> Option<Scan> {
    let after = s.strip_prefix('第')?;
    let (digits, value) = hanzi_prefix(after);
    let value = value?;
    let rest = &after[digits.len()..];
    let c = rest.chars().next()?;
    let kind = match c {
        '章' => MarkerKind::Chapter,
        '节' => MarkerKind::Section,
        '条' => MarkerKind::Article,
        '，' => MarkerKind::Ordinal,
        _ => return None,
    };
    if kind != MarkerKind::Ordinal && is_reference_continuation(&rest[c.len_utf8()..]) {
        return None;
    }
    let len = '第'.len_utf8() + digits.len() + c.len_utf8();
    Some(Scan { kind, value, len, issues: spelling(digits, value) })
}

/// `（一）`, `(1)` and mixed forms.
fn scan_paren(s: &str) -> Option<Scan> {
    let open = s.chars().next()?;
    let open_half = match open {
        '（' => false,
        '(' => true,
        _ => return None,
    };
    let inner = &s[open.len_utf8()..];
    let (kind, value, len, wide, spelled) = match arabic_prefix(inner) {
        Some((v, len, wide)) => (MarkerKind::ParenArabic, v, len, wide, Vec::new()),
        None => {
            let (digits, value) = hanzi_prefix(inner);
            let value = value?;
            (MarkerKind::ParenHanzi, value, digits.len(), false, spelling(digits, value))
        }
    };
    let close = inner[len..].chars().next()?;
    let close_half = match close {
        '）' => false,
        ')' => true,
        _ => return None,
    };
    let mut issues = Vec::new();
    match (open_half, close_half) {
        (true, true) => issues.push(Variant::HalfWidthParens),
        (false, false) => {}
        _ => issues.push(Variant::MixedParens),
    }
    if wide {
        issues.push(Variant::FullWidthDigits);
    }
    issues.extend(spelled);
    let len = open.len_utf8() + len + close.len_utf8();
    Some(Scan { kind, value, len, issues })
}

/// `①`, and the compatibility characters `⑴`, `⒈`, `㈠`.
fn scan_enclosed(s: &str) -> Option<Scan> {
    let c = s.chars().next()?;
    let (kind, value, compat) = enclosed(c)?;
    let issues = if compat { vec![Variant::EnclosedCharacter] } else { Vec::new() };
    Some(Scan { kind, value, len: c.len_utf8(), issues })
}

/// `一、`, `一.`, `一）`, `一是`.
fn scan_hanzi(s: &str) -> Option<Scan> {
    let (digits, value) = hanzi_prefix(s);
    let value = value?;
    let rest = &s[digits.len()..];
    let c = rest.chars().next()?;
    let after = &rest[c.len_utf8()..];
    let (kind, mut issues) = match c {
        '、' => {
            let (next, next_value) = hanzi_prefix(after);
            let enumeration = !next.is_empty()
                && (next_value == Some(value.saturating_add(1))
                    || after[next.len()..].starts_with('、'));
            if enumeration {
                return None;
            }
            (MarkerKind::Hanzi, Vec::new())
        }
        '.' | '．' if !starts_with_digit(after) => {
            (MarkerKind::Hanzi, vec![Variant::HanziPeriod])
        }
        '）' | ')' => (MarkerKind::ParenHanzi, vec![Variant::MissingOpenParen]),
        '是' => (MarkerKind::InlineEnum, Vec::new()),
        _ => return None,
    };
    issues.extend(spelling(digits, value));
    Some(Scan { kind, value, len: digits.len() + c.len_utf8(), issues })
}

/// `1.`, `1．`, `1、`, `1）`, in ASCII or full-width digits.
fn scan_arabic(s: &str) -> Option<Scan> {
    let (value, len, wide) = arabic_prefix(s)?;
    let c = s[len..].chars().next()?;
    let after = &s[len + c.len_utf8()..];
    let (kind, mut issues) = match c {
        '.' | '．' | '、' if starts_with_digit(after) => return None,
        '.' => (MarkerKind::Arabic, Vec::new()),
        '．' => (MarkerKind::Arabic, vec![Variant::FullWidthPeriod]),
        '、' => (MarkerKind::Arabic, vec![Variant::ArabicComma]),
        '）' | ')' => (MarkerKind::ParenArabic, vec![Variant::MissingOpenParen]),
        _ => return None,
    };
    if wide {
        issues.push(Variant::FullWidthDigits);
    }
    Some(Scan { kind, value, len: len + c.len_utf8(), issues })
}

/// Recognises the marker a paragraph or heading text begins with (after optional
/// indentation), or `None`; the one entry point for `check`, `fmt` and the importer.
pub fn recognize(text: &str) -> Option<Marker> {
    let start = text.len() - text.trim_start_matches(is_space).len();
    let s = &text[start..];
    let Scan { kind, value, len, mut issues } = scan(s)?;
    let tail = &s[len..];
    let body = tail.trim_start_matches(is_space);
    let sep = &tail[..tail.len() - body.len()];
    if sep != separator(kind, value, &s[..len], body) {
        issues.push(match kind {
            MarkerKind::Article => Variant::ArticleSeparator,
            MarkerKind::Chapter | MarkerKind::Section => Variant::TitleSeparator,
            _ => Variant::SpaceAfter,
        });
    }
    Some(Marker {
        kind,
        value,
        range: start..start + len + sep.len(),
        canonical: issues.is_empty(),
        issues,
    })
}

/// Replaces `marker` (recognised in `text`) with the canonical marker for `value` and
/// the canonical separator, leaving every other character as is; `fmt` uses it with
/// the marker's own value, `fmt --renumber` with a new one. `None` if the marker's
/// range does not fit `text`.
pub fn rewrite(text: &str, marker: &Marker, value: u32) -> Option<String> {
    let before = text.get(..marker.range.start)?;
    let rest = text.get(marker.range.end..)?;
    let marker_text = canonical_text(marker.kind, value);
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(before);
    out.push_str(&marker_text);
    out.push_str(separator(marker.kind, value, &marker_text, rest));
    out.push_str(rest);
    Some(out)
}

/// Rewrites just the marker part of `text` to canonical form (`(一) 文字` →
/// `（一）文字`, `第一条 文字` → `第一条　文字`), for `huibian fmt`. Returns the new text
/// and the marker as recognised in the original text; `None` if there is no marker.
pub fn canonicalize(text: &str) -> Option<(String, Marker)> {
    let marker = recognize(text)?;
    let out = rewrite(text, &marker, marker.value)?;
    Some((out, marker))
}

#[cfg(test)]
mod tests {
    use super::MarkerKind::*;
    use super::Variant::*;
    use super::*;

    /// (text, kind, value, marker bytes as text, variants)
    type Row = (&'static str, MarkerKind, u32, &'static str, &'static [Variant]);

    #[test]
    fn recognizes_table() {
        let table: &[Row] = &[
            // Canonical, from tests/fixtures/basic.
            ("一、指导思想", Hanzi, 1, "一、", &[]),
            ("四、保障措施", Hanzi, 4, "四、", &[]),
            ("（一）明确行业定义", ParenHanzi, 1, "（一）", &[]),
            ("（十四）做好执法监管", ParenHanzi, 14, "（十四）", &[]),
            ("1.开业备案。小微型客车租赁经营者", Arabic, 1, "1.", &[]),
            ("（2）2021年4月1日前已备案的非营运性质", ParenArabic, 2, "（2）", &[]),
            ("一是提升行业规范化水平。", InlineEnum, 1, "一是", &[]),
            ("四是提升监督管理水平。", InlineEnum, 4, "四是", &[]),
            ("第一章 总则", Chapter, 1, "第一章 ", &[]),
            ("第二章 发行与兑付", Chapter, 2, "第二章 ", &[]),
            ("第一条　为了加强单用途预付卡管理", Article, 1, "第一条　", &[]),
            ("第二十一条　本市建立预付卡服务系统", Article, 21, "第二十一条　", &[]),
            ("（十二）解决争议的方法。", ParenHanzi, 12, "（十二）", &[]),
            ("（十六）本通知自2022年1月1日起执行。", ParenHanzi, 16, "（十六）", &[]),
            ("第三节 监督检查", Section, 3, "第三节 ", &[]),
            ("第一，坚持问题导向。", Ordinal, 1, "第一，", &[]),
            ("①加强组织领导", Circled, 1, "①", &[]),
            ("⑳最后一项", Circled, 20, "⑳", &[]),
            ("㉑第二十一项", Circled, 21, "㉑", &[]),
            ("㊿第五十项", Circled, 50, "㊿", &[]),
            ("第四章", Chapter, 4, "第四章", &[]),
            ("一、", Hanzi, 1, "一、", &[]),
            ("一、三大任务", Hanzi, 1, "一、", &[]),
            ("一、一是强化", Hanzi, 1, "一、", &[]),
            ("第一百零二条　附则", Article, 102, "第一百零二条　", &[]),
            // Indentation is skipped, not part of the marker.
            ("\u{3000}\u{3000}二、主要任务", Hanzi, 2, "二、", &[]),
            // Variants, from the extracted 2021-Q4 book and editors' pastes.
            (
                "(一)着力打造高度市场化的营商环境",
                ParenHanzi,
                1,
                "(一)",
                &[HalfWidthParens],
            ),
            ("(1)完善告知承诺审批制度。", ParenArabic, 1, "(1)", &[HalfWidthParens]),
            ("（1)完善", ParenArabic, 1, "（1)", &[MixedParens]),
            ("(一）加强", ParenHanzi, 1, "(一）", &[MixedParens]),
            ("1．持续深化", Arabic, 1, "1．", &[FullWidthPeriod]),
            ("1、持续深化", Arabic, 1, "1、", &[ArabicComma]),
            ("１.持续深化", Arabic, 1, "１.", &[FullWidthDigits]),
            ("（２）持续", ParenArabic, 2, "（２）", &[FullWidthDigits]),
            ("7. 四季度出台“十四五”规划汇总", Arabic, 7, "7. ", &[SpaceAfter]),
            // A space that keeps the marker apart from a number is canonical; more
            // spaces than that one are not.
            ("2. 2.5亿元专项资金", Arabic, 2, "2. ", &[]),
            ("2.   2.5亿元专项资金", Arabic, 2, "2.   ", &[SpaceAfter]),
            ("一、 二季度工作安排", Hanzi, 1, "一、 ", &[]),
            ("一、 文字", Hanzi, 1, "一、 ", &[SpaceAfter]),
            ("（一）\u{3000}文字", ParenHanzi, 1, "（一）\u{3000}", &[SpaceAfter]),
            ("一.总体要求", Hanzi, 1, "一.", &[HanziPeriod]),
            ("二．总体要求", Hanzi, 2, "二．", &[HanziPeriod]),
            ("1）文字", ParenArabic, 1, "1）", &[MissingOpenParen]),
            ("3)文字", ParenArabic, 3, "3)", &[MissingOpenParen]),
            ("一）文字", ParenHanzi, 1, "一）", &[MissingOpenParen]),
            ("⑴文字", ParenArabic, 1, "⑴", &[EnclosedCharacter]),
            ("⒉文字", Arabic, 2, "⒉", &[EnclosedCharacter]),
            ("㈢文字", ParenHanzi, 3, "㈢", &[EnclosedCharacter]),
            ("第一条 为了", Article, 1, "第一条 ", &[ArticleSeparator]),
            ("第一条  为了", Article, 1, "第一条  ", &[ArticleSeparator]),
            ("第一条为了加强", Article, 1, "第一条", &[ArticleSeparator]),
            ("第一条　　为了", Article, 1, "第一条　　", &[ArticleSeparator]),
            ("第一章　总则", Chapter, 1, "第一章　", &[TitleSeparator]),
            ("第一章总则", Chapter, 1, "第一章", &[TitleSeparator]),
            ("第一章  总则", Chapter, 1, "第一章  ", &[TitleSeparator]),
            ("第一条　", Article, 1, "第一条　", &[ArticleSeparator]),
            ("一十一、文字", Hanzi, 11, "一十一、", &[NumeralSpelling]),
            ("（一百〇二）文字", ParenHanzi, 102, "（一百〇二）", &[NumeralSpelling]),
            ("第一十条　文字", Article, 10, "第一十条　", &[NumeralSpelling]),
            (
                "(１) 文字",
                ParenArabic,
                1,
                "(１) ",
                &[HalfWidthParens, FullWidthDigits, SpaceAfter],
            ),
        ];
        for &(text, kind, value, marker, issues) in table {
            let m = recognize(text).unwrap_or_else(|| panic!("no marker in {text:?}"));
            assert_eq!((m.kind, m.value), (kind, value), "{text:?}");
            assert_eq!(&text[m.range.clone()], marker, "{text:?}");
            assert_eq!(m.issues, issues, "{text:?}");
            assert_eq!(m.canonical, issues.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn rejects_table() {
        let table = [
            "1.5亿元",
            "2021年北京市陆续出台了支持民营企业高质量发展的多项政策",
            "3.0版本",
            "1、2月份",
            "一、二季度",
            "一、二与三季度",
            "十一、十二月份",
            "一、三、五",
            "根据第一条规定",
            "第十条规定的情形",
            "第三条第二款",
            "第一条至第五条",
            "第一条、第二条",
            "第一章的规定",
            "按照《管理办法》备案信息建档管理的要求，（一）",
            "为贯彻《小微型客车租赁经营服务管理办法》",
            "市城管执法局，委机关各处室，各直属事业单位：",
            "附件：1.常规目录新增药品",
            "首先，要提高认识。",
            "（0）",
            "0.",
            "01.",
            "1234.文字",
            "（2021）京0105民初",
            "两、",
            "二〇二一年",
            "百分之十",
            "第一",
            "第",
            "（",
            "（一",
            "一",
            "1",
            "",
            "　",
            "一二、",
            "十月份",
            "第1条",
        ];
        for text in table {
            assert_eq!(recognize(text), None, "{text:?}");
        }
    }

    #[test]
    fn canonical_texts() {
        let table: &[(MarkerKind, u32, &str)] = &[
            (Hanzi, 1, "一、"),
            (ParenHanzi, 11, "（十一）"),
            (Arabic, 12, "12."),
            (ParenArabic, 3, "（3）"),
            (Circled, 1, "①"),
            (Circled, 36, "㊱"),
            (Circled, 51, "（51）"),
            (Chapter, 2, "第二章"),
            (Section, 1, "第一节"),
            (Article, 110, "第一百一十条"),
            (InlineEnum, 2, "二是"),
            (Ordinal, 3, "第三，"),
        ];
        for &(kind, value, want) in table {
            assert_eq!(canonical_text(kind, value), want);
            // What is written is recognised back.
            let m = recognize(&format!("{want}文字")).unwrap_or_else(|| panic!("{want}"));
            if value <= 50 {
                assert_eq!((m.kind, m.value), (kind, value), "{want}");
            }
        }
    }

    #[test]
    fn canonicalizes_table() {
        let table: &[(&str, &str)] = &[
            ("(一)着力打造", "（一）着力打造"),
            ("（1)完善", "（1）完善"),
            ("1．持续深化", "1.持续深化"),
            ("1、持续深化", "1.持续深化"),
            ("１２.持续", "12.持续"),
            ("1. 文字", "1.文字"),
            ("一、 文字 和 空格", "一、文字 和 空格"),
            ("一.总体要求", "一、总体要求"),
            ("1）文字", "（1）文字"),
            ("⑴文字", "（1）文字"),
            ("第一条 为了", "第一条　为了"),
            ("第一条为了", "第一条　为了"),
            ("第一条  为了", "第一条　为了"),
            ("第一章　总则", "第一章 总则"),
            ("第一章总则", "第一章 总则"),
            ("第一章 总则", "第一章 总则"),
            ("第一条　", "第一条"),
            ("　　(二) 加强", "　　（二）加强"),
            ("一十一、文字", "十一、文字"),
            ("（一百〇二）文字", "（一百零二）文字"),
            // Found by the `numbering` fuzz target: without the space, `2.2.…` is no
            // marker at all.
            ("2.     2.5亿元", "2. 2.5亿元"),
            ("２．  ２．５亿元", "2. ２．５亿元"),
            ("一、   二季度", "一、 二季度"),
        ];
        for &(text, want) in table {
            let (out, _) = canonicalize(text).unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!(out, want, "{text:?}");
            // Idempotent, and the result is canonical.
            let (again, m) = canonicalize(&out).unwrap_or_else(|| panic!("{out:?}"));
            assert_eq!(again, out);
            assert!(m.canonical, "{out:?}: {:?}", m.issues);
        }
        assert_eq!(canonicalize("没有编号"), None);
    }

    #[test]
    fn rewrite_changes_value_only() {
        let text = "（三）加强组织领导。（一）不动";
        let m = recognize(text).unwrap_or_else(|| panic!());
        assert_eq!(
            rewrite(text, &m, 2).as_deref(),
            Some("（二）加强组织领导。（一）不动")
        );
        let bad = Marker { range: 1..2, ..m };
        assert_eq!(rewrite(text, &bad, 2), None);
    }

    #[test]
    fn every_canonical_marker_reads_back() {
        for kind in MarkerKind::ALL {
            let top = match kind {
                Circled => 50,
                Arabic | ParenArabic => 999,
                _ => 1200,
            };
            for value in 1..=top {
                let sep = canonical_separator(kind, true);
                let text = format!("{}{sep}正文", canonical_text(kind, value));
                let m = recognize(&text).unwrap_or_else(|| panic!("{text}"));
                assert_eq!((m.kind, m.value, m.canonical), (kind, value, true), "{text}");
                assert_eq!(&text[m.range.end..], "正文", "{text}");
            }
        }
    }

    #[test]
    fn seed_book_lines() {
        // Paragraph starts from the extracted 2021-Q4 book (half-width parentheses are
        // extraction damage there, exactly what editors paste).
        let table: &[(&str, Option<(MarkerKind, u32)>)] = &[
            ("二、主要任务", Some((Hanzi, 2))),
            ("(一)着力打造高度市场化的营商环境", Some((ParenHanzi, 1))),
            ("1.持续深化行政审批制度改革。以告知承诺制为", Some((Arabic, 1))),
            ("(1)完善告知承诺审批制度。以行政机关清楚告知", Some((ParenArabic, 1))),
            ("(4)推行工程建设项目审批“全程网办”。一是进", Some((ParenArabic, 4))),
            ("三、组织保障", Some((Hanzi, 3))),
            ("(五)狠抓政策落地。扎实开展打通深化“放管服”", Some((ParenHanzi, 5))),
            ("第一章 总 则", Some((Chapter, 1))),
            ("第四章 第二十六条 法律责任", Some((Chapter, 4))),
            ("第一条 为了加强单用途预付卡管", Some((Article, 1))),
            ("2021 年北京市陆续出台了支持民营企业高质量发展的多项政策", None),
            ("此份政策汇编收录的政策日期为 2021 年 10 月 1 日至", None),
            ("北京市工商业联合会 2022 年 1 月", None),
            ("由于政策涉及面广，难免存在疏漏之处", None),
        ];
        for &(text, want) in table {
            assert_eq!(recognize(text).map(|m| (m.kind, m.value)), want, "{text}");
        }
    }

    #[test]
    fn never_panics_on_prefixes() {
        // Every char-boundary prefix and suffix of awkward strings.
        let samples = [
            "（十一）第一条　①㊿⑴⒈㈠１２３．、",
            "第一百零二条 规定(１)",
            "一、二、三是第一，",
            "\u{3000}\u{a0}\t 1.5 (",
        ];
        for s in samples {
            for (i, _) in s.char_indices() {
                let _ = recognize(&s[..i]);
                let _ = recognize(&s[i..]);
                let _ = canonicalize(&s[i..]);
            }
        }
    }
}
