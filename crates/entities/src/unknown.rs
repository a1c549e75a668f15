//! Capitalised names the dictionary does not know: reported so a user can
//! extend the dictionary, never turned into actors.

use crate::token_bytes;
use crate::vocab::Class;
use crate::words::{Covered, DocWords, Pick, Sentences};
use dyad_core::{Span, TokenKind, UnknownName};

/// Capitalised words that are not names, or not names of actors.
pub(crate) const NOT_NAMES: &[&str] = &[
    "i",
    "a",
    "q",
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "in",
    "on",
    "at",
    "for",
    "by",
    "with",
    "but",
    "and",
    "or",
    "if",
    "as",
    "while",
    "when",
    "what",
    "why",
    "how",
    "who",
    "where",
    "which",
    "there",
    "their",
    "they",
    "we",
    "our",
    "he",
    "she",
    "his",
    "her",
    "a",
    "an",
    "yet",
    "so",
    "still",
    "moreover",
    "however",
    "equally",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mr",
    "mrs",
    "ms",
    "dr",
    "no",
    "not",
    "ok",
    "tv",
    "ceo",
    "gdp",
    "covid",
];

/// Words of multi-word titles ("Foreign Minister", "Supreme Leader").
pub(crate) const TITLE_WORDS: &[&str] = &[
    "foreign", "defence", "defense", "prime", "supreme", "interior", "finance", "former", "crown", "vice", "national",
    "security", "adviser", "advisor", "state", "sen", "rep", "lt", "brig", "maj", "gen", "col",
];

/// Words that may join capitalised words inside one name ("Bank of
/// England", "Abu Bakr al-Baghdadi").
pub(crate) const CONNECTORS: &[&str] =
    &["of", "al", "bin", "ibn", "de", "van", "von", "der", "la", "du", "el", "-", "'s"];

/// Appends the unknown names of the document, in order. `covered` holds
/// the tokens that a dictionary entry already explains. Nothing is
/// appended from a sentence that `is_headline` (asked with its index, at
/// most once, when a name is found in it) says is a title-case headline.
pub(crate) fn collect(
    text: &str,
    doc: &DocWords<'_>,
    mut sentences: Sentences<'_>,
    covered: &Covered,
    is_headline: impl Fn(u32) -> bool,
    out: &mut Vec<UnknownName>,
) {
    // Where the last name ended, and before which token nothing is taken
    // (the end of a headline).
    let mut last_end = 0;
    // The sentence last asked about.
    let mut asked = None;
    // The name words no entry explains.
    for at in doc.picked_uncovered(Pick::NameWord, covered) {
        if at < last_end {
            continue;
        }
        let s = sentences.of(at);
        let toks = s.toks;
        let is_name_word = |i: usize| i < toks.len() && s.is(i, Pick::NameWord) && !s.covered(i, covered);
        let is_first_word =
            |i: usize| toks[i].kind == TokenKind::Word && toks[..i].iter().all(|t| t.kind != TokenKind::Word);
        let start = at - s.first;
        let mut end = start + 1;
        loop {
            if end < toks.len() && is_name_word(end) {
                end += 1;
                continue;
            }
            // A connector followed by another name word.
            if end + 1 < toks.len() && !s.covered(end, covered) && s.class(end).any(Class::CONNECTOR) {
                let next = end + 1;
                if is_name_word(next) {
                    end = next + 1;
                    continue;
                }
                // "al-" + name
                if next + 1 < toks.len() && token_bytes(text, toks[next]) == b"-" && is_name_word(next + 1) {
                    end = next + 2;
                    continue;
                }
            }
            break;
        }
        last_end = s.first + end;
        let mut i = start;
        // Titles and sentence-initial common words are not part of the name.
        while i < end {
            let skipped = Class::TITLE | Class::TITLE_WORD | Class::NOT_NAME;
            if s.class(i).any(skipped) || (end - i == 1 && is_first_word(i)) {
                i += 1;
            } else {
                break;
            }
        }
        if i == end {
            continue;
        }
        if asked != Some(s.index) {
            asked = Some(s.index);
            if is_headline(s.index) {
                // Nothing more from this sentence.
                last_end = s.end();
                continue;
            }
        }
        out.push(UnknownName {
            span: Span::new(toks[i].span.start as usize, toks[end - 1].span.end as usize),
            sentence: s.index,
        });
    }
}
