//! A plain Typst [`World`] over a folder, as `typst compile DIR/edition.typ` sees it:
//! the yardstick huibian is measured against.
//!
//! `build --emit-typst DIR` promises that DIR alone typesets the same book; tests hold
//! it to that with this World, and the benchmarks time Typst's own floor with it (a
//! compile after one file changed, with the caches warm, as `typst watch` does). Only
//! they need it, so it is behind the `folder-world` feature, which the package's
//! dev-dependency on itself turns on for them; a build of huibian leaves it out.
//!
//! Files go through the same [`FileStore`] over the same [`Folder`] reader as
//! [`super::world::HuibianWorld`]'s template folder, so the floor is timed with the
//! file layer the build uses.

use std::path::Path;
use std::sync::Arc;

use typst::diag::FileResult;
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, VirtualPath, VirtualRoot};
use typst_kit::files::FileLoader;

use super::fonts::Fonts;
use super::world::{Folder, MAIN_TEMPLATE, TypstWorld};

/// Files under a root folder, the system's and Typst's embedded fonts.
pub type FolderWorld = TypstWorld<Folder>;

impl FolderWorld {
    /// A World for `root/edition.typ` with the system's and the embedded fonts, as the
    /// `typst` command line has by default. `today` is what `datetime.today()` gives.
    pub fn new(root: &Path, today: Option<Datetime>) -> anyhow::Result<Self> {
        let main = VirtualPath::new(MAIN_TEMPLATE)
            .map_err(|e| anyhow::anyhow!("{MAIN_TEMPLATE}: {e:?}"))?;
        let root = root
            .canonicalize()
            .map_err(|e| anyhow::anyhow!("opening {}: {e}", root.display()))?;
        Ok(Self::with_loader(
            Folder::new(Some(root)),
            RootedPath::new(VirtualRoot::Project, main).intern(),
            Arc::new(Fonts::discover(&[])),
            today,
        ))
    }

    /// Has every file read so far read again on its next use, as `typst watch` does
    /// after an edit; returns how many changed, for the benchmark's report. Unchanged
    /// sources are kept (Typst's caches then see exactly the edit).
    pub fn reload(&mut self) -> usize {
        let files = self.files_mut();
        let (_, read) = files.dependencies();
        let read: Vec<FileId> = read.collect();
        let changed = read
            .into_iter()
            .filter(|&id| !same(&files.loader().load(id), &files.file(id)))
            .count();
        files.reset();
        changed
    }
}

fn same(a: &FileResult<Bytes>, b: &FileResult<Bytes>) -> bool {
    match (a, b) {
        (Ok(a), Ok(b)) => a.as_slice() == b.as_slice(),
        (Err(a), Err(b)) => a == b,
        _ => false,
    }
}
