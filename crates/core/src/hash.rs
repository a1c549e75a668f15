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
}
