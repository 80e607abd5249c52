//! Printed lines → paragraphs: the page furniture dropped, wrapped lines joined.
//!
//! A PDF keeps lines, not paragraphs. Where they stand tells them apart: in a 公文
//! every paragraph's first line is indented by two characters and its last line
//! stops short of the right margin, while the lines in between run from margin to
//! margin (justified). Numbered headings (`一、` `（一）` `1.`) start paragraphs;
//! titles are centred and set larger; the signature is pushed right. The page number
//! (`— 1 —`) and a running header or footer stand first or last on every page and
//! are not the document's text.

use std::collections::BTreeMap;

use crate::cjk::is_cjk;
use crate::import::paragraphs::{ends_terminal, marker};

use super::lines::{Line, Page};

/// The paragraphs of the pages, and notes on what was dropped.
pub(super) fn paragraphs(mut pages: Vec<Page>) -> (Vec<String>, Vec<String>) {
    let mut notes = Vec::new();
    drop_furniture(&mut pages, &mut notes);
    let lines: Vec<(usize, Line)> = pages
        .into_iter()
        .enumerate()
        .flat_map(|(n, p)| p.lines.into_iter().map(move |l| (n, l)))
        .collect();
    let Some(measure) = Measure::of(lines.iter().map(|(_, l)| l)) else {
        return (Vec::new(), notes);
    };
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous: Option<&(usize, Line)> = None;
    for entry in &lines {
        if let Some(prev) = previous
            && measure.breaks(prev, entry)
        {
            out.push(std::mem::take(&mut current));
        }
        join(&mut current, &entry.1.text);
        previous = Some(entry);
    }
    if !current.is_empty() {
        out.push(current);
    }
    (out, notes)
}

/// Appends a wrapped line: nothing between CJK characters (a line break is not a
/// space in Chinese), a space between two Latin words.
fn join(paragraph: &mut String, line: &str) {
    let a = paragraph.chars().next_back();
    let b = line.chars().next();
    if let (Some(a), Some(b)) = (a, b)
        && a.is_ascii_alphanumeric()
        && b.is_ascii_alphanumeric()
    {
        paragraph.push(' ');
    }
    paragraph.push_str(line);
}

/// The body's geometry, measured from the lines themselves: PDFs come at any page
/// size, margin and type size.
#[derive(Debug, Clone, Copy)]
struct Measure {
    /// The left margin: where most lines start.
    left: f32,
    /// The right margin: where most full lines end.
    right: f32,
    /// The width of one full-width character.
    em: f32,
    /// The body's type size, as the extractor reports it.
    size: f32,
    /// The usual distance between two baselines of a paragraph.
    pitch: f32,
    /// Whether the paragraphs' first lines are indented (then a line that ends in
    /// `。` but runs to the margin is not a paragraph's end).
    indented: bool,
}

/// The most common value, to a point.
fn mode(values: impl Iterator<Item = f32>) -> Option<f32> {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for v in values.filter(|v| v.is_finite()) {
        *counts.entry(v.round() as i64).or_insert(0) += 1;
    }
    counts.into_iter().max_by_key(|&(v, n)| (n, -v)).map(|(v, _)| v as f32)
}

impl Measure {
    fn of<'a>(lines: impl Iterator<Item = &'a Line> + Clone) -> Option<Measure> {
        let left = mode(lines.clone().map(|l| l.x0))?;
        let size = mode(lines.clone().map(|l| l.size * 4.0)).map_or(12.0, |s| s / 4.0);
        // Pure CJK lines give the advance of one character, justification included.
        let mut ems: Vec<f32> = lines
            .clone()
            .filter(|l| (l.size - size).abs() < 0.1 * size)
            .filter_map(|l| {
                let n = l.text.chars().count();
                (n >= 8 && l.text.chars().all(is_cjk)).then(|| (l.x1 - l.x0) / n as f32)
            })
            .collect();
        ems.sort_by(f32::total_cmp);
        let em = ems.get(ems.len() / 2).copied().unwrap_or(size);
        let right =
            mode(lines.clone().filter(|l| (l.x0 - left).abs() < 3.0 * em).map(|l| l.x1))
                .unwrap_or(left + 28.0 * em);
        let pitch = lines
            .clone()
            .zip(lines.clone().skip(1))
            .map(|(a, b)| b.base - a.base)
            .filter(|d| *d > 0.0 && *d < 3.0 * size);
        let pitch = mode(pitch.map(|d| d * 4.0)).map_or(1.5 * size, |p| p / 4.0);
        let indents = lines
            .filter(|l| {
                (l.x0 - left - 2.0 * em).abs() < 0.5 * em && l.x1 > right - 2.0 * em
            })
            .count();
        Some(Measure { left, right, em, size, pitch, indented: indents >= 3 })
    }

    fn centred(&self, line: &Line) -> bool {
        let middle = (self.left + self.right) / 2.0;
        line.x0 > self.left + self.em
            && ((line.x0 + line.x1) / 2.0 - middle).abs() < 1.5 * self.em
    }

    /// Whether `next` starts a new paragraph after `prev`.
    fn breaks(
        &self,
        (prev_page, prev): &(usize, Line),
        (page, next): &(usize, Line),
    ) -> bool {
        let same_page = prev_page == page;
        let gap = next.base - prev.base;
        let similar = (next.size - prev.size).abs() <= 0.15 * prev.size.max(next.size);
        // A title set on two or three centred lines is one paragraph.
        if same_page
            && similar
            && prev.size > 1.1 * self.size
            && self.centred(prev)
            && self.centred(next)
            && gap < 2.0 * prev.size
        {
            return false;
        }
        prev.x1 < self.right - 1.5 * self.em
            || next.x0 > self.left + 1.2 * self.em
            || marker(&next.text).is_some()
            || !similar
            || (same_page && gap > 1.6 * self.pitch.max(prev.size))
            || (!self.indented && ends_terminal(&prev.text))
    }
}

/// Drops page numbers and running headers and footers: the first or last lines of
/// pages that are a page number (`— 1 —`, `- 1 -`, `1`, `第1页`, `1/5`), or whose text,
/// digits aside, stands at the same end of at least half the pages (two at least).
fn drop_furniture(pages: &mut [Page], notes: &mut Vec<String>) {
    let mut dropped_numbers = 0;
    let mut dropped: Vec<String> = Vec::new();
    let half = pages.len().div_ceil(2).max(2);
    // Twice from each end: a footer line above the page number goes too.
    for _ in 0..2 {
        for top in [true, false] {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for line in pages.iter().filter_map(|p| end_line(p, top)) {
                *counts.entry(shape(&line.text)).or_insert(0) += 1;
            }
            for page in pages.iter_mut() {
                let Some(line) = end_line(page, top) else { continue };
                let number = page_number(&line.text);
                let repeated = counts.get(&shape(&line.text)).is_some_and(|n| *n >= half);
                if !(number || repeated) || page.lines.len() < 2 {
                    continue;
                }
                let line =
                    if top { Some(page.lines.remove(0)) } else { page.lines.pop() };
                let Some(line) = line else { continue };
                if number {
                    dropped_numbers += 1;
                } else if !dropped.contains(&line.text) && dropped.len() < 5 {
                    dropped.push(line.text);
                }
            }
        }
    }
    if dropped_numbers > 0 {
        notes.push(format!(
            "dropped {dropped_numbers} page number(s) printed on the pages"
        ));
    }
    if !dropped.is_empty() {
        notes.push(format!(
            "dropped running headers/footers repeated page after page: {}",
            dropped.join(" | ")
        ));
    }
}

fn end_line(page: &Page, top: bool) -> Option<&Line> {
    if top { page.lines.first() } else { page.lines.last() }
}

/// A line's text with its digits made alike, so that `— 3 —` and `— 4 —` or
/// `2021年第3期` and `2021年第4期` compare equal.
fn shape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii_digit() || ('０'..='９').contains(&c) { '#' } else { c })
        .collect::<String>()
        .split('#')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("#")
}

/// Whether a line is only a page number: `— 1 —`, `- 1 -`, `1`, `第1页`, `第1页 共5页`,
/// `1/5`, `Page 1`.
pub(super) fn page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let dash = |c: char| matches!(c, '-' | '—' | '–' | '－' | '‒' | '―' | '─');
    let digits = |s: &str| {
        !s.is_empty()
            && s.len() <= 12
            && s.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    };
    let bare = t.trim_matches(dash);
    if digits(bare) {
        return true;
    }
    if let Some((a, b)) = bare.split_once('/')
        && digits(a)
        && digits(b)
    {
        return true;
    }
    let cn = |s: &str| {
        s.strip_prefix('第').and_then(|s| s.strip_suffix('页')).is_some_and(digits)
            || s.strip_prefix('共').and_then(|s| s.strip_suffix('页')).is_some_and(digits)
    };
    if cn(bare) {
        return true;
    }
    if let Some(i) = bare.find('页')
        && i + '页'.len_utf8() < bare.len()
    {
        let (a, b) = bare.split_at(i + '页'.len_utf8());
        return cn(a) && cn(b.trim_start_matches(['，', ',', '/']));
    }
    bare.strip_prefix("Page").or_else(|| bare.strip_prefix("page")).is_some_and(digits)
}
