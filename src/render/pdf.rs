//! PDF through typst, embedded as a library.
//!
//! The layout is `templates/letter.typ`; the letter reaches it only as data,
//! a virtual `/letter.json` file, so no user text is ever part of typst
//! source. Fonts are bundled (typst's own: Libertinus Serif, New Computer
//! Modern, DejaVu Sans Mono; Latin, Greek and Cyrillic), so the output does
//! not depend on the machine. Output is tagged (PDF/UA-1 by default) and
//! deterministic: the document date comes from the letter.
//!
//! Where an export's time goes (the bundled example's 719 letters, release
//! build, `perf record -e cpu-clock --call-graph dwarf`, December 2026):
//! `typst_pdf` and krilla writing the file about 43 % of the processor time,
//! typst's layout about 37 % (evaluating the template 7 % of it), composing
//! the letters 5 %, this module's data 5 %, writing the files 1-7 % (the
//! disk's share depends on the file system). Within `typst_pdf`, krilla's
//! glyph path took 40 %, as it cloned the font's `Arc` several times per
//! glyph; with krilla's patch 4 it takes about 10 % (`vendor/README.md`).
//! Laying out 4 or 8 letters of one language in one compilation and
//! splitting its pages into one PDF per letter (`PagedDocument::new`) made
//! byte-identical files but took 1.5 to 1.6 times the processor time (15-16
//! s against 10 s), with or without tightening each batch again: each
//! letter is laid out alone.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde_json::json;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use super::{safe_url, shows_subject};
use crate::letter::{Block, Inline, Letter, Meta};

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
    #[error(
        "the PDF's fonts cannot show {shown} {where_}: \"{context}\"; remove or replace it, or export this letter as DOCX or HTML, which use the reader's fonts"
    )]
    MissingGlyphs {
        /// "“😀” (U+1F600)", with every such character.
        shown: String,
        /// "in the subject", "in note 3", "in the text".
        where_: &'static str,
        context: String,
    },
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
pub(super) struct LetterWorld {
    main: Source,
    letters_json: Bytes,
    logo: Option<Bytes>,
    /// `/tight.json`: the letters (from 0) laid out tighter, so that their
    /// closing does not stand alone on a last page (`super::pages`).
    pub(super) tight: Bytes,
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
        if id == file_id("/tight.json") {
            return Ok(self.tight.clone());
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

/// Whether one of the bundled fonts (typst falls back across them) has a
/// glyph for `c`.
fn covered(c: char) -> bool {
    c.is_whitespace() || c.is_control() || shared().fonts.iter().any(|f| f.info().coverage.contains(u32::from(c)))
}

/// Every character of the letter that no bundled font can show (an emoji,
/// a CJK character), named with where it first is: typst would otherwise
/// fail the whole PDF/UA document with "the text could not be displayed".
fn check_glyphs(letter: &Letter) -> Result<(), PdfError> {
    let m = &letter.meta;
    let mut parts: Vec<(&'static str, String)> = vec![
        (
            "in the letterhead",
            format!(
                "{} {} {} {}",
                m.sender.name,
                m.sender.address.join(" "),
                m.sender.website,
                m.sender.email
            ),
        ),
        ("in the subject", m.subject.clone()),
        (
            "in the To or Cc block",
            format!("{} {}", m.recipients_to.join(" "), m.recipients_cc.join(" ")),
        ),
        (
            "in the date line or reference",
            format!("{} {} {}", m.place, m.date, m.reference),
        ),
    ];
    let mut body = Vec::new();
    texts_of(&letter.blocks, &mut body);
    parts.extend(body.into_iter().map(|t| ("in the text", t)));
    parts.extend(
        letter
            .notes
            .iter()
            .map(|n| ("in a note", super::text::inlines(&n.inlines))),
    );
    let mut missing: Vec<char> = Vec::new();
    let mut first: Option<(&'static str, String)> = None;
    for (where_, text) in &parts {
        for (i, c) in text.char_indices() {
            if !covered(c) {
                if !missing.contains(&c) {
                    missing.push(c);
                }
                if first.is_none() {
                    let start = text[..i].char_indices().rev().nth(20).map_or(0, |(j, _)| j);
                    let context: String = text[start..].chars().take(42).collect();
                    first = Some((where_, context));
                }
            }
        }
    }
    match first {
        None => Ok(()),
        Some((where_, context)) => Err(PdfError::MissingGlyphs {
            shown: missing
                .iter()
                .take(8)
                .map(|c| format!("“{c}” (U+{:04X})", u32::from(*c)))
                .collect::<Vec<_>>()
                .join(", "),
            where_,
            context: context.trim().to_owned(),
        }),
    }
}

/// Paragraph, heading and list texts, and signatures.
fn texts_of(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Heading { inlines, .. } | Block::Paragraph { inlines } => out.push(super::text::inlines(inlines)),
            Block::List { items, .. } => items.iter().for_each(|i| texts_of(i, out)),
            Block::Quote { blocks } => texts_of(blocks, out),
            Block::Signature {
                name,
                role,
                organisation,
            } => out.push(format!("{name} {role} {organisation}")),
            Block::SignatoryList { groups } => {
                out.extend(groups.iter().map(|g| format!("{} {}", g.heading, g.names.join(" "))));
            }
            Block::Rule => {}
        }
    }
}

/// Text without control characters (pasted ESC or NUL; typst cannot show
/// them, and a vertical tab or form feed is a space between words).
fn printable(text: &str) -> Cow<'_, str> {
    let keep = |c: char| !c.is_control() && c != '\u{FEFF}' && c != '\u{FFFE}' || c == '\n';
    if text.chars().all(keep) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\u{B}' | '\u{C}' | '\t' => Some(' '),
                c if c.is_control() && c != '\n' => None,
                // Invisible, and refused by tagged and archival PDF as the text
                // of a glyph (a byte-order mark pasted from another program).
                '\u{FEFF}' | '\u{FFFE}' => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// The letter's metadata with every text made printable; the blocks and
/// notes are made printable as they are turned into the layout's data.
fn printable_meta(meta: &Meta) -> Meta {
    let mut m = meta.clone();
    m.labels.reference = super::reference_label(&m.labels.reference);
    for field in [
        &mut m.subject,
        &mut m.place,
        &mut m.date,
        &mut m.reference,
        &mut m.sender.name,
        &mut m.sender.website,
        &mut m.sender.email,
    ] {
        *field = printable(field).into_owned();
    }
    for list in [&mut m.recipients_to, &mut m.recipients_cc, &mut m.sender.address] {
        for line in list.iter_mut() {
            *line = printable(line).into_owned();
        }
    }
    m
}

/// The blocks as the layout reads them: like the IR, but a note marker
/// carries its note's text and a link that may not be a link (anything
/// but web and mail) is a plain "span". Every paragraph is then data of its
/// own, the same in every letter that has it. Serialized as it is walked,
/// with the letter's own texts borrowed: building a `serde_json::Value`
/// tree first took about 4 % of a PDF export's processor time.
struct LayoutBlocks<'a> {
    blocks: &'a [Block],
    letter: &'a Letter,
}

impl Serialize for LayoutBlocks<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.blocks.len()))?;
        for block in self.blocks {
            seq.serialize_element(&LayoutBlock {
                block,
                letter: self.letter,
            })?;
        }
        seq.end()
    }
}

struct LayoutBlock<'a> {
    block: &'a Block,
    letter: &'a Letter,
}

impl Serialize for LayoutBlock<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let letter = self.letter;
        let blocks = |blocks| LayoutBlocks { blocks, letter };
        let inlines = |inlines| LayoutInlines {
            inlines,
            letter,
            depth: 0,
        };
        let mut map = serializer.serialize_map(None)?;
        match self.block {
            Block::Heading { level, inlines: i } => {
                map.serialize_entry("type", "heading")?;
                map.serialize_entry("level", level)?;
                map.serialize_entry("inlines", &inlines(i))?;
            }
            Block::Paragraph { inlines: i } => {
                map.serialize_entry("type", "paragraph")?;
                map.serialize_entry("inlines", &inlines(i))?;
            }
            Block::List { ordered, start, items } => {
                map.serialize_entry("type", "list")?;
                map.serialize_entry("ordered", ordered)?;
                map.serialize_entry("start", start)?;
                let items: Vec<LayoutBlocks<'_>> = items.iter().map(|item| blocks(item)).collect();
                map.serialize_entry("items", &items)?;
            }
            Block::Quote { blocks: b } => {
                map.serialize_entry("type", "quote")?;
                map.serialize_entry("blocks", &blocks(b))?;
            }
            Block::Signature {
                name,
                role,
                organisation,
            } => {
                map.serialize_entry("type", "signature")?;
                map.serialize_entry("name", &printable(name))?;
                map.serialize_entry("role", &printable(role))?;
                map.serialize_entry("organisation", &printable(organisation))?;
            }
            Block::SignatoryList { groups } => {
                map.serialize_entry("type", "signatory_list")?;
                let groups: Vec<_> = groups
                    .iter()
                    .map(|g| {
                        json!({
                            "heading": printable(&g.heading),
                            "names": g.names.iter().map(|n| printable(n)).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                map.serialize_entry("groups", &groups)?;
            }
            Block::Rule => map.serialize_entry("type", "rule")?,
        }
        map.end()
    }
}

/// `depth` counts notes within notes: a note's text shows no markers of
/// its own (a note cannot hold a footnote).
struct LayoutInlines<'a> {
    inlines: &'a [Inline],
    letter: &'a Letter,
    depth: u8,
}

impl Serialize for LayoutInlines<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let shown = |i: &&Inline| !matches!(i, Inline::NoteRef { .. }) || self.depth == 0;
        let mut seq = serializer.serialize_seq(Some(self.inlines.iter().filter(shown).count()))?;
        for inline in self.inlines.iter().filter(shown) {
            seq.serialize_element(&LayoutInline {
                inline,
                letter: self.letter,
                depth: self.depth,
            })?;
        }
        seq.end()
    }
}

struct LayoutInline<'a> {
    inline: &'a Inline,
    letter: &'a Letter,
    depth: u8,
}

impl Serialize for LayoutInline<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (letter, depth) = (self.letter, self.depth);
        let children = |inlines| LayoutInlines { inlines, letter, depth };
        let mut map = serializer.serialize_map(None)?;
        match self.inline {
            Inline::Text { text } => {
                map.serialize_entry("type", "text")?;
                map.serialize_entry("text", &printable(text))?;
            }
            Inline::Code { text } => {
                map.serialize_entry("type", "code")?;
                map.serialize_entry("text", &printable(text))?;
            }
            Inline::LineBreak => map.serialize_entry("type", "line_break")?,
            Inline::Emph { children: c } => {
                map.serialize_entry("type", "emph")?;
                map.serialize_entry("children", &children(c))?;
            }
            Inline::Strong { children: c } => {
                map.serialize_entry("type", "strong")?;
                map.serialize_entry("children", &children(c))?;
            }
            Inline::Link { url, children: c } if safe_url(url) => {
                map.serialize_entry("type", "link")?;
                map.serialize_entry("url", url)?;
                map.serialize_entry("children", &children(c))?;
            }
            Inline::Link { children: c, .. } => {
                map.serialize_entry("type", "span")?;
                map.serialize_entry("children", &children(c))?;
            }
            Inline::NoteRef { number } => {
                let note = letter
                    .notes
                    .iter()
                    .find(|n| n.number == *number)
                    .map_or(&[][..], |n| &n.inlines[..]);
                map.serialize_entry("type", "note_ref")?;
                map.serialize_entry("number", number)?;
                map.serialize_entry(
                    "note",
                    &LayoutInlines {
                        inlines: note,
                        letter,
                        depth: depth + 1,
                    },
                )?;
            }
        }
        map.end()
    }
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
    let mut world = world(letters, title, settings)?;
    let document = super::pages::layout(&mut world)?;
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
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Export(describe(&errors)));
    drop(document);
    evict_cache();
    pdf
}

/// One letter in `/letters.json`.
#[derive(Serialize)]
struct Entry<'a> {
    meta: Meta,
    blocks: LayoutBlocks<'a>,
    show_subject: bool,
    heading_offset: u8,
}

/// `/letters.json`: the letters of one PDF and what they share.
#[derive(Serialize)]
struct Data<'a> {
    letters: Vec<Entry<'a>>,
    title: Cow<'a, str>,
    author: Cow<'a, str>,
    date_iso: &'a str,
    lang: &'a str,
    paper: &'static str,
    has_logo: bool,
}

/// The typst world of `letters`: the layout, their data and the fonts, the
/// same for the PDF and the app's page view (`super::pages`).
pub(super) fn world(letters: &[Letter], title: &str, settings: &PdfSettings) -> Result<LetterWorld, PdfError> {
    let Some(first) = letters.first() else {
        return Err(PdfError::Layout("there are no letters to put in the PDF".into()));
    };
    for letter in letters {
        check_glyphs(letter)?;
    }
    let lang = first
        .meta
        .language
        .split('-')
        .next()
        .filter(|l| !l.is_empty())
        .unwrap_or("en");
    let data = Data {
        letters: letters
            .iter()
            .map(|letter| Entry {
                meta: printable_meta(&letter.meta),
                blocks: LayoutBlocks {
                    blocks: &letter.blocks,
                    letter,
                },
                show_subject: shows_subject(letter),
                heading_offset: heading_offset(&letter.blocks),
            })
            .collect(),
        title: if title.is_empty() {
            Cow::Borrowed("Letter")
        } else {
            printable(title)
        },
        author: printable(&first.meta.sender.name),
        date_iso: &first.meta.date_iso,
        lang,
        paper: match settings.paper {
            Paper::A4 => "a4",
            Paper::UsLetter => "us-letter",
        },
        has_logo: settings.logo.is_some(),
    };
    Ok(LetterWorld {
        main: main_source(),
        letters_json: Bytes::new(serde_json::to_vec(&data).unwrap_or_default()),
        logo: settings.logo.clone().map(Bytes::new),
        tight: Bytes::from_string("[]".to_owned()),
    })
}

/// The layout's source, parsed once: every world shares it.
fn main_source() -> Source {
    static MAIN: OnceLock<Source> = OnceLock::new();
    MAIN.get_or_init(|| Source::new(file_id("/letter.typ"), LAYOUT.to_owned()))
        .clone()
}

/// typst memoizes layout in a process-wide cache that only grows unless
/// told otherwise (719 letters held 1.7 GB, and `hemicycle bench` took 12.2 s
/// of processor time and 2.2 GB without eviction). Letters share most
/// paragraphs, so what the last letters used stays and serves the next; the
/// rest goes.
fn evict_cache() {
    comemo::evict(EVICT_AGE);
}

/// How many PDFs (on all export threads together) a memoized result
/// survives unused. It must outlast the letters in other languages between
/// two letters in the same one; `deliver::export` makes the letters of one
/// language one after another, so a few suffice. The bundled example's 719
/// letters (494 English, 116 German, 109 French): interleaved, at 4, 18.9 s
/// of processor time (peak 134 MB); interleaved, at 40, 11.0-12.0 s (peak
/// 256 MB); grouped by language, at 8, 10.3 s (peak 146 MB).
const EVICT_AGE: usize = 8;

pub(super) fn describe(errors: &[SourceDiagnostic]) -> String {
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
