//! What a journal and a sent ledger both hold and how both are read: one
//! letter's record (`Record`, `State`), the error of either file, and the
//! JSON-lines reader that survives a torn tail. `journal` and `ledger` both
//! build on it, so neither imports the other's reading.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What happened to one letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Pending,
    Sent,
    Deferred,
    Failed,
    Unconfirmed,
    /// The user checked and says the unconfirmed letter arrived.
    MarkedSent,
    /// The user asked to send an unconfirmed letter again.
    Released,
    /// Handed to the user's mail program as a draft ("Open in my mail
    /// program"): whether it went out is up to the user, so it counts as
    /// unconfirmed and is not handed over or sent again unless asked.
    HandedOver,
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// UTC, RFC 3339.
    pub at: String,
    pub mep: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub to: String,
    pub state: State,
    /// A fingerprint of the letter (subject and text), to notice a changed
    /// letter for someone who already got one.
    #[serde(default)]
    pub letter: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The server's reply, or why it failed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub attempt: u32,
    /// For a sent letter of an account that keeps a copy in Sent: whether
    /// the copy was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_copy: Option<SentCopy>,
}

/// Whether a sent letter's copy reached the Sent folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SentCopy {
    Kept,
    Failed,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Record {
    pub fn new(mep: &str, name: &str, to: &str, state: State, letter: &str) -> Self {
        Self {
            at: now_rfc3339(),
            mep: mep.to_owned(),
            name: name.to_owned(),
            to: to.to_owned(),
            state,
            letter: letter.to_owned(),
            message_id: None,
            detail: String::new(),
            attempt: 0,
            sent_copy: None,
        }
    }
}

pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("could not open the send journal ({source}): {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "this campaign is being sent right now by another Hemicycle window or command; wait for it to finish, or close it"
    )]
    Busy,
    #[error(
        "could not write to the send journal ({}); nothing more is sent until it can: {}",
        in_words(source),
        path.display()
    )]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a Hemicycle send journal (line {line}: {reason})", path.display())]
    Foreign { path: PathBuf, line: usize, reason: String },
    #[error(
        "another campaign is being sent from this mail account right now (by another Hemicycle window or command); wait for it to finish, or close it: {}",
        path.display()
    )]
    AccountBusy { path: PathBuf },
    #[error(
        "could not write to the sent ledger of this mail account ({}); nothing more is sent until it can: {}",
        in_words(source),
        path.display()
    )]
    LedgerWrite {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not open the sent ledger of this mail account ({source}): {}", path.display())]
    LedgerOpen {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a Hemicycle sent ledger (line {line}: {reason})", path.display())]
    LedgerForeign { path: PathBuf, line: usize, reason: String },
    #[error("the letter to {mep} is not unconfirmed (any more), so nothing was changed: {}", path.display())]
    NotUnconfirmed { path: PathBuf, mep: String },
}

/// A write error as the user can act on it: a full disk says so.
fn in_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => format!(
            "the disk is full ({e}); free some space, then send again to go on where this stopped: nothing is sent twice"
        ),
        std::io::ErrorKind::FileTooLarge => format!(
            "the file has grown as large as this system allows ({e}); ask whoever runs this computer to raise the limit"
        ),
        _ => e.to_string(),
    }
}

/// The bytes of a journal or ledger file; `None` when there is none yet.
pub(super) fn read_if_there(path: &Path) -> Result<Option<Vec<u8>>, JournalError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(JournalError::Open {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Reads JSON lines (a journal's or a ledger's, named `what` in the
/// warnings) from bytes: a write cut short (by a crash or a full disk, even
/// inside a character) leaves a line that ends too early, which is reported
/// and skipped wherever it is, the first line included; so the file always
/// opens and no complete line in it is lost. Only a first line that is
/// something else entirely marks a foreign file: then the error is its line
/// number and why.
pub(crate) fn parse_lines<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    what: &str,
) -> Result<(Vec<T>, Vec<String>), (usize, String)> {
    let mut items = Vec::new();
    let mut warnings = Vec::new();
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<T>(line) {
            Ok(r) => items.push(r),
            // A record that stops early: a write cut short.
            Err(e) if i == last || e.classify() == serde_json::error::Category::Eof => warnings.push(format!(
                "line {} of the {what} was cut short (Hemicycle stopped while writing it); it was ignored",
                i + 1
            )),
            Err(e) if items.is_empty() && i == 0 => return Err((1, e.to_string())),
            Err(e) => warnings.push(format!("line {} of the {what} is damaged and was skipped ({e})", i + 1)),
        }
    }
    Ok((items, warnings))
}

/// Why an append-only file (a journal, a ledger, a responses file) could
/// not be opened for writing.
#[derive(Debug)]
pub(crate) enum OpenLocked {
    /// Another Hemicycle holds its lock.
    Busy,
    Io(std::io::Error),
}

/// Opens (or creates, with its folder) the append-only file at `path`,
/// locked against a second writer, with the bytes it holds.
pub(crate) fn open_locked(path: &Path) -> Result<(std::fs::File, Vec<u8>), OpenLocked> {
    use std::io::{Read, Seek, SeekFrom};
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(OpenLocked::Io)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(OpenLocked::Io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Err(OpenLocked::Busy),
        Err(std::fs::TryLockError::Error(e)) => return Err(OpenLocked::Io(e)),
    }
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(0)).map_err(OpenLocked::Io)?;
    file.read_to_end(&mut bytes).map_err(OpenLocked::Io)?;
    Ok((file, bytes))
}

/// After a torn last line (`bytes`, what the file held), the next line
/// starts on a line of its own, on disk before anything else is written.
pub(crate) fn end_torn_line(file: &mut std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if !bytes.is_empty() && !bytes.ends_with(b"\n") {
        file.write_all(b"\n")?;
        file.sync_data()?;
    }
    Ok(())
}
