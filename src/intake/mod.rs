//! INTAKE: a policy as it was published (a saved web page, a Word file, a PDF) →
//! an [`Intake`]: its metadata with where each field was read, and its body as plain
//! paragraphs, tables and images.
//!
//! One reader per kind of input, each a pure function of the bytes it is given
//! ([`html`], [`mhtml`], [`docx`], [`pdf`]); [`sniff`] picks the reader from the
//! content, never from the file name. The readers only read: they do not normalise
//! punctuation or numbering, and they do not write Markdown. `huibian add`
//! ([`crate::add`]) lifts the 文号, issuer and dates out of the body ([`meta`]),
//! writes the Markdown and formats it with the same code as `fmt`, so that an added
//! file is canonical by construction.
//!
//! Everything here is hostile until checked: inputs are bounded in size before they
//! are parsed ([`limits`]), archive paths never become file paths, and a reader that
//! cannot read its input says why in an [`IntakeError`], never with a panic and never
//! with an empty policy.

pub mod docx;
pub mod html;
pub mod limits;
pub mod meta;
pub mod mhtml;
pub mod pdf;
pub mod sniff;

use std::fmt;

/// What a reader made of one input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Intake {
    /// What the input was, for the report (`首都之窗 policy page`, `Word document`…).
    pub format: String,
    /// Metadata the input states outside the body (a page's metadata table, a PDF's
    /// document info). Fields the body itself suggests are found later, by [`meta`].
    pub fields: Fields,
    /// The article body in reading order: no site navigation, no chrome.
    pub blocks: Vec<Block>,
    /// Image files the body shows, to be copied into the edition's `assets/`.
    pub assets: Vec<Asset>,
    /// What the reader dropped, doubted or could not read, for the editor to check.
    pub notes: Vec<String>,
}

/// Metadata fields, each with where it was read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    /// The full title.
    pub title: Option<Found<String>>,
    /// 发文机关: one or more issuing bodies (joint issuance lists all, lead first).
    pub issuer: Option<Found<Vec<String>>>,
    /// 文号 as written in the input; [`meta::normalise_number`] makes it canonical.
    pub number: Option<Found<String>>,
    /// 成文日期, `YYYY-MM-DD`.
    pub date: Option<Found<String>>,
    /// 发布日期, `YYYY-MM-DD`.
    pub published: Option<Found<String>>,
    /// 实施日期 / 施行日期, `YYYY-MM-DD`.
    pub effective: Option<Found<String>>,
    /// 废止日期 / 有效期至, `YYYY-MM-DD`.
    pub expires: Option<Found<String>>,
    /// Where the document was published: the page's address.
    pub source: Option<Found<String>>,
}

/// A value and the place in the input it was read from, in words the editor can
/// check against the input (`the page's metadata table (发文字号)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> {
    /// The value.
    pub value: T,
    /// Where it was read.
    pub from: String,
}

impl<T> Found<T> {
    /// A value read from `from`.
    pub fn new(value: T, from: impl Into<String>) -> Self {
        Found { value, from: from.into() }
    }
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph of plain text, as the input writes it (markers, punctuation and
    /// spacing not yet normalised; `add` does that with `fmt`'s code). Soft line
    /// breaks inside a paragraph are already joined; a hard break (`<br>`, Word's
    /// `w:br`) ends the paragraph.
    Para(String),
    /// A table; cells may span rows and columns.
    Table(Table),
    /// An image, by the name of its file in [`Intake::assets`].
    Image {
        /// The asset's file name (no folders).
        asset: String,
        /// Alternative text (the page's `alt`, Word's `descr`), possibly empty.
        alt: String,
    },
}

/// A table as the input lays it out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Rows of cells. A cell covered by another's span is not listed: each row lists
    /// only the cells that start in it, left to right.
    pub rows: Vec<Vec<Cell>>,
    /// How many leading rows are the table's head (`<thead>`/`<th>`, Word's
    /// `tblHeader`); 0 when the input does not say.
    pub header_rows: usize,
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The cell's text; paragraphs inside a cell are joined with a line break (`\n`).
    pub text: String,
    /// Columns the cell covers, at least 1.
    pub colspan: u32,
    /// Rows the cell covers, at least 1.
    pub rowspan: u32,
}

impl Cell {
    /// A cell covering one row and one column.
    pub fn new(text: impl Into<String>) -> Self {
        Cell { text: text.into(), colspan: 1, rowspan: 1 }
    }
}

/// An image file from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// A file name safe in any folder: ASCII letters, digits, `-`, `_`, one `.` and a
    /// known image extension (png, jpg, gif, svg, …). Readers make it with
    /// [`limits::asset_name`].
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Why an input could not be read. Nothing is written when a reader fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    /// The input is larger than [`limits`] allows for its kind.
    #[error("{what} is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// What is too large (`the page`, `word/document.xml once unpacked`).
        what: String,
        /// Its size (or the size reached when reading stopped).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The input's kind is not one `add` reads.
    #[error("not a saved web page, Word file or PDF ({0})")]
    Unknown(String),
    /// The input is damaged or not what its content first suggested.
    #[error("{0}")]
    Malformed(String),
    /// The input holds no article text (an empty page, an image-only PDF…).
    #[error("{0}")]
    NoText(String),
    /// Reading needs a program that is not installed.
    #[error("{0}")]
    MissingTool(String),
}

impl IntakeError {
    /// A malformed-input error from anything that can be shown.
    pub fn malformed(message: impl fmt::Display) -> Self {
        IntakeError::Malformed(message.to_string())
    }
}

/// Where a saved page's own images are: `<stem>_files/` beside it (the folder
/// browsers save), or the page's own folder; references are confined to it.
#[derive(Debug)]
struct SavedPageFolder {
    folders: Vec<std::path::PathBuf>,
}

impl SavedPageFolder {
    fn beside(page: &std::path::Path) -> Self {
        let parent = page.parent().unwrap_or(std::path::Path::new("."));
        let stem = page.file_stem().map(|s| s.to_string_lossy().into_owned());
        let mut folders = Vec::new();
        if let Some(stem) = stem {
            folders.push(parent.join(format!("{stem}_files")));
            folders.push(parent.join(format!("{stem}.files")));
        }
        folders.push(parent.to_path_buf());
        SavedPageFolder { folders }
    }
}

impl html::Resources for SavedPageFolder {
    fn fetch(&self, reference: &str) -> Option<Vec<u8>> {
        // Only a relative reference made of plain names: no scheme, no absolute path,
        // no `..`; percent-decoded as browsers save them.
        if reference.contains(':') || reference.starts_with(['/', '\\']) {
            return None;
        }
        let reference = reference.split(['?', '#']).next()?;
        let decoded =
            percent_encoding::percent_decode_str(reference).decode_utf8().ok()?;
        // `.` names the folder it stands in (`./x_files/a.png`): dropped, not refused.
        let parts: Vec<&str> =
            decoded.split(['/', '\\']).filter(|p| !p.is_empty() && *p != ".").collect();
        if parts.is_empty() || parts.iter().any(|p| *p == ".." || p.contains('\0')) {
            return None;
        }
        // `./x_files/a.png` names the folder itself; a bare `a.png` is inside it.
        for folder in &self.folders {
            let mut candidates = vec![folder.join(parts.join("/"))];
            if let Some(last) = parts.last() {
                candidates.push(folder.join(last));
            }
            for path in candidates {
                // A missing candidate is no answer yet: the next folder may hold it.
                let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
                if meta.is_file() && meta.len() <= limits::MAX_ASSET {
                    return std::fs::read(&path).ok();
                }
            }
        }
        None
    }
}

/// Reads one input file with the reader its content calls for.
pub fn read_file(path: &std::path::Path) -> Result<Intake, IntakeError> {
    let largest = limits::MAX_PDF.max(limits::MAX_MHTML).max(limits::MAX_DOCX);
    let bytes = limits::read_bounded(path, largest, "the file")?;
    let Some(kind) = sniff::sniff(&bytes) else {
        return Err(IntakeError::Unknown(
            "its content is none of HTML, MHTML, .docx, .doc/.wps or PDF".into(),
        ));
    };
    match kind {
        sniff::Kind::Html => {
            limits::check_size(bytes.len() as u64, limits::MAX_PAGE, "the page")?;
            html::read(&bytes, &SavedPageFolder::beside(path))
        }
        sniff::Kind::Mhtml => {
            limits::check_size(bytes.len() as u64, limits::MAX_MHTML, "the archive")?;
            mhtml::read(&bytes)
        }
        sniff::Kind::Docx => {
            limits::check_size(bytes.len() as u64, limits::MAX_DOCX, "the Word file")?;
            docx::read(&bytes)
        }
        sniff::Kind::LegacyWord => {
            limits::check_size(bytes.len() as u64, limits::MAX_DOCX, "the Word file")?;
            let converted = docx::convert_legacy(path)?;
            let mut intake = docx::read(&converted)?;
            intake.format =
                format!("{} (converted from .doc/.wps by LibreOffice)", intake.format);
            Ok(intake)
        }
        sniff::Kind::Pdf => pdf::read(path, &bytes),
        sniff::Kind::OtherZip => Err(IntakeError::Unknown(
            "a zip archive without a Word document in it (an .xlsx or .pptx?)".into(),
        )),
    }
}
