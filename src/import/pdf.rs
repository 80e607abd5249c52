//! The text of a published edition's PDF, in the shape `import_text` expects: what a
//! text extractor gives, one space where a printed line ended, without what every
//! page repeats (a running header, a page number) and with a 目录's dot leader of
//! any form written as `....`.
//!
//! Books lay their 目录 out in many ways: leaders of dots, middle dots or ellipses,
//! spaced or not, or no leader at all; page numbers after a word joiner or in a text
//! run of their own; entries wrapped over lines. Their pages carry running headers of
//! any text and page numbers as `—1—`, `- 1 -`, `第1页`, `1/140`, or roman numerals in
//! the front matter. What is done here is done per page and per line, where those
//! forms can be told apart from text; the rest of the importer reads words.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::bail;
use regex::Regex;

use crate::pdf_reader::PdfReader;

/// Extracts the text of every page, or says why the PDF has none to give.
pub fn text_of_pdf(path: &Path) -> anyhow::Result<String> {
    let pdf = PdfReader::open(path)?;
    let pages: Vec<Vec<String>> = pdf
        .page_numbers()
        .map(|page| {
            pdf.text(page).lines().map(clean_line).filter(|l| !l.is_empty()).collect()
        })
        .collect();
    let text = join_pages(&pages);
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

/// The pages' lines joined with one space where a line ended, without the lines
/// every page repeats at its top or bottom (a running header or footer: the same
/// text on at least three pages and a quarter of them) and without page numbers
/// there. The first page is a cover: its title stays even when it is also the
/// running header.
pub(crate) fn join_pages(pages: &[Vec<String>]) -> String {
    let running = running_lines(pages);
    let mut text = String::new();
    for (n, lines) in pages.iter().enumerate() {
        let (skip_start, skip_end) = folio_lines(lines);
        let kept = &lines[skip_start..lines.len() - skip_end];
        // A page number stays, as the bare number the importer reads (it checks the
        // 目录's pages against it); a roman one (front matter) goes.
        let number = |run: &[String]| -> Option<String> {
            let run = run.concat();
            let digits: String = run
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect();
            (!digits.is_empty()).then_some(digits)
        };
        if let Some(n) = number(&lines[..skip_start]) {
            text.push(super::tokens::FOLIO_MARK);
            text.push_str(&n);
            text.push(' ');
        }
        for (i, line) in kept.iter().enumerate() {
            let at_edge = i < 2 || i + 2 >= kept.len();
            if at_edge && n > 0 && running.contains(line.as_str()) {
                continue;
            }
            // Typst and Word write a 目录's leader dots one glyph at a time; an
            // extractor may give them a line of their own: one leader with the line
            // before it.
            if line.chars().all(|c| c == '.') {
                if text.ends_with(' ') {
                    text.pop();
                }
                // However short (a wrapped entry leaves little room), a line of dots
                // alone is a leader.
                if !text.ends_with("....") {
                    text.push_str("....");
                }
                continue;
            }
            text.push_str(line);
            text.push(' ');
        }
        if let Some(n) = number(&lines[lines.len() - skip_end..]) {
            text.push(super::tokens::FOLIO_MARK);
            text.push_str(&n);
            text.push(' ');
        }
    }
    text
}

/// How many lines at the start and at the end of a page are its page number: an
/// extractor may give `— ii —` as one line or as three (`—`, `ii`, `—`).
fn folio_lines(lines: &[String]) -> (usize, usize) {
    let folio_of = |run: &[String]| run.concat();
    let at_end = (1..=3.min(lines.len()))
        .rev()
        .find(|&k| is_folio(&folio_of(&lines[lines.len() - k..])))
        .unwrap_or(0);
    let rest = &lines[..lines.len() - at_end];
    let at_start = (1..=3.min(rest.len()))
        .rev()
        .find(|&k| is_folio(&folio_of(&rest[..k])))
        .unwrap_or(0);
    (at_start, at_end)
}

/// The texts found at the top or bottom of many pages.
fn running_lines(pages: &[Vec<String>]) -> std::collections::HashSet<&str> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for lines in pages.iter().skip(1) {
        let mut edges: Vec<&str> = lines
            .iter()
            .take(2)
            .chain(lines.iter().rev().take(2))
            .map(String::as_str)
            .collect();
        edges.sort_unstable();
        edges.dedup();
        for line in edges {
            *seen.entry(line).or_default() += 1;
        }
    }
    let enough = (pages.len() / 4).max(3);
    seen.into_iter()
        .filter(|(line, n)| *n >= enough && line.chars().count() <= 60)
        .map(|(line, _)| line)
        .collect()
}

/// A page number as books print them: `3`, `— 3 —`, `- 3 -`, `第3页`, `第3页 共140页`,
/// `3/140`, `iv`, `— iv —`.
fn is_folio(line: &str) -> bool {
    static FOLIO: OnceLock<Regex> = OnceLock::new();
    let folio = FOLIO.get_or_init(|| {
        Regex::new(
            r"(?ix)^(?:
                [-—–－]*\d{1,4}[-—–－]*
              | 第\d{1,4}页(?:共\d{1,4}页)?
              | \d{1,4}/\d{1,4}
              | [-—–－]*[ivxlc]{1,7}[-—–－]*
            )$",
        )
        .unwrap_or_else(|e| unreachable!("the folio pattern is valid: {e}"))
    });
    let bare: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    !bare.is_empty() && folio.is_match(&bare)
}

/// A line trimmed, its invisible joiners dropped, and a dot leader that ends it
/// before a page number written `....` (`. . . .`, `····`, `……`, `…… ……` alike). A
/// leader is only read before a number at the line's end: an ellipsis in the text
/// (`等……`) is text.
fn clean_line(line: &str) -> String {
    static LEADER: OnceLock<Regex> = OnceLock::new();
    let leader = LEADER.get_or_init(|| {
        Regex::new(
            r"(?:(?:[ \t]*[.·・‧∙]){3,}|(?:[ \t]*[…⋯]){2,}|(?:[ \t]*(?:[.·・‧∙]|[…⋯])){3,})[ \t]*(\d{1,4}|[ivxlcIVXLC]{1,7})$",
        )
        .unwrap_or_else(|e| unreachable!("the leader pattern is valid: {e}"))
    });
    let line: String = line
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\u{2060}' | '\u{200B}' | '\u{FEFF}'))
        .collect();
    leader.replace(line.trim(), "....$1").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| clean_line(l)).filter(|l| !l.is_empty()).collect()
    }

    #[test]
    fn every_form_of_leader_becomes_four_dots() {
        for (line, want) in [
            (
                "北京市进一步强化节能实施方案 . . . . . . . . \u{2060}37",
                "北京市进一步强化节能实施方案....37",
            ),
            (
                "北京市进一步强化节能实施方案........................37",
                "北京市进一步强化节能实施方案....37",
            ),
            (
                "北京市进一步强化节能实施方案 ·········· 37",
                "北京市进一步强化节能实施方案....37",
            ),
            (
                "北京市进一步强化节能实施方案……………… 37",
                "北京市进一步强化节能实施方案....37",
            ),
            ("通知\u{2060}... ... \u{2060}97", "通知....97"),
            ("1.优化营商环境 . . . . \u{2060}4", "1.优化营商环境....4"),
            ("引言 . . . . . . iii", "引言....iii"),
        ] {
            assert_eq!(clean_line(line), want, "{line}");
        }
        // Not a leader: an ellipsis in the text, a decimal, a leader without a number.
        for line in ["各区要抓好落实……", "增长2.5个百分点", "附件 . . . . . 见后"]
        {
            assert_eq!(clean_line(line), line);
        }
    }

    #[test]
    fn running_headers_and_page_numbers_of_any_form_are_dropped() {
        let pages = vec![
            page(&["北京市支持民营企业高质量发展政策汇编", "（2021年四季度）"]),
            page(&[
                "北京市支持民营企业高质量发展政策汇编",
                "目 录",
                "甲 . . . . 1",
                "— i —",
            ]),
            page(&["北京市支持民营企业高质量发展政策汇编", "第一段正文。", "- 1 -"]),
            page(&[
                "北京市支持民营企业高质量发展政策汇编",
                "第二段正文。",
                "第2页 共140页",
            ]),
            page(&["北京市支持民营企业高质量发展政策汇编", "第三段正文。", "3/140"]),
            page(&["第四段正文。", "北京市支持民营企业高质量发展政策汇编", "4"]),
        ];
        assert_eq!(
            join_pages(&pages),
            "北京市支持民营企业高质量发展政策汇编 （2021年四季度） 目 录 甲....1 第一段正文。 \u{E000}1 \
             第二段正文。 \u{E000}2 第三段正文。 \u{E000}3 第四段正文。 \u{E000}4 "
        );
    }

    #[test]
    fn a_page_number_given_in_pieces_is_dropped_whole() {
        let pages = vec![
            page(&["封面"]),
            page(&["正文一。", "—", " ii ", "—"]),
            page(&["第", "3", "页", "正文二。"]),
        ];
        assert_eq!(join_pages(&pages), "封面 正文一。 \u{E000}3 正文二。 ");
    }

    #[test]
    fn a_line_in_the_text_is_not_taken_for_a_header() {
        // Repeated on two pages only, and a number in the middle of a page.
        let pages = vec![
            page(&["封面"]),
            page(&["附件", "甲一", "甲二", "甲三", "甲四", "甲五"]),
            page(&["附件", "乙一", "乙二", "2021", "乙三", "乙四"]),
            page(&["丙一", "丙二", "丙三", "丙四", "丙五"]),
        ];
        let text = join_pages(&pages);
        assert_eq!(text.matches("附件").count(), 2, "{text}");
        assert!(text.contains(" 2021 "), "{text}");
    }
}
