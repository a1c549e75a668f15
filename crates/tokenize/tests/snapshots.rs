//! Snapshot tests of tokens and sentences (`UPDATE_EXPECT=1` re-blesses).
//!
//! Every case runs both backends and asserts they agree before comparing the
//! rendering.

mod common;

use expect_test::{Expect, expect};

fn check(text: &str, expect: Expect) {
    let out = common::both(text);
    if let Err(e) = common::check_invariants(text, &out) {
        panic!("{e} in {text:?}");
    }
    expect.assert_eq(&common::render(text, &out));
}

#[test]
fn empty_and_blank_text() {
    check("", expect![[r#""#]]);
    check(" \n\r\n\t\u{a0}\u{2003}", expect![[r#""#]]);
}

#[test]
fn abbreviations_and_titles() {
    check(
        "U.S. officials met Gen. Qassem and Mr. Smith on Sept. 3. The talks ended.",
        expect![[r#"
            S0 0..56
              0..4 Word "U.S."
              5..14 Word "officials"
              15..18 Word "met"
              19..22 Word "Gen"
              22..23 Punct "."
              24..30 Word "Qassem"
              31..34 Word "and"
              35..37 Word "Mr"
              37..38 Punct "."
              39..44 Word "Smith"
              45..47 Word "on"
              48..52 Word "Sept"
              52..53 Punct "."
              54..55 Number "3"
              55..56 Punct "."
            S1 57..73
              57..60 Word "The"
              61..66 Word "talks"
              67..72 Word "ended"
              72..73 Punct "."
        "#]],
    );
}

#[test]
fn us_at_sentence_end_splits_only_before_a_sentence_starter() {
    check(
        "Iran blamed the U.S. The U.S. President denied it. Talks with the U.N. continued.",
        expect![[r#"
            S0 0..20
              0..4 Word "Iran"
              5..11 Word "blamed"
              12..15 Word "the"
              16..20 Word "U.S."
            S1 21..50
              21..24 Word "The"
              25..29 Word "U.S."
              30..39 Word "President"
              40..46 Word "denied"
              47..49 Word "it"
              49..50 Punct "."
            S2 51..81
              51..56 Word "Talks"
              57..61 Word "with"
              62..65 Word "the"
              66..70 Word "U.N."
              71..80 Word "continued"
              80..81 Punct "."
        "#]],
    );
}

#[test]
fn often_final_abbreviations() {
    check(
        "They sent drones, missiles, etc. The deal with Apple Inc. said little, e.g. Tehran.",
        expect![[r#"
            S0 0..32
              0..4 Word "They"
              5..9 Word "sent"
              10..16 Word "drones"
              16..17 Punct ","
              18..26 Word "missiles"
              26..27 Punct ","
              28..31 Word "etc"
              31..32 Punct "."
            S1 33..83
              33..36 Word "The"
              37..41 Word "deal"
              42..46 Word "with"
              47..52 Word "Apple"
              53..56 Word "Inc"
              56..57 Punct "."
              58..62 Word "said"
              63..69 Word "little"
              69..70 Punct ","
              71..75 Word "e.g."
              76..82 Word "Tehran"
              82..83 Punct "."
        "#]],
    );
}

#[test]
fn initials_do_not_end_sentences() {
    check(
        "George W. Bush met J. R. Smith. Then they left.",
        expect![[r#"
        S0 0..31
          0..6 Word "George"
          7..8 Word "W"
          8..9 Punct "."
          10..14 Word "Bush"
          15..18 Word "met"
          19..20 Word "J"
          20..21 Punct "."
          22..23 Word "R"
          23..24 Punct "."
          25..30 Word "Smith"
          30..31 Punct "."
        S1 32..47
          32..36 Word "Then"
          37..41 Word "they"
          42..46 Word "left"
          46..47 Punct "."
    "#]],
    );
}

#[test]
fn numbers() {
    check(
        "Growth was 3.5 percent, or 2,000 jobs, at 10:30 in the 1990s. F-16 jets cost $1.5 billion.",
        expect![[r#"
            S0 0..61
              0..6 Word "Growth"
              7..10 Word "was"
              11..14 Number "3.5"
              15..22 Word "percent"
              22..23 Punct ","
              24..26 Word "or"
              27..32 Number "2,000"
              33..37 Word "jobs"
              37..38 Punct ","
              39..41 Word "at"
              42..47 Number "10:30"
              48..50 Word "in"
              51..54 Word "the"
              55..60 Number "1990s"
              60..61 Punct "."
            S1 62..90
              62..63 Word "F"
              63..64 Punct "-"
              64..66 Number "16"
              67..71 Word "jets"
              72..76 Word "cost"
              77..78 Punct "$"
              78..81 Number "1.5"
              82..89 Word "billion"
              89..90 Punct "."
        "#]],
    );
}

#[test]
fn ellipses_and_doubled_periods() {
    check(
        "Iran’s geopolitical moves.. Years of sanctions... and more... Then it ended. Wait... what?!",
        expect![[r#"
            S0 0..29
              0..4 Word "Iran"
              4..8 Clitic "’s"
              9..21 Word "geopolitical"
              22..27 Word "moves"
              27..29 Punct ".."
            S1 30..63
              30..35 Word "Years"
              36..38 Word "of"
              39..48 Word "sanctions"
              48..51 Punct "..."
              52..55 Word "and"
              56..60 Word "more"
              60..63 Punct "..."
            S2 64..78
              64..68 Word "Then"
              69..71 Word "it"
              72..77 Word "ended"
              77..78 Punct "."
            S3 79..93
              79..83 Word "Wait"
              83..86 Punct "..."
              87..91 Word "what"
              91..92 Punct "?"
              92..93 Punct "!"
        "#]],
    );
}

#[test]
fn quotes_and_brackets() {
    check(
        "He said, \"We will respond.\" Then he left. ‘Never,’ she said. “Is it over?” he asked. (An aside.) Next.",
        expect![[r#"
            S0 0..27
              0..2 Word "He"
              3..7 Word "said"
              7..8 Punct ","
              9..10 Punct "\""
              10..12 Word "We"
              13..17 Word "will"
              18..25 Word "respond"
              25..26 Punct "."
              26..27 Punct "\""
            S1 28..41
              28..32 Word "Then"
              33..35 Word "he"
              36..40 Word "left"
              40..41 Punct "."
            S2 42..64
              42..45 Punct "‘"
              45..50 Word "Never"
              50..51 Punct ","
              51..54 Punct "’"
              55..58 Word "she"
              59..63 Word "said"
              63..64 Punct "."
            S3 65..92
              65..68 Punct "“"
              68..70 Word "Is"
              71..73 Word "it"
              74..78 Word "over"
              78..79 Punct "?"
              79..82 Punct "”"
              83..85 Word "he"
              86..91 Word "asked"
              91..92 Punct "."
            S4 93..104
              93..94 Punct "("
              94..96 Word "An"
              97..102 Word "aside"
              102..103 Punct "."
              103..104 Punct ")"
            S5 105..110
              105..109 Word "Next"
              109..110 Punct "."
        "#]],
    );
}

#[test]
fn apostrophes_possessives_and_contractions() {
    check(
        "Russia’s role, Hamas’s leader, Hamas’ leaders, the Houthis’ attacks, Iran's 'proxy' and O’Brien's view.",
        expect![[r#"
            S0 0..113
              0..6 Word "Russia"
              6..10 Clitic "’s"
              11..15 Word "role"
              15..16 Punct ","
              17..22 Word "Hamas"
              22..26 Clitic "’s"
              27..33 Word "leader"
              33..34 Punct ","
              35..40 Word "Hamas"
              40..43 Clitic "’"
              44..51 Word "leaders"
              51..52 Punct ","
              53..56 Word "the"
              57..64 Word "Houthis"
              64..67 Clitic "’"
              68..75 Word "attacks"
              75..76 Punct ","
              77..81 Word "Iran"
              81..83 Clitic "'s"
              84..85 Punct "'"
              85..90 Word "proxy"
              90..91 Punct "'"
              92..95 Word "and"
              96..105 Word "O’Brien"
              105..107 Clitic "'s"
              108..112 Word "view"
              112..113 Punct "."
        "#]],
    );
    check(
        "It didn’t, isn’t and don't; the HOUTHIS' and Hamas’.",
        expect![[r#"
        S0 0..58
          0..2 Word "It"
          3..11 Word "didn’t"
          11..12 Punct ","
          13..20 Word "isn’t"
          21..24 Word "and"
          25..30 Word "don't"
          30..31 Punct ";"
          32..35 Word "the"
          36..43 Word "HOUTHIS"
          43..44 Clitic "'"
          45..48 Word "and"
          49..54 Word "Hamas"
          54..57 Clitic "’"
          57..58 Punct "."
    "#]],
    );
}

#[test]
fn hyphens_and_dashes() {
    check(
        "The Iran-Israel war, Israeli-Russian ties, al-Assad’s regime, non-Iranian groups, Israel—a conflict -- really.",
        expect![[r#"
            S0 0..114
              0..3 Word "The"
              4..8 Word "Iran"
              8..9 Punct "-"
              9..15 Word "Israel"
              16..19 Word "war"
              19..20 Punct ","
              21..28 Word "Israeli"
              28..29 Punct "-"
              29..36 Word "Russian"
              37..41 Word "ties"
              41..42 Punct ","
              43..45 Word "al"
              45..46 Punct "-"
              46..51 Word "Assad"
              51..55 Clitic "’s"
              56..62 Word "regime"
              62..63 Punct ","
              64..67 Word "non"
              67..68 Punct "-"
              68..75 Word "Iranian"
              76..82 Word "groups"
              82..83 Punct ","
              84..90 Word "Israel"
              90..93 Punct "—"
              93..94 Word "a"
              95..103 Word "conflict"
              104..106 Punct "--"
              107..113 Word "really"
              113..114 Punct "."
        "#]],
    );
}

#[test]
fn headlines_and_paragraphs_without_final_periods() {
    check(
        "Russia Plays Both Sides\nBy Nima Khorrami\n\nThe assassination shocked the region\nImage credit: Khamenei.ir, via Wikimedia Commons",
        expect![[r#"
            S0 0..23
              0..6 Word "Russia"
              7..12 Word "Plays"
              13..17 Word "Both"
              18..23 Word "Sides"
            S1 24..40
              24..26 Word "By"
              27..31 Word "Nima"
              32..40 Word "Khorrami"
            S2 42..78
              42..45 Word "The"
              46..59 Word "assassination"
              60..67 Word "shocked"
              68..71 Word "the"
              72..78 Word "region"
            S3 79..127
              79..84 Word "Image"
              85..91 Word "credit"
              91..92 Punct ":"
              93..101 Word "Khamenei"
              101..102 Punct "."
              102..104 Word "ir"
              104..105 Punct ","
              106..109 Word "via"
              110..119 Word "Wikimedia"
              120..127 Word "Commons"
        "#]],
    );
}

#[test]
fn windows_line_endings() {
    check(
        "First line\r\nSecond line.\r\n\r\nThird one. It ends here.\r\n",
        expect![[r#"
        S0 0..10
          0..5 Word "First"
          6..10 Word "line"
        S1 12..24
          12..18 Word "Second"
          19..23 Word "line"
          23..24 Punct "."
        S2 28..38
          28..33 Word "Third"
          34..37 Word "one"
          37..38 Punct "."
        S3 39..52
          39..41 Word "It"
          42..46 Word "ends"
          47..51 Word "here"
          51..52 Punct "."
    "#]],
    );
}

#[test]
fn enumeration_does_not_split() {
    check(
        "1. Introduction of the plan.\n2. Background",
        expect![[r#"
        S0 0..28
          0..1 Number "1"
          1..2 Punct "."
          3..15 Word "Introduction"
          16..18 Word "of"
          19..22 Word "the"
          23..27 Word "plan"
          27..28 Punct "."
        S1 29..42
          29..30 Number "2"
          30..31 Punct "."
          32..42 Word "Background"
    "#]],
    );
}

#[test]
fn non_ascii_text() {
    check(
        "Cafe\u{301} – naïve 😀😀 Ирана and إيران. Vũ Đức said\u{a0}no. ¿Qué? Sí.",
        expect![[r#"
            S0 0..53
              0..6 Word "Cafe\u{301}"
              7..10 Punct "–"
              11..17 Word "naïve"
              18..26 Punct "😀😀"
              27..37 Word "Ирана"
              38..41 Word "and"
              42..52 Word "إيران"
              52..53 Punct "."
            S1 54..74
              54..57 Word "Vũ"
              58..64 Word "Đức"
              65..69 Word "said"
              71..73 Word "no"
              73..74 Punct "."
            S2 75..82
              75..77 Punct "¿"
              77..81 Word "Qué"
              81..82 Punct "?"
            S3 83..87
              83..86 Word "Sí"
              86..87 Punct "."
        "#]],
    );
}

#[test]
fn control_characters_and_lone_marks() {
    check(
        "\u{301}a\u{0}\u{0}b\u{7}\u{200b}c\u{feff}. \u{301}",
        expect![[r#"
        S0 0..18
          0..2 Punct "\u{301}"
          2..3 Word "a"
          3..5 Punct "\0\0"
          5..6 Word "b"
          6..7 Punct "\u{7}"
          7..10 Punct "\u{200b}"
          10..11 Word "c"
          11..14 Punct "\u{feff}"
          14..15 Punct "."
          16..18 Punct "\u{301}"
    "#]],
    );
}
