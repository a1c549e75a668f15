//! One analysed document -> the CSV bytes of its rows and its share of the
//! batch tables ([`Rendered`]), built without the report so a pipeline can
//! render on its worker threads.
//!
//! The rows of `mentions.csv`, `stances.csv` and `actors.csv` are written
//! cell by cell, not through the row structs: cells that repeat are
//! rendered once and copied: the doc id and the evidence sentence shared
//! by consecutive stances once per document, the actor cells once per
//! document or, given [`ActorCells`], once per run.
//!
//! Invariant: the bytes are the ones the row structs of `rows.rs` (`MentionRow`,
//! `StanceRow`, `ActorRow`) serialize to with the `csv` crate; the tests
//! check it, hostile cells included.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use dyad_core::{Actor, ActorId, ActorTable, Analysis, AuthorStance, Mention, Severity, Span, Stance, Via};

use crate::actor_cells::{ActorCells, CellTable};
use crate::cache::PerActor;
use crate::line::{Cell, Head, Label, Row, Short, uint};
use crate::rows::{
    CellCache, DiagnosticRow, DocumentRow, End, Fixed3, Fixed3Cache, Id, Record, Text, short_text, text_run,
};

/// The longest `example` of `unknown_names.csv`, in chars.
pub const EXAMPLE_MAX_CHARS: usize = 300;

/// One analysed document's rows, rendered to CSV bytes, with its share of
/// the batch tables: what [`crate::Report::add_document`] writes, split off
/// so a pipeline can render on its worker threads ([`Rendered::new`]) and
/// keep only the writes and the batch sums on the thread that owns the
/// report ([`crate::Report::add_rendered`]). Rendering reads only the
/// analysis and the actor table, so the bytes written are the same either
/// way.
#[derive(Debug, Default)]
pub struct Rendered {
    pub(crate) documents: Vec<u8>,
    pub(crate) mentions: Vec<u8>,
    pub(crate) stances: Vec<u8>,
    pub(crate) actors: Vec<u8>,
    pub(crate) diagnostics: Vec<u8>,
    pub(crate) diagnostic_rows: usize,
    pub(crate) mention_rows: usize,
    pub(crate) stance_rows: usize,
    pub(crate) text_bytes: u64,
    pub(crate) pairs: Vec<PairHit>,
    /// The ids and names of each pair hit's actors, by actor index: set
    /// when rendering with [`ActorCells`], which shares them with every
    /// document, so a hit need not copy them.
    pub(crate) names: Option<Arc<ActorNames>>,
    /// Without [`Rendered::names`], the ids and names of each pair hit,
    /// ranges of `strings`: source id, source name, target id, target name.
    pub(crate) pair_strings: Vec<[(u32, u32); 4]>,
    pub(crate) unknown: Vec<UnknownHit>,
    /// The ids, names and examples the hits point into.
    pub(crate) strings: String,
    /// Working state kept between [`Rendered::render_again`] calls.
    scratch: Scratch,
}

/// One stance counted toward a (source, target) row of `pairs.csv`.
#[derive(Debug, Clone)]
pub(crate) struct PairHit {
    /// Actor indices, `u32::MAX` for an id not in the table.
    pub(crate) key: (u32, u32),
    /// The sign of the stance's polarity: -1, 0 or 1, which the report
    /// counts by as an index.
    pub(crate) polarity: i8,
    pub(crate) score: f32,
}

/// The id and name of every actor of a table, by index: what `pairs.csv`
/// needs of an actor, built once per run (in one string, not two
/// allocations an actor).
#[derive(Debug, Default)]
pub(crate) struct ActorNames {
    text: String,
    /// Per actor, where its id ends and its name ends in `text`; the id
    /// starts where the previous actor's name ends.
    ends: Vec<(u32, u32)>,
}

impl ActorNames {
    pub(crate) fn new(actors: &ActorTable) -> ActorNames {
        let mut names = ActorNames::default();
        for i in 0..actors.len() {
            let (id, name) = id_and_name(actors, ActorId(i as u32));
            names.text.push_str(id);
            let id_end = names.text.len() as u32;
            names.text.push_str(name);
            names.ends.push((id_end, names.text.len() as u32));
        }
        names
    }

    /// The id and name of the actor at `index`, empty for an index outside
    /// the table, as `id_and_name` gives them.
    fn get(&self, index: u32) -> (&str, &str) {
        let i = index as usize;
        let Some(&(id_end, name_end)) = self.ends.get(i) else {
            return ("", "");
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1].1 };
        let text = |from: u32, to: u32| self.text.get(from as usize..to as usize).unwrap_or("");
        (text(start, id_end), text(id_end, name_end))
    }
}

/// One occurrence of an unknown name.
#[derive(Debug, Clone)]
pub(crate) struct UnknownHit {
    /// Range of `Rendered::strings`.
    pub(crate) name: (u32, u32),
    /// The name's [`name_hash`], computed once for the document's table of
    /// names seen and the report's of names counted last.
    pub(crate) hash: u64,
    /// For the name's first occurrence in the document, its sentence (the
    /// name itself where the sentence is missing), which the report cuts
    /// to the example ([`example`]) if the name is new to the run.
    pub(crate) example: Option<(u32, u32)>,
}

/// The cells one document's rows share, rendered once.
#[derive(Debug, Default)]
struct Scratch {
    /// `Id(doc_id)` and its comma, the first cell of most rows.
    doc_id: Repeated,
    /// The same as the head of `mentions.csv` rows, when it fits.
    mention_head: Option<Head>,
    /// `stance_head` as the head of `stances.csv` rows, and `stance_tail`
    /// with its comma, when they fit.
    stance_row: Option<(Head<96>, Short<32>)>,
    /// The `stance_id` cell before the stance number: see [`StanceId`].
    stance_head: Repeated,
    /// The `stance_id` cell after the stance number, its comma and the
    /// `doc_id` cell.
    stance_tail: Repeated,
    /// The actor cells of the document's rows, when no [`ActorCells`]
    /// holds them.
    actor_cells: CellTable,
    /// The id and name of a stance's source or target, for `pairs.csv`:
    /// ranges of `Rendered::strings`.
    id_name: PerActor<[(u32, u32); 2]>,
    /// The last evidence sentence and where its cell, with its comma, is
    /// in the document's `stances.csv` rows.
    evidence: Option<(Span, Range<usize>)>,
    /// The score cells written so far, kept from one document to the next.
    fixed3: Fixed3Cache,
    /// The cells from `category` to `modality` written so far: see
    /// [`verdict`].
    verdicts: CellCache<64, 1024>,
    /// The ends of `actors.csv` rows written so far: see [`author_tail`].
    author_tails: CellCache<32, 2048>,
    /// The order of a document's `actors.csv` rows: indices of its author
    /// stances, each above its actor's place in the id order.
    author_order: Vec<u64>,
    /// The unknown names of a document seen so far: see [`Seen`].
    seen: SeenTable,
}

impl Scratch {
    /// Starts on a document over `actors`.
    fn reset(&mut self, doc_id: &str, actors: &ActorTable) {
        let id = self.doc_id.start();
        Id(doc_id).put(id);
        // `Text(doc_id)` with `#` before its closing quote, if it has one (a
        // cell that is not quoted holds no `"`).
        let (head, tail) = (self.stance_head.start(), self.stance_tail.start());
        Text(doc_id).put(head);
        if head.last() == Some(&b'"') {
            head.pop();
            tail.push(b'"');
        }
        head.push(b'#');
        tail.push(b',');
        tail.extend_from_slice(id);
        id.push(b',');
        for bytes in [&mut self.doc_id, &mut self.stance_head, &mut self.stance_tail] {
            bytes.seal();
        }
        self.mention_head = Head::try_new(&self.doc_id.bytes);
        self.stance_tail.bytes.push(b',');
        self.stance_row = Head::try_new(&self.stance_head.bytes).zip(Short::try_new(&self.stance_tail.bytes));
        self.stance_tail.bytes.pop();
        self.id_name.reset(actors.len());
        self.evidence = None;
    }

    /// The `stance_id` and `doc_id` cells of the `n`th stance.
    fn stance_id(&self, n: u64) -> StanceId<'_> {
        StanceId { head: &self.stance_head, n, tail: &self.stance_tail }
    }

    /// Appends the evidence cell of `span` and its comma to `out`, the
    /// document's `stances.csv` rows: copied from the previous row when it
    /// is the same sentence, else rendered there.
    fn put_evidence(&mut self, text: &str, span: Span, out: &mut Vec<u8>) {
        match &self.evidence {
            Some((kept, cell)) if *kept == span => out.extend_from_within(cell.clone()),
            _ => {
                let start = out.len();
                Text(span_text(text, span)).put(out);
                out.push(b',');
                self.evidence = Some((span, start..out.len()));
            }
        }
    }
}

/// Bytes rendered once per document and copied into many rows (the doc
/// id cell, the parts of the stance ids), also kept as a [`Short`] when
/// they fit, as they do for most documents, to be copied for less.
#[derive(Debug, Default)]
struct Repeated {
    bytes: Vec<u8>,
    short: Option<Short<32>>,
}

impl Repeated {
    /// Starts again: the bytes are written to what this returns, then
    /// [`Repeated::seal`]ed.
    fn start(&mut self) -> &mut Vec<u8> {
        self.bytes.clear();
        &mut self.bytes
    }

    /// Takes everything written since [`Repeated::start`].
    fn seal(&mut self) {
        self.short = Short::try_new(&self.bytes);
    }
}

impl Cell for &Repeated {
    /// Appends the bytes as they are (whole cells with their commas, or
    /// the part of one cell).
    #[inline(always)]
    fn put(&self, out: &mut Vec<u8>) {
        match &self.short {
            Some(short) => short.put(out),
            None => out.extend_from_slice(&self.bytes),
        }
    }
}

/// The `stance_id` cell of the `n`th stance, `Id("{doc_id}#{n}")`, and the
/// `doc_id` cell after it. A stance id never looks numeric (it holds a
/// `#`), starts as the doc id does (or with a harmless `#`) and `#n` adds no
/// byte that needs quoting: the cell is `Text(doc_id)` with `#n` put before
/// its closing quote, if it has one. `head` is the cell up to `#`, `tail`
/// the rest (the closing quote, if any) and then `,doc_id`.
struct StanceId<'a> {
    head: &'a Repeated,
    n: u64,
    tail: &'a Repeated,
}

impl Cell for StanceId<'_> {
    #[inline]
    fn put(&self, out: &mut Vec<u8>) {
        self.head.put(out);
        uint(self.n, out);
        self.tail.put(out);
    }
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

    /// [`Rendered::render_again`] with the actor cells taken from `cells`,
    /// rendered once per run: the same bytes, less work per document.
    pub fn render_again_with(&mut self, analysis: &Analysis, cells: &ActorCells<'_>) {
        self.clear();
        self.render_with(analysis, cells);
    }

    pub(crate) fn clear(&mut self) {
        for buf in [&mut self.documents, &mut self.mentions, &mut self.stances, &mut self.actors, &mut self.diagnostics]
        {
            buf.clear();
        }
        self.diagnostic_rows = 0;
        self.mention_rows = 0;
        self.stance_rows = 0;
        self.text_bytes = 0;
        self.pairs.clear();
        self.pair_strings.clear();
        self.unknown.clear();
        self.strings.clear();
    }

    /// Stores `s` and returns its range.
    fn keep(strings: &mut String, s: &str) -> (u32, u32) {
        let start = strings.len() as u32;
        strings.push_str(s);
        (start, strings.len() as u32)
    }

    pub(crate) fn string(&self, (start, end): (u32, u32)) -> &str {
        self.strings.get(start as usize..end as usize).unwrap_or("")
    }

    /// The source id, source name, target id and target name of the `i`th
    /// pair hit.
    pub(crate) fn pair_names(&self, i: usize) -> [&str; 4] {
        match (&self.names, self.pairs.get(i)) {
            (Some(names), Some(hit)) => {
                let ((a, b), (c, d)) = (names.get(hit.key.0), names.get(hit.key.1));
                [a, b, c, d]
            }
            _ => self.pair_strings.get(i).map_or([""; 4], |ranges| ranges.map(|r| self.string(r))),
        }
    }

    /// Appends the rows of `analysis` to the buffers (`Report::add_document`
    /// lends the report's own).
    pub(crate) fn render(&mut self, analysis: &Analysis, actors: &ActorTable) {
        // Taken out while the rows borrow it.
        let mut cells = std::mem::take(&mut self.scratch.actor_cells);
        cells.reset(actors.len());
        cells.add_for(analysis, actors);
        self.names = None;
        self.render_rows(analysis, actors, &cells);
        self.scratch.actor_cells = cells;
    }

    /// [`Rendered::render`] with the actor cells from `cells`.
    pub(crate) fn render_with(&mut self, analysis: &Analysis, cells: &ActorCells<'_>) {
        // A recycled value usually holds these names already.
        if !self.names.as_ref().is_some_and(|names| Arc::ptr_eq(names, &cells.names)) {
            self.names = Some(Arc::clone(&cells.names));
        }
        self.render_rows(analysis, cells.actors, &cells.cells);
    }

    /// Appends the rows of `analysis`, with the actor cells from `cells`.
    fn render_rows(&mut self, analysis: &Analysis, actors: &ActorTable, cells: &CellTable) {
        self.scratch.reset(&analysis.doc.id, actors);
        self.render_mentions(analysis, cells);
        self.render_stances(analysis, actors, cells);
        self.render_author(analysis, actors, cells);
        self.collect_unknown(analysis);
        let doc = &analysis.doc;
        let r = DocumentRow {
            doc_id: Id(&doc.id),
            path: Text(&doc.path),
            title: Text(doc.meta.title.as_deref().unwrap_or("")),
            author: Text(doc.meta.author.as_deref().unwrap_or("")),
            published: Text(doc.meta.published.as_deref().unwrap_or("")),
            sentences: analysis.tokenized.sentences.len(),
            tokens: analysis.tokenized.tokens.len(),
            mentions: analysis.tagged.mentions.len(),
            stances: self.stance_rows,
            status: "ok",
            error: Text(""),
            url: Text(doc.meta.url.as_deref().unwrap_or("")),
        };
        r.write(&mut self.documents);
        self.text_bytes = doc.text.len() as u64;
    }

    /// The rows of `mentions.csv`.
    #[inline(never)]
    fn render_mentions(&mut self, analysis: &Analysis, cells: &CellTable) {
        let text = analysis.doc.text.as_str();
        let mentions = &analysis.tagged.mentions;
        let (out, scratch) = (&mut self.mentions, &self.scratch);
        out.reserve(mentions.len() * 96);
        // A copy on the stack, whose buffer each row writes its numbers in.
        let mut head = scratch.mention_head;
        for m in mentions {
            let numbers = [m.sentence, m.span.start, m.span.end];
            let mut row = Row::new(out);
            if !head.as_mut().is_some_and(|head| head.put_small(numbers, row.out())) {
                row.with_commas(&scratch.doc_id).uints(numbers);
            }
            row.append_by(|out| span_cell(text, m.span, End::Comma, out))
                .append_by(|out| cells.put_mention_tail(m.actor, m.via, out));
        }
        self.mention_rows = mentions.len();
    }

    /// The rows of `stances.csv` (a stance naming a mention the document
    /// lacks becomes a `diagnostics.csv` row) and the pair hits.
    #[inline(never)]
    fn render_stances(&mut self, analysis: &Analysis, actors: &ActorTable, cells: &CellTable) {
        let mentions = &analysis.tagged.mentions;
        let stances = &analysis.stance.stances;
        // About a row's worth of ids, names and words plus its evidence.
        self.stances.reserve(stances.len() * 320);
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
                let r = DiagnosticRow {
                    path: Text(&analysis.doc.path),
                    stage: "report",
                    severity: Severity::Warning.as_str(),
                    message: Text(&message),
                };
                r.write(&mut self.diagnostics);
                self.diagnostic_rows += 1;
                continue;
            };
            self.stance(analysis, i as u64 + 1, stance, [source, target], actors, cells);
            self.stance_rows += 1;
        }
    }

    /// The `n`th row of `stances.csv` and its pair hits.
    fn stance(
        &mut self,
        analysis: &Analysis,
        n: u64,
        stance: &Stance,
        [source, target]: [&Mention; 2],
        actors: &ActorTable,
        cells: &CellTable,
    ) {
        let text = analysis.doc.text.as_str();
        let evidence = match analysis.tokenized.sentences.get(stance.sentence as usize) {
            Some(s) => s.span,
            None => source.span.cover(target.span).cover(stance.cue_span),
        };
        let source_primary = cells.stance_actor(actors, source.actor);
        let target_primary = cells.stance_actor(actors, target.actor);
        let scratch = &mut self.scratch;
        let numbers = [stance.sentence, evidence.start, evidence.end];
        let mut row = Row::new(&mut self.stances);
        if !scratch.stance_row.as_mut().is_some_and(|(head, tail)| head.put_stance(n, tail, numbers, row.out())) {
            row.cell(scratch.stance_id(n)).uints(numbers);
        }
        row.with_commas(cells.id_name_country(source_primary))
            .append_by(|out| span_cell(text, source.span, End::Comma, out))
            .with_commas(cells.id_name_country(target_primary))
            .append_by(|out| span_cell(text, target.span, End::Comma, out))
            .append_by(|out| verdict(stance, &mut scratch.verdicts, out))
            .append_by(|out| short_text(&stance.cue, End::Comma, out))
            .cell_by(|out| scratch.fixed3.put(stance.confidence, out))
            .append_by(|out| scratch.put_evidence(text, evidence, out))
            .with_commas(*symmetric_cell(stance.symmetric))
            .append_by(|out| span_cell(text, stance.cue_span, End::Record, out));
        self.pair_hits(actors, stance, source_primary, target_primary);
    }

    /// Counts `stance` toward its (source, target) row of `pairs.csv`, and
    /// toward (target, source) too when it is symmetric.
    fn pair_hits(&mut self, actors: &ActorTable, stance: &Stance, source: ActorId, target: ActorId) {
        let index = |id: ActorId| actor(actors, id).map_or(u32::MAX, |_| id.0);
        let (from, to) = (index(source), index(target));
        let polarity = stance.polarity.signum();
        self.pairs.push(PairHit { key: (from, to), polarity, score: stance.score });
        let both_ways = stance.symmetric && actor_id_str(actors, source) != actor_id_str(actors, target);
        if both_ways {
            self.pairs.push(PairHit { key: (to, from), polarity, score: stance.score });
        }
        if self.names.is_some() {
            return;
        }
        let strings = &mut self.strings;
        let mut id_name = |id: ActorId| {
            self.scratch.id_name.get_or_insert_with(id, || {
                let (actor_id, name) = id_and_name(actors, id);
                [Rendered::keep(strings, actor_id), Rendered::keep(strings, name)]
            })
        };
        let ([a, b], [c, d]) = (id_name(source), id_name(target));
        self.pair_strings.push([a, b, c, d]);
        if both_ways {
            self.pair_strings.push([c, d, a, b]);
        }
    }

    /// The rows of `actors.csv`, sorted by actor id.
    #[inline(never)]
    fn render_author(&mut self, analysis: &Analysis, actors: &ActorTable, cells: &CellTable) {
        let author = &analysis.stance.author;
        // The rows in the order of their actor ids, actors with one id in
        // the order they come (a stable sort): each row's place in the id
        // order above its index, sorted as plain numbers, or the indices
        // sorted by comparing the ids when there is no id order.
        let order = &mut self.scratch.author_order;
        order.clear();
        match cells.id_order() {
            Some(place) => {
                order.extend(author.iter().enumerate().map(|(i, a)| u64::from(place(a.actor)) << 32 | i as u64));
                order.sort_unstable();
            }
            None => {
                order.extend(0..author.len() as u64);
                let id = |i: &u64| actor_id_str(actors, author[*i as usize].actor);
                order.sort_by(|i, j| id(i).cmp(id(j)));
            }
        }
        let (out, doc_id, tails) = (&mut self.actors, &self.scratch.doc_id, &mut self.scratch.author_tails);
        for &key in order.iter() {
            let a = &author[key as u32 as usize];
            Row::new(out)
                .with_commas(doc_id)
                .with_commas(cells.id_name(a.actor))
                .append_by(|out| author_tail(a, tails, out));
        }
    }

    /// The hits of `unknown_names.csv`, with the sentence of each name's
    /// first occurrence in the document, which the report cuts to an
    /// example only for a name new to the run (few are).
    #[inline(never)]
    fn collect_unknown(&mut self, analysis: &Analysis) {
        let text = analysis.doc.text.as_str();
        let unknown = &analysis.tagged.unknown;
        self.strings.reserve(unknown.len() * 64);
        let mut seen = Seen::new(unknown.len(), &mut self.scratch.seen, text);
        // The last example kept and the sentence it was cut from: the hits
        // come in text order, and the new names of one sentence share it.
        let mut last: Option<(u32, (u32, u32))> = None;
        for u in unknown {
            let name = span_text(text, u.span);
            if is_blank(name) {
                continue;
            }
            let hash = name_hash(name.as_bytes());
            let example = seen.insert(hash, u.span.start, name).then(|| {
                let Some(sentence) = analysis.tokenized.sentences.get(u.sentence as usize) else {
                    return Rendered::keep(&mut self.strings, name);
                };
                match last {
                    Some((n, range)) if n == u.sentence => range,
                    _ => {
                        let range = Rendered::keep(&mut self.strings, span_text(text, sentence.span));
                        last = Some((u.sentence, range));
                        range
                    }
                }
            });
            let name = Rendered::keep(&mut self.strings, name);
            self.unknown.push(UnknownHit { name, hash, example });
        }
    }
}

/// The names seen so far in a document. Most documents have a handful of
/// unknown-name hits: a small table of their own, keyed by a cheap hash,
/// costs less than hashing each with SipHash, and less than a list searched
/// from the start, whose every search ends at a place the branch predictor
/// cannot know. Past [`SeenTable::MAX`] hits a hash set keeps the work
/// linear, whatever names an input holds.
enum Seen<'a> {
    Table(&'a mut SeenTable, &'a str),
    Set(HashSet<&'a str>),
}

impl<'a> Seen<'a> {
    /// For a document of text `text` with `hits` hits; `table` is kept from
    /// one document to the next.
    fn new(hits: usize, table: &'a mut SeenTable, text: &'a str) -> Seen<'a> {
        if hits <= SeenTable::MAX {
            table.start();
            Seen::Table(table, text)
        } else {
            Seen::Set(HashSet::with_capacity(hits))
        }
    }

    /// Adds `name`, the text's bytes from `start` (`hash` is its
    /// [`name_hash`]); true when it was not seen before.
    #[inline]
    fn insert(&mut self, hash: u64, start: u32, name: &'a str) -> bool {
        match self {
            Seen::Table(table, text) => table.insert(text, hash, start, name),
            Seen::Set(names) => names.insert(name),
        }
    }
}

/// The names of a document's hits, at most [`SeenTable::MAX`] of them, in
/// an open-addressing table of twice as many slots: a name is hashed from
/// its length and its first and last eight bytes, and found by that hash
/// and one comparison of its bytes. The input chooses the names, and can
/// make them share a slot: then a lookup walks the names kept, at most
/// `MAX`, as the list it replaces did for every lookup.
///
/// Invariant: a slot holds a name of the current document exactly when its
/// generation is the table's; fewer than half the slots are ever taken, so
/// a walk from any slot ends at a free one.
#[derive(Debug)]
struct SeenTable {
    slots: Box<[SeenSlot; SeenTable::SLOTS]>,
    generation: u32,
}

/// A name of a [`SeenTable`]: its hash, and where it lies in the text.
#[derive(Debug, Clone, Copy, Default)]
struct SeenSlot {
    hash: u64,
    start: u32,
    len: u32,
    generation: u32,
}

impl Default for SeenTable {
    fn default() -> SeenTable {
        SeenTable { slots: Box::new([SeenSlot::default(); SeenTable::SLOTS]), generation: 0 }
    }
}

impl SeenTable {
    const MAX: usize = 32;
    const SLOTS: usize = 2 * SeenTable::MAX;

    /// Forgets every name, for the next document.
    fn start(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.slots.fill(SeenSlot::default());
            self.generation = 1;
        }
    }

    /// Adds `name`, `text`'s bytes from `start`; true when it was not seen
    /// since [`SeenTable::start`]. At most [`SeenTable::MAX`] names are
    /// added between starts.
    #[inline]
    fn insert(&mut self, text: &str, hash: u64, start: u32, name: &str) -> bool {
        let len = name.len() as u32;
        let mut i = (hash >> (64 - SeenTable::SLOTS.trailing_zeros())) as usize;
        loop {
            let slot = &mut self.slots[i];
            if slot.generation != self.generation {
                *slot = SeenSlot { hash, start, len, generation: self.generation };
                return true;
            }
            if slot.hash == hash && slot.len == len {
                let kept = text.as_bytes().get(slot.start as usize..(slot.start as usize).saturating_add(len as usize));
                if kept == Some(name.as_bytes()) {
                    return false;
                }
            }
            i = (i + 1) % SeenTable::SLOTS;
        }
    }
}

/// A hash of `name` from its length and its first and last eight bytes
/// (four, or every byte, for shorter names), read as words: a few
/// instructions, where hashing every byte costs a round per word.
#[inline]
pub(crate) fn name_hash(name: &[u8]) -> u64 {
    let n = name.len();
    let (head, tail) = match (name.first_chunk::<8>(), name.last_chunk::<8>()) {
        (Some(head), Some(tail)) => (u64::from_le_bytes(*head), u64::from_le_bytes(*tail)),
        _ => match (name.first_chunk::<4>(), name.last_chunk::<4>()) {
            (Some(head), Some(tail)) => (u64::from(u32::from_le_bytes(*head)), u64::from(u32::from_le_bytes(*tail))),
            _ => (name.iter().fold(0, |w, &b| w << 8 | u64::from(b)), 0),
        },
    };
    (head.rotate_left(29) ^ tail ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The cells from `category` to `modality` of a stance row, each with its
/// comma (`SUPPORT,verbal_cooperation,1,5.000,asserted,`). They depend on
/// five small values, of which a run holds few sets: kept in `cache` by all
/// five (the three labels, the polarity's sign and the score's bits, each
/// in bits of its own), most rows take them with one fixed-size copy.
#[inline]
fn verdict(stance: &Stance, cache: &mut CellCache<64, 1024>, out: &mut Vec<u8>) {
    let polarity = stance.polarity.signum();
    let key = (stance.category as u64) << 42
        | (stance.quad_class as u64) << 38
        | (stance.modality as u64) << 34
        | u64::from(polarity as u8 & 3) << 32
        | u64::from(stance.score.to_bits());
    let render = |out: &mut Vec<u8>| {
        Row::new(out)
            .cell(Label(stance.category.as_str()))
            .cell(Label(stance.quad_class.as_str()))
            .cell(polarity)
            .cell(Fixed3(f64::from(stance.score)))
            .cell(Label(stance.modality.as_str()));
    };
    cache.put_with(key, render, out);
}

/// The last cells of an `actors.csv` row and the record's end
/// (`3,negative,-0.250\r\n`): the mention count, the label and the score.
/// Most rows are a few counts of neutral, so they are kept in `cache` by
/// all three (the count above the label's sign above the score's bits); a
/// count too large for the key is rendered each time.
#[inline]
fn author_tail(a: &AuthorStance, cache: &mut CellCache<32, 2048>, out: &mut Vec<u8>) {
    let label = a.label.signum();
    let render = |out: &mut Vec<u8>| {
        let cell = match label {
            1 => "positive",
            -1 => "negative",
            _ => "neutral",
        };
        Row::new(out).cell(a.mentions).cell(Label(cell)).cell(Fixed3(f64::from(a.score))).end();
    };
    if a.mentions >= 1 << 29 {
        return render(out);
    }
    let key = u64::from(a.mentions) << 34 | u64::from(label as u8 & 3) << 32 | u64::from(a.score.to_bits());
    cache.put_with(key, render, out);
}

/// The `symmetric` cell of a stance and its comma, padded for a copy of
/// fixed size.
fn symmetric_cell(symmetric: bool) -> &'static Short {
    if symmetric { const { &Short::new("true,") } } else { const { &Short::new("false,") } }
}

/// The `via` cell of a mention and the end of its row: `Label(via)` and
/// `\r\n`, padded for a copy of fixed size.
pub(crate) fn via_end(via: Via) -> &'static Short {
    match via {
        Via::Name => const { &Short::new("name\r\n") },
        Via::Abbreviation => const { &Short::new("abbreviation\r\n") },
        Via::Demonym => const { &Short::new("demonym\r\n") },
        Via::Metonym => const { &Short::new("metonym\r\n") },
        Via::Person => const { &Short::new("person\r\n") },
        Via::Surname => const { &Short::new("surname\r\n") },
        Via::Title => const { &Short::new("title\r\n") },
        Via::Pronoun => const { &Short::new("pronoun\r\n") },
        Via::Description => const { &Short::new("description\r\n") },
    }
}

/// Every [`Via`], in the order of [`via_index`].
pub(crate) const VIAS: [Via; 9] = [
    Via::Name,
    Via::Abbreviation,
    Via::Demonym,
    Via::Metonym,
    Via::Person,
    Via::Surname,
    Via::Title,
    Via::Pronoun,
    Via::Description,
];

/// The place of `via` in [`VIAS`]: a match that lists every variant, so a
/// new one cannot index past a table built over `VIAS` without a compile
/// error here.
#[inline(always)]
pub(crate) fn via_index(via: Via) -> usize {
    match via {
        Via::Name => 0,
        Via::Abbreviation => 1,
        Via::Demonym => 2,
        Via::Metonym => 3,
        Via::Person => 4,
        Via::Surname => 5,
        Via::Title => 6,
        Via::Pronoun => 7,
        Via::Description => 8,
    }
}

/// The actor at `id`, or `None` when `id` is not in `actors`.
pub(crate) fn actor(actors: &ActorTable, id: ActorId) -> Option<&Actor> {
    ((id.0 as usize) < actors.len()).then(|| actors.get(id))
}

#[inline]
pub(crate) fn primary(actors: &ActorTable, id: ActorId) -> Option<ActorId> {
    actor(actors, id).map(|_| actors.primary(id))
}

pub(crate) fn actor_id_str(actors: &ActorTable, id: ActorId) -> &str {
    actor(actors, id).map_or("", |a| a.id.as_str())
}

fn id_and_name(actors: &ActorTable, id: ActorId) -> (&str, &str) {
    actor(actors, id).map_or(("", ""), |a| (a.id.as_str(), a.name.as_str()))
}

/// The id of the state `id` is based in: its own `country`, or, for a person
/// or organ without one, the country of the actor it rolls up to.
pub(crate) fn country_id(actors: &ActorTable, id: ActorId) -> &str {
    let Some(a) = actor(actors, id) else {
        return "";
    };
    let country = a.country.or_else(|| primary(actors, id).and_then(|p| actor(actors, p)).and_then(|p| p.country));
    country.map_or("", |c| actor_id_str(actors, c))
}

/// `Text(span_text(text, span))` and then `end`.
#[inline(always)]
fn span_cell(text: &str, span: Span, end: End, out: &mut Vec<u8>) {
    let range = span.range();
    text_run(text, range.start, range.end, end, out);
}

/// `s.trim()`, answered from the first and last bytes for the usual
/// sentence, which starts and ends with ASCII that is not whitespace (every
/// ASCII whitespace byte is at most a space): nothing to trim.
#[inline]
fn trim(s: &str) -> &str {
    let solid = |b: &u8| *b > b' ' && b.is_ascii();
    let bytes = s.as_bytes();
    if bytes.first().is_some_and(solid) && bytes.last().is_some_and(solid) { s } else { s.trim() }
}

/// Whether `name` is empty or all whitespace (`name.trim().is_empty()`),
/// answered from its first byte for the usual name, which starts with an
/// ASCII letter: every ASCII whitespace byte is at most a space.
#[inline]
fn is_blank(name: &str) -> bool {
    match name.as_bytes().first() {
        Some(&b) if b > b' ' && b.is_ascii() => false,
        _ => name.trim().is_empty(),
    }
}

/// The text under `span`, or `""` when the span does not fit the text.
pub(crate) fn span_text(text: &str, span: Span) -> &str {
    text.get(span.range()).unwrap_or("")
}

/// `sentence` trimmed and cut to [`EXAMPLE_MAX_CHARS`] chars.
pub(crate) fn example(sentence: &str) -> &str {
    let s = trim(sentence);
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
mod seen_tests {
    use super::Seen;
    use std::collections::HashSet;

    /// Every `via` end is the variant's name and `\r\n` (`via_end`'s match
    /// lists every variant, so a new one cannot be missed here).
    #[test]
    fn via_ends_are_the_labels() {
        use dyad_core::Via::*;
        for via in [Name, Abbreviation, Demonym, Metonym, Person, Surname, Title, Pronoun, Description] {
            assert_eq!(super::via_end(via).as_bytes(), format!("{}\r\n", via.as_str()).as_bytes());
        }
    }

    /// `via_index` is the place in `VIAS`, which lists each variant once.
    #[test]
    fn vias_are_in_their_places() {
        for (i, via) in super::VIAS.into_iter().enumerate() {
            assert_eq!(super::via_index(via), i, "{via:?}");
        }
    }

    /// The cached verdict cells are the five cells written one by one, for
    /// every label, polarity and a spread of scores, on misses and hits.
    #[test]
    fn verdicts_are_their_cells() {
        use dyad_core::{Category, Modality, QuadClass, Span, Stance};
        let quads = [
            QuadClass::VerbalCooperation,
            QuadClass::MaterialCooperation,
            QuadClass::VerbalConflict,
            QuadClass::MaterialConflict,
        ];
        use Modality::*;
        let modalities = [Asserted, Reported, Hedged, Hypothetical, Negated];
        let scores = [0.0, -0.0, 2.0, -9.0, 10.0, -10.0, 0.3333, f32::NAN, f32::INFINITY, 1e7, -1e30];
        let mut cache = super::CellCache::default();
        for round in 0..2 {
            for (category, quad_class, modality) in Category::ALL
                .into_iter()
                .flat_map(|c| quads.map(|q| (c, q)))
                .flat_map(|(c, q)| modalities.map(|m| (c, q, m)))
            {
                for (polarity, score) in [-1i8, 0, 1, i8::MIN, 7].into_iter().flat_map(|p| scores.map(|s| (p, s))) {
                    let stance = Stance {
                        sentence: 0,
                        source: 0,
                        target: 1,
                        cue_span: Span::new(0, 0),
                        cue: String::new(),
                        category,
                        quad_class,
                        polarity,
                        score,
                        modality,
                        confidence: 1.0,
                        symmetric: false,
                    };
                    let mut mine = Vec::new();
                    super::verdict(&stance, &mut cache, &mut mine);
                    let want = format!(
                        "{},{},{},{},{},",
                        category.as_str(),
                        quad_class.as_str(),
                        polarity.signum(),
                        crate::rows::fixed3(f64::from(score)),
                        modality.as_str()
                    );
                    assert_eq!(String::from_utf8(mine).expect("utf-8"), want, "round {round}");
                }
            }
        }
    }

    /// The cached ends of `actors.csv` rows are the cells written one by
    /// one, for every label, counts on both sides of the key's limit and a
    /// spread of scores, on misses and hits.
    #[test]
    fn author_tails_are_their_cells() {
        let mut cache = super::CellCache::default();
        let scores = [0.0, -0.0, 0.25, -0.25, 1.0, -1.0, 0.3333, f32::NAN, 1e7];
        for round in 0..2 {
            for mentions in [0, 1, 2, 9, 10, 12_345, (1 << 29) - 1, 1 << 29, u32::MAX] {
                for (label, score) in [-1i8, 0, 1, i8::MIN, 5].into_iter().flat_map(|l| scores.map(|s| (l, s))) {
                    let a = dyad_core::AuthorStance { actor: dyad_core::ActorId(0), mentions, label, score };
                    let mut mine = Vec::new();
                    super::author_tail(&a, &mut cache, &mut mine);
                    let label = ["negative", "neutral", "positive"][(label.signum() + 1) as usize];
                    let want = format!("{mentions},{label},{}\r\n", crate::rows::fixed3(f64::from(score)));
                    assert_eq!(String::from_utf8(mine).expect("utf-8"), want, "round {round}");
                }
            }
        }
    }

    /// The quick trim is `str::trim`, whitespace of every kind at either
    /// end or none, ASCII or not.
    #[test]
    fn trim_is_str_trim() {
        for s in ["", " ", "a", " a", "a ", "\u{b}a\u{b}", "\u{a0}a", "a\u{3000}", "é a é", "\ta\n", "a.", "\u{7f}"] {
            assert_eq!(super::trim(s), s.trim(), "{s:?}");
            assert_eq!(super::is_blank(s), s.trim().is_empty(), "{s:?}");
        }
    }

    /// Both forms answer as a set would, a name repeated at once or later,
    /// names of every length and names that share their first and last
    /// bytes, documents one after another in one table.
    #[test]
    fn seen_answers_as_a_set() {
        let mut table = super::SeenTable::default();
        for hits in [0, 1, 5, super::SeenTable::MAX, super::SeenTable::MAX + 1, 3 * super::SeenTable::MAX] {
            for form in ["n{}", "name{}", "Longer Name {} Here", "Same Start {} Same End", "{}"] {
                let names: Vec<String> =
                    (0..hits).map(|i| form.replace("{}", &"x".repeat(i * 7 % (hits / 2 + 1)))).collect();
                let text = names.join(" ");
                let mut seen = Seen::new(hits, &mut table, &text);
                assert_eq!(matches!(seen, Seen::Table(..)), hits <= super::SeenTable::MAX);
                let mut oracle = HashSet::new();
                let mut start = 0;
                for name in &names {
                    let name = &text[start..start + name.len()];
                    let hash = super::name_hash(name.as_bytes());
                    assert_eq!(seen.insert(hash, start as u32, name), oracle.insert(name), "{hits} {name}");
                    start += name.len() + 1;
                }
            }
        }
    }
}
