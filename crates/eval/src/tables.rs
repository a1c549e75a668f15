//! The rows of dyad's tables that scoring needs, read with `csv` + `serde`
//! and grouped by `doc_id`.
//!
//! Only the columns named in the row structs are read, so the tables may
//! gain columns without breaking the evaluation. Id and text cells that
//! report guarded against spreadsheet formulas (a leading `'` before `=`,
//! `-`, a digit, ...) are read back as the plain value, and a leading
//! UTF-8 BOM (`--excel`) is ignored.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use dyad_core::{Modality, Span};
use serde::Deserialize;

/// A table that cannot be read or holds a bad row.
#[derive(Debug, thiserror::Error)]
#[error("{table}: {message}")]
pub struct TableError {
    /// The file (or table name) in messages.
    pub table: String,
    pub message: String,
}

/// Everything the tables say about each document, by `doc_id`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Predictions {
    pub docs: BTreeMap<String, DocPredictions>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocPredictions {
    /// The `documents.csv` row, when there is one.
    pub document: Option<DocumentInfo>,
    /// Sorted by span.
    pub mentions: Vec<PredMention>,
    pub stances: Vec<PredStance>,
    /// `actors.csv`: primary actor id -> `author_stance`.
    pub author_stances: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    /// Empty when dyad found no author.
    pub author: String,
    /// `ok`, `skipped` or `error`.
    pub status: String,
}

/// One row of `mentions.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredMention {
    pub span: Span,
    /// The rolled-up actor: `affiliation_id` when set, else `actor_id`.
    pub actor: String,
    /// `name`, `pronoun`, `description`, ...
    pub via: String,
}

impl PredMention {
    /// Pronoun and description mentions have no gold counterpart.
    pub fn is_scored(&self) -> bool {
        !matches!(self.via.as_str(), "pronoun" | "description")
    }
}

/// One row of `stances.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct PredStance {
    /// The evidence sentence.
    pub sentence: Span,
    pub source: String,
    pub target: String,
    /// -1, 0 or 1.
    pub polarity: i8,
    /// `None` when the field is empty.
    pub score: Option<f64>,
    /// `None` for a value this crate does not know.
    pub modality: Option<Modality>,
    pub symmetric: bool,
}

#[derive(Deserialize)]
struct DocumentRow {
    doc_id: String,
    author: String,
    status: String,
}

#[derive(Deserialize)]
struct MentionRow {
    doc_id: String,
    start: u32,
    end: u32,
    actor_id: String,
    affiliation_id: String,
    via: String,
}

#[derive(Deserialize)]
struct StanceRow {
    doc_id: String,
    start: u32,
    end: u32,
    source_id: String,
    target_id: String,
    polarity: i8,
    score: String,
    modality: String,
    symmetric: bool,
}

#[derive(Deserialize)]
struct ActorRow {
    doc_id: String,
    actor_id: String,
    author_stance: String,
}

impl Predictions {
    /// Reads `documents.csv`, `mentions.csv`, `stances.csv` and `actors.csv`
    /// from `dir`.
    pub fn read_dir(dir: &Path) -> Result<Predictions, TableError> {
        let mut p = Predictions::default();
        let open = |name: &str| {
            let path = dir.join(name);
            std::fs::File::open(&path)
                .map(|f| (path.display().to_string(), f))
                .map_err(|e| TableError { table: path.display().to_string(), message: e.to_string() })
        };
        let (name, f) = open("documents.csv")?;
        p.add_documents(&name, f)?;
        let (name, f) = open("mentions.csv")?;
        p.add_mentions(&name, f)?;
        let (name, f) = open("stances.csv")?;
        p.add_stances(&name, f)?;
        let (name, f) = open("actors.csv")?;
        p.add_actors(&name, f)?;
        Ok(p)
    }

    /// The predictions for `doc_id`; empty when the tables never name it.
    pub fn doc(&self, doc_id: &str) -> DocPredictions {
        self.docs.get(doc_id).cloned().unwrap_or_default()
    }

    pub fn add_documents(&mut self, table: &str, r: impl Read) -> Result<(), TableError> {
        for row in rows::<DocumentRow>(table, r)? {
            let (_, row) = row;
            self.docs.entry(plain(row.doc_id)).or_default().document =
                Some(DocumentInfo { author: plain(row.author), status: row.status });
        }
        Ok(())
    }

    pub fn add_mentions(&mut self, table: &str, r: impl Read) -> Result<(), TableError> {
        for row in rows::<MentionRow>(table, r)? {
            let (line, row) = row;
            let span = span(table, line, row.start, row.end)?;
            let actor = if row.affiliation_id.is_empty() { row.actor_id } else { row.affiliation_id };
            let doc = self.docs.entry(plain(row.doc_id)).or_default();
            doc.mentions.push(PredMention { span, actor: plain(actor), via: row.via });
        }
        for doc in self.docs.values_mut() {
            doc.mentions.sort_by_key(|m| m.span);
        }
        Ok(())
    }

    pub fn add_stances(&mut self, table: &str, r: impl Read) -> Result<(), TableError> {
        for row in rows::<StanceRow>(table, r)? {
            let (line, row) = row;
            let sentence = span(table, line, row.start, row.end)?;
            let score = match row.score.trim() {
                "" => None,
                s => Some(s.parse::<f64>().map_err(|_| TableError {
                    table: table.to_string(),
                    message: format!("line {line}: score `{s}` is not a number"),
                })?),
            };
            self.docs.entry(plain(row.doc_id)).or_default().stances.push(PredStance {
                sentence,
                source: plain(row.source_id),
                target: plain(row.target_id),
                polarity: row.polarity.signum(),
                score,
                modality: Modality::parse(&row.modality),
                symmetric: row.symmetric,
            });
        }
        Ok(())
    }

    pub fn add_actors(&mut self, table: &str, r: impl Read) -> Result<(), TableError> {
        for row in rows::<ActorRow>(table, r)? {
            let (_, row) = row;
            self.docs
                .entry(plain(row.doc_id))
                .or_default()
                .author_stances
                .insert(plain(row.actor_id), row.author_stance);
        }
        Ok(())
    }
}

/// `cell` without the `'` report puts before a cell a spreadsheet would
/// read as a formula, number or date.
fn plain(cell: String) -> String {
    let guarded = cell.strip_prefix('\'').is_some_and(|rest| {
        rest.starts_with(|c: char| {
            matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '.' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}')
                || c.is_ascii_digit()
        })
    });
    if guarded { cell[1..].to_string() } else { cell }
}

/// The deserialised rows of one table, each with its 1-based line.
fn rows<T: serde::de::DeserializeOwned>(table: &str, r: impl Read) -> Result<Vec<(u64, T)>, TableError> {
    let error = |message: String| TableError { table: table.to_string(), message };
    let mut reader = csv::Reader::from_reader(r);
    let headers = reader.headers().map_err(|e| error(e.to_string()))?.clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| error(e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        let row = record.deserialize(Some(&headers)).map_err(|e| error(format!("line {line}: {e}")))?;
        out.push((line, row));
    }
    Ok(out)
}

fn span(table: &str, line: u64, start: u32, end: u32) -> Result<Span, TableError> {
    if start > end {
        return Err(TableError {
            table: table.to_string(),
            message: format!("line {line}: start {start} after end {end}"),
        });
    }
    Ok(Span { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_by_column_name() {
        let mut p = Predictions::default();
        p.add_mentions(
            "mentions.csv",
            "doc_id,sentence,start,end,text,actor_id,actor_name,actor_kind,affiliation_id,country,via\r\n\
             a.txt,0,10,15,Putin,VLADIMIR_PUTIN,Vladimir Putin,person,RUS,RUS,surname\r\n\
             a.txt,0,0,6,Russia,RUS,Russia,state,,RUS,name\r\n"
                .as_bytes(),
        )
        .expect("reads");
        p.add_stances(
            "stances.csv",
            "doc_id,start,end,source_id,target_id,polarity,score,modality,symmetric,extra\n\
             a.txt,0,30,RUS,IRN,1,4.000,asserted,true,x\n"
                .as_bytes(),
        )
        .expect("reads");
        let doc = p.doc("a.txt");
        assert_eq!(doc.mentions[0].actor, "RUS");
        assert_eq!(doc.mentions[0].span, Span::new(0, 6));
        assert_eq!(doc.mentions[1].actor, "RUS");
        assert_eq!(doc.stances[0].score, Some(4.0));
        assert_eq!(doc.stances[0].modality, Some(Modality::Asserted));
        assert!(doc.stances[0].symmetric);
        assert!(p.doc("b.txt").mentions.is_empty());
    }

    #[test]
    fn guarded_cells_and_a_bom_are_read_back_plain() {
        let mut p = Predictions::default();
        p.add_documents(
            "documents.csv",
            "\u{feff}doc_id,author,status\r\n'2024-05.txt,'-Jane,ok\r\nb.txt,O'Neil,ok\r\n".as_bytes(),
        )
        .expect("reads");
        let doc = p.doc("2024-05.txt");
        assert_eq!(doc.document.map(|d| d.author), Some("-Jane".to_string()));
        assert_eq!(p.doc("b.txt").document.map(|d| d.author), Some("O'Neil".to_string()));
    }

    #[test]
    fn bad_rows_are_errors() {
        let mut p = Predictions::default();
        let e = p
            .add_stances(
                "stances.csv",
                "doc_id,start,end,source_id,target_id,polarity,score,modality,symmetric\n\
                 a.txt,9,3,RUS,IRN,1,4.000,asserted,false\n"
                    .as_bytes(),
            )
            .expect_err("start after end");
        assert_eq!(e.to_string(), "stances.csv: line 2: start 9 after end 3");
        let e = p.add_actors("actors.csv", "doc_id,actor_id\na,RUS\n".as_bytes()).expect_err("missing column");
        assert!(e.to_string().contains("author_stance"), "{e}");
    }
}
