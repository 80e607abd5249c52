//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lopdf::{Document, Object};

/// The repository root; commands run here so that `templates/` is the project's.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// Runs `huibian` with `args` in the repository root.
pub fn huibian(args: &[&str]) -> Output {
    huibian_in(&root(), args)
}

/// Runs `huibian` with `args` in `dir` (a project folder of a test's own).
pub fn huibian_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huibian"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("running huibian")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Builds the edition folder `edition` into `out`, asserting success; returns the PDF path.
pub fn build_ok(edition: &Path, out: &Path) -> PathBuf {
    let output = huibian(&["build", path_str(edition), "--out", path_str(out)]);
    assert!(output.status.success(), "build failed:\n{}", stderr(&output));
    let id = edition.file_name().unwrap().to_str().unwrap();
    out.join(id).join(format!("{id}.pdf"))
}

/// A path as `&str` (test paths are UTF-8).
pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Removes all whitespace: PDF text extraction breaks lines where the layout did.
pub fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A built PDF, read back independently of Typst.
pub struct Pdf {
    doc: Document,
}

/// One bookmark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bookmark {
    pub level: usize,
    pub title: String,
    pub page: usize,
}

impl Pdf {
    pub fn open(path: &Path) -> Self {
        Self { doc: Document::load(path).expect("a readable PDF") }
    }

    pub fn page_count(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// Text of a 1-based page.
    pub fn text(&self, page: u32) -> String {
        self.doc.extract_text(&[page]).unwrap_or_default()
    }

    /// All text, whitespace removed.
    pub fn compact_text(&self) -> String {
        (1..=self.page_count() as u32).map(|p| compact(&self.text(p))).collect()
    }

    pub fn bookmarks(&self) -> Vec<Bookmark> {
        let toc = self.doc.get_toc().expect("the PDF has bookmarks");
        toc.toc
            .into_iter()
            .map(|t| Bookmark { level: t.level, title: t.title, page: t.page })
            .collect()
    }

    fn info(&self, key: &[u8]) -> Option<String> {
        let info = self.doc.trailer.get(b"Info").ok()?;
        let dict = match info {
            Object::Reference(id) => self.doc.get_dictionary(*id).ok()?,
            Object::Dictionary(dict) => dict,
            _ => return None,
        };
        lopdf::decode_text_string(dict.get(key).ok()?).ok()
    }

    pub fn title(&self) -> Option<String> {
        self.info(b"Title")
    }

    pub fn author(&self) -> Option<String> {
        self.info(b"Author")
    }

    /// The printed label of every page, from the catalog's /PageLabels number tree
    /// (empty string for a page without a label).
    pub fn page_labels(&self) -> Vec<String> {
        let catalog = self.doc.catalog().expect("catalog");
        let labels = match catalog.get(b"PageLabels") {
            Ok(Object::Reference(id)) => {
                self.doc.get_dictionary(*id).expect("labels").clone()
            }
            Ok(Object::Dictionary(dict)) => dict.clone(),
            _ => return vec![String::new(); self.page_count()],
        };
        let nums = match labels.get(b"Nums").expect("Nums") {
            Object::Array(nums) => nums.clone(),
            Object::Reference(id) => {
                self.doc.get_object(*id).unwrap().as_array().unwrap().clone()
            }
            other => panic!("unexpected Nums {other:?}"),
        };
        let mut ranges = Vec::new();
        for pair in nums.chunks(2) {
            let start = pair[0].as_i64().unwrap() as usize;
            let dict = match &pair[1] {
                Object::Reference(id) => self.doc.get_dictionary(*id).unwrap().clone(),
                Object::Dictionary(dict) => dict.clone(),
                other => panic!("unexpected label {other:?}"),
            };
            let style =
                dict.get(b"S").ok().and_then(|s| s.as_name().ok()).map(|n| n.to_vec());
            let first =
                dict.get(b"St").ok().and_then(|s| s.as_i64().ok()).unwrap_or(1) as usize;
            ranges.push((start, style, first));
        }
        (0..self.page_count())
            .map(|page| {
                let Some((start, style, first)) =
                    ranges.iter().rev().find(|r| r.0 <= page)
                else {
                    return String::new();
                };
                let n = first + page - start;
                match style.as_deref() {
                    Some(b"D") => n.to_string(),
                    Some(b"r") => roman(n),
                    _ => String::new(),
                }
            })
            .collect()
    }
}

fn roman(mut n: usize) -> String {
    let table = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")];
    let mut out = String::new();
    for (value, digits) in table {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}
