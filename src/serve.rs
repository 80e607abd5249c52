//! `huibian serve`: build, serve on 127.0.0.1, watch, rebuild, reload the browser.
//!
//! One long-lived process keeps the fonts, the templates and Typst's caches warm, so
//! a rebuild after an edit re-lays out only what changed. A broken edit never stops
//! the server: the last good outputs stay served, with the findings shown over every
//! page until the sources are fixed. The server answers on the loopback interface
//! only (typst-kit's live-reload server binds nothing else).

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use typst::foundations::Bytes;
use typst_kit::server::{HttpBody, HttpServer};

use crate::diag;
use crate::html::{HtmlTemplates, escape_html};
use crate::pipeline::{self, Built, Only, Renderers};
use crate::typeset::world::Templates;
use crate::watch::Watcher;

/// What the server answers with: file path (no leading `/`) → bytes, and the
/// findings of a failed rebuild to show over every page.
#[derive(Default)]
struct Served {
    files: HashMap<String, Bytes>,
    overlay: Option<String>,
}

/// Serves the edition in `folder` until the process is stopped.
pub fn serve(
    folder: &Path,
    out_root: &Path,
    port: Option<u16>,
    mut renderers: Renderers,
    project: &Path,
) -> anyhow::Result<()> {
    let server = HttpServer::new("huibian", port, true)
        .map_err(|e| anyhow::anyhow!("starting the preview server: {e}"))?;
    server.set_html(format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>huibian</title></head>\
         <body style=\"font-family:system-ui,sans-serif;margin:3em\"><p>正在构建 {} …</p>\
         <p>Building; this page reloads by itself.</p></body></html>",
        escape_html(&folder.display().to_string())
    ));
    let mut served = Served::default();
    let mut watcher = Watcher::new(folder, &project.join("templates"))?;
    let mut first = true;
    loop {
        let started = Instant::now();
        // Templates are read again on every rebuild: editing them is part of the work.
        renderers.typst = Templates::locate(project)?;
        renderers.html = HtmlTemplates::locate(project)?;
        let report = pipeline::build_edition(folder, out_root, &renderers, Only::All)?;
        let findings = report.diagnostics.iter().cloned().collect::<Vec<_>>();
        match &report.built {
            Some(built) => {
                served.files = files_of(built);
                served.overlay = None;
                diag::emit_human(&report.sources, &findings);
                eprintln!(
                    "built {} pages in {:.0} ms (layout {:.0} ms, pdf {:.0} ms, html {:.0} ms)",
                    built.toc.pages,
                    started.elapsed().as_secs_f64() * 1000.0,
                    built.compile.as_secs_f64() * 1000.0,
                    built.export.as_secs_f64() * 1000.0,
                    built.html.as_secs_f64() * 1000.0,
                );
            }
            None => {
                diag::emit_human(&report.sources, &findings);
                served.overlay = Some(diag::render_plain(&report.sources, &findings));
                eprintln!(
                    "build failed; still serving the last good version with the errors shown"
                );
            }
        }
        publish(&server, &served);
        // Typst's memo cache lives as long as the process: keep it to recent builds.
        typst::comemo::evict(10);
        if first {
            eprintln!(
                "serving {} at http://{}/ (Ctrl-C to stop)",
                folder.display(),
                server.addr()
            );
            first = false;
        }
        let changes = watcher.wait()?;
        let names: Vec<String> = changes.iter().map(ToString::to_string).collect();
        eprintln!("changed: {}", names.join(", "));
    }
}

/// The files a build serves, laid out as `out/<ID>/` is: the site under `html/`
/// (so its `../<ID>.pdf` links resolve), the PDF and toc.json beside it. `/` leads to
/// the site's index.
fn files_of(built: &Built) -> HashMap<String, Bytes> {
    let mut files = HashMap::new();
    files.insert(format!("{}.pdf", built.id), Bytes::new(built.pdf.clone()));
    files.insert("toc.json".to_string(), Bytes::new(built.toc.to_json().into_bytes()));
    // serve always builds everything, so there is a site.
    for (path, bytes) in built.site.iter().flat_map(|site| &site.files) {
        files.insert(format!("html/{path}"), Bytes::new(bytes.clone()));
    }
    files
}

/// Replaces what the server answers with and makes open browsers reload.
fn publish(server: &HttpServer, served: &Served) {
    let files = served.files.clone();
    let overlay = served.overlay.clone();
    server.set_router(move |route| {
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
        let data = files.get(&path)?;
        if path.ends_with(".html") {
            let mut html = String::from_utf8_lossy(data).into_owned();
            if at_root && let Some(head) = html.find("<head>") {
                html.insert_str(head + "<head>".len(), "<base href=\"/html/\">");
            }
            if let Some(overlay) = &overlay {
                inject_overlay(&mut html, overlay);
            }
            Some(HttpBody::Html(html))
        } else {
            Some(HttpBody::Raw(data.clone()))
        }
    });
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
