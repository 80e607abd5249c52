//! Text comparison of two bodies: sentences first, then characters inside the
//! sentences that changed, each change located by its section.
//!
//! A body is flattened into *units* (headings, paragraphs, list items, table rows
//! with their cells as written, merged ones once; images as `![alt](path)`),
//! each unit into sentences ending at `。；！？` (closing quotes and brackets stay with
//! their sentence). Sentences are compared as whole tokens, so a one-character edit
//! in a 5,000-character policy is one replaced sentence; inside a replaced run the
//! text is compared again by smaller tokens ([`inline_diff`]: numbers with their
//! units, 文号, Latin words, else single characters), so the report shows that
//! character, or that amount, in its sentence.
//! Unless `exact`, each unit is compared after [`normalize_text`], so punctuation
//! width or spacing alone is not a change.

use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{Algorithm, DiffTag, capture_diff_slices, capture_diff_slices_deadline};

use crate::book::{BlockMarker, Markers};
use crate::markdown::{Block, Doc, plain_text};
use crate::normalize::normalize_text;
use crate::numbering::marker::{MarkerKind, recognize};

/// One piece of an inline diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// `equal`, `delete` or `insert`.
    pub op: SegmentOp,
    /// The characters.
    pub text: String,
}

/// What a [`Segment`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentOp {
    /// In both texts.
    Equal,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// One located change between two bodies: a run of sentences replaced, deleted or
/// inserted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    /// The nearest section heading or numbered paragraph before the change, e.g.
    /// `第一章 总则 › 第二条` or `一、药品品种调整 › （二）`; `None` before the first.
    pub section: Option<String>,
    /// The old sentences (empty for an insertion); paragraphs separated by `\n`.
    pub old: String,
    /// The new sentences (empty for a deletion).
    pub new: String,
    /// The inline diff of `old` into `new`.
    pub segments: Vec<Segment>,
}

/// A unit of text (heading, paragraph, list item, table row) with its section.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub(crate) text: String,
    pub(crate) section: Option<String>,
}

/// The plain text of a body, one unit a line, normalised unless `exact`: what the
/// content similarity of two policies is measured on.
pub(crate) fn flat_text(doc: &Doc, exact: bool) -> String {
    let (none, mut raw) = (Markers::default(), Vec::new());
    collect(&doc.blocks, &none, &mut raw);
    raw.into_iter()
        .map(|(text, _)| unit_text(&text, exact))
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The units of a body in reading order, each with its section; `markers` are the
/// ones the book recorded for it.
pub(crate) fn units_with(doc: &Doc, markers: &Markers, exact: bool) -> Vec<Unit> {
    let mut raw = Vec::new();
    collect(&doc.blocks, markers, &mut raw);
    let mut heading: Option<String> = None;
    let mut numbered: Option<String> = None;
    let mut out = Vec::with_capacity(raw.len());
    for (raw_text, opens) in raw {
        let label_text = raw_text.trim();
        let text = unit_text(label_text, exact);
        if text.is_empty() {
            continue;
        }
        if let Opens::Heading = opens {
            heading = Some(shorten(label_text, 40));
            numbered = None;
        } else if let Some((kind, label)) = section_marker(&opens, label_text)
            && kind.is_structural()
        {
            match kind {
                // `第一章 总则` written as a paragraph: a heading with its title.
                MarkerKind::Chapter | MarkerKind::Section
                    if label_text.chars().count() <= 40 =>
                {
                    heading = Some(label_text.to_string());
                    numbered = None;
                }
                _ => numbered = Some(label.to_string()),
            }
        }
        let section = join_section(&heading, &numbered);
        out.push(Unit { text, section });
    }
    out
}

/// What a unit's line is, for the section it may open.
enum Opens<'a> {
    /// A heading: a section of its own.
    Heading,
    /// The first line of a paragraph, with the marker the book recorded for it.
    Block(Option<&'a BlockMarker>),
    /// Any other line (after a hard break, a table row, a line of code): no block
    /// begins there, so the book has no marker for it and it is read here.
    Line,
}

/// The text a unit is compared on.
fn unit_text(line: &str, exact: bool) -> String {
    let line = line.trim();
    if exact { line.to_string() } else { normalize_text(line) }
}

/// The marker kind a unit opens with and the label its section takes (the marker
/// as written, without the separator), from `line`, the unit's trimmed text.
fn section_marker<'a>(
    opens: &'a Opens<'_>,
    line: &'a str,
) -> Option<(MarkerKind, &'a str)> {
    let trim = |label: &'a str| label.trim_end_matches([' ', '\u{3000}']);
    match opens {
        Opens::Heading | Opens::Block(None) => None,
        Opens::Block(Some(marker)) => {
            // The separator runs on over a hard break when nothing follows the
            // marker on its line; the label stops at the line's end.
            let label = match marker.text.split_once('\n') {
                Some((in_line, _)) => in_line.trim_end(),
                None => trim(&marker.text),
            };
            Some((marker.kind(), label))
        }
        Opens::Line => {
            let marker = recognize(line)?;
            Some((marker.kind, trim(line.get(..marker.range.end)?)))
        }
    }
}

fn join_section(heading: &Option<String>, numbered: &Option<String>) -> Option<String> {
    match (heading, numbered) {
        (Some(h), Some(n)) => Some(format!("{h} › {n}")),
        (Some(h), None) => Some(h.clone()),
        (None, Some(n)) => Some(n.clone()),
        (None, None) => None,
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max).collect();
        s.push('…');
        s
    }
}

fn collect<'a>(
    blocks: &'a [Block],
    markers: &'a Markers,
    out: &mut Vec<(String, Opens<'a>)>,
) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } => {
                out.push((plain_text(content), Opens::Heading))
            }
            Block::Para { content, .. } => {
                // A hard break splits a paragraph into lines a reader sees apart.
                let text = plain_text(content);
                let mut lines = text.split('\n');
                let first = lines.next().unwrap_or_default().to_string();
                out.push((first, Opens::Block(markers.of(block))));
                out.extend(lines.map(|line| (line.to_string(), Opens::Line)));
            }
            Block::List { items, .. } => {
                for item in items {
                    collect(item, markers, out);
                }
            }
            Block::Quote { blocks, .. } => collect(blocks, markers, out),
            Block::Table { rows, .. } => {
                for row in rows {
                    let cells: Vec<String> =
                        row.iter().map(|c| plain_text(&c.content)).collect();
                    out.push((cells.join(" | "), Opens::Line));
                }
            }
            // An image is its path and alt text: replacing the file under the same
            // name is no change of text, renaming it or rewording its alt is.
            Block::Image { path, alt, .. } => {
                out.push((format!("![{alt}]({path})"), Opens::Line))
            }
            Block::Code { text, .. } => {
                for line in text.lines() {
                    out.push((line.to_string(), Opens::Line));
                }
            }
            Block::Rule { .. } => {}
        }
    }
}

/// Splits a unit into sentences: each ends after `。；！？` and any closing quotes or
/// brackets that follow. The pieces concatenate back to `text`.
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if matches!(c, '。' | '；' | '！' | '？') {
            let mut end = i + c.len_utf8();
            while let Some(&(j, next)) = iter.peek() {
                if matches!(
                    next,
                    '”' | '’' | '」' | '』' | '）' | '》' | '。' | '！' | '？'
                ) {
                    end = j + next.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            out.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

struct Sentence<'a> {
    text: &'a str,
    unit: usize,
    /// First and last sentence of its unit.
    first: bool,
    last: bool,
}

fn split_units(units: &[Unit]) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    for (unit, u) in units.iter().enumerate() {
        let pieces = sentences(&u.text);
        let n = pieces.len();
        for (i, text) in pieces.into_iter().enumerate() {
            out.push(Sentence { text, unit, first: i == 0, last: i + 1 == n });
        }
    }
    out
}

/// Whether a run of sentences is made of whole units (paragraphs).
fn whole_units(run: &[Sentence<'_>]) -> bool {
    run.first().is_some_and(|s| s.first) && run.last().is_some_and(|s| s.last)
}

/// The changes between two bodies (each with the markers the book recorded for it),
/// in reading order.
pub fn diff_docs(
    (old, old_markers): (&Doc, &Markers),
    (new, new_markers): (&Doc, &Markers),
    exact: bool,
) -> Vec<TextEdit> {
    diff_units(&units_with(old, old_markers, exact), &units_with(new, new_markers, exact))
}

/// The changes between two lists of units.
pub(crate) fn diff_units(old: &[Unit], new: &[Unit]) -> Vec<TextEdit> {
    let old_s = split_units(old);
    let new_s = split_units(new);
    let old_keys: Vec<&str> = old_s.iter().map(|s| s.text).collect();
    let new_keys: Vec<&str> = new_s.iter().map(|s| s.text).collect();
    if old_keys == new_keys {
        return Vec::new();
    }
    let ops = capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys);
    // Consecutive non-equal ops form one hunk.
    let mut edits = Vec::new();
    let mut hunk: Option<(std::ops::Range<usize>, std::ops::Range<usize>)> = None;
    let mut flush =
        |hunk: &mut Option<(std::ops::Range<usize>, std::ops::Range<usize>)>| {
            if let Some((o, n)) = hunk.take() {
                let (os, ns) = (&old_s[o], &new_s[n]);
                let edit = make_edit(old, new, os, ns);
                // Little in common, and a whole paragraph on one side: a deletion
                // and an insertion that only happen to be neighbours, reported
                // apart, each in its own section.
                let rewrite = edit.segments.iter().all(|s| s.op != SegmentOp::Equal);
                if rewrite
                    && !os.is_empty()
                    && !ns.is_empty()
                    && (whole_units(os) || whole_units(ns))
                {
                    edits.push(make_edit(old, new, os, &[]));
                    edits.push(make_edit(old, new, &[], ns));
                } else {
                    edits.push(edit);
                }
            }
        };
    for op in &ops {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            flush(&mut hunk);
            continue;
        }
        hunk = Some(match hunk.take() {
            Some((ho, hn)) => (ho.start..o.end.max(ho.end), hn.start..n.end.max(hn.end)),
            None => (o, n),
        });
    }
    flush(&mut hunk);
    edits
}

fn join(sentences: &[Sentence<'_>]) -> String {
    let mut out = String::new();
    let mut last = None;
    for s in sentences {
        if last.is_some_and(|u| u != s.unit) {
            out.push('\n');
        }
        out.push_str(s.text);
        last = Some(s.unit);
    }
    out
}

fn make_edit(
    old_units: &[Unit],
    new_units: &[Unit],
    old: &[Sentence<'_>],
    new: &[Sentence<'_>],
) -> TextEdit {
    let section = new
        .first()
        .map(|s| new_units[s.unit].section.clone())
        .or_else(|| old.first().map(|s| old_units[s.unit].section.clone()))
        .flatten();
    let old_text = join(old);
    let new_text = join(new);
    let segments = inline_diff(&old_text, &new_text);
    TextEdit { section, old: old_text, new: new_text, segments }
}

/// The token diff of `old` into `new` (see [`tokens`]), tidied for reading: equal
/// runs of one token between two changes are folded into them, and when little is
/// left in common (under 30% of the longer side's characters) the whole is shown as
/// replaced.
///
/// Tokens rather than characters, so that a changed amount, date part, 文号 or Latin
/// word is read as one value replaced (`200万元` → `300万元`), never as a digit
/// changed inside a number that happens to share its other digits; Han characters
/// and punctuation are tokens of their own, so a one-character edit stays one
/// character.
pub fn inline_diff(old: &str, new: &str) -> Vec<Segment> {
    let seg = |op, text: &str| Segment { op, text: text.to_string() };
    if old.is_empty() || new.is_empty() {
        let mut out = Vec::new();
        if !old.is_empty() {
            out.push(seg(SegmentOp::Delete, old));
        }
        if !new.is_empty() {
            out.push(seg(SegmentOp::Insert, new));
        }
        return out;
    }
    let a = tokens(old);
    let b = tokens(new);
    // A pathological pair (long, with little in common) must not stall a report:
    // past the deadline `similar` returns a coarser but still correct diff.
    let deadline = Some(Instant::now() + Duration::from_millis(250));
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &a, &b, deadline);
    // Each run with the number of tokens it holds.
    let mut raw: Vec<(SegmentOp, String, usize)> = Vec::new();
    for op in &ops {
        let (tag, o, n) = op.as_tag_tuple();
        let mut push = |kind: SegmentOp, toks: Option<&[&str]>| {
            let Some(toks) = toks.filter(|t| !t.is_empty()) else { return };
            match raw.last_mut() {
                Some((k, text, count)) if *k == kind => {
                    text.extend(toks.iter().copied());
                    *count += toks.len();
                }
                _ => raw.push((kind, toks.concat(), toks.len())),
            }
        };
        match tag {
            DiffTag::Equal => push(SegmentOp::Equal, a.get(o)),
            DiffTag::Delete => push(SegmentOp::Delete, a.get(o)),
            DiffTag::Insert => push(SegmentOp::Insert, b.get(n)),
            DiffTag::Replace => {
                push(SegmentOp::Delete, a.get(o));
                push(SegmentOp::Insert, b.get(n));
            }
        }
    }
    // Fold one-token equal runs between changes into the changes: a lone shared
    // character or value between two edits reads better as part of one rewrite.
    let len = raw.len();
    let mut folded: Vec<(SegmentOp, String)> = Vec::new();
    for (i, (kind, text, count)) in raw.into_iter().enumerate() {
        let between = i > 0 && i + 1 < len;
        if kind == SegmentOp::Equal && between && count <= 1 {
            folded.push((SegmentOp::Delete, text.clone()));
            folded.push((SegmentOp::Insert, text));
        } else {
            folded.push((kind, text));
        }
    }
    // Within each run of changes, deletions first, then insertions.
    let mut out: Vec<Segment> = Vec::new();
    let mut del = String::new();
    let mut ins = String::new();
    let mut equal_chars = 0;
    let flush = |out: &mut Vec<Segment>, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            out.push(Segment { op: SegmentOp::Delete, text: std::mem::take(del) });
        }
        if !ins.is_empty() {
            out.push(Segment { op: SegmentOp::Insert, text: std::mem::take(ins) });
        }
    };
    for (kind, text) in folded {
        match kind {
            SegmentOp::Equal => {
                flush(&mut out, &mut del, &mut ins);
                equal_chars += text.chars().count();
                out.push(Segment { op: kind, text });
            }
            SegmentOp::Delete => del.push_str(&text),
            SegmentOp::Insert => ins.push_str(&text),
        }
    }
    flush(&mut out, &mut del, &mut ins);
    // Little in common: a rewrite, shown whole.
    let longest = old.chars().count().max(new.chars().count());
    if equal_chars * 10 < longest * 3 {
        return vec![seg(SegmentOp::Delete, old), seg(SegmentOp::Insert, new)];
    }
    out
}

/// Units a number may carry, compared with it as one token. A closed list: the
/// amounts, counts, dates, durations and measures policies state, so that `200万元`,
/// `11月`, `3个工作日`, `第3条` (as `第` + `3条`) change as values. Longer entries win
/// (`个月` over `个`, `千瓦时` over `千`); one unit may be divided by another
/// (`50元/平方米`). A unit not listed leaves the number a token of its own and the
/// unit as characters, which only makes a diff finer, never wrong; characters that
/// also begin ordinary words after a number (`成`, `度`, `点`) are left out.
#[rustfmt::skip]
const UNITS: &[&str] = &[
    // Shares.
    "%", "％", "‰", "个百分点", "百分点", "倍",
    // Money.
    "元",
    // Counts.
    "个", "家", "人", "人次", "户", "项", "条", "款", "章", "节", "目", "名", "位",
    "次", "件", "份", "批", "批次", "所", "台", "套", "辆", "张", "篇", "类", "种",
    "号", "层", "级", "届", "期",
    // Dates and durations.
    "年", "年度", "周年", "个月", "月", "月份", "日", "天", "周", "周岁", "岁",
    "工作日", "个工作日", "季度", "个季度", "小时", "时", "分钟", "分", "秒",
    // Measures.
    "平方米", "平方公里", "平方千米", "立方米", "公顷", "亩", "米", "千米", "公里",
    "厘米", "毫米", "吨", "千克", "公斤", "克", "升", "毫升", "千瓦", "千瓦时", "兆瓦",
];

/// Orders of magnitude written in characters after Arabic digits (`200万`, `1.5亿`),
/// which a unit from [`UNITS`] may follow (`200万元`, `3万人`). `百` is not one: it
/// would split `百分点`.
const MAGNITUDES: &[&str] = &["万亿", "亿", "万", "千"];

/// Splits `text` into the tokens [`inline_diff`] compares; they concatenate back to
/// `text`. A token is
///
/// - the core of a 文号, `〔2021〕24号` (any bracket editors type for 〔〕, full-width
///   digits, a `第` before the serial, spaces inside): the issuer's code before it is
///   a run of Han characters whose start no rule can find in running text
///   (`根据京政发〔2021〕24号` — `根据` is not part of the code), so the code stays
///   as characters and a changed year or serial shows the bracket and number whole;
/// - a number, Arabic digits (ASCII or full-width) with decimal points (`.` `．`)
///   and thousands separators (`,` before exactly three digits), followed by an
///   order of magnitude and a unit when they follow ([`MAGNITUDES`], [`UNITS`]),
///   per another unit after `/` (`50元/平方米`), or else by Latin letters (`5G`,
///   `10kV`);
/// - a Latin word: letters (ASCII or full-width) and digits, joined by `-` `_` `/`
///   `.` when a letter or digit follows (`GB/T`, `ISO9001`, `COVID-19`);
/// - otherwise one character. Chinese numerals (`三十万元`) are characters too: `一`
///   and `十` are too common in words to start a number.
pub(crate) fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = doc_number_core(rest)
            .or_else(|| number(rest))
            .or_else(|| latin_word(rest))
            .unwrap_or(c.len_utf8());
        // The scanners count whole characters; should one ever not, fall back to
        // one character rather than cut inside one.
        let (token, tail) = match (rest.get(..len), rest.get(len..)) {
            (Some(token), Some(tail)) if len > 0 => (token, tail),
            _ => rest.split_at(c.len_utf8()),
        };
        out.push(token);
        rest = tail;
    }
    out
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c)
}

/// The byte length of the characters at the start of `s` that satisfy `f`.
fn run(s: &str, f: impl Fn(char) -> bool) -> usize {
    s.char_indices().find(|&(_, c)| !f(c)).map_or(s.len(), |(i, _)| i)
}

/// The byte length of `s`'s start that is `prefix`, or 0.
fn lit(s: &str, prefix: &str) -> usize {
    if s.starts_with(prefix) { prefix.len() } else { 0 }
}

/// The byte length of a 文号's `〔2021〕24号` at the start of `s`.
fn doc_number_core(s: &str) -> Option<usize> {
    let spaces = |s: &str| run(s, |c| matches!(c, ' ' | '\u{3000}'));
    let open = s.chars().next().filter(|c| "〔[［【(（〖{｛".contains(*c))?;
    let mut at = open.len_utf8();
    at += spaces(s.get(at..)?);
    let year = run(s.get(at..)?, is_digit);
    if s.get(at..at + year)?.chars().count() != 4 {
        return None;
    }
    at += year;
    at += spaces(s.get(at..)?);
    let close = s.get(at..)?.chars().next().filter(|c| "〕]］】)）〗}｝".contains(*c))?;
    at += close.len_utf8();
    at += spaces(s.get(at..)?);
    at += lit(s.get(at..)?, "第");
    at += spaces(s.get(at..)?);
    let serial = run(s.get(at..)?, is_digit);
    if !(1..=6).contains(&s.get(at..at + serial)?.chars().count()) {
        return None;
    }
    at += serial;
    at += spaces(s.get(at..)?);
    let end = lit(s.get(at..)?, "号");
    (end > 0).then_some(at + end)
}

/// The byte length of a number and its unit at the start of `s`.
fn number(s: &str) -> Option<usize> {
    let mut at = run(s, is_digit);
    if at == 0 {
        return None;
    }
    // Decimal points and thousands separators, each only between digits.
    loop {
        let rest = s.get(at..)?;
        let sep = match rest.chars().next() {
            Some(sep @ ('.' | '．' | ',')) => sep,
            _ => break,
        };
        let after = rest.get(sep.len_utf8()..)?;
        let digits = run(after, is_digit);
        let count = after.get(..digits)?.chars().count();
        let fits = if sep == ',' { count == 3 } else { count > 0 };
        if !fits {
            break;
        }
        at += sep.len_utf8() + digits;
    }
    let rest = s.get(at..)?;
    let mut len = unit(rest);
    if len > 0 {
        // `元/平方米`, `次/年`: a rate is one value.
        let per = rest.get(len..).and_then(|r| r.strip_prefix('/')).map_or(0, unit);
        if per > 0 {
            len += '/'.len_utf8() + per;
        }
        return Some(at + len);
    }
    // A number run on into Latin letters names one thing: `5G`, `10kV`.
    let latin =
        if rest.chars().next().is_some_and(is_latin) { latin_word(rest) } else { None };
    Some(at + latin.unwrap_or(0))
}

/// The byte length of an order of magnitude and a unit, either or both, at the
/// start of `s`; the longest reading wins (`千瓦时` is a unit, not `千` + `瓦时`).
fn unit(s: &str) -> usize {
    let longest =
        |s: &str, list: &[&str]| list.iter().map(|u| lit(s, u)).max().unwrap_or(0);
    let magnitude = longest(s, MAGNITUDES);
    let after = s.get(magnitude..).map_or(0, |r| longest(r, UNITS));
    longest(s, UNITS).max(magnitude + after)
}

/// The byte length of a Latin word at the start of `s`.
fn latin_word(s: &str) -> Option<usize> {
    if !s.chars().next().is_some_and(is_latin) {
        return None;
    }
    let word = |c: char| is_latin(c) || is_digit(c);
    let mut at = run(s, word);
    loop {
        let rest = s.get(at..)?;
        let mut chars = rest.chars();
        match (chars.next(), chars.next()) {
            (Some(join @ ('-' | '_' | '/' | '.')), Some(next)) if word(next) => {
                at += join.len_utf8();
                at += run(s.get(at..)?, word);
            }
            _ => break,
        }
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SegmentOp::{Delete as D, Equal as E, Insert as I};

    #[test]
    fn sentences_keep_closers() {
        assert_eq!(sentences("甲。”乙；丙"), vec!["甲。”", "乙；", "丙"]);
        assert_eq!(sentences(""), Vec::<&str>::new());
    }

    /// The segments as `(op, text)` pairs, for short assertions.
    fn ops(old: &str, new: &str) -> Vec<(SegmentOp, String)> {
        inline_diff(old, new).into_iter().map(|s| (s.op, s.text)).collect()
    }

    /// The old and new texts the segments spell.
    fn sides(segments: &[Segment]) -> (String, String) {
        let (mut old, mut new) = (String::new(), String::new());
        for s in segments {
            if s.op != SegmentOp::Insert {
                old.push_str(&s.text);
            }
            if s.op != SegmentOp::Delete {
                new.push_str(&s.text);
            }
        }
        (old, new)
    }

    /// The expected segments, written short.
    fn expect(pairs: &[(SegmentOp, &str)]) -> Vec<(SegmentOp, String)> {
        pairs.iter().map(|&(op, text)| (op, text.to_string())).collect()
    }

    /// The tokens of `text`, separated by `|`.
    fn split(text: &str) -> String {
        tokens(text).join("|")
    }

    #[test]
    fn tokens_read_values_whole() {
        assert_eq!(
            split("补贴200万元、1.5亿元、30%、1,000,000元和３０％"),
            "补|贴|200万元|、|1.5亿元|、|30%|、|1,000,000元|和|３０％"
        );
        assert_eq!(split("自2021年11月5日起"), "自|2021年|11月|5日|起");
        assert_eq!(split("3个月内，第3条第2款"), "3个月|内|，|第|3条|第|2款");
        assert_eq!(
            split("3万平方米，5千瓦时，3个百分点"),
            "3万平方米|，|5千瓦时|，|3个百分点"
        );
        assert_eq!(
            split("每平方米50元/平方米，2次/年"),
            "每|平|方|米|50元/平方米|，|2次/年"
        );
        // A comma that is no thousands separator, a point that ends a marker, a
        // fraction, a unit not listed.
        assert_eq!(split("1,2和1.加强3/4成"), "1|,|2|和|1|.|加|强|3|/|4|成");
    }

    #[test]
    fn tokens_read_latin_words_and_doc_numbers() {
        assert_eq!(
            split("按GB/T 9704-2012和ISO9001"),
            "按|GB/T| |9704|-|2012|和|ISO9001"
        );
        assert_eq!(
            split("COVID-19疫情，5G网络，10kV，e.g."),
            "COVID-19|疫|情|，|5G|网|络|，|10kV|，|e.g|."
        );
        assert_eq!(split("根据京政发〔2021〕24号"), "根|据|京|政|发|〔2021〕24号");
        assert_eq!(
            split("国发[2022]第3号、（２０２１） 8 号"),
            "国|发|[2022]第3号|、|（２０２１） 8 号"
        );
        // Brackets that are no 文号: a year alone, a serial without 号, a short year.
        assert_eq!(split("（2021）年"), "（|2021|）|年");
        assert_eq!(split("〔2021〕24条"), "〔|2021|〕|24条");
        assert_eq!(split("〔21〕24号"), "〔|21|〕|24号");
    }

    #[test]
    fn an_amount_changes_whole() {
        assert_eq!(
            ops("补贴标准为200万元。", "补贴标准为300万元。"),
            expect(&[(E, "补贴标准为"), (D, "200万元"), (I, "300万元"), (E, "。")])
        );
        assert_eq!(
            ops("项目总投资1.5亿元。", "项目总投资2亿元。"),
            expect(&[(E, "项目总投资"), (D, "1.5亿元"), (I, "2亿元"), (E, "。")])
        );
        assert_eq!(
            ops("补贴比例不低于30%。", "补贴比例不低于35%。"),
            expect(&[(E, "补贴比例不低于"), (D, "30%"), (I, "35%"), (E, "。")])
        );
        // Alone, an amount has nothing in common with another: a rewrite.
        assert_eq!(ops("200万元", "300万元"), expect(&[(D, "200万元"), (I, "300万元")]));
    }

    #[test]
    fn a_date_changes_by_its_parts() {
        assert_eq!(
            ops("本通知自2021年11月5日起施行。", "本通知自2021年12月5日起施行。"),
            expect(&[
                (E, "本通知自2021年"),
                (D, "11月"),
                (I, "12月"),
                (E, "5日起施行。")
            ])
        );
        // One part in common between two changed ones is folded into them.
        assert_eq!(
            ops("本通知自2021年11月5日起施行。", "本通知自2022年11月6日起施行。"),
            expect(&[
                (E, "本通知自"),
                (D, "2021年11月5日"),
                (I, "2022年11月6日"),
                (E, "起施行。")
            ])
        );
    }

    #[test]
    fn a_doc_number_changes_by_its_bracket_and_serial() {
        assert_eq!(
            ops("根据京政发〔2021〕24号文件执行。", "根据京政发〔2021〕25号文件执行。"),
            expect(&[
                (E, "根据京政发"),
                (D, "〔2021〕24号"),
                (I, "〔2021〕25号"),
                (E, "文件执行。")
            ])
        );
        // A 文号 alone shares only its code with the other: a rewrite.
        assert_eq!(
            ops("京政发〔2021〕24号", "京政发〔2021〕25号"),
            expect(&[(D, "京政发〔2021〕24号"), (I, "京政发〔2021〕25号")])
        );
    }

    #[test]
    fn a_latin_word_changes_whole() {
        assert_eq!(
            ops("企业应当通过ISO9001认证。", "企业应当通过ISO14001认证。"),
            expect(&[
                (E, "企业应当通过"),
                (D, "ISO9001"),
                (I, "ISO14001"),
                (E, "认证。")
            ])
        );
    }

    #[test]
    fn mixed_text_shows_each_value_and_character() {
        let old = "对符合条件的企业给予最高200万元补贴，执行GB/T 9704-2012，\
                   自2021年11月5日起施行，有效期3年。";
        let new = "对符合条件的企业给予最高300万元奖励，执行GB/T 9704-2012，\
                   自2021年11月5日起实施，有效期5年。";
        assert_eq!(
            ops(old, new),
            expect(&[
                (E, "对符合条件的企业给予最高"),
                (D, "200万元补贴"),
                (I, "300万元奖励"),
                (E, "，执行GB/T 9704-2012，自2021年11月5日起"),
                (D, "施行"),
                (I, "实施"),
                (E, "，有效期"),
                (D, "3年"),
                (I, "5年"),
                (E, "。"),
            ])
        );
    }

    /// Every cut of a text mixing every kind of token, and of the half-tokens a cut
    /// leaves (`〔2021`, `1,00`, `ISO-`, a lone `％`), diffed against the whole and
    /// against each other: no panic, and the segments spell both sides back.
    #[test]
    fn any_cut_of_mixed_text_diffs_safely() {
        let text = "据京政发〔2021〕24号、国发［２０２２］第３号，对ISO9001/GB/T-企业给予\
                    1,000,000.5元、1.5亿元、３０％补贴（2021）年，COVID-19期间5G网络\
                    10kV 𠀀e\u{301}🇨🇳，自2021年11月5日起3个工作日内。";
        let cuts: Vec<usize> =
            text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        for &i in &cuts {
            let (head, tail) = text.split_at(i);
            for (old, new) in
                [(head, text), (text, tail), (head, tail), (tail, head), (tail, text)]
            {
                assert_eq!(tokens(old).concat(), old);
                let segments = inline_diff(old, new);
                assert_eq!(sides(&segments), (old.to_string(), new.to_string()));
                assert!(segments.iter().all(|s| !s.text.is_empty()));
            }
        }
    }

    #[test]
    fn long_texts_with_little_in_common_are_a_rewrite() {
        let old: String = (0..4000).map(|i| format!("第{i}条甲")).collect();
        let new: String = (0..4000).map(|i| format!("{}元乙", i * 7)).collect();
        // Past the deadline the diff is coarser, never wrong.
        let segments = inline_diff(&old, &new);
        assert_eq!(segments.len(), 2);
        assert_eq!(sides(&segments), (old, new));
    }

    #[test]
    fn one_character_edit() {
        let segs = inline_diff("消费者应当理性交易。", "消费者应当理智交易。");
        assert_eq!(
            segs,
            vec![
                Segment { op: SegmentOp::Equal, text: "消费者应当理".into() },
                Segment { op: SegmentOp::Delete, text: "性".into() },
                Segment { op: SegmentOp::Insert, text: "智".into() },
                Segment { op: SegmentOp::Equal, text: "交易。".into() },
            ]
        );
    }
}
