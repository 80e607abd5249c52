//! Each stage of the pipeline on its own, in one process, on `sources/2021-Q4`:
//! `cargo bench --bench stages`. Where a whole-process figure (scripts/bench) is off,
//! these say which stage to look at.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use huibian::book::{self, Book};
use huibian::diag::Diagnostics;
use huibian::edition::Edition;
use huibian::html::{self, HtmlTemplates};
use huibian::source::Sources;
use huibian::typeset::fonts::Fonts;
use huibian::typeset::world::Templates;
use huibian::typeset::{self, Laid, WorldCache};
use huibian::{diff, fmt, normalize, toc};

fn main() {
    divan::main();
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn edition_dir() -> PathBuf {
    root().join("sources/2021-Q4")
}

/// The edition loaded and assembled once, for the stages after it.
fn loaded() -> &'static (Edition, Book, Sources) {
    static LOADED: OnceLock<(Edition, Book, Sources)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let mut sources = Sources::new();
        let mut diags = Diagnostics::default();
        let edition =
            Edition::load(&edition_dir(), &mut sources, &mut diags).unwrap().unwrap();
        let book = book::assemble(&edition, &sources, &mut diags);
        (edition, book, sources)
    })
}

fn fonts() -> &'static Arc<Fonts> {
    static FONTS: OnceLock<Arc<Fonts>> = OnceLock::new();
    FONTS.get_or_init(|| Arc::new(Fonts::discover(&[root().join("fonts")])))
}

/// The book laid out once, for the stages that need page numbers.
fn laid() -> &'static Laid {
    static LAID: OnceLock<Laid> = OnceLock::new();
    LAID.get_or_init(|| layout(&WorldCache::default()))
}

fn layout(cache: &WorldCache) -> Laid {
    let (_, book, _) = loaded();
    let mut sources = Sources::new();
    let mut diags = Diagnostics::default();
    let templates = Templates::locate(&root().join("templates")).unwrap();
    typeset::layout(
        book,
        Default::default(),
        fonts(),
        &templates,
        cache,
        &mut sources,
        &mut diags,
    )
    .unwrap()
    .unwrap()
}

/// Every Markdown file of the edition with its role for `fmt`: files at the top are
/// the intro and category texts, files in category folders are policies.
fn markdown_files() -> Vec<(String, fmt::Role)> {
    let mut files = Vec::new();
    let mut stack = vec![edition_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let role = if dir == edition_dir() {
                    fmt::Role::Text
                } else {
                    fmt::Role::Policy
                };
                files.push((std::fs::read_to_string(&path).unwrap(), role));
            }
        }
    }
    files
}

#[divan::bench]
fn load_and_parse() -> Book {
    let mut sources = Sources::new();
    let mut diags = Diagnostics::default();
    let edition =
        Edition::load(&edition_dir(), &mut sources, &mut diags).unwrap().unwrap();
    book::assemble(&edition, &sources, &mut diags)
}

#[divan::bench]
fn normalise(bencher: divan::Bencher) {
    let files = markdown_files();
    bencher.bench(|| {
        files.iter().map(|(text, _)| normalize::normalize_text(text).len()).sum::<usize>()
    });
}

#[divan::bench]
fn check() -> usize {
    let (edition, book, sources) = loaded();
    let mut diags = Diagnostics::default();
    huibian::check::check(edition, book, sources, &mut diags);
    diags.iter().count()
}

#[divan::bench]
fn fmt(bencher: divan::Bencher) {
    let files = markdown_files();
    bencher.bench(|| {
        files
            .iter()
            .map(|(text, role)| {
                fmt::format(text, *role, fmt::Options::default()).unwrap().text.len()
            })
            .sum::<usize>()
    });
}

#[divan::bench]
fn typst_input() -> usize {
    let (_, book, _) = loaded();
    let plan = fonts().plan().unwrap();
    let template = typeset::world::Templates::builtin().main;
    typeset::data::book_data(book, &plan, Default::default(), &template)
        .unwrap()
        .policies
        .len()
}

/// Typst's layout with its caches empty, as a cold build has them.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn compile() -> usize {
    typst::comemo::evict(0);
    layout(&WorldCache::default()).pages
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn pdf_export() -> usize {
    let (_, book, _) = loaded();
    let cache = WorldCache::default();
    let laid = laid();
    let mut sources = Sources::new();
    let mut diags = Diagnostics::default();
    typeset::export(laid, book, &cache, &mut sources, &mut diags).unwrap().pdf.len()
}

#[divan::bench]
fn toc_query() -> usize {
    let (_, book, _) = loaded();
    let map = typeset::query::page_map(laid().document()).unwrap();
    toc::build(book, &map).unwrap().entries.len()
}

#[divan::bench]
fn search_index() -> usize {
    html::search_index(&loaded().1).unwrap().len()
}

#[divan::bench]
fn html_pages(bencher: divan::Bencher) {
    let (_, book, _) = loaded();
    let templates = HtmlTemplates::locate(&root().join("templates")).unwrap();
    let toc = toc::build(book, &laid().page_map).unwrap();
    bencher.bench(|| {
        html::render_pages(book, Some(&toc), &templates, Vec::new()).unwrap().size()
    });
}

/// The published 2021-Q4 book (its extracted text) against the edition.
#[divan::bench(sample_count = 10)]
fn diff(bencher: divan::Bencher) {
    let seed = root().join("tests/fixtures/seed-2021-Q4.txt");
    let (old, _) =
        diff::load_side(seed.to_str().unwrap(), &huibian::project::Project::at(root()))
            .unwrap();
    let (_, new, _) = loaded();
    let options = diff::DiffOptions::default();
    bencher.bench(|| diff::editions(&old, new, &options).changes.len());
}
