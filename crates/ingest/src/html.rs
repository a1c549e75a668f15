//! HTML -> the article's text plus the title, author and date its meta
//! tags give. A small tag scanner, not a browser: it never fails and never
//! panics, whatever the markup.
//!
//! * Dropped with everything inside: `script`, `style`, `noscript`,
//!   `template`, `svg`, `nav`, `header`, `footer`, `aside`, `form`,
//!   `button`, `select`, `textarea`, `iframe`, `figure`, `dialog`, and any
//!   element that is `hidden`, `aria-hidden="true"`, `display:none` or has
//!   a navigation/banner/footer/sidebar/search `role`.
//! * Scope: when the page has `<article>` elements, only the one with the
//!   most text is kept (others are usually teasers); otherwise `<main>`
//!   (or `role="main"`) when there is one; otherwise the whole body.
//! * Text: every block element (`p`, `h1`-`h6`, `li`, `blockquote`, `div`,
//!   `td`, ...) and `<br>` ends a paragraph; inline elements (`a`, `em`,
//!   `span`...) join their text. Whitespace runs collapse to one space,
//!   common named and all numeric character references are decoded, and
//!   the paragraphs are joined with a blank line: one paragraph per line.
//! * Meta: the title from `og:title`, `twitter:title`, JSON-LD `headline`,
//!   `dc.title` or `<title>`; the author from `author`, `article:author`
//!   (not a URL), JSON-LD `author`, `parsely-author`, `sailthru.author`,
//!   `dc.creator` or `byl`; the date from `article:published_time`,
//!   `datePublished`, JSON-LD, `pubdate`, `publish-date`, `date`,
//!   `dc.date` and friends. Values are returned raw; the caller normalises.

use std::collections::HashMap;

use crate::decode::html_char;

/// What [`extract`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Extracted {
    /// The paragraphs, separated by `"\n\n"`; no leading or trailing space.
    pub text: String,
    pub title: Option<String>,
    pub author: Option<String>,
    /// Raw date value, to be normalised by the caller.
    pub published: Option<String>,
    /// `<link rel="canonical">` or `og:url`.
    pub url: Option<String>,
}

/// Elements dropped with their content.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "nav", "header", "footer", "aside", "form", "button",
    "select", "textarea", "iframe", "object", "embed", "figure", "dialog", "canvas", "video", "audio", "map", "head",
    "menu",
];

/// Roles whose element is not article text.
const DROPPED_ROLES: &[&str] =
    &["navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alertdialog"];

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"];

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "keygen",
];

/// Elements that start and end a paragraph.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Meta keys (lower-case `name`, `property` or `itemprop`) in order of
/// preference.
const TITLE_KEYS: &[&str] = &["og:title", "twitter:title", "ld:headline", "dc.title", "parsely-title", "title"];
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "ld:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "citation_author",
    "byl",
];
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "datepublished",
    "ld:datepublished",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "citation_publication_date",
    "date",
];

/// An element on the open-element stack.
struct Open {
    name: String,
    /// This element (not an ancestor) is dropped.
    dropped: bool,
    /// The number of this `<article>`, counted from 1.
    article: Option<u32>,
    main: bool,
}

/// One paragraph of text with where it sits.
struct Block {
    text: String,
    /// The outermost enclosing `<article>`.
    article: Option<u32>,
    main: bool,
}

/// Deeper nesting than this is ignored (the elements are read as inline),
/// so broken pages cannot make the scanner slow.
const MAX_DEPTH: usize = 256;

struct Scanner<'a> {
    html: &'a str,
    pos: usize,
    /// The open elements, at most [`MAX_DEPTH`].
    stack: Vec<Open>,
    /// How many open elements are dropped, are `<main>`.
    dropped: usize,
    mains: usize,
    /// How many open elements have each name.
    open_names: HashMap<String, usize>,
    /// The outermost open `<article>`.
    outer_article: Option<u32>,
    blocks: Vec<Block>,
    /// The paragraph being collected.
    current: String,
    pending_space: bool,
    articles: u32,
    /// (key, value) from meta tags and JSON-LD, in document order.
    meta: Vec<(String, String)>,
    title_tag: Option<String>,
}

/// Extracts the article text and metadata from an HTML page.
pub(crate) fn extract(html: &str) -> Extracted {
    let mut s = Scanner {
        html,
        pos: 0,
        stack: Vec::new(),
        dropped: 0,
        mains: 0,
        open_names: HashMap::new(),
        outer_article: None,
        blocks: Vec::new(),
        current: String::new(),
        pending_space: false,
        articles: 0,
        meta: Vec::new(),
        title_tag: None,
    };
    s.run();
    s.finish()
}

impl<'a> Scanner<'a> {
    fn run(&mut self) {
        let bytes = self.html.as_bytes();
        while self.pos < bytes.len() {
            let Some(lt) = memchr_lt(&bytes[self.pos..]).map(|i| self.pos + i) else {
                let rest = &self.html[self.pos..];
                self.text(rest);
                break;
            };
            if lt > self.pos {
                let chunk = &self.html[self.pos..lt];
                self.text(chunk);
            }
            self.pos = lt;
            self.markup();
        }
        self.end_block();
    }

    /// At a `<`: a comment, declaration, end tag, start tag, or a literal `<`.
    fn markup(&mut self) {
        let rest = &self.html[self.pos..];
        let next = rest.as_bytes().get(1).copied();
        if let Some(comment) = rest.strip_prefix("<!--") {
            self.pos += comment.find("-->").map_or(rest.len(), |i| i + 7);
        } else if matches!(next, Some(b'!' | b'?')) {
            self.pos += rest.find('>').map_or(rest.len(), |i| i + 1);
        } else if next == Some(b'/') && rest.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic) {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let name = tag_name(&rest[2..end]);
            self.pos += end;
            self.close(&name);
        } else if next.is_some_and(|b| b.is_ascii_alphabetic()) {
            self.start_tag();
        } else {
            self.pos += 1;
            self.text("<");
        }
    }

    fn start_tag(&mut self) {
        let rest = &self.html[self.pos..];
        let (tag, attrs, len) = parse_start_tag(rest);
        self.pos += len;
        let self_closing = rest[..len].ends_with("/>");
        let name = tag.to_ascii_lowercase();

        if name == "meta" {
            self.meta_tag(&attrs);
        }
        if name == "link"
            && attr(&attrs, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical"))
            && let Some(href) = attr(&attrs, "href")
        {
            self.meta.push(("canonical".to_string(), clean(href)));
        }
        if RAW_TEXT.contains(&name.as_str()) && !self_closing {
            let content = self.raw_text(&name);
            match name.as_str() {
                "title" if self.title_tag.is_none() => self.title_tag = Some(clean(content)),
                "script" if attr(&attrs, "type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) => {
                    json_ld(content, &mut self.meta);
                }
                _ => {}
            }
            return;
        }
        if BLOCK.contains(&name.as_str()) {
            self.end_block();
        }
        if VOID.contains(&name.as_str()) || self_closing {
            return;
        }
        // Content ends the head, whether or not `</head>` was written.
        if !matches!(name.as_str(), "title" | "meta" | "link" | "base" | "script" | "style" | "noscript" | "template")
            && self.is_open("head")
        {
            self.close("head");
        }
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        // Close what the new element implicitly ends.
        match name.as_str() {
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "blockquote" | "table" | "pre"
            | "section" | "article" => self.close_if_open("p"),
            "li" => self.close_if_open("li"),
            _ => {}
        }
        let role = attr(&attrs, "role").map(str::to_ascii_lowercase);
        let dropped = DROPPED.contains(&name.as_str())
            || attr(&attrs, "hidden").is_some()
            || attr(&attrs, "aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true"))
            || attr(&attrs, "style").is_some_and(|v| {
                let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
                v.to_ascii_lowercase().contains("display:none")
            })
            || role.as_deref().is_some_and(|r| DROPPED_ROLES.contains(&r));
        let article = (name == "article").then(|| {
            self.articles += 1;
            self.articles
        });
        let main = name == "main" || role.as_deref() == Some("main");
        self.dropped += usize::from(dropped);
        self.mains += usize::from(main);
        if self.outer_article.is_none() {
            self.outer_article = article;
        }
        *self.open_names.entry(name.clone()).or_default() += 1;
        self.stack.push(Open { name, dropped, article, main });
    }

    /// The raw content of a raw-text element up to its end tag, which is
    /// consumed.
    fn raw_text(&mut self, name: &str) -> &'a str {
        let html = self.html;
        let rest = &html[self.pos..];
        let bytes = rest.as_bytes();
        let mut from = 0;
        while let Some(i) = rest[from..].find("</").map(|i| from + i) {
            let after = &bytes[i + 2..];
            let matches = after.len() >= name.len()
                && after[..name.len()].eq_ignore_ascii_case(name.as_bytes())
                && after.get(name.len()).is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'));
            if matches {
                let close = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
                self.pos += close;
                return &rest[..i];
            }
            from = i + 2;
        }
        self.pos = self.html.len();
        rest
    }

    fn close_if_open(&mut self, name: &str) {
        // Only the innermost open element, as the parser's "close a p
        // element" step: a `<p>` inside a `<div>` inside a `<p>` is legal.
        if self.stack.last().is_some_and(|o| o.name == name) {
            self.close(name);
        }
    }

    fn close(&mut self, name: &str) {
        let name = name.to_ascii_lowercase();
        if BLOCK.contains(&name.as_str()) {
            self.end_block();
        }
        if !self.is_open(&name) {
            return;
        }
        if let Some(i) = self.stack.iter().rposition(|o| o.name == name) {
            // Elements left open inside it end with it; a block among them
            // ends the paragraph.
            if self.stack[i..].iter().any(|o| BLOCK.contains(&o.name.as_str())) {
                self.end_block();
            }
            for o in self.stack.drain(i..) {
                self.dropped -= usize::from(o.dropped);
                self.mains -= usize::from(o.main);
                if let Some(n) = self.open_names.get_mut(&o.name) {
                    *n -= 1;
                }
                if o.article.is_some() && o.article == self.outer_article {
                    self.outer_article = None;
                }
            }
        }
    }

    fn is_open(&self, name: &str) -> bool {
        self.open_names.get(name).is_some_and(|n| *n > 0)
    }

    fn text(&mut self, raw: &str) {
        if self.dropped > 0 || raw.is_empty() {
            return;
        }
        let mut decoded = String::new();
        let text = if raw.contains('&') {
            decode_entities(raw, &mut decoded);
            decoded.as_str()
        } else {
            raw
        };
        for c in text.chars() {
            if c.is_whitespace() || c == '\u{feff}' {
                self.pending_space = true;
            } else if c == '\u{ad}' || c.is_control() {
                // Soft hyphens and stray control characters are not text.
            } else {
                if self.pending_space && !self.current.is_empty() {
                    self.current.push(' ');
                }
                self.pending_space = false;
                self.current.push(c);
            }
        }
    }

    fn end_block(&mut self) {
        self.pending_space = false;
        if self.current.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.current);
        let article = self.outer_article;
        let main = self.mains > 0;
        self.blocks.push(Block { text, article, main });
    }

    fn meta_tag(&mut self, attrs: &[(&str, &str)]) {
        let key = attr(attrs, "property").or_else(|| attr(attrs, "name")).or_else(|| attr(attrs, "itemprop"));
        if let (Some(key), Some(content)) = (key, attr(attrs, "content")) {
            let value = clean(content);
            if !value.is_empty() {
                self.meta.push((key.to_ascii_lowercase(), value));
            }
        }
    }

    fn finish(self) -> Extracted {
        let mut by_article: Vec<(u32, usize)> = Vec::new();
        for b in &self.blocks {
            if let Some(a) = b.article {
                match by_article.iter_mut().find(|(id, _)| *id == a) {
                    Some((_, len)) => *len += b.text.len(),
                    None => by_article.push((a, b.text.len())),
                }
            }
        }
        // The longest article; the first among equals.
        let best = by_article.iter().fold(None::<(u32, usize)>, |best, &(a, len)| match best {
            Some((_, l)) if l >= len => best,
            _ => Some((a, len)),
        });
        let any_main = self.blocks.iter().any(|b| b.main);
        let keep = |b: &Block| match best {
            Some((a, _)) => b.article == Some(a),
            None => !any_main || b.main,
        };
        let text = self.blocks.iter().filter(|b| keep(b)).map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n\n");

        let find = |keys: &[&str]| -> Option<String> {
            keys.iter().find_map(|k| self.meta.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()))
        };
        let title = find(TITLE_KEYS).or(self.title_tag.filter(|t| !t.is_empty()));
        let author = AUTHOR_KEYS
            .iter()
            .flat_map(|k| self.meta.iter().filter(move |(key, _)| key == k))
            .map(|(_, v)| strip_by(v))
            .find(|v| !v.is_empty() && !v.contains("://") && !v.starts_with('@'));
        let published = find(DATE_KEYS);
        let url = find(&["canonical", "og:url"]).filter(|u| u.contains("://"));
        Extracted { text, title, author, published, url }
    }
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// The tag name at the start of `s` (after `<` or `</`).
fn tag_name(s: &str) -> String {
    s.chars().take_while(|c| !c.is_whitespace() && !matches!(c, '/' | '>')).collect::<String>().to_ascii_lowercase()
}

/// A start tag at the start of `s` (which begins with `<` and a letter):
/// its name, its attributes (names as written, values raw), and its length
/// up to and including `>` (the rest of `s` when it never closes).
fn parse_start_tag(s: &str) -> (&str, Vec<(&str, &str)>, usize) {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'/' | b'>') {
        i += 1;
    }
    let name = &s[1..i];
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return (name, attrs, bytes.len());
        }
        if bytes[i] == b'>' {
            return (name, attrs, i + 1);
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        // A lone `=` or stray character: skip it so the loop advances.
        if i == start {
            i += 1;
            continue;
        }
        let key = &s[start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            attrs.push((key, ""));
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let from = i + 1;
                let to = s[from..].find(q as char).map_or(bytes.len(), |j| from + j);
                i = (to + 1).min(bytes.len());
                &s[from..to]
            }
            _ => {
                let from = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                &s[from..i]
            }
        };
        attrs.push((key, value));
    }
}

/// The value of attribute `name` (any case).
fn attr<'a>(attrs: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
}

/// Entities decoded, whitespace collapsed, trimmed.
fn clean(raw: &str) -> String {
    let mut decoded = String::new();
    decode_entities(raw, &mut decoded);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "By Jane Doe" -> "Jane Doe".
fn strip_by(s: &str) -> String {
    let t = s.trim();
    match t.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => t[3..].trim().to_string(),
        _ => t.to_string(),
    }
}

/// Appends `s` to `out` with character references decoded; a `&` that
/// starts no known reference is kept as is.
pub(crate) fn decode_entities(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match entity(rest) {
            Some((decoded, len)) => {
                out.push(decoded);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// The reference at the start of `s` (which starts with `&`) and its length.
fn entity(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (hex, from) = match b.get(2) {
            Some(b'x' | b'X') => (true, 3),
            _ => (false, 2),
        };
        let digits = b[from..]
            .iter()
            .take(8)
            .take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
            .count();
        if digits == 0 {
            return None;
        }
        let code = u32::from_str_radix(&s[from..from + digits], if hex { 16 } else { 10 }).unwrap_or(0xFFFD);
        let mut len = from + digits;
        if b.get(len) == Some(&b';') {
            len += 1;
        }
        return Some((html_char(code), len));
    }
    let name_len = b[1..].iter().take(32).take_while(|c| c.is_ascii_alphanumeric()).count();
    if name_len == 0 {
        return None;
    }
    let name = &s[1..1 + name_len];
    let with_semicolon = b.get(1 + name_len) == Some(&b';');
    let decoded = named(name)?;
    // Without `;` only the oldest few are recognised, as browsers do.
    if !with_semicolon && !matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp" | "copy" | "reg") {
        return None;
    }
    Some((decoded, 1 + name_len + usize::from(with_semicolon)))
}

/// Names of U+00A0..=U+00FF.
const LATIN1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo", "not", "shy",
    "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil", "sup1", "ordm",
    "raquo", "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig",
    "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve",
    "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN",
    "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc",
    "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml",
    "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
];

/// Other common named references.
const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("ndash", '\u{2013}'),
    ("mdash", '\u{2014}'),
    ("hellip", '\u{2026}'),
    ("lsquo", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("sbquo", '\u{201a}'),
    ("ldquo", '\u{201c}'),
    ("rdquo", '\u{201d}'),
    ("bdquo", '\u{201e}'),
    ("lsaquo", '\u{2039}'),
    ("rsaquo", '\u{203a}'),
    ("bull", '\u{2022}'),
    ("prime", '\u{2032}'),
    ("Prime", '\u{2033}'),
    ("dagger", '\u{2020}'),
    ("Dagger", '\u{2021}'),
    ("permil", '\u{2030}'),
    ("euro", '\u{20ac}'),
    ("trade", '\u{2122}'),
    ("minus", '\u{2212}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("zwnj", '\u{200c}'),
    ("zwj", '\u{200d}'),
    ("lrm", '\u{200e}'),
    ("rlm", '\u{200f}'),
    ("OElig", '\u{152}'),
    ("oelig", '\u{153}'),
    ("Scaron", '\u{160}'),
    ("scaron", '\u{161}'),
    ("Yuml", '\u{178}'),
    ("Zcaron", '\u{17d}'),
    ("zcaron", '\u{17e}'),
    ("Ccaron", '\u{10c}'),
    ("ccaron", '\u{10d}'),
    ("Cacute", '\u{106}'),
    ("cacute", '\u{107}'),
    ("Dstrok", '\u{110}'),
    ("dstrok", '\u{111}'),
    ("Lstrok", '\u{141}'),
    ("lstrok", '\u{142}'),
    ("Nacute", '\u{143}'),
    ("nacute", '\u{144}'),
    ("Sacute", '\u{15a}'),
    ("sacute", '\u{15b}'),
    ("Zacute", '\u{179}'),
    ("zacute", '\u{17a}'),
    ("Zdot", '\u{17b}'),
    ("zdot", '\u{17c}'),
    ("Gbreve", '\u{11e}'),
    ("gbreve", '\u{11f}'),
    ("Idot", '\u{130}'),
    ("imath", '\u{131}'),
    ("Scedil", '\u{15e}'),
    ("scedil", '\u{15f}'),
    ("fnof", '\u{192}'),
    ("circ", '\u{2c6}'),
    ("tilde", '\u{2dc}'),
];

fn named(name: &str) -> Option<char> {
    if let Some(i) = LATIN1.iter().position(|n| *n == name) {
        return char::from_u32(0xA0 + i as u32);
    }
    NAMED.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// Title, author and date of the first article-like object in a JSON-LD
/// block, appended to `meta` as `ld:headline`, `ld:author`,
/// `ld:datepublished`. A block that does not parse is ignored.
fn json_ld(content: &str, meta: &mut Vec<(String, String)>) {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(content.trim()) else {
        return;
    };
    let mut queue = vec![&value];
    let mut seen = 0;
    while let Some(v) = queue.pop() {
        seen += 1;
        if seen > 256 {
            return;
        }
        match v {
            serde_json::Value::Array(items) => queue.extend(items.iter().rev()),
            serde_json::Value::Object(map) => {
                if let Some(graph) = map.get("@graph") {
                    queue.push(graph);
                }
                let article = map.contains_key("headline") || map.contains_key("datePublished");
                if !article {
                    continue;
                }
                if let Some(h) = map.get("headline").and_then(|h| h.as_str()) {
                    meta.push(("ld:headline".to_string(), clean(h)));
                }
                if let Some(authors) = map.get("author").and_then(crate::jsonl::author_value) {
                    meta.push(("ld:author".to_string(), authors));
                }
                if let Some(d) = map.get("datePublished").and_then(|d| d.as_str()) {
                    meta.push(("ld:datepublished".to_string(), d.trim().to_string()));
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        extract(html).text
    }

    #[test]
    fn paragraphs_without_boilerplate() {
        let html = r#"<!DOCTYPE html><html><head><title>T | Site</title>
            <style>p { color: red }</style><script>if (a < b) { document.write("<p>x</p>") }</script></head>
            <body><nav><ul><li>Home</li><li>World</li></ul></nav>
            <header><h1>Site name</h1></header>
            <h1>Russia &amp; Iran</h1>
            <p>Russia has <b>supplied</b> Iran
               with drones.</p>
            <p>Tehran&rsquo;s reply came<br>two days later &#8212; quietly &#x2014;&nbsp;at the UN.</p>
            <ul><li>One point</li><li>Another</ul>
            <!-- <p>commented out</p> -->
            <div hidden>hidden</div><div aria-hidden="true">also hidden</div><div style="display: none">nope</div>
            <aside>Related: other stories</aside>
            <form><input name=q><button>Search</button></form>
            <footer>&copy; 2024 Site</footer></body></html>"#;
        assert_eq!(
            text(html),
            "Russia & Iran\n\nRussia has supplied Iran with drones.\n\nTehran’s reply came\n\ntwo days later — quietly — at the UN.\n\nOne point\n\nAnother"
        );
    }

    #[test]
    fn the_longest_article_wins_then_main() {
        let html = "<body><article><p>Teaser one.</p></article>\
            <article><h2>Main story</h2><p>A much longer body paragraph here.</p></article>\
            <article><p>Teaser two.</p></article><p>Outside.</p></body>";
        assert_eq!(text(html), "Main story\n\nA much longer body paragraph here.");
        let html = "<body><div>Menu text</div><main><p>Body.</p></main><div>Footer text</div></body>";
        assert_eq!(text(html), "Body.");
        let html = "<body><div>Menu</div><div role=main><p>Body.</p></div></body>";
        assert_eq!(text(html), "Body.");
    }

    #[test]
    fn metadata_from_meta_tags_and_json_ld() {
        let html = r#"<html><head><title>Fallback &amp; title</title>
            <meta property="og:title" content="Russia &amp; Iran: a partnership">
            <meta name="author" content="By Jane Doe">
            <meta property="article:published_time" content="2024-03-05T10:00:00Z">
            <link rel="canonical" href="https://example.org/a?x=1&amp;y=2">
            </head><body><p>Text.</p></body></html>"#;
        let e = extract(html);
        assert_eq!(e.title.as_deref(), Some("Russia & Iran: a partnership"));
        assert_eq!(e.author.as_deref(), Some("Jane Doe"));
        assert_eq!(e.published.as_deref(), Some("2024-03-05T10:00:00Z"));
        assert_eq!(e.url.as_deref(), Some("https://example.org/a?x=1&y=2"));

        let html = r#"<title>Only &lt;title&gt;</title>
            <meta property="article:author" content="https://example.com/jane">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},
              {"@type":"NewsArticle","headline":"LD headline","datePublished":"2023-11-02",
               "author":[{"@type":"Person","name":"Jane Doe"},{"name":"John Roe"}]}]}</script><p>x</p>"#;
        let e = extract(html);
        assert_eq!(e.title.as_deref(), Some("LD headline"));
        assert_eq!(e.author.as_deref(), Some("Jane Doe; John Roe"));
        assert_eq!(e.published.as_deref(), Some("2023-11-02"));
        assert_eq!(extract("<title>Only &lt;title&gt;</title><p>x").title.as_deref(), Some("Only <title>"));
    }

    #[test]
    fn entities() {
        let mut out = String::new();
        decode_entities("a&amp;b &lt;&gt; &eacute;&Eacute; &#233;&#xE9;&#x1F600; &#150; &#0; &bogus; & &amp", &mut out);
        assert_eq!(out, "a&b <> éÉ éé😀 – \u{fffd} &bogus; & &");
    }

    #[test]
    fn broken_markup_never_panics_and_keeps_text() {
        for html in [
            "",
            "<",
            "<p",
            "<p class=\"unterminated>text",
            "</",
            "</p",
            "<!--",
            "<!doctype",
            "<script>never closed",
            "a < b and c > d",
            "<p>one<p>two</div></span>three",
            "<nav>unclosed nav<p>lost</p>",
            "<div><nav>nav</div><p>kept</p>",
            "&#xFFFFFFFF; &#99999999999; &#xD800;",
            "<p>é<b>ü</b>😀</p>",
            "<a href='x' = = =>link</a>",
        ] {
            let e = extract(html);
            assert!(!e.text.starts_with(' ') && !e.text.ends_with(' '), "{html:?} -> {:?}", e.text);
        }
        assert_eq!(text("a < b and c > d"), "a < b and c > d");
        assert_eq!(text("<p>one<p>two</div></span>three"), "one\n\ntwo\n\nthree");
        assert_eq!(text("<div><nav>nav</div><p>kept</p>"), "kept");
    }
}
