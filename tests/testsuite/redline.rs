//! `diff OLD NEW --format pdf`: the new edition typeset with its changes marked, on
//! a known change set made from 2021-Q4 (an amount and a count changed, a numbered
//! item deleted, a policy added and one removed), read back with lopdf.

use std::path::Path;

use crate::prelude::*;

/// Applies the change set to a copy of 2021-Q4.
fn change(new: &Path) {
    let edit = |rel: &str, from: &str, to: &str| {
        let path = new.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel}: no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "科技创新领域/专精特新中小企业.md",
        "第一年最高支持200万元",
        "第一年最高支持300万元",
    );
    edit("科技创新领域/专精特新中小企业.md", "每年遴选不少于30家", "每年遴选不少于50家");
    edit(
        "人力社保领域/人力资源服务京津冀区域协同地方标准.md",
        "（2）取得职业中介活动行政许可、开展人力资源服务备案业务且年度报告营业额10万元以上的经营性人力资源服务机构，未被列入国家企业信用信息经营异常名录和严重违法失信企业名单（黑名单）。\n",
        "",
    );
    edit("edition.toml", "  \"优化营商环境/强化节能.md\",\n", "");
    edit(
        "edition.toml",
        "  \"优化营商环境/单用途预付卡.md\",\n",
        "  \"优化营商环境/单用途预付卡.md\",\n  \"优化营商环境/新增政策.md\",\n",
    );
    std::fs::copy(fixture("diff/新增政策.md"), new.join("优化营商环境/新增政策.md"))
        .unwrap();
}

/// The physical page (1-based) whose printed label is `label`, in the body.
fn page_labelled(pdf: &Pdf, label: &str) -> u32 {
    let labels = pdf.page_labels();
    let at = labels
        .iter()
        .rposition(|l| l == label)
        .unwrap_or_else(|| panic!("no page {label}"));
    at as u32 + 1
}

/// The text of a page without its running header and folio.
fn body_text(pdf: &Pdf, page: u32) -> String {
    let text = compact(&pdf.text(page));
    let text = text.trim_start_matches("北京市支持民营企业高质量发展政策汇编");
    text.trim_end_matches(|c: char| c.is_ascii_digit() || c == '—').to_string()
}

#[test]
fn a_redline_marks_each_change_on_the_page_its_note_names() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    copy_dir(&root().join("sources/2021-Q4"), &old);
    copy_dir(&root().join("sources/2021-Q4"), &new);
    change(&new);
    let red = dir.path().join("red.pdf");
    let output = huibian(&[
        "diff",
        path_str(&old),
        path_str(&new),
        "--format",
        "pdf",
        "--output",
        path_str(&red),
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "differences found: {err}");
    assert!(err.contains("5 changes listed"), "{err}");
    let pdf = open_pdf(&red);

    // The 变更说明 comes right after the cover, and says what changed.
    let notes = compact(&pdf.text(2));
    assert!(notes.starts_with("北京市支持民营企业高质量发展政策汇编变更说明"), "{notes}");
    assert!(notes.contains("新增1件、删除1件、修订2件"), "{notes}");
    assert!(
        notes.contains("删除北京市进一步强化节能实施方案：原列“优化营商环境”"),
        "{notes}"
    );

    // Each line's page holds its mark.
    let lines = [
        ("「200万元」改为「300万元」", vec!["200万元", "300万元"]),
        ("「30家」改为「50家」", vec!["不少于30家50家数字化"]),
        ("删除「（2）取得职业中介活动行政许", vec!["（2）取得职业中介活动行政许可"]),
        (
            "北京市关于促进夜间经济繁荣发展的若干措施：列入“优化营商环境”",
            vec!["北京市关于促进夜间经济繁荣发展的若干措施〔新增〕"],
        ),
    ];
    for (line, marks) in lines {
        let at = notes.find(line).unwrap_or_else(|| panic!("no `{line}` in {notes}"));
        let after = &notes[at + line.len()..];
        let label: String = after
            .trim_start_matches(|c: char| {
                c == '.'
                    || c == '…'
                    || c == '」'
                    || !c.is_ascii_digit() && c != '修' && c != '删' && c != '新'
            })
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        assert!(!label.is_empty(), "no page after `{line}`");
        let page = body_text(&pdf, page_labelled(&pdf, &label));
        for mark in marks {
            assert!(
                page.contains(mark),
                "`{mark}` not on page {label} for `{line}`:\n{page}"
            );
        }
    }

    // The changed policies are flagged in the 目录.
    let toc: String = (3..=6).map(|p| compact(&pdf.text(p))).collect();
    assert!(toc.contains("企业高质量发展的若干措施〔修订〕"), "{toc}");
    assert!(!toc.contains("强化节能"), "the removed policy is not in the 目录");

    // Unchanged text typesets as in the normal build: the first page of a policy
    // the change set does not touch.
    let out = dir.path().join("out");
    let normal_path = build_ok(&new, &out);
    let normal = open_pdf(&normal_path);
    let title = "北京市关于促进数字贸易高质量发展的若干措施";
    let first = |pdf: &Pdf| {
        // The 目录 names it too; the body page starts with its category's title.
        (1..=pdf.page_count() as u32)
            .map(|p| body_text(pdf, p))
            .find(|t| t.starts_with(&format!("2.科技创新领域{title}")))
            .unwrap_or_else(|| panic!("no page starts with {title}"))
    };
    assert_eq!(first(&pdf), first(&normal));

    // A redline is another document than the edition it marks: the permanent part of
    // its PDF identifier differs (a reader's cache or an archive must not take one
    // for a version of the other).
    let permanent_id = |path: &Path| {
        let doc = lopdf::Document::load(path).unwrap();
        let id = doc.trailer.get(b"ID").and_then(|id| id.as_array()).unwrap().clone();
        id[0].as_str().unwrap().to_vec()
    };
    assert_ne!(permanent_id(&red), permanent_id(&normal_path));
}
