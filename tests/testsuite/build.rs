//! `huibian build` on the fixture edition: the book a reader opens.

use std::path::Path;

use crate::prelude::*;

/// A policy's title and its first-level section headings.
type PolicyOutline = (String, Vec<String>);

/// What the sources say the book holds: (category title, its policies).
fn expected_structure(edition: &Path) -> Vec<(String, Vec<PolicyOutline>)> {
    let manifest: toml::Table =
        std::fs::read_to_string(edition.join("edition.toml")).unwrap().parse().unwrap();
    manifest["category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let listed =
                c.get("policies").and_then(|p| p.as_array()).cloned().unwrap_or_default();
            let policies = listed
                .iter()
                .map(|p| {
                    let text = std::fs::read_to_string(edition.join(p.as_str().unwrap()))
                        .unwrap();
                    let title = text
                        .lines()
                        .find_map(|l| l.strip_prefix("title: "))
                        .unwrap()
                        .trim_matches('\'')
                        .to_string();
                    let sections = text
                        .lines()
                        .filter_map(|l| l.strip_prefix("## "))
                        .map(str::to_string)
                        .collect();
                    (title, sections)
                })
                .collect();
            (c["title"].as_str().unwrap().to_string(), policies)
        })
        .collect()
}

#[test]
fn fixture_edition_has_cover_front_matter_and_body() {
    let pdf = open_pdf(&basic().1);
    // Golden figure for the current template with Noto CJK: change it deliberately.
    assert_eq!(pdf.page_count(), 18);
    assert_eq!(
        pdf.title().as_deref(),
        Some("北京市支持民营企业高质量发展政策汇编（2021年四季度）")
    );
    assert_eq!(pdf.author().as_deref(), Some("北京市工商业联合会"));

    // Cover unnumbered; 引言 and 目录 in roman; the body from 1.
    let labels = pdf.page_labels();
    let body: Vec<String> = (1..=15).map(|n| n.to_string()).collect();
    let mut expected = vec![String::new(), "i".into(), "ii".into()];
    expected.extend(body);
    assert_eq!(labels, expected);

    let cover = compact(&pdf.text(1));
    for text in [
        "北京市支持民营企业高质量发展政策汇编",
        "（2021年四季度）",
        "北京市工商业联合会",
        "2022年1月",
    ] {
        assert!(cover.contains(text), "cover lacks {text}: {cover}");
    }
    assert!(
        compact(&pdf.text(2))
            .starts_with("北京市支持民营企业高质量发展政策汇编引言2021年北京市陆续出台")
    );
}

#[test]
fn bookmarks_name_every_category_policy_and_first_level_section() {
    let pdf = open_pdf(&basic().1);
    let marks = pdf.bookmarks();
    let mut expected = vec![(1, "引　言".to_string()), (1, "目　录".to_string())];
    for (number, (category, policies)) in
        expected_structure(&fixture("basic")).iter().enumerate()
    {
        expected.push((1, format!("{}.{category}", number + 1)));
        for (title, sections) in policies {
            expected.push((2, title.clone()));
            expected.extend(sections.iter().map(|s| (3, s.clone())));
        }
    }
    let got: Vec<(usize, String)> =
        marks.iter().map(|m| (m.level, m.title.clone())).collect();
    assert_eq!(got, expected);
}

#[test]
fn each_policy_title_is_on_the_page_its_bookmark_names() {
    let pdf = open_pdf(&basic().1);
    let policies: Vec<_> = pdf.bookmarks().into_iter().filter(|m| m.level == 2).collect();
    assert_eq!(policies.len(), 4);
    for mark in policies {
        let page = compact(&pdf.text(mark.page as u32));
        assert!(
            page.contains(&compact(&mark.title)),
            "{} not on page {}",
            mark.title,
            mark.page
        );
    }
}

#[test]
fn table_of_contents_lists_categories_and_policies_with_page_numbers() {
    let pdf = open_pdf(&basic().1);
    let toc = compact(&pdf.text(3));
    assert!(toc.starts_with("北京市支持民营企业高质量发展政策汇编目录"), "{toc}");
    let labels = pdf.page_labels();
    for mark in pdf.bookmarks().iter().filter(|m| {
        m.level == 2
            || (m.level == 1 && m.title.starts_with(|c: char| c.is_ascii_digit()))
    }) {
        // Entry text, dot leaders, then the printed number of the page it is on.
        let label = &labels[mark.page - 1];
        let title = compact(&mark.title);
        let at =
            toc.find(&title).unwrap_or_else(|| panic!("{title} not in the TOC: {toc}"));
        let rest = toc[at + title.len()..].trim_start_matches('.');
        assert!(
            rest.starts_with(label.as_str()),
            "{title}: expected page {label}, TOC has {rest}"
        );
    }
}

#[test]
fn policy_text_signature_and_document_number_are_printed() {
    let pdf = open_pdf(&basic().1);
    let text = compact_text(&pdf);
    for expected in [
        "京管发〔2021〕16号",
        "附件：失效的行政规范性文件目录",
        "北京市城市管理委员会2021年8月13日",
        "第一条　为了加强单用途预付卡管理",
        "北京市医疗保障局北京市人力资源和社会保障局2021年12月27日",
    ] {
        assert!(text.contains(&compact(expected)), "missing {expected}");
    }
}

#[test]
fn two_builds_give_identical_bytes() {
    let out = tempfile::tempdir().unwrap();
    let again = build_ok(&fixture("basic"), out.path());
    assert_eq!(std::fs::read(&basic().1).unwrap(), std::fs::read(again).unwrap());
}

#[test]
fn without_a_chinese_font_the_build_fails_and_names_the_package() {
    let out = tempfile::tempdir().unwrap();
    let output = huibian(&[
        "build",
        path_str(&fixture("basic")),
        "--out",
        path_str(out.path()),
        "--ignore-system-fonts",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("no installed font covers Chinese text"), "{message}");
    assert!(message.contains("apt-get install fonts-noto-cjk"), "{message}");
    assert!(!out.path().join("basic").exists());
}

#[test]
fn unknown_edition_is_a_usage_error() {
    let output = huibian(&["build", "no-such-edition"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no edition `no-such-edition`"),
        "{}",
        stderr(&output)
    );
}
