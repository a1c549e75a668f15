//! Parsing the seed TSV files (`actors.tsv`, `aliases.tsv`, `persons.tsv`)
//! into an [`ActorTable`] and a list of name patterns.

use crate::DictError;
use dyad_core::{Actor, ActorId, ActorKind, ActorTable, Via};

/// One name the matcher looks for, before it is indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    pub(crate) words: Vec<String>,
    pub(crate) target: Target,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A name that always names this actor.
    Actor(ActorId, Via),
    /// A single word naming a person: always when `alone`, otherwise only
    /// after their full name, or after a title.
    Surname { person: ActorId, alone: bool },
    /// A phrase that shadows the aliases inside it and names no actor.
    Block,
}

/// The seed files a gazetteer is built from, as text with the name shown in errors.
#[derive(Debug, Clone, Copy)]
pub struct SeedText<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// Data lines of a TSV file: `(line number, fields)`, skipping the header,
/// comments and blank lines; checks the column count.
fn records<'a>(
    seed: SeedText<'a>,
    header: &'static [&'static str],
) -> impl Iterator<Item = Result<(usize, Vec<&'a str>), DictError>> + 'a {
    let mut seen_header = false;
    seed.text.lines().enumerate().filter_map(move |(i, raw)| {
        let line_no = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            return None;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if !seen_header {
            seen_header = true;
            if fields.as_slice() == header {
                return None;
            }
            return Some(Err(err(seed, line_no, format!("expected the header `{}`", header.join("\\t")))));
        }
        if fields.len() != header.len() {
            return Some(Err(err(
                seed,
                line_no,
                format!("expected {} tab-separated columns, found {}", header.len(), fields.len()),
            )));
        }
        // `f.trim() != f`, looking at the two ends only.
        if let Some(f) = fields.iter().find(|f| f.starts_with(char::is_whitespace) || f.ends_with(char::is_whitespace))
        {
            return Some(Err(err(seed, line_no, format!("field `{f}` has leading or trailing spaces"))));
        }
        Some(Ok((line_no, fields)))
    })
}

fn err(seed: SeedText<'_>, line: usize, message: String) -> DictError {
    DictError::Line { file: seed.name.to_string(), line, message }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

const ACTORS_HEADER: &[&str] = &["id", "kind", "name", "belongs_to", "country", "wikidata"];
const ALIASES_HEADER: &[&str] = &["actor_id", "alias", "type"];
const PERSONS_HEADER: &[&str] = &["id", "name", "belongs_to", "role", "wikidata", "aliases", "surname_alone"];

/// Parses the three seed files into the actor table and the name patterns.
pub(crate) fn parse(
    actors_tsv: SeedText<'_>,
    aliases_tsv: SeedText<'_>,
    persons_tsv: SeedText<'_>,
) -> Result<(ActorTable, Vec<Pattern>), DictError> {
    let mut table = ActorTable::new();
    let mut patterns = Vec::new();
    // Links are resolved after every actor is known: (actor, belongs_to, country, file, line).
    let mut links: Vec<(ActorId, &str, &str, SeedText<'_>, usize)> = Vec::new();

    for rec in records(actors_tsv, ACTORS_HEADER) {
        let (line, f) = rec?;
        let kind = ActorKind::parse(f[1])
            .filter(|k| *k != ActorKind::Person)
            .ok_or_else(|| err(actors_tsv, line, format!("unknown kind `{}`", f[1])))?;
        if f[0].is_empty() || f[2].is_empty() {
            return Err(err(actors_tsv, line, "id and name must not be empty".into()));
        }
        let actor = Actor {
            id: f[0].to_string(),
            name: f[2].to_string(),
            kind,
            belongs_to: None,
            country: None,
            wikidata: non_empty(f[5]),
        };
        let id = table.insert(actor).map_err(|_| err(actors_tsv, line, format!("duplicate id `{}`", f[0])))?;
        links.push((id, f[3], f[4], actors_tsv, line));
        let via = if kind == ActorKind::Organ && is_abbreviation(f[2]) { Via::Abbreviation } else { Via::Name };
        patterns.push(Pattern { words: split_words(f[2]), target: Target::Actor(id, via) });
    }

    for rec in records(persons_tsv, PERSONS_HEADER) {
        let (line, f) = rec?;
        if f[0].is_empty() || f[1].is_empty() {
            return Err(err(persons_tsv, line, "id and name must not be empty".into()));
        }
        let alone = match f[6] {
            "yes" => true,
            "no" => false,
            other => {
                return Err(err(persons_tsv, line, format!("surname_alone must be yes or no, not `{other}`")));
            }
        };
        let actor = Actor {
            id: f[0].to_string(),
            name: f[1].to_string(),
            kind: ActorKind::Person,
            belongs_to: None,
            country: None,
            wikidata: non_empty(f[4]),
        };
        let id = table.insert(actor).map_err(|_| err(persons_tsv, line, format!("duplicate id `{}`", f[0])))?;
        if f[2].is_empty() {
            return Err(err(persons_tsv, line, "belongs_to must not be empty".into()));
        }
        links.push((id, f[2], "", persons_tsv, line));
        let names = std::iter::once(f[1]).chain(f[5].split('|').filter(|a| !a.is_empty()));
        for name in names {
            let words = split_words(name);
            let word_count = words.iter().filter(|w| is_word(w)).count();
            if word_count >= 2 {
                // The full name, and its last word as a surname.
                for surname in surnames(&words) {
                    patterns.push(Pattern { words: surname, target: Target::Surname { person: id, alone } });
                }
                patterns.push(Pattern { words, target: Target::Actor(id, Via::Person) });
            } else if word_count == 1 {
                patterns.push(Pattern { words, target: Target::Surname { person: id, alone } });
            }
        }
    }

    for (id, belongs_to, country, seed, line) in links {
        let resolve = |s: &str, what: &str| -> Result<Option<ActorId>, DictError> {
            if s.is_empty() {
                return Ok(None);
            }
            table.lookup(s).map(Some).ok_or_else(|| err(seed, line, format!("{what} `{s}` is not an actor id")))
        };
        let parent = resolve(belongs_to, "belongs_to")?;
        let mut country_id = resolve(country, "country")?;
        let kind = table.get(id).kind;
        if kind == ActorKind::State {
            country_id = Some(id);
        }
        if country_id.is_none() {
            // A person or organ is based where the actor they belong to is.
            country_id = parent.and_then(|p| table.get(p).country);
        }
        let a = table.get_mut(id);
        a.belongs_to = parent;
        a.country = country_id;
    }

    for rec in records(aliases_tsv, ALIASES_HEADER) {
        let (line, f) = rec?;
        if f[1].is_empty() {
            return Err(err(aliases_tsv, line, "alias must not be empty".into()));
        }
        let words = split_words(f[1]);
        let target = if f[2] == "block" {
            Target::Block
        } else {
            let id = table
                .lookup(f[0])
                .ok_or_else(|| err(aliases_tsv, line, format!("actor_id `{}` is not an actor id", f[0])))?;
            let via = match f[2] {
                "name" => Via::Name,
                "abbreviation" => Via::Abbreviation,
                "demonym" => Via::Demonym,
                "metonym" => Via::Metonym,
                other => return Err(err(aliases_tsv, line, format!("unknown alias type `{other}`"))),
            };
            Target::Actor(id, via)
        };
        patterns.push(Pattern { words, target });
    }
    Ok((table, patterns))
}

/// The surnames a full name gives: its last word when capitalised ("Putin");
/// for "al-Assad" both "al-Assad" and "Assad"; nothing for the second half of
/// a hyphenated given name ("Kim Jong-un", "Moon Jae-in"), whose family name
/// comes first and is listed as an alias instead.
fn surnames(words: &[String]) -> Vec<Vec<String>> {
    let n = words.len();
    let Some(last) = words.last().filter(|w| is_word(w) && w.chars().next().is_some_and(char::is_uppercase)) else {
        return Vec::new();
    };
    if n >= 3 && words[n - 2] == "-" {
        let particle = &words[n - 3];
        if matches!(particle.to_lowercase().as_str(), "al" | "el" | "bin" | "ibn" | "abu" | "ul") {
            return vec![words[n - 3..].to_vec(), vec![last.clone()]];
        }
        return Vec::new();
    }
    vec![vec![last.clone()]]
}

fn is_abbreviation(name: &str) -> bool {
    name.len() <= 6 && name.chars().all(|c| c.is_ascii_uppercase() || c == '.')
}

pub(crate) fn is_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_alphanumeric)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Splits a dictionary name into the words and punctuation the tokenizer
/// gives for the same text: letters and digits with inner apostrophes and
/// periods form a word ("U.S.", "d'Ivoire"); a possessive `'s` is its own
/// token; every other non-space character is a token of its own.
pub(crate) fn split_words(name: &str) -> Vec<String> {
    // Most names are ASCII: their bytes are their characters.
    if name.is_ascii() {
        return split_chars(name, name.as_bytes(), |i| i);
    }
    let chars: Vec<char> = name.chars().collect();
    let starts: Vec<usize> = name.char_indices().map(|(b, _)| b).collect();
    split_chars(name, &chars, |i| starts.get(i).copied().unwrap_or(name.len()))
}

/// [`split_words`] over the characters `chars` of `name`; `byte(i)` is
/// where character `i` starts (`name.len()` for `chars.len()`). A word is
/// one slice of `name`, copied once.
fn split_chars<C: Copy + Into<char>>(name: &str, chars: &[C], byte: impl Fn(usize) -> usize) -> Vec<String> {
    let mut out = Vec::new();
    let char_at = |i: usize| chars.get(i).map(|&c| c.into());
    let mut i = 0;
    while let Some(c) = char_at(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let start = i;
            // The word's last apostrophe.
            let mut apostrophe = None;
            i += 1;
            while let Some(c) = char_at(i) {
                if c.is_alphanumeric() {
                    i += 1;
                } else if (c == '.' || is_apostrophe(c)) && char_at(i + 1).is_some_and(char::is_alphanumeric) {
                    if c != '.' {
                        apostrophe = Some(i);
                    }
                    i += 1;
                } else if c == '.' && i >= 2 && char_at(i - 2) == Some('.') {
                    // The final period of an abbreviation like "U.S."
                    i += 1;
                    break;
                } else {
                    break;
                }
            }
            let word = &name[byte(start)..byte(i)];
            // "People's" -> "People" + "'s".
            if let Some(pos) = apostrophe.map(|a| byte(a) - byte(start))
                && pos > 0
                && after_first_char(&word[pos..]).eq_ignore_ascii_case("s")
            {
                out.push(word[..pos].to_string());
                out.push(word[pos..].to_string());
                continue;
            }
            out.push(word.to_string());
        } else {
            out.push(name[byte(i)..byte(i + 1)].to_string());
            i += 1;
        }
    }
    out
}

/// `s` without its first character.
fn after_first_char(s: &str) -> &str {
    let mut chars = s.chars();
    chars.next();
    chars.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `split_words` as it was first written, char by char: the oracle.
    fn split_words_by_chars(name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let chars: Vec<char> = name.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            if c.is_alphanumeric() {
                let start = i;
                i += 1;
                while i < chars.len() {
                    let c = chars[i];
                    let next_alnum = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                    if c.is_alphanumeric() || ((c == '.' || is_apostrophe(c)) && next_alnum) {
                        i += 1;
                    } else if c == '.' && i >= 2 && chars[i - 2] == '.' {
                        // The final period of an abbreviation like "U.S."
                        i += 1;
                        break;
                    } else {
                        break;
                    }
                }
                let mut word: String = chars[start..i].iter().collect();
                // "People's" -> "People" + "'s".
                if let Some(pos) = word.rfind(['\'', '\u{2019}'])
                    && word[pos..].chars().skip(1).collect::<String>().eq_ignore_ascii_case("s")
                    && pos > 0
                {
                    let clitic = word.split_off(pos);
                    out.push(word);
                    out.push(clitic);
                    continue;
                }
                out.push(word);
            } else {
                out.push(c.to_string());
                i += 1;
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn split_words_agrees_with_the_char_by_char_split(name in "[aZ9 .'’\\-ésŚ]{0,12}") {
            proptest::prop_assert_eq!(split_words(&name), split_words_by_chars(&name));
        }

        #[test]
        fn split_words_of_ascii_agrees_with_the_char_by_char_split(name in "[aZ9 .'\\-sS]{0,12}") {
            proptest::prop_assert_eq!(split_words(&name), split_words_by_chars(&name));
        }
    }

    #[test]
    fn split_words_matches_the_tokenizer_shapes() {
        assert_eq!(split_words("U.S. Congress"), ["U.S.", "Congress"]);
        assert_eq!(split_words("People's Liberation Army"), ["People", "'s", "Liberation", "Army"]);
        assert_eq!(split_words("Côte d'Ivoire"), ["Côte", "d'Ivoire"]);
        assert_eq!(split_words("al-Assad"), ["al", "-", "Assad"]);
        assert_eq!(split_words("Kim Jong-un"), ["Kim", "Jong", "-", "un"]);
    }

    #[test]
    fn surnames_skip_hyphenated_given_names() {
        let s = |name: &str| surnames(&split_words(name)).into_iter().map(|w| w.concat()).collect::<Vec<_>>();
        assert_eq!(s("Vladimir Putin"), ["Putin"]);
        assert_eq!(s("Bashar al-Assad"), ["al-Assad", "Assad"]);
        assert!(s("Kim Jong-un").is_empty());
        assert!(s("Moon Jae-in").is_empty());
        assert!(s("Ban Ki-moon").is_empty());
    }

    fn seed<'a>(name: &'a str, text: &'a str) -> SeedText<'a> {
        SeedText { name, text }
    }

    #[test]
    fn errors_name_file_and_line() {
        let actors =
            "id\tkind\tname\tbelongs_to\tcountry\twikidata\nRUS\tstate\tRussia\t\t\t\nXYZ\tplanet\tMars\t\t\t\n";
        let aliases = "actor_id\talias\ttype\n";
        let persons = "id\tname\tbelongs_to\trole\twikidata\taliases\tsurname_alone\n";
        let e =
            parse(seed("actors.tsv", actors), seed("aliases.tsv", aliases), seed("persons.tsv", persons)).unwrap_err();
        assert_eq!(e.to_string(), "actors.tsv:3: unknown kind `planet`");

        let actors = "id\tkind\tname\tbelongs_to\tcountry\twikidata\nRUS\tstate\tRussia\t\t\t\n";
        let aliases = "actor_id\talias\ttype\nRUS\tMoscow\tmetonym\nRUX\tKremlin\tmetonym\n";
        let e =
            parse(seed("actors.tsv", actors), seed("aliases.tsv", aliases), seed("persons.tsv", persons)).unwrap_err();
        assert_eq!(e.to_string(), "aliases.tsv:3: actor_id `RUX` is not an actor id");

        let persons_bad = "id\tname\tbelongs_to\trole\twikidata\taliases\tsurname_alone\nVLADIMIR_PUTIN\tVladimir Putin\tRUS\tPresident\n";
        let e = parse(
            seed("actors.tsv", actors),
            seed("aliases.tsv", "actor_id\talias\ttype\n"),
            seed("p.tsv", persons_bad),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "p.tsv:2: expected 7 tab-separated columns, found 4");

        let e = parse(seed("a.tsv", "id\tname\n"), seed("b.tsv", aliases), seed("c.tsv", persons)).unwrap_err();
        assert!(e.to_string().starts_with("a.tsv:1: expected the header"), "{e}");

        let header = "actor_id\talias\ttype\n";
        for (field, spaced) in [(" Moscow", true), ("Moscow\u{a0}", true), ("Mos cow", false), ("", false)] {
            let aliases = format!("{header}RUS\t{field}\tmetonym\n");
            let e =
                parse(seed("actors.tsv", actors), seed("aliases.tsv", &aliases), seed("persons.tsv", persons)).err();
            let message = format!("aliases.tsv:2: field `{field}` has leading or trailing spaces");
            assert_eq!(e.is_some_and(|e| e.to_string() == message), spaced, "{field:?}");
        }
    }

    #[test]
    fn persons_roll_up_and_inherit_country() {
        let actors =
            "id\tkind\tname\tbelongs_to\tcountry\twikidata\nIRN\tstate\tIran\t\t\tQ794\nIRGC\torgan\tIRGC\tIRN\t\t\n";
        let persons = "id\tname\tbelongs_to\trole\twikidata\taliases\tsurname_alone\nHOSSEIN_SALAMI\tHossein Salami\tIRGC\tcommander\t\t\tno\n";
        let (t, _) = parse(seed("a", actors), seed("b", "actor_id\talias\ttype\n"), seed("c", persons)).unwrap();
        let salami = t.lookup("HOSSEIN_SALAMI").unwrap();
        let irn = t.lookup("IRN").unwrap();
        assert_eq!(t.primary(salami), irn);
        assert_eq!(t.get(salami).country, Some(irn));
        assert_eq!(t.get(irn).country, Some(irn));
    }
}
