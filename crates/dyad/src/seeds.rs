//! The seed lexicons: read once from the seeds folder, or the copies built
//! into the binary when that folder does not exist, with the user's own
//! dictionary files (`--actors`, `--aliases`, `--persons`, `--cues`)
//! merged over them.
//!
//! A user file has the same format (and header) as the seed file it
//! extends. Merging happens on the text, before the parsers see it: a user
//! row replaces the seed row with the same key (`id` for actors and
//! persons, `alias` for aliases, `cue` and `kind` for cues), every other
//! user row is added. Errors always name the file and line the bad row
//! came from, seed or user file.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use dyad_core::{Diagnostic, Severity};
use dyad_entities::{DictError, Gazetteer, SeedText};
use dyad_stance::{Lexicon, LexiconError};

use crate::Error;

/// The seed files, in the order they are read.
pub const SEED_FILES: [&str; 4] = ["actors.tsv", "aliases.tsv", "persons.tsv", "cues.tsv"];

/// The seed files as they were when this binary was built.
const BUILT_IN: [&str; 4] = [
    include_str!("../../../seeds/actors.tsv"),
    include_str!("../../../seeds/aliases.tsv"),
    include_str!("../../../seeds/persons.tsv"),
    include_str!("../../../seeds/cues.tsv"),
];

/// The user's own dictionary files, each merged over the seed file of the
/// same kind (in [`SEED_FILES`] order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtraSeeds {
    /// `--actors`: rows in the format of `actors.tsv`.
    pub actors: Option<PathBuf>,
    /// `--aliases`: rows in the format of `aliases.tsv`.
    pub aliases: Option<PathBuf>,
    /// `--persons`: rows in the format of `persons.tsv`.
    pub persons: Option<PathBuf>,
    /// `--cues`: rows in the format of `cues.tsv`.
    pub cues: Option<PathBuf>,
}

impl ExtraSeeds {
    fn files(&self) -> [Option<&Path>; 4] {
        [self.actors.as_deref(), self.aliases.as_deref(), self.persons.as_deref(), self.cues.as_deref()]
    }
}

/// Everything the taggers need, built once per run.
#[derive(Debug)]
pub struct Seeds {
    pub gazetteer: Gazetteer,
    pub lexicon: Lexicon,
    /// Notes for `diagnostics.csv`: the built-in copies were used, user
    /// files were merged.
    pub notes: Vec<Diagnostic>,
}

impl Seeds {
    /// Reads the four seed files from `dir`; when `dir` does not exist, uses
    /// the built-in copies. A missing file inside an existing `dir` or a
    /// malformed line is an error naming the file (and line).
    pub fn load(dir: &Path) -> Result<Seeds, Error> {
        Seeds::load_with(dir, &ExtraSeeds::default())
    }

    /// [`Seeds::load`], then the user's files of `extra` merged over the
    /// seeds. A user file that is missing or malformed is an error naming
    /// it (and the line).
    pub fn load_with(dir: &Path, extra: &ExtraSeeds) -> Result<Seeds, Error> {
        let mut notes = Vec::new();
        let (names, texts): ([String; 4], [String; 4]) = if dir.exists() {
            let names = SEED_FILES.map(|f| dir.join(f).display().to_string());
            let read = |i: usize| read(&dir.join(SEED_FILES[i]), &names[i]);
            let texts = [read(0)?, read(1)?, read(2)?, read(3)?];
            (names, texts)
        } else {
            notes.push(Diagnostic {
                path: dir.display().to_string(),
                stage: "dictionary",
                severity: Severity::Info,
                message: "seeds folder not found; used the seeds built into dyad".to_string(),
            });
            (SEED_FILES.map(|f| format!("{f} (built in)")), BUILT_IN.map(str::to_string))
        };

        let mut merged: Vec<Merged> = Vec::with_capacity(4);
        for (i, (name, text)) in names.iter().zip(texts).enumerate() {
            match extra.files()[i] {
                None => merged.push(Merged::plain(name, text)),
                Some(path) => {
                    let user_name = path.display().to_string();
                    let user_text = read(path, &user_name)?;
                    let m = Merged::new(name, &text, &user_name, &user_text, KEYS[i])
                        .map_err(|(file, line, message)| seed_error(i, file, line, message))?;
                    notes.push(Diagnostic {
                        path: user_name.clone(),
                        stage: "dictionary",
                        severity: Severity::Info,
                        message: format!("merged over {name}: {} rows, replacing {} seed rows", m.added, m.replaced),
                    });
                    merged.push(m);
                }
            }
        }
        let mut seeds = Seeds::parse(&merged)?;
        seeds.notes = notes;
        Ok(seeds)
    }

    /// The built-in seeds, whatever the seeds folder holds.
    pub fn built_in() -> Result<Seeds, Error> {
        let names = SEED_FILES.map(|f| format!("{f} (built in)"));
        let merged: Vec<Merged> = names.iter().zip(BUILT_IN).map(|(n, t)| Merged::plain(n, t.to_string())).collect();
        Seeds::parse(&merged)
    }

    fn parse(merged: &[Merged]) -> Result<Seeds, Error> {
        let seed = |i: usize| SeedText { name: &merged[i].name, text: &merged[i].text };
        let gazetteer =
            Gazetteer::from_seeds(seed(0), seed(1), seed(2)).map_err(|DictError::Line { file, line, message }| {
                let (file, line) = merged.iter().find(|m| m.name == file).map_or((file, line), |m| m.origin(line));
                Error::Dictionary(DictError::Line { file, line, message })
            })?;
        let lexicon = Lexicon::from_tsv(&merged[3].name, &merged[3].text).map_err(
            |LexiconError::Line { file: _, line, message }| {
                let (file, line) = merged[3].origin(line);
                Error::Lexicon(LexiconError::Line { file, line, message })
            },
        )?;
        Ok(Seeds { gazetteer, lexicon, notes: Vec::new() })
    }
}

fn read(path: &Path, name: &str) -> Result<String, Error> {
    let bytes = fs::read(path).map_err(|source| Error::Io { path: name.to_string(), source })?;
    String::from_utf8(bytes).map_err(|e| Error::Io {
        path: name.to_string(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        ),
    })
}

/// An error of seed file `i` (the [`SEED_FILES`] order).
fn seed_error(i: usize, file: String, line: usize, message: String) -> Error {
    if i == 3 {
        Error::Lexicon(LexiconError::Line { file, line, message })
    } else {
        Error::Dictionary(DictError::Line { file, line, message })
    }
}

/// The key of a data row: rows with equal keys replace each other.
type Key = fn(&[&str]) -> Option<String>;

const KEYS: [Key; 4] = [
    |f| f.first().map(|s| s.to_string()),
    |f| f.get(1).map(|s| s.to_string()),
    |f| f.first().map(|s| s.to_string()),
    |f| Some(format!("{}\t{}", f.first()?, f.get(1)?)),
];

/// A seed file with a user file merged over it, and where each line of the
/// merged text came from.
#[derive(Debug)]
struct Merged {
    /// The name errors are reported under: the seed file's.
    name: String,
    text: String,
    /// For line `n` of `text` (1-based), `origin[n - 1]` is the file name
    /// and line it came from; empty when nothing was merged.
    lines: Vec<(usize, usize)>,
    /// File names `lines` indexes: the seed file, the user file.
    files: [String; 2],
    /// User rows written, and seed rows they replaced.
    added: usize,
    replaced: usize,
}

impl Merged {
    fn plain(name: &str, text: String) -> Merged {
        Merged {
            name: name.to_string(),
            text,
            lines: Vec::new(),
            files: [name.to_string(), String::new()],
            added: 0,
            replaced: 0,
        }
    }

    /// `user` merged over `base`: seed rows whose key a user row has become
    /// blank lines (so seed line numbers stay), user rows follow. The error
    /// is `(file, line, message)` for a user file whose header differs.
    fn new(
        base_name: &str,
        base: &str,
        user_name: &str,
        user: &str,
        key: Key,
    ) -> Result<Merged, (String, usize, String)> {
        let user_rows = data_rows(user);
        let base_rows = data_rows(base);
        if let (Some((_, base_header)), Some((line, user_header))) = (base_rows.first(), user_rows.first())
            && base_header != user_header
        {
            return Err((
                user_name.to_string(),
                *line,
                format!("expected the header `{}` of {base_name}", base_header.replace('\t', "\\t")),
            ));
        }
        let user_rows = user_rows.get(1..).unwrap_or_default();
        let user_keys: BTreeSet<String> = user_rows.iter().filter_map(|(_, row)| key(&fields(row))).collect();
        let replaced_lines: BTreeSet<usize> = base_rows
            .iter()
            .skip(1)
            .filter(|(_, row)| key(&fields(row)).is_some_and(|k| user_keys.contains(&k)))
            .map(|(line, _)| *line)
            .collect();

        let mut text = String::with_capacity(base.len() + user.len());
        let mut lines = Vec::new();
        for (i, raw) in base.lines().enumerate() {
            if !replaced_lines.contains(&(i + 1)) {
                text.push_str(raw);
            }
            text.push('\n');
            lines.push((0, i + 1));
        }
        for (line, row) in user_rows {
            text.push_str(row);
            text.push('\n');
            lines.push((1, *line));
        }
        let replaced = replaced_lines.len();
        Ok(Merged {
            name: base_name.to_string(),
            text,
            lines,
            files: [base_name.to_string(), user_name.to_string()],
            added: user_rows.len(),
            replaced,
        })
    }

    /// The file and line that line `line` of the merged text came from.
    fn origin(&self, line: usize) -> (String, usize) {
        match line.checked_sub(1).and_then(|i| self.lines.get(i)) {
            Some(&(file, original)) => (self.files[file].clone(), original),
            None => (self.name.clone(), line),
        }
    }
}

/// The header and data rows of a TSV text: `(line number, row)` for every
/// line that is not blank or a `#` comment, `\r` and a BOM removed.
fn data_rows(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let line = line.strip_prefix('\u{feff}').unwrap_or(line);
            (!line.trim().is_empty() && !line.starts_with('#')).then_some((i + 1, line))
        })
        .collect()
}

fn fields(row: &str) -> Vec<&str> {
    row.split('\t').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "# comment\nid\tname\nA\tAlpha\nB\tBeta\n";

    #[test]
    fn user_rows_replace_and_add() {
        let user = "id\tname\r\n# mine\nB\tBravo\nC\tCharlie\n";
        let m = Merged::new("seeds/x.tsv", BASE, "mine.tsv", user, KEYS[0]).expect("merges");
        assert_eq!(m.text, "# comment\nid\tname\nA\tAlpha\n\nB\tBravo\nC\tCharlie\n");
        assert_eq!((m.added, m.replaced), (2, 1));
        assert_eq!(m.origin(3), ("seeds/x.tsv".to_string(), 3));
        assert_eq!(m.origin(5), ("mine.tsv".to_string(), 3));
        assert_eq!(m.origin(6), ("mine.tsv".to_string(), 4));
    }

    #[test]
    fn a_wrong_header_names_the_user_file() {
        let err = Merged::new("seeds/x.tsv", BASE, "mine.tsv", "\n# c\nid\tlabel\nB\tBravo\n", KEYS[0]);
        assert_eq!(
            err.err(),
            Some(("mine.tsv".to_string(), 3, "expected the header `id\\tname` of seeds/x.tsv".to_string()))
        );
    }

    #[test]
    fn cue_keys_are_cue_and_kind() {
        let base = "cue\tkind\tscore\nback\tverb\t4\nback\tnoun\t3\n";
        let user = "cue\tkind\tscore\nback\tnoun\t5\n";
        let m = Merged::new("cues.tsv", base, "mine.tsv", user, KEYS[3]).expect("merges");
        assert_eq!(m.text, "cue\tkind\tscore\nback\tverb\t4\n\nback\tnoun\t5\n");
    }
}
