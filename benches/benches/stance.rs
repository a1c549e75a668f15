//! Stance: dyads and author stances over documents already tokenized and
//! tagged with mentions.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dyad_benches::{documents, seeds, tagged, text_bytes, tokenized};
use std::hint::black_box;

fn stance(c: &mut Criterion) {
    let docs = documents();
    let seeds = seeds();
    let tokens = tokenized(&docs);
    let tagged = tagged(&docs, &tokens, &seeds);
    let count = || -> usize {
        docs.iter()
            .zip(&tokens)
            .zip(&tagged)
            .map(|((d, t), m)| {
                dyad_stance::tag(black_box(d), t, m, seeds.gazetteer.actors(), &seeds.lexicon).stances.len()
            })
            .sum()
    };
    let expected = count();
    assert!(expected > docs.len(), "stances found: {expected}");

    let mut group = c.benchmark_group("stance");
    group.throughput(Throughput::Bytes(text_bytes(&docs)));
    group.bench_function("tag", |b| b.iter(|| assert_eq!(count(), expected)));
    group.finish();
}

criterion_group!(benches, stance);
criterion_main!(benches);
