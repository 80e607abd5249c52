//! The desk's JSON API: one function per route, each reading the edition from disk
//! as it is now (no state is kept between requests but the history), so the desk and
//! a text editor open on the same files never disagree for longer than a reload.
//!
//! | route | does |
//! | --- | --- |
//! | `GET edition` | the edition in book order, pages, findings counted |
//! | `GET file?path=` | one file: version, fields or header, body, findings |
//! | `POST check` | the findings the file would have, saved as sent (nothing written) |
//! | `POST save` | writes the file, unless it changed on disk since `version` |
//! | `POST fmt` | what `fmt` (and `--renumber` when asked) would make of it, as a diff |
//! | `POST arrange` | one change to `edition.toml` ([`super::arrange::Edit`]) |
//! | `POST remove` | a policy out of the manifest, its file into the history |
//! | `POST add?category=&name=` | the body, a published page or file, through `add` |
//! | `GET history`, `POST undo` | the kept changes; the newest taken back |
//! | `GET pdf`, `GET site.zip` | the last build, to download |

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};

use super::arrange::{self, Edit};
use super::matter::{self, Fields};
use super::{Desk, Response};
use crate::diag::{Diagnostic, Severity};
use crate::edition::MANIFEST;
use crate::edition::front_matter;
use crate::fmt::{Options, Role};
use crate::source::Sources;

/// An API call that could not be answered: its status, message and what the page
/// shows with it (a conflict's current text, say).
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// For the editor.
    pub message: String,
    /// More for the page.
    pub detail: Option<Value>,
}

impl ApiError {
    fn new(status: u16, message: impl std::fmt::Display) -> Self {
        Self { status, message: message.to_string(), detail: None }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        Self::new(500, format!("{err:#}"))
    }
}

type Answer = Result<Response, ApiError>;

/// Answers `route` (after `/__desk/api/`).
pub(super) fn answer(
    desk: &Desk,
    method: &str,
    route: &str,
    query: &str,
    body: &[u8],
) -> Answer {
    match (method, route) {
        ("GET", "edition") => edition(desk),
        ("GET", "file") => file(desk, &param(query, "path")?),
        ("POST", "check") => check(desk, &parse(body)?),
        ("POST", "save") => save(desk, &parse(body)?),
        ("POST", "fmt") => tidy(desk, &parse(body)?),
        ("POST", "arrange") => arrange(desk, &parse(body)?),
        ("POST", "remove") => remove(desk, &parse(body)?),
        ("POST", "add") => {
            add(desk, &param(query, "category")?, &param(query, "name")?, body)
        }
        ("GET", "history") => Ok(ok(&json!({ "changes": desk.history.list() }))),
        ("POST", "undo") => undo(desk),
        ("GET", "pdf") => download_pdf(desk),
        ("GET", "site.zip") => download_site(desk),
        (
            _,
            "edition" | "file" | "check" | "save" | "fmt" | "arrange" | "remove" | "add"
            | "history" | "undo" | "pdf" | "site.zip",
        ) => Err(ApiError::new(405, format!("{method} is not how {route} is asked for"))),
        _ => Err(ApiError::new(404, format!("no API route {route}"))),
    }
}

fn ok(value: &Value) -> Response {
    Response::json(200, value)
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::new(400, format!("a malformed request: {e}")))
}

fn param(query: &str, key: &str) -> Result<String, ApiError> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .and_then(|(_, v)| {
            percent_encoding::percent_decode_str(&v.replace('+', " "))
                .decode_utf8()
                .ok()
                .map(|v| v.into_owned())
        })
        .ok_or_else(|| ApiError::new(400, format!("the request lacks `{key}`")))
}

/// A file's version: a hash of its bytes (`absent` when there is no file), which a
/// save must name to show it was made from what is on disk.
pub fn version_of(bytes: Option<&[u8]>) -> String {
    match bytes {
        None => "absent".to_string(),
        Some(bytes) => {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            format!("{:016x}-{}", hasher.finish(), bytes.len())
        }
    }
}

// ---- The files the desk may touch -----------------------------------------------------

/// What a file of the edition is to the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `edition.toml`, edited as text.
    Manifest,
    /// A policy: fields and a body.
    Policy,
    /// The 引言 or a category's text: a body, an optional title.
    Text,
}

/// The edition's files as the manifest lists them, read leniently (a manifest the
/// loader refuses still lists its files, so that the desk can open them and the
/// manifest itself to mend it).
#[derive(Debug, Default)]
struct Listing {
    /// Whether the manifest parsed as TOML.
    readable: bool,
    title: String,
    subtitle: String,
    period: (String, String),
    intro: Option<String>,
    categories: Vec<ListedCategory>,
}

#[derive(Debug)]
struct ListedCategory {
    title: String,
    body: Option<String>,
    policies: Vec<String>,
}

impl Listing {
    fn read(folder: &Path) -> Result<(Listing, String), ApiError> {
        let text = std::fs::read_to_string(folder.join(MANIFEST))
            .map_err(|e| ApiError::new(500, format!("reading {MANIFEST}: {e}")))?;
        let Ok(value) = text.parse::<toml::Table>() else {
            return Ok((Listing::default(), text));
        };
        let string = |v: Option<&toml::Value>| {
            v.and_then(toml::Value::as_str).unwrap_or("").to_string()
        };
        let strings = |v: Option<&toml::Value>| -> Vec<String> {
            v.and_then(toml::Value::as_array)
                .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        let period = strings(value.get("period"));
        let categories = value
            .get("category")
            .and_then(toml::Value::as_array)
            .map(|cats| {
                cats.iter()
                    .map(|c| ListedCategory {
                        title: string(c.get("title")),
                        body: c
                            .get("body")
                            .and_then(toml::Value::as_str)
                            .map(String::from),
                        policies: strings(c.get("policies")),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let listing = Listing {
            readable: true,
            title: string(value.get("title")),
            subtitle: string(value.get("subtitle")),
            period: (
                period.first().cloned().unwrap_or_default(),
                period.get(1).cloned().unwrap_or_default(),
            ),
            intro: value.get("intro").and_then(toml::Value::as_str).map(String::from),
            categories,
        };
        Ok((listing, text))
    }

    /// The kind of the file at `path`, if the manifest lists it.
    fn kind(&self, path: &str) -> Option<Kind> {
        if path == MANIFEST {
            return Some(Kind::Manifest);
        }
        let texts = self
            .intro
            .iter()
            .chain(self.categories.iter().filter_map(|c| c.body.as_ref()));
        if texts.into_iter().any(|t| t.trim() == path) {
            return Some(Kind::Text);
        }
        self.categories
            .iter()
            .any(|c| c.policies.iter().any(|p| p.trim() == path))
            .then_some(Kind::Policy)
    }
}

/// The file at `path` if the desk may touch it: listed by the manifest (or the
/// manifest itself), a plain relative path, a Markdown file, and, once its links are
/// followed, inside the edition folder.
fn confine(
    desk: &Desk,
    listing: &Listing,
    path: &str,
) -> Result<(Kind, PathBuf), ApiError> {
    let refuse = || {
        ApiError::new(
            404,
            format!("{path} is not a file of this edition the desk may open"),
        )
    };
    let kind = listing.kind(path).ok_or_else(refuse)?;
    let rel = Path::new(path);
    if path.is_empty() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(refuse());
    }
    if kind != Kind::Manifest && rel.extension().is_none_or(|e| e != "md") {
        return Err(refuse());
    }
    let full = desk.folder.join(rel);
    let root = desk.folder.canonicalize().map_err(|e| ApiError::new(500, e))?;
    // A file not there yet is confined by its folder.
    let resolved = match full.canonicalize() {
        Ok(resolved) => resolved,
        Err(_) => full
            .parent()
            .and_then(|p| p.canonicalize().ok())
            .map(|p| p.join(rel.file_name().unwrap_or_default()))
            .ok_or_else(refuse)?,
    };
    if !resolved.starts_with(&root) {
        return Err(refuse());
    }
    Ok((kind, full))
}

// ---- Findings ----------------------------------------------------------------------

/// A finding for the page: where (relative path, line, column), what, and hints.
fn finding_json(folder: &Path, sources: &Sources, d: &Diagnostic) -> Value {
    let (file, line, column) = match &d.span {
        Some(span) => {
            let source = sources.get(span.source);
            let (line, column) = source.line_col(span.range.start);
            let file = source
                .path
                .strip_prefix(folder)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| source.path.display().to_string());
            (Some(file), Some(line), Some(column))
        }
        None => (None, None, None),
    };
    json!({
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Help => "help" },
        "code": d.code,
        "message": d.message,
        "file": file,
        "line": line,
        "column": column,
        "label": d.label,
        "hints": d.hints,
    })
}

/// Every finding `check` makes of the edition as it is on disk.
fn check_edition(desk: &Desk) -> Result<(crate::load::Loaded, Vec<Value>), ApiError> {
    let loaded =
        crate::check::check_folder(&desk.folder, &crate::check::CheckOptions::default())?;
    let findings = loaded
        .diagnostics
        .iter()
        .map(|d| finding_json(&desk.folder, &loaded.sources, d))
        .collect();
    Ok((loaded, findings))
}

fn of_file<'a>(findings: &'a [Value], path: &str) -> Vec<&'a Value> {
    findings.iter().filter(|f| f["file"] == path).collect()
}

fn counts(findings: &[&Value]) -> Value {
    let count = |s: &str| findings.iter().filter(|f| f["severity"] == s).count();
    json!({ "errors": count("error"), "warnings": count("warning") })
}

// ---- Routes ------------------------------------------------------------------------

/// The last build's toc.json, if there is one.
fn last_toc(desk: &Desk) -> Option<crate::toc::Toc> {
    crate::toc::Toc::read(&desk.out_dir.join("toc.json")).ok()
}

fn edition(desk: &Desk) -> Answer {
    let (listing, manifest) = Listing::read(&desk.folder)?;
    let (loaded, findings) = check_edition(desk)?;
    let toc = last_toc(desk);
    let pages: HashMap<&str, &crate::toc::TocEntry> = toc
        .iter()
        .flat_map(|t| &t.entries)
        .filter_map(|e| e.source.as_deref().map(|s| (s, e)))
        .collect();
    // Titles and site pages from the book, when it assembled.
    let book = loaded.assembled.as_ref();
    let titles: HashMap<&str, (&str, &str)> = book
        .iter()
        .flat_map(|b| b.policies())
        .map(|p| (p.path.as_str(), (p.meta.title.as_str(), p.id.as_str())))
        .collect();
    let policy = |path: &String| {
        let path = path.trim();
        let (title, id) = titles.get(path).copied().unwrap_or(("", ""));
        // An edition that does not assemble (a broken header elsewhere) still shows
        // each file by the title its own header gives, else by its file name.
        let title = if title.is_empty() {
            header_title(&desk.folder, path).unwrap_or_else(|| {
                path.rsplit('/')
                    .next()
                    .unwrap_or(path)
                    .trim_end_matches(".md")
                    .to_string()
            })
        } else {
            title.to_string()
        };
        let entry = pages.get(path);
        json!({
            "path": path,
            "title": title,
            "id": id,
            "page": entry.map(|e| e.page),
            "page_label": entry.map(|e| e.page_label.clone()),
            "html": book.and_then(|b| crate::html::page_of(b, id)).map(|f| format!("/html/{f}")),
            "findings": counts(&of_file(&findings, path)),
        })
    };
    let categories: Vec<Value> = listing
        .categories
        .iter()
        .enumerate()
        .map(|(index, c)| {
            json!({
                "index": index,
                "title": c.title,
                "body": c.body.as_ref().map(|b| json!({ "path": b, "findings": counts(&of_file(&findings, b)) })),
                "policies": c.policies.iter().map(policy).collect::<Vec<_>>(),
            })
        })
        .collect();
    let all: Vec<&Value> = findings.iter().collect();
    Ok(ok(&json!({
        "id": desk.id,
        "readable": listing.readable,
        "title": listing.title,
        "subtitle": listing.subtitle,
        "period": [listing.period.0, listing.period.1],
        "intro": listing.intro.as_ref().map(|i| json!({ "path": i, "findings": counts(&of_file(&findings, i)) })),
        "manifest": { "path": MANIFEST, "version": version_of(Some(manifest.as_bytes())), "findings": counts(&of_file(&findings, MANIFEST)) },
        "categories": categories,
        "findings": counts(&all),
        // Findings no file of the list shows (the edition as a whole).
        "general": findings.iter().filter(|f| f["file"].is_null()).collect::<Vec<_>>(),
        "built": toc.as_ref().map(|t| json!({ "pdf": format!("/{}", t.pdf), "pages": t.pages })),
    })))
}

/// The title a policy file's header gives, if it reads.
fn header_title(folder: &Path, path: &str) -> Option<String> {
    let text = std::fs::read_to_string(folder.join(path)).ok()?;
    let yaml = front_matter::split(&text).ok()?.yaml?;
    front_matter::parse::<front_matter::FrontMatter>(&text[yaml]).ok().map(|m| m.title)
}

/// A file split for the form: its header (YAML) and body, and the body's first line.
struct Parts {
    header: Option<String>,
    body: String,
    first_body_line: usize,
}

fn split_parts(kind: Kind, text: &str) -> Parts {
    if kind == Kind::Manifest {
        return Parts { header: None, body: text.to_string(), first_body_line: 1 };
    }
    match front_matter::split(text) {
        Ok(split) => Parts {
            header: split.yaml.map(|r| text[r].to_string()),
            body: text[split.body_start..].to_string(),
            first_body_line: text[..split.body_start].matches('\n').count() + 1,
        },
        // An unclosed header: all of it is the body, where the finding points.
        Err(_) => Parts { header: None, body: text.to_string(), first_body_line: 1 },
    }
}

fn file_json(
    desk: &Desk,
    path: &str,
    kind: Kind,
    text: &str,
    findings: &[Value],
) -> Value {
    let parts = split_parts(kind, text);
    let (fields, header_error) = match (kind, &parts.header) {
        (Kind::Policy, Some(yaml)) => match matter::read(yaml) {
            Ok(fields) => (Some(fields), None),
            Err(err) => (None, Some(err.to_string())),
        },
        _ => (None, None),
    };
    let title = match (kind, &parts.header) {
        (Kind::Text, Some(yaml)) => front_matter::parse::<front_matter::TextMatter>(yaml)
            .ok()
            .and_then(|m| m.title),
        _ => None,
    };
    json!({
        "path": path,
        "kind": match kind { Kind::Manifest => "manifest", Kind::Policy => "policy", Kind::Text => "text" },
        "version": version_of(Some(text.as_bytes())),
        "header": parts.header,
        "header_error": header_error,
        "fields": fields,
        "title": title,
        "body": parts.body,
        "first_body_line": parts.first_body_line,
        "findings": of_file(findings, path),
        "id": desk.id,
    })
}

fn file(desk: &Desk, path: &str) -> Answer {
    let (listing, _) = Listing::read(&desk.folder)?;
    let (kind, full) = confine(desk, &listing, path)?;
    let text = read_text(&full)?;
    let (_, findings) = check_edition(desk)?;
    Ok(ok(&file_json(desk, path, kind, &text, &findings)))
}

fn read_text(full: &Path) -> Result<String, ApiError> {
    let bytes = std::fs::read(full)
        .map_err(|e| ApiError::new(404, format!("reading {}: {e}", full.display())))?;
    String::from_utf8(bytes).map_err(|_| {
        ApiError::new(
            422,
            format!("{} is not UTF-8 text; `huibian fmt` converts it", full.display()),
        )
    })
}

/// A file as the page sends it: the body, and the header as form fields or as text.
#[derive(Debug, Deserialize)]
struct Edited {
    path: String,
    /// The version the page read (for a save).
    #[serde(default)]
    version: Option<String>,
    body: String,
    /// A policy's form.
    #[serde(default)]
    fields: Option<Fields>,
    /// The header as YAML text, when the form cannot read it.
    #[serde(default)]
    header: Option<String>,
    /// For `fmt`: repair numbering sequences too.
    #[serde(default)]
    renumber: bool,
}

/// The file's new text: the header from the form (written into the header on disk,
/// keeping what the form does not show) or as sent, and the body.
fn compose(kind: Kind, on_disk: &str, edited: &Edited) -> Result<String, ApiError> {
    // What a browser's textarea sends: CR LF line ends become LF, as `fmt` writes.
    let body = edited.body.replace("\r\n", "\n");
    if kind == Kind::Manifest {
        return Ok(body);
    }
    let disk = split_parts(kind, on_disk);
    let header = match (&edited.header, &edited.fields) {
        // An empty header where there was none is still none.
        (Some(header), _) if header.trim().is_empty() && disk.header.is_none() => None,
        (Some(header), _) => Some(header.replace("\r\n", "\n")),
        (None, Some(fields)) if kind == Kind::Policy => {
            let yaml = disk.header.clone().unwrap_or_default();
            let applied = if yaml.trim().is_empty() {
                // No header yet: one made of the fields alone.
                matter::apply("title: x\n", fields)
            } else {
                matter::apply(&yaml, fields)
            };
            Some(applied.map_err(|e| ApiError::new(422, e))?)
        }
        _ => disk.header,
    };
    Ok(match header {
        Some(mut header) => {
            if !header.is_empty() && !header.ends_with('\n') {
                header.push('\n');
            }
            format!("---\n{header}---\n{body}")
        }
        None => body,
    })
}

fn check(desk: &Desk, edited: &Edited) -> Answer {
    let (listing, _) = Listing::read(&desk.folder)?;
    let (kind, full) = confine(desk, &listing, &edited.path)?;
    let text = compose(kind, &read_text(&full)?, edited)?;
    let (_stage, loaded) = crate::check::check_staged(
        &desk.folder,
        &[(edited.path.clone(), text.clone().into_bytes())],
    )?;
    let findings: Vec<Value> = loaded
        .diagnostics
        .iter()
        .map(|d| finding_json(&desk.folder, &loaded.sources, d))
        .collect();
    let parts = split_parts(kind, &text);
    Ok(ok(&json!({
        "findings": of_file(&findings, &edited.path),
        "first_body_line": parts.first_body_line,
    })))
}

fn save(desk: &Desk, edited: &Edited) -> Answer {
    let (listing, _) = Listing::read(&desk.folder)?;
    let (kind, full) = confine(desk, &listing, &edited.path)?;
    let on_disk = read_text(&full)?;
    let current = version_of(Some(on_disk.as_bytes()));
    if edited.version.as_deref() != Some(current.as_str()) {
        return Err(conflict(&edited.path, kind, &on_disk, edited));
    }
    let text = compose(kind, &on_disk, edited)?;
    if text != on_disk {
        desk.history.apply(
            &format!("保存 {}", edited.path),
            &[(edited.path.clone(), Some(text.clone().into_bytes()))],
        )?;
    }
    let (_, findings) = check_edition(desk)?;
    Ok(ok(
        &json!({ "saved": text != on_disk, "file": file_json(desk, &edited.path, kind, &text, &findings) }),
    ))
}

/// The file changed on disk since the page read it: nothing is written, and the
/// page is shown the difference between what it would write and what is there.
fn conflict(path: &str, kind: Kind, on_disk: &str, edited: &Edited) -> ApiError {
    let mine = compose(kind, on_disk, edited).unwrap_or_else(|_| edited.body.clone());
    let diff = similar::TextDiff::from_lines(on_disk, mine.as_str())
        .unified_diff()
        .header(&format!("{path}（磁盘上的）"), &format!("{path}（您的）"))
        .to_string();
    ApiError {
        status: 409,
        message: format!(
            "{path} changed on disk since this page opened it (another editor, or another window); \
             nothing was saved. 文件已被别处修改，未保存。"
        ),
        detail: Some(
            json!({ "diff": diff, "version": version_of(Some(on_disk.as_bytes())) }),
        ),
    }
}

fn tidy(desk: &Desk, edited: &Edited) -> Answer {
    let (listing, _) = Listing::read(&desk.folder)?;
    let (kind, full) = confine(desk, &listing, &edited.path)?;
    let role = match kind {
        Kind::Policy => Role::Policy,
        Kind::Text => Role::Text,
        Kind::Manifest => {
            return Err(ApiError::new(400, "edition.toml is not tidied by fmt"));
        }
    };
    let text = compose(kind, &read_text(&full)?, edited)?;
    let formatted =
        crate::fmt::format(&text, role, Options { renumber: edited.renumber }).map_err(
            |e| ApiError::new(422, format!("{e}; mend it first (see the findings)")),
        )?;
    let diff = similar::TextDiff::from_lines(text.as_str(), formatted.text.as_str())
        .unified_diff()
        .header(
            &format!("{}（现在）", edited.path),
            &format!("{}（规范格式后）", edited.path),
        )
        .to_string();
    let parts = split_parts(kind, &formatted.text);
    Ok(ok(&json!({
        "changed": formatted.text != text,
        "diff": diff,
        "header": parts.header,
        "fields": parts.header.as_deref().and_then(|h| matter::read(h).ok()),
        "body": parts.body,
        "first_body_line": parts.first_body_line,
        "renumbered": formatted.renumbered.iter().map(|(line, old, new)| json!({ "line": line, "old": old, "new": new })).collect::<Vec<_>>(),
        "renumber_skipped": formatted.renumber_skipped,
    })))
}

#[derive(Debug, Deserialize)]
struct Arrange {
    edit: Edit,
    /// The manifest's version the page read.
    version: String,
}

/// Reads the manifest for a change, refusing one made from an older version.
fn manifest_for_change(desk: &Desk, version: &str) -> Result<String, ApiError> {
    let text = read_text(&desk.folder.join(MANIFEST))?;
    if version_of(Some(text.as_bytes())) != version {
        return Err(ApiError::new(
            409,
            "edition.toml changed on disk since this page read it; the page reloads it. 目录文件已被别处修改。",
        ));
    }
    Ok(text)
}

fn arrange(desk: &Desk, request: &Arrange) -> Answer {
    let before = manifest_for_change(desk, &request.version)?;
    let after =
        arrange::apply(&before, &request.edit).map_err(|e| ApiError::new(422, e))?;
    let action = match &request.edit {
        Edit::Move { path, .. } => format!("移动 {path}"),
        Edit::Rename { title, .. } => format!("重命名类别为 {title}"),
        Edit::AddCategory { title } => format!("新增类别 {title}"),
        Edit::RemoveCategory { .. } => "删除类别".to_string(),
        Edit::RemovePolicy { path } => format!("移出 {path}"),
        Edit::Meta { key, .. } => format!("修改 {key}"),
    };
    desk.history
        .apply(&action, &[(MANIFEST.to_string(), Some(after.clone().into_bytes()))])?;
    Ok(ok(&json!({ "version": version_of(Some(after.as_bytes())) })))
}

#[derive(Debug, Deserialize)]
struct Remove {
    path: String,
    /// The manifest's version the page read.
    version: String,
}

fn remove(desk: &Desk, request: &Remove) -> Answer {
    let (listing, _) = Listing::read(&desk.folder)?;
    let (kind, _) = confine(desk, &listing, &request.path)?;
    if kind != Kind::Policy {
        return Err(ApiError::new(400, "only a policy is removed this way"));
    }
    let before = manifest_for_change(desk, &request.version)?;
    let edit = Edit::RemovePolicy { path: request.path.clone() };
    let after = arrange::apply(&before, &edit).map_err(|e| ApiError::new(422, e))?;
    // One change: undo puts both the file and its line in the manifest back.
    desk.history.apply(
        &format!("删除 {}", request.path),
        &[
            (MANIFEST.to_string(), Some(after.clone().into_bytes())),
            (request.path.clone(), None),
        ],
    )?;
    Ok(ok(&json!({ "version": version_of(Some(after.as_bytes())) })))
}

/// A name for the uploaded file in a temporary folder: only its extension is kept
/// from what the browser sent (the name is not trusted as a path).
fn upload_name(name: &str) -> String {
    let extension: String = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .filter(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_default();
    if extension.is_empty() {
        "upload".to_string()
    } else {
        format!("upload.{extension}")
    }
}

fn add(desk: &Desk, category: &str, name: &str, body: &[u8]) -> Answer {
    if body.is_empty() {
        return Err(ApiError::new(400, "the dropped file is empty"));
    }
    let index: usize = category
        .parse()
        .map_err(|_| ApiError::new(400, "`category` is a category's index"))?;
    let temp = tempfile::tempdir().map_err(|e| ApiError::new(500, e))?;
    let input = temp.path().join(upload_name(name));
    std::fs::write(&input, body).map_err(|e| ApiError::new(500, e))?;
    let manifest_before =
        std::fs::read(desk.folder.join(MANIFEST)).map_err(|e| ApiError::new(500, e))?;
    let request = crate::add::Request {
        inputs: vec![input],
        edition: desk.folder.clone(),
        category: Some((index + 1).to_string()),
        dry_run: false,
        replace: false,
    };
    // `add` stages, checks and writes the files itself (atomically, never over a
    // file that is there); the desk records what it wrote, so that undo takes the
    // addition back whole.
    let run =
        crate::add::add(&request).map_err(|e| ApiError::new(422, format!("{e:#}")))?;
    let findings: Vec<Value> = run
        .diagnostics
        .iter()
        .map(|d| finding_json(&desk.folder, &run.sources, d))
        .collect();
    if !run.written || run.added.is_empty() {
        return Err(ApiError {
            status: 422,
            message: format!("{name} could not be added. 无法添加此文件。"),
            detail: Some(json!({ "findings": findings })),
        });
    }
    let mut earlier: Vec<(String, Option<Vec<u8>>)> =
        vec![(MANIFEST.to_string(), Some(manifest_before))];
    for added in &run.added {
        earlier.extend(added.assets.iter().map(|a| (a.clone(), None)));
        earlier.push((added.file.clone(), None));
    }
    desk.history.record(&format!("添加 {name}"), &earlier)?;
    Ok(ok(&json!({
        "added": run.added.iter().map(|a| json!({
            "file": a.file,
            "format": a.format,
            "missing": a.fields.iter().filter(|(_, v)| v.is_none()).map(|(k, _)| *k).collect::<Vec<_>>(),
            "notes": a.notes,
        })).collect::<Vec<_>>(),
        "findings": findings,
    })))
}

fn undo(desk: &Desk) -> Answer {
    match desk.history.undo()? {
        Some((undone, _)) => Ok(ok(&json!({ "undone": undone }))),
        None => Err(ApiError::new(409, "nothing to undo. 没有可撤销的修改。")),
    }
}

fn download_pdf(desk: &Desk) -> Answer {
    let name = format!("{}.pdf", desk.id);
    let bytes = std::fs::read(desk.out_dir.join(&name)).map_err(|_| {
        ApiError::new(404, "no PDF is built yet; wait for the build to end")
    })?;
    Ok(Response {
        status: 200,
        content_type: "application/pdf",
        download: Some(name),
        body: bytes,
    })
}

fn download_site(desk: &Desk) -> Answer {
    use std::io::Write;
    let site = desk.out_dir.join("html");
    if !site.is_dir() {
        return Err(ApiError::new(
            404,
            "no site is built yet; wait for the build to end",
        ));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // Fixed times: the same site zips to the same bytes.
        .last_modified_time(zip::DateTime::default());
    let prefix = format!("{}/", desk.id);
    let mut entries: Vec<_> = walkdir::WalkDir::new(&site)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .collect();
    entries.sort_by(|a, b| a.path().cmp(b.path()));
    for entry in entries {
        let Ok(rel) = entry.path().strip_prefix(&site) else { continue };
        let name = format!("{prefix}{}", rel.to_string_lossy().replace('\\', "/"));
        let bytes = std::fs::read(entry.path()).map_err(|e| ApiError::new(500, e))?;
        zip.start_file(name, options).map_err(|e| ApiError::new(500, e))?;
        zip.write_all(&bytes).map_err(|e| ApiError::new(500, e))?;
    }
    let bytes = zip.finish().map_err(|e| ApiError::new(500, e))?.into_inner();
    Ok(Response {
        status: 200,
        content_type: "application/zip",
        download: Some(format!("{}-site.zip", desk.id)),
        body: bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_name_the_bytes() {
        assert_eq!(version_of(None), "absent");
        assert_eq!(version_of(Some(b"a")), version_of(Some(b"a")));
        assert_ne!(version_of(Some(b"a")), version_of(Some(b"b")));
    }

    #[test]
    fn an_uploads_name_is_never_a_path() {
        assert_eq!(upload_name("../../etc/passwd"), "upload");
        assert_eq!(upload_name("通知.DOCX"), "upload.docx");
        assert_eq!(upload_name("x.html/../y"), "upload");
        assert_eq!(upload_name("a.tar.gz"), "upload.gz");
    }

    #[test]
    fn query_parameters_are_decoded() {
        assert_eq!(param("path=%E7%94%B2.md&x=1", "path").unwrap(), "甲.md");
        assert!(param("x=1", "path").is_err());
    }
}
