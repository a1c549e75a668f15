//! Recognisers for the lines and paragraphs around an article's analysis:
//! bylines, date lines, news datelines, credits, disclaimers, author bios,
//! and the Markdown shapes (headings, rules, lists, images) that delimit
//! them. Each takes the text of one unit and never fails.

use crate::dates::{Date, MONTHS, WEEKDAYS, find_date, is_weekday, month_of, parse_date};
use crate::names::{leading_name, lower_is, parse_name, surname};
use crate::text::{
    ends_sentence, has_any_word_ci, has_newline, is_space, lower_ascii, starts_ci, starts_ci_folded, strip_ci,
    strip_word_ci, words, words_iter,
};
use dyad_core::words::ShortTable;
use memchr::memmem::Finder;
use std::sync::LazyLock;

/// `# Title` (levels 1 to 6, up to three spaces of indentation): the
/// heading's text, closing `#`s removed.
pub(crate) fn atx_heading(line: &str) -> Option<&str> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let hashes = t.len() - t.trim_start_matches('#').len();
    let rest = &t[hashes..];
    if !(1..=6).contains(&hashes) || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some(rest.trim_matches(is_space).trim_end_matches('#').trim_end_matches(is_space))
}

/// A thematic break or setext underline (`---`, `***`, `===`, `* * *`), or
/// a line of symbols only ("■"): separators, never content.
pub(crate) fn is_separator(s: &str) -> bool {
    // The letter test first: it ends at the first char of nearly every line.
    !s.chars().any(char::is_alphanumeric) && !s.trim().is_empty()
}

/// True when a trimmed line opens with an ASCII letter, as nearly every
/// line of prose does: then it is no ATX heading (its first char after
/// the indentation is no `#`), separator (it holds a letter), image line
/// or list item, and those tests need not run.
pub(crate) fn opens_with_letter(t: &str) -> bool {
    t.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
}

/// A setext heading underline: `===` or `---` (at least three).
pub(crate) fn is_setext_underline(s: &str) -> bool {
    let t = s.trim();
    t.len() >= 3 && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'))
}

/// `- item`, `* item`, `+ item`, `1. item`, `1) item`.
pub(crate) fn is_list_item(s: &str) -> bool {
    let t = s.trim_start();
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
        return true;
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits) && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "))
}

/// A line that is only a Markdown image (possibly inside a link).
pub(crate) fn is_image_line(s: &str) -> bool {
    let t = s.trim();
    (t.starts_with("![") || t.starts_with("[![")) && t.ends_with(')') && !has_newline(t)
}

// ---------------------------------------------------------------- bylines

/// What a byline gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Byline {
    pub authors: Vec<String>,
    pub date: Option<Date>,
}

const BYLINE_LEADS: &[&str] = &[
    "written by",
    "words by",
    "reporting by",
    "reported by",
    "text by",
    "story by",
    "authored by",
    "interview by",
    "interviewed by",
    "compiled by",
    "authors:",
    "author:",
    "by:",
    "by",
];

/// "By Jane Doe", "By Jane Doe and John Roe | March 3, 2024", "Author: X",
/// "Written by X", "*By X*", "Reporting by X; Editing by Y".
pub(crate) fn byline(unit: &str) -> Option<Byline> {
    byline_undecorated(undecorated(unit))
}

/// [`byline`] of a unit already [`undecorated`].
fn byline_undecorated(s: &str) -> Option<Byline> {
    if s.len() > 300 || has_newline(s) {
        return None;
    }
    byline_of_line(s)
}

/// [`byline_undecorated`] of one line (no line feed to look for).
fn byline_of_line(s: &str) -> Option<Byline> {
    if s.len() > 300 {
        return None;
    }
    // "(Reporting by Jane Doe; editing by John Roe)"
    let s = s.strip_prefix('(').and_then(|s| s.strip_suffix(')')).unwrap_or(s);
    if !BYLINE_OPENERS.may_open(s) {
        return None;
    }
    let rest = BYLINE_LEADS
        .iter()
        .find_map(|lead| if lead.ends_with(':') { strip_ci(s, lead) } else { strip_word_ci(s, lead) })?;
    let rest = rest.trim_start_matches(|c: char| c == ':' || is_space(c));
    let authors = name_list(rest)?;
    Some(Byline { authors, date: find_date(rest) })
}

/// Names separated by commas, semicolons, `&` or "and", up to the first
/// piece that is not a name or a hard separator (`|`, dashes, bullets,
/// brackets). The first piece must be a name.
pub(crate) fn name_list(s: &str) -> Option<Vec<String>> {
    let cut = s
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '|' | '\u{2014}' | '\u{2013}' | '\u{2022}' | '\u{00b7}' | '(' | '[' | '/' | '\n')
                || (*c == '-' && s[i + 1..].starts_with(' ') && s[..*i].ends_with(' '))
        })
        .map_or(s.len(), |(i, _)| i);
    let mut names = Vec::new();
    for piece in s[..cut].split([',', ';', '&']).flat_map(split_and) {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        if let Some(name) = parse_name(piece) {
            names.push(name);
            continue;
        }
        // "Jane Doe March 3, 2024": a name running into a date.
        if let Some((name, end)) = leading_name(piece)
            && parse_date(piece[end..].trim_start()).is_some()
        {
            names.push(name);
        }
        break;
    }
    (!names.is_empty()).then_some(names)
}

/// Splits on the word "and" (any case).
fn split_and(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    for (at, w) in words(s) {
        if w.eq_ignore_ascii_case("and") {
            out.push(&s[from..at]);
            from = at + w.len();
        }
    }
    out.push(&s[from..]);
    out
}

/// A byline without "By": a line that is only names and a date ("Jane
/// Doe | March 3, 2024", "Jane Doe, 3 March 2024"), or only names when the
/// next line is a date line (`next_is_date`). Only trusted at the top.
pub(crate) fn bare_byline(unit: &str, next_is_date: bool) -> Option<Byline> {
    let s = undecorated(unit);
    if s.len() > 120 || has_newline(s) {
        return None;
    }
    let authors = name_list(s)?;
    let date = find_date(s);
    let names_only = authors.len() == 1 && parse_name(s).is_some();
    (date.is_some() || (next_is_date && names_only)).then_some(Byline { authors, date })
}

// ------------------------------------------------------------------ dates

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DateLabel {
    Published,
    Updated,
}

const DATE_LABELS: &[(&str, DateLabel)] = &[
    ("last updated", DateLabel::Updated),
    ("last modified", DateLabel::Updated),
    ("updated on", DateLabel::Updated),
    ("updated", DateLabel::Updated),
    ("first published on", DateLabel::Published),
    ("first published", DateLabel::Published),
    ("originally published on", DateLabel::Published),
    ("originally published", DateLabel::Published),
    ("published on", DateLabel::Published),
    ("published", DateLabel::Published),
    ("posted on", DateLabel::Published),
    ("posted", DateLabel::Published),
    ("dated", DateLabel::Published),
    ("date", DateLabel::Published),
];

/// A line that is a date: "March 3, 2024", "Tuesday, 3 March 2024 10:30
/// GMT", "2024-03-03", "Published: ...", "Updated ...".
pub(crate) fn date_line(unit: &str) -> Option<(Date, DateLabel)> {
    date_line_undecorated(undecorated(unit))
}

/// [`date_line`] of a unit already [`undecorated`].
fn date_line_undecorated(s: &str) -> Option<(Date, DateLabel)> {
    if s.len() > 200 || has_newline(s) {
        return None;
    }
    date_of_line(s)
}

/// [`date_line_undecorated`] of one line (no line feed to look for).
fn date_of_line(s: &str) -> Option<(Date, DateLabel)> {
    if s.len() > 200 {
        return None;
    }
    let labelled = if DATE_LABEL_OPENERS.may_open(s) {
        DATE_LABELS.iter().find_map(|(word, label)| strip_word_ci(s, word).map(|r| (Some(*label), r)))
    } else {
        None
    };
    let (label, rest) = labelled.unwrap_or((None, s));
    let rest = rest.trim_start_matches(|c: char| c == ':' || is_space(c));
    let rest = skip_weekday(rest);
    let (date, len) = parse_date(rest)?;
    let tail = rest[len..].trim_start_matches(is_space);
    let tail_ok = label.is_some()
        || tail.is_empty()
        || tail.starts_with(['|', '\u{00b7}', '\u{2022}', '\u{2014}', '\u{2013}', '-', ',', '/', '('])
        || tail.starts_with(|c: char| c.is_ascii_digit())
        || strip_word_ci(tail, "at").is_some();
    tail_ok.then_some((date, label.unwrap_or(DateLabel::Published)))
}

/// "Tuesday, " / "Tue " at the start, if any.
fn skip_weekday(s: &str) -> &str {
    let word_len = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if word_len == 0 || !is_weekday(&s[..word_len]) {
        return s;
    }
    let rest = s[word_len..].strip_prefix('.').unwrap_or(&s[word_len..]);
    rest.trim_start_matches(|c: char| c == ',' || is_space(c))
}

/// A news dateline opening a paragraph: "WASHINGTON, March 3 (Agency) —",
/// "TEL AVIV (Agency) -", "BEIRUT, Lebanon —". Returns the byte length of
/// the dateline, dash included, and the date when it gives a year.
pub(crate) fn news_dateline(unit: &str) -> Option<(usize, Option<Date>)> {
    let (dash_at, dash_len) = dateline_dash(unit)?;
    let head = unit[..dash_at].trim_end();
    let after = &unit[dash_at + dash_len..];
    if head.is_empty() || has_newline(head) || !after.starts_with(is_space) || after.trim().is_empty() {
        return None;
    }
    let place_end = head.find([',', '(']).unwrap_or(head.len());
    let place = head[..place_end].trim();
    let place_words = words(place);
    let place_ok = !place_words.is_empty()
        && place_words.len() <= 4
        && place_words.iter().all(|(_, w)| {
            w.starts_with(char::is_uppercase) && w.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\''))
        });
    if !place_ok {
        return None;
    }
    let shouting = place.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !place.chars().any(char::is_lowercase);
    let agency =
        head.ends_with(')') && head.rfind('(').is_some_and(|open| head[open + 1..].starts_with(char::is_uppercase));
    let ws = words(head);
    let month_day = ws
        .windows(2)
        .any(|w| month_of(w[0].1.trim_end_matches('.')).is_some() && w[1].1.starts_with(|c: char| c.is_ascii_digit()));
    // The middle must be short place or date parts, not a clause.
    let middle_ok = head[place_end..].split(',').all(|part| {
        part.len() <= 40 && !part.contains(['.', ';', ':', '!', '?']) || part.trim_start().starts_with('(')
    });
    (middle_ok && (shouting || agency || month_day)).then(|| (dash_at + dash_len, find_date(head)))
}

/// The first dash that starts in the first 120 bytes of `unit`: an em or
/// en dash (E2 80 94, E2 80 93), `--`, or a `-` between spaces; its byte
/// offset and length. Found with memchr on `-` and the dashes' lead byte,
/// not char by char.
fn dateline_dash(unit: &str) -> Option<(usize, usize)> {
    let bytes = unit.as_bytes();
    memchr::memchr2_iter(b'-', 0xE2, &bytes[..bytes.len().min(120)]).find_map(|i| match bytes[i] {
        b'-' if bytes.get(i + 1) == Some(&b'-') => Some((i, 2)),
        b'-' if i > 0 && bytes[i - 1] == b' ' && bytes.get(i + 1) == Some(&b' ') => Some((i, 1)),
        0xE2 if matches!(bytes.get(i + 1..i + 3), Some([0x80, 0x93 | 0x94])) => Some((i, 3)),
        _ => None,
    })
}

// ---------------------------------------------------------------- credits

const CREDIT_LEADS: &[&str] = &[
    "image credit",
    "photo credit",
    "picture credit",
    "photo courtesy",
    "image courtesy",
    "photo:",
    "photos:",
    "image:",
    "images:",
    "picture:",
    "photograph:",
    "illustration:",
    "credit:",
    "credits:",
    "(photo",
    "(image",
    "(illustration",
    "(credit",
    "photo by",
    "photos by",
    "photograph by",
    "illustration by",
    "photo illustration",
    "cover photo",
    "cover image",
    "featured image",
    "feature image",
    "header image",
    "hero image",
    "lead image",
    "main image",
    "top image",
];

/// Credit leads that cannot open a sentence of analysis: safe to zone
/// even in the middle of the body.
fn is_strict_credit_lead(lead: &str) -> bool {
    lead.ends_with(':') || lead.starts_with('(') || lead.contains("credit") || lead.contains("courtesy")
}

/// An image or photo credit or caption line. `last`: the unit ends the
/// article, where "Source: ..." is a credit too. `strict`: only leads that
/// are unmistakable anywhere.
pub(crate) fn credit(unit: &str, last: bool, strict: bool) -> bool {
    let s = undecorated(unit);
    if is_image_line(unit) {
        return true;
    }
    let by_lead = may_open_with_lead(s)
        && CREDITS.any_candidate(Prefix::of_text(s), |lead| {
            let Some(rest) = strip_ci(s, lead) else {
                return false;
            };
            if is_strict_credit_lead(lead) {
                return true;
            }
            // "Photo by Jane Doe", "Featured image: ..." but not "Photo by
            // photo, the investigators ...".
            let rest = rest.trim_start_matches(is_space);
            !strict && (rest.starts_with(char::is_uppercase) || rest.starts_with([':', '\u{2014}', '\u{2013}', '-']))
        });
    by_lead || (last && (starts_ci(s, "source:") || starts_ci(s, "sources:")))
}

// ------------------------------------------------------------ disclaimers

const DISCLAIMER_LEADS: &[&str] = &[
    "disclaimer",
    "the views expressed",
    "views expressed",
    "the views and opinions",
    "the opinions expressed",
    "opinions expressed",
    "any views expressed",
    "the views in this",
    "the views of the author",
    "the author's views",
    "the statements and opinions",
    "the content of this article",
    "this article does not",
    "this article doesn't",
    "this commentary does not",
    "this piece does not",
    "editor's note",
    "this interview has been",
    "this interview was",
    "this conversation has been",
    "this transcript has been",
    "editors' note",
    "note from the editor",
    "sign up",
    "subscribe",
    "this article was originally",
    "this article was first",
    "this article originally",
    "this article first appeared",
    "this article appeared",
    "this article is republished",
    "this article was republished",
    "this article is part of",
    "this piece was originally",
    "this piece originally",
    "this piece first",
    "this commentary was originally",
    "this commentary originally",
    "a version of this",
    "an earlier version of this",
    "republished from",
    "republished with permission",
    "reprinted with permission",
    "copyright",
    "\u{a9}",
    "(c) ",
    "all rights reserved",
];

/// Phrases that make a short closing paragraph a disclaimer when it also
/// speaks of views, opinions, the author or a position.
const DISCLAIMER_PHRASES: &[&str] = &[
    "not necessarily reflect",
    "not reflect the",
    "not necessarily represent",
    "not represent the",
    "solely those of",
    "those of the author",
    "author's own",
    "authors' own",
    "personal views",
    "personal capacity",
    "not those of",
];

const DISCLAIMER_TOPICS: &[&str] = &["view", "opinion", "author", "position"];

/// The longest paragraph searched for a disclaimer's words: a disclaimer is
/// a short closing note.
const DISCLAIMER_MAX_BYTES: usize = 600;

/// "The views expressed are those of the author...", "Disclaimer: ...",
/// "... do not reflect the official position ...", republication notes,
/// copyright and newsletter lines.
pub(crate) fn disclaimer(unit: &str) -> bool {
    let s = undecorated(unit);
    if has_lead(s, &[&DISCLAIMERS]) {
        return true;
    }
    s.len() <= DISCLAIMER_MAX_BYTES && {
        let any = |finders: &[Finder], text: &[u8]| finders.iter().any(|f| f.find(text).is_some());
        // "All rights reserved" and the topics are looked for in the bytes
        // of `s` with only their ASCII letters lower-cased, which costs a
        // fraction of building the `lower_ascii` view: they are found there
        // exactly where they are found in the view (see
        // [`RIGHTS_AND_TOPICS`]). Most closing paragraphs name no topic
        // and end here.
        // On the stack: no allocation per paragraph.
        let mut buf = [0u8; DISCLAIMER_MAX_BYTES];
        let ascii_lower = &mut buf[..s.len()];
        ascii_lower.copy_from_slice(s.as_bytes());
        ascii_lower.make_ascii_lowercase();
        let ascii_lower = &*ascii_lower;
        let [rights, topics] = &*DISCLAIMER_SEARCH;
        if any(rights, ascii_lower) {
            return true;
        }
        if !any(topics, ascii_lower) {
            return false;
        }
        // The phrases need the view, with curly apostrophes folded ("the
        // author’s own"). A phrase's key before its phrases: four searches
        // where most paragraphs fail, not eleven.
        let lower = lower_ascii(s, true);
        DISCLAIMER_PHRASE_SEARCH.iter().any(|(key, phrases)| key.find(&lower).is_some() && any(phrases, &lower))
    }
}

/// The words looked for in a paragraph's bytes with its ASCII letters
/// lower-cased, not in its [`lower_ascii`] view.
///
/// Invariant: each is ASCII, holds no `k` and no apostrophe, and does not
/// end with an `i`. A match in the view is then a run of ASCII chars of
/// the text, which the plain lower-casing gives alike: the only chars
/// that lower-case to ASCII letters are the Kelvin sign (to `k`) and `İ`
/// (to `i` and a combining dot, a view byte no word holds, so its `i`
/// could only end a match); curly apostrophes fold to `'` only in the
/// view. And a match in the lower-cased bytes is one of ASCII chars, which
/// the view lower-cases alike. The test `rights_and_topics_keep_their_invariant`
/// checks this.
const RIGHTS_AND_TOPICS: [&[&str]; 2] = [&["all rights reserved"], DISCLAIMER_TOPICS];

/// Searchers for "all rights reserved" and [`DISCLAIMER_TOPICS`], built
/// once: building one costs more than searching a paragraph with it.
static DISCLAIMER_SEARCH: LazyLock<[Vec<Finder<'static>>; 2]> = LazyLock::new(|| RIGHTS_AND_TOPICS.map(finders));

/// What every one of [`DISCLAIMER_PHRASES`] holds at least one of.
const DISCLAIMER_PHRASE_KEYS: &[&str] = &["not ", "those of", "personal ", " own"];

/// A searcher for each of [`DISCLAIMER_PHRASE_KEYS`], with searchers for
/// the phrases that hold it: a text holds a phrase exactly when it holds
/// one of those of a key it holds.
static DISCLAIMER_PHRASE_SEARCH: LazyLock<Vec<(Finder<'static>, Vec<Finder<'static>>)>> = LazyLock::new(|| {
    DISCLAIMER_PHRASE_KEYS
        .iter()
        .map(|key| {
            let phrases: Vec<&'static str> = DISCLAIMER_PHRASES.iter().copied().filter(|p| p.contains(key)).collect();
            (Finder::new(key.as_bytes()), finders(&phrases))
        })
        .collect()
});

/// A searcher for each of `list`.
fn finders(list: &[&'static str]) -> Vec<Finder<'static>> {
    list.iter().map(|p| Finder::new(p.as_bytes())).collect()
}

/// The first two bytes (ASCII lower-cased) of every lead of some lists, as
/// a set of 65,536 bits: a text whose first two bytes are not in it opens
/// with none of those leads, which rules out most paragraphs of prose
/// ("It ...", "But ...") at once.
///
/// Invariant: a text a lead opens, ignoring ASCII case and reading curly
/// apostrophes as `'`, starts with the lead's first two bytes (ignoring
/// ASCII case); a lead for which that cannot be told (shorter than two
/// bytes, or with an apostrophe there) lets every text through.
struct Openers(Vec<u64>);

impl Openers {
    fn new<'a>(leads: impl IntoIterator<Item = &'a str>) -> Self {
        let mut bits = vec![0u64; 1024];
        for lead in leads {
            match lead.as_bytes() {
                [a, b, ..] if ![a, b].contains(&&b'\'') => {
                    let i = Openers::index(*a, *b);
                    bits[i / 64] |= 1 << (i % 64);
                }
                _ => bits.fill(u64::MAX),
            }
        }
        Openers(bits)
    }

    fn index(a: u8, b: u8) -> usize {
        usize::from(a.to_ascii_lowercase()) << 8 | usize::from(b.to_ascii_lowercase())
    }

    /// False when no lead of the set can open `s`.
    fn may_open(&self, s: &str) -> bool {
        match s.as_bytes() {
            [a, b, ..] => {
                let i = Openers::index(*a, *b);
                self.0[i / 64] & (1 << (i % 64)) != 0
            }
            // Only a lead shorter than two bytes could open it.
            _ => self.0.iter().all(|w| *w == u64::MAX),
        }
    }
}

/// Credit, disclaimer and "About the author" leads.
static LEAD_OPENERS: LazyLock<Openers> =
    LazyLock::new(|| Openers::new(CREDIT_LEADS.iter().chain(DISCLAIMER_LEADS).chain(ABOUT_LEADS).copied()));

static BYLINE_OPENERS: LazyLock<Openers> = LazyLock::new(|| Openers::new(BYLINE_LEADS.iter().copied()));

static DATE_LABEL_OPENERS: LazyLock<Openers> = LazyLock::new(|| Openers::new(DATE_LABELS.iter().map(|(w, _)| *w)));

/// False when `s` can open with no lead of [`LEAD_OPENERS`].
fn may_open_with_lead(s: &str) -> bool {
    LEAD_OPENERS.may_open(s)
}

/// A lead's first eight bytes (fewer for a short lead) as a word, with a
/// mask of the bytes that count: a text whose first eight bytes, ASCII
/// lower-cased, differ from the lead's under the mask cannot open with it,
/// which one comparison tells.
///
/// Invariant: leads are lower-case; the mask stops at a lead's first
/// apostrophe, where a text may hold a curly one that still matches.
#[derive(Debug, Clone, Copy)]
struct Prefix {
    word: u64,
    mask: u64,
}

impl Prefix {
    fn of_lead(lead: &str) -> Prefix {
        let len = lead.bytes().take(8).take_while(|&b| b != b'\'').count();
        let mut bytes = [0u8; 8];
        bytes[..len].copy_from_slice(&lead.as_bytes()[..len]);
        let mask = u64::MAX.checked_shr(64 - 8 * len as u32).unwrap_or(0);
        Prefix { word: u64::from_le_bytes(bytes), mask }
    }

    /// The first eight bytes of `s` (zeros past its end), ASCII lower-cased.
    /// A text of eight bytes or more (nearly every line) is read as one
    /// word, with no copy of a length known only at run time.
    fn of_text(s: &str) -> u64 {
        let word = match s.as_bytes().first_chunk::<8>() {
            Some(head) => u64::from_le_bytes(*head),
            None => {
                let mut bytes = [0u8; 8];
                bytes[..s.len()].copy_from_slice(s.as_bytes());
                u64::from_le_bytes(bytes)
            }
        };
        ascii_lowercase_word(word)
    }

    fn may_open(self, text: u64) -> bool {
        text & self.mask == self.word
    }
}

/// The eight bytes of `word` with their ASCII capitals lower-cased, all
/// at once: a byte's high bit marks it as at least `A` (its low seven bits
/// plus 0x3F carry into it) and not above `Z` (plus 0x25 does not), when
/// the byte itself is ASCII; that bit, moved to 0x20, lower-cases it. No
/// sum carries into the next byte.
fn ascii_lowercase_word(word: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let low7 = word & (0x7F * ONES);
    let from_a = low7 + u64::from(0x80 - b'A') * ONES;
    let past_z = low7 + u64::from(0x80 - b'Z' - 1) * ONES;
    let capitals = from_a & !past_z & !word & (0x80 * ONES);
    word | (capitals >> 2)
}

/// A list of leads with their [`Prefix`]es: a text is compared with the
/// few leads that start as it does, not with every lead of the list. Most
/// leads ("the views expressed", "this article was first") have a prefix
/// of eight whole bytes: those that may open a text are the ones whose
/// prefix is the text's first eight bytes, found in a hash table, where
/// grouping by first byte would compare a text opening as many of them do
/// ("The ...", "This ...") with each. The others are grouped by first
/// byte.
struct Leads {
    /// Every lead whose prefix is eight whole bytes, with it, ordered by
    /// it: leads that share a prefix are neighbours.
    whole: Vec<(u64, &'static str)>,
    /// By each distinct prefix of `whole`, the index in `whole` of the
    /// first lead with it.
    firsts: ShortTable<u16, u64>,
    /// Every other lead whose prefix covers its first byte, ordered by it.
    by_first: Vec<(&'static str, Prefix)>,
    /// `by_first[starts[b]..starts[b + 1]]` start with the byte `b`.
    starts: Vec<usize>,
    /// Leads whose prefix leaves their first byte out (one opening with
    /// an apostrophe): candidates for every text.
    unkeyed: Vec<(&'static str, Prefix)>,
}

impl Leads {
    fn new(leads: impl IntoIterator<Item = &'static str>) -> Leads {
        let (whole, rest): (Vec<_>, Vec<_>) =
            leads.into_iter().map(|l| (l, Prefix::of_lead(l))).partition(|(_, p)| p.mask == u64::MAX);
        let mut whole: Vec<(u64, &'static str)> = whole.into_iter().map(|(l, p)| (p.word, l)).collect();
        whole.sort_unstable();
        let mut firsts = ShortTable::default();
        for (i, &(word, _)) in whole.iter().enumerate() {
            if i == 0 || whole[i - 1].0 != word {
                firsts.insert(word, u16::try_from(i).expect("a short list"));
            }
        }
        let (mut by_first, unkeyed): (Vec<_>, Vec<_>) = rest.into_iter().partition(|(_, p)| p.mask & 0xFF == 0xFF);
        by_first.sort_by_key(|(l, _)| l.as_bytes()[0]);
        let starts = (0..=256).map(|b| by_first.partition_point(|(l, _)| usize::from(l.as_bytes()[0]) < b)).collect();
        Leads { whole, firsts, by_first, starts, unkeyed }
    }

    /// Whether `test` holds for one of the leads whose prefix agrees with
    /// a text's [`Prefix::of_text`] `text`: the only ones that may open it
    /// (tried in no particular order). Plain loops, where an iterator's
    /// adapters may be left as calls.
    #[inline]
    fn any_candidate(&self, text: u64, mut test: impl FnMut(&'static str) -> bool) -> bool {
        if let Some(first) = self.firsts.get(text) {
            for &(word, lead) in &self.whole[usize::from(first)..] {
                if word != text {
                    break;
                }
                if test(lead) {
                    return true;
                }
            }
        }
        // The text's first byte, lower-cased (0 for an empty text).
        let first = (text & 0xFF) as usize;
        for (lead, p) in &self.by_first[self.starts[first]..self.starts[first + 1]] {
            if p.may_open(text) && test(lead) {
                return true;
            }
        }
        for (lead, p) in &self.unkeyed {
            if p.may_open(text) && test(lead) {
                return true;
            }
        }
        false
    }
}

static CREDITS: LazyLock<Leads> = LazyLock::new(|| Leads::new(CREDIT_LEADS.iter().copied()));

static DISCLAIMERS: LazyLock<Leads> = LazyLock::new(|| Leads::new(DISCLAIMER_LEADS.iter().copied()));

/// Everything a line that opens with an ASCII letter must open with for
/// [`opening`] to tell it apart from prose: the leads of bylines, date
/// labels, credits, disclaimers and "About the author", and the month and
/// weekday names (whole or their first three letters) a bare date line
/// opens with. Compared by [`Prefix`], as [`has_lead`] does: a line whose
/// first eight bytes no lead's prefix matches ("The Philippines said",
/// "In 2025 the") is plain without running the tests, which is most lines,
/// where two bytes ("Th", "In") rule out only half of them.
static OPENING_LEADS: LazyLock<Leads> = LazyLock::new(|| {
    let dates = MONTHS.iter().chain(&WEEKDAYS).flat_map(|name| [*name, &name[..3]]);
    Leads::new(
        BYLINE_LEADS
            .iter()
            .chain(DATE_LABELS.iter().map(|(label, _)| label))
            .chain(CREDIT_LEADS)
            .chain(DISCLAIMER_LEADS)
            .chain(ABOUT_LEADS)
            .copied()
            .chain(dates),
    )
});

/// False when `s`, an undecorated line, opens with nothing [`opening`]
/// looks for. Only a line opening with an ASCII letter is ruled out: one
/// opening with a digit, a colon, a bracket or a non-ASCII char (a date, a
/// bracketed byline, "©") goes to the tests.
///
/// Invariant: every test of [`opening_tested`] that can succeed on a line
/// opening with an ASCII letter needs a lead of [`OPENING_LEADS`] at its
/// start: the byline and date label tests strip a lead; a date line
/// without a label opens with a weekday or a month (a day number or year
/// is a digit); the credit, disclaimer and "About" tests strip a lead.
fn may_open_unit(s: &str) -> bool {
    !opens_with_letter(s) || OPENING_LEADS.any_candidate(Prefix::of_text(s), |_| true)
}

/// True when a lead of `lists` (credit or disclaimer leads) opens `s`
/// within its first 48 bytes, ignoring ASCII case and reading curly
/// apostrophes as `'`.
fn has_lead(s: &str, lists: &[&Leads]) -> bool {
    if !may_open_with_lead(s) {
        return false;
    }
    let head = head(s, 48);
    // The first eight bytes, read once for every list.
    let text = Prefix::of_text(head);
    // Without curly apostrophes to fold, a plain prefix test does: told
    // only for a text some lead's prefix matches (few).
    let mut ascii = None;
    let mut starts = |l: &str| {
        if *ascii.get_or_insert_with(|| head.is_ascii()) { starts_ci(head, l) } else { starts_ci_folded(head, l) }
    };
    for leads in lists {
        if leads.any_candidate(text, &mut starts) {
            return true;
        }
    }
    false
}

/// At most the first `max` bytes of `s`, cut on a char boundary.
fn head(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// How a line opens, for cutting the text into units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opening {
    /// Nothing special: the line may continue the paragraph above.
    Plain,
    /// A credit, disclaimer or "About the author" lead: starts a unit that
    /// may run on over wrapped lines.
    Paragraph,
    /// A byline or date line: a unit on its own.
    Line,
}

/// How `line`, one line of the text (it holds no line feed), opens.
pub(crate) fn opening(line: &str) -> Opening {
    debug_assert!(!has_newline(line), "{line:?}");
    // An empty line (a blank one, trimmed) opens with no lead.
    if line.is_empty() {
        return Opening::Plain;
    }
    // Undecorated once here, not again by each test: undecorating is
    // idempotent.
    let s = undecorated(line);
    if may_open_unit(s) { opening_tested(s) } else { Opening::Plain }
}

/// [`opening`] of an undecorated line, by running each test. A line holds
/// no line feed, which the byline and date tests of a unit look for first.
fn opening_tested(s: &str) -> Opening {
    if byline_of_line(s).is_some() || date_of_line(s).is_some() {
        return Opening::Line;
    }
    let lead = has_lead(s, &[&CREDITS, &DISCLAIMERS]) || about_author_undecorated(s);
    if lead { Opening::Paragraph } else { Opening::Plain }
}

/// True when the line opens with a lead that always begins a new unit.
pub(crate) fn starts_unit(line: &str) -> bool {
    opening(line) != Opening::Plain
}

// ------------------------------------------------------------------- bios

/// What an author bio gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Bio {
    /// "Jane Doe is a senior fellow at ..." (every author the unit names).
    Named(Vec<String>),
    /// "About the author", "The author is ...".
    Unnamed,
}

/// Words that make "X is a ..." a bio and not a sentence of analysis.
const ROLE_WORDS: &[&str] = &[
    "fellow",
    "professor",
    "lecturer",
    "researcher",
    "research",
    "associate",
    "analyst",
    "director",
    "editor",
    "journalist",
    "correspondent",
    "reporter",
    "columnist",
    "writer",
    "author",
    "scholar",
    "student",
    "candidate",
    "graduate",
    "ambassador",
    "diplomat",
    "officer",
    "adviser",
    "advisor",
    "consultant",
    "expert",
    "specialist",
    "chair",
    "chairman",
    "founder",
    "co-founder",
    "president",
    "member",
    "contributor",
    "economist",
    "historian",
    "dean",
    "lawyer",
    "attorney",
    "partner",
    "manager",
    "coordinator",
    "instructor",
    "teacher",
    "commentator",
    "veteran",
    "retired",
    "freelance",
    "institute",
    "university",
    "college",
    "centre",
    "center",
    "council",
    "foundation",
    "programme",
    "program",
];

/// Role words naming an institution: enough for the bio of someone other
/// than the byline's author.
const INSTITUTION_WORDS: &[&str] =
    &["institute", "university", "college", "centre", "center", "council", "foundation", "programme", "program"];

static ROLE_SEARCH: LazyLock<Vec<Finder<'static>>> = LazyLock::new(|| finders(ROLE_WORDS));

static INSTITUTION_SEARCH: LazyLock<Vec<Finder<'static>>> = LazyLock::new(|| finders(INSTITUTION_WORDS));

/// Verbs that may follow the name in a bio's first sentence.
const BIO_VERBS: &[&str] = &[
    "is",
    "was",
    "has",
    "serves",
    "served",
    "teaches",
    "taught",
    "writes",
    "wrote",
    "covers",
    "covered",
    "works",
    "worked",
    "leads",
    "led",
    "heads",
    "headed",
    "directs",
    "directed",
    "holds",
    "held",
    "joined",
    "specializes",
    "specialises",
    "researches",
];

const ABOUT_LEADS: &[&str] =
    &["about the author", "about the authors", "about the writer", "about the contributor", "author bio"];

const UNNAMED_BIO_LEADS: &[&str] = &[
    "the author is",
    "the author was",
    "the authors are",
    "the authors were",
    "the writer is",
    "the writer was",
    "the author has",
    "the authors have",
];

/// "About the author" (a heading or a label).
pub(crate) fn about_author(unit: &str) -> bool {
    about_author_undecorated(undecorated(unit))
}

/// [`about_author`] of a unit already [`undecorated`]. Every lead opens
/// with an `a`: a text that does not is ruled out on its first byte.
fn about_author_undecorated(s: &str) -> bool {
    matches!(s.as_bytes().first(), Some(b'a' | b'A')) && ABOUT_LEADS.iter().any(|lead| strip_word_ci(s, lead).is_some())
}

/// A closing author bio. When `known` (the byline's authors) is not empty,
/// a named bio must name one of them (or share a surname).
pub(crate) fn bio(unit: &str, known: &[String]) -> Option<Bio> {
    let s = undecorated(unit);
    if about_author_undecorated(s) {
        return Some(Bio::Unnamed);
    }
    let limit = if known.is_empty() { 800 } else { 1500 };
    if s.len() > limit {
        return None;
    }
    let has_role = || has_any_word_ci(s, &ROLE_SEARCH);
    // Every lead opens with "the ": one test rules most paragraphs out.
    if starts_ci(s, "the ") && UNNAMED_BIO_LEADS.iter().any(|lead| starts_ci(s, lead)) {
        return has_role().then_some(Bio::Unnamed);
    }
    let mut names = Vec::new();
    for (n, sentence) in sentences(s).take(6).enumerate() {
        match bio_subject(sentence) {
            Some(name) if !names.contains(&name) => names.push(name),
            Some(_) => {}
            None if n == 0 => return None,
            None => {}
        }
    }
    let first = names.first()?;
    let is_known =
        known.iter().any(|k| k.eq_ignore_ascii_case(first) || surname(k).eq_ignore_ascii_case(surname(first)));
    // The byline's author needs no role word ("Jane Doe writes about
    // Russia."); anyone else must be described as a fellow, analyst, ...
    // and, next to a byline naming someone else (an interviewee's bio),
    // with an institution.
    let ok = if known.is_empty() { has_role() } else { is_known || has_any_word_ci(s, &INSTITUTION_SEARCH) };
    ok.then_some(Bio::Named(names))
}

/// The name a bio sentence is about: "Jane Doe is ...", "Jane Doe (@jd)
/// was ...", "Jane Doe, a fellow at X, ...", "Jane Doe writes ...".
fn bio_subject(sentence: &str) -> Option<String> {
    let (name, end) = leading_name(sentence)?;
    let after = &sentence[end..];
    if let Some(apposition) = after.strip_prefix(',') {
        let next = words_iter(apposition).next().map(|(_, w)| w)?;
        return ["a", "an", "the", "who", "formerly", "currently", "now"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(next))
            .then_some(name);
    }
    let mut after = after.trim_start_matches(is_space);
    if after.starts_with('(') {
        let close = after.find(')').filter(|c| *c <= 60)?;
        after = after[close + 1..].trim_start_matches(is_space);
    }
    let verb = words_iter(after).next().map(|(_, w)| w)?;
    BIO_VERBS.contains(&verb).then_some(name)
}

/// A bio's follow-up paragraph: "She previously ...", "Follow him on X".
pub(crate) fn bio_continuation(unit: &str) -> bool {
    let s = undecorated(unit);
    s.len() <= 600
        && CONTINUATION_OPENERS.may_open(s)
        && CONTINUATION_LEADS.iter().any(|lead| strip_word_ci(s, lead).is_some())
}

/// How a bio's follow-up paragraph opens.
const CONTINUATION_LEADS: &[&str] = &[
    "he",
    "she",
    "they",
    "his",
    "her",
    "their",
    "follow",
    "email",
    "e-mail",
    "contact",
    "twitter",
    "find",
    "both",
    "previously",
    "prior",
    "you can",
    "reach",
];

/// Rules out, on its first two bytes, a paragraph that opens with none of
/// [`CONTINUATION_LEADS`] ("The ...", "In ...") before 17 lead tests.
static CONTINUATION_OPENERS: LazyLock<Openers> = LazyLock::new(|| Openers::new(CONTINUATION_LEADS.iter().copied()));

/// Sentence starts: the text, and every point after `. `/`! `/`? ` where an
/// upper-case letter follows.
/// Lazy: a caller that stops early (`bio` gives up when the first sentence
/// names nobody) does not scan the rest of the unit.
fn sentences(s: &str) -> impl Iterator<Item = &str> {
    let bytes = s.as_bytes();
    std::iter::once(s).chain(bytes.iter().enumerate().filter_map(move |(i, b)| {
        if !(matches!(b, b'.' | b'!' | b'?') && bytes.get(i + 1) == Some(&b' ')) {
            return None;
        }
        let rest = s[i + 1..].trim_start_matches(is_space);
        (rest.starts_with(char::is_uppercase) && !ends_with_initial(&s[..=i])).then_some(rest)
    }))
}

/// "J." or "Dr." just before a period: not a sentence end.
fn ends_with_initial(s: &str) -> bool {
    let word = s.rsplit(is_space).next().unwrap_or(s);
    let core = word.trim_end_matches('.');
    core.chars().count() == 1
        || ["dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "gen", "col"].iter().any(|t| lower_is(core, t))
}

/// The unit without Markdown decoration around it.
fn undecorated(s: &str) -> &str {
    crate::text::undecorate(s)
}

/// True when a first line could be a plain title (no heading mark): short,
/// no closing period (unless `period_ok`: a byline follows), not itself
/// another kind of line.
pub(crate) fn plain_title_candidate(line: &str, period_ok: bool) -> bool {
    let s = undecorated(line);
    let core = s.trim_end_matches(['"', '\u{201d}', '\'', '\u{2019}']);
    !s.is_empty()
        && s.len() <= 200
        && s.chars().any(char::is_alphabetic)
        && !core.ends_with([',', ';', ':'])
        && (period_ok || !core.ends_with('.'))
        && (opens_with_letter(line) || !is_list_item(line) && !is_separator(line) && !is_image_line(line))
        && !starts_unit(line)
        && news_dateline(line).is_none()
}

/// True when most longer words start with a capital: "Russia's Delicate
/// Balancing Act".
pub(crate) fn title_case(s: &str) -> bool {
    let long: Vec<&str> = words(s).into_iter().map(|(_, w)| w).filter(|w| w.chars().count() >= 4).collect();
    let caps = long
        .iter()
        .filter(|w| w.trim_start_matches(|c: char| !c.is_alphanumeric()).starts_with(char::is_uppercase))
        .count();
    long.len() >= 2 && caps * 5 >= long.len() * 3
}

/// True when a unit ends a sentence (so the next line starts a new unit).
pub(crate) fn closes_unit(line: &str) -> bool {
    ends_sentence(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The early answer for an empty line is what every test of
    /// `opening` gives it.
    #[test]
    fn an_empty_line_opens_plain() {
        assert_eq!(opening(""), Opening::Plain);
        assert!(byline_undecorated("").is_none() && date_line_undecorated("").is_none());
        assert!(!has_lead("", &[&CREDITS, &DISCLAIMERS]) && !about_author_undecorated(""));
    }

    /// The word-wide lower-casing is `make_ascii_lowercase`, for every
    /// byte value in every lane beside varied neighbours.
    #[test]
    fn words_lower_case_as_bytes_do() {
        for lane in 0..8 {
            for b in 0..=255u8 {
                let mut bytes: [u8; 8] = std::array::from_fn(|k| (k as u8).wrapping_mul(53).wrapping_add(b));
                bytes[lane] = b;
                let mut want = bytes;
                want.make_ascii_lowercase();
                assert_eq!(ascii_lowercase_word(u64::from_le_bytes(bytes)), u64::from_le_bytes(want), "{bytes:?}");
            }
        }
        for s in ["", "B", "By Jane", "THE VIEWS", "Photo: X", "\u{c9}DITOR", "\u{a9} 2024"] {
            let mut want = [0u8; 8];
            let n = s.len().min(8);
            want[..n].copy_from_slice(&s.as_bytes()[..n]);
            want.make_ascii_lowercase();
            assert_eq!(Prefix::of_text(s), u64::from_le_bytes(want), "{s:?}");
        }
    }

    /// The lead filter turns away only lines the tests find plain: every
    /// lead, month and weekday name (and some prose openers), in three
    /// cases, decorated or not, followed by names, dates, punctuation or
    /// prose, gives the same opening with the filter and without.
    #[test]
    fn the_opening_filter_keeps_every_line_a_test_finds() {
        let dates = MONTHS.iter().chain(&WEEKDAYS).flat_map(|name| [*name, &name[..3], "sept"]);
        let prose = ["the", "the phil", "in", "this", "that", "thu", "tues", "mayor", "bypass", "a", "x", "date"];
        let heads: Vec<&str> = BYLINE_LEADS
            .iter()
            .chain(DATE_LABELS.iter().map(|(label, _)| label))
            .chain(CREDIT_LEADS)
            .chain(DISCLAIMER_LEADS)
            .chain(ABOUT_LEADS)
            .chain(UNNAMED_BIO_LEADS)
            .copied()
            .chain(dates)
            .chain(prose)
            .collect();
        let tails = [
            "",
            " Jane Doe",
            ": Jane Doe",
            " March 3, 2024",
            ", 3 March 2024",
            ". 3 2024",
            " 2024-03-03",
            " 3, 2024",
            "s and more",
            " \u{2014} photo",
            "\u{2019}s note: x",
            " the author",
            "1",
        ];
        let (mut lines, mut told) = (0, 0);
        for head in heads {
            let curly = head.replace('\'', "\u{2019}");
            let title = head.get(..1).map(|f| f.to_uppercase() + &head[1..]).unwrap_or_default();
            for cased in [head.to_string(), head.to_uppercase(), title, curly] {
                for tail in tails {
                    for deco in ["", "*", "## ", "> "] {
                        let line = format!("{deco}{cased}{tail}{}", deco.trim_end().replace('#', ""));
                        let line = line.trim();
                        let want = opening_tested(undecorated(line));
                        assert_eq!(opening(line), want, "{line:?}");
                        lines += 1;
                        told += usize::from(want != Opening::Plain);
                    }
                }
            }
        }
        assert!(lines > 10_000 && told > 2_000, "{lines} {told}");
    }

    proptest::proptest! {
        /// A line whose trimmed text opens with an ASCII letter is none of
        /// the structural shapes, however it is indented and goes on.
        #[test]
        fn a_line_opening_with_a_letter_is_no_structure(
            line in "[ \t\u{a0}\u{feff}]{0,4}[a-zA-Z0-9#*!\\[>+-]{0,2}[ #*!\\[\\]()=_.a-z0-9-]{0,12}",
        ) {
            let t = line.trim_matches(is_space);
            if opens_with_letter(t) {
                proptest::prop_assert!(atx_heading(&line).is_none(), "{:?}", line);
                proptest::prop_assert!(!is_separator(t) && !is_image_line(t) && !is_list_item(t), "{:?}", line);
            }
        }
    }

    proptest::proptest! {
        /// The same over lines of letters, digits, spaces and punctuation.
        #[test]
        fn the_opening_filter_keeps_what_the_tests_find(line in "[#*>(]?[a-zA-Z0-9:© ]{0,3}[bBpPdDtTmMsS][a-z0-9,:' \u{2019}-]{0,14}") {
            let line = line.trim();
            proptest::prop_assert_eq!(opening(line), opening_tested(undecorated(line)), "{:?}", line);
        }
    }

    #[test]
    fn bylines() {
        let b = byline("*By Jane Doe and John Roe | March 3, 2024*").expect("byline");
        assert_eq!(b.authors, ["Jane Doe", "John Roe"]);
        assert_eq!(b.date.map(Date::iso).as_deref(), Some("2024-03-03"));
        assert_eq!(byline("By Jane Doe, Senior Fellow").map(|b| b.authors), Some(vec!["Jane Doe".to_string()]));
        assert_eq!(
            byline("Reporting by Jane Doe; Editing by John Roe").map(|b| b.authors),
            Some(vec!["Jane Doe".to_string()])
        );
        assert_eq!(byline("By Jane Doe, John Roe, and Sam Poe").map(|b| b.authors.len()), Some(3), "serial comma");
        assert_eq!(
            byline("(Reporting by Jane Doe; additional reporting by John Roe)").map(|b| b.authors),
            Some(vec!["Jane Doe".to_string()])
        );
        for not in ["By the way, Russia won.", "By Wednesday, the army had left.", "Bypass", "By 2030 Iran will"] {
            assert_eq!(byline(not), None, "{not}");
        }
    }

    #[test]
    fn date_lines() {
        let iso = |s: &str| date_line(s).map(|(d, l)| (d.iso(), l));
        assert_eq!(iso("March 3, 2024"), Some(("2024-03-03".into(), DateLabel::Published)));
        assert_eq!(iso("Updated: Tuesday, 5 March 2024 10:30 GMT"), Some(("2024-03-05".into(), DateLabel::Updated)));
        assert_eq!(iso("Published on 2024-03-03 by the desk"), Some(("2024-03-03".into(), DateLabel::Published)));
        assert_eq!(iso("March 3, 2024 was the day the talks failed."), None);
    }

    #[test]
    fn news_datelines() {
        let unit = "WASHINGTON, March 3 (Meridian Wire) \u{2014} The talks ended.";
        let (end, date) = news_dateline(unit).expect("dateline");
        assert_eq!((&unit[..end], date), ("WASHINGTON, March 3 (Meridian Wire) \u{2014}", None));
        assert!(news_dateline("TEL AVIV, March 3, 2024 -- Sirens sounded.").is_some());
        assert!(news_dateline("Russia \u{2014} unlike Iran \u{2014} has options.").is_none());
        assert!(news_dateline("The war, which began in 2022 \u{2014} and never ended \u{2014} goes on.").is_none());
    }

    #[test]
    fn bios() {
        let seed = "Nima Khorrami is a research associate at the Arctic Institute.";
        assert_eq!(bio(seed, &[]), Some(Bio::Named(vec!["Nima Khorrami".into()])));
        assert_eq!(
            bio("Jane Doe, a fellow at the Meridian Institute, writes on Iran.", &[]),
            Some(Bio::Named(vec!["Jane Doe".into()]))
        );
        assert_eq!(
            bio("Jane Doe is a fellow at Meridian. John Roe was a professor at Y.", &[]),
            Some(Bio::Named(vec!["Jane Doe".into(), "John Roe".into()]))
        );
        assert_eq!(bio("Jane Doe is a fellow at X.", &["John Roe".into()]), None, "not the byline's author");
        assert_eq!(bio("Vladimir Putin is a pragmatist above all.", &[]), None, "no role word");
        assert_eq!(
            bio("Jane Doe writes about Russia.", &["Jane Doe".into()]),
            Some(Bio::Named(vec!["Jane Doe".into()])),
            "the byline's author needs no role word"
        );
        assert_eq!(
            bio("Dmitri Roe directs the Eurasia programme at the Calder Institute.", &["Sofia Brandt".into()]),
            Some(Bio::Named(vec!["Dmitri Roe".into()])),
            "an interviewee's bio names an institution"
        );
        assert_eq!(bio("Russia is a member of the council.", &[]), None, "not a person");
    }

    /// Every lead is a candidate for a text it opens, whichever way it is
    /// kept (a whole prefix, shared or not, a shorter one, none), and one
    /// lead's prefix finds no other lead.
    #[test]
    fn every_lead_is_a_candidate_for_its_text() {
        for list in [CREDIT_LEADS, DISCLAIMER_LEADS] {
            let leads = Leads::new(list.iter().copied());
            for lead in list {
                for text in [lead.to_string(), lead.to_uppercase(), format!("{lead} and more")] {
                    let mut found = Vec::new();
                    leads.any_candidate(Prefix::of_text(&text), |l| {
                        found.push(l);
                        false
                    });
                    assert!(found.contains(lead), "{text:?}");
                    let want: Vec<&str> =
                        list.iter().copied().filter(|l| Prefix::of_lead(l).may_open(Prefix::of_text(&text))).collect();
                    found.sort_unstable();
                    let mut want = want;
                    want.sort_unstable();
                    assert_eq!(found, want, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn leads_are_lower_case_and_open_with_no_apostrophe() {
        for lead in CREDIT_LEADS.iter().chain(DISCLAIMER_LEADS).chain(ABOUT_LEADS) {
            assert_eq!(*lead, lead.to_lowercase(), "{lead}");
            assert!(lead.len() >= 2 && !lead[..2].contains(['\'', '\u{2018}', '\u{2019}']), "{lead}");
            assert!(may_open_with_lead(lead) && may_open_with_lead(&lead.to_uppercase()), "{lead}");
        }
        assert!(ABOUT_LEADS.iter().all(|lead| lead.starts_with('a')), "about_author tests the first byte");
        assert!(UNNAMED_BIO_LEADS.iter().all(|lead| lead.starts_with("the ")), "bio tests \"the \" first");
        for lead in CONTINUATION_LEADS {
            assert!(CONTINUATION_OPENERS.may_open(lead) && CONTINUATION_OPENERS.may_open(&lead.to_uppercase()));
            assert!(
                bio_continuation(&format!("{lead} x")) && bio_continuation(&format!("*{}* x", lead.to_uppercase()))
            );
        }
        assert!(!CONTINUATION_OPENERS.may_open("In Moscow") && !CONTINUATION_OPENERS.may_open("Russia"), "prose");
        assert!(!bio_continuation("Hence") && !bio_continuation("The analyst"));
        assert!(!may_open_with_lead("It was"));
        assert!(Openers::new(["a", "bc"]).may_open("It was"), "a short lead lets every text through");
        assert!(Openers::new(["o'clock"]).may_open("O’Clock"));
    }

    proptest::proptest! {
        #[test]
        fn lead_tests_find_every_lead_the_plain_test_finds(
            lead in proptest::sample::select([CREDIT_LEADS, DISCLAIMER_LEADS, ABOUT_LEADS].concat()),
            upper in proptest::bool::ANY,
            curly in proptest::bool::ANY,
            cut in 0usize..40,
            tail in "[a-zA-Z \u{2019}'.:]{0,12}",
        ) {
            let mut s = if upper { lead.to_uppercase() } else { lead.to_string() };
            if curly {
                s = s.replace('\'', "\u{2019}");
            }
            let cut = (0..=cut.min(s.len())).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
            let s = format!("{}{tail}", &s[..cut]);
            for list in [CREDIT_LEADS, DISCLAIMER_LEADS] {
                let plain = list.iter().any(|l| starts_ci_folded(head(&s, 48), l));
                let leads = if list == CREDIT_LEADS { &*CREDITS } else { &*DISCLAIMERS };
                proptest::prop_assert_eq!(has_lead(&s, &[leads]), plain, "{}", s);
            }
            let about = ABOUT_LEADS.iter().any(|l| strip_word_ci(&s, l).is_some());
            proptest::prop_assert_eq!(about_author(&s), about);
        }
    }

    #[test]
    fn rights_and_topics_keep_their_invariant() {
        for word in RIGHTS_AND_TOPICS.iter().flat_map(|list| list.iter()) {
            assert!(word.is_ascii() && !word.contains(['k', 'K', '\'']) && !word.ends_with('i'), "{word}");
        }
        // The only chars that lower-case to ASCII are those two.
        let to_ascii: Vec<char> = ('\u{80}'..=char::MAX).filter(|c| c.to_lowercase().any(|l| l.is_ascii())).collect();
        assert_eq!(to_ascii, ['\u{130}', '\u{212a}']);
    }

    /// [`disclaimer`] as it reads with every search in the `lower_ascii`
    /// view.
    fn disclaimer_reference(unit: &str) -> bool {
        let s = undecorated(unit);
        if has_lead(s, &[&DISCLAIMERS]) {
            return true;
        }
        let lower = lower_ascii(s, true);
        let has = |list: &[&str]| list.iter().any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some());
        s.len() <= DISCLAIMER_MAX_BYTES
            && (has(&["all rights reserved"]) || (has(DISCLAIMER_TOPICS) && has(DISCLAIMER_PHRASES)))
    }

    proptest::proptest! {
        #[test]
        fn disclaimer_searches_as_the_view_searches(
            words in proptest::collection::vec(
                "(All Rights Reserved|VIEWS|Opinion|opİnion|authorİ|AUTHOR|posItion|the author\u{2019}s own|authors' own|not those of|personal views|Not Reflect The|\u{212a}|\u{130}|\u{2019}|é|[a-z]{1,6}|[.,;:])",
                0..12,
            ),
            sep in "( |\u{a0}|\u{130}|\u{2019})",
        ) {
            let s = words.join(&sep);
            proptest::prop_assert_eq!(disclaimer(&s), disclaimer_reference(&s), "{:?}", s);
        }
    }

    #[test]
    fn every_disclaimer_phrase_holds_a_key() {
        for phrase in DISCLAIMER_PHRASES {
            assert!(DISCLAIMER_PHRASE_KEYS.iter().any(|k| phrase.contains(k)), "{phrase}");
        }
        let views = "The views expressed are those of the author.";
        assert!(disclaimer("These views do not reflect the position of the board.") && disclaimer(views));
        assert!(disclaimer("The opinions are the author\u{2019}s own."), "a key after a folded apostrophe");
        assert!(!disclaimer("In his view, the talks did not fail."));
    }

    /// The byte search finds the dash the char-by-char definition finds.
    #[test]
    fn dateline_dash_is_the_first_dash_by_chars() {
        let by_chars = |unit: &str| {
            unit.char_indices().take_while(|(i, _)| *i < 120).find_map(|(i, c)| match c {
                '\u{2014}' | '\u{2013}' => Some((i, c.len_utf8())),
                '-' if unit[i..].starts_with("--") => Some((i, 2)),
                '-' if unit[..i].ends_with(' ') && unit[i + 1..].starts_with(' ') => Some((i, 1)),
                _ => None,
            })
        };
        let pieces =
            ["WASHINGTON", " ", "-", "--", "\u{2014}", "\u{2013}", "\u{2012}", "\u{2212}", "é", "x-y", ",", "€"];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut unit = String::new();
            while unit.len() < 130 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                unit.push_str(pieces[(x % pieces.len() as u64) as usize]);
                if x.is_multiple_of(7) {
                    break;
                }
            }
            assert_eq!(dateline_dash(&unit), by_chars(&unit), "{unit:?}");
        }
        // A dash starting at byte 119 counts, one at 120 does not.
        for (pad, dash) in [(119, "\u{2014}"), (120, "\u{2014}"), (118, " - "), (119, "--")] {
            let unit = format!("{}{dash} x", "A".repeat(pad));
            assert_eq!(dateline_dash(&unit), by_chars(&unit), "{pad} {dash:?}");
        }
    }

    #[test]
    fn disclaimers_and_credits() {
        assert!(disclaimer("The views expressed are those of the author."));
        assert!(disclaimer("*This piece does not necessarily reflect the views of the editors.*"));
        assert!(disclaimer("Editor’s note: updated."));
        assert!(!disclaimer("Russia's views expressed in Geneva were hostile."));
        assert!(credit("Image credit: Khamenei.ir, via Wikimedia Commons", false, true));
        assert!(credit("(Photo by Jane Doe/Meridian Wire)", false, true));
        assert!(credit("Source: Ministry of Defence", true, false));
        assert!(!credit("Source: Ministry of Defence", false, false));
        assert!(!credit("Cover photo shows the summit.", false, true));
        assert!(!credit("Cover photo shows the summit.", true, false));
        assert!(!credit("Photo by photo, they rebuilt it.", true, false));
        assert!(credit("Photo by Jane Doe/Meridian Wire", true, false));
        assert!(credit("Featured image: a drone", true, false));
    }
}
