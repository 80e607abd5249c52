//! The search index: character bigrams over paragraphs, built at build time, so that
//! a phrase search works for Chinese text (which has no spaces between words).
//!
//! Every top-level block of every page (and each policy's title) is one *paragraph*
//! of the index, with its page, its section and its anchor. For each bigram (two
//! adjacent letters or digits; Han characters are letters) the index lists the
//! paragraphs containing it. A query term (the query split at spaces) matches a
//! paragraph when all its bigrams are in the paragraph and the term occurs in the
//! paragraph's text (punctuation included); all terms must match.
//! Characters are folded before comparing: full-width ASCII to ASCII, ASCII to lower
//! case (one character for one, so positions in the text stay valid for snippets).
//!
//! The site carries the index as `search-index.js`, a script assigning
//! `window.HUIBIAN_SEARCH` (readers open the site from disk, where `fetch` fails):
//! ```text
//! { "v": 1,
//!   "pages":    [[file, title, owner], …],          owner: the ids' prefix
//!   "sections": [[page, suffix, title], …],         anchor: owner-suffix ("" = owner)
//!   "paras":    [[section, suffix, text], …],
//!   "grams":    { "专精": [delta-coded paragraph numbers], … } }
//! ```
//! `templates/html/search.js` is the search itself; the testsuite runs it on this
//! index (`tests/testsuite/search_js.rs`).

use std::collections::HashMap;

use serde::Serialize;

use super::HtmlError;
use super::context::{INDEX, INTRO, Links, block_ids};
use crate::book::Book;
use crate::markdown::{Block, Doc, plain_text};

/// The search index of a book.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    /// `(file, title, owner)` of each page.
    pub pages: Vec<(String, String, String)>,
    /// `(page, anchor suffix, title)` of each section; the first of a page has no title.
    pub sections: Vec<(usize, String, String)>,
    /// `(section, anchor suffix, text)` of each paragraph.
    pub paras: Vec<(usize, String, String)>,
    /// Each bigram with its ascending paragraph numbers, delta-coded, in the order of
    /// the bigrams' characters (the order of their UTF-8 text).
    grams: Vec<((char, char), Vec<usize>)>,
}

/// The version of the index's format, which search.js checks.
const FORMAT: u32 = 1;

/// The character as search compares it (search.js folds the same way).
fn fold(c: char) -> char {
    let c = match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// A multiply-rotate hash for bigram keys: the index hashes every bigram of the book,
/// and the default (DoS-resistant) hasher was a fifth of the build's HTML work. The
/// keys are the book's own text, and the worst a crafted text can do is slow its own
/// build.
#[derive(Default, Clone, Copy)]
struct PairHash;

impl std::hash::BuildHasher for PairHash {
    type Hasher = PairHasher;
    fn build_hasher(&self) -> PairHasher {
        PairHasher(0)
    }
}

struct PairHasher(u64);

impl std::hash::Hasher for PairHasher {
    /// The product's well-mixed high bits, turned to where the table looks first.
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u32(u32::from(byte));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 =
            (self.0.rotate_left(5) ^ u64::from(n)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// Calls `each` with every bigram of `text` as search compares it: two adjacent
/// folded characters that are both indexed, repeats included.
fn for_each_pair(text: &str, mut each: impl FnMut(char, char)) {
    let mut last = None;
    for c in text.chars().map(fold) {
        if !indexed(c) {
            last = None;
            continue;
        }
        if let Some(first) = last {
            each(first, c);
        }
        last = Some(c);
    }
}

/// A letter or digit; the common Han block is tested first, as the general Unicode
/// lookup is slow for it and it is nearly all of the text.
fn indexed(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric()
}

impl SearchIndex {
    /// Builds the index of the book's pages.
    pub(crate) fn build(book: &Book, links: &Links<'_>) -> Result<Self, HtmlError> {
        let mut index = SearchIndex {
            pages: Vec::new(),
            sections: Vec::new(),
            paras: Vec::new(),
            grams: Vec::new(),
        };
        if let Some(intro) = &book.intro {
            let title = intro.title.clone().unwrap_or_else(|| "引言".to_string());
            index.add_page(INDEX, &title, INTRO, None, &intro.doc);
        }
        for category in &book.categories {
            if let Some(body) = &category.body {
                let file = links.page_file(&category.id)?;
                let title = format!("{}.{}", category.number, category.title);
                index.add_page(file, &title, &category.id, None, &body.doc);
            }
            for policy in &category.policies {
                let file = links.page_file(&policy.id)?;
                let title = &policy.meta.title;
                index.add_page(file, title, &policy.id, Some(title), &policy.doc);
            }
        }
        // A book of a few hundred pages has some tens of thousands of bigrams.
        let mut postings: HashMap<(char, char), Vec<usize>, PairHash> =
            HashMap::with_capacity_and_hasher(1 << 15, PairHash);
        for (n, (_, _, text)) in index.paras.iter().enumerate() {
            for_each_pair(text, |a, b| {
                let list = postings.entry((a, b)).or_default();
                // Paragraphs come in order, so a repeat is always the last entry.
                if list.last() != Some(&n) {
                    list.push(n);
                }
            });
        }
        let mut grams: Vec<_> = postings.into_iter().collect();
        grams.sort_unstable_by_key(|&(pair, _)| pair);
        for (_, list) in &mut grams {
            let mut last = 0;
            for n in list {
                (*n, last) = (*n - last, *n);
            }
        }
        index.grams = grams;
        Ok(index)
    }

    fn add_page(
        &mut self,
        file: &str,
        title: &str,
        owner: &str,
        head: Option<&str>,
        doc: &Doc,
    ) {
        let page = self.pages.len();
        self.pages.push((file.to_string(), title.to_string(), owner.to_string()));
        self.sections.push((page, String::new(), String::new()));
        if let Some(head) = head {
            self.paras.push((self.sections.len() - 1, String::new(), head.to_string()));
        }
        for (block, id) in doc.blocks.iter().zip(block_ids(doc, owner)) {
            let suffix = id.strip_prefix(owner).unwrap_or(&id).trim_start_matches('-');
            let text = block_text(block);
            if let Block::Heading { level: 1, .. } = block {
                self.sections.push((page, suffix.to_string(), text.clone()));
            }
            if !text.trim().is_empty() {
                self.paras.push((self.sections.len() - 1, suffix.to_string(), text));
            }
        }
    }

    /// The index as the script the site loads. The bigram lists, most of it, are
    /// written here: through a map of strings they cost as much as building them.
    pub fn to_script(&self) -> Result<String, HtmlError> {
        let mut out = String::with_capacity(self.paras.len() * 200);
        out.push_str("window.HUIBIAN_SEARCH = {\"v\":");
        out.push_str(itoa::Buffer::new().format(FORMAT));
        out.push_str(",\"pages\":");
        out.push_str(&json(&self.pages)?);
        out.push_str(",\"sections\":");
        out.push_str(&json(&self.sections)?);
        out.push_str(",\"paras\":");
        out.push_str(&json(&self.paras)?);
        out.push_str(",\"grams\":{");
        let mut number = itoa::Buffer::new();
        for (i, ((a, b), deltas)) in self.grams.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            // Letters and digits only (`indexed`): nothing in a key needs escaping.
            out.push('"');
            out.push(*a);
            out.push(*b);
            out.push_str("\":[");
            for (j, delta) in deltas.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push_str(number.format(*delta));
            }
            out.push(']');
        }
        out.push_str("}};\n");
        Ok(out)
    }
}

/// `value` as JSON, for the parts of the index serde writes.
fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, HtmlError> {
    serde_json::to_string(value).map_err(HtmlError::SearchIndex)
}

/// The plain text of a block; the items, rows and cells of lists, quotes and tables
/// on lines of their own.
fn block_text(block: &Block) -> String {
    match block {
        Block::Heading { content, .. } | Block::Para { content, .. } => {
            plain_text(content)
        }
        Block::List { items, .. } => items
            .iter()
            .flat_map(|item| item.iter().map(block_text))
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Quote { blocks, .. } => {
            blocks.iter().map(block_text).collect::<Vec<_>>().join("\n")
        }
        Block::Table { rows, .. } => rows
            .iter()
            .map(|row| {
                row.iter().map(|c| plain_text(&c.content)).collect::<Vec<_>>().join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n"),
        // Its alt text is what a reader can search an image by.
        Block::Image { alt, .. } => alt.clone(),
        Block::Code { text, .. } => text.clone(),
        Block::Rule { .. } => String::new(),
    }
}

/// The search index of the book as `search-index.js`.
pub(crate) fn index_script(book: &Book, links: &Links<'_>) -> Result<String, HtmlError> {
    SearchIndex::build(book, links)?.to_script()
}
