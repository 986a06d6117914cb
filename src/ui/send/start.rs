//! The dialog's jobs, each on a named thread: the pre-send check, the send
//! (or dry run), the handover to the mail program and the test letter to
//! oneself. What to send and how is the core's (`deliver::session`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use eframe::egui;

use super::super::jobs::Job;
use super::{JournalShown, Lent, SendPanel, sentence};
use crate::deliver::check::Account;
use crate::deliver::flow::CheckKey;
use crate::deliver::mail_program::{Opener, SystemOpener};
use crate::deliver::profile::Profile;
use crate::deliver::send::{self, SendOptions, Sender};
use crate::deliver::session::{self, LogTo, Route, Session};
use crate::deliver::smtp::Smtp;
use crate::directory::Mep;

/// The mail program the app was given (tests give one that counts).
struct Shared(Arc<Mutex<dyn Opener + Send>>);

impl Opener for Shared {
    fn open(&mut self, target: &str) -> Result<(), String> {
        self.0
            .lock()
            .map_err(|_| "the mail program could not be reached".to_owned())?
            .open(target)
    }
}

/// A send set up and ready to start: its options, route, journal and
/// sender.
struct Prepared {
    options: SendOptions,
    route: Route,
    journal: PathBuf,
    sender: Sender,
}

impl SendPanel {
    /// Runs the pre-send check again when the letters, the recipients or the
    /// account changed (the flow decides).
    pub(super) fn start_check(&mut self, ctx: &egui::Context, lent: &Lent<'_>) {
        let Some(composer) = lent.composer else { return };
        let key = CheckKey {
            generation: lent.generation,
            selected: lent.selected,
            account: self.account.clone(),
            dry_run: self.dry_run,
            file: lent.file.map(Path::to_path_buf),
        };
        if self.check_job.is_some()
            || self.send_job.is_some()
            || self.flow.want_check(key) != crate::deliver::flow::Do::Check
        {
            return;
        }
        // A dry run keeps its journal in its folder.
        let unsaved = lent.file.is_none() && !self.dry_run;
        let account = if self.dry_run {
            Account::NotChecked
        } else if self.account.is_empty() {
            Account::Missing
        } else {
            let name = self.account.clone();
            Account::Checked(self.profiles(lent.paths).get(&name).and_then(Profile::validate))
        };
        let journal = if self.dry_run {
            None
        } else {
            self.journal_path(lent.file, lent.paths)
        };
        // For a real send: the sent ledgers and the chosen account's
        // address, to learn what the account sent from other campaign files.
        let ledger = self.ledger_to_check(lent, journal.is_some());
        let to = session::PresendFor {
            account,
            ledger,
            journal,
            unsaved,
        };
        let composer = composer.clone();
        let meps: Vec<Mep> = lent.meps.iter().map(|m| (*m).clone()).collect();
        let today = lent.today;
        self.check_job = Some(Job::spawn("hemicycle-check", ctx, move |_| {
            let list: Vec<&Mep> = meps.iter().collect();
            let plan = send::plan(&composer, &list, today).map_err(|e| e.to_string())?;
            Ok(session::presend(&plan, &composer, &to))
        }));
    }

    fn ledger_to_check(&mut self, lent: &Lent<'_>, has_journal: bool) -> Option<session::AccountLedger> {
        let (paths, file, composer) = (lent.paths?, lent.file?, lent.composer?);
        if !has_journal || self.account.is_empty() {
            return None;
        }
        let name = self.account.clone();
        let sender = self.profiles(Some(paths)).get(&name).ok()?.from_email.clone();
        Some(session::AccountLedger {
            ledger: session::LedgerTo::new(paths, composer, file),
            sender,
        })
    }

    pub(super) fn start_handover(&mut self, ctx: &egui::Context, lent: &Lent<'_>) {
        let Some(journal) = self.journal_path(lent.file, lent.paths) else {
            self.flow.told(Err("Save the campaign first.".to_owned()));
            return;
        };
        let Some(composer) = lent.composer.cloned() else { return };
        let account = self.chosen_profile(lent.paths).ok();
        let drafts = lent.paths.map(crate::store::Paths::drafts);
        let meps: Vec<Mep> = lent.meps.iter().map(|m| (*m).clone()).collect();
        let today = lent.today;
        let mut opener: Box<dyn Opener + Send> = match lent.opener.clone() {
            Some(shared) => Box::new(Shared(shared)),
            None => Box::new(SystemOpener),
        };
        let ledger = lent
            .paths
            .zip(lent.file)
            .map(|(paths, file)| session::LedgerTo::new(paths, &composer, file));
        self.flow.clear_report();
        self.handover_job = Some(Job::spawn("hemicycle-handover", ctx, move |_| {
            let list: Vec<&Mep> = meps.iter().collect();
            let plan = send::plan(&composer, &list, today).map_err(|e| e.to_string())?;
            let drafts = drafts.ok_or_else(|| "no folder for drafts was found (is HOME set?)".to_owned())?;
            let report = session::hand_over(
                &composer,
                &plan,
                account.as_ref(),
                &journal,
                &drafts,
                &SendOptions::default(),
                &mut *opener,
                ledger.as_ref(),
            )
            .map_err(|e| sentence(&e.to_string()))?;
            let mut said = format!(
                "Handed {} {} to your mail program: send them from there.",
                report.handed.len(),
                if report.handed.len() == 1 { "letter" } else { "letters" }
            );
            for (name, _, why) in &report.failed {
                said += &format!(" {name}: {}", sentence(why));
            }
            Ok(said)
        }));
    }

    pub(super) fn start_test_to_self(&mut self, ctx: &egui::Context, lent: &Lent<'_>) {
        let profile = match self.chosen_profile(lent.paths) {
            Ok(p) => p,
            Err(e) => {
                self.flow.told(Err(e));
                return;
            }
        };
        let secrets = lent.secrets.clone();
        let Some(composer) = lent.composer.cloned() else { return };
        let meps: Vec<Mep> = lent.meps.iter().take(1).map(|m| (*m).clone()).collect();
        let today = lent.today;
        self.flow.clear_report();
        self.test_job = Some(Job::spawn("hemicycle-smtp-test", ctx, move |_| {
            let password = session::password_for(&*secrets, &profile).map_err(|e| e.to_string())?;
            let list: Vec<&Mep> = meps.iter().collect();
            let plan = send::plan(&composer, &list, today).map_err(|e| e.to_string())?;
            let mut smtp = Smtp::new(profile.clone(), password);
            send::test_to_self(&plan, &Sender::from_profile(&profile), &mut smtp).map_err(|e| e.to_string())
        }));
    }

    /// The options the dialog shows, checked by the rules the command line
    /// uses too.
    fn send_options(&self) -> Result<SendOptions, String> {
        let mut options = SendOptions {
            resend_unconfirmed: self.resend.unconfirmed,
            resend_changed: self.resend.changed,
            ..SendOptions::default()
        };
        self.limits.apply(&mut options)?;
        Ok(options)
    }

    /// Where the letters go and the journal that records them.
    fn send_route(&mut self, lent: &Lent<'_>, dry: bool) -> Result<(Route, PathBuf), String> {
        if dry {
            let folder = PathBuf::from(self.dry_folder.trim());
            if folder.as_os_str().is_empty() {
                return Err("Choose a folder for the dry run.".to_owned());
            }
            let route = Route::DryRun(folder);
            let journal = route.journal_path(Path::new(""));
            return Ok((route, journal));
        }
        let profile = self.chosen_profile(lent.paths)?;
        let journal = self
            .journal_path(lent.file, lent.paths)
            .ok_or_else(|| "Save the campaign first.".to_owned())?;
        Ok((Route::Account(profile, lent.secrets.clone()), journal))
    }

    /// The send the dialog sets up, with its limits kept beside the journal
    /// (a restart and "Resume sending" go on with the same); or why it
    /// cannot start.
    fn prepare_send(&mut self, lent: &Lent<'_>, dry: bool) -> Result<Prepared, String> {
        let options = self.send_options()?;
        let (route, journal) = self.send_route(lent, dry)?;
        // A dry run tries out the chosen account's sender, if there is one.
        let account = self.chosen_profile(lent.paths).ok();
        let composer = lent.composer.ok_or_else(|| "Open a campaign first.".to_owned())?;
        let sender = route
            .sender(composer, account.as_ref())
            .map_err(|e| sentence(&e.to_string()))?;
        if !dry {
            self.limits.save(&journal).map_err(|e| e.to_string())?;
            self.limits_of = Some(journal.clone());
        }
        Ok(Prepared {
            options,
            route,
            journal,
            sender,
        })
    }

    /// Starts the send the flow asked for, on its job.
    pub(super) fn start_send(&mut self, ctx: &egui::Context, lent: &Lent<'_>, dry: bool) {
        let prepared = match self.prepare_send(lent, dry) {
            Ok(p) => p,
            Err(e) => return self.flow.not_started(dry, e),
        };
        let Some(composer) = lent.composer.cloned() else { return };
        let log = lent.paths.map(|paths| LogTo {
            file: paths.send_log(),
            campaign: lent
                .file
                .map_or_else(|| composer.campaign.title.clone(), |f| f.display().to_string()),
        });
        let ledger = if dry {
            None
        } else {
            lent.paths
                .zip(lent.file)
                .map(|(paths, file)| session::LedgerTo::new(paths, &composer, file))
        };
        let journal_path = prepared.journal;
        let session = Session {
            route: prepared.route,
            sender: prepared.sender,
            options: prepared.options,
            log,
            ledger,
        };
        let meps: Vec<Mep> = lent.meps.iter().map(|m| (*m).clone()).collect();
        let today = lent.today;
        if self.journal.as_ref().is_none_or(|j| j.path != journal_path) {
            self.journal = Some(JournalShown::read(journal_path.clone(), dry));
        }
        self.journal_done = 0;
        let run = self.flow.started(dry);
        let repaint = ctx.clone();
        self.send_job = Some(Job::spawn("hemicycle-send", ctx, move |_| {
            let report = run.reporter(|| repaint.request_repaint());
            session
                .send_to(&composer, &meps, today, &journal_path, &run.control, &report)
                .map_err(|e| e.to_string())
        }));
    }
}
