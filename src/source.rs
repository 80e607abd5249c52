//! Source files as huibian read them: the text of every manifest and Markdown file,
//! kept in one store so that any stage can point back at `file:line:column`.
//!
//! A leaf: it knows files, offsets and lines, and nothing of findings. Bytes become
//! text in [`crate::encoding`], which reports what it had to repair.

use std::borrow::Cow;
use std::ops::Range;
use std::path::PathBuf;

use codespan_reporting::files::{Error as FilesError, Files};

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceId(usize);

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
        let id = SourceId(self.files.len());
        self.files.push(SourceFile::new(path, text));
        id
    }

    /// The file behind an id.
    pub fn get(&self, id: SourceId) -> &SourceFile {
        &self.files[id.0]
    }

    /// Shows the files read under `from` as if they were under `to`: `add` checks a
    /// staged copy of an edition, and the editor must see the edition's own paths.
    pub fn rebase(&mut self, from: &std::path::Path, to: &std::path::Path) {
        for file in &mut self.files {
            if let Ok(rest) = file.path.strip_prefix(from) {
                file.path = to.join(rest);
            }
        }
    }

    /// `path:line:column` of a span's start, the form editors and terminals link.
    pub fn locate(&self, span: &Span) -> String {
        let file = self.get(span.source);
        let (line, col) = file.line_col(span.range.start);
        format!("{}:{}:{}", file.path.display(), line, col)
    }
}

/// The explicit embeddings, overrides and isolates of Unicode's bidi algorithm, and
/// the marks: invisible, and able to reorder what is printed.
pub fn is_bidi_control(c: char) -> bool {
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

/// What diagnostics print of a file: its text and name as they are, except for
/// characters that would drive the terminal (escape sequences, the bidi overrides of
/// "Trojan source"). Each is replaced by a character of the same UTF-8 length, so
/// every byte offset and column stays right.
impl<'a> Files<'a> for Sources {
    type FileId = SourceId;
    type Name = String;
    type Source = Cow<'a, str>;

    fn name(&'a self, id: SourceId) -> Result<String, FilesError> {
        let file = self.files.get(id.0).ok_or(FilesError::FileMissing)?;
        Ok(printable(&file.path.display().to_string()).into_owned())
    }

    fn source(&'a self, id: SourceId) -> Result<Cow<'a, str>, FilesError> {
        let file = self.files.get(id.0).ok_or(FilesError::FileMissing)?;
        Ok(printable(&file.text))
    }

    fn line_index(
        &'a self,
        id: SourceId,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let file = self.files.get(id.0).ok_or(FilesError::FileMissing)?;
        Ok(file.line_starts.partition_point(|&s| s <= byte_index).saturating_sub(1))
    }

    fn line_range(
        &'a self,
        id: SourceId,
        line_index: usize,
    ) -> Result<Range<usize>, FilesError> {
        let file = self.files.get(id.0).ok_or(FilesError::FileMissing)?;
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
}
