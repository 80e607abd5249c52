//! The fixes of "one way through the code": every command loads an edition the same
//! way, reports what it cannot read at `file:line:column`, and ends quietly when the
//! reader of its output goes away.

use std::process::{Command, Stdio};

use crate::prelude::*;

/// A copy of the `basic` fixture in a project of the test's own.
fn basic_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let project = tempfile::tempdir().unwrap();
    let edition = project.path().join("sources/basic");
    copy_dir(&fixture("basic"), &edition);
    (project, edition)
}

#[test]
fn a_closed_pipe_ends_a_command_quietly() {
    for args in [
        &["check", "tests/fixtures/basic", "--format", "json"][..],
        &["diff", "tests/fixtures/basic", "tests/fixtures/basic", "--format", "json"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_huibian"))
            .args(args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is written, as `| head -c 0` would.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let message = stderr(&output);
        assert!(!message.contains("panicked"), "{args:?}: {message}");
        assert!(!message.contains("Broken pipe"), "{args:?}: {message}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {message}");
    }
}

#[test]
fn diff_refuses_an_edition_that_build_refuses() {
    let (project, edition) = basic_copy();
    // Two policies with one id: `assemble` reports it, and `build` stops there.
    for name in ["单用途预付卡.md", "小微型客车租赁.md"] {
        let path = edition.join("优化营商环境").join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen("---\n", "---\nid: same\n", 1)).unwrap();
    }
    let build = huibian_in(project.path(), &["build", "basic", "--only", "html"]);
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    assert!(stderr(&build).contains("duplicate-id"), "{}", stderr(&build));

    let fixture = fixture("basic");
    let diff = huibian_in(project.path(), &["diff", path_str(&fixture), "basic"]);
    let message = stderr(&diff);
    assert_eq!(diff.status.code(), Some(2), "{message}");
    assert!(message.contains("duplicate-id"), "{message}");
    assert!(message.contains("policy id `same` is also used by"), "{message}");
}

#[test]
fn fmt_reports_broken_front_matter_at_its_place() {
    let (project, edition) = basic_copy();
    let path = edition.join("优化营商环境/单用途预付卡.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replacen("title: ", "title: [", 1);
    std::fs::write(&path, &broken).unwrap();
    let output = huibian_in(project.path(), &["fmt", path_str(&path)]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    // Line 2 is the title's line: the same place `build` points at.
    let place = format!("{}:2:", path.display());
    assert!(message.contains(&place), "{place} in:\n{message}");
    assert!(message.contains("error[yaml]"), "{message}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken, "left as it was");

    let build = huibian_in(project.path(), &["check", "basic"]);
    assert!(
        stderr(&build).contains("优化营商环境/单用途预付卡.md:2:"),
        "{}",
        stderr(&build)
    );
}

#[test]
fn import_reports_what_it_cannot_read_at_its_place() {
    let project = tempfile::tempdir().unwrap();
    let input = project.path().join("old.txt");
    // A 目录 heading with no entries after it: the import cannot split the book.
    std::fs::write(
        &input,
        "北京市政策汇编\n\n前言文字。\n\n目录\n\n正文没有目录条目。\n",
    )
    .unwrap();
    let output = huibian_in(project.path(), &["import", "old.txt", "--edition", "X"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("old.txt:5:1: error[import]"), "{message}");
    assert!(!project.path().join("sources/X").exists());
}

#[test]
fn new_and_import_refuse_the_same_bad_ids_the_same_way() {
    let project = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), &project.path().join("sources/2021-Q4"));
    let seed = fixture("seed-2021-Q4.txt");
    for output in [
        huibian_in(project.path(), &["new", "../escape"]),
        huibian_in(
            project.path(),
            &["import", path_str(&seed), "--edition", "../escape"],
        ),
    ] {
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{message}");
        assert!(message.contains("invalid edition id `../escape`"), "{message}");
    }
    assert!(!project.path().join("escape").exists());
}
