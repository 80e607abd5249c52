use super::*;

fn fmt_policy(text: &str) -> String {
    format(text, Role::Policy, Options::default()).unwrap().text
}

const HEAD: &str = "---\ntitle: 北京市进一步强化节能实施方案\n---\n";

#[test]
fn canonical_policy_is_unchanged() {
    let text = format!(
        "{HEAD}为推动首都高质量发展，特制定本方案。\n\n## 一、目标要求\n\n### （一）加强组织领导\n\n1.建立工作机制。各区负责落实。\n"
    );
    assert_eq!(fmt_policy(&text), text);
}

#[test]
fn messy_policy_becomes_canonical() {
    let messy = "---\ndate: 2021-11-05\ntitle: 北京市进一步强化节能实施方案\nissuer: [北京市人民政府]\n---\n为推动首都高质量发展 ,特制定本方案.\n\n\n一、 目标要求\n\n#### (一)加强组织领导\n\n1、建立工作机制(试行);各区负责落实。\n2. 加强 考核。\n";
    let want = "---\ntitle: 北京市进一步强化节能实施方案\nissuer: 北京市人民政府\ndate: 2021-11-05\n---\n为推动首都高质量发展，特制定本方案.\n\n## 一、目标要求\n\n### （一）加强组织领导\n\n1.建立工作机制（试行）；各区负责落实。\n\n2.加强考核。\n";
    assert_eq!(fmt_policy(messy), want);
    assert_eq!(fmt_policy(want), want, "idempotent");
}

#[test]
fn a_title_is_normalised_but_a_joint_title_keeps_its_issuers_apart() {
    let body = "为贯彻落实有关要求，现就有关问题通知如下。\n";
    for (title, want) in [
        (
            "北京市医疗保障局  北京市人力资源和社会保障局关于调整药品报销范围(试行)的通知",
            "北京市医疗保障局 北京市人力资源和社会保障局关于调整药品报销范围（试行）的通知",
        ),
        ("北京市进一步强化 节能实施方案", "北京市进一步强化节能实施方案"),
        (
            "北京市人民政府 关于支持综合保税区的实施意见",
            "北京市人民政府关于支持综合保税区的实施意见",
        ),
    ] {
        let out = fmt_policy(&format!("---\ntitle: {title}\n---\n{body}"));
        assert_eq!(out, format!("---\ntitle: {want}\n---\n{body}"), "{title}");
        assert_eq!(fmt_policy(&out), out, "idempotent");
    }
}

#[test]
fn articles_and_chapters() {
    let head = "---\ntitle: 北京市单用途预付卡管理条例\n---\n";
    let messy = format!(
        "{head}第一章  总则\n\n第一条 为了加强管理，制定本条例。\n\n## 第二条　经营者应当遵守法律。\n"
    );
    let want = format!(
        "{head}## 第一章 总则\n\n第一条　为了加强管理，制定本条例。\n\n第二条　经营者应当遵守法律。\n"
    );
    assert_eq!(fmt_policy(&messy), want);
}

#[test]
fn renumber_repairs_sequences_and_reports_them() {
    let text = format!("{HEAD}## 一、目标\n\n（一）甲。\n\n（三）乙。\n\n## 三、保障\n");
    let out = format(&text, Role::Policy, Options { renumber: true }).unwrap();
    assert_eq!(
        out.text,
        format!("{HEAD}## 一、目标\n\n（一）甲。\n\n（二）乙。\n\n## 二、保障\n")
    );
    assert_eq!(
        out.renumbered,
        [
            (8, "（三）".to_string(), "（二）".to_string()),
            (10, "三、".to_string(), "二、".to_string())
        ]
    );
    let excerpt = text.replace("title:", "excerpt: true\ntitle:");
    let out = format(&excerpt, Role::Policy, Options { renumber: true }).unwrap();
    assert!(out.renumbered.is_empty());
    assert!(out.renumber_skipped.is_some());
}

#[test]
fn markup_blocks_and_unknown_text_are_kept() {
    let body = "见[链接](http://example.com/a,b)和`代码 ,`。\n\n| 序号 | 名称 |\n|---|---|\n| 1 | 甲 , 乙 |\n\n[ref]: http://example.com\n\n```\n代码 , 块\n```\n";
    let text = format!("{HEAD}{body}");
    assert_eq!(fmt_policy(&text), text);
}

#[test]
fn text_files_without_front_matter() {
    let out = format("引言 正文,第二句。\n", Role::Text, Options::default()).unwrap();
    assert_eq!(out.text, "引言正文，第二句。\n");
}

#[test]
fn errors_leave_the_file_alone() {
    assert_eq!(
        format("正文\n", Role::Policy, Options::default()),
        Err(FormatError::NoFrontMatter)
    );
    assert_eq!(
        format("---\ntitle: 甲\n", Role::Policy, Options::default()),
        Err(FormatError::Unclosed)
    );
    assert!(matches!(
        format("---\ntitel: 甲\n---\n", Role::Policy, Options::default()),
        Err(FormatError::Yaml(_))
    ));
}

#[test]
fn comments_in_front_matter_keep_it_verbatim() {
    let text = "---\n# 待核对\ndate: 2021-11-05\ntitle: 甲\n---\n正文。\n";
    assert_eq!(fmt_policy(text), text);
}

/// The Han characters and digits (full-width digits folded) of a text, in order.
fn han_and_digits(text: &str) -> String {
    numbering::numerals::fold_fullwidth_digits(text)
        .chars()
        .filter(|&c| c.is_ascii_digit() || (is_cjk(c) && c.is_alphabetic()))
        .collect()
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Pieces editors paste: Han words, markers in every width, punctuation of both
    /// widths, spaces, Latin, digits, line and paragraph breaks, stray `#`s.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "主要目标",
            "加强",
            "组织领导",
            "市场主体",
            "，",
            ",",
            "。",
            ".",
            "：",
            ":",
            "；",
            ";",
            "（",
            "(",
            "）",
            ")",
            "“",
            "”",
            "《",
            "》",
            " ",
            "  ",
            "\u{3000}",
            "\n",
            "\n\n",
            "一、",
            "二、",
            "（一）",
            "(二)",
            "1.",
            "2、",
            "１．",
            "（1）",
            "第一条",
            "第二章 ",
            "第三条 ",
            "①",
            "## ",
            "### ",
            "GB/T 9704-2012",
            "2021",
            "年",
            "http://a.cn/x,y",
            "abc",
            "Latin words",
            "5.5%",
            "十一",
            "〔2021〕",
            "号",
            "-",
            "*",
            "附件：",
            "\"",
        ])
    }

    fn document() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..60).prop_map(|pieces| {
            format!("---\ntitle: 北京市某某实施方案\n---\n{}", pieces.concat())
        })
    }

    /// 400 cases from a fixed seed, so CI is deterministic; `PROPTEST_CASES=20000
    /// PROPTEST_RNG_SEED=<n>` explores further (100,000 cases over five seeds passed
    /// when this was written).
    fn config() -> ProptestConfig {
        let env =
            |name| std::env::var(name).ok().and_then(|v: String| v.parse::<u64>().ok());
        ProptestConfig {
            cases: env("PROPTEST_CASES").map_or(400, |n| n as u32),
            rng_seed: proptest::test_runner::RngSeed::Fixed(
                env("PROPTEST_RNG_SEED").unwrap_or(20_211_227),
            ),
            ..ProptestConfig::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn keeps_every_han_character_and_digit(text in document()) {
            let out = format(&text, Role::Policy, Options::default()).unwrap().text;
            prop_assert_eq!(han_and_digits(&out), han_and_digits(&text));
        }

        #[test]
        fn is_idempotent(text in document()) {
            let once = format(&text, Role::Policy, Options::default()).unwrap().text;
            let twice = format(&once, Role::Policy, Options::default()).unwrap().text;
            prop_assert_eq!(twice, once);
        }
    }
}

/// Found by the `fmt` fuzz target: a paragraph's continuation line indented 4 spaces
/// (`    - #`) lost its indentation and became a list item, so a second `fmt` changed
/// the file again. A continuation line that would start a block keeps its indent.
#[test]
fn continuation_line_that_would_start_a_block_keeps_its_indent() {
    for text in [
        " 1（２）\n    - # ",
        "甲乙\n  > 丙\n",
        "甲乙\n   1. 丙\n",
        "甲乙\n  # 丙\n",
        "甲乙\n    ---\n",
        "甲乙\n    ===\n",
        "甲乙\n    ```\n丙\n",
        // Normalising removes the spaces that made the line a list item.
        "#1 .1\n                        +       段 #read(\"/etc/pa      -",
        // Two continuation lines that, unindented, make a table together.
        "k +\nB\t\t\t#k k +\n\t\t\t\t|\t+\n\t\t-|\n\n\t\t- ",
    ] {
        let once = format(text, Role::Text, Options::default()).unwrap().text;
        let twice = format(&once, Role::Text, Options::default()).unwrap().text;
        assert_eq!(once, twice, "{text:?}");
    }
    // An indent that changes nothing is still dropped.
    let text = "甲乙\n    丙丁\n";
    assert_eq!(
        format(text, Role::Text, Options::default()).unwrap().text,
        "甲乙\n丙丁\n"
    );
}

/// Found by the `fmt` fuzz target: a paragraph split into two numbered items was
/// normalised as a whole, so markup in the first item (`>`) kept the second one raw
/// the first time and not the second time.
#[test]
fn each_split_item_is_normalised_on_its_own() {
    let text = "2、提升获得感(责任单位:市发> 展改革委);各区负责落实。\n2. 完善 投诉 处理机制。\n";
    let once = format(text, Role::Text, Options::default()).unwrap().text;
    assert_eq!(
        once,
        "2.提升获得感(责任单位:市发> 展改革委);各区负责落实。\n\n2.完善投诉处理机制。\n"
    );
    let twice = format(&once, Role::Text, Options::default()).unwrap().text;
    assert_eq!(once, twice);
}

/// Found by the `fmt` fuzz target (`--renumber`, idempotence): a marker behind a
/// vertical tab was numbered by the plan (which reads trimmed text) but not rewritten
/// (the marker was not seen behind the tab), so the next `fmt` renumbered it.
#[test]
fn renumber_sees_a_marker_behind_any_white_space() {
    let renumber = Options { renumber: true };
    for text in [
        "\u{b}\u{b}②\u{b}\u{b}\u{1}<c+s-~[>\n",
        "\u{b}②加强领导\n",
        "\u{c}（二）加强领导\n",
        // A marker broken over two lines is renumbered as the plan read it, joined.
        "\n\n\n\n㈠\n\n\n\n(一\n)\t\n2\n\nz1\n",
        // Renumbered `771．` alone would be `1.`: an ordered list item.
        "10\n-\n771．\nA\n６1６\u{ef1b}z\n~~:",
        // Renumbering `2. 。.` (a list item as written) to `1.。.` (a paragraph) must
        // settle the next line's indent as the final text needs it.
        "瀂!\n2. 。. \u{11}\n\t<",
    ] {
        let once = format(text, Role::Text, renumber).unwrap().text;
        let twice = format(&once, Role::Text, renumber).unwrap().text;
        assert_eq!(once, twice, "{text:?}");
    }
}

/// Found by the `fmt` fuzz target: `issuer: []` was written `issuer:` (null), which
/// the next `fmt` dropped.
#[test]
fn an_empty_issuer_list_stays() {
    let text = "---\ntitle: 标题\nissuer: [\n\n ]\n---\n正文。\n";
    let once = fmt_policy(text);
    assert_eq!(once, "---\ntitle: 标题\nissuer: []\n---\n正文。\n");
    assert_eq!(fmt_policy(&once), once);
}
