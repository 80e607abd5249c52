//! The one way into an edition: LOAD, PARSE and ASSEMBLE, for every command.
//!
//! `build`, `check`, `diff`, `fmt`, `new`, `serve` and `toc` all start here, so that
//! every command sees the same findings for the same sources: an edition that
//! `build` refuses (a duplicate policy id, a broken front matter) is refused by
//! `diff` too, and `check` reports exactly what `build` would stop on.

use std::path::Path;

use crate::book::{self, Book};
use crate::diag::Diagnostics;
use crate::edition::Edition;
use crate::source::Sources;

/// An edition as far as it could be read.
#[derive(Debug)]
pub struct Loaded {
    /// Every file read, for showing diagnostics.
    pub sources: Sources,
    /// What loading and assembling found.
    pub diagnostics: Diagnostics,
    /// The edition as on disk; `None` when the manifest or a file's front matter has
    /// errors, since then its list of files is not to be trusted.
    pub edition: Option<Edition>,
    /// The assembled book, whenever the edition loaded; it may still carry errors
    /// of its own (see [`Loaded::book`]).
    pub assembled: Option<Book>,
}

impl Loaded {
    /// The book, if the sources have no errors at all: what may be built, diffed or
    /// checked further.
    pub fn book(&self) -> Option<&Book> {
        if self.diagnostics.has_errors() { None } else { self.assembled.as_ref() }
    }

    /// Like [`Loaded::book`], taking the book out.
    pub fn take_book(&mut self) -> Option<Book> {
        if self.diagnostics.has_errors() { None } else { self.assembled.take() }
    }
}

/// Loads the edition in `folder` and assembles its book. `Err` is a folder that cannot
/// be read at all; everything wrong in the sources is in the diagnostics.
pub fn load(folder: &Path) -> anyhow::Result<Loaded> {
    let mut sources = Sources::new();
    let mut diagnostics = Diagnostics::default();
    let edition = Edition::load(folder, &mut sources, &mut diagnostics)?;
    let assembled = edition
        .as_ref()
        .map(|edition| book::assemble(edition, &sources, &mut diagnostics));
    Ok(Loaded { sources, diagnostics, edition, assembled })
}
