//! `load`: one source -> documents, or a `skipped`/`error` failure with a
//! diagnostic. Never panics, never aborts the batch.

use crate::decode::{self, DecodeError};
use crate::jsonl::{self, Line};
use crate::{IngestConfig, Loaded, Rejected, Source, dates, html, parse_article};
use dyad_core::{Diagnostic, Document, Severity};
use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// Extensions `load` reads (compared case-insensitively): plain text and
/// Markdown, HTML pages, JSON Lines exports.
pub const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm", "jsonl", "ndjson"];

/// How a supported file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// Plain text or Markdown: the text is the document.
    Plain,
    /// An HTML page: the document is its extracted text.
    Html,
    /// One article per line.
    Jsonl,
}

fn format_of(ext: &str) -> Option<Format> {
    // Compared ignoring case in place: no lower-cased copy per file.
    const FORMATS: [(&str, Format); 7] = [
        ("txt", Format::Plain),
        ("md", Format::Plain),
        ("markdown", Format::Plain),
        ("html", Format::Html),
        ("htm", Format::Html),
        ("jsonl", Format::Jsonl),
        ("ndjson", Format::Jsonl),
    ];
    FORMATS.iter().find(|(known, _)| known.eq_ignore_ascii_case(ext)).map(|&(_, format)| format)
}

/// The format of a file at `path`, by its extension; an extension that is
/// not UTF-8 is none of the supported ones.
fn format_of_path(path: &Path) -> Option<Format> {
    path.extension().and_then(|e| e.to_str()).and_then(format_of)
}

/// Reads and parses one source. Never panics on any input.
///
/// Failures, checked in this order: a symbolic link that is broken or
/// cannot be followed (a loop) (`skipped`); the file cannot be inspected
/// (`error`, the OS message); a folder (`error`, or `skipped` for a link to
/// a folder already read); not a regular file (`skipped`); unsupported
/// extension (`skipped`, "unsupported file type .xyz"); larger than
/// `cfg.max_bytes` (`skipped`); empty (`skipped`); cannot be read
/// (`error`); binary: a known signature, NUL bytes, or control characters
/// (`skipped`); undecodable (`error`); no text once decoded or extracted
/// (`skipped`). Each failure gives exactly one diagnostic of stage
/// `ingest`.
///
/// A file that is not UTF-8 is decoded (UTF-16/32 by its byte-order mark,
/// else Windows-1252 or Latin-1) with a warning. An HTML page gives one
/// document of its extracted text; so does a `.txt` file that is an HTML
/// page, with a warning. A JSON Lines export gives one document per good
/// line (id `<source id>#<id field or line number>`) and a `skipped`
/// [`Rejected`] entry plus a warning for each bad line.
pub fn load(source: &Source, cfg: &IngestConfig) -> Loaded {
    outcome(source, read(source, cfg).and_then(|(format, bytes)| documents(source, format, bytes)))
}

/// What [`load`] gives for a file of extension `ext` holding `bytes`,
/// without touching the file system: the pure part of `load`, for tests
/// and fuzzing. `source.path` is not read. Never panics.
pub fn load_bytes(source: &Source, ext: &str, bytes: &[u8], cfg: &IngestConfig) -> Loaded {
    let checked = match format_of(ext) {
        None => Err(Failure::Unsupported(Some(ext.to_string()))),
        Some(_) if bytes.len() as u64 > cfg.max_bytes.min(u64::from(u32::MAX)) => {
            Err(Failure::TooLarge { size: bytes.len() as u64, limit: cfg.max_bytes.min(u64::from(u32::MAX)) })
        }
        Some(format) => Ok(format),
    };
    outcome(source, checked.and_then(|format| documents(source, format, bytes.to_vec())))
}

fn outcome(source: &Source, result: Result<Loaded, Failure>) -> Loaded {
    match result {
        Ok(loaded) => loaded,
        Err(failure) => {
            let reason = failure.reason();
            Loaded {
                documents: Vec::new(),
                rejected: Vec::new(),
                diagnostics: vec![diagnostic(source, failure.severity(), reason.clone())],
                failure: Some((failure.status(), reason)),
            }
        }
    }
}

fn diagnostic(source: &Source, severity: Severity, message: String) -> Diagnostic {
    Diagnostic { path: source.display.clone(), stage: "ingest", severity, message }
}

/// Why a source gave no document.
#[derive(Debug)]
enum Failure {
    Io(io::Error),
    BrokenLink,
    LinkUnfollowable(io::Error),
    Directory(Option<io::Error>),
    LinkedDirectory,
    NotRegular,
    Unsupported(Option<String>),
    TooLarge { size: u64, limit: u64 },
    Empty,
    Decode(DecodeError),
    NoHtmlText,
}

impl Failure {
    fn is_error(&self) -> bool {
        matches!(
            self,
            Failure::Io(_)
                | Failure::Directory(_)
                | Failure::Decode(DecodeError::Invalid { .. } | DecodeError::Unknown { .. })
        )
    }

    fn status(&self) -> &'static str {
        if self.is_error() { "error" } else { "skipped" }
    }

    fn severity(&self) -> Severity {
        match self {
            _ if self.is_error() => Severity::Error,
            // Expected in a mixed folder (images, PDFs, linked folders):
            // worth a note only.
            Failure::NotRegular | Failure::Unsupported(_) | Failure::LinkedDirectory => Severity::Info,
            _ => Severity::Warning,
        }
    }

    fn reason(&self) -> String {
        match self {
            Failure::Io(e) => format!("cannot read: {e}"),
            Failure::BrokenLink => "broken symbolic link: its target does not exist".to_string(),
            Failure::LinkUnfollowable(e) => format!("symbolic link cannot be followed (a loop?): {e}"),
            Failure::Directory(Some(e)) => format!("cannot list folder: {e}"),
            Failure::Directory(None) => "is a folder".to_string(),
            Failure::LinkedDirectory => {
                "symbolic link to a folder already read (a loop or a second path): its files are listed once"
                    .to_string()
            }
            Failure::NotRegular => "not a regular file".to_string(),
            Failure::Unsupported(Some(ext)) => format!("unsupported file type .{ext}"),
            Failure::Unsupported(None) => "unsupported file type (no extension)".to_string(),
            Failure::TooLarge { size, limit } => {
                format!("file too large: {size} bytes (limit {limit} bytes, set with --max-size)")
            }
            Failure::Empty => "empty file".to_string(),
            Failure::Decode(DecodeError::Binary { kind: Some(kind) }) => format!("binary file ({kind})"),
            Failure::Decode(DecodeError::Binary { kind: None }) => "binary file".to_string(),
            Failure::Decode(DecodeError::Invalid { encoding, at }) => {
                format!("not valid {} at byte {at}", encoding.name())
            }
            Failure::Decode(DecodeError::Unknown { utf8_error_at, high_percent }) => format!(
                "unknown text encoding: not valid UTF-8 at byte {utf8_error_at}, and {high_percent}% of the \
                 bytes are non-ASCII, too many for Windows-1252; convert the file to UTF-8"
            ),
            Failure::NoHtmlText => "no article text in the HTML page".to_string(),
        }
    }
}

/// The source's format and bytes.
///
/// The common case, a supported file that is a regular file, costs one
/// path lookup: the file is opened (non-blocking, so a FIFO cannot stall
/// the batch) and inspected through its handle. Anything else (an open
/// that fails, a folder, a special file) and every unsupported file go
/// through [`inspect`], which looks the path up as many times as its
/// diagnostics need; the open file is closed first. Both give the same
/// result for every file, only the system calls differ.
fn read(source: &Source, cfg: &IngestConfig) -> FormatBytes {
    let path = &source.path;
    let Some(format) = format_of_path(path) else {
        return inspect(path, cfg);
    };
    match open_regular(path) {
        Some((file, len)) => read_open(path, file, len, format, cfg),
        None => inspect(path, cfg),
    }
}

/// `path` opened for reading, with its length, when it opens and is a
/// regular file (through a link or not); `None` otherwise, the file
/// closed.
#[cfg(not(target_os = "linux"))]
fn open_regular(path: &Path) -> Option<(fs::File, u64)> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    // Opening a FIFO for reading blocks until a writer comes, unless it is
    // opened non-blocking; on a regular file the flag changes nothing.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).ok()?;
    let meta = file.metadata().ok()?;
    meta.is_file().then_some((file, meta.len()))
}

/// `path` opened for reading, with its length, when it opens and is a
/// regular file (through a link or not); `None` otherwise, the file
/// closed.
///
/// A file is opened by its name in its folder, held open from the file
/// before ([`Folder`]): the kernel then looks up one name, not every
/// folder of the path again (a third of the system time of reading a
/// file of a few kilobytes). Its type and length come from `fstat`, which,
/// unlike the `statx` of `File::metadata`, copies no path in.
#[cfg(target_os = "linux")]
fn open_regular(path: &Path) -> Option<(fs::File, u64)> {
    use rustix::fs::{FileType, Mode, OFlags};
    // Opening a FIFO for reading blocks until a writer comes, unless it is
    // opened non-blocking; on a regular file the flag changes nothing.
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = match split_folder(path) {
        Some((dir, name)) => FOLDER.with_borrow_mut(|folder| folder.open(dir, name, flags)),
        None => rustix::fs::open(path, flags, Mode::empty()),
    }
    .ok()?;
    let stat = rustix::fs::fstat(&fd).ok()?;
    let regular = FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile;
    // A regular file's size is never negative.
    regular.then(|| (fs::File::from(fd), u64::try_from(stat.st_size).unwrap_or(0)))
}

/// What [`prefetch`] found of a source's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefetch {
    /// Its first bytes are in the page cache: nothing was asked of the
    /// disk.
    Cached,
    /// They were not: the kernel was asked to start reading the whole file
    /// (`POSIX_FADV_WILLNEED`), and the call returned without waiting.
    Started,
    /// Not a supported regular file that opens, or a system that cannot
    /// tell: left to [`load`] and its diagnostics.
    Unknown,
}

/// Starts reading `source`'s file into the page cache when it is not
/// there yet, without waiting for the disk: for reading ahead of [`load`]
/// on another thread, so that a corpus that is not cached costs the workers
/// no wait. Reads one byte at most, and only of a regular file of a
/// supported type; never panics, never fails (whatever goes wrong is
/// [`Prefetch::Unknown`], for `load` to report).
///
/// Whether the file is cached is learnt from a read that may not wait
/// (`preadv2` with `RWF_NOWAIT`), which fails when the page is not in the
/// cache. Elsewhere than on Linux, always [`Prefetch::Unknown`].
#[cfg(target_os = "linux")]
pub fn prefetch(source: &Source) -> Prefetch {
    use rustix::fs::Advice;
    use rustix::io::{Errno, ReadWriteFlags};
    // Opened as `read` opens it, through the folder this thread holds.
    let opened = format_of_path(&source.path).and_then(|_| open_regular(&source.path));
    let Some((file, _)) = opened.filter(|&(_, len)| len > 0) else {
        return Prefetch::Unknown;
    };
    let mut byte = [0u8; 1];
    match rustix::io::preadv2(&file, &mut [io::IoSliceMut::new(&mut byte)], 0, ReadWriteFlags::NOWAIT) {
        Ok(_) => Prefetch::Cached,
        Err(Errno::AGAIN) => match rustix::fs::fadvise(&file, 0, None, Advice::WillNeed) {
            Ok(()) => Prefetch::Started,
            Err(_) => Prefetch::Unknown,
        },
        Err(_) => Prefetch::Unknown,
    }
}

/// Starts reading `source`'s file into the page cache (Linux only).
#[cfg(not(target_os = "linux"))]
pub fn prefetch(_source: &Source) -> Prefetch {
    Prefetch::Unknown
}

/// `path` as (folder, name) when opening the name in the folder opens
/// exactly what opening `path` does: the name is the part after the last
/// `/`, neither empty, `.` nor `..`, and the folder the non-empty part
/// before it (`/` for a file at the root).
#[cfg(target_os = "linux")]
fn split_folder(path: &Path) -> Option<(&[u8], &[u8])> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let slash = memchr::memrchr(b'/', bytes)?;
    let name = &bytes[slash + 1..];
    if matches!(name, b"" | b"." | b"..") {
        return None;
    }
    Some((&bytes[..slash.max(1)], name))
}

/// The folder of the file a thread opened last, held open (`O_PATH`, which
/// reads nothing) so that the next file in it is opened by name. Files come
/// sorted by path, so one folder serves a run of files.
///
/// A folder is held for one listing at most: [`discover`](crate::discover)
/// starts a new one, so a folder replaced between two runs is looked up
/// anew. Should it be moved during a run, a file opened through it is still
/// the file of that name in that folder; one that does not open goes
/// through [`inspect`], by its path, as before.
#[cfg(target_os = "linux")]
#[derive(Default)]
struct Folder {
    /// The folder's path as the file's path spells it.
    path: Vec<u8>,
    /// The [`LISTING`] it was opened in.
    listing: u64,
    fd: Option<std::os::fd::OwnedFd>,
}

/// How many times [`discover`](crate::discover) has listed an input: a
/// [`Folder`] opened in an earlier listing is not used again.
pub(crate) static LISTING: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

#[cfg(target_os = "linux")]
impl Folder {
    /// Opens `name` in folder `dir` with `flags`, first opening `dir` when
    /// it is not the folder held.
    fn open(&mut self, dir: &[u8], name: &[u8], flags: rustix::fs::OFlags) -> rustix::io::Result<std::os::fd::OwnedFd> {
        use rustix::fs::{Mode, OFlags};
        let listing = LISTING.load(std::sync::atomic::Ordering::Relaxed);
        let held = match &self.fd {
            Some(fd) if self.path == dir && self.listing == listing => fd,
            _ => {
                self.fd = None;
                self.path.clear();
                self.path.extend_from_slice(dir);
                self.listing = listing;
                let opened = rustix::fs::open(dir, OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
                self.fd.insert(opened)
            }
        };
        rustix::fs::openat(held, name, flags, Mode::empty())
    }
}

#[cfg(target_os = "linux")]
thread_local! {
    static FOLDER: std::cell::RefCell<Folder> = std::cell::RefCell::default();
}

/// [`read`] by path: the failures in the order [`load`] documents them.
fn inspect(path: &Path, cfg: &IngestConfig) -> FormatBytes {
    let link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if link && e.kind() == io::ErrorKind::NotFound => return Err(Failure::BrokenLink),
        Err(e) if link => return Err(Failure::LinkUnfollowable(e)),
        Err(e) => return Err(Failure::Io(e)),
    };
    if meta.is_dir() {
        return match fs::read_dir(path) {
            Err(e) => Err(Failure::Directory(Some(e))),
            // discover hands over a linked folder only when it was walked already.
            Ok(_) if link => Err(Failure::LinkedDirectory),
            Ok(_) => Err(Failure::Directory(None)),
        };
    }
    if !meta.is_file() {
        return Err(Failure::NotRegular);
    }
    let ext = path.extension().map(|e| e.to_string_lossy().into_owned());
    let Some(format) = ext.as_deref().and_then(format_of) else {
        return Err(Failure::Unsupported(ext));
    };
    let file = fs::File::open(path).map_err(Failure::Io)?;
    read_open(path, file, meta.len(), format, cfg)
}

/// The bytes of the open regular file at `path`, listed as `len` bytes
/// long: too large when either the listing or what is read passes the
/// limit.
fn read_open(path: &Path, file: fs::File, len: u64, format: Format, cfg: &IngestConfig) -> FormatBytes {
    let limit = cfg.max_bytes.min(u64::from(u32::MAX));
    if len > limit {
        return Err(Failure::TooLarge { size: len, limit });
    }
    // A file listed with a length is read up to that length: the read that
    // reaches it ends the reading, and no second read looks for the end of
    // the file. Bytes appended since it was listed are not read (a file
    // still being written is caught at one moment or another either way).
    // One listed as empty (`/proc` lists its files so) is read to its end,
    // at most one byte past the limit.
    let want = if len > 0 { len } else { limit.saturating_add(1) };
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(want).read_to_end(&mut bytes).map_err(Failure::Io)?;
    if bytes.len() as u64 > limit {
        let size = fs::metadata(path).map(|m| m.len()).unwrap_or(bytes.len() as u64);
        return Err(Failure::TooLarge { size, limit });
    }
    Ok((format, bytes))
}

/// What [`read`] gives.
type FormatBytes = Result<(Format, Vec<u8>), Failure>;

/// The documents of a source's bytes.
fn documents(source: &Source, format: Format, bytes: Vec<u8>) -> Result<Loaded, Failure> {
    if bytes.is_empty() {
        return Err(Failure::Empty);
    }
    let decoded = decode::decode(bytes).map_err(Failure::Decode)?;
    // Transcoding can grow a text past what a span can index.
    if u32::try_from(decoded.text.len()).is_err() {
        return Err(Failure::TooLarge { size: decoded.text.len() as u64, limit: u64::from(u32::MAX) });
    }
    if decoded.text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').is_empty() {
        return Err(Failure::Empty);
    }
    let mut loaded = Loaded::default();
    if let Some(note) = &decoded.note {
        loaded.diagnostics.push(diagnostic(
            source,
            Severity::Warning,
            format!("{note}; offsets refer to the UTF-8 text (see --emit-text)"),
        ));
    }
    let text = decoded.text;
    match format {
        Format::Plain if looks_like_html(&text) => {
            loaded.diagnostics.push(diagnostic(
                source,
                Severity::Warning,
                "an HTML page: read as HTML; offsets refer to the extracted text (see --emit-text)".to_string(),
            ));
            loaded.documents.push(from_html(source, &text)?);
        }
        Format::Plain => loaded.documents.push(parse_article(&source.id, &source.display, text)),
        Format::Html => loaded.documents.push(from_html(source, &text)?),
        Format::Jsonl => {
            let lines = jsonl::parse(&text);
            if lines.is_empty() {
                return Err(Failure::Empty);
            }
            for line in lines {
                match line {
                    Line::Record(rec) => {
                        let id = format!("{}#{}", source.id, rec.key);
                        let mut doc = parse_article(&id, &source.display, rec.text);
                        set_meta(&mut doc, rec.title, rec.author, rec.published, rec.url);
                        loaded.documents.push(doc);
                    }
                    Line::Bad(bad) => {
                        loaded.diagnostics.push(diagnostic(source, Severity::Warning, bad.reason.clone()));
                        loaded.rejected.push(Rejected {
                            after_documents: loaded.documents.len(),
                            id: format!("{}#{}", source.id, bad.key),
                            status: "skipped",
                            reason: bad.reason,
                        });
                    }
                }
            }
        }
    }
    Ok(loaded)
}

/// A `.txt` file that is really a saved web page.
fn looks_like_html(text: &str) -> bool {
    let head = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let head = head.get(..14).unwrap_or(head);
    let lower = head.to_ascii_lowercase();
    lower.starts_with("<!doctype html") || lower.starts_with("<html")
}

fn from_html(source: &Source, html_text: &str) -> Result<Document, Failure> {
    let extracted = html::extract(html_text);
    if extracted.text.is_empty() {
        return Err(Failure::NoHtmlText);
    }
    let mut doc = parse_article(&source.id, &source.display, extracted.text);
    let published = extracted.published.as_deref().and_then(dates::normalise);
    set_meta(&mut doc, extracted.title, extracted.author, published, extracted.url);
    Ok(doc)
}

/// Metadata the source states outright wins over what the text suggests.
fn set_meta(
    doc: &mut Document,
    title: Option<String>,
    author: Option<String>,
    published: Option<String>,
    url: Option<String>,
) {
    let meta = &mut doc.meta;
    meta.title = title.or(meta.title.take());
    meta.author = author.or(meta.author.take());
    meta.published = published.or(meta.published.take());
    meta.url = url.or(meta.url.take());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path is split at its last `/` only when its last part is a name;
    /// a file at the root keeps `/` as its folder.
    #[cfg(target_os = "linux")]
    #[test]
    fn paths_split_into_folder_and_name() {
        fn split(path: &str) -> Option<(&[u8], &[u8])> {
            split_folder(Path::new(path))
        }
        assert_eq!(split("/tmp/c/part-1/doc.txt"), Some((&b"/tmp/c/part-1"[..], &b"doc.txt"[..])));
        assert_eq!(split("in/f.txt"), Some((&b"in"[..], &b"f.txt"[..])));
        assert_eq!(split("in//f.txt"), Some((&b"in/"[..], &b"f.txt"[..])));
        assert_eq!(split("/f.txt"), Some((&b"/"[..], &b"f.txt"[..])));
        assert_eq!(split("/é/ü.md"), Some(("/é".as_bytes(), "ü.md".as_bytes())));
        for path in ["f.txt", "in/", "in/.", "in/..", "/", ""] {
            assert_eq!(split(path), None, "{path}");
        }
    }

    /// Every supported extension has its format in any case; nothing else
    /// has one.
    #[test]
    fn formats_by_extension_ignore_case() {
        for ext in SUPPORTED_EXTENSIONS {
            let format = format_of(ext);
            assert!(format.is_some(), "{ext}");
            assert_eq!(format_of(&ext.to_ascii_uppercase()), format, "{ext}");
        }
        assert_eq!(format_of("Md"), Some(Format::Plain));
        assert_eq!(format_of("HTM"), Some(Format::Html));
        assert_eq!(format_of("NDJSON"), Some(Format::Jsonl));
        for ext in ["", "t", "tx", "txt2", "pdf", "json", "html5", "ｔｘｔ"] {
            assert_eq!(format_of(ext), None, "{ext}");
        }
    }
}
