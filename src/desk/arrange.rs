//! The edition's arrangement as the desk changes it: `edition.toml` rewritten through
//! a format-preserving TOML editor, so that the editor's comments, alignment and the
//! entries the change does not touch stay as written.
//!
//! A policy moved to another category keeps its file where it is: the manifest lists
//! paths, and a file that moved would break every link and history entry to it.

use serde::Deserialize;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

/// One change to the arrangement.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    /// A policy to `position` among the policies of category `to` (0-based both).
    Move {
        /// The policy's path as the manifest lists it.
        path: String,
        /// The category's index.
        to: usize,
        /// Its place there.
        position: usize,
    },
    /// A category's title.
    Rename {
        /// The category's index.
        category: usize,
        /// The new title.
        title: String,
    },
    /// A new, empty category at the end.
    AddCategory {
        /// Its title.
        title: String,
    },
    /// An empty category removed (one with policies or a text is refused).
    RemoveCategory {
        /// The category's index.
        category: usize,
    },
    /// A policy taken out of the manifest (its file is removed by the caller).
    RemovePolicy {
        /// The policy's path as the manifest lists it.
        path: String,
    },
    /// The edition's title, subtitle or period.
    Meta {
        /// `title`, `subtitle`, `period_start` or `period_end`.
        key: String,
        /// The value; empty removes an optional key (`subtitle`).
        value: String,
    },
}

/// Why a change cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArrangeError {
    /// The manifest does not parse (`check` says where).
    #[error("edition.toml does not parse: {0}")]
    Parse(String),
    /// No such category.
    #[error("there is no category {0}")]
    NoCategory(usize),
    /// The policy is not in the manifest.
    #[error("{0} is not among the edition's policies")]
    NoPolicy(String),
    /// The category holds a text or policies.
    #[error("category {0} is not empty: move or remove its policies (or its text) first")]
    NotEmpty(String),
    /// A category or edition title must not be empty.
    #[error("a title cannot be empty")]
    EmptyTitle,
    /// A target category holds a text, not policies.
    #[error("category {0} holds a text (`body`), not policies")]
    NoPolicies(String),
    /// An edition field the desk does not edit.
    #[error("the desk does not edit `{0}`")]
    NoSuchKey(String),
}

/// `manifest` with `edit` made.
pub fn apply(manifest: &str, edit: &Edit) -> Result<String, ArrangeError> {
    let mut doc: DocumentMut = manifest
        .parse()
        .map_err(|e: toml_edit::TomlError| ArrangeError::Parse(e.to_string()))?;
    match edit {
        Edit::Move { path, to, position } => {
            let tables = categories(&mut doc)?;
            let title =
                tables.get(*to).map(title_of).ok_or(ArrangeError::NoCategory(*to))?;
            let (from, index) = find_policy(tables, path)?;
            let value = policies(tables, from)?.remove(index);
            let target = tables.get_mut(*to).ok_or(ArrangeError::NoCategory(*to))?;
            if target.contains_key("body") && !target.contains_key("policies") {
                return Err(ArrangeError::NoPolicies(title));
            }
            if !target.contains_key("policies") {
                target.insert("policies", toml_edit::value(Array::new()));
            }
            let array = target
                .get_mut("policies")
                .and_then(Item::as_array_mut)
                .ok_or(ArrangeError::NoPolicies(title))?;
            crate::add::manifest::insert_like_the_others(
                array,
                (*position).min(array.len()),
                value,
            );
        }
        Edit::Rename { category, title } => {
            let title = title.trim();
            if title.is_empty() {
                return Err(ArrangeError::EmptyTitle);
            }
            let table = categories(&mut doc)?
                .get_mut(*category)
                .ok_or(ArrangeError::NoCategory(*category))?;
            set_string(table, "title", title);
        }
        Edit::AddCategory { title } => {
            let title = title.trim();
            if title.is_empty() {
                return Err(ArrangeError::EmptyTitle);
            }
            if doc.get("category").is_none() {
                doc.insert("category", Item::ArrayOfTables(ArrayOfTables::new()));
            }
            let tables = categories(&mut doc)?;
            let mut table = Table::new();
            table.insert("title", toml_edit::value(title));
            table.insert("policies", toml_edit::value(Array::new()));
            tables.push(table);
        }
        Edit::RemoveCategory { category } => {
            let tables = categories(&mut doc)?;
            let table =
                tables.get(*category).ok_or(ArrangeError::NoCategory(*category))?;
            let empty = table.get("body").is_none()
                && table
                    .get("policies")
                    .and_then(Item::as_array)
                    .is_none_or(Array::is_empty);
            if !empty {
                return Err(ArrangeError::NotEmpty(title_of(table)));
            }
            tables.remove(*category);
        }
        Edit::RemovePolicy { path } => {
            let tables = categories(&mut doc)?;
            let (from, index) = find_policy(tables, path)?;
            policies(tables, from)?.remove(index);
        }
        Edit::Meta { key, value } => {
            let value = value.trim();
            match key.as_str() {
                "title" if value.is_empty() => return Err(ArrangeError::EmptyTitle),
                "title" | "subtitle" => {
                    if value.is_empty() {
                        doc.remove(key);
                    } else {
                        set_string(doc.as_table_mut(), key, value);
                    }
                }
                "period_start" | "period_end" => {
                    let slot = usize::from(key == "period_end");
                    let period = doc
                        .get_mut("period")
                        .and_then(Item::as_array_mut)
                        .filter(|a| a.len() == 2)
                        .ok_or_else(|| ArrangeError::NoSuchKey("period".into()))?;
                    let decor = period.get(slot).map(|v| v.decor().clone());
                    period.replace(slot, value);
                    if let (Some(decor), Some(v)) = (decor, period.get_mut(slot)) {
                        *v.decor_mut() = decor;
                    }
                }
                other => return Err(ArrangeError::NoSuchKey(other.to_string())),
            }
        }
    }
    Ok(doc.to_string())
}

fn categories(doc: &mut DocumentMut) -> Result<&mut ArrayOfTables, ArrangeError> {
    doc.get_mut("category")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or(ArrangeError::NoCategory(0))
}

fn title_of(table: &Table) -> String {
    table.get("title").and_then(Item::as_str).unwrap_or("").to_string()
}

fn policies(
    tables: &mut ArrayOfTables,
    index: usize,
) -> Result<&mut Array, ArrangeError> {
    let table = tables.get_mut(index).ok_or(ArrangeError::NoCategory(index))?;
    let title = title_of(table);
    table
        .get_mut("policies")
        .and_then(Item::as_array_mut)
        .ok_or(ArrangeError::NoPolicies(title))
}

/// (category, position) of the policy listed as `path`.
fn find_policy(
    tables: &ArrayOfTables,
    path: &str,
) -> Result<(usize, usize), ArrangeError> {
    tables
        .iter()
        .enumerate()
        .find_map(|(c, table)| {
            table
                .get("policies")
                .and_then(Item::as_array)
                .and_then(|a| a.iter().position(|v| v.as_str() == Some(path)))
                .map(|p| (c, p))
        })
        .ok_or_else(|| ArrangeError::NoPolicy(path.to_string()))
}

/// Sets a string value, keeping the spacing around the `=` as written.
fn set_string(table: &mut Table, key: &str, value: &str) {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            let decor = old.decor().clone();
            *old = Value::from(value);
            *old.decor_mut() = decor;
        }
        None => {
            table.insert(key, toml_edit::value(value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"title     = "汇编"   # the book's title
subtitle  = "2021年四季度"
period    = ["2021-10-01", "2021-12-31"]

# 第一类
[[category]]
title    = "优化营商环境"
policies = [
  "优化营商环境/甲.md",
  "优化营商环境/乙.md",
]

[[category]]
title = "科技创新领域"   # 新设
policies = [
  "科技创新领域/丙.md",
]

[[category]]
title = "四季度出台“十四五”规划汇总"
body  = "十四五规划.md"
"#;

    #[test]
    fn a_policy_moves_between_categories_and_nothing_else_changes() {
        let edit =
            Edit::Move { path: "优化营商环境/乙.md".into(), to: 1, position: 0 };
        let out = apply(MANIFEST, &edit).unwrap();
        assert_eq!(
            out,
            MANIFEST.replace("  \"优化营商环境/乙.md\",\n", "").replace(
                "policies = [\n  \"科技创新领域/丙.md\",",
                "policies = [\n  \"优化营商环境/乙.md\",\n  \"科技创新领域/丙.md\","
            )
        );
    }

    #[test]
    fn a_policy_moves_within_its_category() {
        let edit =
            Edit::Move { path: "优化营商环境/甲.md".into(), to: 0, position: 1 };
        let out = apply(MANIFEST, &edit).unwrap();
        assert!(
            out.contains(
                "policies = [\n  \"优化营商环境/乙.md\",\n  \"优化营商环境/甲.md\",\n]"
            ),
            "{out}"
        );
    }

    #[test]
    fn categories_are_renamed_added_and_removed_when_empty() {
        let out =
            apply(MANIFEST, &Edit::Rename { category: 1, title: "科技创新".into() })
                .unwrap();
        assert!(out.contains("title = \"科技创新\"   # 新设"), "{out}");
        let out = apply(&out, &Edit::AddCategory { title: "金融支持".into() }).unwrap();
        assert!(
            out.ends_with("[[category]]\ntitle = \"金融支持\"\npolicies = []\n"),
            "{out}"
        );
        let refused = apply(&out, &Edit::RemoveCategory { category: 0 });
        assert!(matches!(refused, Err(ArrangeError::NotEmpty(t)) if t == "优化营商环境"));
        assert!(matches!(
            apply(&out, &Edit::RemoveCategory { category: 2 }),
            Err(ArrangeError::NotEmpty(_))
        ));
        let out = apply(&out, &Edit::RemoveCategory { category: 3 }).unwrap();
        assert!(!out.contains("金融支持"), "{out}");
        assert!(out.starts_with("title     = \"汇编\"   # the book's title\n"), "{out}");
    }

    #[test]
    fn a_policy_is_removed_and_the_edition_fields_are_set() {
        let out =
            apply(MANIFEST, &Edit::RemovePolicy { path: "科技创新领域/丙.md".into() })
                .unwrap();
        assert!(!out.contains("丙"), "{out}");
        let out =
            apply(&out, &Edit::Meta { key: "title".into(), value: "新汇编".into() })
                .unwrap();
        assert!(
            out.starts_with("title     = \"新汇编\"   # the book's title\n"),
            "{out}"
        );
        let out = apply(
            &out,
            &Edit::Meta { key: "period_end".into(), value: "2022-01-31".into() },
        )
        .unwrap();
        assert!(out.contains("period    = [\"2021-10-01\", \"2022-01-31\"]"), "{out}");
        let out = apply(&out, &Edit::Meta { key: "subtitle".into(), value: "".into() })
            .unwrap();
        assert!(!out.contains("subtitle"), "{out}");
    }

    #[test]
    fn mistakes_are_refused() {
        assert!(matches!(
            apply(MANIFEST, &Edit::Move { path: "无.md".into(), to: 0, position: 0 }),
            Err(ArrangeError::NoPolicy(_))
        ));
        assert!(matches!(
            apply(
                MANIFEST,
                &Edit::Move {
                    path: "优化营商环境/甲.md".into(), to: 2, position: 0
                }
            ),
            Err(ArrangeError::NoPolicies(_))
        ));
        assert!(matches!(
            apply(
                MANIFEST,
                &Edit::Move {
                    path: "优化营商环境/甲.md".into(), to: 9, position: 0
                }
            ),
            Err(ArrangeError::NoCategory(9))
        ));
        assert_eq!(
            apply(MANIFEST, &Edit::Rename { category: 0, title: " ".into() }),
            Err(ArrangeError::EmptyTitle)
        );
        assert!(matches!(
            apply("title = [", &Edit::AddCategory { title: "x".into() }),
            Err(ArrangeError::Parse(_))
        ));
    }
}
