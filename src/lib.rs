//! huibian builds a policy compilation (汇编) from Markdown sources.
//!
//! The pipeline, one module per stage, plain data between them:
//!
//! 1. [`edition`] LOAD: `edition.toml` and the files it names → [`edition::Edition`];
//! 2. [`markdown`] PARSE: each body → [`markdown::Doc`], blocks with source spans;
//! 3. [`book`] ASSEMBLE: numbered categories, policy ids → [`book::Book`];
//! 4. [`typeset`] PDF: the book as data + `templates/edition.typ` → Typst → PDF bytes;
//! 5. [`toc`] TOC: the pages the layout gave each heading → `toc.json`;
//! 6. [`output`] writes the results atomically under `out/<ID>/`.
//!
//! Findings about the sources flow as [`diag::Diagnostic`] values into one sink and
//! point at `file:line:column` through [`source::Sources`]. [`cli`] wires the stages
//! to the command line.

#![warn(missing_docs, unreachable_pub)]
// Panics are bugs: outside tests, errors are returned or reported, never unwrapped.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod book;
pub mod check;
pub mod cjk;
pub mod cli;
pub mod diag;
pub mod diff;
pub mod edition;
pub mod fmt;
pub mod html;
pub mod import;
pub mod markdown;
pub mod normalize;
pub mod numbering;
pub mod output;
pub mod pdf_check;
pub mod pipeline;
pub mod scaffold;
pub mod serve;
pub mod source;
pub mod toc;
pub mod typeset;
pub mod watch;
