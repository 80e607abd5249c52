//! Findings about the edition as a whole: empty policies, duplicate titles and 文号,
//! dates outside the period, Markdown files the manifest forgets.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::book::Book;
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::{Edition, front_matter::find_key};
use crate::source::{Sources, Span};

/// Checks the edition-wide rules.
pub(super) fn check_edition(
    edition: &Edition,
    book: &Book,
    sources: &Sources,
    diags: &mut Diagnostics,
) {
    let mut titles: HashMap<&str, &str> = HashMap::new();
    let mut numbers: HashMap<&str, &str> = HashMap::new();
    for policy in book.policies() {
        let file = sources.get(policy.source);
        let key = |name: &str| {
            let range = find_key(&file.text, name).unwrap_or(0..0);
            Span::new(policy.source, range)
        };
        if policy.doc.blocks.is_empty() {
            diags.push(
                Diagnostic::error("empty-policy", format!("{} has no text", policy.meta.title))
                    .with_span(key("title"))
                    .with_hint("paste the policy's text below the front matter, or remove it from edition.toml"),
            );
        }
        if let Some(first) = titles.insert(&policy.meta.title, &policy.path) {
            diags.push(
                Diagnostic::error(
                    "duplicate-title",
                    format!("{first} has the same title"),
                )
                .with_span(key("title")),
            );
        }
        if let Some(number) = &policy.meta.number
            && let Some(first) = numbers.insert(number, &policy.path)
        {
            diags.push(
                Diagnostic::error(
                    "duplicate-number",
                    format!("{first} has the same 文号 {number}"),
                )
                .with_span(key("number")),
            );
        }
        // A current edition carries last quarter's policies over: only the ones it
        // adds are expected to date from its period.
        let carried_over = book.changes.as_ref().is_some_and(|c| {
            !c.added.iter().any(|e| e.policy.as_deref() == Some(&policy.id))
        });
        if let (Some(date), Some((first, last))) = (policy.meta.date, book.meta.period)
            && (date < first || date > last)
            && !(carried_over && date < first)
        {
            diags.push(
                Diagnostic::warning(
                    "date-outside-period",
                    format!("dated {}, outside the edition's period {first} – {last}", date.chinese()),
                )
                .with_span(key("date"))
                .with_hint("right if the policy was published later than it was written; otherwise check the date"),
            );
        }
    }
    check_categories(edition, diags);
    unlisted_files(edition, sources, diags);
}

/// Categories still marked for revision by `huibian new`, and empty ones.
fn check_categories(edition: &Edition, diags: &mut Diagnostics) {
    for category in &edition.categories {
        if category.title.contains(crate::scaffold::TODO_OPEN) {
            diags.push(
                Diagnostic::warning(
                    "todo-marker",
                    "a category title marked for revision by `huibian new`",
                )
                .with_span(category.title_span.clone())
                .with_hint(
                    "write this quarter's title and remove the 【待核：…】 marker",
                ),
            );
        }
        if category.policies.is_empty() && category.body.is_none() {
            diags.push(
                Diagnostic::warning(
                    "empty-category",
                    format!("category {} has no policies and no text", category.title),
                )
                .with_span(category.title_span.clone())
                .with_hint(
                    "list its policies in `policies = [...]`, or remove the category",
                ),
            );
        }
    }
}

/// Markdown files under the edition folder that the manifest does not name.
fn unlisted_files(edition: &Edition, sources: &Sources, diags: &mut Diagnostics) {
    let listed: HashSet<PathBuf> = edition
        .intro
        .iter()
        .map(|t| t.source)
        .chain(edition.categories.iter().flat_map(|c| {
            c.body.iter().map(|b| b.source).chain(c.policies.iter().map(|p| p.source))
        }))
        .filter_map(|id| sources.get(id).path.canonicalize().ok())
        .collect();
    let mut found = Vec::new();
    markdown_files(&edition.root, &mut found, diags);
    found.sort();
    for path in found {
        if path.canonicalize().is_ok_and(|p| !listed.contains(&p)) {
            diags.push(
                Diagnostic::warning(
                    "unlisted-file",
                    format!("{} is not listed in edition.toml, so it is not in the book", path.display()),
                )
                .with_span(Span::new(edition.manifest, 0..0))
                .with_hint("add it to a category's `policies`, or move it out of the edition folder"),
            );
        }
    }
}

/// The Markdown files under `dir`, outside hidden folders (`.git`, an editor's
/// backups). A folder that cannot be read is a warning: its files may be forgotten.
fn markdown_files(dir: &Path, found: &mut Vec<PathBuf>, diags: &mut Diagnostics) {
    let hidden = |entry: &walkdir::DirEntry| {
        entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.')
    };
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_entry(|e| !hidden(e)) {
        match entry {
            Ok(entry)
                if entry.file_type().is_file()
                    && entry.path().extension().is_some_and(|e| e == "md") =>
            {
                found.push(entry.into_path());
            }
            Ok(_) => {}
            Err(err) => diags.push(
                Diagnostic::warning(
                    "unreadable-folder",
                    format!("cannot look for unlisted files: {err}"),
                )
                .with_hint(
                    "make the folder readable, or move it out of the edition folder",
                ),
            ),
        }
    }
}
