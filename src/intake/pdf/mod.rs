//! PDFs with text → [`Intake`]: the paragraphs of a 公文 as it was printed.
//!
//! The text is read with its positions from the content streams ([`content`]), so that
//! paragraphs are rebuilt from where lines start and stop ([`paragraphs`]), not from
//! the stream order lopdf's `extract_text` gives. 公文 PDFs often set their text in
//! fonts without a Unicode map; what the built-in reader makes of the fonts is judged
//! ([`Quality`]) before anything is returned, and when it is poor, poppler's
//! `pdftotext` is asked too ([`poppler`]) and the better reading kept. Garbage is never
//! returned as text: a PDF that neither reads says why.
//!
//! Tables and images are not rebuilt: the text of a table's cells comes out as
//! paragraphs, and pictures are not copied.

mod content;
#[cfg(test)]
mod fixtures;
mod lines;
mod paragraphs;
mod poppler;
#[cfg(test)]
mod tests;

use std::path::Path;

use lopdf::{Document, LoadOptions, Object};

use super::{Block, Fields, Found, Intake, IntakeError, limits};

/// Pages read from one PDF: a policy has 1–20, a gazette issue 100.
pub const MAX_PAGES: usize = 500;
/// Characters of text kept from one PDF (its body is tens of thousands).
pub const MAX_TEXT: usize = 4 * 1024 * 1024;
/// The most any one stream may decompress to while the PDF is loaded.
const MAX_STREAM: usize = 64 * 1024 * 1024;

const INSTALL_POPPLER: &str = "install poppler-utils (it provides `pdftotext`, which \
    decodes many such fonts), or copy the text from a Word or web version of the policy";

/// Reads one PDF; `path` is where `bytes` came from, for `pdftotext`.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Intake, IntakeError> {
    read_with(path, bytes, poppler::PROGRAM)
}

/// [`read`] with `pdftotext` looked up as `program`, so that tests can have it missing.
fn read_with(path: &Path, bytes: &[u8], program: &str) -> Result<Intake, IntakeError> {
    limits::check_size(bytes.len() as u64, limits::MAX_PDF, "the PDF")?;
    let (doc, mut notes) = load(bytes)?;
    let page_ids: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    if page_ids.is_empty() {
        return Err(IntakeError::malformed("the PDF has no pages"));
    }
    if page_ids.len() > MAX_PAGES {
        return Err(IntakeError::TooLarge {
            what: "the PDF's page count".into(),
            size: page_ids.len() as u64,
            limit: MAX_PAGES as u64,
        });
    }
    let fields = fields(&doc, &mut notes);
    let builtin = builtin(&doc, &page_ids)?;
    let chosen = choose((path, program), &doc, &page_ids, builtin, &mut notes)?;
    let (paragraphs, dropped) = paragraphs::paragraphs(chosen.pages);
    notes.extend(dropped);
    if paragraphs.iter().all(|p| p.trim().is_empty()) {
        return Err(IntakeError::NoText("the PDF holds no text".into()));
    }
    Ok(Intake {
        format: format!("PDF, {} page(s), text read {}", page_ids.len(), chosen.by),
        fields,
        blocks: paragraphs.into_iter().map(Block::Para).collect(),
        assets: Vec::new(),
        notes,
    })
}

/// Opens the PDF, refusing a truncated one and one that needs a password.
fn load(bytes: &[u8]) -> Result<(Document, Vec<String>), IntakeError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(IntakeError::malformed("not a PDF: it does not start with %PDF-"));
    }
    let options =
        LoadOptions { max_decompressed_size: Some(MAX_STREAM), ..Default::default() };
    let doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| IntakeError::malformed(format!("the PDF is damaged: {e}")))?;
    let mut notes = Vec::new();
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    let ends = tail.windows(5).any(|w| w == b"%%EOF");
    if doc.xref_recovery.is_some() {
        if !ends {
            return Err(IntakeError::malformed(
                "the PDF is truncated (it stops before its end, %%EOF): download it again",
            ));
        }
        notes.push(
            "the PDF's cross-reference table is damaged; it was rebuilt from the objects \
             found, so check that no page is missing"
                .to_string(),
        );
    }
    if doc.trailer.has(b"Encrypt") {
        if doc.encryption_state.is_none() {
            return Err(IntakeError::Malformed(
                "the PDF is encrypted with a password: open it with the password and save \
                 an unprotected copy (or print it to PDF), then add that"
                    .into(),
            ));
        }
        notes.push(
            "the PDF is encrypted without a password to open it (only its permissions \
             are restricted); its text was read"
                .to_string(),
        );
    }
    Ok((doc, notes))
}

/// What the document properties say. Only the title is taken: Author is the
/// account that typed the file (`Administrator`), not the issuer, and CreationDate
/// is when it was exported, not the 成文日期.
fn fields(doc: &Document, notes: &mut Vec<String>) -> Fields {
    let mut fields = Fields::default();
    let info = match doc.trailer.get(b"Info").ok().map(|o| doc.dereference(o)) {
        Some(Ok((_, Object::Dictionary(info)))) => info,
        _ => return fields,
    };
    let Some(title) =
        info.get(b"Title").ok().and_then(|t| lopdf::decode_text_string(t).ok())
    else {
        return fields;
    };
    let title = title.trim().trim_matches('\0').to_string();
    match leftover_title(&title) {
        None => {
            fields.title =
                Some(Found::new(title, "the PDF's document properties (Title)"));
        }
        Some(why) if !title.is_empty() => notes.push(format!(
            "the PDF's document properties give the title “{title}”, not used: {why}"
        )),
        Some(_) => {}
    }
    fields
}

/// Why a document-properties title is not the policy's, if it is not: Word and WPS
/// write the file name there (`Microsoft Word - 1.doc`, `关于…的通知.docx`), or their
/// `Document1`; a policy's title is Chinese and names no file.
fn leftover_title(title: &str) -> Option<&'static str> {
    let lower = title.to_lowercase();
    let han = title.chars().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)).count();
    if title.is_empty() {
        Some("it is empty")
    } else if lower.starts_with("microsoft ") || lower.contains(" - microsoft") {
        Some("it is the file name Word wrote")
    } else if [".doc", ".docx", ".wps", ".pdf", ".txt", ".rtf", ".xls", ".xlsx", ".ofd"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        Some("it is a file name")
    } else if han < 4 {
        Some("it is not a Chinese title (a template's or program's leftover)")
    } else if ["无标题", "文档1", "新建"].iter().any(|t| title.starts_with(t)) {
        Some("it is a new document's placeholder")
    } else {
        None
    }
}

/// One extractor's reading of the pages.
struct Reading {
    pages: Vec<lines::Page>,
    /// Fonts met that carry no Unicode map.
    unmapped: content::Unmapped,
    /// How the text was read, for [`Intake::format`].
    by: &'static str,
}

fn builtin(doc: &Document, page_ids: &[lopdf::ObjectId]) -> Result<Reading, IntakeError> {
    let mut unmapped = content::Unmapped::new();
    let mut pages = Vec::with_capacity(page_ids.len());
    let mut chars = 0usize;
    for &id in page_ids {
        let placed = content::page_runs(doc, id, &mut unmapped)?;
        chars += placed.runs.iter().map(|r| r.text.chars().count()).sum::<usize>();
        if chars > MAX_TEXT {
            return Err(IntakeError::TooLarge {
                what: "the PDF's text".into(),
                size: chars as u64,
                limit: MAX_TEXT as u64,
            });
        }
        let lines = lines::group(placed.runs);
        pages.push(lines::Page { width: placed.width, height: placed.height, lines });
    }
    Ok(Reading { pages, unmapped, by: "from its content streams (built-in)" })
}

/// How readable an extraction is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Quality {
    /// Characters other than white space.
    chars: usize,
    /// Han characters.
    han: usize,
    /// U+FFFD, private-use and control characters: codes that decoded to nothing.
    bad: usize,
}

impl Quality {
    fn of(pages: &[lines::Page]) -> Quality {
        let mut q = Quality::default();
        for c in pages.iter().flat_map(|p| &p.lines).flat_map(|l| l.text.chars()) {
            if c.is_whitespace() {
                continue;
            }
            q.chars += 1;
            if is_han(c) {
                q.han += 1;
            }
            if c == '\u{FFFD}'
                || ('\u{E000}'..='\u{F8FF}').contains(&c)
                || c >= '\u{F0000}'
                || c.is_control()
            {
                q.bad += 1;
            }
        }
        q
    }

    /// Readable Chinese: at most 1 % undecoded, at least a fifth Han (a 公文 is mostly
    /// Han; a font decoded with the wrong encoding gives Latin letters and symbols).
    fn good(self) -> bool {
        self.chars > 0 && self.bad * 100 <= self.chars && self.han * 5 >= self.chars
    }

    fn score(self) -> i64 {
        self.han as i64 - 4 * self.bad as i64
    }
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Keeps the built-in reading when it is good; otherwise asks `pdftotext` and keeps
/// whichever reads better, or says why neither does.
fn choose(
    (path, program): (&Path, &str),
    doc: &Document,
    page_ids: &[lopdf::ObjectId],
    builtin: Reading,
    notes: &mut Vec<String>,
) -> Result<Reading, IntakeError> {
    let own = Quality::of(&builtin.pages);
    if own.good() {
        return Ok(builtin);
    }
    let poppler = match poppler::pages(program, path, MAX_PAGES) {
        Ok(pages) => pages,
        Err(e @ IntakeError::TooLarge { .. }) => return Err(e),
        // It ran and failed (or timed out): the built-in reading's error says more.
        Err(_) => Some(Vec::new()),
    };
    let Some(poppler_pages) = poppler else {
        return Err(unreadable(doc, page_ids, &builtin, own, false));
    };
    let theirs = Quality::of(&poppler_pages);
    if theirs.good() || (theirs.score() > own.score() && theirs.han > 0) {
        notes.push(format!(
            "the built-in reader could not decode this PDF's text ({}); it was read by \
             poppler's pdftotext",
            why_poor(&builtin, own)
        ));
        if !theirs.good() {
            notes.push(format!(
                "even pdftotext left {} of {} characters undecoded: check the text against \
                 the PDF",
                theirs.bad, theirs.chars
            ));
        }
        return Ok(Reading {
            pages: poppler_pages,
            unmapped: content::Unmapped::new(),
            by: "by poppler's pdftotext",
        });
    }
    Err(unreadable(doc, page_ids, &builtin, own, true))
}

fn why_poor(reading: &Reading, q: Quality) -> String {
    if !reading.unmapped.is_empty() {
        let fonts: Vec<&str> =
            reading.unmapped.iter().take(4).map(String::as_str).collect();
        format!("its fonts carry no Unicode map: {}", fonts.join(", "))
    } else if q.bad > 0 {
        format!("{} of {} characters undecoded", q.bad, q.chars)
    } else {
        "it yields no Chinese text".to_string()
    }
}

/// The error for a PDF whose text neither reader could read.
fn unreadable(
    doc: &Document,
    page_ids: &[lopdf::ObjectId],
    reading: &Reading,
    q: Quality,
    tried_poppler: bool,
) -> IntakeError {
    let next = if tried_poppler {
        "pdftotext could not decode it either; copy the text from a Word or web version \
         of the policy, or OCR the PDF"
            .to_string()
    } else {
        INSTALL_POPPLER.to_string()
    };
    if q.chars == 0 {
        let images = page_ids
            .iter()
            .filter(|&&id| doc.get_page_images(id).is_ok_and(|i| !i.is_empty()))
            .count();
        if images > 0 {
            return IntakeError::NoText(format!(
                "{images} of the PDF's {} page(s) are images (a scan): no text to read; \
                 OCR it first (e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`) and add the result",
                page_ids.len()
            ));
        }
        return IntakeError::NoText(format!("the PDF holds no text; {next}"));
    }
    if !reading.unmapped.is_empty() {
        return IntakeError::NoText(format!(
            "the PDF's text cannot be decoded: {}; {next}",
            why_poor(reading, q)
        ));
    }
    IntakeError::NoText(format!(
        "the PDF's text does not read as Chinese ({}, {} of {} characters Han); {next}",
        why_poor(reading, q),
        q.han,
        q.chars
    ))
}
