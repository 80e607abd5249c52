//! The text of a published edition's PDF, in the shape `import_text` expects: what a
//! text extractor gives, one space where a printed line ended.

use std::path::Path;

use anyhow::bail;

use crate::pdf_reader::PdfReader;

/// Extracts the text of every page, or says why the PDF has none to give.
pub fn text_of_pdf(path: &Path) -> anyhow::Result<String> {
    let pdf = PdfReader::open(path)?;
    let mut text = String::new();
    for page in pdf.page_numbers() {
        let page_text = pdf.text(page);
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
