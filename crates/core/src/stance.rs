//! Stances: directed dyads between two mentions, with a PLOVER-style
//! category, quad class, polarity, score and modality; and the author's
//! stance toward each actor.

use crate::{ActorId, Span};

/// PLOVER-style event and stance categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Agree,
    Consult,
    Support,
    Concede,
    Cooperate,
    Aid,
    Retreat,
    Request,
    Accuse,
    Reject,
    Threaten,
    Protest,
    Sanction,
    Mobilize,
    Coerce,
    Assault,
}

impl Category {
    pub const ALL: [Category; 16] = [
        Category::Agree,
        Category::Consult,
        Category::Support,
        Category::Concede,
        Category::Cooperate,
        Category::Aid,
        Category::Retreat,
        Category::Request,
        Category::Accuse,
        Category::Reject,
        Category::Threaten,
        Category::Protest,
        Category::Sanction,
        Category::Mobilize,
        Category::Coerce,
        Category::Assault,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Agree => "AGREE",
            Category::Consult => "CONSULT",
            Category::Support => "SUPPORT",
            Category::Concede => "CONCEDE",
            Category::Cooperate => "COOPERATE",
            Category::Aid => "AID",
            Category::Retreat => "RETREAT",
            Category::Request => "REQUEST",
            Category::Accuse => "ACCUSE",
            Category::Reject => "REJECT",
            Category::Threaten => "THREATEN",
            Category::Protest => "PROTEST",
            Category::Sanction => "SANCTION",
            Category::Mobilize => "MOBILIZE",
            Category::Coerce => "COERCE",
            Category::Assault => "ASSAULT",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The quad class: verbal or material, cooperation or conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QuadClass {
    VerbalCooperation,
    MaterialCooperation,
    VerbalConflict,
    MaterialConflict,
}

impl QuadClass {
    pub fn as_str(self) -> &'static str {
        match self {
            QuadClass::VerbalCooperation => "verbal_cooperation",
            QuadClass::MaterialCooperation => "material_cooperation",
            QuadClass::VerbalConflict => "verbal_conflict",
            QuadClass::MaterialConflict => "material_conflict",
        }
    }

    pub fn parse(s: &str) -> Option<QuadClass> {
        Some(match s {
            "verbal_cooperation" => QuadClass::VerbalCooperation,
            "material_cooperation" => QuadClass::MaterialCooperation,
            "verbal_conflict" => QuadClass::VerbalConflict,
            "material_conflict" => QuadClass::MaterialConflict,
            _ => return None,
        })
    }

    pub fn is_cooperation(self) -> bool {
        matches!(self, QuadClass::VerbalCooperation | QuadClass::MaterialCooperation)
    }

    /// The same kind (verbal or material) with the other sign.
    pub fn flipped(self) -> QuadClass {
        match self {
            QuadClass::VerbalCooperation => QuadClass::VerbalConflict,
            QuadClass::MaterialCooperation => QuadClass::MaterialConflict,
            QuadClass::VerbalConflict => QuadClass::VerbalCooperation,
            QuadClass::MaterialConflict => QuadClass::MaterialCooperation,
        }
    }
}

/// How the text commits to a stance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Modality {
    /// Stated as fact by the author.
    Asserted,
    /// Attributed to someone else ("reportedly", "according to", "said").
    Reported,
    /// Hedged ("alleged", "may", "could", "potentially").
    Hedged,
    /// Imagined or conditional ("if ...", "risks ...", "would").
    Hypothetical,
    /// Denied ("not", "never", "refused to"); the polarity says what is left.
    Negated,
}

impl Modality {
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Reported => "reported",
            Modality::Hedged => "hedged",
            Modality::Hypothetical => "hypothetical",
            Modality::Negated => "negated",
        }
    }

    pub fn parse(s: &str) -> Option<Modality> {
        Some(match s {
            "asserted" => Modality::Asserted,
            "reported" => Modality::Reported,
            "hedged" => Modality::Hedged,
            "hypothetical" => Modality::Hypothetical,
            "negated" => Modality::Negated,
            _ => return None,
        })
    }
}

/// One directed dyad: `source` acts on or stands toward `target`.
#[derive(Debug, Clone, PartialEq)]
pub struct Stance {
    /// Index of the evidence sentence.
    pub sentence: u32,
    /// Index of the source mention in [`crate::Tagged::mentions`].
    pub source: u32,
    /// Index of the target mention.
    pub target: u32,
    /// The words of the cue in the text.
    pub cue_span: Span,
    /// The lexicon entry that matched ("support", "ties", "refrain from hinder").
    pub cue: String,
    pub category: Category,
    pub quad_class: QuadClass,
    /// -1 conflict, 0 neutral (a cancelled cue), 1 cooperation.
    pub polarity: i8,
    /// -10..=10, after negation and modality.
    pub score: f32,
    pub modality: Modality,
    /// 0..=1: how sure the tagger is of the attachment.
    pub confidence: f32,
    /// A mutual relation ("ties between X and Y", "the X-Y conflict"):
    /// source and target are the order of mention, and aggregates count it
    /// in both directions.
    pub symmetric: bool,
}

/// The author's own stance toward one actor in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorStance {
    /// A primary actor.
    pub actor: ActorId,
    pub mentions: u32,
    /// -1 negative, 0 neutral, 1 positive.
    pub label: i8,
    /// -1..=1.
    pub score: f32,
}
