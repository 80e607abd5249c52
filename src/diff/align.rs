//! Which policy and which category of the old edition is which of the new.
//!
//! Policies are matched in rounds, each round only among those still unmatched:
//! by `id`, then by 文号, then by title, then by content similarity (a renamed
//! policy is matched when most of its text is the same). Categories are matched by
//! title; an unmatched pair is a rename when most of their policies match each other
//! (or, for categories that only carry text, when the text is mostly the same).

use std::collections::HashMap;

use serde::Serialize;

use super::text::{Unit, flat_text, units_with};
use crate::book::Book;
use crate::normalize::normalize_text;

/// How a pair of policies was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Same `id` (front matter `id`, else the file path).
    Id,
    /// Same 文号.
    Number,
    /// Same title.
    Title,
    /// Most of the text is the same.
    Content,
}

/// Where a policy sits: category index and position, both 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Index into `Book::categories`.
    pub category: usize,
    /// Index into the category's policies.
    pub position: usize,
}

/// A matched pair of policies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PolicyPair {
    /// Where it is in the old edition.
    pub old: Place,
    /// Where it is in the new edition.
    pub new: Place,
    /// How it was matched.
    pub by: MatchKind,
    /// Character-bigram similarity of the texts, 0–1 (1 for identical texts).
    pub similarity: f64,
}

/// The alignment of two editions.
#[derive(Debug, Clone, Default)]
pub struct Alignment {
    /// Matched policies, in new book order.
    pub pairs: Vec<PolicyPair>,
    /// Old policies with no counterpart, in old book order.
    pub removed: Vec<Place>,
    /// New policies with no counterpart, in new book order.
    pub added: Vec<Place>,
    /// `category_map[old index] = Some(new index)` for matched categories.
    pub category_map: Vec<Option<usize>>,
    /// Matched categories whose titles differ: (old index, new index).
    pub renamed_categories: Vec<(usize, usize)>,
}

/// Minimum content similarity for two otherwise unrelated policies to be one.
pub const CONTENT_THRESHOLD: f64 = 0.5;

fn policy(book: &Book, p: Place) -> &crate::book::Policy {
    &book.categories[p.category].policies[p.position]
}

fn places(book: &Book) -> Vec<Place> {
    book.categories
        .iter()
        .enumerate()
        .flat_map(|(c, cat)| {
            (0..cat.policies.len()).map(move |p| Place { category: c, position: p })
        })
        .collect()
}

fn key(text: &str) -> String {
    normalize_text(text.trim()).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Character bigrams, sorted: the fingerprint content similarity compares.
pub(crate) struct Fingerprint {
    grams: Vec<u64>,
}

impl Fingerprint {
    pub(crate) fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        let mut grams: Vec<u64> =
            chars.windows(2).map(|w| (u64::from(w[0]) << 32) | u64::from(w[1])).collect();
        grams.sort_unstable();
        Fingerprint { grams }
    }

    /// Whether the text had no bigram (one character or none).
    pub(crate) fn is_empty(&self) -> bool {
        self.grams.is_empty()
    }

    /// Dice coefficient of the two bigram multisets.
    pub(crate) fn similarity(&self, other: &Fingerprint) -> f64 {
        let (a, b) = (&self.grams, &other.grams);
        if a.is_empty() && b.is_empty() {
            return 1.0;
        }
        let (mut i, mut j, mut common) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        // Counts stay in usize, never narrowed; as f64 they are exact below 2^53,
        // far beyond any text held in memory.
        2.0 * common as f64 / (a.len() + b.len()) as f64
    }
}

/// The units of every policy of a book, computed once and shared by the alignment
/// and the text comparison.
pub(crate) struct BookTexts {
    units: Vec<Vec<Vec<Unit>>>,
}

impl BookTexts {
    pub(crate) fn new(book: &Book, exact: bool) -> Self {
        let units = book
            .categories
            .iter()
            .map(|c| {
                c.policies.iter().map(|p| units_with(&p.doc, &p.markers, exact)).collect()
            })
            .collect();
        BookTexts { units }
    }

    pub(crate) fn units(&self, p: Place) -> &[Unit] {
        &self.units[p.category][p.position]
    }

    fn flat(&self, p: Place) -> String {
        self.units(p).iter().map(|u| u.text.as_str()).collect::<Vec<_>>().join("\n")
    }
}

/// Matches the policies and categories of two editions.
pub fn align(old: &Book, new: &Book, exact: bool) -> Alignment {
    align_with(old, new, &BookTexts::new(old, exact), &BookTexts::new(new, exact), exact)
}

/// [`align`] with the books' units already computed (the diff shares them with the
/// text comparison).
pub(crate) fn align_with(
    old: &Book,
    new: &Book,
    old_texts: &BookTexts,
    new_texts: &BookTexts,
    exact: bool,
) -> Alignment {
    let mut matching = Matching::new(old, new);
    matching.by_key((old, new), MatchKind::Id, |p| Some(p.id.clone()));
    matching.by_key((old, new), MatchKind::Number, |p| {
        p.meta.number.as_deref().map(key).filter(|k| !k.is_empty())
    });
    matching.by_key((old, new), MatchKind::Title, |p| {
        Some(key(&p.meta.title)).filter(|k| !k.is_empty())
    });

    // Content: fingerprints of every policy (also used for the pairs' similarity).
    let old_flat: Vec<String> =
        matching.old_places.iter().map(|p| old_texts.flat(*p)).collect();
    let new_flat: Vec<String> =
        matching.new_places.iter().map(|p| new_texts.flat(*p)).collect();
    let (old_prints, new_prints) = (Prints::new(&old_flat), Prints::new(&new_flat));
    matching.by_content(&old_prints, &new_prints);

    let mut pairs = matching.pairs((&old_flat, &new_flat), (&old_prints, &new_prints));
    pairs.sort_by_key(|p| (p.new.category, p.new.position));
    let (category_map, renamed_categories) = align_categories(old, new, &pairs, exact);
    Alignment {
        pairs,
        removed: matching.removed(),
        added: matching.added(),
        category_map,
        renamed_categories,
    }
}

/// The fingerprints of a book's policies, each made when first needed: most policies
/// of a new edition match by id and read the same, and need none (2022-Q1 against
/// 2021-Q4: 10 ms of every build with 本期变化).
struct Prints<'a> {
    flat: &'a [String],
    made: Vec<std::cell::OnceCell<Fingerprint>>,
}

impl<'a> Prints<'a> {
    fn new(flat: &'a [String]) -> Self {
        Prints { flat, made: flat.iter().map(|_| std::cell::OnceCell::new()).collect() }
    }

    fn get(&self, i: usize) -> &Fingerprint {
        self.made[i].get_or_init(|| Fingerprint::new(&self.flat[i]))
    }
}

/// A policy matching in progress, round by round: which old policy (by its index in
/// `old_places`) has which new one and how, and which new ones are taken.
struct Matching {
    old_places: Vec<Place>,
    new_places: Vec<Place>,
    old_match: Vec<Option<(usize, MatchKind)>>,
    new_taken: Vec<bool>,
}

impl Matching {
    fn new(old: &Book, new: &Book) -> Self {
        let (old_places, new_places) = (places(old), places(new));
        Matching {
            old_match: vec![None; old_places.len()],
            new_taken: vec![false; new_places.len()],
            old_places,
            new_places,
        }
    }

    /// A round by key: a key that is unique among the unmatched on both sides
    /// matches.
    fn by_key(
        &mut self,
        (old, new): (&Book, &Book),
        round: MatchKind,
        key_of: impl Fn(&crate::book::Policy) -> Option<String>,
    ) {
        let mut new_keys: HashMap<String, Vec<usize>> = HashMap::new();
        for (j, p) in self.new_places.iter().enumerate() {
            if !self.new_taken[j]
                && let Some(k) = key_of(policy(new, *p))
            {
                new_keys.entry(k).or_default().push(j);
            }
        }
        let mut old_keys: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in self.old_places.iter().enumerate() {
            if self.old_match[i].is_none()
                && let Some(k) = key_of(policy(old, *p))
            {
                old_keys.entry(k).or_default().push(i);
            }
        }
        for (i, p) in self.old_places.iter().enumerate() {
            if self.old_match[i].is_some() {
                continue;
            }
            let Some(k) = key_of(policy(old, *p)) else { continue };
            if let (Some(olds), Some(news)) = (old_keys.get(&k), new_keys.get(&k))
                && olds.len() == 1
                && news.len() == 1
                && !self.new_taken[news[0]]
            {
                self.old_match[i] = Some((news[0], round));
                self.new_taken[news[0]] = true;
            }
        }
    }

    /// The content round: among the unmatched, pairs at least [`CONTENT_THRESHOLD`]
    /// similar match, the most similar first.
    fn by_content(&mut self, old_prints: &Prints, new_prints: &Prints) {
        let mut candidates = Vec::new();
        for i in 0..self.old_places.len() {
            if self.old_match[i].is_some() {
                continue;
            }
            let op = old_prints.get(i);
            if op.is_empty() {
                continue;
            }
            for j in 0..self.new_places.len() {
                if self.new_taken[j] {
                    continue;
                }
                let np = new_prints.get(j);
                if np.is_empty() {
                    continue;
                }
                let s = op.similarity(np);
                if s >= CONTENT_THRESHOLD {
                    candidates.push((s, i, j));
                }
            }
        }
        candidates
            .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, i, j) in candidates {
            if self.old_match[i].is_none() && !self.new_taken[j] {
                self.old_match[i] = Some((j, MatchKind::Content));
                self.new_taken[j] = true;
            }
        }
    }

    /// The matched pairs with their similarity, in old book order.
    fn pairs(
        &self,
        (old_flat, new_flat): (&[String], &[String]),
        (old_prints, new_prints): (&Prints, &Prints),
    ) -> Vec<PolicyPair> {
        self.old_match
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                m.map(|(j, by)| PolicyPair {
                    old: self.old_places[i],
                    new: self.new_places[j],
                    by,
                    similarity: if old_flat[i] == new_flat[j] {
                        1.0
                    } else {
                        old_prints.get(i).similarity(new_prints.get(j))
                    },
                })
            })
            .collect()
    }

    /// Old policies left unmatched, in old book order.
    fn removed(&self) -> Vec<Place> {
        let unmatched = self.old_match.iter().map(Option::is_none);
        self.old_places
            .iter()
            .zip(unmatched)
            .filter(|(_, u)| *u)
            .map(|(p, _)| *p)
            .collect()
    }

    /// New policies left unmatched, in new book order.
    fn added(&self) -> Vec<Place> {
        let taken = self.new_taken.iter();
        self.new_places.iter().zip(taken).filter(|(_, t)| !**t).map(|(p, _)| *p).collect()
    }
}

fn align_categories(
    old: &Book,
    new: &Book,
    pairs: &[PolicyPair],
    exact: bool,
) -> (Vec<Option<usize>>, Vec<(usize, usize)>) {
    let mut map: Vec<Option<usize>> = vec![None; old.categories.len()];
    let mut taken = vec![false; new.categories.len()];
    // By title, first unused match in order.
    for (i, oc) in old.categories.iter().enumerate() {
        let k = key(&oc.title);
        if let Some(j) = (0..new.categories.len())
            .find(|&j| !taken[j] && key(&new.categories[j].title) == k)
        {
            map[i] = Some(j);
            taken[j] = true;
        }
    }
    // Renames: unmatched pairs whose policies mostly match each other.
    let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
    for p in pairs {
        *shared.entry((p.old.category, p.new.category)).or_insert(0) += 1;
    }
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (i, oc) in old.categories.iter().enumerate() {
        if map[i].is_some() {
            continue;
        }
        for (j, nc) in new.categories.iter().enumerate() {
            if taken[j] {
                continue;
            }
            let n = shared.get(&(i, j)).copied().unwrap_or(0);
            let most = oc.policies.len().max(nc.policies.len());
            let score = if most > 0 {
                n as f64 / most as f64
            } else {
                match (&oc.body, &nc.body) {
                    (Some(a), Some(b)) => Fingerprint::new(&flat_text(&a.doc, exact))
                        .similarity(&Fingerprint::new(&flat_text(&b.doc, exact))),
                    _ => 0.0,
                }
            };
            if score > 0.5 || (most > 0 && n * 2 >= most && n > 0) {
                candidates.push((score, i, j));
            }
        }
    }
    candidates
        .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut renamed = Vec::new();
    for (_, i, j) in candidates {
        if map[i].is_none() && !taken[j] {
            map[i] = Some(j);
            taken[j] = true;
            renamed.push((i, j));
        }
    }
    renamed.sort();
    (map, renamed)
}

/// Indices (into `seq`) of one longest strictly increasing subsequence: the
/// policies that kept their relative order; the others moved.
pub(crate) fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    // Patience sorting with back-pointers, O(n log n).
    let mut tails: Vec<usize> = Vec::new(); // indices into seq
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, &v) in seq.iter().enumerate() {
        let pos = tails.partition_point(|&t| seq[t] < v);
        if pos > 0 {
            prev[i] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::new();
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = prev[i];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lis() {
        assert_eq!(longest_increasing(&[0, 1, 2]), vec![0, 1, 2]);
        let kept = longest_increasing(&[2, 0, 1, 3]);
        assert_eq!(kept, vec![1, 2, 3]);
    }

    #[test]
    fn similarity() {
        let a = Fingerprint::new("本市行政区域内单用途预付卡的发行");
        assert!((a.similarity(&a) - 1.0).abs() < 1e-9);
        let b = Fingerprint::new("完全不同的文字内容");
        assert!(a.similarity(&b) < 0.2);
    }
}
