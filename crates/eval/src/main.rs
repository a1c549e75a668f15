//! The `dyad-eval` command: scores the tables of a dyad run against the gold
//! files of the corpus, prints the figures, writes `eval.csv` and checks the
//! floors. Exit 0 when every floor is met, 1 when one is not, 2 on a usage
//! error, a bad gold or floors file, or unreadable tables.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use dyad_eval::{Predictions, Scored, summary};

const USAGE: &str = "\
dyad-eval: score dyad's tables against the corpus gold annotations

Usage: dyad-eval [--corpus DIR] [--tables DIR] [--out DIR] [--floors FILE] [--details]

Options:
  --corpus DIR    the articles and their .gold files      [default: corpus]
  --tables DIR    the tables of `dyad --input <corpus>`   [default: out/eval-run]
  --out DIR       where eval.csv is written               [default: out]
  --floors FILE   split<TAB>metric<TAB>floor lines; exit 1 when a split's
                  micro-averaged figure is below its floor
  --details       list each article's missed and false dyads, modality
                  errors, and missed and false mentions
  -h, --help      this text

Exit codes: 0 ok, 1 a figure below its floor, 2 usage error, bad gold or
floors file, unreadable tables.
";

struct Args {
    corpus: PathBuf,
    tables: PathBuf,
    out: PathBuf,
    floors: Option<PathBuf>,
    details: bool,
}

fn main() -> ExitCode {
    let args = match parse(std::env::args_os().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("dyad-eval: {err:#}\nRun `dyad-eval --help` for usage.");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("dyad-eval: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Option<Args>> {
    let mut out = Args {
        corpus: PathBuf::from("corpus"),
        tables: PathBuf::from("out/eval-run"),
        out: PathBuf::from("out"),
        floors: None,
        details: false,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy().into_owned();
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(PathBuf::from(v))),
            None => (arg.clone(), None),
        };
        let mut value = || -> Result<PathBuf> {
            match inline.clone().or_else(|| args.next().map(PathBuf::from)) {
                Some(v) => Ok(v),
                None => bail!("{flag} needs a value"),
            }
        };
        match flag.as_str() {
            "--corpus" => out.corpus = value()?,
            "--tables" => out.tables = value()?,
            "--out" => out.out = value()?,
            "--floors" => out.floors = Some(value()?),
            "--details" => out.details = true,
            "-h" | "--help" => return Ok(None),
            _ => bail!("unknown argument `{arg}`"),
        }
    }
    Ok(Some(out))
}

fn run(args: &Args) -> Result<ExitCode> {
    // Every gold file is checked before giving up, so one run lists every
    // problem.
    let mut cases = Vec::new();
    let mut bad = 0;
    for path in dyad_eval::gold_files(&args.corpus)? {
        match dyad_eval::load_case(&args.corpus, &path) {
            Ok(case) => cases.push(case),
            Err(err) => {
                eprintln!("dyad-eval: {err}");
                bad += 1;
            }
        }
    }
    if bad > 0 {
        bail!("{bad} gold file(s) could not be used");
    }
    if cases.is_empty() {
        bail!("{}: no .gold files", args.corpus.display());
    }
    for case in &cases {
        for w in &case.resolved.warnings {
            eprintln!("dyad-eval: warning: {w}");
        }
    }
    let floors = match &args.floors {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
            summary::parse_floors(&path.display().to_string(), &text)?
        }
        None => Vec::new(),
    };

    let pred = Predictions::read_dir(&args.tables)?;
    for case in &cases {
        match pred.docs.get(&case.doc_id).and_then(|d| d.document.as_ref()) {
            None => eprintln!(
                "dyad-eval: warning: {} is not in {}/documents.csv; scored as empty",
                case.doc_id,
                args.tables.display()
            ),
            Some(d) if d.status != "ok" => {
                eprintln!("dyad-eval: warning: {} has status `{}` in documents.csv", case.doc_id, d.status)
            }
            Some(_) => {}
        }
    }
    let scored = dyad_eval::score_all(cases, &pred);
    let rows = summary::rows(&scored);
    if args.details {
        for s in &scored {
            print!("{}", details(s));
        }
    }
    print!("{}", summary::render(&rows));

    std::fs::create_dir_all(&args.out).with_context(|| format!("{}: cannot create", args.out.display()))?;
    let csv_path = args.out.join("eval.csv");
    let file = std::fs::File::create(&csv_path).with_context(|| format!("{}: cannot create", csv_path.display()))?;
    summary::write_csv(&rows, std::io::BufWriter::new(file))
        .with_context(|| format!("{}: cannot write", csv_path.display()))?;
    eprintln!("dyad-eval: wrote {}", csv_path.display());

    if floors.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let below = summary::check_floors(&floors, &rows);
    if below.is_empty() {
        eprintln!("dyad-eval: all {} floors met", floors.len());
        return Ok(ExitCode::SUCCESS);
    }
    for b in &below {
        eprintln!("dyad-eval: below floor: {b}");
    }
    eprintln!("dyad-eval: {} of {} floors not met", below.len(), floors.len());
    Ok(ExitCode::from(1))
}

/// What went wrong in one article, for `--details`.
fn details(s: &Scored) -> String {
    use std::fmt::Write as _;
    let text = s.case.text.as_str();
    let snippet = |span: dyad_core::Span| -> String {
        let t = text.get(span.range()).unwrap_or("").trim();
        let t = t.replace(['\n', '\r'], " ");
        match t.char_indices().nth(140) {
            Some((cut, _)) => format!("{}...", &t[..cut]),
            None => t,
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "== {}", s.case.doc_id);
    for &g in &s.score.missed_dyads {
        let d = &s.case.resolved.dyads[g];
        let _ = writeln!(
            out,
            "  missed   line {:>3}: {}->{} {:+} {}{}  \"{}\"",
            d.dyad.quote.line,
            d.dyad.source,
            d.dyad.target,
            d.dyad.polarity,
            d.dyad.modality.as_str(),
            if d.dyad.symmetric { " sym" } else { "" },
            d.dyad.quote.text
        );
    }
    for &(g, p) in &s.score.wrong_modality {
        let d = &s.case.resolved.dyads[g];
        let got = s.pred.stances[p].modality.map_or("?", dyad_core::Modality::as_str);
        let _ = writeln!(
            out,
            "  modality line {:>3}: gold {}, got {}  \"{}\"",
            d.dyad.quote.line,
            d.dyad.modality.as_str(),
            got,
            d.dyad.quote.text
        );
    }
    for &p in &s.score.false_stances {
        let st = &s.pred.stances[p];
        let _ = writeln!(
            out,
            "  false    {}->{} {:+} {}{}  \"{}\"",
            st.source,
            st.target,
            st.polarity,
            st.modality.map_or("?", dyad_core::Modality::as_str),
            if st.symmetric { " sym" } else { "" },
            snippet(st.sentence)
        );
    }
    let mut missed: BTreeMap<(String, String), u32> = BTreeMap::new();
    for &g in &s.score.missed_mentions {
        let m = &s.case.resolved.mentions[g];
        *missed.entry((m.actor.clone(), snippet(m.span))).or_default() += 1;
    }
    let mut false_m: BTreeMap<(String, String), u32> = BTreeMap::new();
    for &p in &s.score.false_mentions {
        let m = &s.pred.mentions[p];
        *false_m.entry((m.actor.clone(), snippet(m.span))).or_default() += 1;
    }
    let list = |m: &BTreeMap<(String, String), u32>| {
        m.iter().map(|((actor, t), n)| format!("{actor}:{t} x{n}")).collect::<Vec<_>>().join(", ")
    };
    if !missed.is_empty() {
        let _ = writeln!(out, "  missed mentions: {}", list(&missed));
    }
    if !false_m.is_empty() {
        let _ = writeln!(out, "  false mentions: {}", list(&false_m));
    }
    out
}
