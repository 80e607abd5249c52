//! An edition taken back from the sources its PDF carries.
//!
//! A PDF huibian built with `[pdf] embed_sources` (the default) attaches the edition's
//! files as `sources/<ID>/<path>` and its template as `templates/edition.typ`.
//! `import` of such a PDF writes those files back, byte for byte, instead of
//! reading the printed text; `--from-text` reads the text anyway. The attachments
//! are a PDF's contents, hostile until checked: bounded in number and size, and each
//! name must be a plain relative path (no `..`, no root, no backslash, nothing
//! hidden) before it becomes a file.

use std::path::Path;

use crate::pdf_reader::{AttachmentLimits, PdfReader};

/// What the attachments hold at most.
const LIMITS: AttachmentLimits = AttachmentLimits {
    files: 10_000,
    file_bytes: 16 * 1024 * 1024,
    total_bytes: 256 * 1024 * 1024,
};

/// The sources a PDF carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Carried {
    /// The id of the edition the PDF was built from.
    pub(super) id: String,
    /// Its files, relative to its folder, with their bytes.
    pub(super) files: Vec<(String, Vec<u8>)>,
    /// The template it was typeset with (`edition.typ`), if attached.
    pub(super) template: Option<Vec<u8>>,
}

/// The sources `pdf` carries, if it carries an edition (its `edition.toml` among
/// them); `Ok(None)` for a PDF without them. A name that is not a plain relative
/// path, or attachments over the limits, are errors: nothing is restored from them.
pub(super) fn carried(pdf: &Path) -> anyhow::Result<Option<Carried>> {
    let reader = PdfReader::open(pdf)?;
    let attachments = reader.attachments(LIMITS)?;
    let mut id: Option<String> = None;
    let mut files = Vec::new();
    let mut template = None;
    for attachment in attachments {
        if attachment.name == "templates/edition.typ" {
            template = Some(attachment.bytes);
            continue;
        }
        let Some(rest) = attachment.name.strip_prefix("sources/") else { continue };
        let Some((edition, path)) = rest.split_once('/') else { continue };
        if !crate::edition::is_valid_id(edition) || !plain(path) {
            anyhow::bail!(
                "the PDF carries a file named {:?}, which is not a path inside an edition; \
                 nothing was restored (use --from-text to read the printed text instead)",
                attachment.name
            );
        }
        match &id {
            Some(id) if id != edition => anyhow::bail!(
                "the PDF carries files of two editions ({id} and {edition}); nothing was restored"
            ),
            _ => id = Some(edition.to_string()),
        }
        files.push((path.to_string(), attachment.bytes));
    }
    let Some(id) = id else { return Ok(None) };
    if !files.iter().any(|(path, _)| path == crate::edition::MANIFEST) {
        anyhow::bail!(
            "the PDF carries files of {id} but not its edition.toml; nothing was restored \
             (use --from-text to read the printed text instead)"
        );
    }
    Ok(Some(Carried { id, files, template }))
}

/// A relative path of plain names: no root, no `.` or `..`, no backslash or NUL,
/// no hidden file or folder.
fn plain(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0'])
        && !Path::new(path).is_absolute()
        // Segment by segment as written: `components` would pass over a `.` inside.
        && path.split('/').all(|segment| !segment.is_empty() && !segment.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_become_files() {
        assert!(plain("edition.toml"));
        assert!(plain("优化营商环境/强化节能.md"));
        assert!(plain("assets/图一.png"));
        for bad in [
            "",
            "../x.md",
            "a/../../x",
            "/etc/passwd",
            "a\\b.md",
            ".hidden/x",
            "a/./b",
            "x\0y",
        ] {
            assert!(!plain(bad), "{bad:?}");
        }
    }
}
