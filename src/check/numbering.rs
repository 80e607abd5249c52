//! Numbering findings for one policy: the numbering model's plan and validation,
//! located in the source.

use crate::book::{BlockMarker, Policy};
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::markdown::{Block, plain_text};
use crate::numbering;
use crate::source::{Sources, Span};

/// Checks the numbering and the heading levels of one policy.
pub(super) fn check_policy(policy: &Policy, sources: &Sources, diags: &mut Diagnostics) {
    // The blocks the book's numbering plan counts, in order: what `validate` numbers.
    let numbered: Vec<(&Block, &BlockMarker)> = policy
        .doc
        .blocks
        .iter()
        .filter_map(|block| Some((block, policy.markers.of(block)?)))
        .filter(|(_, marker)| marker.plan.is_some())
        .collect();
    let Some(hierarchy) = policy.markers.hierarchy else { return };
    let markers: Vec<numbering::Marker> =
        numbered.iter().map(|(_, m)| m.marker.clone()).collect();
    for finding in numbering::validate(&markers, hierarchy, policy.meta.excerpt) {
        let Some((_, marker)) = numbered.get(finding.item) else { continue };
        let error = finding.severity == Severity::Error;
        let mut diagnostic =
            Diagnostic::new(finding.severity, finding.code, finding.message);
        diagnostic = diagnostic.with_span(marker.span.clone());
        if let Some(expected) = finding.expected {
            diagnostic = diagnostic.with_label(format!("expected {expected}"));
        }
        if error {
            diagnostic = diagnostic.with_hint(
                "numbering is legal text: fix it by hand, or run `huibian fmt --renumber` \
                 (set `excerpt: true` if the text is an excerpt)",
            );
        } else {
            diagnostic =
                diagnostic.with_hint("`huibian fmt` writes markers in canonical form");
        }
        diags.push(diagnostic);
    }
    for (block, marker) in numbered {
        check_heading_level(block, marker, sources, diags);
    }
}

/// A numbered line's heading level as written against the level its rank and its
/// length give it.
fn check_heading_level(
    block: &Block,
    marker: &BlockMarker,
    sources: &Sources,
    diags: &mut Diagnostics,
) {
    let current = match block {
        Block::Heading { span, .. } => Some(atx_level(sources, span)),
        _ => None,
    };
    let expected = marker.plan.and_then(|plan| plan.heading);
    let span = marker.span.clone();
    let marker_text = &marker.text;
    match (current, expected) {
        (None, Some(level)) => diags.push(
            Diagnostic::warning("heading-missing", format!("`{marker_text}` stands alone: it is a heading"))
                .with_span(span)
                .with_hint(format!("write it as `{} {}` (huibian fmt does)", "#".repeat(level.into()), block_text(block))),
        ),
        (Some(now), Some(level)) if now != level => diags.push(
            Diagnostic::warning(
                "heading-level",
                format!("`{marker_text}` is a level-{level} heading here, not level {now}"),
            )
            .with_span(span)
            .with_hint(format!("write it as `{} …` (huibian fmt does)", "#".repeat(level.into()))),
        ),
        (Some(_), None) => diags.push(
            Diagnostic::warning(
                "heading-run-in",
                format!("`{marker_text}` goes on with text: it is a numbered paragraph, not a heading"),
            )
            .with_span(span)
            .with_hint("remove the `#`s (huibian fmt does)"),
        ),
        _ => {}
    }
}

/// The plain text of a heading or paragraph, for a hint that shows it rewritten.
fn block_text(block: &Block) -> String {
    match block {
        Block::Heading { content, .. } | Block::Para { content, .. } => {
            plain_text(content)
        }
        _ => String::new(),
    }
}

/// The ATX level of a heading as written (`###` → 3); setext headings count as 2.
fn atx_level(sources: &Sources, span: &Span) -> u8 {
    let text = &sources.get(span.source).text;
    let hashes = text
        .get(span.range.clone())
        .map_or(0, |t| t.chars().take_while(|&c| c == '#').count());
    if hashes == 0 { 2 } else { u8::try_from(hashes).unwrap_or(6) }
}
