//! What a campaign's author asks of the volunteers who receive it as a kit
//! (`[volunteer]` in the campaign file): questions whose answers become the
//! letter's own words, which MEPs to suggest, and how many. The volunteer's
//! answers are kept in the same table of their own copy.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::directory::query::{Index, Query};
use crate::directory::{Directory, Mep, Role};

/// `[volunteer]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Volunteer {
    /// Questions the volunteer answers; each answer is a paragraph of the
    /// letter, after the opening and context, in this order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prompts: Vec<Prompt>,
    /// Which MEPs to suggest: the saved query, narrowed to the volunteer's
    /// country when `own_country` is set; members before substitutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggest: Option<Suggest>,
    /// The volunteer's answers, by prompt id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, String>,
}

/// One question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prompt {
    pub id: String,
    /// "Why does this matter to you?"
    pub question: String,
    /// A hint shown in the empty field.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hint: String,
    /// Fewest and most characters of the answer.
    pub min: usize,
    pub max: usize,
}

/// Which MEPs a volunteer is offered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Suggest {
    pub query: Query,
    /// Only the MEPs of the volunteer's own country.
    pub own_country: bool,
    /// At most this many (0: no limit).
    pub max: usize,
}

impl Volunteer {
    /// Whether the campaign asks anything of a volunteer.
    pub fn is_empty(&self) -> bool {
        self.prompts.is_empty() && self.suggest.is_none() && self.answers.is_empty()
    }

    /// The answers in the prompts' order, blank ones left out: the letter's
    /// own paragraphs.
    pub fn paragraphs(&self) -> Vec<String> {
        self.prompts
            .iter()
            .filter_map(|p| self.answers.get(&p.id))
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .collect()
    }

    /// What is wrong with the answers, in words for the pre-send check.
    pub fn problems(&self) -> Vec<String> {
        self.prompts
            .iter()
            .filter_map(|p| {
                let chars = self.answers.get(&p.id).map_or(0, |a| a.trim().chars().count());
                if chars < p.min {
                    Some(format!(
                        "answer \u{201c}{}\u{201d} in your own words: at least {} characters (now {chars})",
                        p.question, p.min
                    ))
                } else if p.max > 0 && chars > p.max {
                    Some(format!(
                        "the answer to \u{201c}{}\u{201d} is {chars} characters long; shorten it to {} at most",
                        p.question, p.max
                    ))
                } else {
                    None
                }
            })
            .collect()
    }
}

impl Suggest {
    /// The MEPs to suggest to a volunteer from `country` (ISO code):
    /// members (chairs, vice-chairs and members) before substitutes, then
    /// by the query's order; at most `max`.
    pub fn meps<'a>(&self, directory: &'a Directory, country: &str) -> Vec<&'a Mep> {
        let mut query = self.query.clone();
        if self.own_country {
            query.countries = vec![country.to_owned()];
        }
        let mut found = Index::new(directory).run(&query);
        let rank = |m: &Mep| {
            m.committees
                .iter()
                .filter(|s| query.committees.is_empty() || query.committees.contains(&s.code))
                .map(|s| usize::from(s.role == Role::Substitute))
                .min()
                .unwrap_or(1)
        };
        found.sort_by_key(|m| rank(m));
        if self.max > 0 {
            found.truncate(self.max);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt(min: usize, max: usize) -> Prompt {
        Prompt {
            id: "why".into(),
            question: "Why does this matter to you?".into(),
            min,
            max,
            ..Prompt::default()
        }
    }

    #[test]
    fn answers_are_paragraphs_in_the_prompts_order_and_their_length_is_checked() {
        let mut v = Volunteer {
            prompts: vec![
                prompt(10, 40),
                Prompt {
                    id: "town".into(),
                    question: "Your town?".into(),
                    ..Prompt::default()
                },
            ],
            ..Volunteer::default()
        };
        assert_eq!(v.problems().len(), 1);
        assert!(
            v.problems()[0].contains("at least 10 characters (now 0)"),
            "{:?}",
            v.problems()
        );
        v.answers.insert("town".into(), " Kraków ".into());
        v.answers.insert("why".into(), "My daughter cycles to school.".into());
        assert_eq!(v.paragraphs(), ["My daughter cycles to school.", "Kraków"]);
        assert!(v.problems().is_empty());
        v.answers.insert("why".into(), "x".repeat(41));
        assert!(v.problems()[0].contains("shorten it to 40"), "{:?}", v.problems());
    }

    #[test]
    fn suggestions_are_of_the_volunteers_country_members_first_and_capped() {
        let dir = Directory::bundled().expect("bundled directory");
        let rule = Suggest {
            query: Query {
                committees: vec!["LIBE".into()],
                roles: vec![Role::Member, Role::Substitute],
                ..Query::default()
            },
            own_country: true,
            max: 6,
        };
        let meps = rule.meps(&dir, "PL");
        assert_eq!(meps.len(), 6);
        assert!(meps.iter().all(|m| m.country == "PL"));
        let substitute = |m: &&Mep| {
            m.committees
                .iter()
                .any(|s| s.code == "LIBE" && s.role == Role::Substitute)
        };
        let first_substitute = meps.iter().position(substitute).unwrap_or(meps.len());
        assert!(meps[first_substitute..].iter().all(substitute), "members come first");
        assert!(first_substitute > 0);
    }
}
