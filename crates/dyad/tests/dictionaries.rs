//! The user's own dictionaries (`--actors`, `--aliases`, `--persons`,
//! `--cues`), merged over the seeds, and malformed dictionary lines, which
//! stop the run with the file and line named.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dyad-dict-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn dyad(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["--input", "in", "--out", "out", "--no-progress", "--seeds"])
        .arg(repo().join("seeds"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("run dyad")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn column(root: &Path, table: &str, name: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_path(root.join("out").join(table)).expect("table");
    let i = reader.headers().expect("header").iter().position(|h| h == name).expect("column");
    reader.records().map(|r| r.expect("row")[i].to_string()).collect()
}

const ARTICLE: &str = "Elbonia and Russia\n\nThe Elbonian government has befriended Russia. \
                       Premier Wally Dilbertson courted Moscow.\n";

#[test]
fn user_rows_are_merged_over_the_seeds() {
    let root = scratch("merge");
    fs::create_dir_all(root.join("in")).expect("create");
    fs::write(root.join("in/a.txt"), ARTICLE).expect("write");
    fs::write(
        root.join("actors.tsv"),
        "id\tkind\tname\tbelongs_to\tcountry\twikidata\n# mine\nELB\tstate\tElbonia\t\tELB\t\n",
    )
    .expect("write");
    fs::write(root.join("aliases.tsv"), "actor_id\talias\ttype\nELB\tElbonian\tdemonym\n").expect("write");
    fs::write(
        root.join("persons.tsv"),
        "id\tname\tbelongs_to\trole\twikidata\taliases\tsurname_alone\nWALLY_DILBERTSON\tWally Dilbertson\tELB\tPremier\t\t\tyes\n",
    )
    .expect("write");
    fs::write(
        root.join("cues.tsv"),
        "cue\tkind\tcategory\tquad_class\tscore\tframe\nbefriend\tverb\tCOOPERATE\tverbal_cooperation\t5\tdirected\n\
         court\tverb\tCOOPERATE\tverbal_cooperation\t3\tdirected\n",
    )
    .expect("write");

    let plain = dyad(&root, &[]);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    assert!(!column(&root, "mentions.csv", "actor_id").contains(&"ELB".to_string()));

    let merged = dyad(
        &root,
        &["--actors", "actors.tsv", "--aliases", "aliases.tsv", "--persons", "persons.tsv", "--cues", "cues.tsv"],
    );
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    let actors = column(&root, "mentions.csv", "actor_id");
    assert!(actors.contains(&"ELB".to_string()) && actors.contains(&"WALLY_DILBERTSON".to_string()), "{actors:?}");
    let sources = column(&root, "stances.csv", "source_id");
    assert!(sources.contains(&"ELB".to_string()), "{sources:?}");
    let messages = column(&root, "diagnostics.csv", "message");
    assert!(messages.iter().any(|m| m.starts_with("merged over ") && m.contains("1 rows")), "{messages:?}");
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn a_user_row_replaces_the_seed_row_with_its_key() {
    let root = scratch("replace");
    fs::create_dir_all(root.join("in")).expect("create");
    fs::write(root.join("in/a.txt"), "Muscovy backed Iran. Russia is no name of it now.\n").expect("write");
    fs::write(
        root.join("actors.tsv"),
        "id\tkind\tname\tbelongs_to\tcountry\twikidata\nRUS\tstate\tMuscovy\t\tRUS\tQ159\n",
    )
    .expect("write");
    let run = dyad(&root, &["--actors", "actors.tsv"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    // The seed row is gone, its name with it; the user's row names RUS.
    let texts = column(&root, "mentions.csv", "text");
    let names = column(&root, "mentions.csv", "actor_name");
    assert_eq!(texts.first().map(String::as_str), Some("Muscovy"), "{texts:?}");
    assert_eq!(names.first().map(String::as_str), Some("Muscovy"), "{names:?}");
    assert!(!texts.contains(&"Russia".to_string()), "{texts:?}");
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn malformed_dictionary_lines_name_the_file_and_line() {
    let root = scratch("bad");
    fs::create_dir_all(root.join("in")).expect("create");
    fs::write(root.join("in/a.txt"), ARTICLE).expect("write");
    let cases: [(&str, &str, &str, &str); 5] = [
        (
            "--actors",
            "actors.tsv",
            "id\tkind\tname\tbelongs_to\tcountry\twikidata\n# c\nELB\tkingdom\tElbonia\t\t\t\n",
            "actors.tsv:3: unknown kind `kingdom`",
        ),
        (
            "--actors",
            "short.tsv",
            "id\tkind\tname\tbelongs_to\tcountry\twikidata\nELB\tstate\n",
            "short.tsv:2: expected 6 tab-separated columns",
        ),
        (
            "--aliases",
            "aliases.tsv",
            "actor_id\talias\ttype\nNOBODY\tNobody\tname\n",
            "aliases.tsv:2: actor_id `NOBODY` is not an actor id",
        ),
        (
            "--cues",
            "cues.tsv",
            "cue\tkind\tcategory\tquad_class\tscore\tframe\n\nbefriend\tverb\tCOOPERATE\tverbal_cooperation\t99\tdirected\n",
            "cues.tsv:3: score `99`",
        ),
        ("--persons", "persons.tsv", "id\tname\n", "persons.tsv:1: expected the header"),
    ];
    for (flag, file, text, want) in cases {
        fs::write(root.join(file), text).expect("write");
        let run = dyad(&root, &[flag, file]);
        assert_eq!(run.status.code(), Some(2), "{flag} {file}: {}", stderr(&run));
        assert!(stderr(&run).contains(want), "{flag} {file}: want `{want}` in {}", stderr(&run));
        assert!(!root.join("out/documents.csv").exists(), "no tables on a fatal error");
    }
    let missing = dyad(&root, &["--cues", "no-such-cues.tsv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no-such-cues.tsv"), "{}", stderr(&missing));
    let _ = fs::remove_dir_all(&root);
}
