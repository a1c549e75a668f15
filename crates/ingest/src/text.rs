//! Small text helpers for the article parser: lines with byte offsets,
//! trimming, case-insensitive prefixes (curly apostrophes folded or not),
//! Markdown decoration, and a lower-cased ASCII view of a paragraph for
//! finding words and phrases without allocating per char.

use memchr::memmem::Finder;

/// One line of the text. `start..end` is its content without the line
/// break (`\n`, `\r\n` or a lone `\r`); `trim_start..trim_end` is the
/// content without surrounding whitespace (empty for a blank line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub trim_start: usize,
    pub trim_end: usize,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.trim_start == self.trim_end
    }

    /// The content, whitespace trimmed.
    pub fn trimmed<'a>(&self, text: &'a str) -> &'a str {
        &text[self.trim_start..self.trim_end]
    }

    /// The content as written, indentation included.
    pub fn raw<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// True when `s` holds a `\n`: `memchr`'s search, which on a line or a
/// paragraph costs a fraction of `str::contains('\n')`'s word-at-a-time
/// loop and its setup.
#[inline]
pub(crate) fn has_newline(s: &str) -> bool {
    memchr::memchr(b'\n', s.as_bytes()).is_some()
}

/// Whitespace for trimming: Unicode whitespace plus a stray BOM.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Splits `text` into lines. A final line break does not start an empty
/// last line.
pub(crate) fn lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    // Room for lines of 128 bytes on average, allocated once: an article
    // with a paragraph a line (over 200 bytes) never grows it, where
    // growing from empty costs more than the splitting; one of short lines
    // grows it a few times.
    let mut out = Vec::with_capacity(text.len() / 128 + 4);
    let mut start = 0;
    // Most texts hold no carriage return, which one pass over the whole
    // text tells: their line breaks are then found by the one-byte search,
    // cheaper per line than the two-byte one.
    if memchr::memchr(b'\r', bytes).is_none() {
        while let Some(found) = memchr::memchr(b'\n', &bytes[start..]) {
            out.push(line(text, start, start + found));
            start += found + 1;
            // A blank line right after (most paragraph breaks) is told by
            // one byte, not by a search.
            while bytes.get(start) == Some(&b'\n') {
                out.push(line(text, start, start));
                start += 1;
            }
        }
        if start < text.len() {
            out.push(line(text, start, text.len()));
        }
        return out;
    }
    // One searcher for the whole text: a call per line costs its setup
    // again each time. The LF of a CRLF ends no line of its own.
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if i < start {
            continue;
        }
        let len = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
        out.push(line(text, start, i));
        start = i + len;
    }
    if start < text.len() {
        out.push(line(text, start, text.len()));
    }
    out
}

fn line(text: &str, start: usize, end: usize) -> Line {
    let content = &text[start..end];
    // Most lines open and close with an ASCII byte that is not whitespace
    // (the ASCII `is_space` chars are tab to carriage return and the
    // space), and so have nothing to trim, which the table of kept bytes
    // tells for both ends at once without decoding a char; an empty line
    // has nothing either.
    let bytes = content.as_bytes();
    let solid = match bytes {
        [] => true,
        [first, .., last] => KEPT[usize::from(*first)] & KEPT[usize::from(*last)] & SPACE_KEPT != 0,
        [only] => KEPT[usize::from(*only)] & SPACE_KEPT != 0,
    };
    if solid {
        return Line { start, end, trim_start: start, trim_end: end };
    }
    // Each end trimmed once: the start, then the end of what is left.
    let rest = content.trim_start_matches(is_space);
    let lead = content.len() - rest.len();
    let trimmed = rest.trim_end_matches(is_space);
    Line { start, end, trim_start: start + lead, trim_end: start + lead + trimmed.len() }
}

/// True when `s` starts with the ASCII `prefix`, ignoring ASCII case.
#[inline]
pub(crate) fn starts_ci(s: &str, prefix: &str) -> bool {
    // On bytes: equal to an ASCII prefix means `s` is cut on a char boundary.
    let (s, p) = (s.as_bytes(), prefix.as_bytes());
    // Byte by byte, stopping at the first difference: a lead and a text
    // differ within their first few bytes, nearly always the first.
    s.len() >= p.len() && s.iter().zip(p).all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// `s` after the ASCII `prefix` (ignoring case), if it starts with it.
#[inline]
pub(crate) fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if starts_ci(s, prefix) { s.get(prefix.len()..) } else { None }
}

/// `s` after `word` (ignoring ASCII case) when `word` is followed by a
/// non-letter or the end: "By Jane" matches `by`, "Bypass" does not.
#[inline]
pub(crate) fn strip_word_ci<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let rest = strip_ci(s, word)?;
    match rest.chars().next() {
        Some(c) if c.is_alphanumeric() => None,
        _ => Some(rest),
    }
}

/// `s` without Markdown decoration around it: leading heading and quote
/// marks, emphasis on both ends (`*By Jane Doe*`). List bullets are kept:
/// a list item is never a label.
pub(crate) fn undecorate(s: &str) -> &str {
    // Most units open and close with a letter, a digit or a period: ASCII
    // bytes that neither trim takes, which a table tells for both ends at
    // once, without decoding a char.
    match s.as_bytes() {
        [first, .., last] if KEPT[usize::from(*first)] & KEPT[usize::from(*last)] & BOTH_KEPT == BOTH_KEPT => s,
        [only] if KEPT[usize::from(*only)] & BOTH_KEPT == BOTH_KEPT => s,
        _ => s
            .trim_start_matches(|c: char| matches!(c, '#' | '>' | '*' | '_') || is_space(c))
            .trim_end_matches(|c: char| matches!(c, '*' | '_') || is_space(c)),
    }
}

/// [`KEPT`]'s flag for a byte the start's trim keeps.
const START_KEPT: u8 = 1;
/// [`KEPT`]'s flag for a byte the end's trim keeps.
const END_KEPT: u8 = 2;
const BOTH_KEPT: u8 = START_KEPT | END_KEPT;
/// [`KEPT`]'s flag for a byte trimming whitespace keeps (at either end).
const SPACE_KEPT: u8 = 4;

/// For each byte that is a whole ASCII char, whether [`undecorate`]'s
/// trims keep it at the start ([`START_KEPT`]: no whitespace, heading,
/// quote or emphasis mark) and at the end ([`END_KEPT`]: no whitespace or
/// emphasis mark), and whether trimming whitespace keeps it
/// ([`SPACE_KEPT`], for [`line`]); nothing for a byte of a non-ASCII
/// char, which only decoding tells.
static KEPT: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 0x80 {
        let c = b as u8;
        // `is_space` among ASCII chars: tab to carriage return, space.
        if !matches!(c, b'\t'..=b'\r' | b' ') {
            let start = if matches!(c, b'#' | b'>' | b'*' | b'_') { 0 } else { START_KEPT };
            let end = if matches!(c, b'*' | b'_') { 0 } else { END_KEPT };
            table[b] = start | end | SPACE_KEPT;
        }
        b += 1;
    }
    table
};

/// True when `s` starts with `prefix` read as [`starts_ci`] does, with
/// the curly apostrophes `’` and `‘` of `s` read as `'` ("Editor’s note"
/// opens with "editor's note"): `starts_ci` on the folded text, without
/// building it.
pub(crate) fn starts_ci_folded(s: &str, prefix: &str) -> bool {
    let s = s.as_bytes();
    let mut at = 0;
    for &p in prefix.as_bytes() {
        match s.get(at..) {
            // U+2018 and U+2019 in UTF-8.
            Some([0xE2, 0x80, 0x98 | 0x99, ..]) if p == b'\'' => at += 3,
            Some([0xE2, 0x80, 0x98 | 0x99, ..]) => return false,
            Some([b, ..]) if b.eq_ignore_ascii_case(&p) => at += 1,
            _ => return false,
        }
    }
    true
}

/// True when the unit ends a sentence: `.`, `!`, `?`, `…`, or `:`, possibly
/// followed by closing quotes, brackets or emphasis marks.
pub(crate) fn ends_sentence(s: &str) -> bool {
    let core = s.trim_end_matches(|c: char| {
        matches!(c, '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']' | '*' | '_') || is_space(c)
    });
    core.ends_with(['.', '!', '?', '\u{2026}', ':'])
}

/// Byte offsets of the starts of the whitespace-separated words of `s`,
/// with the words.
pub(crate) fn words(s: &str) -> Vec<(usize, &str)> {
    words_iter(s).collect()
}

/// [`words`] one at a time, so a caller that needs the first few stops
/// there instead of splitting a whole paragraph.
pub(crate) fn words_iter(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut chars = s.char_indices();
    let mut start = None;
    std::iter::from_fn(move || {
        for (i, c) in chars.by_ref() {
            match (is_space(c), start) {
                (true, Some(st)) => {
                    start = None;
                    return Some((st, &s[st..i]));
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        start.take().map(|st| (st, &s[st..]))
    })
}

/// A byte of a [`lower_ascii`] view standing for a char that is not ASCII
/// once lower-cased: [`ALNUM`] for a letter or digit, [`OTHER`] otherwise.
const ALNUM: u8 = 0xFE;
const OTHER: u8 = 0xFF;

/// `s` lower-cased for finding ASCII words and phrases in it, without the
/// cost of [`str::to_lowercase`] on a whole paragraph. Each char of
/// `s.to_lowercase()` gives one byte: itself when ASCII, else [`ALNUM`] or
/// [`OTHER`]; with `fold_quotes`, `’` and `‘` give `'`.
///
/// Invariant: an ASCII needle occurs in the view exactly where it occurs in
/// the lower-cased (and folded) text, and a byte next to it is a letter or
/// digit ([`is_alnum`]) exactly when the char next to it there is one.
pub(crate) fn lower_ascii(s: &str, fold_quotes: bool) -> Vec<u8> {
    if s.is_ascii() {
        return s.as_bytes().to_ascii_lowercase();
    }
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        // Runs of ASCII are most of any text: copied and lower-cased whole.
        let ascii = ascii_prefix_len(rest.as_bytes());
        let from = out.len();
        out.extend_from_slice(&rest.as_bytes()[..ascii]);
        out[from..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        rest = chars.as_str();
        if fold_quotes && matches!(c, '\u{2018}' | '\u{2019}') {
            out.push(b'\'');
            continue;
        }
        // General punctuation (curly quotes, dashes, ellipsis): no case and
        // no letters, so no lookup in the case tables.
        if matches!(c as u32, 0x2000..=0x206F) {
            out.push(OTHER);
            continue;
        }
        // A few chars lower-case to more than one, some of them ASCII
        // ("İ" to "i" and a combining dot, the Kelvin sign to "k").
        out.extend(c.to_lowercase().map(|l| match l {
            l if l.is_ascii() => l as u8,
            l if l.is_alphanumeric() => ALNUM,
            _ => OTHER,
        }));
    }
    out
}

/// How many bytes at the start of `bytes` are ASCII: tested eight at a
/// time, then one at a time in the block that is not.
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    // Each block read as one word and its high bits tested at once
    // (`<[u8]>::is_ascii` on an eight-byte slice goes byte by byte).
    let (blocks, _) = bytes.as_chunks::<8>();
    let ascii_blocks = blocks.iter().take_while(|b| u64::from_le_bytes(**b) & 0x8080_8080_8080_8080 == 0).count();
    let rest = &bytes[ascii_blocks * 8..];
    ascii_blocks * 8 + rest.iter().position(|b| !b.is_ascii()).unwrap_or(rest.len())
}

/// True when a byte of a [`lower_ascii`] view stands for a letter or digit.
fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == ALNUM
}

/// True when the ASCII `word` occurs in `s` as a whole word, ignoring case.
pub(crate) fn has_word_ci(s: &str, word: &str) -> bool {
    has_word_in_lower(&lower_ascii(s, false), &Finder::new(word))
}

/// True when any of `words` (searchers for lower-case ASCII words, built
/// once by the caller) occurs in `s` as a whole word, ignoring case:
/// [`has_word_ci`] for each, lower-casing `s` once.
pub(crate) fn has_any_word_ci(s: &str, words: &[Finder<'_>]) -> bool {
    let lower = lower_ascii(s, false);
    words.iter().any(|w| has_word_in_lower(&lower, w))
}

/// `word` (lower-case ASCII) in a [`lower_ascii`] view, between non-letters.
/// After an occurrence inside a longer word, the search goes on past it.
fn has_word_in_lower(lower: &[u8], word: &Finder<'_>) -> bool {
    let len = word.needle().len();
    let mut from = 0;
    while let Some(pos) = word.find(&lower[from..]) {
        let at = from + pos;
        let before = at.checked_sub(1).map(|i| lower[i]);
        let after = lower.get(at + len).copied();
        if !before.is_some_and(is_alnum) && !after.is_some_and(is_alnum) {
            return true;
        }
        from = at + len;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Lines found by searching again from each line's start for a line
    /// feed or carriage return.
    fn lines_searched_per_line(s: &str) -> Vec<Line> {
        let bytes = s.as_bytes();
        let (mut want, mut start) = (Vec::new(), 0);
        while let Some(at) = memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            let i = start + at;
            want.push(line(s, start, i));
            start = i + if s[i..].starts_with("\r\n") { 2 } else { 1 };
        }
        if start < s.len() {
            want.push(line(s, start, s.len()));
        }
        want
    }

    /// What [`has_word_ci`] stands for: the search on `s.to_lowercase()`.
    fn has_word_reference(s: &str, word: &str) -> bool {
        let lower = s.to_lowercase();
        let mut from = 0;
        while let Some(pos) = lower[from..].find(word) {
            let at = from + pos;
            let before = lower[..at].chars().next_back();
            let after = lower[at + word.len()..].chars().next();
            if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
                return true;
            }
            from = at + word.len();
        }
        false
    }

    /// Letters and marks that lower-case oddly: to ASCII (the Kelvin sign),
    /// to two chars ("İ"), to non-ASCII letters, or not at all.
    const TRICKY: &str =
        "(?s)[a-kA-K \u{2019}\u{2018}'.\u{130}\u{212a}\u{e9}\u{c9}\u{3a3}\u{307}\u{201c}\u{2014}1-]{0,24}";

    proptest! {
        #[test]
        fn lower_view_finds_what_to_lowercase_finds(s in TRICKY, word in "[a-k' -]{1,4}") {
            prop_assert_eq!(has_word_ci(&s, &word), has_word_reference(&s, &word));
            let folded = s.replace(['\u{2019}', '\u{2018}'], "'").to_lowercase();
            let found = memchr::memmem::find(&lower_ascii(&s, true), word.as_bytes()).is_some();
            prop_assert_eq!(found, folded.contains(word.as_str()));
        }

        /// Line ends found with one searcher are those found by searching
        /// again from each line's start.
        #[test]
        fn lines_split_where_a_search_per_line_splits(s in "[a \r\n]{0,24}") {
            prop_assert_eq!(lines(&s), lines_searched_per_line(&s));
        }

        /// A text without carriage returns (split by the one-byte search)
        /// too, and that text with a carriage return added at its end
        /// (split by the two-byte search): the same lines.
        #[test]
        fn lines_split_alike_with_or_without_carriage_returns(s in "[a \t\n]{0,32}") {
            prop_assert_eq!(lines(&s), lines_searched_per_line(&s));
            // The carriage return ends the last line where the text ended,
            // or (after a final line feed, or alone) adds an empty one.
            let with_cr = format!("{s}\r");
            let (want, got) = (lines(&s), lines(&with_cr));
            prop_assert_eq!(&got, &lines_searched_per_line(&with_cr));
            prop_assert!(got.len() - want.len() == usize::from(s.is_empty() || s.ends_with('\n')));
            prop_assert_eq!(&got[..want.len()], &want[..]);
        }

        #[test]
        fn lines_are_trimmed_as_trim_matches_trims(s in "[ a\t\r\n\u{feff}\u{a0}\u{2003}é]{0,16}") {
            for line in lines(&s) {
                prop_assert_eq!(line.trimmed(&s), line.raw(&s).trim_matches(is_space));
            }
        }

        /// The byte test that skips the trims keeps what they keep, for
        /// every ASCII byte at either end.
        #[test]
        fn lines_trim_as_the_char_tests_trim(s in "[\\x00-\\x7f\u{85}\u{a0}\u{feff}é]{0,16}") {
            for line in lines(&s) {
                prop_assert_eq!(line.trimmed(&s), line.raw(&s).trim_matches(is_space));
            }
        }

        /// The recognisers undecorate a unit once and hand it on: a
        /// second pass must change nothing.
        #[test]
        fn undecorating_twice_is_undecorating_once(s in "[#>*_ \t\u{feff}\u{a0}a.]{0,12}") {
            prop_assert_eq!(undecorate(undecorate(&s)), undecorate(&s));
        }

        /// The byte test that skips the trims keeps what they keep.
        #[test]
        fn undecorating_trims_as_the_char_tests_trim(s in "[\\x00-\\x7f\u{85}\u{a0}\u{feff}é]{0,8}") {
            let want = s
                .trim_start_matches(|c: char| matches!(c, '#' | '>' | '*' | '_') || is_space(c))
                .trim_end_matches(|c: char| matches!(c, '*' | '_') || is_space(c));
            prop_assert_eq!(undecorate(&s), want);
        }

        #[test]
        fn folded_prefix_is_a_prefix_of_the_folded_text(s in TRICKY, prefix in "[a-kA-K' ]{1,6}") {
            let folded = s.replace(['\u{2019}', '\u{2018}'], "'");
            prop_assert_eq!(starts_ci_folded(&s, &prefix), starts_ci(&folded, &prefix));
        }
    }

    /// The table agrees with the char tests of the trims for every byte
    /// that is a char, at either end.
    #[test]
    fn kept_bytes_are_what_the_trims_keep() {
        for b in 0..0x80u8 {
            let c = char::from(b);
            let start = !(matches!(c, '#' | '>' | '*' | '_') || is_space(c));
            let end = !(matches!(c, '*' | '_') || is_space(c));
            let space = !is_space(c);
            let want = (u8::from(start) * START_KEPT) | (u8::from(end) * END_KEPT) | (u8::from(space) * SPACE_KEPT);
            assert_eq!(KEPT[usize::from(b)], want, "{b}");
        }
        assert!(KEPT[0x80..].iter().all(|k| *k == 0));
    }

    #[test]
    fn general_punctuation_has_no_case_and_no_letters() {
        for c in '\u{2000}'..='\u{206F}' {
            assert!(c.to_lowercase().eq([c]) && !c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn ascii_prefix_is_found_in_every_block_position() {
        for len in 0..20 {
            for at in 0..=len {
                let mut bytes = vec![b'a'; len];
                if at < len {
                    bytes[at] = 0xC3;
                }
                assert_eq!(ascii_prefix_len(&bytes), at, "{len} {at}");
            }
        }
    }

    #[test]
    fn lines_keep_offsets_for_every_break() {
        let text = "a\r\nb\rc\n\n  d  ";
        let got: Vec<&str> = lines(text).iter().map(|l| l.raw(text)).collect();
        assert_eq!(got, ["a", "b", "c", "", "  d  "]);
        let last = lines(text)[4];
        assert_eq!(last.trimmed(text), "d");
    }

    #[test]
    fn word_matching_respects_boundaries() {
        assert!(has_word_ci("A Senior Fellow at X", "fellow"));
        assert!(!has_word_ci("fellowship", "fellow"));
        assert_eq!(strip_word_ci("By Jane", "by"), Some(" Jane"));
        assert_eq!(strip_word_ci("Bypass", "by"), None);
        assert!(ends_sentence("the end.”*"));
        assert!(!ends_sentence("no end"));
    }
}
