//! The editor's desk: `huibian serve --edit` makes the preview a place to edit the
//! edition, for editors who work in Word and not in a terminal.
//!
//! The desk is a page (`page/`: HTML, CSS and script of our own, no third-party code)
//! and a JSON API under `/__desk/api/`, answered here from the edition on disk:
//! - the edition in book order, each file with its page and its findings counted
//!   ([`api`]);
//! - a file as a form of fields ([`matter`]) and a body, checked as `check` checks it
//!   before and after it is saved, tidied as `fmt` tidies it on request;
//! - the arrangement, moved and renamed in `edition.toml` through a format-keeping
//!   TOML editor ([`arrange`]);
//! - published pages, Word files and PDFs added as `add` adds them;
//! - every change kept, and undone from the page ([`history`]);
//! - the PDF and the site as a zip to download.
//!
//! Nothing is written but through [`history::History::apply`] (atomic, the earlier
//! bytes kept first), only files the manifest lists (and the manifest) are read or
//! written, a save is refused when the file changed on disk since the page read it,
//! and every request passes the [`guard`] first. The watcher of `serve` sees the
//! saved files and rebuilds; the desk itself never builds.

pub mod api;
pub mod arrange;
pub mod guard;
pub mod history;
pub mod matter;
mod page;

use std::path::{Path, PathBuf};

pub use self::guard::Guard;

/// The largest request body the desk reads (an upload of a saved page, a Word file
/// or a PDF included); larger ones are refused before they are read.
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// What the desk needs of a request: the HTTP layer reads it, bounded.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// `GET`, `POST`, ….
    pub method: &'a str,
    /// The path after `/__desk`, percent-decoded (`/api/file`).
    pub path: &'a str,
    /// The query string, still percent-encoded.
    pub query: &'a str,
    /// `Host`, `Origin` and the token.
    pub credentials: guard::Credentials<'a>,
    /// The body, at most [`MAX_BODY`] bytes.
    pub body: &'a [u8],
}

/// The desk's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Sent as `Content-Disposition: attachment; filename=…` when set.
    pub download: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON answer.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self {
            status,
            content_type: "application/json; charset=utf-8",
            download: None,
            body: value.to_string().into_bytes(),
        }
    }

    /// An error as JSON: `{"error": message}` and what else the page may show.
    pub fn error(status: u16, message: impl std::fmt::Display) -> Self {
        Self::json(status, &serde_json::json!({ "error": message.to_string() }))
    }
}

/// One edition's desk.
#[derive(Debug)]
pub struct Desk {
    /// The edition folder.
    pub folder: PathBuf,
    /// The edition id.
    pub id: String,
    /// `out/<ID>/`, where the last build's PDF, toc.json and site are.
    pub out_dir: PathBuf,
    /// Who may use it.
    pub guard: Guard,
    /// The kept changes.
    pub history: history::History,
    /// Held by every call that writes, so that two tabs (or a double click) cannot
    /// interleave a version check with another's write.
    writing: std::sync::Mutex<()>,
}

impl Desk {
    /// The desk of the edition in `folder`, its builds in `out_dir`, its history under
    /// `project_root/.huibian/history/<ID>/`.
    pub fn new(
        folder: &Path,
        out_dir: PathBuf,
        project_root: &Path,
        guard: Guard,
    ) -> anyhow::Result<Self> {
        let id = crate::edition::edition_id(folder)?;
        let history = history::History::new(
            folder,
            project_root.join(".huibian").join("history").join(&id),
        );
        Ok(Self {
            folder: folder.to_path_buf(),
            id,
            out_dir,
            guard,
            history,
            writing: std::sync::Mutex::new(()),
        })
    }

    /// The URL path of the desk's page, with the token.
    pub fn entry_path(&self) -> String {
        format!("/__desk/?token={}", self.guard.token())
    }

    /// Answers one request to `/__desk/…`.
    pub fn handle(&self, request: &Request<'_>) -> Response {
        // The page and its files carry no secret, but are served only as this
        // server's own (no rebound domain can load the page that holds the token).
        if let Some(file) = page::file(request.path) {
            if let Err(refusal) = self.guard.check_site(request.credentials) {
                return Response::error(403, refusal);
            }
            return Response {
                status: 200,
                content_type: file.content_type,
                download: None,
                body: file.body.as_bytes().to_vec(),
            };
        }
        let Some(route) = request.path.strip_prefix("/api/") else {
            return Response::error(404, "no such page on the desk");
        };
        if let Err(refusal) = self.guard.check(request.credentials) {
            return Response::error(403, refusal);
        }
        // Reads may run side by side; writes one at a time. A panic while writing
        // leaves the files as the history recorded them, so the lock is taken over.
        let _writing = (request.method != "GET").then(|| {
            self.writing.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
        });
        match api::answer(self, request.method, route, request.query, request.body) {
            Ok(response) => response,
            Err(api::ApiError { status, message, detail }) => {
                let mut value = serde_json::json!({ "error": message });
                if let Some(detail) = detail {
                    value["detail"] = detail;
                }
                Response::json(status, &value)
            }
        }
    }
}

#[cfg(test)]
mod tests;
