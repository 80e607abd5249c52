//! Stage 4, PDF: [`Book`] → Typst → PDF bytes.
//!
//! The book goes to the template as data ([`data`]), the template lays it out, the
//! Typst library compiles it in a [`world::HuibianWorld`] that can read nothing but the
//! template folder and that data, and `typst-pdf` exports it with a fixed identifier
//! and timestamp, so the same sources give the same bytes. Typst's own errors and
//! warnings become [`Diagnostic`]s pointing into the template.

pub mod data;
#[cfg(feature = "folder-world")]
pub mod folder;
pub mod font_index;
pub mod fonts;
pub mod query;
pub mod standard;
pub mod timings;
pub mod world;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use self::fonts::{Fonts, INSTALL_HINT};
use self::world::{HuibianWorld, Templates};
use crate::book::Book;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{Block, InlineKind};
use crate::source::{SourceId, Sources, Span};

/// The World of the last build, kept by a long-lived process (`serve`) so that the
/// next build after an edit reuses it: Typst then re-lays out only what changed.
#[derive(Default)]
pub struct WorldCache {
    world: std::sync::Mutex<Option<HuibianWorld>>,
}

/// A laid-out book: where everything landed, before the PDF is written. A build
/// reads the page numbers off it (TOC, HTML) while the PDF is exported.
pub struct Laid {
    document: PagedDocument,
    today: Datetime,
    /// Number of pages.
    pub pages: usize,
    /// Time spent in Typst's compiler (layout).
    pub compile_time: Duration,
    /// Where each labelled heading landed.
    pub page_map: query::PageMap,
    /// The files the PDF carries, as read for this layout: the site's zip of them is
    /// made from the same bytes.
    pub carried: data::Carried,
}

impl Laid {
    /// The laid-out document, for reading more off it than the page map.
    pub fn document(&self) -> &PagedDocument {
        &self.document
    }
}

/// What the last layout of the same book says about this one, to lay it out in fewer
/// passes (from the last build's `toc.json`). Typst lays a book out until every page
/// number it printed is the one it found; the 目录 is empty in the first pass, so
/// without a hint everything after it lands too early once and a third pass mends
/// the page numbers the second printed. A wrong or stale hint costs that pass again,
/// never a different book: only the first pass reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LayoutHint {
    /// The pages the 目录 took.
    pub contents_pages: Option<u32>,
}

impl LayoutHint {
    /// The most 目录 pages a hint may hold open: toc.json is a file on disk, and a
    /// damaged one must not make Typst's first pass lay out pages by the million.
    /// (A 2,000-policy edition's 目录 takes 62.)
    pub const MAX_CONTENTS_PAGES: u32 = 2_000;

    /// The hint a book's last `toc.json` gives: none where its `contents` cannot be
    /// (more pages than the book had, or than [`Self::MAX_CONTENTS_PAGES`]).
    pub fn from_toc(toc: &crate::toc::Toc) -> Self {
        let pages = toc.contents.map(|c| c.pages);
        let plausible =
            pages.filter(|&p| p >= 1 && p <= toc.pages.min(Self::MAX_CONTENTS_PAGES));
        Self { contents_pages: plausible }
    }
}

/// An exported PDF.
pub struct Exported {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// Time spent exporting the PDF.
    pub export_time: Duration,
}

/// Lays the book out with the template. Returns `None` when it cannot be (the
/// reasons are in `diags`).
pub fn layout(
    book: &Book,
    hint: LayoutHint,
    fonts: &Arc<Fonts>,
    templates: &Templates,
    cache: &WorldCache,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> anyhow::Result<Option<Laid>> {
    let plan = match fonts.plan() {
        Ok(plan) => plan,
        Err(err) => {
            diags.push(
                Diagnostic::error("font", format!("{err}: the book cannot be typeset"))
                    .with_hint(INSTALL_HINT),
            );
            return Ok(None);
        }
    };
    for (role, family) in &plan.substituted {
        diags.push(
            Diagnostic::warning(
                "font",
                format!(
                    "none of the preferred {role} fonts is installed; using {family}"
                ),
            )
            .with_hint(INSTALL_HINT),
        );
    }
    check_coverage(book, fonts, sources, diags);
    if !standard::preflight(book, diags) || diags.has_errors() {
        return Ok(None);
    }

    let date = book.meta.published.or(book.meta.period.map(|p| p.1));
    let today = date
        .and_then(|d| Datetime::from_ymd(i32::from(d.year), d.month, d.day.max(1)))
        .or_else(|| Datetime::from_ymd(2000, 1, 1));
    let Some(today) = today else {
        anyhow::bail!("cannot represent the edition date");
    };
    let data = data::book_data(book, &plan, hint, &templates.main)?;
    let carried = data.carried.clone();
    let mut slot = cache.world.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let world = match slot.take() {
        Some(mut world) if world.serves(templates, fonts, today) => {
            world.set_data(data)?;
            world
        }
        _ => HuibianWorld::new(templates.clone(), data, fonts.clone(), today)?,
    };
    let world = &*slot.insert(world);

    let started = Instant::now();
    let warned = typst::compile::<PagedDocument>(&world);
    let compile_time = started.elapsed();
    let mut template_source = None;
    for warning in &warned.warnings {
        diags.push(convert(warning, world, sources, &mut template_source));
    }
    match warned.output {
        Ok(document) => Ok(Some(Laid {
            pages: document.pages().len(),
            page_map: query::page_map(&document)?,
            document,
            today,
            compile_time,
            carried,
        })),
        Err(errors) => {
            for error in &errors {
                diags.push(convert(error, world, sources, &mut template_source));
            }
            Ok(None)
        }
    }
}

/// Exports a laid-out book as PDF, with a fixed identifier and timestamp so the same
/// sources give the same bytes. Returns `None` when it cannot be (the reasons are in
/// `diags`).
pub fn export(
    laid: &Laid,
    book: &Book,
    cache: &WorldCache,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<Exported> {
    let started = Instant::now();
    let standards = match book.meta.pdf.typst() {
        Ok(standards) => standards,
        Err(message) => {
            diags.push(Diagnostic::error("pdf-standard", message));
            return None;
        }
    };
    let options = PdfOptions {
        standards,
        // The first half of the PDF's identifier names the document: a redline is
        // another document than the edition it marks.
        ident: Smart::Custom(match book.redline {
            Some(_) => format!("huibian/{}/redline", book.id),
            None => format!("huibian/{}", book.id),
        }),
        creator: Smart::Custom(Some(format!("huibian {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(laid.today)),
        ..PdfOptions::default()
    };
    match typst_pdf::pdf(&laid.document, &options) {
        Ok(pdf) => Some(Exported { pdf, export_time: started.elapsed() }),
        Err(errors) => {
            let slot =
                cache.world.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let mut template_source = None;
            for error in &errors {
                let diagnostic = match slot.as_ref() {
                    // What a standard forbids is the edition's business, not the
                    // template's.
                    _ if !book.meta.pdf.standards.is_empty()
                        && error.message.starts_with("PDF") =>
                    {
                        standard::refusal(error, &book.meta.pdf)
                    }
                    Some(world) => convert(error, world, sources, &mut template_source),
                    None => Diagnostic::error("typst", error.message.to_string()),
                };
                diags.push(diagnostic);
            }
            None
        }
    }
}

/// Turns a Typst diagnostic into ours. Spans in the template are shown against the
/// template's text (added to `sources` on first use); spans in the data have no
/// useful location for an editor and are reported without one.
fn convert(
    diagnostic: &SourceDiagnostic,
    world: &HuibianWorld,
    sources: &mut Sources,
    template_source: &mut Option<SourceId>,
) -> Diagnostic {
    let mut ours = match diagnostic.severity {
        TypstSeverity::Error => {
            Diagnostic::error("typst", diagnostic.message.to_string())
        }
        TypstSeverity::Warning => {
            Diagnostic::warning("typst", diagnostic.message.to_string())
        }
    };
    if diagnostic.span.id() == Some(world.main_id())
        && let Some(range) = world.range(diagnostic.span)
    {
        let id = *template_source.get_or_insert_with(|| {
            sources.add(world.templates().main_path(), world.templates().main.clone())
        });
        ours = ours.with_span(Span::new(id, range)).with_label("in the template");
    }
    for hint in &diagnostic.hints {
        ours = ours.with_hint(hint.v.to_string());
    }
    ours
}

/// Warns about characters no installed font can draw, once each, at the first block
/// that uses them, instead of letting them print as empty boxes.
fn check_coverage(
    book: &Book,
    fonts: &Fonts,
    sources: &Sources,
    diags: &mut Diagnostics,
) {
    let mut missing: BTreeMap<char, Option<Span>> = BTreeMap::new();
    // Every character of the book passes here; each distinct one is looked at once.
    let mut seen = fonts::CharSet::default();
    // A control character has no glyph: without a standard it is left to the
    // `control-character` check's warning; a standard forbids writing it at all.
    // Line and page breaks (tab, VT, FF) are breaks to Typst, never glyphs.
    let strict = book.meta.pdf.forbids_missing_glyphs();
    // The standards also forbid U+FEFF and U+FFFE in the text (the BOM pasted into
    // a paragraph), though renderers draw nothing for them.
    let forbidden = |c: char| strict && matches!(c, '\u{FEFF}' | '\u{FFFE}');
    let drawn = |c: char| {
        if forbidden(c) {
            true
        } else if c.is_control() {
            strict && !matches!(c, '\t' | '\n' | '\r' | '\u{b}' | '\u{c}')
        } else {
            !c.is_whitespace() && !is_default_ignorable(c)
        }
    };
    let mut visit = |text: &str, span: Option<&Span>| {
        for c in text.chars() {
            if seen.insert(u32::from(c))
                && drawn(c)
                && (c.is_control() || forbidden(c) || !fonts.covers(c))
            {
                // Narrow the span to the character itself when the source shows it.
                let exact = span.map(|span| {
                    let source = &sources.get(span.source).text;
                    match source.get(span.range.clone()).and_then(|t| t.find(c)) {
                        Some(at) => {
                            let start = span.range.start + at;
                            Span::new(span.source, start..start + c.len_utf8())
                        }
                        None => span.clone(),
                    }
                });
                missing.insert(c, exact);
            }
        }
    };
    visit(&book.meta.title, None);
    for text in
        book.intro.iter().chain(book.categories.iter().filter_map(|c| c.body.as_ref()))
    {
        walk_blocks(&text.doc.blocks, &mut visit);
    }
    for category in &book.categories {
        visit(&category.title, None);
        for policy in &category.policies {
            visit(&policy.meta.title, None);
            walk_blocks(&policy.doc.blocks, &mut visit);
        }
    }
    let pdf = &book.meta.pdf;
    for (c, span) in missing {
        // Never echo a control character to the terminal.
        let shown = if c.is_control() { String::new() } else { format!("`{c}` ") };
        let mut diagnostic = if matches!(c, '\u{FEFF}' | '\u{FFFE}') || c.is_control() {
            Diagnostic::error(
                "glyph",
                format!("the invisible character U+{:04X} cannot be written into a PDF that conforms to {}", c as u32, pdf.label()),
            )
            .with_hint(format!("delete it (it is invisible: a byte-order mark or a control character pasted with the text); the standard is {}", pdf.chosen_where()))
        } else if pdf.forbids_missing_glyphs() {
            Diagnostic::error(
                "glyph",
                format!(
                    "no installed font has the character {shown}(U+{:04X}), and {} forbids printing it as a box",
                    c as u32,
                    pdf.label()
                ),
            )
            .with_hint(format!("the standard is {}", pdf.chosen_where()))
        } else {
            Diagnostic::warning(
                "glyph",
                format!("no installed font has the character {shown}(U+{:04X}); it will print as a box", c as u32),
            )
        }
        .with_hint(INSTALL_HINT);
        if let Some(span) = span {
            diagnostic = diagnostic.with_span(span);
        }
        diags.push(diagnostic);
    }
}

/// Unicode's default-ignorable code points (zero-width spaces and joiners, bidi
/// controls, variation selectors, the BOM): a renderer draws nothing for them, so
/// no font needs a glyph.
fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{34F}' | '\u{61C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Text of every inline in `blocks`, with its span.
fn walk_blocks(blocks: &[Block], visit: &mut impl FnMut(&str, Option<&Span>)) {
    crate::markdown::walk_inlines(blocks, &mut |inline| {
        if let InlineKind::Text(text) | InlineKind::Code(text) = &inline.kind {
            visit(text, Some(&inline.span));
        }
    });
}

/// Writes exactly what the Typst compiler sees into `dir`: the main template (and the
/// rest of the template folder), `book.json`, `policy/<n>.json` and the images under
/// `edition/`, so that
/// `typst compile <dir>/edition.typ` typesets the same book without huibian (with the
/// same fonts installed). For benchmarks and for debugging a template.
pub fn emit(
    book: &Book,
    fonts: &Fonts,
    templates: &Templates,
    dir: &std::path::Path,
) -> anyhow::Result<()> {
    let plan = fonts.plan().map_err(|err| anyhow::anyhow!("{err}; {INSTALL_HINT}"))?;
    // What Typst is given for the book itself; the hint from a last build is state of
    // huibian's, not input (`typst compile` of this folder lays it out unaided).
    let data = data::book_data(book, &plan, LayoutHint::default(), &templates.main)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    if let Some(template_dir) = &templates.dir {
        collect_files(template_dir, template_dir, &mut files)?;
    }
    files.retain(|(path, _)| path != world::MAIN_TEMPLATE);
    files.push((world::MAIN_TEMPLATE.to_string(), templates.main.clone().into_bytes()));
    files.push((world::DATA_PATH.to_string(), data.main));
    files.extend(data.policies);
    files.extend(
        data.carried
            .into_iter()
            .map(|(name, bytes)| (self::data::attachment_vpath(&name), bytes.to_vec())),
    );
    // The images at the paths the data names them by (`edition/…`).
    files.retain(|(path, _)| !path.starts_with(self::data::EDITION_PREFIX));
    for path in data.images.paths() {
        let bytes = data
            .images
            .read(path)
            .map_err(|e| anyhow::anyhow!("reading the image {path}: {e}"))?;
        files.push((self::data::image_vpath(path), bytes));
    }
    crate::output::write_dir_atomic(dir, &files)
}

fn collect_files(
    root: &std::path::Path,
    dir: &std::path::Path,
    files: &mut Vec<(String, Vec<u8>)>,
) -> anyhow::Result<()> {
    use anyhow::Context;
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?
    {
        let path = entry?.path();
        // The HTML templates live beside the Typst ones; Typst never reads them.
        let html = path.file_name().is_some_and(|n| n == "html")
            || path.extension().is_some_and(|e| e == "html");
        if html {
            continue;
        }
        if path.is_dir() {
            collect_files(root, &path, files)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let bytes = std::fs::read(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            files.push((rel.to_string_lossy().replace('\\', "/"), bytes));
        }
    }
    Ok(())
}

#[cfg(test)]
mod hint_tests {
    use super::LayoutHint;
    use crate::toc::Toc;
    use crate::typeset::query::Contents;

    fn toc(pages: u32, contents: Option<(u32, u32)>) -> Toc {
        Toc {
            edition: "2021-Q4".into(),
            title: "汇编".into(),
            pdf: "2021-Q4.pdf".into(),
            pages,
            entries: Vec::new(),
            lists: Vec::new(),
            contents: contents.map(|(page, pages)| Contents { page, pages }),
        }
    }

    /// The hint comes from a file on disk: what no laid-out book can have written is
    /// no hint at all (the build then takes Typst's extra pass, nothing worse).
    #[test]
    fn a_damaged_toc_json_gives_no_hint() {
        assert_eq!(LayoutHint::from_toc(&toc(139, Some((3, 2)))).contents_pages, Some(2));
        assert_eq!(LayoutHint::from_toc(&toc(139, None)).contents_pages, None);
        assert_eq!(LayoutHint::from_toc(&toc(139, Some((3, 0)))).contents_pages, None);
        assert_eq!(LayoutHint::from_toc(&toc(139, Some((3, 140)))).contents_pages, None);
        let huge = toc(u32::MAX, Some((3, u32::MAX)));
        assert_eq!(LayoutHint::from_toc(&huge).contents_pages, None);
    }
}
