//! Person names as bylines and author bios write them: two to four
//! capitalised words, with particles ("de", "van", "bin", "al-"), initials
//! ("J.") and suffixes ("Jr."), after an optional honorific ("Dr.").

use crate::dates::is_weekday;
use crate::text::words_iter;
use std::sync::LazyLock;

/// Lower-case words that may sit inside a name without counting as one of
/// its capitalised words.
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "ben", "abu", "de", "da", "del", "della", "der", "den", "di", "do", "dos", "das",
    "du", "la", "le", "van", "von", "ter", "y",
];

/// Prefixes joined to a surname by a hyphen ("al-Sharif").
const HYPHEN_PARTICLES: &[&str] =
    &["al-", "el-", "ad-", "an-", "ar-", "as-", "ash-", "at-", "az-", "abu-", "bin-", "ibn-", "ben-"];

const SUFFIXES: &[&str] = &["jr.", "jr", "sr.", "sr", "ii", "iii", "iv"];

/// Titles before a name, dropped from the name.
const HONORIFICS: &[&str] = &[
    "dr.",
    "dr",
    "prof.",
    "prof",
    "professor",
    "mr.",
    "mr",
    "mrs.",
    "mrs",
    "ms.",
    "ms",
    "amb.",
    "ambassador",
    "gen.",
    "col.",
    "lt.",
    "capt.",
    "sir",
    "dame",
    "rev.",
    "hon.",
    "sen.",
    "rep.",
];

/// Capitalised words that are never part of a person's name: function
/// words, pronouns and the job titles that follow names in bylines.
/// Sorted; looked up by [`key`] (see [`is_not_name`]).
const NOT_NAMES: &[&str] = &[
    "a",
    "after",
    "agency",
    "all",
    "also",
    "although",
    "an",
    "analyst",
    "and",
    "are",
    "as",
    "associate",
    "at",
    "author",
    "authors",
    "because",
    "before",
    "board",
    "but",
    "by",
    "center",
    "centre",
    "chief",
    "contributing",
    "contributor",
    "contributors",
    "correspondent",
    "correspondents",
    "council",
    "credit",
    "department",
    "desk",
    "despite",
    "director",
    "during",
    "editor",
    "editorial",
    "editors",
    "every",
    "fellow",
    "for",
    "foundation",
    "from",
    "government",
    "guest",
    "he",
    "head",
    "her",
    "his",
    "how",
    "however",
    "i",
    "if",
    "image",
    "in",
    "institute",
    "is",
    "it",
    "its",
    "junior",
    "many",
    "meanwhile",
    "minister",
    "ministry",
    "more",
    "moreover",
    "most",
    "my",
    "news",
    "newsroom",
    "no",
    "not",
    "nowhere",
    "of",
    "office",
    "on",
    "opinions",
    "or",
    "our",
    "photo",
    "posted",
    "president",
    "press",
    "published",
    "read",
    "reporter",
    "reporters",
    "research",
    "researcher",
    "said",
    "says",
    "school",
    "secretary",
    "senior",
    "she",
    "since",
    "some",
    "source",
    "special",
    "staff",
    "team",
    "that",
    "the",
    "their",
    "these",
    "they",
    "this",
    "those",
    "though",
    "to",
    "today",
    "tomorrow",
    "university",
    "updated",
    "views",
    "was",
    "we",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "wire",
    "with",
    "writer",
    "writers",
    "yesterday",
    "yet",
    "you",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// A capitalised word or an initial: counts towards the name's length.
    Cap,
    Particle,
    Suffix,
}

fn classify(tok: &str) -> Option<Tok> {
    // Particles, hyphened or not, are lower-case, and so are most words of
    // a sentence: only a particle ("van", "al-Sharif") can then be part of
    // a name.
    let upper = tok.starts_with(char::is_uppercase);
    if !upper && !tok.contains('-') {
        return PARTICLES.contains(&tok).then_some(Tok::Particle);
    }
    // Lower-cased on the stack when ASCII (nearly always): this runs for
    // every word of every candidate name. Kept as bytes: only compared.
    let mut buf = [0u8; 32];
    let owned;
    let lower: &[u8] = match buf.get_mut(..tok.len()) {
        Some(head) if tok.is_ascii() => {
            head.copy_from_slice(tok.as_bytes());
            head.make_ascii_lowercase();
            head
        }
        _ => {
            owned = tok.to_lowercase();
            owned.as_bytes()
        }
    };
    if upper && SUFFIXES.iter().any(|x| x.as_bytes() == lower) {
        return Some(Tok::Suffix);
    }
    if !upper && PARTICLES.contains(&tok) {
        return Some(Tok::Particle);
    }
    if is_not_name(lower) || is_weekday(tok) {
        return None;
    }
    if is_initials(tok) {
        return Some(Tok::Cap);
    }
    let particle = if upper { None } else { HYPHEN_PARTICLES.iter().find(|p| tok.starts_with(*p)) };
    let body = particle.map_or(tok, |p| &tok[p.len()..]);
    let mut chars = body.chars();
    let first = chars.next()?;
    let rest_ok = chars.all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '\u{2019}'));
    let possessive = lower.ends_with(b"'s") || lower.ends_with("\u{2019}s".as_bytes());
    (first.is_uppercase() && body.chars().count() >= 2 && rest_ok && !possessive && !body.ends_with('-'))
        .then_some(Tok::Cap)
}

/// "J." or "J.R.".
fn is_initials(tok: &str) -> bool {
    let mut chars = tok.chars();
    let mut count = 0;
    loop {
        match (chars.next(), chars.next()) {
            (Some(c), Some('.')) if c.is_uppercase() => count += 1,
            (None, _) => return (1..=3).contains(&count),
            _ => return false,
        }
    }
}

/// `s` (whitespace-trimmed) as a person's name, normalised: honorific
/// dropped, single spaces, an all-capitals name ("JANE DOE") title-cased.
pub(crate) fn parse_name(s: &str) -> Option<String> {
    let mut toks: Vec<&str> = s.split_whitespace().collect();
    while toks.len() > 2 && is_honorific(toks[0]) {
        toks.remove(0);
    }
    if toks.is_empty() || toks.len() > 7 {
        return None;
    }
    let mut kinds = [Tok::Cap; 7];
    for (kind, tok) in kinds.iter_mut().zip(&toks) {
        *kind = classify(tok)?;
    }
    let kinds = &kinds[..toks.len()];
    let caps = kinds.iter().filter(|k| **k == Tok::Cap).count();
    let suffix_inside = kinds.iter().rev().skip(1).any(|k| *k == Tok::Suffix);
    if !(2..=4).contains(&caps) || kinds[0] == Tok::Suffix || suffix_inside || kinds.last() == Some(&Tok::Particle) {
        return None;
    }
    let shouting = toks.iter().all(|t| is_initials(t) || !t.chars().any(char::is_lowercase));
    let out: Vec<String> =
        toks.iter().map(|t| if shouting && !is_initials(t) { title_case(t) } else { (*t).to_string() }).collect();
    Some(out.join(" "))
}

/// The longest name at the start of `s` (up to seven words); returns the
/// name and the byte offset just after it (a comma after the last word is
/// not part of the name).
pub(crate) fn leading_name(s: &str) -> Option<(String, usize)> {
    // Every candidate holds the first word (comma-trimmed when it is the
    // only one), and only an honorific may fail to classify there: most
    // sentences ("The ...", "In ...") end here.
    let mut words = words_iter(s);
    let first = words.next()?.1;
    // A candidate holds the second word too (comma-trimmed when it is the
    // last): a second word that is lower-case ASCII, unhyphenated and no
    // particle or honorific fails every candidate unless a comma is
    // trimmed from it, and tells so in a few byte tests. Most sentences
    // ("Beijing rejected ...", "The new ...") end here, before the first
    // word is classified.
    let second = words.next()?.1;
    if second.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && !second.ends_with(',')
        && !second.contains('-')
        && !PARTICLES.contains(&second)
        && !is_honorific(second)
    {
        return None;
    }
    let first_fits = classify(first).is_some() || is_honorific(first);
    let trimmed = first.trim_end_matches(',');
    if !first_fits && (trimmed == first || classify(trimmed).is_none()) {
        return None;
    }
    // A word that is neither a name's word nor an honorific fails every
    // candidate that holds it, and so does it as the last word unless a
    // comma is trimmed from it there: only the shorter candidates are
    // tried, and words are read no further. (`parse_name` splits on
    // whitespace only, not on a BOM as `words_iter` does; but a token
    // holding a BOM is never a name's word, so a candidate holding one
    // fails too.) A name is at most 7 words: the rest of `s` (often a whole
    // paragraph) is never looked at.
    let fits = |i: usize, w: &str| if i == 0 { first_fits } else { classify(w).is_some() || is_honorific(w) };
    let mut ws = [(0, ""); 7];
    let mut longest = 0;
    for (i, (slot, word)) in ws.iter_mut().zip(words_iter(s)).enumerate() {
        *slot = word;
        if !fits(i, word.1) {
            longest = i + usize::from(word.1.ends_with(','));
            break;
        }
        longest = i + 1;
    }
    // A single word is never a name: it has at most one capitalised word.
    (2..=longest).rev().find_map(|n| {
        let (at, word) = ws[n - 1];
        let end = at + word.trim_end_matches(',').len();
        parse_name(&s[..end]).map(|name| (name, end))
    })
}

/// The surname: the last word that is not a suffix.
pub(crate) fn surname(name: &str) -> &str {
    name.split_whitespace().rev().find(|w| !SUFFIXES.iter().any(|x| lower_is(w, x))).unwrap_or(name)
}

fn is_honorific(word: &str) -> bool {
    // Most words tested open a sentence ("The", "In", "But"): the first
    // letter rules them out before the word is lower-cased and searched.
    if let Some(&b) = word.as_bytes().first()
        && b.is_ascii()
        && HONORIFIC_FIRSTS >> b.to_ascii_lowercase() & 1 == 0
    {
        return false;
    }
    if word.is_ascii() {
        // Lower-cased and packed on the stack: one search among numbers,
        // not a case-insensitive comparison with every honorific.
        let mut buf = [0u8; KEY_BYTES];
        let Some(head) = buf.get_mut(..word.len()) else {
            return false; // longer than any honorific
        };
        head.copy_from_slice(word.as_bytes());
        head.make_ascii_lowercase();
        key(head).is_some_and(|k| HONORIFIC_KEYS.binary_search(&k).is_ok())
    } else {
        HONORIFICS.contains(&word.to_lowercase().as_str())
    }
}

/// The first bytes of [`HONORIFICS`], a bit each: a word opening with an
/// ASCII byte whose lower case is not among them is no honorific.
///
/// Invariant: honorifics are lower-case ASCII, so that an honorific in any
/// case opens with the upper or lower case of one of these bytes.
const HONORIFIC_FIRSTS: u128 = {
    let mut bits = 0u128;
    let mut i = 0;
    while i < HONORIFICS.len() {
        bits |= 1 << HONORIFICS[i].as_bytes()[0];
        i += 1;
    }
    bits
};

/// The longest word a [`key`] packs.
const KEY_BYTES: usize = 15;

/// `word`'s bytes and length packed into one number, for words of at most
/// [`KEY_BYTES`] bytes: equal keys exactly when equal words, so a word list
/// is searched by comparing numbers instead of strings. It is core's
/// [`dyad_core::words::short_key`], the taggers' key for short words.
fn key(word: &[u8]) -> Option<u128> {
    dyad_core::words::short_key(word, 0, word.len())
}

/// The sorted keys of a word list (every word short enough for a key).
fn keys(words: &[&str]) -> Vec<u128> {
    let mut keys: Vec<u128> = words.iter().filter_map(|w| key(w.as_bytes())).collect();
    keys.sort_unstable();
    keys
}

static NOT_NAME_KEYS: LazyLock<Vec<u128>> = LazyLock::new(|| keys(NOT_NAMES));

static HONORIFIC_KEYS: LazyLock<Vec<u128>> = LazyLock::new(|| keys(HONORIFICS));

/// True when the lower-cased word `lower` is one of [`NOT_NAMES`].
fn is_not_name(lower: &[u8]) -> bool {
    key(lower).is_some_and(|k| NOT_NAME_KEYS.binary_search(&k).is_ok())
}

/// True when `word.to_lowercase()` is the lower-case ASCII `lower`, without
/// building it when `word` is ASCII.
pub(crate) fn lower_is(word: &str, lower: &str) -> bool {
    if word.is_ascii() { word.eq_ignore_ascii_case(lower) } else { word.to_lowercase() == lower }
}

fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut upper_next = true;
    for c in word.chars() {
        if upper_next {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        upper_next = matches!(c, '-' | '\'' | '\u{2019}');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (input, want) in [
            ("Nima Khorrami", "Nima Khorrami"),
            ("Dr. Jane Doe", "Jane Doe"),
            ("J. Smith", "J. Smith"),
            ("Ludwig van Beethoven", "Ludwig van Beethoven"),
            ("Mohammed bin Salman", "Mohammed bin Salman"),
            ("Hassan al-Sharif", "Hassan al-Sharif"),
            ("Martin Luther King Jr.", "Martin Luther King Jr."),
            ("JANE O'DOE-SMITH", "Jane O'Doe-Smith"),
            ("Theresa May", "Theresa May"),
        ] {
            assert_eq!(parse_name(input).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn not_names() {
        for input in [
            "Jane",
            "the way",
            "Israel's Leaders",
            "Senior Fellow",
            "Monday Morning",
            "Jane Doe de",
            "A B C D E",
            "Reuters",
            "March 2024",
        ] {
            assert_eq!(parse_name(input), None, "{input}");
        }
    }

    /// [`leading_name`] trying every candidate, longest first.
    fn leading_reference(s: &str) -> Option<(String, usize)> {
        let ws: Vec<(usize, &str)> = words_iter(s).take(7).collect();
        let first = ws.first()?.1;
        if classify(first).is_none() && classify(first.trim_end_matches(',')).is_none() && !is_honorific(first) {
            return None;
        }
        (1..=ws.len()).rev().find_map(|n| {
            let (at, word) = ws[n - 1];
            let end = at + word.trim_end_matches(',').len();
            parse_name(&s[..end]).map(|name| (name, end))
        })
    }

    proptest::proptest! {
        #[test]
        fn leading_name_tries_only_what_can_succeed(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "Jane", "Doe,", "DOE", "dr.", "Prof", "van", "the", "The", "is", "J.", "Jr.", ",", "al-Sharif",
                "\u{feff}", "Doe\u{feff}Roe", "Monday", "\u{212a}ate", "mr", "de", "rejected", "new,", "x-ray",
                "\u{e9}t\u{e9}", "bin-", "y",
            ]), 0..10),
        ) {
            let s = words.join(" ");
            proptest::prop_assert_eq!(leading_name(&s), leading_reference(&s));
        }
    }

    #[test]
    fn not_names_are_sorted_and_every_list_word_has_a_key() {
        assert!(NOT_NAMES.windows(2).all(|w| w[0] < w[1]));
        for list in [NOT_NAMES, HONORIFICS] {
            assert_eq!(keys(list).len(), list.len(), "a word too long for a key would never be found");
        }
    }

    #[test]
    fn keyed_lookups_agree_with_the_lists() {
        for word in NOT_NAMES {
            assert!(is_not_name(word.as_bytes()), "{word}");
        }
        for word in HONORIFICS {
            assert!(is_honorific(word) && is_honorific(&word.to_uppercase()), "{word}");
        }
        // A prefix, an extension, a word padded with NULs, a long word.
        for word in ["th", "thee", "the\0", "\0the", "correspondentsx", "professorprofessor", ""] {
            assert!(!is_not_name(word.as_bytes()), "{word:?}");
            assert!(!is_honorific(word), "{word:?}");
        }
        assert!(!is_honorific("dr\0") && !is_honorific("D") && is_honorific("Dr."));
        // Ruled out by the first letter, or not.
        for word in ["The", "In", "it", "But", "\u{130}", "9", "-"] {
            assert!(!is_honorific(word), "{word:?}");
        }
        assert!(HONORIFICS.iter().all(|h| h.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase())));
        assert!(is_honorific("PROF.") && is_honorific("Ambassador") && is_honorific("mRs"));
    }

    #[test]
    fn leading() {
        assert_eq!(leading_name("Nima Khorrami is a research associate"), Some(("Nima Khorrami".to_string(), 13)));
        assert_eq!(leading_name("Jane Doe, a fellow"), Some(("Jane Doe".to_string(), 8)));
        assert_eq!(leading_name("Russia is a"), None);
        assert_eq!(surname("Martin Luther King Jr."), "King");
    }
}
