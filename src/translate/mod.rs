//! The translators' round trip: a campaign's translatable texts (its own
//! and those of its demand sets) written as XLIFF 1.2 for one target
//! language, and a translated file read back into the campaign and
//! demand-set files. Citations, note brackets and Handlebars expressions
//! travel as inline codes (`compose::codes`) that a translator cannot
//! change; the import rebuilds them from the original, refuses a file for
//! another campaign, with unknown ids, with a changed original or a lost
//! code, and writes nothing until every unit passed.

pub mod xliff;

use std::path::{Path, PathBuf};

use crate::campaign::{self, Campaign, CampaignError, DemandSet};
use crate::language::Language;

/// Which file a text lives in: the campaign, or one of its demand sets (by
/// its index in `demand_sets`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    Campaign,
    Set(usize),
}

/// One translatable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub place: Place,
    /// Unique in its file: "subjects.1", "wording.opening",
    /// "demands.ban-biometric.body".
    pub id: String,
    /// What it is, for the translator ("Subject line 1").
    pub note: String,
    pub source: String,
    /// The translation the files hold now, if any.
    pub target: Option<String>,
}

/// A campaign and its demand sets as files: what the round trip reads and
/// writes.
#[derive(Debug, Clone)]
pub struct Texts {
    pub path: PathBuf,
    pub campaign: Campaign,
    /// Each demand set: the path as the campaign writes it, the file, the set.
    pub sets: Vec<(PathBuf, PathBuf, DemandSet)>,
}

/// Everything that stops an import or an export.
#[derive(Debug, thiserror::Error)]
pub enum TranslateError {
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    #[error("the XLIFF file cannot be read: {0}; nothing was changed")]
    Xml(String),
    #[error("{0}; nothing was changed")]
    Refused(String),
    #[error("the campaign is written in {0}; choose another language to translate into")]
    SameLanguage(String),
}

/// What names a campaign in an XLIFF file's header: its `id` when the file
/// has one, otherwise its file name and title.
pub fn identity(campaign: &Campaign, path: &Path) -> String {
    if !campaign.id.is_empty() {
        return format!("id {}", campaign.id);
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{file}: {}", campaign.title)
}

impl Texts {
    /// Reads the campaign and its demand sets.
    pub fn load(path: &Path) -> Result<Self, TranslateError> {
        let campaign = Campaign::load(path)?;
        // A kit's campaign reads and writes only the kit's own demand sets.
        crate::kit::confine(&campaign, path).map_err(|e| TranslateError::Refused(e.to_string()))?;
        let mut sets = Vec::new();
        for spec in &campaign.demand_sets {
            let file = campaign::resolve(path, spec);
            let set = DemandSet::load(&file)?;
            sets.push((spec.clone(), file, set));
        }
        Ok(Self {
            path: path.to_path_buf(),
            campaign,
            sets,
        })
    }

    /// The campaign's name in XLIFF headers.
    pub fn identity(&self) -> String {
        identity(&self.campaign, &self.path)
    }

    /// The name of a place's file, as the XLIFF `original` attribute.
    pub fn original(&self, place: Place) -> String {
        match place {
            Place::Campaign => self
                .path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Place::Set(i) => self
                .sets
                .get(i)
                .map(|(spec, _, _)| spec.display().to_string())
                .unwrap_or_default(),
        }
    }

    /// Every translatable text, with its translation into `language`.
    pub fn units(&self, language: Language) -> Vec<Unit> {
        let mut out = Vec::new();
        let mut push = |place, id: String, note: String, source: &str, target: Option<&String>| {
            if !source.trim().is_empty() {
                out.push(Unit {
                    place,
                    id,
                    note,
                    source: source.to_owned(),
                    target: target.filter(|t| !t.trim().is_empty()).cloned(),
                });
            }
        };
        self.campaign_units(language, &mut push);
        let c = &self.campaign;
        let demands = c.demands.iter().map(|d| (Place::Campaign, d)).chain(
            self.sets
                .iter()
                .enumerate()
                .flat_map(|(i, (_, _, s))| s.demands.iter().map(move |d| (Place::Set(i), d))),
        );
        for (place, d) in demands {
            if place != Place::Campaign && (c.omit_demands.contains(&d.id) || c.demands.iter().any(|o| o.id == d.id)) {
                continue;
            }
            let own = d.translation(language);
            let id = &d.id;
            let title = (format!("demands.{id}.title"), format!("The title of demand \"{id}\""));
            push(place, title.0, title.1, &d.title, own.map(|o| &o.title));
            let body = (
                format!("demands.{id}.body"),
                format!("The text of demand \"{id}\" (Markdown)"),
            );
            push(place, body.0, body.1, &d.body, own.map(|o| &o.body));
        }
        out
    }

    /// The campaign's own texts: title, subjects, phrases, questions.
    fn campaign_units(&self, language: Language, push: &mut impl FnMut(Place, String, String, &str, Option<&String>)) {
        let c = &self.campaign;
        let t = c.translation(language);
        let here = Place::Campaign;
        push(
            here,
            "title".into(),
            "The campaign's title".into(),
            &c.title,
            t.map(|t| &t.title),
        );
        for (i, s) in c.subjects.iter().enumerate() {
            let (id, note) = (format!("subjects.{}", i + 1), format!("Subject line {}", i + 1));
            push(here, id, note, s, t.and_then(|t| t.subjects.get(i)));
        }
        for (key, source, _) in crate::compose::translations::original_phrases(c) {
            let target = t.and_then(|t| {
                if key == "lead" {
                    Some(&t.lead)
                } else {
                    t.wording
                        .entries()
                        .into_iter()
                        .find(|(k, _)| *k == key)
                        .and_then(|(_, v)| v)
                }
            });
            let (id, note) = (format!("wording.{key}"), format!("The phrase [wording] {key}"));
            push(here, id, note, &source, target);
        }
        for p in &c.volunteer.prompts {
            let own = t.and_then(|t| t.prompts.get(&p.id));
            let note = format!("The volunteer's question \"{}\"", p.id);
            let id = format!("prompts.{}.question", p.id);
            push(here, id, note.clone(), &p.question, own.map(|o| &o.question));
            let id = format!("prompts.{}.hint", p.id);
            push(here, id, format!("{note}: its hint"), &p.hint, own.map(|o| &o.hint));
        }
    }

    /// Puts `text` in place as the translation of unit `id` into `language`,
    /// and records the original it was made from (its `source-hash`).
    /// `false` when the id is not one of this place's.
    pub fn set(&mut self, place: Place, id: &str, language: Language, text: &str) -> bool {
        let code = language.code().to_owned();
        let text = text.to_owned();
        let source = self
            .units(language)
            .into_iter()
            .find(|u| u.place == place && u.id == id)
            .map(|u| u.source);
        let source = source.as_deref();
        let parts: Vec<&str> = id.splitn(3, '.').collect();
        if let Place::Set(i) = place {
            let Some((_, _, set)) = self.sets.get_mut(i) else {
                return false;
            };
            return set_demand(&mut set.demands, &parts, &code, text, source);
        }
        let c = &mut self.campaign;
        if let ["demands", ..] = parts.as_slice() {
            return set_demand(&mut c.demands, &parts, &code, text, source);
        }
        let key = c
            .translations
            .keys()
            .find(|k| Language::parse(k) == Some(language))
            .cloned()
            .unwrap_or(code);
        let prompt_ids: Vec<String> = c.volunteer.prompts.iter().map(|p| p.id.clone()).collect();
        let subjects = c.subjects.len();
        let t = c.translations.entry(key).or_default();
        match parts.as_slice() {
            ["title"] => t.title = text,
            ["subjects", n] => {
                let Some(n) = n.parse::<usize>().ok().filter(|n| (1..=subjects).contains(n)) else {
                    return false;
                };
                if t.subjects.len() < n {
                    t.subjects.resize(n, String::new());
                }
                t.subjects[n - 1] = text;
            }
            ["wording", "lead"] => t.lead = text,
            ["wording", key] => {
                let Some(slot) = wording_slot(&mut t.wording, key) else {
                    return false;
                };
                *slot = Some(text);
            }
            ["prompts", id, field] if prompt_ids.iter().any(|p| p == id) => {
                let p = t.prompts.entry((*id).to_owned()).or_default();
                match *field {
                    "question" => p.question = text,
                    "hint" => p.hint = text,
                    _ => return false,
                }
            }
            _ => return false,
        }
        if let Some(source) = source {
            t.record_source(id, source);
        }
        true
    }

    /// Writes the campaign and the demand sets that `changed` names, each
    /// atomically and keeping its comments and layout.
    pub fn save(&self, changed: &[Place]) -> Result<(), TranslateError> {
        for place in changed {
            match place {
                Place::Campaign => self.campaign.save(&self.path, Some(&self.path))?,
                Place::Set(i) => {
                    if let Some((_, file, set)) = self.sets.get(*i) {
                        save_set(set, file)?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn wording_slot<'w>(w: &'w mut campaign::Wording, key: &str) -> Option<&'w mut Option<String>> {
    Some(match key {
        "salutation" => &mut w.salutation,
        "opening" => &mut w.opening,
        "context" => &mut w.context,
        "demands_intro" => &mut w.demands_intro,
        "closing" => &mut w.closing,
        "closing_formula" => &mut w.closing_formula,
        "signatories_heading" => &mut w.signatories_heading,
        _ => return None,
    })
}

fn set_demand(
    demands: &mut [campaign::Demand],
    parts: &[&str],
    code: &str,
    text: String,
    source: Option<&str>,
) -> bool {
    let ["demands", rest, ..] = parts else { return false };
    // Ids may hold dots: the field is what follows the last one.
    let joined = parts[1..].join(".");
    let Some((id, field)) = joined.rsplit_once('.') else {
        return false;
    };
    let _ = rest;
    let Some(d) = demands.iter_mut().find(|d| d.id == id) else {
        return false;
    };
    let key = d
        .translations
        .keys()
        .find(|k| Language::parse(k) == Language::parse(code))
        .cloned()
        .unwrap_or_else(|| code.to_owned());
    let t = d.translations.entry(key).or_default();
    match field {
        "title" => t.title = text,
        "body" => t.body = text,
        _ => return false,
    }
    if let Some(source) = source {
        t.record_source(field, source);
    }
    true
}

/// Writes a demand set over its file, keeping the file's comments and
/// layout; checked to read back as the same set.
fn save_set(set: &DemandSet, file: &Path) -> Result<(), TranslateError> {
    let fresh = toml::to_string_pretty(set).map_err(|e| TranslateError::Xml(e.to_string()))?;
    let old = crate::store::read_bounded_text(file, crate::store::limits::DEMAND_SET, "the demand set").ok();
    let origin = file.display().to_string();
    let reads_back = |text: &String| DemandSet::from_toml(text, &origin).is_ok_and(|s| s == *set);
    let text = old
        .as_deref()
        .and_then(|old| {
            [true, false]
                .into_iter()
                .find_map(|keep| crate::tomledit::update(old, &fresh, None, keep).filter(reads_back))
        })
        .unwrap_or(fresh);
    crate::store::write_atomic(file, text.as_bytes(), "the demand set").map_err(CampaignError::from)?;
    Ok(())
}
