//! Longest-match lookup of dictionary names over tokens, with the case rules
//! of `seeds/README.md`.

use crate::dict::{Pattern, Target};
use crate::vocab::{Class, Vocab, WordId};
use dyad_core::words::tiny_key;
use dyad_core::{ActorId, Token};

/// A name pattern, indexed under its first word.
#[derive(Debug)]
pub(crate) struct Entry {
    /// The words as written in the dictionary.
    pub(crate) words: Box<[Box<str>]>,
    pub(crate) target: Target,
    /// Its first two words as written, as keys ([`tiny_key`]), or
    /// [`NO_KEY`] for a word of more than eight bytes or none: most
    /// entries have one or two words, most of them short.
    keys: [u64; 2],
}

/// Never a [`tiny_key`].
const NO_KEY: u64 = u64::MAX;

impl Entry {
    fn new(words: Box<[Box<str>]>, target: Target) -> Entry {
        let key = |i: usize| words.get(i).and_then(|w| tiny_key(w.as_bytes(), 0, w.len())).unwrap_or(NO_KEY);
        let keys = [key(0), key(1)];
        Entry { words, target, keys }
    }

    /// Do the tokens at the start of `toks` spell this entry's words under
    /// the case rules? (Their folded forms are known to be equal.)
    ///
    /// Inlined for an entry of one word (most names found), which needs
    /// one key comparison and no loop.
    #[inline]
    pub(crate) fn matches(&self, text: &str, toks: &[Token]) -> bool {
        match (&self.words[..], toks.first()) {
            ([word], Some(&t)) => Entry::spells(self.keys[0], word, text, t),
            _ => self.matches_words(text, toks),
        }
    }

    /// Whether this is a name of three words or more with a hyphen among
    /// them ("Bashar al-Assad", four words): whether the text's hyphen is attached
    /// (`joined_like_dictionary`) decides if it matches, which the
    /// tokens' texts alone do not tell.
    fn hyphenated(&self) -> bool {
        self.words.len() > 2 && self.words.iter().any(|w| w.contains(['-', '\u{2010}']))
    }

    /// [`Entry::matches`] for any number of words.
    #[inline(never)]
    fn matches_words(&self, text: &str, toks: &[Token]) -> bool {
        self.words
            .iter()
            .zip(toks)
            .enumerate()
            .all(|(i, (w, &t))| Entry::spells(self.keys.get(i).copied().unwrap_or(NO_KEY), w, text, t))
    }

    /// Does token `t` spell dictionary word `word`, whose key is `key`?
    /// Most tokens are written as the dictionary writes them: one whose
    /// key is the word's needs neither a byte comparison (a call) nor the
    /// case rules.
    #[inline(always)]
    fn spells(key: u64, word: &str, text: &str, t: Token) -> bool {
        tiny_key(text.as_bytes(), t.span.start as usize, t.span.len()) == Some(key) || spelled_like(text, t, word)
    }
}

/// Does token `t` of `text` spell the dictionary word `w`, as written or
/// under the case rules? Out of line: most tokens have matched by key
/// ([`Entry::matches`]).
#[cold]
#[inline(never)]
fn spelled_like(text: &str, t: Token, w: &str) -> bool {
    crate::token_bytes(text, t) == w.as_bytes() || word_matches(t.text(text), w)
}

/// Where the ids of an entry's folded words are in `Index::folded`: what
/// ruling an entry out needs, packed small so that scanning the many
/// entries under a common first word touches little memory.
#[derive(Debug, Clone, Copy)]
struct Folds {
    start: u32,
    len: u32,
    /// The second word's id ([`WordId::NONE`] for a one-word entry): most
    /// entries are ruled out by it alone.
    second: WordId,
    /// The third word's id ([`WordId::NONE`] for an entry of fewer words),
    /// which rules out most of those of three words or more that the
    /// second does not.
    third: WordId,
}

impl Folds {
    /// Whether tokens of words `words` (the first two or three of a run)
    /// may spell the start of this entry, as far as its second and third
    /// words tell.
    fn may_start_with(&self, words: &[WordId]) -> bool {
        let differs = |k: usize, id: WordId| self.len as usize > k && words.get(k).is_some_and(|&w| w != id);
        !(differs(1, self.second) || differs(2, self.third))
    }
}

/// The entries filed under one first word: `multi..single` of more than
/// one word (by second word, then longest first), then `single..end` of
/// one, and the second words of the former as bits (bit `id % 64` of
/// each), so that a token whose next word is none of them skips them
/// without a look.
#[derive(Debug, Default, Clone, Copy)]
struct Starts {
    multi: u32,
    single: u32,
    end: u32,
    seconds: u64,
}

impl Starts {
    /// The bit of `seconds` for second word `id`.
    fn bit(id: WordId) -> u64 {
        1 << (id.index() % 64)
    }
}

/// Patterns grouped by their folded first word, longest first, and the
/// vocabulary of every folded word they hold.
#[derive(Debug, Default)]
pub(crate) struct Index {
    pub(crate) vocab: Vocab,
    entries: Vec<Entry>,
    /// For each entry, where its folded words are.
    folds: Vec<Folds>,
    /// The folded words of every entry, in the order of `entries`. A text
    /// word matches a dictionary word only if their folded forms are equal,
    /// so comparing ids rules out most entries before the case rules of
    /// [`word_matches`] are tried.
    folded: Vec<WordId>,
    /// For each word id, the entries it starts.
    starts: Vec<Starts>,
}

impl Index {
    /// Indexes `patterns`; `classes` are the fixed word lists the tagger
    /// tests words against.
    pub(crate) fn build(patterns: Vec<Pattern>, classes: &[(&[&str], Class)]) -> Index {
        let mut vocab = Vocab::default();
        let mut keyed: Vec<(Vec<WordId>, Pattern)> = Vec::new();
        let mut key = String::new();
        for p in patterns {
            let Some(first) = p.words.first() else { continue };
            fold_into(first, &mut key);
            if key.is_empty() {
                continue;
            }
            let mut folded = Vec::with_capacity(p.words.len());
            folded.push(vocab.insert(&key));
            folded.extend(p.words[1..].iter().map(|w| {
                fold_into(w, &mut key);
                vocab.insert(&key)
            }));
            keyed.push((folded, p));
        }
        // By first word; then the entries of more words by their second
        // word, before those of one; then longest first; among equals,
        // blocks, then actors' names, then persons' surnames, each in file
        // order (the pattern's index, last in the key). Sorting these
        // small keys moves less than sorting the patterns. (The order of
        // the second words changes no match, but which entries are looked
        // at before the one found: grouped, fewer.)
        let mut order: Vec<u128> = keyed
            .iter()
            .enumerate()
            .map(|(i, (folded, p))| {
                let rank: u128 = match p.target {
                    Target::Block => 0,
                    Target::Actor(..) => 1,
                    Target::Surname { .. } => 2,
                };
                let second =
                    folded.get(1).map_or(u32::MAX, |w| u32::try_from(w.index()).expect("fewer than 2^32 words"));
                let len = u16::try_from(p.words.len()).expect("names of fewer than 2^16 words");
                let longest_first = u128::from(u16::MAX - len);
                let i = u32::try_from(i).expect("fewer than 2^32 patterns");
                (folded[0].index() as u128) << 96
                    | u128::from(second) << 64
                    | longest_first << 48
                    | rank << 32
                    | u128::from(i)
            })
            .collect();
        order.sort_unstable();
        for (folded, p) in &keyed {
            vocab.add_class_to(folded[0], Class::ENTRY_START);
            // Only entries whose first dictionary word starts lower-case
            // match a text word that does.
            if p.words[0].chars().next().is_some_and(char::is_lowercase) {
                vocab.add_class_to(folded[0], Class::LOWER_ENTRY);
            }
        }
        for (words, class) in classes {
            vocab.add_class(words, *class);
        }
        vocab.freeze();
        let mut index = Index { starts: vec![Starts::default(); vocab.len()], vocab, ..Index::default() };
        let mut keyed: Vec<Option<(Vec<WordId>, Pattern)>> = keyed.into_iter().map(Some).collect();
        let sorted = order.iter().filter_map(|&k| keyed[k as u32 as usize].take());
        for (i, (folded, p)) in sorted.enumerate() {
            let i = i as u32;
            let s = &mut index.starts[folded[0].index()];
            if s.multi == s.end {
                *s = Starts { multi: i, single: i, end: i, seconds: 0 };
            }
            s.end = i + 1;
            // Longest first: the entries of one word come last.
            if let Some(&second) = folded.get(1) {
                s.single = i + 1;
                s.seconds |= Starts::bit(second);
            }
            index.folds.push(Folds {
                start: index.folded.len() as u32,
                len: folded.len() as u32,
                second: folded.get(1).copied().unwrap_or(WordId::NONE),
                third: folded.get(2).copied().unwrap_or(WordId::NONE),
            });
            // Collected into a vector of the right size first: collecting
            // `Box<str>`s in place of the `String`s would shrink (reallocate)
            // the allocation.
            let mut words = Vec::with_capacity(p.words.len());
            words.extend(p.words.into_iter().map(String::into_boxed_str));
            index.entries.push(Entry::new(words.into_boxed_slice(), p.target));
            index.folded.extend(folded);
        }
        index
    }

    /// The entries that `len` tokens of folded forms `id(0)`, `id(1)`...
    /// may spell at their start, longest first: those whose folded words
    /// are the tokens'. A function, not a slice: most tokens' ids past the
    /// second are never asked for.
    pub(crate) fn candidates<'a>(
        &'a self,
        len: usize,
        id: impl Fn(usize) -> WordId + Clone + 'a,
    ) -> impl Iterator<Item = &'a Entry> + Clone + 'a {
        let starts = if len > 0 { self.starts_of(id(0)) } else { Starts::default() };
        // Entries of more than one word only when the next token's word is
        // (perhaps) the second of one of them.
        let (multi, third, second) = match (len > 1).then(|| id(1)) {
            Some(second) if starts.seconds & Starts::bit(second) != 0 => {
                // The third token's word, asked once for all the entries
                // of three words or more.
                let third = if len > 2 { id(2) } else { WordId::NONE };
                (starts.multi..starts.single, third, second)
            }
            _ => (starts.single..starts.single, WordId::NONE, WordId::NONE),
        };
        multi
            .filter(move |&e| {
                let tokens = len;
                let Folds { start, len, second: entry_second, third: entry_third } = self.folds[e as usize];
                let (start, len) = (start as usize, len as usize);
                // The first word is the same: the entry is filed under it.
                // Most entries are ruled out by the second word, most of
                // the rest of three words or more by the third (`tokens > 2`
                // then, so `third` is the token's).
                entry_second == second
                    && len <= tokens
                    && (len == 2
                        || entry_third == third
                            && self.folded[start + 3..start + len].iter().enumerate().all(|(k, &w)| w == id(k + 3)))
            })
            .chain(starts.single..starts.end)
            .map(move |e| &self.entries[e as usize])
    }
}

/// What decides the best match at a run of tokens ([`Index::first_match`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FirstMatch {
    /// The texts of the run's tokens.
    Texts,
    /// The texts of the run's tokens and which of them touch the one
    /// before (a hyphenated name's must, `joined_like_dictionary`).
    Spacing,
    /// An entry of more words than the run's may match first.
    Longer,
    /// The first entry the run spells is a surname: which person it
    /// names, if any, depends on the document.
    Document,
}

/// What the entries of one word say of a token when no entry of more words
/// is tried ([`Index::seconds`]): a function of its text alone
/// unless the first that matches is a surname (which person it names, if
/// any, depends on the document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OneWord {
    /// No entry matches.
    None,
    /// The entry of this index (a block or an actor's name) matches first.
    Entry(u32),
    /// A surname matches first: of this person, and whether it may stand
    /// alone, when no other entry of one word matches but the same
    /// person's surname listed again.
    Surname(Option<(ActorId, bool)>),
}

impl Index {
    /// The second words of the entries of more than one word that `id`
    /// starts, as bits: only entries of one word are tried for a token
    /// of word `id` when the next token's [`Index::second_bit`] is not
    /// among them (or none follows). See [`Index::candidates`].
    pub(crate) fn seconds(&self, id: WordId) -> u64 {
        self.starts_of(id).seconds
    }

    /// The bit of [`Index::seconds`] for a second word `id`.
    #[inline]
    pub(crate) fn second_bit(id: WordId) -> u64 {
        Starts::bit(id)
    }

    /// What the entries of one word under `id` say of token `t`
    /// ([`OneWord`]), tried in the order of [`Index::candidates`].
    pub(crate) fn one_word(&self, id: WordId, text: &str, t: Token) -> OneWord {
        let starts = self.starts_of(id);
        for e in starts.single..starts.end {
            let entry = &self.entries[e as usize];
            if entry.matches(text, &[t]) {
                return match entry.target {
                    Target::Surname { person, alone } => {
                        // Another person's surname: the document decides
                        // between them. The same person's, listed again
                        // from an alias ("Donald Trump", "Donald J.
                        // Trump"), changes nothing `choose_surname` says.
                        let others = (e + 1..starts.end).any(|o| {
                            let other = &self.entries[o as usize];
                            other.target != entry.target && other.matches(text, &[t])
                        });
                        OneWord::Surname((!others).then_some((person, alone)))
                    }
                    Target::Block | Target::Actor(..) => OneWord::Entry(e),
                };
            }
        }
        OneWord::None
    }

    /// How many tokens, from ones of words `words` (the first two or three
    /// of a run in one sentence), decide the best match there by their
    /// texts alone: the length of the longest entry it could be of
    /// ([`Index::candidates`]), at least as many as `words`, when none is
    /// a surname (the document would count) nor of three words or more
    /// with a hyphen (whether the text's is attached would, see
    /// `joined_like_dictionary`). An entry whose second or third word is
    /// not that of `words` is not counted.
    pub(crate) fn decided_by(&self, words: &[WordId]) -> Option<usize> {
        let starts = self.starts_of(words[0]);
        let mut longest = words.len();
        for e in starts.multi..starts.end {
            let folds = self.folds[e as usize];
            if !folds.may_start_with(words) {
                continue;
            }
            let entry = &self.entries[e as usize];
            if matches!(entry.target, Target::Surname { .. }) || entry.hyphenated() {
                return None;
            }
            longest = longest.max(folds.len as usize);
        }
        Some(longest)
    }

    /// For a run of tokens `toks` in one sentence, the first two to four
    /// of words `words`, for which [`Index::decided_by`] found no length
    /// (a surname or a hyphenated name among the entries): what decides
    /// the best match there ([`FirstMatch`]), found by going through the
    /// entries in the order of [`Index::candidates`] to the first they
    /// spell. "Xi Jinping" is decided by its two texts, though "Xi" is
    /// also a surname; "Bashar al-Assad" by its four and their spacing.
    pub(crate) fn first_match(&self, words: &[WordId], text: &str, toks: &[Token]) -> FirstMatch {
        let starts = self.starts_of(words[0]);
        let mut spacing = false;
        for e in starts.multi..starts.end {
            let folds = self.folds[e as usize];
            if !folds.may_start_with(words) {
                continue;
            }
            let len = folds.len as usize;
            if len > words.len() {
                return FirstMatch::Longer;
            }
            let entry = &self.entries[e as usize];
            spacing |= entry.hyphenated();
            // As the full search tests an entry (`best_match`).
            if entry.matches(text, &toks[..len]) && crate::joined_like_dictionary(text, &toks[..len]) {
                if matches!(entry.target, Target::Surname { .. }) {
                    return FirstMatch::Document;
                }
                break;
            }
        }
        if spacing { FirstMatch::Spacing } else { FirstMatch::Texts }
    }

    /// The most words of an entry that tokens of words `words` (the first
    /// two or three of a run) may spell the start of, at least as many as
    /// `words`: an entry whose second or third word is not that of
    /// `words` is not counted.
    pub(crate) fn longest_candidate(&self, words: &[WordId]) -> usize {
        let starts = self.starts_of(words[0]);
        (starts.multi..starts.end)
            .map(|e| self.folds[e as usize])
            .filter(|f| f.may_start_with(words))
            .fold(words.len(), |longest, f| longest.max(f.len as usize))
    }

    /// The entries that word `id` starts (none for a word of no entry).
    #[inline]
    fn starts_of(&self, id: WordId) -> Starts {
        self.starts.get(id.index()).copied().unwrap_or_default()
    }

    /// Entry `e`.
    pub(crate) fn entry(&self, e: u32) -> &Entry {
        &self.entries[e as usize]
    }
}

/// Lower-cases `word`, maps the curly apostrophe to `'` and drops periods,
/// so "U.S." and "US" share a key. Reuses `out`'s allocation.
pub(crate) fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        if word.contains('.') {
            out.retain(|c| c != '.');
        }
        return;
    }
    for c in word.chars() {
        match c {
            '.' => {}
            '\u{2019}' | '\u{2018}' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// The letters and digits of a word, apostrophes folded, periods dropped.
fn significant(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars().filter(|c| *c != '.').map(|c| if c == '\u{2019}' || c == '\u{2018}' { '\'' } else { c })
}

/// Does the text word `text` match the dictionary word `dict` under the case
/// rules: as written; a lower-case initial may be capitalised; a text word
/// in capitals matches any case. Periods and apostrophe shapes are ignored.
pub(crate) fn word_matches(text: &str, dict: &str) -> bool {
    if text == dict || significant(text).eq(significant(dict)) {
        return true;
    }
    let mut t = significant(text);
    let mut d = significant(dict);
    // A capitalised first letter of a dictionary word that starts lower-case.
    if let (Some(tc), Some(dc)) = (t.next(), d.next())
        && dc.is_lowercase()
        && tc.is_uppercase()
        && tc.to_lowercase().eq(std::iter::once(dc))
        && t.eq(d)
    {
        return true;
    }
    // A headline in capitals.
    // Short capitalised words are abbreviations ("UN" is not "Un").
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 4 && !text.chars().any(char::is_lowercase) {
        return significant(text).flat_map(char::to_lowercase).eq(significant(dict).flat_map(char::to_lowercase));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_rules() {
        assert!(word_matches("Iran", "Iran"));
        assert!(!word_matches("iran", "Iran"), "a lower-case text word needs a lower-case dictionary word");
        assert!(word_matches("Al", "al"));
        assert!(!word_matches("us", "US"));
        assert!(word_matches("U.S.", "US"));
        assert!(word_matches("US", "U.S."));
        assert!(word_matches("RUSSIA", "Russia"));
        assert!(!word_matches("RUSSIA", "Iran"));
        assert!(word_matches("Russia’s", "Russia's"));
        assert!(!word_matches("IRAN", "Iraq"));
        assert!(!word_matches("UN", "Un"), "a short word in capitals is an abbreviation");
    }

    /// `Index::candidates` rules entries out by their folded words, so a
    /// text word must never match a dictionary word that folds differently.
    /// The one rule where that is not plain: a capitalised initial matches a
    /// lower-case one, which must then fold to itself.
    #[test]
    fn matching_words_fold_alike() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32).filter(|c| c.is_uppercase()) {
            let mut lower = c.to_lowercase();
            if let (Some(d), None) = (lower.next(), lower.next())
                && d.is_lowercase()
            {
                assert!(d.to_lowercase().eq([d]), "{c:?} lower-cases to {d:?}, which does not");
            }
        }
    }

    fn folded(w: &str) -> String {
        let mut s = String::new();
        fold_into(w, &mut s);
        s
    }

    proptest::proptest! {
        /// Words that differ in case, periods and apostrophes, matched.
        #[test]
        fn words_that_match_fold_alike(word in "[a-zA-Zàéǆǅ.'’]{0,8}", edits in proptest::collection::vec(0u8..5, 8)) {
            let dict: String = word
                .chars()
                .zip(edits.iter().cycle())
                .flat_map(|(c, edit)| match edit {
                    0 => c.to_uppercase().collect::<Vec<_>>(),
                    1 => c.to_lowercase().collect(),
                    2 if c == '.' => vec![],
                    3 if c == '’' => vec!['\''],
                    _ => vec![c],
                })
                .collect();
            if word_matches(&word, &dict) {
                proptest::prop_assert_eq!(folded(&word), folded(&dict));
            }
            if word_matches(&dict, &word) {
                proptest::prop_assert_eq!(folded(&word), folded(&dict));
            }
        }
    }

    proptest::proptest! {
        /// Matching by key agrees with comparing each token's text with the
        /// dictionary word, for words of every length and entries of up to
        /// three words (the third has no key).
        #[test]
        fn keys_match_like_texts(
            words in proptest::collection::vec("[a-zA-Z.’']{1,10}", 1..4),
            texts in proptest::collection::vec("[a-zA-Z.’']{1,10}", 1..4),
            copy in proptest::collection::vec(proptest::bool::ANY, 3),
        ) {
            // Some tokens written as the dictionary writes them.
            let texts: Vec<&str> =
                texts.iter().zip(words.iter().chain(words.iter().cycle())).zip(&copy).map(|((t, w), &c)| if c { w.as_str() } else { t.as_str() }).collect();
            let text = texts.join(" ");
            let mut toks = Vec::new();
            let mut at = 0;
            for t in &texts {
                toks.push(Token { span: dyad_core::Span::new(at, at + t.len()), kind: dyad_core::TokenKind::Word });
                at += t.len() + 1;
            }
            let entry = Entry::new(words.iter().map(|w| w.clone().into_boxed_str()).collect(), Target::Block);
            let expected = words.iter().zip(&toks).all(|(w, t)| t.text(&text) == w.as_str() || word_matches(t.text(&text), w));
            proptest::prop_assert_eq!(entry.matches(&text, &toks), expected);
        }
    }

    proptest::proptest! {
        /// The candidates are the entries filed under the first token's
        /// word whose folded words are all the tokens', in the index's
        /// order, for entries and token runs of every length.
        #[test]
        fn candidates_are_the_entries_whose_folded_words_are_the_tokens(
            patterns in proptest::collection::vec(proptest::collection::vec(0usize..4, 1..5), 1..40),
            tokens in proptest::collection::vec(0usize..5, 0..6),
        ) {
            const WORDS: [&str; 5] = ["a", "b", "c", "d", "e"];
            let patterns = patterns
                .iter()
                .enumerate()
                .map(|(i, words)| Pattern {
                    words: words.iter().map(|&w| WORDS[w].to_string()).collect(),
                    target: Target::Actor(dyad_core::ActorId(i as u32), dyad_core::Via::Name),
                })
                .collect();
            let index = Index::build(patterns, &[]);
            // The tokens' words, "e" in no entry.
            let text = tokens.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ");
            let ids: Vec<WordId> = text
                .split(' ')
                .filter(|w| !w.is_empty())
                .scan(0, |at, w| {
                    let start = text[*at..].find(w).expect("a word of the text") + *at;
                    *at = start + w.len();
                    let t = Token { span: dyad_core::Span::new(start, start + w.len()), kind: dyad_core::TokenKind::Word };
                    Some(index.vocab.lookup(&text, t, &mut String::new()).id)
                })
                .collect();
            let found: Vec<*const Entry> = index.candidates(ids.len(), |k| ids[k]).map(|e| e as *const Entry).collect();
            let starts = if ids.is_empty() { Starts::default() } else { index.starts_of(ids[0]) };
            let expected: Vec<*const Entry> = (starts.multi..starts.end)
                .filter(|&e| {
                    let Folds { start, len, .. } = index.folds[e as usize];
                    let folded = &index.folded[start as usize..(start + len) as usize];
                    folded.len() <= ids.len() && folded == &ids[..folded.len()]
                })
                .map(|e| &index.entries[e as usize] as *const Entry)
                .collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn fold_shares_keys() {
        let mut a = String::new();
        let mut b = String::new();
        fold_into("U.S.", &mut a);
        fold_into("us", &mut b);
        assert_eq!(a, b);
        fold_into("Côte", &mut a);
        assert_eq!(a, "côte");
    }
}
