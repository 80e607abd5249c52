//! `huibian check`: every kind of finding, located exactly, as text and as JSON.

use crate::prelude::*;

#[test]
fn findings_fixture_reports_each_kind_exactly() {
    let output = huibian(&["check", "tests/fixtures/check/findings", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // code, file, line, column of every finding.
    let findings: Vec<String> = json[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{}:{}",
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["file"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("tests/fixtures/check/findings/"),
                d["line"],
                d["column"]
            )
        })
        .collect();
    insta::assert_snapshot!(findings.join("\n"));
    // The image without alt text is an error under the default PDF/A-3a + PDF/UA-1.
    assert_eq!(json[0]["errors"], 11);
}

#[test]
fn findings_fixture_as_text() {
    let output = huibian(&["check", "tests/fixtures/check/findings"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stderr(&output));
}

#[test]
fn warnings_alone_exit_zero_and_a_missing_file_is_an_error() {
    // The fixture edition has only warnings (policies dated before the period).
    let output = huibian(&["check", "tests/fixtures/basic"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("0 errors, 2 warnings"), "{}", stderr(&output));

    let work = tempfile::tempdir().unwrap();
    let ed = work.path().join("ed");
    copy_dir(&fixture("basic"), &ed);
    std::fs::remove_file(ed.join("优化营商环境/单用途预付卡.md")).unwrap();
    let output = huibian(&["check", path_str(&ed)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error[missing-file]"), "{}", stderr(&output));
    assert!(stderr(&output).contains("edition.toml:12:3"), "{}", stderr(&output));
}
