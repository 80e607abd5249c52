//! `[pdf] standard` in edition.toml and `build --pdf-standard`: the PDF standards the
//! book must conform to; and `[pdf] embed_sources`: whether the PDF carries the
//! edition's sources as attachments (PDF/A-3 allows them, PDF/A-1 and -2 do not).
//!
//! The list is checked here, at load time, by Typst's own rules
//! ([`typst_pdf::PdfStandards::new`]), so that `check` reports an impossible
//! combination (PDF/A-1b with PDF/UA-1) at its line instead of the build failing
//! later; what a standard forbids in the *content* is refused by typst-pdf itself
//! when the PDF is written (see `typeset::standard`).

use typst_pdf::{PdfStandard, PdfStandards};

use crate::source::Span;

/// The standards every edition conforms to unless it says otherwise: archival
/// (PDF/A-3a: what PDF/A-2a asks — fonts embedded, colour defined, tagged, Unicode
/// text — and it allows the attached sources, which PDF/A-2 does not) and accessible
/// (PDF/UA-1). The 2021-Q4 book passes both; a book that cannot (an image without
/// alt text, a character no font draws) fails with the reason at its source line.
pub const DEFAULT: &[PdfStandard] = &[PdfStandard::A_3a, PdfStandard::Ua_1];

/// The standards that forbid attached files (Typst writes none under them).
const NO_ATTACHMENTS: &[PdfStandard] = &[
    PdfStandard::A_1a,
    PdfStandard::A_1b,
    PdfStandard::A_2a,
    PdfStandard::A_2b,
    PdfStandard::A_2u,
];

/// The names a user writes, as Typst's command line spells them.
const NAMES: &[(&str, PdfStandard)] = &[
    ("1.4", PdfStandard::V_1_4),
    ("1.5", PdfStandard::V_1_5),
    ("1.6", PdfStandard::V_1_6),
    ("1.7", PdfStandard::V_1_7),
    ("2.0", PdfStandard::V_2_0),
    ("a-1b", PdfStandard::A_1b),
    ("a-1a", PdfStandard::A_1a),
    ("a-2b", PdfStandard::A_2b),
    ("a-2u", PdfStandard::A_2u),
    ("a-2a", PdfStandard::A_2a),
    ("a-3b", PdfStandard::A_3b),
    ("a-3u", PdfStandard::A_3u),
    ("a-3a", PdfStandard::A_3a),
    ("a-4", PdfStandard::A_4),
    ("a-4f", PdfStandard::A_4f),
    ("a-4e", PdfStandard::A_4e),
    ("ua-1", PdfStandard::Ua_1),
];

/// Where an edition's standards were chosen, for the error that names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Nothing was chosen: [`DEFAULT`].
    Default,
    /// `[pdf] standard` in edition.toml, at this value.
    Manifest(Span),
    /// `build --pdf-standard`.
    CommandLine,
}

/// The standards an edition's PDF conforms to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfSettings {
    /// Whether the PDF carries the edition's sources (`[pdf] embed_sources`, on
    /// unless turned off).
    pub embed_sources: bool,
    /// In the order written; empty for none (a plain, tagged PDF 1.7).
    pub standards: Vec<PdfStandard>,
    /// Where they were chosen.
    pub origin: Origin,
}

impl Default for PdfSettings {
    fn default() -> Self {
        Self { standards: DEFAULT.to_vec(), origin: Origin::Default, embed_sources: true }
    }
}

impl PdfSettings {
    /// The list in Typst's form. Loading has checked it (see [`parse`]), and Typst
    /// accepts a list once accepted.
    pub fn typst(&self) -> Result<PdfStandards, String> {
        PdfStandards::new(&self.standards).map_err(|e| e.message().to_string())
    }

    /// Why the sources cannot be attached under these standards, if they cannot.
    pub fn attachments_refused(&self) -> Option<String> {
        let forbids = self.standards.iter().find(|s| NO_ATTACHMENTS.contains(s))?;
        self.embed_sources.then(|| {
            format!(
                "{} does not allow attached files, and the PDF carries the edition's sources \
                 (`[pdf] embed_sources`): choose PDF/A-3 (a-3a, a-3u or a-3b), or set \
                 `embed_sources = false` under `[pdf]` in edition.toml",
                display(*forbids)
            )
        })
    }

    /// Whether every image needs alt text: the "a" (accessible) PDF/A levels and
    /// PDF/UA.
    pub fn requires_alt_text(&self) -> bool {
        self.standards.iter().any(|s| {
            matches!(
                s,
                PdfStandard::A_1a
                    | PdfStandard::A_2a
                    | PdfStandard::A_3a
                    | PdfStandard::Ua_1
            )
        })
    }

    /// Whether a character no font draws is an error rather than a warning: every
    /// PDF/A part and PDF/UA forbid the empty glyph box.
    pub fn forbids_missing_glyphs(&self) -> bool {
        self.standards.iter().any(|s| {
            !matches!(
                s,
                PdfStandard::V_1_4
                    | PdfStandard::V_1_5
                    | PdfStandard::V_1_6
                    | PdfStandard::V_1_7
                    | PdfStandard::V_2_0
            )
        })
    }

    /// The standards as a reader names them: `PDF/A-3a + PDF/UA-1`, or `none`.
    pub fn label(&self) -> String {
        if self.standards.is_empty() {
            return "no PDF standard".to_string();
        }
        self.standards.iter().map(|s| display(*s)).collect::<Vec<_>>().join(" + ")
    }

    /// Where the choice was made, for a hint: `[pdf] standard in edition.toml`.
    pub fn chosen_where(&self) -> &'static str {
        match self.origin {
            Origin::Default => {
                "huibian's default; choose another with `[pdf] standard` in edition.toml or `build --pdf-standard`"
            }
            Origin::Manifest(_) => "`[pdf] standard` in edition.toml",
            Origin::CommandLine => "`--pdf-standard` on the command line",
        }
    }
}

/// `PDF/A-2a`, `PDF/UA-1`, `PDF 1.7`.
fn display(standard: PdfStandard) -> String {
    let name = NAMES.iter().find(|(_, s)| *s == standard).map_or("?", |(n, _)| n);
    match name.split_once('-') {
        Some((family, level)) => format!("PDF/{}-{level}", family.to_uppercase()),
        None => format!("PDF {name}"),
    }
}

/// Reads a list of standard names (`a-2a`, `ua-1`, or `none`), as written in
/// edition.toml or after `--pdf-standard` (comma-separated), and checks that Typst
/// can produce them together. The error says what is wrong and what is accepted.
pub fn parse<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<PdfStandard>, String> {
    let mut list = Vec::new();
    let mut none = false;
    for name in names.into_iter().flat_map(|n| n.split(',')).map(str::trim) {
        if name.is_empty() {
            continue;
        }
        if name.eq_ignore_ascii_case("none") {
            none = true;
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let lower = lower.strip_prefix("pdf/").unwrap_or(&lower);
        match NAMES.iter().find(|(n, _)| *n == lower) {
            Some((_, standard)) if list.contains(standard) => {
                return Err(format!("the PDF standard `{name}` is listed twice"));
            }
            Some((_, standard)) => list.push(*standard),
            None => {
                let known: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
                return Err(format!(
                    "unknown PDF standard `{name}`: choose from {}, or \"none\"",
                    known.join(", ")
                ));
            }
        }
    }
    if none && !list.is_empty() {
        return Err("\"none\" cannot be combined with a PDF standard".to_string());
    }
    if let Err(e) = PdfStandards::new(&list) {
        let mut message = e.message().to_string();
        for hint in e.hints() {
            message.push_str("; ");
            message.push_str(hint);
        }
        return Err(message);
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_combinations() {
        assert_eq!(parse(["a-2a"]), Ok(vec![PdfStandard::A_2a]));
        assert_eq!(parse(["a-3a,ua-1"]), Ok(DEFAULT.to_vec()));
        assert_eq!(
            parse(["PDF/A-3a", " ua-1 "]),
            Ok(vec![PdfStandard::A_3a, PdfStandard::Ua_1])
        );
        assert_eq!(parse(["none"]), Ok(vec![]));
        let unknown = parse(["a-5"]).unwrap_err();
        assert!(unknown.contains("unknown PDF standard `a-5`"), "{unknown}");
        // Typst's own rule: one PDF/A part at a time.
        let two = parse(["a-2a", "a-3b"]).unwrap_err();
        assert!(two.contains("at most one PDF/A"), "{two}");
        assert!(parse(["none", "ua-1"]).is_err());
        assert!(parse(["ua-1", "ua-1"]).unwrap_err().contains("twice"));
    }

    #[test]
    fn labels() {
        assert_eq!(PdfSettings::default().label(), "PDF/A-3a + PDF/UA-1");
        assert!(PdfSettings::default().requires_alt_text());
        let plain = PdfSettings {
            standards: vec![PdfStandard::A_2b],
            origin: Origin::CommandLine,
            embed_sources: true,
        };
        assert_eq!(plain.label(), "PDF/A-2b");
        assert!(
            plain
                .attachments_refused()
                .unwrap()
                .contains("PDF/A-2b does not allow attached files")
        );
        assert!(PdfSettings::default().attachments_refused().is_none());
        let kept = PdfSettings { embed_sources: false, ..plain.clone() };
        assert!(kept.attachments_refused().is_none());
        assert!(!plain.requires_alt_text());
    }
}
