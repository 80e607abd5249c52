//! A policy file (front matter + Markdown) through loading, parsing, assembling and
//! every `check` rule. Oracle: no panic; every block, inline and finding points inside
//! the file at character boundaries.
#![no_main]

use huibian::markdown::{self, Block};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let loaded = huibian_fuzz::load(None, data, true);
    huibian_fuzz::check_diagnostics(&loaded.sources, &loaded.diags);
    let Some((_, book)) = &loaded.book else { return };
    for policy in book.policies() {
        let text = &loaded.sources.get(policy.source).text;
        let inside = |range: &std::ops::Range<usize>| {
            range.start <= range.end
                && range.end <= text.len()
                && text.is_char_boundary(range.start)
                && text.is_char_boundary(range.end)
        };
        for block in &policy.doc.blocks {
            let span = &block.span().range;
            assert!(inside(span), "block span {span:?} in {} bytes", text.len());
            if let Block::Heading { level, .. } = block {
                assert!((1..=6).contains(level), "heading level {level}");
            }
        }
        markdown::walk_inlines(&policy.doc.blocks, &mut |inline| {
            let span = &inline.span.range;
            assert!(inside(span), "inline span {span:?} in {} bytes", text.len());
        });
    }
});
