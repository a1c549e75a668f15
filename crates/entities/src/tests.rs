//! Annotated fixtures for the entity tagger: the text, then one line per
//! mention with its span, words, actor and how it was found.

use super::*;
use dyad_core::bytes_held;
use expect_test::{Expect, expect};

const ACTORS: &str = "id\tkind\tname\tbelongs_to\tcountry\twikidata
IRN\tstate\tIran\t\t\tQ794
ISR\tstate\tIsrael\t\t\tQ801
RUS\tstate\tRussia\t\t\tQ159
SYR\tstate\tSyria\t\t\t
USA\tstate\tUnited States\t\t\tQ30
HAMAS\tgroup\tHamas\t\tPSE\t
HEZBOLLAH\tgroup\tHezbollah\t\tLBN\t
PSE\tstate\tPalestine\t\t\t
LBN\tstate\tLebanon\t\t\t
CHN\tstate\tChina\t\t\t
IRGC\torgan\tIRGC\tIRN\t\t
";
const ALIASES: &str = "actor_id\talias\ttype
-\tSouth China Sea\tblock
IRN\tIranian\tdemonym
IRN\tTehran\tmetonym
ISR\tIsraeli\tdemonym
ISR\tTel Aviv\tmetonym
RUS\tKremlin\tmetonym
RUS\tMoscow\tmetonym
RUS\tRussian\tdemonym
USA\tUS\tabbreviation
HEZBOLLAH\tHizballah\tname
";
const PERSONS: &str = "id\tname\tbelongs_to\trole\twikidata\taliases\tsurname_alone
ISMAIL_HANIYEH\tIsmail Haniyeh\tHAMAS\tHamas political bureau chief\t\tIsmail Haniya|Haniya\tno
VLADIMIR_PUTIN\tVladimir Putin\tRUS\tPresident of Russia\tQ7747\t\tyes
ALI_KHAMENEI\tAli Khamenei\tIRN\tSupreme Leader of Iran\t\t\tyes
BASHAR_AL_ASSAD\tBashar al-Assad\tSYR\tPresident of Syria 2000-2024\t\t\tno
";

pub(crate) fn gazetteer() -> Gazetteer {
    Gazetteer::from_seeds(
        SeedText { name: "actors.tsv", text: ACTORS },
        SeedText { name: "aliases.tsv", text: ALIASES },
        SeedText { name: "persons.tsv", text: PERSONS },
    )
    .unwrap()
}

fn render(text: &str) -> String {
    let doc = Document::from_text("t", text);
    let toks = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(text);
    let g = gazetteer();
    let tagged = tag(&doc, &toks, &g);
    let mut out = String::new();
    for m in &tagged.mentions {
        let a = g.actors().get(m.actor);
        let primary = g.actors().get(g.actors().primary(m.actor));
        out.push_str(&format!(
            "{}..{} {:?} {} -> {} ({})\n",
            m.span.start,
            m.span.end,
            &text[m.span.range()],
            a.id,
            primary.id,
            m.via.as_str()
        ));
    }
    for u in &tagged.unknown {
        out.push_str(&format!("unknown {:?}\n", &text[u.span.range()]));
    }
    out
}

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render(text));
}

#[test]
fn names_metonyms_demonyms_possessives() {
    check(
        "Russia’s role in the Iran-Israel conflict matters. Moscow and the Kremlin agree; Israeli-Russian ties hold.",
        expect![[r#"
            0..6 "Russia" RUS -> RUS (name)
            23..27 "Iran" IRN -> IRN (name)
            28..34 "Israel" ISR -> ISR (name)
            53..59 "Moscow" RUS -> RUS (metonym)
            68..75 "Kremlin" RUS -> RUS (metonym)
            83..90 "Israeli" ISR -> ISR (demonym)
            91..98 "Russian" RUS -> RUS (demonym)
        "#]],
    );
}

#[test]
fn case_matters_for_us() {
    check(
        "Let us see what the US does. US officials met us.",
        expect![[r#"
        20..22 "US" USA -> USA (abbreviation)
        29..31 "US" USA -> USA (abbreviation)
    "#]],
    );
}

#[test]
fn persons_surnames_and_titles() {
    check(
        "The killing of Ismail Haniyeh shocked Hamas. Haniyeh’s death followed threats. Russian President Vladimir Putin spoke with Supreme Leader Ali Khamenei. Putin agreed.",
        expect![[r#"
            15..29 "Ismail Haniyeh" ISMAIL_HANIYEH -> HAMAS (person)
            38..43 "Hamas" HAMAS -> HAMAS (name)
            45..52 "Haniyeh" ISMAIL_HANIYEH -> HAMAS (surname)
            81..88 "Russian" RUS -> RUS (demonym)
            99..113 "Vladimir Putin" VLADIMIR_PUTIN -> RUS (person)
            140..152 "Ali Khamenei" ALI_KHAMENEI -> IRN (person)
            154..159 "Putin" VLADIMIR_PUTIN -> RUS (surname)
        "#]],
    );
}

#[test]
fn surname_needs_full_name_or_title() {
    check(
        "Haniya was not named in full. President Assad spoke.",
        expect![[r#"
        40..45 "Assad" BASHAR_AL_ASSAD -> SYR (title)
    "#]],
    );
}

#[test]
fn blocks_and_non_compounds() {
    check(
        "China patrols the South China Sea. Defending non-Iranian entities like Hamas is costly for Hizballah.",
        expect![[r#"
            0..5 "China" CHN -> CHN (name)
            71..76 "Hamas" HAMAS -> HAMAS (name)
            91..100 "Hizballah" HEZBOLLAH -> HEZBOLLAH (name)
        "#]],
    );
}

#[test]
fn pronouns_and_descriptions() {
    check(
        "Despite its close relations with Iran, Russia refrained from acting in Syria. This is not because Moscow is indifferent but because it shares Israel’s concerns about Tehran’s influence in the war-torn country. Moscow has ties with Tehran, providing it with arms. The assassination left Iran exposed. On the one hand, it needs to respond, given the regime’s unpopularity.",
        expect![[r#"
            8..11 "its" RUS -> RUS (pronoun)
            33..37 "Iran" IRN -> IRN (name)
            39..45 "Russia" RUS -> RUS (name)
            71..76 "Syria" SYR -> SYR (name)
            98..104 "Moscow" RUS -> RUS (metonym)
            132..134 "it" RUS -> RUS (pronoun)
            142..148 "Israel" ISR -> ISR (name)
            168..174 "Tehran" IRN -> IRN (metonym)
            196..212 "war-torn country" SYR -> SYR (description)
            214..220 "Moscow" RUS -> RUS (metonym)
            235..241 "Tehran" IRN -> IRN (metonym)
            253..255 "it" IRN -> IRN (pronoun)
            290..294 "Iran" IRN -> IRN (name)
            321..323 "it" IRN -> IRN (pronoun)
            352..358 "regime" IRN -> IRN (description)
        "#]],
    );
}

#[test]
fn boilerplate_is_skipped() {
    let text = "Russia supports Iran.\nJane Doe is a fellow at the Moscow Institute.\n";
    let mut doc = Document::from_text("t", text);
    let start = text.find("Jane").unwrap();
    doc.boilerplate.push(dyad_core::Zone {
        span: dyad_core::Span::new(start, text.len() - 1),
        kind: dyad_core::ZoneKind::AuthorBio,
    });
    let toks = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(text);
    let tagged = tag(&doc, &toks, &gazetteer());
    let words: Vec<&str> = tagged.mentions.iter().map(|m| &text[m.span.range()]).collect();
    assert_eq!(words, ["Russia", "Iran"]);
    assert!(tagged.unknown.is_empty(), "{:?}", tagged.unknown);
}

#[test]
fn unknown_names_are_reported_not_tagged() {
    check(
        "Foreign Minister Abbas Araghchi met Gen. Qasim Nafar of the Arctic Institute in Moscow.",
        expect![[r#"
        80..86 "Moscow" RUS -> RUS (metonym)
        unknown "Abbas Araghchi"
        unknown "Qasim Nafar"
        unknown "Arctic Institute"
    "#]],
    );
}

#[test]
fn title_case_headlines_teach_nothing() {
    check(
        "Russia Balances Between Iran and Israel\nThe Kremlin watches.",
        expect![[r#"
        0..6 "Russia" RUS -> RUS (name)
        24..28 "Iran" IRN -> IRN (name)
        33..39 "Israel" ISR -> ISR (name)
        44..51 "Kremlin" RUS -> RUS (metonym)
    "#]],
    );
}

#[test]
fn a_long_sentence_past_sixty_four_tokens() {
    check(
        "Moscow, which has long courted Tehran, the Gulf monarchies, Ankara, Cairo, and several other capitals across the region and beyond, and which has sent envoys, diplomats, generals, advisers, traders, bankers and engineers to all of them over many years, said on Monday that it would keep its ties with Iran, Israel, Syria and China, while the Kremlin insisted that the regime in Damascus had asked for help.",
        expect![[r#"
            0..6 "Moscow" RUS -> RUS (metonym)
            31..37 "Tehran" IRN -> IRN (metonym)
            273..275 "it" IRN -> IRN (pronoun)
            287..290 "its" IRN -> IRN (pronoun)
            301..305 "Iran" IRN -> IRN (name)
            307..313 "Israel" ISR -> ISR (name)
            315..320 "Syria" SYR -> SYR (name)
            325..330 "China" CHN -> CHN (name)
            342..349 "Kremlin" RUS -> RUS (metonym)
            368..374 "regime" RUS -> RUS (description)
            unknown "Gulf"
            unknown "Ankara"
            unknown "Cairo"
            unknown "Damascus"
        "#]],
    );
}

#[test]
fn headline_then_names_and_pronouns() {
    check(
        "Iran Warns Of New Sanctions From Brussels\nThe Kremlin said Abbas Araghchi met Ali Khamenei in Tehran. Khamenei thanked him. They said the Islamic Republic would not yield.",
        expect![[r#"
            0..4 "Iran" IRN -> IRN (name)
            46..53 "Kremlin" RUS -> RUS (metonym)
            78..90 "Ali Khamenei" ALI_KHAMENEI -> IRN (person)
            94..100 "Tehran" IRN -> IRN (metonym)
            102..110 "Khamenei" ALI_KHAMENEI -> IRN (surname)
            119..122 "him" ALI_KHAMENEI -> IRN (pronoun)
            unknown "Abbas Araghchi"
            unknown "Islamic Republic"
        "#]],
    );
}

#[test]
fn case_forms_and_abbreviations() {
    check(
        "U.S. officials met RUSSIA's envoys; the U.N. and the Côte Institute of Peace spoke. HAMAS denied it, and Hizballah said its fighters were ready. The group has not commented since.",
        expect![[r#"
            0..4 "U.S." USA -> USA (abbreviation)
            19..25 "RUSSIA" RUS -> RUS (name)
            85..90 "HAMAS" HAMAS -> HAMAS (name)
            106..115 "Hizballah" HEZBOLLAH -> HEZBOLLAH (name)
            121..124 "its" HEZBOLLAH -> HEZBOLLAH (pronoun)
            150..155 "group" HEZBOLLAH -> HEZBOLLAH (description)
            unknown "U.N."
            unknown "Côte Institute of Peace"
        "#]],
    );
}

#[test]
fn descriptions_of_groups_and_places() {
    check(
        "Hezbollah fired rockets at Israel. The militant group said its war with the Israeli army was not over, and the beleaguered movement vowed to fight on in Lebanon. In the war-torn country, Hamas and Hezbollah agreed.",
        expect![[r#"
            0..9 "Hezbollah" HEZBOLLAH -> HEZBOLLAH (name)
            27..33 "Israel" ISR -> ISR (name)
            39..53 "militant group" HEZBOLLAH -> HEZBOLLAH (description)
            76..83 "Israeli" ISR -> ISR (demonym)
            111..131 "beleaguered movement" HEZBOLLAH -> HEZBOLLAH (description)
            153..160 "Lebanon" LBN -> LBN (name)
            169..185 "war-torn country" LBN -> LBN (description)
            187..192 "Hamas" HAMAS -> HAMAS (name)
            197..206 "Hezbollah" HEZBOLLAH -> HEZBOLLAH (name)
        "#]],
    );
}

#[test]
fn surnames_after_full_names_and_titles() {
    check(
        "President Assad met Vladimir Putin in Moscow. Putin praised Assad; he said al-Assad had won. Bashar al-Assad thanked him.",
        expect![[r#"
            10..15 "Assad" BASHAR_AL_ASSAD -> SYR (title)
            20..34 "Vladimir Putin" VLADIMIR_PUTIN -> RUS (person)
            38..44 "Moscow" RUS -> RUS (metonym)
            46..51 "Putin" VLADIMIR_PUTIN -> RUS (surname)
            60..65 "Assad" BASHAR_AL_ASSAD -> SYR (surname)
            67..69 "he" VLADIMIR_PUTIN -> RUS (pronoun)
            75..83 "al-Assad" BASHAR_AL_ASSAD -> SYR (surname)
            93..108 "Bashar al-Assad" BASHAR_AL_ASSAD -> SYR (person)
            117..120 "him" BASHAR_AL_ASSAD -> SYR (pronoun)
        "#]],
    );
}

/// The name pass over `text`, with or without the cache of one-word
/// results: the mentions it finds and which tokens they cover.
fn names_and_covered(
    text: &str,
    toks: &dyad_core::Tokenized,
    doc_words: &DocWords<'_>,
    words: &WordIds,
    g: &Gazetteer,
    cache: Option<&mut OneWordCache>,
) -> (Vec<Mention>, Vec<bool>) {
    let mut covered = Covered::new(toks.tokens.len());
    let mut mentions = Vec::new();
    find_names_with(text, doc_words, words, cache, &toks.sentences, g, &mut covered, &mut Vec::new(), &mut mentions);
    let covered = (0..toks.tokens.len()).map(|i| covered.is(i)).collect();
    (mentions, covered)
}

/// Names of one word are looked up once per token text and thread
/// (`OneWordCache`): found through the cache, cold and warm, they are
/// those found without it.
#[test]
fn one_word_results_cached_agree() {
    let text = "Iran and IRAN met us. The US and Iranian officials said Putin and Haniya spoke. \
                President Assad, Iran, Tehran and the South China Sea. Putin again; Vladimir Putin. Haniya.";
    let names = names_cached_alike(text, &gazetteer());
    assert!(names.len() >= 8, "{names:?}");
}

/// The test gazetteer with names of one word that also start longer ones
/// and names of two words, persons who share a surname and one who does
/// not.
fn extended_gazetteer() -> Gazetteer {
    // Names of one word that also start longer ones ("Iran", "Hamas",
    // "Putin"), so that the next word decides which path is taken, and
    // names of two words only ("Iran Air", "Red Sea", "Tel Aviv"),
    // which the two tokens' texts decide, but for one that starts with
    // a surname ("Assad Regime", "Assad regime": whom "Assad" names
    // depends on the document), and one of more than four words ("Hamas
    // Qassam Brigades Military Wing"), which the third word decides.
    let aliases = format!(
        "{ALIASES}IRGC\tIran Revolutionary Guard\tname\nIRGC\tIran's Revolutionary Guard\tname\n\
         HAMAS\tHamas Qassam Brigades\tname\n-\tPutin Brigades\tblock\nIRN\tIran Air\tname\n\
         -\tRed Sea\tblock\n-\tAssad Regime\tblock\nHAMAS\tHamas Qassam Brigades Military Wing\tname\n"
    );
    // Surnames of one person, standing alone or not ("Putin",
    // "Rouhani", listed twice: from the name and from an alias), one
    // shared by two ("Khamenei"), and one that is the first word of
    // another's name ("Ali", of "Hassan Ali" and "Ali Khamenei").
    let persons = format!(
        "{PERSONS}MOJTABA_KHAMENEI\tMojtaba Khamenei\tIRN\tson\t\t\tno\n\
         HASSAN_ROUHANI\tHassan Rouhani\tIRN\tPresident\t\tHassan Fereydoun Rouhani\tno\n\
         HASSAN_ALI\tHassan Ali\tIRN\tadviser\t\t\tyes\n"
    );
    Gazetteer::from_seeds(
        SeedText { name: "actors.tsv", text: ACTORS },
        SeedText { name: "aliases.tsv", text: &aliases },
        SeedText { name: "persons.tsv", text: &persons },
    )
    .unwrap()
}

/// A name of two words that begins with a surname ("Assad Regime"): when
/// its second word is not spelled as the dictionary spells it, whom the
/// surname names depends on the document, not on the two tokens' texts,
/// so the search is not remembered by them.
#[test]
fn a_surname_before_the_second_word_of_a_longer_name_is_not_cached() {
    let text = "Assad regime. Bashar al-Assad came. Assad regime. Assad Regime. President Assad regime.";
    let names = names_cached_alike(text, &extended_gazetteer());
    assert_eq!(names.len(), 3, "{names:?}");
}

/// A name of more words with a hyphen ("Bashar al-Assad") matches only
/// where the text's hyphen is attached as the dictionary's is: the same
/// texts spaced otherwise do not, so the search is not remembered by the
/// tokens' texts.
#[test]
fn the_spacing_of_a_hyphen_is_not_cached() {
    let text = "Bashar al - Assad came. Bashar al-Assad came. Bashar al - Assad came. Bashar al-Assad came.";
    let names = names_cached_alike(text, &extended_gazetteer());
    let full = names.iter().filter(|m| m.end_token - m.first_token == 4).count();
    assert_eq!(full, 2, "{names:?}");
}

/// A name of two words whose first is also a surname ("Ali Khamenei",
/// "Ali" of "Hassan Ali"): the two tokens' texts decide the match when
/// they spell the name, and the surname names its person only when they
/// do not ("Ali said").
#[test]
fn a_name_whose_first_word_is_a_surname_is_decided_by_two_texts() {
    let text = "Ali Khamenei spoke. Ali Khamenei spoke. ALI KHAMENEI spoke. Ali said. Ali Khamenei spoke.";
    let names = names_cached_alike(text, &extended_gazetteer());
    let lens: Vec<u32> = names.iter().map(|m| m.end_token - m.first_token).collect();
    assert_eq!(lens, [2, 2, 1, 1, 2], "{names:?}");
}

/// A name of more than four words ("Hamas Qassam Brigades Military
/// Wing"): its third word decides what the first three tokens' texts
/// match only when no longer entry could, so the same three texts
/// followed otherwise are searched again.
#[test]
fn names_of_more_than_four_words_are_decided_by_the_third() {
    let text = "Hamas Qassam Brigades Military Wing said. Hamas Qassam Brigades said. \
                Hamas Qassam Brigades Military Wing said. Hamas Qassam Iran said. Hamas Qassam Iran said.";
    let names = names_cached_alike(text, &extended_gazetteer());
    let lens: Vec<u32> = names.iter().map(|m| m.end_token - m.first_token).collect();
    assert_eq!(lens, [5, 3, 5, 1, 1, 1, 1], "{names:?}");
}

/// The names of `text` found in `g` with no cache, once a one-word
/// cache, cold and then warm, is checked to find the same names and cover
/// the same tokens.
fn names_cached_alike(text: &str, g: &Gazetteer) -> Vec<Mention> {
    let toks = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(text);
    let words = WordIds::of(text, &toks.tokens);
    let doc_words = DocWords::new(text, &toks.tokens, &words, &g.index.vocab);
    let names = |cache: Option<&mut OneWordCache>| names_and_covered(text, &toks, &doc_words, &words, g, cache);
    let expected = names(None);
    let mut cache = OneWordCache::default();
    cache.prepare(g.index.vocab.frozen_id().expect("frozen"), &words);
    assert_eq!(names(Some(&mut cache)), expected, "cold");
    assert_eq!(names(Some(&mut cache)), expected, "warm");
    expected.0
}

proptest::proptest! {
    /// The names found through the cache of one-word results (its fast
    /// path, cold and warm) are those found entry start by entry start
    /// without it, over texts of names, their parts, their case forms,
    /// surnames of one person (listed once or twice) or shared, titles,
    /// hyphens, names of more than four words and sentence ends, with or
    /// without spaces.
    #[test]
    fn one_word_fast_path_agrees_with_matching(
        parts in proptest::collection::vec((0usize..75, proptest::bool::weighted(0.8)), 0..40),
    ) {
        const WORDS: [&str; 75] = [
            "Iran Revolutionary Guard", "Iran's Revolutionary Guard", "Iran Revolutionary", "Hamas Qassam Brigades",
            "Hamas Qassam", "Putin Brigades", "President Putin", "non-Iranian",
            "Iran", "IRAN", "iran", "Iranian", "Tehran", "Tel", "Aviv", "Israel", "Israeli", "US", "us", "U.S.",
            "United", "States", "South", "China", "Sea", "Putin", "Vladimir", "President", "Assad", "al-Assad",
            "Bashar", "al", "-", "Haniya", "Ismail", "Haniyeh", "Hamas", "non", "Kremlin", "Moscow", "the", ".",
            ",", "Russia's", "Hizballah", "IRGC", "Khamenei", "Ali", "Supreme", "Leader", "RUSSIA", "’s",
            "Revolutionary", "Guard", "Qassam", "Brigades", "Rouhani", "Hassan", "Mojtaba", "Ayatollah", "president",
            "Mr", "ROUHANI", "Air", "AIR", "Red", "RED SEA", "Red Sea", "TEL AVIV", "Tel Aviv", "Regime",
            "regime", "Military Wing", "Military", "Fereydoun",
        ];
        let mut text = String::new();
        for &(w, spaced) in &parts {
            text.push_str(WORDS[w]);
            if spaced {
                text.push(' ');
            }
        }
        let toks = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(&text);
        let g = extended_gazetteer();
        let words = WordIds::of(&text, &toks.tokens);
        let doc_words = DocWords::new(&text, &toks.tokens, &words, &g.index.vocab);
        let names = |cache: Option<&mut OneWordCache>| names_and_covered(&text, &toks, &doc_words, &words, &g, cache);
        let expected = names(None);
        let mut cache = OneWordCache::default();
        cache.prepare(g.index.vocab.frozen_id().expect("frozen"), &words);
        proptest::prop_assert_eq!(&names(Some(&mut cache)), &expected, "cold");
        proptest::prop_assert_eq!(&names(Some(&mut cache)), &expected, "warm");
    }
}

/// Two persons who share a surname: the one named in full in the document
/// (the last listed if both are), else the one whose surname may stand
/// alone, else after a title the first listed, else nobody.
#[test]
fn shared_surnames() {
    let persons = "id\tname\tbelongs_to\trole\twikidata\taliases\tsurname_alone
ALI_KHAMENEI\tAli Khamenei\tIRN\tSupreme Leader\t\t\tno
MOJTABA_KHAMENEI\tMojtaba Khamenei\tIRN\this son\t\t\tno
HASSAN_ROUHANI\tHassan Rouhani\tIRN\tPresident\t\t\tno
HOSSEIN_ROUHANI\tHossein Rouhani\tIRN\tcleric\t\t\tyes
";
    let g = Gazetteer::from_seeds(
        SeedText { name: "actors.tsv", text: ACTORS },
        SeedText { name: "aliases.tsv", text: ALIASES },
        SeedText { name: "persons.tsv", text: persons },
    )
    .unwrap();
    let found = |text: &str| {
        let doc = Document::from_text("t", text);
        let toks = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(text);
        let tagged = tag(&doc, &toks, &g);
        tagged
            .mentions
            .iter()
            .map(|m| format!("{} {} {}", &text[m.span.range()], g.actors().get(m.actor).id, m.via.as_str()))
            .collect::<Vec<_>>()
    };
    assert_eq!(found("Khamenei spoke."), Vec::<String>::new());
    assert_eq!(found("Ayatollah Khamenei spoke."), ["Khamenei ALI_KHAMENEI title"]);
    assert_eq!(
        found("Mojtaba Khamenei came. Khamenei spoke."),
        ["Mojtaba Khamenei MOJTABA_KHAMENEI person", "Khamenei MOJTABA_KHAMENEI surname"]
    );
    assert_eq!(
        found("Ali Khamenei came. Mojtaba Khamenei came. Khamenei spoke."),
        [
            "Ali Khamenei ALI_KHAMENEI person",
            "Mojtaba Khamenei MOJTABA_KHAMENEI person",
            "Khamenei MOJTABA_KHAMENEI surname"
        ]
    );
    assert_eq!(found("Rouhani spoke."), ["Rouhani HOSSEIN_ROUHANI surname"]);
    assert_eq!(found("President Rouhani spoke."), ["Rouhani HOSSEIN_ROUHANI title"]);
    assert_eq!(
        found("Hassan Rouhani came. President Rouhani spoke."),
        ["Hassan Rouhani HASSAN_ROUHANI person", "Rouhani HASSAN_ROUHANI surname"]
    );
}

/// The buffers a thread keeps from one document to the next are let go
/// after a huge document, as every kept buffer is: here its anaphors (a
/// start each, eight bytes) and its resolved pronouns (a mention each)
/// take more than [`KEPT_BUFFER_BYTES`]. The document is tagged right,
/// and so is a small one after it.
#[test]
fn a_huge_documents_buffers_are_let_go() {
    let resolved = KEPT_BUFFER_BYTES / size_of::<Mention>() + 1;
    let starts = KEPT_BUFFER_BYTES / size_of::<(u32, vocab::Class)>() + 1;
    let text = "Vladimir Putin said he would. ".repeat(resolved) + &"he ".repeat(starts);
    let (doc, g) = (Document::from_text("t", &text), gazetteer());
    let toks = dyad_tokenize::Tokenizer::new(dyad_tokenize::Backend::Fast).tokenize(&text);
    let tagged = tag(&doc, &toks, &g);
    let pronouns = tagged.mentions.iter().filter(|m| m.via == Via::Pronoun).count();
    // Each "he" after a name, and those of the run at the end too.
    assert!(pronouns > resolved, "{pronouns} pronouns resolved");
    let kept = BUFFERS.take();
    for (name, kept) in [
        ("picks", bytes_held(&kept.picks)),
        ("covered", bytes_held(&kept.covered)),
        ("added", bytes_held(&kept.added)),
        ("anaphors", bytes_held(&kept.anaphors)),
        ("first_named", bytes_held(&kept.first_named)),
        ("persons", bytes_held(&kept.persons)),
    ] {
        assert!(kept <= KEPT_BUFFER_BYTES, "{name}: {kept} bytes kept");
    }
    BUFFERS.set(kept);
    assert_eq!(
        render("Putin said he would."),
        "0..5 \"Putin\" VLADIMIR_PUTIN -> RUS (surname)\n11..13 \"he\" VLADIMIR_PUTIN -> RUS (pronoun)\n"
    );
}
