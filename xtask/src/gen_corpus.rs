//! `cargo xtask gen-corpus`: a large, deterministic corpus for scale runs,
//! recombined from the paragraphs of the committed articles in `corpus/`.
//!
//! Every generated document is a title line from one article, a blank line,
//! then 4 to 12 body paragraphs drawn from all articles, so it is English
//! prose full of actors and stance cues. Boilerplate (bylines, bios,
//! disclaimers, credits, headings, front matter) is left out: the paragraphs
//! named by the gold files' `boilerplate` records and any paragraph that
//! looks like one. The draw uses a fixed-seed SplitMix64, so the same
//! `corpus/` and `--mb` give the same files, byte for byte.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Documents per sub-folder of the output.
const PER_FOLDER: usize = 1000;
/// The PRNG seed: any fixed value.
const SEED: u64 = 0x0D1A_D5EE_D000_0001;

/// What `gen-corpus` was asked for.
#[derive(Debug)]
pub struct Options {
    /// Megabytes (10^6 bytes) of text to write, at least.
    pub mb: u64,
    pub out: PathBuf,
}

pub const USAGE: &str = "usage: cargo xtask gen-corpus --mb N --out DIR";

impl Options {
    pub fn parse(args: Vec<OsString>, cwd: &Path) -> Result<Options> {
        let mut mb = None;
        let mut out = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let arg = arg.to_string_lossy().into_owned();
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) => (f.to_string(), Some(v.to_string())),
                None => (arg.clone(), None),
            };
            let mut value = || -> Result<String> {
                match inline.clone() {
                    Some(v) => Ok(v),
                    None => args
                        .next()
                        .map(|v| v.to_string_lossy().into_owned())
                        .with_context(|| format!("{flag} needs a value; {USAGE}")),
                }
            };
            match flag.as_str() {
                "--mb" => {
                    let v = value()?;
                    let n: u64 = v
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .with_context(|| format!("--mb {v}: expected a positive integer"))?;
                    mb = Some(n);
                }
                "--out" => out = Some(cwd.join(value()?)),
                _ => bail!("unknown flag {arg}; {USAGE}"),
            }
        }
        match (mb, out) {
            (Some(mb), Some(out)) => Ok(Options { mb, out }),
            _ => bail!("{USAGE}"),
        }
    }
}

/// Writes the corpus; returns (documents, bytes).
pub fn generate(corpus: &Path, opts: &Options) -> Result<(usize, u64)> {
    let pool = Pool::read(corpus)?;
    if pool.paragraphs.is_empty() || pool.titles.is_empty() {
        bail!("{}: no article paragraphs to recombine", corpus.display());
    }
    if opts.out.exists()
        && fs::read_dir(&opts.out).with_context(|| format!("{}: cannot list", opts.out.display()))?.next().is_some()
    {
        bail!("{}: not empty; remove it or choose another --out", opts.out.display());
    }
    let target = opts.mb.saturating_mul(1_000_000);
    let mut rng = SplitMix64(SEED);
    let mut written = 0u64;
    let mut docs = 0usize;
    let mut text = String::new();
    while written < target {
        if docs.is_multiple_of(PER_FOLDER) {
            let dir = opts.out.join(format!("part-{:05}", docs / PER_FOLDER));
            fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
        }
        pool.document(&mut rng, &mut text);
        let path = opts.out.join(format!("part-{:05}/doc-{docs:07}.txt", docs / PER_FOLDER));
        fs::write(&path, &text).with_context(|| format!("{}: cannot write", path.display()))?;
        written += text.len() as u64;
        docs += 1;
    }
    Ok((docs, written))
}

/// The paragraphs and titles every document is drawn from.
struct Pool {
    titles: Vec<String>,
    paragraphs: Vec<String>,
}

impl Pool {
    /// Reads every `.txt`/`.md` article under `corpus`, in path order.
    fn read(corpus: &Path) -> Result<Pool> {
        let mut files = Vec::new();
        articles(corpus, &mut files)?;
        files.sort();
        let mut pool = Pool { titles: Vec::new(), paragraphs: Vec::new() };
        for file in files {
            let text = fs::read_to_string(&file).with_context(|| format!("{}: cannot read", file.display()))?;
            let gold = fs::read_to_string(gold_path(&file)).unwrap_or_default();
            let boilerplate: Vec<&str> = gold
                .lines()
                .filter_map(|l| l.strip_prefix("boilerplate\t"))
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            pool.add_article(&text, &boilerplate);
        }
        Ok(pool)
    }

    fn add_article(&mut self, text: &str, boilerplate: &[&str]) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut paragraphs = text.split("\n\n").map(|p| p.trim()).filter(|p| !p.is_empty());
        // Front matter: skip up to its closing line.
        let mut first = paragraphs.next();
        if first.is_some_and(|p| p.starts_with("---")) {
            first = paragraphs.next();
        }
        if let Some(title) = first.map(|t| t.trim_start_matches('#').trim())
            && !title.is_empty()
            && !title.contains('\n')
        {
            self.titles.push(title.to_string());
        }
        for p in paragraphs {
            let named = boilerplate.iter().any(|b| p.lines().any(|l| l.trim_start_matches(['*', '_']).starts_with(b)));
            if !named && is_prose(p) {
                self.paragraphs.push(p.replace("\r\n", "\n"));
            }
        }
    }

    /// One document into `out`: a title, a blank line, 4 to 12 paragraphs.
    fn document(&self, rng: &mut SplitMix64, out: &mut String) {
        out.clear();
        out.push_str(&self.titles[rng.below(self.titles.len())]);
        out.push('\n');
        for _ in 0..4 + rng.below(9) {
            out.push('\n');
            out.push_str(&self.paragraphs[rng.below(self.paragraphs.len())]);
            out.push('\n');
        }
    }
}

/// A body paragraph of analysis: long enough, ends a sentence, and does not
/// open or read like a heading, byline, credit, bio or disclaimer.
fn is_prose(p: &str) -> bool {
    const LEADS: [&str; 12] =
        ["#", "*", "_", ">", "!", "|", "-", "By ", "Image", "Photo", "Interview by", "Disclaimer"];
    const TELLS: [&str; 8] = [
        "views expressed",
        "opinions expressed",
        "the author’s own",
        "the author's own",
        "reflects the author",
        "originally published",
        "credit:",
        "Wikimedia",
    ];
    p.len() >= 160
        && p.ends_with(['.', '?', '!', '"', '”'])
        && !LEADS.iter().any(|l| p.starts_with(l))
        && !TELLS.iter().any(|t| p.contains(t))
}

/// Every `.txt` and `.md` file under `dir`, recursively (hidden entries and
/// READMEs left out).
fn articles(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("{}: cannot list", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with('.') || name.eq_ignore_ascii_case("README.md") {
            continue;
        }
        if path.is_dir() {
            articles(&path, out)?;
        } else if name.ends_with(".txt") || name.ends_with(".md") {
            out.push(path);
        }
    }
    Ok(())
}

fn gold_path(article: &Path) -> PathBuf {
    let mut s = article.as_os_str().to_os_string();
    s.push(".gold");
    PathBuf::from(s)
}

/// SplitMix64 (Steele, Lea and Flood): tiny, fast, and fixed forever.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`); the modulo bias is negligible here.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_fixed() {
        // First outputs for seed 0, as published with the algorithm.
        let mut rng = SplitMix64(0);
        assert_eq!(rng.next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn boilerplate_is_left_out() {
        let mut pool = Pool { titles: Vec::new(), paragraphs: Vec::new() };
        let body = "Russia has supplied Iran with drones, and Tehran has backed Moscow at the UN. \
                    Israel condemned the deal, and Washington said it would answer with new sanctions on both.";
        let text = format!(
            "# The Title\n\n*By Jane Doe, analyst*\n\n{body}\n\n\
             Jane Doe is a senior fellow at the Institute for Things, where she writes on Russia and Iran and the wider region.\n\n\
             The views expressed are those of the author alone, and not those of any government or of the Institute.\n"
        );
        pool.add_article(&text, &["Jane Doe is a senior fellow"]);
        assert_eq!(pool.titles, ["The Title"]);
        assert_eq!(pool.paragraphs, [body]);
    }

    #[test]
    fn documents_are_deterministic() {
        let pool = Pool {
            titles: vec!["A".into(), "B".into()],
            paragraphs: vec!["One.".into(), "Two.".into(), "Three.".into()],
        };
        let (mut a, mut b) = (String::new(), String::new());
        pool.document(&mut SplitMix64(7), &mut a);
        pool.document(&mut SplitMix64(7), &mut b);
        assert_eq!(a, b);
        assert!(a.lines().count() > 2 * 4);
    }
}
