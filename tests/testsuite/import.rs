//! `huibian import`: from the published book's text (the seed) or from a PDF.

use crate::prelude::*;

#[test]
fn importing_the_seed_text_writes_the_edition_and_refuses_to_overwrite() {
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    let seed = fixture("seed-2021-Q4.txt");
    let output = huibian_in(dir, &["import", path_str(&seed), "--edition", "2021-Q4"]);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(message.contains("imported 23 policies"), "{message}");
    assert!(message.contains("repairs: "), "{message}");
    // Byte for byte what is committed, but for the hand corrections in
    // notes/2021-Q4-review.md: the manifest's structure is the same.
    let manifest: toml::Table =
        std::fs::read_to_string(dir.join("sources/2021-Q4/edition.toml"))
            .unwrap()
            .parse()
            .unwrap();
    let committed: toml::Table =
        std::fs::read_to_string(root().join("sources/2021-Q4/edition.toml"))
            .unwrap()
            .parse()
            .unwrap();
    assert_eq!(manifest["category"], committed["category"]);
    // The import builds.
    let out = dir.join("out");
    build_ok(&dir.join("sources/2021-Q4"), &out);

    let again = huibian_in(dir, &["import", path_str(&seed), "--edition", "2021-Q4"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exists; pass --force"),
        "{}",
        stderr(&again)
    );
    let forced =
        huibian_in(dir, &["import", path_str(&seed), "--edition", "2021-Q4", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
}

#[test]
fn importing_a_pdf_recovers_its_structure() {
    let (_, pdf) = basic();
    let project = tempfile::tempdir().unwrap();
    // Its text, not the sources the PDF carries.
    let output = huibian_in(
        project.path(),
        &["import", path_str(pdf), "--edition", "B", "--from-text"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest: toml::Table =
        std::fs::read_to_string(project.path().join("sources/B/edition.toml"))
            .unwrap()
            .parse()
            .unwrap();
    let titles: Vec<&str> = manifest["category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["优化营商环境", "医疗卫生领域", "四季度出台“十四五”规划汇总"]);
    let policies: usize = manifest["category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.get("policies").and_then(|p| p.as_array()).map_or(0, Vec::len))
        .sum();
    assert_eq!(policies, 4);
}

#[test]
fn a_pdf_without_extractable_text_is_refused_with_the_reason() {
    let project = tempfile::tempdir().unwrap();
    let pdf = project.path().join("scan.pdf");
    let mut doc = lopdf::Document::with_version("1.5");
    let pages = doc.new_object_id();
    let page = doc.add_object(lopdf::dictionary! { "Type" => "Page", "Parent" => pages });
    doc.objects.insert(
        pages,
        lopdf::Object::Dictionary(lopdf::dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
    );
    let catalog =
        doc.add_object(lopdf::dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    doc.save(&pdf).unwrap();
    let output =
        huibian_in(project.path(), &["import", path_str(&pdf), "--edition", "S"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("yields no Chinese text"), "{}", stderr(&output));
    assert!(!project.path().join("sources/S").exists());
}

#[test]
fn diff_exit_status_is_0_for_none_1_for_differences_2_for_errors() {
    let same = huibian(&["diff", "tests/fixtures/basic", "tests/fixtures/basic"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert!(String::from_utf8_lossy(&same.stdout).contains("no differences"));

    let work = tempfile::tempdir().unwrap();
    let ed = work.path().join("basic");
    copy_dir(&fixture("basic"), &ed);
    let policy = ed.join("优化营商环境/规范性文件失效.md");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, text.replacen("京管发〔2021〕16号", "京管发〔2021〕17号", 1))
        .unwrap();
    let report = work.path().join("diff.json");
    let changed = huibian(&[
        "diff",
        "tests/fixtures/basic",
        path_str(&ed),
        "--format",
        "json",
        "-o",
        path_str(&report),
    ]);
    assert_eq!(changed.status.code(), Some(1), "{}", stderr(&changed));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let kinds: Vec<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["metadata"]);

    let missing = huibian(&["diff", "tests/fixtures/basic", "no-such-edition"]);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
}

/// An edition folder as the round trip compares it: the category titles, and per
/// policy its title (spaces removed) and the Han characters of its body, in order.
fn shape(edition: &std::path::Path) -> (Vec<String>, Vec<(String, String)>) {
    use huibian::edition::front_matter;
    let manifest: toml::Table =
        std::fs::read_to_string(edition.join("edition.toml")).unwrap().parse().unwrap();
    let mut categories = Vec::new();
    let mut policies = Vec::new();
    for category in manifest["category"].as_array().unwrap() {
        categories.push(category["title"].as_str().unwrap().to_string());
        for path in
            category.get("policies").and_then(|p| p.as_array()).into_iter().flatten()
        {
            let text =
                std::fs::read_to_string(edition.join(path.as_str().unwrap())).unwrap();
            let split = front_matter::split(&text).unwrap();
            let yaml = &text[split.yaml.unwrap()];
            let matter: front_matter::FrontMatter = front_matter::parse(yaml).unwrap();
            let title: String =
                matter.title.chars().filter(|c| !c.is_whitespace()).collect();
            let han: String = text[split.body_start..]
                .chars()
                .filter(|&c| huibian::cjk::is_cjk(c) && c.is_alphabetic())
                .collect();
            policies.push((title, han));
        }
    }
    (categories, policies)
}

/// 2021-Q4 built with `style`, its PDF imported from its text, compared with the
/// sources: every category and policy, in order, by title, and at least 99.5 % of
/// the Han characters of the bodies.
fn round_trip(style: &str) {
    let project = tempfile::tempdir().unwrap();
    let edition = project.path().join("sources/2021-Q4");
    copy_dir(&root().join("sources/2021-Q4"), &edition);
    let manifest = edition.join("edition.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let at = text.find("[style]").unwrap();
    std::fs::write(&manifest, format!("{}[style]\n{style}\n", &text[..at])).unwrap();
    let pdf = build_ok(&edition, &project.path().join("out"));
    let import = huibian_in(
        project.path(),
        &["import", path_str(&pdf), "--edition", "R", "--from-text", "--force"],
    );
    assert!(import.status.success(), "{style}: {}", stderr(&import));

    let (categories, policies) = shape(&edition);
    let (got_categories, got_policies) = shape(&project.path().join("sources/R"));
    assert_eq!(got_categories, categories, "{style}: the categories");
    let titles =
        |p: &[(String, String)]| p.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>();
    assert_eq!(
        titles(&got_policies),
        titles(&policies),
        "{style}: the policies, in order"
    );
    let han =
        |p: &[(String, String)]| p.iter().map(|(_, h)| h.as_str()).collect::<String>();
    let (want, got) = (han(&policies), han(&got_policies));
    let ratio = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(std::time::Duration::from_secs(60))
        .diff_chars(want.as_str(), got.as_str())
        .ratio();
    eprintln!("{style}: {ratio:.5} of the Han characters after the round trip");
    assert!(ratio >= 0.995, "{style}: {ratio:.5} < 0.995");
}

#[test]
fn a_pdf_huibian_built_imports_back_from_its_text() {
    round_trip("body_size = 14\npage_numbering = \"continuous\"");
}

/// Another body size and page numbering wrap every line and title differently, and
/// number the front matter in roman numerals.
#[test]
fn a_pdf_laid_out_anew_imports_back_from_its_text() {
    round_trip("body_size = 12\npage_numbering = \"front-roman\"");
}
