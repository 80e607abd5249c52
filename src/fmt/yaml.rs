//! Writing front matter back in a fixed key order, each value quoted only when YAML
//! needs it, so that `fmt` gives every policy the same header shape.

use crate::edition::front_matter::{FrontMatter, OneOrMany, TextMatter};

/// The canonical front matter of a policy, with fences and a final newline.
pub(super) fn policy(matter: &FrontMatter) -> String {
    let mut out = String::from("---\n");
    line(&mut out, "title", &matter.title);
    list(&mut out, "issuer", matter.issuer.as_ref());
    if let Some(number) = &matter.number {
        line(&mut out, "number", number);
    }
    if let Some(date) = &matter.date {
        line(&mut out, "date", date);
    }
    if matter.excerpt {
        out.push_str("excerpt: true\n");
    }
    if let Some(id) = &matter.id {
        line(&mut out, "id", id);
    }
    for (key, value) in [
        ("published", &matter.published),
        ("source", &matter.source),
        ("effective", &matter.effective),
        ("expires", &matter.expires),
    ] {
        if let Some(value) = value {
            line(&mut out, key, value);
        }
    }
    if let Some(status) = &matter.status {
        line(&mut out, "status", status);
    }
    list(&mut out, "repeals", matter.repeals.as_ref());
    list(&mut out, "repealed_by", matter.repealed_by.as_ref());
    list(&mut out, "unprinted", matter.unprinted.as_ref());
    out.push_str("---\n");
    out
}

/// A key whose value is one string or a list: one item on the key's line, more as a
/// block list — or, when every item is a plain ASCII word (`unprinted: [issuer, date]`),
/// as a flow list on one line.
pub(crate) fn list(out: &mut String, key: &str, value: Option<&OneOrMany>) {
    match value {
        Some(OneOrMany::One(one)) => line(out, key, one),
        // Kept as written: a bare `key:` would read back as no key at all, and the
        // next `fmt` would drop the line.
        Some(OneOrMany::Many(many)) if many.is_empty() => {
            out.push_str(key);
            out.push_str(": []\n");
        }
        Some(OneOrMany::Many(many)) if many.len() == 1 => line(out, key, &many[0]),
        Some(OneOrMany::Many(many))
            if many.iter().all(|v| {
                !v.is_empty() && v.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            }) =>
        {
            out.push_str(&format!("{key}: [{}]\n", many.join(", ")));
        }
        Some(OneOrMany::Many(many)) => {
            out.push_str(key);
            out.push_str(":\n");
            for item in many {
                out.push_str("  - ");
                out.push_str(&scalar(item));
                out.push('\n');
            }
        }
        None => {}
    }
}

/// The canonical front matter of an intro or category text (none if it is empty).
pub(super) fn text(matter: &TextMatter) -> String {
    match &matter.title {
        Some(title) => {
            let mut out = String::from("---\n");
            line(&mut out, "title", title);
            out.push_str("---\n");
            out
        }
        None => String::new(),
    }
}

pub(crate) fn line(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(": ");
    out.push_str(&scalar(value));
    out.push('\n');
}

/// A YAML scalar for `value`: plain when that reads back as the same string, else
/// single-quoted, or double-quoted (JSON escapes) when it holds control characters.
fn scalar(value: &str) -> String {
    if value.chars().any(|c| c.is_control()) {
        return serde_json::to_string(value).unwrap_or_else(|_| format!("'{value}'"));
    }
    if is_plain_safe(value) {
        return value.to_string();
    }
    format!("'{}'", value.replace('\'', "''"))
}

fn is_plain_safe(value: &str) -> bool {
    let Some(first) = value.chars().next() else { return false };
    let reserved_start = "-?:,[]{}#&*!|>'\"%@` ".contains(first);
    let special = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]
        .iter()
        .any(|w| value.eq_ignore_ascii_case(w));
    let numeric = value.parse::<f64>().is_ok()
        || value.starts_with("0x")
        || value.starts_with("0o");
    !reserved_start
        && !special
        && !numeric
        && !value.ends_with(' ')
        && !value.ends_with(':')
        && !value.contains(": ")
        && !value.contains(" #")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_round_trip_through_yaml() {
        for value in [
            "北京市培育和激发市场主体活力持续优化营商环境实施方案",
            "京政发〔2021〕24号",
            "2021-11-05",
            "政策标题 #read(\"/etc/passwd\") $x$ <a> @b = x - y \\ * _ #import \"x.typ\"",
            "<script>alert(1)</script>",
            "- y",
            "a: b",
            "it's",
            "true",
            "123",
            "[x]",
            "行\t制表",
        ] {
            let yaml = format!("v: {}\n", scalar(value));
            let back: std::collections::BTreeMap<String, String> =
                serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"));
            assert_eq!(back["v"], value, "{yaml}");
        }
    }
}
