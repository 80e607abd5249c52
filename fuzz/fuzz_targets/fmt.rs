//! `huibian fmt` on arbitrary text. The first byte chooses the file's role (bit 0:
//! intro/category text instead of a policy) and `--renumber` (bit 1).
//!
//! Oracles, besides no panic:
//! - idempotence: formatting the output again changes nothing;
//! - without `--renumber`, the body keeps every Han character and digit, in order
//!   (full-width digits count as their ASCII digit: DESIGN.md allows `１.` → `1.`),
//!   and the front matter keeps every value (keys are reordered and requoted, YAML
//!   escapes may be written out, but the parsed values are the same), save the title,
//!   which `fmt` normalises as text (`normalize_title`): it is compared normalised;
//! - formatting never turns body text into front matter, nor the reverse.
#![no_main]

use huibian::cjk::is_cjk;
use huibian::edition::front_matter::{self, FrontMatter, TextMatter};
use huibian::fmt::{Options, Role, format};
use huibian::normalize::normalize_title;
use huibian::numbering::numerals::fold_fullwidth_digits;
use libfuzzer_sys::fuzz_target;

/// The Han characters and digits of a text, in order, full-width digits folded.
fn han_and_digits(text: &str) -> String {
    fold_fullwidth_digits(text)
        .chars()
        .filter(|&c| c.is_ascii_digit() || (is_cjk(c) && c.is_alphabetic()))
        .collect()
}

/// The front matter's values as parsed, comparable across formatting.
fn matter(text: &str, role: Role) -> (Option<String>, String) {
    let split = front_matter::split(text).ok();
    let yaml = split.as_ref().and_then(|s| s.yaml.clone()).map(|r| &text[r]);
    let body = split.map_or(text, |s| &text[s.body_start..]);
    let values = yaml.map(|yaml| match role {
        // `issuer: [甲]` and `issuer: 甲` are the same value: compare lists.
        Role::Policy => format!(
            "{:?}",
            serde_saphyr::from_str::<FrontMatter>(yaml).ok().map(|m| (
                normalize_title(&m.title),
                m.issuer.map(|i| i.to_vec()),
                m.number,
                m.date,
                m.excerpt,
                m.id
            ))
        ),
        Role::Text => format!(
            "{:?}",
            serde_saphyr::from_str::<TextMatter>(yaml)
                .ok()
                .map(|m| m.title.map(|t| normalize_title(&t)))
        ),
    });
    // A text file's empty front matter and none at all mean the same: no title.
    let values = match role {
        Role::Text => values.or_else(|| Some(format!("{:?}", Some(None::<String>)))),
        Role::Policy => values,
    };
    (values, han_and_digits(body))
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    if rest.len() > huibian_fuzz::MAX_INPUT {
        return;
    }
    // As `huibian fmt` reads a file: BOM and CR line ends normalised, UTF-8 checked.
    let mut sources = huibian::source::Sources::new();
    let mut diags = huibian::diag::Diagnostics::default();
    let path = std::path::Path::new("policy.md");
    let Some(id) = huibian::encoding::read(&mut sources, path, rest.to_vec(), &mut diags) else { return };
    let text = sources.get(id).text.as_str();
    let role = if flags & 1 == 1 { Role::Text } else { Role::Policy };
    let options = Options { renumber: flags & 2 == 2 };
    let Ok(once) = format(text, role, options) else { return };
    let twice = match format(&once.text, role, options) {
        Ok(twice) => twice,
        Err(err) => panic!("formatted text no longer formats: {err}\n{:?}", once.text),
    };
    assert_eq!(once.text, twice.text, "not idempotent on {text:?}");
    if options.renumber {
        return;
    }
    let (matter_in, body_in) = matter(text, role);
    let (matter_out, body_out) = matter(&once.text, role);
    assert_eq!(matter_in, matter_out, "front matter changed: {text:?} → {:?}", once.text);
    assert_eq!(
        body_in, body_out,
        "Han characters or digits changed: {text:?} → {:?}",
        once.text
    );
});
