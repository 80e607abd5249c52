//! The desk's page: HTML, CSS and script written for huibian (no third-party code),
//! built into the binary so that `serve --edit` works from any folder.

/// A file of the page.
pub(super) struct PageFile {
    pub(super) content_type: &'static str,
    pub(super) body: &'static str,
}

/// The page file at `path` (after `/__desk`), if it is one.
pub(super) fn file(path: &str) -> Option<PageFile> {
    let (content_type, body) = match path {
        "" | "/" | "/index.html" => {
            ("text/html; charset=utf-8", include_str!("page/desk.html"))
        }
        "/desk.js" => ("text/javascript; charset=utf-8", include_str!("page/desk.js")),
        "/desk.css" => ("text/css; charset=utf-8", include_str!("page/desk.css")),
        _ => return None,
    };
    Some(PageFile { content_type, body })
}
