//! `huibian check --pdf`: read the built PDF back, independently of Typst, and check
//! that it says what `toc.json` says.
//!
//! Typst computed the pages; this module trusts none of that. It opens the PDF file
//! with lopdf and compares, entry by entry: the page count, each bookmark's page, the
//! printed page labels, and the numbers printed on the 目录 pages next to each title.
//! Any mismatch is a finding naming the entry, so an editor never ships a book whose
//! table of contents points to the wrong page.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::pdf_reader::{Bookmark, PdfReader};
use crate::toc::Toc;

/// Reads `<dir>/<id>.pdf` and `<dir>/toc.json` and reports every disagreement. `Err`
/// when either is missing or unreadable: there is nothing to verify.
pub fn check_outputs(
    dir: &Path,
    id: &str,
    diags: &mut Diagnostics,
) -> anyhow::Result<()> {
    let toc_path = dir.join("toc.json");
    let pdf_path = dir.join(format!("{id}.pdf"));
    if !toc_path.is_file() || !pdf_path.is_file() {
        anyhow::bail!(
            "{} or {} is missing: run `huibian build` first",
            pdf_path.display(),
            toc_path.display()
        );
    }
    let toc = Toc::read(&toc_path)?;
    let pdf = PdfReader::open(&pdf_path)?;
    for problem in verify(&pdf, &toc) {
        diags.push(
            Diagnostic::error("pdf-mismatch", format!("{}: {problem}", pdf_path.display()))
                .with_hint("rebuild with `huibian build`; if it persists, the template mislabels a heading"),
        );
    }
    Ok(())
}

/// Removes whitespace and invisible joiners: PDF text extraction breaks lines where
/// the layout did, and Typst puts a word joiner (U+2060) before outline page numbers.
pub fn compact(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            !c.is_whitespace() && !matches!(c, '\u{2060}' | '\u{200B}' | '\u{FEFF}')
        })
        .collect()
}

/// Compares the PDF with its `toc.json`. Returns one message per mismatch.
pub fn verify(pdf: &PdfReader, toc: &Toc) -> Vec<String> {
    let mut problems = Vec::new();
    let pages = pdf.page_count();
    if pages != toc.pages as usize {
        problems.push(format!("the PDF has {pages} pages, toc.json says {}", toc.pages));
    }

    // Bookmarks: the TOC's entries appear in the outline in order, at their level.
    let marks = pdf.bookmarks();
    let mut next = 0;
    for entry in &toc.entries {
        let title = compact(&entry.display_title());
        match marks[next..].iter().position(|m| compact(&m.title) == title) {
            Some(found) => {
                let mark = &marks[next + found];
                next += found + 1;
                if mark.page != entry.page as usize {
                    problems.push(format!(
                        "{}: the bookmark goes to page {}, toc.json says {}",
                        entry.title, mark.page, entry.page
                    ));
                }
                if mark.level != usize::from(entry.level) {
                    problems.push(format!(
                        "{}: the bookmark is at level {}, toc.json says {}",
                        entry.title, mark.level, entry.level
                    ));
                }
            }
            None => problems.push(format!("{}: no bookmark in the PDF", entry.title)),
        }
    }

    // Page labels of the PDF against the entries' printed numbers.
    let labels = pdf.page_labels();
    for entry in &toc.entries {
        let actual =
            labels.get(entry.page as usize - 1).map(String::as_str).unwrap_or("");
        if actual != entry.page_label {
            problems.push(format!(
                "{}: page {} is labelled `{actual}` in the PDF, toc.json says `{}`",
                entry.title, entry.page, entry.page_label
            ));
        }
        // The title is on the page toc.json names.
        if entry.level <= 2 {
            let text = compact(&pdf.text(entry.page));
            if !text.contains(&compact(&entry.display_title())) {
                problems
                    .push(format!("{}: not found on page {}", entry.title, entry.page));
            }
        }
    }

    problems.extend(verify_printed_toc(pdf, toc, &marks));
    for list in &toc.lists {
        problems.extend(verify_printed_list(pdf, list, &marks));
    }
    problems
}

/// The text lines of the pages `pages`, compacted, without the lines of leader dots
/// alone (extraction gives them one per line; a title may end in `1.` and keeps it)
/// and without blank ones.
fn printed_lines(pdf: &PdfReader, pages: std::ops::Range<usize>) -> Vec<String> {
    let mut lines = Vec::new();
    for page in pages {
        for line in pdf.text(page as u32).lines() {
            let line = compact(line);
            if !line.chars().all(|c| matches!(c, '.' | '…' | '·')) {
                lines.push(line);
            }
        }
    }
    lines
}

/// The numbers printed after each line of a generated list (本期变化, an index), read
/// from the pages between its bookmark and the next one.
fn verify_printed_list(
    pdf: &PdfReader,
    list: &crate::toc::PagedList,
    marks: &[Bookmark],
) -> Vec<String> {
    let start = list.page as usize;
    let end = marks
        .iter()
        .map(|m| m.page)
        .filter(|&p| p > start)
        .min()
        .unwrap_or(pdf.page_count() + 1);
    let lines = printed_lines(pdf, start..end);
    let mut problems = Vec::new();
    let mut next = 0;
    for entry in &list.entries {
        let text = compact(&entry.text);
        let mut joined = String::new();
        let found = (next..lines.len()).find(|&j| {
            joined.push_str(&lines[j]);
            joined.contains(&text)
        });
        let Some(j) = found else {
            problems.push(format!("{}: {} is not listed there", list.title, entry.text));
            continue;
        };
        // The number follows the text on its line (after the leaders) or on the next.
        let tail = joined
            .rsplit_once(text.as_str())
            .map(|(_, rest)| rest.trim_start_matches(['.', '…', '·']).to_string())
            .unwrap_or_default();
        let (printed, used) = if tail.is_empty() {
            (
                lines
                    .get(j + 1)
                    .map(|l| l.trim_start_matches(['.', '…', '·']).to_string())
                    .unwrap_or_default(),
                j + 2,
            )
        } else {
            (tail, j + 1)
        };
        if printed != entry.page_label {
            problems.push(format!(
                "{}: prints page `{printed}` for {}, but it is on page `{}`",
                list.title, entry.text, entry.page_label
            ));
        }
        next = used;
    }
    problems
}

/// The numbers printed after each title on the 目录 pages. Extraction gives a title's
/// lines, its dot leaders, then the page number on a line of its own.
fn verify_printed_toc(pdf: &PdfReader, toc: &Toc, marks: &[Bookmark]) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(start) = marks.iter().find(|m| compact(&m.title) == "目录").map(|m| m.page)
    else {
        return vec!["the PDF has no 目录 bookmark".to_string()];
    };
    // The 目录 runs until the page of the first entry (or just its own page).
    let end = toc.entries.first().map_or(start, |e| e.page as usize).max(start + 1);
    let lines = printed_lines(pdf, start..end);
    let mut next = 0;
    for entry in toc.entries.iter().filter(|e| e.level <= 2) {
        let title = compact(&entry.display_title());
        let mut joined = String::new();
        let found = (next..lines.len()).find(|&j| {
            joined.push_str(&lines[j]);
            joined.contains(&title)
        });
        let Some(j) = found else {
            problems.push(format!("{}: not listed on the 目录 pages", entry.title));
            continue;
        };
        let printed = lines.get(j + 1).map(String::as_str).unwrap_or("");
        if printed != entry.page_label {
            problems.push(format!(
                "{}: the 目录 prints page `{printed}`, but it is on page `{}`",
                entry.title, entry.page_label
            ));
        }
        next = j + 2;
    }
    problems
}
