//! The pre-send check: what to fix or know before letters go out. Shared by
//! the app's send dialog, `hemicycle send` and `hemicycle check`.
//!
//! Besides addresses and the mail account, it measures how alike the
//! personalised letters are: mail systems (the Parliament's among them)
//! quarantine floods of near-identical messages. Similarity is the Jaccard
//! index of the letters' five-word shingles, over neighbouring pairs.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use super::profile::ProfileError;
use super::send::{Plan, SkipReason};
use crate::campaign::Campaign;
use crate::render::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Sending cannot start.
    Error,
    /// Sending can start; the user should know.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub text: String,
}

impl Finding {
    fn error(text: String) -> Self {
        Self {
            severity: Severity::Error,
            text,
        }
    }
    fn warning(text: String) -> Self {
        Self {
            severity: Severity::Warning,
            text,
        }
    }
}

/// How alike the letters are: 0 (nothing shared) to 1 (identical).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    pub median: f64,
    pub max: f64,
    pub pairs: usize,
}

/// How the finding about an example's letterhead begins (a volunteer's
/// send step says it in words of its own).
pub const EXAMPLE_LETTERHEAD: &str = "the letterhead still holds an example's data";
/// How the near-identical warning begins.
pub const NEARLY_IDENTICAL: &str = "the letters are nearly identical";

/// Letters at least this alike (median) get the near-identical warning.
pub const NEAR_IDENTICAL: f64 = 0.8;

const SHINGLE: usize = 5;
const MAX_PAIRS: usize = 200;

fn shingles(text: &str) -> HashSet<u64> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut set = HashSet::new();
    if words.len() < SHINGLE {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        words.hash(&mut h);
        set.insert(h.finish());
        return set;
    }
    for window in words.windows(SHINGLE) {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        window.hash(&mut h);
        set.insert(h.finish());
    }
    set
}

#[allow(clippy::cast_precision_loss)]
fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    let shared = a.intersection(b).count();
    let all = a.len() + b.len() - shared;
    if all == 0 { 1.0 } else { shared as f64 / all as f64 }
}

/// Similarity of neighbouring letters (at most 200 pairs, spread evenly).
pub fn similarity(texts: &[String]) -> Option<Similarity> {
    if texts.len() < 2 {
        return None;
    }
    let pairs = texts.len() - 1;
    let step = pairs.div_ceil(MAX_PAIRS).max(1);
    let mut scores: Vec<f64> = (0..pairs)
        .step_by(step)
        .map(|i| jaccard(&shingles(&texts[i]), &shingles(&texts[i + 1])))
        .collect();
    scores.sort_by(f64::total_cmp);
    Some(Similarity {
        median: scores[scores.len() / 2],
        max: scores.last().copied().unwrap_or(0.0),
        pairs: scores.len(),
    })
}

/// The mail account, as far as the check is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// Not part of this check (`hemicycle check` without `--profile`, a dry run).
    NotChecked,
    /// Sending needs one and none is chosen.
    Missing,
    /// The account's own validation.
    Checked(Result<(), ProfileError>),
}

/// The finding when sending needs a mail account and none is chosen (a
/// handover to the mail program needs none).
pub const NO_ACCOUNT: &str =
    "no mail account is chosen; add one in Settings → Mail accounts (or with hemicycle account add)";

/// Everything to know before sending `plan`, the letters of `campaign`.
pub fn presend(plan: &Plan, campaign: &Campaign, account: Account) -> (Vec<Finding>, Option<Similarity>) {
    let mut findings = Vec::new();
    let only_checking = matches!(account, Account::NotChecked);
    let subjects = campaign.subjects.len();
    let share = campaign.volunteer.max_alike.zip(plan.items.first()).and_then(|(max, item)| {
        let share = campaign.volunteer.campaign_share(&text::render(&item.letter));
        (share > max).then(|| {
            format!(
                "{:.0}% of the letter is the campaign's own text, and its author asks that at most {:.0}% be: write more in your own words",
                share * 100.0,
                max * 100.0
            )
        })
    });
    let locked = crate::campaign::volunteer::locked_changed(campaign);
    for problem in campaign.volunteer.problems().into_iter().chain(share).chain(locked) {
        findings.push(if only_checking {
            Finding::warning(problem)
        } else {
            Finding::error(problem)
        });
    }
    let example = crate::campaign::examples::example_data_in(campaign);
    if !example.is_empty() {
        let text = format!(
            "{EXAMPLE_LETTERHEAD}: {}. Put your organisation's own in its place (in the app: Letter tab, Organisation; in the campaign file: [organisation]), or empty the field",
            example.join(", ")
        );
        // Letters checked to be looked at may show it; letters sent may not.
        findings.push(if only_checking {
            Finding::warning(text)
        } else {
            Finding::error(text)
        });
    }
    match account {
        Account::Missing => findings.push(Finding::error(NO_ACCOUNT.to_owned())),
        Account::Checked(Err(e)) => findings.push(Finding::error(e.to_string())),
        Account::Checked(Ok(())) | Account::NotChecked => {}
    }
    if plan.items.is_empty() {
        let text =
            "no recipient has an e-mail address, so there is nothing to send; export the letters instead".to_owned();
        // Without a mail account in question (a campaign checked for its
        // letters, to be exported), this is worth knowing, not an error.
        findings.push(if only_checking {
            Finding::warning(text)
        } else {
            Finding::error(text)
        });
    }
    let no_address: Vec<&str> = plan
        .skipped
        .iter()
        .filter(|s| s.reason == SkipReason::NoAddress)
        .map(|s| s.name.as_str())
        .collect();
    if !no_address.is_empty() {
        findings.push(Finding::warning(format!(
            "{} recipient(s) have no e-mail address and are skipped ({}); export their letters as PDF to post them",
            no_address.len(),
            abbreviate(&no_address)
        )));
    }
    for s in plan.skipped.iter().filter(|s| s.reason != SkipReason::NoAddress) {
        findings.push(Finding::warning(format!("{} is skipped: {}", s.name, s.reason)));
    }
    let texts: Vec<String> = plan.items.iter().map(|i| text::render(&i.letter)).collect();
    let sim = similarity(&texts);
    if let Some(s) = sim
        && s.median >= NEAR_IDENTICAL
    {
        let advice = if subjects <= 1 {
            "add personal paragraphs (for example by committee or country) and several subject lines, which rotate between recipients"
        } else {
            "add personal paragraphs (for example by committee or country)"
        };
        findings.push(Finding::warning(format!(
            "{NEARLY_IDENTICAL} ({:.0}% alike); mail systems may treat them as bulk mail and hold them back. To make them personal, {advice}",
            s.median * 100.0
        )));
    }
    (findings, sim)
}

/// What the account already sent from other campaign files (its sent
/// ledger, see [`super::ledger`]), as it bears on `plan`: the same letters,
/// which do not go again; another version from a copy of this campaign,
/// which waits for "send changed letters again"; and a different letter to
/// the same MEP, which goes, but is worth knowing. All warnings: sending can
/// start, and nothing goes twice.
pub fn history(plan: &Plan, known: &super::ledger::Known, campaign_id: &str) -> Vec<Finding> {
    use std::collections::BTreeMap;
    let mut same: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut earlier: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut different: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for item in &plan.items {
        let to = item.to.trim().to_lowercase();
        if let Some(place) = known.letters.get(&(to.clone(), item.fingerprint.clone())) {
            same.entry(place).or_default().push(&item.name);
            continue;
        }
        let Some(sent) = known.by_address.get(&to) else {
            continue;
        };
        for e in sent {
            let of_this = !campaign_id.is_empty() && e.campaign == campaign_id;
            let group = if of_this { &mut earlier } else { &mut different };
            group.entry(e.where_()).or_default().push(&item.name);
        }
    }
    let mut findings = Vec::new();
    for (place, names) in same {
        findings.push(Finding::warning(format!(
            "{} letter(s) already went from this mail account, the same letter to the same address, from another campaign file ({place}; a copy of this one?); they are not sent again: {}",
            names.len(),
            abbreviate(&names)
        )));
    }
    for (place, names) in earlier {
        findings.push(Finding::warning(format!(
            "an earlier version of this letter went to {} from this mail account, from another file of this campaign ({place}); it is not sent again unless you ask to send changed letters again",
            abbreviate(&names)
        )));
    }
    for (place, names) in different {
        findings.push(Finding::warning(format!(
            "a different letter already went to {} from this mail account ({place}); this one goes too",
            abbreviate(&names)
        )));
    }
    findings
}

fn abbreviate(names: &[&str]) -> String {
    if names.len() <= 5 {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..5].join(", "), names.len() - 5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_letters_score_one_and_different_ones_low() {
        let base = "We ask you to support the ban on predictive policing and on emotion recognition in the workplace, \
            and to vote for the amendments that protect people on the move from automated risk assessments at \
            the borders of the Union. Our foundation has worked with refugees in Utrecht for twenty years, and we \
            see every week what an opaque decision does to a family waiting for an answer, because";
        let texts = vec![
            format!("Dear Ms Smith, {base} it harms people."),
            format!("Dear Mr Jones, {base} it harms people."),
            format!("Dear Ms Weber, {base} it harms people."),
        ];
        let s = similarity(&texts).unwrap();
        assert!(s.median > 0.8, "{s:?}");
        let different = vec![
            "The committee meets on Tuesday to vote on the artificial intelligence act".to_owned(),
            "Our foundation supports refugees in Utrecht with legal aid and language classes".to_owned(),
        ];
        assert!(similarity(&different).unwrap().max < 0.1);
        assert!(similarity(&texts[..1]).is_none());
    }

    /// A campaign whose letters are meant for export (no one has an address)
    /// is not in error when it is only checked; sending it is.
    #[test]
    fn nothing_to_send_is_an_error_only_when_sending() {
        let plan = crate::deliver::send::Plan::default();
        let severity = |account| {
            presend(&plan, &Campaign::new("A campaign", "personal-letter"), account)
                .0
                .into_iter()
                .find(|f| f.text.contains("nothing to send"))
                .map(|f| f.severity)
        };
        assert_eq!(severity(Account::NotChecked), Some(Severity::Warning));
        assert_eq!(severity(Account::Missing), Some(Severity::Error));
    }
}
