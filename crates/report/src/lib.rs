//! Analysed documents -> CSV tables, written to any `io::Write`.
//!
//! A [`Report`] owns one CSV writer per [`Table`]. Rows of the per-document
//! tables are written as each document is added, so memory stays constant
//! in the number of documents; the batch tables (`pairs.csv`,
//! `unknown_names.csv`) are accumulated in `BTreeMap`s and written by
//! [`Report::finish`].
//!
//! Invariant: the tables are RFC 4180 CSV (UTF-8, `\r\n` record terminator,
//! a header row even when there are no rows; a UTF-8 BOM first in Excel
//! mode, [`ReportConfig::excel`]), and their bytes depend only on the
//! sequence of `add_*` calls: no timestamps, no hash-map iteration, floats
//! with a fixed number of decimals.
//!
//! Invariant: no cell that comes from the input can run as a spreadsheet
//! formula: free text and ids are neutralised ([`neutralise`]), and ids
//! that a spreadsheet would read as numbers or dates get a leading `'`.

mod line;
mod rows;

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};

use dyad_core::{Actor, ActorId, ActorTable, Analysis, Diagnostic, Mention, Severity, Span, Stance};

use rows::{
    ActorRow, DiagnosticRow, DocumentRow, Fixed3, Id, PairRow, StanceRow, Text, UnknownNameRow, id_cell, text_cell,
};

pub use rows::neutralise;

/// How the tables are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportConfig {
    /// Start every table with a UTF-8 byte-order mark, so Excel reads it
    /// as UTF-8 (`--excel`). Line ends are `\r\n` in every mode.
    pub excel: bool,
}

/// The UTF-8 byte-order mark `--excel` tables start with.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The longest `example` of `unknown_names.csv`, in chars.
pub const EXAMPLE_MAX_CHARS: usize = 300;

/// The tables a report writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    Documents,
    Mentions,
    Stances,
    Pairs,
    Actors,
    UnknownNames,
    Diagnostics,
}

impl Table {
    pub const ALL: [Table; 7] = [
        Table::Documents,
        Table::Mentions,
        Table::Stances,
        Table::Pairs,
        Table::Actors,
        Table::UnknownNames,
        Table::Diagnostics,
    ];

    /// `documents`, `unknown_names`, ...
    pub fn name(self) -> &'static str {
        match self {
            Table::Documents => "documents",
            Table::Mentions => "mentions",
            Table::Stances => "stances",
            Table::Pairs => "pairs",
            Table::Actors => "actors",
            Table::UnknownNames => "unknown_names",
            Table::Diagnostics => "diagnostics",
        }
    }

    /// `documents.csv`, `unknown_names.csv`, ...
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Documents => "documents.csv",
            Table::Mentions => "mentions.csv",
            Table::Stances => "stances.csv",
            Table::Pairs => "pairs.csv",
            Table::Actors => "actors.csv",
            Table::UnknownNames => "unknown_names.csv",
            Table::Diagnostics => "diagnostics.csv",
        }
    }

    /// The header row.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Documents => &[
                "doc_id",
                "path",
                "title",
                "author",
                "published",
                "sentences",
                "tokens",
                "mentions",
                "stances",
                "status",
                "error",
                "url",
            ],
            Table::Mentions => &[
                "doc_id",
                "sentence",
                "start",
                "end",
                "text",
                "actor_id",
                "actor_name",
                "actor_kind",
                "affiliation_id",
                "country",
                "via",
            ],
            Table::Stances => &[
                "stance_id",
                "doc_id",
                "sentence",
                "start",
                "end",
                "source_id",
                "source_name",
                "source_country",
                "source_text",
                "target_id",
                "target_name",
                "target_country",
                "target_text",
                "category",
                "quad_class",
                "polarity",
                "score",
                "modality",
                "cue",
                "confidence",
                "evidence",
                "symmetric",
                "cue_text",
            ],
            Table::Pairs => &[
                "source_id",
                "source_name",
                "target_id",
                "target_name",
                "docs",
                "stances",
                "cooperation",
                "conflict",
                "mean_score",
                "net",
                "net_score",
            ],
            Table::Actors => &["doc_id", "actor_id", "actor_name", "mentions", "author_stance", "author_score"],
            Table::UnknownNames => &["name", "count", "docs", "example"],
            Table::Diagnostics => &["path", "stage", "severity", "message"],
        }
    }
}

/// One value per table: the writers a [`Report`] is built from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tables<T> {
    pub documents: T,
    pub mentions: T,
    pub stances: T,
    pub pairs: T,
    pub actors: T,
    pub unknown_names: T,
    pub diagnostics: T,
}

impl<T> Tables<T> {
    /// Builds every entry with `f`, in [`Table::ALL`] order.
    pub fn from_fn(mut f: impl FnMut(Table) -> T) -> Tables<T> {
        Tables {
            documents: f(Table::Documents),
            mentions: f(Table::Mentions),
            stances: f(Table::Stances),
            pairs: f(Table::Pairs),
            actors: f(Table::Actors),
            unknown_names: f(Table::UnknownNames),
            diagnostics: f(Table::Diagnostics),
        }
    }

    /// Builds every entry with `f`, in [`Table::ALL`] order, stopping at the
    /// first error.
    pub fn try_from_fn<E>(mut f: impl FnMut(Table) -> Result<T, E>) -> Result<Tables<T>, E> {
        Ok(Tables {
            documents: f(Table::Documents)?,
            mentions: f(Table::Mentions)?,
            stances: f(Table::Stances)?,
            pairs: f(Table::Pairs)?,
            actors: f(Table::Actors)?,
            unknown_names: f(Table::UnknownNames)?,
            diagnostics: f(Table::Diagnostics)?,
        })
    }

    pub fn get(&self, table: Table) -> &T {
        match table {
            Table::Documents => &self.documents,
            Table::Mentions => &self.mentions,
            Table::Stances => &self.stances,
            Table::Pairs => &self.pairs,
            Table::Actors => &self.actors,
            Table::UnknownNames => &self.unknown_names,
            Table::Diagnostics => &self.diagnostics,
        }
    }

    pub fn get_mut(&mut self, table: Table) -> &mut T {
        match table {
            Table::Documents => &mut self.documents,
            Table::Mentions => &mut self.mentions,
            Table::Stances => &mut self.stances,
            Table::Pairs => &mut self.pairs,
            Table::Actors => &mut self.actors,
            Table::UnknownNames => &mut self.unknown_names,
            Table::Diagnostics => &mut self.diagnostics,
        }
    }

    /// Borrows every entry mutably: `Report::new(bufs.as_mut())` writes
    /// into buffers the caller keeps.
    pub fn as_mut(&mut self) -> Tables<&mut T> {
        Tables {
            documents: &mut self.documents,
            mentions: &mut self.mentions,
            stances: &mut self.stances,
            pairs: &mut self.pairs,
            actors: &mut self.actors,
            unknown_names: &mut self.unknown_names,
            diagnostics: &mut self.diagnostics,
        }
    }

    /// Applies `f` to every entry, in [`Table::ALL`] order.
    pub fn try_map<U, E>(self, mut f: impl FnMut(Table, T) -> Result<U, E>) -> Result<Tables<U>, E> {
        Ok(Tables {
            documents: f(Table::Documents, self.documents)?,
            mentions: f(Table::Mentions, self.mentions)?,
            stances: f(Table::Stances, self.stances)?,
            pairs: f(Table::Pairs, self.pairs)?,
            actors: f(Table::Actors, self.actors)?,
            unknown_names: f(Table::UnknownNames, self.unknown_names)?,
            diagnostics: f(Table::Diagnostics, self.diagnostics)?,
        })
    }
}

/// Why an input has no analysis: the `status` of its `documents.csv` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Failure {
    /// Not an article dyad reads (binary, too large, empty, unknown format).
    Skipped,
    /// Could not be read or analysed (I/O error, a stage panicked).
    Error,
}

impl Failure {
    pub fn as_str(self) -> &'static str {
        match self {
            Failure::Skipped => "skipped",
            Failure::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Failure> {
        match s {
            "skipped" => Some(Failure::Skipped),
            "error" => Some(Failure::Error),
            _ => None,
        }
    }
}

/// Counts over everything written, returned by [`Report::finish`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows of `documents.csv`: analysed, skipped and failed.
    pub documents: usize,
    /// Documents analysed (`status` `ok`).
    pub ok: usize,
    pub skipped: usize,
    pub errors: usize,
    /// Rows of `mentions.csv`.
    pub mentions: usize,
    /// Rows of `stances.csv`.
    pub stances: usize,
    /// Rows of `pairs.csv` (known after `finish`).
    pub pairs: usize,
    /// Rows of `unknown_names.csv` (known after `finish`).
    pub unknown_names: usize,
    /// Rows of `diagnostics.csv`.
    pub diagnostics: usize,
    /// Bytes of document text analysed.
    pub bytes: u64,
}

impl Summary {
    /// True when some input was skipped or failed.
    pub fn has_failures(&self) -> bool {
        self.skipped > 0 || self.errors > 0
    }
}

/// The running totals of one (source, target) row of `pairs.csv`.
#[derive(Debug, Default)]
struct PairAcc {
    source_id: String,
    source_name: String,
    target_id: String,
    target_name: String,
    docs: u64,
    /// The sequence number of the last document counted in `docs`.
    last_doc: u64,
    stances: u64,
    cooperation: u64,
    conflict: u64,
    score_sum: f64,
}

/// The running totals of one row of `unknown_names.csv`.
#[derive(Debug, Default)]
struct UnknownAcc {
    count: u64,
    docs: u64,
    last_doc: u64,
    example: String,
}

/// Rows are buffered per table and handed to the writer in blocks of about
/// this many bytes.
const BLOCK: usize = 64 * 1024;

/// One table's writer with its buffer.
struct Out<W: Write> {
    w: W,
    buf: Vec<u8>,
}

impl<W: Write> Out<W> {
    fn new(w: W) -> Out<W> {
        Out { w, buf: Vec::with_capacity(BLOCK + 4096) }
    }

    /// Writes the buffer out once it is a block.
    #[inline]
    fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() >= BLOCK {
            self.w.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn row<T: serde::Serialize>(&mut self, row: &T) -> io::Result<()> {
        line::write_row(row, &mut self.buf);
        self.spill()
    }

    fn rows(&mut self, rows: &[u8]) -> io::Result<()> {
        if rows.len() >= BLOCK {
            self.w.write_all(&self.buf)?;
            self.buf.clear();
            return self.w.write_all(rows);
        }
        self.buf.extend_from_slice(rows);
        self.spill()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.write_all(&self.buf)?;
        self.buf.clear();
        self.w.flush()
    }
}

/// One analysed document's rows, rendered to CSV bytes, with its share of
/// the batch tables: what [`Report::add_document`] writes, split off so a
/// pipeline can render on its worker threads ([`Rendered::new`]) and keep
/// only the writes and the batch sums on the thread that owns the report
/// ([`Report::add_rendered`]). Rendering reads only the analysis and the
/// actor table, so the bytes written are the same either way.
#[derive(Debug, Default)]
pub struct Rendered {
    documents: Vec<u8>,
    mentions: Vec<u8>,
    stances: Vec<u8>,
    actors: Vec<u8>,
    diagnostics: Vec<u8>,
    diagnostic_rows: usize,
    mention_rows: usize,
    stance_rows: usize,
    text_bytes: u64,
    pairs: Vec<PairHit>,
    unknown: Vec<UnknownHit>,
    /// The ids, names and examples the hits point into.
    strings: String,
}

/// One stance counted toward a (source, target) row of `pairs.csv`.
#[derive(Debug, Clone)]
struct PairHit {
    /// Actor indices, `u32::MAX` for an id not in the table.
    key: (u32, u32),
    /// Ranges of `Rendered::strings`: source id, source name, target id,
    /// target name.
    strings: [(u32, u32); 4],
    polarity: i8,
    score: f32,
}

/// One occurrence of an unknown name.
#[derive(Debug, Clone)]
struct UnknownHit {
    /// Range of `Rendered::strings`.
    name: (u32, u32),
    /// The example sentence, for the name's first occurrence in the document.
    example: Option<(u32, u32)>,
}

impl Rendered {
    /// Renders every row of `analysis`. `actors` is the table its mentions'
    /// [`ActorId`]s index.
    pub fn new(analysis: &Analysis, actors: &ActorTable) -> Rendered {
        let mut r = Rendered::default();
        r.render(analysis, actors);
        r
    }

    /// [`Rendered::new`] into this value, keeping its buffers: a pipeline
    /// that hands written values back to its workers allocates them once.
    pub fn render_again(&mut self, analysis: &Analysis, actors: &ActorTable) {
        self.clear();
        self.render(analysis, actors);
    }

    fn clear(&mut self) {
        for buf in [&mut self.documents, &mut self.mentions, &mut self.stances, &mut self.actors, &mut self.diagnostics]
        {
            buf.clear();
        }
        self.diagnostic_rows = 0;
        self.mention_rows = 0;
        self.stance_rows = 0;
        self.text_bytes = 0;
        self.pairs.clear();
        self.unknown.clear();
        self.strings.clear();
    }

    /// Stores `s` and returns its range.
    fn keep(&mut self, s: &str) -> (u32, u32) {
        let start = self.strings.len() as u32;
        self.strings.push_str(s);
        (start, self.strings.len() as u32)
    }

    fn string(&self, (start, end): (u32, u32)) -> &str {
        self.strings.get(start as usize..end as usize).unwrap_or("")
    }

    fn render(&mut self, analysis: &Analysis, actors: &ActorTable) {
        let doc = &analysis.doc;
        let text = doc.text.as_str();
        let mentions = &analysis.tagged.mentions;

        self.mentions.reserve(mentions.len() * 96);
        // Cells that repeat are rendered once per document: the doc id of
        // every row, and the five actor cells of each actor named. The rows
        // are the bytes `MentionRow` serializes to (`mention_row` in the
        // tests checks it).
        let mut doc_cell = Vec::with_capacity(doc.id.len() + 2);
        id_cell(&doc.id, &mut doc_cell);
        let mut cells: Vec<u8> = Vec::new();
        let mut actor_cells: Vec<(ActorId, usize, usize)> = Vec::new();
        for m in mentions {
            let (from, to) = match actor_cells.iter().find(|c| c.0 == m.actor) {
                Some(&(_, from, to)) => (from, to),
                None => {
                    let from = cells.len();
                    mention_actor_cells(actors, m.actor, &mut cells);
                    actor_cells.push((m.actor, from, cells.len()));
                    (from, cells.len())
                }
            };
            let out = &mut self.mentions;
            out.extend_from_slice(&doc_cell);
            out.push(b',');
            line::uint(m.sentence.into(), out);
            out.push(b',');
            line::uint(m.span.start.into(), out);
            out.push(b',');
            line::uint(m.span.end.into(), out);
            out.push(b',');
            text_cell(span_text(text, m.span), out);
            out.push(b',');
            out.extend_from_slice(&cells[from..to]);
            out.push(b',');
            line::field(m.via.as_str().as_bytes(), out);
            out.extend_from_slice(b"\r\n");
        }
        self.mention_rows = mentions.len();

        let stances = &analysis.stance.stances;
        // About a row's worth of ids, names and words plus its evidence.
        self.stances.reserve(stances.len() * 320);
        self.strings.reserve(stances.len() * 48 + analysis.tagged.unknown.len() * 64);
        let mut stance_id = String::new();
        for (i, stance) in stances.iter().enumerate() {
            let source = mentions.get(stance.source as usize);
            let target = mentions.get(stance.target as usize);
            let (Some(source), Some(target)) = (source, target) else {
                let message = format!(
                    "stance {} names mentions {} and {} but the document has {}; row left out",
                    i + 1,
                    stance.source,
                    stance.target,
                    mentions.len()
                );
                line::write_row(
                    &DiagnosticRow {
                        path: Text(&doc.path),
                        stage: "report",
                        severity: Severity::Warning.as_str(),
                        message: Text(&message),
                    },
                    &mut self.diagnostics,
                );
                self.diagnostic_rows += 1;
                continue;
            };
            stance_id.clear();
            stance_id.push_str(&doc.id);
            stance_id.push('#');
            let mut n = Vec::new();
            line::uint(i as u64 + 1, &mut n);
            stance_id.push_str(std::str::from_utf8(&n).unwrap_or(""));
            self.stance(analysis, &stance_id, stance, source, target, actors);
            self.stance_rows += 1;
        }

        let mut author: Vec<_> = analysis.stance.author.iter().collect();
        author.sort_by(|a, b| actor_id_str(actors, a.actor).cmp(actor_id_str(actors, b.actor)));
        for a in author {
            let (actor_id, actor_name) = id_and_name(actors, a.actor);
            let author_score = Fixed3::new(f64::from(a.score));
            line::write_row(
                &ActorRow {
                    doc_id: Id(&doc.id),
                    actor_id: Id(actor_id),
                    actor_name: Text(actor_name),
                    mentions: a.mentions,
                    author_stance: match a.label.signum() {
                        1 => "positive",
                        -1 => "negative",
                        _ => "neutral",
                    },
                    author_score: author_score.as_str(),
                },
                &mut self.actors,
            );
        }

        let mut seen: HashSet<&str> = HashSet::new();
        for u in &analysis.tagged.unknown {
            let name = span_text(text, u.span);
            if name.trim().is_empty() {
                continue;
            }
            let example = seen.insert(name).then(|| {
                let sentence = analysis.tokenized.sentences.get(u.sentence as usize).map(|s| span_text(text, s.span));
                self.keep(example(sentence.unwrap_or(name)))
            });
            let name = self.keep(name);
            self.unknown.push(UnknownHit { name, example });
        }

        line::write_row(
            &DocumentRow {
                doc_id: Id(&doc.id),
                path: Text(&doc.path),
                title: Text(doc.meta.title.as_deref().unwrap_or("")),
                author: Text(doc.meta.author.as_deref().unwrap_or("")),
                published: Text(doc.meta.published.as_deref().unwrap_or("")),
                sentences: analysis.tokenized.sentences.len(),
                tokens: analysis.tokenized.tokens.len(),
                mentions: mentions.len(),
                stances: self.stance_rows,
                status: "ok",
                error: Text(""),
                url: Text(doc.meta.url.as_deref().unwrap_or("")),
            },
            &mut self.documents,
        );
        self.text_bytes = text.len() as u64;
    }

    fn stance(
        &mut self,
        analysis: &Analysis,
        stance_id: &str,
        stance: &Stance,
        source: &Mention,
        target: &Mention,
        actors: &ActorTable,
    ) {
        let doc = &analysis.doc;
        let text = doc.text.as_str();
        let evidence = match analysis.tokenized.sentences.get(stance.sentence as usize) {
            Some(s) => s.span,
            None => source.span.cover(target.span).cover(stance.cue_span),
        };
        let source_primary = primary(actors, source.actor).unwrap_or(source.actor);
        let target_primary = primary(actors, target.actor).unwrap_or(target.actor);
        let (source_id, source_name) = id_and_name(actors, source_primary);
        let (target_id, target_name) = id_and_name(actors, target_primary);
        let score = Fixed3::new(f64::from(stance.score));
        let confidence = Fixed3::new(f64::from(stance.confidence));
        line::write_row(
            &StanceRow {
                stance_id: Id(stance_id),
                doc_id: Id(&doc.id),
                sentence: stance.sentence,
                start: evidence.start,
                end: evidence.end,
                source_id: Id(source_id),
                source_name: Text(source_name),
                source_country: Id(country_id(actors, source_primary)),
                source_text: Text(span_text(text, source.span)),
                target_id: Id(target_id),
                target_name: Text(target_name),
                target_country: Id(country_id(actors, target_primary)),
                target_text: Text(span_text(text, target.span)),
                category: stance.category.as_str(),
                quad_class: stance.quad_class.as_str(),
                polarity: stance.polarity.signum(),
                score: score.as_str(),
                modality: stance.modality.as_str(),
                cue: Text(&stance.cue),
                confidence: confidence.as_str(),
                evidence: Text(span_text(text, evidence)),
                symmetric: stance.symmetric,
                cue_text: Text(span_text(text, stance.cue_span)),
            },
            &mut self.stances,
        );

        let index = |id: ActorId| actor(actors, id).map_or(u32::MAX, |_| id.0);
        let (from, to) = (index(source_primary), index(target_primary));
        let strings = [self.keep(source_id), self.keep(source_name), self.keep(target_id), self.keep(target_name)];
        let polarity = stance.polarity.signum();
        self.pairs.push(PairHit { key: (from, to), strings, polarity, score: stance.score });
        if stance.symmetric && source_id != target_id {
            let [a, b, c, d] = strings;
            self.pairs.push(PairHit { key: (to, from), strings: [c, d, a, b], polarity, score: stance.score });
        }
    }
}

/// The CSV tables of one batch, written as documents are added.
///
/// Documents must be added in the order their rows should appear (the
/// pipeline adds them sorted by id); nothing is reordered here except the
/// batch tables, which are sorted by key.
pub struct Report<W: Write> {
    out: Tables<Out<W>>,
    /// Keyed by the actor indices of source and target; sorted by their
    /// ids when written.
    pairs: BTreeMap<(u32, u32), PairAcc>,
    unknown: BTreeMap<String, UnknownAcc>,
    /// Documents added so far; numbers each document for distinct counts.
    seq: u64,
    summary: Summary,
    /// Reused by `add_document`.
    scratch: Rendered,
}

impl<W: Write> Report<W> {
    /// Wraps the writers and writes every header row.
    pub fn new(out: Tables<W>) -> io::Result<Report<W>> {
        Report::with_config(out, &ReportConfig::default())
    }

    /// Wraps the writers and writes every header row (after a BOM in Excel
    /// mode).
    pub fn with_config(out: Tables<W>, config: &ReportConfig) -> io::Result<Report<W>> {
        let mut out = out.try_map(|_, w| Ok::<_, io::Error>(Out::new(w)))?;
        for table in Table::ALL {
            let out = out.get_mut(table);
            if config.excel {
                out.buf.extend_from_slice(BOM);
            }
            line::write_header(table.columns(), &mut out.buf);
        }
        Ok(Report {
            out,
            pairs: BTreeMap::new(),
            unknown: BTreeMap::new(),
            seq: 0,
            summary: Summary::default(),
            scratch: Rendered::default(),
        })
    }

    /// The counts so far.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Writes the rows of one analysed document and adds it to the batch
    /// tables. `actors` is the table its mentions' [`ActorId`]s index.
    pub fn add_document(&mut self, analysis: &Analysis, actors: &ActorTable) -> io::Result<()> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        // Rows go straight into the tables' buffers (the rendering appends),
        // so they are copied once, not twice as through `add_rendered`.
        self.swap_buffers(&mut scratch);
        scratch.render(analysis, actors);
        self.swap_buffers(&mut scratch);
        self.add_counts(&scratch);
        self.scratch = scratch;
        for table in [Table::Mentions, Table::Diagnostics, Table::Stances, Table::Actors, Table::Documents] {
            self.out.get_mut(table).spill()?;
        }
        Ok(())
    }

    fn swap_buffers(&mut self, r: &mut Rendered) {
        std::mem::swap(&mut self.out.mentions.buf, &mut r.mentions);
        std::mem::swap(&mut self.out.diagnostics.buf, &mut r.diagnostics);
        std::mem::swap(&mut self.out.stances.buf, &mut r.stances);
        std::mem::swap(&mut self.out.actors.buf, &mut r.actors);
        std::mem::swap(&mut self.out.documents.buf, &mut r.documents);
    }

    /// Writes the rows of one document rendered by [`Rendered::new`] and adds
    /// it to the batch tables: the same as [`Report::add_document`] on the
    /// analysis it was rendered from.
    pub fn add_rendered(&mut self, r: &Rendered) -> io::Result<()> {
        self.out.mentions.rows(&r.mentions)?;
        self.out.diagnostics.rows(&r.diagnostics)?;
        self.out.stances.rows(&r.stances)?;
        self.out.actors.rows(&r.actors)?;
        self.out.documents.rows(&r.documents)?;
        self.add_counts(r);
        Ok(())
    }

    /// Adds a rendered document to the batch tables and the summary.
    fn add_counts(&mut self, r: &Rendered) {
        self.seq += 1;
        let seq = self.seq;

        for hit in &r.pairs {
            let acc = self.pairs.entry(hit.key).or_default();
            if acc.stances == 0 {
                let [a, b, c, d] = hit.strings;
                acc.source_id = r.string(a).to_string();
                acc.source_name = r.string(b).to_string();
                acc.target_id = r.string(c).to_string();
                acc.target_name = r.string(d).to_string();
            }
            acc.stances += 1;
            match hit.polarity {
                1 => acc.cooperation += 1,
                -1 => acc.conflict += 1,
                _ => {}
            }
            if hit.score.is_finite() {
                acc.score_sum += f64::from(hit.score);
            }
            if acc.last_doc != seq {
                acc.last_doc = seq;
                acc.docs += 1;
            }
        }

        for hit in &r.unknown {
            let name = r.string(hit.name);
            let acc = match self.unknown.get_mut(name) {
                Some(acc) => acc,
                None => {
                    let example = hit.example.map_or(name, |e| r.string(e)).to_string();
                    self.unknown.entry(name.to_string()).or_insert(UnknownAcc { example, ..UnknownAcc::default() })
                }
            };
            acc.count += 1;
            if acc.last_doc != seq {
                acc.last_doc = seq;
                acc.docs += 1;
            }
        }

        self.summary.diagnostics += r.diagnostic_rows;
        self.summary.documents += 1;
        self.summary.ok += 1;
        self.summary.mentions += r.mention_rows;
        self.summary.stances += r.stance_rows;
        self.summary.bytes += r.text_bytes;
    }

    /// Writes the `documents.csv` row of an input that has no analysis:
    /// zero counts, `status` skipped or error, `reason` in `error`.
    pub fn add_failed(&mut self, doc_id: &str, path: &str, status: Failure, reason: &str) -> io::Result<()> {
        self.seq += 1;
        self.out.documents.row(&DocumentRow {
            doc_id: Id(doc_id),
            path: Text(path),
            title: Text(""),
            author: Text(""),
            published: Text(""),
            sentences: 0,
            tokens: 0,
            mentions: 0,
            stances: 0,
            status: status.as_str(),
            error: Text(reason),
            url: Text(""),
        })?;
        self.summary.documents += 1;
        match status {
            Failure::Skipped => self.summary.skipped += 1,
            Failure::Error => self.summary.errors += 1,
        }
        Ok(())
    }

    /// Writes one `diagnostics.csv` row.
    pub fn add_diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        self.out.diagnostics.row(&DiagnosticRow {
            path: Text(&d.path),
            stage: d.stage,
            severity: d.severity.as_str(),
            message: Text(&d.message),
        })?;
        self.summary.diagnostics += 1;
        Ok(())
    }

    /// Writes the batch tables and flushes every writer.
    pub fn finish(mut self) -> io::Result<Summary> {
        let mut pairs: Vec<&PairAcc> = self.pairs.values().collect();
        pairs.sort_by(|a, b| (&a.source_id, &a.target_id).cmp(&(&b.source_id, &b.target_id)));
        for acc in pairs {
            let mean = if acc.stances == 0 { 0.0 } else { acc.score_sum / acc.stances as f64 };
            let (mean_score, net_score) = (Fixed3::new(mean), Fixed3::new(acc.score_sum));
            // Decide on the written value so `net` never disagrees with `net_score`.
            let net = match net_score.as_str() {
                "0.000" | "" => "neutral",
                s if s.starts_with('-') => "conflictual",
                _ => "cooperative",
            };
            self.out.pairs.row(&PairRow {
                source_id: Id(&acc.source_id),
                source_name: Text(&acc.source_name),
                target_id: Id(&acc.target_id),
                target_name: Text(&acc.target_name),
                docs: acc.docs,
                stances: acc.stances,
                cooperation: acc.cooperation,
                conflict: acc.conflict,
                mean_score: mean_score.as_str(),
                net,
                net_score: net_score.as_str(),
            })?;
        }
        self.summary.pairs = self.pairs.len();

        let mut unknown: Vec<_> = self.unknown.iter().collect();
        unknown.sort_by_key(|(name, acc)| (Reverse(acc.count), name.as_str()));
        for (name, acc) in unknown {
            self.out.unknown_names.row(&UnknownNameRow {
                name: Text(name),
                count: acc.count,
                docs: acc.docs,
                example: Text(&acc.example),
            })?;
        }
        self.summary.unknown_names = self.unknown.len();

        for table in Table::ALL {
            self.out.get_mut(table).flush()?;
        }
        Ok(self.summary)
    }
}

/// The five cells of a `mentions.csv` row that depend only on the actor
/// named: `actor_id`, `actor_name`, `actor_kind`, `affiliation_id`,
/// `country`, comma-separated, as `MentionRow` serializes them.
fn mention_actor_cells(actors: &ActorTable, id: ActorId, out: &mut Vec<u8>) {
    let actor = actor(actors, id);
    let affiliation_id = match primary(actors, id) {
        Some(p) if p != id => actor_id_str(actors, p),
        _ => "",
    };
    id_cell(actor.map_or("", |a| a.id.as_str()), out);
    out.push(b',');
    text_cell(actor.map_or("", |a| a.name.as_str()), out);
    out.push(b',');
    line::field(actor.map_or("", |a| a.kind.as_str()).as_bytes(), out);
    out.push(b',');
    id_cell(affiliation_id, out);
    out.push(b',');
    id_cell(country_id(actors, id), out);
}

/// The actor at `id`, or `None` when `id` is not in `actors`.
fn actor(actors: &ActorTable, id: ActorId) -> Option<&Actor> {
    ((id.0 as usize) < actors.len()).then(|| actors.get(id))
}

fn primary(actors: &ActorTable, id: ActorId) -> Option<ActorId> {
    actor(actors, id).map(|_| actors.primary(id))
}

fn actor_id_str(actors: &ActorTable, id: ActorId) -> &str {
    actor(actors, id).map_or("", |a| a.id.as_str())
}

fn id_and_name(actors: &ActorTable, id: ActorId) -> (&str, &str) {
    actor(actors, id).map_or(("", ""), |a| (a.id.as_str(), a.name.as_str()))
}

/// The id of the state `id` is based in: its own `country`, or, for a person
/// or organ without one, the country of the actor it rolls up to.
fn country_id(actors: &ActorTable, id: ActorId) -> &str {
    let Some(a) = actor(actors, id) else {
        return "";
    };
    let country = a.country.or_else(|| primary(actors, id).and_then(|p| actor(actors, p)).and_then(|p| p.country));
    country.map_or("", |c| actor_id_str(actors, c))
}

/// The text under `span`, or `""` when the span does not fit the text.
fn span_text(text: &str, span: Span) -> &str {
    text.get(span.range()).unwrap_or("")
}

/// `sentence` trimmed and cut to [`EXAMPLE_MAX_CHARS`] chars.
fn example(sentence: &str) -> &str {
    let s = sentence.trim();
    if s.len() <= EXAMPLE_MAX_CHARS {
        // No more chars than bytes: nothing to cut.
        return s;
    }
    match s.char_indices().nth(EXAMPLE_MAX_CHARS) {
        Some((cut, _)) => s[..cut].trim_end(),
        None => s,
    }
}

#[cfg(test)]
mod tests;
