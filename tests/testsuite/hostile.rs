//! The hostile corpus: every kind of malicious or broken input huibian must survive,
//! each with its expected outcome, run through the real binary. Small cases are files
//! under `tests/hostile/`; big ones are generated here into a temporary folder.
//!
//! Every case starts from a copy of `tests/hostile/base` (one category, one policy
//! `p.md`) whose outputs from a good build are already in the out folder, and then:
//! - `Builds`: exit 0, the warnings named, injected markup printed literally in the
//!   PDF and escaped in the HTML;
//! - `Fails`: exit 1 or 2, stderr names the file (and line where there is one), and
//!   the previous outputs are byte-identical;
//! - always: no panic, no hang (a timeout kills and fails the case), no terminal
//!   escape or bidi override echoed to stderr, nothing read from outside the edition
//!   (`/etc/passwd` never shows up), no `.huibian-*` temporary left in the edition or
//!   out folder.
//!
//! Heavy cases (10 MB, 10,000 headings, 2,000 policies) are too slow to lay out in a
//! debug build: the default run `check`s them, `heavy_cases_build_in_full` (ignored,
//! run by hand with `HUIBIAN_BIN` set to a release binary) builds them, each within
//! the time and memory it states.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::prelude::*;

/// What a case must do.
enum Expect {
    /// Exit 0; stderr mentions each string (warnings with their location); each literal
    /// appears in the PDF's text and, unescaped, in the HTML.
    Builds { mentions: &'static [&'static str], literals: &'static [&'static str] },
    /// Exit `exit`; stderr mentions each string (file, and `file:line:col` where the
    /// problem has a line).
    Fails { exit: i32, must_mention: &'static [&'static str] },
}
use Expect::*;

struct Case {
    name: &'static str,
    /// Turns the copy of the base edition in the given folder into the case.
    setup: fn(&Path),
    /// Too slow to build in a debug run: `check` by default, built when ignored.
    heavy: bool,
    expect: Expect,
}

/// The file of a case that replaces the base's only policy.
fn policy(dir: &Path, corpus_file: &str) {
    std::fs::copy(corpus(corpus_file), dir.join("p.md")).unwrap();
}

/// Builds the case's edition without a PDF standard, for text the default
/// PDF/A-3a + PDF/UA-1 refuses (the refusal is a case of its own).
fn no_pdf_standard(dir: &Path) {
    let path = dir.join("edition.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n[pdf]\nstandard = \"none\"\n");
    std::fs::write(&path, text).unwrap();
}

fn corpus(name: &str) -> PathBuf {
    root().join("tests/hostile").join(name)
}

fn manifest_edit(dir: &Path, from: &str, to: &str) {
    let path = dir.join("edition.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "the base manifest lacks {from}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

const FRONT: &str =
    "---\ntitle: 测试政策\nissuer: 北京市人民政府\ndate: 2021-11-05\n---\n";

fn body(dir: &Path, text: &str) {
    std::fs::write(dir.join("p.md"), format!("{FRONT}{text}")).unwrap();
}

/// The table of cases, and one test per case (`hostile::cases::<name>`), so that a
/// failing case hides no other.
macro_rules! cases {
    ($($test:ident => $case:expr,)*) => {
        /// Every case, for the heavy run.
        const CASES: &[Case] = &[$($case),*];

        mod cases {
            use super::*;
            $(
                #[test]
                fn $test() {
                    const CASE: Case = $case;
                    run_case(&CASE, false);
                }
            )*
        }
    };
}

cases! {
    typst_markup_html_and_script_in_every_field => Case {
        name: "Typst markup, HTML and script in every field (tests/fixtures/hostile)",
        setup: |d| {
            std::fs::remove_dir_all(d).unwrap();
            copy_dir(&fixture("hostile"), d);
        },
        heavy: false,
        expect: Builds {
            mentions: &[],
            literals: &[
                // edition.toml
                r#"汇编 #read("/etc/passwd") $x$ <a> @b"#,
                r#"2021年 #import "x.typ": * <script>alert(1)</script>"#,
                r"出版者 = x - y \ * _ #set page(width: 1pt)",
                r#"类别 #panic("boom") ]) } $"#,
                // intro
                r#"引言正文 #read("/etc/passwd") 与 $x^2$ 和 <a> 以及 @b 结束。"#,
                // front matter
                r#"政策标题 #read("/etc/passwd") $x$ <a> @b = x - y \ * _ #import "x.typ""#,
                r#"机关 #eval("1+1")"#,
                "<script>alert(1)</script>",
                "京政发〔2021〕#0号 ]",
                // body
                r#"第一段 #read("/etc/passwd") 和 $x$ 和 <a> 和 @b 和 #import "x.typ" 结束。"#,
                r"第二段 = x 与 - y 与 \ 与 * 与 _ 结束。",
                "一、标题 #let x = 1 #x",
                r#"<script>alert("x")</script>"#,
            ],
        },
    },
    // Paths. (The PDF title metadata of the markup case: `markup_goes_into_the_pdf_title_as_written`.)
    manifest_path_with_dot_dot => Case {
        name: "manifest path with ..",
        setup: |d| manifest_edit(d, r#"["p.md"]"#, r#"["../base/p.md"]"#),
        heavy: false,
        expect: Fails {
            exit: 1,
            must_mention: &["edition.toml:10:13", "leaves the edition folder"],
        },
    },
    absolute_manifest_path => Case {
        name: "absolute manifest path",
        setup: |d| manifest_edit(d, r#"["p.md"]"#, r#"["/etc/passwd"]"#),
        heavy: false,
        expect: Fails {
            exit: 1,
            must_mention: &["edition.toml:10:13", "leaves the edition folder"],
        },
    },
    policy_symlink_pointing_outside => Case {
        name: "policy symlink pointing outside",
        setup: |d| {
            std::fs::remove_file(d.join("p.md")).unwrap();
            std::os::unix::fs::symlink("/etc/passwd", d.join("p.md")).unwrap();
        },
        heavy: false,
        expect: Fails {
            exit: 1,
            must_mention: &["edition.toml:10:13", "outside the edition folder"],
        },
    },
    symlinked_folder_pointing_outside => Case {
        name: "symlinked folder pointing outside",
        setup: |d| {
            std::os::unix::fs::symlink("/etc", d.join("etc")).unwrap();
            manifest_edit(d, r#"["p.md"]"#, r#"["etc/passwd"]"#);
        },
        heavy: false,
        expect: Fails {
            exit: 1,
            must_mention: &["edition.toml:10:13", "outside the edition folder"],
        },
    },
    edition_toml_a_symlink_pointing_outside => Case {
        // Was read and its first line quoted in a TOML error.
        name: "edition.toml a symlink pointing outside",
        setup: |d| {
            std::fs::remove_file(d.join("edition.toml")).unwrap();
            std::os::unix::fs::symlink("/etc/passwd", d.join("edition.toml")).unwrap();
        },
        heavy: false,
        expect: Fails {
            exit: 1,
            must_mention: &[
                "edition.toml is a link to a file outside the edition folder",
            ],
        },
    },
    // Encodings and characters.
    invalid_utf8 => Case {
        name: "invalid UTF-8",
        setup: |d| policy(d, "invalid-utf8.md"),
        heavy: false,
        expect: Fails { exit: 1, must_mention: &["p.md:6:3", "file is not valid UTF-8"] },
    },
    bom => Case {
        name: "BOM (same PDF as without: `bom_and_crlf_give_the_same_pdf_as_clean_sources`)",
        setup: |d| policy(d, "bom.md"),
        heavy: false,
        expect: Builds {
            mentions: &["warning[bom]", "p.md:1:1"], literals: &["正文。"]
        },
    },
    crlf => Case {
        name: "CRLF",
        setup: |d| policy(d, "crlf.md"),
        heavy: false,
        expect: Builds {
            mentions: &["warning[line-endings]", "p.md:1:1"],
            literals: &["第一行。", "第二行。"],
        },
    },
    lone_cr => Case {
        name: "lone CR",
        setup: |d| policy(d, "lone-cr.md"),
        heavy: false,
        expect: Builds {
            mentions: &["warning[line-endings]", "p.md:1:1"],
            literals: &["第一行。", "第二行。"],
        },
    },
    nul_byte => Case {
        // Was printed into the PDF and written into the HTML.
        name: "NUL byte",
        setup: |d| policy(d, "nul.md"),
        heavy: false,
        expect: Fails { exit: 1, must_mention: &["p.md:6:3", "NUL byte"] },
    },
    zero_width_and_bidi_override_characters => Case {
        name: "zero-width and bidi-override characters",
        // Without a PDF standard: the default one refuses the BOM inside the text
        // (the next case).
        setup: |d| {
            policy(d, "zero-width-bidi.md");
            no_pdf_standard(d);
        },
        heavy: false,
        // The override reverses what follows it as Unicode says (in the PDF and the
        // browser alike), hence the located warning.
        expect: Builds {
            mentions: &["warning[bidi]", "p.md:6:9"],
            literals: &["符与", "隔离"],
        },
    },
    zero_width_and_bidi_under_the_default_pdf_standard => Case {
        name: "zero-width and bidi characters under PDF/A-3a + PDF/UA-1",
        setup: |d| policy(d, "zero-width-bidi.md"),
        heavy: false,
        // PDF/A and PDF/UA forbid U+FEFF in the text; the bidi controls and the
        // zero-width characters, which no font needs to draw, pass.
        expect: Fails {
            exit: 1,
            must_mention: &["error[glyph]", "U+FEFF", "p.md:6:6", "PDF/A-3a + PDF/UA-1"],
        },
    },
    c0_control_characters_under_the_default_pdf_standard => Case {
        name: "C0 control characters under PDF/A-3a + PDF/UA-1",
        setup: |d| policy(d, "control-characters.md"),
        heavy: false,
        // A bell cannot be written into an archival PDF; form feeds and vertical
        // tabs are line breaks to the typesetter and pass.
        expect: Fails {
            exit: 1,
            must_mention: &["error[glyph]", "U+0007", "p.md:6:22"],
        },
    },
    c0_control_characters => Case {
        // Pasted from a PDF (form feed between pages) or Word (vertical tab per line
        // break): invisible, and shown differently by the PDF and a browser.
        name: "C0 control characters",
        setup: |d| {
            policy(d, "control-characters.md");
            no_pdf_standard(d);
        },
        heavy: false,
        expect: Builds {
            mentions: &["warning[control-character]", "U+000C (form feed)", "p.md:6:7"],
            literals: &["第一页末尾", "第二页开头"],
        },
    },
    terminal_escapes_in_a_bad_value => Case {
        // Its escape sequences and bidi override were echoed to the terminal.
        name: "terminal escapes in a bad value",
        setup: |d| policy(d, "terminal-escape.md"),
        heavy: false,
        expect: Fails {
            exit: 1,
            must_mention: &[
                "p.md:3:7",
                "unexpected character",
                "date: 2021-11-?[2J?]0;pwned?\u{FFFD}05",
            ],
        },
    },
    binary_file_named_md => Case {
        name: "binary file named .md",
        setup: |d| policy(d, "binary.md"),
        heavy: false,
        expect: Fails { exit: 1, must_mention: &["p.md:", "file is not valid UTF-8"] },
    },
    // YAML and TOML.
    yaml_alias_bomb => Case {
        name: "YAML alias bomb (billion laughs)",
        setup: |d| policy(d, "yaml-alias-bomb.md"),
        heavy: false,
        expect: Fails { exit: 1, must_mention: &["p.md:3:", "more than 10,000 values"] },
    },
    yaml_binary_tag => Case {
        // A tag is a hint about the type, not code: the value is read as text.
        name: "YAML !!binary tag",
        setup: |d| policy(d, "yaml-binary-tag.md"),
        heavy: false,
        expect: Builds {
            mentions: &["warning[yaml-tag]", "`!!binary`", "p.md:2:8"],
            literals: &["5rWL6K+V5pS/562W"],
        },
    },
    yaml_custom_tag => Case {
        name: "YAML custom !tag",
        setup: |d| policy(d, "yaml-custom-tag.md"),
        heavy: false,
        expect: Builds {
            mentions: &["warning[yaml-tag]", "`!custom`", "p.md:2:8"],
            literals: &["自定义标签标题"],
        },
    },
    duplicate_yaml_key => Case {
        name: "duplicate YAML key",
        setup: |d| policy(d, "yaml-duplicate-key.md"),
        heavy: false,
        expect: Fails {
            exit: 1,
            must_mention: &["p.md:3:1", "duplicate mapping key: title"],
        },
    },
    duplicate_toml_key => Case {
        name: "duplicate TOML key",
        setup: |d| manifest_edit(d, "subtitle  =", "title = \"二\"\nsubtitle  ="),
        heavy: false,
        expect: Fails { exit: 1, must_mention: &["edition.toml:3:1", "duplicate key"] },
    },
    // Shapes of files.
    empty_file => Case {
        name: "empty file",
        setup: |d| policy(d, "empty.md"),
        heavy: false,
        expect: Fails {
            exit: 1,
            must_mention: &["p.md:1:1", "policy file has no front matter"],
        },
    },
    front_matter_alone => Case {
        name: "front matter alone",
        setup: |d| policy(d, "front-matter-only.md"),
        heavy: false,
        expect: Builds { mentions: &[], literals: &["测试政策"] },
    },
    no_front_matter => Case {
        name: "no front matter",
        setup: |d| policy(d, "no-front-matter.md"),
        heavy: false,
        expect: Fails {
            exit: 1,
            must_mention: &["p.md:1:1", "policy file has no front matter"],
        },
    },
    policy_path_is_a_folder => Case {
        name: "policy path is a folder",
        setup: |d| {
            std::fs::remove_file(d.join("p.md")).unwrap();
            std::fs::create_dir(d.join("p.md")).unwrap();
        },
        heavy: false,
        expect: Fails {
            exit: 1,
            must_mention: &["edition.toml:10:13", "`p.md` is a folder"],
        },
    },
    edition_toml_is_a_folder => Case {
        // Was "has no edition.toml".
        name: "edition.toml is a folder",
        setup: |d| {
            std::fs::remove_file(d.join("edition.toml")).unwrap();
            std::fs::create_dir(d.join("edition.toml")).unwrap();
        },
        heavy: false,
        expect: Fails { exit: 2, must_mention: &["edition.toml is a folder"] },
    },
    // Structure.
    bullet_list => Case {
        // Failed in the template: its `blocks(list)` hid Typst's `list`.
        name: "bullet list",
        setup: |d| policy(d, "bullet-list.md"),
        heavy: false,
        expect: Builds {
            mentions: &[], literals: &["列表第一项", "嵌套列表项"]
        },
    },
    sixteen_nested_block_quotes => Case {
        // Exceeded Typst's show-rule depth: nesting is now flattened below 16 quotes.
        name: "16 nested block quotes",
        setup: |d| policy(d, "nested-quotes-16.md"),
        heavy: false,
        expect: Builds {
            mentions: &["warning[deep-nesting]", "p.md:6:"],
            literals: &["十六层引用。"],
        },
    },
    block_quotes_10000_deep => Case {
        name: "block quotes 10,000 deep",
        setup: |d| body(d, &format!("{} 深处。\n", ">".repeat(10_000))),
        heavy: false,
        expect: Builds {
            mentions: &["warning[deep-nesting]", "p.md:6:"],
            literals: &["深处。"],
        },
    },
    lists_10000_deep => Case {
        name: "lists 10,000 deep",
        setup: |d| body(d, &format!("{}深处。\n", "- ".repeat(10_000))),
        heavy: false,
        expect: Builds {
            mentions: &["warning[deep-nesting]", "p.md:6:"],
            literals: &["深处。"],
        },
    },
    emphasis_10000_deep => Case {
        name: "emphasis 10,000 deep",
        setup: |d| body(d, &format!("{0}深处。{0}\n", "*".repeat(10_000))),
        heavy: false,
        expect: Builds { mentions: &[], literals: &["深处。"] },
    },
    a_single_1_mb_line => Case {
        name: "a single 1 MB line",
        setup: |d| body(d, &format!("{}。\n", "长".repeat((1 << 20) / 3))),
        heavy: true,
        expect: Builds { mentions: &[], literals: &["长长长长长长长长。"] },
    },
    // Size.
    ten_thousand_headings => Case {
        name: "10,000 headings",
        setup: |d| {
            let text: String = (1..=10_000)
                .map(|i| format!("## 第{i}部分\n\n第{i}段正文。\n\n"))
                .collect();
            body(d, &text);
        },
        heavy: true,
        expect: Builds {
            mentions: &[], literals: &["第9999部分", "第10000段正文。"]
        },
    },
    a_10_mb_policy => Case {
        name: "a 10 MB policy",
        setup: |d| body(d, &ten_megabytes()),
        heavy: true,
        // The last of the 2,897 paragraphs `ten_megabytes` writes.
        expect: Builds {
            mentions: &[], literals: &["第1段结束。", "第2897段结束。"]
        },
    },
    a_2000_policy_edition => Case {
        name: "a 2,000-policy edition",
        setup: two_thousand_policies,
        heavy: true,
        expect: Builds {
            mentions: &[],
            literals: &["第2000号政策", "第1999号政策正文。"],
        },
    },
}

/// About 10 MB of plain paragraphs: 2,897 of them, the last `第2897段结束。`.
fn ten_megabytes() -> String {
    let sentence = "本市持续优化营商环境，支持民营企业高质量发展，完善政策体系。";
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 10 << 20 {
        n += 1;
        text.push_str(&sentence.repeat(40));
        text.push_str(&format!("第{n}段结束。\n\n"));
    }
    text
}

fn two_thousand_policies(dir: &Path) {
    let mut manifest = std::fs::read_to_string(dir.join("edition.toml")).unwrap();
    manifest.truncate(manifest.find("[[category]]").unwrap());
    std::fs::remove_file(dir.join("p.md")).unwrap();
    for category in 1..=20 {
        manifest.push_str(&format!(
            "[[category]]\ntitle = \"第{category}类\"\npolicies = [\n"
        ));
        for i in (category - 1) * 100 + 1..=category * 100 {
            let name = format!("c{category}/p{i}.md");
            manifest.push_str(&format!("  \"{name}\",\n"));
            let path = dir.join(&name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(
                path,
                format!(
                    "---\ntitle: 第{i}号政策\nissuer: 北京市人民政府\nnumber: 京政发〔2021〕{i}号\ndate: 2021-11-05\n---\n## 一、总则\n\n第{i}号政策正文。\n"
                ),
            )
            .unwrap();
        }
        manifest.push_str("]\n\n");
    }
    std::fs::write(dir.join("edition.toml"), manifest).unwrap();
}

/// The base edition's outputs from a good build, made once: (its out folder, the files).
fn base_outputs() -> &'static (tempfile::TempDir, BTreeMap<PathBuf, Vec<u8>>) {
    static BUILT: std::sync::OnceLock<(tempfile::TempDir, BTreeMap<PathBuf, Vec<u8>>)> =
        std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let work = tempfile::tempdir().unwrap();
        let ed = work.path().join("ed");
        copy_dir(&corpus("base"), &ed);
        build_ok(&ed, &work.path().join("out"));
        let files = tree(&work.path().join("out"));
        (work, files)
    })
}

/// Every file under `dir`, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, into);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                into.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// Names under `dir` (recursively, not following links) that are huibian temporaries.
pub fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with(".huibian-") {
            found.push(path.clone());
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.extend(temporaries(&path));
        }
    }
    found
}

/// The binary under test: this build's, or `HUIBIAN_BIN` (e.g. target/release/huibian,
/// to build the heavy cases in full in reasonable time).
fn binary() -> PathBuf {
    std::env::var_os("HUIBIAN_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_huibian")), PathBuf::from)
}

/// Peak resident memory of a running process so far (Linux), in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs huibian in the repository root, killing it and failing after `limit`; returns
/// its output, the wall time and the peak memory seen (KiB; sampled every 20 ms, so a
/// lower bound within the last 20 ms of the run).
fn run_measured(args: &[&str], limit: Duration, what: &str) -> (Output, Duration, u64) {
    let mut child = Command::new(binary())
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running huibian");
    // Drain the pipes on threads so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut buf).ok();
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut buf).ok();
        buf
    });
    let started = Instant::now();
    let mut peak = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        peak = peak.max(peak_rss_kib(child.id()).unwrap_or(0));
        if started.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("{what}: still running after {limit:?}, killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    let output = Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    };
    (output, elapsed, peak)
}

/// HTML text with the entities minijinja writes turned back into characters.
fn unescape_html(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// Runs one case in its own folder; `full` builds heavy cases instead of checking them.
fn run_case(case: &Case, full: bool) {
    let name = case.name;
    let (base_out, base_files) = base_outputs();
    let work = tempfile::tempdir().unwrap();
    let ed = work.path().join("ed");
    copy_dir(&corpus("base"), &ed);
    let out = work.path().join("out");
    copy_dir(base_out.path().join("out").as_path(), &out);
    (case.setup)(&ed);

    let build = !case.heavy || full;
    let command = if build { "build" } else { "check" };
    let limit = Duration::from_secs(if case.heavy { 3600 } else { 300 });
    let (output, elapsed, peak_kib) =
        run_measured(&[command, path_str(&ed), "--out", path_str(&out)], limit, name);
    let message = stderr(&output);
    if case.heavy && full {
        eprintln!("{name}: {command} in {elapsed:.1?}, peak RSS {} MiB", peak_kib / 1024);
        // The bounds stated for a release build (README "Tests"); a debug build is
        // held only to the timeout.
        if std::env::var_os("HUIBIAN_BIN").is_some() {
            assert!(elapsed < Duration::from_secs(HEAVY_SECONDS), "{name}: {elapsed:?}");
            assert!(peak_kib < HEAVY_MIB * 1024, "{name}: {} MiB", peak_kib / 1024);
        }
    }

    for bad in ["panicked", "RUST_BACKTRACE", "stack overflow", "root:x:0:0"] {
        assert!(!message.contains(bad), "{name}: `{bad}` in\n{message}");
    }
    assert!(
        !message.contains(['\x1b', '\x07', '\u{202e}']),
        "{name}: terminal control characters echoed:\n{message}"
    );
    let strays = [temporaries(&ed), temporaries(&out)].concat();
    assert!(strays.is_empty(), "{name}: temporaries left: {strays:?}");

    match &case.expect {
        Fails { exit, must_mention } => {
            assert_eq!(output.status.code(), Some(*exit), "{name}:\n{message}");
            for mention in *must_mention {
                assert!(
                    message.contains(mention),
                    "{name}: no `{mention}` in\n{message}"
                );
            }
            assert!(tree(&out) == *base_files, "{name}: the previous outputs changed");
        }
        Builds { mentions, literals } => {
            assert_eq!(output.status.code(), Some(0), "{name}:\n{message}");
            for mention in *mentions {
                assert!(
                    message.contains(mention),
                    "{name}: no `{mention}` in\n{message}"
                );
            }
            if !build {
                return;
            }
            let pdf = open_pdf(&out.join("ed/ed.pdf"));
            let text = compact_text(&pdf);
            assert!(!text.contains("root:x:0:0"), "{name}: /etc/passwd was read");
            let mut html = String::new();
            for (path, bytes) in tree(&out.join("ed/html")) {
                if path.extension().is_some_and(|e| e == "html") {
                    html.push_str(&String::from_utf8(bytes).unwrap());
                }
            }
            // Only the site's own scripts and links: nothing from the sources is markup.
            assert!(!html.contains("<script>alert"), "{name}: script injected");
            assert!(!html.contains("<a>"), "{name}: element injected");
            assert!(!html.contains("href=\"javascript:"), "{name}: javascript: link");
            let html = unescape_html(&html);
            for literal in *literals {
                assert!(
                    text.contains(&compact(literal)),
                    "{name}: not in the PDF: {literal}"
                );
                assert!(html.contains(literal), "{name}: not in the HTML: {literal}");
            }
        }
    }
}

/// Each heavy case, built in full by a release binary, finishes within this time and
/// peak memory (10 MB policy: ~55 s, ~1.1 GiB on the 2-core reference machine).
const HEAVY_SECONDS: u64 = 180;
const HEAVY_MIB: u64 = 1536;

/// Run by hand, with a release binary for the stated bounds:
/// `HUIBIAN_BIN=target/release/huibian cargo test --test testsuite -- --ignored
/// hostile::heavy_cases_build_in_full --nocapture`.
#[test]
#[ignore = "lays out about 3,000 pages: minutes in release, far longer in debug; run by hand with HUIBIAN_BIN"]
fn heavy_cases_build_in_full() {
    for case in CASES.iter().filter(|c| c.heavy) {
        run_case(case, true);
    }
}

#[test]
fn markup_goes_into_the_pdf_title_as_written() {
    let out = tempfile::tempdir().unwrap();
    let pdf = open_pdf(&build_ok(&fixture("hostile"), out.path()));
    assert_eq!(
        pdf.title().as_deref(),
        Some(
            r#"汇编 #read("/etc/passwd") $x$ <a> @b（2021年 #import "x.typ": * <script>alert(1)</script>）"#
        )
    );
}

#[test]
fn bom_and_crlf_give_the_same_book_as_clean_sources_and_are_attached_as_they_are() {
    let work = tempfile::tempdir().unwrap();
    let ed = work.path().join("ed");
    copy_dir(&fixture("basic"), &ed);
    let path = ed.join("优化营商环境/规范性文件失效.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(text.replace('\n', "\r\n").into_bytes());
    std::fs::write(&path, bytes).unwrap();

    let out = work.path().join("out");
    let output = huibian(&["build", path_str(&ed), "--out", path_str(&out)]);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(
        message.contains("warning[bom]: file starts with a byte-order mark"),
        "{message}"
    );
    assert!(message.contains("warning[line-endings]"), "{message}");
    assert!(message.contains("规范性文件失效.md:1:1"), "{message}");
    let clean = tempfile::tempdir().unwrap();
    let clean_ed = clean.path().join("ed");
    copy_dir(&fixture("basic"), &clean_ed);
    let clean_pdf = build_ok(&clean_ed, &clean.path().join("out"));
    // The book is the same; the attached sources are not: they are the files as
    // they are, BOM and CR included, so that import gives back exactly these.
    let carried = |pdf: &Path| {
        huibian::pdf_reader::PdfReader::open(pdf)
            .unwrap()
            .attachments(huibian::pdf_reader::AttachmentLimits {
                files: 100,
                file_bytes: 1 << 20,
                total_bytes: 1 << 24,
            })
            .unwrap()
    };
    let name = "sources/ed/优化营商环境/规范性文件失效.md";
    let attached = carried(&out.join("ed/ed.pdf"));
    let file = attached.iter().find(|a| a.name == name).unwrap();
    assert_eq!(file.bytes, std::fs::read(&path).unwrap(), "attached as on disk");
    assert_ne!(
        carried(&clean_pdf).iter().find(|a| a.name == name).unwrap().bytes,
        file.bytes
    );
    // Without the sources attached, the PDFs are the same, byte for byte.
    for dir in [&ed, &clean_ed] {
        let manifest = dir.join("edition.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        std::fs::write(&manifest, format!("{text}\n[pdf]\nembed_sources = false\n"))
            .unwrap();
    }
    let output = huibian(&["build", path_str(&ed), "--out", path_str(&out)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let clean_pdf = build_ok(&clean_ed, &clean.path().join("out"));
    assert_eq!(
        std::fs::read(out.join("ed/ed.pdf")).unwrap(),
        std::fs::read(clean_pdf).unwrap()
    );
}
