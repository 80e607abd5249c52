//! `huibian new`: scaffold the next quarter's edition from an existing one.

use super::{NewArgs, Outcome};
use crate::diag;
use crate::project::Project;
use crate::scaffold::{self, Created};

/// Creates `sources/<ID>/` from `--from` (or the latest edition).
pub(crate) fn new(args: &NewArgs) -> anyhow::Result<Outcome> {
    match scaffold::create(&Project::current(), &args.id, args.from.as_deref())? {
        Created::SourceErrors(from, mut loaded) => {
            diag::emit_human(&loaded.sources, &loaded.diagnostics.take());
            eprintln!("error: {} has errors; fix them first", from.display());
            Ok(Outcome::SourceErrors)
        }
        Created::Edition { target, from, quarter, categories, intro } => {
            eprintln!(
                "created {} for {} from {} ({categories} categories, no policies yet)",
                target.display(),
                quarter.subtitle(),
                from.display(),
            );
            if intro {
                eprintln!(
                    "revise the dates marked 【待核：…】 in the introduction; `huibian check` lists them"
                );
            }
            Ok(Outcome::Success)
        }
    }
}
