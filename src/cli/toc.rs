//! `huibian toc`: print the regenerated table of contents, building first when the
//! outputs are missing or older than the sources.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Context;

use super::build::{build_one, setup};
use super::{Outcome, TocArgs, TocFormat};
use crate::edition;
use crate::pipeline::Only;
use crate::pipeline::output_dir;
use crate::toc::Toc;

/// Prints the TOC of `args.edition`.
pub(crate) fn toc(args: &TocArgs) -> anyhow::Result<Outcome> {
    let project = PathBuf::new();
    let folder = edition::resolve(&args.edition, &project.join("sources"))?;
    let id = edition::edition_id(&folder)?;
    let dir = output_dir(&args.out, &id);
    let toc_path = dir.join("toc.json");
    let pdf_path = dir.join(format!("{id}.pdf"));
    let inputs = [folder.clone(), project.join("templates")];
    if !is_fresh(&[&toc_path, &pdf_path], &inputs)? {
        let renderers = setup(&project, &[], false)?;
        if build_one(&folder, &args.out, &renderers, Only::All)? == Outcome::SourceErrors
        {
            return Ok(Outcome::SourceErrors);
        }
    }
    let text = std::fs::read_to_string(&toc_path)
        .with_context(|| format!("reading {}", toc_path.display()))?;
    let toc: Toc = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a huibian toc.json", toc_path.display()))?;
    match args.format {
        TocFormat::Text => print!("{}", toc.to_text(args.depth)),
        TocFormat::Markdown => print!("{}", toc.to_markdown(args.depth)),
        TocFormat::Json => print!("{text}"),
    }
    Ok(Outcome::Success)
}

/// Whether every output exists and is newer than every file under the inputs.
fn is_fresh(outputs: &[&Path], inputs: &[PathBuf]) -> anyhow::Result<bool> {
    let mut oldest_output = None::<SystemTime>;
    for output in outputs {
        let Ok(meta) = std::fs::metadata(output) else { return Ok(false) };
        let modified = meta.modified()?;
        oldest_output = Some(oldest_output.map_or(modified, |o| o.min(modified)));
    }
    let Some(oldest_output) = oldest_output else { return Ok(false) };
    for input in inputs {
        if newest_under(input)?.is_some_and(|newest| newest > oldest_output) {
            return Ok(false);
        }
    }
    Ok(true)
}

fn newest_under(path: &Path) -> anyhow::Result<Option<SystemTime>> {
    let Ok(meta) = std::fs::metadata(path) else { return Ok(None) };
    let mut newest = meta.modified().ok();
    if meta.is_dir() {
        for entry in std::fs::read_dir(path)
            .with_context(|| format!("reading {}", path.display()))?
        {
            let child = newest_under(&entry?.path())?;
            newest = newest.max(child);
        }
    }
    Ok(newest)
}
