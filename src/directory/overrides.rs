//! A user's corrections to MEP records (a changed e-mail, a name written
//! differently), stored apart from any snapshot and applied on load, so a
//! refreshed snapshot never erases them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::{DirectoryError, read_text};
use super::{Directory, Gender, Honorific, Mep};
use crate::store;

const VERSION: u32 = 1;

/// The corrections for one MEP. `None` leaves the snapshot's value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MepOverride {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub national_party: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The gender to greet the MEP by ("not-known" for the neutral greeting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// The honorific ("Ms", "Mr"); with only a gender given, the one that
    /// goes with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub honorific: Option<Honorific>,
    /// The user's own note ("prefers letters in French").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl MepOverride {
    fn apply(&self, mep: &mut Mep) {
        if let Some(v) = &self.given_name {
            mep.given_name.clone_from(v);
        }
        if let Some(v) = &self.family_name {
            mep.family_name.clone_from(v);
        }
        if let Some(v) = &self.email {
            mep.email = Some(v.clone()).filter(|e| !e.trim().is_empty());
            mep.email_is_guess = false;
        }
        if let Some(v) = &self.national_party {
            mep.national_party = Some(v.clone());
        }
        if let Some(v) = &self.group {
            mep.group = super::groups::resolve(v);
        }
        if let Some(gender) = self.gender {
            mep.gender = Some(gender);
            mep.honorific = match gender {
                Gender::Female => Some(Honorific::Ms),
                Gender::Male => Some(Honorific::Mr),
                Gender::NotKnown => None,
            };
        }
        if let Some(honorific) = self.honorific {
            mep.honorific = Some(honorific);
        }
    }
}

/// All of a user's corrections, by MEP id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overrides {
    pub version: u32,
    pub meps: BTreeMap<String, MepOverride>,
}

impl Default for Overrides {
    fn default() -> Self {
        Self {
            version: VERSION,
            meps: BTreeMap::new(),
        }
    }
}

impl Overrides {
    /// Reads the overrides file; a missing file means no overrides.
    pub fn load(path: &Path) -> Result<Self, DirectoryError> {
        if !path.exists() {
            return Ok(Self::default());
        }
        let origin = path.display().to_string();
        let text = read_text(path)?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| DirectoryError::json(&origin, &e))?;
        let found = value.get("version").and_then(serde_json::Value::as_u64).unwrap_or(0);
        if found > u64::from(VERSION) {
            return Err(DirectoryError::NewerVersion {
                found: u32::try_from(found).unwrap_or(u32::MAX),
                supported: VERSION,
                origin,
            });
        }
        if value.get("meps").is_none() {
            return Err(DirectoryError::WrongKind {
                expected: "A file of MEP corrections",
                found: "another kind of JSON file (it has no \"meps\" field)".into(),
                origin,
            });
        }
        serde_json::from_value(value).map_err(|e| DirectoryError::malformed(&origin, "the corrections", e))
    }

    /// Writes the overrides atomically.
    pub fn save(&self, path: &Path) -> Result<(), DirectoryError> {
        let mut json = serde_json::to_vec_pretty(self).unwrap_or_default();
        json.push(b'\n');
        store::write_atomic(path, &json, "your MEP corrections")?;
        Ok(())
    }

    /// Applies every correction whose MEP is in `directory`; returns the ids of
    /// corrections for MEPs the directory no longer has (kept, not dropped).
    pub fn apply(&self, directory: &mut Directory) -> Vec<String> {
        let mut orphans = Vec::new();
        for (id, o) in &self.meps {
            match directory.meps.iter_mut().find(|m| &m.id == id) {
                Some(mep) => o.apply(mep),
                None => orphans.push(id.clone()),
            }
        }
        orphans
    }

    /// The correction for one MEP, created if missing.
    pub fn entry(&mut self, id: &str) -> &mut MepOverride {
        self.meps.entry(id.to_owned()).or_default()
    }

    /// Replaces the correction of MEP `id` in the overrides file at `path`
    /// with `value`, or removes it (`None`); the others are kept.
    pub fn set(path: &Path, id: &str, value: Option<MepOverride>) -> Result<(), DirectoryError> {
        let mut all = Self::load(path)?;
        match value {
            Some(v) => *all.entry(id) = v,
            None => {
                all.meps.remove(id);
            }
        }
        all.save(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_replaces_or_removes_one_correction_and_keeps_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("overrides.json");
        let note = |text: &str| MepOverride {
            note: Some(text.to_owned()),
            ..MepOverride::default()
        };
        Overrides::set(&path, "1", Some(note("first"))).unwrap();
        Overrides::set(&path, "2", Some(note("second"))).unwrap();
        Overrides::set(&path, "1", Some(note("again"))).unwrap();
        let all = Overrides::load(&path).unwrap();
        assert_eq!(all.meps["1"].note.as_deref(), Some("again"));
        assert_eq!(all.meps["2"].note.as_deref(), Some("second"));
        Overrides::set(&path, "1", None).unwrap();
        let all = Overrides::load(&path).unwrap();
        assert!(!all.meps.contains_key("1"));
        assert!(all.meps.contains_key("2"));
    }

    fn mep() -> Mep {
        serde_json::from_value(serde_json::json!({
            "id": "1", "full_name": "Kim VAN SPARRENTAK", "given_name": "Kim", "family_name": "van Sparrentak",
            "country": "NL", "gender": "female", "honorific": "Ms"
        }))
        .unwrap()
    }

    #[test]
    fn a_corrected_gender_brings_its_honorific_and_survives_a_round_trip() {
        let mut m = mep();
        MepOverride {
            gender: Some(Gender::Male),
            ..MepOverride::default()
        }
        .apply(&mut m);
        assert_eq!((m.gender, m.honorific), (Some(Gender::Male), Some(Honorific::Mr)));
        MepOverride {
            gender: Some(Gender::NotKnown),
            ..MepOverride::default()
        }
        .apply(&mut m);
        assert_eq!((m.gender, m.honorific), (Some(Gender::NotKnown), None));
        let mut o = Overrides::default();
        o.entry("1").gender = Some(Gender::Female);
        let text = serde_json::to_string(&o).unwrap();
        assert!(text.contains("\"gender\":\"female\""), "{text}");
        let back: Overrides = serde_json::from_str(&text).unwrap();
        assert_eq!(back, o);
    }
}
