//! Pronouns ("it", "its", "he") and definite descriptions ("the regime",
//! "the war-torn country") resolved to an actor named nearby, where a
//! simple rule is safe enough: the subject of the clause, a name that
//! follows an opening clause, or the last place named after "in".

use crate::matcher::fold_into;
use dyad_core::{ActorKind, ActorTable, Document, Mention, Token, TokenKind, Tokenized, Via};

/// How many sentences back an antecedent may be.
const LOOKBACK: u32 = 2;

/// Words that open a fronted clause whose pronoun points forward:
/// "Despite its ties with Iran, Russia ...".
const OPENERS: &[&str] = &[
    "despite", "although", "though", "while", "given", "because", "by", "with", "for", "as", "after", "before",
    "since", "unlike", "like", "in", "through", "having", "without",
];

/// Words after which an "it" is a subject, not an object.
const SUBJECT_CONTEXT: &[&str] = &[
    "that", "which", "and", "but", "because", "if", "when", "while", "as", "so", "since", "unless", "until", "where",
    "whether", "though", "although", "yet", "or", "once", "how", "why",
];

/// Heads of definite descriptions and the kinds of actor they describe.
fn description_kinds(head: &str) -> Option<&'static [ActorKind]> {
    const STATE: &[ActorKind] = &[ActorKind::State];
    const GROUP: &[ActorKind] = &[ActorKind::Group];
    const BLOC: &[ActorKind] = &[ActorKind::Bloc, ActorKind::Igo];
    Some(match head {
        "regime" | "country" | "kingdom" | "republic" | "nation" | "junta" | "emirate" | "sultanate" | "island"
        | "monarchy" | "government" => STATE,
        "group" | "movement" | "militia" | "faction" | "organisation" | "organization" | "insurgency" => GROUP,
        "alliance" | "bloc" | "union" => BLOC,
        _ => return None,
    })
}

fn is_locative(word: &str) -> bool {
    matches!(word, "in" | "into" | "inside" | "across" | "within" | "throughout" | "to")
}

/// Adds resolved pronoun and description mentions to `mentions`, keeping it sorted.
pub(crate) fn resolve(doc: &Document, tokens: &Tokenized, actors: &ActorTable, mentions: &mut Vec<Mention>) {
    let text = doc.text.as_str();
    let named: &[Mention] = mentions;
    let mut added = Vec::new();
    let mut key = String::new();
    let mut covered_upto = 0usize;

    for (si, sentence) in tokens.sentences.iter().enumerate() {
        if doc.is_boilerplate(sentence.span) {
            continue;
        }
        let first = sentence.first_token as usize;
        let toks = &tokens.tokens[sentence.token_range()];
        // Antecedents lie at most LOOKBACK sentences back (names are sorted).
        let lowest = (si as u32).saturating_sub(LOOKBACK);
        let lo = named.partition_point(|m| m.sentence < lowest);
        let hi = named.partition_point(|m| m.sentence <= si as u32);
        let window = &named[lo..hi];
        for (k, tok) in toks.iter().enumerate() {
            let abs = first + k;
            if tok.kind != TokenKind::Word || abs < covered_upto {
                continue;
            }
            // Only "it", "he", "they", "the" and their kin start anything here.
            let word = tok.text(text);
            if word.len() > 10 || !word.starts_with(['i', 'I', 'h', 'H', 's', 'S', 't', 'T']) {
                continue;
            }
            fold_into(word, &mut key);
            let ctx = Context { text, toks, all: &tokens.tokens, named: window, actors, sentence: si as u32, first };
            let found = match key.as_str() {
                "it" | "its" | "itself" => ctx.resolve_it(k).map(|a| (abs, abs + 1, a, Via::Pronoun)),
                "he" | "his" | "him" | "she" | "her" => ctx.resolve_person(k).map(|a| (abs, abs + 1, a, Via::Pronoun)),
                "they" | "them" | "their" | "themselves" => {
                    ctx.resolve_plural(k).map(|a| (abs, abs + 1, a, Via::Pronoun))
                }
                "the" => ctx.description(k).and_then(|(end, kinds)| {
                    ctx.resolve_description(k, kinds).map(|a| (abs + 1, first + end, a, Via::Description))
                }),
                _ => None,
            };
            if let Some((start, end, antecedent, via)) = found {
                covered_upto = end;
                added.push(Mention {
                    span: tokens.tokens[start].span.cover(tokens.tokens[end - 1].span),
                    sentence: si as u32,
                    first_token: start as u32,
                    end_token: end as u32,
                    actor: antecedent.actor,
                    via,
                });
            }
        }
    }
    if !added.is_empty() {
        mentions.extend(added);
        mentions.sort_by_key(|m| (m.span.start, m.span.end));
    }
}

struct Context<'a> {
    text: &'a str,
    toks: &'a [Token],
    /// Every token of the document.
    all: &'a [Token],
    named: &'a [Mention],
    actors: &'a ActorTable,
    sentence: u32,
    /// Absolute index of the sentence's first token.
    first: usize,
}

impl Context<'_> {
    fn word(&self, k: usize) -> String {
        let mut s = String::new();
        fold_into(self.toks[k].text(self.text), &mut s);
        s
    }

    fn token_abs(&self, k: usize) -> u32 {
        (self.first + k) as u32
    }

    /// Name mentions in this sentence before token `k`, in order.
    fn before(&self, k: usize) -> impl Iterator<Item = &Mention> + '_ {
        let limit = self.token_abs(k);
        self.named.iter().filter(move |m| m.sentence == self.sentence && m.end_token <= limit)
    }

    fn in_sentence(&self, s: u32) -> impl Iterator<Item = &Mention> + '_ {
        self.named.iter().filter(move |m| m.sentence == s)
    }

    fn kind(&self, m: &Mention) -> ActorKind {
        self.actors.get(m.actor).kind
    }

    /// "it"/"its": cataphora after an opening clause, else the object of a
    /// verb points to a non-subject, else the subject of this sentence or of
    /// the nearest earlier one.
    fn resolve_it(&self, k: usize) -> Option<Mention> {
        let fits = |m: &&Mention| !matches!(self.kind(m), ActorKind::Person) && m.via != Via::Demonym;
        // "Iran and its proxy Hezbollah": the actor just coordinated.
        if k >= 2 && matches!(self.word(k - 1).as_str(), "and" | "or") {
            let limit = self.token_abs(k - 1);
            if let Some(m) = self.before(k).filter(|m| m.end_token == limit).find(fits) {
                return Some(*m);
            }
        }
        // "Despite its close relations with Iran, Russia ..."
        if let Some(m) = self.cataphora(k, &fits) {
            return Some(m);
        }
        let prev = if k == 0 { String::new() } else { self.word(k - 1) };
        // "a Russian interest that it has": a relative "it" takes the nearest
        // actor, adjectives included.
        if matches!(prev.as_str(), "that" | "which") {
            let near = |m: &&Mention| !matches!(self.kind(m), ActorKind::Person);
            if let Some(m) = self.before(k).filter(near).last() {
                return Some(*m);
            }
        }
        let subject = self.before(k).find(fits).copied();
        let object_position = k > 0
            && self.toks[k - 1].kind == TokenKind::Word
            && !SUBJECT_CONTEXT.contains(&prev.as_str())
            && !crate::is_title(&prev);
        if object_position {
            // "Moscow ... with Tehran, providing it with hardware": not the
            // subject. "Russia's cooperation with Iran has enabled it": a
            // possessor is not the subject, so it may be meant.
            let proper_subject = self.before(k).filter(fits).find(|m| !self.is_possessor(m)).copied();
            match proper_subject {
                Some(s) => {
                    let src = self.actors.primary(s.actor);
                    return self.before(k).filter(fits).filter(|m| self.actors.primary(m.actor) != src).last().copied();
                }
                None => return subject,
            }
        }
        if subject.is_some() {
            return subject;
        }
        // Only a subject near the start of its sentence continues the last
        // one ("On the one hand, it needs"); a later "it" is too often a thing.
        if k > 8 {
            return None;
        }
        self.earlier_subject(fits)
    }

    fn is_possessor(&self, m: &Mention) -> bool {
        self.all.get(m.end_token as usize).is_some_and(|t| t.kind == TokenKind::Clitic)
    }

    fn cataphora(&self, k: usize, fits: &dyn Fn(&&Mention) -> bool) -> Option<Mention> {
        let opener = self.toks.iter().position(|t| t.kind == TokenKind::Word)?;
        if !OPENERS.contains(&self.word(opener).as_str()) || self.before(k).any(|m| fits(&m)) {
            return None;
        }
        let comma = (k..self.toks.len()).find(|&j| self.toks[j].text(self.text) == ",")?;
        let after = self.token_abs(comma + 1);
        self.named
            .iter()
            .find(|m| m.sentence == self.sentence && m.first_token >= after && m.first_token <= after + 1)
            .filter(|m| fits(m))
            .copied()
    }

    fn earlier_subject(&self, fits: impl Fn(&&Mention) -> bool) -> Option<Mention> {
        (1..=LOOKBACK)
            .filter_map(|back| self.sentence.checked_sub(back))
            .find_map(|s| self.in_sentence(s).find(|m| fits(m)).copied())
    }

    /// "they"/"their": the last actor named in the plural ("the Houthis",
    /// "the Taliban", "Iranians") in this sentence or the one before, when
    /// no two actors were just named together ("Russia and China ... they").
    fn resolve_plural(&self, k: usize) -> Option<Mention> {
        let plural = |m: &&Mention| {
            let words = &self.text[m.span.range()];
            let kind = self.kind(m);
            !matches!(kind, ActorKind::Person)
                && (words.ends_with('s') || words.ends_with("ban"))
                && !words.ends_with("'s")
                && (kind == ActorKind::Group || m.via == Via::Demonym)
        };
        let limit = self.token_abs(k);
        let lowest = self.sentence.saturating_sub(1);
        let recent: Vec<&Mention> =
            self.named.iter().filter(|m| m.sentence >= lowest && m.end_token <= limit).collect();
        let last = recent.iter().rev().find(|m| plural(m))?;
        // A plural actor named after it in the window would be as likely.
        let rivals =
            recent.iter().filter(|m| plural(m) && self.actors.primary(m.actor) != self.actors.primary(last.actor));
        if rivals.count() > 0 {
            return None;
        }
        Some(**last)
    }

    fn resolve_person(&self, k: usize) -> Option<Mention> {
        let is_person = |m: &&Mention| self.kind(m) == ActorKind::Person;
        if let Some(m) = self.before(k).find(is_person) {
            return Some(*m);
        }
        self.earlier_subject(is_person)
    }

    /// "the [modifier] [modifier] head" at token `k` ("the"): the end token
    /// (relative, exclusive) and the kinds the head describes.
    fn description(&self, k: usize) -> Option<(usize, &'static [ActorKind])> {
        for j in k + 1..k + 5 {
            let t = self.toks.get(j)?;
            let w = self.word(j);
            if let Some(kinds) = description_kinds(&w) {
                let starts_lower = t.text(self.text).chars().next().is_some_and(char::is_lowercase);
                // "the regime of Bashar al-Assad", "the government in Kabul": named right there.
                let next = self.toks.get(j + 1).map(|_| self.word(j + 1)).unwrap_or_default();
                let limit = self.token_abs(j + 1);
                let named_inside =
                    self.named.iter().any(|m| m.first_token > self.token_abs(k) && m.first_token < limit);
                if !starts_lower
                    || named_inside
                    || matches!(next.as_str(), "of" | "in" | "'s") && self.named_after(j + 1)
                {
                    return None;
                }
                return Some((j + 1, kinds));
            }
            // Modifiers: lower-case words and hyphens ("war-torn", "beleaguered").
            let s = t.text(self.text);
            let modifier = (t.kind == TokenKind::Word && s.chars().next().is_some_and(char::is_lowercase)) || s == "-";
            if !modifier {
                return None;
            }
        }
        None
    }

    /// A name within two tokens after relative token `j`.
    fn named_after(&self, j: usize) -> bool {
        let from = self.token_abs(j);
        self.named.iter().any(|m| m.sentence == self.sentence && m.first_token > from && m.first_token <= from + 2)
    }

    fn resolve_description(&self, k: usize, kinds: &[ActorKind]) -> Option<Mention> {
        let fits = |m: &&Mention| kinds.contains(&self.actors.get(self.actors.primary(m.actor)).kind);
        let locative = k > 0 && is_locative(&self.word(k - 1));
        let limit = self.token_abs(k);
        let lowest = self.sentence.saturating_sub(LOOKBACK);
        let mut candidates = self.named.iter().filter(|m| m.sentence >= lowest && m.end_token <= limit).filter(fits);
        if locative {
            // "in the war-torn country": the last place named after "in".
            if let Some(m) = candidates.clone().rfind(|m| self.after_locative(m)) {
                return Some(*m);
            }
        }
        candidates.next_back().copied()
    }

    fn after_locative(&self, m: &Mention) -> bool {
        let Some(prev) = (m.first_token as usize).checked_sub(1) else { return false };
        let Some(tok) = self.all.get(prev) else { return false };
        let mut s = String::new();
        fold_into(tok.text(self.text), &mut s);
        is_locative(&s)
    }
}
