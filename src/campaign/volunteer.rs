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
    /// At most this share of each letter (0 to 1) may be the campaign's own
    /// text; the rest must be the volunteer's words. `None`: no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_alike: Option<f64>,
    /// Texts the volunteer may not change: any of [`LOCKABLE`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locked: Vec<String>,
    /// The fingerprint of the locked texts, written when the kit is made;
    /// the pre-send check compares the volunteer's copy with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked_fingerprint: Option<String>,
}

/// What a kit made from a campaign without a `[volunteer]` table lacks
/// (`hemicycle kit build` refuses such a campaign unless told, the app warns).
pub const NO_STEPS: &str = "the campaign asks nothing of volunteers (it has no [volunteer] table), so a volunteer who opens the kit is not asked for their own words and is offered no MEPs. Add [[volunteer.prompts]] and [volunteer.suggest] to the campaign file (see docs/campaign-format.md, \"Questions for volunteers\")";

/// The texts a campaign's author can lock.
pub const LOCKABLE: &[&str] = &["subjects", "opening", "context", "demands", "closing"];

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
        self.prompts.is_empty()
            && self.suggest.is_none()
            && self.answers.is_empty()
            && self.max_alike.is_none()
            && self.locked.is_empty()
    }

    /// How much of a letter (its text) is the campaign's own, from 0 to 1:
    /// all its words but the volunteer's answers.
    pub fn campaign_share(&self, letter_text: &str) -> f64 {
        let letter = letter_text.split_whitespace().count();
        if letter == 0 {
            return 0.0;
        }
        let own: usize = self.paragraphs().iter().map(|p| p.split_whitespace().count()).sum();
        #[allow(clippy::cast_precision_loss)]
        let share = 1.0 - own.min(letter) as f64 / letter as f64;
        share
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

/// The locked texts of `campaign`, as one fingerprint (FNV-1a over each
/// locked text in turn); `None` when nothing is locked.
pub fn locked_fingerprint(campaign: &super::Campaign) -> Option<String> {
    let locked = &campaign.volunteer.locked;
    if locked.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for name in LOCKABLE.iter().filter(|n| locked.iter().any(|l| l == *n)) {
        let w = &campaign.wording;
        let text = match *name {
            "subjects" => campaign.subjects.join("\u{1f}"),
            // The phrase of [wording], and of [vars] where the letter takes it.
            "opening" | "context" | "closing" => {
                let wording = match *name {
                    "opening" => &w.opening,
                    "context" => &w.context,
                    _ => &w.closing,
                };
                let var = campaign
                    .vars
                    .get(*name)
                    .and_then(toml::Value::as_str)
                    .unwrap_or_default();
                format!("{}\u{1f}{var}", wording.as_deref().unwrap_or_default())
            }
            _ =>
            // The set files stay in the kit's folder; a copy saved elsewhere
            // points at them by another path, so only the campaign's own
            // edits of the demands count.
            {
                toml::to_string(&(&campaign.demands, &campaign.demand_order, &campaign.omit_demands))
                    .unwrap_or_default()
            }
        };
        parts.push(format!("{name}\u{1e}{text}"));
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in parts.join("\u{1d}").bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    Some(format!("{hash:016x}"))
}

/// The locked texts that were changed since the kit was made, in words for
/// the pre-send check; `None` when none was (or nothing is locked).
pub fn locked_changed(campaign: &super::Campaign) -> Option<String> {
    let recorded = campaign.volunteer.locked_fingerprint.as_deref()?;
    (locked_fingerprint(campaign).as_deref() != Some(recorded)).then(|| {
        format!(
            "the campaign's author locked its {}, and this copy changes them; open the kit again and add your own words where the campaign asks for them",
            campaign.volunteer.locked.join(", ")
        )
    })
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
    fn the_campaigns_share_counts_the_words_that_are_not_the_answers() {
        let mut v = Volunteer {
            prompts: vec![prompt(0, 0)],
            ..Volunteer::default()
        };
        assert!((v.campaign_share("one two three four") - 1.0).abs() < 1e-9);
        v.answers.insert("why".into(), "three four".into());
        assert!((v.campaign_share("one two three four") - 0.5).abs() < 1e-9);
        assert!(v.campaign_share("").abs() < 1e-9);
    }

    #[test]
    fn a_locked_text_changed_after_the_kit_was_made_is_found() {
        let mut c = super::super::Campaign::new("t", "personal-letter");
        assert_eq!(locked_fingerprint(&c), None);
        c.wording.opening = Some("We write to you.".into());
        c.volunteer.locked = vec!["opening".into(), "demands".into()];
        c.volunteer.locked_fingerprint = locked_fingerprint(&c);
        assert_eq!(locked_changed(&c), None);
        c.wording.closing = Some("Not locked.".into());
        assert_eq!(locked_changed(&c), None);
        c.wording.opening = Some("We write to you, dear friend.".into());
        assert!(locked_changed(&c).is_some_and(|m| m.contains("locked its opening, demands")));
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
