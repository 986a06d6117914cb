//! Citation styles: the bundled ones and CSL files a user adds.

use std::path::Path;

use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::{IndependentStyle, Style, StyleClass};

/// Hemicycle's own note style: full references in footnotes, "Ibid." when a
/// note cites the same source as the one before.
pub const HEMICYCLE_NOTES: &str = include_str!("../../assets/styles/hemicycle-notes.csl");

/// The styles offered by name, with a description for pickers.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "hemicycle-notes",
        "Footnotes with full references and Ibid. (Hemicycle)",
    ),
    ("chicago-notes", "Chicago Manual of Style, notes and bibliography"),
    ("harvard-cite-them-right", "Harvard, Cite Them Right (author-date)"),
    ("apa", "APA 7th edition (author-date)"),
    ("ieee", "IEEE (numbered)"),
    ("modern-language-association", "MLA 9th edition"),
];

/// A problem with a citation style.
#[derive(Debug, thiserror::Error)]
pub enum StyleError {
    #[error(
        "there is no citation style called \"{name}\"; use one of {} or the path of a .csl file",
        BUNDLED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
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
}

impl CitationStyle {
    /// A bundled style by name, or a `.csl` file (relative to `base_dir`).
    pub fn load(spec: &str, base_dir: &Path) -> Result<Self, StyleError> {
        if crate::util::has_extension(spec, "csl") {
            let path = base_dir.join(spec);
            let origin = path.display().to_string();
            let xml = std::fs::read_to_string(&path).map_err(|source| StyleError::Read {
                origin: origin.clone(),
                source,
            })?;
            return Self::from_xml(&xml, spec, &origin);
        }
        Self::bundled(spec)
    }

    /// A bundled style.
    pub fn bundled(name: &str) -> Result<Self, StyleError> {
        if name == "hemicycle-notes" {
            return Self::from_xml(HEMICYCLE_NOTES, name, "the bundled style hemicycle-notes");
        }
        let Some(archived) = ArchivedStyle::by_name(name) else {
            return Err(StyleError::Unknown { name: name.to_owned() });
        };
        match archived.get() {
            Style::Independent(csl) => Ok(Self {
                name: name.to_owned(),
                csl,
            }),
            Style::Dependent(_) => Err(StyleError::Dependent {
                origin: format!("the bundled style {name}"),
            }),
        }
    }

    fn from_xml(xml: &str, name: &str, origin: &str) -> Result<Self, StyleError> {
        match Style::from_xml(xml) {
            Ok(Style::Independent(csl)) => Ok(Self {
                name: name.to_owned(),
                csl,
            }),
            Ok(Style::Dependent(_)) => Err(StyleError::Dependent {
                origin: origin.to_owned(),
            }),
            Err(e) => Err(StyleError::Invalid {
                message: e.to_string(),
                origin: origin.to_owned(),
            }),
        }
    }

    /// True for footnote styles; author-date and numbered styles are not.
    pub fn is_note(&self) -> bool {
        self.csl.settings.class == StyleClass::Note
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_style_loads() {
        for (name, _) in BUNDLED {
            let style = CitationStyle::bundled(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(style.name, *name);
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
}
