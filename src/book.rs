//! Stage 3, ASSEMBLE: a loaded [`Edition`] with parsed bodies → [`Book`], the one
//! value every renderer reads.
//!
//! This is where generated numbers and identifiers are decided: categories are
//! numbered 1, 2, … in manifest order (editors never type them), and each policy gets
//! a stable id (its front matter `id`, else its file path) that names its anchor in
//! the PDF and, later, in HTML and diffs.
//!
//! It is also where numbering markers are recognised, once: every heading and
//! paragraph's `一、`, `（一）`, `第一条` … is recorded in [`Markers`] beside its text,
//! and every reader (typesetting, diff, check, and what comes next: validity,
//! indexes) takes it from there instead of reading the plain text again.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::{Edition, EditionMeta, PolicyMeta, TextFile};
use crate::intake::limits::{IMAGE_EXTENSIONS, MAX_ASSET};
use crate::markdown::{self, Block, Doc, Inline, InlineKind, plain_text};
use crate::numbering::{Hierarchy, Marker, document::plan_recognized, rank, recognize};
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
    /// The image files the book shows, and the only way renderers read them.
    pub images: Images,
    /// The edition's own files (the manifest and every Markdown file it lists), which
    /// the PDF carries as attachments (`[pdf] embed_sources`).
    pub files: SourceFiles,
    /// The back-matter indexes the manifest asks for, computed from the metadata.
    pub indexes: Vec<crate::indexes::Index>,
    /// 本期变化 against the previous edition, when the manifest names one and it
    /// loaded ([`crate::load::load`] fills it in).
    pub changes: Option<crate::changes::Changes>,
    /// The 变更说明 of a redline (`diff --format pdf`), whose text then carries the
    /// marks; `None` in every other book.
    pub redline: Option<crate::diff::redline::Notes>,
}

/// The image files of a book: every [`Block::Image`] path, checked when the book
/// was assembled, and read only through [`Images::read`], which checks again (the
/// editor may have replaced a file by a link since), so that no renderer opens a
/// path a source wrote.
#[derive(Debug, Clone, Default)]
pub struct Images {
    /// The edition folder, canonical; `None` when it could not be resolved (then
    /// every image was an error).
    root: Option<PathBuf>,
    /// Paths relative to the edition folder, as the image blocks hold them.
    paths: BTreeSet<String>,
}

impl Images {
    /// Every image path of the book, relative to the edition folder, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.paths.iter().map(String::as_str)
    }

    /// The bytes of one of the book's images. Only paths the book holds are read,
    /// and only when the file is still a regular file inside the edition folder and
    /// at most `limits::MAX_ASSET` bytes.
    pub fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        read_listed(
            self.root.as_deref(),
            self.paths.contains(path),
            path,
            "not an image of the book",
        )
    }
}

/// A file of the edition folder that the book lists (`listed`, or `refusal` why not),
/// read again only when it is still a regular file inside the folder and at most
/// `limits::MAX_ASSET` bytes: the editor may have replaced it by a link since.
fn read_listed(
    root: Option<&Path>,
    listed: bool,
    path: &str,
    refusal: &str,
) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind, Read};
    let refuse =
        |why: &str| Error::new(ErrorKind::PermissionDenied, format!("{path}: {why}"));
    let Some(root) = root else {
        return Err(refuse("the edition folder is unknown"));
    };
    if !listed {
        return Err(refuse(refusal));
    }
    let file = inside(root, path).map_err(|why| refuse(&why))?;
    let mut bytes = Vec::new();
    std::fs::File::open(&file)?.take(MAX_ASSET + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_ASSET {
        return Err(refuse("larger than 16 MiB"));
    }
    Ok(bytes)
}

/// The edition's own files, relative to its folder: `edition.toml`, the 引言, the
/// categories' texts and the policies, in book order. Read only through
/// [`SourceFiles::read`], which checks each again as [`Images::read`] does.
#[derive(Debug, Clone, Default)]
pub struct SourceFiles {
    root: Option<PathBuf>,
    paths: Vec<String>,
}

impl SourceFiles {
    /// The files' paths, in book order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.paths.iter().map(String::as_str)
    }

    /// The bytes of one of the files, as on disk.
    pub fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        let listed = self.paths.iter().any(|p| p == path);
        read_listed(self.root.as_deref(), listed, path, "not a file of the edition")
    }
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
    /// The numbering markers of its blocks (recognised, never planned: an 引言 or a
    /// category text has no numbering of its own to check).
    pub markers: Markers,
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
    /// The numbering markers of its blocks, planned against its title.
    pub markers: Markers,
    /// Where it came from.
    pub source: SourceId,
    /// Path relative to the edition folder.
    pub path: String,
    /// Whether it is in force, and the mark printed beside its title when not simply so.
    pub validity: crate::validity::Validity,
}

/// The numbering markers of one document's headings and paragraphs.
///
/// A side table rather than a field of [`Block`]: the Markdown model knows nothing
/// of numbering (and stays comparable and constructible in tests without it), while
/// a marker's rank depends on the whole policy (its title and every other marker
/// decide the hierarchy), which only exists once the document is parsed. Blocks are
/// found by their source offset, so blocks inside lists and quotes, which have no
/// index in the document's top-level list, are found alike.
#[derive(Debug, Clone, Default)]
pub struct Markers {
    /// The hierarchy the numbering plan found; `None` for a text that is not
    /// planned (引言, category texts).
    pub hierarchy: Option<Hierarchy>,
    /// In source order, so that lookup can bisect.
    list: Vec<BlockMarker>,
}

/// The marker a heading or paragraph begins with, as recognised when the book was
/// assembled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockMarker {
    /// Source offset of the block the marker opens: how [`Markers::of`] finds it.
    pub block: usize,
    /// Kind, value, byte range in the block's plain text, and the non-canonical
    /// forms it was written in: what validation and renumbering take.
    pub marker: Marker,
    /// The marker as written in the block's plain text, with the separator after it
    /// (`（一）`, `第一条　`): what messages quote and section labels show.
    pub text: String,
    /// Where the marker is in the source: its own bytes when the block begins with
    /// plain text (so plain-text offsets map one to one), else the whole block, which
    /// is still the right line to point a diagnostic at.
    pub span: Span,
    /// What the policy's numbering plan makes of it; `None` when the plan does not
    /// count it (texts that are not policies, blocks inside lists and quotes, and
    /// everything from the attachment list on, whose numbers name attachments).
    pub plan: Option<Planned>,
}

/// A marker's place in its policy's numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planned {
    /// Depth of its kind in the hierarchy, 1 = top (`一、` in a plan, `第一章` in a
    /// regulation); `None` when the hierarchy does not use the kind (`一是`).
    pub rank: Option<u8>,
    /// The ATX level (`##` = 2) the block should have as a heading; `None` when it
    /// is a run-in item that stays a paragraph.
    pub heading: Option<u8>,
}

impl BlockMarker {
    /// Which numbering style.
    pub fn kind(&self) -> crate::numbering::MarkerKind {
        self.marker.kind
    }

    /// The number, ≥ 1.
    pub fn value(&self) -> u32 {
        self.marker.value
    }
}

impl Markers {
    /// Recognises the marker of every heading and paragraph of `doc`, at any depth,
    /// and, given the title of a policy, plans its top-level numbering.
    pub fn of_doc(doc: &Doc, title: Option<&str>) -> Markers {
        let mut list = Vec::new();
        collect_markers(&doc.blocks, &mut list);
        list.sort_by_key(|m| m.block);
        let hierarchy = title.map(|title| plan_top_level(doc, title, &mut list));
        Markers { hierarchy, list }
    }

    /// The marker a block begins with, if it has one.
    pub fn of(&self, block: &Block) -> Option<&BlockMarker> {
        let start = block.span().range.start;
        let at = self.list.binary_search_by_key(&start, |m| m.block).ok()?;
        self.list.get(at)
    }

    /// Every marker, in source order.
    pub fn iter(&self) -> impl Iterator<Item = &BlockMarker> {
        self.list.iter()
    }
}

/// Recognises the markers of headings and paragraphs, descending into lists and
/// quotes.
fn collect_markers(blocks: &[Block], out: &mut Vec<BlockMarker>) {
    for block in blocks {
        match block {
            Block::Heading { content, span, .. } | Block::Para { content, span } => {
                out.extend(block_marker(content, span));
            }
            Block::List { items, .. } => {
                items.iter().for_each(|item| collect_markers(item, out))
            }
            Block::Quote { blocks, .. } => collect_markers(blocks, out),
            Block::Table { .. }
            | Block::Image { .. }
            | Block::Code { .. }
            | Block::Rule { .. } => {}
        }
    }
}

/// The marker a heading or paragraph opens with, located in its source.
#[expect(
    clippy::expect_used,
    reason = "recognize returns a range on char boundaries of the text it was given"
)]
fn block_marker(content: &[Inline], span: &Span) -> Option<BlockMarker> {
    let plain = plain_text(content);
    let marker = recognize(&plain)?;
    let text = plain
        .get(marker.range.clone())
        .expect("recognize returns a range of the text it was given")
        .to_string();
    let located = match content.first() {
        Some(Inline { kind: InlineKind::Text(_), span: first }) => Span::new(
            first.source,
            first.range.start + marker.range.start..first.range.start + marker.range.end,
        ),
        _ => span.clone(),
    };
    Some(BlockMarker { block: span.range.start, marker, text, span: located, plan: None })
}

/// Plans a policy's top-level headings and paragraphs (the blocks its numbering
/// counts) and fills in the plan of their markers; returns the hierarchy.
fn plan_top_level(doc: &Doc, title: &str, list: &mut [BlockMarker]) -> Hierarchy {
    let blocks: Vec<(&Block, String)> = doc
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Heading { content, .. } | Block::Para { content, .. } => {
                Some((block, plain_text(content)))
            }
            _ => None,
        })
        .collect();
    let at = |block: &Block, list: &[BlockMarker]| {
        list.binary_search_by_key(&block.span().range.start, |m| m.block).ok()
    };
    let texts: Vec<&str> = blocks.iter().map(|(_, text)| text.as_str()).collect();
    let markers: Vec<Option<Marker>> = blocks
        .iter()
        .map(|(block, _)| at(block, list).map(|i| list[i].marker.clone()))
        .collect();
    let plan = plan_recognized(title, &texts, &markers);
    for numbered in &plan.numbered {
        if let Some(i) = at(blocks[numbered.block].0, list) {
            list[i].plan = Some(Planned {
                rank: rank(numbered.marker.kind, plan.hierarchy),
                heading: numbered.heading,
            });
        }
    }
    plan.hierarchy
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

/// The metadata a book prints of a policy: its 文号 under the title, its issuers and
/// date in the signature.
#[derive(Debug, Clone, Copy)]
pub struct Printed<'a> {
    /// 文号.
    pub number: Option<&'a str>,
    /// 发文机关, in order.
    pub issuer: &'a [String],
    /// 成文日期.
    pub date: Option<crate::edition::Date>,
}

impl Book {
    /// What the book prints of a policy's metadata: all of it but the fields its
    /// `unprinted` lists, unless `[style] print_unprinted = true`. Both renderers ask
    /// here, so the PDF and the site print the same.
    pub fn printed<'a>(&self, policy: &'a Policy) -> Printed<'a> {
        use crate::edition::Unprinted;
        let all = self.meta.style_flag("print_unprinted", false);
        let prints = |field| all || !policy.meta.unprinted.contains(&field);
        let meta = &policy.meta;
        Printed {
            number: meta.number.as_deref().filter(|_| prints(Unprinted::Number)),
            issuer: if prints(Unprinted::Issuer) { &meta.issuer } else { &[] },
            date: meta.date.filter(|_| prints(Unprinted::Date)),
        }
    }

    /// The validity mark printed beside a policy's title (「有效期至…」, 「已失效」), unless
    /// the edition's `[style] status_marks = false` reproduces a book printed without.
    pub fn mark<'a>(&self, policy: &'a Policy) -> Option<&'a str> {
        let shown = self.meta.style_flag("status_marks", true);
        policy.validity.mark.as_deref().filter(|_| shown)
    }

    /// Every policy, in book order.
    pub fn policies(&self) -> impl Iterator<Item = &Policy> {
        self.categories.iter().flat_map(|c| c.policies.iter())
    }
}

/// Parses every body and numbers the book. Duplicate policy ids are errors.
pub fn assemble(edition: &Edition, sources: &Sources, diags: &mut Diagnostics) -> Book {
    let root = edition.root.canonicalize().map_err(|e| e.to_string());
    let images = std::cell::RefCell::new(BTreeSet::new());
    let parse = |file_path: &str, range, source, diags: &mut Diagnostics| {
        let mut doc = markdown::parse(sources, source, range, diags);
        let mut found = images.borrow_mut();
        resolve_images(&mut doc.blocks, &root, file_path, &mut found, diags);
        doc
    };
    let text = |file: &TextFile, diags: &mut Diagnostics| {
        let doc = parse(&file.path, file.body.clone(), file.source, diags);
        Text {
            title: file.title.clone(),
            markers: Markers::of_doc(&doc, None),
            doc,
            source: file.source,
            path: file.path.clone(),
        }
    };
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut categories = Vec::new();
    // Numbers count with the categories; zip ends with them, long before u32 could
    // (each category is a manifest entry held in memory).
    for (number, category) in (1u32..).zip(&edition.categories) {
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
            let doc = parse(&file.path, file.body.clone(), file.source, diags);
            policies.push(Policy {
                id,
                markers: Markers::of_doc(&doc, Some(&file.meta.title)),
                validity: crate::validity::derive(&file.meta, edition.meta.period, None),
                meta: file.meta.clone(),
                doc,
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
    derive_repeals(&mut categories, edition.meta.period);
    let files = std::iter::once(crate::edition::MANIFEST.to_string())
        .chain(edition.intro.iter().map(|t| t.path.clone()))
        .chain(edition.categories.iter().flat_map(|c| {
            c.body
                .iter()
                .map(|t| t.path.clone())
                .chain(c.policies.iter().map(|p| p.path.clone()))
        }))
        .collect();
    let mut book = Book {
        id: edition.id.clone(),
        meta: edition.meta.clone(),
        intro: edition.intro.as_ref().map(|file| text(file, diags)),
        categories,
        images: Images { root: root.clone().ok(), paths: images.take() },
        files: SourceFiles { root: root.clone().ok(), paths: files },
        indexes: Vec::new(),
        changes: None,
        redline: None,
    };
    book.indexes = crate::indexes::build(&book);
    check_references(&book, diags);
    book
}

/// A policy that another policy of the same edition repeals is 废止 (unless its front
/// matter states otherwise): decided here, where the whole edition is known.
fn derive_repeals(
    categories: &mut [Category],
    period: Option<(crate::edition::Date, crate::edition::Date)>,
) {
    use crate::validity::Repealer;
    let repealers: Vec<Repealer> = categories
        .iter()
        .flat_map(|c| &c.policies)
        .filter_map(|p| Repealer::of(p.path.clone(), &p.meta))
        .collect();
    for policy in categories.iter_mut().flat_map(|c| c.policies.iter_mut()) {
        let by = repealers
            .iter()
            .find(|r| r.repeals_policy(&policy.path, &policy.meta).is_some());
        if let Some(by) = by {
            policy.validity =
                crate::validity::derive(&policy.meta, period, Some(&by.title));
        }
    }
}

/// Resolves every image block's path (as written, relative to `file`) to its path
/// relative to the edition folder, checking the file; a bad one is an error at the
/// image. Lists and quotes nest at most `markdown::MAX_DEPTH` deep.
fn resolve_images(
    blocks: &mut [Block],
    root: &Result<PathBuf, String>,
    file: &str,
    found: &mut BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    for block in blocks {
        match block {
            Block::Image { path, span, .. } => {
                let checked = root
                    .as_ref()
                    .map_err(|e| format!("the edition folder cannot be resolved ({e})"))
                    .and_then(|root| image_path(root, file, path));
                match checked {
                    Ok(resolved) => {
                        found.insert(resolved.clone());
                        *path = resolved;
                    }
                    Err(why) => diags.push(
                        Diagnostic::error("bad-image", format!("image `{path}` {why}"))
                            .with_span(span.clone())
                            .with_hint(IMAGE_HINT),
                    ),
                }
            }
            Block::List { items, .. } => items
                .iter_mut()
                .for_each(|item| resolve_images(item, root, file, found, diags)),
            Block::Quote { blocks, .. } => {
                resolve_images(blocks, root, file, found, diags)
            }
            _ => {}
        }
    }
}

const IMAGE_HINT: &str = "an image is a png, jpg, jpeg, gif, svg or webp file of at most 16 MiB inside the edition folder, written relative to the Markdown file: `![说明](assets/<policy>/image-1.png)`";

/// `dest` (relative to the Markdown file `file`, itself relative to the edition
/// folder) as a path relative to the edition folder, once it is known to name an
/// image file inside it; else why not, to follow ``image `…` ``.
fn image_path(root: &Path, file: &str, dest: &str) -> Result<String, String> {
    let scheme = dest.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if dest.trim().is_empty() {
        return Err("has no path".into());
    }
    if scheme || dest.starts_with("//") {
        return Err("is a URL: an image must be a file in the edition folder".into());
    }
    if dest.starts_with('/') || dest.contains('\\') {
        return Err("is an absolute path or uses `\\`: write it relative to the Markdown file, with `/`".into());
    }
    let mut segments: Vec<&str> = file.split('/').collect();
    segments.pop();
    for segment in dest.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Err("leads out of the edition folder".into());
                }
            }
            name => segments.push(name),
        }
    }
    let rel = segments.join("/");
    let extension = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if !extension.is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str())) {
        return Err("is not a png, jpg, jpeg, gif, svg or webp file".into());
    }
    inside(root, &rel)?;
    Ok(rel)
}

/// The file `rel` names under the canonical `root`, if it is a regular file of at
/// most `MAX_ASSET` bytes whose real path (links followed) is inside `root`.
fn inside(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let path = root.join(rel);
    let real = path.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            format!("does not exist (looked for {rel} in the edition folder)")
        }
        _ => format!("cannot be opened: {e}"),
    })?;
    if !real.starts_with(root) {
        return Err("leads out of the edition folder (through a link)".into());
    }
    let meta = std::fs::metadata(&real).map_err(|e| format!("cannot be opened: {e}"))?;
    if !meta.is_file() {
        return Err("is not a regular file".into());
    }
    if meta.len() > MAX_ASSET {
        return Err(format!("is {} bytes, over the limit of 16 MiB", meta.len()));
    }
    Ok(real)
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
    use super::{MAX_ASSET, id_from_path, image_path};

    /// An edition folder with `政策/p.md`, `assets/p/流程图-1.png`, a file outside
    /// it and the links and look-alikes an image path could try.
    fn edition() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ED");
        std::fs::create_dir_all(root.join("政策")).unwrap();
        std::fs::create_dir_all(root.join("assets/p/dir.png")).unwrap();
        std::fs::write(root.join("assets/p/流程图-1.png"), b"\x89PNG").unwrap();
        std::fs::write(root.join("assets/p/notes.txt"), b"text").unwrap();
        std::fs::write(dir.path().join("secret.png"), b"secret").unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("secret.png"),
            root.join("assets/out.png"),
        )
        .unwrap();
        std::os::unix::fs::symlink(
            root.join("assets/p/流程图-1.png"),
            root.join("assets/in.png"),
        )
        .unwrap();
        let big = std::fs::File::create(root.join("assets/big.png")).unwrap();
        big.set_len(MAX_ASSET + 1).unwrap();
        let root = root.canonicalize().unwrap();
        (dir, root)
    }

    #[test]
    fn image_paths_resolve_inside_the_edition_folder() {
        let (_dir, root) = edition();
        let ok = |dest: &str| image_path(&root, "政策/p.md", dest);
        assert_eq!(
            ok("../assets/p/流程图-1.png").as_deref(),
            Ok("assets/p/流程图-1.png")
        );
        assert_eq!(
            ok("./../assets//p/./流程图-1.PNG".replace("PNG", "png").as_str()).as_deref(),
            Ok("assets/p/流程图-1.png")
        );
        // A link that stays inside is the file it names; the path stays as written.
        assert_eq!(ok("../assets/in.png").as_deref(), Ok("assets/in.png"));
        assert_eq!(
            image_path(&root, "p.md", "assets/p/流程图-1.png").as_deref(),
            Ok("assets/p/流程图-1.png")
        );
    }

    #[test]
    fn images_read_only_the_books_files_and_check_them_again() {
        let (_dir, root) = edition();
        let paths = ["assets/p/流程图-1.png", "assets/in.png"].map(String::from).into();
        let images = super::Images { root: Some(root.clone()), paths };
        assert_eq!(images.read("assets/p/流程图-1.png").unwrap(), b"\x89PNG");
        assert!(images.read("assets/p/notes.txt").is_err(), "not an image of the book");
        // The link is turned to point out after the book was assembled.
        std::fs::remove_file(root.join("assets/in.png")).unwrap();
        std::os::unix::fs::symlink(
            root.join("../secret.png"),
            root.join("assets/in.png"),
        )
        .unwrap();
        let err = images.read("assets/in.png").unwrap_err();
        assert!(err.to_string().contains("through a link"), "{err}");
    }

    #[test]
    fn image_paths_that_leave_or_name_no_image_are_refused() {
        let (_dir, root) = edition();
        let cases = [
            ("../../../etc/passwd.png", "leads out of the edition folder"),
            ("../../secret.png", "leads out of the edition folder"),
            ("/etc/passwd.png", "absolute"),
            ("..\\assets\\p\\流程图-1.png", "absolute path or uses"),
            ("https://example.com/a.png", "URL"),
            ("//example.com/a.png", "URL"),
            ("data:image/png;base64,iVBORw0KGgo=", "URL"),
            ("file:///etc/passwd.png", "URL"),
            ("../assets/p/none.png", "does not exist"),
            ("../assets/p/notes.txt", "not a png"),
            ("../assets/p", "not a png"),
            ("../assets/p/dir.png", "not a regular file"),
            ("../assets/out.png", "through a link"),
            ("../assets/big.png", "over the limit"),
            ("", "has no path"),
        ];
        for (dest, says) in cases {
            let err = image_path(&root, "政策/p.md", dest).expect_err(dest);
            assert!(err.contains(says), "{dest}: {err}");
        }
    }

    #[test]
    fn ids_from_paths() {
        assert_eq!(id_from_path("优化营商环境/强化 节能.md"), "优化营商环境-强化-节能");
    }
}
