//! Which site a page comes from, by its structure, and what its own metadata says:
//! 首都之窗's `doc-info` list, gov.cn's label/value tables. Pages of no known layout
//! get their largest text block ([`largest_block`]).

use scraper::{ElementRef, Html, Selector};

use crate::intake::{Fields, Found};

/// A layout's reading of a page.
pub(super) struct Layout<'a> {
    pub name: &'static str,
    pub body: Option<ElementRef<'a>>,
    pub fields: Fields,
    pub notes: Vec<String>,
    /// Attachment names listed outside the body, with their link targets.
    pub attachments: Vec<(String, String)>,
}

#[expect(clippy::expect_used, reason = "constant selectors, each exercised by the tests")]
pub(super) fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("a valid constant selector")
}

pub(super) fn first<'a>(doc: &'a Html, css: &str) -> Option<ElementRef<'a>> {
    doc.select(&sel(css)).next()
}

pub(super) fn text_of(el: ElementRef<'_>) -> String {
    super::body::collapse(&el.text().collect::<String>())
}

fn has_han(el: ElementRef<'_>) -> bool {
    el.text().any(|t| t.chars().any(is_han))
}

pub(super) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// The first of `selectors` that matches an element holding Han text, not a mobile
/// copy (`.pchide`).
fn body<'a>(doc: &'a Html, selectors: &[&str]) -> Option<ElementRef<'a>> {
    selectors.iter().find_map(|css| {
        doc.select(&sel(css)).find(|el| {
            has_han(*el)
                && !el.ancestors().chain(std::iter::once(**el)).any(|n| {
                    n.value()
                        .as_element()
                        .is_some_and(|e| e.classes().any(|c| c == "pchide"))
                })
        })
    })
}

/// The known layouts, most specific first.
pub(super) fn find(doc: &Html) -> Layout<'_> {
    let mut layout = Layout {
        name: "web page",
        body: None,
        fields: Fields::default(),
        notes: Vec::new(),
        attachments: Vec::new(),
    };
    if let Some(list) = first(doc, "ol.doc-info, ul.doc-info") {
        layout.name = "首都之窗 (beijing.gov.cn) policy page";
        for li in list.select(&sel("li")) {
            let text = text_of(li);
            let Some((label, value)) = bracketed(&text) else { continue };
            apply(&mut layout, "the page's metadata list", &label, value.trim());
        }
    } else if let Some(table) = first(doc, "div.policyLibraryOverview_header table") {
        layout.name = "gov.cn policy page";
        pairs(&mut layout, table);
    } else if let Some(table) = first(doc, "table.bd1") {
        layout.name = "gov.cn policy page (pre-2019 layout)";
        pairs(&mut layout, table);
    } else if first(doc, "h1#ti").is_some() {
        layout.name = "gov.cn article page";
    }
    if layout.fields.title.is_none() {
        for (css, from) in [
            ("div.header h1 p", "the page's title heading (div.header h1)"),
            ("h1#ti", "the page's title heading (h1#ti)"),
        ] {
            if let Some(t) = first(doc, css).map(text_of).filter(|t| !t.is_empty()) {
                layout.fields.title = Some(Found::new(t, from));
                break;
            }
        }
    }
    layout.body = body(
        doc,
        &[
            "#mainText .view",
            "#mainText .TRS_UEDITOR",
            "#mainText",
            "#UCAP-CONTENT",
            "div.pages_content",
            ".TRS_UEDITOR",
            ".TRS_Editor",
        ],
    );
    if layout.body.is_none() {
        layout.body = super::fallback::largest_block(doc);
        if layout.body.is_some() && layout.name == "web page" {
            layout.name = "web page (article found as its largest text block)";
        }
    } else if layout.name == "web page" {
        layout.name = "web page (TRS/UCAP article container)";
    }
    for a in doc.select(&sel("div.mainTextBox ul.fujian li a, ul.fujian li a")) {
        let inside = layout.body.is_some_and(|b| a.ancestors().any(|n| n.id() == b.id()));
        let name = text_of(a);
        if !inside && !name.is_empty() && !layout.attachments.iter().any(|x| x.0 == name)
        {
            layout.attachments.push((name, a.attr("href").unwrap_or("").to_string()));
        }
    }
    layout
}

/// `[发文字号] 京政发〔2021〕24号` → (`发文字号`, `京政发〔2021〕24号`).
fn bracketed(text: &str) -> Option<(String, &str)> {
    let rest = text.trim_start().strip_prefix(['[', '［', '【'])?;
    let (label, value) = rest.split_once([']', '］', '】'])?;
    Some((label_key(label), value))
}

/// A label without its padding and colon: `标　　题：` → `标题`.
fn label_key(label: &str) -> String {
    label.chars().filter(|c| !c.is_whitespace() && !matches!(c, '：' | ':')).collect()
}

/// gov.cn's tables: label cells (`<b>发文机关：</b>`) each followed by their value
/// cell, in whatever columns the page puts them.
fn pairs(layout: &mut Layout<'_>, table: ElementRef<'_>) {
    for tr in table.select(&sel("tr")) {
        let cells: Vec<String> = tr
            .child_elements()
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .map(text_of)
            .collect();
        let mut k = 0;
        while k < cells.len() {
            let cell = &cells[k];
            let is_label = cell.ends_with(['：', ':']);
            if let Some((label, value)) =
                cell.split_once(['：', ':']).filter(|(_, v)| !v.trim().is_empty())
            {
                apply(
                    layout,
                    "the page's metadata table",
                    &label_key(label),
                    value.trim(),
                );
            } else if is_label && k + 1 < cells.len() {
                let value = cells[k + 1].clone();
                apply(
                    layout,
                    "the page's metadata table",
                    &label_key(cell),
                    value.trim(),
                );
                k += 1;
            }
            k += 1;
        }
    }
}

/// One metadata field, by its label.
fn apply(layout: &mut Layout<'_>, place: &str, label: &str, value: &str) {
    if value.is_empty() {
        return;
    }
    let from = format!("{place} ({label})");
    let fields = &mut layout.fields;
    let date = |slot: &mut Option<Found<String>>, notes: &mut Vec<String>| match date_of(
        value,
    ) {
        Some(d) => *slot = Some(Found::new(d, from.clone())),
        None => {
            notes.push(format!("{from} says {value:?}, which is not a date: not kept"))
        }
    };
    match label {
        "标题" | "名称" => fields.title = Some(Found::new(value.to_string(), from)),
        "发文机关" | "发文机构" | "发布机构" | "发文单位" | "联合发文单位" =>
        {
            let names = value
                .split(|c: char| {
                    c.is_whitespace() || matches!(c, '、' | '；' | ';' | '，' | ',')
                })
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            let issuer =
                fields.issuer.get_or_insert_with(|| Found::new(Vec::new(), from.clone()));
            if issuer.from != from {
                issuer.from =
                    format!("{} and {label}", issuer.from.trim_end_matches(')'));
                issuer.from.push(')');
            }
            for name in names {
                if !issuer.value.contains(&name) {
                    issuer.value.push(name);
                }
            }
        }
        "发文字号" | "文号" => {
            fields.number = Some(Found::new(value.to_string(), from))
        }
        "成文日期" | "成文时间" => date(&mut fields.date, &mut layout.notes),
        "发布日期" | "发布时间" => date(&mut fields.published, &mut layout.notes),
        "实施日期" | "施行日期" | "生效日期" => {
            date(&mut fields.effective, &mut layout.notes)
        }
        "废止日期" | "失效日期" | "有效期至" => {
            date(&mut fields.expires, &mut layout.notes)
        }
        _ => layout.notes.push(format!("{from} says {value}")),
    }
}

/// A date value; a date followed by a time (`2021-11-11 18:50`) gives its date.
pub(super) fn date_of(value: &str) -> Option<String> {
    crate::intake::meta::parse_date(value).or_else(|| {
        let (date, range) = crate::patterns::find_date(value)?;
        (range.start == 0).then_some(date)
    })
}
