//! `discover`: an input path -> the sorted list of files to load.

use crate::{IngestError, Source};
use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};

/// Every file under `input` (or `input` itself), sorted by id.
///
/// A folder is walked recursively. Hidden entries (a name starting with `.`)
/// and the corpus's own notes (`README`, `README.md` in any case, names
/// ending in `.gold`) are skipped silently. Every other file is returned,
/// whatever its extension, so [`load`](crate::load) can account for it.
/// Symlinks are followed, but a folder whose canonical path was already
/// walked is not walked again, so symlink loops end; such a link is
/// returned as a source of its own, which loading reports as skipped, so
/// every entry is accounted for. A sub-folder that cannot be listed is
/// returned as a source of its own too: loading it reports why.
///
/// A single file given as `input` is returned as is, even when its name
/// would be skipped in a folder: the user asked for it.
///
/// Fails only when `input` itself cannot be read.
pub fn discover(input: &Path) -> Result<Vec<Source>, IngestError> {
    // Folders `load` holds open from an earlier listing are looked up anew.
    crate::load::LISTING.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let given = slashed(&input.to_string_lossy());
    let io_err = |source| IngestError::Io { path: given.clone(), source };
    let meta = fs::metadata(input).map_err(io_err)?;
    if !meta.is_dir() {
        let id = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| given.clone());
        return Ok(vec![Source { path: input.to_path_buf(), display: given.clone(), id }]);
    }

    let mut lister = Lister::default();
    let root_entries = lister.sorted_entries(input, "").map_err(io_err)?;
    let mut visited = BTreeSet::new();
    if let Ok(canonical) = fs::canonicalize(input) {
        visited.insert(canonical);
    }

    let mut found: Vec<(String, PathBuf)> = Vec::new();
    // Folders still to list, with their entries when already listed.
    let mut stack: Vec<Pending> = vec![(String::new(), input.to_path_buf(), Some(root_entries))];
    while let Some((prefix, dir, listed)) = stack.pop() {
        let entries = match listed {
            Some(entries) => entries,
            None => match lister.sorted_entries(&dir, &prefix) {
                Ok(entries) => entries,
                Err(_) => {
                    // Unreadable sub-folder: load reports the OS error.
                    found.push((prefix.trim_end_matches('/').to_string(), dir));
                    continue;
                }
            },
        };
        let mut subdirs = Vec::new();
        for entry in entries {
            let path = joined(&dir, entry.name_on_disk(prefix.len()));
            let Entry { mut id, kind, .. } = entry;
            if kind.is_dir(&path) {
                let fresh = match fs::canonicalize(&path) {
                    Ok(canonical) => visited.insert(canonical),
                    Err(_) => true,
                };
                if fresh {
                    id.push('/');
                    subdirs.push((id, path, None));
                } else if kind.is_symlink(&path) {
                    found.push((id, path));
                }
            } else if !is_corpus_note(&id[prefix.len()..]) {
                // Files, special files and broken links alike: load decides.
                found.push((id, path));
            }
        }
        // Reverse so the stack pops sub-folders in name order.
        stack.extend(subdirs.into_iter().rev());
    }

    // Already in order when every folder's files sort after the folders
    // beside it (a corpus of folders of files): the stable sort then only
    // checks that in one pass.
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found.into_iter().map(|(id, path)| Source { path, display: join_display(&given, &id), id }).collect())
}

/// One folder entry that is not hidden, as listed.
#[derive(Default)]
struct Entry {
    /// The folder's id prefix and the entry's name, made valid UTF-8: the
    /// entry's id (a file's, or a folder's without its `/`). Built here,
    /// so that the name is copied once.
    id: String,
    /// The name as the file system spells it, when that is not valid
    /// UTF-8 (`id` then holds its lossy form).
    raw: Option<OsString>,
    kind: Kind,
}

impl Entry {
    /// A listed entry of the folder of id prefix `prefix`; `raw` when
    /// `name` is the lossy form of the name on disk.
    fn new(prefix: &str, name: &str, raw: Option<OsString>, kind: Kind) -> Entry {
        let mut id = String::with_capacity(prefix.len() + name.len());
        id.push_str(prefix);
        id.push_str(name);
        Entry { id, raw, kind }
    }

    /// The name as the file system spells it, `prefix_len` being the
    /// length of the folder's id prefix.
    fn name_on_disk(&self, prefix_len: usize) -> &OsStr {
        self.raw.as_deref().unwrap_or_else(|| OsStr::new(&self.id[prefix_len..]))
    }
}

/// An entry's type as the folder listing gives it (most file systems
/// store it there), so telling files from folders needs no `stat` per
/// entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Kind {
    Dir,
    Symlink,
    /// A file or a special file.
    #[default]
    Other,
    /// The listing does not say.
    Unknown,
}

impl Kind {
    /// A folder, or a link to one (followed, as `fs::metadata` does).
    fn is_dir(self, path: &Path) -> bool {
        match self {
            Kind::Dir => true,
            Kind::Other => false,
            // A link (or an unknown type): only its target tells.
            Kind::Symlink | Kind::Unknown => fs::metadata(path).is_ok_and(|m| m.is_dir()),
        }
    }

    fn is_symlink(self, path: &Path) -> bool {
        match self {
            Kind::Symlink => true,
            Kind::Dir | Kind::Other => false,
            Kind::Unknown => fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()),
        }
    }
}

/// A folder still to list: its id prefix (`a/b/`), its path, and its
/// entries when already listed.
type Pending = (String, PathBuf, Option<Vec<Entry>>);

/// Lists folders, keeping what one listing needs for the next.
#[derive(Default)]
struct Lister {
    /// The buffer the kernel fills with a folder's entries.
    #[cfg(target_os = "linux")]
    buf: Vec<u8>,
    /// The names of the folder's entries but hidden ones, one after another.
    #[cfg(target_os = "linux")]
    names: Vec<u8>,
    /// Where each name starts and ends in `names`, with its entry's type.
    #[cfg(target_os = "linux")]
    listed: Vec<(usize, usize, Kind)>,
}

impl Lister {
    /// The entries of `dir` but hidden ones (a name starting with `.`),
    /// with ids under `prefix`, sorted by name bytes (then by the names on
    /// disk, for two names alike once made valid UTF-8).
    fn sorted_entries(&mut self, dir: &Path, prefix: &str) -> std::io::Result<Vec<Entry>> {
        let mut entries = self.entries(dir, prefix)?;
        // Sorted as (key, index) pairs of 24 bytes, then the entries (72
        // bytes each) moved once into that order: a folder's listing comes
        // in no useful order (hash order on ext4), and the sort moves its
        // elements some ten times each. The pairs are compared as three
        // numbers, inline; only names alike in their first sixteen bytes
        // (equal keys, rare) are then put in order by their whole names,
        // then by their names on disk (two names alike once made valid
        // UTF-8). No two entries are equal, so an unstable sort gives the
        // stable sort's order.
        let at = prefix.len();
        let mut order: Vec<(Key, usize)> =
            entries.iter().enumerate().map(|(i, entry)| (name_key(&entry.id[at..]), i)).collect();
        order.sort_unstable();
        for alike in order.chunk_by_mut(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
            alike.sort_unstable_by(|(_, a), (_, b)| {
                let (a, b) = (&entries[*a], &entries[*b]);
                a.id.cmp(&b.id).then_with(|| a.name_on_disk(at).cmp(b.name_on_disk(at)))
            });
        }
        Ok(order.into_iter().map(|(_, i)| std::mem::take(&mut entries[i])).collect())
    }

    /// The entries of `dir`, read straight from the kernel's listing into
    /// the reused buffer: no allocation per entry but its id (where
    /// `fs::read_dir` copies each name twice and counts a shared handle).
    #[cfg(target_os = "linux")]
    fn entries(&mut self, dir: &Path, prefix: &str) -> std::io::Result<Vec<Entry>> {
        use rustix::fs::{FileType, Mode, OFlags, RawDir};
        use std::os::unix::ffi::OsStrExt;
        let fd = rustix::fs::open(dir, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
        if self.buf.capacity() == 0 {
            // As much as glibc's `readdir` asks for at once.
            self.buf.reserve(32 * 1024);
        }
        let Lister { buf, names, listed } = self;
        // Cleared here too: a listing that failed half-way left its part.
        names.clear();
        listed.clear();
        let mut listing = RawDir::new(&fd, buf.spare_capacity_mut());
        while let Some(entry) = listing.next() {
            let entry = entry?;
            let name = entry.file_name().to_bytes();
            // Hidden entries, `.` and `..` among them.
            if name.first() == Some(&b'.') {
                continue;
            }
            let kind = match entry.file_type() {
                FileType::Directory => Kind::Dir,
                FileType::Symlink => Kind::Symlink,
                FileType::Unknown => Kind::Unknown,
                _ => Kind::Other,
            };
            let start = names.len();
            names.extend_from_slice(name);
            listed.push((start, names.len(), kind));
        }
        // One UTF-8 check of all the names, not one a name (whose setup
        // costs more than checking fifteen bytes): a name that is a whole
        // slice of valid text is valid itself.
        let all = std::str::from_utf8(names).ok();
        let entries = listed.drain(..).map(|(start, end, kind)| match all.and_then(|all| all.get(start..end)) {
            Some(name) => Entry::new(prefix, name, None, kind),
            None => {
                let name = &names[start..end];
                match std::str::from_utf8(name) {
                    Ok(name) => Entry::new(prefix, name, None, kind),
                    Err(_) => {
                        let lossy = String::from_utf8_lossy(name);
                        Entry::new(prefix, &lossy, Some(OsStr::from_bytes(name).into()), kind)
                    }
                }
            }
        });
        Ok(entries.collect())
    }

    /// The entries of `dir`, through `fs::read_dir`.
    #[cfg(not(target_os = "linux"))]
    fn entries(&mut self, dir: &Path, prefix: &str) -> std::io::Result<Vec<Entry>> {
        let mut entries = Vec::new();
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let kind = match entry.file_type() {
                Ok(t) if t.is_dir() => Kind::Dir,
                Ok(t) if t.is_symlink() => Kind::Symlink,
                Ok(_) => Kind::Other,
                Err(_) => Kind::Unknown,
            };
            let entry = match entry.file_name().into_string() {
                Ok(name) => Entry::new(prefix, &name, None, kind),
                Err(raw) => {
                    let lossy = raw.to_string_lossy().into_owned();
                    Entry::new(prefix, &lossy, Some(raw), kind)
                }
            };
            if !entry.id[prefix.len()..].starts_with('.') {
                entries.push(entry);
            }
        }
        Ok(entries)
    }
}

/// `dir.join(name)`, allocated at its final length at once (`join` copies
/// `dir`, then grows the copy for `name`).
fn joined(dir: &Path, name: &OsStr) -> PathBuf {
    let mut path = PathBuf::with_capacity(dir.as_os_str().len() + 1 + name.len());
    // `dir` copied as it is, as `join` copies it: only `name` needs `push`.
    path.as_mut_os_string().push(dir.as_os_str());
    path.push(name);
    path
}

/// A name's first sixteen bytes as two big-endian numbers, zeros past its
/// end: keys order as the names' bytes do, except that names alike in
/// their first sixteen bytes (or differing only by trailing NULs, which
/// no file name holds) get equal keys and are compared whole.
fn name_key(name: &str) -> Key {
    let mut head = [0u8; 16];
    let n = name.len().min(16);
    head[..n].copy_from_slice(&name.as_bytes()[..n]);
    let (high, low) = head.split_at(8);
    let number = |half: &[u8]| half.try_into().map_or(0, u64::from_be_bytes);
    (number(high), number(low))
}

/// See [`name_key`]: two numbers rather than one `u128`, so that a
/// (key, index) pair takes 24 bytes, not 32.
type Key = (u64, u64);

/// `README`, `README.md` (any case) and `*.gold`: the corpus's notes and
/// gold annotations, never articles.
fn is_corpus_note(name: &str) -> bool {
    // On bytes, ignoring ASCII case: no lower-cased copy per file.
    let ends_with_gold = name.len() >= 5 && name.as_bytes()[name.len() - 5..].eq_ignore_ascii_case(b".gold");
    name.eq_ignore_ascii_case("readme") || name.eq_ignore_ascii_case("readme.md") || ends_with_gold
}

/// `path` with the platform separator replaced by `/`.
fn slashed(path: &str) -> String {
    if std::path::MAIN_SEPARATOR == '/' { path.to_string() } else { path.replace(std::path::MAIN_SEPARATOR, "/") }
}

fn join_display(given: &str, id: &str) -> String {
    // Pushed into a string of the right size, not `format!`ted nor
    // `concat`enated: this runs once per file.
    let slash = if given.is_empty() || given.ends_with('/') { "" } else { "/" };
    let mut display = String::with_capacity(given.len() + slash.len() + id.len());
    display.push_str(given);
    display.push_str(slash);
    display.push_str(id);
    display
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_recognised() {
        for name in ["README", "readme.md", "ReadMe.MD", "a.txt.gold", "x.GOLD", "é.Gold", ".gold"] {
            assert!(is_corpus_note(name), "{name}");
        }
        for name in ["README.txt", "readme-first.md", "gold.txt", "a.golden", "gold", "é", "readme.mdé"] {
            assert!(!is_corpus_note(name), "{name}");
        }
    }

    /// Names ordered by their keys, then whole, are in the order of
    /// their bytes: short and long names, shared heads of sixteen bytes
    /// and more, non-ASCII.
    #[test]
    fn name_keys_order_names_as_their_bytes() {
        let mut names: Vec<String> = Vec::new();
        for head in ["", "a", "doc-0010000.txt", "doc-0010000.txt-", "doc-0010000.txt-long", "é", "z"] {
            for tail in ["", "a", "b", "ab", "\u{e9}", "0123456789abcdefg"] {
                names.push(format!("{head}{tail}"));
            }
        }
        for a in &names {
            for b in &names {
                let keyed = name_key(a).cmp(&name_key(b)).then_with(|| a.cmp(b));
                assert_eq!(keyed, a.as_bytes().cmp(b.as_bytes()), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn display_joins_with_one_slash() {
        assert_eq!(join_display("corpus", "a/b.txt"), "corpus/a/b.txt");
        assert_eq!(join_display("corpus/", "a/b.txt"), "corpus/a/b.txt");
        assert_eq!(join_display("", "b.txt"), "b.txt");
    }
}
