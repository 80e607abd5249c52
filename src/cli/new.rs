//! `huibian new`: scaffold the next quarter's edition from an existing one.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::{NewArgs, Outcome};
use crate::diag::{self, Diagnostics};
use crate::edition::{self, Edition};
use crate::output::write_dir_atomic;
use crate::scaffold::{Quarter, scaffold};
use crate::source::Sources;

/// Creates `sources/<ID>/` from `--from` (or the latest edition).
pub(crate) fn new(args: &NewArgs) -> anyhow::Result<Outcome> {
    let sources_dir = PathBuf::from("sources");
    if args.id.is_empty()
        || !args.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        bail!(
            "invalid edition id `{}`: use letters, digits and `-`, e.g. 2022-Q1",
            args.id
        );
    }
    let target = sources_dir.join(&args.id);
    if target.exists() {
        bail!(
            "{} already exists; huibian new never overwrites an edition",
            target.display()
        );
    }
    let from = match &args.from {
        Some(from) => edition::resolve(from, &sources_dir)?,
        None => latest(&sources_dir)?,
    };
    let mut sources = Sources::new();
    let mut diags = Diagnostics::default();
    let Some(old) = Edition::load(&from, &mut sources, &mut diags)? else {
        diag::emit_human(&sources, &diags.take());
        eprintln!("error: {} has errors; fix them first", from.display());
        return Ok(Outcome::SourceErrors);
    };
    let quarter = match Quarter::parse_id(&args.id) {
        Some(quarter) => quarter,
        None => match old.meta.period {
            Some((_, last)) => Quarter::of(last).next(),
            None => bail!(
                "cannot tell which quarter `{}` is: name it YYYY-Qn (e.g. 2022-Q1) or give {} a `period`",
                args.id,
                from.display()
            ),
        },
    };
    let files = scaffold(&old, &sources, quarter);
    write_dir_atomic(&target, &files)?;
    eprintln!(
        "created {} for {} from {} ({} categories, no policies yet)",
        target.display(),
        quarter.subtitle(),
        from.display(),
        old.categories.len()
    );
    if files.len() > 1 {
        eprintln!(
            "revise the dates marked 【待核：…】 in the introduction; `huibian check` lists them"
        );
    }
    Ok(Outcome::Success)
}

fn latest(sources_dir: &Path) -> anyhow::Result<PathBuf> {
    edition::discover(sources_dir)
        .with_context(|| {
            "no --from given, and no edition found to start from".to_string()
        })?
        .pop()
        .with_context(|| {
            format!(
                "no edition under {} to start from; pass --from",
                sources_dir.display()
            )
        })
}
