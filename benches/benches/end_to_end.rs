//! End to end, two ways:
//!
//! - `run_1_thread`, `run_2_threads`: `dyad::run` over `corpus/` into a
//!   temporary folder, as the binary does it (seeds loaded, files listed,
//!   read, analysed, seven tables written and renamed into place);
//! - `stages`: each committed article read from disk and taken through
//!   every stage into the report on one thread, with the seeds loaded once
//!   and the report's buffers reused, as `dyad::run` does: the steady state
//!   of a long batch, where loading the seeds is amortised.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dyad::Config;
use dyad_benches::{documents, root, seeds, sources, text_bytes};
use dyad_ingest::IngestConfig;
use dyad_report::{ActorCells, Rendered, Report, Tables};
use dyad_tokenize::{Backend, Tokenizer};
use std::hint::black_box;
use std::io;

fn end_to_end(c: &mut Criterion) {
    let docs = documents();
    let out = std::env::temp_dir().join(format!("dyad-bench-{}", std::process::id()));
    let config = |threads: usize| Config {
        input: root().join("corpus"),
        out: out.clone(),
        seeds: root().join("seeds"),
        threads,
        progress: false,
        ..Config::default()
    };

    let mut group = c.benchmark_group("end_to_end");
    group.throughput(Throughput::Bytes(text_bytes(&docs)));
    for (name, threads) in [("run_1_thread", 1), ("run_2_threads", 2)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let summary = dyad::run(&config(threads)).expect("the corpus runs");
                // Every article is read.
                assert_eq!(summary.tables.ok, docs.len());
                assert!(summary.tables.mentions > docs.len() * 10);
            })
        });
    }

    let sources = sources();
    let seeds = seeds();
    let tokenizer = Tokenizer::new(Backend::Fast);
    let cfg = IngestConfig::default();
    let actors = seeds.gazetteer.actors();
    group.bench_function("stages", |b| {
        b.iter(|| {
            let mut report = Report::new(Tables::from_fn(|_| io::sink())).expect("sink");
            // As a batch does: actor cells rendered once, one `Rendered`
            // reused for every document.
            let cells = ActorCells::new(actors);
            let mut rendered = Rendered::default();
            for source in &sources {
                for doc in dyad_ingest::load(black_box(source), &cfg).documents {
                    let tokenized = tokenizer.tokenize(&doc.text);
                    let tagged = dyad_entities::tag(&doc, &tokenized, &seeds.gazetteer);
                    let stance = dyad_stance::tag(&doc, &tokenized, &tagged, actors, &seeds.lexicon);
                    let analysis = dyad_core::Analysis { doc, tokenized, tagged, stance };
                    rendered.render_again_with(&analysis, &cells);
                    report.take_rendered(&mut rendered).expect("sink");
                }
            }
            let summary = report.finish().expect("sink");
            assert_eq!(summary.ok, docs.len());
            assert!(summary.mentions > docs.len() * 10);
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&out);
}

criterion_group!(benches, end_to_end);
criterion_main!(benches);
