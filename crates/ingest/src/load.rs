//! `load`: one source -> documents, or a `skipped`/`error` failure with a
//! diagnostic. Never panics, never aborts the batch.

use crate::{IngestConfig, Loaded, Source, parse_article};
use dyad_core::{Diagnostic, Severity};
use std::fs;
use std::io::Read;

/// Extensions `load` reads (compared case-insensitively).
pub const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "md", "markdown"];

/// How many leading bytes are searched for a NUL to call a file binary.
const BINARY_PROBE: usize = 8 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads and parses one source. Never panics on any input.
///
/// Failures, checked in this order: the file cannot be inspected (`error`,
/// the OS message); a folder (`error`); not a regular file (`skipped`);
/// unsupported extension (`skipped`, "unsupported file type .xyz"); larger
/// than `cfg.max_bytes` (`skipped`); a NUL byte in the first 8 KiB
/// (`skipped`, "binary file"); not valid UTF-8 (`error`, "not valid UTF-8 at
/// byte N", N counted in the file); empty or whitespace only (`skipped`,
/// "empty file"). Each failure also gives one diagnostic of stage `ingest`.
pub fn load(source: &Source, cfg: &IngestConfig) -> Loaded {
    match read_text(source, cfg) {
        Ok(text) => Loaded {
            documents: vec![parse_article(&source.id, &source.display, text)],
            failure: None,
            diagnostics: Vec::new(),
        },
        Err(failure) => {
            let reason = failure.reason();
            Loaded {
                documents: Vec::new(),
                diagnostics: vec![Diagnostic {
                    path: source.display.clone(),
                    stage: "ingest",
                    severity: failure.severity(),
                    message: reason.clone(),
                }],
                failure: Some((failure.status(), reason)),
            }
        }
    }
}

/// Why a source gave no document.
#[derive(Debug)]
enum Failure {
    Io(std::io::Error),
    Directory(Option<std::io::Error>),
    NotRegular,
    Unsupported(Option<String>),
    TooLarge { size: u64, limit: u64 },
    Binary,
    Decode(DecodeError),
    Empty,
}

impl Failure {
    fn status(&self) -> &'static str {
        match self {
            Failure::Io(_) | Failure::Directory(_) | Failure::Decode(_) => "error",
            _ => "skipped",
        }
    }

    fn severity(&self) -> Severity {
        match self {
            Failure::Io(_) | Failure::Directory(_) | Failure::Decode(_) => Severity::Error,
            // Expected in a mixed folder (images, PDFs): worth a note only.
            Failure::NotRegular | Failure::Unsupported(_) => Severity::Info,
            Failure::TooLarge { .. } | Failure::Binary | Failure::Empty => Severity::Warning,
        }
    }

    fn reason(&self) -> String {
        match self {
            Failure::Io(e) => e.to_string(),
            Failure::Directory(Some(e)) => format!("cannot list folder: {e}"),
            Failure::Directory(None) => "is a folder".to_string(),
            Failure::NotRegular => "not a regular file".to_string(),
            Failure::Unsupported(Some(ext)) => format!("unsupported file type .{ext}"),
            Failure::Unsupported(None) => "unsupported file type (no extension)".to_string(),
            Failure::TooLarge { size, limit } => {
                format!("file too large: {size} bytes (limit {limit} bytes)")
            }
            Failure::Binary => "binary file".to_string(),
            Failure::Decode(DecodeError::InvalidUtf8 { at }) => {
                format!("not valid UTF-8 at byte {at}")
            }
            Failure::Empty => "empty file".to_string(),
        }
    }
}

fn read_text(source: &Source, cfg: &IngestConfig) -> Result<String, Failure> {
    let meta = fs::metadata(&source.path).map_err(Failure::Io)?;
    if meta.is_dir() {
        return Err(Failure::Directory(fs::read_dir(&source.path).err()));
    }
    if !meta.is_file() {
        return Err(Failure::NotRegular);
    }
    let ext = source
        .path
        .extension()
        .map(|e| e.to_string_lossy().into_owned());
    let supported = ext.as_deref().is_some_and(|e| {
        SUPPORTED_EXTENSIONS
            .iter()
            .any(|s| s.eq_ignore_ascii_case(e))
    });
    if !supported {
        return Err(Failure::Unsupported(ext));
    }
    let limit = cfg.max_bytes.min(u64::from(u32::MAX));
    if meta.len() > limit {
        return Err(Failure::TooLarge {
            size: meta.len(),
            limit,
        });
    }

    // Read at most one byte past the limit: the file may have grown.
    let file = fs::File::open(&source.path).map_err(Failure::Io)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Failure::Io)?;
    if bytes.len() as u64 > limit {
        let size = fs::metadata(&source.path)
            .map(|m| m.len())
            .unwrap_or(bytes.len() as u64);
        return Err(Failure::TooLarge { size, limit });
    }
    if bytes[..bytes.len().min(BINARY_PROBE)].contains(&0) {
        return Err(Failure::Binary);
    }
    let text = decode(bytes).map_err(Failure::Decode)?;
    if text.trim().is_empty() {
        return Err(Failure::Empty);
    }
    Ok(text)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DecodeError {
    /// `at` counts bytes from the start of the file, BOM included.
    InvalidUtf8 { at: usize },
}

/// Bytes -> text: one leading UTF-8 BOM stripped, nothing else changed.
///
/// The one place an encoding is chosen. Only UTF-8 for now; a fallback (say
/// Windows-1252 when UTF-8 fails) slots in here, returning the text plus a
/// note for a diagnostic.
fn decode(mut bytes: Vec<u8>) -> Result<String, DecodeError> {
    let skipped = if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
        BOM.len()
    } else {
        0
    };
    String::from_utf8(bytes).map_err(|e| DecodeError::InvalidUtf8 {
        at: skipped + e.utf8_error().valid_up_to(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_strips_one_bom_only() {
        let twice = [BOM, BOM, b"a\r\n"].concat();
        assert_eq!(decode(twice), Ok("\u{feff}a\r\n".to_string()));
        assert_eq!(decode(b"plain".to_vec()), Ok("plain".to_string()));
    }

    #[test]
    fn decode_error_counts_file_bytes() {
        assert_eq!(
            decode(b"ab\xffc".to_vec()),
            Err(DecodeError::InvalidUtf8 { at: 2 })
        );
        let with_bom = [BOM, b"ab\xff"].concat();
        assert_eq!(decode(with_bom), Err(DecodeError::InvalidUtf8 { at: 5 }));
    }
}
