//! An [`Intake`] → the policy's Markdown file, before `fmt` makes it canonical.
//!
//! The text that arrives is data: every character CommonMark would read as syntax
//! (`*`, `_`, `[`, `<`, a `#` or `>` opening a line, `1. ` opening a list…) is escaped
//! or, for a numbering marker, written in its canonical form without the space that
//! would make it a list. What the input did not give is written as the `【待核：…】`
//! marker `new` uses, so that `check` lists it and nothing is guessed.

use crate::edition::front_matter;
use crate::intake::{Block, Cell, Fields, Intake, Table};
use crate::scaffold::TODO_OPEN;

/// The Markdown text of a policy file: front matter, then the body. `asset_prefix` is
/// the path from the policy file to its images' folder (`../assets/数字贸易`).
pub fn policy_markdown(intake: &Intake, asset_prefix: &str) -> String {
    let mut out = front(&intake.fields);
    for block in &intake.blocks {
        match block {
            Block::Para(text) => {
                let text = paragraph(text);
                if !text.is_empty() {
                    out.push_str(&text);
                    out.push_str("\n\n");
                }
            }
            Block::Table(table) => {
                out.push_str(&pipe_table(table));
                out.push('\n');
            }
            Block::Image { asset, alt } => {
                out.push_str(&format!("![{}]({asset_prefix}/{asset})\n\n", escape(alt)));
            }
        }
    }
    let end = out.trim_end().len();
    out.truncate(end);
    out.push('\n');
    out
}

/// The front matter, in `fmt`'s key order. Title, issuer, 文号 and date are always
/// written, marked for revision when missing; the others only when known.
fn front(fields: &Fields) -> String {
    let todo = |what: &str| format!("{TODO_OPEN}{what}】");
    let value = |f: &Option<crate::intake::Found<String>>, what: &str| {
        f.as_ref().map_or_else(|| todo(what), |f| f.value.clone())
    };
    let mut out = String::from("---\n");
    line(&mut out, "title", &value(&fields.title, "标题"));
    match fields.issuer.as_ref().map(|f| f.value.as_slice()) {
        None | Some([]) => line(&mut out, "issuer", &todo("发文机关")),
        Some([one]) => line(&mut out, "issuer", one),
        Some(many) => {
            out.push_str("issuer:\n");
            for issuer in many {
                out.push_str("  - ");
                out.push_str(&yaml_scalar(issuer));
                out.push('\n');
            }
        }
    }
    line(&mut out, "number", &value(&fields.number, "文号"));
    line(&mut out, "date", &value(&fields.date, "成文日期"));
    for (key, field) in [
        ("published", &fields.published),
        ("source", &fields.source),
        ("effective", &fields.effective),
        ("expires", &fields.expires),
    ] {
        if let Some(found) = field {
            line(&mut out, key, &found.value);
        }
    }
    out.push_str("---\n");
    out
}

fn line(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(": ");
    out.push_str(&yaml_scalar(value));
    out.push('\n');
}

/// A YAML scalar that reads back as exactly `value`: double-quoted with JSON escapes,
/// which YAML accepts, unless plain style is unambiguous (`fmt` then keeps it).
fn yaml_scalar(value: &str) -> String {
    let plain = !value.is_empty()
        && value.chars().all(|c| !c.is_control())
        && !value.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
        && !value.ends_with([' ', ':'])
        && !value.contains(": ")
        && !value.contains(" #")
        && front_matter::parse::<String>(value).is_ok_and(|read| read == value);
    if plain {
        return value.to_string();
    }
    serde_json::Value::String(value.to_string()).to_string()
}

/// One paragraph's text as Markdown: whitespace runs collapsed to one space, a
/// numbering marker's list-making space dropped, syntax escaped.
fn paragraph(text: &str) -> String {
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = collapsed.trim_start_matches('\u{3000}').trim();
    let text = unlist(text);
    escape_line_start(&escape(&text))
}

/// `1. 总则` and `1) 总则` would be a Markdown list; `1.总则` is the canonical marker
/// (DESIGN.md: no space after a marker). Other list openers are escaped later.
fn unlist(text: &str) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &text[digits..];
    if (1..=9).contains(&digits)
        && let Some(after) = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')'))
        && after.starts_with(' ')
    {
        let mark = &text[..digits + 1];
        return format!("{mark}{}", after.trim_start());
    }
    text.to_string()
}

/// Backslash-escapes the inline syntax CommonMark (with tables and strikethrough)
/// reads anywhere in a line: escapes, code, emphasis, links (an image's `!` is
/// harmless once its `[` is escaped), HTML and autolinks, strikethrough, entities.
/// `>` and `|` mean something only at a line's start and in a table.
fn escape(text: &str) -> String {
    escape_with(text, "")
}

fn escape_with(text: &str, more: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if "\\`*_[]<~&".contains(c) || more.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what opens a block at the start of a line: a heading `#`, a bullet
/// `- `/`+ `, a thematic break or setext underline (`---`, `===`), an indented code
/// block (four spaces cannot survive [`paragraph`], tabs neither).
fn escape_line_start(text: &str) -> String {
    let first = text.chars().next();
    match first {
        Some('#' | '-' | '+' | '=' | '>') => format!("\\{text}"),
        _ => text.to_string(),
    }
}

/// A GFM pipe table; merged cells are written with the span marks the parser reads:
/// `<<` for a position covered in the first row of a span, `^^` in its later rows.
/// The first row is the table's head (pipe tables need one).
fn pipe_table(table: &Table) -> String {
    let grid = grid(table);
    let Some(width) = grid.iter().map(Vec::len).max().filter(|w| *w > 0) else {
        return String::new();
    };
    let mut out = String::new();
    for (r, row) in grid.iter().enumerate() {
        out.push('|');
        for c in 0..width {
            let text = match row.get(c) {
                Some(Slot::Origin(cell)) => cell_text(&cell.text),
                Some(Slot::Left) => "<<".to_string(),
                Some(Slot::Above) => "^^".to_string(),
                None | Some(Slot::Empty) => String::new(),
            };
            out.push(' ');
            out.push_str(&text);
            out.push_str(" |");
        }
        out.push('\n');
        if r == 0 {
            out.push('|');
            out.push_str(&" --- |".repeat(width));
            out.push('\n');
        }
    }
    out
}

/// What stands at one position of the table's grid.
#[derive(Debug, Clone, PartialEq)]
enum Slot<'a> {
    Origin(&'a Cell),
    Left,
    Above,
    Empty,
}

/// Lays the cells out on a grid, each cell's span marked on the positions it covers.
/// A span that would run into an occupied position or past the last row is cut
/// there: the input's table was not a grid, and the text is kept either way.
fn grid(table: &Table) -> Vec<Vec<Slot<'_>>> {
    let rows = table.rows.len();
    let mut grid: Vec<Vec<Slot<'_>>> = vec![Vec::new(); rows];
    for (r, row) in table.rows.iter().enumerate() {
        let mut c = 0;
        for cell in row {
            while grid[r].get(c).is_some_and(|s| *s != Slot::Empty) {
                c += 1;
            }
            let colspan = cell.colspan.clamp(1, 64) as usize;
            let rowspan = (cell.rowspan.clamp(1, 1024) as usize).min(rows - r);
            for dr in 0..rowspan {
                let line = &mut grid[r + dr];
                if line.len() < c + colspan {
                    line.resize(c + colspan, Slot::Empty);
                }
                for dc in 0..colspan {
                    if line[c + dc] != Slot::Empty {
                        continue;
                    }
                    line[c + dc] = match (dr, dc) {
                        (0, 0) => Slot::Origin(cell),
                        (0, _) => Slot::Left,
                        _ => Slot::Above,
                    };
                }
            }
            c += colspan;
        }
    }
    grid
}

/// A cell's text in a pipe table: lines joined with `<br>`, syntax escaped; a text
/// that is exactly a span mark is escaped so it stays text.
fn cell_text(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| escape_with(&l.split_whitespace().collect::<Vec<_>>().join(" "), "|"))
        .filter(|l| !l.is_empty())
        .collect();
    let joined = lines.join("<br>");
    match joined.as_str() {
        "^^" => "\\^^".to_string(),
        _ => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::Found;

    #[test]
    fn syntax_in_the_text_is_escaped() {
        assert_eq!(paragraph("# 不是标题"), "\\# 不是标题");
        assert_eq!(paragraph("- 不是列表"), "\\- 不是列表");
        assert_eq!(
            paragraph("**粗**和[链接](javascript:x)"),
            "\\*\\*粗\\*\\*和\\[链接\\](javascript:x)"
        );
        assert_eq!(
            paragraph("<script>alert(1)</script>"),
            "\\<script>alert(1)\\</script>"
        );
        assert_eq!(paragraph("　　一、总体要求"), "一、总体要求");
        assert_eq!(paragraph("1. 建立制度。"), "1.建立制度。");
        assert_eq!(paragraph("2021. 年"), "2021.年");
        assert_eq!(paragraph("3.5 万元"), "3.5 万元");
    }

    #[test]
    fn missing_fields_are_marked_for_revision() {
        let intake = Intake {
            fields: Fields {
                title: Some(Found::new("关于某事的通知".to_string(), "x")),
                ..Fields::default()
            },
            blocks: vec![Block::Para("正文。".into())],
            ..Intake::default()
        };
        assert_eq!(
            policy_markdown(&intake, "../assets/x"),
            "---\ntitle: 关于某事的通知\nissuer: 【待核：发文机关】\nnumber: 【待核：文号】\ndate: 【待核：成文日期】\n---\n正文。\n"
        );
    }

    #[test]
    fn merged_cells_become_span_marks() {
        let mut wide = Cell::new("甲");
        wide.colspan = 2;
        wide.rowspan = 2;
        let mut tall = Cell::new("丙");
        tall.rowspan = 2;
        let table = Table {
            rows: vec![
                vec![wide, tall, Cell::new("丁|戊")],
                vec![Cell::new("己")],
                vec![
                    Cell::new("1"),
                    Cell::new("2"),
                    Cell::new("行一\n行二"),
                    Cell::new("^^"),
                ],
            ],
            header_rows: 1,
        };
        assert_eq!(
            pipe_table(&table),
            "| 甲 | << | 丙 | 丁\\|戊 |\n| --- | --- | --- | --- |\n| ^^ | ^^ | ^^ | 己 |\n| 1 | 2 | 行一<br>行二 | \\^^ |\n"
        );
    }

    #[test]
    fn hostile_yaml_values_read_back_as_written() {
        for value in
            ["a: b", "- x", "'q'", "\"d\"", "true", "x #y", "#z", "多行\n值", "12"]
        {
            let written = yaml_scalar(value);
            let read: String = front_matter::parse(&written).unwrap();
            assert_eq!(read, value, "{written}");
        }
    }
}
