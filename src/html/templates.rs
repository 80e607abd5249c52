//! Where the HTML templates come from: `templates/html/` in the project, file by file,
//! else the copies compiled into huibian (the same files).

use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use super::HtmlError;

/// Templates rendered with minijinja (autoescape on: they all end in `.html`).
pub(crate) const RENDERED: [&str; 6] = [
    "base.html",
    "blocks.html",
    "index.html",
    "policy.html",
    "category.html",
    "list.html",
];
/// Files copied into the site as they are.
pub(crate) const STATIC_FILES: [&str; 2] = ["style.css", "search.js"];

const BUILTIN: [(&str, &str); 8] = [
    ("base.html", include_str!("../../templates/html/base.html")),
    ("blocks.html", include_str!("../../templates/html/blocks.html")),
    ("index.html", include_str!("../../templates/html/index.html")),
    ("policy.html", include_str!("../../templates/html/policy.html")),
    ("category.html", include_str!("../../templates/html/category.html")),
    ("list.html", include_str!("../../templates/html/list.html")),
    ("style.css", include_str!("../../templates/html/style.css")),
    ("search.js", include_str!("../../templates/html/search.js")),
];

/// The HTML templates, static files included.
#[derive(Debug, Clone)]
pub struct HtmlTemplates {
    /// `<project>/templates/html` when it exists; `None` for the built-in set.
    pub dir: Option<PathBuf>,
    files: Vec<(&'static str, String)>,
}

impl HtmlTemplates {
    /// `html/<file>` in the project's template folder (`Project::templates_dir`) for
    /// each file present there, the built-in copy for the others.
    pub fn locate(templates: &Path) -> Result<Self, HtmlError> {
        let dir = templates.join("html");
        if !dir.is_dir() {
            return Ok(Self::builtin());
        }
        let mut files = Vec::with_capacity(BUILTIN.len());
        for (name, builtin) in BUILTIN {
            let path = dir.join(name);
            let text = if path.is_file() {
                std::fs::read_to_string(&path)
                    .map_err(|source| HtmlError::Read { path, source })?
            } else {
                builtin.to_string()
            };
            files.push((name, text));
        }
        Ok(Self { dir: Some(dir), files })
    }

    /// The templates compiled into huibian.
    pub fn builtin() -> Self {
        Self {
            dir: None,
            files: BUILTIN.iter().map(|(n, t)| (*n, t.to_string())).collect(),
        }
    }

    /// The text of one file (`style.css`); empty for a name that is not a template.
    pub fn text(&self, name: &str) -> &str {
        self.files.iter().find(|(n, _)| *n == name).map_or("", |(_, t)| t.as_str())
    }

    /// A minijinja environment with every template added: HTML autoescaping, strict
    /// undefined values (a typo in a template is an error, not a blank).
    pub(crate) fn environment(&self) -> Result<Environment<'static>, HtmlError> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") { AutoEscape::Html } else { AutoEscape::None }
        });
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_formatter(format_value);
        for name in RENDERED {
            env.add_template_owned(name, self.text(name).to_string()).map_err(
                |source| HtmlError::Template { name: name.to_string(), source },
            )?;
        }
        Ok(env)
    }
}

/// minijinja's formatter, except that strings in HTML are escaped with the five
/// entities HTML needs (`& < > " '`) and `/` stays `/`, so hrefs read as written.
fn format_value(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if state.auto_escape() == AutoEscape::Html
        && !value.is_safe()
        && let Some(text) = value.as_str()
    {
        out.write_str(&escape_html(text)).map_err(minijinja::Error::from)
    } else {
        minijinja::escape_formatter(out, state, value)
    }
}

/// Escapes text for HTML content and quoted attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
