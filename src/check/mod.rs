//! `huibian check`: everything wrong in an edition's sources, as findings.
//!
//! Loading and assembling already report what stops a build (broken YAML, missing
//! files, unknown references). This stage adds what an editor must decide on:
//! - [`numbering`]: gaps, duplicates, order, restarts, marker widths and kinds, and
//!   numbered lines whose heading level disagrees with their rank;
//! - [`text`]: half-width punctuation and stray spaces in CJK text, unbalanced
//!   brackets and quotes;
//! - [`edition`]: empty policies, duplicate titles and 文号, dates outside the
//!   edition's period, files the manifest does not name;
//! - [`media`]: images without alt text, image files in `assets/` no policy shows;
//! - [`validity`]: terms that ended or end within the period, repealed policies
//!   still printed (by this edition or an earlier one under `sources/`), and with
//!   `--suggest` the validity the texts state, proposed as front matter.
//!
//! Numbering errors are errors (the text is legal text, and an editor must look);
//! what `huibian fmt` repairs by itself is a warning.

mod edition;
mod media;
mod numbering;
pub mod pdf;
mod staged;
mod text;
pub mod validity;

pub use staged::{Stage, check_staged};

use crate::book::Book;
use crate::diag::Diagnostics;
use crate::edition::Edition;
use crate::source::Sources;

/// Runs every check on a loaded and assembled edition.
pub fn check(edition: &Edition, book: &Book, sources: &Sources, diags: &mut Diagnostics) {
    for policy in book.policies() {
        numbering::check_policy(policy, sources, diags);
        text::check_title(policy, sources, diags);
        text::check_doc(&policy.doc, &policy.markers, sources, diags);
        media::check_doc(&policy.doc, &book.meta.pdf, diags);
    }
    for text_file in
        book.intro.iter().chain(book.categories.iter().filter_map(|c| c.body.as_ref()))
    {
        text::check_doc(&text_file.doc, &text_file.markers, sources, diags);
        media::check_doc(&text_file.doc, &book.meta.pdf, diags);
    }
    edition::check_edition(edition, book, sources, diags);
    media::unused_assets(edition, book, diags);
    validity::check_book(book, sources, diags);
}

/// What `check_folder` does beyond the checks of [`check`].
#[derive(Debug, Clone, Default)]
pub struct CheckOptions<'a> {
    /// The outputs folder whose built PDF to verify against its toc.json (`--pdf`).
    pub built_in: Option<&'a std::path::Path>,
    /// Propose the validity the texts state as front matter (`--suggest`).
    pub suggest: bool,
}

/// `huibian check` of one edition: what loading and assembling found, every check
/// above, and with `built_in` (the outputs folder) the built PDF verified against
/// its toc.json once the sources have no errors.
pub fn check_folder(
    folder: &std::path::Path,
    options: &CheckOptions<'_>,
) -> anyhow::Result<crate::load::Loaded> {
    let mut loaded = crate::load::load(folder)?;
    if let (Some(edition), Some(book)) = (&loaded.edition, &loaded.assembled) {
        check(edition, book, &loaded.sources, &mut loaded.diagnostics);
        let earlier = validity::earlier_repealers(folder, book)?;
        validity::check_earlier(book, &earlier, &loaded.sources, &mut loaded.diagnostics);
        if options.suggest {
            validity::suggestions(book, &loaded.sources, &mut loaded.diagnostics);
        }
        if let Some(out_root) = options.built_in
            && !loaded.diagnostics.has_errors()
        {
            let dir = crate::pipeline::output_dir(out_root, &book.id);
            pdf::check_outputs(&dir, &book.id, &mut loaded.diagnostics)?;
        }
    }
    Ok(loaded)
}
