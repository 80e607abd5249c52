//! Character classes for Chinese text, shared by every stage that must decide whether
//! a position is "in a CJK context" (soft line breaks, spacing, punctuation width).

/// Whether `c` is a Han character, CJK punctuation or a full-width form: a character
/// next to which a line break must not become a space.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF      // radicals, Kangxi
        | 0x3000..=0x303F    // CJK symbols and punctuation: 、。〈〉《》「」【】〔〕
        | 0x3040..=0x30FF    // kana (appears in names)
        | 0x3100..=0x312F    // bopomofo
        | 0x3200..=0x33FF    // enclosed CJK, compatibility: ①… ㈠…
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // compatibility forms
        | 0xFF00..=0xFFEF    // full-width forms: ，：；（）！？
        | 0x20000..=0x3FFFF  // extensions B–H
    ) || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·' | '①'..='⑳')
}

#[cfg(test)]
mod tests {
    use super::is_cjk;

    #[test]
    fn classes() {
        for c in ['中', '。', '，', '（', '“', '〔', '①', '𠀀'] {
            assert!(is_cjk(c), "{c}");
        }
        for c in ['a', '1', '.', ' ', '(', '-'] {
            assert!(!is_cjk(c), "{c}");
        }
    }
}
