//! Writing results so that nothing is ever half-written.
//!
//! Every output goes to a temporary file in the destination folder, is flushed to
//! disk, and then renamed over the old file in one step. A build that fails, or is
//! killed, leaves the previous output as it was.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

/// Writes `bytes` to `path` atomically, creating its folder if needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".huibian-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    temp.write_all(bytes).with_context(|| format!("writing {}", path.display()))?;
    temp.as_file().sync_all().with_context(|| format!("writing {}", path.display()))?;
    temp.persist(path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

/// Writes a whole folder of text files atomically: they are written into a temporary
/// sibling folder, which then takes the target's place (an existing target is moved
/// aside first and removed after). Paths are relative, with `/`, and must stay inside.
pub fn write_dir_atomic<C: AsRef<[u8]>>(
    target: &Path,
    files: &[(String, C)],
) -> anyhow::Result<()> {
    let parent = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent)
        .with_context(|| format!("creating {}", parent.display()))?;
    let temp =
        tempfile::Builder::new().prefix(".huibian-").tempdir_in(parent).with_context(
            || format!("creating a temporary folder in {}", parent.display()),
        )?;
    for (rel, text) in files {
        let rel_path = Path::new(rel);
        if rel_path.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
            anyhow::bail!("refusing to write `{rel}`: not a plain relative path");
        }
        let path = temp.path().join(rel_path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&path, text.as_ref())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let old = if target.exists() {
        let aside = parent.join(format!(
            ".huibian-old-{}",
            temp.path().file_name().and_then(|n| n.to_str()).unwrap_or("x")
        ));
        std::fs::rename(target, &aside)
            .with_context(|| format!("moving {} aside", target.display()))?;
        Some(aside)
    } else {
        None
    };
    let written = temp.keep();
    if let Err(err) = std::fs::rename(&written, target) {
        // Put the old folder back so nothing is lost.
        if let Some(old) = &old {
            std::fs::rename(old, target).ok();
        }
        std::fs::remove_dir_all(&written).ok();
        return Err(err).with_context(|| format!("replacing {}", target.display()));
    }
    if let Some(old) = old {
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("removing {}", old.display()))?;
    }
    Ok(())
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
}
