//! Gold records -> byte spans of the article: boilerplate zones, mention
//! occurrences and dyad quote positions.
//!
//! The text must be the article exactly as dyad reads it (a leading BOM
//! stripped, nothing else changed), so the spans compare with the offsets
//! of the tables.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use dyad_core::Span;

use crate::gold::{Dyad, Gold, GoldError};

/// A gold file resolved against its article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// The whole line of each `boilerplate` record, in record order.
    pub boilerplate: Vec<Span>,
    /// Every gold mention occurrence, sorted by start, non-overlapping.
    pub mentions: Vec<GoldMention>,
    /// The dyads in record order, each with the span of its quote.
    pub dyads: Vec<ResolvedDyad>,
    /// Oddities that do not stop scoring (a surface that never occurs, a
    /// `nomention` that changes nothing).
    pub warnings: Vec<GoldError>,
}

impl Resolved {
    /// True when `span` overlaps a boilerplate zone.
    pub fn in_boilerplate(&self, span: Span) -> bool {
        self.boilerplate.iter().any(|z| z.overlaps(span))
    }
}

/// One occurrence of a gold mention surface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldMention {
    pub span: Span,
    /// The primary actor.
    pub actor: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedDyad {
    pub dyad: Dyad,
    /// Where the quote is in the article.
    pub quote: Span,
}

/// Resolves every quote and surface of `gold` against `text`. A boilerplate
/// or dyad quote that does not occur exactly once, a surface listed for two
/// actors, or a `nomention` past the last occurrence is an error naming the
/// gold file and line.
pub fn resolve(gold: &Gold, text: &str) -> Result<Resolved, GoldError> {
    let err = |line: usize, message: String| GoldError::new(&gold.file, line, message);
    let mut out = Resolved::default();

    for q in &gold.boilerplate {
        let at = unique(text, &q.text).map_err(|m| err(q.line, format!("boilerplate {m}")))?;
        out.boilerplate.push(line_around(text, at));
    }
    for d in &gold.dyads {
        let quote = unique(text, &d.quote.text).map_err(|m| err(d.quote.line, format!("dyad quote {m}")))?;
        out.dyads.push(ResolvedDyad { dyad: d.clone(), quote });
    }

    // One entry per distinct surface: its actor and the line that listed it.
    let mut surfaces: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    for m in &gold.mentions {
        match surfaces.get(m.surface.as_str()) {
            Some((actor, _)) if *actor == m.actor => {}
            Some((actor, first)) => {
                return Err(err(
                    m.line,
                    format!("surface `{}` is listed for {actor} at line {first} and for {} here", m.surface, m.actor),
                ));
            }
            None => {
                surfaces.insert(&m.surface, (&m.actor, m.line));
            }
        }
    }

    // Every whole-word occurrence outside boilerplate is a candidate;
    // `nomention` ones still claim their words but name no actor.
    struct Candidate<'a> {
        span: Span,
        chars: usize,
        actor: Option<&'a str>,
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut excluded: Vec<Span> = Vec::new();
    for n in &gold.nomentions {
        let found = occurrences(text, &n.surface);
        let Some(&span) = found.get(n.n - 1) else {
            return Err(err(
                n.line,
                format!(
                    "`{}` occurs {} time(s) as a whole word; there is no occurrence {}",
                    n.surface,
                    found.len(),
                    n.n
                ),
            ));
        };
        if !surfaces.contains_key(n.surface.as_str()) {
            out.warnings.push(err(n.line, format!("nomention `{}` is not a listed mention surface", n.surface)));
        }
        excluded.push(span);
    }
    for (surface, (actor, line)) in &surfaces {
        let found = occurrences(text, surface);
        if found.is_empty() {
            out.warnings.push(err(*line, format!("surface `{surface}` never occurs as a whole word")));
        }
        let chars = surface.chars().count();
        for span in found {
            if out.in_boilerplate(span) {
                continue;
            }
            let actor = (!excluded.contains(&span)).then_some(*actor);
            candidates.push(Candidate { span, chars, actor });
        }
    }
    candidates.sort_by_key(|c| (Reverse(c.chars), c.span.start, c.span.end));
    let mut taken: Vec<Span> = Vec::new();
    for c in candidates {
        if taken.iter().any(|t| t.overlaps(c.span)) {
            continue;
        }
        taken.push(c.span);
        if let Some(actor) = c.actor {
            out.mentions.push(GoldMention { span: c.span, actor: actor.to_string() });
        }
    }
    out.mentions.sort_by_key(|m| m.span);

    for n in &gold.nomentions {
        if surfaces.contains_key(n.surface.as_str())
            && let Some(&span) = occurrences(text, &n.surface).get(n.n - 1)
            && !taken.contains(&span)
        {
            out.warnings.push(err(
                n.line,
                format!(
                    "nomention `{}` {} changes nothing: the occurrence is in boilerplate or inside a longer surface",
                    n.surface, n.n
                ),
            ));
        }
    }
    Ok(out)
}

/// The span of the only occurrence of `quote` in `text`, or why there is none.
fn unique(text: &str, quote: &str) -> Result<Span, String> {
    let found = substrings(text, quote);
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("`{quote}` does not occur in the article")),
        many => Err(format!("`{quote}` occurs {} times in the article; quote more words", many.len())),
    }
}

/// Every occurrence of `needle` in `text`, overlapping ones included.
fn substrings(text: &str, needle: &str) -> Vec<Span> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let start = from + i;
        out.push(Span::new(start, start + needle.len()));
        // Step one char past the start so overlapping occurrences are seen.
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Every whole-word, case-sensitive occurrence of `surface` in `text`: no
/// letter or digit touches a letter or digit at either edge of it. So a
/// possessive ("Russia’s") or a hyphen compound ("Iran-Israel") holds the
/// surface, and "Iranian" does not hold `Iran`.
pub fn occurrences(text: &str, surface: &str) -> Vec<Span> {
    substrings(text, surface).into_iter().filter(|s| whole_word(text, *s)).collect()
}

fn whole_word(text: &str, span: Span) -> bool {
    let inner = span.slice(text);
    let before = text[..span.start as usize].chars().next_back();
    let after = text[span.end as usize..].chars().next();
    let joins =
        |edge: Option<char>, neighbour: Option<char>| edge.is_some_and(is_word) && neighbour.is_some_and(is_word);
    !joins(inner.chars().next(), before) && !joins(inner.chars().next_back(), after)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The line holding `at`, without its line break.
fn line_around(text: &str, at: Span) -> Span {
    let is_break = |c: char| c == '\n' || c == '\r';
    let start = text[..at.start as usize].rfind(is_break).map_or(0, |i| i + 1);
    let end = text[at.start as usize..].find(is_break).map_or(text.len(), |i| at.start as usize + i);
    Span::new(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gold::parse;

    fn resolved(gold: &str, text: &str) -> Resolved {
        let gold = parse("t.gold", gold).expect("parses");
        resolve(&gold, text).expect("resolves")
    }

    fn error(gold: &str, text: &str) -> String {
        let gold = parse("t.gold", gold).expect("parses");
        match resolve(&gold, text) {
            Ok(r) => panic!("resolved: {r:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// `actor:text` for each gold mention, in order.
    fn mentions(r: &Resolved, text: &str) -> Vec<String> {
        r.mentions.iter().map(|m| format!("{}:{}", m.actor, m.span.slice(text))).collect()
    }

    #[test]
    fn possessives_and_hyphen_compounds_count() {
        let text = "Russia’s role in the Iran-Israel conflict. Iranian drones; Russia's too.";
        let r = resolved("mention\tRUS\tRussia\nmention\tIRN\tIran\nmention\tISR\tIsrael\n", text);
        assert_eq!(mentions(&r, text), ["RUS:Russia", "IRN:Iran", "ISR:Israel", "RUS:Russia"]);
        // Case-sensitive and whole-word: "Iranian" and "russia" hold nothing.
        assert!(occurrences("russia, Iranian", "Russia").is_empty());
        assert!(occurrences("Iranian", "Iran").is_empty());
        assert_eq!(occurrences("the U.S., and U.S.-led", "U.S.").len(), 2);
    }

    #[test]
    fn longest_surfaces_first_without_overlap() {
        let text = "Vladimir Putin met Putin. Port Sudan and Sudan.";
        let r = resolved(
            "mention\tRUS\tPutin\nmention\tRUS\tVladimir Putin\nmention\tSDN\tSudan\nmention\tSDN\tPort Sudan\n",
            text,
        );
        assert_eq!(mentions(&r, text), ["RUS:Vladimir Putin", "RUS:Putin", "SDN:Port Sudan", "SDN:Sudan"]);
    }

    #[test]
    fn nomention_counts_over_the_whole_text() {
        // The byline holds occurrence 1 of "Tehran"; the 3rd is excluded.
        let text = "By Jane Doe in Tehran, for the Desk\nTehran acts. In Tehran, nothing. Tehran waits.\n";
        let r = resolved("boilerplate\tBy Jane Doe in Tehran\nmention\tIRN\tTehran\nnomention\tTehran\t3\n", text);
        let starts: Vec<usize> = r.mentions.iter().map(|m| m.span.start as usize).collect();
        let at = |s: &str| text.find(s).expect("in text");
        assert_eq!(starts, [at("Tehran acts"), at("Tehran waits")]);
        assert_eq!(r.boilerplate[0].slice(text), "By Jane Doe in Tehran, for the Desk");
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn boilerplate_zone_is_the_whole_line() {
        let text = "Israel struck.\r\nJane Doe is a senior fellow at the Israel Institute.\r\nImage credit: Israel";
        let r = resolved(
            "boilerplate\tJane Doe is a senior fellow\nboilerplate\tImage credit: Israel\nmention\tISR\tIsrael\n",
            text,
        );
        assert_eq!(r.boilerplate[0].slice(text), "Jane Doe is a senior fellow at the Israel Institute.");
        assert_eq!(r.boilerplate[1].slice(text), "Image credit: Israel");
        assert_eq!(mentions(&r, text), ["ISR:Israel"]);
        assert!(r.in_boilerplate(Span::new(20, 30)));
        assert!(!r.in_boilerplate(Span::new(0, 14)));
    }

    #[test]
    fn dyad_quotes_resolve_to_their_span() {
        let text = "Moscow has supplied Tehran with drones. Tehran thanked Moscow.";
        let r = resolved("dyad\tRUS\tIRN\t+1\tasserted\trequired\tdirected\thas supplied Tehran with drones\n", text);
        assert_eq!(r.dyads[0].quote.slice(text), "has supplied Tehran with drones");
    }

    #[test]
    fn a_quote_that_occurs_twice_or_never_is_an_error() {
        let text = "Iran and Israel fought. Iran and Israel fought again.";
        assert_eq!(
            error("dyad\tIRN\tISR\t-1\tasserted\trequired\tsymmetric\tIran and Israel fought\n", text),
            "t.gold:1: dyad quote `Iran and Israel fought` occurs 2 times in the article; quote more words"
        );
        assert_eq!(
            error("mention\tIRN\tIran\nboilerplate\tJane Doe is a fellow\n", text),
            "t.gold:2: boilerplate `Jane Doe is a fellow` does not occur in the article"
        );
    }

    #[test]
    fn surface_and_nomention_errors_and_warnings() {
        let text = "Russia and Moscow.";
        assert_eq!(
            error("mention\tRUS\tRussia\nmention\tBLR\tRussia\n", text),
            "t.gold:2: surface `Russia` is listed for RUS at line 1 and for BLR here"
        );
        assert_eq!(
            error("mention\tRUS\tRussia\nnomention\tRussia\t2\n", text),
            "t.gold:2: `Russia` occurs 1 time(s) as a whole word; there is no occurrence 2"
        );
        let text = "Russia and Moscow. Port Sudan.";
        let r = resolved(
            "mention\tRUS\tRussia\nmention\tRUS\tRussia\nmention\tRUS\tKremlin\nnomention\tMoscow\t1\n\
             mention\tSDN\tPort Sudan\nmention\tSDN\tSudan\nnomention\tSudan\t1\n",
            text,
        );
        let warnings: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            warnings,
            [
                "t.gold:4: nomention `Moscow` is not a listed mention surface",
                "t.gold:3: surface `Kremlin` never occurs as a whole word",
                "t.gold:7: nomention `Sudan` 1 changes nothing: the occurrence is in boilerplate or inside a longer surface",
            ]
        );
        assert_eq!(mentions(&r, text), ["RUS:Russia", "SDN:Port Sudan"]);
    }
}
