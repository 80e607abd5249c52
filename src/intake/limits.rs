//! How much of an input is read before it is refused: each reader checks its input
//! against these bounds before parsing it, so that a hostile file (a zip bomb, a
//! 50 MB page, an XML entity bomb, 100,000 nested tags) costs a clear error, not the
//! machine's memory or minutes of CPU.

use std::io::Read;
use std::path::Path;

use super::IntakeError;

/// A saved web page (the HTML file itself). Government pages are 20–300 KB.
pub const MAX_PAGE: u64 = 8 * 1024 * 1024;
/// An `.mhtml` file, images included.
pub const MAX_MHTML: u64 = 48 * 1024 * 1024;
/// A `.docx` archive as stored.
pub const MAX_DOCX: u64 = 48 * 1024 * 1024;
/// One entry of a `.docx` once unpacked (`word/document.xml`, an image).
pub const MAX_ENTRY: u64 = 64 * 1024 * 1024;
/// All entries read from one `.docx`, unpacked.
pub const MAX_UNPACKED: u64 = 160 * 1024 * 1024;
/// A PDF.
pub const MAX_PDF: u64 = 96 * 1024 * 1024;
/// One image copied into the edition.
pub const MAX_ASSET: u64 = 16 * 1024 * 1024;
/// Elements open at once in a page (browsers stop nesting at 512; past it the
/// HTML parser's cost grows with the square of the depth).
pub const MAX_NESTING: usize = 512;
/// Entries in a `.docx` archive (a real one holds 10–60).
pub const MAX_ENTRIES: usize = 4096;

/// Reads a file, refusing it once it passes `limit` bytes (without reading more).
pub fn read_bounded(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, IntakeError> {
    let file = std::fs::File::open(path).map_err(|e| {
        IntakeError::Malformed(format!("cannot open {}: {e}", path.display()))
    })?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| {
        IntakeError::Malformed(format!("cannot read {}: {e}", path.display()))
    })?;
    check_size(bytes.len() as u64, limit, what)?;
    Ok(bytes)
}

/// Refuses a size over `limit`.
pub fn check_size(size: u64, limit: u64, what: &str) -> Result<(), IntakeError> {
    if size > limit {
        return Err(IntakeError::TooLarge { what: what.to_string(), size, limit });
    }
    Ok(())
}

/// The image extensions an edition's `assets/` takes, lower case.
pub const IMAGE_EXTENSIONS: [&str; 6] = ["png", "jpg", "jpeg", "gif", "svg", "webp"];

/// The name an image gets in the edition's `assets/`: `<stem>-<n>.<ext>`, where the
/// stem is the policy's file stem made ASCII-safe by the caller, or `image` here.
/// Names from the input (a page's `src`, a zip entry) never become paths: only their
/// extension is kept, and only when it is an image's. `None` for other extensions.
pub fn asset_name(n: usize, original: &str) -> Option<String> {
    let ext = original.rsplit_once('.')?.1.to_ascii_lowercase();
    let ext = ext.split(['?', '#']).next()?;
    IMAGE_EXTENSIONS.contains(&ext).then(|| format!("image-{n}.{ext}"))
}

/// The image kind of some bytes, from their signature: the extension for
/// [`asset_name`], or `None` when the bytes are not an image the renderers show.
pub fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        let head = &bytes[..bytes.len().min(512)];
        let head = String::from_utf8_lossy(head);
        (head.contains("<svg")
            || head.trim_start().starts_with("<?xml") && head.contains("svg"))
        .then_some("svg")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_names_keep_only_an_image_extension() {
        assert_eq!(asset_name(1, "../../etc/passwd.png").as_deref(), Some("image-1.png"));
        assert_eq!(asset_name(2, "a.JPG?x=1").as_deref(), Some("image-2.jpg"));
        assert_eq!(asset_name(3, "evil.sh"), None);
        assert_eq!(asset_name(4, "noext"), None);
    }

    #[test]
    fn image_kinds_by_signature() {
        assert_eq!(image_kind(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(image_kind(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(image_kind(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), Some("svg"));
        assert_eq!(image_kind(b"MZ\x90\x00"), None);
    }

    #[test]
    fn bounded_reads_refuse_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.html");
        std::fs::write(&path, vec![b'x'; 2048]).unwrap();
        assert!(read_bounded(&path, 4096, "the page").is_ok());
        let err = read_bounded(&path, 1024, "the page").unwrap_err();
        assert!(
            matches!(err, IntakeError::TooLarge { size: 1025, limit: 1024, .. }),
            "{err}"
        );
    }
}
