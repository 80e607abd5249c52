//! The redline: the new edition with its changes since an old one marked in the text,
//! for `huibian diff OLD NEW --format pdf`.
//!
//! The same engine as the other reports decides what changed: the policies are
//! matched by [`align`](super::align), the policy-level changes (added, removed,
//! renamed, 文号/发文机关/日期, moved) are those of [`editions`](super::editions),
//! and text is compared by [`inline_diff`] (tokens, so 200万元 → 300万元 is one
//! change). What this module adds is *where* in the new book each change goes: each
//! paragraph, heading and table cell is a slot; slots are aligned by their
//! normalised text; a changed slot's content is replaced by the inline diff of its
//! old and new text (`Inserted`/`Deleted` inlines that the template underlines and
//! strikes through), and a deleted one is kept, struck through, where it was.
//! Unchanged slots keep their content untouched, so the unchanged text typesets as
//! in the normal build. A changed paragraph is shown as plain text: its bold or
//! links give way to the marks.

use serde::Serialize;
use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::text::{Segment, SegmentOp, inline_diff};
use super::{ChangeKind, DiffOptions, EditionDiff, MetaField, align, policy_at};
use crate::book::{Book, Text};
use crate::markdown::{Block, Inline, InlineKind, plain_text};
use crate::normalize::normalize_text;
use crate::source::Span;

/// The title of the page that lists the changes, and its label.
pub const TITLE: &str = "变更说明";
/// The label of that page's heading.
pub const ID: &str = "redline";

/// The 变更说明 page: every change with the label of its first mark (or of its
/// policy), in book order; removed policies last.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Notes {
    /// The old edition's id.
    pub previous: String,
    /// Its title as the book prints it: 《title（subtitle）》 without the brackets.
    pub previous_title: String,
    /// Policies added.
    pub added: usize,
    /// Policies removed.
    pub removed: usize,
    /// Matched policies whose text, title or metadata changed.
    pub revised: usize,
    /// Every change listed.
    pub entries: Vec<Entry>,
    /// Per new policy id: `added` or `revised`, the flag beside its title.
    #[serde(skip)]
    pub flags: std::collections::BTreeMap<String, &'static str>,
}

/// One line of the 变更说明 page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Entry {
    /// 新增, 删除, 修订, 更名, 文号, 发文机关, 成文日期, 移动, 引言, 类别.
    pub kind: &'static str,
    /// The policy's (or text's) title.
    pub title: String,
    /// What changed, in a phrase: 「200万元」改为「300万元」.
    pub detail: String,
    /// The label whose page the line prints: a change's first mark or a policy;
    /// `None` for what the new book no longer holds.
    pub target: Option<String>,
}

/// The new book with the changes since `old` marked, and its 变更说明 in
/// `Book::redline`.
pub fn mark(old: &Book, new: &Book, options: &DiffOptions) -> (Book, EditionDiff) {
    let exact = options.exact;
    let report = super::editions(old, new, options);
    let alignment = align::align(old, new, exact);
    let mut book = new.clone();
    let mut notes = Notes {
        previous: old.id.clone(),
        previous_title: match &old.meta.subtitle {
            Some(sub) => format!("{}（{sub}）", old.meta.title),
            None => old.meta.title.clone(),
        },
        ..Notes::default()
    };
    let mut anchors = 0usize;

    // 引言.
    if let (Some(o), Some(n)) = (&old.intro, &mut book.intro) {
        let title = n.title.clone().unwrap_or_else(|| "引言".to_string());
        for group in mark_text(o, n, exact, &mut anchors) {
            notes.entries.push(Entry {
                kind: "引言",
                title: title.clone(),
                detail: group.detail,
                target: Some(group.anchor),
            });
        }
    }
    // Category texts, of categories matched between the editions.
    for (old_index, new_index) in alignment.category_map.iter().enumerate() {
        let Some(new_index) = *new_index else { continue };
        let old_body = old.categories[old_index].body.as_ref();
        let category = &mut book.categories[new_index];
        if let (Some(o), Some(n)) = (old_body, category.body.as_mut()) {
            for group in mark_text(o, n, exact, &mut anchors) {
                notes.entries.push(Entry {
                    kind: "类别",
                    title: category.title.clone(),
                    detail: group.detail,
                    target: Some(group.anchor),
                });
            }
        }
    }

    // Policies, in new book order: added ones flagged whole, matched ones marked.
    let mut pairs = alignment.pairs.clone();
    pairs.sort_by_key(|p| (p.new.category, p.new.position));
    for place in &alignment.added {
        let policy = policy_at(new, *place);
        notes.flags.insert(policy.id.clone(), "added");
        notes.added += 1;
    }
    for pair in &pairs {
        let old_policy = policy_at(old, pair.old);
        let new_policy =
            &mut book.categories[pair.new.category].policies[pair.new.position];
        let id = new_policy.id.clone();
        let title = new_policy.meta.title.clone();
        let mut revised = false;
        for change in report
            .changes
            .iter()
            .filter(|c| c.new.as_ref().and_then(|l| l.id.as_deref()) == Some(id.as_str()))
        {
            let (kind, detail) = match change.kind {
                ChangeKind::Renamed => (
                    "更名",
                    format!("原题《{}》", change.old_text.as_deref().unwrap_or_default()),
                ),
                ChangeKind::Metadata => {
                    let label = change.field.map_or("信息", MetaField::label);
                    (
                        label,
                        replaced(
                            change.old_text.as_deref().unwrap_or_default(),
                            change.new_text.as_deref().unwrap_or_default(),
                        ),
                    )
                }
                ChangeKind::Moved => (
                    "移动",
                    match (&change.old, &change.new) {
                        (Some(o), Some(n)) if o.category != n.category => format!(
                            "由“{}”移至“{}”",
                            o.category.as_deref().unwrap_or_default(),
                            n.category.as_deref().unwrap_or_default()
                        ),
                        _ => "在本类中的次序改变".to_string(),
                    },
                ),
                _ => continue,
            };
            revised |= kind != "移动";
            notes.entries.push(Entry {
                kind,
                title: title.clone(),
                detail,
                target: Some(id.clone()),
            });
        }
        let fallback = Span::new(new_policy.source, 0..0);
        let groups = mark_blocks(
            &old_policy.doc.blocks,
            &mut new_policy.doc.blocks,
            &fallback,
            exact,
            &mut anchors,
        );
        revised |= !groups.is_empty();
        for group in groups {
            notes.entries.push(Entry {
                kind: "修订",
                title: title.clone(),
                detail: group.detail,
                target: Some(group.anchor),
            });
        }
        if revised {
            notes.flags.insert(id, "revised");
            notes.revised += 1;
        }
    }
    // Entries in book order: 引言 and category texts first, then the policies as
    // the new book has them (an added policy's line where it now stands).
    let order: std::collections::HashMap<&str, usize> =
        book.policies().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let mut policy_entries: Vec<Entry> = Vec::new();
    let (front, rest): (Vec<Entry>, Vec<Entry>) =
        notes.entries.drain(..).partition(|e| matches!(e.kind, "引言" | "类别"));
    policy_entries.extend(rest);
    for place in &alignment.added {
        let policy = policy_at(new, *place);
        let category = &new.categories[place.category].title;
        policy_entries.push(Entry {
            kind: "新增",
            title: policy.meta.title.clone(),
            detail: format!("列入“{category}”"),
            target: Some(policy.id.clone()),
        });
    }
    // Stable: a policy's own lines keep their reading order.
    let position = |e: &Entry, book: &Book| -> usize {
        book.policies()
            .find(|p| p.meta.title == e.title)
            .and_then(|p| order.get(p.id.as_str()).copied())
            .unwrap_or(usize::MAX)
    };
    policy_entries.sort_by_key(|e| position(e, &book));
    notes.entries = front;
    notes.entries.extend(policy_entries);
    for place in &alignment.removed {
        let policy = policy_at(old, *place);
        notes.removed += 1;
        notes.entries.push(Entry {
            kind: "删除",
            title: policy.meta.title.clone(),
            detail: format!("原列“{}”", old.categories[place.category].title),
            target: None,
        });
    }
    book.redline = Some(notes);
    (book, report)
}

/// 「old」改为「new」, each shortened.
fn replaced(old: &str, new: &str) -> String {
    format!("「{}」改为「{}」", shorten(old), shorten(new))
}

fn shorten(text: &str) -> String {
    const MAX: usize = 24;
    let text = text.trim().replace('\n', " ");
    if text.chars().count() <= MAX {
        text
    } else {
        let mut s: String = text.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

/// One run of changed slots: one line of the 变更说明.
struct Group {
    anchor: String,
    detail: String,
}

fn mark_text(old: &Text, new: &mut Text, exact: bool, anchors: &mut usize) -> Vec<Group> {
    let fallback = Span::new(new.source, 0..0);
    mark_blocks(&old.doc.blocks, &mut new.doc.blocks, &fallback, exact, anchors)
}

/// A paragraph, heading or table cell: the places marks go.
struct Slot {
    /// Its text as a reader sees it (hard breaks as `\n`).
    plain: String,
    /// What it is compared by.
    key: String,
    /// The nearest heading before it (or itself), for the 变更说明's wording.
    section: Option<String>,
    /// Where it is written.
    span: Span,
    /// Its text's runs and their styles.
    runs: Vec<(String, Style)>,
}

/// What happens to one new slot.
#[derive(Default)]
struct Edit {
    /// Slots of the old text deleted just before it, struck through.
    deleted_before: Vec<String>,
    /// Its new content, when it changed.
    content: Option<Vec<Inline>>,
    /// The label of the change group that starts here.
    anchor: Option<String>,
}

/// Marks `new` against `old`; returns the change groups in reading order.
/// `fallback` locates made-up text when the new text has no block to borrow a span
/// from (spans of marks are never shown; they only keep the model whole).
fn mark_blocks(
    old: &[Block],
    new: &mut Vec<Block>,
    fallback: &Span,
    exact: bool,
    anchors: &mut usize,
) -> Vec<Group> {
    let old_slots = slots(old, exact);
    let new_slots = slots(new, exact);
    let old_keys: Vec<&str> = old_slots.iter().map(|s| s.key.as_str()).collect();
    let new_keys: Vec<&str> = new_slots.iter().map(|s| s.key.as_str()).collect();
    if old_keys == new_keys {
        return Vec::new();
    }
    let ops = capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys);
    // One edit per new slot, and one for what is deleted after the last.
    let mut edits: Vec<Edit> = (0..=new_slots.len()).map(|_| Edit::default()).collect();
    let span_of = |slot: usize| new_slots.get(slot).map_or(fallback, |s| &s.span).clone();
    let mut groups = Vec::new();
    // Consecutive non-equal ops form one group, anchored at its first mark.
    let mut open: Option<(String, Vec<Segment>, Option<String>)> = None;
    let close = |open: &mut Option<(String, Vec<Segment>, Option<String>)>,
                 groups: &mut Vec<Group>| {
        if let Some((anchor, segments, section)) = open.take() {
            groups
                .push(Group { anchor, detail: describe(&segments, section.as_deref()) });
        }
    };
    for op in &ops {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            close(&mut open, &mut groups);
            continue;
        }
        if open.is_none() {
            *anchors += 1;
            let anchor = format!("{ID}-{anchors}");
            // The group's first mark is in its first new slot: struck-through text
            // before it when the group opens with a deletion, else its content.
            edits[n.start].anchor = Some(anchor.clone());
            let section = new_slots
                .get(n.start)
                .or(n.start.checked_sub(1).and_then(|i| new_slots.get(i)))
                .and_then(|s| s.section.clone());
            open = Some((anchor, Vec::new(), section));
        }
        let Some(group) = open.as_mut() else { continue };
        let paired = o.len().min(n.len());
        for k in 0..paired {
            let segments =
                inline_diff(&old_slots[o.start + k].plain, &new_slots[n.start + k].plain);
            edits[n.start + k].content = Some(segments_to_inlines(
                &segments,
                &new_slots[n.start + k].runs,
                &span_of(n.start + k),
            ));
            group.1.extend(segments);
        }
        for k in paired..o.len() {
            let text = old_slots[o.start + k].plain.clone();
            group.1.push(Segment { op: SegmentOp::Delete, text: text.clone() });
            edits[n.start + paired].deleted_before.push(text);
        }
        for k in paired..n.len() {
            let segment = Segment {
                op: SegmentOp::Insert,
                text: new_slots[n.start + k].plain.clone(),
            };
            edits[n.start + k].content = Some(segments_to_inlines(
                std::slice::from_ref(&segment),
                &new_slots[n.start + k].runs,
                &span_of(n.start + k),
            ));
            group.1.push(segment);
        }
    }
    close(&mut open, &mut groups);
    let mut index = 0;
    apply(new, &mut edits, &mut index, fallback);
    groups
}

/// Puts `anchor` on the first mark of `inlines`.
fn set_anchor(inlines: &mut [Inline], anchor: String) {
    for inline in inlines {
        if let InlineKind::Inserted { anchor: a, .. }
        | InlineKind::Deleted { anchor: a, .. } = &mut inline.kind
        {
            *a = Some(anchor);
            return;
        }
    }
}

/// How a run of a slot's text is set: what a changed paragraph keeps of its look (a
/// bold lead-in such as `1.支持基础研究和成果转化。`, a link or a cross-reference with
/// its page); what is nested inside those, and code, is set as text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Style {
    Plain,
    Strong,
    Emph,
    /// A link or a cross-reference, to this destination.
    Link(String),
}

/// The top-level runs of `content`, whose texts join to its plain text.
fn runs(content: &[Inline]) -> Vec<(String, Style)> {
    content
        .iter()
        .map(|inline| match &inline.kind {
            InlineKind::Strong(c) => (plain_text(c), Style::Strong),
            InlineKind::Emph(c) => (plain_text(c), Style::Emph),
            InlineKind::Link { dest, content } => {
                (plain_text(content), Style::Link(dest.clone()))
            }
            _ => (plain_text(std::slice::from_ref(inline)), Style::Plain),
        })
        .filter(|(text, _)| !text.is_empty())
        .collect()
}

/// The inline diff as content: equal and inserted text in the styles of the new
/// text's runs, inserted text wrapped as `Inserted`, deleted text as `Deleted`.
fn segments_to_inlines(
    segments: &[Segment],
    runs: &[(String, Style)],
    span: &Span,
) -> Vec<Inline> {
    let inline = |kind| Inline { kind, span: span.clone() };
    let text = |t: &str| -> Vec<Inline> {
        let mut out = Vec::new();
        for (i, line) in t.split('\n').enumerate() {
            if i > 0 {
                out.push(inline(InlineKind::Break));
            }
            if !line.is_empty() {
                out.push(inline(InlineKind::Text(line.to_string())));
            }
        }
        out
    };
    let styled = |t: &str, style: &Style| -> Vec<Inline> {
        match style {
            Style::Plain => text(t),
            Style::Strong => vec![inline(InlineKind::Strong(text(t)))],
            Style::Emph => vec![inline(InlineKind::Emph(text(t)))],
            Style::Link(dest) => {
                vec![inline(InlineKind::Link { dest: dest.clone(), content: text(t) })]
            }
        }
    };
    // The new text's characters, each with its run's style, consumed in order by
    // the equal and inserted segments (which spell the new text exactly).
    let mut styles = runs.iter().flat_map(|(t, style)| t.chars().map(move |_| style));
    let mut out = Vec::new();
    for segment in segments {
        if segment.op == SegmentOp::Delete {
            out.push(inline(InlineKind::Deleted {
                content: text(&segment.text),
                anchor: None,
            }));
            continue;
        }
        // Split the segment where the style changes.
        let mut pieces: Vec<(String, &Style)> = Vec::new();
        for c in segment.text.chars() {
            let style = styles.next().unwrap_or(&Style::Plain);
            match pieces.last_mut() {
                Some((piece, s)) if *s == style => piece.push(c),
                _ => pieces.push((c.to_string(), style)),
            }
        }
        let content: Vec<Inline> =
            pieces.iter().flat_map(|(piece, style)| styled(piece, style)).collect();
        if segment.op == SegmentOp::Insert {
            out.push(inline(InlineKind::Inserted { content, anchor: None }));
        } else {
            out.extend(content);
        }
    }
    out
}

/// 「old」改为「new」, 删除「…」 or 新增「…」, after the section it is in.
fn describe(segments: &[Segment], section: Option<&str>) -> String {
    let deleted: String = segments
        .iter()
        .filter(|s| s.op == SegmentOp::Delete)
        .map(|s| s.text.as_str())
        .take(1)
        .collect();
    let inserted: String = segments
        .iter()
        .filter(|s| s.op == SegmentOp::Insert)
        .map(|s| s.text.as_str())
        .take(1)
        .collect();
    let what = match (deleted.is_empty(), inserted.is_empty()) {
        (false, false) => replaced(&deleted, &inserted),
        (false, true) => format!("删除「{}」", shorten(&deleted)),
        (true, false) => format!("新增「{}」", shorten(&inserted)),
        (true, true) => "修改".to_string(),
    };
    match section {
        Some(section) => format!("{}：{what}", shorten(section)),
        None => what,
    }
}

/// The slots of `blocks` in reading order.
fn slots(blocks: &[Block], exact: bool) -> Vec<Slot> {
    let mut out: Vec<Slot> = Vec::new();
    let mut section: Option<String> = None;
    visit_slots(blocks, &mut |span, view| {
        let (plain, key, runs) = match view {
            SlotView::Text { content, heading } => {
                let plain = plain_text(content);
                if heading {
                    section = Some(plain.trim().to_string());
                }
                let trimmed = plain.trim();
                let key =
                    if exact { trimmed.to_string() } else { normalize_text(trimmed) };
                (plain, key, runs(content))
            }
            // An image is its description and its file: a new file under the same
            // name is no change, a renamed or re-described one is.
            SlotView::Image { alt, path } => {
                let plain = image_note(alt);
                (plain.clone(), format!("![{alt}]({path})"), vec![(plain, Style::Plain)])
            }
        };
        out.push(Slot { plain, key, section: section.clone(), span: span.clone(), runs });
    });
    out
}

/// What a slot is, as [`visit_slots`] shows it.
enum SlotView<'a> {
    /// A paragraph, heading or table cell.
    Text { content: &'a [Inline], heading: bool },
    /// An image: its marks go in a note before it, `〔图：alt〕`.
    Image { alt: &'a str, path: &'a str },
}

/// The text that stands for an image among the marks.
fn image_note(alt: &str) -> String {
    format!("〔图：{}〕", alt.trim())
}

/// Calls `visit` with each slot's span and what it is, in the order [`apply`] meets
/// them.
fn visit_slots(blocks: &[Block], visit: &mut impl FnMut(&Span, SlotView<'_>)) {
    for block in blocks {
        match block {
            Block::Heading { content, span, .. } => {
                visit(span, SlotView::Text { content, heading: true })
            }
            Block::Para { content, span } => {
                visit(span, SlotView::Text { content, heading: false })
            }
            Block::List { items, .. } => {
                for item in items {
                    visit_slots(item, visit);
                }
            }
            Block::Quote { blocks, .. } => visit_slots(blocks, visit),
            Block::Table { rows, .. } => {
                for cell in rows.iter().flatten() {
                    visit(
                        &cell.span,
                        SlotView::Text { content: &cell.content, heading: false },
                    );
                }
            }
            Block::Image { alt, path, span } => {
                visit(span, SlotView::Image { alt, path })
            }
            Block::Code { .. } | Block::Rule { .. } => {}
        }
    }
}

/// Applies `edits` (one per slot, plus one past the end) to `blocks` in slot order:
/// deleted text goes before its slot (a struck-through paragraph in a list of
/// blocks, struck-through text at the start of a table cell), changed content
/// replaces the slot's, and a group's anchor goes on the first of these marks.
fn apply(
    blocks: &mut Vec<Block>,
    edits: &mut [Edit],
    index: &mut usize,
    fallback: &Span,
) {
    let deleted = |text: String, span: &Span| Inline {
        kind: InlineKind::Deleted {
            content: vec![Inline { kind: InlineKind::Text(text), span: span.clone() }],
            anchor: None,
        },
        span: span.clone(),
    };
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for mut block in std::mem::take(blocks) {
        match &mut block {
            Block::Heading { content, span, .. } | Block::Para { content, span } => {
                if let Some(edit) = edits.get_mut(*index) {
                    let mut anchor = edit.anchor.take();
                    for text in std::mem::take(&mut edit.deleted_before) {
                        let mut para = vec![deleted(text, span)];
                        if let Some(anchor) = anchor.take() {
                            set_anchor(&mut para, anchor);
                        }
                        out.push(Block::Para { content: para, span: span.clone() });
                    }
                    if let Some(new) = edit.content.take() {
                        *content = new;
                        if let Some(anchor) = anchor.take() {
                            set_anchor(content, anchor);
                        }
                    }
                }
                *index += 1;
            }
            Block::List { items, .. } => {
                for item in items {
                    apply(item, edits, index, fallback);
                }
            }
            Block::Quote { blocks, .. } => apply(blocks, edits, index, fallback),
            Block::Table { rows, .. } => {
                for cell in rows.iter_mut().flatten() {
                    if let Some(edit) = edits.get_mut(*index) {
                        let gone = std::mem::take(&mut edit.deleted_before);
                        let changed = edit.content.take();
                        if !gone.is_empty() || changed.is_some() {
                            let mut content: Vec<Inline> = gone
                                .into_iter()
                                .map(|t| deleted(t, &cell.span))
                                .collect();
                            content
                                .extend(changed.unwrap_or_else(|| cell.content.clone()));
                            if let Some(anchor) = edit.anchor.take() {
                                set_anchor(&mut content, anchor);
                            }
                            cell.content = content;
                        }
                    }
                    *index += 1;
                }
            }
            // The image stays as it is; a note before it carries its marks.
            Block::Image { span, .. } => {
                if let Some(edit) = edits.get_mut(*index) {
                    let mut anchor = edit.anchor.take();
                    let mut notes: Vec<Vec<Inline>> =
                        std::mem::take(&mut edit.deleted_before)
                            .into_iter()
                            .map(|text| vec![deleted(text, span)])
                            .collect();
                    notes.extend(edit.content.take());
                    for mut content in notes {
                        if let Some(anchor) = anchor.take() {
                            set_anchor(&mut content, anchor);
                        }
                        out.push(Block::Para { content, span: span.clone() });
                    }
                }
                *index += 1;
            }
            Block::Code { .. } | Block::Rule { .. } => {}
        }
        out.push(block);
    }
    // What was deleted after the last slot of the whole text: only the outermost
    // call gets here with every slot visited and the list of blocks its own.
    if *index + 1 == edits.len()
        && let Some(edit) = edits.last_mut()
        && !edit.deleted_before.is_empty()
    {
        let span = out.last().map_or(fallback, |b| b.span()).clone();
        let mut anchor = edit.anchor.take();
        for text in std::mem::take(&mut edit.deleted_before) {
            let mut para = vec![deleted(text, &span)];
            if let Some(anchor) = anchor.take() {
                set_anchor(&mut para, anchor);
            }
            out.push(Block::Para { content: para, span: span.clone() });
        }
    }
    *blocks = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::source::Sources;

    fn doc(text: &str) -> Vec<Block> {
        let mut sources = Sources::new();
        let id = sources.add("p.md".into(), text.to_string());
        let mut diags = Diagnostics::default();
        crate::markdown::parse(&sources, id, 0..text.len(), &mut diags).blocks
    }

    /// The marked text, with `+[…]` for inserted, `-[…]` for deleted, `**…**` for
    /// bold, `<…>` for a link and `@` before an anchored mark; blocks on lines.
    fn show(blocks: &[Block]) -> String {
        fn inlines(list: &[Inline], out: &mut String) {
            for inline in list {
                match &inline.kind {
                    InlineKind::Text(t) => out.push_str(t),
                    InlineKind::Strong(c) => {
                        out.push_str("**");
                        inlines(c, out);
                        out.push_str("**");
                    }
                    InlineKind::Link { content, .. } => {
                        out.push('<');
                        inlines(content, out);
                        out.push('>');
                    }
                    InlineKind::Inserted { content, anchor } => {
                        out.push_str(if anchor.is_some() { "@+[" } else { "+[" });
                        inlines(content, out);
                        out.push(']');
                    }
                    InlineKind::Deleted { content, anchor } => {
                        out.push_str(if anchor.is_some() { "@-[" } else { "-[" });
                        inlines(content, out);
                        out.push(']');
                    }
                    InlineKind::Break => out.push('/'),
                    other => out.push_str(&format!("{other:?}")),
                }
            }
        }
        let mut out = Vec::new();
        for block in blocks {
            let mut line = String::new();
            match block {
                Block::Heading { content, .. } | Block::Para { content, .. } => {
                    inlines(content, &mut line)
                }
                Block::Image { alt, .. } => line = format!("![{alt}]"),
                Block::Table { rows, .. } => {
                    for cell in rows.iter().flatten() {
                        inlines(&cell.content, &mut line);
                        line.push('|');
                    }
                }
                other => line = format!("{other:?}"),
            }
            out.push(line);
        }
        out.join("\n")
    }

    fn mark(old: &str, new: &str) -> (String, Vec<String>) {
        let old = doc(old);
        let mut new = doc(new);
        let fallback = new[0].span().clone();
        let mut anchors = 0;
        let groups = mark_blocks(&old, &mut new, &fallback, false, &mut anchors);
        (show(&new), groups.into_iter().map(|g| g.detail).collect())
    }

    #[test]
    fn an_amount_changes_whole_and_bold_and_links_stay() {
        let (text, notes) = mark(
            "## 一、资金\n\n**1.支持研发。**第一年最高支持200万元，见[附件](https://a.cn)。\n\n不变的段落。\n",
            "## 一、资金\n\n**1.支持研发。**第一年最高支持300万元，见[附件](https://a.cn)。\n\n不变的段落。\n",
        );
        assert_eq!(
            text,
            "一、资金\n**1.支持研发。**第一年最高支持@-[200万元]+[300万元]，见<附件>。\n不变的段落。"
        );
        assert_eq!(notes, ["一、资金：「200万元」改为「300万元」"]);
    }

    #[test]
    fn deletions_insertions_cells_and_images_each_get_one_anchor() {
        let (text, notes) = mark(
            "甲段。\n\n乙段删去。\n\n丙段。\n\n| 项目 | 金额 |\n|---|---|\n| 科技 | 120 |\n\n![旧图](a.png)\n\n末段删去。\n",
            "甲段。\n\n丙段。\n\n新增一段。\n\n| 项目 | 金额 |\n|---|---|\n| 科技 | 150 |\n\n![新图](a.png)\n",
        );
        assert_eq!(
            text,
            "甲段。\n@-[乙段删去。]\n丙段。\n@+[新增一段。]\n项目|金额|科技|@-[120]+[150]|\n〔图：-[旧]+[新]图〕\n![新图]\n-[末段删去。]"
        );
        // Changes with nothing unchanged between them are one line of the 变更说明,
        // anchored at the first: the cell, the image and the last paragraph.
        assert_eq!(
            notes,
            ["删除「乙段删去。」", "新增「新增一段。」", "「120」改为「150」"]
        );
    }

    #[test]
    fn identical_texts_are_left_alone() {
        let source = "## 一、总则\n\n**1.** 正文，见[附件](https://a.cn)。\n";
        let (text, notes) = mark(source, source);
        assert!(notes.is_empty());
        assert_eq!(text, show(&doc(source)));
    }
}
