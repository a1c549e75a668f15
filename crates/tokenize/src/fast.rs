//! The default backend: a hand-written single-pass byte scanner.
//!
//! No regex and no allocation besides the output vectors. ASCII bytes are
//! classified by a table; a `char` is decoded only at non-ASCII bytes. The
//! token rules (contractions, abbreviations, numbers, clitics, punctuation
//! runs) are described in the crate documentation; `hf.rs` implements the
//! same rules over Hugging Face pieces and the tests check that both agree.
//!
//! While it scans, the scanner also notes the sentence-end candidates the
//! splitter needs (terminal tokens and tokens followed by a line break), so
//! the splitter looks at those tokens only, not at every token again.

use std::cell::RefCell;

use dyad_core::simd::{BLOCK, Block};
use dyad_core::{Span, Token, TokenKind};

use crate::chars::{
    BYTE_CLASS, NON_ASCII, OTHER, SPACE, WORD, is_apostrophe, is_ascii_line_break, is_bare_clitic, is_line_break,
    is_number_separator, is_terminal, is_word_continue, is_word_start, starts_number,
};

/// Appends the tokens of `text` to `tokens`, and to `candidates` the
/// indices of the tokens after which a sentence may end, exactly as
/// `sentences::candidates` would list them.
pub(crate) fn scan(text: &str, tokens: &mut Vec<Token>, candidates: &mut Vec<u32>) {
    scan_with(text, tokens, candidates, spaced_words);
}

/// [`scan`] with `words` as its loop over spaced words ([`spaced_words`],
/// or in tests the reference it is checked against).
#[inline(always)]
fn scan_with(
    text: &str,
    tokens: &mut Vec<Token>,
    candidates: &mut Vec<u32>,
    words: impl Fn(&[u8], usize, &mut Output) -> (usize, usize),
) {
    PENDING_TOKENS.with_borrow_mut(|pending| {
        let out = &mut Output { tokens, candidates, pending, held: 0 };
        scan_into(Scanner { text, bytes: text.as_bytes() }, out, words);
    });
}

thread_local! {
    /// The buffer of [`Output::pending`], this thread's: kept from one
    /// document to the next, not filled (3 KB) and moved for each one.
    static PENDING_TOKENS: RefCell<[Token; PENDING]> = const {
        RefCell::new([Token { span: Span { start: 0, end: 0 }, kind: TokenKind::Punct }; PENDING])
    };
}

/// The loop of [`scan_with`], writing to `out`.
#[inline(always)]
fn scan_into(s: Scanner, out: &mut Output, words: impl Fn(&[u8], usize, &mut Output) -> (usize, usize)) {
    let n = s.bytes.len();
    let mut i = 0;
    while i < n {
        let b = s.bytes[i];
        match BYTE_CLASS[b as usize] {
            SPACE => {
                if is_ascii_line_break(b) {
                    out.mark_last();
                }
                i += 1;
                continue;
            }
            WORD => {
                // Words each followed by one space (or simple punctuation),
                // the bulk of running text, in their own tight loop; it
                // stops at the first word it does not handle, or at a
                // non-letter after a space.
                let (start, end) = words(s.bytes, i, out);
                i = start;
                if end == start {
                    continue;
                }
                // A run followed by ASCII whitespace or punctuation that
                // none of `word`'s rules looks at is pushed here. Those rules
                // only look at the byte after the run: an apostrophe or
                // non-ASCII char (contractions, clitics, curly quotes,
                // letters), `.` after a single letter (abbreviations), `.`,
                // `,` or `:` after digits (numbers). Anything else goes to
                // `word`.
                let b = s.bytes[start];
                let digit = b.is_ascii_digit();
                let kind = if digit { TokenKind::Number } else { TokenKind::Word };
                let next = if end < n { s.bytes[end] } else { b'\'' };
                let plain = match BYTE_CLASS[next as usize] {
                    SPACE => true,
                    OTHER => match next {
                        b'\'' => false,
                        b'.' => !digit && end - start >= 2,
                        b',' | b':' => !digit,
                        _ => true,
                    },
                    _ => false,
                };
                if plain {
                    out.push(start, end, kind);
                    // Whitespace after the run is skipped here and now.
                    i = if BYTE_CLASS[next as usize] == SPACE {
                        if is_ascii_line_break(next) {
                            out.mark_last();
                        }
                        end + 1
                    } else {
                        end
                    };
                } else {
                    i = s.word(start, b as char, end, out);
                }
                continue;
            }
            NON_ASCII => {}
            _ => {
                // ASCII punctuation: a run of the same byte.
                let end = same_byte_run_end(s.bytes, i + 1, b);
                out.push(i, end, TokenKind::Punct);
                if is_terminal(b as char) {
                    out.mark_last();
                }
                i = end;
                continue;
            }
        }
        let Some(c) = s.char_at(i) else { break };
        let len = c.len_utf8();
        if c.is_whitespace() {
            if is_line_break(c) {
                out.mark_last();
            }
            i += len;
        } else if is_word_start(c) {
            i = s.word(i, c, i + len, out);
        } else {
            i = s.other(i, c, len, out);
        }
    }
    out.flush();
}

/// Pushes the ASCII words from `i` that are each followed by exactly one
/// space (`"the talks "`), or by one punctuation byte that no rule of
/// [`Scanner::word`] looks at and then a space (`"talks, "`, `"failed. "`)
/// or, for a hyphen, a letter (`"Iran-Israel"`). Returns where the next
/// token starts and where its ASCII run of letters and digits ends: the
/// first run that is not all letters or is followed by anything else is
/// left to the caller (so is a run starting with a digit), as is a
/// non-letter after a space (then the two positions are equal).
///
/// Sixty-four bytes at a time while that many remain ([`Window`]): the
/// words a window links are pushed from its bit masks, and the last word
/// of its chain is measured again as the first of the next window when
/// the chain reaches the window's end; when something the chain does not
/// take follows it, [`word_by_word`] goes on from that word as the window
/// measured it. `word_by_word` takes the same words one at a time and
/// also scans the text's last bytes.
///
/// Out of line on purpose: alone, the loop keeps the text, the vectors and
/// the scanning constants in registers; inlined into [`scan`] they are
/// spilled and reloaded for every word.
#[inline(never)]
fn spaced_words(bytes: &[u8], mut i: usize, out: &mut Output) -> (usize, usize) {
    loop {
        if out.held > PENDING - WINDOW {
            out.flush();
        }
        let Some(window) = Window::at(bytes, i) else { break };
        let chain = window.chain();
        chain.push(i, bytes, out);
        i += chain.last as usize;
        if !chain.open {
            // The window has measured what `word_by_word` starts with, the
            // run of letters at `i`, unless that reaches the window's end.
            let run = chain.letters_from_last();
            if chain.last + run < WINDOW as u32 {
                let (start, end) = words_from(bytes, i, (run, bytes[i + run as usize]), out);
                match step_over(bytes, start, end, out) {
                    Some(next) => {
                        i = next;
                        continue;
                    }
                    None => return (start, end),
                }
            }
            break;
        }
    }
    word_by_word(bytes, i, out)
}

/// Pushes the tokens of the most common stops that [`words_from`] leaves
/// at `start..end` (a run of ASCII letters and digits, or nothing): a
/// word or number before ASCII whitespace (a line break a candidate); or
/// before `,` `;` `:` and a space, or `.` and a space or line break (the
/// period a candidate; no letter follows it, so no abbreviation and no
/// decimal); or before `'s` or `’s` and a space (a clitic). Returns
/// where the next token starts, or `None` for any other stop, left to
/// [`scan`]. These are [`scan`]'s tokens and candidates for those bytes,
/// so [`spaced_words`] goes on with its windows where it would return:
/// with the blank lines after a line break skipped here, its returns to
/// [`scan`] on 6,000 generated articles fell from 175 k to 36 k (`’s`
/// alone had 18 k, each about 460 instructions through [`Scanner::word`]).
#[inline(always)]
fn step_over(bytes: &[u8], start: usize, end: usize, out: &mut Output) -> Option<usize> {
    if start == end {
        return None;
    }
    let number = bytes[start].is_ascii_digit();
    let kind = if number { TokenKind::Number } else { TokenKind::Word };
    let next = *bytes.get(end)?;
    let after = bytes.get(end + 1).copied().unwrap_or(0);
    let (punct, to) = match next {
        _ if BYTE_CLASS[next as usize] == SPACE => {
            out.push(start, end, kind);
            if is_ascii_line_break(next) {
                out.mark_last();
                // Blank lines after it: their candidate is noted.
                return Some(same_byte_run_end(bytes, end + 1, b'\n'));
            }
            return Some(end + 1);
        }
        b'.' if matches!(after, b' ' | b'\n') => (TokenKind::Punct, end + 1),
        b',' | b';' | b':' if after == b' ' => (TokenKind::Punct, end + 1),
        b'\'' if matches!(after, b's' | b'S') && bytes.get(end + 2) == Some(&b' ') => (TokenKind::Clitic, end + 2),
        // `’s` and a space.
        0xE2 if bytes.get(end + 1..end + 5) == Some(b"\x80\x99s ") => (TokenKind::Clitic, end + 4),
        _ => return None,
    };
    out.push(start, end, kind);
    out.push(end, to, punct);
    if next == b'.' {
        out.mark_last();
        // Past the space or line break after it, and blank lines, whose
        // candidate (the period) is noted.
        return Some(same_byte_run_end(bytes, to + 1, b'\n'));
    }
    Some(to + 1)
}

/// How many bytes a [`Window`] classifies.
const WINDOW: usize = 64;

/// The classes of the 64 bytes from a token's start that [`spaced_words`]
/// tests: bit `k` of each mask is byte `k`. Periods need no mask of their
/// own: the few punctuation tokens of a chain are read from the text.
#[derive(Clone, Copy, Default)]
struct Window {
    letters: u64,
    /// `b' '` only: a tab or line break after a word is left to the scanner.
    spaces: u64,
    /// `,` `-` `.` `:` `;`: a token of its own after a letter. Also `*`
    /// `+` `<` `=` `>`, which one test takes with them: no rule of the
    /// scanner looks at those, so a chain linking one pushes the tokens the
    /// scanner would (the byte, alone, as `Punct`, never a candidate).
    punct: u64,
}

/// The tokens [`Window::chain`] found, as masks of their first and last
/// bytes, up to the start of the chain's last word.
struct Chain {
    starts: u64,
    ends: u64,
    /// The one-byte `Punct` tokens among them (the other tokens are words).
    punct: u64,
    /// Where the chain's last word starts (0 when it has one word).
    last: u32,
    /// The window's letters.
    letters: u64,
    /// Whether the chain may go on past the window (its links reach byte
    /// 62; byte 63's test may need the byte after the window) and has
    /// pushed something, so that the next window starts further on.
    open: bool,
}

impl Window {
    /// The classes of the 64 bytes from `at`, or `None` where fewer remain.
    #[inline(always)]
    fn at(bytes: &[u8], at: usize) -> Option<Window> {
        let bytes: &[u8; WINDOW] = bytes.get(at..)?.first_chunk()?;
        let (blocks, _) = bytes.as_chunks::<BLOCK>();
        let mut w = Window::default();
        for (k, &block) in blocks.iter().enumerate() {
            let block = Block::new(block);
            let at = BLOCK * k;
            w.letters |= u64::from(block.ascii_letters()) << at;
            w.spaces |= u64::from(block.eq(b' ')) << at;
            // `,` `-` `.` (0x2C to 0x2E) and `:` `;` (0x3A, 0x3B) fall in
            // one range once bit 4 is set, with `*` `+` `<` `=` `>`.
            w.punct |= u64::from(block.or(0x10).in_range(b':', b'>')) << at;
        }
        Some(w)
    }

    /// The chain of tokens from byte 0 (the start of a token) that the
    /// windows push, as masks: letters, and the bytes that link two words.
    /// A space after a letter; a punctuation byte after a letter, with a
    /// space after it or two letters before it (not a period after a
    /// single letter and before a letter, which may be in an abbreviation:
    /// "U.S"), and a space after such a byte. The chain is the run of such
    /// bytes from byte 0: every word in it but the last one is pushed, with
    /// its punctuation.
    ///
    /// These are [`word_by_word`]'s words, tested more loosely where that
    /// changes no token. It also wants a letter after a space or hyphen,
    /// and a space and then a letter after `,` `.` `:` `;`; but a link
    /// that nothing links on ends the chain, and what follows the chain's
    /// last word is not pushed. A punctuation byte between two letters
    /// ("in,of", "ab.cd") or before a space it leaves ("lit- a", "U. S"),
    /// [`scan`] pushes as a token of its own just the same, the period a
    /// candidate (it is terminal), and the word after it starts a new
    /// call. The tests hold the two equal.
    ///
    /// Shifts bring in zeros, so a test at either edge of the window fails
    /// (never passes): at byte 0, which starts a token, that is exact; at
    /// byte 63, a punctuation byte whose space is past the window may fail
    /// to link a word that the next window links.
    #[inline(always)]
    fn chain(self) -> Chain {
        let letters = self.letters;
        let after_letter = letters << 1;
        let punct = self.punct & after_letter & ((letters << 2) | (self.spaces >> 1));
        let spaces = self.spaces & ((letters | punct) << 1);
        let links = letters | spaces | punct;
        // The bits of the run of links from bit 0.
        let chain = links & !links.wrapping_add(1);
        let words = letters & !after_letter & chain;
        let Some(last) = words.checked_ilog2() else {
            return Chain { starts: 0, ends: 0, punct: 0, last: 0, letters, open: false };
        };
        let before = (1u64 << last) - 1;
        let punct = punct & before;
        Chain {
            starts: (words | punct) & before,
            ends: ((letters & !(letters >> 1)) | punct) & before,
            punct,
            last,
            letters,
            open: last > 0 && chain & (1 << (WINDOW - 2)) != 0,
        }
    }
}

impl Chain {
    /// The length of the run of letters at byte [`Chain::last`], up to the
    /// window's end: the chain's last word, or 0 when no word starts the
    /// window.
    #[inline(always)]
    fn letters_from_last(&self) -> u32 {
        (!(self.letters >> self.last)).trailing_zeros()
    }

    /// Pushes the chain's tokens, the window starting at byte `at` of the
    /// text, and notes its periods as candidates. `out` has room for a
    /// window's tokens.
    #[inline(always)]
    fn push(&self, at: usize, text: &[u8], out: &mut Output) {
        let at32 = at as u32;
        let first = out.held;
        let (mut starts, mut ends) = (self.starts, self.ends);
        let mut held = first;
        let pending = &mut *out.pending;
        // All as words first: no test of the kind per token. Each bit is
        // cleared by its index, already at hand (one `btr` or `rol` and
        // `and`), not as `x & (x - 1)`, which cost a copy of each mask.
        while starts != 0 {
            let (s, e) = (starts.trailing_zeros(), ends.trailing_zeros());
            pending[held % PENDING] =
                Token { span: Span { start: at32 + s, end: at32 + e + 1 }, kind: TokenKind::Word };
            held += 1;
            starts &= !(1 << s);
            ends &= !(1 << e);
        }
        out.held = held;
        // Then the few punctuation tokens, found by their index: the
        // number of tokens that start before them in the window.
        let mut punct = self.punct;
        while punct != 0 {
            let bit = punct.trailing_zeros();
            let index = first + (self.starts & ((1 << bit) - 1)).count_ones() as usize;
            out.pending[index % PENDING].kind = TokenKind::Punct;
            if text[at + bit as usize] == b'.' {
                out.candidates.push((out.tokens.len() + index) as u32);
            }
            punct &= punct - 1;
        }
    }
}

/// [`spaced_words`] one word at a time, from the start of a token: what a
/// [`Window`] leaves, and the reference the windows are tested against.
#[inline(always)]
fn word_by_word(bytes: &[u8], i: usize, out: &mut Output) -> (usize, usize) {
    words_from(bytes, i, letters_run_and_next(bytes, i as u32), out)
}

/// [`word_by_word`] with the run of letters at `i` and the byte after it
/// already measured (`first`, as [`letters_run_and_next`] gives them).
#[inline(always)]
fn words_from(bytes: &[u8], i: usize, first: (u32, u8), out: &mut Output) -> (usize, usize) {
    // A push into `out.pending` is one store and an increment of the count,
    // held here in a register, where `Vec::push` reloads, tests and stores
    // the vector's length each time (the growth call may change it).
    let mut held = out.held;
    // Offsets as in spans (the text is at most `u32::MAX` bytes long).
    let mut i = i as u32;
    let mut measured = first;
    let stop = loop {
        // Room for the two tokens one step may push.
        if held > PENDING - 2 {
            out.held = held;
            out.flush();
            held = 0;
        }
        let (len, next) = measured;
        let end = i + len;
        let (at, end_at) = (i as usize, end as usize);
        if len == 0 {
            // No letter here: a number, or no word at all.
            break match bytes.get(at) {
                Some(&b) if BYTE_CLASS[b as usize] == WORD => (at, ascii_run_end(bytes, at + 1)),
                _ => (at, at),
            };
        }
        let word = Token { span: Span { start: i, end }, kind: TokenKind::Word };
        // At the end of the text `next` is 0: not simple, so the run is
        // left to the caller as it is.
        if next == b' ' {
            out.pending[held] = word;
            held += 1;
            i = end + 1;
        } else {
            // The cases of `scan`'s "plain" runs that end sentences' clauses
            // (a period after a single letter may be an abbreviation), each
            // followed by what makes the punctuation a token of one byte.
            let after = bytes.get(end_at + 1).copied().unwrap_or(0);
            let simple = match next {
                b',' | b';' | b':' => after == b' ',
                b'.' => after == b' ' && len >= 2,
                b'-' => after.is_ascii_alphabetic(),
                _ => false,
            };
            if !simple {
                break (at, ascii_run_end(bytes, end_at));
            }
            out.pending[held] = word;
            out.pending[held + 1] = Token { span: Span { start: end, end: end + 1 }, kind: TokenKind::Punct };
            held += 2;
            if next == b'.' {
                // The period is a new last token, so never noted yet.
                out.candidates.push((out.tokens.len() + held - 1) as u32);
            }
            i = if next == b'-' { end + 1 } else { end + 2 };
        }
        // Letters only, a cheaper test than letters and digits (and every
        // such run is a `Word`), measured from the word's first byte: no
        // byte test of its own, one block test finds both whether a word
        // starts here and where it ends, and gives the byte there.
        measured = letters_run_and_next(bytes, i);
    };
    out.held = held;
    stop
}

/// How many tokens [`Output`] holds before it appends them.
const PENDING: usize = 256;

/// The length of the run of ASCII letters from `i`, and the byte after it
/// (0 at the end of the text, which the callers treat as they treat a NUL
/// byte: as no letter, no space and no punctuation). Most words end inside
/// the block of eight bytes read at `i`: then the byte is taken from the
/// block, not read (and bounds-checked) again, and the length is the
/// stopping bit's byte, with no end to subtract `i` from again for the
/// caller's test of an empty run. Offsets are `u32`, as in spans: `i + 8`
/// cannot overflow, so the block's bounds test is one compare.
#[inline(always)]
fn letters_run_and_next(bytes: &[u8], i: u32) -> (u32, u8) {
    let at = i as usize;
    if let Some(eight) = bytes.get(at..at + 8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
        let w = u64::from_le_bytes(eight);
        let stop = first_not_ascii_letter(w);
        if stop != 0 {
            let bit = stop.trailing_zeros();
            // `bit` is the high bit of the stopping byte, `bit & !7` its low bit.
            return (bit / 8, (w >> (bit & !7)) as u8);
        }
        let end = ascii_letters_end(bytes, at + 8);
        return ((end - at) as u32, bytes.get(end).copied().unwrap_or(0));
    }
    let end = ascii_letters_end(bytes, at);
    ((end - at) as u32, bytes.get(end).copied().unwrap_or(0))
}

/// The end of the run of bytes equal to `b` from `i`.
#[inline(always)]
fn same_byte_run_end(bytes: &[u8], mut i: usize, b: u8) -> usize {
    while bytes.get(i) == Some(&b) {
        i += 1;
    }
    i
}

/// The end of the run of ASCII letters and digits from `i`: eight bytes at
/// a time while eight remain, so a short word costs one step and no
/// data-dependent loop branch.
#[inline(always)]
fn ascii_run_end(bytes: &[u8], i: usize) -> usize {
    run_end(bytes, i, not_ascii_alnum, |b| BYTE_CLASS[b as usize] == WORD)
}

/// The end of the run of ASCII letters from `i`, eight bytes at a time
/// while eight remain.
#[inline(always)]
fn ascii_letters_end(bytes: &[u8], i: usize) -> usize {
    run_end(bytes, i, first_not_ascii_letter, |b| b.is_ascii_alphabetic())
}

/// The end of the run from `i` of bytes that `one` accepts: `block` gives
/// for eight bytes (little-endian) a mask whose lowest set bit is the high
/// bit of the first byte that ends the run, or 0; `one` takes the last
/// bytes, fewer than eight.
#[inline(always)]
fn run_end(bytes: &[u8], mut i: usize, block: impl Fn(u64) -> u64, one: impl Fn(u8) -> bool) -> usize {
    while let Some(eight) = bytes.get(i..i + 8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
        let stop = block(u64::from_le_bytes(eight));
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|&b| one(b)) {
        i += 1;
    }
    i
}

/// A mask whose lowest set bit is the high bit of the first byte of `w`
/// (in memory order) that is not an ASCII letter, or 0 if all eight are
/// letters. Bits above it mean nothing: a byte of 0xE1 or more carries
/// into the next byte. That is harmless because a letter never carries
/// (its folded value plus 0x1F stays below 0x100), so every byte up to
/// and including the first non-letter is computed exactly. Four
/// operations fewer than [`not_ascii_alnum`], which masks every byte to
/// seven bits first.
#[inline(always)]
fn first_not_ascii_letter(w: u64) -> u64 {
    const fn splat(b: u8) -> u64 {
        u64::from_ne_bytes([b; 8])
    }
    // Lower case: letters become 0x61..=0x7A.
    let folded = w | splat(0x20);
    // The high bit of `folded + (0x80 - lo)` is set when `folded >= lo`
    // (wrapping: the top byte may carry out, see above).
    let below_a = !folded.wrapping_add(splat(0x80 - b'a'));
    let above_z = folded.wrapping_add(splat(0x80 - (b'z' + 1)));
    (below_a | above_z | w) & splat(0x80)
}

/// The high bit of each byte of `w` that is not an ASCII letter or digit
/// (SWAR: every byte tested at once with carry-free additions on 7-bit
/// values).
#[inline(always)]
fn not_ascii_alnum(w: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn splat(b: u8) -> u64 {
        u64::from_ne_bytes([b; 8])
    }
    let ascii = !w & HIGH;
    let x = w & !HIGH;
    // `x + (0x80 - lo)` has its high bit set exactly when `x >= lo`.
    let ge = |v: u64, lo: u8| v + splat(0x80 - lo);
    let folded = x | splat(0x20);
    let letter = ge(folded, b'a') & !ge(folded, b'z' + 1);
    let digit = ge(x, b'0') & !ge(x, b'9' + 1);
    !((letter | digit) & ascii) & HIGH
}

/// Where the scanner writes: the tokens and the sentence-end candidates.
struct Output<'v> {
    tokens: &'v mut Vec<Token>,
    candidates: &'v mut Vec<u32>,
    /// The tokens not yet appended to `tokens`, the first `held` of them:
    /// appended a block at a time, with one copy of many tokens instead of
    /// one `Vec::push` each (and not at the end of each call of
    /// [`spaced_words`], which would copy about twenty tokens at a time).
    pending: &'v mut [Token; PENDING],
    held: usize,
}

impl Output<'_> {
    /// Appends the token `start..end`. The scanner only pushes runs it has
    /// just measured, so `start < end` holds without `Span::new`'s check
    /// (a compare and a panic path per token).
    #[inline(always)]
    fn push(&mut self, start: usize, end: usize, kind: TokenKind) {
        debug_assert!(start < end, "empty token {start}..{end}");
        if self.held == PENDING {
            self.flush();
        }
        self.pending[self.held] = Token { span: Span { start: start as u32, end: end as u32 }, kind };
        self.held += 1;
    }

    /// Appends the held tokens to `tokens`.
    #[inline(never)]
    fn flush(&mut self) {
        self.tokens.extend_from_slice(&self.pending[..self.held]);
        self.held = 0;
    }

    /// How many tokens there are so far.
    #[inline(always)]
    fn len(&self) -> usize {
        self.tokens.len() + self.held
    }

    /// Notes that a sentence may end after the last token so far (it is
    /// terminal, or a line break follows it). Noted once per token.
    #[inline]
    fn mark_last(&mut self) {
        let Some(last) = self.len().checked_sub(1) else {
            return;
        };
        let last = last as u32;
        if self.candidates.last() != Some(&last) {
            self.candidates.push(last);
        }
    }
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
}

impl Scanner<'_> {
    /// The character starting at byte `i`, if `i` is in bounds. `i` is
    /// always a char boundary here: the scanner only advances by whole chars.
    #[inline(always)]
    fn char_at(&self, i: usize) -> Option<char> {
        let b = *self.bytes.get(i)?;
        if b < 0x80 { Some(b as char) } else { self.text.get(i..)?.chars().next() }
    }

    /// The byte at `i`, or 0 past the end (0 is never a byte the rules look for).
    #[inline(always)]
    fn byte(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    /// End of the word run starting at `i` (the char at `i` already known to
    /// be a word start).
    #[inline(always)]
    fn run_end(&self, mut i: usize) -> usize {
        let n = self.bytes.len();
        while i < n {
            match BYTE_CLASS[self.bytes[i] as usize] {
                WORD => i += 1,
                NON_ASCII => match self.char_at(i) {
                    Some(c) if is_word_continue(c) => i += c.len_utf8(),
                    _ => break,
                },
                _ => break,
            }
        }
        i
    }

    /// End of the word run at `i`, or `None` when no word starts there.
    #[inline]
    fn run_at(&self, i: usize) -> Option<(char, usize)> {
        let c = self.char_at(i)?;
        is_word_start(c).then(|| (c, self.run_end(i + c.len_utf8())))
    }

    /// A run of exactly one alphabetic character at `i`: an abbreviation
    /// segment ("U" in "U.S.").
    #[inline]
    fn letter_segment_at(&self, i: usize) -> Option<usize> {
        let (c, end) = self.run_at(i)?;
        (c.is_alphabetic() && end == i + c.len_utf8()).then_some(end)
    }

    /// A run of exactly `s` or `S` at `i`: the tail of a clitic `’s`.
    #[inline]
    fn is_s_run(&self, i: usize) -> bool {
        matches!(self.byte(i), b's' | b'S') && self.run_end(i + 1) == i + 1
    }

    /// The apostrophe at `i` and its length, if any.
    #[inline]
    fn apostrophe_at(&self, i: usize) -> Option<(char, usize)> {
        let c = self.char_at(i)?;
        is_apostrophe(c).then(|| (c, c.len_utf8()))
    }

    /// Scans the word or number starting at `start` with first char `first`,
    /// then a clitic after it; its run of word characters is known to reach
    /// at least `run_from` (past `first`). Returns where scanning continues.
    #[inline]
    fn word(&self, start: usize, first: char, run_from: usize, out: &mut Output) -> usize {
        let mut end = self.run_end(run_from);
        // Fast path: a run followed by ASCII whitespace needs no more rules
        // (they all look at a `.`, `,`, `:` or apostrophe right after it).
        if BYTE_CLASS[self.byte(end) as usize] == SPACE && end < self.bytes.len() {
            let kind = if starts_number(first) { TokenKind::Number } else { TokenKind::Word };
            out.push(start, end, kind);
            return end;
        }
        let kind;
        // Only an abbreviation ending in a period ("U.S.") is a terminal word.
        let mut terminal = false;
        if starts_number(first) {
            kind = TokenKind::Number;
            while is_number_separator(self.byte(end) as char) {
                match self.run_at(end + 1) {
                    Some((c, run_end)) if starts_number(c) => end = run_end,
                    _ => break,
                }
            }
        } else {
            kind = TokenKind::Word;
            let single = first.is_alphabetic() && end == start + first.len_utf8();
            let abbreviation = single && self.byte(end) == b'.' && self.letter_segment_at(end + 1).is_some();
            if abbreviation {
                while self.byte(end) == b'.' {
                    match self.letter_segment_at(end + 1) {
                        Some(segment_end) => end = segment_end,
                        None => break,
                    }
                }
                if self.byte(end) == b'.' {
                    end += 1;
                    terminal = true;
                }
            } else {
                // Inner apostrophes: "don't", "O’Brien", but not "Russia’s".
                while let Some((_, len)) = self.apostrophe_at(end) {
                    match self.run_at(end + len) {
                        Some((_, run_end)) if !self.is_s_run(end + len) => end = run_end,
                        _ => break,
                    }
                }
            }
        }
        out.push(start, end, kind);
        if terminal {
            out.mark_last();
        }
        self.clitic(end, out)
    }

    /// A possessive right after a word or number ending at `at`: `’s`, or a
    /// bare `’` after a word ending in s. Returns where scanning continues.
    fn clitic(&self, at: usize, out: &mut Output) -> usize {
        let Some((apostrophe, len)) = self.apostrophe_at(at) else {
            return at;
        };
        let after = at + len;
        if self.is_s_run(after) {
            out.push(at, after + 1, TokenKind::Clitic);
            return after + 1;
        }
        let ends_in_s = at > 0 && matches!(self.bytes[at - 1], b's' | b'S');
        let alone = match self.char_at(after) {
            None => true,
            Some(c) => c != apostrophe && !is_word_start(c),
        };
        if is_bare_clitic(apostrophe) && ends_in_s && alone {
            out.push(at, after, TokenKind::Clitic);
            return after;
        }
        at
    }

    /// A `Punct` token: the char `c` (of `len` bytes) at `start` and any
    /// repeats of it right after. Returns the end. (ASCII punctuation is
    /// scanned inline in [`scan`].)
    fn other(&self, start: usize, c: char, len: usize, out: &mut Output) -> usize {
        let mut end = start + len;
        let unit = &self.bytes[start..start + len];
        while self.bytes.get(end..end + len) == Some(unit) {
            end += len;
        }
        out.push(start, end, TokenKind::Punct);
        if is_terminal(c) {
            out.mark_last();
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentences;
    use proptest::prelude::*;

    /// Scans `text` with the windows and with [`word_by_word`] alone, and
    /// asserts that both give the same tokens and candidates.
    fn assert_windows_agree(text: &str) {
        let (mut tokens, mut noted) = (Vec::new(), Vec::new());
        scan_with(text, &mut tokens, &mut noted, spaced_words);
        let (mut want, mut want_noted) = (Vec::new(), Vec::new());
        scan_with(text, &mut want, &mut want_noted, word_by_word);
        assert_eq!(tokens, want, "tokens of {text:?}");
        assert_eq!(noted, want_noted, "candidates of {text:?}");
    }

    /// Every article of the repository's corpus, as it is and as words of
    /// it run on without line breaks (long chains across windows).
    #[test]
    fn windows_agree_on_the_corpus() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        let mut dirs = vec![corpus];
        let mut articles = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("the corpus folder is readable").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "txt" || e == "md") {
                    let text = std::fs::read_to_string(&path).expect("corpus files are UTF-8");
                    assert_windows_agree(&text);
                    assert_windows_agree(&text.replace('\n', " "));
                    articles += 1;
                }
            }
        }
        assert!(articles > 10, "only {articles} articles in the corpus");
    }

    /// A chain that stops, or is linked, at every byte of a window and past
    /// its end: a first word of every length up to beyond the window, then
    /// each link the windows take and each byte sequence that stops them,
    /// before a run of linked words.
    #[test]
    fn windows_agree_at_every_offset() {
        let links = [" ", ", ", "; ", ": ", ". ", "-"];
        let stops = [
            "  ", " 1", ",", ", 1", ",1", ".", ".\n", ". 1", " a. B", " a.b", "-1", "- ", " -", "\n", "\t", "'", "’",
            "é", " é", ", é", "1", "\u{a0}", " \"", "...", "?", "", " 12, ", " 7. ", " 3.\n", "\n\n", " 5;", "'s ",
            "'S", " 1990's ", "'s", " x.\n", " 12:30 ", "\r\n", " 7.5 ", ".\r", "’s ", "’s", "’S ", "’ ", ".\n\n",
            ".\n\n\n", "\n\n\n", ". \n", " 7’s ", "’st", "’s’", "+", "+ ", "++ ", "+-", "*", "* ", "<", "< ", "=",
            "= ", "==", ">", "> ", "/", "/ ", "<=", "- -", ")",
        ];
        let rest = "Bc de, fgh. Ij-kl mn; opq: rs tu vw xyz. Ab cd ef gh ij kl mn op qr st uv wx yz ab cd ef gh";
        for len in 1..WINDOW + 8 {
            let first = "w".repeat(len);
            for sep in links.iter().chain(&stops) {
                assert_windows_agree(&format!("{first}{sep}{rest}"));
                assert_windows_agree(&format!("{first}{sep}{rest}{sep}{first}"));
                assert_windows_agree(&format!("a {first}{sep}{rest}"));
            }
        }
    }

    /// The candidates the scanner notes, and those `sentences::candidates`
    /// finds from its tokens.
    fn both_candidates(text: &str) -> (Vec<u32>, Vec<u32>) {
        let (mut tokens, mut noted) = (Vec::new(), Vec::new());
        scan(text, &mut tokens, &mut noted);
        (noted, sentences::candidates(text, &tokens))
    }

    #[test]
    fn scanner_notes_every_candidate() {
        let text = "Mr. Putin met the U.S. envoy.\r\n\nThen?! \u{2028}No… “Yes.”\u{85}e.g. it\u{b}is\u{c}\n";
        let (noted, found) = both_candidates(text);
        assert_eq!(noted, found);
        assert_eq!(noted.len(), 11);
    }

    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("a"),
            Just("U"),
            Just("Mr"),
            Just("7"),
            Just(","),
            Just(";"),
            Just("-"),
            Just("."),
            Just("..."),
            Just("?"),
            Just("!"),
            Just("…"),
            Just("‼"),
            Just("’"),
            Just("”"),
            Just(" "),
            Just("\t"),
            Just("\n"),
            Just("\r"),
            Just("\u{b}"),
            Just("\u{c}"),
            Just("\u{85}"),
            Just("\u{a0}"),
            Just("\u{2028}"),
            Just("\u{2029}"),
        ];
        proptest::collection::vec(piece, 0..32).prop_map(|pieces| pieces.concat())
    }

    /// Text of mostly linked words, with now and then a byte that stops a
    /// chain: what the windows see in running text.
    fn spaced_text() -> impl Strategy<Value = String> {
        let word = "[a-zA-Z]{1,12}";
        let link = prop_oneof![
            8 => Just(" "),
            1 => Just(", "),
            1 => Just(". "),
            1 => Just("-"),
            1 => Just("; "),
            1 => Just(": "),
        ];
        let stop = prop_oneof![
            Just("  "),
            Just(" 12 "),
            Just(".\n"),
            Just("\n"),
            Just(" a. "),
            Just("’s "),
            Just("'t "),
            Just(" “"),
            Just("é"),
            Just(",1"),
            Just("- "),
            Just(""),
            Just(" 12, "),
            Just(" 7. "),
            Just(" 3.\n"),
            Just("\n\n"),
            Just(".\n\n"),
            Just(" 5\n\n"),
            Just("'s "),
            Just(" 1990's "),
            Just(" x.\n"),
            Just("’s "),
            Just(" 7’s "),
            Just("\t"),
            Just("+ "),
            Just("="),
            Just("* "),
            Just("<>"),
        ];
        let piece = (word, prop_oneof![12 => link, 1 => stop]).prop_map(|(w, sep)| format!("{w}{sep}"));
        proptest::collection::vec(piece, 0..120).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        /// Bytes that carry in the SWAR sums (0xE1 and up) after the first
        /// non-letter must not move it.
        #[test]
        fn letters_end_is_the_first_non_letter(
            bytes in proptest::collection::vec(prop_oneof![b'a'..=b'z', b'A'..=b'Z', any::<u8>()], 0..40),
            from in 0usize..8,
        ) {
            let from = from.min(bytes.len());
            let want = (from..bytes.len()).find(|&i| !bytes[i].is_ascii_alphabetic()).unwrap_or(bytes.len());
            prop_assert_eq!(ascii_letters_end(&bytes, from), want);
            // The byte there comes from the block when the run ends in it.
            let next = bytes.get(want).copied().unwrap_or(0);
            prop_assert_eq!(letters_run_and_next(&bytes, from as u32), ((want - from) as u32, next));
        }

        /// Random words, links and bytes that stop a chain, many windows
        /// long.
        #[test]
        fn windows_agree_on_spaced_words(text in spaced_text()) {
            assert_windows_agree(&text);
        }

        #[test]
        fn windows_agree_on_pieces(text in pieces()) {
            assert_windows_agree(&text);
        }

        #[test]
        fn windows_agree_on_any_string(text in any::<String>()) {
            assert_windows_agree(&text);
        }

        #[test]
        fn noted_candidates_are_the_splitters(text in pieces()) {
            let (noted, found) = both_candidates(&text);
            prop_assert_eq!(noted, found);
        }

        #[test]
        fn noted_candidates_on_any_string(text in any::<String>()) {
            let (noted, found) = both_candidates(&text);
            prop_assert_eq!(noted, found);
        }
    }

    /// Far more tokens than [`Output`] holds at once, in runs of
    /// [`spaced_words`] and of the other paths: the whole text scans as
    /// its lines do one by one, shifted, so no held token is lost, doubled
    /// or moved when the buffer is appended.
    #[test]
    fn held_tokens_all_reach_the_output() {
        let line = "the talks, in Doha. Iran-Israel \"deal\" 12 o'clock U.S. said’s a b c d e f\n";
        let (mut want, mut want_noted) = (Vec::new(), Vec::new());
        let (mut one, mut one_noted) = (Vec::new(), Vec::new());
        scan(line, &mut one, &mut one_noted);
        let text = line.repeat(3 * PENDING / one.len() + 7);
        for k in 0..text.len() / line.len() {
            let shift = (k * line.len()) as u32;
            let base = (k * one.len()) as u32;
            want.extend(
                one.iter().map(|t| Token { span: Span { start: t.span.start + shift, end: t.span.end + shift }, ..*t }),
            );
            want_noted.extend(one_noted.iter().map(|&c| c + base));
        }
        let (mut tokens, mut noted) = (Vec::new(), Vec::new());
        scan(&text, &mut tokens, &mut noted);
        assert!(tokens.len() > 3 * PENDING);
        assert_eq!(tokens, want);
        assert_eq!(noted, want_noted);
    }

    /// [`PENDING_TOKENS`] outlives each scan: a text scans the same after
    /// a longer one (whose tokens fill the buffer) as on a fresh thread.
    #[test]
    fn a_scan_leaves_nothing_to_the_next() {
        let scanned = |text: &str| {
            let (mut tokens, mut noted) = (Vec::new(), Vec::new());
            scan(text, &mut tokens, &mut noted);
            (tokens, noted)
        };
        let second = "Then?! No… e.g. it’s the U.S. and 12:30, ab-cd.";
        let fresh = std::thread::spawn(move || scanned(second)).join().expect("the scan does not panic");
        scanned(&"the talks, in Doha. Iran-Israel 12 U.S. said’s a b c\n".repeat(3 * PENDING));
        assert_eq!(scanned(second), fresh);
    }

    #[test]
    fn swar_run_end_agrees_with_the_byte_table() {
        // Every byte value at every position of a block, between letters.
        for b in 0..=255u8 {
            for at in 0..10 {
                let mut bytes = vec![b'x'; 20];
                bytes[at] = b;
                let want = (0..bytes.len()).find(|&i| BYTE_CLASS[bytes[i] as usize] != WORD).unwrap_or(bytes.len());
                assert_eq!(ascii_run_end(&bytes, 0), want, "byte {b:#04x} at {at}");
            }
        }
        assert_eq!(ascii_run_end(b"abc", 0), 3);
        for b in 0..=255u8 {
            for at in 0..10 {
                let mut bytes = vec![b'q'; 20];
                bytes[at] = b;
                let want = if b.is_ascii_alphabetic() { 20 } else { at };
                assert_eq!(ascii_letters_end(&bytes, 0), want, "byte {b:#04x} at {at}");
            }
        }
        assert_eq!(ascii_run_end(b"", 0), 0);
    }
}
