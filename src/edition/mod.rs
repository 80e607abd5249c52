//! Stage 1, LOAD: an edition folder on disk → [`Edition`].
//!
//! Reads `edition.toml` and every file it names, checks that each path stays inside
//! the edition folder, and parses the front matter. Bodies stay unparsed text here (a
//! byte range into their [`SourceFile`](crate::source::SourceFile)); the Markdown stage
//! parses them. Every problem becomes a [`Diagnostic`] with a location, and loading
//! goes on past it, so one run reports all missing files and broken headers at once.

pub mod date;
pub mod front_matter;
pub mod manifest;
pub mod pdf;

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};
use toml::Spanned;

pub use self::date::Date;
use self::front_matter::{FrontMatter, TextMatter};
use self::manifest::Manifest;
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::{SourceFile, SourceId, Sources, Span};

/// The manifest's file name inside an edition folder.
pub const MANIFEST: &str = "edition.toml";

/// An edition as read from disk: metadata, and the files in book order.
#[derive(Debug)]
pub struct Edition {
    /// The edition id, the folder's name (`2021-Q4`); names the output files.
    pub id: String,
    /// The edition folder.
    pub root: PathBuf,
    /// The manifest's source, for diagnostics about the edition as a whole.
    pub manifest: SourceId,
    /// Title, subtitle, publisher, dates, style.
    pub meta: EditionMeta,
    /// The introduction (引言), if the manifest names one.
    pub intro: Option<TextFile>,
    /// Categories in book order.
    pub categories: Vec<CategorySource>,
}

/// The edition's own metadata from `edition.toml`.
#[derive(Debug, Clone)]
pub struct EditionMeta {
    /// Book title.
    pub title: String,
    /// Subtitle, e.g. 2021年四季度.
    pub subtitle: Option<String>,
    /// Publisher; the PDF's author.
    pub publisher: Option<String>,
    /// Publication date (month precision allowed); also the PDF's date.
    pub published: Option<Date>,
    /// First and last day the edition covers.
    pub period: Option<(Date, Date)>,
    /// `[style]` table, handed to the template untouched.
    pub style: serde_json::Map<String, serde_json::Value>,
    /// The edition before this one, as written (an id or a path), and where.
    pub previous: Option<(String, Span)>,
    /// The back-matter indexes to generate, in the order listed.
    pub indexes: Vec<crate::indexes::IndexKind>,
    /// The PDF standards the book conforms to (`[pdf] standard`).
    pub pdf: pdf::PdfSettings,
}

impl EditionMeta {
    /// A true/false `[style]` key (`cjk_latin_spacing`, `print_unprinted`,
    /// `status_marks`), `default` when absent; loading has checked it is a boolean.
    pub fn style_flag(&self, key: &str, default: bool) -> bool {
        self.style.get(key).and_then(serde_json::Value::as_bool).unwrap_or(default)
    }
}

/// A category as the manifest lists it.
#[derive(Debug)]
pub struct CategorySource {
    /// Title without number.
    pub title: String,
    /// Where the title is written in the manifest.
    pub title_span: Span,
    /// Text the category carries (e.g. a list of plans), if any.
    pub body: Option<TextFile>,
    /// Its policies in order.
    pub policies: Vec<PolicyFile>,
}

/// A Markdown file without policy metadata (the intro, a category body).
#[derive(Debug)]
pub struct TextFile {
    /// The file's text.
    pub source: SourceId,
    /// Path relative to the edition folder, with `/` separators.
    pub path: String,
    /// Optional title from its front matter.
    pub title: Option<String>,
    /// The Markdown body's byte range in the source.
    pub body: Range<usize>,
}

/// One policy file: its metadata and where its body lies.
#[derive(Debug)]
pub struct PolicyFile {
    /// The file's text.
    pub source: SourceId,
    /// Path relative to the edition folder, with `/` separators.
    pub path: String,
    /// The front matter, dates checked.
    pub meta: PolicyMeta,
    /// The Markdown body's byte range in the source.
    pub body: Range<usize>,
}

/// A policy's front matter after checking.
#[derive(Debug, Clone)]
pub struct PolicyMeta {
    /// Full title.
    pub title: String,
    /// Issuing bodies, in order.
    pub issuer: Vec<String>,
    /// 文号.
    pub number: Option<String>,
    /// 成文日期.
    pub date: Option<Date>,
    /// Whether the text is an excerpt (节选).
    pub excerpt: bool,
    /// Stable id from the front matter, if the editor gave one.
    pub id: Option<String>,
    /// 发布日期.
    pub published: Option<Date>,
    /// 施行日期.
    pub effective: Option<Date>,
    /// 有效期至 / 废止日期.
    pub expires: Option<Date>,
    /// Where it was published (an address).
    pub source: Option<String>,
    /// The status the front matter states; `None` = derive it ([`crate::validity`]).
    pub status: Option<crate::validity::Status>,
    /// Documents it repeals or declares void (文号 or titles), as written.
    pub repeals: Vec<String>,
    /// Documents that repeal or void it (文号 or titles), as written.
    pub repealed_by: Vec<String>,
    /// Fields the book does not print (known from the record, not from the book).
    pub unprinted: Vec<Unprinted>,
}

/// A front matter field that a book may leave unprinted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unprinted {
    /// 发文机关 (the signature's names).
    Issuer,
    /// 文号 (under the title).
    Number,
    /// 成文日期 (the signature's date).
    Date,
}

/// Whether `id` can name an edition: it becomes a folder name and part of every
/// output's file name, so only ASCII letters, digits, `-` and `_`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Finds an edition folder: an existing directory path as given, otherwise an id
/// looked up under `sources/`.
pub fn resolve(arg: &str, sources_dir: &Path) -> anyhow::Result<PathBuf> {
    let as_path = Path::new(arg);
    if as_path.join(MANIFEST).is_file() {
        return Ok(as_path.to_path_buf());
    }
    let under = sources_dir.join(arg);
    if under.join(MANIFEST).is_file() {
        return Ok(under);
    }
    for candidate in [as_path, under.as_path()] {
        let manifest = candidate.join(MANIFEST);
        if manifest.is_dir() {
            bail!("{} is a folder; the manifest must be a file", manifest.display());
        }
    }
    if as_path.is_dir() || under.is_dir() {
        let dir = if as_path.is_dir() { as_path } else { &under };
        bail!("{} has no {MANIFEST}; an edition folder needs one", dir.display());
    }
    bail!(
        "no edition `{arg}`: neither {} nor {} is an edition folder",
        as_path.display(),
        under.display()
    )
}

/// Every edition folder under `sources/`, sorted by id.
pub fn discover(sources_dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(sources_dir)
        .with_context(|| format!("reading {}", sources_dir.display()))?;
    let mut found = Vec::new();
    for entry in entries {
        let path =
            entry.with_context(|| format!("reading {}", sources_dir.display()))?.path();
        if path.join(MANIFEST).is_file() {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

impl Edition {
    /// Loads the edition in `root`. Returns `Ok(None)` when the sources have errors
    /// (they are in `diags`), `Err` when the folder itself cannot be read.
    pub fn load(
        root: &Path,
        sources: &mut Sources,
        diags: &mut Diagnostics,
    ) -> anyhow::Result<Option<Edition>> {
        let id = edition_id(root)?;
        let canonical_root = root
            .canonicalize()
            .with_context(|| format!("opening edition folder {}", root.display()))?;
        let Some((manifest_id, manifest)) =
            read_manifest(root, &canonical_root, sources, diags)?
        else {
            return Ok(None);
        };
        let mut loader = Loader {
            root,
            canonical_root,
            manifest: manifest_id,
            sources,
            diags,
            seen: HashSet::new(),
        };
        let meta = loader.meta(&manifest);
        let intro = manifest.intro.as_ref().and_then(|path| loader.text_file(path));
        let mut categories = Vec::new();
        for entry in &manifest.categories {
            let body = entry.body.as_ref().and_then(|path| loader.text_file(path));
            let policies = entry
                .policies
                .iter()
                .filter_map(|path| loader.policy_file(path))
                .collect();
            categories.push(CategorySource {
                title: entry.title.get_ref().trim().to_string(),
                title_span: Span::new(manifest_id, entry.title.span()),
                body,
                policies,
            });
        }
        if categories.is_empty() {
            loader.diags.push(
                Diagnostic::warning("empty-edition", "the manifest lists no categories")
                    .with_span(Span::new(manifest_id, 0..0))
                    .with_hint("add `[[category]]` tables with `title` and `policies`"),
            );
        }
        if loader.diags.has_errors() {
            return Ok(None);
        }
        Ok(Some(Edition {
            id,
            root: root.to_path_buf(),
            manifest: manifest_id,
            meta,
            intro,
            categories,
        }))
    }
}

/// The `previous` a manifest names, read ahead of the real load so that the previous
/// edition can be loaded beside this one ([`crate::load::load`]). Only a guess: `None`
/// for anything unusual (a link, a large file, TOML that does not parse); the real
/// load decides, and reports what is wrong.
pub fn peek_previous(root: &Path) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Peek {
        previous: Option<String>,
    }
    let path = root.join(MANIFEST);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 1 << 20 {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    toml::from_str::<Peek>(&text).ok()?.previous
}

/// Reads and parses `edition.toml`; `None` (with the errors in `diags`) when it is
/// a link out of the edition, not text, or not a manifest.
fn read_manifest(
    root: &Path,
    canonical_root: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> anyhow::Result<Option<(SourceId, Manifest)>> {
    let manifest_path = root.join(MANIFEST);
    // Like every file it names, the manifest itself must not be a link out.
    let manifest_real = manifest_path
        .canonicalize()
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    if !manifest_real.starts_with(canonical_root) {
        diags.push(
            Diagnostic::error(
                "path-outside",
                format!(
                    "{} is a link to a file outside the edition folder",
                    manifest_path.display()
                ),
            )
            .with_hint("copy the file into the edition folder instead of linking to it"),
        );
        return Ok(None);
    }
    let bytes = std::fs::read(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let Some(manifest_id) = crate::encoding::read(sources, &manifest_path, bytes, diags)
    else {
        return Ok(None);
    };
    match toml::from_str(&sources.get(manifest_id).text) {
        Ok(manifest) => Ok(Some((manifest_id, manifest))),
        Err(err) => {
            let span = err.span().unwrap_or(0..0);
            let message = err.message().to_string();
            let mut d = Diagnostic::error("manifest", message.clone())
                .with_span(Span::new(manifest_id, span));
            // TOML gives a key written after a `[[category]]` table to that table.
            if ["unknown field `previous`", "unknown field `indexes`"]
                .iter()
                .any(|m| message.contains(m))
                && message.contains("`policies`")
            {
                d = d.with_hint("`previous` and `indexes` belong to the edition: move them above the first `[[category]]`");
            }
            diags.push(d);
            Ok(None)
        }
    }
}

/// The edition id: the name of its folder (`sources/2021-Q4` → `2021-Q4`).
pub fn edition_id(root: &Path) -> anyhow::Result<String> {
    let absolute = std::path::absolute(root)
        .with_context(|| format!("resolving {}", root.display()))?;
    let name = absolute
        .components()
        .rev()
        .find_map(|c| match c {
            Component::Normal(name) => Some(name),
            _ => None,
        })
        .and_then(|name| name.to_str())
        .filter(|name| !name.is_empty() && *name != ".");
    match name {
        Some(name) => Ok(name.to_string()),
        None => {
            bail!("cannot name the edition in {}: use its folder path", root.display())
        }
    }
}

/// The state of one manifest's loading: where files may be, what was already listed.
struct Loader<'a> {
    root: &'a Path,
    canonical_root: PathBuf,
    manifest: SourceId,
    sources: &'a mut Sources,
    diags: &'a mut Diagnostics,
    seen: HashSet<PathBuf>,
}

impl Loader<'_> {
    fn meta(&mut self, manifest: &Manifest) -> EditionMeta {
        let published = manifest.published.as_ref().and_then(|p| {
            let date = Date::parse(p.get_ref(), true);
            if date.is_none() {
                self.bad_value(
                    p.span(),
                    "`published` must be a month `YYYY-MM` or a date `YYYY-MM-DD`",
                );
            }
            date
        });
        let period = manifest.period.as_ref().and_then(|p| {
            let dates: Vec<_> = p.get_ref().iter().map(|d| Date::parse(d, false)).collect();
            match dates.as_slice() {
                [Some(first), Some(last)] if first <= last => Some((*first, *last)),
                _ => {
                    self.bad_value(
                        p.span(),
                        "`period` must be two dates `[\"YYYY-MM-DD\", \"YYYY-MM-DD\"]`, first ≤ last",
                    );
                    None
                }
            }
        });
        self.check_style(manifest);
        let style = manifest
            .style
            .iter()
            .filter_map(|(k, v)| {
                Some((k.clone(), serde_json::to_value(v.get_ref()).ok()?))
            })
            .collect();
        let previous = manifest.previous.as_ref().and_then(|p| {
            let value = p.get_ref().trim();
            if value.is_empty() {
                self.bad_value(
                    p.span(),
                    "`previous` must name an edition: an id under sources/ or a folder",
                );
                return None;
            }
            Some((value.to_string(), Span::new(self.manifest, p.span())))
        });
        let mut indexes = Vec::new();
        if let Some(list) = &manifest.indexes {
            for name in list.get_ref() {
                match crate::indexes::IndexKind::parse(name) {
                    Some(kind) if !indexes.contains(&kind) => indexes.push(kind),
                    Some(_) => self.bad_value(list.span(), &format!("`indexes` lists `{name}` twice")),
                    None => self.bad_value(
                        list.span(),
                        &format!("`indexes` has `{name}`: the indexes are \"issuer\", \"date\" and \"number\""),
                    ),
                }
            }
        }
        let pdf = self.pdf_settings(manifest);
        EditionMeta {
            title: manifest.title.get_ref().trim().to_string(),
            subtitle: manifest.subtitle.clone(),
            publisher: manifest.publisher.clone(),
            published,
            period,
            style,
            previous,
            indexes,
            pdf,
        }
    }

    /// `[pdf] standard`, checked by Typst's rules, and `[pdf] embed_sources`; the
    /// default when absent or wrong (a wrong one is an error, so the edition is not
    /// built). Attached sources under a standard that forbids them are an error at
    /// the `standard` line (or at `embed_sources` when the standard is the default).
    fn pdf_settings(&mut self, manifest: &Manifest) -> pdf::PdfSettings {
        let table = manifest.pdf.as_ref();
        let embed = table.and_then(|t| t.embed_sources.as_ref());
        let mut settings = pdf::PdfSettings {
            embed_sources: embed.is_none_or(|e| *e.get_ref()),
            ..pdf::PdfSettings::default()
        };
        if let Some(value) = table.and_then(|t| t.standard.as_ref()) {
            match pdf::parse(value.get_ref().values()) {
                Ok(standards) => {
                    settings.standards = standards;
                    settings.origin =
                        pdf::Origin::Manifest(Span::new(self.manifest, value.span()));
                }
                Err(message) => {
                    self.bad_value(value.span(), &format!("`[pdf] standard`: {message}"));
                    return settings;
                }
            }
        }
        if let Some(why) = settings.attachments_refused() {
            let span = match &settings.origin {
                pdf::Origin::Manifest(span) => Some(span.range.clone()),
                _ => embed.map(|e| e.span()),
            };
            if let Some(span) = span {
                self.bad_value(span, &format!("`[pdf]`: {why}"));
            }
        }
        settings
    }

    /// The `[style]` keys the built-in template reads must have values it understands;
    /// other keys pass through for custom templates.
    fn check_style(&mut self, manifest: &Manifest) {
        use toml::Value;
        for (key, value) in &manifest.style {
            let ok = match (key.as_str(), value.get_ref()) {
                ("body_size", Value::Integer(n)) => (6..=30).contains(n),
                ("body_size", Value::Float(n)) => (6.0..=30.0).contains(n),
                (
                    "cjk_latin_spacing" | "print_unprinted" | "status_marks",
                    Value::Boolean(_),
                ) => true,
                ("page_numbering", Value::String(s)) => {
                    s == "front-roman" || s == "continuous"
                }
                (
                    "body_size" | "cjk_latin_spacing" | "page_numbering"
                    | "print_unprinted" | "status_marks",
                    _,
                ) => false,
                _ => true,
            };
            if !ok {
                let expected = match key.as_str() {
                    "body_size" => "a size in points between 6 and 30",
                    "cjk_latin_spacing" | "print_unprinted" | "status_marks" => {
                        "true or false"
                    }
                    _ => "\"front-roman\" or \"continuous\"",
                };
                self.bad_value(value.span(), &format!("`{key}` must be {expected}"));
            }
        }
    }

    fn bad_value(&mut self, span: Range<usize>, message: &str) {
        self.diags.push(
            Diagnostic::error("manifest", message)
                .with_span(Span::new(self.manifest, span)),
        );
    }

    /// Resolves a manifest path, refusing anything that leaves the edition folder,
    /// and reads the file into the source store.
    fn read_member(&mut self, path: &Spanned<String>) -> Option<(SourceId, String)> {
        let span = Span::new(self.manifest, path.span());
        let rel = path.get_ref().trim();
        let error = |code, message: String| {
            Diagnostic::error(code, message).with_span(span.clone())
        };
        let as_path = Path::new(rel);
        if rel.is_empty() {
            self.diags.push(error("path", "empty file path".into()));
            return None;
        }
        if as_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            self.diags.push(
                error("path-outside", format!("`{rel}` leaves the edition folder"))
                    .with_label("only paths inside the edition folder are allowed")
                    .with_hint("write the path relative to the folder that holds edition.toml, without `..`"),
            );
            return None;
        }
        let full = self.root.join(as_path);
        let canonical = match full.canonicalize() {
            Ok(canonical) => canonical,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                self.diags.push(
                    error("missing-file", format!("`{rel}` does not exist"))
                        .with_label("no such file in the edition folder"),
                );
                return None;
            }
            Err(err) => {
                self.diags.push(error("io", format!("cannot open `{rel}`: {err}")));
                return None;
            }
        };
        if !canonical.starts_with(&self.canonical_root) {
            self.diags.push(
                error(
                    "path-outside",
                    format!("`{rel}` is a link to a file outside the edition folder"),
                )
                .with_hint(
                    "copy the file into the edition folder instead of linking to it",
                ),
            );
            return None;
        }
        if !self.seen.insert(canonical.clone()) {
            self.diags.push(error("duplicate-file", format!("`{rel}` is listed twice")));
            return None;
        }
        if canonical.is_dir() {
            self.diags
                .push(error("path", format!("`{rel}` is a folder, not a Markdown file")));
            return None;
        }
        let bytes = match std::fs::read(&canonical) {
            Ok(bytes) => bytes,
            Err(err) => {
                self.diags.push(error("io", format!("cannot read `{rel}`: {err}")));
                return None;
            }
        };
        let id = crate::encoding::read(self.sources, &full, bytes, self.diags)?;
        Some((id, rel.replace('\\', "/")))
    }

    fn text_file(&mut self, path: &Spanned<String>) -> Option<TextFile> {
        let (source, rel) = self.read_member(path)?;
        parse_text(self.sources, source, rel, self.diags)
    }

    fn policy_file(&mut self, path: &Spanned<String>) -> Option<PolicyFile> {
        let (source, rel) = self.read_member(path)?;
        parse_policy(self.sources, source, rel, self.diags)
    }
}

/// Reads one policy file already in `sources` as loading does: front matter split
/// off and checked, the body left as a byte range for the Markdown stage. Public so
/// that a policy's text can go through exactly the loader's checks without an
/// edition folder on disk (the fuzz targets do; `path` is only its name in the book).
pub fn parse_policy(
    sources: &Sources,
    source: SourceId,
    path: String,
    diags: &mut Diagnostics,
) -> Option<PolicyFile> {
    let (yaml, body) = split(sources, source, diags)?;
    let Some(yaml) = yaml else {
        diags.push(
            Diagnostic::error("front-matter", "policy file has no front matter")
                .with_span(Span::new(source, 0..0))
                .with_hint("start the file with\n---\ntitle: 北京市……实施方案\nissuer: 北京市人民政府\ndate: 2021-11-05\n---"),
        );
        return None;
    };
    let matter: FrontMatter = parse_yaml(sources, source, yaml.clone(), diags)?;
    let file = sources.get(source);
    let at = |key: &str| Span::new(source, key_span(file, &yaml, key));
    let mut fields = FieldCheck { at: &at, diags, ok: true };
    let date = fields.date("date", matter.date.as_deref());
    let published = fields.date("published", matter.published.as_deref());
    let effective = fields.date("effective", matter.effective.as_deref());
    let expires = fields.date("expires", matter.expires.as_deref());
    let number = fields.text("number", matter.number.as_deref());
    let source_url = fields.text("source", matter.source.as_deref());
    let issuer = fields.list("issuer", matter.issuer.as_ref());
    let repeals = fields.list("repeals", matter.repeals.as_ref());
    let repealed_by = fields.list("repealed_by", matter.repealed_by.as_ref());
    let status = fields.status(matter.status.as_deref());
    let unprinted = fields.unprinted(matter.unprinted.as_ref());
    if !fields.ok {
        return None;
    }
    let title = matter.title.trim().to_string();
    if title.is_empty() {
        diags.push(
            Diagnostic::error("front-matter", "the policy title is empty")
                .with_span(at("title")),
        );
        return None;
    }
    if title.contains(crate::scaffold::TODO_OPEN) {
        diags.push(todo_field(at("title"), "title"));
    }
    let meta = PolicyMeta {
        title,
        issuer,
        number,
        date,
        excerpt: matter.excerpt,
        id: matter.id.map(|id| id.trim().to_string()).filter(|id| !id.is_empty()),
        published,
        effective,
        expires,
        source: source_url,
        status,
        repeals,
        repealed_by,
        unprinted,
    };
    Some(PolicyFile { source, path, meta, body })
}

/// The optional front matter values of one policy, checked one by one so that every
/// bad value is reported, not only the first. A value still holding the
/// `【待核：…】` marker that `add` writes for what it could not find is a warning and
/// counts as absent: the policy builds, and `check` lists what to fill in.
struct FieldCheck<'a, F: Fn(&str) -> Span> {
    at: &'a F,
    diags: &'a mut Diagnostics,
    ok: bool,
}

impl<F: Fn(&str) -> Span> FieldCheck<'_, F> {
    fn text(&mut self, key: &str, value: Option<&str>) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        if value.contains(crate::scaffold::TODO_OPEN) {
            self.diags.push(todo_field((self.at)(key), key));
            return None;
        }
        Some(value.to_string())
    }

    fn list(
        &mut self,
        key: &str,
        value: Option<&front_matter::OneOrMany>,
    ) -> Vec<String> {
        let values = value.map(|v| v.to_vec()).unwrap_or_default();
        values.into_iter().filter_map(|v| self.text(key, Some(&v))).collect()
    }

    fn status(&mut self, value: Option<&str>) -> Option<crate::validity::Status> {
        let text = self.text("status", value)?;
        let status = crate::validity::Status::parse(&text);
        if status.is_none() {
            self.ok = false;
            self.diags.push(
                Diagnostic::error("front-matter", format!("`status: {text}` is not a status"))
                    .with_span((self.at)("status"))
                    .with_hint("write one of 现行有效, 已修订, 失效, 废止 — or leave it out to have it derived from `expires` and the repeals"),
            );
        }
        status
    }

    fn unprinted(&mut self, value: Option<&front_matter::OneOrMany>) -> Vec<Unprinted> {
        let mut out = Vec::new();
        for name in self.list("unprinted", value) {
            let field = match name.as_str() {
                "issuer" => Unprinted::Issuer,
                "number" => Unprinted::Number,
                "date" => Unprinted::Date,
                _ => {
                    self.ok = false;
                    self.diags.push(
                        Diagnostic::error(
                            "front-matter",
                            format!(
                                "`unprinted` has `{name}`, which the book never prints"
                            ),
                        )
                        .with_span((self.at)("unprinted"))
                        .with_hint("`unprinted` may list issuer, number and date"),
                    );
                    continue;
                }
            };
            out.push(field);
        }
        out
    }

    fn date(&mut self, key: &str, value: Option<&str>) -> Option<Date> {
        let text = self.text(key, value)?;
        let date = Date::parse(&text, false);
        if date.is_none() {
            self.ok = false;
            self.diags.push(
                Diagnostic::error(
                    "front-matter",
                    format!("`{key}: {text}` is not a date"),
                )
                .with_span((self.at)(key))
                .with_hint(format!(
                    "write the date as YYYY-MM-DD, e.g. `{key}: 2021-11-05`"
                )),
            );
        }
        date
    }
}

fn todo_field(span: Span, key: &str) -> Diagnostic {
    Diagnostic::warning(
        "todo-marker",
        format!("`{key}` is marked 【待核：…】 for revision"),
    )
    .with_span(span)
    .with_hint("write the value from the published document and remove the marker")
}

/// Reads an intro or category-body file already in `sources` as loading does (front
/// matter optional); the counterpart of [`parse_policy`] for text without metadata.
pub fn parse_text(
    sources: &Sources,
    source: SourceId,
    path: String,
    diags: &mut Diagnostics,
) -> Option<TextFile> {
    let (yaml, body) = split(sources, source, diags)?;
    let matter: TextMatter = match yaml {
        Some(yaml) => parse_yaml(sources, source, yaml, diags)?,
        None => TextMatter::default(),
    };
    Some(TextFile { source, path, title: matter.title, body })
}

/// Splits front matter from body; `None` (with an error) if the fence is unclosed.
fn split(
    sources: &Sources,
    source: SourceId,
    diags: &mut Diagnostics,
) -> Option<(Option<Range<usize>>, Range<usize>)> {
    let text = &sources.get(source).text;
    match front_matter::split(text) {
        Ok(split) => Some((split.yaml, split.body_start..text.len())),
        Err(unclosed) => {
            diags.push(
                Diagnostic::error("front-matter", "front matter is not closed")
                    .with_span(Span::new(source, unclosed.fence))
                    .with_label("opened here")
                    .with_hint("end the front matter with a line holding only `---`"),
            );
            None
        }
    }
}

/// Parses the front matter `yaml` of `source`; `None` (with a located error) if it
/// does not fit `T`.
fn parse_yaml<T: serde::de::DeserializeOwned>(
    sources: &Sources,
    source: SourceId,
    yaml: Range<usize>,
    diags: &mut Diagnostics,
) -> Option<T> {
    let file = sources.get(source);
    match front_matter::parse::<T>(&file.text[yaml.clone()]) {
        Ok(value) => {
            let (first_line, _) = file.line_col(yaml.start);
            for ignored in front_matter::ignored_tags(&file.text[yaml.clone()]) {
                let offset =
                    file.offset_of(first_line + ignored.line - 1, ignored.column);
                let written = file.text[offset..].starts_with(&ignored.tag);
                let tag_len = if written { ignored.tag.len() } else { 0 };
                diags.push(
                    Diagnostic::warning(
                        "yaml-tag",
                        format!("YAML tag `{}` is ignored: the value is read as the text written", ignored.tag),
                    )
                    .with_span(Span::new(source, offset..offset + tag_len))
                    .with_hint("if the `!` belongs to the text, put the value in quotes: title: \"!…\""),
                );
            }
            Some(value)
        }
        Err(err) => {
            let (first_line, _) = file.line_col(yaml.start);
            let offset = match err.location() {
                Some(loc) if loc.line() > 0 => file.offset_of(
                    first_line + loc.line() as usize - 1,
                    loc.column().max(1) as usize,
                ),
                _ => yaml.start,
            };
            let message = front_matter::error_message(&err);
            diags.push(
                Diagnostic::error("yaml", format!("front matter: {message}"))
                    .with_span(Span::new(source, offset..offset)),
            );
            None
        }
    }
}

/// The span of the line `key: …` in a front matter block, or its start.
fn key_span(file: &SourceFile, yaml: &Range<usize>, key: &str) -> Range<usize> {
    front_matter::key_line(&file.text, yaml, key).unwrap_or(yaml.start..yaml.start)
}
