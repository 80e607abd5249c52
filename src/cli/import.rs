//! `huibian import`: an older edition's extracted text (or its PDF) → `sources/<ID>/`.

use std::path::Path;

use anyhow::{Context, bail};

use super::{ImportArgs, Outcome};
use crate::import::{self, ImportReport};
use crate::output::write_dir_atomic;
use crate::source::Sources;

/// Imports `args.input` as edition `args.edition` under `sources/`.
pub(crate) fn import(args: &ImportArgs) -> anyhow::Result<Outcome> {
    let target = Path::new("sources").join(&args.edition);
    if target.exists() && !args.force {
        bail!("{} already exists; pass --force to replace it", target.display());
    }
    let text = read_input(&args.input)?;
    let imported = match import::import_text(&text, &args.edition) {
        Ok(imported) => imported,
        Err(err) => {
            eprintln!("error: cannot import {}: {err}", args.input.display());
            return Ok(Outcome::SourceErrors);
        }
    };
    write_dir_atomic(&target, &imported.files)?;
    report(&args.input, text, &imported.report, &target);
    Ok(Outcome::Success)
}

/// The text of a `.txt` file, or the text of a PDF's pages joined the way the
/// importer expects (one space where a line ended).
fn read_input(path: &Path) -> anyhow::Result<String> {
    let is_pdf = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if !is_pdf {
        let bytes =
            std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        return String::from_utf8(bytes).map_err(|e| {
            anyhow::anyhow!(
                "{} is not UTF-8 text (first bad byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            )
        });
    }
    crate::import::pdf::text_of_pdf(path)
}

fn report(input: &Path, text: String, report: &ImportReport, target: &Path) {
    eprintln!(
        "imported {} policies ({} paragraphs, {} headings) into {}",
        report.policies,
        report.paragraphs,
        report.headings,
        target.display()
    );
    if !report.repairs.is_empty() {
        let repairs: Vec<String> =
            report.repairs.iter().map(|(kind, n)| format!("{kind} {n}")).collect();
        eprintln!("repairs: {}", repairs.join(", "));
    }
    if report.warnings.is_empty() {
        return;
    }
    let mut sources = Sources::new();
    let id = sources.add(input.to_path_buf(), text);
    let file = sources.get(id);
    for warning in &report.warnings {
        let (line, col) = file.line_col(warning.line_or_offset);
        eprintln!("warning: {}:{line}:{col}: {}", input.display(), warning.message);
    }
    eprintln!(
        "{} warnings: proofread those places in {}",
        report.warnings.len(),
        target.display()
    );
}
