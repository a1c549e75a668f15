//! `cargo xtask`: the one entry point for running, benchmarking and evaluating dyad.
//!
//! Stays light (anyhow only): every subcommand shells out to cargo from the
//! workspace root, so `cargo xtask` compiles in seconds.

use std::env;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result};

mod bench;
mod gen_corpus;

const HELP: &str = "\
cargo xtask: tasks for the dyad workspace

Usage: cargo xtask <SUBCOMMAND> [ARGS]

Subcommands:
  run [DYAD FLAGS]  run the pipeline in release mode; defaults to
                    --input corpus --out out --seeds seeds (from the
                    workspace root); any dyad flag is passed on, see
                    `cargo xtask run --help`
  ci                cargo fmt --check, clippy -D warnings, test
  bench [FILTER] [--corpus DIR [--runs N] [--cold]] [--no-criterion]
                    criterion benchmarks of every stage and end to end
                    (those matching FILTER), sized for a small machine,
                    then a table of MB/s; --corpus DIR also times the
                    release dyad binary over DIR with 1 and 2 threads,
                    N times each (wall, MB/s, CPU, peak RSS, the medians,
                    identical tables); --cold drops DIR's files from the
                    page cache before each run, so that it reads them
                    from disk (Linux); --no-criterion skips the
                    benchmarks; see
                    benches/README.md
  eval [FLAGS]      run the pipeline on corpus/ into out/eval-run, then
                    dyad-eval: figures per article and per split, written
                    to out/eval.csv; exit 1 when a figure is below its
                    floor in crates/eval/floors.tsv; flags go to dyad-eval
                    (`--details` lists each article's misses)
  gen-corpus --mb N --out DIR
                    write a deterministic corpus of at least N MB to DIR,
                    recombined from the paragraphs of corpus/ articles
  help              this text
";

/// dyad flags that take a path, with the default `run` passes when the user
/// gives none (relative to the workspace root; `""`: no default).
const PATH_FLAGS: [(&str, &str); 8] = [
    ("--input", "corpus"),
    ("--out", "out"),
    ("--seeds", "seeds"),
    ("--actors", ""),
    ("--aliases", ""),
    ("--persons", ""),
    ("--cues", ""),
    ("--emit-text", ""),
];

fn main() -> ExitCode {
    match try_main() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn try_main() -> Result<ExitCode> {
    let mut args = env::args_os().skip(1);
    let Some(task) = args.next() else {
        eprint!("{HELP}");
        return Ok(ExitCode::from(2));
    };
    let rest: Vec<OsString> = args.collect();
    match task.to_str() {
        Some("run") => run(rest),
        Some("ci") => ci(),
        Some("eval") => eval(rest),
        Some("-h" | "--help" | "help") => {
            print!("{HELP}");
            Ok(ExitCode::SUCCESS)
        }
        Some("bench") => bench::bench(&root()?, rest),
        Some("gen-corpus") => gen_corpus(rest),
        _ => {
            eprint!("xtask: unknown subcommand `{}`\n\n{HELP}", task.to_string_lossy());
            Ok(ExitCode::from(2))
        }
    }
}

/// The workspace root: the parent of this package's folder. `cargo run`
/// says where that folder is now; the path compiled in is the fallback (a
/// build shared by two copies of the repository can hold the other's).
fn root() -> Result<PathBuf> {
    let manifest =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let root = manifest.parent().context("xtask has no parent folder")?;
    root.canonicalize().with_context(|| format!("{}: cannot resolve the workspace root", root.display()))
}

/// `cargo <args>` from the workspace root, its exit code passed through.
fn cargo(root: &Path, args: &[OsString]) -> Result<ExitCode> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(root)
        .status()
        .with_context(|| format!("cannot start {}", cargo.to_string_lossy()))?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
        None => ExitCode::from(2),
    })
}

/// `cargo run --release --quiet -p dyad -- <flags>` from the workspace root.
fn run(user: Vec<OsString>) -> Result<ExitCode> {
    let root = root()?;
    let cwd = env::current_dir().context("cannot read the current folder")?;
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    let mut args: Vec<OsString> = ["run", "--release", "--quiet", "-p", "dyad", "--"].map(OsString::from).to_vec();
    args.extend(dyad_flags(user, &cwd, &root));
    cargo(&root, &args)
}

/// The user's dyad flags with their paths made valid from the workspace
/// root, plus the default for each path flag the user left out.
///
/// dyad runs with the workspace root as its working folder, so a default
/// is passed as a root-relative path (`corpus`): that resolves exactly as
/// the absolute path would, and keeps absolute paths out of the tables.
fn dyad_flags(user: Vec<OsString>, cwd: &Path, root: &Path) -> Vec<OsString> {
    let mut out = Vec::with_capacity(user.len() + 6);
    let mut given = [false; PATH_FLAGS.len()];
    let mut user = user.into_iter();
    while let Some(arg) = user.next() {
        let text = arg.to_string_lossy().into_owned();
        let (flag, inline) = match text.split_once('=') {
            Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
            None => (text.clone(), None),
        };
        let Some(i) = PATH_FLAGS.iter().position(|(f, _)| *f == flag) else {
            out.push(arg);
            continue;
        };
        given[i] = true;
        out.push(OsString::from(flag));
        let value = match inline {
            Some(v) => Some(OsString::from(v)),
            None => user.next(),
        };
        // A missing value is left for dyad to report.
        if let Some(value) = value {
            out.push(rebase(&value, cwd, root));
        }
    }
    for ((flag, default), given) in PATH_FLAGS.iter().zip(given) {
        if !given && !default.is_empty() {
            out.extend([OsString::from(flag), OsString::from(default)]);
        }
    }
    out
}

/// A path the user gave relative to `cwd`, made valid from `root`: relative
/// when it lies under `root`, absolute otherwise.
fn rebase(value: &OsStr, cwd: &Path, root: &Path) -> OsString {
    let path = Path::new(value);
    if path.is_absolute() || value.is_empty() {
        return value.to_os_string();
    }
    let abs = cwd.join(path);
    match abs.strip_prefix(root) {
        Ok(rel) if rel.as_os_str().is_empty() => OsString::from("."),
        Ok(rel) => rel.as_os_str().to_os_string(),
        Err(_) => abs.into_os_string(),
    }
}

/// `cargo xtask eval`: the pipeline over `corpus/` into `out/eval-run`,
/// then `dyad-eval` over its tables with the committed floors. Exit 1 when
/// a floor is not met, 2 when either step fails.
fn eval(user: Vec<OsString>) -> Result<ExitCode> {
    let root = root()?;
    let words = |s: &str| s.split_whitespace().map(OsString::from).collect::<Vec<_>>();
    let dyad = words(
        "run --release --quiet -p dyad -- \
         --input corpus --out out/eval-run --seeds seeds --no-progress",
    );
    // 1 means some input was skipped: the tables are still there to score.
    let code = cargo(&root, &dyad)?;
    if code != ExitCode::SUCCESS && code != ExitCode::from(1) {
        eprintln!("xtask eval: the pipeline failed");
        return Ok(code);
    }
    let mut score = words(
        "run --release --quiet -p dyad-eval -- \
         --corpus corpus --tables out/eval-run --out out --floors crates/eval/floors.tsv",
    );
    score.extend(user);
    cargo(&root, &score)
}

/// `cargo xtask gen-corpus --mb N --out DIR`, `DIR` relative to the
/// current folder.
fn gen_corpus(args: Vec<OsString>) -> Result<ExitCode> {
    let cwd = env::current_dir().context("cannot read the current folder")?;
    let opts = match gen_corpus::Options::parse(args, &cwd) {
        Ok(opts) => opts,
        Err(err) => {
            eprintln!("xtask gen-corpus: {err:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let started = std::time::Instant::now();
    let (docs, bytes) = gen_corpus::generate(&root()?.join("corpus"), &opts)?;
    eprintln!(
        "xtask gen-corpus: {docs} documents, {:.1} MB in {:.1} s -> {}",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        opts.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// What CI runs: formatting, lints, tests; stops at the first failure.
fn ci() -> Result<ExitCode> {
    let root = root()?;
    let steps: [&[&str]; 3] = [
        &["fmt", "--all", "--", "--check"],
        &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
        &["test", "--workspace"],
    ];
    for step in steps {
        eprintln!("xtask ci: cargo {}", step.join(" "));
        let args: Vec<OsString> = step.iter().map(OsString::from).collect();
        let code = cargo(&root, &args)?;
        if code != ExitCode::SUCCESS {
            eprintln!("xtask ci: `cargo {}` failed", step.join(" "));
            return Ok(code);
        }
    }
    eprintln!("xtask ci: ok");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(args: &str, cwd: &str) -> String {
        let user = args.split_whitespace().map(OsString::from).collect();
        let out = dyad_flags(user, Path::new(cwd), Path::new("/ws"));
        out.iter().map(|a| a.to_string_lossy()).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn defaults_are_root_relative() {
        assert_eq!(flags("", "/ws"), "--input corpus --out out --seeds seeds");
        assert_eq!(flags("--threads 2", "/elsewhere"), "--threads 2 --input corpus --out out --seeds seeds");
    }

    #[test]
    fn user_paths_are_rebased_on_the_root() {
        assert_eq!(flags("--input corpus/dev", "/ws"), "--input corpus/dev --out out --seeds seeds");
        assert_eq!(
            flags("--input=dev --no-progress", "/ws/corpus"),
            "--input corpus/dev --no-progress --out out --seeds seeds"
        );
        assert_eq!(flags("--out o", "/home/me"), "--out /home/me/o --input corpus --seeds seeds");
        assert_eq!(flags("--seeds /abs/seeds --out .", "/ws"), "--seeds /abs/seeds --out . --input corpus");
    }
}
