//! PDF through typst, embedded as a library.
//!
//! The layout is `templates/letter.typ`; the letter reaches it only as data,
//! a virtual `/letter.json` file, so no user text is ever part of typst
//! source. Fonts are bundled (typst's own: Libertinus Serif, New Computer
//! Modern, DejaVu Sans Mono; Latin, Greek and Cyrillic), so the output does
//! not depend on the machine. Output is tagged (PDF/UA-1 by default) and
//! deterministic: the document date comes from the letter.

use std::sync::OnceLock;

use serde_json::json;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use super::{safe_url, shows_subject};
use crate::letter::{Block, Inline, Letter};

/// The layout, compiled into the binary.
pub const LAYOUT: &str = include_str!("../../templates/letter.typ");

/// Paper size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Paper {
    #[default]
    A4,
    UsLetter,
}

/// How to make the PDF.
#[derive(Debug, Clone, Default)]
pub struct PdfSettings {
    pub paper: Paper,
    /// PDF/A-2b as well, for archiving.
    pub archival: bool,
    /// The organisation's logo (PNG, JPEG, GIF or SVG bytes).
    pub logo: Option<Vec<u8>>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF layout failed: {0}")]
    Layout(String),
    #[error("the PDF could not be written: {0}")]
    Export(String),
}

/// The parts of a typst world that every letter shares: the standard
/// library and the fonts, loaded once.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        let book = FontBook::from_infos(fonts.iter().map(|f| f.info().clone()));
        Shared {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
        }
    })
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| VirtualPath::new("/invalid").expect("a valid path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One letter's world: the shared parts plus its data.
struct LetterWorld {
    main: Source,
    letters_json: Bytes,
    logo: Option<Bytes>,
}

impl World for LetterWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == file_id("/letters.json") {
            return Ok(self.letters_json.clone());
        }
        if id == file_id("/logo")
            && let Some(logo) = &self.logo
        {
            return Ok(logo.clone());
        }
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_owned()));
        }
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        shared().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // Letters carry their own date; "today" is never needed.
        None
    }
}

/// The highest heading level used, so the PDF's outline starts at level 1.
fn heading_offset(blocks: &[Block]) -> u8 {
    fn min_level(blocks: &[Block]) -> Option<u8> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, .. } => Some(*level),
                Block::List { items, .. } => items.iter().filter_map(|i| min_level(i)).min(),
                Block::Quote { blocks } => min_level(blocks),
                _ => None,
            })
            .min()
    }
    min_level(blocks).map_or(0, |l| l.saturating_sub(1))
}

/// Every link the letter may show as a link (web and mail only).
fn safe_links(letter: &Letter) -> Vec<String> {
    fn walk(inlines: &[Inline], out: &mut Vec<String>) {
        for i in inlines {
            match i {
                Inline::Link { url, children } => {
                    if safe_url(url) {
                        out.push(url.clone());
                    }
                    walk(children, out);
                }
                Inline::Emph { children } | Inline::Strong { children } => walk(children, out),
                _ => {}
            }
        }
    }
    fn blocks(list: &[Block], out: &mut Vec<String>) {
        for b in list {
            match b {
                Block::Heading { inlines, .. } | Block::Paragraph { inlines } => walk(inlines, out),
                Block::List { items, .. } => items.iter().for_each(|i| blocks(i, out)),
                Block::Quote { blocks: inner } => blocks(inner, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    blocks(&letter.blocks, &mut out);
    for n in &letter.notes {
        walk(&n.inlines, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// The PDF of a letter.
pub fn render(letter: &Letter, settings: &PdfSettings) -> Result<Vec<u8>, PdfError> {
    let title = if letter.meta.subject.is_empty() {
        letter.meta.sender.name.clone()
    } else {
        letter.meta.subject.clone()
    };
    render_many(std::slice::from_ref(letter), &title, settings)
}

/// One PDF with several letters, each starting on a new page with its own
/// page numbers (for printing a stack to sign).
pub fn render_many(letters: &[Letter], title: &str, settings: &PdfSettings) -> Result<Vec<u8>, PdfError> {
    let Some(first) = letters.first() else {
        return Err(PdfError::Layout("there are no letters to put in the PDF".into()));
    };
    let lang = first
        .meta
        .language
        .split('-')
        .next()
        .filter(|l| !l.is_empty())
        .unwrap_or("en");
    let entries: Vec<serde_json::Value> = letters
        .iter()
        .map(|letter| {
            json!({
                "letter": letter,
                "show_subject": shows_subject(letter),
                "heading_offset": heading_offset(&letter.blocks),
                "safe_links": safe_links(letter),
            })
        })
        .collect();
    let data = json!({
        "letters": entries,
        "title": if title.is_empty() { "Letter" } else { title },
        "author": first.meta.sender.name,
        "date_iso": first.meta.date_iso,
        "lang": lang,
        "paper": match settings.paper { Paper::A4 => "a4", Paper::UsLetter => "us-letter" },
        "has_logo": settings.logo.is_some(),
    });
    let world = LetterWorld {
        main: Source::new(file_id("/letter.typ"), LAYOUT.to_owned()),
        letters_json: Bytes::new(serde_json::to_vec(&data).unwrap_or_default()),
        logo: settings.logo.clone().map(Bytes::new),
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| PdfError::Layout(describe(&errors)))?;
    let mut standards = vec![PdfStandard::Ua_1];
    if settings.archival {
        standards.push(PdfStandard::A_2a);
    }
    let options = PdfOptions {
        ident: Smart::Custom(format!(
            "hemicycle/{}/{}/{title}",
            first.meta.reference, first.meta.date_iso
        )),
        standards: PdfStandards::new(&standards).map_err(|e| PdfError::Export(format!("{e:?}")))?,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Export(describe(&errors)))
}

fn describe(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| {
            let mut text = e.message.to_string();
            for hint in &e.hints {
                text.push_str(&format!(" (hint: {})", hint.v));
            }
            text
        })
        .collect::<Vec<_>>()
        .join("; ")
}
