//! Scoring one document: gold (resolved against its article) against the
//! rows the tables hold for it.
//!
//! Mentions and dyads are paired by a maximum bipartite matching, so each
//! gold and each predicted item matches at most once and the order of the
//! rows never changes a score.

use std::ops::AddAssign;

use dyad_core::Modality;

use crate::gold::Gold;
use crate::resolve::{Resolved, ResolvedDyad};
use crate::tables::{DocPredictions, PredStance};

/// The counts behind every figure, for one document or summed over many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Gold mention occurrences.
    pub mention_gold: u32,
    /// Predicted mentions scored (not pronoun or description).
    pub mention_pred: u32,
    pub mention_match: u32,
    /// Required gold dyads.
    pub dyad_gold: u32,
    /// Predicted stances, less those that only match an optional gold dyad.
    pub dyad_pred: u32,
    pub dyad_match: u32,
    /// Matched dyads whose predicted modality is the gold one.
    pub modality_ok: u32,
    pub net_gold: u32,
    pub net_ok: u32,
    pub author_stance_gold: u32,
    pub author_stance_ok: u32,
    /// 1 when the gold file names the author (or says there is none).
    pub author_gold: u32,
    pub author_ok: u32,
    /// Predicted mentions and stances overlapping a gold boilerplate line.
    pub leaks: u32,
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.mention_gold += o.mention_gold;
        self.mention_pred += o.mention_pred;
        self.mention_match += o.mention_match;
        self.dyad_gold += o.dyad_gold;
        self.dyad_pred += o.dyad_pred;
        self.dyad_match += o.dyad_match;
        self.modality_ok += o.modality_ok;
        self.net_gold += o.net_gold;
        self.net_ok += o.net_ok;
        self.author_stance_gold += o.author_stance_gold;
        self.author_stance_ok += o.author_stance_ok;
        self.author_gold += o.author_gold;
        self.author_ok += o.author_ok;
        self.leaks += o.leaks;
    }
}

/// The counts of one document and what went wrong, for a closer look.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocScore {
    pub counts: Counts,
    /// Indices into [`Resolved::mentions`] of gold mentions not found.
    pub missed_mentions: Vec<usize>,
    /// Indices into [`DocPredictions::mentions`] of scored mentions that
    /// match no gold mention.
    pub false_mentions: Vec<usize>,
    /// Indices into [`Resolved::dyads`] of required dyads not found.
    pub missed_dyads: Vec<usize>,
    /// Indices into [`DocPredictions::stances`] of stances that match no
    /// gold dyad.
    pub false_stances: Vec<usize>,
    /// (gold dyad, stance) pairs that match with a different modality.
    pub wrong_modality: Vec<(usize, usize)>,
}

/// Scores one document.
pub fn score(gold: &Gold, resolved: &Resolved, pred: &DocPredictions) -> DocScore {
    let mut out = DocScore::default();
    score_mentions(resolved, pred, &mut out);
    score_dyads(resolved, pred, &mut out);
    let c = &mut out.counts;

    c.leaks = pred.mentions.iter().filter(|m| resolved.in_boilerplate(m.span)).count() as u32
        + pred.stances.iter().filter(|s| resolved.in_boilerplate(s.sentence)).count() as u32;

    for net in &gold.nets {
        c.net_gold += 1;
        let sum = net_score(&pred.stances, &net.source, &net.target);
        // Scores have three decimals: anything closer to 0 is a tie.
        let ok = if net.cooperative { sum > 0.0005 } else { sum < -0.0005 };
        c.net_ok += u32::from(ok);
    }
    for a in &gold.author_stances {
        c.author_stance_gold += 1;
        let ok = pred.author_stances.get(&a.actor).is_some_and(|label| label == a.label);
        c.author_stance_ok += u32::from(ok);
    }
    if let Some(author) = &gold.author {
        c.author_gold = 1;
        let ok = pred.document.as_ref().is_some_and(|d| d.author.trim() == author.trim());
        c.author_ok = u32::from(ok);
    }
    out
}

/// The sum of the scores of the stances from `source` to `target`, a
/// symmetric stance counting in both directions (as in `pairs.csv`).
pub fn net_score(stances: &[PredStance], source: &str, target: &str) -> f64 {
    stances
        .iter()
        .filter(|s| {
            (s.source == source && s.target == target) || (s.symmetric && s.source == target && s.target == source)
        })
        .filter_map(|s| s.score)
        .filter(|x| x.is_finite())
        .sum()
}

fn score_mentions(resolved: &Resolved, pred: &DocPredictions, out: &mut DocScore) {
    let scored: Vec<usize> = (0..pred.mentions.len()).filter(|&i| pred.mentions[i].is_scored()).collect();
    let adj: Vec<Vec<usize>> = resolved
        .mentions
        .iter()
        .map(|g| {
            (0..scored.len())
                .filter(|&r| {
                    let p = &pred.mentions[scored[r]];
                    p.actor == g.actor && p.span.overlaps(g.span)
                })
                .collect()
        })
        .collect();
    let matched = max_matching(&adj, scored.len(), &vec![false; scored.len()]);
    let mut used = vec![false; scored.len()];
    for (g, m) in matched.iter().enumerate() {
        match m {
            Some(r) => used[*r] = true,
            None => out.missed_mentions.push(g),
        }
    }
    out.false_mentions = (0..scored.len()).filter(|&r| !used[r]).map(|r| scored[r]).collect();
    let c = &mut out.counts;
    c.mention_gold = resolved.mentions.len() as u32;
    c.mention_pred = scored.len() as u32;
    c.mention_match = (scored.len() - out.false_mentions.len()) as u32;
}

fn score_dyads(resolved: &Resolved, pred: &DocPredictions, out: &mut DocScore) {
    let stances = &pred.stances;
    let (required, optional): (Vec<usize>, Vec<usize>) =
        (0..resolved.dyads.len()).partition(|&i| resolved.dyads[i].dyad.required);
    let candidates = |gold: &[usize]| -> Vec<Vec<usize>> {
        gold.iter()
            .map(|&g| {
                let g = &resolved.dyads[g];
                let mut fits: Vec<usize> = (0..stances.len()).filter(|&s| dyad_fits(g, &stances[s])).collect();
                // Prefer a stance that also has the gold modality.
                fits.sort_by_key(|&s| stances[s].modality != Some(g.dyad.modality));
                fits
            })
            .collect()
    };

    // Required dyads first, so a stance that fits both a required and an
    // optional dyad is rewarded.
    let none_blocked = vec![false; stances.len()];
    let matched = max_matching(&candidates(&required), stances.len(), &none_blocked);
    let mut used = vec![false; stances.len()];
    for (k, m) in matched.iter().enumerate() {
        let g = required[k];
        match m {
            Some(s) => {
                used[*s] = true;
                out.counts.dyad_match += 1;
                if stances[*s].modality == Some(resolved.dyads[g].dyad.modality) {
                    out.counts.modality_ok += 1;
                } else {
                    out.wrong_modality.push((g, *s));
                }
            }
            None => out.missed_dyads.push(g),
        }
    }
    // A stance that only matches an optional dyad is dropped from both counts.
    let dropped = max_matching(&candidates(&optional), stances.len(), &used).into_iter().flatten().collect::<Vec<_>>();
    for &s in &dropped {
        used[s] = true;
    }
    out.false_stances = (0..stances.len()).filter(|&s| !used[s]).collect();
    out.counts.dyad_gold = required.len() as u32;
    out.counts.dyad_pred = (stances.len() - dropped.len()) as u32;
}

/// True when `s` can count as the gold dyad `g`: its evidence sentence
/// overlaps the gold quote (so a sentence split inside the quote still
/// lines up), the same actors (either way round when either side is
/// symmetric), the same polarity (or, for a negated gold dyad, a negated
/// stance of polarity 0).
pub fn dyad_fits(g: &ResolvedDyad, s: &PredStance) -> bool {
    let d = &g.dyad;
    let in_sentence = s.sentence.overlaps(g.quote);
    let forward = s.source == d.source && s.target == d.target;
    let backward = s.source == d.target && s.target == d.source;
    let actors = forward || ((d.symmetric || s.symmetric) && backward);
    let polarity = s.polarity == d.polarity
        || (d.modality == Modality::Negated && s.polarity == 0 && s.modality == Some(Modality::Negated));
    in_sentence && actors && polarity
}

/// A maximum matching of the bipartite graph `adj` (left `l` may take any
/// right in `adj[l]`, tried in that order), leaving out `blocked` rights.
/// Returns the right each left took.
fn max_matching(adj: &[Vec<usize>], rights: usize, blocked: &[bool]) -> Vec<Option<usize>> {
    fn augment(l: usize, adj: &[Vec<usize>], blocked: &[bool], seen: &mut [bool], owner: &mut [Option<usize>]) -> bool {
        for &r in &adj[l] {
            if blocked[r] || seen[r] {
                continue;
            }
            seen[r] = true;
            let free = match owner[r] {
                None => true,
                Some(other) => augment(other, adj, blocked, seen, owner),
            };
            if free {
                owner[r] = Some(l);
                return true;
            }
        }
        false
    }
    let mut owner: Vec<Option<usize>> = vec![None; rights];
    for l in 0..adj.len() {
        let mut seen = vec![false; rights];
        augment(l, adj, blocked, &mut seen, &mut owner);
    }
    let mut taken = vec![None; adj.len()];
    for (r, l) in owner.iter().enumerate() {
        if let Some(l) = l {
            taken[*l] = Some(r);
        }
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gold::parse;
    use crate::resolve::resolve;
    use crate::tables::{DocumentInfo, PredMention};
    use dyad_core::Span;

    const TEXT: &str = "Russia backs Iran. Ties between Iran and Russia grew. \
        Israel has not attacked Iran. Russia may arm Iran.\nJane Doe is a fellow at Russia House.\n";

    /// The byte offset of `needle` in TEXT.
    fn at(needle: &str) -> usize {
        TEXT.find(needle).expect("in TEXT")
    }

    /// The sentences of TEXT, as a tagger would report them.
    fn sentence(i: usize) -> Span {
        let bounds = [0, at("Ties"), at("Israel"), at("Russia may"), at("Jane"), TEXT.len()];
        Span::new(bounds[i], bounds[i + 1])
    }

    fn stance(i: usize, src: &str, tgt: &str, pol: i8, modality: &str, sym: bool) -> PredStance {
        PredStance {
            sentence: sentence(i),
            source: src.to_string(),
            target: tgt.to_string(),
            polarity: pol,
            score: Some(f64::from(pol) * 3.0),
            modality: Modality::parse(modality),
            symmetric: sym,
        }
    }

    fn scored(gold: &str, pred: &DocPredictions) -> DocScore {
        let gold = parse("t.gold", gold).expect("parses");
        let resolved = resolve(&gold, TEXT).expect("resolves");
        score(&gold, &resolved, pred)
    }

    fn stances(list: Vec<PredStance>) -> DocPredictions {
        DocPredictions { stances: list, ..DocPredictions::default() }
    }

    const DYADS: &str = "\
boilerplate\tJane Doe is a fellow
dyad\tRUS\tIRN\t+1\tasserted\trequired\tdirected\tRussia backs Iran
dyad\tIRN\tRUS\t+1\tasserted\trequired\tsymmetric\tTies between Iran and Russia
dyad\tISR\tIRN\t-1\tnegated\trequired\tdirected\thas not attacked Iran
dyad\tRUS\tIRN\t+1\thedged\toptional\tdirected\tRussia may arm Iran
";

    #[test]
    fn symmetric_gold_matches_either_way_round() {
        let s = scored(DYADS, &stances(vec![stance(1, "RUS", "IRN", 1, "asserted", false)]));
        assert_eq!((s.counts.dyad_match, s.counts.dyad_pred), (1, 1));
        // A directed gold dyad matches a reversed stance only when the
        // stance is symmetric.
        let s = scored(
            DYADS,
            &stances(vec![stance(0, "IRN", "RUS", 1, "asserted", false), stance(0, "IRN", "RUS", 1, "asserted", true)]),
        );
        assert_eq!((s.counts.dyad_match, s.counts.dyad_pred), (1, 2));
        assert_eq!(s.false_stances, [0]);
    }

    #[test]
    fn optional_dyads_are_neither_rewarded_nor_penalised() {
        let s = scored(
            DYADS,
            &stances(vec![stance(3, "RUS", "IRN", 1, "hedged", false), stance(3, "RUS", "IRN", 1, "hedged", false)]),
        );
        // One is dropped; the second has nothing left to match.
        assert_eq!(s.counts.dyad_gold, 3);
        assert_eq!((s.counts.dyad_match, s.counts.dyad_pred), (0, 1));
        assert_eq!(s.missed_dyads, [0, 1, 2]);
    }

    #[test]
    fn negated_gold_takes_its_polarity_or_a_negated_zero() {
        let zero = scored(DYADS, &stances(vec![stance(2, "ISR", "IRN", 0, "negated", false)]));
        assert_eq!(zero.counts.dyad_match, 1);
        assert_eq!(zero.counts.modality_ok, 1);
        let signed = scored(DYADS, &stances(vec![stance(2, "ISR", "IRN", -1, "asserted", false)]));
        assert_eq!(signed.counts.dyad_match, 1);
        assert_eq!(signed.counts.modality_ok, 0);
        assert_eq!(signed.wrong_modality, [(2, 0)]);
        let asserted_zero = scored(DYADS, &stances(vec![stance(2, "ISR", "IRN", 0, "asserted", false)]));
        assert_eq!(asserted_zero.counts.dyad_match, 0);
    }

    #[test]
    fn each_gold_dyad_matches_once_and_sentences_must_agree() {
        let s = scored(
            DYADS,
            &stances(vec![
                stance(0, "RUS", "IRN", 1, "hedged", false),
                stance(0, "RUS", "IRN", 1, "asserted", false),
                stance(1, "ISR", "IRN", -1, "negated", false),
                stance(4, "RUS", "IRN", 1, "asserted", false),
            ]),
        );
        // The asserted one is preferred for the modality.
        assert_eq!(s.counts.dyad_match, 1);
        assert_eq!(s.counts.modality_ok, 1);
        assert_eq!(s.false_stances, [0, 2, 3]);
        // The stance in the boilerplate line leaks.
        assert_eq!(s.counts.leaks, 1);
    }

    #[test]
    fn mentions_match_by_overlap_and_rolled_up_actor() {
        let gold = "boilerplate\tJane Doe is a fellow\nmention\tRUS\tRussia\nmention\tIRN\tIran\n";
        let m = |needle: &str, len: usize, actor: &str, via: &str| PredMention {
            span: Span::new(at(needle), at(needle) + len),
            actor: actor.to_string(),
            via: via.to_string(),
        };
        let pred = DocPredictions {
            mentions: vec![
                m("Russia", 6, "RUS", "name"),
                m("Russia", 6, "RUS", "name"),
                m("Iran", 4, "IRN", "name"),
                m("Iran", 4, "IRN", "pronoun"),
                m("Iran and", 4, "RUS", "name"),
                m("Russia House", 6, "RUS", "name"),
            ],
            ..DocPredictions::default()
        };
        let s = scored(gold, &pred);
        // Gold: Russia, Iran, Iran, Russia, Iran, Russia, Iran (7; the
        // boilerplate "Russia" does not count).
        assert_eq!(s.counts.mention_gold, 7);
        assert_eq!(s.counts.mention_pred, 5);
        assert_eq!(s.counts.mention_match, 2);
        assert_eq!(s.false_mentions, [1, 4, 5]);
        assert_eq!(s.counts.leaks, 1);
    }

    #[test]
    fn net_author_stance_and_author() {
        let gold = "author\t-\nnet\tRUS\tIRN\tcooperative\nnet\tIRN\tRUS\tcooperative\nnet\tISR\tIRN\tconflictual\n\
                    author_stance\tRUS\tnegative\nauthor_stance\tIRN\tneutral\n";
        let mut pred = stances(vec![
            stance(1, "RUS", "IRN", 1, "asserted", true),
            stance(0, "RUS", "IRN", -1, "asserted", false),
            stance(0, "RUS", "IRN", 1, "asserted", false),
        ]);
        pred.author_stances.insert("RUS".to_string(), "negative".to_string());
        pred.document = Some(DocumentInfo { author: String::new(), status: "ok".to_string() });
        let c = scored(gold, &pred).counts;
        // RUS->IRN: 3 - 3 + 3 > 0; IRN->RUS: the symmetric 3 > 0; ISR->IRN: no stance.
        assert_eq!((c.net_ok, c.net_gold), (2, 3));
        assert_eq!((c.author_stance_ok, c.author_stance_gold), (1, 2));
        assert_eq!((c.author_ok, c.author_gold), (1, 1));
    }

    #[test]
    fn matching_is_maximum_not_greedy() {
        // Left 0 could take 0 or 1, left 1 only 0: both must be matched.
        let adj = vec![vec![0, 1], vec![0]];
        assert_eq!(max_matching(&adj, 2, &[false, false]), [Some(1), Some(0)]);
        assert_eq!(max_matching(&adj, 2, &[true, false]), [Some(1), None]);
    }
}
