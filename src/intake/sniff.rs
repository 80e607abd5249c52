//! Which reader an input needs, from its first bytes: editors save files with the
//! wrong extension (`.doc` that is a .docx, `.html` that is an MHTML archive, a PDF
//! downloaded as `.aspx`), so the name is never trusted.

/// The kinds of input `add` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An HTML page (a saved `.html`/`.htm`, any encoding).
    Html,
    /// A single-file web archive (`.mhtml`/`.mht`): a MIME message.
    Mhtml,
    /// An Office Open XML word-processing package (`.docx`; WPS saves these too).
    Docx,
    /// A legacy binary Office file (`.doc`, WPS `.wps`): an OLE2 compound file.
    LegacyWord,
    /// A PDF.
    Pdf,
    /// A zip archive that is not a Word document (an `.xlsx`, a folder zipped).
    OtherZip,
}

/// The kind of `bytes`, or `None` when it is none of the above.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"PK\x03\x04") {
        // The package's parts are named in the central directory; the main part's
        // relationship target is checked by the reader, this only sorts.
        let named = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        return Some(if named(b"word/") { Kind::Docx } else { Kind::OtherZip });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(Kind::LegacyWord);
    }
    let head = &bytes[..bytes.len().min(4096)];
    // `%PDF-` may follow a little junk (some servers prepend a BOM or blank lines).
    if head.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Some(Kind::Pdf);
    }
    let text = ascii_lowercase_head(head);
    if is_mime_message(&text) {
        return Some(Kind::Mhtml);
    }
    if ["<!doctype html", "<html", "<head", "<body", "<meta", "<div", "<title", "<p"]
        .iter()
        .any(|tag| text.contains(tag))
    {
        return Some(Kind::Html);
    }
    None
}

/// The head of the input, as ASCII lower case (other bytes dropped): enough to find
/// tags and MIME headers in any of the encodings pages use.
fn ascii_lowercase_head(head: &[u8]) -> String {
    let skip_bom = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    skip_bom
        .iter()
        .filter(|b| b.is_ascii())
        .map(|b| b.to_ascii_lowercase() as char)
        .collect()
}

/// An MHTML file starts with MIME headers: `MIME-Version`, `Content-Type:
/// multipart/related` among the first lines, before any tag.
fn is_mime_message(text: &str) -> bool {
    let headers = text.split("\n\n").next().unwrap_or("");
    let headers = headers.split("\r\n\r\n").next().unwrap_or("");
    !headers.trim_start().starts_with('<')
        && headers.contains("content-type:")
        && (headers.contains("multipart/related") || headers.contains("mime-version:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(Kind::Pdf));
        assert_eq!(sniff(b"\xEF\xBB\xBF<!DOCTYPE html><html>"), Some(Kind::Html));
        assert_eq!(
            sniff(b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">"),
            Some(Kind::Html)
        );
        assert_eq!(
            sniff(b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\r\n"),
            Some(Kind::Mhtml)
        );
        assert_eq!(
            sniff(b"PK\x03\x04....[Content_Types].xml....word/document.xml"),
            Some(Kind::Docx)
        );
        assert_eq!(sniff(b"PK\x03\x04....xl/workbook.xml"), Some(Kind::OtherZip));
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Some(Kind::LegacyWord)
        );
        assert_eq!(sniff("政策原文，纯文本".as_bytes()), None);
        assert_eq!(sniff(b""), None);
    }
}
