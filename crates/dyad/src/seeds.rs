//! The seed lexicons: read once from the seeds folder, or the copies built
//! into the binary when that folder does not exist.

use std::fs;
use std::path::Path;

use dyad_core::{Diagnostic, Severity};
use dyad_entities::{Gazetteer, SeedText};
use dyad_stance::Lexicon;

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

/// Everything the taggers need, built once per run.
#[derive(Debug)]
pub struct Seeds {
    pub gazetteer: Gazetteer,
    pub lexicon: Lexicon,
    /// Set when the built-in copies were used: a note for `diagnostics.csv`.
    pub note: Option<Diagnostic>,
}

impl Seeds {
    /// Reads the four seed files from `dir`; when `dir` does not exist, uses
    /// the built-in copies. A missing file inside an existing `dir` or a
    /// malformed line is an error naming the file (and line).
    pub fn load(dir: &Path) -> Result<Seeds, Error> {
        if !dir.exists() {
            let names = SEED_FILES.map(|f| format!("{f} (built in)"));
            let mut seeds = Seeds::parse(&names, &BUILT_IN)?;
            seeds.note = Some(Diagnostic {
                path: dir.display().to_string(),
                stage: "dictionary",
                severity: Severity::Info,
                message: "seeds folder not found; used the seeds built into dyad".to_string(),
            });
            return Ok(seeds);
        }
        let names = SEED_FILES.map(|f| dir.join(f).display().to_string());
        let read = |i: usize| {
            fs::read_to_string(dir.join(SEED_FILES[i])).map_err(|source| Error::Io {
                path: names[i].clone(),
                source,
            })
        };
        let texts = [read(0)?, read(1)?, read(2)?, read(3)?];
        let texts: [&str; 4] = [&texts[0], &texts[1], &texts[2], &texts[3]];
        Seeds::parse(&names, &texts)
    }

    /// The built-in seeds, whatever the seeds folder holds.
    pub fn built_in() -> Result<Seeds, Error> {
        let names = SEED_FILES.map(|f| format!("{f} (built in)"));
        Seeds::parse(&names, &BUILT_IN)
    }

    fn parse(names: &[String; 4], texts: &[&str; 4]) -> Result<Seeds, Error> {
        let seed = |i: usize| SeedText {
            name: &names[i],
            text: texts[i],
        };
        let gazetteer = Gazetteer::from_seeds(seed(0), seed(1), seed(2))?;
        let lexicon = Lexicon::from_tsv(&names[3], texts[3])?;
        Ok(Seeds {
            gazetteer,
            lexicon,
            note: None,
        })
    }
}
