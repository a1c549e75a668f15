//! The tagger's vocabulary: every folded word it looks for (the words of
//! the dictionary's names and the fixed word lists: titles, pronouns,
//! connectors...), each with an id and its word classes. A document's
//! tokens are looked up once (`words::DocWords`); the matcher, the
//! unknown-name collector and the anaphora resolver then compare ids and
//! test class bits instead of lower-casing words again.

mod packed;

use crate::matcher::fold_into;
use crate::words::PickBits;
use dyad_core::hash::FnvHashMap;
use dyad_core::{Span, Token};
use packed::{Frozen, PackedTable, fold_packed, pack};

/// A folded word of the vocabulary; [`WordId::NONE`] for every other word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct WordId(u32);

impl WordId {
    pub(crate) const NONE: WordId = WordId(0);

    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// What looking a token up gives: the id of its folded form and the
/// [`PickBits`] of that word's classes, read together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    pub(crate) id: WordId,
    pub(crate) pick_bits: u8,
}

impl Word {
    /// Every word the vocabulary does not hold: no id, no classes.
    const NONE: Word = Word { id: WordId::NONE, pick_bits: PickBits::of_class(Class(0)) };
}

/// A set of word classes: which fixed word lists a folded word is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Class(u32);

impl Class {
    /// The first word of a dictionary entry written lower-case ("al-Assad").
    pub(crate) const LOWER_ENTRY: Class = Class(1);
    /// `crate::TITLES`.
    pub(crate) const TITLE: Class = Class(1 << 1);
    /// `unknown::NOT_NAMES`, `unknown::TITLE_WORDS`, `unknown::CONNECTORS`.
    pub(crate) const NOT_NAME: Class = Class(1 << 2);
    pub(crate) const TITLE_WORD: Class = Class(1 << 3);
    pub(crate) const CONNECTOR: Class = Class(1 << 4);
    /// The word lists of `anaphora`.
    pub(crate) const IT: Class = Class(1 << 5);
    pub(crate) const HE: Class = Class(1 << 6);
    pub(crate) const THEY: Class = Class(1 << 7);
    pub(crate) const THE: Class = Class(1 << 8);
    pub(crate) const AND_OR: Class = Class(1 << 9);
    pub(crate) const THAT_WHICH: Class = Class(1 << 10);
    pub(crate) const SUBJECT_CONTEXT: Class = Class(1 << 11);
    pub(crate) const OPENER: Class = Class(1 << 12);
    pub(crate) const LOCATIVE: Class = Class(1 << 13);
    pub(crate) const OF_IN_S: Class = Class(1 << 14);
    pub(crate) const STATE_HEAD: Class = Class(1 << 15);
    pub(crate) const GROUP_HEAD: Class = Class(1 << 16);
    pub(crate) const BLOC_HEAD: Class = Class(1 << 17);
    /// The first word of any dictionary entry.
    pub(crate) const ENTRY_START: Class = Class(1 << 18);
    /// Every class.
    #[cfg(test)]
    pub(crate) const ALL: Class = Class((1 << 19) - 1);
    /// The pronouns `anaphora` resolves.
    pub(crate) const PRONOUNS: Class = Class(Class::IT.0 | Class::HE.0 | Class::THEY.0);
    /// The words `anaphora` starts from: the pronouns, and the heads of
    /// descriptions, from which it looks back for their "the" (a few
    /// heads, where "the" is one word in twenty).
    pub(crate) const ANAPHORS: Class =
        Class(Class::PRONOUNS.0 | Class::STATE_HEAD.0 | Class::GROUP_HEAD.0 | Class::BLOC_HEAD.0);

    /// The classes of `bits`; other bits are ignored.
    #[cfg(test)]
    pub(crate) const fn from_bits(bits: u32) -> Class {
        Class(bits & Class::ALL.0)
    }

    /// Is the word in any of the classes of `other`?
    pub(crate) const fn any(self, other: Class) -> bool {
        self.0 & other.0 != 0
    }
}

impl std::ops::BitOr for Class {
    type Output = Class;
    fn bitor(self, other: Class) -> Class {
        Class(self.0 | other.0)
    }
}

/// Ids of frozen vocabularies ([`Vocab::frozen_id`]); 0 is none.
static NEXT_FROZEN_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The vocabulary. Folded words of up to fifteen ASCII bytes (nearly every
/// word of running text) are keyed by those bytes packed into a `u128`, so
/// looking one up builds no string; longer or non-ASCII words by their text.
#[derive(Debug)]
pub(crate) struct Vocab {
    short: PackedTable,
    /// `short` frozen for lookups once the vocabulary is complete
    /// ([`Vocab::freeze`]), with each word's pick bits; `None` while words
    /// or classes are added.
    frozen: Option<Frozen>,
    /// Unique in the process once the vocabulary is frozen, 0 while words
    /// or classes are added: what a cache of lookups is valid for
    /// ([`Vocab::frozen_id`]).
    frozen_id: u64,
    long: FnvHashMap<Box<str>, WordId>,
    /// The classes of each id; `classes[0]` is that of [`WordId::NONE`]: none.
    classes: Vec<Class>,
    /// The [`PickBits`] of each id's classes, kept with them.
    pick_bits: Vec<u8>,
    /// The id of the empty word, what a full stop folds to.
    empty: WordId,
    /// The id of the folded form of each one-byte word: one in five tokens
    /// is one ("a", ",", "."), and a table is cheaper than folding.
    one_byte: [WordId; 128],
}

impl Default for Vocab {
    fn default() -> Vocab {
        Vocab {
            short: PackedTable::default(),
            frozen: None,
            frozen_id: 0,
            long: FnvHashMap::default(),
            classes: vec![Class::default()],
            pick_bits: vec![Word::NONE.pick_bits],
            empty: WordId::NONE,
            one_byte: [WordId::NONE; 128],
        }
    }
}

impl Vocab {
    /// The id of the folded word `folded`, added if new.
    pub(crate) fn insert(&mut self, folded: &str) -> WordId {
        if let Some(id) = self.get_folded(folded) {
            return id;
        }
        let id = WordId(self.classes.len() as u32);
        self.classes.push(Class::default());
        self.pick_bits.push(PickBits::of_class(Class::default()));
        if folded.is_empty() {
            self.empty = id;
        }
        // The one-byte words that fold to `folded`: "." to the empty word,
        // a letter from either case to its lower case, any other byte but
        // "." to itself.
        match *folded.as_bytes() {
            [] => self.one_byte[usize::from(b'.')] = id,
            [b] if b.is_ascii() && b != b'.' && !b.is_ascii_uppercase() => {
                self.one_byte[usize::from(b)] = id;
                self.one_byte[usize::from(b.to_ascii_uppercase())] = id;
            }
            _ => {}
        }
        match pack(folded.as_bytes()) {
            Some(key) => {
                self.short.insert(key, id);
                self.frozen = None;
                self.frozen_id = 0;
                self.frozen_id = 0;
            }
            None => {
                self.long.insert(folded.into(), id);
            }
        }
        id
    }

    /// Adds `class` to each word of `words`, as written (a text word is on
    /// the list when its folded form equals the list's word).
    pub(crate) fn add_class(&mut self, words: &[&str], class: Class) {
        for w in words {
            let id = self.insert(w);
            self.add_class_to(id, class);
        }
    }

    pub(crate) fn add_class_to(&mut self, id: WordId, class: Class) {
        self.classes[id.index()] = self.classes[id.index()] | class;
        self.pick_bits[id.index()] = PickBits::of_class(self.classes[id.index()]);
        // The frozen table's copy of the pick bits is out of date.
        self.frozen = None;
    }

    pub(crate) fn class(&self, id: WordId) -> Class {
        self.classes[id.index()]
    }

    /// `id` and `PickBits::of_class(self.class(id))`, worked out once per word.
    fn word(&self, id: WordId) -> Word {
        Word { id, pick_bits: self.pick_bits[id.index()] }
    }

    pub(crate) fn len(&self) -> usize {
        self.classes.len()
    }

    fn get_folded(&self, folded: &str) -> Option<WordId> {
        match pack(folded.as_bytes()) {
            Some(key) => Some(self.short.get(key)).filter(|&id| id != WordId::NONE),
            None => self.long.get(folded).copied(),
        }
    }

    /// Makes lookups faster once every word and class is added (adding
    /// another undoes it).
    pub(crate) fn freeze(&mut self) {
        self.frozen = Frozen::freeze(&self.short, |id| self.pick_bits[id.index()], Word::NONE, self.word(self.empty));
        self.frozen_id = NEXT_FROZEN_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// An id that no other vocabulary, nor this one with other words or
    /// classes, has: lookups cached under it stay right. `None` until
    /// [`Vocab::freeze`], and again once a word or class is added.
    pub(crate) fn frozen_id(&self) -> Option<u64> {
        (self.frozen_id != 0).then_some(self.frozen_id)
    }

    /// The id of the folded form (see `fold_into`) of token `t` of `text`,
    /// or [`WordId::NONE`], with its pick bits. `scratch` holds the folded
    /// form of the words the packed fast path does not take.
    pub(crate) fn lookup(&self, text: &str, t: Token, scratch: &mut String) -> Word {
        match &self.frozen {
            Some(frozen) => match frozen.lookup(text.as_bytes(), t) {
                Some(word) => word,
                None => self.word(self.lookup_folding(text, t.span, scratch)),
            },
            None => self.lookup_thawed(text, t, scratch),
        }
    }

    /// [`Vocab::lookup`] while words may still be added.
    fn lookup_thawed(&self, text: &str, t: Token, scratch: &mut String) -> Word {
        if t.span.len() == 1
            && let Some(&b) = text.as_bytes().get(t.span.start as usize)
            && b.is_ascii()
        {
            return self.word(self.one_byte[usize::from(b)]);
        }
        match fold_packed(text.as_bytes(), t) {
            Some(key) => self.word(self.short.get(key)),
            None => self.word(self.lookup_folding(text, t.span, scratch)),
        }
    }

    /// The long way, for words with periods, non-ASCII or long words; a
    /// full stop, the commonest of them, folds to the empty word. Takes the
    /// span rather than the token's text so that the caller's fast path
    /// does not slice the text.
    #[cold]
    #[inline(never)]
    fn lookup_folding(&self, text: &str, span: Span, scratch: &mut String) -> WordId {
        let word = &text[span.range()];
        if word.bytes().all(|b| b == b'.') {
            return self.empty;
        }
        // "’s", the commonest of the others, folds to "'s".
        if let Some(rest) = word.strip_prefix('\u{2019}')
            && let &[b] = rest.as_bytes()
            && b.is_ascii()
            && b != b'.'
        {
            return pack(&[b'\'', b.to_ascii_lowercase()]).map_or(WordId::NONE, |key| self.short.get(key));
        }
        fold_into(word, scratch);
        self.get_folded(scratch).unwrap_or(WordId::NONE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::{Span, TokenKind};
    use proptest::prelude::*;

    /// The id `v` looks `word` up to, checking the pick bits that come with it.
    fn lookup(v: &Vocab, word: &str) -> WordId {
        let t = Token { span: Span::new(0, word.len()), kind: TokenKind::Word };
        let found = v.lookup(word, t, &mut String::new());
        assert_eq!(found, v.word(found.id), "the pick bits of {word:?}");
        found.id
    }

    fn slow_lookup(v: &Vocab, word: &str) -> WordId {
        let mut folded = String::new();
        fold_into(word, &mut folded);
        v.get_folded(&folded).unwrap_or(WordId::NONE)
    }

    fn vocab() -> Vocab {
        let mut v = Vocab::default();
        for w in [
            "us",
            "it",
            "the",
            "'s",
            "côte",
            "",
            "russia",
            "secretary-general",
            "abcdefgh",
            "abcdefghi",
            "k",
            "@[",
            "X",
            "-",
        ] {
            v.insert(w);
        }
        v
    }

    #[test]
    fn lookups_fold() {
        let mut v = vocab();
        lookups_fold_in(&v);
        v.freeze();
        assert!(v.frozen.is_some());
        lookups_fold_in(&v);
    }

    fn lookups_fold_in(v: &Vocab) {
        assert_eq!(lookup(v, "U.S."), lookup(v, "us"));
        assert_ne!(lookup(v, "US"), WordId::NONE);
        assert_eq!(lookup(v, "Russia’s"), WordId::NONE);
        assert_eq!(lookup(v, "’s"), lookup(v, "'s"));
        assert_eq!(lookup(v, "CÔTE"), lookup(v, "côte"));
        assert_eq!(lookup(v, "..."), lookup(v, ""));
        assert_ne!(lookup(v, "..."), WordId::NONE);
        assert_eq!(lookup(v, "\u{212a}"), lookup(v, "k"), "the Kelvin sign folds to ASCII");
        assert_ne!(lookup(v, "ABCDEFGH"), lookup(v, "abcdefghi"));
        assert_eq!(lookup(v, "A.B.C.D.E.F.G.H.I"), lookup(v, "abcdefghi"));
        assert_eq!(lookup(v, "Secretary-General"), lookup(v, "secretary-general"));
        assert_ne!(lookup(v, "Secretary-General"), WordId::NONE, "seventeen bytes");
        assert_eq!(lookup(v, "\0"), WordId::NONE, "NUL is not the empty word");
        assert_eq!(lookup(v, "X"), WordId::NONE, "an upper-case word is never a folded one");
        assert_eq!(lookup(v, "x"), WordId::NONE);
        assert_ne!(lookup(v, "-"), WordId::NONE);
        assert_eq!(lookup(v, "."), lookup(v, ""));
        assert_eq!(lookup(v, "K"), lookup(v, "k"));
        assert_eq!(lookup(v, "@"), WordId::NONE);
    }

    #[test]
    fn the_table_grows() {
        let mut v = Vocab::default();
        let words: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
        let ids: Vec<WordId> = words.iter().map(|w| v.insert(w)).collect();
        for (w, id) in words.iter().zip(&ids) {
            assert_eq!(lookup(&v, w), *id);
            assert_eq!(v.insert(w), *id);
        }
        assert_eq!(lookup(&v, "w5000"), WordId::NONE);
        v.freeze();
        for (w, id) in words.iter().zip(&ids) {
            assert_eq!(lookup(&v, w), *id);
        }
        assert_eq!(lookup(&v, "w5000"), WordId::NONE);
        v.insert("w5000");
        assert!(v.frozen.is_none(), "a new word thaws the table");
        assert_ne!(lookup(&v, "w5000"), WordId::NONE);
    }

    #[test]
    fn lookups_bring_the_pick_bits_of_the_classes() {
        let mut v = vocab();
        v.add_class(&["it", "abcdefghi"], Class::IT);
        v.add_class(&["us"], Class::NOT_NAME);
        v.freeze();
        let t = |word: &str| Token { span: Span::new(0, word.len()), kind: TokenKind::Word };
        let it = PickBits::of_class(Class::IT);
        assert_ne!(it, PickBits::of_class(Class::default()));
        for (word, bits) in [("It", it), ("A.B.C.D.E.F.G.H.I", it), ("US", PickBits::of_class(Class::NOT_NAME))] {
            assert_eq!(v.lookup(word, t(word), &mut String::new()).pick_bits, bits, "{word}");
        }
        v.add_class(&["us"], Class::IT);
        assert!(v.frozen.is_none(), "a new class thaws the table");
        let bits = PickBits::of_class(Class::NOT_NAME | Class::IT);
        assert_eq!(v.lookup("US", t("US"), &mut String::new()).pick_bits, bits);
        v.freeze();
        assert_eq!(v.lookup("US", t("US"), &mut String::new()).pick_bits, bits);
        let none = PickBits::of_class(Class::default());
        assert_eq!(v.lookup("Iran", t("Iran"), &mut String::new()), Word { id: WordId::NONE, pick_bits: none });
    }

    #[test]
    fn words_with_periods_are_never_found() {
        // Folding drops periods: only "ab" can be found, never "a.b".
        let mut v = vocab();
        v.insert("a.b");
        v.freeze();
        assert_eq!(lookup(&v, "a.b"), WordId::NONE);
        let ab = v.insert("ab");
        v.freeze();
        assert_eq!(lookup(&v, "a.b"), ab);
        assert_eq!(lookup(&v, "A.B"), ab);
    }

    proptest! {
        #[test]
        fn the_fast_path_agrees_with_folding(
            known in "[a-zA-Z@\\[`{.'’\\-\u{0}\u{7f}\u{212a}ôÔ]{0,20}",
            word in "[a-zA-Z@\\[`{.'’\\-\u{0}\u{7f}\u{212a}ôÔ]{0,20}",
        ) {
            let mut v = vocab();
            let mut folded = String::new();
            fold_into(&known, &mut folded);
            let id = v.insert(&folded);
            prop_assert_eq!(lookup(&v, &known), id);
            prop_assert_eq!(lookup(&v, &word), slow_lookup(&v, &word));
            v.freeze();
            prop_assert_eq!(lookup(&v, &known), id);
            prop_assert_eq!(lookup(&v, &word), slow_lookup(&v, &word));
        }

        #[test]
        fn tokens_inside_a_text_fold_alike(text in "[a-zA-Z.@\\[\u{0}\u{7f} ]{0,40}", start in 0usize..40, len in 0usize..20) {
            let start = start.min(text.len());
            let end = (start + len).min(text.len());
            let t = Token { span: Span::new(start, end), kind: TokenKind::Word };
            let mut v = vocab();
            let mut folded = String::new();
            fold_into(&text[start..end], &mut folded);
            let id = v.insert(&folded);
            prop_assert_eq!(v.lookup(&text, t, &mut String::new()).id, id);
            v.freeze();
            prop_assert_eq!(v.lookup(&text, t, &mut String::new()).id, id);
        }
    }
}
