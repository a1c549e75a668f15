//! Snapshots of every table for two hand-built analyses and one failed input.

use expect_test::{Expect, expect};

use super::*;
use crate::line::Row;
use crate::render::{actor, actor_id_str, country_id, example, primary, span_text};
use crate::rows::{ActorRow, DiagnosticRow, MentionRow, StanceRow, fixed3};
use dyad_core::{
    Actor, ActorKind, AuthorStance, Category, Document, Meta, Modality, QuadClass, Sentence, StanceOutput, Tagged,
    Token, TokenKind, Tokenized, UnknownName, Via,
};
use dyad_core::{ActorId, Mention, Severity, Span, Stance};

/// RUS, IRN, an organ and a person rolling up, a group without a country.
fn world() -> ActorTable {
    let mut t = ActorTable::new();
    let mut add = |id: &str, name: &str, kind: ActorKind, belongs_to: Option<&str>, country: Option<&str>| {
        let belongs_to = belongs_to.map(|b| t.lookup(b).expect("parent inserted first"));
        let country = country.map(|c| t.lookup(c).expect("country inserted first"));
        let actor = Actor { id: id.into(), name: name.into(), kind, belongs_to, country, wikidata: None };
        let id = t.insert(actor).expect("ids are unique");
        if kind == ActorKind::State {
            t.get_mut(id).country = Some(id);
        }
    };
    add("IRN", "Iran", ActorKind::State, None, None);
    add("RUS", "Russia", ActorKind::State, None, None);
    add("IRGC", "Islamic Revolutionary Guard Corps", ActorKind::Organ, Some("IRN"), Some("IRN"));
    add("VLADIMIR_PUTIN", "Vladimir Putin", ActorKind::Person, Some("RUS"), None);
    add("HAMAS", "Hamas", ActorKind::Group, None, None);
    t
}

/// The span of the `nth` (0-based) occurrence of `needle` in `text`.
fn find(text: &str, needle: &str, nth: usize) -> Span {
    let start = text.match_indices(needle).nth(nth).map(|(i, _)| i).expect("needle occurs");
    Span::new(start, start + needle.len())
}

/// One token per whitespace-separated word, sentences at the given spans.
fn tokenized(text: &str, sentences: &[&str]) -> Tokenized {
    let mut out = Tokenized::default();
    let mut from = 0;
    for s in sentences {
        let start = from + text[from..].find(s).expect("sentence occurs");
        let span = Span::new(start, start + s.len());
        let first = out.tokens.len() as u32;
        let mut pos = start;
        for word in s.split_whitespace() {
            let at = pos + text[pos..].find(word).expect("word occurs");
            out.tokens.push(Token { span: Span::new(at, at + word.len()), kind: TokenKind::Word });
            pos = at + word.len();
        }
        out.sentences.push(Sentence { span, first_token: first, end_token: out.tokens.len() as u32 });
        from = span.end as usize;
    }
    out
}

fn mention(actors: &ActorTable, text: &str, words: &str, nth: usize, sentence: u32, id: &str, via: Via) -> Mention {
    let actor = actors.lookup(id).expect("known actor");
    Mention { span: find(text, words, nth), sentence, first_token: 0, end_token: 0, actor, via }
}

#[allow(clippy::too_many_arguments)]
fn stance(
    sentence: u32,
    source: u32,
    target: u32,
    cue_span: Span,
    category: Category,
    quad_class: QuadClass,
    polarity: i8,
    score: f32,
    modality: Modality,
    symmetric: bool,
) -> Stance {
    Stance {
        sentence,
        source,
        target,
        cue_span,
        cue: cue_span.start.to_string(),
        category,
        quad_class,
        polarity,
        score,
        modality,
        confidence: 0.8,
        symmetric,
    }
}

fn first_doc(actors: &ActorTable) -> Analysis {
    let text = "Vladimir Putin said Russia \"firmly\" backs Iran,\nas ever. Ties between Russia and Iran deepened. \
                The Zangezur Corridor stalled, Hamas said.\n";
    let mut doc = Document::from_text("b/one.txt", text);
    doc.path = "corpus/b/one.txt".into();
    doc.meta = Meta {
        title: Some("Moscow, Tehran and \"the West\"".into()),
        author: Some("Jane Doe".into()),
        published: Some("2024-05".into()),
        url: Some("https://example.org/one".into()),
    };
    let tokenized = tokenized(
        text,
        &[
            "Vladimir Putin said Russia \"firmly\" backs Iran,\nas ever.",
            "Ties between Russia and Iran deepened.",
            "The Zangezur Corridor stalled, Hamas said.",
        ],
    );
    let mentions = vec![
        mention(actors, text, "Vladimir Putin", 0, 0, "VLADIMIR_PUTIN", Via::Person),
        mention(actors, text, "Russia", 0, 0, "RUS", Via::Name),
        mention(actors, text, "Iran", 0, 0, "IRN", Via::Name),
        mention(actors, text, "Russia", 1, 1, "RUS", Via::Name),
        mention(actors, text, "Iran", 1, 1, "IRN", Via::Name),
        mention(actors, text, "Hamas", 0, 2, "HAMAS", Via::Name),
    ];
    let mut backs = stance(
        0,
        0,
        2,
        find(text, "backs", 0),
        Category::Support,
        QuadClass::VerbalCooperation,
        1,
        3.5,
        Modality::Reported,
        false,
    );
    backs.cue = "back".into();
    let mut ties = stance(
        1,
        3,
        4,
        find(text, "Ties", 0),
        Category::Cooperate,
        QuadClass::MaterialCooperation,
        1,
        2.0,
        Modality::Asserted,
        true,
    );
    ties.cue = "ties".into();
    ties.confidence = 0.66666;
    let unknown = vec![UnknownName { span: find(text, "Zangezur Corridor", 0), sentence: 2 }];
    let rus = actors.lookup("RUS").expect("RUS");
    let irn = actors.lookup("IRN").expect("IRN");
    let author = vec![
        AuthorStance { actor: rus, mentions: 3, label: -1, score: -0.4 },
        AuthorStance { actor: irn, mentions: 2, label: 0, score: -0.0 },
    ];
    Analysis {
        doc,
        tokenized,
        tagged: Tagged { mentions, unknown },
        stance: StanceOutput { stances: vec![backs, ties], author },
    }
}

fn second_doc(actors: &ActorTable) -> Analysis {
    let text = "Iran condemned Russia over Karabakh. The Zangezur Corridor again: the IRGC objected.";
    let doc = Document::from_text("c/two.txt", text);
    let tokenized =
        tokenized(text, &["Iran condemned Russia over Karabakh.", "The Zangezur Corridor again: the IRGC objected."]);
    let mentions = vec![
        mention(actors, text, "Iran", 0, 0, "IRN", Via::Name),
        mention(actors, text, "Russia", 0, 0, "RUS", Via::Name),
        mention(actors, text, "IRGC", 0, 1, "IRGC", Via::Abbreviation),
    ];
    let mut condemned = stance(
        0,
        0,
        1,
        find(text, "condemned", 0),
        Category::Accuse,
        QuadClass::VerbalConflict,
        -1,
        -4.25,
        Modality::Asserted,
        false,
    );
    condemned.cue = "condemn".into();
    let unknown = vec![
        UnknownName { span: find(text, "Karabakh", 0), sentence: 0 },
        UnknownName { span: find(text, "Zangezur Corridor", 0), sentence: 1 },
    ];
    Analysis {
        doc,
        tokenized,
        tagged: Tagged { mentions, unknown },
        stance: StanceOutput { stances: vec![condemned], author: Vec::new() },
    }
}

/// Runs a report over `analyses` plus one skipped input and returns every
/// table, `\r\n` shown as `\n`.
fn render(analyses: &[Analysis], actors: &ActorTable) -> (Tables<String>, Summary) {
    let mut bufs: Tables<Vec<u8>> = Tables::default();
    let mut report = Report::new(bufs.as_mut()).expect("writing to memory");
    report.add_failed("a/bad.bin", "corpus/a/bad.bin", Failure::Skipped, "binary file, not text").expect("memory");
    report
        .add_diagnostic(&Diagnostic {
            path: "corpus/a/bad.bin".into(),
            stage: "ingest",
            severity: Severity::Warning,
            message: "skipped: binary file, not text".into(),
        })
        .expect("memory");
    for a in analyses {
        report.add_document(a, actors).expect("memory");
    }
    let summary = report.finish().expect("memory");
    let tables = bufs.try_map(|table, buf| -> Result<String, String> {
        let s = String::from_utf8(buf).map_err(|e| format!("{}: {e}", table.file_name()))?;
        assert!(s.ends_with("\r\n"), "{} ends with a CRLF", table.file_name());
        Ok(s.replace("\r\n", "\n"))
    });
    (tables.expect("UTF-8"), summary)
}

fn check(table: &str, expect: Expect) {
    expect.assert_eq(table);
}

#[test]
fn tables() {
    let actors = world();
    let (t, summary) = render(&[first_doc(&actors), second_doc(&actors)], &actors);
    check(
        &t.documents,
        expect![[r#"
            doc_id,path,title,author,published,sentences,tokens,mentions,stances,status,error,url
            a/bad.bin,corpus/a/bad.bin,,,,0,0,0,0,skipped,"binary file, not text",
            b/one.txt,corpus/b/one.txt,"Moscow, Tehran and ""the West""",Jane Doe,2024-05,3,21,6,2,ok,,https://example.org/one
            c/two.txt,c/two.txt,,,,2,12,3,1,ok,,
        "#]],
    );
    check(
        &t.mentions,
        expect![[r#"
        doc_id,sentence,start,end,text,actor_id,actor_name,actor_kind,affiliation_id,country,via
        b/one.txt,0,0,14,Vladimir Putin,VLADIMIR_PUTIN,Vladimir Putin,person,RUS,RUS,person
        b/one.txt,0,20,26,Russia,RUS,Russia,state,,RUS,name
        b/one.txt,0,42,46,Iran,IRN,Iran,state,,IRN,name
        b/one.txt,1,70,76,Russia,RUS,Russia,state,,RUS,name
        b/one.txt,1,81,85,Iran,IRN,Iran,state,,IRN,name
        b/one.txt,2,127,132,Hamas,HAMAS,Hamas,group,,,name
        c/two.txt,0,0,4,Iran,IRN,Iran,state,,IRN,name
        c/two.txt,0,15,21,Russia,RUS,Russia,state,,RUS,name
        c/two.txt,1,70,74,IRGC,IRGC,Islamic Revolutionary Guard Corps,organ,IRN,IRN,abbreviation
    "#]],
    );
    check(
        &t.stances,
        expect![[r#"
        stance_id,doc_id,sentence,start,end,source_id,source_name,source_country,source_text,target_id,target_name,target_country,target_text,category,quad_class,polarity,score,modality,cue,confidence,evidence,symmetric,cue_text
        b/one.txt#1,b/one.txt,0,0,56,RUS,Russia,RUS,Vladimir Putin,IRN,Iran,IRN,Iran,SUPPORT,verbal_cooperation,1,3.500,reported,back,0.800,"Vladimir Putin said Russia ""firmly"" backs Iran,
        as ever.",false,backs
        b/one.txt#2,b/one.txt,1,57,95,RUS,Russia,RUS,Russia,IRN,Iran,IRN,Iran,COOPERATE,material_cooperation,1,2.000,asserted,ties,0.667,Ties between Russia and Iran deepened.,true,Ties
        c/two.txt#1,c/two.txt,0,0,36,IRN,Iran,IRN,Iran,RUS,Russia,RUS,Russia,ACCUSE,verbal_conflict,-1,-4.250,asserted,condemn,0.800,Iran condemned Russia over Karabakh.,false,condemned
    "#]],
    );
    check(
        &t.pairs,
        expect![[r#"
        source_id,source_name,target_id,target_name,docs,stances,cooperation,conflict,mean_score,net,net_score
        IRN,Iran,RUS,Russia,2,2,1,1,-1.125,conflictual,-2.250
        RUS,Russia,IRN,Iran,1,2,2,0,2.750,cooperative,5.500
    "#]],
    );
    check(
        &t.actors,
        expect![[r#"
        doc_id,actor_id,actor_name,mentions,author_stance,author_score
        b/one.txt,IRN,Iran,2,neutral,0.000
        b/one.txt,RUS,Russia,3,negative,-0.400
    "#]],
    );
    check(
        &t.unknown_names,
        expect![[r#"
        name,count,docs,example
        Zangezur Corridor,2,2,"The Zangezur Corridor stalled, Hamas said."
        Karabakh,1,1,Iran condemned Russia over Karabakh.
    "#]],
    );
    check(
        &t.diagnostics,
        expect![[r#"
        path,stage,severity,message
        corpus/a/bad.bin,ingest,warning,"skipped: binary file, not text"
    "#]],
    );
    expect![[r#"
        Summary {
            documents: 3,
            ok: 2,
            skipped: 1,
            errors: 0,
            mentions: 9,
            stances: 3,
            pairs: 2,
            unknown_names: 2,
            diagnostics: 1,
            bytes: 223,
        }
    "#]]
    .assert_debug_eq(&summary);
}

#[test]
fn empty_report_has_headers() {
    let (t, _) = render(&[], &ActorTable::new());
    for table in Table::ALL {
        let first = t.get(table).lines().next().unwrap_or("");
        assert_eq!(first, table.columns().join(","), "{}", table.file_name());
    }
    check(
        &t.pairs,
        expect![[r#"
        source_id,source_name,target_id,target_name,docs,stances,cooperation,conflict,mean_score,net,net_score
    "#]],
    );
}

#[test]
fn columns_match_row_structs() {
    fn header<T: serde::Serialize>(row: T) -> String {
        let mut w = csv::WriterBuilder::new().has_headers(true).from_writer(Vec::new());
        w.serialize(row).expect("memory");
        let bytes = w.into_inner().expect("memory");
        String::from_utf8(bytes).expect("UTF-8").lines().next().unwrap_or("").to_string()
    }
    let documents = header(DocumentRow {
        doc_id: Id(""),
        path: Text(""),
        title: Text(""),
        author: Text(""),
        published: Text(""),
        sentences: 0,
        tokens: 0,
        mentions: 0,
        stances: 0,
        status: "",
        error: Text(""),
        url: Text(""),
    });
    let mentions = header(MentionRow {
        doc_id: Id(""),
        sentence: 0,
        start: 0,
        end: 0,
        text: Text(""),
        actor_id: Id(""),
        actor_name: Text(""),
        actor_kind: "",
        affiliation_id: Id(""),
        country: Id(""),
        via: "",
    });
    let stances = header(StanceRow {
        stance_id: Id(""),
        doc_id: Id(""),
        sentence: 0,
        start: 0,
        end: 0,
        source_id: Id(""),
        source_name: Text(""),
        source_country: Id(""),
        source_text: Text(""),
        target_id: Id(""),
        target_name: Text(""),
        target_country: Id(""),
        target_text: Text(""),
        category: "",
        quad_class: "",
        polarity: 0,
        score: String::new(),
        modality: "",
        cue: Text(""),
        confidence: String::new(),
        evidence: Text(""),
        symmetric: false,
        cue_text: Text(""),
    });
    let pairs = header(PairRow {
        source_id: Id(""),
        source_name: Text(""),
        target_id: Id(""),
        target_name: Text(""),
        docs: 0,
        stances: 0,
        cooperation: 0,
        conflict: 0,
        mean_score: Fixed3(0.0),
        net: "",
        net_score: Fixed3(0.0),
    });
    let actors = header(ActorRow {
        doc_id: Id(""),
        actor_id: Id(""),
        actor_name: Text(""),
        mentions: 0,
        author_stance: "",
        author_score: String::new(),
    });
    let unknown_names = header(UnknownNameRow { name: Text(""), count: 0, docs: 0, example: Text("") });
    let diagnostics = header(DiagnosticRow { path: Text(""), stage: "", severity: "", message: Text("") });
    let headers = Tables { documents, mentions, stances, pairs, actors, unknown_names, diagnostics };
    for table in Table::ALL {
        assert_eq!(headers.get(table), &table.columns().join(","), "{}", table.file_name());
    }
}

#[test]
fn broken_stage_output_becomes_a_diagnostic() {
    let actors = world();
    let mut a = second_doc(&actors);
    a.stance.stances[0].target = 99;
    a.tagged.unknown[0].sentence = 42;
    let (t, summary) = render(&[a], &actors);
    assert_eq!(summary.stances, 0);
    check(
        &t.diagnostics,
        expect![[r#"
            path,stage,severity,message
            corpus/a/bad.bin,ingest,warning,"skipped: binary file, not text"
            c/two.txt,report,warning,stance 1 names mentions 0 and 99 but the document has 3; row left out
        "#]],
    );
    check(
        &t.unknown_names,
        expect![[r#"
        name,count,docs,example
        Karabakh,1,1,Karabakh
        Zangezur Corridor,1,1,The Zangezur Corridor again: the IRGC objected.
    "#]],
    );
}

#[test]
fn example_is_cut_on_a_char_boundary() {
    let long = format!("  {}  ", "é".repeat(EXAMPLE_MAX_CHARS + 10));
    let cut = example(&long);
    assert_eq!(cut.chars().count(), EXAMPLE_MAX_CHARS);
    assert!(cut.starts_with('é'));
    assert_eq!(example("  short\n"), "short");
}

#[test]
fn hostile_cells_are_neutralised_and_excel_mode_adds_a_bom() {
    let actors = world();
    let text = "-Russia backs Iran.\n";
    let mut doc = Document::from_text("=cmd.txt", text);
    doc.path = "in/=cmd.txt".into();
    doc.meta = Meta {
        title: Some("=HYPERLINK(\"http://evil\",\"x\")".into()),
        author: Some("@attacker".into()),
        published: Some("2024".into()),
        url: Some("+1".into()),
    };
    let tokenized = tokenized(text, &["-Russia backs Iran."]);
    let mentions = vec![
        mention(&actors, text, "Russia", 0, 0, "RUS", Via::Name),
        mention(&actors, text, "Iran", 0, 0, "IRN", Via::Name),
    ];
    let mut backs = stance(
        0,
        0,
        1,
        find(text, "backs", 0),
        Category::Support,
        QuadClass::VerbalCooperation,
        1,
        4.0,
        Modality::Asserted,
        false,
    );
    backs.cue = "back".into();
    let analysis = Analysis {
        doc,
        tokenized,
        tagged: Tagged { mentions, unknown: Vec::new() },
        stance: StanceOutput { stances: vec![backs], author: Vec::new() },
    };
    let mut bufs: Tables<Vec<u8>> = Tables::default();
    let mut report =
        Report::with_config(bufs.as_mut(), &ReportConfig { excel: true, ..ReportConfig::default() }).expect("memory");
    report.add_document(&analysis, &actors).expect("memory");
    report.add_failed("010", "in/010", Failure::Skipped, "\tunsupported").expect("memory");
    report
        .add_diagnostic(&Diagnostic {
            path: "in/010".into(),
            stage: "ingest",
            severity: Severity::Info,
            message: "=2+5".into(),
        })
        .expect("memory");
    report.finish().expect("memory");
    for table in Table::ALL {
        assert!(bufs.get(table).starts_with(BOM), "{} starts with a BOM", table.file_name());
    }
    let show =
        |table: Table| String::from_utf8(bufs.get(table)[BOM.len()..].to_vec()).expect("UTF-8").replace("\r\n", "\n");
    expect![[r#"
        doc_id,path,title,author,published,sentences,tokens,mentions,stances,status,error,url
        '=cmd.txt,in/=cmd.txt,"'=HYPERLINK(""http://evil"",""x"")",'@attacker,2024,1,3,2,1,ok,,'+1
        '010,in/010,,,,0,0,0,0,skipped,'	unsupported,
    "#]]
    .assert_eq(&show(Table::Documents));
    expect![[r#"
        stance_id,doc_id,sentence,start,end,source_id,source_name,source_country,source_text,target_id,target_name,target_country,target_text,category,quad_class,polarity,score,modality,cue,confidence,evidence,symmetric,cue_text
        '=cmd.txt#1,'=cmd.txt,0,0,19,RUS,Russia,RUS,Russia,IRN,Iran,IRN,Iran,SUPPORT,verbal_cooperation,1,4.000,asserted,back,0.800,'-Russia backs Iran.,false,backs
    "#]].assert_eq(&show(Table::Stances));
    expect![[r#"
        path,stage,severity,message
        in/010,ingest,info,'=2+5
    "#]]
    .assert_eq(&show(Table::Diagnostics));
}

/// What the `csv` crate writes for `row`, `\r\n` terminated.
fn csv_row<T: serde::Serialize>(row: &T, out: &mut Vec<u8>) {
    let mut w = csv::WriterBuilder::new().has_headers(false).terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    w.serialize(row).expect("serialise");
    out.extend_from_slice(&w.into_inner().expect("flush"));
}

/// The first two documents, and three with hostile ids and cells: a
/// formula, an id that looks like a date, quotes and commas, an actor id
/// outside the table.
fn hostile_docs(actors: &ActorTable) -> Vec<Analysis> {
    let mut docs = vec![first_doc(actors), second_doc(actors)];
    for id in ["=cmd.txt", "2024-03.txt", "a,\"b\".txt", "", "corpus/a directory name well past 32 bytes/a,\"b\".txt"] {
        let text = "-Russia backs Iran, and \"RUSSIA\", Russia.\n=Iran: Russia.\n";
        let mut doc = first_doc(actors);
        doc.doc = Document::from_text(id, text);
        doc.tokenized = tokenized(text, &["-Russia backs Iran, and \"RUSSIA\", Russia.", "=Iran: Russia."]);
        doc.tagged.mentions = vec![
            mention(actors, text, "Russia", 0, 0, "RUS", Via::Name),
            mention(actors, text, "Iran", 0, 0, "IRN", Via::Name),
            mention(actors, text, "RUSSIA", 0, 0, "RUS", Via::Name),
            mention(actors, text, "Russia", 1, 0, "RUS", Via::Name),
            mention(actors, text, "=Iran", 0, 1, "IRGC", Via::Name),
            mention(actors, text, "Russia", 2, 1, "VLADIMIR_PUTIN", Via::Person),
        ];
        doc.tagged.mentions.push(Mention { actor: ActorId(9999), ..doc.tagged.mentions[0] });
        let backs = find(text, "backs", 0);
        let mut stances = Vec::new();
        for (sentence, source, target) in [(0, 0, 1), (0, 2, 6), (0, 6, 3), (1, 4, 5), (7, 1, 0), (1, 5, 4)] {
            let mut s = stance(
                sentence,
                source,
                target,
                backs,
                Category::Support,
                QuadClass::VerbalCooperation,
                1,
                -0.0004 * source as f32,
                Modality::Asserted,
                target == 0,
            );
            s.cue = "=back".into();
            stances.push(s);
        }
        doc.stance.stances = stances;
        let rus = actors.lookup("RUS").expect("RUS");
        let irgc = actors.lookup("IRGC").expect("IRGC");
        doc.stance.author = vec![
            AuthorStance { actor: irgc, mentions: 1, label: 1, score: 0.25 },
            AuthorStance { actor: ActorId(9999), mentions: 1, label: 0, score: f32::NAN },
            AuthorStance { actor: rus, mentions: 3, label: -1, score: -1.0 },
        ];
        docs.push(doc);
    }
    docs
}

/// The mention rows `Rendered` writes cell by cell are the bytes
/// `MentionRow` serializes to, hostile cells and ids that look like numbers
/// included.
#[test]
fn mention_rows_are_what_the_row_struct_serializes() {
    let actors = world();
    for a in &hostile_docs(&actors) {
        let mut want = Vec::new();
        for m in &a.tagged.mentions {
            let actor = actor(&actors, m.actor);
            let affiliation_id = match primary(&actors, m.actor) {
                Some(p) if p != m.actor => actor_id_str(&actors, p),
                _ => "",
            };
            let row = MentionRow {
                doc_id: Id(&a.doc.id),
                sentence: m.sentence,
                start: m.span.start,
                end: m.span.end,
                text: Text(span_text(&a.doc.text, m.span)),
                actor_id: Id(actor.map_or("", |a| a.id.as_str())),
                actor_name: Text(actor.map_or("", |a| a.name.as_str())),
                actor_kind: actor.map_or("", |a| a.kind.as_str()),
                affiliation_id: Id(affiliation_id),
                country: Id(country_id(&actors, m.actor)),
                via: m.via.as_str(),
            };
            csv_row(&row, &mut want);
        }
        let got = Rendered::new(a, &actors).mentions;
        assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&want), "{:?}", a.doc.id);
        assert!(!want.is_empty());
    }
}

/// Rendering with the actor cells of the whole table gives what rendering
/// them per document gives.
#[test]
fn shared_actor_cells_change_nothing() {
    let actors = world();
    let cells = ActorCells::new(&actors);
    let mut shared = Rendered::default();
    for a in &hostile_docs(&actors) {
        let own = Rendered::new(a, &actors);
        shared.render_again_with(a, &cells);
        let tables = |r: &Rendered| {
            [&r.documents, &r.mentions, &r.stances, &r.actors, &r.diagnostics]
                .map(|b| String::from_utf8_lossy(b).to_string())
        };
        assert_eq!(tables(&shared), tables(&own), "{:?}", a.doc.id);
        assert_eq!(format!("{:?}", shared.pairs), format!("{:?}", own.pairs));
        let names = |r: &Rendered| (0..r.pairs.len()).map(|i| r.pair_names(i).map(str::to_string)).collect::<Vec<_>>();
        assert_eq!(names(&shared), names(&own));
        assert!(shared.pair_strings.is_empty() && own.names.is_none());
        let unknown = |r: &Rendered| {
            r.unknown
                .iter()
                .map(|u| (r.string(u.name).to_string(), u.example.map(|e| r.string(e).to_string())))
                .collect::<Vec<_>>()
        };
        assert_eq!(unknown(&shared), unknown(&own));
    }
}

/// A report fed with the run's actor cells writes the same tables.
#[test]
fn reports_with_shared_actor_cells_are_the_same() {
    let actors = world();
    let cells = ActorCells::new(&actors);
    let docs = hostile_docs(&actors);
    let (mut own, mut shared): (Tables<Vec<u8>>, Tables<Vec<u8>>) = Default::default();
    let mut a = Report::new(own.as_mut()).expect("memory");
    let mut b = Report::new(shared.as_mut()).expect("memory");
    for doc in docs.iter().chain(&docs) {
        a.add_document(doc, &actors).expect("memory");
        b.add_document_with(doc, &cells).expect("memory");
    }
    assert_eq!(a.finish().expect("memory"), b.finish().expect("memory"));
    for table in Table::ALL {
        let show = |t: &Tables<Vec<u8>>| String::from_utf8_lossy(t.get(table)).to_string();
        assert_eq!(show(&own), show(&shared), "{}", table.file_name());
    }
}

/// Taking rendered rows writes what copying them does, in order with the
/// rows written in between (failed inputs, diagnostics), through a writer
/// that takes a few bytes of one buffer at a time, over enough documents
/// to spill many blocks.
#[test]
fn taken_rows_are_the_copied_rows() {
    /// Writes at most 1,000 bytes a call, of the first buffer only (the
    /// default `write_vectored`).
    struct Trickle<'a>(&'a mut Vec<u8>);
    impl Write for Trickle<'_> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = buf.len().min(1000);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let actors = world();
    let cells = ActorCells::new(&actors);
    let docs = hostile_docs(&actors);
    let (mut copied, mut taken): (Tables<Vec<u8>>, Tables<Vec<u8>>) = Default::default();
    let mut a = Report::new(copied.as_mut()).expect("memory");
    let trickles = taken.as_mut().try_map(|_, buf| Ok::<_, io::Error>(Trickle(buf))).expect("memory");
    let mut b = Report::new(trickles).expect("memory");
    let mut rendered = Rendered::default();
    for round in 0..200 {
        for doc in &docs {
            rendered.render_again_with(doc, &cells);
            a.add_rendered(&rendered).expect("memory");
            b.take_rendered(&mut rendered).expect("memory");
        }
        if round % 7 == 0 {
            let diagnostic = Diagnostic {
                path: format!("corpus/{round}.bin"),
                stage: "ingest",
                severity: Severity::Warning,
                message: "skipped".into(),
            };
            a.add_diagnostic(&diagnostic).expect("memory");
            b.add_diagnostic(&diagnostic).expect("memory");
            a.add_failed("x", "corpus/x.bin", Failure::Skipped, "binary").expect("memory");
            b.add_failed("x", "corpus/x.bin", Failure::Skipped, "binary").expect("memory");
        }
    }
    assert_eq!(a.finish().expect("memory"), b.finish().expect("memory"));
    assert!(copied.mentions.len() > 4 * BLOCK, "{} bytes of mentions", copied.mentions.len());
    for table in Table::ALL {
        let show = |t: &Tables<Vec<u8>>| String::from_utf8_lossy(t.get(table)).to_string();
        assert_eq!(show(&copied), show(&taken), "{}", table.file_name());
    }
}

/// The stance rows are the bytes `StanceRow` serializes to.
#[test]
fn stance_rows_are_what_the_row_struct_serializes() {
    let actors = world();
    let mut rendered = Rendered::default();
    for a in &hostile_docs(&actors) {
        let text = a.doc.text.as_str();
        let mentions = &a.tagged.mentions;
        let mut want = Vec::new();
        for (i, s) in a.stance.stances.iter().enumerate() {
            let (Some(source), Some(target)) = (mentions.get(s.source as usize), mentions.get(s.target as usize))
            else {
                continue;
            };
            let evidence = match a.tokenized.sentences.get(s.sentence as usize) {
                Some(sentence) => sentence.span,
                None => source.span.cover(target.span).cover(s.cue_span),
            };
            let source_primary = primary(&actors, source.actor).unwrap_or(source.actor);
            let target_primary = primary(&actors, target.actor).unwrap_or(target.actor);
            let name = |id| actor(&actors, id).map_or("", |a| a.name.as_str());
            let stance_id = format!("{}#{}", a.doc.id, i + 1);
            let row = StanceRow {
                stance_id: Id(&stance_id),
                doc_id: Id(&a.doc.id),
                sentence: s.sentence,
                start: evidence.start,
                end: evidence.end,
                source_id: Id(actor_id_str(&actors, source_primary)),
                source_name: Text(name(source_primary)),
                source_country: Id(country_id(&actors, source_primary)),
                source_text: Text(span_text(text, source.span)),
                target_id: Id(actor_id_str(&actors, target_primary)),
                target_name: Text(name(target_primary)),
                target_country: Id(country_id(&actors, target_primary)),
                target_text: Text(span_text(text, target.span)),
                category: s.category.as_str(),
                quad_class: s.quad_class.as_str(),
                polarity: s.polarity.signum(),
                score: fixed3(f64::from(s.score)),
                modality: s.modality.as_str(),
                cue: Text(&s.cue),
                confidence: fixed3(f64::from(s.confidence)),
                evidence: Text(span_text(text, evidence)),
                symmetric: s.symmetric,
                cue_text: Text(span_text(text, s.cue_span)),
            };
            csv_row(&row, &mut want);
        }
        // Rendered again into a used value: no cell of the last document leaks.
        rendered.render_again(a, &actors);
        assert_eq!(String::from_utf8_lossy(&rendered.stances), String::from_utf8_lossy(&want), "{:?}", a.doc.id);
        assert!(!want.is_empty());
    }
}

/// The author rows are the bytes `ActorRow` serializes to, sorted by actor id.
#[test]
fn actor_rows_are_what_the_row_struct_serializes() {
    let actors = world();
    let mut rows = 0;
    for a in &hostile_docs(&actors) {
        let mut author: Vec<_> = a.stance.author.iter().collect();
        author.sort_by_key(|s| actor_id_str(&actors, s.actor));
        let mut want = Vec::new();
        for s in author {
            let row = ActorRow {
                doc_id: Id(&a.doc.id),
                actor_id: Id(actor_id_str(&actors, s.actor)),
                actor_name: Text(actor(&actors, s.actor).map_or("", |a| a.name.as_str())),
                mentions: s.mentions,
                author_stance: match s.label.signum() {
                    1 => "positive",
                    -1 => "negative",
                    _ => "neutral",
                },
                author_score: fixed3(f64::from(s.score)),
            };
            csv_row(&row, &mut want);
        }
        let got = Rendered::new(a, &actors).actors;
        assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&want), "{:?}", a.doc.id);
        rows += want.len();
    }
    assert!(rows > 0);
}

/// The rows report writes through `Record` are the bytes the row structs
/// serialize to.
#[test]
fn records_are_what_the_row_structs_serialize() {
    fn same(row: &(impl Record + serde::Serialize)) {
        let (mut got, mut want) = (Vec::new(), Vec::new());
        row.write(&mut got);
        csv_row(row, &mut want);
        assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&want));
    }
    for (a, b) in [("", ""), ("=x", "010"), ("a,\"b\"", "-1"), ("2024-03", "\tx\r\ny"), ("\u{ff20}x", ".5")] {
        same(&DocumentRow {
            doc_id: Id(a),
            path: Text(b),
            title: Text(a),
            author: Text(b),
            published: Text(a),
            sentences: 1,
            tokens: usize::MAX,
            mentions: 0,
            stances: 10,
            status: "ok",
            error: Text(b),
            url: Text(a),
        });
        same(&PairRow {
            source_id: Id(a),
            source_name: Text(b),
            target_id: Id(b),
            target_name: Text(a),
            docs: 1,
            stances: 2,
            cooperation: 3,
            conflict: u64::MAX,
            mean_score: Fixed3(-0.0004),
            net: "neutral",
            net_score: Fixed3(1e12),
        });
        same(&UnknownNameRow { name: Text(a), count: 0, docs: 7, example: Text(b) });
        same(&DiagnosticRow { path: Text(a), stage: "report", severity: "warning", message: Text(b) });
    }
}

/// Every enum name `Rendered` writes as a [`crate::line::Label`] (copied
/// without the quoting check) is written the same by the checked path.
#[test]
fn labels_need_no_quotes() {
    // Exhaustive matches: a variant added to core fails to compile here
    // until it is listed, so no label escapes the check.
    let via = |v: Via| match v {
        Via::Name
        | Via::Abbreviation
        | Via::Demonym
        | Via::Metonym
        | Via::Person
        | Via::Surname
        | Via::Title
        | Via::Pronoun
        | Via::Description => v.as_str(),
    };
    let quad = |q: QuadClass| match q {
        QuadClass::VerbalCooperation
        | QuadClass::MaterialCooperation
        | QuadClass::VerbalConflict
        | QuadClass::MaterialConflict => q.as_str(),
    };
    let modality = |m: Modality| match m {
        Modality::Asserted | Modality::Reported | Modality::Hedged | Modality::Hypothetical | Modality::Negated => {
            m.as_str()
        }
    };
    let mut labels: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    labels.extend(crate::render::VIAS.map(via));
    labels.extend(
        [
            QuadClass::VerbalCooperation,
            QuadClass::MaterialCooperation,
            QuadClass::VerbalConflict,
            QuadClass::MaterialConflict,
        ]
        .map(quad),
    );
    labels.extend(
        [Modality::Asserted, Modality::Reported, Modality::Hedged, Modality::Hypothetical, Modality::Negated]
            .map(modality),
    );
    labels.extend(["positive", "negative", "neutral"]);
    for label in labels {
        let mut checked = Vec::new();
        crate::line::field(None, label.as_bytes(), &mut checked);
        let mut copied = Vec::new();
        crate::line::Label(label).put(&mut copied);
        assert_eq!(copied, checked, "{label:?}");
    }
}

/// Each name's first hit in a document carries its own sentence (the name
/// itself when the sentence does not exist), later hits none, whether the
/// new names of a sentence come together, apart, or around a hit whose
/// sentence is missing.
#[test]
fn unknown_examples_are_their_sentences() {
    let actors = world();
    let mut a = second_doc(&actors);
    let text = a.doc.text.clone();
    let sentences = a.tokenized.sentences.len() as u32;
    let words = ["Karabakh", "Zangezur Corridor", "Iran", "Russia", "IRGC"];
    let hits: Vec<(usize, u32)> =
        vec![(0, 0), (2, 0), (4, 1), (1, 1), (3, 42), (3, 1), (2, 1), (4, 0), (1, sentences - 1), (0, 0)];
    a.tagged.unknown =
        hits.iter().map(|&(w, sentence)| UnknownName { span: find(&text, words[w], 0), sentence }).collect();
    let r = Rendered::new(&a, &actors);
    let mut seen = std::collections::HashSet::new();
    let want: Vec<_> = hits
        .iter()
        .map(|&(w, sentence)| {
            let source = a.tokenized.sentences.get(sentence as usize).map_or(words[w], |s| span_text(&text, s.span));
            (words[w].to_string(), seen.insert(w).then(|| source.to_string()))
        })
        .collect();
    let got: Vec<_> =
        r.unknown.iter().map(|u| (r.string(u.name).to_string(), u.example.map(|e| r.string(e).to_string()))).collect();
    assert_eq!(got, want);
}

/// The test world and an Iranian ministry named `name`, a name longer than
/// most, with quotes.
fn world_with_ministry(name: &str) -> ActorTable {
    let mut actors = world();
    let ministry = Actor {
        id: "MINISTRY_OF_LONG_NAMES".into(),
        name: name.into(),
        kind: ActorKind::Organ,
        belongs_to: actors.lookup("IRN"),
        country: actors.lookup("IRN"),
        wikidata: None,
    };
    actors.insert(ministry).expect("a new id");
    actors
}

/// The `id,name,country,` and `id,name,` cells of every actor, those that
/// fit a `Short` and those too long for one (and an id outside the table),
/// are the `Id` and `Text` cells with their commas.
#[test]
fn id_name_cells_are_the_cells() {
    let actors = world_with_ministry("The Very Long Official Name Of A Ministry, \"Quoted\" Twice");
    let cells = ActorCells::new(&actors);
    for i in 0..=actors.len() as u32 {
        let id = ActorId(i);
        let mut want = Vec::new();
        Id(actor_id_str(&actors, id)).put(&mut want);
        want.push(b',');
        Text(actor(&actors, id).map_or("", |a| a.name.as_str())).put(&mut want);
        want.push(b',');
        let name_end = want.len();
        Id(country_id(&actors, id)).put(&mut want);
        want.push(b',');
        let (mut all, mut first) = (b"x".to_vec(), b"x".to_vec());
        cells.cells.id_name_country(id).put(&mut all);
        cells.cells.id_name(id).put(&mut first);
        assert_eq!(String::from_utf8_lossy(&all[1..]), String::from_utf8_lossy(&want), "{i}");
        assert_eq!(String::from_utf8_lossy(&first[1..]), String::from_utf8_lossy(&want[..name_end]), "{i}");
    }
}

/// The row ends kept per actor and `via` are the mention cells and the
/// `via` cell with `\r\n`, for every actor of the table (those too long to
/// keep, the tables filled per document and an id outside the table too),
/// and the actors kept for stances are the primaries.
#[test]
fn mention_tails_are_the_cells_and_the_end() {
    let actors = world_with_ministry("The Very Long Official Name Of A Ministry, \"Quoted\"");
    let shared = ActorCells::new(&actors);
    let mut own = crate::actor_cells::CellTable::default();
    own.reset(actors.len());
    let (mut kept, mut too_long) = (0, 0);
    for i in 0..=actors.len() as u32 + 2 {
        let id = ActorId(i);
        for via in crate::render::VIAS {
            let mut want = Vec::new();
            let actor = actor(&actors, id);
            let affiliation = match primary(&actors, id) {
                Some(p) if p != id => actor_id_str(&actors, p),
                _ => "",
            };
            Row::new(&mut want)
                .cell(Id(actor.map_or("", |a| a.id.as_str())))
                .cell(Text(actor.map_or("", |a| a.name.as_str())))
                .cell(actor.map_or("", |a| a.kind.as_str()))
                .cell(Id(affiliation))
                .cell(Id(country_id(&actors, id)))
                .cell(via.as_str())
                .end();
            let mut got = b"x".to_vec();
            shared.cells.put_mention_tail(id, via, &mut got);
            assert_eq!(String::from_utf8_lossy(&got[1..]), String::from_utf8_lossy(&want), "{i} {via:?}");
            if want.len() <= 56 {
                kept += 1
            } else {
                too_long += 1
            }
            own.add_mention(&actors, id);
            let mut got = b"x".to_vec();
            own.put_mention_tail(id, via, &mut got);
            assert_eq!(String::from_utf8_lossy(&got[1..]), String::from_utf8_lossy(&want), "{i} {via:?} per document");
        }
    }
    assert!(kept > 0 && too_long > 0, "{kept} {too_long}");
    for i in 0..=actors.len() as u32 + 2 {
        let id = ActorId(i);
        let want = primary(&actors, id).unwrap_or(id);
        assert_eq!(shared.cells.stance_actor(&actors, id), want, "{i}");
        assert_eq!(own.stance_actor(&actors, id), want, "{i} per document");
    }
}

/// A table keeps the emptied buffers it takes for reuse, but not one that
/// a large document grew past a block: what it holds between documents
/// does not grow with the largest document.
#[test]
fn spare_buffers_hold_at_most_a_block_each() {
    let mut out = Out::new(Vec::new(), false);
    let mut small = b"a,b\r\n".to_vec();
    out.take(&mut small).expect("memory");
    out.flush().expect("memory");
    assert_eq!(out.spare.len(), 1, "the small buffer is kept");
    let mut large = vec![b'x'; 3 * BLOCK];
    out.take(&mut large).expect("memory");
    out.flush().expect("memory");
    assert_eq!(out.w.len(), 5 + 3 * BLOCK);
    let kept: Vec<usize> = out.spare.iter().map(Vec::capacity).collect();
    assert!(out.spare.iter().all(|b| b.is_empty() && b.capacity() <= BLOCK), "{kept:?}");
}

/// With writers that buffer themselves, a table copies the rows it is
/// given at once, after any row of its own buffer, and leaves the buffer
/// with its owner, emptied; one a large document grew is let go.
#[test]
fn buffered_writers_get_taken_rows_at_once() {
    let mut out = Out::new(Vec::new(), true);
    out.row(&DiagnosticRow { path: Text("in/a"), stage: "ingest", severity: "error", message: Text("bad") })
        .expect("memory");
    let mut rows = Vec::with_capacity(64);
    rows.extend_from_slice(b"a,b\r\n");
    out.take(&mut rows).expect("memory");
    assert_eq!(out.w, b"in/a,ingest,error,bad\r\na,b\r\n");
    assert!(rows.is_empty() && rows.capacity() == 64, "the buffer stays with its owner");
    assert!(out.buf.is_empty() && out.queued.is_empty());
    let mut large = vec![b'x'; 3 * BLOCK];
    out.take(&mut large).expect("memory");
    let before = b"in/a,ingest,error,bad\r\na,b\r\n".len();
    assert_eq!(out.w.len(), before + 3 * BLOCK);
    assert_eq!(large.capacity(), 0, "a buffer grown past a block is let go");
    out.flush().expect("memory");
    assert_eq!(out.w.len(), before + 3 * BLOCK);
}
