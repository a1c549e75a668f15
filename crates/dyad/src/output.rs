//! The output folder: tables are written to `<table>.csv.tmp`, flushed to
//! disk and renamed into place only when every table is complete, so a
//! table on disk is always whole: an interrupted run (Ctrl-C, kill, full
//! disk) leaves the previous table or none. Also `--emit-text`: the text of
//! every document, as the offsets count it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};

use dyad_core::Document;
use dyad_report::{Table, Tables};

use crate::{Error, shown};

/// Refuses an output folder inside (or equal to) the input folder: the next
/// run would read the tables as articles.
pub(crate) fn check_not_inside(input: &Path, out: &Path) -> Result<(), Error> {
    if !input.is_dir() {
        return Ok(());
    }
    let input_abs = input.canonicalize().map_err(|source| Error::Io { path: shown(input), source })?;
    let out_abs = resolve(out).map_err(|source| Error::Io { path: shown(out), source })?;
    if out_abs.starts_with(&input_abs) {
        return Err(Error::OutInsideInput { out: shown(out), input: shown(input) });
    }
    Ok(())
}

/// `path` made absolute with symlinks resolved as far as it exists.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(abs),
        }
    }
    let mut resolved = existing.canonicalize()?;
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// The `.tmp` files of one run; removed on drop unless committed.
pub(crate) struct Staging {
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates the output folder when missing.
    pub(crate) fn create(dir: &Path) -> Result<Staging, Error> {
        fs::create_dir_all(dir).map_err(|e| io_error(dir, "cannot create the output folder", e))?;
        Ok(Staging { dir: dir.to_path_buf(), committed: false })
    }

    fn tmp_path(&self, table: Table) -> PathBuf {
        self.dir.join(format!("{}.tmp", table.file_name()))
    }

    /// Creates (truncating) one `.tmp` file per table.
    pub(crate) fn writers(&self) -> Result<Tables<TableFile>, Error> {
        Tables::try_from_fn(|table| {
            let path = self.tmp_path(table);
            let file = File::create(&path).map_err(|e| io_error(&path, "cannot create the table", e))?;
            Ok(TableFile::new(file, HAND_ON))
        })
    }

    /// A failed write to one of the tables.
    pub(crate) fn error(&self, source: io::Error) -> Error {
        io_error(&self.dir, "cannot write the tables", source)
    }

    /// Flushes every `.tmp` file to disk, then renames each over its table.
    pub(crate) fn commit(mut self) -> Result<(), Error> {
        // Data first, names second: after a crash the renamed file holds
        // the new bytes, never an empty or partial table.
        for table in Table::ALL {
            let path = self.tmp_path(table);
            let synced = OpenOptions::new().write(true).open(&path).and_then(|f| f.sync_all());
            synced.map_err(|e| io_error(&path, "cannot flush the table to disk", e))?;
        }
        for table in Table::ALL {
            let to = self.dir.join(table.file_name());
            fs::rename(self.tmp_path(table), &to).map_err(|e| io_error(&to, "cannot put the table in place", e))?;
        }
        self.committed = true;
        // Best effort: make the renames durable too (not possible everywhere).
        if let Ok(dir) = File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// A table's `.tmp` file, which writes in whole blocks and hands what it has
/// written on to the disk as it goes.
///
/// Blocks: every write to the file starts and ends at a multiple of
/// [`BLOCK`] bytes (but the last one, in [`flush`](io::Write::flush)); what
/// is taken past the last whole block waits in `tail`, the head of the next
/// write. Writes that start and end in the middle of a page make the
/// kernel cache each in several small pieces (13.5 KB on average; it
/// allocates each with its buffer heads, marks it dirty, writes it out and
/// frees it one by one), where aligned blocks are cached in pieces of
/// 32 KB and more (44 KB on average). The report hands over whole blocks
/// ([`dyad_report::WRITE_UNIT`]) but for rows it does not take whole and
/// its final flush, so the tail is mostly empty: a tail costs a copy (half
/// a block per write on average), which the report's rendered buffers
/// spare by keeping their rest until the next write. 64 KB blocks make
/// larger pieces but cost as much in all (their pages sometimes take
/// longer to fill).
///
/// Hand-overs: every [`HAND_ON`] bytes it tells the kernel it will not read
/// them back (`POSIX_FADV_DONTNEED`), which on Linux starts writing them out
/// at once. Left alone, the kernel starts only once gigabytes are dirty, and
/// the flush before the tables are renamed then waits for the rest: about
/// a second of a 25-second run over 1 GB of articles. Advice only: its
/// failure changes nothing, and the flush in [`Staging::commit`] still
/// makes the tables durable.
pub(crate) struct TableFile {
    file: File,
    /// Taken, not yet written: the bytes past the last whole block.
    tail: Vec<u8>,
    /// Bytes written to the file.
    written: u64,
    /// Where the bytes not yet handed on start.
    handed_on: u64,
    /// How many bytes are handed on at a time ([`HAND_ON`] but in tests).
    every: u64,
}

/// How many bytes a table writes between two hand-overs to the disk.
const HAND_ON: u64 = 32 << 20;

/// The unit of a table's writes to its file (see [`TableFile`]): the
/// report's, which hands over whole units.
const BLOCK: usize = dyad_report::WRITE_UNIT;

impl TableFile {
    fn new(file: File, every: u64) -> TableFile {
        TableFile { file, tail: Vec::with_capacity(BLOCK), written: 0, handed_on: 0, every }
    }

    /// Writes all of `slices` to the file.
    fn write_all(&mut self, mut slices: &mut [io::IoSlice<'_>]) -> io::Result<()> {
        while !slices.is_empty() {
            match (&self.file).write_vectored(slices) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    io::IoSlice::advance_slices(&mut slices, n);
                    self.wrote(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Writes the tail and then `parts` to the file; the tail is emptied
    /// once all are written (its allocation kept), and left as it was on an
    /// error.
    fn write_tail_and<'p>(&mut self, parts: impl Iterator<Item = &'p [u8]>) -> io::Result<()> {
        let tail = std::mem::take(&mut self.tail);
        let mut slices: Vec<io::IoSlice<'_>> = Vec::new();
        if !tail.is_empty() {
            slices.push(io::IoSlice::new(&tail));
        }
        for part in parts.filter(|part| !part.is_empty()) {
            slices.push(io::IoSlice::new(part));
        }
        let result = self.write_all(&mut slices);
        drop(slices);
        self.tail = tail;
        result?;
        self.tail.clear();
        Ok(())
    }

    fn wrote(&mut self, n: usize) {
        self.written += n as u64;
        if self.written - self.handed_on >= self.every {
            hand_on(&self.file, self.handed_on, self.written - self.handed_on);
            self.handed_on = self.written;
        }
    }
}

#[cfg(target_os = "linux")]
fn hand_on(file: &File, from: u64, len: u64) {
    use rustix::fs::{Advice, fadvise};
    let _ = fadvise(file, from, std::num::NonZeroU64::new(len), Advice::DontNeed);
}

#[cfg(not(target_os = "linux"))]
fn hand_on(_file: &File, _from: u64, _len: u64) {}

impl io::Write for TableFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_vectored(&[io::IoSlice::new(buf)])
    }

    /// Takes all of `bufs`: writes the tail and `bufs` up to the last
    /// block boundary of the file they reach, keeps the rest as the tail.
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        let taken: usize = bufs.iter().map(|b| b.len()).sum();
        let end = self.written + (self.tail.len() + taken) as u64;
        let to_write = (end - end % BLOCK as u64 - self.written) as usize;
        // `bufs` as (written now, kept for later).
        let mut now = to_write.saturating_sub(self.tail.len());
        let split: Vec<(&[u8], &[u8])> = bufs
            .iter()
            .map(|b| {
                let n = b.len().min(now);
                now -= n;
                b.split_at(n)
            })
            .collect();
        if to_write > 0 {
            self.write_tail_and(split.iter().map(|&(head, _)| head))?;
        }
        for (_, kept) in split {
            self.tail.extend_from_slice(kept);
        }
        Ok(taken)
    }

    /// Writes the tail: the file then holds every byte taken.
    fn flush(&mut self) -> io::Result<()> {
        if !self.tail.is_empty() {
            self.write_tail_and(std::iter::empty())?;
        }
        self.file.flush()
    }
}

impl Drop for TableFile {
    /// Best effort, as `BufWriter` does: a table the report finished is
    /// already flushed, with its errors reported.
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// An I/O error on `path`, saying what dyad was doing: `out: cannot
/// create the output folder: File exists (os error 17)`.
fn io_error(path: &Path, what: &str, source: io::Error) -> Error {
    Error::Io { path: shown(path), source: io::Error::new(source.kind(), format!("{what}: {source}")) }
}

/// Writes `doc.text` to `<dir>/<doc id>.txt` (see [`emit_path`]).
pub(crate) fn emit_text(dir: &Path, doc: &Document) -> Result<(), Error> {
    let path = emit_path(dir, &doc.id);
    let io_err = |e| io_error(&path, "cannot write the text", e);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err)?;
    }
    fs::write(&path, &doc.text).map_err(io_err)
}

/// Where `--emit-text` writes the text of document `id`: `<dir>/<id>.txt`,
/// each `/`-separated part of the id kept as a folder, with `.`, `..`,
/// empty parts and characters no file name may hold replaced by `_`, so a
/// document id can never point outside `dir`.
pub(crate) fn emit_path(dir: &Path, id: &str) -> PathBuf {
    let mut path = dir.to_path_buf();
    let parts: Vec<&str> = id.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let mut name: String = part
            .chars()
            .map(
                |c| if c.is_control() || matches!(c, '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c },
            )
            .collect();
        if matches!(name.as_str(), "" | "." | "..") {
            name = name.replace('.', "_");
            if name.is_empty() {
                name.push('_');
            }
        }
        if i + 1 == parts.len() {
            name.push_str(".txt");
        }
        debug_assert!(matches!(Path::new(&name).components().next(), Some(Component::Normal(_))));
        path.push(name);
    }
    path
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            for table in Table::ALL {
                // Best effort: the run already failed with a better error.
                let _ = fs::remove_file(self.tmp_path(table));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte taken reaches the file, in order, whatever the sizes of
    /// the pieces (empty, small, straddling one or several blocks) and
    /// however they come (one slice or several, a flush midway); between
    /// flushes the file holds whole blocks only; hand-overs follow the
    /// bytes written.
    #[test]
    fn a_table_file_writes_every_byte_in_whole_blocks_and_hands_them_on() {
        use std::io::{IoSlice, Write};
        let path = std::env::temp_dir().join(format!("dyad-table-file-{}", std::process::id()));
        let every = 3 * BLOCK as u64;
        let mut table = TableFile::new(File::create(&path).expect("temp file"), every);
        let mut want = Vec::new();
        // Sizes from a small generator: around the block and well away.
        let mut seed = 12_345_u64;
        let mut next = |below: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % below
        };
        let block = BLOCK as u64;
        for round in 0..400 {
            let pieces: Vec<Vec<u8>> = (0..=next(4))
                .map(|_| {
                    let len = match next(5) {
                        0 => 0,
                        1 => next(100),
                        2 => block - 1 + next(3),
                        3 => 2 * block + next(block),
                        _ => block + next(block / 8),
                    };
                    (0..len).map(|_| b'a' + next(26) as u8).collect()
                })
                .collect();
            let taken = if round % 3 == 0 {
                pieces.iter().map(|p| table.write(p).expect("write")).sum()
            } else {
                let slices: Vec<IoSlice<'_>> = pieces.iter().map(|p| IoSlice::new(p)).collect();
                table.write_vectored(&slices).expect("vectored write")
            };
            assert_eq!(taken, pieces.iter().map(Vec::len).sum::<usize>());
            pieces.iter().for_each(|p| want.extend_from_slice(p));
            assert_eq!(table.written + table.tail.len() as u64, want.len() as u64);
            assert!(table.tail.len() < BLOCK);
            if round == 100 {
                table.flush().expect("flush midway");
                assert!(table.tail.is_empty());
            } else if round < 100 {
                assert_eq!(table.written % block, 0, "round {round}");
            }
            assert!(table.written - table.handed_on < every);
            assert_eq!(fs::metadata(&path).expect("metadata").len(), table.written);
        }
        table.flush().expect("flush");
        assert_eq!(table.written, want.len() as u64);
        drop(table);
        assert!(fs::read(&path).expect("read back") == want, "the file holds what was taken, in order");
        let _ = fs::remove_file(&path);
    }

    #[test]
    fn out_inside_input_is_refused() {
        let root = std::env::temp_dir().join(format!("dyad-output-{}", std::process::id()));
        let input = root.join("in");
        fs::create_dir_all(&input).expect("temp dir");
        let inside = check_not_inside(&input, &input.join("a/b/out"));
        assert!(matches!(inside, Err(Error::OutInsideInput { .. })), "{inside:?}");
        assert!(matches!(check_not_inside(&input, &input), Err(Error::OutInsideInput { .. })));
        assert!(check_not_inside(&input, &root.join("out")).is_ok());
        assert!(check_not_inside(&input, &root.join("input-sibling")).is_ok());
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn emitted_texts_stay_inside_their_folder() {
        let dir = Path::new("texts");
        for (id, want) in [
            ("dev/a.txt", "texts/dev/a.txt.txt"),
            ("export.jsonl#a1", "texts/export.jsonl#a1.txt"),
            ("../../etc/passwd", "texts/__/__/etc/passwd.txt"),
            ("/abs/x", "texts/_/abs/x.txt"),
            ("a//b", "texts/a/_/b.txt"),
            ("c:\\x", "texts/c__x.txt"),
            ("..", "texts/__.txt"),
        ] {
            assert_eq!(emit_path(dir, id), Path::new(want), "{id}");
        }
    }
}
