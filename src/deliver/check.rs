//! The pre-send check: what to fix or know before letters go out. Shared by
//! the app's send dialog, `hemicycle send` and `hemicycle check`.
//!
//! Besides addresses and the mail account, it measures how alike the
//! personalised letters are: mail systems (the Parliament's among them)
//! quarantine floods of near-identical messages. Similarity is the Jaccard
//! index of the letters' five-word shingles, over neighbouring pairs.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use super::journal::View;
use super::ledger::Known;
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

/// The finding when the campaign is not saved: its journal has no place.
pub const UNSAVED: &str = "save the campaign first: its send journal, which makes sure nobody gets a letter twice, is kept under the campaign's file name";

/// What the pre-send check knows besides the letters: the mail account,
/// what it sent from other campaign files, the campaign's journal, and
/// whether the campaign is saved.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub account: Account,
    /// What the sending account sent from other campaign files (its
    /// ledger and the other journals), when a real send's account is known.
    pub known: Option<&'a Known>,
    /// The campaign's journal as it stands, to count what already went.
    pub journal: Option<&'a View>,
    /// Addresses an earlier letter bounced from (lower case), with when and
    /// why in words ("bounced on 3 December 2026: 550 5.1.1 user unknown"):
    /// read from the responses files by `session::presend`.
    pub bounced: Option<&'a std::collections::HashMap<String, String>>,
    /// The campaign is not saved, so its journal has no place yet.
    pub unsaved: bool,
    /// The moment of the check: its Brussels day is "today" for the cap.
    pub now: chrono::DateTime<chrono::Utc>,
    /// The sending account's last deliverability check: each problem is a
    /// warning (never a block).
    pub delivery: Option<&'a super::deliverability::Saved>,
}

/// What the pre-send check found: what to fix or know, how alike the
/// letters are, how many letters there are and how many already went.
#[derive(Debug, Clone)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub similarity: Option<Similarity>,
    pub letters: usize,
    /// Letters the journal says were already sent, and letters another
    /// campaign file sent from this account (they never go again).
    pub already_sent: usize,
    /// Letters sent today (Brussels time) from this account, by this
    /// campaign and the others: what the daily cap counts.
    pub sent_today: usize,
}

/// The pre-send check: every finding, built here once for `hemicycle
/// send`, `hemicycle check` and the app's send dialog, which only present
/// it (the app reaches it through [`super::session::presend`]).
pub fn report(plan: &Plan, campaign: &Campaign, context: &Context) -> Report {
    let (mut findings, similarity) = presend(plan, campaign, context.account.clone());
    findings.extend(vote_findings(plan, matches!(context.account, Account::NotChecked)));
    if context.unsaved {
        findings.insert(0, Finding::error(UNSAVED.to_owned()));
    }
    if let Some(bounced) = context.bounced {
        findings.extend(bounced_findings(plan, bounced));
    }
    if let Some(saved) = context.delivery {
        findings.extend(
            saved
                .problems
                .iter()
                .map(|p| Finding::warning(format!("deliverability (checked on {}): {p}", saved.day()))),
        );
    }
    // Letters another campaign file sent from this account count as sent
    // here: they never go again.
    let elsewhere: HashSet<&str> = context.known.map_or_else(HashSet::new, |known| {
        findings.extend(history(plan, known, &campaign.id));
        plan.items
            .iter()
            .filter(|i| {
                known
                    .letters
                    .contains_key(&(i.to.trim().to_lowercase(), i.fingerprint.clone()))
            })
            .map(|i| i.mep_id.as_str())
            .collect()
    });
    let in_journal = context.journal.map_or(0, |view| {
        view.already_sent(
            plan.items
                .iter()
                .map(|i| i.mep_id.as_str())
                .filter(|id| !elsewhere.contains(id)),
        )
    });
    Report {
        findings,
        similarity,
        letters: plan.items.len(),
        already_sent: in_journal + elsewhere.len(),
        sent_today: super::send::sent_on_day_of(
            context.now,
            context.journal.unwrap_or(&View::default()),
            context.known.map_or(&[][..], |k| &k.sent_at[..]),
        ),
    }
}

/// How the warning about an address that bounced begins.
pub const BOUNCED: &str = "an earlier letter to this address bounced";

/// A warning per letter whose address an earlier letter bounced from,
/// with the correction to make.
fn bounced_findings(plan: &Plan, bounced: &std::collections::HashMap<String, String>) -> Vec<Finding> {
    plan.items
        .iter()
        .filter_map(|i| {
            let why = bounced.get(&i.to.trim().to_lowercase())?;
            Some(Finding::warning(format!(
                "{BOUNCED}: {} <{}> {why}; correct the address in the MEP's details (or: hemicycle override {} --email NEW-ADDRESS)",
                i.name, i.to, i.mep_id
            )))
        })
        .collect()
}

/// Everything to know before sending `plan`, the letters of `campaign`.
fn presend(plan: &Plan, campaign: &Campaign, account: Account) -> (Vec<Finding>, Option<Similarity>) {
    let mut findings = Vec::new();
    let only_checking = matches!(account, Account::NotChecked);
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
    findings.extend(language_notes(plan));
    let texts: Vec<String> = plan.items.iter().map(|i| text::render(&i.letter)).collect();
    let sim = similarity(&texts);
    if let Some(s) = sim
        && s.median >= NEAR_IDENTICAL
    {
        findings.push(Finding::warning(alike(s.median, campaign)));
    }
    (findings, sim)
}

/// Recipients who were not in the Parliament for a vote the letters rely
/// on. Where the letter reads the vote's data itself (`vote.NAME.…`), it
/// may thank or blame them for a vote they did not cast: sending waits
/// until they are taken off the recipients (`--vote ID:none` finds them)
/// or the template asks `voted` first. Through the `vote` block alone they
/// get its `vote_none` paragraph, which is worth knowing.
fn vote_findings(plan: &Plan, only_checking: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    for gap in plan.vote_gaps.iter().filter(|g| !g.meps.is_empty()) {
        let names: Vec<&str> = gap.meps.iter().map(String::as_str).collect();
        let who = format!(
            "{} recipient(s) were not in the Parliament for the vote \"{}\" (HowTheyVote.eu {}, {}): {}",
            gap.meps.len(),
            gap.name,
            gap.id,
            gap.date,
            abbreviate(&names)
        );
        if gap.direct {
            let text = format!(
                "{who}. The letter speaks of their vote ({{{{vote.{}.…}}}}) though they cast none: remove them from the recipients (the filter {}:none finds them), or word it with {{{{#if (voted \"{}\" \"none\")}}}}",
                gap.name, gap.id, gap.name
            );
            out.push(if only_checking {
                Finding::warning(text)
            } else {
                Finding::error(text)
            });
        } else {
            out.push(Finding::warning(format!(
                "{who}; their letters have the vote_none paragraph of [wording] instead of a position"
            )));
        }
    }
    out
}

/// The warning about nearly identical letters, with what to do: make them
/// personal, or (a press release or a statement, meant to be the same for
/// all) send them more slowly.
fn alike(median: f64, campaign: &Campaign) -> String {
    let identical = matches!(
        crate::compose::genre::genre(&campaign.template).map(|g| g.name),
        Some("press-release" | "coalition-statement")
    );
    let advice = if identical {
        "To get them through, send them at a slower pace (fewer letters an hour) or to fewer recipients a day; a press release or statement is meant to be the same for everyone, so it needs no personal paragraphs"
    } else if campaign.subjects.len() <= 1 {
        "To make them personal, add personal paragraphs (for example by committee or country) and several subject lines, which rotate between recipients"
    } else {
        "To make them personal, add personal paragraphs (for example by committee or country)"
    };
    format!(
        "{NEARLY_IDENTICAL} ({:.0}% alike); mail systems may treat them as bulk mail and hold them back. {advice}",
        median * 100.0
    )
}

/// What the account already sent from other campaign files (its sent
/// ledger, see [`super::ledger`]), as it bears on `plan`: the same letters,
/// which do not go again; another version from a copy of this campaign,
/// which waits for "send changed letters again"; and a different letter to
/// the same MEP, which goes, but is worth knowing. All warnings: sending can
/// start, and nothing goes twice.
fn history(plan: &Plan, known: &Known, campaign_id: &str) -> Vec<Finding> {
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
        let went = if place.ends_with(super::ledger::UNSURE) {
            "may already have gone (whether they arrived is not known)"
        } else {
            "already went"
        };
        findings.push(Finding::warning(format!(
            "{} letter(s) {went} from this mail account, the same letter to the same address, from another campaign file ({place}; a copy of this one?); they are not sent again: {}",
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

/// Letters not in their recipient's language (an out-of-date or
/// incomplete translation): each reason once, with whom it concerns.
fn language_notes(plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut notes: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for item in &plan.items {
        if let Some(note) = &item.letter.meta.language_note {
            notes.entry(note).or_default().push(&item.name);
        }
    }
    for (note, names) in notes {
        let n = names.len();
        let letters = if n == 1 { "letter is" } else { "letters are" };
        findings.push(Finding::warning(format!(
            "{n} {letters} {note} ({})",
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

    /// The letters of the short example to three MEPs with addresses, one
    /// without and one who shares the first one's address.
    fn report_plan() -> (Plan, Campaign) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/short-personal-letter.toml");
        let composer = crate::compose::Composer::open(&path, None).unwrap();
        let dir = crate::directory::Directory::bundled().unwrap();
        let mut meps: Vec<crate::directory::Mep> = dir.meps.iter().take(5).cloned().collect();
        for (i, m) in meps.iter_mut().enumerate() {
            m.email = Some(format!("mep-{}@parliament.test", meps_id(i)));
        }
        meps[3].email = None;
        meps[4].email = meps[0].email.clone();
        let refs: Vec<&crate::directory::Mep> = meps.iter().collect();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let plan = crate::deliver::send::plan(&composer, &refs, today).unwrap();
        assert_eq!(plan.items.len(), 3);
        (plan, composer.campaign)
    }

    fn meps_id(i: usize) -> String {
        format!("n{i}")
    }

    fn context(account: Account) -> Context<'static> {
        Context {
            account,
            known: None,
            journal: None,
            bounced: None,
            unsaved: false,
            now: chrono::Utc::now(),
            delivery: None,
        }
    }

    /// An address an earlier letter bounced from is warned about, with the
    /// correction, and only that one; sending may still start.
    #[test]
    fn a_bounced_address_is_warned_about_with_its_correction() {
        let (plan, campaign) = report_plan();
        let to = plan.items[1].to.to_uppercase();
        let bounced = std::collections::HashMap::from([(
            to.to_lowercase(),
            "bounced on 3 December 2026: smtp; 550 5.1.1 user unknown".to_owned(),
        )]);
        let mut ctx = context(Account::NotChecked);
        ctx.bounced = Some(&bounced);
        let report = report(&plan, &campaign, &ctx);
        let found = with(&report.findings, BOUNCED);
        assert_eq!(found.len(), 1, "{:?}", report.findings);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(
            found[0]
                .text
                .contains("bounced on 3 December 2026: smtp; 550 5.1.1 user unknown"),
            "{}",
            found[0].text
        );
        assert!(
            found[0]
                .text
                .contains(&format!("hemicycle override {} --email", plan.items[1].mep_id)),
            "{}",
            found[0].text
        );
        assert!(
            with(
                &super::report(&plan, &campaign, &context(Account::NotChecked)).findings,
                BOUNCED
            )
            .is_empty()
        );
    }

    /// A failed deliverability check is a warning in the one pre-send
    /// check, with the day it was made; sending is not blocked.
    #[test]
    fn a_failed_deliverability_check_warns_and_does_not_block() {
        let (plan, campaign) = report_plan();
        let saved = super::super::deliverability::Saved {
            checked_at: "2026-12-06T10:00:00Z".into(),
            domain: "org.eu".into(),
            good: vec!["org.eu publishes an SPF record".into()],
            problems: vec!["org.eu publishes no DMARC policy".into()],
        };
        let mut ctx = context(Account::NotChecked);
        ctx.delivery = Some(&saved);
        let r = report(&plan, &campaign, &ctx);
        let found = with(
            &r.findings,
            "deliverability (checked on 2026-12-06): org.eu publishes no DMARC",
        );
        assert_eq!(found.len(), 1, "{:?}", r.findings);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(with(&r.findings, "publishes an SPF").is_empty());
    }

    fn with<'a>(findings: &'a [Finding], words: &str) -> Vec<&'a Finding> {
        findings.iter().filter(|f| f.text.contains(words)).collect()
    }

    #[test]
    fn the_report_tells_missing_and_shared_addresses_and_counts_the_letters() {
        let (plan, campaign) = report_plan();
        let report = report(&plan, &campaign, &context(Account::NotChecked));
        assert_eq!((report.letters, report.already_sent), (3, 0));
        let missing = with(&report.findings, "have no e-mail address and are skipped");
        assert_eq!(missing.len(), 1, "{:?}", report.findings);
        assert_eq!(missing[0].severity, Severity::Warning);
        let shared = with(
            &report.findings,
            "is skipped: shares the address mep-n0@parliament.test",
        );
        assert_eq!(shared.len(), 1, "{:?}", report.findings);
        assert!(report.similarity.is_some());
    }

    /// The example's letterhead is an error before a send, a warning when
    /// the letters are only checked; so is a missing or broken account.
    #[test]
    fn the_report_tells_the_example_letterhead_and_the_account() {
        let (plan, campaign) = report_plan();
        let checked = report(&plan, &campaign, &context(Account::NotChecked));
        let letterhead = with(&checked.findings, "the letterhead still holds an example's data");
        assert_eq!(letterhead.len(), 1, "{:?}", checked.findings);
        assert_eq!(letterhead[0].severity, Severity::Warning);
        assert!(with(&checked.findings, NO_ACCOUNT).is_empty());
        let sending = report(&plan, &campaign, &context(Account::Missing));
        assert_eq!(
            with(&sending.findings, "the letterhead still holds an example's data")[0].severity,
            Severity::Error
        );
        assert_eq!(with(&sending.findings, NO_ACCOUNT)[0].severity, Severity::Error);
        let broken = ProfileError::Unknown {
            name: "work".into(),
            known: Vec::new(),
        };
        let text = broken.to_string();
        let bad = report(&plan, &campaign, &context(Account::Checked(Err(broken))));
        assert_eq!(with(&bad.findings, &text)[0].severity, Severity::Error);
        let mut own = campaign.clone();
        own.organisation = crate::campaign::Organisation::default();
        let clean = report(&plan, &own, &context(Account::Missing));
        assert!(with(&clean.findings, "letterhead").is_empty(), "{:?}", clean.findings);
    }

    /// An unsaved campaign cannot be sent: its journal has no place. The
    /// error comes first.
    #[test]
    fn the_report_puts_an_unsaved_campaign_first() {
        let (plan, campaign) = report_plan();
        let mut unsaved = context(Account::NotChecked);
        unsaved.unsaved = true;
        let report = report(&plan, &campaign, &unsaved);
        assert_eq!(report.findings[0], Finding::error(UNSAVED.to_owned()));
        let saved = super::report(&plan, &campaign, &context(Account::NotChecked));
        assert!(with(&saved.findings, "save the campaign first").is_empty());
    }

    #[test]
    fn the_report_warns_of_near_identical_letters() {
        let (mut plan, campaign) = report_plan();
        let first = plan.items[0].clone();
        for (i, item) in plan.items.iter_mut().enumerate().skip(1) {
            *item = first.clone();
            item.mep_id = meps_id(i);
            item.to = format!("copy-{i}@parliament.test");
        }
        let report = report(&plan, &campaign, &context(Account::NotChecked));
        assert_eq!(report.similarity.map(|s| s.median), Some(1.0));
        assert_eq!(
            with(&report.findings, "the letters are nearly identical (100% alike)").len(),
            1
        );
        plan.items.truncate(1);
        let single = super::report(&plan, &campaign, &context(Account::NotChecked));
        assert!(single.similarity.is_none());
        assert!(with(&single.findings, "nearly identical").is_empty());
    }

    fn entry(to: &str, campaign: &str, file: &str) -> super::super::ledger::Entry {
        super::super::ledger::Entry {
            at: "2026-11-30T10:00:00Z".into(),
            to: to.into(),
            letter: "another letter".into(),
            state: super::super::journal::State::Sent,
            mep: String::new(),
            name: String::new(),
            campaign: campaign.into(),
            title: String::new(),
            file: file.into(),
            journal: String::new(),
            message_id: None,
        }
    }

    /// What the account's ledger knows: the same letter from another file
    /// (not sent again, counted as sent), an earlier version of this
    /// campaign, a different letter of another one.
    #[test]
    fn the_report_tells_what_the_ledger_knows_and_counts_it_as_sent() {
        let (plan, mut campaign) = report_plan();
        campaign.id = "spring".into();
        let mut known = Known::default();
        let same = &plan.items[0];
        known.letters.insert(
            (same.to.clone(), same.fingerprint.clone()),
            "copy.toml, 2026-11-30".into(),
        );
        let (b, c) = (&plan.items[1].to, &plan.items[2].to);
        known
            .by_address
            .insert(b.clone(), vec![entry(b, "spring", "/old/spring.toml")]);
        known
            .by_address
            .insert(c.clone(), vec![entry(c, "autumn", "/old/autumn.toml")]);
        let mut with_ledger = context(Account::NotChecked);
        with_ledger.known = Some(&known);
        let report = report(&plan, &campaign, &with_ledger);
        let expected = [
            (
                "already went from this mail account, the same letter",
                &plan.items[0].name,
            ),
            ("an earlier version of this letter went to", &plan.items[1].name),
            ("a different letter already went to", &plan.items[2].name),
        ];
        for (words, name) in expected {
            let found = with(&report.findings, words);
            assert_eq!(found.len(), 1, "{words}: {:?}", report.findings);
            assert!(found[0].text.contains(name.as_str()), "{}", found[0].text);
            assert_eq!(found[0].severity, Severity::Warning);
        }
        assert_eq!(report.already_sent, 1);
        let without = super::report(&plan, &campaign, &context(Account::NotChecked));
        assert!(with(&without.findings, "from this mail account").is_empty());
    }

    /// The journal's sent letters count as already sent; a letter both in
    /// the journal and sent from another file counts once.
    #[test]
    fn the_report_counts_the_journal_once_beside_the_ledger() {
        use super::super::journal::State;
        let (plan, campaign) = report_plan();
        let record = |mep: &str, state| super::super::journal::Record {
            at: "2026-11-30T10:00:00Z".into(),
            mep: mep.into(),
            name: String::new(),
            to: String::new(),
            state,
            letter: String::new(),
            message_id: None,
            detail: String::new(),
            attempt: 0,
            sent_copy: None,
        };
        let view = View {
            records: vec![
                record(&plan.items[0].mep_id, State::Sent),
                record(&plan.items[1].mep_id, State::MarkedSent),
                record(&plan.items[2].mep_id, State::Failed),
            ],
            warnings: Vec::new(),
        };
        let mut journal = context(Account::NotChecked);
        journal.journal = Some(&view);
        assert_eq!(report(&plan, &campaign, &journal).already_sent, 2);
        let mut known = Known::default();
        let first = &plan.items[0];
        known
            .letters
            .insert((first.to.clone(), first.fingerprint.clone()), "copy.toml".into());
        journal.known = Some(&known);
        assert_eq!(report(&plan, &campaign, &journal).already_sent, 2);
    }

    /// What the daily cap counts: the campaign's letters sent on the
    /// Brussels day of the check and the account's from other files.
    #[test]
    fn the_report_counts_todays_letters_of_the_account() {
        use super::super::journal::{Record, State};
        let (plan, campaign) = report_plan();
        let sent = |at: &str| Record {
            at: at.into(),
            ..Record::new("1", "", "a@ep.eu", State::Sent, "f")
        };
        let view = View {
            records: vec![
                sent("2026-11-30T10:00:00Z"),
                sent("2026-11-29T10:00:00Z"),
                // 23:30 UTC is already the next day in Brussels.
                sent("2026-11-29T23:30:00Z"),
            ],
            warnings: Vec::new(),
        };
        let known = Known {
            sent_at: vec!["2026-11-30T08:00:00Z".into(), "2026-11-28T08:00:00Z".into()],
            ..Known::default()
        };
        let mut on = context(Account::NotChecked);
        on.now = "2026-11-30T15:00:00Z".parse().unwrap();
        on.journal = Some(&view);
        assert_eq!(report(&plan, &campaign, &on).sent_today, 2);
        on.known = Some(&known);
        assert_eq!(report(&plan, &campaign, &on).sent_today, 3);
    }
}
