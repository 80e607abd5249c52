//! A PDF read back with lopdf, independently of Typst: its pages' text, outline,
//! page labels and metadata.
//!
//! Two commands read PDFs: `check --pdf` verifies a built book against its toc.json
//! ([`crate::check::pdf`]), and `import` takes an old edition's text from the PDF it
//! was published as ([`crate::import::pdf`]).

use std::path::Path;

use lopdf::{Document, Object};

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

    /// The 1-based numbers of the pages, in order.
    pub fn page_numbers(&self) -> impl Iterator<Item = u32> + '_ {
        self.doc.get_pages().into_keys()
    }

    /// The text of a 1-based page. A page whose text cannot be extracted (no
    /// ToUnicode map, an image) reads as empty: each caller judges the text it got
    /// (import refuses a PDF that yields no Chinese text, a check finds titles missing).
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
