//! The send journal: one append-only JSON-lines file per campaign, the
//! memory that makes sending exactly-once.
//!
//! Every line is one event for one MEP. `pending` is on disk (`fdatasync`)
//! before the message goes out; the outcome is written as soon as the server
//! answers and is on disk before the next letter goes out (failures at once),
//! at the latest when the run ends: `sent` (with the
//! server's reply and the Message-ID), `deferred` (a 4xx reply or a dropped
//! connection before the letter was handed over: not delivered), `failed`
//! (5xx, or retries used up) or `unconfirmed` (the connection broke after
//! the letter was handed over). A `pending` line with nothing after it means
//! Hemicycle stopped while that letter was on its way: its outcome is unknown,
//! so it counts as unconfirmed and is not sent again unless the user says so
//! (`released`), or says it arrived (`marked_sent`).
//!
//! A torn last line (the power went out while it was written) is ignored; a
//! damaged line elsewhere is reported and skipped. While a campaign is being
//! sent its journal is locked, so two windows cannot send it at once.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::ledger::{self, Ledger};
use super::record::{self, parse_lines, read_if_there};
pub use super::record::{JournalError, Record, SentCopy, State, now_rfc3339};

/// Where one MEP stands, folded from their records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Delivered to the server (or the user says it arrived).
    Sent { record: Record },
    /// Not delivered: may be sent (again).
    NotSent { record: Record },
    /// Outcome unknown: not sent again unless the user releases it.
    Unconfirmed { record: Record },
}

impl Standing {
    pub fn record(&self) -> &Record {
        match self {
            Standing::Sent { record } | Standing::NotSent { record } | Standing::Unconfirmed { record } => record,
        }
    }
}

/// The records of a journal, read but not locked: for showing it.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub records: Vec<Record>,
    /// Damaged lines that were skipped, in plain words.
    pub warnings: Vec<String>,
}

impl View {
    /// Reads a journal; a missing file is an empty journal.
    pub fn read(path: &Path) -> Result<Self, JournalError> {
        match read_if_there(path)? {
            Some(bytes) => Self::parse(&bytes, path),
            None => Ok(Self::default()),
        }
    }

    /// Reads records line by line from bytes: a write cut short (by a crash
    /// or a full disk, even inside a character) leaves a line that ends too
    /// early, which is reported and skipped wherever it is, the first line
    /// included; so the journal always opens and nothing in it is lost.
    /// Only a first line that is something else entirely marks a foreign
    /// file.
    fn parse(bytes: &[u8], path: &Path) -> Result<Self, JournalError> {
        let (records, warnings) = parse_lines(bytes, "journal").map_err(|(line, reason)| JournalError::Foreign {
            path: path.to_path_buf(),
            line,
            reason,
        })?;
        Ok(Self { records, warnings })
    }

    /// Where each MEP stands.
    pub fn standings(&self) -> BTreeMap<String, Standing> {
        let mut map: BTreeMap<String, Standing> = BTreeMap::new();
        for r in &self.records {
            let next = match r.state {
                State::Sent | State::MarkedSent => Standing::Sent { record: r.clone() },
                State::Deferred | State::Failed | State::Released => Standing::NotSent { record: r.clone() },
                State::Pending | State::Unconfirmed | State::HandedOver => Standing::Unconfirmed { record: r.clone() },
            };
            // A letter marked sent stays sent: a later "released" for it is a
            // mistake we do not act on.
            if let (Some(Standing::Sent { .. }), State::Released) = (map.get(&r.mep), r.state) {
                continue;
            }
            map.insert(r.mep.clone(), next);
        }
        map
    }

    /// How many of these recipients (MEP ids) already have their letter:
    /// sent, or marked sent by the user. What "already sent" means to the
    /// send dialog and to a run's plan alike.
    pub fn already_sent<'a>(&self, mep_ids: impl IntoIterator<Item = &'a str>) -> usize {
        let standings = self.standings();
        mep_ids
            .into_iter()
            .filter(|id| matches!(standings.get(*id), Some(Standing::Sent { .. })))
            .count()
    }

    /// Counts of sent, failed (not sent after trying) and unconfirmed letters.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for s in self.standings().values() {
            match s {
                Standing::Sent { .. } => counts.0 += 1,
                Standing::NotSent { record } if record.state == State::Failed => counts.1 += 1,
                Standing::NotSent { .. } => {}
                Standing::Unconfirmed { .. } => counts.2 += 1,
            }
        }
        counts
    }
}

/// A journal open for writing; holds the lock until dropped.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    view: View,
    /// The account's sent ledger, while a real send runs: every record is
    /// written there too, with the same flush (see [`super::ledger`]).
    ledger: Option<Ledger>,
}

impl Journal {
    /// Where the journal is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens (or creates) the journal and locks it against a second sender.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        let open_err = |source| JournalError::Open {
            path: path.to_path_buf(),
            source,
        };
        let (mut file, bytes) = record::open_locked(path).map_err(|e| match e {
            record::OpenLocked::Busy => JournalError::Busy,
            record::OpenLocked::Io(source) => open_err(source),
        })?;
        let view = View::parse(&bytes, path)?;
        // After a torn line, start the next record on a line of its own.
        record::end_torn_line(&mut file, &bytes).map_err(open_err)?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
            view,
            ledger: None,
        })
    }

    /// From now on, every record goes to `ledger` too, and reaches its disk
    /// with the journal's (a real send from one account).
    pub fn attach_ledger(&mut self, ledger: Ledger) {
        self.ledger = Some(ledger);
    }

    /// Ends [`Journal::attach_ledger`]: the ledger is flushed and its lock
    /// let go.
    pub fn detach_ledger(&mut self) -> Option<Ledger> {
        self.ledger.take()
    }

    /// Appends one record and waits until it (and any record written before
    /// it) is on disk.
    pub fn record(&mut self, record: Record) -> Result<(), JournalError> {
        self.write(record)?;
        self.sync()
    }

    /// Appends one record without waiting for the disk: it survives the app
    /// stopping (it is in the operating system's hands), and reaches the disk
    /// with the next [`Journal::record`] or [`Journal::sync`]. The send
    /// engine writes a letter's "sent" this way, because the next letter's
    /// "pending" follows at once; if the machine loses power in between, the
    /// letter shows as unconfirmed, never as unsent.
    pub fn record_soon(&mut self, record: Record) -> Result<(), JournalError> {
        self.write(record)
    }

    /// Appends records the account's ledger holds and this journal lost
    /// (see [`super::ledger::History::missing_from`]), and waits for the
    /// disk; returns how many letters (MEP and letter) they are about.
    /// Called before the ledger is attached, so they are not written to
    /// it a second time. Counted are the letters that may have gone (sent,
    /// pending, unconfirmed, handed over): those are not sent again.
    pub fn restore(&mut self, records: Vec<Record>) -> Result<usize, JournalError> {
        debug_assert!(self.ledger.is_none(), "restore before attaching the ledger");
        let letters: std::collections::BTreeSet<(String, String)> = records
            .iter()
            .filter(|r| ledger::holds(r.state))
            .map(|r| (r.mep.clone(), r.letter.clone()))
            .collect();
        if records.is_empty() {
            return Ok(0);
        }
        for record in records {
            self.write(record)?;
        }
        self.sync()?;
        Ok(letters.len())
    }

    /// Waits until every record written is on disk.
    pub fn sync(&mut self) -> Result<(), JournalError> {
        self.file.sync_data().map_err(|source| JournalError::Write {
            path: self.path.clone(),
            source,
        })?;
        match &mut self.ledger {
            Some(ledger) => ledger.sync(),
            None => Ok(()),
        }
    }

    fn write(&mut self, record: Record) -> Result<(), JournalError> {
        let mut line = serde_json::to_vec(&record).map_err(|e| JournalError::Write {
            path: self.path.clone(),
            source: std::io::Error::other(e),
        })?;
        line.push(b'\n');
        let write_err = |source| JournalError::Write {
            path: self.path.clone(),
            source,
        };
        self.file.write_all(&line).map_err(write_err)?;
        if let Some(ledger) = &mut self.ledger {
            ledger.write(&record)?;
        }
        self.view.records.push(record);
        Ok(())
    }

    pub fn view(&self) -> &View {
        &self.view
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        let _ = self.file.sync_data();
    }
}

/// What the other campaigns' journals in a folder say: a copy of a
/// campaign under another name has a journal of its own, and must neither
/// send the same letter to the same person again nor get round the daily cap.
#[derive(Debug, Default)]
pub struct Elsewhere {
    /// The letters they hold (sent, marked sent, pending or unconfirmed), by
    /// recipient address (lower case) and letter fingerprint; the value says
    /// where and when, for the message.
    pub letters: std::collections::HashMap<(String, String), String>,
    /// When each of their letters went out (RFC 3339), for the daily cap.
    pub sent_at: Vec<String>,
}

/// Reads the other journals of the folder `journals` (all but `own`), once.
/// A journal that cannot be read is passed over (its own campaign reports
/// it).
pub fn elsewhere(journals: &Path, own: &Path) -> Elsewhere {
    let mut found = Elsewhere::default();
    let Ok(dir) = std::fs::read_dir(journals) else {
        return found;
    };
    let own = std::fs::canonicalize(own).unwrap_or_else(|_| own.to_path_buf());
    for path in dir.filter_map(Result::ok).map(|e| e.path()) {
        if path.extension().is_none_or(|e| e != "jsonl")
            || std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone()) == own
        {
            continue;
        }
        let Ok(view) = View::read(&path) else { continue };
        let campaign = path.file_stem().and_then(|s| s.to_str()).unwrap_or("another campaign");
        // The campaign's name, without the path fingerprint after it.
        let campaign = campaign.rsplit_once('-').map_or(campaign, |(name, _)| name).to_owned();
        for r in view.records {
            let counts = matches!(
                r.state,
                State::Sent | State::MarkedSent | State::Pending | State::Unconfirmed | State::HandedOver
            );
            if counts && !r.letter.is_empty() && !r.to.is_empty() {
                found
                    .letters
                    .entry((r.to.trim().to_lowercase(), r.letter.clone()))
                    .or_insert_with(|| {
                        let unsure = if matches!(r.state, State::Sent | State::MarkedSent) {
                            ""
                        } else {
                            ledger::UNSURE
                        };
                        format!(
                            "the campaign \"{campaign}\" on {}{unsure}",
                            r.at.get(..10).unwrap_or(&r.at)
                        )
                    });
            }
            if r.state == State::Sent {
                found.sent_at.push(r.at);
            }
        }
    }
    found
}

/// The journal file of a campaign file: named after the campaign, with a
/// fingerprint of its full path so two campaigns with one name stay apart.
pub fn path_for(journals: &Path, campaign: &Path) -> PathBuf {
    let full = std::fs::canonicalize(campaign).unwrap_or_else(|_| campaign.to_path_buf());
    let stem = campaign.file_stem().and_then(|s| s.to_str()).unwrap_or("campaign");
    let slug = super::names::sanitize(stem);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in full.to_string_lossy().bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    journals.join(format!("{slug}-{:08x}.jsonl", hash & 0xffff_ffff))
}

/// What the user decided about a letter whose outcome is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// They checked their Sent folder: it arrived.
    MarkSent,
    /// It may go again on the next run.
    AllowAgain,
}

/// Records the user's decision about an unconfirmed letter in the journal
/// at `path` (which takes its lock, so not while a send runs). A letter that
/// is not unconfirmed is left as it is, and the answer says so.
pub fn settle(path: &Path, mep: &str, decision: Settle) -> Result<(), JournalError> {
    let mut journal = Journal::open(path)?;
    let record = match journal.view().standings().get(mep) {
        Some(Standing::Unconfirmed { record }) => record.clone(),
        _ => {
            return Err(JournalError::NotUnconfirmed {
                path: path.to_path_buf(),
                mep: mep.to_owned(),
            });
        }
    };
    let state = match decision {
        Settle::MarkSent => State::MarkedSent,
        Settle::AllowAgain => State::Released,
    };
    let mut r = Record::new(&record.mep, &record.name, &record.to, state, &record.letter);
    "by you, in the send dialog".clone_into(&mut r.detail);
    journal.record(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(mep: &str, state: State) -> Record {
        Record::new(mep, "Name", "a@ep.europa.eu", state, "h1")
    }

    #[test]
    fn pending_without_outcome_is_unconfirmed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        {
            let mut j = Journal::open(&path).unwrap();
            j.record(rec("1", State::Pending)).unwrap();
            j.record(rec("1", State::Sent)).unwrap();
            j.record(rec("2", State::Pending)).unwrap();
            j.record(rec("3", State::Pending)).unwrap();
            j.record(rec("3", State::Deferred)).unwrap();
        }
        let s = View::read(&path).unwrap().standings();
        assert!(matches!(s["1"], Standing::Sent { .. }));
        assert!(matches!(s["2"], Standing::Unconfirmed { .. }));
        assert!(matches!(s["3"], Standing::NotSent { .. }));
    }

    /// A crash or a full disk can stop a write at any byte, inside a
    /// character too ("Abadía"): cut a journal at every byte, open it,
    /// write, and open it again. It always opens, keeps every record
    /// written whole before the cut, and never takes it for a foreign file.
    #[test]
    fn a_journal_cut_at_any_byte_opens_again_and_again() {
        let dir = tempfile::tempdir().unwrap();
        let records = [
            Record::new("1", "Abadía Ñúñez", "a@ep.europa.eu", State::Pending, "h1"),
            Record::new("1", "Abadía Ñúñez", "a@ep.europa.eu", State::Sent, "h1"),
            Record::new("2", "Ådne Øyå", "b@ep.europa.eu", State::Pending, "h2"),
        ];
        let full: String = records
            .iter()
            .map(|r| serde_json::to_string(r).unwrap() + "\n")
            .collect();
        let ends: Vec<usize> = full.match_indices('\n').map(|(i, _)| i + 1).collect();
        for cut in 0..=full.len() {
            let path = dir.path().join(format!("j{cut}.jsonl"));
            std::fs::write(&path, &full.as_bytes()[..cut]).unwrap();
            // A record whose newline is all that is missing is whole.
            let whole = ends.iter().filter(|&&e| e - 1 <= cut).count();
            let mut j = Journal::open(&path).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
            assert_eq!(j.view().records.len(), whole, "cut at {cut}");
            j.record(rec("3", State::Pending)).unwrap();
            drop(j);
            let again = Journal::open(&path).unwrap_or_else(|e| panic!("cut at {cut}, reopened: {e}"));
            assert_eq!(again.view().records.len(), whole + 1, "cut at {cut}");
            assert_eq!(again.view().records[..whole], records[..whole], "cut at {cut}");
        }
    }

    #[test]
    fn a_foreign_file_is_still_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, "name,email\nAna,ana@example.org\n").unwrap();
        assert!(matches!(View::read(&path), Err(JournalError::Foreign { .. })));
        std::fs::write(&path, "{\"kind\": \"something else\"}\n").unwrap();
        assert!(matches!(View::read(&path), Err(JournalError::Foreign { .. })));
    }

    #[test]
    fn torn_last_line_is_ignored_and_the_next_record_starts_a_new_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let good = serde_json::to_string(&rec("1", State::Sent)).unwrap();
        std::fs::write(&path, format!("{good}\n{{\"at\":\"2026-")).unwrap();
        let mut j = Journal::open(&path).unwrap();
        assert_eq!(j.view().records.len(), 1);
        assert_eq!(j.view().warnings.len(), 1, "{:?}", j.view().warnings);
        j.record(rec("2", State::Pending)).unwrap();
        drop(j);
        let v = View::read(&path).unwrap();
        assert_eq!(v.records.len(), 2);
        assert_eq!(v.warnings.len(), 1, "the torn line is still reported: {:?}", v.warnings);
    }

    #[test]
    fn a_second_sender_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let _first = Journal::open(&path).unwrap();
        assert!(matches!(Journal::open(&path), Err(JournalError::Busy)));
    }

    #[test]
    fn foreign_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, "title = \"not a journal\"\nmore = 1\n").unwrap();
        let err = Journal::open(&path).unwrap_err().to_string();
        assert!(err.contains("not a Hemicycle send journal"), "{err}");
    }

    #[test]
    fn released_and_marked_sent() {
        let v = View {
            records: vec![
                rec("1", State::Pending),
                rec("1", State::Released),
                rec("2", State::Unconfirmed),
                rec("2", State::MarkedSent),
                rec("2", State::Released),
            ],
            warnings: vec![],
        };
        let s = v.standings();
        assert!(matches!(s["1"], Standing::NotSent { .. }));
        assert!(matches!(s["2"], Standing::Sent { .. }));
        assert_eq!(v.counts(), (1, 0, 0));
    }

    #[test]
    fn an_unconfirmed_letter_is_settled_by_the_user_and_only_then() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        {
            let mut j = Journal::open(&path).unwrap();
            j.record(Record::new("1", "Ana", "ana@ep.eu", State::Unconfirmed, "fp1"))
                .unwrap();
            j.record(Record::new("2", "Bo", "bo@ep.eu", State::Unconfirmed, "fp2"))
                .unwrap();
            j.record(Record::new("3", "Cy", "cy@ep.eu", State::Sent, "fp3"))
                .unwrap();
        }
        settle(&path, "1", Settle::MarkSent).unwrap();
        settle(&path, "2", Settle::AllowAgain).unwrap();
        let err = settle(&path, "3", Settle::AllowAgain).unwrap_err().to_string();
        assert!(err.contains("is not unconfirmed"), "{err}");
        let standings = View::read(&path).unwrap().standings();
        assert!(
            matches!(&standings["1"], Standing::Sent { record } if record.state == State::MarkedSent && record.letter == "fp1")
        );
        assert!(matches!(&standings["2"], Standing::NotSent { record } if record.state == State::Released));
        assert!(matches!(&standings["3"], Standing::Sent { record } if record.state == State::Sent));
        // The user's record says who decided.
        assert!(
            View::read(&path)
                .unwrap()
                .records
                .iter()
                .filter(|r| r.detail.contains("by you"))
                .count()
                == 2
        );
    }

    #[test]
    fn already_sent_counts_sent_and_marked_sent_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        {
            let mut j = Journal::open(&path).unwrap();
            j.record(Record::new("1", "Ana", "a@ep.eu", State::Sent, "f")).unwrap();
            j.record(Record::new("2", "Bo", "b@ep.eu", State::Unconfirmed, "f"))
                .unwrap();
            j.record(Record::new("3", "Cy", "c@ep.eu", State::Failed, "f")).unwrap();
            j.record(Record::new("4", "Di", "d@ep.eu", State::Unconfirmed, "f"))
                .unwrap();
        }
        settle(&path, "4", Settle::MarkSent).unwrap();
        let view = View::read(&path).unwrap();
        assert_eq!(view.already_sent(["1", "2", "3", "4", "5"]), 2);
        assert_eq!(view.already_sent(["2", "3"]), 0);
    }
}
