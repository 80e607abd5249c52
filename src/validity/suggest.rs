//! `check --suggest`: the validity a policy's own text states, as front matter to
//! propose.
//!
//! Government documents say when they take effect and end in a few set phrases:
//! 自印发之日起施行, 自2022年1月1日起施行, 有效期至2023年12月31日, 有效期3年 (counted from
//! the effective date), 试行2年, 《…》（京政发〔2016〕2号）同时废止, and a 失效/废止 decision
//! lists the documents it voids. Each is read only where the document speaks of
//! itself (本办法, 本通知, …) — a licence's 有效期为3年 or a 有效期限 in a contract clause
//! is not the policy's — and never inside a quoted title (《关于废止…的决定》 repeals
//! nothing). Nothing is written: each reading is a proposal with the sentence it came
//! from.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::book::Policy;
use crate::edition::Date;
use crate::markdown::{Block, Cell, Inline};
use crate::source::{Sources, Span};

/// One proposed front matter value and where the text says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The front matter key: `effective`, `expires` or `repeals`.
    pub key: &'static str,
    /// The value as front matter would hold it (`2023-12-31`, `[京政发〔2016〕2号]`);
    /// `None` when the text gives the rule but a date it depends on is unknown.
    pub value: Option<String>,
    /// What was read, in the editor's words (`有效期3年, from 2022-01-01`).
    pub reading: String,
    /// The phrase in the source.
    pub span: Span,
}

#[expect(
    clippy::expect_used,
    reason = "the patterns are literals in this file, each exercised by a test"
)]
fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("a literal pattern compiles")
}

/// Where a document speaks of itself: 本办法, 本实施细则, 本决定, ….
static SELF: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"本(?:\p{Han}{0,4}?)(?:办法|规定|细则|通知|意见|措施|方案|政策|条例|决定|通告|公告|规则|标准|文件|指引|计划|规划|纲要|准则|目录|清单)",
    )
});

/// A date as documents write it, Arabic or Chinese numerals.
const DATE: &str = r"(?:[0-9０-９]{4}年[0-9０-９]{1,2}月[0-9０-９]{1,2}日|[〇○零Ｏ一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,4}日)";

/// 自印发之日起施行 (and 发布, 公布, 颁布, 发文; 实施, 执行, 生效).
static FROM_ISSUE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"自(?:本\p{Han}{0,4}?)?(?<event>印发|发布|公布|颁布|发文|下发)之日起(?<verb>施行|实施|执行|生效)",
    )
});

/// 自2022年1月1日起施行.
static FROM_DATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(r"自(?<date>{DATE})起(?<verb>施行|实施|执行|生效)"))
});

/// 有效期至2023年12月31日.
static UNTIL: LazyLock<Regex> =
    LazyLock::new(|| pattern(&format!(r"有效期(?:至|到|截至)(?<date>{DATE})")));

/// 有效期3年, 有效期为三年, 试行2年, 试行期为两年.
static YEARS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?<what>有效期|试行期|试行)(?:为)?(?<n>[0-9０-９]{1,2}|[一二两三四五六七八九十]{1,2})年",
    )
});

/// 废止 as a verb of this document (同时废止, 一并废止, 予以废止, 废止).
static REPEAL: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?:同时|一并|予以)?废止"));

/// A quoted title.
static TITLE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"《(?<title>[^《》]{2,120})》"));

/// A line of a decision's list: an optional item number, then a quoted title.
static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^\s*(?:[0-9]{1,3}[.．、]|（[一二三四五六七八九十0-9]{1,4}）|[一二三四五六七八九十]{1,3}、)?\s*《",
    )
});

/// The title of a decision that voids documents.
static VOIDING_DECISION: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?:废止|失效|宣布).*(?:决定|通知|公告)$"));

/// The dates a reading counts from: the 成文日期 and 发布日期 the front matter (or the
/// page) gives.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dates {
    /// 成文日期: what 自印发之日起 counts from.
    pub date: Option<Date>,
    /// 发布日期: what 自发布之日起 counts from (the 成文日期 when unknown).
    pub published: Option<Date>,
    /// 施行日期 already known: what 有效期3年 counts from until the text gives one.
    pub effective: Option<Date>,
}

/// Reads a policy's validity from its text.
pub fn suggest(policy: &Policy, sources: &Sources) -> Vec<Suggestion> {
    let dates = Dates {
        date: policy.meta.date,
        published: policy.meta.published,
        effective: policy.meta.effective,
    };
    let located: Vec<(&str, Span)> = texts(&policy.doc.blocks, sources);
    let found = read(located.iter().map(|(t, _)| *t), &policy.meta.title, dates);
    found
        .into_iter()
        .map(|(i, range, r)| {
            let at = &located[i].1;
            Suggestion {
                key: r.key,
                value: r.value,
                reading: r.text,
                span: Span::new(
                    at.source,
                    at.range.start + range.start..at.range.start + range.end,
                ),
            }
        })
        .collect()
}

/// Reads the validity stated in plain paragraphs (a policy's text, or the body of a
/// page `add` reads): each reading with the index of its paragraph and its byte range
/// there.
pub fn read<'a>(
    paragraphs: impl Iterator<Item = &'a str>,
    title: &str,
    dates: Dates,
) -> Vec<(usize, Range<usize>, Reading)> {
    let mut out = Vec::new();
    let mut effective = dates.effective;
    let decision = VOIDING_DECISION.is_match(title);
    let mut voided: Vec<(String, usize, Range<usize>)> = Vec::new();
    for (i, text) in paragraphs.enumerate() {
        for sentence in sentences(text) {
            let piece = &text[sentence.clone()];
            let at = |r: Range<usize>| sentence.start + r.start..sentence.start + r.end;
            let masked = mask_titles(piece);
            let mut found = Vec::new();
            if let Some(start) = SELF.find(&masked).map(|m| m.start()) {
                read_dates(dates, piece, &masked, start, &mut effective, &mut found);
            }
            read_repeals(piece, &masked, &mut found);
            out.extend(found.into_iter().map(|(r, s)| (i, at(r), s)));
            if decision && LIST_ITEM.is_match(piece) {
                voided.extend(
                    listed_documents(piece)
                        .into_iter()
                        .map(|d| (d, i, at(0..piece.len()))),
                );
            }
        }
    }
    if let Some((_, i, range)) = voided.first().cloned() {
        let values: Vec<String> = voided.into_iter().map(|(d, _, _)| d).collect();
        out.push((
            i,
            range,
            reading(
                "repeals",
                Some(yaml_list(&values)),
                format!("the decision lists {} documents it voids", values.len()),
            ),
        ));
    }
    out
}

fn reading(key: &'static str, value: Option<String>, text: String) -> Reading {
    Reading { key, value, text }
}

/// What a sentence says, before it is placed in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The front matter key: `effective`, `expires` or `repeals`.
    pub key: &'static str,
    /// The value as front matter would hold it; `None` when a date it counts from is
    /// unknown.
    pub value: Option<String>,
    /// What was read, in the editor's words.
    pub text: String,
}

/// Effective and end dates of a sentence in which the document speaks of itself
/// (from `start`, the self-reference, on).
fn read_dates(
    dates: Dates,
    piece: &str,
    masked: &str,
    start: usize,
    effective: &mut Option<Date>,
    out: &mut Vec<(Range<usize>, Reading)>,
) {
    if let Some(m) = FROM_ISSUE.captures_at(masked, start)
        && let Some(all) = m.get(0)
    {
        let event = m.name("event").map_or("", |e| e.as_str());
        let verb = m.name("verb").map_or("施行", |v| v.as_str());
        let (date, which) = match event {
            "发布" | "公布" | "颁布" => {
                (dates.published.or(dates.date), "发布日期")
            }
            _ => (dates.date, "成文日期"),
        };
        *effective = effective.or(date);
        let text = match date {
            Some(d) => format!("自{event}之日起{verb}: the {which}, {d}"),
            None => format!(
                "自{event}之日起{verb}: the {which}, which the front matter lacks"
            ),
        };
        out.push((all.range(), reading("effective", date.map(|d| d.to_string()), text)));
    }
    if let Some(m) = FROM_DATE.captures_at(masked, start)
        && let (Some(all), Some(date)) =
            (m.get(0), m.name("date").and_then(|d| parse_date(&piece[d.range()])))
    {
        *effective = Some(date);
        let verb = m.name("verb").map_or("施行", |v| v.as_str());
        out.push((
            all.range(),
            reading(
                "effective",
                Some(date.to_string()),
                format!("自{}起{verb}", date.chinese()),
            ),
        ));
    }
    if let Some(m) = UNTIL.captures_at(masked, start)
        && let (Some(all), Some(date)) =
            (m.get(0), m.name("date").and_then(|d| parse_date(&piece[d.range()])))
    {
        out.push((
            all.range(),
            reading(
                "expires",
                Some(date.to_string()),
                format!("有效期至{}", date.chinese()),
            ),
        ));
    }
    for m in YEARS.captures_iter(&masked[start..]) {
        let (Some(all), Some(what), Some(n)) = (m.get(0), m.name("what"), m.name("n"))
        else {
            continue;
        };
        let all = start + all.start()..start + all.end();
        // The document's own term: right after the self-reference or a clause break
        // (本办法有效期3年 / …起施行，有效期3年), not a licence's or a filing's.
        let before = masked[..all.start].chars().next_back();
        let after_self =
            SELF.find_at(masked, start).is_some_and(|s| s.end() == all.start);
        if !after_self && !matches!(before, Some('，' | ',' | '；' | '、')) {
            continue;
        }
        let Some(years) = count(n.as_str()) else { continue };
        let from = *effective;
        let text = match from {
            Some(d) => format!("{}{years}年, counted from {d}", what.as_str()),
            None => format!(
                "{}{years}年, counted from an effective date the front matter lacks",
                what.as_str()
            ),
        };
        let value =
            from.and_then(|d| d.plus_years_minus_a_day(years)).map(|d| d.to_string());
        out.push((all, reading("expires", value, text)));
    }
}

/// 《…》（文号）同时废止 / 同时废止《…》: the documents a sentence repeals. A 废止 inside
/// a quoted title does not count.
fn read_repeals(piece: &str, masked: &str, out: &mut Vec<(Range<usize>, Reading)>) {
    let Some(verb) = REPEAL.find(masked) else { return };
    // `废止日期`, `废止的` and the like describe, they do not repeal.
    if masked[verb.end()..].starts_with(['日', '的', '情', '后', '前']) {
        return;
    }
    let documents = listed_documents(piece);
    if documents.is_empty() {
        return;
    }
    let text = format!("{} {}", verb.as_str(), documents.join("、"));
    out.push((verb.range(), reading("repeals", Some(yaml_list(&documents)), text)));
}

/// The documents a piece of text names: each quoted title, as its 文号 when one
/// follows it in brackets, else as the title; and 文号 standing alone.
fn listed_documents(piece: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut covered = 0;
    for m in TITLE.captures_iter(piece) {
        let (Some(all), Some(title)) = (m.get(0), m.name("title")) else { continue };
        let rest = &piece[all.end()..];
        let number = rest.strip_prefix(['（', '(']).and_then(|r| {
            let bracket = rest.len() - r.len();
            crate::patterns::find_doc_number(r)
                .filter(|(_, range)| range.start == 0)
                .map(|(n, range)| (n, bracket + range.end))
        });
        match number {
            Some((number, len)) => {
                out.push(number);
                covered = all.end() + len;
            }
            None => {
                out.push(title.as_str().to_string());
                covered = all.end();
            }
        }
    }
    let mut rest = &piece[covered.min(piece.len())..];
    while let Some((number, range)) = crate::patterns::find_doc_number(rest) {
        if !out.contains(&number) {
            out.push(number);
        }
        rest = &rest[range.end..];
    }
    out
}

fn yaml_list(values: &[String]) -> String {
    format!("[{}]", values.join(", "))
}

/// The text of every paragraph, heading and table cell, with the span it has in the
/// source; paragraphs whose text is not one stretch of source (links, emphasis) are
/// read from their source span all the same, since the phrases are plain text.
fn texts<'a>(blocks: &[Block], sources: &'a Sources) -> Vec<(&'a str, Span)> {
    let mut out = Vec::new();
    let mut add = |content: &[Inline]| {
        let (Some(first), Some(last)) = (content.first(), content.last()) else { return };
        let span =
            Span::new(first.span.source, first.span.range.start..last.span.range.end);
        if let Some(text) = sources.get(span.source).text.get(span.range.clone()) {
            out.push((text, span));
        }
    };
    let mut stack: Vec<&Block> = blocks.iter().rev().collect();
    while let Some(block) = stack.pop() {
        match block {
            Block::Heading { content, .. } | Block::Para { content, .. } => add(content),
            Block::List { items, .. } => {
                for item in items.iter().rev() {
                    stack.extend(item.iter().rev());
                }
            }
            Block::Quote { blocks, .. } => stack.extend(blocks.iter().rev()),
            Block::Table { rows, .. } => {
                for row in rows {
                    for Cell { content, .. } in row.iter() {
                        add(content);
                    }
                }
            }
            Block::Image { .. } | Block::Code { .. } | Block::Rule { .. } => {}
        }
    }
    out
}

/// Byte ranges of the sentences of `text`: up to and including each 。；？！ or line end.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '；' | '？' | '！' | '\n') {
            let end = i + c.len_utf8();
            if text[start..end].trim().chars().count() > 1 {
                out.push(start..end);
            }
            start = end;
        }
    }
    if text[start..].trim().chars().count() > 1 {
        out.push(start..text.len());
    }
    out
}

/// `text` with everything inside 《…》 replaced by `_` bytes: the same byte offsets,
/// and no phrase of a quoted title left to match.
fn mask_titles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '《' => {
                depth += 1;
                out.push(c);
            }
            '》' if depth > 0 => {
                depth -= 1;
                out.push(c);
            }
            _ if depth > 0 => out.extend(std::iter::repeat_n('_', c.len_utf8())),
            _ => out.push(c),
        }
    }
    out
}

fn parse_date(text: &str) -> Option<Date> {
    let iso = crate::patterns::parse_any_date(text)?;
    Date::parse(&iso, false)
}

fn count(text: &str) -> Option<u32> {
    let folded = crate::numbering::numerals::fold_fullwidth_digits(text);
    if let Ok(n) = folded.parse::<u32>() {
        return (n > 0).then_some(n);
    }
    let hanzi = folded.replace('两', "二");
    crate::numbering::numerals::parse(&hanzi).filter(|&n| n > 0)
}

#[cfg(test)]
mod tests;
