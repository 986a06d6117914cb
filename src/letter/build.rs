//! Markdown (after templating) → [`Letter`]: blocks, inlines and numbered
//! notes, with citations formatted by the citation engine.
//!
//! Citations (`[@key]`) and inline notes (`^[…]`) are found first and replaced
//! by private-use markers that the Markdown parser passes through as text;
//! notes are numbered when their marker is reached in reading order. Each
//! citation in the body is a note of its own; a citation inside a free note
//! is formatted into that note's text.

use std::collections::HashMap;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Block, Inline, Letter, Meta, Note, SignatoryGroup};
use crate::cite::engine::{self, CiteError, CiteUse};
use crate::cite::syntax::{self, CiteGroup, Found};
use crate::cite::{CitationStyle, Library};

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// What the letter's directives stand for (a paragraph that is exactly
/// `[[signature]]` or `[[cosigners]]`), and where note markers go.
#[derive(Debug, Clone, Default)]
pub struct Signing {
    /// One signature per sending organisation.
    pub signers: Vec<Signer>,
    pub cosigners: Vec<SignatoryGroup>,
    pub note_markers: NoteMarkers,
}

/// Who signs for one organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signer {
    pub name: String,
    pub role: String,
    pub organisation: String,
}

/// Where a citation's note marker goes next to punctuation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NoteMarkers {
    /// "… the Act.¹": punctuation right after a citation moves before it.
    #[default]
    AfterPunctuation,
    /// "… the Act¹.": a citation right after punctuation moves before it.
    BeforePunctuation,
    /// Where the text put the citation.
    AsWritten,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Cite(#[from] CiteError),
}

/// Builds the letter from its Markdown, formatting citations with `style`.
pub fn build(
    markdown: &str,
    meta: Meta,
    signing: &Signing,
    style: &CitationStyle,
    library: &Library,
) -> Result<Letter, BuildError> {
    let language = meta.language.clone();
    build_with(markdown, meta, signing, &|uses| {
        engine::format(style, library, &language, uses)
    })
}

/// Formats a letter's citations, in reading order; the result is parallel
/// to the uses.
pub type FormatCitations<'a> = dyn Fn(&[CiteUse]) -> Result<Vec<Vec<Inline>>, CiteError> + 'a;

/// Builds the letter with a given citation formatter (the composer's caches
/// formatted notes across letters that cite the same way).
pub fn build_with(
    markdown: &str,
    meta: Meta,
    signing: &Signing,
    format: &FormatCitations<'_>,
) -> Result<Letter, BuildError> {
    let mut b = Builder::new(signing);
    // No user text carries our private markers, and no control character
    // reaches a letter: Word's line and page breaks (pasted as U+000B and
    // U+000C) become line ends; terminal escapes, NUL and the like go.
    let clean: String = markdown
        .chars()
        .filter_map(|c| match c {
            OPEN | CLOSE => None,
            '\u{b}' | '\u{c}' => Some('\n'),
            '\t' | '\n' | '\r' => Some(c),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    let marked = b.mark(&clean);
    let mut blocks = b.parse(&marked);
    b.fill_footnote_definitions();
    let citation_notes: std::collections::HashSet<u32> = b
        .notes
        .iter()
        .enumerate()
        .filter(|(_, n)| matches!(n, NoteContent::Cite(_)))
        .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX))
        .collect();
    place_citation_markers(&mut blocks, &citation_notes, signing.note_markers);
    let formatted = format(&b.uses)?;
    let notes = b
        .notes
        .into_iter()
        .enumerate()
        .map(|(i, content)| Note {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            inlines: match content {
                NoteContent::Cite(use_index) => formatted[use_index].clone(),
                NoteContent::Text(inlines) => fill_placeholders(inlines, &formatted),
            },
        })
        .collect();
    Ok(Letter { meta, blocks, notes })
}

enum NoteContent {
    /// A citation note: the formatted citation of this use.
    Cite(usize),
    /// A free note; citations inside it are placeholders until formatted.
    Text(Vec<Inline>),
}

/// How deep block containers (a quote, a list, a list item each count one)
/// and inline spans (emphasis, links) may nest in the letter: deeper ones
/// are read as part of the one above, so every renderer's recursion stays
/// shallow whatever the input. Letters nest lists three deep; 12 allows six.
pub const MAX_NESTING: usize = 12;

struct Builder<'s> {
    signing: &'s Signing,
    /// Block containers (quote, list, item) not opened because the nesting
    /// was too deep; their ends are passed over in turn.
    skipped_blocks: usize,
    /// Likewise for inline spans.
    skipped_spans: usize,
    groups: Vec<CiteGroup>,
    inline_notes: Vec<String>,
    notes: Vec<NoteContent>,
    uses: Vec<CiteUse>,
    /// Note numbers being filled (innermost last).
    open_notes: Vec<u32>,
    footnote_numbers: HashMap<String, u32>,
    footnote_defs: HashMap<String, Vec<Block>>,
}

/// A block container being filled.
enum Frame {
    Root(Vec<Block>),
    Quote(Vec<Block>),
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
    FootnoteDef(String, Vec<Block>),
}

impl Frame {
    fn blocks(&mut self) -> &mut Vec<Block> {
        match self {
            Frame::Root(b) | Frame::Quote(b) | Frame::Item(b) | Frame::FootnoteDef(_, b) => b,
            // Blocks directly in a list (not in an item) cannot happen in
            // CommonMark; put them in the last item.
            Frame::List { items, .. } => {
                if items.is_empty() {
                    items.push(Vec::new());
                }
                let last = items.len() - 1;
                &mut items[last]
            }
        }
    }
}

/// An inline container being filled.
enum Span {
    Paragraph(Vec<Inline>),
    Heading(u8, Vec<Inline>),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Link(String, Vec<Inline>),
}

impl Span {
    fn children(&mut self) -> &mut Vec<Inline> {
        match self {
            Span::Paragraph(c) | Span::Heading(_, c) | Span::Emph(c) | Span::Strong(c) | Span::Link(_, c) => c,
        }
    }
}

impl<'s> Builder<'s> {
    fn new(signing: &'s Signing) -> Self {
        Self {
            signing,
            skipped_blocks: 0,
            skipped_spans: 0,
            groups: Vec::new(),
            inline_notes: Vec::new(),
            notes: Vec::new(),
            uses: Vec::new(),
            open_notes: Vec::new(),
            footnote_numbers: HashMap::new(),
            footnote_defs: HashMap::new(),
        }
    }

    fn mark(&mut self, text: &str) -> String {
        self.mark_at(text, 0)
    }

    /// Marks citations and inline notes; notes nested deeper than
    /// [`syntax::MAX_NOTE_DEPTH`] stay text, so no input can exhaust the stack.
    fn mark_at(&mut self, text: &str, depth: usize) -> String {
        if depth >= syntax::MAX_NOTE_DEPTH {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (range, found) in syntax::scan(text) {
            out.push_str(&text[last..range.start]);
            match found {
                Found::Cite(group) => {
                    out.push_str(&format!("{OPEN}c{}{CLOSE}", self.groups.len()));
                    self.groups.push(group);
                }
                Found::InlineNote(inner) => {
                    let marked = self.mark_at(&inner, depth + 1);
                    out.push_str(&format!("{OPEN}n{}{CLOSE}", self.inline_notes.len()));
                    self.inline_notes.push(marked);
                }
            }
            last = range.end;
        }
        out.push_str(&text[last..]);
        out
    }

    fn new_note(&mut self, content: NoteContent) -> u32 {
        self.notes.push(content);
        u32::try_from(self.notes.len()).unwrap_or(u32::MAX)
    }

    fn parse(&mut self, marked: &str) -> Vec<Block> {
        let options = Options::ENABLE_FOOTNOTES;
        let mut frames = vec![Frame::Root(Vec::new())];
        let mut spans: Vec<Span> = Vec::new();
        for event in Parser::new_ext(marked, options) {
            match event {
                Event::Start(tag) => self.start(tag, &mut frames, &mut spans),
                Event::End(tag) => self.end(tag, &mut frames, &mut spans),
                Event::Text(t) => {
                    let inlines = self.text(&t);
                    open_span(&mut spans).children().extend(inlines);
                }
                Event::Code(t) => open_span(&mut spans)
                    .children()
                    .push(Inline::Code { text: t.into_string() }),
                Event::Html(t) | Event::InlineHtml(t) => {
                    // Raw HTML is shown as the text it is, never interpreted.
                    let inlines = self.text(&t);
                    open_span(&mut spans).children().extend(inlines);
                }
                Event::SoftBreak => open_span(&mut spans).children().push(Inline::text(" ")),
                Event::HardBreak => open_span(&mut spans).children().push(Inline::LineBreak),
                Event::Rule => {
                    close_implicit(&mut frames, &mut spans, self.signing);
                    push_block(&mut frames, Block::Rule);
                }
                Event::FootnoteReference(label) => {
                    let number = self.footnote_number(&label);
                    open_span(&mut spans).children().push(Inline::NoteRef { number });
                }
                Event::TaskListMarker(done) => {
                    open_span(&mut spans)
                        .children()
                        .push(Inline::text(if done { "[x] " } else { "[ ] " }));
                }
                Event::InlineMath(t) | Event::DisplayMath(t) => {
                    open_span(&mut spans).children().push(Inline::text(t.into_string()));
                }
            }
        }
        close_implicit(&mut frames, &mut spans, self.signing);
        match frames.pop() {
            Some(Frame::Root(blocks)) => blocks,
            _ => Vec::new(),
        }
    }

    fn footnote_number(&mut self, label: &str) -> u32 {
        if let Some(&n) = self.footnote_numbers.get(label) {
            return n;
        }
        let n = self.new_note(NoteContent::Text(Vec::new()));
        self.footnote_numbers.insert(label.to_owned(), n);
        n
    }

    fn start(&mut self, tag: Tag<'_>, frames: &mut Vec<Frame>, spans: &mut Vec<Span>) {
        let block = matches!(tag, Tag::BlockQuote(_) | Tag::List(_) | Tag::Item);
        if block && (self.skipped_blocks > 0 || frames.len() > MAX_NESTING) {
            close_implicit(frames, spans, self.signing);
            self.skipped_blocks += 1;
            return;
        }
        let span = matches!(tag, Tag::Emphasis | Tag::Strong | Tag::Link { .. });
        if span && (self.skipped_spans > 0 || spans.len() > MAX_NESTING) {
            self.skipped_spans += 1;
            return;
        }
        match tag {
            Tag::Paragraph | Tag::CodeBlock(_) => {
                close_implicit(frames, spans, self.signing);
                spans.push(Span::Paragraph(Vec::new()));
            }
            Tag::Heading { level, .. } => {
                close_implicit(frames, spans, self.signing);
                spans.push(Span::Heading(heading_level(level), Vec::new()));
            }
            Tag::BlockQuote(_) => {
                close_implicit(frames, spans, self.signing);
                frames.push(Frame::Quote(Vec::new()));
            }
            Tag::List(start) => {
                close_implicit(frames, spans, self.signing);
                frames.push(Frame::List {
                    ordered: start.is_some(),
                    start: start.unwrap_or(1),
                    items: Vec::new(),
                });
            }
            Tag::Item => frames.push(Frame::Item(Vec::new())),
            Tag::FootnoteDefinition(label) => {
                close_implicit(frames, spans, self.signing);
                let number = self.footnote_number(&label);
                self.open_notes.push(number);
                frames.push(Frame::FootnoteDef(label.into_string(), Vec::new()));
            }
            Tag::Emphasis => spans.push(Span::Emph(Vec::new())),
            Tag::Strong => spans.push(Span::Strong(Vec::new())),
            Tag::Link { dest_url, .. } => spans.push(Span::Link(dest_url.into_string(), Vec::new())),
            // Images become their description; tables and the rest their text.
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, frames: &mut Vec<Frame>, spans: &mut Vec<Span>) {
        let block = matches!(tag, TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item);
        if block && self.skipped_blocks > 0 {
            close_implicit(frames, spans, self.signing);
            self.skipped_blocks -= 1;
            return;
        }
        let span = matches!(tag, TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link);
        if span && self.skipped_spans > 0 {
            self.skipped_spans -= 1;
            return;
        }
        match tag {
            TagEnd::Paragraph | TagEnd::CodeBlock => {
                if let Some(Span::Paragraph(inlines)) = spans.pop() {
                    push_blocks(frames, paragraph_or_directive(inlines, self.signing));
                }
            }
            TagEnd::Heading(_) => {
                // A heading with no words ("# " alone on a line) is no
                // heading: left out (a tagged PDF refuses an empty one).
                if let Some(Span::Heading(level, inlines)) = spans.pop() {
                    let inlines = trim(inlines);
                    if !super::plain_text(&inlines).trim().is_empty() {
                        push_block(frames, Block::Heading { level, inlines });
                    }
                }
            }
            TagEnd::BlockQuote(_) => {
                close_implicit(frames, spans, self.signing);
                if let Some(Frame::Quote(blocks)) = frames.pop() {
                    push_block(frames, Block::Quote { blocks });
                }
            }
            TagEnd::List(_) => {
                if let Some(Frame::List { ordered, start, items }) = frames.pop() {
                    push_block(frames, Block::List { ordered, start, items });
                }
            }
            TagEnd::Item => {
                close_implicit(frames, spans, self.signing);
                if let Some(Frame::Item(blocks)) = frames.pop()
                    && let Some(Frame::List { items, .. }) = frames.last_mut()
                {
                    items.push(blocks);
                }
            }
            TagEnd::FootnoteDefinition => {
                close_implicit(frames, spans, self.signing);
                self.open_notes.pop();
                if let Some(Frame::FootnoteDef(label, blocks)) = frames.pop() {
                    self.footnote_defs.insert(label, blocks);
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link => {
                let inline = match spans.pop() {
                    Some(Span::Emph(children)) => Inline::Emph { children },
                    Some(Span::Strong(children)) => Inline::Strong { children },
                    Some(Span::Link(url, children)) => Inline::Link { url, children },
                    _ => return,
                };
                open_span(spans).children().push(inline);
            }
            _ => {}
        }
    }

    /// Text with markers: citations become note references (or, inside a
    /// note, placeholders); inline notes become notes.
    fn text(&mut self, text: &str) -> Vec<Inline> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find(OPEN) {
            if start > 0 {
                out.push(Inline::text(&rest[..start]));
            }
            let after = &rest[start + OPEN.len_utf8()..];
            let Some(end) = after.find(CLOSE) else {
                rest = after;
                continue;
            };
            let marker = &after[..end];
            rest = &after[end + CLOSE.len_utf8()..];
            let index: usize = marker[1..].parse().unwrap_or(usize::MAX);
            match marker.as_bytes().first() {
                Some(b'c') if index < self.groups.len() => out.push(self.citation(index)),
                Some(b'n') if index < self.inline_notes.len() => out.push(self.inline_note(index)),
                _ => {}
            }
        }
        if !rest.is_empty() {
            out.push(Inline::text(rest));
        }
        out
    }

    fn citation(&mut self, group: usize) -> Inline {
        let use_index = self.uses.len();
        if let Some(&note) = self.open_notes.last() {
            self.uses.push(CiteUse {
                group: self.groups[group].clone(),
                note,
                in_note: true,
            });
            return Inline::text(format!("{OPEN}u{use_index}{CLOSE}"));
        }
        let note = self.new_note(NoteContent::Cite(use_index));
        self.uses.push(CiteUse {
            group: self.groups[group].clone(),
            note,
            in_note: false,
        });
        Inline::NoteRef { number: note }
    }

    fn inline_note(&mut self, index: usize) -> Inline {
        let number = self.new_note(NoteContent::Text(Vec::new()));
        self.open_notes.push(number);
        let markdown = self.inline_notes[index].clone();
        let blocks = self.parse(&markdown);
        self.open_notes.pop();
        self.notes[number as usize - 1] = NoteContent::Text(flatten(blocks));
        Inline::NoteRef { number }
    }

    fn fill_footnote_definitions(&mut self) {
        for (label, number) in &self.footnote_numbers {
            let inlines = match self.footnote_defs.remove(label) {
                Some(blocks) => flatten(blocks),
                None => vec![Inline::text(format!("[^{label}]"))],
            };
            self.notes[*number as usize - 1] = NoteContent::Text(inlines);
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The innermost open inline container; text outside any (a tight list
/// item) opens an implicit paragraph.
fn open_span(spans: &mut Vec<Span>) -> &mut Span {
    if spans.is_empty() {
        spans.push(Span::Paragraph(Vec::new()));
    }
    let last = spans.len() - 1;
    &mut spans[last]
}

/// Closes an implicit paragraph (text of a tight list item) before a block.
fn close_implicit(frames: &mut [Frame], spans: &mut Vec<Span>, signing: &Signing) {
    if spans.len() == 1
        && matches!(spans.last(), Some(Span::Paragraph(_)))
        && let Some(Span::Paragraph(inlines)) = spans.pop()
        && !inlines.is_empty()
    {
        push_blocks(frames, paragraph_or_directive(inlines, signing));
    }
}

fn push_block(frames: &mut [Frame], block: Block) {
    if let Some(frame) = frames.last_mut() {
        frame.blocks().push(block);
    }
}

fn push_blocks(frames: &mut [Frame], blocks: Vec<Block>) {
    for block in blocks {
        push_block(frames, block);
    }
}

fn paragraph_or_directive(inlines: Vec<Inline>, signing: &Signing) -> Vec<Block> {
    let inlines = trim(inlines);
    match super::plain_text(&inlines).trim() {
        "[[signature]]" => signing
            .signers
            .iter()
            .map(|s| Block::Signature {
                name: s.name.clone(),
                role: s.role.clone(),
                organisation: s.organisation.clone(),
            })
            .collect(),
        "[[cosigners]]" if signing.cosigners.is_empty() => Vec::new(),
        "[[cosigners]]" => vec![Block::SignatoryList {
            groups: signing.cosigners.clone(),
        }],
        _ => vec![Block::Paragraph { inlines }],
    }
}

/// Merges neighbouring text and trims the ends.
fn trim(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        if let (Some(Inline::Text { text: prev }), Inline::Text { text }) = (out.last_mut(), &inline) {
            prev.push_str(text);
            continue;
        }
        out.push(inline);
    }
    if let Some(Inline::Text { text }) = out.first_mut() {
        *text = text.trim_start().to_owned();
    }
    if let Some(Inline::Text { text }) = out.last_mut() {
        *text = text.trim_end().to_owned();
    }
    out.retain(|i| !matches!(i, Inline::Text { text } if text.is_empty()));
    out
}

/// A citation's note marker follows the word without a space and moves after
/// a following punctuation mark, as in print: "them [@a]." → "them.¹".
fn place_citation_markers(
    blocks: &mut [Block],
    citation_notes: &std::collections::HashSet<u32>,
    placement: NoteMarkers,
) {
    for block in blocks {
        match block {
            Block::Paragraph { inlines } | Block::Heading { inlines, .. } => {
                *inlines = place_in_inlines(std::mem::take(inlines), citation_notes, placement);
            }
            Block::List { items, .. } => {
                for item in items {
                    place_citation_markers(item, citation_notes, placement);
                }
            }
            Block::Quote { blocks } => place_citation_markers(blocks, citation_notes, placement),
            _ => {}
        }
    }
}

/// Punctuation that a note marker may stand after or before.
fn is_note_punctuation(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?')
}

fn place_in_inlines(
    inlines: Vec<Inline>,
    citation_notes: &std::collections::HashSet<u32>,
    placement: NoteMarkers,
) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    let mut pending_marks: Vec<Inline> = Vec::new();
    for inline in inlines {
        let inline = match inline {
            Inline::Emph { children } => Inline::Emph {
                children: place_in_inlines(children, citation_notes, placement),
            },
            Inline::Strong { children } => Inline::Strong {
                children: place_in_inlines(children, citation_notes, placement),
            },
            other => other,
        };
        match inline {
            Inline::NoteRef { number } if citation_notes.contains(&number) => {
                let mut moved = String::new();
                if let Some(Inline::Text { text }) = out.last_mut() {
                    let trimmed = text.trim_end().len();
                    text.truncate(trimmed);
                    // "the Act. [@a]" before punctuation: "the Act¹."
                    if placement == NoteMarkers::BeforePunctuation {
                        let kept = text.trim_end_matches(is_note_punctuation).len();
                        text[kept..].clone_into(&mut moved);
                        text.truncate(kept);
                    }
                }
                if moved.is_empty() {
                    pending_marks.push(Inline::NoteRef { number });
                } else {
                    out.push(Inline::NoteRef { number });
                    out.push(Inline::text(moved));
                }
            }
            Inline::Text { text } if !pending_marks.is_empty() && placement != NoteMarkers::AfterPunctuation => {
                out.append(&mut pending_marks);
                out.push(Inline::Text { text });
            }
            Inline::Text { text } if !pending_marks.is_empty() => {
                // Punctuation right after the citation goes before its marker.
                let punct: String = text
                    .chars()
                    .take_while(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?'))
                    .collect();
                if !punct.is_empty() {
                    out.push(Inline::text(punct.clone()));
                }
                out.append(&mut pending_marks);
                let rest = &text[punct.len()..];
                if !rest.is_empty() {
                    out.push(Inline::text(rest));
                }
            }
            other => {
                out.append(&mut pending_marks);
                out.push(other);
            }
        }
    }
    out.append(&mut pending_marks);
    trim(out)
}

/// A note's blocks as one run of inlines (paragraphs separated by breaks).
fn flatten(blocks: Vec<Block>) -> Vec<Inline> {
    let mut out = Vec::new();
    for block in blocks {
        let inlines = match block {
            Block::Paragraph { inlines } | Block::Heading { inlines, .. } => inlines,
            Block::List { items, .. } => items.into_iter().flat_map(flatten).collect(),
            Block::Quote { blocks } => flatten(blocks),
            _ => Vec::new(),
        };
        if inlines.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Inline::LineBreak);
        }
        out.extend(inlines);
    }
    out
}

/// Replaces citation placeholders inside free notes with formatted text.
fn fill_placeholders(inlines: Vec<Inline>, formatted: &[Vec<Inline>]) -> Vec<Inline> {
    let mut out = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match inline {
            Inline::Text { text } => {
                let mut rest = text.as_str();
                while let Some(start) = rest.find(OPEN) {
                    out.push(Inline::text(&rest[..start]));
                    let after = &rest[start + OPEN.len_utf8()..];
                    let end = after.find(CLOSE).unwrap_or(after.len());
                    let index: usize = after[..end].trim_start_matches('u').parse().unwrap_or(usize::MAX);
                    if let Some(f) = formatted.get(index) {
                        // Inside a sentence, the citation's own full stop goes.
                        let mut f = f.clone();
                        if let Some(Inline::Text { text }) = f.last_mut()
                            && text.ends_with('.')
                        {
                            text.pop();
                        }
                        out.extend(f);
                    }
                    rest = after.get(end + CLOSE.len_utf8()..).unwrap_or_default();
                }
                out.push(Inline::text(rest));
            }
            Inline::Emph { children } => out.push(Inline::Emph {
                children: fill_placeholders(children, formatted),
            }),
            Inline::Strong { children } => out.push(Inline::Strong {
                children: fill_placeholders(children, formatted),
            }),
            Inline::Link { url, children } => out.push(Inline::Link {
                url,
                children: fill_placeholders(children, formatted),
            }),
            other => out.push(other),
        }
    }
    trim(out)
}
