use super::*;
use crate::book::Markers;
use crate::diag::Diagnostics;
use crate::source::Sources;

/// A policy read from a whole file's text, as loading and assembling read it.
fn policy(text: &str) -> (Policy, Sources) {
    let mut sources = Sources::new();
    let id = sources.add("p.md".into(), text.to_string());
    let mut diags = Diagnostics::default();
    let file = crate::edition::parse_policy(&sources, id, "p.md".into(), &mut diags)
        .expect("the test's front matter loads");
    let doc = crate::markdown::parse(&sources, id, file.body.clone(), &mut diags);
    let policy = Policy {
        id: "p".into(),
        markers: Markers::of_doc(&doc, Some(&file.meta.title)),
        validity: crate::validity::derive(&file.meta, None, None),
        meta: file.meta,
        doc,
        source: id,
        path: "p.md".into(),
    };
    (policy, sources)
}

/// (key, value, the source text of the span) of every suggestion for `body`.
fn read(front: &str, body: &str) -> Vec<(&'static str, Option<String>, String)> {
    let text = format!("---\ntitle: 北京市某某管理办法\n{front}---\n{body}\n");
    let (policy, sources) = policy(&text);
    suggest(&policy, &sources)
        .into_iter()
        .map(|s| {
            let spanned =
                sources.get(s.span.source).text[s.span.range.clone()].to_string();
            (s.key, s.value, spanned)
        })
        .collect()
}

fn v(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn a_dated_commencement() {
    // 零售药店医疗保障定点管理暂行办法, 第五十条.
    assert_eq!(
        read("", "第五十条　本办法由市医疗保障行政部门负责解释，自2022年1月1日起施行。"),
        vec![("effective", v("2022-01-01"), "自2022年1月1日起施行".into())]
    );
    // 单用途预付卡管理条例, 第三十五条: the second sentence is about the card issuers.
    assert_eq!(
        read(
            "",
            "第三十五条　本条例自2022年6月1日起施行。本条例施行前已经发行预付卡的经营者，应当自本条例施行之日起九十日内完成备案。"
        ),
        vec![("effective", v("2022-06-01"), "自2022年6月1日起施行".into())]
    );
}

#[test]
fn from_issue_counts_from_the_date_and_a_term_from_there() {
    assert_eq!(
        read("date: 2021-11-05\n", "本措施自印发之日起施行，有效期3年。"),
        vec![
            ("effective", v("2021-11-05"), "自印发之日起施行".into()),
            ("expires", v("2024-11-04"), "有效期3年".into()),
        ]
    );
    // Without a date the rule is still read, and says what it lacks.
    assert_eq!(
        read("", "本措施自印发之日起施行，有效期3年。"),
        vec![
            ("effective", None, "自印发之日起施行".into()),
            ("expires", None, "有效期3年".into()),
        ]
    );
    // 发布 counts from the publication date when the front matter has one.
    assert_eq!(
        read("date: 2021-11-05\npublished: 2021-11-12\n", "本通知自发布之日起实施。"),
        vec![("effective", v("2021-11-12"), "自发布之日起实施".into())]
    );
}

#[test]
fn an_end_date_and_a_trial_term_in_chinese_numerals() {
    assert_eq!(
        read("", "本通知自2022年1月1日起施行，有效期至2023年12月31日。"),
        vec![
            ("effective", v("2022-01-01"), "自2022年1月1日起施行".into()),
            ("expires", v("2023-12-31"), "有效期至2023年12月31日".into()),
        ]
    );
    assert_eq!(
        read("", "本细则自二〇二二年一月一日起施行，试行两年。"),
        vec![
            ("effective", v("2022-01-01"), "自二〇二二年一月一日起施行".into()),
            ("expires", v("2023-12-31"), "试行两年".into()),
        ]
    );
    // The term counts from the front matter's effective date when the text gives none.
    assert_eq!(
        read("effective: 2022-03-01\n", "本办法有效期为五年。"),
        vec![("expires", v("2027-02-28"), "有效期为五年".into())]
    );
}

#[test]
fn repeals_name_the_number_or_the_title() {
    assert_eq!(
        read(
            "",
            "本办法自2022年1月1日起施行。《北京市小微型客车租赁管理办法》（京交运发[2016]012号）同时废止。"
        ),
        vec![
            ("effective", v("2022-01-01"), "自2022年1月1日起施行".into()),
            ("repeals", v("[京交运发〔2016〕12号]"), "同时废止".into()),
        ]
    );
    assert_eq!(
        read("", "同时废止《北京市某某暂行办法》和《北京市某某细则》。"),
        vec![("repeals", v("[北京市某某暂行办法, 北京市某某细则]"), "同时废止".into())]
    );
}

#[test]
fn near_misses_are_not_read() {
    for body in [
        // A certificate's term, not the document's (人力资源服务京津冀区域协同地方标准).
        "等级证书有效期为3年，A级机构期满无需申请、自动续期。",
        // A filing's term (小微型客车租赁经营服务管理办法).
        "4.备案届满延续。备案有效期三年，有效期届满企业需延续经营的，应当在到期前30日内申请。",
        // 有效期限 in a contract clause (单用途预付卡管理条例).
        "第十四条　预付卡设定有效期限、预收金额较大等对消费者有重大利害关系的内容，经营者应当作出说明。",
        // 废止 inside a quoted title repeals nothing.
        "按照《北京市人民政府关于废止部分规章的决定》有关要求执行。",
        // A date on which the firms, not the document, start something.
        "企业自2022年1月1日起实施新的工资标准。",
        // 废止日期 describes.
        "本办法的废止日期另行公布。",
    ] {
        assert_eq!(read("", body), vec![], "{body}");
    }
}

#[test]
fn a_voiding_decision_lists_what_it_voids() {
    let text = "---\ntitle: 北京市某某委员会关于宣布部分行政规范性文件失效的决定\n---\n\
        按照《国务院办公厅关于开展清理工作的通知》（国办函〔2021〕39号）等文件要求，决定对下列文件宣布失效。\n\n\
        1.《北京市某某管理办法》（京管发〔2015〕3号）\n\n\
        2.《北京市某某工作规定》\n";
    let (policy, sources) = policy(text);
    let found = suggest(&policy, &sources);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].key, "repeals");
    assert_eq!(
        found[0].value.as_deref(),
        Some("[京管发〔2015〕3号, 北京市某某工作规定]")
    );
}

#[test]
fn a_half_width_bracket_before_the_number_is_read_too() {
    assert_eq!(
        read("", "《北京市某某办法》(京政发〔2016〕2号)同时废止。"),
        vec![("repeals", v("[京政发〔2016〕2号]"), "同时废止".into())]
    );
}

#[test]
fn no_text_makes_the_reader_panic() {
    // Every cut of sentences that mix the phrases, brackets of both widths and
    // multi-byte characters, read from every starting character.
    let text = "本办法自2022年1月1日起施行，有效期3年。《甲》(京政发〔2016〕2号)、《乙》（京政办发[2017]03号）同时废止；本通知自印发之日起实施，试行两年。";
    let chars: Vec<usize> =
        text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    for &a in &chars {
        for &b in chars.iter().filter(|&&b| b >= a).step_by(7) {
            let _ = read("date: 2021-11-05\n", &text[a..b]);
        }
    }
}
