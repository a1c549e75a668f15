//! Snapshot tests for `parse_article`: metadata and boilerplate zones of
//! the seed article and of small fixtures, rendered one item per line with
//! each zone's span and the text it slices.

use dyad_core::Document;
use dyad_ingest::parse_article;
use expect_test::{Expect, expect};
use std::fmt::Write;

/// One line per field and per zone; long zone texts keep their head and
/// tail so both ends of the span stay visible.
fn render(doc: &Document) -> String {
    let mut out = String::new();
    let field = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_string());
    let _ = writeln!(out, "title: {}", field(&doc.meta.title));
    let _ = writeln!(out, "author: {}", field(&doc.meta.author));
    let _ = writeln!(out, "published: {}", field(&doc.meta.published));
    for zone in &doc.boilerplate {
        let slice = &doc.text[zone.span.range()];
        let _ =
            writeln!(out, "zone {} {}..{} {:?}", zone.kind.as_str(), zone.span.start, zone.span.end, abridge(slice));
    }
    out
}

fn abridge(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 90 {
        return s.to_string();
    }
    let head: String = chars[..55].iter().collect();
    let tail: String = chars[chars.len() - 25..].iter().collect();
    format!("{head} … {tail}")
}

/// Zones are sorted, non-overlapping, non-empty, on char boundaries.
fn assert_zone_invariants(doc: &Document) {
    let mut prev_end = 0;
    for zone in &doc.boilerplate {
        let (start, end) = (zone.span.start as usize, zone.span.end as usize);
        assert!(prev_end <= start && start < end && end <= doc.text.len(), "{zone:?}");
        assert!(doc.text.is_char_boundary(start) && doc.text.is_char_boundary(end), "{zone:?}");
        prev_end = end;
    }
}

fn check(text: &str, expect: Expect) {
    let doc = parse_article("fixture.txt", "corpus/fixture.txt", text.to_string());
    assert_eq!(doc.text, text, "the text is never rewritten");
    assert_zone_invariants(&doc);
    expect.assert_eq(&render(&doc));
}

#[test]
fn seed_article() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seed/haniyeh-russia-iran-israel.txt");
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("the seed article must sit beside the repository at {path}: {e}"));
    check(
        &text,
        expect![[r#"
            title: -
            author: Nima Khorrami
            published: -
            zone author_bio 6650..6712 "Nima Khorrami is a research associate at the Arctic Institute."
            zone disclaimer 6713..6977 "The views expressed are those of the author and do not  … ing the Arctic Institute."
            zone credit 6978..7026 "Image credit: Khamenei.ir, via Wikimedia Commons"
        "#]],
    );
}

/// The seed's shape in miniature, so the case is covered by the repository
/// alone: one paragraph per line, no blank lines, no final line break, and
/// bio, disclaimer and credit as the last three lines.
#[test]
fn seed_shaped_fixture() {
    check(
        "Moscow has watched the escalation between Israel and Iran with studied calm, offering words of concern and little else.\n\
         The Kremlin gains from a distracted West, but it cannot afford to see Tehran humiliated either.\n\
         Lena Marsh is a research associate at the Meridian Institute.\n\
         The views expressed are those of the author and do not reflect the official position of any government.\n\
         Image credit: Kremlin press office, via Wikimedia Commons",
        expect![[r#"
            title: -
            author: Lena Marsh
            published: -
            zone author_bio 216..277 "Lena Marsh is a research associate at the Meridian Institute."
            zone disclaimer 278..381 "The views expressed are those of the author and do not  … sition of any government."
            zone credit 382..439 "Image credit: Kremlin press office, via Wikimedia Commons"
        "#]],
    );
}

#[test]
fn byline_and_markdown_heading() {
    check(
        "# Moscow's Quiet Hedge\n\
         \n\
         *By Jane Doe*\n\
         \n\
         Russia has spent a decade keeping channels open to both Tehran and Jerusalem, and the latest round of strikes has tested that habit.\n\
         \n\
         ## What Moscow wants\n\
         \n\
         The Kremlin wants leverage, not victory.\n",
        expect![[r#"
            title: Moscow's Quiet Hedge
            author: Jane Doe
            published: -
            zone byline 24..37 "*By Jane Doe*"
        "#]],
    );
}

#[test]
fn news_report_with_dateline() {
    check(
        "Iran Vows Response After Strike on Consulate\n\
         \n\
         WASHINGTON, March 3 (Meridian Wire) \u{2014} The United States urged Iran on Sunday to show restraint after a strike on its consulate, officials said.\n\
         \n\
         Officials in Tehran said the response would be measured.\n\
         \n\
         Reporting by Jane Doe; Editing by John Roe\n",
        expect![[r#"
            title: Iran Vows Response After Strike on Consulate
            author: Jane Doe
            published: -
            zone dateline 46..85 "WASHINGTON, March 3 (Meridian Wire) —"
            zone byline 251..293 "Reporting by Jane Doe; Editing by John Roe"
        "#]],
    );
}

#[test]
fn think_tank_brief_with_bio_and_disclaimer() {
    check(
        "Russia's Balancing Act in the Levant\n\
         By Sam Poe\n\
         March 3, 2024\n\
         \n\
         Moscow's intervention in Syria was meant to prove that Russia could still shape outcomes in the Middle East without paying the price of occupation.\n\
         \n\
         That bet has aged poorly.\n\
         \n\
         Sam Poe is a senior fellow at the Meridian Institute for Strategic Studies, where he directs the Eurasia programme.\n\
         \n\
         The views expressed in this brief are those of the author alone and do not represent the position of the Meridian Institute.\n",
        expect![[r#"
            title: Russia's Balancing Act in the Levant
            author: Sam Poe
            published: 2024-03-03
            zone byline 37..47 "By Sam Poe"
            zone dateline 48..61 "March 3, 2024"
            zone author_bio 239..354 "Sam Poe is a senior fellow at the Meridian Institute fo … ts the Eurasia programme."
            zone disclaimer 356..480 "The views expressed in this brief are those of the auth … f the Meridian Institute."
        "#]],
    );
}

#[test]
fn photo_credits_anywhere() {
    check(
        "Drones Over the Gulf\n\
         \n\
         Photo: An Iranian drone on display in Tehran.\n\
         \n\
         Tehran has exported drones to Moscow since 2022, and the trade has become a pillar of the relationship between the two capitals.\n\
         \n\
         (Photo by Jane Doe/Meridian Wire)\n\
         \n\
         Photo by photo, the investigators rebuilt the supply chain.\n\
         \n\
         Featured image: a Shahed drone, courtesy of the Ukrainian armed forces\n",
        expect![[r#"
            title: Drones Over the Gulf
            author: -
            published: -
            zone credit 22..67 "Photo: An Iranian drone on display in Tehran."
            zone credit 199..232 "(Photo by Jane Doe/Meridian Wire)"
            zone credit 295..365 "Featured image: a Shahed drone, courtesy of the Ukrainian armed forces"
        "#]],
    );
}

#[test]
fn front_matter() {
    check(
        "---\n\
         title: \"Turkey Between Two Wars\"\n\
         author: Jane Doe and John Roe\n\
         date: 2024-05-17T09:00:00Z\n\
         tags: [turkey, russia, ukraine]\n\
         ---\n\
         \n\
         Ankara sells drones to Kyiv and buys gas from Moscow, and it sees no contradiction in doing both.\n",
        expect![[r#"
            title: Turkey Between Two Wars
            author: Jane Doe; John Roe
            published: 2024-05-17
            zone byline 0..129 "---\ntitle: \"Turkey Between Two Wars\"\nauthor: Jane Doe a … key, russia, ukraine]\n---"
        "#]],
    );
}

#[test]
fn no_metadata_at_all() {
    check(
        "Israel struck again.\n\
         \n\
         Iran said it would respond at a time of its choosing, and Russia called for restraint from all sides.\n",
        expect![[r#"
            title: -
            author: -
            published: -
        "#]],
    );
}

#[test]
fn windows_line_endings() {
    check(
        "Gas, Grain and Guns\r\n\
         By Jane Doe\r\n\
         3 March 2024\r\n\
         \r\n\
         Russia and Turkey trade in everything that matters.\r\n\
         \r\n\
         Jane Doe is a correspondent for the Meridian Wire in Istanbul.\r\n",
        expect![[r#"
            title: Gas, Grain and Guns
            author: Jane Doe
            published: 2024-03-03
            zone byline 21..32 "By Jane Doe"
            zone dateline 34..46 "3 March 2024"
            zone author_bio 105..167 "Jane Doe is a correspondent for the Meridian Wire in Istanbul."
        "#]],
    );
}

#[test]
fn a_bom_left_in_the_text_is_not_content() {
    check(
        "\u{feff}# Caspian Calculations\n\
         \n\
         By Omar al-Rashid\n\
         \n\
         Baku plays Moscow and Tehran against each other.\n",
        expect![[r#"
            title: Caspian Calculations
            author: Omar al-Rashid
            published: -
            zone byline 27..44 "By Omar al-Rashid"
        "#]],
    );
}

#[test]
fn bio_with_was_and_a_follow_up() {
    check(
        "Ambassadors who served in Moscow in the 1990s remember a Russia that needed the West, and it is tempting to think that moment could return.\n\
         \n\
         It will not.\n\
         \n\
         John Roe was a career diplomat who served as ambassador to Russia from 1998 to 2003.\n\
         \n\
         He previously taught at the Meridian School of Government.\n",
        expect![[r#"
            title: -
            author: John Roe
            published: -
            zone author_bio 155..239 "John Roe was a career diplomat who served as ambassador to Russia from 1998 to 2003."
            zone author_bio 241..299 "He previously taught at the Meridian School of Government."
        "#]],
    );
}

#[test]
fn two_authors() {
    check(
        "# The Axis That Isn't\n\
         \n\
         By Jane Doe and John Roe | April 9, 2024\n\
         \n\
         Russia, Iran and China are often described as an axis, but their interests diverge more often than they meet.\n\
         \n\
         Jane Doe is an assistant professor of political science at Meridian University.\n\
         \n\
         John Roe is a senior analyst at the Meridian Institute.\n",
        expect![[r#"
            title: The Axis That Isn't
            author: Jane Doe; John Roe
            published: 2024-04-09
            zone byline 23..63 "By Jane Doe and John Roe | April 9, 2024"
            zone author_bio 176..255 "Jane Doe is an assistant professor of political science at Meridian University."
            zone author_bio 257..312 "John Roe is a senior analyst at the Meridian Institute."
        "#]],
    );
}

#[test]
fn about_the_author_section() {
    check(
        "Iran's nuclear programme is closer to a weapon than at any time since 2003, and the window for diplomacy is narrowing.\n\
         \n\
         ---\n\
         \n\
         ## About the author\n\
         \n\
         A former diplomat, Jane Doe now advises governments on non-proliferation.\n\
         \n\
         Sign up for our weekly newsletter.\n\
         \n\
         \u{a9} 2024 Meridian Review. All rights reserved.\n",
        expect![[r###"
            title: -
            author: -
            published: -
            zone author_bio 125..144 "## About the author"
            zone author_bio 146..219 "A former diplomat, Jane Doe now advises governments on non-proliferation."
            zone disclaimer 221..255 "Sign up for our weekly newsletter."
            zone disclaimer 257..302 "© 2024 Meridian Review. All rights reserved."
        "###]],
    );
}

#[test]
fn names_in_the_body_are_not_bios() {
    check(
        "By Jane Doe\n\
         \n\
         Ali Vaez is a senior analyst whose warnings went unheeded in Washington for years, and his name comes up in every conversation.\n\
         \n\
         By the way, Russia did not object.\n\
         \n\
         John Bolton is a former national security adviser who has long argued for strikes on Iran.\n",
        expect![[r#"
            title: -
            author: Jane Doe
            published: -
            zone byline 0..11 "By Jane Doe"
        "#]],
    );
}

#[test]
fn setext_title_labels_and_footer() {
    check(
        "Black Sea Grain\n\
         ===============\n\
         \n\
         Author: Jane Doe\n\
         Updated: Tuesday, 5 March 2024 10:30 GMT\n\
         \n\
         Ukraine's grain corridor survived the Russian navy.\n\
         \n\
         This article was originally published by the Meridian Review on February 28, 2024.\n\
         \n\
         Subscribe to the Meridian Review for weekly analysis.\n",
        expect![[r#"
            title: Black Sea Grain
            author: Jane Doe
            published: 2024-02-28
            zone byline 33..49 "Author: Jane Doe"
            zone dateline 50..90 "Updated: Tuesday, 5 March 2024 10:30 GMT"
            zone disclaimer 145..227 "This article was originally published by the Meridian Review on February 28, 2024."
            zone disclaimer 229..282 "Subscribe to the Meridian Review for weekly analysis."
        "#]],
    );
}

#[test]
fn hard_wrapped_bio() {
    check(
        "Title Of A Wrapped Piece\n\
         \n\
         Israel and Hezbollah have traded fire for months\n\
         along the border, and neither side wants a war.\n\
         \n\
         Lena Marsh is a senior fellow at the Meridian\n\
         Institute, where she studies deterrence.\n\
         Image: the Blue Line near Metula\n",
        expect![[r#"
            title: Title Of A Wrapped Piece
            author: Lena Marsh
            published: -
            zone author_bio 124..210 "Lena Marsh is a senior fellow at the Meridian\nInstitute, where she studies deterrence."
            zone credit 211..243 "Image: the Blue Line near Metula"
        "#]],
    );
}

#[test]
fn title_then_bare_name_and_date_lines() {
    check(
        "Russia's Delicate Balance\n\
         Nima Khorrami\n\
         August 5, 2024\n\
         Moscow is walking a fine line between Israel and Iran.\n\
         Middle East Eye | March 2024\n",
        expect![[r#"
            title: Russia's Delicate Balance
            author: Nima Khorrami
            published: 2024-08-05
            zone byline 26..39 "Nima Khorrami"
            zone dateline 40..54 "August 5, 2024"
        "#]],
    );
}

#[test]
fn title_with_periods_above_a_byline() {
    check(
        "The Dam Is Finished. The Dispute Is Not.\n\
         By Samuel Roe, Africa desk\n\
         \n\
         ADDIS ABABA \u{2014} Ethiopia inaugurated the dam on Tuesday.\n\
         \n\
         This article reflects the author\u{2019}s personal views and not those of any government.\n",
        expect![[r#"
            title: The Dam Is Finished. The Dispute Is Not.
            author: Samuel Roe
            published: -
            zone byline 41..67 "By Samuel Roe, Africa desk"
            zone dateline 69..84 "ADDIS ABABA —"
            zone disclaimer 127..211 "This article reflects the author’s personal views and not those of any government."
        "#]],
    );
}

#[test]
fn quoted_titles() {
    check(
        "# \u{201c}No Limits\u{201d}\n\nBody.\n",
        expect![[r#"
        title: No Limits
        author: -
        published: -
    "#]],
    );
    check(
        "# \u{201c}No Limits\u{201d} and \u{2018}Red Lines\u{2019}\n\nBody.\n",
        expect![[r#"
            title: “No Limits” and ‘Red Lines’
            author: -
            published: -
        "#]],
    );
}
