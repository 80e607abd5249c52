//! A page's bytes → text. Government sites serve UTF-8 and GBK/GB18030 side by side,
//! often with a declaration that lies or with none at all, so the declaration is
//! checked against the bytes before it is believed.

use std::sync::LazyLock;

use encoding_rs::{Encoding, GB18030, UTF_8};
use regex::bytes::Regex;

/// How far into the page a `<meta charset>` is looked for. The HTML standard says
/// 1024 bytes; saved pages put long comments and scripts first, so look further.
const DECLARATION_WINDOW: usize = 16 * 1024;

/// `<meta charset="gbk">` and `<meta http-equiv="Content-Type" content="text/html;
/// charset=gb2312">` alike: the charset parameter inside a meta tag.
static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    #[expect(clippy::expect_used, reason = "a constant pattern, checked by the tests")]
    Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:\-]{1,40})"#)
        .expect("valid pattern")
});

/// The page's text and how its encoding was chosen.
#[derive(Debug)]
pub(super) struct Decoded {
    pub text: String,
    /// `UTF-8 (declared in the page)`, `GB18030 (detected: not valid UTF-8)`…
    pub encoding: String,
    /// Doubts for the editor: a declaration the bytes contradict, undecodable bytes.
    pub notes: Vec<String>,
}

/// Decodes a page. `hint` is a charset named outside the page (an MHTML part's
/// header); it is believed like the page's own declaration.
pub(super) fn decode(bytes: &[u8], hint: Option<&str>) -> Decoded {
    let mut notes = Vec::new();
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return finish(text.into_owned(), had_errors, encoding, "byte-order mark", notes);
    }
    let declared = hint
        .map(|h| (h.to_string(), "the archive's part header"))
        .or_else(|| declared_charset(bytes).map(|d| (d, "a meta tag of the page")));
    if let Some((label, place)) = declared {
        match Encoding::for_label(label.trim().as_bytes()).map(superset) {
            Some(encoding) => {
                let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
                if !had_errors {
                    let how = format!("declared in {place}");
                    return finish(text.into_owned(), false, encoding, &how, notes);
                }
                let other = if encoding == UTF_8 { GB18030 } else { UTF_8 };
                let (again, other_errors) = other.decode_without_bom_handling(bytes);
                if !other_errors {
                    notes.push(format!(
                        "the page declares the encoding {label} but its bytes are not \
                         valid {}; read as {} instead",
                        encoding.name(),
                        other.name()
                    ));
                    let how = format!("detected; {label} declared in {place}");
                    return finish(again.into_owned(), false, other, &how, notes);
                }
                let how = format!("declared in {place}");
                return finish(text.into_owned(), true, encoding, &how, notes);
            }
            None => notes.push(format!(
                "the page declares an unknown encoding {label:?}; detected one instead"
            )),
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            finish(text.to_string(), false, UTF_8, "detected: valid UTF-8", notes)
        }
        Err(_) => {
            let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
            let how = "detected: not valid UTF-8, no declaration";
            finish(text.into_owned(), had_errors, GB18030, how, notes)
        }
    }
}

/// gb2312 and GBK pages routinely hold characters only GB18030 has; GB18030 decodes
/// every GBK byte sequence the same way, so it is read as GB18030.
fn superset(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == encoding_rs::GBK { GB18030 } else { encoding }
}

fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(DECLARATION_WINDOW)];
    let found = META_CHARSET.captures(head)?.get(1)?;
    Some(String::from_utf8_lossy(found.as_bytes()).into_owned())
}

fn finish(
    text: String,
    had_errors: bool,
    encoding: &'static Encoding,
    how: &str,
    mut notes: Vec<String>,
) -> Decoded {
    if had_errors {
        let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
        notes.push(format!(
            "{bad} byte sequence(s) are not valid {}: shown as U+FFFD (�); check the \
             text against the page",
            encoding.name()
        ));
    }
    Decoded { text, encoding: format!("{} ({how})", encoding.name()), notes }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gb(text: &str) -> Vec<u8> {
        GB18030.encode(text).0.into_owned()
    }

    #[test]
    fn a_declared_gb2312_page_reads_as_gb18030() {
        let mut bytes =
            b"<meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
                .to_vec();
        // 㛃 is outside GB2312 and GBK: only GB18030's four-byte sequences hold it.
        bytes.extend(gb("<p>关于印发㛃的通知</p>"));
        let decoded = decode(&bytes, None);
        assert!(decoded.text.contains("关于印发㛃的通知"), "{}", decoded.text);
        assert!(
            decoded.encoding.starts_with("gb18030 (declared"),
            "{}",
            decoded.encoding
        );
        assert!(decoded.notes.is_empty(), "{:?}", decoded.notes);
    }

    #[test]
    fn undeclared_pages_are_detected() {
        let utf8 = decode("<p>通知</p>".as_bytes(), None);
        assert_eq!(utf8.text, "<p>通知</p>");
        assert!(utf8.encoding.starts_with("UTF-8 (detected"), "{}", utf8.encoding);
        let gbk = decode(&gb("<p>北京市人民政府</p>"), None);
        assert_eq!(gbk.text, "<p>北京市人民政府</p>");
        assert!(gbk.encoding.starts_with("gb18030 (detected"), "{}", gbk.encoding);
    }

    #[test]
    fn a_lying_declaration_is_overruled_with_a_note() {
        let mut bytes = b"<meta charset=\"utf-8\">".to_vec();
        bytes.extend(gb("<p>实施方案</p>"));
        let decoded = decode(&bytes, None);
        assert!(decoded.text.contains("实施方案"));
        assert_eq!(decoded.notes.len(), 1, "{:?}", decoded.notes);
        assert!(decoded.notes[0].contains("not valid UTF-8"), "{:?}", decoded.notes);
    }

    #[test]
    fn a_bom_wins_and_bad_bytes_are_counted() {
        let decoded = decode(b"\xEF\xBB\xBF<meta charset=gbk><p>\xFF</p>", None);
        assert_eq!(decoded.text, "<meta charset=gbk><p>\u{FFFD}</p>");
        assert!(decoded.encoding.contains("byte-order mark"));
        assert!(decoded.notes[0].starts_with("1 byte sequence"), "{:?}", decoded.notes);
    }

    #[test]
    fn a_part_header_charset_is_a_declaration() {
        let decoded = decode(&gb("<p>附件</p>"), Some("GBK"));
        assert_eq!(decoded.text, "<p>附件</p>");
        assert!(decoded.encoding.contains("part header"), "{}", decoded.encoding);
    }
}
