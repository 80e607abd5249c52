use std::path::{Path, PathBuf};

use super::*;
use crate::intake::{Fields, SavedPageFolder};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/intake/html").join(name)
}

fn read_fixture(name: &str) -> Intake {
    let path = fixture(name);
    let bytes = std::fs::read(&path).unwrap();
    read(&bytes, &SavedPageFolder::beside(&path)).unwrap()
}

/// A plain rendering of what a reader made, for snapshots.
fn render(intake: &Intake) -> String {
    let mut out = format!("format: {}\n", intake.format);
    let Fields { title, issuer, number, date, published, effective, expires, source } =
        &intake.fields;
    let mut field = |name: &str, v: Option<(String, String)>| {
        if let Some((value, from)) = v {
            out.push_str(&format!("{name}: {value}  ← {from}\n"));
        }
    };
    let s =
        |f: &Option<Found<String>>| f.as_ref().map(|f| (f.value.clone(), f.from.clone()));
    field("title", s(title));
    field("issuer", issuer.as_ref().map(|f| (f.value.join(" | "), f.from.clone())));
    field("number", s(number));
    field("date", s(date));
    field("published", s(published));
    field("effective", s(effective));
    field("expires", s(expires));
    field("source", s(source));
    out.push_str("--- blocks\n");
    for block in &intake.blocks {
        match block {
            Block::Para(p) => out.push_str(&format!("¶ {p}\n")),
            Block::Image { asset, alt } => {
                out.push_str(&format!("[image {asset} alt={alt:?}]\n"))
            }
            Block::Table(t) => {
                out.push_str(&format!("[table, {} header row(s)]\n", t.header_rows));
                for row in &t.rows {
                    let cells: Vec<String> = row
                        .iter()
                        .map(|c| format!("{}{}", c.text.replace('\n', "⏎"), span(c)))
                        .collect();
                    out.push_str(&format!("  | {} |\n", cells.join(" | ")));
                }
            }
        }
    }
    out.push_str("--- assets\n");
    for a in &intake.assets {
        out.push_str(&format!("{} ({} bytes)\n", a.name, a.bytes.len()));
    }
    out.push_str("--- notes\n");
    for n in &intake.notes {
        out.push_str(&format!("- {n}\n"));
    }
    out
}

fn span(c: &crate::intake::Cell) -> String {
    match (c.colspan, c.rowspan) {
        (1, 1) => String::new(),
        (cs, rs) => format!(" ⟨{cs}×{rs}⟩"),
    }
}

fn is_han(c: char) -> bool {
    layout::is_han(c)
}

/// The Han characters of the body text written in a fixture, between two markers,
/// without tags, attributes or `<style>`/`<script>` text.
fn han_between(name: &str, start: &str, end: &str) -> String {
    let source = std::fs::read_to_string(fixture(name)).unwrap();
    let from = source.find(start).unwrap() + start.len();
    let to = from + source[from..].find(end).unwrap();
    let raw = regex::Regex::new(r"(?s)<style.*?</style>|<script.*?</script>|<[^>]*>")
        .unwrap()
        .replace_all(&source[from..to], "");
    raw.chars().filter(|&c| is_han(c)).collect()
}

fn han_of(intake: &Intake) -> String {
    let mut out = String::new();
    for block in &intake.blocks {
        match block {
            Block::Para(p) => out.extend(p.chars().filter(|&c| is_han(c))),
            Block::Table(t) => {
                for cell in t.rows.iter().flatten() {
                    out.extend(cell.text.chars().filter(|&c| is_han(c)));
                }
            }
            Block::Image { .. } => {}
        }
    }
    out
}

/// Every text the reader kept: blocks and alt texts, for chrome checks.
fn all_text(intake: &Intake) -> String {
    render(intake).split("--- assets").next().unwrap().to_string()
}

fn assert_no_chrome(intake: &Intake) {
    let text = all_text(intake);
    for chrome in [
        "扫一扫",
        "网站标识码",
        "ICP备",
        "当前位置",
        "相关链接",
        "分享到",
        "打印",
        "关闭",
        "首页",
        ".doc-info",
        "font-family",
        "text-indent",
        "document.write",
        "统计代码",
        "移动版副本",
        "搜索",
    ] {
        assert!(!text.contains(chrome), "chrome {chrome:?} survived:\n{text}");
    }
}

fn found<T: Clone>(f: &Option<Found<T>>) -> (T, String) {
    let f = f.as_ref().unwrap();
    (f.value.clone(), f.from.clone())
}

#[test]
fn beijing_policy_page() {
    let intake = read_fixture("beijing.html");
    let f = &intake.fields;
    assert_eq!(
        found(&f.title),
        (
            "北京市人民政府关于印发《北京市“十四五”时期优化营商环境规划》的通知"
                .to_string(),
            "the page's title heading (div.header h1)".to_string()
        )
    );
    assert_eq!(
        found(&f.issuer).0,
        ["北京市人民政府", "北京市发展和改革委员会", "北京市商务局"]
    );
    assert_eq!(
        found(&f.issuer).1,
        "the page's metadata list (发文机构 and 联合发文单位)"
    );
    assert_eq!(
        found(&f.number),
        ("京政发〔2021〕24号".into(), "the page's metadata list (发文字号)".into())
    );
    assert_eq!(
        found(&f.date),
        ("2021-11-05".into(), "the page's metadata list (成文日期)".into())
    );
    assert_eq!(found(&f.published).0, "2021-11-11");
    assert_eq!(
        found(&f.effective),
        ("2021-12-01".into(), "the page's metadata list (实施日期)".into())
    );
    assert_eq!(found(&f.expires).0, "2025-12-31");
    assert_eq!(
        found(&f.source),
        (
            "https://www.beijing.gov.cn/zhengce/zhengcefagui/202111/t20211111_2533101.html".into(),
            "the page's canonical link".into()
        )
    );
    assert!(intake.notes.iter().any(|n| n.contains("有效性") && n.contains("现行有效")));
    assert_no_chrome(&intake);
    // The body in order, then the attachment the page lists but the body does not.
    let body =
        han_between("beijing.html", "<div id=\"mainText\">", "<ul class=\"fujian\">");
    assert_eq!(han_of(&intake), format!("{body}附件政策解读"));
    assert_eq!(intake.assets.len(), 1);
    assert_eq!(intake.assets[0].name, "image-1.png");
    let png = std::fs::read(fixture("beijing_files/W020211111.png")).unwrap();
    assert_eq!(intake.assets[0].bytes, png);
    assert!(
        intake
            .notes
            .iter()
            .any(|n| n.contains("../../etc/passwd") && n.contains("not kept"))
    );
    assert!(intake.notes.iter().any(|n| n.contains("P020211111580499999999.docx")));
    insta::assert_snapshot!(render(&intake));
}

#[test]
fn govcn_policy_page_takes_one_copy_of_the_body() {
    let intake = read_fixture("govcn.html");
    let f = &intake.fields;
    assert_eq!(found(&f.title).0, "国务院办公厅关于加快构建废弃物循环利用体系的意见");
    assert_eq!(found(&f.title).1, "the page's metadata table (标题)");
    assert_eq!(found(&f.issuer).0, ["国务院办公厅"]);
    assert_eq!(
        found(&f.number),
        ("国办发〔2024〕7号".into(), "the page's metadata table (发文字号)".into())
    );
    assert_eq!(
        found(&f.date),
        ("2024-02-06".into(), "the page's metadata table (成文日期)".into())
    );
    assert_eq!(found(&f.published).0, "2024-02-09");
    assert_eq!(found(&f.source).1, "the page's og:url meta tag");
    assert!(intake.fields.effective.is_none());
    assert_no_chrome(&intake);
    let body = han_between(
        "govcn.html",
        "id=\"UCAP-CONTENT\">",
        "<div class=\"pages_content pages_contentm",
    );
    assert_eq!(han_of(&intake), body);
    insta::assert_snapshot!(render(&intake));
}

#[test]
fn govcn_pre_2019_page() {
    let intake = read_fixture("govcn_2018.html");
    let f = &intake.fields;
    assert_eq!(found(&f.title).0, "国务院关于印发打赢蓝天保卫战三年行动计划的通知");
    assert_eq!(
        found(&f.issuer),
        (vec!["国务院".to_string()], "the page's metadata table (发文机关)".into())
    );
    assert_eq!(found(&f.number).0, "国发〔2018〕22号");
    assert_eq!(found(&f.date).0, "2018-06-27");
    assert_eq!(
        found(&f.published),
        ("2018-07-03".into(), "the page's metadata table (发布日期)".into())
    );
    assert!(f.source.is_none());
    assert!(
        intake
            .notes
            .iter()
            .any(|n| n.contains("索引号") && n.contains("000014349/2018-00097"))
    );
    assert_no_chrome(&intake);
    let body =
        han_between("govcn_2018.html", "id=\"UCAP-CONTENT\">", "</td></tr></table>");
    assert_eq!(han_of(&intake), body);
    insta::assert_snapshot!(render(&intake));
}

#[test]
fn district_page_by_its_largest_text_block() {
    let intake = read_fixture("district.html");
    assert!(intake.format.contains("largest text block"), "{}", intake.format);
    assert_eq!(
        found(&intake.fields.title),
        (
            "海淀区关于促进中关村科学城高质量发展的若干措施".into(),
            "the page's <title>, the site's name removed".into()
        )
    );
    assert_no_chrome(&intake);
    let body = han_between(
        "district.html",
        "<div class=\"article-content\">",
        "<div class=\"tools\">",
    );
    assert_eq!(han_of(&intake), body);
    insta::assert_snapshot!(render(&intake));
}

#[test]
fn an_undeclared_gbk_page_reads_like_its_utf8_original() {
    let utf8 = std::fs::read_to_string(fixture("district.html")).unwrap();
    let undeclared = utf8.replace("<meta charset=\"utf-8\">\n", "");
    assert!(!undeclared.to_ascii_lowercase().contains("charset"));
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&undeclared);
    assert!(!unmappable);
    let from_gbk =
        read(&gbk, &SavedPageFolder::beside(&fixture("district.html"))).unwrap();
    let original = read_fixture("district.html");
    assert!(from_gbk.format.contains("gb18030 (detected"), "{}", from_gbk.format);
    assert_eq!(from_gbk.blocks, original.blocks);
    assert_eq!(from_gbk.fields, original.fields);
}

#[test]
fn a_page_of_chrome_only_has_no_text() {
    let bytes = std::fs::read(fixture("chrome_only.html")).unwrap();
    let err =
        read(&bytes, &SavedPageFolder::beside(&fixture("chrome_only.html"))).unwrap_err();
    assert!(matches!(err, IntakeError::NoText(_)), "{err:?}");
    let empty = read(b"<html><body></body></html>", &NoFiles).unwrap_err();
    assert!(matches!(empty, IntakeError::NoText(_)), "{empty:?}");
}

struct NoFiles;
impl Resources for NoFiles {
    fn fetch(&self, _: &str) -> Option<Vec<u8>> {
        None
    }
}

#[test]
fn deep_nesting_is_refused_fast() {
    let page = format!("<html><body>{}通知</body></html>", "<div>".repeat(200_000));
    let started = std::time::Instant::now();
    let err = read(page.as_bytes(), &NoFiles).unwrap_err();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(&err, IntakeError::Malformed(m) if m.contains("512")), "{err:?}");
}

#[test]
fn a_page_over_the_limit_is_refused_by_read_itself() {
    let page = vec![b' '; limits::MAX_PAGE as usize + 1];
    assert!(matches!(read(&page, &NoFiles), Err(IntakeError::TooLarge { .. })));
}

#[test]
fn script_and_style_text_never_reaches_the_body() {
    let page = "<html><head><style>p{color:red}</style></head><body><div id=\"UCAP-CONTENT\">\
        <style>.TRS_Editor{font-family:仿宋}</style><script>var 标题 = '脚本文字';</script>\
        <p>第一条　为了规范管理，制定本办法。</p><noscript>请启用脚本</noscript></div></body></html>";
    let intake = read(page.as_bytes(), &NoFiles).unwrap();
    assert_eq!(
        intake.blocks,
        vec![Block::Para("第一条　为了规范管理，制定本办法。".into())]
    );
}

#[test]
fn data_uri_images_decode_and_huge_ones_are_refused() {
    let png = std::fs::read(fixture("beijing_files/W020211111.png")).unwrap();
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&png);
    let page = format!(
        "<div id=\"UCAP-CONTENT\"><p>附图如下。</p><img alt=\"附图\" src=\"data:image/png;base64,{b64}\">\
         <img src=\"data:image/png;base64,{}\"></div>",
        "A".repeat(body::MAX_DATA_URI + 10)
    );
    let intake = read(page.as_bytes(), &NoFiles).unwrap();
    assert_eq!(intake.assets.len(), 1);
    assert_eq!(intake.assets[0].bytes, png);
    assert_eq!(
        intake.blocks[1],
        Block::Image { asset: "image-1.png".into(), alt: "附图".into() }
    );
    assert!(
        intake.notes.iter().any(|n| n.contains("data:") && n.contains("over the limit")),
        "{:?}",
        intake.notes
    );
}

#[test]
fn an_image_outside_the_saved_folder_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let png = std::fs::read(fixture("beijing_files/W020211111.png")).unwrap();
    std::fs::write(dir.path().join("secret.png"), &png).unwrap();
    let page = dir.path().join("sub/page.html");
    let html = "<div id=\"UCAP-CONTENT\"><p>正文。</p><img src=\"../secret.png\"><img src=\"/etc/passwd\"><img src=\"file:///etc/passwd\"></div>";
    std::fs::write(&page, html).unwrap();
    let intake = read(html.as_bytes(), &SavedPageFolder::beside(&page)).unwrap();
    assert!(intake.assets.is_empty());
    assert_eq!(
        intake.notes.iter().filter(|n| n.contains("not kept")).count(),
        3,
        "{:?}",
        intake.notes
    );
}

#[test]
fn layout_tables_unwrap_and_spans_clamp() {
    let page = "<div id=\"UCAP-CONTENT\"><table><tr><td><p>第一段。</p><p>第二段。</p></td></tr></table>\
        <table><tr><td rowspan=\"9\">甲</td><td>乙</td></tr><tr><td>丙<table><tr><td>嵌</td><td>套</td></tr></table></td></tr></table></div>";
    let intake = read(page.as_bytes(), &NoFiles).unwrap();
    assert_eq!(intake.blocks[0], Block::Para("第一段。".into()));
    assert_eq!(intake.blocks[1], Block::Para("第二段。".into()));
    let Block::Table(t) = &intake.blocks[2] else { panic!("{:?}", intake.blocks) };
    assert_eq!(t.rows[0][0].rowspan, 2);
    assert_eq!(t.rows[1][0].text, "丙\n嵌\n套");
    assert_eq!(t.header_rows, 0);
}
