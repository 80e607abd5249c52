//! The rebuild after an edit, as `huibian serve` does it, against Typst's own floor
//! for the same edit, on `sources/2021-Q4`:
//! `cargo bench --bench rebuild [-- --rounds N] [-- --json FILE]`. Prints figures;
//! asserts nothing. `scripts/bench` runs it and puts the figures in its report.
//!
//! Both sides in one process, from Typst's caches empty:
//! - Typst's floor: the folder `build --emit-typst` writes, compiled and exported in
//!   a plain folder World (what `typst compile`/`typst watch` do); then, per round,
//!   the edit emitted again, the changed file reloaded, and one incremental
//!   compile + PDF export timed.
//! - huibian: a cold build, then per round the edit rebuilt as `serve` does
//!   ([`pipeline::rebuild`]): the time to the new HTML on disk and to the new PDF on
//!   disk.
//!
//! Each round makes one one-paragraph edit and times both sides on it, in turn first.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use huibian::pipeline::{self, Renderers};
use huibian::project::Project;
use huibian::typeset::folder::FolderWorld;
use typst_layout::PagedDocument;

mod common;
use common::copy_dir;

/// The policy edited, and the sentence the edit goes into.
const POLICY: &str = "优化营商环境/强化节能.md";
const SENTENCE: &str = "节能是生态文明建设的内在要求";

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// Round `round`'s version of the edited policy, written in place as an editor saves.
fn edit(edition: &Path, original: &str, round: usize) {
    let edited = original.replacen(
        SENTENCE,
        &format!("节能（第{round}稿）是生态文明建设的内在要求"),
        1,
    );
    assert_ne!(edited, original, "the sentence to edit is in {POLICY}");
    std::fs::write(edition.join(POLICY), edited).unwrap();
}

struct Args {
    rounds: usize,
    json: Option<PathBuf>,
}

fn args() -> Args {
    let mut args = Args { rounds: 5, json: None };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--rounds" => {
                args.rounds = it.next().and_then(|n| n.parse().ok()).unwrap_or(5)
            }
            "--json" => args.json = it.next().map(PathBuf::from),
            _ => {} // `cargo bench` passes `--bench`.
        }
    }
    args
}

fn main() {
    let args = args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().unwrap();
    let edition = work.path().join("2021-Q4");
    copy_dir(&root.join("sources/2021-Q4"), &edition);
    let original = std::fs::read_to_string(edition.join(POLICY)).unwrap();
    let out = work.path().join("out");

    let started = Instant::now();
    let renderers =
        Renderers::new(&Project::at(root), &[], pipeline::FontChoice::All).unwrap();
    println!("font scan {:.0} ms", ms(started.elapsed()));

    // Each side's cold build, from Typst's caches empty. As serve starts, its first
    // build is a rebuild too (a one-shot build frees Typst's caches before the
    // export, which serve keeps).
    let cold = pipeline::rebuild(&edition, &out, &renderers, None).unwrap();
    let cold = cold.built.expect("2021-Q4 builds");
    println!(
        "huibian, cold build {:.0} ms (layout {:.0}, pdf export {:.0}, html {:.0} beside it)",
        ms(cold.times.total),
        ms(cold.times.compile),
        ms(cold.times.export),
        ms(cold.times.html)
    );
    typst::comemo::evict(0);
    // Typst's floor: the folder `build --emit-typst` writes, in a plain folder World.
    let emitted = work.path().join("typst");
    let emit = || {
        let report = pipeline::emit_typst(&edition, &emitted, &renderers).unwrap();
        assert!(!report.diagnostics.has_errors(), "2021-Q4 emits");
    };
    emit();
    let mut world = FolderWorld::new(&emitted, None).unwrap();
    let compile_export = |world: &FolderWorld| {
        let started = Instant::now();
        let document = typst::compile::<PagedDocument>(world).output.expect("compiles");
        let compiled = started.elapsed();
        typst_pdf::pdf(&document, &Default::default()).expect("exports");
        (compiled, started.elapsed())
    };
    let (compiled, cold_floor) = compile_export(&world);
    println!(
        "typst, cold: compile + export {:.0} ms (compile {:.0})",
        ms(cold_floor),
        ms(compiled)
    );
    // huibian's memoised layout, emptied for the floor's cold build, made again.
    pipeline::rebuild(&edition, &out, &renderers, None).unwrap();

    // The edits, each made once and then rebuilt by both, in turn first: a slower
    // minute of a shared machine then weighs on both sides of the ratio alike.
    let mut floor = Vec::new();
    let mut to_html = Vec::new();
    let mut to_pdf = Vec::new();
    for round in 0..args.rounds {
        edit(&edition, &original, round);
        for side in [round % 2, 1 - round % 2] {
            if side == 0 {
                emit();
                let changed = world.reload();
                let (compiled, total) = compile_export(&world);
                println!(
                    "typst, edit {round}: {changed} file(s) changed; compile + export {:.0} ms (compile {:.0})",
                    ms(total),
                    ms(compiled)
                );
                floor.push(total);
            } else {
                let saved = Instant::now();
                let built = pipeline::rebuild(&edition, &out, &renderers, None)
                    .unwrap()
                    .built
                    .expect("the edit builds");
                let pdf = saved.elapsed();
                let html = built
                    .times
                    .html_on_disk
                    .expect("the HTML was written before the PDF");
                println!(
                    "huibian, edit {round}: HTML on disk after {:.0} ms, PDF after {:.0} ms (layout {:.0}, export {:.0})",
                    ms(html),
                    ms(pdf),
                    ms(built.times.compile),
                    ms(built.times.export)
                );
                to_html.push(html);
                to_pdf.push(pdf);
            }
        }
        typst::comemo::evict(10);
    }

    let spread = |values: &[Duration]| {
        let (min, max) = (values.iter().min(), values.iter().max());
        min.zip(max)
            .map_or(String::new(), |(a, b)| format!("{:.0}–{:.0}", ms(*a), ms(*b)))
    };
    println!(
        "spread (min–max): PDF {} ms, typst's floor {} ms, HTML {} ms",
        spread(&to_pdf),
        spread(&floor),
        spread(&to_html)
    );
    let (floor, html, pdf) = (median(floor), median(to_html), median(to_pdf));
    println!(
        "median after an edit: HTML {:.0} ms = {:.3}× the cold build; PDF {:.0} ms = {:.2}× typst's floor ({:.0} ms)",
        ms(html),
        html.as_secs_f64() / cold.times.total.as_secs_f64(),
        ms(pdf),
        pdf.as_secs_f64() / floor.as_secs_f64(),
        ms(floor)
    );
    if let Some(path) = args.json {
        let json = format!(
            "{{\"serve: cold build (in-process)\": {:.2}, \"serve: edit → HTML on disk\": {:.2}, \
             \"serve: edit → PDF on disk\": {:.2}, \"typst floor: edit → compile + export\": {:.2}, \
             \"typst: cold compile + export (in-process)\": {:.2}}}\n",
            ms(cold.times.total),
            ms(html),
            ms(pdf),
            ms(floor),
            ms(cold_floor)
        );
        std::fs::write(path, json).unwrap();
    }
}
