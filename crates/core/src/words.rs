//! One id per distinct token text, given once per token and shared by the
//! taggers: entities and stance each keep what they learn of a word in a
//! vector indexed by its id, so that a token costs one probe of the
//! interner ([`WordIds::of`]) instead of one probe per tagger.
//!
//! Ids are per thread and depend on the order in which texts were first
//! seen, so they must never reach an output: they only index caches whose
//! entries are a function of the token's bytes.
//!
//! Invariant: within one [`WordIds::generation`], an id always stands for
//! the same bytes, on any thread (generations are unique in the process).
//! A thread's interner starts afresh, with a new generation, once it holds
//! [`WORD_LIMIT`] texts, which bounds its memory and that of the caches.

use crate::Token;
use crate::hash::{WordHashMap, load, load_whole, low_bytes};
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Texts a thread's interner holds before it starts afresh.
pub const WORD_LIMIT: usize = 1 << 18;

/// Generations handed out so far; 0 is never one, so that a cache can
/// start with it and be filled on first use.
static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static INTERNER: RefCell<Interner> = RefCell::new(Interner::default());
}

/// The id of each token of a document, in token order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordIds {
    ids: Vec<u32>,
    generation: u64,
    count: u32,
}

impl WordIds {
    /// Gives each of `tokens` (spans of `text`) the id of its exact bytes
    /// in this thread's interner, adding the texts it has not seen.
    pub fn of(text: &str, tokens: &[Token]) -> WordIds {
        INTERNER.with_borrow_mut(|interner| interner.ids(text.as_bytes(), tokens))
    }

    /// One id per token, each below [`WordIds::count`].
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// The interner's generation the ids belong to: a cache filled under
    /// another generation must be dropped.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// How many ids the interner had given when these were: a cache of
    /// this length has a slot for each of them.
    pub fn count(&self) -> usize {
        self.count as usize
    }
}

/// Gives the ids' buffer back to this thread's interner, for the next
/// document's ids (not while the interner is in use, nor once the thread's
/// interner is gone).
impl Drop for WordIds {
    fn drop(&mut self) {
        let ids = std::mem::take(&mut self.ids);
        let _ = INTERNER.try_with(|interner| {
            if let Ok(mut interner) = interner.try_borrow_mut() {
                interner.give_back(ids);
            }
        });
    }
}

/// Token texts and their ids: texts of up to eight bytes (most of running
/// text) in a [`ShortTable`] of 16-byte slots keyed by [`tiny_key`], those
/// of nine to sixteen bytes in one of 32-byte slots keyed by [`pair_key`]
/// (both found without hashing or comparing strings), longer ones in a
/// hash map. The small slots halve the memory the common probe touches, so
/// more of them stay in cache.
#[derive(Debug, Default)]
struct Interner {
    tiny: ShortTable<u32, u64>,
    /// Ids held as `u64` (each below [`WORD_LIMIT`]): a slot takes 32 bytes
    /// either way (the key's alignment), and a load of another width than
    /// `tiny`'s keeps LLVM from merging the two tables' hits into one load
    /// through a computed address, which cost the common hit, `tiny`'s, two
    /// instructions more (5.1 M of 1,522 M on `/tmp/cg6k`).
    pair: ShortTable<u64>,
    long: WordHashMap<Box<[u8]>, u32>,
    len: u32,
    /// 0 until the first document.
    generation: u64,
    /// The buffer [`Interner::ids`] writes a document's ids into and hands
    /// out in its [`WordIds`], whose drop gives it back: after the first
    /// documents, the ids take no allocation and no copy.
    scratch: Vec<u32>,
}

/// Writes into `ids` (as long as `tokens`) the ids of `tokens` while the
/// two small tables hold them, and returns how many it wrote: it stops at
/// a new text, a longer one, or one with fewer than sixteen bytes of
/// `text` from its start on (all left to [`Interner::id`]). A loop
/// without calls and over read-only tables, so the tables' addresses and
/// lengths stay in registers instead of being reloaded for each token (as they
/// were when [`Interner::add`] could run between any two tokens).
#[inline(never)]
fn known(tiny: &ShortTable<u32, u64>, pair: &ShortTable<u64>, text: &[u8], tokens: &[Token], ids: &mut [u32]) -> usize {
    let (tiny, pair) = (tiny.probe(), pair.probe());
    // Never so (a table starts with 1,024 slots), but said here, once, it
    // spares each probe its test that the slot index is in bounds.
    if tiny.slots.is_empty() || pair.slots.is_empty() {
        return 0;
    }
    // The last start from which sixteen bytes can be read: one compare a
    // token against it, before either key is built, and the compiler drops
    // the loads' own bounds tests (the tiny key's cost an add as well).
    let Some(last) = text.len().checked_sub(16) else { return 0 };
    for (at, (id, token)) in ids.iter_mut().zip(tokens).enumerate() {
        let (start, len) = (token.span.start as usize, token.span.len());
        if start > last {
            return at;
        }
        // The keys of `tiny_key` and `pair_key`, from in-bounds loads only.
        let found = if len <= 8 {
            load_whole(text, start).and_then(|bytes| tiny.get(u64::from_le_bytes(bytes) | TINY_PAD[len]))
        } else {
            pair_key_of(len, || load_whole(text, start)).and_then(|key| pair.get(key)).map(|v| v as u32)
        };
        match found {
            Some(found) => *id = found,
            None => return at,
        }
    }
    tokens.len()
}

impl Interner {
    /// The loop over the tokens is [`known`]'s; a token it leaves, this
    /// gives an id through [`Interner::id`]. The ids are written into the
    /// interner's `scratch`, the buffer of an earlier document's
    /// [`WordIds`] (given back when they were dropped), and handed out in
    /// it.
    #[inline(never)]
    fn ids(&mut self, text: &[u8], tokens: &[Token]) -> WordIds {
        if self.generation == 0 || self.len as usize >= WORD_LIMIT {
            let scratch = std::mem::take(&mut self.scratch);
            *self = Interner {
                generation: NEXT_GENERATION.fetch_add(1, Ordering::Relaxed),
                scratch,
                ..Interner::default()
            };
        }
        let mut ids = std::mem::take(&mut self.scratch);
        // Zeroes only what the last document's ids did not cover.
        ids.resize(tokens.len(), 0);
        let out = &mut ids[..];
        let mut done = 0;
        // Whether the tokens left start too near the end of the text for
        // `known`, which would leave each of them at once. (Testing the
        // next token's start before each call instead, with no flag, let
        // LLVM compile `known` itself differently: +13.6 M instructions on
        // the warm 6,000-article corpus.)
        let mut near_end = false;
        loop {
            if !near_end {
                done += known(&self.tiny, &self.pair, text, &tokens[done..], &mut out[done..]);
            }
            let Some(token) = tokens.get(done) else { break };
            out[done] = self.id(text, token);
            done += 1;
            near_end = token.span.start as usize + 16 > text.len();
        }
        WordIds { ids, generation: self.generation, count: self.len }
    }

    /// Takes back the buffer of dropped [`WordIds`], unless it holds a
    /// larger one; a huge document's is let go, as every buffer kept from
    /// document to document is ([`crate::KEPT_BUFFER_BYTES`]).
    fn give_back(&mut self, mut ids: Vec<u32>) {
        crate::let_go_above(&mut ids, crate::KEPT_BUFFER_BYTES);
        if ids.capacity() > self.scratch.capacity() {
            self.scratch = ids;
        }
    }

    /// The id of `token`'s text, added if new: the path of the tokens that
    /// [`known`] leaves (new texts, longer ones, those near the end of
    /// the text).
    fn id(&mut self, text: &[u8], token: &Token) -> u32 {
        let (start, len) = (token.span.start as usize, token.span.len());
        let known = match tiny_key(text, start, len) {
            Some(key) => self.tiny.get(key),
            None => pair_key(text, start, len).and_then(|key| self.pair.get(key)).map(|v| v as u32),
        };
        known.unwrap_or_else(|| self.add(text, token))
    }

    /// The id of `token`'s text when neither small table holds it: a new
    /// text's, or a longer one's.
    #[inline(never)]
    fn add(&mut self, text: &[u8], token: &Token) -> u32 {
        let (start, len) = (token.span.start as usize, token.span.len());
        let next = self.len;
        let id = if let Some(key) = tiny_key(text, start, len) {
            self.tiny.insert(key, next);
            next
        } else if let Some(key) = pair_key(text, start, len) {
            self.pair.insert(key, u64::from(next));
            next
        } else {
            let bytes = &text[token.span.range()];
            match self.long.get(bytes) {
                Some(&id) => id,
                None => {
                    self.long.insert(bytes.into(), next);
                    next
                }
            }
        };
        if id == next {
            self.len += 1;
        }
        id
    }
}

/// A text of at most fifteen bytes as one integer: the `len` bytes of
/// `text` from `start` on ([`low_bytes`]), then the length in the top
/// byte, so that two texts share a key only if they are equal. Nearly every
/// English word fits; `None` for a longer one.
#[inline]
pub fn short_key(text: &[u8], start: usize, len: usize) -> Option<u128> {
    Some(low_bytes(text, start, len)? | (len as u128) << 120)
}

/// A text of one to eight bytes as one `u64`, `None` for an empty or a
/// longer one: its bytes, little-endian, then `0xFF` bytes up to eight
/// ([`TINY_PAD`]). Token texts are spans of a `str`, in which `0xFF`
/// never occurs, so the first `0xFF` byte marks where a shorter text ends,
/// and two texts share a key only if they are equal. `u64::MAX` (the empty
/// text) is never a key.
#[inline]
pub fn tiny_key(text: &[u8], start: usize, len: usize) -> Option<u64> {
    if !(1..=8).contains(&len) {
        return None;
    }
    Some(u64::from_le_bytes(load(text, start, len)?) | TINY_PAD[len])
}

/// By length (zero to eight bytes): the bits of the bytes past a text of
/// that length, which [`tiny_key`] sets. Looked up rather than computed: a
/// shift by a variable amount costs three instructions more on x86-64
/// without BMI2. Indexed by the length itself, not by the length less
/// one, so that [`known`]'s test of a length is one compare with no
/// subtraction before it; the entry for an empty token, which only
/// [`known`] reads, makes its key the next bytes of the text with the
/// first set to `0xFF`. No key in the table begins with that byte (a
/// text's first byte, never `0xFF` in a `str`), nor is it the empty
/// slot's `u64::MAX` (the other bytes are text), so an empty token is
/// never found there and goes to [`Interner::id`], which gives it the
/// empty text's id.
const TINY_PAD: [u64; 9] = {
    let mut pads = [0; 9];
    pads[0] = 0xFF;
    let mut len = 1;
    while len < 8 {
        pads[len] = u64::MAX << (8 * len);
        len += 1;
    }
    pads
};

/// A text of nine to sixteen bytes as one `u128`, `None` for a shorter
/// or a longer one: its bytes, little-endian, then `0xFF` bytes up to
/// sixteen ([`PAIR_PAD`]), as [`tiny_key`] keys shorter texts (so two
/// texts share a key only if they are equal, and `u128::MAX` is never
/// one). One 16-byte load and an or, where [`short_key`]'s layout takes a
/// mask and the length: the interner's own key, built in its per-token
/// loop.
#[inline]
fn pair_key(text: &[u8], start: usize, len: usize) -> Option<u128> {
    pair_key_of(len, || load(text, start, len))
}

/// [`pair_key`] of a text of `len` bytes, from its sixteen bytes as
/// `bytes` loads them (`None` if it cannot).
#[inline(always)]
fn pair_key_of(len: usize, bytes: impl FnOnce() -> Option<[u8; 16]>) -> Option<u128> {
    let pad = *PAIR_PAD.get(len.wrapping_sub(9))?;
    let bytes = bytes()?;
    let (low, high) = bytes.split_at(8);
    // The padding is all in the high half, so each half is one load of
    // its own (and the high one's `or`), not a vector load, an `or` and
    // two moves out of the vector register.
    let low = u64::from_le_bytes(low.try_into().ok()?);
    let high = u64::from_le_bytes(high.try_into().ok()?) | pad;
    Some(u128::from(low) | u128::from(high) << 64)
}

/// By length less nine (nine to sixteen bytes): the bits of the bytes past
/// a text of that length, which [`pair_key`] sets, in the high half of the
/// key (its bytes eight to fifteen).
const PAIR_PAD: [u64; 8] = {
    let mut pads = [0; 8];
    let mut len = 9;
    while len < 16 {
        pads[len - 9] = u64::MAX << (8 * (len - 8));
        len += 1;
    }
    pads
};

/// A key of a [`ShortTable`]: an integer with one value that is never a
/// key, which marks an empty slot.
pub trait TableKey: Copy + Eq + std::fmt::Debug {
    /// Never a key.
    const EMPTY: Self;
    /// The key folded to 64 bits, mixing all its bits in.
    fn fold(self) -> u64;
}

impl TableKey for u128 {
    /// Not a [`short_key`] (a key's top byte is a length of at most
    /// fifteen) nor a `pair_key` (its first nine bytes are text).
    const EMPTY: u128 = u128::MAX;
    #[inline]
    fn fold(self) -> u64 {
        (self as u64) ^ ((self >> 64) as u64).rotate_left(29)
    }
}

impl TableKey for u64 {
    /// Not a [`tiny_key`] (see there).
    const EMPTY: u64 = u64::MAX;
    #[inline]
    fn fold(self) -> u64 {
        self
    }
}

/// Values by [`short_key`] (or [`tiny_key`], the interner's `pair_key`) in an open-addressing table: one multiply, a
/// mask and usually one probe, where a general hash map spent most of the
/// per-word time hashing and probing.
///
/// Invariant: `slots.len()` is a power of two at least twice the number of
/// entries, so a probe always reaches an empty slot; [`TableKey::EMPTY`]
/// never is a key.
#[derive(Debug, Clone)]
pub struct ShortTable<V, K = u128> {
    /// Each key beside its value: a probe reads one slot, with one bounds
    /// check.
    slots: Vec<(K, V)>,
    len: usize,
}

#[cfg(test)]
const EMPTY_KEY: u128 = <u128 as TableKey>::EMPTY;

impl<V: Copy + Default, K: TableKey> Default for ShortTable<V, K> {
    fn default() -> ShortTable<V, K> {
        ShortTable::with_bits(10)
    }
}

impl<V: Copy + Default, K: TableKey> ShortTable<V, K> {
    fn with_bits(bits: u32) -> ShortTable<V, K> {
        ShortTable { slots: vec![(K::EMPTY, V::default()); 1 << bits], len: 0 }
    }

    #[inline]
    fn home(&self, key: K) -> usize {
        home(key, self.slots.len() - 1)
    }

    /// The value of `key`, a [`short_key`], [`tiny_key`] or `pair_key`.
    #[inline]
    pub fn get(&self, key: K) -> Option<V> {
        self.probe().get(key)
    }

    /// The table's slots, copied out for a loop of lookups.
    #[inline]
    fn probe(&self) -> Probe<'_, K, V> {
        Probe { slots: &self.slots }
    }

    /// Adds a key that is not in the table.
    pub fn insert(&mut self, key: K, value: V) {
        if (self.len + 1) * 2 > self.slots.len() {
            let mut bigger = ShortTable::with_bits(self.slots.len().trailing_zeros() + 1);
            for &(k, v) in &self.slots {
                if k != K::EMPTY {
                    bigger.insert(k, v);
                }
            }
            *self = bigger;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        while self.slots[i].0 != K::EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = (key, value);
        self.len += 1;
    }

    pub fn clear(&mut self) {
        *self = ShortTable::default();
    }
}

/// The slot where a probe for `key` starts in a table of `mask + 1`
/// slots: the high half of the folded key's 128-bit product with the
/// Fibonacci constant depends on every bit of the key, so its low bits
/// can be masked off. A mask of the table's length, not a shift by its
/// number of bits, so the slot index needs no bounds check beyond a
/// non-empty table and no shift count held in a register.
#[inline]
fn home<K: TableKey>(key: K, mask: usize) -> usize {
    ((u128::from(key.fold()) * 0x9E37_79B9_7F4A_7C15) >> 64) as usize & mask
}

/// A [`ShortTable`]'s slots as a plain slice, for lookups only: held in a
/// local, its address and length stay in registers across a loop of
/// lookups.
#[derive(Clone, Copy)]
struct Probe<'t, K, V> {
    slots: &'t [(K, V)],
}

impl<K: TableKey, V: Copy> Probe<'_, K, V> {
    /// The value of `key`; the first slot probed is tested on its own, as
    /// it nearly always settles the lookup.
    #[inline]
    fn get(self, key: K) -> Option<V> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = home(key, mask);
        let (k, v) = self.slots[i];
        if k == key {
            return Some(v);
        }
        let mut k = k;
        while k != K::EMPTY {
            i = (i + 1) & mask;
            let (next, v) = self.slots[i];
            if next == key {
                return Some(v);
            }
            k = next;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Span, TokenKind};

    fn key(text: &str) -> Option<u128> {
        short_key(text.as_bytes(), 0, text.len())
    }

    #[test]
    fn short_keys_tell_words_apart() {
        let keys: Vec<Option<u128>> =
            ["a", "a\0", "ab", "ba", "", "Iran", "iran", "sanctio", "sanction", "retaliations\0\0\0"].map(key).to_vec();
        for (i, a) in keys.iter().enumerate() {
            assert!(a.is_some());
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(key("counterterrorism"), None, "sixteen bytes");
        assert!(key("naïve").is_some(), "six bytes, one of them not ASCII");
        assert_ne!(key("naïve"), key("naive"));
    }

    /// Checks that `key` gives each of `texts` a key (never the empty
    /// slot's), the same one whether the text stands alone, inside a longer
    /// text or at a text's very end (where fewer than sixteen bytes
    /// follow), and one that no other text of `texts` shares.
    fn assert_keys_tell_apart<K: TableKey>(texts: &[&str], key: fn(&[u8], usize, usize) -> Option<K>) {
        let alone: Vec<Option<K>> = texts.iter().map(|t| key(t.as_bytes(), 0, t.len())).collect();
        let inner: Vec<Option<K>> =
            texts.iter().map(|t| key(format!("xy{t}zzzzzzzzzzzzzzzz").as_bytes(), 2, t.len())).collect();
        let at_end: Vec<Option<K>> = texts.iter().map(|t| key(format!("xy{t}").as_bytes(), 2, t.len())).collect();
        assert_eq!(inner, alone);
        assert_eq!(at_end, alone);
        for (i, a) in alone.iter().enumerate() {
            assert!(a.is_some_and(|k| k != K::EMPTY), "{:?}", texts[i]);
            for b in &alone[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    fn tiny(text: &str) -> Option<u64> {
        tiny_key(text.as_bytes(), 0, text.len())
    }

    #[test]
    fn tiny_keys_tell_words_apart() {
        let texts = [
            "a",
            "a\0",
            "\0",
            "ab",
            "ba",
            "Iran",
            "iran",
            "sanctio",
            "sanction",
            "sanctioN",
            "naïve",
            "naive",
            "\u{7f}\0\0\0\0\0\0",
            "\u{7f}\0\0\0\0\0\0\0",
            "\u{10ffff}\u{10ffff}",
        ];
        assert_keys_tell_apart(&texts, tiny_key);
        assert_eq!(tiny("sanction"), Some(u64::from_le_bytes(*b"sanction")));
        assert_eq!(tiny("Iran"), Some(u64::from_le_bytes(*b"Iran\xff\xff\xff\xff")));
        assert_eq!(tiny(""), None, "empty");
        assert_eq!(tiny("sanctions"), None, "nine bytes");
        assert_eq!(tiny_key(b"ab", 1, 2), None, "out of bounds");
    }

    fn pair(text: &str) -> Option<u128> {
        pair_key(text.as_bytes(), 0, text.len())
    }

    #[test]
    fn pair_keys_tell_words_apart() {
        let texts = [
            "sanctions",
            "sanctionz",
            "Sanctions",
            "sanctions\0",
            "sanctions\0\0\0\0\0\0\0",
            "retaliations",
            "retaliation",
            "counterterrorism",
            "counterterrorisn",
            "naïve naïve",
            "\u{7f}\0\0\0\0\0\0\0\0",
            "\u{7f}\0\0\0\0\0\0\0\0\0",
            "\u{10ffff}\u{10ffff}\u{10ffff}",
        ];
        assert_keys_tell_apart(&texts, pair_key);
        assert_eq!(pair("counterterrorism"), Some(u128::from_le_bytes(*b"counterterrorism")));
        assert_eq!(pair("sanctions"), Some(u128::from_le_bytes(*b"sanctions\xff\xff\xff\xff\xff\xff\xff")));
        assert_eq!(pair("sanction"), None, "eight bytes");
        assert_eq!(pair("counterterrorisms"), None, "seventeen bytes");
        assert_eq!(pair_key(b"sanctions", 1, 9), None, "out of bounds");
    }

    /// Inserts `keys` (all different) into a table started with four slots,
    /// then finds each again: growth must keep every key and its id.
    fn finds_every_key_across_growth<K: TableKey>(keys: &[K]) -> ShortTable<u32, K> {
        let mut table: ShortTable<u32, K> = ShortTable::with_bits(2);
        for (id, &k) in keys.iter().enumerate() {
            assert_eq!(table.get(k), None);
            table.insert(k, id as u32);
        }
        for (id, &k) in keys.iter().enumerate() {
            assert_eq!(table.get(k), Some(id as u32));
        }
        assert!(table.slots.len() >= 2 * keys.len());
        table
    }

    #[test]
    fn the_tiny_table_finds_every_key_across_growth() {
        let keys: Vec<u64> = (0..5000u64).map(|i| tiny(&format!("w{i}")).unwrap_or(0)).collect();
        finds_every_key_across_growth(&keys);
    }

    #[test]
    fn the_short_table_finds_every_key_across_growth() {
        let keys: Vec<u128> = (0..5000u64).map(|i| key(&format!("word{i}")).unwrap_or(0)).collect();
        let table = finds_every_key_across_growth(&keys);
        assert_eq!(table.get(key("").unwrap_or(EMPTY_KEY)), None);
    }

    fn words(text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        let mut start = 0;
        for piece in text.split(' ') {
            tokens.push(Token { span: Span::new(start, start + piece.len()), kind: TokenKind::Word });
            start += piece.len() + 1;
        }
        tokens
    }

    #[test]
    fn equal_texts_share_an_id_and_only_they() {
        let long = "counterterrorisms";
        let text = format!(
            "Iran iran {long} Iran {long}s {long} a sanction sanctions sanction sanctions retaliations\0\0\0 a\0 retaliations\0\0\0 a\0 counterterrorism {long} counterterrorism"
        );
        let tokens = words(&text);
        let ids = WordIds::of(&text, &tokens);
        let texts: Vec<&str> = tokens.iter().map(|t| t.text(&text)).collect();
        for (i, a) in texts.iter().enumerate() {
            for (j, b) in texts.iter().enumerate() {
                assert_eq!(ids.ids()[i] == ids.ids()[j], a == b, "{a:?} {b:?}");
            }
        }
        assert!(ids.ids().iter().all(|&id| (id as usize) < ids.count()));
        // A later document of the same generation keeps the ids.
        let again = WordIds::of("iran Iran", &words("iran Iran"));
        assert_eq!(again.generation(), ids.generation());
        assert_eq!(again.ids(), &[ids.ids()[1], ids.ids()[0]]);
    }

    /// Empty tokens (the tokenizer gives none, but a span may be empty)
    /// in the middle of a text, where the per-token loop reads their key:
    /// they are never found there, and the slow path gives them all one
    /// id, which no other text shares.
    #[test]
    fn empty_tokens_share_an_id_and_only_they() {
        let text = "a  Iran  sanctions  a Iran sanctions and then some more text after them all";
        let tokens = words(text);
        let ids = WordIds::of(text, &tokens);
        let texts: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
        assert!(texts.contains(&""));
        for (i, a) in texts.iter().enumerate() {
            for (j, b) in texts.iter().enumerate() {
                assert_eq!(ids.ids()[i] == ids.ids()[j], a == b, "{a:?} {b:?}");
            }
        }
    }

    /// Documents with new texts between known ones, each ending in a
    /// different word (where its key cannot be read in one load, so the
    /// per-token loop leaves it to the slow path): every text keeps one id
    /// across them all, and no two texts share one.
    #[test]
    fn ids_hold_across_new_texts_and_the_end_of_a_text() {
        let vocabulary =
            ["a", "Iran", "sanction", "sanctions", "retaliations", "counterterrorism", "counterterrorisms"];
        let mut interner = Interner::default();
        let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        for (n, last) in vocabulary.iter().enumerate() {
            let text = format!("{} new{n} {} {last}", vocabulary[n..].join(" "), vocabulary.join(" "));
            let tokens = words(&text);
            let ids = interner.ids(text.as_bytes(), &tokens);
            assert_eq!(ids.ids().len(), tokens.len());
            for (token, &id) in tokens.iter().zip(ids.ids()) {
                assert_eq!(*seen.entry(token.text(&text).to_string()).or_insert(id), id, "{:?}", token.text(&text));
            }
        }
        let mut distinct: Vec<u32> = seen.values().copied().collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), seen.len());
        assert_eq!(interner.len as usize, seen.len());
    }

    /// The ids of a huge document are not given back to be kept: the
    /// documents after it get a buffer of their own size.
    #[test]
    fn a_huge_documents_ids_buffer_is_let_go() {
        let doc = "a ".repeat(crate::KEPT_BUFFER_BYTES / 4 + 1);
        let tokens = words(&doc);
        drop(WordIds::of(&doc, &tokens));
        let kept = INTERNER.with_borrow(|interner| interner.scratch.capacity());
        assert!(kept * 4 <= crate::KEPT_BUFFER_BYTES, "{kept} ids kept");
        let small = WordIds::of("a b", &words("a b"));
        assert_eq!(small.ids().len(), 2);
    }

    /// The ids of each document come in the buffer of the ids dropped
    /// before them, longer or shorter: each document still gets exactly
    /// one id per token, the same ids as the slow path gives a token at a
    /// time (up to their numbering), whatever the buffer held.
    #[test]
    fn reused_buffers_give_the_ids_of_fresh_ones() {
        let docs = [
            "Iran and Israel , sanctions and retaliations . Iran counterterrorisms",
            "a b",
            "Iran b c sanctions a , Israel",
            "",
            "c",
            "the sanctions of Iran and the retaliations of Israel , again and again and again and again",
        ];
        let mut fresh = Interner::default();
        let mut to_fresh: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
        let mut last: Option<*const u32> = None;
        for round in 0..3 {
            for doc in docs {
                let tokens = if doc.is_empty() { Vec::new() } else { words(doc) };
                let ids = WordIds::of(doc, &tokens);
                // The slow path, a token at a time, into no buffer at all.
                let expected: Vec<u32> = tokens.iter().map(|t| fresh.id(doc.as_bytes(), t)).collect();
                assert_eq!(ids.ids().len(), tokens.len(), "{doc:?}");
                for (&id, &want) in ids.ids().iter().zip(&expected) {
                    assert_eq!(*to_fresh.entry(id).or_insert(want), want, "{doc:?}");
                }
                if round > 0 && !tokens.is_empty() {
                    // The buffer of the longest document is kept and reused.
                    assert_eq!(last, Some(ids.ids().as_ptr()));
                }
                if tokens.len() == 17 {
                    last = Some(ids.ids().as_ptr());
                }
            }
        }
        let mut distinct: Vec<u32> = to_fresh.values().copied().collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), to_fresh.len(), "two ids for one text");
    }

    #[test]
    fn a_full_interner_starts_afresh_with_a_new_generation() {
        let mut interner = Interner::default();
        let first = interner.ids(b"a b", &words("a b"));
        interner.len = WORD_LIMIT as u32;
        let second = interner.ids(b"b", &words("b"));
        assert_ne!(first.generation(), second.generation());
        assert_eq!(second.ids(), &[0]);
        assert_eq!(second.count(), 1);
    }
}
