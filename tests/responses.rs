//! `hemicycle responses` against a real Dovecot that the test starts
//! (`tests/common/imap.rs`), after real letters went through aiosmtpd: the
//! Inbox is filled by IMAP APPEND (`tests/imap/append.py`) from fixtures
//! shaped like real mail (`tests/fixtures/responses/`), their Message-IDs,
//! addresses and dates filled in from the letters that went. Every fixture
//! must be classified as it is, each MEP must have their state, nothing is
//! marked read, a second reading reads nothing again, the summary and the
//! CSV agree, and a bounce is warned about in a later campaign's check. A
//! server that refuses the login, drops the connection or sends a literal
//! of a gigabyte stops the reading with a clear error, keeping what was
//! read.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use common::imap::{Dovecot, Mailboxes, PASSWORD, USER};
use common::smtp::{Server, python};
use hemicycle::compose::Composer;
use hemicycle::deliver::responses::{self, Kind, Letter, Letters, Store};
use hemicycle::directory::Directory;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/ai-act-people-on-the-move.toml")
}

/// The servers, the account, and the letters that went: nine MEPs of one
/// campaign, one of another (from the same account).
struct World {
    _work: tempfile::TempDir,
    home: PathBuf,
    _smtp: Server,
    imap: Dovecot,
    ca: PathBuf,
    campaign: PathBuf,
    other: PathBuf,
    /// MEP id, address and Message-ID of letters 1..=10 (10: the other campaign).
    letters: Vec<(String, String, String)>,
    subject: String,
}

fn hemicycle(home: &Path, args: &[&str], password: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_hemicycle"))
        .args(args)
        .env("HEMICYCLE_HOME", home)
        .env("HEMICYCLE_SMTP_PASSWORD", password)
        .output()
        .unwrap()
}

fn send(home: &Path, campaign: &Path, ids: &[String]) {
    let out = hemicycle(
        home,
        &[
            "send",
            campaign.to_str().unwrap(),
            "--profile",
            "Volunteer",
            "--yes",
            "--rate",
            "0",
            "--mep",
            &ids.join(","),
        ],
        PASSWORD,
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
}

fn world() -> World {
    let work = tempfile::tempdir().unwrap();
    let home = work.path().join("home");
    let (smtp, imap, ca) = common::imap::servers(work.path(), Mailboxes::Sent);
    let args = common::imap::account_add("Volunteer", &smtp, &imap, "ana@example.org", &ca, false);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let add = common::hemicycle(&home, &args);
    assert!(add.status.success(), "{}", common::stderr(&add));
    let composer = Composer::open(&example(), None).unwrap();
    let dir = Directory::bundled().unwrap();
    let ids: Vec<String> = composer
        .recipients(&dir)
        .into_iter()
        .filter(|m| m.email.is_some() && !m.email_is_guess)
        .take(10)
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(ids.len(), 10);
    let campaign = common::example_copy(&home.join("work"), |t| t);
    let other = common::example_copy(&home.join("other"), |t| t);
    send(&home, &campaign, &ids[..9]);
    send(&home, &other, &ids[9..]);
    // The letters as the MEPs got them.
    let received = smtp.received();
    assert_eq!(received.len(), 10);
    let mut letters = Vec::new();
    for id in &ids {
        let mep = dir.get(id).unwrap();
        let to = mep.email.clone().unwrap();
        let got = received
            .iter()
            .find(|r| r["rcpt"].as_str() == Some(to.as_str()))
            .unwrap();
        let mid = got["message_id"].as_str().unwrap().trim_matches(['<', '>']).to_owned();
        letters.push((id.clone(), to, mid));
    }
    let subject = received[0]["subject"].as_str().unwrap().to_owned();
    World {
        _work: work,
        home,
        _smtp: smtp,
        imap,
        ca,
        campaign,
        other,
        letters,
        subject,
    }
}

/// A fixture with the letters' Message-IDs, addresses, subject and dates
/// filled in, with CRLF line ends.
fn fill(text: &[u8], w: &World, sent: chrono::DateTime<chrono::Utc>) -> Vec<u8> {
    let mut t = String::from_utf8_lossy(text).into_owned();
    for (i, (_, to, mid)) in w.letters.iter().enumerate().rev() {
        t = t.replace(&format!("{{{{ID{}}}}}", i + 1), mid);
        t = t.replace(&format!("{{{{TO{}}}}}", i + 1), to);
    }
    t = t.replace("{{SUBJECT}}", &w.subject);
    while let Some(at) = t.find("{{DATE+") {
        let end = at + t[at..].find("}}").unwrap();
        let hours: i64 = t[at + 7..end].trim_end_matches('h').parse().unwrap();
        let date = (sent + chrono::Duration::hours(hours)).to_rfc2822();
        t.replace_range(at..end + 2, &date);
    }
    t.replace("\r\n", "\n").replace('\n', "\r\n").into_bytes()
}

/// A message of about 3 MB (a newsletter with a large attachment).
fn huge() -> Vec<u8> {
    let mut m = b"From: news@shop.example.com\r\nTo: ana@example.org\r\nSubject: Our catalogue\r\nMessage-ID: <huge-1@shop.example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nSee the attachment.\r\n--B\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n".to_vec();
    for _ in 0..40_000 {
        m.extend_from_slice(b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5\r\n");
    }
    m.extend_from_slice(b"--B--\r\n");
    m
}

/// Appends files to the Inbox over IMAP.
fn append(w: &World, files: &[PathBuf]) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/imap/append.py");
    let out = std::process::Command::new(python())
        .arg(script)
        .args([
            "localhost",
            &w.imap.port.to_string(),
            w.ca.to_str().unwrap(),
            USER,
            PASSWORD,
            "INBOX",
        ])
        .args(files)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
}

fn fill_inbox(w: &World, dir: &Path) -> usize {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/responses");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let sent = chrono::Utc::now();
    let mut files = Vec::new();
    for (i, f) in names.iter().enumerate() {
        let path = dir.join(format!("{i:02}.eml"));
        std::fs::write(&path, fill(&std::fs::read(f).unwrap(), w, sent)).unwrap();
        files.push(path);
    }
    let big = dir.join("huge.eml");
    std::fs::write(&big, huge()).unwrap();
    files.push(big);
    append(w, &files);
    files.len()
}

/// The per-MEP CSV as (state, days, status, back on) by MEP id.
fn csv_states(path: &Path) -> BTreeMap<String, [String; 4]> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].to_owned(),
                [r[6].to_owned(), r[8].to_owned(), r[9].to_owned(), r[11].to_owned()],
            )
        })
        .collect()
}

fn responses_file(w: &World) -> PathBuf {
    responses::path_for(&hemicycle::store::Paths::under(&w.home).ledgers(), "ana@example.org")
}

#[test]
fn every_fixture_is_classified_and_each_mep_has_their_state() {
    let w = world();
    ledger_has_message_ids(&w);
    let scratch = tempfile::tempdir().unwrap();
    let appended = fill_inbox(&w, scratch.path());
    let campaign = w.campaign.to_str().unwrap();
    let csv = scratch.path().join("states.csv");
    let out = hemicycle(
        &w.home,
        &[
            "responses",
            campaign,
            "--profile",
            "Volunteer",
            "--csv",
            csv.to_str().unwrap(),
        ],
        PASSWORD,
    );
    let (said, shown) = (common::stderr(&out), common::stdout(&out));
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "{appended} new messages: 5 replies, 2 automatic replies, 3 bounces, 4 not related"
        )),
        "{said}"
    );
    let states = csv_states(&csv);
    let id = |n: usize| w.letters[n - 1].0.clone();
    let state = |n: usize| states[&id(n)].clone();
    assert_eq!(states.len(), 9, "{states:?}");
    for n in 1..=4 {
        assert_eq!(state(n)[0], "answered", "letter {n}: {shown}");
    }
    assert_eq!(state(1)[1], "1.08", "26 hours to answer");
    assert_eq!(state(2)[1], "2.08");
    assert_eq!(state(5)[0], "automatic reply");
    assert_eq!(state(5)[3], "2026-12-14");
    assert_eq!(state(6)[0], "automatic reply");
    assert_eq!(state(6)[3], "2026-12-11");
    assert_eq!((state(7)[0].as_str(), state(7)[2].as_str()), ("bounced", "5.1.1"));
    assert_eq!((state(8)[0].as_str(), state(8)[2].as_str()), ("bounced", "5.1.10"));
    assert_eq!((state(9)[0].as_str(), state(9)[2].as_str()), ("delayed", "4.4.7"));
    assert!(
        !states.contains_key(&id(10)),
        "a reply to the other campaign is not this one's"
    );
    // The messages about nothing Hemicycle sent are listed, with why.
    for words in [
        "winner@lottery.example.com",
        "names no Status",
        "news@shop.example.com",
        "newsletter@shop.example.com",
    ] {
        assert!(shown.contains(words), "{words} missing from:\n{shown}");
    }
    read_only_and_once(&w, appended);
    show_and_other(&w, &id(1));
    summary_and_check(&w, scratch.path());
}

/// The ledger records each letter's Message-ID.
fn ledger_has_message_ids(w: &World) {
    // The ledger records each letter's Message-ID.
    let ledger = hemicycle::deliver::ledger::History::read(&hemicycle::deliver::ledger::path_for(
        &hemicycle::store::Paths::under(&w.home).ledgers(),
        "ana@example.org",
    ))
    .unwrap();
    for (_, to, mid) in &w.letters {
        assert!(
            ledger
                .entries
                .iter()
                .any(|e| &e.to == to && e.message_id.as_deref().map(|m| m.trim_matches(['<', '>'])) == Some(mid)),
            "the ledger has no Message-ID for {to}"
        );
    }
}

/// Nothing was marked read; each message is stored once, and a second
/// reading reads nothing again.
fn read_only_and_once(w: &World, appended: usize) {
    let campaign = w.campaign.to_str().unwrap();
    // Read-only: nothing in the Inbox was marked read.
    let inbox = w.imap.messages("INBOX");
    assert_eq!(inbox.len(), appended);
    assert!(
        inbox
            .iter()
            .all(|(name, _)| !name.split_once(":2,").is_some_and(|(_, flags)| flags.contains('S'))),
        "{:?}",
        inbox.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    // The huge message was read only to its first megabyte: its line stays small.
    let stored = std::fs::read_to_string(responses_file(w)).unwrap();
    assert_eq!(stored.lines().count(), appended);
    assert!(stored.lines().all(|l| l.len() < 200_000), "a stored line is too long");
    // Read again: nothing new, nothing stored twice.
    let again = hemicycle(&w.home, &["responses", campaign, "--profile", "Volunteer"], PASSWORD);
    assert!(
        common::stderr(&again).contains("0 new messages"),
        "{}",
        common::stderr(&again)
    );
    assert!(common::stderr(&again).contains(&format!("({appended} read before)")));
    assert_eq!(std::fs::read_to_string(responses_file(w)).unwrap(), stored);
}

/// The reply is one command away; the other campaign sees its own reply.
fn show_and_other(w: &World, first: &str) {
    let campaign = w.campaign.to_str().unwrap();
    let show = hemicycle(
        &w.home,
        &[
            "responses",
            campaign,
            "--profile",
            "Volunteer",
            "--offline",
            "--show",
            first,
        ],
        PASSWORD,
    );
    assert!(
        common::stdout(&show).contains("shares your concern"),
        "{}",
        common::stdout(&show)
    );
    let other = hemicycle(
        &w.home,
        &[
            "responses",
            w.other.to_str().unwrap(),
            "--profile",
            "Volunteer",
            "--offline",
        ],
        PASSWORD,
    );
    assert!(
        common::stdout(&other).contains(": answered on"),
        "{}",
        common::stdout(&other)
    );
}

/// `--summary` and its CSV; the bounced addresses in a later campaign's check.
fn summary_and_check(w: &World, scratch: &Path) {
    let csv = scratch.join("summary.csv");
    let out = hemicycle(
        &w.home,
        &[
            "responses",
            w.campaign.to_str().unwrap(),
            "--profile",
            "Volunteer",
            "--offline",
            "--summary",
            "--csv",
            csv.to_str().unwrap(),
        ],
        PASSWORD,
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("By group"), "{}", common::stdout(&out));
    let text = std::fs::read_to_string(&csv).unwrap();
    let all = text.lines().nth(1).unwrap();
    // sent, answered, median days (26, 30, 50, 70 hours), auto, bounced, delayed, no answer yet.
    assert_eq!(all, "all,all,9,4,1.67,2,2,1,3", "{text}");
    let by_group: usize = text
        .lines()
        .filter(|l| l.starts_with("group,"))
        .map(|l| l.split(',').nth(2).unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(by_group, 9);
    // A later campaign to the MEP whose letter bounced is warned.
    let later = common::example_copy(&w.home.join("later"), |t| t);
    let check = hemicycle(
        &w.home,
        &["check", later.to_str().unwrap(), "--profile", "Volunteer"],
        PASSWORD,
    );
    let said = format!("{}{}", common::stdout(&check), common::stderr(&check));
    assert!(said.contains("an earlier letter to this address bounced"), "{said}");
    assert!(said.contains("550 5.1.1"), "{said}");
    assert!(
        said.contains(&format!("hemicycle override {} --email", w.letters[6].0)),
        "{said}"
    );
}

#[test]
fn a_refused_login_is_told_and_nothing_is_stored() {
    let w = world();
    let out = hemicycle(
        &w.home,
        &["responses", w.campaign.to_str().unwrap(), "--profile", "Volunteer"],
        "wrong password",
    );
    let said = common::stderr(&out);
    assert!(!out.status.success());
    assert!(said.contains("refused the user name or password"), "{said}");
    assert!(Store::load(&responses_file(&w)).unwrap().responses.is_empty());
}

/// A server on 127.0.0.1 that logs in, lists nine messages, answers the
/// first batch with eight small ones, and then does `last` for the ninth.
fn fake_server(last: &'static str) -> u16 {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (conn, _) = listener.accept().unwrap();
        let mut out = conn.try_clone().unwrap();
        let mut lines = BufReader::new(conn);
        out.write_all(b"* OK IMAP4rev1 ready\r\n").unwrap();
        let mut line = String::new();
        while {
            line.clear();
            lines.read_line(&mut line).unwrap_or(0) > 0
        } {
            let (tag, rest) = line.trim_end().split_once(' ').unwrap();
            let command = rest.to_ascii_uppercase();
            let answer = if command.starts_with("LOGIN") {
                format!("{tag} OK logged in\r\n")
            } else if command.starts_with("EXAMINE") {
                format!("* 9 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n{tag} OK [READ-ONLY] done\r\n")
            } else if command.starts_with("UID SEARCH") {
                format!("* SEARCH 1 2 3 4 5 6 7 8 9\r\n{tag} OK done\r\n")
            } else if command.starts_with("UID FETCH 1,") {
                let mut a = String::new();
                for uid in 1..=8 {
                    let m = format!("From: x{uid}@example.net\r\nSubject: hello {uid}\r\n\r\nHi\r\n");
                    a.push_str(&format!(
                        "* {uid} FETCH (UID {uid} RFC822.SIZE {} BODY[]<0> {{{}}}\r\n{m})\r\n",
                        m.len(),
                        m.len()
                    ));
                }
                format!("{a}{tag} OK done\r\n")
            } else if command.starts_with("UID FETCH 9") {
                if last == "drop" {
                    return;
                }
                out.write_all(b"* 9 FETCH (UID 9 RFC822.SIZE 1073741824 BODY[]<0> {1073741824}\r\n")
                    .unwrap();
                let chunk = vec![b'x'; 1 << 16];
                for _ in 0..(1 << 14) {
                    if out.write_all(&chunk).is_err() {
                        return;
                    }
                }
                return;
            } else {
                format!("{tag} OK\r\n")
            };
            if out.write_all(answer.as_bytes()).is_err() {
                return;
            }
        }
    });
    port
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn read_from(
    port: u16,
) -> (
    Result<responses::imap::ReadReport, responses::imap::ReadError>,
    Store,
    PathBuf,
) {
    let dir = tempfile::tempdir().unwrap().keep();
    let path = dir.join("r.responses.jsonl");
    let mut store = Store::open(&path).unwrap();
    let request = responses::imap::Request {
        profile: hemicycle::deliver::profile::Profile {
            user: "ana".into(),
            imap_host: "127.0.0.1".into(),
            imap_port: port,
            imap_security: hemicycle::deliver::profile::Security::None,
            ..Default::default()
        },
        password: Some("pw".into()),
        folders: vec!["INBOX".into()],
        since: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        timeout: Duration::from_secs(20),
    };
    let mut letters = Letters::default();
    letters.add(Letter {
        message_id: "a@b".into(),
        mep: "1".into(),
        name: String::new(),
        to: "a@ep.eu".into(),
        at: "2026-12-01T00:00:00Z".into(),
        journal: String::new(),
    });
    let result = responses::imap::read(&request, &letters, &mut store, &mut |_, _| {}, &AtomicBool::new(false));
    drop(store);
    (result, Store::load(&path).unwrap(), path)
}

#[test]
fn a_literal_of_a_gigabyte_stops_the_reading_and_what_was_read_is_kept() {
    let before = peak_rss_kb();
    let started = Instant::now();
    let (result, store, _) = read_from(fake_server("huge"));
    let err = result.unwrap_err().to_string();
    assert!(err.contains("far too much"), "{err}");
    assert!(started.elapsed() < Duration::from_mins(1));
    eprintln!(
        "a literal of 1 GB: stopped after {:?}, peak memory grew by {} kB",
        started.elapsed(),
        peak_rss_kb().saturating_sub(before)
    );
    assert!(
        peak_rss_kb().saturating_sub(before) < 200 * 1024,
        "memory grew by {} kB",
        peak_rss_kb() - before
    );
    assert_eq!(store.responses.len(), 8);
    assert!(store.responses.iter().all(|r| r.kind == Kind::Unrelated));
}

#[test]
fn a_dropped_connection_is_told_and_what_was_read_is_kept() {
    let (result, store, path) = read_from(fake_server("drop"));
    let err = result.unwrap_err().to_string();
    assert!(err.contains("broke"), "{err}");
    assert_eq!(store.responses.len(), 8);
    // The next reading goes on where this one stopped.
    let mut again = Store::open(&path).unwrap();
    assert!(again.has("INBOX", 7, 8) && !again.has("INBOX", 7, 9));
    again.append(vec![]).unwrap();
}
