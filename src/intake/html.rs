//! Saved web pages → [`Intake`]. (Being written: see the intake issue.)

use super::{Intake, IntakeError};

/// Where a page's images come from: the `<name>_files/` folder saved beside it, or
/// the parts of an MHTML archive. A reference the resolver cannot confine (an
/// absolute path, `..` out of the folder, a remote address) gives `None`.
pub trait Resources {
    /// The bytes of the resource a page refers to as `reference` (its `src`).
    fn fetch(&self, reference: &str) -> Option<Vec<u8>>;
}

/// Reads one HTML page.
pub fn read(_bytes: &[u8], _resources: &dyn Resources) -> Result<Intake, IntakeError> {
    Err(IntakeError::Unknown("saved web pages are not read yet".into()))
}
