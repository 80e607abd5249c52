//! What the fuzz targets share: an edition held in memory around fuzzed files, and
//! the oracles every target applies to diagnostics.
//!
//! An in-memory edition goes through the loader's own per-file code
//! ([`huibian::edition::parse_policy`], [`huibian::edition::parse_text`]) and then
//! every later stage, without touching the disk for each input.

use std::path::{Path, PathBuf};

use huibian::book::{self, Book};
use huibian::diag::{self, Diagnostics};
use huibian::edition::{
    CategorySource, Date, Edition, EditionMeta, parse_policy, parse_text,
};
use huibian::source::{Sources, Span};

/// The largest input the slow targets take: bigger inputs find nothing more and
/// make each execution slower.
pub const MAX_INPUT: usize = 4096;

/// A loaded and assembled one-policy edition, with everything found on the way.
pub struct Loaded {
    /// Every file: the manifest stand-in, the intro, the policy.
    pub sources: Sources,
    /// Findings from loading, assembling and (if asked) checking.
    pub diags: Diagnostics,
    /// The edition and its book, when loading found no error.
    pub book: Option<(Edition, Book)>,
}

/// The manifest the in-memory edition pretends to have been read from; diagnostics
/// about the edition as a whole point into it.
const MANIFEST: &str = "title = \"北京市支持民营企业高质量发展政策汇编\"\n\
subtitle = \"2021年四季度\"\npublisher = \"北京市工商业联合会\"\npublished = \"2022-01\"\n\
period = [\"2021-10-01\", \"2021-12-31\"]\nintro = \"引言.md\"\n\n[[category]]\n\
title = \"优化营商环境\"\npolicies = [\"优化营商环境/policy.md\"]\n";

/// Loads `policy` (and `intro`, if given) as the files of a one-category edition and
/// assembles the book; with `check`, also runs every `huibian check` rule.
pub fn load(intro: Option<&[u8]>, policy: &[u8], check: bool) -> Loaded {
    let mut sources = Sources::new();
    let mut diags = Diagnostics::default();
    let manifest = sources.add(PathBuf::from("edition.toml"), MANIFEST.to_string());
    let intro = intro.and_then(|bytes| {
        let id = huibian::encoding::read(&mut sources, Path::new("引言.md"), bytes.to_vec(), &mut diags)?;
        parse_text(&sources, id, "引言.md".to_string(), &mut diags)
    });
    let path = "优化营商环境/policy.md";
    let policy = huibian::encoding::read(&mut sources, Path::new(path), policy.to_vec(), &mut diags)
        .and_then(|id| parse_policy(&sources, id, path.to_string(), &mut diags));
    let (Some(policy), false) = (policy, diags.has_errors()) else {
        return Loaded { sources, diags, book: None };
    };
    let edition = Edition {
        id: "2021-Q4".to_string(),
        // A folder that does not exist: `check` finds no unlisted files in it.
        root: PathBuf::from("/nonexistent/huibian-fuzz/2021-Q4"),
        manifest,
        meta: EditionMeta {
            title: "北京市支持民营企业高质量发展政策汇编".to_string(),
            subtitle: Some("2021年四季度".to_string()),
            publisher: Some("北京市工商业联合会".to_string()),
            published: Date::parse("2022-01", true),
            period: Date::parse("2021-10-01", false)
                .zip(Date::parse("2021-12-31", false)),
            style: Default::default(),
            previous: None,
            indexes: Vec::new(),
            // The edition is in memory, not on disk: the PDF cannot carry its files.
            pdf: huibian::edition::pdf::PdfSettings {
                embed_sources: false,
                ..Default::default()
            },
        },
        intro,
        categories: vec![CategorySource {
            title: "优化营商环境".to_string(),
            title_span: Span::new(manifest, 0..0),
            body: None,
            policies: vec![policy],
        }],
    };
    let book = book::assemble(&edition, &sources, &mut diags);
    if check {
        huibian::check::check(&edition, &book, &sources, &mut diags);
    }
    Loaded { sources, diags, book: Some((edition, book)) }
}

/// Splits an input at its first `0xFF` byte (never part of UTF-8, so it cannot be
/// text the fuzzer means): intro before it, policy after; without it, all policy.
pub fn split_intro(data: &[u8]) -> (Option<&[u8]>, &[u8]) {
    match data.iter().position(|&b| b == 0xFF) {
        Some(at) => (Some(&data[..at]), &data[at + 1..]),
        None => (None, data),
    }
}

/// The oracle for findings: each one points inside its file at character boundaries
/// (so that `file:line:column` is right), and renders as text and JSON.
pub fn check_diagnostics(sources: &Sources, diags: &Diagnostics) {
    let all: Vec<_> = diags.iter().cloned().collect();
    for d in &all {
        if let Some(span) = &d.span {
            let text = &sources.get(span.source).text;
            assert!(
                span.range.start <= span.range.end && span.range.end <= text.len(),
                "{} `{}`: span {:?} outside its file of {} bytes",
                d.code,
                d.message,
                span.range,
                text.len()
            );
            assert!(
                text.is_char_boundary(span.range.start)
                    && text.is_char_boundary(span.range.end),
                "{} `{}`: span {:?} splits a character",
                d.code,
                d.message,
                span.range
            );
        }
    }
    let rendered = diag::render_plain(sources, &all);
    assert_eq!(all.is_empty(), rendered.is_empty());
    let json = diag::to_json(sources, &all);
    assert_eq!(json.len(), all.len());
}
