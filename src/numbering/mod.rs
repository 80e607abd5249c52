//! The numbering of official documents: takes the text of paragraphs and headings and
//! returns what their leading numbers are, how deep they sit and what is wrong with them.
//!
//! DESIGN.md, "Numbering and headings", is the contract. Pure functions, no I/O, no
//! dependencies; `huibian check` reports, `huibian fmt` canonicalises (and renumbers on
//! request), the importer decides what becomes a heading.
//!
//! The map, bottom-up:
//! - [`numerals`]: `十一` ⇄ 11, full-width digits → ASCII;
//! - [`marker`]: the marker at the start of one text (`（一）`, `1.`, `第三条`), its
//!   value, its byte range, the non-canonical width forms it was written in, and the
//!   rewrite to canonical form;
//! - [`outline`]: which of the two hierarchies a document uses, the rank of each marker
//!   kind in it, whether a numbered line is a heading, and who is whose parent;
//! - [`document`]: a whole document's plan: which blocks are numbered and which
//!   should be headings at which level, up to the attachment list;
//! - [`mod@validate`]: gaps, duplicates, wrong order, wrong restarts, wrong kinds and widths
//!   over a whole document's markers, and the renumbering that repairs the sequences.

pub mod document;
pub mod marker;
pub mod numerals;
pub mod outline;
pub mod validate;

#[cfg(test)]
mod fixtures;

pub use marker::{
    Marker, MarkerKind, Variant, canonical_text, canonicalize, recognize, rewrite,
};
pub use outline::{
    Hierarchy, atx_level, detect, heading_level, is_heading, nest, rank,
    starts_attachments,
};
pub use validate::{Finding, renumber, validate};
