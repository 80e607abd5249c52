//! A current edition: validity marks and warnings, 本期变化 against the previous
//! edition, the back-matter indexes, and `check --suggest` — on a pair of editions
//! made from the fixture (every kind of change, located) and on the real 2022-Q1
//! edition against 2021-Q4.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::prelude::*;

/// Replaces `from` by `to` in a file, asserting it was there.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// `sources/2021-Q4` (the basic fixture, one policy's term ending with the year) and
/// `sources/2022-Q1` after it: 单用途预付卡 revised, 小微型客车租赁 gone (its term
/// ended), 医保药品报销范围 ending within the quarter, and a new decision that repeals
/// 京管发〔2021〕16号, which the edition still prints.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("sources/2021-Q4");
    let new = dir.path().join("sources/2022-Q1");
    copy_dir(&fixture("basic"), &old);
    copy_dir(&fixture("basic"), &new);
    edit(
        &old.join("优化营商环境/小微型客车租赁.md"),
        "date: 2021-08-31\n",
        "date: 2021-08-31\nexpires: 2021-12-31\n",
    );
    let manifest = new.join("edition.toml");
    edit(&manifest, "2021年四季度", "2022年一季度");
    edit(&manifest, r#"published = "2022-01""#, r#"published = "2022-04""#);
    edit(&manifest, r#"["2021-10-01", "2021-12-31"]"#, r#"["2022-01-01", "2022-03-31"]"#);
    edit(
        &manifest,
        "intro     = \"引言.md\"\n",
        "intro     = \"引言.md\"\nprevious  = \"2021-Q4\"\nindexes   = [\"issuer\", \"date\", \"number\"]\n",
    );
    edit(
        &manifest,
        "  \"优化营商环境/小微型客车租赁.md\",\n",
        "  \"优化营商环境/新决定.md\",\n",
    );
    std::fs::remove_file(new.join("优化营商环境/小微型客车租赁.md")).unwrap();
    std::fs::write(
        new.join("优化营商环境/新决定.md"),
        "---\ntitle: 北京市城市管理委员会关于废止部分行政规范性文件的决定\nissuer: 北京市城市管理委员会\n\
         number: 京管发〔2022〕2号\ndate: 2022-02-10\nrepeals: [京管发〔2021〕16号]\n---\n\
         经研究，决定废止《北京市城市管理委员会关于宣布部分行政规范性文件失效的决定》（京管发〔2021〕16号）。\n\n\
         本决定自印发之日起施行。\n",
    )
    .unwrap();
    edit(
        &new.join("优化营商环境/单用途预付卡.md"),
        "保护消费者的合法权益",
        "保护消费者和经营者的合法权益",
    );
    edit(
        &new.join("医疗卫生领域/医保药品报销范围.md"),
        "date: 2021-12-27\n",
        "date: 2021-12-27\nexpires: 2022-02-28\n",
    );
    dir
}

/// The fixture project, with 2022-Q1 built once.
fn built() -> &'static (tempfile::TempDir, PathBuf) {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = project();
        let out = dir.path().join("out");
        let pdf = build_ok(&dir.path().join("sources/2022-Q1"), &out);
        (dir, pdf)
    })
}

/// `check <edition> --format json` in the project `dir`, as findings.
fn check_findings(dir: &Path, edition: &str) -> Vec<String> {
    findings(&huibian_in(dir, &["check", edition, "--format", "json"]))
}

fn findings(output: &std::process::Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    json[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap_or("");
            let file = file.rsplit_once("sources/").map_or(file, |(_, f)| f);
            format!(
                "{} {} {}:{}:{}",
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                file,
                d["line"],
                d["column"]
            )
        })
        .collect()
}

#[test]
fn validity_warnings_are_located_at_the_front_matter_line() {
    let (dir, _) = built();
    let output = huibian_in(dir.path(), &["check", "2022-Q1", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let found = findings(&output);
    for expected in [
        // 医保药品报销范围: `expires: 2022-02-28` is line 8.
        "warning validity-ends 2022-Q1/医疗卫生领域/医保药品报销范围.md:8:1",
        // 规范性文件失效: its `number:` line, 4; repealed by the new decision.
        "warning repealed 2022-Q1/优化营商环境/规范性文件失效.md:4:1",
        // The new decision: its `repeals:` line, 6.
        "warning repeals-printed 2022-Q1/优化营商环境/新决定.md:6:1",
    ] {
        assert!(found.iter().any(|f| f == expected), "missing {expected} in {found:#?}");
    }
    let text = huibian_in(dir.path(), &["check", "2022-Q1"]);
    let err = stderr(&text);
    assert!(
        err.contains("its term ends on 2022年2月28日, within this edition's period"),
        "{err}"
    );
    assert!(err.contains("repeals this policy (it names `京管发〔2021〕16号`)"), "{err}");
}

#[test]
fn an_ended_term_is_a_warning_in_the_edition_that_still_prints_it() {
    let dir = project();
    let old = dir.path().join("sources/2021-Q4");
    edit(
        &old.join("优化营商环境/小微型客车租赁.md"),
        "expires: 2021-12-31",
        "expires: 2021-09-30",
    );
    let found = check_findings(dir.path(), "2021-Q4");
    assert!(
        found.contains(
            &"warning validity-ended 2021-Q4/优化营商环境/小微型客车租赁.md:5:1"
                .to_string()
        ),
        "{found:#?}"
    );
}

#[test]
fn a_repeal_by_an_earlier_edition_is_reported() {
    let dir = project();
    // An earlier edition's decision repeals 单用途预付卡管理条例, which 2022-Q1 prints.
    let old = dir.path().join("sources/2021-Q4");
    std::fs::write(
        old.join("优化营商环境/旧决定.md"),
        "---\ntitle: 关于废止部分条例的决定\nrepeals: [北京市单用途预付卡管理条例]\n---\n决定废止。\n",
    )
    .unwrap();
    edit(
        &old.join("edition.toml"),
        "  \"优化营商环境/小微型客车租赁.md\",\n",
        "  \"优化营商环境/小微型客车租赁.md\",\n  \"优化营商环境/旧决定.md\",\n",
    );
    let found = check_findings(dir.path(), "2022-Q1");
    // 单用途预付卡 has no 文号: the finding is at its title line.
    assert!(
        found.contains(
            &"warning repealed 2022-Q1/优化营商环境/单用途预付卡.md:2:1".to_string()
        ),
        "{found:#?}"
    );
    assert!(
        stderr(&huibian_in(dir.path(), &["check", "2022-Q1"]))
            .contains("(2021-Q4: 优化营商环境/旧决定.md)")
    );
}

#[test]
fn changes_page_and_indexes_print_the_right_pages() {
    let (dir, pdf_path) = built();
    let out = dir.path().join("out");
    // check --pdf reads the 本期变化 and index pages back and compares every number.
    let check =
        huibian_in(dir.path(), &["check", "2022-Q1", "--pdf", "--out", path_str(&out)]);
    assert!(check.status.success(), "{}", stderr(&check));

    let toc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("2022-Q1/toc.json")).unwrap(),
    )
    .unwrap();
    let lists = toc["lists"].as_array().unwrap();
    let ids: Vec<&str> = lists.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["changes", "index-issuer", "index-date", "index-number"]);
    // 本期变化: 新增 the decision, 修订 单用途预付卡, 已废止 京管发〔2021〕16号 (still printed);
    // 小微型客车租赁 is gone, so it is listed without a page.
    let changes: Vec<&str> = lists[0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        changes,
        [
            "北京市城市管理委员会关于废止部分行政规范性文件的决定",
            "北京市单用途预付卡管理条例",
            "北京市城市管理委员会关于宣布部分行政规范性文件失效的决定",
        ]
    );

    let pdf = open_pdf(pdf_path);
    // The page after the 目录 is 本期变化, with its three lists.
    let marks = pdf.bookmarks();
    let at = |title: &str| {
        marks.iter().find(|m| compact(&m.title) == title).map(|m| m.page).unwrap()
    };
    let changes_page = at("本期变化");
    assert!(changes_page > at("目录") && changes_page < at("1.优化营商环境"));
    let text = compact(&pdf.text(changes_page as u32));
    for expected in [
        "与《北京市支持民营企业高质量发展政策汇编（2021年四季度）》相比，本期：",
        "新增（1件）",
        "修订（1件）",
        "失效/废止（2件）",
        "北京市贯彻《小微型客车租赁经营服务管理办法》的实施意见（已失效）",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
    // The indexes close the book, each in the 目录 and the bookmarks.
    assert!(at("按发文机关索引") > at("3.四季度出台“十四五”规划汇总"));
    assert!(at("按成文日期索引") >= at("按发文机关索引"));
    assert!(at("按文号索引") >= at("按成文日期索引"));
    let index = compact(&pdf.text(at("按文号索引") as u32));
    // Grouped by the issuer's code, in number order.
    let a = index.find("京管发〔2021〕16号").unwrap();
    let b = index.find("京管发〔2022〕2号").unwrap();
    assert!(a < b, "{index}");
    assert!(index.contains("无文号"), "{index}");
    // Validity marks beside titles, in the body and the bookmarks.
    assert!(marks.iter().any(|m| compact(&m.title)
        == "北京市城市管理委员会关于宣布部分行政规范性文件失效的决定「已废止」"));
    assert!(
        marks.iter().any(|m| compact(&m.title).ends_with("「有效期至2022年2月28日」"))
    );
}

#[test]
fn the_site_has_the_changes_and_index_pages() {
    let (dir, _) = built();
    let html = dir.path().join("out/2022-Q1/html");
    let changes = std::fs::read_to_string(html.join("changes.html")).unwrap();
    assert!(changes.contains("新增（1件）"), "{changes}");
    assert!(changes.contains("（已失效）"), "{changes}");
    for id in ["index-issuer", "index-date", "index-number"] {
        let page = std::fs::read_to_string(html.join(format!("{id}.html"))).unwrap();
        assert!(page.contains("北京市单用途预付卡管理条例"), "{id}");
        assert!(page.contains("class=\"page-ref\""), "{id}: no page numbers");
    }
    let index = std::fs::read_to_string(html.join("index.html")).unwrap();
    assert!(index.contains("href=\"changes.html\""), "{index}");
    assert!(index.contains("「已废止」"), "the 目录 carries the mark");
}

#[test]
fn a_missing_previous_edition_and_an_unknown_index_are_located_errors() {
    let dir = project();
    let manifest = dir.path().join("sources/2022-Q1/edition.toml");
    edit(&manifest, r#"previous  = "2021-Q4""#, r#"previous  = "2021-Q3""#);
    edit(&manifest, r#""number"]"#, r#""title"]"#);
    let output = huibian_in(dir.path(), &["check", "2022-Q1", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let found = findings(&output);
    assert!(
        found.contains(&"error manifest 2022-Q1/edition.toml:8:13".to_string()),
        "{found:#?}"
    );
    let text = stderr(&huibian_in(dir.path(), &["check", "2022-Q1"]));
    assert!(
        text.contains("the indexes are \"issuer\", \"date\" and \"number\""),
        "{text}"
    );
    // With the index fixed, the missing edition is reported at `previous`.
    edit(&manifest, r#""title"]"#, r#""number"]"#);
    let found =
        findings(&huibian_in(dir.path(), &["check", "2022-Q1", "--format", "json"]));
    assert!(
        found.contains(&"error previous-edition 2022-Q1/edition.toml:7:13".to_string()),
        "{found:#?}"
    );
}

#[test]
fn suggest_reads_the_validity_of_the_real_book() {
    let output = huibian(&["check", "2021-Q4", "--suggest", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let proposals: Vec<String> = json[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "help")
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            let file = file.rsplit_once("2021-Q4/").map_or(file, |(_, f)| f);
            format!(
                "{} {file}:{}:{} {} | {}",
                d["code"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap(),
                d["hints"][0].as_str().unwrap_or("")
            )
        })
        .collect();
    insta::assert_snapshot!(proposals.join("\n"));
    // Proposals are neither errors nor warnings.
    let text = huibian(&["check", "2021-Q4", "--suggest"]);
    assert!(stderr(&text).contains("help[suggest-effective]"), "{}", stderr(&text));
}

#[test]
fn the_real_2022_q1_edition_against_2021_q4() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&root().join("sources/2022-Q1"), out.path());
    let check = huibian(&["check", "2022-Q1", "--pdf", "--out", path_str(out.path())]);
    assert!(check.status.success(), "{}", stderr(&check));
    let toc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("2022-Q1/toc.json")).unwrap(),
    )
    .unwrap();
    // notes/2022-Q1-edition.md: two new announcements, no 修订, nothing found void.
    let changes: Vec<&str> = toc["lists"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        changes,
        [
            "国家税务总局 财政部关于延续实施制造业中小微企业延缓缴纳部分税费有关事项的公告",
            "财政部 税务总局关于进一步实施小微企业所得税优惠政策的公告",
        ]
    );
    let html =
        std::fs::read_to_string(out.path().join("2022-Q1/html/changes.html")).unwrap();
    assert!(html.contains("修订（0件）") && html.contains("失效/废止（0件）"), "{html}");
}

#[test]
fn bare_edition_folders_inside_sources_find_their_neighbours() {
    // `huibian check 2022-Q1` typed inside sources/: the folder has no parent in the
    // path given, yet the previous edition and the earlier ones beside it are found.
    let (dir, _) = built();
    let sources = dir.path().join("sources");
    let check = huibian_in(&sources, &["check", "2022-Q1", "--format", "json"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let found = findings(&check);
    assert!(found.iter().any(|f| f.starts_with("warning repeals-printed")), "{found:#?}");
    let out = tempfile::tempdir().unwrap();
    let build = huibian_in(
        &sources,
        &["build", "2022-Q1", "--out", path_str(out.path()), "--only", "html"],
    );
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(out.path().join("2022-Q1/html/changes.html").is_file());
}

#[test]
fn a_bad_status_or_unprinted_field_is_a_located_error_and_nothing_is_overwritten() {
    let (dir, pdf) = built();
    let before = std::fs::read(pdf).unwrap();
    let work = tempfile::tempdir().unwrap();
    let ed = work.path().join("sources/2022-Q1");
    copy_dir(&dir.path().join("sources"), &work.path().join("sources"));
    edit(
        &ed.join("医疗卫生领域/医保药品报销范围.md"),
        "expires: 2022-02-28\n",
        "expires: 2022-02-28\nstatus: 有效期内\nunprinted: [issuer, title]\n",
    );
    let found = check_findings(work.path(), "2022-Q1");
    for expected in [
        "error front-matter 2022-Q1/医疗卫生领域/医保药品报销范围.md:9:1",
        "error front-matter 2022-Q1/医疗卫生领域/医保药品报销范围.md:10:1",
    ] {
        assert!(found.iter().any(|f| f == expected), "missing {expected} in {found:#?}");
    }
    // A build into the folder of the good one fails and leaves its PDF as it was.
    let out = dir.path().join("out");
    let build = huibian_in(work.path(), &["build", "2022-Q1", "--out", path_str(&out)]);
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    assert!(stderr(&build).contains("医保药品报销范围.md:9:1"), "{}", stderr(&build));
    assert_eq!(std::fs::read(pdf).unwrap(), before);
}
