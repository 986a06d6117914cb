//! Deliver: export letters to files, and send them as e-mail.
//!
//! - [`address`]: what counts as an e-mail address (one test for all).
//! - [`export`]: every recipient × format into a folder or ZIP.
//! - [`profile`], [`secrets`]: mail accounts and their passwords (keyring).
//! - [`smtp`]: one session with a mail server, step by step.
//! - [`mail_program`]: "Open in my mail program": drafts handed to the
//!   system's mail program, recorded in the journal.
//! - [`presets`]: the servers of common mail providers
//!   (`assets/mail-providers.toml`).
//! - [`sent_folder`]: the copy of each letter in the account's Sent folder
//!   (IMAP).
//! - [`journal`]: the append-only record that makes sending exactly-once.
//! - [`ledger`]: per mail account, every letter it sent from any campaign
//!   file: never the same letter twice to one address, the daily cap.
//! - [`send`]: the engine: pacing, office hours, retries, dry run.
//! - [`check`]: the pre-send check (addresses, duplicates, similarity).
//! - [`flow`]: the send dialog's state machine (check, confirm, send,
//!   pause, done), which both front ends only present.
//! - [`record`]: what a journal and a ledger both hold and read.
//! - [`sent_copy`]: why a copy in Sent could not be kept.
//! - [`deliverability`], [`dns`]: the From domain's SPF and DMARC records
//!   (a small DNS client of our own) and the test letter's
//!   `Authentication-Results`, in plain words.
//! - [`followup`]: a follow-up campaign to the MEPs who did not answer,
//!   each letter a reply in its thread.
//! - [`session`]: the rules both front ends apply around a send or an
//!   export, with one set of messages.

pub mod address;
pub mod check;
pub mod deliverability;
pub mod dns;
pub mod export;
pub mod flow;
pub mod followup;
pub mod journal;
pub mod ledger;
pub mod mail_program;
pub mod names;
pub mod presets;
pub mod profile;
pub mod record;
pub mod responses;
pub mod secrets;
pub mod send;
pub mod sent_copy;
pub mod sent_folder;
pub mod session;
pub mod smtp;

pub use export::{ExportError, ExportOptions, ExportReport, Format, Progress, export};
