//! A campaign in several languages: `[languages]` (which MEP gets which
//! language, and what happens when a translation is missing) and
//! `[translations.CODE]` (the campaign's texts in another language). A
//! demand carries its own translations (`[demands.translations.CODE]`), in
//! the demand set or the campaign that holds it. Documented in
//! `docs/campaign-format.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Blocks, Extra, LabelOverrides, Wording};
use crate::directory::Mep;
use crate::language::Language;

/// `[languages]`: how each recipient's language is chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Languages {
    #[serde(skip_serializing_if = "is_default_rule")]
    pub rule: Rule,
    #[serde(skip_serializing_if = "is_default_missing")]
    pub missing: Missing,
    /// A language chosen for one MEP (EP id → code), before the rule.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub meps: BTreeMap<String, String>,
}

impl Languages {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// Which language a recipient's letter is in when no choice was made for
/// them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// An official language of the MEP's country that the campaign has a
    /// text in (the first in the country's order); else the campaign's
    /// `language`.
    #[default]
    Country,
    /// Every letter in the campaign's `language` (unless chosen per MEP).
    Default,
}

/// What happens when a letter's language lacks a text the letter needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    /// The letter is not written; the error lists what is missing.
    #[default]
    Error,
    /// The whole letter is written in the campaign's `language` instead
    /// (never a letter in two languages).
    Fallback,
}

#[allow(clippy::trivially_copy_pass_by_ref, reason = "serde passes a reference")]
fn is_default_rule(r: &Rule) -> bool {
    *r == Rule::default()
}

#[allow(clippy::trivially_copy_pass_by_ref, reason = "serde passes a reference")]
fn is_default_missing(m: &Missing) -> bool {
    *m == Missing::default()
}

/// `[translations.CODE]`: the campaign's texts in one more language. What
/// is left out is missing (`hemicycle check` lists it); labels and the
/// closing formula come from the language itself unless given here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Translation {
    /// The campaign's title (the subject when there are no subjects).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// A template file for this language (else the campaign's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    #[serde(skip_serializing_if = "Wording::is_empty")]
    pub wording: Wording,
    /// The press release's lead paragraph.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lead: String,
    #[serde(skip_serializing_if = "LabelOverrides::is_empty")]
    pub labels: LabelOverrides,
    /// Block files in this language, for the blocks the campaign replaces.
    #[serde(skip_serializing_if = "Blocks::is_empty")]
    pub blocks: Blocks,
    /// The intros of the campaign's demand groups in this language, group
    /// by group (their demands and layout are the campaign's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub demand_groups: Vec<super::DemandGroup>,
    /// The volunteer's questions in this language, by prompt id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub prompts: BTreeMap<String, PromptText>,
    /// The original each text was translated from, by the text's id
    /// (`title`, `subjects.1`, `wording.opening`, `wording.lead`,
    /// `prompts.why.question`): its [`source_hash`]. Written by `translate
    /// import` and by the app when a translation is typed; a text without
    /// one cannot be told out of date.
    #[serde(rename = "source-hash", skip_serializing_if = "BTreeMap::is_empty")]
    pub source_hash: BTreeMap<String, String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A volunteer's question in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PromptText {
    pub question: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hint: String,
}

impl Translation {
    /// Records that text `id` was translated from `original` as it is now.
    pub fn record_source(&mut self, id: &str, original: &str) {
        self.source_hash.insert(id.to_owned(), source_hash(original));
    }
}

impl DemandText {
    /// Records that `field` (`title` or `body`) was translated from
    /// `original` as it is now.
    pub fn record_source(&mut self, field: &str, original: &str) {
        self.source_hash.insert(field.to_owned(), source_hash(original));
    }
}

/// A demand in one language (`[demands.translations.CODE]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DemandText {
    pub title: String,
    pub body: String,
    /// The original title and text this was translated from (`title`,
    /// `body`): their [`source_hash`].
    #[serde(rename = "source-hash", skip_serializing_if = "BTreeMap::is_empty")]
    pub source_hash: BTreeMap<String, String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// What a translation records of the original it was made from: the first
/// 16 hex digits of the SHA-256 of the original's text, its line ends made
/// `\n` and its ends trimmed (so the way a TOML file quotes it does not
/// matter).
pub fn source_hash(original: &str) -> String {
    let text = original.replace("\r\n", "\n");
    let digest = ring::digest::digest(&ring::digest::SHA256, text.trim().as_bytes());
    let mut hex = String::with_capacity(16);
    for b in &digest.as_ref()[..8] {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// Whether a translated text is up to date with its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Translated from the original as it is now.
    Current,
    /// The original changed since the translation was made.
    Changed,
    /// The file does not say what the translation was made from (written
    /// before Hemicycle recorded it): taken as current.
    Unrecorded,
}

/// How `recorded` (a text's `source-hash`, if any) stands to `original`.
pub fn freshness(recorded: Option<&String>, original: &str) -> Freshness {
    match recorded {
        None => Freshness::Unrecorded,
        Some(h) if h.trim().eq_ignore_ascii_case(&source_hash(original)) => Freshness::Current,
        Some(_) => Freshness::Changed,
    }
}

/// The languages a campaign writes in: its own first, then its
/// translations' in the order of their codes.
pub fn languages(default: Language, translations: &BTreeMap<String, Translation>) -> Vec<Language> {
    let mut list = vec![default];
    for code in translations.keys() {
        if let Some(l) = Language::parse(code)
            && !list.contains(&l)
        {
            list.push(l);
        }
    }
    list
}

impl super::Campaign {
    /// The languages this campaign has texts in: its `language`, then
    /// those of `[translations]`.
    pub fn languages(&self) -> Vec<Language> {
        languages(self.letter_language(), &self.translations)
    }

    /// The translation into `language`, if the campaign has one.
    pub fn translation(&self, language: Language) -> Option<&Translation> {
        self.translations
            .iter()
            .find(|(code, _)| Language::parse(code) == Some(language))
            .map(|(_, t)| t)
    }

    /// The language the rule gives `mep`, before any check that its texts
    /// are all there: the choice made for them, or an official language of
    /// their country that the campaign has, or the campaign's own.
    pub fn language_for(&self, mep: &Mep) -> Language {
        if let Some(chosen) = self.chosen_language(&mep.id) {
            return chosen;
        }
        self.rule_language_for(mep)
    }

    /// The language chosen for one MEP (`[languages.meps]`), if any.
    pub fn chosen_language(&self, id: &str) -> Option<Language> {
        self.languages.meps.get(id).and_then(|c| Language::parse(c))
    }

    /// The language the rule alone gives `mep`, without a choice made for
    /// them.
    pub fn rule_language_for(&self, mep: &Mep) -> Language {
        let default = self.letter_language();
        if self.languages.rule == Rule::Country {
            let have = self.languages();
            if let Some(l) = Language::of_country(&mep.country)
                .into_iter()
                .find(|l| have.contains(l))
            {
                return l;
            }
        }
        default
    }

    /// The campaign as its letters in `language` see it: the translated
    /// texts in place of the originals, `language` as its language, and no
    /// translations or choices of its own. `None` when the campaign has no
    /// translation into `language` (and it is not its own language).
    pub fn in_language(&self, language: Language) -> Option<super::Campaign> {
        if language == self.letter_language() {
            return Some(self.clone());
        }
        let t = self.translation(language)?;
        let mut c = self.clone();
        language.code().clone_into(&mut c.language);
        if !t.title.trim().is_empty() {
            c.title.clone_from(&t.title);
        }
        c.subjects.clone_from(&t.subjects);
        if let Some(template) = &t.template {
            c.template.clone_from(template);
        }
        c.wording = t.wording.clone();
        // The phrases the older `[vars]` held are the original language's.
        for key in ["opening", "closing", "context", "lead"] {
            c.vars.remove(key);
        }
        c.press.lead.clone_from(&t.lead);
        c.labels = t.labels.clone();
        for (name, file) in &t.blocks {
            c.blocks.insert(name.clone(), file.clone());
        }
        // The groups stay the campaign's; a translation gives their intros.
        for (group, own) in c.demand_groups.iter_mut().zip(&t.demand_groups) {
            if own.intro.is_some() {
                group.intro.clone_from(&own.intro);
            }
        }
        for p in &mut c.volunteer.prompts {
            if let Some(own) = t.prompts.get(&p.id) {
                p.question.clone_from(&own.question);
                p.hint.clone_from(&own.hint);
            }
        }
        c.translations.clear();
        c.languages = Languages {
            rule: Rule::Default,
            ..Languages::default()
        };
        Some(c)
    }
}

impl super::Demand {
    /// This demand in `language`: its translation's title and body where
    /// they are given (an empty one, as a partial XLIFF import leaves,
    /// keeps the original). `None` when it has none.
    pub fn in_language(&self, language: Language) -> Option<super::Demand> {
        let t = self.translation(language)?;
        let mut d = self.clone();
        if !t.title.trim().is_empty() {
            d.title.clone_from(&t.title);
        }
        if !t.body.trim().is_empty() {
            d.body.clone_from(&t.body);
        }
        d.translations.clear();
        Some(d)
    }

    /// Its translation into `language`.
    pub fn translation(&self, language: Language) -> Option<&DemandText> {
        self.translations
            .iter()
            .find(|(code, _)| Language::parse(code) == Some(language))
            .map(|(_, t)| t)
    }
}

/// Block files named in a translation, resolved like the campaign's.
pub fn block_files(t: &Translation) -> impl Iterator<Item = &PathBuf> {
    t.blocks.values().filter_map(super::BlockSetting::file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_hash_ignores_how_the_file_quotes_the_text() {
        let h = source_hash("Ban profiling [@a].");
        assert_eq!(h.len(), 16);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(source_hash("\nBan profiling [@a].\r\n"), h);
        assert_ne!(source_hash("Ban profiling [@b]."), h);
        assert_eq!(freshness(Some(&h), "Ban profiling [@a].\n"), Freshness::Current);
        assert_eq!(
            freshness(Some(&h.to_uppercase()), "Ban profiling [@a]."),
            Freshness::Current
        );
        assert_eq!(freshness(Some(&h), "Ban profiling [@a]. More."), Freshness::Changed);
        assert_eq!(freshness(None, "Ban profiling [@a]."), Freshness::Unrecorded);
    }

    #[test]
    fn recorded_hashes_are_written_beside_the_texts_and_read_back() {
        let mut t = DemandText {
            title: "Verbot".into(),
            ..DemandText::default()
        };
        t.record_source("title", "Ban");
        let text = toml::to_string(&t).expect("toml");
        assert!(
            text.contains("[source-hash]") && text.contains(&format!("title = \"{}\"", source_hash("Ban"))),
            "{text}"
        );
        let back: DemandText = toml::from_str(&text).expect("read back");
        assert_eq!(back, t);
        assert!(back.extra.is_empty());
    }
}
