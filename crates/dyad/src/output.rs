//! The output folder: tables are written to `<table>.csv.tmp`, flushed to
//! disk and renamed into place only when every table is complete, so a
//! table on disk is always whole: an interrupted run (Ctrl-C, kill, full
//! disk) leaves the previous table or none. Also `--emit-text`: the text of
//! every document, as the offsets count it.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Component, Path, PathBuf};

use dyad_core::Document;
use dyad_report::{Table, Tables};

use crate::table_file::{self, TableFile};
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

    /// Creates (truncating) one `.tmp` file per table, written by a
    /// thread of their own (see [`TableFile`]).
    pub(crate) fn writers(&self) -> Result<Tables<TableFile>, Error> {
        let files = Table::ALL.map(|table| {
            let path = self.tmp_path(table);
            File::create(&path).map_err(|e| io_error(&path, "cannot create the table", e))
        });
        let files = files.into_iter().collect::<Result<Vec<File>, Error>>()?;
        let tables =
            table_file::start(files, true).map_err(|e| io_error(&self.dir, "cannot start writing the tables", e))?;
        let mut tables = tables.into_iter();
        Ok(Tables::from_fn(|_| tables.next().expect("one file per table")))
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
