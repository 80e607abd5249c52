//! Source files as huibian read them: the text of every manifest and Markdown file,
//! kept in one store so that any stage can point back at `file:line:column`.
//!
//! Reading is where encoding problems are caught. Editors paste text from Word and
//! from web pages, so a byte-order mark or CRLF line endings are normalised here (with
//! a warning, since `fmt` will rewrite them) instead of failing the build; invalid
//! UTF-8 cannot be repaired and is an error pointing at the first bad byte.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::files::{Error as FilesError, Files};

use crate::diag::{Diagnostic, Diagnostics};

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceId(u32);

/// A byte range in one source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file.
    pub source: SourceId,
    /// Byte offsets into the file's (normalised) text.
    pub range: Range<usize>,
}

impl Span {
    /// A span in `source` covering `range`.
    pub fn new(source: SourceId, range: Range<usize>) -> Self {
        Self { source, range }
    }
}

/// One file's text, with the line index diagnostics need.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user should see it in messages (relative where possible).
    pub path: PathBuf,
    /// The text, UTF-8, with `\n` line endings and without a BOM.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { path, text, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (line + 1, column)
    }

    /// Byte offset of a 1-based line and column (in characters), clamped to the text.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let line_text = rest.split('\n').next().unwrap_or("");
        let byte = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        start + byte
    }
}

/// Every file read during one run.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds text that is already clean UTF-8 (e.g. a built-in template).
    pub fn add(&mut self, path: PathBuf, text: String) -> SourceId {
        let id = SourceId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile::new(path, text));
        id
    }

    /// Adds raw bytes read from `path`, normalising a BOM and CRLF (with warnings) and
    /// reporting invalid UTF-8 as an error. Returns `None` when the text is unusable;
    /// the file is stored anyway (lossily decoded) so the error can show its line.
    pub fn add_bytes(
        &mut self,
        path: &Path,
        bytes: Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Option<SourceId> {
        let mut bytes = bytes;
        let had_bom = bytes.starts_with(b"\xEF\xBB\xBF");
        if had_bom {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => {
                let had_cr = text.contains('\r');
                let text = if had_cr { normalise_newlines(&text) } else { text };
                let nul = text.find('\0');
                let id = self.add(path.to_path_buf(), text);
                if let Some(offset) = nul {
                    // No text file holds one: the file is damaged or not text at all,
                    // and Typst and browsers would each drop or show it differently.
                    diags.push(
                        Diagnostic::error("encoding", "file contains a NUL byte (U+0000)")
                            .with_span(Span::new(id, offset..offset + 1))
                            .with_hint("the file is damaged or not text: delete the character, or save the file again as UTF-8 text"),
                    );
                    return None;
                }
                if let Some(offset) = self.get(id).text.find(is_bidi_control) {
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
                if let Some((offset, c)) =
                    self.get(id).text.char_indices().find(|&(_, c)| is_stray_control(c))
                {
                    // Pasted text brings them: a form feed between the pages of a
                    // PDF's text, a vertical tab for each line break Word copies.
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
                        .with_hint("they are read as plain line breaks; `huibian fmt` rewrites them as LF"),
                    );
                }
                Some(id)
            }
            Err(err) => {
                let bad = err.utf8_error().valid_up_to();
                let bytes = err.into_bytes();
                let valid = String::from_utf8_lossy(&bytes[..bad]).into_owned();
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let id = self.add(path.to_path_buf(), normalise_newlines(&text));
                // The lossy text has the same prefix as the valid bytes, so `bad`
                // (less any CRs dropped before it) is the offset of the first bad byte.
                let offset = normalise_newlines(&valid).len();
                diags.push(
                    Diagnostic::error("encoding", "file is not valid UTF-8")
                        // The bad bytes read as one U+FFFD: the span covers all of
                        // it, so that it never splits a character of the text shown.
                        .with_span(Span::new(
                            id,
                            offset..offset + char::REPLACEMENT_CHARACTER.len_utf8(),
                        ))
                        .with_hint(
                            "save the file as UTF-8 (in Word: 另存为 → 纯文本 → UTF-8)",
                        ),
                );
                None
            }
        }
    }

    /// The file behind an id.
    pub fn get(&self, id: SourceId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// `path:line:column` of a span's start, the form editors and terminals link.
    pub fn locate(&self, span: &Span) -> String {
        let file = self.get(span.source);
        let (line, col) = file.line_col(span.range.start);
        format!("{}:{}:{}", file.path.display(), line, col)
    }
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

/// The explicit embeddings, overrides and isolates of Unicode's bidi algorithm, and
/// the marks: invisible, and able to reorder what is printed.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// `text` with control characters (other than line feed and tab) and bidirectional
/// formatting characters replaced by `?`, `¿` or `�`: the one of the same UTF-8 length.
pub fn printable(text: &str) -> Cow<'_, str> {
    let hostile =
        |c: char| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c);
    if !text.chars().any(hostile) {
        return Cow::Borrowed(text);
    }
    let replaced = text
        .chars()
        .map(|c| match (hostile(c), c.len_utf8()) {
            (false, _) => c,
            (true, 1) => '?',
            (true, 2) => '¿',
            (true, _) => '\u{FFFD}',
        })
        .collect();
    Cow::Owned(replaced)
}

fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// What diagnostics print of a file: its text and name as they are, except for
/// characters that would drive the terminal (escape sequences, the bidi overrides of
/// "Trojan source"). Each is replaced by a character of the same UTF-8 length, so
/// every byte offset and column stays right.
impl<'a> Files<'a> for Sources {
    type FileId = SourceId;
    type Name = String;
    type Source = Cow<'a, str>;

    fn name(&'a self, id: SourceId) -> Result<String, FilesError> {
        let file = self.files.get(id.0 as usize).ok_or(FilesError::FileMissing)?;
        Ok(printable(&file.path.display().to_string()).into_owned())
    }

    fn source(&'a self, id: SourceId) -> Result<Cow<'a, str>, FilesError> {
        let file = self.files.get(id.0 as usize).ok_or(FilesError::FileMissing)?;
        Ok(printable(&file.text))
    }

    fn line_index(
        &'a self,
        id: SourceId,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let file = self.files.get(id.0 as usize).ok_or(FilesError::FileMissing)?;
        Ok(file.line_starts.partition_point(|&s| s <= byte_index).saturating_sub(1))
    }

    fn line_range(
        &'a self,
        id: SourceId,
        line_index: usize,
    ) -> Result<Range<usize>, FilesError> {
        let file = self.files.get(id.0 as usize).ok_or(FilesError::FileMissing)?;
        let start =
            *file.line_starts.get(line_index).ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: file.line_starts.len() - 1,
            })?;
        let end =
            file.line_starts.get(line_index + 1).copied().unwrap_or(file.text.len());
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let mut sources = Sources::new();
        let id = sources.add("a.md".into(), "第一行\n第二行文字".into());
        let file = sources.get(id);
        let offset = file.text.find("文字").unwrap();
        assert_eq!(file.line_col(offset), (2, 4));
        assert_eq!(file.offset_of(2, 4), offset);
    }

    #[test]
    fn bom_and_crlf_are_normalised_with_warnings() {
        let mut sources = Sources::new();
        let mut diags = Diagnostics::default();
        let id = sources
            .add_bytes(Path::new("a.md"), b"\xEF\xBB\xBFa\r\nb\rc".to_vec(), &mut diags)
            .unwrap();
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
        assert!(sources.add_bytes(Path::new("a.md"), bytes, &mut diags).is_none());
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
