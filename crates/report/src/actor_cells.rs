//! The cells of a row that depend only on the actor it names, rendered once
//! and copied into every row that names the actor: per document (the
//! actors a document names, before its rows are written) or per run
//! ([`ActorCells`]: every actor of the table, shared by every worker).
//!
//! Invariant: a cell here is the bytes `Id`/`Text` write for the same
//! value, so copying it writes what rendering the row from scratch would.

use std::sync::Arc;

use dyad_core::{ActorId, ActorTable, Analysis, Via};

use crate::cache::PerActor;
use crate::line::{Cell, Short};
use crate::render::{ActorNames, VIAS, actor, actor_id_str, country_id, primary, via_end, via_index};
use crate::rows::{Id, Text};

/// Every actor's cells, rendered once for a table: a pipeline builds one
/// per run and hands it to [`crate::Rendered::render_again_with`] on every
/// worker, so no document renders them again. Borrowing the table keeps it
/// from changing under the cells.
#[derive(Debug)]
pub struct ActorCells<'a> {
    pub(crate) actors: &'a ActorTable,
    pub(crate) cells: CellTable,
    /// The actors' ids and names, which every rendered document shares for
    /// its `pairs.csv` counts.
    pub(crate) names: Arc<ActorNames>,
}

impl<'a> ActorCells<'a> {
    /// Renders the cells of every actor of `actors`: a few hundred
    /// instructions an actor, once.
    pub fn new(actors: &'a ActorTable) -> ActorCells<'a> {
        let mut cells = CellTable::default();
        cells.reset(actors.len());
        // The slot after the last actor stands for every id outside the table.
        for i in 0..=actors.len() {
            let id = ActorId(i as u32);
            cells.add_mention(actors, id);
            cells.add_id_name_country(actors, id);
        }
        cells.id_order = id_order(actors);
        cells.add_mention_tails(actors.len());
        cells.add_stance_cells(actors.len());
        cells.primaries = (0..actors.len() as u32).map(|i| primary(actors, ActorId(i)).unwrap_or(ActorId(i))).collect();
        ActorCells { actors, cells, names: Arc::new(ActorNames::new(actors)) }
    }
}

/// Rendered actor cells, by actor, each cell followed by its comma so a
/// row takes them with one copy ([`Run`]).
#[derive(Debug, Default)]
pub(crate) struct CellTable {
    bytes: Vec<u8>,
    /// `actor_id,actor_name,actor_kind,affiliation_id,country,` of
    /// `mentions.csv`.
    mention: PerActor<MentionCells>,
    /// `id,name,country,` of a stance's source or target.
    id_name_country: PerActor<IdNameCountry>,
    /// Every actor's place in the order of the actor ids (equal ids, equal
    /// places), the slot after the last for ids outside the table; empty
    /// when the table is filled per document.
    id_order: Vec<u32>,
    /// Per actor slot (as `id_order`) and [`Via`], the end of a
    /// `mentions.csv` row: the mention cells and then the `via` cell and
    /// `\r\n`, copied into the row at once; empty where they do not fit,
    /// and no entry at all when the table is filled per document.
    mention_tails: Vec<Short<56>>,
    /// Per actor, the actor whose cells a stance naming it writes
    /// ([`primary`]); empty when the table is filled per document.
    primaries: Vec<ActorId>,
    /// Per actor slot (as `id_order`), its `id,name,country,` cells as
    /// [`StanceCells`], one cache line each, read with no stamp check;
    /// empty when the table is filled per document.
    stance_cells: Vec<StanceCells>,
}

/// The `id,name,country,` cells of an actor (empty when they do not fit)
/// and where its `id,name,` ends: 64 bytes, aligned, so a stance or
/// `actors.csv` row reads one cache line for them, where the
/// [`IdNameCountry`] of a [`PerActor`] costs a line of stamps and often two
/// of the value.
#[derive(Debug, Clone, Copy)]
#[repr(align(64))]
struct StanceCells {
    cells: Short<48>,
    id_name: u32,
}

/// The mention cells of an actor: a [`Short`], for most, copied for less
/// than a range of `CellTable::bytes`.
#[derive(Debug, Clone, Copy, Default)]
enum MentionCells {
    #[default]
    Missing,
    Short(Short<48>),
    Range(u32, u32),
}

/// Cells and their commas, as [`CellTable`] holds them.
pub(crate) enum Run<'a> {
    Short(&'a Short<48>),
    /// The first bytes of a [`Short`]: `id,name,` of `id,name,country,`.
    Prefix(&'a Short<48>, usize),
    Bytes(&'a [u8]),
}

impl Cell for Run<'_> {
    #[inline(always)]
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Run::Short(short) => short.put(out),
            Run::Prefix(short, len) => short.put_first(*len, out),
            Run::Bytes(bytes) => out.extend_from_slice(bytes),
        }
    }
}

/// A range of `CellTable::bytes` holding `id,name,country,`; `id,name` (the
/// actor cells of `actors.csv`) ends at `name_end`, where its comma is.
/// Also a [`Short`] when the cells fit, as most do: copied with no
/// `memcpy` call into every stance row (twice) and `actors.csv` row.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IdNameCountry {
    start: u32,
    name_end: u32,
    end: u32,
    short: Option<Short<48>>,
}

/// The cells of an actor that was never added: as many empty cells as
/// there should be, so the row keeps its columns.
const NO_MENTION: &[u8] = b",,,,,";
const NO_ID_NAME_COUNTRY: &[u8] = b",,,";
const NO_ID_NAME: &[u8] = b",,";

impl CellTable {
    /// Forgets every cell, for a table of `actors` actors.
    pub(crate) fn reset(&mut self, actors: usize) {
        self.id_order.clear();
        self.mention_tails.clear();
        self.stance_cells.clear();
        self.primaries.clear();
        self.bytes.clear();
        self.mention.reset(actors);
        self.id_name_country.reset(actors);
    }

    /// Renders the cells the rows of `analysis` need and lacks.
    pub(crate) fn add_for(&mut self, analysis: &Analysis, actors: &ActorTable) {
        let mentions = &analysis.tagged.mentions;
        for m in mentions {
            self.add_mention(actors, m.actor);
        }
        for s in &analysis.stance.stances {
            for end in [s.source, s.target] {
                if let Some(m) = mentions.get(end as usize) {
                    self.add_id_name_country(actors, primary(actors, m.actor).unwrap_or(m.actor));
                }
            }
        }
        for a in &analysis.stance.author {
            self.add_id_name_country(actors, a.actor);
        }
    }

    /// Adds the mention cells of `id`, from its `id,name,country,` cells
    /// (`id,name,`, kind, affiliation, `,country,`), which most actors named
    /// need anyway.
    pub(crate) fn add_mention(&mut self, actors: &ActorTable, id: ActorId) {
        if self.mention.get_ref(id).is_some() {
            return;
        }
        let c = self.add_id_name_country(actors, id);
        let bytes = &mut self.bytes;
        let from = bytes.len() as u32;
        bytes.extend_from_within(c.start as usize..=c.name_end as usize);
        actor(actors, id).map_or("", |a| a.kind.as_str()).put(bytes);
        bytes.push(b',');
        let affiliation = match primary(actors, id) {
            Some(p) if p != id => actor_id_str(actors, p),
            _ => "",
        };
        Id(affiliation).put(bytes);
        // `,country,`: the commas around it included.
        bytes.extend_from_within(c.name_end as usize..c.end as usize);
        let to = bytes.len() as u32;
        let cells = match Short::try_new(&bytes[from as usize..to as usize]) {
            Some(short) => MentionCells::Short(short),
            None => MentionCells::Range(from, to),
        };
        self.mention.get_or_insert_with(id, || cells);
    }

    fn add_id_name_country(&mut self, actors: &ActorTable, id: ActorId) -> IdNameCountry {
        let bytes = &mut self.bytes;
        self.id_name_country.get_or_insert_with(id, || {
            let a = actor(actors, id);
            let start = bytes.len() as u32;
            Id(a.map_or("", |a| a.id.as_str())).put(bytes);
            bytes.push(b',');
            Text(a.map_or("", |a| a.name.as_str())).put(bytes);
            let name_end = bytes.len() as u32;
            bytes.push(b',');
            Id(country_id(actors, id)).put(bytes);
            bytes.push(b',');
            let short = Short::try_new(&bytes[start as usize..]);
            IdNameCountry { start, name_end, end: bytes.len() as u32, short }
        })
    }

    /// Renders the row ends of [`CellTable::mention_tails`] from the
    /// mention cells of every slot, which must all be in the table.
    fn add_mention_tails(&mut self, actors: usize) {
        let mut tail = Vec::new();
        for slot in 0..=actors {
            for via in VIAS {
                tail.clear();
                self.mention(ActorId(slot as u32)).put(&mut tail);
                via_end(via).put(&mut tail);
                self.mention_tails.push(Short::try_new(&tail).unwrap_or(Short::new("")));
            }
        }
    }

    /// Copies the `id,name,country,` cells of every slot, which must all be
    /// in the table, to [`CellTable::stance_cells`].
    fn add_stance_cells(&mut self, actors: usize) {
        for slot in 0..=actors {
            let c = self.id_name_country.get_ref(ActorId(slot as u32)).copied().unwrap_or_default();
            let cells = c.short.unwrap_or(Short::new(""));
            self.stance_cells.push(StanceCells { cells, id_name: c.name_end + 1 - c.start });
        }
    }

    /// The kept `id,name,country,` cells of `id`'s slot, when the whole
    /// table's are kept and they fit.
    #[inline(always)]
    fn stance_cells(&self, id: ActorId) -> Option<&StanceCells> {
        let slot = (id.0 as usize).min(self.stance_cells.len().wrapping_sub(1));
        self.stance_cells.get(slot).filter(|c| !c.cells.is_empty())
    }

    /// Appends the mention cells of `id`, the `via` cell and the record's
    /// end: one fixed-size copy where the whole table's cells are rendered
    /// and they fit, else the two copies.
    #[inline(always)]
    pub(crate) fn put_mention_tail(&self, id: ActorId, via: Via, out: &mut Vec<u8>) {
        let actors = (self.mention_tails.len() / VIAS.len()).saturating_sub(1);
        let slot = (id.0 as usize).min(actors) * VIAS.len() + via_index(via);
        match self.mention_tails.get(slot) {
            Some(tail) if !tail.is_empty() => tail.put(out),
            _ => {
                self.mention(id).put(out);
                via_end(via).put(out);
            }
        }
    }

    /// The actor whose cells a stance naming `id` writes: `id`'s primary,
    /// or `id` itself when it has none (an id outside the table); looked
    /// up when the whole table's cells are rendered.
    #[inline]
    pub(crate) fn stance_actor(&self, actors: &ActorTable, id: ActorId) -> ActorId {
        match self.primaries.get(id.0 as usize) {
            Some(&p) => p,
            None => primary(actors, id).unwrap_or(id),
        }
    }

    /// The mention cells of `id`, commas included.
    #[inline]
    pub(crate) fn mention(&self, id: ActorId) -> Run<'_> {
        match self.mention.get_ref(id) {
            Some(MentionCells::Short(short)) => Run::Short(short),
            Some(&MentionCells::Range(from, to)) => Run::Bytes(self.bytes(from, to).unwrap_or(NO_MENTION)),
            Some(MentionCells::Missing) | None => Run::Bytes(NO_MENTION),
        }
    }

    /// The `id,name,country,` cells of `id`.
    #[inline]
    pub(crate) fn id_name_country(&self, id: ActorId) -> Run<'_> {
        if let Some(c) = self.stance_cells(id) {
            return Run::Short(&c.cells);
        }
        match self.id_name_country.get_ref(id) {
            Some(IdNameCountry { short: Some(short), .. }) => Run::Short(short),
            c => Run::Bytes(c.and_then(|c| self.bytes(c.start, c.end)).unwrap_or(NO_ID_NAME_COUNTRY)),
        }
    }

    /// The `id,name,` cells of `id`.
    #[inline]
    pub(crate) fn id_name(&self, id: ActorId) -> Run<'_> {
        if let Some(c) = self.stance_cells(id) {
            return Run::Prefix(&c.cells, c.id_name as usize);
        }
        match self.id_name_country.get_ref(id) {
            Some(&IdNameCountry { start, name_end, short: Some(ref short), .. }) => {
                Run::Prefix(short, (name_end + 1 - start) as usize)
            }
            c => Run::Bytes(c.and_then(|c| self.bytes(c.start, c.name_end + 1)).unwrap_or(NO_ID_NAME)),
        }
    }

    /// The place of `id`'s actor id in the order of the ids, when the
    /// table holds every actor's ([`ActorCells`]): sorting by it sorts by
    /// id, without comparing strings.
    #[inline]
    pub(crate) fn id_order(&self) -> Option<impl Fn(ActorId) -> u32 + '_> {
        let last = self.id_order.len().checked_sub(1)?;
        Some(move |id: ActorId| self.id_order[(id.0 as usize).min(last)])
    }

    #[inline]
    fn bytes(&self, from: u32, to: u32) -> Option<&[u8]> {
        self.bytes.get(from as usize..to as usize)
    }
}

/// The place of each actor's id in the sorted ids, equal ids sharing one;
/// the slot after the last actor, for ids outside the table, is the place
/// of the empty id, as [`actor_id_str`] gives them.
fn id_order(actors: &ActorTable) -> Vec<u32> {
    let n = actors.len();
    let mut ids: Vec<(&str, usize)> = (0..=n).map(|slot| (actor_id_str(actors, ActorId(slot as u32)), slot)).collect();
    // Equal ids get one place whatever their order here.
    ids.sort_unstable();
    let mut order = vec![0; n + 1];
    let mut place = 0;
    for (i, &(id, slot)) in ids.iter().enumerate() {
        if i > 0 && ids[i - 1].0 != id {
            place += 1;
        }
        order[slot] = place;
    }
    order
}
