//! Single-file web archives (`.mhtml`) → [`Intake`]. (Being written.)

use super::{Intake, IntakeError};

/// Reads one MHTML archive.
pub fn read(_bytes: &[u8]) -> Result<Intake, IntakeError> {
    Err(IntakeError::Unknown("MHTML archives are not read yet".into()))
}
