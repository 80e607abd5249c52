//! toc.json, `huibian toc`, cross-references and `check --pdf`: every page number
//! comes from the real layout and is verified against the PDF itself.

use std::path::Path;

use huibian::toc::Toc;

use crate::prelude::*;

fn read_toc(out: &Path, id: &str) -> Toc {
    let text = std::fs::read_to_string(out.join(id).join("toc.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn check_pdf(edition: &Path, out: &Path) -> std::process::Output {
    huibian(&["check", path_str(edition), "--pdf", "--out", path_str(out)])
}

#[test]
fn toc_json_matches_the_pdf_and_check_pdf_passes() {
    let (out, pdf_path) = basic();
    let toc = read_toc(out.path(), "basic");
    let pdf = open_pdf(pdf_path);
    assert_eq!(toc.pages as usize, pdf.page_count());
    assert_eq!(toc.pdf, "basic.pdf");
    let labels = pdf.page_labels();
    // Every policy's title is on the page toc.json gives, with that page's label.
    for entry in toc.entries.iter().filter(|e| e.level == 2) {
        let text = compact(&pdf.text(entry.page));
        assert!(
            text.contains(&compact(&entry.title)),
            "{} not on page {}",
            entry.title,
            entry.page
        );
        assert_eq!(labels[entry.page as usize - 1], entry.page_label);
    }
    let output = check_pdf(&fixture("basic"), out.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("sources and PDF: 0 errors"), "{}", stderr(&output));
}

#[test]
fn check_pdf_names_the_entry_whose_page_is_wrong() {
    let (out, _) = basic();
    let work = tempfile::tempdir().unwrap();
    copy_dir(out.path(), work.path());
    let toc_path = work.path().join("basic/toc.json");
    let mut toc: Toc =
        serde_json::from_str(&std::fs::read_to_string(&toc_path).unwrap()).unwrap();
    let entry =
        toc.entries.iter_mut().find(|e| e.title == "北京市单用途预付卡管理条例").unwrap();
    let (page, label) = (entry.page, entry.page_label.parse::<u32>().unwrap());
    entry.page += 1;
    entry.page_label = (label + 1).to_string();
    std::fs::write(&toc_path, toc.to_json()).unwrap();
    let output = check_pdf(&fixture("basic"), work.path());
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    let title = "北京市单用途预付卡管理条例";
    for expected in [
        format!("{title}: the bookmark goes to page {page}, toc.json says {}", page + 1),
        format!("{title}: not found on page {}", page + 1),
        format!(
            "{title}: the 目录 prints page `{label}`, but it is on page `{}`",
            label + 1
        ),
    ] {
        assert!(message.contains(&expected), "no {expected} in\n{message}");
    }
}

#[test]
fn toc_text_output() {
    let (out, _) = basic();
    let output =
        huibian(&["toc", path_str(&fixture("basic")), "--out", path_str(out.path())]);
    assert!(output.status.success(), "{}", stderr(&output));
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn toc_builds_first_when_the_outputs_are_missing() {
    let out = tempfile::tempdir().unwrap();
    let edition = fixture("hostile");
    let output = huibian(&[
        "toc",
        path_str(&edition),
        "--out",
        path_str(out.path()),
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("wrote "), "did not build: {}", stderr(&output));
    let printed: Toc = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(printed, read_toc(out.path(), "hostile"));
    // Fresh now: a second call does not build.
    let again = huibian(&["toc", path_str(&edition), "--out", path_str(out.path())]);
    assert!(!stderr(&again).contains("wrote "), "{}", stderr(&again));
}

#[test]
fn inserting_text_moves_every_later_page_by_the_same_amount() {
    let work = tempfile::tempdir().unwrap();
    let ed = work.path().join("basic");
    copy_dir(&fixture("basic"), &ed);
    let out = work.path().join("out");
    build_ok(&ed, &out);
    let before = read_toc(&out, "basic");

    // A long block in the first policy (one page long before).
    let first = ed.join("优化营商环境/规范性文件失效.md");
    let mut text = std::fs::read_to_string(&first).unwrap();
    let paragraph =
        "按照本决定要求，各单位应当认真做好文件清理后续工作，确保政策衔接平稳有序。";
    for _ in 0..60 {
        text.push_str(&format!("\n{}\n", paragraph.repeat(3)));
    }
    std::fs::write(&first, text).unwrap();
    build_ok(&ed, &out);
    let after = read_toc(&out, "basic");

    let shift = after.pages - before.pages;
    assert!(shift >= 2, "the block should add pages, added {shift}");
    let first_policy = before.entries.iter().position(|e| e.level == 2).unwrap();
    for (old, new) in before.entries.iter().zip(&after.entries) {
        assert_eq!(old.id, new.id);
        let moved = new.page - old.page;
        let expected = if before.entries[..=first_policy].iter().any(|e| e.id == old.id) {
            0
        } else {
            shift
        };
        assert_eq!(moved, expected, "{} moved by {moved}", old.title);
    }
    // The printed 目录, the bookmarks and the page labels agree with the new toc.json.
    let output = check_pdf(&ed, &out);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn cross_references_print_the_target_page_and_unknown_ids_are_errors() {
    let work = tempfile::tempdir().unwrap();
    let ed = work.path().join("basic");
    copy_dir(&fixture("basic"), &ed);
    let out = work.path().join("out");
    // Forward: from the first policy to the third; backward: from the third to a
    // section of the second.
    let append = |file: &str, text: &str| {
        let path = ed.join(file);
        let mut body = std::fs::read_to_string(&path).unwrap();
        body.push_str(text);
        std::fs::write(path, body).unwrap();
    };
    append(
        "优化营商环境/规范性文件失效.md",
        "\n另见[](#优化营商环境-小微型客车租赁)。\n",
    );
    append(
        "优化营商环境/小微型客车租赁.md",
        "\n罚则见[预付卡条例第四章](#优化营商环境-单用途预付卡-s4)。\n",
    );
    let pdf = open_pdf(&build_ok(&ed, &out));
    let toc = read_toc(&out, "basic");
    let label =
        |id: &str| toc.entries.iter().find(|e| e.id == id).unwrap().page_label.clone();
    let text = compact_text(&pdf);
    let forward = format!(
        "另见北京市贯彻《小微型客车租赁经营服务管理办法》的实施意见（见第{}页）。",
        label("优化营商环境-小微型客车租赁")
    );
    let backward = format!(
        "罚则见预付卡条例第四章（见第{}页）。",
        label("优化营商环境-单用途预付卡-s4")
    );
    assert!(text.contains(&forward), "no {forward}");
    assert!(text.contains(&backward), "no {backward}");

    append("优化营商环境/单用途预付卡.md", "\n参见[某文件](#no-such-policy)。\n");
    let output = huibian(&["build", path_str(&ed), "--out", path_str(&out)]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains(
            "error[unknown-reference]: no policy or section has the id `no-such-policy`"
        ),
        "{message}"
    );
    let lines = std::fs::read_to_string(ed.join("优化营商环境/单用途预付卡.md"))
        .unwrap()
        .lines()
        .count();
    assert!(message.contains(&format!("单用途预付卡.md:{lines}:3")), "{message}");
    let check = huibian(&["check", path_str(&ed)]);
    assert_eq!(check.status.code(), Some(1));
}

#[test]
fn continuous_page_numbering_as_the_published_book() {
    let work = tempfile::tempdir().unwrap();
    let ed = work.path().join("basic");
    copy_dir(&fixture("basic"), &ed);
    let manifest = ed.join("edition.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("\n[style]\npage_numbering = \"continuous\"\n");
    std::fs::write(&manifest, text).unwrap();
    let out = work.path().join("out");
    let pdf = open_pdf(&build_ok(&ed, &out));
    let labels = pdf.page_labels();
    let expected: Vec<String> = std::iter::once(String::new())
        .chain((1..pdf.page_count()).map(|n| n.to_string()))
        .collect();
    assert_eq!(labels, expected);
    let toc = read_toc(&out, "basic");
    assert_eq!(toc.entries[0].page_label, "3", "引言 1, 目录 2, body from 3");
    let output = check_pdf(&ed, &out);
    assert!(output.status.success(), "{}", stderr(&output));

    std::fs::write(
        &manifest,
        std::fs::read_to_string(&manifest)
            .unwrap()
            .replace("\"continuous\"", "\"roman\""),
    )
    .unwrap();
    let output = huibian(&["build", path_str(&ed), "--out", path_str(&out)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output)
            .contains("`page_numbering` must be \"front-roman\" or \"continuous\""),
        "{}",
        stderr(&output)
    );
}

/// Typst's layout passes in a `build --timings` trace.
fn layout_passes(trace: &Path) -> usize {
    let events: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(trace).unwrap()).unwrap();
    events
        .iter()
        .filter(|e| {
            e["ph"] == "B" && e["name"].as_str().is_some_and(|n| n.starts_with("iter ("))
        })
        .count()
}

/// Builds the edition `id` of sources/ into `out` with a trace; returns (the PDF's
/// bytes, layout passes).
fn build_traced(id: &str, out: &Path, trace: &Path) -> (Vec<u8>, usize) {
    let edition = root().join("sources").join(id);
    let args = ["build", path_str(&edition), "--out", path_str(out), "--only", "pdf"];
    let output = huibian(&[&args[..], &["--timings", path_str(trace)]].concat());
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = std::fs::read(out.join(id).join(format!("{id}.pdf"))).unwrap();
    (pdf, layout_passes(trace))
}

/// In Typst's first pass no heading is known and the outline is empty. A first build
/// sets a stand-in 目录 from the data there, for its length; toc.json records the
/// pages the 目录 took, and the next build holds them open instead. Either way the
/// book is laid out in two passes, not three. Right, wrong or absent, the hint never
/// changes the book.
#[test]
fn the_book_is_laid_out_in_two_passes_first_build_or_not_and_the_hint_never_changes_it() {
    let out = tempfile::tempdir().unwrap();
    let trace = out.path().join("trace.json");

    // No toc.json yet: the stand-in 目录 takes the pages the real one will.
    let (first, unaided) = build_traced("2021-Q4", out.path(), &trace);
    assert_eq!(unaided, 2, "a first build, with the stand-in 目录");
    let toc = read_toc(out.path(), "2021-Q4");
    let contents = toc.contents.expect("toc.json says where the 目录 is");
    // The published book: cover, 引言, then the 目录 on pages 3–4; the body after it.
    assert_eq!((contents.page, contents.pages), (3, 2), "{contents:?}");
    let pdf = open_pdf(&out.path().join("2021-Q4/2021-Q4.pdf"));
    assert!(compact(&pdf.text(3)).contains("目录"), "{}", pdf.text(3));
    assert_eq!(toc.entries[0].page, contents.page + contents.pages);

    let (hinted, passes) = build_traced("2021-Q4", out.path(), &trace);
    assert_eq!(passes, 2, "with the hint, the second pass is the last");
    assert!(first == hinted, "the hint changed the PDF");

    // A stale hint costs the pass the first two saved, and changes nothing either.
    let toc_path = out.path().join("2021-Q4/toc.json");
    let mut stale = toc.clone();
    stale.contents = Some(huibian::typeset::query::Contents { page: 3, pages: 5 });
    std::fs::write(&toc_path, stale.to_json()).unwrap();
    let (wrong, passes) = build_traced("2021-Q4", out.path(), &trace);
    assert_eq!(passes, 3, "Typst mends the pages a wrong hint held");
    assert!(first == wrong, "a wrong hint changed the PDF");
    assert_eq!(read_toc(out.path(), "2021-Q4"), toc, "toc.json is the real one again");
}

/// 本期变化 and the indexes link each line to its policy. In Typst's first pass no
/// label is known; a line that linked anyway would lose its text there and the lists
/// would come out shorter, costing the pass the stand-in 目录 or the hint saves. 2022-Q1
/// (本期变化 after the 目录, three indexes at the back) is laid out in two passes too,
/// in a first build and with the hint.
#[test]
fn an_edition_with_generated_lists_is_laid_out_in_two_passes() {
    let out = tempfile::tempdir().unwrap();
    let trace = out.path().join("trace.json");
    let (first, unaided) = build_traced("2022-Q1", out.path(), &trace);
    assert_eq!(unaided, 2, "a first build, with the stand-in 目录");
    let toc = read_toc(out.path(), "2022-Q1");
    assert!(toc.lists.len() >= 4, "本期变化 and three indexes: {:?}", toc.lists.len());
    let (again, passes) = build_traced("2022-Q1", out.path(), &trace);
    assert_eq!(passes, 2);
    assert!(first == again, "the hint changed the PDF");
}
