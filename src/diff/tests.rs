//! Fixture editions built in a temp dir from `tests/fixtures/basic` (and
//! `sources/2021-Q4` when present) with known changes; the JSON must report exactly
//! those. Text and HTML output are snapshots.

use std::path::{Path, PathBuf};

use super::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The manifest's categories as (title, policy paths); other keys are kept as is.
struct Manifest {
    table: toml::Table,
}

impl Manifest {
    fn read(dir: &Path) -> Self {
        let text = std::fs::read_to_string(dir.join("edition.toml")).unwrap();
        Manifest { table: text.parse().unwrap() }
    }
    fn write(&self, dir: &Path) {
        std::fs::write(dir.join("edition.toml"), toml::to_string(&self.table).unwrap())
            .unwrap();
    }
    fn categories(&mut self) -> &mut Vec<toml::Value> {
        self.table.get_mut("category").unwrap().as_array_mut().unwrap()
    }
    fn policies(&mut self, cat: usize) -> &mut Vec<toml::Value> {
        let table = self.categories()[cat].as_table_mut().unwrap();
        table.entry("policies").or_insert_with(|| toml::Value::Array(Vec::new()));
        table.get_mut("policies").unwrap().as_array_mut().unwrap()
    }
    fn all(&mut self) -> Vec<(usize, String)> {
        let n = self.categories().len();
        let mut out = Vec::new();
        for c in 0..n {
            for p in self.policies(c).iter() {
                out.push((c, p.as_str().unwrap().to_string()));
            }
        }
        out
    }
    fn remove(&mut self, path: &str) {
        let n = self.categories().len();
        for c in 0..n {
            self.policies(c).retain(|p| p.as_str() != Some(path));
        }
    }
    fn replace(&mut self, from: &str, to: &str) {
        let n = self.categories().len();
        for c in 0..n {
            for p in self.policies(c).iter_mut() {
                if p.as_str() == Some(from) {
                    *p = toml::Value::String(to.to_string());
                }
            }
        }
    }
}

fn split_file(text: &str) -> (String, String) {
    let rest = text.strip_prefix("---\n").unwrap();
    let end = rest.find("\n---\n").unwrap();
    (format!("---\n{}\n---\n", &rest[..end]), rest[end + 5..].to_string())
}

fn front_value(front: &str, key: &str) -> Option<String> {
    front
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")).map(|v| v.trim().to_string()))
}

/// Paragraph indices of a body that are plain sentences (not headings), ending in 。.
fn prose(paras: &[&str]) -> Vec<usize> {
    (0..paras.len())
        .filter(|&i| {
            let p = paras[i].trim();
            !p.starts_with('#')
                && p.ends_with('。')
                && p.chars().count() >= 30
                && !p.contains('\n')
        })
        .collect()
}

const INSERTED: &str = "有关部门应当每年对本文件的执行情况进行评估并向社会公布。";

/// What the fixture changed, by policy title.
#[derive(Debug, Default)]
struct Expected {
    removed: Vec<String>,
    added: String,
    renamed: (String, String),
    inserted_in: String,
    moved: String,
    number: (String, String, String),
    edited: String,
    one_char: (String, String),
    deleted_para: String,
    punct: String,
    policies_old: usize,
}

struct Fixture {
    _tmp: tempfile::TempDir,
    old: PathBuf,
    new: PathBuf,
    expected: Expected,
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap()
}

/// Builds old and new editions from `base` with the known changes.
fn fixture(base: &Path) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("2021-Q3");
    let new = tmp.path().join("2021-Q4");
    copy_dir(base, &old);
    let extra = root().join("tests/fixtures/diff");
    let mut m = Manifest::read(&old);
    let mut e = Expected::default();

    // Two policies to remove: the synthetic ones when the base is small, else the
    // last two of the last category with three or more.
    let all = m.all();
    let removed: Vec<String> = if all.len() < 8 {
        for name in ["待删除甲.md", "待删除乙.md"] {
            std::fs::copy(extra.join(name), old.join(name)).unwrap();
            m.policies(0).push(toml::Value::String(name.to_string()));
        }
        vec!["待删除甲.md".into(), "待删除乙.md".into()]
    } else {
        let cats = m.categories().len();
        let c = (0..cats).rev().find(|&c| m.policies(c).len() >= 3).unwrap();
        let ps = m.policies(c).clone();
        ps[ps.len() - 2..].iter().map(|v| v.as_str().unwrap().to_string()).collect()
    };
    m.write(&old);
    copy_dir(&old, &new);
    let mut n = Manifest::read(&new);
    let title_of = |dir: &Path, rel: &str| {
        front_value(&split_file(&read(dir, rel)).0, "title").unwrap()
    };
    for r in &removed {
        e.removed.push(title_of(&old, r));
        n.remove(r);
    }
    let all = m.all();
    e.policies_old = all.len();
    let candidates: Vec<(usize, String)> =
        all.into_iter().filter(|(_, p)| !removed.contains(p)).collect();
    let mut used: Vec<String> = Vec::new();
    let body_paras = |dir: &Path, rel: &str| {
        let (_, body) = split_file(&read(dir, rel));
        body.split("\n\n").map(str::to_string).collect::<Vec<_>>()
    };
    let pick = |used: &Vec<String>, f: &dyn Fn(usize, &str) -> bool| -> (usize, String) {
        candidates
            .iter()
            .find(|(c, p)| !used.contains(p) && f(*c, p))
            .cloned()
            .expect("a policy for the role")
    };

    // 文号 changed, and a punctuation width change (not a change) in the same file.
    let (_, p_num) = pick(&used, &|c, p| {
        c == 0 && front_value(&split_file(&read(&old, p)).0, "number").is_some()
    });
    used.push(p_num.clone());
    {
        let text = read(&new, &p_num);
        let (front, body) = split_file(&text);
        let number = front_value(&front, "number").unwrap();
        let pos =
            number.char_indices().rev().find(|(_, c)| c.is_ascii_digit()).unwrap().0;
        let d = number[pos..pos + 1].parse::<u32>().unwrap();
        let new_number =
            format!("{}{}{}", &number[..pos], (d + 1) % 10, &number[pos + 1..]);
        let front =
            front.replace(&format!("number: {number}"), &format!("number: {new_number}"));
        // The first ， between two Han characters becomes `,`.
        let chars: Vec<char> = body.chars().collect();
        let at = (1..chars.len() - 1)
            .find(|&i| {
                chars[i] == '，'
                    && crate::cjk::is_cjk(chars[i - 1])
                    && crate::cjk::is_cjk(chars[i + 1])
                    && !matches!(chars[i - 1], '，' | '。')
            })
            .unwrap();
        let mut body_chars = chars;
        body_chars[at] = ',';
        let body: String = body_chars.into_iter().collect();
        std::fs::write(new.join(&p_num), format!("{front}{body}")).unwrap();
        let title = title_of(&old, &p_num);
        e.number = (title.clone(), number, new_number);
        e.punct = title;
    }

    // Moved to the first category, from another.
    let (_, p_mov) = pick(&used, &|c, _| c != 0);
    used.push(p_mov.clone());
    n.remove(&p_mov);
    n.policies(0).push(toml::Value::String(p_mov.clone()));
    e.moved = title_of(&old, &p_mov);

    // Renamed (new title, new file, so only the content matches) with a sentence inserted.
    let long = |p: &str| {
        prose(&body_paras(&old, p).iter().map(String::as_str).collect::<Vec<_>>()).len()
            >= 4
    };
    let no_key = |p: &str| {
        let front = split_file(&read(&old, p)).0;
        front_value(&front, "number").is_none() && front_value(&front, "id").is_none()
    };
    let (_, p_ren) = pick(&used, &|_, p| long(p) && no_key(p));
    used.push(p_ren.clone());
    {
        let (front, _) = split_file(&read(&old, &p_ren));
        let title = front_value(&front, "title").unwrap();
        let new_title = format!("{title}（修订）");
        let front =
            front.replace(&format!("title: {title}"), &format!("title: {new_title}"));
        let mut paras = body_paras(&old, &p_ren);
        let idx = prose(&paras.iter().map(String::as_str).collect::<Vec<_>>())[1];
        let para = paras[idx].clone();
        let first_end = para.find('。').unwrap() + '。'.len_utf8();
        paras[idx] = format!("{}{INSERTED}{}", &para[..first_end], &para[first_end..]);
        let new_path = p_ren.replace(".md", "-修订.md");
        std::fs::remove_file(new.join(&p_ren)).unwrap();
        std::fs::write(new.join(&new_path), format!("{front}{}", paras.join("\n\n")))
            .unwrap();
        n.replace(&p_ren, &new_path);
        e.renamed = (title, new_title.clone());
        e.inserted_in = new_title;
    }

    // A one-character edit and a paragraph deleted.
    let (_, p_edit) = pick(&used, &|_, p| long(p));
    used.push(p_edit.clone());
    {
        let (front, _) = split_file(&read(&old, &p_edit));
        let mut paras = body_paras(&old, &p_edit);
        let eligible = prose(&paras.iter().map(String::as_str).collect::<Vec<_>>());
        let (k, m) = (eligible[0], eligible[eligible.len() - 1]);
        assert!(m > k + 1);
        let mut chars: Vec<char> = paras[k].chars().collect();
        let at = (8..chars.len())
            .find(|&i| {
                crate::cjk::is_cjk(chars[i]) && !"，。；、：“”（）《》".contains(chars[i])
            })
            .unwrap();
        let replacement = if chars[at] == '甲' { '乙' } else { '甲' };
        e.one_char = (chars[at].to_string(), replacement.to_string());
        chars[at] = replacement;
        paras[k] = chars.into_iter().collect();
        e.deleted_para = crate::normalize::normalize_text(paras[m].trim());
        paras.remove(m);
        std::fs::write(new.join(&p_edit), format!("{front}{}", paras.join("\n\n")))
            .unwrap();
        e.edited = title_of(&old, &p_edit);
    }

    // Added at the end of the first category.
    std::fs::copy(extra.join("新增政策.md"), new.join("新增政策.md")).unwrap();
    n.policies(0).push(toml::Value::String("新增政策.md".into()));
    e.added = title_of(&new, "新增政策.md");
    n.write(&new);
    Fixture { _tmp: tmp, old, new, expected: e }
}

fn load(dir: &Path) -> Book {
    load_folder(dir).unwrap().0
}

/// The JSON names exactly the fixture's changes.
fn assert_exact(fx: &Fixture) -> EditionDiff {
    let old = load(&fx.old);
    let new = load(&fx.new);
    let diff = editions(&old, &new, &DiffOptions::default());
    let json: serde_json::Value = serde_json::from_str(&to_json(&diff)).unwrap();
    let e = &fx.expected;
    let changes = json["changes"].as_array().unwrap();
    let listing = || to_text(&diff, false);
    assert_eq!(changes.len(), 9, "{}", listing());
    let of =
        |kind: &str| changes.iter().filter(|c| c["kind"] == kind).collect::<Vec<_>>();
    let t = |c: &serde_json::Value, side: &str| {
        c[side]["title"].as_str().unwrap_or("").to_string()
    };

    let removed: Vec<String> = of("removed").iter().map(|c| t(c, "old")).collect();
    assert_eq!(removed, e.removed);
    let added = of("added");
    assert_eq!(added.len(), 1);
    assert_eq!(t(added[0], "new"), e.added);

    let renamed = of("renamed");
    assert_eq!(renamed.len(), 1);
    assert_eq!((t(renamed[0], "old"), t(renamed[0], "new")), e.renamed);
    assert_eq!(renamed[0]["matched_by"], "content");
    assert_eq!(renamed[0]["old_text"], e.renamed.0.as_str());

    let moved = of("moved");
    assert_eq!(moved.len(), 1);
    assert_eq!(t(moved[0], "new"), e.moved);
    assert_ne!(moved[0]["old"]["category"], moved[0]["new"]["category"]);

    let meta = of("metadata");
    assert_eq!(meta.len(), 1);
    assert_eq!(t(meta[0], "new"), e.number.0);
    assert_eq!(meta[0]["field"], "number");
    assert_eq!(meta[0]["old_text"], e.number.1.as_str());
    assert_eq!(meta[0]["new_text"], e.number.2.as_str());

    let changed = of("changed");
    assert_eq!(changed.len(), 3, "{}", listing());
    // The sentence inserted in the renamed policy.
    let ins: Vec<_> = changed.iter().filter(|c| t(c, "new") == e.inserted_in).collect();
    assert_eq!(ins.len(), 1);
    assert_eq!(ins[0]["old_text"], "");
    assert_eq!(ins[0]["new_text"], INSERTED);
    // The one-character edit: one character out, one in, inside its sentence.
    let edits: Vec<_> = changed.iter().filter(|c| t(c, "new") == e.edited).collect();
    assert_eq!(edits.len(), 2);
    let segs = edits[0]["segments"].as_array().unwrap();
    let del: Vec<_> = segs.iter().filter(|s| s["op"] == "delete").collect();
    let ins: Vec<_> = segs.iter().filter(|s| s["op"] == "insert").collect();
    assert_eq!(del.len(), 1);
    assert_eq!(ins.len(), 1);
    assert_eq!(del[0]["text"], e.one_char.0.as_str());
    assert_eq!(ins[0]["text"], e.one_char.1.as_str());
    let sentence = edits[0]["old_text"].as_str().unwrap();
    assert!(sentence.chars().count() < 300 && !sentence.contains('\n'));
    assert!(edits[0]["section"].is_string() || edits[0]["section"].is_null());
    // The paragraph deleted, whole.
    assert_eq!(edits[1]["old_text"], e.deleted_para.as_str());
    assert_eq!(edits[1]["new_text"], "");
    // The punctuation-width edit is not a change of its own.
    assert!(changed.iter().all(|c| t(c, "new") != e.punct));

    let s = &diff.summary;
    assert_eq!(
        (s.added, s.removed, s.changed, s.moved, s.renamed, s.metadata),
        (1, 2, 2, 1, 1, 1)
    );
    assert_eq!(s.unchanged, e.policies_old - 2 - 4);
    assert_eq!(
        (s.categories_added, s.categories_removed, s.categories_renamed),
        (0, 0, 0)
    );
    assert!(!s.intro_changed);
    assert!(diff.has_changes());

    // With --exact, the punctuation width is a change.
    let exact = editions(&old, &new, &DiffOptions { exact: true });
    assert!(exact.changes.iter().any(|c| c.kind == ChangeKind::Changed && c.title() == Some(e.punct.as_str())));
    diff
}

#[test]
fn basic_fixture_reports_exactly_the_known_changes() {
    let fx = fixture(&root().join("tests/fixtures/basic"));
    let diff = assert_exact(&fx);
    insta::assert_snapshot!("basic_text", to_text(&diff, false));
    insta::assert_snapshot!("basic_stat", to_stat(&diff));
    insta::assert_snapshot!("basic_html", to_html(&diff).unwrap());
    let colored = to_text(&diff, true);
    assert!(colored.contains("\x1b[31;9m") && colored.contains("\x1b[34;4m"));
    assert!(!to_text(&diff, false).contains('\x1b'));
}

#[test]
fn full_edition_reports_exactly_the_known_changes() {
    let base = root().join("sources/2021-Q4");
    if !base.join("edition.toml").is_file() {
        eprintln!("sources/2021-Q4 absent: skipped");
        return;
    }
    let fx = fixture(&base);
    assert_exact(&fx);
}

#[test]
fn an_edition_against_itself_has_no_changes() {
    let book = load(&root().join("tests/fixtures/basic"));
    let diff = editions(&book, &book, &DiffOptions::default());
    assert!(diff.identical && !diff.has_changes());
    assert_eq!(diff.summary.unchanged, book.policies().count());
    assert!(to_stat(&diff).contains("no differences"));
    let json: serde_json::Value = serde_json::from_str(&to_json(&diff)).unwrap();
    assert_eq!(json["changes"].as_array().unwrap().len(), 0);
    assert_eq!(json["schema"], SCHEMA);
    assert!(to_html(&diff).unwrap().contains("没有变化"));
}

#[test]
fn html_escapes_source_text() {
    let fx = fixture(&root().join("tests/fixtures/basic"));
    let added = fx.new.join("新增政策.md");
    let text = read(&fx.new, "新增政策.md").replace(
        "title: 北京市关于促进夜间经济繁荣发展的若干措施",
        "title: \"<script>alert(1)</script>北京市关于促进夜间经济繁荣发展的若干措施\"",
    );
    std::fs::write(&added, text).unwrap();
    let diff = editions(&load(&fx.old), &load(&fx.new), &DiffOptions::default());
    let html = to_html(&diff).unwrap();
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;"));
}

#[test]
fn categories_added_removed_renamed() {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("a");
    let new = tmp.path().join("b");
    copy_dir(&root().join("tests/fixtures/basic"), &old);
    copy_dir(&old, &new);
    std::fs::copy(
        root().join("tests/fixtures/diff/新增政策.md"),
        new.join("新增政策.md"),
    )
    .unwrap();
    let mut m = Manifest::read(&new);
    // Rename the first category, drop the second (its policy joins the first), add
    // a new one with a new policy.
    m.categories()[0].as_table_mut().unwrap().insert("title".into(), "营商环境".into());
    let second = m.categories().remove(1);
    let moved = second.as_table().unwrap()["policies"].as_array().unwrap()[0].clone();
    m.policies(0).push(moved);
    let mut added = toml::Table::new();
    added.insert("title".into(), "文化旅游领域".into());
    added.insert("policies".into(), toml::Value::Array(vec!["新增政策.md".into()]));
    m.categories().push(toml::Value::Table(added));
    m.write(&new);
    let diff = editions(&load(&old), &load(&new), &DiffOptions::default());
    let s = &diff.summary;
    let kinds: Vec<ChangeKind> = diff.changes.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ChangeKind::CategoryRemoved,
            ChangeKind::CategoryRenamed,
            ChangeKind::CategoryAdded,
            ChangeKind::Moved,
            ChangeKind::Added
        ],
        "{}",
        to_text(&diff, false)
    );
    assert_eq!(
        (s.categories_renamed, s.categories_added, s.categories_removed),
        (1, 1, 1)
    );
    assert_eq!((s.moved, s.added, s.removed, s.unchanged), (1, 1, 0, 3));
}

#[test]
fn intro_change_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("a");
    let new = tmp.path().join("b");
    copy_dir(&root().join("tests/fixtures/basic"), &old);
    copy_dir(&old, &new);
    let intro = read(&new, "引言.md")
        .replace("敬请社会各界批评指正。", "敬请社会各界批评指正并提出宝贵意见。");
    std::fs::write(new.join("引言.md"), intro).unwrap();
    let diff = editions(&load(&old), &load(&new), &DiffOptions::default());
    assert!(diff.summary.intro_changed);
    assert_eq!(diff.changes.len(), 1);
    assert_eq!(diff.changes[0].kind, ChangeKind::IntroChanged);
    let ins: Vec<_> =
        diff.changes[0].segments.iter().filter(|s| s.op == SegmentOp::Insert).collect();
    assert_eq!(ins.len(), 1);
    assert_eq!(ins[0].text, "并提出宝贵意见");
}

#[test]
fn a_side_may_be_an_imported_text() {
    let seed = root().join("tests/fixtures/seed-2021-Q4.txt");
    let (book, _) = load_side(seed.to_str().unwrap(), &Project::at(root())).unwrap();
    assert!(book.policies().count() > 10);
    let diff = editions(&book, &book, &DiffOptions::default());
    assert!(diff.identical);
    let full = root().join("sources/2021-Q4");
    if full.join("edition.toml").is_file() {
        let (q4, _) = load_side(full.to_str().unwrap(), &Project::at(root())).unwrap();
        let diff = editions(&book, &q4, &DiffOptions::default());
        // Every policy is found again, whatever the import changed in the text.
        assert_eq!(
            (diff.summary.added, diff.summary.removed),
            (0, 0),
            "{}",
            to_stat(&diff)
        );
    }
}
