//! Stage 7, HTML: [`Book`] (+ the [`Toc`] of the laid-out PDF) → a self-contained site
//! under `out/<ID>/html/`.
//!
//! The site is the same book as the PDF: `index.html` (cover data, 引言, 目录), one page
//! per policy and one per category that carries a body, with prev/next links, a TOC
//! sidebar, an anchor on every heading, each policy's and section's printed page
//! linked into the PDF, and a client-side search for Chinese text. Everything the
//! pages load is inside the folder; nothing comes from a network.
//!
//! Source text reaches the pages only as template values, and the templates are
//! rendered with HTML autoescaping on: a `<script>` in a policy is text to show.
//! Ids are the ones the PDF and `toc.json` use ([`book::sections`]); paragraphs get
//! `<owner>-p<n>` (n = the block's position in its document), the anchors search
//! results link to.

mod context;
pub mod search;
mod templates;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use templates::HtmlTemplates;
pub(crate) use templates::escape_html;

use crate::book::Book;
use crate::toc::Toc;

/// The generated site: every file with its path relative to the `html/` folder.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// `(relative path, bytes)`, in a stable order: `index.html` first.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Site {
    /// Total size of all files in bytes.
    pub fn size(&self) -> usize {
        self.files.iter().map(|(_, bytes)| bytes.len()).sum()
    }

    /// The bytes of the file at `path`, if the site has it.
    pub fn file(&self, path: &str) -> Option<&[u8]> {
        self.files.iter().find(|(p, _)| p == path).map(|(_, b)| b.as_slice())
    }
}

/// What can go wrong while rendering the site.
#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    /// A template file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The template file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A template does not parse or fails while rendering.
    #[error("HTML template {name}: {source:#}")]
    Template {
        /// The template's file name (`policy.html`).
        name: String,
        /// minijinja's error, with line information.
        source: minijinja::Error,
    },
    /// The search index did not serialise: the site would have no search.
    #[error("writing the search index: {0}")]
    SearchIndex(serde_json::Error),
    /// An image of the book could not be read to copy it into the site.
    #[error("copying the image {path} into the site: {source}")]
    Image {
        /// Its path in the edition folder.
        path: String,
        /// Why not.
        source: std::io::Error,
    },
    /// A category, policy or section of the book has no page in the site. `Links`
    /// gives each one, so this is a bug in huibian; without this the link would be
    /// empty.
    #[error("internal error: no page of the site holds `{0}`")]
    NoPage(String),
}

/// The name of the search index file, a script assigning `window.HUIBIAN_SEARCH`
/// (a script, not JSON, so that search works from `file://` where `fetch` does not).
pub const SEARCH_INDEX: &str = "search-index.js";

/// The site's page (a file name under `html/`) that shows the category, policy or
/// section `id`: the desk opens a policy's preview there.
pub fn page_of(book: &Book, id: &str) -> Option<String> {
    context::Links::new(book, None).file(id).map(String::from)
}

/// Renders the whole site. With `toc` = `None` (no PDF built yet) the page references
/// and the PDF download link are left out; the caller should say so.
pub fn render_site(
    book: &Book,
    toc: Option<&Toc>,
    templates: &HtmlTemplates,
) -> Result<Site, HtmlError> {
    render_pages(book, toc, templates, search_index(book)?)
}

/// The search index as `search-index.js`. It needs no page numbers, so a build
/// makes it while Typst lays the book out, then hands it to [`render_pages`].
pub fn search_index(book: &Book) -> Result<Vec<u8>, HtmlError> {
    Ok(search::index_script(book, &context::Links::new(book, None))?.into_bytes())
}

/// Renders the pages (which print the PDF's page numbers from `toc`) and adds the
/// static files and the search index made by [`search_index`].
pub fn render_pages(
    book: &Book,
    toc: Option<&Toc>,
    templates: &HtmlTemplates,
    search_index: Vec<u8>,
) -> Result<Site, HtmlError> {
    let mut files = Vec::new();
    render_pages_each(book, toc, templates, search_index, |path, bytes| {
        files.push((path.to_string(), bytes));
        Ok::<(), HtmlError>(())
    })?;
    Ok(Site { files })
}

/// [`render_pages`] handing each file to `each` as soon as it is made, instead of
/// holding the whole site: a build writes the pages while the PDF is exported (a
/// 2,000-policy site is 20 MB).
pub fn render_pages_each<E: From<HtmlError>>(
    book: &Book,
    toc: Option<&Toc>,
    templates: &HtmlTemplates,
    search_index: Vec<u8>,
    mut each: impl FnMut(&str, Vec<u8>) -> Result<(), E>,
) -> Result<(), E> {
    let links = context::Links::new(book, toc);
    let env = templates.environment()?;
    // Made a template value once: passed as the struct, it would be serialised again
    // for every page (its TOC lists every policy: quadratic in the policies).
    let site = minijinja::Value::from_serialize(context::site_view(book, &links)?);

    let render = |name: &str, ctx: minijinja::Value| -> Result<Vec<u8>, HtmlError> {
        let err = |source| HtmlError::Template { name: name.to_string(), source };
        let template = env.get_template(name).map_err(err)?;
        template.render(ctx).map(String::into_bytes).map_err(err)
    };

    for page in context::pages(book, &links)? {
        let ctx = minijinja::context! { site => &site, page => &page };
        let template = match page.kind {
            context::PageKind::Index => "index.html",
            context::PageKind::Category => "category.html",
            context::PageKind::Policy => "policy.html",
            context::PageKind::List => "list.html",
        };
        each(page.file.as_ref(), render(template, ctx)?)?;
    }
    for name in templates::STATIC_FILES {
        each(name, templates.text(name).as_bytes().to_vec())?;
    }
    each(SEARCH_INDEX, search_index)?;
    // Images keep their path in the edition folder (`assets/<policy>/image-1.png`):
    // checked to be plain relative paths with an image's extension, they cannot
    // leave the site folder or take the name of a page.
    for path in book.images.paths() {
        let bytes = book
            .images
            .read(path)
            .map_err(|source| HtmlError::Image { path: path.to_string(), source })?;
        each(path, bytes)?;
    }
    Ok(())
}
