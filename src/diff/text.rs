//! Text comparison of two bodies: sentences first, then characters inside the
//! sentences that changed, each change located by its section.
//!
//! A body is flattened into *units* (headings, paragraphs, list items, table rows
//! with their cells as written, merged ones once; images as `![alt](path)`),
//! each unit into sentences ending at `。；！？` (closing quotes and brackets stay with
//! their sentence). Sentences are compared as whole tokens, so a one-character edit
//! in a 5,000-character policy is one replaced sentence; inside a replaced run the
//! characters are compared again, so the report shows that character in its sentence.
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

/// The character diff of `old` into `new`, tidied for reading: equal runs of one
/// character between two changes are folded into them, and when little is left in
/// common the whole is shown as replaced.
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
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    let deadline = Some(Instant::now() + Duration::from_millis(250));
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &a, &b, deadline);
    let mut raw: Vec<(SegmentOp, String)> = Vec::new();
    for op in &ops {
        let (tag, o, n) = op.as_tag_tuple();
        let mut push = |kind: SegmentOp, chars: &[char]| {
            if chars.is_empty() {
                return;
            }
            match raw.last_mut() {
                Some((k, text)) if *k == kind => text.extend(chars),
                _ => raw.push((kind, chars.iter().collect())),
            }
        };
        match tag {
            DiffTag::Equal => push(SegmentOp::Equal, &a[o]),
            DiffTag::Delete => push(SegmentOp::Delete, &a[o]),
            DiffTag::Insert => push(SegmentOp::Insert, &b[n]),
            DiffTag::Replace => {
                push(SegmentOp::Delete, &a[o]);
                push(SegmentOp::Insert, &b[n]);
            }
        }
    }
    // Fold one-character equal runs between changes into the changes.
    let len = raw.len();
    let mut folded: Vec<(SegmentOp, String)> = Vec::new();
    for (i, (kind, text)) in raw.iter().enumerate() {
        let between = i > 0 && i + 1 < len;
        if *kind == SegmentOp::Equal && between && text.chars().count() <= 1 {
            folded.push((SegmentOp::Delete, text.clone()));
            folded.push((SegmentOp::Insert, text.clone()));
        } else {
            folded.push((*kind, text.clone()));
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
    let longest = a.len().max(b.len());
    if equal_chars * 10 < longest * 3 {
        return vec![seg(SegmentOp::Delete, old), seg(SegmentOp::Insert, new)];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_closers() {
        assert_eq!(sentences("甲。”乙；丙"), vec!["甲。”", "乙；", "丙"]);
        assert_eq!(sentences(""), Vec::<&str>::new());
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
