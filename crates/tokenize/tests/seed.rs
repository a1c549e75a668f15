//! The seed article: both backends give the same 45 sentences, and the
//! tricky boundaries fall where a reader puts them.

mod common;

use std::path::PathBuf;

const SEED: &str = "haniyeh-russia-iran-israel.txt";

/// The seed article, from the corpus or from `../shared/seed` next to the
/// repository.
fn seed_text() -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let candidates = [root.join("corpus/dev").join(SEED), root.join("../shared/seed").join(SEED)];
    for path in &candidates {
        if path.is_file() {
            return std::fs::read_to_string(path).expect("seed article is UTF-8");
        }
    }
    panic!("seed article not found in {candidates:?}");
}

#[test]
fn seed_article_sentences() {
    let text = seed_text();
    let out = common::both(&text);
    common::check_invariants(&text, &out).expect("invariants hold");
    let sentences = common::sentence_texts(&text, &out);
    assert_eq!(sentences.len(), 45);

    assert!(sentences[0].starts_with("The alleged Israeli assassination of Hamas’s political leader"));
    assert!(sentences[0].ends_with("dynamics at play in the region."));
    assert_eq!(sentences[1].split_whitespace().last(), Some("Russia."));
    assert!(sentences[2].starts_with("Russia’s role in the Iran-Israel conflict"));
    // The doubled period ends a sentence before an upper-case word.
    assert!(sentences[15].ends_with("understand Iran’s geopolitical moves.."));
    assert!(sentences[16].starts_with("Years of sanctions and international isolation"));
    // An em-dash without spaces does not end anything.
    assert!(sentences[26].contains("a war with Israel—a conflict Iran is ill prepared for"));
    // The author bio, disclaimer and credit lines are sentences of their own.
    assert_eq!(sentences[42], "Nima Khorrami is a research associate at the Arctic Institute.");
    assert!(sentences[43].starts_with("The views expressed are those of the author"));
    assert_eq!(sentences[44], "Image credit: Khamenei.ir, via Wikimedia Commons");

    // Every sentence but the credit line ends in a period, and every one
    // starts at a line start or right after ". ".
    for (i, s) in out.sentences.iter().enumerate() {
        let start = s.span.start as usize;
        let before = &text[..start];
        assert!(before.is_empty() || before.ends_with('\n') || before.ends_with(". "), "sentence {i}");
        assert!(i == 44 || sentences[i].ends_with('.'), "sentence {i}");
    }
}

#[test]
fn seed_article_tokens() {
    let text = seed_text();
    let out = common::both(&text);
    let words: Vec<&str> = out.tokens.iter().map(|t| t.text(&text)).collect();
    let find = |needle: &[&str]| words.windows(needle.len()).any(|w| w == needle);
    assert!(find(&["of", "Hamas", "’s", "political"]));
    assert!(find(&["the", "Iran", "-", "Israel", "conflict"]));
    assert!(find(&["Bashar", "al", "-", "Assad", "regime", "’s"]));
    assert!(find(&["Israeli", "-", "Russian", "relations"]));
    assert!(find(&["Israel", "—", "a", "conflict"]));
    assert!(find(&["non", "-", "Iranian"]));
    assert!(find(&["moves", "..", "Years"]));
    assert!(find(&["Khamenei", ".", "ir", ","]));
}
