//! Inputs the fuzz targets (`fuzz/`, see its README) found breaking huibian, each run
//! through the real binary after the fix.

use std::path::Path;

use crate::prelude::*;

/// An edition whose intro is `intro`, with the fixture's policies.
fn edition_with_intro(work: &Path, intro: &str) -> std::path::PathBuf {
    let edition = work.join("2021-Q4");
    copy_dir(&fixture("basic"), &edition);
    std::fs::write(edition.join("引言.md"), intro).unwrap();
    edition
}

/// Runs `fmt` on `edition` (with `--renumber` if asked), then `fmt --check`, which
/// must find nothing left to change; returns `file` as the first run wrote it.
fn fmt_twice(edition: &Path, file: &Path, renumber: bool) -> String {
    let flags: &[&str] = if renumber { &["--renumber"] } else { &[] };
    let run = |check: bool| {
        let mut args = vec!["fmt"];
        if check {
            args.push("--check");
        }
        args.extend_from_slice(flags);
        args.push(path_str(edition));
        huibian(&args)
    };
    let first = run(false);
    assert!(first.status.success(), "{}", stderr(&first));
    let formatted = std::fs::read_to_string(file).unwrap();
    let again = run(true);
    assert!(again.status.success(), "{formatted:?}: {}", stderr(&again));
    formatted
}

/// `fmt` wrote an intro opening with a thematic break (`---`, after a blank line or
/// after an empty front matter) without anything before it, so the next read took the
/// break for the opening fence of a front matter: the edition no longer loaded and a
/// second `fmt` refused the file. Found by the `fmt` target (idempotence).
#[test]
fn fmt_keeps_a_leading_thematic_break_in_the_body() {
    for intro in
        ["\n---\n为帮助企业了解政策\n---\n", "---\n---\n---\n为帮助企业了解政策。\n"]
    {
        let work = tempfile::tempdir().unwrap();
        let edition = edition_with_intro(work.path(), intro);
        let first = huibian(&["fmt", path_str(&edition)]);
        assert!(first.status.success(), "{intro:?}: {}", stderr(&first));
        let formatted = std::fs::read_to_string(edition.join("引言.md")).unwrap();
        assert!(formatted.contains("为帮助企业了解政策"), "{formatted:?}");
        let again = huibian(&["fmt", "--check", path_str(&edition)]);
        assert!(again.status.success(), "{intro:?} → {formatted:?}: {}", stderr(&again));
        let check = huibian(&["check", path_str(&edition)]);
        assert!(
            !stderr(&check).contains("front matter"),
            "{intro:?} → {formatted:?}: {}",
            stderr(&check)
        );
    }
}

/// `fmt` dropped the indent of a paragraph's continuation line even where the line,
/// unindented, starts a block: `    - #` became a list item, so a second `fmt` changed
/// the file again. Found by the `fmt` target (idempotence), text-file role.
#[test]
fn fmt_keeps_the_indent_of_a_continuation_line_that_would_start_a_block() {
    for intro in [
        " 1（２）\n    - # ",
        "为帮助企业了解政策\n    > 引用\n",
        "为帮助企业了解政策\n    ---\n",
    ] {
        let work = tempfile::tempdir().unwrap();
        let edition = edition_with_intro(work.path(), intro);
        fmt_twice(&edition, &edition.join("引言.md"), false);
    }
}

/// The canonical rewrite of a marker dropped the space after it even where the text
/// goes on with a number: `2.     2.5亿元` became `2.2.5亿元`, no marker any more, and
/// `一、   二季度` became the enumeration `一、二季度`. Found by the `numbering` target (a
/// canonical rewrite must read back as the same marker). `fmt` now keeps one space
/// where it is needed, and leaves `2、  2.5亿元` as written (`2. 2.5亿元` would be a
/// Markdown list item).
#[test]
fn fmt_keeps_a_marker_apart_from_a_number_that_follows_it() {
    let work = tempfile::tempdir().unwrap();
    let intro = "1.安排专项资金。\n\n2、  2.5亿元用于试点。\n\n一、   二季度工作安排\n";
    let edition = edition_with_intro(work.path(), intro);
    let formatted = fmt_twice(&edition, &edition.join("引言.md"), false);
    assert!(formatted.contains("\n2、  2.5亿元用于试点。\n"), "{formatted:?}");
    assert!(formatted.contains("\n## 一、 二季度工作安排\n"), "{formatted:?}");
    let check = huibian(&["check", path_str(&edition)]);
    assert!(!stderr(&check).contains("引言.md:3"), "{}", stderr(&check));
}

/// Extracted text with NUL characters (here 3, in a 目录 entry and the body) was
/// imported as it was, so the edition written did not load (`file contains a NUL
/// byte`). Found by the `import` target (an import must write a loadable edition).
#[test]
fn import_blanks_control_characters() {
    let work = tempfile::tempdir().unwrap();
    let input = fixture("fuzz").join("import-nul.txt");
    assert!(std::fs::read_to_string(&input).unwrap().contains('\0'));
    let output = huibian_in(work.path(), &["import", path_str(&input), "--edition", "X"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
    assert!(report.contains("control_character 3"), "{report}");
    let check = huibian_in(work.path(), &["check", "X"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stderr(&check).contains("0 errors"), "{}", stderr(&check));
}

/// A paragraph that `fmt` splits into two numbered items was normalised as a whole:
/// markup in the first item (`>`) kept the second one raw, and the next `fmt`, seeing
/// the second item alone, normalised it. Found by the `fmt` target (idempotence).
#[test]
fn fmt_normalises_each_split_item_on_its_own() {
    let work = tempfile::tempdir().unwrap();
    let intro = "2、提升获得感(责任单位:市发> 展改革委);各区负责落实。\n2. 完善 投诉 处理机制。\n";
    let edition = edition_with_intro(work.path(), intro);
    let formatted = fmt_twice(&edition, &edition.join("引言.md"), false);
    assert!(formatted.ends_with("\n\n2.完善投诉处理机制。\n"), "{formatted:?}");
}

/// A damaged cover subtitle (`1010年四季度`) gave the manifest a period the loader
/// refuses (years start at 1900), so the edition written did not load. Found by the
/// `import` target. The importer now writes only a period the manifest accepts, here
/// the edition id's.
#[test]
fn import_writes_only_a_period_the_manifest_accepts() {
    let work = tempfile::tempdir().unwrap();
    let input = fixture("fuzz").join("import-year-1010.txt");
    assert!(std::fs::read_to_string(&input).unwrap().contains("(1010 年四季度)"));
    let output =
        huibian_in(work.path(), &["import", path_str(&input), "--edition", "2021-Q4"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest =
        std::fs::read_to_string(work.path().join("sources/2021-Q4/edition.toml"))
            .unwrap();
    assert!(
        manifest.contains(r#"period    = ["2021-10-01", "2021-12-31"]"#),
        "{manifest}"
    );
    let check = huibian_in(work.path(), &["check", "2021-Q4"]);
    assert!(stderr(&check).contains(" 0 errors"), "{}", stderr(&check));
}

/// `fmt --renumber` numbered a marker behind a vertical tab in its plan but did not
/// rewrite it, so a second run renumbered it. Found by the `fmt` target
/// (idempotence with `--renumber`).
#[test]
fn fmt_renumber_sees_a_marker_behind_a_vertical_tab() {
    let work = tempfile::tempdir().unwrap();
    let edition = edition_with_intro(work.path(), "\u{b}②加强领导\n");
    let formatted = fmt_twice(&edition, &edition.join("引言.md"), true);
    assert!(formatted.contains("①"), "{formatted:?}");
}

/// Two categories of the same title, each with a body, were both written to
/// `<title>.md`: the second overwrote the first. Found by the `import` target (no file
/// written twice). The second is now `<title>-2.md`.
#[test]
fn import_gives_same_named_category_bodies_their_own_files() {
    let work = tempfile::tempdir().unwrap();
    let input = fixture("fuzz").join("import-same-name.txt");
    let output =
        huibian_in(work.path(), &["import", path_str(&input), "--edition", "2021-Q4"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest =
        std::fs::read_to_string(work.path().join("sources/2021-Q4/edition.toml"))
            .unwrap();
    assert!(manifest.contains("body     = \"科技创新领域...㈠.md\""), "{manifest}");
    assert!(manifest.contains("body     = \"科技创新领域...㈠-2.md\""), "{manifest}");
    let check = huibian_in(work.path(), &["check", "2021-Q4"]);
    assert!(stderr(&check).contains(" 0 errors"), "{}", stderr(&check));
}

/// A continuation line `+       段` kept its indent (unindented, `+       ` starts a
/// list item), but normalising then removed the spaces after `+`, so the next `fmt`
/// found the indent needless and dropped it. Found by the `fmt` target (idempotence).
#[test]
fn fmt_judges_a_continuation_indent_on_the_normalised_line() {
    let work = tempfile::tempdir().unwrap();
    let edition = edition_with_intro(
        work.path(),
        "#1 .1\n                        +       段 正文      -\n",
    );
    fmt_twice(&edition, &edition.join("引言.md"), false);
}

/// `issuer: []` was written back as `issuer:` (null), which the next `fmt` dropped.
/// Found by the `fmt` target (idempotence).
#[test]
fn fmt_keeps_an_empty_issuer_list() {
    let work = tempfile::tempdir().unwrap();
    let edition = edition_with_intro(work.path(), "引言。\n");
    let policy = edition.join("优化营商环境/规范性文件失效.md");
    let text = std::fs::read_to_string(&policy).unwrap();
    let (head, body) = text.split_once("\n---\n").unwrap();
    let head: String =
        head.lines().filter(|l| !l.starts_with("issuer")).collect::<Vec<_>>().join("\n");
    std::fs::write(&policy, format!("{head}\nissuer: [\n\n ]\n---\n{body}")).unwrap();
    let formatted = fmt_twice(&edition, &policy, false);
    assert!(formatted.contains("\nissuer: []\n"), "{formatted:?}");
}

/// `fmt --renumber` numbered `(一` + `)…` (a marker broken over two lines) as the plan
/// read it, joined, but rewrote only the first line, where no marker is whole; the
/// next run renumbered the heading it had become. Found by the `fmt` target.
#[test]
fn fmt_renumber_rewrites_a_marker_broken_over_lines() {
    let work = tempfile::tempdir().unwrap();
    let edition = edition_with_intro(work.path(), "㈠\n\n(一\n)\t\n2\n");
    fmt_twice(&edition, &edition.join("引言.md"), true);
}

/// Two continuation lines, each starting no block alone, make a table together once
/// unindented (`|\t+` over `-|`): `fmt` dropped both indents and the next `fmt` found a
/// table. Found by the `fmt` target (idempotence).
#[test]
fn fmt_keeps_indents_that_together_keep_a_paragraph() {
    let work = tempfile::tempdir().unwrap();
    let intro = "甲乙 +\n丙丁 +\n\t\t\t\t|\t+\n\t\t-|\n";
    let edition = edition_with_intro(work.path(), intro);
    fmt_twice(&edition, &edition.join("引言.md"), false);
}

/// `fmt --renumber` rewrote `771．` (no Markdown list: a full-width period) alone on
/// its line to `1.`, an ordered list item, so the next `fmt` split the paragraph.
/// Found by the `fmt` target (`--renumber`, idempotence). Such a marker is now left
/// for the editor (`check` reports the sequence).
#[test]
fn fmt_renumber_never_turns_a_marker_into_a_list_item() {
    let work = tempfile::tempdir().unwrap();
    let edition =
        edition_with_intro(work.path(), "说明\n-\n771．\n甲乙丙丁，\n第二行继续。\n");
    let formatted = fmt_twice(&edition, &edition.join("引言.md"), true);
    assert!(!formatted.contains("\n1.\n"), "{formatted:?}");
}

/// The indent of a continuation line was settled before `--renumber` rewrote the
/// marker above it: `2. 。.` (a list item as written, so the indent stayed) became
/// `1.。.` (a paragraph, where the indent is needless), and the next run dropped it.
/// Found by the `fmt` target (`--renumber`, idempotence). Indents are now settled on
/// the final text.
#[test]
fn fmt_settles_indents_after_renumbering() {
    let work = tempfile::tempdir().unwrap();
    let edition = edition_with_intro(work.path(), "说明！\n2. 。. 文字\n\t<\n");
    fmt_twice(&edition, &edition.join("引言.md"), true);
}

/// A text file of `<`, `-`, `---` and `](` lines, whose rewritten paragraphs Markdown
/// read back as other blocks: `fmt` was not idempotent. Found by the `fmt` target.
/// A rewritten piece that does not read back as the paragraphs and headings it was
/// made of is now kept as written.
#[test]
fn fmt_keeps_a_piece_as_written_when_its_rewrite_reads_back_otherwise() {
    let bytes = std::fs::read(fixture("fuzz").join("fmt-mixed-markup.bin")).unwrap();
    // The fuzz input's first byte holds its flags: text file, no --renumber.
    assert_eq!(bytes[0] & 3, 1);
    let intro = String::from_utf8_lossy(&bytes[1..]).replace('\u{feff}', "");
    let work = tempfile::tempdir().unwrap();
    let edition = edition_with_intro(work.path(), &intro);
    fmt_twice(&edition, &edition.join("引言.md"), false);
}

/// A link reference definition spanning lines, then an empty list item: each piece
/// formatted well, but joined anew they read differently, and a second `fmt` changed
/// the file again. Found by the `fmt` target. When the rewritten body does not read
/// back as the pieces it was made of, the body is now kept as written.
#[test]
fn fmt_keeps_the_body_as_written_when_its_pieces_read_differently_together() {
    let bytes = std::fs::read(fixture("fuzz").join("fmt-link-definition.bin")).unwrap();
    // The fuzz input's first byte holds its flags: text file, no --renumber.
    assert_eq!(bytes[0] & 3, 1);
    let intro = String::from_utf8_lossy(&bytes[1..]).into_owned();
    let work = tempfile::tempdir().unwrap();
    let edition = edition_with_intro(work.path(), &intro);
    fmt_twice(&edition, &edition.join("引言.md"), false);
}
