//! The evaluation over the repository's corpus: every gold file must parse
//! and resolve, and the pipeline must keep its scores on a few articles.

use std::fs;
use std::path::{Path, PathBuf};

use dyad_eval::summary::{self, Metric};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh, empty folder under the system temp dir, unique to this test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dyad-eval-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

#[test]
fn every_gold_file_parses_and_resolves() {
    let corpus = repo().join("corpus");
    let files = dyad_eval::gold_files(&corpus).expect("corpus folder readable");
    let mut problems = Vec::new();
    let mut splits = std::collections::BTreeSet::new();
    for path in &files {
        match dyad_eval::load_case(&corpus, path) {
            Ok(case) => {
                assert!(!case.resolved.mentions.is_empty(), "{}: no gold mention resolves", path.display());
                splits.insert(case.split);
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    assert!(problems.is_empty(), "bad gold files:\n{}", problems.join("\n"));
    assert!(splits.contains("dev") && splits.contains("test"), "{splits:?}");
}

/// Small articles of both splits, one of them Markdown, copied with their
/// gold.
const SAMPLE: [&str; 3] =
    ["dev/greece-turkey-cyprus-east-med.txt", "dev/gulf-states-china-hedging.md", "test/iran-nuclear-file-iaea.txt"];

#[test]
fn pipeline_keeps_its_scores_on_a_sample() {
    let dir = scratch("sample");
    let (input, out) = (dir.join("in"), dir.join("out"));
    for doc in SAMPLE {
        let from = repo().join("corpus").join(doc);
        let to = input.join(doc);
        fs::create_dir_all(to.parent().expect("has a folder")).expect("create input");
        fs::copy(&from, &to).expect("copy article");
        let gold = |p: &Path| PathBuf::from(format!("{}.gold", p.display()));
        fs::copy(gold(&from), gold(&to)).expect("copy gold");
    }
    let config = dyad::Config {
        input: input.clone(),
        out: out.clone(),
        seeds: repo().join("seeds"),
        threads: 1,
        progress: false,
        ..dyad::Config::default()
    };
    dyad::run(&config).expect("pipeline runs");
    let scored = dyad_eval::evaluate(&input, &out).expect("evaluates");
    assert_eq!(scored.len(), SAMPLE.len());

    let mut all = dyad_eval::Counts::default();
    for s in &scored {
        all += s.score.counts;
    }
    let table = summary::render(&summary::rows(&scored));
    let figure = |m: Metric| m.of(&all).unwrap_or(0.0);
    // Measured 0.98 and 0.55 when last set; a regression below these
    // floors fails CI. Raise them as the taggers improve.
    assert!(figure(Metric::MentionF1) >= 0.90, "{table}");
    assert!(figure(Metric::DyadF1) >= 0.45, "{table}");
    assert_eq!(all.leaks, 0, "{table}");
    let _ = fs::remove_dir_all(&dir);
}
