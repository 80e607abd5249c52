//! `huibian build`: load, assemble, typeset and write each edition.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};

use super::{BuildArgs, Outcome};
use crate::diag;
use crate::edition;
use crate::html::HtmlTemplates;
use crate::pipeline;
use crate::pipeline::{Only, Renderers};
use crate::typeset::{fonts::Fonts, world::Templates};

/// Builds the editions named in `args` (all under `sources/` if none).
pub(crate) fn build(args: &BuildArgs) -> anyhow::Result<Outcome> {
    let project = PathBuf::new();
    let folders = edition_folders(&project, &args.editions)?;
    let started = Instant::now();
    // The HTML site needs no fonts: load none for `--only html`.
    let html_only = args.only == Some(super::OnlyOutput::Html);
    let fonts = if html_only && args.emit_typst.is_none() {
        FontChoice::None
    } else if args.ignore_system_fonts {
        FontChoice::WithoutSystem
    } else {
        FontChoice::All
    };
    let renderers = setup_with(&project, &args.font_paths, fonts)?;
    let font_time = started.elapsed();

    let mut outcome = Outcome::Success;
    if let Some(dir) = &args.emit_typst {
        if folders.len() > 1 {
            bail!("--emit-typst takes one edition at a time");
        }
        for folder in &folders {
            let mut report = pipeline::emit_typst(folder, dir, &renderers)?;
            let findings = report.diagnostics.take();
            let failed = findings.iter().any(|d| d.is_error());
            diag::emit_human(&report.sources, &findings);
            if failed {
                return Ok(Outcome::SourceErrors);
            }
            eprintln!(
                "wrote the Typst input to {} (typst compile {})",
                dir.display(),
                dir.join("edition.typ").display()
            );
        }
    }
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

/// Which fonts a run loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FontChoice {
    /// System fonts, `fonts/`, `--font-path` folders and the embedded ones.
    All,
    /// All but the system's (`--ignore-system-fonts`).
    WithoutSystem,
    /// None: the run typesets nothing (`--only html`).
    None,
}

/// The fonts and templates every build in this run uses.
pub(crate) fn setup(
    project: &Path,
    font_paths: &[PathBuf],
    ignore_system_fonts: bool,
) -> anyhow::Result<Renderers> {
    let fonts =
        if ignore_system_fonts { FontChoice::WithoutSystem } else { FontChoice::All };
    setup_with(project, font_paths, fonts)
}

/// [`setup`] with a choice of fonts.
fn setup_with(
    project: &Path,
    font_paths: &[PathBuf],
    fonts: FontChoice,
) -> anyhow::Result<Renderers> {
    for path in font_paths {
        if !path.is_dir() {
            bail!("--font-path {}: no such folder", path.display());
        }
    }
    let mut font_folders = vec![project.join("fonts")];
    font_folders.extend(font_paths.iter().cloned());
    let fonts = Arc::new(match fonts {
        FontChoice::All => Fonts::discover(&font_folders),
        FontChoice::WithoutSystem => Fonts::without_system(&font_folders),
        FontChoice::None => Fonts::none(),
    });
    Ok(Renderers {
        fonts,
        typst: Templates::locate(project)?,
        html: HtmlTemplates::locate(project)?,
        world: Default::default(),
    })
}

/// The edition folders a command names, or every edition under `sources/`.
pub(crate) fn edition_folders(
    project: &Path,
    names: &[String],
) -> anyhow::Result<Vec<PathBuf>> {
    let sources_dir = project.join("sources");
    if names.is_empty() {
        let found = edition::discover(&sources_dir).with_context(|| {
            "no edition given, and none found under sources/".to_string()
        })?;
        if found.is_empty() {
            bail!("no edition given, and {} holds none", sources_dir.display());
        }
        return Ok(found);
    }
    names.iter().map(|name| edition::resolve(name, &sources_dir)).collect()
}

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
            built.toc.pages,
            built.pdf.len() / 1024,
            built.toc_path.display(),
            built.total.as_secs_f64(),
            built.compile.as_secs_f64(),
            built.export.as_secs_f64(),
        );
    }
    if let Some(site) = &built.site {
        let when = if only == Only::Html {
            format!("in {:.2} s", built.total.as_secs_f64())
        } else {
            // Rendered on a second thread while the PDF was exported.
            format!("rendered in {:.2} s beside the PDF export", built.html.as_secs_f64())
        };
        eprintln!(
            "wrote {} ({} files, {} KiB) {when}",
            built.pdf_path.with_file_name("html").join("index.html").display(),
            site.files.len(),
            site.size() / 1024,
        );
    }
    Ok(Outcome::Success)
}
