//! `build --emit-typst DIR`: the folder alone typesets the same book. Compiled by the
//! `typst` command line (0.15.1, as CI installs it) when it is on the PATH — required
//! when `HUIBIAN_REQUIRE_TYPST_CLI=1`, as CI sets — else by the Typst library in the
//! plain folder World huibian's benchmarks use; then compared page by page with
//! huibian's PDF.

use std::path::Path;
use std::process::Command;

use huibian::typeset::folder::FolderWorld;

use crate::prelude::*;

/// `typst compile DIR/edition.typ OUT`, by the real command line if there is one.
/// Returns which compiler made the PDF.
fn typst_compile(dir: &Path, pdf: &Path) -> &'static str {
    let cli = Command::new("typst")
        .arg("compile")
        .arg(dir.join("edition.typ"))
        .arg(pdf)
        .output();
    match cli {
        Ok(output) => {
            assert!(
                output.status.success(),
                "typst compile failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let version = Command::new("typst").arg("--version").output().unwrap();
            let version = String::from_utf8_lossy(&version.stdout).into_owned();
            assert!(
                version.contains("0.15."),
                "typst CLI 0.15 expected, found {version}"
            );
            "typst CLI"
        }
        Err(_) => {
            assert!(
                std::env::var_os("HUIBIAN_REQUIRE_TYPST_CLI").is_none(),
                "HUIBIAN_REQUIRE_TYPST_CLI is set but `typst` is not on the PATH"
            );
            let world = FolderWorld::new(dir, None).unwrap();
            let document = typst::compile::<typst_layout::PagedDocument>(&world)
                .output
                .expect("compiles");
            let bytes = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
                .expect("exports");
            std::fs::write(pdf, bytes).unwrap();
            "Typst library"
        }
    }
}

#[test]
fn the_emitted_folder_typesets_the_same_book() {
    emitted_folder_typesets_the_same_book("basic");
}

/// The book's images are in the folder too, at the paths its data names.
#[test]
fn the_emitted_folder_of_a_book_with_an_image_typesets_the_same_book() {
    emitted_folder_typesets_the_same_book("media");
}

fn emitted_folder_typesets_the_same_book(name: &str) {
    let work = tempfile::tempdir().unwrap();
    let emitted = work.path().join("typst");
    let out = work.path().join("out");
    let output = huibian(&[
        "build",
        path_str(&fixture(name)),
        "--out",
        path_str(&out),
        "--only",
        "pdf",
        "--emit-typst",
        path_str(&emitted),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(emitted.join("edition.typ").is_file() && emitted.join("book.json").is_file());
    assert!(!emitted.join("html").exists(), "HTML templates are not Typst's");

    let theirs_path = work.path().join("typst.pdf");
    let compiler = typst_compile(&emitted, &theirs_path);
    eprintln!("compiled the emitted folder with the {compiler}");

    let ours = open_pdf(&out.join(format!("{name}/{name}.pdf")));
    let theirs = open_pdf(&theirs_path);
    assert_eq!(theirs.page_count(), ours.page_count(), "{compiler}");
    for page in 1..=ours.page_count() as u32 {
        assert_eq!(
            compact(&theirs.text(page)),
            compact(&ours.text(page)),
            "page {page} ({compiler})"
        );
    }
}
