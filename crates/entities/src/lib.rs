//! Actor mentions: document + tokens + actor dictionary -> mentions.
//!
//! Names are found by longest match over tokens (`matcher`), with the case
//! rules of `seeds/README.md`; a person's bare surname counts after their
//! full name, after a title, or anywhere when the dictionary allows it.
//! Pronouns and definite descriptions are then resolved where it is safe
//! (`anaphora`). Capitalised names the dictionary does not know are
//! returned as [`UnknownName`]s and never become actors.
//!
//! Invariant: no mention and no unknown name lies in a boilerplate zone.
//! Invariant: mentions are sorted by span and do not overlap.

mod anaphora;
mod dict;
mod matcher;
mod unknown;

use dict::Target;
use dyad_core::{ActorId, ActorKind, ActorTable, Document, Mention, Tagged, Token, TokenKind, Tokenized, Via};
use matcher::{Index, fold_into, word_matches};

pub use dict::SeedText;

#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{file}:{line}: {message}")]
    Line { file: String, line: usize, message: String },
}

/// The actor dictionary with its name index, built once.
#[derive(Debug, Default)]
pub struct Gazetteer {
    actors: ActorTable,
    index: Index,
}

impl Gazetteer {
    /// Builds the gazetteer from `actors.tsv`, `aliases.tsv` and `persons.tsv` text.
    pub fn from_seeds(
        actors: SeedText<'_>,
        aliases: SeedText<'_>,
        persons: SeedText<'_>,
    ) -> Result<Gazetteer, DictError> {
        let (actors, patterns) = dict::parse(actors, aliases, persons)?;
        Ok(Gazetteer { actors, index: Index::build(patterns) })
    }

    pub fn actors(&self) -> &ActorTable {
        &self.actors
    }
}

/// Words that, right before a surname, say it names a person.
const TITLES: &[&str] = &[
    "president",
    "minister",
    "premier",
    "chancellor",
    "leader",
    "king",
    "queen",
    "prince",
    "emir",
    "sheikh",
    "ayatollah",
    "general",
    "gen",
    "lt",
    "col",
    "maj",
    "adm",
    "admiral",
    "marshal",
    "commander",
    "chairman",
    "secretary",
    "secretary-general",
    "senator",
    "sen",
    "ambassador",
    "envoy",
    "sultan",
    "pope",
    "mr",
    "mrs",
    "ms",
    "dr",
    "speaker",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief",
    "director",
    "governor",
    "mullah",
    "emperor",
    "vice",
    "deputy",
    "counterpart",
    "president-elect",
];

pub(crate) fn is_title(folded: &str) -> bool {
    TITLES.contains(&folded)
}

/// Tags actor mentions in `doc`. Cannot fail.
pub fn tag(doc: &Document, tokens: &Tokenized, gazetteer: &Gazetteer) -> Tagged {
    let text = doc.text.as_str();
    let mut mentions = Vec::new();
    let mut unknown = Vec::new();
    let mut seen_persons: Vec<ActorId> = Vec::new();
    let mut key = String::new();
    let mut covered: Vec<bool> = Vec::new();

    for (si, sentence) in tokens.sentences.iter().enumerate() {
        if doc.is_boilerplate(sentence.span) {
            continue;
        }
        let first = sentence.first_token as usize;
        let toks = &tokens.tokens[sentence.token_range()];
        covered.clear();
        covered.resize(toks.len(), false);
        let mut i = 0;
        while i < toks.len() {
            let tok = toks[i];
            if tok.kind != TokenKind::Word {
                i += 1;
                continue;
            }
            let word = tok.text(text);
            fold_into(word, &mut key);
            // A lower-case word only matches an entry that starts lower-case.
            if word.starts_with(|c: char| c.is_lowercase()) && !gazetteer.index.lowercase_may_start(&key) {
                i += 1;
                continue;
            }
            let prev = i.checked_sub(1).map(|p| toks[p].text(text));
            let Some((len, target, resolved)) = best_match(gazetteer, &key, text, &toks[i..], &seen_persons, prev)
            else {
                i += 1;
                continue;
            };
            covered[i..i + len].iter_mut().for_each(|c| *c = true);
            let Some((actor, via)) = resolved else {
                // A block names nothing; an unresolved surname stays a candidate
                // for the unknown-names table.
                if matches!(target, Target::Surname { .. }) {
                    covered[i..i + len].iter_mut().for_each(|c| *c = false);
                }
                i += len;
                continue;
            };
            if negated_compound(text, toks, i) {
                i += len;
                continue;
            }
            if gazetteer.actors.get(actor).kind == ActorKind::Person && !seen_persons.contains(&actor) {
                seen_persons.push(actor);
            }
            let span = toks[i].span.cover(toks[i + len - 1].span);
            mentions.push(Mention {
                span,
                sentence: si as u32,
                first_token: (first + i) as u32,
                end_token: (first + i + len) as u32,
                actor,
                via,
            });
            i += len;
        }
        // Headlines in title case capitalise every word: nothing to learn there.
        if !tokens.is_headline(text, si) {
            unknown::collect(text, si as u32, toks, &covered, &mut unknown);
        }
    }

    anaphora::resolve(doc, tokens, &gazetteer.actors, &mut mentions);
    Tagged { mentions, unknown }
}

/// A dictionary match: token count, the entry's target, the actor it names.
type Match = (usize, Target, Option<(ActorId, Via)>);

/// The best dictionary entry matching the tokens at the start of `toks`:
/// `(token count, target, resolved actor)`. Entries are tried longest first;
/// a surname that names nobody here gives way to a shorter or lower-ranked
/// entry; if none resolves, the first match is returned unresolved.
fn best_match(
    g: &Gazetteer,
    folded_first: &str,
    text: &str,
    toks: &[Token],
    seen: &[ActorId],
    prev: Option<&str>,
) -> Option<Match> {
    let mut first = None;
    for e in g.index.candidates(folded_first) {
        let n = e.words.len();
        let matches = n <= toks.len()
            && e.words.iter().zip(toks).all(|(w, t)| word_matches(t.text(text), w))
            && joined_like_dictionary(text, &toks[..n]);
        if !matches {
            continue;
        }
        let resolved = match e.target {
            Target::Block => return Some((n, e.target, None)),
            Target::Actor(id, via) => Some((id, via)),
            Target::Surname { .. } => {
                // "President Assad": a title right before the surname.
                let titled = prev.is_some_and(|p| {
                    let mut k = String::new();
                    fold_into(p, &mut k);
                    is_title(&k) && starts_upper(p)
                });
                choose_surname(g, text, &toks[..n], seen, titled)
            }
        };
        if resolved.is_some() {
            return Some((n, e.target, resolved));
        }
        first.get_or_insert((n, e.target, None));
    }
    first
}

/// Multi-word names must not run across sentence punctuation gaps that the
/// dictionary word list does not have; a hyphen inside a name must be
/// attached on both sides ("al-Assad"), as in the dictionary.
fn joined_like_dictionary(text: &str, toks: &[Token]) -> bool {
    toks.windows(3).all(|w| {
        let mid = w[1].text(text);
        !(mid == "-" || mid == "\u{2010}") || (w[0].span.end == w[1].span.start && w[1].span.end == w[2].span.start)
    })
}

/// Picks the person a bare surname names: one already named in full in this
/// document, else one the dictionary lets stand alone, else (after a title)
/// the first listed.
fn choose_surname(g: &Gazetteer, text: &str, toks: &[Token], seen: &[ActorId], titled: bool) -> Option<(ActorId, Via)> {
    let mut key = String::new();
    fold_into(toks[0].text(text), &mut key);
    let people: Vec<(ActorId, bool)> = g
        .index
        .candidates(&key)
        .iter()
        .filter(|e| e.words.len() == toks.len() && e.words.iter().zip(toks).all(|(w, t)| word_matches(t.text(text), w)))
        .filter_map(|e| match e.target {
            Target::Surname { person, alone } => Some((person, alone)),
            _ => None,
        })
        .collect();
    if let Some(&(p, _)) = people.iter().rev().find(|(p, _)| seen.contains(p)) {
        return Some((p, Via::Surname));
    }
    if let Some(&(p, _)) = people.iter().find(|(_, alone)| *alone) {
        return Some((p, if titled { Via::Title } else { Via::Surname }));
    }
    if titled {
        return people.first().map(|&(p, _)| (p, Via::Title));
    }
    None
}

/// "non-Iranian" names no actor.
fn negated_compound(text: &str, toks: &[Token], i: usize) -> bool {
    if i < 2 {
        return false;
    }
    let (prefix, dash, word) = (toks[i - 2], toks[i - 1], toks[i]);
    dash.text(text) == "-"
        && prefix.span.end == dash.span.start
        && dash.span.end == word.span.start
        && prefix.text(text).eq_ignore_ascii_case("non")
}

pub(crate) fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests;
