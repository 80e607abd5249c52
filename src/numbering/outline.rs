//! The outline of one document: which hierarchy it uses, how deep each marker kind sits,
//! which numbered lines are headings, and who is whose parent.
//!
//! Takes a document's title and its markers (as recognised by [`super::marker`]) and
//! returns a [`Hierarchy`], ranks (1 = top), ATX heading levels and parent indexes.
//!
//! Rules decided here:
//! - [`detect`]: the title's last word decides (a trailing `（试行）`-style parenthesis is
//!   ignored); `关于印发《…办法》的通知` whose body has articles is a regulation; a title
//!   with neither suffix is a regulation when the body has `第X条`/`第X章`/`第X节`;
//! - ranks: Plan `一、` 1 → `（一）` 2 → `1.` 3 → `（1）` 4 → `①` 5; Regulation
//!   `第一章` 1 → `第一节` 2 → `第一条` 3 → `（一）` 4 → `1.` 5 → `（1）` 6 → `①` 7;
//!   `一是` and `第一，` are never structural;
//! - [`is_heading`]: a chapter or section always is; an article, an inline enumeration,
//!   and anything below the article rank never are; otherwise the line is a heading when
//!   it has 1..=[`HEADING_MAX_CHARS`] characters after the marker, contains no `。` and
//!   does not end in `。；：！？` (or their ASCII forms).

use super::marker::{Marker, MarkerKind};

/// The two numbering hierarchies of DESIGN.md; the rank of a marker kind depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hierarchy {
    /// 方案、意见、措施、通知 (GB/T 9704-2012 §7.3.3): `一、` → `（一）` → `1.` → `（1）`
    /// → `①`.
    Plan,
    /// 条例、办法、规定、细则: `第一章` → `第一节` → `第一条` → `（一）` → `1.`.
    Regulation,
}

/// The longest text after a marker that can still be a heading, in characters; real
/// headings in the fixtures and the 2021-Q4 book stay under 30, run-in items go on.
pub const HEADING_MAX_CHARS: usize = 40;

/// Title endings that name a regulation.
const REGULATION_SUFFIXES: [&str; 7] =
    ["条例", "办法", "规定", "细则", "规则", "章程", "准则"];

/// Title endings that name a plan-style document.
const PLAN_SUFFIXES: [&str; 14] = [
    "方案", "意见", "措施", "通知", "计划", "规划", "纲要", "要点", "指引", "指南",
    "通告", "公告", "政策", "函",
];

/// Strips trailing spaces and one trailing parenthesis such as `（试行）`, `(2021年修订)`.
fn title_stem(title: &str) -> &str {
    let t = title.trim_end();
    match t.rfind(['（', '(']) {
        Some(open) if t.ends_with(['）', ')']) => t[..open].trim_end(),
        _ => t,
    }
}

/// Decides which hierarchy a document uses, from its title and the kinds of its
/// markers, so that ranks and validation know what to expect.
pub fn detect(title: &str, markers: &[MarkerKind]) -> Hierarchy {
    let stem = title_stem(title);
    let has_articles = markers.iter().any(|k| {
        matches!(k, MarkerKind::Article | MarkerKind::Chapter | MarkerKind::Section)
    });
    if REGULATION_SUFFIXES.iter().any(|s| stem.ends_with(s)) {
        return Hierarchy::Regulation;
    }
    if PLAN_SUFFIXES.iter().any(|s| stem.ends_with(s)) {
        // 关于印发《…办法》的通知: the body is the regulation.
        let issues_regulation = stem.contains("印发")
            && stem.split('《').skip(1).any(|part| {
                let name = title_stem(part.split('》').next().unwrap_or(""));
                REGULATION_SUFFIXES.iter().any(|s| name.ends_with(s))
            });
        if issues_regulation && has_articles {
            return Hierarchy::Regulation;
        }
        return Hierarchy::Plan;
    }
    if has_articles { Hierarchy::Regulation } else { Hierarchy::Plan }
}

/// The depth of a marker kind in a hierarchy, 1 = top; `None` when the hierarchy does
/// not use the kind (an article in a plan, `一、` in a regulation) or the kind is never
/// structural (`一是`, `第一，`).
pub fn rank(kind: MarkerKind, hierarchy: Hierarchy) -> Option<u8> {
    use MarkerKind::*;
    match (hierarchy, kind) {
        (_, InlineEnum | Ordinal) => None,
        (Hierarchy::Plan, Hanzi) => Some(1),
        (Hierarchy::Plan, ParenHanzi) => Some(2),
        (Hierarchy::Plan, Arabic) => Some(3),
        (Hierarchy::Plan, ParenArabic) => Some(4),
        (Hierarchy::Plan, Circled) => Some(5),
        (Hierarchy::Plan, Chapter | Section | Article) => None,
        (Hierarchy::Regulation, Chapter) => Some(1),
        (Hierarchy::Regulation, Section) => Some(2),
        (Hierarchy::Regulation, Article) => Some(3),
        (Hierarchy::Regulation, ParenHanzi) => Some(4),
        (Hierarchy::Regulation, Arabic) => Some(5),
        (Hierarchy::Regulation, ParenArabic) => Some(6),
        (Hierarchy::Regulation, Circled) => Some(7),
        (Hierarchy::Regulation, Hanzi) => None,
    }
}

/// The ATX level of a heading of the given rank (`## 一、`, `### （一）`, `## 第一章`):
/// rank + 1, since `#` is the document title; capped at 6, Markdown's deepest.
pub fn atx_level(rank: u8) -> u8 {
    rank.saturating_add(1).min(6)
}

/// Whether a numbered line is a heading (stands alone) rather than a run-in item (goes
/// on with text); the importer writes headings as ATX headings, `check` compares.
/// `marker` must have been recognised in `text`.
pub fn is_heading(text: &str, marker: &Marker, hierarchy: Hierarchy) -> bool {
    let Some(r) = rank(marker.kind, hierarchy) else { return false };
    match marker.kind {
        MarkerKind::Chapter | MarkerKind::Section => return true,
        MarkerKind::Article => return false,
        _ => {}
    }
    if hierarchy == Hierarchy::Regulation
        && rank(MarkerKind::Article, hierarchy) < Some(r)
    {
        return false;
    }
    let Some(rest) = text.get(marker.range.end..) else { return false };
    let rest = rest.trim_end();
    let count = rest.chars().count();
    let ends_closed = rest.ends_with(['。', '；', '：', '！', '？', ';', ':', '!', '?']);
    (1..=HEADING_MAX_CHARS).contains(&count) && !ends_closed && !rest.contains('。')
}

/// The heading level of a numbered line, or `None` if it is not a heading; combines
/// [`is_heading`], [`rank`] and [`atx_level`] for the importer and `check`.
pub fn heading_level(text: &str, marker: &Marker, hierarchy: Hierarchy) -> Option<u8> {
    if !is_heading(text, marker, hierarchy) {
        return None;
    }
    rank(marker.kind, hierarchy).map(atx_level)
}

/// Whether a paragraph opens the attachment list (`附件：1.…`, `附件1：…`, `附件`):
/// the numbers after it name attachments, not the body's structure, so callers stop
/// collecting markers for [`super::validate::validate`] and headings there.
pub fn starts_attachments(text: &str) -> bool {
    let t = text.trim_start_matches([' ', '\u{3000}', '\t']);
    let Some(rest) = t.strip_prefix("附件") else { return false };
    let rest = rest.trim_start_matches(|c: char| {
        c.is_ascii_digit() || super::numerals::is_numeral_char(c) || c == ' '
    });
    rest.is_empty() || rest.starts_with(['：', ':'])
}

/// Each item's parent: the index of the nearest previous item of a higher (smaller)
/// rank, `None` at the top. Ranks are per kind, nesting is what the document does: a
/// `1.` right under `一、` (no `（一）`) has `一、` as parent. Items whose kind has no
/// rank get `None` and are nobody's parent.
pub fn nest(kinds: &[MarkerKind], hierarchy: Hierarchy) -> Vec<Option<usize>> {
    let mut stack: Vec<(usize, u8)> = Vec::new();
    let mut parents = Vec::with_capacity(kinds.len());
    for (i, &kind) in kinds.iter().enumerate() {
        let Some(r) = rank(kind, hierarchy) else {
            parents.push(None);
            continue;
        };
        while stack.last().is_some_and(|&(_, top)| top >= r) {
            stack.pop();
        }
        parents.push(stack.last().map(|&(j, _)| j));
        stack.push((i, r));
    }
    parents
}

#[cfg(test)]
mod tests {
    use super::Hierarchy::*;
    use super::MarkerKind::*;
    use super::*;
    use crate::numbering::marker::recognize;

    #[test]
    fn detects_table() {
        let table: &[(&str, &[MarkerKind], Hierarchy)] = &[
            ("北京市单用途预付卡管理条例", &[Chapter, Article], Regulation),
            ("北京市单用途预付卡管理条例", &[], Regulation),
            ("北京市贯彻《小微型客车租赁经营服务管理办法》的实施意见", &[Hanzi], Plan),
            ("北京市培育和激发市场主体活力持续优化营商环境实施方案", &[Hanzi], Plan),
            ("北京市关于应对疫情防控常态化促进中小企业健康发展若干措施", &[Hanzi], Plan),
            ("北京市创新型绿色技术及示范应用项目征集遴选管理细则(试行)", &[], Regulation),
            ("北京市定点零售药店医疗保障管理暂行办法", &[Article], Regulation),
            ("关于印发《北京市某某管理办法》的通知", &[Hanzi, Article], Regulation),
            ("关于印发《北京市某某管理办法》的通知", &[Hanzi], Plan),
            ("关于调整本市基本医疗保险药品报销范围的通知", &[Hanzi, ParenHanzi], Plan),
            ("北京市城市管理委员会关于宣布部分行政规范性文件失效的决定", &[], Plan),
            ("关于修改《北京市某某条例》的决定", &[Article], Regulation),
            ("关于支持发展高端仪器装备和传感器产业的若干政策措施", &[Article], Plan),
        ];
        for &(title, kinds, want) in table {
            assert_eq!(detect(title, kinds), want, "{title}");
        }
    }

    #[test]
    fn ranks_and_levels() {
        let plan =
            [(Hanzi, 1), (ParenHanzi, 2), (Arabic, 3), (ParenArabic, 4), (Circled, 5)];
        for (kind, r) in plan {
            assert_eq!(rank(kind, Plan), Some(r));
        }
        for kind in [Chapter, Section, Article, InlineEnum, Ordinal] {
            assert_eq!(rank(kind, Plan), None, "{kind:?}");
        }
        let reg =
            [(Chapter, 1), (Section, 2), (Article, 3), (ParenHanzi, 4), (Arabic, 5)];
        for (kind, r) in reg {
            assert_eq!(rank(kind, Regulation), Some(r));
        }
        for kind in [Hanzi, InlineEnum, Ordinal] {
            assert_eq!(rank(kind, Regulation), None, "{kind:?}");
        }
        assert_eq!(atx_level(1), 2);
        assert_eq!(atx_level(3), 4);
        assert_eq!(atx_level(7), 6);
        assert_eq!(atx_level(u8::MAX), 6);
    }

    #[test]
    fn headings_table() {
        // (text, hierarchy, ATX level if heading) — from tests/fixtures/basic.
        let table: &[(&str, Hierarchy, Option<u8>)] = &[
            ("一、指导思想", Plan, Some(2)),
            ("三、工作内容", Plan, Some(2)),
            ("（一）明确行业定义", Plan, Some(3)),
            ("（六）实现建档信息数据对接和公开透明", Plan, Some(3)),
            ("1.车辆性质要求", Plan, Some(4)),
            (
                "1.开业备案。小微型客车租赁经营者在向市场监督管理部门办理有关登记手续",
                Plan,
                None,
            ),
            ("（一）加强组织领导。在市政府领导下，市交通委、市委网信办", Plan, None),
            (
                "（1）2021年4月1日起，新备案的企业拟投入经营的小微型租赁客车，以及已备案的企业新投入运营的车辆，车辆使用性质应当为“租赁”。",
                Plan,
                None,
            ),
            (
                "（四）将碳酸镧咀嚼片等16种药品从谈判目录调整至常规目录（详见附件4）。",
                Plan,
                None,
            ),
            ("一是提升行业规范化水平。通过明确小微型客车租赁备案管理要求", Plan, None),
            ("第一章 总则", Regulation, Some(2)),
            ("第四章", Regulation, Some(2)),
            ("第二节 监督检查", Regulation, Some(3)),
            ("第四条　预付卡交易遵循平等、自愿、公平、诚信原则。", Regulation, None),
            ("第一条　总则", Regulation, None),
            ("（一）被列为失信被执行人的；", Regulation, None),
            ("（十一）违约责任；", Regulation, None),
            ("（一）双方名称或者姓名", Regulation, None),
            ("一、", Plan, None),
            ("一、工作要求：", Plan, None),
            ("（二）着力打造稳定、公平、透明、可预期的法治化营商环境", Plan, Some(3)),
            (
                "（三）一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
                Plan,
                None,
            ),
            (
                "（三）一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
                Plan,
                Some(3),
            ),
            ("第一章 总则", Plan, None),
        ];
        for &(text, h, want) in table {
            let m = recognize(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(heading_level(text, &m, h), want, "{text}");
            assert_eq!(is_heading(text, &m, h), want.is_some(), "{text}");
        }
    }

    #[test]
    fn attachments_table() {
        for text in [
            "附件：1.常规目录新增药品",
            "附件：失效的行政规范性文件目录",
            "附件2：名单",
            "附件",
            "附件一：表",
        ] {
            assert!(starts_attachments(text), "{text}");
        }
        for text in ["附件4所列药品", "（四）详见附件4", "附则"] {
            assert!(!starts_attachments(text), "{text}");
        }
    }

    #[test]
    fn nests_table() {
        // 一、 1. 2. （一） 1. 二、 一是 （一） — a skipped level and a non-structural item.
        let kinds =
            [Hanzi, Arabic, Arabic, ParenHanzi, Arabic, Hanzi, InlineEnum, ParenHanzi];
        let want = [None, Some(0), Some(0), Some(0), Some(3), None, None, Some(5)];
        assert_eq!(nest(&kinds, Plan), want);
        // Regulation: 第一章 第一条 （一） （二） 第二条 第二章 第一节 第三条 1.
        let kinds = [
            Chapter, Article, ParenHanzi, ParenHanzi, Article, Chapter, Section, Article,
            Arabic,
        ];
        let want =
            [None, Some(0), Some(1), Some(1), Some(0), None, Some(5), Some(6), Some(7)];
        assert_eq!(nest(&kinds, Regulation), want);
        // A kind the hierarchy does not use is nobody's parent.
        assert_eq!(nest(&[Article, ParenHanzi], Plan), [None, None]);
        assert!(nest(&[], Plan).is_empty());
    }
}
