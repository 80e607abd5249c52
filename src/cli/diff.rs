//! `huibian diff`: load both sides, compare, render, exit like diff(1).

use std::io::IsTerminal;

use super::{DiffArgs, DiffFormat, Outcome, print};
use crate::diag::{self as diagnostics, Diagnostics};
use crate::diff::{self, DiffOptions};
use crate::output::write_atomic;
use crate::pipeline::{self, FontChoice, Renderers};
use crate::project::Project;

/// Compares `args.old` with `args.new`.
pub(crate) fn diff(args: &DiffArgs) -> anyhow::Result<Outcome> {
    let project = Project::current();
    let (old, _) = diff::load_side(&args.old, &project)?;
    let (new, new_sources) = diff::load_side(&args.new, &project)?;
    let report = diff::editions(&old, &new, &DiffOptions { exact: args.exact });
    let colour = args.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let text = match args.format {
        DiffFormat::Json => diff::to_json(&report),
        DiffFormat::Html => diff::to_html(&report)?,
        DiffFormat::Text if args.stat => diff::to_stat(&report),
        DiffFormat::Text => diff::to_text(&report, colour),
        DiffFormat::Pdf => return redline(args, &project, (&old, &new), new_sources),
    };
    match &args.output {
        Some(path) => {
            write_atomic(path, text.as_bytes())?;
            eprintln!("wrote {}", path.display());
        }
        None => print::stdout(&text)?,
    }
    Ok(if report.has_changes() { Outcome::Differences } else { Outcome::Success })
}

/// `--format pdf`: typesets the new edition with the changes marked.
fn redline(
    args: &DiffArgs,
    project: &Project,
    (old, new): (&crate::book::Book, &crate::book::Book),
    mut sources: crate::source::Sources,
) -> anyhow::Result<Outcome> {
    let renderers = Renderers::new(project, &[], FontChoice::All)?;
    let mut diags = Diagnostics::default();
    let options = DiffOptions { exact: args.exact };
    let made =
        pipeline::redline(old, new, &options, &renderers, &mut sources, &mut diags)?;
    diagnostics::emit_human(&sources, &diags.take());
    let Some((pdf, pages)) = made.pdf else {
        eprintln!("error: the redline could not be typeset; nothing was written");
        return Ok(Outcome::SourceErrors);
    };
    let path = match &args.output {
        Some(path) => path.clone(),
        None => pipeline::output_dir(&project.root().join("out"), &new.id)
            .join(format!("{}.redline.pdf", new.id)),
    };
    write_atomic(&path, &pdf)?;
    eprintln!(
        "wrote {} ({pages} pages): {} against {}, {} changes listed on its 变更说明 page",
        path.display(),
        new.id,
        old.id,
        made.notes
    );
    Ok(if made.diff.has_changes() { Outcome::Differences } else { Outcome::Success })
}
