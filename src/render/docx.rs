//! Word documents through docx-rs: real Word footnotes (with the footnote
//! reference and text styles, superscript markers and separators), headings,
//! lists, links, the letterhead and the signature; deterministic ids.

use std::io::{Cursor, Read, Write};

use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, Footnote, Hyperlink, HyperlinkType, IndentLevel, Level, LevelJc,
    LevelOverride, LevelText, LineSpacing, NumberFormat, Numbering, NumberingId, Paragraph, Run, RunFonts,
    SpecialIndentType, Start, Style, StyleType, VertAlignType,
};

use super::{dateline, safe_url, shows_subject};
use crate::letter::{Block, Inline, Letter};

const ACCENT: &str = "1D4E89";
const MUTED: &str = "55554F";
// docx-rs always writes abstract numbering 1 (decimal) and numbering 1 of
// its own: ours must not reuse those ids, or Word and LibreOffice read every
// bulleted list as numbered.
const BULLETS: usize = 10;
const DECIMAL: usize = 11;
/// The levels Word's lists have, and the indent of each (twips).
const LIST_LEVELS: usize = 9;
const LIST_STEP: i32 = 540;

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("the Word document could not be written: {0}")]
    Write(String),
}

struct Writer<'l> {
    letter: &'l Letter,
    docx: Docx,
    next_numbering: usize,
    /// How many lists the blocks being written are inside.
    list_depth: usize,
}

/// The .docx bytes of a letter.
pub fn render(letter: &Letter) -> Result<Vec<u8>, DocxError> {
    let mut w = Writer {
        letter,
        docx: base_document(letter),
        next_numbering: 10,
        list_depth: 0,
    };
    w.head();
    w.blocks(&letter.blocks, 0);
    let mut bytes = Cursor::new(Vec::new());
    w.docx
        .build()
        .pack(&mut bytes)
        .map_err(|e| DocxError::Write(e.to_string()))?;
    add_separators(&bytes.into_inner())
}

fn base_document(letter: &Letter) -> Docx {
    let date = format!("{}T09:00:00Z", letter.meta.date_iso);
    let footnote_reference = {
        let mut s = Style::new("FootnoteReference", StyleType::Character).name("footnote reference");
        s.run_property = s.run_property.vert_align(VertAlignType::SuperScript);
        s
    };
    Docx::new()
        .default_fonts(
            RunFonts::new()
                .ascii("Georgia")
                .hi_ansi("Georgia")
                .east_asia("Georgia")
                .cs("Georgia"),
        )
        .default_size(22)
        .default_line_spacing(LineSpacing::new().after(140).line(264))
        .created_at(&date)
        .updated_at(&date)
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("heading 2")
                .bold()
                .size(23)
                .color(ACCENT),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .bold()
                .size(28)
                .color(ACCENT),
        )
        .add_style(
            Style::new("FootnoteText", StyleType::Paragraph)
                .name("footnote text")
                .size(18),
        )
        .add_style(footnote_reference)
        .add_abstract_numbering(list_levels(BULLETS, false))
        .add_abstract_numbering(list_levels(DECIMAL, true))
}

/// Word's list levels 0–8: a nested list is at the level of its depth,
/// indented one step further ("•"; "1.").
fn list_levels(id: usize, ordered: bool) -> AbstractNumbering {
    let mut numbering = AbstractNumbering::new(id);
    for level in 0..LIST_LEVELS {
        // Numbers stay figures at every level, as the other formats show them.
        let (format, text, hanging) = if ordered {
            ("decimal", format!("%{}.", level + 1), 360)
        } else {
            ("bullet", "•".to_owned(), 270)
        };
        numbering = numbering.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new(format),
                LevelText::new(text),
                LevelJc::new("left"),
            )
            .indent(
                Some(LIST_STEP * (i32::try_from(level).unwrap_or(0) + 1)),
                Some(SpecialIndentType::Hanging(hanging)),
                None,
                None,
            ),
        );
    }
    numbering
}

fn text_run(text: &str) -> Run {
    Run::new().add_text(text)
}

impl Writer<'_> {
    fn push(&mut self, p: Paragraph) {
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }

    fn head(&mut self) {
        let m = &self.letter.meta;
        let l = &m.labels;
        if !m.sender.name.is_empty() {
            self.push(Paragraph::new().add_run(Run::new().add_text(&m.sender.name).bold().size(30).color(ACCENT)));
            let mut lines: Vec<String> = m.sender.address.clone();
            let contact: Vec<&str> = [m.sender.website.as_str(), m.sender.email.as_str()]
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect();
            if !contact.is_empty() {
                lines.push(contact.join("  ·  "));
            }
            let mut p = Paragraph::new();
            for (i, line) in lines.iter().enumerate() {
                let mut run = Run::new().add_text(line).size(18).color(MUTED);
                if i + 1 < lines.len() {
                    run = run.add_break(BreakType::TextWrapping);
                }
                p = p.add_run(run);
            }
            self.push(p);
            self.push(Paragraph::new());
        }
        let line = dateline(m);
        let mut date = Paragraph::new().align(AlignmentType::Right);
        if !line.is_empty() {
            date = date.add_run(text_run(&line));
        }
        if !m.reference.is_empty() {
            let mut run = Run::new();
            if !line.is_empty() {
                run = run.add_break(BreakType::TextWrapping);
            }
            date = date.add_run(
                run.add_text(format!("{} {}", super::reference_label(&l.reference), m.reference))
                    .size(18)
                    .color(MUTED),
            );
        }
        if !line.is_empty() || !m.reference.is_empty() {
            self.push(date);
        }
        for (label, list) in [(&l.to, &m.recipients_to), (&l.cc, &m.recipients_cc)] {
            if !list.is_empty() {
                let mut p = Paragraph::new().add_run(Run::new().add_text(format!("{label}: ")).color(MUTED));
                // One addressee a line.
                for (i, name) in list.iter().enumerate() {
                    let mut run = text_run(name);
                    if i + 1 < list.len() {
                        run = run.add_break(BreakType::TextWrapping);
                    }
                    p = p.add_run(run);
                }
                self.push(p);
            }
        }
        if shows_subject(self.letter) {
            self.push(Paragraph::new());
            self.push(Paragraph::new().add_run(Run::new().add_text(format!("{}: {}", l.subject, m.subject)).bold()));
        }
        self.push(Paragraph::new());
    }

    fn blocks(&mut self, blocks: &[Block], indent: i32) {
        for (i, block) in blocks.iter().enumerate() {
            // The closing formula stays on the page of the signature.
            let before_signature = matches!(blocks.get(i + 1), Some(Block::Signature { .. }));
            match block {
                Block::Heading { level, inlines } => {
                    let style = if *level <= 1 { "Heading1" } else { "Heading2" };
                    let p = self.inlines(Paragraph::new().style(style).keep_next(true), inlines, false);
                    self.push(p);
                }
                Block::Paragraph { inlines } => {
                    let mut p = Paragraph::new().keep_next(before_signature);
                    if indent > 0 {
                        p = p.indent(Some(indent), None, None, None);
                    }
                    let p = self.inlines(p, inlines, false);
                    self.push(p);
                }
                Block::List { ordered, start, items } => self.list(*ordered, *start, items, indent),
                Block::Quote { blocks } => self.blocks(blocks, indent + 720),
                Block::Signature {
                    name,
                    role,
                    organisation,
                } => {
                    self.push(Paragraph::new().keep_next(true));
                    self.push(Paragraph::new().keep_next(true));
                    let mut p = Paragraph::new();
                    if !name.is_empty() {
                        p = p.add_run(Run::new().add_text(name).bold().add_break(BreakType::TextWrapping));
                    }
                    // A role or organisation of several lines: a run each.
                    for line in role.lines() {
                        p = p.add_run(Run::new().add_text(line).add_break(BreakType::TextWrapping));
                    }
                    let mut lines = organisation.lines().peekable();
                    while let Some(line) = lines.next() {
                        let run = text_run(line);
                        p = p.add_run(if lines.peek().is_some() {
                            run.add_break(BreakType::TextWrapping)
                        } else {
                            run
                        });
                    }
                    self.push(p);
                }
                Block::SignatoryList { groups } => {
                    for g in groups {
                        if !g.heading.is_empty() {
                            self.push(
                                Paragraph::new()
                                    .keep_next(true)
                                    .add_run(Run::new().add_text(&g.heading).bold().color(ACCENT)),
                            );
                        }
                        for n in &g.names {
                            self.push(Paragraph::new().add_run(text_run(n)));
                        }
                    }
                }
                Block::Rule => self.push(Paragraph::new().align(AlignmentType::Center).add_run(text_run("* * *"))),
            }
        }
    }

    fn list(&mut self, ordered: bool, start: u64, items: &[Vec<Block>], indent: i32) {
        let id = self.next_numbering;
        self.next_numbering += 1;
        let abstract_id = if ordered { DECIMAL } else { BULLETS };
        let level = self.list_depth.min(LIST_LEVELS - 1);
        let numbering = Numbering::new(id, abstract_id)
            .add_override(LevelOverride::new(level).start(usize::try_from(start).unwrap_or(1)));
        self.docx = std::mem::take(&mut self.docx).add_numbering(numbering);
        // Lists inside lists are indented by their level; anything else
        // around them (a quote) by hand.
        let by_levels = LIST_STEP * i32::try_from(level).unwrap_or(0);
        self.list_depth += 1;
        for item in items {
            let mut first = true;
            for block in item {
                match block {
                    Block::Paragraph { inlines } if first => {
                        let mut p = Paragraph::new().numbering(NumberingId::new(id), IndentLevel::new(level));
                        if indent != by_levels {
                            p = p.indent(
                                Some(indent + LIST_STEP),
                                Some(SpecialIndentType::Hanging(360)),
                                None,
                                None,
                            );
                        }
                        let p = self.inlines(p, inlines, false);
                        self.push(p);
                    }
                    other => self.blocks(std::slice::from_ref(other), indent + LIST_STEP),
                }
                first = false;
            }
        }
        self.list_depth -= 1;
    }

    /// Adds runs for inlines; `note` marks text inside a footnote (no nested
    /// footnotes there).
    fn inlines(&self, mut p: Paragraph, inlines: &[Inline], note: bool) -> Paragraph {
        for run in self.runs(inlines, false, false, note) {
            p = match run {
                Piece::Run(r) => p.add_run(*r),
                Piece::Link(h) => p.add_hyperlink(h),
            };
        }
        p
    }

    fn runs(&self, inlines: &[Inline], bold: bool, italic: bool, note: bool) -> Vec<Piece> {
        let mut out = Vec::new();
        let style = |mut r: Run| {
            if bold {
                r = r.bold();
            }
            if italic {
                r = r.italic();
            }
            r
        };
        for i in inlines {
            match i {
                Inline::Text { text } | Inline::Code { text } => out.push(Piece::Run(Box::new(style(text_run(text))))),
                Inline::Emph { children } => out.extend(self.runs(children, bold, true, note)),
                Inline::Strong { children } => out.extend(self.runs(children, true, italic, note)),
                Inline::Link { url, children } => {
                    let text = crate::letter::plain_text(children);
                    // docx-rs records link targets for the body only, so a
                    // link inside a footnote would point nowhere: there the
                    // address is shown as text.
                    if safe_url(url) && !note {
                        out.push(Piece::Link(
                            Hyperlink::new(url, HyperlinkType::External)
                                .add_run(style(text_run(&text)).color(ACCENT).underline("single")),
                        ));
                    } else {
                        out.push(Piece::Run(Box::new(style(text_run(&text)))));
                    }
                }
                Inline::NoteRef { number } if !note => {
                    let content = self
                        .letter
                        .notes
                        .iter()
                        .find(|n| n.number == *number)
                        .map(|n| n.inlines.clone())
                        .unwrap_or_default();
                    let p = self.inlines(Paragraph::new().style("FootnoteText"), &content, true);
                    let footnote = Footnote {
                        id: *number as usize,
                        content: vec![p],
                    };
                    out.push(Piece::Run(Box::new(Run::new().add_footnote_reference(footnote))));
                }
                Inline::NoteRef { .. } => {}
                Inline::LineBreak => out.push(Piece::Run(Box::new(Run::new().add_break(BreakType::TextWrapping)))),
            }
        }
        out
    }
}

enum Piece {
    Run(Box<Run>),
    Link(Hyperlink),
}

/// docx-rs numbers paragraphs with a per-thread counter, so the same letter
/// would get other ids on another thread: number them from 1 in each part.
fn renumber_paragraph_ids(xml: &str) -> String {
    const ATTR: &str = "w14:paraId=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    let mut n = 0u32;
    while let Some(i) = rest.find(ATTR) {
        let start = i + ATTR.len();
        out.push_str(&rest[..start]);
        let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
        n += 1;
        out.push_str(&format!("{n:08X}"));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

const SEPARATORS: &str = r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"#;

/// docx-rs writes no separator footnotes; Word expects them (the line above
/// the notes, and the one when notes run on to the next page). Adds them,
/// makes ids that docx-rs draws from process-wide counters stable, and
/// re-packs the archive with fixed timestamps.
fn add_separators(docx: &[u8]) -> Result<Vec<u8>, DocxError> {
    let err = |e: &dyn std::fmt::Display| DocxError::Write(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).map_err(|e| err(&e))?;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|e| err(&e))?;
        let name = file.name().map_err(|e| err(&e))?.into_owned();
        let mut data = Vec::new();
        file.read_to_end(&mut data).map_err(|e| err(&e))?;
        parts.push((name, data));
    }
    let links = hyperlink_ids(&parts);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, mut data) in parts {
        let ext = std::path::Path::new(&name).extension();
        if ext.is_some_and(|e| e.eq_ignore_ascii_case("xml") || e.eq_ignore_ascii_case("rels")) {
            // Only attribute values: docx-rs escapes `"` in text, so a letter
            // that mentions "rIdHyperlink42" keeps it as written.
            let clean = xml_chars(&String::from_utf8_lossy(&data));
            let mut text = renumber(&clean, "\"rIdHyperlink", |old| {
                links.iter().position(|l| l == old).map(|i| (i + 1).to_string())
            });
            if name == "word/document.xml" || name == "word/footnotes.xml" {
                text = renumber_paragraph_ids(&text);
            }
            if name == "word/footnotes.xml" {
                text = insert_after_open_tag(&text, "<w:footnotes", SEPARATORS);
            } else if name == "word/settings.xml" {
                text = insert_footnote_properties(&text);
            }
            data = text.into_bytes();
        }
        out.start_file(name.as_str(), options).map_err(|e| err(&e))?;
        out.write_all(&data).map_err(|e| err(&e))?;
    }
    Ok(out.finish().map_err(|e| err(&e))?.into_inner())
}

/// The text without the characters XML 1.0 cannot hold (control
/// characters pasted from elsewhere: NUL, ESC, Word's manual line break
/// U+000B); a vertical tab or form feed becomes a space, so words stay apart.
fn xml_chars(xml: &str) -> String {
    xml.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(c),
            '\u{B}' | '\u{C}' => Some(' '),
            c if c.is_control() => None,
            '\u{FFFE}' | '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect()
}

/// Hyperlink relationship ids in the order they appear in the body, then
/// the notes.
fn hyperlink_ids(parts: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut ids = Vec::new();
    for wanted in ["word/document.xml", "word/footnotes.xml"] {
        if let Some((_, data)) = parts.iter().find(|(n, _)| n == wanted) {
            let text = String::from_utf8_lossy(data);
            let _ = renumber(&text, "\"rIdHyperlink", |old| {
                if !ids.iter().any(|i| i == old) {
                    ids.push(old.to_owned());
                }
                None
            });
        }
    }
    ids
}

/// Replaces the digits after every `prefix` by what `map` returns for them
/// (or leaves them).
fn renumber(text: &str, prefix: &str, mut map: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let start = i + prefix.len();
        out.push_str(&rest[..start]);
        let digits = rest[start..].bytes().take_while(u8::is_ascii_digit).count();
        let old = &rest[start..start + digits];
        out.push_str(&map(old).unwrap_or_else(|| old.to_owned()));
        rest = &rest[start + digits..];
    }
    out.push_str(rest);
    out
}

fn insert_after_open_tag(xml: &str, tag: &str, insert: &str) -> String {
    match xml.find(tag).and_then(|s| xml[s..].find('>').map(|e| s + e + 1)) {
        Some(at) => format!("{}{insert}{}", &xml[..at], &xml[at..]),
        None => xml.to_owned(),
    }
}

/// `<w:footnotePr>` naming the separators, placed where the schema wants it
/// in `settings.xml` (before the elements that must follow it).
fn insert_footnote_properties(xml: &str) -> String {
    const PROPS: &str = "<w:footnotePr><w:footnote w:id=\"-1\"/><w:footnote w:id=\"0\"/></w:footnotePr>";
    if xml.contains("<w:footnotePr") {
        return xml.to_owned();
    }
    let later = [
        "<w:endnotePr",
        "<w:compat",
        "<w:docVars",
        "<w:rsids",
        "<m:mathPr",
        "<w:attachedSchema",
        "<w:themeFontLang",
        "<w:clrSchemeMapping",
        "<w:doNotIncludeSubdocsInStats",
        "<w:doNotAutoCompressPictures",
        "<w:forceUpgrade",
        "<w:captions",
        "<w:readModeInkLockDown",
        "<w:smartTagType",
        "<sl:schemaLibrary",
        "<w:shapeDefaults",
        "<w:doNotEmbedSmartTags",
        "<w:decimalSymbol",
        "<w:listSeparator",
        "</w:settings>",
    ];
    match later.iter().filter_map(|t| xml.find(t)).min() {
        Some(at) => format!("{}{PROPS}{}", &xml[..at], &xml[at..]),
        None => xml.to_owned(),
    }
}
