//! Sending against a real SMTP server process (aiosmtpd, `tests/smtp/server.py`):
//! STARTTLS with a throw-away certificate authority and AUTH, a server killed
//! mid-campaign and restarted, 4xx twice then accepted, 5xx for one address,
//! a connection cut after DATA, a wrong password, an untrusted certificate,
//! and the real `hemicycle` binary killed mid-campaign and run again.
#![allow(clippy::unwrap_used)]

mod common;

use common::smtp::{Server, raw_of, tls_server};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use hemicycle::compose::Composer;
use hemicycle::deliver::journal::{Journal, State, View};
use hemicycle::deliver::profile::{Profile, Security};
use hemicycle::deliver::send::{self, Control, Plan, SendError, SendOptions, Sender, SkipReason};
use hemicycle::deliver::smtp::Smtp;
use hemicycle::directory::{Directory, Mep};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/ai-act-people-on-the-move.toml")
}

fn composer() -> Composer {
    Composer::open(&example(), None).unwrap()
}

/// `n` MEPs of the bundled directory with test addresses.
fn meps(n: usize) -> Vec<Mep> {
    let dir = Directory::bundled().unwrap();
    let composer = composer();
    composer
        .recipients(&dir)
        .into_iter()
        .take(n)
        .map(|m| {
            let mut m = m.clone();
            m.email = Some(format!("mep-{}@parliament.test", m.id));
            m.email_is_guess = false;
            m
        })
        .collect()
}

fn plan_for(meps: &[Mep]) -> Plan {
    let refs: Vec<&Mep> = meps.iter().collect();
    send::plan(&composer(), &refs, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap()
}

fn plain_profile(port: u16) -> Profile {
    Profile {
        name: "Local".into(),
        host: "127.0.0.1".into(),
        port,
        security: Security::None,
        from_name: "Stichting Voorbeeld".into(),
        from_email: "letters@example.org".into(),
        ..Profile::default()
    }
}

/// The account of "volunteer" on the STARTTLS test server, trusting its CA.
fn tls_profile(port: u16, ca: PathBuf) -> Profile {
    Profile {
        name: "Office".into(),
        host: "localhost".into(),
        port,
        security: Security::StartTls,
        user: "volunteer".into(),
        from_email: "letters@example.org".into(),
        extra_ca: Some(ca),
        ..Profile::default()
    }
}

fn fast() -> SendOptions {
    SendOptions {
        per_minute: 0.0,
        attempts: 4,
        backoff: Duration::from_millis(20),
        ..SendOptions::default()
    }
}

fn send_all(
    plan: &Plan,
    profile: &Profile,
    password: Option<&str>,
    journal: &Path,
    opts: &SendOptions,
) -> Result<send::SendReport, SendError> {
    let mut journal = Journal::open(journal).unwrap();
    let mut smtp = Smtp::new(profile.clone(), password.map(str::to_owned)).with_timeout(Duration::from_mins(1));
    send::run(
        plan,
        &Sender::from_profile(profile),
        &mut journal,
        &mut smtp,
        opts,
        &Control::default(),
        &|_| {},
    )
}

#[test]
fn starttls_with_login_sends_each_mep_their_own_message_once() {
    let work = tempfile::tempdir().unwrap();
    let (server, ca) = tls_server(work.path(), Some("volunteer:correct horse"));
    let profile = Profile {
        from_name: "Stichting Voorbeeld".into(),
        reply_to: "replies@example.org".into(),
        bcc_self: true,
        ..tls_profile(server.port, ca)
    };
    let said = Smtp::new(profile.clone(), Some("correct horse".into()))
        .test_connection()
        .unwrap();
    assert!(
        said.contains("STARTTLS") && said.contains("logged in as volunteer"),
        "{said}"
    );

    let meps = meps(5);
    let plan = plan_for(&meps);
    let journal = work.path().join("journal.jsonl");
    let report = send_all(&plan, &profile, Some("correct horse"), &journal, &fast()).unwrap();
    assert_eq!(report.sent.len(), 5, "{report:?}");

    let received = server.received();
    // Five letters, each to one MEP alone, with a blind copy to the sender.
    let counts = server.counts();
    for m in &meps {
        let address = m.email.clone().unwrap();
        assert_eq!(counts.get(&address), Some(&1), "{address}: {counts:?}");
        let line = received.iter().find(|r| r["rcpt"] == address.as_str()).unwrap();
        assert!(line["to_header"].as_str().unwrap().contains(&address));
        assert!(
            !line["to_header"].as_str().unwrap().contains(','),
            "one addressee: {line}"
        );
        assert_eq!(line["bcc_header"], "", "no Bcc header is shown to the MEP");
    }
    assert_eq!(counts.get("letters@example.org"), Some(&5), "blind copies to self");

    // Every message was journaled with the server's reply and Message-ID.
    let view = View::read(&journal).unwrap();
    let sent: Vec<_> = view.records.iter().filter(|r| r.state == State::Sent).collect();
    assert_eq!(sent.len(), 5);
    assert!(
        sent.iter()
            .all(|r| r.detail.starts_with("250") && r.message_id.is_some())
    );

    // Running the finished campaign again sends nothing.
    let again = send_all(&plan, &profile, Some("correct horse"), &journal, &fast()).unwrap();
    assert_eq!(again.sent.len(), 0);
    assert_eq!(again.skipped.len(), 5);
    assert!(
        again
            .skipped
            .iter()
            .all(|(_, why)| matches!(why, SkipReason::AlreadySent { .. })),
        "{again:?}"
    );
    assert_eq!(server.received().len(), received.len());
}

#[test]
fn wrong_password_is_a_clear_error_and_nothing_is_marked_sent() {
    let work = tempfile::tempdir().unwrap();
    let (server, ca) = tls_server(work.path(), Some("volunteer:right"));
    let profile = tls_profile(server.port, ca);
    let err = Smtp::new(profile.clone(), Some("wrong".into()))
        .test_connection()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("refused the user name or password for \"volunteer\""),
        "{err}"
    );

    let journal = work.path().join("journal.jsonl");
    let err = send_all(&plan_for(&meps(3)), &profile, Some("wrong"), &journal, &fast()).unwrap_err();
    assert!(err.to_string().contains("check them"), "{err}");
    let view = View::read(&journal).unwrap();
    assert!(view.records.iter().all(|r| r.state != State::Sent), "{view:?}");
    assert!(server.received().is_empty());
}

#[test]
fn an_untrusted_certificate_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let (server, _ca) = tls_server(work.path(), None);
    let profile = Profile {
        name: "Office".into(),
        host: "localhost".into(),
        port: server.port,
        security: Security::StartTls,
        from_email: "letters@example.org".into(),
        // No extra authority: the throw-away CA is not trusted.
        ..Profile::default()
    };
    let err = Smtp::new(profile, None).test_connection().unwrap_err().to_string();
    assert!(err.contains("secure connection to localhost failed"), "{err}");
    assert!(err.to_lowercase().contains("certificate"), "{err}");
}

#[test]
fn nothing_answering_and_unknown_names_are_told_apart() {
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = Smtp::new(plain_profile(free), None)
        .test_connection()
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!("could not reach 127.0.0.1 on port {free}")),
        "{err}"
    );
    let mut p = plain_profile(587);
    p.host = "no-such-host.invalid".into();
    let err = Smtp::new(p, None).test_connection().unwrap_err().to_string();
    assert!(
        err.starts_with("could not find the mail server \"no-such-host.invalid\""),
        "{err}"
    );
}

#[test]
fn deferred_twice_then_accepted() {
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(work.path(), &["--defer", "2"]);
    let journal = work.path().join("journal.jsonl");
    let report = send_all(
        &plan_for(&meps(3)),
        &plain_profile(server.port),
        None,
        &journal,
        &fast(),
    )
    .unwrap();
    assert_eq!(report.sent.len(), 3, "{report:?}");
    assert!(server.counts().values().all(|n| *n == 1), "{:?}", server.counts());
    let view = View::read(&journal).unwrap();
    let deferred = view.records.iter().filter(|r| r.state == State::Deferred).count();
    assert_eq!(deferred, 6, "two 451 replies per letter are journaled");
    assert!(view.records.iter().any(|r| r.detail.contains("451")));
}

#[test]
fn a_refused_address_is_recorded_and_the_others_go_out() {
    let work = tempfile::tempdir().unwrap();
    let meps = meps(4);
    let bad = meps[1].email.clone().unwrap();
    let server = Server::start(work.path(), &["--reject", &bad]);
    let journal = work.path().join("journal.jsonl");
    let report = send_all(&plan_for(&meps), &plain_profile(server.port), None, &journal, &fast()).unwrap();
    assert_eq!(report.sent.len(), 3);
    assert_eq!(report.failed.len(), 1);
    assert!(report.failed[0].2.contains("550"), "{:?}", report.failed);
    assert_eq!(report.failed[0].1, bad);
    assert!(!server.counts().contains_key(&bad));
}

#[test]
fn a_connection_cut_after_data_is_unconfirmed_and_not_sent_again_unasked() {
    let work = tempfile::tempdir().unwrap();
    let meps = meps(4);
    let cut = meps[2].email.clone().unwrap();
    let server = Server::start(work.path(), &["--drop-after-data", &cut]);
    let journal = work.path().join("journal.jsonl");
    let profile = plain_profile(server.port);
    let plan = plan_for(&meps);
    let report = send_all(&plan, &profile, None, &journal, &fast()).unwrap();
    assert_eq!(report.sent.len(), 3, "{report:?}");
    assert_eq!(report.unconfirmed.len(), 1);
    assert_eq!(report.unconfirmed[0].1, cut);
    assert_eq!(server.counts()[&cut], 1, "the server did get it");

    // Again: the unconfirmed letter is not silently resent.
    let again = send_all(&plan, &profile, None, &journal, &fast()).unwrap();
    assert!(again.sent.is_empty());
    assert!(
        again
            .skipped
            .iter()
            .any(|(_, why)| matches!(why, SkipReason::Unconfirmed { .. })),
        "{again:?}"
    );
    assert_eq!(server.counts()[&cut], 1);
    assert_eq!(View::read(&journal).unwrap().counts(), (3, 0, 1));

    // Only when the user asks.
    let opts = SendOptions {
        resend_unconfirmed: true,
        ..fast()
    };
    let asked = send_all(&plan, &profile, None, &journal, &opts).unwrap();
    assert_eq!(asked.unconfirmed.len(), 1, "the server cuts it again");
    assert_eq!(server.counts()[&cut], 2);
}

/// The server is killed once it has received four letters. What the sender
/// knows then depends on timing (the fourth reply may or may not have reached
/// it before the kill), so the test asks the server what it received and
/// checks that the sender's record accounts for each of those letters: sent
/// when the reply came, unconfirmed when it did not. After the restart every
/// recipient has exactly one letter, except that an unconfirmed letter is
/// neither resent nor dropped from the report.
#[test]
fn server_killed_mid_campaign_then_resumed_delivers_each_letter_exactly_once() {
    let work = tempfile::tempdir().unwrap();
    let mut server = Server::start(work.path(), &[]);
    let meps = meps(12);
    let plan = plan_for(&meps);
    let profile = plain_profile(server.port);
    let journal = work.path().join("journal.jsonl");
    let opts = SendOptions {
        per_minute: 200.0, // one every 300 ms: the kill lands well before the last
        attempts: 2,
        backoff: Duration::from_millis(50),
        ..SendOptions::default()
    };
    let first = std::thread::scope(|s| {
        let run = s.spawn(|| send_all(&plan, &profile, None, &journal, &opts));
        // A bound for a hung run, not a measure of speed.
        let deadline = Instant::now() + Duration::from_mins(2);
        while server.received().len() < 4 {
            assert!(
                Instant::now() < deadline,
                "the server got fewer than 4 letters in 2 minutes"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        server.kill();
        run.join().unwrap().unwrap()
    });
    let stopped = first.stopped.clone().expect("the run stops when the server is gone");
    assert!(stopped.contains("stopped answering"), "{stopped}");

    // What the server had received when it died, and how the sender recorded it.
    let delivered: BTreeSet<String> = server.counts().into_keys().collect();
    let lower = |list: &[(String, String, String)]| -> BTreeSet<String> {
        list.iter().map(|(_, address, _)| address.to_lowercase()).collect()
    };
    let (sent, unconfirmed) = (lower(&first.sent), lower(&first.unconfirmed));
    assert!(delivered.len() >= 4 && delivered.len() < 12, "{delivered:?}");
    assert!(sent.is_subset(&delivered), "sent but never received: {first:?}");
    for address in &delivered {
        assert!(
            sent.contains(address) || unconfirmed.contains(address),
            "{address} reached the server but the run recorded neither sent nor unconfirmed: {first:?}"
        );
    }
    assert!(
        unconfirmed.len() <= 1,
        "only the letter in flight at the kill can be unconfirmed: {first:?}"
    );
    assert!(first.failed.is_empty(), "{first:?}");
    // The journal says what the report says.
    let view = View::read(&journal).unwrap();
    assert_eq!(view.counts(), (sent.len(), 0, unconfirmed.len()), "{first:?}");

    server.restart();
    let second = send_all(&plan, &profile, None, &journal, &opts).unwrap();
    assert!(second.stopped.is_none(), "{second:?}");
    let counts = server.counts();
    for m in &meps {
        let address = m.email.clone().unwrap();
        let n = counts.get(&address).copied().unwrap_or(0);
        if unconfirmed.contains(&address) {
            // Not resent unasked, and still reported.
            assert_eq!(n, usize::from(delivered.contains(&address)), "{address}: {counts:?}");
            assert!(
                second
                    .skipped
                    .iter()
                    .any(|(name, why)| *name == m.display_name() && matches!(why, SkipReason::Unconfirmed { .. })),
                "{second:?}"
            );
        } else {
            assert_eq!(n, 1, "{address}: {counts:?}");
        }
    }
    assert_eq!(
        second.sent.len() + sent.len() + unconfirmed.len(),
        meps.len(),
        "{second:?}"
    );
}

#[test]
fn a_changed_letter_is_not_sent_again_unless_asked() {
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(work.path(), &[]);
    let meps = meps(2);
    let profile = plain_profile(server.port);
    let journal = work.path().join("journal.jsonl");
    send_all(&plan_for(&meps), &profile, None, &journal, &fast()).unwrap();

    let mut campaign = hemicycle::campaign::Campaign::load(&example()).unwrap();
    campaign.subjects = vec!["A new subject".into()];
    let changed = Composer::from_campaign(campaign, &example(), None).unwrap();
    let refs: Vec<&Mep> = meps.iter().collect();
    let plan = send::plan(&changed, &refs, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
    let again = send_all(&plan, &profile, None, &journal, &fast()).unwrap();
    assert!(again.sent.is_empty());
    assert!(
        again
            .skipped
            .iter()
            .all(|(_, why)| matches!(why, SkipReason::EarlierVersion { .. })),
        "{again:?}"
    );
    let opts = SendOptions {
        resend_changed: true,
        ..fast()
    };
    let asked = send_all(&plan, &profile, None, &journal, &opts).unwrap();
    assert_eq!(asked.sent.len(), 2);
    assert!(server.received().iter().any(|r| r["subject"] == "A new subject"));
}

/// The real binary, killed while it sends, then run again.
/// Adds the mail account "Local" (the test server on `port`, no TLS) to
/// the `hemicycle` command line's settings under `home`.
fn add_local_account(home: &Path, port: u16) {
    common::add_local_account(home, port, "letters@example.org", Some("Stichting Voorbeeld"));
}

#[test]
fn cli_killed_mid_campaign_then_run_again_sends_each_letter_once() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(work.path(), &[]);
    let campaign = common::example_copy(&work.path().join("campaign"), |t| t);
    add_local_account(home.path(), server.port);
    // Eight MEPs of the bundled directory with an address.
    let dir = Directory::bundled().unwrap();
    let ids: Vec<String> = composer()
        .recipients(&dir)
        .into_iter()
        .filter(|m| m.email.is_some() && !m.email_is_guess)
        .take(8)
        .map(|m| m.id.clone())
        .collect();
    let ids = ids.join(",");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = [
            "send",
            campaign.to_str().unwrap(),
            "--profile",
            "Local",
            "--yes",
            "--mep",
            &ids,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        a
    };
    let mut child = common::command(home.path())
        .args(args(&["--rate", "60/min"]))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // A bound for a hung run, not a measure of speed.
    let deadline = Instant::now() + Duration::from_mins(2);
    while server.received().len() < 3 {
        assert!(Instant::now() < deadline, "fewer than 3 letters in 2 minutes");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = server.received().len();
    assert!((3..8).contains(&before), "killed after {before} letters");

    let out = common::command(home.path())
        .args(args(&["--rate", "0"]))
        .output()
        .unwrap();
    let err = common::stderr(&out);
    let counts = server.counts();
    assert_eq!(counts.len(), 8, "every MEP got a letter: {counts:?}\n{err}");
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    assert!(err.contains("skipped: "), "{err}");
    // The summary names what happened.
    assert!(err.contains("sent, 0 failed"), "{err}");

    // A third run sends nothing.
    let out = common::command(home.path()).args(args(&[])).output().unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains("0 sent, 0 failed, 0 unconfirmed, 8 skipped"),
        "{}",
        common::stderr(&out)
    );
    assert_eq!(server.received().len(), 8);
}

#[test]
fn cli_dry_run_writes_eml_files_and_its_own_journal() {
    let home = tempfile::tempdir().unwrap();
    let out_dir = home.path().join("dry");
    let dir = Directory::bundled().unwrap();
    let ids: Vec<String> = composer()
        .recipients(&dir)
        .into_iter()
        .filter(|m| m.email.is_some())
        .take(3)
        .map(|m| m.id.clone())
        .collect();
    let out = common::hemicycle(
        home.path(),
        &[
            "send",
            example().to_str().unwrap(),
            "--dry-run",
            out_dir.to_str().unwrap(),
            "--mep",
            &ids.join(","),
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let emls: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(emls.len(), 3);
    let view = View::read(&send::DryRun::journal_path(&out_dir)).unwrap();
    assert_eq!(view.counts(), (3, 0, 0));
    // The run is in the send log, in plain words.
    let log = std::fs::read_to_string(home.path().join("data/logs/send.log")).unwrap();
    assert!(
        log.contains("Dry run") && log.contains("3 sent, 0 failed, 0 unconfirmed"),
        "{log}"
    );
    // The campaign's real journal was not touched.
    assert!(
        !home.path().join("data/journals").exists()
            || std::fs::read_dir(home.path().join("data/journals")).unwrap().count() == 0
    );
}

#[test]
fn check_warns_about_near_identical_letters() {
    let home = tempfile::tempdir().unwrap();
    let out = common::hemicycle(home.path(), &["check", example().to_str().unwrap()]);
    let text = common::stdout(&out);
    assert!(text.contains("% alike"), "{text}");
}

#[test]
fn the_daily_cap_stops_the_run_and_counts_earlier_runs() {
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(work.path(), &[]);
    let plan = plan_for(&meps(4));
    let profile = plain_profile(server.port);
    let journal = work.path().join("journal.jsonl");
    let opts = SendOptions {
        daily_cap: Some(3),
        limit: Some(2),
        ..fast()
    };
    let first = send_all(&plan, &profile, None, &journal, &opts).unwrap();
    assert_eq!(first.sent.len(), 2);
    assert!(first.stopped.is_none(), "{first:?}");
    let opts = SendOptions { limit: None, ..opts };
    let second = send_all(&plan, &profile, None, &journal, &opts).unwrap();
    assert_eq!(second.sent.len(), 1, "one more reaches today's cap of 3: {second:?}");
    assert!(
        second
            .stopped
            .as_deref()
            .unwrap_or_default()
            .contains("daily limit of 3"),
        "{second:?}"
    );
    assert_eq!(server.received().len(), 3);
}

#[test]
fn a_test_to_self_goes_to_the_from_address_only_and_is_not_journaled() {
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(work.path(), &[]);
    let profile = plain_profile(server.port);
    let plan = plan_for(&meps(3));
    let mut smtp = Smtp::new(profile.clone(), None);
    let said = send::test_to_self(&plan, &Sender::from_profile(&profile), &mut smtp).unwrap();
    assert!(said.contains("letters@example.org"), "{said}");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["rcpt"], "letters@example.org");
    assert!(
        received[0]["to_header"]
            .as_str()
            .unwrap()
            .contains("letters@example.org")
    );
}

#[test]
fn names_with_line_breaks_cannot_add_headers() {
    let mut mep = meps(1).remove(0);
    mep.family_name = "Smith\r\nBcc: everyone@example.org".into();
    mep.given_name = "Ann\nX-Injected: yes".into();
    let plan = plan_for(&[mep]);
    let sender = Sender::from_profile(&plain_profile(25));
    let item = &plan.items[0];
    let (bytes, _) = sender
        .message(item, &item.name, &item.to, std::time::SystemTime::now())
        .unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let headers = text.split("\r\n\r\n").next().unwrap();
    for line in headers.lines() {
        assert!(
            !line.starts_with("Bcc:") && !line.starts_with("X-Injected:"),
            "{headers}"
        );
    }
}

/// Saturday 5 December 2026, 11:00 in Brussels.
fn saturday() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-12-05T10:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc)
}

#[test]
fn outside_office_hours_nothing_goes_out_and_the_wait_is_said() {
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(work.path(), &[]);
    let plan = plan_for(&meps(2));
    let profile = plain_profile(server.port);
    let opts = SendOptions {
        office_hours: Some(send::OfficeHours { start: 9, end: 17 }),
        clock: saturday,
        ..fast()
    };
    let control = Control::default();
    let waiting = std::sync::Mutex::new(None::<String>);
    let report = std::thread::scope(|s| {
        let run = s.spawn(|| {
            let mut journal = Journal::open(&work.path().join("journal.jsonl")).unwrap();
            let mut smtp = Smtp::new(profile.clone(), None);
            send::run(
                &plan,
                &Sender::from_profile(&profile),
                &mut journal,
                &mut smtp,
                &opts,
                &control,
                &|p| {
                    if let Some(w) = &p.waiting {
                        *waiting.lock().unwrap() = Some(w.clone());
                    }
                },
            )
        });
        let deadline = Instant::now() + Duration::from_mins(2);
        while waiting.lock().unwrap().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        control.cancel();
        run.join().unwrap().unwrap()
    });
    let said = waiting.lock().unwrap().clone().expect("the run says why it waits");
    assert_eq!(
        said,
        "outside office hours; sending resumes Monday at 09:00 Brussels time"
    );
    assert!(report.sent.is_empty());
    assert_eq!(report.stopped.as_deref(), Some("you cancelled it"));
    assert!(server.received().is_empty());
}

/// `account password` on a terminal does not show what is typed. The test
/// gives the command a real pseudo-terminal with util-linux's `script`; a
/// terminal that echoes would copy the password into the output.
#[test]
fn account_password_is_not_echoed_on_a_terminal() {
    let home = tempfile::tempdir().unwrap();
    let bin = common::BIN;
    let add = common::command(home.path())
        .args([
            "account",
            "add",
            "Office",
            "--host",
            "smtp.example.org",
            "--user",
            "me@example.org",
        ])
        .args(["--from", "me@example.org"])
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let mut child = Command::new("script")
        .args(["-qec", &format!("{bin} account password Office"), "/dev/null"])
        .env("HEMICYCLE_HOME", home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) is installed");
    // Typed only once the prompt is there: what a person does.
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_mins(1);
    while !String::from_utf8_lossy(&seen).contains("Password for") {
        assert!(
            Instant::now() < deadline,
            "no prompt: {}",
            String::from_utf8_lossy(&seen)
        );
        let mut buf = [0u8; 256];
        let n = std::io::Read::read(&mut stdout, &mut buf).unwrap();
        assert!(
            n > 0,
            "the command ended before asking: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buf[..n]);
    }
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"s3cret-horse\n").unwrap();
    std::io::Read::read_to_end(&mut stdout, &mut seen).unwrap();
    child.wait().unwrap();
    let shown = String::from_utf8_lossy(&seen);
    assert!(shown.contains("Password for me@example.org"), "{shown}");
    assert!(!shown.contains("s3cret-horse"), "the password was shown: {shown}");
}

/// A campaign copied under another name after a full send (a "final"
/// version, a colleague's copy) has a journal of its own: its letters
/// must still not reach anyone twice. A changed letter goes when asked.
#[test]
fn a_copied_campaign_does_not_send_the_same_letters_again() {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("server")).unwrap();
    let server = Server::start(&work.path().join("server"), &[]);
    let home = work.path().join("home");
    let run = |args: &[&str]| {
        let o = common::command(&home).args(args).output().unwrap();
        (o.status.success(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    add_local_account(&home, server.port);
    let original = common::example_copy(work.path(), |t| t);
    let send = |campaign: &Path| {
        run(&[
            "send",
            campaign.to_str().unwrap(),
            "--profile",
            "Local",
            "--yes",
            "--rate",
            "0",
            "--mep",
            "256814,197870",
        ])
    };
    let (ok, err) = send(&original);
    assert!(ok, "{err}");
    assert_eq!(server.received().len(), 2, "{err}");

    let copy = original.with_file_name("c-final.toml");
    std::fs::copy(&original, &copy).unwrap();
    let (ok, err) = send(&copy);
    assert!(ok, "{err}");
    assert_eq!(server.received().len(), 2, "the copy sent again: {err}");
    assert!(
        err.contains("2 × already sent from another campaign file (the campaign \"protecting people on the move in the AI Act\" (c.toml) on 20"),
        "{err}"
    );

    // A changed letter of the same campaign (the first send gave the
    // original its id, which the copy carries: issue 30) waits to be asked
    // for, and goes when asked.
    let text = std::fs::read_to_string(&copy)
        .unwrap()
        .replace("four bans", "four prohibitions");
    std::fs::write(&copy, text).unwrap();
    let (ok, err) = send(&copy);
    assert!(ok, "{err}");
    assert_eq!(server.received().len(), 2, "{err}");
    assert!(err.contains("2 × got an earlier version"), "{err}");
    let (ok, err) = run(&[
        "send",
        copy.to_str().unwrap(),
        "--profile",
        "Local",
        "--yes",
        "--rate",
        "0",
        "--mep",
        "256814,197870",
        "--resend-changed",
    ]);
    assert!(ok, "{err}");
    assert_eq!(server.received().len(), 4, "{err}");
}

/// A space typed after the organisation's address made every letter of a
/// dry run fail; the address is taken as meant.
#[test]
fn a_dry_run_takes_the_organisations_address_without_its_spaces() {
    let work = tempfile::tempdir().unwrap();
    let campaign = common::example_copy(work.path(), |t| {
        t.replace("email = \"letters@example.org\"", "email = \"letters@example.org \"")
    });
    let out = work.path().join("out");
    let o = common::command(work.path().join("home"))
        .args(["send", campaign.to_str().unwrap(), "--yes", "--mep", "256814,197870"])
        .args(["--dry-run", out.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("2 sent, 0 failed"), "{err}");
    let written = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "eml"))
        .count();
    assert_eq!(written, 2);
}

/// Between two letters the progress says when the next one goes, for the
/// app's live count-down, and no longer once it went.
#[test]
fn the_pause_between_letters_is_reported_for_a_count_down() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&meps(3));
    let mut journal = Journal::open(&dir.path().join("j.jsonl")).unwrap();
    let mut dry = send::DryRun::new(&dir.path().join("out")).unwrap();
    let opts = SendOptions {
        // One every 3 s: a loaded machine writes a letter well within it.
        per_minute: 20.0,
        ..fast()
    };
    let seen = std::sync::Mutex::new(Vec::new());
    let report = send::run(
        &plan,
        &Sender::from_profile(&plain_profile(25)),
        &mut journal,
        &mut dry,
        &opts,
        &Control::default(),
        &|p| seen.lock().unwrap().push((std::time::Instant::now(), p.clone())),
    )
    .unwrap();
    assert_eq!(report.sent.len(), 3);
    let seen = seen.into_inner().unwrap();
    let waits: Vec<Duration> = seen
        .iter()
        .filter_map(|(at, p)| p.next_letter_at.map(|next| next.saturating_duration_since(*at)))
        .collect();
    // Before the second and the third letter, within the 3 s.
    assert_eq!(waits.len(), 2, "{seen:?}");
    assert!(
        waits
            .iter()
            .all(|w| *w > Duration::ZERO && *w <= Duration::from_secs(3)),
        "{waits:?}"
    );
    assert!(seen.last().unwrap().1.next_letter_at.is_none());
}

/// The daily cap is the sender's: two campaigns (a journal each, in one
/// folder) with a cap of 3 send 3 letters in a day between them, not 6.
#[test]
fn the_daily_cap_counts_every_campaigns_letters() {
    let work = tempfile::tempdir().unwrap();
    let journals = work.path().join("journals");
    std::fs::create_dir_all(&journals).unwrap();
    let plan = plan_for(&meps(5));
    let run = |journal: &Path| {
        let mut j = Journal::open(journal).unwrap();
        let mut dry = send::DryRun::new(&work.path().join("out")).unwrap();
        let opts = SendOptions {
            daily_cap: Some(3),
            sent_at_elsewhere: hemicycle::deliver::journal::elsewhere(&journals, journal).sent_at,
            ..fast()
        };
        send::run(
            &plan,
            &Sender::from_profile(&plain_profile(25)),
            &mut j,
            &mut dry,
            &opts,
            &Control::default(),
            &|_| {},
        )
        .unwrap()
    };
    let spring = run(&journals.join("spring-1.jsonl"));
    assert_eq!(spring.sent.len(), 3);
    let autumn = run(&journals.join("autumn-2.jsonl"));
    assert_eq!(autumn.sent.len(), 0, "{autumn:?}");
    assert!(
        autumn
            .stopped
            .as_deref()
            .unwrap_or_default()
            .contains("daily limit of 3"),
        "{autumn:?}"
    );
}

/// A server that answers the end of DATA with 421 and closes the connection
/// (going down): the letter was not taken, so it is tried again, on a new
/// connection, and goes out at the second attempt.
#[test]
fn a_421_at_the_end_of_data_is_retried_on_a_new_connection() {
    let work = tempfile::tempdir().unwrap();
    let meps = meps(3);
    let closing = meps[1].email.clone().unwrap();
    let server = Server::start(work.path(), &["--close-after-data", &closing]);
    let journal = work.path().join("journal.jsonl");
    let plan = plan_for(&meps);
    let report = send_all(&plan, &plain_profile(server.port), None, &journal, &fast()).unwrap();
    assert_eq!(report.sent.len(), 3, "{report:?}");
    assert_eq!(server.counts()[&closing], 1, "taken once, at the retry");
    let view = View::read(&journal).unwrap();
    let sent = view
        .records
        .iter()
        .find(|r| r.to == closing && r.state == State::Sent)
        .unwrap();
    assert_eq!(
        sent.attempt, 2,
        "the retry did not reuse the closed connection: {:?}",
        view.records
    );
}

/// Set when the run is in its pause between two letters; then the clock
/// says the office hours are over, as if the computer had slept through
/// their end.
static SLEPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Friday 16:59:50 in Brussels, or 17:00:10 once `SLEPT`.
fn friday_evening() -> chrono::DateTime<chrono::Utc> {
    let at = if SLEPT.load(std::sync::atomic::Ordering::SeqCst) {
        "2026-12-04T16:00:10Z"
    } else {
        "2026-12-04T15:59:50Z"
    };
    chrono::DateTime::parse_from_rfc3339(at)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// The office hours are read again after the pause between letters: a
/// letter whose turn comes after the hours ended (the computer slept) waits
/// for Monday instead of going out.
#[test]
fn office_hours_are_checked_again_after_the_pause_between_letters() {
    let work = tempfile::tempdir().unwrap();
    let plan = plan_for(&meps(2));
    let opts = SendOptions {
        office_hours: Some(send::OfficeHours { start: 9, end: 17 }),
        clock: friday_evening,
        per_minute: 60.0,
        ..fast()
    };
    let control = Control::default();
    let mut journal = Journal::open(&work.path().join("journal.jsonl")).unwrap();
    let mut dry = send::DryRun::new(&work.path().join("out")).unwrap();
    let report = send::run(
        &plan,
        &Sender::from_profile(&plain_profile(25)),
        &mut journal,
        &mut dry,
        &opts,
        &control,
        &|p| {
            if p.next_letter_at.is_some() {
                SLEPT.store(true, std::sync::atomic::Ordering::SeqCst);
            }
            if p.waiting.is_some() {
                control.cancel();
            }
        },
    )
    .unwrap();
    assert_eq!(report.sent.len(), 1, "the second letter waits for Monday: {report:?}");
    assert_eq!(report.stopped.as_deref(), Some("you cancelled it"));
}

/// The example's fictional letterhead never goes out: sending the example
/// unchanged is refused, naming the fields, and nothing reaches the
/// server; `hemicycle check` only warns (the letters may be looked at).
#[test]
fn letters_with_an_examples_letterhead_are_not_sent() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(work.path(), &[]);
    add_local_account(home.path(), server.port);
    let send = common::hemicycle(
        home.path(),
        &[
            "send",
            example().to_str().unwrap(),
            "--profile",
            "Local",
            "--yes",
            "--mep",
            "197870",
        ],
    );
    let said = String::from_utf8_lossy(&send.stderr);
    assert!(!send.status.success(), "{said}");
    for field in [
        "the organisation's name \"Example Digital Rights Foundation\"",
        "the postal address \"Example Street 1\"",
        "the website \"https://example.org\"",
    ] {
        assert!(said.contains(field), "{field} not named in: {said}");
    }
    assert!(server.received().is_empty());
    let check = common::hemicycle(home.path(), &["check", example().to_str().unwrap()]);
    let said = String::from_utf8_lossy(&check.stderr).into_owned() + &String::from_utf8_lossy(&check.stdout);
    assert!(
        said.contains("warning: the letterhead still holds an example's data"),
        "{said}"
    );
}

/// Runs the real binary with `HEMICYCLE_HOME=home`: success and standard
/// error (and output, for `check`).
fn hemicycle_in(home: &Path, args: &[&str]) -> (bool, String) {
    let o = common::hemicycle(home, args);
    (
        o.status.success(),
        format!("{}{}", common::stdout(&o), common::stderr(&o)),
    )
}

/// The example with the campaign id `id` written after its version, to
/// two MEPs (so that `check` and `send` write the same letters).
fn with_id(id: &str) -> impl FnOnce(String) -> String + '_ {
    move |t: String| {
        t.replacen("version = 1\n", &format!("version = 1\nid = \"{id}\"\n"), 1)
            .replacen("[recipients]\n", "[recipients]\nmeps = [\"256814\", \"197870\"]\n", 1)
    }
}

/// `hemicycle send CAMPAIGN --profile Local` at full speed, with the
/// journal `journal` if given.
fn send_from_local(home: &Path, campaign: &Path, journal: Option<&Path>) -> (bool, String) {
    let mut args = vec![
        "send",
        campaign.to_str().unwrap(),
        "--profile",
        "Local",
        "--yes",
        "--rate",
        "0",
    ];
    if let Some(j) = journal {
        args.extend(["--journal", j.to_str().unwrap()]);
    }
    hemicycle_in(home, &args)
}

/// Issue 14: a copy of a campaign in another folder, with a journal in
/// another folder too (so no journal of the original is near it), sent
/// after the original from the same account: nothing goes out, and the
/// pre-send check says why, from the account's sent ledger. A changed
/// letter of the same campaign (its id) waits to be asked for; made a new
/// campaign (a new id), its different letter goes, and the check lists it.
#[test]
fn a_copy_in_another_folder_sends_nothing_and_the_check_says_why() {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("server")).unwrap();
    let server = Server::start(&work.path().join("server"), &[]);
    let home = work.path().join("home");
    add_local_account(&home, server.port);
    let id = "6f1c2a9e-0b7d-4c1e-9a53-2d8e4f7b1c60";
    let original = common::example_copy(&work.path().join("office"), with_id(id));
    let copy = common::example_copy(&work.path().join("laptop"), with_id(id));
    let copy_journal = work.path().join("elsewhere/journal.jsonl");
    let send = |campaign: &Path, journal: Option<&Path>| send_from_local(&home, campaign, journal);
    let (ok, err) = send(&original, None);
    assert!(ok, "{err}");
    assert_eq!(server.received().len(), 2, "{err}");
    let ledgers: Vec<_> = std::fs::read_dir(home.join("data/ledger")).unwrap().collect();
    assert_eq!(ledgers.len(), 1, "one ledger for the one account");

    // The check, before sending the copy, says what will not go and why.
    let check = |campaign: &Path| hemicycle_in(&home, &["check", campaign.to_str().unwrap(), "--profile", "Local"]);
    let (_, said) = check(&copy);
    assert!(
        said.contains("2 letter(s) already went from this mail account, the same letter to the same address")
            && said.contains("the campaign \"protecting people on the move in the AI Act\" (c.toml) on 20")
            && said.contains("they are not sent again"),
        "{said}"
    );
    let (ok, err) = send(&copy, Some(&copy_journal));
    assert!(ok, "{err}");
    assert_eq!(server.received().len(), 2, "the copy sent again: {err}");
    assert!(
        err.contains("0 sent") && err.contains("2 × already sent from another campaign file"),
        "{err}"
    );
    assert!(
        err.contains("warning: 2 letter(s) already went from this mail account"),
        "{err}"
    );

    // A changed letter in the copy: the same campaign, an earlier version.
    let changed = std::fs::read_to_string(&copy)
        .unwrap()
        .replace("four bans", "four prohibitions");
    std::fs::write(&copy, &changed).unwrap();
    let (_, said) = check(&copy);
    assert!(said.contains("an earlier version of this letter went to"), "{said}");
    let (ok, err) = send(&copy, Some(&copy_journal));
    assert!(ok, "{err}");
    assert_eq!(
        server.received().len(),
        2,
        "an earlier version's successor went unasked: {err}"
    );
    assert!(err.contains("2 × got an earlier version"), "{err}");

    // "New campaign from this": another id, another campaign; its
    // different letter goes, and the check lists who already had one.
    std::fs::write(&copy, changed.replace(id, "0a9b8c7d-1e2f-4a5b-8c6d-7e8f9a0b1c2d")).unwrap();
    let (_, said) = check(&copy);
    assert!(
        said.contains("warning: a different letter already went to")
            && said.contains(
                "from this mail account (the campaign \"protecting people on the move in the AI Act\" (c.toml) on 20"
            )
            && said.contains("this one goes too"),
        "{said}"
    );
    let (ok, err) = send(&copy, Some(&copy_journal));
    assert!(ok, "{err}");
    assert_eq!(server.received().len(), 4, "{err}");
    // And not a third time, from a third folder.
    let third = common::example_copy(&work.path().join("third"), |_| {
        changed.replace(id, "0a9b8c7d-1e2f-4a5b-8c6d-7e8f9a0b1c2d")
    });
    let (ok, err) = send(&third, Some(&work.path().join("third/j.jsonl")));
    assert!(ok, "{err}");
    assert_eq!(server.received().len(), 4, "{err}");
}

/// The daily cap is the account's: two different campaigns, their
/// journals in two folders, a cap of 3 each, send 3 between them; the
/// second says why it stopped. Through the real binary and SMTP server.
#[test]
fn the_daily_cap_counts_the_accounts_letters_from_every_campaign() {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("server")).unwrap();
    let server = Server::start(&work.path().join("server"), &[]);
    let home = work.path().join("home");
    add_local_account(&home, server.port);
    let ids = ids_with_addresses(5);
    let spring = common::example_copy(&work.path().join("spring"), |t| t);
    let autumn = common::example_copy(&work.path().join("autumn"), |t| {
        t.replace("four bans", "four prohibitions")
    });
    let send = |campaign: &Path, journal: &Path| {
        hemicycle_in(
            &home,
            &[
                "send",
                campaign.to_str().unwrap(),
                "--profile",
                "Local",
                "--yes",
                "--rate",
                "0",
                "--daily-cap",
                "3",
                "--mep",
                &ids,
                "--journal",
                journal.to_str().unwrap(),
            ],
        )
    };
    let (_, err) = send(&spring, &work.path().join("spring/j.jsonl"));
    assert_eq!(server.received().len(), 3, "{err}");
    let (ok, err) = send(&autumn, &work.path().join("autumn/j.jsonl"));
    assert!(!ok, "{err}");
    assert_eq!(server.received().len(), 3, "the cap was per campaign: {err}");
    assert!(err.contains("the daily limit of 3 letters is reached"), "{err}");
}

/// The EP ids of the first `n` recipients of the example with a known
/// address, for `--mep`.
fn ids_with_addresses(n: usize) -> String {
    let dir = Directory::bundled().unwrap();
    let ids: Vec<String> = composer()
        .recipients(&dir)
        .into_iter()
        .filter(|m| m.email.is_some() && !m.email_is_guess)
        .take(n)
        .map(|m| m.id.clone())
        .collect();
    ids.join(",")
}

/// How the disk-full test fills the journal's disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FullDisk {
    /// A real 8 KiB tmpfs mounted in a user and mount namespace
    /// (`unshare`, no root needed where the kernel allows it).
    Tmpfs,
    /// Where namespaces are refused: a file-size limit on the process
    /// (`prlimit --fsize`, SIGXFSZ ignored), so writes past it fail.
    FileSizeLimit,
}

fn full_disk_way(probe: &Path) -> FullDisk {
    // HEMICYCLE_TEST_FULL_DISK=limit tries the fallback where namespaces work.
    if std::env::var("HEMICYCLE_TEST_FULL_DISK").is_ok_and(|v| v == "limit") {
        return FullDisk::FileSizeLimit;
    }
    let ok = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
        .arg("mount -t tmpfs -o size=8k tmpfs \"$0\"")
        .arg(probe)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok { FullDisk::Tmpfs } else { FullDisk::FileSizeLimit }
}

/// The first send of the disk-full test, `hemicycle ARGS` with the
/// journal (in `disk`) on a disk that fills up; with a tmpfs, the journal
/// as it was left is copied to `saved` before the tmpfs goes.
fn send_on_a_full_disk(way: FullDisk, args: &[String], home: &Path, disk: &Path, saved: &Path) -> std::process::Output {
    let journal = disk.join("journal.jsonl");
    match way {
        FullDisk::Tmpfs => Command::new("unshare")
            .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
            // The journal lives on the tmpfs while the binary sends; then it
            // is kept, as the disk had it, before the namespace goes.
            .arg("mount -t tmpfs -o size=8k tmpfs \"$DISK\" || exit 99; \"$@\"; rc=$?; cp \"$JOURNAL\" \"$SAVED\"; exit $rc")
            .arg("sh")
            .arg(common::BIN)
            .args(args)
            .env("DISK", disk)
            .env("JOURNAL", &journal)
            .env("SAVED", saved)
            .env("HEMICYCLE_HOME", home)
            .output()
            .unwrap(),
        FullDisk::FileSizeLimit => {
            // The ledger (in the data folder) grows faster than the
            // journal: start the journal at 12 KiB of earlier records so
            // that it reaches the 16 KiB limit first.
            let mut j = Journal::open(&journal).unwrap();
            while std::fs::metadata(&journal).unwrap().len() < 12 * 1024 {
                j.record(hemicycle::deliver::journal::Record::new("0", "Earlier", "earlier@parliament.test", State::Failed, "0"))
                    .unwrap();
            }
            drop(j);
            Command::new("sh")
                .arg("-c")
                .arg("trap '' XFSZ; exec prlimit --fsize=16384 \"$@\"")
                .arg("sh")
                .arg(common::BIN)
                .args(args)
                .env("HEMICYCLE_HOME", home)
                .output()
                .unwrap()
        }
    }
}

/// Issue 14, item 2: the journal's disk fills up in the middle of a send.
/// The send stops with an error in plain words; once there is space again,
/// the next run goes on where it stopped, the journal opens, and no MEP
/// gets a letter twice (a letter whose "sent" could not be written is
/// unconfirmed, not sent again).
#[test]
fn a_disk_that_fills_up_mid_send_stops_it_in_words_and_nothing_goes_twice() {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("server")).unwrap();
    let server = Server::start(&work.path().join("server"), &[]);
    let home = work.path().join("home");
    add_local_account(&home, server.port);
    let campaign = common::example_copy(&work.path().join("c"), |t| t);
    let ids = ids_with_addresses(30);
    let disk = work.path().join("journal-disk");
    std::fs::create_dir_all(&disk).unwrap();
    let journal = disk.join("journal.jsonl");
    let saved = work.path().join("journal-after.jsonl");
    let args: Vec<String> = [
        "send",
        campaign.to_str().unwrap(),
        "--profile",
        "Local",
        "--yes",
        "--rate",
        "0",
        "--mep",
        &ids,
        "--journal",
        journal.to_str().unwrap(),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let way = full_disk_way(&disk);
    eprintln!("disk-full test: {way:?}");
    let first = send_on_a_full_disk(way, &args, &home, &disk, &saved);
    let err = common::stderr(&first);
    assert_ne!(first.status.code(), Some(99), "the tmpfs could not be mounted: {err}");
    assert!(!first.status.success(), "{way:?}: the send did not stop: {err}");
    let words = match way {
        FullDisk::Tmpfs => "the disk is full",
        FullDisk::FileSizeLimit => "the file has grown as large as this system allows",
    };
    assert!(
        err.contains(&format!("error: could not write to the send journal ({words}")),
        "{way:?}: {err}"
    );
    let before = server.counts();
    assert!(
        !before.is_empty() && before.len() < 30,
        "{way:?}: stopped after {} letters: {err}",
        before.len()
    );
    if way == FullDisk::Tmpfs {
        // Space again: the journal as the full disk left it, on a disk
        // with room.
        std::fs::copy(&saved, &journal).unwrap();
    }
    let second = common::command(&home).args(&args).output().unwrap();
    let err2 = common::stderr(&second);
    let counts = server.counts();
    assert!(
        counts.values().all(|n| *n == 1),
        "{way:?}: a letter went twice: {counts:?}\n{err2}"
    );
    let view = View::read(&journal).unwrap_or_else(|e| panic!("{way:?}: the journal does not open: {e}"));
    let standings = view.standings();
    // Every MEP got their letter once. A "pending" the full disk cut short
    // was never sent, so it went now; a "sent" it swallowed leaves that one
    // letter unconfirmed, and not sent again.
    assert!(second.status.success(), "{way:?}: {err2}");
    assert_eq!(counts.len(), 30, "{way:?}: {counts:?}\n{err2}");
    let unconfirmed = ids
        .split(',')
        .filter(|id| {
            matches!(
                standings.get(*id),
                Some(hemicycle::deliver::journal::Standing::Unconfirmed { .. })
            )
        })
        .count();
    assert!(unconfirmed <= 1, "{way:?}: {unconfirmed} unconfirmed\n{err2}");
}

/// `hemicycle send CAMPAIGN --profile Local` to the MEPs `ids`, with the
/// journal `journal` and the extra arguments `more`.
fn send_to(home: &Path, campaign: &Path, ids: &str, journal: &Path, more: &[&str]) -> (bool, String) {
    let mut args = vec![
        "send",
        campaign.to_str().unwrap(),
        "--profile",
        "Local",
        "--yes",
        "--rate",
        "0",
        "--mep",
        ids,
        "--journal",
        journal.to_str().unwrap(),
    ];
    args.extend(more);
    hemicycle_in(home, &args)
}

/// Issue 30, item 2: the account's ledger is the authority for "never
/// twice". Five letters sent (two, then three); an older copy of the
/// journal (from after the first two) put back: sending again sends
/// nothing and says the journal was rebuilt; the journal deleted: the same.
/// Through the real binary and SMTP server.
#[test]
fn a_lost_or_older_journal_is_rebuilt_from_the_ledger_and_nothing_goes_twice() {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("server")).unwrap();
    let server = Server::start(&work.path().join("server"), &[]);
    let home = work.path().join("home");
    add_local_account(&home, server.port);
    let ids = ids_with_addresses(5);
    let campaign = common::example_copy(&work.path().join("office"), |t| t);
    let journal = work.path().join("journals/c.jsonl");
    let older = work.path().join("journals/c.jsonl.backup");
    let (ok, err) = send_to(&home, &campaign, &ids, &journal, &["--limit", "2"]);
    assert!(ok, "{err}");
    assert_eq!(server.received().len(), 2, "{err}");
    std::fs::copy(&journal, &older).unwrap();
    let (ok, err) = send_to(&home, &campaign, &ids, &journal, &[]);
    assert!(ok, "{err}");
    assert_eq!(server.received().len(), 5, "{err}");

    // An older backup of the journal put back.
    std::fs::copy(&older, &journal).unwrap();
    let (ok, err) = send_to(&home, &campaign, &ids, &journal, &[]);
    assert!(ok, "{err}");
    assert!(
        err.contains("The send journal of this campaign was missing letters the mail account's ledger records: 3 letters restored from the ledger; they will not be sent again."),
        "{err}"
    );
    assert!(err.contains("0 sent") && err.contains("5 × already sent"), "{err}");
    // The journal deleted.
    std::fs::remove_file(&journal).unwrap();
    let (ok, err) = send_to(&home, &campaign, &ids, &journal, &[]);
    assert!(ok, "{err}");
    assert!(err.contains("5 letters restored from the ledger"), "{err}");
    // Rebuilt once: the next run has nothing to restore.
    let (ok, err) = send_to(&home, &campaign, &ids, &journal, &[]);
    assert!(ok && !err.contains("restored from the ledger"), "{err}");
    let counts = server.counts();
    assert_eq!(counts.len(), 5, "{counts:?}");
    assert!(counts.values().all(|&n| n == 1), "a letter went twice: {counts:?}");
}

/// Issue 30, item 8: a campaign without an id gets one on its first real
/// send from the command line, written into the file with its comments;
/// a copy sent another day with a slightly different text is then
/// recognised as the same campaign, and sends nothing unasked.
#[test]
fn the_first_send_gives_a_campaign_its_id_and_a_changed_copy_sends_nothing() {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("server")).unwrap();
    let server = Server::start(&work.path().join("server"), &[]);
    let home = work.path().join("home");
    add_local_account(&home, server.port);
    let ids = ids_with_addresses(3);
    let campaign = common::example_copy(&work.path().join("office"), |t| format!("# Our spring letters\n{t}"));
    assert!(!std::fs::read_to_string(&campaign).unwrap().contains("\nid = "));
    let (ok, err) = send_to(&home, &campaign, &ids, &work.path().join("j1.jsonl"), &[]);
    assert!(ok, "{err}");
    assert_eq!(server.received().len(), 3, "{err}");
    assert!(err.contains("The campaign had no id; it now has one"), "{err}");
    let text = std::fs::read_to_string(&campaign).unwrap();
    assert!(
        text.contains("\nid = \"") && text.starts_with("# Our spring letters\n"),
        "{text}"
    );
    // A copy, another day, another journal, a slightly different text.
    let copy = common::example_copy(&work.path().join("laptop"), |_| {
        text.replace("four bans", "four prohibitions")
    });
    let (ok, err) = send_to(&home, &copy, &ids, &work.path().join("j2.jsonl"), &[]);
    assert!(ok, "{err}");
    assert_eq!(server.received().len(), 3, "the changed copy sent again: {err}");
    assert!(err.contains("3 × got an earlier version"), "{err}");
    assert!(!err.contains("had no id"), "{err}");
}

/// Issue 30, item 10 and a low item: a subject of 5,000 characters
/// without a space, one of long words with accents, and one that looks
/// like an encoded word go through a real SMTP server (which refuses lines
/// over 998 bytes); every header line is at most 78 characters and every
/// line at most 998 bytes, and Python's `email` (the server's) reads each
/// subject back exactly as written.
#[test]
fn long_and_encoded_looking_subjects_are_folded_encoded_and_read_back_unchanged() {
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(work.path(), &["--keep-raw"]);
    let profile = plain_profile(server.port);
    let subjects = [
        "x".repeat(5000),
        format!("Réponse {} très-longue", "ééééé-ñ-".repeat(40)),
        "=?utf-8?q?Hello_World?=".to_owned(),
    ];
    for (n, subject) in subjects.iter().enumerate() {
        let mut campaign = hemicycle::campaign::Campaign::load(&example()).unwrap();
        campaign.subjects = vec![subject.clone()];
        let composer = Composer::from_campaign(campaign, &example(), None).unwrap();
        let meps = meps(1);
        let refs: Vec<&Mep> = meps.iter().collect();
        let plan = send::plan(&composer, &refs, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
        let journal = work.path().join(format!("j{n}.jsonl"));
        let report = send_all(&plan, &profile, None, &journal, &fast()).unwrap();
        assert_eq!(report.sent.len(), 1, "{report:?}");
        let received = server.received();
        let last = received.last().unwrap();
        assert_eq!(last["subject"].as_str().unwrap(), subject.as_str());
        let raw = raw_of(last);
        let (head, _) = raw.split_once("\r\n\r\n").unwrap();
        for line in head.split("\r\n") {
            assert!(
                line.len() <= 78,
                "a header line of {} characters: {line:.100}",
                line.len()
            );
        }
        for line in raw.split("\r\n") {
            assert!(line.len() <= 998, "a line of {} bytes", line.len());
        }
    }
}

/// One office hour that is not now, whatever the day and Brussels' offset
/// (UTC+1 or +2): twelve hours from now.
fn office_hours_not_now() -> String {
    use chrono::Timelike;
    let start = (chrono::Utc::now().hour() + 12) % 23;
    format!("{start}-{}", start + 1)
}

/// Issue 30, low items: a dry run writes its files at once, outside office
/// hours too; a real send outside office hours, not on a terminal, says
/// what it waits for (once) instead of waiting without a word.
#[test]
fn outside_office_hours_a_dry_run_does_not_wait_and_a_send_says_what_it_waits_for() {
    use std::io::BufRead;
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("server")).unwrap();
    let server = Server::start(&work.path().join("server"), &[]);
    let home = work.path().join("home");
    add_local_account(&home, server.port);
    let campaign = common::example_copy(&work.path().join("office"), |t| t);
    let ids = ids_with_addresses(2);
    let hours = office_hours_not_now();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "send",
            campaign.to_str().unwrap(),
            "--yes",
            "--rate",
            "0",
            "--mep",
            &ids,
            "--office-hours",
            &hours,
        ];
        args.extend(extra);
        common::command(&home)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let dry = work.path().join("dry");
    let mut child = run(&["--dry-run", dry.to_str().unwrap()]);
    // A bound for a hung run, not a measure of speed.
    let deadline = Instant::now() + Duration::from_mins(1);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the dry run waited for office hours");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let emls = std::fs::read_dir(&dry)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .count();
    assert_eq!(emls, 2);

    let mut child = run(&["--profile", "Local"]);
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut said = Vec::new();
    let deadline = Instant::now() + Duration::from_mins(1);
    while Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => said.push(line),
            Err(_) if said.iter().any(|l| l.starts_with("Waiting: ")) => break,
            Err(_) => {}
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let waiting: Vec<&String> = said.iter().filter(|l| l.starts_with("Waiting: ")).collect();
    assert_eq!(waiting.len(), 1, "{said:?}");
    assert!(
        waiting[0].contains("outside office hours; sending resumes") && waiting[0].contains("Brussels time"),
        "{said:?}"
    );
    assert!(server.received().is_empty());
}
