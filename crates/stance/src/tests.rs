//! Annotated fixtures for the stance tagger: each sentence, then one line per
//! stance (source -> target, polarity, category, modality, cue).

use super::*;
use dyad_entities::{Gazetteer, SeedText};
use expect_test::{Expect, expect};

const ACTORS: &str = "id\tkind\tname\tbelongs_to\tcountry\twikidata
HAMAS\tgroup\tHamas\t\tPSE\t
HEZBOLLAH\tgroup\tHezbollah\t\tLBN\t
IRN\tstate\tIran\t\t\t
ISR\tstate\tIsrael\t\t\t
PSE\tstate\tPalestine\t\t\t
LBN\tstate\tLebanon\t\t\t
RUS\tstate\tRussia\t\t\t
SYR\tstate\tSyria\t\t\t
UKR\tstate\tUkraine\t\t\t
WEST\tbloc\tthe West\t\t\t
";
const ALIASES: &str = "actor_id\talias\ttype
IRN\tIranian\tdemonym
IRN\tTehran\tmetonym
ISR\tIsraeli\tdemonym
ISR\tTel Aviv\tmetonym
RUS\tMoscow\tmetonym
RUS\tRussian\tdemonym
WEST\tWestern\tdemonym
";
const PERSONS: &str = "id\tname\tbelongs_to\trole\twikidata\taliases\tsurname_alone
VLADIMIR_PUTIN\tVladimir Putin\tRUS\tPresident of Russia\t\t\tyes
ALI_KHAMENEI\tAli Khamenei\tIRN\tSupreme Leader\t\t\tyes
";

/// The test gazetteer (`ACTORS`, `ALIASES`, `PERSONS`) and the seeds' cue
/// lexicon.
fn gazetteer_and_lexicon() -> (Gazetteer, Lexicon) {
    let g = Gazetteer::from_seeds(
        SeedText { name: "a", text: ACTORS },
        SeedText { name: "b", text: ALIASES },
        SeedText { name: "c", text: PERSONS },
    )
    .unwrap();
    let cues = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds/cues.tsv")).unwrap();
    let lex = Lexicon::from_tsv("cues.tsv", &cues).unwrap();
    (g, lex)
}

fn render(text: &str) -> String {
    let (g, lex) = gazetteer_and_lexicon();
    let doc = Document::from_text("t", text);
    let toks = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(text);
    let tagged = dyad_entities::tag(&doc, &toks, &g);
    let out = tag(&doc, &toks, &tagged, g.actors(), &lex);
    let a = g.actors();
    let mut s = String::new();
    for st in &out.stances {
        let src = &tagged.mentions[st.source as usize];
        let tgt = &tagged.mentions[st.target as usize];
        s.push_str(&format!(
            "{} {} -> {} {}{} {:+} {} {} {:?} ({:?} -> {:?})\n",
            st.sentence,
            a.get(a.primary(src.actor)).id,
            a.get(a.primary(tgt.actor)).id,
            if st.symmetric { "sym " } else { "" },
            st.category.as_str(),
            st.polarity,
            st.modality.as_str(),
            st.score,
            st.cue,
            &text[src.span.range()],
            &text[tgt.span.range()],
        ));
    }
    for au in &out.author {
        s.push_str(&format!("author {} {} {}\n", a.get(au.actor).id, au.label, au.score));
    }
    s
}

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render(text));
}

#[test]
fn verbs_nouns_and_prepositions() {
    check(
        "Moscow has had a longstanding relationship with Tehran, providing it with critical military hardware. Russia’s defense cooperation with Iran has grown. Israeli attacks on Iranian targets in Syria continued.",
        expect![[r#"
            0 RUS -> IRN AID +1 asserted 6 "provide" ("Moscow" -> "it")
            1 RUS -> IRN COOPERATE +1 asserted 5 "cooperate" ("Russia" -> "Iran")
            2 ISR -> IRN ASSAULT -1 asserted -9 "attack" ("Israeli" -> "Iranian")
            author IRN 1 0.205
            author ISR 0 0
            author RUS 0 0
            author SYR 0 0
        "#]],
    );
}

#[test]
fn restraint_is_tacit_support() {
    check(
        "Despite its close relations with Iran, Russia has consistently refrained from hindering Israel’s efforts.",
        expect![[r#"
        0 RUS -> IRN sym COOPERATE +1 asserted 4 "close relations" ("Russia" -> "Iran")
        0 RUS -> ISR CONCEDE +1 asserted 1.6 "refrain from hinder" ("Russia" -> "Israel")
        author IRN 0 0
        author ISR 0 0
        author RUS 0 0
    "#]],
    );
}

#[test]
fn negation_cancels() {
    check(
        "Russia did not support Iran. Moscow never attacked Israel. Russia did not refrain from attacking Ukraine.",
        expect![[r#"
        0 RUS -> IRN SUPPORT +0 negated 0 "not support" ("Russia" -> "Iran")
        1 RUS -> ISR ASSAULT +0 negated 0 "not attack" ("Moscow" -> "Israel")
        2 RUS -> UKR ASSAULT -1 asserted -9 "attack" ("Russia" -> "Ukraine")
        author IRN 0 0
        author ISR 0 0
        author RUS 0 0
        author UKR 0 0
    "#]],
    );
}

#[test]
fn modality() {
    check(
        "Russia has reportedly pushed Iran hard. Russia may supply Iran with drones. If Tehran acts rashly, it risks a conflict with Israel. The alleged Israeli assassination of Hamas’s leader shocked everyone.",
        expect![[r#"
            0 RUS -> IRN COERCE -1 reported -2.4 "push" ("Russia" -> "Iran")
            1 RUS -> IRN AID +1 hedged 3 "supply" ("Russia" -> "Iran")
            2 IRN -> ISR sym ASSAULT -1 hypothetical -2.7 "conflict" ("it" -> "Israel")
            3 ISR -> HAMAS ASSAULT -1 hedged -4.5 "assassination" ("Israeli" -> "Hamas")
            author HAMAS 0 0
            author IRN -1 -0.205
            author ISR 0 0
            author RUS 0 0
        "#]],
    );
}

#[test]
fn symmetric_relations() {
    check(
        "Reports of strained relations between Tehran and Moscow are telling. The Iran-Israel conflict deepens. Israeli-Russian relations matter.",
        expect![[r#"
            0 IRN -> RUS sym REJECT -1 reported -3.2 "strained relations" ("Tehran" -> "Moscow")
            1 IRN -> ISR sym ASSAULT -1 asserted -9 "conflict" ("Iran" -> "Israel")
            2 ISR -> RUS sym COOPERATE +1 asserted 2 "relations" ("Israeli" -> "Russian")
            author IRN -1 -0.247
            author ISR 0 0
            author RUS 0 0
        "#]],
    );
}

#[test]
fn passives_and_coordination() {
    check(
        "Iran was attacked by Israel. Russia is wary of Iran and its proxy Hezbollah.",
        expect![[r#"
        0 ISR -> IRN ASSAULT -1 asserted -9 "attack" ("Israel" -> "Iran")
        1 RUS -> IRN REJECT -1 asserted -4 "wary" ("Russia" -> "Iran")
        1 RUS -> HEZBOLLAH REJECT -1 asserted -4 "wary" ("Russia" -> "Hezbollah")
        1 IRN -> HEZBOLLAH SUPPORT +1 asserted 5 "proxy" ("its" -> "Hezbollah")
        author HEZBOLLAH 0 0
        author IRN 0 0
        author ISR 0 0
        author RUS 0 0
    "#]],
    );
}

/// Texts whose stances have labels of every shape: the cue's own, a
/// modifier's, "... against", "not ...", "refrain from ...".
const LABELLED: &[&str] = &[
    "Moscow has had a longstanding relationship with Tehran, providing it with critical military hardware. Israeli attacks on Iranian targets in Syria continued.",
    "Despite its close relations with Iran, Russia has consistently refrained from hindering Israel’s efforts.",
    "Russia did not support Iran. Moscow never attacked Israel. Russia did not refrain from attacking Ukraine.",
    "Reports of strained relations between Tehran and Moscow are telling. The Iran-Israel conflict deepens.",
    "Russia joined the coalition against Iran. Israel cooperated with Ukraine against Russia.",
    "Iran was attacked by Israel. Russia is wary of Iran and its proxy Hezbollah.",
];

/// Every stage's `_into` entry point, refilling one output from document
/// to document (in both orders, so that each output follows a larger and
/// a smaller one), gives what a fresh output gets.
#[test]
fn refilled_outputs_match_fresh_ones() {
    let (g, lex) = gazetteer_and_lexicon();
    let tokenizer = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast);
    let (mut toks, mut tagged, mut out) = Default::default();
    let mut labels = Vec::new();
    for text in LABELLED.iter().chain(LABELLED.iter().rev()) {
        let doc = Document::from_text("t", text);
        tokenizer.tokenize_into(text, &mut toks);
        let words = WordIds::of(text, &toks.tokens);
        dyad_entities::tag_words_into(&doc, &toks, &words, &g, &mut tagged);
        tag_words_into(&doc, &toks, &words, &tagged, g.actors(), &lex, &mut out);
        let fresh_toks = tokenizer.tokenize(text);
        let fresh_tagged = dyad_entities::tag(&doc, &fresh_toks, &g);
        assert_eq!(toks, fresh_toks);
        assert_eq!(tagged, fresh_tagged);
        assert_eq!(out, tag(&doc, &fresh_toks, &fresh_tagged, g.actors(), &lex));
        labels.extend(out.stances.iter().map(|s| s.cue.clone()));
    }
    for shape in ["not ", "refrain from ", " against", "strained relations"] {
        assert!(labels.iter().any(|l| l.contains(shape)), "no label with {shape:?} in {labels:?}");
    }
}

mod props {
    //! No input panics the taggers, and every stance keeps its invariants.
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "Russia",
        "Iran",
        "Israel",
        "Moscow",
        "Tehran",
        "Iranian",
        "Israeli",
        "Russian",
        "Hezbollah",
        "Hamas",
        "Putin",
        "Vladimir",
        "Ali",
        "Khamenei",
        "Western",
        "Ukraine",
        "the",
        "a",
        "its",
        "it",
        "they",
        "his",
        "regime",
        "country",
        "group",
        "and",
        "or",
        "but",
        "which",
        "that",
        "by",
        "was",
        "were",
        "is",
        "has",
        "not",
        "never",
        "refrained",
        "from",
        "if",
        "would",
        "may",
        "reportedly",
        "said",
        "supports",
        "supplying",
        "attacked",
        "attack",
        "on",
        "with",
        "ties",
        "relations",
        "between",
        "strained",
        "close",
        "wary",
        "of",
        "war",
        "rivalry",
        "conflict",
        "-",
        "’s",
        "'s",
        ",",
        ".",
        ";",
        "—",
        "\n",
        "Despite",
        "By",
        "any",
        "risks",
        "killed",
        "talks",
        "agreed",
        "armed",
        "forces",
        "non",
        "US",
        "us",
        "Hizballah",
        "UN",
        "Un",
        "al",
        "Assad",
        "Bashar",
        "in",
        "to",
        "The",
        "Kremlin",
        "pressure",
        "support",
        "held",
        "met",
        "urged",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec((prop::sample::select(WORDS), prop::bool::ANY), 0..60).prop_map(|ws| {
            let mut s = String::new();
            for (w, glue) in ws {
                if !glue && !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(w);
            }
            s
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn stances_keep_their_invariants(text in text()) {
            let g = Gazetteer::from_seeds(
                SeedText { name: "a", text: ACTORS },
                SeedText { name: "b", text: ALIASES },
                SeedText { name: "c", text: PERSONS },
            ).unwrap();
            let cues = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds/cues.tsv")).unwrap();
            let lex = Lexicon::from_tsv("cues.tsv", &cues).unwrap();
            let doc = Document::from_text("t", &text);
            let toks = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(&text);
            let tagged = dyad_entities::tag(&doc, &toks, &g);
            for m in &tagged.mentions {
                prop_assert!(dyad_core::Span::checked(&text, m.span.start as usize, m.span.end as usize).is_some());
                prop_assert!((m.sentence as usize) < toks.sentences.len());
            }
            prop_assert!(tagged.mentions.windows(2).all(|w| w[0].span.start <= w[1].span.start));
            let out = tag(&doc, &toks, &tagged, g.actors(), &lex);
            let a = g.actors();
            for st in &out.stances {
                let (s, t) = (&tagged.mentions[st.source as usize], &tagged.mentions[st.target as usize]);
                prop_assert_ne!(a.primary(s.actor), a.primary(t.actor));
                prop_assert_eq!(s.sentence, st.sentence);
                prop_assert_eq!(t.sentence, st.sentence);
                prop_assert!(dyad_core::Span::checked(&text, st.cue_span.start as usize, st.cue_span.end as usize).is_some());
                prop_assert!((-1..=1).contains(&st.polarity));
                prop_assert!((-10.0..=10.0).contains(&st.score));
                prop_assert!((0.0..=1.0).contains(&st.confidence));
            }
        }
    }
}

/// The class bits that stand for stems are set exactly for those stems:
/// the attachment rules test them in place of comparing stem text.
#[test]
fn stem_class_bits_match_their_stems() {
    use crate::sentence::{
        ADVERB, AND, ARTICLE, BE_VERB, BEFORE_NOUN, BY, COMPLEMENTIZER, FROM, NOTHING, OF, OR, POSSESSIVE, THE,
        classify,
    };
    let cases: [(&str, u32); 22] = [
        ("and", AND),
        ("or", OR),
        ("'s", POSSESSIVE),
        ("the", THE | ARTICLE),
        ("a", ARTICLE),
        ("by", BY),
        ("from", FROM),
        ("of", OF | BEFORE_NOUN),
        ("new", BEFORE_NOUN),
        ("that", COMPLEMENTIZER),
        ("befor", COMPLEMENTIZER),
        ("is", BE_VERB),
        ("been", BE_VERB),
        ("gotten", BE_VERB),
        ("quietli", ADVERB),
        ("noth", NOTHING),
        ("nothing", NOTHING),
        ("themselv", ADVERB),
        ("andr", 0),
        ("s", 0),
        ("", 0),
        ("theater", 0),
    ];
    let bits = AND
        | OR
        | POSSESSIVE
        | THE
        | BY
        | FROM
        | BE_VERB
        | OF
        | COMPLEMENTIZER
        | BEFORE_NOUN
        | ARTICLE
        | ADVERB
        | NOTHING;
    for (stem, want) in cases {
        assert_eq!(classify(stem, stem) & bits, want, "{stem:?}");
    }
}

/// A huge document's sentence tables and rule buffers are let go once it
/// is tagged, as every buffer kept from document to document is: the
/// thread keeps none above `KEPT_BUFFER_BYTES`, and the documents after
/// it are tagged as before.
#[test]
fn a_huge_documents_buffers_are_let_go() {
    let (g, lex) = gazetteer_and_lexicon();
    let tokenizer = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast);
    let tag_text = |text: &str| {
        let doc = Document::from_text("t", text);
        let toks = tokenizer.tokenize(text);
        let tagged = dyad_entities::tag(&doc, &toks, &g);
        tag(&doc, &toks, &tagged, g.actors(), &lex)
    };
    let largest = || SCRATCH.with_borrow(|t| t.scratch.largest_buffer_bytes().max(t.kept.largest_buffer_bytes()));
    let small = "Russia criticised Ukraine. Iran and its proxy Hezbollah attacked Israel.";
    let fresh = format!("{:?}", tag_text(small));
    // One sentence of two actors whose rows alone pass the bound.
    let words = KEPT_BUFFER_BYTES / size_of::<lexicon::Row>() + 1;
    let huge = format!("Iran {}attacked Israel.", "word ".repeat(words));
    tag_text(&huge);
    assert!(largest() <= KEPT_BUFFER_BYTES, "{} bytes kept", largest());
    // Every buffer, however it grew.
    SCRATCH.with_borrow_mut(|t| {
        t.scratch.reserve_all(KEPT_BUFFER_BYTES);
        t.kept.reserve_all(KEPT_BUFFER_BYTES);
    });
    assert_eq!(format!("{:?}", tag_text(small)), fresh);
    assert!(largest() <= KEPT_BUFFER_BYTES, "{} bytes kept", largest());
}
