//! Pronouns ("it", "its", "he") and definite descriptions ("the regime",
//! "the war-torn country") resolved to an actor named nearby, where a
//! simple rule is safe enough: the subject of the clause, a name that
//! follows an opening clause, or the last place named after "in".

use crate::token_bytes;
use crate::vocab::Class;
use crate::words::{Pick, SentenceWords, Sentences};
use dyad_core::{ActorKind, ActorTable, Mention, Token, TokenKind, Via};

/// How many sentences back an antecedent may be.
const LOOKBACK: u32 = 2;

/// The pronouns resolved, by what they may refer to.
pub(crate) const IT: &[&str] = &["it", "its", "itself"];
pub(crate) const HE: &[&str] = &["he", "his", "him", "she", "her"];
pub(crate) const THEY: &[&str] = &["they", "them", "their", "themselves"];

/// Words that open a fronted clause whose pronoun points forward:
/// "Despite its ties with Iran, Russia ...".
pub(crate) const OPENERS: &[&str] = &[
    "despite", "although", "though", "while", "given", "because", "by", "with", "for", "as", "after", "before",
    "since", "unlike", "like", "in", "through", "having", "without",
];

/// Words after which an "it" is a subject, not an object.
pub(crate) const SUBJECT_CONTEXT: &[&str] = &[
    "that", "which", "and", "but", "because", "if", "when", "while", "as", "so", "since", "unless", "until", "where",
    "whether", "though", "although", "yet", "or", "once", "how", "why",
];

/// Heads of definite descriptions, by the kinds of actor they describe.
pub(crate) const STATE_HEADS: &[&str] = &[
    "regime",
    "country",
    "kingdom",
    "republic",
    "nation",
    "junta",
    "emirate",
    "sultanate",
    "island",
    "monarchy",
    "government",
];
pub(crate) const GROUP_HEADS: &[&str] =
    &["group", "movement", "militia", "faction", "organisation", "organization", "insurgency"];
pub(crate) const BLOC_HEADS: &[&str] = &["alliance", "bloc", "union"];

/// The kinds of actor a description with this head describes.
fn description_kinds(head: Class) -> Option<&'static [ActorKind]> {
    const STATE: &[ActorKind] = &[ActorKind::State];
    const GROUP: &[ActorKind] = &[ActorKind::Group];
    const BLOC: &[ActorKind] = &[ActorKind::Bloc, ActorKind::Igo];
    if head.any(Class::STATE_HEAD) {
        Some(STATE)
    } else if head.any(Class::GROUP_HEAD) {
        Some(GROUP)
    } else if head.any(Class::BLOC_HEAD) {
        Some(BLOC)
    } else {
        None
    }
}

/// Words after which "the ..." names a place.
pub(crate) const LOCATIVES: &[&str] = &["in", "into", "inside", "across", "within", "throughout", "to"];

/// Resolves pronouns and descriptions once the names are found.
pub(crate) struct Resolver<'a> {
    text: &'a str,
    /// Every token of the document.
    tokens: &'a [Token],
    actors: &'a ActorTable,
    added: Vec<Mention>,
    /// The tokens an anaphor may start at, each with its word's classes
    /// ([`Resolver::list_starts`]).
    starts: Vec<(u32, Class)>,
    /// Where each sentence's names start among the document's.
    first_named: FirstNamed,
}

impl<'a> Resolver<'a> {
    #[cfg(test)]
    pub(crate) fn new(text: &'a str, tokens: &'a [Token], actors: &'a ActorTable) -> Resolver<'a> {
        Resolver::new_in(text, tokens, actors, Vec::new(), Vec::new(), Vec::new())
    }

    /// [`Resolver::new`] keeping the resolved mentions, the tokens to
    /// start from and where each sentence's names start in the
    /// allocations of `added`, `starts` and `first_named` (their contents
    /// dropped), which [`Resolver::finish`] gives back.
    pub(crate) fn new_in(
        text: &'a str,
        tokens: &'a [Token],
        actors: &'a ActorTable,
        mut added: Vec<Mention>,
        starts: Vec<(u32, Class)>,
        first_named: Vec<u32>,
    ) -> Resolver<'a> {
        added.clear();
        Resolver { text, tokens, actors, added, starts, first_named: FirstNamed(first_named) }
    }

    /// Lists the tokens an anaphor may start at, in order: the pronouns
    /// picked, and each "the" with the head of a description among the
    /// four tokens after it in its sentence. Those are found from the
    /// heads picked, which are few, where "the" is one word in twenty.
    /// Each comes with its classes, read here once.
    fn list_starts(&mut self, mut sentences: Sentences<'_>) {
        let doc = sentences.doc();
        let starts = &mut self.starts;
        starts.clear();
        // Tokens before this have been looked at as a "the" before a head.
        let mut scanned = 0;
        for x in doc.all_picked(Pick::Anaphor) {
            let class = doc.class(x);
            if class.any(Class::PRONOUNS) {
                starts.push((x as u32, class));
                continue;
            }
            // A head: the "the"s (words, as a pick is) among the four tokens
            // before it in its sentence, and not in boilerplate, as it is not.
            let from = x.saturating_sub(4).max(scanned).max(sentences.of(x).first);
            let listed = starts.len();
            for j in from..x {
                let class = doc.class(j);
                if class.any(Class::THE) && !class.any(Class::PRONOUNS) && self.tokens[j].kind == TokenKind::Word {
                    starts.push((j as u32, class));
                }
            }
            // After any pronoun among those tokens (three at most): in order.
            if starts.len() > listed {
                let first = starts[..listed].partition_point(|&(p, _)| (p as usize) < from);
                starts[first..].sort_unstable_by_key(|&(p, _)| p);
            }
            scanned = x;
        }
    }

    /// Resolves the pronouns and descriptions of the document, in order;
    /// `named` are its names, sorted. Each anaphor sees only the names up
    /// to the end of its sentence, as when resolved right after them.
    pub(crate) fn resolve(&mut self, mut sentences: Sentences<'_>, named: &[Mention]) {
        self.list_starts(sentences.clone());
        let starts = std::mem::take(&mut self.starts);
        if starts.is_empty() {
            self.starts = starts;
            return;
        }
        let text = self.text;
        self.first_named.fill(named, sentences.count());
        // The names from the first at most LOOKBACK sentences back, up to
        // the end of the sentence of the last anaphor, and where in them
        // that sentence's own start.
        let (mut lo, mut hi, mut own) = (0, 0, 0);
        // Tokens before this are already part of a resolved mention.
        let mut covered_upto = 0;
        // The sentence the window was last moved to.
        let mut window_of = None;
        // Only "it", "he", "they", "the" and their kin start anything here;
        // a "the" is listed only with the head of a description among the
        // four tokens after it in its sentence.
        for &(abs, class) in &starts {
            let abs = abs as usize;
            if abs < covered_upto {
                continue;
            }
            let tok = self.tokens[abs];
            let initial = text.as_bytes()[tok.span.start as usize];
            if tok.span.len() > 10 || !matches!(initial, b'i' | b'I' | b'h' | b'H' | b's' | b'S' | b't' | b'T') {
                continue;
            }
            let s = sentences.of(abs);
            let (first, k) = (s.first, abs - s.first);
            // Antecedents lie at most LOOKBACK sentences back: the window
            // moves with the sentence, not with each anaphor.
            if window_of != Some(s.index) {
                window_of = Some(s.index);
                let first_named = &self.first_named;
                lo = first_named.of(s.index.saturating_sub(LOOKBACK));
                own = first_named.of(s.index) - lo;
                hi = first_named.of(s.index + 1);
            }
            let ctx = Context { text, words: s, all: self.tokens, named: &named[lo..hi], own, actors: self.actors };
            let found: Option<(usize, usize, Mention, Via)> = if class.any(Class::IT) {
                ctx.resolve_it(k).map(|a| (abs, abs + 1, a, Via::Pronoun))
            } else if class.any(Class::HE) {
                ctx.resolve_person(k).map(|a| (abs, abs + 1, a, Via::Pronoun))
            } else if class.any(Class::THEY) {
                ctx.resolve_plural(k).map(|a| (abs, abs + 1, a, Via::Pronoun))
            } else {
                ctx.description(k).and_then(|(end, kinds)| {
                    ctx.resolve_description(k, kinds).map(|a| (abs + 1, first + end, a, Via::Description))
                })
            };
            if let Some((start, end, antecedent, via)) = found {
                covered_upto = end;
                self.added.push(Mention {
                    span: self.tokens[start].span.cover(self.tokens[end - 1].span),
                    sentence: s.index,
                    first_token: start as u32,
                    end_token: end as u32,
                    actor: antecedent.actor,
                    via,
                });
            }
        }
        self.starts = starts;
    }

    /// Adds the resolved mentions to the names, keeping them sorted (by
    /// span; a name before a resolved mention of the same span). Gives
    /// back the vector they were kept in.
    pub(crate) fn finish(self, mentions: &mut Vec<Mention>) -> (Vec<Mention>, Vec<(u32, Class)>, Vec<u32>) {
        let key = |m: &Mention| (m.span.start, m.span.end);
        debug_assert!(mentions.is_sorted_by_key(key), "names are found in text order");
        if !self.added.is_sorted_by_key(key) {
            mentions.extend_from_slice(&self.added);
            mentions.sort_by_key(key);
            return (self.added, self.starts, self.first_named.0);
        }
        // Both lists sorted: merged from the back, in place, moving only
        // the names after the first resolved mention, and those a run at a
        // time (resolved mentions are few, the names between them many).
        let (mut i, mut j) = (mentions.len(), self.added.len());
        mentions.extend_from_slice(&self.added);
        while j > 0 {
            let a = self.added[j - 1];
            // The names after `a` (of a greater span) move up past it:
            // found by walking back, as they are moved anyway (a few
            // between one resolved mention and the next).
            let mut from = i;
            while from > 0 && key(&mentions[from - 1]) > key(&a) {
                from -= 1;
            }
            mentions.copy_within(from..i, from + j);
            mentions[from + j - 1] = a;
            i = from;
            j -= 1;
        }
        (self.added, self.starts, self.first_named.0)
    }
}

/// Where each sentence's names start among the names of a document
/// (sorted by sentence): entry `s` is the count of names of the sentences
/// before `s`. Filled without a branch a name, it gives each anaphor's
/// window of names with three loads, where walking the names to it would
/// mispredict at the end of each walk.
#[derive(Debug, Default)]
struct FirstNamed(Vec<u32>);

impl FirstNamed {
    /// Fills it for `named`, names of a document of `sentences` sentences.
    fn fill(&mut self, named: &[Mention], sentences: usize) {
        let counts = &mut self.0;
        counts.clear();
        counts.resize(sentences + 1, 0);
        for m in named {
            counts[m.sentence as usize + 1] += 1;
        }
        let mut sum = 0;
        for count in counts.iter_mut() {
            sum += *count;
            *count = sum;
        }
    }

    /// The index of the first name of sentence `s` or later (of those
    /// `fill` was given), for `s` up to one past the last sentence.
    fn of(&self, s: u32) -> usize {
        self.0[s as usize] as usize
    }
}

/// The names of a sentence that end by token `limit` (of the sentence),
/// in order: of `named`, sorted by span and not overlapping, ending with
/// the sentence's own names from `own` on (the resolver's window), they
/// are a run at the end but for the sentence's names after `limit`, so
/// they are found walking back from the end over a few names, not by
/// testing each of the window.
fn named_before(named: &[Mention], own: usize, limit: u32) -> &[Mention] {
    let mut end = named.len();
    while end > own && named[end - 1].end_token > limit {
        end -= 1;
    }
    &named[own..end]
}

/// What the resolvers look at, built for each anaphor: the sentence's
/// index, first token and tokens are read through `words`, not copied.
struct Context<'a> {
    text: &'a str,
    /// The sentence's tokens folded.
    words: &'a SentenceWords<'a>,
    /// Every token of the document.
    all: &'a [Token],
    named: &'a [Mention],
    /// Where in `named` the names of the sentence start.
    own: usize,
    actors: &'a ActorTable,
}

impl Context<'_> {
    /// Is token `k` a word of one of `class`?
    fn is(&self, k: usize, class: Class) -> bool {
        self.words.class(k).any(class)
    }

    fn token_abs(&self, k: usize) -> u32 {
        (self.words.first + k) as u32
    }

    /// Name mentions in this sentence before token `k`, in order.
    fn before(&self, k: usize) -> &[Mention] {
        named_before(self.named, self.own, self.token_abs(k))
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
    ///
    /// Out of line, as are the other resolvers: few anaphors get this far,
    /// and inlined they would crowd the registers of the loop over all of
    /// them in [`Resolver::resolve`].
    #[inline(never)]
    fn resolve_it(&self, k: usize) -> Option<Mention> {
        let fits = |m: &&Mention| !matches!(self.kind(m), ActorKind::Person) && m.via != Via::Demonym;
        let before = self.before(k);
        // The previous token's classes, read once (none at the start).
        let prev = if k > 0 { self.words.class(k - 1) } else { Class::default() };
        // "Iran and its proxy Hezbollah": the actor just coordinated.
        if k >= 2 && prev.any(Class::AND_OR) {
            let limit = self.token_abs(k - 1);
            if let Some(m) = before.iter().filter(|m| m.end_token == limit).find(fits) {
                return Some(*m);
            }
        }
        // The first actor of the sentence that fits, found once: the
        // cataphora, the object and the subject rules below all ask.
        let subject_at = before.iter().position(|m| fits(&m));
        // "Despite its close relations with Iran, Russia ..."
        if subject_at.is_none()
            && let Some(m) = self.cataphora(k, &fits)
        {
            return Some(m);
        }
        // "a Russian interest that it has": a relative "it" takes the nearest
        // actor, adjectives included.
        if prev.any(Class::THAT_WHICH) {
            let near = |m: &&Mention| !matches!(self.kind(m), ActorKind::Person);
            if let Some(m) = before.iter().rfind(near) {
                return Some(*m);
            }
        }
        let subject = subject_at.map(|at| before[at]);
        let object_position =
            k > 0 && self.words.toks[k - 1].kind == TokenKind::Word && !prev.any(Class::SUBJECT_CONTEXT | Class::TITLE);
        if object_position {
            // "Moscow ... with Tehran, providing it with hardware": not the
            // subject. "Russia's cooperation with Iran has enabled it": a
            // possessor is not the subject, so it may be meant.
            let from = subject_at.unwrap_or(before.len());
            let proper_subject = before[from..].iter().filter(fits).find(|m| !self.is_possessor(m)).copied();
            match proper_subject {
                Some(s) => {
                    let src = self.actors.primary(s.actor);
                    return before.iter().rfind(|m| fits(m) && self.actors.primary(m.actor) != src).copied();
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

    /// Asked only when none of the names of the sentence before token `k`
    /// fits.
    fn cataphora(&self, k: usize, fits: &dyn Fn(&&Mention) -> bool) -> Option<Mention> {
        let opener = self.words.toks.iter().position(|t| t.kind == TokenKind::Word)?;
        if !self.is(opener, Class::OPENER) {
            return None;
        }
        let comma = (k..self.words.toks.len()).find(|&j| token_bytes(self.text, self.words.toks[j]) == b",")?;
        let after = self.token_abs(comma + 1);
        self.named
            .iter()
            .find(|m| m.sentence == self.words.index && m.first_token >= after && m.first_token <= after + 1)
            .filter(|m| fits(m))
            .copied()
    }

    fn earlier_subject(&self, fits: impl Fn(&&Mention) -> bool) -> Option<Mention> {
        (1..=LOOKBACK)
            .filter_map(|back| self.words.index.checked_sub(back))
            .find_map(|s| self.in_sentence(s).find(|m| fits(m)).copied())
    }

    /// "they"/"their": the last actor named in the plural ("the Houthis",
    /// "the Taliban", "Iranians") in this sentence or the one before, when
    /// no two actors were just named together ("Russia and China ... they").
    #[inline(never)]
    fn resolve_plural(&self, k: usize) -> Option<Mention> {
        let plural = |m: &Mention| self.is_plural(m);
        let limit = self.token_abs(k);
        let lowest = self.words.index.saturating_sub(1);
        let mut recent = self.named.iter().filter(move |m| m.sentence >= lowest && m.end_token <= limit).rev();
        let last = recent.find(|m| plural(m))?;
        // Another plural actor named before it in the window would be as
        // likely (none is after it: it is the last).
        let src = self.actors.primary(last.actor);
        if recent.any(|m| plural(m) && self.actors.primary(m.actor) != src) {
            return None;
        }
        Some(*last)
    }

    /// Is `m` an actor named in the plural? The kind and the way named
    /// first: most names are not a group nor a demonym, and their words
    /// are not looked at. Inlined: asked of each name of the window.
    #[inline(always)]
    fn is_plural(&self, m: &Mention) -> bool {
        let kind = self.kind(m);
        (kind == ActorKind::Group || kind != ActorKind::Person && m.via == Via::Demonym) && {
            let words = &self.text[m.span.range()];
            (words.ends_with('s') || words.ends_with("ban")) && !words.ends_with("'s")
        }
    }

    #[inline(never)]
    fn resolve_person(&self, k: usize) -> Option<Mention> {
        let is_person = |m: &&Mention| self.kind(m) == ActorKind::Person;
        if let Some(m) = self.before(k).iter().find(is_person) {
            return Some(*m);
        }
        self.earlier_subject(is_person)
    }

    /// "the [modifier] [modifier] head" at token `k` ("the"): the end token
    /// (relative, exclusive) and the kinds the head describes.
    #[inline(never)]
    fn description(&self, k: usize) -> Option<(usize, &'static [ActorKind])> {
        for j in k + 1..k + 5 {
            let t = *self.words.toks.get(j)?;
            if let Some(kinds) = description_kinds(self.words.class(j)) {
                let starts_lower = self.words.lower(j);
                // "the regime of Bashar al-Assad", "the government in Kabul": named right there.
                let next_of_in = j + 1 < self.words.toks.len() && self.is(j + 1, Class::OF_IN_S);
                let limit = self.token_abs(j + 1);
                let named_inside =
                    self.named.iter().any(|m| m.first_token > self.token_abs(k) && m.first_token < limit);
                if !starts_lower || named_inside || next_of_in && self.named_after(j + 1) {
                    return None;
                }
                return Some((j + 1, kinds));
            }
            // Modifiers: lower-case words and hyphens ("war-torn", "beleaguered").
            let modifier = (t.kind == TokenKind::Word && self.words.lower(j)) || token_bytes(self.text, t) == b"-";
            if !modifier {
                return None;
            }
        }
        None
    }

    /// A name within two tokens after relative token `j`.
    fn named_after(&self, j: usize) -> bool {
        let from = self.token_abs(j);
        self.named.iter().any(|m| m.sentence == self.words.index && m.first_token > from && m.first_token <= from + 2)
    }

    fn resolve_description(&self, k: usize, kinds: &[ActorKind]) -> Option<Mention> {
        let fits = |m: &&Mention| kinds.contains(&self.actors.get(self.actors.primary(m.actor)).kind);
        let locative = k > 0 && self.is(k - 1, Class::LOCATIVE);
        let limit = self.token_abs(k);
        let lowest = self.words.index.saturating_sub(LOOKBACK);
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
        prev < self.all.len() && self.words.doc.class(prev).any(Class::LOCATIVE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::{ActorId, Span};

    fn mention(start: usize, end: usize, actor: u32) -> Mention {
        Mention {
            span: Span::new(start, end),
            sentence: 0,
            first_token: 0,
            end_token: 0,
            actor: ActorId(actor),
            via: Via::Name,
        }
    }

    /// The tokens resolving starts from, found from the heads picked, are
    /// the pronouns and each "the" (a word) with a head among the four
    /// tokens after it in its sentence, in order.
    #[test]
    fn starts_are_pronouns_and_the_before_a_head() {
        let text = "The regime, it said, and the old the war-torn country. The\n\nregime. They met the group; \
                    the it regime. The. Country the, THE BLOC. The a b c d union. the its it regime the";
        let toks = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(text);
        let g = crate::tests::gazetteer();
        let words = dyad_core::WordIds::of(text, &toks.tokens);
        let doc = crate::words::DocWords::new(text, &toks.tokens, &words, &g.index.vocab);
        let heads = Class::STATE_HEAD | Class::GROUP_HEAD | Class::BLOC_HEAD;
        let expected: Vec<u32> = toks
            .sentences
            .iter()
            .flat_map(|s| s.token_range().map(move |i| (i, s.token_range().end)))
            .filter(|&(i, end)| {
                let class = doc.class(i);
                toks.tokens[i].kind == TokenKind::Word
                    && (class.any(Class::PRONOUNS)
                        || class.any(Class::THE) && (i + 1..end.min(i + 5)).any(|j| doc.class(j).any(heads)))
            })
            .map(|(i, _)| i as u32)
            .collect();
        assert!(expected.len() >= 12, "{expected:?}");
        let mut resolver = Resolver::new(text, &toks.tokens, &g.actors);
        resolver.list_starts(crate::words::Sentences::new(&doc, &toks.sentences));
        let listed: Vec<u32> = resolver.starts.iter().map(|&(i, _)| i).collect();
        assert_eq!(listed, expected);
        // Each with its own classes.
        assert!(resolver.starts.iter().all(|&(i, class)| class == doc.class(i as usize)));
    }

    #[test]
    fn finish_merges_by_span_names_first() {
        let actors = ActorTable::new();
        let mut resolver = Resolver::new("", &[], &actors);
        resolver.added = vec![mention(0, 1, 10), mention(5, 6, 11), mention(5, 7, 12), mention(20, 21, 13)];
        let mut names = vec![mention(2, 3, 1), mention(5, 6, 2), mention(8, 9, 3)];
        resolver.finish(&mut names);
        let order: Vec<u32> = names.iter().map(|m| m.actor.0).collect();
        assert_eq!(order, [10, 1, 2, 11, 12, 3, 13]);
    }

    proptest::proptest! {
        /// The names before a token, found as a run from the window's end,
        /// are those a test of every name of the window finds.
        #[test]
        fn named_before_is_the_names_of_the_sentence_up_to_a_token(
            names in proptest::collection::vec((0u32..3, 1u32..3), 0..12),
            sentence in 0u32..8,
            limit in 0u32..40,
        ) {
            // Names in text order, one to two tokens long, a gap of up to
            // two tokens before each, in sentences that never go back.
            let (mut at, mut in_sentence) = (0, 0);
            let mut named = Vec::new();
            for (i, &(gap, len)) in names.iter().enumerate() {
                at += gap;
                in_sentence += u32::from(i % 3 == 2);
                let mut m = mention(at as usize, (at + len) as usize, i as u32);
                (m.first_token, m.end_token, m.sentence) = (at, at + len, in_sentence);
                named.push(m);
                at += len;
            }
            // The resolver's window ends with the sentence's names.
            let window: Vec<Mention> = named.iter().copied().filter(|m| m.sentence <= sentence).collect();
            let expected: Vec<Mention> =
                window.iter().copied().filter(|m| m.sentence == sentence && m.end_token <= limit).collect();
            let own = window.partition_point(|m| m.sentence < sentence);
            proptest::prop_assert_eq!(named_before(&window, own, limit), &expected[..]);
        }

        /// Each sentence's window of names read off [`FirstNamed`] is the
        /// one a walk over the names finds, for names sorted by sentence,
        /// some sentences without any, after a larger document's.
        #[test]
        fn first_named_gives_the_windows_a_walk_finds(
            before in proptest::collection::vec(0u32..20, 0..30),
            in_sentence in proptest::collection::vec(0u32..12, 0..30),
            extra in 0usize..4,
        ) {
            let names = |sentences: &[u32]| {
                let mut sentences = sentences.to_vec();
                sentences.sort_unstable();
                sentences.iter().map(|&s| Mention { sentence: s, ..mention(0, 1, 0) }).collect::<Vec<_>>()
            };
            let mut first_named = FirstNamed::default();
            first_named.fill(&names(&before), 20);
            let named = names(&in_sentence);
            let count = in_sentence.iter().max().map_or(0, |&s| s as usize + 1) + extra;
            first_named.fill(&named, count);
            for s in 0..count as u32 {
                let walk = |to: u32| named.iter().take_while(|m| m.sentence < to).count();
                let lowest = s.saturating_sub(LOOKBACK);
                proptest::prop_assert_eq!(first_named.of(lowest), walk(lowest));
                proptest::prop_assert_eq!(first_named.of(s), walk(s));
                proptest::prop_assert_eq!(first_named.of(s + 1), walk(s + 1));
            }
        }

        /// The merge is a stable sort by span of the names, then the
        /// resolved mentions.
        #[test]
        fn finish_is_a_stable_sort_by_span(
            names in proptest::collection::vec((0usize..30, 0usize..3), 0..12),
            added in proptest::collection::vec((0usize..30, 0usize..3), 0..6),
        ) {
            let spans = |list: &[(usize, usize)], base: u32| {
                let mut v: Vec<Mention> =
                    list.iter().enumerate().map(|(i, &(s, l))| mention(s, s + l, base + i as u32)).collect();
                v.sort_by_key(|m| (m.span.start, m.span.end));
                v
            };
            let (mut names, added) = (spans(&names, 0), spans(&added, 100));
            let mut expected: Vec<Mention> = names.iter().chain(&added).copied().collect();
            expected.sort_by_key(|m| (m.span.start, m.span.end));
            let actors = ActorTable::new();
            let mut resolver = Resolver::new("", &[], &actors);
            resolver.added = added;
            resolver.finish(&mut names);
            let actors_of = |v: &[Mention]| v.iter().map(|m| m.actor.0).collect::<Vec<_>>();
            proptest::prop_assert_eq!(actors_of(&names), actors_of(&expected));
        }
    }
}
