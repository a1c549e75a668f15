//! One sentence seen by the stance tagger: its tokens' stems, its mentions,
//! its cues and markers, and the attachment rules that turn a cue into
//! source/target pairs.

use crate::author::Evaluation;
use crate::lexicon::{
    CLAUSE, CLAUSE_AFTER_COMMA, CUE, Cue, CueKind, EVALUATIVE, Frame, Item, Lexicon, MARKER, Marker, NOTHING_WORD,
    Readings, Row, SINGLE_CUES, Vocab, Word, prep_bit, prep_mask,
};
use crate::modality::{self, Found};
use std::cell::{Cell, Ref, RefCell};
use std::num::NonZeroU32;
use std::sync::OnceLock;

#[cfg(test)]
use dyad_core::bytes_held;
use dyad_core::hash::{FnvHashMap, LOW_BYTES};
use dyad_core::{
    ActorId, Category, Document, KEPT_BUFFER_BYTES, Mention, Modality, Stance, Token, TokenKind, Tokenized,
    let_go_above,
};

/// Stems of the verb "to be" and "to get" that make a participle passive.
const BE: &[&str] = &["is", "are", "was", "were", "been", "be", "be", "get", "got", "gotten"];
/// Irregular past participles of cue verbs.
const PARTICIPLES: &[&str] =
    &["struck", "hit", "shot", "fought", "sought", "held", "beaten", "bought", "sold", "given"];
/// Prepositions after which a mention is an object, not a subject.
const PREPOSITIONS: &[&str] = &[
    "with",
    "to",
    "on",
    "against",
    "over",
    "of",
    "from",
    "into",
    "in",
    "toward",
    "toward",
    "for",
    "at",
    "about",
    "between",
    "by",
    "among",
    "amid",
    "despit",
    "like",
    "than",
    "beyond",
    "within",
    "insid",
    "across",
    "throughout",
    "through",
    "under",
    "behind",
    "around",
    "near",
    "via",
    "versus",
    "upon",
    "dure",
    "unlik",
];
/// The [`prep_bit`]s of "from" and "against", which the attachment rules
/// look for in a cue's prepositions.
const FROM_PREP: u8 = prep_bit("from");
const AGAINST_PREP: u8 = prep_bit("against");
/// Prepositions after which a mention is a place, never a target unless the
/// cue asks for them ("invest in").
const LOCATIVES: &[&str] = &["in", "insid", "within", "across", "throughout", "around", "near", "at"];

/// Word classes of a token, computed once per distinct text
/// ([`classify`]) so that the attachment rules test bits, not word lists.
pub(crate) const PREPOSITION: u32 = 1;
pub(crate) const LOCATIVE: u32 = 1 << 1;
pub(crate) const FUNCTION: u32 = 1 << 2;
pub(crate) const DETERMINER: u32 = 1 << 3;
pub(crate) const MODIFIER: u32 = 1 << 4;
pub(crate) const BOUNDARY: u32 = 1 << 5;
pub(crate) const COMMA: u32 = 1 << 6;
/// The text starts with an upper-case letter.
pub(crate) const UPPER: u32 = 1 << 7;
/// The stem "and": with a comma before it, it ends a clause. A bit, so that
/// the clause tables never read a stem's text.
pub(crate) const AND: u32 = 1 << 8;
/// The stems "or", "'s", "the", "by", "from" and those of [`BE`]: bits, so
/// that the attachment rules compare no stem text for them.
pub(crate) const OR: u32 = 1 << 9;
pub(crate) const POSSESSIVE: u32 = 1 << 10;
pub(crate) const THE: u32 = 1 << 11;
pub(crate) const BY: u32 = 1 << 12;
pub(crate) const FROM: u32 = 1 << 13;
pub(crate) const BE_VERB: u32 = 1 << 14;
pub(crate) const OF: u32 = 1 << 15;
/// "that", "which", "while"...: a word that starts a clause.
pub(crate) const COMPLEMENTIZER: u32 = 1 << 16;
/// Words before a noun ("new", "further", "of"): the cue after them is not
/// a verb ([`View::verb_context`]).
pub(crate) const BEFORE_NOUN: u32 = 1 << 17;
/// "the", "a", "an".
pub(crate) const ARTICLE: u32 = 1 << 18;
/// Adverbs that may stand between "to be" and a participle.
pub(crate) const ADVERB: u32 = 1 << 19;
/// "noth" (the stem of "nothing") and "nothing".
pub(crate) const NOTHING: u32 = 1 << 20;
/// The stem "between", which every mutual cue looks for after it
/// ([`View::between`]).
pub(crate) const BETWEEN: u32 = 1 << 21;
/// The text ".".
pub(crate) const FULL_STOP: u32 = 1 << 22;
/// The text ends with "ing", "ed" or "s" (as written: lower case): the
/// rules that tell gerunds, participles and plural nouns test these bits,
/// not the token's bytes. Exact for every token kind: no number, clitic or
/// punctuation text ends so (the clitic's row, of the stem `'s`, has
/// `ENDS_S`, but no rule asks a clitic).
pub(crate) const ENDS_ING: u32 = 1 << 23;
pub(crate) const ENDS_ED: u32 = 1 << 24;
pub(crate) const ENDS_S: u32 = 1 << 25;
/// In any case, the text ends with "ed" or is one of [`PARTICIPLES`]: a
/// participle, for the passive test ([`is_participle`]).
pub(crate) const PARTICIPLE: u32 = 1 << 26;
/// In lower case, the text is "his", "her", "its", "their" or a reflexive
/// pronoun: a pronoun mention to look past for a cue's object.
pub(crate) const OWN_PRONOUN: u32 = 1 << 27;
/// The stem is a word of a report marker of more than one word ("according
/// to"): set by the lexicon ([`Lexicon::word_class`]), not by [`classify`].
/// A cue word without it is inside no such marker, so the cue scan need not
/// find the sentence's markers to know it.
pub(crate) const IN_REPORT_PHRASE: u32 = 1 << 28;
/// Every cue entry starting with the stem has more than one word: set by
/// the lexicon ([`Lexicon::word_class`]). With [`CUE_SECOND_WORD`], it
/// lets the cue scan pass over such a word without matching the index.
pub(crate) const LONGER_CUES_ONLY: u32 = 1 << 29;
/// The stem is the second word of some cue entry (set by the lexicon). A
/// word of [`LONGER_CUES_ONLY`] before a word without it starts no cue.
pub(crate) const CUE_SECOND_WORD: u32 = 1 << 30;
/// The texts of [`OWN_PRONOUN`], in lower case.
const OWN_PRONOUNS: &[&str] = &["his", "her", "its", "their", "itself", "themselves", "himself", "herself"];

/// Is `text` a past participle: ending with "ed" or one of the irregular
/// [`PARTICIPLES`], in any case? Lower-cased without a copy for ASCII text.
fn is_participle(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_ascii() {
        bytes.len() >= 2 && bytes[bytes.len() - 2..].eq_ignore_ascii_case(b"ed")
            || PARTICIPLES.iter().any(|p| bytes.eq_ignore_ascii_case(p.as_bytes()))
    } else {
        let w = text.to_lowercase();
        w.ends_with("ed") || PARTICIPLES.contains(&w.as_str())
    }
}

/// Function words other than prepositions: an -ing form after one of them
/// may still be a verb.
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "is", "are", "was", "were", "be", "been", "has", "have", "had", "and", "or", "not", "it",
    "their", "his", "her", "this", "that", "while", "when", "also", "still", "keep", "continu", "stop", "start",
    "began", "begin",
];
/// Articles, possessives and demonstratives (as stems): the words of a noun
/// phrase's start.
const DETERMINERS: &[&str] =
    &["the", "a", "an", "it", "their", "his", "her", "our", "this", "these", "those", "'s", "ani", "such"];
/// Stems that are modifiers whatever their text, besides the determiners.
const ALWAYS_MODIFIERS: &[&str] = &["that", "-", "own", "both", "all", "other", "some", "mani", "sever", "each"];
/// Stems that are never modifiers, besides the prepositions.
const NEVER_MODIFIERS: &[&str] =
    &["and", "or", "but", "which", "who", "that", "is", "are", "was", "were", "has", "have", "had", "to", "not"];
/// Stems and texts that separate clauses.
const BOUNDARY_STEMS: &[&str] = &["but", "wherea"];
const BOUNDARY_TEXTS: &[&str] = &[";", ":", "—", "–", "(", ")", "--"];
const COMPLEMENTIZERS: &[&str] = &["that", "which", "who", "when", "while", "after", "befor", "as"];
const BEFORE_NOUNS: &[&str] = &[
    "no", "new", "further", "more", "continu", "renew", "recent", "bilater", "direct", "indirect", "of", "for", "in",
    "with",
];
const ARTICLES: &[&str] = &["the", "a", "an"];
const NOTHINGS: &[&str] = &["noth", "nothing"];
/// Adverbs besides the stems ending in "li".
const ADVERBS: &[&str] = &["also", "then", "repeat", "himself", "herself", "itself", "themselv"];

/// Bits of [`stem_classes`] that are no class: whether a stem is a
/// modifier whatever its text, or never one. Above a class's 32 bits, all
/// of which a class may use.
const ALWAYS_MODIFIER: u64 = 1 << 32;
const NEVER_MODIFIER: u64 = 1 << 33;

/// The classes that a stem alone decides, for every stem listed above,
/// built once: classifying a new word is one lookup here, where it was some
/// two hundred string comparisons.
fn stem_classes() -> &'static FnvHashMap<&'static str, u64> {
    static TABLE: OnceLock<FnvHashMap<&'static str, u64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = FnvHashMap::default();
        for (stems, bit) in [
            (PREPOSITIONS, u64::from(PREPOSITION | FUNCTION) | NEVER_MODIFIER),
            (LOCATIVES, u64::from(LOCATIVE)),
            (FUNCTION_WORDS, u64::from(FUNCTION)),
            (DETERMINERS, u64::from(DETERMINER) | ALWAYS_MODIFIER),
            (ALWAYS_MODIFIERS, ALWAYS_MODIFIER),
            (NEVER_MODIFIERS, NEVER_MODIFIER),
            (BOUNDARY_STEMS, u64::from(BOUNDARY)),
            (&["and"], u64::from(AND)),
            (&["or"], u64::from(OR)),
            (&["'s"], u64::from(POSSESSIVE)),
            (&["the"], u64::from(THE)),
            (&["by"], u64::from(BY)),
            (&["from"], u64::from(FROM)),
            (BE, u64::from(BE_VERB)),
            (&["of"], u64::from(OF)),
            (COMPLEMENTIZERS, u64::from(COMPLEMENTIZER)),
            (BEFORE_NOUNS, u64::from(BEFORE_NOUN)),
            (ARTICLES, u64::from(ARTICLE)),
            (NOTHINGS, u64::from(NOTHING)),
            (&["between"], u64::from(BETWEEN)),
            (ADVERBS, u64::from(ADVERB)),
        ] {
            for &stem in stems {
                *table.entry(stem).or_insert(0) |= bit;
            }
        }
        table
    })
}

/// The classes of a token with stem `stem` (empty for punctuation and
/// numbers) and text `text`.
pub(crate) fn classify(stem: &str, text: &str) -> u32 {
    let listed = stem_classes().get(stem).copied().unwrap_or(0);
    // The low 32 bits: the classes; the modifier bits lie above them.
    let mut class = listed as u32;
    // Words that may stand between a preposition or cue and the actor it
    // governs: determiners, possessives and lower-case modifiers.
    let modifier = if listed & ALWAYS_MODIFIER != 0 {
        true
    } else if stem.is_empty() {
        matches!(text, "-" | "’" | "'")
    } else {
        text.chars().next().is_some_and(char::is_lowercase) && listed & NEVER_MODIFIER == 0
    };
    for (yes, bit) in [
        (modifier, MODIFIER),
        (BOUNDARY_TEXTS.contains(&text), BOUNDARY),
        (text == ",", COMMA),
        (text == ".", FULL_STOP),
        (stem.ends_with("li"), ADVERB),
        (text.chars().next().is_some_and(char::is_uppercase), UPPER),
        (text.ends_with("ing"), ENDS_ING),
        (text.ends_with("ed"), ENDS_ED),
        (text.ends_with('s'), ENDS_S),
        (is_participle(text), PARTICIPLE),
        (is_own_pronoun(text), OWN_PRONOUN),
    ] {
        if yes {
            class |= bit;
        }
    }
    class
}

/// Is `text`, in lower case, one of [`OWN_PRONOUNS`]? Without a copy for
/// ASCII text.
fn is_own_pronoun(text: &str) -> bool {
    if text.is_ascii() {
        OWN_PRONOUNS.iter().any(|p| text.eq_ignore_ascii_case(p))
    } else {
        OWN_PRONOUNS.contains(&text.to_lowercase().as_str())
    }
}

pub(crate) struct View<'a, 'l> {
    doc: &'a Document,
    toks: &'a [Token],
    /// Per-token tables, in buffers handed from sentence to sentence.
    s: &'a mut Scratch,
    vocab: &'a Vocab,
    tokens: &'a Tokenized,
    mentions: &'a [Mention],
    /// Index of `mentions[0]` in the document's mention list.
    mention_base: usize,
    sentence: u32,
    /// The primary actor of each of `mentions`.
    primaries: &'a [ActorId],
    lexicon: &'l Lexicon,
}

/// A sentence's per-token tables. One value per thread is reused for every
/// sentence (lent to each sentence's [`View`], [`Scratch::clear`]), so a
/// sentence allocates nothing once the buffers are large enough.
#[derive(Default)]
pub(crate) struct Scratch {
    /// For each token, its word's [`Row`]: its vocabulary id (a token's
    /// stem is its word's), lexicon stem id (`NO_STEM` for punctuation and
    /// unknown stems), the lexicon indexes with an entry starting there and
    /// its word classes ([`classify`]). One table, not four: a token's row
    /// is written with one store of what the lookup found.
    rows: Vec<Row>,
    /// The tokens where some entry starts or that may end a clause
    /// ([`CLAUSE`]), in order: the scans for cues,
    /// markers, evaluative words and clause boundaries visit only these.
    /// Each with its row's `starts` bits, so that the scans pick their
    /// tokens without a second load from `rows`. The first `listed` entries:
    /// the buffer is as long as the longest sentence, so that
    /// [`known_rows`] writes every token's entry and counts only those
    /// listed, without a branch ([`Scratch::starts_at`]).
    starts_at: Vec<(u32, u8)>,
    listed: usize,
    /// The clause boundaries, in order ([`View::clause_start`],
    /// [`View::clause_end`]): a sentence has a few, and searching them costs
    /// less than a table of every token's clause.
    /// The first `bounded` entries: the buffer is kept as long as the
    /// longest list of clause-end candidates, so that [`View::new`] writes
    /// every candidate and counts only the boundaries, without a branch.
    bounds: Vec<u32>,
    bounded: usize,
    /// The listed tokens where a cue may start ([`View::cues`]): the first
    /// `cued` entries, written with `bounds` in the same way. A filter of
    /// the list by bit mispredicted about once a cue.
    cue_starts: Vec<u32>,
    cued: usize,
    /// For each token, the index into `mentions` of the mention covering it.
    /// Kept one more than the index, so that "none" is zero and the table
    /// is cleared like zeroed memory ([`View::mention_at`]).
    mention_of: Vec<Option<NonZeroU32>>,
    /// For each mention, its first and end token relative to the
    /// sentence ([`View::mention_start`], [`View::mention_end`]): the rules
    /// ask for them again and again, and the mentions themselves are wide.
    spans: Vec<(u32, u32)>,
    /// For each mention, the token of its governing preposition, `NONE`,
    /// or `UNKNOWN` until [`View::governing_token`] first asks: the
    /// attachment rules ask about the same mentions again and again.
    governing: Vec<Cell<u32>>,
    /// The sentence's markers, found on first need ([`View::markers`]):
    /// most sentences that a cue admits end with no candidate, and ask for
    /// none.
    markers: RefCell<Vec<Found>>,
    /// Whether `markers` holds this sentence's markers yet.
    markers_found: Cell<bool>,
    /// The union of the sentence's rows' `starts` bits ([`Scratch::words`]).
    starts_union: u8,
}

/// The buffers of [`View::stances`] that refer into the lexicon, reused
/// from sentence to sentence of a document: a few small vectors per
/// sentence and per cue were a tenth of the tagger's cost. Apart from the
/// [`Scratch`] that the view borrows, so that `stances` can fill them while
/// reading the view.
#[derive(Default)]
pub(crate) struct StanceBuffers<'a> {
    cues: Vec<CueAt<'a>>,
    /// The cues among the entries matching at one token that may be read
    /// there.
    readings: Vec<&'a Cue>,
}

/// `buffers` emptied, their allocations kept, for references of another
/// lifetime: a thread keeps them (as `StanceBuffers<'static>`) from one
/// document to the next, where each document's cues refer to the lexicon
/// it is tagged with. A huge document's buffers are let go.
pub(crate) fn recycle<'x, 'y>(buffers: StanceBuffers<'x>) -> StanceBuffers<'y> {
    let mut buffers = StanceBuffers { cues: emptied(buffers.cues), readings: emptied(buffers.readings) };
    let_go_above(&mut buffers.cues, KEPT_BUFFER_BYTES);
    let_go_above(&mut buffers.readings, KEPT_BUFFER_BYTES);
    buffers
}

/// `v` emptied and turned into a vector of `U`, a type of the same size and
/// alignment, keeping its allocation: std collects a vector's own iterator
/// into the vector's buffer when the layouts agree (see the test
/// `emptied_keeps_the_allocation`).
fn emptied<T, U>(v: Vec<T>) -> Vec<U> {
    v.into_iter().filter_map(|_| None).collect()
}

/// The buffers of [`View::stances`] that hold no reference: kept per
/// thread from document to document, so that a document does not grow
/// them afresh (a few allocations each, in every document).
#[derive(Default)]
pub(crate) struct Kept {
    /// The entries matching at one token ([`Index::all_longest`](crate::lexicon::Index::all_longest)).
    items: Vec<Item>,
    groups: Groups,
    cands: Vec<Candidate>,
    /// The label buffers of the stances of an earlier document, given back
    /// for the labels of new ones ([`crate::tag_words_into`]).
    pub(crate) labels: Vec<String>,
}

impl Kept {
    /// Lets go of any buffer above `max_bytes` ([`Scratch::let_go_above`]).
    /// The labels are not bounded here: [`crate::tag_words_into`] keeps
    /// at most [`crate::LABELS_KEPT`] of them.
    pub(crate) fn let_go_above(&mut self, max_bytes: usize) {
        let_go_above(&mut self.items, max_bytes);
        let_go_above(&mut self.groups.pairs, max_bytes);
        let_go_above(&mut self.groups.sources, max_bytes);
        let_go_above(&mut self.groups.targets, max_bytes);
        let_go_above(&mut self.cands, max_bytes);
    }

    /// The bytes of the largest buffer's allocation, the labels' list
    /// included.
    #[cfg(test)]
    pub(crate) fn largest_buffer_bytes(&self) -> usize {
        [
            bytes_held(&self.items),
            bytes_held(&self.groups.pairs),
            bytes_held(&self.groups.sources),
            bytes_held(&self.groups.targets),
            bytes_held(&self.cands),
            bytes_held(&self.labels),
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
    }

    /// Grows every buffer but the labels to hold `n` more values than it
    /// has.
    #[cfg(test)]
    pub(crate) fn reserve_all(&mut self, n: usize) {
        self.items.reserve(n);
        self.groups.pairs.reserve(n);
        self.groups.sources.reserve(n);
        self.groups.targets.reserve(n);
        self.cands.reserve(n);
    }
}

/// The buffers of [`View::attach`].
#[derive(Default)]
struct Groups {
    /// `(source, target, symmetric, confidence)`.
    pairs: Vec<(usize, usize, bool, f32)>,
    sources: Vec<usize>,
    targets: Vec<usize>,
}

const UNKNOWN: u32 = u32::MAX;
const NONE: u32 = u32::MAX - 1;

impl Scratch {
    /// Empties the buffers, keeping their allocations. The rows are left
    /// for [`Scratch::words`], which sizes them to the sentence and writes
    /// every one: only the part past the last sentence's length is filled.
    pub(crate) fn clear(&mut self) {
        self.listed = 0;
        self.bounded = 0;
        self.cued = 0;
        self.mention_of.clear();
        self.spans.clear();
        self.governing.clear();
        self.markers.get_mut().clear();
        self.markers_found.set(false);
    }

    /// The tokens listed by [`Scratch::words`] with their `starts` bits.
    fn starts_at(&self) -> &[(u32, u8)] {
        &self.starts_at[..self.listed]
    }

    /// The clause boundaries [`View::new`] found, in order.
    fn bounds(&self) -> &[u32] {
        &self.bounds[..self.bounded]
    }

    /// The listed tokens where a cue may start, as [`View::new`] found them.
    fn cue_starts(&self) -> &[u32] {
        &self.cue_starts[..self.cued]
    }

    /// Lets go of any buffer above `max_bytes`, so that a huge sentence's
    /// tables are not kept for the small ones of the documents after it
    /// ([`let_go_above`]); called once a document is tagged.
    pub(crate) fn let_go_above(&mut self, max_bytes: usize) {
        let_go_above(&mut self.rows, max_bytes);
        let_go_above(&mut self.starts_at, max_bytes);
        self.listed = self.listed.min(self.starts_at.len());
        let_go_above(&mut self.bounds, max_bytes);
        self.bounded = self.bounded.min(self.bounds.len());
        let_go_above(&mut self.cue_starts, max_bytes);
        self.cued = self.cued.min(self.cue_starts.len());
        let_go_above(&mut self.mention_of, max_bytes);
        let_go_above(&mut self.spans, max_bytes);
        let_go_above(&mut self.governing, max_bytes);
        let_go_above(self.markers.get_mut(), max_bytes);
    }

    /// The bytes of the largest buffer's allocation.
    #[cfg(test)]
    pub(crate) fn largest_buffer_bytes(&self) -> usize {
        [
            bytes_held(&self.rows),
            bytes_held(&self.starts_at),
            bytes_held(&self.bounds),
            bytes_held(&self.cue_starts),
            bytes_held(&self.mention_of),
            bytes_held(&self.spans),
            bytes_held(&self.governing),
            bytes_held(&self.markers.borrow()),
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
    }

    /// Grows every buffer to hold `n` more values than it has.
    #[cfg(test)]
    pub(crate) fn reserve_all(&mut self, n: usize) {
        self.rows.reserve(n);
        self.starts_at.reserve(n);
        self.bounds.reserve(n);
        self.cue_starts.reserve(n);
        self.mention_of.reserve(n);
        self.spans.reserve(n);
        self.governing.reserve(n);
        self.markers.get_mut().reserve(n);
    }

    /// Looks up the tokens `toks` of a sentence, whose interned ids are
    /// `ids`, in `vocab` and fills the
    /// per-token word tables; returns the lexicon indexes with an entry
    /// starting at some token (`CUE`, `MARKER`, `EVALUATIVE` bits). Each word
    /// is read from the vocabulary once, here.
    pub(crate) fn words(
        &mut self,
        vocab: &mut Vocab,
        lexicon: &Lexicon,
        text: &str,
        toks: &[Token],
        ids: &[u32],
    ) -> u8 {
        // The table is sized first (its new part zeroed) and each
        // row copied in as bytes: a typed copy of a `Row` was split by LLVM
        // into a move per field, through the stack. The tokens whose rows
        // the table by id holds, most, are copied by a loop without a call;
        // the others take one, between its runs.
        let bytes = text.as_bytes();
        let n = toks.len().min(ids.len());
        self.rows.resize(n, Row::default());
        if self.starts_at.len() < n {
            self.starts_at.resize(n, (0, 0));
        }
        let mut tables = vocab.tables();
        let (mut k, mut listed, mut union) = (0, 0, 0);
        loop {
            let by_id = tables.by_id();
            (k, listed, union) =
                known_rows(by_id, &toks[..n], &ids[..n], &mut self.rows[..n], &mut self.starts_at, listed, union, k);
            if k == n {
                break;
            }
            let row = tables.row(lexicon, bytes, &toks[k], ids[k]);
            self.rows[k] = *row;
            if row.starts != 0 {
                self.starts_at[listed] = (k as u32, row.starts);
                listed += 1;
                union |= row.starts;
            }
            k += 1;
        }
        self.listed = listed;
        self.starts_union = union;
        union
    }
}

/// Copies into `rows` the rows of `toks` (interned ids `ids`) from `k` on
/// while the table `by_id` holds them for their kind, listing in
/// `starts_at` (after its first `listed` entries) those that start
/// something, and the union of their `starts` into `union`; returns
/// where it stopped (a token the table does not hold, or the end), how
/// many are listed and the union (one `or` a token: a loop over the list
/// afterwards mispredicted its exit in most sentences). Every token's entry is written
/// and the count advanced only for those that start something: a branch
/// on the row's `starts` was the largest single source of mispredicts in
/// the tagger (about a token in four is listed, in no pattern).
/// No call in the loop (the
/// list has room for every token), so that
/// its values stay in registers: with the call for a new text inside, they
/// were kept on the stack and loaded again for every token. Not inlined:
/// in the pipeline's one large function (LTO), the loop's values were
/// kept on the stack all the same.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn known_rows(
    by_id: &[Row],
    toks: &[Token],
    ids: &[u32],
    rows: &mut [Row],
    starts_at: &mut [(u32, u8)],
    mut listed: usize,
    mut union: u8,
    mut k: usize,
) -> (usize, usize, u8) {
    // `by_id` is a power of two long ([`Tables::by_id`](crate::lexicon::Tables::by_id)): an id masked by
    // `mask` is the id itself, and the compiler drops the bounds test of
    // the load (an `and` for a compare and a branch).
    // (A `u32`, as the ids are: masked in 64 bits, the compiler narrowed
    // the `and` and lost the bound.) Every table by id is far shorter.
    let Some(mask) = by_id.len().checked_sub(1) else { return (k, listed, union) };
    let mask = mask as u32;
    let by_id = &by_id[..=mask as usize];
    // `listed <= k`: the test on `listed` never stops the loop where the
    // others would not, and spares the store its bounds check.
    while k < toks.len() && k < ids.len() && k < rows.len() && listed < starts_at.len() {
        let row = &by_id[(ids[k] & mask) as usize];
        if row.kind != toks[k].kind as u8 {
            break;
        }
        std::slice::from_mut(&mut rows[k]).copy_from_slice(std::slice::from_ref(row));
        starts_at[listed] = (k as u32, row.starts);
        listed += usize::from(row.starts != 0);
        union |= row.starts;
        k += 1;
    }
    (k, listed, union)
}

/// A cue found in the sentence.
struct CueAt<'l> {
    at: usize,
    len: usize,
    cue: &'l Cue,
}

/// A stance before deduplication, with mention indices local to the sentence.
struct Candidate {
    source: usize,
    target: usize,
    symmetric: bool,
    cue_at: usize,
    cue_len: usize,
    /// The index of the cue in the sentence's cues.
    cue_index: usize,
    /// How the label differs from the cue's own (a modifier's, "not ...",
    /// "refrain from ..."): the label is only written out, without
    /// `format!`, for the candidates [`View::emit`] keeps.
    label: Label,
    category: Category,
    quad: dyad_core::QuadClass,
    polarity: i8,
    score: f32,
    modality: Modality,
    confidence: f32,
    /// A neutral relation noun: yields to any other cue for the same pair.
    weak: bool,
    /// The primary actors of `source` and `target`.
    actors: (ActorId, ActorId),
}

/// A candidate's label as its parts: `[prefix][modifier ]cue[ against]`,
/// where `cue` is the lexicon's label of the candidate's cue.
#[derive(Clone, Copy, Default)]
struct Label {
    /// The index in the sentence's cues of the modifier that gives a
    /// relation noun its sign ("strained ties").
    modifier: Option<usize>,
    /// Cooperation aimed against the target ("coalition against").
    against: bool,
    prefix: Prefix,
}

/// What a candidate's modality puts before its label.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Prefix {
    #[default]
    None,
    Not,
    RefrainFrom,
}

impl Label {
    /// Writes the label of a candidate of `cue` into `out` (cleared first:
    /// a recycled label's buffer), `cues` being the sentence's cues.
    fn write(self, cue: &Cue, cues: &[CueAt<'_>], out: &mut String) {
        let prefix = match self.prefix {
            Prefix::None => "",
            Prefix::Not => "not ",
            Prefix::RefrainFrom => "refrain from ",
        };
        let modifier = self.modifier.map_or("", |m| cues[m].cue.label.as_str());
        let against = if self.against { " against" } else { "" };
        out.clear();
        out.reserve(prefix.len() + modifier.len() + 1 + cue.label.len() + against.len());
        out.push_str(prefix);
        if !modifier.is_empty() {
            out.push_str(modifier);
            out.push(' ');
        }
        out.push_str(&cue.label);
        out.push_str(against);
    }
}

impl Candidate {
    /// The two primary actors, in order of id.
    fn pair(&self) -> (ActorId, ActorId) {
        let (a, b) = self.actors;
        if a <= b { (a, b) } else { (b, a) }
    }
}

impl<'a, 'l> View<'a, 'l> {
    /// The view of sentence `si`, whose word tables [`Scratch::words`] has
    /// filled. The clause boundaries, which only [`View::stances`] reads,
    /// are found only `for_stances`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        doc: &'a Document,
        tokens: &'a Tokenized,
        si: usize,
        mentions: &'a [Mention],
        mention_base: usize,
        primaries: &'a [ActorId],
        lexicon: &'l Lexicon,
        vocab: &'a Vocab,
        for_stances: bool,
        s: &'a mut Scratch,
    ) -> View<'a, 'l> {
        let sentence = tokens.sentences[si];
        let toks = &tokens.tokens[sentence.token_range()];
        let first = sentence.first_token as usize;
        let n = toks.len();
        s.mention_of.resize(n, None);
        s.governing.resize(mentions.len(), Cell::new(UNKNOWN));
        for (i, m) in mentions.iter().enumerate() {
            let start = m.first_token.saturating_sub(first as u32);
            let end = m.end_token.saturating_sub(first as u32);
            s.spans.push((start, end));
            let b = (end as usize).min(n);
            for slot in &mut s.mention_of[(start as usize).min(b)..b] {
                *slot = NonZeroU32::new(i as u32 + 1);
            }
        }
        if for_stances {
            // A clause ends before punctuation that separates clauses, "but",
            // or ", and" joining two clauses. Only the tokens of those classes
            // are visited: [`Scratch::words`] listed them with the tokens
            // that start entries.
            // `CLAUSE` marks the rows of the boundaries, `CLAUSE_AFTER_COMMA`
            // those of "and": only the row before is read.
            // Every listed token is written and the count advanced only for
            // a boundary, without a branch: the classes come in no pattern.
            let listed = &s.starts_at[..s.listed];
            for list in [&mut s.bounds, &mut s.cue_starts] {
                if list.len() < listed.len() {
                    list.resize(listed.len(), 0);
                }
            }
            let (mut bounded, mut cued) = (0, 0);
            for &(j, starts) in listed {
                s.cue_starts[cued] = j;
                cued += usize::from(starts & CUE != 0);
                // Before the first token, no comma (without a branch: the
                // first token is listed often enough to mispredict).
                let after_comma = (j > 0) & (s.rows[(j as usize).saturating_sub(1)].class & COMMA != 0);
                s.bounds[bounded] = j;
                bounded += usize::from((starts & CLAUSE != 0) | ((starts & CLAUSE_AFTER_COMMA != 0) & after_comma));
            }
            (s.bounded, s.cued) = (bounded, cued);
        }
        View { doc, toks, s, vocab, tokens, mentions, mention_base, sentence: si as u32, primaries, lexicon }
    }

    /// The sentence's markers, found the first time they are asked for.
    fn markers(&self) -> Ref<'_, [Found]> {
        if !self.s.markers_found.get() {
            self.find_markers(&mut self.s.markers.borrow_mut());
            self.s.markers_found.set(true);
        }
        Ref::map(self.s.markers.borrow(), Vec::as_slice)
    }

    /// The index into `mentions` of the mention covering token `k`.
    fn mention_at(&self, k: usize) -> Option<u32> {
        self.s.mention_of[k].map(|m| m.get() - 1)
    }

    /// Does token `k` have any of the classes `bits`? Past the end, no.
    fn is(&self, k: usize, bits: u32) -> bool {
        self.s.rows.get(k).is_some_and(|r| r.class & bits != 0)
    }

    /// The first token of `from..to` (cut at the sentence's end) with any
    /// of the classes `bits`: one scan of the rows, not a bounds test per
    /// token.
    fn first_of(&self, from: usize, to: usize, bits: u32) -> Option<usize> {
        let rows = self.s.rows.get(from..to.min(self.s.rows.len()))?;
        rows.iter().position(|r| r.class & bits != 0).map(|at| from + at)
    }

    fn text(&self, k: usize) -> &'a str {
        self.toks[k].text(&self.doc.text)
    }

    /// The bytes of token `k`: for comparisons with ASCII text, without the
    /// char-boundary checks of slicing a `str`.
    fn bytes(&self, k: usize) -> &'a [u8] {
        &self.doc.text.as_bytes()[self.toks[k].span.range()]
    }

    /// Does token `k` start with a lower-case letter?
    fn starts_lower(&self, k: usize) -> bool {
        match self.bytes(k).first() {
            Some(b) if b.is_ascii() => b.is_ascii_lowercase(),
            Some(_) => self.text(k).chars().next().is_some_and(char::is_lowercase),
            None => false,
        }
    }

    /// The lower-case stem of token `k`, empty for punctuation and past
    /// the end.
    fn stem(&self, k: usize) -> &'a str {
        self.s.rows.get(k).map_or("", |r| &self.vocab.word(r.id).stem)
    }

    /// The rows from token `from` on, at most four: as long as any entry.
    fn window(&self, from: usize) -> &[Row] {
        &self.s.rows[from..(from + 4).min(self.s.rows.len())]
    }

    fn find_markers(&self, out: &mut Vec<Found>) {
        // Tokens before `next` are inside a marker already found.
        let mut next = 0;
        for k in self.starting(MARKER) {
            // "United States" holds no "stated"; "in early May" no "may".
            if k < next || self.mention_at(k).is_some() || (k > 0 && self.is(k, UPPER)) {
                continue;
            }
            if let Some((len, Item::Marker(marker))) = self.lexicon.marker_index.longest(self.window(k)) {
                // "maritime claims", "the reports": a noun counts as reporting
                // only in "claims that", "reports of".
                let noun = len == 1 && self.is(k, ENDS_S) && self.stem(k) != "say";
                if marker == Marker::Report && noun && !matches!(self.stem(k + 1), "that" | "of") {
                    continue;
                }
                out.push(Found { at: k, len, marker });
                next = k + len;
            }
        }
    }

    /// The tokens where an entry of the index `bit` (`MARKER`,
    /// `EVALUATIVE`) may start, in order.
    fn starting(&self, bit: u8) -> impl Iterator<Item = usize> + '_ {
        self.s.starts_at().iter().filter(move |&&(_, starts)| starts & bit != 0).map(|&(k, _)| k as usize)
    }

    /// The cues of the sentence, into `out`; `items` and `cues` are
    /// buffers.
    fn cues(&self, out: &mut Vec<CueAt<'l>>, items: &mut Vec<Item>, cues: &mut Vec<&'l Cue>) {
        out.clear();
        // Tokens before `next` belong to an entry already read.
        let mut next = 0;
        for &k in self.s.cue_starts() {
            let k = k as usize;
            // "according to": a word of a multi-word marker is no cue.
            // Only a word of such a marker can be inside one: the markers are
            // found only for those.
            let in_marker = |k: usize| {
                self.is(k, IN_REPORT_PHRASE)
                    && self
                        .markers()
                        .iter()
                        .any(|f| f.marker == Marker::Report && f.len > 1 && f.at <= k && k < f.at + f.len)
            };
            if k < next || self.mention_at(k).is_some() || in_marker(k) {
                continue;
            }
            // A reading listed only with its preposition needs it nearby:
            // the prepositions among the five words after the entry's `len`
            // words, as one mask, found only for a reading that needs one.
            let mut after = None;
            let mut prep_near = |c: &Cue, len: usize| {
                c.bare
                    || c.prep_mask
                        & *after.get_or_insert_with(|| {
                            let rows = &self.s.rows[k + len..(k + len + 5).min(self.toks.len())];
                            rows.iter().fold(0, |mask, r| mask | prep_mask(r.prep))
                        })
                        != 0
            };
            cues.clear();
            let row = &self.s.rows[k];
            // The word is read only where it is needed: for the readings it
            // holds, or to test a cue's family (a cache miss in most
            // sentences).
            let len = if row.starts & SINGLE_CUES != 0 {
                // A word that starts only single-word cues: its readings,
                // of its family, were found when it was first seen.
                let readings = self.vocab.word(row.id).cues.as_ref().map_or(&[][..], Readings::cues);
                for &idx in readings {
                    let c = &self.lexicon.cues[idx as usize];
                    if prep_near(c, 1) {
                        cues.push(c);
                    }
                }
                1
            } else {
                // Most words whose entries all have more words stand before
                // a word that is no entry's second: nothing can match there,
                // and the index is not read.
                if row.class & LONGER_CUES_ONLY != 0 && !self.is(k + 1, CUE_SECOND_WORD) {
                    continue;
                }
                let Some(len) = self.lexicon.cue_index.all_longest(self.window(k), items) else {
                    continue;
                };
                for item in items.iter() {
                    let Item::Cue(idx) = *item else { continue };
                    let c = &self.lexicon.cues[idx as usize];
                    let of_family = || same_word_family(c, self.vocab.word(row.id), || self.text(k));
                    if prep_near(c, len) && (c.family.is_none() || of_family()) {
                        cues.push(c);
                    }
                }
                len
            };
            next = k + len;
            if cues.is_empty() {
                continue;
            }
            let verbal = self.verb_context(k);
            // "a court", "the offer": a verb-only cue after an article is not a cue.
            // "close to Cairo": the reading whose preposition follows wins.
            let next = prep_mask(self.s.rows.get(k + len).map_or(0, |r| r.prep));
            let with_prep = cues.iter().find(|c| c.frame != Frame::Modifier && c.prep_mask & next != 0);
            let chosen = with_prep
                .or_else(|| cues.iter().find(|c| (c.kind == CueKind::Verb) == verbal))
                .copied()
                .or_else(|| {
                    let only_verbs = cues.iter().all(|c| c.kind == CueKind::Verb);
                    let after_article = k > 0 && self.is(k - 1, ARTICLE);
                    if only_verbs && after_article { None } else { cues.first().copied() }
                });
            // "armed groups", "targeted intelligence sharing": a participle
            // before a noun is an adjective.
            let participle_adjective = chosen.is_some_and(|c| c.kind == CueKind::Verb)
                && !verbal
                && len == 1
                && self.is(k, ENDS_ED)
                && self.toks.get(k + 1).is_some_and(|t| t.kind == TokenKind::Word)
                && self.s.mention_of.get(k + 1).is_some_and(Option::is_none)
                && self.starts_lower(k + 1)
                && !self.is(k + 1, FUNCTION)
                && !matches!(self.stem(k + 1), "them" | "him" | "us" | "togeth" | "again" | "back");
            let chosen = if participle_adjective { None } else { chosen };
            // "Turkish-backed militias": the compound describes a third party.
            // (The cheap tests first: the text is read only after a mention.)
            let hyphen_participle = || {
                k >= 2
                    && self.mention_at(k - 2).is_some()
                    && self.bytes(k - 1) == b"-"
                    && self.toks[k - 1].span.end == self.toks[k].span.start
            };
            let chosen = chosen.filter(|_| !hyphen_participle());
            if let Some(cue) = chosen {
                // "missile warning data": an -ing form after a noun is a noun.
                let nominal_ing = cue.kind == CueKind::Verb
                    && !verbal
                    && k > 0
                    && self.is(k, ENDS_ING)
                    && self.toks[k - 1].kind == TokenKind::Word
                    && self.mention_at(k - 1).is_none()
                    && self.starts_lower(k - 1)
                    && !self.is(k - 1, FUNCTION);
                if !nominal_ing {
                    out.push(CueAt { at: k, len, cue });
                }
            }
        }
    }

    /// Does the word at `k` read as a verb rather than a noun? A noun follows
    /// a determiner, a possessive or a demonym ("the talks", "Russia's
    /// support", "Israeli attacks"); anything else is read as a verb.
    fn verb_context(&self, k: usize) -> bool {
        let Some(prev) = k.checked_sub(1) else { return true };
        if let Some(m) = self.mention_at(prev) {
            return self.mentions[m as usize].via != dyad_core::Via::Demonym;
        }
        !self.is(prev, DETERMINER | BEFORE_NOUN)
    }

    fn primary(&self, m: usize) -> ActorId {
        self.primaries[m]
    }

    /// Start of the mention at token k, as a relative index.
    fn mention_start(&self, m: usize) -> usize {
        self.s.spans[m].0 as usize
    }

    fn mention_end(&self, m: usize) -> usize {
        self.s.spans[m].1 as usize
    }

    /// Does cue `cue` list the preposition at token `k` (one of its
    /// `preps`, compared with the token's stem)?
    fn has_prep(&self, cue: &Cue, k: usize) -> bool {
        cue.prep_mask & prep_mask(self.s.rows[k].prep) != 0
    }

    /// The token of the preposition governing the mention `m`, if any: the
    /// word before it, skipping determiners, adjectives, titles and other
    /// mentions ("with Iranian Supreme Leader Ali Khamenei"), at most five
    /// words. Found once per mention.
    fn governing_token(&self, m: usize) -> Option<usize> {
        let memo = &self.s.governing[m];
        let at = match memo.get() {
            UNKNOWN => {
                let at = self.find_governing_preposition(m).map_or(NONE, |k| k as u32);
                memo.set(at);
                at
            }
            at => at,
        };
        (at != NONE).then_some(at as usize)
    }

    /// The token of the preposition governing mention `m`, if any.
    fn find_governing_preposition(&self, m: usize) -> Option<usize> {
        let mut k = self.mention_start(m);
        for _ in 0..5 {
            k = k.checked_sub(1)?;
            if let Some(other) = self.mention_at(k) {
                k = self.mention_start(other as usize);
                continue;
            }
            if self.is(k, PREPOSITION) {
                return Some(k);
            }
            // "said in July that China had": a complementizer starts a clause.
            if self.is(k, COMPLEMENTIZER) {
                return None;
            }
            let title = k > 0 && self.is(k, UPPER);
            let verbal = self.is(k, ENDS_ING | ENDS_ED);
            if !(title || (self.is(k, MODIFIER) && !verbal)) {
                return None;
            }
        }
        None
    }

    /// Is the mention `m` a place: after "in", "across"... (the token
    /// `prep`), unless it is a possessor ("in Iran's security footprint").
    fn is_place(&self, m: usize, prep: Option<usize>) -> bool {
        prep.is_some_and(|p| self.is(p, LOCATIVE)) && !self.is(self.mention_end(m), POSSESSIVE)
    }

    /// The first token of the clause of token `k`: the one after the last
    /// boundary before `k`, or 0.
    fn clause_start(&self, k: usize) -> usize {
        let k = k.min(self.toks.len());
        let bounds = self.s.bounds();
        let i = bounds.partition_point(|&b| (b as usize) < k);
        i.checked_sub(1).map_or(0, |i| bounds[i] as usize + 1)
    }

    /// The first boundary from token `k` on, or the number of tokens.
    fn clause_end(&self, k: usize) -> usize {
        let k = k.min(self.toks.len());
        let bounds = self.s.bounds();
        let i = bounds.partition_point(|&b| (b as usize) < k);
        bounds.get(i).map_or(self.toks.len(), |&b| b as usize)
    }

    pub(crate) fn stances(&self, b: &mut StanceBuffers<'l>, kept: &mut Kept, out: &mut Vec<Stance>) {
        if self.mentions.len() < 2 {
            return;
        }
        let view = self;
        let Kept { items, groups, cands, labels } = kept;
        view.cues(&mut b.cues, items, &mut b.readings);
        cands.clear();
        for (cue_index, c) in b.cues.iter().enumerate() {
            if c.cue.frame == Frame::Modifier {
                continue;
            }
            view.attach(c, groups);
            for &pair in &groups.pairs {
                let actors = (view.primary(pair.0), view.primary(pair.1));
                if actors.0 == actors.1 {
                    continue;
                }
                view.candidate((cue_index, c), &b.cues, pair, actors, cands);
            }
        }
        // A title-case headline states no relation. Asked last: most
        // sentences have no candidate and need not ask. Nor need most of the
        // others: a cue word in lower case and longer than four bytes is no
        // word a headline allows ([`Token::rules_out_headline`]), so its
        // sentence is none, seen without reading the other words.
        let plainly_no_headline = cands.iter().any(|c| view.toks[c.cue_at].rules_out_headline(&view.doc.text));
        if cands.is_empty() || !plainly_no_headline && view.tokens.is_headline(&view.doc.text, view.sentence as usize) {
            return;
        }
        view.emit(cands, &b.cues, labels, out);
    }

    /// Source/target pairs for one cue into `g.pairs`: `(source, target,
    /// symmetric, confidence)`.
    fn attach(&self, c: &CueAt<'_>, g: &mut Groups) {
        let Groups { pairs, sources, targets } = g;
        pairs.clear();
        sources.clear();
        targets.clear();
        let mutual = matches!(c.cue.frame, Frame::Symmetric | Frame::Relation);
        if mutual && let Some((a, b)) = self.between(c).or_else(|| self.compound_before(c.at)) {
            pairs.push((a, b, true, 0.85));
            return;
        }
        // "under pressure from Washington", "support from Iran": the actor
        // after "from" is the source, the subject the target.
        if c.cue.prep_mask & prep_mask(FROM_PREP) == 0 {
            let end = c.at + c.len;
            let from = self.is(end, FROM).then_some(end);
            if let Some(agent) = from.and_then(|f| self.mention_after(f + 1, 3)) {
                let Some(patient) = self.source_left(c.at) else { return };
                self.with_coordinated(agent, sources);
                pairs.extend(sources.iter().map(|&s| (s, patient, false, 0.75)));
                return;
            }
        }
        // "a ceasefire mediated by Egypt": a participle after a noun, its agent
        // after "by"; without an actor right before it there is no patient.
        let reduced_passive =
            c.cue.kind == CueKind::Verb && self.is(c.at, ENDS_ED) && self.is(c.at + c.len, BY) && !self.is_passive(c);
        if reduced_passive {
            // "Japanese citizens abducted by": one noun may stand between.
            let patient = (c.at.saturating_sub(2)..c.at).rev().find_map(|k| self.mention_at(k)).map(|m| m as usize);
            if let (Some(agent), Some(patient)) = (self.agent_after_by(c.at + c.len), patient) {
                self.with_coordinated(agent, sources);
                pairs.extend(sources.iter().map(|&s| (s, patient, false, 0.75)));
            }
            return;
        }
        let passive = self.is_passive(c);
        let confidence = if passive {
            // "Iran was attacked by Israel": the agent after "by" is the source.
            let Some(agent) = self.agent_after_by(c.at + c.len) else { return };
            let Some(patient) = self.source_left(c.at) else { return };
            sources.push(agent);
            self.with_coordinated(patient, targets);
            0.8
        } else {
            let target = self.target_right(c);
            // Without a target, only a verb (its object fronted) or a
            // mutual cue (its subjects coordinated) pairs actors: for any
            // other cue the source is not looked for.
            if target.is_none() && !mutual && c.cue.kind != CueKind::Verb {
                return;
            }
            let source = self.source_left(c.at).or_else(|| self.fronted_subject(c.at));
            match (source, target) {
                (Some(s), Some((t, conf, prep))) => {
                    let via_prep = prep.is_some();
                    // "Washington and the Houthis agreed through Omani
                    // mediators": a mutual cue pairs its coordinated subjects.
                    // `sources` holds the partners first.
                    self.coordinated_before(s, sources);
                    let own_prep = via_prep && conf >= 0.9;
                    if mutual && !sources.is_empty() && !own_prep {
                        pairs.extend(sources.iter().map(|&a| (a, s, true, 0.75)));
                        return;
                    }
                    sources.push(s);
                    self.with_coordinated(t, targets);
                    conf * self.distance_factor(s, c.at)
                }
                (None, Some((t, _, Some(_)))) if mutual && c.cue.frame == Frame::Symmetric => {
                    // "any retaliation risks a war with Israel—a conflict Iran ...":
                    // the other side is the other actor named after the cue.
                    let other = (0..self.mentions.len()).find(|&m| {
                        self.mention_start(m) > c.at
                            && self.primary(m) != self.primary(t)
                            && !self.mentions[m].via.is_anaphoric()
                    });
                    let Some(o) = other else { return };
                    sources.push(o);
                    targets.push(t);
                    0.5
                }
                (Some(s), None) if !mutual && c.cue.kind == CueKind::Verb => {
                    // "a reduction ..., a move Tehran has resisted": the object
                    // comes first; it is the main clause's subject.
                    let Some(t) = self.fronted_object(s, c.at) else { return };
                    sources.push(s);
                    targets.push(t);
                    0.6
                }
                (Some(s), None) if mutual => {
                    // "Iran and Saudi Arabia restored ties".
                    // Only the first actor coordinated before it.
                    self.coordinated_before(s, sources);
                    if sources.is_empty() {
                        return;
                    }
                    sources.truncate(1);
                    targets.push(s);
                    0.75
                }
                _ => return,
            }
        };
        for &s in sources.iter() {
            pairs.extend(targets.iter().map(|&t| (s, t, mutual, confidence)));
        }
    }

    /// "By quietly supporting Israel's actions ..., Russia maintains": in an
    /// opening clause before the first comma, the subject comes after it.
    fn fronted_subject(&self, at: usize) -> Option<usize> {
        let opener = (0..at).find(|&k| !self.stem(k).is_empty())?;
        if !matches!(self.stem(opener), "by" | "despit" | "while" | "after" | "befor" | "in" | "through" | "with") {
            return None;
        }
        let comma = (at..self.toks.len()).find(|&k| self.bytes(k) == b",")?;
        if (opener..at).any(|k| self.bytes(k) == b",") {
            return None;
        }
        let m = self.mention_after(comma + 1, 2)?;
        self.governing_token(m).is_none().then_some(m)
    }

    /// For a verb whose subject `s` sits right before it after "which",
    /// "that" or ", a move": the main clause's subject is the object.
    fn fronted_object(&self, s: usize, at: usize) -> Option<usize> {
        let start = self.mention_start(s);
        if at.saturating_sub(self.mention_end(s)) > 3 || start == 0 {
            return None;
        }
        let before = self.stem(start - 1);
        let relative = matches!(before, "which" | "that" | "whom")
            || (start >= 3 && self.bytes(start - 3) == b"," && matches!(self.stem(start - 2), "a" | "the" | "ani"));
        if !relative {
            return None;
        }
        (0..self.mentions.len())
            .take_while(|&m| self.mention_start(m) < start)
            .find(|&m| self.governing_token(m).is_none() && self.primary(m) != self.primary(s))
    }

    fn distance_factor(&self, source: usize, cue: usize) -> f32 {
        let d = cue.saturating_sub(self.mention_end(source));
        if d <= 4 {
            1.0
        } else if d <= 10 {
            0.85
        } else {
            0.7
        }
    }

    /// "relations between X and Y", "rivalry between X and Y".
    fn between(&self, c: &CueAt<'_>) -> Option<(usize, usize)> {
        let end = c.at + c.len;
        let b = self.first_of(end, end + 4, BETWEEN)?;
        let a = self.mention_after(b + 1, 3)?;
        // "between the Egyptian state and Hamas": a head noun may follow.
        let and = (self.mention_end(a)..(self.mention_end(a) + 3).min(self.toks.len()))
            .find(|&k| self.is(k, AND) || !self.is(k, MODIFIER))?;
        if !self.is(and, AND) {
            return None;
        }
        let b2 = self.mention_after(and + 1, 3)?;
        Some((a, b2))
    }

    /// "the Iran-Israel conflict", "Israeli-Russian relations": two mentions
    /// joined by a hyphen right before the cue.
    fn compound_before(&self, at: usize) -> Option<(usize, usize)> {
        let mut k = at;
        // Allow one modifier between the compound and the cue.
        for _ in 0..2 {
            k = k.checked_sub(1)?;
            if let Some(b) = self.mention_at(k) {
                let b = b as usize;
                let dash = self.mention_start(b).checked_sub(1)?;
                if self.bytes(dash) != b"-" && self.bytes(dash) != "–".as_bytes() {
                    return None;
                }
                let a = self.mention_at(dash.checked_sub(1)?)? as usize;
                let adjacent = self.toks[dash - 1].span.end == self.toks[dash].span.start
                    && self.toks[dash].span.end == self.toks[dash + 1].span.start;
                return adjacent.then_some((a, b));
            }
            if !self.is(k, MODIFIER) {
                return None;
            }
        }
        None
    }

    /// The first mention starting within `reach` tokens from `from`,
    /// skipping determiners and modifiers.
    fn mention_after(&self, from: usize, reach: usize) -> Option<usize> {
        let mut k = from;
        while k < self.toks.len() && k < from + reach + 1 {
            if let Some(m) = self.mention_at(k) {
                return Some(m as usize);
            }
            if !self.is(k, MODIFIER) {
                return None;
            }
            k += 1;
        }
        None
    }

    fn is_passive(&self, c: &CueAt<'_>) -> bool {
        if c.cue.kind != CueKind::Verb {
            return false;
        }
        if !self.is(c.at, PARTICIPLE) {
            return false;
        }
        let mut k = c.at;
        for _ in 0..3 {
            let Some(j) = k.checked_sub(1) else { return false };
            k = j;
            if self.is(k, BE_VERB) {
                return true;
            }
            if !self.is(k, ADVERB) {
                return false;
            }
        }
        false
    }

    fn agent_after_by(&self, from: usize) -> Option<usize> {
        let by = self.first_of(from, from + 4, BY)?;
        self.mention_after(by + 1, 3)
    }

    /// The nearest mention left of `at` in the same clause that is not the
    /// object of a preposition or of a verb cue; a mention right before a
    /// cue is its subject even after a preposition ("reports of Russia
    /// supplying").
    fn source_left(&self, at: usize) -> Option<usize> {
        let start = self.clause_start(at);
        // "members of the US Congress accused Doha": the "of" phrase of a
        // subject stands in when nothing else does; the first one counts.
        let mut of_phrase = None;
        let ing = self.is(at, ENDS_ING);
        // From the nearest mention leftwards: the first that qualifies is
        // the source. Mentions are sorted by their start, so once one starts
        // before the clause, all the rest do.
        for (m, &(first, end)) in self.s.spans.iter().enumerate().rev() {
            let end = end as usize;
            if (first as usize) < start {
                break;
            }
            if end > at {
                continue;
            }
            let adjacent = end == at || (end + 1 == at && self.is(end, POSSESSIVE));
            // "reports of Russia supplying", "the Hamas attack on": the actor
            // right before a gerund or a noun is its subject; so is the
            // possessor in "with Egypt's foreign ministry accusing".
            let compound = adjacent && self.mention_start(m) > 0 && self.is(self.mention_start(m) - 1, THE);
            let possessor_of_gerund = ing
                && self.is(end, POSSESSIVE)
                && (end + 1..at).all(|k| self.mention_at(k).is_none() && self.is(k, MODIFIER))
                && at - end <= 3;
            let gerund = compound || possessor_of_gerund || (adjacent && (ing || !self.verb_context(at)));
            let prep = self.governing_token(m);
            if gerund || (prep.is_none() && !self.is_verb_object(m, at)) {
                return Some(m);
            } else if prep.is_some_and(|k| self.is(k, OF)) {
                of_phrase = Some(m);
            }
        }
        of_phrase
    }

    /// Is the mention right after a verb cue ("supporting Israel's actions")
    /// and so not the subject of the cue at `at`? A possessor still is
    /// ("hindering Israel's efforts to target") unless a coordinated verb
    /// phrase intervenes ("supporting Israel's actions and exerting").
    fn is_verb_object(&self, m: usize, at: usize) -> bool {
        let end = self.mention_end(m);
        if self.is(end, POSSESSIVE) && self.first_of(end, at, AND | OR).is_none() {
            return false;
        }
        let mut k = self.mention_start(m);
        for _ in 0..3 {
            let Some(j) = k.checked_sub(1) else { return false };
            k = j;
            if self.mention_at(k).is_some() {
                return false;
            }
            if self.s.rows[k].starts & CUE != 0
                && let Some((_, Item::Cue(idx))) = self.lexicon.cue_index.longest(&self.s.rows[k..=k])
            {
                return self.lexicon.cues[idx as usize].kind == CueKind::Verb && self.is(k, ENDS_ING);
            }
            if !self.is(k, MODIFIER) {
                return false;
            }
        }
        false
    }

    /// The target of a cue: the mention after one of its prepositions, or
    /// its object within a few words. `(mention, confidence)`.
    fn target_right(&self, c: &CueAt<'_>) -> Option<(usize, f32, Option<usize>)> {
        let from = c.at + c.len;
        let end = self.clause_end(from).min(from + 9);
        let mut k = from;
        // The token of the last preposition passed.
        let mut after_prep: Option<usize> = None;
        // The tables up to `end` (at most the sentence's length), read
        // directly in the scan: no bounds to test again for each token.
        let rows = &self.s.rows[..end];
        let mention_of = &self.s.mention_of[..end];
        while k < end {
            let class = rows[k].class;
            // An appositive right after the cue is fine; a new clause is not.
            if class & (COMMA | FULL_STOP) != 0 && k > from {
                return None;
            }
            if let Some(m) = mention_of[k] {
                let m = m.get() as usize - 1;
                // "a ceasefire negotiated by the American envoy": an agent, not an
                // object; "his Indian counterpart": look past the possessive.
                let possessive_pronoun = self.mentions[m].via == dyad_core::Via::Pronoun && self.is(k, OWN_PRONOUN);
                if after_prep.is_some_and(|p| self.is(p, BY)) || possessive_pronoun {
                    k = self.mention_end(m);
                    if !possessive_pronoun {
                        // ... and any actor coordinated with the agent.
                        while k < end && (self.mention_at(k).is_some() || matches!(self.stem(k), "and" | "or" | ",")) {
                            k += 1;
                        }
                        after_prep = None;
                    }
                    continue;
                }
                let locative = self.is_place(m, after_prep) && !after_prep.is_some_and(|p| self.has_prep(c.cue, p));
                if locative {
                    k = self.mention_end(m);
                    after_prep = None;
                    continue;
                }
                let needs_prep = c.cue.kind == CueKind::Noun && !c.cue.preps.is_empty();
                if needs_prep && !after_prep.is_some_and(|p| self.has_prep(c.cue, p)) {
                    return None;
                }
                let conf = match after_prep {
                    Some(p) if self.has_prep(c.cue, p) => 0.9,
                    Some(_) => 0.7,
                    None if k == from => 0.85,
                    None => 0.75,
                };
                return Some((m, conf, after_prep));
            }
            if class & PREPOSITION != 0 {
                after_prep = Some(k);
            }
            k += 1;
        }
        None
    }

    /// The mention and any actors coordinated after it ("Iran and its proxy
    /// Hezbollah"), into `out` (emptied first).
    fn with_coordinated(&self, m: usize, out: &mut Vec<usize>) {
        out.clear();
        out.push(m);
        let mut k = self.mention_end(m);
        // "Riyadh, Abu Dhabi and Doha": a comma continues a list of actors.
        while k < self.toks.len() && self.is(k, AND | OR | COMMA) {
            if self.is(k, COMMA) && self.is(k + 1, AND) {
                k += 1;
            }
            let mut j = k + 1;
            let mut next = None;
            while j < self.toks.len() && j <= k + 4 {
                if let Some(n) = self.mention_at(j) {
                    let n = n as usize;
                    if self.mentions[n].via.is_anaphoric() {
                        j = self.mention_end(n);
                        continue;
                    }
                    next = Some(n);
                    break;
                }
                if !self.is(j, MODIFIER) {
                    break;
                }
                j += 1;
            }
            let Some(n) = next else { break };
            out.push(n);
            k = self.mention_end(n);
        }
    }

    /// Actors coordinated before `m` as a subject ("Iran and Hezbollah
    /// attacked"), in order, into `out` (emptied first).
    fn coordinated_before(&self, m: usize, out: &mut Vec<usize>) {
        out.clear();
        let mut start = self.mention_start(m);
        // "Washington and the Houthis".
        if start > 0 && self.is(start - 1, THE) {
            start -= 1;
        }
        let Some(and) = start.checked_sub(1) else { return };
        if !self.is(and, AND) {
            return;
        }
        let mut k = and;
        // "Spain, Greece, Cyprus, Romania and Slovakia decline".
        while let Some(p) = k.checked_sub(1).and_then(|j| self.mention_at(j)).map(|p| p as usize) {
            if self.governing_token(p).is_some() && out.is_empty() {
                break;
            }
            out.push(p);
            let mut before = self.mention_start(p).checked_sub(1);
            // "Saudi Arabia, the UAE, Bahrain and Egypt".
            if let Some(b) = before.filter(|&b| self.is(b, THE)) {
                before = b.checked_sub(1);
            }
            match before {
                Some(comma) if self.is(comma, COMMA) => k = comma,
                _ => break,
            }
        }
        out.reverse();
    }

    /// The candidate for cue `c` and one pair of [`View::attach`], whose
    /// mentions' primary actors are `actors`, pushed onto `out`: built in
    /// place there, where a returned candidate (a wide value) was copied.
    fn candidate(
        &self,
        (cue_index, c): (usize, &CueAt<'_>),
        cues: &[CueAt<'_>],
        pair: (usize, usize, bool, f32),
        actors: (ActorId, ActorId),
        out: &mut Vec<Candidate>,
    ) {
        let (source, target, symmetric, confidence) = pair;
        let mut category = c.cue.category;
        let mut quad = c.cue.quad_class;
        let mut score = c.cue.score;
        let mut label = Label::default();
        let weak = c.cue.frame == Frame::Relation;
        if weak {
            // "strained relations", "ties ... have deteriorated": the nearest
            // modifier gives a relation noun its sign.
            let lo = c.at.saturating_sub(3);
            let hi = (c.at + c.len + 5).min(self.toks.len());
            let hi_pred = (c.at + c.len + 9).min(self.clause_end(c.at + c.len));
            // "poisoned US-Turkish relations": a verb governing the relation.
            let governs = |o: &CueAt<'_>| {
                o.cue.kind == CueKind::Verb
                    && o.at + o.len <= c.at
                    && c.at - (o.at + o.len) <= 4
                    && (o.at + o.len..c.at).all(|k| self.mention_at(k).is_some() || self.is(k, MODIFIER))
            };
            let modifier = cues
                .iter()
                .enumerate()
                .filter(|(_, o)| {
                    (o.cue.frame == Frame::Modifier && o.at >= lo && o.at < hi.max(hi_pred))
                        || (o.cue.frame == Frame::Symmetric && o.at > c.at && o.at < hi_pred)
                        || governs(o)
                })
                .min_by_key(|(_, o)| o.at.abs_diff(c.at));
            if let Some((i, m)) = modifier {
                category = m.cue.category;
                quad = m.cue.quad_class;
                score = m.cue.score;
                label.modifier = Some(i);
            }
        }
        // "joined the coalition against ISIS": cooperation aimed against the
        // target is conflict with it.
        if score > 0.0
            && self.mention_start(target) > c.at
            && self.governing_token(target).is_some_and(|k| self.s.rows[k].prep == AGAINST_PREP)
            && c.cue.prep_mask & prep_mask(AGAINST_PREP) == 0
        {
            score = -score;
            quad = quad.flipped();
            category =
                if quad == dyad_core::QuadClass::MaterialConflict { Category::Mobilize } else { Category::Reject };
            label.against = true;
        }
        let clause = self.clause_start(c.at);
        let mut reading = modality::read(
            &self.markers(),
            |k| self.stem(k),
            |from, to| {
                // Most sentences hold no "nothing": their rows are not read.
                if self.s.starts_union & NOTHING_WORD == 0 {
                    return None;
                }
                self.first_of(from, to, NOTHING)
            },
            self.toks.len(),
            clause,
            c.at,
            c.cue.kind == CueKind::Verb,
        );
        // "refused to join Western sanctions": the sanctions themselves stand;
        // a noun with its actor right before it is a thing named, not a
        // predicate, and only hedges and reports reach it.
        let np_internal = c.cue.kind == CueKind::Noun && {
            let end = self.mention_end(source);
            end == c.at || (end + 1 == c.at && self.is(end, POSSESSIVE))
        };
        if np_internal && (matches!(reading.modality, Modality::Negated | Modality::Hypothetical) || reading.flipped) {
            reading = modality::Reading { modality: Modality::Asserted, flipped: false };
        }
        let mut polarity: i8 = if score > 0.0 { 1 } else { -1 };
        let mut modality = reading.modality;
        if reading.flipped {
            // Restraint from conflict is tacit cooperation, and the reverse.
            polarity = -polarity;
            quad = quad.flipped();
            category = if polarity > 0 {
                if matches!(quad, dyad_core::QuadClass::MaterialCooperation) {
                    Category::Retreat
                } else {
                    Category::Concede
                }
            } else {
                Category::Reject
            };
            score = -score * 0.4;
            label.prefix = Prefix::RefrainFrom;
        } else if modality == Modality::Negated {
            polarity = 0;
            label.prefix = Prefix::Not;
        }
        score *= modality::weight(modality).max(if modality == Modality::Negated { 0.0 } else { 0.3 });
        if reading.flipped {
            modality = Modality::Asserted;
        }
        let mut confidence = confidence;
        if self.mentions[source].via.is_anaphoric() || self.mentions[target].via.is_anaphoric() {
            confidence *= 0.85;
        }
        out.push(Candidate {
            source,
            target,
            symmetric,
            cue_at: c.at,
            cue_len: c.len,
            cue_index,
            label,
            category,
            quad,
            polarity,
            score,
            modality,
            confidence,
            weak,
            actors,
        });
    }

    /// Deduplicates candidates: one stance per (pair, polarity) per sentence,
    /// the most confident; a neutral relation noun yields to any other cue
    /// for the same pair.
    /// A candidate without a label of its own takes its cue's, from `cues`.
    /// Each label is written into a buffer taken from `labels` (labels of
    /// an earlier document's stances, given back) when there is one.
    fn emit(&self, cands: &mut Vec<Candidate>, cues: &[CueAt<'_>], labels: &mut Vec<String>, out: &mut Vec<Stance>) {
        if cands.is_empty() {
            return;
        }
        // In place, with no list of the survivors: each pass drops only
        // candidates of a kind (weak, symmetric) that it never compares
        // with, so testing the shrinking list tests the whole one.
        // ... in its own clause: "Relations remain pragmatic, and Turkey has
        // criticised Russia" keeps both.
        let mut i = 0;
        while i < cands.len() {
            let c = &cands[i];
            let clause = self.clause_start(c.cue_at);
            let beaten = c.weak
                && cands.iter().any(|o| !o.weak && o.pair() == c.pair() && self.clause_start(o.cue_at) == clause);
            if beaten {
                cands.remove(i);
            } else {
                i += 1;
            }
        }
        // A mutual reading yields to a directed one of the same sign.
        let mut i = 0;
        while i < cands.len() {
            let c = &cands[i];
            let beaten =
                c.symmetric && cands.iter().any(|o| !o.symmetric && o.pair() == c.pair() && o.polarity == c.polarity);
            if beaten {
                cands.remove(i);
            } else {
                i += 1;
            }
        }
        // One per (pair, polarity): the first of them in place, holding the
        // most confident.
        let mut kept = 0;
        for i in 0..cands.len() {
            let c = &cands[i];
            let same = |o: &Candidate| {
                o.polarity == c.polarity
                    && o.symmetric == c.symmetric
                    && if c.symmetric { o.pair() == c.pair() } else { o.actors == c.actors }
            };
            match cands[..kept].iter().position(same) {
                Some(j) => {
                    if cands[i].confidence > cands[j].confidence {
                        cands.swap(i, j);
                    }
                }
                None => {
                    // Most candidates are kept where they stand: a swap
                    // with itself still copies the wide candidate thrice.
                    if kept != i {
                        cands.swap(kept, i);
                    }
                    kept += 1;
                }
            }
        }
        cands.truncate(kept);
        cands.sort_by_key(|c| (c.cue_at, c.source, c.target));
        for c in cands.drain(..) {
            let cue_span = self.toks[c.cue_at].span.cover(self.toks[c.cue_at + c.cue_len - 1].span);
            let mut cue = labels.pop().unwrap_or_default();
            c.label.write(cues[c.cue_index].cue, cues, &mut cue);
            out.push(Stance {
                sentence: self.sentence,
                source: (self.mention_base + c.source) as u32,
                target: (self.mention_base + c.target) as u32,
                cue_span,
                cue,
                category: c.category,
                quad_class: c.quad,
                polarity: c.polarity,
                // `+ 0.0` turns a negative zero into zero.
                score: (c.score * 1000.0).round() / 1000.0 + 0.0,
                modality: c.modality,
                confidence: (c.confidence * 1000.0).round() / 1000.0,
                symmetric: c.symmetric,
            });
        }
    }

    /// Evaluative words and the actor they are nearest to in this sentence.
    pub(crate) fn evaluations(&self, out: &mut Vec<Evaluation>) {
        if self.mentions.is_empty() {
            return;
        }
        let mut next = 0;
        for k in self.starting(EVALUATIVE) {
            if k < next || self.mention_at(k).is_some() {
                continue;
            }
            let Some((len, Item::Evaluative(score))) = self.lexicon.eval_index.longest(self.window(k)) else {
                continue;
            };
            next = k + len;
            let nearest = (0..self.mentions.len())
                .map(|m| {
                    let d = if self.mention_end(m) <= k {
                        k - self.mention_end(m)
                    } else {
                        self.mention_start(m) - (k + len)
                    };
                    (d, m)
                })
                .min();
            if let Some((d, m)) = nearest.filter(|(d, _)| *d <= 6) {
                let negated = self.markers().iter().any(|f| f.marker == Marker::Negator && f.at < k && k - f.at <= 3);
                let s = if negated { -score * 0.5 } else { score };
                out.push(Evaluation { actor: self.primary(m), score: s / 10.0 / (1.0 + d as f32 * 0.2) });
            }
        }
    }
}

/// Stems join words of different meaning ("critical" and "criticize",
/// "designed" and "designate"): a long cue word must share all but its
/// last two letters with the text word.
///
/// `word` is the text word's entry in the vocabulary, `text` gives its text:
/// read only when the family or the word's first bytes are not ASCII.
pub(crate) fn same_word_family<'t>(cue: &Cue, word: &Word, text: impl FnOnce() -> &'t str) -> bool {
    let Some(family) = cue.family.as_deref() else { return true };
    // The family is lower-case: an ASCII prefix of the word as long as the
    // family, lower-cased, must equal it.
    if let Some(key) = cue.family_key
        && family.len() <= usize::from(word.ascii_len)
    {
        return word.ascii_prefix & LOW_BYTES[family.len()] == key;
    }
    let text = text();
    match text.as_bytes().get(..family.len()) {
        // ASCII letters lower-case one for one, so an ASCII prefix as long
        // as the family (in bytes) decides it.
        Some(prefix) if prefix.is_ascii() => prefix.eq_ignore_ascii_case(family.as_bytes()),
        _ => {
            let mut word = text.chars().flat_map(char::to_lowercase);
            family.chars().all(|c| word.next() == Some(c))
        }
    }
}

#[cfg(test)]
mod family_tests {
    use super::*;
    use crate::lexicon::ascii_prefix;

    /// The classes as the word lists define them, one comparison after
    /// another: what [`classify`] computes by its table.
    fn classify_by_lists(stem: &str, text: &str) -> u32 {
        let determiner = DETERMINERS.contains(&stem);
        let modifier = if determiner || ALWAYS_MODIFIERS.contains(&stem) {
            true
        } else if stem.is_empty() {
            matches!(text, "-" | "’" | "'")
        } else {
            text.chars().next().is_some_and(char::is_lowercase)
                && !PREPOSITIONS.contains(&stem)
                && !NEVER_MODIFIERS.contains(&stem)
        };
        let mut class = 0;
        for (yes, bit) in [
            (PREPOSITIONS.contains(&stem), PREPOSITION),
            (LOCATIVES.contains(&stem), LOCATIVE),
            (PREPOSITIONS.contains(&stem) || FUNCTION_WORDS.contains(&stem), FUNCTION),
            (determiner, DETERMINER),
            (modifier, MODIFIER),
            (BOUNDARY_TEXTS.contains(&text) || BOUNDARY_STEMS.contains(&stem), BOUNDARY),
            (text == ",", COMMA),
            (stem == "and", AND),
            (stem == "or", OR),
            (stem == "'s", POSSESSIVE),
            (stem == "the", THE),
            (stem == "by", BY),
            (stem == "from", FROM),
            (BE.contains(&stem), BE_VERB),
            (stem == "of", OF),
            (COMPLEMENTIZERS.contains(&stem), COMPLEMENTIZER),
            (BEFORE_NOUNS.contains(&stem), BEFORE_NOUN),
            (ARTICLES.contains(&stem), ARTICLE),
            (NOTHINGS.contains(&stem), NOTHING),
            (stem == "between", BETWEEN),
            (text == ".", FULL_STOP),
            (stem.ends_with("li") || ADVERBS.contains(&stem), ADVERB),
            (text.chars().next().is_some_and(char::is_uppercase), UPPER),
            (text.ends_with("ing"), ENDS_ING),
            (text.ends_with("ed"), ENDS_ED),
            (text.ends_with('s'), ENDS_S),
            (is_participle(text), PARTICIPLE),
            (
                matches!(
                    &*text.to_lowercase(),
                    "his" | "her" | "its" | "their" | "itself" | "themselves" | "himself" | "herself"
                ),
                OWN_PRONOUN,
            ),
        ] {
            if yes {
                class |= bit;
            }
        }
        class
    }

    /// Every listed stem, and words listed nowhere, with texts in lower
    /// case, capitalised and as punctuation, classify as the lists say.
    #[test]
    fn classes_by_table_agree_with_the_lists() {
        let lists = [
            PREPOSITIONS,
            LOCATIVES,
            BE,
            FUNCTION_WORDS,
            DETERMINERS,
            ALWAYS_MODIFIERS,
            NEVER_MODIFIERS,
            BOUNDARY_STEMS,
            BOUNDARY_TEXTS,
            COMPLEMENTIZERS,
            BEFORE_NOUNS,
            ARTICLES,
            NOTHINGS,
            ADVERBS,
        ];
        let others = ["", "and", "or", "'s", "the", "by", "from", "of", "between", "attack", "repeatedli", "ties", "-"];
        let stems = lists.iter().flat_map(|l| l.iter().copied()).chain(others);
        let mut checked = 0;
        for stem in stems {
            let capital: String =
                stem.chars().take(1).flat_map(char::to_uppercase).chain(stem.chars().skip(1)).collect();
            for text in [stem, &capital, "", ",", ".", "’", "'", "-", ";", "—", "Attacked", "talking", "bases"] {
                assert_eq!(classify(stem, text), classify_by_lists(stem, text), "{stem:?} {text:?}");
                checked += 1;
            }
        }
        assert!(checked > 1000);
    }

    /// A sentence with a word that [`Token::rules_out_headline`] picks is no
    /// headline, whatever its other words; the words it passes over include
    /// capitalised, short, numeric and non-ASCII ones.
    #[test]
    fn a_no_headline_word_settles_the_headline_test() {
        let texts = [
            "Russia Balances Between Iran and Israel",
            "Russia balances Between Iran and Israel",
            "The War over Gaza",
            "Talks Resume 2024 in Doha",
            "Érdogan Meets Putin in Sochi",
            "Érdogan meets Putin in Sochi",
            "Iran With Israel and Hamas over élan",
            "Iran and Israel sign the accords",
            "China Warns about Taiwan",
            "Ties with Beijing",
            "Turkey criticised Russia over strikes.",
        ];
        let mut picked = 0;
        for text in texts {
            let tokens = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(text);
            for si in 0..tokens.sentences.len() {
                let headline = tokens.is_headline(text, si);
                for token in tokens.sentence_tokens(si) {
                    if token.rules_out_headline(text) {
                        picked += 1;
                        assert!(!headline, "{text:?}: {:?}", token.text(text));
                    }
                }
            }
        }
        assert!(picked >= 6, "{picked}");
    }

    /// [`View::first_of`] finds what testing each token's classes does, for
    /// every range, including empty ones, ones past the sentence's end and
    /// ones reversed, over ASCII and non-ASCII words.
    #[test]
    fn first_of_agrees_with_a_test_per_token() {
        let lex = Lexicon::from_tsv(
            "c",
            "cue\tkind\tcategory\tquad_class\tscore\tframe\ncriticize\tverb\tACCUSE\tverbal_conflict\t-4\tdirected\n",
        )
        .unwrap();
        let text = "Talks between Iran and Israel, held by Qatar or Égypte, and the envoy’s plan were criticized.";
        let doc = Document::from_text("t", text);
        let tokens = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(text);
        let words = dyad_core::WordIds::of(&doc.text, &tokens.tokens);
        Vocab::with(&lex, &words, |vocab| {
            let mut scratch = Scratch::default();
            let ids = &words.ids()[tokens.sentences[0].token_range()];
            scratch.words(vocab, &lex, &doc.text, tokens.sentence_tokens(0), ids);
            let view = View::new(&doc, &tokens, 0, &[], 0, &[], &lex, vocab, true, &mut scratch);
            let n = view.toks.len();
            let mut found = 0;
            for bits in [BETWEEN, BY, AND | OR, COMMA, UPPER, ENDS_ED] {
                for from in 0..n + 3 {
                    for to in 0..n + 6 {
                        let expected = (from..to.min(n)).find(|&k| view.is(k, bits));
                        assert_eq!(view.first_of(from, to, bits), expected, "{bits:#x} {from}..{to}");
                        found += usize::from(expected.is_some());
                    }
                }
            }
            assert!(found > 100, "{found}");
        });
    }

    /// The tokens listed with their `starts` bits are exactly those whose
    /// rows start something, in order, their union is the sentence's, and
    /// the clause ends picked from them are those the classes say,
    /// whether their rows came from the
    /// table by id or from the call for a new text, in sentences longer
    /// and shorter than the one before (the list's buffer is kept at the
    /// longest).
    #[test]
    fn listed_tokens_are_those_whose_rows_start_something() {
        let lex = Lexicon::from_tsv(
            "c",
            "cue\tkind\tcategory\tquad_class\tscore\tframe\n\
             attack\tverb\tASSAULT\tmaterial_conflict\t-9\tdirected\n\
             said\treport\tREPORT\tneutral\t0\tdirected\n\
             brave\tevaluative\t-\t-\t3\t-\n",
        )
        .unwrap();
        let text = "Iran attacked Israel, but Russia said nothing. Attacks; attack. Brave Égypte attacks and said: \
                    x, y and z, and w (v). Iran attacked Israel, but Russia said nothing about the brave attacks and attacks.";
        let doc = Document::from_text("t", text);
        let tokens = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(text);
        let words = dyad_core::WordIds::of(&doc.text, &tokens.tokens);
        let (mut listed, mut bounds, mut cues) = (0, 0, 0);
        Vocab::with(&lex, &words, |vocab| {
            let mut scratch = Scratch::default();
            // Twice: the first pass meets each text for the first time.
            for si in (0..tokens.sentences.len()).chain(0..tokens.sentences.len()) {
                scratch.clear();
                let ids = &words.ids()[tokens.sentences[si].token_range()];
                scratch.words(vocab, &lex, &doc.text, tokens.sentence_tokens(si), ids);
                let expected: Vec<(u32, u8)> = (scratch.rows.iter().enumerate())
                    .filter(|(_, r)| r.starts != 0)
                    .map(|(k, r)| (k as u32, r.starts))
                    .collect();
                assert_eq!(scratch.starts_at(), expected, "sentence {si}");
                listed += expected.len();
                let union = scratch.rows.iter().fold(0, |any, r| any | r.starts);
                assert_eq!(scratch.starts_union, union, "sentence {si}");
                // The clause ends: a boundary, or "and" after a comma.
                let rows = scratch.rows.clone();
                let ends: Vec<u32> = (0..rows.len())
                    .filter(|&j| rows[j].starts & (CLAUSE | CLAUSE_AFTER_COMMA) != 0)
                    .filter(|&j| rows[j].class & BOUNDARY != 0 || j > 0 && rows[j - 1].class & COMMA != 0)
                    .map(|j| j as u32)
                    .collect();
                bounds += ends.len();
                // The cue tokens: those whose `starts` hold `CUE`.
                let cue_tokens: Vec<u32> = expected.iter().filter(|(_, s)| s & CUE != 0).map(|&(k, _)| k).collect();
                cues += cue_tokens.len();
                let view = View::new(&doc, &tokens, si, &[], 0, &[], &lex, vocab, true, &mut scratch);
                assert_eq!(view.s.bounds(), ends, "sentence {si}");
                assert_eq!(view.s.cue_starts(), cue_tokens, "sentence {si}");
            }
        });
        assert!(listed > 20 && bounds >= 6 && cues >= 10, "{listed} {bounds} {cues}");
    }

    /// The union of a sentence's `starts` bits holds [`NOTHING_WORD`]
    /// exactly when one of its rows has the class [`NOTHING`].
    #[test]
    fn the_nothing_bit_follows_the_class() {
        let lex = Lexicon::from_tsv(
            "c",
            "cue\tkind\tcategory\tquad_class\tscore\tframe\noffer\tverb\tCOOPERATE\tverbal_cooperation\t2\tdirected\n",
        )
        .unwrap();
        let texts = [
            "Iran offered Riyadh almost nothing.",
            "Nothing was offered to Iran.",
            "Iran offered Riyadh nothing but talks, and nothingness.",
            "Iran offered Riyadh a deal.",
            "Not a thing was offered, noth.",
        ];
        let mut with = 0;
        for text in texts {
            let doc = Document::from_text("t", text);
            let tokens = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(text);
            let words = dyad_core::WordIds::of(&doc.text, &tokens.tokens);
            Vocab::with(&lex, &words, |vocab| {
                let mut scratch = Scratch::default();
                for si in 0..tokens.sentences.len() {
                    scratch.clear();
                    let ids = &words.ids()[tokens.sentences[si].token_range()];
                    let union = scratch.words(vocab, &lex, &doc.text, tokens.sentence_tokens(si), ids);
                    let any = scratch.rows.iter().any(|r| r.class & NOTHING != 0);
                    assert_eq!(union & NOTHING_WORD != 0, any, "{text:?}");
                    assert_eq!(scratch.starts_union, union);
                    with += usize::from(any);
                }
            });
        }
        assert_eq!(with, 4);
    }

    /// `emptied` and `recycle` keep the vectors' allocations (std collects
    /// a vector's own iterator in place when the layouts agree): a change
    /// in std that stopped it would make every document allocate again.
    #[test]
    fn emptied_keeps_the_allocation() {
        let word = String::from("word");
        let mut v: Vec<&str> = Vec::with_capacity(100);
        v.push(&word);
        let ptr = v.as_ptr() as usize;
        let w: Vec<&'static str> = emptied(v);
        assert!(w.is_empty());
        assert_eq!(w.capacity(), 100);
        assert_eq!(w.as_ptr() as usize, ptr);
        let buffers = recycle(StanceBuffers { cues: Vec::with_capacity(7), readings: Vec::with_capacity(9) });
        assert_eq!((buffers.cues.capacity(), buffers.readings.capacity()), (7, 9));
    }

    /// A participle in any case, irregular ones too; not a word that only
    /// contains one.
    #[test]
    fn participles_in_any_case() {
        for (text, yes) in [
            ("attacked", true),
            ("ATTACKED", true),
            ("Struck", true),
            ("given", true),
            ("Bombardéd", false),
            ("ÉCLAIRED", true),
            ("struckout", false),
            ("attack", false),
            ("d", false),
        ] {
            assert_eq!(classify("", text) & PARTICIPLE != 0, yes, "{text}");
        }
        for (text, yes) in [("His", true), ("HERSELF", true), ("its", true), ("hiss", false), ("it", false)] {
            assert_eq!(classify("", text) & OWN_PRONOUN != 0, yes, "{text}");
        }
    }

    /// The ending bits say what the token's bytes say, case included.
    #[test]
    fn ending_bits_follow_the_text() {
        for text in ["attacking", "attacked", "talks", "ING", "Attacked", "bed", "s", ",", "", "’s", "sing"] {
            let class = classify("", text);
            assert_eq!(class & ENDS_ING != 0, text.ends_with("ing"), "{text}");
            assert_eq!(class & ENDS_ED != 0, text.ends_with("ed"), "{text}");
            assert_eq!(class & ENDS_S != 0, text.ends_with('s'), "{text}");
        }
    }

    /// The family test by a word's ASCII prefix gives what reading its text
    /// does, for short, long, capitalised and non-ASCII words.
    #[test]
    fn family_by_prefix_agrees_with_the_text() {
        let lex = Lexicon::from_tsv(
            "c",
            "cue\tkind\tcategory\tquad_class\tscore\tframe\ncriticize\tverb\tACCUSE\tverbal_conflict\t-4\tdirected\n",
        )
        .unwrap();
        let cue = &lex.cues[0];
        assert_eq!(cue.family.as_deref(), Some("critici"));
        assert!(cue.family_key.is_some());
        let cases = [
            ("criticized", true),
            ("Criticism", true),
            ("CRITICIZING", true),
            ("critical", false),
            ("critic", false),
            ("criticisms-and-more-than-fifteen", true),
            ("crïticize", false),
            ("Critici\u{e9}", true),
        ];
        for (text, expected) in cases {
            let (ascii_prefix, ascii_len) = ascii_prefix(text.as_bytes());
            let word = Word {
                stem: "".into(),
                stem_id: crate::lexicon::NO_STEM,
                starts: CUE,
                class: 0,
                ascii_prefix,
                ascii_len,
                prep: 0,
                cues: None,
            };
            assert_eq!(same_word_family(cue, &word, || text), expected, "{text}");
            // Without a prefix, the text decides, the same way.
            let unknown = Word { ascii_prefix: 0, ascii_len: 0, ..word };
            assert_eq!(same_word_family(cue, &unknown, || text), expected, "{text}");
        }
    }
}
