//! Follow-ups: a new campaign to the MEPs whose letter got no answer, each
//! letter a reply in the original's thread.
//!
//! Who is followed up: every MEP whose letter the journal records as sent
//! (or marked sent) more than `after` ago, with a Message-ID to answer, and
//! from whom nothing came back but an automatic reply or a delay notice
//! ([`Heard`], from the responses file). An answer leaves them out, and so
//! does a failed address (a bounce): a follow-up to it would fail again.
//! A letter whose outcome is unknown is not followed up either.
//!
//! What is made ([`make`]): a copy of the campaign with a new id, the
//! `follow-up` genre, exactly these MEPs as recipients, and `[followup]`
//! naming for each the letter it answers (Message-ID, day, address,
//! subject, and the letter's text as composed again for that day — checked
//! against the fingerprint the journal recorded, with a warning when the
//! campaign changed since). Sending it is an ordinary send: its own
//! journal, the account's ledger, exactly once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use super::journal::{Standing, View};
use crate::campaign::Campaign;
use crate::campaign::followup::{FollowUp, Original};
use crate::compose::{ComposeError, Composer};
use crate::directory::Mep;

/// What came back from an MEP since their letter, as far as a follow-up
/// cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// Nothing at all.
    Nothing,
    /// An automatic reply (out of office): still no answer.
    AutoReply,
    /// A delay notice (a 4.x.x DSN): not yet delivered, no answer.
    Delayed,
    /// A reply from the MEP or their office.
    Replied,
    /// The address failed (a 5.x.x DSN).
    Failed,
}

impl Heard {
    /// Whether the MEP counts as not having answered.
    pub fn is_no_answer(self) -> bool {
        matches!(self, Heard::Nothing | Heard::AutoReply | Heard::Delayed)
    }
}

/// One letter the journal records as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentLetter {
    pub mep: String,
    pub name: String,
    pub to: String,
    pub message_id: Option<String>,
    /// When it went.
    pub at: DateTime<Utc>,
    /// The letter's fingerprint (subject and text).
    pub fingerprint: String,
}

impl From<crate::deliver::responses::Answer> for Heard {
    fn from(answer: crate::deliver::responses::Answer) -> Self {
        use crate::deliver::responses::Answer;
        match answer {
            Answer::NoAnswer => Heard::Nothing,
            Answer::AutoReplied => Heard::AutoReply,
            Answer::Delayed => Heard::Delayed,
            Answer::Failed => Heard::Failed,
            Answer::Replied => Heard::Replied,
        }
    }
}

/// Why a follow-up could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FollowUpError {
    #[error(transparent)]
    Journal(#[from] super::journal::JournalError),
    #[error(transparent)]
    Responses(#[from] crate::deliver::responses::StoreError),
    #[error(transparent)]
    Compose(#[from] ComposeError),
    #[error(
        "the journal has no letter of this campaign that went out, so there is nobody to follow up; send the campaign first (journal: {})",
        .0.display()
    )]
    NothingSent(std::path::PathBuf),
}

/// Where a follow-up is chosen from: the campaign's journal and the
/// account's responses file (see `crate::deliver::responses::path_for`).
#[derive(Debug, Clone)]
pub struct Sources<'a> {
    pub journal: &'a Path,
    pub responses: &'a Path,
    pub now: DateTime<Utc>,
    pub after: chrono::Duration,
}

/// The follow-up of `original` (opened from `file`, its recipients `meps`)
/// to the MEPs who did not answer: the journal and responses file read,
/// the MEPs chosen, the campaign made (not saved).
pub fn prepare(
    original: &Composer,
    file: &Path,
    meps: &[&Mep],
    from: &Sources,
) -> Result<(Selection, Made), FollowUpError> {
    let view = View::read(from.journal)?;
    let store = crate::deliver::responses::Store::load(from.responses)?;
    let heard: std::collections::BTreeMap<String, Heard> =
        crate::deliver::responses::states_by_mep(&view, &store.responses)
            .into_iter()
            .map(|(mep, state)| (mep, Heard::from(state.answer)))
            .collect();
    let (letters, not_sent) = sent_letters(&view);
    if letters.is_empty() {
        return Err(FollowUpError::NothingSent(from.journal.to_path_buf()));
    }
    let mut selection = select(letters, &heard, from.now, from.after);
    selection.left_out.extend(not_sent);
    let mut made = make(original, file, meps, &selection)?;
    made.warnings.extend(view.warnings);
    made.warnings.extend(store.warnings);
    Ok((selection, made))
}

/// Why an MEP is not followed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeftOut {
    Answered,
    Failed,
    /// Their letter went less than `after` ago (on this day).
    TooRecent(String),
    /// The journal has no Message-ID for their letter to answer.
    NoMessageId,
    /// Their letter's outcome is unknown or it was not sent.
    NotSent,
}

impl std::fmt::Display for LeftOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LeftOut::Answered => f.write_str("answered"),
            LeftOut::Failed => f.write_str("their address failed (bounced); correct it first"),
            LeftOut::TooRecent(on) => write!(f, "written to on {on}, not long enough ago"),
            LeftOut::NoMessageId => f.write_str("the journal has no Message-ID for the letter to answer"),
            LeftOut::NotSent => f.write_str("their letter was not sent, or its outcome is unknown"),
        }
    }
}

/// Whom a follow-up goes to, and whom it leaves out and why.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub chosen: Vec<SentLetter>,
    /// MEP id, name, why.
    pub left_out: Vec<(String, String, LeftOut)>,
}

/// The letters of a journal that went (sent or marked sent), with the
/// Message-ID of the last try recorded for each; the others as not sent.
pub fn sent_letters(view: &View) -> (Vec<SentLetter>, Vec<(String, String, LeftOut)>) {
    let mut ids: HashMap<&str, (&str, &str)> = HashMap::new();
    for r in &view.records {
        if let Some(id) = &r.message_id {
            ids.insert(r.mep.as_str(), (id.as_str(), r.at.as_str()));
        }
    }
    let mut sent = Vec::new();
    let mut not_sent = Vec::new();
    for (mep, standing) in view.standings() {
        let Standing::Sent { record } = standing else {
            let r = standing.record();
            not_sent.push((mep, r.name.clone(), LeftOut::NotSent));
            continue;
        };
        let (message_id, at) = ids
            .get(mep.as_str())
            .map_or((None, record.at.as_str()), |(id, at)| (Some((*id).to_owned()), *at));
        let at = DateTime::parse_from_rfc3339(at).map_or(DateTime::<Utc>::UNIX_EPOCH, |d| d.with_timezone(&Utc));
        sent.push(SentLetter {
            mep,
            name: record.name.clone(),
            to: record.to.clone(),
            message_id,
            at,
            fingerprint: record.letter.clone(),
        });
    }
    (sent, not_sent)
}

/// The MEPs to follow up: sent more than `after` before `now`, with a
/// Message-ID, and no answer (`heard`: by MEP id; none means nothing).
pub fn select(
    letters: Vec<SentLetter>,
    heard: &std::collections::BTreeMap<String, Heard>,
    now: DateTime<Utc>,
    after: chrono::Duration,
) -> Selection {
    let mut selection = Selection::default();
    for letter in letters {
        let why = match heard.get(&letter.mep).copied().unwrap_or(Heard::Nothing) {
            Heard::Replied => Some(LeftOut::Answered),
            Heard::Failed => Some(LeftOut::Failed),
            _ if now - letter.at < after => Some(LeftOut::TooRecent(letter.at.date_naive().to_string())),
            _ if letter.message_id.is_none() => Some(LeftOut::NoMessageId),
            _ => None,
        };
        match why {
            Some(why) => selection.left_out.push((letter.mep, letter.name, why)),
            None => selection.chosen.push(letter),
        }
    }
    selection
}

/// "14d", "2w", "36h": how long after a letter a follow-up may go.
pub fn parse_after(text: &str) -> Result<chrono::Duration, String> {
    let text = text.trim();
    let bad = || {
        format!("\"{text}\" is not a waiting time; write a number of days, weeks or hours: \"14d\", \"2w\", \"36h\"")
    };
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: i64 = number.parse().map_err(|_| bad())?;
    if n > 3650 {
        return Err(bad());
    }
    match unit.trim() {
        "d" | "day" | "days" | "" => Ok(chrono::Duration::days(n)),
        "w" | "week" | "weeks" => Ok(chrono::Duration::weeks(n)),
        "h" | "hour" | "hours" => Ok(chrono::Duration::hours(n)),
        _ => Err(bad()),
    }
}

/// A follow-up campaign, and warnings in plain words.
#[derive(Debug, Clone)]
pub struct Made {
    pub campaign: Campaign,
    pub warnings: Vec<String>,
}

/// Makes the follow-up of `original` (opened from `file`, its recipients
/// `meps` in the order it sent them) to the `selection`'s MEPs.
pub fn make(original: &Composer, file: &Path, meps: &[&Mep], selection: &Selection) -> Result<Made, ComposeError> {
    let mut warnings = Vec::new();
    let mut letters = std::collections::BTreeMap::new();
    for chosen in &selection.chosen {
        let Some(index) = meps.iter().position(|m| m.id == chosen.mep) else {
            warnings.push(format!(
                "{} ({}) is no longer among the campaign's recipients; left out",
                chosen.name, chosen.mep
            ));
            continue;
        };
        let day: NaiveDate = chosen.at.date_naive();
        let letter = original.letter_to_all(meps[index], index, day, meps)?;
        if super::send::fingerprint(&letter) != chosen.fingerprint {
            warnings.push(format!(
                "the letter to {} is quoted as the campaign is now; it changed after the letter went on {day}",
                chosen.name
            ));
        }
        letters.insert(
            chosen.mep.clone(),
            Original {
                message_id: chosen.message_id.clone().unwrap_or_default(),
                sent: day.to_string(),
                to: chosen.to.clone(),
                subject: letter.meta.subject.clone(),
                text: crate::render::text::render(&letter),
            },
        );
    }
    let mut campaign = follow_up_of(&original.campaign, file);
    campaign.recipients.meps = Some(letters.keys().cloned().collect());
    campaign.followup = Some(FollowUp {
        campaign: original.campaign.id.clone(),
        title: original.campaign.title.clone(),
        file: file.display().to_string(),
        letters,
    });
    Ok(Made { campaign, warnings })
}

/// The original campaign as the frame of its follow-up: its sender,
/// letterhead, language and layout; a new id, the follow-up genre and its
/// phrases; no demands, sources, co-signers, volunteer answers or
/// translations of the original's texts (the original is quoted instead).
fn follow_up_of(original: &Campaign, file: &Path) -> Campaign {
    let mut c = Campaign::new(&format!("Follow-up: {}", original.title), "follow-up");
    c.renew_id();
    c.language.clone_from(&original.language);
    c.organisation = original.organisation.clone();
    c.organisations.clone_from(&original.organisations);
    c.layout = original.layout.clone();
    c.labels = original.labels.clone();
    c.signatories = original.signatories.clone();
    c.wording.salutation.clone_from(&original.wording.salutation);
    c.wording.closing_formula.clone_from(&original.wording.closing_formula);
    c.recipients.address_mep = original.recipients.address_mep;
    // The logo, from wherever the follow-up is saved.
    let dir = file.parent().unwrap_or(Path::new("."));
    for org in std::iter::once(&mut c.organisation).chain(c.organisations.iter_mut()) {
        if let Some(logo) = &org.logo
            && logo.is_relative()
        {
            let full = dir.join(logo);
            org.logo = Some(std::fs::canonicalize(&full).unwrap_or(full));
        }
    }
    c
}

/// Where a follow-up of `campaign` is written: `spring.toml` →
/// `spring-followup.toml` beside it.
pub fn file_beside(campaign: &Path) -> PathBuf {
    let stem = campaign
        .file_stem()
        .map_or_else(|| "campaign".into(), |s| s.to_string_lossy());
    campaign.with_file_name(format!("{stem}-followup.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deliver::journal::{Record, State};

    #[test]
    fn the_follow_up_file_stands_beside_the_campaign() {
        assert_eq!(
            file_beside(Path::new("/c/spring.toml")),
            Path::new("/c/spring-followup.toml")
        );
    }

    fn record(mep: &str, state: State, at: &str, id: Option<&str>) -> Record {
        let mut r = Record::new(mep, &format!("MEP {mep}"), &format!("{mep}@ep.eu"), state, "f");
        r.at = at.into();
        r.message_id = id.map(str::to_owned);
        r
    }

    /// Who a follow-up goes to: auto-replies and delays count as no answer,
    /// replies and failures are left out, and so are letters sent too
    /// recently, letters without a Message-ID and letters never confirmed.
    #[test]
    fn only_mps_who_did_not_answer_and_were_written_to_long_enough_ago() {
        let old = "2026-11-01T10:00:00Z";
        let records = vec![
            record("1", State::Pending, old, Some("<a1@o.eu>")),
            record("1", State::Sent, old, Some("<a1@o.eu>")),
            record("2", State::Sent, old, Some("<a2@o.eu>")),
            record("3", State::Sent, old, Some("<a3@o.eu>")),
            record("4", State::Sent, old, Some("<a4@o.eu>")),
            record("5", State::Sent, old, Some("<a5@o.eu>")),
            record("6", State::Sent, "2026-11-28T10:00:00Z", Some("<a6@o.eu>")),
            record("7", State::Sent, old, None),
            record("8", State::Pending, old, Some("<a8@o.eu>")),
            // Unconfirmed, then marked sent by the user: the pending's id.
            record("9", State::Pending, old, Some("<a9@o.eu>")),
            record("9", State::MarkedSent, "2026-11-02T10:00:00Z", None),
        ];
        let view = View {
            records,
            warnings: Vec::new(),
        };
        let (letters, not_sent) = sent_letters(&view);
        assert_eq!(not_sent.iter().map(|n| n.0.as_str()).collect::<Vec<_>>(), ["8"]);
        let heard = std::collections::BTreeMap::from([
            ("2".to_owned(), Heard::AutoReply),
            ("3".to_owned(), Heard::Replied),
            ("4".to_owned(), Heard::Failed),
            ("5".to_owned(), Heard::Delayed),
        ]);
        let now = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let s = select(letters, &heard, now, parse_after("14d").unwrap());
        let chosen: Vec<_> = s.chosen.iter().map(|c| c.mep.as_str()).collect();
        assert_eq!(chosen, ["1", "2", "5", "9"]);
        assert_eq!(s.chosen[3].message_id.as_deref(), Some("<a9@o.eu>"));
        let why: HashMap<_, _> = s.left_out.iter().map(|(m, _, w)| (m.as_str(), w.clone())).collect();
        assert_eq!(why["3"], LeftOut::Answered);
        assert_eq!(why["4"], LeftOut::Failed);
        assert_eq!(why["6"], LeftOut::TooRecent("2026-11-28".into()));
        assert_eq!(why["7"], LeftOut::NoMessageId);
        // With a shorter wait, the recent letter is followed up too.
        let (letters, _) = sent_letters(&view);
        let s = select(letters, &heard, now, parse_after("2d").unwrap());
        assert!(s.chosen.iter().any(|c| c.mep == "6"));
    }

    #[test]
    fn waiting_times_are_read_or_refused_in_words() {
        assert_eq!(parse_after("14d"), Ok(chrono::Duration::days(14)));
        assert_eq!(parse_after("2w"), Ok(chrono::Duration::days(14)));
        assert_eq!(parse_after("36h"), Ok(chrono::Duration::hours(36)));
        assert_eq!(parse_after("10"), Ok(chrono::Duration::days(10)));
        for bad in ["", "d", "14x", "-3d", "99999999999999999999d", "5000d"] {
            assert!(parse_after(bad).unwrap_err().contains("14d"), "{bad}");
        }
    }

    /// The follow-up made from the bundled example: its letter to an MEP
    /// answers the original (Message-ID, "Re:" subject), says when we
    /// wrote, quotes the original, and speaks German in a German campaign
    /// (French too; Polish falls back to English); a recipient it has no
    /// letter for is refused in words.
    #[test]
    fn the_follow_up_letter_answers_quotes_and_speaks_the_campaign_language() {
        let file =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/ai-act-people-on-the-move.toml");
        let original = Composer::open(&file, None).unwrap();
        let dir = crate::directory::Directory::bundled().unwrap();
        let meps: Vec<&Mep> = original.recipients(&dir).into_iter().take(2).collect();
        let chosen = SentLetter {
            mep: meps[1].id.clone(),
            name: meps[1].display_name(),
            to: "x@ep.eu".into(),
            message_id: Some("<hemicycle.0a@org.eu>".into()),
            at: DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            fingerprint: String::new(),
        };
        let selection = Selection {
            chosen: vec![chosen],
            left_out: Vec::new(),
        };
        let made = make(&original, &file, &meps, &selection).unwrap();
        assert_eq!(made.warnings.len(), 1, "the fingerprint differs: {:?}", made.warnings);
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        for (language, words) in [
            ("en", "We wrote to you on 20 November 2026"),
            ("de", "Am 20. November 2026 haben wir Ihnen"),
            ("fr", "Nous vous avons écrit le 20 novembre 2026"),
            ("pl", "We wrote to you on 20 listopada 2026"),
        ] {
            let mut campaign = made.campaign.clone();
            campaign.language = language.into();
            let composer = Composer::from_campaign(campaign, &file, None).unwrap();
            let letter = composer.letter(meps[1], 0, today).unwrap();
            assert_eq!(letter.meta.replies_to.as_deref(), Some("<hemicycle.0a@org.eu>"));
            assert!(letter.meta.subject.starts_with("Re: "), "{}", letter.meta.subject);
            let text = crate::render::text::render(&letter)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(text.contains(words), "{language}: {text}");
            assert!(text.contains("> "), "{language}: the original is quoted");
            let other = composer.letter(meps[0], 0, today).unwrap_err().to_string();
            assert!(other.contains("has no letter to them to follow up"), "{other}");
        }
        let mut bare = made.campaign.clone();
        bare.followup = None;
        let composer = Composer::from_campaign(bare, &file, None).unwrap();
        let error = composer.letter(meps[1], 0, today).unwrap_err().to_string();
        assert!(error.contains("hemicycle followup CAMPAIGN"), "{error}");
    }
}
