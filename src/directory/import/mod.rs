//! Importers: turn public MEP data into a [`Directory`].
//!
//! Each format has its own parser (`ep_xml`, `roles_json`, `emails_json`,
//! `csv_list`, `gender_csv`, `ep_api`); [`Builder`] joins them on the EP id, newest data
//! last, and records where every part came from.

pub mod csv_list;
pub mod emails_json;
pub mod ep_api;
pub mod ep_xml;
pub mod gender_csv;
pub mod roles_json;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::error::read_text;
use super::{CommitteeSeat, Directory, DirectoryError, Mep, Source, countries, groups, names};

/// Parses JSON, naming the file, line and column on error.
pub(crate) fn parse_json(text: &str, origin: &str) -> Result<Value, DirectoryError> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        return Err(DirectoryError::WrongKind {
            expected: "A JSON file",
            found: "an XML or HTML file".into(),
            origin: origin.to_owned(),
        });
    }
    serde_json::from_str(text).map_err(|e| DirectoryError::json(origin, &e))
}

/// An id given as a number or a string of digits.
pub(crate) fn json_id(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// A plausible e-mail address: one `@`, something before it, a dot after it,
/// no spaces. (Sending checks it fully.)
pub(crate) fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
}

fn file_name(path: &Path) -> Option<String> {
    path.file_name().map(|n| n.to_string_lossy().into_owned())
}

/// Attribution for the EP full-list XML.
pub fn ep_xml_source(path: &Path) -> Source {
    Source {
        provided: "Members: names, countries, political groups and national parties".into(),
        publisher: "European Parliament".into(),
        url: Some("https://www.europarl.europa.eu/meps/en/full-list/xml".into()),
        licence: Some(
            "© European Union, source: European Parliament. Reuse is authorised provided the source is acknowledged (EP legal notice)."
                .into(),
        ),
        file: file_name(path),
    }
}

/// Attribution for the Parltrack-derived committee roles.
pub fn roles_source(path: &Path) -> Source {
    Source {
        provided: "Committee seats and roles".into(),
        publisher: "Parltrack (ep_meps dump), as compiled by the MEP Score dataset (adamkusnirik/mepscorelite)".into(),
        url: Some("https://parltrack.org/dumps".into()),
        licence: Some("Open Database License (ODbL) 1.0".into()),
        file: file_name(path),
    }
}

/// Attribution for the JSON list of e-mail addresses scraped from EP profiles.
pub fn emails_json_source(path: &Path) -> Source {
    Source {
        provided: "E-mail addresses (from the MEPs' EP profile pages)".into(),
        publisher: "eucontact (andremartinssw/eucontact), from europarl.europa.eu profile pages".into(),
        url: Some("https://www.europarl.europa.eu/meps/en/home".into()),
        licence: Some("MIT (the compilation); the addresses are published by the European Parliament".into()),
        file: file_name(path),
    }
}

/// Attribution for the gender and honorific of the EP Open Data Portal.
pub fn gender_source(path: &Path) -> Source {
    Source {
        provided: "Gender and honorific (for greetings in the languages that need them)".into(),
        publisher: "European Parliament Open Data Portal (API v2 person records), as exported by Paul-Elvis-Otto/mep-list".into(),
        url: Some("https://data.europarl.europa.eu/en/developer-corner/opendata-api".into()),
        licence: Some(
            "© European Union, source: European Parliament. Reuse is authorised provided the source is acknowledged (EP legal notice)."
                .into(),
        ),
        file: file_name(path),
    }
}

/// Attribution for a CSV list; lists built from HowTheyVote.eu say so in
/// their `source_url` column.
pub fn csv_source(path: &Path, list: &csv_list::CsvList, provided: &str) -> Source {
    let howtheyvote = list.source_url.as_deref().is_some_and(|u| u.contains("howtheyvote.eu"));
    Source {
        provided: provided.to_owned(),
        publisher: if howtheyvote {
            "HowTheyVote.eu (vote data of the European Parliament), via Mojo-Agency/iwf-mep-module".into()
        } else {
            "CSV list".into()
        },
        url: list.source_url.clone(),
        licence: None,
        file: file_name(path),
    }
}

/// Joins sources into a directory, newest data last.
#[derive(Debug, Default)]
pub struct Builder {
    meps: Vec<Mep>,
    sources: Vec<Source>,
}

impl Builder {
    /// Starts from the EP full list.
    pub fn from_ep_xml(records: Vec<ep_xml::XmlMep>, source: Source, origin: &str) -> Result<Self, DirectoryError> {
        let mut meps = Vec::with_capacity(records.len());
        for r in records {
            let Some(country) = countries::resolve(&r.country) else {
                return Err(DirectoryError::field(
                    origin,
                    &r.id,
                    "<country>",
                    format!("\"{}\" is not a country Hemicycle knows", r.country),
                ));
            };
            let (given, family) = names::split_full_name(&r.full_name);
            meps.push(Mep {
                given_name: names::case_given_name(&given),
                family_name: names::case_family_name(&family, &country),
                full_name: r.full_name,
                id: r.id,
                group: groups::resolve(&r.group),
                national_party: Some(r.national_party).filter(|p| !p.is_empty()),
                country,
                email: None,
                email_is_guess: false,
                committees: Vec::new(),
                committees_known: false,
                languages: Vec::new(),
                gender: None,
                honorific: None,
            });
        }
        Ok(Self {
            meps,
            sources: vec![source],
        })
    }

    /// Starts from a complete CSV list (an NGO's own, another parliament's).
    pub fn from_csv(list: csv_list::CsvList, source: Source) -> Self {
        Self {
            meps: list.meps.into_iter().map(mep_from_csv).collect(),
            sources: vec![source],
        }
    }

    /// Adds committee seats; MEPs the source does not list are marked as
    /// having unknown committees.
    pub fn add_committees(&mut self, seats: &HashMap<String, Vec<CommitteeSeat>>, source: Source) {
        for mep in &mut self.meps {
            if let Some(s) = seats.get(&mep.id) {
                mep.committees.clone_from(s);
                mep.committees_known = true;
            }
        }
        self.sources.push(source);
    }

    /// Adds e-mail addresses; a later source wins over an earlier one.
    pub fn add_emails(&mut self, emails: &HashMap<String, String>, source: Source) {
        for mep in &mut self.meps {
            if let Some(e) = emails.get(&mep.id) {
                mep.email = Some(e.clone());
                mep.email_is_guess = false;
            }
        }
        self.sources.push(source);
    }

    /// Adds the gender and honorific the portal records; MEPs the source
    /// does not list keep none (their greeting is the neutral one).
    pub fn add_genders(&mut self, records: &HashMap<String, gender_csv::GenderRecord>, source: Source) {
        for mep in &mut self.meps {
            if let Some(r) = records.get(&mep.id) {
                mep.gender = Some(r.gender);
                mep.honorific = r.honorific;
            }
        }
        self.sources.push(source);
    }

    /// Applies a newer roster of sitting MEPs: it decides who sits; its names,
    /// groups, countries and addresses replace older ones; MEPs it does not
    /// list have left; MEPs only it lists are added with what it knows.
    pub fn apply_roster(&mut self, list: csv_list::CsvList, source: Source) {
        let mut old: HashMap<String, Mep> = self.meps.drain(..).map(|m| (m.id.clone(), m)).collect();
        for row in list.meps {
            let newer = mep_from_csv(row);
            let merged = match old.remove(&newer.id) {
                None => newer,
                Some(mut m) => {
                    m.full_name = newer.full_name;
                    m.given_name = newer.given_name;
                    m.family_name = newer.family_name;
                    m.country = newer.country;
                    if !newer.group.is_empty() {
                        m.group = newer.group;
                    }
                    if newer.national_party.is_some() {
                        m.national_party = newer.national_party;
                    }
                    if newer.email.is_some() {
                        m.email = newer.email;
                        m.email_is_guess = newer.email_is_guess;
                    }
                    if newer.committees_known {
                        m.committees = newer.committees;
                        m.committees_known = true;
                    }
                    if newer.gender.is_some() {
                        m.gender = newer.gender;
                        m.honorific = newer.honorific;
                    }
                    m
                }
            };
            self.meps.push(merged);
        }
        self.sources.push(source);
    }

    /// The finished directory, sorted by family name, validated.
    pub fn finish(mut self, snapshot_date: &str, origin: &str) -> Result<Directory, DirectoryError> {
        self.meps.sort_by_cached_key(|m| (m.sort_key(), m.id.clone()));
        let dir = Directory {
            meps: self.meps,
            sources: self.sources,
            snapshot_date: snapshot_date.to_owned(),
        };
        dir.validate(origin)?;
        Ok(dir)
    }
}

fn mep_from_csv(row: csv_list::CsvMep) -> Mep {
    let (given, family) = match (&row.given_name, &row.family_name, &row.full_name) {
        (g, Some(f), _) => (g.clone().unwrap_or_default(), f.clone()),
        (_, None, Some(full)) => names::split_full_name(full),
        (g, None, None) => (g.clone().unwrap_or_default(), String::new()),
    };
    let full_name = row
        .full_name
        .unwrap_or_else(|| format!("{given} {family}").trim().to_owned());
    Mep {
        id: row.id,
        given_name: names::case_given_name(&given),
        family_name: names::case_family_name(&family, &row.country),
        full_name,
        group: row.group.unwrap_or_default(),
        national_party: row.national_party,
        email: row.email,
        email_is_guess: row.email_is_guess,
        committees_known: row.committees.is_some(),
        committees: row.committees.unwrap_or_default(),
        country: row.country,
        languages: row.languages,
        gender: row.gender,
        honorific: row.honorific,
    }
}

/// Which files to import, and in what role.
#[derive(Debug, Clone, Default)]
pub struct FilePlan {
    /// The EP full-list XML (the base list).
    pub ep_xml: Option<PathBuf>,
    /// A complete CSV list, instead of the EP XML.
    pub csv: Option<PathBuf>,
    /// Committee seats (the Parltrack-derived JSON).
    pub roles: Option<PathBuf>,
    /// E-mail sources, oldest first: JSON lists or CSV files with `id` and
    /// `email` columns.
    pub emails: Vec<PathBuf>,
    /// A newer CSV roster of sitting MEPs, applied after the e-mails.
    pub roster: Option<PathBuf>,
    /// Gender and honorific (a CSV with id, hasGender, hasHonorificPrefix),
    /// applied last.
    pub genders: Option<PathBuf>,
    /// The date of the newest data (YYYY-MM-DD); today if not given.
    pub snapshot_date: Option<String>,
}

/// Runs a [`FilePlan`]. Nothing is written: the caller saves the result.
pub fn import_files(plan: &FilePlan) -> Result<Directory, DirectoryError> {
    let today = chrono::Local::now().date_naive().to_string();
    let as_of = plan.snapshot_date.clone().unwrap_or(today);
    let mut builder = match (&plan.ep_xml, &plan.csv) {
        (Some(xml), _) => {
            let origin = xml.display().to_string();
            let records = ep_xml::parse(&read_text(xml)?, &origin)?;
            Builder::from_ep_xml(records, ep_xml_source(xml), &origin)?
        }
        (None, Some(csv)) => {
            let list = csv_list::parse(&read_text(csv)?, &csv.display().to_string())?;
            let source = csv_source(csv, &list, "Members and their details");
            Builder::from_csv(list, source)
        }
        (None, None) => match &plan.roster {
            Some(_) => Builder::default(),
            None => {
                return Err(DirectoryError::WrongKind {
                    expected: "A list of members (--ep-xml, --csv or --roster)",
                    found: "no list was given".into(),
                    origin: "the import command".into(),
                });
            }
        },
    };
    if let Some(roles) = &plan.roles {
        let seats = roles_json::parse(&read_text(roles)?, &roles.display().to_string(), &as_of)?;
        builder.add_committees(&seats, roles_source(roles));
    }
    for path in &plan.emails {
        let origin = path.display().to_string();
        let text = read_text(path)?;
        if text.trim_start().starts_with('[') {
            builder.add_emails(&emails_json::parse(&text, &origin)?, emails_json_source(path));
        } else {
            let list = csv_list::parse(&text, &origin)?;
            let source = csv_source(path, &list, "E-mail addresses");
            let map = list.meps.into_iter().filter_map(|m| Some((m.id, m.email?))).collect();
            builder.add_emails(&map, source);
        }
    }
    if let Some(roster) = &plan.roster {
        let list = csv_list::parse(&read_text(roster)?, &roster.display().to_string())?;
        let date = list.data_date.clone().unwrap_or_default();
        let provided = if date.is_empty() {
            "Sitting members, their groups and e-mail addresses".to_owned()
        } else {
            format!("Sitting members, their groups and e-mail addresses (as of {date})")
        };
        let source = csv_source(roster, &list, &provided);
        builder.apply_roster(list, source);
    }
    if let Some(genders) = &plan.genders {
        let records = gender_csv::parse(&read_text(genders)?, &genders.display().to_string())?;
        builder.add_genders(&records, gender_source(genders));
    }
    builder.finish(&as_of, "the imported directory")
}
