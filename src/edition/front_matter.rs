//! The YAML front matter at the top of a policy file.
//!
//! A policy file starts with a `---` line, YAML, and a closing `---` (or `...`) line.
//! [`split`] finds that block without parsing it, so that the body keeps its exact
//! byte offsets in the file and every later span still points at the right line.

use serde::Deserialize;

/// Where the front matter and the body lie in a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the YAML between the fences, or `None` without front matter.
    pub yaml: Option<std::ops::Range<usize>>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Why a front matter block could not be delimited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclosed {
    /// Byte range of the opening fence.
    pub fence: std::ops::Range<usize>,
}

/// Finds the front matter block. A file whose first line is not `---` has none.
pub fn split(text: &str) -> Result<Split, Unclosed> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split { yaml: None, body_start: 0 });
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Ok(Split {
                yaml: Some(yaml_start..offset),
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Unclosed { fence: 0..first_line_end })
}

/// The byte range of the line `key: …` inside the front matter `yaml` of `text`.
pub fn key_line(
    text: &str,
    yaml: &std::ops::Range<usize>,
    key: &str,
) -> Option<std::ops::Range<usize>> {
    let block = text.get(yaml.clone())?;
    let mut offset = yaml.start;
    for line in block.split_inclusive('\n') {
        if line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')) {
            return Some(offset..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    None
}

/// The line `key: …` of a whole file's front matter, for findings about a value.
pub fn find_key(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let yaml = split(text).ok()?.yaml?;
    key_line(text, &yaml, key)
}

/// Parses front matter YAML. Everyone reading front matter goes through here so that
/// all read it alike: a `!!binary` value stays the text written (decoded, a title
/// could print other words than the reviewed source shows), and alias expansion stops
/// at a budget sized for a header (an alias bomb fails fast instead of after 250,000
/// nodes).
pub fn parse<T: serde::de::DeserializeOwned>(
    yaml: &str,
) -> Result<T, serde_saphyr::Error> {
    let mut options = serde_saphyr::Options::default();
    options.ignore_binary_tag_for_string = true;
    if let Some(budget) = options.budget.as_mut() {
        budget.max_nodes = 10_000;
    }
    serde_saphyr::from_str_with_options(yaml, options)
}

/// Why front matter did not parse, in one line without serde-saphyr's own location
/// (diagnostics show ours) and in an editor's words where the library's are internal.
pub fn error_message(err: &serde_saphyr::Error) -> String {
    let text = err.to_string();
    let mut message = text.lines().next().unwrap_or("invalid YAML").trim();
    message = message.strip_prefix("error: ").unwrap_or(message);
    if message.starts_with("line ")
        && let Some((_, rest)) = message.split_once(": ")
    {
        message = rest;
    }
    if message.starts_with("budget breached") {
        return "it expands to more than 10,000 values (YAML anchors and aliases repeating \
                each other): a policy's header needs a few, written out"
            .to_string();
    }
    let message = match message.rfind(" at line ") {
        Some(cut) => &message[..cut],
        None => message,
    };
    if message.contains("scanning a tag") {
        // `title: !重要通知` — an unquoted value that starts with `!`.
        return format!(
            "{message} (a value starting with `!` is read as a YAML tag: put it in quotes)"
        );
    }
    message.to_string()
}

/// A YAML tag in front matter (`!custom`, `!!binary`): serde reads past it, so the
/// value is used as the text written. Most often a value that merely starts with `!`
/// and was not quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredTag {
    /// The tag as written, e.g. `!custom`.
    pub tag: String,
    /// 1-based line within the YAML.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// The tags in `yaml` other than `!!str` (which only says what every value here is).
/// Empty when the YAML does not scan: the parse error is reported instead.
pub fn ignored_tags(yaml: &str) -> Vec<IgnoredTag> {
    // serde-saphyr's own parser (re-exported): its events show the tags serde reads past.
    use serde_saphyr::granit_parser::{Event, Parser};
    let mut out = Vec::new();
    for item in Parser::new_from_str(yaml) {
        let Ok((event, span)) = item else { return Vec::new() };
        let tag = match event {
            Event::Scalar(_, _, _, tag)
            | Event::SequenceStart(_, _, tag)
            | Event::MappingStart(_, _, tag) => tag,
            _ => None,
        };
        let Some(tag) = tag else { continue };
        if tag.suffix_in_namespace("tag:yaml.org,2002:").is_some_and(|s| s == "str") {
            continue;
        }
        let written = if tag.original_handle().is_empty() {
            tag.to_string()
        } else {
            format!("{}{}", tag.original_handle(), tag.suffix())
        };
        // The event's span starts at the value, after the tag: find the tag before it.
        let (line, value_column) = (span.start.line(), span.start.col());
        let line_text = yaml.lines().nth(line.saturating_sub(1)).unwrap_or("");
        let value_byte = line_text
            .char_indices()
            .nth(value_column)
            .map_or(line_text.len(), |(i, _)| i);
        let column = match line_text[..value_byte].rfind(&written) {
            Some(byte) => line_text[..byte].chars().count() + 1,
            None => value_column + 1,
        };
        out.push(IgnoredTag { tag: written, line, column });
    }
    out
}

/// The metadata of one policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The policy's full title.
    pub title: String,
    /// 发文机关 (issuing body or bodies), printed in the signature.
    #[serde(default)]
    pub issuer: Option<OneOrMany>,
    /// 文号 (document number), e.g. 京政发〔2021〕24号.
    #[serde(default)]
    pub number: Option<String>,
    /// 成文日期 (date of the document), `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// 节选: the text is an excerpt, so numbering gaps are expected.
    #[serde(default)]
    pub excerpt: bool,
    /// A stable id for anchors, cross-references and diffs.
    #[serde(default)]
    pub id: Option<String>,
    /// 发布日期 (date of publication), `YYYY-MM-DD`.
    #[serde(default)]
    pub published: Option<String>,
    /// Where the document was published: the page's address.
    #[serde(default)]
    pub source: Option<String>,
    /// 施行日期 (date it takes effect), `YYYY-MM-DD`.
    #[serde(default)]
    pub effective: Option<String>,
    /// 有效期至 (last day in force), `YYYY-MM-DD`.
    #[serde(default)]
    pub expires: Option<String>,
    /// 现行有效 / 已修订 / 失效 / 废止; derived from the dates and repeals when absent.
    #[serde(default)]
    pub status: Option<String>,
    /// Documents this one repeals or declares void, by 文号 or title.
    #[serde(default)]
    pub repeals: Option<OneOrMany>,
    /// Documents that repeal or void this one, by 文号 or title.
    #[serde(default)]
    pub repealed_by: Option<OneOrMany>,
    /// Fields known (from the public record) that this book does not print:
    /// any of `issuer`, `number`, `date`.
    #[serde(default)]
    pub unprinted: Option<OneOrMany>,
}

/// Front matter of an intro or category-body file: all optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextMatter {
    /// A heading to print instead of the default (引言 for the intro).
    #[serde(default)]
    pub title: Option<String>,
}

/// A YAML value that may be written as one string or as a list of strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// `issuer: 北京市人民政府`
    One(String),
    /// `issuer: [北京市医疗保障局, 北京市人力资源和社会保障局]`
    Many(Vec<String>),
}

impl OneOrMany {
    /// The values as a list.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            Self::One(one) => vec![one.clone()],
            Self::Many(many) => many.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_yaml_and_body() {
        let text = "---\ntitle: 甲\n---\n正文\n";
        let split = split(text).unwrap();
        assert_eq!(&text[split.yaml.unwrap()], "title: 甲\n");
        assert_eq!(&text[split.body_start..], "正文\n");
    }

    #[test]
    fn split_without_front_matter() {
        assert_eq!(split("正文").unwrap(), Split { yaml: None, body_start: 0 });
    }

    #[test]
    fn split_reports_an_unclosed_fence() {
        assert_eq!(split("---\ntitle: 甲\n正文").unwrap_err().fence, 0..3);
    }

    #[test]
    fn split_accepts_front_matter_alone() {
        let text = "---\ntitle: 甲\n---";
        assert_eq!(split(text).unwrap().body_start, text.len());
    }
}
