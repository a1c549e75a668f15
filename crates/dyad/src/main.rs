//! The `dyad` command line: parses the flags, runs the pipeline, prints one
//! summary line and exits 0 (all inputs analysed), 1 (some skipped or
//! failed) or 2 (usage error or a fatal error).

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use dyad::Config;
use dyad_tokenize::Backend;

const USAGE: &str = "\
dyad: geopolitical articles -> CSV stance tables

Usage: dyad [--input PATH] [--out DIR] [--seeds DIR] [--threads N]
            [--backend fast|hf] [--no-progress] [--help]

Options:
  --input PATH      an article or a folder of articles      [default: corpus]
  --out DIR         where the CSV tables are written         [default: out]
  --seeds DIR       actors, aliases, persons and cues        [default: seeds]
                    (when the default folder is missing, the seeds built
                    into dyad are used)
  --threads N       worker threads, 0 = one per core         [default: 0]
  --backend NAME    tokenizer: fast (built in) or hf (Hugging Face
                    pre-tokenizers)                          [default: fast]
  --no-progress     no progress bar (it only shows on a terminal anyway)
  -h, --help        this text

Exit codes: 0 every input analysed, 1 some inputs skipped or failed,
2 usage error or fatal error (missing input, bad seeds, unwritable output).
";

/// What the command line asks for.
#[derive(Debug)]
enum Command {
    Run { config: Config, seeds_given: bool },
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
        Command::Run {
            config,
            seeds_given,
        } => (config, seeds_given),
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
                config.threads = v.parse().map_err(|_| {
                    format!("--threads expects a whole number (0 = one per core), got `{v}`")
                })?;
            }
            "--backend" => {
                let v = value("fast or hf")?;
                config.backend = match v.to_str() {
                    Some("fast") => Backend::Fast,
                    Some("hf") => Backend::HuggingFace,
                    _ => {
                        return Err(format!(
                            "--backend expects fast or hf, got `{}`",
                            v.to_string_lossy()
                        ));
                    }
                };
            }
            "--no-progress" if inline.is_none() => config.progress = false,
            _ if text.starts_with('-') => return Err(format!("unknown option `{text}`")),
            _ => {
                return Err(format!(
                    "unexpected argument `{text}` (did you mean --input {text}?)"
                ));
            }
        }
    }
    Ok(Command::Run {
        config,
        seeds_given,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &str) -> Result<Command, String> {
        parse(args.split_whitespace().map(OsString::from))
    }

    #[test]
    fn defaults_and_flags() {
        let Ok(Command::Run {
            config,
            seeds_given,
        }) = parse_str("")
        else {
            panic!("no flags parse")
        };
        assert_eq!(
            (
                config.input.to_str(),
                config.out.to_str(),
                config.seeds.to_str()
            ),
            (Some("corpus"), Some("out"), Some("seeds"))
        );
        assert!(!seeds_given && config.progress && config.threads == 0);

        let parsed =
            parse_str("--input a --out=b --seeds s --threads 3 --backend hf --no-progress");
        let Ok(Command::Run {
            config,
            seeds_given,
        }) = parsed
        else {
            panic!("{parsed:?}")
        };
        assert_eq!(
            (
                config.input.to_str(),
                config.out.to_str(),
                config.seeds.to_str()
            ),
            (Some("a"), Some("b"), Some("s"))
        );
        assert!(seeds_given && !config.progress);
        assert_eq!((config.threads, config.backend), (3, Backend::HuggingFace));

        assert!(matches!(parse_str("--out o --help"), Ok(Command::Help)));
    }

    #[test]
    fn usage_errors() {
        let err = |args: &str| parse_str(args).err().unwrap_or_default();
        assert_eq!(
            err("--threads many"),
            "--threads expects a whole number (0 = one per core), got `many`"
        );
        assert_eq!(
            err("--backend slow"),
            "--backend expects fast or hf, got `slow`"
        );
        assert_eq!(err("--input"), "--input expects a file or folder");
        assert_eq!(err("--out="), "--out expects a folder");
        assert_eq!(err("--verbose"), "unknown option `--verbose`");
        assert_eq!(
            err("--no-progress=yes"),
            "unknown option `--no-progress=yes`"
        );
        assert_eq!(
            err("corpus"),
            "unexpected argument `corpus` (did you mean --input corpus?)"
        );
    }
}
