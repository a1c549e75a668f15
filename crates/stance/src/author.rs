//! The author's own stance toward each actor: evaluative words near its
//! mentions, summed per document.

use dyad_core::{ActorId, ActorTable, AuthorStance};
use std::cell::RefCell;

/// One evaluative word attributed to the actor nearest to it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Evaluation {
    pub(crate) actor: ActorId,
    /// Already scaled to about -1..1 and weighted by distance.
    pub(crate) score: f32,
}

/// Above this absolute score the author is positive or negative.
const THRESHOLD: f32 = 0.2;

/// One actor's tally in a document, valid only while `epoch` is the
/// document's.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    epoch: u64,
    mentions: u32,
    sum: f32,
}

/// Tallies indexed by actor, kept between the documents of a thread: a
/// fresh table per document cost a write per actor of the dictionary. The
/// epoch, one more for each document, tells stale tallies from current
/// ones without clearing them, even after a document panicked half-way.
#[derive(Debug, Default)]
struct Tallies {
    epoch: u64,
    by_actor: Vec<Tally>,
    /// The document's actors with their [`id_prefix`], to be sorted.
    order: Vec<(u64, ActorId)>,
}

thread_local! {
    static TALLIES: RefCell<Tallies> = RefCell::new(Tallies::default());
}

/// The author's stance toward each actor mentioned, into `out` (cleared
/// first): `primaries` holds the primary actor of each mention of the
/// document.
pub(crate) fn aggregate(
    primaries: &[ActorId],
    actors: &ActorTable,
    evaluations: &[Evaluation],
    out: &mut Vec<AuthorStance>,
) {
    TALLIES.with_borrow_mut(|tallies| aggregate_in(tallies, primaries, actors, evaluations, out))
}

fn aggregate_in(
    tallies: &mut Tallies,
    primaries: &[ActorId],
    actors: &ActorTable,
    evaluations: &[Evaluation],
    out: &mut Vec<AuthorStance>,
) {
    tallies.epoch += 1;
    let epoch = tallies.epoch;
    if tallies.by_actor.len() < actors.len() {
        tallies.by_actor.resize(actors.len(), Tally::default());
    }
    let Tallies { by_actor, order, .. } = tallies;
    order.clear();
    // Indexed by actor: a map entry per mention cost a fifth more.
    let mut add = |actor: ActorId, mentions: u32, score: f32| {
        let slot = &mut by_actor[actor.0 as usize];
        if slot.epoch != epoch {
            *slot = Tally { epoch, mentions: 0, sum: 0.0 };
            order.push((0, actor));
        }
        slot.mentions += mentions;
        slot.sum += score;
    };
    for &actor in primaries {
        add(actor, 1, 0.0);
    }
    for e in evaluations {
        add(e.actor, 0, e.score);
    }
    // By actor id. Most comparisons are settled by the ids' first eight
    // bytes as one integer ([`id_prefix`]); comparing the strings, a call to
    // `memcmp` each time, was most of this function's cost. Ids are unique
    // in an `ActorTable`, so no two entries compare equal and an unstable
    // sort gives the one order.
    for (key, actor) in order.iter_mut() {
        *key = id_prefix(&actors.get(*actor).id);
    }
    order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| actors.get(a.1).id.cmp(&actors.get(b.1).id)));
    out.clear();
    out.reserve(order.len());
    for &(_, actor) in order.iter() {
        let Tally { mentions, sum, .. } = by_actor[actor.0 as usize];
        if mentions == 0 {
            continue;
        }
        // Damped by the number of mentions, bounded to -1..1. Most actors
        // have no evaluative word: their sum is +0.0, which the formula
        // keeps, so `tanh` (a library call) is skipped for them.
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
        out.push(AuthorStance { actor, mentions, label, score });
    }
}

/// The first eight bytes of `id`, zero-padded, as a big-endian integer: if
/// `id_prefix(a) < id_prefix(b)` then `a < b` as strings (a zero pad sorts
/// like the end of a shorter string), so only equal prefixes need the
/// string comparison.
fn id_prefix(id: &str) -> u64 {
    // Byte by byte: ids are short, and a copy of a variable length is a
    // call to `memcpy`.
    let mut key = 0u64;
    for (i, &b) in id.as_bytes().iter().take(8).enumerate() {
        key |= u64::from(b) << (56 - 8 * i);
    }
    key
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
