//! Watching an edition while it is edited: file system events → [`Change`]s.
//!
//! Editors save in bursts (an editor writes a temporary file, renames it over the
//! old one, touches a backup); events are batched until the folder has been quiet for
//! a moment, and sorted into what changed, so `serve` can say so and rebuild once.
//! Our own writes (the `out/` folder, `.huibian-*` temporaries) are ignored.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// What an edit touched.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// `edition.toml`.
    Manifest,
    /// A Markdown file of the edition.
    Source(PathBuf),
    /// A file of the template folder.
    Template(PathBuf),
    /// Anything else inside the watched folders (fonts, images).
    Other(PathBuf),
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Manifest => write!(f, "edition.toml"),
            Change::Source(path) | Change::Template(path) | Change::Other(path) => {
                write!(f, "{}", path.display())
            }
        }
    }
}

/// Watches an edition folder and the template folder, recursively.
pub struct Watcher {
    _watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    edition: PathBuf,
    templates: PathBuf,
    /// Changes seen by [`Watcher::changed`] and not yet handed over by `wait`.
    pending: BTreeSet<Change>,
    /// Whether a file of the batch being gathered was saved completely (see
    /// [`QUIET_AFTER_SAVE`]).
    saved: bool,
}

/// How long the folder must stay quiet before a batch of events is handed over.
const QUIET: Duration = Duration::from_millis(80);
/// The same once a file of the batch was closed after writing or renamed into place:
/// its save is complete, and only a save of several files (a find-and-replace
/// across the edition) is still worth waiting for. Most of the 80 ms an editor
/// waited between saving and seeing the page.
const QUIET_AFTER_SAVE: Duration = Duration::from_millis(12);
/// The longest a burst of events may delay a rebuild.
const MAX_BATCH: Duration = Duration::from_millis(600);

impl Watcher {
    /// Starts watching `edition` and, if it exists, `templates`.
    pub fn new(edition: &Path, templates: &Path) -> anyhow::Result<Self> {
        let (tx, rx) = channel();
        let mut watcher =
            notify::recommended_watcher(tx).context("starting the file watcher")?;
        let edition = edition
            .canonicalize()
            .with_context(|| format!("opening {}", edition.display()))?;
        watcher
            .watch(&edition, RecursiveMode::Recursive)
            .with_context(|| format!("watching {}", edition.display()))?;
        let templates =
            templates.canonicalize().unwrap_or_else(|_| templates.to_path_buf());
        if templates.is_dir() {
            watcher
                .watch(&templates, RecursiveMode::Recursive)
                .with_context(|| format!("watching {}", templates.display()))?;
        }
        Ok(Self {
            _watcher: watcher,
            rx,
            edition,
            templates,
            pending: BTreeSet::new(),
            saved: false,
        })
    }

    /// Whether something relevant changed since the last [`wait`](Self::wait)
    /// returned, without blocking. A build that read the sources while they were
    /// being written (an editor saving in place truncates the file first) is stale
    /// when this says so, and must not replace the last good output.
    pub fn changed(&mut self) -> bool {
        let mut changes = std::mem::take(&mut self.pending);
        while let Ok(event) = self.rx.try_recv() {
            self.collect(event, &mut changes);
        }
        self.pending = changes;
        !self.pending.is_empty()
    }

    /// Blocks until something relevant changes and the folder has been quiet for a
    /// moment, then returns the batch.
    pub fn wait(&mut self) -> anyhow::Result<Vec<Change>> {
        loop {
            let mut changes = std::mem::take(&mut self.pending);
            if changes.is_empty() {
                let first = self.rx.recv().context("the file watcher stopped")?;
                self.collect(first, &mut changes);
            }
            let started = Instant::now();
            while started.elapsed() < MAX_BATCH {
                let quiet = if self.saved { QUIET_AFTER_SAVE } else { QUIET };
                match self.rx.recv_timeout(quiet) {
                    Ok(event) => self.collect(event, &mut changes),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => {
                        anyhow::bail!("the file watcher stopped")
                    }
                }
            }
            self.saved = false;
            if !changes.is_empty() {
                return Ok(changes.into_iter().collect());
            }
        }
    }

    fn collect(
        &mut self,
        event: notify::Result<notify::Event>,
        changes: &mut BTreeSet<Change>,
    ) {
        let Ok(event) = event else { return };
        let complete = matches!(
            event.kind,
            EventKind::Access(AccessKind::Close(AccessMode::Write))
                | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
        );
        if complete && event.paths.iter().any(|p| self.classify(p).is_some()) {
            self.saved = true;
        }
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if let Some(change) = self.classify(&path) {
                changes.insert(change);
            }
        }
    }

    fn classify(&self, path: &Path) -> Option<Change> {
        let name = path.file_name()?.to_string_lossy();
        // Our own temporaries, editors' swap and backup files.
        if name.starts_with(".huibian-")
            || name.starts_with(".#")
            || name.ends_with('~')
            || name.ends_with(".swp")
        {
            return None;
        }
        if let Ok(rel) = path.strip_prefix(&self.edition) {
            return Some(if rel == Path::new(crate::edition::MANIFEST) {
                Change::Manifest
            } else if path.extension().is_some_and(|e| e == "md") {
                Change::Source(rel.to_path_buf())
            } else {
                Change::Other(rel.to_path_buf())
            });
        }
        if let Ok(rel) = path.strip_prefix(&self.templates) {
            return Some(Change::Template(rel.to_path_buf()));
        }
        None
    }
}
