//! Placed strings → printed lines, and printed lines → pages both extractors share.
//!
//! Both extractors (the content streams read here, `pdftotext -bbox-layout`) give
//! pieces of text with where they stand; the paragraphs are rebuilt from the same
//! [`Line`]s whichever read them, so the two paths differ only in decoding.

use crate::cjk::is_cjk;

/// A string placed on its page.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Run {
    /// Left and right ends, in points from the page's left edge.
    pub x0: f32,
    pub x1: f32,
    /// The baseline (or the box's bottom), in points from the page's top.
    pub base: f32,
    /// The font size in points (or the box's height).
    pub size: f32,
    /// The text.
    pub text: String,
}

/// One printed line.
pub(super) type Line = Run;

/// One page's lines, top to bottom.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Page {
    pub width: f32,
    pub height: f32,
    pub lines: Vec<Line>,
}

/// Groups a page's strings into lines: strings whose baselines are within 40 % of
/// their size stand on one line, read left to right. A string drawn twice at almost
/// the same place (Word's simulated bold) is kept once.
pub(super) fn group(mut runs: Vec<Run>) -> Vec<Line> {
    runs.sort_by(|a, b| a.base.total_cmp(&b.base).then(a.x0.total_cmp(&b.x0)));
    let mut rows: Vec<Vec<Run>> = Vec::new();
    for run in runs {
        match rows.last_mut() {
            Some(row)
                if row.first().is_some_and(|first| {
                    (run.base - first.base).abs() < 0.4 * first.size.max(run.size)
                }) =>
            {
                row.push(run);
            }
            _ => rows.push(vec![run]),
        }
    }
    rows.into_iter().filter_map(join_row).collect()
}

fn join_row(mut row: Vec<Run>) -> Option<Line> {
    row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut kept: Vec<Run> = Vec::with_capacity(row.len());
    for run in row {
        let twice = kept.iter().rev().take(4).any(|k| {
            k.text == run.text && (k.x0 - run.x0).abs() < 0.2 * k.size.max(run.size)
        });
        if !twice {
            kept.push(run);
        }
    }
    let first = kept.first()?;
    let size = kept.iter().map(|r| r.size).fold(0.0, f32::max);
    let mut line =
        Line { x0: first.x0, x1: first.x1, base: first.base, size, text: String::new() };
    let mut previous: Option<&Run> = None;
    for run in &kept {
        if let Some(p) = previous {
            let gap = run.x0 - p.x1;
            let (a, b) = (p.text.chars().next_back(), run.text.chars().next());
            if gap > 0.15 * size && needs_space(a, b, gap / size) {
                line.text.push(' ');
            }
        }
        line.text.push_str(&run.text);
        line.x1 = line.x1.max(run.x1);
        previous = Some(run);
    }
    let trimmed = line.text.trim();
    if trimmed.is_empty() {
        return None;
    }
    line.text = trimmed.to_string();
    Some(line)
}

/// Whether a gap of `em` font sizes between two characters is a space: always
/// between two Latin words; next to CJK only when it is wider than a character
/// (Word and Typst put a quarter em between 汉字 and digits, and justification
/// spreads 汉字 apart; neither is a space in the text).
pub(super) fn needs_space(a: Option<char>, b: Option<char>, em: f32) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return false };
    if a.is_whitespace() || b.is_whitespace() {
        return false;
    }
    if is_cjk(a) || is_cjk(b) { em > 1.2 } else { true }
}
