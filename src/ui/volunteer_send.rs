//! The volunteer's send step: only what a volunteer needs — their own mail
//! account (their provider, the password with the provider's hint about app
//! passwords), a test letter to themselves, how many letters go to whom, one
//! confirmation, and the progress. Their letters go From their own address
//! and name, never the organisation's.
//!
//! A panel that owns its state: [`SendStep::ui`] is lent what it shows and
//! returns [`Asked`] values the app carries out. The rules around a send are
//! the core's (`deliver::session`, `deliver::check`), and where the step is —
//! checked, confirming, sending, done — is the core's state machine
//! (`deliver::flow::Flow`), as in the NGO's send dialog.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use eframe::egui::{self, RichText};

use super::jobs::Job;
use super::preview;
use super::volunteer::AboutYou;
use crate::compose::Composer;
use crate::deliver::check::{self, Account, Finding, Report, Severity};
use crate::deliver::flow::{CheckKey, Confirm, Do, Flow};
use crate::deliver::presets;
use crate::deliver::profile::{Profile, Profiles, Security};
use crate::deliver::secrets::{Password, Secrets};
use crate::deliver::send::{self, SendOptions, SendReport, Sender};
use crate::deliver::session::{self, Route, Session};
use crate::deliver::smtp::Smtp;
use crate::directory::Mep;
use crate::store::Paths;

/// Letters a minute: polite, and a volunteer sends a handful.
const PER_MINUTE: f64 = 3.0;

/// What the step asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// Ask where to keep the volunteer's letters (the send's journal is
    /// kept under that file's name).
    SaveLetters,
    /// A line for the status bar (text, whether it is an error).
    Status(String, bool),
}

/// What the step is lent each frame.
pub struct Lent<'a> {
    pub composer: &'a Composer,
    /// The campaign's generation: the check runs again when it changes.
    pub generation: u64,
    pub meps: Vec<Mep>,
    pub about: &'a AboutYou,
    pub paths: Option<&'a Paths>,
    pub secrets: Arc<dyn Secrets>,
    /// The volunteer's copy of the campaign, once kept.
    pub file: Option<&'a Path>,
    pub journal: Option<PathBuf>,
    pub today: NaiveDate,
}

/// The step's state.
#[derive(Default)]
pub struct SendStep {
    /// The volunteer's account; filled from "about you" (or the account
    /// they saved before with the same address) when first shown.
    account: Option<Profile>,
    /// "smtp.example.org" or "smtp.example.org:465", for a provider
    /// Hemicycle does not know.
    server: String,
    /// "Another provider" was chosen.
    other: bool,
    password: Password,
    /// Where the step is: checked, confirming, sending, done.
    flow: Flow,
    /// The check, in a volunteer's words.
    check_job: Option<Job<Result<Report, String>>>,
    test_job: Option<Job<Result<String, String>>>,
    test_said: Option<Result<String, String>>,
    send_job: Option<Job<Result<SendReport, String>>>,
}

impl SendStep {
    pub fn busy(&self) -> bool {
        self.check_job.is_some() || self.test_job.is_some() || self.send_job.is_some()
    }

    /// Forgets the account and the check (another volunteer, another kit).
    pub fn reset(&mut self) {
        if !self.busy() {
            *self = Self::default();
        }
    }

    /// The account the letters go from, as shown (tests and the done step).
    pub fn sender_address(&self) -> Option<&str> {
        self.account.as_ref().map(|p| p.from_email.as_str())
    }

    /// Takes finished work; says how a send ended, once.
    fn poll(&mut self) -> Option<Asked> {
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
            self.test_said = Some(result);
        }
        if let Some(job) = self.send_job.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.send_job = None;
            let said = match &result {
                Ok(r) if r.failed.is_empty() && r.unconfirmed.is_empty() => {
                    Asked::Status(format!("{} sent.", letters(r.sent.len())), false)
                }
                Ok(r) => Asked::Status(
                    format!(
                        "{} sent, {} not: see step 4.",
                        letters(r.sent.len()),
                        r.failed.len() + r.unconfirmed.len()
                    ),
                    true,
                ),
                Err(e) => Asked::Status(format!("Your letters were not sent: {e}"), true),
            };
            let _ = self.flow.finished(result);
            return Some(said);
        }
        None
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>) -> Vec<Asked> {
        let mut asked: Vec<Asked> = self.poll().into_iter().collect();
        if lent.file.is_none() {
            ui.label("First keep your letters on this computer: Hemicycle notes there which letters went, so that no MEP gets one twice.");
            if ui.button("Save my letters…").clicked() {
                asked.push(Asked::SaveLetters);
            }
            return asked;
        }
        self.fill_account(lent);
        ui.label(RichText::new("Your e-mail account").strong());
        self.account_ui(ui, lent);
        ui.separator();
        self.start_check(ui.ctx(), lent);
        self.letters_ui(ui, lent, &mut asked);
        if self.send_job.is_some() {
            ui.ctx().request_repaint_after(Duration::from_millis(250));
        }
        asked
    }

    /// The account: the one saved before for this address, else a new one
    /// from "about you" — From is the volunteer's own name and address.
    fn fill_account(&mut self, lent: &Lent<'_>) {
        let email = lent.about.email.trim();
        if self
            .account
            .as_ref()
            .is_some_and(|p| p.from_email.eq_ignore_ascii_case(email))
        {
            return;
        }
        let saved = lent
            .paths
            .and_then(|p| Profiles::load(&p.profiles()).ok())
            .and_then(|all| {
                all.accounts
                    .into_iter()
                    .find(|p| p.from_email.trim().eq_ignore_ascii_case(email))
            });
        self.account = Some(saved.unwrap_or_else(|| Profile {
            name: email.to_owned(),
            port: Security::StartTls.default_port(),
            security: Security::StartTls,
            user: email.to_owned(),
            from_name: lent.about.name.trim().to_owned(),
            from_email: email.to_owned(),
            ..Profile::default()
        }));
        self.flow.check_again();
    }

    fn account_ui(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>) {
        let Some(p) = self.account.as_mut() else { return };
        ui.label(format!("Your letters go from {} <{}>.", p.from_name, p.from_email));
        let all = presets::all();
        let current = all.iter().find(|pr| pr.smtp_host.eq_ignore_ascii_case(p.host.trim()));
        let mut other = self.other || (current.is_none() && !p.host.trim().is_empty());
        egui::Grid::new("volunteer-account").num_columns(2).show(ui, |ui| {
            let chosen = provider_combo(ui, &all, current, &mut other);
            ui.end_row();
            if let Some(preset) = chosen {
                preset.apply(p);
                other = false;
            }
            self.other = other;
            if other && self.server.is_empty() && !p.host.is_empty() {
                self.server = format!("{}:{}", p.host, p.port);
            }
            if other {
                server_rows(ui, p, &mut self.server);
            }
            let l = ui.label("Password");
            ui.add(
                egui::TextEdit::singleline(&mut *self.password)
                    .password(true)
                    .hint_text("the password of your e-mail")
                    .desired_width(240.0),
            )
            .labelled_by(l.id);
            ui.end_row();
        });
        let note = current.map_or(
            "Your provider's help pages name its SMTP server; many providers want an app password made for Hemicycle rather than your usual one.",
            |pr| pr.note.as_str(),
        );
        ui.label(RichText::new(note).small());
        ui.label(
            RichText::new(format!(
                "The password is kept in {}, never in a file.",
                lent.secrets.describe()
            ))
            .small()
            .weak(),
        );
        ui.horizontal(|ui| {
            let idle = self.test_job.is_none() && self.send_job.is_none();
            if ui
                .add_enabled(idle, egui::Button::new("Send a test letter to myself"))
                .clicked()
            {
                self.start_test(ui.ctx(), lent);
            }
            if self.test_job.is_some() {
                ui.spinner();
            }
        });
        match &self.test_said {
            Some(Ok(said)) => {
                ui.label(super::send::sentence(said));
            }
            Some(Err(e)) => preview::problem(ui, &super::send::sentence(e)),
            None => {}
        }
    }

    /// Keeps the account (without its password) and the password in the
    /// password store, so that a send or a test finds both.
    fn keep_account(&mut self, lent: &Lent<'_>) -> Result<(Profile, Option<String>), String> {
        let profile = self.account.clone().ok_or_else(|| "no account yet".to_owned())?;
        profile.validate().map_err(|e| e.to_string())?;
        if let Some(paths) = lent.paths {
            let file = paths.profiles();
            let mut all = Profiles::load(&file).map_err(|e| e.to_string())?;
            if all.get(&profile.name).ok() != Some(&profile) {
                all.upsert(profile.clone());
                all.save(&file).map_err(|e| e.to_string())?;
            }
        }
        let typed = Some(self.password.to_string()).filter(|p| !p.is_empty());
        Ok((profile, typed))
    }

    fn start_test(&mut self, ctx: &egui::Context, lent: &Lent<'_>) {
        let (profile, typed) = match self.keep_account(lent) {
            Ok(kept) => kept,
            Err(e) => {
                self.test_said = Some(Err(e));
                return;
            }
        };
        let secrets = lent.secrets.clone();
        let composer = lent.composer.clone();
        let meps: Vec<Mep> = lent.meps.iter().take(1).cloned().collect();
        let today = lent.today;
        self.test_said = None;
        self.test_job = Some(Job::spawn("hemicycle-smtp-test", ctx, move |_| {
            let password = password(&*secrets, &profile, typed)?;
            let list: Vec<&Mep> = meps.iter().collect();
            let plan = send::plan(&composer, &list, today).map_err(|e| e.to_string())?;
            let mut smtp = Smtp::new(profile.clone(), password);
            send::test_to_self(&plan, &Sender::from_profile(&profile), &mut smtp).map_err(|e| e.to_string())
        }));
    }

    /// The check before sending, again when the letters, the MEPs or the
    /// account changed.
    fn start_check(&mut self, ctx: &egui::Context, lent: &Lent<'_>) {
        let Some(profile) = self.account.clone() else { return };
        // Any change to the account checks again (a server typed in).
        let key = CheckKey {
            generation: lent.generation,
            selected: lent.meps.len(),
            account: format!("{profile:?}"),
            dry_run: false,
            file: None,
        };
        if self.busy() || self.flow.want_check_keeping(key) != Do::Check {
            return;
        }
        let composer = lent.composer.clone();
        let meps = lent.meps.clone();
        let today = lent.today;
        // The one pre-send check of the core, with what the volunteer's
        // account already sent (its ledger) once their copy has a file.
        let ledger = lent.paths.zip(lent.file).map(|(paths, file)| session::AccountLedger {
            ledger: session::LedgerTo::new(paths, lent.composer, file),
            sender: profile.from_email.clone(),
        });
        let to = session::PresendFor {
            account: Account::Checked(profile.validate()),
            ledger,
            journal: lent.journal.clone(),
            unsaved: false,
        };
        // The last check stays on screen meanwhile: nothing jumps while the
        // volunteer types.
        self.check_job = Some(Job::spawn("hemicycle-check", ctx, move |_| {
            let list: Vec<&Mep> = meps.iter().collect();
            let plan = send::plan(&composer, &list, today).map_err(|e| e.to_string())?;
            let report = session::presend(&plan, &composer, &to);
            // The volunteer's letters to several MEPs are one letter: alike
            // among themselves once their own words are in.
            let own_words = !composer.campaign.volunteer.paragraphs().is_empty();
            Ok(Report {
                findings: report
                    .findings
                    .into_iter()
                    .filter(|f| !(own_words && f.text.starts_with(check::NEARLY_IDENTICAL)))
                    .map(in_a_volunteers_words)
                    .collect(),
                letters: plan.items.len(),
                ..report
            })
        }));
    }

    /// How many letters go to whom, the findings, one confirmation, the
    /// progress and how it ended.
    fn letters_ui(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>, asked: &mut Vec<Asked>) {
        let checked = match self.flow.check() {
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Checking your letters…");
                });
                return;
            }
            Some(Err(e)) => {
                preview::problem(ui, &format!("Your letters cannot be written: {e}"));
                return;
            }
            Some(Ok(c)) => c.clone(),
        };
        for f in &checked.findings {
            let text = super::send::sentence(&f.text);
            match f.severity {
                Severity::Error => preview::problem(ui, &text),
                Severity::Warning => preview::notice(ui, &text),
            }
        }
        let to_send = checked.letters.saturating_sub(checked.already_sent);
        let names: Vec<String> = lent
            .meps
            .iter()
            .filter(|m| m.email.is_some())
            .map(Mep::display_name)
            .collect();
        ui.label(format!(
            "{} to {}, each to one MEP alone, about one a minute{}.",
            letters(to_send),
            names.join(", "),
            if checked.already_sent > 0 {
                format!(" ({} already sent)", checked.already_sent)
            } else {
                String::new()
            }
        ));
        if self.send_job.is_some() {
            self.progress_ui(ui);
        } else {
            self.send_button(ui, lent, asked);
        }
        report_ui(ui, self.flow.report(false));
    }

    /// "Send 3 letters…", then the one question, as the flow says: not on
    /// a check of letters or an account that changed since.
    fn send_button(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>, asked: &mut Vec<Asked>) {
        let from = self.sender_address().unwrap_or_default().to_owned();
        let Some(question) = self.flow.confirming().cloned() else {
            let button = self.flow.start_button(false);
            let label = format!("Send {}…", letters(button.left));
            if ui
                .add_enabled(
                    button.enabled && button.left > 0,
                    egui::Button::new(RichText::new(label).strong()),
                )
                .clicked()
            {
                let _ = self.flow.start(false, |left| Confirm {
                    heading: format!("Send {} from {from} now?", letters(left)),
                    limits: String::new(),
                });
            }
            return;
        };
        ui.label(RichText::new(question.heading).strong());
        ui.horizontal(|ui| {
            if ui.button("Yes, send them").clicked() && self.flow.answer(true) == (Do::Send { dry: false }) {
                match self.start_send(ui.ctx(), lent) {
                    Ok(()) => asked.push(Asked::Status(format!("Sending your letters from {from}…"), false)),
                    Err(e) => self.flow.not_started(false, e),
                }
            }
            if ui.button("Not yet").clicked() {
                let _ = self.flow.answer(false);
            }
        });
    }

    fn start_send(&mut self, ctx: &egui::Context, lent: &Lent<'_>) -> Result<(), String> {
        let (profile, typed) = self.keep_account(lent)?;
        let journal_path = lent
            .journal
            .clone()
            .ok_or_else(|| "Save your letters first.".to_owned())?;
        let file = lent.file.ok_or_else(|| "Save your letters first.".to_owned())?;
        let sender = Sender::from_profile(&profile);
        let secrets = lent.secrets.clone();
        let session = Session {
            route: Route::Account(profile.clone(), secrets.clone()),
            sender,
            options: SendOptions {
                per_minute: PER_MINUTE,
                ..SendOptions::default()
            },
            log: lent.paths.map(|p| session::LogTo {
                file: p.send_log(),
                campaign: file.display().to_string(),
            }),
            ledger: lent.paths.map(|p| session::LedgerTo::new(p, lent.composer, file)),
        };
        let composer = lent.composer.clone();
        let meps = lent.meps.clone();
        let today = lent.today;
        let run = self.flow.started(false);
        let repaint = ctx.clone();
        self.send_job = Some(Job::spawn("hemicycle-send", ctx, move |_| {
            // A password typed in goes to the store first; the send reads it
            // from there.
            if let Some(p) = typed {
                secrets.set(&profile.secret_key(), &p).map_err(|e| e.to_string())?;
            }
            let report = run.reporter(|| repaint.request_repaint());
            session
                .send_to(&composer, &meps, today, &journal_path, &run.control, &report)
                .map_err(|e| e.to_string())
        }));
        Ok(())
    }

    fn progress_ui(&mut self, ui: &mut egui::Ui) {
        let p = self.flow.progress();
        #[allow(clippy::cast_precision_loss)]
        let fraction = if p.total == 0 {
            0.0
        } else {
            p.done as f32 / p.total as f32
        };
        ui.add(egui::ProgressBar::new(fraction).text(format!("{} of {} sent", p.sent, p.total)));
        if let Some(c) = &p.current {
            ui.label(format!("Sending to {c}"));
        } else if let Some(w) = &p.waiting {
            ui.label(super::send::sentence(w));
        }
        if ui.button("Stop sending").clicked() {
            let _ = self.flow.cancel();
        }
    }
}

/// "Your provider": Another provider, then the providers Hemicycle knows.
/// Returns the one chosen now; `other` becomes true for Another provider.
fn provider_combo(
    ui: &mut egui::Ui,
    all: &[presets::Preset],
    current: Option<&presets::Preset>,
    other: &mut bool,
) -> Option<presets::Preset> {
    let l = ui.label("Your provider");
    let mut chosen = None;
    let _ = egui::ComboBox::from_id_salt("volunteer-provider")
        .selected_text(match current {
            Some(pr) => pr.name.as_str(),
            None if *other => "Another provider",
            None => "Choose…",
        })
        .width(240.0)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(current.is_none() && *other, "Another provider")
                .clicked()
            {
                *other = true;
            }
            for preset in all {
                if ui.selectable_label(current == Some(preset), &preset.name).clicked() {
                    chosen = Some(preset.clone());
                }
            }
        })
        .response
        .labelled_by(l.id);
    chosen
}

/// The server fields, for a provider Hemicycle does not know: the server
/// (with its port after a colon, if not the usual one), the user name and
/// the security.
fn server_rows(ui: &mut egui::Ui, p: &mut Profile, server: &mut String) {
    let l = ui.label("SMTP server");
    if ui
        .add(
            egui::TextEdit::singleline(server)
                .hint_text("smtp.example.org")
                .desired_width(240.0),
        )
        .labelled_by(l.id)
        .changed()
    {
        set_server(p, server);
    }
    ui.end_row();
    let l = ui.label("User name");
    ui.add(
        egui::TextEdit::singleline(&mut p.user)
            .hint_text("often your e-mail address; empty if the server asks for none")
            .desired_width(240.0),
    )
    .labelled_by(l.id);
    ui.end_row();
    ui.label("Security");
    let before = p.security;
    ui.vertical(|ui| {
        for s in Security::ALL {
            ui.radio_value(&mut p.security, s, s.label());
        }
    });
    if p.security != before {
        set_server(p, server);
    }
    ui.end_row();
}

/// "host" or "host:port" into the account; without a port, the usual one
/// for its security.
fn set_server(p: &mut Profile, server: &str) {
    let server = server.trim();
    if let Some((host, port)) = server
        .rsplit_once(':')
        .and_then(|(h, port)| Some((h, port.parse::<u16>().ok()?)))
    {
        host.clone_into(&mut p.host);
        p.port = port;
    } else {
        server.clone_into(&mut p.host);
        p.port = p.security.default_port();
    }
}

/// The password typed in, else the stored one.
fn password(secrets: &dyn Secrets, profile: &Profile, typed: Option<String>) -> Result<Option<String>, String> {
    match typed {
        Some(p) => Ok(Some(p)),
        None => session::password_for(secrets, profile).map_err(|e| e.to_string()),
    }
}

/// "1 letter", "3 letters".
fn letters(n: usize) -> String {
    if n == 1 {
        "1 letter".to_owned()
    } else {
        format!("{n} letters")
    }
}

/// A finding as a volunteer reads it: they cannot fix the organisation's
/// letterhead, and their letters become personal through their own words,
/// not committees.
pub fn in_a_volunteers_words(f: Finding) -> Finding {
    let text = if f.text.starts_with(check::EXAMPLE_LETTERHEAD) {
        "this kit still carries an example's letterhead, not the organisation's own, so its letters cannot go out. Ask the people who sent you the kit for a corrected one".to_owned()
    } else if f.text.starts_with(check::NEARLY_IDENTICAL) {
        "your letters are nearly the same as everyone else's; mail systems may hold such letters back. Write a few sentences in your own words in step 3 (Your words): why it matters to you, where you live".to_owned()
    } else {
        return f;
    };
    Finding { text, ..f }
}

/// How the send ended, in a sentence or two.
fn report_ui(ui: &mut egui::Ui, report: Option<&Result<SendReport, String>>) {
    match report {
        Some(Ok(r)) => {
            ui.label(format!(
                "{} sent{}{}.",
                letters(r.sent.len()),
                if r.failed.is_empty() {
                    String::new()
                } else {
                    format!(", {} failed", r.failed.len())
                },
                if r.unconfirmed.is_empty() {
                    String::new()
                } else {
                    format!(", {} not confirmed by your provider", r.unconfirmed.len())
                },
            ));
            for (name, _, why) in &r.failed {
                preview::problem(ui, &format!("To {name}: {}", super::send::sentence(why)));
            }
            if let Some(why) = &r.stopped {
                preview::notice(ui, &super::send::sentence(why));
            }
        }
        Some(Err(e)) => preview::problem(ui, &super::send::sentence(e)),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_is_typed_with_or_without_its_port() {
        let mut p = Profile::default();
        set_server(&mut p, " mail.example.org:2525 ");
        assert_eq!((p.host.as_str(), p.port), ("mail.example.org", 2525));
        p.security = Security::Tls;
        set_server(&mut p, "mail.example.org");
        assert_eq!((p.host.as_str(), p.port), ("mail.example.org", 465));
    }

    #[test]
    fn a_volunteer_is_not_told_to_fix_the_letterhead_or_write_by_committee() {
        for text in [
            format!(
                "{}: name. Put your organisation's own in its place ([organisation])",
                check::EXAMPLE_LETTERHEAD
            ),
            format!(
                "{} (98% alike); … (for example by committee or country)",
                check::NEARLY_IDENTICAL
            ),
        ] {
            let f = in_a_volunteers_words(Finding {
                severity: Severity::Warning,
                text,
            });
            assert!(
                !f.text.contains("[organisation]") && !f.text.contains("committee"),
                "{}",
                f.text
            );
        }
    }
}
