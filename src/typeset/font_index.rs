//! The fonts a machine has, measured once: a font index kept in the user's cache
//! folder, so that each run does not measure every installed face again.
//!
//! Finding the fonts is cheap (fontdb reads fontconfig's folders and each face's
//! names); measuring a face for Typst ([`FontInfo::new`]: its family, variant and the
//! coverage of its character map, tens of thousands of code points for a CJK font)
//! is most of the ~90 ms every `typst` process spends on fonts. The index keeps each
//! face's `FontInfo` under its file's path, size and modification time and face
//! number; a face is taken from it only when the file fontdb found now has the same
//! size and time, and measured again otherwise. Entries for files no longer found
//! are dropped. The index is a cache: an unreadable or outdated one is rebuilt, and
//! a run that cannot write it goes on without it.
//!
//! The faces are listed in fontdb's order, as typst-kit lists them, so the book and
//! its PDF are the same with or without the index.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};
use typst_kit::fonts::FontSource;

/// Bumped with anything that changes what an entry means (the typst version's
/// `FontInfo`, this file's layout).
const FORMAT: &str = concat!("huibian-font-index/1 typst-", "0.15.1");

/// The index file in the user's cache folder (`$XDG_CACHE_HOME/huibian/` or
/// `~/.cache/huibian/` on Linux), or `None` when there is no such folder.
pub fn default_path() -> Option<PathBuf> {
    dirs::cache_dir().map(|dir| dir.join("huibian").join("font-index.json"))
}

/// A font file as last measured.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct FileEntry {
    size: u64,
    /// Modification time, nanoseconds since the epoch.
    modified: u128,
    /// Its faces, by face number.
    faces: BTreeMap<u32, FontInfo>,
}

/// The index: per scan (`system`, or a folder's path), the files it found.
#[derive(Debug, Default, Serialize, Deserialize)]
struct IndexFile {
    format: String,
    scans: BTreeMap<String, BTreeMap<PathBuf, FileEntry>>,
}

/// A font face on disk, loaded when Typst first asks for it: the file is mapped
/// into memory rather than read (a CJK collection is 20–30 MB, and several faces of
/// one file share one mapping's pages through the page cache).
///
/// Typst's memo hashes a font's whole data the first time `World::font` gives it out,
/// which reads every page of the file: 115 MB for 2021-Q4's five CJK faces, counted
/// in the build's resident memory for the rest of its run. The hash is taken here
/// instead, as the face is loaded (the memo then finds it made), and the pages are
/// handed back at once: the layout and the export read again only the tables and
/// glyphs the book uses, from the page cache. 2021-Q4's peak: 183 → 123 MiB.
pub struct MappedFont {
    path: PathBuf,
    index: u32,
}

impl FontSource for MappedFont {
    fn load(&self) -> Option<Font> {
        let file = std::fs::File::open(&self.path).ok()?;
        // SAFETY: the mapping is read-only. A font file truncated while a build runs
        // would fault on access, as it would for typst-kit's own scan (fontdb maps the
        // files too); font files are replaced by package managers through a rename,
        // which leaves this mapping on the old file.
        let map = Arc::new(unsafe { memmap2::Mmap::map(&file) }.ok()?);
        let font = Font::new(Bytes::new(Mapped(map.clone())), self.index)?;
        // The hash is kept in the font's bytes, where the memo looks for it.
        typst::utils::hash128(&font);
        // SAFETY: the mapping is private and read-only, so no page holds anything
        // but the file's bytes: a page dropped here is read from the file again on
        // its next access (the truncation case above aside). A refusal leaves the
        // pages mapped, as they were.
        #[cfg(unix)]
        let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        Some(font)
    }
}

/// A memory map as bytes for Typst.
struct Mapped(Arc<memmap2::Mmap>);

impl AsRef<[u8]> for Mapped {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// What one discovery found, and what the index saved.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    /// Faces found.
    pub faces: usize,
    /// Faces measured now (not in the index, or their file changed).
    pub measured: usize,
}

/// The faces fontdb finds with `load` (the system's folders, or one folder: `scan`
/// names which), each with its `FontInfo` from the index at `index` when its file is
/// unchanged, else measured. The scan's part of the index is rewritten when anything
/// changed, and holds exactly what this scan found.
pub fn discover(
    scan_name: &str,
    load: impl FnOnce(&mut fontdb::Database),
    index: Option<&Path>,
) -> (Vec<(MappedFont, FontInfo)>, Scan) {
    let mut db = fontdb::Database::new();
    load(&mut db);
    let mut whole = index.map(read_index).unwrap_or_default();
    let old = whole.scans.remove(scan_name).unwrap_or_default();
    let mut files: BTreeMap<PathBuf, FileEntry> = BTreeMap::new();
    let mut out = Vec::new();
    let mut scan = Scan::default();
    for face in db.faces() {
        let path = match &face.source {
            fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path,
            // Only files are loaded into this database.
            fontdb::Source::Binary(_) => continue,
        };
        scan.faces += 1;
        let Some((size, modified)) = stamp(path) else { continue };
        let entry = files.entry(path.clone()).or_insert_with(|| FileEntry {
            size,
            modified,
            faces: BTreeMap::new(),
        });
        let known = old
            .get(path)
            .filter(|e| e.size == size && e.modified == modified)
            .and_then(|e| e.faces.get(&face.index));
        let info = match known {
            Some(info) => info.clone(),
            None => {
                scan.measured += 1;
                match db.with_face_data(face.id, FontInfo::new).flatten() {
                    Some(info) => info,
                    // Not a face Typst can use: skipped, as typst-kit skips it.
                    None => continue,
                }
            }
        };
        entry.faces.insert(face.index, info.clone());
        out.push((MappedFont { path: path.clone(), index: face.index }, info));
    }
    if let Some(index) = index
        && (scan.measured > 0 || old != files)
    {
        whole.format = FORMAT.to_string();
        whole.scans.insert(scan_name.to_string(), files);
        write_index(index, &whole);
    }
    (out, scan)
}

/// A file's size and modification time, or `None` when it cannot be read.
fn stamp(path: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
    Some((meta.len(), modified))
}

/// The index at `path`, or an empty one when there is none, it cannot be read, or it
/// is of another format: the faces are then measured again.
fn read_index(path: &Path) -> IndexFile {
    let Ok(bytes) = std::fs::read(path) else { return IndexFile::default() };
    match serde_json::from_slice::<IndexFile>(&bytes) {
        Ok(index) if index.format == FORMAT => index,
        _ => IndexFile::default(),
    }
}

/// Writes the index atomically; a cache folder that cannot be written costs the next
/// run the measuring, nothing else.
fn write_index(path: &Path, index: &IndexFile) {
    let Ok(json) = serde_json::to_vec(index) else { return };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = crate::output::write_atomic(path, &json);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded Latin fonts as files in a folder of the test's own.
    fn font_folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (i, (font, _)) in typst_kit::fonts::embedded().enumerate().take(3) {
            std::fs::write(dir.path().join(format!("f{i}.otf")), font.data().as_slice())
                .unwrap();
        }
        dir
    }

    #[test]
    fn the_index_is_used_only_for_unchanged_files() {
        let fonts = font_folder();
        let cache = tempfile::tempdir().unwrap();
        let index = cache.path().join("index.json");
        let scan = |index: Option<&Path>| {
            discover("folder", |db| db.load_fonts_dir(fonts.path()), index)
        };

        let (plain, first) = scan(None);
        assert_eq!(first.measured, first.faces);
        let (_, cold) = scan(Some(&index));
        assert_eq!(cold.measured, cold.faces, "nothing indexed yet");
        let (warm_fonts, warm) = scan(Some(&index));
        assert_eq!(warm.measured, 0, "every face from the index");
        // The same faces, in the same order, with the same measures.
        let infos = |v: &[(MappedFont, FontInfo)]| -> Vec<FontInfo> {
            v.iter().map(|(_, i)| i.clone()).collect()
        };
        assert_eq!(infos(&warm_fonts), infos(&plain));
        assert!(warm_fonts[0].0.load().is_some(), "a mapped face loads");

        // A file replaced by another font of another size is measured again, and
        // its entry is not trusted for the new file.
        let first_file = fonts.path().join("f0.otf");
        let other = std::fs::read(fonts.path().join("f1.otf")).unwrap();
        std::fs::write(&first_file, &other).unwrap();
        let (changed_fonts, changed) = scan(Some(&index));
        assert!(changed.measured >= 1, "{changed:?}");
        let (fresh, _) = scan(None);
        assert_eq!(infos(&changed_fonts), infos(&fresh));

        // A broken index is rebuilt, not trusted.
        std::fs::write(&index, b"{not json").unwrap();
        let (_, broken) = scan(Some(&index));
        assert_eq!(broken.measured, broken.faces);
        let (_, again) = scan(Some(&index));
        assert_eq!(again.measured, 0);
    }

    /// A mapped face whose pages were handed back is still the file: its bytes, its
    /// tables and the hash Typst's memo compares are those of the face read into
    /// memory, as typst-kit reads it.
    #[test]
    fn a_mapped_face_is_the_file_after_its_pages_are_handed_back() {
        let fonts = font_folder();
        let (found, _) = discover("folder", |db| db.load_fonts_dir(fonts.path()), None);
        assert!(!found.is_empty());
        for (mapped, info) in &found {
            let font = mapped.load().expect("a mapped face loads");
            let bytes = std::fs::read(&mapped.path).unwrap();
            assert!(
                font.data().as_slice() == bytes.as_slice(),
                "{}",
                mapped.path.display()
            );
            let read = Font::new(Bytes::new(bytes), mapped.index).unwrap();
            assert_eq!(typst::utils::hash128(&font), typst::utils::hash128(&read));
            assert_eq!(font.info(), info);
            assert_eq!(font.post_script_name(), read.post_script_name());
        }
    }
}
