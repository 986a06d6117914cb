//! The letter: one intermediate representation that every renderer consumes.
//!
//! Citations are already resolved here: each note holds its formatted text,
//! with emphasis and links kept, so every output shows the same notes with
//! the same numbers.

pub mod build;

use serde::Serialize;

pub use crate::inline::Inline;
pub use build::{BuildError, FormatCitations, build, build_with};

/// A finished letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    pub meta: Meta,
    pub blocks: Vec<Block>,
    /// Footnotes, numbered from 1 in reading order.
    pub notes: Vec<Note>,
}

/// What the letter is, to whom and from whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meta {
    pub subject: String,
    pub recipients_to: Vec<String>,
    pub recipients_cc: Vec<String>,
    pub place: String,
    /// The localised date ("26 April 2023").
    pub date: String,
    /// The date as YYYY-MM-DD.
    pub date_iso: String,
    pub reference: String,
    pub language: String,
    /// The letterhead: empty name for none.
    pub sender: Sender,
    /// Whether the letter shows its "Subject:" line (the e-mail's subject
    /// header is `subject` either way).
    pub show_subject: bool,
    /// The words around the text: "Subject", "Ref.", "To", "Notes"…, in the
    /// letter's language or as the campaign overrides them.
    pub labels: Labels,
    /// Why the letter is not in the language its recipient was to get
    /// (an out-of-date or incomplete translation), for the user; no
    /// renderer prints it.
    #[serde(skip)]
    pub language_note: Option<String>,
    /// The Message-ID (`<…@…>`) of the letter this one follows up: sent as
    /// `In-Reply-To` and `References`, so that it reaches its reader in the
    /// same thread. No renderer prints it.
    #[serde(skip)]
    pub replies_to: Option<String>,
}

/// The labels a renderer prints around the letter's own text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Labels {
    pub to: String,
    pub cc: String,
    pub subject: String,
    pub reference: String,
    pub notes: String,
}

impl Labels {
    /// The labels a letter in `language` uses unless told otherwise.
    pub fn for_language(language: &str) -> Self {
        let l = crate::language::Language::of(language).labels();
        Self {
            to: l.to.to_owned(),
            cc: l.cc.to_owned(),
            subject: l.subject.to_owned(),
            reference: l.reference.to_owned(),
            notes: l.notes.to_owned(),
        }
    }
}

impl Default for Labels {
    fn default() -> Self {
        Self::for_language("en")
    }
}

impl Default for Meta {
    fn default() -> Self {
        Self {
            subject: String::new(),
            recipients_to: Vec::new(),
            recipients_cc: Vec::new(),
            place: String::new(),
            date: String::new(),
            date_iso: String::new(),
            reference: String::new(),
            language: "en".to_owned(),
            sender: Sender::default(),
            show_subject: true,
            labels: Labels::default(),
            language_note: None,
            replies_to: None,
        }
    }
}

/// The organisation that writes, for letterheads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Sender {
    pub name: String,
    pub address: Vec<String>,
    pub website: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Heading {
        level: u8,
        inlines: Vec<Inline>,
    },
    Paragraph {
        inlines: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    /// The signatory's name and role.
    Signature {
        name: String,
        role: String,
        organisation: String,
    },
    /// Co-signers under their headings.
    SignatoryList {
        groups: Vec<SignatoryGroup>,
    },
    Rule,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatoryGroup {
    pub heading: String,
    pub names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub number: u32,
    pub inlines: Vec<Inline>,
}

/// The plain text of inlines (note markers left out).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Emph { children } | Inline::Strong { children } | Inline::Link { children, .. } => {
                push_plain(children, out);
            }
            Inline::LineBreak => out.push('\n'),
            Inline::NoteRef { .. } => {}
        }
    }
}
