//! Saved web pages → [`Intake`]: the page decoded (UTF-8 or GB18030, declared or
//! detected), its nesting checked before parsing, its site's layout recognised by
//! structure (首都之窗, gov.cn today and before 2019, gov.cn articles, TRS/UCAP
//! containers) or its largest text block taken, and the article's blocks read
//! without the site's chrome.

mod body;
mod decode;
mod fallback;
mod layout;
mod nesting;
#[cfg(test)]
mod tests;

use scraper::Html;

use super::{Block, Found, Intake, IntakeError, limits};
use layout::{first, text_of};

/// Where a page's images come from: the `<name>_files/` folder saved beside it, or
/// the parts of an MHTML archive. A reference the resolver cannot confine (an
/// absolute path, `..` out of the folder, a remote address) gives `None`.
pub trait Resources {
    /// The bytes of the resource a page refers to as `reference` (its `src`).
    fn fetch(&self, reference: &str) -> Option<Vec<u8>>;
}

/// What a container (an MHTML archive) knows about the page it holds.
#[derive(Debug, Default)]
pub(in crate::intake) struct Outside {
    /// The charset its header names.
    pub charset: Option<String>,
    /// The page's address, with where it was read.
    pub location: Option<Found<String>>,
}

/// Reads one HTML page.
pub fn read(bytes: &[u8], resources: &dyn Resources) -> Result<Intake, IntakeError> {
    read_with(bytes, resources, &Outside::default())
}

/// Reads one HTML page, with what its container says about it.
pub(in crate::intake) fn read_with(
    bytes: &[u8],
    resources: &dyn Resources,
    outside: &Outside,
) -> Result<Intake, IntakeError> {
    limits::check_size(bytes.len() as u64, limits::MAX_PAGE, "the page")?;
    let decoded = decode::decode(bytes, outside.charset.as_deref());
    if let Err(depth) = nesting::check(&decoded.text) {
        return Err(IntakeError::Malformed(format!(
            "the page nests elements more than {} deep (reached {depth}): refused before \
             parsing, as browsers stop nesting there too",
            limits::MAX_NESTING
        )));
    }
    let doc = Html::parse_document(&decoded.text);
    let layout = layout::find(&doc);
    let Some(root) = layout.body else {
        return Err(IntakeError::NoText(
            "the page holds no article text: only navigation, links and the site's chrome".into(),
        ));
    };
    let mut walker = body::Walker::new(resources);
    let mut blocks = walker.blocks(root);
    let mut notes = decoded.notes;
    notes.extend(layout.notes);
    notes.extend(walker.notes);
    drop_chrome_lines(&mut blocks, &mut notes);
    attachments(&layout.attachments, &mut blocks, &mut notes);
    if !blocks.iter().any(has_han) {
        return Err(IntakeError::NoText(
            "the page's article holds no Chinese text".into(),
        ));
    }
    let mut fields = layout.fields;
    if fields.title.is_none() {
        fields.title = title(&doc);
    }
    if fields.published.is_none() {
        fields.published = meta(&doc, "PubDate")
            .and_then(|d| layout::date_of(&d))
            .map(|d| Found::new(d, "the page's PubDate meta tag"));
    }
    fields.source = source(&doc).or_else(|| outside.location.clone());
    Ok(Intake {
        format: format!("{}, {}", layout.name, decoded.encoding),
        fields,
        blocks,
        assets: walker.assets,
        notes,
    })
}

fn has_han(block: &Block) -> bool {
    match block {
        Block::Para(p) => p.chars().any(layout::is_han),
        Block::Table(t) => {
            t.rows.iter().flatten().any(|c| c.text.chars().any(layout::is_han))
        }
        Block::Image { .. } => false,
    }
}

fn meta(doc: &Html, name: &str) -> Option<String> {
    let el = first(doc, &format!("meta[name=\"{name}\" i]"))?;
    Some(body::collapse(el.attr("content")?)).filter(|s| !s.is_empty())
}

/// The title when the layout has no title element: the `ArticleTitle` meta tag, else
/// the `<title>` without the site's name after it.
fn title(doc: &Html) -> Option<Found<String>> {
    if let Some(t) = meta(doc, "ArticleTitle") {
        return Some(Found::new(t, "the page's ArticleTitle meta tag"));
    }
    let full = first(doc, "title").map(text_of).filter(|t| !t.is_empty())?;
    let mut t = full.split('_').next().unwrap_or(&full).trim().to_string();
    loop {
        let cut = [" - ", "|", "－", "-"]
            .iter()
            .filter_map(|sep| t.rfind(sep).map(|at| (at, sep.len())))
            .max();
        let Some((at, len)) = cut else { break };
        let tail = &t[at + len..];
        let site = ["网", "政府", "之窗", "门户", "gov"].iter().any(|w| tail.contains(w));
        if !site || at == 0 {
            break;
        }
        t = t[..at].trim().to_string();
    }
    let from = if t == full {
        "the page's <title>"
    } else {
        "the page's <title>, the site's name removed"
    };
    Some(Found::new(t, from))
}

/// The page's address: its canonical link or `og:url`, http(s) only.
fn source(doc: &Html) -> Option<Found<String>> {
    let candidates = [
        ("link[rel=\"canonical\" i]", "href", "the page's canonical link"),
        ("meta[property=\"og:url\" i]", "content", "the page's og:url meta tag"),
    ];
    candidates.iter().find_map(|(css, attr, from)| {
        let url = first(doc, css)?.attr(attr)?.trim();
        web_address(url).then(|| Found::new(url.to_string(), *from))
    })
}

/// An absolute http(s) address of reasonable length and no spaces.
pub(in crate::intake) fn web_address(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && url.len() > 8
        && url.len() <= 2048
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Lines that are the site's buttons inside the article container (`【打印】
/// 【关闭】`, `扫一扫在手机打开当前页`, `字号：大 中 小`).
fn drop_chrome_lines(blocks: &mut Vec<Block>, notes: &mut Vec<String>) {
    const WORDS: [&str; 17] = [
        "扫一扫在手机打开当前页",
        "打印本页",
        "关闭窗口",
        "打印",
        "关闭",
        "扫一扫",
        "分享到",
        "分享",
        "字号",
        "字体",
        "返回顶部",
        "收藏",
        "默认",
        "大",
        "中",
        "小",
        "：",
    ];
    blocks.retain(|b| {
        let Block::Para(p) = b else { return true };
        let mut rest: String = p
            .chars()
            .filter(|c| !c.is_whitespace() && !"【】[]（）()|:".contains(*c))
            .collect();
        if rest.is_empty()
            || !["打印", "关闭", "扫一扫", "分享", "字号", "返回顶部", "收藏"]
                .iter()
                .any(|w| rest.contains(w))
        {
            return true;
        }
        while let Some(w) = WORDS.iter().find(|w| rest.starts_with(*w)) {
            rest.drain(..w.len());
        }
        if rest.is_empty() {
            notes.push(format!("dropped the site's buttons inside the article: {p:?}"));
        }
        !rest.is_empty()
    });
}

/// The page's attachment list (首都之窗's `ul.fujian`) as the document writes its
/// 附件 lines; the files themselves are not fetched.
fn attachments(
    list: &[(String, String)],
    blocks: &mut Vec<Block>,
    notes: &mut Vec<String>,
) {
    for (name, href) in list {
        let bare = name
            .rsplit_once('.')
            .filter(|(_, ext)| {
                ["pdf", "doc", "docx", "wps", "xls", "xlsx", "ofd", "zip", "rar"]
                    .contains(&ext.to_ascii_lowercase().as_str())
            })
            .map_or(name.as_str(), |(stem, _)| stem);
        let listed =
            blocks.iter().any(|b| matches!(b, Block::Para(p) if p.contains(bare)));
        if !listed {
            blocks.push(Block::Para(format!("附件：{bare}")));
        }
        notes.push(format!(
            "附件 {bare} links to {}: the file was not fetched",
            body::shown(href)
        ));
    }
}
