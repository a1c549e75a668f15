//! The output folder: tables are written to `<table>.csv.tmp` and renamed
//! into place only when every table is complete.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use dyad_report::{Table, Tables};

use crate::{Error, shown};

/// Refuses an output folder inside (or equal to) the input folder: the next
/// run would read the tables as articles.
pub(crate) fn check_not_inside(input: &Path, out: &Path) -> Result<(), Error> {
    if !input.is_dir() {
        return Ok(());
    }
    let input_abs = input.canonicalize().map_err(|source| Error::Io {
        path: shown(input),
        source,
    })?;
    let out_abs = resolve(out).map_err(|source| Error::Io {
        path: shown(out),
        source,
    })?;
    if out_abs.starts_with(&input_abs) {
        return Err(Error::OutInsideInput {
            out: shown(out),
            input: shown(input),
        });
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
        fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: shown(dir),
            source,
        })?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            committed: false,
        })
    }

    fn tmp_path(&self, table: Table) -> PathBuf {
        self.dir.join(format!("{}.tmp", table.file_name()))
    }

    /// Creates (truncating) one `.tmp` file per table.
    pub(crate) fn writers(&self) -> Result<Tables<File>, Error> {
        Tables::try_from_fn(|table| {
            let path = self.tmp_path(table);
            File::create(&path).map_err(|source| Error::Io {
                path: shown(&path),
                source,
            })
        })
    }

    /// A failed write to one of the tables.
    pub(crate) fn error(&self, source: io::Error) -> Error {
        Error::Io {
            path: shown(&self.dir),
            source,
        }
    }

    /// Renames every `.tmp` file over its table.
    pub(crate) fn commit(mut self) -> Result<(), Error> {
        for table in Table::ALL {
            let to = self.dir.join(table.file_name());
            fs::rename(self.tmp_path(table), &to).map_err(|source| Error::Io {
                path: shown(&to),
                source,
            })?;
        }
        self.committed = true;
        Ok(())
    }
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
        assert!(
            matches!(inside, Err(Error::OutInsideInput { .. })),
            "{inside:?}"
        );
        assert!(matches!(
            check_not_inside(&input, &input),
            Err(Error::OutInsideInput { .. })
        ));
        assert!(check_not_inside(&input, &root.join("out")).is_ok());
        assert!(check_not_inside(&input, &root.join("input-sibling")).is_ok());
        let _ = fs::remove_dir_all(&root);
    }
}
