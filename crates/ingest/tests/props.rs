//! Property tests: `load_bytes` never panics on any bytes in any format;
//! `parse_article` never panics, keeps the text as given,
//! and returns zones in bounds, on char boundaries, sorted and
//! non-overlapping, for arbitrary text and for text built from the pieces
//! the heuristics look for.

use dyad_ingest::parse_article;
use proptest::prelude::*;

/// Fragments that trigger every recogniser, mixed with arbitrary text.
fn article_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("# Title\n".to_string()),
        Just("Title Line\n".to_string()),
        Just("===\n".to_string()),
        Just("---\n".to_string()),
        Just("title: \"T\"\n".to_string()),
        Just("author: Jane Doe\n".to_string()),
        Just("By Jane Doe and John Roe | March 3, 2024\n".to_string()),
        Just("*By Jane Doe*\r\n".to_string()),
        Just("Updated: Tuesday, 5 March 2024\n".to_string()),
        Just("WASHINGTON, March 3 (Meridian Wire) \u{2014} The US said.\n".to_string()),
        Just("Jane Doe is a senior fellow at the Meridian Institute.\n".to_string()),
        Just("She previously taught.\n".to_string()),
        Just("## About the author\n".to_string()),
        Just("The views expressed are those of the author.\n".to_string()),
        Just("Image credit: Wikimedia Commons".to_string()),
        Just("Photo: Tehran.\n".to_string()),
        Just("![alt](x.png)\n".to_string()),
        Just("Source: X\n".to_string()),
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("\u{feff}".to_string()),
        Just("Russia\u{2019}s \u{e9}l\u{e8}ve \u{1f600} \u{2014} ".to_string()),
        ".{0,40}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

fn check_invariants(text: String) -> Result<(), TestCaseError> {
    let doc = parse_article("p.txt", "corpus/p.txt", text.clone());
    prop_assert_eq!(&doc.text, &text);
    let mut prev_end = 0usize;
    for zone in &doc.boilerplate {
        let (start, end) = (zone.span.start as usize, zone.span.end as usize);
        prop_assert!(prev_end <= start, "sorted, non-overlapping: {:?}", doc.boilerplate);
        prop_assert!(start < end && end <= text.len(), "in bounds, non-empty: {:?}", zone);
        prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "char boundaries: {:?}", zone);
        prev_end = end;
    }
    if let Some(date) = &doc.meta.published {
        prop_assert!(matches!(date.len(), 4 | 7 | 10), "ISO date: {}", date);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text(text in any::<String>()) {
        check_invariants(text)?;
    }

    #[test]
    fn article_shaped_text(text in article_like()) {
        check_invariants(text)?;
    }
}

/// Bytes shaped like the formats `load` reads, mixed with noise: HTML
/// tags and entities, JSON lines, BOMs, invalid UTF-8, NULs.
fn file_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"<p>".to_vec()),
        Just(b"</p>".to_vec()),
        Just(b"<article>".to_vec()),
        Just(b"<nav>".to_vec()),
        Just(b"<script>".to_vec()),
        Just(b"</script>".to_vec()),
        Just(b"<!--".to_vec()),
        Just(b"<br/>".to_vec()),
        Just(b"<meta name=\"author\" content=\"Jane &amp; Doe\">".to_vec()),
        Just(b"&#x1F600;&eacute;&bogus;&".to_vec()),
        Just(b"{\"id\":\"a\",\"text\":\"Russia backed Iran.\"}\n".to_vec()),
        Just(b"{\"text\":".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just(b"\xFE\xFF".to_vec()),
        Just(b"\x00".to_vec()),
        Just(b"\xe9\x93\x94".to_vec()),
        Just("Russia\u{2019}s \u{1f600} \u{2014} ".as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..24),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

fn check_load(ext: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let source = dyad_ingest::Source {
        path: format!("in/f.{ext}").into(),
        display: format!("in/f.{ext}"),
        id: format!("f.{ext}"),
    };
    let loaded = dyad_ingest::load_bytes(&source, ext, bytes, &dyad_ingest::IngestConfig::default());
    prop_assert_eq!(loaded.failure.is_some(), loaded.documents.is_empty() && loaded.rejected.is_empty());
    for doc in &loaded.documents {
        prop_assert!(!doc.text.trim().is_empty());
        for zone in &doc.boilerplate {
            let (start, end) = (zone.span.start as usize, zone.span.end as usize);
            prop_assert!(end <= doc.text.len() && doc.text.is_char_boundary(start) && doc.text.is_char_boundary(end));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn load_never_panics(bytes in file_like(), ext in prop::sample::select(vec!["txt", "md", "html", "jsonl"])) {
        check_load(ext, &bytes)?;
    }
}
