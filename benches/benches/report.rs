//! Report: every CSV table of the analysed corpus, written to `io::sink`.
//! Throughput is the article text the rows come from.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dyad_benches::{analyses, documents, seeds, text_bytes};
use dyad_report::{ActorCells, Report, Tables};
use std::hint::black_box;
use std::io;

fn report(c: &mut Criterion) {
    let docs = documents();
    let seeds = seeds();
    let analyses = analyses(&docs, &seeds);
    let actors = seeds.gazetteer.actors();
    // As a batch does: every actor's cells rendered once per run.
    let cells = ActorCells::new(actors);
    let mentions: usize = analyses.iter().map(|a| a.tagged.mentions.len()).sum();
    let stances: usize = analyses.iter().map(|a| a.stance.stances.len()).sum();
    assert!(mentions > 0 && stances > 0);

    let mut group = c.benchmark_group("report");
    group.throughput(Throughput::Bytes(text_bytes(&docs)));
    group.bench_function("tables", |b| {
        b.iter(|| {
            let mut report = Report::new(Tables::from_fn(|_| io::sink())).expect("sink");
            for a in &analyses {
                report.add_document_with(black_box(a), &cells).expect("sink");
            }
            let summary = report.finish().expect("sink");
            assert_eq!((summary.mentions, summary.stances), (mentions, stances));
            assert!(summary.pairs > 0);
        })
    });
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
