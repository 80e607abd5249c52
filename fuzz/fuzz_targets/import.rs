//! `huibian import` on arbitrary extracted text (the text path; PDF parsing is
//! lopdf's). Oracle, besides no panic: an import that succeeds writes an edition that
//! loads without error: file paths stay inside the folder, the manifest parses, every
//! front matter parses, no file is written or listed twice.
#![no_main]

use std::collections::HashSet;
use std::path::{Component, Path};

use huibian::diag::{self, Diagnostics};
use huibian::edition::Edition;
use huibian::import::import_text;
use huibian::source::Sources;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() > huibian_fuzz::MAX_INPUT {
        return;
    }
    let text = String::from_utf8_lossy(data);
    let Ok(imported) = import_text(&text, "2021-Q4") else { return };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("2021-Q4");
    let mut written = HashSet::new();
    for (path, contents) in &imported.files {
        let rel = Path::new(path);
        assert!(
            rel.components().all(|c| matches!(c, Component::Normal(_))),
            "import names a file outside its folder: {path:?}"
        );
        assert!(written.insert(path.clone()), "import writes {path:?} twice");
        let full = root.join(rel);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("a folder in the temporary folder");
        }
        std::fs::write(&full, contents).expect("a file in the temporary folder");
    }
    let mut sources = Sources::new();
    let mut diags = Diagnostics::default();
    let loaded = Edition::load(&root, &mut sources, &mut diags);
    let all: Vec<_> = diags.iter().cloned().collect();
    match loaded {
        Ok(Some(_)) => {}
        Ok(None) => panic!(
            "the imported edition does not load:\n{}\nfiles: {:#?}",
            diag::render_plain(&sources, &all),
            imported.files
        ),
        Err(err) => panic!("the imported edition cannot be read: {err:#}"),
    }
});
