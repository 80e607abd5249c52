//! `huibian serve`: build, serve on 127.0.0.1, watch, rebuild, reload the browser.
//!
//! One long-lived process keeps the fonts, the templates and Typst's caches warm, so
//! a rebuild after an edit re-lays out only what changed. A broken edit never stops
//! the server: the last good outputs stay served, with the findings shown over every
//! page until the sources are fixed. What is served comes from memory, never from
//! `out/` while it is being rewritten: a rebuild's pages as soon as they are rendered
//! (beside the last good PDF), then the whole build when its PDF is exported. The server answers on the
//! loopback interface unless `--bind` says otherwise.

mod http;

use std::collections::HashMap;
use std::net::IpAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use typst::foundations::Bytes;

use self::http::{Body, HttpServer};
use crate::diag;
use crate::html::Site;
use crate::html::escape_html;
use crate::pipeline::{self, Built, Renderers};
use crate::project::Project;
use crate::typeset::WorldCache;
use crate::watch::Watcher;

/// Files by path (no leading `/`), as one good build made them.
type Files = Arc<HashMap<String, Bytes>>;

/// How many builds' worth of Typst's memoized results are kept: the last few edits
/// re-lay out quickly, and hours of editing do not grow the process without bound.
/// typst-cli's `watch` keeps the same.
const MEMO_BUILDS: usize = 10;

/// Stale builds dropped in a row before one is published anyway: while a file is
/// saved faster than the edition builds (an editor's autosave), waiting for a build
/// that no save overtook would leave the preview frozen for as long as the typing.
const STALE_LIMIT: u32 = 2;

/// Where the preview listens.
#[derive(Debug, Clone, Copy)]
pub struct Listen {
    /// Interface address: loopback unless the user shares the preview on purpose.
    pub ip: IpAddr,
    /// Port, or the first free one from 3000.
    pub port: Option<u16>,
    /// Open the editor's desk (`--edit`).
    pub edit: bool,
    /// Let the desk listen beyond loopback (`--allow-remote-edit`).
    pub allow_remote_edit: bool,
}

/// Refuses a desk others could reach unless asked for in so many words, and one on
/// every interface at once (its pages answer only as one address, which must be known).
fn check_edit_bind(listen: &Listen) -> anyhow::Result<()> {
    if !listen.edit || listen.ip.is_loopback() {
        return Ok(());
    }
    if !listen.allow_remote_edit {
        anyhow::bail!(
            "--edit with --bind {} would let other machines change the edition; \
             add --allow-remote-edit if that is what you want (anyone on the network who \
             gets the printed address with its token can then edit, over unencrypted HTTP)",
            listen.ip
        );
    }
    if listen.ip.is_unspecified() {
        anyhow::bail!(
            "--edit answers as one address only: give the address the others will use \
             (for example --bind 192.168.1.20), not {}",
            listen.ip
        );
    }
    Ok(())
}

/// What one rebuild ended in.
enum Outcome {
    /// New outputs, to be served.
    Built(Files),
    /// The sources have errors, or the build could not run: the findings as text.
    Failed(String),
}

/// Serves the edition in `folder` until the process is stopped.
pub fn serve(
    folder: &Path,
    out_root: &Path,
    listen: Listen,
    mut renderers: Renderers,
    project: &Project,
) -> anyhow::Result<()> {
    let placeholder = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>huibian</title></head>\
         <body style=\"font-family:system-ui,sans-serif;margin:3em\"><p>正在构建 {} …</p>\
         <p>Building; this page reloads by itself.</p></body></html>",
        escape_html(&folder.display().to_string())
    );
    check_edit_bind(&listen)?;
    let server = HttpServer::start(listen.ip, listen.port, placeholder.clone())?;
    if listen.edit {
        let guard = crate::desk::Guard::new(server.addr())?;
        let id = crate::edition::edition_id(folder)?;
        let desk = crate::desk::Desk::new(
            folder,
            pipeline::output_dir(out_root, &id),
            project.root(),
            guard,
        )?;
        eprintln!(
            "the editor's desk: http://{}{} (open it in a browser; the address is the key to edit)",
            server.addr(),
            desk.entry_path()
        );
        if !listen.ip.is_loopback() {
            eprintln!(
                "warning: the desk listens on {}: anyone who can reach it and has this address can edit the edition",
                listen.ip
            );
        }
        server.set_desk(std::sync::Arc::new(desk));
    }
    if !listen.ip.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine can read the edition",
            listen.ip
        );
    }
    let mut watcher = Watcher::new(folder, &project.templates_dir())?;
    let mut last_good: Option<Files> = None;
    let mut first = true;
    let mut dropped = 0;
    loop {
        // The pages are shown as soon as they are rendered, with the last good PDF;
        // the whole build replaces them when the PDF is done, and reloads the
        // open pages only if the pages changed meanwhile (a page number moved).
        // Not when a save overtook the build already: its pages may hold a file
        // read half-written, and the next round builds what is on disk.
        let shown: Mutex<Option<Files>> = Mutex::new(None);
        let watching = Mutex::new(&mut watcher);
        // The first build shows nothing early: there is no PDF yet to serve beside it.
        let on_html = |site: &Site| {
            let Some(last) = last_good.as_deref() else { return };
            if watching.lock().unwrap_or_else(|p| p.into_inner()).changed() {
                return;
            }
            // Over the last good build's files: its PDF, and its search index until
            // this build's is made.
            let mut files = last.clone();
            for (path, bytes) in &site.files {
                files.insert(format!("html/{path}"), Bytes::new(bytes.clone()));
            }
            let files = Arc::new(files);
            server.publish(router(Some(files.clone()), None, placeholder.clone()));
            *shown.lock().unwrap_or_else(|p| p.into_inner()) = Some(files);
        };
        let outcome = rebuild(folder, out_root, &mut renderers, project, &on_html);
        let shown = shown.into_inner().unwrap_or_else(|p| p.into_inner());
        // Typst's memo cache lives as long as the process: keep it to recent builds.
        typst::comemo::evict(MEMO_BUILDS);
        // A build whose pages are shown stays what is shown, overtaken or not.
        if watcher.changed() && dropped < STALE_LIMIT && shown.is_none() {
            // The build may have read a file while an editor was writing it: what it
            // made is not what is on disk, and the next round builds that instead.
            dropped += 1;
            eprintln!("the sources changed during the build; building again");
        } else {
            dropped = 0;
            // Whether the open pages already show this build's pages.
            let mut quiet = false;
            let overlay = match outcome {
                Outcome::Built(files) => {
                    let same_pages = shown.as_ref().is_some_and(|shown| {
                        let pages = |f: &Files| -> Vec<(String, Bytes)> {
                            let mut v: Vec<_> = f
                                .iter()
                                .filter(|(p, _)| {
                                    p.starts_with("html/")
                                        && !p.ends_with(crate::html::SEARCH_INDEX)
                                })
                                .map(|(p, b)| (p.clone(), b.clone()))
                                .collect();
                            v.sort_by(|a, b| a.0.cmp(&b.0));
                            v
                        };
                        pages(shown) == pages(&files)
                    });
                    last_good = Some(files);
                    quiet = same_pages;
                    None
                }
                Outcome::Failed(findings) => {
                    eprintln!(
                        "build failed; still serving the last good version with the errors shown"
                    );
                    Some(findings)
                }
            };
            let router = router(last_good.clone(), overlay, placeholder.clone());
            if quiet { server.replace(router) } else { server.publish(router) }
        }
        if first {
            let mut addr = server.addr();
            let everywhere = addr.ip().is_unspecified();
            if everywhere {
                // 0.0.0.0 is no address to open; this machine reaches it on loopback.
                addr.set_ip(IpAddr::from([127, 0, 0, 1]));
            }
            eprintln!(
                "serving {} at http://{addr}/{} (Ctrl-C to stop)",
                folder.display(),
                if everywhere { " and on every network interface" } else { "" },
            );
            first = false;
        }
        let changes = watcher.wait()?;
        let names: Vec<String> = changes.iter().map(ToString::to_string).collect();
        eprintln!("changed: {}", names.join(", "));
    }
}

/// Builds once. Neither an I/O error (a file renamed away mid-save) nor a panic
/// stops the server: both become findings shown over the last good version.
fn rebuild(
    folder: &Path,
    out_root: &Path,
    renderers: &mut Renderers,
    project: &Project,
    on_html: pipeline::OnHtml<'_>,
) -> Outcome {
    let started = Instant::now();
    let attempt = catch_unwind(AssertUnwindSafe(|| -> anyhow::Result<Outcome> {
        // Templates are read again on every rebuild: editing them is part of the work.
        renderers.reload_templates(project)?;
        // The pages are shown first (`on_html`), with the last page numbers; they go
        // to disk beside the PDF export, and the server publishes the whole build
        // (HTML, PDF, toc.json) when it is done.
        let report = pipeline::rebuild(folder, out_root, renderers, Some(on_html))?;
        let findings = report.diagnostics.iter().cloned().collect::<Vec<_>>();
        diag::emit_human(&report.sources, &findings);
        Ok(match &report.built {
            Some(built) => {
                eprintln!(
                    "built {} pages in {:.0} ms (layout {:.0} ms, pdf {:.0} ms, html {:.0} ms)",
                    built.pages(),
                    started.elapsed().as_secs_f64() * 1000.0,
                    built.times.compile.as_secs_f64() * 1000.0,
                    built.times.export.as_secs_f64() * 1000.0,
                    built.times.html.as_secs_f64() * 1000.0,
                );
                Outcome::Built(Arc::new(files_of(built)))
            }
            None => Outcome::Failed(diag::render_plain(&report.sources, &findings)),
        })
    }));
    match attempt {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(err)) => {
            eprintln!("error: {err:#}");
            Outcome::Failed(format!("error: {err:#}"))
        }
        Err(panic) => {
            // The panic hook has printed the details. What the build left half-done
            // (the reused World, memoized results) is dropped rather than trusted.
            renderers.world = WorldCache::default();
            typst::comemo::evict(0);
            let what = panic
                .downcast_ref::<&str>()
                .map(ToString::to_string)
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Outcome::Failed(format!(
                "error: internal error while building (a bug in huibian, please report it): {what}"
            ))
        }
    }
}

/// The files a build serves, laid out as `out/<ID>/` is: the site under `html/`
/// (so its `../<ID>.pdf` links resolve), the PDF and toc.json beside it. `/` leads to
/// the site's index.
fn files_of(built: &Built) -> HashMap<String, Bytes> {
    let mut files = HashMap::new();
    files.insert(format!("{}.pdf", built.id), Bytes::new(built.pdf.clone()));
    if let Some(toc) = &built.toc {
        files.insert("toc.json".to_string(), Bytes::new(toc.to_json().into_bytes()));
    }
    // The sources zip the site links to, as the build wrote it beside the PDF.
    let zip = format!("{}-sources.zip", built.id);
    if let Ok(bytes) = std::fs::read(built.pdf_path.with_file_name(&zip)) {
        files.insert(zip, Bytes::new(bytes));
    }
    // serve always builds everything, so there is a site.
    for (path, bytes) in built.site.iter().flat_map(|site| &site.files) {
        files.insert(format!("html/{path}"), Bytes::new(bytes.clone()));
    }
    files
}

/// Answers from the last good build's files, with `overlay` (a failed build's
/// findings) over every page; before any good build, `/` is the placeholder page.
fn router(
    files: Option<Files>,
    overlay: Option<String>,
    placeholder: String,
) -> http::Router {
    let files = files.unwrap_or_default();
    Box::new(move |route| {
        let path = route.trim_start_matches('/');
        // `/` is the site's index; a <base> makes its relative links point into html/.
        let at_root = path.is_empty();
        let path = if at_root {
            "html/index.html".to_string()
        } else if path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        let mut html = match files.get(&path) {
            Some(data) if path.ends_with(".html") => {
                String::from_utf8_lossy(data).into_owned()
            }
            Some(data) => return Some(Body::Raw(data.clone())),
            None if at_root => placeholder.clone(),
            None => return None,
        };
        if at_root && let Some(head) = html.find("<head>") {
            html.insert_str(head + "<head>".len(), "<base href=\"/html/\">");
        }
        if let Some(overlay) = &overlay {
            inject_overlay(&mut html, overlay);
        }
        Some(Body::Html(html))
    })
}

/// Puts the findings of a failed build over the page, escaped, at the top of <body>.
fn inject_overlay(html: &mut String, findings: &str) {
    let block = format!(
        "<div id=\"huibian-errors\" style=\"position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;\
         z-index:99999;background:#fff5f5;border-bottom:3px solid #c00;padding:1em;font:13px/1.45 monospace;\
         white-space:pre-wrap;color:#300\"><strong>构建失败 · build failed — showing the last good version</strong>\n\n{}</div>",
        escape_html(findings)
    );
    let at = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
        .unwrap_or(0);
    html.insert_str(at, &block);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_goes_after_body_and_is_escaped() {
        let mut html = "<html><body class=\"x\"><p>text</p></body></html>".to_string();
        inject_overlay(&mut html, "error: <script>x</script> at a.md:1:1");
        assert!(html.starts_with("<html><body class=\"x\"><div id=\"huibian-errors\""));
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!html.contains("<script>x"));
    }
}
