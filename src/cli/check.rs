//! `huibian check`: report every finding of each edition; with `--pdf`, verify the
//! built PDF against its toc.json.

use serde::Serialize;

use super::{CheckArgs, CheckFormat, Outcome, print};
use crate::diag::{self, JsonDiagnostic};
use crate::project::Project;

#[derive(Serialize)]
struct EditionFindings {
    edition: String,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
}

/// Checks the editions named in `args`.
pub(crate) fn check(args: &CheckArgs) -> anyhow::Result<Outcome> {
    let folders = Project::current().editions(&args.editions)?;
    let mut outcome = Outcome::Success;
    let mut json = Vec::new();
    for folder in &folders {
        let built_in = args.pdf.then_some(args.out.as_path());
        let options = crate::check::CheckOptions { built_in, suggest: args.suggest };
        let mut loaded = crate::check::check_folder(folder, &options)?;
        if loaded.diagnostics.has_errors() {
            outcome = Outcome::SourceErrors;
        }
        let (errors, warnings) = loaded.diagnostics.counts();
        let findings = loaded.diagnostics.take();
        match args.format {
            CheckFormat::Text => {
                diag::emit_human(&loaded.sources, &findings);
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
                diagnostics: diag::to_json(&loaded.sources, &findings),
            }),
        }
    }
    if args.format == CheckFormat::Json {
        print::stdout(&format!("{}\n", serde_json::to_string_pretty(&json)?))?;
    }
    Ok(outcome)
}
