//! Word files → [`Intake`]: the package ([`package`]) gives the main document part
//! and its related parts through the relationships (the main part is not always
//! `word/document.xml`); the styles ([`styles`]) and numbering ([`numbering`]) give
//! back the markers Word draws but does not store in the text; the body
//! ([`document`]) is walked once into paragraphs, tables and images.
//!
//! Choices a reader of the output should know:
//! - footnotes and endnotes are put in place, where their reference is, as `（注：…）`;
//! - a table's `gridBefore`/`gridAfter` columns produce no cells (no phantom cells);
//! - text boxes are read once, from `mc:Choice`; their paragraphs come before the
//!   text of the paragraph they are anchored in;
//! - Word's `w:suff` after a marker is written as nothing (the canonical form has no
//!   space after a marker; `fmt` adds the one after 第X条);
//! - elements are matched by their qualified names with the prefixes Word, WPS and
//!   LibreOffice write (`w:`, `wp:`, `a:`, `v:`, `mc:`).
//!
//! `.doc` and `.wps` files are converted to `.docx` by LibreOffice first ([`legacy`]).

mod document;
mod legacy;
mod numbering;
mod package;
mod styles;
#[cfg(test)]
mod tests;
mod xml;

use std::collections::HashMap;

use document::{Context, Item, Stats};
use package::{Bounds, Package, Rel};

use super::{Asset, Block, Found, Intake, IntakeError, limits};

pub use legacy::convert_legacy;

/// The relationship type of the main document part, transitional and strict.
const OFFICE_DOCUMENT: &str = "officeDocument";

/// Reads one `.docx` package.
pub fn read(bytes: &[u8]) -> Result<Intake, IntakeError> {
    read_with(bytes, Bounds::default())
}

fn read_with(bytes: &[u8], bounds: Bounds) -> Result<Intake, IntakeError> {
    let mut package = Package::open(bytes, bounds)?;
    let mut notes = Vec::new();
    let main = main_part(&mut package, &mut notes)?;
    let Some(document) = package.read(&main)? else {
        return Err(IntakeError::Malformed(format!(
            "the Word file has no main document part ({main} is named but missing)"
        )));
    };
    let rels = package.rels(&main)?;
    let part = |kind: &str| {
        rels.values().find(|r| r.kind == kind).and_then(|r| r.target.clone())
    };
    let styles = match part("styles") {
        Some(name) => {
            package.read(&name)?.map(|b| styles::Styles::parse(&b)).transpose()?
        }
        None => None,
    }
    .unwrap_or_default();
    let mut numbering = match part("numbering") {
        Some(name) => {
            package.read(&name)?.map(|b| numbering::Numbering::parse(&b)).transpose()?
        }
        None => None,
    }
    .unwrap_or_default();
    let mut stats = Stats::default();
    let mut note_texts = HashMap::new();
    for kind in ["footnotes", "endnotes"] {
        let Some(name) = part(kind) else { continue };
        let Some(bytes) = package.read(&name)? else { continue };
        // Notes have their own numbering counters in Word; a scratch copy is not
        // needed, as notes rarely number their paragraphs.
        let empty = HashMap::new();
        let mut cx = Context {
            styles: &styles,
            numbering: &mut numbering,
            notes: &empty,
            stats: &mut stats,
        };
        note_texts.extend(document::notes(&bytes, &name, &mut cx)?);
    }
    let mut cx = Context {
        styles: &styles,
        numbering: &mut numbering,
        notes: &note_texts,
        stats: &mut stats,
    };
    let items = document::walk(&document, &main, &mut cx)?;
    let unknown = std::mem::take(&mut numbering.unknown_formats);
    let mut intake = Intake { format: "Word document".into(), ..Intake::default() };
    intake.fields.title = body_title(&items);
    let mut assets = Assets::default();
    for item in items {
        match item {
            Item::Para(text, _) => intake.blocks.push(Block::Para(text)),
            Item::Table(t) => intake.blocks.push(Block::Table(t)),
            Item::Image { rel, alt } => {
                if let Some(asset) = assets.get(&mut package, &rels, &rel, &mut notes)? {
                    intake.blocks.push(Block::Image { asset, alt });
                }
            }
        }
    }
    if !intake.blocks.iter().any(|b| matches!(b, Block::Para(_) | Block::Table(_))) {
        return Err(IntakeError::NoText(
            "the Word document has no text in its body".into(),
        ));
    }
    if intake.fields.title.is_none() {
        intake.fields.title = core_title(&mut package)?;
    }
    intake.assets = assets.list;
    notes.extend(stat_notes(&stats, &unknown));
    intake.notes = notes;
    Ok(intake)
}

/// The main document part named by `_rels/.rels`.
fn main_part(
    package: &mut Package<'_>,
    notes: &mut Vec<String>,
) -> Result<String, IntakeError> {
    let rels = package.rels("")?;
    if rels.is_empty() {
        notes.push(
            "the Word file has no package relationships (_rels/.rels); its body was read \
             from word/document.xml"
                .into(),
        );
        return Ok("word/document.xml".into());
    }
    let main = rels.values().find(|r| r.kind == OFFICE_DOCUMENT);
    match main {
        Some(Rel { target: Some(target), .. }) => Ok(target.clone()),
        Some(_) => Err(IntakeError::Malformed(
            "the Word file's main document part points outside the package".into(),
        )),
        None => Err(IntakeError::Malformed(
            "the Word file names no main document part in _rels/.rels".into(),
        )),
    }
}

/// The images copied so far, by relationship id, so that an image shown twice is
/// one asset.
#[derive(Default)]
struct Assets {
    list: Vec<Asset>,
    by_rel: HashMap<String, Option<String>>,
}

impl Assets {
    fn get(
        &mut self,
        package: &mut Package<'_>,
        rels: &HashMap<String, Rel>,
        rel: &str,
        notes: &mut Vec<String>,
    ) -> Result<Option<String>, IntakeError> {
        if let Some(known) = self.by_rel.get(rel) {
            return Ok(known.clone());
        }
        let name = self.load(package, rels, rel, notes)?;
        self.by_rel.insert(rel.to_string(), name.clone());
        Ok(name)
    }

    fn load(
        &mut self,
        package: &mut Package<'_>,
        rels: &HashMap<String, Rel>,
        rel: &str,
        notes: &mut Vec<String>,
    ) -> Result<Option<String>, IntakeError> {
        let Some(target) = rels.get(rel).and_then(|r| r.target.clone()) else {
            notes.push(format!(
                "an image ({rel}) is linked from outside the file or points outside it; it was not copied"
            ));
            return Ok(None);
        };
        let Some(bytes) = package.read_limited(&target, limits::MAX_ASSET)? else {
            notes.push(format!(
                "an image's file ({target}) is missing from the Word file"
            ));
            return Ok(None);
        };
        let named = limits::image_kind(&bytes).and_then(|kind| {
            limits::asset_name(self.list.len() + 1, &format!("x.{kind}"))
        });
        let Some(name) = named else {
            let ext = target.rsplit_once('.').map(|(_, e)| e).unwrap_or("unknown");
            notes.push(format!(
                "an image in a format the book cannot show ({ext}, e.g. EMF/WMF) was dropped: {target}"
            ));
            return Ok(None);
        };
        self.list.push(Asset { name: name.clone(), bytes });
        Ok(Some(name))
    }
}

/// The title as the document sets it: a paragraph in the Title style, or else the
/// first centred paragraphs in a large font (≥ 18 pt) before the body text begins,
/// skipping the red header (`…文件`) and the 文号.
fn body_title(items: &[Item]) -> Option<Found<String>> {
    let paras = items.iter().filter_map(|i| match i {
        Item::Para(text, look) if !look.boxed => Some((text, look)),
        _ => None,
    });
    let styled: Vec<&str> =
        paras.clone().filter(|(_, l)| l.title_style).map(|(t, _)| t.as_str()).collect();
    if !styled.is_empty() {
        return Some(Found::new(
            styled.concat(),
            "the document's title paragraph (Title style)",
        ));
    }
    let mut title = String::new();
    let mut size = 0;
    for (text, look) in paras {
        let large = look.centred && look.size.is_some_and(|s| s >= 36);
        let header = text.ends_with("文件") || is_number_line(text);
        if large && !header && (title.is_empty() || look.size == Some(size)) {
            title.push_str(text);
            size = look.size.unwrap_or(0);
        } else if !title.is_empty() || !look.centred {
            break;
        }
    }
    (!title.is_empty()).then(|| {
        let pt = f64::from(size) / 2.0;
        Found::new(title, format!("the document's title paragraph (centred, {pt} pt)"))
    })
}

/// `京政发〔2021〕24号`: a line that is a 文号, not a title.
fn is_number_line(text: &str) -> bool {
    text.chars().count() < 40
        && text.ends_with('号')
        && text.contains(['〔', '[', '［', '（', '('])
}

/// `dc:title` from docProps/core.xml, unless it is a template's leftover: empty,
/// `Microsoft Word - x.doc`, a file name, without a Han character, or shorter than
/// four characters (`标题`, `文档`, `Document`).
fn core_title(package: &mut Package<'_>) -> Result<Option<Found<String>>, IntakeError> {
    let Some(bytes) = package.read("docProps/core.xml")? else { return Ok(None) };
    let mut events = xml::Events::new(&bytes, "docProps/core.xml");
    let mut in_title = false;
    let mut title = String::new();
    while let Some(ev) = events.next()? {
        match ev {
            xml::Ev::Start(e, empty) => {
                in_title = !empty && e.name().as_ref() == b"dc:title"
            }
            xml::Ev::End(_) => in_title = false,
            xml::Ev::Text(t) if in_title => title.push_str(&t),
            xml::Ev::Text(_) => {}
        }
    }
    let title = title.trim();
    let lower = title.to_ascii_lowercase();
    let leftover = title.chars().count() < 4
        || lower.starts_with("microsoft word")
        || [".doc", ".docx", ".wps", ".dot", ".wpt"].iter().any(|e| lower.ends_with(e))
        || !title.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    Ok((!leftover).then(|| {
        Found::new(
            title.to_string(),
            "the document's properties (docProps/core.xml, dc:title)",
        )
    }))
}

fn stat_notes(stats: &Stats, unknown_formats: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
    if stats.deletions > 0 {
        notes.push(format!(
            "{} tracked deletion(s) were dropped and tracked insertions kept: check that \
             the file's changes were meant to be accepted",
            stats.deletions
        ));
    }
    if stats.markers_not_doubled > 0 {
        notes.push(format!(
            "{} paragraph(s) carry Word numbering but already begin with a typed marker; \
             the typed marker was kept and Word's not added",
            stats.markers_not_doubled
        ));
    }
    if stats.images_in_cells > 0 {
        notes.push(format!(
            "{} image(s) inside table cells were dropped",
            stats.images_in_cells
        ));
    }
    if stats.symbols_dropped > 0 {
        notes.push(format!(
            "{} symbol-font character(s) (Wingdings/Symbol) had no text equivalent and were dropped",
            stats.symbols_dropped
        ));
    }
    if stats.missing_notes > 0 {
        notes.push(format!(
            "{} footnote reference(s) name a missing note",
            stats.missing_notes
        ));
    }
    for f in unknown_formats {
        notes.push(format!("numbering in format {f} was written in Arabic digits"));
    }
    notes
}
