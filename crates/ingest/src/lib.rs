//! Files -> documents (+ diagnostics). The only crate that reads input.
//!
//! STUB: the ingest helper replaces this file.

use dyad_core::{Diagnostic, Document};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct IngestConfig {
    /// Files larger than this are skipped with a diagnostic.
    pub max_bytes: u64,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig { max_bytes: 64 * 1024 * 1024 }
    }
}

/// One input file found under the input path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    /// The file on disk.
    pub path: PathBuf,
    /// The path shown in tables: the input as given joined with the
    /// relative path, `/`-separated.
    pub display: String,
    /// The id: the path relative to the input root (the file name when the
    /// input is a single file), `/`-separated.
    pub id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

/// Every file under `input` (or `input` itself), sorted by id.
pub fn discover(input: &Path) -> Result<Vec<Source>, IngestError> {
    let _ = input;
    Ok(Vec::new())
}

/// What reading one source gave.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Zero or more documents (a JSONL export holds many).
    pub documents: Vec<Document>,
    /// `None` when the file was read; `Some((status, reason))` with status
    /// `skipped` or `error` otherwise.
    pub failure: Option<(&'static str, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and parses one source. Never panics on any input.
pub fn load(source: &Source, cfg: &IngestConfig) -> Loaded {
    let _ = (source, cfg);
    Loaded::default()
}

/// Parses an article already decoded to text: title, author, date and
/// boilerplate zones. Pure; `text` must already have its BOM stripped.
pub fn parse_article(id: &str, path: &str, text: String) -> Document {
    Document { id: id.to_string(), path: path.to_string(), text, ..Document::default() }
}
