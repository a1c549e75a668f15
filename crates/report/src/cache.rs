//! Values computed once per document for each actor it names: the actor
//! cells of its rows are rendered the first time the actor comes up and
//! copied for every later row.
//!
//! Invariant: a value is only ever read back within the document it was
//! computed for ([`PerActor::reset`] starts a new one), so the cache never
//! outlives the actor table it was filled from.

use dyad_core::ActorId;

/// One `T` per actor, filled on demand, forgotten by [`PerActor::reset`].
#[derive(Debug, Default)]
pub(crate) struct PerActor<T> {
    /// `values[slot]` is current when `stamps[slot] == generation`.
    stamps: Vec<u32>,
    values: Vec<T>,
    generation: u32,
}

impl<T: Copy + Default> PerActor<T> {
    /// Forgets every value, for a document over a table of `actors`
    /// actors. Constant time, except when the table grew.
    pub(crate) fn reset(&mut self, actors: usize) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamps.fill(0);
            self.generation = 1;
        }
        // One slot per actor, plus one shared by every id outside the table.
        if self.stamps.len() < actors + 1 {
            self.stamps.resize(actors + 1, 0);
            self.values.resize(actors + 1, T::default());
        }
        self.stamps.truncate(actors + 1);
        self.values.truncate(actors + 1);
    }

    /// The value for `id`, if it was computed since the last reset.
    #[inline]
    pub(crate) fn get_ref(&self, id: ActorId) -> Option<&T> {
        let slot = (id.0 as usize).min(self.stamps.len().saturating_sub(1));
        match self.stamps.get(slot) {
            Some(&stamp) if stamp == self.generation => self.values.get(slot),
            _ => None,
        }
    }

    /// The value for `id`, computed with `make` the first time it is asked
    /// for since the last reset. Every id outside the table shares one
    /// value: `make` must give the same for all of them.
    #[inline]
    pub(crate) fn get_or_insert_with(&mut self, id: ActorId, make: impl FnOnce() -> T) -> T {
        let slot = (id.0 as usize).min(self.stamps.len().saturating_sub(1));
        match self.stamps.get(slot) {
            Some(&stamp) if stamp == self.generation => self.values[slot],
            Some(_) => {
                let value = make();
                self.stamps[slot] = self.generation;
                self.values[slot] = value;
                value
            }
            None => make(),
        }
    }
}
