//! huibian builds a policy compilation (汇编) from Markdown sources.
//!
//! The pipeline, one module per stage, plain data between them (ARCHITECTURE.md
//! has the whole map):
//!
//! 1. [`project`] FIND: the project root → its `sources/`, `templates/`, `fonts/`;
//! 2. [`encoding`] READ: a file's bytes → text in [`source::Sources`];
//! 3. [`edition`] LOAD: `edition.toml` and the files it names → [`edition::Edition`];
//! 4. [`markdown`] PARSE: each body → [`markdown::Doc`], blocks with source spans;
//! 5. [`book`] ASSEMBLE: numbered categories, policy ids, each block's numbering
//!    marker (recognised once), each policy's [`validity`], the [`indexes`] →
//!    [`book::Book`]; with a `previous` edition, its [`changes`] (本期变化);
//! 6. [`typeset`] LAY OUT and EXPORT: the book as data + `templates/edition.typ` →
//!    Typst → pages, then PDF bytes;
//! 7. [`toc`] TOC: the pages the layout gave each heading → `toc.json`;
//! 8. [`html`] HTML: the book and its TOC → the site, with its search index;
//! 9. [`output`] WRITE: the results, atomically, under `out/<ID>/`.
//!
//! [`load::load`] runs 2–5 for every command; [`pipeline`] runs 6–9 for `build`,
//! `toc` and `serve`. Beside them: [`numbering`] and [`normalize`] (shared by
//! [`check`], [`fmt`], [`import`]), [`diff`], [`scaffold`] (`new`), [`serve`] and
//! [`watch`], [`desk`] (`serve --edit`), [`pdf_reader`], [`memory`] (the export's
//! allocator tuning).
//!
//! Findings about the sources flow as [`diag::Diagnostic`] values into one sink and
//! point at `file:line:column` through [`source::Sources`]. [`cli`] parses the command
//! line, calls one library function per command and prints.

#![warn(missing_docs, unreachable_pub)]
// Panics are bugs: outside tests, errors are returned or reported, never unwrapped.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod add;
pub mod book;
pub mod changes;
pub mod check;
pub mod cjk;
pub mod cli;
pub mod desk;
pub mod diag;
pub mod diff;
pub mod edition;
pub mod encoding;
pub mod fmt;
pub mod html;
pub mod import;
pub mod indexes;
pub mod intake;
pub mod load;
pub mod markdown;
pub mod memory;
pub mod normalize;
pub mod numbering;
pub mod output;
pub mod patterns;
pub mod pdf_reader;
pub mod pipeline;
pub mod project;
pub mod scaffold;
pub mod serve;
pub mod source;
pub mod toc;
pub mod typeset;
pub mod validity;
pub mod watch;
