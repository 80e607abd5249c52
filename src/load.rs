//! The one way into an edition: LOAD, PARSE and ASSEMBLE, for every command.
//!
//! `build`, `check`, `diff`, `fmt`, `new`, `serve` and `toc` all start here, so that
//! every command sees the same findings for the same sources: an edition that
//! `build` refuses (a duplicate policy id, a broken front matter) is refused by
//! `diff` too, and `check` reports exactly what `build` would stop on.

use std::path::Path;

use crate::book::{self, Book};
use crate::diag::{Diagnostic, Diagnostics};
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
///
/// An edition whose manifest names a `previous` one gets its 本期变化 here
/// ([`Book::changes`]): the previous edition is loaded the same way (without its own
/// previous) and must load without errors, else that is an error at `previous`.
pub fn load(folder: &Path) -> anyhow::Result<Loaded> {
    // The previous edition is as large as this one: loaded on a second thread while
    // this one is, when the manifest, read ahead, names it.
    std::thread::scope(|scope| {
        let ahead = crate::edition::peek_previous(folder).map(|name| {
            let guessed = name.clone();
            let handle = scope.spawn(move || previous_book(folder, &guessed));
            (name, handle)
        });
        let loaded = load_alone(folder)?;
        Ok(with_previous(folder, loaded, ahead))
    })
}

/// Gives the book its 本期变化 from the previous edition its manifest names, loaded
/// ahead (`ahead`, when it guessed the name right) or now.
fn with_previous(
    folder: &Path,
    mut loaded: Loaded,
    ahead: Option<(String, std::thread::ScopedJoinHandle<'_, Result<Book, String>>)>,
) -> Loaded {
    let previous = loaded.assembled.as_ref().and_then(|b| b.meta.previous.clone());
    let Some((name, span)) = previous else { return loaded };
    let old = match ahead {
        Some((guessed, handle)) if guessed == name => {
            handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        }
        _ => previous_book(folder, &name),
    };
    match old {
        Ok(old) => {
            if let Some(book) = loaded.assembled.as_mut() {
                book.changes = Some(crate::changes::between(&old, book));
            }
        }
        Err(why) => loaded.diagnostics.push(
            Diagnostic::error("previous-edition", why)
                .with_span(span)
                .with_hint("name an edition folder under sources/ (`previous = \"2021-Q3\"`) or a path relative to this edition's folder"),
        ),
    }
    loaded
}

/// [`load`] without the previous edition: what `previous` itself is loaded with, and
/// what reads an edition's files rather than its book as printed (`fmt`, `new`, the
/// policies `add` compares with), to which 本期变化 adds nothing.
pub fn load_alone(folder: &Path) -> anyhow::Result<Loaded> {
    let mut sources = Sources::new();
    let mut diagnostics = Diagnostics::default();
    let edition = Edition::load(folder, &mut sources, &mut diagnostics)?;
    let assembled = edition
        .as_ref()
        .map(|edition| book::assemble(edition, &sources, &mut diagnostics));
    Ok(Loaded { sources, diagnostics, edition, assembled })
}

/// The edition's manifest and files with their front matter, unparsed and
/// unassembled: what `fmt` needs to know which files to format (it parses each one
/// itself), at a fraction of [`load_alone`]'s cost.
pub fn load_files(folder: &Path) -> anyhow::Result<Loaded> {
    let mut sources = Sources::new();
    let mut diagnostics = Diagnostics::default();
    let edition = Edition::load(folder, &mut sources, &mut diagnostics)?;
    Ok(Loaded { sources, diagnostics, edition, assembled: None })
}

/// Finds and loads the edition `name` names, relative to this edition's folder or
/// beside it (under `sources/`). `Err` says why not, in the editor's words.
fn previous_book(folder: &Path, name: &str) -> Result<Book, String> {
    // `build 2022-Q1` run inside sources/ names the folder without a parent.
    let folder = &std::path::absolute(folder)
        .map_err(|e| format!("cannot resolve {}: {e}", folder.display()))?;
    let beside = folder.parent().map(|p| p.join(name));
    let candidates = [Some(folder.join(name)), beside];
    let Some(found) = candidates
        .into_iter()
        .flatten()
        .find(|c| c.join(crate::edition::MANIFEST).is_file())
    else {
        return Err(format!("the previous edition `{name}` is not found"));
    };
    let same = |a: &Path, b: &Path| {
        a.canonicalize().ok().zip(b.canonicalize().ok()).is_some_and(|(a, b)| a == b)
    };
    if same(&found, folder) {
        return Err(format!("`previous = \"{name}\"` names this edition itself"));
    }
    let mut old = load_alone(&found)
        .map_err(|e| format!("the previous edition `{name}` cannot be read: {e:#}"))?;
    let (errors, _) = old.diagnostics.counts();
    old.take_book().ok_or_else(|| {
        format!(
            "the previous edition `{name}` has {errors} errors: run `huibian check {}`",
            found.display()
        )
    })
}
