//! One row struct per table: the CSV format, owned by report so core types
//! never become a file format by accident, and the cell types its values
//! are written as.
//!
//! Invariant: the field order of each struct is the column order of its
//! table, and `Table::columns` lists the same names (a test checks it).
//! The structs of the three big tables (mentions, stances, actors) exist
//! only in tests: `Rendered` writes those rows cell by cell, and the tests
//! check it writes what the struct serializes to with the `csv` crate.
//!
//! Invariant: every cell whose value comes from an input (ids, names, the
//! article's words, paths, messages) is a [`Text`] or an [`Id`], so a
//! spreadsheet never reads it as a formula; only values report formats
//! itself (counts, scores, enum labels) are written raw.

use std::borrow::Cow;

use dyad_core::hash::load_whole;

use crate::line::{Cell, PAIRS, Row, Short, append_first, field, maybe_special_in_first, uint};

/// A free-text cell, neutralised against CSV injection: see [`neutralise`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Text<'a>(pub &'a str);

/// An id cell: neutralised like [`Text`], and also when a spreadsheet would
/// read it as a number or a date (`010`, `2024-03`), so it stays text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Id<'a>(pub &'a str);

impl Cell for Text<'_> {
    #[inline]
    fn put(&self, out: &mut Vec<u8>) {
        // An empty cell (a document's missing author or date) is nothing.
        if self.0.is_empty() {
            return;
        }
        let prefix = is_formula(self.0.as_bytes()).then_some(b'\'');
        field(prefix, self.0.as_bytes(), out);
    }
}

impl Cell for Id<'_> {
    #[inline]
    fn put(&self, out: &mut Vec<u8>) {
        let bytes = self.0.as_bytes();
        let prefix = (looks_numeric(bytes) || is_formula(bytes)).then_some(b'\'');
        field(prefix, bytes, out);
    }
}

/// What follows a cell written by [`text_run`]: its comma, or the `\r\n`
/// that ends the record.
#[derive(Debug, Clone, Copy)]
pub(crate) enum End {
    Comma,
    Record,
}

impl End {
    fn bytes(self) -> &'static [u8] {
        match self {
            End::Comma => b",",
            End::Record => b"\r\n",
        }
    }
}

/// The longest run [`text_run`] writes from one window of the text, with
/// room after it for its end.
const RUN_WINDOW: usize = 32;

/// `Text` of the bytes `start..stop` of `text` (empty when that is not a
/// `str` range of it, as `text.get` gives), then `end`.
///
/// Most such cells (the words of a mention, a cue) are short and need
/// neither quotes nor a `'`: those are read as one fixed-size window of the
/// text from `start` (the bytes after the cell included) and checked there:
/// the window's first byte says the cell starts a char and no formula, the
/// byte at `n` says it ends on a char (so `start..stop` is a `str` range
/// without `text.get`'s own tests), and one quick vector test of the
/// first `n` bytes finds no byte below `-` but the space, and so none that
/// needs quoting ([`maybe_special_in_first`]: a cell with a `'` or a `(`
/// takes the general path). The window is appended whole
/// with one copy of fixed size, the end written over the byte after the
/// cell and the rest cut off; the general path costs a call, a copy of
/// unknown length and a second append for the end.
#[inline(always)]
pub(crate) fn text_run(text: &str, start: usize, stop: usize, end: End, out: &mut Vec<u8>) {
    let n = stop.wrapping_sub(start);
    if n.wrapping_sub(1) < RUN_WINDOW - 2
        && let Some(mut window) = load_whole::<RUN_WINDOW>(text.as_bytes(), start)
        && RUN_START[usize::from(window[0])]
        && !is_continuation(window[n])
        && !maybe_special_in_first(&window, n)
    {
        // `window[..n]` is the cell, `window[n]` the text's byte at `stop`:
        // the end is written over it in the window, before the copy.
        return put_window(&mut window, n, end, out);
    }
    Text(text.get(start..stop).unwrap_or("")).put(out);
    out.extend_from_slice(end.bytes());
}

/// Appends the cell `window[..n]` (`n` at most 30) and `end`, written
/// over the window's bytes after the cell, with one copy of fixed size.
#[inline(always)]
fn put_window(window: &mut [u8; RUN_WINDOW], n: usize, end: End, out: &mut Vec<u8>) {
    let len = match end {
        End::Comma => {
            window[n] = b',';
            n + 1
        }
        End::Record => {
            window[n] = b'\r';
            window[n + 1] = b'\n';
            n + 2
        }
    };
    append_first(window, len, out);
}

/// `Text(cell)` and then `end`, for a short cell that does not lie in a
/// text [`text_run`] could read a window of (a stance's cue label, a
/// `String` of its own): a cell of 1 to 16 bytes is read into a zeroed
/// window with two overlapping loads of fixed size (the test looks at the
/// first `n` bytes only), and appended from there with one
/// copy, where the general path costs a call, a copy of unknown length
/// and a second append for the end.
#[inline(always)]
pub(crate) fn short_text(cell: &str, end: End, out: &mut Vec<u8>) {
    let bytes = cell.as_bytes();
    let n = bytes.len();
    if n.wrapping_sub(1) < SHORT_TEXT_MAX {
        let mut window = zero_padded(bytes);
        // A `str` starts a char: the first byte says only whether it
        // starts a formula.
        if RUN_START[usize::from(window[0])] && !maybe_special_in_first(&window, n) {
            return put_window(&mut window, n, end, out);
        }
    }
    Text(cell).put(out);
    out.extend_from_slice(end.bytes());
}

/// The longest cell [`short_text`] reads into a window: most cue labels
/// are shorter, and one block test covers it.
const SHORT_TEXT_MAX: usize = 16;

/// `bytes` (at most [`SHORT_TEXT_MAX`] of them) at the start of a zeroed
/// window: the first and the last 8 or 4 bytes, whichever fit, copied with
/// fixed-size loads that overlap in the middle (a shorter cell byte by
/// byte), where a copy of unknown length is a call.
#[inline(always)]
fn zero_padded(bytes: &[u8]) -> [u8; RUN_WINDOW] {
    fn both<const K: usize>(bytes: &[u8], window: &mut [u8; RUN_WINDOW]) -> bool {
        let (Some(head), Some(tail)) = (bytes.first_chunk::<K>(), bytes.last_chunk::<K>()) else {
            return false;
        };
        let n = bytes.len();
        window[..K].copy_from_slice(head);
        window[n - K..n].copy_from_slice(tail);
        true
    }
    let mut window = [0u8; RUN_WINDOW];
    if bytes.len() <= SHORT_TEXT_MAX && !both::<8>(bytes, &mut window) && !both::<4>(bytes, &mut window) {
        for (w, &b) in window.iter_mut().zip(bytes) {
            *w = b;
        }
    }
    window
}

/// Whether `b` continues a UTF-8 char (no char starts there).
#[inline(always)]
const fn is_continuation(b: u8) -> bool {
    (b as i8) < -0x40
}

/// The first bytes [`text_run`]'s window path takes: a byte that starts a
/// char and no formula ([`FORMULA_START`] `Plain`, the bytes inside a char
/// left out).
const RUN_START: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = matches!(FORMULA_START[i], Start::Plain) && !is_continuation(i as u8);
        i += 1;
    }
    t
};

/// `cell` made safe to open in a spreadsheet, after the OWASP guidance on
/// CSV injection: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (or their full-width forms `＝`, `＋`, `－`, `＠`) gets
/// a leading `'`, so Excel, LibreOffice and Google Sheets show it as text
/// instead of running it as a formula. Every other cell is unchanged.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if is_formula(cell.as_bytes()) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// True when `cell` begins with one of the characters [`neutralise`]
/// guards against: checked on the UTF-8 bytes (`＝` `＋` `－` `＠` are
/// `EF BC 9D`, `EF BC 8B`, `EF BC 8D`, `EF BC A0`).
/// The first byte is looked up in [`FORMULA_START`]: one load for the
/// common cell, where a `match` on it costs a chain of compares.
#[inline]
fn is_formula(cell: &[u8]) -> bool {
    match cell {
        [] => false,
        [first, rest @ ..] => match FORMULA_START[usize::from(*first)] {
            Start::Plain => false,
            Start::Formula => true,
            Start::FullWidth => matches!(rest, [0xBC, 0x9D | 0x8B | 0x8D | 0xA0, ..]),
        },
    }
}

/// What the first byte of a cell says about it being a formula.
#[derive(Clone, Copy)]
enum Start {
    Plain,
    Formula,
    /// `0xEF`, the first byte of the full-width forms: the next two decide.
    FullWidth,
}

/// [`Start`] by first byte.
const FORMULA_START: [Start; 256] = {
    let mut t = [Start::Plain; 256];
    let mut i = 0;
    let formula = b"=+-@\t\r";
    while i < formula.len() {
        t[formula[i] as usize] = Start::Formula;
        i += 1;
    }
    t[0xEF] = Start::FullWidth;
    t
};

/// True when a spreadsheet would read `s` as a number, date or time:
/// it starts with a digit (or `.` and a digit) and holds only digits,
/// separators (`.,:/-` and spaces), `e`/`E` and `%`. Every allowed
/// character is ASCII, so bytes are checked, not chars.
#[inline]
fn looks_numeric(s: &[u8]) -> bool {
    let first_ok = match s {
        [first, ..] if first.is_ascii_digit() => true,
        [b'.', second, ..] => second.is_ascii_digit(),
        _ => false,
    };
    first_ok
        && s.iter()
            .all(|&c| c.is_ascii_digit() || matches!(c, b'.' | b',' | b':' | b'/' | b'-' | b' ' | b'e' | b'E' | b'%'))
}

/// A row struct report writes through [`Record::write`].
pub(crate) trait Record {
    /// Appends the row as one CSV record, `\r\n` included.
    fn write(&self, out: &mut Vec<u8>);
}

#[cfg_attr(test, derive(serde::Serialize))]
pub(crate) struct DocumentRow<'a> {
    pub doc_id: Id<'a>,
    pub path: Text<'a>,
    pub title: Text<'a>,
    pub author: Text<'a>,
    pub published: Text<'a>,
    pub sentences: usize,
    pub tokens: usize,
    pub mentions: usize,
    pub stances: usize,
    pub status: &'static str,
    pub error: Text<'a>,
    pub url: Text<'a>,
}

impl Record for DocumentRow<'_> {
    fn write(&self, out: &mut Vec<u8>) {
        Row::new(out)
            .cell(self.doc_id)
            .cell(self.path)
            .cell(self.title)
            .cell(self.author)
            .cell(self.published)
            .cell(self.sentences)
            .cell(self.tokens)
            .cell(self.mentions)
            .cell(self.stances)
            .cell(self.status)
            .cell(self.error)
            .cell(self.url)
            .end();
    }
}

/// The columns of `mentions.csv`, written by `Rendered::render`.
#[cfg(test)]
#[derive(serde::Serialize)]
pub(crate) struct MentionRow<'a> {
    pub doc_id: Id<'a>,
    pub sentence: u32,
    pub start: u32,
    pub end: u32,
    pub text: Text<'a>,
    pub actor_id: Id<'a>,
    pub actor_name: Text<'a>,
    pub actor_kind: &'static str,
    pub affiliation_id: Id<'a>,
    pub country: Id<'a>,
    pub via: &'static str,
}

/// The columns of `stances.csv`, written by `Rendered::render`.
#[cfg(test)]
#[derive(serde::Serialize)]
pub(crate) struct StanceRow<'a> {
    pub stance_id: Id<'a>,
    pub doc_id: Id<'a>,
    pub sentence: u32,
    pub start: u32,
    pub end: u32,
    pub source_id: Id<'a>,
    pub source_name: Text<'a>,
    pub source_country: Id<'a>,
    pub source_text: Text<'a>,
    pub target_id: Id<'a>,
    pub target_name: Text<'a>,
    pub target_country: Id<'a>,
    pub target_text: Text<'a>,
    pub category: &'static str,
    pub quad_class: &'static str,
    pub polarity: i8,
    pub score: String,
    pub modality: &'static str,
    pub cue: Text<'a>,
    pub confidence: String,
    pub evidence: Text<'a>,
    pub symmetric: bool,
    pub cue_text: Text<'a>,
}

#[cfg_attr(test, derive(serde::Serialize))]
pub(crate) struct PairRow<'a> {
    pub source_id: Id<'a>,
    pub source_name: Text<'a>,
    pub target_id: Id<'a>,
    pub target_name: Text<'a>,
    pub docs: u64,
    pub stances: u64,
    pub cooperation: u64,
    pub conflict: u64,
    pub mean_score: Fixed3,
    pub net: &'static str,
    pub net_score: Fixed3,
}

impl Record for PairRow<'_> {
    fn write(&self, out: &mut Vec<u8>) {
        Row::new(out)
            .cell(self.source_id)
            .cell(self.source_name)
            .cell(self.target_id)
            .cell(self.target_name)
            .cell(self.docs)
            .cell(self.stances)
            .cell(self.cooperation)
            .cell(self.conflict)
            .cell(self.mean_score)
            .cell(self.net)
            .cell(self.net_score)
            .end();
    }
}

/// The columns of `actors.csv`, written by `Rendered::render`.
#[cfg(test)]
#[derive(serde::Serialize)]
pub(crate) struct ActorRow<'a> {
    pub doc_id: Id<'a>,
    pub actor_id: Id<'a>,
    pub actor_name: Text<'a>,
    pub mentions: u32,
    pub author_stance: &'static str,
    pub author_score: String,
}

#[cfg_attr(test, derive(serde::Serialize))]
pub(crate) struct UnknownNameRow<'a> {
    pub name: Text<'a>,
    pub count: u64,
    pub docs: u64,
    pub example: Text<'a>,
}

impl Record for UnknownNameRow<'_> {
    fn write(&self, out: &mut Vec<u8>) {
        Row::new(out).cell(self.name).cell(self.count).cell(self.docs).cell(self.example).end();
    }
}

#[cfg_attr(test, derive(serde::Serialize))]
pub(crate) struct DiagnosticRow<'a> {
    pub path: Text<'a>,
    pub stage: &'a str,
    pub severity: &'static str,
    pub message: Text<'a>,
}

impl Record for DiagnosticRow<'_> {
    fn write(&self, out: &mut Vec<u8>) {
        Row::new(out).cell(self.path).cell(self.stage).cell(self.severity).cell(self.message).end();
    }
}

/// `x` with exactly three decimals; `-0.000` is written `0.000` and a
/// non-finite value as an empty field.
#[cfg(test)]
pub(crate) fn fixed3(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.3}");
    if s == "-0.000" { "0.000".to_string() } else { s }
}

/// A score cell: [`fixed3`] appended without allocating, built from the
/// integer `round(x * 1000)` whenever that rounding is exact, which is
/// every value short of 10^6 that is not within 10^-9 of a tie; the rest
/// (huge values, near-ties) go through `format!`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fixed3(pub f64);

impl Cell for Fixed3 {
    #[inline]
    fn put(&self, out: &mut Vec<u8>) {
        let x = self.0;
        if !x.is_finite() {
            return;
        }
        let y = x * 1000.0;
        if y.abs() >= 1e9 {
            return fixed3_formatted(x, out);
        }
        // `y.trunc()` and `y.round()` are library calls on baseline x86-64;
        // below 1e9 the conversion to an integer truncates the same, and
        // taking the whole part off a float is exact.
        let whole = y as i64;
        let frac = (y - whole as f64).abs();
        // |y| < 1e9: the product is off by at most 1.2e-7 from the exact
        // decimal value, so a fraction this far from one half rounds the
        // same way in both.
        if (frac - 0.5).abs() <= 1e-6 {
            return fixed3_formatted(x, out);
        }
        // Half away from zero, as `y.round()`; no tie is left.
        let r = if frac > 0.5 { whole + if y < 0.0 { -1 } else { 1 } } else { whole };
        // A value that rounds to zero has no sign: `-0.000` is `0.000`.
        let n = r.unsigned_abs();
        if n < 10_000 {
            // One digit before the point (every score and confidence):
            // `-d.ddd` built in one word, the sign shifted out when there is
            // none, and appended with one fixed-size copy.
            return one_digit(n as u32, r < 0, out);
        }
        if r < 0 {
            out.push(b'-');
        }
        uint(n / 1000, out);
        let milli = (n % 1000) as usize;
        let pair = milli % 100 * 2;
        out.extend_from_slice(&[b'.', b'0' + (milli / 100) as u8, PAIRS[pair], PAIRS[pair + 1]]);
    }
}

/// Cells rendered once per key and kept in a direct-mapped table of `S`
/// slots (a power of two), for cells a run writes again and again with few
/// distinct values (scores, a stance's labels): a hit compares no bytes and
/// is one fixed-size copy, a miss renders as before (and is kept when it
/// fits in `N` bytes).
///
/// Invariant: every slot holds the bytes its key's cells are written as;
/// an empty slot is keyed by `u64::MAX`, which is no caller's key.
#[derive(Debug, Clone)]
pub(crate) struct CellCache<const N: usize, const S: usize = 256> {
    slots: Box<[(u64, Short<N>); S]>,
    /// Where a value is rendered before it is kept.
    scratch: Vec<u8>,
}

impl<const N: usize, const S: usize> Default for CellCache<N, S> {
    fn default() -> CellCache<N, S> {
        const { assert!(S.is_power_of_two()) };
        let slots = vec![(u64::MAX, Short::new("")); S].into_boxed_slice();
        CellCache { slots: slots.try_into().unwrap_or_else(|_| unreachable!("S slots")), scratch: Vec::new() }
    }
}

impl<const N: usize, const S: usize> CellCache<N, S> {
    /// Appends the cells of `key`, which `render` writes: the same bytes
    /// for the same key, every time.
    #[inline(always)]
    pub(crate) fn put_with(&mut self, key: u64, render: impl FnOnce(&mut Vec<u8>), out: &mut Vec<u8>) {
        debug_assert_ne!(key, u64::MAX, "the key of the empty slots");
        // Fibonacci hashing: the top bits of the product depend on every bit.
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - S.trailing_zeros())) as usize;
        let (kept, cells) = &self.slots[slot];
        if *kept == key {
            return cells.put(out);
        }
        self.miss(slot, key, render, out);
    }

    /// Renders the cells of `key`, keeps them in `slot` if they fit, and
    /// appends them.
    #[cold]
    #[inline(never)]
    fn miss(&mut self, slot: usize, key: u64, render: impl FnOnce(&mut Vec<u8>), out: &mut Vec<u8>) {
        self.scratch.clear();
        render(&mut self.scratch);
        if let Some(cells) = Short::try_new(&self.scratch) {
            self.slots[slot] = (key, cells);
        }
        out.extend_from_slice(&self.scratch);
    }
}

/// [`Fixed3`] cells of `f32` values (scores, confidences), remembered by
/// value: a run writes few distinct ones, so most cells are a lookup and
/// one fixed-size copy instead of the float-to-decimal work.
pub(crate) type Fixed3Cache = CellCache<16>;

impl Fixed3Cache {
    /// Appends `Fixed3(f64::from(x))`, keyed by the bits of `x`.
    #[inline]
    pub(crate) fn put(&mut self, x: f32, out: &mut Vec<u8>) {
        self.put_with(u64::from(x.to_bits()), |out| Fixed3(f64::from(x)).put(out), out);
    }
}

/// Appends `n` thousandths (`n` < 10,000) as `d.ddd`, after a `-` when
/// `negative`.
#[inline]
fn one_digit(n: u32, negative: bool, out: &mut Vec<u8>) {
    let milli = (n % 1000) as usize;
    let pair = milli % 100 * 2;
    let word = u64::from_le_bytes([
        b'-',
        b'0' + (n / 1000) as u8,
        b'.',
        b'0' + (milli / 100) as u8,
        PAIRS[pair],
        PAIRS[pair + 1],
        0,
        0,
    ]);
    let skip = usize::from(!negative);
    let start = out.len();
    out.extend_from_slice(&(word >> (8 * skip)).to_le_bytes());
    out.truncate(start + 6 - skip);
}

/// [`fixed3`] through `format!`, for the values the fast path leaves.
#[cold]
fn fixed3_formatted(x: f64, out: &mut Vec<u8>) {
    let s = format!("{x:.3}");
    out.extend_from_slice(if s == "-0.000" { b"0.000" } else { s.as_bytes() });
}

/// The cells as the `csv` crate writes them, for the tests: the
/// char-by-char definitions the byte checks above must agree with.
#[cfg(test)]
mod oracle {
    use super::{Id, Text};

    pub(crate) fn neutralise(cell: &str) -> String {
        match cell.chars().next() {
            Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}') => {
                format!("'{cell}")
            }
            _ => cell.to_string(),
        }
    }

    pub(crate) fn looks_numeric(s: &str) -> bool {
        let mut chars = s.chars();
        let first_ok = match chars.next() {
            Some(c) if c.is_ascii_digit() => true,
            Some('.') => chars.next().is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        };
        first_ok
            && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ':' | '/' | '-' | ' ' | 'e' | 'E' | '%'))
    }

    impl serde::Serialize for Text<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&neutralise(self.0))
        }
    }

    impl serde::Serialize for super::Fixed3 {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&super::fixed3(self.0))
        }
    }

    impl serde::Serialize for Id<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            if looks_numeric(self.0) {
                s.serialize_str(&format!("'{}", self.0))
            } else {
                s.serialize_str(&neutralise(self.0))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{End, Fixed3, Fixed3Cache, Id, Text, fixed3, neutralise, oracle, text_run};
    use crate::line::Cell;

    /// `text_run` writes `Text` of the range and its end, for runs of every
    /// length at every place of a text (near its end too, where the window
    /// is cut short), ranges that are not `str` ranges of it included.
    #[test]
    fn text_runs_are_text_cells() {
        // The second text puts special bytes and chars of two to four bytes
        // on both sides of the sixteen-byte halves of the windows that
        // start near its beginning, and leaves room for whole windows.
        for text in [
            "=Sum, \"quoted\" words\r\nand é ｘ-ray +1 plain names here and there, @end\n",
            "Abcdefghijklmno,pé\"rstuvwxyzABCDEF\nGHIJ\rKLMNOPQRSTUVWX-YZ ab𝄞cd +ef ｘ gh, ij \"kl\" mn\tpq\u{3000}rs tuvwxyz",
            // Bytes below `-` that need no quoting, which the window's quick
            // test leaves to the general path.
            "People's Republic (PRC) & Co! 50% #1 $2 *3 'x' \u{1}y Côte d'Ivoire, O'Brien (UK) and the rest",
        ] {
            text_runs_of(text);
        }
    }

    fn text_runs_of(text: &str) {
        for start in 0..=text.len() + 1 {
            for stop in start..=text.len() + 2 {
                for end in [End::Comma, End::Record] {
                    let mut mine = b"x".to_vec();
                    text_run(text, start, stop, end, &mut mine);
                    let mut want = b"x".to_vec();
                    Text(text.get(start..stop).unwrap_or("")).put(&mut want);
                    want.extend_from_slice(end.bytes());
                    assert_eq!(mine, want, "{start}..{stop} {end:?}");
                }
            }
        }
    }

    /// `short_text` writes `Text` of the cell and its end, for cells of
    /// every length around the window's, formula starts, bytes that need
    /// quoting at every place and chars of two to four bytes.
    #[test]
    fn short_texts_are_text_cells() {
        let source = "=Sum, \"quoted\" words\r\nand é ｘ-ray +1 plain names here and there, @end\n\u{ff1d}x 𝄞 \t";
        let mut cells: Vec<&str> = Vec::new();
        for start in 0..source.len() {
            for stop in start..=source.len().min(start + 40) {
                if let Some(cell) = source.get(start..stop) {
                    cells.push(cell);
                }
            }
        }
        for cell in cells {
            for end in [End::Comma, End::Record] {
                let mut mine = b"x".to_vec();
                super::short_text(cell, end, &mut mine);
                let mut want = b"x".to_vec();
                Text(cell).put(&mut want);
                want.extend_from_slice(end.bytes());
                assert_eq!(mine, want, "{cell:?} {end:?}");
            }
        }
    }

    /// The cache writes what `Fixed3` does, on hits, misses, values that
    /// share a slot, NaNs and values too long to keep.
    #[test]
    fn cached_fixed3_is_fixed3() {
        let mut values: Vec<f32> =
            vec![0.0, -0.0, f32::NAN, -f32::NAN, f32::INFINITY, f32::MAX, -f32::MAX, 1e7, -0.0004];
        values.extend((-2000..=2000).map(|i| i as f32 / 64.0));
        values.extend((0..3000).map(|i| f32::from_bits(0x9E37_79B9u32.wrapping_mul(i))));
        let mut cache = Fixed3Cache::default();
        for round in 0..3 {
            for &v in &values {
                let mut mine = Vec::new();
                cache.put(v, &mut mine);
                assert_eq!(String::from_utf8(mine).expect("utf-8"), fixed3(f64::from(v)), "{v:e} round {round}");
            }
        }
    }

    fn cell(c: impl Cell) -> String {
        let mut out = Vec::new();
        c.put(&mut out);
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn fixed3_is_stable() {
        assert_eq!(fixed3(0.1f32 as f64), "0.100");
        assert_eq!(fixed3(-0.0004), "0.000");
        assert_eq!(fixed3(-2.5), "-2.500");
        assert_eq!(fixed3(f64::NAN), "");
        assert_eq!(fixed3(7.0), "7.000");
    }

    #[test]
    fn fast_fixed3_matches_format() {
        let mut values: Vec<f64> = vec![
            0.0,
            -0.0,
            0.0005,
            -0.0005,
            0.0015,
            2.5e-4,
            -4e-4,
            1e9,
            -1e12,
            123456.789,
            0.1,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            0.9995,
            -0.9995,
            999.9999,
            1.0625,
            -7.0,
        ];
        // Every f32 score a stance can have in steps of 1/64 and 1/10, and
        // a spread of awkward values.
        for i in -1000..=1000 {
            values.push(f64::from(i as f32 / 64.0));
            values.push(f64::from(i as f32 / 10.0));
            values.push(i as f64 / 7.0);
            values.push(f64::from(i as f32 * 0.0013));
            values.push(i as f64 * 0.0005);
        }
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(f64::from(f32::from_bits((x >> 32) as u32)));
            values.push((x % 20_000_001) as f64 / 1000.0 - 10_000.0);
        }
        for v in values {
            assert_eq!(cell(Fixed3(v)), fixed3(v), "{v:e}");
        }
    }

    /// The record `csv` writes for `cells` (one cell or a tuple of them).
    fn csv_cell<T: serde::Serialize>(cells: T) -> String {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        w.serialize(cells).expect("serialise");
        String::from_utf8(w.into_inner().expect("flush")).expect("utf-8")
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+2", "'+1+2"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("\u{ff1d}1+1", "'\u{ff1d}1+1"),
            ("Russia", "Russia"),
            (" =not first", " =not first"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), want, "{cell:?}");
        }
        assert_eq!(csv_cell((Text("=1+1"),)), "'=1+1\n");
        assert_eq!(csv_cell((Text("010"),)), "010\n");
        assert_eq!(csv_cell((Id("010"),)), "'010\n");
        assert_eq!(csv_cell((Id("2024-03"),)), "'2024-03\n");
        assert_eq!(csv_cell((Id(".5"),)), "'.5\n");
        assert_eq!(csv_cell((Id("=x.txt"),)), "'=x.txt\n");
        assert_eq!(csv_cell((Id("RUS"),)), "RUS\n");
        assert_eq!(csv_cell((Id("2024-report.txt"),)), "2024-report.txt\n");
        assert_eq!(csv_cell((Id("a.jsonl#010"),)), "a.jsonl#010\n");
    }

    /// The byte checks write what the char-by-char definitions write.
    #[test]
    fn cells_match_the_csv_crate() {
        let mut cells: Vec<String> = [
            "",
            "=",
            "+1",
            "-",
            "@",
            "\t",
            "\r",
            "\n",
            "x",
            "010",
            ".5",
            ".x",
            "1,000",
            "2024-03",
            "1e5%",
            "12:30",
            "3 4",
            "1\"",
            "a,b",
            "say \"no\"",
            "é",
            "ｘ",
            "！",
            "\u{ff1d}",
            "\u{ff0b}",
            "\u{ff0d}",
            "\u{ff20}",
            "\u{ff1c}",
            "\u{fe63}",
            "#1",
            "0#1",
            "٣",
            "１２",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for prefix in cells.clone() {
            for rest in ["", "1", "a,b", "\"q\"", "-2", " ", "é"] {
                cells.push(format!("{prefix}{rest}"));
            }
        }
        // A second field, so csv writes an empty first one as nothing.
        for c in &cells {
            assert_eq!(format!("{},x\n", cell(Text(c))), csv_cell((Text(c), "x")), "{c:?}");
            assert_eq!(format!("{},x\n", cell(Id(c))), csv_cell((Id(c), "x")), "{c:?}");
            assert_eq!(neutralise(c), oracle::neutralise(c), "{c:?}");
        }
    }
}
