//! The `--excel` tables opened for real in a spreadsheet: headless
//! LibreOffice Calc (`soffice`, Debian's `libreoffice-calc-nogui`) imports
//! every table with `--infilter=CSV:44,34,76,1` (comma, double quote,
//! UTF-8, from line 1) and saves it as flat ODS, which is read back here to
//! confirm that no cell holds a live formula and that every row, column and
//! text cell survives. Skipped, with the reason printed, where LibreOffice
//! is not installed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use dyad::Config;
use dyad_report::{BOM, Table};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dyad-sheet-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// `soffice` or `libreoffice` on the PATH.
fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["soffice", "libreoffice"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

/// Articles built to attack a spreadsheet: formulas at the start of
/// sentences, titles, authors, file names and JSONL ids; ids that look
/// like numbers; tabs, quotes and line breaks inside cells.
fn hostile_input(input: &Path) {
    fs::create_dir_all(input).expect("create input");
    let files: [(&str, &[u8]); 5] = [
        (
            "=HYPERLINK(1).txt",
            b"=HYPERLINK(\"http://evil.example\",\"Russia\")\n\n\
              +Russia backed Iran.\n\n-Israel condemned Iran, \"loudly\".\n\n@SUM(1) Turkey watched Russia.\n\n\
              \tIran thanked Russia;\r\nRussia\tpraised Iran.\n",
        ),
        (
            "page.html",
            b"<html><head><meta property=\"og:title\" content=\"=1+1\"><meta name=\"author\" content=\"@attacker\">\
              </head><body><article><p>-2+3 Russia backed Iran.</p><p>=A1 Israel condemned Iran.</p></article>\
              </body></html>",
        ),
        (
            "export.jsonl",
            b"{\"id\":\"010\",\"title\":\"+cmd|' /C calc'!A0\",\"author\":\"-Jane\",\"published\":\"2024-03-05\",\"text\":\"Russia backed Iran.\\nIsrael condemned Iran.\"}\n\
              {\"id\":\"=2+2\",\"text\":\"Turkey accused Syria. Syria rejected Turkey.\"}\n\
              not json\n",
        ),
        ("2024", b"A file with no extension and a numeric name.\n"),
        ("good.txt", b"Russia has supplied Iran with drones, and Tehran has backed Moscow at the UN.\n"),
    ];
    for (name, bytes) in files {
        fs::write(input.join(name), bytes).expect("write");
    }
}

/// One cell of a flat ODS table.
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    text: String,
    value_type: String,
    formula: bool,
}

/// The rows of the first table of a flat ODS file, trailing empty cells
/// and rows dropped.
fn fods_rows(xml: &str) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<table:table-row") {
        rest = &rest[at..];
        let end = rest.find("</table:table-row>").map_or(rest.len(), |i| i + "</table:table-row>".len());
        let row_xml = &rest[..end];
        rest = &rest[end..];
        let mut cells = Vec::new();
        let mut r = row_xml;
        while let Some(at) = r.find("<table:table-cell").or_else(|| r.find("<table:covered-table-cell")) {
            r = &r[at..];
            let tag_end = r.find('>').map_or(r.len(), |i| i + 1);
            let tag = &r[..tag_end];
            let (content, next) = if tag.ends_with("/>") {
                ("", tag_end)
            } else {
                let close = r.find("</table:table-cell>").unwrap_or(r.len());
                (&r[tag_end..close], (close + "</table:table-cell>".len()).min(r.len()))
            };
            let repeat: usize = attr(tag, "table:number-columns-repeated").and_then(|v| v.parse().ok()).unwrap_or(1);
            let cell = Cell {
                text: cell_text(content),
                value_type: attr(tag, "office:value-type").unwrap_or_default(),
                formula: tag.contains("table:formula="),
            };
            cells.extend(std::iter::repeat_n(cell, repeat.min(64)));
            r = &r[next..];
        }
        while cells.last().is_some_and(|c| c.text.is_empty() && !c.formula) {
            cells.pop();
        }
        if !cells.is_empty() {
            rows.push(cells);
        }
    }
    rows
}

/// A cell a spreadsheet would run as a formula (a negative number is
/// just a number).
fn starts_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '@', '\t', '\r']) || (cell.starts_with('-') && cell.parse::<f64>().is_err())
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[at..].find('"')? + at;
    Some(unescape(&tag[at..end]))
}

/// The text of a cell: its paragraphs joined with `\n`, spaces, tabs and
/// line breaks restored, other markup dropped.
fn cell_text(content: &str) -> String {
    let mut paragraphs = Vec::new();
    let mut rest = content;
    while let Some(at) = rest.find("<text:p") {
        rest = &rest[at..];
        let open_end = rest.find('>').map_or(rest.len(), |i| i + 1);
        if rest[..open_end].ends_with("/>") {
            paragraphs.push(String::new());
            rest = &rest[open_end..];
            continue;
        }
        let close = rest.find("</text:p>").unwrap_or(rest.len());
        paragraphs.push(inline_text(&rest[open_end..close]));
        rest = &rest[(close + "</text:p>".len()).min(rest.len())..];
    }
    paragraphs.join("\n")
}

fn inline_text(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        out.push_str(&unescape(&rest[..lt]));
        let gt = rest[lt..].find('>').map_or(rest.len(), |i| lt + i + 1);
        let tag = &rest[lt..gt];
        if tag.starts_with("<text:s") {
            let n: usize = attr(tag, "text:c").and_then(|c| c.parse().ok()).unwrap_or(1);
            out.push_str(&" ".repeat(n));
        } else if tag.starts_with("<text:tab") {
            out.push('\t');
        } else if tag.starts_with("<text:line-break") {
            out.push('\n');
        }
        rest = &rest[gt..];
    }
    out.push_str(&unescape(rest));
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

#[test]
fn excel_tables_open_in_libreoffice_with_no_live_formula() {
    let root = scratch("lo");
    let input = root.join("in");
    hostile_input(&input);
    let out = root.join("out");
    let config = Config {
        input: input.clone(),
        out: out.clone(),
        seeds: repo().join("seeds"),
        threads: 1,
        progress: false,
        excel: true,
        ..Config::default()
    };
    let summary = dyad::run(&config).expect("the batch runs");
    assert!(summary.tables.stances > 0, "{summary:?}");

    // What dyad wrote: BOM, CRLF, every hostile cell neutralised.
    let mut expected = Vec::new();
    for table in Table::ALL {
        let bytes = fs::read(out.join(table.file_name())).expect("table");
        assert!(bytes.starts_with(BOM), "{} starts with a BOM", table.file_name());
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[BOM.len()..]);
        let records: Vec<Vec<String>> =
            reader.records().map(|r| r.expect("well-formed CSV").iter().map(str::to_string).collect()).collect();
        for record in &records {
            for cell in record {
                assert!(!starts_formula(cell), "{}: a cell starts a formula: {cell:?}", table.file_name());
            }
        }
        expected.push((table, records));
    }
    let docs = &expected[0].1;
    for id in ["'=HYPERLINK(1).txt", "export.jsonl#010", "export.jsonl#=2+2", "'2024", "page.html"] {
        assert!(docs.iter().any(|r| r[0] == id), "documents.csv has {id}: {docs:?}");
    }

    let Some(soffice) = soffice() else {
        println!("skipped: LibreOffice (soffice) is not installed; install libreoffice-calc-nogui to run this check");
        let _ = fs::remove_dir_all(&root);
        return;
    };
    let converted = root.join("fods");
    // A profile of its own, so it never waits on another LibreOffice.
    let profile = format!("-env:UserInstallation=file://{}", root.join("lo-profile").display());
    let status = Command::new(&soffice)
        .arg(&profile)
        .args(["--headless", "--norestore", "--infilter=CSV:44,34,76,1", "--convert-to", "fods", "--outdir"])
        .arg(&converted)
        .args(Table::ALL.map(|t| out.join(t.file_name())))
        .output()
        .expect("run soffice");
    assert!(status.status.success(), "soffice failed: {}", String::from_utf8_lossy(&status.stderr));

    for (table, records) in &expected {
        let fods = converted.join(table.file_name().replace(".csv", ".fods"));
        let xml = fs::read_to_string(&fods).unwrap_or_else(|e| panic!("{}: {e}", fods.display()));
        let rows = fods_rows(&xml);
        let name = table.file_name();
        assert!(!xml.contains("table:formula="), "{name}: LibreOffice found a live formula");
        assert_eq!(rows.len(), records.len(), "{name}: every row survives");
        for (row, record) in rows.iter().zip(records) {
            assert!(row.len() <= record.len(), "{name}: no extra column in {row:?}");
            for (i, want) in record.iter().enumerate() {
                let cell = row.get(i);
                let got = cell.map_or("", |c| c.text.as_str());
                let is_text = cell.is_none_or(|c| c.value_type == "string" || c.value_type.is_empty());
                // Numbers and dates are shown in the sheet's own format; text
                // must come through exactly (CR LF inside a cell becomes LF).
                if is_text {
                    assert_eq!(got, want.replace("\r\n", "\n").replace('\r', "\n"), "{name}: column {i} of {record:?}");
                } else {
                    assert!(!want.starts_with('\''), "{name}: an id read as a number: {want}");
                }
            }
        }
    }
    println!("LibreOffice opened all {} tables: no live formula, every row and column intact", Table::ALL.len());
    let _ = fs::remove_dir_all(&root);
}
