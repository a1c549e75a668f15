//! Character classes shared by both backends and the sentence splitter.
//!
//! One definition of "word character", "apostrophe", "line break" and the
//! like, so the two backends cannot drift apart on what a character is.

/// ASCII letter or digit: the class of most bytes, tested first.
pub(crate) const WORD: u8 = 0;
/// Class of an ASCII whitespace byte in [`BYTE_CLASS`].
pub(crate) const SPACE: u8 = 1;
/// Any other ASCII character: punctuation, symbols, control characters.
pub(crate) const OTHER: u8 = 2;
/// A byte of a multi-byte UTF-8 sequence: decode the `char` to classify it.
pub(crate) const NON_ASCII: u8 = 3;

/// The class of every byte. Whitespace is exactly what `char::is_whitespace`
/// accepts below 0x80 (including VT and FF, which `u8::is_ascii_whitespace`
/// leaves out).
pub(crate) static BYTE_CLASS: [u8; 256] = byte_classes();

const fn byte_classes() -> [u8; 256] {
    let mut table = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
            SPACE
        } else if c.is_ascii_alphanumeric() {
            WORD
        } else {
            OTHER
        };
        b += 1;
    }
    table
}

/// A character that can start a word or number run.
#[inline]
pub(crate) fn is_word_start(c: char) -> bool {
    // U+2000..U+206F (spaces, dashes, curly quotes, ellipsis, ...) holds no
    // letter or digit: skip the Unicode table lookups for it.
    !matches!(c as u32, 0x2000..=0x206F) && c.is_alphanumeric()
}

/// A character that can continue a word or number run: letters, digits and
/// the combining marks and joiners that `char::is_alphanumeric` leaves out
/// ([`is_extender`]).
#[inline]
pub(crate) fn is_word_continue(c: char) -> bool {
    is_word_start(c) || is_extender(c)
}

/// Combining marks, joiners and variation selectors that belong to the
/// character before them. Not the full `\p{M}` (std has no general-category
/// table): the common combining blocks plus Cyrillic, Hebrew and Arabic
/// marks that are not already `Alphabetic`.
#[inline]
pub(crate) fn is_extender(c: char) -> bool {
    matches!(
        c as u32,
        0x0300..=0x036F
            | 0x0483..=0x0489
            | 0x0591..=0x05BD
            | 0x0610..=0x061A
            | 0x064B..=0x065F
            | 0x0670
            | 0x06D6..=0x06DC
            | 0x06DF..=0x06E4
            | 0x06E7..=0x06E8
            | 0x06EA..=0x06ED
            | 0x1AB0..=0x1AFF
            | 0x1DC0..=0x1DFF
            | 0x200C..=0x200D
            | 0x20D0..=0x20FF
            | 0xFE00..=0xFE0F
            | 0xFE20..=0xFE2F
            | 0xE0100..=0xE01EF
    )
}

/// A word run starting with this character is a `Number`.
#[inline]
pub(crate) fn starts_number(c: char) -> bool {
    c.is_numeric()
}

/// Apostrophes that may join a contraction ("don’t") or start a clitic
/// ("Russia’s"): the straight one and both curly single quotes (U+2018 is a
/// common typo for U+2019).
#[inline]
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}')
}

/// Apostrophes that may stand alone as a possessive after a word ending in
/// s ("Hamas’ leaders"). U+2018 is left out: after a word it is an opening
/// quote far more often than a possessive.
#[inline]
pub(crate) fn is_bare_clitic(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Separators allowed between the digit runs of a number ("1.5", "2,000",
/// "10:30").
#[inline]
pub(crate) fn is_number_separator(c: char) -> bool {
    matches!(c, '.' | ',' | ':')
}

/// Characters that end a sentence when they make up a whole `Punct` token
/// ("." ".." "..." "!" "?" "…"). The non-ASCII ones all start with byte
/// 0xE2, which the sentence splitter tests first.
#[inline]
pub(crate) fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉')
}

/// Characters that may follow a sentence end before the whitespace: closing
/// quotes and brackets (straight quotes count as closing here).
#[inline]
pub(crate) fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}')
}

/// Characters that may open a sentence: opening quotes and brackets
/// (straight quotes count as opening here).
#[inline]
pub(crate) fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '„' | '«' | '‹' | '(' | '[' | '{' | '¿' | '¡')
}

/// Line breaks: LF, CR, VT, FF, NEL, LINE SEPARATOR and PARAGRAPH
/// SEPARATOR (all of them whitespace).
#[inline]
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// [`is_line_break`] for a byte below 0x80: LF, CR, VT or FF.
#[inline]
pub(crate) fn is_ascii_line_break(b: u8) -> bool {
    matches!(b, b'\n' | b'\r' | 0x0B | 0x0C)
}

/// Whether the whitespace `gap` (the bytes between two tokens) holds a line
/// break: LF, CR, VT, FF, NEL (C2 85), LINE SEPARATOR (E2 80 A8) or
/// PARAGRAPH SEPARATOR (E2 80 A9). Works on bytes: a gap is whole
/// whitespace characters, so these byte patterns cannot be misread.
#[inline]
pub(crate) fn has_line_break(gap: &[u8]) -> bool {
    // Most gaps: none (adjacent tokens) or one space.
    if let [] | [b' '] = gap {
        return false;
    }
    gap.iter().enumerate().any(|(i, &b)| match b {
        b'\n' | b'\r' | 0x0B | 0x0C => true,
        0xC2 => gap.get(i + 1) == Some(&0x85),
        0xE2 => gap.get(i + 1) == Some(&0x80) && matches!(gap.get(i + 2), Some(0xA8 | 0xA9)),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_table_agrees_with_char_predicates() {
        for b in 0u8..=255 {
            let c = b as char;
            if b >= 0x80 {
                assert_eq!(BYTE_CLASS[b as usize], NON_ASCII);
                continue;
            }
            let expected = if c.is_whitespace() {
                SPACE
            } else if is_word_start(c) {
                WORD
            } else {
                OTHER
            };
            assert_eq!(BYTE_CLASS[b as usize], expected, "byte {b:#04x}");
        }
    }

    #[test]
    fn terminal_chars_start_with_the_bytes_the_splitter_tests() {
        for c in ['.', '!', '?', '…', '‼', '⁇', '⁈', '⁉'] {
            assert!(is_terminal(c));
            let mut buf = [0; 4];
            assert!(matches!(c.encode_utf8(&mut buf).as_bytes()[0], b'.' | b'!' | b'?' | 0xE2), "{c:?}");
        }
    }

    #[test]
    fn classes_are_disjoint() {
        for c in ['\u{301}', '\u{200D}', '\u{FE0F}', '\u{64E}'] {
            assert!(!c.is_whitespace() && is_word_continue(c), "{c:?}");
        }
        assert!(!is_word_continue('’') && !is_word_continue('-') && !is_word_continue('😀'));
        for c in '\u{2000}'..='\u{206F}' {
            assert!(!c.is_alphanumeric(), "{c:?}");
        }
        for gap in [" \u{2028}", "\u{2029}", "\r\n", "\u{85}", "\u{c}"] {
            assert!(has_line_break(gap.as_bytes()), "{gap:?}");
        }
        for gap in [" ", "\u{a0}", " \u{2003}\t", "\u{202f}\u{2009}"] {
            assert!(!has_line_break(gap.as_bytes()), "{gap:?}");
        }
    }
}
