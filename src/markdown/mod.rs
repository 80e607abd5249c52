//! Stage 2, PARSE: a Markdown body → [`Doc`], with spans back into the file.
//!
//! Parsing cannot fail: pulldown-cmark accepts any text, and whatever the model has no
//! place for (raw HTML, footnotes, an image inside text) is kept as literal text so
//! nothing an editor wrote disappears from the book. Decisions made here for every
//! renderer: soft line breaks next to CJK characters vanish instead of becoming
//! spaces; nesting deeper than [`MAX_DEPTH`] is flattened (with a warning) so that no
//! later stage recurses without bound; a table's `<<` and `^^` cells become the
//! colspan and rowspan of the cell they continue ([`spans`]), and `<br>` in a cell a
//! line break; an image alone in its paragraph becomes a [`Block::Image`] (whose file
//! `book::assemble` checks, as only it knows the edition folder).

pub mod ir;
mod spans;

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

pub use self::ir::{Block, Cell, Doc, Inline, InlineKind, plain_text, table_columns};
use crate::cjk::is_cjk;
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::{SourceId, Sources, Span};

/// Deepest nesting of quotes, lists and inline styles kept as structure. Typst stops
/// at 64 levels of show rules and a block quote spends about four of them (16 nested
/// quotes fail to lay out), so 12 leaves room for the template's own rules; no policy
/// nests anywhere near this deep.
pub const MAX_DEPTH: usize = 12;

/// The Markdown an editor writes: CommonMark with tables and ~~strikethrough~~
/// (DESIGN.md, source format). Every reader of a body (the parser here, `fmt`) uses
/// these, so that they agree on where a block begins and ends.
pub const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH);

/// Parses the body `range` of a source file.
pub fn parse(
    sources: &Sources,
    source: SourceId,
    range: Range<usize>,
    diags: &mut Diagnostics,
) -> Doc {
    let text = &sources.get(source).text;
    let body = &text[range.clone()];
    let mut builder = Builder::new(source, range.start, body);
    for (event, span) in Parser::new_ext(body, OPTIONS).into_offset_iter() {
        builder.event(event, span);
    }
    for diagnostic in std::mem::take(&mut builder.diags) {
        diags.push(diagnostic);
    }
    if let Some(span) = builder.flattened_at.take() {
        diags.push(
            Diagnostic::warning(
                "deep-nesting",
                format!("nesting deeper than {MAX_DEPTH} levels is flattened"),
            )
            .with_span(span),
        );
    }
    builder.finish()
}

enum Kind {
    Root,
    Para,
    Heading(u8),
    Quote,
    List(Option<u64>),
    Item,
    Table,
    TableRow,
    TableCell,
    /// An image; its content is the alt text.
    Image(String),
    Code,
    Strong,
    Emph,
    Strike,
    Link(String),
    /// A container we keep the content of but not the structure (too deep, or a
    /// construct the model lacks): its children go to the parent.
    Transparent,
}

struct Frame {
    kind: Kind,
    start: usize,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    /// List items collected so far.
    items: Vec<Vec<Block>>,
    /// A table's rows, each with its cells as written (`<<` and `^^` included).
    rows: Vec<Vec<spans::RawCell>>,
    /// A row's cells.
    cells: Vec<spans::RawCell>,
    header_rows: usize,
    text: String,
}

impl Frame {
    fn new(kind: Kind, start: usize) -> Self {
        Self {
            kind,
            start,
            blocks: Vec::new(),
            inlines: Vec::new(),
            items: Vec::new(),
            rows: Vec::new(),
            cells: Vec::new(),
            header_rows: 0,
            text: String::new(),
        }
    }
}

struct Builder<'a> {
    source: SourceId,
    body: &'a str,
    base: usize,
    stack: Vec<Frame>,
    in_table_head: bool,
    /// Cells currently open (a `<br>` is a line break only inside one).
    in_cell: usize,
    flattened_at: Option<Span>,
    /// Images closed since the last block ended: the next paragraph end decides
    /// whether one is the paragraph's whole content (a block) or sits in text.
    images: Vec<(String, String, Span)>,
    diags: Vec<Diagnostic>,
}

impl<'a> Builder<'a> {
    fn new(source: SourceId, base: usize, body: &'a str) -> Self {
        Self {
            source,
            body,
            base,
            stack: vec![Frame::new(Kind::Root, 0)],
            in_table_head: false,
            in_cell: 0,
            flattened_at: None,
            images: Vec::new(),
            diags: Vec::new(),
        }
    }

    fn span(&self, range: Range<usize>) -> Span {
        Span::new(self.source, self.base + range.start..self.base + range.end)
    }

    fn top(&mut self) -> &mut Frame {
        // The root frame is never popped, so the stack is never empty.
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn push(&mut self, kind: Kind, range: Range<usize>) {
        let kind = if self.stack.len() > MAX_DEPTH && !matches!(kind, Kind::Transparent) {
            if self.flattened_at.is_none() {
                self.flattened_at = Some(self.span(range.clone()));
            }
            Kind::Transparent
        } else {
            kind
        };
        // A block starting inside a tight list item ends the item's loose text.
        if is_block(&kind) {
            self.flush_inlines();
        }
        if matches!(kind, Kind::TableCell) {
            self.in_cell += 1;
        }
        self.stack.push(Frame::new(kind, range.start));
    }

    /// Wraps inline content collected directly in a container (tight list items)
    /// into a paragraph before a block follows it.
    fn flush_inlines(&mut self) {
        let base = self.base;
        let source = self.source;
        let top = self.top();
        if matches!(top.kind, Kind::Item | Kind::Quote | Kind::Root)
            && !top.inlines.is_empty()
        {
            let content = resolve_breaks(std::mem::take(&mut top.inlines));
            let at = base + top.start;
            top.blocks.push(Block::Para { content, span: Span::new(source, at..at) });
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) => self.text(&text, range),
            Event::Code(code) => {
                let span = self.span(range);
                self.top()
                    .inlines
                    .push(Inline { kind: InlineKind::Code(code.into_string()), span })
            }
            Event::InlineMath(math) | Event::DisplayMath(math) => self.text(&math, range),
            Event::InlineHtml(html) if self.in_cell > 0 && is_br(&html) => {
                let span = self.span(range);
                self.top().inlines.push(Inline { kind: InlineKind::Break, span })
            }
            Event::Html(html) | Event::InlineHtml(html) => self.text(&html, range),
            Event::FootnoteReference(name) => self.text(&format!("[^{name}]"), range),
            Event::SoftBreak => {
                let joiner = soft_break(self.body, range.clone());
                self.text(joiner, range);
            }
            Event::HardBreak => {
                let span = self.span(range);
                self.top().inlines.push(Inline { kind: InlineKind::Break, span })
            }
            Event::Rule => {
                let span = self.span(range);
                self.flush_inlines();
                self.top().blocks.push(Block::Rule { span });
            }
            Event::TaskListMarker(done) => {
                self.text(if done { "[x] " } else { "[ ] " }, range)
            }
        }
    }

    fn text(&mut self, text: &str, range: Range<usize>) {
        let span = self.span(range);
        let top = self.top();
        if matches!(top.kind, Kind::Code) {
            top.text.push_str(text);
        } else {
            top.inlines.push(Inline { kind: InlineKind::Text(text.to_string()), span });
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        let kind = match tag {
            Tag::Paragraph | Tag::HtmlBlock => Kind::Para,
            Tag::Heading { level, .. } => Kind::Heading((level as u8).max(2) - 1),
            Tag::BlockQuote(_) => Kind::Quote,
            Tag::CodeBlock(_) => Kind::Code,
            Tag::List(start) => Kind::List(start),
            Tag::Item => Kind::Item,
            Tag::Table(_) => Kind::Table,
            Tag::TableHead => {
                self.in_table_head = true;
                Kind::TableRow
            }
            Tag::TableRow => Kind::TableRow,
            Tag::TableCell => Kind::TableCell,
            Tag::Image { dest_url, .. } => Kind::Image(dest_url.into_string()),
            Tag::Emphasis => Kind::Emph,
            Tag::Strong => Kind::Strong,
            Tag::Strikethrough => Kind::Strike,
            Tag::Link { dest_url, .. } => Kind::Link(dest_url.into_string()),
            _ => Kind::Transparent,
        };
        self.push(kind, range);
    }

    fn end(&mut self, _tag: TagEnd, range: Range<usize>) {
        if self.stack.len() < 2 {
            return;
        }
        let Some(frame) = self.stack.pop() else { return };
        let span = self.span(frame.start..range.end.max(frame.start));
        let in_table_head = matches!(frame.kind, Kind::TableRow)
            && std::mem::take(&mut self.in_table_head);
        if matches!(frame.kind, Kind::TableCell) {
            self.in_cell = self.in_cell.saturating_sub(1);
        }
        if matches!(frame.kind, Kind::Para) {
            self.close_para(frame, span);
            return;
        }
        if !is_inline(&frame.kind) {
            self.inline_images();
        }
        if let Kind::Table = frame.kind {
            self.close_table(frame, span);
            return;
        }
        let body = self.body;
        let base = self.base;
        let parent = self.top();
        match frame.kind {
            Kind::Root | Kind::Para | Kind::Table => {}
            Kind::Heading(level) => {
                let content = resolve_breaks(frame.inlines);
                parent.blocks.push(Block::Heading { level, content, span });
            }
            Kind::Quote => {
                let mut frame = frame;
                flush_into_blocks(&mut frame, &span);
                parent.blocks.push(Block::Quote { blocks: frame.blocks, span });
            }
            Kind::Code => {
                let text =
                    frame.text.strip_suffix('\n').unwrap_or(&frame.text).to_string();
                parent.blocks.push(Block::Code { text, span });
            }
            Kind::List(start) => {
                parent.blocks.push(Block::List { start, items: frame.items, span })
            }
            Kind::Item => {
                let mut frame = frame;
                flush_into_blocks(&mut frame, &span);
                if matches!(parent.kind, Kind::List(_)) {
                    parent.items.push(frame.blocks);
                } else {
                    parent.blocks.extend(frame.blocks);
                }
            }
            Kind::TableRow => close_row(frame, in_table_head, parent),
            Kind::TableCell => {
                let range = span.range.start - base..span.range.end - base;
                let marker = spans::marker(body.get(range).unwrap_or_default());
                let content = resolve_breaks(frame.inlines);
                parent.cells.push(spans::RawCell { content, span, marker });
            }
            Kind::Image(dest) => {
                let content = resolve_breaks(frame.inlines);
                self.images.push((dest, plain_text(&content), span));
                // Until a paragraph end shows it stands alone, it is its alt text.
                self.top().inlines.extend(content);
            }
            Kind::Strong => {
                let kind = InlineKind::Strong(resolve_breaks(frame.inlines));
                parent.inlines.push(Inline { kind, span });
            }
            Kind::Emph => {
                let kind = InlineKind::Emph(resolve_breaks(frame.inlines));
                parent.inlines.push(Inline { kind, span });
            }
            Kind::Strike => {
                let kind = InlineKind::Strike(resolve_breaks(frame.inlines));
                parent.inlines.push(Inline { kind, span });
            }
            Kind::Link(dest) => {
                let kind =
                    InlineKind::Link { dest, content: resolve_breaks(frame.inlines) };
                parent.inlines.push(Inline { kind, span });
            }
            Kind::Transparent => close_transparent(frame, span, parent),
        }
    }

    /// A paragraph is a block where blocks may stand (the body, a list item, a
    /// quote); elsewhere (a table cell, a heading) its text joins the parent's. An
    /// image that is the paragraph's whole source text is an image block.
    fn close_para(&mut self, frame: Frame, span: Span) {
        let at_block = matches!(
            self.top().kind,
            Kind::Item | Kind::Quote | Kind::Root | Kind::Transparent
        );
        if at_block && let Some(image) = self.standalone_image(&span) {
            self.top().blocks.push(image);
            return;
        }
        self.inline_images();
        close_para(frame, span, self.top());
    }

    /// The image block a paragraph is, when its one image is all of its source.
    fn standalone_image(&mut self, para: &Span) -> Option<Block> {
        let [(_, _, image)] = self.images.as_slice() else { return None };
        let text = |span: &Span| {
            let range = span.range.start - self.base..span.range.end - self.base;
            self.body.get(range).map(str::trim)
        };
        if text(para)? != text(image)? {
            return None;
        }
        let (path, alt, span) = self.images.pop()?;
        Some(Block::Image { path, alt, span })
    }

    /// Images that ended up inside text: their alt text stays, with a warning.
    fn inline_images(&mut self) {
        for (_, alt, span) in std::mem::take(&mut self.images) {
            self.diags.push(
                Diagnostic::warning(
                    "inline-image",
                    "an image inside text is not shown; its alt text is printed instead",
                )
                .with_span(span)
                .with_label(if alt.is_empty() {
                    "this image (it has no alt text)".to_string()
                } else {
                    format!("printed as `{alt}`")
                })
                .with_hint("put the image in a paragraph of its own, with a blank line before and after"),
            );
        }
    }

    /// A table's `<<` and `^^` become spans; a bad span is an error at its cell.
    fn close_table(&mut self, frame: Frame, span: Span) {
        let (rows, diags) = spans::resolve(frame.rows, frame.header_rows);
        self.diags.extend(diags);
        let header_rows = frame.header_rows;
        self.top().blocks.push(Block::Table { rows, header_rows, span });
    }

    fn finish(mut self) -> Doc {
        while self.stack.len() > 1 {
            let end = self.top().start;
            self.end(TagEnd::Paragraph, end..end);
        }
        self.inline_images();
        let mut root = self.stack.pop().unwrap_or_else(|| Frame::new(Kind::Root, 0));
        let span = Span::new(self.source, self.base..self.base);
        flush_into_blocks(&mut root, &span);
        Doc { blocks: root.blocks }
    }
}

/// The paragraph's text into its parent: a block there, else inline content.
fn close_para(frame: Frame, span: Span, parent: &mut Frame) {
    let mut content = resolve_breaks(frame.inlines);
    // Raw HTML blocks arrive with their closing newline.
    if let Some(Inline { kind: InlineKind::Text(last), .. }) = content.last_mut() {
        last.truncate(last.trim_end_matches('\n').len());
    }
    if matches!(parent.kind, Kind::Item | Kind::Quote | Kind::Root | Kind::Transparent) {
        parent.blocks.push(Block::Para { content, span });
    } else {
        parent.inlines.extend(content);
    }
}

/// A table row's cells become one row of the table.
fn close_row(frame: Frame, in_table_head: bool, parent: &mut Frame) {
    if matches!(parent.kind, Kind::Table) {
        parent.rows.push(frame.cells);
        if in_table_head {
            parent.header_rows += 1;
        }
    }
}

/// What a construct huibian does not lay out (an image, raw HTML) held passes to
/// its parent as if the construct were not there.
fn close_transparent(frame: Frame, span: Span, parent: &mut Frame) {
    parent.inlines.extend(frame.inlines);
    parent.blocks.extend(frame.blocks);
    parent.items.extend(frame.items);
    parent.rows.extend(frame.rows);
    parent.cells.extend(frame.cells);
    if !frame.text.is_empty() {
        parent.inlines.push(Inline { kind: InlineKind::Text(frame.text), span });
    }
}

fn is_block(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Para
            | Kind::Heading(_)
            | Kind::Quote
            | Kind::List(_)
            | Kind::Table
            | Kind::Code
    )
}

/// Inline-level frames, whose end does not settle where an image stands.
fn is_inline(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Strong
            | Kind::Emph
            | Kind::Strike
            | Kind::Link(_)
            | Kind::Image(_)
            | Kind::Transparent
    )
}

/// `<br>`, `<br/>` or `<br />`, exactly: the line break GFM users write in a cell.
/// Any other inline HTML stays text.
fn is_br(html: &str) -> bool {
    matches!(html, "<br>" | "<br/>" | "<br />")
}

fn flush_into_blocks(frame: &mut Frame, span: &Span) {
    if !frame.inlines.is_empty() {
        let content = resolve_breaks(std::mem::take(&mut frame.inlines));
        frame.blocks.push(Block::Para { content, span: span.clone() });
    }
}

/// Calls `visit` on every inline of `blocks`, depth first, including link and
/// emphasis contents: for checks that look at all text (references, glyphs).
pub fn walk_inlines(blocks: &[Block], visit: &mut impl FnMut(&Inline)) {
    fn inlines(list: &[Inline], visit: &mut impl FnMut(&Inline)) {
        for inline in list {
            visit(inline);
            if let InlineKind::Strong(c)
            | InlineKind::Emph(c)
            | InlineKind::Strike(c)
            | InlineKind::Link { content: c, .. }
            | InlineKind::Inserted { content: c, .. }
            | InlineKind::Deleted { content: c, .. } = &inline.kind
            {
                inlines(c, visit);
            }
        }
    }
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Para { content, .. } => {
                inlines(content, visit)
            }
            Block::List { items, .. } => {
                items.iter().for_each(|item| walk_inlines(item, visit))
            }
            Block::Quote { blocks, .. } => walk_inlines(blocks, visit),
            Block::Table { rows, .. } => {
                rows.iter().flatten().for_each(|c| inlines(&c.content, visit))
            }
            Block::Image { .. } | Block::Code { .. } | Block::Rule { .. } => {}
        }
    }
}

/// Calls `visit` with the alt text and location of every image of `blocks`, in
/// reading order: for the alt-text checks of `check` and of the PDF standards.
pub fn walk_images(blocks: &[Block], visit: &mut impl FnMut(&str, &Span)) {
    for block in blocks {
        match block {
            Block::Image { alt, span, .. } => visit(alt, span),
            Block::List { items, .. } => {
                items.iter().for_each(|item| walk_images(item, visit))
            }
            Block::Quote { blocks, .. } => walk_images(blocks, visit),
            _ => {}
        }
    }
}

/// What a soft line break becomes: nothing when it joins CJK text on either side
/// (a space there would show in the book), a space between Latin words. Markdown
/// syntax next to the break (`**`, `>`, indentation) is looked through.
fn soft_break(body: &str, range: Range<usize>) -> &'static str {
    let syntax = |c: char| c.is_whitespace() || matches!(c, '*' | '_' | '~' | '>' | '`');
    let before =
        body.get(..range.start).and_then(|s| s.chars().rev().find(|&c| !syntax(c)));
    let after = body.get(range.end..).and_then(|s| s.chars().find(|&c| !syntax(c)));
    match (before, after) {
        (Some(b), Some(a)) if !is_cjk(b) && !is_cjk(a) => " ",
        _ => "",
    }
}

/// Merges neighbouring text nodes (the parser splits text at every soft break and
/// entity), so renderers and tests see one string per run of plain text.
fn resolve_breaks(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        if let (Some(prev), InlineKind::Text(text)) = (out.last_mut(), &inline.kind)
            && let InlineKind::Text(prev_text) = &mut prev.kind
        {
            prev_text.push_str(text);
            prev.span.range.end = prev.span.range.end.max(inline.span.range.end);
            continue;
        }
        if !matches!(&inline.kind, InlineKind::Text(text) if text.is_empty()) {
            out.push(inline);
        }
    }
    out
}

#[cfg(test)]
mod tests;
