//! Text findings: half-width punctuation and stray spaces in CJK text (which `fmt`
//! repairs), and brackets or quotes opened and never closed (which it cannot). A
//! policy's title is checked like its text, save the spaces that separate a joint
//! document's issuers at its start ([`crate::normalize::normalize_title`]).

use crate::book::{BlockMarker, Markers, Policy};
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::front_matter::find_key;
use crate::markdown::{Block, Doc, Inline, InlineKind};
use crate::normalize::{normalize_text, normalize_title};
use crate::source::{Sources, Span};

/// Pairs that must balance inside one paragraph.
const PAIRS: &[(char, char)] = &[
    ('（', '）'),
    ('《', '》'),
    ('“', '”'),
    ('‘', '’'),
    ('〔', '〕'),
    ('【', '】'),
    ('「', '」'),
];

/// Checks every paragraph and heading of a document.
pub(super) fn check_doc(
    doc: &Doc,
    markers: &Markers,
    sources: &Sources,
    diags: &mut Diagnostics,
) {
    walk(&doc.blocks, &mut |block, content| {
        let (Some(first), Some(last)) = (content.first(), content.last()) else { return };
        let span =
            Span::new(first.span.source, first.span.range.start..last.span.range.end);
        let Some(text) = sources.get(span.source).text.get(span.range.clone()) else {
            return;
        };
        if !has_markup(content) {
            let skip = markers.of(block).map_or(0, |m| marker_len(m, text, &span));
            check_normalised(text, skip, &span, normalize_text, diags);
        }
        check_balance(text, &span, diags);
        if let Some(at) = text.find(crate::scaffold::TODO_OPEN) {
            let start = span.range.start + at;
            diags.push(
                Diagnostic::warning(
                    "todo-marker",
                    "a date marked for revision by `huibian new`",
                )
                .with_span(Span::new(
                    span.source,
                    start..start + crate::scaffold::TODO_OPEN.len(),
                ))
                .with_hint("write this quarter's date and remove the 【待核：…】 marker"),
            );
        }
    });
}

/// Checks a policy's title as it stands in its front matter (`title: …`): the width
/// of its punctuation and its spaces, as `fmt` writes it. A title written otherwise
/// (quoted, escaped, folded) is compared as read, at the start of its line.
pub(super) fn check_title(policy: &Policy, sources: &Sources, diags: &mut Diagnostics) {
    let title = &policy.meta.title;
    if normalize_title(title) == *title {
        return;
    }
    let file = sources.get(policy.source);
    let Some(line) = find_key(&file.text, "title") else { return };
    let at = file.text[line.clone()]
        .find(title.as_str())
        .map_or(line.start, |i| line.start + i);
    let span = Span::new(policy.source, at..at + title.len());
    check_normalised(title, 0, &span, normalize_title, diags);
}

fn walk<'a>(blocks: &'a [Block], visit: &mut impl FnMut(&'a Block, &'a [Inline])) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Para { content, .. } => {
                visit(block, content)
            }
            Block::List { items, .. } => items.iter().for_each(|item| walk(item, visit)),
            Block::Quote { blocks, .. } => walk(blocks, visit),
            _ => {}
        }
    }
}

/// Links and code carry syntax (URLs, code) that text rules must not touch.
fn has_markup(content: &[Inline]) -> bool {
    content.iter().any(|inline| match &inline.kind {
        InlineKind::Link { .. } | InlineKind::Code(_) => true,
        InlineKind::Strong(c) | InlineKind::Emph(c) | InlineKind::Strike(c) => {
            has_markup(c)
        }
        _ => false,
    })
}

/// How many bytes at the start of `text` (a block's source from `span` on) its
/// marker takes, with the separator after it on the same line: `numbering` checks
/// those. Only what the source holds exactly as the plain text has it counts (not
/// markup, an entity or an escape before or inside the marker); 0 if nothing does.
fn marker_len(marker: &BlockMarker, text: &str, span: &Span) -> usize {
    let Some(start) = marker.span.range.start.checked_sub(span.range.start) else {
        return 0;
    };
    let in_line = marker.text.split('\n').next().unwrap_or_default();
    let holds = |written: &str| text.get(start..start + written.len()) == Some(written);
    if !text.get(..start).is_some_and(|indent| indent.trim().is_empty()) {
        0
    } else if holds(in_line) {
        start + in_line.len()
    } else if holds(in_line.trim_end()) {
        start + in_line.trim_end().len()
    } else {
        0
    }
}

/// Compares each line with its `normalised` form (the first `skip` bytes, the marker
/// at the start of the block, are `numbering`'s business).
fn check_normalised(
    text: &str,
    skip: usize,
    span: &Span,
    normalised: fn(&str) -> String,
    diags: &mut Diagnostics,
) {
    let mut offset = span.range.start;
    let mut punctuation = (0, None);
    let mut spaces = (0, None);
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end();
        let skip = if index == 0 { skip } else { 0 };
        let rest = body.get(skip..).unwrap_or("");
        let fixed = normalised(rest);
        if fixed != rest {
            let base = offset + skip;
            let mut fixed_chars = fixed.chars().peekable();
            let mut position = 0;
            for c in rest.chars() {
                if fixed_chars.peek() == Some(&c) {
                    fixed_chars.next();
                } else if c == ' ' {
                    spaces.0 += 1;
                    spaces.1.get_or_insert(base + position);
                } else {
                    fixed_chars.next();
                    punctuation.0 += 1;
                    punctuation.1.get_or_insert((base + position, c));
                }
                position += c.len_utf8();
            }
        }
        offset += line.len();
    }
    if let (count, Some((at, c))) = punctuation {
        diags.push(
            Diagnostic::warning(
                "half-width-punctuation",
                format!(
                    "{count} half-width punctuation mark(s) in Chinese text, first `{c}`"
                ),
            )
            .with_span(Span::new(span.source, at..at + c.len_utf8()))
            .with_hint("`huibian fmt` makes them full-width (，：；？！（）)"),
        );
    }
    if let (count, Some(at)) = spaces {
        diags.push(
            Diagnostic::warning("cjk-space", format!("{count} space(s) inside Chinese text"))
                .with_span(Span::new(span.source, at..at + 1))
                .with_hint("`huibian fmt` removes them; spacing around Latin text is the renderer's job"),
        );
    }
}

/// Reports the first bracket or quote of a paragraph that is never closed, or closed
/// without being opened.
fn check_balance(text: &str, span: &Span, diags: &mut Diagnostics) {
    let mut open: Vec<(char, usize)> = Vec::new();
    for (at, c) in text.char_indices() {
        if let Some(&(_, close)) = PAIRS.iter().find(|(o, _)| *o == c) {
            open.push((close, at));
        } else if PAIRS.iter().any(|(_, cl)| *cl == c) {
            match open.iter().rposition(|(close, _)| *close == c) {
                Some(index) => {
                    open.truncate(index);
                }
                None => {
                    report(diags, span, at, c, format!("`{c}` closes nothing"));
                    return;
                }
            }
        }
    }
    if let Some(&(close, at)) = open.first() {
        let c = text[at..].chars().next().unwrap_or(' ');
        report(
            diags,
            span,
            at,
            c,
            format!("`{c}` is never closed (no `{close}` in this paragraph)"),
        );
    }
}

fn report(diags: &mut Diagnostics, span: &Span, at: usize, c: char, message: String) {
    let start = span.range.start + at;
    diags.push(
        Diagnostic::warning("unbalanced", message)
            .with_span(Span::new(span.source, start..start + c.len_utf8())),
    );
}
