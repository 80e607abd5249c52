//! `huibian add`: policies from the pages and files they were published in → new
//! policy files in an edition, listed in its manifest.
//!
//! Each input goes through [`crate::intake`] (read by content, its own metadata
//! lifted out of the body), becomes Markdown ([`markdown`]) and is made canonical by
//! `fmt`'s own code, so that `fmt --check` on an added file is clean. The whole
//! change is then staged in a temporary copy of the edition and loaded and checked
//! there, so that the editor sees the new file's findings (and, with `--replace`, the
//! `diff` of the old and the new text) before anything is written; without
//! `--dry-run` the files are then written atomically, the manifest last.
//!
//! Nothing is written when any input cannot be read, when a policy is already in the
//! edition (same 文号 or title) and `--replace` was not given, or when a name would
//! collide: every refusal is a located diagnostic.

pub mod manifest;
pub mod markdown;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::{Edition, MANIFEST};
use crate::fmt::{self as format, Options, Role};
use crate::intake::{self, Intake};
use crate::output::write_atomic;
use crate::source::{Sources, Span};

/// What to add, and where.
#[derive(Debug, Clone)]
pub struct Request {
    /// The published files: saved pages, `.mhtml`, `.docx`/`.doc`/`.wps`, PDFs.
    pub inputs: Vec<PathBuf>,
    /// The edition folder.
    pub edition: PathBuf,
    /// `--category`: a category's number as printed or (part of) its title.
    pub category: Option<String>,
    /// Print what would be written; write nothing.
    pub dry_run: bool,
    /// Rewrite the file of a policy already in the edition (a 修订).
    pub replace: bool,
}

/// What `add` did, or would do.
#[derive(Debug)]
pub struct Run {
    /// One entry per input that was read, in the order given.
    pub added: Vec<Added>,
    /// The category the policies went into (`3. 商贸服务领域`).
    pub category: String,
    /// `edition.toml` before and after; equal when only files were replaced.
    pub manifest: (String, String),
    /// Every file read (inputs, the staged edition), for showing the diagnostics.
    pub sources: Sources,
    /// Inputs that could not be read, refusals, and the `check` findings of the new
    /// files.
    pub diagnostics: Diagnostics,
    /// Whether the files were written (not on a dry run or a refusal).
    pub written: bool,
}

/// One policy added (or to be added).
#[derive(Debug)]
pub struct Added {
    /// The input it was read from.
    pub input: PathBuf,
    /// What the input was (`首都之窗 policy page, GB18030`).
    pub format: String,
    /// Its file, relative to the edition folder, `/`-separated.
    pub file: String,
    /// The file's text, canonical.
    pub markdown: String,
    /// Each front matter field: its value and where it was read, or `None` when the
    /// input did not give it (the file holds a `【待核：…】` marker there).
    pub fields: Vec<(&'static str, Option<(String, String)>)>,
    /// What the reader dropped or doubted.
    pub notes: Vec<String>,
    /// The images copied into the edition, relative to its folder.
    pub assets: Vec<String>,
    /// With `--replace`, the file it rewrote and the `diff` of the old and new text.
    pub replaced: Option<String>,
}

/// A policy already in the edition, to refuse doubles by.
#[derive(Debug, Clone)]
struct Existing {
    file: String,
    title: String,
    number: Option<String>,
}

/// Adds the inputs to the edition. `Err` is a usage or I/O problem (no manifest, a
/// bad `--category`); what is wrong with an input is in [`Run::diagnostics`].
pub fn add(request: &Request) -> anyhow::Result<Run> {
    let manifest_path = request.edition.join(MANIFEST);
    let manifest_text = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let categories = manifest::categories(&manifest_text)?;
    let category = manifest::choose(&categories, request.category.as_deref())?;
    // The policies already there; the staged copy is checked in full below.
    let loaded = crate::load::load_alone(&request.edition)?;
    let Some(edition) = loaded.edition.as_ref() else {
        anyhow::bail!(
            "{} has errors in its manifest or front matter; fix them first (see `huibian check`):\n{}",
            request.edition.display(),
            crate::diag::render_plain(
                &loaded.sources,
                &loaded.diagnostics.iter().cloned().collect::<Vec<_>>()
            )
        );
    };
    let existing = existing_policies(edition);
    let folder = category_folder(edition, category.index, &category.title);
    let mut run = Run {
        added: Vec::new(),
        category: format!("{}. {}", category.index + 1, category.title),
        manifest: (manifest_text.clone(), manifest_text),
        sources: Sources::new(),
        diagnostics: Diagnostics::default(),
        written: false,
    };
    let mut existing = existing;
    let mut taken: BTreeSet<String> = existing.iter().map(|e| e.file.clone()).collect();
    let mut staged: Vec<Staged> = Vec::new();
    for input in &request.inputs {
        let names =
            Names { edition: &request.edition, folder: &folder, taken: &mut taken };
        if let Some(one) = prepare(input, request, &existing, names, &mut run) {
            // Two inputs of one run that are the same policy are a double too.
            existing.push(Existing {
                file: one.added.file.clone(),
                title: field(&one.added, "title").unwrap_or_default(),
                number: field(&one.added, "number"),
            });
            staged.push(one);
        }
    }
    if run.diagnostics.has_errors() || staged.is_empty() {
        return Ok(run);
    }
    for one in &staged {
        if one.replaces.is_none() {
            let after = manifest::append_policy(
                &run.manifest.1,
                category.index,
                &one.added.file,
            )?;
            run.manifest.1 = after;
        }
    }
    let manifest_after = run.manifest.1.clone();
    let diffs = check_staged(&request.edition, &staged, &manifest_after, &mut run)?;
    for (mut one, diff) in staged.into_iter().zip(diffs) {
        one.added.replaced = one.replaces.as_ref().map(|file| format!("{file}\n{diff}"));
        if !request.dry_run {
            write_one(&request.edition, &one)?;
        }
        run.added.push(one.added);
    }
    if !request.dry_run {
        if run.manifest.0 != run.manifest.1 {
            write_atomic(&manifest_path, run.manifest.1.as_bytes())?;
        }
        run.written = true;
    }
    Ok(run)
}

/// One input, read and turned into its file, not yet written.
#[derive(Debug)]
struct Staged {
    added: Added,
    /// The images to write, as (path relative to the edition, bytes).
    assets: Vec<(String, Vec<u8>)>,
    /// The existing file this one rewrites (`--replace`).
    replaces: Option<String>,
}

/// A field's value as the report lists it.
fn field(added: &Added, key: &str) -> Option<String> {
    added
        .fields
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, v)| v.as_ref())
        .map(|(v, _)| v.clone())
}

/// Where new files may be named: the edition, the category's folder, and the names
/// already taken (in the manifest and by earlier inputs of this run).
struct Names<'a> {
    edition: &'a Path,
    folder: &'a str,
    taken: &'a mut BTreeSet<String>,
}

/// Reads one input and makes its file; a failure is a diagnostic located at the
/// input, and `None`.
fn prepare(
    input: &Path,
    request: &Request,
    existing: &[Existing],
    names: Names<'_>,
    run: &mut Run,
) -> Option<Staged> {
    let located =
        |run: &mut Run, code: &'static str, message: String, hint: Option<&str>| {
            let id = run.sources.add(input.to_path_buf(), String::new());
            let mut d = Diagnostic::error(code, message).with_span(Span::new(id, 0..0));
            if let Some(hint) = hint {
                d = d.with_hint(hint);
            }
            run.diagnostics.push(d);
        };
    let mut intake = match intake::read_file(input) {
        Ok(intake) => intake,
        Err(err) => {
            let hint = match &err {
                intake::IntakeError::Unknown(_) => Some(
                    "add reads saved web pages (.html with their _files folder, .mhtml), Word files (.docx; .doc and .wps with LibreOffice) and PDFs with text",
                ),
                _ => None,
            };
            located(
                run,
                "add-input",
                format!("cannot read this file as a policy: {err}"),
                hint,
            );
            return None;
        }
    };
    intake::meta::lift(&mut intake);
    if intake.blocks.is_empty() {
        located(
            run,
            "add-input",
            "the file holds a title and metadata but no text".into(),
            None,
        );
        return None;
    }
    let title = intake.fields.title.as_ref().map(|t| t.value.clone());
    let number = intake.fields.number.as_ref().map(|n| n.value.clone());
    let double = existing.iter().find(|e| {
        number.is_some() && e.number == number
            || title.as_ref().is_some_and(|t| *t == e.title)
    });
    let replaces = match (double, request.replace) {
        (Some(e), false) => {
            let same =
                if number.is_some() && e.number == number { "文号" } else { "title" };
            located(
                run,
                "add-duplicate",
                format!(
                    "this policy is already in the edition as `{}` (same {same})",
                    e.file
                ),
                Some("give --replace to rewrite that file with this text (a 修订)"),
            );
            return None;
        }
        (Some(e), true) => Some(e.file.clone()),
        (None, _) => None,
    };
    let stem = stem_for(title.as_deref(), input);
    let file = match &replaces {
        Some(file) => file.clone(),
        None => match unique_name(&names, &stem) {
            Some(file) => file,
            None => {
                located(
                    run,
                    "add-name",
                    format!("no free file name for `{stem}` in `{}`", names.folder),
                    None,
                );
                return None;
            }
        },
    };
    names.taken.insert(file.clone());
    let file_stem = file.rsplit('/').next().unwrap_or(&file).trim_end_matches(".md");
    let asset_folder = format!("assets/{file_stem}");
    let prefix = format!("{}{asset_folder}", "../".repeat(file.matches('/').count()));
    let text = markdown::policy_markdown(&intake, &prefix);
    let formatted = match format::format(&text, Role::Policy, Options::default()) {
        Ok(formatted) => formatted.text,
        Err(err) => {
            located(
                run,
                "add-internal",
                format!(
                    "the Markdown written for this file does not read back ({err}); please report this"
                ),
                None,
            );
            return None;
        }
    };
    Some(Staged {
        assets: intake
            .assets
            .iter()
            .map(|a| (format!("{asset_folder}/{}", a.name), a.bytes.clone()))
            .collect(),
        added: Added {
            input: input.to_path_buf(),
            format: intake.format.clone(),
            file,
            markdown: formatted,
            fields: field_report(&intake),
            notes: intake.notes.clone(),
            assets: intake
                .assets
                .iter()
                .map(|a| format!("{asset_folder}/{}", a.name))
                .collect(),
            replaced: None,
        },
        replaces,
    })
}

/// The file stem for a policy: its title's short name as `import` makes it, else the
/// input's own name; either way one path component with no `..`, separators or
/// control characters, at most 60 characters.
fn stem_for(title: Option<&str>, input: &Path) -> String {
    let raw = match title {
        Some(title) => crate::import::short_name(title),
        None => input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    crate::import::file_stem(&raw)
}

/// The fields as the report lists them.
fn field_report(intake: &Intake) -> Vec<(&'static str, Option<(String, String)>)> {
    let f = &intake.fields;
    let one = |x: &Option<intake::Found<String>>| {
        x.as_ref().map(|x| (x.value.clone(), x.from.clone()))
    };
    vec![
        ("title", one(&f.title)),
        ("issuer", f.issuer.as_ref().map(|x| (x.value.join("、"), x.from.clone()))),
        ("number", one(&f.number)),
        ("date", one(&f.date)),
        ("published", one(&f.published)),
        ("effective", one(&f.effective)),
        ("expires", one(&f.expires)),
        ("source", one(&f.source)),
    ]
}

/// The policies of the edition, by file, title and 文号.
fn existing_policies(edition: &Edition) -> Vec<Existing> {
    edition
        .categories
        .iter()
        .flat_map(|c| &c.policies)
        .map(|p| Existing {
            file: p.path.clone(),
            title: p.meta.title.clone(),
            number: p.meta.number.as_deref().map(|n| {
                crate::patterns::normalise_doc_number(n).unwrap_or_else(|| n.to_string())
            }),
        })
        .collect()
}

/// The folder a category's files live in: the one its policies already share, else
/// one named after the category, as `import` lays an edition out.
fn category_folder(edition: &Edition, index: usize, title: &str) -> String {
    let folders: BTreeSet<&str> = edition
        .categories
        .get(index)
        .into_iter()
        .flat_map(|c| &c.policies)
        .map(|p| p.path.rsplit_once('/').map_or("", |(folder, _)| folder))
        .collect();
    match folders.into_iter().collect::<Vec<_>>().as_slice() {
        [one] => one.to_string(),
        _ => crate::import::file_stem(title),
    }
}

/// `<folder>/<stem>.md`, or `<stem>-2.md`… when the name is taken in the manifest,
/// in this run, or on disk (checked again when writing). Names differing only in
/// case are taken too: they are one file on Windows and macOS.
fn unique_name(names: &Names<'_>, stem: &str) -> Option<String> {
    let name = |n: usize| {
        let file = if n == 1 { format!("{stem}.md") } else { format!("{stem}-{n}.md") };
        if names.folder.is_empty() { file } else { format!("{}/{file}", names.folder) }
    };
    let free = |candidate: &String| {
        !names.taken.iter().any(|t| t.to_lowercase() == candidate.to_lowercase())
            && std::fs::symlink_metadata(names.edition.join(candidate)).is_err()
    };
    (1..=1000).map(name).find(free)
}

/// Copies the edition to a temporary folder with the new files and manifest, loads
/// and checks it there, keeps the findings about the new files (shown at their
/// paths in the real edition), and returns, per staged file, the `diff` of the old
/// edition against the new one for a replaced file (empty otherwise).
fn check_staged(
    edition: &Path,
    staged: &[Staged],
    manifest_after: &str,
    run: &mut Run,
) -> anyhow::Result<Vec<String>> {
    let mut writes: Vec<(String, Vec<u8>)> = Vec::new();
    for one in staged {
        for (path, bytes) in &one.assets {
            writes.push((path.clone(), bytes.clone()));
        }
        writes.push((one.added.file.clone(), one.added.markdown.clone().into_bytes()));
    }
    writes.push((MANIFEST.to_string(), manifest_after.as_bytes().to_vec()));
    let (temp, mut checked) = crate::check::check_staged(edition, &writes)?;
    let stage = temp.stage();
    let new_files: BTreeSet<PathBuf> =
        staged.iter().map(|s| edition.join(&s.added.file)).collect();
    for d in checked.diagnostics.take() {
        let about_new = d.span.as_ref().is_some_and(|span| {
            new_files.contains(&checked.sources.get(span.source).path)
        });
        if about_new {
            let moved = move_diagnostic(d, &checked.sources, &mut run.sources);
            run.diagnostics.push(moved);
        }
    }
    let mut diffs = Vec::new();
    for one in staged {
        diffs.push(match &one.replaces {
            Some(_) => replaced_diff(edition, stage)?,
            None => String::new(),
        });
    }
    Ok(diffs)
}

/// A diagnostic about a file in `from`, pointing at the same text added to `to`.
fn move_diagnostic(mut d: Diagnostic, from: &Sources, to: &mut Sources) -> Diagnostic {
    if let Some(span) = d.span.take() {
        let file = from.get(span.source);
        let id = to.add(file.path.clone(), file.text.clone());
        d.span = Some(Span::new(id, span.range));
    }
    d
}

/// The `diff` report of the edition before and after the replacement.
fn replaced_diff(old: &Path, new: &Path) -> anyhow::Result<String> {
    let (old_book, _) = crate::diff::load_folder(old)?;
    let (new_book, _) = crate::diff::load_folder(new)?;
    let diff =
        crate::diff::editions(&old_book, &new_book, &crate::diff::DiffOptions::default());
    Ok(if diff.has_changes() {
        crate::diff::report::to_text(&diff, false)
    } else {
        "the text is unchanged".to_string()
    })
}

/// Writes one policy's images and file into the edition. A new file that appeared
/// on disk since the names were chosen is not overwritten.
fn write_one(edition: &Path, one: &Staged) -> anyhow::Result<()> {
    let target = edition.join(&one.added.file);
    if one.replaces.is_none() && target.exists() {
        anyhow::bail!("{} appeared while adding; nothing overwritten", target.display());
    }
    for (path, bytes) in &one.assets {
        write_atomic(&edition.join(path), bytes)?;
    }
    write_atomic(&target, one.added.markdown.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_hostile_titles_stay_one_plain_file_name() {
        let input = Path::new("page.html");
        for title in [
            "../../../etc/passwd",
            "..",
            "关于/印发\\某某:办法*?的通知",
            "标题\u{0}\u{7}\n换行",
            &"很长的标题".repeat(40),
            "",
        ] {
            let stem = stem_for(Some(title), input);
            assert!(!stem.is_empty(), "{title:?}");
            assert!(!stem.contains(['/', '\\', ':', '*', '?']), "{stem}");
            assert!(!stem.chars().any(char::is_control), "{stem:?}");
            assert!(stem != ".." && !stem.starts_with('.'), "{stem}");
            assert!(stem.chars().count() <= 60, "{stem}");
        }
        assert_eq!(stem_for(None, Path::new("dir/京政发24号.docx")), "京政发24号");
    }

    #[test]
    fn a_taken_name_gets_a_number_and_case_does_not_free_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("类")).unwrap();
        std::fs::write(dir.path().join("类/甲-2.md"), "").unwrap();
        let mut taken: BTreeSet<String> =
            ["类/甲.md".to_string(), "类/Abc.md".to_string()].into();
        let names = Names { edition: dir.path(), folder: "类", taken: &mut taken };
        assert_eq!(unique_name(&names, "甲").as_deref(), Some("类/甲-3.md"));
        assert_eq!(unique_name(&names, "abc").as_deref(), Some("类/abc-2.md"));
        assert_eq!(unique_name(&names, "乙").as_deref(), Some("类/乙.md"));
    }
}
