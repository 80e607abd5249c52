//! What the benches share. A folder under `benches/` is not a bench target of its own;
//! each bench takes it in with `mod common;`.

use std::path::Path;

/// Copies a folder recursively: benches edit a copy, never the committed sources.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
