//! The send dialog's state machine: idle, checking, ready, confirming,
//! sending (with its count-down), paused, stopping, done — the app's send
//! dialog and the volunteer's send step both run on it, and only present it.
//!
//! [`Flow`] holds no thread and draws nothing. Each event is a method that
//! moves the stage on and returns what the front end must do ([`Do`]): start
//! the pre-send check on its thread, prepare and start the send, read the
//! journal again. The pause, resume and cancel of a run go straight to the
//! run's [`Control`], which the flow owns with the run's [`Progress`], so no
//! front end can pause what it shows as running, or show as paused what
//! runs.
//!
//! What the flow decides, the front ends show: the start button's words and
//! whether it may be pressed ([`Flow::start_button`]: "Resume sending (3
//! left)" after a run that stopped — by a crash, the daily cap, a cancel —
//! counted from the check, which reads the journal), and the line under the
//! progress bar ([`Flow::now`]: paused, waiting for office hours, sending to
//! someone, or the count-down to the next letter). The exactly-once rules
//! stay the engine's (`send::run` skips what the journal holds); the flow
//! never starts a second run while one is under way.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::check::{Report, Severity};
use super::send::{Control, Progress, SendReport};

/// What a pre-send check was made for: a new check runs when any of it
/// changes (the letters, the recipients, the account, the route).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckKey {
    /// The campaign's generation (it grows with every edit).
    pub generation: u64,
    /// How many recipients are selected.
    pub selected: usize,
    /// The mail account (its name, or all it holds where it is typed in).
    pub account: String,
    pub dry_run: bool,
    /// The campaign's file (None: not saved yet).
    pub file: Option<PathBuf>,
}

/// "Send 7 letters from … now?": asked before a real send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    /// The question.
    pub heading: String,
    /// The pace, office hours and daily cap that will apply, in words.
    pub limits: String,
}

/// Where the dialog is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Nothing checked yet.
    Idle,
    /// The pre-send check runs.
    Checking,
    /// Checked: the findings and the start button are shown.
    Ready,
    /// A real send was asked for; the question waits for an answer.
    Confirming(Confirm),
    /// A run is under way (`dry`: a dry run).
    Sending { dry: bool },
    /// A run is paused: the letter on its way finishes, nothing more goes.
    Paused { dry: bool },
    /// Cancel was pressed: the letter on its way finishes, then the run ends.
    Stopping { dry: bool },
    /// A run ended; its report is kept ([`Flow::report`]) and the letters
    /// are checked again.
    Done { dry: bool },
}

/// What the front end must do after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Do {
    Nothing,
    /// Start the pre-send check (and give its result to [`Flow::checked`]).
    Check,
    /// Prepare the send (options, route, journal, sender) and start it with
    /// [`Flow::started`], or say why it cannot with [`Flow::not_started`].
    Send {
        dry: bool,
    },
    /// Read the journal shown again: letters went.
    ReloadJournal,
}

/// The start button: its words, whether it may be pressed, and how many
/// letters are left to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartButton {
    pub label: String,
    pub enabled: bool,
    pub left: usize,
}

/// What a run shares with the thread that sends it.
#[derive(Debug, Clone)]
pub struct Run {
    pub control: Arc<Control>,
    pub progress: Arc<Mutex<Progress>>,
}

impl Run {
    /// What the engine calls after each step: the progress kept for the
    /// dialog to read, then `repaint` (to wake the window).
    pub fn reporter(&self, repaint: impl Fn() + Sync) -> impl Fn(&Progress) + Sync {
        let progress = self.progress.clone();
        move |p: &Progress| {
            if let Ok(mut slot) = progress.lock() {
                *slot = p.clone();
            }
            repaint();
        }
    }
}

/// The line under the progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Now {
    /// Paused by the user.
    Paused,
    /// The engine waits (office hours, the daily cap, a retry): why.
    Waiting(String),
    /// The letter on its way: "Name <address>".
    SendingTo(String),
    /// The count-down to the next letter, rounded up to whole seconds.
    NextIn(Duration),
    /// Between letters, before the engine has said when the next goes.
    BeforeNext,
    /// Nothing to say (every letter handled).
    Nothing,
}

/// The send dialog's state: see the module's documentation.
#[derive(Debug)]
pub struct Flow {
    stage: Stage,
    check: Option<Result<Report, String>>,
    checked_for: Option<CheckKey>,
    run: Run,
    /// How the last real send (or handover, or test) ended.
    report: Option<Result<SendReport, String>>,
    /// How the last dry run ended, shown apart from a real send's.
    dry_report: Option<Result<SendReport, String>>,
}

impl Default for Flow {
    fn default() -> Self {
        Self {
            stage: Stage::Idle,
            check: None,
            checked_for: None,
            run: Run {
                control: Arc::new(Control::default()),
                progress: Arc::new(Mutex::new(Progress::default())),
            },
            report: None,
            dry_report: None,
        }
    }
}

impl Flow {
    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    /// A run is under way (sending, paused or stopping).
    pub fn running(&self) -> bool {
        matches!(
            self.stage,
            Stage::Sending { .. } | Stage::Paused { .. } | Stage::Stopping { .. }
        )
    }

    pub fn checking(&self) -> bool {
        self.stage == Stage::Checking
    }

    /// The last check's result (None while the first check runs).
    pub fn check(&self) -> Option<&Result<Report, String>> {
        self.check.as_ref()
    }

    /// How the last run of this kind (real or dry) ended.
    pub fn report(&self, dry: bool) -> Option<&Result<SendReport, String>> {
        if dry {
            self.dry_report.as_ref()
        } else {
            self.report.as_ref()
        }
    }

    /// The question asked, while a real send waits for its answer.
    pub fn confirming(&self) -> Option<&Confirm> {
        match &self.stage {
            Stage::Confirming(c) => Some(c),
            _ => None,
        }
    }

    /// Where the run is now.
    pub fn progress(&self) -> Progress {
        self.run.progress.lock().map(|p| p.clone()).unwrap_or_default()
    }

    /// A run is under way: (letters handled, letters in the run).
    pub fn sending(&self) -> Option<(usize, usize)> {
        let p = self.running().then(|| self.progress())?;
        Some((p.done, p.total))
    }

    /// The letters, recipients, account or route are now `key`: a check
    /// starts unless one ran for the same, one runs, or a send runs.
    /// The last check's findings go meanwhile (the dialog's "Checking
    /// every letter…").
    pub fn want_check(&mut self, key: CheckKey) -> Do {
        let todo = self.want_check_keeping(key);
        if todo == Do::Check {
            self.check = None;
        }
        todo
    }

    /// As [`Self::want_check`], but the last check stays on screen until
    /// the new one ends: nothing jumps while the volunteer types.
    pub fn want_check_keeping(&mut self, key: CheckKey) -> Do {
        if self.checked_for.as_ref() == Some(&key) || self.checking() || self.running() {
            return Do::Nothing;
        }
        self.checked_for = Some(key);
        self.stage = Stage::Checking;
        Do::Check
    }

    /// The check ended.
    pub fn checked(&mut self, result: Result<Report, String>) {
        self.check = Some(result);
        if self.checking() {
            self.stage = Stage::Ready;
        }
    }

    /// What the start button says and whether it may be pressed: not
    /// while checking, nor after a check that failed or found an error,
    /// nor when every letter was sent.
    pub fn start_button(&self, dry_run: bool) -> StartButton {
        let report = match &self.check {
            Some(Ok(c)) => Some(c),
            _ => None,
        };
        let blocked =
            self.checking() || report.is_none_or(|c| c.findings.iter().any(|f| f.severity == Severity::Error));
        let left = report.map_or(0, |c| c.letters.saturating_sub(c.already_sent));
        let resumed = report.is_some_and(|c| c.already_sent > 0);
        let all_sent = !dry_run && resumed && left == 0;
        let label = if self.check.is_none() {
            "Checking the letters…".to_owned()
        } else if all_sent {
            "Every letter is sent".to_owned()
        } else if dry_run {
            "Start dry run".to_owned()
        } else if resumed {
            format!("Resume sending ({left} left)")
        } else {
            format!(
                "Start sending ({left} {})",
                if left == 1 { "letter" } else { "letters" }
            )
        };
        StartButton {
            label,
            enabled: !blocked && !all_sent && !self.running() && self.confirming().is_none(),
            left,
        }
    }

    /// The start button was pressed: a dry run starts at once; a real send
    /// asks `question` first (built by the caller, which knows the sender
    /// and the limits). Nothing happens when the button may not be pressed.
    pub fn start(&mut self, dry_run: bool, question: impl FnOnce(usize) -> Confirm) -> Do {
        let button = self.start_button(dry_run);
        if !button.enabled {
            return Do::Nothing;
        }
        if dry_run {
            return Do::Send { dry: true };
        }
        self.stage = Stage::Confirming(question(button.left));
        Do::Nothing
    }

    /// The answer to "Send … now?".
    pub fn answer(&mut self, send: bool) -> Do {
        if self.confirming().is_none() {
            return Do::Nothing;
        }
        self.stage = Stage::Ready;
        if send { Do::Send { dry: false } } else { Do::Nothing }
    }

    /// The send was prepared and its job is about to start: a new run with
    /// its own control and progress, which the job is given.
    pub fn started(&mut self, dry: bool) -> Run {
        self.run = Run {
            control: Arc::new(Control::default()),
            progress: Arc::new(Mutex::new(Progress::default())),
        };
        if dry {
            self.dry_report = None;
        } else {
            self.report = None;
        }
        self.stage = Stage::Sending { dry };
        self.run.clone()
    }

    /// The send could not start (no folder, no account, a bad option): why,
    /// shown where its report would be.
    pub fn not_started(&mut self, dry: bool, why: String) {
        if dry {
            self.dry_report = Some(Err(why));
        } else {
            self.report = Some(Err(why));
        }
        if !self.running() && !self.checking() {
            self.stage = Stage::Ready;
        }
    }

    /// Pause: the letter on its way (if any) finishes, nothing more goes;
    /// a count-down under way stops counting.
    pub fn pause(&mut self) -> Do {
        if let Stage::Sending { dry } = self.stage {
            self.run.control.pause();
            self.stage = Stage::Paused { dry };
        }
        Do::Nothing
    }

    pub fn resume(&mut self) -> Do {
        if let Stage::Paused { dry } = self.stage {
            self.run.control.resume();
            self.stage = Stage::Sending { dry };
        }
        Do::Nothing
    }

    /// Cancel (also while paused): the letter on its way finishes, then
    /// the run ends and reports.
    pub fn cancel(&mut self) -> Do {
        if let Stage::Sending { dry } | Stage::Paused { dry } = self.stage {
            self.run.control.cancel();
            self.stage = Stage::Stopping { dry };
        }
        Do::Nothing
    }

    /// The run ended (every letter handled, cancelled, the daily cap, the
    /// server lost, or an error): its report is kept, the journal read
    /// again, and the letters checked again when next asked.
    pub fn finished(&mut self, result: Result<SendReport, String>) -> Do {
        let (Stage::Sending { dry } | Stage::Paused { dry } | Stage::Stopping { dry }) = self.stage else {
            return Do::Nothing;
        };
        if dry {
            self.dry_report = Some(result);
        } else {
            self.report = Some(result);
        }
        self.checked_for = None;
        self.stage = Stage::Done { dry };
        Do::ReloadJournal
    }

    /// Something else said how it went (the letters handed to the mail
    /// program, a test letter): shown as the last real send's report.
    pub fn told(&mut self, said: Result<String, String>) {
        self.report = Some(said.map(|said| SendReport {
            stopped: Some(said),
            ..SendReport::default()
        }));
    }

    /// A handover or a test letter starts: the last real send's report
    /// goes (theirs will take its place).
    pub fn clear_report(&mut self) {
        self.report = None;
    }

    /// Something the check reads changed outside a run (the journal: letters
    /// handed over, a letter marked as sent; the account): the letters are
    /// checked again when next asked.
    pub fn check_again(&mut self) {
        self.checked_for = None;
    }

    /// Another campaign takes the place of the one whose check and reports
    /// are kept: they are forgotten (a run under way goes on).
    pub fn forget_campaign(&mut self) {
        self.check = None;
        self.checked_for = None;
        self.report = None;
        self.dry_report = None;
        if !self.running() {
            self.stage = Stage::Idle;
        }
    }

    /// The line under the progress bar at `now`: paused wins over
    /// everything (a count-down under way stops), then why the engine
    /// waits, the letter on its way, the count-down to the next.
    pub fn now(&self, p: &Progress, now: Instant) -> Now {
        if matches!(self.stage, Stage::Paused { .. }) || self.run.control.is_paused() {
            return Now::Paused;
        }
        if let Some(w) = &p.waiting {
            return Now::Waiting(w.clone());
        }
        if let Some(c) = &p.current {
            return Now::SendingTo(c.clone());
        }
        if p.done >= p.total {
            return Now::Nothing;
        }
        match p.next_letter_at {
            Some(at) => {
                let left = at.saturating_duration_since(now) + Duration::from_millis(999);
                Now::NextIn(Duration::from_secs(left.as_secs()))
            }
            None => Now::BeforeNext,
        }
    }
}

#[cfg(test)]
mod tests;
