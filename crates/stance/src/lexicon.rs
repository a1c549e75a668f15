//! The cue lexicon (`seeds/cues.tsv`): stance cues, modality words and
//! evaluative words, each matched by the English stems of its words.

use crate::LexiconError;
use dyad_core::hash::{FnvHashMap, low_bytes};
use dyad_core::words::WordIds;
use dyad_core::{Category, QuadClass, Token, TokenKind};
use rust_stemmers::{Algorithm, Stemmer};
use std::cell::RefCell;
use std::collections::HashMap;

/// How a stance cue attaches its actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// The source acts on or stands toward the target.
    Directed,
    /// A mutual relation.
    Symmetric,
    /// A neutral relation noun ("ties") coloured by a modifier nearby.
    Relation,
    /// An adjective that only colours a relation noun ("strained").
    Modifier,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    Verb,
    Noun,
    Adj,
}

#[derive(Debug, Clone)]
pub struct Cue {
    /// The cue as written in the lexicon, without its preposition.
    pub label: String,
    pub kind: CueKind,
    pub category: Category,
    pub quad_class: QuadClass,
    pub score: f32,
    pub frame: Frame,
    /// Prepositions that introduce the target ("with", "on").
    pub preps: Vec<String>,
    /// Whether the cue stands without one of its prepositions: "press" is
    /// listed only as "press for", so "press the SDF" is no request.
    pub bare: bool,
    /// For a first word of seven letters or more, all but its last two: a
    /// text word must start with them to be of the cue's word family
    /// (stems join "critical" and "criticize").
    pub(crate) family: Option<Box<str>>,
    /// `family` as the low bytes of an integer ([`low_bytes`]) when it is
    /// ASCII and at most fifteen bytes long, to be compared with a word's
    /// [`Word::ascii_prefix`] rather than its text.
    pub(crate) family_key: Option<u128>,
    /// `preps` as a set of [`prep_bit`]s, tested against a word's
    /// [`Row::prep`]: one mask test where a list of stem ids was searched
    /// for each of the words after the cue.
    pub(crate) prep_mask: u32,
}

/// The bit of a preposition as a cue lists it (one of [`PREPOSITIONS`]),
/// or of a word whose stem is written as one: its place in the list plus
/// one. Zero, a bit no cue's [`Cue::prep_mask`] holds, for any other word.
/// (A `const fn`, so that the rules' fixed prepositions are constants.)
pub(crate) const fn prep_bit(stem: &str) -> u8 {
    let stem = stem.as_bytes();
    let mut i = 0;
    while i < PREPOSITIONS.len() {
        let p = PREPOSITIONS[i].as_bytes();
        if p.len() == stem.len() {
            let mut j = 0;
            while j < p.len() && p[j] == stem[j] {
                j += 1;
            }
            if j == p.len() {
                return i as u8 + 1;
            }
        }
        i += 1;
    }
    0
}

/// The mask of one [`prep_bit`].
pub(crate) const fn prep_mask(bit: u8) -> u32 {
    1 << bit
}

/// A modality word's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Marker {
    Negator,
    Restraint,
    Hedge,
    Report,
    Condition,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Item {
    Cue(u32),
    Marker(Marker),
    Evaluative(f32),
}

impl Item {
    /// Is this the cue `first` again? Of the entries of one match, such a
    /// repeat is dropped: a cue is read once however many entries give it.
    fn repeats(self, first: Item) -> bool {
        matches!((self, first), (Item::Cue(a), Item::Cue(b)) if a == b)
    }
}

/// No stem of the lexicon: punctuation, numbers and words no entry has.
pub(crate) const NO_STEM: u32 = u32::MAX;

/// Words compared after an entry's first: a window is at most four tokens
/// ([`Index::matching`]).
const REST: usize = 3;

/// An entry of an index: the stem ids of its words after the first, kept
/// in the entry (no pointer to follow per entry tried). An entry longer than
/// a window keeps its length and never matches.
#[derive(Debug)]
struct Entry {
    rest: [u32; REST],
    rest_len: usize,
    item: Item,
}

/// Entries by the stem id of their first word (stem ids are dense: they
/// index the vector), longest first.
#[derive(Debug, Default)]
pub(crate) struct Index {
    by_first: Vec<Vec<Entry>>,
}

impl Index {
    fn add(&mut self, stems: &[u32], item: Item) {
        if let Some((&first, rest)) = stems.split_first() {
            let first = first as usize;
            if self.by_first.len() <= first {
                self.by_first.resize_with(first + 1, Vec::new);
            }
            let mut kept = [NO_STEM; REST];
            for (k, &stem) in kept.iter_mut().zip(rest) {
                *k = stem;
            }
            self.by_first[first].push(Entry { rest: kept, rest_len: rest.len(), item });
        }
    }

    fn finish(&mut self) {
        for v in &mut self.by_first {
            v.sort_by_key(|e| std::cmp::Reverse(e.rest_len));
        }
    }

    /// Does every entry starting with `stem` have more than one word (and
    /// one at least start with it)? Then nothing matches at a word of that
    /// stem unless the next word is some entry's second
    /// ([`Index::second_stems`]).
    fn only_longer(&self, stem: u32) -> bool {
        self.by_first.get(stem as usize).is_some_and(|v| !v.is_empty() && v.iter().all(|e| e.rest_len > 0))
    }

    /// The stems that are the second word of some entry, sorted, once each.
    fn second_stems(&self) -> Vec<u32> {
        let mut stems: Vec<u32> =
            self.by_first.iter().flatten().filter(|e| e.rest_len > 0).map(|e| e.rest[0]).collect();
        stems.sort_unstable();
        stems.dedup();
        stems
    }

    fn starts_with(&self, stem: u32) -> bool {
        self.by_first.get(stem as usize).is_some_and(|v| !v.is_empty())
    }

    /// The items of the entries starting with `stem`, in order, when every
    /// one of them is a single word: each then matches wherever the stem
    /// stands, and [`Index::all_longest`] gives them all with length one.
    /// `None` when some entry is longer, or none starts with the stem.
    fn single_word_items(&self, stem: u32) -> Option<impl Iterator<Item = Item> + '_> {
        let entries = self.by_first.get(stem as usize).filter(|v| !v.is_empty())?;
        entries.iter().all(|e| e.rest_len == 0).then(|| entries.iter().map(|e| e.item))
    }

    /// The entries matching the stem ids of `rows` (one per token, at most
    /// four) from its start, longest first: `(word count, item)`.
    fn matching<'s>(&'s self, rows: &'s [Row]) -> impl Iterator<Item = (usize, Item)> + 's {
        debug_assert!(rows.len() <= REST + 1, "a window is at most four tokens");
        let (first, rest) = rows.split_first().map_or((NO_STEM, &[][..]), |(f, r)| (f.stem_id, r));
        // `NO_STEM` is past the end of `by_first`.
        let entries = self.by_first.get(first as usize).map_or(&[][..], Vec::as_slice);
        // Element by element: the rests are at most three stems long, too
        // short for the call to `memcmp` a slice comparison makes.
        let matches = move |e: &&Entry| {
            rest.len() >= e.rest_len && rest[..e.rest_len].iter().zip(&e.rest).all(|(a, b)| a.stem_id == *b)
        };
        entries.iter().filter(matches).map(|e| (e.rest_len + 1, e.item))
    }

    /// The longest entry matching `rows` from its start: `(word count, item)`.
    pub(crate) fn longest(&self, rows: &[Row]) -> Option<(usize, Item)> {
        self.matching(rows).next()
    }

    /// Every entry of the longest length that matches, in lexicon order: a
    /// verb and a noun may share their stems ("talks"). The same cue is
    /// given once.
    #[inline]
    pub(crate) fn all_longest(&self, rows: &[Row], out: &mut Vec<Item>) -> Option<usize> {
        out.clear();
        let mut entries = self.matching(rows);
        let (len, first) = entries.next()?;
        out.push(first);
        for (n, item) in entries {
            if n != len {
                break;
            }
            if !item.repeats(first) {
                out.push(item);
            }
        }
        Some(len)
    }
}

/// Words kept in a thread's vocabulary before it starts afresh.
const VOCAB_LIMIT: usize = 1 << 18;

thread_local! {
    /// The words this thread has seen, for the lexicon whose id the
    /// vocabulary keeps (another lexicon starts it afresh).
    static VOCAB: RefCell<Vocab> = RefCell::new(Vocab::default());
}

/// Lexicon ids, so a thread's vocabulary knows which lexicon it describes.
static NEXT_LEXICON_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// What the tagger knows of one distinct word text: its stem, which indexes
/// have entries starting with it (`CUE`, `MARKER`, `EVALUATIVE`: most words
/// start none) and its word classes (`sentence::classify`).
#[derive(Debug)]
pub(crate) struct Word {
    pub(crate) stem: Box<str>,
    /// The stem's id in the lexicon, or `NO_STEM`.
    pub(crate) stem_id: u32,
    pub(crate) starts: u8,
    pub(crate) class: u32,
    /// The text's leading ASCII bytes, at most fifteen, lower-cased, as the
    /// low bytes of an integer, and their number: enough to tell whether a
    /// word is of a cue's family ([`Cue::family_key`]). Both zero for a
    /// word that starts no cue (no rule asks about its family).
    pub(crate) ascii_prefix: u128,
    pub(crate) ascii_len: u8,
    /// The stem's [`prep_bit`].
    pub(crate) prep: u8,
    /// The cues (indexes into [`Lexicon::cues`]) the word reads as wherever
    /// it stands, found when it is first seen ([`Lexicon::single_word_cues`]):
    /// for a word that starts only single-word cues, the cue scan takes
    /// them from here instead of matching the entries and testing the
    /// word's family at every token. `None` for any other word. Its row
    /// has [`SINGLE_CUES`] for `Some`.
    pub(crate) cues: Option<Readings>,
}

/// A word's single-word cue readings ([`Word::cues`]), held in the word
/// itself: as a boxed list they cost the cue scan a second cache miss
/// after the word's own in most sentences. A stem starts at most one
/// single-word cue of each kind (entries with the same words and kind are
/// one cue), so three places hold any word's; a longer list would not be
/// kept, and the word matched as one that starts a longer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Readings {
    len: u32,
    cues: [u32; 3],
}

impl Readings {
    /// The readings `cues`, if three places hold them.
    fn of(cues: &[u32]) -> Option<Readings> {
        let mut readings = Readings { len: cues.len() as u32, cues: [0; 3] };
        readings.cues.get_mut(..cues.len())?.copy_from_slice(cues);
        Some(readings)
    }

    /// The cues (indexes into [`Lexicon::cues`]), in the order
    /// [`Lexicon::single_word_cues`] found them.
    pub(crate) fn cues(&self) -> &[u32] {
        &self.cues[..(self.len as usize).min(3)]
    }
}

/// The leading ASCII bytes of `text` (at most fifteen) lower-cased, as the
/// low bytes of an integer, and their number.
pub(crate) fn ascii_prefix(text: &[u8]) -> (u128, u8) {
    let mut key = 0;
    let mut len = 0;
    for (i, &b) in text.iter().take(15).enumerate() {
        if !b.is_ascii() {
            break;
        }
        key |= u128::from(b.to_ascii_lowercase()) << (8 * i);
        len = i as u8 + 1;
    }
    (key, len)
}

/// What a token's row of the sentence tables takes from its [`Word`]: kept
/// in the lookup tables themselves, so that a token costs one load and no
/// second, dependent load from the word list.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Row {
    /// The word's id in the vocabulary.
    pub(crate) id: u32,
    pub(crate) stem_id: u32,
    pub(crate) class: u32,
    pub(crate) starts: u8,
    /// The stem's [`prep_bit`] (in what was padding).
    pub(crate) prep: u8,
    /// The kind of token (`TokenKind as u8`) the row was made for (in what
    /// was padding): in [`Vocab`]'s table by id, a token takes the row only
    /// if its kind is this one.
    pub(crate) kind: u8,
}

/// The row of an interned id not seen yet: no token's kind is its kind.
const UNSEEN: Row = Row { id: u32::MAX, stem_id: NO_STEM, class: 0, starts: 0, prep: 0, kind: u8::MAX };

/// Token texts mapped to [`Word`]s, so that each distinct text is stemmed
/// and classified once per thread, not once per token (stemming every token
/// was a fifth of the run time). Tokens are found by their interned ids.
///
/// Invariant: ids `EMPTY` and `CLITIC` are the stems of numbers and of a
/// possessive clitic; both start no entry. Punctuation has ids of its own
/// (in [`Tables::row`]), with the empty stem. A row in `by_id` is the row
/// of its text as a token of the row's `kind`.
#[derive(Debug, Default)]
pub(crate) struct Vocab {
    lexicon: u64,
    /// The interner generation of the ids `by_id` is indexed by.
    generation: u64,
    /// The row of each token's text by its interned id ([`WordIds`]), once
    /// seen; [`UNSEEN`] before. A token costs an index here, not a probe:
    /// the pipeline interned its text already. A text comes as one kind of
    /// token, nearly always (not "’", a clitic after "Hamas" and a quote
    /// mark elsewhere): the row is that of the first kind seen, or of a
    /// word, and a token of another kind finds its row in the slow path.
    by_id: Vec<Row>,
    /// The row of each punctuation token's text by its interned id, once
    /// seen: the empty stem, but classes of its own ("," and ";" end
    /// clauses, "-" joins modifiers). Where `by_id` holds the text's row
    /// as another kind of token, this one is still found.
    punct_by_id: Vec<Row>,
    /// The rows of the stems `EMPTY` and `CLITIC`, for number and clitic
    /// tokens: kept, so that [`Tables::row`] can lend them like any other.
    fixed: [Row; 2],
    /// For each interned id, the union of the `starts` bits of the rows
    /// given to its text as any kind of token, with [`UNSEEN_STARTS`] until
    /// the first ([`Vocab::starts_bound`]).
    starts: Vec<u8>,
    words: Vec<Word>,
}

/// In [`Vocab::starts_bound`]: some text has had no row yet, so what it
/// starts is not known.
pub(crate) const UNSEEN_STARTS: u8 = 0x80;

/// The id of the empty stem of numbers.
pub(crate) const EMPTY: u32 = 0;
/// The id of the stem `'s` of a clitic.
pub(crate) const CLITIC: u32 = 1;

impl Vocab {
    /// Runs `f` with this thread's vocabulary for `lexicon`, ready for
    /// the ids of `ids`.
    pub(crate) fn with<R>(lexicon: &Lexicon, ids: &WordIds, f: impl FnOnce(&mut Vocab) -> R) -> R {
        VOCAB.with_borrow_mut(|vocab| {
            if vocab.lexicon != lexicon.id || vocab.generation != ids.generation() || vocab.words.len() >= VOCAB_LIMIT {
                vocab.lexicon = lexicon.id;
                vocab.generation = ids.generation();
                vocab.by_id.clear();
                vocab.punct_by_id.clear();
                vocab.starts.clear();
                vocab.words.clear();
                for stem in ["", "'s"] {
                    let stem_id = lexicon.stem_id(stem);
                    let class = lexicon.word_class(stem, stem_id, stem);
                    let (ascii_prefix, ascii_len) = (0, 0);
                    let prep = prep_bit(stem);
                    vocab.words.push(Word {
                        stem: stem.into(),
                        stem_id,
                        starts: 0,
                        class,
                        ascii_prefix,
                        ascii_len,
                        prep,
                        cues: None,
                    });
                }
                vocab.fixed = [
                    Row { kind: TokenKind::Number as u8, ..vocab.word_row(EMPTY) },
                    Row { kind: TokenKind::Clitic as u8, ..vocab.word_row(CLITIC) },
                ];
            }
            // A power of two long, so that the per-token loop can mask an
            // id into the table by id instead of testing it against the
            // length ([`Tables::by_id`]).
            if vocab.by_id.len() < ids.count() {
                let len = ids.count().next_power_of_two();
                vocab.by_id.resize(len, UNSEEN);
                vocab.punct_by_id.resize(len, UNSEEN);
                vocab.starts.resize(len, UNSEEN_STARTS);
            }
            f(vocab)
        })
    }

    /// The vocabulary's tables, borrowed apart ([`Tables::row`]).
    pub(crate) fn tables(&mut self) -> Tables<'_> {
        Tables {
            by_id: &mut self.by_id,
            punct_by_id: &mut self.punct_by_id,
            fixed: &self.fixed,
            starts: &mut self.starts,
            words: &mut self.words,
        }
    }

    /// The union of the `starts` bits that [`Scratch::words`](crate::sentence::Scratch::words)
    /// would find for tokens with the interned ids `ids`, or more: with
    /// [`UNSEEN_STARTS`] if some text has had no row yet. One byte a token,
    /// so that a sentence that can start nothing is turned away before its
    /// rows are filled.
    pub(crate) fn starts_bound(&self, ids: &[u32]) -> u8 {
        ids.iter().fold(0, |any, &id| any | self.starts[id as usize])
    }

    pub(crate) fn word(&self, id: u32) -> &Word {
        &self.words[id as usize]
    }

    /// The row of the word `id`: its `starts` bits, and [`CLAUSE`] or
    /// [`CLAUSE_AFTER_COMMA`] if it may end a clause.
    pub(crate) fn word_row(&self, id: u32) -> Row {
        row_of(&self.words, id)
    }
}

/// The row of the word `id` of `words` ([`Vocab::word_row`]).
/// Its `kind` is that of a word.
fn row_of(words: &[Word], id: u32) -> Row {
    let w = &words[id as usize];
    let clause = if w.class & crate::sentence::BOUNDARY != 0 {
        CLAUSE
    } else if w.class & crate::sentence::AND != 0 {
        CLAUSE_AFTER_COMMA
    } else {
        0
    };
    let nothing = if w.class & crate::sentence::NOTHING != 0 { NOTHING_WORD } else { 0 };
    let single = if w.cues.is_some() { SINGLE_CUES } else { 0 };
    let kind = TokenKind::Word as u8;
    Row { id, stem_id: w.stem_id, class: w.class, starts: w.starts | clause | nothing | single, prep: w.prep, kind }
}

/// A vocabulary's lookup tables and word list, borrowed apart from the
/// vocabulary ([`Vocab::tables`]) for a loop over tokens: the tables'
/// addresses and lengths can then stay in the loop's registers, where a
/// lookup through the vocabulary loaded them again for every token (the
/// call for a new text might have changed them, as far as the compiler
/// knew). That call gets the tables themselves, which it cannot move.
pub(crate) struct Tables<'v> {
    by_id: &'v mut [Row],
    punct_by_id: &'v mut [Row],
    fixed: &'v [Row; 2],
    starts: &'v mut [u8],
    words: &'v mut Vec<Word>,
}

impl Tables<'_> {
    /// The table by id, for a loop over known tokens: empty, or a power of
    /// two long, and longer than any id of the document, so that an id
    /// masked by its length less one is the id itself ([`Vocab::with`]).
    pub(crate) fn by_id(&self) -> &[Row] {
        debug_assert!(self.by_id.is_empty() || self.by_id.len().is_power_of_two());
        self.by_id
    }

    /// The row of `token`, whose interned id is `id`, stemming and
    /// classifying its text the first time it is seen.
    ///
    /// A text seen before as a token of this kind, most tokens, costs an
    /// index into the table by id and a test of the kind; a new text a
    /// call. The row is lent, not returned: a reference comes back in a
    /// register whichever path found it, where a returned row went through
    /// the stack on the way into the sentence's table.
    ///
    /// `token` is a token of the document's text `doc_text`, so its bytes
    /// are valid UTF-8 (the spans invariant).
    #[inline(always)]
    pub(crate) fn row(&mut self, lexicon: &Lexicon, doc_text: &[u8], token: &Token, id: u32) -> &Row {
        let i = id as usize;
        if self.by_id[i].kind == token.kind as u8 {
            &self.by_id[i]
        } else {
            row_slow(self.by_id, self.punct_by_id, self.fixed, self.starts, self.words, lexicon, doc_text, token, id)
        }
    }
}

/// [`Tables::row`] for a text seen for the first time as this kind of
/// token. Kept out of line, so that the per-token loop holds only the
/// probe. A word's row takes the slot in `by_id`, another kind's only a
/// free one. Every row given is noted in `starts`.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn row_slow<'t>(
    by_id: &'t mut [Row],
    punct_by_id: &'t mut [Row],
    fixed: &'t [Row; 2],
    starts: &mut [u8],
    words: &mut Vec<Word>,
    lexicon: &Lexicon,
    doc_text: &[u8],
    token: &Token,
    id: u32,
) -> &'t Row {
    let id = id as usize;
    if token.kind == TokenKind::Word {
        // The slot holds no word's row: none, or another kind's.
        by_id[id] = add(words, lexicon, &doc_text[token.span.range()]);
        starts[id] = (starts[id] & !UNSEEN_STARTS) | by_id[id].starts;
        return &by_id[id];
    }
    if token.kind == TokenKind::Punct && punct_by_id[id].id == UNSEEN.id {
        punct_by_id[id] = add_punct(words, lexicon, &doc_text[token.span.range()]);
    }
    let row = match token.kind {
        TokenKind::Punct => &punct_by_id[id],
        TokenKind::Clitic => &fixed[CLITIC as usize],
        _ => &fixed[EMPTY as usize],
    };
    starts[id] = (starts[id] & !UNSEEN_STARTS) | row.starts;
    if by_id[id].kind == UNSEEN.kind {
        by_id[id] = *row;
    }
    row
}

/// Stems, classifies and adds to `words` a word seen for the first time:
/// once per distinct text and thread, kept out of the lookup's way.
#[cold]
#[inline(never)]
fn add(words: &mut Vec<Word>, lexicon: &Lexicon, bytes: &[u8]) -> Row {
    let text = String::from_utf8_lossy(bytes);
    let text = &*text;
    let stem = lexicon.stem(text);
    let stem_id = lexicon.stem_id(&stem);
    let mut starts = 0;
    for (index, bit) in [(&lexicon.cue_index, CUE), (&lexicon.marker_index, MARKER), (&lexicon.eval_index, EVALUATIVE)]
    {
        if index.starts_with(stem_id) {
            starts |= bit;
        }
    }
    let class = lexicon.word_class(&stem, stem_id, text);
    let id = words.len() as u32;
    // Only a word that starts a cue is ever compared with a family.
    let (ascii_prefix, ascii_len) = if starts & CUE != 0 { ascii_prefix(bytes) } else { (0, 0) };
    let prep = prep_bit(&stem);
    let mut word = Word { stem: stem.into(), stem_id, starts, class, ascii_prefix, ascii_len, prep, cues: None };
    if starts & CUE != 0 {
        word.cues = lexicon.single_word_cues(&word, text).and_then(|cues| Readings::of(&cues));
    }
    words.push(word);
    row_of(words, id)
}

/// The row of a punctuation text seen for the first time, added to
/// `words`: the empty stem, starting no entry, with the classes of its
/// text.
#[cold]
#[inline(never)]
fn add_punct(words: &mut Vec<Word>, lexicon: &Lexicon, bytes: &[u8]) -> Row {
    let id = words.len() as u32;
    let stem_id = lexicon.stem_id("");
    let class = lexicon.word_class("", stem_id, &String::from_utf8_lossy(bytes));
    let (ascii_prefix, ascii_len) = (0, 0);
    words.push(Word { stem: "".into(), stem_id, starts: 0, class, ascii_prefix, ascii_len, prep: 0, cues: None });
    Row { kind: TokenKind::Punct as u8, ..row_of(words, id) }
}

pub(crate) const CUE: u8 = 1;
pub(crate) const MARKER: u8 = 2;
pub(crate) const EVALUATIVE: u8 = 4;
/// Not an index: the word ends a clause (a boundary), so that the tokens
/// listed for the indexes also hold the few that
/// [`View::new`](crate::sentence::View::new) checks for clause ends, and
/// it need not read their rows.
pub(crate) const CLAUSE: u8 = 8;
/// Not an index: the word ends a clause after a comma ("and"), listed for
/// the same reason.
pub(crate) const CLAUSE_AFTER_COMMA: u8 = 32;
/// Not an index: the word is "nothing" ([`NOTHING`](crate::sentence::NOTHING)),
/// so that the union of a sentence's bits says whether the test for an
/// empty object ("offered almost nothing") can find one there.
pub(crate) const NOTHING_WORD: u8 = 16;
/// Not an index: the word starts only single-word cues, whose readings it
/// holds ([`Word::cues`]), so that the cue scan knows from the row which
/// way to read it, and loads the word only when it holds them.
pub(crate) const SINGLE_CUES: u8 = 64;

/// The cue lexicon, built once.
pub struct Lexicon {
    id: u64,
    pub(crate) cues: Vec<Cue>,
    pub(crate) cue_index: Index,
    pub(crate) marker_index: Index,
    pub(crate) eval_index: Index,
    /// The stems of the entries' words, interned.
    stem_ids: FnvHashMap<String, u32>,
    /// The stem ids of the words of report markers of more than one word
    /// ("according to"): only a word with one of them can be inside such
    /// a marker, which no cue may overlap ([`Lexicon::word_class`]).
    report_phrase_stems: Vec<u32>,
    /// The stem ids that are the second word of a cue entry, sorted
    /// ([`Lexicon::word_class`]).
    cue_second_stems: Vec<u32>,
    pub(crate) stemmer: Stemmer,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon").field("cues", &self.cues.len()).finish_non_exhaustive()
    }
}

const HEADER: &[&str] = &["cue", "kind", "category", "quad_class", "score", "frame"];

/// Prepositions a cue may end with: they mark where the target is.
const PREPOSITIONS: &[&str] = &[
    "with", "to", "on", "against", "over", "of", "from", "into", "in", "toward", "towards", "for", "at", "between",
    "near", "about", "by",
];

impl Lexicon {
    /// Builds the lexicon from `cues.tsv` text; `name` is shown in errors.
    pub fn from_tsv(name: &str, text: &str) -> Result<Lexicon, LexiconError> {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut lex = Lexicon {
            id: NEXT_LEXICON_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            cues: Vec::new(),
            cue_index: Index::default(),
            marker_index: Index::default(),
            eval_index: Index::default(),
            stem_ids: FnvHashMap::default(),
            report_phrase_stems: Vec::new(),
            cue_second_stems: Vec::new(),
            stemmer,
        };
        let err = |line: usize, message: String| LexiconError::Line { file: name.to_string(), line, message };
        let mut header_seen = false;
        // Cues that share their words merge their prepositions.
        let mut by_words: HashMap<(Vec<u32>, u8), u32> = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if !header_seen {
                header_seen = true;
                if f.as_slice() != HEADER {
                    return Err(err(line_no, format!("expected the header `{}`", HEADER.join("\\t"))));
                }
                continue;
            }
            if f.len() != HEADER.len() {
                return Err(err(line_no, format!("expected 6 tab-separated columns, found {}", f.len())));
            }
            let score: f32 = f[4]
                .parse()
                .ok()
                .filter(|s: &f32| (-10.0..=10.0).contains(s))
                .ok_or_else(|| err(line_no, format!("score `{}` is not a number in -10..10", f[4])))?;
            let mut words: Vec<&str> = f[0].split_whitespace().collect();
            if words.is_empty() {
                return Err(err(line_no, "empty cue".into()));
            }
            if words.iter().any(|w| w.chars().any(char::is_uppercase)) {
                return Err(err(line_no, format!("cue `{}` must be lower-case", f[0])));
            }
            let marker = match f[1] {
                "negator" => Some(Marker::Negator),
                "restraint" => Some(Marker::Restraint),
                "hedge" => Some(Marker::Hedge),
                "report" => Some(Marker::Report),
                "condition" => Some(Marker::Condition),
                _ => None,
            };
            if let Some(m) = marker {
                let stems = lex.intern(&words);
                if m == Marker::Report && stems.len() > 1 {
                    lex.report_phrase_stems.extend(stems.iter().copied());
                }
                lex.marker_index.add(&stems, Item::Marker(m));
                continue;
            }
            if f[1] == "evaluative" {
                let stems = lex.intern(&words);
                lex.eval_index.add(&stems, Item::Evaluative(score));
                continue;
            }
            let kind = match f[1] {
                "verb" => CueKind::Verb,
                "noun" => CueKind::Noun,
                "adj" => CueKind::Adj,
                other => return Err(err(line_no, format!("unknown kind `{other}`"))),
            };
            let category = Category::parse(f[2]).ok_or_else(|| err(line_no, format!("unknown category `{}`", f[2])))?;
            let quad_class =
                QuadClass::parse(f[3]).ok_or_else(|| err(line_no, format!("unknown quad_class `{}`", f[3])))?;
            if score == 0.0 || (score > 0.0) != quad_class.is_cooperation() {
                return Err(err(line_no, format!("score {score} does not fit quad_class {}", f[3])));
            }
            let frame = match f[5] {
                "directed" => Frame::Directed,
                "symmetric" => Frame::Symmetric,
                "relation" => Frame::Relation,
                "modifier" => Frame::Modifier,
                other => return Err(err(line_no, format!("unknown frame `{other}`"))),
            };
            // Trailing prepositions mark the target. One the tagger knows
            // but a cue may not list ("among") would have no bit of its own
            // in the cue's mask: it is refused, not read as a word of the cue.
            let mut preps = Vec::new();
            while let [_, .., last] = words[..]
                && lex.is_preposition(last)
            {
                if prep_bit(last) == 0 {
                    let listed = PREPOSITIONS.join(", ");
                    return Err(err(line_no, format!("cue `{}` ends with `{last}`, not one of {listed}", f[0])));
                }
                preps.push(last.to_string());
                words.pop();
            }
            let stems = lex.intern(&words);
            let key = (stems.clone(), kind as u8);
            let bare = preps.is_empty();
            if let Some(&idx) = by_words.get(&key) {
                let cue = &mut lex.cues[idx as usize];
                cue.bare |= bare;
                for p in preps {
                    if !cue.preps.contains(&p) {
                        cue.preps.push(p);
                    }
                }
                continue;
            }
            let idx = lex.cues.len() as u32;
            by_words.insert(key, idx);
            let n = words[0].chars().count();
            let family: Option<Box<str>> = (n >= 7).then(|| words[0].chars().take(n - 2).collect());
            let family_key =
                family.as_deref().filter(|f| f.is_ascii()).and_then(|f| low_bytes(f.as_bytes(), 0, f.len()));
            lex.cues.push(Cue {
                label: words.join(" "),
                kind,
                category,
                quad_class,
                score,
                frame,
                preps,
                bare,
                family,
                family_key,
                prep_mask: 0,
            });
            lex.cue_index.add(&stems, Item::Cue(idx));
        }
        if !header_seen {
            return Err(err(1, "missing header".into()));
        }
        // A preposition is compared with a word's stem as it is written.
        for cue in &mut lex.cues {
            cue.prep_mask = cue.preps.iter().fold(0, |mask, p| mask | prep_mask(prep_bit(p)));
        }
        lex.cue_index.finish();
        lex.marker_index.finish();
        lex.eval_index.finish();
        lex.cue_second_stems = lex.cue_index.second_stems();
        Ok(lex)
    }

    /// Is `word` a preposition: one a cue may list ([`PREPOSITIONS`]), or
    /// of the tagger's class [`PREPOSITION`](crate::sentence::PREPOSITION)?
    fn is_preposition(&self, word: &str) -> bool {
        PREPOSITIONS.contains(&word)
            || crate::sentence::classify(&self.stem(word), word) & crate::sentence::PREPOSITION != 0
    }

    /// The stem ids of `words`, interning new stems.
    fn intern(&mut self, words: &[&str]) -> Vec<u32> {
        words
            .iter()
            .map(|w| {
                let stem = self.stem(w);
                self.intern_stem(stem)
            })
            .collect()
    }

    fn intern_stem(&mut self, stem: String) -> u32 {
        let next = self.stem_ids.len() as u32;
        *self.stem_ids.entry(stem).or_insert(next)
    }

    /// The classes of a word with stem `stem` (id `stem_id`) and text
    /// `text`: those of [`classify`](crate::sentence::classify), and
    /// [`IN_REPORT_PHRASE`](crate::sentence::IN_REPORT_PHRASE),
    /// [`LONGER_CUES_ONLY`](crate::sentence::LONGER_CUES_ONLY) and
    /// [`CUE_SECOND_WORD`](crate::sentence::CUE_SECOND_WORD), which the
    /// lexicon decides.
    pub(crate) fn word_class(&self, stem: &str, stem_id: u32, text: &str) -> u32 {
        use crate::sentence::{CUE_SECOND_WORD, IN_REPORT_PHRASE, LONGER_CUES_ONLY};
        let mut class = crate::sentence::classify(stem, text);
        if stem_id == NO_STEM {
            return class;
        }
        if self.report_phrase_stems.contains(&stem_id) {
            class |= IN_REPORT_PHRASE;
        }
        if self.cue_index.only_longer(stem_id) {
            class |= LONGER_CUES_ONLY;
        }
        if self.cue_second_stems.binary_search(&stem_id).is_ok() {
            class |= CUE_SECOND_WORD;
        }
        class
    }

    /// The cues that `word` (whose text is `text`) reads as at any token,
    /// when every cue entry starting with its stem is a single word: those
    /// [`Index::all_longest`] gives for it, of the word's family
    /// ([`same_word_family`](crate::sentence::same_word_family)). Both
    /// depend on the word alone, so they are found once per word. `None`
    /// when a longer entry starts with the stem: whether it matches depends
    /// on the words after.
    pub(crate) fn single_word_cues(&self, word: &Word, text: &str) -> Option<Box<[u32]>> {
        let mut items = self.cue_index.single_word_items(word.stem_id)?;
        let first = items.next()?;
        // As `all_longest`: the first entry, then every other one that is
        // not the same cue again.
        let others = items.filter(|&item| !item.repeats(first));
        let cues = std::iter::once(first)
            .chain(others)
            .filter_map(|item| match item {
                Item::Cue(idx) => Some(idx),
                _ => None,
            })
            .filter(|&idx| crate::sentence::same_word_family(&self.cues[idx as usize], word, || text))
            .collect();
        Some(cues)
    }

    /// The id of a stem, or `NO_STEM` when no entry has it.
    pub(crate) fn stem_id(&self, stem: &str) -> u32 {
        self.stem_ids.get(stem).copied().unwrap_or(NO_STEM)
    }

    /// The stem of one lower-case word, apostrophes folded.
    pub(crate) fn stem(&self, word: &str) -> String {
        // ASCII text (most words) lower-cases byte by byte, and holds no
        // curly apostrophe.
        let lower: String = if word.is_ascii() {
            word.to_ascii_lowercase()
        } else {
            word.chars().map(|c| if c == '\u{2019}' { '\'' } else { c }).flat_map(char::to_lowercase).collect()
        };
        if lower == "n't" || lower.ends_with("n't") && lower.len() > 3 {
            // "didn't", "isn't": negation glued to a verb.
            return "n't".to_string();
        }
        self.stemmer.stem(&lower).into_owned()
    }

    pub fn cue_count(&self) -> usize {
        self.cues.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::Span;

    #[test]
    fn one_byte_punctuation_keeps_its_row() {
        let lex = Lexicon::from_tsv("c", "cue\tkind\tcategory\tquad_class\tscore\tframe\n").unwrap();
        let text = b"a, b; c, d--";
        let token = |start: usize, end: usize| Token { span: Span::new(start, end), kind: TokenKind::Punct };
        let tokens: Vec<Token> = [(1, 2), (4, 5), (10, 12), (7, 8)].map(|(a, b)| token(a, b)).to_vec();
        let ids = WordIds::of(std::str::from_utf8(text).unwrap(), &tokens);
        let id = |k: usize| ids.ids()[k];
        Vocab::with(&lex, &ids, |vocab| {
            let mut vocab = vocab.tables();
            let comma = *vocab.row(&lex, text, &tokens[0], id(0));
            let semicolon = *vocab.row(&lex, text, &tokens[1], id(1));
            let dashes = *vocab.row(&lex, text, &tokens[2], id(2));
            assert_ne!(comma.id, semicolon.id);
            assert_ne!(dashes.id, comma.id);
            assert!(comma.class & crate::sentence::COMMA != 0);
            assert!(semicolon.class & crate::sentence::BOUNDARY != 0);
            // The second comma, by its interned id, reads the first one's row.
            assert_eq!(*vocab.row(&lex, text, &tokens[3], id(3)), comma);
        });
    }

    /// "’" is a clitic after "Hamas" and a quote mark elsewhere: one
    /// interned id, two rows. Whichever kind comes first takes the slot by
    /// id, and the other still gets its own row, as often as it comes; the
    /// starts bound holds both rows' bits. (The ASCII "'" likewise.)
    #[test]
    fn a_text_of_two_kinds_keeps_both_rows() {
        let lex = Lexicon::from_tsv("c", "cue\tkind\tcategory\tquad_class\tscore\tframe\n").unwrap();
        // Texts not interned before (the vocabulary is the thread's), the
        // clitic first in one, the quote mark in the other.
        for (text, quote_first) in [("Hamas’ ’", false), ("Hamas' '", true)] {
            let n = (text.len() - 6) / 2;
            let clitic = Token { span: Span::new(5, 5 + n), kind: TokenKind::Clitic };
            let quote = Token { span: Span::new(6 + n, 6 + 2 * n), kind: TokenKind::Punct };
            let tokens = if quote_first { [quote, clitic, quote, clitic] } else { [clitic, quote, clitic, quote] };
            let ids = WordIds::of(text, &tokens);
            assert_eq!(ids.ids()[0], ids.ids()[1]);
            Vocab::with(&lex, &ids, |vocab| {
                assert_eq!(vocab.starts_bound(ids.ids()) & UNSEEN_STARTS, UNSEEN_STARTS);
                let mut tables = vocab.tables();
                let rows: Vec<Row> =
                    tokens.iter().zip(ids.ids()).map(|(t, &id)| *tables.row(&lex, text.as_bytes(), t, id)).collect();
                for (t, row) in tokens.iter().zip(&rows) {
                    assert_eq!(row.kind, t.kind as u8);
                    let possessive = row.class & crate::sentence::POSSESSIVE != 0;
                    assert_eq!(possessive, t.kind == TokenKind::Clitic);
                }
                assert_eq!(rows[0], rows[2]);
                assert_eq!(rows[1], rows[3]);
                assert_eq!(vocab.starts_bound(ids.ids()), rows[0].starts | rows[1].starts);
            });
        }
    }

    /// A word that starts only single-word cues keeps, from when it is first
    /// seen, the cues the cue scan would match at any token, of its family,
    /// in the order of the match; a word that starts a longer entry keeps
    /// none, as the words after it decide whether that entry matches.
    #[test]
    fn single_word_cues_are_kept_with_the_word() {
        let lex = Lexicon::from_tsv(
            "c",
            "cue\tkind\tcategory\tquad_class\tscore\tframe\n\
             criticize\tverb\tACCUSE\tverbal_conflict\t-4\tdirected\n\
             critical of\tadj\tREJECT\tverbal_conflict\t-4\tdirected\n\
             talk to\tverb\tCONSULT\tverbal_cooperation\t2\tsymmetric\n\
             talk with\tverb\tCONSULT\tverbal_cooperation\t2\tsymmetric\n\
             talks\tnoun\tCONSULT\tverbal_cooperation\t2\tsymmetric\n\
             air strikes on\tnoun\tASSAULT\tmaterial_conflict\t-9\tdirected\n",
        )
        .unwrap();
        let text = "Criticized critical talks air strikes";
        let mut tokens = Vec::new();
        let mut start = 0;
        for word in text.split(' ') {
            tokens.push(Token { span: Span::new(start, start + word.len()), kind: TokenKind::Word });
            start += word.len() + 1;
        }
        let ids = WordIds::of(text, &tokens);
        Vocab::with(&lex, &ids, |vocab| {
            let rows: Vec<Row> = (0..tokens.len())
                .map(|k| *vocab.tables().row(&lex, text.as_bytes(), &tokens[k], ids.ids()[k]))
                .collect();
            let labels = |k: usize| {
                let word = vocab.word(rows[k].id);
                assert_eq!(rows[k].starts & SINGLE_CUES != 0, word.cues.is_some());
                word.cues
                    .as_ref()
                    .map(|cues| cues.cues().iter().map(|&c| lex.cues[c as usize].label.as_str()).collect::<Vec<_>>())
            };
            // "critical" is not of the family of "criticize", "criticized" is
            // of both.
            assert_eq!(labels(0), Some(vec!["criticize", "critical"]));
            assert_eq!(labels(1), Some(vec!["critical"]));
            // "talk to" and "talk with" are one cue, given once.
            assert_eq!(labels(2), Some(vec!["talk", "talks"]));
            // "air" starts a longer entry; "strikes" starts none.
            assert_eq!(labels(3), None);
            assert_eq!(labels(4), None);
            // The kept cues are those the index matches at the word, of its
            // family.
            for (k, row) in rows.iter().enumerate() {
                let word = vocab.word(row.id);
                let Some(kept) = &word.cues else { continue };
                let mut items = Vec::new();
                assert_eq!(lex.cue_index.all_longest(std::slice::from_ref(row), &mut items), Some(1));
                let text = tokens[k].text(text);
                let matched: Vec<u32> = items
                    .iter()
                    .filter_map(|item| match *item {
                        Item::Cue(idx) => Some(idx),
                        _ => None,
                    })
                    .filter(|&idx| crate::sentence::same_word_family(&lex.cues[idx as usize], word, || text))
                    .collect();
                assert_eq!(kept.cues(), &matched[..], "{text}");
            }
        });
    }

    /// Readings are held up to three, in order; a longer list is not held
    /// (its word is then matched as one that starts a longer entry).
    #[test]
    fn readings_hold_up_to_three_cues() {
        assert_eq!(Readings::of(&[]).map(|r| r.cues().to_vec()), Some(vec![]));
        assert_eq!(Readings::of(&[9, 2, 5]).map(|r| r.cues().to_vec()), Some(vec![9, 2, 5]));
        assert_eq!(Readings::of(&[1, 2, 3, 4]), None);
    }

    /// Each preposition a cue may list has a bit of its own, within a
    /// `u32` mask; no other text has one, a prefix or a longer word neither.
    #[test]
    fn prepositions_have_distinct_bits() {
        for (i, p) in PREPOSITIONS.iter().enumerate() {
            assert_eq!(prep_bit(p), i as u8 + 1, "{p}");
        }
        assert!(PREPOSITIONS.len() < 32);
        for other in ["", "wit", "without", "With", "among", "toward "] {
            assert_eq!(prep_bit(other), 0, "{other}");
        }
    }

    /// The word classes the lexicon gives `word`, as the vocabulary would
    /// record them.
    fn class_of(lex: &Lexicon, word: &str) -> u32 {
        let stem = lex.stem(word);
        lex.word_class(&stem, lex.stem_id(&stem), word)
    }

    /// Only the words of a report marker of two words or more have the bit
    /// that lets the cue scan look for markers; a one-word report marker, a
    /// phrase of another kind and other words do not.
    #[test]
    fn words_of_report_phrases_have_their_bit() {
        let lex = Lexicon::from_tsv(
            "c",
            "cue\tkind\tcategory\tquad_class\tscore\tframe\naccording to\treport\tREPORT\tneutral\t0\tdirected\nsaid\treport\tREPORT\tneutral\t0\tdirected\nas long as\tcondition\tREPORT\tneutral\t0\tdirected\n",
        )
        .unwrap();
        let phrase = |word: &str| class_of(&lex, word) & crate::sentence::IN_REPORT_PHRASE != 0;
        assert!(phrase("according") && phrase("According") && phrase("to"));
        assert!(!phrase("said") && !phrase("long") && !phrase("attack") && !phrase(","));
    }

    /// A stem whose cue entries all have more than one word has the bit
    /// that lets the cue scan pass over it, and the second words of
    /// entries theirs; a stem with a one-word entry, a later word of an
    /// entry and other words have neither.
    #[test]
    fn words_of_longer_cues_have_their_bits() {
        let lex = Lexicon::from_tsv(
            "c",
            "cue\tkind\tcategory\tquad_class\tscore\tframe\nbuild up forces against\tverb\tMOBILIZE\tmaterial_conflict\t-6\tdirected\ncall on\tverb\tREQUEST\tverbal_cooperation\t2\tdirected\ncall for talks\tverb\tREQUEST\tverbal_cooperation\t2\tdirected\n",
        )
        .unwrap();
        let class = |word: &str| class_of(&lex, word);
        use crate::sentence::{CUE_SECOND_WORD, LONGER_CUES_ONLY};
        assert!(class("build") & LONGER_CUES_ONLY != 0 && class("building") & LONGER_CUES_ONLY != 0);
        assert!(class("up") & CUE_SECOND_WORD != 0 && class("for") & CUE_SECOND_WORD != 0);
        assert!(class("calls") & LONGER_CUES_ONLY == 0, "\"call\" is a cue of one word");
        assert!(class("forces") & (CUE_SECOND_WORD | LONGER_CUES_ONLY) == 0);
        assert!(class("attack") & (CUE_SECOND_WORD | LONGER_CUES_ONLY) == 0);
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = Lexicon::from_tsv(
            "cues.tsv",
            "cue\tkind\tcategory\tquad_class\tscore\tframe\nsupport\tverb\tSUPPORT\tverbal_cooperation\t-5\tdirected\n",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "cues.tsv:2: score -5 does not fit quad_class verbal_cooperation");
        let e = Lexicon::from_tsv(
            "c.tsv",
            "cue\tkind\tcategory\tquad_class\tscore\tframe\n\nattack\tverb\tASSAULT\tmaterial_conflict\t-9\n",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "c.tsv:3: expected 6 tab-separated columns, found 5");
        let e = Lexicon::from_tsv(
            "c.tsv",
            "cue\tkind\tcategory\tquad_class\tscore\tframe\nattack\tverb\tHUG\tmaterial_conflict\t-9\tdirected\n",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "c.tsv:2: unknown category `HUG`");
    }

    /// A cue may end with a preposition it lists; one the tagger knows but
    /// no cue may list is refused, naming the file and line, where it
    /// would have set bit 0 of the cue's mask. No seed cue's mask has it.
    #[test]
    fn unlisted_prepositions_are_refused() {
        let header = "cue\tkind\tcategory\tquad_class\tscore\tframe\n";
        let cue = |words: &str| format!("{words}\tverb\tCOOPERATE\tverbal_cooperation\t2\tdirected\n");
        for (words, prep) in
            [("cooperate among", "among"), ("cooperate with despite", "despite"), ("side unlike", "unlike")]
        {
            let text = format!("{header}{}{}", cue("cooperate"), cue(words));
            let e = Lexicon::from_tsv("cues.tsv", &text).unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("cues.tsv:3: cue `{words}` ends with `{prep}`, not one of with, to,")),
                "{e}"
            );
        }
        // Listed ones, one after another, and a preposition alone.
        let text = format!("{header}{}{}{}", cue("cooperate with against"), cue("cooperate towards"), cue("among"));
        let lex = Lexicon::from_tsv("c", &text).unwrap();
        assert_eq!(lex.cues[0].preps, ["against", "with", "towards"]);
        assert_eq!(lex.cues[1].label, "among");
        let seeds = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds/cues.tsv")).unwrap();
        let lex = Lexicon::from_tsv("cues.tsv", &seeds).unwrap();
        assert!(lex.cues.iter().all(|c| c.prep_mask & 1 == 0 && c.prep_mask.count_ones() as usize == c.preps.len()));
        assert!(lex.cues.iter().filter(|c| !c.preps.is_empty()).count() > 100);
    }

    #[test]
    fn inflections_share_a_stem_and_prepositions_merge() {
        let lex = Lexicon::from_tsv(
            "c",
            "cue\tkind\tcategory\tquad_class\tscore\tframe\nsupply\tverb\tAID\tmaterial_cooperation\t6\tdirected\ncooperate with\tverb\tCOOPERATE\tmaterial_cooperation\t5\tdirected\ncooperate\tverb\tCOOPERATE\tmaterial_cooperation\t5\tdirected\n",
        )
        .unwrap();
        assert_eq!(lex.stem("supplying"), lex.stem("supply"));
        assert_eq!(lex.stem("Supplies"), lex.stem("supply"));
        assert_eq!(lex.cue_count(), 2);
        assert_eq!(lex.cues[1].preps, ["with"]);
        assert_eq!(lex.cues[1].prep_mask, prep_mask(prep_bit("with")));
        assert_eq!(lex.cues[0].prep_mask, 0);
        assert_eq!(lex.stem("didn’t"), "n't");
    }
}
