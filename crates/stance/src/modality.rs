//! Modality of a cue from the markers in its clause: negated, hypothetical,
//! hedged, reported or asserted; and whether restraint flips it.

use crate::lexicon::Marker;
use dyad_core::Modality;

/// What the markers around one cue say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reading {
    pub(crate) modality: Modality,
    /// "refrained from hindering": the cue's sign is turned around.
    pub(crate) flipped: bool,
}

/// A marker found in a sentence: relative token position, length, kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    pub(crate) at: usize,
    pub(crate) len: usize,
    pub(crate) marker: Marker,
}

/// Reads the markers for a cue at relative token `cue` inside the clause
/// `clause_start..cue`. `word(k)` is the lower-case stem of token k (empty
/// past the end), `nothing(from, to)` the first token of `from..to` (within
/// the sentence) whose stem is "noth" or "nothing" (a class bit, where the
/// scan for an empty object would compare ten stems; found by one scan of
/// the range, not one test per token),
/// `len` the number of tokens.
pub(crate) fn read<'w>(
    markers: &[Found],
    word: impl Fn(usize) -> &'w str,
    nothing: impl Fn(usize, usize) -> Option<usize>,
    len: usize,
    clause_start: usize,
    cue: usize,
    verb: bool,
) -> Reading {
    let near = |f: &Found, reach: usize| f.at >= clause_start && f.at + f.len <= cue && cue - (f.at + f.len) <= reach;
    let mut negations: u32 = 0;
    let mut restraint = None;
    for f in markers {
        match f.marker {
            // "It is not obvious that Beijing objects": a new clause ends the negation.
            Marker::Negator
                if near(f, 4)
                    && !(f.at + f.len..cue).any(|k| matches!(word(k), "that" | "whether" | "which" | "who")) =>
            {
                let next = word(f.at + f.len);
                // "not only ... but also": no negation.
                if matches!(next, "onli" | "just" | "mere" | "mereli" | "simpli") {
                    continue;
                }
                let w = word(f.at);
                if matches!(w, "no" | "without") && cue - (f.at + f.len) > 2 {
                    continue;
                }
                negations += 1;
            }
            Marker::Restraint if near(f, 4) => restraint = Some(f.at),
            _ => {}
        }
    }
    if let Some(r) = restraint {
        // "did not refrain from attacking": the negation undoes the restraint.
        let undone = markers.iter().any(|f| f.marker == Marker::Negator && f.at < r && r - (f.at + f.len) <= 2);
        if undone {
            negations = negations.saturating_sub(1);
        } else {
            return Reading { modality: Modality::Asserted, flipped: true };
        }
    }
    // "offered Riyadh almost nothing": an empty object denies the cue.
    let window = len.saturating_sub(cue + 1).min(10);
    // Only for a verb, and the word after "nothing" only after it.
    let empty_object = || {
        let (first, end) = (cue + 1, cue + 1 + window);
        let mut from = first;
        while let Some(k) = nothing(from, end) {
            let next = if k + 1 < end { word(k + 1) } else { "" };
            if !matches!(next, "short" | "but" | "less" | "more" | "els" | "new") {
                return true;
            }
            from = k + 1;
        }
        false
    };
    if verb && empty_object() {
        negations += 1;
    }
    if negations % 2 == 1 {
        return Reading { modality: Modality::Negated, flipped: false };
    }
    // "The Houthis said they would target ships": reported, not imagined.
    let reported_before = |at: usize| markers.iter().any(|r| r.marker == Marker::Report && r.at < at);
    let hypothetical = markers.iter().any(|f| {
        f.marker == Marker::Condition
            && f.at >= clause_start
            && f.at < cue
            && !concessive(&word, f)
            && !(matches!(word(f.at), "would" | "will") && reported_before(f.at))
            && {
                let w = word(f.at);
                // "any" and "would" bind tightly; "if" and "risks" govern the clause.
                !matches!(w, "ani" | "would" | "potenti" | "possibl") || cue - (f.at + f.len) <= 4
            }
    });
    // "would defend Taiwan if China attacked": a condition after the cue
    // with a conditional before it.
    let conditional_before = markers.iter().any(|f| {
        f.marker == Marker::Condition && f.at >= clause_start && f.at < cue && matches!(word(f.at), "would" | "could")
    });
    let condition_after = markers.iter().any(|f| {
        f.marker == Marker::Condition && f.at > cue && f.at <= cue + 8 && matches!(word(f.at), "if" | "unless")
    });
    if hypothetical || (conditional_before && condition_after) {
        return Reading { modality: Modality::Hypothetical, flipped: false };
    }
    if markers.iter().any(|f| f.marker == Marker::Hedge && near(f, 6)) {
        return Reading { modality: Modality::Hedged, flipped: false };
    }
    // A report marker before the cue frames it ("X said that Y attacked Z");
    // after it, only a trailing attribution does ("..., officials said").
    let frames = |f: &Found| {
        if f.at < cue {
            return true;
        }
        let saying = matches!(word(f.at), "said" | "say" | "told" | "accord" | "ad" | "insist");
        saying && (cue..f.at).any(|k| word(k).is_empty()) && {
            let comma = (cue..f.at).rev().find(|&k| word(k).is_empty()).unwrap_or(cue);
            f.at - comma <= 4
        }
    };
    if markers.iter().any(|f| f.marker == Marker::Report && frames(f)) {
        return Reading { modality: Modality::Reported, flipped: false };
    }
    Reading { modality: Modality::Asserted, flipped: false }
}

/// ", if sometimes understated,": a concessive "if", not a condition.
fn concessive<'a>(word: &impl Fn(usize) -> &'a str, f: &Found) -> bool {
    let w = word(f.at);
    let before = f.at.checked_sub(1).map_or("", word);
    let after = word(f.at + 1);
    w == "if"
        && before.is_empty()
        && (matches!(after, "not" | "sometim" | "onli" | "perhap" | "often" | "somewhat" | "less" | "more")
            || after.ends_with("li"))
}

/// How much of a cue's score each modality keeps.
pub(crate) fn weight(m: Modality) -> f32 {
    match m {
        Modality::Asserted => 1.0,
        Modality::Reported => 0.8,
        Modality::Hedged => 0.5,
        Modality::Hypothetical => 0.3,
        Modality::Negated => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The empty-object test found by a scan for the next "nothing" gives
    /// what testing every token of the window does, for every cue position
    /// of sentences with "nothing" at the window's edges, next to the words
    /// that undo it, and past the ten-token reach.
    #[test]
    fn empty_object_by_scan_agrees_with_a_test_per_token() {
        let sentences: [&[&str]; 5] = [
            &["they", "offer", "riyadh", "almost", "noth"],
            &["noth", "short", "of", "noth", "but", "noth", "new", "noth"],
            &["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "noth", "x"],
            &["nothing", "els", "noth", "less", "noth", "more", "noth", "x", "noth"],
            &["no", "object", "here", "at", "all"],
        ];
        let mut negated = 0;
        for words in sentences {
            let len = words.len();
            let word = |k: usize| words.get(k).copied().unwrap_or("");
            let is_nothing = |k: usize| matches!(word(k), "noth" | "nothing");
            let nothing = |from: usize, to: usize| (from..to.min(len)).find(|&k| is_nothing(k));
            for cue in 0..len {
                let window = len.saturating_sub(cue + 1).min(10);
                let expected = (0..window).any(|i| {
                    is_nothing(cue + 1 + i) && {
                        let next = if i + 1 < window { word(cue + 2 + i) } else { "" };
                        !matches!(next, "short" | "but" | "less" | "more" | "els" | "new")
                    }
                });
                let reading = read(&[], word, nothing, len, 0, cue, true);
                assert_eq!(reading.modality == Modality::Negated, expected, "{words:?} at {cue}");
                negated += usize::from(expected);
            }
        }
        assert!(negated >= 10, "{negated}");
    }
}
