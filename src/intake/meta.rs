//! The metadata a body carries in its own text, lifted into fields: the red header's
//! issuer (`北京市人民政府文件`) and 文号, the title, and the closing signature's
//! issuer and date. The source format keeps these in front matter and the template
//! prints them, so they leave the body once read.
//!
//! What the input states outside the body (a page's metadata table) wins over what the
//! body suggests; where the two disagree, a note says so and which was kept.

use super::{Block, Found, Intake};
use crate::cjk::is_cjk;
use crate::patterns::{find_doc_number, normalise_doc_number, parse_any_date};

pub use crate::patterns::parse_any_date as parse_date;

/// How many paragraphs from the top the red header and the title may stand in.
const HEAD: usize = 10;
/// How many paragraphs from the end the signature may stand in (after it: 附件 lines,
/// `（此件公开发布）`, a 联系人 line).
const TAIL: usize = 8;

/// Lifts the body's own metadata into `intake.fields` and removes the paragraphs that
/// carried it. Returns nothing: what it did is in the fields' `from` and the notes.
pub fn lift(intake: &mut Intake) {
    lift_header(intake);
    lift_title(intake);
    lift_signature(intake);
    lift_validity(intake);
    if let Some(number) = intake.fields.number.as_mut() {
        match normalise_doc_number(&number.value) {
            Some(canonical) if canonical != number.value => {
                intake.notes.push(format!(
                    "文号 {} written as GB/T 9704 writes it: {canonical}",
                    number.value
                ));
                number.value = canonical;
            }
            Some(_) => {}
            None => intake.notes.push(format!(
                "文号 {} is not in the form 机关代字〔年份〕序号号; kept as written",
                number.value
            )),
        }
    }
}

/// The plain text of a paragraph block, without spaces.
fn para(block: &Block) -> Option<String> {
    match block {
        Block::Para(text) => {
            Some(text.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        }
        _ => None,
    }
}

/// Sets a field from the body unless the input already stated it; notes a
/// disagreement.
fn offer<T: PartialEq + std::fmt::Debug>(
    field: &mut Option<Found<T>>,
    value: T,
    from: &str,
    label: &str,
    show: impl Fn(&T) -> String,
    notes: &mut Vec<String>,
) {
    match field {
        None => *field = Some(Found::new(value, from)),
        Some(stated) if stated.value != value => notes.push(format!(
            "{label}: {} says {}, {from} says {}; kept {}",
            stated.from,
            show(&stated.value),
            show(&value),
            show(&stated.value)
        )),
        Some(_) => {}
    }
}

/// 施行日期 and 有效期至 as the text states them (自印发之日起施行，有效期至…), read as
/// `check --suggest` reads them; the paragraphs stay in the body (they are its
/// closing article). What the page states wins, as for every field.
fn lift_validity(intake: &mut Intake) {
    let date = |f: &Option<Found<String>>| {
        f.as_ref().and_then(|f| crate::edition::Date::parse(&f.value, false))
    };
    let dates = crate::validity::suggest::Dates {
        date: date(&intake.fields.date),
        published: date(&intake.fields.published),
        effective: date(&intake.fields.effective),
    };
    let title = intake.fields.title.as_ref().map(|t| t.value.clone()).unwrap_or_default();
    let paragraphs: Vec<&str> = intake
        .blocks
        .iter()
        .map(|b| match b {
            Block::Para(text) => text.as_str(),
            _ => "",
        })
        .collect();
    let readings = crate::validity::suggest::read(paragraphs.into_iter(), &title, dates);
    for (_, _, reading) in readings {
        let Some(value) = reading.value else { continue };
        let field = match reading.key {
            "effective" => &mut intake.fields.effective,
            "expires" => &mut intake.fields.expires,
            _ => continue,
        };
        let from = format!("the text ({})", reading.text);
        offer(field, value, &from, reading.key, |v| v.clone(), &mut intake.notes);
    }
}

/// The red header: `北京市人民政府文件` (issuer + 文件), then the 文号 line, possibly
/// with `签发人：…` beside it. Both lines leave the body.
fn lift_header(intake: &mut Intake) {
    let mut remove = Vec::new();
    for (i, block) in intake.blocks.iter().enumerate().take(HEAD) {
        let Some(text) = para(block) else { continue };
        if let Some(issuers) = header_issuers(&text) {
            remove.push(i);
            offer(
                &mut intake.fields.issuer,
                issuers,
                "the red header",
                "issuer",
                |v| v.join("、"),
                &mut intake.notes,
            );
            continue;
        }
        if let Some((number, range)) = find_doc_number(&text) {
            let rest = format!("{}{}", &text[..range.start], &text[range.end..]);
            let header_line = rest.is_empty()
                || rest.starts_with("签发人")
                || rest.ends_with("签发人")
                || rest.chars().count() <= 12 && !rest.contains(['。', '，', '；']);
            if header_line {
                remove.push(i);
                offer(
                    &mut intake.fields.number,
                    number,
                    "the document's header (文号 line)",
                    "文号",
                    String::clone,
                    &mut intake.notes,
                );
                break;
            }
        }
    }
    for i in remove.into_iter().rev() {
        intake.blocks.remove(i);
    }
}

/// `北京市人力资源和社会保障局北京市财政局文件` → the issuers, when the line is a red
/// header: it ends with 文件 and names bodies.
fn header_issuers(text: &str) -> Option<Vec<String>> {
    let name = text.strip_suffix("文件")?;
    if name.chars().count() < 3 || !name.chars().all(is_cjk) {
        return None;
    }
    let issuers = split_issuers(name);
    issuers.iter().all(|i| is_issuer(i)).then_some(issuers)
}

/// Joint headers write several bodies one after the other: split after each body's
/// final character (局, 委员会, 政府, …) when what follows starts a new name.
fn split_issuers(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        let ends = ISSUER_ENDS.contains(&chars[i]);
        let next_starts = chars[i + 1..].iter().collect::<String>();
        let next_is_name = ["北京", "中共", "国家", "中国", "市", "国务院"]
            .iter()
            .any(|p| next_starts.starts_with(p));
        if ends && (i + 1 == chars.len() || next_is_name) && i + 1 - start >= 3 {
            out.push(chars[start..=i].iter().collect());
            start = i + 1;
        }
    }
    if start < chars.len() {
        out.push(chars[start..].iter().collect());
    }
    out
}

const ISSUER_ENDS: [char; 15] = [
    '局', '委', '会', '府', '心', '院', '部', '厅', '室', '办', '司', '组', '署', '所',
    '处',
];

/// Whether a line names an issuing body: Han characters ending as bodies' names do.
fn is_issuer(text: &str) -> bool {
    let n = text.chars().count();
    (3..=40).contains(&n)
        && text.chars().all(|c| is_cjk(c) && !"，。、；：？！（）“”《》〔〕".contains(c))
        && text.ends_with(ISSUER_ENDS)
}

/// The document types titles end with (GB/T 9704's 文种 and the common 规范性文件).
const TITLE_ENDS: [&str; 22] = [
    "通知", "意见", "方案", "办法", "规定", "决定", "措施", "条例", "细则", "公告",
    "通告", "批复", "函", "规划", "纲要", "指引", "指南", "规则", "要点", "清单", "目录",
    "计划",
];

/// The title: when the input did not state one, the first paragraph (or two or three
/// short ones, a title set over several centred lines) near the top that ends with a
/// document type and no sentence punctuation. A paragraph that repeats the stated
/// title leaves the body either way.
fn lift_title(intake: &mut Intake) {
    if let Some(title) = &intake.fields.title {
        let bare: String = title.value.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(i) = intake
            .blocks
            .iter()
            .take(HEAD)
            .position(|b| para(b).is_some_and(|t| t == bare))
        {
            intake.blocks.remove(i);
        }
        return;
    }
    for start in 0..intake.blocks.len().min(HEAD) {
        let mut joined = String::new();
        for end in start..(start + 3).min(intake.blocks.len()) {
            let Some(text) = para(&intake.blocks[end]) else { break };
            let numbered = crate::numbering::recognize(&text).is_some();
            if text.is_empty()
                || numbered
                || text.contains(['。', '；', '：'])
                || text.chars().count() > 80
            {
                break;
            }
            joined.push_str(&text);
            let n = joined.chars().count();
            if TITLE_ENDS.iter().any(|e| joined.ends_with(e)) && (6..=120).contains(&n) {
                intake.fields.title = Some(Found::new(
                    joined,
                    if end > start {
                        "the body's title lines"
                    } else {
                        "the body's title line"
                    },
                ));
                intake.blocks.drain(start..=end);
                return;
            }
        }
    }
}

/// The signature: issuer line(s), then the date line, near the end. Lines after it
/// (附件, 此件公开发布, 联系人) stay.
fn lift_signature(intake: &mut Intake) {
    let len = intake.blocks.len();
    let from = len.saturating_sub(TAIL);
    for d in (from..len).rev() {
        let Some(text) = para(&intake.blocks[d]) else { continue };
        let Some(date) = parse_any_date(&text) else { continue };
        let mut s = d;
        let mut issuers = Vec::new();
        while s > 0 && d - s < 4 {
            let Some(prev) = para(&intake.blocks[s - 1]) else { break };
            if !is_issuer(&prev) {
                break;
            }
            issuers.insert(0, prev);
            s -= 1;
        }
        offer(
            &mut intake.fields.date,
            date,
            "the signature's date",
            "成文日期",
            String::clone,
            &mut intake.notes,
        );
        if !issuers.is_empty() {
            offer(
                &mut intake.fields.issuer,
                issuers,
                "the signature",
                "issuer",
                |v| v.join("、"),
                &mut intake.notes,
            );
        }
        intake.blocks.drain(s..=d);
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(lines: &[&str]) -> Intake {
        Intake {
            format: "test".into(),
            blocks: lines.iter().map(|l| Block::Para(l.to_string())).collect(),
            ..Intake::default()
        }
    }

    fn body(intake: &Intake) -> Vec<String> {
        intake.blocks.iter().filter_map(para).collect()
    }

    #[test]
    fn a_word_document_gives_up_its_header_title_and_signature() {
        let mut intake = paras(&[
            "北京市人民政府文件",
            "京政发〔2021〕24号",
            "北京市人民政府关于印发《北京市培育和激发市场主体活力",
            "持续优化营商环境实施方案》的通知",
            "各区人民政府，市政府各委、办、局，各市属机构：",
            "现将《方案》印发给你们，请认真贯彻落实。",
            "北京市人民政府",
            "二〇二一年十一月五日",
            "（此件公开发布）",
        ]);
        lift(&mut intake);
        let f = &intake.fields;
        assert_eq!(f.number.as_ref().unwrap().value, "京政发〔2021〕24号");
        assert_eq!(
            f.title.as_ref().unwrap().value,
            "北京市人民政府关于印发《北京市培育和激发市场主体活力持续优化营商环境实施方案》的通知"
        );
        assert_eq!(f.title.as_ref().unwrap().from, "the body's title lines");
        assert_eq!(f.issuer.as_ref().unwrap().value, ["北京市人民政府"]);
        assert_eq!(f.issuer.as_ref().unwrap().from, "the red header");
        assert_eq!(f.date.as_ref().unwrap().value, "2021-11-05");
        assert_eq!(
            body(&intake),
            [
                "各区人民政府，市政府各委、办、局，各市属机构：",
                "现将《方案》印发给你们，请认真贯彻落实。",
                "（此件公开发布）"
            ]
        );
        assert!(intake.notes.is_empty(), "{:?}", intake.notes);
    }

    #[test]
    fn joint_issuers_are_split_and_the_page_wins() {
        let mut intake = paras(&[
            "北京市人力资源和社会保障局北京市财政局文件",
            "京人社就发[2021]08号",
            "正文。",
            "北京市人力资源和社会保障局",
            "北京市财政局",
            "2021年12月1日",
        ]);
        intake.fields.date = Some(Found::new(
            "2021-11-30".to_string(),
            "the page's metadata table (成文日期)",
        ));
        lift(&mut intake);
        let f = &intake.fields;
        assert_eq!(
            f.issuer.as_ref().unwrap().value,
            ["北京市人力资源和社会保障局", "北京市财政局"]
        );
        assert_eq!(f.number.as_ref().unwrap().value, "京人社就发〔2021〕8号");
        assert_eq!(f.date.as_ref().unwrap().value, "2021-11-30");
        assert!(
            intake
                .notes
                .iter()
                .any(|n| n.contains("成文日期") && n.contains("2021-12-01")),
            "{:?}",
            intake.notes
        );
        assert_eq!(body(&intake), ["正文。"]);
    }

    #[test]
    fn a_stated_title_repeated_in_the_body_leaves_it() {
        let mut intake =
            paras(&["关于做好某项工作的通知", "正文第一段。", "正文第二段。"]);
        intake.fields.title =
            Some(Found::new("关于做好某项工作的通知".to_string(), "the page's title"));
        lift(&mut intake);
        assert_eq!(body(&intake), ["正文第一段。", "正文第二段。"]);
        assert!(intake.fields.date.is_none() && intake.fields.issuer.is_none());
    }

    #[test]
    fn sentences_are_not_mistaken_for_metadata() {
        let mut intake = paras(&[
            "一、总体要求",
            "根据京政发〔2020〕3号文件精神，制定本方案。",
            "本方案自2022年1月1日起施行。",
        ]);
        lift(&mut intake);
        assert!(intake.fields.number.is_none());
        assert!(intake.fields.date.is_none());
        assert!(intake.fields.title.is_none());
        assert_eq!(body(&intake).len(), 3);
    }
}
