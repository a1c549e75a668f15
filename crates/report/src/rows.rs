//! One `#[derive(Serialize)]` row struct per table: the CSV format, owned by
//! report so core types never become a file format by accident.
//!
//! Invariant: the field order of each struct is the column order of its
//! table, and `Table::columns` lists the same names (a test checks it).
//!
//! Invariant: every cell whose value comes from an input (ids, names, the
//! article's words, paths, messages) is a [`Text`] or an [`Id`], so a
//! spreadsheet never reads it as a formula; only values report formats
//! itself (counts, scores, enum labels) are written raw.

use std::borrow::Cow;

use serde::{Serialize, Serializer};

/// A free-text cell, neutralised against CSV injection: see [`neutralise`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Text<'a>(pub &'a str);

/// An id cell: neutralised like [`Text`], and also when a spreadsheet would
/// read it as a number or a date (`010`, `2024-03`), so it stays text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Id<'a>(pub &'a str);

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&neutralise(self.0))
    }
}

impl Serialize for Id<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if looks_numeric(self.0) {
            s.serialize_str(&format!("'{}", self.0))
        } else {
            s.serialize_str(&neutralise(self.0))
        }
    }
}

/// `cell` made safe to open in a spreadsheet, after the OWASP guidance on
/// CSV injection: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (or their full-width forms `＝`, `＋`, `－`, `＠`) gets
/// a leading `'`, so Excel, LibreOffice and Google Sheets show it as text
/// instead of running it as a formula. Every other cell is unchanged.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}') => {
            Cow::Owned(format!("'{cell}"))
        }
        _ => Cow::Borrowed(cell),
    }
}

/// True when a spreadsheet would read `s` as a number, date or time:
/// it starts with a digit (or `.` and a digit) and holds only digits,
/// separators (`.,:/-` and spaces), `e`/`E` and `%`.
fn looks_numeric(s: &str) -> bool {
    let mut chars = s.chars();
    let first_ok = match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('.') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    };
    first_ok
        && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ':' | '/' | '-' | ' ' | 'e' | 'E' | '%'))
}

#[derive(Serialize)]
pub(crate) struct DocumentRow<'a> {
    pub doc_id: Id<'a>,
    pub path: Text<'a>,
    pub title: Text<'a>,
    pub author: Text<'a>,
    pub published: Text<'a>,
    pub sentences: usize,
    pub tokens: usize,
    pub mentions: usize,
    pub stances: usize,
    pub status: &'static str,
    pub error: Text<'a>,
    pub url: Text<'a>,
}

#[derive(Serialize)]
pub(crate) struct MentionRow<'a> {
    pub doc_id: Id<'a>,
    pub sentence: u32,
    pub start: u32,
    pub end: u32,
    pub text: Text<'a>,
    pub actor_id: Id<'a>,
    pub actor_name: Text<'a>,
    pub actor_kind: &'static str,
    pub affiliation_id: Id<'a>,
    pub country: Id<'a>,
    pub via: &'static str,
}

#[derive(Serialize)]
pub(crate) struct StanceRow<'a> {
    pub stance_id: Id<'a>,
    pub doc_id: Id<'a>,
    pub sentence: u32,
    pub start: u32,
    pub end: u32,
    pub source_id: Id<'a>,
    pub source_name: Text<'a>,
    pub source_country: Id<'a>,
    pub source_text: Text<'a>,
    pub target_id: Id<'a>,
    pub target_name: Text<'a>,
    pub target_country: Id<'a>,
    pub target_text: Text<'a>,
    pub category: &'static str,
    pub quad_class: &'static str,
    pub polarity: i8,
    pub score: &'a str,
    pub modality: &'static str,
    pub cue: Text<'a>,
    pub confidence: &'a str,
    pub evidence: Text<'a>,
    pub symmetric: bool,
    pub cue_text: Text<'a>,
}

#[derive(Serialize)]
pub(crate) struct PairRow<'a> {
    pub source_id: Id<'a>,
    pub source_name: Text<'a>,
    pub target_id: Id<'a>,
    pub target_name: Text<'a>,
    pub docs: u64,
    pub stances: u64,
    pub cooperation: u64,
    pub conflict: u64,
    pub mean_score: &'a str,
    pub net: &'static str,
    pub net_score: &'a str,
}

#[derive(Serialize)]
pub(crate) struct ActorRow<'a> {
    pub doc_id: Id<'a>,
    pub actor_id: Id<'a>,
    pub actor_name: Text<'a>,
    pub mentions: u32,
    pub author_stance: &'static str,
    pub author_score: &'a str,
}

#[derive(Serialize)]
pub(crate) struct UnknownNameRow<'a> {
    pub name: Text<'a>,
    pub count: u64,
    pub docs: u64,
    pub example: Text<'a>,
}

#[derive(Serialize)]
pub(crate) struct DiagnosticRow<'a> {
    pub path: Text<'a>,
    pub stage: &'a str,
    pub severity: &'static str,
    pub message: Text<'a>,
}

/// `x` with exactly three decimals; `-0.000` is written `0.000` and a
/// non-finite value as an empty field.
pub(crate) fn fixed3(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.3}");
    if s == "-0.000" { "0.000".to_string() } else { s }
}

#[cfg(test)]
mod tests {
    use super::{Id, Text, fixed3, neutralise};

    #[test]
    fn fixed3_is_stable() {
        assert_eq!(fixed3(0.1f32 as f64), "0.100");
        assert_eq!(fixed3(-0.0004), "0.000");
        assert_eq!(fixed3(-2.5), "-2.500");
        assert_eq!(fixed3(f64::NAN), "");
        assert_eq!(fixed3(7.0), "7.000");
    }

    fn csv_cell<T: serde::Serialize>(cell: T) -> String {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        w.serialize((cell,)).expect("serialise");
        String::from_utf8(w.into_inner().expect("flush")).expect("utf-8")
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+2", "'+1+2"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("\u{ff1d}1+1", "'\u{ff1d}1+1"),
            ("Russia", "Russia"),
            (" =not first", " =not first"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), want, "{cell:?}");
        }
        assert_eq!(csv_cell(Text("=1+1")), "'=1+1\n");
        assert_eq!(csv_cell(Text("010")), "010\n");
        assert_eq!(csv_cell(Id("010")), "'010\n");
        assert_eq!(csv_cell(Id("2024-03")), "'2024-03\n");
        assert_eq!(csv_cell(Id(".5")), "'.5\n");
        assert_eq!(csv_cell(Id("=x.txt")), "'=x.txt\n");
        assert_eq!(csv_cell(Id("RUS")), "RUS\n");
        assert_eq!(csv_cell(Id("2024-report.txt")), "2024-report.txt\n");
        assert_eq!(csv_cell(Id("a.jsonl#010")), "a.jsonl#010\n");
    }
}
