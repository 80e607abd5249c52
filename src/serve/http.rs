//! The preview's HTTP server: answers from an in-memory snapshot of the last good
//! build and tells open pages to reload when a new snapshot is published.
//!
//! Our own rather than typst-kit's: that one binds 127.0.0.1 only (no `--bind`), holds
//! its router lock while a response is written (a slow client of the PDF stalls the
//! rebuild that wants to publish), and answers one request at a time. Here a request
//! takes the current snapshot (an `Arc`) and lets go of the lock at once, so every
//! response comes whole from one build: never the index of one build and the pages
//! of another, never a file being replaced.

use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response, StatusCode};
use typst::foundations::Bytes;

use crate::desk::{self, Desk};

/// What a route answers with.
pub(super) enum Body {
    /// A page; the live-reload script is added before `</body>`.
    Html(String),
    /// A file, sent as it is.
    Raw(Bytes),
}

/// Answers a path (percent-decoded, with its leading `/`) from one build's outputs.
pub(super) type Router = Box<dyn Fn(&str) -> Option<Body> + Send + Sync>;

/// The published state: a router and its number, counted from 0 (the placeholder).
struct Snapshot {
    build: u64,
    router: Arc<Router>,
}

struct Shared {
    current: Mutex<Snapshot>,
    published: Condvar,
    streams: AtomicUsize,
    /// The editor's desk, with `serve --edit`: it answers `/__desk/…`.
    desk: OnceLock<Arc<Desk>>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        // The snapshot is replaced whole, so a panic elsewhere cannot leave it torn.
        self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn snapshot(&self) -> (u64, Arc<Router>) {
        let current = self.lock();
        (current.build, current.router.clone())
    }
}

/// A running server; it stops with the process.
pub(super) struct HttpServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

/// The first port tried when none is given, and how many after it.
const BASE_PORT: u16 = 3000;
const PORT_TRIES: u16 = 6;
/// Threads answering requests, so one slow download does not hold up the others.
const WORKERS: usize = 4;
/// Open reload streams (one per browser tab); more are refused, not left to pile up.
const MAX_STREAMS: usize = 64;
/// How often an idle reload stream is written to, so closed tabs are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

impl HttpServer {
    /// Listens on `ip` at `port`, or at the first free port from 3000, answering
    /// with `placeholder` at `/` until the first [`publish`](Self::publish).
    pub(super) fn start(
        ip: IpAddr,
        port: Option<u16>,
        placeholder: String,
    ) -> anyhow::Result<Self> {
        let listener = bind(ip, port)?;
        let addr = listener.local_addr()?;
        let server = Arc::new(
            tiny_http::Server::from_listener(listener, None)
                .map_err(|e| anyhow::anyhow!("starting the preview server: {e}"))?,
        );
        let placeholder: Router = Box::new(move |route| {
            (route == "/").then(|| Body::Html(placeholder.clone()))
        });
        let shared = Arc::new(Shared {
            current: Mutex::new(Snapshot { build: 0, router: Arc::new(placeholder) }),
            published: Condvar::new(),
            streams: AtomicUsize::new(0),
            desk: OnceLock::new(),
        });
        for _ in 0..WORKERS {
            let server = server.clone();
            let shared = shared.clone();
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    // A client that hangs up mid-answer is its own business.
                    let _ = handle(request, &shared);
                }
            });
        }
        Ok(Self { addr, shared })
    }

    /// The address the server listens on.
    pub(super) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Lets `desk` answer `/__desk/…` from now on (once; it needs the address the
    /// server is bound to, so it comes after [`start`](Self::start)).
    pub(super) fn set_desk(&self, desk: Arc<Desk>) {
        // Set once by `serve`; a second desk would be a bug there, and is ignored.
        let _ = self.shared.desk.set(desk);
    }

    /// Answers every later request from `router`, without telling open pages: for
    /// a build whose pages are those already shown (only its PDF is new).
    pub(super) fn replace(&self, router: Router) {
        self.shared.lock().router = Arc::new(router);
    }

    /// Answers every later request from `router` and tells open pages to reload.
    pub(super) fn publish(&self, router: Router) {
        let mut current = self.shared.lock();
        current.build += 1;
        current.router = Arc::new(router);
        drop(current);
        self.shared.published.notify_all();
    }
}

fn bind(ip: IpAddr, port: Option<u16>) -> anyhow::Result<TcpListener> {
    let ports = match port {
        Some(port) => port..=port,
        None => BASE_PORT..=BASE_PORT + PORT_TRIES - 1,
    };
    let mut last = None;
    for port in ports {
        match TcpListener::bind((ip, port)) {
            Ok(listener) => return Ok(listener),
            Err(err) if err.kind() == io::ErrorKind::AddrInUse => last = Some(port),
            Err(err) => {
                anyhow::bail!("cannot listen on {}: {err}", SocketAddr::new(ip, port))
            }
        }
    }
    match (port, last) {
        (Some(port), _) => anyhow::bail!("port {port} on {ip} is already in use"),
        _ => anyhow::bail!(
            "ports {BASE_PORT}–{} on {ip} are all in use; choose one with --port",
            BASE_PORT + PORT_TRIES - 1
        ),
    }
}

fn handle(request: Request, shared: &Arc<Shared>) -> io::Result<()> {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let Ok(path) = percent_decode_str(path).decode_utf8() else {
        return request.respond(Response::empty(StatusCode(400)));
    };
    if let (Some(desk), Some(rest)) = (shared.desk.get(), path.strip_prefix("/__desk")) {
        return handle_desk(request, desk, rest, query);
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        return request.respond(Response::empty(StatusCode(405)));
    }
    // Browsers ask for it on every page; there is none, and that is no error.
    if path == "/favicon.ico" {
        return request.respond(Response::empty(StatusCode(204)));
    }
    if path == "/__events" {
        let since = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("since="))
            .and_then(|n| n.parse().ok());
        return open_stream(request, since, shared);
    }
    let (build, router) = shared.snapshot();
    let Some(body) = router(&path) else {
        return request.respond(Response::empty(StatusCode(404)));
    };
    let (data, mime) = match body {
        Body::Html(mut html) => {
            inject_reload_script(&mut html, build);
            (Bytes::new(html.into_bytes()), "text/html; charset=utf-8")
        }
        // Shared with the snapshot, not copied: the PDF is sent from the build's bytes.
        Body::Raw(bytes) => (bytes, mime_type(&path)),
    };
    let headers = [
        header("Content-Type", mime),
        // Every build replaces the files: a browser must not keep an old one.
        header("Cache-Control", "no-store"),
        header("X-Huibian-Build", &build.to_string()),
    ];
    let length = data.len();
    let response = Response::new(
        StatusCode(200),
        headers.into_iter().flatten().collect(),
        io::Cursor::new(data),
        Some(length),
        None,
    )
    // With its length, never chunked (tiny_http chunks from 32 KiB): a PDF viewer
    // shows progress, and a cut-off download is seen to be one.
    .with_chunked_threshold(usize::MAX);
    request.respond(response)
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Answers a request to the desk: its body read first, bounded by [`desk::MAX_BODY`]
/// (a larger one is refused unread), then the desk's answer with the headers that keep
/// its pages to themselves (no framing by other sites, no referrer with the token).
fn handle_desk(
    mut request: Request,
    desk: &Desk,
    path: &str,
    query: &str,
) -> io::Result<()> {
    let too_large = || {
        Response::from_string("the upload is larger than the desk takes (32 MiB)")
            .with_status_code(413)
    };
    if request.body_length().is_some_and(|n| n > desk::MAX_BODY) {
        return request.respond(too_large());
    }
    let mut body = Vec::new();
    let limit = u64::try_from(desk::MAX_BODY).unwrap_or(u64::MAX).saturating_add(1);
    if request.as_reader().take(limit).read_to_end(&mut body).is_err() {
        return request.respond(Response::empty(StatusCode(400)));
    }
    if body.len() > desk::MAX_BODY {
        return request.respond(too_large());
    }
    let value = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_string())
    };
    let (host, origin, token) =
        (value("Host"), value("Origin"), value("X-Huibian-Token"));
    let method = request.method().as_str().to_string();
    let answer = desk.handle(&desk::Request {
        method: &method,
        path,
        query,
        credentials: desk::guard::Credentials {
            host: host.as_deref(),
            origin: origin.as_deref(),
            token: token.as_deref(),
        },
        body: &body,
    });
    let disposition = answer.download.as_ref().map(|name| {
        let encoded = percent_encoding::utf8_percent_encode(
            name,
            percent_encoding::NON_ALPHANUMERIC,
        );
        format!("attachment; filename=\"download\"; filename*=UTF-8''{encoded}")
    });
    let headers = [
        header("Content-Type", answer.content_type),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
        header("Referrer-Policy", "no-referrer"),
        header("X-Frame-Options", "DENY"),
        header(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             frame-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ),
        disposition.as_deref().and_then(|d| header("Content-Disposition", d)),
    ];
    let length = answer.body.len();
    let response = Response::new(
        StatusCode(answer.status),
        headers.into_iter().flatten().collect(),
        io::Cursor::new(answer.body),
        Some(length),
        None,
    )
    .with_chunked_threshold(usize::MAX);
    request.respond(response)
}

/// Starts a server-sent event stream that says `reload` whenever the current build
/// is another than `since` (the build the page came from, so a build finished
/// between loading a page and opening its stream is not missed).
fn open_stream(
    request: Request,
    since: Option<u64>,
    shared: &Arc<Shared>,
) -> io::Result<()> {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return request.respond(Response::empty(StatusCode(503)));
    }
    let shared = shared.clone();
    std::thread::spawn(move || {
        let _ = stream(request, since, &shared);
        shared.streams.fetch_sub(1, Ordering::SeqCst);
    });
    Ok(())
}

fn stream(request: Request, since: Option<u64>, shared: &Shared) -> io::Result<()> {
    // A page from another build than the current one (an earlier one, or one of a
    // server that has since been restarted) reloads at once.
    let mut seen = since.unwrap_or_else(|| shared.lock().build);
    let mut writer = request.into_writer();
    // Written by hand: tiny_http would send a chunked body, which browsers refuse
    // for an event stream.
    write!(
        writer,
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
    )?;
    writer.flush()?;
    loop {
        let current = shared.lock();
        let (current, _) = shared
            .published
            .wait_timeout_while(current, KEEP_ALIVE, |current| current.build == seen)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let build = current.build;
        drop(current);
        if build != seen {
            seen = build;
            write!(writer, "event: reload\ndata: {build}\n\n")?;
        } else {
            // A comment line: ignored by the browser, fails once the tab is closed.
            write!(writer, ": waiting\n\n")?;
        }
        writer.flush()?;
    }
}

/// The live-reload script. On a new build it fetches the page again and, when only
/// the page's text changed (the same elements at the top of the body, the same
/// header), puts the new elements in place of the old: no new document, the scroll
/// position kept, the search box as the reader left it, and a fraction of a reload's
/// time. Anything else (an error overlay coming or going, a failed fetch) reloads.
const RELOAD_SCRIPT: &str = r##"<script>(function () {
var shape = function (body) { return Array.from(body.children).filter(function (e) { return e.tagName !== "SCRIPT"; }); };
var key = function (els) { return els.map(function (e) { return e.tagName + "#" + e.id + "." + e.className; }).join("|"); };
var header = document.querySelector(".site-header"), headerHtml = header ? header.outerHTML : "";
new EventSource("/__events?since=BUILD").addEventListener("reload", function () {
  window.huibianReloadAt = Date.now();
  fetch(location.href, { cache: "no-store" }).then(function (r) { if (!r.ok) throw r.status; return r.text(); }).then(function (text) {
    var doc = new DOMParser().parseFromString(text, "text/html");
    var fresh = shape(doc.body), old = shape(document.body), h = doc.querySelector(".site-header");
    if (key(fresh) !== key(old) || (h ? h.outerHTML : "") !== headerHtml) { location.reload(); return; }
    old.forEach(function (e, i) { if (!e.classList.contains("site-header")) e.replaceWith(document.importNode(fresh[i], true)); });
    document.title = doc.title;
    window.huibianUpdatedAt = Date.now();
  }).catch(function () { location.reload(); });
});
})();</script>"##;

fn inject_reload_script(html: &mut String, build: u64) {
    let script = RELOAD_SCRIPT.replace("BUILD", &build.to_string());
    let at = html.rfind("</body>").unwrap_or(html.len());
    html.insert_str(at, &script);
}

/// The types of the files a build serves; anything else is sent as bytes.
fn mime_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("pdf") => "application/pdf",
        Some("json") => "application/json",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reload_script_names_the_build_and_goes_before_body_end() {
        let mut html = "<html><body><p>x</p></body></html>".to_string();
        inject_reload_script(&mut html, 7);
        assert!(html.contains("/__events?since=7"));
        assert!(html.ends_with("</script></body></html>"));
    }

    #[test]
    fn a_taken_port_is_reported_not_replaced() {
        let taken = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        let err = bind(IpAddr::from([127, 0, 0, 1]), Some(port)).unwrap_err();
        assert!(err.to_string().contains("already in use"), "{err}");
    }
}
