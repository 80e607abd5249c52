//! What an editor holding the printed 2021-Q4 book checks page by page, read back from
//! the PDF's text positions (poppler's `pdftotext -bbox-layout`): no page of the body
//! ends with a heading, or with a short numbered line that stands alone like one
//! (`（一）提交申报材料`), and no paragraph leaves a single line at the top of a page
//! (a widow) or at its bottom (an orphan), where a reflow could avoid it.
//!
//! Lines are told apart by where they start: the body's paragraphs indent their first
//! line by 2em and start every other line at the left margin, and every line but a
//! paragraph's last reaches the right margin (the text is justified). The margins and
//! the body size are what most lines of the book have.

use std::path::Path;
use std::process::Command;

use crate::prelude::*;

/// One line of text on a page, in points from the page's top left corner.
#[derive(Debug, Clone)]
struct Line {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    text: String,
}

impl Line {
    fn height(&self) -> f64 {
        self.y1 - self.y0
    }
}

/// The lines of each page of `pdftotext -bbox-layout` output: its words, joined into
/// lines by vertical overlap (digits and Latin sit a little lower than Han characters,
/// and poppler splits a line where the spacing changes), top to bottom.
fn parse_bbox(xhtml: &str) -> Vec<Vec<Line>> {
    let page = regex::Regex::new(r"(?s)<page [^>]*>(.*?)</page>").unwrap();
    let word = regex::Regex::new(
        r#"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>"#,
    )
    .unwrap();
    let number = |s: &str| s.parse::<f64>().unwrap();
    page.captures_iter(xhtml)
        .map(|p| {
            let mut words: Vec<Line> = word
                .captures_iter(&p[1])
                .map(|w| Line {
                    x0: number(&w[1]),
                    y0: number(&w[2]),
                    x1: number(&w[3]),
                    y1: number(&w[4]),
                    text: unescape(&w[5]),
                })
                .collect();
            words.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
            let mut lines: Vec<(Line, Vec<Line>)> = Vec::new();
            for w in words {
                let middle = (w.y0 + w.y1) / 2.0;
                match lines
                    .iter_mut()
                    .find(|(l, _)| l.y0 - 1.0 <= middle && middle <= l.y1 + 1.0)
                {
                    Some((line, parts)) => {
                        line.y0 = line.y0.min(w.y0);
                        line.y1 = line.y1.max(w.y1);
                        parts.push(w);
                    }
                    None => lines.push((w.clone(), vec![w])),
                }
            }
            let mut lines: Vec<Line> = lines
                .into_iter()
                .map(|(line, mut parts)| {
                    parts.sort_by(|a, b| a.x0.total_cmp(&b.x0));
                    Line {
                        x0: parts[0].x0,
                        x1: parts.iter().map(|w| w.x1).fold(f64::MIN, f64::max),
                        text: parts.iter().map(|w| w.text.as_str()).collect(),
                        ..line
                    }
                })
                .collect();
            lines.sort_by(|a, b| a.y0.total_cmp(&b.y0));
            lines
        })
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The lines of every page of `pdf`.
fn read_pages(pdf: &Path) -> Vec<Vec<Line>> {
    let output = Command::new("pdftotext")
        .args(["-bbox-layout", path_str(pdf), "-"])
        .output()
        .expect("pdftotext (poppler-utils, which scripts/install-deps installs) must be installed");
    assert!(
        output.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    parse_bbox(&String::from_utf8(output.stdout).unwrap())
}

/// The most common of `values`, rounded to tenths of a point.
fn mode(values: impl Iterator<Item = f64>) -> f64 {
    let mut counts = std::collections::BTreeMap::<i64, usize>::new();
    for v in values {
        *counts.entry((v * 10.0).round() as i64).or_default() += 1;
    }
    counts.into_iter().max_by_key(|&(_, n)| n).map_or(0.0, |(v, _)| v as f64 / 10.0)
}

/// A numbering marker at the start of a line: `第五条`, `第一章`, `一、`, `（一）`, `1.`,
/// `（1）`, `①`.
fn numbered(text: &str) -> bool {
    let marker = regex::Regex::new(
        r"^(第[一二三四五六七八九十百零〇两]+[章节条]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|[0-9]+[.．]|（[0-9]+）|[①-⑳])",
    )
    .unwrap();
    marker.is_match(text.trim_start())
}

/// What a page-by-page reading finds on the pages `body` (0-based) of `pages`: each
/// finding names its page (1-based, as a PDF viewer counts) and the line.
fn findings(pages: &[Vec<Line>], body: std::ops::Range<usize>) -> Vec<String> {
    // The running header (the same first line on most pages) and the folio (— n —)
    // are not text of the page.
    let header = {
        let firsts: Vec<&str> = body
            .clone()
            .filter_map(|p| pages[p].first())
            .map(|l| l.text.as_str())
            .collect();
        firsts
            .iter()
            .copied()
            .max_by_key(|t| firsts.iter().filter(|u| *u == t).count())
            .unwrap_or_default()
            .to_string()
    };
    let folio = regex::Regex::new(r"^—\s*\S+\s*—$").unwrap();
    let text: Vec<Vec<&Line>> = pages
        .iter()
        .map(|lines| {
            lines
                .iter()
                .filter(|l| l.text != header && !folio.is_match(&l.text))
                .collect()
        })
        .collect();
    let all = || body.clone().flat_map(|p| text[p].iter().copied());
    let size = mode(all().map(Line::height));
    let is_body = |l: &Line| (l.height() - size).abs() < 0.5;
    let left = mode(all().filter(|l| is_body(l)).map(|l| l.x0));
    let right = mode(all().filter(|l| is_body(l)).map(|l| l.x1));
    // A continuation line starts at the margin (an opening bracket may hang half an em
    // into it); a paragraph's first line 2em in (a closing bracket may be compressed).
    let continues = |l: &Line| is_body(l) && (l.x0 - left).abs() <= 0.6 * size;
    let opens = |l: &Line| is_body(l) && (l.x0 - left - 2.0 * size).abs() <= 0.6 * size;
    let full = |l: &Line| l.x1 >= right - 0.6 * size;
    let closed =
        |t: &str| t.trim_end().ends_with(['。', '；', '：', '，', '、', '！', '？']);

    let mut found = Vec::new();
    for p in body.clone() {
        let Some(&last) = text[p].last() else { continue };
        // A page that opens a category or a policy (its title, larger than the text,
        // among its first lines) continues nothing from the page before.
        let next_page = text.get(p + 1).filter(|t| {
            body.contains(&(p + 1)) && !t.iter().take(2).any(|l| l.height() > 1.2 * size)
        });
        let top = next_page.and_then(|t| t.first().copied());
        // A line that ends its paragraph where it begins: a heading, or a numbered line
        // standing alone like one. Not the last line of a policy (a title follows) nor
        // an item of an attachment list (附件：1.… 2.…), which are lists, not headings.
        let in_attachments = text[p]
            .iter()
            .rev()
            .skip(1)
            .take_while(|l| numbered(&l.text) || l.text.starts_with("附件"))
            .any(|l| l.text.starts_with("附件"));
        if is_body(last)
            && !continues(last)
            && !full(last)
            && numbered(&last.text)
            && !closed(&last.text)
            && !in_attachments
            && top.is_some_and(|t| is_body(t) && !continues(t))
        {
            found.push(format!("page {} ends with a heading: {}", p + 1, last.text));
        }
        let Some(top) = top else { continue };
        // An orphan: the first line of a paragraph that goes on on the next page.
        if opens(last) && full(last) && continues(top) {
            found.push(format!(
                "page {} ends with the first line of a paragraph: {}",
                p + 1,
                last.text
            ));
        }
        // A widow: the next page starts with the last line of a paragraph.
        let after = next_page.and_then(|t| t.get(1).copied());
        let ends_there = after
            .is_none_or(|a| !is_body(a) || !continues(a) || a.y0 - top.y1 > 1.5 * size);
        if continues(top) && is_body(last) && full(last) && ends_there && !full(top) {
            found.push(format!(
                "page {} starts with the last line of a paragraph: {}",
                p + 2,
                top.text
            ));
        }
    }
    found
}

/// The first page of the body: the page of the 目录's first entry, from toc.json.
fn first_body_page(toc: &Path) -> usize {
    let toc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(toc).unwrap()).unwrap();
    toc["entries"][0]["page"].as_u64().unwrap() as usize
}

/// `HUIBIAN_TYPOGRAPHY_PDF=<a built 2021-Q4.pdf>` (its toc.json beside it) reads that
/// PDF instead of building one: how the reading was shown to fail on the template
/// before stand-alone numbered lines were kept with what follows (page 71).
#[test]
fn no_page_of_2021q4_ends_with_a_heading_or_strands_a_line() {
    let out = tempfile::tempdir().unwrap();
    let pdf = match std::env::var_os("HUIBIAN_TYPOGRAPHY_PDF") {
        Some(pdf) => std::path::PathBuf::from(pdf),
        None => build_ok(&root().join("sources/2021-Q4"), out.path()),
    };
    let pages = read_pages(&pdf);
    let first = first_body_page(&pdf.with_file_name("toc.json"));
    let found = findings(&pages, first - 1..pages.len());
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The end of page 71 and the start of page 72 of the 2021-Q4 book as the template
/// set it before stand-alone numbered lines were kept with what follows: `第五条` and
/// `（一）提交申报材料` at the foot of the page, the paragraph they head overleaf.
const BEFORE: &str = r#"
<page width="595.3" height="841.9">
<word xMin="219.5" yMin="48.0" xMax="381.5" yMax="57.0">北京市支持民营企业高质量发展政策汇编</word>
<word xMin="107.4" yMin="550.7" xMax="149.4" yMax="564.7">第三条</word>
<word xMin="157.6" yMin="550.7" xMax="528.6" yMax="564.7">（申报要求）申报的创新型绿色技术应具备先进性、适用性、</word>
<word xMin="79.4" yMin="574.9" xMax="521.6" yMax="588.9">推广价值高等特点。技术水平国内领先，能够反映绿色技术最新进展，对</word>
<word xMin="79.4" yMin="599.1" xMax="528.6" yMax="613.1">国家及本市相关领域绿色发展具有引领作用；技术推广价值高，经济适用，</word>
<word xMin="79.4" yMin="623.3" xMax="261.4" yMax="637.3">推广潜力大；知识产权明晰。</word>
<word xMin="107.4" yMin="647.6" xMax="149.4" yMax="661.6">第四条</word>
<word xMin="159.7" yMin="647.6" xMax="521.6" yMax="661.6">（组织实施）市绿色技术创新体系工作联席会议办公室负责</word>
<word xMin="79.4" yMin="671.8" xMax="521.6" yMax="685.8">绿色技术和示范应用项目征集遴选工作，具体由市发展改革委会同市科</word>
<word xMin="79.4" yMin="696.0" xMax="261.4" yMax="710.0">委、中关村管委会组织实施。</word>
<word xMin="107.4" yMin="720.2" xMax="149.4" yMax="734.2">第五条</word>
<word xMin="163.4" yMin="720.2" xMax="275.4" yMax="734.2">（技术征选流程）</word>
<word xMin="107.4" yMin="744.4" xMax="233.4" yMax="758.4">（一）提交申报材料</word>
<word xMin="284.2" yMin="784.7" xMax="293.5" yMax="795.2">—</word>
<word xMin="296.2" yMin="786.7" xMax="306.7" yMax="796.3">70</word>
<word xMin="309.3" yMin="784.7" xMax="318.6" yMax="795.2">—</word>
</page>
<page width="595.3" height="841.9">
<word xMin="219.5" yMin="48.0" xMax="381.5" yMax="57.0">北京市支持民营企业高质量发展政策汇编</word>
<word xMin="107.4" yMin="82.9" xMax="521.6" yMax="96.9">申报单位应为在本市行政区域内依法注册的独立法人。鼓励技术研发</word>
<word xMin="79.4" yMin="107.1" xMax="521.6" yMax="121.1">单位与场景应用单位联合申报。申报单位生产经营状况良好，无违法犯罪</word>
<word xMin="79.4" yMin="131.3" xMax="219.4" yMax="145.3">记录和失信行为记录。</word>
<word xMin="284.2" yMin="784.7" xMax="293.5" yMax="795.2">—</word>
<word xMin="296.2" yMin="786.7" xMax="306.7" yMax="796.3">71</word>
<word xMin="309.3" yMin="784.7" xMax="318.6" yMax="795.2">—</word>
</page>
"#;

#[test]
fn the_reading_finds_what_the_old_template_left_on_page_71() {
    let pages = parse_bbox(BEFORE);
    assert_eq!(
        findings(&pages, 0..2),
        ["page 1 ends with a heading: （一）提交申报材料"]
    );

    // The line `i` lines above the folio of page 1.
    fn end(pages: &mut [Vec<Line>], i: usize) -> &mut Line {
        let n = pages[0].len();
        &mut pages[0][n - 1 - i]
    }
    // An orphan: page 1 ends with the full first line of a paragraph that page 2 goes on.
    let mut orphan = pages.clone();
    end(&mut orphan, 1).x1 = 521.6;
    orphan[1].remove(1);
    assert_eq!(
        findings(&orphan, 0..2),
        ["page 1 ends with the first line of a paragraph: （一）提交申报材料"]
    );
    // A widow: page 2 starts with the last line of a paragraph that page 1 began.
    let mut widow = pages.clone();
    let line = end(&mut widow, 1);
    (line.x0, line.x1) = (79.4, 521.6);
    widow[1].drain(1..3);
    assert_eq!(
        findings(&widow, 0..2),
        ["page 2 starts with the last line of a paragraph: 记录和失信行为记录。"]
    );
}
