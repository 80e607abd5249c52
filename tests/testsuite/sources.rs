//! A PDF that carries its own sources: the 2021-Q4 PDF attaches every file of the
//! edition and its template, `import` of it writes them back byte for byte (and
//! `--from-text` reads the printed text instead), the site offers the same files as
//! a zip, an edition can turn it off (and may then ask for PDF/A-2), and a PDF whose
//! attachments name paths outside an edition restores nothing.

use std::collections::BTreeMap;
use std::path::Path;

use huibian::pdf_reader::{AttachmentLimits, PdfReader};

use crate::prelude::*;

const LIMITS: AttachmentLimits =
    AttachmentLimits { files: 10_000, file_bytes: 16 << 20, total_bytes: 256 << 20 };

/// Every file under `dir` (hidden ones too), by `/`-separated relative path.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel =
                e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn attachments(pdf: &Path) -> BTreeMap<String, Vec<u8>> {
    PdfReader::open(pdf)
        .unwrap()
        .attachments(LIMITS)
        .unwrap()
        .into_iter()
        .map(|a| (a.name, a.bytes))
        .collect()
}

#[test]
fn the_pdf_carries_the_edition_and_import_gives_it_back_byte_for_byte() {
    let (out, pdf) = crate::edition_2021q4::built();
    let edition = root().join("sources/2021-Q4");

    // Every file of the edition, as on disk, and the template it was typeset with.
    let carried = attachments(pdf);
    let mut want: BTreeMap<String, Vec<u8>> = files_under(&edition)
        .into_iter()
        .map(|(path, bytes)| (format!("sources/2021-Q4/{path}"), bytes))
        .collect();
    want.insert(
        "templates/edition.typ".into(),
        std::fs::read(root().join("templates/edition.typ")).unwrap(),
    );
    assert_eq!(carried.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
    assert!(carried == want, "an attachment's bytes differ from the file's");

    // The site offers the same files beside the PDF.
    let zip_path = out.path().join("2021-Q4/2021-Q4-sources.zip");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut zipped = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        zipped.insert(entry.name().unwrap().to_string(), bytes);
    }
    assert!(zipped == want, "the zip holds other files than the PDF");
    let index =
        std::fs::read_to_string(out.path().join("2021-Q4/html/index.html")).unwrap();
    assert!(index.contains("href=\"../2021-Q4-sources.zip\""), "the site links the zip");

    // Imported into another project: the same files, byte for byte.
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(project.path().join("sources")).unwrap();
    let import =
        huibian_in(project.path(), &["import", path_str(pdf), "--edition", "2020-Q4"]);
    let err = stderr(&import);
    assert!(import.status.success(), "{err}");
    assert!(err.contains("restored 26 files of 2021-Q4"), "{err}");
    let restored = project.path().join("sources/2020-Q4");
    assert!(
        files_under(&restored) == files_under(&edition),
        "the restored edition differs"
    );
    let check = huibian_in(project.path(), &["check", "2020-Q4"]);
    assert!(check.status.success(), "{}", stderr(&check));

    // --from-text reads the printed text instead: the importer's own files.
    let text = huibian_in(
        project.path(),
        &["import", path_str(pdf), "--edition", "2020-Q3", "--from-text"],
    );
    let err = stderr(&text);
    assert!(text.status.success(), "{err}");
    // (How well the text of huibian's own layout imports is the text importer's
    // business, tested with it; here it is only read instead of the attachments.)
    assert!(err.contains("imported ") && err.contains("policies"), "{err}");
    assert!(!err.contains("restored"), "{err}");
    let manifest =
        std::fs::read(project.path().join("sources/2020-Q3/edition.toml")).unwrap();
    assert_ne!(manifest, std::fs::read(edition.join("edition.toml")).unwrap());
}

#[test]
fn embedding_can_be_turned_off_and_pdf_a_2_needs_it_off() {
    let dir = tempfile::tempdir().unwrap();
    let edition = dir.path().join("basic");
    copy_dir(&fixture("basic"), &edition);
    let manifest = edition.join("edition.toml");
    let base = std::fs::read_to_string(&manifest).unwrap();
    let lines = base.lines().count();

    // PDF/A-2 with the sources attached: an error at the `standard` line.
    std::fs::write(&manifest, format!("{base}\n[pdf]\nstandard = \"a-2b\"\n")).unwrap();
    let check = huibian(&["check", path_str(&edition)]);
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("edition.toml:{}:12", lines + 3)), "{err}");
    assert!(err.contains("PDF/A-2b does not allow attached files"), "{err}");
    assert!(err.contains("embed_sources = false"), "{err}");

    // The same asked on the command line.
    std::fs::write(&manifest, &base).unwrap();
    let out = dir.path().join("out");
    let build = huibian(&[
        "build",
        path_str(&edition),
        "--out",
        path_str(&out),
        "--pdf-standard",
        "a-2a,ua-1",
    ]);
    let err = stderr(&build);
    assert_eq!(build.status.code(), Some(1), "{err}");
    assert!(err.contains("--pdf-standard PDF/A-2a + PDF/UA-1"), "{err}");
    assert!(!out.join("basic/basic.pdf").exists());

    // Turned off: no attachment, no zip, and PDF/A-2 is allowed.
    std::fs::write(
        &manifest,
        format!(
            "{base}\n[pdf]\nstandard = [\"a-2a\", \"ua-1\"]\nembed_sources = false\n"
        ),
    )
    .unwrap();
    let pdf = build_ok(&edition, &out);
    assert!(attachments(&pdf).is_empty());
    assert!(!out.join("basic/basic-sources.zip").exists());
    let index = std::fs::read_to_string(out.join("basic/html/index.html")).unwrap();
    assert!(!index.contains("sources.zip"), "no link to a zip that is not there");
    // Importing such a PDF reads its text, as any other.
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(project.path().join("sources")).unwrap();
    let import =
        huibian_in(project.path(), &["import", path_str(&pdf), "--edition", "x"]);
    assert!(!stderr(&import).contains("restored"), "{}", stderr(&import));
}

#[test]
fn attachments_that_leave_the_edition_restore_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let edition = dir.path().join("basic");
    copy_dir(&fixture("basic"), &edition);
    let out = dir.path().join("out");
    let pdf = build_ok(&edition, &out);

    // Rename one attachment so that it would land outside the edition.
    let mut doc = lopdf::Document::load(&pdf).unwrap();
    let mut renamed = 0;
    for object in doc.objects.values_mut() {
        let Ok(dict) = object.as_dict_mut() else { continue };
        let is_spec = dict
            .get(b"UF")
            .ok()
            .and_then(|v| lopdf::decode_text_string(v).ok())
            .is_some_and(|name| name == "sources/basic/引言.md");
        if is_spec {
            for key in [b"UF".as_slice(), b"F"] {
                dict.set(
                    key,
                    lopdf::Object::string_literal("sources/basic/../../evil.md"),
                );
            }
            renamed += 1;
        }
    }
    assert_eq!(renamed, 1, "the 引言's file specification");
    let hostile = dir.path().join("hostile.pdf");
    doc.save(&hostile).unwrap();

    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(project.path().join("sources")).unwrap();
    let import =
        huibian_in(project.path(), &["import", path_str(&hostile), "--edition", "x"]);
    let err = stderr(&import);
    assert_eq!(import.status.code(), Some(2), "{err}");
    assert!(err.contains("not a path inside an edition"), "{err}");
    assert!(!project.path().join("sources/x").exists(), "nothing was written");
    assert!(!project.path().join("evil.md").exists());
}
