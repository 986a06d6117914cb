//! Every transition of the send flow; pause during the count-down, the
//! daily cap and a resume after a crash with the real engine and journal.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::*;
use crate::deliver::check::{Account, Finding};
use crate::deliver::journal::{Journal, Record, State};
use crate::deliver::send::{self, Plan, SendOptions, Sender};
use crate::deliver::session::{self, PresendFor};
use crate::deliver::smtp::{Outcome, SmtpError, Transport};

fn key(generation: u64) -> CheckKey {
    CheckKey {
        generation,
        selected: 3,
        account: "Office".into(),
        dry_run: false,
        file: Some("/c/spring.toml".into()),
    }
}

fn report(letters: usize, already_sent: usize, findings: Vec<Finding>) -> Report {
    Report {
        findings,
        letters,
        already_sent,
        similarity: None,
        sent_today: 0,
    }
}

fn question(left: usize) -> Confirm {
    Confirm {
        heading: format!("Send {left} letters now?"),
        limits: "one a minute".into(),
    }
}

/// Checked, with `letters` of which `already_sent` went.
fn ready(letters: usize, already_sent: usize) -> Flow {
    let mut flow = Flow::default();
    assert_eq!(flow.want_check(key(1)), Do::Check);
    flow.checked(Ok(report(letters, already_sent, Vec::new())));
    flow
}

#[test]
fn a_check_starts_once_per_change_and_never_during_a_run() {
    let mut flow = Flow::default();
    assert_eq!(flow.stage(), &Stage::Idle);
    assert_eq!(flow.start_button(false).label, "Checking the letters…");
    assert_eq!(flow.want_check(key(1)), Do::Check);
    assert_eq!(flow.stage(), &Stage::Checking);
    // Not a second check while one runs, whatever changed.
    assert_eq!(flow.want_check(key(2)), Do::Nothing);
    assert!(!flow.start_button(false).enabled);
    flow.checked(Ok(report(3, 0, Vec::new())));
    assert_eq!(flow.stage(), &Stage::Ready);
    assert_eq!(flow.want_check(key(1)), Do::Nothing, "the same letters: no new check");
    assert_eq!(flow.want_check(key(2)), Do::Check, "an edit: checked again");
    assert!(flow.check().is_none(), "the old findings are not shown for new letters");
    flow.checked(Ok(report(3, 0, Vec::new())));
    assert_eq!(flow.want_check_keeping(key(3)), Do::Check);
    assert!(
        matches!(flow.check(), Some(Ok(r)) if r.letters == 3),
        "kept on screen while checking again"
    );
    assert!(!flow.start_button(false).enabled, "but not sent from");
    assert_eq!(flow.want_check_keeping(key(4)), Do::Nothing);
    assert_eq!(flow.want_check(key(2)), Do::Nothing, "one check at a time");
    flow.checked(Err("template error".into()));
    assert_eq!(flow.stage(), &Stage::Ready);
    assert!(
        !flow.start_button(false).enabled,
        "letters that cannot be written do not go"
    );
    let _ = flow.started(false);
    assert_eq!(flow.want_check(key(3)), Do::Nothing, "no check during a run");
}

#[test]
fn the_start_button_says_what_it_will_do() {
    let b = ready(3, 0).start_button(false);
    assert_eq!(
        (b.label.as_str(), b.enabled, b.left),
        ("Start sending (3 letters)", true, 3)
    );
    assert_eq!(ready(1, 0).start_button(false).label, "Start sending (1 letter)");
    let b = ready(5, 2).start_button(false);
    assert_eq!(
        (b.label.as_str(), b.enabled, b.left),
        ("Resume sending (3 left)", true, 3)
    );
    let b = ready(2, 2).start_button(false);
    assert_eq!((b.label.as_str(), b.enabled), ("Every letter is sent", false));
    let b = ready(2, 2).start_button(true);
    assert_eq!(
        (b.label.as_str(), b.enabled),
        ("Start dry run", true),
        "a dry run writes them all again"
    );
    let mut flow = Flow::default();
    let _ = flow.want_check(key(1));
    let error = Finding {
        severity: Severity::Error,
        text: "no mail account".into(),
    };
    let warning = Finding {
        severity: Severity::Warning,
        text: "alike".into(),
    };
    flow.checked(Ok(report(3, 0, vec![warning.clone()])));
    assert!(flow.start_button(false).enabled, "a warning does not stop the send");
    let _ = flow.want_check(key(2));
    flow.checked(Ok(report(3, 0, vec![warning, error])));
    assert!(!flow.start_button(false).enabled, "an error does");
    assert_eq!(flow.start(false, question), Do::Nothing);
    assert_eq!(
        flow.stage(),
        &Stage::Ready,
        "a button that may not be pressed does nothing"
    );
}

#[test]
fn a_real_send_is_confirmed_first_and_can_be_declined() {
    let mut flow = ready(5, 2);
    assert_eq!(flow.start(false, question), Do::Nothing);
    assert_eq!(
        flow.confirming().map(|c| c.heading.as_str()),
        Some("Send 3 letters now?")
    );
    assert!(!flow.start_button(false).enabled, "not pressed twice while asking");
    assert_eq!(flow.answer(false), Do::Nothing);
    assert_eq!(flow.stage(), &Stage::Ready);
    let _ = flow.start(false, question);
    assert_eq!(flow.answer(true), Do::Send { dry: false });
    assert_eq!(flow.answer(true), Do::Nothing, "one answer, one send");
    // A dry run is not asked about.
    let mut flow = ready(5, 0);
    assert_eq!(
        flow.start(true, |_| unreachable!("no question for a dry run")),
        Do::Send { dry: true }
    );
}

#[test]
fn a_run_pauses_resumes_and_cancels_through_its_control() {
    let mut flow = ready(3, 0);
    flow.not_started(false, "Save the campaign first.".into());
    assert!(matches!(flow.report(false), Some(Err(e)) if e.contains("Save")));
    assert_eq!(flow.stage(), &Stage::Ready);
    let run = flow.started(false);
    assert!(flow.report(false).is_none(), "a new run's report starts empty");
    assert_eq!(flow.stage(), &Stage::Sending { dry: false });
    assert_eq!(flow.sending(), Some((0, 0)));
    assert!(!flow.start_button(false).enabled);
    assert_eq!(flow.resume(), Do::Nothing);
    assert_eq!(flow.stage(), &Stage::Sending { dry: false }, "nothing to resume");
    let _ = flow.pause();
    assert_eq!(flow.stage(), &Stage::Paused { dry: false });
    assert!(run.control.is_paused());
    let _ = flow.resume();
    assert_eq!(flow.stage(), &Stage::Sending { dry: false });
    assert!(!run.control.is_paused());
    let _ = flow.pause();
    let _ = flow.cancel();
    assert_eq!(
        flow.stage(),
        &Stage::Stopping { dry: false },
        "cancel works while paused"
    );
    assert!(run.control.is_cancelled());
    let _ = flow.pause();
    let _ = flow.resume();
    assert_eq!(
        flow.stage(),
        &Stage::Stopping { dry: false },
        "a cancelled run is not paused or resumed"
    );
    let stopped = send::SendReport {
        stopped: Some("cancelled".into()),
        ..send::SendReport::default()
    };
    assert_eq!(flow.finished(Ok(stopped)), Do::ReloadJournal);
    assert_eq!(flow.stage(), &Stage::Done { dry: false });
    assert!(flow.sending().is_none());
    assert!(flow.report(false).is_some() && flow.report(true).is_none());
    assert_eq!(
        flow.want_check(key(1)),
        Do::Check,
        "after a run the letters are checked again"
    );
    assert_eq!(
        flow.finished(Err("late".into())),
        Do::Nothing,
        "no run, nothing finished"
    );
}

#[test]
fn a_dry_run_keeps_its_report_apart() {
    let mut flow = ready(3, 0);
    let run = flow.started(true);
    assert_eq!(flow.stage(), &Stage::Sending { dry: true });
    drop(run);
    let _ = flow.finished(Err("no folder".into()));
    assert!(flow.report(true).is_some() && flow.report(false).is_none());
    assert_eq!(flow.stage(), &Stage::Done { dry: true });
}

#[test]
fn handovers_and_settled_letters_are_told_and_checked_again() {
    let mut flow = ready(3, 0);
    flow.told(Ok("Handed 3 letters to your mail program.".into()));
    assert!(
        matches!(flow.report(false), Some(Ok(r)) if r.stopped.as_deref() == Some("Handed 3 letters to your mail program."))
    );
    flow.clear_report();
    assert!(flow.report(false).is_none());
    assert_eq!(flow.want_check(key(1)), Do::Nothing);
    flow.check_again();
    assert_eq!(flow.want_check(key(1)), Do::Check);
}

#[test]
fn another_campaign_forgets_the_check_but_not_a_run() {
    let mut flow = ready(3, 0);
    flow.told(Err("x".into()));
    flow.forget_campaign();
    assert_eq!(flow.stage(), &Stage::Idle);
    assert!(flow.check().is_none() && flow.report(false).is_none());
    let mut flow = ready(3, 0);
    let _ = flow.started(false);
    flow.forget_campaign();
    assert_eq!(flow.stage(), &Stage::Sending { dry: false });
}

#[test]
fn the_line_under_the_progress_bar() {
    let mut flow = ready(3, 0);
    let _ = flow.started(false);
    let now = Instant::now();
    let mut p = Progress {
        done: 1,
        total: 3,
        next_letter_at: Some(now + Duration::from_millis(9_400)),
        ..Progress::default()
    };
    assert_eq!(flow.now(&p, now), Now::NextIn(Duration::from_secs(10)), "rounded up");
    assert_eq!(
        flow.now(&p, now + Duration::from_secs(30)),
        Now::NextIn(Duration::from_secs(0)),
        "never below zero"
    );
    let _ = flow.pause();
    assert_eq!(flow.now(&p, now), Now::Paused, "a pause stops the count-down");
    let _ = flow.resume();
    assert_eq!(flow.now(&p, now), Now::NextIn(Duration::from_secs(10)));
    p.current = Some("Ana <a@ep.eu>".into());
    assert_eq!(flow.now(&p, now), Now::SendingTo("Ana <a@ep.eu>".into()));
    p.waiting = Some("office hours: resumes Monday 09:00".into());
    assert!(matches!(flow.now(&p, now), Now::Waiting(w) if w.contains("office hours")));
    let between = Progress {
        done: 1,
        total: 3,
        ..Progress::default()
    };
    assert_eq!(flow.now(&between, now), Now::BeforeNext);
    let done = Progress {
        done: 3,
        total: 3,
        ..Progress::default()
    };
    assert_eq!(flow.now(&done, now), Now::Nothing);
}

// With the real engine and journal.

/// A server that takes every letter and remembers to whom.
#[derive(Clone, Default)]
struct Taking {
    to: Arc<Mutex<Vec<String>>>,
}

impl Transport for Taking {
    fn connect(&mut self) -> Result<(), SmtpError> {
        Ok(())
    }
    fn send(&mut self, _from: &lettre::Address, to: &[lettre::Address], _message: &[u8]) -> Outcome {
        self.to.lock().unwrap().extend(to.iter().map(ToString::to_string));
        Outcome::Sent("250 ok".into())
    }
    fn close(&mut self) {}
}

impl Taking {
    fn sent(&self) -> Vec<String> {
        self.to.lock().unwrap().clone()
    }
}

fn composer() -> crate::compose::Composer {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/short-personal-letter.toml");
    crate::compose::Composer::open(&path, None).unwrap()
}

fn plan(composer: &crate::compose::Composer, n: usize) -> Plan {
    let dir = crate::directory::Directory::bundled().unwrap();
    let meps: Vec<crate::directory::Mep> = dir
        .meps
        .iter()
        .take(n)
        .map(|m| {
            let mut m = m.clone();
            m.email = Some(format!("mep-{}@parliament.test", m.id));
            m
        })
        .collect();
    let refs: Vec<&crate::directory::Mep> = meps.iter().collect();
    send::plan(composer, &refs, chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap()
}

fn sender() -> Sender {
    Sender {
        from_name: "Ana".into(),
        from_email: "ana@example.org".into(),
        reply_to: None,
        bcc_self: false,
    }
}

/// The flow checked against the journal at `path`, as the dialog checks.
fn check_against(flow: &mut Flow, plan: &Plan, composer: &crate::compose::Composer, path: &std::path::Path, n: u64) {
    assert_eq!(flow.want_check(key(n)), Do::Check);
    let to = PresendFor {
        account: Account::NotChecked,
        ledger: None,
        journal: Some(path.to_path_buf()),
        unsaved: false,
    };
    flow.checked(Ok(session::presend(plan, composer, &to)));
}

/// Runs the send the flow asked for, to its end, as the dialog's job does.
fn run_to_end(flow: &mut Flow, plan: &Plan, path: &std::path::Path, taking: &Taking, opts: &SendOptions) {
    let run = flow.started(false);
    let mut journal = Journal::open(path).unwrap();
    let report = send::run(
        plan,
        &sender(),
        &mut journal,
        &mut taking.clone(),
        opts,
        &run.control,
        &run.reporter(|| ()),
    )
    .map_err(|e| e.to_string());
    assert_eq!(flow.finished(report), Do::ReloadJournal);
}

fn fast() -> SendOptions {
    SendOptions {
        per_minute: 0.0,
        ..SendOptions::default()
    }
}

#[test]
fn a_pause_during_the_count_down_holds_the_next_letter() {
    let composer = composer();
    let plan = plan(&composer, 3);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let mut flow = Flow::default();
    check_against(&mut flow, &plan, &composer, &path, 1);
    let _ = flow.start(false, question);
    assert_eq!(flow.answer(true), Do::Send { dry: false });
    let run = flow.started(false);
    let taking = Taking::default();
    // One letter every 0.4 s.
    let opts = SendOptions {
        per_minute: 150.0,
        ..SendOptions::default()
    };
    let engine = {
        let (plan, taking, run, path) = (plan.clone(), taking.clone(), run.clone(), path.clone());
        std::thread::spawn(move || {
            let mut journal = Journal::open(&path).unwrap();
            send::run(
                &plan,
                &sender(),
                &mut journal,
                &mut taking.clone(),
                &opts,
                &run.control,
                &run.reporter(|| ()),
            )
        })
    };
    // The first letter went; the count-down to the second runs.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !(flow.progress().done == 1 && flow.progress().next_letter_at.is_some()) {
        assert!(Instant::now() < deadline, "the first letter never went");
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = flow.pause();
    assert_eq!(flow.now(&flow.progress(), Instant::now()), Now::Paused);
    std::thread::sleep(Duration::from_millis(1_200));
    assert_eq!(
        taking.sent().len(),
        1,
        "nothing goes while paused, though the count-down ran out"
    );
    let _ = flow.resume();
    let report = engine.join().unwrap().map_err(|e| e.to_string());
    assert_eq!(flow.finished(report), Do::ReloadJournal);
    assert_eq!(taking.sent().len(), 3);
    assert!(matches!(flow.report(false), Some(Ok(r)) if r.sent.len() == 3));
    check_against(&mut flow, &plan, &composer, &path, 2);
    assert_eq!(flow.start_button(false).label, "Every letter is sent");
}

#[test]
fn the_daily_cap_stops_a_run_that_resumes_with_the_rest() {
    let composer = composer();
    let plan = plan(&composer, 4);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let taking = Taking::default();
    let mut flow = Flow::default();
    check_against(&mut flow, &plan, &composer, &path, 1);
    let capped = SendOptions {
        daily_cap: Some(2),
        ..fast()
    };
    run_to_end(&mut flow, &plan, &path, &taking, &capped);
    assert_eq!(flow.stage(), &Stage::Done { dry: false });
    let Some(Ok(r)) = flow.report(false) else {
        panic!("no report")
    };
    assert_eq!(r.sent.len(), 2);
    assert!(
        r.stopped.as_deref().is_some_and(|s| s.contains("daily limit of 2")),
        "{r:?}"
    );
    check_against(&mut flow, &plan, &composer, &path, 1);
    assert_eq!(flow.start_button(false).label, "Resume sending (2 left)");
    // The next day (no cap left to reach): only the rest goes.
    run_to_end(&mut flow, &plan, &path, &taking, &fast());
    let mut sent = taking.sent();
    assert_eq!(sent.len(), 4);
    sent.sort();
    sent.dedup();
    assert_eq!(sent.len(), 4, "no letter twice");
}

#[test]
fn after_a_crash_a_resume_sends_only_the_rest_and_nothing_twice() {
    let composer = composer();
    let plan = plan(&composer, 4);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let taking = Taking::default();
    // Two letters went; Hemicycle died while the third was on its way (its
    // `pending` has no outcome); the fourth was never tried.
    {
        let mut journal = Journal::open(&path).unwrap();
        let limited = SendOptions {
            limit: Some(2),
            ..fast()
        };
        let control = Control::default();
        send::run(
            &plan,
            &sender(),
            &mut journal,
            &mut taking.clone(),
            &limited,
            &control,
            &|_| (),
        )
        .unwrap();
        let third = &plan.items[2];
        journal
            .record(Record::new(
                &third.mep_id,
                &third.name,
                &third.to,
                State::Pending,
                &third.fingerprint,
            ))
            .unwrap();
    }
    assert_eq!(taking.sent().len(), 2);
    // The app starts again: a new flow, the journal read by the check.
    let mut flow = Flow::default();
    check_against(&mut flow, &plan, &composer, &path, 1);
    assert_eq!(flow.start_button(false).label, "Resume sending (2 left)");
    let _ = flow.start(false, question);
    assert_eq!(
        flow.confirming().map(|c| c.heading.as_str()),
        Some("Send 2 letters now?")
    );
    assert_eq!(flow.answer(true), Do::Send { dry: false });
    run_to_end(&mut flow, &plan, &path, &taking, &fast());
    let sent = taking.sent();
    assert_eq!(sent.len(), 3, "only the fourth went: {sent:?}");
    assert_eq!(sent[2], plan.items[3].to);
    assert!(
        !sent.contains(&plan.items[2].to),
        "the unconfirmed third is not sent again"
    );
    let Some(Ok(r)) = flow.report(false) else {
        panic!("no report")
    };
    assert_eq!((r.sent.len(), r.unconfirmed.len()), (1, 0));
}
