//! `huibian serve`: resolve the edition, set up fonts, hand over to the server loop.

use std::path::PathBuf;

use super::build::setup;
use super::{Outcome, ServeArgs};
use crate::edition;

/// Runs the preview server until interrupted.
pub(crate) fn serve(args: &ServeArgs) -> anyhow::Result<Outcome> {
    let project = PathBuf::new();
    let folder = edition::resolve(&args.edition, &project.join("sources"))?;
    let renderers = setup(&project, &[], false)?;
    let listen = crate::serve::Listen { ip: args.bind, port: args.port };
    crate::serve::serve(&folder, &args.out, listen, renderers, &project)?;
    Ok(Outcome::Success)
}
