//! The tables' files: rows are copied into 512 KB chunks, and a thread of
//! their own writes the chunks, with direct I/O where the file system takes
//! it, while the workers go on.
//!
//! Why direct I/O: a run over 1 GB of articles writes 3.3 GB of tables.
//! Written through the page cache, each byte is copied by the kernel into a
//! freshly allocated page, which is then marked dirty, written out and
//! reclaimed; on this machine (a VM whose fresh pages are slow to touch)
//! that copy alone took 6 to 15% of a run's samples, and writing 3.3 GB
//! took the kernel 0.9 to 4.7 s of CPU time run to run (`dd bs=32k`, new
//! file), 5.5 s with the flush before the rename. Direct writes of 1 MB
//! take the disk the bytes from the chunk itself: 0.7 s of CPU for the same
//! 3.3 GB (0.74 s at 512 KB a write), mostly spent waiting, off the
//! workers' cores' critical path. The chunks are reused, so their pages stay warm.
//!
//! Invariant: a file gets its bytes in order; every write but the last
//! starts and ends at a multiple of [`CHUNK`] (so of [`ALIGN`]); the last
//! one (a flush's) writes the chunk's whole multiples of [`ALIGN`] directly
//! and the rest through the page cache. A file system that refuses direct
//! I/O (tmpfs on older kernels, some network file systems) gets every
//! write through the page cache instead, from the first refusal on, and
//! nothing is lost.
//!
//! Errors: a failed write is kept for its table and returned by that
//! table's next write or flush (the run then fails, naming the output
//! folder, and its `.tmp` files are removed); the table's later chunks
//! are dropped.

use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

/// The bytes of each write but a flush's. The copy into the chunks is a
/// run's largest, and its cost depends on where the chunks' memory sits
/// in the caches. Side by side on `/tmp/c230` (two binaries, one per core,
/// CPU time, each pair of sets in both orders): on a quiet machine 512 KB
/// chunks (12 at most) took 0.996 and 0.937 of the time of 1 MB ones (16
/// at most), 0.988 and 0.954 of 256 KB ones (12), which took 1.7 to 2.5%
/// more than 1 MB; 128 KB (8) and 64 KB (12) took 4 to 8% more than 256 KB.
/// With three other jobs on the machine, 1 MB chunks took 5 to 15% more
/// than 256 KB. The disk takes 512 KB direct writes as fast as 1 MB ones.
pub(crate) const CHUNK: usize = 512 << 10;

/// Direct I/O wants buffers, offsets and lengths aligned to the device's
/// logical block (512 or 4096 bytes); 4096 covers both.
const ALIGN: usize = 4096;

/// At most this many chunks exist at a time: one being filled per table,
/// the rest queued for the writer thread or being written. A table that
/// needs one when none is free waits for the writer to finish one.
const CHUNKS_MAX: usize = 12;

/// Bytes on their way to a file: `len` bytes from `start`, which is aligned
/// to [`ALIGN`] when the allocator allows it (a chunk that is not only
/// makes its direct write fail and the file fall back to the page cache).
struct Chunk {
    buf: Box<[u8]>,
    start: usize,
    len: usize,
}

impl Chunk {
    fn new() -> Chunk {
        let buf = vec![0u8; CHUNK + ALIGN].into_boxed_slice();
        let start = buf.as_ptr().align_offset(ALIGN).min(ALIGN);
        Chunk { buf, start, len: 0 }
    }

    fn room(&self) -> usize {
        CHUNK - self.len
    }

    fn push(&mut self, bytes: &[u8]) {
        let at = self.start + self.len;
        self.buf[at..at + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.start + self.len]
    }
}

/// The chunks not in use, shared by the tables and the writer thread.
struct Pool {
    state: Mutex<PoolState>,
    returned: Condvar,
}

#[derive(Default)]
struct PoolState {
    free: Vec<Chunk>,
    /// Chunks made so far.
    made: usize,
    /// The writer thread is gone: no chunk will come back.
    stopped: bool,
}

impl Pool {
    /// A free chunk, emptied; a new one while fewer than [`CHUNKS_MAX`]
    /// exist; else waits for the writer thread to give one back. `None`
    /// once the writer thread is gone.
    fn take(&self) -> Option<Chunk> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(mut chunk) = state.free.pop() {
                chunk.len = 0;
                return Some(chunk);
            }
            if state.made < CHUNKS_MAX {
                state.made += 1;
                drop(state);
                return Some(Chunk::new());
            }
            if state.stopped {
                return None;
            }
            state = self.returned.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn give_back(&self, chunk: Chunk) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).free.push(chunk);
        self.returned.notify_one();
    }
}

/// Held by the writer thread: tells the tables waiting for a chunk when
/// the thread ends, however it ends (a panic included).
struct Stopped(Arc<Pool>);

impl Drop for Stopped {
    fn drop(&mut self) {
        self.0.state.lock().unwrap_or_else(PoisonError::into_inner).stopped = true;
        self.0.returned.notify_all();
    }
}

/// One file as the writer thread holds it.
struct Target {
    file: File,
    /// Writes still go around the page cache.
    direct: bool,
    /// The first failed write, until its table asks for it.
    error: Option<io::Error>,
    /// A write failed: the later ones are dropped.
    broken: bool,
    /// Bytes written, and where the ones not yet handed on to the disk
    /// start (page-cache writes only).
    written: u64,
    handed_on: u64,
}

enum Job {
    Write {
        table: usize,
        offset: u64,
        chunk: Chunk,
    },
    /// Replies, once every write before it is done, with the table's error.
    Sync {
        table: usize,
        done: SyncSender<io::Result<()>>,
    },
}

/// Page-cache writes are handed on to the disk every this many bytes.
const HAND_ON: u64 = 32 << 20;

/// The writer thread's loop: runs until every [`TableFile`] is dropped.
fn write_jobs(mut targets: Vec<Target>, jobs: Receiver<Job>, pool: Arc<Pool>, failed: Arc<AtomicBool>) {
    let _stopped = Stopped(Arc::clone(&pool));
    for job in jobs {
        match job {
            Job::Write { table, offset, chunk } => {
                let target = &mut targets[table];
                if !target.broken
                    && let Err(e) = target.write_all_at(chunk.bytes(), offset)
                {
                    target.error = Some(e);
                    target.broken = true;
                    failed.store(true, Ordering::Relaxed);
                }
                pool.give_back(chunk);
            }
            Job::Sync { table, done } => {
                let target = &mut targets[table];
                let result = match target.error.take() {
                    Some(e) => Err(e),
                    None if target.broken => Err(io::Error::other("an earlier write to this table failed")),
                    None => Ok(()),
                };
                let _ = done.send(result);
            }
        }
    }
}

impl Target {
    fn write_all_at(&mut self, mut bytes: &[u8], mut offset: u64) -> io::Result<()> {
        while !bytes.is_empty() {
            let n = if self.direct { bytes.len() - bytes.len() % ALIGN } else { bytes.len() };
            if self.direct && (n == 0 || !offset.is_multiple_of(ALIGN as u64)) {
                self.through_page_cache()?;
                continue;
            }
            match write_at(&self.file, &bytes[..n], offset) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(k) => {
                    bytes = &bytes[k..];
                    offset += k as u64;
                    self.wrote(offset);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if self.direct && e.kind() == io::ErrorKind::InvalidInput => self.through_page_cache()?,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Turns direct I/O off for the rest of the file.
    fn through_page_cache(&mut self) -> io::Result<()> {
        set_direct(&self.file, false)?;
        self.direct = false;
        self.handed_on = self.written;
        Ok(())
    }

    fn wrote(&mut self, end: u64) {
        self.written = self.written.max(end);
        if !self.direct && self.written - self.handed_on >= HAND_ON {
            hand_on(&self.file, self.handed_on, self.written - self.handed_on);
            self.handed_on = self.written;
        }
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::write_at(file, bytes, offset)
}

#[cfg(windows)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_write(file, bytes, offset)
}

/// Opens `file` for direct I/O where the system has it; `false` if not.
#[cfg(target_os = "linux")]
fn try_direct(file: &File) -> bool {
    set_direct(file, true).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn try_direct(_file: &File) -> bool {
    false
}

#[cfg(target_os = "linux")]
fn set_direct(file: &File, on: bool) -> io::Result<()> {
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    let flags = fcntl_getfl(file)?;
    let flags = if on { flags | OFlags::DIRECT } else { flags - OFlags::DIRECT };
    fcntl_setfl(file, flags)?;
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn set_direct(_file: &File, _on: bool) -> io::Result<()> {
    Ok(())
}

/// Tells the kernel that the bytes written will not be read back
/// (`POSIX_FADV_DONTNEED`), which on Linux starts writing them out at once.
/// Left alone, it starts only once gigabytes are dirty, and the flush
/// before the tables are renamed then waits for the rest. Advice only: its
/// failure changes nothing.
#[cfg(target_os = "linux")]
fn hand_on(file: &File, from: u64, len: u64) {
    use rustix::fs::{Advice, fadvise};
    let _ = fadvise(file, from, std::num::NonZeroU64::new(len), Advice::DontNeed);
}

#[cfg(not(target_os = "linux"))]
fn hand_on(_file: &File, _from: u64, _len: u64) {}

/// The writer thread's side of every table, shared by the [`TableFile`]s.
struct Writer {
    jobs: SyncSender<Job>,
    pool: Arc<Pool>,
    /// Some write failed: the tables ask for their errors.
    failed: Arc<AtomicBool>,
}

/// Starts the writer thread for `files` (direct I/O turned on where the
/// system allows, unless `direct` is false) and returns one [`TableFile`]
/// per file, in order. The thread ends once they are all dropped.
pub(crate) fn start(files: Vec<File>, direct: bool) -> io::Result<Vec<TableFile>> {
    let tables = files.len();
    let targets: Vec<Target> = files
        .into_iter()
        .map(|file| {
            let direct = direct && try_direct(&file);
            Target { file, direct, error: None, broken: false, written: 0, handed_on: 0 }
        })
        .collect();
    let pool = Arc::new(Pool { state: Mutex::new(PoolState::default()), returned: Condvar::new() });
    let failed = Arc::new(AtomicBool::new(false));
    // The queue holds what the pool lets exist: sending never blocks long.
    let (jobs, queue) = sync_channel(CHUNKS_MAX);
    let (thread_pool, thread_failed) = (Arc::clone(&pool), Arc::clone(&failed));
    std::thread::Builder::new()
        .name("dyad-tables".to_string())
        .spawn(move || write_jobs(targets, queue, thread_pool, thread_failed))?;
    let writer = Arc::new(Writer { jobs, pool, failed });
    Ok((0..tables).map(|table| TableFile { writer: Arc::clone(&writer), table, chunk: None, written: 0 }).collect())
}

/// A table's file: takes bytes, and hands them to the writer thread a
/// [`CHUNK`] at a time; [`flush`](io::Write::flush) returns once the file
/// holds every byte taken.
pub(crate) struct TableFile {
    writer: Arc<Writer>,
    table: usize,
    /// Taken, not yet handed on (none before the first byte).
    chunk: Option<Chunk>,
    /// Bytes handed on to the writer thread.
    written: u64,
}

impl TableFile {
    /// Hands the chunk on, if it holds anything.
    fn hand_chunk_on(&mut self) -> io::Result<()> {
        let Some(chunk) = self.chunk.take_if(|chunk| chunk.len > 0) else { return Ok(()) };
        let (offset, len) = (self.written, chunk.len);
        let job = Job::Write { table: self.table, offset, chunk };
        self.writer.jobs.send(job).map_err(|_| gone())?;
        self.written += len as u64;
        if self.writer.failed.load(Ordering::Relaxed) { self.sync() } else { Ok(()) }
    }

    /// Waits for every write handed on, and returns this table's error.
    fn sync(&mut self) -> io::Result<()> {
        let (done, reply) = sync_channel(1);
        self.writer.jobs.send(Job::Sync { table: self.table, done }).map_err(|_| gone())?;
        reply.recv().map_err(|_| gone())?
    }
}

/// The writer thread stopped (it panicked).
fn gone() -> io::Error {
    io::Error::other("the thread writing the tables stopped")
}

impl io::Write for TableFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_vectored(&[io::IoSlice::new(buf)])
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        let mut taken = 0;
        for buf in bufs {
            let mut rest: &[u8] = buf;
            while !rest.is_empty() {
                let chunk = match self.chunk.take() {
                    Some(chunk) => chunk,
                    None => self.writer.pool.take().ok_or_else(gone)?,
                };
                let chunk = self.chunk.insert(chunk);
                let n = rest.len().min(chunk.room());
                chunk.push(&rest[..n]);
                rest = &rest[n..];
                taken += n;
                if chunk.room() == 0 {
                    self.hand_chunk_on()?;
                }
            }
        }
        Ok(taken)
    }

    /// Hands on what is taken and waits until the file holds it.
    fn flush(&mut self) -> io::Result<()> {
        self.hand_chunk_on()?;
        self.sync()
    }
}

impl Drop for TableFile {
    /// Best effort, as `BufWriter` does: a table the report finished is
    /// already flushed, with its errors reported.
    fn drop(&mut self) {
        let _ = io::Write::flush(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::io::{IoSlice, Write};

    /// Every byte taken reaches the file, in order, whatever the sizes of
    /// the pieces (empty, small, straddling one or several chunks) and
    /// however they come (one slice or several, a flush midway), with
    /// direct I/O and without.
    #[test]
    fn a_table_file_writes_every_byte_in_order() {
        for direct in [true, false] {
            let dir = std::env::temp_dir().join(format!("dyad-table-file-{}-{direct}", std::process::id()));
            fs::create_dir_all(&dir).expect("temp dir");
            let paths: Vec<_> = (0..3).map(|i| dir.join(format!("{i}.csv"))).collect();
            let files = paths.iter().map(|p| File::create(p).expect("temp file")).collect();
            let mut tables = start(files, direct).expect("writer thread");
            let mut want = vec![Vec::new(); 3];
            let mut seed = 12_345_u64;
            let mut next = |below: u64| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                (seed >> 33) % below
            };
            let chunk = CHUNK as u64;
            // Bytes to cut the pieces from: a piece is a slice at a random place.
            let mut state = 99_u32;
            let pattern: Vec<u8> = (0..3 * CHUNK)
                .map(|_| {
                    state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    b'a' + (state >> 24) as u8 % 26
                })
                .collect();
            for round in 0..120 {
                let t = next(3) as usize;
                let pieces: Vec<Vec<u8>> = (0..=next(4))
                    .map(|_| {
                        let len = match next(5) {
                            0 => 0,
                            1 => next(5000),
                            2 => chunk - 1 + next(3),
                            3 => chunk / 3 + next(chunk / 2),
                            _ => next(70_000),
                        };
                        let from = next(chunk) as usize;
                        pattern[from..from + len as usize].to_vec()
                    })
                    .collect();
                let taken = if round % 3 == 0 {
                    pieces.iter().map(|p| tables[t].write(p).expect("write")).sum()
                } else {
                    let slices: Vec<IoSlice<'_>> = pieces.iter().map(|p| IoSlice::new(p)).collect();
                    tables[t].write_vectored(&slices).expect("vectored write")
                };
                assert_eq!(taken, pieces.iter().map(Vec::len).sum::<usize>());
                pieces.iter().for_each(|p| want[t].extend_from_slice(p));
                if round == 60 {
                    tables[t].flush().expect("flush midway");
                    assert!(fs::read(&paths[t]).expect("read back") == want[t], "midway");
                }
            }
            for (t, table) in tables.iter_mut().enumerate() {
                table.flush().expect("flush");
                assert!(fs::read(&paths[t]).expect("read back") == want[t], "direct {direct}, table {t}");
            }
            drop(tables);
            let _ = fs::remove_dir_all(&dir);
        }
    }

    /// A table waiting for a chunk when every one is out is told when the
    /// writer thread ends (as on a panic), rather than waiting forever.
    #[test]
    fn a_table_waiting_for_a_chunk_learns_that_the_writer_stopped() {
        let state = PoolState { made: CHUNKS_MAX, ..PoolState::default() };
        let pool = Arc::new(Pool { state: Mutex::new(state), returned: Condvar::new() });
        let waiter = {
            let pool = Arc::clone(&pool);
            std::thread::spawn(move || pool.take().is_none())
        };
        drop(Stopped(Arc::clone(&pool)));
        assert!(waiter.join().expect("the waiter does not panic"), "no chunk once the writer is gone");
        pool.give_back(Chunk::new());
        assert!(pool.take().is_some(), "a chunk given back is still handed out");
    }

    /// A write the file refuses is returned by the table's next write or
    /// flush, not lost.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_failed_write_is_returned() {
        let path = std::env::temp_dir().join(format!("dyad-table-file-ro-{}", std::process::id()));
        fs::write(&path, b"").expect("temp file");
        let read_only = File::open(&path).expect("open");
        let mut tables = start(vec![read_only], true).expect("writer thread");
        // The error comes back from the write that hands the chunk on when
        // the writer thread is quick enough, else from the flush.
        let written = tables[0].write_all(&vec![b'x'; CHUNK + 10]);
        let err = written.and_then(|()| tables[0].flush()).expect_err("the file is read-only");
        assert_eq!(err.raw_os_error(), Some(9), "EBADF: {err}");
        drop(tables);
        let _ = fs::remove_file(&path);
    }
}
