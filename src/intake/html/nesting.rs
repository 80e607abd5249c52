//! How deep a page nests, found before the HTML parser sees it: html5ever's tree
//! builder scans its stack of open elements for every tag, so its cost grows with
//! the square of the depth and has no cap of its own (servo/html5ever#788), and a
//! few hundred KB of `<div>` would take minutes. This scan is linear and keeps at
//! most [`MAX_NESTING`] names.

use crate::intake::limits::MAX_NESTING;

/// Elements that never hold content, so never stay open.
const VOID: [&str; 18] = [
    "area", "base", "basefont", "bgsound", "br", "col", "command", "embed", "frame",
    "hr", "image", "img", "input", "keygen", "link", "meta", "param", "source",
];
/// `track` and `wbr` are void too (kept apart only to keep the table short).
const VOID_MORE: [&str; 2] = ["track", "wbr"];
/// Elements whose content is text up to their own end tag, not markup.
const RAW_TEXT: [&str; 9] = [
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];
/// Start tags that close an open `<p>` (the parser's "close a p element").
const CLOSES_P: [&str; 30] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "section",
    "ul",
];
/// Elements past which an open `<p>`, `<li>` or cell is out of reach ("scope").
const SCOPE: [&str; 8] = ["table", "td", "th", "button", "object", "html", "svg", "math"];

/// The deepest the scan got, or `Err(depth)` as soon as it passes [`MAX_NESTING`].
///
/// It follows the parser where that matters for depth: void elements and comments
/// open nothing; script/style/textarea bodies are text; an end tag closes up to its
/// open element; `<p>`, `<li>`, `<dt>`/`<dd>`, `<tr>`, `<td>`/`<th>` and `<option>`
/// close their open predecessor. A self-closing slash counts only inside SVG or
/// MathML: in HTML `<div/>` opens a `div`, so ignoring it would let a page of
/// `<div/>` through uncounted.
pub(super) fn check(text: &str) -> Result<usize, usize> {
    let bytes = text.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut deepest = 0;
    let mut i = 0;
    while let Some(offset) = memchr_lt(&bytes[i..]) {
        i += offset;
        let rest = &bytes[i..];
        if rest.starts_with(b"<!--") {
            i = find(bytes, i + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = find(bytes, i + 2, b">").map_or(bytes.len(), |end| end + 1);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = i + 1 + usize::from(closing);
        let name = tag_name(bytes, name_start);
        if name.is_empty() {
            i += 1;
            continue;
        }
        let (end, self_closing) = tag_end(bytes, name_start + name.len());
        i = end;
        if closing {
            close(&mut stack, &name);
            continue;
        }
        let foreign = stack.iter().any(|n| n == "svg" || n == "math");
        if VOID.contains(&name.as_str()) || VOID_MORE.contains(&name.as_str()) {
            continue;
        }
        if self_closing && (foreign || name == "svg" || name == "math") {
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) && !foreign {
            i = raw_text_end(bytes, i, &name);
            continue;
        }
        implied_closes(&mut stack, &name);
        stack.push(name);
        deepest = deepest.max(stack.len());
        if stack.len() > MAX_NESTING {
            return Err(stack.len());
        }
    }
    Ok(deepest)
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// A tag name, lower-cased: ASCII letters first, then letters, digits and `-`.
fn tag_name(bytes: &[u8], start: usize) -> String {
    let mut name = String::new();
    for (k, &b) in bytes.iter().enumerate().skip(start) {
        let ok = if k == start {
            b.is_ascii_alphabetic()
        } else {
            b.is_ascii_alphanumeric() || b == b'-' || b == b':'
        };
        if !ok || name.len() >= 64 {
            break;
        }
        name.push(b.to_ascii_lowercase() as char);
    }
    name
}

/// Where the tag ends (after its `>`), skipping quoted attribute values, and whether
/// it ends with `/>`.
fn tag_end(bytes: &[u8], mut i: usize) -> (usize, bool) {
    let mut quote: Option<u8> = None;
    let mut last = 0u8;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return (i + 1, last == b'/'),
            None => {}
        }
        if !b.is_ascii_whitespace() {
            last = b;
        }
        i += 1;
    }
    (bytes.len(), false)
}

/// Past the end tag of a raw-text element, matched without regard to case.
fn raw_text_end(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut i = from;
    while let Some(offset) = memchr_lt(&bytes[i..]) {
        i += offset;
        let candidate = bytes.get(i + 2..i + 2 + name.len());
        if bytes.get(i + 1) == Some(&b'/')
            && candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes()))
        {
            return tag_end(bytes, i + 2 + name.len()).0;
        }
        i += 1;
    }
    bytes.len()
}

/// An end tag closes up to its open element, unless a scope boundary stands between
/// (then the parser ignores it, and so does this).
fn close(stack: &mut Vec<String>, name: &str) {
    for k in (0..stack.len()).rev() {
        if stack[k] == name {
            stack.truncate(k);
            return;
        }
        if SCOPE.contains(&stack[k].as_str()) && name != "table" {
            return;
        }
    }
}

fn implied_closes(stack: &mut Vec<String>, name: &str) {
    if CLOSES_P.contains(&name) || name == "li" || name == "dt" || name == "dd" {
        close_in_scope(stack, &["p"]);
    }
    match name {
        "li" => close_in_scope(stack, &["li"]),
        "dt" | "dd" => close_in_scope(stack, &["dt", "dd"]),
        "option" => close_in_scope(stack, &["option"]),
        "tr" => close_in_scope(stack, &["tr"]),
        "td" | "th" => close_in_scope(stack, &["td", "th"]),
        _ => {}
    }
}

/// Closes the nearest open element named in `names` when no scope boundary (or list,
/// for `li`) stands above it.
fn close_in_scope(stack: &mut Vec<String>, names: &[&str]) {
    for k in (0..stack.len()).rev() {
        let open = stack[k].as_str();
        if names.contains(&open) {
            stack.truncate(k);
            return;
        }
        let td_in_tr = names.contains(&"tr") && (open == "td" || open == "th");
        if (SCOPE.contains(&open) && !td_in_tr)
            || (names == ["li"] && (open == "ul" || open == "ol"))
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_shallow() {
        let page = "<!DOCTYPE html><html><head><meta charset=utf-8><title>a<b</title>\
            <script>if (a<b) { document.write('<div><div><div>') }</script></head>\
            <body><div class=a><p>一<p>二<br/><img src=x.png><ul><li>三<li>四</ul>\
            <table><tr><td>五<td>六<tr><td>七</table><!-- <div><div> --></div></body></html>";
        assert_eq!(check(page), Ok(6));
    }

    #[test]
    fn unclosed_paragraphs_do_not_add_up() {
        let page = format!("<div>{}</div>", "<p>段落".repeat(5000));
        assert_eq!(check(&page), Ok(2));
        let cells = format!("<table>{}</table>", "<tr><td>格<td>格".repeat(5000));
        assert_eq!(check(&cells), Ok(3));
    }

    #[test]
    fn deep_nesting_is_refused_as_soon_as_it_passes_the_limit() {
        let page = "<div>".repeat(100_000);
        assert_eq!(check(&page), Err(MAX_NESTING + 1));
        // The slash means nothing on an HTML element: the parser opens every one.
        let slashed = "<div/>".repeat(MAX_NESTING + 10);
        assert!(check(&slashed).is_err());
        let formatting = "<b>".repeat(MAX_NESTING + 10);
        assert!(check(&formatting).is_err());
    }

    #[test]
    fn void_and_self_closed_foreign_elements_open_nothing() {
        let page =
            format!("<svg>{}</svg>{}", "<path/>".repeat(5000), "<br><img>".repeat(5000));
        assert_eq!(check(&page), Ok(1));
    }
}
