//! The sent ledger: one append-only JSON-lines file per mail account (its
//! sender address), in the data folder, with every letter that account sent
//! or handed to the mail program — from any campaign file, in any folder.
//!
//! A campaign's journal is kept under the campaign file's path, so a copy of
//! the file (renamed, saved elsewhere, sent from another folder) has a
//! journal of its own. The ledger is what they share: before a real send,
//! the letters the account already sent from other files are read from it,
//! and the same letter (its fingerprint) never goes to the same address
//! twice; the daily cap counts the account's letters of every campaign.
//! While a real send runs, every journal record is written to the ledger
//! too, with the same flush (see `journal::Journal::attach_ledger`):
//! a letter's `pending` is on disk in both before it goes out.
//!
//! Reading is the journal's ([`record::parse_lines`]): a torn tail
//! anywhere a crash can leave one is skipped, a damaged line elsewhere is
//! reported and skipped, and nothing is ever rewritten. The ledger is locked
//! during a send, so two campaigns do not send from one account at once.

use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::record::{self, JournalError, Record, State};

/// One line of the ledger: a journal record, with the campaign and the
/// journal it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// UTC, RFC 3339.
    pub at: String,
    /// The recipient's address.
    pub to: String,
    /// The letter's fingerprint (subject and text).
    pub letter: String,
    pub state: State,
    #[serde(default)]
    pub mep: String,
    #[serde(default)]
    pub name: String,
    /// The campaign's id (empty for a campaign file that has none yet).
    #[serde(default)]
    pub campaign: String,
    #[serde(default)]
    pub title: String,
    /// The campaign file.
    #[serde(default)]
    pub file: String,
    /// The journal that holds the letter's full story.
    #[serde(default)]
    pub journal: String,
    /// The letter's Message-ID (`<…@…>`), on `pending` and on its outcome:
    /// what a reply's `In-Reply-To` or `References` names, and what a
    /// follow-up answers (`crate::deliver::responses`,
    /// `crate::deliver::followup`). Absent in ledgers written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

/// Which campaign and journal the records of a send belong to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamp {
    pub campaign: String,
    pub title: String,
    pub file: String,
    pub journal: String,
}

impl Stamp {
    /// The stamp of a campaign (`id`, `title`, its file) sent with the
    /// journal at `journal` (named by its full path, as the ledger compares
    /// journals).
    pub fn new(id: &str, title: &str, file: &Path, journal: &Path) -> Self {
        Self {
            campaign: id.to_owned(),
            title: title.to_owned(),
            file: file.display().to_string(),
            journal: full(journal),
        }
    }
}

fn full(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// The ledger file of the account that sends as `sender` (its address):
/// named after the address, with a fingerprint of it (lower case) so that
/// two addresses never share a file.
pub fn path_for(dir: &Path, sender: &str) -> PathBuf {
    let address = sender.trim().to_lowercase();
    let slug = super::names::sanitize(&address);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in address.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    dir.join(format!("{slug}-{:08x}.jsonl", hash & 0xffff_ffff))
}

/// What the ledger holds, read but not locked: for the pre-send check.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub entries: Vec<Entry>,
    /// Damaged lines that were skipped, in plain words.
    pub warnings: Vec<String>,
}

impl History {
    /// Reads a ledger; a missing file is an empty ledger.
    pub fn read(path: &Path) -> Result<Self, JournalError> {
        let bytes = record::read_if_there(path).map_err(|e| match e {
            JournalError::Open { path, source } => JournalError::LedgerOpen { path, source },
            e => e,
        })?;
        match bytes {
            Some(bytes) => Self::parse(&bytes, path),
            None => Ok(Self::default()),
        }
    }

    fn parse(bytes: &[u8], path: &Path) -> Result<Self, JournalError> {
        let (entries, warnings) =
            record::parse_lines(bytes, "sent ledger").map_err(|(line, reason)| JournalError::LedgerForeign {
                path: path.to_path_buf(),
                line,
                reason,
            })?;
        Ok(Self { entries, warnings })
    }

    /// What the account sent from campaign files other than the one whose
    /// journal is `own_journal` (a campaign with the id `campaign`).
    pub fn known(&self, own_journal: &Path, campaign: &str) -> Known {
        let own = full(own_journal);
        let mut known = Known::default();
        // The last word on each letter of each other journal: a letter
        // deferred and then not sent is not held.
        let mut last: HashMap<(&str, String, &str), &Entry> = HashMap::new();
        for e in self.entries.iter().filter(|e| e.journal != own && !e.to.is_empty()) {
            if e.state == State::Sent {
                known.sent_at.push(e.at.clone());
            }
            if e.letter.is_empty() {
                continue;
            }
            let key = (e.journal.as_str(), e.to.trim().to_lowercase(), e.letter.as_str());
            // "released" (allow again) is said in a campaign's own journal;
            // a letter marked sent stays sent.
            if e.state == State::Released && last.get(&key).is_some_and(|prev| prev.state == State::MarkedSent) {
                continue;
            }
            last.insert(key, e);
        }
        let mut held: Vec<&Entry> = last.into_values().filter(|e| holds(e.state)).collect();
        held.sort_by(|a, b| a.at.cmp(&b.at));
        for e in held {
            let to = e.to.trim().to_lowercase();
            known
                .letters
                .entry((to.clone(), e.letter.clone()))
                .or_insert_with(|| e.where_());
            if !campaign.is_empty() && e.campaign == campaign {
                known.same_campaign.entry(to.clone()).or_insert_with(|| e.clone());
            }
            known.by_address.entry(to).or_default().push(e.clone());
        }
        known
    }
}

impl History {
    /// The records of this campaign's journal (at `own_journal`) that the
    /// ledger holds and `journal` lacks, oldest first: a journal deleted,
    /// lost or restored from an older backup is missing them, and without
    /// them its letters would go again. The ledger is the authority.
    pub fn missing_from(&self, own_journal: &Path, journal: &[Record]) -> Vec<Record> {
        let own = full(own_journal);
        let have: std::collections::HashSet<(&str, &str, &str, &str, State)> = journal
            .iter()
            .map(|r| (r.at.as_str(), r.mep.as_str(), r.to.as_str(), r.letter.as_str(), r.state))
            .collect();
        self.entries
            .iter()
            .filter(|e| e.journal == own && !e.mep.is_empty())
            .filter(|e| !have.contains(&(e.at.as_str(), e.mep.as_str(), e.to.as_str(), e.letter.as_str(), e.state)))
            .map(|e| Record {
                at: e.at.clone(),
                message_id: e.message_id.clone(),
                ..Record::new(&e.mep, &e.name, &e.to, e.state, &e.letter)
            })
            .collect()
    }
}

/// Whether a letter in this state may have reached its recipient.
pub(super) fn holds(state: State) -> bool {
    matches!(
        state,
        State::Sent | State::MarkedSent | State::Pending | State::Unconfirmed | State::HandedOver
    )
}

/// Ends a place ([`Entry::where_`]) whose letter may or may not have gone
/// (pending, unconfirmed, handed to the mail program): never "already sent".
pub const UNSURE: &str = ", its outcome unknown";

impl Entry {
    /// "the campaign "Title" (file.toml) on 2026-12-01", for messages; with
    /// [`UNSURE`] after it when the letter may not have gone.
    pub fn where_(&self) -> String {
        let file = Path::new(&self.file)
            .file_name()
            .map(|f| format!(" ({})", f.to_string_lossy()))
            .unwrap_or_default();
        let unsure = if matches!(self.state, State::Sent | State::MarkedSent) {
            ""
        } else {
            UNSURE
        };
        format!(
            "the campaign \"{}\"{file} on {}{unsure}",
            self.title,
            self.at.get(..10).unwrap_or(&self.at)
        )
    }
}

/// What one account sent from other campaign files (see [`History::known`]).
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// The letters that went, or may have gone (sent, marked sent, pending,
    /// unconfirmed, handed over), by recipient address (lower case) and
    /// letter fingerprint; the value says where and when.
    pub letters: HashMap<(String, String), String>,
    /// The same, by recipient address: every letter that may have reached
    /// them, oldest first.
    pub by_address: HashMap<String, Vec<Entry>>,
    /// A letter of this same campaign (its id) from another file, by
    /// address: a changed letter to them is an earlier version's successor,
    /// not sent unless the user asks.
    pub same_campaign: HashMap<String, Entry>,
    /// When each letter the account sent from other files went out (for
    /// the daily cap).
    pub sent_at: Vec<String>,
}

/// The ledger of one account, open for appending and locked.
#[derive(Debug)]
pub struct Ledger {
    path: PathBuf,
    file: File,
    stamp: Stamp,
}

impl Ledger {
    /// Opens (or creates) the ledger at `path` and locks it against a second
    /// send from the same account; returns it with what it holds. Records
    /// written through it carry `stamp`.
    pub fn open(path: &Path, stamp: Stamp) -> Result<(Self, History), JournalError> {
        let open_err = |source| JournalError::LedgerOpen {
            path: path.to_path_buf(),
            source,
        };
        let (mut file, bytes) = record::open_locked(path).map_err(|e| match e {
            record::OpenLocked::Busy => JournalError::AccountBusy {
                path: path.to_path_buf(),
            },
            record::OpenLocked::Io(source) => open_err(source),
        })?;
        let history = History::parse(&bytes, path)?;
        // After a torn line, start the next entry on a line of its own.
        record::end_torn_line(&mut file, &bytes).map_err(open_err)?;
        Ok((
            Self {
                path: path.to_path_buf(),
                file,
                stamp,
            },
            history,
        ))
    }

    /// Where the ledger is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a journal record as one line, in one write (no waiting for
    /// the disk: [`Ledger::sync`] does that).
    pub(super) fn write(&mut self, record: &Record) -> Result<(), JournalError> {
        let entry = Entry {
            at: record.at.clone(),
            to: record.to.clone(),
            letter: record.letter.clone(),
            state: record.state,
            mep: record.mep.clone(),
            name: record.name.clone(),
            campaign: self.stamp.campaign.clone(),
            title: self.stamp.title.clone(),
            file: self.stamp.file.clone(),
            journal: self.stamp.journal.clone(),
            message_id: record.message_id.clone(),
        };
        let write_err = |source| JournalError::LedgerWrite {
            path: self.path.clone(),
            source,
        };
        let mut line = serde_json::to_vec(&entry).map_err(|e| write_err(std::io::Error::other(e)))?;
        line.push(b'\n');
        self.file.write_all(&line).map_err(write_err)
    }

    /// Waits until every line written is on disk.
    pub(super) fn sync(&mut self) -> Result<(), JournalError> {
        self.file.sync_data().map_err(|source| JournalError::LedgerWrite {
            path: self.path.clone(),
            source,
        })
    }
}

impl Drop for Ledger {
    fn drop(&mut self) {
        let _ = self.file.sync_data();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(to: &str, state: State, letter: &str) -> Record {
        Record::new("1", "Abadía Ñúñez", to, state, letter)
    }

    fn stamp(journal: &str) -> Stamp {
        Stamp {
            campaign: "id-1".into(),
            title: "Spring".into(),
            file: "/c/spring.toml".into(),
            journal: journal.into(),
        }
    }

    /// Each letter's Message-ID reaches the ledger with its record (a
    /// reply is matched by it, a follow-up answers it); an older ledger
    /// line without one still reads.
    #[test]
    fn the_ledger_keeps_each_letters_message_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.jsonl");
        {
            let (mut l, _) = Ledger::open(&path, stamp("/j/a.jsonl")).unwrap();
            let mut r = record("a@ep.eu", State::Sent, "f1");
            r.message_id = Some("<hemicycle.1@org.eu>".into());
            l.write(&r).unwrap();
            l.sync().unwrap();
        }
        let mut old = std::fs::read(&path).unwrap();
        old.extend_from_slice(br#"{"at":"2026-01-01T00:00:00Z","to":"b@ep.eu","letter":"f","state":"sent"}"#);
        old.push(b'\n');
        std::fs::write(&path, old).unwrap();
        let entries = History::read(&path).unwrap().entries;
        assert_eq!(entries[0].message_id.as_deref(), Some("<hemicycle.1@org.eu>"));
        assert_eq!(entries[1].message_id, None);
    }

    /// A crash or a full disk can stop a line at any byte, inside a
    /// character too: cut a ledger at every byte, open it, write, open it
    /// again. It always opens and keeps every entry written whole before.
    #[test]
    fn a_ledger_cut_at_any_byte_opens_again_and_keeps_whole_lines() {
        let dir = tempfile::tempdir().unwrap();
        let full_path = dir.path().join("full.jsonl");
        {
            let (mut l, _) = Ledger::open(&full_path, stamp("/j/a.jsonl")).unwrap();
            l.write(&record("a@ep.eu", State::Pending, "f1")).unwrap();
            l.write(&record("a@ep.eu", State::Sent, "f1")).unwrap();
            l.write(&record("b@ep.eu", State::Pending, "f2")).unwrap();
            l.sync().unwrap();
        }
        let full = std::fs::read(&full_path).unwrap();
        let whole: Vec<Entry> = History::read(&full_path).unwrap().entries;
        assert_eq!(whole.len(), 3);
        let ends: Vec<usize> = full
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1)
            .collect();
        for cut in 0..=full.len() {
            let path = dir.path().join(format!("l{cut}.jsonl"));
            std::fs::write(&path, &full[..cut]).unwrap();
            let kept = ends.iter().filter(|&&e| e - 1 <= cut).count();
            let (mut l, history) =
                Ledger::open(&path, stamp("/j/b.jsonl")).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
            assert_eq!(history.entries, whole[..kept], "cut at {cut}");
            l.write(&record("c@ep.eu", State::Pending, "f3")).unwrap();
            drop(l);
            let again = History::read(&path).unwrap_or_else(|e| panic!("cut at {cut}, reopened: {e}"));
            assert_eq!(again.entries.len(), kept + 1, "cut at {cut}");
            assert_eq!(again.entries[..kept], whole[..kept], "cut at {cut}");
        }
    }

    #[test]
    fn what_other_files_hold_and_what_they_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.jsonl");
        {
            let (mut l, _) = Ledger::open(&path, stamp("/j/other.jsonl")).unwrap();
            // Sent; deferred then failed (not held); unconfirmed.
            l.write(&record("A@ep.eu ", State::Pending, "f1")).unwrap();
            l.write(&record("A@ep.eu ", State::Sent, "f1")).unwrap();
            l.write(&record("b@ep.eu", State::Pending, "f1")).unwrap();
            l.write(&record("b@ep.eu", State::Deferred, "f1")).unwrap();
            l.write(&record("b@ep.eu", State::Failed, "f1")).unwrap();
            l.write(&record("c@ep.eu", State::Pending, "f1")).unwrap();
        }
        {
            let (mut l, _) = Ledger::open(&path, stamp("/j/own.jsonl")).unwrap();
            l.write(&record("d@ep.eu", State::Sent, "f1")).unwrap();
        }
        let history = History::read(&path).unwrap();
        let known = history.known(Path::new("/j/own.jsonl"), "id-1");
        let held: std::collections::BTreeSet<&str> = known.letters.keys().map(|(to, _)| to.as_str()).collect();
        assert_eq!(held, ["a@ep.eu", "c@ep.eu"].into_iter().collect());
        // A pending letter is not called sent.
        assert!(known.letters[&("c@ep.eu".into(), "f1".into())].ends_with(UNSURE));
        assert!(!known.letters[&("a@ep.eu".into(), "f1".into())].ends_with(UNSURE));
        assert!(
            known.letters[&("a@ep.eu".into(), "f1".into())].starts_with("the campaign \"Spring\" (spring.toml) on 20")
        );
        assert_eq!(known.sent_at.len(), 1, "only the other file's sent letter counts");
        assert!(known.same_campaign.contains_key("a@ep.eu"));
        assert!(
            history
                .known(Path::new("/j/own.jsonl"), "id-2")
                .same_campaign
                .is_empty()
        );
    }

    /// The ledger's records of a journal that the journal lacks (deleted,
    /// or an older copy put back) are what it must get back; another
    /// journal's records are not.
    #[test]
    fn what_a_lost_or_older_journal_lacks_comes_from_the_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join("own.jsonl");
        std::fs::write(&own, "").unwrap();
        let path = dir.path().join("l.jsonl");
        let first = record("a@ep.eu", State::Sent, "f1");
        {
            let (mut l, _) = Ledger::open(&path, Stamp::new("id-1", "Spring", Path::new("/c.toml"), &own)).unwrap();
            l.write(&first).unwrap();
            let mut pending = Record::new("2", "Bea", "b@ep.eu", State::Pending, "f1");
            pending.message_id = Some("<hemicycle.2@example.org>".into());
            l.write(&pending).unwrap();
            l.write(&Record::new("2", "Bea", "b@ep.eu", State::Unconfirmed, "f1"))
                .unwrap();
            l.stamp.journal = "/j/other.jsonl".into();
            l.write(&record("c@ep.eu", State::Sent, "f1")).unwrap();
        }
        let history = History::read(&path).unwrap();
        let older = vec![first];
        let missing = history.missing_from(&own, &older);
        let states: Vec<(&str, State)> = missing.iter().map(|r| (r.mep.as_str(), r.state)).collect();
        assert_eq!(states, [("2", State::Pending), ("2", State::Unconfirmed)]);
        // The letter's Message-ID comes back too: replies still match it.
        assert_eq!(missing[0].message_id.as_deref(), Some("<hemicycle.2@example.org>"));
        assert_eq!(history.missing_from(&own, &[]).len(), 3);
    }

    #[test]
    fn a_second_send_from_one_account_waits_and_a_foreign_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(dir.path(), " Ana@Example.org");
        assert_eq!(path, path_for(dir.path(), "ana@example.org"));
        let _first = Ledger::open(&path, stamp("/j/a.jsonl")).unwrap();
        let busy = Ledger::open(&path, stamp("/j/b.jsonl")).unwrap_err().to_string();
        assert!(
            busy.contains("another campaign is being sent from this mail account"),
            "{busy}"
        );
        let foreign = dir.path().join("f.jsonl");
        std::fs::write(&foreign, "name,email\nAna,ana@example.org\n").unwrap();
        let e = History::read(&foreign).unwrap_err();
        assert!(matches!(e, JournalError::LedgerForeign { .. }), "{e}");
        assert!(e.to_string().contains("is not a Hemicycle sent ledger"), "{e}");
        let dir_as_ledger = dir.path().join("a-folder");
        std::fs::create_dir(&dir_as_ledger).unwrap();
        let e = Ledger::open(&dir_as_ledger, stamp("/j/c.jsonl"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("could not open the sent ledger of this mail account"), "{e}");
    }
}
