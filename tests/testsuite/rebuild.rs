//! `pipeline::rebuild`, as `serve` runs it after a save: the pages are shown before
//! the PDF is written, their search index and the disk come after the layout, and
//! what ends on disk is what a plain build of the same sources writes. An edit that
//! moves a page shows the pages twice: first with the last page numbers, then with
//! the new ones.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use huibian::html::{SEARCH_INDEX, Site};
use huibian::pipeline::{self, FontChoice, Only, Renderers};
use huibian::project::Project;

use crate::hostile::tree;
use crate::prelude::*;

const POLICY: &str = "优化营商环境/强化节能.md";
const PAGE: &str = "优化营商环境-强化节能.html";
const SENTENCE: &str = "节能是生态文明建设的内在要求";

/// What `on_html` was given, and the PDF on disk at that moment.
struct Shown {
    site: Site,
    pdf: Vec<u8>,
}

fn page<'a>(site: &'a Site, path: &str) -> Option<&'a str> {
    let (_, bytes) = site.files.iter().find(|(p, _)| p == path)?;
    std::str::from_utf8(bytes).ok()
}

/// Rebuilds `edition` into `out` as `serve` does, recording what it showed early.
fn rebuild(edition: &Path, out: &Path, renderers: &Renderers) -> Vec<Shown> {
    let pdf = out.join("2021-Q4/2021-Q4.pdf");
    let shown = Mutex::new(Vec::new());
    let on_html = |site: &Site| {
        let pdf = std::fs::read(&pdf).unwrap();
        shown.lock().unwrap().push(Shown { site: site.clone(), pdf });
    };
    let report = pipeline::rebuild(edition, out, renderers, Some(&on_html)).unwrap();
    assert!(report.built.is_some(), "the edit builds: {:?}", report.diagnostics);
    shown.into_inner().unwrap()
}

/// The outputs of `out` are those of a plain build of `edition`, file for file.
fn assert_as_built(edition: &Path, out: &Path, renderers: &Renderers, what: &str) {
    let fresh = tempfile::tempdir().unwrap();
    let report =
        pipeline::build_edition(edition, fresh.path(), renderers, Only::All).unwrap();
    assert!(report.built.is_some());
    let (rebuilt, built) =
        (tree(&out.join("2021-Q4")), tree(&fresh.path().join("2021-Q4")));
    let names = |files: &BTreeMap<PathBuf, Vec<u8>>| -> Vec<PathBuf> {
        files.keys().cloned().collect()
    };
    assert_eq!(names(&rebuilt), names(&built), "{what}: the same files");
    for ((name, a), b) in rebuilt.iter().zip(built.values()) {
        assert!(a == b, "{what}: {} differs from a plain build's", name.display());
    }
}

#[test]
fn a_rebuild_shows_its_pages_before_the_pdf_and_writes_what_a_build_writes() {
    let work = tempfile::tempdir().unwrap();
    let edition = work.path().join("2021-Q4");
    copy_dir(&root().join("sources/2021-Q4"), &edition);
    let out = work.path().join("out");
    let renderers = Renderers::new(&Project::at(root()), &[], FontChoice::All).unwrap();
    assert!(
        pipeline::build_edition(&edition, &out, &renderers, Only::All)
            .unwrap()
            .built
            .is_some()
    );
    let original = std::fs::read_to_string(edition.join(POLICY)).unwrap();
    let pdf_path = out.join("2021-Q4/2021-Q4.pdf");

    // A sentence changed: shown once, before the new PDF, with the new sentence.
    let first_pdf = std::fs::read(&pdf_path).unwrap();
    let edited = original.replacen(SENTENCE, "节能（修改稿）是生态文明建设的内在要求", 1);
    std::fs::write(edition.join(POLICY), &edited).unwrap();
    let shown = rebuild(&edition, &out, &renderers);
    assert_eq!(shown.len(), 1, "the pages are shown once");
    let early = &shown[0];
    assert!(early.pdf == first_pdf, "the pages are shown before the PDF is written");
    assert!(page(&early.site, PAGE).unwrap().contains("节能（修改稿）"));
    assert!(
        page(&early.site, SEARCH_INDEX).is_none(),
        "the search index is not shown before it is made"
    );
    assert!(std::fs::read(&pdf_path).unwrap() != first_pdf, "then the PDF is");
    assert_as_built(&edition, &out, &renderers, "a sentence changed");

    // Three pages of text more in the book's second policy: every later page moves.
    // The pages are shown with the last numbers, then again with the new ones.
    let paragraph =
        "本市持续推进重点用能单位节能改造，加强能耗在线监测，完善节能监察执法。";
    let added = format!("{edited}\n\n{}\n", [paragraph; 120].join("\n\n"));
    std::fs::write(edition.join(POLICY), added).unwrap();
    let shown = rebuild(&edition, &out, &renderers);
    assert_eq!(shown.len(), 2, "shown early, then with the moved page numbers");
    let (early, late) = (&shown[0], &shown[1]);
    assert!(early.pdf == late.pdf, "both before the new PDF is written");
    let (early_index, late_index) = (
        page(&early.site, "index.html").unwrap(),
        page(&late.site, "index.html").unwrap(),
    );
    assert_ne!(early_index, late_index, "the table of contents' numbers moved");
    assert!(page(&late.site, SEARCH_INDEX).is_some_and(|index| index.contains("监测")));
    assert_as_built(&edition, &out, &renderers, "a page moved");
}
