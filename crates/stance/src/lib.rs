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

use lexicon::Vocab;
use sentence::{Scratch, View};

use dyad_core::{ActorTable, Document, StanceOutput, Tagged, Tokenized};

#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{file}:{line}: {message}")]
    Line { file: String, line: usize, message: String },
}

/// Tags stances in `doc`. Cannot fail.
pub fn tag(
    doc: &Document,
    tokens: &Tokenized,
    tagged: &Tagged,
    actors: &ActorTable,
    lexicon: &Lexicon,
) -> StanceOutput {
    let mut stances = Vec::new();
    let mut evaluations = Vec::new();
    let mut words = Vec::new();
    let mut scratch = Scratch::default();
    Vocab::with(lexicon, |vocab| {
        let mut m = 0;
        for (si, sentence) in tokens.sentences.iter().enumerate() {
            let start = m;
            while m < tagged.mentions.len() && tagged.mentions[m].sentence as usize == si {
                m += 1;
            }
            // A sentence without actors holds no stance and no evaluation.
            if m == start || doc.is_boilerplate(sentence.span) {
                continue;
            }
            View::words(vocab, lexicon, &doc.text, tokens.sentence_tokens(si), &mut words);
            // Without a word that starts a cue or an evaluative entry there is
            // nothing to find.
            if !words.iter().any(|&w| vocab.word(w).starts & (lexicon::CUE | lexicon::EVALUATIVE) != 0) {
                continue;
            }
            let mentions = &tagged.mentions[start..m];
            let view = View::new(doc, tokens, si, mentions, start, actors, lexicon, vocab, &words, scratch.recycle());
            view.stances(&mut stances);
            view.evaluations(&mut evaluations);
            scratch = view.into_scratch().recycle();
        }
    });
    let author = author::aggregate(tagged, actors, &evaluations);
    StanceOutput { stances, author }
}

#[cfg(test)]
mod tests;
