//! The one place that writes a command's output to stdout.
//!
//! `huibian toc 2021-Q4 | head` closes the pipe after a few lines; `print!` would then
//! panic. Every command writes through [`stdout`] instead, and a reader that went away
//! ends the command quietly with success, as it does for ripgrep and cargo: what was
//! asked for was read as far as the reader wanted.

use std::io::{ErrorKind, Write};

/// Writes `text` to stdout and flushes it. A closed pipe is a [`ReaderGone`] error,
/// which `main` turns into a quiet exit 0.
pub(crate) fn stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == ErrorKind::BrokenPipe => Err(ReaderGone.into()),
        Err(err) => Err(anyhow::Error::new(err).context("writing to standard output")),
    }
}

/// The reader of stdout closed it before the command was done printing.
#[derive(Debug, thiserror::Error)]
#[error("standard output was closed")]
pub(crate) struct ReaderGone;

/// Whether `err` is (or was caused by) stdout's reader going away.
pub fn is_reader_gone(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.is::<ReaderGone>()
            || cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
    })
}
