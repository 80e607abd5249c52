//! A policy's fields as the desk's form shows them, and written back into the file's
//! front matter in place: only the keys whose values changed are rewritten (in
//! `fmt`'s canonical form), every other line — comments, quoting, keys the form does
//! not show (`id`, `source`, `unprinted`) — stays as the editor wrote it.

use serde::{Deserialize, Serialize};

use crate::edition::front_matter::{self, FrontMatter, OneOrMany};
use crate::fmt::yaml;

/// The form's fields. An empty string or list is an absent key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Fields {
    /// 标题.
    pub title: String,
    /// 发文机关, one per entry.
    pub issuer: Vec<String>,
    /// 文号.
    pub number: String,
    /// 成文日期, `YYYY-MM-DD`.
    pub date: String,
    /// 节选.
    pub excerpt: bool,
    /// 施行日期.
    pub effective: String,
    /// 有效期至.
    pub expires: String,
    /// 效力 (现行有效 / 已修订 / 失效 / 废止), empty when derived.
    pub status: String,
    /// 废止的文件.
    pub repeals: Vec<String>,
    /// 被…废止.
    pub repealed_by: Vec<String>,
}

/// The keys the form edits, in `fmt`'s order.
const KEYS: [&str; 10] = [
    "title",
    "issuer",
    "number",
    "date",
    "excerpt",
    "effective",
    "expires",
    "status",
    "repeals",
    "repealed_by",
];

/// Why the fields could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatterError {
    /// The front matter as it is does not parse: the editor mends it as text first.
    #[error("the header (front matter) cannot be read: {0}")]
    Unreadable(String),
    /// The title is required.
    #[error("a policy needs a title (标题)")]
    NoTitle,
    /// Writing the values would not read back as them (a bug, never a silent change).
    #[error("the header would not read back as the form's values; edit it as text")]
    RoundTrip,
}

impl Fields {
    /// The fields of parsed front matter.
    pub fn of(m: &FrontMatter) -> Self {
        let list =
            |v: &Option<OneOrMany>| v.as_ref().map(OneOrMany::to_vec).unwrap_or_default();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            title: m.title.clone(),
            issuer: list(&m.issuer),
            number: text(&m.number),
            date: text(&m.date),
            excerpt: m.excerpt,
            effective: text(&m.effective),
            expires: text(&m.expires),
            status: text(&m.status),
            repeals: list(&m.repeals),
            repealed_by: list(&m.repealed_by),
        }
    }

    /// Values trimmed and empty list items dropped, as the form means them.
    fn tidy(&self) -> Self {
        let list = |v: &[String]| -> Vec<String> {
            v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
        };
        Self {
            title: self.title.trim().to_string(),
            issuer: list(&self.issuer),
            number: self.number.trim().to_string(),
            date: self.date.trim().to_string(),
            excerpt: self.excerpt,
            effective: self.effective.trim().to_string(),
            expires: self.expires.trim().to_string(),
            status: self.status.trim().to_string(),
            repeals: list(&self.repeals),
            repealed_by: list(&self.repealed_by),
        }
    }

    /// The YAML lines of `key` (empty when the key is absent).
    fn entry(&self, key: &str) -> String {
        let mut out = String::new();
        let many = |v: &[String]| match v {
            [] => None,
            [one] => Some(OneOrMany::One(one.clone())),
            _ => Some(OneOrMany::Many(v.to_vec())),
        };
        let text = |out: &mut String, v: &str| {
            if !v.is_empty() {
                yaml::line(out, key, v);
            }
        };
        match key {
            "title" => yaml::line(&mut out, key, &self.title),
            "issuer" => yaml::list(&mut out, key, many(&self.issuer).as_ref()),
            "number" => text(&mut out, &self.number),
            "date" => text(&mut out, &self.date),
            "excerpt" if self.excerpt => out.push_str("excerpt: true\n"),
            "effective" => text(&mut out, &self.effective),
            "expires" => text(&mut out, &self.expires),
            "status" => text(&mut out, &self.status),
            "repeals" => yaml::list(&mut out, key, many(&self.repeals).as_ref()),
            "repealed_by" => yaml::list(&mut out, key, many(&self.repealed_by).as_ref()),
            _ => {}
        }
        out
    }
}

/// Reads the fields of a policy's front matter `yaml`.
pub fn read(yaml: &str) -> Result<Fields, MatterError> {
    front_matter::parse::<FrontMatter>(yaml)
        .map(|m| Fields::of(&m))
        .map_err(|e| MatterError::Unreadable(front_matter::error_message(&e)))
}

/// `yaml` with the keys whose values differ from `fields` rewritten, added or
/// removed; the other lines unchanged.
pub fn apply(yaml: &str, fields: &Fields) -> Result<String, MatterError> {
    let before: FrontMatter = front_matter::parse(yaml)
        .map_err(|e| MatterError::Unreadable(front_matter::error_message(&e)))?;
    let want = fields.tidy();
    if want.title.is_empty() {
        return Err(MatterError::NoTitle);
    }
    let current = Fields::of(&before);
    let mut out = yaml.to_string();
    for (i, key) in KEYS.iter().enumerate() {
        if current.entry(key) == want.entry(key) {
            continue;
        }
        let lines = want.entry(key);
        match entry_range(&out, key) {
            Some(range) => out.replace_range(range, &lines),
            None => {
                // After the nearest earlier key that is there, else first.
                let at = KEYS[..i]
                    .iter()
                    .rev()
                    .find_map(|k| entry_range(&out, k).map(|r| r.end))
                    .unwrap_or(0);
                out.insert_str(at, &lines);
            }
        }
    }
    let after: FrontMatter =
        front_matter::parse(&out).map_err(|_| MatterError::RoundTrip)?;
    let kept = |m: &FrontMatter| {
        (
            m.id.clone(),
            m.published.clone(),
            m.source.clone(),
            m.unprinted.as_ref().map(OneOrMany::to_vec),
        )
    };
    if Fields::of(&after) != want || kept(&after) != kept(&before) {
        return Err(MatterError::RoundTrip);
    }
    Ok(out)
}

/// The byte range of `key`'s entry in `yaml`: its line and the lines that continue it
/// (indented, or a block list's `- ` items), through their line ends.
fn entry_range(yaml: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    let mut start = None;
    for line in yaml.split_inclusive('\n') {
        match start {
            None => {
                if line
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
                {
                    start = Some(offset);
                }
            }
            Some(s) => {
                let continues = line.starts_with([' ', '\t']) && !line.trim().is_empty()
                    || line.starts_with("- ")
                    || line.trim_end() == "-";
                if !continues {
                    return Some(s..offset);
                }
            }
        }
        offset += line.len();
    }
    start.map(|s| {
        // An entry on the last line without its newline gets one, so that a key
        // added after it starts on its own line.
        s..offset
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "# 核对：2021-12-01\ntitle: 北京市关于促进中小企业发展的若干措施\nissuer:\n  - 北京市经济和信息化局\n  - 北京市财政局   # 联合发文\nnumber: 京经信发〔2021〕3号\nid: zhongxiao\nunprinted: [date]\n";

    #[test]
    fn a_changed_field_rewrites_its_line_only() {
        let mut f = read(YAML).unwrap();
        f.number = "京经信发〔2021〕4号".into();
        let out = apply(YAML, &f).unwrap();
        assert_eq!(out, YAML.replace("3号", "4号"));
    }

    #[test]
    fn unchanged_fields_keep_comments_and_quoting() {
        let f = read(YAML).unwrap();
        assert_eq!(apply(YAML, &f).unwrap(), YAML);
    }

    #[test]
    fn fields_are_added_in_order_and_removed() {
        let mut f = read(YAML).unwrap();
        f.date = "2021-11-05".into();
        f.expires = "2023-12-31".into();
        f.issuer = vec!["北京市经济和信息化局".into()];
        let out = apply(YAML, &f).unwrap();
        assert_eq!(
            out,
            "# 核对：2021-12-01\ntitle: 北京市关于促进中小企业发展的若干措施\nissuer: 北京市经济和信息化局\nnumber: 京经信发〔2021〕3号\ndate: 2021-11-05\nexpires: 2023-12-31\nid: zhongxiao\nunprinted: [date]\n"
        );
        let mut g = read(&out).unwrap();
        g.number.clear();
        g.expires = "  ".into();
        let out = apply(&out, &g).unwrap();
        assert!(!out.contains("number") && !out.contains("expires"), "{out}");
        assert!(out.contains("id: zhongxiao\nunprinted: [date]\n"), "{out}");
    }

    #[test]
    fn hostile_values_are_quoted_and_read_back_as_typed() {
        let mut f = read(YAML).unwrap();
        f.title = "标题: #read(\"/etc/passwd\") 'x'".into();
        f.issuer = vec!["- 甲".into(), "<script>".into()];
        f.status = "true".into();
        let out = apply(YAML, &f).unwrap();
        assert_eq!(read(&out).unwrap(), f);
    }

    #[test]
    fn an_unreadable_header_or_no_title_is_refused() {
        assert!(matches!(
            apply("title: [\n", &Fields::default()),
            Err(MatterError::Unreadable(_))
        ));
        let mut f = read(YAML).unwrap();
        f.title = " ".into();
        assert_eq!(apply(YAML, &f), Err(MatterError::NoTitle));
    }
}
