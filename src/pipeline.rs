//! The whole build of one edition, stage after stage: load → assemble → typeset →
//! TOC → write. The command line, and anything else that builds (`toc`, later
//! `serve`), calls [`build_edition`] and decides how to show the outcome.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::book;
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::Edition;
use crate::html::{self, HtmlTemplates, Site};
use crate::output::write_atomic;
use crate::output::write_dir_atomic;
use crate::source::Sources;
use crate::toc::{self, Toc};
use crate::typeset::{self, fonts::Fonts, world::Templates};

/// Which outputs a build makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Only {
    /// The PDF, toc.json and the HTML site.
    #[default]
    All,
    /// The PDF and toc.json.
    Pdf,
    /// The HTML site alone, with page references from the last toc.json.
    Html,
}

/// What every build of a run shares: fonts and both sets of templates.
pub struct Renderers {
    /// Installed fonts.
    pub fonts: Arc<Fonts>,
    /// The Typst template.
    pub typst: Templates,
    /// The HTML templates.
    pub html: HtmlTemplates,
    /// Typst's World between builds of one process.
    pub world: typeset::WorldCache,
}

/// What one edition's build produced.
pub struct BuildReport {
    /// Every file read, for showing diagnostics.
    pub sources: Sources,
    /// Findings, errors and warnings.
    pub diagnostics: Diagnostics,
    /// The outputs, when the build succeeded.
    pub built: Option<Built>,
}

/// The files a successful build wrote.
pub struct Built {
    /// Edition id.
    pub id: String,
    /// `out/<ID>/<ID>.pdf`.
    pub pdf_path: PathBuf,
    /// `out/<ID>/toc.json`.
    pub toc_path: PathBuf,
    /// The regenerated table of contents.
    pub toc: Toc,
    /// The book that was built (for `serve`, which renders it again as HTML).
    pub book: book::Book,
    /// The PDF's bytes, as written.
    pub pdf: Vec<u8>,
    /// Time for the whole build.
    pub total: Duration,
    /// Time in Typst's layout.
    pub compile: Duration,
    /// Time in PDF export.
    pub export: Duration,
    /// The HTML site, when it was made.
    pub site: Option<Site>,
    /// Time rendering and writing the HTML site.
    pub html: Duration,
}

/// Where an edition's outputs go: `<out_root>/<ID>/`.
pub fn output_dir(out_root: &Path, id: &str) -> PathBuf {
    out_root.join(id)
}

/// Builds the edition in `folder` into `<out_root>/<ID>/`: the PDF and toc.json, then
/// the HTML site (its page numbers come from the new toc.json). `Err` is an I/O
/// problem; problems in the sources are in the report's diagnostics, and then nothing
/// is written.
pub fn build_edition(
    folder: &Path,
    out_root: &Path,
    renderers: &Renderers,
    only: Only,
) -> anyhow::Result<BuildReport> {
    let started = Instant::now();
    let mut sources = Sources::new();
    let mut diagnostics = Diagnostics::default();
    let report = |sources, diagnostics| BuildReport { sources, diagnostics, built: None };

    let Some(edition) = Edition::load(folder, &mut sources, &mut diagnostics)? else {
        return Ok(report(sources, diagnostics));
    };
    let book = book::assemble(&edition, &sources, &mut diagnostics);
    if diagnostics.has_errors() {
        return Ok(report(sources, diagnostics));
    }
    let dir = output_dir(out_root, &edition.id);
    let pdf_path = dir.join(format!("{}.pdf", edition.id));
    let toc_path = dir.join("toc.json");

    let (toc, pdf, compile, export) = if only == Only::Html {
        let toc = previous_toc(&toc_path, &mut diagnostics);
        (toc, Vec::new(), Duration::ZERO, Duration::ZERO)
    } else {
        let Some(typeset) = typeset::typeset(
            &book,
            &renderers.fonts,
            &renderers.typst,
            &renderers.world,
            &mut sources,
            &mut diagnostics,
        )?
        else {
            return Ok(report(sources, diagnostics));
        };
        let toc = match toc::build(&book, &typeset.page_map) {
            Ok(toc) => toc,
            Err(missing) => {
                diagnostics.push(
                    Diagnostic::error(
                        "toc",
                        format!("the laid-out book lacks the headings {}", missing.join(", ")),
                    )
                    .with_hint("the template must label every category, policy and section heading with its id"),
                );
                return Ok(report(sources, diagnostics));
            }
        };
        write_atomic(&pdf_path, &typeset.pdf)?;
        write_atomic(&toc_path, toc.to_json().as_bytes())?;
        (Some(toc), typeset.pdf, typeset.compile_time, typeset.export_time)
    };

    let html_started = Instant::now();
    let site = if only == Only::Pdf {
        None
    } else {
        let site = html::render_site(&book, toc.as_ref(), &renderers.html)?;
        write_dir_atomic(&dir.join("html"), &site.files)?;
        Some(site)
    };
    let html_time = html_started.elapsed();

    let built = Built {
        id: edition.id,
        pdf_path,
        toc_path,
        toc: toc.unwrap_or_else(|| Toc {
            edition: book.id.clone(),
            title: book.meta.title.clone(),
            pdf: String::new(),
            pages: 0,
            entries: Vec::new(),
        }),
        book,
        pdf,
        total: started.elapsed(),
        compile,
        export,
        site,
        html: html_time,
    };
    Ok(BuildReport { sources, diagnostics, built: Some(built) })
}

/// The toc.json of the last PDF build, for an HTML-only build; `None` (with a
/// warning) when there is none, and the site is made without page numbers.
fn previous_toc(path: &Path, diagnostics: &mut Diagnostics) -> Option<Toc> {
    let toc = std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    if toc.is_none() {
        diagnostics.push(
            Diagnostic::warning(
                "no-toc",
                format!(
                    "{} is missing: the HTML site has no page numbers",
                    path.display()
                ),
            )
            .with_hint("build the PDF once (`huibian build`) to link pages"),
        );
    }
    toc
}

/// Writes what Typst sees for the edition in `folder` into `dir` (see
/// [`typeset::emit`]); the report carries the findings if the sources have errors.
pub fn emit_typst(
    folder: &Path,
    dir: &Path,
    renderers: &Renderers,
) -> anyhow::Result<BuildReport> {
    let mut sources = Sources::new();
    let mut diagnostics = Diagnostics::default();
    let Some(edition) = Edition::load(folder, &mut sources, &mut diagnostics)? else {
        return Ok(BuildReport { sources, diagnostics, built: None });
    };
    let book = book::assemble(&edition, &sources, &mut diagnostics);
    if !diagnostics.has_errors() {
        typeset::emit(&book, &renderers.fonts, &renderers.typst, dir)?;
    }
    Ok(BuildReport { sources, diagnostics, built: None })
}
