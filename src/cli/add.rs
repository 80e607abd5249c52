//! `huibian add`: published pages and files → policy files in an edition.

use super::print::stdout;
use super::{AddArgs, Outcome};
use crate::add::{Added, Request, Run, add as add_policies};
use crate::diag;
use crate::project::Project;

/// Adds `args.inputs` to the edition and prints what was read, from where, and what
/// `check` finds in the new files.
pub(crate) fn add(args: &AddArgs) -> anyhow::Result<Outcome> {
    let project = Project::current();
    let request = Request {
        inputs: args.inputs.clone(),
        edition: project.resolve(&args.edition)?,
        category: args.category.clone(),
        dry_run: args.dry_run,
        replace: args.replace,
    };
    let mut run = add_policies(&request)?;
    for added in &run.added {
        eprint!("{}", describe(added, &run));
        if args.dry_run {
            stdout(&format!("--- {} ---\n{}\n", added.file, added.markdown))?;
        }
    }
    if args.dry_run && run.manifest.0 != run.manifest.1 {
        stdout(&manifest_diff(&run.manifest.0, &run.manifest.1))?;
    }
    let findings = run.diagnostics.take();
    diag::emit_human(&run.sources, &findings);
    let errors = findings.iter().any(|d| d.is_error());
    if run.written {
        eprintln!(
            "added {} {} to {} in {}",
            run.added.len(),
            if run.added.len() == 1 { "policy" } else { "policies" },
            run.category,
            request.edition.display()
        );
    } else if args.dry_run && !errors {
        eprintln!("dry run: nothing written");
    } else if errors && run.added.is_empty() {
        eprintln!("nothing written");
    }
    Ok(if errors { Outcome::SourceErrors } else { Outcome::Success })
}

/// What was read from one input and from where, for the terminal.
fn describe(added: &Added, run: &Run) -> String {
    let mut out = format!("{}: {}\n", added.input.display(), added.format);
    let verb = if added.replaced.is_some() { "rewrites" } else { "→" };
    out.push_str(&format!("  {verb} {} (in {})\n", added.file, run.category));
    let mut missing = Vec::new();
    for (key, value) in &added.fields {
        match value {
            Some((value, from)) => {
                out.push_str(&format!("  {key:<9} {value}  ← {from}\n"))
            }
            None if matches!(*key, "title" | "issuer" | "number" | "date") => {
                missing.push(*key)
            }
            None => {}
        }
    }
    if !missing.is_empty() {
        out.push_str(&format!(
            "  not found: {} — left as 【待核：…】 in the file; fill them in from the document\n",
            missing.join(", ")
        ));
    }
    for asset in &added.assets {
        out.push_str(&format!("  image     {asset}\n"));
    }
    for note in &added.notes {
        out.push_str(&format!("  note: {note}\n"));
    }
    if let Some(diff) = &added.replaced {
        out.push_str(&format!("  diff of the old and new text of {diff}\n"));
    }
    out
}

/// A unified diff of edition.toml.
fn manifest_diff(before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .header("edition.toml", "edition.toml (after add)")
        .to_string()
}
