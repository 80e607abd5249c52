//! `huibian import`: an older edition's extracted text (or its PDF) → `sources/<ID>/`.

use std::path::Path;

use anyhow::{Context, bail};

use super::{ImportArgs, Outcome};
use crate::import::{self, ImportReport};
use crate::output::write_dir_atomic;
use crate::source::Sources;

/// Imports `args.input` as edition `args.edition` under `sources/`.
pub(crate) fn import(args: &ImportArgs) -> anyhow::Result<Outcome> {
    let target = Path::new("sources").join(&args.edition);
    if target.exists() && !args.force {
        bail!("{} already exists; pass --force to replace it", target.display());
    }
    let text = read_input(&args.input)?;
    let imported = match import::import_text(&text, &args.edition) {
        Ok(imported) => imported,
        Err(err) => {
            eprintln!("error: cannot import {}: {err}", args.input.display());
            return Ok(Outcome::SourceErrors);
        }
    };
    write_dir_atomic(&target, &imported.files)?;
    report(&args.input, text, &imported.report, &target);
    Ok(Outcome::Success)
}

/// The text of a `.txt` file, or the text of a PDF's pages joined the way the
/// importer expects (one space where a line ended).
fn read_input(path: &Path) -> anyhow::Result<String> {
    let is_pdf = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if !is_pdf {
        let bytes =
            std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        return String::from_utf8(bytes).map_err(|e| {
            anyhow::anyhow!(
                "{} is not UTF-8 text (first bad byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            )
        });
    }
    let document = lopdf::Document::load(path)
        .map_err(|e| anyhow::anyhow!("reading {} as PDF: {e}", path.display()))?;
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let mut text = String::new();
    for page in pages {
        let page_text = document.extract_text(&[page]).unwrap_or_default();
        for line in page_text.lines() {
            // Typst and Word write a 目录's leader dots one glyph at a time; the
            // extractor gives them a line each. Join them back into `....` so the
            // importer sees one leader, and drop the invisible joiners before numbers.
            let line: String = line
                .trim()
                .chars()
                .filter(|c| !matches!(c, '\u{2060}' | '\u{200B}'))
                .collect();
            if !line.is_empty() && line.chars().all(|c| c == '.') {
                if text.ends_with(' ') {
                    text.pop();
                }
                text.push_str(&line);
                continue;
            }
            text.push_str(&line);
            text.push(' ');
        }
    }
    let han = text.chars().filter(|&c| crate::cjk::is_cjk(c)).count();
    if han < 100 {
        bail!(
            "{} yields no Chinese text: its fonts lack ToUnicode maps or its pages are images; \
             extract the text with another tool (e.g. `pdftotext`) and import the .txt",
            path.display()
        );
    }
    Ok(text)
}

fn report(input: &Path, text: String, report: &ImportReport, target: &Path) {
    eprintln!(
        "imported {} policies ({} paragraphs, {} headings) into {}",
        report.policies,
        report.paragraphs,
        report.headings,
        target.display()
    );
    if !report.repairs.is_empty() {
        let repairs: Vec<String> =
            report.repairs.iter().map(|(kind, n)| format!("{kind} {n}")).collect();
        eprintln!("repairs: {}", repairs.join(", "));
    }
    if report.warnings.is_empty() {
        return;
    }
    let mut sources = Sources::new();
    let id = sources.add(input.to_path_buf(), text);
    let file = sources.get(id);
    for warning in &report.warnings {
        let (line, col) = file.line_col(warning.line_or_offset);
        eprintln!("warning: {}:{line}:{col}: {}", input.display(), warning.message);
    }
    eprintln!(
        "{} warnings: proofread those places in {}",
        report.warnings.len(),
        target.display()
    );
}
