//! One policy's file: 文号, issuer and date lifted into front matter, the rest rebuilt
//! into Markdown; and the manifest that lists them.
//!
//! The published book prints the 文号 under the title and the issuer and date at the
//! end; the source format keeps them in front matter and lets the template set them,
//! so the import must find and remove them from the text.

use super::ImportReport;
use super::paragraphs::{build_blocks, ends_terminal, render};
use super::toc::Cover;
use super::tokens::Tok;
use crate::cjk::is_cjk;
use crate::edition::date::Date;
use crate::normalize::normalize_text;

/// A category as it will be written to `edition.toml`.
#[derive(Debug, Clone)]
pub(crate) struct CategoryOut {
    /// Title without its number: the tool numbers categories.
    pub(crate) title: String,
    /// Policy files in book order.
    pub(crate) policies: Vec<String>,
    /// A file for text the category carries instead of policies (the 十四五 list).
    pub(crate) body: Option<String>,
}

/// `edition.toml` in the making.
#[derive(Debug, Clone)]
pub(crate) struct Manifest {
    cover: Cover,
    period: Option<(String, String)>,
    /// The 引言 file, if the book has one.
    pub(crate) intro: Option<String>,
    /// Categories in 目录 order.
    pub(crate) categories: Vec<CategoryOut>,
}

impl Manifest {
    /// The period is the subtitle's quarter (2021年四季度), else the edition id's
    /// (2021-Q4): policy dates are checked against it, so it must not be left out.
    pub(crate) fn new(cover: &Cover, edition_id: &str) -> Self {
        // Only a period the manifest accepts (years from 1900: `1010年四季度` is a
        // damaged subtitle, not a date): the edition written must load.
        let valid = |(a, b): &(String, String)| {
            Date::parse(a, false).is_some() && Date::parse(b, false).is_some()
        };
        let period = cover
            .subtitle
            .as_deref()
            .and_then(quarter_from_subtitle)
            .map(|(y, q)| quarter_period(y, q))
            .filter(valid)
            .or_else(|| quarter_from_id(edition_id).map(|(y, q)| quarter_period(y, q)))
            .filter(valid);
        Manifest { cover: cover.clone(), period, intro: None, categories: Vec::new() }
    }

    /// Written by hand rather than serialised, to keep the aligned layout of the
    /// hand-written manifests the editors know.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        let title = if self.cover.title.is_empty() {
            "（书名）"
        } else {
            self.cover.title.as_str()
        };
        out.push_str(&format!("title     = {}\n", toml_str(title)));
        if let Some(s) = &self.cover.subtitle {
            out.push_str(&format!("subtitle  = {}\n", toml_str(s)));
        }
        if let Some(s) = &self.cover.publisher {
            out.push_str(&format!("publisher = {}\n", toml_str(s)));
        }
        if let Some(s) = &self.cover.published {
            out.push_str(&format!("published = {}\n", toml_str(s)));
        }
        if let Some((a, b)) = &self.period {
            out.push_str(&format!("period    = [{}, {}]\n", toml_str(a), toml_str(b)));
        }
        if let Some(s) = &self.intro {
            out.push_str(&format!("intro     = {}\n", toml_str(s)));
        }
        for c in &self.categories {
            out.push_str("\n[[category]]\n");
            out.push_str(&format!("title    = {}\n", toml_str(&c.title)));
            if let Some(b) = &c.body {
                out.push_str(&format!("body     = {}\n", toml_str(b)));
            }
            if !c.policies.is_empty() || c.body.is_none() {
                out.push_str("policies = [\n");
                for p in &c.policies {
                    out.push_str(&format!("  {},\n", toml_str(p)));
                }
                out.push_str("]\n");
            }
        }
        out
    }
}

/// `2021年四季度` → (2021, 4).
fn quarter_from_subtitle(s: &str) -> Option<(u32, u32)> {
    let (y, rest) = s.split_once('年')?;
    let year = y.trim().parse().ok()?;
    let q = match rest.trim().chars().next()? {
        '一' | '1' => 1,
        '二' | '2' => 2,
        '三' | '3' => 3,
        '四' | '4' => 4,
        _ => return None,
    };
    rest.contains("季度").then_some((year, q))
}

/// `2021-Q4` → (2021, 4).
fn quarter_from_id(id: &str) -> Option<(u32, u32)> {
    let (y, q) = id.split_once("-Q").or_else(|| id.split_once("-q"))?;
    let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
    Some((y.parse().ok()?, q))
}

fn quarter_period(year: u32, q: u32) -> (String, String) {
    let (start, end) = match q {
        1 => ("01-01", "03-31"),
        2 => ("04-01", "06-30"),
        3 => ("07-01", "09-30"),
        _ => ("10-01", "12-31"),
    };
    (format!("{year:04}-{start}"), format!("{year:04}-{end}"))
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML scalar, quoted only when plain style would be misread.
fn yaml_str(s: &str) -> String {
    let risky_start = s.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"',
        '%', '@', '`', ' ',
    ]);
    let needs = s.is_empty()
        || risky_start
        || s.ends_with(' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(|c| c.is_control() || c == '"' || c == '\\')
        || matches!(s, "true" | "false" | "null" | "~" | "yes" | "no")
        || s.parse::<f64>().is_ok();
    if !needs {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32 & 0xFF)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) use crate::patterns::{is_doc_number, parse_chinese_date as parse_date};

/// Whether a word reads as the name of an issuing body.
fn is_issuer(s: &str) -> bool {
    s.chars().count() >= 4
        && s.chars().all(|c| {
            c == '/' || (is_cjk(c) && !"，。、；：？！（）“”《》〔〕".contains(c))
        })
        && s.ends_with([
            '局', '委', '会', '府', '心', '院', '部', '厅', '室', '办', '司', '组', '署',
            '所', '处',
        ])
}

/// The closing signature: where the issuer starts, where the date ends, the issuers
/// and the ISO date. Attachments (附件) may follow the date.
fn find_signature(tokens: &[Tok]) -> Option<(usize, usize, Vec<String>, String)> {
    let len = tokens.len();
    for k in (len.saturating_sub(150)..len).rev() {
        let starts_year =
            tokens[k].text.bytes().take(4).filter(u8::is_ascii_digit).count() == 4;
        if !starts_year {
            continue;
        }
        let mut joined = String::new();
        for m in 1..=6 {
            let Some(t) = tokens.get(k + m - 1) else { break };
            joined.push_str(&t.text);
            let Some(date) = parse_date(&joined) else { continue };
            let j = k + m;
            let tail_ok = j == len || tokens[j].text.starts_with("附件");
            if !tail_ok {
                break;
            }
            let mut s = k;
            while s > 0 && k - s < 6 && is_issuer(&tokens[s - 1].text) {
                s -= 1;
            }
            if s < k {
                let issuers = tokens[s..k].iter().map(|t| t.text.clone()).collect();
                return Some((s, j, issuers, date));
            }
            if j == len && k > 0 && ends_terminal(&tokens[k - 1].text) {
                return Some((k, j, Vec::new(), date));
            }
            break;
        }
    }
    None
}

/// The Markdown file of one policy.
pub(crate) fn build_policy(
    title: &str,
    tokens: &[Tok],
    report: &mut ImportReport,
) -> String {
    let mut tokens = tokens.to_vec();
    // 文号 right under the title, possibly broken before 号.
    let mut number = None;
    let mut joined = String::new();
    for m in 1..=4.min(tokens.len()) {
        joined.push_str(&tokens[m - 1].text);
        if is_doc_number(&joined) {
            number = Some(joined.clone());
            tokens.drain(..m);
            report.repair("number_to_front_matter", 1);
            break;
        }
    }
    let mut issuer = Vec::new();
    let mut date = None;
    if let Some((s, j, issuers, d)) = find_signature(&tokens) {
        issuer = issuers.iter().map(|i| normalize_text(i)).collect();
        date = Some(d);
        tokens.drain(s..j);
        report.repair("signature_to_front_matter", 1);
    } else if let Some(t) = tokens.last() {
        report.warn(t.off, format!("no closing issuer and date found for {title}"));
    }
    let blocks = build_blocks(&tokens, report);
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", yaml_str(title)));
    match issuer.as_slice() {
        [] => {}
        [one] => out.push_str(&format!("issuer: {}\n", yaml_str(one))),
        many => {
            out.push_str("issuer:\n");
            for i in many {
                out.push_str(&format!("  - {}\n", yaml_str(i)));
            }
        }
    }
    if let Some(n) = number {
        out.push_str(&format!("number: {}\n", yaml_str(&n)));
    }
    if let Some(d) = date {
        out.push_str(&format!("date: {d}\n"));
    }
    out.push_str("---\n");
    out.push_str(&render(&blocks, report));
    out
}

/// A short name for a policy's file: the title without issuer, place and document
/// type, which every title shares, cut where a word ends if it is still long.
pub(crate) fn short_name(title: &str) -> String {
    let mut s: String =
        title.chars().filter(|c| !"《》“”\"〈〉<>".contains(*c)).collect::<String>();
    // Drop parenthesised notes like （试行）.
    while let (Some(a), Some(b)) = (s.find('（'), s.find('）')) {
        if b < a {
            break;
        }
        s.replace_range(a..b + '）'.len_utf8(), "");
    }
    if let Some(i) = s.find("关于") {
        s = s[i + "关于".len()..].to_string();
    }
    // Every title is about Beijing: the place says nothing, wherever it stands.
    for p in ["北京市", "本市"] {
        let without = s.replace(p, "");
        if without.chars().count() >= 4 {
            s = without;
        }
    }
    if let Some(rest) = s.strip_prefix("北京")
        && rest.chars().count() >= 4
    {
        s = rest.to_string();
    }
    const SUFFIXES: [&str; 26] = [
        "有关经办问题的通知",
        "有关问题的通知",
        "的若干政策措施",
        "若干政策措施",
        "的实施意见",
        "的实施方案",
        "实施意见",
        "实施方案",
        "的若干措施",
        "若干措施",
        "相关工作的意见",
        "的通知",
        "的通告",
        "的决定",
        "的意见",
        "暂行办法",
        "管理办法",
        "管理条例",
        "管理细则",
        "办法",
        "条例",
        "细则",
        "措施",
        "通知",
        "方案",
        "的",
    ];
    for suf in SUFFIXES {
        if let Some(rest) = s.strip_suffix(suf)
            && rest.chars().count() >= 4
        {
            s = rest.to_string();
            break;
        }
    }
    // Words every policy title is full of say nothing about this one.
    const FILLERS: [&str; 7] =
        ["进一步", "贯彻落实", "贯彻", "做好", "调整", "促进", "支持"];
    while let Some(rest) = FILLERS
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .filter(|rest| rest.chars().count() >= 4)
    {
        s = rest.to_string();
    }
    for suf in ["高质量发展", "健康发展", "发展"] {
        if let Some(rest) = s.strip_suffix(suf)
            && rest.chars().count() >= 4
        {
            s = rest.to_string();
            break;
        }
    }
    let s = cut_at_word(&s);
    if s.is_empty() { title.chars().take(SHORT_NAME_CUT).collect() } else { s }
}

/// A short name longer than this is cut.
const SHORT_NAME_MAX: usize = 18;
/// A name that is cut keeps at most this many characters.
const SHORT_NAME_CUT: usize = 16;

/// `培育和激发市场主体活力持续优化营商环境` → `培育和激发市场主体活力`: a long name
/// cut at the last word boundary within [`SHORT_NAME_CUT`] characters: before a
/// conjunction, particle or verb that starts a new phrase, or after a noun that ends
/// one. Without such a boundary it is cut at the limit.
fn cut_at_word(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= SHORT_NAME_MAX {
        return s.to_string();
    }
    const BEFORE: [&str; 14] = [
        "的", "和", "与", "及", "、", "并", "实行", "申请", "参加", "持续", "促进",
        "助力", "征集", "推进",
    ];
    const AFTER: [&str; 16] = [
        "企业",
        "活力",
        "项目",
        "保险",
        "许可",
        "标准",
        "产业",
        "环境",
        "服务",
        "工作",
        "范围",
        "人员",
        "派遣",
        "审批",
        "常态化",
        "试验区",
    ];
    let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let min = 6;
    for end in (min..=SHORT_NAME_CUT.min(chars.len())).rev() {
        let rest = text(end, chars.len());
        let head = text(0, end);
        if BEFORE.iter().any(|w| rest.starts_with(w))
            || AFTER.iter().any(|w| head.ends_with(w))
        {
            return head;
        }
    }
    text(0, SHORT_NAME_CUT)
}

/// A name safe as a file or folder name on every system.
pub(crate) fn file_stem(s: &str) -> String {
    // File systems refuse names over 255 bytes; 60 characters (at most 240 bytes, and
    // room for a `-2` suffix and `.md`) keep any title writable, and still readable.
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_control() || "/\\:*?\"<>| ".contains(c) { '-' } else { c })
        .take(60)
        .collect();
    let cleaned = cleaned.trim_matches(['.', '-']).to_string();
    if cleaned.is_empty() { "untitled".to_string() } else { cleaned }
}
