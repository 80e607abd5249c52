//! The book as data for the Typst template (`book.json`).
//!
//! Source text reaches Typst only as JSON strings that the template reads with
//! `json()` and places as content, never as markup: `#read(..)`, `$x$`, `<a>` or `*`
//! in a policy are characters to print, with nothing to escape and nothing to forget
//! escaping. The schema is the template's contract; `templates/edition.typ` documents
//! the same fields.

use anyhow::Context;
use serde::Serialize;
use typst::foundations::Bytes;

use super::fonts::FontPlan;
use crate::book::{self, Book, Images, Markers, Policy, Text};
use crate::markdown::{Block, Cell, Doc, Inline, InlineKind, plain_text, table_columns};
use crate::numbering::MarkerKind;
use crate::numbering::outline::HEADING_MAX_CHARS;

/// The JSON files the template reads: `book.json` (metadata, fonts, intro, and per
/// category the paths of its policies' files) and one `policy/<n>.json` per policy.
/// One file per policy lets Typst reuse everything but the edited policy's
/// evaluation after an edit (its loads and closure calls are memoised per input).
pub struct BookData {
    /// `book.json`.
    pub main: Vec<u8>,
    /// `(virtual path, JSON)` of each policy.
    pub policies: Vec<(String, Vec<u8>)>,
    /// The book's images, which Typst reads at [`image_vpath`] of their path: read
    /// from the edition folder only through [`Images::read`], when Typst asks.
    pub images: Images,
    /// The files the PDF carries as attachments (see [`carried_files`]), which Typst
    /// reads under [`SOURCES_PREFIX`].
    pub carried: Carried,
}

/// `(path in a project, bytes)` of each file a build carries, read once: the PDF
/// attaches them and the site's zip holds the same bytes.
pub type Carried = Vec<(String, Bytes)>;

/// Where the attached sources appear in Typst's project root.
pub const SOURCES_PREFIX: &str = "huibian-sources/";

/// The virtual path Typst reads an image at: its path in the edition folder under
/// `edition/`, a name the world serves before the template folder's own files.
pub fn image_vpath(path: &str) -> String {
    format!("{EDITION_PREFIX}{path}")
}

/// Where the edition's images appear in Typst's project root.
pub const EDITION_PREFIX: &str = "edition/";

/// Serialises the book and the font plan to the JSON files the template reads. An
/// error (which the views' plain strings and numbers should never cause) is
/// returned, not papered over: an empty file would typeset a book with a policy
/// missing and no word of why.
pub fn book_data(
    book: &Book,
    fonts: &FontPlan,
    hint: super::LayoutHint,
    template: &str,
) -> anyhow::Result<BookData> {
    let mut policies = Vec::new();
    let mut paths: Vec<Vec<String>> = Vec::new();
    for category in &book.categories {
        let mut list = Vec::new();
        for policy in &category.policies {
            let path = format!("policy/{}.json", policies.len() + 1);
            let json = serde_json::to_vec(&policy_view(policy, book))
                .with_context(|| format!("serialising {} for Typst", policy.path))?;
            policies.push((path.clone(), json));
            list.push(path);
        }
        paths.push(list);
    }
    let carried = carried_files(book, template)?;
    let listed: Vec<_> = carried
        .iter()
        .map(|(name, _)| AttachmentView {
            name: name.clone(),
            path: format!("/{}", attachment_vpath(name)),
            mime: mime_of(name),
        })
        .collect();
    let main = book_json_with(book, fonts, &paths, hint, &listed)?;
    Ok(BookData { main, policies, images: book.images.clone(), carried })
}

/// The virtual path Typst reads a carried file at.
pub fn attachment_vpath(name: &str) -> String {
    format!("{SOURCES_PREFIX}{name}")
}

/// A file the PDF carries: its name there (its path in a project, `sources/<ID>/…`
/// or `templates/…`), where Typst reads it, and its type.
#[derive(Serialize)]
struct AttachmentView {
    name: String,
    path: String,
    mime: &'static str,
}

/// The files a build carries (in the PDF, and in the site's zip beside it), by
/// their paths in a project: the manifest and every file it lists as on disk
/// (`sources/<ID>/…`), the images, and the main template as Typst reads it
/// (`templates/edition.typ`). Sorted, so the same sources give the same bytes.
/// None when the edition does not embed its sources (`[pdf] embed_sources`), and
/// none in a redline, which is another document.
pub fn carried_files(book: &Book, template: &str) -> anyhow::Result<Carried> {
    if !book.meta.pdf.embed_sources || book.redline.is_some() {
        return Ok(Vec::new());
    }
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for path in book.files.paths() {
        let bytes = book
            .files
            .read(path)
            .with_context(|| format!("reading {path} to attach it"))?;
        files.push((format!("sources/{}/{path}", book.id), bytes));
    }
    for path in book.images.paths() {
        let bytes = book
            .images
            .read(path)
            .with_context(|| format!("reading {path} to attach it"))?;
        files.push((format!("sources/{}/{path}", book.id), bytes));
    }
    files.push((
        format!("templates/{}", super::world::MAIN_TEMPLATE),
        template.as_bytes().to_vec(),
    ));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    Ok(files.into_iter().map(|(name, bytes)| (name, Bytes::new(bytes))).collect())
}

/// The carried files as a zip archive, with fixed times, so the same sources give
/// the same bytes. Stored, not deflated: a few hundred KiB of text, written on every
/// rebuild under `serve`, where compressing them would cost more than the PDF's
/// export of the edit.
pub fn sources_zip(carried: &Carried) -> anyhow::Result<Vec<u8>> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in carried {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The MIME type PDF/A-3 asks of an attachment, by its extension.
fn mime_of(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("md") => "text/markdown",
        Some("toml") => "application/toml",
        Some("typ") => "text/plain",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    }
}

fn book_json_with(
    book: &Book,
    fonts: &FontPlan,
    paths: &[Vec<String>],
    hint: super::LayoutHint,
    sources: &[AttachmentView],
) -> anyhow::Result<Vec<u8>> {
    let view = BookFilesView {
        id: &book.id,
        title: &book.meta.title,
        subtitle: book.meta.subtitle.as_deref(),
        publisher: book.meta.publisher.as_deref(),
        published: book.meta.published.map(|d| d.chinese()),
        style: &book.meta.style,
        fonts,
        intro: book.intro.as_ref().map(|t| text_view(t, None)),
        categories: book
            .categories
            .iter()
            .zip(paths)
            .map(|(c, files)| CategoryFilesView {
                number: c.number,
                id: &c.id,
                title: &c.title,
                body: c.body.as_ref().map(|t| text_view(t, Some(&c.id))),
                policies: files,
            })
            .collect(),
        changes: book.changes.as_ref(),
        indexes: &book.indexes,
        redline: book.redline.as_ref(),
        contents_pages: hint.contents_pages,
        sources,
    };
    serde_json::to_vec(&view).context("serialising book.json for Typst")
}

#[derive(Serialize)]
struct BookFilesView<'a> {
    id: &'a str,
    title: &'a str,
    subtitle: Option<&'a str>,
    publisher: Option<&'a str>,
    published: Option<String>,
    style: &'a serde_json::Map<String, serde_json::Value>,
    fonts: &'a FontPlan,
    intro: Option<TextView<'a>>,
    categories: Vec<CategoryFilesView<'a>>,
    /// 本期变化 (`none` without a previous edition): previous, previous_title, and
    /// the lists added, revised, voided of (policy: id or none, title, number, note).
    changes: Option<&'a crate::changes::Changes>,
    /// The back-matter indexes: (kind, id, title, groups: (heading, entries:
    /// (policy, key, title))).
    indexes: &'a [crate::indexes::Index],
    /// A redline's 变更说明 (`none` in a normal build): previous, previous_title,
    /// added, removed, revised, entries: (kind, title, detail, target: a label or none).
    redline: Option<&'a crate::diff::redline::Notes>,
    /// The pages the 目录 took in the last build, if known (see `LayoutHint`); absent
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    contents_pages: Option<u32>,
    /// The files the PDF carries (name, path, mime); absent when it carries none.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    sources: &'a [AttachmentView],
}

#[derive(Serialize)]
struct CategoryFilesView<'a> {
    number: u32,
    id: &'a str,
    title: &'a str,
    body: Option<TextView<'a>>,
    /// Virtual paths of the policies' JSON files.
    policies: &'a [String],
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
    number: Option<&'a str>,
    issuer: &'a [String],
    date: Option<String>,
    excerpt: bool,
    /// 「有效期至…」, 「已失效」, … beside the title; `none` when simply in force.
    mark: Option<&'a str>,
    /// In a redline: `added` or `revised`, flagged beside the title; else `none`.
    redline: Option<&'static str>,
    blocks: Vec<BlockView<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum BlockView<'a> {
    /// `centered`: a chapter or section title (第一章 总则), set centred as regulations are.
    Heading {
        level: u8,
        id: Option<String>,
        centered: bool,
        text: Vec<InlineView<'a>>,
    },
    /// `keep`: a numbered line that stands alone like a heading without being one
    /// (`（一）提交申报材料` under an article, `第五条　（技术征选流程）`): kept on the page
    /// of the paragraph after it. Written only when true.
    Para {
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        keep: bool,
        text: Vec<InlineView<'a>>,
    },
    List {
        start: Option<u64>,
        items: Vec<Vec<BlockView<'a>>>,
    },
    Quote {
        blocks: Vec<BlockView<'a>>,
    },
    /// `columns`: the grid the cells tile, spans counted.
    Table {
        header_rows: usize,
        columns: usize,
        rows: Vec<Vec<CellView<'a>>>,
    },
    /// `src`: the absolute virtual path (`/edition/…`) the world serves it at.
    Image {
        src: String,
        alt: &'a str,
    },
    Code {
        text: &'a str,
    },
    Rule,
}

#[derive(Serialize)]
struct CellView<'a> {
    colspan: u32,
    rowspan: u32,
    text: Vec<InlineView<'a>>,
}

fn cell_view(cell: &Cell) -> CellView<'_> {
    CellView {
        colspan: cell.colspan.max(1),
        rowspan: cell.rowspan.max(1),
        text: inlines(&cell.content),
    }
}

/// Plain text is a bare JSON string (most of the book), anything else an object.
#[derive(Serialize)]
#[serde(untagged)]
enum InlineView<'a> {
    Text(&'a str),
    Node(NodeView<'a>),
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum NodeView<'a> {
    Strong {
        text: Vec<InlineView<'a>>,
    },
    Emph {
        text: Vec<InlineView<'a>>,
    },
    Strike {
        text: Vec<InlineView<'a>>,
    },
    Code {
        text: &'a str,
    },
    Link {
        dest: &'a str,
        text: Vec<InlineView<'a>>,
    },
    /// Redline marks: new text underlined, old text struck through; `anchor` labels
    /// a change's first mark.
    Ins {
        text: Vec<InlineView<'a>>,
        anchor: Option<&'a str>,
    },
    Del {
        text: Vec<InlineView<'a>>,
        anchor: Option<&'a str>,
    },
    /// A cross-reference to a heading id: printed with the target's page.
    Ref {
        id: &'a str,
        text: Vec<InlineView<'a>>,
    },
    Break,
}

fn text_view<'a>(text: &'a Text, id: Option<&str>) -> TextView<'a> {
    TextView {
        title: text.title.as_deref(),
        blocks: blocks(&text.doc, &text.markers, id),
    }
}

fn policy_view<'a>(policy: &'a Policy, book: &Book) -> PolicyView<'a> {
    let printed = book.printed(policy);
    PolicyView {
        id: &policy.id,
        title: &policy.meta.title,
        number: printed.number,
        issuer: printed.issuer,
        date: printed.date.map(|d| d.chinese()),
        excerpt: policy.meta.excerpt,
        mark: book.mark(policy),
        redline: book.redline.as_ref().and_then(|r| r.flags.get(&policy.id).copied()),
        blocks: blocks(&policy.doc, &policy.markers, Some(&policy.id)),
    }
}

/// Top-level blocks; first-level headings carry the ids [`book::sections`] gives them
/// so they can be labelled (bookmarks, the TOC, HTML anchors).
fn blocks<'a>(
    doc: &'a Doc,
    markers: &Markers,
    owner: Option<&str>,
) -> Vec<BlockView<'a>> {
    let mut ids = owner.map(|o| book::sections(doc, o)).unwrap_or_default().into_iter();
    doc.blocks
        .iter()
        .map(|block| match block {
            Block::Heading { level: 1, content, .. } => BlockView::Heading {
                level: 1,
                id: ids.next().map(|(id, _)| id),
                centered: is_chapter(block, markers),
                text: inlines(content),
            },
            other => block_view(other, markers),
        })
        .collect()
}

fn block_view<'a>(block: &'a Block, markers: &Markers) -> BlockView<'a> {
    match block {
        Block::Heading { level, content, .. } => BlockView::Heading {
            level: *level,
            id: None,
            centered: is_chapter(block, markers),
            text: inlines(content),
        },
        Block::Para { content, .. } => {
            BlockView::Para { keep: stands_alone(block, markers), text: inlines(content) }
        }
        Block::List { start, items, .. } => BlockView::List {
            start: *start,
            items: items
                .iter()
                .map(|item| item.iter().map(|b| block_view(b, markers)).collect())
                .collect(),
        },
        Block::Quote { blocks, .. } => BlockView::Quote {
            blocks: blocks.iter().map(|b| block_view(b, markers)).collect(),
        },
        Block::Table { rows, header_rows, .. } => BlockView::Table {
            header_rows: *header_rows,
            columns: table_columns(rows),
            rows: rows.iter().map(|row| row.iter().map(cell_view).collect()).collect(),
        },
        Block::Image { path, alt, .. } => {
            BlockView::Image { src: format!("/{}", image_vpath(path)), alt }
        }
        Block::Code { text, .. } => BlockView::Code { text },
        Block::Rule { .. } => BlockView::Rule,
    }
}

fn inlines(content: &[Inline]) -> Vec<InlineView<'_>> {
    let mut out = Vec::with_capacity(content.len());
    for inline in content {
        out.push(match &inline.kind {
            InlineKind::Text(text) => InlineView::Text(text),
            InlineKind::Strong(c) => {
                InlineView::Node(NodeView::Strong { text: inlines(c) })
            }
            InlineKind::Emph(c) => InlineView::Node(NodeView::Emph { text: inlines(c) }),
            InlineKind::Strike(c) => {
                InlineView::Node(NodeView::Strike { text: inlines(c) })
            }
            InlineKind::Code(text) => InlineView::Node(NodeView::Code { text }),
            InlineKind::Link { dest, content } => match book::reference_target(dest) {
                Some(id) => {
                    InlineView::Node(NodeView::Ref { id, text: inlines(content) })
                }
                None if is_web_link(dest) => {
                    InlineView::Node(NodeView::Link { dest, text: inlines(content) })
                }
                // Other destinations (relative paths, `javascript:`) print as their text.
                None => {
                    out.extend(inlines(content));
                    continue;
                }
            },
            InlineKind::Break => InlineView::Node(NodeView::Break),
            InlineKind::Inserted { content, anchor } => InlineView::Node(NodeView::Ins {
                text: inlines(content),
                anchor: anchor.as_deref(),
            }),
            InlineKind::Deleted { content, anchor } => InlineView::Node(NodeView::Del {
                text: inlines(content),
                anchor: anchor.as_deref(),
            }),
        });
    }
    out
}

/// Whether a paragraph is a numbered line that stands alone: its marker counts in the
/// policy's numbering (not an attachment list, a list item or a quote) and what follows
/// the marker is short, with no `。` and no closing `；：！？，、` (as a heading's text,
/// [`crate::numbering::outline::is_heading`], whatever the marker's rank).
fn stands_alone(para: &Block, markers: &Markers) -> bool {
    let Block::Para { content, .. } = para else { return false };
    let Some(marker) = markers.of(para).filter(|m| m.plan.is_some()) else {
        return false;
    };
    let plain = plain_text(content);
    let Some(rest) = plain.get(marker.marker.range.end..) else { return false };
    let rest = rest.trim_matches(|c: char| c.is_whitespace());
    let count = rest.chars().count();
    (1..=HEADING_MAX_CHARS).contains(&count)
        && !rest.contains('。')
        && !rest.ends_with([
            '。', '；', '：', '！', '？', '，', '、', ';', ':', '!', '?', ',',
        ])
}

/// Whether a heading is a chapter or section title (第一章, 第一节).
fn is_chapter(heading: &Block, markers: &Markers) -> bool {
    markers
        .of(heading)
        .is_some_and(|m| matches!(m.kind(), MarkerKind::Chapter | MarkerKind::Section))
}

fn is_web_link(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    ["http://", "https://", "mailto:"].iter().any(|p| lower.starts_with(p))
}
