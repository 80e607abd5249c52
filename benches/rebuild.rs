//! The rebuild after an edit, as `huibian serve` does it, against a cold build, on
//! `sources/2021-Q4`: `cargo bench --bench rebuild`. Prints figures; asserts nothing.
//!
//! One process, like serve: the first build is cold (Typst's caches empty), then a
//! one-paragraph edit is rebuilt with the caches warm. Reported: the whole rebuild
//! (load, layout, PDF export, toc.json, HTML, writes), its PDF part (Typst's own
//! incremental floor: compile + export) and its HTML part, each against the cold build.

use std::path::Path;
use std::time::{Duration, Instant};

use huibian::html::HtmlTemplates;
use huibian::pipeline::{self, Only, Renderers};
use huibian::typeset::{fonts::Fonts, world::Templates};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().unwrap();
    let edition = work.path().join("2021-Q4");
    copy_dir(&root.join("sources/2021-Q4"), &edition);
    let out = work.path().join("out");

    let started = Instant::now();
    let renderers = Renderers {
        fonts: std::sync::Arc::new(Fonts::discover(&[root.join("fonts")])),
        typst: Templates::locate(root).unwrap(),
        html: HtmlTemplates::locate(root).unwrap(),
        world: Default::default(),
    };
    let fonts = started.elapsed();

    let cold = pipeline::build_edition(&edition, &out, &renderers, Only::All).unwrap();
    let cold = cold.built.expect("2021-Q4 builds");
    println!(
        "font scan {:.0} ms; cold build {:.0} ms (layout {:.0}, pdf export {:.0}, html {:.0})",
        ms(fonts),
        ms(cold.total),
        ms(cold.compile),
        ms(cold.export),
        ms(cold.html)
    );

    let again = pipeline::build_edition(&edition, &out, &renderers, Only::All)
        .unwrap()
        .built
        .unwrap();
    println!(
        "unchanged rebuild {:.0} ms (layout {:.0}, pdf export {:.0}, html {:.0})",
        ms(again.total),
        ms(again.compile),
        ms(again.export),
        ms(again.html)
    );

    let policy = edition.join("优化营商环境/强化节能.md");
    let original = std::fs::read_to_string(&policy).unwrap();
    let mut rows = Vec::new();
    for round in 0..5 {
        let edited = original.replacen(
            "节能是生态文明建设的内在要求",
            &format!("节能（第{round}稿）是生态文明建设的内在要求"),
            1,
        );
        assert_ne!(edited, original);
        std::fs::write(&policy, edited).unwrap();
        let built = pipeline::build_edition(&edition, &out, &renderers, Only::All)
            .unwrap()
            .built
            .unwrap();
        println!(
            "edit {round}: rebuild {:.0} ms (layout {:.0}, pdf export {:.0}, html {:.0})",
            ms(built.total),
            ms(built.compile),
            ms(built.export),
            ms(built.html)
        );
        rows.push(built);
        typst::comemo::evict(10);
    }
    rows.sort_by_key(|b| b.total);
    let median = &rows[rows.len() / 2];
    let pdf = median.compile + median.export;
    println!(
        "median rebuild after an edit: {:.0} ms = {:.2}× the cold build",
        ms(median.total),
        median.total.as_secs_f64() / cold.total.as_secs_f64()
    );
    println!(
        "  new PDF (Typst's incremental compile + export): {:.0} ms = {:.2}× the cold build",
        ms(pdf),
        pdf.as_secs_f64() / cold.total.as_secs_f64()
    );
    println!(
        "  new HTML: {:.0} ms = {:.3}× the cold build",
        ms(median.html),
        median.html.as_secs_f64() / cold.total.as_secs_f64()
    );
}
