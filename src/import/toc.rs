//! The book's front: cover, 引言 and 目录, and the body cut at the 目录's titles.
//!
//! Titles are compared with all spaces removed, because the body breaks a long title
//! across lines at other places than the 目录 does.

use super::tokens::{Marker, Tok, as_number};
use super::{ImportError, ImportReport};
use crate::normalize::normalize_text;

/// What the cover says.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cover {
    /// Book title, the words before the parenthesised subtitle.
    pub(crate) title: String,
    /// The parenthesised line, e.g. 2021年四季度.
    pub(crate) subtitle: Option<String>,
    /// What lies between subtitle and date.
    pub(crate) publisher: Option<String>,
    /// `YYYY-MM`.
    pub(crate) published: Option<String>,
}

/// A 目录 line.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Whether it is a category (`1.优化营商环境`) rather than a policy title.
    pub(crate) category: bool,
    /// The title as printed (category number removed), normalised for output.
    pub(crate) title: String,
    /// The title with every space removed, as it is searched for in the body.
    pub(crate) key: String,
    /// The printed page number.
    pub(crate) page: usize,
    /// Byte offset of the entry in the input.
    pub(crate) off: usize,
}

/// Everything before the body.
#[derive(Debug, Clone)]
pub(crate) struct Front {
    /// Title, subtitle, publisher and date from the cover.
    pub(crate) cover: Cover,
    /// The 引言's words, its page number removed.
    pub(crate) intro: Vec<Tok>,
    /// The 目录 in order.
    pub(crate) entries: Vec<Entry>,
    /// Index of the body's first word in the token list.
    pub(crate) body_start: usize,
}

/// Where a heading made of single characters (`目 录`, `引 言`) or one word starts.
fn find_heading(tokens: &[Tok], word: &str) -> Option<(usize, usize)> {
    let chars: Vec<char> = word.chars().collect();
    for i in 0..tokens.len() {
        if tokens[i].text == word {
            return Some((i, 1));
        }
        let n = chars.len();
        if i + n <= tokens.len()
            && tokens[i..i + n].iter().zip(&chars).all(|(t, c)| t.text == c.to_string())
        {
            return Some((i, n));
        }
    }
    None
}

/// A run of at least four dots or two ellipses: a dot leader.
fn leader(s: &str) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'.' || s[i..].starts_with('…') {
            let start = i;
            let mut dots = 0;
            while i < bytes.len() {
                if bytes[i] == b'.' {
                    i += 1;
                    dots += 1;
                } else if s[i..].starts_with('…') {
                    i += '…'.len_utf8();
                    dots += 3;
                } else {
                    break;
                }
            }
            // Four dots at least; fewer where the number follows at once and a title
            // precedes (a wrapped entry's last line leaves room for little leader).
            let page_follows = !s[i..].is_empty()
                && s[i..].len() <= 4
                && s[i..].bytes().all(|b| b.is_ascii_digit());
            let after_title = s[..start]
                .chars()
                .next_back()
                .is_some_and(|c| !c.is_ascii_digit() && !c.is_whitespace());
            if dots >= 4 || (page_follows && after_title) {
                return Some((start, i));
            }
        } else {
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    None
}

/// The title of a category entry, its number taken off: `1.优化营商环境`,
/// `一、优化营商环境` and `第一部分 优化营商环境` → `优化营商环境`.
fn category_title(key: &str) -> Option<&str> {
    const NUMERALS: &str = "一二三四五六七八九十";
    let digits = key.bytes().take_while(u8::is_ascii_digit).count();
    let rest = if (1..=2).contains(&digits) {
        let rest = &key[digits..];
        rest.strip_prefix('.').or_else(|| rest.strip_prefix('、'))?
    } else if let Some(part) = key.strip_prefix('第') {
        let numeral = part.chars().take_while(|c| NUMERALS.contains(*c)).count();
        let rest = part.char_indices().nth(numeral).map_or("", |(at, _)| &part[at..]);
        if numeral == 0 || numeral > 3 {
            return None;
        }
        let rest = rest.strip_prefix("部分")?;
        rest.trim_start_matches([' ', '　', '、', '：', ':'])
    } else {
        let numeral = key.chars().take_while(|c| NUMERALS.contains(*c)).count();
        if numeral == 0 || numeral > 3 {
            return None;
        }
        let at = key.char_indices().nth(numeral).map_or(key.len(), |(at, _)| at);
        key[at..].strip_prefix('、')?
    };
    let rest = rest.trim_start();
    (!rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit())).then_some(rest)
}

/// Reads cover, 引言 and 目录.
pub(crate) fn read_front(
    tokens: &[Tok],
    report: &mut ImportReport,
) -> Result<Front, ImportError> {
    let (toc_at, toc_len) = find_heading(tokens, "目录").ok_or(ImportError::NoToc)?;
    let intro_at = find_heading(&tokens[..toc_at], "引言");
    let cover_end = intro_at.map_or(toc_at, |(i, _)| i);
    let cover = read_cover(&tokens[..cover_end]);
    let mut intro: Vec<Tok> =
        intro_at.map(|(i, n)| tokens[i + n..toc_at].to_vec()).unwrap_or_default();
    if intro.last().is_some_and(|t| as_number(&t.text).is_some()) {
        intro.pop();
        report.repair("page_number", 1);
    }
    let toc_off = tokens[toc_at].off;
    let (entries, body_start) = read_entries(tokens, toc_at + toc_len, report);
    if entries.is_empty() {
        return Err(ImportError::EmptyToc(toc_off));
    }
    Ok(Front { cover, intro, entries, body_start })
}

fn read_cover(tokens: &[Tok]) -> Cover {
    let mut cover = Cover::default();
    let open = tokens.iter().position(|t| t.text.starts_with(['(', '（']));
    let close = open.and_then(|o| {
        tokens[o..].iter().position(|t| t.text.ends_with([')', '）'])).map(|c| o + c)
    });
    let (title_end, rest_start) = match (open, close) {
        (Some(o), Some(c)) => {
            let sub = super::joined(&tokens[o..=c]);
            let sub = normalize_text(&sub);
            let sub = sub.trim_start_matches('（').trim_end_matches('）');
            cover.subtitle = Some(sub.to_string()).filter(|s| !s.is_empty());
            (o, c + 1)
        }
        _ => (tokens.len().min(1), tokens.len().min(1)),
    };
    cover.title = normalize_text(&super::joined(&tokens[..title_end]));
    let rest = &tokens[rest_start..];
    // The date is the tail `2022 年 1 月`; what lies between is the publisher.
    let mut date_start = rest.len();
    for i in (rest.len().saturating_sub(8)..rest.len()).rev() {
        let tail = normalize_text(&super::joined(&rest[i..]));
        if let Some(ym) = parse_year_month(&tail)
            .filter(|ym| crate::edition::date::Date::parse(ym, true).is_some())
        {
            cover.published = Some(ym);
            date_start = i;
            break;
        }
    }
    let publisher = normalize_text(&super::joined(&rest[..date_start]));
    cover.publisher = Some(publisher).filter(|s| !s.is_empty());
    cover
}

/// `2022年1月` → `2022-01`.
pub(crate) fn parse_year_month(s: &str) -> Option<String> {
    let (y, rest) = s.split_once('年')?;
    let m = rest.strip_suffix('月')?;
    let year: u32 = y.parse().ok().filter(|y| (1900..=2200).contains(y))?;
    let month: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
    Some(format!("{year:04}-{month:02}"))
}

/// Reads 目录 entries from `start`; returns them and where the body starts. The 目录
/// ends where a run of words grows too long to be a title without a dot leader.
fn read_entries(
    tokens: &[Tok],
    start: usize,
    report: &mut ImportReport,
) -> (Vec<Entry>, usize) {
    let mut entries = Vec::new();
    let mut pending: Vec<&Tok> = Vec::new();
    let mut body_start = start;
    let mut i = start;
    // The page of the last entry: the next is on it or after it.
    let mut last_page = 0;
    while i < tokens.len() {
        let tok = &tokens[i];
        // A page number the PDF reader marked is never an entry's.
        if super::tokens::is_marked_folio(&tok.text) {
            report.repair("page_number", 1);
            i += 1;
            if pending.is_empty() {
                body_start = i;
            }
            continue;
        }
        if pending.is_empty() && as_number(&tok.text).is_some() {
            // The 目录's own page number.
            report.repair("page_number", 1);
            i += 1;
            body_start = i;
            continue;
        }
        if let Some((a, b)) = leader(&tok.text) {
            let mut key: String = pending.iter().map(|t| t.text.as_str()).collect();
            key.push_str(&tok.text[..a]);
            let after = &tok.text[b..];
            let page = if after.is_empty() {
                match tokens.get(i + 1).and_then(|t| as_number(&t.text)) {
                    Some(p) => {
                        i += 1;
                        Some(p)
                    }
                    None => None,
                }
            } else {
                as_number(after)
            };
            let off = pending.first().map_or(tok.off, |t| t.off);
            let spaced: String = pending
                .iter()
                .map(|t| t.text.as_str())
                .chain(std::iter::once(&tok.text[..a]))
                .collect::<Vec<_>>()
                .join(" ");
            pending.clear();
            i += 1;
            body_start = i;
            let Some(page) = page else {
                report.warn(off, format!("目录 entry without page number: {key}"));
                continue;
            };
            if key.is_empty() {
                continue;
            }
            last_page = page;
            entries.push(entry(key, &spaced, page, off));
            continue;
        }
        // The body opens with the 目录's first entry (the first category's heading):
        // the 目录 ends there, whatever follows.
        if let Some(first) = entries.first() {
            let so_far: String = pending
                .iter()
                .map(|t| t.text.as_str())
                .chain(std::iter::once(tok.text.as_str()))
                .collect();
            if so_far.starts_with(&first.key) {
                break;
            }
        }
        // A 目录 without leaders: a number right after a title ends the entry, when it
        // can be the next page (not before the last entry's, not far beyond it: a
        // year written apart in a title is not a page).
        if let Some(page) = as_number(&tok.text)
            && !pending.is_empty()
            && pending.iter().any(|t| t.text.chars().any(crate::cjk::is_cjk))
            && page >= last_page
            && page <= last_page + 300
        {
            let key: String = pending.iter().map(|t| t.text.as_str()).collect();
            let spaced: String =
                pending.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
            let off = pending.first().map_or(tok.off, |t| t.off);
            pending.clear();
            i += 1;
            body_start = i;
            last_page = page;
            entries.push(entry(key, &spaced, page, off));
            continue;
        }
        pending.push(tok);
        let len: usize = pending.iter().map(|t| t.text.chars().count()).sum();
        if len > 120 {
            break;
        }
        i += 1;
    }
    (entries, body_start)
}

/// A 目录 entry from its words (`spaced`, as printed) and its page.
fn entry(key: String, spaced: &str, page: usize, off: usize) -> Entry {
    let shown = normalize_text(spaced);
    // A policy's title keeps the space between joint issuers, as printed.
    let (category, title) = match category_title(&shown) {
        Some(t) => (true, t.to_string()),
        None => (false, crate::normalize::normalize_title(spaced)),
    };
    Entry { category, title, key, page, off }
}

/// A piece of the body: a category heading with what follows it up to the first
/// policy, or one policy.
#[derive(Debug, Clone)]
pub(crate) enum Section {
    /// A category heading; its words are text it carries (a list of plans).
    Category {
        /// Title without number.
        title: String,
        /// Words after the heading, up to the first policy.
        tokens: Vec<Tok>,
    },
    /// A policy, its title already cut off.
    Policy {
        /// The title as the 目录 prints it.
        title: String,
        /// The policy's words, from after the title to the next title.
        tokens: Vec<Tok>,
    },
}

/// The body as one string without spaces, and where each word starts in it.
struct Compact {
    text: String,
    starts: Vec<usize>,
}

impl Compact {
    fn new(tokens: &[Tok]) -> Self {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(tokens.len());
        for t in tokens {
            starts.push(text.len());
            text.push_str(&t.text);
        }
        Compact { text, starts }
    }

    /// The word that contains byte `at`, and the offset of `at` in it.
    fn locate(&self, at: usize) -> (usize, usize) {
        let i = match self.starts.binary_search(&at) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        (i, at - self.starts.get(i).copied().unwrap_or(0))
    }

    /// The first occurrence of `key` at or after byte `from` that starts a word and
    /// is not a quotation (`《title》`).
    fn find(&self, key: &str, from: usize) -> Option<usize> {
        let mut from = from;
        while from <= self.text.len() {
            let rel = self.text.get(from..)?.find(key)?;
            let at = from + rel;
            let starts_word = self.starts.binary_search(&at).is_ok();
            let quoted = self.text[..at].ends_with(['《', '“', '<', '〈']);
            if starts_word && !quoted {
                return Some(at);
            }
            from = at + key.chars().next().map_or(1, char::len_utf8);
        }
        None
    }
}

/// Cuts the body at the 目录's titles, in 目录 order.
pub(crate) fn split_body(
    body: &[Tok],
    entries: &[Entry],
    markers: &[Marker],
    report: &mut ImportReport,
) -> Vec<Section> {
    let compact = Compact::new(body);
    // (entry, start byte, end byte) of each title found.
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    let mut pos = 0;
    for (k, e) in entries.iter().enumerate() {
        if let Some(at) = compact.find(&e.key, pos) {
            found.push((k, at, at + e.key.len()));
            pos = at + e.key.len();
            continue;
        }
        // A title printed differently in the body: look for its beginning.
        let prefix: String = e.key.chars().take(10).collect();
        if e.key.chars().count() > 10
            && let Some(at) = compact.find(&prefix, pos)
        {
            let end = at + e.key.len();
            let end = (end..=compact.text.len().max(end))
                .find(|i| compact.text.is_char_boundary(*i))
                .unwrap_or(compact.text.len())
                .min(compact.text.len());
            report.warn(
                body.get(compact.locate(at).0).map_or(e.off, |t| t.off),
                format!(
                    "title printed differently in the body than in the 目录: {}",
                    e.title
                ),
            );
            found.push((k, at, end));
            pos = end;
            continue;
        }
        report.warn(e.off, format!("目录 title not found in the body: {}", e.title));
    }
    let mut sections = Vec::new();
    for (n, &(k, start, end)) in found.iter().enumerate() {
        let e = &entries[k];
        let next = found.get(n + 1).map_or(compact.text.len(), |f| f.1);
        let (first, _) = compact.locate(start);
        // Check the page the title lies on against the 目录.
        let page = markers.iter().rev().find(|m| m.next <= first).map(|m| m.page + 1);
        if let Some(page) = page
            && page != e.page
        {
            report.warn(
                body.get(first).map_or(e.off, |t| t.off),
                format!(
                    "目录 gives page {} for {}, the body has it on page {page}",
                    e.page, e.title
                ),
            );
        }
        let tokens = slice_tokens(body, &compact, end, next);
        let title = e.title.clone();
        sections.push(if e.category {
            Section::Category { title, tokens }
        } else {
            Section::Policy { title, tokens }
        });
    }
    sections
}

/// The words between two byte positions of the compact body, cutting the first and
/// last word where the positions fall inside them.
fn slice_tokens(body: &[Tok], compact: &Compact, from: usize, to: usize) -> Vec<Tok> {
    let mut out = Vec::new();
    if from >= to {
        return out;
    }
    let (first, inner) = compact.locate(from);
    for (i, tok) in body.iter().enumerate().skip(first) {
        let start = compact.starts.get(i).copied().unwrap_or(0);
        if start >= to {
            break;
        }
        let a = if i == first { inner } else { 0 };
        let b = (to - start).min(tok.text.len());
        if let Some(text) = tok.text.get(a..b)
            && !text.is_empty()
        {
            out.push(Tok {
                text: text.to_string(),
                off: tok.off + a,
                // Only the word's own end is the end of a page.
                page_end: tok.page_end && b == tok.text.len(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::tokens::tokenize;

    /// The 目录 entries read from `text` (a cover, `目 录`, entries, then the body).
    fn entries(text: &str) -> Vec<(bool, String, usize)> {
        let mut report = ImportReport::default();
        let tokens = tokenize(text, &mut report);
        let front = read_front(&tokens, &mut report).unwrap();
        front.entries.into_iter().map(|e| (e.category, e.title, e.page)).collect()
    }

    const WANT: [(bool, &str, usize); 3] = [
        (true, "优化营商环境", 1),
        (false, "北京市进一步强化节能实施方案", 1),
        (false, "北京市单用途预付卡管理条例", 6),
    ];

    fn check(toc: &str) {
        let body = "一、优化营商环境 北京市进一步强化节能实施方案 正文。";
        let got = entries(&format!("汇编 目 录 {toc} {body}"));
        let want: Vec<(bool, String, usize)> =
            WANT.iter().map(|(c, t, p)| (*c, t.to_string(), *p)).collect();
        assert_eq!(got, want, "{toc}");
    }

    #[test]
    fn a_toc_with_or_without_leaders_and_with_wrapped_entries() {
        check(
            "一、优化营商环境....1 北京市进一步强化节能实施方案....1 北京市单用途预付卡管理条例....6",
        );
        // No leader at all: the number ends the entry.
        check(
            "一、优化营商环境 1 北京市进一步强化节能实施方案 1 北京市单用途预付卡管理条例 6",
        );
        // A short leader on a wrapped entry's last line, and an entry over three lines.
        check(
            "一、优化营商环境.1 北京市进一步 强化节能 实施方案...1 北京市单用途预付卡管理条例.6",
        );
    }

    #[test]
    fn category_numbers_in_the_forms_books_use() {
        for key in [
            "1.优化营商环境",
            "一、优化营商环境",
            "第一部分 优化营商环境",
            "第十二部分、优化营商环境",
        ] {
            assert_eq!(category_title(key), Some("优化营商环境"), "{key}");
        }
        for key in ["北京市关于…", "一是加强领导", "2021年工作要点", "第一条 总则"]
        {
            assert_eq!(category_title(key), None, "{key}");
        }
    }
}
