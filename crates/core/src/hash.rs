//! A small, fast, deterministic hasher (FNV-1a) for the taggers' word maps,
//! whose keys are short words: SipHash's flood resistance buys nothing there.

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

    #[inline]
    fn write_u64(&mut self, word: u64) {
        self.add(word);
    }

    /// The multiplications leave the best bits at the top; the map picks
    /// its bucket with the low ones, so they are rotated down.
    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
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
