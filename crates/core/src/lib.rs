//! The vocabulary every dyad stage shares: spans, documents, tokens, actors,
//! mentions, stances and diagnostics. Plain data and no I/O; its one
//! dependency, `safe_arch`, gives [`simd`] its vector instructions.
//!
//! Invariant: every [`Span`] is a half-open pair of byte offsets into
//! [`Document::text`], the article exactly as read (a leading BOM stripped,
//! nothing else changed), and lies on `char` boundaries.

mod actor;
pub mod hash;
pub mod simd;
mod span;
mod stance;
pub mod words;

pub use actor::{Actor, ActorId, ActorKind, ActorTable};
pub use span::Span;
pub use stance::{AuthorStance, Category, Modality, QuadClass, Stance};
pub use words::WordIds;

/// One article as read by ingest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// Stable id: the path relative to the input root, `/`-separated
    /// (for a JSONL export, `path#id`).
    pub id: String,
    /// The path as given on the command line joined with the relative path,
    /// `/`-separated; never absolute unless the user passed an absolute path.
    pub path: String,
    /// The text, a leading BOM stripped, nothing else changed.
    pub text: String,
    pub meta: Meta,
    /// Spans of the text that are not the article's own analysis: byline,
    /// author bio, disclaimer, image credit. Sorted, non-overlapping. No
    /// mention or stance may come from them.
    pub boilerplate: Vec<Zone>,
}

impl Document {
    /// A document with no metadata and no boilerplate: what tests and
    /// benches start from.
    pub fn from_text(id: &str, text: &str) -> Document {
        Document { id: id.to_string(), path: id.to_string(), text: text.to_string(), ..Document::default() }
    }

    /// True when `span` overlaps any boilerplate zone.
    pub fn is_boilerplate(&self, span: Span) -> bool {
        self.boilerplate.iter().any(|z| z.span.overlaps(span))
    }
}

/// What the article says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    pub title: Option<String>,
    pub author: Option<String>,
    /// ISO 8601 date (`YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when that is all
    /// the text gives).
    pub published: Option<String>,
    /// Where the article was published online, when the input says (an
    /// HTML page's canonical URL, a JSONL export's `url`).
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    pub span: Span,
    pub kind: ZoneKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ZoneKind {
    Byline,
    Dateline,
    AuthorBio,
    Disclaimer,
    Credit,
}

impl ZoneKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneKind::Byline => "byline",
            ZoneKind::Dateline => "dateline",
            ZoneKind::AuthorBio => "author_bio",
            ZoneKind::Disclaimer => "disclaimer",
            ZoneKind::Credit => "credit",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters, possibly with inner apostrophes or periods ("don't", "U.S.").
    Word,
    /// Digits, possibly with inner `.`, `,` or `:` ("1.5", "2,000", "10:30").
    Number,
    /// A possessive or clitic split off a word: `'s`, `’s`, or a bare `’`
    /// after a word ending in s ("Hamas’").
    Clitic,
    /// Any other single non-space character or run of the same punctuation
    /// ("...", "—", "--").
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

impl Token {
    pub fn text<'a>(&self, doc_text: &'a str) -> &'a str {
        &doc_text[self.span.range()]
    }

    /// Is this token (of `doc_text`) a word that no title-case headline
    /// holds ([`Tokenized::is_headline`]): its first byte an ASCII
    /// lower-case letter, and longer than any function word a headline
    /// allows? A sentence with one is no headline, whatever its other
    /// words: a caller that has such a word at hand need not ask.
    #[inline]
    pub fn rules_out_headline(&self, doc_text: &str) -> bool {
        let bytes = &doc_text.as_bytes()[self.span.range()];
        self.kind == TokenKind::Word && bytes.len() > HEADLINE_FUNCTION_WORD_MAX && bytes[0].is_ascii_lowercase()
    }
}

/// The longest function word (in bytes) a title-case headline may hold in
/// lower case ([`Tokenized::is_headline`]).
const HEADLINE_FUNCTION_WORD_MAX: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index of the first token of the sentence in [`Tokenized::tokens`].
    pub first_token: u32,
    /// One past the index of the last token.
    pub end_token: u32,
}

impl Sentence {
    pub fn token_range(&self) -> std::ops::Range<usize> {
        self.first_token as usize..self.end_token as usize
    }
}

/// The output of tokenize.
///
/// Invariant: tokens are sorted and non-overlapping; every token lies in
/// exactly one sentence; sentences are sorted, non-overlapping and cover
/// every token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tokenized {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
}

impl Tokenized {
    pub fn sentence_tokens(&self, sentence: usize) -> &[Token] {
        &self.tokens[self.sentences[sentence].token_range()]
    }

    /// Is the sentence a title-case headline ("Russia Balances Between Iran
    /// and Israel"): three or more words, each capitalised but for short
    /// function words? Its words name the topic; they state no relation and
    /// teach nothing about unknown names.
    pub fn is_headline(&self, text: &str, sentence: usize) -> bool {
        let bytes = text.as_bytes();
        let mut count = 0;
        let all = self.sentence_tokens(sentence).iter().filter(|t| t.kind == TokenKind::Word).all(|t| {
            count += 1;
            // Most words settle on their first byte, without slicing `text`;
            // most lower-case ones on their length (no function word below
            // is longer than `HEADLINE_FUNCTION_WORD_MAX` bytes).
            match bytes[t.span.start as usize] {
                b if !b.is_ascii() => t.text(text).chars().next().is_some_and(|c| !c.is_lowercase()),
                b if !b.is_ascii_lowercase() => true,
                _ => {
                    t.span.len() <= HEADLINE_FUNCTION_WORD_MAX
                        && matches!(
                            &bytes[t.span.range()],
                            b"of"
                                | b"the"
                                | b"and"
                                | b"in"
                                | b"on"
                                | b"to"
                                | b"a"
                                | b"an"
                                | b"for"
                                | b"with"
                                | b"at"
                                | b"by"
                                | b"from"
                                | b"as"
                                | b"vs"
                                | b"or"
                                | b"over"
                        )
                }
            }
        });
        all && count >= 3
    }

    /// Index of the sentence holding the token at `token`.
    pub fn sentence_of_token(&self, token: usize) -> Option<usize> {
        let t = token as u32;
        let i = self.sentences.partition_point(|s| s.end_token <= t);
        (i < self.sentences.len() && self.sentences[i].first_token <= t).then_some(i)
    }
}

/// How a mention was recognised: the `via` column of `mentions.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Via {
    /// The actor's name or one of its listed names ("Iran", "Islamic Republic of Iran").
    Name,
    /// An abbreviation ("US", "IRGC").
    Abbreviation,
    /// A demonym or adjective ("Iranian", "Russians").
    Demonym,
    /// A capital or seat of government ("Moscow", "the Kremlin").
    Metonym,
    /// A person's full name or listed alias.
    Person,
    /// A person's surname after the full name was seen, or a bare surname
    /// the dictionary allows.
    Surname,
    /// A title followed by a name ("President Putin").
    Title,
    /// A pronoun resolved to an actor ("its", "it").
    Pronoun,
    /// A definite description resolved to an actor ("the regime").
    Description,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Name => "name",
            Via::Abbreviation => "abbreviation",
            Via::Demonym => "demonym",
            Via::Metonym => "metonym",
            Via::Person => "person",
            Via::Surname => "surname",
            Via::Title => "title",
            Via::Pronoun => "pronoun",
            Via::Description => "description",
        }
    }

    /// Mentions made by a pronoun or description, not by a name.
    pub fn is_anaphoric(self) -> bool {
        matches!(self, Via::Pronoun | Via::Description)
    }
}

/// One mention of an actor in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// The words of the mention (no possessive, no leading "the").
    pub span: Span,
    /// Index of the sentence in [`Tokenized::sentences`].
    pub sentence: u32,
    /// Token indices `first_token..end_token` covered by the mention.
    pub first_token: u32,
    pub end_token: u32,
    /// The actor named (a person, an organ, a state...), not rolled up.
    pub actor: ActorId,
    pub via: Via,
}

/// A capitalised name the dictionary does not know, reported so a user can
/// extend the dictionary. Never becomes an actor on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownName {
    pub span: Span,
    pub sentence: u32,
}

/// What the entity tagger returns for one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tagged {
    /// Sorted by span start.
    pub mentions: Vec<Mention>,
    pub unknown: Vec<UnknownName>,
}

/// Everything the stance tagger returns for one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StanceOutput {
    /// Sorted by sentence, then source and target mention.
    pub stances: Vec<Stance>,
    /// One row per primary actor mentioned, sorted by actor id.
    pub author: Vec<AuthorStance>,
}

/// Buffers handed from document to document keep at most this many bytes
/// each ([`let_go_above`]): a typical document's largest, its tokens, takes
/// some 10 KB.
pub const KEPT_BUFFER_BYTES: usize = 1 << 20;

/// Lets `v`'s allocation go when it is above `max_bytes`, so that a buffer
/// reused from document to document is not held at a huge document's size
/// for the small ones after it.
pub fn let_go_above<T>(v: &mut Vec<T>, max_bytes: usize) {
    if bytes_held(v) > max_bytes {
        *v = Vec::new();
    }
}

/// The bytes of `v`'s allocation: what [`let_go_above`] bounds.
pub fn bytes_held<T>(v: &Vec<T>) -> usize {
    v.capacity().saturating_mul(size_of::<T>())
}

/// A document after every stage.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub doc: Document,
    pub tokenized: Tokenized,
    pub tagged: Tagged,
    pub stance: StanceOutput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One row of `diagnostics.csv`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub path: String,
    /// `ingest`, `dictionary`, `report`, ...
    pub stage: &'static str,
    pub severity: Severity,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One sentence of `text`, a word token per space-separated word (a
    /// number token when it starts with a digit).
    fn one_sentence(text: &str) -> Tokenized {
        let mut tokens = Vec::new();
        let mut start = 0;
        for word in text.split(' ') {
            let kind = if word.starts_with(|c: char| c.is_ascii_digit()) { TokenKind::Number } else { TokenKind::Word };
            tokens.push(Token { span: Span::new(start, start + word.len()), kind });
            start += word.len() + 1;
        }
        let sentence = Sentence { span: Span::new(0, text.len()), first_token: 0, end_token: tokens.len() as u32 };
        Tokenized { tokens, sentences: vec![sentence] }
    }

    fn is_headline(text: &str) -> bool {
        one_sentence(text).is_headline(text, 0)
    }

    #[test]
    fn buffers_above_the_bound_are_let_go() {
        let mut small: Vec<u32> = Vec::with_capacity(256);
        let_go_above(&mut small, 1024);
        assert_eq!(small.capacity(), 256);
        let mut large: Vec<u32> = Vec::with_capacity(257);
        let_go_above(&mut large, 1024);
        assert_eq!(large.capacity(), 0);
    }

    #[test]
    fn headlines_are_title_case_with_short_function_words() {
        assert!(is_headline("Russia Balances Between Iran and Israel"));
        assert!(is_headline("The War over Gaza"));
        assert!(is_headline("Érdogan Meets Putin in Sochi"));
        // Numbers are not words: they neither count nor break a headline.
        assert!(is_headline("Talks Resume 2024 in Doha"));
        assert!(!is_headline("Russia Balances"));
        assert!(!is_headline("Russia balances between Iran and Israel"));
        assert!(!is_headline("Russia Balances Between Iran and élan"));
        assert!(!is_headline("Russia Balances Between Iran andd Israel"));
    }
}
