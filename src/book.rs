//! Stage 3, ASSEMBLE: a loaded [`Edition`] with parsed bodies → [`Book`], the one
//! value every renderer reads.
//!
//! This is where generated numbers and identifiers are decided: categories are
//! numbered 1, 2, … in manifest order (editors never type them), and each policy gets
//! a stable id (its front matter `id`, else its file path) that names its anchor in
//! the PDF and, later, in HTML and diffs.

use std::collections::{HashMap, HashSet};

use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::{Edition, EditionMeta, PolicyMeta, TextFile};
use crate::markdown::{self, Block, Doc, InlineKind};
use crate::source::{SourceId, Sources, Span};

/// The whole book, ready to render.
#[derive(Debug, Clone)]
pub struct Book {
    /// Edition id (`2021-Q4`).
    pub id: String,
    /// Title, subtitle, publisher, dates, style.
    pub meta: EditionMeta,
    /// 引言, if any.
    pub intro: Option<Text>,
    /// Categories in book order.
    pub categories: Vec<Category>,
}

/// A numbered category.
#[derive(Debug, Clone)]
pub struct Category {
    /// 1-based number, printed as `1.`.
    pub number: u32,
    /// Anchor id, `c1`, `c2`, ….
    pub id: String,
    /// Title without number.
    pub title: String,
    /// Text the category carries, if any.
    pub body: Option<Text>,
    /// Its policies.
    pub policies: Vec<Policy>,
}

/// A Markdown text without policy metadata.
#[derive(Debug, Clone)]
pub struct Text {
    /// Title from its front matter, if any.
    pub title: Option<String>,
    /// The parsed body.
    pub doc: Doc,
    /// Where it came from.
    pub source: SourceId,
    /// Path relative to the edition folder.
    pub path: String,
}

/// One policy document.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Stable id, unique in the book.
    pub id: String,
    /// Front matter.
    pub meta: PolicyMeta,
    /// The parsed body.
    pub doc: Doc,
    /// Where it came from.
    pub source: SourceId,
    /// Path relative to the edition folder.
    pub path: String,
}

impl Policy {
    /// The policy's first-level sections (`## 一、…`) with their ids, `<policy>-s1`,
    /// `-s2`, …: the anchors the PDF bookmarks, the TOC and HTML share.
    pub fn sections(&self) -> Vec<(String, &Block)> {
        sections(&self.doc, &self.id)
    }
}

/// First-level headings of a document and their ids under `owner`.
pub fn sections<'a>(doc: &'a Doc, owner: &str) -> Vec<(String, &'a Block)> {
    doc.blocks
        .iter()
        .filter(|b| matches!(b, Block::Heading { level: 1, .. }))
        .enumerate()
        .map(|(i, block)| (format!("{owner}-s{}", i + 1), block))
        .collect()
}

impl Book {
    /// Every policy, in book order.
    pub fn policies(&self) -> impl Iterator<Item = &Policy> {
        self.categories.iter().flat_map(|c| c.policies.iter())
    }
}

/// Parses every body and numbers the book. Duplicate policy ids are errors.
pub fn assemble(edition: &Edition, sources: &Sources, diags: &mut Diagnostics) -> Book {
    let text = |file: &TextFile, diags: &mut Diagnostics| Text {
        title: file.title.clone(),
        doc: markdown::parse(sources, file.source, file.body.clone(), diags),
        source: file.source,
        path: file.path.clone(),
    };
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut categories = Vec::new();
    for (index, category) in edition.categories.iter().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let body = category.body.as_ref().map(|file| text(file, diags));
        let mut policies = Vec::new();
        for file in &category.policies {
            let id = file.meta.id.clone().unwrap_or_else(|| id_from_path(&file.path));
            if let Some(first) = ids.insert(id.clone(), file.path.clone()) {
                diags.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("policy id `{id}` is also used by {first}"),
                    )
                    .with_span(Span::new(file.source, 0..0))
                    .with_hint("give one of them another `id:` in its front matter"),
                );
            }
            policies.push(Policy {
                id,
                meta: file.meta.clone(),
                doc: markdown::parse(sources, file.source, file.body.clone(), diags),
                source: file.source,
                path: file.path.clone(),
            });
        }
        categories.push(Category {
            number,
            id: format!("c{number}"),
            title: category.title.clone(),
            body,
            policies,
        });
    }
    let book = Book {
        id: edition.id.clone(),
        meta: edition.meta.clone(),
        intro: edition.intro.as_ref().map(|file| text(file, diags)),
        categories,
    };
    check_references(&book, diags);
    book
}

/// The destination id of a cross-reference link (`[…](#id)`), if it is one.
pub fn reference_target(dest: &str) -> Option<&str> {
    dest.strip_prefix('#').filter(|id| !id.is_empty())
}

/// Every id a cross-reference may name: categories, policies, their sections.
pub fn anchor_ids(book: &Book) -> HashSet<String> {
    let mut ids = HashSet::new();
    for category in &book.categories {
        ids.insert(category.id.clone());
        for policy in &category.policies {
            ids.insert(policy.id.clone());
            ids.extend(policy.sections().into_iter().map(|(id, _)| id));
        }
    }
    ids
}

/// A cross-reference to an id the book does not have is an error at the link.
fn check_references(book: &Book, diags: &mut Diagnostics) {
    let ids = anchor_ids(book);
    let texts =
        book.intro.iter().chain(book.categories.iter().filter_map(|c| c.body.as_ref()));
    let docs = texts.map(|t| &t.doc).chain(book.policies().map(|p| &p.doc));
    for doc in docs {
        markdown::walk_inlines(&doc.blocks, &mut |inline| {
            if let InlineKind::Link { dest, .. } = &inline.kind
                && let Some(id) = reference_target(dest)
                && !ids.contains(id)
            {
                diags.push(
                    Diagnostic::error(
                        "unknown-reference",
                        format!("no policy or section has the id `{id}`"),
                    )
                    .with_span(inline.span.clone())
                    .with_label("cross-reference to an unknown id")
                    .with_hint(
                        "`huibian toc <ED> --format json --depth 3` lists every id",
                    ),
                );
            }
        });
    }
}

/// `优化营商环境/强化节能.md` → `优化营商环境-强化节能`: readable, stable while the file
/// keeps its name, and valid as an HTML id and a Typst label.
fn id_from_path(path: &str) -> String {
    let stem = path.strip_suffix(".md").unwrap_or(path);
    stem.chars()
        .map(|c| if c == '/' || c == '\\' || c.is_whitespace() { '-' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::id_from_path;

    #[test]
    fn ids_from_paths() {
        assert_eq!(id_from_path("优化营商环境/强化 节能.md"), "优化营商环境-强化-节能");
    }
}
