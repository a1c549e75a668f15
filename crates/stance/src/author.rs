//! The author's own stance toward each actor: evaluative words near its
//! mentions, summed per document.

use dyad_core::{ActorId, ActorTable, AuthorStance, Tagged};
use std::collections::BTreeMap;

/// One evaluative word attributed to the actor nearest to it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Evaluation {
    pub(crate) actor: ActorId,
    /// Already scaled to about -1..1 and weighted by distance.
    pub(crate) score: f32,
}

/// Above this absolute score the author is positive or negative.
const THRESHOLD: f32 = 0.2;

pub(crate) fn aggregate(tagged: &Tagged, actors: &ActorTable, evaluations: &[Evaluation]) -> Vec<AuthorStance> {
    let mut counts: BTreeMap<ActorId, (u32, f32)> = BTreeMap::new();
    for m in &tagged.mentions {
        counts.entry(actors.primary(m.actor)).or_default().0 += 1;
    }
    for e in evaluations {
        counts.entry(e.actor).or_default().1 += e.score;
    }
    let mut out: Vec<AuthorStance> = counts
        .into_iter()
        .filter(|(_, (n, _))| *n > 0)
        .map(|(actor, (mentions, sum))| {
            // Damped by the number of mentions, bounded to -1..1.
            let score = (sum / (mentions as f32).sqrt()).tanh();
            let score = (score * 1000.0).round() / 1000.0;
            let label = if score > THRESHOLD {
                1
            } else if score < -THRESHOLD {
                -1
            } else {
                0
            };
            AuthorStance { actor, mentions, label, score }
        })
        .collect();
    out.sort_by(|a, b| actors.get(a.actor).id.cmp(&actors.get(b.actor).id));
    out
}
