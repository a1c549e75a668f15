//! Small, fast, deterministic hashers for the taggers' word maps, whose
//! keys are short words (SipHash's flood resistance buys nothing there), and
//! the load both taggers key their short words with ([`low_bytes`]).

use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a, 64 bits.
#[derive(Debug, Clone, Copy)]
pub struct FnvHasher(u64);

impl Default for FnvHasher {
    fn default() -> Self {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for FnvHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hasher for maps that are looked up once per token: it takes a word's
/// bytes eight at a time (rotate, xor, multiply, as FxHash does) where FNV
/// takes them one at a time.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordHasher(u64);

impl WordHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for WordHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        // The length first, so that trailing zero bytes still count.
        self.add(bytes.len() as u64);
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    /// Ids (`u32`, `usize`) are one step each: the default would hash
    /// their bytes as a slice, length first, in two.
    #[inline]
    fn write_u32(&mut self, word: u32) {
        self.add(u64::from(word));
    }

    #[inline]
    fn write_u64(&mut self, word: u64) {
        self.add(word);
    }

    #[inline]
    fn write_usize(&mut self, word: usize) {
        self.add(word as u64);
    }

    /// The multiplications leave the best bits at the top; the map picks
    /// its bucket with the low ones, so they are rotated down.
    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// `LOW_BYTES[n]`: the bits of the lowest `n` bytes (lanes) of a `u128`.
pub const LOW_BYTES: [u128; 16] = {
    let mut masks = [0; 16];
    let mut n = 1;
    while n < 16 {
        masks[n] = u128::MAX >> (128 - 8 * n);
        n += 1;
    }
    masks
};

/// The `len` bytes of `text` from `start` on, little-endian in a `u128`
/// whose other bytes are zero, for `len` up to fifteen (`None` for a longer
/// or out-of-bounds run): one 16-byte load and a mask where the text goes on
/// for 16 bytes, a copy near its end. The taggers key short words with it.
#[inline]
pub fn low_bytes(text: &[u8], start: usize, len: usize) -> Option<u128> {
    let mask = *LOW_BYTES.get(len)?;
    Some(u128::from_le_bytes(load(text, start, len)?) & mask)
}

/// `N` bytes of `text` from `start` on, holding the run of `len` bytes
/// there (`len` at most `N`): one load of `N` bytes where the text goes on
/// that far, whatever follows the run included (callers mask it off), else
/// the run copied and zero-padded. `None` when the run is out of bounds.
/// Every per-token key is built on it.
#[inline]
pub fn load<const N: usize>(text: &[u8], start: usize, len: usize) -> Option<[u8; N]> {
    match load_whole(text, start) {
        Some(bytes) => Some(bytes),
        None => Some(padded(text.get(start..start + len)?)),
    }
}

/// `N` bytes of `text` from `start` on, `None` where the text ends
/// sooner: [`load`]'s one load, without its copy near the end.
#[inline]
pub fn load_whole<const N: usize>(text: &[u8], start: usize) -> Option<[u8; N]> {
    text.get(start..start + N).and_then(|b| <[u8; N]>::try_from(b).ok())
}

/// A run of at most `N` bytes near the end of a text, zero-padded.
#[cold]
#[inline(never)]
fn padded<const N: usize>(run: &[u8]) -> [u8; N] {
    let mut bytes = [0u8; N];
    bytes[..run.len()].copy_from_slice(run);
    bytes
}

/// A `HashMap` with the [`WordHasher`], for per-token lookups.
pub type WordHashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// `HashMap<K, V, FnvBuildHasher>` for word-keyed maps.
pub type FnvBuildHasher = BuildHasherDefault<FnvHasher>;

/// A `HashMap` with the FNV hasher.
pub type FnvHashMap<K, V> = std::collections::HashMap<K, V, FnvBuildHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_value_and_map_use() {
        let mut h = FnvHasher::default();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
        let mut m: FnvHashMap<&str, u32> = FnvHashMap::default();
        m.insert("iran", 1);
        assert_eq!(m.get("iran"), Some(&1));
    }

    #[test]
    fn low_bytes_are_the_run_and_zeros_wherever_it_lies() {
        let text = b"Russia and Iran, in Tehran.";
        for start in 0..text.len() {
            for len in 0..=15 {
                let expected = text.get(start..start + len).map(|run| {
                    let mut bytes = [0u8; 16];
                    bytes[..len].copy_from_slice(run);
                    u128::from_le_bytes(bytes)
                });
                assert_eq!(low_bytes(text, start, len), expected, "start {start}, len {len}");
            }
        }
        assert_eq!(low_bytes(b"counterterrorism", 0, 16), None, "sixteen bytes");
    }

    #[test]
    fn word_hasher_tells_words_apart() {
        let hash = |s: &str| {
            let mut h = WordHasher::default();
            std::hash::Hash::hash(s, &mut h);
            h.finish()
        };
        assert_ne!(hash("sanctions"), hash("sanctionz"));
        assert_ne!(hash("a"), hash("a\0"));
        assert_ne!(hash("abcdefgh"), hash("abcdefgh\0"), "a zero byte after a whole chunk");
        let mut m: WordHashMap<Box<str>, u32> = WordHashMap::default();
        m.insert("retaliation".into(), 7);
        assert_eq!(m.get("retaliation"), Some(&7));
        assert_eq!(m.get("retaliatio"), None);
    }
}
