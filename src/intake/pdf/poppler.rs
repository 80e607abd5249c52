//! poppler's `pdftotext`, when it is installed: it decodes many fonts that carry no
//! Unicode map (it knows the Adobe-GB1 collection and reads the embedded fonts' own
//! tables), which the content-stream reader cannot.
//!
//! It runs with `-bbox-layout`, which gives every word with its box, so its text goes
//! through the same line and paragraph rebuilding as the built-in reader's. Its output
//! is read into memory, bounded, and the program is stopped after [`TIMEOUT`].

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::lines::{self, Page, Run};
use crate::intake::IntakeError;

/// How long `pdftotext` may take on one file.
const TIMEOUT: Duration = Duration::from_secs(60);
/// The most of its output read: the XHTML of a few hundred pages.
const MAX_OUTPUT: u64 = 64 * 1024 * 1024;

/// The program's name on the PATH.
pub(super) const PROGRAM: &str = "pdftotext";

/// The pages as `pdftotext` reads them, or `None` when it is not installed.
pub(super) fn pages(
    program: &str,
    path: &Path,
    max_pages: usize,
) -> Result<Option<Vec<Page>>, IntakeError> {
    let child = Command::new(program)
        .args(["-q", "-enc", "UTF-8", "-bbox-layout", "-l", &max_pages.to_string()])
        .arg(path)
        .arg("-")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(IntakeError::MissingTool(format!("cannot run {PROGRAM}: {e}")));
        }
    };
    let Some(stdout) = child.stdout.take() else {
        return Err(IntakeError::MissingTool(format!("{PROGRAM} gave no output")));
    };
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.take(MAX_OUTPUT + 1).read_to_end(&mut out).map(|_| out)
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < TIMEOUT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => {
                // The child is ours; killing it closes the pipe and ends the reader.
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let output = reader.join().ok().and_then(Result::ok).unwrap_or_default();
    let Some(status) = status else {
        return Err(IntakeError::MissingTool(format!(
            "{PROGRAM} did not finish within {} s",
            TIMEOUT.as_secs()
        )));
    };
    if output.len() as u64 > MAX_OUTPUT {
        return Err(IntakeError::TooLarge {
            what: format!("the text {PROGRAM} extracts"),
            size: output.len() as u64,
            limit: MAX_OUTPUT,
        });
    }
    if !status.success() {
        return Err(IntakeError::malformed(format!(
            "{PROGRAM} could not read the PDF either ({status})"
        )));
    }
    parse(&output).map(Some)
}

fn number(e: &BytesStart<'_>, key: &[u8]) -> f32 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse().ok())
        .unwrap_or(0.0)
}

/// The pages of `pdftotext -bbox-layout` XHTML: each `<word>` becomes a placed string
/// (its baseline taken as its box's bottom, its size as the box's height).
pub(super) fn parse(xhtml: &[u8]) -> Result<Vec<Page>, IntakeError> {
    let mut reader = Reader::from_reader(xhtml);
    let mut pages: Vec<Page> = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut word: Option<Run> = None;
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| IntakeError::malformed(format!("{PROGRAM} output: {e}")))?;
        match event {
            Event::Start(e) if e.local_name().as_ref() == b"page" => {
                finish_page(&mut pages, &mut runs);
                pages.push(Page {
                    width: number(&e, b"width"),
                    height: number(&e, b"height"),
                    lines: Vec::new(),
                });
            }
            Event::Start(e) if e.local_name().as_ref() == b"word" => {
                let (y0, y1) = (number(&e, b"yMin"), number(&e, b"yMax"));
                word = Some(Run {
                    x0: number(&e, b"xMin"),
                    x1: number(&e, b"xMax"),
                    base: y1,
                    size: (y1 - y0).max(1.0),
                    text: String::new(),
                });
            }
            Event::Text(t) => {
                if let Some(w) = word.as_mut() {
                    let text = t.xml_content().map_err(|e| {
                        IntakeError::malformed(format!("{PROGRAM} output: {e}"))
                    })?;
                    w.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(w) = word.as_mut() {
                    let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                    let ch = match name.as_str() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => r.resolve_char_ref().ok().flatten(),
                    };
                    w.text.extend(ch);
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"word" => {
                if let Some(w) = word.take().filter(|w| !w.text.trim().is_empty()) {
                    runs.push(w);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    finish_page(&mut pages, &mut runs);
    Ok(pages)
}

fn finish_page(pages: &mut [Page], runs: &mut Vec<Run>) {
    if let Some(page) = pages.last_mut() {
        page.lines = lines::group(std::mem::take(runs));
    }
}
