//! Demand sets: reusable, citable policy demands, one TOML file each.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::{CampaignError, read_text};
use super::{DemandText, Extra, line_of_key};

/// One demand: a title and a Markdown body with citations (`[@key]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Demand {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The title and body in further languages, by code
    /// (`[demands.translations.fr]`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, DemandText>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Each demand's translations are in one of the 24 languages.
pub(super) fn check_translation_codes(demands: &[Demand], text: &str, origin: &str) -> Result<(), CampaignError> {
    for d in demands {
        for code in d.translations.keys() {
            if !super::is_language_code(code) || crate::language::Language::parse(code).is_none() {
                let field = format!("translations.{code}");
                return Err(CampaignError::Field {
                    line: super::line_of_table(text, &format!("demands.{field}")),
                    field: format!("demands.{field} (demand \"{}\")", d.id),
                    problem: crate::language::unknown_code_problem(code),
                    origin: origin.to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// A file of demands.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandSet {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// One line that says what the set asks for (shown in the library).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Topics of the whole set, for finding it in the library.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Bibliography files the demands cite, relative to this file.
    #[serde(default)]
    pub bibliography: Vec<PathBuf>,
    #[serde(default)]
    pub demands: Vec<Demand>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl DemandSet {
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, CampaignError> {
        let set: DemandSet = toml::from_str(text).map_err(|e| CampaignError::toml(text, origin, &e))?;
        if let Some(code) = &set.language
            && crate::language::Language::parse(code).is_none()
        {
            return Err(CampaignError::Field {
                line: line_of_key(text, "language"),
                field: "language".into(),
                problem: crate::language::unknown_code_problem(code),
                origin: origin.to_owned(),
            });
        }
        check_translation_codes(&set.demands, text, origin)?;
        let mut seen = std::collections::HashSet::new();
        for d in &set.demands {
            if d.id.trim().is_empty() || !seen.insert(d.id.as_str()) {
                return Err(CampaignError::Field {
                    line: line_of_key(text, "id"),
                    field: "id".into(),
                    problem: format!("every demand needs its own id; \"{}\" is empty or used twice", d.id),
                    origin: origin.to_owned(),
                });
            }
        }
        Ok(set)
    }

    pub fn load(path: &Path) -> Result<Self, CampaignError> {
        Self::from_toml(
            &read_text(path, crate::store::limits::DEMAND_SET, "the demand set")?,
            &path.display().to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_in_an_unknown_language_is_refused_with_the_codes() {
        let text = "id = \"s\"\ntitle = \"S\"\nlanguage = \"xx\"\n";
        let err = DemandSet::from_toml(text, "set.toml").unwrap_err().to_string();
        assert!(
            err.starts_with("line 3, field language: \"xx\" is not one of the 24 official EU languages")
                && err.contains("bg, cs, da")
                && err.ends_with("set.toml"),
            "{err}"
        );
        let ok = text.replace("xx", "pl");
        assert_eq!(
            DemandSet::from_toml(&ok, "set.toml").unwrap().language.as_deref(),
            Some("pl")
        );
    }
}
