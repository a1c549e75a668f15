//! The gold annotation format of `corpus/README.md`, parsed from `&str`.
//!
//! Parsing checks each record on its own (field count, actor ids, the
//! closed vocabularies); whether the quotes and surfaces occur in the
//! article is [`crate::resolve`]'s job, since that needs the text.

use dyad_core::Modality;

/// A problem with a gold file (or with the floors file), named by file and
/// 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct GoldError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl GoldError {
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> GoldError {
        GoldError { file: file.to_string(), line, message: message.into() }
    }
}

/// One parsed gold file. Every record keeps its line for later messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gold {
    /// The file name used in messages.
    pub file: String,
    /// `None` when the file has no `author` record; `Some("")` for `author -`.
    pub author: Option<String>,
    pub boilerplate: Vec<Quote>,
    pub mentions: Vec<MentionRule>,
    pub nomentions: Vec<NoMention>,
    pub dyads: Vec<Dyad>,
    pub author_stances: Vec<AuthorStance>,
    pub nets: Vec<Net>,
}

/// A verbatim piece of the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub text: String,
    pub line: usize,
}

/// `mention ACTOR surface`: every whole-word occurrence names `actor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRule {
    pub actor: String,
    pub surface: String,
    pub line: usize,
}

/// `nomention surface n`: the n-th occurrence (1-based) names no actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoMention {
    pub surface: String,
    pub n: usize,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dyad {
    pub source: String,
    pub target: String,
    /// -1 or 1.
    pub polarity: i8,
    pub modality: Modality,
    /// `false` for an `optional` dyad: neither rewarded nor penalised.
    pub required: bool,
    /// A mutual relation: matches either way round.
    pub symmetric: bool,
    pub quote: Quote,
}

/// The author's stance toward one actor: `positive`, `neutral` or `negative`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorStance {
    pub actor: String,
    pub label: &'static str,
    pub line: usize,
}

/// `net SOURCE TARGET label`: the article's relations on balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Net {
    pub source: String,
    pub target: String,
    /// `true` for `cooperative`, `false` for `conflictual`.
    pub cooperative: bool,
    pub line: usize,
}

/// Parses a gold file. `file` only names it in error messages.
pub fn parse(file: &str, text: &str) -> Result<Gold, GoldError> {
    let mut gold = Gold { file: file.to_string(), ..Gold::default() };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let content = raw.strip_suffix('\r').unwrap_or(raw);
        if content.trim().is_empty() || content.trim_start().starts_with('#') {
            continue;
        }
        let err = |message: String| GoldError::new(file, line, message);
        let fields: Vec<&str> = content.split('\t').collect();
        let kind = fields[0];
        let args = &fields[1..];
        let want = match kind {
            "author" | "boilerplate" => 1,
            "mention" | "nomention" | "author_stance" => 2,
            "net" => 3,
            "dyad" => 7,
            _ => {
                return Err(err(format!(
                    "unknown record `{kind}` (expected author, boilerplate, mention, nomention, dyad, author_stance or net)"
                )));
            }
        };
        if args.len() != want {
            return Err(err(format!(
                "`{kind}` takes {want} tab-separated field(s) after the record name, found {}",
                args.len()
            )));
        }
        if let Some(k) = args.iter().position(|f| f.trim().is_empty()) {
            return Err(err(format!("`{kind}`: field {} is empty", k + 2)));
        }
        match kind {
            "author" => {
                if gold.author.is_some() {
                    return Err(err("a second `author` record".to_string()));
                }
                let name = if args[0] == "-" { "" } else { args[0] };
                gold.author = Some(name.to_string());
            }
            "boilerplate" => gold.boilerplate.push(Quote { text: args[0].to_string(), line }),
            "mention" => gold.mentions.push(MentionRule {
                actor: actor_id(args[0]).map_err(err)?,
                surface: args[1].to_string(),
                line,
            }),
            "nomention" => {
                let n = args[1]
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| err(format!("`{}` is not an occurrence number (1, 2, ...)", args[1])))?;
                gold.nomentions.push(NoMention { surface: args[0].to_string(), n, line });
            }
            "dyad" => gold.dyads.push(dyad(args, line).map_err(err)?),
            "author_stance" => gold.author_stances.push(AuthorStance {
                actor: actor_id(args[0]).map_err(err)?,
                label: one_of(args[1], &["positive", "neutral", "negative"]).map_err(err)?,
                line,
            }),
            "net" => {
                let (source, target) = pair(args[0], args[1]).map_err(err)?;
                let label = one_of(args[2], &["cooperative", "conflictual"]).map_err(err)?;
                gold.nets.push(Net { source, target, cooperative: label == "cooperative", line });
            }
            _ => unreachable!("record kinds are checked above"),
        }
    }
    Ok(gold)
}

fn dyad(args: &[&str], line: usize) -> Result<Dyad, String> {
    let (source, target) = pair(args[0], args[1])?;
    let polarity = match args[2] {
        "+1" => 1,
        "-1" => -1,
        other => return Err(format!("polarity `{other}` is neither `+1` nor `-1`")),
    };
    let modality = Modality::parse(args[3]).ok_or_else(|| {
        format!("modality `{}` is not one of asserted, reported, hedged, hypothetical, negated", args[3])
    })?;
    let required = one_of(args[4], &["required", "optional"])? == "required";
    let symmetric = one_of(args[5], &["directed", "symmetric"])? == "symmetric";
    Ok(Dyad {
        source,
        target,
        polarity,
        modality,
        required,
        symmetric,
        quote: Quote { text: args[6].to_string(), line },
    })
}

/// Two distinct actor ids.
fn pair(source: &str, target: &str) -> Result<(String, String), String> {
    let (source, target) = (actor_id(source)?, actor_id(target)?);
    if source == target {
        return Err(format!("`{source}` is both source and target; an actor and itself is never a dyad"));
    }
    Ok((source, target))
}

/// An actor id: upper-case ASCII letters, digits and `_`, starting with a letter.
fn actor_id(s: &str) -> Result<String, String> {
    let ok = s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` is not an actor id (upper-case letters, digits and `_`, like RUS or AL_QAEDA)"))
    }
}

/// `s` when it is one of `allowed`, as the `'static` spelling.
fn one_of(s: &str, allowed: &[&'static str]) -> Result<&'static str, String> {
    allowed.iter().copied().find(|a| *a == s).ok_or_else(|| format!("`{s}` is not one of {}", allowed.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
# a comment
author\tJane Doe
boilerplate\tJane Doe is a senior fellow

mention\tRUS\tRussia
nomention\tRussia\t7
dyad\tRUS\tIRN\t+1\tasserted\trequired\tdirected\tMoscow has supplied Tehran with drones
dyad\tISR\tIRN\t-1\thypothetical\toptional\tsymmetric\trisks a war between Israel and Iran
author_stance\tRUS\tnegative
net\tRUS\tIRN\tcooperative
";

    fn error(text: &str) -> String {
        match parse("x.gold", text) {
            Ok(gold) => panic!("parsed: {gold:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parses_every_record() {
        let gold = parse("x.gold", GOOD).expect("parses");
        assert_eq!(gold.author.as_deref(), Some("Jane Doe"));
        assert_eq!(gold.boilerplate[0].text, "Jane Doe is a senior fellow");
        assert_eq!(gold.boilerplate[0].line, 3);
        assert_eq!(gold.mentions[0].actor, "RUS");
        assert_eq!(gold.nomentions[0].n, 7);
        let d = &gold.dyads[1];
        assert_eq!((d.source.as_str(), d.target.as_str(), d.polarity), ("ISR", "IRN", -1));
        assert_eq!(d.modality, Modality::Hypothetical);
        assert!(!d.required && d.symmetric);
        assert_eq!(d.quote.line, 8);
        assert!(gold.dyads[0].required && !gold.dyads[0].symmetric);
        assert_eq!(gold.author_stances[0].label, "negative");
        assert!(gold.nets[0].cooperative);
    }

    #[test]
    fn no_author_and_crlf() {
        let gold = parse("x.gold", "author\t-\r\nmention\tUN\tUN\r\n").expect("parses");
        assert_eq!(gold.author.as_deref(), Some(""));
        assert_eq!(gold.mentions[0].surface, "UN");
    }

    #[test]
    fn errors_name_file_and_line() {
        assert_eq!(
            error("author\tA\n\nmention\tRUS Russia\n"),
            "x.gold:3: `mention` takes 2 tab-separated field(s) after the record name, found 1"
        );
        assert_eq!(
            error("mentoin\tRUS\tRussia\n"),
            "x.gold:1: unknown record `mentoin` (expected author, boilerplate, mention, nomention, dyad, author_stance or net)"
        );
        assert_eq!(
            error("dyad\tRUS\tIRN\t1\tasserted\trequired\tdirected\tq q q q q\n"),
            "x.gold:1: polarity `1` is neither `+1` nor `-1`"
        );
        assert_eq!(
            error("#\ndyad\tRUS\tIRN\t+1\tsaid\trequired\tdirected\tq q q q q\n"),
            "x.gold:2: modality `said` is not one of asserted, reported, hedged, hypothetical, negated"
        );
        assert_eq!(
            error("dyad\tRUS\tRUS\t+1\tasserted\trequired\tdirected\tq q q q q\n"),
            "x.gold:1: `RUS` is both source and target; an actor and itself is never a dyad"
        );
        assert_eq!(error("nomention\tRussia\t0\n"), "x.gold:1: `0` is not an occurrence number (1, 2, ...)");
        assert_eq!(
            error("mention\tRussia\tRUS\n"),
            "x.gold:1: `Russia` is not an actor id (upper-case letters, digits and `_`, like RUS or AL_QAEDA)"
        );
        assert_eq!(error("net\tRUS\tIRN\tfriendly\n"), "x.gold:1: `friendly` is not one of cooperative, conflictual");
        assert_eq!(error("author\tA\nauthor\tB\n"), "x.gold:2: a second `author` record");
        assert_eq!(error("boilerplate\t\n"), "x.gold:1: `boilerplate`: field 2 is empty");
    }
}
