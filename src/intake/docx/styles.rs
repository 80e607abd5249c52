//! The paragraph styles of `word/styles.xml`, as far as the reader needs them: the
//! numbering a style carries (a numbered heading style is how many offices number
//! 一、 headings), its alignment and font size (to find the title), and whether it is
//! the Title style. Properties are inherited through `basedOn`, walked with a bound
//! and a visited set, since the input can make the chain a cycle.

use std::collections::{HashMap, HashSet};

use super::xml::{Ev, Events, attr, val_u32};
use crate::intake::IntakeError;

/// The longest `basedOn` chain followed; Word's own are 2–5 long.
const MAX_CHAIN: usize = 32;

/// What one style states itself (not inherited).
#[derive(Debug, Clone, Default)]
struct Style {
    based_on: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u32>,
    centred: Option<bool>,
    size: Option<u32>,
    title: bool,
}

/// A style with its chain's properties folded in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Resolved {
    /// The style id the numbering came from (a `w:lvl` may name it with `w:pStyle`).
    pub num_style: Option<String>,
    pub num_id: Option<u32>,
    pub ilvl: Option<u32>,
    pub centred: bool,
    /// Font size in half-points.
    pub size: Option<u32>,
    pub title: bool,
}

/// The paragraph styles of a document.
#[derive(Debug, Default)]
pub(super) struct Styles {
    styles: HashMap<String, Style>,
    default: Option<String>,
}

impl Styles {
    /// Parses `styles.xml`.
    pub(super) fn parse(bytes: &[u8]) -> Result<Self, IntakeError> {
        let mut out = Styles::default();
        let mut events = Events::new(bytes, "word/styles.xml");
        // The style being read, and whether we are in its pPr / rPr.
        let mut current: Option<(String, Style)> = None;
        let mut skip = 0usize;
        while let Some(ev) = events.next()? {
            let (e, empty) = match ev {
                Ev::Start(e, empty) => (e, empty),
                Ev::End(name) => {
                    if skip > 0 {
                        skip -= 1;
                    } else if name == b"w:style"
                        && let Some((id, style)) = current.take()
                    {
                        out.styles.insert(id, style);
                    }
                    continue;
                }
                Ev::Text(_) => continue,
            };
            if skip > 0 {
                skip += usize::from(!empty);
                continue;
            }
            let name = e.name();
            match name.as_ref() {
                b"w:style" if !empty => {
                    // Numbering styles are kept for `numStyleLink`.
                    let kind = attr(&e, b"w:type")?;
                    let paragraph = kind.as_deref().is_none_or(|t| t == "paragraph");
                    let numbering = kind.as_deref() == Some("numbering");
                    let id = attr(&e, b"w:styleId")?;
                    match id {
                        Some(id) if paragraph || numbering => {
                            let default = attr(&e, b"w:default")?;
                            if paragraph
                                && default.is_some_and(|d| d == "1" || d == "true")
                            {
                                out.default = Some(id.clone());
                            }
                            let title = id == "Title";
                            current = Some((id, Style { title, ..Style::default() }));
                        }
                        _ => skip = 1,
                    }
                }
                // A tracked change to a style holds its old properties.
                b"w:pPrChange" | b"w:rPrChange" if !empty => skip = 1,
                _ => {
                    if let Some((_, style)) = current.as_mut() {
                        read_property(&e, style)?;
                    }
                }
            }
        }
        Ok(out)
    }

    /// The properties of style `id` (or of the default paragraph style), inherited
    /// through `basedOn`.
    pub(super) fn resolve(&self, id: Option<&str>) -> Resolved {
        let mut out = Resolved::default();
        let mut centred = None;
        let mut seen = HashSet::new();
        let mut next = id.or(self.default.as_deref());
        while let Some(id) = next {
            if seen.len() >= MAX_CHAIN || !seen.insert(id) {
                break;
            }
            let Some(style) = self.styles.get(id) else { break };
            if out.num_id.is_none() && style.num_id.is_some() {
                out.num_id = style.num_id;
                out.num_style = Some(id.to_string());
            }
            out.ilvl = out.ilvl.or(style.ilvl);
            centred = centred.or(style.centred);
            out.size = out.size.or(style.size);
            out.title |= style.title;
            next = style.based_on.as_deref();
        }
        out.centred = centred.unwrap_or(false);
        out
    }

    /// The numbering a style carries itself (for `numStyleLink`).
    pub(super) fn num_id(&self, id: &str) -> Option<u32> {
        self.resolve(Some(id)).num_id
    }
}

fn read_property(
    e: &quick_xml::events::BytesStart<'_>,
    style: &mut Style,
) -> Result<(), IntakeError> {
    match e.name().as_ref() {
        b"w:basedOn" => style.based_on = attr(e, b"w:val")?,
        b"w:name" => {
            let name = attr(e, b"w:val")?.unwrap_or_default();
            style.title |= name.eq_ignore_ascii_case("title") || name == "标题";
        }
        b"w:numId" => style.num_id = val_u32(e)?,
        b"w:ilvl" => style.ilvl = val_u32(e)?,
        b"w:jc" => {
            style.centred = Some(attr(e, b"w:val")?.is_some_and(|v| v == "center"))
        }
        b"w:sz" => style.size = val_u32(e)?,
        _ => {}
    }
    Ok(())
}
