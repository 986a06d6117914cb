//! What shapes a letter beyond its text: the layout options, the wording of
//! the fixed phrases, labels, blocks switched off or replaced, co-signer
//! options, press-release fields and addressees who are not in the MEP
//! directory. Documented in `docs/campaign-format.md` and
//! `docs/templates.md`.
//!
//! Unknown options are refused (with the line and the allowed names), unlike
//! unknown top-level fields, which are kept for newer versions: a misspelt
//! option would otherwise be silently ignored.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Whether each recipient gets a letter of their own, or one letter goes to
/// all addressees (an open letter to two rapporteurs, with To and Cc).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    #[default]
    PerRecipient,
    OneLetter,
}

/// Someone who is not in the MEP directory: a Commissioner, a permanent
/// representation, a former MEP.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Addressee {
    /// "Executive Vice-President", "Ambassador".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title: String,
    pub name: String,
    /// Shown under the name: "European Commission".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// The greeting, when the language's default will not do.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub salutation: String,
    /// In one-letter mode: listed under Cc instead of To.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cc: bool,
}

impl Addressee {
    /// "Executive Vice-President Henna Virkkunen".
    pub fn display_name(&self) -> String {
        if self.title.is_empty() {
            self.name.clone()
        } else {
            format!("{} {}", self.title, self.name)
        }
    }

    /// The lines of an address block: the name with its title, then the role.
    pub fn address_lines(&self) -> Vec<String> {
        let mut lines = vec![self.display_name()];
        if !self.role.is_empty() {
            lines.push(self.role.clone());
        }
        lines
    }
}

/// How the date is written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateFormat {
    /// "23 November 2026", "23. November 2026".
    #[default]
    Long,
    /// "23/11/2026", "23.11.2026", "23-11-2026" as the language writes it.
    Numeric,
    /// "2026-11-23".
    Iso,
    /// "23rd November 2026" in English; the long date in languages that
    /// write the day so already ("23. November 2026").
    Ordinal,
    /// "November 23rd 2026" in English; the long date elsewhere.
    OrdinalMonthFirst,
}

/// How the demands are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DemandStyle {
    /// A heading per demand ("1. Title"), its body below.
    Headings,
    /// A heading per demand without its number ("Title").
    UnnumberedHeadings,
    /// A numbered list: "1. **Title.** body".
    Numbered,
    /// A bulleted list: "- **Title.** body".
    Bulleted,
}

/// One group of demands (`[[demand_groups]]`): its intro, its demands and
/// how they are laid out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DemandGroup {
    /// The paragraph before the group's demands ("We also ask you to:"),
    /// Markdown like a `[wording]` phrase; unset in the first group: the
    /// genre's `demands_intro`; `""`: none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    /// The ids of its demands, in the letter's order of the demands; empty:
    /// every demand no other group names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub demands: Vec<String>,
    /// Its layout; unset: `[layout] demands`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layout: Option<DemandStyle>,
}

/// How much of each demand's body the letter shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DemandBody {
    Full,
    FirstParagraph,
    None,
}

/// Where footnote markers go next to punctuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteMarkers {
    /// "… the Act.¹" (English, German, Dutch usage; Chicago, OSCOLA).
    AfterPunctuation,
    /// "… the Act¹." (French usage).
    BeforePunctuation,
    /// Where the template or demand wrote the citation.
    AsWritten,
}

/// Layout switches and styles. Each unset one takes the genre's default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Layout {
    /// The sending organisation's letterhead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letterhead: Option<bool>,
    /// Place and date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_line: Option<bool>,
    /// The reference number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<bool>,
    /// The To and Cc block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addressees: Option<bool>,
    /// The "Subject:" line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_format: Option<DateFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demands: Option<DemandStyle>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demand_body: Option<DemandBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note_markers: Option<NoteMarkers>,
    /// "Mr", "Frau", "Mme" before an MEP's name in the To block, from the
    /// honorific the directory records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mep_honorific: Option<bool>,
    /// ", Member of the European Parliament" after it, in the letter's
    /// language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mep_role: Option<bool>,
    /// "(Renew)" or "(Partidul Național Liberal)" after the name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mep_party: Option<PartySuffix>,
    /// Whether MEPs or named addressees come first in a To block that has
    /// both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addressee_order: Option<AddresseeOrder>,
}

/// Which party the To block names after an MEP.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartySuffix {
    #[default]
    None,
    /// The political group's short name: "(Renew)", "(Greens/EFA)".
    Group,
    /// The national party: "(Platforma Obywatelska)".
    National,
}

/// In a letter to MEPs and named addressees, who is listed first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddresseeOrder {
    #[default]
    MepsFirst,
    AddresseesFirst,
}

impl Layout {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// The fixed phrases of a letter, in Markdown, each may use the letter's
/// data like a subject line (`{{mep.name}}`). Unset: the genre's wording in
/// the letter's language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Wording {
    /// The greeting ("Dear Rapporteurs,"), instead of one made from the
    /// addressee's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salutation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opening: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demands_intro: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closing_formula: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signatories_heading: Option<String>,
    /// The `vote` block's paragraph for an MEP who voted for, against,
    /// abstained, did not vote, or was not in the Parliament then (`none`);
    /// each may use `{{roll_call.date}}`, `{{roll_call.title}}`,
    /// `{{roll_call.group}}`. Unset: the language's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vote_for: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vote_against: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vote_abstention: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vote_did_not_vote: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vote_none: Option<String>,
}

impl Wording {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Each phrase with its name, for the template engine and for checks.
    pub fn entries(&self) -> [(&'static str, Option<&String>); 12] {
        [
            ("salutation", self.salutation.as_ref()),
            ("opening", self.opening.as_ref()),
            ("context", self.context.as_ref()),
            ("demands_intro", self.demands_intro.as_ref()),
            ("closing", self.closing.as_ref()),
            ("closing_formula", self.closing_formula.as_ref()),
            ("signatories_heading", self.signatories_heading.as_ref()),
            ("vote_for", self.vote_for.as_ref()),
            ("vote_against", self.vote_against.as_ref()),
            ("vote_abstention", self.vote_abstention.as_ref()),
            ("vote_did_not_vote", self.vote_did_not_vote.as_ref()),
            ("vote_none", self.vote_none.as_ref()),
        ]
    }
}

/// Labels that replace the language's own ("Re" for "Subject").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LabelOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cc: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embargo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contacts: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes_to_editors: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub individuals: Option<String>,
}

impl LabelOverrides {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A block replaced by a file of the user's, switched off, or added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum BlockSetting {
    /// `false` leaves the genre's block out (`true` is refused: it would
    /// change nothing).
    On(bool),
    /// A `.md.hbs` file, relative to the campaign file.
    File(PathBuf),
    /// `[blocks.NAME]` with `after` or `before`: a block added (or moved).
    Insert(InsertedBlock),
}

impl BlockSetting {
    /// The file the setting reads, if any.
    pub fn file(&self) -> Option<&PathBuf> {
        match self {
            Self::File(p) => Some(p),
            Self::Insert(i) => i.file.as_ref(),
            Self::On(_) => None,
        }
    }

    pub fn file_mut(&mut self) -> Option<&mut PathBuf> {
        match self {
            Self::File(p) => Some(p),
            Self::Insert(i) => i.file.as_mut(),
            Self::On(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for BlockSetting {
    /// `true`/`false`, a file, or a table; a table's own mistakes (an
    /// unknown key) are told as such, not as "matches no variant".
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            On(bool),
            File(PathBuf),
            Table(toml::Table),
        }
        match Raw::deserialize(deserializer)? {
            Raw::On(on) => Ok(Self::On(on)),
            Raw::File(file) => Ok(Self::File(file)),
            Raw::Table(table) => InsertedBlock::deserialize(toml::Value::Table(table))
                .map(Self::Insert)
                .map_err(|e| serde::de::Error::custom(e.message())),
        }
    }
}

/// A block added to the genre (`[blocks.why-now] after = "demands"`): the
/// bundled block of that name, a file, or a section of a heading and text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InsertedBlock {
    /// The block it follows.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub after: String,
    /// The block it precedes.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub before: String,
    /// A `.md.hbs` file, relative to the campaign file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    /// A section's heading (plain text).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub heading: String,
    /// A section's text: Markdown, with citations and the letter's data
    /// like a `[wording]` phrase.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
}

impl InsertedBlock {
    /// A section of its own (heading and text), not a bundled block or file.
    pub fn is_section(&self) -> bool {
        self.file.is_none() && !(self.heading.trim().is_empty() && self.text.trim().is_empty())
    }
}

/// `[blocks]`: block name → setting.
pub type Blocks = BTreeMap<String, BlockSetting>;

/// In which order co-signers are listed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatoryOrder {
    /// As the campaign lists them.
    Given,
    /// By name, ignoring case and accents.
    #[default]
    Sorted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignatoryOptions {
    pub order: SignatoryOrder,
    /// "(BE)" after an organisation's name.
    pub show_country: bool,
    /// Two columns of names, or one paragraph, comma-separated.
    #[serde(skip_serializing_if = "CosignerForm::is_columns")]
    pub form: CosignerForm,
}

/// How the co-signers are listed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CosignerForm {
    /// Two columns of names under each heading.
    #[default]
    Columns,
    /// One paragraph per heading: "A (BE), B (NL), C (DK)".
    Paragraph,
}

impl CosignerForm {
    pub fn is_columns(&self) -> bool {
        *self == Self::Columns
    }
}

impl Default for SignatoryOptions {
    fn default() -> Self {
        Self {
            order: SignatoryOrder::Sorted,
            show_country: true,
            form: CosignerForm::Columns,
        }
    }
}

impl SignatoryOptions {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// Whether a co-signer is an organisation or a person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CosignerKind {
    #[default]
    Organisation,
    Person,
}

impl CosignerKind {
    pub fn is_organisation(&self) -> bool {
        *self == CosignerKind::Organisation
    }
}

/// A quote in a press release.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Quote {
    pub speaker: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub organisation: String,
    pub text: String,
}

/// A press contact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub organisation: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub phone: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
}

/// The fields of a press release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Press {
    /// The headline; the subject when empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub headline: String,
    /// "Embargoed until 10:00 CET, 3 March 2026".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub embargo: String,
    /// The first paragraph (Markdown).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lead: String,
    /// "ENDS"; empty for none.
    pub end_mark: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<Quote>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes_to_editors: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
}

impl Default for Press {
    fn default() -> Self {
        Self {
            headline: String::new(),
            embargo: String::new(),
            lead: String::new(),
            end_mark: "ENDS".to_owned(),
            quotes: Vec::new(),
            notes_to_editors: Vec::new(),
            contacts: Vec::new(),
        }
    }
}

impl Press {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}
