//! Stances: document + tokens + mentions + cue lexicon -> directed dyads and
//! the author's stance toward each actor.
//!
//! For each cue in a sentence ("supplies", "ties with", "wary of", "attack
//! on") the tagger finds its source (the nearest actor to the left that is
//! not the object of a preposition: a subject, a possessor "Russia's", an
//! adjective "Israeli attacks"; or the agent after "by" in a passive) and its
//! target (the actor after the cue's preposition or its object), or both
//! sides of a mutual relation ("between X and Y", "the X-Y conflict").
//! Modality comes from the words around the cue in its clause
//! (`modality`); negation cancels a cue, restraint ("refrained from")
//! turns a conflict cue into tacit cooperation.
//!
//! Invariant: a stance's source and target are different primary actors,
//! both mentioned in the evidence sentence, outside boilerplate.

mod author;
mod lexicon;
mod modality;
mod sentence;

pub use lexicon::{Cue, CueKind, Frame, Lexicon, Marker};

use lexicon::{UNSEEN_STARTS, Vocab};
use sentence::{Kept, Scratch, StanceBuffers, View};

use dyad_core::{ActorId, ActorTable, Document, StanceOutput, Tagged, Tokenized, WordIds};
use std::cell::RefCell;

#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{file}:{line}: {message}")]
    Line { file: String, line: usize, message: String },
}

/// What a thread keeps between documents, so that buffers are allocated
/// once: the per-token tables of a sentence, which each sentence starts by
/// clearing, and the attachment rules' buffers.
#[derive(Default)]
struct PerThread {
    scratch: Scratch,
    kept: Kept,
}

thread_local! {
    static SCRATCH: RefCell<PerThread> = RefCell::new(PerThread::default());
}

/// Tags stances in `doc`. Cannot fail.
pub fn tag(
    doc: &Document,
    tokens: &Tokenized,
    tagged: &Tagged,
    actors: &ActorTable,
    lexicon: &Lexicon,
) -> StanceOutput {
    tag_words(doc, tokens, &WordIds::of(&doc.text, &tokens.tokens), tagged, actors, lexicon)
}

/// [`tag`] with the tokens' ids already given (the pipeline gives them
/// once, for entities and stance). `words` must be those of `tokens`.
pub fn tag_words(
    doc: &Document,
    tokens: &Tokenized,
    words: &WordIds,
    tagged: &Tagged,
    actors: &ActorTable,
    lexicon: &Lexicon,
) -> StanceOutput {
    assert_eq!(words.ids().len(), tokens.tokens.len(), "one word id per token");
    let mut stances_out = Vec::new();
    let mut evaluations_out = Vec::new();
    // Each mention's primary actor, found once: the sentence gate, the
    // attachment rules and the author's tally all ask.
    let primaries: Vec<ActorId> = tagged.mentions.iter().map(|m| actors.primary(m.actor)).collect();
    SCRATCH.with_borrow_mut(|PerThread { scratch, kept }| {
        Vocab::with(lexicon, words, |vocab| {
            let mut buffers = StanceBuffers::default();
            // A sentence without actors holds no stance and no evaluation:
            // only the sentences of the mentions are visited, in order (the
            // mentions are sorted by position, so by sentence).
            let mut m = 0;
            while m < tagged.mentions.len() {
                let start = m;
                let si = tagged.mentions[m].sentence as usize;
                while m < tagged.mentions.len() && tagged.mentions[m].sentence as usize == si {
                    m += 1;
                }
                let sentence = &tokens.sentences[si];
                if doc.is_boilerplate(sentence.span) {
                    continue;
                }
                let ids = &words.ids()[sentence.token_range()];
                let mentions = &tagged.mentions[start..m];
                let primaries = &primaries[start..m];
                // A stance joins two different primary actors and needs a word
                // that starts a cue; an evaluation needs a word that starts an
                // evaluative entry. Most sentences have neither, or one actor.
                let two_actors = primaries.iter().any(|&p| p != primaries[0]);
                // With one actor, most sentences have no evaluative word:
                // that is seen from a byte per token, before the rows are
                // filled. (With two, most have a cue word: not worth asking.)
                if !two_actors && vocab.starts_bound(ids) & (lexicon::EVALUATIVE | UNSEEN_STARTS) == 0 {
                    continue;
                }
                scratch.clear();
                let starts = scratch.words(vocab, lexicon, &doc.text, tokens.sentence_tokens(si), ids);
                let stances = starts & lexicon::CUE != 0 && two_actors;
                let evaluations = starts & lexicon::EVALUATIVE != 0;
                if !stances && !evaluations {
                    continue;
                }
                let view = View::new(doc, tokens, si, mentions, start, primaries, lexicon, vocab, stances, scratch);
                if stances {
                    view.stances(&mut buffers, kept, &mut stances_out);
                }
                if evaluations {
                    view.evaluations(&mut evaluations_out);
                }
            }
        })
    });
    let author = author::aggregate(&primaries, actors, &evaluations_out);
    StanceOutput { stances: stances_out, author }
}

#[cfg(test)]
mod tests;
