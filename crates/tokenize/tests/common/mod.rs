//! Helpers shared by the integration tests: rendering and invariant checks.

#![allow(dead_code)]

use dyad_core::Tokenized;
use dyad_tokenize::{Backend, Tokenizer};

/// Tokenizes `text` with both backends, asserts they agree, and returns the
/// fast backend's output.
pub fn both(text: &str) -> Tokenized {
    let fast = Tokenizer::new(Backend::Fast).tokenize(text);
    let hf = Tokenizer::new(Backend::HuggingFace).tokenize(text);
    assert_eq!(render(text, &fast), render(text, &hf), "backends disagree on {text:?}");
    assert_eq!(fast, hf);
    fast
}

/// One line per sentence (`S<i> start..end`), then one per token
/// (`start..end Kind "text"`), indented under its sentence.
pub fn render(text: &str, out: &Tokenized) -> String {
    let mut s = String::new();
    for (i, sentence) in out.sentences.iter().enumerate() {
        s.push_str(&format!("S{i} {}..{}\n", sentence.span.start, sentence.span.end));
        for t in out.sentence_tokens(i) {
            s.push_str(&format!("  {}..{} {:?} {:?}\n", t.span.start, t.span.end, t.kind, t.text(text)));
        }
    }
    s
}

/// Sentences as text, one a line.
pub fn sentence_texts<'a>(text: &'a str, out: &Tokenized) -> Vec<&'a str> {
    out.sentences.iter().map(|s| s.span.slice(text)).collect()
}

/// The offset and coverage invariants every output must satisfy.
pub fn check_invariants(text: &str, out: &Tokenized) -> Result<(), String> {
    let mut prev_end = 0usize;
    for (i, t) in out.tokens.iter().enumerate() {
        let (start, end) = (t.span.start as usize, t.span.end as usize);
        if start >= end {
            return Err(format!("token {i} empty or reversed: {start}..{end}"));
        }
        if start < prev_end {
            return Err(format!("token {i} at {start} overlaps or precedes the previous end {prev_end}"));
        }
        let Some(slice) = text.get(start..end) else {
            return Err(format!("token {i} {start}..{end} out of bounds or off a char boundary"));
        };
        if slice.chars().any(char::is_whitespace) {
            return Err(format!("token {i} {slice:?} holds whitespace"));
        }
        // Both ends were checked as char boundaries above.
        let gap = &text[prev_end..start];
        if !gap.chars().all(char::is_whitespace) {
            return Err(format!("non-space text {gap:?} before token {i} is in no token"));
        }
        prev_end = end;
    }
    if !text[prev_end..].chars().all(char::is_whitespace) {
        return Err("non-space text after the last token".to_string());
    }
    let mut next_token = 0u32;
    for (i, s) in out.sentences.iter().enumerate() {
        if s.first_token != next_token || s.end_token <= s.first_token {
            return Err(format!(
                "sentence {i} covers {}..{}, expected to start at {next_token}",
                s.first_token, s.end_token
            ));
        }
        let first = out.tokens[s.first_token as usize];
        let last = out.tokens[s.end_token as usize - 1];
        if s.span.start != first.span.start || s.span.end != last.span.end {
            return Err(format!("sentence {i} span {:?} does not run from its first to its last token", s.span));
        }
        next_token = s.end_token;
    }
    if next_token as usize != out.tokens.len() {
        return Err(format!("sentences cover {next_token} of {} tokens", out.tokens.len()));
    }
    Ok(())
}
