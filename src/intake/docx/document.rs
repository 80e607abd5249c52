//! The body of a Word document (or its footnotes), walked as one stream of XML
//! events with explicit stacks: paragraphs (a text box opens a paragraph inside a
//! paragraph), tables (only the outermost is kept as a table; a nested one becomes
//! lines of its cell), and the subtrees that are skipped whole — deleted text, field
//! instructions, the VML copy of a text box in `mc:Fallback`, old properties kept by
//! tracked changes.

use std::collections::HashMap;

use quick_xml::events::BytesStart;

use super::numbering::Numbering;
use super::styles::Styles;
use super::xml::{Ev, Events, attr, on_off, val_u32};
use crate::intake::{Cell, IntakeError, Table};
use crate::numbering::marker;

/// How a paragraph looked, to find the title among the first paragraphs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Look {
    pub centred: bool,
    /// Largest font size of its text, half-points.
    pub size: Option<u32>,
    pub title_style: bool,
    /// In a text box or a table rather than in the body's flow.
    pub boxed: bool,
}

/// What the walk produces, in reading order; images are resolved by the caller.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Item {
    Para(String, Look),
    Image { rel: String, alt: String },
    Table(Table),
}

/// Counts of what was dropped or doubted, for the notes.
#[derive(Debug, Default)]
pub(super) struct Stats {
    pub deletions: usize,
    pub markers_not_doubled: usize,
    pub images_in_cells: usize,
    pub symbols_dropped: usize,
    pub missing_notes: usize,
}

/// The parts a walk reads besides its own: styles, numbering, footnote texts.
pub(super) struct Context<'c> {
    pub styles: &'c Styles,
    pub numbering: &'c mut Numbering,
    pub notes: &'c HashMap<String, String>,
    pub stats: &'c mut Stats,
}

/// A piece of one paragraph: a `w:br` or an image ends the text before it.
#[derive(Debug)]
enum Piece {
    Text(String),
    Image { rel: String, alt: String },
}

#[derive(Debug, Default)]
struct Para {
    pieces: Vec<Piece>,
    text: String,
    style: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u32>,
    centred: Option<bool>,
    size: Option<u32>,
    boxed: bool,
}

#[derive(Debug, Default)]
struct CellFrame {
    lines: Vec<String>,
    span: u32,
    /// `Some(true)`: restarts a vertical merge; `Some(false)`: continues one.
    vmerge: Option<bool>,
}

#[derive(Debug, Default)]
struct RowFrame {
    cells: Vec<Cell>,
    col: usize,
    header: bool,
    cell: Option<CellFrame>,
}

#[derive(Debug, Default)]
struct TableFrame {
    table: Table,
    header_open: bool,
    row: Option<RowFrame>,
    /// Grid column → (row, cell) of the vertical merge still open there.
    merges: HashMap<usize, (usize, usize)>,
}

/// Elements whose whole subtree is not text of the document.
const SKIPPED: [&[u8]; 17] = [
    b"w:del",
    b"w:moveFrom",
    b"w:delText",
    b"w:instrText",
    b"w:delInstrText",
    b"mc:Fallback",
    b"w:sdtPr",
    b"w:rt",
    b"w:fldData",
    b"w:pPrChange",
    b"w:rPrChange",
    b"w:tblPrChange",
    b"w:trPrChange",
    b"w:tcPrChange",
    b"w:sectPrChange",
    b"w:numberingChange",
    b"w:sectPr",
];

struct Walker<'c, 'x> {
    cx: &'x mut Context<'c>,
    out: Vec<Item>,
    paras: Vec<Para>,
    table: Option<TableFrame>,
    table_depth: usize,
    boxes: usize,
    skip: usize,
    in_t: bool,
    in_ppr: bool,
    in_rpr: bool,
    graphic: Option<(Option<String>, String)>,
    /// In footnotes.xml: the note being read and where its items began.
    note: Option<(String, usize)>,
    note_texts: HashMap<String, String>,
}

/// Walks the body of `document.xml` (or any part made of `w:p` and `w:tbl`).
pub(super) fn walk(
    bytes: &[u8],
    what: &str,
    cx: &mut Context<'_>,
) -> Result<Vec<Item>, IntakeError> {
    let mut w = Walker::new(cx);
    w.run(bytes, what)?;
    Ok(w.out)
}

/// The text of each footnote or endnote of `footnotes.xml`/`endnotes.xml`, by id.
pub(super) fn notes(
    bytes: &[u8],
    what: &str,
    cx: &mut Context<'_>,
) -> Result<HashMap<String, String>, IntakeError> {
    let mut w = Walker::new(cx);
    w.run(bytes, what)?;
    Ok(w.note_texts)
}

impl<'c, 'x> Walker<'c, 'x> {
    fn new(cx: &'x mut Context<'c>) -> Self {
        Walker {
            cx,
            out: Vec::new(),
            paras: Vec::new(),
            table: None,
            table_depth: 0,
            boxes: 0,
            skip: 0,
            in_t: false,
            in_ppr: false,
            in_rpr: false,
            graphic: None,
            note: None,
            note_texts: HashMap::new(),
        }
    }

    fn run(&mut self, bytes: &[u8], what: &str) -> Result<(), IntakeError> {
        let mut events = Events::new(bytes, what);
        while let Some(ev) = events.next()? {
            match ev {
                Ev::Start(e, empty) => {
                    if self.skip > 0 {
                        self.skip += usize::from(!empty);
                        continue;
                    }
                    let name = e.name().as_ref().to_vec();
                    if SKIPPED.contains(&name.as_slice()) {
                        self.cx.stats.deletions += usize::from(name == b"w:del");
                        self.skip = usize::from(!empty);
                        continue;
                    }
                    self.start(&name, &e, empty)?;
                    if empty {
                        self.end(&name);
                    }
                }
                Ev::End(name) => {
                    if self.skip > 0 {
                        self.skip -= 1;
                    } else {
                        self.end(&name);
                    }
                }
                Ev::Text(t) => {
                    if self.skip == 0
                        && self.in_t
                        && let Some(p) = self.paras.last_mut()
                    {
                        p.text.push_str(&t);
                    }
                }
            }
        }
        Ok(())
    }

    fn start(
        &mut self,
        name: &[u8],
        e: &BytesStart<'_>,
        empty: bool,
    ) -> Result<(), IntakeError> {
        match name {
            b"w:p" => self.paras.push(Para {
                boxed: self.boxes > 0 || self.table_depth > 0,
                ..Para::default()
            }),
            b"w:pPr" => self.in_ppr = true,
            b"w:rPr" => self.in_rpr = true,
            b"w:t" => self.in_t = !empty,
            b"w:txbxContent" => self.boxes += 1,
            b"w:footnote" | b"w:endnote" => self.start_note(e, empty)?,
            b"w:tbl" | b"w:tr" | b"w:tc" | b"w:gridSpan" | b"w:vMerge"
            | b"w:gridBefore" | b"w:gridAfter" | b"w:tblHeader" => {
                self.table_start(name, e)?
            }
            b"w:drawing" | b"w:pict" => self.graphic = Some((None, String::new())),
            _ if self.in_ppr => self.paragraph_property(name, e)?,
            _ => self.run_content(name, e)?,
        }
        Ok(())
    }

    fn start_note(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), IntakeError> {
        let kind = attr(e, b"w:type")?;
        if kind.is_some_and(|k| k != "normal") {
            // The separator lines Word draws above the notes.
            self.skip = usize::from(!empty);
        } else if let Some(id) = attr(e, b"w:id")? {
            self.note = Some((id, self.out.len()));
        }
        Ok(())
    }

    fn paragraph_property(
        &mut self,
        name: &[u8],
        e: &BytesStart<'_>,
    ) -> Result<(), IntakeError> {
        let Some(p) = self.paras.last_mut() else { return Ok(()) };
        match name {
            b"w:pStyle" => p.style = attr(e, b"w:val")?,
            b"w:numId" => p.num_id = val_u32(e)?,
            b"w:ilvl" => p.ilvl = val_u32(e)?,
            b"w:jc" => {
                p.centred = Some(attr(e, b"w:val")?.is_some_and(|v| v == "center"))
            }
            _ => {}
        }
        Ok(())
    }

    fn run_content(
        &mut self,
        name: &[u8],
        e: &BytesStart<'_>,
    ) -> Result<(), IntakeError> {
        if name == b"wp:docPr" || name == b"v:imagedata" || name == b"a:blip" {
            return self.graphic_part(name, e);
        }
        let note = match name {
            b"w:footnoteReference" | b"w:endnoteReference" => attr(e, b"w:id")?,
            _ => None,
        };
        let sym = if name == b"w:sym" { attr(e, b"w:char")? } else { None };
        let size = if self.in_rpr && name == b"w:sz" { val_u32(e)? } else { None };
        let break_kind = if name == b"w:br" { Some(attr(e, b"w:type")?) } else { None };
        let Some(p) = self.paras.last_mut() else { return Ok(()) };
        match name {
            b"w:tab" | b"w:ptab" => p.text.push(' '),
            b"w:noBreakHyphen" => p.text.push('-'),
            b"w:cr" => p.end_piece(),
            b"w:br"
                if !matches!(
                    break_kind.flatten().as_deref(),
                    Some("page" | "column")
                ) =>
            {
                p.end_piece();
            }
            b"w:sym" => match sym
                .and_then(|s| u32::from_str_radix(&s, 16).ok())
                .and_then(char::from_u32)
            {
                // A symbol font's private-use code (Wingdings, Symbol): no text.
                Some(c) if !('\u{E000}'..='\u{F8FF}').contains(&c) => p.text.push(c),
                _ => self.cx.stats.symbols_dropped += 1,
            },
            b"w:sz" => p.size = p.size.max(size),
            _ => {}
        }
        if let Some(id) = note {
            match self.cx.notes.get(&id) {
                Some(text) => {
                    if let Some(p) = self.paras.last_mut() {
                        p.text.push_str(&format!("（注：{text}）"));
                    }
                }
                None => self.cx.stats.missing_notes += 1,
            }
        }
        Ok(())
    }

    fn graphic_part(
        &mut self,
        name: &[u8],
        e: &BytesStart<'_>,
    ) -> Result<(), IntakeError> {
        let Some((rel, alt)) = self.graphic.as_mut() else { return Ok(()) };
        match name {
            b"wp:docPr" => {
                let descr = attr(e, b"descr")?.filter(|d| !d.trim().is_empty());
                *alt = descr.or(attr(e, b"title")?).unwrap_or_default();
            }
            b"a:blip" => *rel = attr(e, b"r:embed")?,
            _ => {
                *rel = attr(e, b"r:id")?;
                if alt.is_empty() {
                    *alt = attr(e, b"o:title")?.unwrap_or_default();
                }
            }
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"w:p" => {
                if let Some(p) = self.paras.pop() {
                    self.finish_para(p);
                }
            }
            b"w:pPr" => self.in_ppr = false,
            b"w:rPr" => self.in_rpr = false,
            b"w:t" => self.in_t = false,
            b"w:txbxContent" => self.boxes = self.boxes.saturating_sub(1),
            b"w:footnote" | b"w:endnote" => self.end_note(),
            b"w:tbl" | b"w:tr" | b"w:tc" => self.table_end(name),
            b"w:drawing" | b"w:pict" => {
                if let Some((Some(rel), alt)) = self.graphic.take()
                    && let Some(p) = self.paras.last_mut()
                {
                    p.end_piece();
                    p.pieces.push(Piece::Image { rel, alt });
                }
            }
            _ => {}
        }
    }

    fn end_note(&mut self) {
        let Some((id, from)) = self.note.take() else { return };
        let text: String = self
            .out
            .drain(from.min(self.out.len())..)
            .filter_map(|item| match item {
                Item::Para(text, _) => Some(text),
                _ => None,
            })
            .collect();
        self.note_texts.insert(id, text);
    }
}

impl Para {
    fn end_piece(&mut self) {
        let text = std::mem::take(&mut self.text);
        self.pieces.push(Piece::Text(text));
    }
}

impl<'c, 'x> Walker<'c, 'x> {
    /// A closed paragraph: its numbering marker, its pieces trimmed, and where its
    /// text goes (the open table cell, or the reading order).
    fn finish_para(&mut self, mut p: Para) {
        p.end_piece();
        let resolved = self.cx.styles.resolve(p.style.as_deref());
        let num_id = p.num_id.or(resolved.num_id).filter(|id| *id != 0);
        let marker = num_id.and_then(|id| {
            let style = resolved.num_style.as_deref().or(p.style.as_deref());
            self.cx.numbering.next(id, p.ilvl.or(resolved.ilvl), style, self.cx.styles)
        });
        let look = Look {
            centred: p.centred.unwrap_or(resolved.centred),
            size: p.size.or(resolved.size),
            title_style: resolved.title,
            boxed: p.boxed,
        };
        let mut first = true;
        for piece in p.pieces {
            match piece {
                Piece::Text(text) => {
                    let text = text.trim_matches(char::is_whitespace);
                    let text = match (&marker, first) {
                        (Some(m), true) if !text.is_empty() => self.with_marker(m, text),
                        _ => text.to_string(),
                    };
                    if !text.is_empty() {
                        first = false;
                        self.sink(Item::Para(text, look));
                    }
                }
                Piece::Image { rel, alt } => self.sink(Item::Image { rel, alt }),
            }
        }
    }

    /// `text` behind Word's `marker`, unless the text already begins with it or with
    /// a marker of the same kind typed by hand (a stale `numPr` on a typed heading).
    fn with_marker(&mut self, marker: &str, text: &str) -> String {
        let typed = text.starts_with(marker)
            || match (marker::recognize(marker), marker::recognize(text)) {
                (Some(m), Some(t)) => m.kind == t.kind,
                _ => false,
            };
        if typed {
            self.cx.stats.markers_not_doubled += 1;
            return text.to_string();
        }
        // `1.` before `2.5亿元` would read as one number: keep them apart.
        let ascii_join = marker.ends_with(|c: char| c.is_ascii_punctuation())
            && text.starts_with(|c: char| c.is_ascii_digit());
        let space = if ascii_join { " " } else { "" };
        format!("{marker}{space}{text}")
    }

    fn sink(&mut self, item: Item) {
        let cell = self
            .table
            .as_mut()
            .and_then(|t| t.row.as_mut())
            .and_then(|r| r.cell.as_mut());
        match (cell, item) {
            (Some(cell), Item::Para(text, _)) => cell.lines.push(text),
            (Some(_), Item::Image { .. }) => self.cx.stats.images_in_cells += 1,
            (Some(cell), Item::Table(t)) => {
                cell.lines.extend(t.rows.into_iter().flatten().map(|c| c.text));
            }
            (None, item) => self.out.push(item),
        }
    }

    fn table_start(
        &mut self,
        name: &[u8],
        e: &BytesStart<'_>,
    ) -> Result<(), IntakeError> {
        if name == b"w:tbl" {
            self.table_depth += 1;
            if self.table_depth == 1 {
                self.table =
                    Some(TableFrame { header_open: true, ..TableFrame::default() });
            }
            return Ok(());
        }
        if self.table_depth != 1 {
            return Ok(());
        }
        let Some(t) = self.table.as_mut() else { return Ok(()) };
        match name {
            b"w:tr" => t.row = Some(RowFrame::default()),
            b"w:tc" => {
                if let Some(r) = t.row.as_mut() {
                    r.cell = Some(CellFrame { span: 1, ..CellFrame::default() });
                }
            }
            _ => {
                let Some(r) = t.row.as_mut() else { return Ok(()) };
                match (name, r.cell.as_mut()) {
                    (b"w:gridSpan", Some(c)) => {
                        c.span = val_u32(e)?.unwrap_or(1).clamp(1, 64)
                    }
                    (b"w:vMerge", Some(c)) => {
                        c.vmerge =
                            Some(attr(e, b"w:val")?.is_some_and(|v| v == "restart"));
                    }
                    (b"w:gridBefore", None) => {
                        r.col = val_u32(e)?.unwrap_or(0).min(64) as usize
                    }
                    (b"w:tblHeader", None) => r.header = on_off(e)?,
                    _ => {}
                }
            }
        }
        Ok(())
    }

    fn table_end(&mut self, name: &[u8]) {
        if name == b"w:tbl" {
            self.table_depth = self.table_depth.saturating_sub(1);
            if self.table_depth == 0
                && let Some(t) = self.table.take()
                && t.table.rows.iter().flatten().any(|c| !c.text.is_empty())
            {
                self.sink(Item::Table(t.table));
            }
            return;
        }
        if self.table_depth != 1 {
            return;
        }
        let Some(t) = self.table.as_mut() else { return };
        match name {
            b"w:tc" => t.end_cell(),
            _ => {
                if let Some(r) = t.row.take() {
                    if r.header && t.header_open {
                        t.table.header_rows += 1;
                    } else {
                        t.header_open = false;
                    }
                    t.table.rows.push(r.cells);
                }
            }
        }
    }
}

impl TableFrame {
    /// A closed cell: a continued vertical merge lengthens the cell above it,
    /// anything else starts a cell at the row's current grid column.
    fn end_cell(&mut self) {
        let row_index = self.table.rows.len();
        let Some(r) = self.row.as_mut() else { return };
        let Some(c) = r.cell.take() else { return };
        let col = r.col;
        r.col += c.span as usize;
        if c.vmerge == Some(false)
            && let Some(&(ri, ci)) = self.merges.get(&col)
            && let Some(above) =
                self.table.rows.get_mut(ri).and_then(|row| row.get_mut(ci))
        {
            above.rowspan += 1;
            return;
        }
        let cell = Cell { text: c.lines.join("\n"), colspan: c.span, rowspan: 1 };
        if c.vmerge == Some(true) {
            self.merges.insert(col, (row_index, r.cells.len()));
        } else {
            self.merges.remove(&col);
        }
        r.cells.push(cell);
    }
}
