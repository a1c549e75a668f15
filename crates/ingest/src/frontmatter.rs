//! Front matter: a `---` (YAML-ish, `key: value`) or `+++` (TOML-ish,
//! `key = value`) block at the very top of a Markdown file. Only the keys
//! dyad needs are read; anything else is ignored, nothing ever fails.

use crate::text::Line;

#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct FrontMatter {
    /// Index of the closing fence line.
    pub close_line: usize,
    pub title: Option<String>,
    /// Author names as given, one per list item or value.
    pub authors: Vec<String>,
    /// Raw date values: publication dates first, then update dates.
    pub dates: Vec<String>,
}

const AUTHOR_KEYS: &[&str] = &["author", "authors", "byline", "creator", "writer", "by"];
const DATE_KEYS: &[&str] =
    &["date", "published", "published_at", "publish_date", "pubdate", "date_published", "datepublished", "created"];
const UPDATE_KEYS: &[&str] = &["updated", "updated_at", "modified", "lastmod", "last_modified", "date_modified"];

/// The front matter starting at the first line, if any. `lines` must be
/// the lines of `text`.
pub(crate) fn parse(text: &str, lines: &[Line]) -> Option<FrontMatter> {
    let first = lines.first()?;
    let fence = first.trimmed(text);
    let assign = match fence {
        "---" => ':',
        "+++" => '=',
        _ => return None,
    };
    // A fence line must not be indented (a BOM left in the text is allowed).
    if !text[first.start..first.trim_start].chars().all(|c| c == '\u{feff}') {
        return None;
    }
    let close_line = lines
        .iter()
        .enumerate()
        .skip(1)
        .take(200)
        .find(|(_, l)| {
            let t = l.raw(text).trim_end();
            t == fence || (assign == ':' && t == "...")
        })
        .map(|(i, _)| i)?;

    let mut fm = FrontMatter { close_line, ..FrontMatter::default() };
    let mut keys = 0;
    let mut updates = Vec::new();
    let mut list_key: Option<String> = None;
    for line in &lines[1..close_line] {
        let raw = line.raw(text);
        let t = line.trimmed(text);
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(item) = t.strip_prefix("- ").or_else(|| (t == "-").then_some("")) {
            if list_key.as_deref().is_some_and(|k| AUTHOR_KEYS.contains(&k)) {
                let item = item.trim();
                let item = item.strip_prefix("name:").map(str::trim).unwrap_or(item);
                push_value(&mut fm.authors, item);
            }
            continue;
        }
        if raw.starts_with([' ', '\t']) {
            continue; // a nested mapping: not ours
        }
        let Some((key, value)) = t.split_once(assign) else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            continue;
        }
        keys += 1;
        let value = value.trim();
        list_key = Some(key.clone());
        if key == "title" {
            fm.title = Some(unquote(value).to_string()).filter(|t| !t.is_empty());
        } else if AUTHOR_KEYS.contains(&key.as_str()) {
            for item in inline_list(value) {
                push_value(&mut fm.authors, item);
            }
        } else if DATE_KEYS.contains(&key.as_str()) {
            push_value(&mut fm.dates, value);
        } else if UPDATE_KEYS.contains(&key.as_str()) {
            push_value(&mut updates, value);
        }
    }
    fm.dates.extend(updates);
    (keys > 0).then_some(fm)
}

fn push_value(out: &mut Vec<String>, value: &str) {
    let v = unquote(value.trim());
    if !v.is_empty() {
        out.push(v.to_string());
    }
}

/// `[a, "b"]` -> `a`, `b`; anything else -> itself.
fn inline_list(value: &str) -> Vec<&str> {
    match value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        Some(inner) => inner.split(',').map(str::trim).collect(),
        None => vec![value],
    }
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner.trim();
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lines;

    #[test]
    fn yaml_and_toml() {
        let text =
            "---\ntitle: \"A: B\"\nauthors:\n  - Jane Doe\n  - name: John Roe\ndate: 2024-03-03\ntags: [x]\n---\nBody";
        let fm = parse(text, &lines(text)).expect("front matter");
        assert_eq!(fm.title.as_deref(), Some("A: B"));
        assert_eq!(fm.authors, ["Jane Doe", "John Roe"]);
        assert_eq!(fm.dates, ["2024-03-03"]);
        assert_eq!(fm.close_line, 7);

        let text = "+++\ntitle = 'T'\nauthor = [\"A B\", \"C D\"]\n+++\n";
        let fm = parse(text, &lines(text)).expect("front matter");
        assert_eq!((fm.title.as_deref(), fm.authors.len()), (Some("T"), 2));
    }

    #[test]
    fn a_rule_is_not_front_matter() {
        let text = "---\nJust a paragraph between rules.\n---\n";
        assert_eq!(parse(text, &lines(text)), None);
        assert_eq!(parse("---\ntitle: never closed\n", &lines("---\ntitle: never closed\n")), None);
    }
}
