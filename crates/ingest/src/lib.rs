//! Files -> documents (+ diagnostics). The only crate that reads input.
//!
//! Three steps, each usable alone:
//!
//! 1. [`discover`] lists the files under an input path, sorted by id
//!    (the `/`-joined path relative to the input), skipping the corpus's
//!    own notes (`README`, `README.md`, `*.gold`) and hidden entries.
//! 2. [`load`] reads one [`Source`]: it never panics and never fails; a file
//!    it cannot use becomes a `skipped`/`error` [`Loaded::failure`] plus a
//!    [`Diagnostic`], so one bad article never aborts a batch. It reads
//!    plain text and Markdown, HTML pages (their article text, see
//!    `html.rs`) and JSON Lines exports (one document per line, see
//!    `jsonl.rs`), in UTF-8, UTF-16/32 with a byte-order mark, or
//!    Windows-1252/Latin-1 (see `decode.rs`).
//! 3. [`parse_article`] is pure: text in, [`Document`] out, with the title,
//!    author and date the article gives about itself and the boilerplate
//!    zones (byline, dateline, author bio, disclaimer, credit) that later
//!    stages must not analyse. Heuristics are described in `article.rs`;
//!    in short, zones are whole paragraphs at the head or tail of the
//!    article, plus unmistakable captions anywhere. Several authors are
//!    joined with `"; "`. A front-matter block is zoned as
//!    [`ZoneKind::Byline`](dyad_core::ZoneKind::Byline): it is the article's
//!    metadata, not its analysis.
//!
//! Invariant: [`Document::text`] is, for a plain-text or Markdown file,
//! the file's bytes decoded (transcoded to UTF-8 when they were not UTF-8,
//! with a warning), one leading BOM stripped, nothing else changed; for an
//! HTML page, its extracted text; for a JSONL line, its `text` field. Every
//! zone is a span into that text, on `char` boundaries, sorted and
//! non-overlapping.

mod article;
mod dates;
mod decode;
mod discover;
mod frontmatter;
mod html;
mod jsonl;
mod load;
mod names;
mod patterns;
mod text;

use dyad_core::{Diagnostic, Document};
use std::path::PathBuf;

pub use article::parse_article;
pub use discover::discover;
pub use load::{Prefetch, SUPPORTED_EXTENSIONS, load, load_bytes, prefetch};

#[derive(Debug, Clone)]
pub struct IngestConfig {
    /// Files larger than this are skipped with a diagnostic. Spans are
    /// `u32`, so the effective limit is never above `u32::MAX`.
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

/// What can stop a whole run: only an input path that cannot be listed.
/// Problems with single files are [`Loaded::failure`]s, not errors.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The input path (or the input folder's listing) could not be read.
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

/// What reading one source gave.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Zero or more documents (a JSONL export holds many), in file order.
    pub documents: Vec<Document>,
    /// Parts of a file read that gave no document: the bad lines of a
    /// JSONL export, in file order. Each also has a diagnostic.
    pub rejected: Vec<Rejected>,
    /// `None` when the file was read; `Some((status, reason))` with status
    /// `skipped` or `error` otherwise.
    pub failure: Option<(&'static str, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A part of a source that gave no document, with the id of its
/// `documents.csv` row (`export.jsonl#7` for line 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// How many of [`Loaded::documents`] come before it in the file, so the
    /// rows can be written in file order.
    pub after_documents: usize,
    pub id: String,
    /// `skipped` or `error`.
    pub status: &'static str,
    /// Names the line: `line 7, column 12: not valid JSON: ...`.
    pub reason: String,
}
