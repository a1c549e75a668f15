//! JSON Lines exports (`.jsonl`, `.ndjson`): one article per line, an
//! object with `id`, `title`, `author`, `published`, `url` and `text`.
//! Other fields are ignored; blank lines are skipped; a line that is not a
//! JSON object with a non-empty string `text` is rejected with its line
//! number, and the lines around it are read as usual.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::dates;

/// The longest id taken from an `id` field, in chars.
const MAX_ID_CHARS: usize = 200;

/// One line of an export that holds an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    /// 1-based line number.
    pub line: usize,
    /// What follows `#` in the document id: the `id` field, or the line
    /// number when there is none (made unique within the file).
    pub key: String,
    pub text: String,
    pub title: Option<String>,
    pub author: Option<String>,
    /// Normalised to `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`).
    pub published: Option<String>,
    pub url: Option<String>,
}

/// One line that holds no article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadLine {
    pub line: usize,
    /// What follows `#` in the id of its `documents.csv` row.
    pub key: String,
    pub reason: String,
}

/// The lines of an export, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Line {
    Record(Box<Record>),
    Bad(BadLine),
}

/// Parses every non-blank line of `text`.
pub(crate) fn parse(text: &str) -> Vec<Line> {
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        match record(raw, line) {
            Ok(mut rec) => {
                rec.key = unique(&mut used, rec.key, line);
                out.push(Line::Record(Box::new(rec)));
            }
            Err(reason) => {
                let key = unique(&mut used, line.to_string(), line);
                out.push(Line::Bad(BadLine { line, key, reason: format!("line {line}{reason}") }));
            }
        }
    }
    out
}

/// `key`, or `key~line` when `key` is already taken in this file.
fn unique(used: &mut BTreeSet<String>, key: String, line: usize) -> String {
    let mut candidate = key.clone();
    let mut n = 0;
    while used.contains(&candidate) {
        n += 1;
        candidate = if n == 1 { format!("{key}~{line}") } else { format!("{key}~{line}~{n}") };
    }
    used.insert(candidate.clone());
    candidate
}

/// One line as a record; the error is the reason without the line number
/// (`", column 5: not valid JSON: ..."` or `": no text field"`).
fn record(raw: &str, line: usize) -> Result<Record, String> {
    let value: Value = serde_json::from_str(raw).map_err(|e| {
        let message = e.to_string();
        // serde_json ends its messages with " at line 1 column N".
        let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
        format!(", column {}: not valid JSON: {message}", e.column())
    })?;
    let Value::Object(map) = value else {
        return Err(": not a JSON object".to_string());
    };
    let text = match map.get("text") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::String(_)) => return Err(": empty text".to_string()),
        Some(Value::Null) | None => return Err(": no text field".to_string()),
        Some(_) => return Err(": text is not a string".to_string()),
    };
    let key = map.get("id").and_then(scalar).map(|id| clean_id(&id)).filter(|id| !id.is_empty());
    Ok(Record {
        line,
        key: key.unwrap_or_else(|| line.to_string()),
        text,
        title: map.get("title").and_then(scalar).map(|t| one_line(&t)).filter(|t| !t.is_empty()),
        author: map.get("author").and_then(author_value),
        published: map.get("published").and_then(date_value),
        url: map.get("url").and_then(scalar).map(|u| one_line(&u)).filter(|u| !u.is_empty()),
    })
}

/// A string or number as text.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whitespace runs collapsed, trimmed.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An id usable in a file name and a CSV cell: control characters,
/// whitespace and path separators become `_`, at most [`MAX_ID_CHARS`].
fn clean_id(s: &str) -> String {
    s.trim()
        .chars()
        .take(MAX_ID_CHARS)
        .map(|c| if c.is_control() || c.is_whitespace() || matches!(c, '/' | '\\') { '_' } else { c })
        .collect()
}

/// An author field: a string ("By Jane Doe"), an object with a `name`, or
/// an array of either, joined with `"; "`.
pub(crate) fn author_value(v: &Value) -> Option<String> {
    let mut names = Vec::new();
    let mut push = |v: &Value| {
        let name = match v {
            Value::String(s) => Some(s.as_str()),
            Value::Object(map) => map.get("name").and_then(Value::as_str),
            _ => None,
        };
        if let Some(name) = name {
            let name = one_line(name);
            let name = match name.get(..3) {
                Some(by) if by.eq_ignore_ascii_case("by ") => name[3..].trim().to_string(),
                _ => name,
            };
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
    };
    match v {
        Value::Array(items) => items.iter().take(20).for_each(&mut push),
        other => push(other),
    }
    (!names.is_empty()).then(|| names.join("; "))
}

/// A date field: a date string, or a Unix time in seconds or milliseconds.
fn date_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => dates::normalise(s),
        Value::Number(n) => n.as_i64().and_then(dates::from_unix).map(dates::Date::iso),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> Vec<String> {
        parse(text)
            .into_iter()
            .map(|l| match l {
                Line::Record(r) => format!(
                    "{} #{} {:?} t={:?} a={:?} p={:?} u={:?}",
                    r.line, r.key, r.text, r.title, r.author, r.published, r.url
                ),
                Line::Bad(b) => format!("{} #{} {}", b.line, b.key, b.reason),
            })
            .collect()
    }

    #[test]
    fn records_and_bad_lines() {
        let text = concat!(
            r#"{"id":"a1","title":" Russia  and Iran ","author":"By Jane Doe","published":"2024-03-05T10:00:00Z","url":"https://x.org/a","text":"Russia backed Iran.","extra":[1,2]}"#,
            "\r\n\n",
            r#"{"text":"No id here.","author":[{"name":"Jane Doe"},"John Roe"],"published":1709632800}"#,
            "\n",
            r#"{"id":"a1","text":"Same id again."}"#,
            "\n",
            "{\"id\":\"x\", \"text\": \n",
            "[1,2]\n",
            r#"{"id":7,"text":""}"#,
            "\n",
            r#"{"id":"../../etc/passwd","text":5}"#,
            "\n",
            r#"{"id":"6","text":"Clashes with no line."}"#,
            "\n",
            r#"{"title":"t"}"#,
        );
        assert_eq!(
            render(text),
            [
                r#"1 #a1 "Russia backed Iran." t=Some("Russia and Iran") a=Some("Jane Doe") p=Some("2024-03-05") u=Some("https://x.org/a")"#,
                r#"3 #3 "No id here." t=None a=Some("Jane Doe; John Roe") p=Some("2024-03-05") u=None"#,
                r#"4 #a1~4 "Same id again." t=None a=None p=None u=None"#,
                "5 #5 line 5, column 19: not valid JSON: EOF while parsing a value",
                "6 #6 line 6: not a JSON object",
                "7 #7 line 7: empty text",
                "8 #8 line 8: text is not a string",
                r#"9 #6~9 "Clashes with no line." t=None a=None p=None u=None"#,
                "10 #10 line 10: no text field",
            ]
        );
    }

    #[test]
    fn ids_are_cleaned() {
        assert_eq!(clean_id(" ../a b\tc/d\\e "), ".._a_b_c_d_e");
        assert_eq!(clean_id(&"x".repeat(300)).len(), MAX_ID_CHARS);
    }
}
