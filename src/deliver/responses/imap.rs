//! Reading the account's folders over IMAP, read-only: each folder is
//! opened with EXAMINE (nothing in it can change, no flag is set), the
//! messages since a day are found with `UID SEARCH SINCE`, and those not
//! yet in the responses file are fetched with `BODY.PEEK[]<0.N>`: at most
//! [`MAX_MESSAGE_BYTES`] of each (a longer message is read to that point),
//! [`BATCH`] at a time, each batch classified and appended to the file
//! before the next is asked for. The session is the copy in Sent's
//! ([`crate::deliver::sent_folder`]): the same login, verified TLS, and a
//! budget of time and bytes per step, so a server that trickles bytes or
//! sends a literal of a gigabyte stops the run with an error, with what was
//! read before it kept.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::classify::{Place, classify};
use super::{Kind, Letters, Store, StoreError};
use crate::deliver::profile::Profile;
use crate::deliver::sent_folder::{SentCopyError, SentFolder};

/// The most of one message that is read.
pub const MAX_MESSAGE_BYTES: u32 = 1024 * 1024;
/// Messages fetched in one step (their bytes stay within the session's
/// budget per step).
pub const BATCH: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Imap(#[from] SentCopyError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one reading found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    /// Messages read now, by kind: replies, automatic replies, bounces,
    /// not related.
    pub replies: usize,
    pub auto_replies: usize,
    pub bounces: usize,
    pub unrelated: usize,
    /// Messages since the day that were read before.
    pub already: usize,
    /// The reading was cancelled before the end.
    pub cancelled: bool,
}

impl ReadReport {
    fn count(&mut self, kind: Kind) {
        match kind {
            Kind::Reply => self.replies += 1,
            Kind::AutoReply => self.auto_replies += 1,
            Kind::Bounce => self.bounces += 1,
            Kind::Unrelated => self.unrelated += 1,
        }
    }

    /// "3 new messages: 1 reply, 1 automatic reply, 1 bounce, 0 not related (12 read before)."
    pub fn words(&self) -> String {
        let new = self.replies + self.auto_replies + self.bounces + self.unrelated;
        format!(
            "{new} new message{}: {} repl{}, {} automatic repl{}, {} bounce{}, {} not related ({} read before){}.",
            if new == 1 { "" } else { "s" },
            self.replies,
            if self.replies == 1 { "y" } else { "ies" },
            self.auto_replies,
            if self.auto_replies == 1 { "y" } else { "ies" },
            self.bounces,
            if self.bounces == 1 { "" } else { "s" },
            self.unrelated,
            self.already,
            if self.cancelled { "; stopped before the end" } else { "" }
        )
    }
}

/// What to read, and from where.
#[derive(Debug, Clone)]
pub struct Request {
    pub profile: Profile,
    pub password: Option<String>,
    /// The folders (INBOX when empty).
    pub folders: Vec<String>,
    /// The first day read (the campaign's first letter).
    pub since: chrono::NaiveDate,
    /// How long to wait for the server at each step.
    pub timeout: Duration,
}

/// The folders to read: INBOX first, then `others` (trimmed; empty names
/// and INBOX again, in any case, left out). The CLI's `--folder` and the
/// app's folder field both name them.
pub fn folders<'a>(others: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut folders = vec!["INBOX".to_owned()];
    folders.extend(
        others
            .into_iter()
            .map(str::trim)
            .filter(|f| !f.is_empty() && !f.eq_ignore_ascii_case("INBOX"))
            .map(str::to_owned),
    );
    folders
}

/// Reads the folders of `request` into `store` (opened for writing),
/// matching against `letters`; `progress(done, total)` after each batch;
/// stops between batches when `cancel` is set.
pub fn read(
    request: &Request,
    letters: &Letters,
    store: &mut Store,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<ReadReport, ReadError> {
    let account = SentFolder::new(request.profile.clone(), request.password.clone()).with_timeout(request.timeout);
    let (mut session, budget) = account.login()?;
    let mut report = ReadReport::default();
    let folders = if request.folders.is_empty() {
        vec!["INBOX".to_owned()]
    } else {
        request.folders.clone()
    };
    let result = (|| {
        for folder in &folders {
            budget.renew(request.timeout * 2);
            let uid_validity = account.examine(&mut session, folder)?;
            let query = format!("SINCE {}", request.since.format("%-d-%b-%Y"));
            let mut uids: Vec<u32> = session
                .uid_search(query)
                .map_err(|e| account.broken(&e))?
                .into_iter()
                .collect();
            uids.sort_unstable();
            let (old, new): (Vec<u32>, Vec<u32>) = uids.into_iter().partition(|u| store.has(folder, uid_validity, *u));
            report.already += old.len();
            for (i, batch) in new.chunks(BATCH).enumerate() {
                if cancel.load(Ordering::Relaxed) {
                    report.cancelled = true;
                    return Ok(());
                }
                budget.renew(request.timeout * 2);
                let place = Place {
                    folder: folder.clone(),
                    uid_validity,
                    ..Place::default()
                };
                let read = fetch(&mut session, batch, &place, letters).map_err(|e| account.broken(&e))?;
                for r in &read {
                    report.count(r.kind);
                }
                store.append(read)?;
                progress((i * BATCH + batch.len()).min(new.len()), new.len());
            }
        }
        Ok(())
    })();
    // After an error the connection may be broken or still streaming.
    if result.is_ok() {
        budget.renew(request.timeout);
        let _ = session.logout();
    }
    result.map(|()| report)
}

/// Fetches one batch and classifies each message.
fn fetch(
    session: &mut imap::Session<crate::deliver::sent_folder::Stream>,
    batch: &[u32],
    place: &Place,
    letters: &Letters,
) -> Result<Vec<super::Response>, imap::Error> {
    let set = batch.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    let fetches = session.uid_fetch(
        set,
        format!("(UID RFC822.SIZE INTERNALDATE BODY.PEEK[]<0.{MAX_MESSAGE_BYTES}>)"),
    )?;
    let mut out = Vec::new();
    for f in fetches.iter() {
        let (Some(uid), Some(body)) = (f.uid, f.body()) else {
            continue;
        };
        if !batch.contains(&uid) {
            continue;
        }
        let place = Place {
            uid,
            internal_date: f
                .internal_date()
                .map(|d| {
                    d.with_timezone(&chrono::Utc)
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                })
                .unwrap_or_default(),
            truncated: f.size.is_some_and(|s| s > MAX_MESSAGE_BYTES),
            ..place.clone()
        };
        out.push(classify(body, &place, letters));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn inbox_comes_first_and_once() {
        assert_eq!(super::folders([]), ["INBOX"]);
        assert_eq!(
            super::folders([" Archive ", "", "inbox", "Replies"]),
            ["INBOX", "Archive", "Replies"]
        );
    }
}
