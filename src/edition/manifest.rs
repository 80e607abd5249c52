//! `edition.toml`: the edition's metadata and the book's order.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// The parsed manifest. Unknown keys are errors so that a typo (`subtitel`) is
/// reported instead of silently ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Book title, e.g. 北京市支持民营企业高质量发展政策汇编.
    pub title: Spanned<String>,
    /// e.g. 2021年四季度.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// The body that publishes the book; also the PDF's author.
    #[serde(default)]
    pub publisher: Option<String>,
    /// Publication month shown on the cover, `YYYY-MM` (or `YYYY-MM-DD`).
    #[serde(default)]
    pub published: Option<Spanned<String>>,
    /// First and last day the edition covers, ISO dates.
    #[serde(default)]
    pub period: Option<Spanned<Vec<String>>>,
    /// Front-matter text (引言), a Markdown file inside the edition folder.
    #[serde(default)]
    pub intro: Option<Spanned<String>>,
    /// The categories in book order.
    #[serde(default, rename = "category")]
    pub categories: Vec<CategoryEntry>,
    /// The edition before this one (an id under `sources/` or a path), for the
    /// generated 本期变化 page.
    #[serde(default)]
    pub previous: Option<Spanned<String>>,
    /// Back-matter indexes to generate: any of `issuer`, `date`, `number`.
    #[serde(default)]
    pub indexes: Option<Spanned<Vec<String>>>,
    /// Template parameters, passed through to the Typst template as data.
    #[serde(default)]
    pub style: BTreeMap<String, Spanned<toml::Value>>,
    /// How the PDF is written.
    #[serde(default)]
    pub pdf: Option<PdfTable>,
}

/// The `[pdf]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdfTable {
    /// The PDF standards to conform to: `"a-3a"`, `["a-3a", "ua-1"]` or `"none"`.
    #[serde(default)]
    pub standard: Option<Spanned<OneOrMany>>,
    /// Whether the PDF carries the edition's sources as attachments (default true).
    #[serde(default)]
    pub embed_sources: Option<Spanned<bool>>,
}

/// A string or a list of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One value.
    One(String),
    /// Several, in order.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The values in order.
    pub fn values(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(one) => vec![one.as_str()],
            OneOrMany::Many(many) => many.iter().map(String::as_str).collect(),
        }
    }
}

/// One `[[category]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryEntry {
    /// The category title, without its number (the tool numbers categories).
    pub title: Spanned<String>,
    /// Policy files in book order, relative to the edition folder.
    #[serde(default)]
    pub policies: Vec<Spanned<String>>,
    /// A Markdown file of text the category carries instead of (or before) policies.
    #[serde(default)]
    pub body: Option<Spanned<String>>,
}
