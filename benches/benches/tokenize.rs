//! Tokenize: sentences and tokens with each backend, the hand-written
//! scanner (`fast`) and the Hugging Face pre-tokenizers (`hf`).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dyad_benches::{documents, text_bytes};
use dyad_tokenize::{Backend, Tokenizer};
use std::hint::black_box;

fn tokenize(c: &mut Criterion) {
    let docs = documents();
    let count = |tokenizer: &Tokenizer| -> usize {
        docs.iter().map(|d| tokenizer.tokenize(black_box(&d.text)).tokens.len()).sum()
    };
    let expected = count(&Tokenizer::new(Backend::Fast));
    assert!(expected as u64 > text_bytes(&docs) / 10, "tokens found");

    let mut group = c.benchmark_group("tokenize");
    group.throughput(Throughput::Bytes(text_bytes(&docs)));
    for (name, backend) in [("fast", Backend::Fast), ("hf", Backend::HuggingFace)] {
        let tokenizer = Tokenizer::new(backend);
        group.bench_function(name, |b| b.iter(|| assert_eq!(count(&tokenizer), expected, "{name} agrees with fast")));
    }
    group.finish();
}

criterion_group!(benches, tokenize);
criterion_main!(benches);
