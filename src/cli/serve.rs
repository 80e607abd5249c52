//! `huibian serve`: resolve the edition, set up fonts, hand over to the server loop.

use super::{Outcome, ServeArgs};
use crate::pipeline::{FontChoice, Renderers};
use crate::project::Project;

/// Runs the preview server until interrupted.
pub(crate) fn serve(args: &ServeArgs) -> anyhow::Result<Outcome> {
    let project = Project::current();
    let folder = project.resolve(&args.edition)?;
    let renderers = Renderers::new(&project, &[], FontChoice::All)?;
    let listen = crate::serve::Listen {
        ip: args.bind,
        port: args.port,
        edit: args.edit,
        allow_remote_edit: args.allow_remote_edit,
    };
    crate::serve::serve(&folder, &args.out, listen, renderers, &project)?;
    Ok(Outcome::Success)
}
