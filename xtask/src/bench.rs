//! `cargo xtask bench`: the criterion benches of `benches/` with settings
//! sized for a 2-core machine, then one table of MB/s per stage and end to
//! end, read back from `target/criterion/**/new/{benchmark,estimates}.json`.
//!
//! With `--corpus DIR` it also runs the release `dyad` binary over `DIR`
//! with 1 and 2 threads, as a user would, and prints wall time, MB/s, peak
//! RSS (via `/usr/bin/time` when installed) and whether the two runs wrote
//! byte-identical tables. With `--cold`, the corpus is dropped from the page
//! cache before each run, which then reads it from disk, as a first run
//! over a corpus larger than memory does.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result, bail};

use crate::cargo;

/// Criterion settings: short warm-up and measurement, the fewest samples
/// criterion accepts.
const CRITERION_ARGS: [&str; 7] = ["--warm-up-time", "1", "--measurement-time", "2", "--sample-size", "10", "--noplot"];

const TABLES: [&str; 7] =
    ["documents.csv", "mentions.csv", "stances.csv", "pairs.csv", "actors.csv", "unknown_names.csv", "diagnostics.csv"];

pub fn bench(root: &Path, args: Vec<OsString>) -> Result<ExitCode> {
    let mut corpus = None;
    let mut filter = Vec::new();
    let mut skip_criterion = false;
    let mut runs = 1;
    let mut cold = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--corpus") => {
                let dir = args.next().context("--corpus needs a folder")?;
                let cwd = env::current_dir().context("cannot read the current folder")?;
                corpus = Some(cwd.join(dir));
            }
            Some("--no-criterion") => skip_criterion = true,
            Some("--cold") => cold = true,
            Some("--runs") => {
                let n = args.next().context("--runs needs a number")?;
                runs = n
                    .to_str()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .context("--runs needs a number above 0")?;
            }
            Some(s) if !s.starts_with('-') => filter.push(arg),
            _ => bail!(
                "unknown flag {}; usage: cargo xtask bench [FILTER] [--corpus DIR [--runs N] [--cold]] [--no-criterion]",
                arg.to_string_lossy()
            ),
        }
    }

    if !skip_criterion {
        let started = SystemTime::now();
        let mut cargo_args: Vec<OsString> = ["bench", "-p", "dyad-benches", "--"].map(OsString::from).to_vec();
        cargo_args.extend(CRITERION_ARGS.map(OsString::from));
        cargo_args.extend(filter);
        let code = cargo(root, &cargo_args)?;
        if code != ExitCode::SUCCESS {
            eprintln!("xtask bench: `cargo bench` failed");
            return Ok(code);
        }
        let results = read_results(&target_dir(root).join("criterion"), started)?;
        print_table(&results);
    }
    if let Some(corpus) = corpus {
        return scale(root, &corpus, runs, cold);
    }
    Ok(ExitCode::SUCCESS)
}

fn target_dir(root: &Path) -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// One benchmark's result.
struct Result1 {
    /// `group/function`, as criterion names it.
    id: String,
    bytes: Option<u64>,
    /// Mean time of one iteration, in nanoseconds.
    mean_ns: f64,
}

/// Every benchmark criterion wrote since `since`, sorted by id.
fn read_results(dir: &Path, since: SystemTime) -> Result<Vec<Result1>> {
    let mut found = Vec::new();
    walk(dir, &mut found)?;
    let mut out = Vec::new();
    for new in found {
        let fresh = fs::metadata(new.join("estimates.json")).and_then(|m| m.modified()).is_ok_and(|t| t >= since);
        if !fresh {
            continue;
        }
        let benchmark = fs::read_to_string(new.join("benchmark.json"))
            .with_context(|| format!("{}: cannot read benchmark.json", new.display()))?;
        let estimates = fs::read_to_string(new.join("estimates.json"))
            .with_context(|| format!("{}: cannot read estimates.json", new.display()))?;
        let id = json_string(&benchmark, "full_id").unwrap_or_else(|| new.display().to_string());
        let bytes = json_after(&benchmark, &["\"throughput\"", "\"Bytes\""]).map(|n| n as u64);
        let mean_ns = json_after(&estimates, &["\"mean\"", "\"point_estimate\""])
            .with_context(|| format!("{}: no mean in estimates.json", new.display()))?;
        out.push(Result1 { id, bytes, mean_ns });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The `new` folders under `dir`.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "new") {
            out.push(path);
        } else {
            walk(&path, out)?;
        }
    }
    Ok(())
}

/// The string value of `"key":"..."` (no escapes expected in ids).
fn json_string(json: &str, key: &str) -> Option<String> {
    let at = json.find(&format!("\"{key}\""))?;
    let rest = json[at + key.len() + 2..].trim_start().strip_prefix(':')?;
    let rest = rest.trim_start().strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// The number after the last of `keys`, each found after the one before.
fn json_after(json: &str, keys: &[&str]) -> Option<f64> {
    let mut rest = json;
    for key in keys {
        rest = &rest[rest.find(key)? + key.len()..];
    }
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let end =
        rest.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))).unwrap_or(rest.len());
    rest[..end].parse().ok()
}

fn print_table(results: &[Result1]) {
    if results.is_empty() {
        println!("xtask bench: no fresh results under target/criterion");
        return;
    }
    println!();
    println!("| bench | input | time/iter | MB/s |");
    println!("| --- | ---: | ---: | ---: |");
    for r in results {
        let (input, mbs) = match r.bytes {
            Some(b) => (format!("{:.1} KB", b as f64 / 1e3), format!("{:.1}", b as f64 / r.mean_ns * 1e3)),
            None => ("-".to_string(), "-".to_string()),
        };
        println!("| {} | {input} | {} | {mbs} |", r.id, human_time(r.mean_ns));
    }
}

fn human_time(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.1} µs", ns / 1e3)
    }
}

/// The release binary over `corpus` with 1 and 2 threads, `runs` times
/// each (alternating), then the median of each.
fn scale(root: &Path, corpus: &Path, runs: usize, cold: bool) -> Result<ExitCode> {
    let build: Vec<OsString> = ["build", "--release", "--quiet", "-p", "dyad"].map(OsString::from).to_vec();
    if cargo(root, &build)? != ExitCode::SUCCESS {
        bail!("cannot build dyad");
    }
    let dyad = target_dir(root).join("release/dyad");
    // Every article is read once before the timed runs, for its size and
    // so that no run waits for the disk: this VM's page cache gives up
    // part of a large corpus to a build, and the first run then spent
    // seconds in reads (session 12: 38.3 s of wall for 33.0 s of CPU).
    let started = Instant::now();
    let bytes = read_corpus(corpus)?;
    let mb = bytes as f64 / 1e6;
    let scratch = env::temp_dir().join(format!("dyad-scale-{}", std::process::id()));
    println!();
    println!(
        "scale run over {} ({mb:.1} MB, read once untimed in {:.1} s{})",
        corpus.display(),
        started.elapsed().as_secs_f64(),
        if cold { "; dropped from the page cache before each run" } else { "" }
    );
    println!("| run | threads | wall | MB/s | CPU (user+sys) | peak RSS |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: |");
    let reference = scratch.join("reference");
    let mut same = true;
    let mut walls: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut cpus: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for run in 1..=runs {
        for threads in [1, 2] {
            let out = scratch.join(format!("r{run}t{threads}"));
            fs::create_dir_all(&scratch)?;
            // The tables of the run before (3.4 GB for 1 GB of input) may
            // still be on their way to the disk; without this, a run can
            // spend seconds throttled by the kernel for its predecessor's
            // writeback.
            flush_page_cache();
            if cold {
                drop_from_page_cache(corpus)?;
            }
            let (wall, usage) = run_dyad(&dyad, root, corpus, &out, threads, &scratch)?;
            walls[threads - 1].push(wall);
            let cpu = usage.cpu.map_or_else(|| "-".to_string(), |c| format!("{c:.2} s"));
            println!("| {run} | {threads} | {wall:.2} s | {:.1} | {cpu} | {} |", mb / wall, usage.rss);
            cpus[threads - 1].extend(usage.cpu);
            // Every run's tables must equal the first run's, byte for byte.
            if reference.exists() {
                same &= TABLES.iter().all(|t| same_bytes(&reference.join(t), &out.join(t)).unwrap_or(false));
                fs::remove_dir_all(&out)?;
            } else {
                fs::rename(&out, &reference)?;
            }
        }
    }
    let [one, two] = walls.map(median);
    println!(
        "median of {runs}: 1 thread {:.1} MB/s, 2 threads {:.1} MB/s, {:.2} times one thread",
        mb / one,
        mb / two,
        one / two
    );
    let [cpu_one, cpu_two] = cpus.map(median);
    if cpu_one > 0.0 && cpu_two > 0.0 {
        // What the second thread costs in CPU for the same work: locks,
        // shared caches and memory, or a host whose two vCPUs share a core.
        let more = (cpu_two / cpu_one - 1.0) * 100.0;
        println!("median CPU time: 1 thread {cpu_one:.2} s, 2 threads {cpu_two:.2} s ({more:+.1}%)");
    }
    println!("tables of every run: {}", if same { "byte-identical" } else { "DIFFERENT" });
    let _ = fs::remove_dir_all(&scratch);
    Ok(if same { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The median of `values`, or 0 when there are none.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Writes every dirty page to disk (`sync`), outside the timed part, so that
/// each run starts from the same state. Without `sync` on the PATH the runs
/// simply go on.
fn flush_page_cache() {
    let _ = Command::new("sync").status();
}

/// What `/usr/bin/time` saw of one run: user plus system seconds, and the
/// peak RSS (or `-` without `/usr/bin/time`).
struct Usage {
    cpu: Option<f64>,
    rss: String,
}

/// One whole-process run of `dyad` over `corpus` into `out`: wall seconds
/// and usage.
fn run_dyad(
    dyad: &Path,
    root: &Path,
    corpus: &Path,
    out: &Path,
    threads: usize,
    scratch: &Path,
) -> Result<(f64, Usage)> {
    let time = Path::new("/usr/bin/time");
    let usage_file = scratch.join("usage");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M %U %S").arg("-o").arg(&usage_file).arg(dyad);
        c
    } else {
        Command::new(dyad)
    };
    cmd.arg("--input")
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .arg("--seeds")
        .arg(root.join("seeds"))
        .arg("--threads")
        .arg(threads.to_string())
        .arg("--no-progress");
    let started = Instant::now();
    let status = cmd.status().context("cannot start dyad")?;
    let wall = started.elapsed().as_secs_f64();
    if !matches!(status.code(), Some(0 | 1)) {
        bail!("dyad failed with {status}");
    }
    // `/usr/bin/time` output: peak RSS in KB, user and system seconds.
    let fields: Vec<f64> = fs::read_to_string(&usage_file)
        .ok()
        .and_then(|s| s.lines().last().map(|l| l.split_whitespace().filter_map(|v| v.parse().ok()).collect()))
        .unwrap_or_default();
    let _ = fs::remove_file(&usage_file);
    let usage = match fields[..] {
        [kb, user, sys] => Usage { cpu: Some(user + sys), rss: format!("{:.0} MB", kb / 1024.0) },
        _ => Usage { cpu: None, rss: "-".to_string() },
    };
    Ok((wall, usage))
}

/// Whether two files hold the same bytes, read in chunks (tables of a
/// large corpus can be larger than memory).
fn same_bytes(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let (mut fa, mut fb) = (fs::File::open(a)?, fs::File::open(b)?);
    if fa.metadata()?.len() != fb.metadata()?.len() {
        return Ok(false);
    }
    let (mut ba, mut bb) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

/// Drops every file under `path` (or `path` itself, a file) from the page
/// cache (`POSIX_FADV_DONTNEED`), so that the next run reads it from disk.
/// Only pages already written are dropped: a corpus is never being written.
#[cfg(target_os = "linux")]
fn drop_from_page_cache(path: &Path) -> Result<()> {
    for file in files(path)? {
        let open = fs::File::open(&file).with_context(|| format!("{}: cannot open", file.display()))?;
        rustix::fs::fadvise(&open, 0, None, rustix::fs::Advice::DontNeed)
            .with_context(|| format!("{}: cannot drop from the page cache", file.display()))?;
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn drop_from_page_cache(_path: &Path) -> Result<()> {
    bail!("--cold needs Linux (posix_fadvise)")
}

/// Reads every `.txt`, `.md` and `.markdown` file under `path` (or `path`
/// itself, a file) and gives their bytes.
fn read_corpus(path: &Path) -> Result<u64> {
    let (mut total, single) = (0, path.is_file());
    for file in files(path)? {
        if single || file.extension().is_some_and(|e| e == "txt" || e == "md" || e == "markdown") {
            total += fs::read(&file)?.len() as u64;
        }
    }
    Ok(total)
}

/// Every file under `path`, or `path` itself when it is a file.
fn files(path: &Path) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if path.is_file() {
                out.push(path);
            }
        }
        Ok(())
    }
    let meta = fs::metadata(path).with_context(|| format!("{}: not found", path.display()))?;
    let mut out = Vec::new();
    if meta.is_dir() {
        walk(path, &mut out)?;
    } else {
        out.push(path.to_path_buf());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_criterion_json() {
        let benchmark = r#"{"group_id":"tokenize","function_id":"fast","value_str":null,"throughput":{"Bytes":163840},"full_id":"tokenize/fast","directory_name":"tokenize/fast"}"#;
        let estimates = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":409600.5,"standard_error":3.0},"median":{"point_estimate":7.0}}"#;
        assert_eq!(json_string(benchmark, "full_id").as_deref(), Some("tokenize/fast"));
        assert_eq!(json_after(benchmark, &["\"throughput\"", "\"Bytes\""]), Some(163840.0));
        assert_eq!(json_after(estimates, &["\"mean\"", "\"point_estimate\""]), Some(409600.5));
    }
}
