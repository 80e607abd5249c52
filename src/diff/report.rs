//! Renderers of an [`EditionDiff`]: terminal text (a summary table, then each
//! change), `--stat` (the summary alone), JSON (the schema in [`super`]) and a
//! self-contained HTML page from `templates/diff.html`.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Change, ChangeKind, EditionDiff, Locus, Segment, SegmentOp, Summary};

/// The built-in HTML template; `to_html_with` takes another.
pub const HTML_TEMPLATE: &str = include_str!("../../templates/diff.html");

/// The summary as (label, value) rows, the same in every format.
pub fn summary_rows(s: &Summary) -> Vec<(&'static str, String)> {
    rows_in(s, Language::English)
}

/// The summary rows in Chinese, for the published HTML report.
pub fn summary_rows_zh(s: &Summary) -> Vec<(&'static str, String)> {
    rows_in(s, Language::Chinese)
}

#[derive(Clone, Copy, PartialEq)]
enum Language {
    English,
    Chinese,
}

/// One list of rows, each written in both languages, so that the two reports cannot
/// come to count different things.
fn rows_in(s: &Summary, language: Language) -> Vec<(&'static str, String)> {
    let zh = language == Language::Chinese;
    let say = |en: &'static str, chinese: &'static str| if zh { chinese } else { en };
    let edits = match zh {
        true => format!("{}（{} 处）", s.changed, s.edits),
        false => format!("{} ({} edits)", s.changed, s.edits),
    };
    let mut rows = vec![
        (say("added", "新增政策"), s.added.to_string()),
        (say("removed", "删除政策"), s.removed.to_string()),
        (say("changed", "内容修改"), edits),
        (say("unchanged", "未变化"), s.unchanged.to_string()),
        (say("moved", "位置调整"), s.moved.to_string()),
        (say("renamed", "标题变更"), s.renamed.to_string()),
        (say("metadata changed", "文号、发文机关或日期变更"), s.metadata.to_string()),
    ];
    let (added, removed, renamed) =
        (s.categories_added, s.categories_removed, s.categories_renamed);
    if added + removed + renamed > 0 {
        let counts = match zh {
            true => format!("新增 {added}，删除 {removed}，更名 {renamed}"),
            false => format!("{added} added, {removed} removed, {renamed} renamed"),
        };
        rows.push((say("categories", "类别"), counts));
    }
    if s.category_texts_changed > 0 {
        let label = say("category texts changed", "类别说明文字修改");
        rows.push((label, s.category_texts_changed.to_string()));
    }
    let intro = match s.intro_changed {
        true => say("changed", "有修改"),
        false => say("unchanged", "未变化"),
    };
    rows.push((say("intro", "引言"), intro.to_string()));
    rows
}

fn zh_label(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "新增",
        ChangeKind::Removed => "删除",
        ChangeKind::Changed => "修改",
        ChangeKind::Moved => "位置调整",
        ChangeKind::Renamed => "标题变更",
        ChangeKind::Metadata => "信息变更",
        ChangeKind::CategoryAdded => "新增类别",
        ChangeKind::CategoryRemoved => "删除类别",
        ChangeKind::CategoryRenamed => "类别更名",
        ChangeKind::CategoryTextChanged => "修改",
        ChangeKind::IntroChanged => "修改",
    }
}

fn headline(diff: &EditionDiff) -> String {
    let side = |i: &super::EditionInfo| match &i.subtitle {
        Some(sub) => format!("{} ({sub})", i.id),
        None => i.id.clone(),
    };
    format!(
        "{} → {}: {} → {} policies in {} → {} categories{}",
        side(&diff.old),
        side(&diff.new),
        diff.old.policies,
        diff.new.policies,
        diff.old.categories,
        diff.new.categories,
        if diff.exact { ", exact comparison" } else { "" }
    )
}

/// `--stat`: the headline and the summary table.
pub fn to_stat(diff: &EditionDiff) -> String {
    let mut out = headline(diff);
    out.push('\n');
    if diff.identical {
        out.push_str("no differences\n");
        return out;
    }
    let rows = summary_rows(&diff.summary);
    let width = rows.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
    for (label, value) in rows {
        let _ = writeln!(out, "  {label:<width$}  {value}");
    }
    out
}

/// A run of consecutive changes about the same subject (a policy, a category, the
/// 引言), shown under one heading.
#[derive(Debug, Serialize)]
pub struct Group<'a> {
    /// `policy`, `category` or `intro`.
    pub subject: &'static str,
    /// The heading: the policy or category title, or `引言`.
    pub title: String,
    /// The changes.
    pub changes: Vec<&'a Change>,
}

fn subject_of(c: &Change) -> (&'static str, String, String) {
    let id = |l: &Option<Locus>| {
        l.as_ref()
            .map(|l| l.id.clone().or(l.category.clone()).unwrap_or_default())
            .unwrap_or_default()
    };
    match c.kind {
        ChangeKind::IntroChanged => ("intro", String::new(), "引言".to_string()),
        ChangeKind::CategoryAdded
        | ChangeKind::CategoryRemoved
        | ChangeKind::CategoryRenamed
        | ChangeKind::CategoryTextChanged => {
            let cat = |l: &Option<Locus>| l.as_ref().and_then(|l| l.category.clone());
            let title = cat(&c.new).or_else(|| cat(&c.old)).unwrap_or_default();
            ("category", format!("{}|{}", id(&c.old), id(&c.new)), title)
        }
        _ => (
            "policy",
            format!("{}|{}", id(&c.old), id(&c.new)),
            c.title().unwrap_or("").to_string(),
        ),
    }
}

/// Consecutive changes grouped by subject.
pub fn groups(diff: &EditionDiff) -> Vec<Group<'_>> {
    let mut out: Vec<Group<'_>> = Vec::new();
    let mut last_key = None;
    for c in &diff.changes {
        let (subject, key, title) = subject_of(c);
        let key = (subject, key);
        if last_key.as_ref() == Some(&key)
            && let Some(g) = out.last_mut()
        {
            g.changes.push(c);
        } else {
            out.push(Group { subject, title, changes: vec![c] });
            last_key = Some(key);
        }
    }
    out
}

/// Where a policy or category is, `2.医疗卫生领域 #1`.
pub fn place(l: &Locus) -> String {
    let mut s = String::new();
    if let Some(n) = l.category_number {
        let _ = write!(s, "{n}.");
    }
    s.push_str(l.category.as_deref().unwrap_or(""));
    if let Some(p) = l.position {
        let _ = write!(s, " #{p}");
    }
    s
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }

    fn del(&self, text: &str) -> String {
        if self.color { self.paint("31;9", text) } else { format!("[-{text}-]") }
    }

    fn ins(&self, text: &str) -> String {
        if self.color { self.paint("34;4", text) } else { format!("{{+{text}+}}") }
    }
}

/// Long unchanged stretches are shortened to their ends in the terminal.
fn elide(text: &str, first: bool, last: bool) -> String {
    const KEEP: usize = 24;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 2 * KEEP + 8 {
        return text.to_string();
    }
    let head: String = chars[..KEEP].iter().collect();
    let tail: String = chars[chars.len() - KEEP..].iter().collect();
    match (first, last) {
        (true, true) => text.to_string(),
        (true, false) => format!("…{tail}"),
        (false, true) => format!("{head}…"),
        (false, false) => format!("{head}…{tail}"),
    }
}

/// A long deleted or inserted stretch is shown by its ends in the terminal (JSON and
/// HTML keep it whole).
fn shorten(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 160 {
        return text.to_string();
    }
    let head: String = chars[..60].iter().collect();
    let tail: String = chars[chars.len() - 20..].iter().collect();
    format!("{head}……{tail}（{}字）", chars.len())
}

fn inline(segments: &[Segment], style: &Style) -> String {
    let n = segments.len();
    let mut out = String::new();
    for (i, s) in segments.iter().enumerate() {
        match s.op {
            SegmentOp::Equal => out.push_str(&elide(&s.text, i == 0, i + 1 == n)),
            SegmentOp::Delete => out.push_str(&style.del(&shorten(&s.text))),
            SegmentOp::Insert => out.push_str(&style.ins(&shorten(&s.text))),
        }
    }
    out
}

fn indent(text: &str, pad: &str) -> String {
    text.lines().map(|l| format!("{pad}{l}")).collect::<Vec<_>>().join("\n")
}

fn kind_label(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
        ChangeKind::Moved => "moved",
        ChangeKind::Renamed => "renamed",
        ChangeKind::Metadata => "metadata",
        ChangeKind::CategoryAdded => "category added",
        ChangeKind::CategoryRemoved => "category removed",
        ChangeKind::CategoryRenamed => "category renamed",
        ChangeKind::CategoryTextChanged => "category text changed",
        ChangeKind::IntroChanged => "intro changed",
    }
}

fn describe(c: &Change, style: &Style) -> String {
    let old = c.old.as_ref().map(place).unwrap_or_default();
    let new = c.new.as_ref().map(place).unwrap_or_default();
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    match c.kind {
        ChangeKind::Added | ChangeKind::CategoryAdded => format!("in {new}"),
        ChangeKind::Removed | ChangeKind::CategoryRemoved => format!("was {old}"),
        ChangeKind::Moved => format!("{old} → {new}"),
        ChangeKind::Renamed | ChangeKind::CategoryRenamed => {
            let by = c
                .matched_by
                .map(|m| format!(" (matched by {})", match_label(m)))
                .unwrap_or_default();
            format!(
                "{} → {}{by}",
                style.del(&text(&c.old_text)),
                style.ins(&text(&c.new_text))
            )
        }
        ChangeKind::Metadata => {
            let field = c.field.map(|f| f.label()).unwrap_or("");
            let show = |s: String| if s.is_empty() { "（无）".to_string() } else { s };
            format!(
                "{field}: {} → {}",
                style.del(&show(text(&c.old_text))),
                style.ins(&show(text(&c.new_text)))
            )
        }
        ChangeKind::Changed
        | ChangeKind::CategoryTextChanged
        | ChangeKind::IntroChanged => {
            let section = c.section.as_deref().unwrap_or("（开头）");
            format!("§ {section}\n{}", indent(&inline(&c.segments, style), "    "))
        }
    }
}

fn css_class(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added | ChangeKind::CategoryAdded => "added",
        ChangeKind::Removed | ChangeKind::CategoryRemoved => "removed",
        ChangeKind::Changed
        | ChangeKind::CategoryTextChanged
        | ChangeKind::IntroChanged => "text",
        ChangeKind::Moved => "moved",
        ChangeKind::Renamed | ChangeKind::CategoryRenamed => "renamed",
        ChangeKind::Metadata => "metadata",
    }
}

fn match_label(m: super::MatchKind) -> &'static str {
    match m {
        super::MatchKind::Id => "id",
        super::MatchKind::Number => "文号",
        super::MatchKind::Title => "title",
        super::MatchKind::Content => "content",
    }
}

/// The terminal report: headline, summary table, then every change grouped by
/// policy. `color` adds ANSI colour (deletions red and struck through, insertions
/// blue and underlined); without it deletions are `[-…-]` and insertions `{+…+}`.
pub fn to_text(diff: &EditionDiff, color: bool) -> String {
    let style = Style { color };
    let mut out = to_stat(diff);
    if diff.identical {
        return out;
    }
    let mut last_compact = false;
    for g in groups(diff) {
        // A policy or category that was only added, removed or moved: one line.
        if let [c] = g.changes.as_slice()
            && matches!(
                c.kind,
                ChangeKind::Added
                    | ChangeKind::Removed
                    | ChangeKind::Moved
                    | ChangeKind::CategoryAdded
                    | ChangeKind::CategoryRemoved
            )
        {
            if !last_compact {
                out.push('\n');
            }
            let title = if g.subject == "category" {
                format!("category {}", g.title)
            } else {
                g.title.clone()
            };
            let _ = writeln!(
                out,
                "{} {title}  ({})",
                label_cell(c.kind, &style),
                describe(c, &style)
            );
            last_compact = true;
            continue;
        }
        last_compact = false;
        out.push('\n');
        let title = match g.subject {
            "intro" => "引言".to_string(),
            "category" => format!("category {}", g.title),
            _ => g.title.clone(),
        };
        let _ = writeln!(out, "{}", style.paint("1", &title));
        for c in g.changes {
            let body = describe(c, &style);
            let mut lines = body.lines();
            let first = lines.next().unwrap_or("");
            let _ = writeln!(out, "  {} {first}", label_cell(c.kind, &style));
            for line in lines {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    out
}

fn label_cell(kind: ChangeKind, style: &Style) -> String {
    let code = match kind {
        ChangeKind::Added | ChangeKind::CategoryAdded => "34",
        ChangeKind::Removed | ChangeKind::CategoryRemoved => "31",
        _ => "33",
    };
    style.paint(code, &format!("{:<9}", kind_label(kind)))
}

/// The JSON report (schema `huibian-diff/1`, documented in [`super`]).
pub fn to_json(diff: &EditionDiff) -> String {
    serde_json::to_string_pretty(diff)
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

#[derive(Serialize)]
struct HtmlChange<'a> {
    kind: &'static str,
    label: &'static str,
    change: &'a Change,
    old_place: Option<String>,
    new_place: Option<String>,
    field: Option<&'static str>,
    matched_by: Option<&'static str>,
}

#[derive(Serialize)]
struct HtmlGroup<'a> {
    subject: &'static str,
    title: String,
    changes: Vec<HtmlChange<'a>>,
}

/// The HTML report from the built-in template.
pub fn to_html(diff: &EditionDiff) -> anyhow::Result<String> {
    to_html_with(diff, HTML_TEMPLATE)
}

/// The HTML report from `template` (minijinja; every value is HTML-escaped).
pub fn to_html_with(diff: &EditionDiff, template: &str) -> anyhow::Result<String> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template("diff.html", template)?;
    let groups: Vec<HtmlGroup<'_>> = groups(diff)
        .into_iter()
        .map(|g| HtmlGroup {
            subject: g.subject,
            title: g.title,
            changes: g
                .changes
                .into_iter()
                .map(|c| HtmlChange {
                    kind: css_class(c.kind),
                    label: zh_label(c.kind),
                    change: c,
                    old_place: c.old.as_ref().map(place),
                    new_place: c.new.as_ref().map(place),
                    field: c.field.map(|f| f.label()),
                    matched_by: c.matched_by.map(match_label),
                })
                .collect(),
        })
        .collect();
    let rows: Vec<(&str, String)> = summary_rows_zh(&diff.summary);
    // Subtitles name the editions (2021年三季度 → 2021年四季度) unless they are equal.
    let names = match (&diff.old.subtitle, &diff.new.subtitle) {
        (Some(a), Some(b)) if a != b => (a.clone(), b.clone()),
        _ => (diff.old.id.clone(), diff.new.id.clone()),
    };
    let tmpl = env.get_template("diff.html")?;
    let html = tmpl.render(minijinja::context! {
        diff => diff,
        headline => headline(diff),
        old_name => names.0,
        new_name => names.1,
        summary => rows,
        groups => groups,
    })?;
    Ok(html)
}
