//! Property tests: for any input, both backends keep the offset and
//! coverage invariants, never panic, and agree with each other.

mod common;

use dyad_tokenize::{Backend, Tokenizer};
use proptest::prelude::*;

/// Strings built from the characters and fragments the rules care about.
fn tricky() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("a"),
        Just("s"),
        Just("S"),
        Just("U"),
        Just("Hamas"),
        Just("Mr"),
        Just("etc"),
        Just("The"),
        Just("é"),
        Just("Ж"),
        Just("ب"),
        Just("7"),
        Just("12"),
        Just("."),
        Just(".."),
        Just(","),
        Just(":"),
        Just("'"),
        Just("’"),
        Just("‘"),
        Just("\""),
        Just("”"),
        Just("("),
        Just(")"),
        Just("-"),
        Just("—"),
        Just("?"),
        Just("!"),
        Just("…"),
        Just(" "),
        Just("  "),
        Just("\n"),
        Just("\r\n"),
        Just("\u{a0}"),
        Just("\u{2028}"),
        Just("\u{301}"),
        Just("\u{200d}"),
        Just("\u{0}"),
        Just("😀"),
        Just("€"),
    ];
    proptest::collection::vec(piece, 0..48).prop_map(|pieces| pieces.concat())
}

/// Short strings over the few characters the token rules branch on, so
/// that every rule (abbreviation, number, contraction, clitic, run) is hit
/// in many combinations.
fn dense() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("a"),
        Just("s"),
        Just("S"),
        Just("U"),
        Just("1"),
        Just("."),
        Just(","),
        Just("'"),
        Just("’"),
        Just("‘"),
        Just(" "),
        Just("\n"),
        Just("\u{301}"),
    ];
    proptest::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
}

fn check_both(text: &str) -> Result<(), TestCaseError> {
    let fast = Tokenizer::new(Backend::Fast).tokenize(text);
    let hf = Tokenizer::new(Backend::HuggingFace).tokenize(text);
    common::check_invariants(text, &fast).map_err(|e| TestCaseError::fail(format!("fast: {e}")))?;
    common::check_invariants(text, &hf).map_err(|e| TestCaseError::fail(format!("huggingface: {e}")))?;
    prop_assert_eq!(common::render(text, &fast), common::render(text, &hf));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn tricky_strings(text in tricky()) {
        check_both(&text)?;
    }

    #[test]
    fn dense_strings(text in dense()) {
        check_both(&text)?;
    }

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        check_both(&text)?;
    }

    #[test]
    fn arbitrary_chars(chars in proptest::collection::vec(any::<char>(), 0..64)) {
        let text: String = chars.into_iter().collect();
        check_both(&text)?;
    }
}

#[test]
fn huge_line_without_spaces() {
    let text = "U.S.’s-Hamas’..e.g.1,000:3’x\u{301}😀".repeat(20_000);
    let out = Tokenizer::new(Backend::Fast).tokenize(&text);
    common::check_invariants(&text, &out).expect("fast invariants");
    assert_eq!(out.sentences.len(), 1);
    let hf = Tokenizer::new(Backend::HuggingFace).tokenize(&text);
    assert_eq!(out, hf);
}
