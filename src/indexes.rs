//! The back-matter indexes: 按发文机关索引, 按成文日期索引, 按文号索引.
//!
//! A printed 汇编 is looked up by issuer and by date as often as by title. Each index
//! is computed here from the book's metadata as plain groups of entries; the template
//! sets them after the body with each entry's page from the real layout, like the
//! 目录, and `toc.json` records those pages so that `check --pdf` can verify them.
//! Which indexes an edition has is `indexes = [...]` in its manifest (default none).
//!
//! Orders are fixed so that a build is reproducible and a reader can predict them:
//! issuers in the order the book first names them (the categories' order, which the
//! editors chose), entries by date then title; dates ascending; 文号 grouped by the
//! issuer's code (京政发, 京政办发, …) in the book's first-seen order, then by year and
//! serial. What lacks the key (no issuer, date or 文号) is listed last under its own
//! heading, never left out: an index that silently drops a policy misleads.

use std::collections::HashMap;

use serde::Serialize;

use crate::book::{Book, Policy};
use crate::edition::Date;

/// Which index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IndexKind {
    /// 按发文机关索引: by issuing body (a joint document under each of its issuers).
    Issuer,
    /// 按成文日期索引: by date of the document.
    Date,
    /// 按文号索引: by document number, grouped by the issuer's code.
    Number,
}

impl IndexKind {
    /// Reads the manifest's word.
    pub fn parse(word: &str) -> Option<IndexKind> {
        match word.trim() {
            "issuer" => Some(IndexKind::Issuer),
            "date" => Some(IndexKind::Date),
            "number" => Some(IndexKind::Number),
            _ => None,
        }
    }

    /// The heading the book prints.
    pub fn title(self) -> &'static str {
        match self {
            IndexKind::Issuer => "按发文机关索引",
            IndexKind::Date => "按成文日期索引",
            IndexKind::Number => "按文号索引",
        }
    }

    /// The anchor id of the index (PDF label, HTML page, toc.json).
    pub fn id(self) -> &'static str {
        match self {
            IndexKind::Issuer => "index-issuer",
            IndexKind::Date => "index-date",
            IndexKind::Number => "index-number",
        }
    }
}

/// One generated index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Index {
    /// Which index.
    pub kind: IndexKind,
    /// Anchor id.
    pub id: &'static str,
    /// Printed heading.
    pub title: &'static str,
    /// Groups in order.
    pub groups: Vec<Group>,
}

/// A run of entries under one heading (an issuer, a month, a 文号 code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The group's heading.
    pub heading: String,
    /// Its entries in order.
    pub entries: Vec<Entry>,
}

/// One line of an index: a policy, what it is indexed by, and (in the book) its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The policy's id: its page comes from the layout.
    pub policy: String,
    /// Printed before the title: the date or the 文号; `None` when the group says it.
    pub key: Option<String>,
    /// The policy's title.
    pub title: String,
}

/// The indexes the edition asks for, in the manifest's order.
pub fn build(book: &Book) -> Vec<Index> {
    book.meta
        .indexes
        .iter()
        .map(|&kind| Index {
            kind,
            id: kind.id(),
            title: kind.title(),
            groups: match kind {
                IndexKind::Issuer => by_issuer(book),
                IndexKind::Date => by_date(book),
                IndexKind::Number => by_number(book),
            },
        })
        .collect()
}

fn entry(policy: &Policy, key: Option<String>) -> Entry {
    Entry { policy: policy.id.clone(), key, title: policy.meta.title.clone() }
}

/// Groups in first-seen order; `rest` (entries without the key) last, if any.
fn grouped<'a>(
    keyed: impl Iterator<Item = (String, &'a Policy)>,
    mut order: impl FnMut(&Policy) -> (Option<Date>, String),
    key_of: impl Fn(&Policy) -> Option<String>,
    rest: (&str, Vec<&'a Policy>),
) -> Vec<Group> {
    let mut groups: Vec<(String, Vec<&Policy>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (heading, policy) in keyed {
        let i = *at.entry(heading.clone()).or_insert_with(|| {
            groups.push((heading, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(policy);
    }
    if !rest.1.is_empty() {
        groups.push((rest.0.to_string(), rest.1));
    }
    groups
        .into_iter()
        .map(|(heading, mut policies)| {
            // Undated last: `None` sorts first, so compare on (is_none, date).
            policies.sort_by_cached_key(|p| {
                let (date, tie) = order(p);
                (date.is_none(), date, tie)
            });
            Group {
                heading,
                entries: policies.iter().map(|p| entry(p, key_of(p))).collect(),
            }
        })
        .collect()
}

fn by_issuer(book: &Book) -> Vec<Group> {
    let keyed = book
        .policies()
        .flat_map(|p| p.meta.issuer.iter().map(move |issuer| (issuer.clone(), p)));
    let rest = book.policies().filter(|p| p.meta.issuer.is_empty()).collect();
    grouped(
        keyed,
        |p| (p.meta.date, p.meta.title.clone()),
        |p| p.meta.date.map(|d| d.chinese()),
        ("未注明发文机关", rest),
    )
}

fn by_date(book: &Book) -> Vec<Group> {
    let mut dated: Vec<&Policy> =
        book.policies().filter(|p| p.meta.date.is_some()).collect();
    dated.sort_by_key(|p| (p.meta.date, p.meta.title.clone()));
    let keyed = dated.into_iter().filter_map(|p| {
        let d = p.meta.date?;
        Some((format!("{}年{}月", d.year, d.month), p))
    });
    let rest = book.policies().filter(|p| p.meta.date.is_none()).collect();
    grouped(
        keyed,
        |p| (p.meta.date, p.meta.title.clone()),
        |p| p.meta.date.map(|d| d.chinese()),
        ("未注明成文日期", rest),
    )
}

fn by_number(book: &Book) -> Vec<Group> {
    let keyed = book
        .policies()
        .filter_map(|p| Some((number_parts(p.meta.number.as_deref()?)?.0, p)));
    let rest = book
        .policies()
        .filter(|p| p.meta.number.as_deref().and_then(number_parts).is_none())
        .collect();
    let mut groups = grouped(
        keyed,
        |p| (None, p.meta.title.clone()),
        |p| p.meta.number.clone(),
        ("无文号", rest),
    );
    for group in &mut groups {
        group.entries.sort_by_key(|e| {
            let parts = e.key.as_deref().and_then(number_parts);
            (
                parts.is_none(),
                parts.map(|(_, year, serial)| (year, serial)),
                e.title.clone(),
            )
        });
    }
    groups
}

/// `京政发〔2021〕24号` → (`京政发`, 2021, 24).
fn number_parts(number: &str) -> Option<(String, u32, u32)> {
    let (code, rest) = number.split_once('〔')?;
    let (year, rest) = rest.split_once('〕')?;
    let serial = rest.strip_suffix('号')?;
    Some((code.to_string(), year.parse().ok()?, serial.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_split_into_code_year_and_serial() {
        assert_eq!(number_parts("京政发〔2021〕24号"), Some(("京政发".into(), 2021, 24)));
        assert_eq!(number_parts("京政发〔2021〕号"), None);
        assert_eq!(number_parts("第3号"), None);
    }

    #[test]
    fn kinds_read_and_name() {
        assert_eq!(IndexKind::parse("issuer"), Some(IndexKind::Issuer));
        assert_eq!(IndexKind::parse("title"), None);
        assert_eq!(IndexKind::Number.title(), "按文号索引");
    }
}
