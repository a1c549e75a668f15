//! Figures from counts: one row per article and a micro-averaged row per
//! split, rendered as a text table and as `eval.csv`; and the floors a
//! split's figures must not fall below.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use crate::Scored;
use crate::score::Counts;

/// A figure of the evaluation, by its name in `eval.csv` and `floors.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    MentionP,
    MentionR,
    MentionF1,
    DyadP,
    DyadR,
    DyadF1,
    ModalityAcc,
    NetAcc,
    AuthorStanceAcc,
    AuthorAcc,
}

impl Metric {
    pub const ALL: [Metric; 10] = [
        Metric::MentionP,
        Metric::MentionR,
        Metric::MentionF1,
        Metric::DyadP,
        Metric::DyadR,
        Metric::DyadF1,
        Metric::ModalityAcc,
        Metric::NetAcc,
        Metric::AuthorStanceAcc,
        Metric::AuthorAcc,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::MentionP => "mention_p",
            Metric::MentionR => "mention_r",
            Metric::MentionF1 => "mention_f1",
            Metric::DyadP => "dyad_p",
            Metric::DyadR => "dyad_r",
            Metric::DyadF1 => "dyad_f1",
            Metric::ModalityAcc => "modality_acc",
            Metric::NetAcc => "net_acc",
            Metric::AuthorStanceAcc => "author_stance_acc",
            Metric::AuthorAcc => "author_acc",
        }
    }

    /// The short heading of the printed table.
    fn heading(self) -> &'static str {
        match self {
            Metric::MentionP => "men.P",
            Metric::MentionR => "men.R",
            Metric::MentionF1 => "men.F1",
            Metric::DyadP => "dyad.P",
            Metric::DyadR => "dyad.R",
            Metric::DyadF1 => "dyad.F1",
            Metric::ModalityAcc => "modal",
            Metric::NetAcc => "net",
            Metric::AuthorStanceAcc => "a.stance",
            Metric::AuthorAcc => "author",
        }
    }

    pub fn parse(s: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == s)
    }

    /// The figure for `c`; `None` when its denominator is zero.
    pub fn of(self, c: &Counts) -> Option<f64> {
        let ratio = |num: u32, den: u32| (den > 0).then(|| f64::from(num) / f64::from(den));
        match self {
            Metric::MentionP => ratio(c.mention_match, c.mention_pred),
            Metric::MentionR => ratio(c.mention_match, c.mention_gold),
            Metric::MentionF1 => ratio(2 * c.mention_match, c.mention_gold + c.mention_pred),
            Metric::DyadP => ratio(c.dyad_match, c.dyad_pred),
            Metric::DyadR => ratio(c.dyad_match, c.dyad_gold),
            Metric::DyadF1 => ratio(2 * c.dyad_match, c.dyad_gold + c.dyad_pred),
            Metric::ModalityAcc => ratio(c.modality_ok, c.dyad_match),
            Metric::NetAcc => ratio(c.net_ok, c.net_gold),
            Metric::AuthorStanceAcc => ratio(c.author_stance_ok, c.author_stance_gold),
            Metric::AuthorAcc => ratio(c.author_ok, c.author_gold),
        }
    }
}

/// One row of the results: an article, or a split's micro average.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The `doc_id`, or the split name for an average.
    pub name: String,
    pub split: String,
    /// 1 for an article; the number of articles for an average.
    pub articles: u32,
    pub counts: Counts,
}

/// One row per article (sorted by `doc_id`), then one per split (sorted
/// by name), whose counts are the sums over its articles.
pub fn rows(scored: &[Scored]) -> Vec<Row> {
    let mut articles: Vec<Row> = scored
        .iter()
        .map(|s| Row { name: s.case.doc_id.clone(), split: s.case.split.clone(), articles: 1, counts: s.score.counts })
        .collect();
    articles.sort_by(|a, b| a.name.cmp(&b.name));
    let mut splits: BTreeMap<String, Row> = BTreeMap::new();
    for a in &articles {
        let row = splits.entry(a.split.clone()).or_insert_with(|| Row {
            name: if a.split.is_empty() { "(top)".to_string() } else { a.split.clone() },
            split: a.split.clone(),
            articles: 0,
            counts: Counts::default(),
        });
        row.articles += 1;
        row.counts += a.counts;
    }
    articles.extend(splits.into_values());
    articles
}

/// `x` with three decimals, or `-` when undefined.
fn fixed(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{x:.3}"))
}

/// The printed table: one line per row, the split averages after a rule.
pub fn render(rows: &[Row]) -> String {
    let width = rows.iter().map(|r| r.name.chars().count() + 12).chain(["article".len()]).max().unwrap_or(0);
    let mut out = String::new();
    let _ = write!(out, "{:<width$}", "article");
    for m in Metric::ALL {
        let _ = write!(out, " {:>8}", m.heading());
    }
    let _ = writeln!(out, " {:>5}", "leaks");
    let mut ruled = false;
    for r in rows {
        let name = if !is_average(r) {
            r.name.clone()
        } else {
            if !ruled {
                let _ = writeln!(out, "{}", "-".repeat(width + 9 * Metric::ALL.len() + 6));
                ruled = true;
            }
            let plural = if r.articles == 1 { "" } else { "s" };
            format!("{} ({} article{plural})", r.name, r.articles)
        };
        let _ = write!(out, "{name:<width$}");
        for m in Metric::ALL {
            let _ = write!(out, " {:>8}", fixed(m.of(&r.counts)));
        }
        let _ = writeln!(out, " {:>5}", r.counts.leaks);
    }
    out
}

/// True for a split's average row (its name is the split, not a path).
fn is_average(r: &Row) -> bool {
    r.name == r.split || r.name == "(top)"
}

/// The columns of `eval.csv`.
pub fn csv_header() -> Vec<&'static str> {
    let mut h = vec!["row", "split", "articles"];
    h.extend(Metric::ALL.map(Metric::name));
    h.extend([
        "leaks",
        "mention_gold",
        "mention_pred",
        "mention_match",
        "dyad_gold",
        "dyad_pred",
        "dyad_match",
        "modality_ok",
        "net_gold",
        "net_ok",
        "author_stance_gold",
        "author_stance_ok",
        "author_gold",
        "author_ok",
    ]);
    h
}

/// Writes `eval.csv`: the figures of the printed table (three decimals,
/// empty when undefined) and the counts behind them.
pub fn write_csv(rows: &[Row], w: impl io::Write) -> Result<(), csv::Error> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(w);
    w.write_record(csv_header())?;
    for r in rows {
        let c = &r.counts;
        let mut rec = vec![r.name.clone(), r.split.clone(), r.articles.to_string()];
        rec.extend(Metric::ALL.map(|m| m.of(c).map_or_else(String::new, |x| format!("{x:.3}"))));
        rec.extend(
            [
                c.leaks,
                c.mention_gold,
                c.mention_pred,
                c.mention_match,
                c.dyad_gold,
                c.dyad_pred,
                c.dyad_match,
                c.modality_ok,
                c.net_gold,
                c.net_ok,
                c.author_stance_gold,
                c.author_stance_ok,
                c.author_gold,
                c.author_ok,
            ]
            .map(|n| n.to_string()),
        );
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

/// A bad line of the floors file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct FloorError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// `split metric floor`: the split's micro-averaged figure must be at least
/// `floor`.
#[derive(Debug, Clone, PartialEq)]
pub struct Floor {
    pub split: String,
    pub metric: Metric,
    pub floor: f64,
}

/// Parses a floors file: `split<TAB>metric<TAB>floor` per line, `#`
/// comment lines, blank lines and a `split metric floor` header ignored.
pub fn parse_floors(file: &str, text: &str) -> Result<Vec<Floor>, FloorError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let err = |message: String| FloorError { file: file.to_string(), line: i + 1, message };
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let [split, metric, floor] = fields[..] else {
            return Err(err(format!("expected 3 tab-separated fields (split, metric, floor), found {}", fields.len())));
        };
        if [split, metric, floor] == ["split", "metric", "floor"] {
            continue;
        }
        let metric = Metric::parse(metric).ok_or_else(|| {
            err(format!("unknown metric `{metric}` (one of {})", Metric::ALL.map(Metric::name).join(", ")))
        })?;
        let floor = floor
            .parse::<f64>()
            .ok()
            .filter(|f| (0.0..=1.0).contains(f))
            .ok_or_else(|| err(format!("floor `{floor}` is not a number from 0 to 1")))?;
        out.push(Floor { split: split.to_string(), metric, floor });
    }
    Ok(out)
}

/// One message per floor the rows fall below (or cannot be checked
/// against: a split with no articles, an undefined figure).
pub fn check_floors(floors: &[Floor], rows: &[Row]) -> Vec<String> {
    let mut out = Vec::new();
    for f in floors {
        let name = f.metric.name();
        let Some(row) = rows.iter().find(|r| is_average(r) && r.split == f.split) else {
            out.push(format!("{} {name}: no articles in split `{}` (floor {:.2})", f.split, f.split, f.floor));
            continue;
        };
        match f.metric.of(&row.counts) {
            Some(x) if x >= f.floor => {}
            Some(x) => out.push(format!("{} {name}: {x:.3} is below the floor {:.2}", f.split, f.floor)),
            None => out.push(format!("{} {name}: undefined (nothing to count), floor {:.2}", f.split, f.floor)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, split: &str, articles: u32, counts: Counts) -> Row {
        Row { name: name.to_string(), split: split.to_string(), articles, counts }
    }

    #[test]
    fn figures_from_counts() {
        let c = Counts {
            mention_gold: 10,
            mention_pred: 6,
            mention_match: 4,
            dyad_gold: 0,
            dyad_pred: 0,
            ..Counts::default()
        };
        assert_eq!(Metric::MentionP.of(&c), Some(4.0 / 6.0));
        assert_eq!(Metric::MentionR.of(&c), Some(0.4));
        assert_eq!(Metric::MentionF1.of(&c), Some(0.5));
        assert_eq!(Metric::DyadF1.of(&c), None);
        assert_eq!(Metric::DyadR.of(&Counts { dyad_gold: 3, ..c }), Some(0.0));
    }

    #[test]
    fn floors_parse_and_check() {
        let floors = parse_floors(
            "floors.tsv",
            "# comment\nsplit\tmetric\tfloor\ndev\tdyad_f1\t0.40\ntest\tmention_f1\t0.5\nx\tnet_acc\t0.1\n",
        )
        .expect("parses");
        assert_eq!(floors.len(), 3);
        let dev = Counts { dyad_gold: 10, dyad_pred: 10, dyad_match: 3, ..Counts::default() };
        let test = Counts { mention_gold: 2, mention_pred: 2, mention_match: 1, ..Counts::default() };
        let rows = [row("dev", "dev", 2, dev), row("test", "test", 1, test)];
        assert_eq!(
            check_floors(&floors, &rows),
            ["dev dyad_f1: 0.300 is below the floor 0.40", "x net_acc: no articles in split `x` (floor 0.10)",]
        );
        assert_eq!(
            parse_floors("f", "dev\tdyad_f2\t0.4\n").expect_err("bad metric").to_string(),
            "f:1: unknown metric `dyad_f2` (one of mention_p, mention_r, mention_f1, dyad_p, dyad_r, dyad_f1, modality_acc, net_acc, author_stance_acc, author_acc)"
        );
        assert_eq!(
            parse_floors("f", "\ndev\tdyad_f1\t1.5\n").expect_err("bad floor").to_string(),
            "f:2: floor `1.5` is not a number from 0 to 1"
        );
    }

    #[test]
    fn table_and_csv() {
        let c = Counts {
            mention_gold: 4,
            mention_pred: 4,
            mention_match: 3,
            author_gold: 1,
            author_ok: 1,
            leaks: 2,
            ..Counts::default()
        };
        let rows = [row("dev/a.txt", "dev", 1, c), row("dev", "dev", 1, c)];
        let table = render(&rows);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("article"), "{table}");
        assert!(lines[1].starts_with("dev/a.txt "), "{table}");
        assert!(lines[1].contains("0.750"), "{table}");
        assert!(lines[2].starts_with("---"), "{table}");
        assert!(lines[3].starts_with("dev (1 article) "), "{table}");
        let mut buf = Vec::new();
        write_csv(&rows, &mut buf).expect("writes");
        let csv = String::from_utf8(buf).expect("utf-8");
        let second = csv.lines().nth(1).expect("a row");
        assert_eq!(second, "dev/a.txt,dev,1,0.750,0.750,0.750,,,,,,,1.000,2,4,4,3,0,0,0,0,0,0,0,0,1,1");
    }
}
