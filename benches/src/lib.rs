//! Shared set-up for the criterion benches in `benches/`: the committed
//! articles of `corpus/dev` and `corpus/test`, the seeds, and each stage's
//! input prepared by the stages before it, so a bench times one stage only.
//!
//! Every bench sets `Throughput::Bytes` to the article text it reads and
//! asserts an output count, so a broken stage cannot look fast.

use std::path::{Path, PathBuf};

use dyad::Seeds;
use dyad_core::{Analysis, Document, Tagged, Tokenized};
use dyad_ingest::{IngestConfig, Source};
use dyad_tokenize::{Backend, Tokenizer};

/// The allocator of the `dyad` binary, so that a bench times a stage as a
/// batch runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The committed articles: every source of `corpus/dev` and `corpus/test`
/// that ingest reads (not the gold files or READMEs).
pub fn sources() -> Vec<Source> {
    let corpus = root().join("corpus");
    let sources: Vec<Source> = dyad_ingest::discover(&corpus)
        .expect("corpus/ is listed")
        .into_iter()
        .filter(|s| s.id.starts_with("dev/") || s.id.starts_with("test/"))
        .filter(|s| {
            s.path
                .extension()
                .is_some_and(|e| dyad_ingest::SUPPORTED_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
        })
        .collect();
    assert!(sources.len() >= 20, "corpus/dev and corpus/test hold the articles");
    sources
}

/// The articles as ingest gives them.
pub fn documents() -> Vec<Document> {
    let cfg = IngestConfig::default();
    let docs: Vec<Document> = sources().iter().flat_map(|s| dyad_ingest::load(s, &cfg).documents).collect();
    assert_eq!(docs.len(), sources().len(), "every article loads");
    docs
}

/// Bytes of article text: the throughput of every bench.
pub fn text_bytes(docs: &[Document]) -> u64 {
    docs.iter().map(|d| d.text.len() as u64).sum()
}

/// The seeds of `seeds/`, loaded once.
pub fn seeds() -> Seeds {
    Seeds::load(&root().join("seeds")).expect("seeds/ loads")
}

pub fn tokenized(docs: &[Document]) -> Vec<Tokenized> {
    let tokenizer = Tokenizer::new(Backend::Fast);
    docs.iter().map(|d| tokenizer.tokenize(&d.text)).collect()
}

pub fn tagged(docs: &[Document], tokens: &[Tokenized], seeds: &Seeds) -> Vec<Tagged> {
    docs.iter().zip(tokens).map(|(d, t)| dyad_entities::tag(d, t, &seeds.gazetteer)).collect()
}

/// Every document through every stage but report.
pub fn analyses(docs: &[Document], seeds: &Seeds) -> Vec<Analysis> {
    let tokens = tokenized(docs);
    let tagged = tagged(docs, &tokens, seeds);
    docs.iter()
        .zip(tokens)
        .zip(tagged)
        .map(|((doc, tokenized), tagged)| {
            let stance = dyad_stance::tag(doc, &tokenized, &tagged, seeds.gazetteer.actors(), &seeds.lexicon);
            Analysis { doc: doc.clone(), tokenized, tagged, stance }
        })
        .collect()
}
