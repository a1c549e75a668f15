//! cargo-fuzz target: ingest (every input format) + both tokenizers +
//! entity and stance tagging + report, on any bytes. The first byte picks
//! the format. A panic, or a span out of bounds or off a char boundary, is
//! a crash. `crates/dyad/tests/fuzz.rs` is the property-test twin CI runs.

#![no_main]

use std::sync::OnceLock;

use dyad::Seeds;
use dyad_core::{Analysis, Span};
use dyad_ingest::{IngestConfig, Source, load_bytes};
use dyad_report::{Report, Tables};
use dyad_tokenize::{Backend, Tokenizer};
use libfuzzer_sys::fuzz_target;

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

fn check(text: &str, span: Span) {
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(start <= end && end <= text.len(), "span {span:?} out of bounds");
    assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "span {span:?} off a char boundary");
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let ext = ["txt", "md", "html", "jsonl"][usize::from(selector) % 4];
    let source = Source { path: format!("in/f.{ext}").into(), display: format!("in/f.{ext}"), id: format!("f.{ext}") };
    let loaded = load_bytes(&source, ext, bytes, &IngestConfig::default());
    let st = stages();
    let gazetteer = &st.seeds.gazetteer;
    for doc in loaded.documents {
        let text = doc.text.as_str();
        doc.boilerplate.iter().for_each(|z| check(text, z.span));
        for tokenizer in &st.tokenizers {
            let tokenized = tokenizer.tokenize(text);
            tokenized.tokens.iter().for_each(|t| check(text, t.span));
            tokenized.sentences.iter().for_each(|s| check(text, s.span));
            let tagged = dyad_entities::tag(&doc, &tokenized, gazetteer);
            tagged.mentions.iter().for_each(|m| check(text, m.span));
            tagged.unknown.iter().for_each(|u| check(text, u.span));
            let stance = dyad_stance::tag(&doc, &tokenized, &tagged, gazetteer.actors(), &st.seeds.lexicon);
            stance.stances.iter().for_each(|s| check(text, s.cue_span));
            let analysis = Analysis { doc: doc.clone(), tokenized, tagged, stance };
            let mut bufs: Tables<Vec<u8>> = Tables::default();
            let mut report = Report::new(bufs.as_mut()).expect("memory");
            report.add_document(&analysis, gazetteer.actors()).expect("memory");
            report.finish().expect("memory");
        }
    }
});
