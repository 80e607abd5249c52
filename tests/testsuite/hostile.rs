//! Source text is data: Typst markup, Markdown-looking characters and HTML in every
//! field print as written, and nothing in them is run or read.

use crate::prelude::*;

#[test]
fn markup_in_every_field_prints_literally() {
    let out = tempfile::tempdir().unwrap();
    let pdf_path = build_ok(&fixture("hostile"), out.path());
    let pdf = open_pdf(&pdf_path);
    let text = compact_text(&pdf);
    for literal in [
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
        r#"第三段 #{ panic("never") } 与 #raw 与 链接 结束。"#,
    ] {
        assert!(text.contains(&compact(literal)), "not printed literally: {literal}");
    }
    // Nothing was read from outside: the password file's usual first entry is absent.
    assert!(!text.contains("root:x:0:0"));
    // The document title carries the raw string too.
    assert_eq!(
        pdf.title().as_deref(),
        Some(
            r#"汇编 #read("/etc/passwd") $x$ <a> @b（2021年 #import "x.typ": * <script>alert(1)</script>）"#
        )
    );
}
