//! 本期变化: what changed since the previous edition, as a generated page.
//!
//! `previous = "2021-Q3"` in edition.toml names the edition before. Its book is
//! loaded like any other (through [`crate::load`], refusing what `build` refuses),
//! matched against this one by the diff engine ([`crate::diff::align`]: same id, 文号,
//! title, or mostly the same text), and sorted into three lists:
//! - 新增: policies this edition has and the previous did not;
//! - 修订: policies in both whose text changed (a 修订 keeps its 文号 or title);
//! - 失效/废止: policies of the previous edition that this one no longer prints, or
//!   prints marked 失效 or 废止.
//!
//! The template sets the page after the 目录 with each entry's page in this book
//! (policies no longer printed have none); the site gets the same page.

use serde::Serialize;

use crate::book::{Book, Policy};
use crate::diff::{align, policy_at as at};
use crate::validity::Status;

/// The page's anchor id in the PDF, the site and `toc.json`.
pub const ID: &str = "changes";

/// The page's heading.
pub const TITLE: &str = "本期变化";

/// The 本期变化 of an edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// The previous edition's id.
    pub previous: String,
    /// Its title with subtitle, as the page names it (`…汇编（2021年四季度）`).
    pub previous_title: String,
    /// 新增.
    pub added: Vec<ChangeEntry>,
    /// 修订.
    pub revised: Vec<ChangeEntry>,
    /// 失效/废止.
    pub voided: Vec<ChangeEntry>,
}

/// One line of the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeEntry {
    /// The policy's id in this book; `None` for a policy no longer printed.
    pub policy: Option<String>,
    /// Its title (this edition's, or the previous one's when gone).
    pub title: String,
    /// Its 文号, if any.
    pub number: Option<String>,
    /// Why it is listed, for 失效/废止 (`已失效`, `已废止`, `本期不再收录`).
    pub note: Option<String>,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.revised.is_empty() && self.voided.is_empty()
    }

    /// Every entry printed with a page of this book, in page order of the lists.
    pub fn paged(&self) -> impl Iterator<Item = &ChangeEntry> {
        self.added
            .iter()
            .chain(&self.revised)
            .chain(&self.voided)
            .filter(|e| e.policy.is_some())
    }
}

/// Compares `book` with the edition before it.
pub fn between(previous: &Book, book: &Book) -> Changes {
    let alignment = align::align(previous, book, false);
    let here = |p: &Policy, note: Option<&str>| ChangeEntry {
        policy: Some(p.id.clone()),
        title: p.meta.title.clone(),
        number: p.meta.number.clone(),
        note: note.map(str::to_string),
    };
    let added = alignment.added.iter().map(|&p| here(at(book, p), None)).collect();
    let mut revised = Vec::new();
    let mut voided = Vec::new();
    for pair in &alignment.pairs {
        let (old, new) = (at(previous, pair.old), at(book, pair.new));
        let was_void = old.validity.status.is_void();
        match new.validity.status {
            Status::Expired if !was_void => voided.push(here(new, Some("已失效"))),
            Status::Repealed if !was_void => voided.push(here(new, Some("已废止"))),
            _ if pair.similarity < 1.0 => revised.push(here(new, None)),
            _ => {}
        }
    }
    for &p in &alignment.removed {
        let old = at(previous, p);
        if old.validity.status.is_void() {
            continue; // already void in the previous edition: no change now
        }
        voided.push(ChangeEntry {
            policy: None,
            title: old.meta.title.clone(),
            number: old.meta.number.clone(),
            note: Some(removed_note(old, book).to_string()),
        });
    }
    let previous_title = match &previous.meta.subtitle {
        Some(sub) => format!("{}（{sub}）", previous.meta.title),
        None => previous.meta.title.clone(),
    };
    Changes { previous: previous.id.clone(), previous_title, added, revised, voided }
}

/// Why a policy of the previous edition is gone: a policy of this book repeals it,
/// its term ended, or the editors took it out.
fn removed_note(old: &Policy, book: &Book) -> &'static str {
    let repealed = book
        .policies()
        .any(|p| p.meta.repeals.iter().any(|r| crate::validity::names(r, &old.meta)));
    if repealed || !old.meta.repealed_by.is_empty() {
        return "已废止";
    }
    match (old.meta.expires, book.meta.period) {
        (Some(expires), Some((first, _))) if expires < first => "已失效",
        _ => "本期不再收录",
    }
}
