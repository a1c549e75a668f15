//! Actor mentions: document + tokens + actor dictionary -> mentions.
//!
//! STUB: being written.

use dyad_core::{ActorTable, Document, Tagged, Tokenized};

#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{file}:{line}: {message}")]
    Line { file: String, line: usize, message: String },
}

/// The actor dictionary with its matching automata, built once.
#[derive(Debug, Default)]
pub struct Gazetteer {
    actors: ActorTable,
}

/// The seed files a gazetteer is built from, as text with the name shown in errors.
pub struct SeedText<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Gazetteer {
    /// Builds the gazetteer from `actors.tsv`, `aliases.tsv` and `persons.tsv` text.
    pub fn from_seeds(actors: SeedText<'_>, aliases: SeedText<'_>, persons: SeedText<'_>) -> Result<Gazetteer, DictError> {
        let _ = (actors, aliases, persons);
        Ok(Gazetteer::default())
    }

    pub fn actors(&self) -> &ActorTable {
        &self.actors
    }
}

/// Tags actor mentions in `doc`. Cannot fail.
pub fn tag(doc: &Document, tokens: &Tokenized, gazetteer: &Gazetteer) -> Tagged {
    let _ = (doc, tokens, gazetteer);
    Tagged::default()
}
