//! `huibian import`: the text extracted from an old edition's PDF → an edition folder.
//!
//! PDF text extraction leaves one long run of words: line breaks became spaces, page
//! numbers sit between the words, full-width punctuation became ASCII. The book's own
//! 目录 is the only reliable map of its structure, so the import reads it first and
//! cuts the body at the titles it lists ([`toc`]); each policy's text is then rebuilt
//! into paragraphs from the line lengths the spaces still betray ([`paragraphs`]), and
//! its 文号, issuer and date are lifted into front matter ([`policy`]).
//!
//! [`import_text`] is pure: text in, file contents out, so tests need no disk. Repairs
//! are counted and doubtful spots become [`ImportWarning`]s with a byte offset into the
//! input, never a panic. [`import_edition`] is the command around it: it reads the
//! input, writes `sources/<ID>/` and turns the warnings into located diagnostics.

mod attached;
pub(crate) mod paragraphs;
pub mod pdf;
mod policy;

// `add` names the files it writes as `import` does.
pub(crate) use policy::{file_stem, short_name};
mod toc;
mod tokens;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;

use self::tokens::Tok;
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::write_dir_atomic;
use crate::project::Project;
use crate::source::{Sources, Span};

/// The edition folder produced by an import, ready to be written out.
#[derive(Debug, Clone)]
pub struct Imported {
    /// Files as (path relative to the edition folder with `/` separators, contents),
    /// `edition.toml` first, then in book order.
    pub files: Vec<(String, String)>,
    /// What was found and what was repaired.
    pub report: ImportReport,
}

/// The import's account of itself, for the user to judge how much to proofread.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Policies written.
    pub policies: usize,
    /// Paragraphs written, in the intro, policies and category bodies.
    pub paragraphs: usize,
    /// Headings written.
    pub headings: usize,
    /// Repairs made, per kind (`page_number`, `cjk_space`, `punctuation`, …).
    pub repairs: BTreeMap<&'static str, usize>,
    /// Places the import could not repair with confidence.
    pub warnings: Vec<ImportWarning>,
}

/// A doubtful place in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    /// Byte offset into the input text; the input is usually one very long line, so an
    /// offset locates the spot better than a line number.
    pub line_or_offset: usize,
    /// What is doubtful, in words.
    pub message: String,
}

impl ImportReport {
    fn repair(&mut self, kind: &'static str, n: usize) {
        if n > 0 {
            *self.repairs.entry(kind).or_insert(0) += n;
        }
    }

    fn warn(&mut self, offset: usize, message: impl Into<String>) {
        self.warnings
            .push(ImportWarning { line_or_offset: offset, message: message.into() });
    }
}

/// A summary for the terminal: counts on one line, repairs on the next, then one
/// line per warning, so the user sees at a glance how much to proofread.
impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} policies, {} paragraphs, {} headings",
            self.policies, self.paragraphs, self.headings
        )?;
        let repairs: Vec<String> =
            self.repairs.iter().map(|(k, n)| format!("{k} {n}")).collect();
        writeln!(
            f,
            "repairs: {}",
            if repairs.is_empty() { "none".into() } else { repairs.join(", ") }
        )?;
        for w in &self.warnings {
            writeln!(f, "warning: byte {}: {}", w.line_or_offset, w.message)?;
        }
        Ok(())
    }
}

/// Why an import produced nothing.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    /// The input holds no words at all.
    #[error("the input text is empty")]
    Empty,
    /// Without a 目录 there is no reliable way to split the book.
    #[error(
        "no 目录 (table of contents) found: the import splits the book at the titles its 目录 lists"
    )]
    NoToc,
    /// A 目录 heading was found but no entries with dot leaders and page numbers.
    #[error("the 目录 at byte {0} lists no entries (title, dot leader, page number)")]
    EmptyToc(usize),
    /// The edition id would not make a folder name.
    #[error("invalid edition id `{0}`: use letters, digits and `-`, e.g. 2021-Q4")]
    BadEditionId(String),
}

/// Extracted text can hold control characters (NUL from a broken font's mapping, an
/// escape): none is text, and none may reach a source file, where the loader rejects
/// or warns about them. Each becomes spaces of its own byte length, so that byte
/// offsets in warnings still point into the input; the spaces then go as any other.
fn blank_controls<'a>(
    text: &'a str,
    report: &mut ImportReport,
) -> std::borrow::Cow<'a, str> {
    let stray = |c: char| c.is_control() && !c.is_whitespace();
    if !text.contains(stray) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut removed = 0;
    for c in text.chars() {
        if stray(c) {
            removed += 1;
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    report.repair("control_character", removed);
    std::borrow::Cow::Owned(out)
}

/// What `huibian import` did.
#[derive(Debug)]
pub struct ImportRun {
    /// The input's text, for showing where the findings are.
    pub sources: Sources,
    /// Why nothing was imported (errors), or the places to proofread (warnings).
    pub diagnostics: Diagnostics,
    /// `sources/<ID>/`.
    pub target: PathBuf,
    /// What was imported, when it was written.
    pub report: Option<ImportReport>,
    /// What was restored instead, from the sources the PDF carries.
    pub restored: Option<Restored>,
}

/// An edition restored from the sources its PDF carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The id of the edition the PDF was built from.
    pub from: String,
    /// Files written, byte for byte as the PDF carries them.
    pub files: usize,
    /// What became of the template the PDF carries.
    pub template: TemplateRestored,
}

/// The template a PDF carries, against the one this project builds with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateRestored {
    /// The PDF carries none.
    Absent,
    /// It is the one this project builds with.
    Same,
    /// It differs; it was saved at this path (inside the edition, hidden) to compare.
    SavedAt(PathBuf),
}

/// Imports the old edition in `input` (its extracted text, or its PDF) as
/// `sources/<id>/`, replacing an existing folder only with `force`. `Err` is a bad id,
/// an existing edition or an unreadable input; an input that does not read as an
/// edition has its reasons, located, in the diagnostics, and nothing is written.
pub fn import_edition(
    project: &Project,
    input: &Path,
    id: &str,
    force: bool,
    from_text: bool,
) -> anyhow::Result<ImportRun> {
    let target = project.new_edition_dir(id)?;
    if target.exists() && !force {
        anyhow::bail!("{} already exists; pass --force to replace it", target.display());
    }
    let is_pdf = input.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if is_pdf
        && !from_text
        && let Some(carried) = attached::carried(input)?
    {
        let restored = restore(project, &target, carried)?;
        return Ok(ImportRun {
            sources: Sources::new(),
            diagnostics: Diagnostics::default(),
            target,
            report: None,
            restored: Some(restored),
        });
    }
    let text = read_input(input)?;
    let mut sources = Sources::new();
    let mut diagnostics = Diagnostics::default();
    let source = sources.add(input.to_path_buf(), text);
    let text = &sources.get(source).text;
    let at = |offset: usize| {
        let offset = floor_char_boundary(text, offset);
        Span::new(source, offset..offset)
    };
    let report = match import_text(text, id) {
        Ok(imported) => {
            write_dir_atomic(&target, &imported.files)?;
            for warning in &imported.report.warnings {
                diagnostics.push(
                    Diagnostic::warning("import", warning.message.clone())
                        .with_span(at(warning.line_or_offset)),
                );
            }
            Some(imported.report)
        }
        Err(err) => {
            let offset = match err {
                ImportError::EmptyToc(offset) => offset,
                _ => 0,
            };
            diagnostics.push(
                Diagnostic::error("import", format!("cannot import: {err}"))
                    .with_span(at(offset)),
            );
            None
        }
    };
    Ok(ImportRun { sources, diagnostics, target, report, restored: None })
}

/// Writes the carried edition into `target` (atomically, as a whole), and its
/// template beside it when it differs from the project's.
fn restore(
    project: &Project,
    target: &Path,
    carried: attached::Carried,
) -> anyhow::Result<Restored> {
    let ours = crate::typeset::world::Templates::locate(&project.templates_dir())?
        .main
        .into_bytes();
    let mut files = carried.files;
    let template = match carried.template {
        None => TemplateRestored::Absent,
        Some(template) if template == ours => TemplateRestored::Same,
        Some(template) => {
            files.push((TEMPLATE_COPY.to_string(), template));
            TemplateRestored::SavedAt(target.join(TEMPLATE_COPY))
        }
    };
    let count = files.len();
    write_dir_atomic(target, &files)?;
    Ok(Restored { from: carried.id, files: count, template })
}

/// Where a restored edition keeps the template its PDF carries, when it is not the
/// project's: hidden, so that no command takes it for a source.
const TEMPLATE_COPY: &str = ".template/edition.typ";

/// The text of a `.txt` file, or the text of a PDF's pages joined the way the
/// importer expects (one space where a line ended).
fn read_input(path: &Path) -> anyhow::Result<String> {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
        return pdf::text_of_pdf(path);
    }
    let bytes =
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{} is not UTF-8 text (first bad byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// The start of the character at or before `offset`: offsets in the import's
/// warnings are of its tokens and always fall on a boundary, but a span must.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Turns the text extracted from an edition's PDF into the files of an edition folder.
pub fn import_text(text: &str, edition_id: &str) -> Result<Imported, ImportError> {
    if !crate::edition::is_valid_id(edition_id) {
        return Err(ImportError::BadEditionId(edition_id.to_string()));
    }
    let mut report = ImportReport::default();
    let cleaned = blank_controls(text, &mut report);
    let all = tokens::tokenize(&cleaned, &mut report);
    if all.is_empty() {
        return Err(ImportError::Empty);
    }
    let front = toc::read_front(&all, &mut report)?;
    let body_tokens = &all[front.body_start..];
    let first_page = front.entries.first().map_or(1, |e| e.page);
    let (body, mut markers) =
        tokens::strip_page_numbers(body_tokens, first_page, &mut report);
    let body = tokens::strip_running_headers(body, &mut markers, &mut report);
    let sections = toc::split_body(&body, &front.entries, &markers, &mut report);

    let mut files = Vec::new();
    let mut manifest = policy::Manifest::new(&front.cover, edition_id);
    if !front.intro.is_empty() {
        let blocks = paragraphs::build_blocks(&front.intro, &mut report);
        let md = paragraphs::render(&blocks, &mut report);
        manifest.intro = Some("引言.md".to_string());
        files.push(("引言.md".to_string(), md));
    }
    // Paths already taken, without `.md`: a second category or policy of the same
    // name (or the same first 60 characters) gets `-2`, `-3`…
    let mut used_names: Vec<String> = Vec::new();
    if manifest.intro.is_some() {
        used_names.push("引言".to_string());
    }
    for section in &sections {
        match section {
            toc::Section::Category { title, tokens } => {
                manifest.categories.push(policy::CategoryOut {
                    title: title.clone(),
                    policies: Vec::new(),
                    body: None,
                });
                let text: String =
                    tokens.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join("");
                if !text.trim().is_empty() {
                    let blocks = paragraphs::build_list_blocks(tokens, &mut report);
                    let md = paragraphs::render(&blocks, &mut report);
                    let name = unique(policy::file_stem(title), &mut used_names);
                    let path = format!("{name}.md");
                    if let Some(cat) = manifest.categories.last_mut() {
                        cat.body = Some(path.clone());
                    }
                    files.push((path, md));
                }
            }
            toc::Section::Policy { title, tokens } => {
                let Some(cat) = manifest.categories.last_mut() else {
                    report.warn(
                        tokens.first().map_or(0, |t| t.off),
                        format!("policy {title} comes before any category; skipped"),
                    );
                    continue;
                };
                let folder = policy::file_stem(&cat.title);
                let doc = policy::build_policy(title, tokens, &mut report);
                let stem = policy::file_stem(&policy::short_name(title));
                let path =
                    format!("{}.md", unique(format!("{folder}/{stem}"), &mut used_names));
                cat.policies.push(path.clone());
                report.policies += 1;
                files.push((path, doc));
            }
        }
    }
    files.insert(0, ("edition.toml".to_string(), manifest.render()));
    Ok(Imported { files, report })
}

/// `name`, or `name-2`, `name-3`… if taken; the result is marked taken.
fn unique(name: String, used: &mut Vec<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{name}-{n}");
        n += 1;
    }
    used.push(candidate.clone());
    candidate
}

/// Tokens' texts joined with single spaces, as the extractor left them.
fn joined(tokens: &[Tok]) -> String {
    tokens.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ")
}
