//! PDFs with text → [`Intake`]. (Being written.)

use std::path::Path;

use super::{Intake, IntakeError};

/// Reads one PDF; `path` is where `bytes` came from, for `pdftotext`.
pub fn read(_path: &Path, _bytes: &[u8]) -> Result<Intake, IntakeError> {
    Err(IntakeError::Unknown("PDFs are not read yet".into()))
}
