//! `huibian fmt`: a source file → the same file in canonical form.
//!
//! What changes, and only this (DESIGN.md, "Numbering and headings"):
//! - numbering markers in canonical width (`(一)` → `（一）`, `1、` → `1.`, one
//!   full-width space after `第X条`);
//! - a numbered line that stands alone becomes an ATX heading at its rank's level,
//!   a numbered heading that goes on with text becomes a paragraph again;
//! - half-width punctuation and spaces in CJK text ([`crate::normalize`]), the
//!   front matter's title included (where a joint document's issuers keep the
//!   space between them, [`crate::normalize::normalize_title`]);
//! - front matter keys in a fixed order; one blank line between blocks; one final
//!   newline (BOM and CRLF are gone since reading).
//!
//! Blocks with links, code or HTML keep their text as written (their syntax is not
//! prose), and so does everything that is not a paragraph or heading: lists, tables,
//! quotes, code. With `renumber`, sequences are repaired to 1, 2, 3… under each parent.
//! Formatting is a pure function of the text, so it is idempotent by test.

pub mod files;
pub(crate) mod yaml;

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use crate::cjk::is_cjk;
use crate::edition::front_matter::{self, FrontMatter, TextMatter};
use crate::markdown;
use crate::normalize::{normalize_text, normalize_title};
use crate::numbering::{self, Variant, document::plan, recognize};

/// What kind of file is being formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A policy: front matter with at least a title is required.
    Policy,
    /// An intro or a category body: front matter optional.
    Text,
}

/// Formatting choices.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Repair numbering sequences (numbering is legal text: only on request).
    pub renumber: bool,
}

/// The formatted text and what `renumber` changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    /// The file's new text.
    pub text: String,
    /// Markers renumbered: (1-based line in the original file, old marker, new marker).
    pub renumbered: Vec<(usize, String, String)>,
    /// Why renumbering was skipped, if it was asked for and not done.
    pub renumber_skipped: Option<&'static str>,
}

/// Why a file cannot be formatted (it is left untouched).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The opening `---` has no closing one.
    #[error("front matter is not closed")]
    Unclosed,
    /// The front matter does not parse.
    #[error("front matter: {0}")]
    Yaml(String),
    /// A policy file without front matter.
    #[error("policy file has no front matter")]
    NoFrontMatter,
}

/// Formats one file's text.
pub fn format(
    text: &str,
    role: Role,
    options: Options,
) -> Result<Formatted, FormatError> {
    let split = front_matter::split(text).map_err(|_| FormatError::Unclosed)?;
    let yaml = split.yaml.as_ref().map(|range| &text[range.clone()]);
    let (head, title, excerpt) = match (role, yaml) {
        (Role::Policy, None) => return Err(FormatError::NoFrontMatter),
        (Role::Policy, Some(yaml)) => {
            let mut matter: FrontMatter = crate::edition::front_matter::parse(yaml)
                .map_err(|e| FormatError::Yaml(front_matter::error_message(&e)))?;
            // A title is text like the body, save the spaces between a joint
            // document's issuers at its start.
            matter.title = normalize_title(&matter.title);
            let head =
                if keeps_verbatim(yaml) { verbatim(yaml) } else { yaml::policy(&matter) };
            (head, matter.title.clone(), matter.excerpt)
        }
        (Role::Text, Some(yaml)) => {
            let mut matter: TextMatter = crate::edition::front_matter::parse(yaml)
                .map_err(|e| FormatError::Yaml(front_matter::error_message(&e)))?;
            matter.title = matter.title.map(|t| normalize_title(&t));
            let head =
                if keeps_verbatim(yaml) { verbatim(yaml) } else { yaml::text(&matter) };
            (head, matter.title.unwrap_or_default(), false)
        }
        (Role::Text, None) => (String::new(), String::new(), false),
    };
    let body_start = split.body_start;
    let first_body_line = text[..body_start].matches('\n').count() + 1;
    let renumber = options.renumber && !excerpt;
    let (body, renumbered) =
        format_body(&text[body_start..], &title, renumber, first_body_line);
    let mut out = head;
    // With no front matter written, a body opening with a `---` line (a thematic
    // break) would be read back as the opening fence of one: a blank line keeps it body.
    if out.is_empty() && body.split('\n').next().is_some_and(|l| l.trim_end() == "---") {
        out.push('\n');
    }
    out.push_str(&body);
    Ok(Formatted {
        text: out,
        renumbered,
        renumber_skipped: (options.renumber && excerpt)
            .then_some("an excerpt (excerpt: true): its gaps are expected"),
    })
}

/// Comments in front matter cannot be re-emitted; such a header is kept as written.
fn keeps_verbatim(yaml: &str) -> bool {
    yaml.lines().any(|l| l.trim_start().starts_with('#'))
}

fn verbatim(yaml: &str) -> String {
    format!("---\n{yaml}---\n")
}

/// What ends a line or a block without being text: ASCII blanks only (a full-width
/// space is text to Markdown).
const BLANK: [char; 4] = ['\n', ' ', '\t', '\r'];

/// A top-level block of the body.
struct Piece {
    range: Range<usize>,
    kind: PieceKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    Para,
    /// An ATX heading with its level; setext headings are `Other`.
    Heading(u8),
    /// Anything kept verbatim.
    Other,
}

/// The body's top-level blocks, and any text between them that produced no block
/// (link reference definitions), so that nothing is lost.
fn pieces(body: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(body, markdown::OPTIONS).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    let kind = match tag {
                        Tag::Paragraph => PieceKind::Para,
                        Tag::Heading { level, .. }
                            if body[range.clone()].starts_with('#') =>
                        {
                            PieceKind::Heading(level as u8)
                        }
                        _ => PieceKind::Other,
                    };
                    out.push(Piece { range: range.clone(), kind });
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(Piece { range, kind: PieceKind::Other }),
            _ => {}
        }
    }
    // A block's range may start after its indentation (indented code): take the
    // indentation along, it is part of the block's syntax.
    for piece in &mut out {
        let line_start = body[..piece.range.start].rfind('\n').map_or(0, |i| i + 1);
        if body[line_start..piece.range.start].chars().all(|c| c == ' ' || c == '\t') {
            piece.range.start = line_start;
        }
    }
    // Keep non-blank text the parser did not turn into blocks.
    let mut all = Vec::with_capacity(out.len());
    let mut cursor = 0;
    for piece in out {
        if piece.range.start > cursor
            && !body[cursor..piece.range.start].trim().is_empty()
        {
            all.push(Piece { range: cursor..piece.range.start, kind: PieceKind::Other });
        }
        cursor = cursor.max(piece.range.end);
        all.push(piece);
    }
    if cursor < body.len() && !body[cursor..].trim().is_empty() {
        all.push(Piece { range: cursor..body.len(), kind: PieceKind::Other });
    }
    all
}

/// A paragraph or heading being rewritten.
struct Prose {
    piece: usize,
    /// The block's lines, canonical and without their indentation.
    lines: Vec<String>,
    /// Each line's indentation as written, kept only where it is needed
    /// ([`paragraph_text`]); empty where the lines were joined or rewritten.
    indents: Vec<String>,
    heading: Option<u8>,
    /// Line of the block in the original file.
    line: usize,
}

/// Formats the body of a file (without its front matter): collects its paragraphs
/// and headings, plans their numbering, rewrites them, and keeps as written whatever
/// would not read back as what it was.
fn format_body(
    body: &str,
    title: &str,
    renumber: bool,
    first_line: usize,
) -> (String, Vec<(usize, String, String)>) {
    let pieces = pieces(body);
    let mut prose = collect_prose(body, &pieces, first_line);

    // Numbering plan over the canonical texts.
    let joined: Vec<String> = prose.iter().map(|p| join_lines(&p.lines)).collect();
    let texts: Vec<&str> = joined.iter().map(String::as_str).collect();
    let plan = plan(title, &texts);
    let renumbered =
        if renumber { renumber_prose(&mut prose, &plan) } else { Vec::new() };
    for numbered in &plan.numbered {
        prose[numbered.block].heading = numbered.heading;
    }

    let as_written: Vec<String> = pieces
        .iter()
        .map(|p| {
            body[p.range.clone()]
                .trim_start_matches('\n')
                .trim_end_matches(BLANK)
                .to_string()
        })
        .collect();
    let (mut rendered, written) = render_prose(&prose, &as_written);
    keep_unreadable_pieces(&mut rendered, &as_written, &written, &prose);
    let expected = expected_kinds(&pieces, &rendered, &as_written, &written, &prose);
    let mut out =
        rendered.into_iter().filter(|r| !r.is_empty()).collect::<Vec<_>>().join("\n\n");
    // The whole-body guard: pieces joined anew can read differently together (a link
    // reference definition before an empty list item). Then the body stays as written.
    if !reads_as(&out, &expected) {
        out = body.trim_end_matches(BLANK).to_string();
    }
    if !out.is_empty() {
        out.push('\n');
    }
    (out, renumbered)
}

/// The paragraphs (split where a numbered item was run into the one before) and
/// headings of a body, with their canonical lines.
fn collect_prose(body: &str, pieces: &[Piece], first_line: usize) -> Vec<Prose> {
    let mut prose: Vec<Prose> = Vec::new();
    for (index, piece) in pieces.iter().enumerate() {
        let raw = body[piece.range.clone()].trim_end_matches(BLANK);
        let line = first_line + body[..piece.range.start].matches('\n').count();
        match piece.kind {
            PieceKind::Para => {
                for (offset, part) in split_items(raw) {
                    prose.push(Prose {
                        piece: index,
                        indents: part.lines().map(indentation).collect(),
                        lines: prose_lines(&part),
                        heading: None,
                        line: line + offset,
                    });
                }
            }
            PieceKind::Heading(level) => {
                let lines = prose_lines(&heading_text(raw));
                prose.push(Prose {
                    piece: index,
                    lines,
                    indents: Vec::new(),
                    heading: Some(level),
                    line,
                });
            }
            PieceKind::Other => continue,
        }
    }
    prose
}

/// A line's indentation as written (nothing for a line of blanks).
fn indentation(line: &str) -> String {
    let line = line.trim_end_matches([' ', '\t']);
    line[..line.len() - line.trim_start_matches([' ', '\t']).len()].to_string()
}

/// Repairs the numbering sequences of the plan in the blocks' first lines; returns
/// what changed as (line, old marker, new marker).
fn renumber_prose(
    prose: &mut [Prose],
    plan: &numbering::document::Plan,
) -> Vec<(usize, String, String)> {
    let mut renumbered = Vec::new();
    let markers = plan.markers();
    for (item, value) in numbering::renumber(&markers, plan.hierarchy) {
        let numbered = &plan.numbered[item];
        let block = &mut prose[numbered.block];
        // The plan numbered the block's joined text; a marker broken over lines
        // (`(一` / `)…`) is only whole there, so the block is rewritten joined.
        let joined = join_lines(&block.lines);
        let same_marker =
            match (block.lines.first().and_then(|l| recognize(l)), recognize(&joined)) {
                (Some(a), Some(b)) => a.kind == b.kind && a.value == b.value,
                _ => false,
            };
        if !same_marker {
            block.lines = vec![joined];
            block.indents.clear();
        }
        let Some(first) = block.lines.first_mut() else { continue };
        let Some(marker) = recognize(first) else { continue };
        // A new marker that Markdown would read as syntax (`771．` alone → `1.`, an
        // ordered list item) is left for the editor: it would change the structure.
        if let Some(new) = numbering::rewrite(first, &marker, value)
            .filter(|new| numbered.heading.is_some() || single_paragraph(new))
        {
            let old_marker =
                first.get(marker.range.clone()).unwrap_or("").trim().to_string();
            let new_marker = numbering::canonical_text(marker.kind, value);
            renumbered.push((block.line, old_marker, new_marker));
            *first = new;
        }
    }
    renumbered
}

/// Each piece's new text (the paragraphs or headings made of it, a blank line
/// apart), and whether it was rewritten; pieces that are not prose stay as written.
fn render_prose(prose: &[Prose], as_written: &[String]) -> (Vec<String>, Vec<bool>) {
    let mut rendered = as_written.to_vec();
    let mut written = vec![false; as_written.len()];
    for block in prose {
        let text = match block.heading {
            Some(level) => {
                let line = heading_line(&block.lines);
                // Text ending in `#` needs an explicit closing sequence, or Markdown
                // would take its `#`s for one and drop them.
                let close = if line.ends_with('#') { " #" } else { "" };
                format!("{} {line}{close}", "#".repeat(level.into()))
            }
            None => paragraph_text(&block.lines, &block.indents),
        };
        let slot = &mut rendered[block.piece];
        if std::mem::replace(&mut written[block.piece], true) {
            slot.push_str("\n\n");
            slot.push_str(&text);
        } else {
            *slot = text;
        }
    }
    (rendered, written)
}

/// The last guard: a rewritten piece must read back as the paragraphs and headings
/// it was made of. Where Markdown would read it otherwise (lines that together start
/// a block no rule above foresaw), it is kept as written.
fn keep_unreadable_pieces(
    rendered: &mut [String],
    as_written: &[String],
    written: &[bool],
    prose: &[Prose],
) {
    for (index, text) in rendered.iter_mut().enumerate() {
        if !written[index] {
            continue;
        }
        let expected = prose.iter().filter(|b| b.piece == index).count();
        let again = self::pieces(text);
        if again.len() != expected || again.iter().any(|p| p.kind == PieceKind::Other) {
            text.clone_from(&as_written[index]);
        }
    }
}

/// What the rewritten body must read back as, piece by piece.
fn expected_kinds(
    pieces: &[Piece],
    rendered: &[String],
    as_written: &[String],
    written: &[bool],
    prose: &[Prose],
) -> Vec<PieceKind> {
    let mut expected = Vec::new();
    for (index, piece) in pieces.iter().enumerate() {
        if written[index] && rendered[index] != as_written[index] {
            for block in prose.iter().filter(|b| b.piece == index) {
                expected.push(block.heading.map_or(PieceKind::Para, PieceKind::Heading));
            }
        } else if !rendered[index].is_empty() {
            expected.push(piece.kind);
        }
    }
    expected
}

/// Whether `out` reads as the `expected` pieces (headings of any level count alike).
fn reads_as(out: &str, expected: &[PieceKind]) -> bool {
    let kinds: Vec<PieceKind> = self::pieces(out).iter().map(|p| p.kind).collect();
    kinds.len() == expected.len()
        && kinds.iter().zip(expected).all(|(got, want)| {
            got == want
                || matches!((got, want), (PieceKind::Heading(_), PieceKind::Heading(_)))
        })
}

/// Splits a paragraph where a line starts with a numbering marker right after a line
/// that ends a sentence: the editor meant a new numbered item, and the PDF would
/// otherwise run the two together. Returns each part's text with its line offset.
///
/// Parts are split before they are normalised, so that each is normalised (or kept,
/// when it holds markup) on its own, as it will be once it stands alone: a part that
/// borrowed the verdict of its neighbour would change again at the next `fmt`.
fn split_items(raw: &str) -> Vec<(usize, String)> {
    let mut parts: Vec<(usize, String)> = Vec::new();
    for (index, line) in raw.lines().enumerate() {
        let starts_item = recognize(line).is_some_and(|m| m.kind.is_structural());
        // Judged on the normalised line: `落实;` ends a sentence once it reads `落实；`.
        let after_sentence =
            parts.last().and_then(|(_, part)| part.lines().last()).is_some_and(|prev| {
                normalize_text(prev.trim_end()).ends_with(['。', '；', '：', '！', '？'])
            });
        match parts.last_mut() {
            Some((_, part)) if !(starts_item && after_sentence) => {
                part.push('\n');
                part.push_str(line);
            }
            _ => parts.push((index, line.to_string())),
        }
    }
    parts
}

/// The text of an ATX heading without its `#`s (opening and closing).
fn heading_text(raw: &str) -> String {
    let text = raw.trim_start_matches('#').trim();
    let without_closing = text.trim_end_matches('#');
    if without_closing.len() < text.len() && without_closing.ends_with(' ') {
        without_closing.trim_end().to_string()
    } else {
        text.to_string()
    }
}

/// A block's lines in canonical form: the marker of the first line canonical, text
/// normalised where the block is plain prose, trailing spaces gone (except the two
/// that make a hard line break).
fn prose_lines(content: &str) -> Vec<String> {
    let plain = !content.contains(['`', '[', ']', '<', '>', '\\']);
    let raw: Vec<&str> = content.lines().collect();
    let last = raw.len().saturating_sub(1);
    raw.iter()
        .enumerate()
        .map(|(index, line)| {
            let hard_break = index < last && line.ends_with("  ");
            // Only ASCII blanks: a full-width space is text in Markdown (and editors'
            // pasted indentation), not a line end.
            let line = line.trim_end_matches([' ', '\t']);
            let line = line.trim_start_matches([' ', '\t']);
            let mut out =
                if index == 0 { canonical_marker(line) } else { line.to_string() };
            if plain {
                let skip = if index == 0 {
                    recognize(&out).map_or(0, |m| m.range.end)
                } else {
                    0
                };
                let (head, rest) = out.split_at(skip.min(out.len()));
                out = format!("{head}{}", normalize_text(rest));
            }
            if hard_break {
                out.push_str("  ");
            }
            out
        })
        .collect()
}

/// A paragraph's final text. A continuation line's indent is dropped (Markdown
/// ignores it) unless the line as written out, without it, would start a block of its
/// own (`    - x` → a list item); judged on the final lines, after normalising (which
/// can remove the space that made one: `+   段` → `+段`) and renumbering. Lines that
/// start no block one by one can together (`|a|` over `-|` is a table): then every
/// continuation line keeps its indent, as it was a paragraph as written.
fn paragraph_text(lines: &[String], indents: &[String]) -> String {
    let render = |keep_all: bool| {
        let mut out = String::new();
        for (index, line) in lines.iter().enumerate() {
            if index > 0 {
                out.push('\n');
                let indent = indents.get(index).map_or("", String::as_str);
                if keep_all || interrupts_paragraph(line) {
                    out.push_str(indent);
                }
            }
            out.push_str(line);
        }
        out
    };
    let text = render(false);
    if lines.len() > 1 && !single_paragraph(&text) { render(true) } else { text }
}

/// Whether `line`, unindented, would end the paragraph it continues and start a new
/// block (a list item, quote, heading, fence, rule or HTML block) or make it a
/// setext heading. Asked of the Markdown
/// parser itself rather than of a list of block starts kept by hand.
fn interrupts_paragraph(line: &str) -> bool {
    !single_paragraph(&format!("x\n{line}"))
}

/// Whether Markdown reads `text` as one paragraph and nothing else.
fn single_paragraph(text: &str) -> bool {
    let text = format!("{text}\n");
    let mut depth = 0usize;
    let mut blocks = 0usize;
    for event in Parser::new_ext(&text, markdown::OPTIONS) {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    // A setext underline (`---`, `===`) turns the paragraph into a
                    // heading: one block, but not a paragraph.
                    blocks += if matches!(tag, Tag::Paragraph) { 1 } else { 2 };
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ if depth == 0 => blocks += 1,
            _ => {}
        }
    }
    blocks == 1
}

/// The line with its marker rewritten canonically, unless that would change a Han
/// character or a digit (`一十一` spelled differently, `⑴` read as `（1）`): those stay
/// for an editor to decide, `check` reports them.
///
/// A bare `2、` stays too: rewritten as `2.` with nothing after it, Markdown would read
/// an ordered list item, and the text would change structure; so does a `2、` that the
/// canonical form would have to follow with a space.
fn canonical_marker(line: &str) -> String {
    let Some((new, marker)) = numbering::canonicalize(line) else {
        return line.to_string();
    };
    let changes_text = marker
        .issues
        .iter()
        .any(|v| matches!(v, Variant::NumeralSpelling | Variant::EnclosedCharacter));
    let arabic = marker.kind == numbering::MarkerKind::Arabic;
    let bare_arabic =
        arabic && line.get(marker.range.end..).is_none_or(|rest| rest.trim().is_empty());
    // `2、 2.5亿元` needs its space to stay a marker (`2.2.5亿元` is none), and `2. 2.5亿元`
    // is a Markdown list item: it stays as written too.
    let canonical = numbering::canonical_text(marker.kind, marker.value);
    let spaced_arabic = arabic
        && new
            .trim_start()
            .strip_prefix(canonical.as_str())
            .is_some_and(|r| r.starts_with(' '));
    if changes_text || bare_arabic || spaced_arabic { line.to_string() } else { new }
}

/// A heading's one line: its lines joined, then made canonical as a whole (joining
/// can bring a marker and its text together).
fn heading_line(lines: &[String]) -> String {
    prose_lines(&join_lines(lines)).into_iter().next().unwrap_or_default()
}

/// Lines joined as a reader sees them: nothing at a break next to CJK text, a space
/// between Latin words.
fn join_lines(lines: &[String]) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.trim();
        if let (Some(a), Some(b)) = (out.chars().last(), line.chars().next())
            && !is_cjk(a)
            && !is_cjk(b)
        {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests;
