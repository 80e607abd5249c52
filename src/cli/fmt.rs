//! `huibian fmt`: format editions or single files in place (atomically), or with
//! `--check` show the diff and fail.

use std::path::{Path, PathBuf};

use anyhow::Context;
use similar::TextDiff;

use super::build::edition_folders;
use super::{FmtArgs, Outcome};
use crate::diag::{self, Diagnostics};
use crate::edition::{self, Edition, MANIFEST};
use crate::fmt::{self, Options, Role};
use crate::output::{remove_stale_temporaries, write_atomic};
use crate::source::Sources;

/// Formats what `args` names.
pub(crate) fn fmt(args: &FmtArgs) -> anyhow::Result<Outcome> {
    let mut files: Vec<(PathBuf, Role)> = Vec::new();
    let mut outcome = Outcome::Success;
    let (file_args, edition_args): (Vec<&String>, Vec<&String>) =
        args.targets.iter().partition(|t| t.ends_with(".md") && Path::new(t).is_file());
    if !edition_args.is_empty() || file_args.is_empty() {
        let names: Vec<String> = edition_args.into_iter().cloned().collect();
        for folder in edition_folders(&PathBuf::new(), &names)? {
            match edition_files(&folder)? {
                Some(found) => files.extend(found),
                None => outcome = Outcome::SourceErrors,
            }
        }
    }
    files.extend(
        file_args.into_iter().map(|f| (PathBuf::from(f), guess_role(Path::new(f)))),
    );

    if !args.check {
        // A `fmt` killed while replacing a file may have left its temporary beside it.
        let mut folders: Vec<&Path> =
            files.iter().filter_map(|(p, _)| p.parent()).collect();
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
    let options = Options { renumber: args.renumber };
    let (mut changed, mut unchanged) = (0, 0);
    for (path, role) in &files {
        let bytes =
            std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let mut sources = Sources::new();
        let mut diags = Diagnostics::default();
        let Some(id) = sources.add_bytes(path, bytes.clone(), &mut diags) else {
            diag::emit_human(&sources, &diags.take());
            outcome = Outcome::SourceErrors;
            continue;
        };
        let text = &sources.get(id).text;
        let formatted = match fmt::format(text, *role, options) {
            Ok(formatted) => formatted,
            Err(err) => {
                eprintln!("error: {}: {err}; not formatted", path.display());
                outcome = Outcome::SourceErrors;
                continue;
            }
        };
        if let Some(reason) = formatted.renumber_skipped {
            eprintln!("note: {}: not renumbered: {reason}", path.display());
        }
        for (line, old, new) in &formatted.renumbered {
            let verb = if args.check { "would renumber" } else { "renumbered" };
            eprintln!("{verb} {}:{line}: {old} → {new}", path.display());
        }
        if formatted.text.as_bytes() == bytes.as_slice() {
            unchanged += 1;
            continue;
        }
        changed += 1;
        if args.check {
            let diff = TextDiff::from_lines(text.as_str(), formatted.text.as_str());
            let name = path.display().to_string();
            print!("{}", diff.unified_diff().context_radius(2).header(&name, &name));
            if text.as_bytes() != bytes.as_slice() {
                println!(
                    "({name}: also a byte-order mark or CRLF line endings to remove)"
                );
            }
        } else {
            write_atomic(path, formatted.text.as_bytes())?;
            eprintln!("formatted {}", path.display());
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

/// The Markdown files an edition's manifest names, with their roles; `None` (after
/// printing why) when the edition does not load.
fn edition_files(folder: &Path) -> anyhow::Result<Option<Vec<(PathBuf, Role)>>> {
    let mut sources = Sources::new();
    let mut diags = Diagnostics::default();
    let loaded = Edition::load(folder, &mut sources, &mut diags)?;
    let findings = diags.take();
    if findings.iter().any(|d| d.is_error()) {
        diag::emit_human(&sources, &findings);
        eprintln!(
            "error: {} has errors; fix them before formatting",
            folder.join(MANIFEST).display()
        );
        return Ok(None);
    }
    let Some(edition) = loaded else { return Ok(None) };
    let path = |id| sources.get(id).path.clone();
    let mut files: Vec<(PathBuf, Role)> = Vec::new();
    files.extend(edition.intro.iter().map(|t| (path(t.source), Role::Text)));
    for category in &edition.categories {
        files.extend(category.body.iter().map(|t| (path(t.source), Role::Text)));
        files.extend(category.policies.iter().map(|p| (path(p.source), Role::Policy)));
    }
    Ok(Some(files))
}

/// A lone file is a policy when its front matter reads as a policy's.
fn guess_role(path: &Path) -> Role {
    let Ok(text) = std::fs::read_to_string(path) else { return Role::Policy };
    match edition::front_matter::split(&text) {
        Ok(split) => {
            match split.yaml {
                Some(yaml)
                    if edition::front_matter::parse::<
                        edition::front_matter::FrontMatter,
                    >(&text[yaml.clone()])
                    .is_ok() =>
                {
                    Role::Policy
                }
                Some(_) => Role::Text,
                None => Role::Text,
            }
        }
        Err(_) => Role::Policy,
    }
}
