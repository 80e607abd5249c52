//! Chinese numerals ⇄ integers.
//!
//! Takes a string of hanzi numerals (`一`, `十一`, `一百零二`, …) and returns its value;
//! takes an integer and returns its one canonical hanzi spelling. Also folds full-width
//! digits `０`–`９` to ASCII. The range is `0..=`[`MAX`]: official numbering never
//! comes near it, and a bounded grammar keeps the parser strict.
//!
//! Rules decided here:
//! - `一十一` is accepted (some editors write it) but written as `十一`;
//! - `两` is accepted only as the multiplier of `百`/`千` (`两百`); it is never written;
//! - `〇` and `零` are interchangeable on input; `零` is written;
//! - a skipped place needs exactly one `零` (`一百零二`, `一千零一十`); colloquial
//!   abbreviations (`一百一` = 110, `一百十`) and digit-by-digit forms (`二〇二一`) are
//!   rejected, so a year is never mistaken for a count.

use std::borrow::Cow;

/// Largest value [`parse`] accepts and [`fn@write`] spells in hanzi; numbering of legal
/// text never exceeds it.
pub const MAX: u32 = 9999;

/// The hanzi for 0..=9, as [`fn@write`] spells them.
const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// The value of one hanzi digit (`〇`/`零` = 0 … `九` = 9); `None` for units and
/// for `两`, which is only a multiplier. Used by the marker scanner and [`parse`].
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '〇' | '零' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// The place value of a unit character (`十` 10, `百` 100, `千` 1000).
fn unit_value(c: char) -> Option<u32> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

/// Whether `c` can be part of a hanzi numeral; the marker scanner takes the longest run
/// of such characters and hands it to [`parse`].
pub fn is_numeral_char(c: char) -> bool {
    digit_value(c).is_some() || unit_value(c).is_some() || c == '两'
}

/// Parses a whole string as a hanzi numeral, `None` if any character is not part of a
/// well-formed numeral (see the module rules). Callers use it to read the value of
/// `（十二）`, `第一百零二条`, `二十一是`.
pub fn parse(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return None;
    }
    if chars.len() == 1 && digit_value(chars[0]) == Some(0) {
        return Some(0);
    }
    let mut total: u32 = 0;
    // The digit waiting for its unit (or for the end, as the ones digit).
    let mut pending: Option<u32> = None;
    // The last unit written; units must strictly decrease. 10_000 = none yet.
    let mut last_unit: u32 = 10_000;
    let mut zero = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        i += 1;
        if c == '两' {
            if pending.is_some() || !matches!(next, Some('百' | '千')) {
                return None;
            }
            pending = Some(2);
            continue;
        }
        if let Some(d) = digit_value(c) {
            if pending.is_some() {
                return None;
            }
            if d == 0 {
                // A zero marks skipped places; it must follow a unit and not repeat.
                if zero || total == 0 {
                    return None;
                }
                zero = true;
            } else {
                pending = Some(d);
            }
            continue;
        }
        let unit = unit_value(c)?;
        if unit >= last_unit {
            return None;
        }
        let multiplier = match pending.take() {
            Some(d) => d,
            // A bare 十 is allowed only at the very start (十一 = 11).
            None if unit == 10 && total == 0 && !zero => 1,
            None => return None,
        };
        if total > 0 {
            let skipped = last_unit > unit * 10;
            if skipped != zero {
                return None;
            }
        }
        zero = false;
        total += multiplier * unit;
        last_unit = unit;
    }
    match pending {
        Some(d) => {
            if last_unit != 10_000 {
                let skipped = last_unit > 10;
                if skipped != zero {
                    return None;
                }
            }
            total += d;
        }
        None if zero => return None,
        None => {}
    }
    Some(total)
}

/// Spells `n` in canonical hanzi: `十一` (not `一十一`), `二十`, `一百零二`,
/// `一百一十`, `零` for 0. Values above [`MAX`] are returned as ASCII digits, because
/// no official numbering reaches them and a wrong spelling would be worse.
pub fn write(n: u32) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    if n > MAX {
        return n.to_string();
    }
    let mut out = String::new();
    let mut started = false;
    let mut pending_zero = false;
    for (unit, unit_char) in
        [(1000, Some('千')), (100, Some('百')), (10, Some('十')), (1, None)]
    {
        let d = (n / unit % 10) as usize;
        if d == 0 {
            pending_zero = started;
            continue;
        }
        if pending_zero {
            out.push(DIGITS[0]);
            pending_zero = false;
        }
        // 十一, not 一十一 — but 一百一十 keeps its 一.
        if !(unit == 10 && d == 1 && !started) {
            out.push(DIGITS[d]);
        }
        if let Some(u) = unit_char {
            out.push(u);
        }
        started = true;
    }
    out
}

/// The value of an ASCII or full-width digit (`7`, `７`); the marker scanner reads
/// `１.` like `1.` and reports the width separately.
pub fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Whether `c` is a full-width digit `０`–`９`, which canonical text never contains.
pub fn is_fullwidth_digit(c: char) -> bool {
    matches!(c, '０'..='９')
}

/// Replaces every full-width digit with its ASCII digit and leaves everything else as
/// is; borrows when there is nothing to change. Used to canonicalise `１.` and by the
/// importer on pasted text.
pub fn fold_fullwidth_digits(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_fullwidth_digit) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '０'..='９' => {
                    char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)
                }
                _ => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_table() {
        let table: &[(&str, Option<u32>)] = &[
            ("零", Some(0)),
            ("〇", Some(0)),
            ("一", Some(1)),
            ("九", Some(9)),
            ("十", Some(10)),
            ("十一", Some(11)),
            ("一十一", Some(11)),
            ("二十", Some(20)),
            ("二十一", Some(21)),
            ("九十九", Some(99)),
            ("一百", Some(100)),
            ("一百零二", Some(102)),
            ("一百〇二", Some(102)),
            ("一百一十", Some(110)),
            ("一百一十一", Some(111)),
            ("两百", Some(200)),
            ("两千零五", Some(2005)),
            ("九百九十九", Some(999)),
            ("一千", Some(1000)),
            ("一千零一十", Some(1010)),
            ("一千零一", Some(1001)),
            ("一千一百", Some(1100)),
            ("九千九百九十九", Some(9999)),
            // Rejected: colloquial, digit-by-digit, malformed.
            ("", None),
            ("两", None),
            ("两十", None),
            ("一百一", None),
            ("一百十", None),
            ("一百零", None),
            ("一百零十", None),
            ("一千一十", None),
            ("一千零零一", None),
            ("二〇二一", None),
            ("一二", None),
            ("十十", None),
            ("百", None),
            ("零一", None),
            ("十百", None),
            ("一万", None),
            ("1", None),
            ("一a", None),
        ];
        for &(s, want) in table {
            assert_eq!(parse(s), want, "parse({s:?})");
        }
    }

    #[test]
    fn writes_table() {
        let table: &[(u32, &str)] = &[
            (0, "零"),
            (1, "一"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (100, "一百"),
            (102, "一百零二"),
            (110, "一百一十"),
            (1000, "一千"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
            (1100, "一千一百"),
            (9999, "九千九百九十九"),
            (10_000, "10000"),
        ];
        for &(n, want) in table {
            assert_eq!(write(n), want, "write({n})");
        }
    }

    #[test]
    fn round_trips_every_value() {
        for n in 0..=MAX {
            let s = write(n);
            assert_eq!(parse(&s), Some(n), "{n} → {s}");
        }
    }

    #[test]
    fn no_panic_on_odd_input() {
        for s in
            ["十一十", "零零", "千千", "两两百", "九九九九九九九九九九", "百零", "十零"]
        {
            let _ = parse(s);
        }
        assert_eq!(parse("十零"), None);
    }

    #[test]
    fn folds_fullwidth_digits() {
        assert_eq!(fold_fullwidth_digits("１２.３"), "12.3");
        assert!(matches!(fold_fullwidth_digits("12"), Cow::Borrowed(_)));
        assert_eq!(arabic_digit('７'), Some(7));
        assert_eq!(arabic_digit('七'), None);
    }
}
