//! Both backends agree on every article of the corpus.
//!
//! Reads every `.txt` and `.md` file under the repository's `corpus/`
//! folder, plus `../shared/seed` next to the repository when the corpus has
//! no articles yet, and asserts identical tokens and sentences.
//!
//! Documented divergences: none. The Hugging Face pieces are cut and merged
//! with the fast scanner's rules (see `src/hf.rs`), so any difference is a
//! bug; `DIVERGENCES` lists `(file name, reason)` pairs exempted from the
//! comparison should one ever have to be accepted.

mod common;

use std::path::{Path, PathBuf};

use dyad_tokenize::{Backend, Tokenizer};

const DIVERGENCES: &[(&str, &str)] = &[];

fn articles(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            articles(&path, out);
        } else if path.extension().is_some_and(|e| e == "txt" || e == "md") {
            out.push(path);
        }
    }
}

#[test]
fn backends_agree_on_the_corpus() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    let corpus = root.join("corpus");
    if corpus.is_dir() {
        articles(&corpus, &mut files);
    }
    let is_article = |p: &PathBuf| p.file_name().is_some_and(|n| n != "README.md");
    let seed = root.join("../shared/seed");
    if !files.iter().any(is_article) && seed.is_dir() {
        articles(&seed, &mut files);
    }
    files.sort();
    assert!(files.iter().any(is_article), "no articles under {corpus:?} or {seed:?}");

    let fast = Tokenizer::new(Backend::Fast);
    let hf = Tokenizer::new(Backend::HuggingFace);
    for path in &files {
        let text = std::fs::read_to_string(path).expect("corpus files are UTF-8");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let a = fast.tokenize(&text);
        let b = hf.tokenize(&text);
        for (out, backend) in [(&a, "fast"), (&b, "huggingface")] {
            if let Err(e) = common::check_invariants(&text, out) {
                panic!("{backend} on {path:?}: {e}");
            }
        }
        if DIVERGENCES.iter().any(|(file, _)| *file == name) {
            continue;
        }
        assert_eq!(common::render(&text, &a), common::render(&text, &b), "backends disagree on {path:?}");
    }
}
