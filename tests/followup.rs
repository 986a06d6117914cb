//! Follow-ups (issue 28, item 3) through the real binary and the real SMTP
//! server (aiosmtpd): a campaign sent to six MEPs; what came back (a reply,
//! an out-of-office, a failed and a delayed delivery report, real-shaped
//! messages classified by `hemicycle::deliver::responses`) in the account's
//! responses file; `hemicycle followup` writes a follow-up to the four who
//! did not answer; it is sent, killed mid-run and sent again: each of the
//! four gets exactly one follow-up, threaded to their own original letter.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::smtp::{Server, raw_of};
use hemicycle::compose::Composer;
use hemicycle::deliver::journal::View;
use hemicycle::deliver::responses::{self, Letters, Store, classify::Place};
use hemicycle::directory::Directory;

fn add_local_account(home: &Path, port: u16) {
    common::add_local_account(home, port, "letters@example.org", Some("Stichting Voorbeeld"));
}

/// A header's value (unfolded) in a raw message.
fn header(raw: &str, name: &str) -> Option<String> {
    let head = raw.split("\r\n\r\n").next().unwrap();
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
    })
}

/// What came back, shaped as real mail: Thunderbird's reply, Gmail's
/// vacation reply, a Postfix DSN (5.1.1) and a delayed DSN (4.4.7).
fn came_back(kind: &str, to: &str, id: &str) -> String {
    let reply = format!(
        "From: Office <{to}>\r\nTo: letters@example.org\r\nSubject: Re: AI Act\r\nDate: Mon, 7 Dec 2026 10:00:00 +0100\r\nMessage-ID: <r-{kind}@ep.test>\r\nIn-Reply-To: {id}\r\nReferences: {id}\r\nUser-Agent: Mozilla Thunderbird\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nThank you, we will look into it.\r\n"
    );
    match kind {
        "reply" => reply,
        "auto" => format!(
            "From: <{to}>\r\nTo: letters@example.org\r\nSubject: Out of office\r\nDate: Mon, 7 Dec 2026 10:00:00 +0100\r\nMessage-ID: <a-1@ep.test>\r\nIn-Reply-To: {id}\r\nAuto-Submitted: auto-replied\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nI am away until 4 January 2027.\r\n"
        ),
        "failed" | "delayed" => {
            let (action, status) = if kind == "failed" {
                ("failed", "5.1.1")
            } else {
                ("delayed", "4.4.7")
            };
            format!(
                "From: MAILER-DAEMON@mail.example.org (Mail Delivery System)\r\nTo: letters@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\nDate: Mon, 7 Dec 2026 10:00:00 +0100\r\nMessage-ID: <d-{kind}@mail.example.org>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.org\r\n\r\nFinal-Recipient: rfc822; {to}\r\nOriginal-Recipient: rfc822; {to}\r\nAction: {action}\r\nStatus: {status}\r\nDiagnostic-Code: smtp; 550 {status} user unknown\r\n\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: letters@example.org\r\nTo: {to}\r\nMessage-ID: {id}\r\nSubject: AI Act\r\n\r\n--B--\r\n"
            )
        }
        _ => unreachable!(),
    }
}

#[test]
#[allow(clippy::too_many_lines)] // one step of the journey after another; the rule is for src/
fn a_follow_up_goes_once_to_each_mep_who_did_not_answer_in_their_thread() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(work.path(), &["--keep-raw"]);
    add_local_account(home.path(), server.port);
    let dir = Directory::bundled().unwrap();
    let campaign = common::example_copy(&work.path().join("c"), |t| t);
    let ids: Vec<String> = Composer::open(&campaign, None)
        .unwrap()
        .recipients(&dir)
        .into_iter()
        .filter(|m| m.email.is_some() && !m.email_is_guess)
        .take(6)
        .map(|m| m.id.clone())
        .collect();
    let id_list = ids.join(",");
    let journal = work.path().join("original.jsonl");
    let send = |file: &Path, journal: &Path, more: &[&str]| {
        let mut args = vec![
            "send",
            file.to_str().unwrap(),
            "--profile",
            "Local",
            "--yes",
            "--journal",
            journal.to_str().unwrap(),
        ];
        args.extend(more);
        common::hemicycle(home.path(), &args)
    };
    let out = send(&campaign, &journal, &["--rate", "0", "--mep", &id_list]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let originals: BTreeMap<String, String> = server
        .received()
        .iter()
        .map(|r| (r["rcpt"].as_str().unwrap().to_lowercase(), raw_of(r)))
        .collect();
    assert_eq!(originals.len(), 6);

    // What came back, classified and stored as `hemicycle responses` does.
    let view = View::read(&journal).unwrap();
    let mut letters = Letters::default();
    letters.add_journal(&view, &journal);
    let to_of: BTreeMap<String, (String, String)> = view
        .records
        .iter()
        .filter_map(|r| Some((r.mep.clone(), (r.to.clone(), r.message_id.clone()?))))
        .collect();
    let paths = hemicycle::store::Paths::under(home.path());
    let store_path = responses::path_for(&paths.ledgers(), "letters@example.org");
    let mut store = Store::open(&store_path).unwrap();
    let mut came = Vec::new();
    for (uid, (kind, mep)) in [
        ("reply", &ids[0]),
        ("auto", &ids[1]),
        ("failed", &ids[2]),
        ("delayed", &ids[3]),
    ]
    .into_iter()
    .enumerate()
    {
        let (to, id) = &to_of[mep];
        let place = Place {
            folder: "INBOX".into(),
            uid_validity: 1,
            uid: u32::try_from(uid).unwrap() + 1,
            internal_date: "2026-12-07T09:00:00Z".into(),
            truncated: false,
        };
        let r = responses::classify::classify(came_back(kind, to, id).as_bytes(), &place, &letters);
        assert_eq!(r.mep, *mep, "{kind} matched: {r:?}");
        came.push(r);
    }
    store.append(came).unwrap();
    drop(store);

    // Written to too recently for a 14-day wait: nobody yet.
    let followup = work.path().join("c/campaigns/follow.toml");
    let make = |after: &str| {
        common::hemicycle(
            home.path(),
            &[
                "followup",
                campaign.to_str().unwrap(),
                "--to",
                "no-answer",
                "--after",
                after,
                "--profile",
                "Local",
                "--journal",
                journal.to_str().unwrap(),
                "--out",
                followup.to_str().unwrap(),
                "--mep",
                &id_list,
            ],
        )
    };
    let out = make("14d");
    assert!(!out.status.success());
    assert!(
        common::stderr(&out).contains("nobody to follow up"),
        "{}",
        common::stderr(&out)
    );
    assert!(!followup.exists());
    let out = make("0h");
    assert!(out.status.success(), "{}", common::stderr(&out));
    let err = common::stderr(&out);
    // The quoted letters are the ones that went (their fingerprints agree).
    assert!(!err.contains("changed after"), "{err}");
    assert!(err.contains(&format!("({}): answered", ids[0])), "{err}");
    assert!(err.contains(&format!("({}): their address failed", ids[2])), "{err}");
    let text = std::fs::read_to_string(&followup).unwrap();
    assert!(
        text.contains("template = \"follow-up\"") && text.contains("[followup"),
        "{text}"
    );

    // Sent, killed after the first follow-up, sent again.
    let before = server.received().len();
    let fj = work.path().join("follow.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hemicycle"))
        .args([
            "send",
            followup.to_str().unwrap(),
            "--profile",
            "Local",
            "--yes",
            "--rate",
            "30/min",
            "--journal",
            fj.to_str().unwrap(),
        ])
        .env("HEMICYCLE_HOME", home.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_mins(2);
    while server.received().len() < before + 1 {
        assert!(Instant::now() < deadline, "no follow-up in 2 minutes");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let out = send(&followup, &fj, &["--rate", "0"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let out = send(&followup, &fj, &["--rate", "0"]);
    assert!(common::stderr(&out).contains("0 sent"), "{}", common::stderr(&out));

    let follow_ups: Vec<serde_json::Value> = server.received().into_iter().skip(before).collect();
    let mut got: Vec<String> = follow_ups
        .iter()
        .map(|r| r["rcpt"].as_str().unwrap().to_lowercase())
        .collect();
    got.sort();
    let mut expected: Vec<String> = [&ids[1], &ids[3], &ids[4], &ids[5]]
        .iter()
        .map(|m| to_of[*m].0.to_lowercase())
        .collect();
    expected.sort();
    assert_eq!(got, expected, "exactly once to each MEP who did not answer");
    for r in &follow_ups {
        let raw = raw_of(r);
        let original = &originals[&r["rcpt"].as_str().unwrap().to_lowercase()];
        let original_id = header(original, "Message-ID").unwrap();
        assert_eq!(header(&raw, "In-Reply-To"), Some(original_id.clone()), "{raw}");
        assert_eq!(header(&raw, "References"), Some(original_id), "{raw}");
        let subject = r["subject"].as_str().unwrap();
        let original_subject = header(original, "Subject").unwrap();
        assert!(subject.starts_with("Re: "), "{subject}");
        assert_ne!(header(&raw, "Message-ID"), header(original, "Message-ID"));
        assert!(!original_subject.starts_with("Re:"));
        let body = python_body(&raw);
        let flat = common::folded(&body);
        assert!(flat.contains("we have not yet heard from you"), "{body}");
        assert!(flat.contains("Stichting Voorbeeld wrote:"), "{body}");
        // The original's letterhead lines stay lines in the quote.
        assert!(body.contains("> Stichting Voorbeeld\n> Oudegracht 1\n"), "{body}");
        assert!(body.lines().any(|l| l.starts_with("> ")), "{body}");
    }
}

/// The text part of a message as Python's `email` reads it.
fn python_body(raw: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.eml");
    std::fs::write(&file, raw).unwrap();
    common::run(
        &common::smtp::python(),
        &[
            "-c",
            "import sys,email,email.policy\nm=email.message_from_binary_file(open(sys.argv[1],'rb'),policy=email.policy.default)\nprint(m.get_body(('plain',)).get_content())",
            file.to_str().unwrap(),
        ],
    )
}
