//! The copy in Sent against a real IMAP server that the test starts:
//! Dovecot (`tests/common/imap.rs`) on 127.0.0.1 with TLS from a throw-away
//! authority, beside the aiosmtpd server the letters go to. Counts what
//! lands in Dovecot's Sent folder, byte for byte and marked as read; a
//! missing Sent folder and a refused APPEND are told once and every letter
//! still counts as sent.
#![allow(clippy::unwrap_used)]

mod common;

use common::imap::{Dovecot, Mailboxes, PASSWORD, USER, servers};
use common::smtp::Server;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use hemicycle::compose::Composer;
use hemicycle::deliver::journal::{Journal, SentCopy, State};
use hemicycle::deliver::profile::{Profile, Security};
use hemicycle::deliver::secrets::{Memory, Secrets};
use hemicycle::deliver::send::{self, Control, Plan, Progress, SendOptions, SendReport, Sender};
use hemicycle::deliver::sent_folder::{SentCopyError, SentFolder};
use hemicycle::deliver::session::{LogTo, Route, Session};
use hemicycle::directory::{Directory, Mep};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/ai-act-people-on-the-move.toml")
}

/// MEPs `skip..skip + n` of the example's recipients, with test addresses.
fn plan(skip: usize, n: usize) -> Plan {
    let composer = Composer::open(&example(), None).unwrap();
    let dir = Directory::bundled().unwrap();
    let meps: Vec<Mep> = composer
        .recipients(&dir)
        .into_iter()
        .skip(skip)
        .take(n)
        .map(|m| {
            let mut m = m.clone();
            m.email = Some(format!("mep-{}@parliament.test", m.id));
            m.email_is_guess = false;
            m
        })
        .collect();
    let refs: Vec<&Mep> = meps.iter().collect();
    send::plan(&composer, &refs, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap()
}

/// The SMTP server (STARTTLS, login) and Dovecot, both with certificates
/// from one throw-away authority; returns them and that authority.
fn profile(smtp: &Server, imap: &Dovecot, ca: PathBuf) -> Profile {
    Profile {
        name: "Volunteer".into(),
        host: "localhost".into(),
        port: smtp.port,
        security: Security::StartTls,
        user: USER.into(),
        from_name: "Ana Volunteer".into(),
        from_email: "ana@example.org".into(),
        extra_ca: Some(ca),
        copy_to_sent: true,
        imap_host: "localhost".into(),
        imap_port: imap.port,
        imap_security: Security::Tls,
        ..Profile::default()
    }
}

/// A run as both front ends start it (`deliver::session`), the password in
/// the store; returns the report and every notice the progress told.
fn send_through_session(dir: &Path, profile: &Profile, plan: &Plan) -> (SendReport, Vec<String>) {
    let secrets = Memory::default();
    secrets.set(&profile.secret_key(), PASSWORD).unwrap();
    let session = Session {
        route: Route::Account(profile.clone(), Arc::new(secrets)),
        sender: Sender::from_profile(profile),
        options: SendOptions {
            per_minute: 0.0,
            ..SendOptions::default()
        },
        log: Some(LogTo {
            file: dir.join("send.log"),
            campaign: "test".into(),
        }),
        ledger: None,
    };
    let mut journal = Journal::open(&dir.join("journal.jsonl")).unwrap();
    let notices = Mutex::new(Vec::new());
    let report = session
        .send(plan, &mut journal, &Control::default(), &|p: &Progress| {
            let mut seen = notices.lock().unwrap();
            if let Some(n) = &p.notice
                && seen.last() != Some(n)
            {
                seen.push(n.clone());
            }
        })
        .unwrap();
    (report, notices.into_inner().unwrap())
}

/// The journal's "sent" records, with whether their copy was kept.
fn sent_copies(dir: &Path) -> Vec<Option<SentCopy>> {
    let journal = Journal::open(&dir.join("journal.jsonl")).unwrap();
    journal
        .view()
        .records
        .iter()
        .filter(|r| r.state == State::Sent)
        .map(|r| r.sent_copy)
        .collect()
}

#[test]
fn every_letter_sent_lands_in_dovecots_sent_folder_as_sent_and_read() {
    let work = tempfile::tempdir().unwrap();
    let (smtp, imap, ca) = servers(work.path(), Mailboxes::Sent);
    let profile = profile(&smtp, &imap, ca);
    let said = SentFolder::new(profile.clone(), Some(PASSWORD.into()))
        .test_connection()
        .unwrap();
    assert!(said.contains("found the folder \"Sent\""), "{said}");

    let (report, notices) = send_through_session(work.path(), &profile, &plan(0, 4));
    assert_eq!(
        (report.sent.len(), report.copies_kept, report.copies_failed),
        (4, 4, 0),
        "{report:?}"
    );
    assert!(notices.is_empty(), "{notices:?}");
    let copies = imap.messages("Sent");
    assert_eq!(copies.len(), 4, "{copies:?}");
    // Each copy is marked \Seen, and is the very bytes the SMTP server took.
    let received: Vec<Vec<u8>> = smtp.received().iter().map(common::smtp::raw_bytes).collect();
    assert_eq!(received.len(), 4);
    for (file, bytes) in &copies {
        assert!(file.ends_with(":2,S"), "not marked as read: {file}");
        assert!(
            received
                .iter()
                .any(|r| r == bytes || r.strip_suffix(b"\r\n") == Some(bytes)),
            "the copy differs from what was sent:\n{}",
            String::from_utf8_lossy(bytes)
        );
    }
    assert_eq!(sent_copies(work.path()), vec![Some(SentCopy::Kept); 4]);

    // The same through STARTTLS on port 143's listener: one more copy.
    let starttls = Profile {
        imap_security: Security::StartTls,
        imap_port: imap.starttls_port,
        ..profile
    };
    let (report, _) = send_through_session(work.path(), &starttls, &plan(4, 1));
    assert_eq!((report.sent.len(), report.copies_kept), (1, 1), "{report:?}");
    assert_eq!(imap.messages("Sent").len(), 5);
}

/// Sends three letters to a Dovecot whose Sent folder cannot take them:
/// the problem is told once (progress, report, send log) and all three
/// letters count as sent.
fn three_letters_without_copies(mailboxes: Mailboxes, expected: &str) {
    let work = tempfile::tempdir().unwrap();
    let (smtp, imap, ca) = servers(work.path(), mailboxes);
    let profile = profile(&smtp, &imap, ca);
    let (report, notices) = send_through_session(work.path(), &profile, &plan(0, 3));
    assert_eq!(report.sent.len(), 3, "{report:?}");
    assert!(report.failed.is_empty() && report.unconfirmed.is_empty(), "{report:?}");
    assert_eq!(smtp.received().len(), 3);
    assert_eq!((report.copies_kept, report.copies_failed), (0, 3));
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains(expected) && notices[0].contains("The letters are still sent"),
        "{notices:?}"
    );
    let log = std::fs::read_to_string(work.path().join("send.log")).unwrap();
    assert_eq!(log.matches(expected).count(), 1, "{log}");
    assert!(log.contains("3 sent, 0 failed"), "{log}");
    assert!(imap.messages("Sent").is_empty());
    assert_eq!(sent_copies(work.path()), vec![Some(SentCopy::Failed); 3]);
}

#[test]
fn a_missing_sent_folder_is_told_once_and_the_letters_still_count_as_sent() {
    three_letters_without_copies(Mailboxes::NoSent, "found no Sent folder");
}

#[test]
fn a_refused_append_is_told_once_and_the_letters_still_count_as_sent() {
    three_letters_without_copies(Mailboxes::Full, "refused to keep the copy in \"Sent\"");
}

#[test]
fn an_imap_certificate_from_an_unknown_authority_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let (smtp, imap, ca) = servers(work.path(), Mailboxes::Sent);
    let trusted = profile(&smtp, &imap, ca);
    let untrusted = Profile {
        extra_ca: None,
        ..trusted.clone()
    };
    let err = SentFolder::new(untrusted, Some(PASSWORD.into()))
        .test_connection()
        .unwrap_err();
    assert!(matches!(err, SentCopyError::Tls { .. }), "{err}");
    let err = SentFolder::new(trusted, Some("wrong".into()))
        .test_connection()
        .unwrap_err();
    assert!(matches!(err, SentCopyError::Auth { .. }), "{err}");
    assert!(err.to_string().contains("app password"), "{err}");
}

/// `hemicycle account add` with the IMAP server, then `hemicycle send`: the
/// real binary, the password from HEMICYCLE_SMTP_PASSWORD.
fn cli_send(mailboxes: Mailboxes) -> (std::process::Output, Server, Dovecot, tempfile::TempDir) {
    let work = tempfile::tempdir().unwrap();
    let home = work.path().join("home");
    let (smtp, imap, ca) = servers(work.path(), mailboxes);
    let args = common::imap::account_add("Volunteer", &smtp, &imap, "ana@example.org", &ca, true);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let add = common::hemicycle(&home, &args);
    assert!(add.status.success(), "{}", common::stderr(&add));
    let list = common::stdout(&common::hemicycle(&home, &["account", "list"]));
    assert!(
        list.contains(&format!("copy in Sent through localhost:{}", imap.port)),
        "{list}"
    );
    // Three MEPs with a published address (the local server keeps them all).
    let composer = Composer::open(&example(), None).unwrap();
    let dir = Directory::bundled().unwrap();
    let ids: Vec<String> = composer
        .recipients(&dir)
        .into_iter()
        .filter(|m| m.email.is_some() && !m.email_is_guess)
        .take(3)
        .map(|m| m.id.clone())
        .collect();
    let campaign = common::example_copy(&home.join("work"), |t| t);
    let out = common::command(&home)
        .args([
            "send",
            campaign.to_str().unwrap(),
            "--profile",
            "Volunteer",
            "--yes",
            "--rate",
            "0",
        ])
        .args(["--mep", &ids.join(",")])
        .env("HEMICYCLE_SMTP_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    (out, smtp, imap, work)
}

#[test]
fn the_command_line_keeps_a_copy_of_each_letter_in_sent() {
    let (out, smtp, imap, _work) = cli_send(Mailboxes::Sent);
    let said = common::stderr(&out);
    assert!(out.status.success(), "{said}");
    assert_eq!(smtp.received().len(), 3, "{said}");
    assert_eq!(imap.messages("Sent").len(), 3, "{said}");
    assert!(said.contains("copies in Sent: 3 kept"), "{said}");
}

#[test]
fn the_command_line_tells_a_missing_sent_folder_once_and_sends_every_letter() {
    let (out, smtp, _imap, _work) = cli_send(Mailboxes::NoSent);
    let said = common::stderr(&out);
    assert!(out.status.success(), "{said}");
    assert_eq!(smtp.received().len(), 3, "{said}");
    assert_eq!(said.matches("No copy in your Sent folder").count(), 1, "{said}");
    assert!(said.contains("copies in Sent: 0 kept, 3 not kept"), "{said}");
}

#[test]
fn a_provider_fills_the_account_and_its_note_is_told() {
    let home = tempfile::tempdir().unwrap();
    let add = common::hemicycle(
        home.path(),
        &[
            "account",
            "add",
            "Mine",
            "--provider",
            "gmail",
            "--user",
            "ana@gmail.com",
            "--from",
            "ana@gmail.com",
            "--copy-to-sent",
        ],
    );
    assert!(add.status.success(), "{}", common::stderr(&add));
    assert!(
        common::stdout(&add).contains("app password"),
        "{}",
        common::stdout(&add)
    );
    let list = common::stdout(&common::hemicycle(home.path(), &["account", "list"]));
    assert!(
        list.contains("smtp.gmail.com:587 (STARTTLS") && list.contains("copy in Sent through imap.gmail.com:993"),
        "{list}"
    );
    let unknown = common::hemicycle(
        home.path(),
        &[
            "account",
            "add",
            "X",
            "--provider",
            "nowhere",
            "--from",
            "a@example.org",
        ],
    );
    assert!(!unknown.status.success());
    assert!(
        common::stderr(&unknown).contains("gmail, outlook"),
        "{}",
        common::stderr(&unknown)
    );
}
