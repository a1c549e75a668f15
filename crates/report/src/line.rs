//! A CSV record writer: cells appended straight to a byte buffer, with no
//! per-row allocation.
//!
//! Invariant: a record is exactly what `csv::Writer` with
//! `QuoteStyle::Necessary` and a `\r\n` terminator writes for the same
//! values (the tests compare them): a field is quoted when it holds `,`,
//! `"`, `\r` or `\n`, and a quote inside is doubled; integers and booleans
//! are written as `csv` writes them.

use dyad_core::simd::Block;

/// One value a [`Row`] can hold.
pub(crate) trait Cell {
    /// Appends the value as one CSV field (or a few, the commas between
    /// them included).
    fn put(&self, out: &mut Vec<u8>);
}

/// A few bytes written again and again, the end of a row (`name\r\n`), a
/// label and its comma (`neutral,`), a document's id cell: at most `N`
/// bytes, padded to `N` so they are appended with one copy of fixed size,
/// where a string of unknown length costs a call to `memcpy`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Short<const N: usize = 16> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Short<N> {
    /// `s`, which must be at most `N` bytes (checked when the constant is
    /// built).
    pub(crate) const fn new(s: &str) -> Short<N> {
        let s = s.as_bytes();
        assert!(s.len() <= N, "too long for this Short");
        let mut bytes = [0; N];
        let mut i = 0;
        while i < s.len() {
            bytes[i] = s[i];
            i += 1;
        }
        Short { bytes, len: s.len() }
    }

    /// `s` if it fits.
    pub(crate) fn try_new(s: &[u8]) -> Option<Short<N>> {
        let mut bytes = [0; N];
        bytes.get_mut(..s.len())?.copy_from_slice(s);
        Some(Short { bytes, len: s.len() })
    }

    /// Appends the first `len` bytes (at most the whole value) with the
    /// same one copy of fixed size.
    #[inline(always)]
    pub(crate) fn put_first(&self, len: usize, out: &mut Vec<u8>) {
        debug_assert!(len <= self.len);
        append_first(&self.bytes, len.min(self.len), out);
    }

    /// No bytes: what a table of them holds for a value too long to keep.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[cfg(test)]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl<const N: usize> Cell for Short<N> {
    #[inline(always)]
    fn put(&self, out: &mut Vec<u8>) {
        append_first(&self.bytes, self.len, out);
    }
}

/// A label report chooses itself (`ok`, `warning`, a stage name): written
/// as is, quoted only if it needs to be.
impl Cell for &str {
    #[inline]
    fn put(&self, out: &mut Vec<u8>) {
        field(None, self.as_bytes(), out);
    }
}

/// The name of an enum value (`SUPPORT`, `name`, `asserted`): one of a
/// fixed set of plain words, none holding a byte that needs quoting (the
/// tests check every one), so copied without looking at its bytes; the
/// check a `&str` cell makes costs more than the copy.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Label(pub &'static str);

impl Cell for Label {
    #[inline(always)]
    fn put(&self, out: &mut Vec<u8>) {
        debug_assert!(!needs_quotes(self.0.as_bytes()), "label {:?} needs quotes", self.0);
        out.extend_from_slice(self.0.as_bytes());
    }
}

impl Cell for u32 {
    #[inline(always)]
    fn put(&self, out: &mut Vec<u8>) {
        uint((*self).into(), out);
    }
}

impl Cell for u64 {
    #[inline]
    fn put(&self, out: &mut Vec<u8>) {
        uint(*self, out);
    }
}

impl Cell for usize {
    #[inline]
    fn put(&self, out: &mut Vec<u8>) {
        uint(*self as u64, out);
    }
}

impl Cell for i8 {
    #[inline]
    fn put(&self, out: &mut Vec<u8>) {
        if *self < 0 {
            out.push(b'-');
        }
        uint(self.unsigned_abs().into(), out);
    }
}

impl Cell for bool {
    #[inline]
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

/// The first cells of a table's rows in one document (the doc id cell and
/// its comma, or a stance id up to its number), kept in a buffer of `N`
/// bytes with room after them for the small numbers the rows put next (a
/// mention's sentence and offsets): the numbers are written there and the
/// whole appended with one copy of fixed size, where the cells apart cost
/// an append each (a capacity check, a cut and a store of the length).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Head<const N: usize = 64> {
    buf: [u8; N],
    /// The prefix's length, at most [`Head::PREFIX_MAX`].
    len: usize,
}

impl<const N: usize> Head<N> {
    /// The longest prefix kept: with three numbers of four digits and
    /// their commas, and the four bytes a number's word writes, well
    /// inside a buffer of 64 bytes.
    pub(crate) const PREFIX_MAX: usize = 32;

    /// `prefix` if it fits.
    pub(crate) fn try_new(prefix: &[u8]) -> Option<Head<N>> {
        const { assert!(N >= 64) };
        let mut buf = [0; N];
        buf.get_mut(..prefix.len()).filter(|_| prefix.len() <= Self::PREFIX_MAX)?.copy_from_slice(prefix);
        Some(Head { buf, len: prefix.len() })
    }

    /// Appends the prefix and `values`, each with its comma, and returns
    /// true, when every value is below 10,000 (as a mention's sentence and
    /// offsets are but in the longest documents); else appends nothing and
    /// returns false. The buffer past the prefix is scratch space.
    #[inline(always)]
    pub(crate) fn put_small(&mut self, values: [u32; 3], out: &mut Vec<u8>) -> bool {
        if !values.iter().all(|&n| n < 10_000) {
            return false;
        }
        let len = self.numbers(self.len.min(Self::PREFIX_MAX), values);
        append_first(&self.buf, len, out);
        true
    }

    /// Writes `values` and their commas at `len` (at most 51 bytes from
    /// the end of the buffer), each below 10,000, and returns where they end.
    #[inline(always)]
    fn numbers(&mut self, mut len: usize, values: [u32; 3]) -> usize {
        for n in values {
            let (word, digits) = small_digits(n);
            self.buf[len..len + 4].copy_from_slice(&word);
            self.buf[len + digits] = b',';
            len += digits + 1;
        }
        len
    }
}

impl Head<96> {
    /// [`Head::put_small`] for a `stances.csv` row, whose prefix is its
    /// stance id up to the `#`: the prefix, the stance's number `n`,
    /// `tail` (the rest of the stance id, the doc id cell and their commas)
    /// and then `values`, when `n` and every value are below 10,000.
    #[inline(always)]
    pub(crate) fn put_stance(&mut self, n: u64, tail: &Short<32>, values: [u32; 3], out: &mut Vec<u8>) -> bool {
        if n >= 10_000 || !values.iter().all(|&v| v < 10_000) {
            return false;
        }
        let mut len = self.len.min(Self::PREFIX_MAX);
        let (word, digits) = small_digits(n as u32);
        self.buf[len..len + 4].copy_from_slice(&word);
        len += digits;
        self.buf[len..len + 32].copy_from_slice(&tail.bytes);
        len += tail.len.min(32);
        let len = self.numbers(len, values);
        append_first(&self.buf, len, out);
        true
    }
}

/// One record being appended: `Row::new(out).cell(a).cell(b).end()`.
///
/// Invariant: every cell is followed by a `,`; [`Row::end`] turns the last
/// one into the `\r\n` terminator.
pub(crate) struct Row<'a> {
    out: &'a mut Vec<u8>,
    start: usize,
}

impl<'a> Row<'a> {
    #[inline]
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Row<'a> {
        let start = out.len();
        Row { out, start }
    }

    /// The buffer the record is appended to, for cells that write
    /// themselves ([`Head`]).
    #[inline(always)]
    pub(crate) fn out(&mut self) -> &mut Vec<u8> {
        self.out
    }

    // Always inlined: a call per cell costs about what writing it does.
    #[inline(always)]
    pub(crate) fn cell(&mut self, cell: impl Cell) -> &mut Self {
        cell.put(self.out);
        self.out.push(b',');
        self
    }

    /// Appends the cell `put` writes, and its comma: for cells written
    /// with state of their own (a cache).
    #[inline(always)]
    pub(crate) fn cell_by(&mut self, put: impl FnOnce(&mut Vec<u8>)) -> &mut Self {
        put(self.out);
        self.out.push(b',');
        self
    }

    /// Appends what `put` writes as it is: cells with their commas, or the
    /// last cell with the record's end.
    #[inline(always)]
    pub(crate) fn append_by(&mut self, put: impl FnOnce(&mut Vec<u8>)) -> &mut Self {
        put(self.out);
        self
    }

    /// Appends `values` as cells, each with its comma. The digits are built
    /// in a buffer on the stack and appended with one fixed-size copy: one
    /// capacity check for all of them, not one per number and comma.
    #[inline(always)]
    pub(crate) fn uints<const K: usize>(&mut self, values: [u32; K]) -> &mut Self {
        const { assert!(K <= 4) };
        if K <= 3 && values.iter().all(|&n| n < 10_000) {
            // The usual row's offsets: four digits at most, each number
            // read whole from the table, all in a quarter of the buffer.
            let mut buf = [0u8; 16];
            let mut len = 0;
            for n in values {
                let (word, digits) = small_digits(n);
                buf[len..len + 4].copy_from_slice(&word);
                buf[len + digits] = b',';
                len += digits + 1;
            }
            append_first(&buf, len, self.out);
            return self;
        }
        // Ten digits and a comma each, and room for `u32_into` to write
        // ten bytes at the last number's start.
        let mut buf = [0u8; 48];
        let mut len = 0;
        for n in values {
            len = u32_into(n, &mut buf, len);
            buf[len] = b',';
            len += 1;
        }
        let start = self.out.len();
        self.out.extend_from_slice(&buf);
        self.out.truncate(start + len);
        self
    }

    /// Appends `cells`, whole cells that carry their commas.
    #[inline(always)]
    pub(crate) fn with_commas(&mut self, cells: impl Cell) -> &mut Self {
        cells.put(self.out);
        self
    }

    #[inline]
    pub(crate) fn end(&mut self) {
        if self.out.len() > self.start {
            self.out.pop();
        }
        self.out.extend_from_slice(b"\r\n");
    }
}

/// Appends one header record.
pub(crate) fn write_header(columns: &[&str], out: &mut Vec<u8>) {
    let mut row = Row::new(out);
    for c in columns {
        row.cell(*c);
    }
    row.end();
}

/// Bytes that make a field quoted: `,`, `"`, `\r` and `\n`.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b',' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\r' as usize] = true;
    t[b'\n' as usize] = true;
    t
};

/// Whether a field holding `bytes` must be quoted. Short fields (ids,
/// names, the words of a mention) are checked a word at a time, long ones
/// (evidence sentences) 32 bytes at a time ([`special_in_long`]).
#[inline]
fn needs_quotes(bytes: &[u8]) -> bool {
    let n = bytes.len();
    if n >= 32 {
        return special_in_long(bytes);
    }
    if n < 4 {
        return bytes.iter().any(|&b| SPECIAL[usize::from(b)]);
    }
    if n < 8 {
        // The first four bytes and the last four (they overlap) side by side.
        let (head, tail) = (word::<4>(bytes), word::<4>(&bytes[n - 4..]));
        return has_special(head | tail << 32);
    }
    // Eight bytes at a time, the last word overlapping the one before.
    (0..n - 8).step_by(8).any(|i| has_special(word::<8>(&bytes[i..]))) || has_special(word::<8>(&bytes[n - 8..]))
}

/// Whether the first `n` bytes of `window` (`n` from 1 to 32) hold a byte
/// that needs quoting; the bytes after them are not looked at. For a cell
/// read as a fixed-size window of the text it lies in (whatever follows it
/// included): sixteen bytes are tested at once ([`Block`]), the second
/// sixteen only for a cell longer than the first, and the bits past the
/// cell are masked off.
#[inline(always)]
pub(crate) fn special_in_first(window: &[u8; 32], n: usize) -> bool {
    debug_assert!((1..=32).contains(&n));
    let special = |half: &[u8; 16]| {
        let b = Block::new(*half);
        u32::from(b.eq(b',') | b.eq(b'"') | b.eq(b'\r') | b.eq(b'\n'))
    };
    let (halves, _) = window.as_chunks::<16>();
    let mut mask = special(&halves[0]);
    if n > 16 {
        mask |= special(&halves[1]) << 16;
    }
    mask & (u32::MAX >> (32 - n)) != 0
}

/// Whether the first `n` bytes of `window` (`n` from 1 to 32) may hold a
/// byte that needs quoting: true whenever they do, and also for the other
/// bytes below `-` but the space (`'`, `(`, `&`, control bytes), which the
/// words of a mention or a cue seldom hold (about one cell in 300). For
/// the window paths of short cells, which leave such a cell to the general
/// path and its exact test: one range test and one compare a block, where
/// the exact test ([`special_in_first`]) takes four compares and their
/// four constants.
#[inline(always)]
pub(crate) fn maybe_special_in_first(window: &[u8; 32], n: usize) -> bool {
    debug_assert!((1..=32).contains(&n));
    // Every byte that needs quoting (`,` `"` `\r` `\n`) is below `-`.
    let maybe = |half: &[u8; 16]| {
        let b = Block::new(*half);
        u32::from(b.below(b'-') & !b.eq(b' '))
    };
    let (halves, _) = window.as_chunks::<16>();
    let mut mask = maybe(&halves[0]);
    if n > 16 {
        mask |= maybe(&halves[1]) << 16;
    }
    mask & (u32::MAX >> (32 - n)) != 0
}

/// Whether `bytes` (at least 32 of them) hold a byte that needs quoting:
/// every 32 bytes tested at once ([`special_in_first`] of all 32), the
/// last 32 overlapping the step before. An evidence sentence takes about
/// five steps, where memchr's search for three of the bytes and a second
/// one for `\r` cost two calls and two passes.
#[inline]
fn special_in_long(bytes: &[u8]) -> bool {
    let any = |chunk: &[u8; 32]| special_in_first(chunk, 32);
    let (chunks, _) = bytes.as_chunks::<32>();
    chunks.iter().any(any) || bytes.last_chunk::<32>().is_some_and(any)
}

/// The first `N` (at most 8) bytes of `bytes` as a little-endian word;
/// zero bytes (never special) stand in for any that are missing.
#[inline]
fn word<const N: usize>(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    if let Some(first) = bytes.first_chunk::<N>() {
        w[..N].copy_from_slice(first);
    }
    u64::from_le_bytes(w)
}

/// Whether one of the eight bytes of `word` is special: the classic test
/// for a zero byte (`x - 0x01.. & !x & 0x80..` is nonzero exactly when some
/// byte of `x` is zero) on `word` xor each special byte repeated.
///
/// Every special byte is below `-` (0x2D), and most words of the short
/// cells (names, single words) hold no byte that low: one test for that
/// (`x - 0x2D.. & !x & 0x80..` is nonzero exactly when some byte of `x` is
/// below 0x2D) rules them out before the four.
#[inline]
fn has_special(word: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES << 7;
    if word.wrapping_sub(ONES * 0x2D) & !word & HIGHS == 0 {
        return false;
    }
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let with = |b: u8| zero_byte(word ^ (ONES * u64::from(b)));
    with(b',') | with(b'"') | with(b'\r') | with(b'\n') != 0
}

/// Appends one field holding `prefix` (a byte that never needs quoting,
/// such as `'`) and then `bytes`, quoted when needed.
#[inline]
pub(crate) fn field(prefix: Option<u8>, bytes: &[u8], out: &mut Vec<u8>) {
    if !needs_quotes(bytes) {
        if let Some(p) = prefix {
            out.push(p);
        }
        out.extend_from_slice(bytes);
        return;
    }
    quoted(prefix, bytes, out);
}

/// [`field`] for a value that needs quotes: every `"` doubled.
fn quoted(prefix: Option<u8>, bytes: &[u8], out: &mut Vec<u8>) {
    out.reserve(bytes.len() + 3);
    out.push(b'"');
    if let Some(p) = prefix {
        out.push(p);
    }
    let mut rest = bytes;
    while let Some(q) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=q]);
        out.push(b'"');
        rest = &rest[q + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// `00`, `01`, ... `99`: two digits per division.
pub(crate) const PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// Appends the decimal digits of `n`.
#[inline(always)]
pub(crate) fn uint(n: u64, out: &mut Vec<u8>) {
    // Most numbers are offsets and counts: four digits at most.
    if n < 10_000 {
        let (word, len) = small_digits(n as u32);
        return append_first(&word, len, out);
    }
    match u32::try_from(n) {
        Ok(n) => {
            let mut buf = [0u8; 10];
            let len = digits(u64::from(n), &mut buf);
            append_first(&buf, len, out);
        }
        Err(_) => {
            let mut buf = [0u8; 20];
            let len = digits(n, &mut buf);
            append_first(&buf, len, out);
        }
    }
}

/// The digits of every number below 10,000, looked up where building them
/// costs two divisions, two loads and the shifting out of leading zeros on
/// every offset of every row: entry `n` holds the digits of `n` in its
/// bytes (the first digit lowest) and how many bytes short of four they are
/// in the two top bits: those bits are zero when the top byte is a digit,
/// and otherwise padding, which the callers drop. 40 KB, read mostly in
/// order (a document's offsets grow): four bytes an entry rather than eight
/// halve the lines a document's offsets touch, and with them the cache
/// misses of the rows' numbers.
static SMALL_DIGITS: [u32; 10_000] = {
    let mut table = [0u32; 10_000];
    let mut n = 0;
    while n < 10_000 {
        let len = if n >= 1000 {
            4
        } else if n >= 100 {
            3
        } else if n >= 10 {
            2
        } else {
            1
        };
        let mut word = 0u32;
        let (mut rest, mut i) = (n, len);
        while i > 0 {
            i -= 1;
            word |= (b'0' as u32 + (rest % 10) as u32) << (8 * i);
            rest /= 10;
        }
        table[n] = word | (4 - len as u32) << 30;
        n += 1;
    }
    table
};

/// The digits of `n` (below 10,000) in the first bytes of a word, and how
/// many there are (the bytes past them are padding).
#[inline(always)]
fn small_digits(n: u32) -> ([u8; 4], usize) {
    let entry = SMALL_DIGITS[n as usize];
    (entry.to_le_bytes(), 4 - (entry >> 30) as usize)
}

/// Writes the digits of `n` into `buf` at `at` and returns where they end.
/// It may write up to ten bytes from `at`, past the digits: the caller
/// overwrites or drops them.
#[inline(always)]
fn u32_into(n: u32, buf: &mut [u8], at: usize) -> usize {
    if n < 10_000 {
        let (word, len) = small_digits(n);
        buf[at..at + 4].copy_from_slice(&word);
        return at + len;
    }
    let mut digits10 = [0u8; 10];
    let len = digits(u64::from(n), &mut digits10);
    buf[at..at + 10].copy_from_slice(&digits10);
    at + len
}

/// The number of decimal digits of `n`.
#[inline]
fn digit_count(n: u64) -> usize {
    match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        1000..=9999 => 4,
        10000..=99999 => 5,
        _ => n.ilog10() as usize + 1,
    }
}

/// Writes the digits of `n` at the start of `buf` (long enough for them),
/// two at a time from the right, and returns how many there are.
#[inline]
fn digits(mut n: u64, buf: &mut [u8]) -> usize {
    let len = digit_count(n);
    let mut end = len;
    while end >= 2 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        buf[end - 2..end].copy_from_slice(&PAIRS[pair..pair + 2]);
        end -= 2;
    }
    if end == 1 {
        buf[0] = b'0' + n as u8;
    }
    len
}

/// Appends the first `len` bytes of `buf`: the whole fixed-size buffer is
/// appended and cut back, a copy of known length, cheaper for a few bytes
/// than one of unknown length.
#[inline(always)]
pub(crate) fn append_first<const N: usize>(buf: &[u8; N], len: usize, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(buf);
    out.truncate(start + len);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the `csv` crate writes for the same record.
    fn with_csv<T: serde::Serialize>(row: &T) -> String {
        let mut w =
            csv::WriterBuilder::new().has_headers(false).terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        w.serialize(row).expect("serialise");
        String::from_utf8(w.into_inner().expect("flush")).expect("utf-8")
    }

    #[test]
    fn same_bytes_as_the_csv_crate() {
        let cells = [
            "",
            "plain",
            "a,b",
            "say \"no\"",
            "two\r\nlines",
            "\"",
            "line\nbreak",
            "’curly’ «x»",
            "=1+1",
            "A long evidence sentence with no special byte at all in it.",
            "A long evidence sentence, with a comma, well past thirty-two bytes.",
            "A long evidence sentence that ends in a carriage return.\r",
            "A long evidence sentence in which someone says \"no\" twice: \"no\".",
            "A long evidence sentence that runs on\nto a second line of text.",
        ];
        for a in cells {
            for g in ["", "x", "\"\"", ","] {
                for (b, c) in [(0, 0), (7, -1), (u32::MAX, 1), (10, i8::MIN)] {
                    let (d, e, f) = (c < 0, u64::MAX, 1234567usize);
                    let mut mine = Vec::new();
                    Row::new(&mut mine).cell(a).cell(b).cell(c).cell(d).cell(e).cell(f).cell(g).end();
                    let mine = String::from_utf8(mine).expect("utf-8");
                    assert_eq!(mine, with_csv(&(a, b, c, d, e, f, g)), "{a:?} {g:?}");
                    let mut prefixed = Vec::new();
                    field(Some(b'\''), a.as_bytes(), &mut prefixed);
                    prefixed.extend_from_slice(b"\r\n");
                    assert_eq!(String::from_utf8(prefixed).expect("utf-8"), with_csv(&(format!("'{a}"),)));
                }
            }
        }
        let mut header = Vec::new();
        write_header(&["doc_id", "a,b", "c"], &mut header);
        assert_eq!(header, b"doc_id,\"a,b\",c\r\n");
    }

    #[test]
    fn special_bytes_are_found_anywhere() {
        for len in 0..100 {
            for at in 0..len {
                for (special, filler) in [b',', b'"', b'\r', b'\n', b'a', 0xFF, 0x0B, b'+', 0x00]
                    .into_iter()
                    .flat_map(|s| [b'x', 0xFF, b'-', 0x00, 0x0E].map(|f| (s, f)))
                {
                    let mut bytes = vec![filler; len];
                    bytes[at] = special;
                    let naive = bytes.iter().any(|&b| SPECIAL[usize::from(b)]);
                    assert_eq!(needs_quotes(&bytes), naive, "{len} {at} {special} {filler}");
                }
            }
        }
    }

    /// The window check answers as the byte-by-byte one on the first `n`
    /// bytes, whatever the bytes after them are.
    #[test]
    fn special_in_first_ignores_what_follows() {
        for n in 1..=32 {
            for at in 0..32 {
                for special in [b',', b'"', b'\r', b'\n', b' ', b'-', 0x00, 0xFF] {
                    for filler in [b'x', b',', 0x00, 0xFF] {
                        let mut window = [filler; 32];
                        window[n..].fill(if filler == b'x' { b'"' } else { b'x' });
                        window[at] = special;
                        let naive = window[..n].iter().any(|&b| SPECIAL[usize::from(b)]);
                        assert_eq!(special_in_first(&window, n), naive, "{n} {at} {special} {filler}");
                    }
                }
            }
        }
    }

    /// The quick window test answers true for every byte that needs
    /// quoting, and for the other bytes below `-` but the space, in the
    /// first `n` bytes only, whatever the bytes after them are.
    #[test]
    fn maybe_special_in_first_covers_the_special_bytes() {
        for n in 1..=32 {
            for at in 0..32 {
                for b in 0..=255u8 {
                    for filler in [b'x', b' ', 0x00, 0xFF] {
                        let mut window = [filler; 32];
                        window[n..].fill(if filler == b'x' { b',' } else { b'x' });
                        window[at] = b;
                        let first = &window[..n];
                        let maybe = maybe_special_in_first(&window, n);
                        assert_eq!(maybe, first.iter().any(|&c| c < b'-' && c != b' '), "{n} {at} {b} {filler}");
                        assert!(maybe || !first.iter().any(|&c| SPECIAL[usize::from(c)]), "{n} {at} {b} {filler}");
                    }
                }
            }
        }
    }

    /// `Row::uints` writes each number and its comma as the cells do, for
    /// one to four numbers, each short (the quarter buffer) or not.
    #[test]
    fn uints_are_their_cells() {
        let values = [0, 7, 10, 99, 100, 999, 1000, 9_999, 10_000, 12_345, 99_999, 1 << 20, u32::MAX];
        for &a in &values {
            for &b in &values {
                for &c in &values {
                    let want = |ns: &[u32]| ns.iter().map(|n| format!("{n},")).collect::<String>().into_bytes();
                    let mut out = b"x".to_vec();
                    Row::new(&mut out).uints([a]).uints([a, b]).uints([a, b, c]).uints([c, b, a, c]);
                    let all = [&want(&[a])[..], &want(&[a, b]), &want(&[a, b, c]), &want(&[c, b, a, c])].concat();
                    assert_eq!(out[1..], all[..], "{a} {b} {c}");
                }
            }
        }
    }

    /// A row head writes its prefix and then the numbers as `uints` does,
    /// for prefixes of every length it keeps, numbers on both sides of the
    /// small limit (nothing written then), rows one after another.
    #[test]
    fn heads_are_prefix_and_uints() {
        let values = [0, 7, 10, 99, 100, 999, 1000, 9_999, 10_000, u32::MAX];
        assert!(Head::<64>::try_new(&[b'x'; Head::<64>::PREFIX_MAX + 1]).is_none());
        for len in 0..=Head::<64>::PREFIX_MAX {
            let prefix: Vec<u8> = (0..len).map(|i| "doc-,\"\u{e9}".as_bytes()[i % 7]).collect();
            let mut head = Head::<64>::try_new(&prefix).expect("fits");
            let mut out = b"x".to_vec();
            let mut want = b"x".to_vec();
            for &a in &values {
                for &b in &values {
                    for c in [9_999, 10_000, 3] {
                        let written = head.put_small([a, b, c], &mut out);
                        assert_eq!(written, a < 10_000 && b < 10_000 && c < 10_000, "{a} {b} {c}");
                        if written {
                            want.extend_from_slice(&prefix);
                            Row::new(&mut want).uints([a, b, c]);
                        }
                        assert_eq!(out, want, "{len} {a} {b} {c}");
                    }
                }
            }
        }
    }

    /// A stance head writes its prefix, the number, the tail and then the
    /// numbers as the cells do, for prefixes and tails of every length kept
    /// and numbers on both sides of the small limit (nothing written then).
    #[test]
    fn stance_heads_are_their_cells() {
        let values = [0, 9, 10, 999, 9_999, 10_000, u32::MAX];
        let bytes = |len: usize| -> Vec<u8> { (0..len).map(|i| "doc-,\"\u{e9}#".as_bytes()[i % 8]).collect() };
        for len in (0..=Head::<96>::PREFIX_MAX).step_by(3).chain([Head::<96>::PREFIX_MAX]) {
            let prefix = bytes(len);
            let mut head = Head::<96>::try_new(&prefix).expect("fits");
            for tail_len in [0, 1, 17, 31, 32] {
                let tail_bytes = bytes(tail_len);
                let tail = Short::<32>::try_new(&tail_bytes).expect("fits");
                let mut out = b"x".to_vec();
                let mut want = b"x".to_vec();
                for n in [1u64, 9, 10, 9_999, 10_000, u64::MAX] {
                    for &a in &values {
                        for &b in &values {
                            let written = head.put_stance(n, &tail, [a, b, 7], &mut out);
                            assert_eq!(written, n < 10_000 && a < 10_000 && b < 10_000, "{n} {a} {b}");
                            if written {
                                want.extend_from_slice(&prefix);
                                uint(n, &mut want);
                                want.extend_from_slice(&tail_bytes);
                                Row::new(&mut want).uints([a, b, 7]);
                            }
                            assert_eq!(out, want, "{len} {tail_len} {n} {a} {b}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn integers_are_their_decimal_digits() {
        let mut values = vec![0, u64::from(u32::MAX), u64::from(u32::MAX) + 1, u64::MAX];
        for k in 1..20 {
            let p = 10u64.pow(k);
            values.extend([p - 1, p, p + 1, p / 3 * 2]);
        }
        // Every number up to 100,000: each length the word-at-once path
        // writes, and the first lengths past it.
        values.extend(0..=100_000);
        let mut out = b"x".to_vec();
        for n in values {
            out.truncate(1);
            uint(n, &mut out);
            assert_eq!(out[1..], *n.to_string().as_bytes(), "{n}");
        }
    }
}
