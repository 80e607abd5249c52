use super::*;
use crate::source::Sources;

fn parse_str(text: &str) -> (Doc, Diagnostics) {
    let mut sources = Sources::new();
    let id = sources.add("t.md".into(), text.to_string());
    let mut diags = Diagnostics::default();
    let doc = parse(&sources, id, 0..text.len(), &mut diags);
    (doc, diags)
}

fn texts(doc: &Doc) -> Vec<String> {
    doc.blocks
        .iter()
        .map(|b| match b {
            Block::Heading { level, content, .. } => {
                format!("h{level}:{}", plain_text(content))
            }
            Block::Para { content, .. } => format!("p:{}", plain_text(content)),
            other => format!("{other:?}"),
        })
        .collect()
}

#[test]
fn headings_and_run_in_items() {
    let (doc, _) =
        parse_str("## 一、主要目标\n\n### （一）加强领导\n\n1.建立机制。各区负责。\n");
    assert_eq!(
        texts(&doc),
        ["h1:一、主要目标", "h2:（一）加强领导", "p:1.建立机制。各区负责。"]
    );
}

#[test]
fn soft_break_between_cjk_vanishes_and_between_latin_is_a_space() {
    let (doc, _) = parse_str(
        "坚持系统观念\n和创新思维，\nGB/T 9704\nstandard\n文本\n**粗体**\n继续",
    );
    assert_eq!(texts(&doc), ["p:坚持系统观念和创新思维，GB/T 9704 standard文本粗体继续"]);
}

#[test]
fn spans_point_into_the_file() {
    let text = "前言。\n\n## 一、目标\n";
    let (doc, _) = parse_str(text);
    let span = doc.blocks[1].span();
    assert_eq!(&text[span.range.clone()], "## 一、目标\n");
}

#[test]
fn markup_stays_text() {
    let (doc, _) =
        parse_str("<script>alert(1)</script>\n\n正文 <b>粗</b> #read(\"/etc/passwd\")\n");
    assert_eq!(
        texts(&doc),
        ["p:<script>alert(1)</script>", "p:正文 <b>粗</b> #read(\"/etc/passwd\")"]
    );
}

#[test]
fn tight_list_items_become_paragraphs() {
    let (doc, _) = parse_str("- 甲\n- 乙\n  - 丙\n");
    let Block::List { items, .. } = &doc.blocks[0] else { panic!("{doc:?}") };
    assert_eq!(items.len(), 2);
    assert!(matches!(items[1][1], Block::List { .. }), "{:?}", items[1]);
}

#[test]
fn tables_keep_rows_and_header() {
    let (doc, _) = parse_str("| 序号 | 名称 |\n|---|---|\n| 1 | 甲 |\n| 2 | 乙 |\n");
    let Block::Table { rows, header_rows, .. } = &doc.blocks[0] else {
        panic!("{doc:?}")
    };
    assert_eq!(*header_rows, 1);
    assert_eq!(rows.len(), 3);
    assert_eq!(plain_text(&rows[2][1].content), "乙");
}

#[test]
fn deep_nesting_is_flattened_with_a_warning() {
    let text = format!("{}深\n", ">".repeat(200));
    let (doc, diags) = parse_str(&text);
    assert_eq!(diags.iter().next().map(|d| d.code), Some("deep-nesting"));
    fn depth(blocks: &[Block]) -> usize {
        blocks
            .iter()
            .map(|b| match b {
                Block::Quote { blocks, .. } => 1 + depth(blocks),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    assert!(depth(&doc.blocks) <= MAX_DEPTH);
    assert!(format!("{doc:?}").contains("深"));
}

#[test]
fn inline_spans_cover_their_source_text() {
    let text = "正文**粗体**和\n续行`代码`。\n";
    let (doc, _) = parse_str(text);
    let Block::Para { content, .. } = &doc.blocks[0] else { panic!("{doc:?}") };
    let slices: Vec<&str> = content.iter().map(|i| &text[i.span.range.clone()]).collect();
    assert_eq!(slices, ["正文", "**粗体**", "和\n续行", "`代码`", "。"]);
    assert!(matches!(&content[2].kind, InlineKind::Text(t) if t == "和续行"));
}

/// Each row's cells as `text` or `text[CxR]` when merged.
fn grid(doc: &Doc) -> Vec<String> {
    let Block::Table { rows, .. } = &doc.blocks[0] else { panic!("{doc:?}") };
    rows.iter()
        .map(|row| {
            row.iter()
                .map(|c| {
                    let text = plain_text(&c.content);
                    if c.colspan == 1 && c.rowspan == 1 {
                        text
                    } else {
                        format!("{text}[{}x{}]", c.colspan, c.rowspan)
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn errors(diags: &Diagnostics) -> Vec<(String, String)> {
    diags.iter().map(|d| (d.code.to_string(), d.message.clone())).collect()
}

#[test]
fn merged_cells_become_spans_and_covered_positions_go() {
    let text = "| 项目 | 资金 | << |\n|---|---|---|\n| 甲 | 1 | 2 |\n| 乙 | 3 | << |\n| ^^ | ^^ | ^^ |\n| 合计 | 6 | 丙 |\n";
    let (doc, diags) = parse_str(text);
    assert!(diags.is_empty(), "{:?}", errors(&diags));
    assert_eq!(
        grid(&doc),
        ["项目 资金[2x1]", "甲 1 2", "乙[1x2] 3[2x2]", "", "合计 6 丙"]
    );
    let Block::Table { rows, header_rows, .. } = &doc.blocks[0] else { panic!() };
    assert_eq!(*header_rows, 1);
    assert_eq!(table_columns(rows), 3);
    // A merged cell's span is its own text, where an error about it would point.
    assert_eq!(&text[rows[2][1].span.range.clone()].trim(), &"3");
}

#[test]
fn markers_written_as_text_are_text() {
    let (doc, diags) =
        parse_str("| 甲 | 乙 |\n|---|---|\n| \\^^ | **<<** |\n| a ^^ | <<< |\n");
    assert!(diags.is_empty(), "{:?}", errors(&diags));
    assert_eq!(grid(&doc), ["甲 乙", "^^ <<", "a ^^ <<<"]);
}

#[test]
fn bad_spans_are_errors_at_the_cell_and_keep_the_table_as_written() {
    let cases = [
        // `<<` in the first column.
        ("| 甲 | 乙 |\n|---|---|\n| << | 1 |\n", 3, "first column"),
        // `^^` in the head's first row.
        ("| ^^ | 乙 |\n|---|---|\n| 1 | 2 |\n", 1, "first row"),
        // `^^` from the body into the head.
        ("| 甲 | 乙 |\n|---|---|\n| ^^ | 2 |\n", 3, "head"),
        // An L shape: 乙 spans two columns in row 2 but one in row 3.
        (
            "| a | b | c |\n|---|---|---|\n| 乙 | << | 1 |\n| ^^ | 2 | 3 |\n",
            4,
            "inside the cell merged from row 2 column 1",
        ),
        // A `<<` under a merged cell's first row, sticking out to the right.
        (
            "| a | b | c |\n|---|---|---|\n| 乙 | 1 | 2 |\n| ^^ | << | 3 |\n",
            4,
            "not a rectangle",
        ),
    ];
    for (text, line, says) in cases {
        let mut sources = Sources::new();
        let id = sources.add("t.md".into(), text.to_string());
        let mut diags = Diagnostics::default();
        let doc = parse(&sources, id, 0..text.len(), &mut diags);
        let found: Vec<_> = diags.iter().collect();
        assert_eq!(found.len(), 1, "{text}: {:?}", errors(&diags));
        let d = found[0];
        assert_eq!(
            (d.code, d.severity),
            ("bad-span", crate::diag::Severity::Error),
            "{text}"
        );
        assert!(d.message.contains(says), "{text}: {}", d.message);
        let span = d.span.as_ref().expect("located");
        let (at_line, _) = sources.get(id).line_col(span.range.start);
        assert_eq!(at_line, line, "{text}: {}", d.message);
        // Nothing is merged, nothing lost.
        let Block::Table { rows, .. } = &doc.blocks[0] else { panic!() };
        assert!(rows.iter().flatten().all(|c| c.colspan == 1 && c.rowspan == 1));
        let cells = rows.iter().map(Vec::len).sum::<usize>();
        assert_eq!(
            cells,
            text.lines()
                .filter(|l| !l.starts_with("|-"))
                .map(|l| l.matches('|').count() - 1)
                .sum::<usize>()
        );
    }
}

#[test]
fn br_in_a_cell_is_a_line_break_and_other_html_stays_text() {
    let (doc, _) = parse_str(
        "| 甲 | 乙 |\n|---|---|\n| 一<br>二<br/>三<br />四 | <BR>五<b>六</b> |\n\n段<br>落\n",
    );
    let Block::Table { rows, .. } = &doc.blocks[0] else { panic!() };
    let kinds: Vec<_> = rows[1][0].content.iter().map(|i| &i.kind).collect();
    assert_eq!(
        kinds,
        [
            &InlineKind::Text("一".into()),
            &InlineKind::Break,
            &InlineKind::Text("二".into()),
            &InlineKind::Break,
            &InlineKind::Text("三".into()),
            &InlineKind::Break,
            &InlineKind::Text("四".into()),
        ]
    );
    assert_eq!(plain_text(&rows[1][1].content), "<BR>五<b>六</b>");
    // Outside a cell `<br>` is raw HTML like any other, kept as text.
    assert_eq!(texts(&doc)[1], "p:段<br>落");
}

#[test]
fn an_image_alone_in_its_paragraph_is_a_block() {
    let text = "前文。\n\n![流程图 <script>](../assets/流程图-1.png)\n\n> ![二维码](a/b.png \"标题\")\n";
    let (doc, diags) = parse_str(text);
    assert!(diags.is_empty(), "{:?}", errors(&diags));
    let Block::Image { path, alt, span } = &doc.blocks[1] else { panic!("{doc:?}") };
    assert_eq!(
        (path.as_str(), alt.as_str()),
        ("../assets/流程图-1.png", "流程图 <script>")
    );
    assert_eq!(&text[span.range.clone()], "![流程图 <script>](../assets/流程图-1.png)");
    let Block::Quote { blocks, .. } = &doc.blocks[2] else { panic!("{doc:?}") };
    assert!(
        matches!(&blocks[0], Block::Image { path, .. } if path == "a/b.png"),
        "{blocks:?}"
    );
}

#[test]
fn an_image_inside_text_is_a_warning_and_prints_its_alt_text() {
    let text = "见下图![流程图](a.png)。\n\n## 标题![图](b.png)\n\n| 甲 |\n|---|\n| ![表内](c.png) |\n\n![一](d.png)![二](e.png)\n";
    let (doc, diags) = parse_str(text);
    assert_eq!(texts(&doc)[..2], ["p:见下图流程图。", "h1:标题图"]);
    let found: Vec<_> = diags.iter().collect();
    assert_eq!(found.len(), 5, "{:?}", errors(&diags));
    for d in &found {
        assert_eq!(
            (d.code, d.severity),
            ("inline-image", crate::diag::Severity::Warning)
        );
    }
    let at = |d: &crate::diag::Diagnostic| &text[d.span.as_ref().unwrap().range.clone()];
    assert_eq!(at(found[0]), "![流程图](a.png)");
    assert_eq!(at(found[2]), "![表内](c.png)");
    assert!(matches!(doc.blocks[3], Block::Para { .. }), "{:?}", doc.blocks[3]);
}
