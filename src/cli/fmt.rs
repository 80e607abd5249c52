//! `huibian fmt`: format editions or single files in place (atomically), or with
//! `--check` show the diff and fail.

use std::path::{Path, PathBuf};

use similar::TextDiff;

use super::{FmtArgs, Outcome, print};
use crate::diag;
use crate::edition::MANIFEST;
use crate::fmt::files::{self, EditionFiles, Target};
use crate::fmt::{Options, Role};
use crate::output::{remove_stale_temporaries, write_atomic};
use crate::project::Project;

/// Formats what `args` names.
pub(crate) fn fmt(args: &FmtArgs) -> anyhow::Result<Outcome> {
    let (targets, mut outcome) = targets(args)?;
    if !args.check {
        remove_temporaries_beside(&targets);
    }
    let options = Options { renumber: args.renumber };
    let (mut changed, mut unchanged) = (0, 0);
    for (target, file) in targets.iter().zip(format_all(&targets, options)) {
        match format_one(target, file?, args.check)? {
            None => outcome = Outcome::SourceErrors,
            Some(false) => unchanged += 1,
            Some(true) => changed += 1,
        }
    }
    if args.check {
        eprintln!("{changed} file(s) would change, {unchanged} already formatted");
        if changed > 0 {
            outcome = Outcome::SourceErrors;
        }
    } else {
        eprintln!("{changed} file(s) formatted, {unchanged} unchanged");
    }
    Ok(outcome)
}

/// The files the arguments name: Markdown files as given, editions by their
/// manifests (every edition when no argument names one).
fn targets(args: &FmtArgs) -> anyhow::Result<(Vec<Target>, Outcome)> {
    let mut targets = Vec::new();
    let mut outcome = Outcome::Success;
    let (file_args, edition_args): (Vec<&String>, Vec<&String>) =
        args.targets.iter().partition(|t| t.ends_with(".md") && Path::new(t).is_file());
    if !edition_args.is_empty() || file_args.is_empty() {
        let names: Vec<String> = edition_args.into_iter().cloned().collect();
        for folder in Project::current().editions(&names)? {
            match files::edition_files(&folder)? {
                EditionFiles::Files(found) => targets.extend(found),
                EditionFiles::Broken(loaded) => {
                    let mut loaded = *loaded;
                    diag::emit_human(&loaded.sources, &loaded.diagnostics.take());
                    eprintln!(
                        "error: {} has errors; fix them before formatting",
                        folder.join(MANIFEST).display()
                    );
                    outcome = Outcome::SourceErrors;
                }
            }
        }
    }
    for file in file_args {
        let path = PathBuf::from(file);
        // Unreadable here means unreadable when formatted: that reports it.
        let role = std::fs::read_to_string(&path)
            .map_or(Role::Policy, |t| files::guess_role(&t));
        targets.push(Target { path, role });
    }
    Ok((targets, outcome))
}

/// A `fmt` killed while replacing a file may have left its temporary beside it.
fn remove_temporaries_beside(targets: &[Target]) {
    let mut folders: Vec<&Path> =
        targets.iter().filter_map(|t| t.path.parent()).collect();
    folders.sort();
    folders.dedup();
    for folder in folders {
        remove_stale_temporaries(if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        });
    }
}

/// Formats every target, on as many threads as there are cores (each file is
/// formatted alone), and returns the results in the targets' order, so that what is
/// printed and written next comes out as it would one file after another.
fn format_all(
    targets: &[Target],
    options: Options,
) -> Vec<anyhow::Result<files::FileFormat>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = targets.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = targets
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|t| files::format_file(&t.path, t.role, options))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| match handle.join() {
                Ok(results) => results,
                // A formatter panic is a bug; it is reported, not swallowed.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// Writes one formatted file, or with `check` prints its diff. `Some(changed)`, or
/// `None` when it could not be formatted (the reasons are printed).
fn format_one(
    target: &Target,
    mut file: files::FileFormat,
    check: bool,
) -> anyhow::Result<Option<bool>> {
    let path = &target.path;
    let Some((text, formatted)) = file.formatted() else {
        // Only then: the warnings of a file that formats (a BOM, CRLF) are what
        // formatting repairs.
        let findings = file.diagnostics.take();
        diag::emit_human(&file.sources, &findings);
        return Ok(None);
    };
    if let Some(reason) = formatted.renumber_skipped {
        eprintln!("note: {}: not renumbered: {reason}", path.display());
    }
    for (line, old, new) in &formatted.renumbered {
        let verb = if check { "would renumber" } else { "renumbered" };
        eprintln!("{verb} {}:{line}: {old} → {new}", path.display());
    }
    if formatted.text.as_bytes() == file.bytes.as_slice() {
        return Ok(Some(false));
    }
    if check {
        let diff = TextDiff::from_lines(text, formatted.text.as_str());
        let name = path.display().to_string();
        let mut out =
            diff.unified_diff().context_radius(2).header(&name, &name).to_string();
        if text.as_bytes() != file.bytes.as_slice() {
            out.push_str(&format!(
                "({name}: also a byte-order mark or CRLF line endings to remove)\n"
            ));
        }
        print::stdout(&out)?;
    } else {
        write_atomic(path, formatted.text.as_bytes())?;
        eprintln!("formatted {}", path.display());
    }
    Ok(Some(true))
}
