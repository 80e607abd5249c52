//! A small edition (an intro and a policy, split at the first 0xFF byte) through the
//! whole build: load, assemble, typeset to PDF, TOC, HTML site. Oracle: no panic;
//! sources that load without error typeset, or fail with a located diagnostic, never
//! an `Err`; the PDF is a PDF; the TOC finds every heading the book labels.
#![no_main]

use std::sync::{Arc, LazyLock};

use huibian::html::{self, HtmlTemplates};
use huibian::typeset::{self, WorldCache, fonts::Fonts, world::Templates};
use libfuzzer_sys::fuzz_target;

/// Scanning the system's fonts takes longer than a whole build: once per process.
static FONTS: LazyLock<Arc<Fonts>> = LazyLock::new(|| Arc::new(Fonts::discover(&[])));
static TYPST: LazyLock<Templates> = LazyLock::new(Templates::builtin);
static HTML: LazyLock<HtmlTemplates> = LazyLock::new(HtmlTemplates::builtin);

fuzz_target!(|data: &[u8]| {
    if data.len() > huibian_fuzz::MAX_INPUT {
        return;
    }
    let (intro, policy) = huibian_fuzz::split_intro(data);
    let mut loaded = huibian_fuzz::load(intro, policy, false);
    let Some((_, book)) = loaded.book.take() else {
        huibian_fuzz::check_diagnostics(&loaded.sources, &loaded.diags);
        return;
    };
    if loaded.diags.has_errors() {
        huibian_fuzz::check_diagnostics(&loaded.sources, &loaded.diags);
        return;
    }
    // A fresh World per input, so that a finding reproduces from its input alone.
    let cache = WorldCache::default();
    let laid = typeset::layout(
        &book,
        Default::default(),
        &FONTS,
        &TYPST,
        &cache,
        &mut loaded.sources,
        &mut loaded.diags,
    );
    let laid = match laid {
        Ok(laid) => laid,
        Err(err) => panic!("typesetting failed outside the sources: {err:#}"),
    };
    let exported = laid.as_ref().and_then(|laid| {
        typeset::export(laid, &book, &cache, &mut loaded.sources, &mut loaded.diags)
    });
    // Typst memoises across compilations; keep the process's memory flat.
    typst::comemo::evict(0);
    huibian_fuzz::check_diagnostics(&loaded.sources, &loaded.diags);
    let (Some(laid), Some(exported)) = (laid, exported) else {
        assert!(loaded.diags.has_errors(), "no PDF and no error");
        return;
    };
    assert!(exported.pdf.starts_with(b"%PDF-"), "not a PDF");
    assert!(laid.pages > 0);
    let toc = match huibian::toc::build(&book, &laid.page_map) {
        Ok(toc) => toc,
        Err(missing) => panic!("the laid-out book lacks the headings {missing:?}"),
    };
    if let Err(err) = html::render_site(&book, Some(&toc), &HTML) {
        panic!("HTML site: {err}");
    }
});
