//! Tests of the HTML edition on the fixture editions and the real 2021-Q4 sources.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::context::Links;
use super::search::SearchIndex;
use super::{HtmlTemplates, SEARCH_INDEX, Site, render_site};
use crate::book::{self, Book};
use crate::diag::Diagnostics;
use crate::edition::Edition;
use crate::markdown::{Block, Inline, InlineKind};
use crate::source::Sources;
use crate::toc::{EntryKind, Toc, TocEntry};

fn folder(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The book the way the pipeline assembles it.
fn load(rel: &str) -> Book {
    let mut sources = Sources::new();
    let mut diags = Diagnostics::default();
    let edition = Edition::load(&folder(rel), &mut sources, &mut diags)
        .expect("fixture loads")
        .expect("fixture has no errors");
    let book = book::assemble(&edition, &sources, &mut diags);
    assert!(!diags.has_errors(), "{rel} has errors");
    book
}

/// A TOC as a layout would give it: front matter on pages 1–4, each category and
/// section one page after the last, printed numbers from 1 on page 5.
fn toc_for(book: &Book) -> Toc {
    let mut entries = Vec::new();
    let mut page = 4;
    let mut push = |level, kind, number, title: String, id: &str, page: u32| {
        entries.push(TocEntry {
            level,
            kind,
            number,
            title,
            page,
            page_label: (page - 4).to_string(),
            id: id.to_string(),
            source: None,
        });
    };
    for category in &book.categories {
        page += 1;
        let number = Some(category.number.to_string());
        push(1, EntryKind::Category, number, category.title.clone(), &category.id, page);
        for policy in &category.policies {
            push(2, EntryKind::Policy, None, policy.meta.title.clone(), &policy.id, page);
            for (id, _) in policy.sections() {
                push(3, EntryKind::Section, None, "…".into(), &id, page);
                page += 1;
            }
        }
    }
    Toc {
        edition: book.id.clone(),
        title: book.meta.title.clone(),
        pdf: format!("{}.pdf", book.id),
        pages: page + 1,
        entries,
        lists: Vec::new(),
        contents: None,
    }
}

fn render(book: &Book, toc: Option<&Toc>) -> Site {
    render_site(book, toc, &HtmlTemplates::builtin()).expect("site renders")
}

fn text(site: &Site, path: &str) -> String {
    String::from_utf8(site.file(path).unwrap_or_else(|| panic!("no {path}")).to_vec())
        .expect("UTF-8")
}

fn policy_file(site: &Site, book: &Book, id: &str) -> String {
    let toc = toc_for(book);
    let links = Links::new(book, Some(&toc));
    let file = links.file(id).expect("policy has a page").to_string();
    assert!(site.file(&file).is_some());
    file
}

#[test]
fn index_page_snapshot() {
    let book = load("tests/fixtures/basic");
    let toc = toc_for(&book);
    let site = render(&book, Some(&toc));
    insta::assert_snapshot!("basic_index", text(&site, "index.html"));
}

#[test]
fn policy_page_snapshot() {
    let book = load("tests/fixtures/basic");
    let toc = toc_for(&book);
    let site = render(&book, Some(&toc));
    let file = policy_file(&site, &book, "优化营商环境-规范性文件失效");
    insta::assert_snapshot!("basic_policy", text(&site, &file));
}

#[test]
fn category_page_snapshot() {
    let book = load("tests/fixtures/basic");
    let toc = toc_for(&book);
    let site = render(&book, Some(&toc));
    insta::assert_snapshot!("basic_category", text(&site, "c3.html"));
}

/// Up to `FULL_TOC_POLICIES` policies every page's sidebar lists them all; beyond, a
/// page lists its own category's only (all on every page grew the site with the square
/// of the book: 226 MB for 2,000 policies). Every link still resolves.
#[test]
fn beyond_the_limit_a_sidebar_lists_its_own_categorys_policies_only() {
    let small = load("tests/fixtures/basic");
    let mut big = small.clone();
    let mut copy = 0;
    while big.policies().count() <= super::context::FULL_TOC_POLICIES {
        copy += 1;
        for category in &mut big.categories {
            let copies: Vec<_> = category
                .policies
                .iter()
                .filter(|p| !p.id.contains("-副本"))
                .map(|p| {
                    let mut p = p.clone();
                    p.id = format!("{}-副本{copy}", p.id);
                    p.meta.title = format!("{}（副本{copy}）", p.meta.title);
                    p
                })
                .collect();
            category.policies.extend(copies);
        }
    }
    let with_policies: Vec<_> =
        small.categories.iter().filter(|c| !c.policies.is_empty()).collect();
    let (own, other) = (&with_policies[0], &with_policies[1]);
    for (book, full) in [(&small, true), (&big, false)] {
        let site = render(book, None);
        check_links(&site, None);
        let links = Links::new(book, None);
        let file = |id: &str| links.file(id).expect("a page").to_string();
        let href = |id: &str| format!("href=\"{}\"", file(id));
        let page = text(&site, &file(&own.policies[0].id));
        for policy in &own.policies {
            assert!(
                page.contains(&href(&policy.id)),
                "{} not in its own sidebar",
                policy.id
            );
        }
        let listed = page.contains(&href(&other.policies[0].id));
        assert_eq!(
            listed,
            full,
            "{} policies: another category's listed: {listed}",
            book.policies().count()
        );
        // The category itself is always there, and the index lists every policy.
        assert!(page.contains(&format!("{}.{}</a>", other.number, other.title)));
        let index = text(&site, "index.html");
        assert!(book.policies().all(|p| index.contains(&href(&p.id))));
    }
}

#[test]
fn site_has_every_page_and_the_static_files() {
    let book = load("tests/fixtures/basic");
    let site = render(&book, Some(&toc_for(&book)));
    let names: Vec<&str> = site.files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(names[0], "index.html");
    for name in ["style.css", "search.js", SEARCH_INDEX, "c3.html"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    // index, one category body, four policies, three static files
    assert_eq!(names.len(), 1 + 1 + 4 + 3, "{names:?}");
    assert!(site.size() > 0);
}

#[test]
fn hostile_text_is_escaped() {
    let book = load("tests/fixtures/hostile");
    let site = render(&book, Some(&toc_for(&book)));
    for (path, bytes) in &site.files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        // The only script is ours.
        assert_eq!(html.matches("<script").count(), 1, "{path}");
        assert!(html.contains("<script src=\"search.js\" defer></script>"), "{path}");
        assert!(!html.contains("alert(1)</"), "{path}");
        assert!(!html.to_lowercase().contains("javascript:"), "{path}");
        assert!(!html.contains("<a>"), "{path}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{path}");
    }
    let policy = text(&site, "hostile-policy.html");
    assert!(policy.contains("<p id=\"hostile-policy-p4\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>"), "{policy}");
    // the `javascript:` link shows as its text
    assert!(policy.contains("与 <code>#raw</code> 与 链接 结束。</p>"), "{policy}");
    // The search index is data for textContent; it must still not close a script.
    let index = text(&site, SEARCH_INDEX);
    assert!(index.starts_with("window.HUIBIAN_SEARCH = {"));
}

/// Every `href`, `src` and `id` of the site: internal links name a file of the site
/// and an id on that page; PDF links name a page the PDF has; nothing else is loaded.
fn check_links(site: &Site, toc: Option<&Toc>) -> usize {
    let mut ids: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut pages = Vec::new();
    for (path, bytes) in &site.files {
        if path.ends_with(".html") {
            let html = std::str::from_utf8(bytes).unwrap();
            let mut seen = HashSet::new();
            for id in attributes(html, "id") {
                assert!(seen.insert(id.clone()), "{path}: duplicate id {id}");
            }
            ids.insert(path, seen);
            pages.push((path.as_str(), html));
        }
    }
    let mut checked = 0;
    for (path, html) in &pages {
        for src in attributes(html, "src") {
            assert!(site.file(&src).is_some(), "{path}: src {src} is not in the site");
        }
        for href in attributes(html, "href") {
            checked += 1;
            if href.starts_with("https://") || href.starts_with("http://") {
                // Links in the text, never resources; the fixtures have none.
                continue;
            }
            if let Some(rest) = href.strip_prefix("../") {
                let toc = toc
                    .unwrap_or_else(|| panic!("{path}: PDF link {href} without a PDF"));
                // The sources the PDF carries, as a zip beside it.
                if rest == format!("{}-sources.zip", toc.edition) {
                    continue;
                }
                let (file, page) = rest.split_once("#page=").unwrap_or((rest, "1"));
                assert_eq!(file, toc.pdf, "{path}: {href}");
                let page: u32 = page.parse().unwrap();
                assert!((1..=toc.pages).contains(&page), "{path}: {href}");
                continue;
            }
            let (file, fragment) = href.split_once('#').unwrap_or((&href, ""));
            let file = if file.is_empty() { *path } else { file };
            assert!(site.file(file).is_some(), "{path}: link {href} to a missing file");
            if !fragment.is_empty() && file.ends_with(".html") {
                assert!(
                    ids[file].contains(fragment),
                    "{path}: link {href} to a missing id"
                );
            }
        }
        for tag in ["<link", "<script", "<img", "<iframe"] {
            for part in html.split(tag).skip(1) {
                let tag_text = &part[..part.find('>').unwrap_or(part.len())];
                assert!(
                    !tag_text.contains("//"),
                    "{path}: {tag}{tag_text} loads from elsewhere"
                );
            }
        }
    }
    checked
}

/// The values of an attribute, entities decoded.
fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.split(&needle)
        .skip(1)
        .map(|rest| {
            rest[..rest.find('"').unwrap()].replace("&amp;", "&").replace("&#39;", "'")
        })
        .collect()
}

#[test]
fn every_link_and_anchor_resolves() {
    for rel in ["tests/fixtures/basic", "tests/fixtures/hostile", "sources/2021-Q4"] {
        if !folder(rel).is_dir() {
            continue;
        }
        let book = load(rel);
        let toc = toc_for(&book);
        let site = render(&book, Some(&toc));
        assert!(check_links(&site, Some(&toc)) > 10, "{rel}");
        let site = render(&book, None);
        check_links(&site, None);
    }
}

#[test]
fn every_heading_has_an_anchor_and_sections_their_toc_ids() {
    let book = load("tests/fixtures/basic");
    let toc = toc_for(&book);
    let site = render(&book, Some(&toc));
    for (path, bytes) in &site.files {
        let html = std::str::from_utf8(bytes).unwrap();
        for level in 1..=6 {
            for part in html.split(&format!("<h{level}")).skip(1) {
                let tag = &part[..part.find('>').unwrap()];
                assert!(tag.contains(" id=\""), "{path}: <h{level}{tag}>");
            }
        }
    }
    for entry in &toc.entries {
        let file = Links::new(&book, Some(&toc)).file(&entry.id).unwrap().to_string();
        let html = text(&site, &file);
        assert!(
            html.contains(&format!(" id=\"{}\"", entry.id)),
            "{file} lacks {}",
            entry.id
        );
        if entry.kind != EntryKind::Category {
            let link = format!("../basic.pdf#page={}", entry.page);
            assert!(html.contains(&link), "{file} lacks {link}");
        }
    }
}

#[test]
fn headings_by_level_and_run_in_items_stay_paragraphs() {
    let book = load("tests/fixtures/basic");
    let site = render(&book, None);
    let file = policy_file(&site, &book, "优化营商环境-单用途预付卡");
    let html = text(&site, &file);
    assert!(html.contains(">第一章 总则<"));
    assert!(html.contains("<h2 id=\"优化营商环境-单用途预付卡-s1\">第一章 总则"));
    assert!(html.contains("-p18\">（一）被列为失信被执行人的；</p>"));
    // No page references and no PDF without a TOC.
    assert!(!html.contains(".pdf"));
    assert!(html.contains("lang=\"zh-CN\""));
}

#[test]
fn soft_breaks_between_han_never_become_spaces() {
    let book = load("sources/2021-Q4");
    let site = render(&book, None);
    for (path, bytes) in &site.files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = std::str::from_utf8(bytes).unwrap();
        for para in html.split("<p").skip(1) {
            let inner = &para[..para.find("</p>").unwrap_or(para.len())];
            assert!(!inner.contains('\n'), "{path}: line break inside <p{inner}");
        }
    }
}

#[test]
fn cross_references_link_to_the_target_page_and_anchor() {
    let mut book = load("tests/fixtures/basic");
    let target = book.categories[0].policies[1].sections()[1].0.clone();
    let policy_target = book.categories[1].policies[0].id.clone();
    let Block::Para { content, span } = &mut book.categories[0].policies[0].doc.blocks[0]
    else {
        panic!("the first block is a paragraph")
    };
    let link = |dest: &str, text: &str| Inline {
        kind: InlineKind::Link {
            dest: dest.to_string(),
            content: if text.is_empty() {
                vec![]
            } else {
                vec![Inline { kind: InlineKind::Text(text.into()), span: span.clone() }]
            },
        },
        span: span.clone(),
    };
    content.push(link(&format!("#{target}"), "第二章"));
    content.push(link(&format!("#{policy_target}"), ""));
    content.push(link("javascript:alert(1)", "不是链接"));
    let toc = toc_for(&book);
    let site = render(&book, Some(&toc));
    let file = policy_file(&site, &book, "优化营商环境-规范性文件失效");
    let html = text(&site, &file);
    let target_file = policy_file(&site, &book, &book.categories[0].policies[1].id);
    let expected =
        format!("<a class=\"xref\" href=\"{target_file}#{target}\">第二章</a>");
    assert!(html.contains(&expected), "{html}");
    let policy_file_name = policy_file(&site, &book, &policy_target);
    let title = &book.categories[1].policies[0].meta.title;
    assert!(
        html.contains(&format!(
            "href=\"{policy_file_name}#{policy_target}\">{title}</a>"
        ))
    );
    assert!(html.contains("不是链接") && !html.contains("javascript"));
    // The target's printed page follows, as in the PDF, linked into the PDF.
    let entry = toc.entries.iter().find(|e| e.id == target).unwrap();
    let page = format!(
        "第二章</a>（见第<a class=\"page-ref\" href=\"../{}.pdf#page={}\">{}</a>页）",
        book.id, entry.page, entry.page_label
    );
    assert!(html.contains(&page), "no {page} in {html}");
    check_links(&site, Some(&toc));
}

/// The index as `search-index.js` carries it, parsed back.
fn index_json(book: &Book, toc: Option<&Toc>) -> serde_json::Value {
    let script = SearchIndex::build(book, &Links::new(book, toc))
        .expect("every id has a page")
        .to_script()
        .expect("the index serialises");
    let json = script
        .strip_prefix("window.HUIBIAN_SEARCH = ")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("a script assigning window.HUIBIAN_SEARCH");
    serde_json::from_str(json).expect("the index is JSON")
}

/// The paragraphs a bigram's delta-coded list names.
fn postings(index: &serde_json::Value, gram: &str) -> Vec<usize> {
    let mut n = 0;
    index["grams"][gram]
        .as_array()
        .unwrap_or_else(|| panic!("no bigram {gram}"))
        .iter()
        .map(|d| {
            n += d.as_u64().unwrap() as usize;
            n
        })
        .collect()
}

// What search finds is search.js's business, tested on the real index by
// tests/testsuite/search_js.rs; these hold the index itself to its format.
#[test]
fn search_index_lists_each_paragraph_under_its_bigrams_with_page_section_and_anchor() {
    let book = load("tests/fixtures/basic");
    let toc = toc_for(&book);
    let index = index_json(&book, Some(&toc));
    let site = render(&book, Some(&toc));
    assert_eq!(index["v"], 1);
    let paras = index["paras"].as_array().unwrap();
    let para = |n: usize| paras[n][2].as_str().unwrap();

    // A bigram lists exactly the paragraphs holding it, ascending, each once.
    let listed = postings(&index, "失信");
    let holding: Vec<usize> =
        (0..paras.len()).filter(|&n| para(n).contains("失信")).collect();
    assert!(!listed.is_empty());
    assert_eq!(listed, holding);
    // Full-width and upper-case Latin are folded in the keys, never punctuation.
    for gram in index["grams"].as_object().unwrap().keys() {
        assert_eq!(gram.chars().count(), 2, "{gram}");
        assert!(
            gram.chars().all(|c| c.is_alphanumeric() && !c.is_ascii_uppercase()),
            "{gram}"
        );
    }

    // A paragraph names its section, the section its page: the anchor it links to
    // is on that page.
    let n = holding[0];
    let section = &index["sections"][paras[n][0].as_u64().unwrap() as usize];
    let page = &index["pages"][section[0].as_u64().unwrap() as usize];
    assert_eq!(page[1], "北京市单用途预付卡管理条例");
    assert_eq!(section[2], "第二章 发行与兑付");
    let (file, owner, suffix) = (
        page[0].as_str().unwrap(),
        page[2].as_str().unwrap(),
        paras[n][1].as_str().unwrap(),
    );
    assert!(
        text(&site, file).contains(&format!(
            "<p id=\"{owner}-{suffix}\">（一）被列为失信被执行人的；"
        ))
    );
    // A policy's title is a paragraph of its own, anchored at the policy's heading.
    let title =
        (0..paras.len()).find(|&n| para(n) == "北京市单用途预付卡管理条例").unwrap();
    assert_eq!(paras[title][1], "");
}

#[test]
fn search_index_of_the_real_edition_lists_zhuanjingtexin() {
    if !folder("sources/2021-Q4").is_dir() {
        return;
    }
    let book = load("sources/2021-Q4");
    let index = index_json(&book, None);
    let paras = index["paras"].as_array().unwrap();
    let listed: Vec<usize> = postings(&index, "专精")
        .into_iter()
        .filter(|&n| postings(&index, "精特").contains(&n))
        .collect();
    assert!(
        listed
            .iter()
            .any(|&n| paras[n][2]
                == "北京市关于促进“专精特新”中小企业高质量发展的若干措施")
    );
}

#[test]
fn templates_come_from_the_project_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("templates/html");
    std::fs::create_dir_all(&html).unwrap();
    std::fs::write(html.join("style.css"), "body { color: red }").unwrap();
    let templates = HtmlTemplates::locate(&dir.path().join("templates")).unwrap();
    assert_eq!(templates.text("style.css"), "body { color: red }");
    assert_eq!(templates.text("base.html"), HtmlTemplates::builtin().text("base.html"));
    let builtin = HtmlTemplates::locate(&dir.path().join("none")).unwrap();
    assert!(builtin.dir.is_none());

    std::fs::write(
        html.join("policy.html"),
        "{% extends \"base.html\" %}{% block main %}{{ page.nope }}{% endblock %}",
    )
    .unwrap();
    let templates = HtmlTemplates::locate(&dir.path().join("templates")).unwrap();
    let book = load("tests/fixtures/basic");
    let err = render_site(&book, None, &templates).unwrap_err().to_string();
    assert!(err.contains("policy.html"), "{err}");
}
