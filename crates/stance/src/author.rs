//! The author's own stance toward each actor: evaluative words near its
//! mentions, summed per document.

use dyad_core::{ActorId, ActorTable, AuthorStance, Tagged};

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
    // Indexed by actor, with the actors seen in order of first sight: a map
    // entry per mention cost a fifth more.
    let mut counts: Vec<Option<(u32, f32)>> = vec![None; actors.len()];
    let mut seen: Vec<ActorId> = Vec::new();
    let mut add = |actor: ActorId, mentions: u32, score: f32| {
        let slot = counts[actor.0 as usize].get_or_insert_with(|| {
            seen.push(actor);
            (0, 0.0)
        });
        slot.0 += mentions;
        slot.1 += score;
    };
    for m in &tagged.mentions {
        add(actors.primary(m.actor), 1, 0.0);
    }
    for e in evaluations {
        add(e.actor, 0, e.score);
    }
    let mut out: Vec<AuthorStance> = seen
        .into_iter()
        .filter_map(|actor| Some((actor, counts[actor.0 as usize]?)))
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
