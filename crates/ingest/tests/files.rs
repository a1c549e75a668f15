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
                let _ = writeln!(out, "{}: {status} [{}] {reason}", source.id, diag.severity.as_str());
            }
            None => {
                assert!(!loaded.documents.is_empty() || !loaded.rejected.is_empty());
                for doc in &loaded.documents {
                    assert_eq!(doc.path, source.display);
                    assert!(doc.id == source.id || doc.id.starts_with(&format!("{}#", source.id)));
                    let _ = writeln!(out, "{}: ok {:?}", doc.id, doc.text);
                    let meta = &doc.meta;
                    for (key, value) in [
                        ("title", &meta.title),
                        ("author", &meta.author),
                        ("published", &meta.published),
                        ("url", &meta.url),
                    ] {
                        if let Some(value) = value {
                            let _ = writeln!(out, "  {key}: {value}");
                        }
                    }
                }
                for r in &loaded.rejected {
                    let _ = writeln!(out, "{}: {} {}", r.id, r.status, r.reason);
                }
                for d in &loaded.diagnostics {
                    assert_eq!((d.stage, d.path.as_str()), ("ingest", &*source.display));
                    let _ = writeln!(out, "  [{}] {}", d.severity.as_str(), d.message);
                }
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
    assert_eq!(ids(&sources), ["A.txt", "a-b.txt", "a/b.txt", "a/z.md", "b.txt", "notes.pdf"]);
    let given = dir.path().to_string_lossy().replace('\\', "/");
    for source in &sources {
        assert_eq!(source.display, format!("{given}/{}", source.id));
        assert_eq!(source.path, dir.path().join(&source.id));
    }
}

/// `discover` against the plain way of listing (`fs::read_dir`, every
/// name made valid UTF-8, sorted by name then by the name on disk, then
/// every id sorted): names alike in their first sixteen bytes and beyond,
/// non-ASCII and (on Unix) non-UTF-8 names, one alike with a UTF-8 name
/// once made valid, a sub-folder whose files sort between the files beside
/// it.
#[test]
fn discover_lists_as_read_dir_and_a_sort_do() {
    fn plain(dir: &Path, prefix: &str, found: &mut Vec<(String, PathBuf)>) {
        let mut entries: Vec<(String, PathBuf)> = fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry"))
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
            .filter(|(name, _)| !name.starts_with('.') && name != "README.md")
            .collect();
        entries.sort();
        for (name, path) in entries {
            let id = format!("{prefix}{name}");
            if path.is_dir() {
                plain(&path, &format!("{id}/"), found);
            } else {
                found.push((id, path));
            }
        }
    }
    let dir = Scratch::new("order");
    let mut names: Vec<String> = Vec::new();
    for head in ["doc-0010000.txt", "doc-0010000.txt-long-tail", "a", "é", "z", "sub", "sub-", "sub0"] {
        for tail in ["", "a", "b", "é", "0123456789abcdefg", ".md"] {
            names.push(format!("{head}{tail}"));
        }
    }
    names.extend(["sub/x.txt", "sub/doc-0010000.txt-b", "sub/é.txt", ".hidden", "README.md"].map(String::from));
    for name in &names {
        if !names.iter().any(|other| other.starts_with(&format!("{name}/"))) {
            dir.write(name, b"Text.\n");
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        for raw in [&b"bad-\xff.txt"[..], b"bad-\x80.txt", b"bad-\xef\xbf\xbd.txt", b"sub/\xfe"] {
            fs::write(dir.path().join(std::ffi::OsStr::from_bytes(raw)), b"Text.\n").expect("write");
        }
    }
    let mut expected = Vec::new();
    plain(dir.path(), "", &mut expected);
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    let sources = discover(dir.path()).expect("discover");
    let found: Vec<(String, PathBuf)> = sources.into_iter().map(|s| (s.id, s.path)).collect();
    assert_eq!(found, expected);
}

#[test]
fn discover_a_single_file_and_a_missing_path() {
    let dir = Scratch::new("single");
    dir.write("one/README.md", b"Asked for by name.\n");
    let file = dir.path().join("one/README.md");
    let sources = discover(&file).expect("discover");
    assert_eq!(ids(&sources), ["README.md"]);
    assert_eq!(sources[0].display, file.to_string_lossy().replace('\\', "/"));

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
            big.txt: skipped [warning] file too large: 65 bytes (limit 64 bytes, set with --max-size)
            binary.txt: skipped [warning] binary file
            blank.md: skipped [warning] empty file
            bom-then-bad.txt: ok "abÿ"
              [warning] not valid UTF-8 at byte 5: decoded as Latin-1 (ISO-8859-1); offsets refer to the UTF-8 text (see --emit-text)
            bom.md: ok "# T\r\n\r\nBody.\r\n"
              title: T
            empty.txt: skipped [warning] empty file
            image.png: skipped [info] unsupported file type .png
            latin1.txt: ok "café au lait"
              [warning] not valid UTF-8 at byte 3: decoded as Latin-1 (ISO-8859-1); offsets refer to the UTF-8 text (see --emit-text)
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
    assert!(!reason.is_empty() && !reason.contains("corpus/"), "{reason}");
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
    symlink(dir.path().join("nowhere.txt"), dir.path().join("broken.txt")).expect("broken symlink");
    check_loads(
        dir.path(),
        &IngestConfig::default(),
        expect![[r#"
            a/loop: skipped [info] symbolic link to a folder already read (a loop or a second path): its files are listed once
            a/one.txt: ok "One.\n"
            b/back: skipped [info] symbolic link to a folder already read (a loop or a second path): its files are listed once
            b/two.txt: ok "Two.\n"
            broken.txt: skipped [warning] broken symbolic link: its target does not exist
        "#]],
    );
}

fn utf16(text: &str, bom: bool, little: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for unit in text.encode_utf16() {
        out.extend(if little { unit.to_le_bytes() } else { unit.to_be_bytes() });
    }
    out
}

#[test]
fn encodings_are_detected_and_binaries_named() {
    let dir = Scratch::new("encodings");
    dir.write("utf16le.txt", &utf16("Kyiv and Warsaw\u{2019}s ties.\n", true, true));
    dir.write("utf16be.txt", &utf16("Seoul \u{2014} Tokyo.\n", true, false));
    dir.write("utf16-no-bom.txt", &utf16("Hanoi and Manila.\n", false, true));
    dir.write("utf16-odd.txt", &[0xFF, 0xFE, b'a', 0, b'b']);
    dir.write("cp1252.txt", b"\x93Caf\xe9 diplomacy\x94 \x96 Paris\x92s view, \x80 5bn.\r\n");
    // Windows-1251 Cyrillic: every letter a high byte.
    let cp1251: Vec<u8> = "Россия и Иран сотрудничают."
        .chars()
        .map(|c| match c {
            'А'..='я' => (0xC0 + (u32::from(c) - 0x410)) as u8,
            c => c as u8,
        })
        .collect();
    dir.write("cp1251.txt", &cp1251);
    dir.write("report.pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n");
    dir.write("archive.txt", b"PK\x03\x04\x14\x00\x00\x00");
    dir.write("controls.md", b"a\x01b\x02c\x03d\x04e\x05f\x06");
    dir.write("bom-only.txt", b"\xEF\xBB\xBF");
    dir.write("utf16-bom-only.txt", b"\xFF\xFE \x00\n\x00");
    check_loads(
        dir.path(),
        &IngestConfig::default(),
        expect![[r#"
            archive.txt: skipped [warning] binary file (ZIP archive or Office document)
            bom-only.txt: skipped [warning] empty file
            controls.md: skipped [warning] binary file
            cp1251.txt: error [error] unknown text encoding: not valid UTF-8 at byte 0, and 95% of the bytes are non-ASCII, too many for Windows-1252; convert the file to UTF-8
            cp1252.txt: ok "“Café diplomacy” – Paris’s view, € 5bn.\r\n"
              [warning] not valid UTF-8 at byte 0: decoded as Windows-1252; offsets refer to the UTF-8 text (see --emit-text)
            report.pdf.txt: skipped [warning] binary file (PDF)
            utf16-bom-only.txt: skipped [warning] empty file
            utf16-no-bom.txt: ok "Hanoi and Manila.\n"
              [warning] decoded from UTF-16LE (no byte-order mark, detected from its NUL bytes); offsets refer to the UTF-8 text (see --emit-text)
            utf16-odd.txt: error [error] not valid UTF-16LE at byte 4
            utf16be.txt: ok "Seoul — Tokyo.\n"
              [warning] decoded from UTF-16BE (byte-order mark); offsets refer to the UTF-8 text (see --emit-text)
            utf16le.txt: ok "Kyiv and Warsaw’s ties.\n"
              [warning] decoded from UTF-16LE (byte-order mark); offsets refer to the UTF-8 text (see --emit-text)
        "#]],
    );
}

#[test]
fn html_pages_and_jsonl_exports() {
    let dir = Scratch::new("formats");
    dir.write(
        "page.html",
        br#"<!DOCTYPE html><html><head><title>Site | Russia and Iran</title>
<meta property="og:title" content="Russia &amp; Iran, again">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://example.org/russia-iran">
<script>var x = "<p>not text</p>";</script></head>
<body><nav><a href="/">Home</a></nav><header>Site header</header>
<article><h1>Russia &amp; Iran</h1><p>Russia has <em>supplied</em> Iran with drones.</p>
<p>Israel condemned the deal.</p></article>
<footer>&copy; Site</footer></body></html>"#,
    );
    dir.write("empty-body.htm", b"<html><head><title>Nothing</title></head><body><nav>Menu</nav></body></html>");
    dir.write("saved-page.txt", b"<!doctype html><p>Tehran backed Moscow.</p>");
    dir.write(
        "export.jsonl",
        concat!(
            r#"{"id":"a1","title":"Deal","author":"John Roe","published":"2024-01-02","url":"https://example.org/a1","text":"Russia backed Iran.\nIsrael objected."}"#,
            "\n\n",
            "not json\n",
            r#"{"id":"a2","text":"  "}"#,
            "\n",
            r#"{"text":"No id, so the line number.","source":"ignored"}"#,
            "\n",
        )
        .as_bytes(),
    );
    dir.write("blank.jsonl", b"\n\r\n  \n");
    dir.write("all-bad.ndjson", b"[]\n{\"id\":1}\n");
    check_loads(
        dir.path(),
        &IngestConfig::default(),
        expect![[r#"
            all-bad.ndjson#1: skipped line 1: not a JSON object
            all-bad.ndjson#2: skipped line 2: no text field
              [warning] line 1: not a JSON object
              [warning] line 2: no text field
            blank.jsonl: skipped [warning] empty file
            empty-body.htm: skipped [warning] no article text in the HTML page
            export.jsonl#a1: ok "Russia backed Iran.\nIsrael objected."
              title: Deal
              author: John Roe
              published: 2024-01-02
              url: https://example.org/a1
            export.jsonl#5: ok "No id, so the line number."
            export.jsonl#3: skipped line 3, column 2: not valid JSON: expected ident
            export.jsonl#4: skipped line 4: empty text
              [warning] line 3, column 2: not valid JSON: expected ident
              [warning] line 4: empty text
            page.html: ok "Russia & Iran\n\nRussia has supplied Iran with drones.\n\nIsrael condemned the deal."
              title: Russia & Iran, again
              author: Jane Doe
              published: 2024-03-05
              url: https://example.org/russia-iran
            saved-page.txt: ok "Tehran backed Moscow."
              [warning] an HTML page: read as HTML; offsets refer to the extracted text (see --emit-text)
        "#]],
    );
}

#[cfg(target_os = "linux")]
#[test]
fn file_symlink_loops_and_unreadable_files() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = Scratch::new("loops");
    symlink(dir.path().join("b.txt"), dir.path().join("a.txt")).expect("symlink");
    symlink(dir.path().join("a.txt"), dir.path().join("b.txt")).expect("symlink");
    dir.write("locked.txt", b"Secret.\n");
    let locked = dir.path().join("locked.txt");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let mut out = String::new();
    for source in discover(dir.path()).expect("discover") {
        let loaded = load(&source, &IngestConfig::default());
        let (status, reason) = loaded.failure.clone().unwrap_or(("ok", String::new()));
        let _ = writeln!(out, "{}: {status} {reason}", source.id);
    }
    // Root reads any file; everyone else gets a clear error.
    if fs::read(&locked).is_ok() {
        out = out.replace("locked.txt: ok \n", "locked.txt: error cannot read: Permission denied (os error 13)\n");
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).expect("chmod back");
    expect![[r#"
        a.txt: skipped symbolic link cannot be followed (a loop?): Too many levels of symbolic links (os error 40)
        b.txt: skipped symbolic link cannot be followed (a loop?): Too many levels of symbolic links (os error 40)
        locked.txt: error cannot read: Permission denied (os error 13)
    "#]]
    .assert_eq(&out);
}

/// A FIFO named like an article is skipped, and loading it never waits for
/// a writer (opening one for reading blocks unless it is opened
/// non-blocking); a link to it too.
#[cfg(unix)]
#[test]
fn fifos_are_skipped_without_blocking() {
    use std::os::unix::fs::symlink;
    use std::sync::mpsc;
    use std::time::Duration;
    let dir = Scratch::new("fifo");
    let made = std::process::Command::new("mkfifo").arg(dir.path().join("pipe.txt")).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here: nothing to test
    }
    symlink(dir.path().join("pipe.txt"), dir.path().join("link.md")).expect("symlink to the FIFO");
    let path = dir.path().to_path_buf();
    let (tx, rx) = mpsc::channel();
    // On a thread: a blocked open would hang the test instead of failing it.
    std::thread::spawn(move || {
        let mut out = String::new();
        for source in discover(&path).expect("discover") {
            let loaded = load(&source, &IngestConfig::default());
            let (status, reason) = loaded.failure.unwrap_or(("ok", String::new()));
            let _ = writeln!(out, "{}: {status} {reason}", source.id);
        }
        let _ = tx.send(out);
    });
    let out = rx.recv_timeout(Duration::from_secs(20)).expect("loading a FIFO blocked");
    expect![[r#"
        link.md: skipped not a regular file
        pipe.txt: skipped not a regular file
    "#]]
    .assert_eq(&out);
}

/// The text of the document loading `path` gives, or its failure.
fn loaded_text(path: &Path, cfg: &IngestConfig) -> String {
    let source = Source { path: path.to_path_buf(), display: "in/x".to_string(), id: "x".to_string() };
    let loaded = load(&source, cfg);
    match (loaded.failure, loaded.documents.first()) {
        (Some((status, reason)), _) => format!("{status}: {reason}"),
        (None, Some(doc)) => doc.text.clone(),
        (None, None) => "no document".to_string(),
    }
}

/// A file is opened by name in its folder, held open from the file before:
/// files of one name in several folders, taken in turn, each give their own
/// text, through a doubled `/` too; a folder replaced by another of its
/// name between two listings is read anew.
#[test]
fn files_taken_in_turn_from_several_folders_and_a_replaced_folder() {
    let dir = Scratch::new("folders");
    for folder in ["a", "b", "a/c"] {
        dir.write(&format!("{folder}/x.txt"), format!("Text of {folder}.").as_bytes());
    }
    let cfg = IngestConfig::default();
    for folder in ["a", "b", "b", "a", "a/c", "a", "b"] {
        assert_eq!(loaded_text(&dir.path().join(folder).join("x.txt"), &cfg), format!("Text of {folder}."));
    }
    let doubled = PathBuf::from(format!("{}/a//x.txt", dir.path().display()));
    assert_eq!(loaded_text(&doubled, &cfg), "Text of a.");
    assert_eq!(loaded_text(&dir.path().join("a/c/gone.txt"), &cfg).split(':').next(), Some("error"));

    let b = dir.path().join("b");
    let texts =
        |cfg| -> Vec<String> { discover(&b).expect("discover").iter().map(|s| loaded_text(&s.path, cfg)).collect() };
    assert_eq!(texts(&cfg), ["Text of b."]);
    fs::rename(&b, dir.path().join("old-b")).expect("move the folder away");
    dir.write("b/x.txt", b"New text of b.");
    assert_eq!(texts(&cfg), ["New text of b."]);
}

/// A file is read whole whatever its size next to the limit and to the
/// sizes reads come in, in one read or several.
#[test]
fn files_of_every_size_are_read_whole() {
    let dir = Scratch::new("sizes");
    let limit = 70_000;
    let cfg = IngestConfig { max_bytes: limit };
    for len in [1, 2, 4095, 4096, 4097, 65_535, 65_536, 65_537, 69_999, 70_000, 70_001, 140_000] {
        let text: String =
            (0..len).map(|i| if i % 61 == 60 { '\n' } else { char::from(b'a' + (i % 26) as u8) }).collect();
        let path = dir.path().join(format!("{len}.txt"));
        fs::write(&path, &text).expect("write");
        let got = loaded_text(&path, &cfg);
        if len as u64 <= limit {
            assert_eq!(got, text, "{len}");
        } else {
            assert_eq!(got, format!("skipped: file too large: {len} bytes (limit {limit} bytes, set with --max-size)"));
        }
    }
}

/// A file longer than its listing says (here one of `/proc`, listed as
/// empty) is read on to its end, and its limit still holds.
#[cfg(target_os = "linux")]
#[test]
fn files_longer_than_listed_are_read_to_the_end() {
    let dir = Scratch::new("proc");
    let link = dir.path().join("status.txt");
    std::os::unix::fs::symlink("/proc/self/status", &link).expect("symlink");
    if fs::metadata(&link).map(|m| m.len()).unwrap_or(1) != 0 {
        return; // no /proc here, or one that lists its length: nothing to test
    }
    let text = loaded_text(&link, &IngestConfig::default());
    assert!(text.starts_with("Name:") && text.contains("\nPid:"), "{text}");
    let small = IngestConfig { max_bytes: 16 };
    assert_eq!(loaded_text(&link, &small), "skipped: file too large: 0 bytes (limit 16 bytes, set with --max-size)");
}

/// `prefetch` looks only at supported regular files, and reading ahead
/// changes nothing of what `load` then reads.
#[test]
fn prefetch_looks_at_supported_regular_files_only() {
    use dyad_ingest::{Prefetch, prefetch};
    let dir = Scratch::new("prefetch");
    let text = "Moscow and Tehran signed a treaty.\n".repeat(300);
    dir.write("a.txt", text.as_bytes());
    dir.write("b.png", b"\x89PNG\r\n\x1a\n");
    dir.write("empty.md", b"");
    fs::create_dir_all(dir.path().join("folder.txt")).expect("create folder");
    let source = |name: &str| {
        let path = dir.path().join(name);
        Source { display: path.display().to_string(), id: name.to_string(), path }
    };
    for name in ["b.png", "empty.md", "folder.txt", "missing.txt"] {
        assert_eq!(prefetch(&source(name)), Prefetch::Unknown, "{name}");
    }
    // Dropped from the page cache where the file system allows it, so that
    // reading ahead has something to start.
    #[cfg(target_os = "linux")]
    {
        let file = fs::File::open(dir.path().join("a.txt")).expect("open a.txt");
        let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::DontNeed);
    }
    let found = prefetch(&source("a.txt"));
    if cfg!(target_os = "linux") {
        assert!(matches!(found, Prefetch::Cached | Prefetch::Started), "{found:?}");
    } else {
        assert_eq!(found, Prefetch::Unknown);
    }
    let loaded = load(&source("a.txt"), &IngestConfig::default());
    assert_eq!(loaded.documents.len(), 1);
    assert_eq!(loaded.documents[0].text, text);
}
