//! Actor mentions: document + tokens + actor dictionary -> mentions.
//!
//! Names are found by longest match over tokens (`matcher`), with the case
//! rules of `seeds/README.md`; a person's bare surname counts after their
//! full name, after a title, or anywhere when the dictionary allows it.
//! Pronouns and definite descriptions are then resolved where it is safe
//! (`anaphora`). Capitalised names the dictionary does not know are
//! returned as [`UnknownName`]s and never become actors.
//!
//! Invariant: no mention and no unknown name lies in a boilerplate zone.
//! Invariant: mentions are sorted by span and do not overlap.

mod anaphora;
mod dict;
mod matcher;
mod unknown;
mod vocab;
mod words;

use dict::Target;
use dyad_core::hash::WordHashMap;
use dyad_core::{
    ActorId, ActorKind, ActorTable, Document, KEPT_BUFFER_BYTES, Mention, Span, Tagged, Token, Tokenized, Via, WordIds,
    let_go_above,
};
use matcher::{FirstMatch, Index, OneWord};
use std::cell::{Cell, RefCell};
use vocab::{Class, WordId};
use words::{ByTextId, Covered, DocWords, Pick, Seen, Sentences};

pub use dict::SeedText;

#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{file}:{line}: {message}")]
    Line { file: String, line: usize, message: String },
}

/// The actor dictionary with its name index, built once.
#[derive(Debug, Default)]
pub struct Gazetteer {
    actors: ActorTable,
    index: Index,
}

impl Gazetteer {
    /// Builds the gazetteer from `actors.tsv`, `aliases.tsv` and `persons.tsv` text.
    pub fn from_seeds(
        actors: SeedText<'_>,
        aliases: SeedText<'_>,
        persons: SeedText<'_>,
    ) -> Result<Gazetteer, DictError> {
        let (actors, patterns) = dict::parse(actors, aliases, persons)?;
        Ok(Gazetteer { actors, index: Index::build(patterns, WORD_CLASSES) })
    }

    pub fn actors(&self) -> &ActorTable {
        &self.actors
    }
}

/// Words that, right before a surname, say it names a person.
const TITLES: &[&str] = &[
    "president",
    "minister",
    "premier",
    "chancellor",
    "leader",
    "king",
    "queen",
    "prince",
    "emir",
    "sheikh",
    "ayatollah",
    "general",
    "gen",
    "lt",
    "col",
    "maj",
    "adm",
    "admiral",
    "marshal",
    "commander",
    "chairman",
    "secretary",
    "secretary-general",
    "senator",
    "sen",
    "ambassador",
    "envoy",
    "sultan",
    "pope",
    "mr",
    "mrs",
    "ms",
    "dr",
    "speaker",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief",
    "director",
    "governor",
    "mullah",
    "emperor",
    "vice",
    "deputy",
    "counterpart",
    "president-elect",
];

/// The fixed word lists and their classes, which the vocabulary records
/// for each of their words.
const WORD_CLASSES: &[(&[&str], Class)] = &[
    (TITLES, Class::TITLE),
    (unknown::NOT_NAMES, Class::NOT_NAME),
    (unknown::TITLE_WORDS, Class::TITLE_WORD),
    (unknown::CONNECTORS, Class::CONNECTOR),
    (anaphora::IT, Class::IT),
    (anaphora::HE, Class::HE),
    (anaphora::THEY, Class::THEY),
    (&["the"], Class::THE),
    (&["and", "or"], Class::AND_OR),
    (&["that", "which"], Class::THAT_WHICH),
    (anaphora::SUBJECT_CONTEXT, Class::SUBJECT_CONTEXT),
    (anaphora::OPENERS, Class::OPENER),
    (anaphora::LOCATIVES, Class::LOCATIVE),
    (&["of", "in", "'s"], Class::OF_IN_S),
    (anaphora::STATE_HEADS, Class::STATE_HEAD),
    (anaphora::GROUP_HEADS, Class::GROUP_HEAD),
    (anaphora::BLOC_HEADS, Class::BLOC_HEAD),
];

/// Tags actor mentions in `doc`. Cannot fail.
pub fn tag(doc: &Document, tokens: &Tokenized, gazetteer: &Gazetteer) -> Tagged {
    tag_words(doc, tokens, &WordIds::of(&doc.text, &tokens.tokens), gazetteer)
}

/// [`tag`] with the tokens' ids already given (the pipeline gives them
/// once, for entities and stance). `words` must be those of `tokens`.
pub fn tag_words(doc: &Document, tokens: &Tokenized, words: &WordIds, gazetteer: &Gazetteer) -> Tagged {
    let mut out = Tagged::default();
    tag_words_into(doc, tokens, words, gazetteer, &mut out);
    out
}

/// [`tag_words`] into `out`, which is cleared first: a caller that hands
/// the same value from document to document reuses its vectors.
pub fn tag_words_into(doc: &Document, tokens: &Tokenized, words: &WordIds, gazetteer: &Gazetteer, out: &mut Tagged) {
    let text = doc.text.as_str();
    // This thread's buffers of the last document, given back at the end.
    let mut buffers = BUFFERS.take();
    let mut doc_words =
        DocWords::new_in(text, &tokens.tokens, words, &gazetteer.index.vocab, buffers.seen, buffers.picks);
    // Nothing is found in boilerplate: its tokens start nothing.
    if !doc.boilerplate.is_empty() {
        for sentence in tokens.sentences.iter().filter(|s| doc.is_boilerplate(s.span)) {
            doc_words.unpick(sentence.token_range());
        }
    }
    let doc_words = doc_words;
    // Not reserved up front: `out`'s vectors are handed back from document
    // to document and soon hold enough, where counting the picks to
    // reserve them cost a population count per sixteen tokens, twice.
    let (mut mentions, mut unknown) = (std::mem::take(&mut out.mentions), std::mem::take(&mut out.unknown));
    mentions.clear();
    unknown.clear();
    // Tokens a dictionary entry explains.
    let mut covered = Covered::new_in(tokens.tokens.len(), buffers.covered);

    // Names first, in one pass over the document's entry starts; then the
    // unknown names and the anaphors, each in one pass too: neither looks
    // at a name after the sentence it is in, so finding every name first
    // changes nothing.
    find_names(
        text,
        &doc_words,
        words,
        &tokens.sentences,
        gazetteer,
        &mut covered,
        &mut buffers.persons,
        &mut mentions,
    );
    // Headlines in title case capitalise every word: nothing to learn
    // there (asked only once a name is found).
    let headline = |si: u32| tokens.is_headline(text, si as usize);
    unknown::collect(text, &doc_words, Sentences::new(&doc_words, &tokens.sentences), &covered, headline, &mut unknown);
    let mut anaphora = anaphora::Resolver::new_in(
        text,
        &tokens.tokens,
        &gazetteer.actors,
        buffers.added,
        buffers.anaphors,
        buffers.first_named,
    );
    anaphora.resolve(Sentences::new(&doc_words, &tokens.sentences), &mentions);
    (buffers.added, buffers.anaphors, buffers.first_named) = anaphora.finish(&mut mentions);
    (buffers.seen, buffers.picks) = doc_words.into_buffers();
    buffers.covered = covered.into_buffer();
    buffers.let_go_huge();
    BUFFERS.set(buffers);
    *out = Tagged { mentions, unknown };
}

/// The vectors [`tag_words`] fills for each document and drops at its end,
/// kept by each thread from one document to the next: taking them back
/// costs no allocation (half a dozen a document otherwise, and a few more
/// as the resolved mentions and the persons named grow). Those sized by
/// the document are let go after a huge one ([`Buffers::let_go_huge`]).
#[derive(Debug, Default)]
struct Buffers {
    /// What the texts of the tokens looked up to ([`Seen`]), kept as long
    /// as the vocabulary and the interner's generation last.
    seen: Seen,
    picks: Vec<u64>,
    covered: Vec<u64>,
    added: Vec<Mention>,
    anaphors: Vec<(u32, vocab::Class)>,
    first_named: Vec<u32>,
    persons: Vec<ActorId>,
}

impl Buffers {
    /// Lets go each vector sized by the document that is above
    /// [`KEPT_BUFFER_BYTES`], as every buffer kept from document to document
    /// is: the small documents after a huge one do not hold its memory.
    /// `seen` is sized by the interner's texts, not by the document, and
    /// bounded with them.
    fn let_go_huge(&mut self) {
        let_go_above(&mut self.picks, KEPT_BUFFER_BYTES);
        let_go_above(&mut self.covered, KEPT_BUFFER_BYTES);
        let_go_above(&mut self.added, KEPT_BUFFER_BYTES);
        let_go_above(&mut self.anaphors, KEPT_BUFFER_BYTES);
        let_go_above(&mut self.first_named, KEPT_BUFFER_BYTES);
        let_go_above(&mut self.persons, KEPT_BUFFER_BYTES);
    }
}

thread_local! {
    /// This thread's [`Buffers`], empty while a document is tagged.
    static BUFFERS: Cell<Buffers> = Cell::new(Buffers::default());
}

/// The dictionary's names in the document, longest match first, in order;
/// the tokens of the entries found (but for unresolved surnames) marked in
/// `covered`. `persons` is a buffer for the persons named in full.
#[allow(clippy::too_many_arguments)]
fn find_names(
    text: &str,
    doc_words: &DocWords<'_>,
    words: &WordIds,
    sentences: &[dyad_core::Sentence],
    gazetteer: &Gazetteer,
    covered: &mut Covered,
    persons: &mut Vec<ActorId>,
    mentions: &mut Vec<Mention>,
) {
    persons.clear();
    match gazetteer.index.vocab.frozen_id() {
        Some(vocab) => ONE_WORD.with_borrow_mut(|cache| {
            cache.prepare(vocab, words);
            find_names_with(text, doc_words, words, Some(cache), sentences, gazetteer, covered, persons, mentions);
        }),
        None => find_names_with(text, doc_words, words, None, sentences, gazetteer, covered, persons, mentions),
    }
}

thread_local! {
    /// What the entries of one word say of each interned token text this
    /// thread has met as an entry start ([`OneWordCache`]).
    static ONE_WORD: RefCell<OneWordCache> = RefCell::new(OneWordCache::default());
}

/// For each interned token text ([`WordIds`]), what the dictionary's
/// entries of one word make of it ([`OneWordName`]), found once: most
/// names are of one word and repeat, and with no entry of more words to
/// try a match is a function of the token's text, but for a surname. A
/// repeated name then costs a load and the mention's push.
///
/// Invariant: the results are those of the index (and actor table) whose
/// vocabulary is the one `prepare` was given; [`Found::Unseen`] marks a
/// text not looked at yet.
#[derive(Debug, Default)]
struct OneWordCache {
    results: ByTextId<OneWordName>,
    /// What the dictionary matches at an entry start that may begin an
    /// entry of more words, by the interned ids of its token's text and
    /// the next one's ([`Pair`]), kept like `results`.
    pairs: WordHashMap<u64, Pair>,
    /// The same for [`Pair::Longer`], by the ids of the texts of the
    /// tokens that decide it, up to four, packed from the low bits up
    /// (the rest all ones).
    longer: WordHashMap<u128, Option<Match>>,
    /// For [`Pair::Third`], what the texts of the first three tokens
    /// say, keyed like `longer`: [`Pair::Known`], [`Pair::Longer`] (of
    /// four) or [`Pair::Slow`].
    thirds: WordHashMap<u128, Pair>,
    /// For [`Pair::Spaced`], what the texts of the tokens that decide it
    /// and their spacing say ([`spaced_key`]): [`Pair::Known`] or
    /// [`Pair::Slow`].
    spaced: WordHashMap<SpacedKey, Pair>,
    /// The vocabulary and interner generation `pairs` and `longer` are
    /// those of.
    pairs_of: (u64, u64),
}

/// What the dictionary matches at an entry start and the token after it
/// (in its sentence), when that is a function of the two tokens' texts.
#[derive(Debug, Clone, Copy)]
enum Pair {
    /// The match ([`best_match`]): no entry under the first word's folded
    /// form is of more than two words with the second's as its second
    /// word, nor a surname that the two could spell; or none is before
    /// the first entry the two spell, which names an actor or blocks
    /// ([`matcher::Index::first_match`]).
    Known(Option<Match>),
    /// The match is a function of the texts of this many tokens (three or
    /// four, [`matcher::Index::decided_by`]), when the sentence has them.
    Longer(u8),
    /// Entries of more than four words start with the two, or one of
    /// three words or more may match before the first entry the two
    /// spell: the third token's text rules most of them out
    /// ([`OneWordCache::thirds`]), when the sentence has it.
    Third,
    /// The match is a function of the texts of this many tokens (three to
    /// [`SPACED_MAX`]) and of which touch the one before (a hyphenated
    /// name's must), when the sentence has them, or else it is
    /// [`Pair::Slow`] for them ([`OneWordCache::spaced`]).
    Spaced(u8),
    /// Otherwise: the document may change it, or the tokens' spacing.
    Slow,
}

/// What the entries of one word say of a token text, and whether an entry
/// of more words could start there instead.
#[derive(Debug, Clone, Copy)]
struct OneWordName {
    /// The second words of the entries of more words that the text's
    /// folded form starts, as bits ([`Index::seconds`]): when the next
    /// token's word is not among them (or none follows in its sentence),
    /// only the entries of one word are tried, so the rest applies.
    seconds: u64,
    found: Found,
    /// For [`Found::Actor`]: the actor, how it is named, and whether it is
    /// a person; for [`Found::OnlySurname`], the person and whether it is
    /// one as the actor table says.
    actor: ActorId,
    via: Via,
    person: bool,
    /// For [`Found::OnlySurname`]: may the surname stand alone?
    stands_alone: bool,
}

/// What the entries of one word make of a token text ([`OneWord`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// Not looked at yet.
    Unseen,
    /// No entry matches.
    Nothing,
    /// A block matches: it names nothing, and covers the token.
    Block,
    /// An actor's name matches.
    Actor,
    /// A surname matches first: which person it names, if any, depends on
    /// the document.
    Surname,
    /// The only entry of one word that matches is a surname, of
    /// [`OneWordName::actor`]: it names that person or nobody, as the
    /// document says ([`choose_surname`]).
    OnlySurname,
}

impl OneWordName {
    const UNSEEN: OneWordName = OneWordName {
        seconds: 0,
        found: Found::Unseen,
        actor: ActorId(0),
        via: Via::Name,
        person: false,
        stands_alone: false,
    };

    /// What the entries of one word under `id` say of token `t`, and the
    /// second words of the entries of more words under it.
    fn of(gazetteer: &Gazetteer, id: WordId, text: &str, t: Token) -> OneWordName {
        let index = &gazetteer.index;
        let name = OneWordName { seconds: index.seconds(id), ..OneWordName::UNSEEN };
        match index.one_word(id, text, t) {
            OneWord::None => OneWordName { found: Found::Nothing, ..name },
            OneWord::Surname(None) => OneWordName { found: Found::Surname, ..name },
            OneWord::Surname(Some((person, stands_alone))) => OneWordName {
                found: Found::OnlySurname,
                actor: person,
                person: gazetteer.actors.get(person).kind == ActorKind::Person,
                stands_alone,
                ..name
            },
            OneWord::Entry(e) => match index.entry(e).target {
                Target::Actor(actor, via) => OneWordName {
                    found: Found::Actor,
                    actor,
                    via,
                    person: gazetteer.actors.get(actor).kind == ActorKind::Person,
                    ..name
                },
                Target::Block => OneWordName { found: Found::Block, ..name },
                // Not so (`one_word` tells a surname apart), but the slow
                // path would be right.
                Target::Surname { .. } => OneWordName { found: Found::Surname, ..name },
            },
        }
    }
}

impl OneWordCache {
    /// Makes the cache that of `vocab` ([`vocab::Vocab::frozen_id`]) for
    /// the ids of `words`.
    fn prepare(&mut self, vocab: u64, words: &WordIds) {
        self.results.prepare(vocab, words, OneWordName::UNSEEN);
        if self.pairs_of != (vocab, words.generation()) {
            self.pairs.clear();
            self.longer.clear();
            self.thirds.clear();
            self.spaced.clear();
            self.pairs_of = (vocab, words.generation());
        }
    }

    /// What the entries of one word say of text `word`; `look_up` says it
    /// the first time. A closure: the token and its folded form are only
    /// read then, not for each repeat.
    #[inline]
    fn get(&mut self, word: u32, look_up: impl FnOnce() -> OneWordName) -> &OneWordName {
        let at = word as usize & self.results.mask();
        let slot = &mut self.results.by_id[at];
        if slot.found == Found::Unseen {
            OneWordCache::fill(slot, look_up());
        }
        slot
    }

    #[cold]
    #[inline(never)]
    fn fill(slot: &mut OneWordName, found: OneWordName) {
        *slot = found;
    }
}

/// [`find_names`] with the cache of one-word results, if the vocabulary
/// is frozen. `seen_persons` (empty) gets the persons named in full.
///
/// Two paths: a name of one word whose text the cache knows is pushed
/// right here (most names), as is the surname of one person; any other
/// entry start is left to [`NameSearch::at`], out of line, so that this
/// loop keeps more of its state in registers. Inlined: out of line (as
/// the compiler chose once the picks were read 64 tokens at a time), the
/// run on `/tmp/cg6k` took 6.9 M more instructions.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn find_names_with(
    text: &str,
    doc_words: &DocWords<'_>,
    words: &WordIds,
    cache: Option<&mut OneWordCache>,
    sentences: &[dyad_core::Sentence],
    gazetteer: &Gazetteer,
    covered: &mut Covered,
    seen_persons: &mut Vec<ActorId>,
    mentions: &mut Vec<Mention>,
) {
    let mut search = NameSearch {
        text,
        gazetteer,
        sentences: Sentences::new(doc_words, sentences),
        covered,
        seen_persons,
        mentions,
    };
    // Where the last match ended: names do not overlap.
    let mut next = 0;
    let Some(cache) = cache else {
        for at in doc_words.all_picked(Pick::EntryStart) {
            if at >= next {
                next = search.at(at);
            }
        }
        return;
    };
    let (tokens, text_ids) = (doc_words.tokens(), words.ids());
    // The last token: the one after an entry start, if any, is read at
    // most this far.
    let last = tokens.len().saturating_sub(1);
    for at in doc_words.all_picked(Pick::EntryStart) {
        if at < next {
            continue;
        }
        let s = search.sentences.of(at);
        let (sentence, first, end) = (s.index, s.first, s.end());
        let name = *cache.get(text_ids[at], || OneWordName::of(gazetteer, doc_words.id(at), text, tokens[at]));
        // Most names are of one word, known by their text alone: no entry
        // of more words can start here when the next token's word (in the
        // sentence) is none of their second words. Read whatever the
        // text's second words, without a branch: half the entry starts
        // have some, and which half is guessed wrong too often.
        let next_bit = Index::second_bit(doc_words.id((at + 1).min(last)));
        let alone = name.seconds & next_bit & u64::from(at + 1 < end).wrapping_neg() == 0;
        match name.found {
            Found::Nothing if alone => {}
            Found::Block if alone => {
                next = at + 1;
                search.covered.cover_one(at);
            }
            Found::Actor if alone => {
                next = at + 1;
                search.covered.cover_one(at);
                if negated_compound(text, tokens, first, at) {
                    continue;
                }
                search.push_one(tokens[at].span, at, sentence, (name.actor, name.via), name.person);
            }
            // The surname of one person (most surnames): that person, or
            // nobody and nothing covered, as `NameSearch::at` would find.
            Found::OnlySurname if alone => {
                next = at + 1;
                let s = search.sentences.of(at);
                let i = at - first;
                let titled = || i > 0 && s.class(i - 1).any(Class::TITLE) && s.upper(i - 1);
                let people = std::iter::once((name.actor, name.stands_alone));
                let Some((actor, via)) = choose_surname(people, search.seen_persons, titled) else {
                    continue;
                };
                search.covered.cover_one(at);
                if negated_compound(text, tokens, first, at) {
                    continue;
                }
                search.push_one(tokens[at].span, at, sentence, (actor, via), name.person);
            }
            // An entry of more words may start here: known by the two
            // tokens' texts, most of the time.
            _ if !alone => {
                let key = u64::from(text_ids[at]) << 32 | u64::from(text_ids[at + 1]);
                next = match *cache.pairs.entry(key).or_insert_with(|| search.pair(at)) {
                    Pair::Known(found) => search.apply(at, found),
                    Pair::Longer(k) if at + usize::from(k) <= end => {
                        search.apply_longer(&mut cache.longer, at, &text_ids[at..at + usize::from(k)])
                    }
                    Pair::Third if at + 3 <= end => {
                        let key = ids_key(&text_ids[at..at + 3]);
                        match *cache.thirds.entry(key).or_insert_with(|| search.third(at)) {
                            Pair::Known(found) => search.apply(at, found),
                            Pair::Longer(k) if at + usize::from(k) <= end => {
                                search.apply_longer(&mut cache.longer, at, &text_ids[at..at + usize::from(k)])
                            }
                            Pair::Spaced(k) if at + usize::from(k) <= end => {
                                let run = at..at + usize::from(k);
                                search.apply_spaced(&mut cache.spaced, at, &text_ids[run.clone()], &tokens[run])
                            }
                            _ => search.at(at),
                        }
                    }
                    Pair::Spaced(k) if at + usize::from(k) <= end => {
                        let run = at..at + usize::from(k);
                        search.apply_spaced(&mut cache.spaced, at, &text_ids[run.clone()], &tokens[run])
                    }
                    Pair::Longer(_) | Pair::Third | Pair::Spaced(_) | Pair::Slow => search.at(at),
                };
            }
            // Which person a surname shared by several persons names.
            _ => next = search.at(at),
        }
    }
}

/// What the search for names keeps from one entry start to the next.
struct NameSearch<'a, 'b> {
    text: &'a str,
    gazetteer: &'a Gazetteer,
    sentences: Sentences<'a>,
    covered: &'b mut Covered,
    seen_persons: &'b mut Vec<ActorId>,
    mentions: &'b mut Vec<Mention>,
}

impl NameSearch<'_, '_> {
    /// Matches the dictionary at token `at` (picked as an entry start),
    /// covers the tokens of the entry found and pushes the mention it
    /// names, if any. Returns where the next name may start.
    #[inline(never)]
    fn at(&mut self, at: usize) -> usize {
        let found = self.best_match(at);
        self.apply(at, found)
    }

    /// The best match at token `at` ([`best_match`]).
    fn best_match(&mut self, at: usize) -> Option<Match> {
        let s = self.sentences.of(at);
        let i = at - s.first;
        // "President Assad": a title right before a surname.
        let titled = || i > 0 && s.class(i - 1).any(Class::TITLE) && s.upper(i - 1);
        best_match(&self.gazetteer.index, self.text, &s.toks[i..], |k| s.id(i + k), self.seen_persons, titled)
    }

    /// What the dictionary matches at token `at`, followed by another in
    /// its sentence, if the two tokens' texts decide it ([`Pair`]).
    #[cold]
    #[inline(never)]
    fn pair(&mut self, at: usize) -> Pair {
        let s = self.sentences.of(at);
        let i = at - s.first;
        let (index, words) = (&self.gazetteer.index, [s.id(i), s.id(i + 1)]);
        match index.decided_by(&words) {
            Some(2) => Pair::Known(self.best_match(at)),
            Some(k @ 3..=4) => Pair::Longer(k as u8),
            Some(_) => Pair::Third,
            // A surname or a hyphen among the entries: the first entry the
            // two spell may decide all the same, or that of a few more
            // tokens and their spacing (which two texts cannot tell).
            None => match index.first_match(&words, self.text, &s.toks[i..i + 2]) {
                FirstMatch::Texts => Pair::Known(self.best_match(at)),
                FirstMatch::Longer => match index.longest_candidate(&words) {
                    k @ 3..=SPACED_MAX => Pair::Spaced(k as u8),
                    _ => Pair::Third,
                },
                FirstMatch::Spacing | FirstMatch::Document => Pair::Slow,
            },
        }
    }

    /// What the dictionary matches at token `at`, followed by two more in
    /// its sentence, if the three tokens' texts decide it, or four
    /// ([`Pair`]: not [`Pair::Third`]).
    #[cold]
    #[inline(never)]
    fn third(&mut self, at: usize) -> Pair {
        let s = self.sentences.of(at);
        let i = at - s.first;
        let (index, words) = (&self.gazetteer.index, [s.id(i), s.id(i + 1), s.id(i + 2)]);
        match index.decided_by(&words) {
            Some(3) => Pair::Known(self.best_match(at)),
            Some(4) => Pair::Longer(4),
            _ => match index.first_match(&words, self.text, &s.toks[i..i + 3]) {
                FirstMatch::Texts => Pair::Known(self.best_match(at)),
                FirstMatch::Spacing => Pair::Spaced(3),
                FirstMatch::Longer => match index.longest_candidate(&words) {
                    k @ 4..=SPACED_MAX => Pair::Spaced(k as u8),
                    _ => Pair::Slow,
                },
                FirstMatch::Document => Pair::Slow,
            },
        }
    }

    /// What the dictionary matches at token `at`, followed by `k - 1`
    /// more in its sentence, if the texts of the `k` and their spacing
    /// decide it: [`Pair::Known`], else [`Pair::Slow`].
    #[cold]
    #[inline(never)]
    fn spaced(&mut self, at: usize, k: usize) -> Pair {
        let s = self.sentences.of(at);
        let i = at - s.first;
        let words: Vec<WordId> = (i..i + k).map(|j| s.id(j)).collect();
        match self.gazetteer.index.first_match(&words, self.text, &s.toks[i..i + k]) {
            FirstMatch::Texts | FirstMatch::Spacing => Pair::Known(self.best_match(at)),
            FirstMatch::Longer | FirstMatch::Document => Pair::Slow,
        }
    }

    /// [`NameSearch::apply`] of the best match at token `at`, kept in
    /// `spaced` by the texts `ids` of the tokens `toks` (from `at` on)
    /// that decide it with their spacing ([`Pair::Spaced`]); or the full
    /// search, if they do not.
    #[inline]
    fn apply_spaced(
        &mut self,
        spaced: &mut WordHashMap<SpacedKey, Pair>,
        at: usize,
        ids: &[u32],
        toks: &[Token],
    ) -> usize {
        match *spaced.entry(spaced_key(ids, toks)).or_insert_with(|| self.spaced(at, ids.len())) {
            Pair::Known(found) => self.apply(at, found),
            _ => self.at(at),
        }
    }

    /// [`NameSearch::apply`] of the best match at token `at`, kept in
    /// `longer` by the texts `ids` of the tokens that decide it.
    #[inline]
    fn apply_longer(&mut self, longer: &mut WordHashMap<u128, Option<Match>>, at: usize, ids: &[u32]) -> usize {
        let found = *longer.entry(ids_key(ids)).or_insert_with(|| self.best_match(at));
        self.apply(at, found)
    }

    /// Covers the tokens of `found`, the best match at token `at`, and
    /// pushes the mention it names, if any. Returns where the next name
    /// may start.
    fn apply(&mut self, at: usize, found: Option<Match>) -> usize {
        let Some((len, target, resolved)) = found else {
            return at;
        };
        let Some((actor, via)) = resolved else {
            // A block names nothing; an unresolved surname stays a candidate
            // for the unknown-names table.
            if !matches!(target, Target::Surname { .. }) {
                self.covered.cover(at..at + len);
            }
            return at + len;
        };
        self.covered.cover(at..at + len);
        let s = self.sentences.of(at);
        let (toks, i) = (s.toks, at - s.first);
        if negated_compound(self.text, toks, 0, i) {
            return at + len;
        }
        // Tokens are in text order and do not overlap.
        let span = Span { start: toks[i].span.start, end: toks[i + len - 1].span.end };
        let mention =
            Mention { span, sentence: s.index, first_token: at as u32, end_token: (at + len) as u32, actor, via };
        self.push(mention, self.gazetteer.actors.get(actor).kind == ActorKind::Person);
        at + len
    }

    /// Pushes `mention`, first noting its actor among the document's
    /// persons when it is one (a later surname may name it).
    #[inline(always)]
    fn push(&mut self, mention: Mention, person: bool) {
        if person && !self.seen_persons.contains(&mention.actor) {
            self.seen_persons.push(mention.actor);
        }
        self.mentions.push(mention);
    }

    /// [`NameSearch::push`] of the name of one token, `at`, of sentence
    /// `sentence`, whose text is `span`.
    fn push_one(&mut self, span: Span, at: usize, sentence: u32, (actor, via): (ActorId, Via), person: bool) {
        let mention = Mention { span, sentence, first_token: at as u32, end_token: at as u32 + 1, actor, via };
        self.push(mention, person);
    }
}

/// The key of the texts of a run of up to four tokens (`ids`, their
/// interned ids) in [`OneWordCache::longer`] and [`OneWordCache::thirds`]:
/// packed from the low bits up, the rest all ones.
fn ids_key(ids: &[u32]) -> u128 {
    ids.iter().rev().fold(u128::MAX, |key, &id| key << 32 | u128::from(id))
}

/// The most tokens of a run that [`Pair::Spaced`] keeps the match of
/// ("Abdul-Malik al-Houthi" is six).
const SPACED_MAX: usize = 8;

/// The key of the texts of a run of three to [`SPACED_MAX`] tokens and
/// their spacing in [`OneWordCache::spaced`] ([`spaced_key`]).
type SpacedKey = [u32; SPACED_MAX];

/// The [`SpacedKey`] of a run of tokens `toks` of interned ids `ids`:
/// each id, with its top bit set when its token touches the one before
/// (ids are below `dyad_core::words::WORD_LIMIT`, far below that bit),
/// then all ones.
fn spaced_key(ids: &[u32], toks: &[Token]) -> SpacedKey {
    debug_assert!(ids.len() == toks.len() && ids.len() <= SPACED_MAX && ids.iter().all(|&id| id < 1 << 31));
    let mut key = [u32::MAX; SPACED_MAX];
    for (j, (slot, &id)) in key.iter_mut().zip(ids).enumerate() {
        let touching = j > 0 && toks[j - 1].span.end == toks[j].span.start;
        *slot = id | u32::from(touching) << 31;
    }
    key
}

/// A dictionary match: token count, the entry's target, the actor it names.
type Match = (usize, Target, Option<(ActorId, Via)>);

/// The best dictionary entry matching the tokens at the start of `toks`
/// (`id(k)` the folded form of `toks[k]`): `(token count, target,
/// resolved actor)`.
/// Entries are tried longest first; a surname that names nobody here gives
/// way to a shorter or lower-ranked entry; if none resolves, the first
/// match is returned unresolved. `titled`: does a title stand right
/// before? Asked only of a surname (most matches are not).
fn best_match(
    index: &Index,
    text: &str,
    toks: &[Token],
    id: impl Fn(usize) -> WordId + Clone,
    seen: &[ActorId],
    titled: impl Fn() -> bool,
) -> Option<Match> {
    let mut first = None;
    // The length of the surnames already asked about: which person they
    // name depends on all of them at once, so the rest of that length are
    // passed over.
    let mut surnames_of = 0;
    let mut candidates = index.candidates(toks.len(), id);
    while let Some(e) = candidates.next() {
        let n = e.words.len();
        if n == surnames_of {
            continue;
        }
        if !(e.matches(text, toks) && joined_like_dictionary(text, &toks[..n])) {
            continue;
        }
        let resolved = match e.target {
            Target::Block => return Some((n, e.target, None)),
            Target::Actor(id, via) => Some((id, via)),
            Target::Surname { person, alone } => {
                surnames_of = n;
                // Longest first, then surnames last among entries of one
                // length: the others of this length follow this one.
                let others = candidates.clone().take_while(|e| e.words.len() == n);
                let people = std::iter::once((person, alone)).chain(others.filter_map(|e| match e.target {
                    Target::Surname { person, alone } if e.matches(text, toks) => Some((person, alone)),
                    _ => None,
                }));
                choose_surname(people, seen, &titled)
            }
        };
        if resolved.is_some() {
            return Some((n, e.target, resolved));
        }
        first.get_or_insert((n, e.target, None));
    }
    first
}

/// Multi-word names must not run across sentence punctuation gaps that the
/// dictionary word list does not have; a hyphen inside a name must be
/// attached on both sides ("al-Assad"), as in the dictionary.
fn joined_like_dictionary(text: &str, toks: &[Token]) -> bool {
    toks.windows(3).all(|w| {
        let mid = token_bytes(text, w[1]);
        !(mid == b"-" || mid == "\u{2010}".as_bytes())
            || (w[0].span.end == w[1].span.start && w[1].span.end == w[2].span.start)
    })
}

/// Picks the person a bare surname names, of `people` (the persons with
/// that surname as the dictionary lists them, and whether it may stand
/// alone): one already named in full in this document (the last listed),
/// else one the dictionary lets stand alone, else (after a title) the first
/// listed. Each entry is matched once, however many of these questions are
/// asked.
fn choose_surname(
    people: impl Iterator<Item = (ActorId, bool)>,
    seen: &[ActorId],
    titled: impl Fn() -> bool,
) -> Option<(ActorId, Via)> {
    let mut last_seen = None;
    let mut first_alone = None;
    let mut first_listed = None;
    for (p, alone) in people {
        first_listed.get_or_insert(p);
        if alone {
            first_alone.get_or_insert(p);
        }
        if seen.contains(&p) {
            last_seen = Some(p);
        }
    }
    if let Some(p) = last_seen {
        return Some((p, Via::Surname));
    }
    let titled = titled();
    if let Some(p) = first_alone {
        return Some((p, if titled { Via::Title } else { Via::Surname }));
    }
    if titled {
        return first_listed.map(|p| (p, Via::Title));
    }
    None
}

/// The bytes of token `t` of `text`: comparing them with a literal skips
/// the character-boundary checks of `Token::text`.
fn token_bytes(text: &str, t: Token) -> &[u8] {
    &text.as_bytes()[t.span.range()]
}

/// "non-Iranian" names no actor: is the name at token `i` of `toks`
/// so, its prefix and hyphen among the tokens from `first` on (its
/// sentence's)? Inlined: called for most names, and most return at the
/// first comparison.
#[inline(always)]
fn negated_compound(text: &str, toks: &[Token], first: usize, i: usize) -> bool {
    // The three tokens up to the name's first, taken with one bounds check.
    let Some(&[prefix, dash, word]) = i.checked_sub(2).filter(|&p| p >= first).and_then(|p| toks.get(p..=i)) else {
        return false;
    };
    // Most names follow a space: the spans, at hand, say no first.
    dash.span.end == word.span.start
        && prefix.span.end == dash.span.start
        && token_bytes(text, dash) == b"-"
        && token_bytes(text, prefix).eq_ignore_ascii_case(b"non")
}

#[cfg(test)]
mod tests;
