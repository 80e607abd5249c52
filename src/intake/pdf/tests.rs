use std::path::{Path, PathBuf};

use super::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/intake/pdf").join(name)
}

fn read_fixture(name: &str) -> Result<Intake, IntakeError> {
    let path = fixture(name);
    let bytes = std::fs::read(&path).unwrap();
    read(&path, &bytes)
}

fn paras(intake: &Intake) -> Vec<&str> {
    intake
        .blocks
        .iter()
        .map(|b| match b {
            Block::Para(p) => p.as_str(),
            other => panic!("a PDF gives paragraphs only, got {other:?}"),
        })
        .collect()
}

fn han(text: &str) -> String {
    text.chars().filter(|&c| is_han(c)).collect()
}

fn pdftotext_installed() -> bool {
    let found = std::process::Command::new("pdftotext").arg("-v").output().is_ok();
    if !found {
        println!("pdftotext is not installed: the poppler path is not tested here");
    }
    found
}

#[test]
fn a_gongwen_reads_as_its_paragraphs() {
    let intake = read_fixture("gongwen.pdf").unwrap();
    assert_eq!(
        intake.format,
        "PDF, 3 page(s), text read from its content streams (built-in)"
    );
    insta::assert_debug_snapshot!("gongwen", (&intake.blocks, &intake.notes));
}

#[test]
fn every_han_character_of_the_body_is_kept_in_order() {
    // The source's text: what is not a comment, nor the document properties.
    let source = std::fs::read_to_string(fixture("gongwen.typ")).unwrap();
    let expected: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//") && !l.starts_with("#set document"))
        .map(han)
        .collect();
    let intake = read_fixture("gongwen.pdf").unwrap();
    assert_eq!(han(&paras(&intake).concat()), expected);
}

#[test]
fn the_red_header_title_and_signature_stay_paragraphs_for_meta() {
    let intake = read_fixture("gongwen.pdf").unwrap();
    let p = paras(&intake);
    assert_eq!(
        p[..4],
        [
            "北京市人民政府文件",
            "京政发〔2021〕24号",
            "北京市人民政府关于进一步加强城市精细化管理工作的通知",
            "各区人民政府，市政府各委、办、局，各市属机构：",
        ]
    );
    let sign = p.iter().position(|x| *x == "北京市人民政府").unwrap();
    assert_eq!(p[sign + 1], "2021年11月5日");
}

#[test]
fn a_paragraph_running_over_a_page_break_is_one_paragraph() {
    // In gongwen.pdf, （二）… starts page 2 and 三、保障措施 follows on it; the
    // gazette's （二） paragraph is cut by its page break.
    let intake = read_fixture("gazette-gbk.pdf").unwrap();
    let expected: Vec<String> = super::fixtures::expected_gazette();
    assert_eq!(paras(&intake), expected.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn page_numbers_and_running_headers_are_dropped() {
    let gongwen = read_fixture("gongwen.pdf").unwrap();
    assert!(paras(&gongwen).iter().all(|p| !p.contains('—')), "{:?}", gongwen.blocks);
    assert!(
        gongwen.notes.contains(&"dropped 3 page number(s) printed on the pages".into())
    );
    let gazette = read_fixture("gazette-gbk.pdf").unwrap();
    assert!(paras(&gazette).iter().all(|p| !p.contains("公报") && !p.starts_with('-')));
    assert!(
        gazette
            .notes
            .iter()
            .any(|n| n.contains("running headers") && n.contains("北京市人民政府公报")),
        "{:?}",
        gazette.notes
    );
}

#[test]
fn page_number_shapes() {
    for yes in [
        "— 1 —",
        "- 12 -",
        "—1—",
        "7",
        "第3页",
        "第 3 页 共 5 页",
        "3/5",
        "Page 2",
        "－２－",
    ] {
        assert!(paragraphs::page_number(yes), "{yes}");
    }
    for no in ["一、总体要求", "2021年11月5日", "1.推进背街小巷", "第三条", "（1）", ""]
    {
        assert!(!paragraphs::page_number(no), "{no}");
    }
}

#[test]
fn gbk_cmap_fonts_are_decoded_without_poppler() {
    let intake = read_with(
        &fixture("gazette-gbk.pdf"),
        &std::fs::read(fixture("gazette-gbk.pdf")).unwrap(),
        "no-such-pdftotext",
    )
    .unwrap();
    assert!(intake.format.contains("built-in"), "{}", intake.format);
    assert_eq!(paras(&intake)[1], "京政办发〔2022〕5号");
}

#[test]
fn fonts_without_a_unicode_map_are_refused_not_written_as_garbage() {
    for name in ["no-unicode.pdf", "gongwen-no-tounicode.pdf"] {
        let err = read_fixture(name).unwrap_err();
        let IntakeError::NoText(message) = &err else { panic!("{name}: {err:?}") };
        assert!(message.contains("its fonts carry no Unicode map"), "{name}: {message}");
    }
    let err = read_fixture("no-unicode.pdf").unwrap_err().to_string();
    assert!(err.contains("FangSong_GB2312"), "{err}");
}

#[test]
fn without_pdftotext_the_error_says_to_install_poppler() {
    let path = fixture("gazette-gb-h.pdf");
    let err = read_with(&path, &std::fs::read(&path).unwrap(), "no-such-pdftotext")
        .unwrap_err();
    let IntakeError::NoText(message) = &err else { panic!("{err:?}") };
    assert!(
        message.contains("carry no Unicode map") && message.contains("poppler-utils"),
        "{message}"
    );
}

#[test]
fn pdftotext_reads_what_the_built_in_reader_cannot() {
    if !pdftotext_installed() {
        return;
    }
    let intake = read_fixture("gazette-gb-h.pdf").unwrap();
    assert!(intake.format.contains("pdftotext"), "{}", intake.format);
    assert!(intake.notes.iter().any(|n| n.contains("read by poppler's pdftotext")));
    // pdftotext gives GB-H's digits full-width; the Han text is the same.
    let expected: String =
        super::fixtures::expected_gazette().iter().map(|p| han(p)).collect();
    assert_eq!(han(&paras(&intake).concat()), expected);
    assert_eq!(paras(&intake).len(), super::fixtures::expected_gazette().len());
    assert!(paras(&intake).iter().all(|p| !p.contains('\u{FFFD}')));
}

#[test]
fn a_scan_is_refused_with_ocr_advice() {
    let err = read_fixture("scan.pdf").unwrap_err();
    let IntakeError::NoText(message) = &err else { panic!("{err:?}") };
    assert!(
        message.contains("are images (a scan)") && message.contains("OCR"),
        "{message}"
    );
}

#[test]
fn a_truncated_file_is_malformed() {
    let bytes = std::fs::read(fixture("gongwen.pdf")).unwrap();
    let err = read(&fixture("gongwen.pdf"), &bytes[..bytes.len() / 2]).unwrap_err();
    assert!(matches!(err, IntakeError::Malformed(_)), "{err:?}");
    let err = read(Path::new("x.pdf"), b"%PDF-1.7\n%garbage").unwrap_err();
    assert!(matches!(err, IntakeError::Malformed(_)), "{err:?}");
    let err = read(Path::new("x.pdf"), b"<html>").unwrap_err();
    assert!(matches!(err, IntakeError::Malformed(_)), "{err:?}");
}

#[test]
fn no_cut_of_the_file_panics() {
    let bytes = std::fs::read(fixture("gazette-gbk.pdf")).unwrap();
    for end in (0..bytes.len()).step_by(61) {
        let _ = read_with(Path::new("cut.pdf"), &bytes[..end], "no-such-pdftotext");
    }
    let mut flipped = bytes.clone();
    for i in (0..flipped.len()).step_by(37) {
        flipped[i] ^= 0x55;
        let _ = read_with(Path::new("flipped.pdf"), &flipped, "no-such-pdftotext");
    }
}

#[test]
fn document_properties_give_the_title_unless_it_is_a_leftover() {
    let gazette = read_fixture("gazette-gbk.pdf").unwrap();
    let title = gazette.fields.title.unwrap();
    assert_eq!(
        title.value,
        "北京市人民政府办公厅关于印发北京市老旧小区综合整治工作方案的通知"
    );
    assert_eq!(title.from, "the PDF's document properties (Title)");
    let gongwen = read_fixture("gongwen.pdf").unwrap();
    assert_eq!(gongwen.fields.title, None);
    assert!(
        gongwen.notes[0].contains("Microsoft Word - 京政发〔2021〕24号.doc"),
        "{:?}",
        gongwen.notes
    );
    for leftover in [
        "",
        "Microsoft Word - 1.doc",
        "关于印发方案的通知.docx",
        "Document1",
        "无标题文档一二三",
        "untitled",
    ] {
        assert!(leftover_title(leftover).is_some(), "{leftover}");
    }
    assert_eq!(
        leftover_title("北京市人民政府关于进一步加强城市精细化管理工作的通知"),
        None
    );
}
