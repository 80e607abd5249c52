//! `edition.toml` with one more policy in a category, rewritten through a
//! format-preserving TOML editor: the editor's comments, alignment and blank lines
//! stay as they wrote them; only the new entry is added, in the style of the
//! entries beside it.

use toml_edit::{Array, DocumentMut, Item, Value};

/// A category of the manifest, as the book numbers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// Its position among the `[[category]]` tables, 0-based.
    pub index: usize,
    /// Its title.
    pub title: String,
    /// Whether it lists policies (a category may carry a body text instead).
    pub takes_policies: bool,
}

/// Why a manifest change cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// The manifest does not parse (the loader reports where).
    #[error("edition.toml does not parse: {0}")]
    Parse(String),
    /// `--category` names none of the categories.
    #[error("no category {given}; the categories are:\n{list}")]
    NoSuchCategory {
        /// What was asked for.
        given: String,
        /// The categories, one per line, numbered.
        list: String,
    },
    /// `--category` matches several titles.
    #[error("`{given}` matches several categories; give its number:\n{list}")]
    Ambiguous {
        /// What was asked for.
        given: String,
        /// The matching categories, numbered.
        list: String,
    },
    /// No `--category`, and the edition has more than one.
    #[error("give the category with --category <TITLE|N>; the categories are:\n{0}")]
    Unspecified(String),
    /// The chosen category carries a body text, not a policy list.
    #[error("category {0} holds a text (`body`), not policies")]
    NoPolicies(String),
}

/// The categories of a manifest, in order.
pub fn categories(manifest: &str) -> Result<Vec<Category>, ManifestError> {
    let doc: DocumentMut = manifest
        .parse()
        .map_err(|e: toml_edit::TomlError| ManifestError::Parse(e.to_string()))?;
    let Some(tables) = doc.get("category").and_then(Item::as_array_of_tables) else {
        return Ok(Vec::new());
    };
    Ok(tables
        .iter()
        .enumerate()
        .map(|(index, table)| Category {
            index,
            title: table.get("title").and_then(Item::as_str).unwrap_or("").to_string(),
            takes_policies: table.get("policies").is_some()
                || table.get("body").is_none(),
        })
        .collect())
}

/// The category `--category` names: its number as printed (`1`…) or its title
/// (exactly, else the one title containing it). With no choice, the only category.
pub fn choose(
    categories: &[Category],
    given: Option<&str>,
) -> Result<Category, ManifestError> {
    let list = |cats: &[&Category]| {
        cats.iter()
            .map(|c| format!("  {}. {}", c.index + 1, c.title))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let all: Vec<&Category> = categories.iter().collect();
    let chosen = match given.map(str::trim) {
        None => match all.as_slice() {
            [only] => *only,
            _ => return Err(ManifestError::Unspecified(list(&all))),
        },
        Some(given) => {
            let by_number = given
                .trim_end_matches(['.', '。'])
                .parse::<usize>()
                .ok()
                .and_then(|n| categories.get(n.wrapping_sub(1)));
            let exact = categories.iter().find(|c| c.title == given);
            let containing: Vec<&Category> =
                categories.iter().filter(|c| c.title.contains(given)).collect();
            match (by_number, exact, containing.as_slice()) {
                (Some(c), _, _) | (None, Some(c), _) => c,
                (None, None, [c]) => *c,
                (None, None, []) => {
                    return Err(ManifestError::NoSuchCategory {
                        given: given.to_string(),
                        list: list(&all),
                    });
                }
                (None, None, many) => {
                    return Err(ManifestError::Ambiguous {
                        given: given.to_string(),
                        list: list(many),
                    });
                }
            }
        }
    };
    if !chosen.takes_policies {
        return Err(ManifestError::NoPolicies(format!(
            "{}. {}",
            chosen.index + 1,
            chosen.title
        )));
    }
    Ok(chosen.clone())
}

/// The manifest with `path` appended to the policies of category `index`, formatted
/// like the entries before it (one per line with a trailing comma, as `import` and
/// the editors write them, or inline when the list is inline).
pub fn append_policy(
    manifest: &str,
    index: usize,
    path: &str,
) -> Result<String, ManifestError> {
    let mut doc: DocumentMut = manifest
        .parse()
        .map_err(|e: toml_edit::TomlError| ManifestError::Parse(e.to_string()))?;
    let table = doc
        .get_mut("category")
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|tables| tables.get_mut(index))
        .ok_or_else(|| ManifestError::NoSuchCategory {
            given: (index + 1).to_string(),
            list: String::new(),
        })?;
    if !table.contains_key("policies") {
        table.insert("policies", toml_edit::value(Array::new()));
    }
    let title = table.get("title").and_then(Item::as_str).unwrap_or("").to_string();
    let Some(array) = table.get_mut("policies").and_then(Item::as_array_mut) else {
        return Err(ManifestError::NoPolicies(format!("{}. {title}", index + 1)));
    };
    push_like_the_others(array, path);
    Ok(doc.to_string())
}

fn push_like_the_others(array: &mut Array, path: &str) {
    insert_like_the_others(array, array.len(), Value::from(path));
}

/// Inserts `value` at `index` in the layout of the entries beside it: one per line
/// (as `import`, `add` and the editors write them, and an empty list becomes that
/// form) or inline. The desk's moves use it too.
pub(crate) fn insert_like_the_others(array: &mut Array, index: usize, mut value: Value) {
    let append = index >= array.len();
    let neighbour = array
        .get(index)
        .or_else(|| array.iter().last())
        .map(|v| v.decor().prefix().and_then(|p| p.as_str()).unwrap_or("").to_string());
    let multiline = neighbour.as_ref().is_none_or(|p| p.contains('\n'));
    let prefix = if multiline {
        let indent = neighbour
            .as_deref()
            .and_then(|p| p.rsplit_once('\n'))
            .map_or("  ", |(_, indent)| indent)
            .to_string();
        // A comment after the last entry's comma belongs to that entry: it stays on
        // its line, and an entry added after it goes on the next.
        let trailing = if append {
            array.trailing().as_str().unwrap_or("").trim_end().to_string()
        } else {
            String::new()
        };
        format!("{trailing}\n{indent}")
    } else if index == 0 {
        String::new()
    } else {
        " ".to_string()
    };
    value.decor_mut().set_prefix(prefix);
    value.decor_mut().set_suffix("");
    // An inline list's first entry has no space before it; the one it displaces gets one.
    if !multiline
        && index == 0
        && let Some(first) = array.get_mut(0)
    {
        first.decor_mut().set_prefix(" ");
    }
    array.insert_formatted(index.min(array.len()), value);
    if multiline {
        array.set_trailing_comma(true);
        if append || !array.trailing().as_str().is_some_and(|t| t.contains('\n')) {
            array.set_trailing("\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"title     = "汇编"   # the book's title
period    = ["2021-10-01", "2021-12-31"]

# 第一类
[[category]]
title    = "优化营商环境"
policies = [
  "优化营商环境/甲.md",
  "优化营商环境/乙.md", # 修订版
]

[[category]]
title = "四季度出台“十四五”规划汇总"
body  = "十四五规划.md"

[[category]]
title    = "科技创新领域"
policies = ["科技创新领域/丙.md"]

[[category]]
title    = "文化教育领域"
policies = []
"#;

    #[test]
    fn the_editors_layout_and_comments_survive() {
        let out = append_policy(MANIFEST, 0, "优化营商环境/丁.md").unwrap();
        assert_eq!(
            out,
            MANIFEST.replace(
                "  \"优化营商环境/乙.md\", # 修订版\n]",
                "  \"优化营商环境/乙.md\", # 修订版\n  \"优化营商环境/丁.md\",\n]"
            )
        );
        let inline = append_policy(MANIFEST, 2, "科技创新领域/戊.md").unwrap();
        assert!(
            inline
                .contains("policies = [\"科技创新领域/丙.md\", \"科技创新领域/戊.md\"]"),
            "{inline}"
        );
        let empty = append_policy(MANIFEST, 3, "文化教育领域/己.md").unwrap();
        assert!(
            empty.contains("policies = [\n  \"文化教育领域/己.md\",\n]\n"),
            "{empty}"
        );
        assert!(out.contains("# the book's title") && out.contains("# 第一类"));
    }

    #[test]
    fn the_real_manifest_gains_one_line() {
        let real = include_str!("../../sources/2021-Q4/edition.toml");
        let out = append_policy(real, 1, "科技创新领域/新政策.md").unwrap();
        let added: Vec<&str> = similar::TextDiff::from_lines(real, out.as_str())
            .iter_all_changes()
            .filter(|c| c.tag() != similar::ChangeTag::Equal)
            .map(|c| c.value())
            .collect();
        assert_eq!(added, ["  \"科技创新领域/新政策.md\",\n"]);
    }

    #[test]
    fn categories_are_chosen_by_number_or_title() {
        let cats = categories(MANIFEST).unwrap();
        assert_eq!(choose(&cats, Some("1")).unwrap().title, "优化营商环境");
        assert_eq!(choose(&cats, Some("3.")).unwrap().title, "科技创新领域");
        assert_eq!(choose(&cats, Some("科技")).unwrap().index, 2);
        assert!(matches!(choose(&cats, Some("2")), Err(ManifestError::NoPolicies(_))));
        assert!(matches!(
            choose(&cats, Some("领域")),
            Err(ManifestError::Ambiguous { .. })
        ));
        let none = choose(&cats, None).unwrap_err().to_string();
        assert!(
            none.contains("1. 优化营商环境") && none.contains("4. 文化教育领域"),
            "{none}"
        );
        assert!(matches!(
            choose(&cats, Some("9")),
            Err(ManifestError::NoSuchCategory { .. })
        ));
        assert!(matches!(
            choose(&cats, Some("0")),
            Err(ManifestError::NoSuchCategory { .. })
        ));
    }
}
