//! Every change the desk makes to an edition's files is kept, and can be undone.
//!
//! A change (a save, a tidy, a move, an added or removed policy) touches one or more
//! files. Before it is written, the state each file had is recorded under
//! `<project>/.huibian/history/<ID>/`, one folder per change: `change.json` (what was
//! done, when, which files, and which did not exist yet) and the files' earlier bytes.
//! Undo puts the newest change's files back as they were (deleting those it had
//! created) and records what it replaced as a change of its own, so an undo can be
//! looked up and taken back too. The history is bounded: the oldest changes beyond
//! [`KEEP`] are dropped.
//!
//! The history lives outside the edition folder, so that neither the watcher nor
//! `check` sees it, and inside the project, so that it travels with it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::output::write_atomic;

/// Changes kept per edition.
pub const KEEP: usize = 200;

/// The file in each change's folder that describes it.
const RECORD: &str = "change.json";

/// One kept change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Change {
    /// Its folder's name: sortable by time, unique.
    pub id: String,
    /// What was done (`保存 政策.md`, `移动`, `撤销 …`), for the page's list.
    pub action: String,
    /// Milliseconds since 1970.
    pub at_ms: u64,
    /// The files it touched, relative to the edition folder, with whether each
    /// existed before the change.
    pub files: Vec<Touched>,
    /// Whether this change was itself an undo (undo skips those: a second undo goes
    /// further back instead of taking the first one back).
    #[serde(default)]
    pub undo: bool,
}

/// A file a change touched.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Touched {
    /// Relative to the edition folder, `/`-separated.
    pub path: String,
    /// Whether it existed before (its bytes are kept then).
    pub existed: bool,
}

/// The history of one edition.
#[derive(Debug, Clone)]
pub struct History {
    /// The edition folder, whose files the changes touch.
    edition: PathBuf,
    /// `<project>/.huibian/history/<ID>`.
    dir: PathBuf,
}

/// Makes change ids unique within a process even when two land in one millisecond.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

impl History {
    /// The history of the edition in `edition`, kept in `dir`.
    pub fn new(edition: &Path, dir: PathBuf) -> Self {
        Self { edition: edition.to_path_buf(), dir }
    }

    /// Where the history is kept.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `writes` (a relative path and its new bytes, or `None` to delete the
    /// file), after recording what each file held. The record is complete before the
    /// first file changes; each file is replaced atomically.
    pub fn apply(
        &self,
        action: &str,
        writes: &[(String, Option<Vec<u8>>)],
    ) -> anyhow::Result<Change> {
        self.apply_as(action, writes, false)
    }

    fn apply_as(
        &self,
        action: &str,
        writes: &[(String, Option<Vec<u8>>)],
        undo: bool,
    ) -> anyhow::Result<Change> {
        let mut earlier = Vec::new();
        for (path, _) in writes {
            earlier.push((path.clone(), self.read(path)?));
        }
        let change = self.record_as(action, &earlier, undo)?;
        for (path, bytes) in writes {
            let target = self.edition.join(path);
            match bytes {
                Some(bytes) => write_atomic(&target, bytes)?,
                None => match std::fs::remove_file(&target) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e).with_context(|| format!("removing {path}")),
                },
            }
        }
        Ok(change)
    }

    /// Records a change made by someone else (`add` writes its own files): `earlier`
    /// is what each file held before it (`None`: it did not exist).
    pub fn record(
        &self,
        action: &str,
        earlier: &[(String, Option<Vec<u8>>)],
    ) -> anyhow::Result<Change> {
        self.record_as(action, earlier, false)
    }

    fn read(&self, path: &str) -> anyhow::Result<Option<Vec<u8>>> {
        match std::fs::read(self.edition.join(path)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => {
                Err(e).with_context(|| format!("reading {path} before changing it"))
            }
        }
    }

    fn record_as(
        &self,
        action: &str,
        earlier: &[(String, Option<Vec<u8>>)],
        undo: bool,
    ) -> anyhow::Result<Change> {
        let at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        let id = format!(
            "{at_ms:013}-{:06}-{}",
            SEQUENCE.fetch_add(1, Ordering::SeqCst) % 1_000_000,
            std::process::id()
        );
        let folder = self.dir.join(&id);
        let mut files = Vec::new();
        for (path, bytes) in earlier {
            if let Some(bytes) = bytes {
                write_atomic(&folder.join("files").join(path), bytes)?;
            }
            files.push(Touched { path: path.clone(), existed: bytes.is_some() });
        }
        let change = Change { id, action: action.to_string(), at_ms, files, undo };
        let record = serde_json::to_vec_pretty(&change).context("recording a change")?;
        write_atomic(&folder.join(RECORD), &record)?;
        self.prune();
        Ok(change)
    }

    /// The kept changes, newest first.
    pub fn list(&self) -> Vec<Change> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        let mut changes: Vec<Change> = entries
            .flatten()
            .filter_map(|e| std::fs::read(e.path().join(RECORD)).ok())
            .filter_map(|bytes| serde_json::from_slice(&bytes).ok())
            .collect();
        changes.sort_by(|a, b| b.id.cmp(&a.id));
        changes
    }

    /// Undoes the newest change that is not itself an undo: its files go back to
    /// what they held before it, and that change leaves the history (what it had
    /// written is kept by the undo's own record). `None` when there is nothing to undo.
    pub fn undo(&self) -> anyhow::Result<Option<(Change, Change)>> {
        let Some(last) = self.list().into_iter().find(|c| !c.undo) else {
            return Ok(None);
        };
        let folder = self.dir.join(&last.id);
        let mut writes = Vec::new();
        for touched in &last.files {
            let bytes = if touched.existed {
                let kept = folder.join("files").join(&touched.path);
                Some(
                    std::fs::read(&kept)
                        .with_context(|| format!("reading {}", kept.display()))?,
                )
            } else {
                None
            };
            writes.push((touched.path.clone(), bytes));
        }
        let undone = self.apply_as(&format!("撤销：{}", last.action), &writes, true)?;
        std::fs::remove_dir_all(&folder)
            .with_context(|| format!("removing {} from the history", folder.display()))?;
        Ok(Some((last, undone)))
    }

    /// Drops the oldest changes beyond [`KEEP`].
    fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        let mut ids: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if ids.len() <= KEEP {
            return;
        }
        ids.sort();
        for id in &ids[..ids.len() - KEEP] {
            // A change that cannot be removed is only kept longer.
            std::fs::remove_dir_all(self.dir.join(id)).ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, History) {
        let dir = tempfile::tempdir().unwrap();
        let edition = dir.path().join("sources/2021-Q4");
        std::fs::create_dir_all(edition.join("类")).unwrap();
        std::fs::write(edition.join("类/甲.md"), "第一版").unwrap();
        let history = History::new(&edition, dir.path().join(".huibian/history/2021-Q4"));
        (dir, history)
    }

    fn read(h: &History, path: &str) -> Option<String> {
        std::fs::read_to_string(h.edition.join(path)).ok()
    }

    #[test]
    fn a_save_keeps_the_earlier_text_and_undo_brings_it_back() {
        let (_dir, h) = setup();
        h.apply("保存 甲", &[("类/甲.md".into(), Some("第二版".into()))]).unwrap();
        h.apply("保存 甲", &[("类/甲.md".into(), Some("第三版".into()))]).unwrap();
        assert_eq!(read(&h, "类/甲.md").as_deref(), Some("第三版"));
        assert_eq!(h.list().len(), 2);
        h.undo().unwrap().unwrap();
        assert_eq!(read(&h, "类/甲.md").as_deref(), Some("第二版"));
        // A second undo goes further back, not back to the third version.
        h.undo().unwrap().unwrap();
        assert_eq!(read(&h, "类/甲.md").as_deref(), Some("第一版"));
        assert!(h.undo().unwrap().is_none(), "nothing left to undo");
        // Nothing lost: both undos are kept, with the text each replaced.
        let undos = h.list();
        assert_eq!(undos.len(), 2);
        assert!(undos.iter().all(|c| c.undo && c.action.starts_with("撤销")));
        let kept =
            std::fs::read_to_string(h.dir.join(&undos[1].id).join("files/类/甲.md"))
                .unwrap();
        assert_eq!(kept, "第三版");
    }

    #[test]
    fn undoing_a_new_file_removes_it_and_undoing_a_removal_restores_it() {
        let (_dir, h) = setup();
        h.apply("添加 乙", &[("类/乙.md".into(), Some("新文件".into()))]).unwrap();
        h.undo().unwrap().unwrap();
        assert_eq!(read(&h, "类/乙.md"), None);
        h.apply("删除 甲", &[("类/甲.md".into(), None)]).unwrap();
        assert_eq!(read(&h, "类/甲.md"), None);
        h.undo().unwrap().unwrap();
        assert_eq!(read(&h, "类/甲.md").as_deref(), Some("第一版"));
    }

    #[test]
    fn the_history_is_bounded() {
        let (_dir, h) = setup();
        for i in 0..KEEP + 5 {
            h.apply(
                "保存",
                &[("类/甲.md".into(), Some(format!("版本{i}").into_bytes()))],
            )
            .unwrap();
        }
        let list = h.list();
        assert_eq!(list.len(), KEEP);
        // The newest are kept: the last change recorded the version before the last.
        let newest =
            std::fs::read_to_string(h.dir.join(&list[0].id).join("files/类/甲.md"))
                .unwrap();
        assert_eq!(newest, format!("版本{}", KEEP + 3));
    }
}
