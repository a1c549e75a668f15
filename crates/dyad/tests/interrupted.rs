//! A run killed midway (SIGKILL on Unix, TerminateProcess on Windows: no
//! cleanup code runs, as with Ctrl-C or an out-of-memory kill) never leaves
//! a truncated table: every `.csv` in the output folder is the previous
//! run's table or the new one, whole.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

use dyad_report::Table;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dyad-interrupted-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// `copies` copies of the corpus articles under `input`.
fn big_input(input: &Path, copies: usize) {
    for copy in 0..copies {
        for split in ["dev", "test"] {
            let from = repo().join("corpus").join(split);
            let to = input.join(format!("c{copy}")).join(split);
            fs::create_dir_all(&to).expect("create input");
            for entry in fs::read_dir(&from).expect("corpus") {
                let path = entry.expect("entry").path();
                let name = path.file_name().expect("name").to_string_lossy().into_owned();
                if name.ends_with(".txt") || name.ends_with(".md") {
                    fs::copy(&path, to.join(name)).expect("copy");
                }
            }
        }
    }
}

fn dyad(root: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dyad"));
    cmd.args(["--input", "in", "--out", "out", "--threads", "1", "--no-progress", "--seeds"])
        .arg(repo().join("seeds"))
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// The bytes of every table present in `out`.
fn tables(out: &Path) -> Vec<(Table, Option<Vec<u8>>)> {
    Table::ALL.iter().map(|&t| (t, fs::read(out.join(t.file_name())).ok())).collect()
}

#[test]
fn a_killed_run_leaves_whole_tables() {
    let root = scratch("kill");
    big_input(&root.join("in"), 4);
    let out = root.join("out");

    // Killed before it ever finished: no table, or a whole one.
    for delay_ms in [20, 150] {
        let mut child = dyad(&root).spawn().expect("start dyad");
        sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
    }
    let complete = dyad(&root).status().expect("run dyad");
    assert_eq!(complete.code(), Some(0));
    let whole = tables(&out);
    assert!(whole.iter().all(|(_, bytes)| bytes.is_some()));

    // Killed at many points of a rerun over the same input: every table is
    // the previous one or the new one, which are the same bytes, so any
    // difference is a truncated or half-renamed table.
    for delay_ms in [5, 30, 80, 150, 250, 400, 600, 900, 1300] {
        let mut child = dyad(&root).spawn().expect("start dyad");
        sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        for ((table, before), (_, after)) in whole.iter().zip(tables(&out)) {
            assert!(after.as_ref() == before.as_ref(), "{} changed after a kill at {delay_ms} ms", table.file_name());
        }
    }
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn a_failed_run_keeps_the_previous_tables() {
    let root = scratch("fail");
    big_input(&root.join("in"), 1);
    let status = dyad(&root).status().expect("run dyad");
    assert_eq!(status.code(), Some(0));
    let out = root.join("out");
    let before = tables(&out);

    // Bad seeds stop the next run before it writes anything.
    let seeds = root.join("bad-seeds");
    fs::create_dir_all(&seeds).expect("create");
    for file in dyad::SEED_FILES {
        fs::copy(repo().join("seeds").join(file), seeds.join(file)).expect("copy seed");
    }
    fs::write(seeds.join("cues.tsv"), "cue\tkind\tcategory\tquad_class\tscore\tframe\nback\tverb\tSUPPORT\n")
        .expect("write");
    let failed = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["--input", "in", "--out", "out", "--seeds", "bad-seeds"])
        .current_dir(&root)
        .output()
        .expect("run dyad");
    assert_eq!(failed.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("cues.tsv:2"), "{stderr}");
    assert!(tables(&out) == before, "the previous tables are untouched");
    for table in Table::ALL {
        assert!(!out.join(format!("{}.tmp", table.file_name())).exists(), "no .tmp left");
    }
    let _ = fs::remove_dir_all(&root);
}
