//! The article of a page of no known layout: the block with the most Han text of its
//! own, not counting link text or the site's chrome (navigation, footers, share
//! bars), widened to its parent when a sibling holds a comparable part of the text.

use std::collections::HashMap;

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node};

use super::layout::is_han;

/// Tags that are chrome wherever they are.
const CHROME_TAGS: [&str; 11] = [
    "nav", "header", "footer", "aside", "script", "style", "noscript", "template",
    "form", "select", "button",
];
/// Class/id words of chrome, matched inside a word.
const CHROME_LONG: [&str; 14] = [
    "navbar",
    "menu",
    "footer",
    "header",
    "breadcrumb",
    "crumb",
    "share",
    "fenxiang",
    "qrcode",
    "erweima",
    "copyright",
    "sidebar",
    "related",
    "friendlink",
];
/// Class/id words of chrome, matched as a whole word.
const CHROME_SHORT: [&str; 14] = [
    "nav", "foot", "ewm", "top", "bottom", "side", "print", "links", "xglj", "position",
    "location", "weizhi", "dqwz", "tools",
];

fn is_chrome(el: &scraper::node::Element) -> bool {
    if CHROME_TAGS.contains(&el.name()) {
        return true;
    }
    let words = format!("{} {}", el.attr("class").unwrap_or(""), el.id().unwrap_or(""))
        .to_ascii_lowercase();
    words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| CHROME_LONG.iter().any(|k| w.contains(k)) || CHROME_SHORT.contains(&w))
}

/// The largest text block of the page, or `None` when it has no Han text outside
/// chrome and links.
pub(super) fn largest_block(doc: &Html) -> Option<ElementRef<'_>> {
    let mut own: HashMap<NodeId, usize> = HashMap::new();
    let mut total: HashMap<NodeId, usize> = HashMap::new();
    for node in doc.tree.root().descendants() {
        let Node::Text(text) = node.value() else { continue };
        let han = text.chars().filter(|&c| is_han(c)).count();
        if han == 0 {
            continue;
        }
        let ancestors: Vec<_> =
            node.ancestors().filter(|a| a.value().is_element()).collect();
        if ancestors.iter().any(|a| {
            a.value().as_element().is_some_and(|e| is_chrome(e) || e.name() == "a")
        }) {
            continue;
        }
        let Some(block) = ancestors.iter().find(|a| {
            a.value().as_element().is_some_and(|e| super::body::is_block_name(e.name()))
        }) else {
            continue;
        };
        *own.entry(block.id()).or_default() += han;
        for a in &ancestors {
            *total.entry(a.id()).or_default() += han;
        }
    }
    let mut score: HashMap<NodeId, usize> = HashMap::new();
    for (&id, &han) in &own {
        let Some(node) = doc.tree.get(id) else { continue };
        *score.entry(id).or_default() += 2 * han;
        let mut up = node.ancestors().filter(|a| a.value().is_element());
        if let Some(parent) = up.next() {
            *score.entry(parent.id()).or_default() += 2 * han;
            if let Some(grand) = up.next() {
                *score.entry(grand.id()).or_default() += han;
            }
        }
    }
    let candidates = doc.tree.root().descendants().filter(|n| {
        n.value().as_element().is_some_and(|e| !matches!(e.name(), "html" | "body"))
    });
    let mut best = None;
    let mut best_score = 0;
    for node in candidates {
        let s = score.get(&node.id()).copied().unwrap_or(0);
        if s > 0 && s >= best_score {
            best = Some(node);
            best_score = s;
        }
    }
    let mut best = best?;
    let size = |id: NodeId| total.get(&id).copied().unwrap_or(0);
    while let Some(parent) = best.parent() {
        let widen = parent
            .value()
            .as_element()
            .is_some_and(|e| !matches!(e.name(), "html" | "body"))
            && parent.children().any(|s| {
                // A comparable block beside it, or a paragraph of its own (the
                // signature after the article's inner container) is the article too.
                let paragraph = s.value().as_element().is_some_and(|e| e.name() == "p");
                s.id() != best.id()
                    && size(s.id()) > 0
                    && (paragraph || size(s.id()) * 4 >= size(best.id()))
            });
        if !widen {
            break;
        }
        best = parent;
    }
    ElementRef::wrap(best)
}
