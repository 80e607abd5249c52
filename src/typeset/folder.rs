//! A plain Typst [`World`] over a folder, as `typst compile DIR/edition.typ` sees it:
//! the yardstick huibian is measured against.
//!
//! `build --emit-typst DIR` promises that DIR alone typesets the same book; tests hold
//! it to that with this World, and the benchmarks time Typst's own floor with it (a
//! compile after one file changed, with the caches warm, as `typst watch` does).
//! Files are read once and kept; [`FolderWorld::reload`] re-reads them and replaces
//! only those whose bytes changed, so Typst's caches see exactly the edit.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;

use super::world::MAIN_TEMPLATE;

/// Files under a root folder, the system's and Typst's embedded fonts.
pub struct FolderWorld {
    root: PathBuf,
    library: LazyHash<Library>,
    fonts: FontStore,
    main: FileId,
    today: Option<Datetime>,
    files: Mutex<HashMap<FileId, Slot>>,
}

/// A file as last read: its bytes, and its parsed source once asked for.
struct Slot {
    bytes: FileResult<Bytes>,
    source: Option<FileResult<Source>>,
}

impl FolderWorld {
    /// A World for `root/edition.typ` with the system's and the embedded fonts, as the
    /// `typst` command line has by default. `today` is what `datetime.today()` gives.
    pub fn new(root: &Path, today: Option<Datetime>) -> anyhow::Result<Self> {
        let mut fonts = FontStore::new();
        fonts.extend(typst_kit::fonts::system());
        fonts.extend(typst_kit::fonts::embedded());
        let main = VirtualPath::new(MAIN_TEMPLATE)
            .map_err(|e| anyhow::anyhow!("{MAIN_TEMPLATE}: {e:?}"))?;
        Ok(Self {
            root: root.to_path_buf(),
            library: LazyHash::new(Library::builder().build()),
            fonts,
            main: RootedPath::new(VirtualRoot::Project, main).intern(),
            today,
            files: Mutex::new(HashMap::new()),
        })
    }

    /// Re-reads every file read so far and forgets those whose bytes changed; returns
    /// how many did. Unchanged files keep their parsed sources (and Typst its caches).
    pub fn reload(&mut self) -> usize {
        let files = self.files.get_mut().unwrap_or_else(|p| p.into_inner());
        let mut changed = 0;
        files.retain(|id, slot| {
            let now = read(&self.root, *id);
            let same = match (&now, &slot.bytes) {
                (Ok(a), Ok(b)) => a.as_slice() == b.as_slice(),
                _ => false,
            };
            changed += usize::from(!same);
            same
        });
        changed
    }

    fn with_slot<T>(&self, id: FileId, f: impl FnOnce(&mut Slot) -> T) -> T {
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        let slot = files
            .entry(id)
            .or_insert_with(|| Slot { bytes: read(&self.root, id), source: None });
        f(slot)
    }
}

fn read(root: &Path, id: FileId) -> FileResult<Bytes> {
    let path = id.get().vpath().realize(root).map_err(FileError::Realize)?;
    std::fs::read(&path).map(Bytes::new).map_err(|e| FileError::from_io(e, &path))
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
        self.with_slot(id, |slot| {
            let bytes = slot.bytes.clone();
            slot.source
                .get_or_insert_with(|| {
                    let bytes = bytes?;
                    let text = std::str::from_utf8(bytes.as_slice())
                        .map_err(|_| FileError::InvalidUtf8)?;
                    Ok(Source::new(id, text.to_string()))
                })
                .clone()
        })
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.with_slot(id, |slot| slot.bytes.clone())
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
