//! XLIFF 1.2 (OASIS), as computer-aided translation tools read it: one
//! `<file>` per campaign or demand-set file, one `<trans-unit>` per text.
//! A citation or Handlebars expression is an `<x/>`, a note's brackets are
//! `<bx/>` and `<ex/>`, each with its original in `equiv-text`; on import
//! the codes are rebuilt from the campaign's own text by their `id`, so a
//! changed `equiv-text` changes nothing, and a lost or doubled code is
//! refused.

use std::collections::BTreeMap;

use quick_xml::Reader;
use quick_xml::escape::{escape, partial_escape};
use quick_xml::events::{BytesStart, Event};

use super::{Place, Texts, TranslateError, Unit};
use crate::compose::codes::{self, Code};
use crate::language::Language;

const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:1.2";

/// The XLIFF file of `texts` for translation into `language`.
pub fn export(texts: &Texts, language: Language) -> Result<String, TranslateError> {
    let source = texts.campaign.letter_language();
    if source == language {
        return Err(TranslateError::SameLanguage(source.english_name().to_owned()));
    }
    let units = texts.units(language);
    let mut places: Vec<Place> = units.iter().map(|u| u.place).collect();
    places.dedup();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<xliff xmlns=\"{NAMESPACE}\" version=\"1.2\">\n"));
    for place in places {
        out.push_str(&format!(
            "  <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"plaintext\">\n",
            escape(texts.original(place)),
            source.code(),
            language.code()
        ));
        out.push_str("    <header>\n");
        out.push_str(&format!(
            "      <tool tool-id=\"hemicycle\" tool-name=\"Hemicycle\" tool-version=\"{}\"/>\n",
            env!("CARGO_PKG_VERSION")
        ));
        out.push_str(&format!(
            "      <note>Translate each text for letters to Members of the European Parliament in {}. Keep every inline code (citations, notes, {{{{…}}}} expressions): they are put back as they were.</note>\n",
            language.english_name()
        ));
        out.push_str(&format!(
            "      <prop-group name=\"hemicycle\">\n        <prop prop-type=\"campaign\">{}</prop>\n      </prop-group>\n",
            partial_escape(texts.identity())
        ));
        out.push_str("    </header>\n    <body>\n");
        for unit in units.iter().filter(|u| u.place == place) {
            write_unit(&mut out, unit);
        }
        out.push_str("    </body>\n  </file>\n");
    }
    out.push_str("</xliff>\n");
    Ok(out)
}

fn write_unit(out: &mut String, unit: &Unit) {
    out.push_str(&format!(
        "      <trans-unit id=\"{}\" resname=\"{0}\" xml:space=\"preserve\">\n        <source>{}</source>\n",
        escape(&unit.id),
        marked(&unit.source)
    ));
    if let Some(target) = &unit.target {
        // A translation whose codes no longer match goes to the translator
        // as text, to be redone.
        let body = marked_like(target, &unit.source).unwrap_or_else(|| partial_escape(target).into_owned());
        out.push_str(&format!("        <target state=\"translated\">{body}</target>\n"));
    }
    out.push_str(&format!(
        "        <note>{}</note>\n      </trans-unit>\n",
        partial_escape(&unit.note)
    ));
}

/// The text with its codes as inline elements, numbered in order.
fn marked(text: &str) -> String {
    let spans = codes::spans(text);
    let ids: Vec<usize> = (1..=spans.len()).collect();
    inline(text, &spans, &ids)
}

/// A translation with its codes numbered as the source's: each code gets
/// the id of the first unused code of the source written the same way.
/// `None` when a code has no such twin (a translated locator, a lost
/// citation): the translation then goes out as text, to be redone.
fn marked_like(text: &str, source: &str) -> Option<String> {
    let source_codes: Vec<Code> = codes::spans(source).into_iter().map(|(_, c)| c).collect();
    let mut used = vec![false; source_codes.len()];
    let spans = codes::spans(text);
    let mut ids = Vec::with_capacity(spans.len());
    for (_, c) in &spans {
        let i = (0..source_codes.len()).find(|&i| !used[i] && source_codes[i] == *c)?;
        used[i] = true;
        ids.push(i + 1);
    }
    used.iter().all(|u| *u).then(|| inline(text, &spans, &ids))
}

fn inline(text: &str, spans: &[(std::ops::Range<usize>, Code)], ids: &[usize]) -> String {
    let mut out = String::new();
    let mut at = 0;
    // A note's end points back at its start.
    let mut open_notes: Vec<usize> = Vec::new();
    for ((range, code), id) in spans.iter().zip(ids) {
        out.push_str(&partial_escape(&text[at..range.start]));
        let equiv = escape(code.text());
        match code {
            Code::Cite(_) => out.push_str(&format!(
                "<x id=\"{id}\" ctype=\"x-hemicycle-citation\" equiv-text=\"{equiv}\"/>"
            )),
            Code::Expression(_) => out.push_str(&format!(
                "<x id=\"{id}\" ctype=\"x-hemicycle-expression\" equiv-text=\"{equiv}\"/>"
            )),
            Code::NoteStart => {
                open_notes.push(*id);
                out.push_str(&format!(
                    "<bx id=\"{id}\" rid=\"{id}\" ctype=\"x-hemicycle-note\" equiv-text=\"{equiv}\"/>"
                ));
            }
            Code::NoteEnd => {
                let rid = open_notes.pop().unwrap_or(*id);
                out.push_str(&format!("<ex id=\"{id}\" rid=\"{rid}\" equiv-text=\"{equiv}\"/>"));
            }
        }
        at = range.end;
    }
    out.push_str(&partial_escape(&text[at..]));
    out
}

/// One unit as read from a file: its text with the codes' ids in place.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Code(usize),
}

/// A translation to put in place: where, the unit's id, the text.
type Change = (Place, String, String);

/// A unit as read: its id, its source and its target (if it has one).
type ReadUnit = (String, Vec<Piece>, Option<Vec<Piece>>);

#[derive(Debug, Default)]
struct ReadFile {
    original: String,
    target_language: String,
    campaign: String,
    units: Vec<ReadUnit>,
}

/// What an import put in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub language: Language,
    /// Units whose translation was written.
    pub translated: usize,
    /// Units left untranslated in the file.
    pub untranslated: usize,
    /// The files written.
    pub files: Vec<String>,
}

/// Reads a translated XLIFF file into `texts` and writes the changed files.
/// Nothing is written unless every unit passed.
pub fn import(texts: &mut Texts, xml: &str) -> Result<Imported, TranslateError> {
    let files = read(xml)?;
    let mut language = None;
    let mut changes: Vec<Change> = Vec::new();
    let mut untranslated = 0;
    for file in &files {
        let (lang, place) = file_place(texts, file, language)?;
        language = Some(lang);
        let (found, left) = file_changes(texts, file, lang, place)?;
        changes.extend(found);
        untranslated += left;
    }
    let Some(language) = language else {
        return Err(TranslateError::Refused(
            "the XLIFF file has no <file> with texts".into(),
        ));
    };
    let mut written: Vec<Place> = Vec::new();
    for (place, id, text) in &changes {
        if !texts.set(*place, id, language, text) {
            return Err(TranslateError::Refused(format!(
                "the unit \"{id}\" cannot be put in place"
            )));
        }
        if !written.contains(place) {
            written.push(*place);
        }
    }
    texts.save(&written)?;
    Ok(Imported {
        language,
        translated: changes.len(),
        untranslated,
        files: written.iter().map(|p| texts.original(*p)).collect(),
    })
}

/// The target language of one `<file>` and the campaign's file it stands
/// for; refused when it is another campaign's, another language or file.
fn file_place(texts: &Texts, file: &ReadFile, language: Option<Language>) -> Result<(Language, Place), TranslateError> {
    let refuse = |m: String| Err(TranslateError::Refused(m));
    let identity = texts.identity();
    if file.campaign != identity {
        return refuse(format!(
            "this XLIFF file is for the campaign \"{}\", not for \"{identity}\"",
            file.campaign
        ));
    }
    let Some(lang) = Language::parse(&file.target_language) else {
        return refuse(format!(
            "the file \"{}\" has the target language \"{}\", which is not one of the 24 official EU languages ({})",
            file.original,
            file.target_language,
            Language::codes()
        ));
    };
    if language.is_some_and(|l| l != lang) {
        return refuse("the XLIFF file mixes target languages; import one language at a time".into());
    }
    if lang == texts.campaign.letter_language() {
        return Err(TranslateError::SameLanguage(lang.english_name().to_owned()));
    }
    let place = (0..texts.sets.len())
        .map(Place::Set)
        .chain([Place::Campaign])
        .find(|p| texts.original(*p) == file.original);
    match place {
        Some(place) => Ok((lang, place)),
        None => refuse(format!(
            "the XLIFF file has texts of \"{}\", which is not this campaign's file or one of its demand sets",
            file.original
        )),
    }
}

/// The translations one `<file>` brings, checked unit by unit, and the
/// number of units it leaves untranslated.
fn file_changes(
    texts: &Texts,
    file: &ReadFile,
    lang: Language,
    place: Place,
) -> Result<(Vec<Change>, usize), TranslateError> {
    let refuse = |m: String| Err(TranslateError::Refused(m));
    let ours: BTreeMap<String, Unit> = texts
        .units(lang)
        .into_iter()
        .filter(|u| u.place == place)
        .map(|u| (u.id.clone(), u))
        .collect();
    let mut changes = Vec::new();
    let mut untranslated = 0;
    for (id, source, target) in &file.units {
        let Some(unit) = ours.get(id) else {
            return refuse(format!(
                "the unit \"{id}\" in \"{}\" is not a text of this campaign",
                file.original
            ));
        };
        let original_codes: Vec<Code> = codes::spans(&unit.source).into_iter().map(|(_, c)| c).collect();
        if rebuild(source, &original_codes, id)? != unit.source {
            return refuse(format!(
                "the original of unit \"{id}\" in \"{}\" changed since this file was exported; export the file again and carry the translation over",
                file.original
            ));
        }
        let Some(target) = target else {
            untranslated += 1;
            continue;
        };
        let text = rebuild(target, &original_codes, id)?;
        check_codes(target, &original_codes, id)?;
        // Codes put back side by side may read as other Markdown
        // (`[@a][@b]` is a link): the text must still cite as before.
        let broken = codes::compare(&unit.source, &text);
        if !broken.is_empty() {
            return refuse(format!(
                "in unit \"{id}\", {}; put words or a space between inline codes",
                broken.join(", ")
            ));
        }
        if text.trim().is_empty() {
            untranslated += 1;
            continue;
        }
        changes.push((place, id.clone(), text));
    }
    Ok((changes, untranslated))
}

/// Each code of the original exactly once.
fn check_codes(pieces: &[Piece], original: &[Code], id: &str) -> Result<(), TranslateError> {
    for (i, code) in original.iter().enumerate() {
        let n = pieces.iter().filter(|p| **p == Piece::Code(i + 1)).count();
        if n != 1 {
            let what = if n == 0 { "is missing" } else { "appears more than once" };
            return Err(TranslateError::Refused(format!(
                "in unit \"{id}\", the inline code {} ({}) {what} in the translation; keep each code once",
                i + 1,
                code.text()
            )));
        }
    }
    Ok(())
}

/// The text of pieces with each code's original put back.
fn rebuild(pieces: &[Piece], original: &[Code], id: &str) -> Result<String, TranslateError> {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Code(n) => match n.checked_sub(1).and_then(|i| original.get(i)) {
                Some(code) => out.push_str(code.text()),
                None => {
                    return Err(TranslateError::Refused(format!(
                        "in unit \"{id}\", the inline code {n} is not one of the original's"
                    )));
                }
            },
        }
    }
    Ok(out)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(std::borrow::Cow::into_owned)
        })
}

/// Where the reader is inside a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum In {
    Nothing,
    Source,
    Target,
}

/// Parses the file's `<file>`s and units.
fn read(xml: &str) -> Result<Vec<ReadFile>, TranslateError> {
    let mut reader = Reader::from_str(xml);
    let bad = |e: &dyn std::fmt::Display, reader: &Reader<&[u8]>| {
        let (line, column) = crate::util::line_col(xml, usize::try_from(reader.buffer_position()).unwrap_or(0));
        TranslateError::Xml(format!("line {line}, column {column}: {e}"))
    };
    let mut files: Vec<ReadFile> = Vec::new();
    let mut unit: Option<ReadUnit> = None;
    let mut within = In::Nothing;
    let mut in_prop = false;
    let mut saw_xliff = false;
    loop {
        let event = reader.read_event().map_err(|e| bad(&e, &reader))?;
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if matches!(within, In::Source | In::Target) => {
                let name = e.local_name().as_ref().to_owned();
                let pieces = current(&mut unit, within);
                match name.as_str() {
                    "x" | "bx" | "ex" => {
                        let id = attr(&e, "id").and_then(|i| i.parse::<usize>().ok()).unwrap_or(0);
                        pieces.push(Piece::Code(id));
                    }
                    other => {
                        return Err(TranslateError::Refused(format!(
                            "unit \"{}\" has an inline element <{other}> that Hemicycle does not write; keep the codes as <x/>, <bx/>, <ex/>",
                            unit.as_ref().map(|u| u.0.as_str()).unwrap_or_default()
                        )));
                    }
                }
            }
            Event::Start(e) => {
                start(&e, &mut files, &mut unit, &mut within, &mut in_prop, &mut saw_xliff);
            }
            Event::Empty(e) => {
                if let Some(u) = unit
                    .as_mut()
                    .filter(|_| e.local_name().as_ref() == "target" && within == In::Nothing)
                {
                    u.2 = Some(Vec::new());
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "source" | "target" => within = In::Nothing,
                "prop" => in_prop = false,
                "trans-unit" => {
                    if let (Some(u), Some(f)) = (unit.take(), files.last_mut()) {
                        f.units.push(u);
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                let text = t.xml10_content().into_owned();
                push_text(&text, &mut files, &mut unit, within, in_prop);
            }
            Event::CData(t) => {
                let text = t.into_inner().into_owned();
                push_text(&text, &mut files, &mut unit, within, in_prop);
            }
            Event::GeneralRef(r) => {
                let text = if let Some(c) = r.resolve_char_ref().map_err(|e| bad(&e, &reader))? {
                    c.to_string()
                } else {
                    let name = r.xml10_content();
                    quick_xml::escape::unescape(&format!("&{name};"))
                        .map_err(|e| bad(&e, &reader))?
                        .into_owned()
                };
                push_text(&text, &mut files, &mut unit, within, in_prop);
            }
            _ => {}
        }
    }
    if !saw_xliff {
        return Err(TranslateError::Xml(
            "this is not an XLIFF file (no <xliff> element)".into(),
        ));
    }
    Ok(files)
}

fn current(unit: &mut Option<ReadUnit>, within: In) -> &mut Vec<Piece> {
    let u = unit.get_or_insert_with(|| (String::new(), Vec::new(), None));
    if within == In::Target {
        u.2.get_or_insert_with(Vec::new)
    } else {
        &mut u.1
    }
}

fn start(
    e: &BytesStart<'_>,
    files: &mut Vec<ReadFile>,
    unit: &mut Option<ReadUnit>,
    within: &mut In,
    in_prop: &mut bool,
    saw_xliff: &mut bool,
) {
    match e.local_name().as_ref() {
        "xliff" => *saw_xliff = true,
        "file" => files.push(ReadFile {
            original: attr(e, "original").unwrap_or_default(),
            target_language: attr(e, "target-language").unwrap_or_default(),
            ..ReadFile::default()
        }),
        "prop" => *in_prop = attr(e, "prop-type").as_deref() == Some("campaign"),
        "trans-unit" => *unit = Some((attr(e, "id").unwrap_or_default(), Vec::new(), None)),
        "source" if unit.is_some() => *within = In::Source,
        "target" if unit.is_some() => {
            *within = In::Target;
            if let Some(u) = unit.as_mut() {
                u.2 = Some(Vec::new());
            }
        }
        _ => {}
    }
}

fn push_text(text: &str, files: &mut [ReadFile], unit: &mut Option<ReadUnit>, within: In, in_prop: bool) {
    if in_prop {
        if let Some(f) = files.last_mut() {
            f.campaign.push_str(text);
        }
        return;
    }
    if !matches!(within, In::Source | In::Target) {
        return;
    }
    let pieces = current(unit, within);
    if let Some(Piece::Text(last)) = pieces.last_mut() {
        last.push_str(text);
    } else {
        pieces.push(Piece::Text(text.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_numbers_its_codes_as_the_source_does() {
        let source = "A [@a] then {{mep.name}} and [@b].";
        assert_eq!(
            marked_like("Erst [@b], dann [@a] für {{mep.name}}.", source).unwrap(),
            "Erst <x id=\"3\" ctype=\"x-hemicycle-citation\" equiv-text=\"[@b]\"/>, dann <x id=\"1\" ctype=\"x-hemicycle-citation\" equiv-text=\"[@a]\"/> für <x id=\"2\" ctype=\"x-hemicycle-expression\" equiv-text=\"{{mep.name}}\"/>."
        );
        // A code written otherwise, or one lost: the text goes out as text.
        assert!(marked_like("[@a, S. 4] {{mep.name}} [@b]", "[@a, p. 4] {{mep.name}} [@b]").is_none());
        assert!(marked_like("[@a] {{mep.name}}", source).is_none());
    }

    #[test]
    fn broken_or_foreign_xml_is_told_with_its_line() {
        let err = read("<xliff>\n<file><body><trans-unit id=\"a\"><source>x</sourc></trans-unit>")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
        assert!(read("<root/>").unwrap_err().to_string().contains("not an XLIFF file"));
    }
}
