//! A mail server that refuses to open a folder the way Dovecot does, with
//! an untagged `* NO …` in its answer to EXAMINE before a tagged OK
//! (`tests/imap/refusing.py`): the `imap` crate's own `examine` panics on
//! that answer. Through the real binary, `hemicycle responses` and
//! `hemicycle account check-delivery --test-letter` must say in words which
//! folder was refused and what to do, exit with an error, never panic, and
//! keep what was read before the refused folder.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::dns::Dns;
use common::imap::Refusing;
use common::smtp::Server;
use hemicycle::deliver::responses::{self, Kind, Store};

const PASSWORD: &str = "pw";

fn hemicycle(home: &Path, dns: Option<&Dns>, args: &[&str]) -> Output {
    let mut command = common::command(home);
    command.args(args).env("HEMICYCLE_SMTP_PASSWORD", PASSWORD);
    if let Some(dns) = dns {
        command.env("HEMICYCLE_DNS_SERVER", dns.address());
    }
    command.output().unwrap()
}

fn add_account(home: &Path, smtp: u16, imap: u16) {
    let (smtp, imap) = (smtp.to_string(), imap.to_string());
    let out = hemicycle(
        home,
        None,
        &[
            "account",
            "add",
            "Volunteer",
            "--host",
            "127.0.0.1",
            "--port",
            &smtp,
            "--security",
            "none",
            "--user",
            "ana",
            "--from",
            "ana@example.org",
            "--imap-host",
            "127.0.0.1",
            "--imap-port",
            &imap,
            "--imap-security",
            "none",
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
}

/// Says that `out` failed in words, naming `folder`, without a panic.
fn refused_in_words(out: &Output, folder: &str) -> String {
    let said = common::stderr(out);
    assert!(!out.status.success(), "{said}");
    assert_ne!(out.status.code(), Some(101), "a panic's exit code: {said}");
    assert!(!said.contains("panicked"), "{said}");
    assert!(
        said.contains(&format!(
            "refused to open the folder \"{folder}\": [SERVERBUG] Internal error occurred"
        )),
        "{said}"
    );
    assert!(said.contains("ask your provider to repair it"), "{said}");
    said
}

#[test]
fn a_folder_the_server_refuses_is_named_and_what_was_read_is_kept() {
    let work = tempfile::tempdir().unwrap();
    let home = work.path().join("home");
    let smtp = Server::start(work.path(), &["--auth", &format!("ana:{PASSWORD}")]);
    // One letter goes, so that the campaign has a first day and a Message-ID.
    let campaign = common::example_copy(&work.path().join("c"), |t| {
        t.replacen("[recipients]\n", "[recipients]\nmeps = [\"256814\"]\n", 1)
    });
    let placeholder = Refusing::start("Archive", None);
    add_account(&home, smtp.port, placeholder.port);
    let c = campaign.to_str().unwrap();
    let out = hemicycle(
        &home,
        None,
        &["send", c, "--profile", "Volunteer", "--yes", "--rate", "0"],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let received = smtp.received();
    let letter = &received[0];
    let reply = work.path().join("reply.eml");
    std::fs::write(
        &reply,
        format!(
            "From: {to}\r\nTo: ana@example.org\r\nSubject: Re: {subject}\r\nMessage-ID: <r1@ep.example>\r\nIn-Reply-To: {mid}\r\nDate: Sun, 6 Dec 2026 10:00:00 +0000\r\n\r\nThank you for your letter.\r\n",
            to = letter["rcpt"].as_str().unwrap(),
            subject = letter["subject"].as_str().unwrap(),
            mid = letter["message_id"].as_str().unwrap(),
        ),
    )
    .unwrap();
    drop(placeholder);
    let imap = Refusing::start("Archive", Some(&reply));
    add_account(&home, smtp.port, imap.port);

    let out = hemicycle(
        &home,
        None,
        &["responses", c, "--profile", "Volunteer", "--folder", "Archive"],
    );
    refused_in_words(&out, "Archive");
    // The Inbox, read before the refused folder, is kept.
    let file: PathBuf = responses::path_for(&hemicycle::store::Paths::under(&home).ledgers(), "ana@example.org");
    let stored = Store::load(&file).unwrap().responses;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].kind, Kind::Reply);
    let out = hemicycle(&home, None, &["responses", c, "--profile", "Volunteer", "--offline"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("answered"), "{}", common::stdout(&out));
}

#[test]
fn an_inbox_the_server_refuses_stops_the_test_letter_in_words() {
    let work = tempfile::tempdir().unwrap();
    let home = work.path().join("home");
    let smtp = Server::start(work.path(), &["--auth", &format!("ana:{PASSWORD}")]);
    let imap = Refusing::start("INBOX", None);
    let dns = Dns::start(work.path(), &serde_json::json!({}));
    add_account(&home, smtp.port, imap.port);
    let out = hemicycle(
        &home,
        Some(&dns),
        &["account", "check-delivery", "Volunteer", "--test-letter", "--wait", "5"],
    );
    refused_in_words(&out, "INBOX");
    assert_eq!(smtp.received().len(), 1);
}
