//! CSV goldens: every table of a small committed corpus
//! (`tests/golden/input`: a think-tank brief, a wire story in Markdown and an
//! empty file) must match the files in `tests/golden/expected` byte for
//! byte. After an intended change, `UPDATE_EXPECT=1 cargo test -p dyad
//! --test golden` rewrites them; read the diff before committing it.

use dyad::Config;
use expect_test::expect_file;
use std::path::{Path, PathBuf};

#[test]
fn every_table_of_the_golden_corpus() {
    let out = std::env::temp_dir().join(format!("dyad-golden-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    // A relative input, so the `path` column does not depend on the clone's folder.
    let config = Config {
        input: PathBuf::from("tests/golden/input"),
        out: out.clone(),
        seeds: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds"),
        threads: 1,
        progress: false,
        ..Config::default()
    };
    let summary = dyad::run(&config).expect("the golden corpus runs");
    assert_eq!(summary.tables.ok, 2, "two articles are read; the empty file is skipped");
    // expect-test reads the expected files with `\r\n` turned into `\n`;
    // the tables' CRLF line ends are checked by report's own tests.
    let table = |name: &str| {
        std::fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")).replace("\r\n", "\n")
    };
    expect_file!["golden/expected/documents.csv"].assert_eq(&table("documents.csv"));
    expect_file!["golden/expected/mentions.csv"].assert_eq(&table("mentions.csv"));
    expect_file!["golden/expected/stances.csv"].assert_eq(&table("stances.csv"));
    expect_file!["golden/expected/pairs.csv"].assert_eq(&table("pairs.csv"));
    expect_file!["golden/expected/actors.csv"].assert_eq(&table("actors.csv"));
    expect_file!["golden/expected/unknown_names.csv"].assert_eq(&table("unknown_names.csv"));
    expect_file!["golden/expected/diagnostics.csv"].assert_eq(&table("diagnostics.csv"));
    let _ = std::fs::remove_dir_all(&out);
}
