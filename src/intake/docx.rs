//! Word files → [`Intake`]. (Being written.)

use std::path::Path;

use super::{Intake, IntakeError};

/// Reads one `.docx` package.
pub fn read(_bytes: &[u8]) -> Result<Intake, IntakeError> {
    Err(IntakeError::Unknown("Word files are not read yet".into()))
}

/// Converts a `.doc` or `.wps` file to `.docx` bytes with LibreOffice.
pub fn convert_legacy(_path: &Path) -> Result<Vec<u8>, IntakeError> {
    Err(IntakeError::MissingTool("converting .doc files is not written yet".into()))
}
