//! The values the HTML templates read: typed views of the [`Book`], borrowing its
//! text, with every link and page reference already resolved.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::HtmlError;
use crate::book::{self, Book, Policy, Text};
use crate::markdown::{Block, Doc, Inline, InlineKind, plain_text};
use crate::toc::{Toc, TocEntry};

/// The owner of the 引言's ids (`intro-p1`, `intro-s1`).
pub(crate) const INTRO: &str = "intro";
/// The index page.
pub(crate) const INDEX: &str = "index.html";

/// Where every id of the book lives in the site, and its page in the PDF.
pub(crate) struct Links<'a> {
    /// `../<ID>.pdf`, when a PDF was built.
    pdf: Option<String>,
    /// Number of pages of the PDF.
    pages: Option<u32>,
    toc: HashMap<&'a str, &'a TocEntry>,
    /// id → the page file it is on.
    files: HashMap<String, String>,
    /// id → the title a cross-reference with no text shows.
    titles: HashMap<String, String>,
}

impl<'a> Links<'a> {
    pub(crate) fn new(book: &Book, toc: Option<&'a Toc>) -> Self {
        let mut files = HashMap::new();
        let mut titles = HashMap::new();
        let mut used: HashSet<String> = [
            "index",
            "search-index",
            "search",
            "style",
            "changes",
            "index-issuer",
            "index-date",
            "index-number",
        ]
        .map(String::from)
        .into();
        for (id, _) in
            book.intro.as_ref().map(|t| book::sections(&t.doc, INTRO)).unwrap_or_default()
        {
            files.insert(id, INDEX.to_string());
        }
        let mut n = 0;
        for category in &book.categories {
            let file = match &category.body {
                Some(body) => {
                    let file = format!("{}.html", category.id);
                    used.insert(category.id.to_lowercase());
                    for (id, block) in book::sections(&body.doc, &category.id) {
                        titles.insert(id.clone(), heading_text(block));
                        files.insert(id, file.clone());
                    }
                    file
                }
                None => INDEX.to_string(),
            };
            files.insert(category.id.clone(), file);
            titles.insert(
                category.id.clone(),
                format!("{}.{}", category.number, category.title),
            );
            for policy in &category.policies {
                n += 1;
                let file = policy_file(&policy.id, n, &mut used);
                for (id, block) in policy.sections() {
                    titles.insert(id.clone(), heading_text(block));
                    files.insert(id, file.clone());
                }
                titles.insert(policy.id.clone(), policy.meta.title.clone());
                files.insert(policy.id.clone(), file);
            }
        }
        Links {
            pdf: toc.map(|t| format!("../{}", t.pdf)),
            pages: toc.map(|t| t.pages),
            toc: toc
                .map(|t| t.entries.iter().map(|e| (e.id.as_str(), e)).collect())
                .unwrap_or_default(),
            files,
            titles,
        }
    }

    /// The page file an id is on (`index.html` for categories without a body).
    pub(crate) fn file(&self, id: &str) -> Option<&str> {
        self.files.get(id).map(String::as_str)
    }

    /// `file#id`, the link to an id from any page.
    pub(crate) fn href(&self, id: &str) -> Option<String> {
        self.file(id).map(|file| format!("{file}#{id}"))
    }

    /// The page file of a category, policy or section of the book. [`Links::new`]
    /// places every one of them, so a miss is a bug here; it is an error rather than
    /// an empty link in the site.
    pub(crate) fn page_file(&self, id: &str) -> Result<&str, HtmlError> {
        self.file(id).ok_or_else(|| HtmlError::NoPage(id.to_string()))
    }

    /// [`Links::href`] of a category, policy or section, which always has a page.
    pub(crate) fn page_href(&self, id: &str) -> Result<String, HtmlError> {
        Ok(format!("{}#{id}", self.page_file(id)?))
    }

    /// The printed page of an id and the link to its physical page in the PDF.
    pub(crate) fn page(&self, id: &str) -> Option<PageRef> {
        let pdf = self.pdf.as_ref()?;
        let entry = self.toc.get(id)?;
        Some(PageRef {
            label: entry.page_label.clone(),
            href: format!("{pdf}#page={}", entry.page),
        })
    }
}

/// A policy's page file: its id when that makes a plain file name (letters, digits,
/// Han, `-`, `_`), else `p<n>.html`.
fn policy_file(id: &str, n: usize, used: &mut HashSet<String>) -> String {
    let plain = !id.is_empty()
        && id.chars().count() <= 80
        && id.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && !is_category_id(id);
    let stem = if plain && !used.contains(&id.to_lowercase()) {
        id.to_string()
    } else {
        let mut stem = format!("p{n}");
        while used.contains(&stem) {
            stem.push('_');
        }
        stem
    };
    used.insert(stem.to_lowercase());
    format!("{stem}.html")
}

fn is_category_id(id: &str) -> bool {
    id.strip_prefix(['c', 'C']).is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
}

fn heading_text(block: &Block) -> String {
    match block {
        Block::Heading { content, .. } => plain_text(content),
        _ => String::new(),
    }
}

/// A page number printed in the PDF and the link to it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageRef {
    /// The number printed on the page (`27`).
    pub(crate) label: String,
    /// `../<ID>.pdf#page=<physical page>`.
    pub(crate) href: String,
}

/// Up to this many policies, every page's sidebar lists them all (a quarterly book
/// has 20–30). Beyond, each page would repeat the whole list: a 2,000-policy edition
/// made 2,000 pages of 113 KB (226 MB, 23 s to render), now one category's.
pub(crate) const FULL_TOC_POLICIES: usize = 300;

/// Book-wide values every page shows.
#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    id: &'a str,
    title: &'a str,
    subtitle: Option<&'a str>,
    publisher: Option<&'a str>,
    published: Option<String>,
    /// `../<ID>.pdf` when there is a PDF to download.
    pdf: Option<&'a str>,
    /// Pages in the PDF.
    pages: Option<u32>,
    /// `../<ID>-sources.zip`, the sources the PDF carries, when it carries them.
    sources: Option<String>,
    /// `[style] cjk_latin_spacing = true`: CSS puts space between Han and Latin.
    autospace: bool,
    /// The table of contents.
    toc: Vec<NavCategory<'a>>,
    /// Whether every page's sidebar lists every policy; beyond [`FULL_TOC_POLICIES`]
    /// a page lists the categories and its own category's policies only.
    full_toc: bool,
    /// The generated pages (本期变化, the indexes): (title, href), in book order.
    extra: Vec<(&'static str, String)>,
}

#[derive(Serialize)]
struct NavCategory<'a> {
    id: &'a str,
    number: u32,
    title: &'a str,
    href: String,
    /// Whether the category has a page of its own (it carries a body).
    own_page: bool,
    page: Option<PageRef>,
    policies: Vec<NavPolicy<'a>>,
}

#[derive(Serialize)]
struct NavPolicy<'a> {
    id: &'a str,
    title: &'a str,
    /// The validity mark (「已失效」, …) beside the title, as the 目录 prints it.
    mark: Option<&'a str>,
    href: String,
    page: Option<PageRef>,
    sections: Vec<NavSection>,
}

#[derive(Serialize)]
struct NavSection {
    id: String,
    title: String,
    href: String,
    page: Option<PageRef>,
}

pub(crate) fn site_view<'a>(
    book: &'a Book,
    links: &'a Links<'_>,
) -> Result<SiteView<'a>, HtmlError> {
    let autospace = book.meta.style_flag("cjk_latin_spacing", false);
    Ok(SiteView {
        id: &book.id,
        title: &book.meta.title,
        subtitle: book.meta.subtitle.as_deref(),
        publisher: book.meta.publisher.as_deref(),
        published: book.meta.published.map(|d| d.chinese()),
        pdf: links.pdf.as_deref(),
        pages: links.pages,
        sources: (links.pdf.is_some() && book.meta.pdf.embed_sources)
            .then(|| format!("../{}-sources.zip", book.id)),
        autospace,
        full_toc: book.policies().count() <= FULL_TOC_POLICIES,
        toc: book
            .categories
            .iter()
            .map(|c| {
                Ok(NavCategory {
                    id: &c.id,
                    number: c.number,
                    title: &c.title,
                    href: links.page_href(&c.id)?,
                    own_page: c.body.is_some(),
                    page: links.page(&c.id),
                    policies: c
                        .policies
                        .iter()
                        .map(|p| nav_policy(p, book, links))
                        .collect::<Result<_, _>>()?,
                })
            })
            .collect::<Result<_, HtmlError>>()?,
        extra: book
            .changes
            .iter()
            .map(|_| (crate::changes::TITLE, format!("{}.html", crate::changes::ID)))
            .chain(book.indexes.iter().map(|ix| (ix.title, format!("{}.html", ix.id))))
            .collect(),
    })
}

fn nav_policy<'a>(
    policy: &'a Policy,
    book: &Book,
    links: &Links<'_>,
) -> Result<NavPolicy<'a>, HtmlError> {
    Ok(NavPolicy {
        id: &policy.id,
        title: &policy.meta.title,
        mark: book.mark(policy),
        href: links.page_file(&policy.id)?.to_string(),
        page: links.page(&policy.id),
        sections: policy
            .sections()
            .into_iter()
            .map(|(id, block)| {
                Ok(NavSection {
                    title: heading_text(block),
                    href: links.page_href(&id)?,
                    page: links.page(&id),
                    id,
                })
            })
            .collect::<Result<_, HtmlError>>()?,
    })
}

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PageKind {
    /// `index.html`: cover, 引言, 目录.
    Index,
    /// A category's body (`c3.html`).
    Category,
    /// A policy.
    Policy,
    /// A generated list of policies: 本期变化 or an index.
    List,
}

/// One page of the site.
#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    pub(crate) kind: PageKind,
    /// The file name, relative to the site folder.
    pub(crate) file: String,
    /// The id of what the page shows (the TOC marks it), `index` for the index.
    current: &'a str,
    /// The `<title>`.
    title: String,
    prev: Option<PagerLink<'a>>,
    next: Option<PagerLink<'a>>,
    /// The 引言 (index page).
    intro: Option<TextView<'a>>,
    /// The category (a policy's, or the category page's own).
    category: Option<CategoryHead<'a>>,
    /// The policy (policy pages).
    policy: Option<PolicyView<'a>>,
    /// The list (本期变化 and index pages).
    list: Option<ListView>,
}

/// A generated page: groups of policies, each linked to its page and its PDF page.
#[derive(Serialize)]
struct ListView {
    /// Its anchor id (`changes`, `index-issuer`).
    id: String,
    /// Its heading.
    title: String,
    /// A line before the groups.
    lead: Option<String>,
    groups: Vec<ListGroup>,
}

#[derive(Serialize)]
struct ListGroup {
    heading: String,
    entries: Vec<ListEntry>,
}

#[derive(Serialize)]
struct ListEntry {
    /// Printed before the title: a date or a 文号.
    key: Option<String>,
    title: String,
    /// The policy's page in the site; `None` for a policy this edition no longer prints.
    href: Option<String>,
    page: Option<PageRef>,
    /// Why it is listed (`已失效`, `本期不再收录`).
    note: Option<String>,
}

#[derive(Serialize, Clone)]
struct PagerLink<'a> {
    href: String,
    title: Cow<'a, str>,
}

#[derive(Serialize)]
struct CategoryHead<'a> {
    id: &'a str,
    number: u32,
    title: &'a str,
    href: String,
    page: Option<PageRef>,
    body: Option<TextView<'a>>,
}

#[derive(Serialize)]
struct TextView<'a> {
    title: Option<&'a str>,
    blocks: Vec<BlockView<'a>>,
}

#[derive(Serialize)]
struct PolicyView<'a> {
    id: &'a str,
    title: &'a str,
    /// The validity mark beside the title, if any.
    mark: Option<&'a str>,
    /// 现行有效 / 已修订 / 失效 / 废止.
    status: &'static str,
    /// 施行日期 and 有效期至, when known.
    effective: Option<String>,
    expires: Option<String>,
    number: Option<&'a str>,
    issuer: &'a [String],
    date: Option<String>,
    excerpt: bool,
    page: Option<PageRef>,
    blocks: Vec<BlockView<'a>>,
}

/// Every page in reading order: the index, then per category its page (if it has a
/// body) and its policies, each with its prev/next neighbours.
pub(crate) fn pages<'a>(
    book: &'a Book,
    links: &'a Links<'_>,
) -> Result<Vec<PageView<'a>>, HtmlError> {
    let mut pages = vec![PageView {
        kind: PageKind::Index,
        file: INDEX.to_string(),
        current: "index",
        title: match &book.meta.subtitle {
            Some(sub) => format!("{}（{sub}）", book.meta.title),
            None => book.meta.title.clone(),
        },
        prev: None,
        next: None,
        intro: book.intro.as_ref().map(|t| text_view(t, INTRO, links)),
        category: None,
        policy: None,
        list: None,
    }];
    if let Some(changes) = &book.changes {
        pages.push(list_page(changes_view(changes, links)?));
    }
    for category in &book.categories {
        let href = links.page_href(&category.id)?;
        let head = |body| CategoryHead {
            id: &category.id,
            number: category.number,
            title: &category.title,
            href: href.clone(),
            page: links.page(&category.id),
            body,
        };
        if let Some(body) = &category.body {
            pages.push(PageView {
                kind: PageKind::Category,
                file: links.page_file(&category.id)?.to_string(),
                current: &category.id,
                title: format!("{}.{}", category.number, category.title),
                prev: None,
                next: None,
                intro: None,
                category: Some(head(Some(text_view(body, &category.id, links)))),
                policy: None,
                list: None,
            });
        }
        for policy in &category.policies {
            pages.push(PageView {
                kind: PageKind::Policy,
                file: links.page_file(&policy.id)?.to_string(),
                current: &policy.id,
                title: policy.meta.title.clone(),
                prev: None,
                next: None,
                intro: None,
                category: Some(head(None)),
                policy: Some(policy_view(policy, book, links)),
                list: None,
            });
        }
    }
    for index in &book.indexes {
        pages.push(list_page(index_view(index, links)?));
    }
    let neighbours: Vec<PagerLink<'a>> = pages
        .iter()
        .map(|p| PagerLink {
            href: p.file.clone(),
            title: if p.kind == PageKind::Index {
                Cow::Borrowed("封面与目录")
            } else {
                Cow::Owned(p.title.clone())
            },
        })
        .collect();
    for (i, page) in pages.iter_mut().enumerate() {
        page.prev = i.checked_sub(1).map(|j| neighbours[j].clone());
        page.next = neighbours.get(i + 1).cloned();
    }
    Ok(pages)
}

fn list_page<'a>(list: ListView) -> PageView<'a> {
    PageView {
        kind: PageKind::List,
        file: format!("{}.html", list.id),
        current: "list",
        title: list.title.clone(),
        prev: None,
        next: None,
        intro: None,
        category: None,
        policy: None,
        list: Some(list),
    }
}

fn list_entry(
    key: Option<String>,
    title: &str,
    policy: Option<&str>,
    note: Option<&str>,
    links: &Links<'_>,
) -> Result<ListEntry, HtmlError> {
    Ok(ListEntry {
        key,
        title: title.to_string(),
        href: policy.map(|id| links.page_file(id).map(str::to_string)).transpose()?,
        page: policy.and_then(|id| links.page(id)),
        note: note.map(str::to_string),
    })
}

fn changes_view(
    changes: &crate::changes::Changes,
    links: &Links<'_>,
) -> Result<ListView, HtmlError> {
    let group = |name: &str,
                 entries: &[crate::changes::ChangeEntry]|
     -> Result<ListGroup, HtmlError> {
        Ok(ListGroup {
            heading: format!("{name}（{}件）", entries.len()),
            entries: entries
                .iter()
                .map(|e| {
                    let note = if e.policy.is_none() { e.note.as_deref() } else { None };
                    list_entry(None, &e.title, e.policy.as_deref(), note, links)
                })
                .collect::<Result<_, _>>()?,
        })
    };
    Ok(ListView {
        id: crate::changes::ID.to_string(),
        title: crate::changes::TITLE.to_string(),
        lead: Some(format!("与《{}》相比，本期：", changes.previous_title)),
        groups: vec![
            group("新增", &changes.added)?,
            group("修订", &changes.revised)?,
            group("失效/废止", &changes.voided)?,
        ],
    })
}

fn index_view(
    index: &crate::indexes::Index,
    links: &Links<'_>,
) -> Result<ListView, HtmlError> {
    Ok(ListView {
        id: index.id.to_string(),
        title: index.title.to_string(),
        lead: None,
        groups: index
            .groups
            .iter()
            .map(|g| {
                Ok(ListGroup {
                    heading: g.heading.clone(),
                    entries: g
                        .entries
                        .iter()
                        .map(|e| {
                            list_entry(
                                e.key.clone(),
                                &e.title,
                                Some(&e.policy),
                                None,
                                links,
                            )
                        })
                        .collect::<Result<_, HtmlError>>()?,
                })
            })
            .collect::<Result<_, HtmlError>>()?,
    })
}

fn text_view<'a>(text: &'a Text, owner: &str, links: &Links<'_>) -> TextView<'a> {
    TextView { title: text.title.as_deref(), blocks: doc_blocks(&text.doc, owner, links) }
}

fn policy_view<'a>(policy: &'a Policy, book: &Book, links: &Links<'_>) -> PolicyView<'a> {
    let printed = book.printed(policy);
    PolicyView {
        id: &policy.id,
        title: &policy.meta.title,
        mark: book.mark(policy),
        status: policy.validity.status.label(),
        effective: policy.meta.effective.map(|d| d.chinese()),
        expires: policy.meta.expires.map(|d| d.chinese()),
        number: printed.number,
        issuer: printed.issuer,
        date: printed.date.map(|d| d.chinese()),
        excerpt: policy.meta.excerpt,
        page: links.page(&policy.id),
        blocks: doc_blocks(&policy.doc, &policy.id, links),
    }
}

/// The id of each top-level block of a document: first-level headings get the
/// section ids of [`book::sections`] (`<owner>-s1`, …), every other block
/// `<owner>-p<n>`, n its 1-based position in the document. Search links to these.
pub(crate) fn block_ids(doc: &Doc, owner: &str) -> Vec<String> {
    let mut section = 0;
    doc.blocks
        .iter()
        .enumerate()
        .map(|(i, block)| match block {
            Block::Heading { level: 1, .. } => {
                section += 1;
                format!("{owner}-s{section}")
            }
            _ => format!("{owner}-p{}", i + 1),
        })
        .collect()
}

/// A block as the templates render it. Every block has an id; nested blocks get
/// `<parent>-<k>`.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum BlockView<'a> {
    Heading {
        id: String,
        /// The HTML heading level: 2 for a first-level section (the page's title is
        /// the `<h1>`), down to 5.
        tag: u8,
        content: Vec<InlineView<'a>>,
        page: Option<PageRef>,
    },
    Para {
        id: String,
        content: Vec<InlineView<'a>>,
    },
    List {
        id: String,
        start: Option<u64>,
        items: Vec<BlockView<'a>>,
    },
    /// One list item (a kind of its own so the templates recurse with `loop`).
    Item {
        blocks: Vec<BlockView<'a>>,
    },
    Quote {
        id: String,
        blocks: Vec<BlockView<'a>>,
    },
    Table {
        id: String,
        head: Vec<Vec<CellView<'a>>>,
        rows: Vec<Vec<CellView<'a>>>,
    },
    /// An image: `src` is its path in the site (the edition folder's, which the
    /// site copies), percent-encoded.
    Image {
        id: String,
        src: String,
        alt: &'a str,
    },
    Code {
        id: String,
        text: &'a str,
    },
    Rule {
        id: String,
    },
}

/// A table cell; `colspan`/`rowspan` only when more than 1, so a table without
/// merged cells renders as before.
#[derive(Serialize)]
struct CellView<'a> {
    colspan: Option<u32>,
    rowspan: Option<u32>,
    content: Vec<InlineView<'a>>,
}

/// Characters of a site path written as they are in `src`: unreserved ones and `/`.
const PATH_KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The `src` of an image at `path` in the site: a `#`, `?` or space in a file name
/// must not end the URL.
pub(crate) fn image_src(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH_KEEP).to_string()
}

/// Inline content; text is escaped by the templates.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum InlineView<'a> {
    Text {
        text: Cow<'a, str>,
    },
    Strong {
        content: Vec<InlineView<'a>>,
    },
    Emph {
        content: Vec<InlineView<'a>>,
    },
    Strike {
        content: Vec<InlineView<'a>>,
    },
    Code {
        text: &'a str,
    },
    /// A cross-reference, resolved to `file#id`, with the target's printed page
    /// (as the PDF prints `（见第N页）`) when there is a PDF.
    Ref {
        href: String,
        content: Vec<InlineView<'a>>,
        page: Option<PageRef>,
    },
    /// A web link (`http`, `https`, `mailto`).
    Link {
        href: &'a str,
        content: Vec<InlineView<'a>>,
    },
    Break,
}

fn doc_blocks<'a>(doc: &'a Doc, owner: &str, links: &Links<'_>) -> Vec<BlockView<'a>> {
    doc.blocks
        .iter()
        .zip(block_ids(doc, owner))
        .map(|(block, id)| block_view(block, id, links))
        .collect()
}

fn block_view<'a>(block: &'a Block, id: String, links: &Links<'_>) -> BlockView<'a> {
    let nested = |blocks: &'a [Block], id: &str| -> Vec<BlockView<'a>> {
        blocks
            .iter()
            .enumerate()
            .map(|(k, b)| block_view(b, format!("{id}-{}", k + 1), links))
            .collect()
    };
    match block {
        Block::Heading { level, content, .. } => BlockView::Heading {
            page: links.page(&id),
            id,
            tag: (level + 1).clamp(2, 5),
            content: inlines(content, links),
        },
        Block::Para { content, .. } => {
            BlockView::Para { id, content: inlines(content, links) }
        }
        Block::List { start, items, .. } => BlockView::List {
            start: *start,
            items: items
                .iter()
                .enumerate()
                .map(|(k, item)| BlockView::Item {
                    blocks: nested(item, &format!("{id}-{}", k + 1)),
                })
                .collect(),
            id,
        },
        Block::Quote { blocks, .. } => {
            BlockView::Quote { blocks: nested(blocks, &id), id }
        }
        Block::Table { rows, header_rows, .. } => {
            let above_one = |n: u32| (n > 1).then_some(n);
            let mut rows: Vec<Vec<CellView<'a>>> = rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|cell| CellView {
                            colspan: above_one(cell.colspan),
                            rowspan: above_one(cell.rowspan),
                            content: inlines(&cell.content, links),
                        })
                        .collect()
                })
                .collect();
            let body = rows.split_off((*header_rows).min(rows.len()));
            BlockView::Table { id, head: rows, rows: body }
        }
        Block::Image { path, alt, .. } => {
            BlockView::Image { id, src: image_src(path), alt }
        }
        Block::Code { text, .. } => BlockView::Code { id, text },
        Block::Rule { .. } => BlockView::Rule { id },
    }
}

fn inlines<'a>(content: &'a [Inline], links: &Links<'_>) -> Vec<InlineView<'a>> {
    let mut out = Vec::with_capacity(content.len());
    for inline in content {
        out.push(match &inline.kind {
            InlineKind::Text(text) => InlineView::Text { text: Cow::Borrowed(text) },
            InlineKind::Strong(c) => InlineView::Strong { content: inlines(c, links) },
            InlineKind::Emph(c) => InlineView::Emph { content: inlines(c, links) },
            InlineKind::Strike(c) => InlineView::Strike { content: inlines(c, links) },
            InlineKind::Code(text) => InlineView::Code { text },
            // A redline is a PDF of its own; the site shows the book as it is.
            InlineKind::Inserted { content, .. } => {
                out.extend(inlines(content, links));
                continue;
            }
            InlineKind::Deleted { .. } => continue,
            InlineKind::Link { dest, content } => {
                if let Some(id) = book::reference_target(dest) {
                    match links.href(id) {
                        Some(href) => {
                            let mut content = inlines(content, links);
                            if content.is_empty() {
                                let title =
                                    links.titles.get(id).cloned().unwrap_or_default();
                                content
                                    .push(InlineView::Text { text: Cow::Owned(title) });
                            }
                            InlineView::Ref { href, content, page: links.page(id) }
                        }
                        // An unknown id is an error `assemble` reported: show the text.
                        None => {
                            out.extend(inlines(content, links));
                            continue;
                        }
                    }
                } else if is_web_link(dest) {
                    InlineView::Link { href: dest, content: inlines(content, links) }
                } else {
                    // Other destinations (relative paths, `javascript:`) show as text.
                    out.extend(inlines(content, links));
                    continue;
                }
            }
            InlineKind::Break => InlineView::Break,
        });
    }
    out
}

fn is_web_link(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    ["http://", "https://", "mailto:"].iter().any(|p| lower.starts_with(p))
}
