//! Word's automatic numbering turned back into the text Word shows: `w:num` →
//! `w:abstractNum` (possibly through `numStyleLink`), its levels' `numFmt`,
//! `lvlText`, `start` and `lvlRestart`, and the `lvlOverride`s of each `w:num`.
//!
//! Counters are kept per abstract numbering, as Word does: two `w:num`s over the same
//! abstract numbering continue one list, unless the later one restarts a level with
//! a `startOverride` (applied when that `w:num` is first met).

use std::collections::{HashMap, HashSet};

use super::styles::Styles;
use super::xml::{Ev, Events, attr, val_u32};
use crate::intake::IntakeError;
use crate::numbering::numerals;

/// Levels of a list (Word has nine).
const LEVELS: usize = 9;

/// One level of a list.
#[derive(Debug, Clone, Default)]
struct Level {
    start: Option<u32>,
    format: Option<String>,
    text: Option<String>,
    /// `lvlRestart`: 0 never restarts; n restarts after level n (1-based) is used.
    restart: Option<u32>,
    /// The paragraph style this level belongs to (`w:pStyle` inside `w:lvl`).
    style: Option<String>,
    /// `w:isLgl`: every `%n` of this level in decimal.
    legal: bool,
}

#[derive(Debug, Clone, Default)]
struct Abstract {
    levels: [Level; LEVELS],
    /// `numStyleLink`: the list is defined by the numbering of that style.
    style_link: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: Option<u32>,
    /// Per level: a `startOverride`, and a whole `w:lvl` given in the override.
    start_override: [Option<u32>; LEVELS],
    level_override: [Option<Level>; LEVELS],
}

/// The numbering definitions of a document and the counters of the lists met so far.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<u32, Abstract>,
    nums: HashMap<u32, Num>,
    counters: HashMap<u32, [Option<u32>; LEVELS]>,
    started: HashSet<u32>,
    /// Formats met that are not written (each named once in the notes).
    pub unknown_formats: Vec<String>,
}

/// Where a level is being read: in an `abstractNum`, or in a `num`'s override.
enum Target {
    Abstract(u32),
    Override(u32, usize),
}

impl Numbering {
    /// Parses `numbering.xml`.
    pub(super) fn parse(bytes: &[u8]) -> Result<Self, IntakeError> {
        let mut out = Numbering::default();
        let mut events = Events::new(bytes, "word/numbering.xml");
        let mut abstract_id: Option<u32> = None;
        let mut num_id: Option<u32> = None;
        let mut override_level: Option<usize> = None;
        let mut level: Option<(Target, usize)> = None;
        let mut skip = 0usize;
        while let Some(ev) = events.next()? {
            let (e, empty) = match ev {
                Ev::Start(e, empty) => (e, empty),
                Ev::End(name) => {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    match name.as_slice() {
                        b"w:abstractNum" => abstract_id = None,
                        b"w:num" => num_id = None,
                        b"w:lvlOverride" => override_level = None,
                        b"w:lvl" => level = None,
                        _ => {}
                    }
                    continue;
                }
                Ev::Text(_) => continue,
            };
            if skip > 0 {
                skip += usize::from(!empty);
                continue;
            }
            match e.name().as_ref() {
                b"w:abstractNum" => {
                    abstract_id =
                        attr(&e, b"w:abstractNumId")?.and_then(|v| v.parse().ok());
                    if let Some(id) = abstract_id {
                        out.abstracts.insert(id, Abstract::default());
                    }
                }
                b"w:num" => {
                    num_id = attr(&e, b"w:numId")?.and_then(|v| v.parse().ok());
                    if let Some(id) = num_id {
                        out.nums.insert(id, Num::default());
                    }
                }
                b"w:abstractNumId" => {
                    if let Some(num) = num_id.and_then(|id| out.nums.get_mut(&id)) {
                        num.abstract_id = val_u32(&e)?;
                    }
                }
                b"w:numStyleLink" => {
                    if let Some(a) = abstract_id.and_then(|id| out.abstracts.get_mut(&id))
                    {
                        a.style_link = attr(&e, b"w:val")?;
                    }
                }
                b"w:lvlOverride" => {
                    override_level = ilvl_attr(&e)?;
                }
                b"w:startOverride" => {
                    let slot =
                        num_id.and_then(|id| out.nums.get_mut(&id)).zip(override_level);
                    if let Some((num, l)) = slot {
                        num.start_override[l] = val_u32(&e)?;
                    }
                }
                b"w:lvl" if !empty => {
                    let l = ilvl_attr(&e)?;
                    level = match (abstract_id, num_id, override_level, l) {
                        (Some(a), _, _, Some(l)) => Some((Target::Abstract(a), l)),
                        (None, Some(n), Some(o), _) => Some((Target::Override(n, o), o)),
                        _ => {
                            skip = 1;
                            None
                        }
                    };
                }
                // Old definitions kept by tracked changes.
                b"w:pPrChange" | b"w:rPrChange" | b"w:numberingChange" if !empty => {
                    skip = 1
                }
                _ => {
                    if let Some((target, l)) = &level {
                        let slot = out.level_mut(target, *l);
                        if let Some(slot) = slot {
                            read_level_property(&e, slot)?;
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn level_mut(&mut self, target: &Target, l: usize) -> Option<&mut Level> {
        match *target {
            Target::Abstract(a) => self.abstracts.get_mut(&a).map(|a| &mut a.levels[l]),
            Target::Override(n, o) => self
                .nums
                .get_mut(&n)
                .map(|num| num.level_override[o].get_or_insert_with(Level::default)),
        }
    }

    /// The abstract numbering a `w:num` uses, following one `numStyleLink` hop.
    fn abstract_of(&self, num_id: u32, styles: &Styles) -> Option<u32> {
        let mut id = self.nums.get(&num_id)?.abstract_id?;
        // A chain of links would be an error in Word; follow a few at most.
        for _ in 0..4 {
            let link = self.abstracts.get(&id)?.style_link.as_deref();
            let Some(link) = link else { return Some(id) };
            id = self.nums.get(&styles.num_id(link)?)?.abstract_id?;
        }
        None
    }

    /// The marker Word shows for the next paragraph of list `num_id` at level `ilvl`
    /// (or at the level whose `w:pStyle` is `style` when the paragraph gives none),
    /// advancing the counters; `None` when the list shows nothing (bullets, `none`,
    /// an unknown list).
    pub(super) fn next(
        &mut self,
        num_id: u32,
        ilvl: Option<u32>,
        style: Option<&str>,
        styles: &Styles,
    ) -> Option<String> {
        let abstract_id = self.abstract_of(num_id, styles)?;
        let levels = self.levels(num_id, abstract_id)?;
        let l = match ilvl {
            Some(l) => usize::try_from(l).ok().filter(|l| *l < LEVELS)?,
            None => style
                .and_then(|s| levels.iter().position(|lv| lv.style.as_deref() == Some(s)))
                .unwrap_or(0),
        };
        let counters = self.counters.entry(abstract_id).or_default();
        if self.started.insert(num_id)
            && let Some(num) = self.nums.get(&num_id)
        {
            for (i, start) in num.start_override.iter().enumerate() {
                if let Some(start) = start {
                    counters[i] = Some(start.saturating_sub(1));
                    counters.iter_mut().skip(i + 1).for_each(|c| *c = None);
                }
            }
        }
        for (m, counter) in counters.iter_mut().enumerate().skip(l + 1) {
            // Level m restarts when a level above its lvlRestart threshold is used.
            let threshold = levels[m].restart.map_or(m, |r| r as usize);
            if l < threshold {
                *counter = None;
            }
        }
        let start = |lv: &Level| lv.start.unwrap_or(1);
        counters[l] =
            Some(counters[l].map_or(start(&levels[l]), |c| c.saturating_add(1)));
        let values: Vec<u32> =
            (0..LEVELS).map(|i| counters[i].unwrap_or(start(&levels[i]))).collect();
        self.render(&levels, l, &values)
    }

    /// A `w:num`'s levels: its abstract numbering's, with whole-level overrides.
    fn levels(&self, num_id: u32, abstract_id: u32) -> Option<[Level; LEVELS]> {
        let mut levels = self.abstracts.get(&abstract_id)?.levels.clone();
        if let Some(num) = self.nums.get(&num_id) {
            for (slot, o) in levels.iter_mut().zip(&num.level_override) {
                if let Some(o) = o {
                    *slot = o.clone();
                }
            }
        }
        Some(levels)
    }

    fn render(
        &mut self,
        levels: &[Level; LEVELS],
        l: usize,
        values: &[u32],
    ) -> Option<String> {
        let level = &levels[l];
        let format = level.format.as_deref().unwrap_or("decimal");
        if matches!(format, "bullet" | "none") {
            return None;
        }
        let template = level.text.as_deref()?;
        let mut out = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            let index = (c == '%')
                .then(|| chars.peek().and_then(|d| d.to_digit(10)))
                .flatten()
                .filter(|d| (1..=LEVELS as u32).contains(d));
            let Some(d) = index else {
                out.push(c);
                continue;
            };
            chars.next();
            let i = d as usize - 1;
            let f = if level.legal {
                "decimal"
            } else {
                levels[i].format.as_deref().unwrap_or("decimal")
            };
            match format_number(values[i], f) {
                Some(s) => out.push_str(&s),
                None => {
                    if !self.unknown_formats.iter().any(|u| u == f) {
                        self.unknown_formats.push(f.to_string());
                    }
                    out.push_str(&values[i].to_string());
                }
            }
        }
        (!out.is_empty()).then_some(out)
    }
}

fn ilvl_attr(
    e: &quick_xml::events::BytesStart<'_>,
) -> Result<Option<usize>, IntakeError> {
    Ok(attr(e, b"w:ilvl")?
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|l| *l < LEVELS))
}

fn read_level_property(
    e: &quick_xml::events::BytesStart<'_>,
    level: &mut Level,
) -> Result<(), IntakeError> {
    match e.name().as_ref() {
        b"w:start" => level.start = val_u32(e)?,
        b"w:numFmt" => level.format = attr(e, b"w:val")?,
        b"w:lvlText" => level.text = Some(attr(e, b"w:val")?.unwrap_or_default()),
        b"w:lvlRestart" => level.restart = val_u32(e)?,
        b"w:pStyle" => level.style = attr(e, b"w:val")?,
        b"w:isLgl" => level.legal = super::xml::on_off(e)?,
        _ => {}
    }
    Ok(())
}

/// `n` in Word's number format `format`; `None` for a format not written here.
pub(super) fn format_number(n: u32, format: &str) -> Option<String> {
    Some(match format {
        "decimal" => n.to_string(),
        "decimalZero" => format!("{n:02}"),
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => numerals::write(n),
        "chineseLegalSimplified" => legal_simplified(n),
        "ideographTraditional" => {
            cycle(n, &['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'])
        }
        "ideographZodiac" => cycle(
            n,
            &['子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥'],
        ),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .filter_map(|c| c.to_digit(10).and_then(|d| char::from_u32('０' as u32 + d)))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => match n {
            1..=20 => char::from_u32('①' as u32 + n - 1)?.to_string(),
            21..=35 => char::from_u32('㉑' as u32 + n - 21)?.to_string(),
            36..=50 => char::from_u32('㊱' as u32 + n - 36)?.to_string(),
            _ => n.to_string(),
        },
        "upperLetter" => letters(n, b'A'),
        "lowerLetter" => letters(n, b'a'),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        _ => return None,
    })
}

/// 壹 贰 叁 … 壹拾壹: the financial numerals, spelled like the counting ones.
fn legal_simplified(n: u32) -> String {
    let plain = numerals::write(n);
    // Legal numerals keep the 壹 that counting numerals drop before 十 (壹拾壹).
    let plain = if plain.starts_with('十') { format!("一{plain}") } else { plain };
    plain
        .chars()
        .map(|c| match c {
            '零' => '零',
            '一' => '壹',
            '二' => '贰',
            '三' => '叁',
            '四' => '肆',
            '五' => '伍',
            '六' => '陆',
            '七' => '柒',
            '八' => '捌',
            '九' => '玖',
            '十' => '拾',
            '百' => '佰',
            '千' => '仟',
            other => other,
        })
        .collect()
}

fn cycle(n: u32, symbols: &[char]) -> String {
    let len = symbols.len() as u32;
    let i = (n.max(1) - 1) % len;
    symbols.get(i as usize).map(|c| c.to_string()).unwrap_or_default()
}

/// A, B, … Z, AA, BB, …: Word repeats the letter rather than counting in base 26.
fn letters(n: u32, first: u8) -> String {
    let n = n.max(1) - 1;
    let c = char::from(first + (n % 26) as u8);
    std::iter::repeat_n(c, (n / 26 + 1).min(64) as usize).collect()
}

fn roman(mut n: u32) -> String {
    if n == 0 || n > 3999 {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, s) in table {
        while n >= value {
            out.push_str(s);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::format_number;

    #[test]
    fn formats_as_word_writes_them() {
        let f = |n, fmt| format_number(n, fmt).unwrap();
        assert_eq!(f(11, "chineseCounting"), "十一");
        assert_eq!(f(20, "chineseCounting"), "二十");
        assert_eq!(f(102, "chineseCountingThousand"), "一百零二");
        assert_eq!(f(3, "chineseLegalSimplified"), "叁");
        assert_eq!(f(11, "chineseLegalSimplified"), "壹拾壹");
        assert_eq!(f(2, "ideographTraditional"), "乙");
        assert_eq!(f(12, "decimalFullWidth"), "１２");
        assert_eq!(f(3, "decimalEnclosedCircle"), "③");
        assert_eq!(f(21, "decimalEnclosedCircle"), "㉑");
        assert_eq!(f(28, "upperLetter"), "BB");
        assert_eq!(f(14, "lowerRoman"), "xiv");
        assert_eq!(format_number(1, "hebrew1"), None);
    }
}
