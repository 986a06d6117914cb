//! The campaign: what a user saves and shares, one TOML file.
//!
//! Documented in `docs/campaign-format.md`. Loading keeps fields this version
//! does not know (they are written back unchanged), reports problems with the
//! file, line and field, and never panics; saving is atomic.

mod demands;
mod error;
pub mod examples;
pub mod followup;
pub mod genre;
pub mod translations;
pub mod volunteer;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use demands::{Demand, DemandSet};
pub use error::{CampaignError, line_of_key, line_of_table};
pub use genre::{
    Addressee, AddresseeOrder, BlockSetting, Blocks, Contact, CosignerForm, CosignerKind, DateFormat, DemandBody,
    DemandGroup, DemandStyle, InsertedBlock, LabelOverrides, Layout, Mode, NoteMarkers, PartySuffix, Press, Quote,
    SignatoryOptions, SignatoryOrder, Wording,
};
pub use translations::{DemandText, Languages, Missing, PromptText, Rule, Translation};

use crate::directory::query::Query;
use crate::language::Language;
use crate::store;

/// Marks a file as a Hemicycle campaign.
pub const FORMAT_NAME: &str = "hemicycle-campaign";
/// The newest format version this build reads and the one it writes.
pub const FORMAT_VERSION: u32 = 1;

/// Fields this version does not know, kept as they were.
pub type Extra = toml::Table;

/// A campaign file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    pub format: String,
    pub version: u32,
    /// The campaign's identity: written when it is first saved, kept when
    /// the file is copied, renamed or saved under another name, and new only
    /// when the user makes a new campaign from this one. Letters of one
    /// campaign sent from several files are one campaign's letters (see
    /// `deliver::ledger`). Empty in the bundled examples: a copy of one
    /// becomes the user's campaign, with an id of its own.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    pub title: String,
    /// One line that says what the campaign is (shown in File → New).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The language of the letters: one of the 24 official EU languages
    /// codes ("en", "pl"), a region may follow ("de-AT"). Checked on load.
    #[serde(default = "default_language")]
    pub language: String,
    /// Subject lines. With several, each recipient gets one in turn.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// A bundled template name ("personal-letter") or a path to a `.md.hbs`
    /// file, relative to the campaign file.
    pub template: String,
    /// The letter's date (YYYY-MM-DD); today when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// A bundled style name ("hemicycle-notes", "harvard-notes", "oscola",
    /// "chicago-notes", "apa", …) or a path to a `.csl` file.
    #[serde(default = "default_style")]
    pub citation_style: String,
    /// Bibliography files (CSL-JSON, BibTeX/BibLaTeX, hayagriva YAML),
    /// relative to the campaign file.
    #[serde(default)]
    pub bibliography: Vec<PathBuf>,
    /// Demand-set files, relative to the campaign file.
    #[serde(default)]
    pub demand_sets: Vec<PathBuf>,
    /// Demands written in the campaign itself, after those of the sets. One
    /// with the id of a set's demand replaces it in this campaign only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub demands: Vec<Demand>,
    /// The order of the demands, by id; demands not listed follow.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub demand_order: Vec<String>,
    /// Demands of the sets left out of this campaign, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub omit_demands: Vec<String>,
    /// `[[demand_groups]]`: the demands in several groups, each with its
    /// intro and layout; none: one group of every demand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub demand_groups: Vec<DemandGroup>,
    #[serde(default)]
    pub organisation: Organisation,
    #[serde(default)]
    pub recipients: Recipients,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cosigners: Vec<Cosigner>,
    /// Further organisations that send the letter with `organisation`: a
    /// joint letterhead, and a signature each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<Organisation>,
    #[serde(default, skip_serializing_if = "Layout::is_default")]
    pub layout: Layout,
    #[serde(default, skip_serializing_if = "Wording::is_empty")]
    pub wording: Wording,
    #[serde(default, skip_serializing_if = "LabelOverrides::is_empty")]
    pub labels: LabelOverrides,
    /// Blocks of the genre replaced by a file, or switched off.
    #[serde(default, skip_serializing_if = "Blocks::is_empty")]
    pub blocks: Blocks,
    #[serde(default, skip_serializing_if = "SignatoryOptions::is_default")]
    pub signatories: SignatoryOptions,
    #[serde(default, skip_serializing_if = "Press::is_default")]
    pub press: Press,
    /// Free variables for templates: `{{vars.name}}`.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    pub vars: toml::Table,
    /// What a volunteer who gets the campaign as a kit is asked, and their
    /// answers (their own words in the letter).
    #[serde(default, skip_serializing_if = "volunteer::Volunteer::is_empty")]
    pub volunteer: volunteer::Volunteer,
    /// Which language each recipient's letter is in.
    #[serde(default, skip_serializing_if = "Languages::is_default")]
    pub languages: Languages,
    /// The campaign's texts in further languages, by code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, Translation>,
    /// The roll-call votes the letters may speak of (`votes = [{ name =
    /// "eprivacy", id = 195775 }]`), imported with `hemicycle votes import`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub votes: Vec<CampaignVote>,
    /// A follow-up: the campaign it follows up and the letters it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followup: Option<followup::FollowUp>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A roll-call vote a campaign uses: the short name its templates know it
/// by (`vote.eprivacy.position`) and the HowTheyVote.eu vote id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignVote {
    pub name: String,
    pub id: u64,
}

/// A vote's short name: a letter, then letters, digits, `_` or `-`, at most 40.
pub fn is_vote_name(name: &str) -> bool {
    name.len() <= 40
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn default_language() -> String {
    "en".to_owned()
}

fn default_style() -> String {
    "hemicycle-notes".to_owned()
}

/// Who writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Organisation {
    pub name: String,
    /// Postal address, one line per entry.
    pub address: Vec<String>,
    /// Where the letter is written ("Brussels").
    pub place: String,
    pub website: String,
    pub email: String,
    /// Path to a logo image, relative to the campaign file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<PathBuf>,
    pub signatory: Signatory,
    /// Reference numbers: `{org}`, `{year}`, `{seq}` (the recipient's number
    /// in the campaign; `{seq:03}` pads it), `{id}` (the MEP id).
    pub reference_pattern: String,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Signatory {
    pub name: String,
    /// One line or several ("Director\nExample Network").
    pub role: String,
    /// Lines under the organisation's name: a place, a website, a second
    /// role.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
}

/// To whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Recipients {
    /// The saved directory query.
    pub query: Query,
    /// EP ids added to the query's result.
    pub include: Vec<String>,
    /// EP ids removed from it.
    pub exclude: Vec<String>,
    /// Whether each letter's To block names its MEP.
    pub address_mep: bool,
    /// Further addressees in the To block ("Members of the LIBE Committee").
    pub to: Vec<String>,
    /// Addressees in the Cc block.
    pub cc: Vec<String>,
    /// One letter per recipient, or one letter to all addressees.
    #[serde(skip_serializing_if = "is_default_mode")]
    pub mode: Mode,
    /// Exactly these MEPs (EP ids), instead of the query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meps: Option<Vec<String>>,
    /// People who are not in the MEP directory.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addressees: Vec<Addressee>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_default_mode(mode: &Mode) -> bool {
    *mode == Mode::default()
}

impl Default for Recipients {
    fn default() -> Self {
        Self {
            query: Query::default(),
            include: Vec::new(),
            exclude: Vec::new(),
            address_mep: true,
            to: Vec::new(),
            cc: Vec::new(),
            mode: Mode::default(),
            meps: None,
            addressees: Vec::new(),
            extra: Extra::new(),
        }
    }
}

/// An organisation that signs a joint letter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Cosigner {
    pub name: String,
    /// ISO code or name; shown after the name.
    pub country: String,
    /// The heading it is listed under ("EDRi members", "Other signatories").
    pub group: String,
    /// An organisation, or a person signing in their own name.
    #[serde(skip_serializing_if = "CosignerKind::is_organisation")]
    pub kind: CosignerKind,
    /// A person's role: "Professor of Law, University of Ghent".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role: String,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Campaign {
    /// A new, empty campaign.
    pub fn new(title: &str, template: &str) -> Self {
        Self {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            id: String::new(),
            title: title.to_owned(),
            description: String::new(),
            language: default_language(),
            subjects: Vec::new(),
            template: template.to_owned(),
            date: None,
            citation_style: default_style(),
            bibliography: Vec::new(),
            demand_sets: Vec::new(),
            demands: Vec::new(),
            demand_order: Vec::new(),
            omit_demands: Vec::new(),
            demand_groups: Vec::new(),
            organisation: Organisation::default(),
            recipients: Recipients::default(),
            cosigners: Vec::new(),
            organisations: Vec::new(),
            layout: Layout::default(),
            wording: Wording::default(),
            labels: LabelOverrides::default(),
            blocks: Blocks::new(),
            signatories: SignatoryOptions::default(),
            press: Press::default(),
            vars: toml::Table::new(),
            volunteer: volunteer::Volunteer::default(),
            languages: Languages::default(),
            translations: BTreeMap::new(),
            votes: Vec::new(),
            followup: None,
            extra: Extra::new(),
        }
    }

    /// Gives the campaign an id if it has none (a new campaign, an older
    /// file, a copy of an example); true if it got one. Called before a
    /// save, so the id is in the file from then on.
    pub fn ensure_id(&mut self) -> bool {
        if self.id.is_empty() {
            self.id = new_id();
            true
        } else {
            false
        }
    }

    /// Makes this a new campaign, with an id of its own: "New campaign from
    /// this…". Its letters are then other letters than the original's.
    pub fn renew_id(&mut self) {
        self.id = new_id();
    }

    /// Parses a campaign. `origin` names the file in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, CampaignError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| CampaignError::toml(text, origin, &e))?;
        match table.get("format").and_then(toml::Value::as_str) {
            Some(FORMAT_NAME) => {}
            _ => {
                return Err(CampaignError::WrongKind {
                    found: "a TOML file without `format = \"hemicycle-campaign\"`".into(),
                    origin: origin.to_owned(),
                });
            }
        }
        let version = table.get("version").and_then(toml::Value::as_integer).unwrap_or(0);
        if version > i64::from(FORMAT_VERSION) {
            return Err(CampaignError::NewerVersion {
                found: version,
                origin: origin.to_owned(),
            });
        }
        let campaign: Campaign = toml::from_str(text).map_err(|e| CampaignError::toml(text, origin, &e))?;
        campaign.check(text, origin)?;
        Ok(campaign)
    }

    /// Reads a campaign file.
    pub fn load(path: &Path) -> Result<Self, CampaignError> {
        let text = error::read_text(path, crate::store::limits::CAMPAIGN, "the campaign")?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// The file's text.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Writes the campaign atomically to `path`. `layout` is the file it was
    /// read from (often `path` itself): its comments, key order and spelling
    /// are kept, and only the values that changed are written anew.
    pub fn save(&self, path: &Path, layout: Option<&Path>) -> Result<(), CampaignError> {
        let fresh = self.to_toml();
        let defaults = Self::new(&self.title, &self.template).to_toml();
        let old = layout
            .and_then(|p| crate::store::read_bounded_text(p, crate::store::limits::CAMPAIGN, "the campaign").ok());
        // Each merge is checked: one that would not read back as this
        // campaign gives way to the next, and in the end to a fresh file.
        let reads_back = |text: &String| Self::from_toml(text, "").is_ok_and(|c| c == *self);
        let text = old
            .as_deref()
            .and_then(|old| {
                [(Some(defaults.as_str()), true), (Some(&defaults), false), (None, false)]
                    .into_iter()
                    .find_map(|(defaults, keep)| {
                        crate::tomledit::update(old, &fresh, defaults, keep).filter(reads_back)
                    })
            })
            .unwrap_or(fresh);
        store::write_atomic(path, text.as_bytes(), "the campaign")?;
        Ok(())
    }

    /// Checks what serde cannot: required text is there, dates are dates.
    fn check(&self, text: &str, origin: &str) -> Result<(), CampaignError> {
        let field = |key: &str, problem: &str| CampaignError::Field {
            line: line_of_key(text, key),
            field: key.to_owned(),
            problem: problem.to_owned(),
            origin: origin.to_owned(),
        };
        if let Some(bad) = self
            .volunteer
            .locked
            .iter()
            .find(|l| !volunteer::LOCKABLE.contains(&l.as_str()))
        {
            return Err(field(
                "locked",
                &format!(
                    "\"{bad}\" is not a text that can be locked; use any of {}",
                    volunteer::LOCKABLE.join(", ")
                ),
            ));
        }
        if self.volunteer.max_alike.is_some_and(|m| !(0.0..=1.0).contains(&m)) {
            return Err(field(
                "max_alike",
                "must be between 0 and 1 (0.9: at most 90% of each letter is the campaign's text)",
            ));
        }
        if !is_campaign_id(&self.id) {
            return Err(field(
                "id",
                "is not a campaign id (up to 64 letters, digits and hyphens); delete the line and Hemicycle writes a new one when it saves",
            ));
        }
        if self.title.trim().is_empty() {
            return Err(field("title", "is empty; give the campaign a title"));
        }
        if self.template.trim().is_empty() {
            return Err(field(
                "template",
                "is empty; name a template such as \"personal-letter\"",
            ));
        }
        if let Some(date) = &self.date {
            let parsed = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
            // A letter's date is a date of our era: "-0001-01-01" parses,
            // and then no format can print it.
            if !parsed.is_some_and(|d| (1900..=2200).contains(&chrono::Datelike::year(&d))) {
                return Err(field(
                    "date",
                    &format!("\"{date}\" is not a date; write it as YYYY-MM-DD, between 1900 and 2200"),
                ));
            }
        }
        if !is_language_code(&self.language) || Language::parse(&self.language).is_none() {
            return Err(field(
                "language",
                &crate::language::unknown_code_problem(&self.language),
            ));
        }
        let mut ids = std::collections::HashSet::new();
        for d in &self.demands {
            if !ids.insert(d.id.as_str()) {
                return Err(field("id", &format!("the demand id \"{}\" is used twice", d.id)));
            }
        }
        let mut names = std::collections::HashSet::new();
        for v in &self.votes {
            if !is_vote_name(&v.name) {
                return Err(field(
                    "votes",
                    &format!(
                        "{:?} is not a vote name; use a short name of letters, digits, _ and - that starts with a letter (\"eprivacy\")",
                        v.name.chars().take(60).collect::<String>()
                    ),
                ));
            }
            if !names.insert(v.name.as_str()) {
                return Err(field("votes", &format!("the vote name \"{}\" is used twice", v.name)));
            }
        }
        self.check_languages(text, origin)
    }

    /// Every language code of `[languages]`, `[translations]` and the
    /// demands' translations is one of the 24.
    fn check_languages(&self, text: &str, origin: &str) -> Result<(), CampaignError> {
        let bad = |line: usize, field: String, code: &str| CampaignError::Field {
            line,
            field,
            problem: crate::language::unknown_code_problem(code),
            origin: origin.to_owned(),
        };
        for code in self.translations.keys() {
            if !is_language_code(code) || Language::parse(code).is_none() {
                let field = format!("translations.{code}");
                return Err(bad(line_of_table(text, &field), field, code));
            }
        }
        for (id, code) in &self.languages.meps {
            if Language::parse(code).is_none() {
                let line = match line_of_key(text, id) {
                    1 => line_of_key(text, &format!("\"{id}\"")),
                    line => line,
                };
                return Err(bad(line, format!("languages.meps.{id}"), code));
            }
        }
        demands::check_translation_codes(&self.demands, text, origin)
    }

    /// The letter date: the campaign's, or `today`.
    pub fn letter_date(&self, today: chrono::NaiveDate) -> chrono::NaiveDate {
        self.date
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or(today)
    }

    /// The language of the letters (checked on load; English if the field
    /// was changed since to a code Hemicycle does not know).
    pub fn letter_language(&self) -> Language {
        Language::of(&self.language)
    }

    /// The subject line for the `index`-th recipient (subjects rotate).
    pub fn subject_for(&self, index: usize) -> String {
        if self.subjects.is_empty() {
            return self.title.clone();
        }
        self.subjects[index % self.subjects.len()].clone()
    }
}

/// A new campaign id: 128 random bits as 32 hexadecimal digits, in the
/// shape of a UUID ("3f2a…-…").
pub fn new_id() -> String {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 16];
    // The system's random source; should it ever fail, the time and the
    // process id still make the id unique on this machine.
    if ring::rand::SystemRandom::new().fill(&mut bytes).is_err() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        bytes = (now ^ (u128::from(std::process::id()) << 96)).to_be_bytes();
    }
    let hex: String = bytes.iter().fold(String::with_capacity(32), |mut hex, b| {
        hex.push_str(&format!("{b:02x}"));
        hex
    });
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Empty (no id yet), or up to 64 ASCII letters, digits and hyphens.
fn is_campaign_id(id: &str) -> bool {
    id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A BCP 47 language tag of the simple kind letters use: two or three
/// lower-case letters, optionally a region ("en", "pt-BR", "ast").
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    let region = parts.next();
    parts.next().is_none()
        && (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()))
}

/// Whether a campaign field names a file with this extension (any case)
/// rather than a bundled item.
pub use crate::util::has_extension;

impl Campaign {
    /// Prepares the campaign, read from `old_file`, to be saved as
    /// `new_file`: in another folder, every relative path it holds
    /// (bibliographies, demand sets, the logo, a template file, block files,
    /// a CSL file) becomes absolute, so that it still finds its files.
    pub fn moved(&mut self, old_file: &Path, new_file: &Path) {
        if old_file.parent() == new_file.parent() {
            return;
        }
        let absolute = |p: &mut PathBuf| *p = resolve(old_file, p);
        self.bibliography.iter_mut().for_each(absolute);
        self.demand_sets.iter_mut().for_each(absolute);
        if let Some(logo) = self.organisation.logo.as_mut() {
            absolute(logo);
        }
        for setting in self.blocks.values_mut() {
            if let Some(p) = setting.file_mut() {
                absolute(p);
            }
        }
        for spec in [&mut self.template, &mut self.citation_style] {
            if has_extension(spec, "hbs") || has_extension(spec, "csl") {
                *spec = resolve(old_file, Path::new(spec.as_str())).display().to_string();
            }
        }
        for t in self.translations.values_mut() {
            for setting in t.blocks.values_mut() {
                if let Some(p) = setting.file_mut() {
                    absolute(p);
                }
            }
            if let Some(spec) = t.template.as_mut().filter(|s| has_extension(s, "hbs")) {
                *spec = resolve(old_file, Path::new(spec.as_str())).display().to_string();
            }
        }
    }
}

/// Resolves `path` against the folder of `base` (a campaign or demand-set
/// file), unless it is absolute.
pub fn resolve(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    base.parent().unwrap_or_else(|| Path::new(".")).join(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Saving keeps what people wrote in the file: an example saved
    /// unchanged is the same bytes, and a changed title changes one line.
    #[test]
    fn saving_keeps_comments_and_layout_and_changes_only_what_changed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        examples::install(root).expect("install");
        for (file, _) in examples::CAMPAIGNS {
            let path = root.join(file);
            let before = std::fs::read_to_string(&path).expect("read");
            assert!(before.contains('#'), "{file} has comments to keep");
            let mut campaign = Campaign::load(&path).expect("load");
            let copy = root.join("copy.toml");
            campaign.save(&copy, Some(&path)).expect("save");
            assert_eq!(std::fs::read_to_string(&copy).expect("read"), before, "{file}");
            campaign.title = "A title of our own".into();
            campaign.save(&copy, Some(&path)).expect("save");
            let after = std::fs::read_to_string(&copy).expect("read");
            let changed: Vec<(&str, &str)> = before.lines().zip(after.lines()).filter(|(a, b)| a != b).collect();
            assert_eq!(changed.len(), 1, "{file}: {changed:?}");
            assert!(
                changed[0].1.starts_with("title = \"A title of our own\""),
                "{changed:?}"
            );
            assert_eq!(Campaign::load(&copy).expect("reads back"), campaign);
            // A value taken away (left out by the serializer) goes, and the
            // comments stay.
            campaign.date = None;
            campaign.subjects.truncate(1);
            campaign.save(&copy, Some(&path)).expect("save");
            assert_eq!(Campaign::load(&copy).expect("reads back"), campaign, "{file}");
            assert!(
                std::fs::read_to_string(&copy)
                    .expect("read")
                    .starts_with(before.lines().next().expect("a comment"))
            );
        }
    }

    /// The To block's options read, saved and read back; a file that has
    /// them keeps them through a save that changes something else.
    #[test]
    fn the_to_block_options_survive_a_save() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("c.toml");
        let text = format!(
            "{MINIMAL}\n[layout]\nmep_honorific = true\nmep_role = false\nmep_party = \"national\"\naddressee_order = \"addressees-first\"\n"
        );
        std::fs::write(&path, &text).expect("write");
        let mut c = Campaign::load(&path).expect("load");
        assert_eq!(c.layout.mep_honorific, Some(true));
        assert_eq!(c.layout.mep_role, Some(false));
        assert_eq!(c.layout.mep_party, Some(PartySuffix::National));
        assert_eq!(c.layout.addressee_order, Some(AddresseeOrder::AddresseesFirst));
        c.title = "Another".into();
        c.save(&path, Some(&path)).expect("save");
        let saved = std::fs::read_to_string(&path).expect("read");
        assert!(saved.contains("mep_party = \"national\""), "{saved}");
        assert_eq!(Campaign::load(&path).expect("reads back"), c);
        // Set in code (as the app does) and saved into a file without them.
        let mut d = Campaign::from_toml(MINIMAL, "d.toml").expect("parse");
        d.layout.mep_party = Some(PartySuffix::Group);
        d.layout.addressee_order = Some(AddresseeOrder::MepsFirst);
        d.layout.mep_role = Some(true);
        let other = tmp.path().join("d.toml");
        d.save(&other, None).expect("save");
        assert_eq!(Campaign::load(&other).expect("reads back").layout, d.layout);
    }

    const MINIMAL: &str = r#"
format = "hemicycle-campaign"
version = 1
title = "Test"
template = "personal-letter"
future_field = { kept = true }

[organisation]
name = "Stichting Test"
colour = "green"

[recipients]
query = { committees = ["LIBE"], roles = ["member"] }
cc = ["Members of the IMCO Committee"]
"#;

    #[test]
    fn loads_and_keeps_unknown_fields() {
        let c = Campaign::from_toml(MINIMAL, "c.toml").unwrap();
        assert_eq!(c.language, "en");
        assert_eq!(c.citation_style, "hemicycle-notes");
        assert_eq!(c.recipients.query.committees, ["LIBE"]);
        assert!(c.recipients.address_mep);
        let again = Campaign::from_toml(&c.to_toml(), "c.toml").unwrap();
        assert_eq!(again, c);
        assert!(c.to_toml().contains("future_field"));
        assert!(c.to_toml().contains("colour = \"green\""));
    }

    #[test]
    fn errors_name_line_and_field() {
        let bad = MINIMAL.replace("title = \"Test\"", "title = 12");
        let err = Campaign::from_toml(&bad, "c.toml").unwrap_err().to_string();
        assert!(
            err.starts_with("line 4, column 9: invalid type: integer `12`, expected a string"),
            "{err}"
        );
        assert!(err.ends_with("c.toml"), "{err}");
        let bad = MINIMAL.replace("version = 1", "version = 1\ndate = \"23/11/2026\"");
        let err = Campaign::from_toml(&bad, "c.toml").unwrap_err().to_string();
        assert_eq!(
            err,
            "line 4, field date: \"23/11/2026\" is not a date; write it as YYYY-MM-DD, between 1900 and 2200: c.toml"
        );
        let bad = MINIMAL.replace("version = 1", "version = 1\ndate = \"-0001-01-01\"");
        let err = Campaign::from_toml(&bad, "c.toml").unwrap_err().to_string();
        assert!(err.contains("field date: \"-0001-01-01\" is not a date"), "{err}");
        for language in [
            "english",
            "EN",
            "e",
            "en_GB",
            "en-gb",
            "x-klingon",
            "",
            "ru",
            "no",
            "ast",
        ] {
            let bad = MINIMAL.replace("version = 1", &format!("version = 1\nlanguage = \"{language}\""));
            let err = Campaign::from_toml(&bad, "c.toml").unwrap_err().to_string();
            assert!(
                err.starts_with(&format!(
                    "line 4, field language: \"{language}\" is not one of the 24 official EU languages"
                )) && err.contains(
                    "bg, cs, da, de, el, en, es, et, fi, fr, ga, hr, hu, it, lt, lv, mt, nl, pl, pt, ro, sk, sl, sv"
                ) && err.ends_with("c.toml"),
                "{language}: {err}"
            );
        }
        for language in ["en", "pt-BR", "ga", "mt", "de-AT"] {
            let ok = MINIMAL.replace("version = 1", &format!("version = 1\nlanguage = \"{language}\""));
            assert!(Campaign::from_toml(&ok, "c.toml").is_ok(), "{language}");
        }
        let err = Campaign::from_toml("title = \"x\"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not a Hemicycle campaign"), "{err}");
        let err = Campaign::from_toml("format = \"hemicycle-campaign\"\nversion = 7\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("newer Hemicycle"), "{err}");
        let err = Campaign::from_toml("format = [", "c.toml").unwrap_err().to_string();
        assert!(err.starts_with("line 1, column"), "{err}");
    }

    #[test]
    fn subjects_rotate() {
        let mut c = Campaign::from_toml(MINIMAL, "c.toml").unwrap();
        assert_eq!(c.subject_for(3), "Test");
        c.subjects = vec!["A".into(), "B".into()];
        assert_eq!(c.subject_for(0), "A");
        assert_eq!(c.subject_for(3), "B");
    }

    #[test]
    fn a_campaign_saved_elsewhere_keeps_finding_its_files() {
        let mut c: Campaign = toml::from_str(MINIMAL).unwrap();
        c.bibliography = vec![PathBuf::from("refs.bib"), PathBuf::from("/abs/other.json")];
        c.demand_sets = vec![PathBuf::from("sets/demands.toml")];
        c.organisation.logo = Some(PathBuf::from("logo.png"));
        c.template = "letter.md.hbs".into();
        c.citation_style = "house.csl".into();
        c.blocks
            .insert("closing".into(), BlockSetting::File(PathBuf::from("closing.md.hbs")));
        let same = c.clone();
        let mut moved = c.clone();
        moved.moved(Path::new("/work/a/c.toml"), Path::new("/work/a/copy.toml"));
        assert_eq!(moved, same, "the same folder changes nothing");
        moved.moved(Path::new("/work/a/c.toml"), Path::new("/elsewhere/c.toml"));
        assert_eq!(
            moved.bibliography,
            vec![PathBuf::from("/work/a/refs.bib"), PathBuf::from("/abs/other.json")]
        );
        assert_eq!(moved.demand_sets, vec![PathBuf::from("/work/a/sets/demands.toml")]);
        assert_eq!(moved.organisation.logo, Some(PathBuf::from("/work/a/logo.png")));
        assert_eq!(moved.template, "/work/a/letter.md.hbs");
        assert_eq!(moved.citation_style, "/work/a/house.csl");
        assert_eq!(
            moved.blocks["closing"],
            BlockSetting::File(PathBuf::from("/work/a/closing.md.hbs"))
        );
        // A bundled template or style is a name, not a path.
        let mut named = same.clone();
        named.template = "open-letter".into();
        named.citation_style = "hemicycle-notes".into();
        named.moved(Path::new("/work/a/c.toml"), Path::new("/elsewhere/c.toml"));
        assert_eq!(
            (named.template.as_str(), named.citation_style.as_str()),
            ("open-letter", "hemicycle-notes")
        );
    }
}
