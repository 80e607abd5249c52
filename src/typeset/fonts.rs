//! Fonts: which are installed, and which family plays each role in the book.
//!
//! GB/T 9704 names a typeface per role (小标宋 for titles, 仿宋 for the body, 黑体 for
//! first-level headings, 楷体 for second-level ones). Offices have those fonts; a
//! fresh Linux machine has only free ones. Each role therefore lists the official
//! families first and free fallbacks after, and the first installed one is used. The
//! template receives the resolved lists as data, so it never names a font that is
//! missing, and learns which roles lack a bold face (仿宋 and 楷体 usually do) so it
//! can embolden them itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use typst::text::{Font, FontBook, FontWeight};
use typst::utils::LazyHash;
use typst_kit::fonts::FontStore;

use super::font_index;

/// The package that brings the free CJK fonts on Debian and Ubuntu.
pub const INSTALL_HINT: &str = "install a Chinese font, e.g. on Debian/Ubuntu: `apt-get install fonts-noto-cjk`, \
     or put .otf/.ttf files in the project's `fonts/` folder or pass `--font-path DIR`";

/// One typographic role and its families in order of preference.
struct Role {
    name: &'static str,
    families: &'static [&'static str],
}

const ROLES: &[Role] = &[
    Role {
        name: "title",
        families: &[
            "FZXiaoBiaoSong-B05S",
            "FZXiaoBiaoSong-B05",
            "方正小标宋简体",
            "方正小标宋_GBK",
            "STZhongsong",
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "Noto Serif SC",
        ],
    },
    Role {
        name: "body",
        families: &[
            "FangSong_GB2312",
            "仿宋_GB2312",
            "FangSong",
            "仿宋",
            "STFangsong",
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "Noto Serif SC",
            "AR PL UMing CN",
        ],
    },
    Role {
        name: "heading1",
        families: &[
            "SimHei",
            "黑体",
            "STHeiti",
            "Heiti SC",
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "Noto Sans SC",
            "WenQuanYi Zen Hei",
            "WenQuanYi Micro Hei",
        ],
    },
    Role {
        name: "heading2",
        families: &[
            "KaiTi_GB2312",
            "楷体_GB2312",
            "KaiTi",
            "楷体",
            "STKaiti",
            "LXGW WenKai",
            "LXGW WenKai GB",
            "AR PL UKai CN",
            "Noto Serif CJK SC",
            "Source Han Serif SC",
        ],
    },
];

/// Latin and digits: Times-like, with embedded Libertinus Serif as the last resort.
const LATIN: &[&str] = &[
    "Times New Roman",
    "TeX Gyre Termes",
    "Nimbus Roman",
    "Liberation Serif",
    "Libertinus Serif",
];

/// The installed fonts: system, project `fonts/`, `--font-path`, and embedded.
pub struct Fonts {
    store: FontStore,
    /// Every code point some font covers, one bit each, made on first use: asking
    /// each face's coverage (a linear list of runs) for each character of a book
    /// took 27 ms of every build and rebuild.
    covered: std::sync::OnceLock<CharSet>,
}

impl Fonts {
    /// Scans the given folders (missing ones are skipped) and the system's fonts,
    /// through the font index in the user's cache folder (see [`font_index`]).
    pub fn discover(folders: &[PathBuf]) -> Self {
        Self::scan(folders, true, font_index::default_path().as_deref())
    }

    /// Only the embedded fonts plus the given folders: for tests of the missing-font path.
    pub fn without_system(folders: &[PathBuf]) -> Self {
        Self::scan(folders, false, font_index::default_path().as_deref())
    }

    /// The folders' fonts, then the system's when `system`, then the embedded ones,
    /// in typst-kit's order; each face measured unless `index` knows its file.
    pub fn scan(folders: &[PathBuf], system: bool, index: Option<&Path>) -> Self {
        let mut store = FontStore::new();
        for folder in folders.iter().filter(|f| f.is_dir()) {
            let name = format!("folder {}", folder.display());
            store.extend(
                font_index::discover(&name, |db| db.load_fonts_dir(folder), index).0,
            );
        }
        if system {
            store.extend(
                font_index::discover("system", |db| db.load_system_fonts(), index).0,
            );
        }
        store.extend(typst_kit::fonts::embedded());
        Self { store, covered: Default::default() }
    }

    /// No fonts at all, for runs that typeset nothing (`build --only html`): loading
    /// even the embedded fonts is a tenth of such a run.
    pub fn none() -> Self {
        Self { store: FontStore::new(), covered: Default::default() }
    }

    /// Metadata of every font, for `World::book`.
    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    /// A font by index, for `World::font`.
    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// Number of font faces known.
    pub fn len(&self) -> usize {
        self.infos().count()
    }

    fn infos(&self) -> impl Iterator<Item = &typst::text::FontInfo> {
        let book = self.book();
        (0..).map_while(move |i| book.info(i))
    }

    /// Whether no fonts at all were found.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn has_family(&self, family: &str) -> bool {
        self.book().contains_family(&family.to_lowercase())
    }

    fn family_has_bold(&self, family: &str) -> bool {
        let book = self.book();
        book.select_family(&family.to_lowercase())
            .filter_map(|i| book.info(i))
            .any(|info| info.variant.weight >= FontWeight::SEMIBOLD)
    }

    /// Whether some installed font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        let covered = self.covered.get_or_init(|| {
            let mut covered = CharSet::default();
            // The faces of one collection (a CJK font's weights and regions) mostly
            // share one coverage: each distinct one is walked once.
            let mut seen = std::collections::HashSet::new();
            for info in self.infos() {
                if seen.insert(&info.coverage) {
                    for cp in info.coverage.iter() {
                        covered.insert(cp);
                    }
                }
            }
            covered
        });
        covered.contains(c)
    }

    /// A family that covers Chinese text, whatever its name, as a last resort.
    fn any_cjk_family(&self) -> Option<String> {
        self.infos()
            .find(|info| "中文，。".chars().all(|c| info.coverage.contains(c as u32)))
            .map(|info| info.family.clone())
    }

    /// Resolves every role to the installed families, or says what to install.
    pub fn plan(&self) -> Result<FontPlan, FontError> {
        let fallback = self.any_cjk_family();
        let mut roles = BTreeMap::new();
        let mut synthetic_bold = BTreeMap::new();
        let mut substituted = Vec::new();
        for role in ROLES {
            let mut found: Vec<String> = role
                .families
                .iter()
                .filter(|f| self.has_family(f))
                .map(|f| f.to_string())
                .collect();
            if found.is_empty() {
                match &fallback {
                    Some(family) => {
                        substituted.push((role.name, family.clone()));
                        found.push(family.clone());
                    }
                    None => return Err(FontError::NoCjkFont),
                }
            }
            synthetic_bold.insert(role.name, !self.family_has_bold(&found[0]));
            roles.insert(role.name, found);
        }
        let latin =
            LATIN.iter().filter(|f| self.has_family(f)).map(|f| f.to_string()).collect();
        Ok(FontPlan { roles, latin, synthetic_bold, substituted })
    }
}

/// The families each role resolves to on this machine; handed to the template.
#[derive(Debug, Clone, Serialize)]
pub struct FontPlan {
    /// Role name (`title`, `body`, `heading1`, `heading2`) → installed families.
    pub roles: BTreeMap<&'static str, Vec<String>>,
    /// Latin/digit families, tried before the CJK ones for Latin text.
    pub latin: Vec<String>,
    /// Roles whose first family has no bold face; the template strokes them.
    pub synthetic_bold: BTreeMap<&'static str, bool>,
    /// Roles none of whose preferred families is installed, and the family used instead.
    #[serde(skip)]
    pub substituted: Vec<(&'static str, String)>,
}

/// Why the book cannot be typeset with the installed fonts.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// Nothing installed covers Chinese text.
    #[error("no installed font covers Chinese text")]
    NoCjkFont,
}

/// A set of Unicode scalar values as one bit each (136 KiB): the fonts' coverage,
/// asked of every character of the book, and the characters the coverage check has
/// seen, where a hashed set was most of the check's time.
pub(crate) struct CharSet(Vec<u64>);

impl Default for CharSet {
    fn default() -> Self {
        CharSet(vec![0; (char::MAX as usize >> 6) + 1])
    }
}

impl CharSet {
    /// Adds the code point `cp`; whether it was new. One beyond Unicode (a font's
    /// table may name one) is never added.
    pub(crate) fn insert(&mut self, cp: u32) -> bool {
        let Some(word) = self.0.get_mut(cp as usize >> 6) else { return false };
        let bit = 1u64 << (cp & 63);
        let new = *word & bit == 0;
        *word |= bit;
        new
    }

    /// Whether `c` is in the set.
    pub(crate) fn contains(&self, c: char) -> bool {
        let cp = c as usize;
        self.0.get(cp >> 6).is_some_and(|word| word & (1 << (cp & 63)) != 0)
    }
}
