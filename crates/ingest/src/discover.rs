//! `discover`: an input path -> the sorted list of files to load.

use crate::{IngestError, Source};
use std::collections::BTreeSet;
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

    let root_entries = sorted_entries(input).map_err(io_err)?;
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
            None => match sorted_entries(&dir) {
                Ok(entries) => entries,
                Err(_) => {
                    // Unreadable sub-folder: load reports the OS error.
                    found.push((prefix.trim_end_matches('/').to_string(), dir));
                    continue;
                }
            },
        };
        let mut subdirs = Vec::new();
        for (name, path, kind) in entries {
            if name.starts_with('.') {
                continue;
            }
            let id = [prefix.as_str(), name.as_str()].concat();
            if kind.is_dir(&path) {
                let fresh = match fs::canonicalize(&path) {
                    Ok(canonical) => visited.insert(canonical),
                    Err(_) => true,
                };
                if fresh {
                    subdirs.push((format!("{id}/"), path, None));
                } else if kind.is_symlink(&path) {
                    found.push((id, path));
                }
            } else if !is_corpus_note(&name) {
                // Files, special files and broken links alike: load decides.
                found.push((id, path));
            }
        }
        // Reverse so the stack pops sub-folders in name order.
        stack.extend(subdirs.into_iter().rev());
    }

    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found.into_iter().map(|(id, path)| Source { path, display: join_display(&given, &id), id }).collect())
}

/// (name, path, type as listed) of one folder entry.
type Entry = (String, PathBuf, Kind);

/// An entry's type as the folder listing gives it (most file systems
/// store it there), so telling files from folders needs no `stat` per
/// entry; `None` when the listing does not say.
struct Kind(Option<fs::FileType>);

impl Kind {
    /// A folder, or a link to one (followed, as `fs::metadata` does).
    fn is_dir(&self, path: &Path) -> bool {
        match &self.0 {
            Some(t) if !t.is_symlink() => t.is_dir(),
            // A link (or an unknown type): only its target tells.
            _ => fs::metadata(path).is_ok_and(|m| m.is_dir()),
        }
    }

    fn is_symlink(&self, path: &Path) -> bool {
        match &self.0 {
            Some(t) => t.is_symlink(),
            None => fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()),
        }
    }
}

/// A folder still to list: its id prefix (`a/b/`), its path, and its
/// entries when already listed.
type Pending = (String, PathBuf, Option<Vec<Entry>>);

/// The entries of `dir` as (name, path, type), sorted by name bytes (then
/// path, for two names alike once made valid UTF-8).
fn sorted_entries(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let kind = Kind(entry.file_type().ok());
        let name = entry.file_name().to_string_lossy().into_owned();
        entries.push((name_key(&name), (name, entry.path(), kind)));
    }
    // Names told apart by their keys (nearly all) are compared as two
    // numbers, not by a call to compare their bytes. No two entries are
    // equal (their paths differ), so an unstable sort gives the stable
    // sort's order.
    entries.sort_unstable_by(|(ka, a), (kb, b)| ka.cmp(kb).then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1))));
    Ok(entries.into_iter().map(|(_, entry)| entry).collect())
}

/// A name's first sixteen bytes as a big-endian number, zeros past its
/// end: keys order as the names' bytes do, except that names alike in
/// their first sixteen bytes (or differing only by trailing NULs, which
/// no file name holds) get equal keys and are compared whole.
fn name_key(name: &str) -> u128 {
    let mut head = [0u8; 16];
    let n = name.len().min(16);
    head[..n].copy_from_slice(&name.as_bytes()[..n]);
    u128::from_be_bytes(head)
}

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
    // Concatenated, not `format!`ted: this runs once per file.
    let slash = if given.is_empty() || given.ends_with('/') { "" } else { "/" };
    [given, slash, id].concat()
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
