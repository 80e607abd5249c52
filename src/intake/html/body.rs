//! The article's element → blocks, walked with an explicit traversal (never
//! recursion: the page decides how deep it nests).

use ego_tree::iter::Edge;
use scraper::{ElementRef, Node};

use super::Resources;
use crate::intake::{Asset, Block, Cell, Table, limits};

/// An inline image is decoded in memory beside the page; government pages inline
/// only icons, so a longer `data:` URI is refused rather than decoded.
pub(super) const MAX_DATA_URI: usize = 4 * 1024 * 1024;
/// Images kept from one page.
const MAX_IMAGES: usize = 200;

/// Elements whose content is never article text.
const DROPPED: [&str; 14] = [
    "script", "style", "noscript", "template", "head", "title", "iframe", "object",
    "embed", "select", "button", "input", "textarea", "svg",
];
/// Elements that end a paragraph where they open and where they close.
const BLOCKS: [&str; 33] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "center",
    "hr",
];
/// Class or id words of widgets that sit inside article containers (share bars, QR
/// codes, print buttons).
const WIDGETS: [&str; 8] =
    ["share", "fenxiang", "qrcode", "erweima", "ewm", "dayin", "breadcrumb", "pchide"];

/// What the walk produced beside the blocks.
pub(super) struct Walker<'r> {
    resources: &'r dyn Resources,
    pub assets: Vec<Asset>,
    pub notes: Vec<String>,
}

impl<'r> Walker<'r> {
    pub(super) fn new(resources: &'r dyn Resources) -> Self {
        Walker { resources, assets: Vec::new(), notes: Vec::new() }
    }

    /// The blocks of `root`, in reading order.
    pub(super) fn blocks(&mut self, root: ElementRef<'_>) -> Vec<Block> {
        self.walk(root, true)
    }

    /// Walks `root`. With `structured`, tables become [`Block::Table`] and images
    /// [`Block::Image`]; without (inside a table cell), everything is text.
    fn walk(&mut self, root: ElementRef<'_>, structured: bool) -> Vec<Block> {
        let mut out = Vec::new();
        let mut para = String::new();
        let mut skip = None;
        let mut dropped_images = 0usize;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) if skip.is_none() => match node.value() {
                    Node::Text(text) => para.push_str(&text[..]),
                    Node::Element(el) => {
                        let name = el.name();
                        let Some(element) = ElementRef::wrap(node) else { continue };
                        if node.id() != root.id() && is_dropped(element) {
                            skip = Some(node.id());
                        } else if name == "img" {
                            flush(&mut para, &mut out);
                            if structured {
                                self.image(element, &mut out);
                            } else {
                                dropped_images += 1;
                            }
                        } else if name == "br" || BLOCKS.contains(&name) {
                            flush(&mut para, &mut out);
                            if structured
                                && name == "table"
                                && node.id() != root.id()
                                && let Some(table) = self.table(element)
                            {
                                out.extend(table);
                                skip = Some(node.id());
                            }
                        }
                    }
                    _ => {}
                },
                Edge::Open(_) => {}
                Edge::Close(node) => {
                    if skip == Some(node.id()) {
                        skip = None;
                    } else if skip.is_none()
                        && node
                            .value()
                            .as_element()
                            .is_some_and(|e| BLOCKS.contains(&e.name()))
                    {
                        flush(&mut para, &mut out);
                    }
                }
            }
        }
        flush(&mut para, &mut out);
        if dropped_images > 0 {
            self.notes.push(format!(
                "{dropped_images} image(s) inside a table cell are not kept (a cell holds text only)"
            ));
        }
        out
    }

    /// A table, or `None` for a layout table (one cell), whose content is walked as
    /// the body's own. An empty table gives no block.
    fn table(&mut self, table: ElementRef<'_>) -> Option<Vec<Block>> {
        let mut rows: Vec<(Vec<(Cell, bool)>, bool)> = Vec::new();
        let mut caption = Vec::new();
        for child in table.child_elements() {
            match child.value().name() {
                "caption" => caption = self.walk(child, false),
                "thead" | "tbody" | "tfoot" => {
                    let head = child.value().name() == "thead";
                    for tr in child.child_elements().filter(|e| e.value().name() == "tr")
                    {
                        rows.push((self.row(tr), head));
                    }
                }
                "tr" => rows.push((self.row(child), false)),
                _ => {}
            }
        }
        let cells: usize = rows.iter().map(|r| r.0.len()).sum();
        if cells <= 1 {
            return None;
        }
        if rows.iter().all(|r| r.0.iter().all(|c| c.0.text.is_empty())) {
            return Some(Vec::new());
        }
        let count = rows.len();
        let header_rows = rows
            .iter()
            .take_while(|(cells, head)| {
                *head || (!cells.is_empty() && cells.iter().all(|c| c.1))
            })
            .count();
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(r, (cells, _))| {
                let left = (count - r) as u32;
                cells
                    .into_iter()
                    .map(|(mut cell, _)| {
                        cell.rowspan =
                            if cell.rowspan == 0 { left } else { cell.rowspan.min(left) };
                        cell
                    })
                    .collect()
            })
            .collect();
        let mut out: Vec<Block> = caption;
        out.push(Block::Table(Table { rows, header_rows }));
        Some(out)
    }

    fn row(&mut self, tr: ElementRef<'_>) -> Vec<(Cell, bool)> {
        tr.child_elements()
            .filter(|e| matches!(e.value().name(), "td" | "th"))
            .map(|td| {
                let text: Vec<String> = self
                    .walk(td, false)
                    .into_iter()
                    .filter_map(|b| if let Block::Para(p) = b { Some(p) } else { None })
                    .collect();
                let span = |name: &str, max: u32| {
                    td.attr(name)
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .map_or(1, |v| v.min(max))
                };
                let colspan = span("colspan", 1000).max(1);
                let rowspan = span("rowspan", 65534);
                let cell = Cell { text: text.join("\n"), colspan, rowspan };
                (cell, td.value().name() == "th")
            })
            .collect()
    }

    /// An image through the resources (or its own `data:` URI), checked to be an
    /// image and bounded; one that cannot be read is a note, not a block.
    fn image(&mut self, img: ElementRef<'_>, out: &mut Vec<Block>) {
        let src = ["src", "data-src", "data-original"]
            .iter()
            .find_map(|a| img.attr(a).map(str::trim).filter(|s| !s.is_empty()));
        let Some(src) = src else { return };
        let shown = shown(src);
        if self.assets.len() >= MAX_IMAGES {
            self.notes
                .push(format!("image {shown} not kept: more than {MAX_IMAGES} images"));
            return;
        }
        let bytes = if src.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("data:")) {
            match data_uri(src) {
                Ok(bytes) => Some(bytes),
                Err(why) => {
                    self.notes.push(format!("an inline (data:) image not kept: {why}"));
                    return;
                }
            }
        } else {
            self.resources.fetch(src)
        };
        let Some(bytes) = bytes else {
            self.notes.push(format!(
                "image {shown} is not among the saved page's files (or points outside them): not kept"
            ));
            return;
        };
        if bytes.len() as u64 > limits::MAX_ASSET {
            self.notes.push(format!(
                "image {shown} is over {} bytes: not kept",
                limits::MAX_ASSET
            ));
            return;
        }
        let name = limits::image_kind(&bytes).and_then(|kind| {
            limits::asset_name(self.assets.len() + 1, &format!("image.{kind}"))
        });
        let Some(name) = name else {
            self.notes.push(format!(
                "{shown} is not a PNG, JPEG, GIF, WebP or SVG image: not kept"
            ));
            return;
        };
        let alt = collapse(img.attr("alt").unwrap_or(""));
        out.push(Block::Image { asset: name.clone(), alt });
        self.assets.push(Asset { name, bytes });
    }
}

/// A reference as a note may show it: short, and a `data:` URI only by its kind.
pub(super) fn shown(reference: &str) -> String {
    if reference.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("data:")) {
        return "(data: URI)".into();
    }
    let short: String = reference.chars().take(120).collect();
    format!("{short:?}")
}

/// The bytes of a `data:` URI, base64 or percent-encoded, refused past
/// [`MAX_DATA_URI`] before anything is decoded.
pub(super) fn data_uri(uri: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    if uri.len() > MAX_DATA_URI {
        return Err(format!(
            "it is {} bytes long, over the limit of {MAX_DATA_URI}",
            uri.len()
        ));
    }
    let (head, data) = uri.split_once(',').ok_or("it has no comma")?;
    if head.to_ascii_lowercase().ends_with(";base64") {
        let clean: String =
            data.chars().filter(|c| !c.is_ascii_whitespace() && *c != '=').collect();
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(clean)
            .map_err(|e| format!("its base64 is damaged ({e})"))
    } else {
        Ok(percent_encoding::percent_decode_str(data).collect())
    }
}

/// Whether a tag ends a paragraph.
pub(super) fn is_block_name(name: &str) -> bool {
    BLOCKS.contains(&name)
}

fn is_dropped(element: ElementRef<'_>) -> bool {
    let el = element.value();
    if DROPPED.contains(&el.name()) || el.attr("hidden").is_some() {
        return true;
    }
    let style: String =
        el.attr("style").unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
    if style.to_ascii_lowercase().contains("display:none") {
        return true;
    }
    let words = format!("{} {}", el.attr("class").unwrap_or(""), el.id().unwrap_or(""))
        .to_ascii_lowercase();
    words.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        WIDGETS.iter().any(|k| if k.len() <= 3 { w == *k } else { w.contains(k) })
    })
}

fn flush(para: &mut String, out: &mut Vec<Block>) {
    let text = collapse(para);
    para.clear();
    if !text.is_empty() {
        out.push(Block::Para(text));
    }
}

/// Whitespace as a browser shows it: runs of ASCII whitespace become one space, and
/// a run holding a line break between two CJK characters disappears (CSS Text's
/// segment-break rule: a source line break between 汉字 is no space). Leading and
/// trailing spaces, full-width indents included, go; inner text stays as written.
pub(super) fn collapse(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending: Option<bool> = None;
    let mut prev: Option<char> = None;
    for c in raw.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
            pending = Some(pending.unwrap_or(false) || c == '\n' || c == '\r');
            continue;
        }
        if let Some(newline) = pending.take() {
            let cjk_join =
                newline && prev.is_some_and(crate::cjk::is_cjk) && crate::cjk::is_cjk(c);
            if !out.is_empty() && !cjk_join {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}' || c == '\u{200B}')
        .to_string()
}
