//! Text with positions, read from the pages' content streams with lopdf.
//!
//! lopdf's own `extract_text` gives the strings in stream order without where they
//! stand, so it cannot tell a paragraph's end from a wrapped line, nor an indented
//! first line from a continued one. This interprets the text operators (text and
//! graphics matrices, `Td`/`TD`/`Tm`/`T*`, `Tj`/`TJ`/`'`/`"`, glyph widths from the
//! fonts) to place every string on its page; [`super::lines`] groups them into lines.
//!
//! Fonts are decoded with lopdf's encodings (ToUnicode maps, the standard simple
//! encodings), plus the GB predefined CMaps lopdf does not decode (`GBK-EUC-H`…,
//! whose codes are GBK bytes). A font whose codes map to no Unicode (an `Identity-H`
//! font without ToUnicode, the usual 仿宋_GB2312 case) gives U+FFFD per code rather
//! than lopdf's standard-encoding guess, so the judgement in [`super`] sees it.

use std::collections::{BTreeMap, HashMap};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use super::lines::Run;
use crate::intake::IntakeError;

/// The most a page's content may decompress to.
const MAX_CONTENT: usize = 32 * 1024 * 1024;
/// Strings kept from one page: a real page has a few thousand.
const MAX_RUNS: usize = 200_000;
/// Graphics states saved at once (`q` without `Q`); past it `q` is ignored.
const MAX_SAVED: usize = 256;
/// Glyph widths read from one font's `/W` or `/Widths`.
const MAX_WIDTHS: usize = 65_536;

/// The strings of one page, placed.
#[derive(Debug, Default)]
pub(super) struct PageRuns {
    /// Page width and height in points.
    pub width: f32,
    pub height: f32,
    /// Strings in stream order.
    pub runs: Vec<Run>,
}

/// How a font's codes become text.
enum Decode<'a> {
    /// Through lopdf's encoding.
    Lopdf(Encoding<'a>),
    /// The codes are GBK (or GB18030) bytes.
    Gbk,
    /// Nothing maps the codes to Unicode.
    Unmapped,
}

/// How a font's strings split into codes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Codes {
    One,
    Two,
    /// One byte below 0x81, two from a lead byte 0x81–0xFE (the GB EUC CMaps).
    Gb,
}

struct Font<'a> {
    /// The font's `BaseFont`, for the notes.
    name: String,
    decode: Decode<'a>,
    codes: Codes,
    /// Glyph widths in thousandths of the size, by code (simple fonts) or CID.
    widths: HashMap<u32, f32>,
    default_width: f32,
}

/// Names of the fonts that carry no Unicode map, seen while reading.
pub(super) type Unmapped = std::collections::BTreeSet<String>;

/// Places the strings of one page. Errors only for a page whose content cannot be
/// read at all.
pub(super) fn page_runs(
    doc: &Document,
    page: ObjectId,
    unmapped: &mut Unmapped,
) -> Result<PageRuns, IntakeError> {
    let (width, height, top) = media_box(doc, page);
    let fonts = page_fonts(doc, page, unmapped);
    let data = doc.get_page_content_with_limit(page, MAX_CONTENT).map_err(|e| {
        IntakeError::malformed(format!("a page's content is damaged: {e}"))
    })?;
    let content = Content::decode(&data).map_err(|e| {
        IntakeError::malformed(format!("a page's content is damaged: {e}"))
    })?;
    let mut state = State::new(top);
    for op in &content.operations {
        state.apply(&op.operator, &op.operands, &fonts);
        if state.runs.len() >= MAX_RUNS {
            break;
        }
    }
    Ok(PageRuns { width, height, runs: state.runs })
}

/// The page's width, height and the y of its top edge, from its (inherited)
/// `MediaBox`; A4 when it has none.
fn media_box(doc: &Document, page: ObjectId) -> (f32, f32, f32) {
    let mut node = doc.get_dictionary(page).ok();
    // The page tree's depth is the input's; lopdf has already walked it to list the
    // pages, and 64 levels is past any real file.
    for _ in 0..64 {
        let Some(dict) = node else { break };
        if let Ok(b) = dict.get_deref(b"MediaBox", doc).and_then(Object::as_array) {
            let n: Vec<f32> = b.iter().filter_map(|o| o.as_float().ok()).collect();
            if let [x0, y0, x1, y1] = n[..] {
                return ((x1 - x0).abs(), (y1 - y0).abs(), y0.max(y1));
            }
        }
        node = dict.get_deref(b"Parent", doc).and_then(Object::as_dict).ok();
    }
    (595.0, 842.0, 842.0)
}

fn page_fonts<'a>(
    doc: &'a Document,
    page: ObjectId,
    unmapped: &mut Unmapped,
) -> BTreeMap<Vec<u8>, Font<'a>> {
    let Ok(fonts) = doc.get_page_fonts(page) else { return BTreeMap::new() };
    fonts
        .into_iter()
        .map(|(key, dict)| {
            let font = font(doc, dict);
            if matches!(font.decode, Decode::Unmapped) {
                unmapped.insert(font.name.clone());
            }
            (key, font)
        })
        .collect()
}

fn name_of(dict: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    dict.get(key).and_then(Object::as_name).ok().map(<[u8]>::to_vec)
}

fn font<'a>(doc: &'a Document, dict: &'a Dictionary) -> Font<'a> {
    let name = name_of(dict, b"BaseFont")
        .map(|n| String::from_utf8_lossy(&n).into_owned())
        .unwrap_or_else(|| "(unnamed font)".into());
    let type0 = name_of(dict, b"Subtype").as_deref() == Some(b"Type0");
    let encoding = name_of(dict, b"Encoding");
    let has_to_unicode =
        dict.get_deref(b"ToUnicode", doc).and_then(Object::as_stream).is_ok();
    let gb = encoding.as_deref().is_some_and(|e| {
        matches!(e, b"GBK-EUC-H" | b"GBK-EUC-V" | b"GB-EUC-H" | b"GB-EUC-V")
            || e.starts_with(b"GBK2K-")
            || e.starts_with(b"GBKp-EUC")
    });
    let codes = if gb {
        Codes::Gb
    } else if type0 {
        Codes::Two
    } else {
        Codes::One
    };
    let decode = if gb && !has_to_unicode {
        Decode::Gbk
    } else if type0
        && !has_to_unicode
        && !matches!(encoding.as_deref(), Some(b"UniGB-UCS2-H" | b"UniGB-UTF16-H"))
    {
        Decode::Unmapped
    } else {
        match dict.get_font_encoding_with_limit(doc, MAX_CONTENT) {
            Ok(encoding) => Decode::Lopdf(encoding),
            Err(_) => Decode::Unmapped,
        }
    };
    let (widths, default_width) =
        if type0 { cid_widths(doc, dict) } else { simple_widths(doc, dict) };
    Font { name, decode, codes, widths, default_width }
}

/// A simple font's `/Widths` from `/FirstChar`; 500 for codes it does not list.
fn simple_widths(doc: &Document, dict: &Dictionary) -> (HashMap<u32, f32>, f32) {
    let first = dict.get(b"FirstChar").and_then(Object::as_i64).unwrap_or(0);
    let mut widths = HashMap::new();
    if let Ok(list) = dict.get_deref(b"Widths", doc).and_then(Object::as_array) {
        for (i, w) in list.iter().take(MAX_WIDTHS).enumerate() {
            let (Ok(code), Ok(w)) = (u32::try_from(first + i as i64), w.as_float())
            else {
                continue;
            };
            widths.insert(code, w);
        }
    }
    (widths, 500.0)
}

/// A CID font's `/W` array (`c [w1 w2 …]` and `c_first c_last w`) and `/DW`.
fn cid_widths(doc: &Document, dict: &Dictionary) -> (HashMap<u32, f32>, f32) {
    let mut widths = HashMap::new();
    let descendant = dict
        .get_deref(b"DescendantFonts", doc)
        .and_then(Object::as_array)
        .ok()
        .and_then(|a| a.first())
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    let Some(cid) = descendant else { return (widths, 1000.0) };
    let default = cid.get(b"DW").and_then(Object::as_float).unwrap_or(1000.0);
    let Ok(list) = cid.get_deref(b"W", doc).and_then(Object::as_array) else {
        return (widths, default);
    };
    let int = |o: &Object| o.as_i64().ok().and_then(|n| u32::try_from(n).ok());
    let mut i = 0;
    while i < list.len() && widths.len() < MAX_WIDTHS {
        let Some(start) = int(&list[i]) else { break };
        match list.get(i + 1).map(|o| doc.dereference(o).map(|(_, o)| o)) {
            Some(Ok(Object::Array(ws))) => {
                for (k, w) in ws.iter().take(MAX_WIDTHS).enumerate() {
                    if let Ok(w) = w.as_float() {
                        widths.insert(start.saturating_add(k as u32), w);
                    }
                }
                i += 2;
            }
            Some(Ok(end)) => {
                let (Some(end), Some(w)) =
                    (int(end), list.get(i + 2).and_then(|w| w.as_float().ok()))
                else {
                    break;
                };
                for c in start..=end.min(start.saturating_add(MAX_WIDTHS as u32)) {
                    widths.insert(c, w);
                }
                i += 3;
            }
            _ => break,
        }
    }
    (widths, default)
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b` in PDF's row-vector convention: apply `a`, then `b`.
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn translate(tx: f32, ty: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

/// The text and graphics state the operators change.
struct State {
    top: f32,
    ctm: Matrix,
    saved: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    font: Option<Vec<u8>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    runs: Vec<Run>,
}

impl State {
    fn new(top: f32) -> Self {
        State {
            top,
            ctm: IDENTITY,
            saved: Vec::new(),
            tm: IDENTITY,
            tlm: IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            runs: Vec::new(),
        }
    }

    fn apply(&mut self, op: &str, args: &[Object], fonts: &BTreeMap<Vec<u8>, Font<'_>>) {
        let num = |i: usize| args.get(i).and_then(|o| o.as_float().ok()).unwrap_or(0.0);
        match op {
            "q" if self.saved.len() < MAX_SAVED => self.saved.push(self.ctm),
            "Q" => self.ctm = self.saved.pop().unwrap_or(self.ctm),
            "cm" => {
                self.ctm =
                    mul(&[num(0), num(1), num(2), num(3), num(4), num(5)], &self.ctm)
            }
            "BT" => {
                self.tm = IDENTITY;
                self.tlm = IDENTITY;
            }
            "Tf" => {
                self.font =
                    args.first().and_then(|o| o.as_name().ok()).map(<[u8]>::to_vec);
                self.size = num(1);
            }
            "Tc" => self.char_spacing = num(0),
            "Tw" => self.word_spacing = num(0),
            "Tz" => self.scale = num(0) / 100.0,
            "TL" => self.leading = num(0),
            "Td" => self.next_line(num(0), num(1)),
            "TD" => {
                self.leading = -num(1);
                self.next_line(num(0), num(1));
            }
            "Tm" => {
                self.tm = [num(0), num(1), num(2), num(3), num(4), num(5)];
                self.tlm = self.tm;
            }
            "T*" => self.next_line(0.0, -self.leading),
            "Tj" => self.show_all(args.first(), fonts),
            "'" => {
                self.next_line(0.0, -self.leading);
                self.show_all(args.first(), fonts);
            }
            "\"" => {
                self.word_spacing = num(0);
                self.char_spacing = num(1);
                self.next_line(0.0, -self.leading);
                self.show_all(args.get(2), fonts);
            }
            "TJ" => {
                let Some(Ok(items)) = args.first().map(Object::as_array) else { return };
                for item in items {
                    match item {
                        Object::String(..) => self.show_all(Some(item), fonts),
                        other => {
                            let adjust = other.as_float().unwrap_or(0.0);
                            self.advance(-adjust / 1000.0 * self.size * self.scale);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = mul(&translate(tx, ty), &self.tlm);
        self.tm = self.tlm;
    }

    fn advance(&mut self, tx: f32) {
        self.tm = mul(&translate(tx, 0.0), &self.tm);
    }

    fn show_all(&mut self, string: Option<&Object>, fonts: &BTreeMap<Vec<u8>, Font<'_>>) {
        let Some(Object::String(bytes, _)) = string else { return };
        let Some(font) = self.font.as_ref().and_then(|f| fonts.get(f)) else { return };
        let start = mul(&self.tm, &self.ctm);
        let mut tx = 0.0;
        let mut codes = 0usize;
        for (code, len) in split_codes(bytes, font.codes) {
            let w = font.widths.get(&code).copied().unwrap_or(font.default_width);
            let space = if len == 1 && code == 32 { self.word_spacing } else { 0.0 };
            tx += (w / 1000.0 * self.size + self.char_spacing + space) * self.scale;
            codes += 1;
        }
        let text = decode(font, bytes, codes);
        self.advance(tx);
        let end = mul(&self.tm, &self.ctm);
        let size = self.size * start[2].hypot(start[3]);
        if text.chars().all(char::is_whitespace) || !size.is_finite() || size <= 0.0 {
            return;
        }
        self.runs.push(Run {
            x0: start[4].min(end[4]),
            x1: start[4].max(end[4]),
            base: self.top - start[5],
            size,
            text,
        });
    }
}

/// The codes of a string and their lengths in bytes.
fn split_codes(bytes: &[u8], codes: Codes) -> impl Iterator<Item = (u32, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let first = *bytes.get(i)?;
        let two = match codes {
            Codes::One => false,
            Codes::Two => true,
            Codes::Gb => first >= 0x81,
        };
        match (two, bytes.get(i + 1)) {
            (true, Some(&second)) => {
                i += 2;
                Some((u32::from(first) << 8 | u32::from(second), 2))
            }
            _ => {
                i += 1;
                Some((u32::from(first), 1))
            }
        }
    })
}

fn decode(font: &Font<'_>, bytes: &[u8], codes: usize) -> String {
    match &font.decode {
        Decode::Lopdf(encoding) => {
            encoding.bytes_to_string(bytes).unwrap_or_else(|_| "\u{FFFD}".repeat(codes))
        }
        Decode::Gbk => {
            encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned()
        }
        Decode::Unmapped => "\u{FFFD}".repeat(codes),
    }
}
