//! End-to-end runs of the pipeline and the `dyad` binary over temporary
//! folders and the repository's corpus.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dyad::Config;
use dyad_report::Table;

const GOOD: &str = "Russia and Iran: a partnership of convenience\n\
By Jane Doe\n\
\n\
Russia has supplied Iran with drones, and Tehran has backed Moscow, \"quietly\", at the UN.\n\
Israel condemned the deal.\n";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh, empty folder under the system temp dir, unique to this test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dyad-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn config(input: &Path, out: &Path, threads: usize) -> Config {
    Config {
        input: input.to_path_buf(),
        out: out.to_path_buf(),
        seeds: repo().join("seeds"),
        threads,
        progress: false,
        ..Config::default()
    }
}

/// Every record of a CSV table, header first.
fn records(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(path).expect("table exists");
    reader.records().map(|r| r.expect("valid CSV").iter().map(str::to_string).collect()).collect()
}

/// A folder with one good article, one undecodable (odd-length UTF-16) and one binary file.
fn mixed_input(root: &Path) -> PathBuf {
    let input = root.join("in");
    fs::create_dir_all(input.join("sub")).expect("create input");
    fs::write(input.join("good.txt"), GOOD).expect("write");
    fs::write(input.join("sub/utf16-odd.txt"), b"\xFF\xFEa\x00b").expect("write");
    fs::write(input.join("blob.txt"), b"\x00\x01\x02binary").expect("write");
    input
}

#[test]
fn bad_inputs_become_rows_and_never_abort() {
    let root = scratch("mixed");
    let input = mixed_input(&root);
    let out = root.join("out");
    let summary = dyad::run(&config(&input, &out, 2)).expect("the batch runs");

    assert_eq!((summary.tables.documents, summary.tables.ok), (3, 1), "{summary:?}");
    assert_eq!((summary.tables.skipped, summary.tables.errors), (1, 1), "{summary:?}");
    assert_eq!(summary.exit_code(), 1);

    for table in Table::ALL {
        let rows = records(&out.join(table.file_name()));
        assert_eq!(rows[0], table.columns(), "{} header", table.file_name());
        assert!(!out.join(format!("{}.tmp", table.file_name())).exists(), "no .tmp left");
    }

    let documents = records(&out.join("documents.csv"));
    let summary_of = |row: &Vec<String>| format!("{} {} {}", row[0], row[9], row[10].is_empty());
    let rows: Vec<String> = documents[1..].iter().map(summary_of).collect();
    assert_eq!(rows, ["blob.txt skipped false", "good.txt ok true", "sub/utf16-odd.txt error false"]);

    let diagnostics = records(&out.join("diagnostics.csv"));
    for bad in ["blob.txt", "sub/utf16-odd.txt"] {
        assert!(diagnostics.iter().any(|d| d[0].ends_with(bad)), "a diagnostics row names {bad}: {diagnostics:?}");
    }
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn tables_do_not_depend_on_thread_count() {
    let root = scratch("threads");
    let corpus = repo().join("corpus");
    let one = root.join("one");
    let two = root.join("two");
    let s1 = dyad::run(&config(&corpus, &one, 1)).expect("one thread");
    let s2 = dyad::run(&config(&corpus, &two, 2)).expect("two threads");
    assert!(s1.tables.documents > 0, "the corpus has articles");
    assert_eq!(s1.tables, s2.tables);
    for table in Table::ALL {
        let a = fs::read(one.join(table.file_name())).expect("table");
        let b = fs::read(two.join(table.file_name())).expect("table");
        assert!(a == b, "{} differs between 1 and 2 threads", table.file_name());
    }
    let _ = fs::remove_dir_all(&root);
}

/// The offset contract: `start..end` slices the article text as read (one
/// leading BOM stripped) to the `text` of a mention and the `evidence` of a
/// stance.
#[test]
fn offsets_slice_the_article_text() {
    let root = scratch("offsets");
    let corpus = repo().join("corpus");
    let out = root.join("out");
    dyad::run(&config(&corpus, &out, 0)).expect("the corpus runs");
    let documents = records(&out.join("documents.csv"));
    let text_of = |doc_id: &str| -> String {
        let row = documents.iter().find(|r| r[0] == doc_id).expect("document row");
        let text = fs::read_to_string(&row[1]).expect("article readable");
        text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text)
    };
    let mut checked = 0;
    for (table, text_column) in [("mentions.csv", 4), ("stances.csv", 20)] {
        let rows = records(&out.join(table));
        let (doc_col, start_col, end_col) = if table == "mentions.csv" { (0, 2, 3) } else { (1, 3, 4) };
        for row in &rows[1..] {
            let text = text_of(&row[doc_col]);
            let start: usize = row[start_col].parse().expect("start");
            let end: usize = row[end_col].parse().expect("end");
            assert_eq!(text.get(start..end), Some(row[text_column].as_str()), "{table}: {row:?}");
            checked += 1;
        }
    }
    assert!(checked > 0, "the taggers found something in the corpus");
    let _ = fs::remove_dir_all(&root);
}

fn dyad(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad")).args(args).current_dir(cwd).output().expect("run dyad")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn binary_exit_codes() {
    let root = scratch("exit");
    let input = mixed_input(&root);
    let seeds = repo().join("seeds");
    let seeds = seeds.to_str().expect("UTF-8 path");

    let partial = dyad(&root, &["--input", "in", "--out", "out", "--seeds", seeds, "--no-progress"]);
    assert_eq!(partial.status.code(), Some(1), "{}", stderr(&partial));
    let line = stderr(&partial);
    assert!(line.starts_with("dyad: 3 documents (1 skipped, 1 errors), "), "{line}");
    assert!(line.trim_end().ends_with(" MB/s -> out/") && line.lines().count() == 1, "{line}");

    fs::remove_file(input.join("blob.txt")).expect("remove");
    fs::remove_file(input.join("sub/utf16-odd.txt")).expect("remove");
    let ok = dyad(&root, &["--input", "in", "--out", "out", "--seeds", seeds]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));

    let missing = dyad(&root, &["--input", "nowhere", "--seeds", seeds]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nowhere"), "{}", stderr(&missing));

    let inside = dyad(&root, &["--input", "in", "--out", "in/out", "--seeds", seeds]);
    assert_eq!(inside.status.code(), Some(2));
    assert!(stderr(&inside).contains("in/out"), "{}", stderr(&inside));
    assert!(!input.join("out").exists(), "nothing written inside the input");

    let usage = dyad(&root, &["--threads", "many"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(stderr(&usage).contains("--threads"), "{}", stderr(&usage));

    let no_seeds = dyad(&root, &["--input", "in", "--seeds", "no-such-seeds"]);
    assert_eq!(no_seeds.status.code(), Some(2));
    assert!(stderr(&no_seeds).contains("no-such-seeds"), "{}", stderr(&no_seeds));

    let help = dyad(&root, &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("--backend"));
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn missing_default_seeds_fall_back_to_built_in() {
    let root = scratch("builtin");
    mixed_input(&root);
    let run = dyad(&root, &["--input", "in/good.txt", "--out", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let diagnostics = records(&root.join("out/diagnostics.csv"));
    assert!(diagnostics.iter().any(|d| d[0] == "seeds" && d[3].contains("built into dyad")), "{diagnostics:?}");
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn bad_seeds_are_fatal_and_named() {
    let root = scratch("badseeds");
    mixed_input(&root);
    let seeds = root.join("seeds");
    fs::create_dir_all(&seeds).expect("create seeds");
    for file in dyad::SEED_FILES {
        fs::copy(repo().join("seeds").join(file), seeds.join(file)).expect("copy seed");
    }
    let actors = fs::read_to_string(seeds.join("actors.tsv")).expect("read");
    let line = actors.lines().count() + 1;
    fs::write(seeds.join("actors.tsv"), format!("{actors}BROKEN\tnot-a-kind\tBroken\t\t\t\n")).expect("write");
    let run = dyad(&root, &["--input", "in", "--out", "out", "--seeds", "seeds"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).contains(&format!("actors.tsv:{line}")), "{}", stderr(&run));
    assert!(!root.join("out/documents.csv").exists(), "no tables on a fatal error");

    fs::remove_file(seeds.join("cues.tsv")).expect("remove");
    let run = dyad(&root, &["--input", "in", "--out", "out", "--seeds", "seeds"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("cues.tsv"), "{}", stderr(&run));
    let _ = fs::remove_dir_all(&root);
}
