//! A document's tokens as the taggers see them: each looked up once in the
//! vocabulary, what the taggers test of each packed in a word, and for
//! each tagger the tokens it starts from.

use crate::vocab::{Class, Vocab, WordId};
use dyad_core::{Sentence, Token, TokenKind};

/// How a token starts.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// The first character is upper-case; lower-case (`char::is_uppercase`,
    /// `char::is_lowercase`).
    upper: bool,
    lower: bool,
    /// The token is one character.
    one_char: bool,
}

impl Shape {
    #[inline]
    fn of(text: &str, t: Token) -> Shape {
        match text.as_bytes().get(t.span.start as usize) {
            Some(&b) if b.is_ascii() && !t.span.is_empty() => {
                Shape { upper: b.is_ascii_uppercase(), lower: b.is_ascii_lowercase(), one_char: t.span.len() == 1 }
            }
            _ => Shape::of_chars(t.text(text)),
        }
    }

    #[cold]
    fn of_chars(word: &str) -> Shape {
        let mut chars = word.chars();
        let first = chars.next();
        Shape {
            upper: first.is_some_and(char::is_uppercase),
            lower: first.is_some_and(char::is_lowercase),
            one_char: first.is_some() && chars.next().is_none(),
        }
    }
}

/// A document's tokens, each folded and looked up once, and the tokens
/// each tagger starts from: the taggers visit those instead of testing
/// every token.
#[derive(Debug)]
pub(crate) struct DocWords<'a> {
    tokens: &'a [Token],
    /// The id of each token's folded form.
    pub(crate) ids: Vec<WordId>,
    /// What the taggers test of each token.
    info: Vec<TokenInfo>,
    /// For each [`Pick`], a bit per token.
    picks: [Vec<u64>; 3],
}

/// The tokens a tagger starts from. Each is a condition every token the
/// tagger does something with meets, tested once per token in
/// `TokenInfo::new`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pick {
    /// Words that may start a dictionary entry: some entry's first word
    /// folds like it, and it is not lower-case where all those are written
    /// capitalised.
    EntryStart,
    /// Words that may be part of an unknown name: capitalised, two
    /// characters or more, not on `unknown::NOT_NAMES`.
    NameWord,
    /// Words "it", "he", "they", "the" and their kin (`Class::ANAPHORS`).
    Anaphor,
}

/// What the taggers test of one token, in one word: the classes of its
/// folded form (the low bits), how it starts, and the [`Pick`]s it is in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenInfo(u32);

impl TokenInfo {
    const UPPER: u32 = 1 << 24;
    const LOWER: u32 = 1 << 25;
    /// The first pick's bit; the others follow.
    const PICKS: u32 = 26;

    #[inline]
    fn new(t: Token, class: Class, shape: Shape) -> TokenInfo {
        const { assert!(Class::ALL.bits() < TokenInfo::UPPER) };
        let word = t.kind == TokenKind::Word;
        // One bit for each `Pick`, in order.
        let entry_start = word & class.any(Class::ENTRY_START) & (!shape.lower | class.any(Class::LOWER_ENTRY));
        let name_word = word & shape.upper & !shape.one_char & !class.any(Class::NOT_NAME);
        let anaphor = word & class.any(Class::ANAPHORS);
        let picks = u32::from(entry_start) | (u32::from(name_word) << 1) | (u32::from(anaphor) << 2);
        let shape = (u32::from(shape.upper) * TokenInfo::UPPER) | (u32::from(shape.lower) * TokenInfo::LOWER);
        TokenInfo(class.bits() | shape | (picks << TokenInfo::PICKS))
    }

    pub(crate) fn class(self) -> Class {
        Class::from_bits(self.0)
    }

    /// The first character is upper-case (`char::is_uppercase`).
    pub(crate) fn upper(self) -> bool {
        self.0 & TokenInfo::UPPER != 0
    }

    /// The first character is lower-case (`char::is_lowercase`).
    pub(crate) fn lower(self) -> bool {
        self.0 & TokenInfo::LOWER != 0
    }

    pub(crate) fn is(self, pick: Pick) -> bool {
        self.0 >> (TokenInfo::PICKS + pick as u32) & 1 != 0
    }
}

impl<'a> DocWords<'a> {
    pub(crate) fn new(text: &'a str, tokens: &'a [Token], vocab: &'a Vocab) -> DocWords<'a> {
        // One loop for the lookups alone, another for what follows from
        // them: both run faster than one loop doing it all.
        let mut scratch = String::new();
        let ids: Vec<WordId> = tokens.iter().map(|&t| vocab.lookup(text, t, &mut scratch)).collect();
        let info: Vec<TokenInfo> =
            tokens.iter().zip(&ids).map(|(&t, &id)| TokenInfo::new(t, vocab.class(id), Shape::of(text, t))).collect();
        // A bit set for each token picked, 64 tokens to a word: no branch on
        // data the processor cannot predict.
        let mut picks: [Vec<u64>; 3] = std::array::from_fn(|_| Vec::with_capacity(info.len().div_ceil(64)));
        for chunk in info.chunks(64) {
            let mut bits = [0u64; 3];
            for (j, w) in chunk.iter().enumerate() {
                let picks = u64::from(w.0 >> TokenInfo::PICKS);
                bits[0] |= (picks & 1) << j;
                bits[1] |= (picks >> 1 & 1) << j;
                bits[2] |= (picks >> 2 & 1) << j;
            }
            for (picks, bits) in picks.iter_mut().zip(bits) {
                picks.push(bits);
            }
        }
        DocWords { tokens, ids, info, picks }
    }

    pub(crate) fn info(&self, i: usize) -> TokenInfo {
        self.info[i]
    }

    /// How many tokens are picked for `pick`.
    pub(crate) fn count(&self, pick: Pick) -> usize {
        self.picks[pick as usize].iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The tokens in `range` to start `pick` from, in order.
    pub(crate) fn picked(&self, range: std::ops::Range<usize>, pick: Pick) -> Picked<'_> {
        Picked::new(&self.picks[pick as usize], range)
    }
}

/// The tokens picked in a range, read off the bits of [`DocWords::picks`].
pub(crate) struct Picked<'a> {
    bits: &'a [u64],
    /// The chunk of 64 tokens `word` holds the remaining bits of.
    chunk: usize,
    word: u64,
    end: usize,
}

impl<'a> Picked<'a> {
    /// The set bits of `bits` (bit `i % 64` of `bits[i / 64]` for token `i`)
    /// in `range`.
    fn new(bits: &'a [u64], range: std::ops::Range<usize>) -> Picked<'a> {
        let chunk = range.start / 64;
        let word = bits.get(chunk).map_or(0, |&w| w & (u64::MAX << (range.start % 64)));
        Picked { bits, chunk, word, end: range.end }
    }
}

impl Iterator for Picked<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.word == 0 {
            self.chunk += 1;
            if self.chunk * 64 >= self.end {
                return None;
            }
            self.word = self.bits[self.chunk];
        }
        let i = self.chunk * 64 + self.word.trailing_zeros() as usize;
        self.word &= self.word - 1;
        (i < self.end).then_some(i).or_else(|| {
            self.word = 0;
            None
        })
    }
}

/// One sentence as the taggers see it; token indices are the sentence's.
pub(crate) struct SentenceWords<'a> {
    pub(crate) index: u32,
    /// The index of its first token in the document.
    pub(crate) first: usize,
    pub(crate) toks: &'a [Token],
    /// The ids of its tokens' folded forms.
    pub(crate) ids: &'a [WordId],
    pub(crate) doc: &'a DocWords<'a>,
}

impl<'a> SentenceWords<'a> {
    pub(crate) fn new(doc: &'a DocWords<'a>, index: usize, sentence: &Sentence) -> SentenceWords<'a> {
        SentenceWords {
            index: index as u32,
            first: sentence.first_token as usize,
            toks: &doc.tokens[sentence.token_range()],
            ids: &doc.ids[sentence.token_range()],
            doc,
        }
    }

    pub(crate) fn info(&self, k: usize) -> TokenInfo {
        self.doc.info(self.first + k)
    }

    pub(crate) fn class(&self, k: usize) -> Class {
        self.info(k).class()
    }

    /// Its tokens to start `pick` from.
    pub(crate) fn picked(&self, pick: Pick) -> impl Iterator<Item = usize> + '_ {
        self.doc.picked(self.first..self.first + self.toks.len(), pick).map(|i| i - self.first)
    }

    /// Is any of its tokens picked for `pick`?
    pub(crate) fn any_picked(&self, pick: Pick) -> bool {
        self.doc.picked(self.first..self.first + self.toks.len(), pick).next().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn picked_reads_the_bits_of_a_range(
            bits in prop::collection::vec(any::<u64>(), 0..4),
            start in 0usize..300,
            len in 0usize..300,
        ) {
            let n = bits.len() * 64;
            let start = start.min(n);
            let end = (start + len).min(n);
            let picked: Vec<usize> = Picked::new(&bits, start..end).collect();
            let expected: Vec<usize> = (start..end).filter(|&i| bits[i / 64] >> (i % 64) & 1 == 1).collect();
            prop_assert_eq!(picked, expected);
        }
    }
}
