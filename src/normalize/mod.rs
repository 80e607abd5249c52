//! Text normalisation in a CJK context: punctuation width and spacing.
//!
//! Kept apart from any stage so that `import` (repairing extracted PDF text) and
//! `fmt` (normalising hand-written sources) apply exactly the same rules, which are
//! the ones DESIGN.md promises: only characters next to CJK text change, so Latin
//! words, URLs, e-mail addresses, phone numbers and standard numbers survive.
//!
//! A title is normalised alike, with one exception ([`normalize_title`]): a joint
//! document's title keeps the space between its issuers' names at its start, as
//! published (`北京市医疗保障局 北京市人力资源和社会保障局关于…`).

use crate::cjk::is_cjk;

/// Whether `c` stands in a CJK context once full-width punctuation is taken into
/// account; ASCII punctuation that is itself being widened does not count.
fn cjk_side(c: Option<char>) -> bool {
    c.is_some_and(is_cjk)
}

/// The nearest character before `i` that is not a space, so that a line break turned
/// into a space does not hide the context of a punctuation mark.
fn prev_non_space(chars: &[char], i: usize) -> Option<char> {
    chars[..i].iter().rev().copied().find(|c| *c != ' ')
}

/// The nearest character after `i` that is not a space.
fn next_non_space(chars: &[char], i: usize) -> Option<char> {
    chars.get(i + 1..).and_then(|rest| rest.iter().copied().find(|c| *c != ' '))
}

/// Whether the parentheses at `open` and `close` enclose a numbering marker at the
/// start of the text, `(1)`, which is canonical in full width whatever follows it.
fn numbering_at_start(chars: &[char], open: usize, close: usize) -> bool {
    let inner = &chars[open + 1..close];
    chars[..open].iter().all(|c| *c == ' ')
        && (1..=2).contains(&inner.len())
        && inner.iter().all(char::is_ascii_digit)
}

/// Widens `, : ; ? ! ( )` to `，：；？！（）` and straight `"…"` to `“…”` where they
/// touch CJK text.
///
/// Parentheses are widened in pairs, so that `(1)完善` and `(2021-2025 年)` get
/// both halves full-width although one half only touches digits. A colon between
/// two digits (a time, `10:30`) or inside a URL (`http://`) has no CJK neighbour and
/// stays as it is; a comma inside a number (`1,000`) likewise.
pub fn punctuation_width(text: &str) -> String {
    // One pass widens what touches CJK text; a widened mark is CJK text for its
    // neighbours (`:(` after Chinese), so repeat until nothing changes. Each pass only
    // widens, so this ends, in practice after two or three passes.
    let mut current = widen_once(text);
    loop {
        let next = widen_once(&current);
        if next == current {
            return current;
        }
        current = next;
    }
}

fn widen_once(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = chars.clone();
    // Straight double quotes, taken in pairs in order: a pair that touches CJK text on
    // any side becomes “…”. An odd last quote is left alone (it may open a quotation
    // that a later line closes).
    let quotes: Vec<usize> = (0..chars.len()).filter(|&i| chars[i] == '"').collect();
    for pair in quotes.chunks_exact(2) {
        let (open, close) = (pair[0], pair[1]);
        let touches = [
            open.checked_sub(1).map(|k| chars[k]),
            chars.get(open + 1).copied(),
            chars.get(close.wrapping_sub(1)).copied(),
            chars.get(close + 1).copied(),
        ]
        .into_iter()
        .any(cjk_side);
        if touches {
            out[open] = '“';
            out[close] = '”';
        }
    }
    // Pair parentheses first: a pair is widened if any of its four neighbours is CJK.
    let mut stack: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '(' | '（' => stack.push(i),
            ')' | '）' => {
                if let Some(open) = stack.pop() {
                    let touches = cjk_side(prev_non_space(&chars, open))
                        || cjk_side(next_non_space(&chars, open))
                        || cjk_side(prev_non_space(&chars, i))
                        || cjk_side(next_non_space(&chars, i))
                        || chars[open] == '（'
                        || c == '）'
                        || numbering_at_start(&chars, open, i);
                    if touches {
                        out[open] = '（';
                        out[i] = '）';
                    }
                } else if cjk_side(prev_non_space(&out, i)) {
                    out[i] = '）';
                }
            }
            _ => {}
        }
    }
    for open in stack {
        if cjk_side(next_non_space(&out, open)) || cjk_side(prev_non_space(&out, open)) {
            out[open] = '（';
        }
    }
    for (i, &c) in chars.iter().enumerate() {
        let wide = match c {
            ',' => '，',
            ':' => '：',
            ';' => '；',
            '?' => '？',
            '!' => '！',
            _ => continue,
        };
        // Neighbours as already widened, so that one pass gives what two would
        // (`(二):` → `（二）：`, not `（二）:`): formatting must be idempotent.
        let prev = prev_non_space(&out, i);
        let next = next_non_space(&out, i);
        let digit_both = prev.is_some_and(|p| p.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_digit());
        if digit_both {
            continue;
        }
        // A colon after Latin text is part of a URL or a label in Latin: keep it.
        if c == ':' && prev.is_some_and(|p| p.is_ascii_alphanumeric()) && !cjk_side(next)
        {
            continue;
        }
        if cjk_side(prev) || cjk_side(next) {
            out[i] = wide;
        }
    }
    out.into_iter().collect()
}

/// Whether a space between `a` and `b` is a line break or extraction artefact in CJK
/// text rather than a word separator.
fn space_is_removable(a: char, b: char) -> bool {
    let other =
        |c: char| c.is_ascii_alphanumeric() || is_cjk(c) || "%‰.,:;?!()/-+&".contains(c);
    (is_cjk(a) && other(b)) || (is_cjk(b) && other(a))
}

/// Removes spaces between two CJK characters and between CJK and digits or Latin.
///
/// Spaces between two non-CJK characters (inside Latin text, between a standard's
/// letters and its number as in `GB/T 9704-2012`) are kept, collapsed to one.
pub fn cjk_spacing(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    spacing(&chars, &[])
}

/// [`cjk_spacing`] of `chars`, keeping one space for each run of spaces that starts at
/// an index in `keep`.
fn spacing(chars: &[char], keep: &[usize]) -> String {
    let mut out = String::with_capacity(chars.len() * 3);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' {
            let start = i;
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
            let before = start.checked_sub(1).map(|k| chars[k]);
            let after = chars.get(i).copied();
            match (before, after) {
                (Some(_), Some(_)) if keep.contains(&start) => out.push(' '),
                (Some(a), Some(b)) if !space_is_removable(a, b) => out.push(' '),
                _ => {}
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Both normalisations, in the order that lets each see the other's result:
/// widening first (it looks past spaces), then spacing (a widened mark is CJK).
pub fn normalize_text(text: &str) -> String {
    cjk_spacing(&punctuation_width(text))
}

/// [`normalize_text`] for a document's title: the same, except that the spaces that
/// separate the issuing bodies of a joint document at the title's start stay (one
/// each), as GB/T 9704 titles and the published books print them:
/// `北京市医疗保障局 北京市人力资源和社会保障局关于…`. See [`issuer_spaces`].
pub fn normalize_title(title: &str) -> String {
    let chars: Vec<char> = punctuation_width(title).chars().collect();
    spacing(&chars, &issuer_spaces(&chars))
}

/// How the name of an issuing body ends (局, 委, 委员会, 厅, 办公室, 政府, 部, 署, 院, 会,
/// 行, 中心, …), by its last character.
const BODY_ENDS: &[char] = &[
    '局', '委', '厅', '办', '室', '府', '部', '署', '院', '会', '行', '心', '社', '联',
    '处',
];

/// What follows the last issuer's name in a title: 关于…, or 印发/转发… a document.
const AFTER_ISSUERS: &[&str] = &["关于", "印发", "转发", "批转", "联合", "发布", "公布"];

/// The longest name of an issuing body, in characters.
const BODY_MAX_CHARS: usize = 30;

/// Whether `c` can be part of an issuing body's name (Han, full-width brackets as in
/// `中国（北京）自由贸易试验区管理委员会`), not punctuation that ends or lists one.
fn in_body_name(c: char) -> bool {
    is_cjk(c) && !"，。、；：！？《》“”‘’〔〕【】「」…—·".contains(c)
}

/// Where, at the start of a title, runs of spaces separate issuing bodies: the index
/// of each run's first space. Only when the title starts with two or more names
/// separated by spaces, each ending like an issuing body ([`BODY_ENDS`]), the last
/// one followed by 关于 or similar ([`AFTER_ISSUERS`]); anything else (a line break
/// left in a word, `北京市人民政府 关于`, a space later in the title) keeps nothing.
fn issuer_spaces(chars: &[char]) -> Vec<usize> {
    let mut keep = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        while i < chars.len() && in_body_name(chars[i]) && i - start < BODY_MAX_CHARS + 2
        {
            i += 1;
        }
        let name = &chars[start..i];
        // The last issuer: its name, then 关于 or 印发 … without a space between.
        let issued = !keep.is_empty()
            && (2..=name.len().min(BODY_MAX_CHARS)).any(|k| {
                BODY_ENDS.contains(&name[k - 1])
                    && AFTER_ISSUERS.iter().any(|w| {
                        let w: Vec<char> = w.chars().collect();
                        name[k..].starts_with(&w)
                    })
            });
        if issued {
            return keep;
        }
        // An issuer before another one: a whole name, then spaces.
        let named = name.len() >= 2
            && name.len() <= BODY_MAX_CHARS
            && name.last().is_some_and(|c| BODY_ENDS.contains(c));
        if !named || chars.get(i) != Some(&' ') {
            return Vec::new();
        }
        keep.push(i);
        while chars.get(i) == Some(&' ') {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_quotes_in_chinese_become_curly() {
        assert_eq!(punctuation_width("深化\"放管服\"改革"), "深化“放管服”改革");
        assert_eq!(punctuation_width("say \"hello\" now"), "say \"hello\" now");
        assert_eq!(punctuation_width("a \"b\" 和\"c"), "a \"b\" 和\"c");
    }

    #[test]
    fn widens_punctuation_next_to_cjk() {
        assert_eq!(
            punctuation_width("市城管执法局,委机关各处室,各直属事业单位:"),
            "市城管执法局，委机关各处室，各直属事业单位："
        );
        assert_eq!(punctuation_width("(一)着力打造"), "（一）着力打造");
        assert_eq!(
            punctuation_width("(1)完善告知承诺审批制度"),
            "（1）完善告知承诺审批制度"
        );
        assert_eq!(punctuation_width("(1)2021 年 4 月"), "（1）2021 年 4 月");
        assert_eq!(punctuation_width("see (1) above"), "see (1) above");
        assert_eq!(
            punctuation_width("行动计划(2021-2025 年)》"),
            "行动计划（2021-2025 年）》"
        );
    }

    #[test]
    fn keeps_punctuation_outside_cjk() {
        assert_eq!(punctuation_width("1,000 and 10:30"), "1,000 and 10:30");
        assert_eq!(
            punctuation_width("见 http://www.beijing.gov.cn"),
            "见 http://www.beijing.gov.cn"
        );
        assert_eq!(punctuation_width("电话(010-89150042)或"), "电话（010-89150042）或");
    }

    #[test]
    fn removes_line_break_spaces() {
        assert_eq!(cjk_spacing("实施 方案"), "实施方案");
        assert_eq!(cjk_spacing("2021 年 8 月 26 日"), "2021年8月26日");
        assert_eq!(cjk_spacing("压减申报材料 20%以上"), "压减申报材料20%以上");
        assert_eq!(cjk_spacing("增加“e 窗通”平台"), "增加“e窗通”平台");
    }

    #[test]
    fn keeps_spaces_in_latin_and_numbers() {
        assert_eq!(cjk_spacing("GB/T 9704-2012 标准"), "GB/T 9704-2012标准");
        assert_eq!(cjk_spacing("The quick  fox"), "The quick fox");
        assert_eq!(
            cjk_spacing("邮箱 rkjtc@wjw.beijing.gov.cn。"),
            "邮箱rkjtc@wjw.beijing.gov.cn。"
        );
    }

    #[test]
    fn a_joint_title_keeps_the_spaces_between_its_issuers() {
        for title in [
            "北京市医疗保障局 北京市人力资源和社会保障局关于调整本市基本医疗保险药品报销范围的通知",
            "国家税务总局 财政部关于延续实施制造业中小微企业延缓缴纳部分税费有关事项的公告",
            "财政部 税务总局关于进一步实施小微企业所得税优惠政策的公告",
            "中共中央办公厅 国务院办公厅印发《关于提高技术工人待遇的意见》的通知",
            "北京市人力资源和社会保障局 北京市工商业联合会 北京市总工会关于做好技能人才工作的意见",
            "中国（北京）自由贸易试验区管理委员会 北京市商务局关于印发《若干措施》的通知",
        ] {
            assert_eq!(normalize_title(title), title);
        }
        // Several spaces are one; a half-width comma later in the title still widens.
        assert_eq!(
            normalize_title("财政部   税务总局关于小微企业,个体工商户的公告"),
            "财政部 税务总局关于小微企业，个体工商户的公告"
        );
    }

    #[test]
    fn other_spaces_in_a_title_go() {
        for (title, fixed) in [
            // One issuer: the space before 关于 is a line break.
            (
                "北京市人民政府 关于支持综合保税区高质量发展的实施意见",
                "北京市人民政府关于支持综合保税区高质量发展的实施意见",
            ),
            // A line break inside a name, or later in the title.
            (
                "北京市医疗保 障局关于调整药品报销范围的通知",
                "北京市医疗保障局关于调整药品报销范围的通知",
            ),
            (
                "北京市医疗保障局 北京市人力资源和社会保障局关于调整 本市药品报销范围的通知",
                "北京市医疗保障局 北京市人力资源和社会保障局关于调整本市药品报销范围的通知",
            ),
            // Not an issuer before the space, or no 关于 after the last one.
            (
                "北京市培育和激发 市场主体活力持续优化营商环境实施方案",
                "北京市培育和激发市场主体活力持续优化营商环境实施方案",
            ),
            (
                "北京市医疗保障局 北京市人力资源和社会保障局",
                "北京市医疗保障局北京市人力资源和社会保障局",
            ),
            ("关于 外国人参加养老保险的通知", "关于外国人参加养老保险的通知"),
        ] {
            assert_eq!(normalize_title(title), fixed, "{title}");
        }
        // Body text is not a title: the same words lose the space there.
        assert_eq!(
            normalize_text("财政部 税务总局关于进一步实施小微企业所得税优惠政策的公告"),
            "财政部税务总局关于进一步实施小微企业所得税优惠政策的公告"
        );
    }

    #[test]
    fn combined() {
        assert_eq!(
            normalize_text("规 定, 现将外国人和港澳台人员参加"),
            "规定，现将外国人和港澳台人员参加"
        );
    }
}
