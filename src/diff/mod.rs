//! `huibian diff`: what changed between two editions.
//!
//! [`editions`] compares two assembled [`Book`]s and returns an [`EditionDiff`]: a
//! [`Summary`] of counts and a flat list of [`Change`]s in a stable order (intro,
//! categories, removed policies, then the new book's order). [`align`] decides which
//! policy and category is which; [`text`] compares bodies sentence by sentence, then
//! character by character inside a changed sentence; [`report`] renders the result
//! as text, `--stat`, JSON and a self-contained HTML page. [`load_side`] loads one
//! side from an edition id, an edition folder or an old edition's extracted text.
//!
//! # JSON schema (`huibian-diff/1`)
//! ```text
//! { "schema": "huibian-diff/1",
//!   "old": { "id", "title", "subtitle", "categories", "policies" },
//!   "new": { … same … },
//!   "exact": false,                  // true: punctuation width and spacing count
//!   "identical": false,              // no change at all (exit status 0)
//!   "summary": { "added", "removed", "changed", "unchanged", "moved", "renamed",
//!                "metadata", "categories_added", "categories_removed",
//!                "categories_renamed", "category_texts_changed",
//!                "intro_changed", "edits" },
//!   "changes": [ {
//!     "kind": "added" | "removed" | "changed" | "moved" | "renamed" | "metadata"
//!           | "category_added" | "category_removed" | "category_renamed"
//!           | "category_text_changed" | "intro_changed",
//!     "old": { "category", "category_number", "position", "id", "title", "path" } | null,
//!     "new": { … same … } | null,     // position is 1-based in its category
//!     "matched_by": "id" | "number" | "title" | "content" | null,
//!     "similarity": 0.97 | null,      // content similarity of a matched pair
//!     "field": "number" | "issuer" | "date" | null,   // for "metadata"
//!     "section": "第一章 总则 › 第四条" | null,      // for text changes
//!     "old_text": "…" | null,          // the old sentence(s), title or value
//!     "new_text": "…" | null,
//!     "segments": [ { "op": "equal" | "delete" | "insert", "text": "…" } ]
//!   } ] }
//! ```
//! A policy whose body changed gives one `changed` entry per located edit; added
//! and removed policies carry no text. Fields are never omitted (absent = `null`,
//! `[]`); new fields may be added, existing ones keep their meaning.

pub mod align;
pub mod redline;
pub mod report;
pub mod text;

#[cfg(test)]
mod tests;

use std::path::Path;

use anyhow::{Context, bail};
use serde::Serialize;

pub use self::align::MatchKind;
use self::align::{Alignment, Place, longest_increasing};
pub use self::report::{to_html, to_html_with, to_json, to_stat, to_text};
pub use self::text::{Segment, SegmentOp, TextEdit};
use crate::book::{Book, Category, Policy, Text};
use crate::diag;
use crate::load;
use crate::normalize::normalize_text;
use crate::project::Project;
use crate::source::Sources;

/// The identifier of the JSON schema [`to_json`] writes.
pub const SCHEMA: &str = "huibian-diff/1";

/// How to compare.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Compare text as written: punctuation width and spacing differences count.
    pub exact: bool,
}

/// What changed between two editions.
#[derive(Debug, Clone, Serialize)]
pub struct EditionDiff {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The old edition.
    pub old: EditionInfo,
    /// The new edition.
    pub new: EditionInfo,
    /// Whether the comparison was exact.
    pub exact: bool,
    /// No change at all.
    pub identical: bool,
    /// Counts.
    pub summary: Summary,
    /// Every change, in report order.
    pub changes: Vec<Change>,
}

impl EditionDiff {
    /// Whether anything differs (the exit status is then 1).
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }
}

/// One side's identity.
#[derive(Debug, Clone, Serialize)]
pub struct EditionInfo {
    /// Edition id (`2021-Q4`).
    pub id: String,
    /// Book title.
    pub title: String,
    /// Subtitle (`2021年四季度`).
    pub subtitle: Option<String>,
    /// Number of categories.
    pub categories: usize,
    /// Number of policies.
    pub policies: usize,
}

/// Counts of policies and categories by what happened to them.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Policies only in the new edition.
    pub added: usize,
    /// Policies only in the old edition.
    pub removed: usize,
    /// Matched policies whose body text changed.
    pub changed: usize,
    /// Matched policies with no change of any kind.
    pub unchanged: usize,
    /// Matched policies in another category or out of their order.
    pub moved: usize,
    /// Matched policies whose title changed.
    pub renamed: usize,
    /// Matched policies whose 文号, issuer or date changed.
    pub metadata: usize,
    /// Categories only in the new edition.
    pub categories_added: usize,
    /// Categories only in the old edition.
    pub categories_removed: usize,
    /// Matched categories with a new title.
    pub categories_renamed: usize,
    /// Categories whose own text (a category body) changed.
    pub category_texts_changed: usize,
    /// Whether the 引言 changed.
    pub intro_changed: bool,
    /// Located text edits in all bodies.
    pub edits: usize,
}

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A policy only in the new edition.
    Added,
    /// A policy only in the old edition.
    Removed,
    /// One located edit in a matched policy's body.
    Changed,
    /// A matched policy in another category, or out of its order in the same one.
    Moved,
    /// A matched policy with a new title.
    Renamed,
    /// A matched policy with a new 文号, issuer or date.
    Metadata,
    /// A category only in the new edition.
    CategoryAdded,
    /// A category only in the old edition.
    CategoryRemoved,
    /// A matched category with a new title.
    CategoryRenamed,
    /// One located edit in a category's own text.
    CategoryTextChanged,
    /// One located edit in the 引言 (or the 引言 added or removed).
    IntroChanged,
}

/// Which metadata field changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetaField {
    /// 文号.
    Number,
    /// 发文机关.
    Issuer,
    /// 成文日期.
    Date,
}

impl MetaField {
    /// The Chinese label, as the book prints it.
    pub fn label(self) -> &'static str {
        match self {
            MetaField::Number => "文号",
            MetaField::Issuer => "发文机关",
            MetaField::Date => "成文日期",
        }
    }
}

/// Where something is in one edition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Locus {
    /// Category title.
    pub category: Option<String>,
    /// Category number (1-based, as printed).
    pub category_number: Option<u32>,
    /// Policy position in its category, 1-based.
    pub position: Option<usize>,
    /// Policy id.
    pub id: Option<String>,
    /// Policy title.
    pub title: Option<String>,
    /// Source file, relative to the edition folder.
    pub path: Option<String>,
}

/// One reported change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What happened.
    pub kind: ChangeKind,
    /// Where it was in the old edition.
    pub old: Option<Locus>,
    /// Where it is in the new edition.
    pub new: Option<Locus>,
    /// How a matched policy was recognised.
    pub matched_by: Option<MatchKind>,
    /// Content similarity of a matched policy, 0–1, rounded to 3 places.
    pub similarity: Option<f64>,
    /// The metadata field, for [`ChangeKind::Metadata`].
    pub field: Option<MetaField>,
    /// The section of a text edit.
    pub section: Option<String>,
    /// Old text: sentences, title or value.
    pub old_text: Option<String>,
    /// New text.
    pub new_text: Option<String>,
    /// Inline diff of `old_text` into `new_text`, for text edits and renames.
    pub segments: Vec<Segment>,
}

impl Change {
    fn new(kind: ChangeKind, old: Option<Locus>, new: Option<Locus>) -> Self {
        Change {
            kind,
            old,
            new,
            matched_by: None,
            similarity: None,
            field: None,
            section: None,
            old_text: None,
            new_text: None,
            segments: Vec::new(),
        }
    }

    fn with_texts(mut self, old: String, new: String) -> Self {
        self.segments = text::inline_diff(&old, &new);
        self.old_text = Some(old);
        self.new_text = Some(new);
        self
    }

    fn from_edit(
        kind: ChangeKind,
        old: Option<Locus>,
        new: Option<Locus>,
        e: TextEdit,
    ) -> Self {
        let mut c = Change::new(kind, old, new);
        c.section = e.section;
        c.old_text = Some(e.old);
        c.new_text = Some(e.new);
        c.segments = e.segments;
        c
    }

    /// The title to show for the change's subject (new side first).
    pub fn title(&self) -> Option<&str> {
        fn side(l: &Option<Locus>) -> Option<&str> {
            l.as_ref().and_then(|l| l.title.as_deref())
        }
        side(&self.new).or_else(|| side(&self.old))
    }
}

fn category_locus(cat: &Category) -> Locus {
    Locus {
        category: Some(cat.title.clone()),
        category_number: Some(cat.number),
        position: None,
        id: None,
        title: None,
        path: cat.body.as_ref().map(|b| b.path.clone()),
    }
}

fn policy_locus(book: &Book, place: Place) -> Locus {
    let cat = &book.categories[place.category];
    let p = &cat.policies[place.position];
    Locus {
        category: Some(cat.title.clone()),
        category_number: Some(cat.number),
        position: Some(place.position + 1),
        id: Some(p.id.clone()),
        title: Some(p.meta.title.clone()),
        path: Some(p.path.clone()),
    }
}

/// The policy at a place of an alignment (see [`align::Place`]).
pub(crate) fn policy_at(book: &Book, place: Place) -> &Policy {
    &book.categories[place.category].policies[place.position]
}

fn info(book: &Book) -> EditionInfo {
    EditionInfo {
        id: book.id.clone(),
        title: book.meta.title.clone(),
        subtitle: book.meta.subtitle.clone(),
        categories: book.categories.len(),
        policies: book.policies().count(),
    }
}

/// Compares two editions.
pub fn editions(old: &Book, new: &Book, options: &DiffOptions) -> EditionDiff {
    let exact = options.exact;
    let old_texts = align::BookTexts::new(old, exact);
    let new_texts = align::BookTexts::new(new, exact);
    let alignment = align::align_with(old, new, &old_texts, &new_texts, exact);
    let mut summary = Summary::default();
    let mut changes = Vec::new();

    // 引言.
    let intro = text_changes(old.intro.as_ref(), new.intro.as_ref(), exact);
    summary.intro_changed = !intro.is_empty();
    changes.extend(
        intro
            .into_iter()
            .map(|e| Change::from_edit(ChangeKind::IntroChanged, None, None, e)),
    );

    category_changes(old, new, &alignment, exact, &mut summary, &mut changes);

    for place in &alignment.removed {
        changes.push(Change::new(
            ChangeKind::Removed,
            Some(policy_locus(old, *place)),
            None,
        ));
        summary.removed += 1;
    }

    let moved = moved_pairs(&alignment, new.categories.len());
    let texts = (&old_texts, &new_texts);
    policy_changes(
        (old, new),
        texts,
        &alignment,
        &moved,
        exact,
        &mut summary,
        &mut changes,
    );

    summary.edits = changes
        .iter()
        .filter(|c| {
            matches!(
                c.kind,
                ChangeKind::Changed
                    | ChangeKind::CategoryTextChanged
                    | ChangeKind::IntroChanged
            )
        })
        .count();
    EditionDiff {
        schema: SCHEMA,
        old: info(old),
        new: info(new),
        exact,
        identical: changes.is_empty(),
        summary,
        changes,
    }
}

/// Which matched pairs (by index in `alignment.pairs`) moved: those now in another
/// category than their old one's match, and, among pairs that stay in their
/// (matched) category, those outside the longest run that keeps its order.
fn moved_pairs(alignment: &Alignment, new_categories: usize) -> Vec<bool> {
    let mut moved = vec![false; alignment.pairs.len()];
    for (k, pair) in alignment.pairs.iter().enumerate() {
        if alignment.category_map[pair.old.category] != Some(pair.new.category) {
            moved[k] = true;
        }
    }
    for new_cat in 0..new_categories {
        let staying: Vec<usize> = (0..alignment.pairs.len())
            .filter(|&k| alignment.pairs[k].new.category == new_cat && !moved[k])
            .collect();
        let order: Vec<usize> =
            staying.iter().map(|&k| alignment.pairs[k].old.position).collect();
        let kept = longest_increasing(&order);
        for (idx, &k) in staying.iter().enumerate() {
            if !kept.contains(&idx) {
                moved[k] = true;
            }
        }
    }
    moved
}

/// The changes of added and matched policies, in the new book's order.
fn policy_changes(
    (old, new): (&Book, &Book),
    (old_texts, new_texts): (&align::BookTexts, &align::BookTexts),
    alignment: &Alignment,
    moved: &[bool],
    exact: bool,
    summary: &mut Summary,
    changes: &mut Vec<Change>,
) {
    let mut added = alignment.added.iter().peekable();
    let mut pairs = alignment.pairs.iter().enumerate().peekable();
    loop {
        let next_added = added.peek().map(|p| (p.category, p.position));
        let next_pair = pairs.peek().map(|(_, p)| (p.new.category, p.new.position));
        match (next_added, next_pair) {
            (None, None) => break,
            (Some(a), b) if b.is_none_or(|b| a < b) => {
                // `peek` just saw it.
                let Some(place) = added.next() else { break };
                changes.push(Change::new(
                    ChangeKind::Added,
                    None,
                    Some(policy_locus(new, *place)),
                ));
                summary.added += 1;
            }
            _ => {
                let Some((k, pair)) = pairs.next() else { break };
                let before = changes.len();
                let edits = text::diff_units(
                    old_texts.units(pair.old),
                    new_texts.units(pair.new),
                );
                pair_changes((old, new), pair, moved[k], edits, exact, summary, changes);
                if changes.len() == before {
                    summary.unchanged += 1;
                }
            }
        }
    }
}

fn text_changes(old: Option<&Text>, new: Option<&Text>, exact: bool) -> Vec<TextEdit> {
    match (old, new) {
        (Some(a), Some(b)) => {
            text::diff_docs((&a.doc, &a.markers), (&b.doc, &b.markers), exact)
        }
        (None, None) => Vec::new(),
        (a, b) => {
            let flat = |t: Option<&Text>| {
                t.map(|t| text::flat_text(&t.doc, exact)).unwrap_or_default()
            };
            let (o, n) = (flat(a), flat(b));
            if o.is_empty() && n.is_empty() {
                return Vec::new();
            }
            vec![TextEdit {
                section: None,
                segments: text::inline_diff(&o, &n),
                old: o,
                new: n,
            }]
        }
    }
}

fn category_changes(
    old: &Book,
    new: &Book,
    alignment: &Alignment,
    exact: bool,
    summary: &mut Summary,
    changes: &mut Vec<Change>,
) {
    for (i, cat) in old.categories.iter().enumerate() {
        if alignment.category_map[i].is_none() {
            changes.push(Change::new(
                ChangeKind::CategoryRemoved,
                Some(category_locus(cat)),
                None,
            ));
            summary.categories_removed += 1;
        }
    }
    let mut matched_new = vec![None; new.categories.len()];
    for (i, m) in alignment.category_map.iter().enumerate() {
        if let Some(j) = m {
            matched_new[*j] = Some(i);
        }
    }
    for (j, cat) in new.categories.iter().enumerate() {
        let Some(i) = matched_new[j] else {
            changes.push(Change::new(
                ChangeKind::CategoryAdded,
                None,
                Some(category_locus(cat)),
            ));
            summary.categories_added += 1;
            continue;
        };
        let oc = &old.categories[i];
        if alignment.renamed_categories.contains(&(i, j)) {
            changes.push(
                Change::new(
                    ChangeKind::CategoryRenamed,
                    Some(category_locus(oc)),
                    Some(category_locus(cat)),
                )
                .with_texts(oc.title.clone(), cat.title.clone()),
            );
            summary.categories_renamed += 1;
        }
        let edits = text_changes(oc.body.as_ref(), cat.body.as_ref(), exact);
        if !edits.is_empty() {
            summary.category_texts_changed += 1;
        }
        for e in edits {
            changes.push(Change::from_edit(
                ChangeKind::CategoryTextChanged,
                Some(category_locus(oc)),
                Some(category_locus(cat)),
                e,
            ));
        }
    }
}

fn same(a: &str, b: &str, exact: bool) -> bool {
    if exact { a == b } else { normalize_text(a.trim()) == normalize_text(b.trim()) }
}

fn pair_changes(
    (old, new): (&Book, &Book),
    pair: &align::PolicyPair,
    moved: bool,
    edits: Vec<TextEdit>,
    exact: bool,
    summary: &mut Summary,
    changes: &mut Vec<Change>,
) {
    let (op, np) = (policy_at(old, pair.old), policy_at(new, pair.new));
    let (ol, nl) = (policy_locus(old, pair.old), policy_locus(new, pair.new));
    let base = |kind| {
        let mut c = Change::new(kind, Some(ol.clone()), Some(nl.clone()));
        c.matched_by = Some(pair.by);
        c.similarity = Some((pair.similarity * 1000.0).round() / 1000.0);
        c
    };
    if !same(&op.meta.title, &np.meta.title, exact) {
        changes.push(
            base(ChangeKind::Renamed)
                .with_texts(op.meta.title.clone(), np.meta.title.clone()),
        );
        summary.renamed += 1;
    }
    if moved {
        changes.push(base(ChangeKind::Moved));
        summary.moved += 1;
    }
    let fields = [
        (
            MetaField::Number,
            op.meta.number.clone().unwrap_or_default(),
            np.meta.number.clone().unwrap_or_default(),
        ),
        (MetaField::Issuer, op.meta.issuer.join("、"), np.meta.issuer.join("、")),
        (
            MetaField::Date,
            op.meta.date.map(|d| d.to_string()).unwrap_or_default(),
            np.meta.date.map(|d| d.to_string()).unwrap_or_default(),
        ),
    ];
    let mut meta_changed = false;
    for (field, a, b) in fields {
        if !same(&a, &b, exact) {
            let mut c = base(ChangeKind::Metadata).with_texts(a, b);
            c.field = Some(field);
            changes.push(c);
            meta_changed = true;
        }
    }
    if meta_changed {
        summary.metadata += 1;
    }
    if !edits.is_empty() {
        summary.changed += 1;
    }
    for e in edits {
        let mut c =
            Change::from_edit(ChangeKind::Changed, Some(ol.clone()), Some(nl.clone()), e);
        c.matched_by = Some(pair.by);
        c.similarity = Some((pair.similarity * 1000.0).round() / 1000.0);
        changes.push(c);
    }
}

/// Loads one side of a diff: an edition id or folder as `project` resolves it, or a
/// `.txt` file of an old edition's extracted text (imported into a temporary folder,
/// then loaded). An edition whose sources have errors is refused, as `build` refuses
/// it: an `Err` with the rendered diagnostics. Warnings are not shown.
pub fn load_side(arg: &str, project: &Project) -> anyhow::Result<(Book, Sources)> {
    let as_path = Path::new(arg);
    if as_path.is_file()
        && as_path.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"))
    {
        return load_text(as_path);
    }
    load_folder(&project.resolve(arg)?)
}

/// Loads and assembles the edition in `folder`, refusing one with errors.
pub fn load_folder(folder: &Path) -> anyhow::Result<(Book, Sources)> {
    let mut loaded = load::load(folder)?;
    match loaded.take_book() {
        Some(book) => Ok((book, loaded.sources)),
        None => {
            let findings: Vec<_> =
                loaded.diagnostics.take().into_iter().filter(|d| d.is_error()).collect();
            bail!(
                "{} has errors; fix them (see `huibian check`) before diffing:\n{}",
                folder.display(),
                diag::render_plain(&loaded.sources, &findings)
            )
        }
    }
}

fn load_text(path: &Path) -> anyhow::Result<(Book, Sources)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading {}", path.display()))?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("imported");
    let id: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    let id = if id.trim_matches('-').is_empty() { "imported".to_string() } else { id };
    let imported = crate::import::import_text(&text, &id)
        .with_context(|| format!("importing {}", path.display()))?;
    let tmp =
        tempfile::tempdir().context("creating a temporary folder for the import")?;
    let root = tmp.path().join(&id);
    for (rel, contents) in &imported.files {
        let file = root.join(rel);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&file, contents)
            .with_context(|| format!("writing {}", file.display()))?;
    }
    load_folder(&root)
        .with_context(|| format!("loading the edition imported from {}", path.display()))
}
