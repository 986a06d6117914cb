//! Citation styles: the bundled ones and CSL files a user adds.

use std::path::Path;

use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::{IndependentStyle, Style, StyleClass};

/// A bundled style: its name, a description for pickers, and its CSL file
/// (`assets/styles/`; each file credits its authors and licence in its
/// `<info>`).
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    pub name: &'static str,
    pub description: &'static str,
    pub xml: &'static str,
}

/// The styles offered by name. The CSL files are the Zotero style
/// repository's (CC BY-SA 3.0), except Hemicycle's own two (also CC BY-SA
/// 3.0, harvard-notes after Cite Them Right); the same files
/// are given to citeproc-js in `tests/citeproc.rs`.
pub const BUNDLED: &[Bundled] = &[
    Bundled {
        name: "hemicycle-notes",
        description: "Footnotes with full references and Ibid. (Hemicycle)",
        xml: include_str!("../../assets/styles/hemicycle-notes.csl"),
    },
    Bundled {
        name: "harvard-notes",
        description: "Harvard (UK) in footnotes, with Ibid.: Author (Year). Title. Available at: URL [Accessed …]",
        xml: include_str!("../../assets/styles/harvard-notes.csl"),
    },
    Bundled {
        name: "chicago-notes",
        description: "Chicago Manual of Style 17th edition, notes and bibliography",
        xml: include_str!("../../assets/styles/chicago-notes.csl"),
    },
    Bundled {
        name: "oscola",
        description: "OSCOLA 4th edition, footnotes (legal)",
        xml: include_str!("../../assets/styles/oscola.csl"),
    },
    Bundled {
        name: "harvard-cite-them-right",
        description: "Harvard, Cite Them Right (author-date)",
        xml: include_str!("../../assets/styles/harvard-cite-them-right.csl"),
    },
    Bundled {
        name: "apa",
        description: "APA 7th edition (author-date)",
        xml: include_str!("../../assets/styles/apa.csl"),
    },
    Bundled {
        name: "ieee",
        description: "IEEE (numbered)",
        xml: include_str!("../../assets/styles/ieee.csl"),
    },
    Bundled {
        name: "modern-language-association",
        description: "MLA 9th edition",
        xml: include_str!("../../assets/styles/modern-language-association.csl"),
    },
];

/// The bundled styles once parsed (parallel to [`BUNDLED`]).
static PARSED: [std::sync::OnceLock<Result<CitationStyle, String>>; BUNDLED.len()] =
    [const { std::sync::OnceLock::new() }; BUNDLED.len()];

/// A problem with a citation style.
#[derive(Debug, thiserror::Error)]
pub enum StyleError {
    #[error(
        "there is no citation style called \"{name}\"; use one of {} or the path of a .csl file",
        BUNDLED.iter().map(|b| b.name).collect::<Vec<_>>().join(", ")
    )]
    Unknown { name: String },
    #[error("could not read the citation style ({source}): {origin}")]
    Read {
        origin: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the citation style is not valid CSL ({message}): {origin}")]
    Invalid { message: String, origin: String },
    #[error("the citation style only points to another style; use the style it names instead: {origin}")]
    Dependent { origin: String },
}

/// A loaded style.
#[derive(Debug, Clone)]
pub struct CitationStyle {
    pub name: String,
    pub csl: IndependentStyle,
    /// The same style without its bibliography, made once: a note style's
    /// notes never need the bibliography, and asking hayagriva for it
    /// rendered every source once more per letter.
    pub(super) citations_only: std::sync::Arc<IndependentStyle>,
}

impl CitationStyle {
    fn new(name: &str, csl: IndependentStyle) -> Self {
        let mut citations_only = csl.clone();
        citations_only.bibliography = None;
        Self {
            name: name.to_owned(),
            csl,
            citations_only: std::sync::Arc::new(citations_only),
        }
    }

    /// A bundled style by name, or a `.csl` file (relative to `base_dir`).
    pub fn load(spec: &str, base_dir: &Path) -> Result<Self, StyleError> {
        if crate::util::has_extension(spec, "csl") {
            let path = base_dir.join(spec);
            let origin = path.display().to_string();
            let limit = crate::store::limits::STYLE;
            let xml = crate::store::read_bounded_text(&path, limit, "the citation style").map_err(|source| {
                StyleError::Read {
                    origin: origin.clone(),
                    source,
                }
            })?;
            return Self::from_xml(&xml, spec, &origin);
        }
        Self::bundled(spec)
    }

    /// A bundled style, or one of the styles hayagriva carries. A bundled
    /// style is parsed once per process and cloned after that.
    pub fn bundled(name: &str) -> Result<Self, StyleError> {
        if let Some(i) = BUNDLED.iter().position(|b| b.name == name) {
            return PARSED[i]
                .get_or_init(|| {
                    Self::from_xml(BUNDLED[i].xml, name, &format!("the bundled style {name}"))
                        .map_err(|e| e.to_string())
                })
                .clone()
                .map_err(|message| StyleError::Invalid {
                    message,
                    origin: format!("the bundled style {name}"),
                });
        }
        let Some(archived) = ArchivedStyle::by_name(name) else {
            return Err(StyleError::Unknown { name: name.to_owned() });
        };
        match archived.get() {
            Style::Independent(csl) => Ok(Self::new(name, csl)),
            Style::Dependent(_) => Err(StyleError::Dependent {
                origin: format!("the bundled style {name}"),
            }),
        }
    }

    fn from_xml(xml: &str, name: &str, origin: &str) -> Result<Self, StyleError> {
        // The formatter expands macros recursively: one that calls itself
        // would never end (the stack overflows).
        if let Some(message) = macro_loop(xml) {
            return Err(StyleError::Invalid {
                message,
                origin: origin.to_owned(),
            });
        }
        if let Some(message) = xml_syntax_error(xml) {
            return Err(StyleError::Invalid {
                message,
                origin: origin.to_owned(),
            });
        }
        match Style::from_xml(xml) {
            Ok(Style::Independent(csl)) => Ok(Self::new(name, csl)),
            Ok(Style::Dependent(_)) => Err(StyleError::Dependent {
                origin: origin.to_owned(),
            }),
            Err(e) => {
                let path = e.path.as_ref().map(ToString::to_string).unwrap_or_default();
                Err(StyleError::Invalid {
                    message: format!("at line {}: {}", line_of_path(xml, &path), e.source),
                    origin: origin.to_owned(),
                })
            }
        }
    }

    /// True for footnote styles; author-date and numbered styles are not.
    pub fn is_note(&self) -> bool {
        self.csl.settings.class == StyleClass::Note
    }
}

/// Where the XML itself is broken (an unclosed tag, a stray `&`), in words
/// with the line.
fn xml_syntax_error(xml: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return None,
            Ok(_) => {}
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(0);
                let (line, _) = crate::util::line_col(xml, at.min(xml.len()));
                return Some(format!("at line {line}, the XML is broken: {e}"));
            }
        }
    }
}

/// The line of the element or attribute a deserialisation error names by
/// its path ("citation.layout.choose.if[0].@position"): each step is looked
/// for after the one before, so the line is that of the first element on
/// the path's way, or of the style element when the path says nothing.
fn line_of_path(xml: &str, path: &str) -> usize {
    let mut at = xml.find("<style").unwrap_or(0);
    for step in path.split('.') {
        let name = step.split('[').next().unwrap_or_default();
        if name.is_empty() || name.starts_with('$') || name == "?" {
            continue;
        }
        let found = match name.strip_prefix('@') {
            Some(attribute) => find_word(xml, at, &format!(" {attribute}=")),
            None => find_word(xml, at, &format!("<{name}")),
        };
        if let Some(i) = found {
            at = i;
        }
    }
    crate::util::line_col(xml, at).0
}

/// The first `needle` at or after `from` that ends a word (`<if` is not
/// `<info`).
fn find_word(xml: &str, from: usize, needle: &str) -> Option<usize> {
    let mut start = from;
    while let Some(i) = xml.get(start..)?.find(needle) {
        let at = start + i;
        let next = xml[at + needle.len()..].chars().next();
        if needle.ends_with('=') || !next.is_some_and(|c| c.is_alphanumeric() || c == '-') {
            return Some(at);
        }
        start = at + needle.len();
    }
    None
}

/// A `<macro>` that calls itself, directly or through others, in words.
fn macro_loop(xml: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut calls: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    let mut inside: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == key)
                        .map(|a| a.value.to_string())
                };
                if e.local_name().as_ref() == "macro" {
                    inside = attr("name");
                } else if let (Some(m), Some(called)) = (&inside, attr("macro")) {
                    calls.entry(m.clone()).or_default().push(called);
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "macro" => inside = None,
            // Malformed XML is for the CSL parser to explain.
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    calls.keys().find_map(|m| macro_visit(m, &calls, &mut Vec::new()))
}

/// The first loop of calls from macro `m`: depth-first, with the path so far.
fn macro_visit(
    m: &str,
    calls: &std::collections::BTreeMap<String, Vec<String>>,
    path: &mut Vec<String>,
) -> Option<String> {
    if let Some(start) = path.iter().position(|p| p == m) {
        let mut cycle = path[start..].to_vec();
        cycle.push(m.to_owned());
        return Some(format!(
            "the macro \"{m}\" calls itself ({}), so it would never end; remove the call",
            cycle.join(" → ")
        ));
    }
    if path.len() > 64 {
        return Some("macros call one another more than 64 deep".to_owned());
    }
    path.push(m.to_owned());
    for called in calls.get(m).into_iter().flatten() {
        if let Some(found) = macro_visit(called, calls, path) {
            return Some(found);
        }
    }
    path.pop();
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_macro_that_calls_itself_is_refused_not_a_crash() {
        let style = |macros: &str| {
            format!(
                r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>Loop</title><id>loop</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  {macros}
  <citation><layout><text macro="a"/></layout></citation>
</style>"#
            )
        };
        let direct = style(r#"<macro name="a"><text macro="a"/></macro>"#);
        let err = CitationStyle::from_xml(&direct, "loop", "loop.csl")
            .unwrap_err()
            .to_string();
        assert!(err.contains("the macro \"a\" calls itself (a → a)"), "{err}");
        let through = style(
            r#"<macro name="a"><group><text macro="b"/></group></macro><macro name="b"><text macro="a"/></macro>"#,
        );
        let err = CitationStyle::from_xml(&through, "loop", "loop.csl")
            .unwrap_err()
            .to_string();
        assert!(err.contains("a → b → a"), "{err}");
        // Macros that call others without a loop are fine.
        let fine =
            style(r#"<macro name="a"><text macro="b"/></macro><macro name="b"><text variable="title"/></macro>"#);
        CitationStyle::from_xml(&fine, "fine", "fine.csl").unwrap();
    }

    #[test]
    fn every_bundled_style_loads() {
        for b in BUNDLED {
            let style = CitationStyle::bundled(b.name).unwrap_or_else(|e| panic!("{}: {e}", b.name));
            assert_eq!(style.name, b.name);
        }
        assert!(CitationStyle::bundled("hemicycle-notes").unwrap().is_note());
        assert!(!CitationStyle::bundled("apa").unwrap().is_note());
    }

    #[test]
    fn bad_styles_are_explained() {
        let err = CitationStyle::bundled("chicago-note").unwrap_err().to_string();
        assert!(err.contains("no citation style called \"chicago-note\""), "{err}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.csl"), "<style>").unwrap();
        let err = CitationStyle::load("bad.csl", dir.path()).unwrap_err().to_string();
        assert!(err.starts_with("the citation style is not valid CSL"), "{err}");
    }

    /// A user's style file that is broken XML, or XML that is not CSL, is
    /// refused with the line of the problem and the reason.
    #[test]
    fn bad_styles_name_the_line() {
        let style = |layout: &str| {
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<style xmlns=\"http://purl.org/net/xbiblio/csl\" class=\"note\" version=\"1.0\">\n  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>\n  <citation>\n    <layout>\n{layout}\n    </layout>\n  </citation>\n</style>\n"
            )
        };
        let unclosed = style("      <group>\n        <text variable=\"title\"/>\n      </grup>");
        let err = CitationStyle::from_xml(&unclosed, "u", "u.csl")
            .unwrap_err()
            .to_string();
        assert!(err.contains("at line 8, the XML is broken"), "{err}");
        let wrong = style(
            "      <text variable=\"title\"/>\n      <choose>\n        <if position=\"sometimes\">\n          <text variable=\"URL\"/>\n        </if>\n      </choose>",
        );
        let err = CitationStyle::from_xml(&wrong, "w", "w.csl").unwrap_err().to_string();
        assert!(err.contains("at line 8: ") && err.contains("sometimes"), "{err}");
        assert!(err.ends_with(": w.csl"), "{err}");
    }
}
