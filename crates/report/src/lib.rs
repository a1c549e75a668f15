//! Analysed documents -> CSV tables, written to any `io::Write`.
//!
//! STUB: the report helper replaces this file.
