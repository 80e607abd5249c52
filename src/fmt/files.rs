//! Which files `huibian fmt` formats, and one file's formatting with its findings.
//!
//! [`format`](super::format) is a pure function of a text; this module is what lies
//! around it: the files an edition's manifest names (read through the same loader as
//! every command), the bytes decoded as the loader decodes them, and a file that
//! cannot be formatted reported with `file:line:column` as `build` would report it.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{FormatError, Formatted, Options, Role};
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::{self, front_matter};
use crate::load::{self, Loaded};
use crate::source::{SourceId, Sources, Span};

/// A file to format, and how to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The file.
    pub path: PathBuf,
    /// Policy or text.
    pub role: Role,
}

/// The files of an edition's manifest, or why they cannot be trusted.
#[derive(Debug)]
pub enum EditionFiles {
    /// Intro, category bodies and policies, in book order.
    Files(Vec<Target>),
    /// The manifest or a front matter has errors (in the [`Loaded`]): its list of
    /// files is not to be trusted, so nothing of it is formatted.
    Broken(Box<Loaded>),
}

/// The Markdown files the manifest of the edition in `folder` names.
pub fn edition_files(folder: &Path) -> anyhow::Result<EditionFiles> {
    // The files only: their bodies are parsed when each is formatted, and a
    // `previous` edition and its 本期变化 change nothing of them.
    let loaded = load::load_files(folder)?;
    let edition = match &loaded.edition {
        Some(edition) => edition,
        None => return Ok(EditionFiles::Broken(Box::new(loaded))),
    };
    let target =
        |id: SourceId, role| Target { path: loaded.sources.get(id).path.clone(), role };
    let mut files = Vec::new();
    files.extend(edition.intro.iter().map(|t| target(t.source, Role::Text)));
    for category in &edition.categories {
        files.extend(category.body.iter().map(|t| target(t.source, Role::Text)));
        files.extend(category.policies.iter().map(|p| target(p.source, Role::Policy)));
    }
    Ok(EditionFiles::Files(files))
}

/// The role of a file named on its own: a policy when its front matter reads as a
/// policy's (it has a title and the policy fields), else text. A file whose front
/// matter does not parse is taken as a policy, so that formatting it reports why.
pub fn guess_role(text: &str) -> Role {
    let Ok(split) = front_matter::split(text) else { return Role::Policy };
    match split.yaml {
        Some(yaml)
            if front_matter::parse::<front_matter::FrontMatter>(&text[yaml.clone()])
                .is_ok() =>
        {
            Role::Policy
        }
        Some(_) | None => Role::Text,
    }
}

/// One file, read and formatted.
#[derive(Debug)]
pub struct FileFormat {
    /// The file as read (decoded), for showing findings.
    pub sources: Sources,
    /// Encoding findings, and why it could not be formatted.
    pub diagnostics: Diagnostics,
    /// The bytes on disk.
    pub bytes: Vec<u8>,
    /// The decoded text and its new form, when the file is text that formats.
    done: Option<(SourceId, Formatted)>,
}

impl FileFormat {
    /// The text as read and what formatting makes of it; `None` when the file is
    /// not text or does not format (the reasons are in `diagnostics`).
    pub fn formatted(&self) -> Option<(&str, &Formatted)> {
        let (id, formatted) = self.done.as_ref()?;
        Some((self.sources.get(*id).text.as_str(), formatted))
    }
}

/// Reads and formats one file; nothing is written. `Err` is a file that cannot be
/// read; a file that is not text or cannot be formatted has its reasons, located,
/// in the diagnostics.
pub fn format_file(
    path: &Path,
    role: Role,
    options: Options,
) -> anyhow::Result<FileFormat> {
    let bytes =
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut sources = Sources::new();
    let mut diagnostics = Diagnostics::default();
    let source =
        crate::encoding::read(&mut sources, path, bytes.clone(), &mut diagnostics);
    let mut done = None;
    if let Some(id) = source {
        match super::format(&sources.get(id).text, role, options) {
            Ok(formatted) => done = Some((id, formatted)),
            Err(err) => locate(&sources, id, role, &err, &mut diagnostics),
        }
    }
    Ok(FileFormat { sources, diagnostics, bytes, done })
}

/// Reports why a file cannot be formatted, at its place: the loader reads the same
/// front matter and knows where it breaks, so the editor sees the message `build`
/// gives.
fn locate(
    sources: &Sources,
    id: SourceId,
    role: Role,
    err: &FormatError,
    diagnostics: &mut Diagnostics,
) {
    let mut found = Diagnostics::default();
    let path = sources.get(id).path.display().to_string();
    match role {
        Role::Policy => drop(edition::parse_policy(sources, id, path, &mut found)),
        Role::Text => drop(edition::parse_text(sources, id, path, &mut found)),
    }
    let errors: Vec<Diagnostic> =
        found.take().into_iter().filter(Diagnostic::is_error).collect();
    if errors.is_empty() {
        // The loader reads the file, the formatter does not: say so at the top.
        diagnostics.push(
            Diagnostic::error("fmt", format!("{err}; not formatted"))
                .with_span(Span::new(id, 0..0)),
        );
    }
    for error in errors {
        diagnostics
            .push(error.with_hint("the file is left as it is until this is fixed"));
    }
}
