//! Ingest: read, decode and parse each committed article (`load`), and the
//! pure parser alone over text already in memory (`parse_article`).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dyad_benches::{documents, sources, text_bytes};
use dyad_ingest::IngestConfig;
use std::hint::black_box;

fn ingest(c: &mut Criterion) {
    let sources = sources();
    let docs = documents();
    let cfg = IngestConfig::default();
    let zones: usize = docs.iter().map(|d| d.boilerplate.len()).sum();
    assert!(zones > 0, "the corpus has boilerplate to find");

    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Bytes(text_bytes(&docs)));
    group.bench_function("load", |b| {
        b.iter(|| {
            let n: usize = sources.iter().map(|s| dyad_ingest::load(black_box(s), &cfg).documents.len()).sum();
            assert_eq!(n, sources.len());
        })
    });
    group.bench_function("parse_article", |b| {
        b.iter(|| {
            let found: usize = docs
                .iter()
                .map(|d| dyad_ingest::parse_article(&d.id, &d.path, black_box(d.text.clone())).boilerplate.len())
                .sum();
            assert_eq!(found, zones);
        })
    });
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
