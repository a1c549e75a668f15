//! Sentences and tokens with byte spans into the document text.
//!
//! Two backends behind one closed enum: a hand-written byte scanner
//! ([`Backend::Fast`], the default) and one built on the Hugging Face
//! `tokenizers` pre-tokenizers ([`Backend::HuggingFace`]). Both give the same
//! tokens, and one sentence splitter runs over the tokens of either.
//! Tokenizing cannot fail and never panics; empty or blank text gives no
//! tokens and no sentences.
//!
//! ```
//! use dyad_tokenize::{Backend, Tokenizer};
//!
//! let text = "Hamas’ leaders met Mr. Putin in the U.S. The talks failed.";
//! let out = Tokenizer::new(Backend::Fast).tokenize(text);
//! let words: Vec<&str> = out.tokens.iter().map(|t| t.text(text)).collect();
//! assert_eq!(words[..3], ["Hamas", "’", "leaders"]);
//! assert_eq!(out.sentences.len(), 2);
//! assert_eq!(out.sentences[1].span.slice(text), "The talks failed.");
//! ```
//!
//! # Tokens
//!
//! Spans are half-open byte offsets into the text exactly as given. Every
//! non-whitespace character (`char::is_whitespace`, so NBSP and the other
//! Unicode spaces too) is in exactly one token; whitespace is in none.
//! Adjacency is read from spans (`prev.span.end == next.span.start`).
//!
//! - `Word`: a run of letters and digits starting with a letter (combining
//!   marks and joiners continue a run). Inner apostrophes (`'`, `’`, `‘`)
//!   followed by a letter or digit join it: "don't", "didn’t", "O’Brien" — except a
//!   final `’s`, which is a clitic. Single letters joined by periods form one
//!   word with the final period: "U.S.", "U.N.", "e.g.", "a.m." (but "Ph.D."
//!   is `Ph` `.` `D` `.`).
//! - `Number`: a run starting with a digit, with inner `.`, `,` or `:`
//!   before more digits: "1.5", "2,000", "10:30", "1990s", "3rd".
//! - `Clitic`: `'s`/`’s`/`‘s`/`'S` right after a word or number ("Russia’s",
//!   "it's", "1990's"), or a bare `'`/`’` right after a word ending in s/S
//!   when no word character and no second apostrophe follows ("Hamas’
//!   leaders", "the Houthis’."). A closing quote after any other word is
//!   `Punct`.
//! - `Punct`: every other character, one token per run of the same
//!   character ("...", "--", "!!"). Hyphens and dashes are always their own
//!   tokens: "Iran-Israel" is `Iran` `-` `Israel`, "F-16" is `F` `-` `16`,
//!   "Israel—a" is `Israel` `—` `a`.
//!
//! # Sentences
//!
//! The full rules are in `src/sentences.rs`. In short, a sentence ends at
//! every line break (each non-empty line is at least its own paragraph, so
//! headlines, bylines and credits without final periods stand alone) and after
//! `.` `!` `?` `…` (and runs such as ".." or "?!", plus closing quotes and
//! brackets) followed by whitespace and an upper-case word, a digit or an
//! opening quote/bracket. Titles ("Mr.", "Gen.", "Sept.", "No.") never end a
//! sentence. Abbreviations that often do ("U.S.", "etc.", "Inc.", "Jr.") and
//! single initials ("W.") end one only before a common sentence starter
//! ("The", "It", "In", "But", ...): "the U.S. The" splits, "U.S. President"
//! and "George W. Bush" do not.
//!
//! # Backends
//!
//! [`Backend::Fast`] scans bytes by hand (hundreds of MB/s). [`Backend::HuggingFace`]
//! runs the `tokenizers` pre-tokenizers `WhitespaceSplit` and `Punctuation`,
//! then cuts their pieces with the same character classes and merges them
//! with the same rules (see `src/hf.rs` for what the pre-tokenizers alone get
//! wrong); it is about 30 times slower. The two give identical output: no
//! divergence is known, and the tests compare them on the corpus and on
//! random strings. Should the pre-tokenizer ever report an error (the ones
//! used never do), the HuggingFace backend falls back to the fast scanner.
//!
//! Texts longer than `u32::MAX` bytes are tokenized up to that length only
//! (spans are `u32`).

mod chars;
mod fast;
mod hf;
mod sentences;

use dyad_core::{KEPT_BUFFER_BYTES, Tokenized, let_go_above};
use std::cell::Cell;

/// Which implementation splits the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backend {
    /// The hand-written byte scanner.
    #[default]
    Fast,
    /// `tokenizers` pre-tokenizers, mapped onto the same token rules.
    HuggingFace,
}

impl Backend {
    /// The backend's name as a config file would spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Fast => "fast",
            Backend::HuggingFace => "huggingface",
        }
    }
}

/// Built once, reused for every document.
#[derive(Debug, Clone)]
pub struct Tokenizer {
    imp: Imp,
}

/// The backend implementations: a closed enum, no trait objects.
#[derive(Debug, Clone)]
enum Imp {
    Fast,
    HuggingFace(hf::HfBackend),
}

impl Default for Tokenizer {
    fn default() -> Tokenizer {
        Tokenizer::new(Backend::default())
    }
}

impl Tokenizer {
    pub fn new(backend: Backend) -> Tokenizer {
        let imp = match backend {
            Backend::Fast => Imp::Fast,
            Backend::HuggingFace => Imp::HuggingFace(hf::HfBackend::new()),
        };
        Tokenizer { imp }
    }

    pub fn backend(&self) -> Backend {
        match self.imp {
            Imp::Fast => Backend::Fast,
            Imp::HuggingFace(_) => Backend::HuggingFace,
        }
    }

    /// Splits `text` into sentences and tokens.
    pub fn tokenize(&self, text: &str) -> Tokenized {
        let mut out = Tokenized::default();
        self.tokenize_into(text, &mut out);
        out
    }

    /// [`Tokenizer::tokenize`] into `out`, which is cleared first: a caller
    /// that hands the same value from document to document reuses its
    /// vectors' allocations (and this thread keeps the sentence-end
    /// candidates' buffer), so that a document allocates nothing here.
    pub fn tokenize_into(&self, text: &str, out: &mut Tokenized) {
        let text = within_span_range(text);
        let Tokenized { tokens, sentences } = out;
        tokens.clear();
        tokens.reserve(text.len() / 5 + 4);
        let mut candidates = CANDIDATES.take();
        candidates.clear();
        candidates.reserve(text.len() / 64 + 4);
        match &self.imp {
            Imp::Fast => fast::scan(text, tokens, &mut candidates),
            Imp::HuggingFace(hf) => {
                if hf.scan(text, tokens) {
                    candidates = sentences::candidates(text, tokens);
                } else {
                    // Unreachable with the pre-tokenizers used; never fail.
                    tokens.clear();
                    fast::scan(text, tokens, &mut candidates);
                }
            }
        }
        sentences.clear();
        sentences.reserve(tokens.len() / 16 + 1);
        sentences::split(text, tokens, &candidates, sentences);
        let_go_above(&mut candidates, KEPT_BUFFER_BYTES);
        CANDIDATES.set(candidates);
    }
}

thread_local! {
    /// This thread's buffer of sentence-end candidates, empty while a text
    /// is tokenized.
    static CANDIDATES: Cell<Vec<u32>> = const { Cell::new(Vec::new()) };
}

/// The longest prefix of `text` whose offsets fit a `u32` span.
fn within_span_range(text: &str) -> &str {
    let max = u32::MAX as usize;
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Tokenizer>();
    }

    #[test]
    fn backend_round_trips() {
        for backend in [Backend::Fast, Backend::HuggingFace] {
            assert_eq!(Tokenizer::new(backend).backend(), backend);
        }
        assert_eq!(Tokenizer::default().backend(), Backend::Fast);
        assert_eq!(Backend::HuggingFace.as_str(), "huggingface");
    }
}
