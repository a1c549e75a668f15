//! Entities: actor mentions over documents already tokenized.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dyad_benches::{documents, seeds, text_bytes, tokenized};
use std::hint::black_box;

fn entities(c: &mut Criterion) {
    let docs = documents();
    let tokens = tokenized(&docs);
    let seeds = seeds();
    let count = || -> usize {
        docs.iter()
            .zip(&tokens)
            .map(|(d, t)| dyad_entities::tag(black_box(d), t, &seeds.gazetteer).mentions.len())
            .sum()
    };
    let expected = count();
    assert!(expected > docs.len() * 10, "mentions found: {expected}");

    let mut group = c.benchmark_group("entities");
    group.throughput(Throughput::Bytes(text_bytes(&docs)));
    group.bench_function("tag", |b| b.iter(|| assert_eq!(count(), expected)));
    group.finish();
}

criterion_group!(benches, entities);
criterion_main!(benches);
