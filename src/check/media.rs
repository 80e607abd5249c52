//! Images and merged cells an editor must look at, though the book builds: images
//! with no alt text, and image files in the edition's `assets/` that no policy
//! shows. Bad spans and image paths that name no image in the folder are errors
//! found earlier (`markdown` and `book::assemble`), at the cell or image.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::book::Book;
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::Edition;
use crate::edition::pdf::PdfSettings;
use crate::intake::limits::IMAGE_EXTENSIONS;
use crate::markdown::Doc;
use crate::source::Span;

/// The folder `huibian add` copies images into.
pub(super) const ASSETS: &str = "assets";

/// Reports every image of `doc` whose alt text is empty: a warning, or an error
/// when the edition's PDF standard needs alt text, since the build would then fail.
pub(super) fn check_doc(doc: &Doc, pdf: &PdfSettings, diags: &mut Diagnostics) {
    for span in images_without_alt(doc) {
        let diagnostic = if pdf.requires_alt_text() {
            crate::typeset::standard::missing_alt_text(&span, pdf)
        } else {
            Diagnostic::warning(
                "image-no-alt",
                "an image with no alt text: the PDF's tags, screen readers and the search have nothing to say of it",
            )
            .with_hint("describe it between the brackets: `![审批流程图](…)`")
            .with_span(span)
        };
        diags.push(diagnostic);
    }
}

/// The images of `doc` with empty alt text, in reading order.
fn images_without_alt(doc: &Doc) -> Vec<Span> {
    let mut found = Vec::new();
    crate::markdown::walk_images(&doc.blocks, &mut |alt, span| {
        if alt.trim().is_empty() {
            found.push(span.clone());
        }
    });
    found
}

/// Image files under `<edition>/assets/` that no image block shows: left behind by
/// an edit, or a figure a policy lost.
pub(super) fn unused_assets(edition: &Edition, book: &Book, diags: &mut Diagnostics) {
    let dir = edition.root.join(ASSETS);
    if !dir.is_dir() {
        return;
    }
    let shown: HashSet<PathBuf> = book
        .images
        .paths()
        .filter_map(|p| edition.root.join(p).canonicalize().ok())
        .collect();
    let mut unused = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                diags.push(
                    Diagnostic::warning(
                        "unreadable-folder",
                        format!("cannot look for unused images: {err}"),
                    )
                    .with_hint("make the folder readable"),
                );
                continue;
            }
        };
        let image = entry.path().extension().is_some_and(|e| {
            IMAGE_EXTENSIONS.contains(&e.to_string_lossy().to_ascii_lowercase().as_str())
        });
        if entry.file_type().is_file()
            && image
            && entry.path().canonicalize().is_ok_and(|p| !shown.contains(&p))
        {
            unused.push(entry.into_path());
        }
    }
    for path in unused {
        let rel = path.strip_prefix(&edition.root).unwrap_or(&path);
        diags.push(
            Diagnostic::warning(
                "unused-asset",
                format!("{} is not shown by any policy", rel.display()),
            )
            .with_span(Span::new(edition.manifest, 0..0))
            .with_hint("show it with `![说明](…)` in its policy, or delete it"),
        );
    }
}
