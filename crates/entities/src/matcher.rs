//! Longest-match lookup of dictionary names over tokens, with the case rules
//! of `seeds/README.md`.

use crate::dict::{Pattern, Target};
use dyad_core::hash::FnvHashMap;

/// A name pattern, indexed under its first word.
#[derive(Debug)]
pub(crate) struct Entry {
    /// The words as written in the dictionary.
    pub(crate) words: Box<[Box<str>]>,
    pub(crate) target: Target,
}

/// Patterns grouped by their folded first word, longest first.
#[derive(Debug, Default)]
pub(crate) struct Index {
    by_first: FnvHashMap<Box<str>, Vec<Entry>>,
    /// Folded first words of entries whose first word starts lower-case.
    lowercase_firsts: std::collections::HashSet<Box<str>, dyad_core::hash::FnvBuildHasher>,
}

impl Index {
    pub(crate) fn build(patterns: Vec<Pattern>) -> Index {
        let mut by_first: FnvHashMap<Box<str>, Vec<Entry>> = FnvHashMap::default();
        let mut key = String::new();
        for p in patterns {
            let Some(first) = p.words.first() else { continue };
            fold_into(first, &mut key);
            if key.is_empty() {
                continue;
            }
            let entry = Entry { words: p.words.into_iter().map(String::into_boxed_str).collect(), target: p.target };
            by_first.entry(key.as_str().into()).or_default().push(entry);
        }
        for entries in by_first.values_mut() {
            // Longest first; among equals, blocks, then actors' names, then
            // persons' surnames, each in file order.
            entries.sort_by_key(|e| {
                let rank = match e.target {
                    Target::Block => 0,
                    Target::Actor(..) => 1,
                    Target::Surname { .. } => 2,
                };
                (std::cmp::Reverse(e.words.len()), rank)
            });
        }
        let lowercase_firsts = by_first
            .iter()
            .filter(|(_, entries)| {
                entries.iter().any(|e| e.words.first().and_then(|w| w.chars().next()).is_some_and(char::is_lowercase))
            })
            .map(|(k, _)| k.clone())
            .collect();
        Index { by_first, lowercase_firsts }
    }

    /// Can a text word starting with a lower-case letter begin any entry?
    /// Only entries whose first dictionary word starts lower-case ("al-Assad")
    /// match one, so most words of running text are ruled out without a
    /// lookup.
    pub(crate) fn lowercase_may_start(&self, folded_first: &str) -> bool {
        self.lowercase_firsts.contains(folded_first)
    }

    pub(crate) fn candidates(&self, folded_first: &str) -> &[Entry] {
        self.by_first.get(folded_first).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Lower-cases `word`, maps the curly apostrophe to `'` and drops periods,
/// so "U.S." and "US" share a key. Reuses `out`'s allocation.
pub(crate) fn fold_into(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        match c {
            '.' => {}
            '\u{2019}' | '\u{2018}' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// The letters and digits of a word, apostrophes folded, periods dropped.
fn significant(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars().filter(|c| *c != '.').map(|c| if c == '\u{2019}' || c == '\u{2018}' { '\'' } else { c })
}

/// Does the text word `text` match the dictionary word `dict` under the case
/// rules: as written; a lower-case initial may be capitalised; a text word
/// in capitals matches any case. Periods and apostrophe shapes are ignored.
pub(crate) fn word_matches(text: &str, dict: &str) -> bool {
    if text == dict || significant(text).eq(significant(dict)) {
        return true;
    }
    let mut t = significant(text);
    let mut d = significant(dict);
    // A capitalised first letter of a dictionary word that starts lower-case.
    if let (Some(tc), Some(dc)) = (t.next(), d.next())
        && dc.is_lowercase()
        && tc.is_uppercase()
        && tc.to_lowercase().eq(std::iter::once(dc))
        && t.eq(d)
    {
        return true;
    }
    // A headline in capitals.
    // Short capitalised words are abbreviations ("UN" is not "Un").
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 4 && !text.chars().any(char::is_lowercase) {
        return significant(text).flat_map(char::to_lowercase).eq(significant(dict).flat_map(char::to_lowercase));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_rules() {
        assert!(word_matches("Iran", "Iran"));
        assert!(!word_matches("iran", "Iran"), "a lower-case text word needs a lower-case dictionary word");
        assert!(word_matches("Al", "al"));
        assert!(!word_matches("us", "US"));
        assert!(word_matches("U.S.", "US"));
        assert!(word_matches("US", "U.S."));
        assert!(word_matches("RUSSIA", "Russia"));
        assert!(!word_matches("RUSSIA", "Iran"));
        assert!(word_matches("Russia’s", "Russia's"));
        assert!(!word_matches("IRAN", "Iraq"));
        assert!(!word_matches("UN", "Un"), "a short word in capitals is an abbreviation");
    }

    #[test]
    fn fold_shares_keys() {
        let mut a = String::new();
        let mut b = String::new();
        fold_into("U.S.", &mut a);
        fold_into("us", &mut b);
        assert_eq!(a, b);
        fold_into("Côte", &mut a);
        assert_eq!(a, "côte");
    }
}
