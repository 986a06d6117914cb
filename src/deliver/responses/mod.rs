//! After "sent": the replies, automatic replies and bounces that came back
//! to the mail account, matched to the letters it sent, per MEP.
//!
//! - [`classify`]: one message → a [`Response`] ([`Kind`]: reply,
//!   automatic reply, bounce or not related), by its headers and, for a
//!   bounce, its delivery report ([`dsn`]). A reply is matched by
//!   `In-Reply-To`, then `References` walked from the last entry, to a
//!   letter's recorded Message-ID ([`Letters`]); never by guessing.
//! - [`imap`]: the account's Inbox (and the folders the user names) read
//!   over IMAP, read-only (EXAMINE, `BODY.PEEK`: no flag changes), each
//!   message at most [`imap::MAX_MESSAGE_BYTES`].
//! - [`Store`]: the append-only responses file of the account, beside its
//!   sent ledger: one JSON line per message read, so each message is read
//!   once and a crash loses nothing; the file always opens.
//! - [`states_by_mep`]: per MEP of a campaign, the latest [`Answer`], its
//!   date, the time to answer and the reply's text; [`summary`]: the
//!   figures by group and country, and CSV.
//!
//! The public API other modules build on (kept stable): [`Kind`],
//! [`Response`], [`Store::load`], [`Store::open`] + [`Store::append`],
//! [`path_for`], [`Letters`], [`states_by_mep`] → [`MepState`] with
//! [`Answer`] and [`Answer::counts_as_no_answer`], and [`bounced`] (the
//! failed addresses, for the pre-send check).
//!
//! Nothing here sends anything: the messages are read and stored on this
//! computer only.

pub mod classify;
pub mod dsn;
pub mod imap;
pub mod summary;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::deliver::journal::{self, Record, State, View};
use crate::deliver::ledger::History;
use crate::deliver::record;

/// What a message that came back is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A person's answer to a letter.
    Reply,
    /// An out-of-office or other automatic answer.
    AutoReply,
    /// A delivery report: the letter failed, or is delayed.
    Bounce,
    /// Nothing to do with a letter Hemicycle sent (listed, not counted);
    /// what a message is until it is classified.
    #[default]
    Unrelated,
}

/// What a delivery report says happened (RFC 3464 `Action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 5.x.x: not delivered.
    Failed,
    /// 4.x.x: not yet delivered; the server keeps trying.
    Delayed,
    /// Delivered, relayed or expanded: settles an earlier delay.
    Delivered,
}

/// One message read from the account, as stored in the responses file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// When Hemicycle read it (UTC, RFC 3339).
    pub read_at: String,
    /// Where it was: the folder, its UIDVALIDITY and the message's UID.
    pub folder: String,
    pub uid_validity: u32,
    pub uid: u32,
    /// The message's own Message-ID (without angle brackets; may be empty).
    #[serde(default)]
    pub message_id: String,
    /// When it was written (its Date, else when the server got it; UTC,
    /// RFC 3339).
    pub date: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub subject: String,
    pub kind: Kind,
    /// The letter it is about: its Message-ID, MEP, address and journal
    /// (empty when not related).
    #[serde(default)]
    pub letter: String,
    #[serde(default)]
    pub mep: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub journal: String,
    /// A bounce's action, status ("5.1.1") and the server's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub diagnostic: String,
    /// An automatic reply's return date (YYYY-MM-DD) when it states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_on: Option<String>,
    /// The text of a reply or automatic reply (kept on this computer only;
    /// at most [`MAX_TEXT_CHARS`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Why it was classified so (for a message not related: why not).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The most of a message's text that is kept.
pub const MAX_TEXT_CHARS: usize = 64 * 1024;

impl Response {
    /// The day it was written (YYYY-MM-DD).
    pub fn day(&self) -> &str {
        self.date.get(..10).unwrap_or(&self.date)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("could not open the responses file ({source}): {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not write to the responses file ({source}); what was read so far is kept: {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the replies of this mail account are being read right now by another Hemicycle window or command; wait for it to finish: {}",
        path.display()
    )]
    Busy { path: PathBuf },
    #[error("{} is not a Hemicycle responses file (line {line}: {reason}); move it away and read the replies again", path.display())]
    Foreign { path: PathBuf, line: usize, reason: String },
}

/// The responses file of the account that sends as `sender`: beside its
/// sent ledger in `ledgers`, with the ledger's name.
pub fn path_for(ledgers: &Path, sender: &str) -> PathBuf {
    let ledger = crate::deliver::ledger::path_for(ledgers, sender);
    let stem = ledger.file_stem().and_then(|s| s.to_str()).unwrap_or("account");
    ledgers.join(format!("{stem}.responses.jsonl"))
}

/// The responses file: what was read, in the order it was read.
#[derive(Debug, Default)]
pub struct Store {
    pub responses: Vec<Response>,
    /// Damaged lines that were skipped, in plain words.
    pub warnings: Vec<String>,
    seen: HashSet<(String, u32, u32)>,
    file: Option<(PathBuf, File)>,
}

impl Store {
    /// Reads the file (a missing file is an empty one), without a lock: for
    /// showing it. A torn or damaged line is skipped and reported.
    pub fn load(path: &Path) -> Result<Self, StoreError> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(StoreError::Open {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        Self::parse(&bytes, path)
    }

    fn parse(bytes: &[u8], path: &Path) -> Result<Self, StoreError> {
        let (all, warnings) =
            record::parse_lines::<Response>(bytes, "responses file").map_err(|(line, reason)| StoreError::Foreign {
                path: path.to_path_buf(),
                line,
                reason,
            })?;
        let mut store = Self {
            warnings,
            ..Self::default()
        };
        for r in all {
            store.remember(r);
        }
        Ok(store)
    }

    fn remember(&mut self, r: Response) {
        let key = (r.folder.clone(), r.uid_validity, r.uid);
        if self.seen.insert(key) {
            self.responses.push(r);
        }
    }

    /// Opens the file for appending, locked against a second reader of the
    /// same account, with what it holds.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let (mut file, bytes) = record::open_locked(path).map_err(|e| match e {
            record::OpenLocked::Busy => StoreError::Busy {
                path: path.to_path_buf(),
            },
            record::OpenLocked::Io(source) => open_err(source),
        })?;
        let mut store = Self::parse(&bytes, path)?;
        // After a torn line, the next one starts on a line of its own.
        record::end_torn_line(&mut file, &bytes).map_err(open_err)?;
        store.file = Some((path.to_path_buf(), file));
        Ok(store)
    }

    /// Whether the message at this place was read already.
    pub fn has(&self, folder: &str, uid_validity: u32, uid: u32) -> bool {
        self.seen.contains(&(folder.to_owned(), uid_validity, uid))
    }

    /// Appends responses (one line each, one write, then waits for the
    /// disk). A message already stored is left out.
    pub fn append(&mut self, responses: Vec<Response>) -> Result<(), StoreError> {
        let Some((path, file)) = self.file.as_mut() else {
            return Err(StoreError::Write {
                path: PathBuf::new(),
                source: std::io::Error::other("the responses file was not opened for writing"),
            });
        };
        let fresh: Vec<Response> = responses
            .into_iter()
            .filter(|r| !self.seen.contains(&(r.folder.clone(), r.uid_validity, r.uid)))
            .collect();
        let mut lines = Vec::new();
        for r in &fresh {
            let line = serde_json::to_vec(r).map_err(|e| StoreError::Write {
                path: path.clone(),
                source: std::io::Error::other(e),
            })?;
            lines.extend(line);
            lines.push(b'\n');
        }
        let write_err = |source| StoreError::Write {
            path: path.clone(),
            source,
        };
        file.write_all(&lines).map_err(write_err)?;
        file.sync_data().map_err(write_err)?;
        for r in fresh {
            self.remember(r);
        }
        Ok(())
    }
}

/// A letter the account sent, as the responses are matched to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// Its Message-ID, without angle brackets.
    pub message_id: String,
    pub mep: String,
    pub name: String,
    pub to: String,
    /// When it went (RFC 3339).
    pub at: String,
    /// The journal that records it (full path).
    pub journal: String,
}

/// The letters an account sent, by Message-ID and by address: what a
/// message that comes back is matched against.
#[derive(Debug, Clone, Default)]
pub struct Letters {
    by_id: HashMap<String, Vec<Letter>>,
    by_address: HashMap<String, Vec<Letter>>,
}

/// A Message-ID as compared: without angle brackets and spaces.
pub fn bare_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_owned()
}

fn full_path(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

impl Letters {
    /// Adds a letter (a record with a Message-ID that may have gone).
    pub fn add(&mut self, letter: Letter) {
        if letter.message_id.is_empty() {
            return;
        }
        let same = |l: &Letter| l.mep == letter.mep && l.to.eq_ignore_ascii_case(&letter.to);
        let ids = self.by_id.entry(letter.message_id.clone()).or_default();
        if !ids.iter().any(same) {
            ids.push(letter.clone());
        }
        let to = letter.to.trim().to_lowercase();
        let addresses = self.by_address.entry(to).or_default();
        if !addresses.iter().any(|l| l.message_id == letter.message_id) {
            addresses.push(letter);
        }
    }

    /// The letters of a journal (at `path`) that went or may have gone.
    pub fn add_journal(&mut self, view: &View, path: &Path) {
        let journal = full_path(path);
        for r in &view.records {
            self.add_record(r, &journal);
        }
    }

    fn add_record(&mut self, r: &Record, journal: &str) {
        if let (Some(id), true) = (&r.message_id, matches!(r.state, State::Pending | State::Sent)) {
            self.add(Letter {
                message_id: bare_id(id),
                mep: r.mep.clone(),
                name: r.name.clone(),
                to: r.to.clone(),
                at: r.at.clone(),
                journal: journal.to_owned(),
            });
        }
    }

    /// The letters an account's ledger records with their Message-ID, and
    /// those of the journals it names (older ledger lines have none).
    pub fn add_ledger(&mut self, history: &History) {
        let mut journals = HashSet::new();
        for e in &history.entries {
            if let Some(id) = &e.message_id
                && matches!(e.state, State::Pending | State::Sent)
            {
                self.add(Letter {
                    message_id: bare_id(id),
                    mep: e.mep.clone(),
                    name: e.name.clone(),
                    to: e.to.clone(),
                    at: e.at.clone(),
                    journal: e.journal.clone(),
                });
            } else if !e.journal.is_empty() {
                journals.insert(e.journal.clone());
            }
        }
        for j in journals {
            if let Ok(view) = View::read(Path::new(&j)) {
                for r in &view.records {
                    self.add_record(r, &j);
                }
            }
        }
    }

    /// The letters recorded with this Message-ID (more than one MEP: a
    /// collision, matched to none).
    pub fn by_id(&self, id: &str) -> &[Letter] {
        self.by_id.get(&bare_id(id)).map_or(&[], Vec::as_slice)
    }

    /// The latest letter to `address` that went before `date` (RFC 3339).
    pub fn last_to(&self, address: &str, date: &str) -> Option<&Letter> {
        self.by_address
            .get(&address.trim().to_lowercase())?
            .iter()
            .filter(|l| date.is_empty() || l.at.as_str() <= date)
            .max_by(|a, b| a.at.cmp(&b.at))
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// Where an MEP stands after their letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Nothing came back (or only a report that it was delivered).
    NoAnswer,
    /// An automatic reply (out of office).
    AutoReplied,
    /// A delivery report says it is delayed.
    Delayed,
    /// A delivery report says it failed.
    Failed,
    /// A person answered.
    Replied,
}

impl Answer {
    /// Counts as "no answer yet" for a follow-up: automatic replies and
    /// delays too (replies and failures do not).
    pub fn counts_as_no_answer(self) -> bool {
        matches!(self, Answer::NoAnswer | Answer::AutoReplied | Answer::Delayed)
    }

    /// In words, for tables.
    pub fn words(self) -> &'static str {
        match self {
            Answer::NoAnswer => "no answer yet",
            Answer::AutoReplied => "automatic reply",
            Answer::Delayed => "delayed",
            Answer::Failed => "bounced",
            Answer::Replied => "answered",
        }
    }
}

/// One MEP of a campaign after their letter: see [`states_by_mep`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MepState {
    pub mep: String,
    pub name: String,
    /// The address the letter went to.
    pub to: String,
    /// When it went (RFC 3339) and its Message-ID.
    pub sent_at: String,
    pub message_id: String,
    pub answer: Answer,
    /// The date of the response that decided `answer` (none for no answer).
    pub at: Option<String>,
    /// From the letter to the first reply, in seconds.
    pub answered_after_secs: Option<i64>,
    /// The response that decided `answer` (a reply's text is in it).
    pub latest: Option<Response>,
    /// Every response about this MEP's letter, oldest first.
    pub responses: Vec<Response>,
}

fn seconds_between(from: &str, to: &str) -> Option<i64> {
    let a = chrono::DateTime::parse_from_rfc3339(from).ok()?;
    let b = chrono::DateTime::parse_from_rfc3339(to).ok()?;
    Some((b - a).num_seconds().max(0))
}

/// Per MEP of the campaign whose journal is `view`: the letter each got
/// (sent with a Message-ID; the last one), and what came back about it. A
/// reply settles it; otherwise the latest automatic reply or delivery
/// report decides (a delay is settled by a later report or reply; a
/// report that it was delivered clears a delay). The same message read in
/// two folders counts once.
pub fn states_by_mep(view: &View, responses: &[Response]) -> BTreeMap<String, MepState> {
    let mut states = BTreeMap::new();
    for r in &view.records {
        if r.state != State::Sent {
            continue;
        }
        let Some(id) = &r.message_id else { continue };
        states.insert(
            r.mep.clone(),
            MepState {
                mep: r.mep.clone(),
                name: r.name.clone(),
                to: r.to.clone(),
                sent_at: r.at.clone(),
                message_id: bare_id(id),
                answer: Answer::NoAnswer,
                at: None,
                answered_after_secs: None,
                latest: None,
                responses: Vec::new(),
            },
        );
    }
    let by_id: HashMap<String, String> = states.values().map(|s| (s.message_id.clone(), s.mep.clone())).collect();
    let mut sorted: Vec<&Response> = responses.iter().filter(|r| r.kind != Kind::Unrelated).collect();
    sorted.sort_by(|a, b| a.date.cmp(&b.date));
    let mut counted = HashSet::new();
    for r in sorted {
        if !r.message_id.is_empty() && !counted.insert(r.message_id.clone()) {
            continue;
        }
        let Some(state) = by_id.get(&r.letter).and_then(|mep| states.get_mut(mep)) else {
            continue;
        };
        state.responses.push(r.clone());
        apply(state, r);
    }
    states
}

fn apply(state: &mut MepState, r: &Response) {
    if state.answer == Answer::Replied {
        return;
    }
    let answer = match (r.kind, r.action) {
        (Kind::Reply, _) => Answer::Replied,
        (Kind::AutoReply, _) => Answer::AutoReplied,
        (Kind::Bounce, Some(Action::Failed)) => Answer::Failed,
        (Kind::Bounce, Some(Action::Delayed)) => Answer::Delayed,
        (Kind::Bounce, Some(Action::Delivered)) => {
            if state.answer == Answer::Delayed {
                state.answer = Answer::NoAnswer;
                state.at = None;
                state.latest = None;
            }
            return;
        }
        _ => return,
    };
    if answer == Answer::Replied {
        state.answered_after_secs = seconds_between(&state.sent_at, &r.date);
    }
    state.answer = answer;
    state.at = Some(r.date.clone());
    state.latest = Some(r.clone());
}

/// An address a letter could not be delivered to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounced {
    /// The day of the report (YYYY-MM-DD).
    pub day: String,
    pub status: String,
    pub diagnostic: String,
    pub mep: String,
}

impl Bounced {
    /// "bounced on 3 December 2026: 550 5.1.1 user unknown".
    pub fn words(&self) -> String {
        let day = chrono::NaiveDate::parse_from_str(&self.day, "%Y-%m-%d")
            .map_or_else(|_| self.day.clone(), |d| d.format("%-d %B %Y").to_string());
        let why = if self.diagnostic.is_empty() {
            self.status.clone()
        } else {
            self.diagnostic.clone()
        };
        format!("bounced on {day}: {why}")
    }
}

/// The addresses (lower case) whose last delivery report says the letter
/// failed, with no reply after it: from every responses file in `ledgers`.
pub fn bounced(ledgers: &Path) -> HashMap<String, Bounced> {
    let mut all: Vec<Response> = Vec::new();
    if let Ok(dir) = std::fs::read_dir(ledgers) {
        for path in dir.filter_map(Result::ok).map(|e| e.path()) {
            if path.to_string_lossy().ends_with(".responses.jsonl")
                && let Ok(store) = Store::load(&path)
            {
                all.extend(store.responses);
            }
        }
    }
    bounced_in(&all)
}

/// [`bounced`] of these responses.
pub fn bounced_in(responses: &[Response]) -> HashMap<String, Bounced> {
    let mut sorted: Vec<&Response> = responses.iter().filter(|r| !r.to.is_empty()).collect();
    sorted.sort_by(|a, b| a.date.cmp(&b.date));
    let mut out = HashMap::new();
    for r in sorted {
        let to = r.to.trim().to_lowercase();
        match (r.kind, r.action) {
            (Kind::Bounce, Some(Action::Failed)) => {
                out.insert(
                    to,
                    Bounced {
                        day: r.day().to_owned(),
                        status: r.status.clone(),
                        diagnostic: r.diagnostic.clone(),
                        mep: r.mep.clone(),
                    },
                );
            }
            (Kind::Reply | Kind::AutoReply, _) | (Kind::Bounce, Some(Action::Delivered)) => {
                out.remove(&to);
            }
            _ => {}
        }
    }
    out
}

/// Why the responses of a campaign cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ResponsesError {
    #[error(
        "no letter of this campaign has gone out from a mail account yet, so there is nothing to read replies to (its send journal: {})",
        path.display()
    )]
    NothingSent { path: PathBuf },
    #[error(transparent)]
    Journal(#[from] journal::JournalError),
    #[error(transparent)]
    Read(#[from] imap::ReadError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The day the campaign's first letter went (UTC): the reading starts there.
pub fn first_day(view: &View) -> Option<chrono::NaiveDate> {
    view.records
        .iter()
        .filter(|r| r.state == State::Sent)
        .filter_map(|r| chrono::DateTime::parse_from_rfc3339(&r.at).ok())
        .map(|d| d.with_timezone(&chrono::Utc).date_naive())
        .min()
}

/// A campaign's place among the account's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    /// The sent ledgers' folder (`store::Paths::ledgers`).
    pub ledgers: PathBuf,
    /// The account's sender address.
    pub sender: String,
    /// The campaign's send journal.
    pub journal: PathBuf,
}

impl Files {
    /// The account's responses file.
    pub fn responses(&self) -> PathBuf {
        path_for(&self.ledgers, &self.sender)
    }

    /// Every letter the account sent (its ledger and the journals it
    /// names) and this campaign's.
    pub fn letters(&self, view: &View) -> Letters {
        let mut letters = Letters::default();
        if let Ok(history) = History::read(&crate::deliver::ledger::path_for(&self.ledgers, &self.sender)) {
            letters.add_ledger(&history);
        }
        letters.add_journal(view, &self.journal);
        letters
    }
}

/// Reads the account's new messages since the campaign's first letter
/// into its responses file: what `hemicycle responses` and the app's
/// Responses view run (on a background thread).
pub fn read_new(
    files: &Files,
    request: imap::Request,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<imap::ReadReport, ResponsesError> {
    let view = View::read(&files.journal)?;
    let since = first_day(&view).ok_or_else(|| ResponsesError::NothingSent {
        path: files.journal.clone(),
    })?;
    let letters = files.letters(&view);
    let mut store = Store::open(&files.responses())?;
    let request = imap::Request { since, ..request };
    Ok(imap::read(&request, &letters, &mut store, progress, cancel)?)
}

/// What came back for one campaign: the per-MEP states, the messages read
/// that are about no letter of the account, and any damaged lines skipped.
#[derive(Debug, Clone, Default)]
pub struct CampaignResponses {
    pub states: BTreeMap<String, MepState>,
    pub unrelated: Vec<Response>,
    pub warnings: Vec<String>,
}

/// The stored responses of a campaign (nothing is read from the server).
pub fn of_campaign(files: &Files) -> Result<CampaignResponses, ResponsesError> {
    let view = View::read(&files.journal)?;
    let store = Store::load(&files.responses())?;
    let since = first_day(&view)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let mut warnings = view.warnings.clone();
    warnings.extend(store.warnings.iter().cloned());
    Ok(CampaignResponses {
        states: states_by_mep(&view, &store.responses),
        unrelated: store
            .responses
            .iter()
            .filter(|r| r.kind == Kind::Unrelated && r.date.as_str() >= since.as_str())
            .cloned()
            .collect(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(kind: Kind, letter: &str, date: &str) -> Response {
        Response {
            read_at: "2026-12-05T10:00:00Z".into(),
            folder: "INBOX".into(),
            uid_validity: 1,
            uid: 1,
            date: date.into(),
            kind,
            letter: letter.into(),
            mep: "1".into(),
            to: "a@ep.eu".into(),
            ..Response::default()
        }
    }

    fn sent(mep: &str, id: &str) -> Record {
        let mut r = Record::new(mep, "Name", &format!("{mep}@ep.eu"), State::Sent, "f");
        r.at = "2026-12-01T09:00:00Z".into();
        r.message_id = Some(format!("<{id}>"));
        r
    }

    #[test]
    fn a_reply_settles_a_delay_and_later_auto_replies_do_not_undo_it() {
        let view = View {
            records: vec![sent("1", "a@x"), sent("2", "b@x"), sent("3", "c@x")],
            warnings: vec![],
        };
        let mut delayed = response(Kind::Bounce, "a@x", "2026-12-01T10:00:00Z");
        delayed.action = Some(Action::Delayed);
        let reply = response(Kind::Reply, "a@x", "2026-12-03T09:00:00Z");
        let auto = response(Kind::AutoReply, "a@x", "2026-12-04T09:00:00Z");
        let mut failed = response(Kind::Bounce, "b@x", "2026-12-02T10:00:00Z");
        failed.action = Some(Action::Failed);
        let states = states_by_mep(&view, &[auto, reply, delayed, failed]);
        assert_eq!(states["1"].answer, Answer::Replied);
        assert_eq!(states["1"].answered_after_secs, Some(2 * 86_400));
        assert_eq!(states["1"].responses.len(), 3);
        assert_eq!(states["2"].answer, Answer::Failed);
        assert_eq!(states["3"].answer, Answer::NoAnswer);
        assert!(states["3"].answer.counts_as_no_answer());
        assert!(!states["2"].answer.counts_as_no_answer());
    }

    /// A delay is shown until a later report settles it: "delivered"
    /// clears it, "failed" replaces it.
    #[test]
    fn a_delay_is_settled_by_a_later_report() {
        let view = View {
            records: vec![sent("1", "a@x"), sent("2", "b@x")],
            warnings: vec![],
        };
        let report = |letter: &str, date: &str, action| {
            let mut r = response(Kind::Bounce, letter, date);
            r.action = Some(action);
            r
        };
        let states = states_by_mep(
            &view,
            &[
                report("a@x", "2026-12-01T10:00:00Z", Action::Delayed),
                report("a@x", "2026-12-02T10:00:00Z", Action::Delivered),
                report("b@x", "2026-12-01T10:00:00Z", Action::Delayed),
                report("b@x", "2026-12-03T10:00:00Z", Action::Failed),
            ],
        );
        assert_eq!(states["1"].answer, Answer::NoAnswer);
        assert_eq!(states["2"].answer, Answer::Failed);
        assert_eq!(states["2"].at.as_deref(), Some("2026-12-03T10:00:00Z"));
    }

    #[test]
    fn a_store_cut_at_any_byte_opens_and_keeps_what_was_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = response(Kind::Reply, "a@x", "2026-12-03T09:00:00Z");
        a.text = "Dear Ana, thank you — Ñúñez".into();
        let mut b = a.clone();
        b.uid = 2;
        let full = format!(
            "{}\n{}\n",
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
        for cut in 0..=full.len() {
            let path = dir.path().join(format!("r{cut}.jsonl"));
            std::fs::write(&path, &full.as_bytes()[..cut]).unwrap();
            let mut store = Store::open(&path).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
            let whole = store.responses.len();
            let mut c = a.clone();
            c.uid = 3;
            store.append(vec![c]).unwrap();
            drop(store);
            let again = Store::load(&path).unwrap();
            assert_eq!(again.responses.len(), whole + 1, "cut at {cut}");
        }
    }

    #[test]
    fn a_message_is_stored_once_and_a_second_reader_waits() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(dir.path(), "Ana@Example.org");
        assert!(path.to_string_lossy().ends_with(".responses.jsonl"));
        let mut store = Store::open(&path).unwrap();
        assert!(matches!(Store::open(&path), Err(StoreError::Busy { .. })));
        let r = response(Kind::Reply, "a@x", "2026-12-03T09:00:00Z");
        store.append(vec![r.clone(), r.clone()]).unwrap();
        store.append(vec![r]).unwrap();
        assert!(store.has("INBOX", 1, 1));
        assert_eq!(Store::load(&path).unwrap().responses.len(), 1);
    }

    #[test]
    fn a_failed_address_stays_bounced_until_an_answer_comes_from_it() {
        let mut failed = response(Kind::Bounce, "a@x", "2026-12-03T09:00:00Z");
        failed.action = Some(Action::Failed);
        failed.status = "5.1.1".into();
        failed.diagnostic = "smtp; 550 5.1.1 user unknown".into();
        let b = bounced_in(std::slice::from_ref(&failed));
        assert_eq!(
            b["a@ep.eu"].words(),
            "bounced on 3 December 2026: smtp; 550 5.1.1 user unknown"
        );
        let reply = response(Kind::Reply, "a@x", "2026-12-04T09:00:00Z");
        assert!(bounced_in(&[failed, reply]).is_empty());
    }
}
