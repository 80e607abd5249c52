//! Broken sources: each gives exit 1, a diagnostic naming file:line:column with the
//! offending line, and leaves the PDF of the last good build untouched. Hostile input
//! (paths leaving the edition, encodings, YAML bombs, odd file shapes, huge files) is
//! the corpus in `hostile.rs`, the one list of those cases and their outcomes.

use std::path::Path;

use crate::prelude::*;

/// One way to break a copy of the fixture edition.
struct Case {
    name: &'static str,
    /// Breaks the edition in the given folder.
    apply: fn(&Path),
    /// `file:line:col` (relative to the edition folder) the message must name.
    location: &'static str,
    /// Words the message must contain.
    message: &'static str,
}

const MANIFEST: &str = "edition.toml";
const POLICY: &str = "优化营商环境/规范性文件失效.md";

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

const CASES: &[Case] = &[
    Case {
        name: "missing policy file",
        apply: |d| {
            edit(d, MANIFEST, "优化营商环境/单用途预付卡.md", "优化营商环境/不存在.md")
        },
        location: "edition.toml:12:3",
        message: "`优化营商环境/不存在.md` does not exist",
    },
    Case {
        name: "broken TOML",
        apply: |d| {
            edit(
                d,
                MANIFEST,
                "subtitle  = \"2021年四季度\"",
                "subtitle  = \"2021年四季度",
            )
        },
        location: "edition.toml:2:",
        message: "edition.toml:",
    },
    Case {
        name: "unknown manifest key",
        apply: |d| edit(d, MANIFEST, "subtitle  =", "subtitel  ="),
        location: "edition.toml:2:1",
        message: "unknown field `subtitel`",
    },
    Case {
        name: "broken YAML",
        apply: |d| {
            edit(
                d,
                POLICY,
                "issuer: 北京市城市管理委员会",
                "issuer: [北京市城市管理委员会",
            )
        },
        location: "规范性文件失效.md:",
        message: "front matter:",
    },
    Case {
        name: "unknown front matter key",
        apply: |d| edit(d, POLICY, "issuer:", "isuer:"),
        location: "规范性文件失效.md:3:1",
        message: "unknown field `isuer`",
    },
    Case {
        name: "impossible date",
        apply: |d| edit(d, POLICY, "date: 2021-08-13", "date: 2021-02-30"),
        location: "规范性文件失效.md:5:1",
        message: "`date: 2021-02-30` is not a date",
    },
    Case {
        name: "unclosed front matter",
        apply: |d| edit(d, POLICY, "date: 2021-08-13\n---", "date: 2021-08-13\n"),
        location: "规范性文件失效.md:1:1",
        message: "front matter is not closed",
    },
];

#[test]
fn each_bad_input_fails_with_a_located_message_and_keeps_the_old_pdf() {
    let work = tempfile::tempdir().unwrap();
    let good = work.path().join("ed");
    copy_dir(&fixture("basic"), &good);
    let out = work.path().join("out");
    let pdf = build_ok(&good, &out);
    let before = std::fs::read(&pdf).unwrap();

    for case in CASES {
        let broken = work.path().join("ed");
        std::fs::remove_dir_all(&broken).unwrap();
        copy_dir(&fixture("basic"), &broken);
        (case.apply)(&broken);
        let output = huibian(&["build", path_str(&broken), "--out", path_str(&out)]);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{}: {message}", case.name);
        assert!(
            message.contains(case.location),
            "{}: no {} in\n{message}",
            case.name,
            case.location
        );
        assert!(
            message.contains(case.message),
            "{}: no {} in\n{message}",
            case.name,
            case.message
        );
        // The offending source line is quoted under the location, like rustc.
        assert!(message.contains(" │ "), "{}: no source line in\n{message}", case.name);
        assert!(!message.contains("panicked"), "{}: {message}", case.name);
        assert_eq!(
            std::fs::read(&pdf).unwrap(),
            before,
            "{}: the old PDF changed",
            case.name
        );
        let mut names: Vec<String> = std::fs::read_dir(pdf.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["ed-sources.zip", "ed.pdf", "html", "toc.json"],
            "{}: stray files in the output folder",
            case.name
        );
    }
}

#[test]
fn a_template_error_points_into_the_template_and_keeps_the_old_pdf() {
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    copy_dir(&fixture("basic"), &dir.join("sources/2021-Q4"));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    let template = std::fs::read_to_string(root().join("templates/edition.typ")).unwrap();
    std::fs::write(dir.join("templates/edition.typ"), &template).unwrap();
    let output = huibian_in(dir, &["build", "2021-Q4"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = dir.join("out/2021-Q4/2021-Q4.pdf");
    let before = std::fs::read(&pdf).unwrap();

    let broken = template.replacen(
        "#let fonts = book.fonts",
        "#let fonts = book.fonts + no-such-thing",
        1,
    );
    assert!(broken != template, "the template no longer has the line this test breaks");
    std::fs::write(dir.join("templates/edition.typ"), broken).unwrap();
    let output = huibian_in(dir, &["build"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("error[typst]: unknown variable: no-such-thing"),
        "{message}"
    );
    assert!(message.contains("templates/edition.typ:"), "{message}");
    assert!(message.contains("in the template"), "{message}");
    assert_eq!(std::fs::read(&pdf).unwrap(), before);
}

#[test]
fn without_a_templates_folder_the_built_in_template_is_used() {
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    copy_dir(&fixture("hostile"), &dir.join("sources/h"));
    let output = huibian_in(dir, &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("wrote out/h/h.pdf"), "{}", stderr(&output));
    assert_eq!(open_pdf(&dir.join("out/h/h.pdf")).page_count(), 4);
}

#[test]
fn a_character_no_font_has_is_reported_where_it_is_written() {
    let work = tempfile::tempdir().unwrap();
    let ed = work.path().join("ed");
    copy_dir(&fixture("basic"), &ed);
    // A supplementary private-use character: no installed font draws it.
    edit(&ed, POLICY, "按照《国务院", "按照\u{F0000}《国务院");
    let out = work.path().join("out");
    // Under the default PDF/A-3a + PDF/UA-1, an empty glyph box is forbidden: an
    // error, and nothing written.
    let output = huibian(&["build", path_str(&ed), "--out", path_str(&out)]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("error[glyph]: no installed font has the character"),
        "{message}"
    );
    assert!(message.contains("forbids printing it as a box"), "{message}");
    assert!(message.contains("规范性文件失效.md:9:3"), "{message}");
    assert!(!out.join("ed/ed.pdf").exists());
    // Without a standard, the book builds with the box and a warning.
    let output = huibian(&[
        "build",
        path_str(&ed),
        "--out",
        path_str(&out),
        "--pdf-standard",
        "none",
    ]);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(
        message.contains("warning[glyph]: no installed font has the character"),
        "{message}"
    );
    assert!(message.contains("U+F0000"), "{message}");
    assert!(message.contains("规范性文件失效.md:9:3"), "{message}");
}
