//! Where things landed: the compiled document → [`PageMap`].
//!
//! Every page number the book prints about itself (the 目录, `toc.json`, the HTML's
//! links to the PDF) comes from here, read off the laid-out document, never guessed.
//! The template labels each category, policy and first-level section heading with
//! its id; this module finds each label's physical page and the page's printed label
//! (roman in the front matter, arabic in the body, from the page's own numbering).

use typst::foundations::{NativeElement, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::model::{HeadingElem, Numbering};
use typst_layout::PagedDocument;

/// One labelled heading and the page it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageAnchor {
    /// The heading's id (category `c1`, a policy id, a section `<policy>-s1`).
    pub id: String,
    /// Physical page, 1-based.
    pub page: u32,
    /// The number printed on that page (`1`, `iv`), empty if the page has none.
    pub label: String,
}

/// The page of every labelled heading, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMap {
    /// Number of pages in the document.
    pub pages: u32,
    /// The anchors in document order.
    pub anchors: Vec<PageAnchor>,
    /// Where the 目录 is, when the template marks it (see [`contents`]).
    pub contents: Option<Contents>,
}

/// The pages the 目录 takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Contents {
    /// Physical page it starts on, 1-based.
    pub page: u32,
    /// How many pages it takes.
    pub pages: u32,
}

impl PageMap {
    /// The anchor of an id.
    pub fn get(&self, id: &str) -> Option<&PageAnchor> {
        self.anchors.iter().find(|a| a.id == id)
    }
}

/// Reads the pages of all labelled headings off a compiled document. A page number
/// beyond `u32` (which no laid-out book reaches) is an error rather than a wrong
/// number in the 目录.
pub fn page_map(document: &PagedDocument) -> anyhow::Result<PageMap> {
    let introspector = document.introspector();
    let mut anchors = Vec::new();
    for content in introspector.query_labelled() {
        if !content.is::<HeadingElem>() {
            continue;
        }
        let (Some(label), Some(location)) = (content.label(), content.location()) else {
            continue;
        };
        let Some(page) = introspector.page(location) else { continue };
        let page = page.get();
        anchors.push(PageAnchor {
            id: label.resolve().to_string(),
            page: page_number(page)?,
            label: page_label(document, page),
        });
    }
    Ok(PageMap {
        pages: page_number(document.pages().len())?,
        anchors,
        contents: contents(&**introspector)?,
    })
}

/// The marks the template sets at the start and the end of the 目录
/// (`metadata("huibian:contents-start")`, `…-end`). The next build hands the page count
/// back to the template, which lays the book out in one pass fewer with it; a
/// template without the marks, or with them out of order, gives `None`.
fn contents(introspector: &dyn Introspector) -> anyhow::Result<Option<Contents>> {
    let marks = introspector.query(&Selector::Elem(MetadataElem::ELEM, None));
    let page_of = |mark: &str| {
        marks.iter().find_map(|content| {
            let metadata = content.to_packed::<MetadataElem>()?;
            let is_mark = matches!(&metadata.value, Value::Str(s) if s.as_str() == mark);
            is_mark.then(|| introspector.page(content.location()?)).flatten()
        })
    };
    let (Some(start), Some(end)) =
        (page_of("huibian:contents-start"), page_of("huibian:contents-end"))
    else {
        return Ok(None);
    };
    let Some(pages) = end.get().checked_sub(start.get()) else { return Ok(None) };
    Ok(Some(Contents { page: page_number(start.get())?, pages: page_number(pages + 1)? }))
}

fn page_number(page: usize) -> anyhow::Result<u32> {
    u32::try_from(page).map_err(|_| {
        anyhow::anyhow!("page {page} is beyond the page count a book can have")
    })
}

/// The printed label of a physical page, from the numbering pattern in force there.
fn page_label(document: &PagedDocument, page: usize) -> String {
    let Some(page) = document.pages().get(page - 1) else { return String::new() };
    match &page.numbering {
        Some(Numbering::Pattern(pattern)) => {
            pattern.apply(None, &[page.number]).map(|l| l.to_string()).unwrap_or_default()
        }
        _ => String::new(),
    }
}
