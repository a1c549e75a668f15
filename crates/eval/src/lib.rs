//! dyad-eval: scores dyad's CSV tables against the gold annotations of the
//! corpus (`corpus/README.md` gives the format).
//!
//! The flow is [`gold::parse`] (a `.gold` file from `&str`), then
//! [`resolve::resolve`] (its quotes and surfaces to byte spans of the
//! article), then [`score::score`] (against the rows [`tables::Predictions`]
//! read for that document), and finally [`summary`] (figures per article and
//! micro-averaged per split, the printed table, `eval.csv`, the floors).
//! [`evaluate`] runs the whole flow over a corpus folder and a tables folder.
//!
//! Invariant: every span is a half-open pair of byte offsets into the
//! article exactly as dyad reads it (a leading BOM stripped, nothing else),
//! so gold spans and table offsets compare directly.

pub mod gold;
pub mod resolve;
pub mod score;
pub mod summary;
pub mod tables;

use std::path::{Path, PathBuf};

pub use gold::{Gold, GoldError};
pub use resolve::Resolved;
pub use score::{Counts, DocScore};
pub use summary::{Floor, FloorError, Metric};
pub use tables::{DocPredictions, Predictions, TableError};

/// What stops an evaluation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Gold(#[from] GoldError),
    #[error(transparent)]
    Table(#[from] TableError),
    #[error(transparent)]
    Floor(#[from] FloorError),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: no article next to this gold file (expected {article})")]
    NoArticle { path: String, article: String },
}

/// One annotated article: its gold file parsed and resolved.
#[derive(Debug, Clone)]
pub struct Case {
    /// The article's path relative to the corpus folder, `/`-separated:
    /// the `doc_id` of the tables when dyad ran on that folder.
    pub doc_id: String,
    /// The first component of `doc_id` (`dev`, `test`); empty for an
    /// article at the top of the corpus.
    pub split: String,
    /// The article text, a leading BOM stripped.
    pub text: String,
    pub gold: Gold,
    pub resolved: Resolved,
}

/// One scored article.
#[derive(Debug, Clone)]
pub struct Scored {
    pub case: Case,
    pub pred: DocPredictions,
    pub score: DocScore,
}

/// Every gold file under `corpus` (`<article>.gold`, found recursively,
/// hidden entries skipped), sorted by path.
pub fn gold_files(corpus: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    let mut stack = vec![corpus.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let io = |source| Error::Io { path: dir.display().to_string(), source };
        for entry in std::fs::read_dir(&dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            if entry.file_type().map_err(io)?.is_dir() {
                stack.push(path);
            } else if name.ends_with(".gold") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads, parses and resolves the gold file at `path` (under `corpus`)
/// against its article.
pub fn load_case(corpus: &Path, path: &Path) -> Result<Case, Error> {
    let shown = path.display().to_string();
    let read = |p: &Path| std::fs::read(p).map_err(|source| Error::Io { path: p.display().to_string(), source });
    let gold_text = String::from_utf8_lossy(&read(path)?).into_owned();
    let gold = gold::parse(&shown, &gold_text)?;

    let article = path.with_extension("");
    if !article.is_file() {
        return Err(Error::NoArticle { path: shown, article: article.display().to_string() });
    }
    let text = article_text(&read(&article)?).map_err(|_| Error::Io {
        path: article.display().to_string(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8"),
    })?;
    let resolved = resolve::resolve(&gold, &text)?;

    let rel = article.strip_prefix(corpus).unwrap_or(&article);
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let split = if parts.len() > 1 { parts[0].clone() } else { String::new() };
    Ok(Case { doc_id: parts.join("/"), split, text, gold, resolved })
}

/// Every gold file under `corpus`, loaded. Stops at the first error.
pub fn load_corpus(corpus: &Path) -> Result<Vec<Case>, Error> {
    gold_files(corpus)?.iter().map(|p| load_case(corpus, p)).collect()
}

/// The article text as dyad reads it: UTF-8, one leading BOM stripped.
pub fn article_text(bytes: &[u8]) -> Result<String, std::str::Utf8Error> {
    let text = std::str::from_utf8(bytes)?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_string())
}

/// Scores every case against the predictions.
pub fn score_all(cases: Vec<Case>, pred: &Predictions) -> Vec<Scored> {
    cases
        .into_iter()
        .map(|case| {
            let doc = pred.doc(&case.doc_id);
            let score = score::score(&case.gold, &case.resolved, &doc);
            Scored { case, pred: doc, score }
        })
        .collect()
}

/// The whole evaluation: the gold of `corpus` against the tables in `tables`.
pub fn evaluate(corpus: &Path, tables: &Path) -> Result<Vec<Scored>, Error> {
    let cases = load_corpus(corpus)?;
    let pred = Predictions::read_dir(tables)?;
    Ok(score_all(cases, &pred))
}
