//! Bytes -> text: the one place an encoding is chosen.
//!
//! In order: a byte-order mark decides (UTF-8, UTF-16LE/BE, UTF-32LE/BE);
//! a file that starts with a known binary signature (PDF, ZIP, images...)
//! or has a NUL byte in its first 8 KiB is binary, unless its NULs are
//! the every-other-byte pattern of BOM-less UTF-16; then UTF-8; when that
//! fails, Windows-1252 (Latin-1 when no byte falls in 0x80..=0x9F), unless
//! so many bytes are non-ASCII that the file is surely in some other
//! encoding. Any decoded text with too many control characters is binary.
//!
//! Only a UTF-8 file's text is its bytes; every other encoding is
//! transcoded to UTF-8, and the [`Decoded::note`] says so (offsets then
//! refer to the UTF-8 text, which `--emit-text` writes out).

/// How many leading bytes are searched for a NUL to call a file binary.
pub(crate) const BINARY_PROBE: usize = 8 * 1024;

pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
    Windows1252,
    Latin1,
}

impl Encoding {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Utf32Le => "UTF-32LE",
            Encoding::Utf32Be => "UTF-32BE",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Latin1 => "Latin-1 (ISO-8859-1)",
        }
    }
}

/// A decoded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    /// The text, one leading BOM removed.
    pub text: String,
    pub encoding: Encoding,
    /// Why the text is not the file's bytes, for a warning; `None` for
    /// UTF-8.
    pub note: Option<String>,
}

/// Why bytes gave no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// A binary file; `kind` names the format when its signature is known.
    Binary { kind: Option<&'static str> },
    /// Not valid in the encoding its BOM announced; `at` counts file bytes.
    Invalid { encoding: Encoding, at: usize },
    /// Not UTF-8, and too many non-ASCII bytes (percent) to be Windows-1252.
    Unknown { utf8_error_at: usize, high_percent: usize },
}

/// Known binary signatures at the start of a file.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "legacy Office document"),
    (b"{\\rtf", "RTF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1F\x8B", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xFD7zXZ\x00", "xz archive"),
    (b"7z\xBC\xAF\x27\x1C", "7-Zip archive"),
    (b"Rar!\x1A\x07", "RAR archive"),
    (b"\x7FELF", "executable"),
    (b"MZ\x90\x00", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "audio"),
    (b"ID3", "audio"),
    (b"RIFF", "audio, video or image"),
];

/// Which bytes open a signature of [`SIGNATURES`].
static SIGNATURE_FIRST_BYTES: [bool; 256] = signature_first_bytes();

const fn signature_first_bytes() -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < SIGNATURES.len() {
        table[SIGNATURES[i].0[0] as usize] = true;
        i += 1;
    }
    table
}

/// Decodes a whole file. UTF-8 bytes become the text as they are, without
/// a copy.
pub(crate) fn decode(mut bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    // UTF-32 before UTF-16: FF FE 00 00 also starts with the UTF-16LE BOM.
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE\x00\x00") {
        return wide(rest, Encoding::Utf32Le, 4, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\x00\x00\xFE\xFF") {
        return wide(rest, Encoding::Utf32Be, 4, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return wide(rest, Encoding::Utf16Le, 2, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return wide(rest, Encoding::Utf16Be, 2, true);
    }
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
        return utf8_or_fallback(bytes, UTF8_BOM.len());
    }
    // The first byte first: a text's rarely starts a signature, and one
    // table lookup costs less than a comparison per signature.
    let first = bytes.first().copied();
    let may_be_signed = first.is_some_and(|b| SIGNATURE_FIRST_BYTES[usize::from(b)]);
    if let Some((_, kind)) = SIGNATURES
        .iter()
        .filter(|_| may_be_signed)
        .find(|(sig, _)| sig.first().copied() == first && bytes.starts_with(sig))
    {
        return Err(DecodeError::Binary { kind: Some(kind) });
    }
    // The NUL search of the probe and `plausible`'s count of control
    // chars, done on the bytes before they are known to be UTF-8, in one
    // scan of the blocks.
    let Some(controls) = controls_unless_nul(&bytes, BINARY_PROBE) else {
        let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
        return match bomless_utf16(probe) {
            Some(encoding) => wide(&bytes, encoding, 2, false),
            None => Err(DecodeError::Binary { kind: None }),
        };
    };
    match String::from_utf8(bytes) {
        Ok(text) => weigh_controls(controls, Decoded { text, encoding: Encoding::Utf8, note: None }),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            fallback(e.into_bytes(), at)
        }
    }
}

/// UTF-8, else Windows-1252 / Latin-1. `skipped` is the length of a BOM
/// already removed, so error offsets count file bytes.
fn utf8_or_fallback(bytes: Vec<u8>, skipped: usize) -> Result<Decoded, DecodeError> {
    match String::from_utf8(bytes) {
        Ok(text) => plausible(Decoded { text, encoding: Encoding::Utf8, note: None }),
        Err(e) => {
            let at = skipped + e.utf8_error().valid_up_to();
            fallback(e.into_bytes(), at)
        }
    }
}

/// Windows-1252 or Latin-1 for bytes that are not UTF-8 (the first bad
/// byte at file offset `at`), unless too many are non-ASCII.
fn fallback(bytes: Vec<u8>, at: usize) -> Result<Decoded, DecodeError> {
    let non_space = bytes.iter().filter(|b| !b.is_ascii_whitespace()).count().max(1);
    let high = bytes.iter().filter(|b| **b >= 0x80).count();
    let high_percent = high * 100 / non_space;
    // Western European prose has a few accented letters per line; a file
    // where a quarter of the bytes are non-ASCII is Cyrillic, CJK, Greek...
    // in an encoding dyad does not guess, or binary.
    if high >= 8 && high_percent >= 25 {
        return Err(DecodeError::Unknown { utf8_error_at: at, high_percent });
    }
    let encoding =
        if bytes.iter().any(|b| (0x80..=0x9F).contains(b)) { Encoding::Windows1252 } else { Encoding::Latin1 };
    let text: String = bytes.iter().map(|&b| windows_1252(b)).collect();
    plausible(Decoded {
        text,
        encoding,
        note: Some(format!("not valid UTF-8 at byte {at}: decoded as {}", encoding.name())),
    })
}

/// UTF-16 or UTF-32 (`width` bytes a unit) without its BOM.
fn wide(bytes: &[u8], encoding: Encoding, width: usize, had_bom: bool) -> Result<Decoded, DecodeError> {
    let bom = if had_bom { width } else { 0 };
    let little = matches!(encoding, Encoding::Utf16Le | Encoding::Utf32Le);
    let units = bytes.chunks(width);
    let mut text = String::with_capacity(bytes.len());
    if width == 2 {
        let mut at = bom;
        let mut pending: Option<(u16, usize)> = None;
        for chunk in units {
            let &[a, b] = chunk else {
                return Err(DecodeError::Invalid { encoding, at });
            };
            let unit = if little { u16::from_le_bytes([a, b]) } else { u16::from_be_bytes([a, b]) };
            match (pending.take(), unit) {
                (None, 0xD800..=0xDBFF) => pending = Some((unit, at)),
                (None, 0xDC00..=0xDFFF) => return Err(DecodeError::Invalid { encoding, at }),
                (None, u) => text.extend(char::from_u32(u32::from(u))),
                (Some((hi, _)), 0xDC00..=0xDFFF) => {
                    let c = 0x10000 + ((u32::from(hi) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                    match char::from_u32(c) {
                        Some(c) => text.push(c),
                        None => return Err(DecodeError::Invalid { encoding, at }),
                    }
                }
                (Some((_, hi_at)), _) => return Err(DecodeError::Invalid { encoding, at: hi_at }),
            }
            at += 2;
        }
        if let Some((_, hi_at)) = pending {
            return Err(DecodeError::Invalid { encoding, at: hi_at });
        }
    } else {
        for (i, chunk) in units.enumerate() {
            let at = bom + i * width;
            let &[a, b, c, d] = chunk else {
                return Err(DecodeError::Invalid { encoding, at });
            };
            let unit = if little { u32::from_le_bytes([a, b, c, d]) } else { u32::from_be_bytes([a, b, c, d]) };
            match char::from_u32(unit) {
                Some(c) => text.push(c),
                None => return Err(DecodeError::Invalid { encoding, at }),
            }
        }
    }
    // A second BOM after the first is content; one right at the start of a
    // BOM-less file is not.
    if !had_bom && text.starts_with('\u{feff}') {
        text.remove(0);
    }
    let how = if had_bom { "byte-order mark" } else { "no byte-order mark, detected from its NUL bytes" };
    plausible(Decoded { text, encoding, note: Some(format!("decoded from {} ({how})", encoding.name())) })
}

/// `Some(Utf16Le/Be)` when the NULs of `probe` are those of ASCII-heavy
/// UTF-16 text: nearly every unit has exactly one NUL byte, always on the
/// same side.
fn bomless_utf16(probe: &[u8]) -> Option<Encoding> {
    let units = probe.len() / 2;
    if units < 4 {
        return None;
    }
    let (mut low_nul, mut high_nul) = (0, 0);
    for pair in probe.chunks_exact(2) {
        match (pair[0] == 0, pair[1] == 0) {
            (false, true) => low_nul += 1,
            (true, false) => high_nul += 1,
            _ => {}
        }
    }
    if low_nul * 10 >= units * 9 {
        Some(Encoding::Utf16Le)
    } else if high_nul * 10 >= units * 9 {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Text with more than a few control characters (besides tab, line
/// breaks and form feed) is a binary file that happened to decode.
fn plausible(decoded: Decoded) -> Result<Decoded, DecodeError> {
    // With no NUL probe, no NUL stops the count.
    let controls = controls_unless_nul(decoded.text.as_bytes(), 0).unwrap_or_default();
    weigh_controls(controls, decoded)
}

/// [`plausible`] with the text's control chars already counted.
fn weigh_controls(controls: usize, decoded: Decoded) -> Result<Decoded, DecodeError> {
    // Chars are counted only when there are controls to weigh (rarely).
    let bytes = decoded.text.as_bytes();
    if controls >= 4 && controls * 100 > count_blocks(bytes, |b| b & 0xC0 != 0x80) {
        return Err(DecodeError::Binary { kind: None });
    }
    Ok(decoded)
}

/// Bytes a block of [`controls_unless_nul`]: the same for every block, so
/// that the per-block test compiles to one unrolled vector loop.
const SCAN_BLOCK: usize = 256;

/// How many control chars (besides tab, line breaks and form feed) the
/// UTF-8 reading of `bytes` holds, or `None` when one of the first `probe`
/// bytes is a NUL. Counted on the bytes, so before they are known to be
/// UTF-8: a char starts at every byte that is not a continuation byte, and
/// the control chars (`Cc`) are U+0000..=U+001F, U+007F (one byte each)
/// and U+0080..=U+009F (C2 80 to C2 9F).
///
/// Most text's only control is the line feed. Each byte is mapped so that
/// the controls below 0x20, NUL included, and the tab, carriage return and
/// form feed land at or below 0x1E and every other byte above: a block
/// whose smallest mapped byte is above (nearly every block) holds none of
/// them and no NUL, and only the others are searched and counted. DEL and
/// the C1 lead byte are found by one vector search: two passes over the
/// bytes where there were three (a NUL search, a test of each block for
/// one-byte controls, a search for C1 lead bytes).
fn controls_unless_nul(bytes: &[u8], probe: usize) -> Option<usize> {
    let is_control = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') & (b != 0x0C);
    // The XOR puts the line feed at 0, which the subtraction wraps to
    // 0xFF; 0x00..=0x1F but the line feed end up at 0x00..=0x1E.
    let lowest = |block: &[u8]| block.iter().fold(u8::MAX, |low, &b| low.min((b ^ b'\n').wrapping_sub(1)));
    let whole = bytes.chunks_exact(SCAN_BLOCK);
    let rest = whole.remainder();
    let mut controls = 0;
    for (n, block) in whole.chain([rest]).enumerate() {
        // A whole block is tested by a loop of known length, unrolled.
        let low = if block.len() == SCAN_BLOCK { lowest(&block[..SCAN_BLOCK]) } else { lowest(block) };
        if low > 0x1E {
            continue;
        }
        let at = n * SCAN_BLOCK;
        if memchr::memchr(0, &block[..probe.saturating_sub(at).min(block.len())]).is_some() {
            return None;
        }
        controls += count_blocks(block, is_control);
    }
    let del_or_c1 = |&i: &usize| bytes[i] == 0x7F || matches!(bytes.get(i + 1), Some(0x80..=0x9F));
    Some(controls + memchr::memchr2_iter(0x7F, 0xC2, bytes).filter(del_or_c1).count())
}

/// How many of `bytes` pass `test`: in blocks with byte-wide counters,
/// which the compiler turns into vector code; 240 bytes, a multiple of the
/// vector width under 256, leave no byte of a whole block to scalar code.
fn count_blocks(bytes: &[u8], test: impl Fn(u8) -> bool) -> usize {
    bytes.chunks(240).map(|block| usize::from(block.iter().fold(0u8, |n, &b| n + u8::from(test(b))))).sum()
}

/// One Windows-1252 byte as a char. The five bytes Windows-1252 leaves
/// undefined map to the C1 controls, as in Latin-1 (and in browsers).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{2c6}',
        '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8d}', '\u{17d}', '\u{8f}', '\u{90}', '\u{2018}', '\u{2019}',
        '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}',
        '\u{153}', '\u{9d}', '\u{17e}', '\u{178}',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// A character reference's code point as HTML reads it: the Windows-1252
/// reading for 0x80..=0x9F, U+FFFD for NUL, surrogates and out-of-range
/// values.
pub(crate) fn html_char(code: u32) -> char {
    match code {
        0 => '\u{fffd}',
        0x80..=0x9F => windows_1252(code as u8),
        _ => char::from_u32(code).unwrap_or('\u{fffd}'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> (String, Encoding) {
        let d = decode(bytes.to_vec()).expect("decodes");
        (d.text, d.encoding)
    }

    #[test]
    fn utf8_strips_one_bom_only() {
        let twice = [UTF8_BOM, UTF8_BOM, b"a\r\n"].concat();
        assert_eq!(text(&twice), ("\u{feff}a\r\n".to_string(), Encoding::Utf8));
        assert_eq!(text(b"plain"), ("plain".to_string(), Encoding::Utf8));
        assert_eq!(decode(b"plain".to_vec()).map(|d| d.note), Ok(None));
    }

    #[test]
    fn windows_1252_and_latin1_fallbacks() {
        let d = decode(b"Caf\xe9 \x93quoted\x94 \x80".to_vec()).expect("decodes");
        assert_eq!(d.text, "Café “quoted” €");
        assert_eq!(d.encoding, Encoding::Windows1252);
        assert_eq!(d.note.as_deref(), Some("not valid UTF-8 at byte 3: decoded as Windows-1252"));
        let with_bom = [UTF8_BOM, b"ab\xe9"].concat();
        let d = decode(with_bom.to_vec()).expect("decodes");
        assert_eq!((d.text.as_str(), d.encoding), ("abé", Encoding::Latin1));
        assert!(d.note.unwrap_or_default().contains("byte 5"));
    }

    #[test]
    fn utf16_and_utf32_with_and_without_bom() {
        let le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("Kyiv ✓ 😀".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(text(&le), ("Kyiv ✓ 😀".to_string(), Encoding::Utf16Le));
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("Kyiv".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(text(&be), ("Kyiv".to_string(), Encoding::Utf16Be));
        let bare: Vec<u8> = "Russia and Iran".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(text(&bare), ("Russia and Iran".to_string(), Encoding::Utf16Le));
        let le32: Vec<u8> =
            [0xFF, 0xFE, 0, 0].into_iter().chain("Åland".chars().flat_map(|c| u32::from(c).to_le_bytes())).collect();
        assert_eq!(text(&le32), ("Åland".to_string(), Encoding::Utf32Le));
    }

    #[test]
    fn broken_wide_text_is_invalid() {
        let odd = [0xFF, 0xFE, b'a', 0, b'b'];
        assert_eq!(decode(odd.to_vec()), Err(DecodeError::Invalid { encoding: Encoding::Utf16Le, at: 4 }));
        let lone_low = [0xFF, 0xFE, b'a', 0, 0x00, 0xDC];
        assert_eq!(decode(lone_low.to_vec()), Err(DecodeError::Invalid { encoding: Encoding::Utf16Le, at: 4 }));
        let lone_high = [0xFF, 0xFE, 0x00, 0xD8, b'a', 0];
        assert_eq!(decode(lone_high.to_vec()), Err(DecodeError::Invalid { encoding: Encoding::Utf16Le, at: 2 }));
    }

    #[test]
    fn binary_and_unknown() {
        assert_eq!(decode(b"%PDF-1.7\n%\xe2\xe3".to_vec()), Err(DecodeError::Binary { kind: Some("PDF") }));
        assert_eq!(decode(b"abc\0def".to_vec()), Err(DecodeError::Binary { kind: None }));
        assert_eq!(decode(b"a\x01b\x02c\x03d\x04e\x05".to_vec()), Err(DecodeError::Binary { kind: None }));
        // KOI8-R Russian: every letter non-ASCII.
        let koi8 = b"\xf2\xcf\xd3\xd3\xc9\xd1 \xc9 \xe9\xd2\xc1\xce";
        assert!(matches!(decode(koi8.to_vec()), Err(DecodeError::Unknown { utf8_error_at: 0, .. })));
        // One stray control character in real text is fine.
        assert!(decode(b"Text\x1a".to_vec()).is_ok());
    }

    /// Every signature is still told by its first byte and then whole.
    #[test]
    fn every_signature_is_recognised() {
        for (sig, _) in SIGNATURES {
            for tail in [&b""[..], b"xyz", b"\0\0"] {
                let bytes = [sig, tail].concat();
                let want = SIGNATURES.iter().find(|(s, _)| bytes.starts_with(s)).map(|(_, kind)| *kind);
                assert_eq!(decode(bytes.clone()), Err(DecodeError::Binary { kind: want }), "{bytes:?}");
                // One byte short is no signature (some then fail otherwise).
                let short = decode(sig[..sig.len() - 1].to_vec());
                assert!(!matches!(short, Err(DecodeError::Binary { kind: Some(k) }) if Some(k) == want), "{sig:?}");
            }
        }
    }

    /// The block-skipping count equals a plain count of the controls,
    /// one-byte and C1, wherever they fall (first or last byte of a block,
    /// a C1 char across two blocks, or none at all) and whichever allowed
    /// controls surround them; a NUL gives `None` exactly when it is within
    /// the probe. Every byte value is tried as the odd one out.
    #[test]
    fn control_count_skips_only_blocks_without_controls() {
        let naive = |bytes: &[u8]| {
            let one = |&b: &u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F;
            let c1 = bytes.windows(2).filter(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1])).count();
            bytes.iter().filter(|b| one(b)).count() + c1
        };
        let mut x: u32 = 0x2545_F491;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        let fillers: [&[u8]; 3] = [b"plain words\n", b"tab\tand\r\nform\x0Cfeed ", b"\xC3\xA9t\xC3\xA9 \xC2\xA0"];
        let edges = [0, SCAN_BLOCK - 1, SCAN_BLOCK, 2 * SCAN_BLOCK - 1];
        for filler in fillers {
            for len in [0, 1, 239, 240, 255, 256, 257, 511, 512, 1000] {
                let base: Vec<u8> = filler.iter().copied().cycle().take(len).collect();
                assert_eq!(controls_unless_nul(&base, len), Some(naive(&base)), "{filler:?} {len}");
                for odd in 0..=255u8 {
                    let mut bytes = base.clone();
                    for _ in 0..(next() % 4) {
                        if !bytes.is_empty() {
                            let at = next() as usize % bytes.len();
                            bytes[at] = [0x01, 0x0B, 0x1F, 0x7F, b'\t', b'\r', 0x0C, 0xC2, 0x85][next() as usize % 9];
                        }
                    }
                    let n = bytes.len();
                    for at in edges.into_iter().filter(|&at| at < n) {
                        bytes[at] = if next() % 2 == 0 { odd } else { 0x1B };
                    }
                    if let Some(at) = edges.into_iter().find(|&at| at + 1 < n && next() % 3 == 0) {
                        bytes[at..at + 2].copy_from_slice(b"\xC2\x9F");
                    }
                    let probe = next() as usize % (n + 2);
                    let nul_in_probe = bytes[..probe.min(n)].contains(&0);
                    let want = (!nul_in_probe).then(|| naive(&bytes));
                    assert_eq!(controls_unless_nul(&bytes, probe), want, "{bytes:?} {probe}");
                }
            }
        }
    }
}
