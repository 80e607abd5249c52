//! Validity findings: a current edition should not print, unremarked, what is no
//! longer in force.
//!
//! Each warning points at the front matter line it is about: `expires` for a term
//! that ended before the edition's period or ends within it, the `number` (or
//! `title`) line of a policy that a document of this edition or of an earlier edition
//! under `sources/` repeals, and the `repeals` line of a policy that repeals one still
//! printed here. With `--suggest`, the validity each text states ([`suggest`]) is
//! proposed as front matter, with the sentence it was read from.

use std::path::Path;

use crate::book::{Book, Policy};
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::front_matter::find_key;
use crate::source::{Sources, Span};
use crate::validity::{self, Repealer, suggest};

/// The repealing policies of the editions beside this one (under `sources/`) that come
/// before `book` (by period, else by id). A later edition's manifest is all that is
/// read of it, and of an earlier one only the manifest and front matter (bodies are not
/// parsed), so that checking every edition of a project stays cheap; an edition whose
/// front matter has errors is skipped (its own `check` reports them).
pub fn earlier_repealers(folder: &Path, book: &Book) -> anyhow::Result<Vec<Repealer>> {
    // `check 2021-Q4` run inside sources/ names the folder without a parent.
    let folder = std::path::absolute(folder)?;
    let Some(parent) = folder.parent() else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    let here = folder.canonicalize().ok();
    for other in crate::edition::discover(parent)? {
        if other.canonicalize().ok() == here {
            continue;
        }
        // Its manifest's period first: later editions are not read at all.
        let id = crate::edition::edition_id(&other)?;
        let before = match (period_of(&other), book.meta.period) {
            (Some((_, last)), Some((first, _))) => last < first,
            _ => id < book.id,
        };
        if !before {
            continue;
        }
        let mut sources = Sources::new();
        let mut diags = crate::diag::Diagnostics::default();
        let Some(earlier) =
            crate::edition::Edition::load(&other, &mut sources, &mut diags)?
        else {
            continue;
        };
        let policies = earlier.categories.iter().flat_map(|c| &c.policies);
        out.extend(policies.filter_map(|p| {
            Repealer::of(format!("{}: {}", earlier.id, p.path), &p.meta)
        }));
    }
    Ok(out)
}

/// The period an edition's manifest states, read without loading the edition; `None`
/// when it states none or cannot be read (its own `check` reports why).
fn period_of(folder: &Path) -> Option<(crate::edition::Date, crate::edition::Date)> {
    #[derive(serde::Deserialize)]
    struct Period {
        period: Option<Vec<String>>,
    }
    let text = std::fs::read_to_string(folder.join(crate::edition::MANIFEST)).ok()?;
    let period = toml::from_str::<Period>(&text).ok()?.period?;
    match period.as_slice() {
        [first, last] => Some((
            crate::edition::Date::parse(first, false)?,
            crate::edition::Date::parse(last, false)?,
        )),
        _ => None,
    }
}

/// The validity warnings of an edition on its own.
pub(super) fn check_book(book: &Book, sources: &Sources, diags: &mut Diagnostics) {
    let here: Vec<Repealer> =
        book.policies().filter_map(|p| Repealer::of(p.path.clone(), &p.meta)).collect();
    for policy in book.policies() {
        let key = key_span(policy, sources);
        check_term(book, policy, &key, diags);
        warn_repealed(policy, &here, &key, diags);
        for named in &policy.meta.repeals {
            let printed = book.policies().find(|other| {
                other.id != policy.id && validity::names(named, &other.meta)
            });
            if let Some(other) = printed {
                diags.push(
                    Diagnostic::warning(
                        "repeals-printed",
                        format!("this policy repeals `{named}`, which this edition still prints ({})", other.path),
                    )
                    .with_span(key("repeals"))
                    .with_hint("remove the repealed policy from edition.toml, or keep it marked 已废止"),
                );
            }
        }
    }
}

/// The policies of this edition that a document of an earlier edition repeals.
pub(super) fn check_earlier(
    book: &Book,
    earlier: &[Repealer],
    sources: &Sources,
    diags: &mut Diagnostics,
) {
    // A repealing document this edition still prints is reported as this edition's own.
    let earlier: Vec<Repealer> = earlier
        .iter()
        .filter(|r| !book.policies().any(|p| p.meta.title == r.title))
        .cloned()
        .collect();
    for policy in book.policies() {
        warn_repealed(policy, &earlier, &key_span(policy, sources), diags);
    }
}

/// The span of a front matter line of `policy` (its `title` line when the key is absent).
fn key_span<'a>(policy: &'a Policy, sources: &'a Sources) -> impl Fn(&str) -> Span + 'a {
    move |name: &str| {
        let text = &sources.get(policy.source).text;
        let range =
            find_key(text, name).or_else(|| find_key(text, "title")).unwrap_or(0..0);
        Span::new(policy.source, range)
    }
}

fn warn_repealed(
    policy: &Policy,
    repealers: &[Repealer],
    key: &impl Fn(&str) -> Span,
    diags: &mut Diagnostics,
) {
    for repealer in repealers {
        let Some(named) = repealer.repeals_policy(&policy.path, &policy.meta) else {
            continue;
        };
        let which = if policy.meta.number.is_some() { "number" } else { "title" };
        diags.push(
            Diagnostic::warning(
                "repealed",
                format!("《{}》 ({}) repeals this policy (it names `{named}`)", repealer.title, repealer.place),
            )
            .with_span(key(which))
            .with_hint("a current edition should not print a repealed policy: remove it, or keep it with `status: 废止` so that the book marks it"),
        );
    }
}

/// A term of validity that ended before the period, or ends within it.
fn check_term(
    book: &Book,
    policy: &Policy,
    key: &impl Fn(&str) -> Span,
    diags: &mut Diagnostics,
) {
    let (Some(expires), Some((first, last))) = (policy.meta.expires, book.meta.period)
    else {
        return;
    };
    if expires < first {
        diags.push(
            Diagnostic::warning(
                "validity-ended",
                format!("its term ended on {}, before this edition's period ({first} – {last})", expires.chinese()),
            )
            .with_span(key("expires"))
            .with_hint("a current edition should not print it: remove it from edition.toml, or check `expires`"),
        );
    } else if expires <= last {
        diags.push(
            Diagnostic::warning(
                "validity-ends",
                format!("its term ends on {}, within this edition's period ({first} – {last})", expires.chinese()),
            )
            .with_span(key("expires"))
            .with_hint("the book marks it 「有效期至…」; check whether a new document replaces it"),
        );
    }
}

/// `check --suggest`: the validity each policy's text states, proposed as front matter
/// where the front matter does not already say the same.
pub(super) fn suggestions(book: &Book, sources: &Sources, diags: &mut Diagnostics) {
    for policy in book.policies() {
        for s in suggest::suggest(policy, sources) {
            let current = match s.key {
                "effective" => policy.meta.effective.map(|d| d.to_string()),
                "expires" => policy.meta.expires.map(|d| d.to_string()),
                _ => (!policy.meta.repeals.is_empty())
                    .then(|| format!("[{}]", policy.meta.repeals.join(", "))),
            };
            let same = match (&current, &s.value) {
                (Some(c), Some(v)) if s.key == "repeals" => keys(c) == keys(v),
                (Some(c), Some(v)) => c == v,
                _ => false,
            };
            if same {
                continue;
            }
            let code = match s.key {
                "effective" => "suggest-effective",
                "expires" => "suggest-expires",
                _ => "suggest-repeals",
            };
            let mut d = Diagnostic::help(code, format!("the text says {}", s.reading))
                .with_span(s.span.clone())
                .with_label("read here");
            d = match (&s.value, &current) {
                (Some(v), None) => d.with_hint(format!("add to the front matter: `{}: {v}`", s.key)),
                (Some(v), Some(c)) => d.with_hint(format!(
                    "the front matter says `{}: {c}`; the text gives `{v}`: check which is right",
                    s.key
                )),
                (None, _) => d.with_hint(format!("fill in the date it counts from, then `{}` follows", s.key)),
            };
            diags.push(d);
        }
    }
}

fn keys(list: &str) -> Vec<String> {
    let mut keys: Vec<String> = list
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(", ")
        .map(validity::reference_key)
        .collect();
    keys.sort();
    keys
}
