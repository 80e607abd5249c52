//! `huibian check`: load and assemble each edition, report every finding; with
//! `--pdf`, verify the built PDF against its toc.json.

use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;

use super::build::edition_folders;
use super::{CheckArgs, CheckFormat, Outcome};
use crate::book;
use crate::diag::{self, Diagnostic, Diagnostics, JsonDiagnostic};
use crate::edition::Edition;
use crate::pdf_check::{self, PdfReader};
use crate::pipeline::output_dir;
use crate::source::Sources;
use crate::toc::Toc;

#[derive(Serialize)]
struct EditionFindings {
    edition: String,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
}

/// Checks the editions named in `args`.
pub(crate) fn check(args: &CheckArgs) -> anyhow::Result<Outcome> {
    let folders = edition_folders(&PathBuf::new(), &args.editions)?;
    let mut outcome = Outcome::Success;
    let mut json = Vec::new();
    for folder in &folders {
        let mut sources = Sources::new();
        let mut diags = Diagnostics::default();
        let edition = Edition::load(folder, &mut sources, &mut diags)?;
        if let Some(edition) = &edition {
            let book = book::assemble(edition, &sources, &mut diags);
            crate::check::check(edition, &book, &sources, &mut diags);
            if args.pdf && !diags.has_errors() {
                check_pdf(&output_dir(&args.out, &book.id), &book.id, &mut diags)?;
            }
        }
        if diags.has_errors() {
            outcome = Outcome::SourceErrors;
        }
        let (errors, warnings) = diags.counts();
        let findings = diags.take();
        match args.format {
            CheckFormat::Text => {
                diag::emit_human(&sources, &findings);
                let what = if args.pdf { "sources and PDF" } else { "sources" };
                eprintln!(
                    "{}: {what}: {errors} errors, {warnings} warnings",
                    folder.display()
                );
            }
            CheckFormat::Json => json.push(EditionFindings {
                edition: folder.display().to_string(),
                errors,
                warnings,
                diagnostics: diag::to_json(&sources, &findings),
            }),
        }
    }
    if args.format == CheckFormat::Json {
        println!("{}", serde_json::to_string_pretty(&json)?);
    }
    Ok(outcome)
}

/// Reads `<dir>/<id>.pdf` and `<dir>/toc.json` and reports every disagreement.
fn check_pdf(
    dir: &std::path::Path,
    id: &str,
    diags: &mut Diagnostics,
) -> anyhow::Result<()> {
    let toc_path = dir.join("toc.json");
    let pdf_path = dir.join(format!("{id}.pdf"));
    if !toc_path.is_file() || !pdf_path.is_file() {
        anyhow::bail!(
            "{} or {} is missing: run `huibian build` first",
            pdf_path.display(),
            toc_path.display()
        );
    }
    let text = std::fs::read_to_string(&toc_path)
        .with_context(|| format!("reading {}", toc_path.display()))?;
    let toc: Toc = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a huibian toc.json", toc_path.display()))?;
    let pdf = PdfReader::open(&pdf_path)?;
    for problem in pdf_check::verify(&pdf, &toc) {
        diags.push(
            Diagnostic::error("pdf-mismatch", format!("{}: {problem}", pdf_path.display()))
                .with_hint("rebuild with `huibian build`; if it persists, the template mislabels a heading"),
        );
    }
    Ok(())
}
