//! Folded words of up to fifteen ASCII bytes as `u128` keys, and the table
//! that maps them to ids. Folding and lookup work on all of a word's bytes
//! at once (SWAR: SIMD within a register).

use super::{Word, WordId};
use dyad_core::Token;
use dyad_core::hash::{LOW_BYTES, load, low_bytes};

/// Up to fifteen ASCII bytes packed little-endian into a `u128`, their
/// count in the top byte (so two different such strings never share a
/// key); `None` for any other string.
pub(super) fn pack(folded: &[u8]) -> Option<u128> {
    if !folded.is_ascii() {
        return None;
    }
    dyad_core::words::short_key(folded, 0, folded.len())
}

/// `0x0101...01`: times a byte, that byte in every lane of a `u128`.
const LANES: u128 = u128::MAX / 0xff;

/// `pack` of the folded form of token `t` of `text` when it is one to
/// fifteen ASCII bytes with no period, which fold to their lower case;
/// `None` for any other word, which the caller folds the long way. Works on
/// all the bytes at once (SWAR): a token is at most one load.
#[inline]
pub(super) fn fold_packed(text: &[u8], t: Token) -> Option<u128> {
    let (start, len) = (t.span.start as usize, t.span.len());
    // Most words fit in eight bytes: one `u64` load, half the work.
    if (1..=8).contains(&len) {
        let bytes: [u8; 8] = load(text, start, len)?;
        let lanes = u64::MAX >> (64 - 8 * len);
        let folded = fold_lanes(u64::from_le_bytes(bytes) & lanes, lanes)?;
        return Some(u128::from(folded) | (len as u128) << 120);
    }
    if len == 0 {
        return None;
    }
    let word = low_bytes(text, start, len)?;
    let folded = fold_lanes(word, LOW_BYTES[len])?;
    Some(folded | (len as u128) << 120)
}

/// `PAD[n]`: the lanes of a `u64` from the `n`th up.
const PAD: [u64; 9] = {
    let mut pad = [0; 9];
    let mut n = 0;
    while n < 8 {
        pad[n] = u64::MAX << (8 * n);
        n += 1;
    }
    pad
};

/// The key of a packed word (see [`pack`]) of one to eight bytes in a
/// `FrozenTable<u64>`: its bytes, and `0xff` in the lanes past them, which
/// no ASCII byte is (so no two such words share a key, and none is
/// `u64::MAX`, [`Key::EMPTY`]); `None` for other words.
pub(super) fn short_key(packed: u128) -> Option<u64> {
    let len = (packed >> 120) as usize;
    (1..=8).contains(&len).then(|| packed as u64 | PAD[len])
}

/// Has the [`short_key`] `key` a period?
fn has_period(key: u64) -> bool {
    let dots = key ^ (u64::MAX / 0xff * u64::from(b'.'));
    dots.wrapping_sub(u64::MAX / 0xff) & !dots & (u64::MAX / 0xff * 0x80) != 0
}

/// A token of one to eight bytes, keyed as [`short_key`] keys its folded
/// form if it is ASCII with no period ([`Short::is_plain`]). Otherwise its
/// key is no word's: each byte that is not ASCII keeps its high bit, which
/// no key has but in the lanes past its word, and the token's last byte
/// cannot be `0xff` (or `0xdf`, which the `or` of lower-casing turns into
/// `0xff`) since it ends a UTF-8 character; a period stays a period, which
/// no key of a `Frozen` table holds but those of runs of periods (which
/// fold to the empty word). So a key that is found is right, and only a
/// token that is not found needs the test.
pub(super) struct Short {
    pub(super) key: u64,
    bytes: u64,
    lanes: u64,
}

impl Short {
    /// The token of `len` bytes (one to eight) whose bytes, and those after
    /// them, are `bytes` (little-endian).
    #[inline(always)]
    fn of(bytes: u64, len: usize) -> Short {
        let pad = PAD[len];
        let (lanes, bytes) = (!pad, bytes & !pad);
        Short { key: lower_lanes(bytes) | pad, bytes, lanes }
    }

    /// Does the token fold to its key (ASCII bytes, no period)?
    #[inline(always)]
    pub(super) fn is_plain(&self) -> bool {
        is_plain(self.bytes, self.lanes)
    }
}

/// Token `t` of `text` keyed as a [`Short`], when it is one to eight bytes.
/// One `u64` load and a few operations on all its bytes at once.
#[inline]
pub(super) fn short(text: &[u8], t: Token) -> Option<Short> {
    let (start, len) = (t.span.start as usize, t.span.len());
    if !(1..=8).contains(&len) {
        return None;
    }
    Some(Short::of(u64::from_le_bytes(load(text, start, len)?), len))
}

/// The bytes of `word` (`lanes` marks them; the rest are zero) in lower
/// case, unless one is not ASCII or a period (folding drops periods).
#[inline(always)]
fn fold_lanes<T: Lanes>(word: T, lanes: T) -> Option<T> {
    is_plain(word, lanes).then(|| lower_lanes(word))
}

/// Are the bytes of `word` that `lanes` marks ASCII and not periods?
#[inline(always)]
fn is_plain<T: Lanes>(word: T, lanes: T) -> bool {
    // A lane of `x` that is zero borrows into its high bit when `x - 1`;
    // borrows only run upwards, from a lane that is zero itself, so the
    // test for any zero lane is exact.
    let dots = word ^ T::splat(b'.');
    (word | (dots.wrapping_sub(T::splat(1)) & !dots)) & T::splat(0x80) & lanes == T::ZERO
}

/// The ASCII letters of `word` in lower case. Each lane of the result is
/// its lane of `word`, or that with `0x20` added by an `or`: a lane that
/// is not ASCII keeps its high bit (its carry may make the next lane's
/// letter test wrong, never more).
#[inline(always)]
fn lower_lanes<T: Lanes>(word: T) -> T {
    // ASCII upper case to lower: lanes from b'A' carry into their high bit
    // when 0x3f is added, lanes past b'Z' when 0x25 is; an ASCII lane does
    // not overflow.
    let upper = word.wrapping_add(T::splat(0x3f)) & !word.wrapping_add(T::splat(0x25)) & T::splat(0x80);
    word | (upper >> 2)
}

/// The integers `fold_lanes` works on, a byte a lane.
trait Lanes:
    Copy
    + PartialEq
    + std::ops::BitAnd<Output = Self>
    + std::ops::BitOr<Output = Self>
    + std::ops::BitXor<Output = Self>
    + std::ops::Not<Output = Self>
    + std::ops::Shr<u32, Output = Self>
{
    const ZERO: Self;
    /// `b` in every lane.
    fn splat(b: u8) -> Self;
    fn wrapping_sub(self, other: Self) -> Self;
    fn wrapping_add(self, other: Self) -> Self;
}

impl Lanes for u64 {
    const ZERO: u64 = 0;
    fn splat(b: u8) -> u64 {
        u64::MAX / 0xff * u64::from(b)
    }
    fn wrapping_sub(self, other: u64) -> u64 {
        u64::wrapping_sub(self, other)
    }
    fn wrapping_add(self, other: u64) -> u64 {
        u64::wrapping_add(self, other)
    }
}

impl Lanes for u128 {
    const ZERO: u128 = 0;
    fn splat(b: u8) -> u128 {
        LANES * u128::from(b)
    }
    fn wrapping_sub(self, other: u128) -> u128 {
        u128::wrapping_sub(self, other)
    }
    fn wrapping_add(self, other: u128) -> u128 {
        u128::wrapping_add(self, other)
    }
}

/// Packed words to ids: open addressing with linear probing (no wrapping
/// around: the last slots overflow into a margin), at most half full. Each
/// slot has a one-byte tag from its key's hash (`TAG` bits; zero when the
/// slot is empty) and its key and id.
///
/// A lookup reads the eight tags from the key's home slot as one `u64`,
/// takes the first slot whose tag agrees and compares its key, all without
/// a branch on whether the word is known, which running text makes
/// unpredictable. That answer is right when the key, if present, lies
/// within those eight slots and is the first there with its tag; a home
/// slot where some key breaks this is marked `CAREFUL` (in its tag byte:
/// such a slot is never empty), and lookups from it probe slot by slot. The
/// tags of the whole vocabulary fit in the first-level cache, and most
/// words of running text, not in the vocabulary, never touch a key.
#[derive(Debug)]
pub(super) struct PackedTable {
    /// `tags[i]` is the tag of `slots[i + 1]`.
    tags: Vec<u8>,
    /// `slots[0]` stays empty: lookups that find no tag read it.
    slots: Vec<Slot>,
    /// Slots a hash picks (a power of two); the rest are the margin.
    home_slots: usize,
    /// `64 - log2(home_slots)`: how far the hash is shifted for the home slot.
    shift: u32,
    len: usize,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    key: u128,
    id: WordId,
}

/// Slots a lookup reads at once: the bytes of a `u64`.
const WINDOW: usize = 8;
/// A tag: the high bit and six bits of the key's hash.
const TAG: u8 = 0xbf;
const CAREFUL: u8 = 0x40;
const MARGIN: usize = 32;
/// No packed word has a byte above 0x7f.
const EMPTY: Slot = Slot { key: u128::MAX, id: WordId::NONE };
/// `0x0101...01`: times a byte, that byte in every lane of a `u64`.
const LANES_64: u64 = u64::MAX / 0xff;

/// The lanes of `x` that are zero, as their high bits. Exact up to the first
/// zero lane (a borrow only runs upwards, from a zero lane), which is all
/// the lookups use.
fn zero_lanes(x: u64) -> u64 {
    x.wrapping_sub(LANES_64) & !x & (LANES_64 * 0x80)
}

impl Default for PackedTable {
    fn default() -> PackedTable {
        PackedTable::with_home_slots(16)
    }
}

impl PackedTable {
    fn with_home_slots(n: usize) -> PackedTable {
        PackedTable {
            tags: vec![0; n + MARGIN],
            slots: vec![EMPTY; n + MARGIN + 1],
            home_slots: n,
            shift: 64 - n.trailing_zeros(),
            len: 0,
        }
    }

    /// The first slot to probe for `key` (an index into `tags`), and its tag.
    #[inline(always)]
    fn home(&self, key: u128) -> (usize, u8) {
        let hash = (key as u64).wrapping_add((key >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        ((hash >> self.shift) as usize, ((hash >> (self.shift - 8)) as u8 | 0x80) & TAG)
    }

    /// The id of `key`, or [`WordId::NONE`].
    #[inline(always)]
    pub(super) fn get(&self, key: u128) -> WordId {
        let (home, tag) = self.home(key);
        let mut window = [0; WINDOW];
        window.copy_from_slice(&self.tags[home..home + WINDOW]);
        let window = u64::from_le_bytes(window);
        if window & u64::from(CAREFUL) != 0 {
            return self.probe(key, home, tag).map_or(WordId::NONE, |i| self.slots[i + 1].id);
        }
        let agree = zero_lanes((window & (LANES_64 * u64::from(TAG))) ^ (LANES_64 * u64::from(tag)));
        // The first slot whose tag agrees, else the empty slot 0; then that
        // slot if its key is `key`, else slot 0 (arithmetic, not branches).
        let candidate = (home + 1 + (agree.trailing_zeros() / 8) as usize) * usize::from(agree != 0);
        let found = candidate * usize::from(self.slots[candidate].key == key);
        self.slots[found].id
    }

    /// The slot holding `key` (an index into `tags`): `Ok`, or `Err` with the
    /// empty slot where it would go (`None` when the margin is full).
    fn probe(&self, key: u128, home: usize, tag: u8) -> Result<usize, Option<usize>> {
        for i in home..self.tags.len() {
            if self.tags[i] == 0 {
                return Err(Some(i));
            }
            if self.tags[i] & TAG == tag && self.slots[i + 1].key == key {
                return Ok(i);
            }
        }
        Err(None)
    }

    pub(super) fn insert(&mut self, key: u128, id: WordId) {
        let (home, tag) = self.home(key);
        match self.probe(key, home, tag) {
            Ok(i) => self.slots[i + 1].id = id,
            Err(Some(i)) if 2 * (self.len + 1) <= self.home_slots => {
                // Slots before `i` are full and stay so: only this key can
                // break what a lookup from `home` assumes.
                if i - home >= WINDOW || self.tags[home..i].iter().any(|&t| t & TAG == tag) {
                    self.tags[home] |= CAREFUL;
                }
                self.tags[i] = tag;
                self.slots[i + 1] = Slot { key, id };
                self.len += 1;
            }
            Err(_) => {
                let old = std::mem::replace(self, PackedTable::with_home_slots(2 * self.home_slots));
                for slot in old.slots.into_iter().filter(|s| s.id != WordId::NONE) {
                    self.insert(slot.key, slot.id);
                }
                self.insert(key, id);
            }
        }
    }
}

/// The keys of a [`FrozenTable`].
pub(super) trait Key: Copy + PartialEq {
    /// The key of empty slots, which no word has.
    const EMPTY: Self;
    /// A hash that differs for any two keys the table holds.
    fn hash(self) -> u64;
}

/// [`pack`]ed words: their high halves are equal for all but a few words of
/// nine bytes or more, and the hash differs for any two such keys (an odd
/// multiplier is a bijection).
impl Key for u128 {
    const EMPTY: u128 = EMPTY.key;

    #[inline(always)]
    fn hash(self) -> u64 {
        ((self as u64) ^ ((self >> 64) as u64).wrapping_mul(0xc2b2_ae3d_27d4_eb4f)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }
}

/// [`short_key`]s, which a multiplication hashes (no two alike).
impl Key for u64 {
    const EMPTY: u64 = u64::MAX;

    #[inline(always)]
    fn hash(self) -> u64 {
        self.wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }
}

/// A [`PackedTable`]'s keys (or some of them, keyed as `K`) frozen into a
/// perfect hash table (hash and displace): a key's hash picks a bucket,
/// the bucket's seed and the hash pick the one slot the key can be in. A
/// lookup is two loads and one comparison, with no probing; it is built
/// once the vocabulary is complete.
#[derive(Debug)]
pub(super) struct FrozenTable<K> {
    /// For each bucket, the seed that puts each of its keys in a slot of
    /// its own.
    seeds: Vec<u16>,
    /// Empty slots hold [`Key::EMPTY`] and [`Word`] `none`.
    slots: Vec<FrozenSlot<K>>,
    /// `64 - log2(seeds.len())`, `64 - log2(slots.len())`.
    bucket_shift: u32,
    slot_shift: u32,
}

/// A key, its id and the `PickBits` of its classes: a hit reads both from
/// the slot its key is compared in.
#[derive(Debug, Clone, Copy)]
struct FrozenSlot<K> {
    key: K,
    word: Word,
}

impl<K: Key> FrozenTable<K> {
    #[inline(always)]
    fn slot(hash: u64, seed: u16, shift: u32) -> usize {
        ((hash ^ u64::from(seed)).wrapping_mul(0xd6e8_feb8_6659_fd93) >> shift) as usize
    }

    /// The table of `keys` with their words, `none` in its empty slots, or
    /// `None` in the unlikely case that no seed separates some keys (two
    /// keys of the same hash).
    pub(super) fn freeze(keys: impl IntoIterator<Item = (K, Word)>, none: Word) -> Option<FrozenTable<K>> {
        let keys: Vec<(u64, FrozenSlot<K>)> =
            keys.into_iter().map(|(key, word)| (key.hash(), FrozenSlot { key, word })).collect();
        // More than half the slots full (a small table stays in the cache:
        // every token reads one slot), up to four keys to a bucket; should
        // a bucket find no seed, twice the slots.
        let slot_bits = keys.len().max(16).next_power_of_two().trailing_zeros();
        (slot_bits..slot_bits + 4).find_map(|slot_bits| FrozenTable::place(&keys, slot_bits, none))
    }

    fn place(keys: &[(u64, FrozenSlot<K>)], slot_bits: u32, none: Word) -> Option<FrozenTable<K>> {
        let bucket_bits = slot_bits - 2;
        let mut frozen = FrozenTable {
            seeds: vec![0; 1 << bucket_bits],
            // One more slot than a key's hash picks: it stays empty.
            slots: vec![FrozenSlot { key: K::EMPTY, word: none }; (1 << slot_bits) + 1],
            bucket_shift: 64 - bucket_bits,
            slot_shift: 64 - slot_bits,
        };
        // Each key's bucket (high half) and index (low half), by bucket.
        let mut by_bucket: Vec<u64> =
            keys.iter().enumerate().map(|(i, &(hash, _))| (hash >> frozen.bucket_shift) << 32 | i as u64).collect();
        by_bucket.sort_unstable();
        // Buckets with most keys first, while most slots are free.
        let mut buckets: Vec<&[u64]> = by_bucket.chunk_by(|a, b| a >> 32 == b >> 32).collect();
        buckets.sort_by_key(|b| std::cmp::Reverse(b.len()));
        let hash = |k: u64| keys[(k & u64::from(u32::MAX)) as usize].0;
        let mut taken = Vec::new();
        for bucket in buckets {
            let seed = (0..=u16::MAX).find(|&seed| {
                taken.clear();
                bucket.iter().all(|&k| {
                    let slot = FrozenTable::<K>::slot(hash(k), seed, frozen.slot_shift);
                    let free = frozen.slots[slot].key == K::EMPTY && !taken.contains(&slot);
                    taken.push(slot);
                    free
                })
            })?;
            frozen.seeds[(bucket[0] >> 32) as usize] = seed;
            for &k in bucket {
                let i = (k & u64::from(u32::MAX)) as usize;
                frozen.slots[FrozenTable::<K>::slot(keys[i].0, seed, frozen.slot_shift)] = keys[i].1;
            }
        }
        Some(frozen)
    }

    /// The word of `key`, or the `none` of [`FrozenTable::freeze`] (what
    /// the empty slots hold).
    #[inline(always)]
    pub(super) fn get(&self, key: K) -> Word {
        let hash = key.hash();
        let seed = self.seeds[(hash >> self.bucket_shift) as usize];
        let slot = FrozenTable::<K>::slot(hash, seed, self.slot_shift);
        // The slot if it holds `key`, else the last one, which is empty:
        // a select, not a branch, as whether a token is a word is as good
        // as random to the branch predictor (a branch cost this table
        // more time than its lookups saved).
        let found = std::hint::select_unpredictable(self.slots[slot].key == key, slot, self.slots.len() - 1);
        self.slots[found].word
    }
}

/// The words of a [`PackedTable`] frozen: those of one to eight bytes in a
/// table of `u64` keys (half the memory, a cheaper hash: most words of
/// running text), the rest in one of `u128` keys.
#[derive(Debug)]
pub(super) struct Frozen {
    pub(super) short: FrozenTable<u64>,
    pub(super) long: FrozenTable<u128>,
}

impl Frozen {
    /// `table` frozen, each id with `pick_bits(id)`; `none` for unknown
    /// keys; `empty` for tokens of one to eight periods, which fold to the
    /// empty word (a full stop is one token in twenty).
    pub(super) fn freeze(
        table: &PackedTable,
        pick_bits: impl Fn(WordId) -> u8,
        none: Word,
        empty: Word,
    ) -> Option<Frozen> {
        let words = || {
            table
                .slots
                .iter()
                .filter(|s| s.id != WordId::NONE)
                .map(|s| (s.key, Word { id: s.id, pick_bits: pick_bits(s.id) }))
        };
        let periods = (1..=8).map(|n| (PAD[n] | ((LANES_64 * u64::from(b'.')) & !PAD[n]), empty));
        Some(Frozen {
            // No word's key has a period (folding drops periods), so a
            // token's key with one is found only as a run of periods; a
            // short table so keyed takes a token's key as found before
            // testing it for periods ([`Short`]).
            short: FrozenTable::freeze(
                words()
                    .filter_map(|(key, word)| Some((short_key(key).filter(|&k| !has_period(k))?, word)))
                    .chain(periods),
                none,
            )?,
            long: FrozenTable::freeze(words().filter(|&(key, _)| short_key(key).is_none()), none)?,
        })
    }

    /// The word token `t` of `text` folds to, when a key of its bytes
    /// tells: a token of one to eight bytes is keyed before it is tested
    /// for periods and bytes that are not ASCII (see [`Short`]), a longer
    /// one is folded as one `u128`. `None` for the other tokens, which the
    /// caller folds the long way.
    pub(super) fn lookup(&self, text: &[u8], t: Token) -> Option<Word> {
        if let Some(short) = short(text, t) {
            return self.lookup_short(short);
        }
        if t.span.len() > 8 {
            return fold_packed(text, t).map(|key| self.long.get(key));
        }
        None
    }

    /// A [`Short`] token's word, or `None` when it is not found and not
    /// plain.
    #[inline(always)]
    fn lookup_short(&self, short: Short) -> Option<Word> {
        let found = self.short.get(short.key);
        // Not `||`: a word is found about half the time, which a branch
        // would guess wrong as often; a token is seldom not plain.
        (short.is_plain() | (found.id != WordId::NONE)).then_some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// What a miss returns: no id, and bits no id has.
    const NONE: Word = Word { id: WordId::NONE, pick_bits: 0xff };
    /// What runs of periods find: an id no key has.
    const EMPTY: Word = Word { id: WordId(u32::MAX), pick_bits: 0xfe };

    /// Bits that differ from id to id.
    fn pick_bits(id: WordId) -> u8 {
        (id.index() % 15) as u8
    }

    fn table(keys: impl IntoIterator<Item = u128>) -> (PackedTable, HashMap<u128, WordId>) {
        let mut table = PackedTable::default();
        let mut map = HashMap::new();
        for (i, key) in keys.into_iter().enumerate() {
            let id = WordId(i as u32 + 1);
            table.insert(key, id);
            map.insert(key, id);
        }
        (table, map)
    }

    #[test]
    fn crowded_home_slots_are_probed() {
        // Keys scattered like words' (an odd multiplier mixes the bits).
        let key = |k: u128| k.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835) >> 8;
        let (table, map) = table((0..3000).map(key));
        let careful = table.tags.iter().filter(|&&t| t & CAREFUL != 0).count();
        assert!(careful > 0, "some home slots need probing");
        for (&key, &id) in &map {
            assert_eq!(table.get(key), id);
        }
        assert!((3000..6000).all(|k| table.get(key(k)) == WordId::NONE));
    }

    /// What `frozen` says of the packed word `key`.
    fn frozen_get(frozen: &Frozen, key: u128) -> Word {
        match short_key(key) {
            Some(short) => frozen.short.get(short),
            None => frozen.long.get(key),
        }
    }

    /// What a frozen table gives for the packed word `key` of id `id`:
    /// the empty word for a run of periods, nothing for another short word
    /// with a period (never looked up).
    fn frozen_word(key: u128, id: WordId) -> Word {
        match short_key(key) {
            Some(short) if is_periods(short) => EMPTY,
            Some(short) if has_period(short) => NONE,
            _ if id == WordId::NONE => NONE,
            _ => Word { id, pick_bits: pick_bits(id) },
        }
    }

    /// Is `key` the [`short_key`] of a run of periods?
    fn is_periods(key: u64) -> bool {
        key.to_le_bytes().iter().take_while(|&&b| b != 0xff).all(|&b| b == b'.')
    }

    /// The packed words of the ASCII strings of `len` bytes numbered `n..`.
    fn words(len: usize, n: std::ops::Range<u64>) -> impl Iterator<Item = u128> {
        n.map(move |n| {
            let word: Vec<u8> = (0..len as u64).map(|i| b' ' + (((n * 0x9e37_79b9) >> (3 * i)) % 95) as u8).collect();
            pack(&word).expect("ASCII, at most fifteen bytes")
        })
    }

    #[test]
    fn frozen_tables_agree() {
        // Words of every length a key holds; two tables of different keys.
        let keys: Vec<u128> = (0..=15).flat_map(|len| words(len, 0..300)).collect();
        let (table, map) = table(keys.iter().copied());
        let frozen = Frozen::freeze(&table, pick_bits, NONE, EMPTY).expect("the keys have distinct hashes");
        assert!(frozen.short.slots.iter().any(|s| s.key != u64::EMPTY));
        assert!(frozen.long.slots.iter().any(|s| s.key != u128::EMPTY));
        for (&key, &id) in &map {
            assert_eq!(frozen_get(&frozen, key), frozen_word(key, id));
        }
        let unknown: Vec<u128> =
            (1..=15).flat_map(|len| words(len, 300..600)).filter(|k| !map.contains_key(k)).collect();
        assert!(unknown.iter().all(|&k| frozen_get(&frozen, k) == NONE));
    }

    #[test]
    fn short_keys_are_distinct() {
        let keys: std::collections::HashSet<u128> =
            (0..=15).flat_map(|len| words(len, 0..100)).chain([pack(b"a\0").unwrap()]).collect();
        let short: std::collections::HashSet<u64> = keys.iter().filter_map(|&k| short_key(k)).collect();
        assert_eq!(short.len(), keys.iter().filter(|&&k| (1..=8).contains(&(k >> 120))).count());
        assert!(!short.contains(&u64::EMPTY));
    }

    #[test]
    fn keys_of_one_hash_are_not_frozen() {
        // Equal low halves, high halves that the multiplier maps apart by
        // exactly their difference in the low half: same hash.
        let high = 0xc2b2_ae3d_27d4_eb4f_u64;
        let (a, b) = (u128::from(high) << 64, 1u128 << 64);
        let (a, b) = (a ^ u128::from(high.wrapping_mul(high)), b ^ u128::from(high));
        assert_eq!(a.hash(), b.hash());
        let word = Word { id: WordId(1), pick_bits: 0 };
        assert!(FrozenTable::freeze([(a, word), (b, word)], NONE).is_none());
    }

    /// Is `key` the [`short_key`] of some word of ASCII bytes, no period?
    fn keys_a_plain_word(key: u64) -> bool {
        let lanes = key.to_le_bytes();
        let len = lanes.iter().position(|&b| b == 0xff).unwrap_or(8);
        len > 0 && lanes[..len].iter().all(|&b| b < 0x80 && b != b'.') && lanes[len..].iter().all(|&b| b == 0xff)
    }

    proptest! {
        #[test]
        fn short_keys_are_right_or_no_words(text in "[a-zA-Z.'\u{0}\u{7f}\u{7c0}-\u{7ff}ôÔ\u{212a}\u{10348}]{1,8}", pad in 0usize..10) {
            // Some text after the token, or none (the token at the end).
            let full = format!("{text}{}", "x".repeat(pad));
            let t = Token { span: dyad_core::Span::new(0, text.len()), kind: dyad_core::TokenKind::Word };
            if let Some(short) = short(full.as_bytes(), t) {
                let packed = if short.is_plain() { Some(pack(text.to_ascii_lowercase().as_bytes()).unwrap()) } else { None };
                if let Some(packed) = packed.filter(|_| !text.contains('.')) {
                    prop_assert_eq!(Some(short.key), short_key(packed));
                } else {
                    prop_assert!(!keys_a_plain_word(short.key), "{:?} keyed {:x}", text, short.key);
                }
                prop_assert_eq!(short.is_plain(), text.is_ascii() && !text.contains('.'));
            } else {
                prop_assert!(text.len() > 8);
            }
        }

        #[test]
        fn periods_are_found(key in "[a-z.]{1,8}") {
            prop_assert_eq!(has_period(short_key(pack(key.as_bytes()).unwrap()).unwrap()), key.contains('.'));
        }

        #[test]
        fn lookups_agree_with_a_map(
            keys in prop::collection::vec("[ -~]{0,15}", 0..600),
            probes in prop::collection::vec("[ -~]{0,15}", 0..100),
        ) {
            let packed = |w: &String| pack(w.as_bytes()).expect("short ASCII");
            let (table, map) = table(keys.iter().map(packed));
            let frozen = Frozen::freeze(&table, pick_bits, NONE, EMPTY).expect("keys of equal high halves hash apart");
            for key in keys.iter().chain(&probes).map(packed) {
                let id = map.get(&key).copied().unwrap_or(WordId::NONE);
                prop_assert_eq!(table.get(key), id);
                prop_assert_eq!(frozen_get(&frozen, key), frozen_word(key, id));
            }
        }
    }
}
