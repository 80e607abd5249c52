//! `edition.toml` loading: arbitrary bytes as the manifest of a folder holding a few
//! real files (a policy, a broken policy, an intro, a sub-folder, a non-Markdown
//! file), then assembling and every `check` rule. Oracle: no panic, no `Err` (the
//! folder is readable, so every problem must be a finding), and every finding points
//! inside its file at character boundaries.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use huibian::diag::Diagnostics;
use huibian::edition::Edition;
use huibian::source::Sources;
use libfuzzer_sys::fuzz_target;

const POLICY: &str = "---\ntitle: 北京市培育和激发市场主体活力持续优化营商环境实施方案\n\
issuer: 北京市人民政府\nnumber: 京政发〔2021〕24号\ndate: 2021-11-05\n---\n\
## 一、主要目标\n\n（一）持续优化营商环境。\n";
const SECOND: &str = "---\ntitle: 关于进一步支持中小企业发展的若干措施\nissuer: [甲, 乙]\n\
date: 2021-12-01\nexcerpt: true\n---\n第一条　为了规范。\n\n第三条　本办法。\n";
const BROKEN: &str = "---\ntitle: [未闭合\n---\n正文\n";
const INTRO: &str = "---\ntitle: 引言\n---\n为帮助企业了解政策，编印本汇编。\n";

/// The edition folder, made once per process; each input replaces its manifest.
static ROOT: LazyLock<(tempfile::TempDir, PathBuf)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("2021-Q4");
    for (path, text) in [
        ("优化营商环境/市场主体活力.md", POLICY),
        ("措施.md", SECOND),
        ("broken.md", BROKEN),
        ("引言.md", INTRO),
        ("notes.txt", "not Markdown"),
    ] {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().expect("a parent")).expect("a folder");
        std::fs::write(full, text).expect("a file");
    }
    (dir, root)
});

fuzz_target!(|data: &[u8]| {
    if data.len() > huibian_fuzz::MAX_INPUT {
        return;
    }
    let root = &ROOT.1;
    std::fs::write(root.join("edition.toml"), data).expect("writing the manifest");
    let mut sources = Sources::new();
    let mut diags = Diagnostics::default();
    let edition = match Edition::load(root, &mut sources, &mut diags) {
        Ok(edition) => edition,
        Err(err) => panic!("loading failed outside the manifest: {err:#}"),
    };
    if let Some(edition) = edition {
        let book = huibian::book::assemble(&edition, &sources, &mut diags);
        huibian::check::check(&edition, &book, &sources, &mut diags);
    }
    huibian_fuzz::check_diagnostics(&sources, &diags);
});
