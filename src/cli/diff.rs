//! `huibian diff`: load both sides, compare, render, exit like diff(1).

use std::io::IsTerminal;

use super::{DiffArgs, DiffFormat, Outcome, print};
use crate::diff::{self, DiffOptions};
use crate::output::write_atomic;
use crate::project::Project;

/// Compares `args.old` with `args.new`.
pub(crate) fn diff(args: &DiffArgs) -> anyhow::Result<Outcome> {
    let project = Project::current();
    let (old, _) = diff::load_side(&args.old, &project)?;
    let (new, _) = diff::load_side(&args.new, &project)?;
    let report = diff::editions(&old, &new, &DiffOptions { exact: args.exact });
    let colour = args.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let text = match args.format {
        DiffFormat::Json => diff::to_json(&report),
        DiffFormat::Html => diff::to_html(&report)?,
        DiffFormat::Text if args.stat => diff::to_stat(&report),
        DiffFormat::Text => diff::to_text(&report, colour),
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
