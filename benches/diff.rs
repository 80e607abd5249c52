//! `huibian diff` on two 2021-Q4-sized editions with heavy changes, and its parts:
//! `cargo bench --bench diff`. Prints figures; asserts nothing (the diff's results
//! are the library tests' business). `HUIBIAN_DIFF_BENCH_OUT=DIR` also writes the
//! text and HTML reports of the heavy diff there, to look at.
//!
//! The new side is `sources/2021-Q4` (the `basic` fixture without it) changed in every
//! policy: an edit in every third paragraph, a deletion in every seventh, an insertion
//! in every fifth, and every fourth policy renamed.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use huibian::book::Book;
use huibian::diff::{self, DiffOptions, EditionDiff};

mod common;
use common::copy_dir;

/// The paragraph the heavy changes insert.
const INSERTED: &str = "有关部门应当每年对本文件的执行情况进行评估并向社会公布。";

fn main() {
    let (old, _) = sides();
    let diff = heavy();
    println!(
        "heavy diff of {} policies: {} changes, {} edits",
        old.policies().count(),
        diff.changes.len(),
        diff.summary.edits
    );
    divan::main();
}

fn base() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let full = root.join("sources/2021-Q4");
    if full.join("edition.toml").is_file() {
        full
    } else {
        root.join("tests/fixtures/basic")
    }
}

/// One policy file with the heavy changes; `rename` retitles it.
fn heavy_edit(text: &str, rename: bool) -> String {
    let rest = text.strip_prefix("---\n").unwrap();
    let end = rest.find("\n---\n").unwrap();
    let (mut front, body) = (format!("---\n{}\n---\n", &rest[..end]), &rest[end + 5..]);
    if rename {
        let title = front.lines().find_map(|l| l.strip_prefix("title: ")).unwrap().trim();
        front = front
            .replace(&format!("title: {title}"), &format!("title: {title}（修订稿）"));
    }
    let mut out = Vec::new();
    for (k, para) in body.split("\n\n").enumerate() {
        if k % 7 == 6 {
            continue;
        }
        let mut para = para.to_string();
        if k % 3 == 1 {
            para = para.replacen("的", "之", 1);
        }
        if k % 5 == 2 {
            para.push_str(INSERTED);
        }
        out.push(para);
    }
    format!("{front}{}", out.join("\n\n"))
}

/// The base edition and its heavily changed copy, loaded once.
fn sides() -> &'static (Book, Book) {
    static SIDES: OnceLock<(Book, Book)> = OnceLock::new();
    SIDES.get_or_init(|| {
        let (old, _) = diff::load_folder(&base()).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let new = tmp.path().join("new");
        copy_dir(&base(), &new);
        for (i, policy) in old.policies().enumerate() {
            let path = new.join(&policy.path);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, heavy_edit(&text, i % 4 == 0)).unwrap();
        }
        let (new, _) = diff::load_folder(&new).unwrap();
        (old, new)
    })
}

/// The heavy diff, made once for the renderers.
fn heavy() -> &'static EditionDiff {
    static DIFF: OnceLock<EditionDiff> = OnceLock::new();
    DIFF.get_or_init(|| {
        let (old, new) = sides();
        let diff = diff::editions(old, new, &DiffOptions::default());
        if let Some(dir) = std::env::var_os("HUIBIAN_DIFF_BENCH_OUT") {
            let dir = Path::new(&dir);
            std::fs::write(dir.join("bench.txt"), diff::to_text(&diff, false)).unwrap();
            std::fs::write(dir.join("bench.html"), diff::to_html(&diff).unwrap())
                .unwrap();
        }
        diff
    })
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn load_both() -> usize {
    let edition = base();
    let (a, _) = diff::load_folder(&edition).unwrap();
    let (b, _) = diff::load_folder(&edition).unwrap();
    a.policies().count() + b.policies().count()
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn heavy_changes() -> usize {
    let (old, new) = sides();
    diff::editions(old, new, &DiffOptions::default()).changes.len()
}

#[divan::bench]
fn render_text() -> usize {
    diff::to_text(heavy(), false).len()
}

#[divan::bench]
fn render_html() -> usize {
    diff::to_html(heavy()).unwrap().len()
}

#[divan::bench]
fn render_json() -> usize {
    diff::to_json(heavy()).len()
}

/// Policies matched across two editions: the edition against itself.
#[divan::bench(sample_count = 10)]
fn align() -> usize {
    let (old, _) = sides();
    diff::align::align(old, old, false).pairs.len()
}

/// Every policy's text cut into units and diffed against itself, normalised and
/// exact (`--exact`).
#[divan::bench(args = [false, true], sample_count = 10)]
fn text_units(exact: bool) -> usize {
    let (old, _) = sides();
    old.policies()
        .map(|p| {
            let side = (&p.doc, &p.markers);
            diff::text::diff_docs(side, side, exact).len()
        })
        .sum()
}
