//! `huibian check --pdf`: read the built PDF back, independently of Typst, and check
//! that it says what `toc.json` says.
//!
//! Typst computed the pages; this module trusts none of that. It opens the PDF file
//! with lopdf and compares, entry by entry: the page count, each bookmark's page, the
//! printed page labels, and the numbers printed on the 目录 pages next to each title.
//! Any mismatch is a finding naming the entry, so an editor never ships a book whose
//! table of contents points to the wrong page.

use std::path::Path;

use lopdf::{Document, Object};

use crate::toc::Toc;

/// A PDF opened for reading back.
pub struct PdfReader {
    doc: Document,
}

/// One bookmark of the PDF outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bookmark {
    /// Nesting level, 1-based.
    pub level: usize,
    /// Title.
    pub title: String,
    /// Destination page, 1-based.
    pub page: usize,
}

impl PdfReader {
    /// Opens a PDF file.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let doc = Document::load(path)
            .map_err(|e| anyhow::anyhow!("reading {} as PDF: {e}", path.display()))?;
        Ok(Self { doc })
    }

    /// Number of pages.
    pub fn page_count(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// The text of a 1-based page (empty if it cannot be extracted).
    pub fn text(&self, page: u32) -> String {
        self.doc.extract_text(&[page]).unwrap_or_default()
    }

    /// The outline (bookmarks) in order; empty if the PDF has none.
    pub fn bookmarks(&self) -> Vec<Bookmark> {
        match self.doc.get_toc() {
            Ok(toc) => toc
                .toc
                .into_iter()
                .map(|t| Bookmark { level: t.level, title: t.title, page: t.page })
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    fn info(&self, key: &[u8]) -> Option<String> {
        let dict = match self.doc.trailer.get(b"Info").ok()? {
            Object::Reference(id) => self.doc.get_dictionary(*id).ok()?,
            Object::Dictionary(dict) => dict,
            _ => return None,
        };
        lopdf::decode_text_string(dict.get(key).ok()?).ok()
    }

    /// The document title from the PDF metadata.
    pub fn title(&self) -> Option<String> {
        self.info(b"Title")
    }

    /// The document author from the PDF metadata.
    pub fn author(&self) -> Option<String> {
        self.info(b"Author")
    }

    fn resolve<'a>(&'a self, object: &'a Object) -> Option<&'a Object> {
        match object {
            Object::Reference(id) => self.doc.get_object(*id).ok(),
            other => Some(other),
        }
    }

    /// The label printed on every page, from the catalog's /PageLabels number tree
    /// (an empty string for a page without one).
    pub fn page_labels(&self) -> Vec<String> {
        let count = self.page_count();
        let ranges = self.label_ranges().unwrap_or_default();
        (0..count)
            .map(|page| {
                let Some((start, style, first)) =
                    ranges.iter().rev().find(|r| r.0 <= page)
                else {
                    return String::new();
                };
                let n = first + (page - start);
                match style.as_deref() {
                    Some(b"D") => n.to_string(),
                    Some(b"r") => roman(n),
                    Some(b"R") => roman(n).to_uppercase(),
                    _ => String::new(),
                }
            })
            .collect()
    }

    fn label_ranges(&self) -> Option<Vec<LabelRange>> {
        let catalog = self.doc.catalog().ok()?;
        let labels = self.resolve(catalog.get(b"PageLabels").ok()?)?.as_dict().ok()?;
        let nums = self.resolve(labels.get(b"Nums").ok()?)?.as_array().ok()?;
        let mut ranges = Vec::new();
        for pair in nums.chunks(2) {
            let [start, dict] = pair else { continue };
            let start = usize::try_from(start.as_i64().ok()?).ok()?;
            let dict = self.resolve(dict)?.as_dict().ok()?;
            let style =
                dict.get(b"S").ok().and_then(|s| s.as_name().ok()).map(<[u8]>::to_vec);
            let first = dict.get(b"St").ok().and_then(|s| s.as_i64().ok()).unwrap_or(1);
            ranges.push((start, style, usize::try_from(first).unwrap_or(1)));
        }
        Some(ranges)
    }
}

/// A run of page labels: (first page index, style name such as `D` or `r`, first number).
type LabelRange = (usize, Option<Vec<u8>>, usize);

fn roman(mut n: usize) -> String {
    let table = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in table {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
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
    let mut lines = Vec::new();
    for page in start..end {
        for line in pdf.text(page as u32).lines() {
            let line = compact(line);
            // Leader dots come one per line; a title may end in `1.` and keeps it.
            if !line.chars().all(|c| matches!(c, '.' | '…' | '·')) {
                lines.push(line);
            }
        }
    }
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
