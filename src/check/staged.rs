//! `check` of an edition as it would be after a change, without making the change:
//! the edition is copied to a temporary folder, the changed files are written there,
//! and the copy is loaded and checked. Findings point at the real edition's paths, so
//! they read as `check` will read them once the change is made. `add` checks the
//! files it is about to write this way, and the desk an edit before it is saved.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::load::Loaded;

/// The temporary copy; removed when dropped.
pub struct Stage {
    _temp: tempfile::TempDir,
    stage: PathBuf,
}

impl Stage {
    /// The copy's folder.
    pub fn stage(&self) -> &Path {
        &self.stage
    }
}

/// Checks `edition` with `writes` (paths relative to it, `/`-separated, and their
/// new bytes) in place of its files. The paths must stay inside the edition: callers
/// pass only paths they have confined.
pub fn check_staged(
    edition: &Path,
    writes: &[(String, Vec<u8>)],
) -> anyhow::Result<(Stage, Loaded)> {
    let temp = tempfile::tempdir()
        .context("creating a temporary folder to check the changed files in")?;
    let stage =
        temp.path().join(edition.file_name().unwrap_or(std::ffi::OsStr::new("edition")));
    copy_edition(edition, &stage)?;
    for (path, bytes) in writes {
        write_plain(&stage.join(path), bytes)?;
    }
    let mut checked = super::check_folder(&stage, &super::CheckOptions::default())?;
    checked.sources.rebase(&stage, edition);
    Ok((Stage { _temp: temp, stage }, checked))
}

/// Copies an edition's files (not its hidden ones, not what links lead to) so it
/// can be loaded with the changed files beside the others.
fn copy_edition(from: &Path, to: &Path) -> anyhow::Result<()> {
    for entry in
        walkdir::WalkDir::new(from).follow_links(false).into_iter().filter_entry(|e| {
            e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
        })
    {
        let entry = entry.with_context(|| format!("reading {}", from.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel =
            entry.path().strip_prefix(from).context("a file outside the edition")?;
        let target = to.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(entry.path(), &target)
            .with_context(|| format!("copying {}", entry.path().display()))?;
    }
    Ok(())
}

fn write_plain(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}
