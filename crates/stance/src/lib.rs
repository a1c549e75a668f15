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

use author::Evaluation;
use dyad_core::{
    ActorId, ActorTable, Document, KEPT_BUFFER_BYTES, StanceOutput, Tagged, Tokenized, WordIds, let_go_above,
};
use std::cell::RefCell;

#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{file}:{line}: {message}")]
    Line { file: String, line: usize, message: String },
}

/// What a thread keeps between documents, so that buffers are allocated
/// once: the per-token tables of a sentence, which each sentence starts by
/// clearing, the attachment rules' buffers and a document's own.
#[derive(Default)]
struct PerThread {
    scratch: Scratch,
    kept: Kept,
    /// Each mention's primary actor.
    primaries: Vec<ActorId>,
    evaluations: Vec<Evaluation>,
    /// The cue buffers, empty between documents: they hold references into
    /// the lexicon only while a document is tagged ([`sentence::recycle`]).
    buffers: StanceBuffers<'static>,
}

/// Label buffers kept for the next document's stances: more than most
/// documents have, few enough that a document with thousands of stances
/// does not keep its labels' memory.
const LABELS_KEPT: usize = 256;

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
    let mut out = StanceOutput::default();
    tag_words_into(doc, tokens, &WordIds::of(&doc.text, &tokens.tokens), tagged, actors, lexicon, &mut out);
    out
}

/// [`tag`] with the tokens' ids already given (the pipeline gives them
/// once, for entities and stance; `words` must be those of `tokens`), into
/// `out`, which is cleared first: its vectors, and the
/// label buffers of the stances it held, are reused, so that a worker that
/// hands the same output from document to document allocates next to
/// nothing for it.
pub fn tag_words_into(
    doc: &Document,
    tokens: &Tokenized,
    words: &WordIds,
    tagged: &Tagged,
    actors: &ActorTable,
    lexicon: &Lexicon,
    out: &mut StanceOutput,
) {
    assert_eq!(words.ids().len(), tokens.tokens.len(), "one word id per token");
    SCRATCH.with_borrow_mut(|PerThread { scratch, kept, primaries, evaluations, buffers }| {
        kept.labels.extend(out.stances.drain(..).map(|s| s.cue));
        kept.labels.truncate(LABELS_KEPT);
        let stances_out = &mut out.stances;
        evaluations.clear();
        // Each mention's primary actor, found once: the sentence gate, the
        // attachment rules and the author's tally all ask.
        primaries.clear();
        primaries.extend(tagged.mentions.iter().map(|m| actors.primary(m.actor)));
        let mut cue_buffers = sentence::recycle(std::mem::take(buffers));
        Vocab::with(lexicon, words, |vocab| {
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
                let evaluations_here = starts & lexicon::EVALUATIVE != 0;
                if !stances && !evaluations_here {
                    continue;
                }
                let view = View::new(doc, tokens, si, mentions, start, primaries, lexicon, vocab, stances, scratch);
                if stances {
                    view.stances(&mut cue_buffers, kept, stances_out);
                }
                if evaluations_here {
                    view.evaluations(evaluations);
                }
            }
        });
        *buffers = sentence::recycle(cue_buffers);
        author::aggregate(primaries, actors, evaluations, &mut out.author);
        // A huge document's buffers are not kept for the small ones after it.
        scratch.let_go_above(KEPT_BUFFER_BYTES);
        kept.let_go_above(KEPT_BUFFER_BYTES);
        let_go_above(primaries, KEPT_BUFFER_BYTES);
        let_go_above(evaluations, KEPT_BUFFER_BYTES);
    });
}

#[cfg(test)]
mod tests;
