//! Validation and renumbering of a whole document's numbering.
//!
//! Takes the markers of one document's body in reading order (as recognised by
//! [`super::marker::recognize`], stopping at the attachment list, see
//! [`super::outline::starts_attachments`]) and its [`Hierarchy`]; returns [`Finding`]s
//! for `huibian check` and, for `huibian fmt --renumber`, the values to change.
//!
//! How sequences are formed:
//! - a sequence is the items of one kind under one parent ([`super::outline::nest`]);
//!   it must run 1, 2, 3, …;
//! - articles `第X条` form one sequence through the whole document, across chapters;
//! - in a plan, `（一）`, `1.`, `（1）` and `①` may also run through the document
//!   (`（五）` opening the items under `二、` after `（四）` under `一、`, as the real
//!   医保药品报销范围 notice does): a kind runs through when more of its later
//!   sequences continue the previous one than restart at 1; otherwise each restarts;
//!   `第X节` and everything in a regulation below the article restart under each parent;
//! - `一是`/`第一，` form runs: a run ends at a new structural item or at a value of 1; a
//!   run is not required to start at 1, since its first members are often inside the
//!   previous paragraph;
//! - items whose kind the hierarchy does not use get `marker-kind` and join no sequence.
//!
//! In an excerpt (节选) only duplicates and backward steps are reported: gaps, starts
//! above 1 and restarts above 1 may all be the omitted text.

use std::collections::HashMap;

use super::marker::{Marker, MarkerKind, canonical_text};
use super::outline::{Hierarchy, nest, rank};
use crate::diag::Severity;

/// One problem with a document's numbering, editor-facing; `check` turns it into a
/// diagnostic at the item's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable identifier: `numbering-gap`, `numbering-duplicate`, `numbering-order`,
    /// `numbering-restart`, `numbering-start`, `marker-width`, `marker-kind`.
    pub code: &'static str,
    /// A broken sequence (`numbering-*`) is an error: numbering is legal text. A
    /// marker written in another form (`marker-*`) is a warning `fmt` can fix.
    pub severity: Severity,
    /// Index of the offending item in the slice given to [`fn@validate`].
    pub item: usize,
    /// What is wrong, in words an editor understands, with the markers as examples.
    pub message: String,
    /// The canonical marker that belongs here, when there is one.
    pub expected: Option<String>,
}

/// A sequence of items that must run 1, 2, 3, … .
struct Sequence {
    kind: MarkerKind,
    /// Indexes into the items, in order.
    members: Vec<usize>,
    /// The parent item, for messages; `None` at the top or for merged sequences.
    parent: Option<usize>,
    /// The first sequence of its kind in the document (for `numbering-start`).
    first_of_kind: bool,
    /// An inline-enumeration run: no start or restart checks.
    inline: bool,
}

/// Whether a kind may run through the whole document instead of restarting.
fn may_run_through(kind: MarkerKind, hierarchy: Hierarchy) -> bool {
    use MarkerKind::*;
    match hierarchy {
        Hierarchy::Regulation => kind == Article,
        Hierarchy::Plan => matches!(kind, ParenHanzi | Arabic | ParenArabic | Circled),
    }
}

/// Items of one kind under one parent (or, for inline runs, after one structural
/// item): (kind, parent, member indexes).
type Group = (MarkerKind, Option<usize>, Vec<usize>);

/// Splits the items into the sequences described in the module documentation.
fn sequences(items: &[Marker], hierarchy: Hierarchy) -> Vec<Sequence> {
    let (groups, runs) = group_items(items, hierarchy);
    let mut out = Vec::new();
    let mut seen_kinds: Vec<MarkerKind> = Vec::new();
    for (kind, _, _) in &groups {
        if !seen_kinds.contains(kind) {
            seen_kinds.push(*kind);
        }
    }
    for kind in seen_kinds {
        let of_kind: Vec<&Group> = groups.iter().filter(|g| g.0 == kind).collect();
        if runs_through(kind, &of_kind, items, hierarchy) {
            let members = of_kind.iter().flat_map(|g| g.2.iter().copied()).collect();
            out.push(Sequence {
                kind,
                members,
                parent: None,
                first_of_kind: true,
                inline: false,
            });
        } else {
            for (n, g) in of_kind.iter().enumerate() {
                out.push(Sequence {
                    kind,
                    members: g.2.clone(),
                    parent: g.1,
                    first_of_kind: n == 0,
                    inline: false,
                });
            }
        }
    }
    for (kind, parent, members) in runs {
        out.push(Sequence { kind, members, parent, first_of_kind: false, inline: true });
    }
    out
}

/// The structural groups by (kind, parent), in order of first appearance, and the
/// inline runs (`一是`, `第一，`) by the structural item they follow.
fn group_items(items: &[Marker], hierarchy: Hierarchy) -> (Vec<Group>, Vec<Group>) {
    let kinds: Vec<MarkerKind> = items.iter().map(|m| m.kind).collect();
    let parents = nest(&kinds, hierarchy);
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<(MarkerKind, Option<usize>), usize> = HashMap::new();
    let mut runs: Vec<Group> = Vec::new();
    let mut open_run: HashMap<MarkerKind, usize> = HashMap::new();
    let mut last_structural: Option<usize> = None;

    for (i, m) in items.iter().enumerate() {
        match m.kind {
            MarkerKind::InlineEnum | MarkerKind::Ordinal => {
                let continues = open_run
                    .get(&m.kind)
                    .copied()
                    .filter(|&r| runs[r].1 == last_structural && m.value != 1);
                match continues {
                    Some(r) => runs[r].2.push(i),
                    None => {
                        open_run.insert(m.kind, runs.len());
                        runs.push((m.kind, last_structural, vec![i]));
                    }
                }
            }
            kind if rank(kind, hierarchy).is_some() => {
                last_structural = Some(i);
                let key = (kind, parents[i]);
                match by_key.get(&key) {
                    Some(&g) => groups[g].2.push(i),
                    None => {
                        by_key.insert(key, groups.len());
                        groups.push((kind, parents[i], vec![i]));
                    }
                }
            }
            _ => {}
        }
    }
    (groups, runs)
}

/// Whether the groups of a kind form one sequence through the document (articles
/// always do; 1. 2. … of a plan when they continue across parents more often than
/// they restart) rather than one per parent.
fn runs_through(
    kind: MarkerKind,
    of_kind: &[&Group],
    items: &[Marker],
    hierarchy: Hierarchy,
) -> bool {
    let value = |i: usize| items[i].value;
    may_run_through(kind, hierarchy)
        && (kind == MarkerKind::Article || {
            let (mut cont, mut restart) = (0, 0);
            for pair in of_kind.windows(2) {
                let last = pair[0].2.last().map_or(0, |&i| value(i));
                let first = pair[1].2.first().map_or(0, |&i| value(i));
                if first == 1 {
                    restart += 1;
                } else if first == last.saturating_add(1) {
                    cont += 1;
                }
            }
            cont > restart
        })
}

/// The name of a hierarchy's markers, for `marker-kind` messages.
fn hierarchy_name(hierarchy: Hierarchy) -> &'static str {
    match hierarchy {
        Hierarchy::Plan => "a plan-style document (一、→（一）→1.→（1）→①)",
        Hierarchy::Regulation => "a regulation (第一章→第一节→第一条→（一）→1.)",
    }
}

/// Checks a document's markers and returns every finding, ordered by item; `excerpt`
/// (an abridged document) silences gaps, starts and restarts. `items` are the markers
/// of the body in reading order; `Finding::item` indexes into it.
pub fn validate(items: &[Marker], hierarchy: Hierarchy, excerpt: bool) -> Vec<Finding> {
    let mut findings = form_findings(items, hierarchy);
    for seq in sequences(items, hierarchy) {
        sequence_findings(&seq, items, excerpt, &mut findings);
    }
    findings.sort_by_key(|f| f.item);
    findings
}

/// Warnings about how each marker is written: its form (`marker-width`) and whether
/// its kind belongs to the document's hierarchy (`marker-kind`).
fn form_findings(items: &[Marker], hierarchy: Hierarchy) -> Vec<Finding> {
    let mut findings = Vec::new();
    let text = |i: usize| canonical_text(items[i].kind, items[i].value);
    for (i, m) in items.iter().enumerate() {
        if !m.issues.is_empty() {
            let names: Vec<&str> = m.issues.iter().map(|v| v.describe()).collect();
            findings.push(Finding {
                code: "marker-width",
                severity: Severity::Warning,
                item: i,
                message: format!(
                    "non-canonical marker {}: {}; write {}",
                    text(i),
                    names.join(", "),
                    text(i)
                ),
                expected: Some(text(i)),
            });
        }
        let structural = !matches!(m.kind, MarkerKind::InlineEnum | MarkerKind::Ordinal);
        if structural && rank(m.kind, hierarchy).is_none() {
            findings.push(Finding {
                code: "marker-kind",
                severity: Severity::Warning,
                item: i,
                message: format!(
                    "{} does not belong to the numbering of {}",
                    text(i),
                    hierarchy_name(hierarchy)
                ),
                expected: None,
            });
        }
    }
    findings
}

/// Errors in one sequence: a wrong start or restart, then each pair of neighbours
/// that does not step by one (`excerpt` silences starts and gaps).
fn sequence_findings(
    seq: &Sequence,
    items: &[Marker],
    excerpt: bool,
    findings: &mut Vec<Finding>,
) {
    let text = |i: usize| canonical_text(items[i].kind, items[i].value);
    let Some(&first) = seq.members.first() else { return };
    let one = canonical_text(seq.kind, 1);
    if !seq.inline && !excerpt && items[first].value != 1 {
        let (code, message) = match (seq.first_of_kind, seq.parent) {
            (false, Some(p)) => (
                "numbering-restart",
                format!(
                    "{} is the first under {} and should restart at {one}",
                    text(first),
                    text(p)
                ),
            ),
            _ => (
                "numbering-start",
                format!("numbering starts at {}, not at {one}", text(first)),
            ),
        };
        findings.push(Finding {
            code,
            severity: Severity::Error,
            item: first,
            message,
            expected: Some(one),
        });
    }
    for pair in seq.members.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (prev, cur) = (items[a].value, items[b].value);
        let next = canonical_text(seq.kind, prev.saturating_add(1));
        let (code, message) = if cur == prev {
            (
                "numbering-duplicate",
                format!("duplicate number: {} appears twice", text(b)),
            )
        } else if cur < prev {
            (
                "numbering-order",
                format!(
                    "numbering goes backwards: {} is followed by {}",
                    text(a),
                    text(b)
                ),
            )
        } else if cur > prev.saturating_add(1) && !excerpt {
            (
                "numbering-gap",
                format!("numbering gap: {} is followed by {}", text(a), text(b)),
            )
        } else {
            continue;
        };
        findings.push(Finding {
            code,
            severity: Severity::Error,
            item: b,
            message,
            expected: Some(next),
        });
    }
}

/// The changes that make every sequence run 1, 2, 3, … (articles and run-through kinds
/// across the document, everything else under its parent), as (item index, new value);
/// items already right are left out, so a correct document yields nothing. For
/// `huibian fmt --renumber`, which applies them with [`super::marker::rewrite`]; never
/// for an excerpt.
pub fn renumber(items: &[Marker], hierarchy: Hierarchy) -> Vec<(usize, u32)> {
    let mut changes = Vec::new();
    for seq in sequences(items, hierarchy) {
        for (n, &i) in (1u32..).zip(seq.members.iter()) {
            if items[i].value != n {
                changes.push((i, n));
            }
        }
    }
    changes.sort_unstable();
    changes
}

#[cfg(test)]
mod tests {
    use super::super::fixtures;
    use super::super::marker::{canonicalize, recognize};
    use super::super::outline::{detect, heading_level, starts_attachments};
    use super::*;

    /// Markers of texts that must all be markers.
    fn markers(texts: &[&str]) -> Vec<Marker> {
        texts
            .iter()
            .map(|t| recognize(t).unwrap_or_else(|| panic!("no marker in {t:?}")))
            .collect()
    }

    /// A findings-table row: (marker texts, hierarchy, excerpt, expected (code, item)).
    type FindingRow =
        (&'static [&'static str], Hierarchy, bool, &'static [(&'static str, usize)]);
    /// A renumber-table row: (marker texts, hierarchy, expected changes).
    type RenumberRow = (&'static [&'static str], Hierarchy, &'static [(usize, u32)]);

    /// (code, item) of each finding.
    fn codes(findings: &[Finding]) -> Vec<(&'static str, usize)> {
        findings.iter().map(|f| (f.code, f.item)).collect()
    }

    /// A whole fixture document: markers of its body up to the attachment list; checks
    /// that every heading in the fixture is recognised as one at the right level.
    fn document(blocks: &[(u8, &str)], hierarchy: Hierarchy) -> Vec<Marker> {
        let mut out = Vec::new();
        for &(level, text) in blocks {
            if starts_attachments(text) {
                break;
            }
            let marker = recognize(text);
            let got = marker.as_ref().and_then(|m| heading_level(text, m, hierarchy));
            assert_eq!(got.unwrap_or(0), level, "{text}");
            out.extend(marker);
        }
        out
    }

    #[test]
    fn real_regulation_validates_clean() {
        let kinds: Vec<MarkerKind> = fixtures::PREPAID_CARD
            .iter()
            .filter_map(|(_, t)| recognize(t))
            .map(|m| m.kind)
            .collect();
        let h = detect(fixtures::PREPAID_CARD_TITLE, &kinds);
        assert_eq!(h, Hierarchy::Regulation);
        let items = document(fixtures::PREPAID_CARD, h);
        let articles = items.iter().filter(|m| m.kind == MarkerKind::Article).count();
        assert!(articles >= 27, "{articles}");
        assert_eq!(validate(&items, h, false), []);
        assert_eq!(renumber(&items, h), []);
    }

    #[test]
    fn real_plan_validates_clean() {
        let h = detect(fixtures::CAR_RENTAL_TITLE, &[]);
        assert_eq!(h, Hierarchy::Plan);
        let items = document(fixtures::CAR_RENTAL, h);
        let inline = items.iter().filter(|m| m.kind == MarkerKind::InlineEnum).count();
        assert_eq!(inline, 4);
        assert_eq!(validate(&items, h, false), []);
        assert_eq!(renumber(&items, h), []);
    }

    #[test]
    fn real_running_numbering_validates_clean() {
        let h = detect(fixtures::DRUG_LIST_TITLE, &[]);
        assert_eq!(h, Hierarchy::Plan);
        let items = document(fixtures::DRUG_LIST, h);
        assert_eq!(items.len(), 19);
        assert_eq!(validate(&items, h, false), []);
        assert_eq!(renumber(&items, h), []);
    }

    #[test]
    fn findings_table() {
        use Hierarchy::*;
        // (markers, hierarchy, excerpt, expected (code, item))
        let table: &[FindingRow] = &[
            (
                &["一、", "（一）", "（二）", "（四）"],
                Plan,
                false,
                &[("numbering-gap", 3)],
            ),
            (&["一、", "（一）", "（二）", "（四）"], Plan, true, &[]),
            (
                &["一、", "（一）", "（二）", "（二）"],
                Plan,
                false,
                &[("numbering-duplicate", 3)],
            ),
            (&["一、", "二、", "三、", "二、"], Plan, false, &[("numbering-order", 3)]),
            (&["一、", "二、", "三、", "二、"], Plan, true, &[("numbering-order", 3)]),
            (&["二、", "三、"], Plan, false, &[("numbering-start", 0)]),
            (&["二、", "三、"], Plan, true, &[]),
            // 1. restarts under each （一）.
            (&["（一）", "1.", "2.", "（二）", "1.", "2."], Plan, false, &[]),
            (
                &["（一）", "1.", "2.", "（二）", "2.", "3."],
                Plan,
                false,
                &[("numbering-restart", 4)],
            ),
            (&["（一）", "1.", "2.", "（二）", "3.", "4."], Plan, false, &[]),
            (
                &["（一）", "1.", "2.", "（二）", "1.", "（三）", "2."],
                Plan,
                false,
                &[("numbering-restart", 6)],
            ),
            (
                &["（一）", "1.", "2.", "（二）", "1.", "（三）", "5."],
                Plan,
                false,
                &[("numbering-restart", 6)],
            ),
            // A skipped level: 1. straight under 一、.
            (&["一、", "1.", "2.", "二、", "1."], Plan, false, &[]),
            // 节 restart under each chapter; 条 never restart.
            (
                &[
                    "第一章 总则",
                    "第一节 一般规定",
                    "第一条　甲",
                    "第二节 特别规定",
                    "第二条　乙",
                    "第二章 分则",
                    "第一节 甲",
                    "第三条　丙",
                ],
                Regulation,
                false,
                &[],
            ),
            (
                &[
                    "第一章 总则",
                    "第一节 一般规定",
                    "第二节 特别规定",
                    "第二章 分则",
                    "第三节 甲",
                ],
                Regulation,
                false,
                &[("numbering-restart", 4)],
            ),
            (
                &["第一章 总则", "第一条　甲", "第二条　乙", "第二章 分则", "第一条　丙"],
                Regulation,
                false,
                &[("numbering-order", 4)],
            ),
            (
                &["第一章 总则", "第一条　甲", "第二章 分则", "第三条　乙"],
                Regulation,
                false,
                &[("numbering-gap", 3)],
            ),
            // 项 restart under each article.
            (
                &["第一条　甲", "（一）甲", "（二）乙", "第二条　乙", "（三）丙"],
                Regulation,
                false,
                &[("numbering-restart", 4)],
            ),
            // Widths and kinds.
            (&["(一)甲", "（二）乙"], Plan, false, &[("marker-width", 0)]),
            (&["第一条 甲", "第二条　乙"], Regulation, false, &[("marker-width", 0)]),
            (&["一、甲", "第一条　乙"], Plan, false, &[("marker-kind", 1)]),
            (&["第一条　甲", "一、乙"], Regulation, false, &[("marker-kind", 1)]),
            // Inline runs: no start check, checked within the run, restart at 一是.
            (&["一、", "二是", "三是", "二、", "一是", "二是"], Plan, false, &[]),
            (&["一、", "一是", "三是"], Plan, false, &[("numbering-gap", 2)]),
            (&["一、", "一是", "二是", "一是", "二是"], Plan, false, &[]),
            (
                &["一、", "一是", "二是", "二是"],
                Plan,
                false,
                &[("numbering-duplicate", 3)],
            ),
            (&["第一，", "第二，", "第四，"], Plan, false, &[("numbering-gap", 2)]),
            (&[], Plan, false, &[]),
        ];
        for &(texts, h, excerpt, want) in table {
            let items = markers(texts);
            let got = validate(&items, h, excerpt);
            assert_eq!(codes(&got), want, "{texts:?}");
        }
    }

    #[test]
    fn extreme_values_do_not_panic() {
        let mut items = markers(&["一、", "二、", "三、"]);
        items[1].value = u32::MAX;
        items[2].value = u32::MAX;
        let f = validate(&items, Hierarchy::Plan, false);
        assert_eq!(codes(&f), [("numbering-gap", 1), ("numbering-duplicate", 2)]);
        assert_eq!(renumber(&items, Hierarchy::Plan), [(1, 2), (2, 3)]);
    }

    #[test]
    fn fixture_texts_never_panic() {
        let all = [fixtures::PREPAID_CARD, fixtures::CAR_RENTAL, fixtures::DRUG_LIST];
        for &(_, text) in all.iter().flat_map(|d| d.iter()) {
            for (i, _) in text.char_indices() {
                if let Some((out, m)) = canonicalize(&text[i..]) {
                    assert!(out.len() + 16 >= m.range.len());
                }
            }
        }
    }

    #[test]
    fn messages_and_expected() {
        let items = markers(&["一、", "（一）", "（二）", "（四）"]);
        let f = validate(&items, Hierarchy::Plan, false);
        assert_eq!(f[0].message, "numbering gap: （二） is followed by （四）");
        assert_eq!(f[0].expected.as_deref(), Some("（三）"));

        let items = markers(&[
            "第一章 总则",
            "第一节 甲",
            "第二节 乙",
            "第二章 分则",
            "第三节 丙",
        ]);
        let f = validate(&items, Hierarchy::Regulation, false);
        assert_eq!(
            f[0].message,
            "第三节 is the first under 第二章 and should restart at 第一节"
        );
        assert_eq!(f[0].expected.as_deref(), Some("第一节"));

        let items = markers(&["(一) 甲"]);
        let f = validate(&items, Hierarchy::Plan, false);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("half-width parentheses"), "{}", f[0].message);
        assert!(f[0].message.contains("a space after the marker"), "{}", f[0].message);
        assert_eq!(f[0].expected.as_deref(), Some("（一）"));
    }

    #[test]
    fn renumber_table() {
        use Hierarchy::*;
        let table: &[RenumberRow] = &[
            (&["一、", "二、", "三、"], Plan, &[]),
            (&["一、", "二、", "四、", "五、"], Plan, &[(2, 3), (3, 4)]),
            (&["二、", "三、"], Plan, &[(0, 1), (1, 2)]),
            (&["一、", "二、", "二、", "三、"], Plan, &[(2, 3), (3, 4)]),
            (
                &["（一）", "1.", "3.", "（二）", "1.", "（三）", "2."],
                Plan,
                &[(2, 2), (6, 1)],
            ),
            (
                &["第一章 总则", "第一条　甲", "第二章 分则", "第一条　乙", "第三条　丙"],
                Regulation,
                &[(3, 2)],
            ),
            (
                &["第一章 总则", "第一节 甲", "第二章 分则", "第二节 乙"],
                Regulation,
                &[(3, 1)],
            ),
            (&["一、", "一是", "三是", "一是"], Plan, &[(2, 2)]),
        ];
        for &(texts, h, want) in table {
            let items = markers(texts);
            assert_eq!(renumber(&items, h), want, "{texts:?}");
            // Applying the changes leaves nothing to renumber and no sequence finding.
            let mut fixed = items.clone();
            for &(i, v) in want {
                fixed[i].value = v;
            }
            assert_eq!(renumber(&fixed, h), [], "{texts:?}");
            let left: Vec<_> = validate(&fixed, h, false)
                .into_iter()
                .filter(|f| f.code != "marker-kind")
                .collect();
            assert_eq!(left, [], "{texts:?}");
        }
    }
}
