//! The 24 official languages of the European Union, and everything a letter
//! needs to know of them: the long and numeric date, the greeting of an MEP
//! (gendered where the language needs it and the directory knows the
//! gender, a neutral formula otherwise — never guessed from the name), the
//! closing formula, the labels around the text, ordinals, list joins, the
//! CSL locale of the notes and where note markers go.
//!
//! A leaf: it imports nothing from the crate. The facts are data
//! (`data::LANGUAGES`); `docs/languages.md` gives their sources. A campaign
//! names its language with a code ("pl"); a region may follow ("de-AT"),
//! and the letter then follows the language as the EU institutions write
//! it.

mod data;
mod votes;

use chrono::{Datelike, NaiveDate};

use data::{COUNTRY_LANGUAGES, Facts, LANGUAGES, Ordinal};
pub use data::{FollowUp, Labels};
pub use votes::VotePhrases;

/// One of the 24 official EU languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(u8);

/// How to greet an MEP: as a woman, as a man, or neutrally (the gender is
/// not known, or the directory does not say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    Female,
    Male,
    Neutral,
}

impl Default for Language {
    fn default() -> Self {
        Self::ENGLISH
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Language {
    pub const ENGLISH: Language = Language(5);

    /// Every language, in the order of their codes.
    pub fn all() -> impl Iterator<Item = Language> {
        (0..LANGUAGES.len()).filter_map(|i| u8::try_from(i).ok()).map(Language)
    }

    /// The language of a code: "pl", "PL" or "de-AT" (the region does not
    /// change the wording). `None` for anything else.
    pub fn parse(tag: &str) -> Option<Language> {
        let tag = tag.trim();
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        let index = LANGUAGES.iter().position(|f| f.code.eq_ignore_ascii_case(primary))?;
        u8::try_from(index).ok().map(Language)
    }

    /// The language of a code that was already checked; English otherwise.
    pub fn of(tag: &str) -> Language {
        Self::parse(tag).unwrap_or_default()
    }

    /// The 24 codes, for messages: "bg, cs, da, …, sv".
    pub fn codes() -> String {
        LANGUAGES.iter().map(|f| f.code).collect::<Vec<_>>().join(", ")
    }

    fn facts(self) -> &'static Facts {
        &LANGUAGES[usize::from(self.0) % LANGUAGES.len()]
    }

    /// The official EU languages of a member state ("BE": Dutch, French,
    /// German), in the order of the state's law; none for a code that is
    /// not a member state's ("GR" and "EL" both name Greece).
    pub fn of_country(country: &str) -> Vec<Language> {
        let country = country.trim();
        let country = if country.eq_ignore_ascii_case("EL") {
            "GR"
        } else {
            country
        };
        COUNTRY_LANGUAGES
            .iter()
            .find(|(code, _)| code.eq_ignore_ascii_case(country))
            .map(|(_, codes)| codes.iter().filter_map(|c| Language::parse(c)).collect())
            .unwrap_or_default()
    }

    /// "pl".
    pub fn code(self) -> &'static str {
        self.facts().code
    }

    /// "Polish".
    pub fn english_name(self) -> &'static str {
        self.facts().english_name
    }

    /// "polski".
    pub fn native_name(self) -> &'static str {
        self.facts().native_name
    }

    /// "2 December 2026", "2. Dezember 2026", "2 grudnia 2026", "1er décembre 2026".
    pub fn long_date(self, date: NaiveDate) -> String {
        let f = self.facts();
        let month = f.months[date.month0() as usize];
        let day = match f.first_day {
            Some(first) if date.day() == 1 => first.to_owned(),
            _ => date.day().to_string(),
        };
        fill(
            f.long_date,
            &[("d", &day), ("month", month), ("y", &date.year().to_string())],
        )
    }

    /// "30th January 2023" (`month_first`: "January 30th 2023") where the
    /// language writes the day as an ordinal word (English); elsewhere the
    /// long date, which already writes the day as the language does
    /// ("30. Januar 2023", "1er janvier 2023").
    pub fn ordinal_date(self, date: NaiveDate, month_first: bool) -> String {
        if !matches!(self.facts().ordinal, Ordinal::English) {
            return self.long_date(date);
        }
        let day = self.ordinal(i64::from(date.day()));
        let month = self.facts().months[date.month0() as usize];
        if month_first {
            format!("{month} {day} {}", date.year())
        } else {
            format!("{day} {month} {}", date.year())
        }
    }

    /// "02/12/2026", "02.12.2026", "2026-12-02", as the language writes a date in figures.
    pub fn numeric_date(self, date: NaiveDate) -> String {
        date.format(self.facts().numeric_date).to_string()
    }

    /// "2nd", "2.", "2e", "1er", "2.º", "2:a", "al 2-lea".
    pub fn ordinal(self, n: i64) -> String {
        let (last, last_two) = (n.abs() % 10, n.abs() % 100);
        match self.facts().ordinal {
            Ordinal::English => {
                let suffix = match (last, last_two) {
                    (_, 11..=13) => "th",
                    (1, _) => "st",
                    (2, _) => "nd",
                    (3, _) => "rd",
                    _ => "th",
                };
                format!("{n}{suffix}")
            }
            Ordinal::Dot => format!("{n}."),
            Ordinal::Suffix(suffix) => format!("{n}{suffix}"),
            Ordinal::French => format!("{n}{}", if n == 1 { "er" } else { "e" }),
            Ordinal::Swedish => {
                let a = matches!(last, 1 | 2) && !matches!(last_two, 11 | 12);
                format!("{n}:{}", if a { "a" } else { "e" })
            }
            Ordinal::Bulgarian => {
                let suffix = match (last, last_two) {
                    (_, 11..=19) => "и",
                    (1, _) => "ви",
                    (2, _) => "ри",
                    (3 | 4, _) => "ти",
                    _ => "и",
                };
                format!("{n}-{suffix}")
            }
            Ordinal::Romanian => {
                if n == 1 {
                    "primul".to_owned()
                } else {
                    format!("al {n}-lea")
                }
            }
        }
    }

    /// " and ", " und ", " et ": the word before a list's last item.
    pub fn and(self) -> &'static str {
        self.facts().and
    }

    /// "A, B and C", "A, B und C".
    pub fn join(self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{}{}{last}", init.join(", "), self.and()),
        }
    }

    /// The greeting of one MEP. `name` is the name for letters ("Kim van
    /// Sparrentak"), `family` the family name ("van Sparrentak"); languages
    /// whose formal greeting names the office use neither.
    pub fn mep_salutation(self, form: Form, name: &str, family: &str) -> String {
        let f = self.facts();
        let pattern = match form {
            Form::Female => f.mep_female,
            Form::Male => f.mep_male,
            Form::Neutral => f.mep_neutral,
        };
        // A gendered greeting by family name needs one; without it, the
        // neutral form.
        if pattern.contains("{family}") && family.trim().is_empty() {
            return fill(f.mep_neutral, &[("name", name), ("family", family)]);
        }
        fill(pattern, &[("name", name), ("family", family)])
    }

    /// The honorific of an MEP as the To block writes it: "Ms", "Frau",
    /// "Mme", "Pani"; `None` for the neutral form (no honorific recorded).
    pub fn honorific(self, form: Form) -> Option<&'static str> {
        let a = &self.facts().address;
        match form {
            Form::Female => Some(a.ms),
            Form::Male => Some(a.mr),
            Form::Neutral => None,
        }
    }

    /// The name with its honorific: "Mr Dragoş Tudorache", "M. Dragoş
    /// Tudorache", "Dragoş Tudorache úr"; the name alone for the neutral
    /// form.
    pub fn with_honorific(self, form: Form, name: &str) -> String {
        match self.honorific(form) {
            None => name.to_owned(),
            Some(h) if self.facts().address.after_name => format!("{name} {h}"),
            Some(h) => format!("{h} {name}"),
        }
    }

    /// "Member of the European Parliament", "Mitglied des Europäischen
    /// Parlaments", "députée au Parlement européen": the title of an MEP,
    /// in the form of the gender where the language genders it, the
    /// generic form for the neutral one.
    pub fn member_title(self, form: Form) -> &'static str {
        let a = &self.facts().address;
        match form {
            Form::Female => a.member_female,
            Form::Male => a.member_male,
            Form::Neutral => a.member,
        }
    }

    /// The greeting of a person who is not an MEP, without a title of office.
    pub fn person_salutation(self, name: &str) -> String {
        fill(self.facts().person, &[("name", name)])
    }

    /// The greeting of several people in one letter: each named where the
    /// language greets by name ("Dear A, B and C,"), or the plural formula.
    pub fn salutation_many(self, names: &[String], all_meps: bool) -> String {
        let f = self.facts();
        let pattern = if all_meps { f.many_meps } else { f.many_people };
        fill(pattern, &[("names", &self.join(names))])
    }

    /// "Yours sincerely,", "Mit freundlichen Grüßen", "Z wyrazami szacunku".
    pub fn closing(self) -> &'static str {
        self.facts().closing
    }

    /// The `vote` block's default paragraphs (`docs/votes.md`).
    pub fn vote_phrases(self) -> &'static VotePhrases {
        let code = self.code();
        votes::VOTE_PHRASES
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(&votes::VOTE_PHRASES[5].1, |(_, p)| p)
    }

    /// The labels around the letter's text.
    pub fn labels(self) -> &'static Labels {
        &self.facts().labels
    }

    /// The CSL locale of the notes ("pl-PL"); `None` for Irish and Maltese,
    /// for which the CSL project publishes none (the notes use British
    /// English terms, "en-GB").
    pub fn csl_locale(self) -> Option<&'static str> {
        self.facts().csl_locale
    }

    /// Whether a note marker goes before the punctuation next to it, as
    /// French, Spanish and Italian typography place it.
    pub fn notes_before_punctuation(self) -> bool {
        self.facts().notes_before_punctuation
    }

    /// The follow-up genre's phrases in this language, or the English ones
    /// where there is no translation yet; the flag says which.
    pub fn follow_up(self) -> (FollowUp, bool) {
        match self.facts().follow_up {
            Some(own) => (own, true),
            None => (data::ENGLISH_FOLLOW_UP, false),
        }
    }
}

/// Why a language code was refused, in words for the person who wrote it.
pub fn unknown_code_problem(code: &str) -> String {
    format!(
        "\"{code}\" is not one of the 24 official EU languages Hemicycle writes letters in; write one of these codes: {} (a region may follow, as in \"de-AT\")",
        Language::codes()
    )
}

/// Fills `{key}` placeholders in one pass: the values are never read for
/// placeholders themselves, so a name with braces stays as written.
fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let found = after.find('}').and_then(|close| {
            values
                .iter()
                .find(|(k, _)| *k == &after[..close])
                .map(|(_, v)| (close, v))
        });
        if let Some((close, value)) = found {
            out.push_str(value);
            rest = &after[close + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
