//! Single-file web archives (`.mhtml`, `.mht`) → [`Intake`]: a MIME
//! `multipart/related` message whose first `text/html` part is the page and whose
//! other parts are its images, found by `Content-Location` or `Content-ID`.

use std::collections::HashMap;

use base64::Engine as _;

use super::html::{self, Outside, Resources};
use super::{Found, Intake, IntakeError, limits};

/// Parts read from one archive (a saved policy page has 5–80).
const MAX_PARTS: usize = 2000;

/// One MIME part: its headers (names lower-cased) and its decoded body.
struct Part {
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// The archive's resources, by address and by `cid:`.
struct Parts {
    base: Option<String>,
    by_location: HashMap<String, Vec<u8>>,
}

impl Resources for Parts {
    fn fetch(&self, reference: &str) -> Option<Vec<u8>> {
        if let Some(found) = self.by_location.get(reference) {
            return Some(found.clone());
        }
        let joined = join(self.base.as_deref()?, reference)?;
        self.by_location.get(&joined).cloned()
    }
}

/// Reads one MHTML archive.
pub fn read(bytes: &[u8]) -> Result<Intake, IntakeError> {
    limits::check_size(bytes.len() as u64, limits::MAX_MHTML, "the archive")?;
    let (top, rest) = split_headers(bytes);
    let content_type = top.get("content-type").cloned().unwrap_or_default();
    let boundary = param(&content_type, "boundary").ok_or_else(|| {
        IntakeError::malformed("the archive's Content-Type names no boundary")
    })?;
    let parts = split_parts(rest, &boundary)?;
    let mut page = None;
    let mut by_location = HashMap::new();
    for part in parts {
        let kind = part
            .headers
            .get("content-type")
            .map(|t| t.to_ascii_lowercase())
            .unwrap_or_default();
        if page.is_none() && kind.starts_with("text/html") {
            page = Some(part);
            continue;
        }
        if let Some(location) = part.headers.get("content-location") {
            by_location.insert(location.clone(), part.body.clone());
        }
        if let Some(id) = part.headers.get("content-id") {
            let id = id.trim().trim_start_matches('<').trim_end_matches('>');
            by_location.insert(format!("cid:{id}"), part.body);
        }
    }
    let page =
        page.ok_or_else(|| IntakeError::NoText("the archive holds no HTML page".into()))?;
    let base = page.headers.get("content-location").cloned();
    let location = top
        .get("snapshot-content-location")
        .map(|l| (l, "the archive's Snapshot-Content-Location header"))
        .or_else(|| base.as_ref().map(|l| (l, "the page part's Content-Location header")))
        .filter(|(l, _)| html::web_address(l))
        .map(|(l, from)| Found::new(l.clone(), from));
    let charset = page.headers.get("content-type").and_then(|t| param(t, "charset"));
    let outside = Outside { charset, location };
    let resources = Parts { base, by_location };
    let mut intake = html::read_with(&page.body, &resources, &outside)?;
    intake.format = format!("MHTML archive of a {}", intake.format);
    Ok(intake)
}

/// Headers up to the first blank line (folded lines joined), and what follows.
fn split_headers(bytes: &[u8]) -> (HashMap<String, String>, &[u8]) {
    let mut headers = HashMap::new();
    let mut last: Option<String> = None;
    let mut i = 0;
    while i < bytes.len() {
        let end = bytes[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| i + p + 1);
        let line = String::from_utf8_lossy(&bytes[i..end]);
        let line = line.trim_end_matches(['\r', '\n']);
        i = end;
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(value) = last.as_ref().and_then(|k| headers.get_mut(k)) {
                let value: &mut String = value;
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim().to_ascii_lowercase();
            headers.entry(name.clone()).or_insert_with(|| value.trim().to_string());
            last = Some(name);
        }
    }
    (headers, &bytes[i.min(bytes.len())..])
}

/// A parameter of a header value: `boundary="----MultipartBoundary--x"`.
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

fn split_parts(body: &[u8], boundary: &str) -> Result<Vec<Part>, IntakeError> {
    let delimiter = format!("--{boundary}");
    let d = delimiter.as_bytes();
    let mut starts = Vec::new();
    let mut i = 0;
    while let Some(p) =
        body.get(i..).and_then(|s| s.windows(d.len()).position(|w| w == d))
    {
        let at = i + p;
        starts.push(at);
        if starts.len() > MAX_PARTS + 1 {
            return Err(IntakeError::malformed(format!(
                "the archive has more than {MAX_PARTS} parts"
            )));
        }
        i = at + d.len();
    }
    let mut parts = Vec::new();
    for pair in starts.windows(2) {
        let chunk = &body[pair[0] + d.len()..pair[1]];
        if chunk.starts_with(b"--") {
            break;
        }
        let (headers, content) = split_headers(
            chunk
                .strip_prefix(b"\r\n")
                .or_else(|| chunk.strip_prefix(b"\n"))
                .unwrap_or(chunk),
        );
        let encoding = headers
            .get("content-transfer-encoding")
            .map(|e| e.to_ascii_lowercase())
            .unwrap_or_default();
        let content = content
            .strip_suffix(b"\r\n")
            .or_else(|| content.strip_suffix(b"\n"))
            .unwrap_or(content);
        let decoded = match encoding.trim() {
            "base64" => {
                let clean: Vec<u8> = content
                    .iter()
                    .copied()
                    .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
                    .collect();
                base64::engine::general_purpose::STANDARD_NO_PAD.decode(clean).map_err(
                    |e| {
                        IntakeError::malformed(format!(
                            "an archive part's base64 is damaged ({e})"
                        ))
                    },
                )?
            }
            "quoted-printable" => quoted_printable(content),
            _ => content.to_vec(),
        };
        parts.push(Part { headers, body: decoded });
    }
    Ok(parts)
}

/// RFC 2045 quoted-printable: `=XX` bytes and `=` soft line breaks.
fn quoted_printable(input: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if b == b'=' {
            if input.get(i + 1) == Some(&b'\r') && input.get(i + 2) == Some(&b'\n') {
                i += 3;
                continue;
            }
            if input.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if let (Some(h), Some(l)) = (
                input.get(i + 1).and_then(|&x| hex(x)),
                input.get(i + 2).and_then(|&x| hex(x)),
            ) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

/// `reference` resolved against the page's address, as a browser would: enough of
/// RFC 3986 for the addresses saved pages use.
fn join(base: &str, reference: &str) -> Option<String> {
    if html::web_address(reference) {
        return Some(reference.to_string());
    }
    let (scheme, rest) = base.split_once("://")?;
    if let Some(r) = reference.strip_prefix("//") {
        return Some(format!("{scheme}://{r}"));
    }
    let host_end = rest.find('/').unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..host_end]);
    if reference.starts_with('/') {
        return Some(format!("{origin}{reference}"));
    }
    let path = rest[host_end..].split(['?', '#']).next().unwrap_or("");
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if !path.ends_with('/') {
        segments.pop();
    }
    for seg in reference.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    Some(format!("{origin}/{}", segments.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_bytes_and_soft_breaks() {
        assert_eq!(quoted_printable(b"a=3Db=\r\nc=E5=8C=97"), "a=bc北".as_bytes());
    }

    #[test]
    fn references_join_the_page_address() {
        let base =
            "https://www.beijing.gov.cn/zhengce/zhengcefagui/202111/t20211111_1.html";
        assert_eq!(
            join(base, "./W020.png").as_deref(),
            Some("https://www.beijing.gov.cn/zhengce/zhengcefagui/202111/W020.png")
        );
        assert_eq!(
            join(base, "../../img/a.png").as_deref(),
            Some("https://www.beijing.gov.cn/zhengce/img/a.png")
        );
        assert_eq!(
            join(base, "/x.png").as_deref(),
            Some("https://www.beijing.gov.cn/x.png")
        );
    }

    /// Quoted-printable as Chrome writes it: every non-ASCII byte and `=` as `=XX`,
    /// lines cut at 76 with soft breaks.
    fn qp(bytes: &[u8]) -> String {
        let mut out = String::new();
        let mut line = 0;
        for &b in bytes {
            let piece = if b == b'\n' {
                line = 0;
                out.push_str("\r\n");
                continue;
            } else if b >= 0x80 || b == b'=' || b == b'\r' {
                format!("={b:02X}")
            } else {
                (b as char).to_string()
            };
            if line + piece.len() > 75 {
                out.push_str("=\r\n");
                line = 0;
            }
            line += piece.len();
            out.push_str(&piece);
        }
        out
    }

    fn archive() -> Vec<u8> {
        use base64::Engine as _;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/intake/html");
        let html = std::fs::read(dir.join("beijing.html")).unwrap();
        let png = std::fs::read(dir.join("beijing_files/W020211111.png")).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode(png);
        let page = "https://www.beijing.gov.cn/zhengce/zhengcefagui/202111/t20211111_2533101.html";
        let image = "https://www.beijing.gov.cn/zhengce/zhengcefagui/202111/beijing_files/W020211111.png";
        format!(
            "From: <Saved by Blink>\r\nSnapshot-Content-Location: {page}\r\nSubject: =?utf-8?Q?=E5=8C=97?=\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\
             \tboundary=\"----MultipartBoundary--x1y2--\"\r\n\r\n\r\n------MultipartBoundary--x1y2--\r\n\
             Content-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n\
             Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {page}\r\n\r\n{}\r\n\
             ------MultipartBoundary--x1y2--\r\nContent-Type: image/png\r\n\
             Content-Transfer-Encoding: base64\r\nContent-Location: {image}\r\n\r\n{}\r\n{}\r\n\
             ------MultipartBoundary--x1y2----\r\n",
            qp(&html),
            &b64[..40],
            &b64[40..],
        )
        .into_bytes()
    }

    #[test]
    fn an_archive_reads_like_its_saved_page() {
        let intake = read(&archive()).unwrap();
        assert!(
            intake.format.starts_with("MHTML archive of a 首都之窗"),
            "{}",
            intake.format
        );
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/intake/html");
        let saved = crate::intake::read_file(&dir.join("beijing.html")).unwrap();
        assert_eq!(intake.blocks, saved.blocks);
        assert_eq!(intake.fields, saved.fields);
        assert_eq!(intake.assets, saved.assets);
        assert_eq!(intake.assets.len(), 1);
    }

    #[test]
    fn the_snapshot_location_is_the_source_without_a_canonical_link() {
        let bytes = String::from_utf8(archive())
            .unwrap()
            .replace("rel=3D\"canonical\"", "rel=3D\"x\"");
        let intake = read(bytes.as_bytes()).unwrap();
        let source = intake.fields.source.unwrap();
        assert_eq!(source.from, "the archive's Snapshot-Content-Location header");
        assert!(source.value.ends_with("t20211111_2533101.html"));
    }

    #[test]
    fn archives_without_a_page_or_boundary_are_refused() {
        let no_boundary =
            read(b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\nx");
        assert!(matches!(no_boundary, Err(IntakeError::Malformed(_))));
        let no_page = read(b"Content-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: image/png\r\n\r\nx\r\n--b--\r\n");
        assert!(matches!(no_page, Err(IntakeError::NoText(_))));
        let many = format!(
            "Content-Type: multipart/related; boundary=b\r\n\r\n{}",
            "--b\r\n\r\n".repeat(MAX_PARTS + 5)
        );
        assert!(
            matches!(read(many.as_bytes()), Err(IntakeError::Malformed(m)) if m.contains("parts"))
        );
    }
}
