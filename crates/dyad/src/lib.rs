//! The pipeline: the only crate that knows every stage.
//!
//! [`run`] loads the seeds once, lists the inputs, and streams them through
//! a rayon pool: each worker loads, analyses and renders one source's rows
//! at a time, and the rows of each source are handed to the report as soon
//! as it and every source before it are done, by the worker that completed
//! the last of them (`stream.rs`), adding to the batch tables as it goes;
//! the report's bytes go to the files through 512 KB chunks that a thread of
//! their own writes (`table_file.rs`). So the tables are byte-identical for
//! any thread count, and memory is bounded by a window of
//! [`WINDOW_PER_THREAD`] sources per thread (plus the batch tables and the
//! chunks), never by the size of the corpus. With one thread everything but
//! the writing of the chunks runs on the calling thread. Over a corpus that
//! is not in the page cache, another thread starts the kernel's reads of
//! the sources just ahead of the workers (`read_ahead.rs`).
//!
//! Invariant: one bad input (unreadable, binary, a stage that panics)
//! becomes a `skipped`/`error` row of `documents.csv` plus a row of
//! `diagnostics.csv`, and never aborts the batch. Only a problem with the
//! run itself (missing input, bad seeds, unwritable output) is an [`Error`].
//!
//! Invariant: the tables appear in the output folder whole or not at all:
//! they are written to `<table>.csv.tmp` and renamed into place at the end.

mod output;
mod read_ahead;
mod seeds;
mod stream;
mod table_file;

use std::any::Any;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use dyad_core::{Analysis, Diagnostic, Document, KEPT_BUFFER_BYTES, Severity, let_go_above};
use dyad_ingest::{IngestConfig, Source};
use dyad_report::{ActorCells, Failure, Rendered, Report, ReportConfig};
use dyad_tokenize::{Backend, Tokenizer};
use indicatif::{ProgressBar, ProgressStyle};

pub use seeds::{ExtraSeeds, SEED_FILES, Seeds};

/// Sources in flight per worker thread: being analysed, or analysed and
/// waiting for the sources before them to be written. Memory is bounded by
/// this window (`threads * WINDOW_PER_THREAD` documents), not by the corpus.
///
/// A document of the generated corpus takes about 70 µs, while the worker
/// that hands the rows on can be held up for milliseconds; the other worker
/// then runs out of window and sleeps. When the worker itself wrote the
/// tables (before `table_file.rs`), a window of 4 a worker over 1 GB on two
/// threads slept about 1,470 times, 0.18 s in all; at 16, about 300 times
/// and 0.07 s, for 2 to 4 MB more peak memory.
pub const WINDOW_PER_THREAD: usize = 16;

/// What [`run`] does.
#[derive(Debug, Clone)]
pub struct Config {
    /// A folder of articles (searched recursively) or one file.
    pub input: PathBuf,
    /// The folder the tables are written to; created when missing.
    pub out: PathBuf,
    /// The folder holding the seed files; when it does not exist, the seeds
    /// built into the binary are used (and a diagnostics row says so).
    pub seeds: PathBuf,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    pub backend: Backend,
    /// Show a progress bar (only ever on a terminal's stderr).
    pub progress: bool,
    /// The user's own dictionary files, merged over the seeds.
    pub extra_seeds: ExtraSeeds,
    /// Input files larger than this are skipped.
    pub max_bytes: u64,
    /// Write the tables for Excel: a UTF-8 byte-order mark first.
    pub excel: bool,
    /// Write each document's text, the text its offsets refer to, to
    /// `<emit_text>/<doc_id>.txt`.
    pub emit_text: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            input: PathBuf::from("corpus"),
            out: PathBuf::from("out"),
            seeds: PathBuf::from("seeds"),
            threads: 0,
            backend: Backend::default(),
            progress: true,
            extra_seeds: ExtraSeeds::default(),
            max_bytes: IngestConfig::default().max_bytes,
            excel: false,
            emit_text: None,
        }
    }
}

/// What stops a run before or while its tables are written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}: input not found")]
    InputMissing(String),
    #[error("{out}: the output folder is inside the input folder {input}; choose an --out outside it")]
    OutInsideInput { out: String, input: String },
    #[error("{dir}: the --emit-text folder is inside the input folder {input}; choose one outside it")]
    EmitInsideInput { dir: String, input: String },
    #[error(transparent)]
    Ingest(#[from] dyad_ingest::IngestError),
    #[error("bad seeds: {0}")]
    Dictionary(#[from] dyad_entities::DictError),
    #[error("bad seeds: {0}")]
    Lexicon(#[from] dyad_stance::LexiconError),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("cannot start {threads} worker threads: {source}")]
    Threads { threads: usize, source: rayon::ThreadPoolBuildError },
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Row counts of the tables.
    pub tables: dyad_report::Summary,
    pub elapsed: Duration,
    /// The output folder, as configured.
    pub out: PathBuf,
}

impl Summary {
    /// The process exit code: 0 when every input was analysed, 1 when some
    /// were skipped or failed.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.tables.has_failures())
    }
}

/// The one summary line: `dyad: N documents (S skipped, E errors), M
/// mentions, K stances in X.XX s, Y.YY MB/s -> out/`.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.tables;
        let secs = self.elapsed.as_secs_f64();
        let mb_per_s = if secs > 0.0 { t.bytes as f64 / 1e6 / secs } else { 0.0 };
        let out = self.out.display().to_string();
        let slash = if out.ends_with('/') || out.ends_with(std::path::MAIN_SEPARATOR) { "" } else { "/" };
        write!(
            f,
            "dyad: {} documents ({} skipped, {} errors), {} mentions, {} stances in {secs:.2} s, {mb_per_s:.2} MB/s -> {out}{slash}",
            t.documents, t.skipped, t.errors, t.mentions, t.stances,
        )
    }
}

/// Runs the whole pipeline over `config.input` and writes every table to
/// `config.out`.
pub fn run(config: &Config) -> Result<Summary, Error> {
    let started = Instant::now();
    if !config.input.exists() {
        return Err(Error::InputMissing(config.input.display().to_string()));
    }
    output::check_not_inside(&config.input, &config.out)?;
    if let Some(dir) = &config.emit_text {
        output::check_not_inside(&config.input, dir).map_err(|e| match e {
            Error::OutInsideInput { out, input } => Error::EmitInsideInput { dir: out, input },
            e => e,
        })?;
    }
    // The seeds load on a thread of their own while the input is listed:
    // both come before any worker starts, so the run waits for the longer
    // of the two only (listing 282,767 files takes several times as long).
    let (seeds, sources) = std::thread::scope(|scope| {
        let seeds = scope.spawn(|| Seeds::load_with(&config.seeds, &config.extra_seeds));
        let sources = dyad_ingest::discover(&config.input);
        (seeds.join().unwrap_or_else(|payload| panic::resume_unwind(payload)), sources)
    });
    let seeds = seeds?;
    let sources = sources?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|source| Error::Threads { threads: config.threads, source })?;

    let staging = output::Staging::create(&config.out)?;
    let report_config = ReportConfig { excel: config.excel, buffered_writers: true };
    let mut report = Report::with_config(staging.writers()?, &report_config).map_err(|e| staging.error(e))?;
    for note in &seeds.notes {
        report.add_diagnostic(note).map_err(|e| staging.error(e))?;
    }

    let stages = Stages {
        tokenizer: Tokenizer::new(config.backend),
        seeds: &seeds,
        actor_cells: ActorCells::new(seeds.gazetteer.actors()),
        keep_text: config.emit_text.is_some(),
        spares: (0..pool.current_num_threads()).map(|_| Mutex::new(Spares::default())).collect(),
        spare_max: pool.current_num_threads() * WINDOW_PER_THREAD,
        ingest: IngestConfig { max_bytes: config.max_bytes },
    };
    let bar = progress_bar(config.progress, sources.len());
    let mut write = |mut outcome: Outcome| -> Result<(), Error> {
        outcome.write(&mut report).map_err(|e| staging.error(e))?;
        if let Some(dir) = &config.emit_text {
            for item in &outcome.items {
                if let Item::Analysed { doc: Some(doc), .. } = item {
                    output::emit_text(dir, doc)?;
                }
            }
        }
        stages.recycle(outcome);
        Ok(())
    };
    let threads = pool.current_num_threads();
    // The sources the workers have taken, for the thread that reads ahead
    // of them when the corpus is not cached (`read_ahead.rs`).
    let next = AtomicUsize::new(0);
    read_ahead::beside(&sources, &next, || {
        if threads == 1 {
            // One worker: no hand-over between threads at all.
            sources.iter().enumerate().try_for_each(|(i, source)| {
                next.store(i + 1, Ordering::Relaxed);
                let outcome = stages.process(source);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                write(outcome)
            })
        } else {
            // Documents are analysed, rendered and written on the pool, their
            // rows in source order.
            let window = threads * WINDOW_PER_THREAD;
            let work = |source: &Source| {
                let outcome = stages.process(source);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                outcome
            };
            stream::ordered(&pool, &sources, window, &next, work, &mut write)
        }
    })?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }

    let tables = report.finish().map_err(|e| staging.error(e))?;
    staging.commit()?;
    Ok(Summary { tables, elapsed: started.elapsed(), out: config.out.clone() })
}

/// The progress bar, if one is shown: `None` rather than a hidden bar,
/// whose `inc` still read the clock and took its lock for each source
/// (about 675 instructions a source).
fn progress_bar(wanted: bool, len: usize) -> Option<ProgressBar> {
    use std::io::IsTerminal;
    if !wanted || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed_precise} (eta {eta})") {
        bar.set_style(style);
    }
    Some(bar)
}

/// The stages, built once and shared by every worker.
struct Stages<'a> {
    tokenizer: Tokenizer,
    seeds: &'a Seeds,
    /// Every actor's report cells, rendered once per run.
    actor_cells: ActorCells<'a>,
    /// Keep each document after it is rendered (for `--emit-text`).
    keep_text: bool,
    ingest: IngestConfig,
    /// Each worker's spare buffers, by its index in the pool.
    spares: Vec<Mutex<Spares>>,
    /// How many spare rendered values a worker keeps (the window: one per
    /// source in flight).
    spare_max: usize,
}

/// A worker's buffers for its next documents, handed back to it alone
/// (where one list for all workers handed a buffer one core had just
/// filled to the other about every other document, and the other then
/// fetched every line of it from the first's cache as it wrote).
#[derive(Default)]
struct Spares {
    /// Rendered rows already written, handed back for their buffers: after
    /// the first few documents, rendering allocates nothing.
    /// Boxed as the items carry them, so taking one allocates nothing.
    #[allow(clippy::vec_box)]
    rendered: Vec<Box<Rendered>>,
    /// The analysis last rendered, without its document, handed back for
    /// its buffers: each stage refills its part in place, so that after the
    /// first document the stages' outputs allocate next to nothing (where
    /// they took some fifteen allocations a document, and as many frees).
    /// Boxed, so that handing it over copies no more than a pointer.
    analysis: Option<Box<Analysis>>,
}

/// What became of one source: rows to write, in order.
struct Outcome {
    items: Vec<Item>,
    diagnostics: Vec<Diagnostic>,
}

enum Item {
    /// A document's rows, rendered on the worker; the document itself only
    /// when its text is to be written out.
    Analysed {
        rendered: Box<Rendered>,
        doc: Option<Box<Document>>,
        /// The worker that rendered it, whose spares it goes back to.
        worker: usize,
    },
    Failed {
        id: String,
        path: String,
        status: Failure,
        reason: String,
    },
}

impl Stages<'_> {
    /// Loads and analyses one source. Never panics: a panic in any stage
    /// becomes a failed item and a diagnostic naming the document.
    fn process(&self, source: &Source) -> Outcome {
        // Room for the one item of most sources, allocated at once rather
        // than by the first push's growth.
        let mut out = Outcome { items: Vec::with_capacity(1), diagnostics: Vec::new() };
        let loaded = match catch(|| dyad_ingest::load(source, &self.ingest)) {
            Ok(loaded) => loaded,
            Err(message) => {
                out.fail(&source.id, &source.display, "ingest", format!("ingest panicked: {message}"));
                return out;
            }
        };
        out.diagnostics.extend(loaded.diagnostics.iter().cloned());
        if let Some((status, reason)) = &loaded.failure {
            let status = Failure::parse(status).unwrap_or(Failure::Error);
            if loaded.diagnostics.is_empty() {
                out.diagnostics.push(Diagnostic {
                    path: source.display.clone(),
                    stage: "ingest",
                    severity: match status {
                        Failure::Skipped => Severity::Warning,
                        Failure::Error => Severity::Error,
                    },
                    message: reason.clone(),
                });
            }
            out.items.push(Item::Failed {
                id: source.id.clone(),
                path: source.display.clone(),
                status,
                reason: reason.clone(),
            });
        }
        // Bad lines of a JSONL export: rows of their own, in file order
        // among the documents; their diagnostics are already given.
        let mut rejected = loaded.rejected.into_iter().peekable();
        let reject = |out: &mut Outcome, r: dyad_ingest::Rejected| {
            out.items.push(Item::Failed {
                id: r.id,
                path: source.display.clone(),
                status: Failure::parse(r.status).unwrap_or(Failure::Error),
                reason: r.reason,
            });
        };
        for (n, doc) in loaded.documents.into_iter().enumerate() {
            while let Some(r) = rejected.next_if(|r| r.after_documents <= n) {
                reject(&mut out, r);
            }
            match self.analyse_and_render(doc) {
                Ok(item) => out.items.push(item),
                Err(Panicked { id, path, message }) => {
                    out.fail(&id, &path, "pipeline", format!("a stage panicked on {id}: {message}"))
                }
            }
        }
        for r in rejected {
            reject(&mut out, r);
        }
        out
    }

    /// Every stage over one document, then its rows; a panic in any of
    /// them gives the document's id and path back with the panic's
    /// message. The stages only borrow the document, so that its id and
    /// path need no copy made in advance for that message.
    ///
    /// The analysis is a spare one refilled when there is one, and handed
    /// back once rendered; one a stage panicked in is dropped.
    fn analyse_and_render(&self, doc: Document) -> Result<Item, Panicked> {
        let worker = self.worker();
        let (spare_analysis, spare_rendered) = match self.spares[worker].lock() {
            Ok(mut spares) => (spares.analysis.take(), spares.rendered.pop()),
            Err(_) => (None, None),
        };
        let mut analysis = spare_analysis.unwrap_or_default();
        analysis.doc = doc;
        if let Err(message) = catch(|| self.analyse(&mut analysis)) {
            return Err(Panicked::new(analysis.doc, message));
        }
        let mut rendered = spare_rendered.unwrap_or_default();
        if let Err(message) = catch(|| rendered.render_again_with(&analysis, &self.actor_cells)) {
            return Err(Panicked::new(analysis.doc, message));
        }
        let doc = std::mem::take(&mut analysis.doc);
        let doc = self.keep_text.then(|| Box::new(doc));
        self.give_back(worker, analysis);
        Ok(Item::Analysed { rendered, doc, worker })
    }

    /// The index of the calling worker in the pool; 0 off the pool (the
    /// one-thread loop runs on the calling thread).
    fn worker(&self) -> usize {
        rayon::current_thread_index().filter(|&i| i < self.spares.len()).unwrap_or(0)
    }

    /// Keeps a rendered analysis (its document taken out) for the buffers
    /// of the worker's next document; a buffer above [`KEPT_BUFFER_BYTES`]
    /// is let go.
    fn give_back(&self, worker: usize, mut analysis: Box<Analysis>) {
        let_go_above(&mut analysis.tokenized.tokens, KEPT_BUFFER_BYTES);
        let_go_above(&mut analysis.tokenized.sentences, KEPT_BUFFER_BYTES);
        let_go_above(&mut analysis.tagged.mentions, KEPT_BUFFER_BYTES);
        let_go_above(&mut analysis.tagged.unknown, KEPT_BUFFER_BYTES);
        let_go_above(&mut analysis.stance.stances, KEPT_BUFFER_BYTES);
        let_go_above(&mut analysis.stance.author, KEPT_BUFFER_BYTES);
        if let Ok(mut spares) = self.spares[worker].lock() {
            spares.analysis = Some(analysis);
        }
    }

    /// Takes back the rendered rows of a written outcome, each to the
    /// worker that rendered it.
    fn recycle(&self, outcome: Outcome) {
        for item in outcome.items {
            if let Item::Analysed { rendered, worker, .. } = item
                && let Ok(mut spares) = self.spares[worker].lock()
                && spares.rendered.len() < self.spare_max
            {
                spares.rendered.push(rendered);
            }
        }
    }

    /// Every stage over one document.
    ///
    /// Kept out of `process` (under LTO the stages inline into one very
    /// large function, where loading and rendering spilled around them):
    /// /tmp/cg6k LTO 1,695.6M -> 1,693.1M instructions.
    ///
    /// Each stage refills its part of `analysis` in place, for `analysis.doc`.
    #[inline(never)]
    fn analyse(&self, analysis: &mut Analysis) {
        let gazetteer = &self.seeds.gazetteer;
        let Analysis { doc, tokenized, tagged, stance } = analysis;
        self.tokenizer.tokenize_into(&doc.text, tokenized);
        // Each token's text is looked up once, for both taggers.
        let words = dyad_core::WordIds::of(&doc.text, &tokenized.tokens);
        dyad_entities::tag_words_into(doc, tokenized, &words, gazetteer, tagged);
        let lexicon = &self.seeds.lexicon;
        dyad_stance::tag_words_into(doc, tokenized, &words, tagged, gazetteer.actors(), lexicon, stance);
    }
}

/// A document on which a stage panicked: its id, its path and the panic's
/// message.
struct Panicked {
    id: String,
    path: String,
    message: String,
}

impl Panicked {
    fn new(doc: Document, message: String) -> Panicked {
        Panicked { id: doc.id, path: doc.path, message }
    }
}

impl Outcome {
    fn fail(&mut self, id: &str, path: &str, stage: &'static str, reason: String) {
        self.diagnostics.push(Diagnostic {
            path: path.to_string(),
            stage,
            severity: Severity::Error,
            message: reason.clone(),
        });
        self.items.push(Item::Failed { id: id.to_string(), path: path.to_string(), status: Failure::Error, reason });
    }

    fn write<W: std::io::Write>(&mut self, report: &mut Report<W>) -> std::io::Result<()> {
        for d in &self.diagnostics {
            report.add_diagnostic(d)?;
        }
        for item in &mut self.items {
            match item {
                Item::Analysed { rendered, .. } => report.take_rendered(rendered)?,
                Item::Failed { id, path, status, reason } => report.add_failed(id, path, *status, reason)?,
            }
        }
        Ok(())
    }
}

/// Runs `f`, turning a panic into its message.
fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| panic_message(payload.as_ref()))
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// `path` shown in messages: as given.
fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_failed_row() {
        let mut out = Outcome { items: Vec::new(), diagnostics: Vec::new() };
        match catch(|| -> u32 { panic!("index out of bounds") }) {
            Ok(_) => unreachable!("the closure panics"),
            Err(message) => {
                out.fail("a.txt", "corpus/a.txt", "pipeline", format!("a stage panicked on a.txt: {message}"))
            }
        }
        assert_eq!(out.diagnostics[0].message, "a stage panicked on a.txt: index out of bounds");
        assert!(matches!(&out.items[0], Item::Failed { status: Failure::Error, id, .. } if id == "a.txt"));
        assert_eq!(catch(|| 7), Ok(7));
    }

    #[test]
    fn summary_line() {
        let summary = Summary {
            tables: dyad_report::Summary {
                documents: 12,
                ok: 10,
                skipped: 1,
                errors: 1,
                mentions: 300,
                stances: 41,
                bytes: 2_500_000,
                ..dyad_report::Summary::default()
            },
            elapsed: Duration::from_millis(1250),
            out: PathBuf::from("out"),
        };
        assert_eq!(
            summary.to_string(),
            "dyad: 12 documents (1 skipped, 1 errors), 300 mentions, 41 stances in 1.25 s, 2.00 MB/s -> out/"
        );
        assert_eq!(summary.exit_code(), 1);
    }
}
