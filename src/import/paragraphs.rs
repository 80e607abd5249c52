//! Paragraphs and headings rebuilt from words whose line breaks became spaces.
//!
//! A space between two CJK characters is a lost line break (CJK text has no other
//! spaces); a space next to a digit or Latin word is a break only when the line it
//! ends is already full. Knowing the lines, their lengths tell where paragraphs end:
//! a justified line is full, the last line of a paragraph usually is not, and the first
//! line of a paragraph is indented by two characters.

use super::ImportReport;
use super::tokens::{Tok, width};
use crate::cjk::is_cjk;
use crate::normalize::{cjk_spacing, punctuation_width};

/// The line width assumed when a text is too short to measure: 34 CJK characters,
/// in half-em units, as in the body of the 2021-Q4 book.
const DEFAULT_FULL: usize = 68;

/// Line widths of one text, measured from the text itself because the intro, the
/// body and other editions are set at different sizes.
#[derive(Debug, Clone, Copy)]
struct Layout {
    /// Width of a full justified line.
    full: usize,
}

impl Layout {
    /// A line at least this wide is full: a space after it is a line break.
    fn enough(self) -> usize {
        self.full.saturating_sub(4)
    }
    /// A line narrower than this is visibly short.
    fn short(self) -> usize {
        self.full.saturating_sub(10)
    }
    /// The width of a first line, indented by two characters.
    fn indent(self) -> std::ops::RangeInclusive<usize> {
        self.full.saturating_sub(8)..=self.full.saturating_sub(2)
    }

    /// The most common width of the lines that certainly end (a space between two
    /// CJK characters) and hold only CJK text, whose width is exact.
    fn measure(tokens: &[Tok]) -> Layout {
        let mut counts: std::collections::BTreeMap<usize, usize> = Default::default();
        let mut w = 0;
        let mut pure = true;
        for (i, t) in tokens.iter().enumerate() {
            w += width(&t.text) + usize::from(w > 0);
            pure &= !t.text.chars().any(|c| c.is_ascii_alphanumeric());
            let Some(nx) = tokens.get(i + 1) else { break };
            let a = t.text.chars().next_back().unwrap_or(' ');
            let b = nx.text.chars().next().unwrap_or(' ');
            if is_cjk(a) && is_cjk(b) {
                if pure && (40..=120).contains(&w) {
                    *counts.entry(w).or_insert(0) += 1;
                }
                w = 0;
                pure = true;
            }
        }
        let full = counts
            .iter()
            .filter(|(_, n)| **n >= 3)
            .max_by_key(|(w, n)| (**n, **w))
            .map_or(DEFAULT_FULL, |(w, _)| *w);
        Layout { full }
    }
}

/// Numbering markers, in the order of their rank in an official document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// 第一章
    Chapter,
    /// 第一节
    Section,
    /// 一、
    Cn,
    /// （一）
    ParenCn,
    /// 1.
    Arabic,
    /// （1）
    ParenArabic,
    /// ①
    Circled,
    /// 第一条: never a heading.
    Article,
}

/// A piece of rebuilt text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// A standalone numbered line.
    Heading { kind: Kind, text: String },
    /// A paragraph, normalised.
    Para(String),
}

const CN_DIGITS: &str = "零〇一二三四五六七八九十百千两";

/// The numbering marker at the start of `s` and its length in bytes.
pub(crate) fn marker(s: &str) -> Option<(Kind, usize)> {
    let cn_run = |t: &str| {
        t.chars()
            .take_while(|c| CN_DIGITS.contains(*c))
            .map(char::len_utf8)
            .sum::<usize>()
    };
    if let Some(rest) = s.strip_prefix('第') {
        let n = cn_run(rest);
        if n > 0 {
            let kind = match rest[n..].chars().next() {
                Some('章') => Kind::Chapter,
                Some('节') => Kind::Section,
                Some('条') => Kind::Article,
                _ => return None,
            };
            return Some((kind, '第'.len_utf8() + n + '章'.len_utf8()));
        }
        return None;
    }
    let n = cn_run(s);
    if n > 0 && s[n..].starts_with('、') {
        return Some((Kind::Cn, n + '、'.len_utf8()));
    }
    if let Some(open) = s.chars().next().filter(|c| *c == '(' || *c == '（') {
        let rest = &s[open.len_utf8()..];
        let n = cn_run(rest);
        let d = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (kind, len) = if n > 0 {
            (Kind::ParenCn, n)
        } else if (1..=2).contains(&d) {
            (Kind::ParenArabic, d)
        } else {
            return None;
        };
        let close = rest[len..].chars().next().filter(|c| *c == ')' || *c == '）')?;
        return Some((kind, open.len_utf8() + len + close.len_utf8()));
    }
    let d = s.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&d) {
        let rest = &s[d..];
        let sep = rest.chars().next().filter(|c| matches!(c, '.' | '．' | '、'))?;
        let after = rest[sep.len_utf8()..].chars().next();
        if after.is_some_and(|c| c.is_ascii_digit() || c == '.') {
            return None;
        }
        return Some((Kind::Arabic, d + sep.len_utf8()));
    }
    let c = s.chars().next()?;
    ('①'..='⑳').contains(&c).then_some((Kind::Circled, c.len_utf8()))
}

/// Whether `c` counts as CJK when deciding whether a space is a lost line break: the
/// ASCII stand-ins for full-width marks do.
fn cjkish(c: char) -> bool {
    is_cjk(c) || ",:;()?!".contains(c)
}

/// Whether text ends a sentence or a clause that closes a paragraph.
pub(crate) fn ends_terminal(s: &str) -> bool {
    let s = s.trim_end_matches(['”', '’', '"', ')', '）', '」', '》']);
    s.ends_with(['。', '：', ':', '；', ';', '！', '!', '？', '?'])
}

fn pure_cjk_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| is_cjk(c) && !"，。、；：？！（）“”《》〔〕".contains(c))
}

/// One printed line.
#[derive(Debug, Clone)]
struct Line {
    words: Vec<String>,
    width: usize,
    /// Whether a CJK–CJK space ended it (so it did not end a paragraph or a block).
    cjk_end: bool,
    /// Whether a page number followed it: the last line of a page.
    page_end: bool,
    heading: Option<(Kind, String)>,
}

impl Line {
    fn text(&self) -> String {
        self.words.join(" ")
    }
    fn starts_marker(&self) -> Option<Kind> {
        self.words.first().and_then(|w| marker(w)).map(|(k, _)| k)
    }
    fn indented(&self, layout: Layout) -> bool {
        self.cjk_end
            && layout.indent().contains(&self.width)
            && !self.words.iter().any(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
    }
}

/// Marks the words that belong to a letter-spaced run (`自 评 表 电 子 版`): three or
/// more single CJK characters in a row, whose spaces are not line breaks.
fn letter_spaced(tokens: &[Tok], report: &mut ImportReport) -> Vec<bool> {
    let single = |t: &Tok| {
        let mut cs = t.text.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if cjkish(c))
    };
    let mut out = vec![false; tokens.len()];
    let mut i = 0;
    while i < tokens.len() {
        if single(&tokens[i]) {
            let start = i;
            while i < tokens.len() && single(&tokens[i]) {
                i += 1;
            }
            if i - start >= 4 {
                out[start..i].iter_mut().for_each(|b| *b = true);
                report.repair("letter_spacing", 1);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// A chapter or section heading starting at word `i`: its text, how many words it
/// takes, and a word to drop because it was moved into the heading.
fn chapter_at(
    tokens: &[Tok],
    i: usize,
    report: &mut ImportReport,
) -> Option<(Kind, String, usize, Option<usize>)> {
    let word = &tokens.get(i)?.text;
    let (kind, len) = marker(word)?;
    if !matches!(kind, Kind::Chapter | Kind::Section) {
        return None;
    }
    let num = &word[..len];
    let mut title = word[len..].to_string();
    if !title.is_empty() && !pure_cjk_word(&title) {
        return None;
    }
    let mut used = 1;
    while let Some(t) = tokens.get(i + used) {
        if marker(&t.text).is_some()
            || !pure_cjk_word(&t.text)
            || title.chars().count() + t.text.chars().count() > 12
        {
            break;
        }
        title.push_str(&t.text);
        used += 1;
    }
    let mut moved = None;
    // `第五章 第三十五条 附则 本条例…`: the chapter's title was extracted after the
    // article's number.
    if title.is_empty()
        && let (Some(art), Some(t), Some(_)) =
            (tokens.get(i + 1), tokens.get(i + 2), tokens.get(i + 3))
        && marker(&art.text)
            .is_some_and(|(k, l)| k == Kind::Article && l == art.text.len())
        && pure_cjk_word(&t.text)
        && t.text.chars().count() <= 14
    {
        title = t.text.clone();
        moved = Some(i + 2);
        report.repair("out_of_order", 1);
    }
    if title.is_empty() {
        report.warn(tokens[i].off, format!("{num} has no title, or it is out of place"));
    }
    let text = if title.is_empty() { num.to_string() } else { format!("{num} {title}") };
    Some((kind, text, used, moved))
}

/// Splits words into printed lines.
fn lines(tokens: &[Tok], layout: Layout, report: &mut ImportReport) -> Vec<Line> {
    let spaced = letter_spaced(tokens, report);
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let mut w = 0;
    let mut skip = None;
    let mut i = 0;
    while i < tokens.len() {
        if Some(i) == skip {
            i += 1;
            continue;
        }
        if cur.is_empty()
            && let Some((kind, text, used, moved)) = chapter_at(tokens, i, report)
        {
            out.push(Line {
                words: Vec::new(),
                width: 0,
                cjk_end: false,
                page_end: false,
                heading: Some((kind, text)),
            });
            skip = moved;
            i += used;
            continue;
        }
        let t = &tokens[i].text;
        if !cur.is_empty() {
            w += 1;
        }
        w += width(t);
        cur.push(t.clone());
        let mut next_i = i + 1;
        if Some(next_i) == skip {
            next_i += 1;
        }
        let page_end = tokens[i].page_end;
        let (brk, cjk_end) =
            line_ends_after(tokens, i, next_i, &spaced, &cur, &mut w, layout);
        if brk {
            out.push(Line {
                words: std::mem::take(&mut cur),
                width: w,
                cjk_end,
                page_end,
                heading: None,
            });
            w = 0;
        }
        i += 1;
    }
    out
}

/// Whether the printed line ends after word `i`, and whether it ends in CJK text
/// (where the line break was no space). `w` is the line's width so far: the
/// full-width space after an article's number widens it.
fn line_ends_after(
    tokens: &[Tok],
    i: usize,
    next_i: usize,
    spaced: &[bool],
    cur: &[String],
    w: &mut usize,
    layout: Layout,
) -> (bool, bool) {
    let t = &tokens[i].text;
    let page_end = tokens[i].page_end;
    let Some(nx) = tokens.get(next_i) else { return (true, false) };
    let a = t.chars().next_back().unwrap_or(' ');
    let b = nx.text.chars().next().unwrap_or(' ');
    let in_run = spaced[i] && spaced[next_i];
    let heading_like = cur.first().is_some_and(|f| marker(f).is_some())
        && !cur.iter().any(|c| c.contains(['。', ';', '；']));
    let attachment = cur.first().is_some_and(|f| f.starts_with("附件"));
    let next_marker = marker(&nx.text).is_some();
    let article = marker(t).is_some_and(|(k, l)| k == Kind::Article && l == t.len());
    // `…决定书(略) (注:附件请登录…查询)`: a note stands on its own line.
    let note_next = is_note(&nx.text);
    if in_run {
        (false, false)
    } else if article && cur.len() == 1 {
        // `第二十九条　经营者…`: the full-width space after the number.
        *w += 1;
        (false, false)
    } else if is_cjk(a) && cjkish(b) {
        (true, true)
    } else {
        // A full line ends here; so does a line before a numbered item
        // after a sentence, a heading or an attachment label; and so does a
        // sentence when the words up to the next certain line end would not
        // fit on this line.
        let full = *w >= layout.enough();
        let before_item = next_marker
            && (ends_terminal(t) || heading_like || attachment || ends_paren(t));
        // `附件1:…申报指南 附件2:…登记表`: each attachment on its line.
        let next_attachment = attachment && nx.text.starts_with("附件");
        let overflow = ends_terminal(t)
            && *w + rest_of_line(tokens, next_i, layout.full * 2) > layout.full + 6;
        (
            full || before_item || overflow || note_next || page_end || next_attachment,
            false,
        )
    }
}

/// Whether text ends with a closing parenthesis: `…。（责任单位：市财政局）` ends an
/// item when the next item's marker follows.
fn ends_paren(s: &str) -> bool {
    s.trim_end().ends_with([')', '）'])
}

/// Whether a line opens a parenthesised aside on what precedes it, such as
/// `（人民银行营业管理部，北京银保监局，市金融监管局）` after an item's last
/// sentence: it belongs to that paragraph. A marker `（一）` or a note `（注：` does not.
fn opens_aside(line: &Line) -> bool {
    line.heading.is_none()
        && line.starts_marker().is_none()
        && line.words.first().is_some_and(|w| w.starts_with(['(', '（']) && !is_note(w))
}

/// Whether a word opens a note in parentheses, `(注:…` or `（注：…`.
fn is_note(word: &str) -> bool {
    word.starts_with("(注") || word.starts_with("（注")
}

/// The width from word `i` up to the next space between two CJK characters, or
/// `cap` if it is wider (the caller only compares it with a line width, and without
/// a cap a text without CJK would be scanned to its end at every sentence).
fn rest_of_line(tokens: &[Tok], i: usize, cap: usize) -> usize {
    let mut w = 0;
    for (k, t) in tokens.iter().enumerate().skip(i) {
        w += width(&t.text) + usize::from(k > i);
        if w >= cap {
            return cap;
        }
        let a = t.text.chars().next_back().unwrap_or(' ');
        let b = tokens.get(k + 1).and_then(|n| n.text.chars().next()).unwrap_or(' ');
        if is_cjk(a) && is_cjk(b) {
            break;
        }
    }
    w
}

/// Rebuilds paragraphs and headings from a policy's or the intro's words.
pub(crate) fn build_blocks(tokens: &[Tok], report: &mut ImportReport) -> Vec<Block> {
    let layout = Layout::measure(tokens);
    let lines = lines(tokens, layout, report);
    // Inside a list of attachments, numbered lines are items, not headings.
    let mut in_attachments = false;
    // In a regulation (条例、办法、细则: articles), only chapters and sections are
    // headings; a `（一）` under an article is a 项, a paragraph even when it stands
    // alone, as `check` expects. Two articles make a regulation, so that a line that
    // happens to start with `第三条规定…` does not.
    let regulation =
        lines.iter().filter(|l| l.starts_marker() == Some(Kind::Article)).count() >= 2;
    let mut blocks = Vec::new();
    let mut para: Vec<&Line> = Vec::new();
    let flush =
        |para: &mut Vec<&Line>, blocks: &mut Vec<Block>, report: &mut ImportReport| {
            if para.is_empty() {
                return;
            }
            let raw = para.iter().map(|l| l.text()).collect::<Vec<_>>().join(" ");
            para.clear();
            let text = article_space(&normalize(&raw, report), report);
            if !text.is_empty() {
                blocks.push(Block::Para(text));
            }
        };
    for (j, line) in lines.iter().enumerate() {
        if let Some((kind, text)) = &line.heading {
            flush(&mut para, &mut blocks, report);
            // Built from pure CJK words: nothing to normalise, and the space after
            // the chapter number is wanted.
            blocks.push(Block::Heading { kind: *kind, text: text.clone() });
            continue;
        }
        let next = lines.get(j + 1);
        let text = line.text();
        if para.is_empty() {
            in_attachments = if text.starts_with("附件") {
                true
            } else {
                in_attachments && line.starts_marker().is_some()
            };
        }
        if para.is_empty()
            && !in_attachments
            && let Some(kind) = line.starts_marker()
            && kind != Kind::Article
            && next.is_some()
            && line.width < layout.short()
            && !text.contains(['。', '；', ';'])
            && !text.trim_end().ends_with([',', '，', ':', '：', '、'])
            && !continues_on_next_page(line, next, layout)
        {
            let text = normalize(&text, report);
            // A standalone item of a regulation stands alone as a paragraph.
            blocks.push(if regulation {
                Block::Para(text)
            } else {
                Block::Heading { kind, text }
            });
            continue;
        }
        para.push(line);
        let end = paragraph_ends_after(line, &text, next, layout, in_attachments);
        if end {
            flush(&mut para, &mut blocks, report);
        }
    }
    flush(&mut para, &mut blocks, report);
    blocks
}

/// Whether the paragraph ends with `line` (whose text is `text`): before a heading,
/// after a sentence on a short line or before a numbered item, an attachment label or
/// a note; an aside in brackets goes on.
fn paragraph_ends_after(
    line: &Line,
    text: &str,
    next: Option<&Line>,
    layout: Layout,
    in_attachments: bool,
) -> bool {
    match next {
        None => true,
        Some(nx) if opens_aside(nx) => false,
        Some(nx) => {
            nx.heading.is_some()
                || (ends_paren(text) && nx.starts_marker().is_some())
                || (ends_terminal(text)
                    && (line.width < layout.short()
                        || nx.starts_marker().is_some()
                        || nx.indented(layout)))
                || (nx.words.first().is_some_and(|w| w.starts_with("附件"))
                    && (ends_terminal(text)
                        || line.width < layout.short()
                        || text.starts_with("附件")))
                || (in_attachments && nx.starts_marker().is_some())
                || nx.words.first().is_some_and(|w| is_note(w))
        }
    }
}

/// Whether a short numbered line is the start of a sentence cut by a page end rather
/// than a heading: it is the last line of its page, and the first line of the next page
/// carries no marker and is not indented as a paragraph's first line is.
/// `二、各承接主体按年度向市人力资源社会保障局报备符 120 合条件的企业名单…`.
fn continues_on_next_page(line: &Line, next: Option<&Line>, layout: Layout) -> bool {
    line.page_end
        && next.is_some_and(|nx| {
            nx.heading.is_none() && nx.starts_marker().is_none() && !nx.indented(layout)
        })
}

/// A category that only lists titles (`《…》 《…》`): one paragraph per title.
pub(crate) fn build_list_blocks(tokens: &[Tok], report: &mut ImportReport) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        cur.push(&t.text);
        let next_opens = tokens.get(i + 1).is_none_or(|n| n.text.starts_with('《'));
        if t.text.ends_with('》') && next_opens {
            let text = normalize(&cur.join(" "), report);
            blocks.push(Block::Para(text));
            cur.clear();
        }
    }
    if !cur.is_empty() {
        blocks.push(Block::Para(normalize(&cur.join(" "), report)));
    }
    blocks
}

/// Punctuation width and spacing, with the repairs counted.
pub(crate) fn normalize(raw: &str, report: &mut ImportReport) -> String {
    let wide = punctuation_width(raw);
    let changed = raw.chars().zip(wide.chars()).filter(|(a, b)| a != b).count();
    report.repair("punctuation", changed);
    let spaced = cjk_spacing(&wide);
    let removed = wide.matches(' ').count().saturating_sub(spaced.matches(' ').count());
    report.repair("cjk_space", removed);
    spaced.trim().to_string()
}

/// `第一条为了…` → `第一条　为了…`: one full-width space after an article number.
fn article_space(text: &str, report: &mut ImportReport) -> String {
    match marker(text) {
        Some((Kind::Article, len)) => {
            let rest = text[len..].trim_start_matches([' ', '\u{3000}']);
            report.repair("article_space", 1);
            format!("{}\u{3000}{rest}", &text[..len])
        }
        _ => text.to_string(),
    }
}

/// Markdown for blocks; heading levels follow the marker ranks used in this text.
pub(crate) fn render(blocks: &[Block], report: &mut ImportReport) -> String {
    let mut kinds: Vec<Kind> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { kind, .. } => Some(*kind),
            Block::Para(_) => None,
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Heading { kind, text } => {
                let rank = kinds.iter().position(|k| k == kind).unwrap_or(0);
                let level = (2 + rank).min(6);
                out.push_str(&"#".repeat(level));
                out.push(' ');
                out.push_str(text);
                report.headings += 1;
            }
            Block::Para(text) => {
                out.push_str(text);
                report.paragraphs += 1;
            }
        }
        out.push_str("\n\n");
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

#[cfg(test)]
pub(crate) fn words(s: &str) -> Vec<Tok> {
    s.split_whitespace()
        .map(|w| Tok { text: w.to_string(), off: 0, page_end: false })
        .collect()
}
