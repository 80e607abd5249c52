//! `build --timings`: Typst's own record of where a build's time went (each layout
//! pass, the PDF export), written as a Chrome trace like `typst compile --timings`,
//! so that the two can be laid side by side in Perfetto.

use std::path::Path;

use typst::World;
use typst::syntax::{Span, SpanKind};

use super::WorldCache;

/// Starts recording. Typst records nothing unless asked, at no cost.
pub fn start() {
    typst_timing::clear();
    typst_timing::enable();
}

/// Writes what was recorded since [`start`] to `path` (atomically), each event with
/// the template line it came from where the last build's World can say.
pub fn write(path: &Path, cache: &WorldCache) -> anyhow::Result<()> {
    let world = cache.world.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut json = Vec::new();
    typst_timing::export_json(&mut json, |raw| {
        world
            .as_ref()
            .and_then(|world| where_from(world, Span::from_raw(raw)))
            .unwrap_or_else(|| ("unknown".to_string(), 0))
    })
    .map_err(|err| anyhow::anyhow!("writing Typst's timings: {err}"))?;
    typst_timing::disable();
    crate::output::write_atomic(path, &json)
}

/// A span's file and line (1-based), as typst-cli names them.
fn where_from(world: &dyn World, span: Span) -> Option<(String, u32)> {
    let (id, line) = match span.get() {
        SpanKind::Detached => return None,
        SpanKind::Number { id, num } => {
            let source = world.source(id).ok()?;
            let range = source.range(num, None)?;
            (id, source.lines().byte_to_line(range.start)?)
        }
        SpanKind::Range { id, range } => {
            let file = world.file(id).ok()?;
            (id, file.lines().ok()?.byte_to_line(range.start)?)
        }
    };
    Some((format!("{id:?}"), u32::try_from(line + 1).ok()?))
}
