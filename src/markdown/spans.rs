//! Merged table cells: a cell whose whole text is `<<` continues the cell to its
//! left, one whose whole text is `^^` the cell above (as markdown-it-multimd-table
//! writes them). `huibian add` writes a cell spanning R rows × C columns as its text
//! at the top left, `<<` in the rest of its first row and `^^` in every position of
//! the rows below.
//!
//! A bad span is an error at its cell, not a warning with the marker kept as text:
//! a merged cell that does not form a rectangle, or a `^^` with nothing above it,
//! leaves no table a reader could trust (which cell does the 合计 row's figure
//! belong to?), and printing `^^` in a legal text is worse than stopping the build.
//! `add` never writes one, so every error points at a hand edit to look at again.

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::markdown::{Cell, Inline};
use crate::source::Span;

/// What a cell's source text says about spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    /// `<<`: continues the cell to the left.
    Left,
    /// `^^`: continues the cell above.
    Up,
}

/// A cell as written, before spans are resolved.
#[derive(Debug, Clone)]
pub(super) struct RawCell {
    pub(super) content: Vec<Inline>,
    pub(super) span: Span,
    pub(super) marker: Option<Marker>,
}

/// The marker a cell's source text is (`\^^` or `**^^**` are text, not markers).
pub(super) fn marker(source: &str) -> Option<Marker> {
    match source.trim().trim_matches('|').trim() {
        "<<" => Some(Marker::Left),
        "^^" => Some(Marker::Up),
        _ => None,
    }
}

/// Row and column of a position in the grid the source writes.
type Pos = (usize, usize);

/// The rows with spans resolved and covered positions removed; with the errors
/// found. A table with any bad span keeps every cell as written, one by one, so
/// that the rest of the book can still be checked.
pub(super) fn resolve(
    rows: Vec<Vec<RawCell>>,
    header_rows: usize,
) -> (Vec<Vec<Cell>>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let owners = owners(&rows, header_rows, &mut diags);
    let mut spans = HashMap::new();
    if diags.is_empty() {
        spans = rectangles(&rows, &owners, &mut diags);
    }
    let out = if diags.is_empty() {
        rows.into_iter()
            .enumerate()
            .map(|(r, row)| {
                row.into_iter()
                    .enumerate()
                    .filter(|&(c, _)| owners[r][c] == (r, c))
                    .map(|(c, raw)| {
                        let (colspan, rowspan) =
                            spans.get(&(r, c)).copied().unwrap_or((1, 1));
                        Cell { content: raw.content, colspan, rowspan, span: raw.span }
                    })
                    .collect()
            })
            .collect()
    } else {
        rows.into_iter()
            .map(|row| {
                row.into_iter().map(|raw| Cell::new(raw.content, raw.span)).collect()
            })
            .collect()
    };
    (out, diags)
}

/// The origin each position belongs to: its own for a plain cell, the one its
/// marker continues otherwise. Markers with nothing to continue are errors.
fn owners(
    rows: &[Vec<RawCell>],
    header_rows: usize,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<Pos>> {
    let mut owners: Vec<Vec<Pos>> = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let mut line: Vec<Pos> = Vec::with_capacity(row.len());
        for (c, cell) in row.iter().enumerate() {
            let owner = match cell.marker {
                None => (r, c),
                Some(Marker::Left) => match line.last() {
                    Some(&owner) => owner,
                    None => {
                        diags.push(bad(cell, "a `<<` in the first column has no cell to its left to continue", "write the cell's text here, or remove the `<<`"));
                        (r, c)
                    }
                },
                Some(Marker::Up) => {
                    let above = r
                        .checked_sub(1)
                        .and_then(|up| owners.get(up))
                        .and_then(|line| line.get(c));
                    match above {
                        None if r == 0 => {
                            diags.push(bad(cell, "a `^^` in the table's first row has no cell above it to continue", "write the cell's text here, or remove the `^^`"));
                            (r, c)
                        }
                        _ if r == header_rows && header_rows > 0 => {
                            diags.push(bad(cell, "a `^^` in the first row under the head would merge a body cell into the head", "the head is its own rows: write the cell's text here"));
                            (r, c)
                        }
                        Some(&owner) => owner,
                        None => {
                            diags.push(bad(
                                cell,
                                "a `^^` with no cell above it to continue",
                                "give every row the same number of cells",
                            ));
                            (r, c)
                        }
                    }
                }
            };
            line.push(owner);
        }
        owners.push(line);
    }
    owners
}

/// Bad spans reported per table: the first ones show what to fix; a table that
/// is wrong everywhere need not list every cell.
const MAX_ERRORS: usize = 10;

/// The `(colspan, rowspan)` of every merged cell by its origin, each checked to cover a
/// rectangle: its first row's run of positions times its first column's.
fn rectangles(
    rows: &[Vec<RawCell>],
    owners: &[Vec<Pos>],
    diags: &mut Vec<Diagnostic>,
) -> HashMap<Pos, (u32, u32)> {
    // Per origin: how many positions it owns, and the last row and column of them.
    let mut stats: HashMap<Pos, (usize, usize, usize)> = HashMap::new();
    for (r, line) in owners.iter().enumerate() {
        for (c, &o) in line.iter().enumerate() {
            let entry = stats.entry(o).or_insert((0, r, c));
            *entry = (entry.0 + 1, entry.1.max(r), entry.2.max(c));
        }
    }
    let owner = |(r, c): Pos| owners.get(r).and_then(|line| line.get(c)).copied();
    let mut out = HashMap::new();
    let mut origins: Vec<_> = stats.into_iter().filter(|&(_, (n, _, _))| n > 1).collect();
    origins.sort_unstable_by_key(|&(at, _)| at);
    for (at, (n, last_r, last_c)) in origins {
        let (r, c) = at;
        let width = (c..).take_while(|&cc| owner((r, cc)) == Some(at)).count();
        let height = (r..).take_while(|&rr| owner((rr, c)) == Some(at)).count();
        if n == width * height && last_r < r + height && last_c < c + width {
            out.insert(at, (count(width), count(height)));
        } else if diags.len() < MAX_ERRORS {
            diags.push(not_a_rectangle(rows, owners, at, width, height));
        }
    }
    out
}

/// The error at the first position, in reading order, that breaks the merged cell
/// at `at` (`width` × `height` as its first row and column say).
fn not_a_rectangle(
    rows: &[Vec<RawCell>],
    owners: &[Vec<Pos>],
    at: Pos,
    width: usize,
    height: usize,
) -> Diagnostic {
    let (r, c) = at;
    let inside =
        |(rr, cc): Pos| (r..r + height).contains(&rr) && (c..c + width).contains(&cc);
    let culprit = owners
        .iter()
        .enumerate()
        .skip(r)
        .flat_map(|(rr, line)| line.iter().enumerate().map(move |(cc, &o)| ((rr, cc), o)))
        .find(|&(pos, o)| (o == at) != inside(pos));
    let ((rr, cc), o) = culprit.unwrap_or((at, at));
    let cell = &rows[rr][cc];
    if o == at {
        bad(
            cell,
            format!(
                "this marker makes the cell merged from row {} column {} not a rectangle",
                r + 1,
                c + 1
            ),
            "a merged cell covers whole rows and columns: `<<` along its first row, `^^` in every position of the rows below",
        )
    } else {
        bad(
            cell,
            format!(
                "this cell lies inside the cell merged from row {} column {}",
                r + 1,
                c + 1
            ),
            "write `^^` (or `<<` in the merged cell's first row) here, or split the merged cell",
        )
    }
}

/// A span count: rows and columns are cells of one table held in memory.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn bad(cell: &RawCell, message: impl Into<String>, hint: &str) -> Diagnostic {
    Diagnostic::error("bad-span", message).with_span(cell.span.clone()).with_hint(hint)
}
