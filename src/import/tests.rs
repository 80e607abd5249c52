//! Each repair on small strings cut from the 2021-Q4 seed, then the whole seed.

use super::paragraphs::{Block, Kind, build_blocks, marker, words};
use super::policy::{file_stem, is_doc_number, parse_date, short_name};
use super::tokens::{strip_page_numbers, tokenize};
use super::*;

const SEED: &str = include_str!("../../tests/fixtures/seed-2021-Q4.txt");

fn paras(s: &str) -> Vec<Block> {
    build_blocks(&words(s), &mut ImportReport::default())
}

fn para(s: &str) -> Block {
    Block::Para(s.to_string())
}

#[test]
fn drops_file_name_banner() {
    let mut r = ImportReport::default();
    let toks = tokenize("汇编(2021年四季度).pdf\n北京市 (2021 年四季度)\n\n", &mut r);
    let texts: Vec<_> = toks.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts, ["北京市", "(2021", "年四季度)"]);
    assert_eq!(toks[0].off, "汇编(2021年四季度).pdf\n".len());
    assert_eq!(r.repairs.get("file_name_line"), Some(&1));
}

#[test]
fn strips_page_numbers_in_sequence_only() {
    let filler = "相关要求可考核".repeat(20);
    let text = format!(
        "{filler} 4 操作,杜绝模糊表述 等 5 项 {filler}等 4 枚印章 {filler} 5 一次申请"
    );
    let mut r = ImportReport::default();
    let toks = tokenize(&text, &mut r);
    let (body, markers) = strip_page_numbers(&toks, 4, &mut r);
    let joined = joined(&body);
    assert!(joined.contains("考核 操作"), "{joined}");
    assert!(joined.contains("等 4 枚印章"));
    assert!(
        joined.contains("等 5 项"),
        "a number too close to the last page number stays"
    );
    assert!(joined.ends_with("考核 一次申请"));
    assert_eq!(markers.iter().map(|m| m.page).collect::<Vec<_>>(), [4, 5]);
}

#[test]
fn markers() {
    assert_eq!(marker("一、主要目标").map(|m| m.0), Some(Kind::Cn));
    assert_eq!(marker("(一)着力打造").map(|m| m.0), Some(Kind::ParenCn));
    assert_eq!(marker("（十一）医保").map(|m| m.0), Some(Kind::ParenCn));
    assert_eq!(marker("1.持续深化").map(|m| m.0), Some(Kind::Arabic));
    assert_eq!(marker("(1)完善").map(|m| m.0), Some(Kind::ParenArabic));
    assert_eq!(marker("第三十五条").map(|m| m.0), Some(Kind::Article));
    assert_eq!(marker("第一章"), Some((Kind::Chapter, "第一章".len())));
    assert_eq!(marker("3.2019"), None);
    assert_eq!(marker("2021"), None);
    assert_eq!(marker("一是"), None);
}

#[test]
fn heading_then_paragraph() {
    let b = paras(
        "本实施方案。 一、主要目标 以习近平新时代中国特色社会主义思想为指导,深入贯彻党的十九大和十 九届二中全会精神。",
    );
    assert_eq!(
        b,
        [
            para("本实施方案。"),
            Block::Heading { kind: Kind::Cn, text: "一、主要目标".into() },
            para(
                "以习近平新时代中国特色社会主义思想为指导，深入贯彻党的十九大和十九届二中全会精神。"
            ),
        ]
    );
}

#[test]
fn run_in_item_stays_paragraph() {
    let b = paras(
        "(一)着力打造高度市场化的营商环境 1.持续深化行政审批制度改革。以告知承诺制为基础,在更大范围推动简 化涉企审批。",
    );
    assert_eq!(
        b,
        [
            Block::Heading {
                kind: Kind::ParenCn,
                text: "（一）着力打造高度市场化的营商环境".into()
            },
            para(
                "1.持续深化行政审批制度改革。以告知承诺制为基础，在更大范围推动简化涉企审批。"
            ),
        ]
    );
}

#[test]
fn short_line_ending_sentence_ends_paragraph() {
    // The first line is full (34 characters), the second short and ends in 。.
    let b = paras(
        "为深入贯彻落实党中央、国务院深化“放管服”改革优化营商环境的决策 部署和市委、市政府工作要求。 下一段开始了,这是新的段落的文字。",
    );
    assert_eq!(b.len(), 2, "{b:?}");
}

#[test]
fn break_before_marker_after_colon() {
    let b = paras(
        "现就有关问题通知如下: (一)将格隆溴铵注射剂等 7 种药品纳入报销范围(详见附件 1)。",
    );
    assert_eq!(
        b,
        [
            para("现就有关问题通知如下："),
            para("（一）将格隆溴铵注射剂等7种药品纳入报销范围（详见附件1）。")
        ]
    );
}

#[test]
fn article_gets_full_width_space() {
    let b = paras("第四条 预付卡交易遵循平等、自愿、公平、诚信原则。");
    assert_eq!(b, [para("第四条\u{3000}预付卡交易遵循平等、自愿、公平、诚信原则。")]);
}

#[test]
fn chapter_heading_letter_spaced() {
    let b = paras("第一章 总 则 第一条 为加强和规范北京市零售药店医疗保障定点管理。");
    assert_eq!(
        b,
        [
            Block::Heading { kind: Kind::Chapter, text: "第一章 总则".into() },
            para("第一条\u{3000}为加强和规范北京市零售药店医疗保障定点管理。"),
        ]
    );
}

#[test]
fn chapter_title_out_of_order() {
    let mut r = ImportReport::default();
    let b = build_blocks(
        &words(
            "相关信用管理措施。 第五章 第三十五条 附则 本条例自 2022 年 6 月 1 日起施行。",
        ),
        &mut r,
    );
    assert_eq!(
        b,
        [
            para("相关信用管理措施。"),
            Block::Heading { kind: Kind::Chapter, text: "第五章 附则".into() },
            para("第三十五条\u{3000}本条例自2022年6月1日起施行。"),
        ]
    );
    assert_eq!(r.repairs.get("out_of_order"), Some(&1));
}

#[test]
fn letter_spaced_run_is_joined() {
    let mut r = ImportReport::default();
    let b = build_blocks(
        &words(
            "说明扣分 原 因 。 自 评 表 电 子 版 于 2022 年 6 月 30 日 前 发 送 到 邮 箱 rkjtc@wjw.beijing.gov.cn。",
        ),
        &mut r,
    );
    assert_eq!(
        b,
        [para(
            "说明扣分原因。自评表电子版于2022年6月30日前发送到邮箱rkjtc@wjw.beijing.gov.cn。"
        )]
    );
    assert!(r.repairs.contains_key("letter_spacing"));
}

#[test]
fn doc_numbers_and_dates() {
    assert!(is_doc_number("京社保发〔2021〕15号"));
    assert!(is_doc_number("京人社市场字〔2021〕68号"));
    assert!(!is_doc_number("京社保发〔2021〕号"));
    assert_eq!(parse_date("2021年8月26日").as_deref(), Some("2021-08-26"));
    assert_eq!(parse_date("2021年13月26日"), None);
    assert_eq!(parse_date("2021年8月26日前"), None);
}

#[test]
fn signature_and_number_go_to_front_matter() {
    let toks = words(
        "京管发〔2021〕16 号 市城管执法局,委机关各处室,各直属事业单位: 按照《国务院办公厅关于开展涉及行政处罚内容的行政法规、规章和行政 规范性文件清理工作的通知》(国办函〔2021〕39 号)等文件和政策要求,市城 市管理委进行了全面清理。 附件:失效的行政规范性文件目录 北京市城市管理委员会 2021 年 8 月 13 日",
    );
    let md = policy::build_policy(
        "关于宣布部分行政规范性文件失效的决定",
        &toks,
        &mut ImportReport::default(),
    );
    assert_eq!(
        md,
        "---\ntitle: 关于宣布部分行政规范性文件失效的决定\nissuer: 北京市城市管理委员会\nnumber: 京管发〔2021〕16号\ndate: 2021-08-13\n---\n\
         市城管执法局，委机关各处室，各直属事业单位：\n\n按照《国务院办公厅关于开展涉及行政处罚内容的行政法规、规章和行政规范性文件清理工作的通知》（国办函〔2021〕39号）等文件和政策要求，市城市管理委进行了全面清理。\n\n附件：失效的行政规范性文件目录\n"
    );
}

#[test]
fn several_issuers_then_attachments() {
    let toks = words(
        "评选。 北京市人力资源和社会保障局 北京市总工会 北京企业联合会/北京市企业家协会 2021 年 12 月 23 日 附件 1:参考文本(企业版)",
    );
    let md = policy::build_policy("意见", &toks, &mut ImportReport::default());
    assert!(md.contains("issuer:\n  - 北京市人力资源和社会保障局\n  - 北京市总工会\n  - 北京企业联合会/北京市企业家协会\n"), "{md}");
    assert!(md.contains("date: 2021-12-23\n"));
    assert!(md.ends_with("评选。\n\n附件1：参考文本（企业版）\n"), "{md}");
}

#[test]
fn short_names() {
    assert_eq!(short_name("北京市单用途预付卡管理条例"), "单用途预付卡");
    assert_eq!(
        short_name("北京市城市管理委员会关于宣布部分行政规范性文件失效的决定"),
        "宣布部分行政规范性文件失效"
    );
    assert_eq!(
        short_name("关于做好技能人才薪酬激励相关工作的意见（试行）"),
        "技能人才薪酬激励"
    );
    assert_eq!(short_name("北京市关于促进数字贸易高质量发展的若干措施"), "数字贸易");
}

#[test]
fn short_names_end_on_a_word() {
    let cases = [
        (
            "北京市培育和激发市场主体活力持续优化营商环境实施方案",
            "培育和激发市场主体活力",
        ),
        (
            "北京市关于应对疫情防控常态化促进中小企业健康发展若干措施",
            "应对疫情防控常态化促进中小企业",
        ),
        (
            "关于支持发展高端仪器装备和传感器产业的若干政策措施",
            "发展高端仪器装备和传感器产业",
        ),
        (
            "北京市医疗保障局北京市人力资源和社会保障局关于调整本市基本医疗保险、工伤保险和生育保险药品报销范围有关问题的通知",
            "基本医疗保险、工伤保险和生育保险",
        ),
        (
            "关于外国人和港澳台人员参加北京市城乡居民养老保险有关经办问题的通知",
            "外国人和港澳台人员",
        ),
        (
            "北京市广播电视局关于广播电视节目制作经营单位设立审批实行告知承诺的实施意见",
            "广播电视节目制作经营单位设立审批",
        ),
        (
            "北京市贯彻《小微型客车租赁经营服务管理办法》的实施意见",
            "小微型客车租赁经营服务管理办法",
        ),
    ];
    for (title, name) in cases {
        assert_eq!(short_name(title), name, "{title}");
        assert!(name.chars().count() <= 18);
    }
    // Stable: the same title always gives the same name.
    assert_eq!(short_name(cases[0].0), short_name(cases[0].0));
}

#[test]
fn seed_file_names_are_unique_and_short() {
    let (imported, _) = seed_import();
    let mut seen = std::collections::BTreeSet::new();
    for (path, _) in &imported.files {
        assert!(seen.insert(path.clone()), "{path} twice");
        let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".md");
        assert!(stem.chars().count() <= 18, "{path}");
    }
}

#[test]
fn page_end_sentence_is_not_a_heading() {
    // 为北京自贸区引进毕业生赋权: item 二's line ends the page (page 120) and the
    // sentence goes on on the next page without a marker.
    let text = "为贯彻落实《北京市人民政府关于由部分重点功能区管理机构和区政府有 关部门行使一批市级行政权力等事项的决定》(京政发〔2021〕27 号)精神,市 人力资源社会保障局决定,由北京经济技术开发区管理委员会和朝阳区、海淀 区、通州区、顺义区、昌平区、大兴区政府人力资源社会保障部门(以下简称各 承接主体)行使引进毕业生行政确认权力,有关事项通知如下: 一、行使范围为注册、经营、税收贡献均在中国(北京) 自由贸易试验区(119.68 平方公里)内的非公企业。 二、各承接主体按年度向市人力资源社会保障局报备符 120 合条件的企业名单和指标分配使用情况。 三、按照权责一致原则,各承接主体要依法承接赋权事项,规范行政确认 程序,落实行政管理职责,提高赋权事项的承接能力。";
    let mut r = ImportReport::default();
    let toks = tokenize(text, &mut r);
    let (body, markers) = strip_page_numbers(&toks, 120, &mut r);
    assert_eq!(markers.len(), 1);
    let b = build_blocks(&body, &mut r);
    assert!(b.iter().all(|b| matches!(b, Block::Para(_))), "{b:?}");
    assert!(b.contains(&para(
        "二、各承接主体按年度向市人力资源社会保障局报备符合条件的企业名单和指标分配使用情况。"
    )));
    assert_eq!(b.len(), 4, "{b:?}");
}

#[test]
fn heading_at_page_end_stays_a_heading() {
    // A numbered line at a page end followed by another numbered line is a heading.
    let filler = "相关要求可考核".repeat(20);
    let text = format!(
        "{filler}。 一、主要目标 5 (一)着力打造高度市场化的营商环境 1.持续深化行政审批制度改革。"
    );
    let mut r = ImportReport::default();
    let toks = tokenize(&text, &mut r);
    let (body, markers) = strip_page_numbers(&toks, 5, &mut r);
    assert_eq!(markers.len(), 1);
    let b = build_blocks(&body, &mut r);
    assert_eq!(b[1], Block::Heading { kind: Kind::Cn, text: "一、主要目标".into() });
}

#[test]
fn note_after_attachments_is_its_own_paragraph() {
    let b = paras(
        "本意见自 2021 年 9 月 18 日起实施。 附件: 1.设立广播电视节目制作经营单位审批告知承诺书(略) 2.变更(或延续)广播电视节目制作经营单位许可告知承诺书(略) 3.广播电视节目制作经营单位设立审批责令整改通知书(略) 4.广播电视节目制作经营单位设立审批撤销行政许可决定书(略) (注:附件请登录北京市广播电视局网站查询)",
    );
    assert_eq!(
        b.last(),
        Some(&para("（注：附件请登录北京市广播电视局网站查询）")),
        "{b:?}"
    );
    assert_eq!(
        b[b.len() - 2],
        para("4.广播电视节目制作经营单位设立审批撤销行政许可决定书（略）")
    );
}

#[test]
fn errors_never_panic() {
    assert_eq!(import_text("", "2021-Q4").err(), Some(ImportError::Empty));
    assert_eq!(
        import_text("没有目录的文字 1 2 3", "2021-Q4").err(),
        Some(ImportError::NoToc)
    );
    assert!(matches!(
        import_text("目 录 没有条目", "2021-Q4"),
        Err(ImportError::EmptyToc(_))
    ));
    assert!(matches!(import_text("x", "../evil"), Err(ImportError::BadEditionId(_))));
    for s in [
        "目 录 1.类....4",
        "目录 一....x 目录",
        "目 录 1.类....4 1.类 (( )) ::: 4 5 第一章",
        "引 言 目 录 ....",
        "\u{feff}目录 a....1 a",
    ] {
        let _ = import_text(s, "X");
    }
    // Windows of the seed, cut anywhere, and a damaged copy: never a panic.
    let chars: Vec<char> = SEED.chars().collect();
    for start in (0..chars.len()).step_by(chars.len() / 7) {
        let window: String =
            chars[start..(start + 40_000).min(chars.len())].iter().collect();
        let _ = import_text(&window, "2021-Q4");
    }
    for end in (3_000..chars.len()).step_by(chars.len() / 9) {
        let prefix: String = chars[..end].iter().collect();
        assert!(import_text(&prefix, "2021-Q4").is_ok(), "prefix of {end} characters");
    }
    let damaged: String = chars
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < 3_000 || i % 37 != 0)
        .map(|(_, c)| *c)
        .collect();
    let _ = import_text(&damaged, "2021-Q4");
    let latin = "a; b. ".repeat(20_000) + "目 录 x....1 ";
    let _ = import_text(&latin, "2021-Q4");
    // Every prefix of the seed's front must be handled, never a panic.
    let front: String = SEED.chars().take(3000).collect();
    for n in (0..front.chars().count()).step_by(97) {
        let cut: String = front.chars().take(n).collect();
        let _ = import_text(&cut, "2021-Q4");
    }
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

fn han(s: &str) -> Vec<char> {
    s.chars().filter(|c| is_han(*c)).collect()
}

/// Similarity ratio 2·LCS/(|a|+|b|), as `similar`'s `ratio()`, with Myers' O(ND)
/// edit distance (insertions and deletions only).
fn ratio(a: &[char], b: &[char]) -> f64 {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a2, b2) = (&a[pre..], &b[pre..]);
    let suf = a2.iter().rev().zip(b2.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a2, b2) = (&a2[..a2.len() - suf], &b2[..b2.len() - suf]);
    let (n, m) = (a2.len() as isize, b2.len() as isize);
    let max = (n + m) as usize;
    let off = max as isize + 1;
    let mut v = vec![0isize; 2 * max + 3];
    let mut d_found = max;
    'outer: for d in 0..=max as isize {
        let mut k = -d;
        while k <= d {
            let idx = (k + off) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
                v[idx + 1]
            } else {
                v[idx - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a2[x as usize] == b2[y as usize] {
                x += 1;
                y += 1;
            }
            v[idx] = x;
            if x >= n && y >= m {
                d_found = d as usize;
                break 'outer;
            }
            k += 2;
        }
    }
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    let lcs = (total - d_found) / 2;
    2.0 * lcs as f64 / total as f64
}

#[test]
fn ratio_works() {
    let a: Vec<char> = "北京市人民政府".chars().collect();
    let b: Vec<char> = "北京人民市政府".chars().collect();
    assert!((ratio(&a, &a) - 1.0).abs() < 1e-9);
    assert!((ratio(&a, &b) - 12.0 / 14.0).abs() < 1e-9);
}

/// The files as a map, and the manifest's order of policies and bodies.
fn seed_import() -> (Imported, toml::Table) {
    let imported = import_text(SEED, "2021-Q4").expect("the seed imports");
    let manifest: toml::Table =
        imported.files[0].1.parse().expect("edition.toml is valid TOML");
    (imported, manifest)
}

#[test]
fn seed_structure() {
    let (imported, manifest) = seed_import();
    assert_eq!(imported.files[0].0, "edition.toml");
    assert_eq!(manifest["title"].as_str(), Some("北京市支持民营企业高质量发展政策汇编"));
    assert_eq!(manifest["subtitle"].as_str(), Some("2021年四季度"));
    assert_eq!(manifest["publisher"].as_str(), Some("北京市工商业联合会"));
    assert_eq!(manifest["published"].as_str(), Some("2022-01"));
    assert_eq!(manifest["intro"].as_str(), Some("引言.md"));
    let cats = manifest["category"].as_array().expect("categories");
    let titles: Vec<&str> = cats.iter().filter_map(|c| c["title"].as_str()).collect();
    assert_eq!(
        titles,
        [
            "优化营商环境",
            "科技创新领域",
            "商贸服务领域",
            "医疗卫生领域",
            "人力社保领域",
            "文化教育领域",
            "四季度出台“十四五”规划汇总"
        ]
    );
    let files: std::collections::BTreeMap<&str, &str> =
        imported.files.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
    let mut policy_titles = Vec::new();
    for c in cats {
        for p in c.get("policies").and_then(|p| p.as_array()).into_iter().flatten() {
            let path = p.as_str().expect("path");
            let text = files.get(path).unwrap_or_else(|| panic!("{path} written"));
            let title = text
                .lines()
                .nth(1)
                .and_then(|l| l.strip_prefix("title: "))
                .expect("title");
            policy_titles.push(title.to_string());
        }
    }
    let expected = [
        "北京市培育和激发市场主体活力持续优化营商环境实施方案",
        "北京市关于应对疫情防控常态化促进中小企业健康发展若干措施",
        "北京市城市管理委员会关于宣布部分行政规范性文件失效的决定",
        "北京市进一步强化节能实施方案",
        "北京市单用途预付卡管理条例",
        "北京市贯彻《小微型客车租赁经营服务管理办法》的实施意见",
        "北京市关于促进数字贸易高质量发展的若干措施",
        "北京市关于促进“专精特新”中小企业高质量发展的若干措施",
        "关于支持发展高端仪器装备和传感器产业的若干政策措施",
        "北京市创新型绿色技术及示范应用项目征集遴选管理细则（试行）",
        "北京市关于进一步加强稳外资工作的若干措施",
        "关于北京市专业服务业助力“走出去”发展若干措施",
        "北京市人民政府关于支持综合保税区高质量发展的实施意见",
        "北京市医疗保障局 北京市人力资源和社会保障局关于调整本市基本医疗保险、工伤保险和生育保险药品报销范围有关问题的通知",
        "北京市零售药店医疗保障定点管理暂行办法",
        "北京市人力资源和社会保障局关于在北京自贸试验区内申请劳务派遣经营许可实行告知承诺制的通告",
        "关于外国人和港澳台人员参加北京市城乡居民养老保险有关经办问题的通知",
        "北京市人力资源和社会保障局关于为北京自贸区引进毕业生赋权的通知",
        "关于进一步贯彻落实人力资源服务京津冀区域协同地方标准的通知",
        "关于做好技能人才薪酬激励相关工作的意见（试行）",
        "北京市全国婴幼儿照护服务示范城市创建活动实施方案",
        "北京市广播电视局关于广播电视视频点播业务（乙种）审批实行告知承诺的实施意见",
        "北京市广播电视局关于广播电视节目制作经营单位设立审批实行告知承诺的实施意见",
    ];
    assert_eq!(policy_titles, expected);
    assert_eq!(imported.report.policies, 23);
    let last = cats.last().expect("last category");
    let body = last["body"].as_str().expect("十四五 category has a body");
    let text = files.get(body).expect("body written");
    assert!(
        text.starts_with("《“十四五”时期中关村国家自主创新示范区发展建设规划》\n\n"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("《北京市推进“一带一路”高质量发展行动计划（2021-2025年）》")
    );
    assert!(last.get("policies").is_none());
}

#[test]
fn seed_fidelity() {
    let (imported, manifest) = seed_import();
    let files: std::collections::BTreeMap<&str, &str> =
        imported.files.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
    // Expected: the seed without cover and 目录, Han characters only.
    let intro_at = SEED.find("引 言").expect("引言");
    let toc_at = SEED.find("目 录").expect("目录");
    let body_at =
        SEED[toc_at..].match_indices("1.优化营商环境").nth(1).expect("body").0 + toc_at;
    let mut expected = han(&SEED[intro_at + "引 言".len()..toc_at]);
    expected.extend(han(&SEED[body_at..]));

    let mut actual = han(files["引言.md"]);
    for c in manifest["category"].as_array().expect("categories") {
        actual.extend(han(c["title"].as_str().unwrap_or_default()));
        for p in c.get("policies").and_then(|p| p.as_array()).into_iter().flatten() {
            let text = files[p.as_str().expect("path")];
            let (fm, body) = text[4..].split_once("\n---\n").expect("front matter");
            let field = |k: &str| {
                fm.lines()
                    .skip_while(|l| !l.starts_with(k))
                    .enumerate()
                    .take_while(|(i, l)| *i == 0 || l.starts_with("  - "))
                    .map(|(_, l)| l.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            actual.extend(han(&field("title:")));
            actual.extend(han(&field("number:")));
            actual.extend(han(body));
            actual.extend(han(&field("issuer:")));
            if let Some(d) = fm.lines().find_map(|l| l.strip_prefix("date: ")) {
                // The printed date has 年月日; the front matter keeps it as ISO.
                if d.len() == 10 {
                    actual.extend("年月日".chars());
                }
            }
        }
        if let Some(b) = c.get("body").and_then(|b| b.as_str()) {
            actual.extend(han(files[b]));
        }
    }
    let r = ratio(&expected, &actual);
    assert!(imported.report.to_string().starts_with("23 policies, "));
    eprintln!(
        "fidelity ratio {r:.5} ({} vs {} Han characters)",
        expected.len(),
        actual.len()
    );
    eprintln!("report: {:?}", imported.report);
    assert!(r >= 0.995, "fidelity ratio {r}");
}

#[test]
fn seed_output_loads_as_an_edition() {
    let (imported, _) = seed_import();
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("2021-Q4");
    for (path, contents) in &imported.files {
        let file = root.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(file, contents).expect("write");
    }
    let mut sources = crate::source::Sources::new();
    let mut diags = crate::diag::Diagnostics::default();
    let edition = crate::edition::Edition::load(&root, &mut sources, &mut diags)
        .expect("readable")
        .unwrap_or_else(|| {
            panic!("{}", crate::diag::render_plain(&sources, &diags.take()))
        });
    assert!(diags.is_empty(), "{}", crate::diag::render_plain(&sources, &diags.take()));
    assert_eq!(edition.categories.len(), 7);
    let n: usize = edition.categories.iter().map(|c| c.policies.len()).sum();
    assert_eq!(n, 23);
    let issuers = &edition.categories[3].policies[0].meta.issuer;
    assert_eq!(issuers, &["北京市医疗保障局", "北京市人力资源和社会保障局"]);
}

#[test]
fn item_ending_in_responsibility_note_ends_before_next_marker() {
    // 应对疫情防控常态化促进中小企业健康发展若干措施: items end with a parenthesised
    // list of responsible offices, not with 。.
    let b = paras(
        "将固定 资产加速折旧优惠的行业范围,扩大至全部制造业领域。(责任单位:市财政 局,北京市税务局,北京海关,市科委、中关村管委会,市经济和信息化局) 2.降低企业支付成本。鼓励辖内商业银行对小微企业免收全部单位结算账 户管理费和年费。(责任单位:市经济 和信息化局,市财政局,各区,北京经济技术开发区) 二、加大金融支持力度 4.扩大普惠金融供给。鼓励银行业金融机构设立“创业担保贷款”产品。",
    );
    assert_eq!(b.len(), 4, "{b:?}");
    assert!(matches!(&b[0], Block::Para(t) if t.ends_with("市经济和信息化局）")));
    assert!(matches!(&b[1], Block::Para(t) if t.starts_with("2.降低企业支付成本。")));
    assert_eq!(
        b[2],
        Block::Heading { kind: Kind::Cn, text: "二、加大金融支持力度".into() }
    );
    assert!(matches!(&b[3], Block::Para(t) if t.starts_with("4.扩大普惠金融供给。")));
}

#[test]
fn parenthesised_aside_stays_with_its_item() {
    let b = paras(
        "对辖内优惠类商户发卡行服务费、网络服务费继续在现 行政府指导价基础上实行 7.8 折优惠。 (人民银行营业管理部,北京银保监局, 市金融监管局) 3.降低企业融资成本。鼓励各区安排中小企业纾困资金。",
    );
    assert_eq!(
        b,
        [
            para(
                "对辖内优惠类商户发卡行服务费、网络服务费继续在现行政府指导价基础上实行7.8折优惠。（人民银行营业管理部，北京银保监局，市金融监管局）"
            ),
            para("3.降低企业融资成本。鼓励各区安排中小企业纾困资金。"),
        ]
    );
}

#[test]
fn heading_with_comma_before_run_in_item() {
    // 关于北京市专业服务业助力“走出去”发展若干措施.
    let b = paras(
        "(一)搭平台,提供精准对接服务 1.上线运行京企“走出去”综合服务平台。开发专业服务“走出去”APP。",
    );
    assert_eq!(
        b[0],
        Block::Heading {
            kind: Kind::ParenCn,
            text: "（一）搭平台，提供精准对接服务".into()
        }
    );
    assert_eq!(b.len(), 2, "{b:?}");
}

#[test]
fn each_attachment_its_own_paragraph() {
    // 关于进一步贯彻落实人力资源服务京津冀区域协同地方标准的通知.
    let b = paras(
        "以群众 喜闻乐见的方式开展标准宣传普及活动。 附件 1:人力资源服务京津冀区域协同地方标准等级评定申报指南 附件 2:人力资源服务京津冀区域协同地方标准机构联络员登记表",
    );
    assert_eq!(
        b[1..],
        [
            para("附件1：人力资源服务京津冀区域协同地方标准等级评定申报指南"),
            para("附件2：人力资源服务京津冀区域协同地方标准机构联络员登记表"),
        ]
    );
}

#[test]
fn items_under_articles_are_never_headings() {
    // 北京市创新型绿色技术及示范应用项目征集遴选管理细则(试行): `（一）提交申报材料`
    // stands alone but is a 项 of 第五条.
    let b = paras(
        "第四条 (组织实施)市绿色技术创新体系工作联席会议办公室负责绿色技术 和示范应用项目征集遴选工作。 第五条(技术征选流程) (一)提交申报材料 申报单位应为在本市行政区域内依法注册的独立法人。",
    );
    assert!(b.iter().all(|b| matches!(b, Block::Para(_))), "{b:?}");
    assert!(b.contains(&para("（一）提交申报材料")), "{b:?}");
    // A plan keeps its standalone items as headings.
    let b = paras(
        "现制定以下措施: (一)提交申报材料 申报单位应为在本市行政区域内依法注册的独立法人。",
    );
    assert_eq!(
        b[1],
        Block::Heading {
            kind: Kind::ParenCn, text: "（一）提交申报材料".into()
        }
    );
}

/// Found by fuzzing (`import` target): a 目录 entry longer than the file system's
/// 255-byte limit for a name made the import fail writing its file.
#[test]
fn file_names_stay_writable_for_long_titles() {
    let stem = file_stem(&"北京市关于促进中小企业高质量发展的若干措施".repeat(10));
    assert!(stem.len() <= 240, "{} bytes", stem.len());
    assert!(stem.starts_with("北京市关于促进中小企业"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(format!("{stem}-2.md")), "").unwrap();
}
