//! The whole build of one edition, stage after stage: load → assemble → typeset →
//! TOC → write. `build`, `toc` and `serve` call [`build_edition`] or [`rebuild`] and
//! decide how to show the outcome.
//!
//! Typst's layout and PDF export take most of a build, so the HTML is made beside
//! them on a second thread: the search index while the book is laid out, the pages
//! (which print page numbers, so they wait for the layout) while the PDF is exported.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::{Scope, ScopedJoinHandle};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::book::Book;
use crate::diag::{Diagnostic, Diagnostics};
use crate::html::{self, HtmlTemplates, Site};
use crate::load::{self, Loaded};
use crate::output::{Prepared, StagedDir, write_dir_atomic, write_files_atomic};
use crate::project::Project;
use crate::source::Sources;
use crate::toc::{self, Toc};
use crate::typeset::{self, Laid, LayoutHint, fonts::Fonts, world::Templates};

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

/// Which fonts a run loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontChoice {
    /// System fonts, `fonts/`, `--font-path` folders and the embedded ones.
    All,
    /// All but the system's (`--ignore-system-fonts`), for builds that must not
    /// depend on the machine.
    WithoutSystem,
    /// None: the run typesets nothing (`build --only html`), and a font scan would
    /// be most of its time.
    None,
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
    /// The PDF standards of `build --pdf-standard`, over each edition's own.
    pub pdf_standard: Option<crate::edition::pdf::PdfSettings>,
}

impl Renderers {
    /// Loads the fonts (`fonts/`, then `font_paths`, then as `choice` says) and the
    /// project's templates.
    pub fn new(
        project: &Project,
        font_paths: &[PathBuf],
        choice: FontChoice,
    ) -> anyhow::Result<Self> {
        for path in font_paths {
            if !path.is_dir() {
                bail!("--font-path {}: no such folder", path.display());
            }
        }
        let mut folders = vec![project.fonts_dir()];
        folders.extend(font_paths.iter().cloned());
        let fonts = Arc::new(match choice {
            FontChoice::All => Fonts::discover(&folders),
            FontChoice::WithoutSystem => Fonts::without_system(&folders),
            FontChoice::None => Fonts::none(),
        });
        Ok(Self {
            fonts,
            typst: Templates::locate(&project.templates_dir())?,
            html: HtmlTemplates::locate(&project.templates_dir())?,
            world: Default::default(),
            pdf_standard: None,
        })
    }

    /// Reads the templates again (serve, after an edit to one of them).
    pub fn reload_templates(&mut self, project: &Project) -> anyhow::Result<()> {
        self.typst = Templates::locate(&project.templates_dir())?;
        self.html = HtmlTemplates::locate(&project.templates_dir())?;
        Ok(())
    }
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
    /// The regenerated table of contents; `None` for an HTML-only build.
    pub toc: Option<Toc>,
    /// The book that was built (for `serve`, which renders it again as HTML).
    pub book: Book,
    /// The PDF's bytes, as written; empty for an HTML-only build.
    pub pdf: Vec<u8>,
    /// The HTML site, when it was made and kept: a rebuild's, for `serve`. A build
    /// writes its pages as they are made and keeps only their count (`html`).
    pub site: Option<Site>,
    /// How many files and bytes the site has, when one was written.
    pub html: Option<(usize, u64)>,
    /// Where the time went.
    pub times: Timings,
}

/// Where a build's time went.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// The whole build.
    pub total: Duration,
    /// Typst's layout.
    pub compile: Duration,
    /// PDF export.
    pub export: Duration,
    /// Rendering the HTML site, beside the export.
    pub html: Duration,
    /// How long after the build started the new site was first on disk, for a
    /// [`rebuild`] that wrote it before the PDF.
    pub html_on_disk: Option<Duration>,
}

impl Built {
    /// Number of pages of the PDF; 0 for an HTML-only build.
    pub fn pages(&self) -> u32 {
        self.toc.as_ref().map_or(0, |toc| toc.pages)
    }
}

/// A redline: the new edition typeset by its template with its changes since an
/// old one marked (`diff OLD NEW --format pdf`).
pub struct Redline {
    /// The comparison the marks and the 变更说明 come from.
    pub diff: crate::diff::EditionDiff,
    /// The lines of the 变更说明 page.
    pub notes: usize,
    /// The PDF and its number of pages; `None` when it could not be typeset (the
    /// reasons are in the diagnostics).
    pub pdf: Option<(Vec<u8>, usize)>,
}

/// Typesets `new` with its changes since `old` marked (see [`crate::diff::redline`]).
pub fn redline(
    old: &Book,
    new: &Book,
    options: &crate::diff::DiffOptions,
    renderers: &Renderers,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> anyhow::Result<Redline> {
    let (book, diff) = crate::diff::redline::mark(old, new, options);
    let notes = book.redline.as_ref().map_or(0, |n| n.entries.len());
    let r = renderers;
    let Some(laid) = typeset::layout(
        &book,
        LayoutHint::default(),
        &r.fonts,
        &r.typst,
        &r.world,
        sources,
        diags,
    )?
    else {
        return Ok(Redline { diff, notes, pdf: None });
    };
    let pages = laid.pages;
    let pdf =
        typeset::export(&laid, &book, &r.world, sources, diags).map(|e| (e.pdf, pages));
    Ok(Redline { diff, notes, pdf })
}

/// Where an edition's outputs go: `<out_root>/<ID>/`.
pub fn output_dir(out_root: &Path, id: &str) -> PathBuf {
    out_root.join(id)
}

/// Builds the edition in `folder` into `<out_root>/<ID>/`: the PDF, toc.json and the
/// HTML site, or what `only` names. `Err` is an I/O problem; problems in the sources
/// are in the report's diagnostics, and then nothing is written.
pub fn build_edition(
    folder: &Path,
    out_root: &Path,
    renderers: &Renderers,
    only: Only,
) -> anyhow::Result<BuildReport> {
    build(folder, out_root, renderers, Mode { only, html_first: false }, None)
}

/// Called with the pages of a rebuild as soon as they are rendered, before they are
/// written and before the PDF:
/// `serve` shows them then, with the last PDF, instead of after the export.
pub type OnHtml<'a> = &'a (dyn Fn(&Site) + Sync);

/// The rebuild after an edit, for `serve`: like [`build_edition`] of everything, but
/// the HTML goes out first. It is rendered and shown (`on_html`) at once with the
/// page numbers of the last toc.json (an edit rarely moves a page break) while Typst
/// lays the book out, and written with its search index beside the PDF export; if
/// the layout moved any page, it is rendered and shown again with the new numbers.
/// The PDF and toc.json are still only written when the whole build succeeds.
pub fn rebuild(
    folder: &Path,
    out_root: &Path,
    renderers: &Renderers,
    on_html: Option<OnHtml<'_>>,
) -> anyhow::Result<BuildReport> {
    build(
        folder,
        out_root,
        renderers,
        Mode { only: Only::All, html_first: true },
        on_html,
    )
}

/// Writes what Typst sees for the edition in `folder` into `dir` (see
/// [`typeset::emit`]); the report carries the findings if the sources have errors.
pub fn emit_typst(
    folder: &Path,
    dir: &Path,
    renderers: &Renderers,
) -> anyhow::Result<BuildReport> {
    let loaded = load::load(folder)?;
    if let Some(book) = loaded.book() {
        typeset::emit(book, &renderers.fonts, &renderers.typst, dir)?;
    }
    Ok(BuildReport {
        sources: loaded.sources,
        diagnostics: loaded.diagnostics,
        built: None,
    })
}

#[derive(Debug, Clone, Copy)]
struct Mode {
    only: Only,
    /// Write the HTML before the PDF (see [`rebuild`]).
    html_first: bool,
}

/// The files of one edition's outputs.
struct Paths {
    /// `out/<ID>/`, which holds the others.
    dir: PathBuf,
    pdf: PathBuf,
    toc: PathBuf,
    html: PathBuf,
    /// The edition's sources as a zip, which the site offers beside the PDF.
    sources_zip: PathBuf,
}

impl Paths {
    fn new(out_root: &Path, id: &str) -> Self {
        let dir = output_dir(out_root, id);
        Self {
            pdf: dir.join(format!("{id}.pdf")),
            toc: dir.join("toc.json"),
            html: dir.join("html"),
            sources_zip: dir.join(format!("{id}-sources.zip")),
            dir,
        }
    }
}

/// What the typesetting and HTML threads of one build made, before it is written.
struct Made {
    toc: Option<Toc>,
    pdf: Vec<u8>,
    /// The PDF, toc.json and the zip of the sources, written and waiting to be put
    /// in place.
    beside: Vec<Prepared>,
    site: Option<Pages>,
    /// All but the total, which the caller knows.
    times: Timings,
}

/// One build's state while it runs: what it reads, and where findings go.
struct Run<'a> {
    book: &'a Book,
    renderers: &'a Renderers,
    paths: &'a Paths,
    mode: Mode,
    started: Instant,
    /// Told of a rebuild's pages when they are on disk.
    on_html: Option<OnHtml<'a>>,
}

fn build(
    folder: &Path,
    out_root: &Path,
    renderers: &Renderers,
    mode: Mode,
    on_html: Option<OnHtml<'_>>,
) -> anyhow::Result<BuildReport> {
    let started = Instant::now();
    let Loaded { mut sources, mut diagnostics, assembled, .. } = load::load(folder)?;
    let mut book = match assembled {
        Some(book) if !diagnostics.has_errors() => book,
        _ => return Ok(BuildReport { sources, diagnostics, built: None }),
    };
    // `--pdf-standard` replaces the edition's standards, not its `embed_sources`.
    if let Some(pdf) = &renderers.pdf_standard {
        book.meta.pdf.standards = pdf.standards.clone();
        book.meta.pdf.origin = pdf.origin.clone();
        if let Some(why) = book.meta.pdf.attachments_refused() {
            diagnostics.push(crate::diag::Diagnostic::error(
                "pdf-standard",
                format!("--pdf-standard {}: {why}", book.meta.pdf.label()),
            ));
            return Ok(BuildReport { sources, diagnostics, built: None });
        }
    }
    let paths = Paths::new(out_root, &book.id);
    let run = Run { book: &book, renderers, paths: &paths, mode, started, on_html };
    let made = std::thread::scope(|scope| match mode.only {
        Only::Html => run.html_only(scope, &mut diagnostics).map(Some),
        Only::All | Only::Pdf => run.typeset(scope, &mut sources, &mut diagnostics),
    })?;
    let Some(made) = made else {
        return Ok(BuildReport { sources, diagnostics, built: None });
    };
    let Made { toc, pdf, beside, site, times } = made;
    let html = site.as_ref().map(Pages::written);
    let site = run.write(toc.is_some(), beside, site)?;
    let built = Built {
        id: book.id.clone(),
        pdf_path: paths.pdf,
        toc_path: paths.toc,
        toc,
        book,
        pdf,
        site,
        html,
        times: Timings { total: started.elapsed(), ..times },
    };
    Ok(BuildReport { sources, diagnostics, built: Some(built) })
}

impl Run<'_> {
    /// `build --only html`: the site with the page numbers of the last toc.json.
    fn html_only<'s>(
        &'s self,
        scope: &'s Scope<'s, '_>,
        diagnostics: &mut Diagnostics,
    ) -> anyhow::Result<Made> {
        let book = self.book;
        let search = scope.spawn(move || html::search_index(book));
        let toc = previous_toc(&self.paths.toc, diagnostics);
        let html_started = Instant::now();
        // The pages are rendered while the search index is made on its thread.
        let mut site =
            html::render_pages(book, toc.as_ref(), &self.renderers.html, Vec::new())?;
        set_search_index(&mut site, join(search)?);
        write_dir_atomic(&self.paths.html, &site.files)?;
        Ok(Made {
            toc: None,
            pdf: Vec::new(),
            beside: Vec::new(),
            site: Some(Pages::Written(site)),
            times: Timings { html: html_started.elapsed(), ..Timings::default() },
        })
    }

    /// Lays the book out and exports the PDF, with the HTML beside them unless this
    /// is a PDF-only build. `None` when Typst found errors (in `diagnostics`).
    fn typeset<'s>(
        &'s self,
        scope: &'s Scope<'s, '_>,
        sources: &mut Sources,
        diagnostics: &mut Diagnostics,
    ) -> anyhow::Result<Option<Made>> {
        let book = self.book;
        // The last build's page numbers: a rebuild prints them in its early pages, and
        // the layout starts from where its 目录 ended.
        let last = Toc::read(&self.paths.toc).ok();
        let hint = last.as_ref().map(LayoutHint::from_toc).unwrap_or_default();
        // The HTML takes one thread beside the layout, not two: on a machine of two
        // cores a third thread would take turns with the layout's.
        let search = match (self.mode.only, self.mode.html_first, last) {
            (Only::Pdf | Only::Html, ..) => None,
            (Only::All, true, Some(last)) => {
                Some(Search::Early(self.early_html(scope, last)))
            }
            (Only::All, ..) => {
                Some(Search::Running(scope.spawn(move || html::search_index(book))))
            }
        };
        let r = self.renderers;
        // A one-shot build starts from an empty memo: what an earlier edition of the
        // same command left there (`build` with several editions) is of no use to
        // this one, and would add to its peak. Its own memo is kept to the end:
        // freeing it before the export took 7 ms and slowed the export by 10 ms more,
        // to save 14 MiB, where handing back the font pages saves 60
        // (`font_index::MappedFont`). `serve` keeps the memo for the next edit.
        if !self.mode.html_first {
            typst::comemo::evict(0);
        }
        let laid = typeset::layout(
            book,
            hint,
            &r.fonts,
            &r.typst,
            &r.world,
            sources,
            diagnostics,
        )?;
        let Some(laid) = laid else { return Ok(None) };
        let Some(toc) = toc_of(book, &laid, diagnostics) else { return Ok(None) };
        if !self.mode.html_first {
            crate::memory::steady_export();
        }
        // The pages with the final page numbers, beside the PDF export, unless the
        // early ones (which the export does not wait for) held them already.
        let pages = search.map(|search| self.pages_beside_export(scope, search, &toc));
        // toc.json and the zip, written to the disk while the PDF is exported and put
        // in place with it: the PDF is then the one file left to write.
        std::fs::create_dir_all(&self.paths.dir)
            .with_context(|| format!("creating {}", self.paths.dir.display()))?;
        let (exported, beside) = std::thread::scope(|inner| {
            let beside = inner.spawn(|| self.prepare_beside(&toc, &laid.carried));
            let exported = typeset::export(&laid, book, &r.world, sources, diagnostics);
            (exported, join(beside))
        });
        let (site, html, html_on_disk) = match pages {
            Some(handle) => {
                let (site, time, on_disk) = join(handle)?;
                (Some(site), time, on_disk)
            }
            None => (None, Duration::ZERO, None),
        };
        let beside = beside?;
        let Some(exported) = exported else { return Ok(None) };
        let pdf = Prepared::new(&self.paths.pdf, &exported.pdf)?;
        Ok(Some(Made {
            toc: Some(toc),
            pdf: exported.pdf,
            beside: std::iter::once(pdf).chain(beside).collect(),
            site,
            times: Timings {
                total: Duration::ZERO,
                compile: laid.compile_time,
                export: exported.export_time,
                html,
                html_on_disk,
            },
        }))
    }

    /// For a [`rebuild`]: the pages with the last build's page numbers (`toc`),
    /// rendered and shown while the layout runs. (Without a last toc.json there are
    /// no numbers to print, and the site waits for the layout as in a plain build.)
    /// The search index and the disk wait for the layout to end (see
    /// [`Run::pages_beside_export`]): beside it, on a machine of two cores, they
    /// slowed the layout by as much as they took.
    fn early_html<'s>(&'s self, scope: &'s Scope<'s, '_>, toc: Toc) -> EarlyThread<'s> {
        scope.spawn(move || -> anyhow::Result<Early> {
            let site = html::render_pages(
                self.book,
                Some(&toc),
                &self.renderers.html,
                Vec::new(),
            )?;
            if let Some(on_html) = self.on_html {
                on_html(&without_search_index(&site));
            }
            Ok(Early { site, toc })
        })
    }

    /// Renders the pages with the final page numbers on a second thread, unless a
    /// rebuild's early pages printed the same numbers (then they are the site). A
    /// rebuild shows and writes them at once and keeps them (for `serve`); a build
    /// writes each page as it is made into a folder that takes html/'s place beside
    /// the PDF (see [`Run::write`]), holding no more of the site than one page.
    fn pages_beside_export<'s>(
        &'s self,
        scope: &'s Scope<'s, '_>,
        search: Search<'s>,
        toc: &Toc,
    ) -> ScopedJoinHandle<'s, anyhow::Result<(Pages, Duration, Option<Duration>)>> {
        // The thread may outlive the caller's locals; the TOC is small.
        let toc = toc.clone();
        scope.spawn(move || {
            let html_started = Instant::now();
            let (book, templates) = (self.book, &self.renderers.html);
            let (early, search) = match search {
                Search::Running(handle) => (None, join(handle)?),
                Search::Early(handle) => {
                    let early = join(handle)?;
                    (Some(early), html::search_index(book)?)
                }
            };
            if !self.mode.html_first {
                let mut staged = StagedDir::new(&self.paths.html)?;
                html::render_pages_each(
                    book,
                    Some(&toc),
                    templates,
                    search,
                    |path, bytes| staged.add(path, &bytes),
                )?;
                return Ok((Pages::Staged(staged), html_started.elapsed(), None));
            }
            let site = match early {
                Some(Early { mut site, toc: shown }) if shown == toc => {
                    set_search_index(&mut site, search);
                    site
                }
                // Pages printed numbers that moved (or none were shown): made and
                // shown now.
                _ => {
                    let site = html::render_pages(book, Some(&toc), templates, search)?;
                    if let Some(on_html) = self.on_html {
                        on_html(&site);
                    }
                    site
                }
            };
            write_dir_atomic(&self.paths.html, &site.files)?;
            let on_disk = Some(self.started.elapsed());
            Ok((Pages::Written(site), html_started.elapsed(), on_disk))
        })
    }

    /// toc.json and, when the PDF carries the sources, the zip of them, written
    /// (see [`Prepared`]) but not in place.
    fn prepare_beside(
        &self,
        toc: &Toc,
        carried: &typeset::data::Carried,
    ) -> anyhow::Result<Vec<Prepared>> {
        let mut files = vec![Prepared::new(&self.paths.toc, toc.to_json().as_bytes())?];
        if self.book.meta.pdf.embed_sources {
            let zip = typeset::data::sources_zip(carried)?;
            files.push(Prepared::new(&self.paths.sources_zip, &zip)?);
        }
        Ok(files)
    }

    /// Puts in place what a build made and has not written yet: the PDF, toc.json
    /// and the zip (`beside`), then the site's staged folder in html/'s place (a
    /// rebuild and an HTML-only build wrote theirs already). Returns the site when
    /// it was kept whole.
    fn write(
        &self,
        typeset: bool,
        beside: Vec<Prepared>,
        pages: Option<Pages>,
    ) -> anyhow::Result<Option<Site>> {
        let site = match pages {
            // The staged folder holds the lock on out/<ID>/: the files beside it are
            // put in place through it.
            Some(Pages::Staged(staged)) => {
                staged.commit(beside)?;
                None
            }
            Some(Pages::Written(site)) => {
                write_files_atomic(&self.paths.dir, beside)?;
                Some(site)
            }
            None => {
                write_files_atomic(&self.paths.dir, beside)?;
                None
            }
        };
        // Not offered any more: an old zip would be offered by no page.
        if typeset && !self.book.meta.pdf.embed_sources {
            remove_if_there(&self.paths.sources_zip)?;
        }
        Ok(site)
    }
}

fn remove_if_there(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => {
            Err(anyhow::Error::new(e).context(format!("removing {}", path.display())))
        }
    }
}

/// A build's site: kept whole and written already (a rebuild's, an HTML-only
/// build's), or written page by page into a folder not yet in html/'s place.
enum Pages {
    Written(Site),
    Staged(StagedDir),
}

impl Pages {
    /// How many files and bytes.
    fn written(&self) -> (usize, u64) {
        match self {
            Pages::Written(site) => (site.files.len(), site.size() as u64),
            Pages::Staged(staged) => staged.written(),
        }
    }
}

/// The thread that makes the search index.
type IndexThread<'s> = ScopedJoinHandle<'s, Result<Vec<u8>, html::HtmlError>>;

/// Where the pages beside the PDF export get the search index from.
enum Search<'s> {
    /// Still being made on its thread.
    Running(IndexThread<'s>),
    /// Made beside the export, after a rebuild's pages were shown early with the
    /// last build's page numbers ([`Run::early_html`]).
    Early(EarlyThread<'s>),
}

/// The thread that renders and shows a rebuild's early pages.
type EarlyThread<'s> = ScopedJoinHandle<'s, anyhow::Result<Early>>;

/// The pages a rebuild showed before the layout ended, and what they were made
/// from.
struct Early {
    /// Without its search index yet.
    site: Site,
    /// The page numbers it prints.
    toc: Toc,
}

/// The pages to show before the search index is made: the last one stays served
/// until then.
fn without_search_index(site: &Site) -> Site {
    let files = site.files.iter().filter(|(path, _)| path != html::SEARCH_INDEX);
    Site { files: files.cloned().collect() }
}

/// Puts the search index, made beside the pages, in the place `render_pages` gives
/// it among the site's files.
fn set_search_index(site: &mut Site, index: Vec<u8>) {
    match site.files.iter_mut().find(|(path, _)| path == html::SEARCH_INDEX) {
        Some((_, bytes)) => *bytes = index,
        None => site.files.push((html::SEARCH_INDEX.to_string(), index)),
    }
}

/// The TOC of the laid-out book; `None` (with an error) when the layout lacks a
/// heading, which means the template does not label it.
fn toc_of(book: &Book, laid: &Laid, diagnostics: &mut Diagnostics) -> Option<Toc> {
    match toc::build(book, &laid.page_map) {
        Ok(toc) => Some(toc),
        Err(missing) => {
            diagnostics.push(
                Diagnostic::error(
                    "toc",
                    format!("the laid-out book lacks the headings {}", missing.join(", ")),
                )
                .with_hint("the template must label every category, policy and section heading with its id"),
            );
            None
        }
    }
}

/// The result of a build's helper thread; a panic there is a bug, shown as one.
fn join<T>(handle: ScopedJoinHandle<'_, T>) -> T {
    match handle.join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// The toc.json of the last PDF build, for an HTML-only build; `None` (with a
/// warning saying why) when there is none or it cannot be read, and the site is made
/// without page numbers.
fn previous_toc(path: &Path, diagnostics: &mut Diagnostics) -> Option<Toc> {
    let problem = match Toc::read(path) {
        Ok(toc) => return Some(toc),
        Err(_) if !path.exists() => format!("{} is missing", path.display()),
        Err(err) => format!("{err:#}"),
    };
    diagnostics.push(
        Diagnostic::warning(
            "no-toc",
            format!("{problem}: the HTML site has no page numbers"),
        )
        .with_hint("build the PDF once (`huibian build`) to link pages"),
    );
    None
}

/// Whether the PDF and toc.json of the edition in `folder` exist and are newer than
/// every file of the edition and of the project's templates: then `toc` can print
/// them without building.
pub fn is_up_to_date(
    project: &Project,
    folder: &Path,
    out_root: &Path,
    id: &str,
) -> anyhow::Result<bool> {
    let paths = Paths::new(out_root, id);
    let mut oldest_output = None::<std::time::SystemTime>;
    for output in [&paths.pdf, &paths.toc] {
        let Ok(meta) = std::fs::metadata(output) else { return Ok(false) };
        let modified = meta.modified()?;
        oldest_output = Some(oldest_output.map_or(modified, |o| o.min(modified)));
    }
    let Some(oldest_output) = oldest_output else { return Ok(false) };
    for input in [folder.to_path_buf(), project.templates_dir()] {
        // A folder that is not there (no templates/: the built-in ones) is not newer.
        for entry in walkdir::WalkDir::new(&input).into_iter() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err)
                    if err
                        .io_error()
                        .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound) =>
                {
                    continue;
                }
                Err(err) => {
                    return Err(anyhow::Error::new(err)
                        .context(format!("reading {}", input.display())));
                }
            };
            if entry.metadata()?.modified()? > oldest_output {
                return Ok(false);
            }
        }
    }
    Ok(true)
}
