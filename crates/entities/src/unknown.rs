//! Capitalised names the dictionary does not know: reported so a user can
//! extend the dictionary, never turned into actors.

use crate::{is_title, matcher::fold_into, starts_upper};
use dyad_core::{Span, Token, TokenKind, UnknownName};

/// Capitalised words that are not names, or not names of actors.
const NOT_NAMES: &[&str] = &[
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
const TITLE_WORDS: &[&str] = &[
    "foreign", "defence", "defense", "prime", "supreme", "interior", "finance", "former", "crown", "vice", "national",
    "security", "adviser", "advisor", "state", "sen", "rep", "lt", "brig", "maj", "gen", "col",
];

/// Words that may join capitalised words inside one name ("Bank of
/// England", "Abu Bakr al-Baghdadi").
const CONNECTORS: &[&str] = &["of", "al", "bin", "ibn", "de", "van", "von", "der", "la", "du", "el", "-", "'s"];

/// Appends the unknown names of one sentence. `covered[i]` is true for
/// tokens that a dictionary entry already explains.
pub(crate) fn collect(text: &str, sentence: u32, toks: &[Token], covered: &[bool], out: &mut Vec<UnknownName>) {
    let first_word = toks.iter().position(|t| t.kind == TokenKind::Word);
    let mut key = String::new();
    let mut i = 0;
    while i < toks.len() {
        if !is_name_word(text, toks, covered, i, &mut key) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        loop {
            if end < toks.len() && is_name_word(text, toks, covered, end, &mut key) {
                end += 1;
                continue;
            }
            // A connector followed by another name word.
            if end + 1 < toks.len() && !covered[end] && is_connector(text, toks[end], &mut key) {
                let next = end + 1;
                if is_name_word(text, toks, covered, next, &mut key) {
                    end = next + 1;
                    continue;
                }
                // "al-" + name
                if next + 1 < toks.len()
                    && toks[next].text(text) == "-"
                    && is_name_word(text, toks, covered, next + 1, &mut key)
                {
                    end = next + 2;
                    continue;
                }
            }
            break;
        }
        let mut s = start;
        // Titles and sentence-initial common words are not part of the name.
        while s < end {
            fold_into(toks[s].text(text), &mut key);
            let sentence_initial = Some(s) == first_word;
            let title_word = is_title(&key) || TITLE_WORDS.contains(&key.as_str());
            if title_word || NOT_NAMES.contains(&key.as_str()) || (sentence_initial && end - s == 1) {
                s += 1;
            } else {
                break;
            }
        }
        if s < end {
            out.push(UnknownName {
                span: Span::new(toks[s].span.start as usize, toks[end - 1].span.end as usize),
                sentence,
            });
        }
        i = end;
    }
}

fn is_name_word(text: &str, toks: &[Token], covered: &[bool], i: usize, key: &mut String) -> bool {
    let Some(t) = toks.get(i) else { return false };
    if covered[i] || t.kind != TokenKind::Word {
        return false;
    }
    let s = t.text(text);
    if !starts_upper(s) || s.chars().count() < 2 {
        return false;
    }
    fold_into(s, key);
    !NOT_NAMES.contains(&key.as_str())
}

fn is_connector(text: &str, t: Token, key: &mut String) -> bool {
    fold_into(t.text(text), key);
    CONNECTORS.contains(&key.as_str())
}
