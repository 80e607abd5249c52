//! `huibian add`: policies from the pages and files they were published in.

use crate::prelude::*;

fn page(name: &str) -> std::path::PathBuf {
    fixture("intake/html").join(name)
}

/// A copy of the 2021-Q4 edition in a project of the test's own.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("sources/2021-Q4"), &dir.path().join("sources/2021-Q4"));
    dir
}

#[test]
fn a_saved_page_becomes_a_canonical_policy_listed_in_its_category() {
    let dir = project();
    let ed = dir.path().join("sources/2021-Q4");
    let before = std::fs::read_to_string(ed.join("edition.toml")).unwrap();
    let out = huibian_in(
        dir.path(),
        &[
            "add",
            path_str(&page("beijing.html")),
            "--edition",
            "2021-Q4",
            "--category",
            "1",
        ],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("京政发〔2021〕24号  ← the page's metadata list (发文字号)"),
        "{err}"
    );
    let file = ed.join("优化营商环境/印发十四五时期优化营商环境规划.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("number: 京政发〔2021〕24号\ndate: 2021-11-05\n"), "{text}");
    assert!(text.contains("\n## 一、总体要求\n"), "{text}");
    assert!(ed.join("assets/印发十四五时期优化营商环境规划/image-1.png").is_file());
    // One line more in the manifest, nothing else changed.
    let after = std::fs::read_to_string(ed.join("edition.toml")).unwrap();
    assert_eq!(
        after,
        before.replace(
            "  \"优化营商环境/小微型客车租赁经营服务管理办法.md\",\n]",
            "  \"优化营商环境/小微型客车租赁经营服务管理办法.md\",\n  \"优化营商环境/印发十四五时期优化营商环境规划.md\",\n]"
        )
    );
    // Canonical by construction, and the edition still checks without errors.
    let fmt = huibian_in(dir.path(), &["fmt", "--check", "2021-Q4"]);
    assert!(fmt.status.success(), "{}", stderr(&fmt));
    let check = huibian_in(dir.path(), &["check", "2021-Q4"]);
    assert!(check.status.success(), "{}", stderr(&check));

    // The same policy again is refused, naming its file; nothing changes.
    let again = huibian_in(
        dir.path(),
        &[
            "add",
            path_str(&page("beijing.html")),
            "--edition",
            "2021-Q4",
            "--category",
            "1",
        ],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already in the edition as `优化营商环境/印发十四五时期优化营商环境规划.md` (same 文号)"), "{}", stderr(&again));
    assert_eq!(std::fs::read_to_string(ed.join("edition.toml")).unwrap(), after);

    // --replace rewrites it and says the text is the same.
    let replace = huibian_in(
        dir.path(),
        &[
            "add",
            path_str(&page("beijing.html")),
            "--edition",
            "2021-Q4",
            "--category",
            "1",
            "--replace",
        ],
    );
    assert!(replace.status.success(), "{}", stderr(&replace));
    assert!(stderr(&replace).contains("rewrites"), "{}", stderr(&replace));
    assert_eq!(std::fs::read_to_string(ed.join("edition.toml")).unwrap(), after);
}

#[test]
fn a_dry_run_prints_the_file_and_the_manifest_change_and_writes_nothing() {
    let dir = project();
    let ed = dir.path().join("sources/2021-Q4");
    let before = std::fs::read_to_string(ed.join("edition.toml")).unwrap();
    let out = huibian_in(
        dir.path(),
        &[
            "add",
            path_str(&page("govcn.html")),
            "--edition",
            "2021-Q4",
            "--category",
            "科技",
            "--dry-run",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains("--- 科技创新领域/"), "{printed}");
    assert!(printed.contains("+++ edition.toml (after add)"), "{printed}");
    assert_eq!(std::fs::read_to_string(ed.join("edition.toml")).unwrap(), before);
    assert!(!ed.join("assets").exists());
}

#[test]
fn unreadable_inputs_are_located_errors_and_nothing_is_written() {
    let dir = project();
    let ed = dir.path().join("sources/2021-Q4");
    let before = std::fs::read_to_string(ed.join("edition.toml")).unwrap();
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "只是一段文字，不是网页。").unwrap();
    // One good input beside the bad ones: still nothing written.
    let out = huibian_in(
        dir.path(),
        &[
            "add",
            path_str(&page("govcn.html")),
            path_str(&page("chrome_only.html")),
            path_str(&junk),
            "--edition",
            "2021-Q4",
            "--category",
            "1",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("chrome_only.html:1:1"), "{err}");
    assert!(err.contains("notes.txt:1:1"), "{err}");
    assert!(err.contains("nothing written"), "{err}");
    assert_eq!(std::fs::read_to_string(ed.join("edition.toml")).unwrap(), before);

    // Several categories and none chosen: a usage error listing them.
    let unspecified = huibian_in(
        dir.path(),
        &["add", path_str(&page("govcn.html")), "--edition", "2021-Q4"],
    );
    assert_eq!(unspecified.status.code(), Some(2));
    assert!(stderr(&unspecified).contains("1. 优化营商环境"), "{}", stderr(&unspecified));
}

#[test]
fn the_markdown_of_each_kind_of_input() {
    let dir = project();
    for input in [
        page("beijing.html"),
        page("govcn.html"),
        page("govcn_2018.html"),
        page("district.html"),
        fixture("intake/pdf/gongwen.pdf"),
        // A Word notice (tests/fixtures/intake/docx/make.py says how it was made).
        fixture("intake/docx/notice.docx"),
    ] {
        let out = huibian_in(
            dir.path(),
            &[
                "add",
                path_str(&input),
                "--edition",
                "2021-Q4",
                "--category",
                "1",
                "--dry-run",
            ],
        );
        assert!(out.status.success(), "{}: {}", input.display(), stderr(&out));
        let name = input.file_name().unwrap().to_str().unwrap().replace('.', "_");
        insta::assert_snapshot!(
            format!("add_{name}"),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
