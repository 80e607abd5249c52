//! The document model every renderer reads: blocks of inlines, each block with the
//! span it came from.

use crate::source::Span;

/// A parsed Markdown body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// Top-level blocks in order.
    pub blocks: Vec<Block>,
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading; `level` 1 is a document's first-level section (`## 一、…`).
    Heading {
        /// 1 for `#`/`##`, 2 for `###`, …: `#` and `##` both mean a first-level section.
        level: u8,
        /// Heading text.
        content: Vec<Inline>,
        /// Source location.
        span: Span,
    },
    /// A paragraph (including run-in numbered items such as `1.建立……。`).
    Para {
        /// Paragraph text.
        content: Vec<Inline>,
        /// Source location.
        span: Span,
    },
    /// A Markdown list (rare in official documents, whose numbering is literal text).
    List {
        /// First number of an ordered list; `None` for bullets.
        start: Option<u64>,
        /// Each item's blocks.
        items: Vec<Vec<Block>>,
        /// Source location.
        span: Span,
    },
    /// A block quote.
    Quote {
        /// Quoted blocks.
        blocks: Vec<Block>,
        /// Source location.
        span: Span,
    },
    /// A table; the first `header_rows` rows are the head. Cells may span rows and
    /// columns (written `<<` and `^^` in the source); a position another cell's span
    /// covers is not listed, so each row holds only the cells that start in it, left
    /// to right: the shape of `crate::intake::Table`, so that `add` writes it 1:1.
    Table {
        /// Rows of the cells that start in them.
        rows: Vec<Vec<Cell>>,
        /// How many leading rows form the header. No span crosses from the head
        /// into the body.
        header_rows: usize,
        /// Source location.
        span: Span,
    },
    /// An image standing alone in its paragraph (`![流程图](../assets/流程图-1.png)`).
    Image {
        /// As parsed: the destination as written, relative to the Markdown file.
        /// Once the book is assembled (`book::assemble`, which checks the file):
        /// the path relative to the edition folder, `/`-separated, with no `.` or
        /// `..` segment, naming a regular image file inside the folder.
        path: String,
        /// The alternative text (the image's description, as plain text), possibly
        /// empty: what the PDF's tags, the HTML `alt` and the search index carry.
        alt: String,
        /// Source location.
        span: Span,
    },
    /// Preformatted text, shown as written.
    Code {
        /// The text.
        text: String,
        /// Source location.
        span: Span,
    },
    /// A thematic break (`---` in the body).
    Rule {
        /// Source location.
        span: Span,
    },
}

impl Block {
    /// Where the block came from.
    pub fn span(&self) -> &Span {
        match self {
            Block::Heading { span, .. }
            | Block::Para { span, .. }
            | Block::List { span, .. }
            | Block::Quote { span, .. }
            | Block::Table { span, .. }
            | Block::Image { span, .. }
            | Block::Code { span, .. }
            | Block::Rule { span } => span,
        }
    }
}

/// One table cell: its content and the rows and columns it covers from where it
/// starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cell's text; `<br>` in the source is a [`InlineKind::Break`].
    pub content: Vec<Inline>,
    /// Columns covered, at least 1.
    pub colspan: u32,
    /// Rows covered, at least 1.
    pub rowspan: u32,
    /// The cell's own source range (its `|`-separated text, not the `<<`/`^^` of
    /// the positions it covers).
    pub span: Span,
}

impl Cell {
    /// A cell covering one row and one column.
    pub fn new(content: Vec<Inline>, span: Span) -> Self {
        Cell { content, colspan: 1, rowspan: 1, span }
    }
}

/// How many columns a table's rows tile: the widest row, counting each cell's
/// colspan and the positions that cells above cover with their rowspan. Renderers
/// that need a column count (Typst's `columns:`) take it from here, so a table
/// whose spans are known to be rectangles lays out on the grid the source wrote.
pub fn table_columns(rows: &[Vec<Cell>]) -> usize {
    // `covered[c]`: how many more rows column `c` is covered by a cell above.
    let mut covered: Vec<u32> = Vec::new();
    let mut width = 0;
    for row in rows {
        let mut col = 0;
        for cell in row {
            while covered.get(col).is_some_and(|&n| n > 0) {
                col += 1;
            }
            let span = cell.colspan.max(1) as usize;
            if covered.len() < col + span {
                covered.resize(col + span, 0);
            }
            for slot in &mut covered[col..col + span] {
                // The row itself counts: the cell covers `rowspan - 1` rows below.
                *slot = cell.rowspan.max(1);
            }
            col += span;
        }
        width =
            width.max(col).max(covered.iter().rposition(|&n| n > 0).map_or(0, |i| i + 1));
        covered.iter_mut().for_each(|n| *n = n.saturating_sub(1));
    }
    width
}

/// Inline content and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Inline {
    /// What it is.
    pub kind: InlineKind,
    /// Its source range. Text joined across a soft line break spans both lines.
    pub span: Span,
}

/// The kinds of inline content.
#[derive(Debug, Clone, PartialEq)]
pub enum InlineKind {
    /// Plain text, soft line breaks already resolved (none between CJK characters).
    Text(String),
    /// `**bold**`.
    Strong(Vec<Inline>),
    /// `*emphasis*`.
    Emph(Vec<Inline>),
    /// `~~struck~~`.
    Strike(Vec<Inline>),
    /// `` `code` ``.
    Code(String),
    /// A link.
    Link {
        /// The destination as written.
        dest: String,
        /// The link text.
        content: Vec<Inline>,
    },
    /// A hard line break.
    Break,
    /// Text only in the newer edition, underlined in a redline (`diff --format
    /// pdf`); never parsed from Markdown. `anchor` labels the first mark of a change,
    /// for the page the 变更说明 lists it at.
    Inserted {
        /// The new text.
        content: Vec<Inline>,
        /// The change's label, on its first mark.
        anchor: Option<String>,
    },
    /// Text only in the older edition, struck through in a redline; not part of the
    /// book's text.
    Deleted {
        /// The old text.
        content: Vec<Inline>,
        /// The change's label, on its first mark.
        anchor: Option<String>,
    },
}

/// The plain text of inlines, as a reader sees it.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match &inline.kind {
            InlineKind::Text(text) | InlineKind::Code(text) => out.push_str(text),
            InlineKind::Strong(c) | InlineKind::Emph(c) | InlineKind::Strike(c) => {
                push_plain(c, out)
            }
            InlineKind::Link { content, .. } | InlineKind::Inserted { content, .. } => {
                push_plain(content, out)
            }
            InlineKind::Break => out.push('\n'),
            InlineKind::Deleted { .. } => {}
        }
    }
}
