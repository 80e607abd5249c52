//! The whole build of one edition, stage after stage: load → assemble → typeset →
//! TOC → write. The command line, and anything else that builds (`toc`, later
//! `serve`), calls [`build_edition`] and decides how to show the outcome.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::book;
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::Edition;
use crate::output::write_atomic;
use crate::source::Sources;
use crate::toc::{self, Toc};
use crate::typeset::{self, fonts::Fonts, world::Templates};

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
}

/// Where an edition's outputs go: `<out_root>/<ID>/`.
pub fn output_dir(out_root: &Path, id: &str) -> PathBuf {
    out_root.join(id)
}

/// Builds the edition in `folder` into `<out_root>/<ID>/`. `Err` is an I/O problem;
/// problems in the sources are in the report's diagnostics, and then nothing is written.
pub fn build_edition(
    folder: &Path,
    out_root: &Path,
    fonts: &Arc<Fonts>,
    templates: &Templates,
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
    let Some(typeset) =
        typeset::typeset(&book, fonts, templates, &mut sources, &mut diagnostics)?
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

    let dir = output_dir(out_root, &edition.id);
    let pdf_path = dir.join(format!("{}.pdf", edition.id));
    let toc_path = dir.join("toc.json");
    write_atomic(&pdf_path, &typeset.pdf)?;
    write_atomic(&toc_path, toc.to_json().as_bytes())?;
    let built = Built {
        id: edition.id,
        pdf_path,
        toc_path,
        toc,
        book,
        pdf: typeset.pdf,
        total: started.elapsed(),
        compile: typeset.compile_time,
        export: typeset.export_time,
    };
    Ok(BuildReport { sources, diagnostics, built: Some(built) })
}
