//! `huibian new`: the next quarter's edition, scaffolded from the last one.
//!
//! Editors start a quarter with the same categories and style as the last, the
//! subtitle and period moved on by one quarter, and the introduction copied with every
//! date in it marked `【待核：…】` so that none survives unrevised (`check` warns
//! while a marker is left, and the PDF shows it).

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::bail;

use crate::edition::{Date, Edition};
use crate::load::{self, Loaded};
use crate::output::write_dir_atomic;
use crate::project::Project;
use crate::source::Sources;

/// What `huibian new` did.
#[derive(Debug)]
pub enum Created {
    /// The new edition is on disk.
    Edition {
        /// `sources/<ID>/`.
        target: PathBuf,
        /// The edition it was made from.
        from: PathBuf,
        /// The quarter it is for.
        quarter: Quarter,
        /// Categories carried over.
        categories: usize,
        /// Whether an introduction was copied (its dates marked for revision).
        intro: bool,
    },
    /// The edition to start from has errors (in the [`Loaded`]); nothing was written.
    SourceErrors(PathBuf, Box<Loaded>),
}

/// Creates `sources/<id>/` from the edition `from` names (default: the latest). Never
/// overwrites: an existing folder is an error.
pub fn create(
    project: &Project,
    id: &str,
    from: Option<&str>,
) -> anyhow::Result<Created> {
    let target = project.new_edition_dir(id)?;
    if target.exists() {
        bail!(
            "{} already exists; huibian new never overwrites an edition",
            target.display()
        );
    }
    let from = match from {
        Some(from) => project.resolve(from)?,
        None => project.latest_edition()?,
    };
    let loaded = load::load_alone(&from)?;
    let Some(old) = &loaded.edition else {
        return Ok(Created::SourceErrors(from, Box::new(loaded)));
    };
    let quarter = match (Quarter::parse_id(id), old.meta.period) {
        (Some(quarter), _) => quarter,
        (None, Some((_, last))) => Quarter::of(last).next(),
        (None, None) => bail!(
            "cannot tell which quarter `{id}` is: name it YYYY-Qn (e.g. 2022-Q1) or give {} a `period`",
            from.display()
        ),
    };
    let files = scaffold(old, &loaded.sources, quarter);
    write_dir_atomic(&target, &files)?;
    Ok(Created::Edition {
        target,
        from,
        quarter,
        categories: old.categories.len(),
        intro: files.len() > 1,
    })
}

/// The marker put around dates an editor must revise.
pub const TODO_OPEN: &str = "【待核：";

/// A quarter of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quarter {
    /// The year.
    pub year: u16,
    /// 1–4.
    pub quarter: u8,
}

impl Quarter {
    /// `2022-Q1` → Q1 2022.
    pub fn parse_id(id: &str) -> Option<Self> {
        let (year, q) = id.split_once("-Q").or_else(|| id.split_once("-q"))?;
        let year: u16 = year.parse().ok().filter(|y| (1900..=9999).contains(y))?;
        let quarter: u8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        Some(Self { year, quarter })
    }

    /// The quarter that contains `date`.
    pub fn of(date: Date) -> Self {
        Self { year: date.year, quarter: (date.month.max(1) - 1) / 3 + 1 }
    }

    /// The quarter after this one.
    pub fn next(self) -> Self {
        if self.quarter == 4 {
            Self { year: self.year + 1, quarter: 1 }
        } else {
            Self { year: self.year, quarter: self.quarter + 1 }
        }
    }

    /// First and last day.
    pub fn period(self) -> (Date, Date) {
        let first_month = (self.quarter - 1) * 3 + 1;
        let last_month = first_month + 2;
        let last_day = match last_month {
            3 | 12 => 31,
            _ => 30,
        };
        (
            Date { year: self.year, month: first_month, day: 1 },
            Date { year: self.year, month: last_month, day: last_day },
        )
    }

    /// `2022年一季度`, as the book's subtitle writes it.
    pub fn subtitle(self) -> String {
        let name = ["一", "二", "三", "四"][usize::from(self.quarter - 1)];
        format!("{}年{name}季度", self.year)
    }

    /// The month after the quarter ends: when the book is published.
    pub fn publication(self) -> Date {
        let next = self.next();
        Date { year: next.year, month: (next.quarter - 1) * 3 + 1, day: 0 }
    }
}

/// The files of the new edition: `edition.toml` and, if the old one had one, the
/// intro with its dates marked.
pub fn scaffold(
    old: &Edition,
    sources: &Sources,
    quarter: Quarter,
) -> Vec<(String, String)> {
    let (first, last) = quarter.period();
    let mut toml = String::new();
    toml.push_str(&format!("title     = {}\n", quote(&old.meta.title)));
    toml.push_str(&format!("subtitle  = {}\n", quote(&quarter.subtitle())));
    if let Some(publisher) = &old.meta.publisher {
        toml.push_str(&format!("publisher = {}\n", quote(publisher)));
    }
    toml.push_str(&format!("published = \"{}\"\n", quarter.publication()));
    toml.push_str(&format!("period    = [\"{first}\", \"{last}\"]\n"));
    let mut files = Vec::new();
    if let Some(intro) = &old.intro {
        let name = intro.path.rsplit('/').next().unwrap_or("引言.md").to_string();
        toml.push_str(&format!("intro     = {}\n", quote(&name)));
        files.push((name, mark_dates(&sources.get(intro.source).text)));
    }
    for category in &old.categories {
        // A title that names a period (四季度出台…) is marked like the intro's dates.
        let title = mark_dates(&category.title);
        toml.push_str(&format!(
            "\n[[category]]\ntitle    = {}\npolicies = []\n",
            quote(&title)
        ));
    }
    if !old.meta.style.is_empty() {
        toml.push_str("\n[style]\n");
        let style: BTreeMap<_, _> = old.meta.style.iter().collect();
        for (key, value) in style {
            toml.push_str(&format!("{key} = {value}\n"));
        }
    }
    files.insert(0, ("edition.toml".to_string(), toml));
    files
}

fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Wraps every date-like phrase (`2021年10月1日`, `2021年`, `四季度`) in the marker.
pub fn mark_dates(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for phrase in crate::patterns::date_phrases(text) {
        out.push_str(&text[at..phrase.start]);
        out.push_str(TODO_OPEN);
        out.push_str(&text[phrase.clone()]);
        out.push('】');
        at = phrase.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_roll_over_the_year() {
        let q4 = Quarter::parse_id("2021-Q4").unwrap();
        let next = q4.next();
        assert_eq!(next, Quarter { year: 2022, quarter: 1 });
        assert_eq!(next.subtitle(), "2022年一季度");
        let (first, last) = next.period();
        assert_eq!(
            (first.to_string(), last.to_string()),
            ("2022-01-01".into(), "2022-03-31".into())
        );
        assert_eq!(next.publication().to_string(), "2022-04");
        assert_eq!(Quarter::of(Date { year: 2021, month: 12, day: 31 }), q4);
        assert_eq!(
            Quarter { year: 2022, quarter: 2 }.period().1.to_string(),
            "2022-06-30"
        );
        assert_eq!(Quarter::parse_id("2021-Q5"), None);
    }

    #[test]
    fn dates_in_the_intro_are_marked() {
        assert_eq!(
            mark_dates(
                "2021年北京市，2021年10月1日至2022年12月31日，四季度出台，2021年一、二季度"
            ),
            "【待核：2021年】北京市，【待核：2021年10月1日】至【待核：2022年12月31日】，【待核：四季度】出台，【待核：2021年】一、【待核：二季度】"
        );
    }
}
