//! A document's tokens as the taggers see them: for each tagger the tokens
//! it starts from, four bits a token, read off one byte per interned text.
//! What else the taggers test of a token (its word id, its classes, its
//! case) they read off its text's id and its text when they need it: that
//! is seldom, while every token is visited.

use crate::vocab::{Class, Vocab, WordId};
use dyad_core::{Sentence, Span, Token, TokenKind, WordIds};

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

/// A document's tokens, each text folded and looked up once per thread,
/// and the tokens each tagger starts from: the taggers visit those instead
/// of testing every token.
#[derive(Debug)]
pub(crate) struct DocWords<'a> {
    text: &'a str,
    tokens: &'a [Token],
    vocab: &'a Vocab,
    /// The interned id of each token's text ([`WordIds`]).
    text_ids: &'a [u32],
    /// What each text id looked up to: the word ids of the tokens' folded
    /// forms are read through it ([`DocWords::id`]).
    seen: Seen,
    /// The [`Pick`]s of each token, the four bits of its nibble of
    /// [`PickBits`] spread over four planes of sixteen tokens, a word per
    /// sixteen tokens: bit `16 * b + i % 16` of `picks[i / 16]` is bit `b`
    /// of token `i`'s nibble, so that a pick's bits for sixteen tokens are
    /// one shift and mask away. Padded with empty words to a multiple of
    /// four, a group of 64 tokens ([`Picked`]).
    picks: Vec<u64>,
}

/// The tokens a tagger starts from. Each is a condition every token the
/// tagger does something with meets, tested once per token text (and the
/// token's kind where the picks are read: only words are picked).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pick {
    /// Words that may start a dictionary entry: some entry's first word
    /// folds like it, and it is not lower-case where all those are written
    /// capitalised.
    EntryStart,
    /// Words that may be part of an unknown name: capitalised, two
    /// characters or more, not on `unknown::NOT_NAMES`.
    NameWord,
    /// Words "it", "he", "they" and their kin, and the heads of
    /// descriptions ("regime", "group"; `Class::ANAPHORS`).
    Anaphor,
}

impl Pick {
    /// The bit of a token's nibble that puts it in this pick: one each
    /// ([`PickBits::nibble`]).
    #[cfg(test)]
    const fn bits(self) -> u8 {
        1 << self.bit()
    }

    /// The place of [`Pick::bits`] in the nibble.
    const fn bit(self) -> u32 {
        match self {
            Pick::EntryStart => PickBits::ENTRY_START.trailing_zeros(),
            Pick::NameWord => PickBits::NAME_WORD.trailing_zeros(),
            Pick::Anaphor => PickBits::ANAPHOR.trailing_zeros(),
        }
    }

    /// The place of its plane in a word of [`DocWords::picks`].
    const fn shift(self) -> u32 {
        16 * self.bit()
    }
}

/// Bit `i % 16` of each of the four planes of a word of
/// [`DocWords::picks`] (or [`Covered`]): times `1 << (i % 16)`, every bit
/// of token `i`.
const PLANES: u64 = 0x0001_0001_0001_0001;

/// For a nibble `n`, its bits spread to the top of the planes: bit `b`
/// of `n` at bit `16 * b + 15`, for the bits of the picks (`b` of 1 to 3:
/// [`PickBits::LOWER_ENTRY_START`], bit 0, is folded into
/// [`PickBits::ENTRY_START`] and never read from the planes). A chunk's
/// word is read shifting one bit down and `or`ing in each token's
/// [`SPREAD`], so that the first of sixteen tokens ends at the bottom of
/// each plane ([`Seen::read`]). Indexed by any byte: the free plane 0
/// takes the mark of a text not looked up yet ([`Seen::UNSEEN`], its
/// only byte above `0xf`), so that a chunk read has some if any of its
/// texts is new.
const SPREAD: [u64; 256] = {
    let mut table = [1 << 15; 256];
    let mut n = 0;
    while n < 16 {
        table[n] = 0;
        let mut b = 1;
        while b < 4 {
            if n >> b & 1 != 0 {
                table[n] |= 1 << (16 * b + 15);
            }
            b += 1;
        }
        n += 1;
    }
    table
};

/// Plane 0 of a word read by [`Seen::read`]: its texts not looked up yet.
const UNSEEN_PLANE: u64 = 0xffff;

/// A token's picks as four bits, each the conjunction of what its folded
/// form says ([`PickBits::of_class`], once per vocabulary word) and what
/// its kind and first character allow ([`PickBits::allowed`], once per
/// token text, as a word: a token of another kind is dropped where the
/// picks are read, [`Picked`] and [`DocWords::is`]); kept for a text as
/// [`PickBits::nibble`] says, one bit a pick.
pub(crate) struct PickBits;

impl PickBits {
    /// [`Pick::EntryStart`] by an entry whose first word is written
    /// lower-case: any word may start it.
    const LOWER_ENTRY_START: u8 = 1;
    /// [`Pick::EntryStart`]: a word that is not lower-case may start it;
    /// in a token text's nibble, any word that may start an entry
    /// ([`PickBits::nibble`]).
    const ENTRY_START: u8 = 1 << 1;
    /// [`Pick::NameWord`]: a capitalised word of two characters or more.
    const NAME_WORD: u8 = 1 << 2;
    /// [`Pick::Anaphor`]: any word.
    const ANAPHOR: u8 = 1 << 3;

    const fn when(condition: bool, bits: u8) -> u8 {
        if condition { bits } else { 0 }
    }

    /// The nibble of a token text whose word's pick bits are `of_class`
    /// ([`PickBits::of_class`]) and whose kind and shape allow `allowed`
    /// ([`PickBits::allowed`]): the conjunction of the two, with
    /// [`PickBits::LOWER_ENTRY_START`] folded into
    /// [`PickBits::ENTRY_START`], so that each [`Pick`] is one bit.
    fn nibble(of_class: u8, allowed: u8) -> u8 {
        let both = of_class & allowed;
        both | (both & PickBits::LOWER_ENTRY_START) << 1
    }

    /// The picks a word of classes `class` is in when its shape allows.
    pub(crate) const fn of_class(class: Class) -> u8 {
        let entry = class.any(Class::ENTRY_START);
        PickBits::when(entry && class.any(Class::LOWER_ENTRY), PickBits::LOWER_ENTRY_START)
            | PickBits::when(entry, PickBits::ENTRY_START)
            | PickBits::when(!class.any(Class::NOT_NAME), PickBits::NAME_WORD)
            | PickBits::when(class.any(Class::ANAPHORS), PickBits::ANAPHOR)
    }

    /// The picks token `t` may be in by its kind and shape.
    fn allowed(text: &str, t: Token) -> u8 {
        // An empty word (if a tokenizer gave one) is looked at as
        // characters.
        let first = text.as_bytes().get(t.span.start as usize).filter(|_| !t.span.is_empty()).copied();
        match PickBits::by_byte(t, first.unwrap_or(0x80)) {
            bits if bits & PickBits::CHARS != 0 => PickBits::allowed_by_chars(text, t.span),
            bits => bits,
        }
    }

    /// Marks a first byte that is not ASCII in [`PickBits::by_byte`]: the
    /// word's first character is looked at.
    const CHARS: u8 = 1 << 4;

    /// [`PickBits::allowed`] by `t`'s kind and length and its first byte
    /// `first`, unless that is not ASCII ([`PickBits::CHARS`] then, for a
    /// word). Without a branch: a token's kind and length would be
    /// guessed wrong too often.
    #[inline(always)]
    fn by_byte(t: Token, first: u8) -> u8 {
        /// For a word of more than one byte, by its first byte.
        const BY_BYTE: [u8; 256] = {
            let mut table = [PickBits::LOWER_ENTRY_START | PickBits::ENTRY_START | PickBits::ANAPHOR; 256];
            let mut b = 0;
            while b < 256 {
                if (b as u8).is_ascii_lowercase() {
                    table[b] = PickBits::LOWER_ENTRY_START | PickBits::ANAPHOR;
                } else if (b as u8).is_ascii_uppercase() {
                    table[b] |= PickBits::NAME_WORD;
                } else if !(b as u8).is_ascii() {
                    table[b] = PickBits::CHARS;
                }
                b += 1;
            }
            table
        };
        /// Only words are picked.
        const BY_KIND: [u8; 4] = {
            let mut table = [0; 4];
            table[TokenKind::Word as usize] = u8::MAX;
            table
        };
        // One byte is one character: not a name word.
        BY_BYTE[usize::from(first)] & BY_KIND[t.kind as usize] & !PickBits::when(t.span.len() == 1, PickBits::NAME_WORD)
    }

    /// [`PickBits::allowed`] for a word at `span`, character by character.
    #[cold]
    #[inline(never)]
    fn allowed_by_chars(text: &str, span: Span) -> u8 {
        PickBits::of_shape(Shape::of(text, Token { span, kind: TokenKind::Word }))
    }

    fn of_shape(shape: Shape) -> u8 {
        PickBits::LOWER_ENTRY_START
            | PickBits::when(!shape.lower, PickBits::ENTRY_START)
            | PickBits::when(shape.upper && !shape.one_char, PickBits::NAME_WORD)
            | PickBits::ANAPHOR
    }
}

/// What each interned token text ([`WordIds`]) a thread has looked up in
/// a frozen vocabulary gave: a token of a text seen before costs an index,
/// not a lookup. Both are functions of the token's bytes, which is what an
/// id stands for. Kept apart: the pass over every token reads only the
/// nibbles, a byte per text, so that the texts of running text take few
/// cache lines; the word ids are read for the few tokens the taggers look
/// at.
///
/// Invariant: `nibbles` and `ids` are prepared alike (of one length); a
/// slot whose nibble is [`Seen::UNSEEN`] has not been looked up yet, and
/// the others hold the text's [`PickBits`] as a word and its word id. An
/// unfrozen vocabulary's are kept for one document only (vocabulary 0).
#[derive(Debug, Default)]
pub(crate) struct Seen {
    nibbles: ByTextId<u8>,
    ids: ByTextId<WordId>,
}

/// Values kept per thread by interned text id ([`WordIds`]), valid for
/// one vocabulary and one interner generation.
///
/// Invariant: `by_id` holds the values of the vocabulary `vocab` (its
/// [`Vocab::frozen_id`]) for the ids of interner generation `generation`;
/// its length is a power of two (see [`ByTextId::mask`]).
#[derive(Debug)]
pub(crate) struct ByTextId<T> {
    /// The vocabulary's [`Vocab::frozen_id`]; `u64::MAX`, never one, when
    /// the values are those of an unfrozen vocabulary.
    vocab: u64,
    generation: u64,
    pub(crate) by_id: Vec<T>,
}

impl<T> Default for ByTextId<T> {
    fn default() -> ByTextId<T> {
        ByTextId { vocab: 0, generation: 0, by_id: Vec::new() }
    }
}

impl<T: Clone> ByTextId<T> {
    /// Makes the values those of `vocab` for the ids of `words`: all reset
    /// to `empty` when either changed, and room for every id.
    pub(crate) fn prepare(&mut self, vocab: u64, words: &WordIds, empty: T) {
        if self.vocab != vocab || self.generation != words.generation() {
            self.by_id.clear();
            self.vocab = vocab;
            self.generation = words.generation();
        }
        // A power of two: see `mask`.
        let len = words.count().max(1).next_power_of_two();
        if self.by_id.len() < len {
            self.by_id.resize(len, empty);
        }
    }

    /// What an id is `and`ed with to index `by_id` once prepared: every
    /// id is below the prepared count, so it is unchanged, and the
    /// compiler knows the index to be in bounds (no check per token).
    pub(crate) fn mask(&self) -> usize {
        self.by_id.len().wrapping_sub(1)
    }
}

impl Seen {
    /// No nibble has these bits (it is four bits).
    const UNSEEN: u8 = u8::MAX;

    /// Makes the tables those of `vocab` for the ids of `words`: of the
    /// frozen vocabulary whose [`Vocab::frozen_id`] it is, kept from one
    /// document to the next, or (no id) of this document alone.
    fn prepare(&mut self, vocab: &Vocab, words: &WordIds) {
        let id = vocab.frozen_id().unwrap_or_else(|| {
            // Not frozen: what it gives may change before the next
            // document, so nothing is kept.
            self.nibbles.by_id.clear();
            self.ids.by_id.clear();
            0
        });
        self.nibbles.prepare(id, words, Seen::UNSEEN);
        self.ids.prepare(id, words, WordId::NONE);
        if id == 0 {
            // Filled again by the next document whatever its vocabulary.
            self.nibbles.vocab = u64::MAX;
            self.ids.vocab = u64::MAX;
        }
    }

    /// The nibbles of the texts `word_ids` (sixteen at most) as planes
    /// ([`DocWords::picks`]), the first at the bottom of the last sixteen
    /// bits of each plane; plane 0 ([`UNSEEN_PLANE`]) marks the texts not
    /// seen yet. No branch a token: each nibble enters at the top of the
    /// planes ([`SPREAD`]) and the earlier ones move down.
    #[inline(always)]
    fn read(nibbles: &[u8], mask: usize, word_ids: &[u32]) -> u64 {
        let mut bits = 0;
        for &word_id in word_ids {
            bits = bits >> 1 | SPREAD[usize::from(nibbles[word_id as usize & mask])];
        }
        bits
    }

    /// Looks up in `vocab` the texts of `tokens` (of ids `word_ids`) not
    /// seen yet: a text's word id into `ids`, its nibble of picks were it
    /// a word token (the word's pick bits `and` what the text's first
    /// character allows, [`PickBits::allowed`]) into `nibbles`.
    #[cold]
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn fill_chunk(
        nibbles: &mut [u8],
        ids: &mut [WordId],
        mask: usize,
        vocab: &Vocab,
        text: &str,
        tokens: &[Token],
        word_ids: &[u32],
        scratch: &mut String,
    ) {
        for (&t, &word_id) in tokens.iter().zip(word_ids) {
            let at = word_id as usize & mask;
            if nibbles[at] == Seen::UNSEEN {
                let word = vocab.lookup(text, t, scratch);
                let as_word = Token { kind: TokenKind::Word, ..t };
                ids[at] = word.id;
                nibbles[at] = PickBits::nibble(word.pick_bits, PickBits::allowed(text, as_word));
            }
        }
    }
}

impl<'a> DocWords<'a> {
    /// Looks up `tokens`, whose ids are `words`, in `vocab`.
    #[cfg(test)]
    pub(crate) fn new(text: &'a str, tokens: &'a [Token], words: &'a WordIds, vocab: &'a Vocab) -> DocWords<'a> {
        DocWords::new_in(text, tokens, words, vocab, Seen::default(), Vec::new())
    }

    /// [`DocWords::new`] with what `seen` (a thread's, from the last
    /// document) holds, and in the allocation of `picks` (its contents
    /// dropped), which [`DocWords::into_buffers`] gives back.
    pub(crate) fn new_in(
        text: &'a str,
        tokens: &'a [Token],
        words: &'a WordIds,
        vocab: &'a Vocab,
        mut seen: Seen,
        mut picks: Vec<u64>,
    ) -> DocWords<'a> {
        assert_eq!(words.ids().len(), tokens.len(), "one word id per token");
        picks.clear();
        picks.resize(groups_of_chunks(tokens.len()), 0);
        let mut scratch = String::new();
        seen.prepare(vocab, words);
        let mask = seen.nibbles.mask();
        // Borrowed once: the slots' address and length stay in registers
        // through the loop.
        let (nibbles, ids) = (&mut seen.nibbles.by_id[..], &mut seen.ids.by_id[..]);
        // Whole chunks of sixteen tokens, each read without a branch a
        // token: a chunk any of whose texts is new (its nibble
        // `Seen::UNSEEN`, which alone marks plane 0) has those looked up,
        // out of line, and is read again. Tokens are not
        // read unless a text is new: only words are picked, but the few
        // tokens of other kinds whose texts would be are dropped where the
        // picks are read ([`DocWords::is`], [`DocWords::picked`]), not
        // here, which would read every token's kind.
        let mut tokens16 = tokens.chunks_exact(16);
        let mut words16 = words.ids().chunks_exact(16);
        let (whole, rest) = picks.split_at_mut(tokens.len() / 16);
        for ((pick, tokens), word_ids) in whole.iter_mut().zip(&mut tokens16).zip(&mut words16) {
            let word_ids: &[u32; 16] = word_ids.try_into().expect("a chunk of sixteen");
            let bits = Seen::read(nibbles, mask, word_ids);
            // Stored before the test, whatever it says: stored after it,
            // the nibbles would be kept in registers (and spilled) across
            // it and only then shifted in.
            *pick = bits;
            if bits & UNSEEN_PLANE != 0 {
                Seen::fill_chunk(nibbles, ids, mask, vocab, text, tokens, word_ids, &mut scratch);
                *pick = Seen::read(nibbles, mask, word_ids);
            }
        }
        // The last chunk, of fewer than sixteen tokens, is then moved down
        // to the bottom of each plane (the bits below its tokens' in each
        // are clear, so the next plane's bottom moves in as zeros).
        let (last, last_ids) = (tokens16.remainder(), words16.remainder());
        if let (false, [pick, ..]) = (last.is_empty(), rest) {
            let mut bits = Seen::read(nibbles, mask, last_ids);
            if bits & UNSEEN_PLANE != 0 {
                Seen::fill_chunk(nibbles, ids, mask, vocab, text, last, last_ids, &mut scratch);
                bits = Seen::read(nibbles, mask, last_ids);
            }
            *pick = bits >> (16 - last.len());
        }
        DocWords { text, tokens, vocab, text_ids: words.ids(), seen, picks }
    }

    /// Its tokens.
    pub(crate) fn tokens(&self) -> &'a [Token] {
        self.tokens
    }

    /// Its tables of text ids and picks, to be filled again by
    /// [`DocWords::new_in`].
    pub(crate) fn into_buffers(self) -> (Seen, Vec<u64>) {
        (self.seen, self.picks)
    }

    /// The word id of token `i`'s folded form.
    #[inline]
    pub(crate) fn id(&self, i: usize) -> WordId {
        let ids = &self.seen.ids;
        ids.by_id[self.text_ids[i] as usize & ids.mask()]
    }

    /// The classes of token `i`'s folded form.
    pub(crate) fn class(&self, i: usize) -> Class {
        self.vocab.class(self.id(i))
    }

    /// Is token `i` picked for `pick`?
    pub(crate) fn is(&self, i: usize, pick: Pick) -> bool {
        self.picks[i / 16] >> (pick.shift() as usize + i % 16) & 1 != 0 && self.is_word(i)
    }

    /// Is token `i` a word? The nibbles are those of each token's text as
    /// a word: this drops the others ([`DocWords::new_in`]).
    #[inline(always)]
    fn is_word(&self, i: usize) -> bool {
        self.tokens[i].kind == TokenKind::Word
    }

    /// The tokens in `range` to start `pick` from, in order.
    pub(crate) fn picked(&self, range: std::ops::Range<usize>, pick: Pick) -> Picked<'_> {
        Picked::new(&self.picks, self.tokens, None, pick, range)
    }

    /// Its tokens to start `pick` from, in order.
    pub(crate) fn all_picked(&self, pick: Pick) -> Picked<'_> {
        self.picked(0..self.tokens.len(), pick)
    }

    /// Its tokens to start `pick` from that `covered` does not cover.
    pub(crate) fn picked_uncovered<'c>(&'c self, pick: Pick, covered: &'c Covered) -> Picked<'c> {
        Picked::new(&self.picks, self.tokens, Some(&covered.0), pick, 0..self.tokens.len())
    }

    /// Picks none of the tokens in `range`: the taggers then pass them by
    /// as they pass by tokens that start nothing (boilerplate).
    pub(crate) fn unpick(&mut self, range: std::ops::Range<usize>) {
        for i in range {
            self.picks[i / 16] &= !(PLANES << (i % 16));
        }
    }
}

/// The words of a plane layout ([`DocWords::picks`], [`Covered`]) for
/// `tokens` tokens: a word per sixteen tokens, padded to whole groups of
/// four words (64 tokens), which [`Picked`] reads a group at a time.
fn groups_of_chunks(tokens: usize) -> usize {
    tokens.div_ceil(64) * 4
}

/// The tokens picked in a range, read off the planes of [`DocWords::picks`],
/// those that are words. Read 64 tokens at a time, a bit each: the loop
/// that moves on to the next group exits once per 64 tokens, not once per
/// sixteen, and it is the exit that is guessed wrong.
pub(crate) struct Picked<'a> {
    /// The words of the range's groups of four chunks, no more: the end
    /// of the slice is the end of the walk. A multiple of four long.
    planes: &'a [u64],
    /// The tokens up to the range's end: one past it ends the walk, and the
    /// kind of one in it says if it is a word.
    tokens: &'a [Token],
    /// Planes in the same layout whose set bits drop their tokens (those
    /// [`Covered`] says), if any.
    off: Option<&'a [u64]>,
    /// The place in each word of the plane of the pick.
    shift: u32,
    /// The group of 64 tokens `word` holds the remaining picks of, one bit
    /// per token.
    group: usize,
    word: u64,
}

impl<'a> Picked<'a> {
    /// The tokens `i` in `range` whose nibble (spread over the planes of
    /// `planes[i / 16]`, [`DocWords::picks`]) has the bit of `pick` not set in `off`'s, and
    /// that are words (of `tokens`). `planes` and `off` are padded to
    /// whole groups ([`groups_of_chunks`]).
    fn new(
        planes: &'a [u64],
        tokens: &'a [Token],
        off: Option<&'a [u64]>,
        pick: Pick,
        range: std::ops::Range<usize>,
    ) -> Picked<'a> {
        debug_assert!(planes.len().is_multiple_of(4), "whole groups of four chunks");
        let tokens = &tokens[..range.end.min(tokens.len())];
        let planes = &planes[..groups_of_chunks(range.end).min(planes.len())];
        let mut picked = Picked { planes, tokens, off, shift: pick.shift(), group: range.start / 64, word: 0 };
        picked.word = picked.bits(picked.group).unwrap_or(0) & (u64::MAX << (range.start % 64));
        picked
    }

    /// The picks of group `group`, a bit per token, if the walk has it.
    #[inline(always)]
    fn bits(&self, group: usize) -> Option<u64> {
        let at = 4 * group;
        let chunks: &[u64; 4] = self.planes.get(at..at + 4)?.try_into().ok()?;
        let off: [u64; 4] = self.off.map_or([0; 4], |off| off[at..at + 4].try_into().unwrap_or([0; 4]));
        let mut bits = 0;
        for k in 0..4 {
            bits |= ((chunks[k] & !off[k]) >> self.shift & 0xffff) << (16 * k);
        }
        Some(bits)
    }
}

impl Iterator for Picked<'_> {
    type Item = usize;

    /// Inlined: the loops over the picks are the taggers' hottest.
    #[inline(always)]
    fn next(&mut self) -> Option<usize> {
        loop {
            while self.word == 0 {
                self.group += 1;
                self.word = self.bits(self.group)?;
            }
            let i = self.group * 64 + self.word.trailing_zeros() as usize;
            self.word &= self.word - 1;
            match self.tokens.get(i) {
                Some(t) if t.kind == TokenKind::Word => return Some(i),
                // A token of another kind whose text would be picked as a
                // word.
                Some(_) => {}
                // Past the range's end.
                None => {
                    self.word = 0;
                    return None;
                }
            }
        }
    }
}

/// The tokens of a document that a dictionary entry explains, in the
/// layout of [`DocWords::picks`] with a covered token's bit set in every
/// plane: the unknown-name collector visits the name words not
/// covered ([`DocWords::picked_uncovered`]) without testing each.
#[derive(Debug)]
pub(crate) struct Covered(Vec<u64>);

impl Covered {
    /// None of `tokens` tokens covered.
    #[cfg(test)]
    pub(crate) fn new(tokens: usize) -> Covered {
        Covered::new_in(tokens, Vec::new())
    }

    /// [`Covered::new`] in the allocation of `buffer` (its contents
    /// dropped), which [`Covered::into_buffer`] gives back.
    pub(crate) fn new_in(tokens: usize, mut buffer: Vec<u64>) -> Covered {
        buffer.clear();
        buffer.resize(groups_of_chunks(tokens), 0);
        Covered(buffer)
    }

    /// Its vector, to be filled again by [`Covered::new_in`].
    pub(crate) fn into_buffer(self) -> Vec<u64> {
        self.0
    }

    /// Covers the tokens in `range`.
    pub(crate) fn cover(&mut self, range: std::ops::Range<usize>) {
        for i in range {
            self.0[i / 16] |= PLANES << (i % 16);
        }
    }

    /// Covers token `i`.
    #[inline]
    pub(crate) fn cover_one(&mut self, i: usize) {
        self.0[i / 16] |= PLANES << (i % 16);
    }

    /// Is token `i` covered?
    pub(crate) fn is(&self, i: usize) -> bool {
        self.0[i / 16] >> (i % 16) & 1 != 0
    }
}

/// One sentence as the taggers see it; token indices are the sentence's.
#[derive(Clone)]
pub(crate) struct SentenceWords<'a> {
    pub(crate) index: u32,
    /// The index of its first token in the document.
    pub(crate) first: usize,
    pub(crate) toks: &'a [Token],
    pub(crate) doc: &'a DocWords<'a>,
}

impl<'a> SentenceWords<'a> {
    pub(crate) fn new(doc: &'a DocWords<'a>, index: usize, sentence: &Sentence) -> SentenceWords<'a> {
        SentenceWords {
            index: index as u32,
            first: sentence.first_token as usize,
            toks: &doc.tokens[sentence.token_range()],
            doc,
        }
    }

    pub(crate) fn class(&self, k: usize) -> Class {
        self.doc.class(self.first + k)
    }

    /// The word id of token `k`'s folded form.
    pub(crate) fn id(&self, k: usize) -> WordId {
        self.doc.id(self.first + k)
    }

    /// The first character of token `k` is upper-case (`char::is_uppercase`).
    pub(crate) fn upper(&self, k: usize) -> bool {
        Shape::of(self.doc.text, self.toks[k]).upper
    }

    /// The first character of token `k` is lower-case (`char::is_lowercase`).
    pub(crate) fn lower(&self, k: usize) -> bool {
        Shape::of(self.doc.text, self.toks[k]).lower
    }

    /// Is token `k` picked for `pick`?
    pub(crate) fn is(&self, k: usize, pick: Pick) -> bool {
        self.doc.is(self.first + k, pick)
    }

    /// Is token `k` covered by `covered`?
    pub(crate) fn covered(&self, k: usize, covered: &Covered) -> bool {
        covered.is(self.first + k)
    }

    /// One past the document index of its last token.
    pub(crate) fn end(&self) -> usize {
        self.first + self.toks.len()
    }
}

/// The sentences of a document, visited in order as a pass over its picks
/// reaches them: the taggers go through each document's picks in one
/// loop, not sentence by sentence, and a sentence without any is passed
/// by with one comparison (most of them, for most picks).
#[derive(Clone)]
pub(crate) struct Sentences<'a> {
    all: &'a [Sentence],
    /// The sentence of the last token asked for.
    current: SentenceWords<'a>,
    /// `current.end()`, kept apart: asked for each token, it is one load.
    end: usize,
    /// The sentence after `current`, where [`Sentences::move_to`] starts.
    next: usize,
}

impl<'a> Sentences<'a> {
    pub(crate) fn new(doc: &'a DocWords<'a>, all: &'a [Sentence]) -> Sentences<'a> {
        // No sentence yet: the first token asked for moves to its own.
        let current = SentenceWords { index: 0, first: 0, toks: &[], doc };
        Sentences { all, current, end: 0, next: 0 }
    }

    /// How many sentences the document has.
    pub(crate) fn count(&self) -> usize {
        self.all.len()
    }

    /// The document.
    pub(crate) fn doc(&self) -> &'a DocWords<'a> {
        self.current.doc
    }

    /// The sentence of token `i`, which is not before the last one asked
    /// for (sentences are sorted and cover every token).
    #[inline]
    pub(crate) fn of(&mut self, i: usize) -> &SentenceWords<'a> {
        if i >= self.end {
            self.move_to(i);
        }
        &self.current
    }

    fn move_to(&mut self, i: usize) {
        let mut index = self.next;
        while self.all[index].end_token as usize <= i {
            index += 1;
        }
        let sentence = &self.all[index];
        (self.end, self.next) = (sentence.end_token as usize, index + 1);
        self.current = SentenceWords::new(self.current.doc, index, sentence);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn picked_reads_the_planes_of_a_range(
            nibbles in prop::collection::vec(any::<u64>(), 0..11),
            pick in 0usize..3,
            start in 0usize..180,
            len in 0usize..180,
            cover in prop::collection::vec((0usize..170, 0usize..20), 0..12),
        ) {
            let pick = [Pick::EntryStart, Pick::NameWord, Pick::Anaphor][pick];
            let n = nibbles.len() * 16;
            // Padded to whole groups of 64 tokens, as `DocWords::picks` is
            // (and `Covered`'s words are).
            let mut nibbles = nibbles;
            nibbles.resize(groups_of_chunks(n), 0);
            let start = start.min(n);
            let end = (start + len).min(n);
            // Every third token not a word.
            let kinds = [TokenKind::Word, TokenKind::Word, TokenKind::Punct];
            let tokens: Vec<Token> =
                (0..n).map(|i| Token { span: Span::new(i, i + 1), kind: kinds[i % 3] }).collect();
            let word = |i: usize| i % 3 != 2;
            let picked: Vec<usize> = Picked::new(&nibbles, &tokens, None, pick, start..end).collect();
            let bit = |i: usize| nibbles[i / 16] >> (16 * pick.bit() as usize + i % 16) & 1 != 0;
            let expected: Vec<usize> = (start..end).filter(|&i| bit(i) && word(i)).collect();
            prop_assert_eq!(picked, expected);
            // Less those covered.
            let mut covered = Covered::new(n);
            for &(from, len) in &cover {
                covered.cover(from.min(n)..(from + len).min(n));
            }
            let uncovered: Vec<usize> =
                Picked::new(&nibbles, &tokens, Some(&covered.0), pick, start..end).collect();
            let expected: Vec<usize> = (start..end)
                .filter(|&i| bit(i) && !covered.is(i) && word(i))
                .collect();
            prop_assert_eq!(uncovered, expected);
        }

        /// Covering ranges sets the bits of their tokens in every plane and
        /// no other token's.
        #[test]
        fn cover_sets_the_bits_of_its_tokens(
            chunks in 1usize..5,
            ranges in prop::collection::vec((0usize..80, 0usize..40), 0..6),
        ) {
            let n = chunks * 16;
            let ranges: Vec<std::ops::Range<usize>> =
                ranges.iter().map(|&(from, len)| from.min(n)..(from + len).min(n)).collect();
            let mut covered = Covered::new(n);
            for range in &ranges {
                covered.cover(range.clone());
            }
            // Token by token: its bit in every plane for a token in some
            // range, in none for any other.
            for i in 0..n {
                let bits = covered.0[i / 16] >> (i % 16) & PLANES;
                let want = if ranges.iter().any(|r| r.contains(&i)) { PLANES } else { 0 };
                prop_assert_eq!(bits, want, "token {}", i);
                prop_assert_eq!(covered.is(i), want != 0);
            }
        }
    }

    proptest! {
        /// Asked for tokens in order (some twice), [`Sentences::of`] gives
        /// the first sentence that ends after each, as a search of all
        /// does, over sentences of no token too.
        #[test]
        fn sentences_of_is_the_sentence_of_each_token(
            lens in prop::collection::vec(0usize..5, 1..12),
            steps in prop::collection::vec(0usize..4, 0..24),
        ) {
            let mut all = Vec::new();
            let mut at = 0;
            for &len in &lens {
                all.push(Sentence { span: Span::new(2 * at, 2 * (at + len)), first_token: at as u32, end_token: (at + len) as u32 });
                at += len;
            }
            let n = at;
            prop_assume!(n > 0);
            let text = "a ".repeat(n);
            let tokens: Vec<Token> =
                (0..n).map(|i| Token { span: Span::new(2 * i, 2 * i + 1), kind: TokenKind::Word }).collect();
            let (vocab, words) = (small_vocab(), WordIds::of(&text, &tokens));
            let doc = DocWords::new(&text, &tokens, &words, &vocab);
            let mut sentences = Sentences::new(&doc, &all);
            let mut i = 0;
            for step in steps {
                i += step;
                if i >= n {
                    break;
                }
                let index = all.iter().position(|s| s.end_token as usize > i).unwrap();
                let s = sentences.of(i);
                prop_assert_eq!((s.index as usize, s.first, s.end()), (index, all[index].first_token as usize, all[index].end_token as usize));
                prop_assert_eq!(s.toks, &tokens[all[index].token_range()]);
            }
        }
    }

    /// A vocabulary of a few words and classes, frozen.
    fn small_vocab() -> Vocab {
        let mut vocab = Vocab::default();
        for w in ["a", "ab", "the", "it", "us", "", "-", "'s", "abcdefgh", "abcdefghi", "é"] {
            vocab.insert(w);
        }
        vocab.add_class(&["the", "it"], Class::THE);
        vocab.add_class(&["ab", "us"], Class::ENTRY_START);
        vocab.add_class(&["a"], Class::NOT_NAME);
        vocab.freeze();
        vocab
    }

    /// Tokens of `text` cut at `cuts` (start, length, kind), on character
    /// boundaries.
    fn cut(text: &str, cuts: &[(usize, usize, usize)]) -> Vec<Token> {
        let kinds = [TokenKind::Word, TokenKind::Number, TokenKind::Clitic, TokenKind::Punct];
        cuts.iter()
            .map(|&(start, len, kind)| {
                let mut start = start.min(text.len());
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = (start + len).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                Token { span: Span::new(start, end), kind: kinds[kind] }
            })
            .collect()
    }

    /// Each token of `doc` has the id and picks that looking it up alone
    /// gives, and the pass over the picks visits them in order.
    fn agrees_with_lookups(
        doc: &DocWords<'_>,
        vocab: &Vocab,
        text: &str,
        tokens: &[Token],
    ) -> Result<(), TestCaseError> {
        for (i, &t) in tokens.iter().enumerate() {
            let word = vocab.lookup(text, t, &mut String::new());
            prop_assert_eq!(doc.id(i), word.id, "{:?}", &text[t.span.range()]);
            // Picked, one by one and in order, as its kind and text say.
            let nibble = PickBits::nibble(word.pick_bits, PickBits::allowed(text, t));
            for pick in [Pick::EntryStart, Pick::NameWord, Pick::Anaphor] {
                prop_assert_eq!(doc.is(i, pick), nibble & pick.bits() != 0, "{:?} {:?}", pick, t);
            }
        }
        for pick in [Pick::EntryStart, Pick::NameWord, Pick::Anaphor] {
            let expected: Vec<usize> = (0..tokens.len()).filter(|&i| doc.is(i, pick)).collect();
            prop_assert_eq!(doc.all_picked(pick).collect::<Vec<_>>(), expected);
        }
        Ok(())
    }

    proptest! {
        /// The fast pass over tokens of up to eight bytes gives each token
        /// the id and nibble that looking it up alone gives.
        #[test]
        fn the_pass_agrees_with_lookups_one_by_one(
            text in "[a-zA-Z.,'’\\-É\u{0} ]{0,60}",
            cuts in prop::collection::vec((0usize..64, 0usize..12, 0usize..4), 0..40),
        ) {
            let vocab = small_vocab();
            let tokens = cut(&text, &cuts);
            let words = WordIds::of(&text, &tokens);
            let doc = DocWords::new(&text, &tokens, &words, &vocab);
            agrees_with_lookups(&doc, &vocab, &text, &tokens)?;
        }

        /// Documents one after the other, each starting from the texts
        /// the ones before saw: chunks of sixteen tokens with no new text,
        /// some, or only new ones, and the last chunk short or whole.
        #[test]
        fn the_pass_agrees_with_lookups_from_document_to_document(
            docs in prop::collection::vec(
                ("[a-zA-Z.,'’\\-É ]{0,50}", prop::collection::vec((0usize..54, 0usize..10, 0usize..4), 0..70)),
                1..5,
            ),
        ) {
            let vocab = small_vocab();
            let (mut seen, mut picks) = (Seen::default(), Vec::new());
            for (text, cuts) in &docs {
                let tokens = cut(text, cuts);
                let words = WordIds::of(text, &tokens);
                let doc = DocWords::new_in(text, &tokens, &words, &vocab, seen, picks);
                agrees_with_lookups(&doc, &vocab, text, &tokens)?;
                (seen, picks) = doc.into_buffers();
            }
        }
    }

    /// The picks of one token, the way `TokenInfo` used to spell them out
    /// before they became the `and` of two nibbles.
    fn picks_spelled_out(class: Class, word: bool, shape: Shape) -> [bool; 3] {
        [
            word && class.any(Class::ENTRY_START) && (!shape.lower || class.any(Class::LOWER_ENTRY)),
            word && shape.upper && !shape.one_char && !class.any(Class::NOT_NAME),
            word && class.any(Class::ANAPHORS),
        ]
    }

    proptest! {
        #[test]
        fn pick_bits_agree_with_the_rules(
            class in 0u32..(1 << 19),
            kind in 0usize..4,
            word in "[a-zA-Z0-9'’.\\-ÉéßΣ\u{2160}\u{1d400}]{0,3}",
        ) {
            let class = Class::from_bits(class);
            let kind = [TokenKind::Word, TokenKind::Number, TokenKind::Clitic, TokenKind::Punct][kind];
            let text = format!(" {word} ");
            let t = Token { span: dyad_core::Span::new(1, 1 + word.len()), kind };
            let nibble = PickBits::nibble(PickBits::of_class(class), PickBits::allowed(&text, t));
            let expected = picks_spelled_out(class, kind == TokenKind::Word, Shape::of(&text, t));
            for (pick, expected) in [Pick::EntryStart, Pick::NameWord, Pick::Anaphor].into_iter().zip(expected) {
                prop_assert_eq!(nibble & pick.bits() != 0, expected, "{:?} {:?}", pick, word);
            }
        }
    }
}
