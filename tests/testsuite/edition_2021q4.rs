//! The real book: `sources/2021-Q4`, imported from the published PDF's text and
//! reviewed by hand, builds, checks clean and still says what the book said.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::prelude::*;

fn edition() -> PathBuf {
    root().join("sources/2021-Q4")
}

/// `sources/2021-Q4`, built once into a temporary folder.
pub(crate) fn built() -> &'static (tempfile::TempDir, PathBuf) {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let pdf = build_ok(&edition(), out.path());
        (out, pdf)
    })
}

#[test]
fn builds_a_book_of_the_published_size_whose_pdf_agrees_with_its_toc() {
    let (out, pdf_path) = built();
    let pdf = open_pdf(pdf_path);
    let pages = pdf.page_count();
    assert!((100..=200).contains(&pages), "{pages} pages; the published book has 140");
    let check = huibian(&["check", "2021-Q4", "--pdf", "--out", path_str(out.path())]);
    assert!(check.status.success(), "{}", stderr(&check));
    let toc = huibian(&["toc", "2021-Q4", "--out", path_str(out.path())]);
    insta::assert_snapshot!(String::from_utf8(toc.stdout).unwrap());
}

#[test]
fn check_and_fmt_check_pass() {
    let check = huibian(&["check", "2021-Q4"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let fmt = huibian(&["fmt", "--check", "2021-Q4"]);
    assert!(fmt.status.success(), "{}", String::from_utf8_lossy(&fmt.stdout));
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

fn han(text: &str) -> String {
    text.chars().filter(|&c| is_han(c)).collect()
}

/// The Han characters of a Markdown file's body, and of its front matter's values in
/// book order (title first, then body, issuer, date, 文号 where the book printed it:
/// not those its `unprinted` lists, which come from the public record).
fn policy_han(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let (front, body) =
        match text.strip_prefix("---\n").and_then(|t| t.split_once("\n---\n")) {
            Some((front, body)) => (front, body),
            None => ("", text.as_str()),
        };
    let value = |key: &str| -> String {
        front
            .lines()
            .skip_while(|l| !l.starts_with(&format!("{key}:")))
            .take_while(|l| l.starts_with(&format!("{key}:")) || l.starts_with("  - "))
            .map(|l| l.trim_start_matches(&format!("{key}:")).trim_start_matches("  - "))
            .collect()
    };
    // Fields known from the public record that the book does not print.
    let unprinted = value("unprinted");
    let printed =
        |key: &str| if unprinted.contains(key) { String::new() } else { value(key) };
    let date = printed("date");
    let date_han =
        if date.trim().is_empty() { String::new() } else { "年月日".to_string() };
    format!(
        "{}{}{}{}{}",
        han(&value("title")),
        han(&printed("number")),
        han(body),
        han(&printed("issuer")),
        date_han
    )
}

#[test]
fn committed_text_matches_the_published_book() {
    let seed = std::fs::read_to_string(fixture("seed-2021-Q4.txt")).unwrap();
    // The book without its cover and 目录: the 引言, then the body from category 1.
    let intro_start = seed.find("引 言").unwrap();
    let toc_start = seed.find("目 录").unwrap();
    let body_start = seed.find("3 1.优化营商环境 北京市").unwrap();
    let expected = han(&seed[intro_start..toc_start]) + &han(&seed[body_start..]);

    let manifest: toml::Table =
        std::fs::read_to_string(edition().join("edition.toml")).unwrap().parse().unwrap();
    let mut got = String::from("引言")
        + &policy_han(&edition().join(manifest["intro"].as_str().unwrap()));
    for category in manifest["category"].as_array().unwrap() {
        got += &han(category["title"].as_str().unwrap());
        if let Some(body) = category.get("body").and_then(|b| b.as_str()) {
            got += &policy_han(&edition().join(body));
        }
        for policy in
            category.get("policies").and_then(|p| p.as_array()).into_iter().flatten()
        {
            got += &policy_han(&edition().join(policy.as_str().unwrap()));
        }
    }
    let ratio = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(std::time::Duration::from_secs(60))
        .diff_chars(expected.as_str(), got.as_str())
        .ratio();
    eprintln!("fidelity of sources/2021-Q4 to the published text: {ratio:.5}");
    assert!(ratio >= 0.995, "fidelity {ratio:.5} < 0.995");
}

#[test]
fn no_extraction_leftovers() {
    let mut files = Vec::new();
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files)
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path)
            }
        }
    }
    walk(&edition(), &mut files);
    assert!(files.len() >= 25, "{} files", files.len());
    // Counters that follow a number in this book's text; anything else after a number
    // between Chinese characters would be a page number left inline.
    let units = "年月日号条项个家万亿元人次名所款章节批类件种余倍周天时分届期座辆平米吨度岁户台套篇部位层级只张栋间床份千百十公里克升秒小枚折场至强";
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // `## 第一章 总则` keeps its space after the chapter marker by design, and a joint
        // document's title the spaces between its issuers: a title as `fmt` writes it.
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| match l.strip_prefix("title: ") {
                Some(title) if huibian::normalize::normalize_title(title) == title => "",
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let chars: Vec<char> = text.chars().collect();
        for (i, w) in chars.windows(3).enumerate() {
            let [a, b, c] = [w[0], w[1], w[2]];
            let cjk = |x: char| is_han(x) || "，。；：、（）“”《》".contains(x);
            assert!(
                !(cjk(a) && b == ' ' && cjk(c)),
                "{}: space in Chinese text at char {i}",
                file.display()
            );
            assert!(
                !(",():;?".contains(b) && (cjk(a) || is_han(c))),
                "{}: half-width `{b}` in Chinese text at char {i}",
                file.display()
            );
        }
        // A number between Chinese characters must be followed by a counter.
        for (i, c) in chars.iter().enumerate() {
            if !c.is_ascii_digit()
                || i == 0
                || chars[i - 1].is_ascii_digit()
                || !is_han(chars[i - 1]) && !"，。；：、".contains(chars[i - 1])
            {
                continue;
            }
            let len = chars[i..].iter().take_while(|d| d.is_ascii_digit()).count();
            if let Some(&next) = chars.get(i + len)
                && is_han(next)
                && len <= 3
            {
                assert!(
                    units.contains(next),
                    "{}: `{}` looks like a page number left inline",
                    file.display(),
                    chars[i.saturating_sub(6)..(i + len + 4).min(chars.len())]
                        .iter()
                        .collect::<String>()
                );
            }
        }
    }
}
