//! The Hugging Face backend: `tokenizers` pre-tokenizers, then the crate's
//! token rules over their pieces.
//!
//! The pre-tokenizer is `Sequence[WhitespaceSplit, Punctuation(Isolated)]`:
//! it drops whitespace (`char::is_whitespace`, as the fast scanner does) and
//! isolates every punctuation character (ASCII punctuation or Unicode `P*`).
//! On its own it cannot match the fast scanner:
//!
//! - a piece between punctuation can hold symbols, emoji and control or
//!   format characters glued to letters ("5€", "a\u{0}b", "ok👍"), which the
//!   fast scanner makes separate `Punct` tokens;
//! - every punctuation char is its own piece, so "U.S.", "don't", "1.5",
//!   "2,000", "10:30", "Russia’s" and "..." come out in pieces.
//!
//! So the pieces are cut into atoms (a run of word characters, or one other
//! character) with the shared predicates of `chars.rs`, and the atoms are
//! merged with the same rules as `fast.rs`. The result is identical to the
//! fast backend (the tests check it on the corpus and on random input).

use dyad_core::{Span, Token, TokenKind};
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::pre_tokenizers::punctuation::Punctuation;
use tokenizers::pre_tokenizers::sequence::Sequence;
use tokenizers::pre_tokenizers::whitespace::WhitespaceSplit;
use tokenizers::{OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer, SplitDelimiterBehavior};

use crate::chars::{
    is_apostrophe, is_bare_clitic, is_number_separator, is_word_continue, is_word_start, starts_number,
};

/// The pre-tokenizer, built once per [`crate::Tokenizer`].
#[derive(Debug, Clone)]
pub(crate) struct HfBackend {
    pre: Sequence,
}

impl HfBackend {
    pub(crate) fn new() -> HfBackend {
        HfBackend {
            pre: Sequence::new(vec![
                PreTokenizerWrapper::WhitespaceSplit(WhitespaceSplit),
                PreTokenizerWrapper::Punctuation(Punctuation::new(SplitDelimiterBehavior::Isolated)),
            ]),
        }
    }

    /// Appends the tokens of `text` to `out`. Returns `false`, with `out`
    /// untouched, when the pre-tokenizer reports an error or an offset that
    /// does not slice `text` (neither happens with these pre-tokenizers).
    pub(crate) fn scan(&self, text: &str, out: &mut Vec<Token>) -> bool {
        let mut pre = PreTokenizedString::from(text);
        if self.pre.pre_tokenize(&mut pre).is_err() {
            return false;
        }
        let splits = pre.get_splits(OffsetReferential::Original, OffsetType::Byte);
        let mut atoms = Vec::with_capacity(splits.len() + splits.len() / 4);
        for (_, (start, end), _) in splits {
            let Some(piece) = text.get(start..end) else {
                return false;
            };
            atomize(piece, start, &mut atoms);
        }
        merge(text, &atoms, out);
        true
    }
}

/// A run of word characters, or one other character.
#[derive(Debug, Clone, Copy)]
struct Atom {
    start: usize,
    end: usize,
    first: char,
    run: bool,
}

impl Atom {
    /// A run of exactly one alphabetic character ("U" in "U.S.").
    fn is_letter_segment(self) -> bool {
        self.run && self.first.is_alphabetic() && self.end - self.start == self.first.len_utf8()
    }

    /// A run of exactly `s` or `S`.
    fn is_s_run(self) -> bool {
        self.run && matches!(self.first, 's' | 'S') && self.end - self.start == 1
    }

    fn is_other(self, pred: fn(char) -> bool) -> bool {
        !self.run && pred(self.first)
    }
}

/// Cuts one pre-tokenizer piece (at byte `base` of the text) into atoms.
fn atomize(piece: &str, base: usize, atoms: &mut Vec<Atom>) {
    let mut chars = piece.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let start = base + i;
        if !is_word_start(c) {
            atoms.push(Atom { start, end: start + c.len_utf8(), first: c, run: false });
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !is_word_continue(d) {
                break;
            }
            end = base + j + d.len_utf8();
            chars.next();
        }
        atoms.push(Atom { start, end, first: c, run: true });
    }
}

/// The atom at index `i` if it starts exactly at byte `at`.
#[inline]
fn next_to(atoms: &[Atom], i: usize, at: usize) -> Option<Atom> {
    atoms.get(i).copied().filter(|a| a.start == at)
}

/// Merges atoms into tokens with the rules of `fast.rs`.
fn merge(text: &str, atoms: &[Atom], out: &mut Vec<Token>) {
    let mut j = 0;
    while let Some(&a) = atoms.get(j) {
        // `k` is the index of the token's last atom, `end` its end.
        let mut k = j;
        let mut end = a.end;
        if !a.run {
            while let Some(b) = next_to(atoms, k + 1, end).filter(|b| !b.run && b.first == a.first) {
                k += 1;
                end = b.end;
            }
            out.push(Token { span: Span::new(a.start, end), kind: TokenKind::Punct });
            j = k + 1;
            continue;
        }
        let kind = if starts_number(a.first) {
            while let Some(sep) = next_to(atoms, k + 1, end).filter(|b| b.is_other(is_number_separator)) {
                match next_to(atoms, k + 2, sep.end) {
                    Some(run) if run.run && starts_number(run.first) => {
                        k += 2;
                        end = run.end;
                    }
                    _ => break,
                }
            }
            TokenKind::Number
        } else {
            let is_dot = |b: &Atom| !b.run && b.first == '.';
            let abbreviation = a.is_letter_segment()
                && next_to(atoms, k + 1, end)
                    .filter(is_dot)
                    .and_then(|dot| next_to(atoms, k + 2, dot.end))
                    .is_some_and(Atom::is_letter_segment);
            if abbreviation {
                while let Some(dot) = next_to(atoms, k + 1, end).filter(is_dot) {
                    match next_to(atoms, k + 2, dot.end) {
                        Some(segment) if segment.is_letter_segment() => {
                            k += 2;
                            end = segment.end;
                        }
                        _ => break,
                    }
                }
                if let Some(dot) = next_to(atoms, k + 1, end).filter(is_dot) {
                    k += 1;
                    end = dot.end;
                }
            } else {
                while let Some(apostrophe) = next_to(atoms, k + 1, end).filter(|b| b.is_other(is_apostrophe)) {
                    match next_to(atoms, k + 2, apostrophe.end) {
                        Some(run) if run.run && !run.is_s_run() => {
                            k += 2;
                            end = run.end;
                        }
                        _ => break,
                    }
                }
            }
            TokenKind::Word
        };
        out.push(Token { span: Span::new(a.start, end), kind });
        j = k + 1;

        // A clitic right after the word or number.
        let Some(apostrophe) = next_to(atoms, j, end).filter(|b| b.is_other(is_apostrophe)) else {
            continue;
        };
        let after = next_to(atoms, j + 1, apostrophe.end);
        if let Some(s) = after.filter(|b| b.is_s_run()) {
            out.push(Token { span: Span::new(apostrophe.start, s.end), kind: TokenKind::Clitic });
            j += 2;
            continue;
        }
        let ends_in_s = matches!(text.as_bytes().get(end.wrapping_sub(1)), Some(b's' | b'S'));
        let alone = after.is_none_or(|b| !b.run && b.first != apostrophe.first);
        if is_bare_clitic(apostrophe.first) && ends_in_s && alone {
            out.push(Token { span: Span::new(apostrophe.start, apostrophe.end), kind: TokenKind::Clitic });
            j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    /// The raw pieces of the pre-tokenizer, before the crate's rules.
    fn check_pieces(text: &str, expect: Expect) {
        let mut pre = PreTokenizedString::from(text);
        let pieces = match HfBackend::new().pre.pre_tokenize(&mut pre) {
            Ok(()) => pre.get_splits(OffsetReferential::Original, OffsetType::Byte),
            Err(e) => panic!("pre-tokenizer failed: {e}"),
        };
        let rendered: Vec<String> = pieces.iter().map(|(s, (a, b), _)| format!("{a}..{b} {s:?}")).collect();
        expect.assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn what_the_pre_tokenizer_alone_gives() {
        // Punctuation is isolated char by char, symbols stay glued to
        // letters: the mapping in `merge` and `atomize` fixes both.
        check_pieces(
            "U.S. don’t Hamas’s 1.5... 5€\u{a0}ok",
            expect![[r#"
                0..1 "U"
                1..2 "."
                2..3 "S"
                3..4 "."
                5..8 "don"
                8..11 "’"
                11..12 "t"
                13..18 "Hamas"
                18..21 "’"
                21..22 "s"
                23..24 "1"
                24..25 "."
                25..26 "5"
                26..27 "."
                27..28 "."
                28..29 "."
                30..34 "5€"
                36..38 "ok""#]],
        );
    }
}
