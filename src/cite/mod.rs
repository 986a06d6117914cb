//! Citations: bibliographies, CSL styles, the pandoc citation syntax, and the
//! engine (hayagriva) that formats citations into notes.

pub mod engine;
pub mod library;
pub mod locales;
pub mod style;
pub mod syntax;
pub mod zotero;

pub use engine::CiteError;
pub use library::{Library, LibraryError};
pub use style::{CitationStyle, StyleError};
