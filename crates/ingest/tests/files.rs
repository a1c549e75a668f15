//! `discover` and `load` against real files in a scratch folder under the
//! system temp dir: ordering, skipped notes and hidden files, every kind of
//! unusable file, BOM stripping and symlink loops.

use dyad_ingest::{IngestConfig, Source, discover, load};
use expect_test::{Expect, expect};
use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("dyad-ingest-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create scratch folder");
        Scratch(dir)
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent folder");
        }
        fs::write(path, bytes).expect("write scratch file");
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn ids(sources: &[Source]) -> Vec<&str> {
    sources.iter().map(|s| s.id.as_str()).collect()
}

/// One line per source: its id and what loading it gave.
fn check_loads(dir: &Path, cfg: &IngestConfig, expect: Expect) {
    let mut out = String::new();
    for source in discover(dir).expect("discover") {
        let loaded = load(&source, cfg);
        match &loaded.failure {
            Some((status, reason)) => {
                assert!(loaded.documents.is_empty());
                assert_eq!(loaded.diagnostics.len(), 1, "{}", source.id);
                let diag = &loaded.diagnostics[0];
                assert_eq!(
                    (diag.stage, diag.path.as_str(), diag.message.as_str()),
                    ("ingest", &*source.display, &**reason)
                );
                let _ = writeln!(
                    out,
                    "{}: {status} [{}] {reason}",
                    source.id,
                    diag.severity.as_str()
                );
            }
            None => {
                assert_eq!(loaded.documents.len(), 1);
                let doc = &loaded.documents[0];
                assert_eq!(
                    (doc.id.as_str(), doc.path.as_str()),
                    (source.id.as_str(), source.display.as_str())
                );
                let _ = writeln!(out, "{}: ok {:?}", source.id, doc.text);
            }
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn discover_sorts_by_relative_path_and_skips_notes_and_hidden_files() {
    let dir = Scratch::new("discover");
    for rel in [
        "b.txt",
        "a/z.md",
        "a/b.txt",
        "a-b.txt",
        "A.txt",
        "notes.pdf",
        "README.md",
        "sub/readme",
        "sub/ReadMe.MD",
        "x.txt.gold",
        "sub/y.gold",
        ".hidden.txt",
        ".git/config.txt",
        "sub/.cache/c.txt",
    ] {
        dir.write(rel, b"Some text.\n");
    }
    let sources = discover(dir.path()).expect("discover");
    assert_eq!(
        ids(&sources),
        [
            "A.txt",
            "a-b.txt",
            "a/b.txt",
            "a/z.md",
            "b.txt",
            "notes.pdf"
        ]
    );
    let given = dir.path().to_string_lossy().replace('\\', "/");
    for source in &sources {
        assert_eq!(source.display, format!("{given}/{}", source.id));
        assert_eq!(source.path, dir.path().join(&source.id));
    }
}

#[test]
fn discover_a_single_file_and_a_missing_path() {
    let dir = Scratch::new("single");
    dir.write("one/README.md", b"Asked for by name.\n");
    let file = dir.path().join("one/README.md");
    let sources = discover(&file).expect("discover");
    assert_eq!(ids(&sources), ["README.md"]);
    assert_eq!(
        sources[0].display,
        file.to_string_lossy().replace('\\', "/")
    );

    let missing = dir.path().join("nowhere");
    let err = discover(&missing).expect_err("missing input");
    assert!(err.to_string().contains("nowhere"), "{err}");
}

#[test]
fn load_accounts_for_every_file() {
    let dir = Scratch::new("load");
    dir.write("ok.txt", b"Russia hedges.\n");
    dir.write("bom.md", b"\xEF\xBB\xBF# T\r\n\r\nBody.\r\n");
    dir.write("upper.TXT", b"Upper-case extension.");
    dir.write("long.markdown", b"Markdown too.");
    dir.write("empty.txt", b"");
    dir.write("blank.md", b" \n\t\r\n");
    dir.write("binary.txt", b"abc\0def");
    dir.write("image.png", b"\x89PNG");
    dir.write("noext", b"text");
    dir.write("big.txt", &[b'a'; 65]);
    dir.write("latin1.txt", b"caf\xe9 au lait");
    dir.write("bom-then-bad.txt", b"\xEF\xBB\xBFab\xff");
    check_loads(
        dir.path(),
        &IngestConfig { max_bytes: 64 },
        expect![[r##"
            big.txt: skipped [warning] file too large: 65 bytes (limit 64 bytes)
            binary.txt: skipped [warning] binary file
            blank.md: skipped [warning] empty file
            bom-then-bad.txt: error [error] not valid UTF-8 at byte 5
            bom.md: ok "# T\r\n\r\nBody.\r\n"
            empty.txt: skipped [warning] empty file
            image.png: skipped [info] unsupported file type .png
            latin1.txt: error [error] not valid UTF-8 at byte 3
            long.markdown: ok "Markdown too."
            noext: skipped [info] unsupported file type (no extension)
            ok.txt: ok "Russia hedges.\n"
            upper.TXT: ok "Upper-case extension."
        "##]],
    );
}

#[test]
fn load_reports_io_errors_without_panicking() {
    let dir = Scratch::new("io");
    let source = Source {
        path: dir.path().join("gone.txt"),
        display: "corpus/gone.txt".to_string(),
        id: "gone.txt".to_string(),
    };
    let loaded = load(&source, &IngestConfig::default());
    let (status, reason) = loaded.failure.expect("failure");
    assert_eq!(status, "error");
    assert!(
        !reason.is_empty() && !reason.contains("corpus/"),
        "{reason}"
    );
    assert_eq!(loaded.diagnostics[0].severity.as_str(), "error");
}

#[cfg(unix)]
#[test]
fn symlink_loops_end_and_broken_links_are_reported() {
    use std::os::unix::fs::symlink;
    let dir = Scratch::new("symlinks");
    dir.write("a/one.txt", b"One.\n");
    dir.write("b/two.txt", b"Two.\n");
    symlink(dir.path(), dir.path().join("a/loop")).expect("symlink to root");
    symlink(dir.path().join("a"), dir.path().join("b/back")).expect("symlink to sibling");
    symlink(
        dir.path().join("nowhere.txt"),
        dir.path().join("broken.txt"),
    )
    .expect("broken symlink");
    check_loads(
        dir.path(),
        &IngestConfig::default(),
        expect![[r#"
            a/one.txt: ok "One.\n"
            b/two.txt: ok "Two.\n"
            broken.txt: error [error] No such file or directory (os error 2)
        "#]],
    );
}
