//! `.doc` and WPS `.wps` files: LibreOffice converts them to `.docx`, which the
//! reader then reads like any other. The conversion runs in a temporary folder of
//! its own, with a time limit, and its result is read back bounded.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::intake::{IntakeError, limits};

/// How long LibreOffice may take over one file.
const TIMEOUT: Duration = Duration::from_secs(60);

const MISSING: &str = "reading a .doc or .wps file needs LibreOffice, which is not \
installed: install LibreOffice (Debian: apt-get install libreoffice-writer-nogui) or \
save the file as .docx in Word/WPS";

/// Converts a `.doc` or `.wps` file to `.docx` bytes with LibreOffice.
pub fn convert_legacy(path: &Path) -> Result<Vec<u8>, IntakeError> {
    convert_with(path, std::env::var_os("PATH").as_deref())
}

/// The first of `soffice`, `libreoffice` found on `path_var`.
fn find_tool(path_var: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    let path_var = path_var?;
    ["soffice", "libreoffice"].iter().find_map(|tool| {
        std::env::split_paths(path_var).map(|dir| dir.join(tool)).find(|p| p.is_file())
    })
}

fn convert_with(
    path: &Path,
    path_var: Option<&std::ffi::OsStr>,
) -> Result<Vec<u8>, IntakeError> {
    let tool =
        find_tool(path_var).ok_or_else(|| IntakeError::MissingTool(MISSING.into()))?;
    let work = tempfile::tempdir().map_err(|e| {
        IntakeError::Malformed(format!("cannot make a temporary folder: {e}"))
    })?;
    // The input is copied under a fixed name: its own name never reaches the command.
    let ext = match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("wps") => "wps",
        _ => "doc",
    };
    let input = work.path().join(format!("input.{ext}"));
    let bytes = limits::read_bounded(path, limits::MAX_DOCX, "the Word file")?;
    std::fs::write(&input, bytes).map_err(|e| {
        IntakeError::Malformed(format!("cannot write a temporary file: {e}"))
    })?;
    let out_dir = work.path().join("out");
    let profile = work.path().join("profile");
    let mut child = Command::new(&tool)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "docx", "--outdir"])
        .arg(&out_dir)
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            IntakeError::MissingTool(format!(
                "{MISSING} ({} failed to start: {e})",
                tool.display()
            ))
        })?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < TIMEOUT => {
                std::thread::sleep(Duration::from_millis(100))
            }
            Ok(None) => {
                // Killing our own child by its handle; a failure means it just ended.
                let _ = child.kill();
                let _ = child.wait();
                return Err(IntakeError::Malformed(format!(
                    "LibreOffice did not convert the file within {} s",
                    TIMEOUT.as_secs()
                )));
            }
            Err(e) => {
                return Err(IntakeError::Malformed(format!(
                    "waiting for LibreOffice: {e}"
                )));
            }
        }
    };
    let output = out_dir.join("input.docx");
    if !status.success() || !output.is_file() {
        return Err(IntakeError::Malformed(format!(
            "LibreOffice could not convert the file ({status}); it may be damaged or encrypted"
        )));
    }
    limits::read_bounded(&output, limits::MAX_DOCX, "the converted Word file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_libreoffice_the_error_says_what_to_install() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("a.doc");
        std::fs::write(&doc, b"\xD0\xCF\x11\xE0").unwrap();
        let empty_path = dir.path().join("bin");
        std::fs::create_dir(&empty_path).unwrap();
        let err = convert_with(&doc, Some(empty_path.as_os_str())).unwrap_err();
        let IntakeError::MissingTool(message) = err else { panic!("{err:?}") };
        assert!(
            message.contains("apt-get install libreoffice-writer-nogui"),
            "{message}"
        );
        assert!(message.contains("save the file as .docx"), "{message}");
        assert!(matches!(convert_with(&doc, None), Err(IntakeError::MissingTool(_))));
    }

    #[test]
    fn a_tool_that_converts_nothing_is_a_clear_error() {
        // A stand-in `soffice` that exits without writing a file.
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let tool = bin.join("soffice");
        std::fs::write(&tool, "#!/bin/sh\nexit 0\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
        let doc = dir.path().join("a.doc");
        std::fs::write(&doc, b"\xD0\xCF\x11\xE0").unwrap();
        let err = convert_with(&doc, Some(bin.as_os_str())).unwrap_err();
        assert!(
            matches!(&err, IntakeError::Malformed(m) if m.contains("could not convert")),
            "{err:?}"
        );
    }
}
