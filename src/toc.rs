//! Stage 6, TOC: [`Book`] + [`PageMap`] → [`Toc`], the regenerated table of contents
//! and the source of truth for page references (`toc.json`).
//!
//! One entry per category, policy and first-level section, each with the physical
//! page the laid-out PDF put it on and the number printed there. Nothing here is typed
//! by an editor or guessed: a heading the PDF lacks is an error, not a blank.

use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::cjk::is_cjk;
use crate::markdown::{Block, plain_text};
use crate::typeset::query::PageMap;

/// The table of contents as `toc.json` holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Toc {
    /// Edition id.
    pub edition: String,
    /// Book title.
    pub title: String,
    /// The PDF's file name, beside `toc.json`.
    pub pdf: String,
    /// Number of pages in the PDF.
    pub pages: u32,
    /// Entries in book order.
    pub entries: Vec<TocEntry>,
    /// The generated lists that print page numbers besides the 目录 (本期变化, the
    /// indexes), with the page of each line, for `check --pdf` and the site.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<PagedList>,
    /// The pages the 目录 itself takes, where the template marks them. The next
    /// build hands the count to the template, which then lays the book out in one pass
    /// fewer (see `typeset::LayoutHint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contents: Option<crate::typeset::query::Contents>,
}

/// A generated page of policies with their page numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PagedList {
    /// Its anchor id (`changes`, `index-issuer`, …).
    pub id: String,
    /// Its heading.
    pub title: String,
    /// Physical page it starts on.
    pub page: u32,
    /// The lines that print a page number, in print order.
    pub entries: Vec<PagedLine>,
}

/// One line of a [`PagedList`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PagedLine {
    /// The text printed before the leaders (date or 文号, then the title).
    pub text: String,
    /// The policy's id.
    pub id: String,
    /// Physical page of the policy.
    pub page: u32,
    /// Its printed number.
    pub page_label: String,
}

/// One line of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    /// 1 category, 2 policy, 3 section.
    pub level: u8,
    /// What the entry is.
    pub kind: EntryKind,
    /// The category number (categories only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Title as printed (categories without their number).
    pub title: String,
    /// Physical page in the PDF, 1-based.
    pub page: u32,
    /// The number printed on that page.
    pub page_label: String,
    /// Anchor id, shared by the PDF, HTML and diffs.
    pub id: String,
    /// Source file, relative to the edition folder (policies only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The kinds of TOC entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A numbered category.
    Category,
    /// A policy document.
    Policy,
    /// A policy's first-level section.
    Section,
    /// A back-matter index (按发文机关索引, …).
    Index,
}

/// Builds the TOC. `Err` lists the ids the laid-out document does not contain (a
/// template that drops a label), so a wrong page is never written.
pub fn build(book: &Book, map: &PageMap) -> Result<Toc, Vec<String>> {
    let mut entries = Vec::new();
    let mut missing = Vec::new();
    let mut push =
        |level, kind, number, title: String, id: &str, source: Option<String>| match map
            .get(id)
        {
            Some(anchor) => entries.push(TocEntry {
                level,
                kind,
                number,
                title,
                page: anchor.page,
                page_label: anchor.label.clone(),
                id: id.to_string(),
                source,
            }),
            None => missing.push(id.to_string()),
        };
    for category in &book.categories {
        let number = Some(category.number.to_string());
        push(1, EntryKind::Category, number, category.title.clone(), &category.id, None);
        for policy in &category.policies {
            let source = Some(policy.path.clone());
            push(
                2,
                EntryKind::Policy,
                None,
                policy_title(book, policy),
                &policy.id,
                source,
            );
            for (id, block) in policy.sections() {
                if let Block::Heading { content, .. } = block {
                    push(3, EntryKind::Section, None, plain_text(content), &id, None);
                }
            }
        }
    }
    for index in &book.indexes {
        push(1, EntryKind::Index, None, index.title.to_string(), index.id, None);
    }
    let lists = paged_lists(book, map, &mut missing);
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(Toc {
        edition: book.id.clone(),
        title: book.meta.title.clone(),
        pdf: format!("{}.pdf", book.id),
        pages: map.pages,
        entries,
        lists,
        contents: map.contents,
    })
}

/// A policy's title as its heading prints it: with its validity mark, if any.
fn policy_title(book: &Book, policy: &crate::book::Policy) -> String {
    match book.mark(policy) {
        Some(mark) => format!("{}{mark}", policy.meta.title),
        None => policy.meta.title.clone(),
    }
}

/// 本期变化 and the indexes, each line with the page of its policy.
fn paged_lists(book: &Book, map: &PageMap, missing: &mut Vec<String>) -> Vec<PagedList> {
    let mut lists = Vec::new();
    let mut list = |id: &str, title: &str, lines: Vec<(String, &str)>| {
        let Some(anchor) = map.get(id) else {
            missing.push(id.to_string());
            return;
        };
        let mut entries = Vec::new();
        for (text, policy) in lines {
            match map.get(policy) {
                Some(at) => entries.push(PagedLine {
                    text,
                    id: policy.to_string(),
                    page: at.page,
                    page_label: at.label.clone(),
                }),
                None => missing.push(policy.to_string()),
            }
        }
        lists.push(PagedList {
            id: id.to_string(),
            title: title.to_string(),
            page: anchor.page,
            entries,
        });
    };
    if let Some(changes) = &book.changes {
        let lines = changes
            .paged()
            .filter_map(|e| Some((e.title.clone(), e.policy.as_deref()?)))
            .collect();
        list(crate::changes::ID, crate::changes::TITLE, lines);
    }
    for index in &book.indexes {
        let lines = index
            .groups
            .iter()
            .flat_map(|g| &g.entries)
            .map(|e| {
                let text = match &e.key {
                    Some(key) => format!("{key}　{}", e.title),
                    None => e.title.clone(),
                };
                (text, e.policy.as_str())
            })
            .collect();
        list(index.id, index.title, lines);
    }
    lists
}

impl Toc {
    /// The TOC as `toc.json` (pretty, with a final newline).
    #[expect(
        clippy::expect_used,
        reason = "a Toc is strings and numbers with string keys: serde_json cannot fail on it"
    )]
    pub fn to_json(&self) -> String {
        let mut json =
            serde_json::to_string_pretty(self).expect("a Toc always serialises to JSON");
        json.push('\n');
        json
    }

    /// Reads the `toc.json` a build wrote. `build --only html`, `check --pdf` and `toc`
    /// all read it through here, so that a missing or foreign file reads the same
    /// way everywhere.
    pub fn read(path: &std::path::Path) -> anyhow::Result<Toc> {
        use anyhow::Context;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not a huibian toc.json", path.display()))
    }

    /// The TOC as a terminal would print a book's 目录: titles, dot leaders, page
    /// labels, aligned for CJK text (two columns a character). `depth` limits levels.
    pub fn to_text(&self, depth: u8) -> String {
        const WIDTH: usize = 78;
        let mut out = String::new();
        for entry in self.entries.iter().filter(|e| e.level <= depth) {
            let indent = "  ".repeat(usize::from(entry.level - 1));
            let title = entry.display_title();
            let used = indent.len() + columns(&title) + entry.page_label.len() + 2;
            let dots = ".".repeat(WIDTH.saturating_sub(used).max(3));
            out.push_str(&format!("{indent}{title} {dots} {}\n", entry.page_label));
        }
        out
    }

    /// The TOC as a nested Markdown list with page labels.
    pub fn to_markdown(&self, depth: u8) -> String {
        let mut out = format!("# {}\n\n", self.title);
        for entry in self.entries.iter().filter(|e| e.level <= depth) {
            let indent = "  ".repeat(usize::from(entry.level - 1));
            let title = entry.display_title();
            let title = if entry.level == 1 { format!("**{title}**") } else { title };
            out.push_str(&format!("{indent}- {title} …… {}\n", entry.page_label));
        }
        out
    }
}

impl TocEntry {
    /// The title as the book prints it: categories with their number (`1.优化营商环境`).
    pub fn display_title(&self) -> String {
        match &self.number {
            Some(number) => format!("{number}.{}", self.title),
            None => self.title.clone(),
        }
    }
}

/// Terminal columns: CJK characters take two.
fn columns(text: &str) -> usize {
    text.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum()
}
