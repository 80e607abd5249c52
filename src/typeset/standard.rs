//! What the edition's PDF standards ask of the book, said in its own terms.
//!
//! typst-pdf refuses what a standard forbids (an image without alt text, a glyph no
//! font has) when it writes the PDF, and names a place in the template. An editor
//! needs the place in the sources: the two refusals a book can meet are found
//! here before Typst runs, at their Markdown line; anything else typst-pdf refuses
//! is reported at the standard's own line in edition.toml, with Typst's words.

use typst::diag::SourceDiagnostic;

use crate::book::Book;
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::pdf::{Origin, PdfSettings};
use crate::source::Span;

/// Errors for what the standards forbid and the sources can show: images without
/// alt text. Returns whether the book may go on to be typeset.
pub fn preflight(book: &Book, diags: &mut Diagnostics) -> bool {
    let pdf = &book.meta.pdf;
    if !pdf.requires_alt_text() {
        return true;
    }
    let mut ok = true;
    let docs = book
        .intro
        .iter()
        .chain(book.categories.iter().filter_map(|c| c.body.as_ref()))
        .map(|t| &t.doc)
        .chain(book.policies().map(|p| &p.doc));
    for doc in docs {
        crate::markdown::walk_images(&doc.blocks, &mut |alt, span| {
            if alt.trim().is_empty() {
                ok = false;
                diags.push(missing_alt_text(span, pdf));
            }
        });
    }
    ok
}

/// The error for an image without alt text under a standard that needs one; `check`
/// reports the same finding, so that it agrees with the build.
pub fn missing_alt_text(span: &Span, pdf: &PdfSettings) -> Diagnostic {
    Diagnostic::error(
        "image-no-alt",
        format!(
            "an image with no alt text: {} needs a description of every image",
            pdf.label()
        ),
    )
    .with_span(span.clone())
    .with_hint(format!(
        "describe it between the brackets: `![审批流程图](…)`; the standard is {}",
        pdf.chosen_where()
    ))
}

/// typst-pdf's refusal, located at the standard's line in edition.toml (or named
/// as the default or the command line's), with Typst's message and hints.
pub fn refusal(error: &SourceDiagnostic, pdf: &PdfSettings) -> Diagnostic {
    // Typst's message starts with the standard's name (`PDF/A-1b error: …`); ours
    // names it once.
    let message =
        error.message.split_once(" error: ").map_or(&*error.message, |(_, m)| m);
    let mut ours = Diagnostic::error(
        "pdf-standard",
        format!("the PDF cannot conform to {}: {message}", pdf.label()),
    );
    if let Origin::Manifest(span) = &pdf.origin {
        ours = ours.with_span(span.clone()).with_label("the standard chosen here");
    }
    for hint in &error.hints {
        ours = ours.with_hint(hint.v.to_string());
    }
    ours.with_hint(format!(
        "the standard is {}; `none` writes a PDF without one",
        pdf.chosen_where()
    ))
}
