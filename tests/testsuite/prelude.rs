//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root; commands run here so that `templates/` is the project's.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// Runs `huibian` with `args` in the repository root.
pub fn huibian(args: &[&str]) -> Output {
    huibian_in(&root(), args)
}

/// Runs `huibian` with `args` in `dir` (a project folder of a test's own).
pub fn huibian_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huibian"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("running huibian")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Builds the edition folder `edition` into `out`, asserting success; returns the PDF path.
pub fn build_ok(edition: &Path, out: &Path) -> PathBuf {
    let output = huibian(&["build", path_str(edition), "--out", path_str(out)]);
    assert!(output.status.success(), "build failed:\n{}", stderr(&output));
    let id = edition.file_name().unwrap().to_str().unwrap();
    out.join(id).join(format!("{id}.pdf"))
}

/// A path as `&str` (test paths are UTF-8).
pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
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

/// The PDF reader of `huibian check --pdf` (lopdf, independent of Typst).
pub use huibian::check::pdf::compact;
pub use huibian::pdf_reader::PdfReader as Pdf;

/// All text of a PDF, whitespace removed.
pub fn compact_text(pdf: &Pdf) -> String {
    (1..=pdf.page_count() as u32).map(|p| compact(&pdf.text(p))).collect()
}

/// Opens a PDF, panicking with its path if it cannot be read.
pub fn open_pdf(path: &Path) -> Pdf {
    Pdf::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fixture edition `basic`, built once per test run into a temporary `out` folder:
/// (that folder, the PDF's path).
pub fn basic() -> &'static (tempfile::TempDir, PathBuf) {
    static BUILT: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> =
        std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let pdf = build_ok(&fixture("basic"), out.path());
        (out, pdf)
    })
}
