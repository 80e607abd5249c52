//! `huibian fmt`: messy sources become canonical, canonical sources stay as they are,
//! files are rewritten atomically and only when they change.

use std::path::Path;

use crate::prelude::*;

fn md_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(md_files(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
    found.sort();
    found
}

#[test]
fn source_files_format_to_their_targets() {
    let work = tempfile::tempdir().unwrap();
    let sources = md_files(&fixture("fmt/source"));
    assert!(sources.len() >= 2);
    for source in sources {
        let name = source.file_name().unwrap();
        let copy = work.path().join(name);
        std::fs::copy(&source, &copy).unwrap();
        let output = huibian(&["fmt", path_str(&copy)]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(stderr(&output).contains("formatted "), "{}", stderr(&output));
        let want = std::fs::read_to_string(fixture("fmt/target").join(name)).unwrap();
        assert_eq!(std::fs::read_to_string(&copy).unwrap(), want, "{}", source.display());
    }
}

#[test]
fn canonical_files_are_left_alone() {
    // Every target, the fixture edition: already canonical (idempotence).
    let mut files = md_files(&fixture("fmt/target"));
    files.extend(md_files(&fixture("basic")));
    assert!(files.len() >= 8, "{files:?}");
    let args: Vec<&str> =
        ["fmt", "--check"].into_iter().chain(files.iter().map(|f| path_str(f))).collect();
    let output = huibian(&args);
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn check_mode_prints_a_diff_changes_nothing_and_fails() {
    let work = tempfile::tempdir().unwrap();
    let copy = work.path().join("plan.md");
    std::fs::copy(fixture("fmt/source/plan.md"), &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let output = huibian(&["fmt", "--check", path_str(&copy)]);
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(diff.contains("-一、 主要目标\n"), "{diff}");
    assert!(diff.contains("+## 一、主要目标\n"), "{diff}");
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

#[test]
fn an_edition_is_formatted_file_by_file_and_renumbered_on_request() {
    let work = tempfile::tempdir().unwrap();
    let ed = work.path().join("ed");
    copy_dir(&fixture("basic"), &ed);
    let policy = ed.join("优化营商环境/小微型客车租赁.md");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(
        &policy,
        text.replacen("## 二、工作目标", "二、 工作目标", 1).replacen(
            "## 三、工作内容",
            "## 四、工作内容",
            1,
        ),
    )
    .unwrap();
    let untouched = ed.join("优化营商环境/单用途预付卡.md");
    let mtime = std::fs::metadata(&untouched).unwrap().modified().unwrap();

    let output = huibian(&["fmt", path_str(&ed)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("formatted "), "{}", stderr(&output));
    assert!(stderr(&output).contains("1 file(s) formatted"), "{}", stderr(&output));
    assert_eq!(std::fs::metadata(&untouched).unwrap().modified().unwrap(), mtime);
    let formatted = std::fs::read_to_string(&policy).unwrap();
    assert!(formatted.contains("\n## 二、工作目标\n"));
    assert!(formatted.contains("\n## 四、工作内容\n"), "fmt never renumbers by itself");

    let output = huibian(&["fmt", "--renumber", path_str(&ed)]);
    assert!(stderr(&output).contains("→ 三、"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&policy).unwrap(), text);
    let leftovers: Vec<_> = std::fs::read_dir(policy.parent().unwrap())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty());
}

/// Han characters and digits of a text, in order.
fn han_and_digits(text: &str) -> String {
    text.chars()
        .filter(|&c| c.is_ascii_digit() || ('\u{4E00}'..='\u{9FFF}').contains(&c))
        .collect()
}

#[test]
fn formatting_keeps_every_han_character_and_digit_of_the_fixtures() {
    let work = tempfile::tempdir().unwrap();
    for (name, dir) in [("basic", fixture("basic")), ("hostile", fixture("hostile"))] {
        let ed = work.path().join(name);
        copy_dir(&dir, &ed);
        let before: Vec<String> =
            md_files(&ed).iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
        let output = huibian(&["fmt", path_str(&ed)]);
        assert!(output.status.success(), "{}", stderr(&output));
        let after: Vec<String> =
            md_files(&ed).iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
        for (b, a) in before.iter().zip(&after) {
            assert_eq!(han_and_digits(a), han_and_digits(b));
        }
    }
}
