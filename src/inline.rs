//! The letter's inline text: runs, emphasis, links, note markers. A leaf
//! that both `letter` (the IR) and `cite` (notes are inlines too) use, so
//! that neither imports the other for it.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    Text { text: String },
    Emph { children: Vec<Inline> },
    Strong { children: Vec<Inline> },
    Code { text: String },
    Link { url: String, children: Vec<Inline> },
    NoteRef { number: u32 },
    LineBreak,
}

impl Inline {
    pub fn text(text: impl Into<String>) -> Self {
        Inline::Text { text: text.into() }
    }
}
