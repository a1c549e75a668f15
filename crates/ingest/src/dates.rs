//! Calendar dates as articles write them ("March 3, 2024", "3 March 2024",
//! "2024-03-03", "March 2024") -> ISO 8601.

use crate::text::{is_space, strip_word_ci};

/// A date with at least a year; `month`/`day` are 0 when not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub fn iso(self) -> String {
        match (self.month, self.day) {
            (0, _) => format!("{:04}", self.year),
            (m, 0) => format!("{:04}-{m:02}", self.year),
            (m, d) => format!("{:04}-{m:02}-{d:02}", self.year),
        }
    }
}

pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub(crate) const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// The month a word names: a full name, a three-letter abbreviation or
/// "Sept", any case.
pub(crate) fn month_of(word: &str) -> Option<u8> {
    // Most words are ruled out on their length or first letter, before
    // twelve comparisons.
    let first = word.as_bytes().first().map(u8::to_ascii_lowercase);
    if !(3..=9).contains(&word.len()) || !matches!(first, Some(b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd')) {
        return None;
    }
    let sept = word.eq_ignore_ascii_case("sept");
    MONTHS
        .iter()
        .position(|m| names_or_abbreviates(m, word) || (sept && *m == "september"))
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// True for a weekday name or its three-letter abbreviation.
pub(crate) fn is_weekday(word: &str) -> bool {
    let first = word.as_bytes().first().map(u8::to_ascii_lowercase);
    (3..=9).contains(&word.len())
        && matches!(first, Some(b'm' | b't' | b'w' | b'f' | b's'))
        && WEEKDAYS.iter().any(|d| names_or_abbreviates(d, word))
}

/// True when `word` (any ASCII case) is the lower-case `name` or its first
/// three letters.
fn names_or_abbreviates(name: &str, word: &str) -> bool {
    let n = if word.len() == 3 { name.get(..3) } else { Some(name) };
    n.is_some_and(|n| n.eq_ignore_ascii_case(word))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn valid(year: u16, month: u8, day: u8) -> Option<Date> {
    let ok = (1800..=2199).contains(&year)
        && (month == 0 && day == 0 || (1..=12).contains(&month) && day <= days_in_month(year, month));
    ok.then_some(Date { year, month, day })
}

/// A run of ASCII digits at the start of `s`: (value, length).
fn digits(s: &str) -> Option<(u32, usize)> {
    let len = s.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > 4 {
        return None;
    }
    s[..len].parse().ok().map(|v| (v, len))
}

/// A run of ASCII letters at the start of `s`.
fn letters(s: &str) -> &str {
    let len = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    &s[..len]
}

fn skip_spaces(s: &str, at: usize) -> usize {
    at + (s[at..].len() - s[at..].trim_start_matches(is_space).len())
}

/// The date at the very start of `s`, with the bytes it used.
pub(crate) fn parse_date(s: &str) -> Option<(Date, usize)> {
    iso_date(s).or_else(|| month_first(s)).or_else(|| day_first(s))
}

/// `2024-03-03`, `2024/03/03`, `2024-03` (a time may follow a `T`).
fn iso_date(s: &str) -> Option<(Date, usize)> {
    let (year, ylen) = digits(s)?;
    if ylen != 4 {
        return None;
    }
    let sep = s[ylen..].chars().next().filter(|c| matches!(c, '-' | '/'))?;
    let at = ylen + 1;
    let (month, mlen) = digits(&s[at..]).filter(|(_, l)| *l <= 2)?;
    let mut end = at + mlen;
    let mut day = 0;
    if s[end..].starts_with(sep)
        && let Some((d, dlen)) = digits(&s[end + 1..]).filter(|(_, l)| *l <= 2)
    {
        day = d;
        end += 1 + dlen;
    }
    if s[end..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let date = valid(u16::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)?;
    (date.month != 0).then_some((date, end))
}

/// A day number with an optional ordinal suffix ("3", "3rd").
fn day_number(s: &str) -> Option<(u32, usize)> {
    let (d, len) = digits(s).filter(|(d, l)| *l <= 2 && *d >= 1)?;
    let suffix = letters(&s[len..]);
    let slen = if ["st", "nd", "rd", "th"].iter().any(|x| x.eq_ignore_ascii_case(suffix)) { suffix.len() } else { 0 };
    if s[len + slen..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    Some((d, len + slen))
}

/// A four-digit year not followed by another digit.
fn year(s: &str) -> Option<(u16, usize)> {
    let (y, len) = digits(s)?;
    (len == 4 && !s[len..].starts_with(|c: char| c.is_ascii_digit()))
        .then(|| u16::try_from(y).ok().map(|y| (y, len)))
        .flatten()
}

/// A month word with an optional abbreviation period: (month, length).
fn month_word(s: &str) -> Option<(u8, usize)> {
    let word = letters(s);
    if s[word.len()..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let month = month_of(word)?;
    let len = word.len() + usize::from(s[word.len()..].starts_with('.'));
    Some((month, len))
}

/// `March 3, 2024`, `Mar. 3 2024`, `March 3rd, 2024`, `March 2024`.
fn month_first(s: &str) -> Option<(Date, usize)> {
    let (month, mlen) = month_word(s)?;
    let at = skip_spaces(s, mlen);
    if at == mlen {
        return None;
    }
    if let Some((y, ylen)) = year(&s[at..]) {
        return valid(y, month, 0).map(|d| (d, at + ylen));
    }
    let (day, dlen) = day_number(&s[at..])?;
    let mut at = at + dlen;
    if s[at..].starts_with(',') {
        at += 1;
    }
    let before = at;
    at = skip_spaces(s, at);
    if at == before && !s[..at].ends_with(',') {
        return None;
    }
    let (y, ylen) = year(&s[at..])?;
    valid(y, month, u8::try_from(day).ok()?).map(|d| (d, at + ylen))
}

/// `3 March 2024`, `3rd of March, 2024`, `03 Mar 2024`.
fn day_first(s: &str) -> Option<(Date, usize)> {
    let (day, dlen) = day_number(s)?;
    let mut at = skip_spaces(s, dlen);
    if at == dlen {
        return None;
    }
    if let Some(rest) = strip_word_ci(&s[at..], "of") {
        at = skip_spaces(s, s.len() - rest.len());
    }
    let (month, mlen) = month_word(&s[at..])?;
    at += mlen;
    if s[at..].starts_with(',') {
        at += 1;
    }
    let before = at;
    at = skip_spaces(s, at);
    if at == before {
        return None;
    }
    let (y, ylen) = year(&s[at..])?;
    valid(y, month, u8::try_from(day).ok()?).map(|d| (d, at + ylen))
}

/// A date value from metadata (a meta tag, a JSON field) as ISO 8601:
/// a date at the start (`2024-03-05T10:00:00Z`, `March 5, 2024`), else
/// the first date inside, else a Unix time of 9-10 (seconds) or 12-13
/// (milliseconds) digits.
pub(crate) fn normalise(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some((date, _)) = parse_date(s) {
        return Some(date.iso());
    }
    if let Some(date) = find_date(s) {
        return Some(date.iso());
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && matches!(s.len(), 9 | 10 | 12 | 13) {
        return s.parse().ok().and_then(from_unix).map(Date::iso);
    }
    None
}

/// The UTC calendar date of a Unix time in seconds, or in milliseconds when
/// it is too large to be seconds before the year 2100. `None` before 1970.
pub(crate) fn from_unix(t: i64) -> Option<Date> {
    const SECONDS_BEFORE_2100: i64 = 4_102_444_800;
    if t < 0 {
        return None;
    }
    let secs = if t >= SECONDS_BEFORE_2100 { t / 1000 } else { t };
    if secs >= SECONDS_BEFORE_2100 {
        return None;
    }
    // Howard Hinnant's days-to-civil algorithm.
    let z = secs / 86_400 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(Date { year: u16::try_from(year).ok()?, month: u8::try_from(month).ok()?, day: u8::try_from(day).ok()? })
}

/// The first date anywhere in `s` that starts a word.
pub(crate) fn find_date(s: &str) -> Option<Date> {
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        if c.is_ascii_alphanumeric()
            && !prev.is_some_and(char::is_alphanumeric)
            && let Some((date, _)) = parse_date(&s[i..])
        {
            return Some(date);
        }
        prev = Some(c);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `month_of` and `is_weekday` as they were before the length and
    /// first-letter tests: the same answer for every prefix of every month
    /// and weekday name, in three cases, and for other words.
    #[test]
    fn month_and_weekday_filters_keep_every_answer() {
        let month_reference = |word: &str| {
            let sept = word.eq_ignore_ascii_case("sept");
            (word.len() >= 3)
                .then(|| MONTHS.iter().position(|m| names_or_abbreviates(m, word) || (sept && *m == "september")))
                .flatten()
                .and_then(|i| u8::try_from(i + 1).ok())
        };
        let weekday_reference = |word: &str| word.len() >= 3 && WEEKDAYS.iter().any(|d| names_or_abbreviates(d, word));
        let mut words: Vec<String> = ["", "x", "Sept", "SEPT.", "mayday", "Mayo", "Monde", "éMay", "Març", "Tue."]
            .iter()
            .map(|w| w.to_string())
            .collect();
        for name in MONTHS.iter().chain(&WEEKDAYS) {
            for end in 0..=name.len() {
                let w = &name[..end];
                words.extend([w.to_string(), w.to_ascii_uppercase(), format!("{w}s"), format!("x{w}")]);
                let mut title = w.to_string();
                if let Some(first) = title.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                words.push(title);
            }
        }
        let (mut months, mut weekdays) = (0, 0);
        for w in &words {
            assert_eq!(month_of(w), month_reference(w), "{w}");
            assert_eq!(is_weekday(w), weekday_reference(w), "{w}");
            months += usize::from(month_of(w).is_some());
            weekdays += usize::from(is_weekday(w));
        }
        assert!(months > 50 && weekdays > 30, "{months} {weekdays}");
    }

    fn iso(s: &str) -> Option<String> {
        parse_date(s).map(|(d, len)| format!("{} {}", d.iso(), &s[..len]))
    }

    #[test]
    fn formats() {
        assert_eq!(iso("March 3, 2024 10:00").as_deref(), Some("2024-03-03 March 3, 2024"));
        assert_eq!(iso("Mar. 3 2024").as_deref(), Some("2024-03-03 Mar. 3 2024"));
        assert_eq!(iso("Sept 30th, 2023").as_deref(), Some("2023-09-30 Sept 30th, 2023"));
        assert_eq!(iso("3 March 2024").as_deref(), Some("2024-03-03 3 March 2024"));
        assert_eq!(iso("3rd of March, 2024").as_deref(), Some("2024-03-03 3rd of March, 2024"));
        assert_eq!(iso("2024-03-03T10:00Z").as_deref(), Some("2024-03-03 2024-03-03"));
        assert_eq!(iso("2024/3/3").as_deref(), Some("2024-03-03 2024/3/3"));
        assert_eq!(iso("2024-03").as_deref(), Some("2024-03 2024-03"));
        assert_eq!(iso("March 2024").as_deref(), Some("2024-03 March 2024"));
        assert_eq!(iso("29 February 2024").as_deref(), Some("2024-02-29 29 February 2024"));
    }

    #[test]
    fn non_dates() {
        for s in [
            "March 3",
            "May we",
            "29 February 2023",
            "2024-13-01",
            "12345",
            "Marching 3, 2024",
            "3 Marches 2024",
            "2024",
        ] {
            assert_eq!(iso(s), None, "{s}");
        }
    }

    #[test]
    fn metadata_values() {
        let n = |s: &str| normalise(s);
        assert_eq!(n(" 2024-03-05T10:00:00+02:00").as_deref(), Some("2024-03-05"));
        assert_eq!(n("Tue, 5 March 2024 10:00 GMT").as_deref(), Some("2024-03-05"));
        assert_eq!(n("1709632800").as_deref(), Some("2024-03-05"));
        assert_eq!(n("1709632800000").as_deref(), Some("2024-03-05"));
        assert_eq!(n("0").as_deref(), None);
        assert_eq!(n("soon").as_deref(), None);
        assert_eq!(from_unix(0).map(Date::iso).as_deref(), Some("1970-01-01"));
        assert_eq!(from_unix(951_782_400).map(Date::iso).as_deref(), Some("2000-02-29"));
        assert_eq!(from_unix(-1), None);
        assert_eq!(from_unix(i64::MAX), None);
    }

    #[test]
    fn finds_a_date_inside_a_line() {
        assert_eq!(find_date("By Jane Doe | Published 3 March 2024").map(Date::iso).as_deref(), Some("2024-03-03"));
        assert_eq!(find_date("no date here, 12 apples"), None);
    }
}
