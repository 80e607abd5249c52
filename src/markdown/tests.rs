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
    assert_eq!(plain_text(&rows[2][1]), "乙");
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
