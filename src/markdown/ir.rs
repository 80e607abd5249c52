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
    /// A table; the first `header_rows` rows are the head.
    Table {
        /// Rows of cells of inlines.
        rows: Vec<Vec<Vec<Inline>>>,
        /// How many leading rows form the header.
        header_rows: usize,
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
            | Block::Code { span, .. }
            | Block::Rule { span } => span,
        }
    }
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
            InlineKind::Link { content, .. } => push_plain(content, out),
            InlineKind::Break => out.push('\n'),
        }
    }
}
