//! One `#[derive(Serialize)]` row struct per table: the CSV format, owned by
//! report so core types never become a file format by accident.
//!
//! Invariant: the field order of each struct is the column order of its
//! table, and `Table::columns` lists the same names (a test checks it).

use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct DocumentRow<'a> {
    pub doc_id: &'a str,
    pub path: &'a str,
    pub title: &'a str,
    pub author: &'a str,
    pub published: &'a str,
    pub sentences: usize,
    pub tokens: usize,
    pub mentions: usize,
    pub stances: usize,
    pub status: &'static str,
    pub error: &'a str,
}

#[derive(Serialize)]
pub(crate) struct MentionRow<'a> {
    pub doc_id: &'a str,
    pub sentence: u32,
    pub start: u32,
    pub end: u32,
    pub text: &'a str,
    pub actor_id: &'a str,
    pub actor_name: &'a str,
    pub actor_kind: &'static str,
    pub affiliation_id: &'a str,
    pub country: &'a str,
    pub via: &'static str,
}

#[derive(Serialize)]
pub(crate) struct StanceRow<'a> {
    pub stance_id: &'a str,
    pub doc_id: &'a str,
    pub sentence: u32,
    pub start: u32,
    pub end: u32,
    pub source_id: &'a str,
    pub source_name: &'a str,
    pub source_country: &'a str,
    pub source_text: &'a str,
    pub target_id: &'a str,
    pub target_name: &'a str,
    pub target_country: &'a str,
    pub target_text: &'a str,
    pub category: &'static str,
    pub quad_class: &'static str,
    pub polarity: i8,
    pub score: &'a str,
    pub modality: &'static str,
    pub cue: &'a str,
    pub confidence: &'a str,
    pub evidence: &'a str,
    pub symmetric: bool,
    pub cue_text: &'a str,
}

#[derive(Serialize)]
pub(crate) struct PairRow<'a> {
    pub source_id: &'a str,
    pub source_name: &'a str,
    pub target_id: &'a str,
    pub target_name: &'a str,
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
    pub doc_id: &'a str,
    pub actor_id: &'a str,
    pub actor_name: &'a str,
    pub mentions: u32,
    pub author_stance: &'static str,
    pub author_score: &'a str,
}

#[derive(Serialize)]
pub(crate) struct UnknownNameRow<'a> {
    pub name: &'a str,
    pub count: u64,
    pub docs: u64,
    pub example: &'a str,
}

#[derive(Serialize)]
pub(crate) struct DiagnosticRow<'a> {
    pub path: &'a str,
    pub stage: &'a str,
    pub severity: &'static str,
    pub message: &'a str,
}

/// `x` with exactly three decimals; `-0.000` is written `0.000` and a
/// non-finite value as an empty field.
pub(crate) fn fixed3(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.3}");
    if s == "-0.000" {
        "0.000".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::fixed3;

    #[test]
    fn fixed3_is_stable() {
        assert_eq!(fixed3(0.1f32 as f64), "0.100");
        assert_eq!(fixed3(-0.0004), "0.000");
        assert_eq!(fixed3(-2.5), "-2.500");
        assert_eq!(fixed3(f64::NAN), "");
        assert_eq!(fixed3(7.0), "7.000");
    }
}
