//! Tidy checks over the workspace: stage crates depend only on the vocabulary
//! crate, every source file says what it is for, and the seed files parse,
//! are sorted as `seeds/README.md` says and hold no duplicate keys.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Data rows of a seed TSV file: `(line number, fields)`, header and
/// comments left out.
fn rows(path: &str) -> Vec<(usize, Vec<String>)> {
    read(path)
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|(i, l)| (i + 1, l.split('\t').map(str::to_string).collect()))
        .collect()
}

fn assert_sorted<K: Ord + std::fmt::Debug>(path: &str, keys: Vec<(usize, K)>) {
    for w in keys.windows(2) {
        assert!(w[0].1 <= w[1].1, "{path}:{}: {:?} sorts before the line above, {:?}", w[1].0, w[1].1, w[0].1);
    }
}

fn assert_unique<K: std::hash::Hash + Eq + std::fmt::Debug>(path: &str, keys: impl IntoIterator<Item = (usize, K)>) {
    let mut seen = HashSet::new();
    for (line, key) in keys {
        assert!(seen.insert(key), "{path}:{line}: duplicate key");
    }
}

#[test]
fn stage_crates_depend_only_on_the_vocabulary_crate() {
    for stage in ["ingest", "tokenize", "entities", "stance", "report"] {
        let manifest = read(&format!("crates/{stage}/Cargo.toml"));
        let deps = manifest.split("[dependencies]").nth(1).and_then(|s| s.split("\n[").next()).unwrap_or("");
        for line in deps.lines() {
            let name = line.split(['.', '=', ' ']).next().unwrap_or("");
            assert!(
                !name.starts_with("dyad") || name == "dyad-core",
                "crates/{stage} depends on {name}: stage crates share only dyad-core"
            );
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_source_file_opens_with_a_doc_line() {
    let mut files = Vec::new();
    for dir in ["crates", "xtask", "benches"] {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 20, "found only {} Rust files", files.len());
    for file in files {
        let text = fs::read_to_string(&file).unwrap_or_default();
        assert!(text.starts_with("//!"), "{} does not open with a `//!` line", file.display());
    }
}

/// `(line, (position of the kind in `kinds`, first column))` for each row
/// of a file sorted by kind, then by its first column.
fn kind_then_first(path: &str, rows: &[(usize, Vec<String>)], kinds: &[&str]) -> Vec<(usize, (usize, String))> {
    rows.iter()
        .map(|(line, f)| {
            let kind = kinds.iter().position(|k| *k == f[1]).unwrap_or_else(|| panic!("{path}:{line}: kind {}", f[1]));
            (*line, (kind, f[0].clone()))
        })
        .collect()
}

#[test]
fn actors_are_sorted_by_kind_then_id() {
    let path = "seeds/actors.tsv";
    let rows = rows(path);
    assert_sorted(path, kind_then_first(path, &rows, &["state", "igo", "bloc", "group", "organ"]));
    assert_unique(path, rows.iter().map(|(l, f)| (*l, f[0].clone())));
}

#[test]
fn aliases_are_sorted_and_name_one_actor_each() {
    let path = "seeds/aliases.tsv";
    let rows = rows(path);
    assert_sorted(path, rows.iter().map(|(l, f)| (*l, (f[0].clone(), f[2].clone(), f[1].clone()))).collect());
    assert_unique(path, rows.iter().map(|(l, f)| (*l, f[1].clone())));
}

#[test]
fn persons_are_sorted_and_share_no_alias() {
    let path = "seeds/persons.tsv";
    let rows = rows(path);
    assert_sorted(path, rows.iter().map(|(l, f)| (*l, (f[2].clone(), f[0].clone()))).collect());
    assert_unique(path, rows.iter().map(|(l, f)| (*l, f[0].clone())));
    let aliases = rows.iter().flat_map(|(l, f)| f[5].split('|').filter(|a| !a.is_empty()).map(|a| (*l, a.to_string())));
    assert_unique(path, aliases.collect::<Vec<_>>());
}

#[test]
fn cues_are_sorted_by_kind_then_cue() {
    let path = "seeds/cues.tsv";
    let kinds = ["verb", "noun", "adj", "negator", "restraint", "hedge", "report", "condition", "evaluative"];
    let rows = rows(path);
    assert_sorted(path, kind_then_first(path, &rows, &kinds));
    assert_unique(path, rows.iter().map(|(l, f)| (*l, (f[0].clone(), f[1].clone(), f[5].clone()))));
}

#[test]
fn the_seeds_parse() {
    let seeds = dyad::Seeds::load(&root().join("seeds")).expect("the committed seeds parse");
    assert!(seeds.gazetteer.actors().len() > 900, "{} actors", seeds.gazetteer.actors().len());
    assert!(seeds.lexicon.cue_count() > 500, "{} cues", seeds.lexicon.cue_count());
}
