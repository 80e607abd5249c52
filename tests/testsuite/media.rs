//! Merged table cells and images through the whole build: the fixture `media` (what
//! `huibian add` writes for a page with a merged-cell table and a figure) in the PDF
//! and the site, and image paths that try to leave the edition folder refused at the
//! image.

use std::path::Path;

use crate::prelude::*;

/// The fixture built once into a temporary out folder.
fn built() -> &'static (tempfile::TempDir, std::path::PathBuf) {
    static BUILT: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> =
        std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let pdf = build_ok(&fixture("media"), out.path());
        (out, pdf)
    })
}

const IMAGE: &str = "assets/图表/image-1.png";

/// The image XObjects of a PDF: (width, height) in pixels.
fn images(pdf: &Path) -> Vec<(i64, i64)> {
    let doc = lopdf::Document::load(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|object| object.as_stream().ok())
        .filter(|stream| {
            stream.dict.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Image")
        })
        .map(|stream| {
            let n = |key: &[u8]| stream.dict.get(key).unwrap().as_i64().unwrap();
            (n(b"Width"), n(b"Height"))
        })
        .collect()
}

#[test]
fn the_pdf_shows_the_image_and_every_cell_once_without_markers() {
    let pdf_path = &built().1;
    assert_eq!(images(pdf_path), [(240, 120)], "the PNG, embedded once");
    let pdf = open_pdf(pdf_path);
    let text = compact_text(&pdf);
    for cell in
        ["资金（万元）", "市级", "区级", "合并单元格", "人才引进", "与培养", "甲乙丙"]
    {
        assert_eq!(text.matches(cell).count(), 1, "{cell} in {text}");
    }
    assert!(!text.contains("<<") && !text.contains("^^"), "{text}");
    // The alt text is the image's description, not text on the page.
    assert!(!text.contains("资金流程图"), "{text}");
    assert!(text.contains("附图说明：审批流程见上图。"));
}

#[test]
fn the_site_has_spans_and_the_image_copied_with_its_alt_escaped() {
    let html = built().0.path().join("media/html");
    let page = std::fs::read_to_string(html.join("政策-图表.html")).unwrap();
    assert!(page.contains("<th colspan=\"2\">资金（万元）</th>"), "{page}");
    assert!(page.contains("<td rowspan=\"2\">人才引进<br>与培养</td>"), "{page}");
    assert!(page.contains("<td colspan=\"2\" rowspan=\"2\">合并单元格</td>"), "{page}");
    assert!(!page.contains("&lt;&lt;") && !page.contains("^^"), "{page}");
    assert!(
        page.contains(
            "<img src=\"assets/%E5%9B%BE%E8%A1%A8/image-1.png\" alt=\"资金流程图 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; #set text(red) &quot;)\""
        ),
        "{page}"
    );
    assert!(!page.contains("<script>alert"), "{page}");
    assert_eq!(
        std::fs::read(html.join(IMAGE)).unwrap(),
        std::fs::read(fixture("media").join(IMAGE)).unwrap()
    );
    // The alt text is searchable.
    let index = std::fs::read_to_string(html.join("search-index.js")).unwrap();
    assert!(index.contains("资金流程图"), "alt text in the search index");
    assert!(index.contains("合并单元格"), "cell text in the search index");
}

/// The fixture copied, its image path replaced by `dest`; `prepare` adds files.
fn with_image(
    dest: &str,
    prepare: impl FnOnce(&Path),
) -> (tempfile::TempDir, std::process::Output) {
    let work = tempfile::tempdir().unwrap();
    let edition = work.path().join("media");
    copy_dir(&fixture("media"), &edition);
    let policy = edition.join("政策/图表.md");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, text.replace("../assets/图表/image-1.png", dest)).unwrap();
    prepare(work.path());
    let out = work.path().join("out");
    let output = huibian(&["build", path_str(&edition), "--out", path_str(&out)]);
    (work, output)
}

/// An image destination, what the test does to the edition first, and what the error says.
type Case = (&'static str, fn(&Path), &'static str);

#[test]
fn image_paths_that_leave_the_edition_or_name_no_image_stop_the_build_at_the_image() {
    let cases: [Case; 7] = [
        ("../../../etc/passwd.png", |_| {}, "leads out of the edition folder"),
        (
            "../../secret.png",
            |w| std::fs::write(w.join("secret.png"), b"x").unwrap(),
            "leads out",
        ),
        ("/etc/passwd.png", |_| {}, "absolute"),
        ("https://example.com/a.png", |_| {}, "is a URL"),
        ("../assets/图表/none.png", |_| {}, "does not exist"),
        ("../edition.toml", |_| {}, "not a png"),
        (
            "../assets/link.png",
            |w| {
                std::os::unix::fs::symlink("/etc/passwd", w.join("media/assets/link.png"))
                    .unwrap()
            },
            "through a link",
        ),
    ];
    for (dest, prepare, says) in cases {
        let (work, output) = with_image(dest, prepare);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{dest}: {err}");
        assert!(err.contains("bad-image") && err.contains(says), "{dest}: {err}");
        assert!(err.contains("图表.md:18:1"), "{dest}: located at the image: {err}");
        assert!(!err.contains("root:"), "{dest}: nothing read from /etc/passwd");
        assert!(!work.path().join("out/media").exists(), "{dest}: nothing written");
    }
}

#[test]
fn a_bad_span_stops_the_build_at_its_cell() {
    let work = tempfile::tempdir().unwrap();
    let edition = work.path().join("media");
    copy_dir(&fixture("media"), &edition);
    let policy = edition.join("政策/图表.md");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, text.replace("| ^^ | ^^ | ^^ |", "| ^^ | 1 | ^^ |")).unwrap();
    let out = work.path().join("out");
    let output = huibian(&["build", path_str(&edition), "--out", path_str(&out)]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("bad-span") && err.contains("图表.md:15:"), "{err}");
}
