//! `huibian build`: build each edition and say what was written.

use std::path::Path;
use std::time::Instant;

use anyhow::bail;

use super::{BuildArgs, OnlyOutput, Outcome};
use crate::diag;
use crate::pipeline::{self, FontChoice, Only, Renderers};
use crate::project::Project;
use crate::typeset;

/// Builds the editions named in `args` (all under `sources/` if none).
pub(crate) fn build(args: &BuildArgs) -> anyhow::Result<Outcome> {
    let project = Project::current();
    let folders = project.editions(&args.editions)?;
    let started = Instant::now();
    let fonts = if args.only == Some(OnlyOutput::Html) && args.emit_typst.is_none() {
        FontChoice::None
    } else if args.ignore_system_fonts {
        FontChoice::WithoutSystem
    } else {
        FontChoice::All
    };
    if args.timings.is_some() {
        typeset::timings::start();
    }
    let mut renderers = Renderers::new(&project, &args.font_paths, fonts)?;
    renderers.pdf_standard = args.pdf_standard.clone();
    let font_time = started.elapsed();

    if let Some(dir) = &args.emit_typst {
        let [folder] = folders.as_slice() else {
            bail!("--emit-typst takes one edition at a time");
        };
        if emit_typst(folder, dir, &renderers)? == Outcome::SourceErrors {
            return Ok(Outcome::SourceErrors);
        }
    }
    let mut outcome = Outcome::Success;
    for folder in &folders {
        if build_one(folder, &args.out, &renderers, args.only.into())?
            == Outcome::SourceErrors
        {
            outcome = Outcome::SourceErrors;
        }
        // Typst's memoized results of one edition are of little use to the next and
        // would pile up (16 editions: 4× one edition's memory); keep the last one's.
        typst::comemo::evict(1);
    }
    if let Some(path) = &args.timings {
        typeset::timings::write(path, &renderers.world)?;
        eprintln!("wrote Typst's timings to {}", path.display());
    }
    if folders.len() > 1 {
        eprintln!(
            "built {} editions in {:.2} s (font scan {:.2} s)",
            folders.len(),
            started.elapsed().as_secs_f64(),
            font_time.as_secs_f64()
        );
    }
    Ok(outcome)
}

fn emit_typst(
    folder: &Path,
    dir: &Path,
    renderers: &Renderers,
) -> anyhow::Result<Outcome> {
    let mut report = pipeline::emit_typst(folder, dir, renderers)?;
    let failed = report.diagnostics.has_errors();
    diag::emit_human(&report.sources, &report.diagnostics.take());
    if failed {
        return Ok(Outcome::SourceErrors);
    }
    eprintln!(
        "wrote the Typst input to {} (typst compile {})",
        dir.display(),
        dir.join("edition.typ").display()
    );
    Ok(Outcome::Success)
}

/// Builds one edition and prints its findings and what it wrote.
pub(crate) fn build_one(
    folder: &Path,
    out_root: &Path,
    renderers: &Renderers,
    only: Only,
) -> anyhow::Result<Outcome> {
    let mut report = pipeline::build_edition(folder, out_root, renderers, only)?;
    diag::emit_human(&report.sources, &report.diagnostics.take());
    let Some(built) = report.built else {
        eprintln!(
            "error: {} was not built; the previous outputs are unchanged",
            folder.display()
        );
        return Ok(Outcome::SourceErrors);
    };
    if only != Only::Html {
        eprintln!(
            "wrote {} ({} pages, {} KiB) and {} in {:.2} s (typst layout {:.2} s, pdf export {:.2} s)",
            built.pdf_path.display(),
            built.pages(),
            built.pdf.len() / 1024,
            built.toc_path.display(),
            built.times.total.as_secs_f64(),
            built.times.compile.as_secs_f64(),
            built.times.export.as_secs_f64(),
        );
        if built.book.meta.pdf.embed_sources {
            eprintln!(
                "the PDF carries the edition's {} source files (`huibian import` gives them back); \
                 the site offers them as {}-sources.zip",
                built.book.files.paths().count() + built.book.images.paths().count() + 1,
                built.id
            );
        }
    }
    if let Some((files, bytes)) = built.html {
        let when = if only == Only::Html {
            format!("in {:.2} s", built.times.total.as_secs_f64())
        } else {
            // Rendered on a second thread while the PDF was exported.
            format!(
                "rendered in {:.2} s beside the PDF export",
                built.times.html.as_secs_f64()
            )
        };
        eprintln!(
            "wrote {} ({} files, {} KiB) {when}",
            built.pdf_path.with_file_name("html").join("index.html").display(),
            files,
            bytes / 1024,
        );
    }
    Ok(Outcome::Success)
}
