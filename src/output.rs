//! Writing results so that nothing is ever half-written, even by a killed process.
//!
//! What holds after a `kill -9` at any moment:
//! - a file ([`write_atomic`]) is the old version or the new one, whole. Its bytes go to
//!   an unnamed file in the destination folder (Linux `O_TMPFILE`), which gets a
//!   `.huibian-*.tmp` name only for the two system calls that link it and rename it
//!   over the target; elsewhere a named temporary file is used. Its permissions are
//!   the replaced file's, so `fmt` does not change a source's mode.
//! - a folder ([`write_dir_atomic`], or [`StagedDir`] file by file) is the old tree or
//!   the new one, never missing and never a mix: the new tree is written into a
//!   `.huibian-*` sibling that is swapped
//!   with the old one in one `renameat2(RENAME_EXCHANGE)` (Linux; elsewhere two renames,
//!   with a moment where the folder is absent).
//! - temporaries a killed process leaves behind are removed by the next write into the
//!   same folder. Writers take an exclusive lock on the folder for the whole write, so
//!   a `.huibian-*` entry found under the lock belongs to no live writer.
//!
//! Several files are not one transaction: a build replaces the PDF, toc.json and the
//! zip of its sources ([`write_files_atomic`], each [`Prepared`] ahead), then html/,
//! and `fmt` rewrites sources one by one, so a kill among them leaves some new and
//! the others old (each one whole).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;

/// Names of everything this module creates besides its targets.
const TEMP_PREFIX: &str = ".huibian-";

/// Writes `bytes` to `path` atomically, creating its folder if needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = parent_of(path);
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let _lock = FolderLock::acquire(dir);
    write_locked(dir, path, bytes)
}

/// A file's new bytes, written ahead of the moment they may replace it (a build's
/// toc.json and zip while its PDF is exported): on Linux into an unnamed file in
/// its folder, filled and synced, which [`write_files_atomic`] then only names over
/// the old one; elsewhere the bytes, written then. Dropped, it leaves nothing.
pub struct Prepared {
    path: PathBuf,
    content: Content,
}

enum Content {
    Bytes(Vec<u8>),
    #[cfg(target_os = "linux")]
    Unnamed(File),
}

impl Prepared {
    /// Writes `bytes` for `path`, in a folder that exists, without replacing it yet.
    pub fn new(path: &Path, bytes: &[u8]) -> anyhow::Result<Prepared> {
        let path = path.to_path_buf();
        #[cfg(target_os = "linux")]
        if let Some(file) = linux::anonymous_file(parent_of(&path)) {
            let permissions = std::fs::metadata(&path).ok().map(|m| m.permissions());
            linux::fill(&file, &path, bytes, permissions)?;
            return Ok(Prepared { path, content: Content::Unnamed(file) });
        }
        Ok(Prepared { path, content: Content::Bytes(bytes.to_vec()) })
    }

    /// Puts the new bytes in place, for a writer that holds the folder's lock.
    fn commit_locked(self, dir: &Path) -> anyhow::Result<()> {
        match self.content {
            Content::Bytes(bytes) => write_locked(dir, &self.path, &bytes),
            #[cfg(target_os = "linux")]
            Content::Unnamed(file) => linux::link_over(&file, dir, &self.path),
        }
    }
}

/// Puts prepared files of one folder in place, under one hold of its lock: each is
/// whole, old or new; which are new after a kill is not said (see the module
/// comment).
pub fn write_files_atomic(dir: &Path, files: Vec<Prepared>) -> anyhow::Result<()> {
    let _lock = FolderLock::acquire(dir);
    commit_all_locked(dir, files)
}

/// Puts `files` in place, in order, for a writer that holds `dir`'s lock; none when
/// one is not directly in `dir` (the lock held would not be its folder's).
fn commit_all_locked(dir: &Path, files: Vec<Prepared>) -> anyhow::Result<()> {
    if let Some(file) = files.iter().find(|file| parent_of(&file.path) != dir) {
        anyhow::bail!(
            "{} is not in {}: written apart from it",
            file.path.display(),
            dir.display()
        );
    }
    files.into_iter().try_for_each(|file| file.commit_locked(dir))
}

/// [`write_atomic`] for a writer that holds `dir`'s lock.
fn write_locked(dir: &Path, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
    #[cfg(target_os = "linux")]
    if let Some(file) = linux::anonymous_file(dir) {
        linux::fill(&file, path, bytes, permissions)?;
        return linux::link_over(&file, dir, path);
    }
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    temp.write_all(bytes).with_context(|| format!("writing {}", path.display()))?;
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions).ok();
    }
    temp.as_file().sync_all().with_context(|| format!("writing {}", path.display()))?;
    temp.persist(path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

/// Writes a whole folder of text files atomically: they are written into a temporary
/// sibling folder, which then takes the target's place (see the module comment for
/// what a kill can leave). Paths are relative, with `/`, and must stay inside.
pub fn write_dir_atomic<C: AsRef<[u8]>>(
    target: &Path,
    files: &[(String, C)],
) -> anyhow::Result<()> {
    let mut staged = StagedDir::new(target)?;
    for (rel, bytes) in files {
        staged.add(rel, bytes.as_ref())?;
    }
    staged.commit(Vec::new())
}

/// A folder written file by file as its files are made (a build writes its HTML
/// pages while the PDF is exported), unseen until [`StagedDir::commit`] swaps it in
/// whole. Dropped uncommitted, it is removed and the target is untouched. It holds
/// the lock on the target's parent folder until then, so files beside the folder
/// (the PDF, toc.json) are written through `commit`.
pub struct StagedDir {
    target: PathBuf,
    parent: PathBuf,
    temp: tempfile::TempDir,
    /// Folders made inside `temp` so far.
    made: std::collections::HashSet<PathBuf>,
    files: usize,
    bytes: u64,
    _lock: FolderLock,
}

impl StagedDir {
    /// Starts writing a new version of the folder `target`.
    pub fn new(target: &Path) -> anyhow::Result<Self> {
        let parent = parent_of(target).to_path_buf();
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        let lock = FolderLock::acquire(&parent);
        let temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempdir_in(&parent)
            .with_context(|| {
                format!("creating a temporary folder in {}", parent.display())
            })?;
        Ok(Self {
            target: target.to_path_buf(),
            parent,
            temp,
            made: Default::default(),
            files: 0,
            bytes: 0,
            _lock: lock,
        })
    }

    /// Writes one file, at a plain relative path with `/`.
    pub fn add(&mut self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let rel_path = Path::new(rel);
        if rel_path.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
            anyhow::bail!("refusing to write `{rel}`: not a plain relative path");
        }
        let path = self.temp.path().join(rel_path);
        if let Some(dir) = path.parent()
            && dir != self.temp.path()
            && !self.made.contains(dir)
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating {}", dir.display()))?;
            self.made.insert(dir.to_path_buf());
        }
        std::fs::write(&path, bytes)
            .with_context(|| format!("writing {}", path.display()))?;
        self.files += 1;
        self.bytes += bytes.len() as u64;
        Ok(())
    }

    /// How many files, and bytes, are written so far.
    pub fn written(&self) -> (usize, u64) {
        (self.files, self.bytes)
    }

    /// Puts the files of `beside` (in the same parent folder) in place as
    /// [`write_files_atomic`] does, then the folder in the target's.
    pub fn commit(self, beside: Vec<Prepared>) -> anyhow::Result<()> {
        commit_all_locked(&self.parent, beside)?;
        // The lock is held until the swap is done.
        let Self { target, parent, temp, _lock, .. } = self;
        if !target.exists() {
            let written = temp.keep();
            return std::fs::rename(&written, &target)
                .with_context(|| format!("replacing {}", target.display()));
        }
        #[cfg(target_os = "linux")]
        if linux::exchange(temp.path(), &target)? {
            // The temporary folder now holds the old tree; dropping it removes it.
            return temp
                .close()
                .with_context(|| format!("removing the old {}", target.display()));
        }
        replace_in_two_steps(&parent, &target, temp)
    }
}

/// The file at `path`, open, when it is large enough that freeing it would hold up
/// its replacement: a rename over a file frees the old one's blocks before it
/// returns (0.8 ms for a 1.3 MB PDF), unless a handle keeps them.
fn hold_if_large(path: &Path) -> Option<File> {
    const LARGE: u64 = 256 * 1024;
    // Looked at before it is opened: opening a FIFO someone left there would wait.
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() < LARGE {
        return None;
    }
    File::open(path).ok()
}

/// Closes the replaced file held by [`hold_if_large`] on a thread of its own, where
/// freeing its blocks holds nobody up. (Where no thread can be started, the handle
/// is closed here, as it would have been in the rename.)
fn release_aside(old: Option<File>) {
    if let Some(old) = old {
        let _ = std::thread::Builder::new()
            .name("release-replaced".into())
            .spawn(move || drop(old));
    }
}

/// Moves the old folder aside, then the new one in; the fallback where folders
/// cannot be exchanged in one step.
fn replace_in_two_steps(
    parent: &Path,
    target: &Path,
    temp: tempfile::TempDir,
) -> anyhow::Result<()> {
    let aside = parent.join(format!(
        "{TEMP_PREFIX}old-{}",
        temp.path().file_name().and_then(|n| n.to_str()).unwrap_or("x")
    ));
    std::fs::rename(target, &aside)
        .with_context(|| format!("moving {} aside", target.display()))?;
    let written = temp.keep();
    if let Err(err) = std::fs::rename(&written, target) {
        // Put the old folder back so nothing is lost.
        std::fs::rename(&aside, target).ok();
        std::fs::remove_dir_all(&written).ok();
        return Err(err).with_context(|| format!("replacing {}", target.display()));
    }
    std::fs::remove_dir_all(&aside)
        .with_context(|| format!("removing {}", aside.display()))?;
    Ok(())
}

/// Removes what killed writers left in `dir` (see the module comment); for commands
/// that may find nothing to write there, such as `fmt` on formatted sources.
pub fn remove_stale_temporaries(dir: &Path) {
    drop(FolderLock::acquire(dir));
}

/// The folder a path's file lives in (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// An exclusive advisory lock on a folder, held while writing into it. Taking it
/// removes the temporaries of writers that were killed: nobody else holds the lock,
/// so nobody is still writing them.
struct FolderLock {
    _dir: Option<File>,
}

impl FolderLock {
    /// Locks `dir` (waiting for another huibian writing there) and cleans it. Where
    /// folders cannot be locked, nothing is removed: a temporary might be in use.
    fn acquire(dir: &Path) -> FolderLock {
        let handle = File::open(dir).ok().filter(|file| file.lock().is_ok());
        if handle.is_some() {
            remove_temporaries(dir);
        }
        FolderLock { _dir: handle }
    }
}

/// Removes every `.huibian-*` entry in `dir`; best effort, a leftover only costs space.
fn remove_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        let path: PathBuf = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => std::fs::remove_dir_all(&path).ok(),
            Ok(_) => std::fs::remove_file(&path).ok(),
            Err(_) => None,
        };
    }
}

/// A name for a temporary that no other writer in this folder uses at the same time
/// (writers hold the folder's lock, and this process numbers its own).
fn unique_temp_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{TEMP_PREFIX}{}-{n}.tmp", std::process::id())
}

#[cfg(target_os = "linux")]
mod linux {
    use std::fs::{File, Permissions};
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    use anyhow::Context;
    use rustix::fs::{AtFlags, CWD, Mode, OFlags, RenameFlags};

    /// A file without a name in `dir`, if the file system supports them.
    pub(super) fn anonymous_file(dir: &Path) -> Option<File> {
        let flags = OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(CWD, dir, flags, Mode::from_raw_mode(0o644)).ok()?;
        Some(File::from(fd))
    }

    /// Fills the unnamed `file` with the new bytes of `path`, to the disk.
    pub(super) fn fill(
        mut file: &File,
        path: &Path,
        bytes: &[u8],
        permissions: Option<Permissions>,
    ) -> anyhow::Result<()> {
        file.write_all(bytes).with_context(|| format!("writing {}", path.display()))?;
        if let Some(permissions) = permissions {
            file.set_permissions(permissions).ok();
        }
        file.sync_all().with_context(|| format!("writing {}", path.display()))
    }

    /// Names the filled `file` and renames it over `path`.
    pub(super) fn link_over(file: &File, dir: &Path, path: &Path) -> anyhow::Result<()> {
        let temp = dir.join(super::unique_temp_name());
        let proc_path = format!("/proc/self/fd/{}", file.as_raw_fd());
        rustix::fs::linkat(CWD, proc_path.as_str(), CWD, &temp, AtFlags::SYMLINK_FOLLOW)
            .with_context(|| format!("naming the new {}", path.display()))?;
        let old = super::hold_if_large(path);
        if let Err(err) = std::fs::rename(&temp, path) {
            std::fs::remove_file(&temp).ok();
            return Err(err).with_context(|| format!("replacing {}", path.display()));
        }
        super::release_aside(old);
        Ok(())
    }

    /// Swaps two folders in one step; `Ok(false)` when the file system cannot.
    pub(super) fn exchange(new: &Path, target: &Path) -> anyhow::Result<bool> {
        match rustix::fs::renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => Ok(false),
            Err(err) => Err(std::io::Error::from(err))
                .with_context(|| format!("replacing {}", target.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/book.pdf");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["book.pdf"]);
    }

    /// The names in `dir`, sorted.
    fn sorted_names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// What a build writes beside its PDF during the export: nothing shows until it
    /// is put in place, nothing is left when it is dropped (a failed export), and a
    /// replaced file keeps its mode.
    #[test]
    fn prepared_files_show_only_once_put_in_place() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (toc, zip) = (dir.path().join("toc.json"), dir.path().join("ed.zip"));
        write_atomic(&toc, b"old").unwrap();
        std::fs::set_permissions(&toc, std::fs::Permissions::from_mode(0o600)).unwrap();
        let names = || sorted_names(dir.path());

        let dropped = Prepared::new(&toc, b"new").unwrap();
        drop(dropped);
        assert_eq!(std::fs::read(&toc).unwrap(), b"old");
        assert_eq!(names(), ["toc.json"]);

        let files = vec![
            Prepared::new(&toc, b"new").unwrap(),
            Prepared::new(&zip, b"PK").unwrap(),
        ];
        assert_eq!(std::fs::read(&toc).unwrap(), b"old");
        assert_eq!(names(), ["toc.json"]);
        write_files_atomic(dir.path(), files).unwrap();
        assert_eq!(std::fs::read(&toc).unwrap(), b"new");
        assert_eq!(std::fs::read(&zip).unwrap(), b"PK");
        assert_eq!(names(), ["ed.zip", "toc.json"]);
        let mode = std::fs::metadata(&toc).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);

        // A file of another folder is refused before anything is put in place.
        let other = tempfile::tempdir().unwrap();
        let files = vec![
            Prepared::new(&toc, b"newer").unwrap(),
            Prepared::new(&other.path().join("x"), b"x").unwrap(),
        ];
        assert!(write_files_atomic(dir.path(), files).is_err());
        assert_eq!(std::fs::read(&toc).unwrap(), b"new");
    }

    /// A large file is replaced whole while its old version is let go aside, and a
    /// FIFO in its place is replaced, not opened (which would wait for a writer).
    #[test]
    fn large_files_and_fifos_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("book.pdf");
        write_atomic(&pdf, &vec![1; 1 << 20]).unwrap();
        write_atomic(&pdf, &vec![2; 1 << 20]).unwrap();
        assert!(std::fs::read(&pdf).unwrap().iter().all(|&b| b == 2));

        let fifo = dir.path().join("toc.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let (done, finished) = std::sync::mpsc::channel();
        let target = fifo.clone();
        std::thread::spawn(move || done.send(write_atomic(&target, &vec![3; 1 << 20])));
        let written = finished.recv_timeout(std::time::Duration::from_secs(20));
        assert!(matches!(written, Ok(Ok(()))), "the write over a FIFO did not return");
        assert!(std::fs::metadata(&fifo).unwrap().is_file());
    }

    #[test]
    fn folders_are_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("ed");
        write_dir_atomic(
            &target,
            &[("a/x.md".to_string(), "1"), ("b.md".to_string(), "2")],
        )
        .unwrap();
        write_dir_atomic(&target, &[("c.md".to_string(), "3")]).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("c.md")).unwrap(), "3");
        assert!(!target.join("b.md").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["ed"]);
        let escape = write_dir_atomic(&target, &[("../evil.md".to_string(), "")]);
        assert!(escape.is_err());
        assert_eq!(std::fs::read_to_string(target.join("c.md")).unwrap(), "3");
    }

    /// A build writes its pages into a staged folder while the PDF is exported: until
    /// the commit nothing is seen, a build that fails drops it without a trace, and
    /// the commit writes the files beside it before the swap.
    #[test]
    fn a_staged_folder_is_unseen_until_committed_with_the_files_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("html");
        write_dir_atomic(&target, &[("index.html".to_string(), "old")]).unwrap();
        let names = || sorted_names(dir.path());

        let mut failed = StagedDir::new(&target).unwrap();
        failed.add("index.html", b"new").unwrap();
        failed.add("a/b/page.html", b"page").unwrap();
        drop(failed);
        assert_eq!(names(), ["html"]);
        assert_eq!(std::fs::read_to_string(target.join("index.html")).unwrap(), "old");

        // (A staged folder holds its parent's lock: one at a time here.)
        let elsewhere = dir.path().join("sub/toc.json");
        let refused = StagedDir::new(&target).unwrap();
        let prepared = Prepared::new(&elsewhere, b"{}").unwrap();
        assert!(refused.commit(vec![prepared]).is_err());
        assert!(!elsewhere.exists());
        assert_eq!(names(), ["html"]);

        let mut staged = StagedDir::new(&target).unwrap();
        staged.add("index.html", b"new").unwrap();
        staged.add("a/b/page.html", b"page").unwrap();
        staged.add("a/other.html", b"x").unwrap();
        assert!(staged.add("../escape.html", b"").is_err());
        assert_eq!(staged.written(), (3, 8));
        assert_eq!(std::fs::read_to_string(target.join("index.html")).unwrap(), "old");
        let pdf = dir.path().join("book.pdf");
        staged.commit(vec![Prepared::new(&pdf, b"%PDF").unwrap()]).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("index.html")).unwrap(), "new");
        assert_eq!(
            std::fs::read_to_string(target.join("a/b/page.html")).unwrap(),
            "page"
        );
        assert_eq!(std::fs::read(&pdf).unwrap(), b"%PDF");
        assert_eq!(names(), ["book.pdf", "html"]);
    }
}
