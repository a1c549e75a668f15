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

/// Appends `Text(cell)` as one CSV field: the bytes serializing it writes.
pub(crate) fn text_cell(cell: &str, out: &mut Vec<u8>) {
    crate::line::field(neutralise(cell).as_bytes(), out);
}

/// Appends `Id(cell)` as one CSV field: the bytes serializing it writes.
pub(crate) fn id_cell(cell: &str, out: &mut Vec<u8>) {
    if looks_numeric(cell) {
        crate::line::field(format!("'{cell}").as_bytes(), out);
    } else {
        text_cell(cell, out);
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

/// The columns of `mentions.csv`. The rows themselves are written cell by
/// cell (`Rendered::render` renders the repeated cells once per document);
/// a test checks they are the bytes this struct serializes to.
#[cfg_attr(not(test), allow(dead_code))]
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
#[cfg(test)]
pub(crate) fn fixed3(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.3}");
    if s == "-0.000" { "0.000".to_string() } else { s }
}

/// [`fixed3`] without allocating: the same text, built from the integer
/// `round(x * 1000)` whenever that rounding is exact, which is every value
/// short of 10^6 that is not within 10^-9 of a tie; the rest (huge values,
/// near-ties) go through `format!` as before.
pub(crate) struct Fixed3 {
    buf: [u8; 24],
    len: u8,
    slow: Option<String>,
}

impl Fixed3 {
    pub(crate) fn new(x: f64) -> Fixed3 {
        let mut out = Fixed3 { buf: [0; 24], len: 0, slow: None };
        if !x.is_finite() {
            return out;
        }
        let y = x * 1000.0;
        // |y| < 1e9: the product is off by at most 1.2e-7 from the exact
        // decimal value, so a fraction this far from one half rounds the
        // same way in both.
        let frac = (y - y.trunc()).abs();
        if y.abs() >= 1e9 || (frac - 0.5).abs() <= 1e-6 {
            let s = format!("{x:.3}");
            out.slow = Some(if s == "-0.000" { "0.000".to_string() } else { s });
            return out;
        }
        let r = y.round() as i64;
        let mut tmp = [0u8; 24];
        let mut i = tmp.len();
        let mut n = r.unsigned_abs();
        for k in 0..3 {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if k == 2 {
                i -= 1;
                tmp[i] = b'.';
            }
        }
        loop {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if r < 0 {
            i -= 1;
            tmp[i] = b'-';
        }
        let len = tmp.len() - i;
        out.buf[..len].copy_from_slice(&tmp[i..]);
        out.len = len as u8;
        out
    }

    pub(crate) fn as_str(&self) -> &str {
        match &self.slow {
            Some(s) => s,
            None => std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Fixed3, Id, Text, fixed3, neutralise};

    #[test]
    fn fixed3_is_stable() {
        assert_eq!(fixed3(0.1f32 as f64), "0.100");
        assert_eq!(fixed3(-0.0004), "0.000");
        assert_eq!(fixed3(-2.5), "-2.500");
        assert_eq!(fixed3(f64::NAN), "");
        assert_eq!(fixed3(7.0), "7.000");
    }

    #[test]
    fn fast_fixed3_matches_format() {
        let mut values: Vec<f64> = vec![
            0.0,
            -0.0,
            0.0005,
            -0.0005,
            0.0015,
            2.5e-4,
            -4e-4,
            1e9,
            -1e12,
            123456.789,
            0.1,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            0.9995,
            -0.9995,
            999.9999,
            1.0625,
            -7.0,
        ];
        // Every f32 score a stance can have in steps of 1/64 and 1/10, and
        // a spread of awkward values.
        for i in -1000..=1000 {
            values.push(f64::from(i as f32 / 64.0));
            values.push(f64::from(i as f32 / 10.0));
            values.push(i as f64 / 7.0);
            values.push(f64::from(i as f32 * 0.0013));
            values.push(i as f64 * 0.0005);
        }
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(f64::from(f32::from_bits((x >> 32) as u32)));
            values.push((x % 20_000_001) as f64 / 1000.0 - 10_000.0);
        }
        for v in values {
            assert_eq!(Fixed3::new(v).as_str(), fixed3(v), "{v:e}");
        }
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
