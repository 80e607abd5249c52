//! Whether a policy is in force: its status, and the mark the book prints beside a
//! title that is not simply in force.
//!
//! A compilation is read as *current*: a reader trusts that what it prints holds. So
//! each policy's status is decided once, when the book is assembled, from what its
//! front matter states (`status`, `expires`, `repealed_by`) and from the other
//! policies of the edition (one that `repeals` it), and every renderer prints the same
//! mark. [`suggest`] reads the same facts from the text for `check --suggest`.

pub mod suggest;

use crate::edition::{Date, PolicyMeta};

/// 现行有效 / 已修订 / 失效 / 废止.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 现行有效: in force.
    InForce,
    /// 已修订: a revised text replaces it (the book may still print it for reference).
    Revised,
    /// 失效: its term of validity has ended, or it was declared void.
    Expired,
    /// 废止: repealed.
    Repealed,
}

impl Status {
    /// Reads the front matter's word; the forms documents use are accepted
    /// (`现行有效`/`有效`, `已修订`/`修订`, `失效`/`已失效`, `废止`/`已废止`).
    pub fn parse(text: &str) -> Option<Status> {
        match text.trim() {
            "现行有效" | "有效" => Some(Status::InForce),
            "已修订" | "修订" => Some(Status::Revised),
            "失效" | "已失效" => Some(Status::Expired),
            "废止" | "已废止" => Some(Status::Repealed),
            _ => None,
        }
    }

    /// The word as DESIGN.md and the front matter write it.
    pub fn label(self) -> &'static str {
        match self {
            Status::InForce => "现行有效",
            Status::Revised => "已修订",
            Status::Expired => "失效",
            Status::Repealed => "废止",
        }
    }

    /// Whether the policy no longer holds (失效 or 废止).
    pub fn is_void(self) -> bool {
        matches!(self, Status::Expired | Status::Repealed)
    }
}

/// Why a policy has its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The front matter's `status`.
    Stated,
    /// `expires` is before the edition's period.
    Ended(Date),
    /// A document repeals it: another policy of the edition (its title), or the
    /// front matter's `repealed_by`.
    RepealedBy(String),
    /// Nothing says otherwise.
    Default,
}

/// A policy's status, why, and the mark printed beside its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validity {
    /// 现行有效 / 已修订 / 失效 / 废止.
    pub status: Status,
    /// Where the status comes from.
    pub reason: Reason,
    /// 「有效期至2023年12月31日」, 「已失效」, …; `None` for a policy simply in force.
    pub mark: Option<String>,
}

/// Decides a policy's validity. `repealed_by` is the title of a policy of the same
/// edition that repeals it, if any; `period` is the edition's.
pub fn derive(
    meta: &PolicyMeta,
    period: Option<(Date, Date)>,
    repealed_by: Option<&str>,
) -> Validity {
    let (status, reason) = if let Some(status) = meta.status {
        (status, Reason::Stated)
    } else if let Some(by) =
        repealed_by.map(str::to_string).or_else(|| meta.repealed_by.first().cloned())
    {
        (Status::Repealed, Reason::RepealedBy(by))
    } else if let (Some(expires), Some((first, _))) = (meta.expires, period)
        && expires < first
    {
        (Status::Expired, Reason::Ended(expires))
    } else {
        (Status::InForce, Reason::Default)
    };
    let mark = match status {
        Status::InForce => meta.expires.map(|d| format!("「有效期至{}」", d.chinese())),
        Status::Revised => Some("「已修订」".to_string()),
        Status::Expired => Some("「已失效」".to_string()),
        Status::Repealed => Some("「已废止」".to_string()),
    };
    Validity { status, reason, mark }
}

/// A reference to a document as `repeals` and `repealed_by` write it, reduced to what
/// identifies it: a 文号 in GB/T 9704 form, or a title without 《》 and spaces.
pub fn reference_key(reference: &str) -> String {
    let trimmed = reference.trim().trim_start_matches('《').trim_end_matches('》');
    if let Some(number) = crate::patterns::normalise_doc_number(trimmed) {
        return number;
    }
    trimmed.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A document that repeals others: where it is and what it names. The book
/// (deriving 废止) and `check` (warning of repeals within and across editions) find
/// who repeals whom through it alike.
#[derive(Debug, Clone)]
pub struct Repealer {
    /// Its file: the path within its edition, or `2021-Q3: <path>` for another one.
    pub place: String,
    /// Its title.
    pub title: String,
    /// The documents it repeals, as written.
    pub repeals: Vec<String>,
}

impl Repealer {
    /// The policy at `place` as a repealer; `None` when it repeals nothing.
    pub fn of(place: String, meta: &PolicyMeta) -> Option<Repealer> {
        (!meta.repeals.is_empty()).then(|| Repealer {
            place,
            title: meta.title.clone(),
            repeals: meta.repeals.clone(),
        })
    }

    /// The reference by which it repeals the policy at `path` with `meta`, if it does;
    /// never itself.
    pub fn repeals_policy(&self, path: &str, meta: &PolicyMeta) -> Option<&str> {
        if self.place == path || self.title == meta.title {
            return None;
        }
        self.repeals.iter().find(|r| names(r, meta)).map(String::as_str)
    }
}

/// Whether `reference` names the policy with this metadata (by 文号 or by title).
pub fn names(reference: &str, meta: &PolicyMeta) -> bool {
    let key = reference_key(reference);
    if key.is_empty() {
        return false;
    }
    meta.number.as_deref().is_some_and(|n| reference_key(n) == key)
        || reference_key(&meta.title) == key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> PolicyMeta {
        PolicyMeta {
            title: "北京市零售药店医疗保障定点管理暂行办法".into(),
            issuer: vec![],
            number: Some("京医保发〔2021〕30号".into()),
            date: None,
            excerpt: false,
            id: None,
            published: None,
            effective: None,
            expires: None,
            source: None,
            status: None,
            repeals: vec![],
            repealed_by: vec![],
            unprinted: vec![],
        }
    }

    fn date(s: &str) -> Date {
        Date::parse(s, false).unwrap()
    }

    const Q4: Option<(Date, Date)> = Some((
        Date { year: 2021, month: 10, day: 1 },
        Date { year: 2021, month: 12, day: 31 },
    ));

    #[test]
    fn in_force_without_expiry_has_no_mark() {
        let v = derive(&meta(), Q4, None);
        assert_eq!((v.status, v.mark), (Status::InForce, None));
    }

    #[test]
    fn an_expiry_is_marked_and_a_past_one_voids() {
        let mut m = meta();
        m.expires = Some(date("2023-12-31"));
        let v = derive(&m, Q4, None);
        assert_eq!(v.status, Status::InForce);
        assert_eq!(v.mark.as_deref(), Some("「有效期至2023年12月31日」"));
        m.expires = Some(date("2021-09-30"));
        let v = derive(&m, Q4, None);
        assert_eq!((v.status, v.mark.as_deref()), (Status::Expired, Some("「已失效」")));
        assert_eq!(v.reason, Reason::Ended(date("2021-09-30")));
        // Ending inside the period: still in force for part of it, and marked.
        m.expires = Some(date("2021-11-30"));
        assert_eq!(derive(&m, Q4, None).status, Status::InForce);
    }

    #[test]
    fn stated_status_wins_and_repeals_void() {
        let mut m = meta();
        m.expires = Some(date("2020-01-01"));
        m.status = Some(Status::Revised);
        assert_eq!(derive(&m, Q4, None).mark.as_deref(), Some("「已修订」"));
        m.status = None;
        let v = derive(&m, Q4, Some("北京市某某办法"));
        assert_eq!(v.status, Status::Repealed);
        assert_eq!(v.reason, Reason::RepealedBy("北京市某某办法".into()));
        let mut m = meta();
        m.repealed_by = vec!["京医保发〔2022〕1号".into()];
        assert_eq!(derive(&m, Q4, None).mark.as_deref(), Some("「已废止」"));
    }

    #[test]
    fn references_name_a_policy_by_number_or_title() {
        let m = meta();
        assert!(names("京医保发[2021]030号", &m));
        assert!(names("《北京市零售药店医疗保障定点管理暂行办法》", &m));
        assert!(names(" 北京市零售药店医疗保障定点管理 暂行办法", &m));
        assert!(!names("北京市零售药店医疗保障定点管理办法", &m));
        assert!(!names("", &m));
        assert!(!names("京医保发〔2021〕3号", &m));
    }

    #[test]
    fn status_words() {
        for (word, status) in [
            ("现行有效", Status::InForce),
            ("已修订", Status::Revised),
            ("失效", Status::Expired),
            ("已废止", Status::Repealed),
        ] {
            assert_eq!(Status::parse(word), Some(status));
        }
        assert_eq!(Status::parse("有效期内"), None);
    }
}
