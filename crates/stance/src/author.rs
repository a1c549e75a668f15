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
    // By actor id. Most comparisons are settled by the ids' first eight
    // bytes as one integer ([`id_prefix`]); comparing the strings, a call to
    // `memcmp` each time, was most of this function's cost.
    let mut keyed: Vec<(u64, &str, ActorId)> = seen
        .into_iter()
        .map(|actor| {
            let id = actors.get(actor).id.as_str();
            (id_prefix(id), id, actor)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    keyed
        .into_iter()
        .filter_map(|(_, _, actor)| Some((actor, counts[actor.0 as usize]?)))
        .filter(|(_, (n, _))| *n > 0)
        .map(|(actor, (mentions, sum))| {
            // Damped by the number of mentions, bounded to -1..1. Most
            // actors have no evaluative word: their sum is +0.0, which the
            // formula keeps, so `tanh` (a library call) is skipped for them.
            let score = if sum.to_bits() == 0 {
                0.0
            } else {
                let score = (sum / (mentions as f32).sqrt()).tanh();
                (score * 1000.0).round() / 1000.0
            };
            let label = if score > THRESHOLD {
                1
            } else if score < -THRESHOLD {
                -1
            } else {
                0
            };
            AuthorStance { actor, mentions, label, score }
        })
        .collect()
}

/// The first eight bytes of `id`, zero-padded, as a big-endian integer: if
/// `id_prefix(a) < id_prefix(b)` then `a < b` as strings (a zero pad sorts
/// like the end of a shorter string), so only equal prefixes need the
/// string comparison.
fn id_prefix(id: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = id.len().min(8);
    bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::id_prefix;

    #[test]
    fn id_prefixes_order_like_the_ids() {
        let ids =
            ["", "A", "AB", "AB\0", "ABC", "ABCDEFGH", "ABCDEFGHI", "ABCDEFGI", "B", "UNK:Zeta", "UNK:Zeta2", "a"];
        for a in ids {
            for b in ids {
                let (pa, pb) = (id_prefix(a), id_prefix(b));
                if pa != pb {
                    assert_eq!(pa < pb, a < b, "{a:?} {b:?}");
                }
            }
        }
        assert!(id_prefix("ABCDEFGH") < id_prefix("ABCDEFGI"));
    }
}
