//! The numbering parser on arbitrary text: numerals, markers, a document's plan,
//! validation and renumbering.
//!
//! Oracles, besides no panic:
//! - hanzi numerals: every value written parses back to itself, and every string
//!   that parses is the spelling of a value that writes and parses back;
//! - a recognised marker has a value ≥ 1 and a range on character boundaries, and its
//!   canonical rewrite (unless of an enclosed character, which `fmt` keeps) is
//!   recognised again as the same kind and value, canonical;
//! - nesting points only backwards; validation findings point at real items;
//! - after renumbering, no sequence finding (gap, duplicate, order, restart, start)
//!   remains, as `fmt --renumber` promises.
#![no_main]

use huibian::numbering::{
    self, document::plan, nest, numerals, recognize, renumber, rewrite, validate,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() > huibian_fuzz::MAX_INPUT {
        return;
    }
    if let [a, b, ..] = data {
        let n = u32::from(u16::from_le_bytes([*a, *b])) % (numerals::MAX + 1);
        assert_eq!(numerals::parse(&numerals::write(n)), Some(n), "{n}");
    }
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines();
    let title = lines.next().unwrap_or("");
    let blocks: Vec<&str> = lines.collect();

    for line in &blocks {
        if let Some(value) = numerals::parse(line) {
            assert!(value <= numerals::MAX);
            assert_eq!(numerals::parse(&numerals::write(value)), Some(value));
        }
        let Some(marker) = recognize(line) else { continue };
        assert!(marker.value >= 1, "{line:?}: value 0");
        assert!(
            line.get(marker.range.clone()).is_some(),
            "{line:?}: marker range {:?}",
            marker.range
        );
        assert_eq!(marker.canonical, marker.issues.is_empty());
        // `fmt` leaves `⑴`/`⒈`/`㈠` as written (their rewrite changes a digit or a
        // Han character), so their canonical spelling need not read back.
        if marker.issues.contains(&numbering::Variant::EnclosedCharacter) {
            continue;
        }
        let Some(new) = rewrite(line, &marker, marker.value) else {
            panic!("{line:?}: no rewrite")
        };
        let again = recognize(&new);
        assert!(
            again.as_ref().is_some_and(|m| m.kind == marker.kind
                && m.value == marker.value
                && m.canonical),
            "{line:?} → {new:?} is recognised as {again:?}, not a canonical {:?} {}",
            marker.kind,
            marker.value
        );
    }

    let document = plan(title, &blocks);
    let markers = document.markers();
    let kinds: Vec<_> = markers.iter().map(|m| m.kind).collect();
    for (child, parent) in nest(&kinds, document.hierarchy).into_iter().enumerate() {
        assert!(parent.is_none_or(|p| p < child), "parent {parent:?} of {child}");
    }
    let excerpt = data.first().is_some_and(|b| b & 1 == 1);
    for finding in validate(&markers, document.hierarchy, excerpt) {
        assert!(finding.item < markers.len(), "{finding:?}");
    }
    let mut renumbered = markers.clone();
    for (item, value) in renumber(&markers, document.hierarchy) {
        renumbered[item].value = value;
    }
    let left: Vec<_> = validate(&renumbered, document.hierarchy, false)
        .into_iter()
        .filter(|f| f.severity == huibian::diag::Severity::Error)
        .collect();
    assert!(left.is_empty(), "renumbering left {left:?}");
    let _ = numbering::starts_attachments(title);
});
