//! A letter per recipient in its language: which language each letter is
//! written in (the campaign's rule, then whether that language's texts are
//! all there and up to date), what is missing in each language, what a
//! translation changed that it must not, which translated texts are out of
//! date (their original no longer matches the `source-hash` they record, or
//! their codes no longer match: that language's letters then go in the
//! campaign's own, with a note saying why), and the composer that writes in
//! a translation (made once per language and kept while the campaign stays
//! the same).

use std::sync::Arc;

use super::codes;
use super::{ComposeError, Composer, WORDING_KEYS, wording_name};
use crate::campaign::translations::Freshness;
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
    /// Texts whose original changed since they were translated
    /// ([`Composer::stale_texts`]).
    pub stale: Vec<String>,
    /// How many translated texts do not record their original (written
    /// before Hemicycle recorded it): they cannot be told out of date.
    pub unrecorded: usize,
}

/// One translated text beside the original it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// Its id, as in `source-hash` and the XLIFF file: "subjects.1",
    /// "wording.closing", "demands.ban.body" (a demand's own `source-hash`
    /// names only the field).
    pub id: String,
    /// In words: "subject line 1", "demand 1", "the title of demand 1".
    pub what: String,
    /// As the messages about codes name it: "demand \"ban\" text".
    pub label: String,
    pub original: String,
    pub translation: String,
    /// Whether the original is the one it was translated from.
    pub freshness: Freshness,
    /// Whether letters use it (the volunteer's questions do not).
    pub in_letter: bool,
}

impl Pair {
    /// What the translation lacks or adds of the original's citations,
    /// notes and expressions ([`codes::compare`]).
    pub fn codes(&self) -> Vec<String> {
        codes::compare(&self.original, &self.translation)
    }
}

/// The pairs of one translation, as they are found.
struct Collect<'t> {
    /// The translation's `source-hash`.
    recorded: &'t std::collections::BTreeMap<String, String>,
    out: Vec<Pair>,
}

impl Collect<'_> {
    /// A text and its translation (left out when there is none), named by
    /// (id, what it is in words, what messages about codes call it).
    fn push(
        &mut self,
        (id, what, label): (String, String, String),
        original: &str,
        translation: &str,
        in_letter: bool,
    ) {
        if translation.trim().is_empty() {
            return;
        }
        let freshness = campaign::translations::freshness(self.recorded.get(&id), original);
        self.out.push(Pair {
            id,
            what,
            label,
            original: original.to_owned(),
            translation: translation.to_owned(),
            freshness,
            in_letter,
        });
    }
}

/// The title and text of demand number `n` translated into `language`.
pub fn demand_pairs(d: &Demand, n: usize, language: Language) -> Vec<Pair> {
    let Some(t) = d.translation(language) else {
        return Vec::new();
    };
    let fields = [
        ("title", format!("the title of demand {n}"), "title", &d.title, &t.title),
        ("body", format!("demand {n}"), "text", &d.body, &t.body),
    ];
    fields
        .into_iter()
        .filter(|(_, _, _, _, translation)| !translation.trim().is_empty())
        .map(|(field, what, noun, original, translation)| Pair {
            id: format!("demands.{}.{field}", d.id),
            what,
            label: format!("demand \"{}\" {noun}", d.id),
            original: original.clone(),
            translation: translation.clone(),
            freshness: campaign::translations::freshness(t.source_hash.get(field), original),
            in_letter: true,
        })
        .collect()
}

/// A change of codes ("the citation [@a] is missing") as what the original
/// now has: "the original now cites [@a]; add it to the German text".
pub fn offer_words(change: &str, language_name: &str) -> String {
    if let Some(piece) = change.strip_suffix(" is missing") {
        let verb = if piece.starts_with("the citation ") {
            piece.replacen("the citation ", "cites ", 1)
        } else {
            format!("has {piece}")
        };
        format!("the original now {verb}; add it to the {language_name} text")
    } else if let Some(piece) = change.strip_suffix(" is not in the original") {
        format!("the original no longer has {piece}; take it out of the {language_name} text")
    } else {
        change.to_owned()
    }
}

/// "French (fr)".
pub fn describe(language: Language) -> String {
    format!("{} ({})", language.english_name(), language.code())
}

/// Phrases whose default comes from the language itself, not the genre.
const FROM_LANGUAGE: &[&str] = &[
    "closing_formula",
    "signatories_heading",
    "salutation",
    "vote_for",
    "vote_against",
    "vote_abstention",
    "vote_did_not_vote",
    "vote_none",
];

impl Composer {
    /// The language the campaign's rule gives `mep`'s letter (in one-letter
    /// mode, the campaign's own).
    pub fn language_of(&self, mep: &Mep) -> Language {
        if self.campaign.recipients.mode == Mode::OneLetter {
            return self.campaign.letter_language();
        }
        self.campaign.language_for(mep)
    }

    /// The language `mep`'s letter is written in: the rule's, or the
    /// campaign's own when that language lacks texts and the campaign says
    /// `missing = "fallback"`, or when its translation is out of date
    /// ([`Composer::outdated`]). An error lists what is missing.
    pub fn writing_language(&self, mep: &Mep) -> Result<Language, ComposeError> {
        self.writing(mep).map(|(language, _)| language)
    }

    /// The language of `mep`'s letter and, when it is not the one the rule
    /// gives, why, in words that follow "This letter is": "in English, not
    /// German, because the German translation is out of date: demand 1
    /// changed since it was translated".
    pub fn writing(&self, mep: &Mep) -> Result<(Language, Option<String>), ComposeError> {
        let language = self.language_of(mep);
        let default = self.campaign.letter_language();
        if language == default {
            return Ok((language, None));
        }
        let (name, own) = (language.english_name(), default.english_name());
        let missing = self.missing_texts(language);
        if !missing.is_empty() {
            return match self.campaign.languages.missing {
                Missing::Fallback => Ok((
                    default,
                    Some(format!(
                        "in {own}, not {name}, because the {name} texts are incomplete: {}",
                        missing.join("; ")
                    )),
                )),
                Missing::Error => Err(ComposeError::MissingTranslation {
                    language: describe(language),
                    default: own.to_owned(),
                    missing: missing.join("; "),
                }),
            };
        }
        let outdated = self.outdated(language);
        if outdated.is_empty() {
            return Ok((language, None));
        }
        Ok((
            default,
            Some(format!(
                "in {own}, not {name}, because the {name} translation is out of date: {}",
                outdated.join("; ")
            )),
        ))
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
            if setting.file().is_some() && t.blocks.get(block).and_then(BlockSetting::file).is_none() {
                out.push(format!("the block \"{block}\" has no {name} file"));
            }
            let section = |s: Option<&BlockSetting>| matches!(s, Some(BlockSetting::Insert(i)) if i.is_section());
            if section(Some(setting)) && !section(t.blocks.get(block)) {
                out.push(format!("the section [blocks.{block}] has no {name} text"));
            }
        }
        let intros = |groups: &[campaign::DemandGroup]| {
            groups
                .iter()
                .filter(|g| g.intro.as_ref().is_some_and(|i| !i.trim().is_empty()))
                .count()
        };
        if intros(&c.demand_groups) > intros(&t.demand_groups) {
            out.push(format!("the intros of [[demand_groups]] have no {name} translation"));
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

    /// Each translated text into `language` beside its original, with what
    /// the translation records of the original it was made from. Texts
    /// without a translation are left out.
    pub fn pairs(&self, language: Language) -> Vec<Pair> {
        let c = &self.campaign;
        let Some(t) = c.translation(language).filter(|_| language != c.letter_language()) else {
            return Vec::new();
        };
        let mut at = Collect {
            recorded: &t.source_hash,
            out: Vec::new(),
        };
        let title = ("title".to_owned(), "the title".to_owned(), "title".to_owned());
        at.push(title, &c.title, &t.title, c.subjects.is_empty());
        for (i, (o, tr)) in c.subjects.iter().zip(&t.subjects).enumerate() {
            let n = i + 1;
            let what = format!("subject line {n}");
            at.push((format!("subjects.{n}"), what.clone(), what), o, tr, true);
        }
        for (key, original, _) in original_phrases(c) {
            let have = if key == "lead" {
                Some(&t.lead)
            } else {
                t.wording
                    .entries()
                    .into_iter()
                    .find(|(k, _)| *k == key)
                    .and_then(|(_, v)| v)
            };
            if let Some(have) = have {
                let names = (
                    format!("wording.{key}"),
                    format!("the phrase [wording] {key}"),
                    format!("[wording] {key}"),
                );
                at.push(names, &original, have, true);
            }
        }
        for p in &c.volunteer.prompts {
            if let Some(own) = t.prompts.get(&p.id) {
                let what = format!("the volunteer's question \"{}\"", p.id);
                let hint = format!("the hint of {what}");
                at.push(
                    (format!("prompts.{}.question", p.id), what.clone(), what),
                    &p.question,
                    &own.question,
                    false,
                );
                at.push(
                    (format!("prompts.{}.hint", p.id), hint.clone(), hint),
                    &p.hint,
                    &own.hint,
                    false,
                );
            }
        }
        let mut out = at.out;
        for (i, d) in self.demands.iter().enumerate() {
            out.extend(demand_pairs(d, i + 1, language));
        }
        out
    }

    /// Each translated text into `language` that drops or changes a
    /// citation key, a note or a Handlebars expression of its original
    /// while the original is the one it was translated from (or the file
    /// does not say): "French (fr), demand \"ban\" text: the citation [@a]
    /// is missing". A text whose original changed since is out of date
    /// instead ([`Composer::stale_texts`]).
    pub fn changed_codes(&self, language: Language) -> Vec<String> {
        let mut out = Vec::new();
        for p in self.pairs(language) {
            if p.freshness == Freshness::Changed {
                continue;
            }
            for change in p.codes() {
                out.push(format!("{}, {}: {change}", describe(language), p.label));
            }
        }
        out
    }

    /// The translated texts into `language` whose original changed since
    /// they were translated, in words: "demand 1 changed since it was
    /// translated".
    pub fn stale_texts(&self, language: Language) -> Vec<String> {
        let name = language.english_name();
        let default = self.campaign.letter_language().english_name();
        self.pairs(language)
            .iter()
            .filter(|p| p.freshness == Freshness::Changed)
            .map(|p| {
                let mut line = format!("{} changed since it was translated", p.what);
                for change in p.codes() {
                    line.push_str(&format!("; {}", offer_words(&change, name)));
                }
                if p.in_letter {
                    line.push_str(&format!(
                        " (until the {name} text is brought up to date, letters in {name} go out in {default})"
                    ));
                }
                line
            })
            .collect()
    }

    /// Why letters in `language` cannot use its translation although
    /// nothing is missing: a text they use whose original changed since it
    /// was translated, or whose codes differ from the original's. Empty
    /// when the translation can be used.
    pub fn outdated(&self, language: Language) -> Vec<String> {
        let mut out = Vec::new();
        for p in self.pairs(language).into_iter().filter(|p| p.in_letter) {
            if p.freshness == Freshness::Changed {
                out.push(format!("{} changed since it was translated", p.what));
            } else {
                out.extend(p.codes().into_iter().map(|c| format!("{}: {c}", p.what)));
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
        for key in WORDING_KEYS.iter().chain(&super::votes::PHRASES) {
            templates.remove(&wording_name(key));
        }
        if campaign::has_extension(&campaign.template, "hbs") {
            templates.add_file(&campaign::resolve(&self.path, std::path::Path::new(&campaign.template)))?;
        }
        super::additions::apply_blocks(&mut templates, &campaign, &self.path)?;
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
            votes: self.votes.clone(),
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
                stale: self.stale_texts(language),
                unrecorded: self
                    .pairs(language)
                    .iter()
                    .filter(|p| p.freshness == Freshness::Unrecorded)
                    .count(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Directory;

    /// The bundled open-letter example (English, German, French), installed
    /// in `dir`, and an MEP of each of `countries`.
    fn example(dir: &std::path::Path) -> Composer {
        let file = crate::campaign::examples::install(dir).expect("install");
        Composer::open(&file, None).expect("the example opens")
    }

    fn mep_of(country: &str) -> Mep {
        let dir = Directory::bundled().expect("directory");
        dir.meps.iter().find(|m| m.country == country).cloned().expect("an MEP")
    }

    fn lang(code: &str) -> Language {
        Language::parse(code).expect("language")
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("date")
    }

    #[test]
    fn the_bundled_translations_are_current_and_recorded() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let c = example(tmp.path());
        for language in c.campaign.languages().into_iter().skip(1) {
            let pairs = c.pairs(language);
            assert!(!pairs.is_empty());
            for p in pairs {
                assert_eq!(p.freshness, Freshness::Current, "{language}: {}", p.id);
            }
            assert!(c.outdated(language).is_empty(), "{:?}", c.outdated(language));
        }
    }

    #[test]
    fn an_edited_original_sends_that_language_in_the_original_with_a_note() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut c = example(tmp.path());
        let (german, italian) = (mep_of("DE"), mep_of("IT"));
        let letter = c.letter(&german, 0, today()).expect("German letter");
        assert_eq!(
            (letter.meta.language.as_str(), &letter.meta.language_note),
            ("de", &None)
        );

        let sentence = "A sentence added after the translation was made.";
        c.demands[0].body = format!("{}\n\n{sentence}", c.demands[0].body);
        let stale = c.stale_texts(lang("de"));
        assert_eq!(stale.len(), 1, "{stale:?}");
        assert!(
            stale[0].starts_with("demand 1 changed since it was translated (until the German text"),
            "{stale:?}"
        );
        let letter = c.letter(&german, 0, today()).expect("a letter, not an error");
        assert_eq!(letter.meta.language, "en");
        let note = letter.meta.language_note.clone().expect("a note");
        assert_eq!(
            note,
            "in English, not German, because the German translation is out of date: demand 1 changed since it was translated"
        );
        assert!(crate::render::text::render(&letter).contains(sentence));
        // The English letters are as they were.
        let english = c.letter(&italian, 1, today()).expect("English letter");
        assert_eq!(
            (english.meta.language.as_str(), &english.meta.language_note),
            ("en", &None)
        );
        // The French translation of demand 1 is out of date too.
        assert!(
            c.outdated(lang("fr"))
                .iter()
                .any(|o| o == "demand 1 changed since it was translated")
        );

        // The translation typed again: current, and the letter is German.
        let original = c.demands[0].body.clone();
        for code in ["de", "fr"] {
            let t = c.demands[0].translations.get_mut(code).expect("translation");
            t.body.push_str("\n\nEin Satz.");
            t.record_source("body", &original);
        }
        assert!(c.stale_texts(lang("de")).is_empty());
        assert_eq!(c.letter(&german, 0, today()).expect("letter").meta.language, "de");
    }

    #[test]
    fn a_citation_added_to_the_original_is_out_of_date_not_an_error() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut c = example(tmp.path());
        let german = mep_of("DE");
        let key = c.library.keys().next().expect("a source");
        let cite = format!("[@{key}, p. 3]");
        c.demands[0].body = format!("{} Also {cite}.", c.demands[0].body.trim_end());
        let letter = c.letter(&german, 0, today()).expect("a letter, not an error");
        assert_eq!(letter.meta.language, "en");
        let stale = c.stale_texts(lang("de"));
        assert!(
            stale[0].contains(&format!("the original now cites [@{key}]; add it to the German text")),
            "{stale:?}"
        );
        // Not an error of the translation: check lists it as out of date.
        assert!(c.changed_codes(lang("de")).is_empty());

        // A file that does not record its originals: the codes differ, so
        // that language's letters go in English; the check calls it an error.
        for d in &mut c.demands {
            for t in d.translations.values_mut() {
                t.source_hash.clear();
            }
        }
        let letter = c.letter(&german, 0, today()).expect("a letter, not an error");
        assert_eq!(letter.meta.language, "en");
        assert!(
            letter
                .meta
                .language_note
                .as_deref()
                .is_some_and(|n| n.ends_with(&format!("demand 1: the citation [@{key}] is missing"))),
            "{:?}",
            letter.meta.language_note
        );
        assert_eq!(c.changed_codes(lang("de")).len(), 1);
        let problems = c.translation_problems();
        let de = problems.iter().find(|p| p.language == lang("de")).expect("German");
        assert!(de.unrecorded > 0 && de.stale.is_empty(), "{de:?}");
    }

    #[test]
    fn an_unrecorded_translation_is_taken_as_current() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut c = example(tmp.path());
        for d in &mut c.demands {
            for t in d.translations.values_mut() {
                t.source_hash.clear();
            }
        }
        c.demands[0].body.push_str(" One more sentence.");
        assert!(c.outdated(lang("de")).is_empty());
        assert_eq!(c.letter(&mep_of("DE"), 0, today()).expect("letter").meta.language, "de");
    }

    #[test]
    fn a_changed_phrase_and_the_volunteers_answers_reach_the_letter() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut c = example(tmp.path());
        let german = mep_of("DE");
        c.campaign.volunteer.prompts.push(crate::campaign::volunteer::Prompt {
            id: "why".into(),
            question: "Why does this matter to you?".into(),
            ..Default::default()
        });
        let own = "Meine Schwester wurde an der Grenze stundenlang befragt.";
        c.campaign.volunteer.answers.insert("why".into(), own.into());
        let letter = c.letter(&german, 0, today()).expect("letter");
        assert_eq!(letter.meta.language, "de");
        assert!(crate::render::text::render(&letter).contains(own));

        // Their own words typed into the closing: the German closing is out
        // of date, so the letter goes in English with their words.
        let words = "I will follow your vote closely.";
        c.campaign
            .vars
            .insert("closing".into(), toml::Value::String(words.into()));
        c.refresh_wording().expect("a valid paragraph");
        let letter = c.letter(&german, 0, today()).expect("letter");
        assert_eq!(letter.meta.language, "en");
        let text = crate::render::text::render(&letter);
        assert!(text.contains(words) && text.contains(own), "{text}");
        assert!(
            c.stale_texts(lang("de"))
                .iter()
                .any(|s| s.starts_with("the phrase [wording] closing changed since it was translated")),
            "{:?}",
            c.stale_texts(lang("de"))
        );
    }
}
