//! The site's search, `search.js` itself, on the real index of `sources/2021-Q4`: a
//! table of queries (phrases, several terms, single Han characters, Latin in both
//! widths and cases, digits, punctuation, misses), each with what the results box
//! must show: the count in its summary and the first hits' page, section and link.
//!
//! The script runs in Node (`search_js.js` beside this file stands in for the page),
//! exactly as the built site ships it, through its own entry points: the form is
//! submitted and the box it fills is read back. Needs Debian's `nodejs` (`node` on the
//! PATH, or the path in `$NODE`); `.ci/run` installs it. Without it the test fails, it
//! does not skip. The browser test (`browser.rs`) covers typing and following a hit.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::prelude::*;

/// How many hits the box lists at most (`MAX_HITS` in search.js).
const LISTED: usize = 100;

/// A query and what the box must show for it.
struct Row {
    query: &'static str,
    /// Hits found (0: the "not found" summary); `None`: a blank query, box hidden.
    found: Option<usize>,
    /// The first hits, in order: (page title, section title, `file#anchor`).
    first: &'static [(&'static str, &'static str, &'static str)],
    /// The text the first hit's snippet marks, as the paragraph spells it.
    mark: Option<&'static str>,
}

const ZHONGXIAO: &str = "北京市关于应对疫情防控常态化促进中小企业健康发展若干措施";
const HUOLI: &str = "北京市培育和激发市场主体活力持续优化营商环境实施方案";
const YUFUKA: &str = "北京市单用途预付卡管理条例";
const SHUZI: &str = "北京市关于促进数字贸易高质量发展的若干措施";

#[rustfmt::skip]
const TABLE: &[Row] = &[
    // Phrases: every bigram, then the phrase itself.
    Row { query: "专精特新", found: Some(14), mark: Some("专精特新"), first: &[
        (ZHONGXIAO, "一、持续减轻企业负担",
         "优化营商环境-应对疫情防控常态化促进中小企业.html#优化营商环境-应对疫情防控常态化促进中小企业-p5"),
        (ZHONGXIAO, "四、精准做好企业服务",
         "优化营商环境-应对疫情防控常态化促进中小企业.html#优化营商环境-应对疫情防控常态化促进中小企业-p18"),
    ] },
    Row { query: "告知承诺制", found: Some(13), mark: Some("告知承诺制"), first: &[
        (HUOLI, "二、主要任务", "优化营商环境-培育和激发市场主体活力.html#优化营商环境-培育和激发市场主体活力-p6"),
    ] },
    // A title is a paragraph of its own, linked to the policy's heading.
    Row { query: "单用途预付卡管理条例", found: Some(1), mark: Some("单用途预付卡管理条例"), first: &[
        (YUFUKA, "", "优化营商环境-单用途预付卡.html#优化营商环境-单用途预付卡"),
    ] },
    // Several terms: all must occur, in any order; the first is marked.
    Row { query: "专精特新 中小企业", found: Some(9), mark: Some("专精特新"), first: &[
        (ZHONGXIAO, "一、持续减轻企业负担",
         "优化营商环境-应对疫情防控常态化促进中小企业.html#优化营商环境-应对疫情防控常态化促进中小企业-p5"),
    ] },
    Row { query: "  中小企业   专精特新 ", found: Some(9), mark: Some("中小企业"), first: &[
        (ZHONGXIAO, "一、持续减轻企业负担",
         "优化营商环境-应对疫情防控常态化促进中小企业.html#优化营商环境-应对疫情防控常态化促进中小企业-p5"),
    ] },
    // Single Han characters have no bigram: every paragraph is scanned.
    Row { query: "卡", found: Some(44), mark: Some("卡"), first: &[
        (HUOLI, "二、主要任务", "优化营商环境-培育和激发市场主体活力.html#优化营商环境-培育和激发市场主体活力-p24"),
    ] },
    Row { query: "的", found: Some(535), mark: Some("的"), first: &[
        ("引言", "", "index.html#intro-p1"),
        ("引言", "", "index.html#intro-p2"),
    ] },
    // Latin: ASCII case and full width fold; the mark shows the text's own letters.
    Row { query: "app", found: Some(7), mark: Some("APP"), first: &[
        (HUOLI, "三、组织保障", "优化营商环境-培育和激发市场主体活力.html#优化营商环境-培育和激发市场主体活力-p74"),
    ] },
    Row { query: "ＡＰＰ", found: Some(7), mark: Some("APP"), first: &[
        (HUOLI, "三、组织保障", "优化营商环境-培育和激发市场主体活力.html#优化营商环境-培育和激发市场主体活力-p74"),
    ] },
    Row { query: "ｒｃｅｐ", found: Some(1), mark: Some("RCEP"), first: &[
        (HUOLI, "二、主要任务", "优化营商环境-培育和激发市场主体活力.html#优化营商环境-培育和激发市场主体活力-p61"),
    ] },
    Row { query: "5G", found: Some(1), mark: Some("5G"), first: &[
        (SHUZI, "二、重点任务和措施", "科技创新领域-数字贸易.html#科技创新领域-数字贸易-p10"),
    ] },
    // Digits.
    Row { query: "2021", found: Some(31), mark: Some("2021"), first: &[
        ("引言", "", "index.html#intro-p1"),
    ] },
    Row { query: "2025年", found: Some(5), mark: Some("2025年"), first: &[
        (SHUZI, "一、发展目标", "科技创新领域-数字贸易.html#科技创新领域-数字贸易-p3"),
    ] },
    // Punctuation has no bigram but is compared in the text.
    Row { query: "的；", found: Some(32), mark: Some("的；"), first: &[
        (YUFUKA, "第二章 发行与兑付", "优化营商环境-单用途预付卡.html#优化营商环境-单用途预付卡-p18"),
    ] },
    // Misses: a bigram in no paragraph; every bigram somewhere but never the phrase;
    // the punctuation not there; nothing like it.
    Row { query: "特新专精", found: Some(0), mark: None, first: &[] },
    Row { query: "专精特新告知承诺制", found: Some(0), mark: None, first: &[] },
    Row { query: "营商环境。。", found: Some(0), mark: None, first: &[] },
    Row { query: "zzz", found: Some(0), mark: None, first: &[] },
    // A blank query closes the box.
    Row { query: "   ", found: None, mark: None, first: &[] },
];

/// What the harness read back from the results box.
#[derive(Debug, Deserialize)]
struct Shown {
    query: String,
    prevented: bool,
    hidden: bool,
    summary: Option<String>,
    hits: Vec<ShownHit>,
    loads: usize,
}

#[derive(Debug, Deserialize)]
struct ShownHit {
    title: Option<String>,
    section: String,
    href: String,
    mark: Option<String>,
}

fn node() -> PathBuf {
    let node =
        std::env::var_os("NODE").map_or_else(|| PathBuf::from("node"), PathBuf::from);
    match Command::new(&node).arg("--version").output() {
        Ok(out) if out.status.success() => node,
        _ => panic!(
            "no Node.js at `{}`: the search.js test runs the site's script in it. Install it \
             (`apt-get install -y nodejs`, as .ci/run does) or set NODE to its path.",
            node.display()
        ),
    }
}

/// The built site's HTML folder of `sources/2021-Q4` (HTML only: search needs no PDF).
fn site(out: &Path) -> PathBuf {
    let output = huibian(&[
        "build",
        path_str(&root().join("sources/2021-Q4")),
        "--out",
        path_str(out),
        "--only",
        "html",
    ]);
    assert!(output.status.success(), "build failed:\n{}", stderr(&output));
    out.join("2021-Q4/html")
}

/// Runs the site's search.js on every query, in one Node process.
fn run(node: &Path, site: &Path, queries: &[&str]) -> Vec<Shown> {
    let harness = root().join("tests/testsuite/search_js.js");
    let output = Command::new(node)
        .arg(&harness)
        .arg(site)
        .arg(serde_json::to_string(queries).unwrap())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{} failed:\n{}",
        harness.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// What is wrong with what the box showed for `row`, if anything.
fn mismatch(row: &Row, shown: &Shown, site: &Path) -> Option<String> {
    let query = row.query;
    let mut wrong = Vec::new();
    if !shown.prevented {
        wrong
            .push("the form submission was not prevented (the page would reload)".into());
    }
    let Some(found) = row.found else {
        if !shown.hidden || shown.summary.is_some() {
            wrong.push(format!("a blank query must close the box: {shown:?}"));
        }
        return (!wrong.is_empty()).then(|| format!("{query:?}: {}", wrong.join("; ")));
    };
    let summary = match found {
        0 => format!("没有找到“{}”", query.trim()),
        n if n > LISTED => format!("找到 {n} 处，显示前 {LISTED} 处"),
        n => format!("找到 {n} 处"),
    };
    if shown.hidden || shown.summary.as_deref() != Some(&summary) {
        wrong.push(format!("summary {:?}, want {summary:?}", shown.summary));
    }
    if shown.hits.len() != found.min(LISTED) {
        wrong.push(format!(
            "{} hits listed, want {}",
            shown.hits.len(),
            found.min(LISTED)
        ));
    }
    for (n, &(title, section, href)) in row.first.iter().enumerate() {
        let hit = shown.hits.get(n);
        let got = hit.map(|h| (h.title.as_deref(), h.section.as_str(), h.href.as_str()));
        if got != Some((Some(title), section, href)) {
            wrong.push(format!(
                "hit {}: {got:?}, want {:?}",
                n + 1,
                (title, section, href)
            ));
        }
    }
    if let Some(mark) = row.mark
        && shown.hits.first().and_then(|h| h.mark.as_deref()) != Some(mark)
    {
        wrong.push(format!("first hit marks {:?}, want {mark:?}", shown.hits.first()));
    }
    // The first hit's link lands on an element of the site.
    if let Some(hit) = shown.hits.first()
        && let Some((file, anchor)) = hit.href.split_once('#')
    {
        let html = std::fs::read_to_string(site.join(file)).unwrap_or_default();
        if !html.contains(&format!("id=\"{anchor}\"")) {
            wrong.push(format!("{file} has no element #{anchor}"));
        }
    }
    (!wrong.is_empty()).then(|| format!("{query:?}: {}", wrong.join("; ")))
}

#[test]
fn search_js_answers_a_table_of_queries_on_the_real_index() {
    let node = node();
    let out = tempfile::tempdir().unwrap();
    let site = site(out.path());
    let queries: Vec<&str> = TABLE.iter().map(|row| row.query).collect();
    let shown = run(&node, &site, &queries);
    assert_eq!(shown.len(), TABLE.len(), "one answer per query: {shown:?}");
    assert!(
        shown.iter().all(|s| s.loads == 1),
        "search-index.js is loaded once, on first use: {:?}",
        shown.iter().map(|s| s.loads).collect::<Vec<_>>()
    );
    let wrong: Vec<String> = TABLE
        .iter()
        .zip(&shown)
        .filter_map(|(row, shown)| {
            assert_eq!(shown.query, row.query);
            mismatch(row, shown, &site)
        })
        .collect();
    assert!(wrong.is_empty(), "search.js answered wrongly:\n{}", wrong.join("\n"));
}
