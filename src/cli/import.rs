//! `huibian import`: an older edition's extracted text (or its PDF) → `sources/<ID>/`.

use super::{ImportArgs, Outcome};
use crate::diag;
use crate::import::{TemplateRestored, import_edition};
use crate::project::Project;

/// Imports `args.input` as edition `args.edition` under `sources/`.
pub(crate) fn import(args: &ImportArgs) -> anyhow::Result<Outcome> {
    let project = Project::current();
    let mut run =
        import_edition(&project, &args.input, &args.edition, args.force, args.from_text)?;
    if let Some(restored) = &run.restored {
        eprintln!(
            "restored {} files of {} into {}, byte for byte, from the sources the PDF carries \
             (--from-text reads the printed text instead)",
            restored.files,
            restored.from,
            run.target.display()
        );
        match &restored.template {
            TemplateRestored::Absent => {}
            TemplateRestored::Same => {
                eprintln!("its template is the one this project builds with")
            }
            TemplateRestored::SavedAt(path) => eprintln!(
                "its template differs from this project's: saved as {}; copy it to templates/ \
                 to build the edition as it was built",
                path.display()
            ),
        }
        return Ok(Outcome::Success);
    }
    if let Some(report) = &run.report {
        eprintln!(
            "imported {} policies ({} paragraphs, {} headings) into {}",
            report.policies,
            report.paragraphs,
            report.headings,
            run.target.display()
        );
        if !report.repairs.is_empty() {
            let repairs: Vec<String> =
                report.repairs.iter().map(|(kind, n)| format!("{kind} {n}")).collect();
            eprintln!("repairs: {}", repairs.join(", "));
        }
    }
    let findings = run.diagnostics.take();
    // The input is the text of a whole book, often on one line: no source lines.
    diag::emit_short(&run.sources, &findings);
    if run.report.is_none() {
        return Ok(Outcome::SourceErrors);
    }
    if !findings.is_empty() {
        eprintln!(
            "{} warnings: proofread those places in {}",
            findings.len(),
            run.target.display()
        );
    }
    Ok(Outcome::Success)
}
