//! huibian's integration tests: one binary, one module per capability.
//! See README.md beside this file for how to add a case.

mod prelude;

mod add;
mod archival;
mod bad_input;
mod browser;
mod build;
mod check;
mod current;
mod desk;
mod edition_2021q4;
mod emit;
mod fmt;
mod fuzz_regressions;
mod hostile;
mod import;
mod interrupted;
mod media;
mod new;
mod one_way;
mod rebuild;
mod redline;
mod search_js;
mod serve;
mod serve_churn;
mod sources;
mod toc;
mod typography;
