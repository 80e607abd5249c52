//! The extracted text as space-separated words, and the page furniture among them.
//!
//! Every space in the extracted text is either a lost line break or a real space
//! (around digits and Latin). Keeping the words apart, each with its byte offset,
//! lets the later stages measure line lengths and report positions in the input.

use super::ImportReport;
use crate::cjk::is_cjk;

/// One space-separated word of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tok {
    /// The word.
    pub(crate) text: String,
    /// Byte offset in the input, for warnings.
    pub(crate) off: usize,
    /// Whether a page number followed this word: the last word of a page, which
    /// always ends a printed line.
    pub(crate) page_end: bool,
}

/// Display width in half-em units: CJK and the ASCII stand-ins for full-width marks
/// take a full em, digits and Latin half of one.
pub(crate) fn width(s: &str) -> usize {
    s.chars().map(|c| if is_cjk(c) || ",:;()?!".contains(c) { 2 } else { 1 }).sum()
}

/// Splits the input into words; a line that is only a `.pdf` file name (the
/// extractor's banner) is dropped.
pub(crate) fn tokenize(text: &str, report: &mut ImportReport) -> Vec<Tok> {
    let base = text.as_ptr() as usize;
    let mut out = Vec::new();
    for line in text.lines() {
        let bare = line.trim().trim_start_matches('\u{feff}');
        if bare.to_ascii_lowercase().ends_with(".pdf") && !bare.contains(' ') {
            report.repair("file_name_line", 1);
            continue;
        }
        for word in line.split_whitespace() {
            let word = word.trim_start_matches('\u{feff}');
            if word.is_empty() {
                continue;
            }
            out.push(Tok {
                text: word.to_string(),
                off: word.as_ptr() as usize - base,
                page_end: false,
            });
        }
    }
    out
}

/// Whether a word is a bare number, as a page number is.
/// Marks a page number that the PDF reader knows for one (it stood alone at the foot
/// or head of its page): `\u{E000}12`. Read as the number it carries wherever a
/// number is read, and always taken for a page number. Only the PDF reader writes it,
/// and every one is removed with the page numbers.
pub(crate) const FOLIO_MARK: char = '\u{E000}';

/// Whether `s` is a page number the PDF reader marked ([`FOLIO_MARK`]).
pub(crate) fn is_marked_folio(s: &str) -> bool {
    s.starts_with(FOLIO_MARK) && as_number(s).is_some()
}

pub(crate) fn as_number(s: &str) -> Option<usize> {
    let s = s.strip_prefix(FOLIO_MARK).unwrap_or(s);
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A page number found in the body: the index of the first word after it in the
/// stripped body, and the printed number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Marker {
    /// Index into the stripped body of the word that followed the page number.
    pub(crate) next: usize,
    /// The printed page number.
    pub(crate) page: usize,
}

/// The least text a page can hold between two page numbers before a number that looks
/// like the next page number is believed: "等 20 个以上行业" must not end page 19.
const MIN_PAGE_WIDTH: usize = 200;
/// More than this much text without the expected page number means a number is
/// missing: the following one is then accepted.
const MAX_PAGE_WIDTH: usize = 2400;

/// Removes the page numbers, which run in sequence from `first_page` at the foot of
/// each page. A bare number is taken for the next page number only when enough text
/// lies between it and the last one.
pub(crate) fn strip_page_numbers(
    tokens: &[Tok],
    first_page: usize,
    report: &mut ImportReport,
) -> (Vec<Tok>, Vec<Marker>) {
    let mut out: Vec<Tok> = Vec::with_capacity(tokens.len());
    let mut markers = Vec::new();
    let mut expected = first_page;
    let mut since = 0usize;
    // The word right before the body often is the 目录's own last page number.
    let mut start = 0;
    if let Some(first) = tokens.first()
        && as_number(&first.text).is_some_and(|n| n + 1 == first_page)
    {
        report.repair("page_number", 1);
        start = 1;
    }
    for (i, tok) in tokens.iter().enumerate().skip(start) {
        if let Some(n) = as_number(&tok.text) {
            let last = i + 1 == tokens.len();
            // A page number the PDF reader found at its page's foot is one, however
            // little text the page holds.
            let marked = is_marked_folio(&tok.text);
            let fits = marked || (n == expected && (since >= MIN_PAGE_WIDTH || last));
            let skipped = n == expected + 1 && since >= MAX_PAGE_WIDTH;
            if fits || skipped {
                if skipped {
                    report.warn(tok.off, format!("page number {expected} not found"));
                }
                if let Some(prev) = out.last_mut() {
                    prev.page_end = true;
                }
                markers.push(Marker { next: out.len(), page: n });
                report.repair("page_number", 1);
                expected = n + 1;
                since = 0;
                continue;
            }
        }
        since += width(&tok.text) + 1;
        out.push(tok.clone());
    }
    (out, markers)
}

/// Removes a running header: the same word right after most page numbers.
pub(crate) fn strip_running_headers(
    body: Vec<Tok>,
    markers: &mut [Marker],
    report: &mut ImportReport,
) -> Vec<Tok> {
    if markers.len() < 3 {
        return body;
    }
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for m in markers.iter() {
        if let Some(t) = body.get(m.next) {
            *counts.entry(t.text.as_str()).or_insert(0) += 1;
        }
    }
    let header = counts
        .iter()
        .filter(|(word, n)| {
            **n >= 3 && **n * 2 > markers.len() && word.chars().count() >= 4
        })
        .map(|(word, _)| word.to_string())
        .next();
    let Some(header) = header else { return body };
    let drop: std::collections::BTreeSet<usize> = markers
        .iter()
        .filter(|m| body.get(m.next).is_some_and(|t| t.text == header))
        .map(|m| m.next)
        .collect();
    report.repair("running_header", drop.len());
    for m in markers.iter_mut() {
        m.next -= drop.range(..m.next).count();
    }
    body.into_iter()
        .enumerate()
        .filter(|(i, _)| !drop.contains(i))
        .map(|(_, t)| t)
        .collect()
}
