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

/// A file a PDF carries as an attachment (its `/EmbeddedFiles`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its name in the PDF (`/UF`, else `/F`, else its key in the name tree).
    pub name: String,
    /// Its bytes, decompressed.
    pub bytes: Vec<u8>,
}

/// How much of a PDF's attachments is read: a PDF is hostile until checked.
#[derive(Debug, Clone, Copy)]
pub struct AttachmentLimits {
    /// Files read at most; more is an error.
    pub files: usize,
    /// Bytes of one file at most, decompressed.
    pub file_bytes: usize,
    /// Bytes of all files at most.
    pub total_bytes: usize,
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

    /// The files the PDF carries, in the order of its name tree; empty when it carries
    /// none. An attachment that does not read (a broken stream, a missing file
    /// specification) is an error, as is one over `limits`: nothing is taken from a
    /// PDF half-read.
    pub fn attachments(
        &self,
        limits: AttachmentLimits,
    ) -> anyhow::Result<Vec<Attachment>> {
        let Some(tree) = (|| {
            let catalog = self.doc.catalog().ok()?;
            let names = self.resolve(catalog.get(b"Names").ok()?)?.as_dict().ok()?;
            self.resolve(names.get(b"EmbeddedFiles").ok()?)
        })() else {
            return Ok(Vec::new());
        };
        let mut pairs = Vec::new();
        self.name_tree(tree, 0, &mut pairs)?;
        let mut out: Vec<Attachment> = Vec::new();
        let mut total = 0usize;
        for (key, spec) in pairs {
            anyhow::ensure!(
                out.len() < limits.files,
                "the PDF carries more than {} attached files",
                limits.files
            );
            let spec =
                self.resolve(spec).and_then(|s| s.as_dict().ok()).ok_or_else(|| {
                    anyhow::anyhow!("attachment {key}: no file specification")
                })?;
            let name = [b"UF".as_slice(), b"F"]
                .iter()
                .find_map(|k| {
                    spec.get(k).ok().and_then(|v| lopdf::decode_text_string(v).ok())
                })
                .unwrap_or(key);
            let stream = spec
                .get(b"EF")
                .ok()
                .and_then(|ef| self.resolve(ef))
                .and_then(|ef| ef.as_dict().ok())
                .and_then(|ef| ef.get(b"F").ok())
                .and_then(|f| self.resolve(f))
                .and_then(|f| f.as_stream().ok())
                .ok_or_else(|| anyhow::anyhow!("attachment {name}: no embedded file"))?;
            let bytes = if stream.dict.get(b"Filter").is_ok() {
                stream
                    .decompressed_content_with_limit(limits.file_bytes)
                    .map_err(|e| anyhow::anyhow!("attachment {name}: {e}"))?
            } else {
                stream.content.clone()
            };
            anyhow::ensure!(
                bytes.len() <= limits.file_bytes,
                "attachment {name} is larger than {} bytes",
                limits.file_bytes
            );
            total += bytes.len();
            anyhow::ensure!(
                total <= limits.total_bytes,
                "the PDF's attachments are larger than {} bytes in all",
                limits.total_bytes
            );
            out.push(Attachment { name, bytes });
        }
        Ok(out)
    }

    /// The (key, value) pairs of a name tree, depth-first; a tree deeper than 32 (a
    /// loop, or a hostile file) is an error.
    fn name_tree<'a>(
        &'a self,
        node: &'a Object,
        depth: usize,
        out: &mut Vec<(String, &'a Object)>,
    ) -> anyhow::Result<()> {
        anyhow::ensure!(depth < 32, "the PDF's attachment list nests too deep");
        let Ok(node) = node.as_dict() else { return Ok(()) };
        if let Some(names) = node
            .get(b"Names")
            .ok()
            .and_then(|n| self.resolve(n))
            .and_then(|n| n.as_array().ok())
        {
            for pair in names.chunks(2) {
                if let [key, value] = pair {
                    let key = lopdf::decode_text_string(key).unwrap_or_default();
                    out.push((key, value));
                }
            }
        }
        if let Some(kids) = node
            .get(b"Kids")
            .ok()
            .and_then(|k| self.resolve(k))
            .and_then(|k| k.as_array().ok())
        {
            for kid in kids {
                if let Some(kid) = self.resolve(kid) {
                    self.name_tree(kid, depth + 1, out)?;
                }
            }
        }
        Ok(())
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
