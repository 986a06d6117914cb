//! The send dialog (pre-send check, mail account, pace, progress with pause
//! and cancel, the journal) and the mail-accounts editor of Settings.
//!
//! A panel that owns its state ([`SendPanel`]): it is drawn with what it
//! needs lent ([`Lent`]) and returns [`Asked`] values the app carries out
//! after the frame. Where the dialog is — checking, confirming, sending
//! with its count-down, paused, done — is the core's state machine
//! ([`crate::deliver::flow::Flow`]); this panel shows it and runs the jobs
//! it asks for. The files: `accounts` (mail accounts), `sections` (the
//! dialog's parts), `start` (the jobs), `journal_view`, and `app` (the
//! app's few lines that lend and carry out).
//!
//! Everything slow — composing every letter for the check, talking to the
//! server, sending — runs on named threads (`hemicycle-check`,
//! `hemicycle-smtp-test`, `hemicycle-send`). Passwords go to the keyring
//! (or, where there is none, to memory for this session) and never to a file.

mod accounts;
mod journal_view;
mod sections;
mod start;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use eframe::egui::{self, RichText};

use super::jobs::Job;
use super::send_limits::Limits;
use crate::compose::Composer;
use crate::deliver::check;
use crate::deliver::flow::{Do, Flow};
use crate::deliver::journal::{self, View};
use crate::deliver::mail_program::Opener;
use crate::deliver::profile::Profiles;
use crate::deliver::secrets::Secrets;
use crate::deliver::send::{DryRun, SendReport};
use crate::directory::Mep;
use crate::store::Paths;
pub use accounts::AccountForm;

/// What the dialog asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// A line for the status bar (text, whether it is a problem).
    Status(String, bool),
    /// Choose the dry run's folder (starting here, if it is one).
    ChooseDryFolder(Option<PathBuf>),
}

/// What the dialog is lent each frame.
pub struct Lent<'a> {
    /// The campaign open (None: none).
    pub composer: Option<&'a Composer>,
    /// Its file (None until it is saved).
    pub file: Option<&'a Path>,
    /// Its generation: the check runs again when it changes.
    pub generation: u64,
    /// The recipients in letter order: the selected MEPs, then the named
    /// addressees.
    pub meps: Vec<&'a Mep>,
    /// How many MEPs are selected.
    pub selected: usize,
    pub paths: Option<&'a Paths>,
    pub secrets: Arc<dyn Secrets>,
    /// The mail program letters are handed to (None: the system's).
    pub opener: Option<Arc<Mutex<dyn Opener + Send>>>,
    pub today: NaiveDate,
}

/// The journal shown: its file, whether it is a dry run's, and what it
/// holds.
struct JournalShown {
    path: PathBuf,
    dry: bool,
    view: Result<View, String>,
}

impl JournalShown {
    fn read(path: PathBuf, dry: bool) -> Self {
        let view = View::read(&path).map_err(|e| e.to_string());
        Self { path, dry, view }
    }
}

/// A campaign file and its journal file (finding it reads the disk, so not
/// every frame).
struct JournalOf {
    campaign: PathBuf,
    journal: PathBuf,
}

/// The mail accounts, read once, and why they could not be read.
#[derive(Default)]
struct Accounts {
    profiles: Option<Profiles>,
    error: Option<String>,
}

/// What to send again that the journal holds back.
#[derive(Default)]
struct Resend {
    /// Letters whose outcome is unknown (after checking the Sent folder).
    unconfirmed: bool,
    /// The new version, to MEPs who got an earlier one.
    changed: bool,
}

/// The send dialog's state.
#[derive(Default)]
pub struct SendPanel {
    pub open: bool,
    /// The chosen mail account's name.
    account: String,
    accounts: Accounts,
    form: Option<AccountForm>,
    /// The pace, office hours and daily cap, kept beside the journal.
    limits: Limits,
    /// The journal the limits were read for (None: the defaults).
    limits_of: Option<PathBuf>,
    dry_run: bool,
    pub dry_folder: String,
    resend: Resend,
    /// Where the dialog is: checked, confirming, sending, paused, done.
    flow: Flow,
    check_job: Option<Job<Result<check::Report, String>>>,
    send_job: Option<Job<Result<SendReport, String>>>,
    /// "Open 7 letters in your mail program?", asked before a handover.
    confirm_handover: Option<usize>,
    /// Letters being handed to the mail program: what to say when done.
    handover_job: Option<Job<Result<String, String>>>,
    test_job: Option<Job<Result<String, String>>>,
    journal: Option<JournalShown>,
    /// Letters handled when the journal view was last read (while sending).
    journal_done: usize,
    journal_of: Option<JournalOf>,
}

impl SendPanel {
    /// The name of the mail account chosen for sending.
    pub(crate) fn account(&self) -> &str {
        &self.account
    }

    pub fn busy(&self) -> bool {
        self.send_job.is_some() || self.check_job.is_some() || self.test_job.is_some() || self.handover_job.is_some()
    }

    /// A real send or a dry run is under way: (letters done, letters in
    /// the run).
    pub fn sending(&self) -> Option<(usize, usize)> {
        self.send_job.as_ref()?;
        Some(self.flow.sending().unwrap_or_default())
    }

    /// Stops the send under way (the letter being sent, if any, finishes;
    /// the run then ends and is written to the send log).
    pub fn stop_sending(&mut self) {
        let _ = self.flow.cancel();
    }

    /// Another campaign takes the place of the one whose check, journal,
    /// reports and limits the dialog shows: they are forgotten (a send
    /// under way goes on, and is still shown while it runs).
    pub fn forget_campaign(&mut self) {
        self.flow.forget_campaign();
        self.confirm_handover = None;
        self.journal_of = None;
        if self.send_job.is_none() {
            self.journal = None;
        }
        self.limits = Limits::default();
        self.limits_of = None;
    }

    /// The journal file of the campaign saved at `file` (None until it is
    /// saved).
    pub fn journal_path(&mut self, file: Option<&Path>, paths: Option<&Paths>) -> Option<PathBuf> {
        let file = file?;
        if let Some(of) = &self.journal_of
            && of.campaign == file
        {
            return Some(of.journal.clone());
        }
        let journal = journal::path_for(&paths?.journals(), file);
        self.journal_of = Some(JournalOf {
            campaign: file.to_path_buf(),
            journal: journal.clone(),
        });
        Some(journal)
    }

    /// The limits kept for the campaign's `journal`, read when it changes
    /// (a campaign just saved has none yet: the limits set keep).
    fn follow_limits(&mut self, journal: Option<&Path>) {
        if self.limits_of.as_deref() == journal {
            return;
        }
        if let Some(kept) = journal.and_then(Limits::load) {
            self.limits = kept;
        }
        self.limits_of = journal.map(Path::to_path_buf);
    }

    /// Takes finished work.
    fn poll(&mut self) {
        if let Some(job) = self.check_job.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.check_job = None;
            self.flow.checked(result);
        }
        if let Some(job) = self.test_job.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.test_job = None;
            if let Some(form) = self.form.as_mut() {
                form.message = Some(result);
            } else {
                self.flow.told(result);
            }
        }
        if let Some(job) = self.handover_job.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.handover_job = None;
            self.flow.told(result);
            self.reload_journal();
            self.flow.check_again();
        }
        if let Some(job) = self.send_job.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.send_job = None;
            if self.flow.finished(result) == Do::ReloadJournal {
                self.reload_journal();
            }
        }
    }

    fn reload_journal(&mut self) {
        if let Some(shown) = self.journal.take() {
            self.journal = Some(JournalShown::read(shown.path, shown.dry));
        }
    }

    /// The journal of this campaign (or of the dry run's folder), shown
    /// from the start: after a restart it tells where sending stopped.
    fn follow_journal(&mut self, lent: &Lent<'_>) {
        let real_journal = self.journal_path(lent.file, lent.paths);
        let wanted = if self.dry_run {
            Some((DryRun::journal_path(&PathBuf::from(self.dry_folder.trim())), true))
        } else {
            real_journal.clone().map(|p| (p, false))
        };
        if self.send_job.is_some() {
            return;
        }
        // The campaign's own journal, also during a dry run: the limits
        // are the campaign's.
        self.follow_limits(real_journal.as_deref());
        match wanted {
            Some((path, dry)) if self.journal.as_ref().is_none_or(|j| j.path != path || j.dry != dry) => {
                self.journal = Some(JournalShown::read(path, dry));
            }
            Some(_) => {}
            // An unsaved campaign has no journal yet: none is shown (never
            // the journal of the campaign open before).
            None => self.journal = None,
        }
    }

    /// The dialog's window, when open.
    pub fn window(&mut self, ctx: &egui::Context, lent: &Lent<'_>) -> Vec<Asked> {
        self.poll();
        let mut asked = Vec::new();
        if !self.open {
            return asked;
        }
        self.follow_journal(lent);
        self.start_check(ctx, lent);
        let mut open = self.open;
        let center = ctx.content_rect().center();
        egui::Window::new("Send e-mails")
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(center)
            .default_width(620.0)
            .max_height(ctx.content_rect().height() - 60.0)
            .vscroll(true)
            .show(ctx, |ui| self.body(ui, lent, &mut asked));
        if !open && self.send_job.is_some() {
            // Closing the window does not stop sending; say so.
            asked.push(Asked::Status(
                "Sending goes on in the background; open Send e-mails to follow it.".to_owned(),
                false,
            ));
        }
        self.open = open;
        if self.send_job.is_some() {
            ctx.request_repaint_after(Duration::from_millis(250));
        }
        asked
    }

    fn body(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>, asked: &mut Vec<Asked>) {
        let running = self.send_job.is_some();
        // The choices first, then what the check found: a finding that
        // comes or goes after a choice moves nothing the pointer is on.
        ui.label(RichText::new("How").strong());
        ui.add_enabled_ui(!running, |ui| {
            self.route_section(ui, lent, asked);
            self.pace_section(ui, asked);
        });
        ui.separator();
        self.check_section(ui, lent);
        ui.separator();
        if running {
            self.progress_section(ui);
        } else {
            self.start_button(ui, lent);
        }
        self.report_section(ui);
        ui.separator();
        self.journal_view(ui, running, asked);
    }
}

/// The core's messages start in lower case (they follow "error: " on the
/// command line); in the window they stand alone.
pub(crate) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        let mut s: String = first.to_uppercase().collect();
        s.push_str(chars.as_str());
        if !s.ends_with(['.', '!', '?']) {
            s.push('.');
        }
        s
    })
}

#[cfg(test)]
mod tests {
    use super::{Limits, SendPanel, sentence};
    use crate::store::Paths;

    #[test]
    fn a_core_message_becomes_a_sentence() {
        assert_eq!(sentence("no account"), "No account.");
        assert_eq!(sentence("Done?"), "Done?");
        assert_eq!(sentence(""), "");
        assert_eq!(sentence("élan"), "Élan.");
    }

    #[test]
    fn the_journal_follows_the_campaign_file_and_its_limits_are_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let mut panel = SendPanel::default();
        assert_eq!(
            panel.journal_path(None, Some(&paths)),
            None,
            "an unsaved campaign has none"
        );
        let a = dir.path().join("a.toml");
        let journal = panel.journal_path(Some(&a), Some(&paths)).unwrap();
        assert!(journal.starts_with(paths.journals()), "{}", journal.display());
        let b = dir.path().join("b.toml");
        assert_ne!(panel.journal_path(Some(&b), Some(&paths)).unwrap(), journal);
        // Limits kept beside a journal are read when the dialog follows it.
        let kept = Limits {
            per_minute: 7.0,
            ..Limits::default()
        };
        kept.save(&journal).unwrap();
        panel.follow_limits(Some(&journal));
        assert!((panel.limits.per_minute - 7.0).abs() < f32::EPSILON);
        panel.forget_campaign();
        assert!((panel.limits.per_minute - Limits::default().per_minute).abs() < f32::EPSILON);
        assert!(panel.journal_of.is_none() && panel.limits_of.is_none());
    }
}
