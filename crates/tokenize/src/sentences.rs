//! The sentence splitter, shared by both backends: tokens + text -> sentences.
//!
//! A sentence ends
//! - at every line break between two tokens (each non-empty line is at least
//!   its own paragraph: headlines, bylines and credits have no final period);
//! - after a terminal cluster — a `Punct` token of `.`, `!`, `?`, `…` (runs
//!   such as `..`, `...`, `?!` included) or an abbreviation word ending in `.`
//!   ("U.S."), then any adjacent closing quotes/brackets and further terminal
//!   tokens — when whitespace follows and the next token qualifies. What
//!   qualifies depends on the last terminal token of the cluster:
//!   - *strong* (plain `.`, `!`, `?`, runs): the next token starts with an
//!     upper-case or uncased letter, a digit, or an opening quote/bracket;
//!   - *ambiguous* (an abbreviation that often ends a sentence: "U.S.",
//!     "a.m.", "etc.", "Inc.", "Corp.", "Ltd.", "Co.", "Jr.", "Sr.", "et al.",
//!     or a single upper-case initial "W."): the next token is one of a closed
//!     list of common sentence starters ("The", "It", "In", "But", ...);
//!   - *never* (titles and abbreviations that precede what they modify: "Mr.",
//!     "Gen.", "Sept.", "No.", "vs.", "e.g.", ...; and `1.` opening a
//!     sentence, an enumeration): no split except at a line break.
//!
//! Every token lands in exactly one sentence; a sentence spans its first
//! token's start to its last token's end.
//!
//! Only the candidates (terminal tokens and tokens followed by a line break)
//! can end a sentence, so the splitter visits those alone: the fast scanner
//! lists them as it scans, [`candidates`] finds them for the Hugging Face
//! backend.

use dyad_core::{Sentence, Span, Token, TokenKind};

use crate::chars::{has_line_break, is_closing, is_opening, is_terminal};

/// Appends the sentences over `tokens` (tokens of `text`) to `out`.
///
/// `candidates` are the indices of the tokens after which a sentence may
/// end, ascending: at least every terminal token and every token followed
/// by a line break (see [`candidates`]; the fast scanner collects them while
/// it scans). Between two candidates no sentence ends, so only the
/// candidates are looked at.
pub(crate) fn split(text: &str, tokens: &[Token], candidates: &[u32], out: &mut Vec<Sentence>) {
    let n = tokens.len();
    let mut first = 0;
    // The first token not yet taken into a terminal cluster.
    let mut next = 0;
    for &i in candidates {
        let i = i as usize;
        if i < next || i >= n {
            continue;
        }
        let mut last = i;
        let mut ends = false;
        if is_terminal_token(text, tokens[i]) {
            let mut last_terminal = i;
            while last + 1 < n && adjacent(tokens[last], tokens[last + 1]) {
                let after = tokens[last + 1];
                if is_terminal_token(text, after) {
                    last_terminal = last + 1;
                } else if !all_chars(text, after, is_closing) {
                    break;
                }
                last += 1;
            }
            ends = ends_sentence(text, tokens, first, last_terminal, last);
        }
        if ends || last + 1 == n || gap_breaks_line(text, tokens[last], tokens[last + 1]) {
            push(tokens, first, last, out);
            first = last + 1;
        }
        next = last + 1;
    }
    // The last sentence runs to the last token.
    if first < n {
        push(tokens, first, n - 1, out);
    }
}

/// The sentence of tokens `first..=last`.
#[inline]
fn push(tokens: &[Token], first: usize, last: usize, out: &mut Vec<Sentence>) {
    out.push(Sentence {
        span: Span::new(tokens[first].span.start as usize, tokens[last].span.end as usize),
        first_token: first as u32,
        end_token: (last + 1) as u32,
    });
}

/// The candidates [`split`] needs, from the tokens alone: the index of
/// every terminal token and of every token followed by a line break (before
/// the next token or the end of the text), ascending. The fast scanner
/// collects exactly these while it scans; the Hugging Face backend uses
/// this.
pub(crate) fn candidates(text: &str, tokens: &[Token]) -> Vec<u32> {
    let bytes = text.as_bytes();
    let gap_end = |k: usize| tokens.get(k + 1).map_or(bytes.len(), |t| t.span.start as usize);
    (0..tokens.len())
        .filter(|&k| {
            let t = tokens[k];
            is_terminal_token(text, t) || bytes.get(t.span.end as usize..gap_end(k)).is_some_and(has_line_break)
        })
        .map(|k| k as u32)
        .collect()
}

/// Whether the whitespace between tokens `a` and `b` holds a line break.
/// Most gaps are empty or one byte, checked without slicing: a one-byte gap
/// is one ASCII whitespace byte, a line break when it is LF, CR, VT or FF.
#[inline]
fn gap_breaks_line(text: &str, a: Token, b: Token) -> bool {
    let (from, to) = (a.span.end as usize, b.span.start as usize);
    match to.wrapping_sub(from) {
        0 => false,
        1 => matches!(text.as_bytes().get(from), Some(b'\n' | b'\r' | 0x0B | 0x0C)),
        _ => text.as_bytes().get(from..to).is_some_and(has_line_break),
    }
}

#[inline]
fn adjacent(a: Token, b: Token) -> bool {
    a.span.end == b.span.start
}

#[inline]
fn token_text(text: &str, t: Token) -> &str {
    text.get(t.span.range()).unwrap_or("")
}

/// The bytes of `t`: [`token_text`] without the char-boundary checks, for
/// tests on ASCII bytes.
#[inline]
fn token_bytes(text: &str, t: Token) -> &[u8] {
    text.as_bytes().get(t.span.range()).unwrap_or_default()
}

/// A `Punct` token made only of `pred` characters.
#[inline]
fn all_chars(text: &str, t: Token, pred: fn(char) -> bool) -> bool {
    t.kind == TokenKind::Punct && token_text(text, t).chars().all(pred)
}

/// A token that may end a sentence: terminal punctuation, or a word that
/// ends in a period (only abbreviations such as "U.S." do).
#[inline]
fn is_terminal_token(text: &str, t: Token) -> bool {
    let bytes = token_bytes(text, t);
    match t.kind {
        // Cheap byte tests first: most terminal punctuation is one ASCII
        // byte (a candidate most often a lone period), most other
        // punctuation `,` or a quote.
        TokenKind::Punct => match bytes {
            [b'.' | b'!' | b'?'] => true,
            [b'.' | b'!' | b'?' | 0xE2, ..] => {
                bytes.iter().all(|b| matches!(b, b'.' | b'!' | b'?')) || all_chars(text, t, is_terminal)
            }
            _ => false,
        },
        TokenKind::Word => bytes.last() == Some(&b'.'),
        TokenKind::Number | TokenKind::Clitic => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    Strong,
    Ambiguous,
    Never,
}

/// Whether the terminal cluster whose last terminal token is `terminal` and
/// whose last token is `last` ends the sentence that began at `first`.
fn ends_sentence(text: &str, tokens: &[Token], first: usize, terminal: usize, last: usize) -> bool {
    let Some(&next) = tokens.get(last + 1) else {
        return true;
    };
    if adjacent(tokens[last], next) {
        return false;
    }
    let next_text = token_text(text, next);
    match strength(text, tokens, first, terminal) {
        Strength::Never => false,
        Strength::Ambiguous => next.kind == TokenKind::Word && is_sentence_starter(next_text),
        Strength::Strong => next_text.chars().next().is_some_and(|c| {
            c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase()) || c.is_numeric() || is_opening(c)
        }),
    }
}

fn strength(text: &str, tokens: &[Token], first: usize, terminal: usize) -> Strength {
    let t = tokens[terminal];
    if t.kind == TokenKind::Word {
        let t_text = token_text(text, t);
        let key = t_text.strip_suffix('.').unwrap_or(t_text);
        return if never_final(key) { Strength::Never } else { Strength::Ambiguous };
    }
    if token_bytes(text, t) != b"." || terminal == 0 || !adjacent(tokens[terminal - 1], t) {
        return Strength::Strong;
    }
    let prev = tokens[terminal - 1];
    match prev.kind {
        TokenKind::Word => {
            let word = token_text(text, prev);
            // Most sentences end on a word longer than any abbreviation or
            // initial: one length test spares them the three lists.
            if word.len() > ABBREVIATION_MAX { Strength::Strong } else { word_strength(word) }
        }
        TokenKind::Number if terminal - 1 == first => {
            let digits = token_bytes(text, prev);
            if digits.len() <= 3 && digits.iter().all(u8::is_ascii_digit) { Strength::Never } else { Strength::Strong }
        }
        _ => Strength::Strong,
    }
}

/// The strength of a period right after `word`, a word of at most
/// [`ABBREVIATION_MAX`] bytes. Most such words ending a sentence are
/// lower-case ("said", "war"): they are looked for in the lower-case
/// abbreviations only, as no capitalised one and no initial can match.
#[inline]
fn word_strength(word: &str) -> Strength {
    let (never, maybe) = if word.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
        (never_final_lower(word), maybe_final_lower(word))
    } else {
        (never_final(word), maybe_final(word) || is_initial(word))
    };
    if never {
        Strength::Never
    } else if maybe {
        Strength::Ambiguous
    } else {
        Strength::Strong
    }
}

/// The longest word [`never_final`], [`maybe_final`] or [`is_initial`]
/// takes, in bytes ("Messrs", "approx").
const ABBREVIATION_MAX: usize = 6;

/// A single upper-case letter: an initial ("George W. Bush").
fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

/// Titles and abbreviations that precede what they modify: a period after
/// them never ends a sentence (case-sensitive; the key has no final period).
fn never_final(word: &str) -> bool {
    never_final_capitalised(word) || never_final_lower(word)
}

/// The words of [`never_final`] that do not start with a lower-case letter.
fn never_final_capitalised(word: &str) -> bool {
    matches!(
        word,
        "Mr" | "Mrs"
            | "Ms"
            | "Messrs"
            | "Dr"
            | "Prof"
            | "Gen"
            | "Gens"
            | "Lt"
            | "Col"
            | "Maj"
            | "Sgt"
            | "Cpl"
            | "Pvt"
            | "Adm"
            | "Capt"
            | "Cmdr"
            | "Brig"
            | "Sen"
            | "Sens"
            | "Rep"
            | "Reps"
            | "Gov"
            | "Pres"
            | "Rev"
            | "Hon"
            | "Amb"
            | "Atty"
            | "Supt"
            | "St"
            | "Mt"
            | "Ft"
            | "Jan"
            | "Feb"
            | "Mar"
            | "Apr"
            | "Jun"
            | "Jul"
            | "Aug"
            | "Sep"
            | "Sept"
            | "Oct"
            | "Nov"
            | "Dec"
            | "No"
            | "Nos"
            | "Nr"
            | "Fig"
            | "Vol"
    )
}

/// The words of [`never_final`] that start with a lower-case letter.
fn never_final_lower(word: &str) -> bool {
    matches!(word, "vol" | "pp" | "vs" | "v" | "e.g" | "i.e" | "cf" | "viz" | "approx" | "ca")
}

/// Abbreviations that often end a sentence: a period after them ends one
/// only before a common sentence starter.
fn maybe_final(word: &str) -> bool {
    matches!(word, "Inc" | "Corp" | "Ltd" | "Co" | "Jr" | "Sr" | "Bros") || maybe_final_lower(word)
}

/// The words of [`maybe_final`] that start with a lower-case letter.
fn maybe_final_lower(word: &str) -> bool {
    matches!(word, "etc" | "al")
}

/// Words that, capitalised after an ambiguous abbreviation ("U.S.", "etc.",
/// an initial), show that a new sentence began. Single letters ("A", "I")
/// are left out so initials in a row ("J. A. Smith") stay together.
fn is_sentence_starter(word: &str) -> bool {
    matches!(
        word,
        "The"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "It"
            | "Its"
            | "In"
            | "On"
            | "At"
            | "As"
            | "By"
            | "For"
            | "From"
            | "With"
            | "Without"
            | "Under"
            | "Over"
            | "Among"
            | "During"
            | "After"
            | "Before"
            | "Since"
            | "Until"
            | "Despite"
            | "But"
            | "And"
            | "Or"
            | "Yet"
            | "So"
            | "If"
            | "When"
            | "While"
            | "Although"
            | "Though"
            | "Because"
            | "Unless"
            | "Whether"
            | "However"
            | "Moreover"
            | "Meanwhile"
            | "Furthermore"
            | "Nevertheless"
            | "Nonetheless"
            | "Therefore"
            | "Thus"
            | "Indeed"
            | "Instead"
            | "Still"
            | "Also"
            | "Even"
            | "Such"
            | "Some"
            | "Many"
            | "Most"
            | "Both"
            | "Each"
            | "Other"
            | "Neither"
            | "No"
            | "Not"
            | "Now"
            | "Then"
            | "There"
            | "Here"
            | "He"
            | "She"
            | "They"
            | "We"
            | "You"
            | "His"
            | "Her"
            | "Their"
            | "Our"
            | "My"
            | "What"
            | "Why"
            | "How"
            | "Who"
            | "Which"
            | "Where"
            | "Today"
            | "Yesterday"
            | "Last"
            | "Next"
            | "Finally"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The length test lets through the longest words of the lists; one
    /// added past [`ABBREVIATION_MAX`] fails here until the bound grows.
    #[test]
    fn abbreviation_bound_covers_the_lists() {
        for word in ["Messrs", "approx"] {
            assert!(word.len() <= ABBREVIATION_MAX && never_final(word), "{word}");
        }
        for word in ["etc", "Inc", "Corp", "Ltd", "Co", "Jr", "Sr", "al", "Bros"] {
            assert!(word.len() <= ABBREVIATION_MAX && maybe_final(word), "{word}");
        }
        assert!("\u{10400}".len() <= ABBREVIATION_MAX && is_initial("\u{10400}"), "a four-byte initial");
    }

    /// What the three lists say, in full.
    fn full_strength(word: &str) -> Strength {
        if never_final(word) {
            Strength::Never
        } else if maybe_final(word) || is_initial(word) {
            Strength::Ambiguous
        } else {
            Strength::Strong
        }
    }

    /// The lower-case shortcut must agree with the full lists: on every
    /// word of up to three of these characters (a lower-case abbreviation
    /// left in the capitalised list would fail here), and on the longer
    /// listed words.
    #[test]
    fn word_strength_agrees_with_the_full_lists() {
        let alphabet: Vec<char> = ('a'..='z').chain(['.', 'A', 'M', 'V']).collect();
        let mut words = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> =
                words.iter().flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}"))).collect();
            words.extend(longer);
        }
        let listed = [
            "Mr",
            "Messrs",
            "Sept",
            "Vol",
            "vol",
            "pp",
            "vs",
            "v",
            "e.g",
            "i.e",
            "cf",
            "viz",
            "approx",
            "ca",
            "etc",
            "Inc",
            "Co",
            "al",
            "Bros",
            "W",
            "w",
            "said",
            "war",
            "Iran",
            "\u{10400}",
        ];
        words.extend(listed.iter().map(|w| w.to_string()));
        for word in words.iter().filter(|w| !w.is_empty()) {
            assert_eq!(word_strength(word), full_strength(word), "{word:?}");
        }
        assert_eq!(word_strength("vs"), Strength::Never);
        assert_eq!(word_strength("etc"), Strength::Ambiguous);
        assert_eq!(word_strength("said"), Strength::Strong);
    }
}
