//! The zip package of a `.docx`: entries read by name into memory only, each through
//! a counting reader, and the relationships that say which part is which.
//!
//! Sizes declared in the archive are not trusted (a zip bomb lies about them): bytes
//! are counted as they are inflated, per entry and for the whole package. Entry names
//! never become file paths; a relationship target that climbs out of the package
//! (`../../evil`), is absolute outside it, or has a backslash is refused.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::xml::{Ev, Events, attr};
use crate::intake::{IntakeError, limits};

/// How much of a package is read; the tests pass smaller bounds.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bounds {
    /// Entries in the archive.
    pub entries: usize,
    /// One entry, unpacked.
    pub entry: u64,
    /// All entries read, unpacked.
    pub unpacked: u64,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            entries: limits::MAX_ENTRIES,
            entry: limits::MAX_ENTRY,
            unpacked: limits::MAX_UNPACKED,
        }
    }
}

/// An open package and what is left of its unpacking budget.
pub(super) struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    bounds: Bounds,
    unpacked: u64,
}

/// One relationship of a part: its type's last segment (`officeDocument`, `image`)
/// and the entry it points to, or `None` when the target is external or refused.
#[derive(Debug, Clone)]
pub(super) struct Rel {
    pub kind: String,
    pub target: Option<String>,
}

impl<'a> Package<'a> {
    /// Opens the archive; a truncated or corrupt one is `Malformed`.
    pub(super) fn open(bytes: &'a [u8], bounds: Bounds) -> Result<Self, IntakeError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            IntakeError::Malformed(format!(
                "the Word file is not a readable zip archive (truncated or damaged?): {e}"
            ))
        })?;
        if zip.len() > bounds.entries {
            return Err(IntakeError::TooLarge {
                what: "the Word file's entry count".into(),
                size: zip.len() as u64,
                limit: bounds.entries as u64,
            });
        }
        Ok(Package { zip, bounds, unpacked: 0 })
    }

    /// The unpacked bytes of the entry named exactly `name`, `None` if there is none.
    pub(super) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, IntakeError> {
        self.read_limited(name, self.bounds.entry)
    }

    /// Like [`Package::read`], refusing past `limit` bytes as well.
    pub(super) fn read_limited(
        &mut self,
        name: &str,
        limit: u64,
    ) -> Result<Option<Vec<u8>>, IntakeError> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let limit = limit.min(self.bounds.entry);
        let left = self.bounds.unpacked.saturating_sub(self.unpacked);
        let entry = self.zip.by_index(index).map_err(|e| {
            IntakeError::Malformed(format!(
                "the Word file's entry {name} cannot be read: {e}"
            ))
        })?;
        let mut bytes = Vec::new();
        // One byte past the smaller bound tells "at the bound" from "over it".
        let cap = limit.min(left);
        entry.take(cap + 1).read_to_end(&mut bytes).map_err(|e| {
            IntakeError::Malformed(format!(
                "the Word file's entry {name} is damaged (truncated or a bad checksum): {e}"
            ))
        })?;
        let size = bytes.len() as u64;
        if size > limit {
            return Err(IntakeError::TooLarge {
                what: format!("{name} once unpacked"),
                size,
                limit,
            });
        }
        if size > left {
            return Err(IntakeError::TooLarge {
                what: "the Word file's entries once unpacked".into(),
                size: self.unpacked + size,
                limit: self.bounds.unpacked,
            });
        }
        self.unpacked += size;
        Ok(Some(bytes))
    }

    /// The relationships of part `part` (`word/document.xml`), by id; none when the
    /// part has no `.rels`.
    pub(super) fn rels(
        &mut self,
        part: &str,
    ) -> Result<HashMap<String, Rel>, IntakeError> {
        let (dir, file) = match part.rsplit_once('/') {
            Some((dir, file)) => (dir, file),
            None => ("", part),
        };
        let rels_name = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        let Some(bytes) = self.read(&rels_name)? else {
            return Ok(HashMap::new());
        };
        parse_rels(&bytes, &rels_name, dir)
    }
}

fn parse_rels(
    bytes: &[u8],
    what: &str,
    base: &str,
) -> Result<HashMap<String, Rel>, IntakeError> {
    let mut rels = HashMap::new();
    let mut events = Events::new(bytes, what);
    while let Some(ev) = events.next()? {
        let Ev::Start(e, _) = ev else { continue };
        if e.local_name().as_ref() != b"Relationship" {
            continue;
        }
        let (Some(id), Some(kind)) = (attr(&e, b"Id")?, attr(&e, b"Type")?) else {
            continue;
        };
        let external = attr(&e, b"TargetMode")?.is_some_and(|m| m == "External");
        let target = match attr(&e, b"Target")? {
            Some(t) if !external => resolve(base, &t),
            _ => None,
        };
        let kind = kind.rsplit('/').next().unwrap_or_default().to_string();
        rels.insert(id, Rel { kind, target });
    }
    Ok(rels)
}

/// The entry name a relationship target names, relative to the folder `base` of its
/// source part; `None` for a target that leaves the package or is not a plain
/// relative path.
pub(super) fn resolve(base: &str, target: &str) -> Option<String> {
    if target.contains('\\') || target.contains(':') || target.contains('\0') {
        return None;
    }
    let target = target.split(['#', '?']).next()?;
    let (mut parts, rest): (Vec<&str>, &str) = match target.strip_prefix('/') {
        Some(rest) => (Vec::new(), rest),
        None => (base.split('/').filter(|p| !p.is_empty()).collect(), target),
    };
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn targets_stay_inside_the_package() {
        assert_eq!(
            resolve("word", "media/image1.png").as_deref(),
            Some("word/media/image1.png")
        );
        assert_eq!(
            resolve("word", "../customXml/item1.xml").as_deref(),
            Some("customXml/item1.xml")
        );
        assert_eq!(
            resolve("", "/word/document2.xml").as_deref(),
            Some("word/document2.xml")
        );
        assert_eq!(resolve("word", "../../evil"), None);
        assert_eq!(resolve("word", "media\\a.png"), None);
        assert_eq!(resolve("word", "file:///etc/passwd"), None);
    }
}
