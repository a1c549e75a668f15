//! Analysed documents -> CSV tables, written to any `io::Write`.
//!
//! A [`Report`] owns one CSV writer per [`Table`]. Rows of the per-document
//! tables are written as each document is added, so memory stays constant
//! in the number of documents; the batch tables (`pairs.csv`,
//! `unknown_names.csv`) are accumulated in hash maps and written by
//! [`Report::finish`], sorted.
//!
//! Invariant: the tables are RFC 4180 CSV (UTF-8, `\r\n` record terminator,
//! a header row even when there are no rows; a UTF-8 BOM first in Excel
//! mode, [`ReportConfig::excel`]), and their bytes depend only on the
//! sequence of `add_*` calls: no timestamps, no hash-map order (the batch
//! rows are sorted by a total order first), floats with a fixed number of
//! decimals.
//!
//! Invariant: no cell that comes from the input can run as a spreadsheet
//! formula: free text and ids are neutralised ([`neutralise`]), and ids
//! that a spreadsheet would read as numbers or dates get a leading `'`.

mod actor_cells;
mod cache;
mod line;
mod render;
mod rows;

use std::cmp::Reverse;
use std::collections::HashMap;
use std::io::{self, IoSlice, Write};

use dyad_core::{ActorTable, Analysis, Diagnostic, let_go_above};

use line::Cell;
use rows::{DiagnosticRow, DocumentRow, Fixed3, Id, PairRow, Record, Text, UnknownNameRow};

pub use actor_cells::ActorCells;
pub use render::{EXAMPLE_MAX_CHARS, Rendered};
pub use rows::neutralise;

/// How the tables are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportConfig {
    /// Start every table with a UTF-8 byte-order mark, so Excel reads it
    /// as UTF-8 (`--excel`). Line ends are `\r\n` in every mode.
    pub excel: bool,
    /// The writers buffer what they are given themselves, so that a write
    /// costs a copy, not a system call (dyad's table files do). Then the
    /// rows of [`Report::take_rendered`] are copied to the writer at once,
    /// while they are still in cache, and their buffer stays with its
    /// [`Rendered`], where otherwise they wait, taken whole, until a block
    /// of them spares a write call.
    pub buffered_writers: bool,
}

/// The UTF-8 byte-order mark `--excel` tables start with.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

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

/// The running totals of one (source, target) row of `pairs.csv`. The
/// names, read only by [`Report::finish`], are boxed: with its key, an
/// entry of [`Pairs`] is then 64 bytes, and a hit touches one cache line of
/// it rather than two or three.
#[derive(Debug)]
struct PairAcc {
    names: Box<PairNames>,
    docs: u64,
    /// The sequence number of the last document counted in `docs`.
    last_doc: u64,
    /// The stances counted, by their polarity's sign plus one: conflict,
    /// neutral and cooperation (one add at the sign's place, where a
    /// count of each costs a comparison or a branch the input decides).
    by_polarity: [u64; 3],
    score_sum: f64,
}

/// The ids and names of a pair's two actors.
#[derive(Debug)]
struct PairNames {
    source_id: String,
    source_name: String,
    target_id: String,
    target_name: String,
}

impl PairAcc {
    /// No counts yet, for the actors of ids and names `[source_id,
    /// source_name, target_id, target_name]`.
    fn new([source_id, source_name, target_id, target_name]: [&str; 4]) -> PairAcc {
        PairAcc {
            names: Box::new(PairNames {
                source_id: source_id.to_string(),
                source_name: source_name.to_string(),
                target_id: target_id.to_string(),
                target_name: target_name.to_string(),
            }),
            docs: 0,
            last_doc: 0,
            by_polarity: [0; 3],
            score_sum: 0.0,
        }
    }
}

/// The totals of `pairs.csv`, one entry per distinct (source, target)
/// key, in an open-addressing table of its own, at most a quarter full: a
/// key goes to the slot its product with a constant picks, or the first
/// free one after it. A run counts few distinct pairs and a hit mostly
/// finds its entry in the first slot, with one load of the line it then
/// counts in, where a map's probe costs a hash, a group match, a loop the
/// branch predictor often gets wrong and its control bytes' line. The keys
/// are actor indices, which the input cannot choose.
///
/// Invariant: `slots.len()` is a power of two, at least four times `len`,
/// the number of entries; an entry lies at its key's slot or after it, with
/// no free slot between.
#[derive(Debug)]
struct Pairs {
    /// The entries with their keys as one word, source index above.
    slots: Vec<Option<(u64, PairAcc)>>,
    len: usize,
}

impl Default for Pairs {
    fn default() -> Pairs {
        Pairs { slots: std::iter::repeat_with(|| None).take(Pairs::FIRST_SLOTS).collect(), len: 0 }
    }
}

impl Pairs {
    /// The slots of a new table.
    const FIRST_SLOTS: usize = 256;

    /// The totals of `key`, added with the names `names` gives when new.
    #[inline]
    fn entry<'a>(&mut self, key: (u32, u32), names: impl FnOnce() -> [&'a str; 4]) -> &mut PairAcc {
        let word = u64::from(key.0) << 32 | u64::from(key.1);
        let mut i = self.find(word);
        if self.slots[i].is_none() {
            i = self.add(word, names());
        }
        match &mut self.slots[i] {
            Some((_, acc)) => acc,
            None => unreachable!("an entry was just found or added at {i}"),
        }
    }

    /// Adds the key `word` with no counts yet (growing the table first if
    /// it would be more than a quarter full) and returns its slot.
    #[cold]
    fn add(&mut self, word: u64, names: [&str; 4]) -> usize {
        if 4 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        let i = self.find(word);
        self.slots[i] = Some((word, PairAcc::new(names)));
        self.len += 1;
        i
    }

    /// The slot of the key `word`, or the free slot where it goes.
    #[inline]
    fn find(&self, word: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = (word.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask;
        while let Some(Some((kept, _))) = self.slots.get(i)
            && *kept != word
        {
            i = (i + 1) & mask;
        }
        i
    }

    /// Doubles the slots and puts every entry back.
    fn grow(&mut self) {
        let slots = 2 * self.slots.len();
        let old = std::mem::replace(&mut self.slots, std::iter::repeat_with(|| None).take(slots).collect());
        for entry in old.into_iter().flatten() {
            let i = self.find(entry.0);
            self.slots[i] = Some(entry);
        }
    }

    /// Every entry, in no particular order.
    fn iter(&self) -> impl Iterator<Item = &(u64, PairAcc)> {
        self.slots.iter().flatten()
    }
}

/// The running totals of one row of `unknown_names.csv`, with the name's
/// length and first bytes: a hit compares its name with them and counts in
/// this one cache line, where the name's `String` and its bytes lie on
/// two more.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct UnknownAcc {
    count: u64,
    docs: u64,
    last_doc: u64,
    len: u32,
    head: [u8; UnknownAcc::HEAD],
}

impl UnknownAcc {
    /// The bytes of a name kept in the entry.
    const HEAD: usize = 36;

    /// No counts yet, for `name`.
    fn new(name: &str) -> UnknownAcc {
        let mut head = [0; UnknownAcc::HEAD];
        let n = name.len().min(UnknownAcc::HEAD);
        head[..n].copy_from_slice(&name.as_bytes()[..n]);
        UnknownAcc { count: 0, docs: 0, last_doc: 0, len: u32::try_from(name.len()).unwrap_or(u32::MAX), head }
    }

    /// Whether this is the entry of `name`; `kept` compares the entry's
    /// whole name, for a name longer than the bytes kept here.
    #[inline]
    fn is(&self, name: &str, kept: impl FnOnce() -> bool) -> bool {
        let n = name.len();
        n as u64 == u64::from(self.len)
            && match self.head.get(..n) {
                Some(head) => head == name.as_bytes(),
                None => kept(),
            }
    }
}

/// The totals of `unknown_names.csv`, one entry per distinct name. The
/// names come from the input, so the map that finds them keeps SipHash's
/// flood resistance; in front of it, a direct-mapped table of the names
/// counted last, by the cheap hash each hit carries from its rendering
/// (`render::name_hash`, which the document's table of names seen needed
/// anyway): a run holds few distinct names and most hits repeat one, found
/// with that hash and one comparison where SipHash costs about 180
/// instructions a hit.
///
/// Invariant: `entries` and `counts` hold the same names in the same
/// order; a slot of `recent` holds an index of them or none
/// (`u32::MAX`), and a name is taken from it only when it is equal: names
/// that share a slot, by chance or by the input's design, just go to the
/// map.
#[derive(Debug)]
struct UnknownNames {
    index: HashMap<String, u32>,
    /// Each name and its example.
    entries: Vec<(String, String)>,
    /// Each name's totals, at the same index.
    counts: Vec<UnknownAcc>,
    recent: Box<[u32; UnknownNames::RECENT]>,
}

impl Default for UnknownNames {
    fn default() -> UnknownNames {
        UnknownNames {
            index: HashMap::new(),
            entries: Vec::new(),
            counts: Vec::new(),
            recent: Box::new([u32::MAX; UnknownNames::RECENT]),
        }
    }
}

impl UnknownNames {
    const RECENT: usize = 1024;

    /// The totals of `name`, added when it is new, with the example cut
    /// from the sentence `example` gives (or the name itself when it gives
    /// none): only new names pay for cutting one.
    #[inline]
    fn entry<'a>(&mut self, hash: u64, name: &'a str, example: impl FnOnce() -> Option<&'a str>) -> &mut UnknownAcc {
        let slot = (hash >> (64 - UnknownNames::RECENT.trailing_zeros())) as usize;
        let i = self.recent[slot] as usize;
        let i = match self.counts.get(i) {
            Some(acc) if acc.is(name, || self.entries.get(i).is_some_and(|(kept, _)| kept == name)) => i,
            _ => {
                let i = match self.index.get(name) {
                    Some(&i) => i as usize,
                    None => self.add(name, example().map(render::example).unwrap_or(name)),
                };
                self.recent[slot] = i as u32;
                i
            }
        };
        &mut self.counts[i]
    }

    /// Adds `name` with no counts yet and returns its index.
    #[cold]
    fn add(&mut self, name: &str, example: &str) -> usize {
        let i = self.entries.len();
        self.index.insert(name.to_string(), i as u32);
        self.entries.push((name.to_string(), example.to_string()));
        self.counts.push(UnknownAcc::new(name));
        i
    }
}

/// Rows are buffered per table and handed to the writer in blocks of about
/// this many bytes.
const BLOCK: usize = 64 * 1024;

/// One table's writer with its buffer, and the rendered rows it took whole
/// ([`Report::take_rendered`]), written before the buffer.
///
/// Invariant: the bytes not yet written are those of `queued`, in order,
/// then those of `buf`; `queued` stays empty when `at_once`.
struct Out<W: Write> {
    w: W,
    /// Copy taken rows to `w` at once ([`ReportConfig::buffered_writers`]).
    at_once: bool,
    buf: Vec<u8>,
    queued: Vec<Vec<u8>>,
    /// The bytes in `queued`.
    queued_len: usize,
    /// Emptied buffers, handed out in exchange for the ones taken.
    spare: Vec<Vec<u8>>,
}

impl<W: Write> Out<W> {
    /// At most this many buffers wait in `queued`: one `writev` takes them all.
    const QUEUED_MAX: usize = 256;

    fn new(w: W, at_once: bool) -> Out<W> {
        Out { w, at_once, buf: Vec::with_capacity(BLOCK + 4096), queued: Vec::new(), queued_len: 0, spare: Vec::new() }
    }

    /// Writes everything out once it is a block.
    #[inline]
    fn spill(&mut self) -> io::Result<()> {
        if self.queued_len + self.buf.len() >= BLOCK || self.queued.len() >= Out::<W>::QUEUED_MAX {
            self.write_out()?;
        }
        Ok(())
    }

    fn row(&mut self, row: &impl Record) -> io::Result<()> {
        row.write(&mut self.buf);
        self.spill()
    }

    fn rows(&mut self, rows: &[u8]) -> io::Result<()> {
        if rows.len() >= BLOCK {
            self.write_out()?;
            return self.w.write_all(rows);
        }
        self.buf.extend_from_slice(rows);
        self.spill()
    }

    /// Takes `rows` whole, in exchange for an emptied buffer: no copy. Or,
    /// `at_once`, copies them to the writer now and leaves `rows` empty,
    /// its buffer kept unless a large document grew it past a block.
    fn take(&mut self, rows: &mut Vec<u8>) -> io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        if self.at_once {
            if !self.buf.is_empty() {
                // Its rows come first.
                self.write_out()?;
            }
            self.w.write_all(rows)?;
            rows.clear();
            let_go_above(rows, BLOCK);
            return Ok(());
        }
        if !self.buf.is_empty() {
            // Its rows come first.
            let buf = std::mem::replace(&mut self.buf, self.spare.pop().unwrap_or_default());
            self.queue(buf);
        }
        let taken = std::mem::replace(rows, self.spare.pop().unwrap_or_default());
        self.queue(taken);
        self.spill()
    }

    fn queue(&mut self, rows: Vec<u8>) {
        self.queued_len += rows.len();
        self.queued.push(rows);
    }

    /// Writes the queued buffers and then `buf`, with one vectored write
    /// when the writer takes them all.
    fn write_out(&mut self) -> io::Result<()> {
        let pending = self.queued.iter().chain([&self.buf]).filter(|b| !b.is_empty());
        let mut slices: Vec<IoSlice<'_>> = pending.map(|b| IoSlice::new(b)).collect();
        let mut rest = &mut slices[..];
        while !rest.is_empty() {
            match self.w.write_vectored(rest) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => IoSlice::advance_slices(&mut rest, n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.buf.clear();
        self.queued_len = 0;
        // A buffer that a large document grew is let go, not kept: the
        // spares (at most `QUEUED_MAX`) then hold at most a block each,
        // whatever the largest document was.
        for mut rows in self.queued.drain(..).filter(|rows| rows.capacity() <= BLOCK) {
            rows.clear();
            self.spare.push(rows);
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_out()?;
        self.w.flush()
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
    /// ids when written. The keys index the actor table, not the input, so
    /// a table without flood resistance is safe here; SipHash cost more
    /// than the rest of the batch sums. `unknown`, keyed by the input's
    /// words, keeps SipHash.
    pairs: Pairs,
    /// Sorted by count and name when written.
    unknown: UnknownNames,
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
        let mut out = out.try_map(|_, w| Ok::<_, io::Error>(Out::new(w, config.buffered_writers)))?;
        for table in Table::ALL {
            let out = out.get_mut(table);
            if config.excel {
                out.buf.extend_from_slice(BOM);
            }
            line::write_header(table.columns(), &mut out.buf);
        }
        Ok(Report {
            out,
            pairs: Pairs::default(),
            unknown: UnknownNames::default(),
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
        self.add_with(|r| r.render(analysis, actors))
    }

    /// [`Report::add_document`] with the actor cells taken from `cells`,
    /// rendered once per run: the same bytes, less work per document.
    pub fn add_document_with(&mut self, analysis: &Analysis, cells: &ActorCells<'_>) -> io::Result<()> {
        self.add_with(|r| r.render_with(analysis, cells))
    }

    /// Renders one document with `render` and adds it.
    fn add_with(&mut self, render: impl FnOnce(&mut Rendered)) -> io::Result<()> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        // Rows go straight into the tables' buffers (the rendering appends),
        // so they are copied once, not twice as through `add_rendered`.
        self.swap_buffers(&mut scratch);
        render(&mut scratch);
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

    /// [`Report::add_rendered`] taking the rows instead of copying them:
    /// each of `r`'s row buffers is swapped for an emptied one of an
    /// earlier document, and written out with the next block of its table
    /// (one vectored write). `r` keeps its share of the batch tables; a
    /// pipeline renders into it again ([`Rendered::render_again_with`]).
    pub fn take_rendered(&mut self, r: &mut Rendered) -> io::Result<()> {
        self.out.mentions.take(&mut r.mentions)?;
        self.out.diagnostics.take(&mut r.diagnostics)?;
        self.out.stances.take(&mut r.stances)?;
        self.out.actors.take(&mut r.actors)?;
        self.out.documents.take(&mut r.documents)?;
        self.add_counts(r);
        Ok(())
    }

    /// Adds a rendered document to the batch tables and the summary.
    fn add_counts(&mut self, r: &Rendered) {
        self.seq += 1;
        let seq = self.seq;

        for (i, hit) in r.pairs.iter().enumerate() {
            let acc = self.pairs.entry(hit.key, || r.pair_names(i));
            // Counted without branches: the polarity and whether the pair
            // was counted earlier in this document follow the input.
            if let Some(n) = acc.by_polarity.get_mut((i16::from(hit.polarity) + 1) as usize) {
                *n += 1;
            }
            if hit.score.is_finite() {
                acc.score_sum += f64::from(hit.score);
            }
            acc.docs += u64::from(acc.last_doc != seq);
            acc.last_doc = seq;
        }

        for hit in &r.unknown {
            let acc = self.unknown.entry(hit.hash, r.string(hit.name), || hit.example.map(|e| r.string(e)));
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
        // Sorted by ids, then by key should two actors share an id: an order
        // that does not depend on the map's.
        let mut pairs: Vec<_> = self.pairs.iter().collect();
        pairs.sort_by(|(k, a), (l, b)| {
            (&a.names.source_id, &a.names.target_id, k).cmp(&(&b.names.source_id, &b.names.target_id, l))
        });
        let mut written = Vec::new();
        for (_, acc) in pairs {
            let [conflict, neutral, cooperation] = acc.by_polarity;
            let stances = conflict + neutral + cooperation;
            let mean = if stances == 0 { 0.0 } else { acc.score_sum / stances as f64 };
            let (mean_score, net_score) = (Fixed3(mean), Fixed3(acc.score_sum));
            // Decide on the written value so `net` never disagrees with `net_score`.
            written.clear();
            net_score.put(&mut written);
            let net = match written.as_slice() {
                b"0.000" | b"" => "neutral",
                s if s.starts_with(b"-") => "conflictual",
                _ => "cooperative",
            };
            let names = &acc.names;
            self.out.pairs.row(&PairRow {
                source_id: Id(&names.source_id),
                source_name: Text(&names.source_name),
                target_id: Id(&names.target_id),
                target_name: Text(&names.target_name),
                docs: acc.docs,
                stances,
                cooperation,
                conflict,
                mean_score,
                net,
                net_score,
            })?;
        }
        self.summary.pairs = self.pairs.len;

        let mut unknown: Vec<_> = self.unknown.entries.iter().zip(&self.unknown.counts).collect();
        unknown.sort_by_key(|((name, _), acc)| (Reverse(acc.count), name.as_str()));
        for ((name, example), acc) in unknown {
            self.out.unknown_names.row(&UnknownNameRow {
                name: Text(name),
                count: acc.count,
                docs: acc.docs,
                example: Text(example),
            })?;
        }
        self.summary.unknown_names = self.unknown.entries.len();

        for table in Table::ALL {
            self.out.get_mut(table).flush()?;
        }
        Ok(self.summary)
    }
}

#[cfg(test)]
mod tests;
