//! `build --emit-typst DIR`: the folder alone typesets the same book. Compiled here
//! with the Typst library in a plain file-system World (as `typst compile DIR/edition.typ`
//! would, with the same system fonts), then compared page by page with huibian's PDF.

use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;

use crate::prelude::*;

/// What `typst compile` does: files from a root folder, system and embedded fonts.
struct FolderWorld {
    root: PathBuf,
    library: LazyHash<Library>,
    fonts: FontStore,
    main: FileId,
}

impl FolderWorld {
    fn new(root: &Path) -> Self {
        let mut fonts = FontStore::new();
        fonts.extend(typst_kit::fonts::system());
        fonts.extend(typst_kit::fonts::embedded());
        let main = RootedPath::new(
            VirtualRoot::Project,
            VirtualPath::new("edition.typ").unwrap(),
        )
        .intern();
        Self {
            root: root.to_path_buf(),
            library: LazyHash::new(Library::builder().build()),
            fonts,
            main,
        }
    }

    fn read(&self, id: FileId) -> FileResult<Vec<u8>> {
        let path = id.get().vpath().realize(&self.root).map_err(FileError::Realize)?;
        std::fs::read(&path).map_err(|e| FileError::from_io(e, &path))
    }
}

impl World for FolderWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        let text =
            String::from_utf8(self.read(id)?).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text))
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.read(id).map(Bytes::new)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }
    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(2022, 1, 1)
    }
}

#[test]
fn the_emitted_folder_typesets_the_same_book() {
    let work = tempfile::tempdir().unwrap();
    let emitted = work.path().join("typst");
    let out = work.path().join("out");
    let output = huibian(&[
        "build",
        path_str(&fixture("basic")),
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

    let world = FolderWorld::new(&emitted);
    let document =
        typst::compile::<typst_layout::PagedDocument>(&world).output.expect("compiles");
    let pdf =
        typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).expect("exports");
    let theirs_path = work.path().join("typst.pdf");
    std::fs::write(&theirs_path, pdf).unwrap();

    let ours = open_pdf(&out.join("basic/basic.pdf"));
    let theirs = open_pdf(&theirs_path);
    assert_eq!(theirs.page_count(), ours.page_count());
    for page in 1..=ours.page_count() as u32 {
        assert_eq!(compact(&theirs.text(page)), compact(&ours.text(page)), "page {page}");
    }
}
