//! Bytes from disk → text in [`Sources`], with what had to be repaired.
//!
//! Reading is where encoding problems are caught. Editors paste text from Word and
//! from web pages, so a byte-order mark or CRLF line endings are normalised here (with
//! a warning, since `fmt` will rewrite them) instead of failing the build; invalid
//! UTF-8 cannot be repaired and is an error pointing at the first bad byte. Every
//! command that reads a source file (the loader, `fmt`) comes through here, so each
//! sees the same findings for the same bytes.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::{SourceId, Sources, Span, is_bidi_control};

/// Adds the bytes read from `path` to `sources` as text. Returns `None` when the text
/// is unusable (invalid UTF-8, a NUL byte); the file is stored anyway (lossily
/// decoded) so that the error can show its line.
pub fn read(
    sources: &mut Sources,
    path: &Path,
    mut bytes: Vec<u8>,
    diags: &mut Diagnostics,
) -> Option<SourceId> {
    let had_bom = bytes.starts_with(b"\xEF\xBB\xBF");
    if had_bom {
        bytes.drain(..3);
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            invalid_utf8(sources, path, err, diags);
            return None;
        }
    };
    let had_cr = text.contains('\r');
    let text = if had_cr { normalise_newlines(&text) } else { text };
    let id = sources.add(path.to_path_buf(), text);
    if !lint_characters(sources, id, diags) {
        return None;
    }
    if had_bom {
        diags.push(
            Diagnostic::warning("bom", "file starts with a byte-order mark")
                .with_span(Span::new(id, 0..0))
                .with_hint("it is ignored; `huibian fmt` removes it"),
        );
    }
    if had_cr {
        diags.push(
            Diagnostic::warning(
                "line-endings",
                "file has Windows (CRLF) or old Mac (CR) line endings",
            )
            .with_span(Span::new(id, 0..0))
            .with_hint(
                "they are read as plain line breaks; `huibian fmt` rewrites them as LF",
            ),
        );
    }
    Some(id)
}

/// Reports the characters no source should hold; `false` when the text is unusable.
fn lint_characters(sources: &Sources, id: SourceId, diags: &mut Diagnostics) -> bool {
    let text = &sources.get(id).text;
    if let Some(offset) = text.find('\0') {
        // No text file holds one: the file is damaged or not text at all, and Typst
        // and browsers would each drop or show it differently.
        diags.push(
            Diagnostic::error("encoding", "file contains a NUL byte (U+0000)")
                .with_span(Span::new(id, offset..offset + 1))
                .with_hint("the file is damaged or not text: delete the character, or save the file again as UTF-8 text"),
        );
        return false;
    }
    let (bidi, control) = suspects(text);
    if let Some(offset) = bidi {
        // Invisible, yet it reorders the printed text ("Trojan source").
        diags.push(
            Diagnostic::warning(
                "bidi",
                "invisible bidirectional control character: the text around it may print reordered",
            )
            .with_span(Span::new(id, offset..offset))
            .with_hint("Chinese and Latin text never needs one: delete it"),
        );
    }
    if let Some((offset, c)) = control {
        // Pasted text brings them: a form feed between the pages of a PDF's text, a
        // vertical tab for each line break Word copies.
        diags.push(
            Diagnostic::warning(
                "control-character",
                format!(
                    "invisible control character U+{:04X}{}: the PDF and the HTML site may each show it differently",
                    u32::from(c),
                    control_name(c)
                ),
            )
            .with_span(Span::new(id, offset..offset + c.len_utf8()))
            .with_hint("delete it (a line break pasted from Word or a PDF: press Enter instead)"),
        );
    }
    true
}

/// The offsets of the first bidirectional control character and of the first stray
/// control character of `text`, found in one scan of its bytes for those that can
/// begin one: decoding every character, twice, was most of the time spent reading
/// an edition's sources.
fn suspects(text: &str) -> (Option<usize>, Option<(usize, char)>) {
    let (mut bidi, mut control) = (None, None);
    let bytes = text.as_bytes();
    let mut at = 0;
    // C0 controls but tab and line breaks, DEL, and the lead bytes of the C1 controls
    // (U+0080–U+009F), U+061C and U+200E–U+2069.
    let lead =
        |b: &u8| matches!(b, 0..=8 | 0xB | 0xC | 0xE..=0x1F | 0x7F | 0xC2 | 0xD8 | 0xE2);
    while bidi.is_none() || control.is_none() {
        let Some(found) = bytes[at..].iter().position(lead) else { break };
        let start = at + found;
        // Every byte looked for is ASCII or begins a character, so `start` is a
        // character boundary and the text goes on from it.
        let Some(c) = text.get(start..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if bidi.is_none() && is_bidi_control(c) {
            bidi = Some(start);
        }
        if control.is_none() && is_stray_control(c) {
            control = Some((start, c));
        }
        at = start + c.len_utf8();
    }
    (bidi, control)
}

/// Stores the file lossily decoded and points an error at its first bad byte.
fn invalid_utf8(
    sources: &mut Sources,
    path: &Path,
    err: std::string::FromUtf8Error,
    diags: &mut Diagnostics,
) {
    let bad = err.utf8_error().valid_up_to();
    let bytes = err.into_bytes();
    let valid = String::from_utf8_lossy(&bytes[..bad]).into_owned();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let id = sources.add(path.to_path_buf(), normalise_newlines(&text));
    // The lossy text has the same prefix as the valid bytes, so `bad` (less any CRs
    // dropped before it) is the offset of the first bad byte.
    let offset = normalise_newlines(&valid).len();
    diags.push(
        Diagnostic::error("encoding", "file is not valid UTF-8")
            // The bad bytes read as one U+FFFD: the span covers all of it, so that it
            // never splits a character of the text shown.
            .with_span(Span::new(
                id,
                offset..offset + char::REPLACEMENT_CHARACTER.len_utf8(),
            ))
            .with_hint("save the file as UTF-8 (in Word: 另存为 → 纯文本 → UTF-8)"),
    );
}

/// C0 and C1 controls other than the tab and the line break (NUL is an error, CR is
/// read as a line break before this is asked).
fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\0')
}

fn control_name(c: char) -> &'static str {
    match c {
        '\u{0B}' => " (vertical tab)",
        '\u{0C}' => " (form feed)",
        '\u{1B}' => " (escape)",
        '\u{7F}' => " (delete)",
        _ => "",
    }
}

fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan finds what decoding every character finds, on texts mixing the
    /// characters it looks for with their UTF-8 neighbours (curly quotes and dashes
    /// share U+200E's lead byte, Chinese text every other).
    #[test]
    fn the_byte_scan_finds_the_first_bidi_and_control_characters_as_a_char_scan_does() {
        let parts = [
            "中文", "“", "”", "—", "…", "\t", "\n", "\r", "a", "é", "\u{80}", "\u{85}",
            "\u{9F}", "\u{A0}", "\u{7F}", "\u{1B}", "\u{B}", "\u{C}", "\u{61C}",
            "\u{61B}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{2010}", "\u{202A}",
            "\u{202E}", "\u{2066}", "\u{2069}", "\u{206A}", "𠀀",
        ];
        let mut seed = 7u64;
        for _ in 0..2_000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                // Mostly plain text, as a source is.
                let pick = (seed >> 33) as usize % (parts.len() * 3);
                text.push_str(parts.get(pick).copied().unwrap_or("政策"));
            }
            let by_char = (
                text.find(is_bidi_control),
                text.char_indices().find(|&(_, c)| is_stray_control(c)),
            );
            assert_eq!(suspects(&text), by_char, "{text:?}");
        }
    }

    #[test]
    fn bom_and_crlf_are_normalised_with_warnings() {
        let mut sources = Sources::new();
        let mut diags = Diagnostics::default();
        let bytes = b"\xEF\xBB\xBFa\r\nb\rc".to_vec();
        let id = read(&mut sources, Path::new("a.md"), bytes, &mut diags).unwrap();
        assert_eq!(sources.get(id).text, "a\nb\nc");
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["bom", "line-endings"]);
        assert!(!diags.has_errors());
    }

    #[test]
    fn invalid_utf8_points_at_the_first_bad_byte() {
        let mut sources = Sources::new();
        let mut diags = Diagnostics::default();
        let bytes = "标题\n正文".bytes().chain([0xff, b'x']).collect();
        assert!(read(&mut sources, Path::new("a.md"), bytes, &mut diags).is_none());
        let d = diags.iter().next().unwrap();
        assert_eq!(d.code, "encoding");
        assert_eq!(sources.locate(d.span.as_ref().unwrap()), "a.md:2:3");
        // Found by fuzzing (`markdown` target): the span covered one byte of the
        // three of U+FFFD, splitting a character of the text the caret is drawn under.
        let range = d.span.as_ref().unwrap().range.clone();
        let text = &sources.get(d.span.as_ref().unwrap().source).text;
        assert_eq!(text.get(range), Some("\u{FFFD}"));
    }
}
