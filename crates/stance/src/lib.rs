//! Stances: document + tokens + mentions + cue lexicon -> directed dyads and
//! the author's stance toward each actor.
//!
//! STUB: being written.

use dyad_core::{ActorTable, Document, StanceOutput, Tagged, Tokenized};

#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{file}:{line}: {message}")]
    Line { file: String, line: usize, message: String },
}

/// The cue lexicon, built once.
#[derive(Debug, Default)]
pub struct Lexicon {}

impl Lexicon {
    /// Builds the lexicon from `cues.tsv` text; `name` is shown in errors.
    pub fn from_tsv(name: &str, text: &str) -> Result<Lexicon, LexiconError> {
        let _ = (name, text);
        Ok(Lexicon {})
    }
}

/// Tags stances in `doc`. Cannot fail.
pub fn tag(doc: &Document, tokens: &Tokenized, tagged: &Tagged, actors: &ActorTable, lexicon: &Lexicon) -> StanceOutput {
    let _ = (doc, tokens, tagged, actors, lexicon);
    StanceOutput::default()
}
