//! The send engine: one personal message per MEP, politely paced, resumable
//! and never twice. No egui here: the app runs [`run`] on a named background
//! thread, the command line on its main thread; both watch [`Progress`].
//!
//! For each letter: skip it if the journal says it was sent (or its outcome
//! is unknown, or it changed since it was sent, unless the user asks);
//! otherwise write `pending` to the journal (on disk), hand the letter to the
//! server, and write the outcome. 4xx replies and connections that broke
//! before the letter was handed over are tried again with growing pauses;
//! a 5xx reply is recorded and the run goes on; a connection that broke after
//! the letter was handed over is recorded as unconfirmed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc, Weekday};
use lettre::Address;

use super::journal::{Journal, JournalError, Record, SentCopy, Standing, State, View};
use super::profile::Profile;
use super::smtp::{Outcome, SmtpError, Transport};
use crate::compose::{ComposeError, Composer};
use crate::directory::Mep;
use crate::letter::Letter;
use crate::render::{eml, text};
use crate::store;

/// One letter ready to go.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub mep_id: String,
    pub name: String,
    pub to: String,
    pub letter: Letter,
    /// Fingerprint of subject and text: notices a changed letter.
    pub fingerprint: String,
}

/// A recipient who gets no e-mail, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub mep_id: String,
    pub name: String,
    pub reason: SkipReason,
}

/// Why a recipient gets no e-mail in this run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    #[error("no e-mail address; export the letter as PDF and post it instead")]
    NoAddress,
    #[error("\"{0}\" is not a valid e-mail address; correct it in the MEP's details")]
    InvalidAddress(String),
    #[error("shares the address {email} with {first}, who gets the letter")]
    SharedAddress { email: String, first: String },
    #[error(
        "{} from another campaign file ({campaign}; a copy of this one?): the same letter to {to}, never sent twice",
        if campaign.ends_with(super::ledger::UNSURE) { "may already have gone" } else { "already sent" }
    )]
    SentElsewhere { campaign: String, to: String },
    #[error("already sent on {on}")]
    AlreadySent { on: String },
    #[error("got an earlier version of this letter on {on}; it is not sent again unless you ask")]
    EarlierVersion { on: String },
    #[error(
        "unconfirmed: the letter of {on} may or may not have arrived; check your Sent folder, then mark it sent or send it again"
    )]
    Unconfirmed { on: String },
    #[error("over this run's limit of {0}")]
    OverLimit(usize),
    #[error("handed to your mail program on {on}; if you sent it from there, mark it sent, else allow it again")]
    HandedOver { on: String },
}

impl SkipReason {
    /// The reason without its particulars, to count skipped letters by:
    /// "already sent", "unconfirmed", "already sent from another campaign
    /// file (spring.toml)".
    pub fn kind(&self) -> String {
        match self {
            SkipReason::NoAddress => "no e-mail address".to_owned(),
            SkipReason::InvalidAddress(_) => "not a valid e-mail address".to_owned(),
            SkipReason::SharedAddress { .. } => "shares an address with another recipient".to_owned(),
            SkipReason::SentElsewhere { campaign, .. } if campaign.ends_with(super::ledger::UNSURE) => {
                format!("may already have gone from another campaign file ({campaign})")
            }
            SkipReason::SentElsewhere { campaign, .. } => {
                format!("already sent from another campaign file ({campaign})")
            }
            SkipReason::AlreadySent { .. } => "already sent".to_owned(),
            SkipReason::EarlierVersion { .. } => "got an earlier version".to_owned(),
            SkipReason::Unconfirmed { .. } => "unconfirmed".to_owned(),
            SkipReason::OverLimit(limit) => format!("over this run's limit of {limit}"),
            SkipReason::HandedOver { .. } => "handed to the mail program".to_owned(),
        }
    }
}

/// The letters of a campaign, composed, with the recipients who cannot get
/// one by e-mail.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub items: Vec<Outgoing>,
    pub skipped: Vec<Skip>,
    /// The campaign's votes the letters rely on, with the recipients who
    /// were not in the Parliament for them.
    pub vote_gaps: Vec<VoteGap>,
}

/// A vote the letters rely on, and the recipients with no position in it
/// (`none`: not in the Parliament on the day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteGap {
    pub name: String,
    pub id: u64,
    pub date: String,
    /// The template, a block or a phrase reads the vote's data itself
    /// (`vote.NAME.…`), not only through the `vote` block or `voted`.
    pub direct: bool,
    /// "Name (EP id)" of each recipient with no position.
    pub meps: Vec<String>,
}

pub fn fingerprint(letter: &Letter) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [letter.meta.subject.as_str(), "\u{0}", text::render(letter).as_str()] {
        for b in part.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The longest pause between two letters or before a retry: whatever the
/// options say, a run never sleeps longer than a day at once.
const LONGEST_PAUSE: Duration = Duration::from_hours(24);

/// The pause between letters at `per_minute` letters a minute (0: none).
/// Never panics: any rate, however small, large or not a number, gives a
/// pause between zero and a day.
pub fn interval(per_minute: f64) -> Duration {
    if per_minute.is_nan() || per_minute <= 0.0 {
        return Duration::ZERO;
    }
    Duration::try_from_secs_f64(60.0 / per_minute).map_or(LONGEST_PAUSE, |d| d.min(LONGEST_PAUSE))
}

/// The pause before retry `attempt` (from 1): `first`, doubled each time,
/// at most a day.
pub fn retry_pause(first: Duration, attempt: u32) -> Duration {
    first
        .checked_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
        .map_or(LONGEST_PAUSE, |d| d.min(LONGEST_PAUSE))
}

/// Composes every recipient's letter; recipients without a usable address,
/// or sharing one with an earlier recipient, are skipped with the reason.
pub fn plan(composer: &Composer, meps: &[&Mep], today: NaiveDate) -> Result<Plan, ComposeError> {
    let mut plan = Plan::default();
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (i, mep) in meps.iter().enumerate() {
        let name = mep.display_name();
        let skip = |reason: SkipReason| Skip {
            mep_id: mep.id.clone(),
            name: name.clone(),
            reason,
        };
        let Some(email) = mep.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) else {
            plan.skipped.push(skip(SkipReason::NoAddress));
            continue;
        };
        if !super::address::is_address(email) {
            plan.skipped.push(skip(SkipReason::InvalidAddress(email.to_owned())));
            continue;
        }
        let key = email.to_lowercase();
        if let Some(first) = seen.get(&key) {
            plan.skipped.push(skip(SkipReason::SharedAddress {
                email: email.to_owned(),
                first: first.clone(),
            }));
            continue;
        }
        seen.insert(key, name.clone());
        let letter = composer.letter_to_all(mep, i, today, meps)?;
        plan.items.push(Outgoing {
            mep_id: mep.id.clone(),
            name,
            to: email.to_owned(),
            fingerprint: fingerprint(&letter),
            letter,
        });
    }
    plan.vote_gaps = vote_gaps(composer, &plan.items);
    Ok(plan)
}

/// The recipients of `items` with no position in a vote the letters rely on.
fn vote_gaps(composer: &Composer, items: &[Outgoing]) -> Vec<VoteGap> {
    composer
        .votes_relied_on()
        .into_iter()
        .filter_map(|(name, direct)| {
            let vote = composer.votes.get(&name)?;
            let meps = items
                .iter()
                .filter(|i| vote.label_of(&i.mep_id) == "none")
                .map(|i| format!("{} ({})", i.name, i.mep_id))
                .collect();
            Some(VoteGap {
                id: vote.vote.id,
                date: vote.vote.date.clone(),
                name,
                direct,
                meps,
            })
        })
        .collect()
}

/// Weekday office hours in Brussels time: letters go out only between
/// `start` and `end` o'clock, Monday to Friday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficeHours {
    pub start: u32,
    pub end: u32,
}

impl Default for OfficeHours {
    fn default() -> Self {
        Self { start: 9, end: 17 }
    }
}

/// Brussels' offset from UTC at `utc`: CET (+1), or CEST (+2) from the last
/// Sunday of March to the last Sunday of October, changing at 01:00 UTC
/// (EU Directive 2000/84/EC).
pub fn brussels_offset(utc: DateTime<Utc>) -> chrono::FixedOffset {
    let year = utc.year();
    let last_sunday = |month: u32| {
        let mut d = NaiveDate::from_ymd_opt(year, month, 31).unwrap_or_default();
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt().unwrap_or(d);
        }
        Utc.from_utc_datetime(&d.and_hms_opt(1, 0, 0).unwrap_or_default())
    };
    let summer = utc >= last_sunday(3) && utc < last_sunday(10);
    chrono::FixedOffset::east_opt(if summer { 7200 } else { 3600 }).expect("one or two hours is a valid offset")
}

/// When the next letter may go out under `hours`: `now` itself if it is
/// within them, else the next weekday's opening time.
pub fn next_opening(now: DateTime<Utc>, hours: OfficeHours) -> DateTime<Utc> {
    let mut t = now;
    for _ in 0..(8 * 24) {
        let local = t.with_timezone(&brussels_offset(t));
        let weekday = !matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
        if weekday && local.hour() >= hours.start && local.hour() < hours.end {
            return t;
        }
        // Jump to the start of the next hour, in local time.
        let next = local
            .with_minute(0)
            .and_then(|l| l.with_second(0))
            .and_then(|l| l.with_nanosecond(0))
            .map_or(t, |l| l.with_timezone(&Utc))
            + chrono::Duration::hours(1);
        t = next;
    }
    now
}

/// The Brussels calendar day of a moment (for the daily cap).
pub fn brussels_day(utc: DateTime<Utc>) -> NaiveDate {
    utc.with_timezone(&brussels_offset(utc)).date_naive()
}

/// How to send.
#[derive(Debug, Clone)]
pub struct SendOptions {
    /// Letters per minute; 0 sends as fast as the server takes them.
    pub per_minute: f64,
    pub office_hours: Option<OfficeHours>,
    /// At most this many letters per Brussels day, counting earlier runs
    /// and the letters other campaigns sent (`sent_at_elsewhere`).
    pub daily_cap: Option<usize>,
    /// At most this many letters in this run.
    pub limit: Option<usize>,
    /// Send again letters whose outcome is unknown.
    pub resend_unconfirmed: bool,
    /// Send again to MEPs who got an earlier version of their letter.
    pub resend_changed: bool,
    /// Attempts per letter for 4xx replies and broken connections.
    pub attempts: u32,
    /// The first pause before trying again; it doubles each time.
    pub backoff: Duration,
    /// The time now (tests give a fixed one to check office hours).
    pub clock: fn() -> DateTime<Utc>,
    /// The same letters other campaign files sent (see
    /// [`super::journal::elsewhere`]): never sent again.
    pub sent_elsewhere: std::collections::HashMap<(String, String), String>,
    /// When the other campaigns' journals sent their letters (see
    /// [`super::journal::elsewhere`]): they count towards the
    /// daily cap, which is the sender's, not one campaign's.
    pub sent_at_elsewhere: Vec<String>,
    /// Recipients (address, lower case) to whom another file of this same
    /// campaign (its id) sent another version of the letter, with when and
    /// from which file: a changed letter, not sent unless `resend_changed`.
    pub earlier_elsewhere: std::collections::HashMap<String, String>,
}

impl Default for SendOptions {
    fn default() -> Self {
        Self {
            per_minute: 3.0,
            office_hours: None,
            daily_cap: None,
            limit: None,
            resend_unconfirmed: false,
            resend_changed: false,
            attempts: 5,
            backoff: Duration::from_secs(30),
            clock: Utc::now,
            sent_elsewhere: std::collections::HashMap::new(),
            sent_at_elsewhere: Vec::new(),
            earlier_elsewhere: std::collections::HashMap::new(),
        }
    }
}

/// Pause, resume and cancel, shared with the thread that sends.
#[derive(Debug, Default)]
pub struct Control {
    paused: AtomicBool,
    cancelled: AtomicBool,
}

impl Control {
    pub fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
    }
    pub fn resume(&self) {
        self.paused.store(false, Ordering::SeqCst);
    }
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }
    pub fn is_paused(&self) -> bool {
        self.paused.load(Ordering::SeqCst)
    }
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }
}

/// Where the run is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// Letters this run will try to send, and how many it has handled.
    pub done: usize,
    pub total: usize,
    pub sent: usize,
    pub failed: usize,
    pub unconfirmed: usize,
    /// The letter going out now: "Name <address>".
    pub current: Option<String>,
    /// Why the run waits, if it does ("office hours: resumes Monday 09:00").
    pub waiting: Option<String>,
    /// Estimated time left.
    pub eta: Option<Duration>,
    /// When the next letter goes, while the run keeps its pace: for a live
    /// count-down.
    pub next_letter_at: Option<Instant>,
    /// Something the user should know that does not stop the run (a copy
    /// in Sent that could not be kept), told once.
    pub notice: Option<String>,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct SendReport {
    /// Name, address, server reply.
    pub sent: Vec<(String, String, String)>,
    /// Name, address, reason.
    pub failed: Vec<(String, String, String)>,
    pub unconfirmed: Vec<(String, String, String)>,
    /// Name, reason (already sent, no address, …).
    pub skipped: Vec<(String, SkipReason)>,
    /// Why the run ended early (cancelled, daily cap, server unreachable).
    pub stopped: Option<String>,
    /// Copies kept in the Sent folder, and copies that could not be.
    pub copies_kept: usize,
    pub copies_failed: usize,
    /// Why the first copy could not be kept (told once per run).
    pub copy_problem: Option<String>,
    /// What the user should know about the run as a whole, in sentences
    /// (the journal rebuilt from the account's ledger).
    pub notes: Vec<String>,
}

impl SendReport {
    /// Lines for the send log: the summary, then each failure.
    pub fn log_lines(&self, campaign: &str, how: &str) -> Vec<String> {
        let mut lines = vec![format!(
            "{how} \"{campaign}\": {}{}",
            self.summary(),
            self.stopped
                .as_ref()
                .map(|s| format!("; stopped: {s}"))
                .unwrap_or_default()
        )];
        for note in &self.notes {
            lines.push(format!("  {note}"));
        }
        for (name, to, why) in &self.failed {
            lines.push(format!("  failed: {name} <{to}>: {why}"));
        }
        for (name, to, why) in &self.unconfirmed {
            lines.push(format!("  unconfirmed: {name} <{to}>: {why}"));
        }
        if let Some(copies) = self.copies_line() {
            lines.push(format!("  {copies}"));
        }
        lines
    }

    /// "Copies in Sent: 3 kept, 2 not kept (…)", when the account keeps
    /// copies.
    pub fn copies_line(&self) -> Option<String> {
        if self.copies_kept + self.copies_failed == 0 {
            return None;
        }
        let mut line = format!("copies in Sent: {} kept", self.copies_kept);
        if self.copies_failed > 0 {
            line.push_str(&format!(", {} not kept", self.copies_failed));
            if let Some(problem) = &self.copy_problem {
                line.push_str(&format!(" ({problem})"));
            }
        }
        Some(line)
    }

    /// "12 sent, 1 failed, 0 unconfirmed, 3 skipped".
    pub fn summary(&self) -> String {
        format!(
            "{} sent, {} failed, {} unconfirmed, {} skipped",
            self.sent.len(),
            self.failed.len(),
            self.unconfirmed.len(),
            self.skipped.len()
        )
    }
}

/// Why a run could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(transparent)]
    Smtp(#[from] SmtpError),
    #[error("{0}")]
    Message(String),
}

/// Who sends: the profile's From, Reply-To and blind copy to self.
#[derive(Debug, Clone)]
pub struct Sender {
    pub from_name: String,
    pub from_email: String,
    pub reply_to: Option<String>,
    pub bcc_self: bool,
}

impl Sender {
    pub fn from_profile(p: &Profile) -> Self {
        Self {
            from_name: p.from_name.trim().to_owned(),
            from_email: p.from_email.trim().to_owned(),
            reply_to: Some(p.reply_to.trim().to_owned()).filter(|r| !r.is_empty()),
            bcc_self: p.bcc_self,
        }
    }

    /// A draft of the letter to `item`'s MEP for the user's mail program
    /// (`X-Unsent: 1`: Outlook and Thunderbird open it for editing).
    pub fn draft(&self, item: &Outgoing, date: SystemTime) -> Result<Vec<u8>, String> {
        let settings = eml::EmlSettings {
            draft: true,
            ..self.settings(date)
        };
        let message = eml::message(&item.letter, &item.name, &item.to, &settings).map_err(|e| e.to_string())?;
        Ok(message.formatted())
    }

    fn settings(&self, date: SystemTime) -> eml::EmlSettings {
        eml::EmlSettings {
            from_name: self.from_name.clone(),
            from_email: self.from_email.clone(),
            reply_to: self.reply_to.clone(),
            draft: false,
            attachment: None,
            date: Some(date),
        }
    }

    /// The message bytes and its Message-ID.
    pub fn message(
        &self,
        item: &Outgoing,
        to_name: &str,
        to: &str,
        date: SystemTime,
    ) -> Result<(Vec<u8>, String), String> {
        let message = eml::message(&item.letter, to_name, to, &self.settings(date)).map_err(|e| e.to_string())?;
        let id = message
            .headers()
            .get_raw("Message-ID")
            .map(str::to_owned)
            .unwrap_or_default();
        Ok((message.formatted(), id))
    }

    fn envelope(&self, to: &str) -> Result<(Address, Vec<Address>), String> {
        let from: Address = self.from_email.parse().map_err(|_| {
            format!(
                "\"{}\" is not a valid From address; correct the mail account",
                self.from_email
            )
        })?;
        let to: Address = to
            .parse()
            .map_err(|_| format!("\"{to}\" is not a valid e-mail address"))?;
        let mut rcpts = vec![to];
        if self.bcc_self && rcpts[0] != from {
            rcpts.push(from.clone());
        }
        Ok((from, rcpts))
    }
}

/// What the journal says about an item, and whether to send it.
fn decide(standing: Option<&Standing>, item: &Outgoing, opts: &SendOptions) -> Result<(), SkipReason> {
    // The same letter to the same person from a copy of this campaign.
    if standing.is_none()
        && let Some(where_) = opts
            .sent_elsewhere
            .get(&(item.to.trim().to_lowercase(), item.fingerprint.clone()))
    {
        return Err(SkipReason::SentElsewhere {
            campaign: where_.clone(),
            to: item.to.clone(),
        });
    }
    // Another version of it from a copy of this campaign.
    if standing.is_none()
        && !opts.resend_changed
        && let Some(on) = opts.earlier_elsewhere.get(&item.to.trim().to_lowercase())
    {
        return Err(SkipReason::EarlierVersion { on: on.clone() });
    }
    match standing {
        None | Some(Standing::NotSent { .. }) => Ok(()),
        Some(Standing::Sent { record }) => {
            if record.letter == item.fingerprint || record.letter.is_empty() {
                Err(SkipReason::AlreadySent {
                    on: short_date(&record.at),
                })
            } else if opts.resend_changed {
                Ok(())
            } else {
                Err(SkipReason::EarlierVersion {
                    on: short_date(&record.at),
                })
            }
        }
        Some(Standing::Unconfirmed { record }) => {
            let on = short_date(&record.at);
            if opts.resend_unconfirmed {
                Ok(())
            } else if record.state == State::HandedOver {
                Err(SkipReason::HandedOver { on })
            } else {
                Err(SkipReason::Unconfirmed { on })
            }
        }
    }
}

fn short_date(rfc3339: &str) -> String {
    rfc3339.get(..10).unwrap_or(rfc3339).to_owned()
}

/// Sleeps until `until`, in short steps, honouring pause and cancel.
/// Returns false if cancelled.
fn wait_until(until: Instant, control: &Control) -> bool {
    loop {
        if control.is_cancelled() {
            return false;
        }
        let now = Instant::now();
        if now >= until && !control.is_paused() {
            return true;
        }
        std::thread::sleep(
            until
                .saturating_duration_since(now)
                .clamp(Duration::from_millis(5), Duration::from_millis(100)),
        );
    }
}

/// Sends `plan` through `transport`, recording every step in `journal`.
///
/// Returns when every letter was handled, or the run was cancelled, hit the
/// daily cap, or lost the server (then nothing more is sent and the report
/// says why; running again resumes).
pub fn run(
    plan: &Plan,
    sender: &Sender,
    journal: &mut Journal,
    transport: &mut dyn Transport,
    opts: &SendOptions,
    control: &Control,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<SendReport, SendError> {
    let mut report = SendReport::default();
    let todo = to_send(plan, journal, opts, &mut report);
    let mut state = Progress {
        total: todo.len(),
        ..Progress::default()
    };
    progress(&state);
    if todo.is_empty() {
        return Ok(report);
    }
    if let Err(e) = transport.connect() {
        return Err(SendError::Smtp(e));
    }
    let interval = interval(opts.per_minute);
    let started = Instant::now();
    let mut next_slot = Instant::now();
    for (n, item) in todo.iter().enumerate() {
        // Pace, office hours, cap, pause, cancel — before the letter, never
        // in the middle of one.
        if let Some(stop) = wait_for_turn(journal, opts, control, next_slot, &mut state, progress) {
            report.stopped = Some(stop);
            break;
        }
        next_slot = Instant::now() + interval;
        state.current = Some(format!("{} <{}>", item.name, item.to));
        progress(&state);
        let done = send_one(item, sender, journal, transport, opts, control)?;
        if let Done::Stop(reason) = done {
            report.stopped = Some(reason);
            break;
        }
        report.record(item, done, &mut state);
        state.done = n + 1;
        let left = state.total - state.done;
        let per = started.elapsed() / u32::try_from(state.done).unwrap_or(u32::MAX).max(1);
        state.eta = Some(per.max(interval) * u32::try_from(left).unwrap_or(u32::MAX));
        state.current = None;
        progress(&state);
    }
    transport.close();
    journal.sync()?;
    state.current = None;
    state.waiting = None;
    progress(&state);
    Ok(report)
}

/// What this run sends, in order; the rest goes into the report as skipped
/// with the reason (already sent, over the run's limit, …).
pub(super) fn to_send<'p>(
    plan: &'p Plan,
    journal: &Journal,
    opts: &SendOptions,
    report: &mut SendReport,
) -> Vec<&'p Outgoing> {
    for s in &plan.skipped {
        report.skipped.push((s.name.clone(), s.reason.clone()));
    }
    let standings = journal.view().standings();
    let mut todo = Vec::new();
    for item in &plan.items {
        match decide(standings.get(&item.mep_id), item, opts) {
            Ok(()) => todo.push(item),
            Err(reason) => report.skipped.push((item.name.clone(), reason)),
        }
    }
    if let Some(limit) = opts.limit {
        for item in todo.iter().skip(limit) {
            report.skipped.push((item.name.clone(), SkipReason::OverLimit(limit)));
        }
        todo.truncate(limit);
    }
    todo
}

/// Letters sent today (Brussels time), by this journal and the others.
fn sent_today(journal: &Journal, opts: &SendOptions) -> usize {
    sent_on_day_of((opts.clock)(), journal.view(), &opts.sent_at_elsewhere)
}

/// Letters sent on the Brussels day of `now`: the sent records of `view`
/// and the moments in `elsewhere` (what other campaign files sent from the
/// account). What the daily cap counts, for the engine and the pre-send
/// check alike.
pub fn sent_on_day_of(now: DateTime<Utc>, view: &View, elsewhere: &[String]) -> usize {
    let today = brussels_day(now);
    let is_today =
        |at: &str| DateTime::parse_from_rfc3339(at).is_ok_and(|t| brussels_day(t.with_timezone(&Utc)) == today);
    let here = view
        .records
        .iter()
        .filter(|r| r.state == State::Sent && is_today(&r.at))
        .count();
    here + elsewhere.iter().filter(|at| is_today(at)).count()
}

/// Waits until the next letter may go: office hours, the daily cap, the
/// pace, a pause. Returns why the run must stop instead, if it must.
///
/// Office hours are read from the wall clock, in steps of at most a minute,
/// and again after the pause between letters: a computer that slept
/// (suspend) may wake after the hours have ended.
fn wait_for_turn(
    journal: &Journal,
    opts: &SendOptions,
    control: &Control,
    next_slot: Instant,
    state: &mut Progress,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Option<String> {
    let cancelled = || Some("you cancelled it".to_owned());
    loop {
        if let Some(hours) = opts.office_hours {
            let now = (opts.clock)();
            let open = next_opening(now, hours);
            if open > now {
                let local = open.with_timezone(&brussels_offset(open));
                state.waiting = Some(format!(
                    "outside office hours; sending resumes {} at {:02}:00 Brussels time",
                    local.format("%A"),
                    local.hour()
                ));
                progress(state);
                let wait = (open - now).to_std().unwrap_or_default().min(OFFICE_HOURS_STEP);
                if !wait_until(Instant::now() + wait, control) {
                    return cancelled();
                }
                continue;
            }
            state.waiting = None;
        }
        if let Some(cap) = opts.daily_cap
            && sent_today(journal, opts) >= cap
        {
            return Some(format!(
                "the daily limit of {cap} letters is reached; send again tomorrow to go on where this stopped"
            ));
        }
        if next_slot > Instant::now() {
            state.next_letter_at = Some(next_slot);
            progress(state);
            let waited = wait_until(next_slot, control);
            state.next_letter_at = None;
            if !waited {
                return cancelled();
            }
            if opts.office_hours.is_some() {
                // Once more: the hours may have ended during the pause.
                continue;
            }
        }
        return None;
    }
}

/// The longest wait before the office hours are read from the clock again.
const OFFICE_HOURS_STEP: Duration = Duration::from_mins(1);

impl SendReport {
    /// One letter's outcome, in the report and the progress counts.
    fn record(&mut self, item: &Outgoing, done: Done, state: &mut Progress) {
        let entry = |text: String| (item.name.clone(), item.to.clone(), text);
        match done {
            Done::Sent(reply, copy) => {
                state.sent += 1;
                self.sent.push(entry(reply));
                self.record_copy(copy, state);
            }
            Done::Failed(reason) => {
                state.failed += 1;
                self.failed.push(entry(reason));
            }
            Done::Unconfirmed(reason) => {
                state.unconfirmed += 1;
                self.unconfirmed.push(entry(reason));
            }
            Done::Stop(_) => {}
        }
    }
}

impl SendReport {
    /// A copy in Sent kept or not; the first problem becomes the run's
    /// notice.
    fn record_copy(&mut self, copy: Option<Result<(), String>>, state: &mut Progress) {
        match copy {
            None => {}
            Some(Ok(())) => self.copies_kept += 1,
            Some(Err(problem)) => {
                self.copies_failed += 1;
                if self.copy_problem.is_none() {
                    state.notice = Some(format!(
                        "No copy in your Sent folder: {problem}. The letters are still sent."
                    ));
                    self.copy_problem = Some(problem);
                }
            }
        }
    }
}

enum Done {
    /// The server's reply, and how the copy in Sent went (if one is kept).
    Sent(String, Option<Result<(), String>>),
    Failed(String),
    Unconfirmed(String),
    Stop(String),
}

fn send_one(
    item: &Outgoing,
    sender: &Sender,
    journal: &mut Journal,
    transport: &mut dyn Transport,
    opts: &SendOptions,
    control: &Control,
) -> Result<Done, SendError> {
    let (from, rcpts) = match sender.envelope(&item.to) {
        Ok(e) => e,
        Err(reason) => {
            let mut r = Record::new(&item.mep_id, &item.name, &item.to, State::Failed, &item.fingerprint);
            r.detail.clone_from(&reason);
            journal.record(r)?;
            return Ok(Done::Failed(reason));
        }
    };
    let attempts = opts.attempts.max(1);
    let mut last = String::new();
    for attempt in 1..=attempts {
        let (bytes, message_id) = match sender.message(item, &item.name, &item.to, SystemTime::now()) {
            Ok(m) => m,
            Err(reason) => {
                let mut r = Record::new(&item.mep_id, &item.name, &item.to, State::Failed, &item.fingerprint);
                r.detail.clone_from(&reason);
                journal.record(r)?;
                return Ok(Done::Failed(reason));
            }
        };
        let mut pending = Record::new(&item.mep_id, &item.name, &item.to, State::Pending, &item.fingerprint);
        pending.message_id = Some(message_id.clone());
        pending.attempt = attempt;
        journal.record(pending)?;
        let outcome = transport.send(&from, &rcpts, &bytes);
        let (state, detail) = match &outcome {
            Outcome::Sent(reply) => (State::Sent, reply.clone()),
            Outcome::Refused(reply) => (State::Failed, reply.clone()),
            Outcome::Deferred(reply) => (State::Deferred, reply.clone()),
            Outcome::Dropped(reason) => (State::Deferred, reason.clone()),
            Outcome::Unknown(reason) => (
                State::Unconfirmed,
                format!("the connection broke after the letter was handed over ({reason})"),
            ),
        };
        let mut r = Record::new(&item.mep_id, &item.name, &item.to, state, &item.fingerprint);
        r.message_id = Some(message_id);
        r.detail.clone_from(&detail);
        r.attempt = attempt;
        // The copy in Sent, before "sent" is written: a crash meanwhile
        // leaves the letter unconfirmed (never unsent).
        let copy = if state == State::Sent {
            transport.keep_copy(&bytes).map(|kept| kept.map_err(|e| e.to_string()))
        } else {
            None
        };
        r.sent_copy = copy.as_ref().map(|kept| match kept {
            Ok(()) => SentCopy::Kept,
            Err(_) => SentCopy::Failed,
        });
        if state == State::Sent {
            // On disk with the next letter's "pending", or at the end of the run.
            journal.record_soon(r)?;
        } else {
            journal.record(r)?;
        }
        match outcome {
            Outcome::Sent(reply) => return Ok(Done::Sent(reply, copy)),
            Outcome::Refused(reply) => return Ok(Done::Failed(format!("the server refused it: {reply}"))),
            Outcome::Unknown(_) => return Ok(Done::Unconfirmed(detail)),
            Outcome::Deferred(_) | Outcome::Dropped(_) => {
                last = detail;
                if attempt < attempts {
                    let pause = retry_pause(opts.backoff, attempt);
                    if !wait_until(Instant::now() + pause, control) {
                        return Ok(Done::Stop("you cancelled it".to_owned()));
                    }
                }
            }
        }
    }
    // Can the server still be reached? If not, stop rather than fail the rest.
    if transport.connect().is_err() {
        return Ok(Done::Stop(format!(
            "the mail server stopped answering ({last}); nothing more was sent. Send again later to go on where this stopped"
        )));
    }
    let mut r = Record::new(&item.mep_id, &item.name, &item.to, State::Failed, &item.fingerprint);
    r.detail = format!("not accepted after {attempts} tries: {last}");
    journal.record(r.clone())?;
    Ok(Done::Failed(r.detail))
}

/// A dry run: writes each message as an .eml file into a folder instead of
/// sending it, with a journal of its own in that folder (the campaign's real
/// journal is not touched).
#[derive(Debug)]
pub struct DryRun {
    dir: PathBuf,
    names: super::names::Unique,
}

impl DryRun {
    pub fn new(dir: &Path) -> Result<Self, SendError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            SendError::Message(format!(
                "could not create the folder for the dry run ({e}); choose a folder you can write to: {}",
                dir.display()
            ))
        })?;
        Ok(Self {
            dir: dir.to_path_buf(),
            names: super::names::Unique::default(),
        })
    }

    /// The dry run's own journal.
    pub fn journal_path(dir: &Path) -> PathBuf {
        dir.join("dry-run-journal.jsonl")
    }
}

impl Transport for DryRun {
    fn connect(&mut self) -> Result<(), SmtpError> {
        Ok(())
    }

    fn send(&mut self, _from: &Address, to: &[Address], message: &[u8]) -> Outcome {
        let stem = super::names::sanitize(&to.first().map(ToString::to_string).unwrap_or_default());
        let name = self.names.name(&stem, "eml");
        let path = self.dir.join(&name);
        match store::write_replacing(&path, message, "the dry-run e-mail") {
            Ok(()) => Outcome::Sent(format!("written to {}", path.display())),
            Err(e) => Outcome::Refused(e.to_string()),
        }
    }

    fn close(&mut self) {}
}

/// Sends one letter (the first of the plan) to the From address itself, to
/// see it as an MEP will. Not journaled.
pub fn test_to_self(plan: &Plan, sender: &Sender, transport: &mut dyn Transport) -> Result<String, SendError> {
    let Some(item) = plan.items.first() else {
        return Err(SendError::Message(
            "there is no letter to send as a test: the campaign has no recipient with an e-mail address".to_owned(),
        ));
    };
    transport.connect()?;
    let (bytes, _) = sender
        .message(item, &sender.from_name, &sender.from_email, SystemTime::now())
        .map_err(SendError::Message)?;
    let (from, _) = sender.envelope(&sender.from_email).map_err(SendError::Message)?;
    let outcome = transport.send(&from, std::slice::from_ref(&from), &bytes);
    transport.close();
    match outcome {
        Outcome::Sent(reply) => Ok(format!(
            "A test letter (the one to {}) went to {}: {reply}",
            item.name, sender.from_email
        )),
        Outcome::Refused(r) | Outcome::Deferred(r) | Outcome::Dropped(r) | Outcome::Unknown(r) => {
            Err(SendError::Message(format!("the test letter was not sent: {r}")))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pauses_never_panic_and_never_exceed_a_day() {
        use super::{Duration, LONGEST_PAUSE, interval, retry_pause};
        assert_eq!(interval(3.0), Duration::from_secs(20));
        assert_eq!(interval(0.0), Duration::ZERO);
        assert_eq!(interval(f64::NAN), Duration::ZERO);
        assert_eq!(interval(-1.0), Duration::ZERO);
        assert_eq!(interval(1e-300), LONGEST_PAUSE);
        assert_eq!(interval(f64::INFINITY), Duration::ZERO);
        assert_eq!(retry_pause(Duration::from_secs(30), 1), Duration::from_secs(30));
        assert_eq!(retry_pause(Duration::from_secs(30), 3), Duration::from_mins(2));
        assert_eq!(retry_pause(Duration::from_secs(30), 40), LONGEST_PAUSE);
        assert_eq!(retry_pause(Duration::MAX, 2), LONGEST_PAUSE);
        assert_eq!(retry_pause(Duration::from_secs(1), 0), Duration::from_secs(1));
    }

    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn brussels_summer_and_winter_time() {
        assert_eq!(brussels_offset(utc("2026-01-15T12:00:00Z")).local_minus_utc(), 3600);
        assert_eq!(brussels_offset(utc("2026-07-15T12:00:00Z")).local_minus_utc(), 7200);
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(brussels_offset(utc("2026-03-29T00:59:59Z")).local_minus_utc(), 3600);
        assert_eq!(brussels_offset(utc("2026-03-29T01:00:00Z")).local_minus_utc(), 7200);
        assert_eq!(brussels_offset(utc("2026-10-25T00:59:59Z")).local_minus_utc(), 7200);
        assert_eq!(brussels_offset(utc("2026-10-25T01:00:00Z")).local_minus_utc(), 3600);
    }

    #[test]
    fn office_hours_wait_for_the_next_weekday_morning() {
        let hours = OfficeHours::default();
        // Tuesday 1 December 2026, 10:30 in Brussels (09:30 UTC): open now.
        let now = utc("2026-12-01T09:30:00Z");
        assert_eq!(next_opening(now, hours), now);
        // Friday 4 December, 17:30 in Brussels: Monday 7 December 09:00 (08:00 UTC).
        assert_eq!(
            next_opening(utc("2026-12-04T16:30:00Z"), hours),
            utc("2026-12-07T08:00:00Z")
        );
        // Summer: Monday 6 July 2026 07:15 in Brussels (05:15 UTC) → 09:00 = 07:00 UTC.
        assert_eq!(
            next_opening(utc("2026-07-06T05:15:00Z"), hours),
            utc("2026-07-06T07:00:00Z")
        );
    }
}
