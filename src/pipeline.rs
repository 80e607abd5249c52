//! The whole build of one edition, stage after stage: load → assemble → typeset →
//! TOC → write. The command line, and anything else that builds (`toc`, later
//! `serve`), calls [`build_edition`] and decides how to show the outcome.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::book;
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::Edition;
use crate::html::{self, HtmlTemplates, Site};
use crate::output::write_atomic;
use crate::output::write_dir_atomic;
use crate::source::Sources;
use crate::toc::{self, Toc};
use crate::typeset::{self, fonts::Fonts, world::Templates};

/// Which outputs a build makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Only {
    /// The PDF, toc.json and the HTML site.
    #[default]
    All,
    /// The PDF and toc.json.
    Pdf,
    /// The HTML site alone, with page references from the last toc.json.
    Html,
}

/// What every build of a run shares: fonts and both sets of templates.
pub struct Renderers {
    /// Installed fonts.
    pub fonts: Arc<Fonts>,
    /// The Typst template.
    pub typst: Templates,
    /// The HTML templates.
    pub html: HtmlTemplates,
    /// Typst's World between builds of one process.
    pub world: typeset::WorldCache,
}

/// What one edition's build produced.
pub struct BuildReport {
    /// Every file read, for showing diagnostics.
    pub sources: Sources,
    /// Findings, errors and warnings.
    pub diagnostics: Diagnostics,
    /// The outputs, when the build succeeded.
    pub built: Option<Built>,
}

/// The files a successful build wrote.
pub struct Built {
    /// Edition id.
    pub id: String,
    /// `out/<ID>/<ID>.pdf`.
    pub pdf_path: PathBuf,
    /// `out/<ID>/toc.json`.
    pub toc_path: PathBuf,
    /// The regenerated table of contents.
    pub toc: Toc,
    /// The book that was built (for `serve`, which renders it again as HTML).
    pub book: book::Book,
    /// The PDF's bytes, as written.
    pub pdf: Vec<u8>,
    /// Time for the whole build.
    pub total: Duration,
    /// Time in Typst's layout.
    pub compile: Duration,
    /// Time in PDF export.
    pub export: Duration,
    /// The HTML site, when it was made.
    pub site: Option<Site>,
    /// Time rendering and writing the HTML site.
    pub html: Duration,
}

/// Where an edition's outputs go: `<out_root>/<ID>/`.
pub fn output_dir(out_root: &Path, id: &str) -> PathBuf {
    out_root.join(id)
}

/// Builds the edition in `folder` into `<out_root>/<ID>/`: the PDF, toc.json and the
/// HTML site. `Err` is an I/O problem; problems in the sources are in the report's
/// diagnostics, and then nothing is written.
///
/// Typst's layout and PDF export take most of a build, so the HTML is made beside
/// them on a second thread: the search index while the book is laid out, the pages
/// (which print page numbers, so they wait for the layout) while the PDF is exported.
pub fn build_edition(
    folder: &Path,
    out_root: &Path,
    renderers: &Renderers,
    only: Only,
) -> anyhow::Result<BuildReport> {
    build(folder, out_root, renderers, only, None)
}

/// Called with the HTML site as soon as it is on disk (before the PDF, in a
/// [`rebuild`]); `true` when its page numbers are known to be final.
pub type OnHtml<'a> = &'a (dyn Fn(&Site, bool) + Sync);

/// The rebuild after an edit, for `serve`: like [`build_edition`] of everything, but
/// the HTML goes out first. It is rendered at once with the page numbers of the last
/// toc.json (an edit rarely moves a page break), written and handed to `on_html`
/// while Typst lays the book out; if the layout moved any page, it is rendered again
/// with the new numbers. The editor sees the new text without waiting for the PDF.
/// The PDF and toc.json are still only written when the whole build succeeds.
pub fn rebuild(
    folder: &Path,
    out_root: &Path,
    renderers: &Renderers,
    on_html: OnHtml<'_>,
) -> anyhow::Result<BuildReport> {
    build(folder, out_root, renderers, Only::All, Some(on_html))
}

fn build(
    folder: &Path,
    out_root: &Path,
    renderers: &Renderers,
    only: Only,
    html_first: Option<OnHtml<'_>>,
) -> anyhow::Result<BuildReport> {
    let started = Instant::now();
    let mut sources = Sources::new();
    let mut diagnostics = Diagnostics::default();
    let report = |sources, diagnostics| BuildReport { sources, diagnostics, built: None };

    let Some(edition) = Edition::load(folder, &mut sources, &mut diagnostics)? else {
        return Ok(report(sources, diagnostics));
    };
    let book = book::assemble(&edition, &sources, &mut diagnostics);
    if diagnostics.has_errors() {
        return Ok(report(sources, diagnostics));
    }
    let dir = output_dir(out_root, &edition.id);
    let pdf_path = dir.join(format!("{}.pdf", edition.id));
    let toc_path = dir.join("toc.json");
    let html_dir = dir.join("html");

    let made = std::thread::scope(|scope| -> anyhow::Result<Option<Made>> {
        let book = &book;
        let html_dir = &html_dir;
        let mut search =
            (only != Only::Pdf).then(|| scope.spawn(|| html::search_index(book)));
        if only == Only::Html {
            let toc = previous_toc(&toc_path, &mut diagnostics);
            let html_started = Instant::now();
            let site =
                html::render_pages(book, toc.as_ref(), &renderers.html, index(search)?)?;
            write_dir_atomic(html_dir, &site.files)?;
            return Ok(Some(Made {
                toc,
                pdf: Vec::new(),
                compile: Duration::ZERO,
                export: Duration::ZERO,
                site: Some(site),
                html: html_started.elapsed(),
            }));
        }
        // HTML first: pages with the last build's numbers, out before the layout ends.
        let early = match (html_first, read_toc(&toc_path)) {
            (Some(on_html), Some(toc)) => {
                let search = search.take();
                Some(scope.spawn(move || -> anyhow::Result<(Site, Toc, Vec<u8>)> {
                    let search = index(search)?;
                    let site = html::render_pages(
                        book,
                        Some(&toc),
                        &renderers.html,
                        search.clone(),
                    )?;
                    write_dir_atomic(html_dir, &site.files)?;
                    on_html(&site, false);
                    Ok((site, toc, search))
                }))
            }
            _ => None,
        };

        let laid = typeset::layout(
            book,
            &renderers.fonts,
            &renderers.typst,
            &renderers.world,
            &mut sources,
            &mut diagnostics,
        )?;
        let early = early.map(join).transpose()?;
        let Some(laid) = laid else {
            return Ok(None);
        };
        let toc = match toc::build(book, &laid.page_map) {
            Ok(toc) => toc,
            Err(missing) => {
                diagnostics.push(
                    Diagnostic::error(
                        "toc",
                        format!("the laid-out book lacks the headings {}", missing.join(", ")),
                    )
                    .with_hint("the template must label every category, policy and section heading with its id"),
                );
                return Ok(None);
            }
        };
        // The pages, beside the PDF export, unless the early ones already hold the
        // right page numbers.
        let (early_site, search) = match early {
            Some((site, used, _)) if used == toc => (Some(site), None),
            Some((_, _, search)) => (None, Some(search)),
            None => (None, Some(index(search)?)),
        };
        let pages = match search {
            Some(search) if only == Only::All => {
                // The thread may outlive this closure's locals; the TOC is small.
                let toc = toc.clone();
                Some(scope.spawn(move || -> anyhow::Result<(Site, Duration)> {
                    let html_started = Instant::now();
                    let site =
                        html::render_pages(book, Some(&toc), &renderers.html, search)?;
                    if let Some(on_html) = html_first {
                        write_dir_atomic(html_dir, &site.files)?;
                        on_html(&site, true);
                    }
                    Ok((site, html_started.elapsed()))
                }))
            }
            _ => None,
        };
        let exported = typeset::export(
            &laid,
            book,
            &renderers.world,
            &mut sources,
            &mut diagnostics,
        );
        let (site, html) = match (pages, early_site) {
            (Some(handle), _) => {
                let (site, time) = join(handle)?;
                (Some(site), time)
            }
            (None, site) => (site, Duration::ZERO),
        };
        let Some(exported) = exported else {
            return Ok(None);
        };
        Ok(Some(Made {
            toc: Some(toc),
            pdf: exported.pdf,
            compile: laid.compile_time,
            export: exported.export_time,
            site,
            html,
        }))
    })?;
    let Some(made) = made else {
        return Ok(report(sources, diagnostics));
    };

    if only != Only::Html
        && let Some(toc) = &made.toc
    {
        write_atomic(&pdf_path, &made.pdf)?;
        write_atomic(&toc_path, toc.to_json().as_bytes())?;
    }
    // A rebuild has written its site already; so has an HTML-only build.
    if only == Only::All
        && html_first.is_none()
        && let Some(site) = &made.site
    {
        write_dir_atomic(&html_dir, &site.files)?;
    }

    let built = Built {
        id: edition.id,
        pdf_path,
        toc_path,
        toc: made.toc.unwrap_or_else(|| Toc {
            edition: book.id.clone(),
            title: book.meta.title.clone(),
            pdf: String::new(),
            pages: 0,
            entries: Vec::new(),
        }),
        book,
        pdf: made.pdf,
        total: started.elapsed(),
        compile: made.compile,
        export: made.export,
        site: made.site,
        html: made.html,
    };
    Ok(BuildReport { sources, diagnostics, built: Some(built) })
}

/// What the typesetting and HTML threads of one build made, before it is written.
struct Made {
    toc: Option<Toc>,
    pdf: Vec<u8>,
    compile: Duration,
    export: Duration,
    site: Option<Site>,
    html: Duration,
}

/// The search index from its thread (empty when none was made).
fn index(
    handle: Option<std::thread::ScopedJoinHandle<'_, Result<Vec<u8>, html::HtmlError>>>,
) -> Result<Vec<u8>, html::HtmlError> {
    handle.map(join).transpose().map(Option::unwrap_or_default)
}

/// The result of a build's helper thread; a panic there is a bug, shown as one.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match handle.join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// The toc.json of the last PDF build, for an HTML-only build; `None` (with a
/// warning) when there is none, and the site is made without page numbers.
fn previous_toc(path: &Path, diagnostics: &mut Diagnostics) -> Option<Toc> {
    let toc = read_toc(path);
    if toc.is_none() {
        diagnostics.push(
            Diagnostic::warning(
                "no-toc",
                format!(
                    "{} is missing: the HTML site has no page numbers",
                    path.display()
                ),
            )
            .with_hint("build the PDF once (`huibian build`) to link pages"),
        );
    }
    toc
}

/// The toc.json at `path`, if there is a readable one.
fn read_toc(path: &Path) -> Option<Toc> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes what Typst sees for the edition in `folder` into `dir` (see
/// [`typeset::emit`]); the report carries the findings if the sources have errors.
pub fn emit_typst(
    folder: &Path,
    dir: &Path,
    renderers: &Renderers,
) -> anyhow::Result<BuildReport> {
    let mut sources = Sources::new();
    let mut diagnostics = Diagnostics::default();
    let Some(edition) = Edition::load(folder, &mut sources, &mut diagnostics)? else {
        return Ok(BuildReport { sources, diagnostics, built: None });
    };
    let book = book::assemble(&edition, &sources, &mut diagnostics);
    if !diagnostics.has_errors() {
        typeset::emit(&book, &renderers.fonts, &renderers.typst, dir)?;
    }
    Ok(BuildReport { sources, diagnostics, built: None })
}
