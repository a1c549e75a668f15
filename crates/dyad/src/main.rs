//! The `dyad` command line: parses the flags, runs the pipeline, prints one
//! summary line and exits 0 (all inputs analysed), 1 (some skipped or
//! failed) or 2 (usage error or a fatal error, the path named).

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use dyad::Config;
use dyad_tokenize::Backend;

/// A batch allocates and frees many small vectors and strings per document;
/// mimalloc serves them from per-thread pages with fewer instructions than
/// the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
dyad: geopolitical articles -> CSV stance tables

Usage: dyad [--input PATH] [--out DIR] [--seeds DIR] [--threads N]
            [--backend fast|hf] [--actors FILE] [--aliases FILE]
            [--persons FILE] [--cues FILE] [--max-size SIZE] [--excel]
            [--emit-text DIR] [--no-progress] [--help]

Options:
  --input PATH      an article or a folder of articles      [default: corpus]
                    (.txt, .md, .markdown, .html, .htm, .jsonl, .ndjson)
  --out DIR         where the CSV tables are written         [default: out]
  --seeds DIR       actors, aliases, persons and cues        [default: seeds]
                    (when the default folder is missing, the seeds built
                    into dyad are used)
  --actors FILE     your own rows, in the format of actors.tsv, merged over
                    the seeds (a row replaces the seed row with its id);
  --aliases FILE    likewise for aliases.tsv (key: alias),
  --persons FILE    persons.tsv (key: id)
  --cues FILE       and cues.tsv (key: cue and kind)
  --threads N       worker threads, 0 = one per core         [default: 0]
  --backend NAME    tokenizer: fast (built in) or hf (Hugging Face
                    pre-tokenizers)                          [default: fast]
  --max-size SIZE   skip input files larger than this, in bytes or with a
                    K, M or G suffix                          [default: 64M]
  --excel           tables for Excel: UTF-8 with a byte-order mark
  --emit-text DIR   write each document's text, which the offsets count
                    in, to DIR/<doc_id>.txt
  --no-progress     no progress bar (it only shows on a terminal anyway)
  -h, --help        this text

Exit codes: 0 every input analysed, 1 some inputs skipped or failed,
2 usage error or fatal error (missing input, bad seeds, unwritable output).
";

/// What the command line asks for.
#[derive(Debug)]
enum Command {
    Run { config: Box<Config>, seeds_given: bool },
    Help,
}

fn main() -> ExitCode {
    let command = match parse(std::env::args_os().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("dyad: {message}\nRun `dyad --help` for usage.");
            return ExitCode::from(2);
        }
    };
    let (config, seeds_given) = match command {
        Command::Help => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Command::Run { config, seeds_given } => (config, seeds_given),
    };
    if seeds_given && !config.seeds.is_dir() {
        eprintln!("dyad: {}: seeds folder not found", config.seeds.display());
        return ExitCode::from(2);
    }
    match dyad::run(&config) {
        Ok(summary) => {
            eprintln!("{summary}");
            ExitCode::from(summary.exit_code())
        }
        Err(err) => {
            eprintln!("dyad: {err}");
            ExitCode::from(2)
        }
    }
}

/// Parses the arguments after the program name. `--flag value` and
/// `--flag=value` are both accepted.
fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut config = Config::default();
    let mut seeds_given = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str() else {
            return Err(format!("unexpected argument {}", arg.to_string_lossy()));
        };
        let (flag, inline) = match text.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(OsString::from(value))),
            _ => (text, None),
        };
        let mut value = |what: &str| -> Result<OsString, String> {
            match inline.clone().or_else(|| args.next()) {
                Some(v) if !v.is_empty() => Ok(v),
                _ => Err(format!("{flag} expects {what}")),
            }
        };
        match flag {
            "-h" | "--help" => return Ok(Command::Help),
            "--input" => config.input = PathBuf::from(value("a file or folder")?),
            "--out" => config.out = PathBuf::from(value("a folder")?),
            "--seeds" => {
                config.seeds = PathBuf::from(value("a folder")?);
                seeds_given = true;
            }
            "--threads" => {
                let v = value("a number of threads")?;
                let v = v.to_string_lossy();
                config.threads =
                    v.parse().map_err(|_| format!("--threads expects a whole number (0 = one per core), got `{v}`"))?;
            }
            "--backend" => {
                let v = value("fast or hf")?;
                config.backend = match v.to_str() {
                    Some("fast") => Backend::Fast,
                    Some("hf") => Backend::HuggingFace,
                    _ => {
                        return Err(format!("--backend expects fast or hf, got `{}`", v.to_string_lossy()));
                    }
                };
            }
            "--actors" => config.extra_seeds.actors = Some(PathBuf::from(value("a file")?)),
            "--aliases" => config.extra_seeds.aliases = Some(PathBuf::from(value("a file")?)),
            "--persons" => config.extra_seeds.persons = Some(PathBuf::from(value("a file")?)),
            "--cues" => config.extra_seeds.cues = Some(PathBuf::from(value("a file")?)),
            "--emit-text" => config.emit_text = Some(PathBuf::from(value("a folder")?)),
            "--max-size" => {
                let v = value("a size")?;
                let v = v.to_string_lossy();
                config.max_bytes = parse_size(&v).ok_or_else(|| {
                    format!("--max-size expects a size in bytes, or with a K, M or G suffix (64M), got `{v}`")
                })?;
            }
            "--excel" if inline.is_none() => config.excel = true,
            "--no-progress" if inline.is_none() => config.progress = false,
            _ if text.starts_with('-') => return Err(format!("unknown option `{text}`")),
            _ => {
                return Err(format!("unexpected argument `{text}` (did you mean --input {text}?)"));
            }
        }
    }
    Ok(Command::Run { config: Box::new(config), seeds_given })
}

/// `123`, `500K`, `64M`, `1G` (also `KB`, `MiB`...; powers of 1024; any
/// case) -> bytes. `None` for zero, garbage or overflow.
fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let number: u64 = s[..digits].parse().ok()?;
    let unit = s[digits..].trim().to_ascii_lowercase();
    let shift = match unit.trim_end_matches("ib").trim_end_matches('b') {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        _ => return None,
    };
    number.checked_mul(1 << shift).filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &str) -> Result<Command, String> {
        parse(args.split_whitespace().map(OsString::from))
    }

    #[test]
    fn defaults_and_flags() {
        let Ok(Command::Run { config, seeds_given }) = parse_str("") else { panic!("no flags parse") };
        assert_eq!(
            (config.input.to_str(), config.out.to_str(), config.seeds.to_str()),
            (Some("corpus"), Some("out"), Some("seeds"))
        );
        assert!(!seeds_given && config.progress && config.threads == 0);

        let parsed = parse_str("--input a --out=b --seeds s --threads 3 --backend hf --no-progress");
        let Ok(Command::Run { config, seeds_given }) = parsed else { panic!("{parsed:?}") };
        assert_eq!(
            (config.input.to_str(), config.out.to_str(), config.seeds.to_str()),
            (Some("a"), Some("b"), Some("s"))
        );
        assert!(seeds_given && !config.progress);
        assert_eq!((config.threads, config.backend), (3, Backend::HuggingFace));

        assert!(matches!(parse_str("--out o --help"), Ok(Command::Help)));

        let parsed = parse_str(
            "--actors a.tsv --aliases=b.tsv --persons c.tsv --cues d.tsv --max-size 300M --excel --emit-text t",
        );
        let Ok(Command::Run { config, .. }) = parsed else { panic!("{parsed:?}") };
        let extra = &config.extra_seeds;
        let paths = [&extra.actors, &extra.aliases, &extra.persons, &extra.cues, &config.emit_text]
            .map(|p| p.as_ref().and_then(|p| p.to_str()));
        assert_eq!(paths, [Some("a.tsv"), Some("b.tsv"), Some("c.tsv"), Some("d.tsv"), Some("t")]);
        assert_eq!(config.max_bytes, 300 << 20);
        assert!(config.excel);
    }

    #[test]
    fn sizes() {
        for (s, want) in [
            ("123", Some(123)),
            ("500K", Some(500 << 10)),
            ("64m", Some(64 << 20)),
            ("1GB", Some(1 << 30)),
            ("2 MiB", Some(2 << 20)),
            ("0", None),
            ("M", None),
            ("12T", None),
            ("-5", None),
            ("99999999999999999999G", None),
        ] {
            assert_eq!(parse_size(s), want, "{s}");
        }
    }

    #[test]
    fn usage_errors() {
        let err = |args: &str| parse_str(args).err().unwrap_or_default();
        assert_eq!(err("--threads many"), "--threads expects a whole number (0 = one per core), got `many`");
        assert_eq!(err("--backend slow"), "--backend expects fast or hf, got `slow`");
        assert_eq!(err("--input"), "--input expects a file or folder");
        assert_eq!(err("--out="), "--out expects a folder");
        assert_eq!(err("--verbose"), "unknown option `--verbose`");
        assert_eq!(err("--no-progress=yes"), "unknown option `--no-progress=yes`");
        assert_eq!(err("--excel=1"), "unknown option `--excel=1`");
        assert_eq!(
            err("--max-size lots"),
            "--max-size expects a size in bytes, or with a K, M or G suffix (64M), got `lots`"
        );
        assert_eq!(err("--actors"), "--actors expects a file");
        assert_eq!(err("corpus"), "unexpected argument `corpus` (did you mean --input corpus?)");
    }
}
