//! The MEP directory: who sits in the Parliament, how to address them, and
//! where the data came from.
//!
//! No egui here. The bundled snapshot (`assets/directory/meps.json`) is made
//! by this module's importers (`import`), loaded by [`Directory::load`], and
//! filtered by [`query::Query`]. User corrections live apart from any snapshot
//! ([`overrides::Overrides`]) so a refresh never erases them.

pub mod committees;
pub mod countries;
pub(crate) mod error;
pub mod groups;
pub mod import;
pub mod names;
pub mod overrides;
pub mod query;
mod snapshot;

use serde::{Deserialize, Serialize};

pub use error::DirectoryError;
pub use snapshot::{BUNDLED_SNAPSHOT, FORMAT_NAME, FORMAT_VERSION, Origin, load_active};

/// Line and column (1-based) of a byte offset in `text`.
pub fn error_line_col(text: &str, offset: usize) -> (usize, usize) {
    crate::util::line_col(text, offset)
}

/// A plausible e-mail address (one `@`, a dotted domain, no spaces).
pub fn import_valid_email(email: &str) -> bool {
    import::valid_email(email)
}

/// A committee seat of one MEP.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CommitteeSeat {
    /// The committee's acronym ("LIBE").
    pub code: String,
    pub role: Role,
}

impl CommitteeSeat {
    /// "LIBE — Civil Liberties, Justice and Home Affairs — member".
    pub fn label(&self) -> String {
        format!("{} — {}", committees::label(&self.code), self.role)
    }
}

/// The role of an MEP on a committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Chair,
    ViceChair,
    Member,
    Substitute,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Chair, Role::ViceChair, Role::Member, Role::Substitute];

    /// Parses the spellings used by the EP, Parltrack and the Open Data Portal
    /// ("Vice-Chair", "vice_chair", "MEMBER_SUBSTITUTE", …).
    pub fn parse(text: &str) -> Option<Role> {
        let norm: String = text
            .trim()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        match norm.as_str() {
            "chair" | "chairman" | "chairwoman" => Some(Role::Chair),
            "vicechair" | "chairvice" | "vicechairman" | "vicechairwoman" => Some(Role::ViceChair),
            "member" | "full" | "fullmember" => Some(Role::Member),
            "substitute" | "membersubstitute" | "sub" => Some(Role::Substitute),
            _ => None,
        }
    }

    /// The lower-case name used on the command line and in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::ViceChair => "vice-chair",
            Role::Member => "member",
            Role::Substitute => "substitute",
        }
    }

    /// True for roles that carry a vote on the committee (everyone but
    /// substitutes).
    pub fn is_full_member(self) -> bool {
        !matches!(self, Role::Substitute)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One Member of the European Parliament (or of another legislature, when
/// imported from CSV).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mep {
    /// The EP identifier (`https://www.europarl.europa.eu/meps/en/{id}`), or
    /// the identifier of an imported list.
    pub id: String,
    /// The name as the source writes it: "Kim VAN SPARRENTAK".
    pub full_name: String,
    /// Given name(s), properly cased: "Kim".
    pub given_name: String,
    /// Family name, properly cased for letters: "van Sparrentak".
    pub family_name: String,
    /// ISO 3166-1 alpha-2 code: "NL".
    pub country: String,
    /// Political group short code ("Greens/EFA"); see [`groups`].
    #[serde(default)]
    pub group: String,
    /// National party, where a source gives it.
    #[serde(default)]
    pub national_party: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// True when `email` is a guess from the address pattern, not a published
    /// address: shown as such wherever it appears.
    #[serde(default)]
    pub email_is_guess: bool,
    /// Current committee seats, one per committee.
    #[serde(default)]
    pub committees: Vec<CommitteeSeat>,
    /// False when no source said which committees this MEP sits on (for
    /// example an MEP who joined after the committee data was taken).
    #[serde(default = "yes")]
    pub committees_known: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// The gender the European Parliament records, for greetings in the
    /// languages that need it; `None` when no source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// The honorific the European Parliament records ("Ms", "Mr").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific: Option<Honorific>,
}

/// An MEP's gender as the European Parliament's Open Data Portal records it
/// (`hasGender`: FEMALE, MALE, or NKN, "not known").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gender {
    Female,
    Male,
    NotKnown,
}

impl Gender {
    pub const ALL: [Gender; 3] = [Gender::Female, Gender::Male, Gender::NotKnown];

    /// Reads the portal's codes ("FEMALE", "…/human-sex/MALE", "NKN") and
    /// Hemicycle's own names ("female", "male", "not-known").
    pub fn parse(text: &str) -> Option<Gender> {
        let code = text.trim().rsplit('/').next().unwrap_or_default().to_ascii_lowercase();
        match code.as_str() {
            "female" | "f" => Some(Gender::Female),
            "male" | "m" => Some(Gender::Male),
            "nkn" | "not-known" | "not known" | "unknown" => Some(Gender::NotKnown),
            _ => None,
        }
    }

    /// "female", "male", "not-known": the name in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::NotKnown => "not-known",
        }
    }

    /// "female", "male", "not known": as the app shows it.
    pub fn label(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::NotKnown => "not known",
        }
    }
}

/// An MEP's honorific as the portal records it (`hasHonorificPrefix`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Honorific {
    Ms,
    Mr,
}

impl Honorific {
    pub const ALL: [Honorific; 2] = [Honorific::Ms, Honorific::Mr];

    /// Reads "MS", "…/honorific/MR", "Ms", "mr".
    pub fn parse(text: &str) -> Option<Honorific> {
        let code = text.trim().rsplit('/').next().unwrap_or_default();
        match code.to_ascii_lowercase().as_str() {
            "ms" => Some(Honorific::Ms),
            "mr" => Some(Honorific::Mr),
            _ => None,
        }
    }

    /// "Ms", "Mr".
    pub fn as_str(self) -> &'static str {
        match self {
            Honorific::Ms => "Ms",
            Honorific::Mr => "Mr",
        }
    }
}

fn yes() -> bool {
    true
}

impl Mep {
    /// "Kim van Sparrentak": the name for letters and lists.
    pub fn display_name(&self) -> String {
        match (self.given_name.is_empty(), self.family_name.is_empty()) {
            (false, false) => format!("{} {}", self.given_name, self.family_name),
            (true, false) => self.family_name.clone(),
            (false, true) => self.given_name.clone(),
            (true, true) => self.full_name.clone(),
        }
    }

    /// The MEP's role on `committee` (an acronym, any case), if any.
    pub fn committee_role(&self, committee: &str) -> Option<Role> {
        self.committees
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(committee))
            .map(|c| c.role)
    }

    /// The MEP's page on the European Parliament's site, for the EP's
    /// numeric ids only (not for named addressees or imported lists).
    pub fn ep_page_url(&self) -> Option<String> {
        let id = self.id.trim();
        (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            .then(|| format!("https://www.europarl.europa.eu/meps/en/{id}"))
    }

    /// The English name of the MEP's country ("Netherlands").
    pub fn country_name(&self) -> &str {
        countries::by_code(&self.country).map_or(self.country.as_str(), |c| c.name)
    }

    /// The full name of the MEP's political group.
    pub fn group_name(&self) -> &str {
        groups::by_code(&self.group).map_or(self.group.as_str(), |g| g.name)
    }

    /// A key that sorts by family name the way a reader expects, ignoring
    /// particles' case and diacritics.
    pub fn sort_key(&self) -> String {
        let family = names::strip_leading_particles(&self.family_name);
        query::fold(&format!("{family} {}", self.given_name))
    }
}

/// Where a directory's data came from: shown in the app and in every export
/// of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// What this source supplied ("Members, countries, groups and parties").
    pub provided: String,
    /// Who published the data ("European Parliament").
    pub publisher: String,
    #[serde(default)]
    pub url: Option<String>,
    /// The licence or terms of reuse.
    #[serde(default)]
    pub licence: Option<String>,
    /// The file or request the importer read.
    #[serde(default)]
    pub file: Option<String>,
}

/// A set of MEPs with its provenance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub meps: Vec<Mep>,
    /// Attribution of every source the importer read.
    pub sources: Vec<Source>,
    /// The date of the newest data in the snapshot (YYYY-MM-DD).
    pub snapshot_date: String,
}

impl Directory {
    /// The MEP with this id.
    pub fn get(&self, id: &str) -> Option<&Mep> {
        self.meps.iter().find(|m| m.id == id)
    }

    /// Every distinct committee code, sorted.
    pub fn committee_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .meps
            .iter()
            .flat_map(|m| m.committees.iter().map(|c| c.code.clone()))
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// Checks invariants that every importer and loader relies on: ids are
    /// unique and not empty, every MEP has a name and a country.
    pub fn validate(&self, origin: &str) -> Result<(), DirectoryError> {
        let mut seen = std::collections::HashSet::new();
        for mep in &self.meps {
            if mep.id.trim().is_empty() {
                return Err(DirectoryError::missing(origin, &mep.full_name, "id"));
            }
            if !seen.insert(mep.id.as_str()) {
                return Err(DirectoryError::DuplicateId {
                    id: mep.id.clone(),
                    origin: origin.to_owned(),
                });
            }
            if mep.full_name.trim().is_empty() && mep.family_name.trim().is_empty() {
                return Err(DirectoryError::missing(origin, &mep.id, "name"));
            }
            if mep.country.trim().is_empty() {
                return Err(DirectoryError::missing(origin, &mep.id, "country"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_eps_numeric_ids_link_to_the_parliaments_site() {
        let dir = Directory::bundled().expect("bundled directory");
        let mut mep = dir.get("197870").expect("Kim van Sparrentak").clone();
        assert_eq!(
            mep.ep_page_url().as_deref(),
            Some("https://www.europarl.europa.eu/meps/en/197870")
        );
        for id in ["addressee-teresa-ribera", "", "12a4", "csv-17"] {
            mep.id = id.to_owned();
            assert_eq!(mep.ep_page_url(), None, "{id:?}");
        }
    }

    #[test]
    fn a_seat_reads_with_the_committees_name_and_the_role() {
        let seat = CommitteeSeat {
            code: "LIBE".into(),
            role: Role::ViceChair,
        };
        assert_eq!(
            seat.label(),
            "LIBE — Civil Liberties, Justice and Home Affairs — vice-chair"
        );
        let unknown = CommitteeSeat {
            code: "PEGA".into(),
            role: Role::Member,
        };
        assert_eq!(unknown.label(), "PEGA — member");
    }
}
