//! `huibian toc`: print the regenerated table of contents, building first when the
//! outputs are missing or older than the sources.

use super::build::build_one;
use super::{Outcome, TocArgs, TocFormat, print};
use crate::edition;
use crate::pipeline::{self, FontChoice, Only, Renderers, output_dir};
use crate::project::Project;
use crate::toc::Toc;

/// Prints the TOC of `args.edition`.
pub(crate) fn toc(args: &TocArgs) -> anyhow::Result<Outcome> {
    let project = Project::current();
    let folder = project.resolve(&args.edition)?;
    let id = edition::edition_id(&folder)?;
    if !pipeline::is_up_to_date(&project, &folder, &args.out, &id)? {
        let renderers = Renderers::new(&project, &[], FontChoice::All)?;
        if build_one(&folder, &args.out, &renderers, Only::All)? == Outcome::SourceErrors
        {
            return Ok(Outcome::SourceErrors);
        }
    }
    let toc = Toc::read(&output_dir(&args.out, &id).join("toc.json"))?;
    print::stdout(&match args.format {
        TocFormat::Text => toc.to_text(args.depth),
        TocFormat::Markdown => toc.to_markdown(args.depth),
        TocFormat::Json => toc.to_json(),
    })?;
    Ok(Outcome::Success)
}
