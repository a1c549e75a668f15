//! A corrupted corpus: good articles next to every kind of bad input dyad
//! has been handed in real life. Every file must be accounted for in
//! `documents.csv` (and, when it is not `ok`, in `diagnostics.csv`), no
//! stage may panic, every table must be well-formed CSV, every offset must
//! index the text `--emit-text` writes, and the good articles must give
//! exactly the rows they give on their own.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use dyad::Config;
use dyad_report::{Table, neutralise};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh, empty folder under the system temp dir, unique to this test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dyad-hostile-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("has a folder")).expect("create folder");
    fs::write(path, bytes).expect("write");
}

/// The good inputs: three corpus articles, a clean HTML page, a clean JSONL
/// export. (relative path, bytes)
fn good_inputs() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for article in [
        "dev/haniyeh-russia-iran-israel.txt",
        "dev/gulf-states-china-hedging.md",
        "test/azerbaijan-armenia-russia-turkey.txt",
    ] {
        let bytes = fs::read(repo().join("corpus").join(article)).expect("corpus article");
        out.push((format!("good/{article}"), bytes));
    }
    out.push((
        "good/page.html".to_string(),
        br#"<!doctype html><html><head><title>Site | Deal</title>
<meta name="author" content="Jane Doe"></head><body><nav>Home | World</nav>
<article><h1>Russia and Iran</h1><p>Russia has supplied Iran with drones, and Tehran has backed Moscow at the UN.</p>
<p>Israel condemned the deal.</p></article><footer>(c) Site</footer></body></html>"#
            .to_vec(),
    ));
    out.push((
        "good/export.jsonl".to_string(),
        concat!(
            r#"{"id":"n1","title":"Ankara and Damascus","text":"Turkey accused Syria of shelling the border.\nSyria rejected the claim."}"#,
            "\n",
            r#"{"id":"n2","author":"John Roe","text":"China backed Pakistan, and India condemned the move."}"#,
            "\n",
        )
        .as_bytes()
        .to_vec(),
    ));
    out
}

fn utf16le(text: &str) -> Vec<u8> {
    [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
}

/// One bad input: its relative path (or JSONL row id), the status its
/// `documents.csv` row must have, and a word its reason must contain.
struct Case {
    id: String,
    status: &'static str,
    reason: &'static str,
}

fn case(id: &str, status: &'static str, reason: &'static str) -> Case {
    Case { id: id.to_string(), status, reason }
}

/// Writes the bad inputs under `root` and returns what each must become.
fn bad_inputs(root: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut add = |rel: &str, bytes: &[u8], status, reason| {
        write(root, rel, bytes);
        cases.push(case(rel, status, reason));
    };
    add("bad/empty.txt", b"", "skipped", "empty file");
    add("bad/whitespace.md", b" \r\n\t\n  ", "skipped", "empty file");
    add("bad/bom-only.txt", b"\xEF\xBB\xBF\r\n", "skipped", "empty file");
    add("bad/nul-bytes.txt", b"Russia\x00\x00\x00Iran\x00", "skipped", "binary file");
    add("bad/report.pdf.txt", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\n", "skipped", "PDF");
    add("bad/letter.docx.txt", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "skipped", "ZIP");
    add("bad/photo.jpg.md", b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", "skipped", "JPEG");
    add("bad/archive.txt", b"\x1F\x8B\x08\x00\x00\x00\x00\x00", "skipped", "gzip");
    add("bad/controls.txt", b"a\x01b\x02c\x03d\x04e\x05f\x06g\x07h\x08", "skipped", "binary file");
    add("bad/image.png", b"\x89PNG\r\n\x1A\n", "skipped", "unsupported file type .png");
    add("bad/notes.docx", b"PK\x03\x04", "skipped", "unsupported file type .docx");
    add("bad/no-extension", b"Russia backed Iran.\n", "skipped", "no extension");
    add("bad/too-large.txt", "Russia backed Iran. ".repeat(5000).as_bytes(), "skipped", "too large");
    add("bad/utf16-odd.txt", b"\xFF\xFEa\x00b", "error", "not valid UTF-16LE");
    let cp1251: Vec<u8> = "Россия поддержала Иран, а Израиль осудил сделку."
        .chars()
        .map(|c| match c {
            'А'..='я' => (0xC0 + (u32::from(c) - 0x410)) as u8,
            c => c as u8,
        })
        .collect();
    add("bad/cp1251.txt", &cp1251, "error", "unknown text encoding");
    add(
        "bad/nav-only.html",
        b"<html><body><nav><a href='/'>Home</a></nav><footer>(c)</footer></body></html>",
        "skipped",
        "no article text",
    );
    add(
        "bad/comment-only.htm",
        b"<!-- <p>Russia backed Iran.</p> --><script>var p = '<p>x</p>'</script>",
        "skipped",
        "no article text",
    );
    add("bad/blank.jsonl", b"\n\r\n\n", "skipped", "empty file");
    // Decodable with a warning: ok rows, no crash.
    add("bad/cp1252.txt", b"\x93Russia\x94 backed Iran \x96 and Israel\x92s reply came fast.\r\n", "ok", "");
    add("bad/utf16-bom.txt", &utf16le("Russia backed Iran.\nIsrael condemned the deal.\n"), "ok", "");
    add("bad/truncated-utf8.txt", b"Russia backed Iran \xE2\x80", "ok", "");
    add("bad/lone-cr.txt", b"Russia backed Iran.\rIsrael objected.\r\rTurkey\rwatched.", "ok", "");
    add("bad/one-huge-line.txt", "Russia".repeat(8_000).as_bytes(), "ok", "");
    add("bad/nul-after-probe.txt", &[b"Russia backed Iran. ".repeat(500).as_slice(), b"\x00tail"].concat(), "ok", "");
    add(
        "bad/formulas.txt",
        b"=HYPERLINK(\"http://evil\",\"click\")\n\n+Russia backed Iran.\n\n-Israel condemned Iran.\n\n@SUM(A1) Turkey watched.\n",
        "ok",
        "",
    );
    add("bad/=cmd,\"quoted\".txt", b"Russia backed Iran.\n", "ok", "");
    add("bad/deep.html", format!("{}<p>Russia backed Iran.</p>", "<div>".repeat(10_000)).as_bytes(), "ok", "");
    add(
        "bad/broken-tags.html",
        b"<p>Russia <b>backed<p>Iran<div</p><a href=\"x>Israel</a> &bogus; &#xD800; &#99999999;",
        "ok",
        "",
    );
    // A JSONL export with good and bad lines: one row per line.
    write(
        root,
        "bad/mixed.jsonl",
        concat!(
            "{\"id\":\"ok1\",\"text\":\"Russia backed Iran.\"}\n",
            "{not json}\n",
            "[1, 2, 3]\n",
            "{\"id\":\"no-text\"}\n",
            "{\"id\":\"ok1\",\"text\":\"A duplicate id.\"}\n",
            "{\"id\":\"n\",\"text\":42}\n",
            "{\"id\":\"../../escape\",\"text\":\"Israel condemned Iran.\"}\n",
        )
        .as_bytes(),
    );
    cases.extend([
        case("bad/mixed.jsonl#ok1", "ok", ""),
        case("bad/mixed.jsonl#2", "skipped", "line 2, column 2: not valid JSON"),
        case("bad/mixed.jsonl#3", "skipped", "line 3: not a JSON object"),
        case("bad/mixed.jsonl#4", "skipped", "line 4: no text field"),
        case("bad/mixed.jsonl#ok1~5", "ok", ""),
        case("bad/mixed.jsonl#6", "skipped", "line 6: text is not a string"),
        case("bad/mixed.jsonl#.._.._escape", "ok", ""),
    ]);

    #[cfg(unix)]
    {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = root.join("bad");
        symlink(dir.join("nowhere.txt"), dir.join("broken-link.txt")).expect("symlink");
        cases.push(case("bad/broken-link.txt", "skipped", "broken symbolic link"));
        symlink(dir.join("loop-b.txt"), dir.join("loop-a.txt")).expect("symlink");
        symlink(dir.join("loop-a.txt"), dir.join("loop-b.txt")).expect("symlink");
        cases.push(case("bad/loop-a.txt", "skipped", "cannot be followed"));
        cases.push(case("bad/loop-b.txt", "skipped", "cannot be followed"));
        symlink(root, dir.join("folder-loop")).expect("symlink");
        cases.push(case("bad/folder-loop", "skipped", "folder already read"));
        symlink("/dev/zero", dir.join("device.txt")).expect("symlink");
        cases.push(case("bad/device.txt", "skipped", "not a regular file"));

        let locked = dir.join("unreadable.txt");
        fs::write(&locked, b"Russia backed Iran.\n").expect("write");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
        // Root reads anything: then it is simply a good file.
        if fs::read(&locked).is_ok() {
            cases.push(case("bad/unreadable.txt", "ok", ""));
        } else {
            cases.push(case("bad/unreadable.txt", "error", "Permission denied"));
        }
        let locked_dir = dir.join("locked-folder");
        write(&locked_dir, "inside.txt", b"Russia backed Iran.\n");
        fs::set_permissions(&locked_dir, fs::Permissions::from_mode(0o000)).expect("chmod");
        if fs::read_dir(&locked_dir).is_ok() {
            cases.push(case("bad/locked-folder/inside.txt", "ok", ""));
        } else {
            cases.push(case("bad/locked-folder", "error", "cannot list folder"));
        }
        let fifo = dir.join("pipe.txt");
        if Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
            cases.push(case("bad/pipe.txt", "skipped", "not a regular file"));
        }
    }
    // Never listed: the corpus's own notes and hidden files.
    write(root, "bad/README.md", b"notes");
    write(root, "bad/x.txt.gold", b"gold");
    write(root, "bad/.hidden.txt", b"hidden");
    cases
}

/// Every record of a CSV table, header first; fails on malformed CSV or a
/// row with another number of fields than the header.
fn records(path: &Path) -> Vec<Vec<String>> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(false).from_path(path).expect("table exists");
    reader.records().map(|r| r.expect("well-formed CSV").iter().map(str::to_string).collect()).collect()
}

/// A cell as dyad wrote it, its neutralising `'` removed.
fn raw(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

fn config(input: &Path, out: &Path, texts: Option<&Path>) -> Config {
    Config {
        input: input.to_path_buf(),
        out: out.to_path_buf(),
        seeds: repo().join("seeds"),
        threads: 2,
        progress: false,
        max_bytes: 64 * 1024,
        emit_text: texts.map(Path::to_path_buf),
        ..Config::default()
    }
}

/// Rows of the per-document tables for `ids`, keyed by table, without the
/// `path` column (it names the input folder).
fn rows_of(out: &Path, ids: &BTreeSet<String>) -> BTreeMap<&'static str, Vec<Vec<String>>> {
    let mut map = BTreeMap::new();
    for (table, id_col) in [(Table::Documents, 0), (Table::Mentions, 0), (Table::Stances, 1), (Table::Actors, 0)] {
        let mut rows: Vec<Vec<String>> = records(&out.join(table.file_name()))
            .into_iter()
            .skip(1)
            .filter(|r| ids.contains(raw(&r[id_col])))
            .collect();
        if table == Table::Documents {
            for r in &mut rows {
                r.remove(1);
            }
        }
        map.insert(table.file_name(), rows);
    }
    map
}

#[test]
fn a_corrupted_corpus_is_fully_accounted_for() {
    let root = scratch("corpus");
    let input = root.join("in");
    for (rel, bytes) in good_inputs() {
        write(&input, &rel, &bytes);
    }
    let cases = bad_inputs(&input);
    assert!(cases.len() >= 20, "at least 20 kinds of bad input, got {}", cases.len());
    let out = root.join("out");
    let texts = root.join("texts");

    let summary = dyad::run(&config(&input, &out, Some(&texts))).expect("a bad file never stops the batch");
    assert_eq!(summary.exit_code(), 1, "{summary:?}");

    // Every table is well-formed, with its header.
    for table in Table::ALL {
        let rows = records(&out.join(table.file_name()));
        assert_eq!(rows[0], table.columns(), "{}", table.file_name());
    }

    // Every input has exactly the row it should, and nothing else has one.
    let documents = records(&out.join("documents.csv"));
    let by_id: BTreeMap<&str, &Vec<String>> = documents[1..].iter().map(|r| (raw(&r[0]), r)).collect();
    assert_eq!(by_id.len(), documents.len() - 1, "doc ids are unique");
    let good_ids: BTreeSet<String> = by_id.keys().filter(|id| id.starts_with("good/")).map(|s| s.to_string()).collect();
    let want_good: BTreeSet<&str> = [
        "good/dev/gulf-states-china-hedging.md",
        "good/dev/haniyeh-russia-iran-israel.txt",
        "good/export.jsonl#n1",
        "good/export.jsonl#n2",
        "good/page.html",
        "good/test/azerbaijan-armenia-russia-turkey.txt",
    ]
    .into();
    assert_eq!(good_ids.iter().map(String::as_str).collect::<BTreeSet<_>>(), want_good);
    let mut unexpected: BTreeSet<&str> = by_id.keys().copied().filter(|id| id.starts_with("bad/")).collect();
    let diagnostics = records(&out.join("diagnostics.csv"));
    for c in &cases {
        let Some(row) = by_id.get(c.id.as_str()) else {
            panic!("{} has no documents.csv row: {:#?}", c.id, by_id.keys());
        };
        unexpected.remove(c.id.as_str());
        assert_eq!((row[9].as_str(), raw(&row[10]).contains(c.reason)), (c.status, true), "{}: {row:?}", c.id);
        if c.status != "ok" {
            let file = c.id.split('#').next().unwrap_or_default();
            assert!(
                diagnostics.iter().any(|d| d[0].ends_with(file) && d[3].contains(c.reason)),
                "{} has a diagnostics row",
                c.id
            );
        }
    }
    assert!(unexpected.is_empty(), "rows nobody expected: {unexpected:?}");
    assert!(!diagnostics.iter().any(|d| d[3].contains("panicked")), "no stage panicked: {diagnostics:?}");

    // A file name that looks like a formula is neutralised, not lost.
    let formula_name = documents.iter().find(|r| raw(&r[0]) == "bad/=cmd,\"quoted\".txt");
    assert!(formula_name.is_some_and(|r| r[0] == neutralise(&r[0])), "ids never start a formula");

    // Every offset indexes the text --emit-text wrote.
    let emitted = |id: &str| {
        let rel: PathBuf = id.split('/').map(|p| if p == ".." { "__" } else { p }).collect();
        let path = texts.join(format!("{}.txt", rel.display()));
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let mut checked = 0;
    for m in records(&out.join("mentions.csv")).iter().skip(1) {
        let text = emitted(raw(&m[0]).replace('"', "_").as_str());
        let (start, end): (usize, usize) = (m[2].parse().expect("start"), m[3].parse().expect("end"));
        assert_eq!(text.get(start..end), Some(raw(&m[4])), "{m:?}");
        checked += 1;
    }
    for s in records(&out.join("stances.csv")).iter().skip(1) {
        let text = emitted(raw(&s[1]).replace('"', "_").as_str());
        let (start, end): (usize, usize) = (s[3].parse().expect("start"), s[4].parse().expect("end"));
        assert_eq!(text.get(start..end), Some(raw(&s[20])), "{s:?}");
    }
    assert!(checked > 100, "the good articles have mentions");

    // The good articles give the same rows as alone.
    let alone_root = scratch("alone");
    let alone_input = alone_root.join("in");
    for (rel, bytes) in good_inputs() {
        write(&alone_input, &rel, &bytes);
    }
    let alone_out = alone_root.join("out");
    let alone = dyad::run(&config(&alone_input, &alone_out, None)).expect("good articles run");
    assert_eq!(alone.exit_code(), 0);
    assert_eq!(rows_of(&out, &good_ids), rows_of(&alone_out, &good_ids));

    // The binary: exit code 1, one summary line, the path named.
    let bin = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["--input", "in", "--out", "out-bin", "--max-size", "64K", "--no-progress", "--seeds"])
        .arg(repo().join("seeds"))
        .current_dir(&root)
        .output()
        .expect("run dyad");
    let stderr = String::from_utf8_lossy(&bin.stderr);
    assert_eq!(bin.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("dyad: ") && stderr.contains(" skipped, ") && stderr.lines().count() == 1, "{stderr}");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(input.join("bad/locked-folder"), fs::Permissions::from_mode(0o755));
        let _ = fs::set_permissions(input.join("bad/unreadable.txt"), fs::Permissions::from_mode(0o644));
    }
    let _ = fs::remove_dir_all(&root);
    let _ = fs::remove_dir_all(&alone_root);
}

#[test]
fn outputs_inside_the_input_are_refused() {
    let root = scratch("inside");
    let input = root.join("in");
    write(&input, "a.txt", b"Russia backed Iran.\n");
    let err = dyad::run(&config(&input, &input.join("out"), None)).expect_err("out inside input");
    assert!(err.to_string().contains("the output folder is inside the input folder"), "{err}");
    let err =
        dyad::run(&config(&input, &root.join("out"), Some(&input.join("texts")))).expect_err("texts inside input");
    assert!(err.to_string().contains("the --emit-text folder is inside the input folder"), "{err}");
    assert!(!input.join("out").exists() && !input.join("texts").exists() && !root.join("out").exists());
    let _ = fs::remove_dir_all(&root);
}
