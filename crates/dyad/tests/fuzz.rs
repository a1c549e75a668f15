//! The fuzz target for ingest + tokenize + tagging, as a property test CI
//! runs briefly: any bytes, in any input format, go through `load_bytes`,
//! both tokenizer backends, the entity and stance taggers and the report
//! without a panic, and every span they return stays in bounds, on char
//! boundaries and in order.
//!
//! CI runs `FUZZ_CASES` cases per format; run longer with
//! `DYAD_FUZZ_CASES=20000 cargo test --release -p dyad --test fuzz`.
//! A failure prints the input (proptest shrinks it first).

use std::sync::OnceLock;

use dyad::Seeds;
use dyad_core::{Document, Span, Tokenized};
use dyad_ingest::{IngestConfig, Source, load_bytes};
use dyad_report::{Report, Table, Tables};
use dyad_tokenize::{Backend, Tokenizer};
use proptest::prelude::*;

/// Cases per format when `DYAD_FUZZ_CASES` is not set.
const FUZZ_CASES: u32 = 96;

fn cases() -> u32 {
    std::env::var("DYAD_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(FUZZ_CASES)
}

struct Stages {
    seeds: Seeds,
    tokenizers: [Tokenizer; 2],
}

fn stages() -> &'static Stages {
    static STAGES: OnceLock<Stages> = OnceLock::new();
    STAGES.get_or_init(|| Stages {
        seeds: Seeds::built_in().expect("the built-in seeds parse"),
        tokenizers: [Tokenizer::new(Backend::Fast), Tokenizer::new(Backend::HuggingFace)],
    })
}

/// Pieces that reach every stage: actor names and their forms, cue words,
/// modality markers, pronouns, boilerplate leads, markup of every input
/// format, and text that is hard on byte offsets.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    let words: Vec<&'static str> = vec![
        "Russia",
        "Iran",
        "Iranian",
        "Moscow",
        "the Kremlin",
        "Putin",
        "Vladimir Putin",
        "President Putin",
        "Israel",
        "Hamas",
        "NATO",
        "U.S.",
        "US",
        "the regime",
        "its",
        "it",
        "they",
        "backed",
        "condemned",
        "accused",
        "ties between",
        "and",
        "refrained from attacking",
        "did not support",
        "may sanction",
        "reportedly",
        "said",
        "strained relations with",
        "’s",
        "'s",
        ".",
        ",",
        ";",
        "!",
        "?",
        "…",
        "\"",
        "“",
        "”",
        "—",
        "-",
        "(",
        ")",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "\t",
        "By Jane Doe",
        "Photo: Reuters",
        "The views expressed are the author's own.",
        "# Heading",
        "---",
        "title: T",
        "e\u{301}",
        "\u{200d}",
        "\u{feff}",
        "\u{1f1f7}\u{1f1fa}",
        "\u{05e9}\u{05dc}\u{05d5}\u{05dd}",
        "\u{0627}\u{06cc}\u{0631}\u{0627}\u{0646}",
        "ǅ",
        "İ",
        "ß",
        "Ⅻ",
        "１２",
        "<p>",
        "</p>",
        "<article>",
        "<nav>",
        "<script>",
        "</script>",
        "<br>",
        "&amp;",
        "&#8217;",
        "&nbsp;",
        "{\"id\":\"a\",\"text\":\"Russia backed Iran.\"}\n",
        "{\"text\":\"",
        "\"}\n",
    ];
    prop_oneof![
        8 => prop::sample::select(words).prop_map(|w| w.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..12),
        1 => any::<String>().prop_map(String::into_bytes),
    ]
}

fn input() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(piece(), 0..60).prop_map(|pieces| pieces.concat())
}

fn check_span(text: &str, span: Span, what: &str) -> Result<(), TestCaseError> {
    let (start, end) = (span.start as usize, span.end as usize);
    prop_assert!(start <= end && end <= text.len(), "{} {:?} out of bounds ({} bytes)", what, span, text.len());
    prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "{} {:?} off a char boundary", what, span);
    Ok(())
}

fn check_tokens(text: &str, t: &Tokenized) -> Result<(), TestCaseError> {
    let mut prev = 0;
    for token in &t.tokens {
        check_span(text, token.span, "token")?;
        prop_assert!(token.span.start as usize >= prev, "tokens sorted, not overlapping");
        prev = token.span.end as usize;
    }
    let mut next_token = 0;
    for s in &t.sentences {
        check_span(text, s.span, "sentence")?;
        prop_assert_eq!(s.first_token, next_token, "sentences cover every token in order");
        prop_assert!(s.first_token < s.end_token && s.end_token as usize <= t.tokens.len());
        next_token = s.end_token;
    }
    prop_assert_eq!(next_token as usize, t.tokens.len());
    Ok(())
}

/// Every stage over one document, with its invariants.
fn check_document(doc: &Document) -> Result<(), TestCaseError> {
    let text = doc.text.as_str();
    for zone in &doc.boilerplate {
        check_span(text, zone.span, "zone")?;
    }
    let st = stages();
    let gazetteer = &st.seeds.gazetteer;
    for tokenizer in &st.tokenizers {
        let tokenized = tokenizer.tokenize(text);
        check_tokens(text, &tokenized)?;
        let tagged = dyad_entities::tag(doc, &tokenized, gazetteer);
        let mut prev = 0;
        for m in &tagged.mentions {
            check_span(text, m.span, "mention")?;
            prop_assert!(m.span.start as usize >= prev, "mentions sorted, not overlapping");
            prev = m.span.end as usize;
            prop_assert!((m.sentence as usize) < tokenized.sentences.len());
            prop_assert!(!doc.is_boilerplate(m.span), "no mention in boilerplate");
        }
        for u in &tagged.unknown {
            check_span(text, u.span, "unknown name")?;
        }
        let stance = dyad_stance::tag(doc, &tokenized, &tagged, gazetteer.actors(), &st.seeds.lexicon);
        for s in &stance.stances {
            check_span(text, s.cue_span, "cue")?;
            prop_assert!((s.sentence as usize) < tokenized.sentences.len());
            prop_assert!((s.source as usize) < tagged.mentions.len() && (s.target as usize) < tagged.mentions.len());
            prop_assert!(s.score.is_finite() && (-10.0..=10.0).contains(&s.score), "score {}", s.score);
        }

        let analysis = dyad_core::Analysis { doc: doc.clone(), tokenized, tagged, stance };
        let mut bufs: Tables<Vec<u8>> = Tables::default();
        let mut report = Report::new(bufs.as_mut()).expect("memory");
        report.add_document(&analysis, gazetteer.actors()).expect("memory");
        report.finish().expect("memory");
        for table in Table::ALL {
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bufs.get(table).as_slice());
            for record in reader.records() {
                let record = record.map_err(|e| TestCaseError::fail(format!("{}: {e}", table.file_name())))?;
                prop_assert_eq!(record.len(), table.columns().len());
            }
        }
    }
    Ok(())
}

fn check(ext: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let source = Source { path: format!("in/f.{ext}").into(), display: format!("in/f.{ext}"), id: format!("f.{ext}") };
    let loaded = load_bytes(&source, ext, bytes, &IngestConfig::default());
    prop_assert!(loaded.failure.is_some() != (!loaded.documents.is_empty() || !loaded.rejected.is_empty()));
    for doc in &loaded.documents {
        check_document(doc)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fuzz_text(bytes in input()) {
        check("txt", &bytes)?;
    }

    #[test]
    fn fuzz_markdown(bytes in input()) {
        check("md", &bytes)?;
    }

    #[test]
    fn fuzz_html(bytes in input()) {
        check("html", &bytes)?;
    }

    #[test]
    fn fuzz_jsonl(bytes in input()) {
        check("jsonl", &bytes)?;
    }
}
