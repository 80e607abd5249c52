//! `huibian new`: the next quarter's edition from the last one.

use crate::prelude::*;

#[test]
fn next_quarter_after_q4_is_next_years_q1_and_nothing_is_overwritten() {
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    copy_dir(&fixture("basic"), &dir.join("sources/2021-Q4"));
    let output = huibian_in(dir, &["new", "2022-Q1"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest =
        std::fs::read_to_string(dir.join("sources/2022-Q1/edition.toml")).unwrap();
    insta::assert_snapshot!(manifest);
    let intro = std::fs::read_to_string(dir.join("sources/2022-Q1/引言.md")).unwrap();
    assert!(
        intro.starts_with(
            "【待核：2021年】北京市陆续出台了支持民营企业高质量发展的多项政策措施"
        ),
        "{intro}"
    );

    // The new edition loads; check lists the markers and the empty categories.
    let check = huibian_in(dir, &["check", "2022-Q1"]);
    let message = stderr(&check);
    assert!(message.contains("warning[todo-marker]"), "{message}");
    assert!(message.contains("warning[empty-category]"), "{message}");

    // Never overwrites.
    let again = huibian_in(dir, &["new", "2022-Q1"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));

    // Without a YYYY-Qn id, the quarter follows the source's period.
    let other = huibian_in(dir, &["new", "next", "--from", "2022-Q1"]);
    assert!(other.status.success(), "{}", stderr(&other));
    let manifest =
        std::fs::read_to_string(dir.join("sources/next/edition.toml")).unwrap();
    assert!(manifest.contains("subtitle  = \"2022年二季度\""), "{manifest}");
    assert!(
        manifest.contains("period    = [\"2022-04-01\", \"2022-06-30\"]"),
        "{manifest}"
    );
}
