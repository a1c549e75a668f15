//! Actors: states, organisations, groups, organs and persons, and the table
//! that rolls a person or organ up to the primary actor it belongs to.

use std::collections::HashMap;

/// Index of an actor in an [`ActorTable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActorKind {
    /// A UN member or observer state; id is ISO 3166-1 alpha-3.
    State,
    /// An intergovernmental organisation (UN, IAEA, OPEC).
    Igo,
    /// A bloc or alliance (EU, NATO, GCC) or "the West".
    Bloc,
    /// A non-state armed or political group (HAMAS, HEZBOLLAH).
    Group,
    /// A state organ that rolls up to its state (IRGC, the Pentagon).
    Organ,
    /// A person who rolls up to the actor they belong to.
    Person,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::State => "state",
            ActorKind::Igo => "igo",
            ActorKind::Bloc => "bloc",
            ActorKind::Group => "group",
            ActorKind::Organ => "organ",
            ActorKind::Person => "person",
        }
    }

    pub fn parse(s: &str) -> Option<ActorKind> {
        Some(match s {
            "state" => ActorKind::State,
            "igo" => ActorKind::Igo,
            "bloc" => ActorKind::Bloc,
            "group" => ActorKind::Group,
            "organ" => ActorKind::Organ,
            "person" => ActorKind::Person,
            _ => return None,
        })
    }

    /// Kinds that never appear as `source_id`/`target_id` of a stance.
    pub fn rolls_up(self) -> bool {
        matches!(self, ActorKind::Organ | ActorKind::Person)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `RUS`, `HAMAS`, `IRGC`, `VLADIMIR_PUTIN`.
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    /// For organs and persons: the actor they roll up to.
    pub belongs_to: Option<ActorId>,
    /// The state the actor is based in (for a state, itself).
    pub country: Option<ActorId>,
    /// Wikidata id (`Q159`), when known.
    pub wikidata: Option<String>,
}

/// Every actor the dictionary knows, addressable by [`ActorId`] and by id.
#[derive(Debug, Clone, Default)]
pub struct ActorTable {
    actors: Vec<Actor>,
    by_id: HashMap<String, ActorId>,
}

impl ActorTable {
    pub fn new() -> ActorTable {
        ActorTable::default()
    }

    /// Adds an actor; returns `Err(existing)` when the id is taken.
    pub fn insert(&mut self, actor: Actor) -> Result<ActorId, ActorId> {
        if let Some(&id) = self.by_id.get(&actor.id) {
            return Err(id);
        }
        let id = ActorId(self.actors.len() as u32);
        self.by_id.insert(actor.id.clone(), id);
        self.actors.push(actor);
        Ok(id)
    }

    pub fn get(&self, id: ActorId) -> &Actor {
        &self.actors[id.0 as usize]
    }

    pub fn get_mut(&mut self, id: ActorId) -> &mut Actor {
        &mut self.actors[id.0 as usize]
    }

    pub fn lookup(&self, id: &str) -> Option<ActorId> {
        self.by_id.get(id).copied()
    }

    pub fn len(&self) -> usize {
        self.actors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actors.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (ActorId, &Actor)> {
        self.actors.iter().enumerate().map(|(i, a)| (ActorId(i as u32), a))
    }

    /// The primary actor `id` rolls up to: itself unless it is a person or
    /// organ with a `belongs_to`, followed transitively (a person of an
    /// organ rolls up to the organ's state). Cycles stop at the first repeat.
    pub fn primary(&self, id: ActorId) -> ActorId {
        let mut cur = id;
        for _ in 0..8 {
            let a = self.get(cur);
            match a.belongs_to {
                Some(parent) if a.kind.rolls_up() && parent != cur => cur = parent,
                _ => break,
            }
        }
        cur
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: &str, kind: ActorKind, belongs_to: Option<ActorId>) -> Actor {
        Actor { id: id.into(), name: id.into(), kind, belongs_to, country: None, wikidata: None }
    }

    #[test]
    fn persons_and_organs_roll_up() {
        let mut t = ActorTable::new();
        let irn = t.insert(actor("IRN", ActorKind::State, None)).unwrap();
        let irgc = t.insert(actor("IRGC", ActorKind::Organ, Some(irn))).unwrap();
        let chief = t.insert(actor("HOSSEIN_SALAMI", ActorKind::Person, Some(irgc))).unwrap();
        let hamas = t.insert(actor("HAMAS", ActorKind::Group, Some(irn))).unwrap();
        assert_eq!(t.primary(chief), irn);
        assert_eq!(t.primary(irgc), irn);
        assert_eq!(t.primary(hamas), hamas, "a group is primary even with a home country");
        assert_eq!(t.lookup("IRGC"), Some(irgc));
        assert_eq!(t.insert(actor("IRN", ActorKind::State, None)), Err(irn));
    }
}
