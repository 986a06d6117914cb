//! `[followup]`: what makes a campaign a follow-up — the campaign it
//! follows up, and for each MEP the letter that got no answer (its
//! Message-ID, the day it went, its subject and its text). A follow-up's
//! letter to that MEP answers that letter: `In-Reply-To` and `References`
//! name its Message-ID, its subject is "Re: " and the original's, and the
//! `follow-up` genre quotes the original below its own words. Written by
//! `deliver::followup::make`; a user may edit it like any campaign.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The campaign followed up, and its letters by MEP id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUp {
    /// The original campaign's id and title.
    pub campaign: String,
    pub title: String,
    /// The original campaign file, as it was found when the follow-up was made.
    pub file: String,
    /// Per MEP id: the letter this follow-up answers.
    pub letters: BTreeMap<String, Original>,
}

/// One letter that got no answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Original {
    /// Its Message-ID, `<…@…>`, as the journal recorded it.
    pub message_id: String,
    /// The day it went (YYYY-MM-DD, UTC).
    pub sent: String,
    /// The address it went to.
    pub to: String,
    pub subject: String,
    /// The letter's text as it was sent (plain text), quoted below the
    /// follow-up.
    pub text: String,
}

impl FollowUp {
    /// The subject of the follow-up to `original`: "Re: " before the
    /// original's, once (a follow-up of a follow-up stays "Re: …").
    pub fn reply_subject(original: &Original) -> String {
        let subject = original.subject.trim();
        let has_re = subject.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("re:"));
        if has_re {
            subject.to_owned()
        } else {
            format!("Re: {subject}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reply_subject_has_one_re() {
        let mut o = Original {
            subject: "AI Act: four bans".into(),
            ..Original::default()
        };
        assert_eq!(FollowUp::reply_subject(&o), "Re: AI Act: four bans");
        o.subject = "RE: AI Act".into();
        assert_eq!(FollowUp::reply_subject(&o), "RE: AI Act");
        o.subject = "Réponse".into();
        assert_eq!(FollowUp::reply_subject(&o), "Re: Réponse");
    }
}
