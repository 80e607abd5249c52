//! Numbering findings for one policy: the numbering model's plan and validation,
//! located in the source.

use crate::book::Policy;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{Block, InlineKind, plain_text};
use crate::numbering::{self, Marker, document::plan};
use crate::source::{Sources, Span};

/// A top-level paragraph or heading: its plain text and where that text starts.
struct TextBlock<'a> {
    text: String,
    block: &'a Block,
    /// Source offset of the text's first character, when the text starts with plain
    /// text (so marker offsets map one to one).
    start: Option<usize>,
}

/// Checks the numbering and the heading levels of one policy.
pub(super) fn check_policy(policy: &Policy, sources: &Sources, diags: &mut Diagnostics) {
    let blocks: Vec<TextBlock<'_>> = policy
        .doc
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Heading { content, .. } | Block::Para { content, .. } => {
                let text = plain_text(content);
                let start = match content.first().map(|i| (&i.kind, i.span.range.start)) {
                    Some((InlineKind::Text(first), start))
                        if text.starts_with(first.as_str()) =>
                    {
                        Some(start)
                    }
                    _ => None,
                };
                Some(TextBlock { text, block, start })
            }
            _ => None,
        })
        .collect();
    let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
    let plan = plan(&policy.meta.title, &texts);
    let source = policy.source;
    let locate = |index: usize, marker: &Marker| -> Span {
        let block = &blocks[index];
        match block.start {
            Some(start) => {
                Span::new(source, start + marker.range.start..start + marker.range.end)
            }
            None => block.block.span().clone(),
        }
    };

    let markers = plan.markers();
    for finding in numbering::validate(&markers, plan.hierarchy, policy.meta.excerpt) {
        let numbered = &plan.numbered[finding.item];
        let error = finding.code.starts_with("numbering-");
        let mut diagnostic = if error {
            Diagnostic::error(finding.code, finding.message)
        } else {
            Diagnostic::warning(finding.code, finding.message)
        };
        diagnostic = diagnostic.with_span(locate(numbered.block, &numbered.marker));
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

    for numbered in &plan.numbered {
        let block = &blocks[numbered.block];
        let current = match block.block {
            Block::Heading { span, .. } => Some(atx_level(sources, span)),
            _ => None,
        };
        let span = locate(numbered.block, &numbered.marker);
        let marker_text = block.text.get(numbered.marker.range.clone()).unwrap_or("");
        match (current, numbered.heading) {
            (None, Some(level)) => diags.push(
                Diagnostic::warning("heading-missing", format!("`{marker_text}` stands alone: it is a heading"))
                    .with_span(span)
                    .with_hint(format!("write it as `{} {}` (huibian fmt does)", "#".repeat(level.into()), block.text)),
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
}

/// The ATX level of a heading as written (`###` → 3); setext headings count as 2.
fn atx_level(sources: &Sources, span: &Span) -> u8 {
    let text = &sources.get(span.source).text;
    let hashes = text
        .get(span.range.clone())
        .map_or(0, |t| t.chars().take_while(|&c| c == '#').count());
    if hashes == 0 { 2 } else { u8::try_from(hashes).unwrap_or(6) }
}
