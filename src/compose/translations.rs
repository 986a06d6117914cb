//! A letter per recipient in its language: which language each letter is
//! written in (the campaign's rule, then whether that language's texts are
//! all there), what is missing in each language, what a translation changed
//! that it must not, and the composer that writes in a translation (made
//! once per language and kept while the campaign stays the same).

use std::sync::Arc;

use super::codes;
use super::{ComposeError, Composer, WORDING_KEYS, wording_name};
use crate::campaign::{self, BlockSetting, Campaign, Demand, Missing, Mode};
use crate::directory::Mep;
use crate::language::Language;

/// A composer for one translation, and what it was made from.
#[derive(Debug)]
pub(super) struct Localized {
    campaign: Campaign,
    demands: Vec<Demand>,
    revision: u64,
    composer: Arc<Composer>,
}

/// What one translation of a campaign lacks or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationProblems {
    pub language: Language,
    /// Texts its letters need ([`Composer::missing_texts`]).
    pub missing: Vec<String>,
    /// The volunteer's questions without a translation (they do not stop a
    /// letter).
    pub prompts: Vec<String>,
    /// What a translation changed ([`Composer::changed_codes`]).
    pub changed: Vec<String>,
}

/// "French (fr)".
pub fn describe(language: Language) -> String {
    format!("{} ({})", language.english_name(), language.code())
}

/// Phrases whose default comes from the language itself, not the genre.
const FROM_LANGUAGE: &[&str] = &["closing_formula", "signatories_heading", "salutation"];

impl Composer {
    /// The language the campaign's rule gives `mep`'s letter (in one-letter
    /// mode, the campaign's own).
    pub fn language_of(&self, mep: &Mep) -> Language {
        if self.campaign.recipients.mode == Mode::OneLetter {
            return self.campaign.letter_language();
        }
        self.campaign.language_for(mep)
    }

    /// The language `mep`'s letter is written in: the rule's, or — when
    /// that language lacks texts and the campaign says `missing =
    /// "fallback"` — the campaign's own. An error lists what is missing.
    pub fn writing_language(&self, mep: &Mep) -> Result<Language, ComposeError> {
        let language = self.language_of(mep);
        let default = self.campaign.letter_language();
        if language == default {
            return Ok(language);
        }
        let missing = self.missing_texts(language);
        if missing.is_empty() {
            return Ok(language);
        }
        match self.campaign.languages.missing {
            Missing::Fallback => Ok(default),
            Missing::Error => Err(ComposeError::MissingTranslation {
                language: describe(language),
                default: default.english_name().to_owned(),
                missing: missing.join("; "),
            }),
        }
    }

    /// What a letter in `language` needs and the campaign does not have in
    /// it, in words ("demand \"ban\" has no French title"); empty when
    /// nothing is missing (and always for the campaign's own language).
    pub fn missing_texts(&self, language: Language) -> Vec<String> {
        let c = &self.campaign;
        if language == c.letter_language() {
            return Vec::new();
        }
        let name = language.english_name();
        let Some(t) = c.translation(language) else {
            return vec![format!(
                "the campaign has no {name} texts; add [translations.{}]",
                language.code()
            )];
        };
        let mut out = Vec::new();
        if !c.subjects.is_empty() && t.subjects.iter().all(|s| s.trim().is_empty()) {
            out.push(format!("the subject lines have no {name} translation"));
        }
        if c.subjects.is_empty() && t.title.trim().is_empty() {
            out.push(format!("the title (the letter's subject) has no {name} translation"));
        }
        // The genre's own phrases are English: another language needs its own.
        let english = language == Language::ENGLISH;
        for (key, _, own) in original_phrases(&self.campaign) {
            let have = if key == "lead" {
                Some(&t.lead)
            } else {
                t.wording
                    .entries()
                    .into_iter()
                    .find(|(k, _)| *k == key)
                    .and_then(|(_, v)| v)
            };
            if (own || !english) && have.is_none_or(|h| h.trim().is_empty()) {
                out.push(format!("the phrase [wording] {key} has no {name} translation"));
            }
        }
        for (block, setting) in &c.blocks {
            if matches!(setting, BlockSetting::File(_)) && !matches!(t.blocks.get(block), Some(BlockSetting::File(_))) {
                out.push(format!("the block \"{block}\" has no {name} file"));
            }
        }
        for d in &self.demands {
            let tr = d.translation(language);
            if tr.is_none_or(|t| t.title.trim().is_empty()) {
                out.push(format!("demand \"{}\" has no {name} title", d.id));
            }
            if !d.body.trim().is_empty() && tr.is_none_or(|t| t.body.trim().is_empty()) {
                out.push(format!("demand \"{}\" has no {name} text", d.id));
            }
        }
        out
    }

    /// The volunteer's questions that have no translation into `language`.
    pub fn missing_prompts(&self, language: Language) -> Vec<String> {
        let c = &self.campaign;
        let Some(t) = c.translation(language).filter(|_| language != c.letter_language()) else {
            return Vec::new();
        };
        c.volunteer
            .prompts
            .iter()
            .filter(|p| t.prompts.get(&p.id).is_none_or(|q| q.question.trim().is_empty()))
            .map(|p| {
                format!(
                    "the volunteer's question \"{}\" has no {} translation",
                    p.id,
                    language.english_name()
                )
            })
            .collect()
    }

    /// Each translated text into `language` that drops or changes a
    /// citation key, a note or a Handlebars expression of its original:
    /// "French (fr), demand \"ban\" text: the citation [@a] is missing".
    pub fn changed_codes(&self, language: Language) -> Vec<String> {
        let c = &self.campaign;
        let Some(t) = c.translation(language).filter(|_| language != c.letter_language()) else {
            return Vec::new();
        };
        let mut pairs: Vec<(String, String, String)> = Vec::new();
        if c.subjects.len() == t.subjects.len() {
            for (i, (o, tr)) in c.subjects.iter().zip(&t.subjects).enumerate() {
                pairs.push((format!("subject line {}", i + 1), o.clone(), tr.clone()));
            }
        }
        for (key, original, _) in original_phrases(&self.campaign) {
            let have = if key == "lead" {
                Some(t.lead.clone()).filter(|l| !l.is_empty())
            } else {
                t.wording
                    .entries()
                    .into_iter()
                    .find(|(k, _)| *k == key)
                    .and_then(|(_, v)| v.cloned())
            };
            if let Some(have) = have {
                pairs.push((format!("[wording] {key}"), original, have));
            }
        }
        for d in &self.demands {
            if let Some(tr) = d.translation(language) {
                pairs.push((format!("demand \"{}\" title", d.id), d.title.clone(), tr.title.clone()));
                pairs.push((format!("demand \"{}\" text", d.id), d.body.clone(), tr.body.clone()));
            }
        }
        let mut out = Vec::new();
        for (id, original, translation) in pairs {
            if translation.trim().is_empty() {
                continue;
            }
            for change in codes::compare(&original, &translation) {
                out.push(format!("{}, {id}: {change}", describe(language)));
            }
        }
        out
    }

    /// The composer that writes letters in `language` (a translation of
    /// this campaign): kept while the campaign, its demands and templates
    /// stay as they were.
    pub(super) fn in_language(&self, language: Language) -> Result<Arc<Composer>, ComposeError> {
        let revision = self.templates.revision();
        if let Ok(cache) = self.localized.lock()
            && let Some(l) = cache.get(&language)
            && l.revision == revision
            && l.campaign == self.campaign
            && l.demands == self.demands
        {
            return Ok(Arc::clone(&l.composer));
        }
        let changed = self.changed_codes(language);
        if !changed.is_empty() {
            return Err(ComposeError::ChangedCodes {
                changes: changed.join("\n    "),
            });
        }
        let composer = Arc::new(self.build_in(language)?);
        if let Ok(mut cache) = self.localized.lock() {
            cache.insert(
                language,
                Localized {
                    campaign: self.campaign.clone(),
                    demands: self.demands.clone(),
                    revision,
                    composer: Arc::clone(&composer),
                },
            );
        }
        Ok(composer)
    }

    fn build_in(&self, language: Language) -> Result<Composer, ComposeError> {
        let Some(campaign) = self.campaign.in_language(language) else {
            return Err(ComposeError::MissingTranslation {
                language: describe(language),
                default: self.campaign.letter_language().english_name().to_owned(),
                missing: format!("the campaign has no [translations.{}]", language.code()),
            });
        };
        let demands = self
            .demands
            .iter()
            .map(|d| d.in_language(language).unwrap_or_else(|| d.clone()))
            .collect();
        let mut templates = self.templates.clone();
        for key in WORDING_KEYS {
            templates.remove(&wording_name(key));
        }
        if campaign::has_extension(&campaign.template, "hbs") {
            templates.add_file(&campaign::resolve(&self.path, std::path::Path::new(&campaign.template)))?;
        }
        super::apply_blocks(&mut templates, &campaign, &self.path)?;
        let mut composer = Composer {
            campaign,
            path: self.path.clone(),
            demands,
            demand_origins: self.demand_origins.clone(),
            library: self.library.clone(),
            library_files: self.library_files.clone(),
            style: self.style.clone(),
            templates,
            addressees: self.addressees.clone(),
            notes_cache: std::sync::Mutex::default(),
            localized: std::sync::Mutex::default(),
        };
        composer.add_wording()?;
        composer.templates.check_recursion()?;
        composer.template_name()?;
        Ok(composer)
    }

    /// Every problem of the campaign's translations, language by language.
    pub fn translation_problems(&self) -> Vec<TranslationProblems> {
        self.campaign
            .languages()
            .into_iter()
            .skip(1)
            .map(|language| TranslationProblems {
                language,
                missing: self.missing_texts(language),
                prompts: self.missing_prompts(language),
                changed: self.changed_codes(language),
            })
            .collect()
    }
}

/// The originals of the phrases a letter uses, by key, and whether each is
/// the campaign's own: its `[wording]` (or the older `[vars]`), else the
/// genre's. The closing formula and the signatories' heading come from the
/// language unless the campaign has its own.
pub fn original_phrases(c: &Campaign) -> Vec<(&'static str, String, bool)> {
    let legacy = |key: &str| c.vars.get(key).and_then(toml::Value::as_str).map(str::to_owned);
    let mut out = Vec::new();
    for (key, own) in c.wording.entries() {
        let own = own.cloned().or_else(|| {
            matches!(key, "opening" | "closing" | "context")
                .then(|| legacy(key))
                .flatten()
        });
        if let Some(text) = own {
            out.push((key, text, true));
        } else if !FROM_LANGUAGE.contains(&key)
            && let Some(text) = super::genre::default_wording(&c.template, key, &c.language)
        {
            out.push((key, text.to_owned(), false));
        }
    }
    let lead = Some(c.press.lead.clone())
        .filter(|l| !l.trim().is_empty())
        .or_else(|| legacy("lead"));
    if let Some(lead) = lead {
        out.push(("lead", lead, true));
    } else if let Some(text) = super::genre::default_wording(&c.template, "lead", &c.language) {
        out.push(("lead", text.to_owned(), false));
    }
    out
}
