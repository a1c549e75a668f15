//! Sixteen bytes tested at once: each test gives a mask with bit `k` set
//! when byte `k` of the block passes, so a scan can find the next byte of
//! interest with `trailing_zeros` instead of a branch per byte.
//!
//! On x86_64 the tests are SSE2 instructions (part of every x86_64 CPU),
//! reached through `safe_arch`'s safe wrappers, so the workspace stays free
//! of `unsafe`. Elsewhere the same tests run a byte at a time. Both are
//! compiled on x86_64, and a test checks that they agree.

/// Sixteen bytes of text.
#[derive(Clone, Copy, Debug)]
pub struct Block(imp::Lanes);

/// How many bytes a [`Block`] holds.
pub const BLOCK: usize = 16;

impl Block {
    #[inline(always)]
    pub fn new(bytes: [u8; BLOCK]) -> Block {
        Block(imp::Lanes::new(bytes))
    }

    /// The sixteen bytes of `text` from `at`, or `None` where fewer remain.
    #[inline(always)]
    pub fn at(text: &[u8], at: usize) -> Option<Block> {
        let bytes = text.get(at..at.checked_add(BLOCK)?)?;
        <[u8; BLOCK]>::try_from(bytes).ok().map(Block::new)
    }

    /// The bytes equal to `b`.
    #[inline(always)]
    pub fn eq(self, b: u8) -> u16 {
        self.0.eq(b)
    }

    /// Each byte with the bits of `bits` set: before [`Block::in_range`],
    /// it merges ranges that differ in those bits into one test.
    #[inline(always)]
    pub fn or(self, bits: u8) -> Block {
        Block(self.0.or(bits))
    }

    /// The bytes from `lo` to `hi`, both included (`lo <= hi`).
    #[inline(always)]
    pub fn in_range(self, lo: u8, hi: u8) -> u16 {
        debug_assert!(lo <= hi);
        self.0.in_range(lo, hi)
    }

    /// The bytes below `b`.
    #[inline(always)]
    pub fn below(self, b: u8) -> u16 {
        match b {
            0 => 0,
            b => self.0.in_range(0, b - 1),
        }
    }

    /// The ASCII letters, either case.
    #[inline(always)]
    pub fn ascii_letters(self) -> u16 {
        self.0.folded_in_range(b'a', b'z')
    }

    /// The bytes of 0x80 and above: the bytes of non-ASCII characters.
    #[inline(always)]
    pub fn non_ascii(self) -> u16 {
        self.0.high_bits()
    }
}

#[cfg(target_arch = "x86_64")]
use vector as imp;

#[cfg(not(target_arch = "x86_64"))]
use bytewise as imp;

#[cfg(target_arch = "x86_64")]
mod vector {
    use safe_arch::{
        add_i8_m128i, bitor_m128i, cmp_eq_mask_i8_m128i, cmp_gt_mask_i8_m128i, m128i, move_mask_i8_m128i,
        set_splat_i8_m128i,
    };

    #[derive(Clone, Copy, Debug)]
    pub(super) struct Lanes(m128i);

    impl Lanes {
        #[inline(always)]
        pub(super) fn new(bytes: [u8; 16]) -> Lanes {
            Lanes(m128i::from(bytes))
        }

        #[inline(always)]
        pub(super) fn or(self, bits: u8) -> Lanes {
            Lanes(bitor_m128i(self.0, splat(bits)))
        }

        #[inline(always)]
        pub(super) fn eq(self, b: u8) -> u16 {
            move_mask_i8_m128i(cmp_eq_mask_i8_m128i(self.0, splat(b))) as u16
        }

        /// `x - lo <= hi - lo`, unsigned (see [`shifted_at_most`]).
        #[inline(always)]
        pub(super) fn in_range(self, lo: u8, hi: u8) -> u16 {
            shifted_at_most(self.0, lo, hi)
        }

        /// [`Lanes::in_range`] of the bytes with bit 5 set, which folds
        /// ASCII capitals onto small letters.
        #[inline(always)]
        pub(super) fn folded_in_range(self, lo: u8, hi: u8) -> u16 {
            shifted_at_most(bitor_m128i(self.0, splat(0x20)), lo, hi)
        }

        #[inline(always)]
        pub(super) fn high_bits(self) -> u16 {
            move_mask_i8_m128i(self.0) as u16
        }
    }

    /// The bytes `x` with `x - lo <= hi - lo`, unsigned. SSE2 compares
    /// bytes only as signed numbers, so every byte is moved by `0x80 - lo`:
    /// the range then starts at -128, and its bytes are those below
    /// `-128 + (hi - lo) + 1`, one signed compare (where `min` and an
    /// equality took two).
    #[inline(always)]
    fn shifted_at_most(v: m128i, lo: u8, hi: u8) -> u16 {
        let span = hi - lo;
        if span == u8::MAX {
            return u16::MAX;
        }
        let shifted = add_i8_m128i(v, splat(0x80u8.wrapping_sub(lo)));
        move_mask_i8_m128i(cmp_gt_mask_i8_m128i(splat((span + 1) ^ 0x80), shifted)) as u16
    }

    #[inline(always)]
    fn splat(b: u8) -> m128i {
        set_splat_i8_m128i(b as i8)
    }
}

/// The same tests a byte at a time: the path of other targets, and the
/// reference the vector path is tested against.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
mod bytewise {
    #[derive(Clone, Copy, Debug)]
    pub(super) struct Lanes([u8; 16]);

    impl Lanes {
        #[inline(always)]
        pub(super) fn new(bytes: [u8; 16]) -> Lanes {
            Lanes(bytes)
        }

        pub(super) fn or(self, bits: u8) -> Lanes {
            Lanes(self.0.map(|b| b | bits))
        }

        fn mask(self, test: impl Fn(u8) -> bool) -> u16 {
            self.0.iter().enumerate().fold(0, |m, (k, &b)| m | (u16::from(test(b)) << k))
        }

        pub(super) fn eq(self, b: u8) -> u16 {
            self.mask(|x| x == b)
        }

        pub(super) fn in_range(self, lo: u8, hi: u8) -> u16 {
            self.mask(|x| (lo..=hi).contains(&x))
        }

        pub(super) fn folded_in_range(self, lo: u8, hi: u8) -> u16 {
            self.mask(|x| (lo..=hi).contains(&(x | 0x20)))
        }

        pub(super) fn high_bits(self) -> u16 {
            self.mask(|x| x >= 0x80)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks that put every byte value in every lane, beside varied
    /// neighbours.
    fn blocks() -> impl Iterator<Item = [u8; BLOCK]> {
        (0..=255u8).flat_map(|b| {
            (0..BLOCK).map(move |lane| {
                let mut block: [u8; BLOCK] = std::array::from_fn(|k| (k as u8).wrapping_mul(37).wrapping_add(b));
                block[lane] = b;
                block
            })
        })
    }

    #[test]
    fn tests_mark_the_bytes_that_pass() {
        let block = Block::new(*b"Iran, 7 z\xc3\xa9\x00A-Z`");
        assert_eq!(block.eq(b' '), 0b0000_0000_1010_0000);
        assert_eq!(block.ascii_letters(), 0b0101_0001_0000_1111);
        assert_eq!(block.in_range(b'0', b'9'), 1 << 6);
        assert_eq!(block.below(b' '), 1 << 11);
        assert_eq!(block.below(0), 0);
        assert_eq!(block.non_ascii(), 0b0000_0110_0000_0000);
        assert_eq!(block.or(0x10).in_range(b':', b'>'), (1 << 4) | (1 << 13));
    }

    #[test]
    fn at_takes_only_whole_blocks() {
        let text = [b'a'; 20];
        assert!(Block::at(&text, 4).is_some());
        assert!(Block::at(&text, 5).is_none());
        assert!(Block::at(&text, usize::MAX).is_none());
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_vector_path_agrees_with_the_bytewise_one() {
        let ranges = [
            (0, 0),
            (0, 31),
            (b'0', b'9'),
            (b'a', b'z'),
            (0x80, 0xbf),
            (0xf5, 0xff),
            (0, 255),
            (1, 255),
            (0, 254),
            (0x7f, 0x80),
            (0x20, 0x9f),
            (7, 7),
        ];
        for bytes in blocks() {
            let (v, b) = (vector::Lanes::new(bytes), bytewise::Lanes::new(bytes));
            for x in [0, b' ', b'.', b'\n', b'"', 0x7f, 0x80, 0xff] {
                assert_eq!(v.eq(x), b.eq(x), "{bytes:?} eq {x}");
            }
            for (lo, hi) in ranges {
                assert_eq!(v.in_range(lo, hi), b.in_range(lo, hi), "{bytes:?} in {lo}..={hi}");
            }
            assert_eq!(v.folded_in_range(b'a', b'z'), b.folded_in_range(b'a', b'z'), "{bytes:?}");
            for bits in [0, 0x10, 0x20, 0x80, 0xff] {
                let (vo, bo) = (v.or(bits), b.or(bits));
                assert_eq!(vo.in_range(0x3a, 0x3e), bo.in_range(0x3a, 0x3e), "{bytes:?} | {bits}");
                assert_eq!(vo.eq(0xff), bo.eq(0xff), "{bytes:?} | {bits}");
            }
            assert_eq!(v.high_bits(), b.high_bits(), "{bytes:?}");
        }
    }
}
