//! The send dialog (pre-send check, mail account, pace, progress with pause
//! and cancel, the journal) and the mail-accounts editor of Settings.
//!
//! Everything slow — composing every letter for the check, talking to the
//! server, sending — runs on named threads (`hemicycle-check`,
//! `hemicycle-smtp-test`, `hemicycle-send`). Passwords go to the keyring
//! (or, where there is none, to memory for this session) and never to a file.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use eframe::egui::{self, RichText};

use super::jobs::Job;
use super::send_limits::Limits;
use super::{App, preview};
use crate::deliver::check::{self, Account, Severity};
use crate::deliver::journal::{self, Standing, State, View};
use crate::deliver::presets;
use crate::deliver::profile::{Profile, Profiles, Security};
use crate::deliver::secrets::Secrets;
use crate::deliver::send::{self, Control, DryRun, SendOptions, SendReport, Sender};
use crate::deliver::sent_folder::SentFolder;
use crate::deliver::session::{self, Route, Session};
use crate::deliver::smtp::Smtp;
use crate::directory::Mep;

/// What the pre-send check found.
pub type CheckResult = check::Report;

/// A mail account being edited, with its password (kept only here until
/// it goes to the keyring).
#[derive(Debug, Clone, Default)]
pub struct AccountForm {
    pub profile: Profile,
    pub password: crate::deliver::secrets::Password,
    /// The account's name before editing (None: a new account).
    pub original: Option<String>,
    pub message: Option<Result<String, String>>,
    /// The provider chosen (its name; None: "Other"). Chosen, not guessed
    /// from the server typed: typing in "SMTP server" does not change it.
    pub provider: Option<String>,
}

/// The send dialog's state.
#[allow(clippy::struct_excessive_bools)]
pub struct SendUi {
    pub open: bool,
    pub account: String,
    profiles: Option<Profiles>,
    profiles_error: Option<String>,
    pub form: Option<AccountForm>,
    /// The pace, office hours and daily cap, kept beside the journal.
    pub limits: Limits,
    /// The journal the limits were read for (None: the defaults).
    limits_of: Option<PathBuf>,
    pub dry_run: bool,
    pub dry_folder: String,
    pub resend_unconfirmed: bool,
    pub resend_changed: bool,
    check_job: Option<Job<Result<CheckResult, String>>>,
    pub check: Option<Result<CheckResult, String>>,
    checked: Option<(u64, usize, String, bool, Option<PathBuf>)>,
    job: Option<Job<Result<SendReport, String>>>,
    control: Arc<Control>,
    progress: Arc<Mutex<send::Progress>>,
    /// How the last real send ended.
    pub report: Option<Result<SendReport, String>>,
    /// How the last dry run ended, shown apart from a real send's.
    pub dry_report: Option<Result<SendReport, String>>,
    /// The running job is a dry run.
    running_dry: bool,
    /// "Send 7 letters from … now?", asked before a real send starts.
    pub confirm: Option<String>,
    /// "Open 7 letters in your mail program?", asked before a handover.
    confirm_handover: Option<usize>,
    /// Letters being handed to the mail program: what to say when done.
    handover_job: Option<Job<Result<String, String>>>,
    test_job: Option<Job<Result<String, String>>>,
    /// The journal shown: its file, whether it is a dry run's, and what it holds.
    pub journal: Option<(PathBuf, bool, Result<View, String>)>,
    /// Letters handled when the journal view was last read (while sending).
    journal_done: usize,
    /// The campaign file and its journal file (finding it reads the disk,
    /// so not every frame).
    journal_of: Option<(PathBuf, PathBuf)>,
}

impl Default for SendUi {
    fn default() -> Self {
        Self {
            open: false,
            account: String::new(),
            profiles: None,
            profiles_error: None,
            form: None,
            limits: Limits::default(),
            limits_of: None,
            dry_run: false,
            dry_folder: String::new(),
            resend_unconfirmed: false,
            resend_changed: false,
            check_job: None,
            check: None,
            checked: None,
            job: None,
            control: Arc::new(Control::default()),
            progress: Arc::new(Mutex::new(send::Progress::default())),
            report: None,
            dry_report: None,
            running_dry: false,
            confirm: None,
            confirm_handover: None,
            handover_job: None,
            test_job: None,
            journal: None,
            journal_done: 0,
            journal_of: None,
        }
    }
}

impl SendUi {
    pub fn busy(&self) -> bool {
        self.job.is_some() || self.check_job.is_some() || self.test_job.is_some() || self.handover_job.is_some()
    }

    /// A real send or a dry run is under way: (letters done, letters in
    /// the run).
    pub fn sending(&self) -> Option<(usize, usize)> {
        self.job.as_ref()?;
        let p = self.progress.lock().map(|p| (p.done, p.total)).unwrap_or_default();
        Some(p)
    }

    /// Stops the send under way (the letter being sent, if any, finishes;
    /// the run then ends and is written to the send log).
    pub fn stop_sending(&self) {
        self.control.cancel();
    }

    /// Another campaign takes the place of the one whose check, journal,
    /// reports and limits the dialog shows: they are forgotten (a send
    /// under way goes on, and is still shown while it runs).
    pub fn forget_campaign(&mut self) {
        self.check = None;
        self.checked = None;
        self.report = None;
        self.dry_report = None;
        self.confirm = None;
        self.confirm_handover = None;
        self.journal_of = None;
        if self.job.is_none() {
            self.journal = None;
        }
        self.limits = Limits::default();
        self.limits_of = None;
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
    pub fn poll(&mut self) {
        if let Some(job) = self.check_job.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.check_job = None;
            self.check = Some(result);
        }
        if let Some(job) = self.test_job.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.test_job = None;
            if let Some(form) = self.form.as_mut() {
                form.message = Some(result);
            } else {
                self.report = Some(result.map(|said| SendReport {
                    stopped: Some(said),
                    ..SendReport::default()
                }));
            }
        }
        if let Some(job) = self.handover_job.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.handover_job = None;
            self.report = Some(result.map(|said| SendReport {
                stopped: Some(said),
                ..SendReport::default()
            }));
            self.reload_journal();
            self.checked = None;
        }
        if let Some(job) = self.job.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.job = None;
            if self.running_dry {
                self.dry_report = Some(result);
            } else {
                self.report = Some(result);
            }
            self.reload_journal();
            self.checked = None;
        }
    }

    fn reload_journal(&mut self) {
        if let Some((path, dry, _)) = self.journal.take() {
            let view = View::read(&path).map_err(|e| e.to_string());
            self.journal = Some((path, dry, view));
        }
    }

    pub(super) fn profiles(&mut self, app_paths: Option<&crate::store::Paths>) -> &Profiles {
        if self.profiles.is_none() {
            let loaded = app_paths.map_or_else(|| Ok(Profiles::default()), |p| Profiles::load(&p.profiles()));
            match loaded {
                Ok(p) => self.profiles = Some(p),
                Err(e) => {
                    self.profiles_error = Some(e.to_string());
                    self.profiles = Some(Profiles::default());
                }
            }
            if self.account.is_empty()
                && let Some(first) = self.profiles.as_ref().and_then(|p| p.accounts.first())
            {
                self.account.clone_from(&first.name);
            }
        }
        self.profiles.get_or_insert_with(Profiles::default)
    }
}

fn text_row(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) -> bool {
    let l = ui.label(label);
    // An id of its own: the field keeps the focus whatever is shown above.
    let changed = ui
        .add(
            egui::TextEdit::singleline(value)
                .id_salt(label)
                .hint_text(hint)
                .desired_width(260.0),
        )
        .labelled_by(l.id)
        .changed();
    ui.end_row();
    changed
}

/// The fields of one mail account; returns true when something changed.
fn account_fields(ui: &mut egui::Ui, form: &mut AccountForm, keyring: &str) -> bool {
    let mut changed = provider_row(ui, &mut form.provider, &mut form.profile);
    egui::Grid::new("account-form")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            let p = &mut form.profile;
            changed |= text_row(ui, "Account name", &mut p.name, "Office");
            changed |= text_row(ui, "SMTP server", &mut p.host, "smtp.example.org");
            let l = ui.label("Security");
            let before = p.security;
            let _ = egui::ComboBox::from_id_salt("Security")
                .selected_text(p.security.label())
                .show_ui(ui, |ui| {
                    for s in Security::ALL {
                        ui.selectable_value(&mut p.security, s, s.label());
                    }
                })
                .response
                .labelled_by(l.id);
            if p.security != before {
                p.port = p.security.default_port();
                changed = true;
            }
            ui.end_row();
            let l = ui.label("Port");
            changed |= ui
                .add(egui::DragValue::new(&mut p.port).range(1..=65535))
                .labelled_by(l.id)
                .changed();
            ui.end_row();
            changed |= text_row(ui, "User name", &mut p.user, "often your e-mail address");
            let l = ui.label("Password");
            changed |= ui
                .add(
                    egui::TextEdit::singleline(&mut *form.password)
                        .id_salt("Password")
                        .hint_text(if form.original.is_some() {
                            "unchanged unless you type"
                        } else {
                            ""
                        })
                        .password(true)
                        .desired_width(260.0),
                )
                .labelled_by(l.id)
                .on_hover_text(format!("Kept in {keyring}, never in a file"))
                .changed();
            ui.end_row();
            let p = &mut form.profile;
            changed |= text_row(ui, "From name", &mut p.from_name, "Your name or organisation");
            changed |= text_row(ui, "From address", &mut p.from_email, "you@example.org");
            changed |= text_row(ui, "Reply-To (optional)", &mut p.reply_to, "");
        });
    changed |= ui
        .checkbox(&mut form.profile.bcc_self, "Send me a blind copy of every letter")
        .changed();
    changed |= sent_copy_fields(ui, &mut form.profile);
    ui.label(
        RichText::new(format!(
            "The password is kept in {keyring}. Certificates are always verified."
        ))
        .small()
        .color(ui.visuals().weak_text_color()),
    );
    changed
}

/// "Choose your provider": fills the servers of a known provider, and shows
/// what to know about its passwords. The choice is the user's (`provider`),
/// kept while they type the servers; "Other" is always in the list, and the
/// note's line is always there, so nothing below moves when it changes.
fn provider_row(ui: &mut egui::Ui, provider: &mut Option<String>, p: &mut Profile) -> bool {
    const OTHER: &str = "Other (enter the servers below)";
    let all = presets::all();
    let current = provider
        .as_deref()
        .and_then(|name| all.iter().find(|pr| pr.name == name));
    let mut chosen = None;
    ui.horizontal(|ui| {
        let l = ui.label("Choose your provider");
        let _ = egui::ComboBox::from_id_salt("Provider")
            .selected_text(current.map_or(OTHER, |pr| pr.name.as_str()))
            .show_ui(ui, |ui| {
                if ui.selectable_label(current.is_none(), OTHER).clicked() {
                    chosen = Some(None);
                }
                for preset in &all {
                    if ui.selectable_label(current == Some(preset), &preset.name).clicked() {
                        chosen = Some(Some(preset.clone()));
                    }
                }
            })
            .response
            .labelled_by(l.id);
    });
    let note = current.map_or(
        "Your provider's help pages give its SMTP server, port and security.",
        |pr| pr.note.as_str(),
    );
    ui.add(egui::Label::new(RichText::new(note).small()).wrap());
    let Some(choice) = chosen else { return false };
    *provider = choice.as_ref().map(|pr| pr.name.clone());
    if let Some(preset) = choice {
        preset.apply(p);
    }
    true
}

/// "Keep a copy in Sent" and the IMAP server it uses.
fn sent_copy_fields(ui: &mut egui::Ui, p: &mut Profile) -> bool {
    let mut changed = ui
        .checkbox(&mut p.copy_to_sent, "Keep a copy in Sent")
        .on_hover_text("Each letter sent is also put in your mailbox's Sent folder (over IMAP, with the same login), marked as read")
        .changed();
    if !p.copy_to_sent {
        return changed;
    }
    egui::Grid::new("imap-form")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            changed |= text_row(ui, "IMAP server", &mut p.imap_host, "imap.example.org");
            let l = ui.label("IMAP security");
            let before = p.imap_security;
            let _ = egui::ComboBox::from_id_salt("IMAP security")
                .selected_text(p.imap_security.imap_label())
                .show_ui(ui, |ui| {
                    for s in Security::ALL {
                        ui.selectable_value(&mut p.imap_security, s, s.imap_label());
                    }
                })
                .response
                .labelled_by(l.id);
            if p.imap_security != before {
                p.imap_port = p.imap_security.default_imap_port();
                changed = true;
            }
            ui.end_row();
            let l = ui.label("IMAP port");
            if p.imap_port == 0 {
                p.imap_port = p.imap_port();
            }
            changed |= ui
                .add(egui::DragValue::new(&mut p.imap_port).range(1..=65535))
                .labelled_by(l.id)
                .changed();
            ui.end_row();
        });
    changed
}

impl App {
    pub(super) fn secrets(&mut self) -> Arc<dyn Secrets> {
        if let Some(s) = &self.secrets {
            return s.clone();
        }
        let store: Arc<dyn Secrets> = Arc::new(crate::deliver::secrets::SystemOrMemory::default());
        self.secrets = Some(store.clone());
        store
    }

    fn account_names(&mut self) -> Vec<String> {
        let paths = self.config.paths.clone();
        self.send_ui
            .profiles(paths.as_ref())
            .accounts
            .iter()
            .map(|p| p.name.clone())
            .collect()
    }

    /// Settings → Mail accounts.
    pub(super) fn mail_accounts_section(&mut self, ui: &mut egui::Ui) {
        ui.label(RichText::new("Mail accounts").strong());
        let names = self.account_names();
        if let Some(e) = &self.send_ui.profiles_error {
            preview::problem(ui, e);
        }
        if names.is_empty() {
            ui.label("No mail account yet. Add the account you send e-mail from (your provider's SMTP settings).");
        }
        let mut opened = false;
        for name in &names {
            ui.horizontal(|ui| {
                ui.label(name);
                if ui.button(format!("Edit {name}")).clicked() {
                    self.edit_account(Some(name));
                    opened = true;
                }
                if ui.button(format!("Remove {name}")).clicked() {
                    self.remove_account(name);
                }
            });
        }
        if self.send_ui.form.is_none() && ui.button("Add a mail account").clicked() {
            self.edit_account(None);
            opened = true;
        }
        let form = ui.scope(|ui| self.account_form(ui)).response;
        // The form opens below the list: brought into view (Settings scrolls).
        if opened {
            form.scroll_to_me(Some(egui::Align::TOP));
        }
    }

    fn edit_account(&mut self, name: Option<&str>) {
        let paths = self.config.paths.clone();
        let profile = name.and_then(|n| self.send_ui.profiles(paths.as_ref()).get(n).ok().cloned());
        // The saved password is not read back into the form: the keyring is
        // asked only from background threads, when a password is needed.
        let password = String::new();
        self.send_ui.form = Some(AccountForm {
            original: profile.as_ref().map(|p| p.name.clone()),
            profile: profile.unwrap_or_else(|| {
                let org = self
                    .doc
                    .as_ref()
                    .map(|d| d.composer.campaign.organisation.clone())
                    .unwrap_or_default();
                Profile {
                    port: 587,
                    from_name: if org.signatory.name.is_empty() {
                        org.name
                    } else {
                        org.signatory.name
                    },
                    from_email: org.email.clone(),
                    user: org.email,
                    ..Profile::default()
                }
            }),
            password: crate::deliver::secrets::Password::new(password),
            message: None,
            provider: None,
        });
        if let Some(form) = self.send_ui.form.as_mut() {
            let host = form.profile.host.trim().to_owned();
            form.provider = presets::all()
                .into_iter()
                .find(|pr| !host.is_empty() && pr.smtp_host.eq_ignore_ascii_case(&host))
                .map(|pr| pr.name);
        }
    }

    fn remove_account(&mut self, name: &str) {
        let paths = self.config.paths.clone();
        let secrets = self.secrets();
        let mut profiles = self.send_ui.profiles(paths.as_ref()).clone();
        if let Some(p) = profiles.remove(name) {
            let key = p.secret_key();
            let _ = std::thread::Builder::new()
                .name("hemicycle-keyring".to_owned())
                .spawn(move || secrets.delete(&key));
        }
        if let Some(paths) = &paths {
            match profiles.save(&paths.profiles()) {
                Ok(()) => self.set_status(format!("Removed the mail account \"{name}\"."), false),
                Err(e) => self.set_status(e.to_string(), true),
            }
        }
        if self.send_ui.account == name {
            self.send_ui.account.clear();
        }
        self.send_ui.profiles = Some(profiles);
    }

    /// The account being edited: fields, Save, Test connection.
    fn account_form(&mut self, ui: &mut egui::Ui) {
        if self.send_ui.form.is_none() {
            return;
        }
        let secrets = self.secrets();
        let keyring = secrets.describe();
        if let Some(note) = secrets.note() {
            preview::notice(ui, &sentence(&note));
        }
        let testing = self.send_ui.test_job.is_some();
        let Some(form) = self.send_ui.form.as_mut() else { return };
        egui::Frame::group(ui.style()).show(ui, |ui| {
            account_fields(ui, form, keyring);
        });
        let mut save = false;
        let mut test = false;
        let mut close = false;
        ui.horizontal(|ui| {
            save = ui.button("Save account").clicked();
            test = ui.add_enabled(!testing, egui::Button::new("Test connection")).clicked();
            close = ui.button("Close account settings").clicked();
            if testing {
                ui.spinner();
                ui.label("Connecting…");
            }
        });
        if let Some(message) = &form.message {
            match message {
                Ok(said) => {
                    ui.label(RichText::new(said).color(ui.visuals().text_color()));
                }
                Err(why) => preview::problem(ui, &sentence(why)),
            }
        }
        if save {
            self.save_account();
        }
        if test {
            let Some(form) = self.send_ui.form.clone() else { return };
            if let Err(e) = form.profile.validate() {
                if let Some(f) = self.send_ui.form.as_mut() {
                    f.message = Some(Err(e.to_string()));
                }
                return;
            }
            let typed = Some(form.password.to_string()).filter(|p| !p.is_empty());
            self.send_ui.test_job = Some(Job::spawn("hemicycle-smtp-test", ui.ctx(), move |_| {
                // The password typed in, else the saved one.
                let password = match typed {
                    Some(p) => Some(p),
                    None if form.profile.user.trim().is_empty() => None,
                    None => secrets.get(&form.profile.secret_key()).map_err(|e| e.to_string())?,
                };
                let smtp = Smtp::new(form.profile.clone(), password.clone())
                    .test_connection()
                    .map_err(|e| e.to_string())?;
                if !form.profile.copy_to_sent {
                    return Ok(smtp);
                }
                let imap = SentFolder::new(form.profile, password)
                    .test_connection()
                    .map_err(|e| format!("{smtp} But the copy in Sent does not work: {e}"))?;
                Ok(format!("{smtp} {imap}"))
            }));
        }
        if close {
            self.send_ui.form = None;
        }
    }

    fn save_account(&mut self) {
        let secrets = self.secrets();
        let paths = self.config.paths.clone();
        let Some(form) = self.send_ui.form.clone() else { return };
        let message = (|| -> Result<String, String> {
            form.profile.validate().map_err(|e| e.to_string())?;
            let mut profiles = self.send_ui.profiles(paths.as_ref()).clone();
            if let Some(old) = &form.original
                && !old.eq_ignore_ascii_case(&form.profile.name)
            {
                profiles.remove(old);
            }
            profiles.upsert(form.profile.clone());
            let Some(paths) = &paths else {
                return Err("no folder for Hemicycle's settings was found".to_owned());
            };
            profiles.save(&paths.profiles()).map_err(|e| e.to_string())?;
            self.send_ui.profiles = Some(profiles);
            self.send_ui.account.clone_from(&form.profile.name);
            Ok(format!("Saved the mail account \"{}\".", form.profile.name))
        })();
        // The password goes to the keyring on a thread of its own (a keyring
        // may show an unlock prompt); the answer replaces the message.
        if message.is_ok()
            && !form.password.is_empty()
            && let Some(ctx) = self.prepared.clone()
        {
            let said = message.clone().unwrap_or_default();
            let (key, password) = (form.profile.secret_key(), form.password.to_string());
            self.send_ui.test_job = Some(Job::spawn("hemicycle-keyring", &ctx, move |_| {
                secrets
                    .set(&key, &password)
                    .map(|()| format!("{said} The password is kept in {}.", secrets.describe()))
                    .map_err(|e| e.to_string())
            }));
        }
        if let Some(f) = self.send_ui.form.as_mut() {
            if message.is_ok() {
                f.original = Some(f.profile.name.clone());
            }
            f.message = Some(message);
        }
    }

    /// The journal file of the open campaign (None until it is saved).
    pub(super) fn journal_path(&mut self) -> Option<PathBuf> {
        let file = self.doc.as_ref()?.file.clone()?;
        if let Some((campaign, journal)) = &self.send_ui.journal_of
            && *campaign == file
        {
            return Some(journal.clone());
        }
        let journal = journal::path_for(&self.config.paths.as_ref()?.journals(), &file);
        self.send_ui.journal_of = Some((file, journal.clone()));
        Some(journal)
    }

    pub(super) fn send_dialog(&mut self, ctx: &egui::Context) {
        self.send_ui.poll();
        if !self.send_ui.open {
            return;
        }
        // The journal of this campaign, shown from the start: after a
        // restart it tells where sending stopped.
        let wanted = if self.send_ui.dry_run {
            Some((
                DryRun::journal_path(&PathBuf::from(self.send_ui.dry_folder.trim())),
                true,
            ))
        } else {
            self.journal_path().map(|p| (p, false))
        };
        // The campaign's own journal, also during a dry run: the limits
        // are the campaign's.
        let real_journal = self.journal_path();
        if self.send_ui.job.is_none() {
            self.send_ui.follow_limits(real_journal.as_deref());
            match wanted {
                Some((path, dry))
                    if self
                        .send_ui
                        .journal
                        .as_ref()
                        .is_none_or(|(p, d, _)| *p != path || *d != dry) =>
                {
                    let view = View::read(&path).map_err(|e| e.to_string());
                    self.send_ui.journal = Some((path, dry, view));
                }
                Some(_) => {}
                // An unsaved campaign has no journal yet: none is shown
                // (never the journal of the campaign open before).
                None => self.send_ui.journal = None,
            }
        }
        self.start_check(ctx);
        let mut open = self.send_ui.open;
        let center = ctx.content_rect().center();
        egui::Window::new("Send e-mails")
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(center)
            .default_width(620.0)
            .max_height(ctx.content_rect().height() - 60.0)
            .vscroll(true)
            .show(ctx, |ui| self.send_body(ui));
        if !open && self.send_ui.job.is_some() {
            // Closing the window does not stop sending; say so.
            self.set_status(
                "Sending goes on in the background; open Send e-mails to follow it.",
                false,
            );
        }
        self.send_ui.open = open;
        if self.send_ui.job.is_some() {
            ctx.request_repaint_after(Duration::from_millis(250));
        }
    }

    /// Runs the pre-send check again when the letters, the recipients or the
    /// account changed.
    /// For the pre-send check of a real send: the sent ledgers, the chosen
    /// account's address and the campaign's journal, to learn what the
    /// account sent from other campaign files.
    fn ledger_to_check(
        &mut self,
        composer: &crate::compose::Composer,
        file: Option<&Path>,
        journal: Option<&Path>,
    ) -> Option<(session::LedgerTo, String, PathBuf)> {
        let paths = self.config.paths.clone()?;
        let (file, journal) = (file?, journal?);
        let name = self.send_ui.account.clone();
        if name.is_empty() {
            return None;
        }
        let profile = self.send_ui.profiles(Some(&paths)).get(&name).ok()?;
        Some((
            session::LedgerTo::new(&paths, composer, file),
            profile.from_email.clone(),
            journal.to_path_buf(),
        ))
    }

    fn start_check(&mut self, ctx: &egui::Context) {
        let Some(doc) = &self.doc else { return };
        let key = (
            doc.generation,
            self.recipients.selection.len(),
            self.send_ui.account.clone(),
            self.send_ui.dry_run,
            doc.file.clone(),
        );
        if self.send_ui.checked.as_ref() == Some(&key) || self.send_ui.check_job.is_some() || self.send_ui.job.is_some()
        {
            return;
        }
        self.send_ui.checked = Some(key);
        let composer = doc.composer.clone();
        let file = doc.file.clone();
        // A dry run keeps its journal in its folder.
        let unsaved = doc.file.is_none() && !self.send_ui.dry_run;
        let meps: Vec<Mep> = self.recipients().into_iter().cloned().collect();
        let today = self.today();
        let paths = self.config.paths.clone();
        let account = if self.send_ui.dry_run {
            Account::NotChecked
        } else if self.send_ui.account.is_empty() {
            Account::Missing
        } else {
            let name = self.send_ui.account.clone();
            Account::Checked(
                self.send_ui
                    .profiles(paths.as_ref())
                    .get(&name)
                    .and_then(Profile::validate),
            )
        };
        let journal = if self.send_ui.dry_run {
            None
        } else {
            self.journal_path()
        };
        let ledger = self.ledger_to_check(&composer, file.as_deref(), journal.as_deref());
        let to = session::PresendFor {
            account,
            ledger: ledger.map(|(ledger, sender, _)| (ledger, sender)),
            journal,
            unsaved,
        };
        self.send_ui.check = None;
        self.send_ui.check_job = Some(Job::spawn("hemicycle-check", ctx, move |_| {
            let list: Vec<&Mep> = meps.iter().collect();
            let plan = send::plan(&composer, &list, today).map_err(|e| e.to_string())?;
            Ok(session::presend(&plan, &composer, &to))
        }));
    }

    /// First: the pre-send check's findings.
    fn check_section(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Before sending").strong());
            if self.send_ui.check_job.is_some() && self.send_ui.check.is_some() {
                ui.spinner();
                ui.label("checking again…");
            }
        });
        match &self.send_ui.check {
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Checking every letter…");
                });
            }
            Some(Err(e)) => preview::problem(ui, &format!("The letters cannot be written: {e}")),
            Some(Ok(c)) => {
                let left = c.letters.saturating_sub(c.already_sent);
                ui.label(format!(
                    "{} letters with an e-mail address for {} selected MEPs; {} already sent, {left} to send.",
                    c.letters,
                    self.recipients.selection.len(),
                    c.already_sent
                ));
                if let Some(s) = c.similarity {
                    ui.label(format!("The letters are {:.0}% alike.", s.median * 100.0));
                }
                if c.findings.is_empty() {
                    ui.label("No problems found.");
                }
                for f in &c.findings {
                    let text = sentence(&f.text);
                    match f.severity {
                        Severity::Error => preview::problem(ui, &text),
                        Severity::Warning => preview::notice(ui, &text),
                    }
                }
            }
        }
    }

    /// Second: where the letters go: a mail account, or a dry run's folder.
    fn route_section(&mut self, ui: &mut egui::Ui) {
        ui.checkbox(&mut self.send_ui.dry_run, "Dry run: write .eml files, send nothing");
        if self.send_ui.dry_run {
            if self.send_ui.dry_folder.is_empty()
                && let Some(dir) = directories::UserDirs::new()
                    .map(|u| u.document_dir().unwrap_or(u.home_dir()).join("Hemicycle dry run"))
            {
                self.send_ui.dry_folder = dir.display().to_string();
            }
            ui.horizontal(|ui| {
                let l = ui.label("Dry-run folder");
                ui.add(egui::TextEdit::singleline(&mut self.send_ui.dry_folder).desired_width(360.0))
                    .labelled_by(l.id);
                if ui.button("Choose…").clicked() {
                    let start = Some(PathBuf::from(self.send_ui.dry_folder.trim())).filter(|p| p.is_dir());
                    self.files.ask(super::files::Purpose::DryRunFolder, start);
                }
            });
        } else {
            let names = self.account_names();
            ui.horizontal(|ui| {
                let l = ui.label("Mail account");
                let shown = if self.send_ui.account.is_empty() {
                    "(none yet)".to_owned()
                } else {
                    self.send_ui.account.clone()
                };
                let _ = egui::ComboBox::from_id_salt("Mail account")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for name in &names {
                            ui.selectable_value(&mut self.send_ui.account, name.clone(), name);
                        }
                    })
                    .response
                    .labelled_by(l.id);
                if ui.button("Account settings…").clicked() {
                    let name = self.send_ui.account.clone();
                    self.edit_account(Some(name.as_str()).filter(|n| !n.is_empty()));
                }
                let can_test = !self.send_ui.account.is_empty() && self.send_ui.test_job.is_none();
                if ui
                    .add_enabled(can_test, egui::Button::new("Send test to myself"))
                    .clicked()
                {
                    self.start_test_to_self(ui.ctx());
                }
            });
            if self.send_ui.form.is_some() {
                self.account_form(ui);
            }
        }
    }

    /// Second: the pace, office hours, daily cap (kept beside the journal
    /// as they change) and what to send again.
    fn pace_section(&mut self, ui: &mut egui::Ui) {
        if self.send_ui.limits.ui(ui)
            && let Some(journal) = self.send_ui.limits_of.clone()
            && let Err(e) = self.send_ui.limits.save(&journal)
        {
            self.set_status(e.to_string(), true);
        }
        ui.checkbox(
            &mut self.send_ui.resend_unconfirmed,
            "Send unconfirmed letters again (only after checking your Sent folder)",
        );
        ui.checkbox(
            &mut self.send_ui.resend_changed,
            "Send the new version to MEPs who got an earlier version",
        );
    }

    /// Third: the send under way: progress, pause and cancel.
    fn progress_section(&mut self, ui: &mut egui::Ui) {
        let p = self.send_ui.progress.lock().map(|p| p.clone()).unwrap_or_default();
        #[allow(clippy::cast_precision_loss)]
        let fraction = if p.total == 0 {
            0.0
        } else {
            p.done as f32 / p.total as f32
        };
        let eta = p
            .eta
            .filter(|_| p.done < p.total)
            .map(|e| format!(", about {} left", session::duration_words(e)))
            .unwrap_or_default();
        ui.add(egui::ProgressBar::new(fraction).text(format!(
            "{} of {}{eta} · {}",
            p.done,
            p.total,
            self.send_ui.limits.short()
        )));
        ui.label(format!(
            "{} sent, {} failed, {} unconfirmed",
            p.sent, p.failed, p.unconfirmed
        ));
        if let Some(notice) = &p.notice {
            preview::notice(ui, notice);
        }
        if self.send_ui.control.is_paused() {
            ui.label("Paused: the letter being sent (if any) finishes, then nothing more goes out until you resume.");
        } else if let Some(w) = &p.waiting {
            ui.label(sentence(w));
        } else if let Some(c) = &p.current {
            ui.label(format!("Sending to {c}"));
        } else if p.done < p.total {
            let gap = self.send_ui.limits.gap_secs();
            match p
                .next_letter_at
                .map(|at| at.saturating_duration_since(std::time::Instant::now()))
            {
                Some(left) => {
                    ui.label(format!(
                        "Next letter in {} (one every {gap} s).",
                        session::duration_words(left + Duration::from_millis(999))
                    ));
                    // Count down each second.
                    ui.ctx().request_repaint_after(Duration::from_millis(250));
                }
                None => {
                    ui.label(format!("Waiting before the next letter (one every {gap} s)."));
                }
            }
        }
        // Keep the journal view up to date as letters go out.
        if p.done != self.send_ui.journal_done {
            self.send_ui.journal_done = p.done;
            self.send_ui.reload_journal();
        }
        ui.horizontal(|ui| {
            if self.send_ui.control.is_paused() {
                if ui.button("Resume").clicked() {
                    self.send_ui.control.resume();
                }
            } else if ui.button("Pause").clicked() {
                self.send_ui.control.pause();
            }
            if ui.button("Cancel sending").clicked() {
                self.send_ui.control.cancel();
            }
        });
    }

    /// Third: the button that starts (or resumes) the send, unless the check
    /// found an error.
    fn start_button(&mut self, ui: &mut egui::Ui) {
        let blocked = self.send_ui.check_job.is_some()
            || match &self.send_ui.check {
                Some(Ok(c)) => c.findings.iter().any(|f| f.severity == Severity::Error),
                _ => true,
            };
        let left = match &self.send_ui.check {
            Some(Ok(c)) => c.letters.saturating_sub(c.already_sent),
            _ => 0,
        };
        let all_sent =
            !self.send_ui.dry_run && matches!(&self.send_ui.check, Some(Ok(c)) if c.already_sent > 0 && left == 0);
        let label = if self.send_ui.check.is_none() {
            "Checking the letters…".to_owned()
        } else if all_sent {
            "Every letter is sent".to_owned()
        } else if self.send_ui.dry_run {
            "Start dry run".to_owned()
        } else if matches!(&self.send_ui.check, Some(Ok(c)) if c.already_sent > 0) {
            format!("Resume sending ({left} left)")
        } else {
            format!(
                "Start sending ({left} {})",
                if left == 1 { "letter" } else { "letters" }
            )
        };
        if ui
            .add_enabled(!blocked && !all_sent, egui::Button::new(RichText::new(label).strong()))
            .clicked()
        {
            if self.send_ui.dry_run {
                self.start_send(ui.ctx());
            } else {
                self.send_ui.confirm = Some(self.confirm_question(left));
            }
        }
        self.confirm_send(ui.ctx());
        self.handover_button(ui, left);
    }

    /// "Open in my mail program…": for those who give Hemicycle no
    /// password. Needs no mail account, and stops at the check's other
    /// errors.
    fn handover_button(&mut self, ui: &mut egui::Ui, left: usize) {
        if self.send_ui.dry_run {
            return;
        }
        let blocked = match &self.send_ui.check {
            Some(Ok(c)) => c
                .findings
                .iter()
                .any(|f| f.severity == Severity::Error && f.text != check::NO_ACCOUNT),
            _ => true,
        };
        let running = self.send_ui.handover_job.is_some();
        if ui
            .add_enabled(
                !blocked && left > 0 && !running,
                egui::Button::new("Open in my mail program…"),
            )
            .on_hover_text("Each letter opens in your own mail program, ready to send from there; no password needed")
            .clicked()
        {
            self.send_ui.confirm_handover = Some(left);
        }
        let Some(letters) = self.send_ui.confirm_handover else {
            return;
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("confirm-handover")).show(ui.ctx(), |ui| {
            ui.set_max_width(440.0);
            ui.heading(format!(
                "Open {letters} {} in your mail program?",
                if letters == 1 { "letter" } else { "letters" }
            ));
            ui.label("Each opens in a window of its own, ready to send from there. Hemicycle notes that it handed them over, and does not hand them over again.");
            ui.horizontal(|ui| {
                if ui.button(RichText::new("Open them").strong()).clicked() {
                    answer = Some(true);
                }
                if ui.button("Not yet").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some(false);
                }
            });
        });
        if let Some(yes) = answer {
            self.send_ui.confirm_handover = None;
            if yes {
                self.start_handover(ui.ctx());
            }
        }
    }

    fn start_handover(&mut self, ctx: &egui::Context) {
        let Some(journal) = self.journal_path() else {
            self.send_ui.report = Some(Err("Save the campaign first.".to_owned()));
            return;
        };
        let Some(doc) = &self.doc else { return };
        let composer = doc.composer.clone();
        let file = doc.file.clone();
        let account = self.chosen_profile().ok();
        let drafts = self.config.paths.as_ref().map(crate::store::Paths::drafts);
        let meps: Vec<Mep> = self.recipients().into_iter().cloned().collect();
        let today = self.today();
        let opener = self.config.opener.clone();
        let ledger = self
            .config
            .paths
            .as_ref()
            .zip(file.as_ref())
            .map(|(paths, file)| session::LedgerTo::new(paths, &composer, file));
        self.send_ui.report = None;
        self.send_ui.handover_job = Some(Job::spawn("hemicycle-handover", ctx, move |_| {
            let list: Vec<&Mep> = meps.iter().collect();
            let plan = send::plan(&composer, &list, today).map_err(|e| e.to_string())?;
            let drafts = drafts.ok_or_else(|| "no folder for drafts was found (is HOME set?)".to_owned())?;
            let mut system = crate::deliver::mail_program::SystemOpener;
            let mut shared = opener;
            let opener: &mut dyn crate::deliver::mail_program::Opener = match shared.as_mut() {
                Some(o) => o,
                None => &mut system,
            };
            let report = session::hand_over(
                &composer,
                &plan,
                account.as_ref(),
                &journal,
                &drafts,
                &SendOptions::default(),
                opener,
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

    /// The question asked before real letters go out: how many, from which
    /// address, to how many people.
    fn confirm_question(&mut self, letters: usize) -> String {
        let from = self
            .chosen_profile()
            .map_or_else(|_| self.send_ui.account.clone(), |p| p.from_email);
        let people = self
            .recipients()
            .iter()
            .filter(|m| m.email.is_some())
            .count()
            .min(letters);
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let sent_today = match &self.send_ui.check {
            Some(Ok(c)) => c.sent_today,
            _ => 0,
        };
        format!(
            "Send {} from {from} to {} now?\n{}",
            plural(letters, "letter", "letters"),
            plural(people, "recipient", "recipients"),
            self.send_ui.limits.describe(letters, sent_today)
        )
    }

    /// Asks before a real send; starts it on "Send now".
    fn confirm_send(&mut self, ctx: &egui::Context) {
        let Some(question) = self.send_ui.confirm.clone() else {
            return;
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("confirm-send")).show(ctx, |ui| {
            ui.set_max_width(440.0);
            let (heading, limits) = question.split_once('\n').unwrap_or((question.as_str(), ""));
            ui.heading(heading);
            ui.label(RichText::new(limits).strong());
            ui.label("Each letter goes out as its own e-mail, at the pace you chose. You can pause or cancel while it runs; a letter sent cannot be taken back.");
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button(RichText::new("Send now").strong()).clicked() {
                    answer = Some(true);
                }
                if ui.button("Not yet").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some(false);
                }
            });
        });
        if let Some(yes) = answer {
            self.send_ui.confirm = None;
            if yes {
                self.start_send(ctx);
            }
        }
    }

    /// How the last run of the kind chosen (real or dry) ended.
    fn report_section(&self, ui: &mut egui::Ui) {
        let dry = self.send_ui.dry_run;
        let report = if dry {
            &self.send_ui.dry_report
        } else {
            &self.send_ui.report
        };
        match report {
            Some(Ok(r)) => {
                if r.sent.is_empty() && r.failed.is_empty() && r.skipped.is_empty() {
                    if let Some(said) = &r.stopped {
                        ui.label(said);
                    }
                } else {
                    let said = if dry {
                        format!(
                            "Dry run done: {} written as e-mail files, {} failed, {} skipped. Nothing was sent.",
                            r.sent.len(),
                            r.failed.len(),
                            r.skipped.len()
                        )
                    } else {
                        format!("Done: {}.", r.summary())
                    };
                    ui.label(RichText::new(said).strong());
                    for note in &r.notes {
                        preview::notice(ui, note);
                    }
                    if let Some(copies) = r.copies_line() {
                        ui.label(sentence(&copies));
                    }
                    if let Some(stopped) = &r.stopped {
                        preview::notice(ui, &format!("Stopped early: {stopped}"));
                    }
                }
            }
            Some(Err(e)) => preview::problem(ui, &sentence(e)),
            None => {}
        }
    }

    fn send_body(&mut self, ui: &mut egui::Ui) {
        let running = self.send_ui.job.is_some();
        // The choices first, then what the check found: a finding that
        // comes or goes after a choice moves nothing the pointer is on.
        ui.label(RichText::new("How").strong());
        ui.add_enabled_ui(!running, |ui| {
            self.route_section(ui);
            self.pace_section(ui);
        });
        ui.separator();
        self.check_section(ui);
        ui.separator();
        if running {
            self.progress_section(ui);
        } else {
            self.start_button(ui);
        }
        self.report_section(ui);
        ui.separator();
        self.journal_view(ui, running);
    }

    fn journal_view(&mut self, ui: &mut egui::Ui, running: bool) {
        // Taken out and put back, not cloned each frame.
        let Some(journal) = self.send_ui.journal.take() else {
            ui.label(RichText::new("Journal").strong());
            ui.label("The journal appears once the campaign is saved.");
            return;
        };
        let action = journal_table(ui, &journal, running);
        let path = journal.0.clone();
        self.send_ui.journal = Some(journal);
        if let Some((mep, decision)) = action {
            if let Err(e) = journal::settle(&path, &mep, decision) {
                self.set_status(e.to_string(), true);
            }
            self.send_ui.reload_journal();
            self.send_ui.checked = None;
        }
    }

    fn chosen_profile(&mut self) -> Result<Profile, String> {
        let paths = self.config.paths.clone();
        let name = self.send_ui.account.clone();
        let profile = self
            .send_ui
            .profiles(paths.as_ref())
            .get(&name)
            .map_err(|e| e.to_string())?
            .clone();
        profile.validate().map_err(|e| e.to_string())?;
        Ok(profile)
    }

    fn start_test_to_self(&mut self, ctx: &egui::Context) {
        let profile = match self.chosen_profile() {
            Ok(p) => p,
            Err(e) => {
                self.send_ui.report = Some(Err(e));
                return;
            }
        };
        let secrets = self.secrets();
        let Some(doc) = &self.doc else { return };
        let composer = doc.composer.clone();
        let meps: Vec<Mep> = self.recipients().into_iter().take(1).cloned().collect();
        let today = self.today();
        self.send_ui.report = None;
        self.send_ui.test_job = Some(Job::spawn("hemicycle-smtp-test", ctx, move |_| {
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
            resend_unconfirmed: self.send_ui.resend_unconfirmed,
            resend_changed: self.send_ui.resend_changed,
            ..SendOptions::default()
        };
        self.send_ui.limits.apply(&mut options)?;
        Ok(options)
    }

    /// Where the letters go and the journal that records them.
    fn send_route(&mut self) -> Result<(Route, PathBuf), String> {
        if self.send_ui.dry_run {
            let folder = PathBuf::from(self.send_ui.dry_folder.trim());
            if folder.as_os_str().is_empty() {
                return Err("Choose a folder for the dry run.".to_owned());
            }
            let route = Route::DryRun(folder);
            let journal = route.journal_path(Path::new(""));
            return Ok((route, journal));
        }
        let profile = self.chosen_profile()?;
        let journal = self
            .journal_path()
            .ok_or_else(|| "Save the campaign first.".to_owned())?;
        Ok((Route::Account(profile, self.secrets()), journal))
    }

    /// The options, route, journal and sender of the send the dialog sets
    /// up, with its limits kept beside the journal (a restart and "Resume
    /// sending" go on with the same); or why it cannot start, shown.
    fn prepare_send(&mut self) -> Option<(SendOptions, Route, PathBuf, Sender)> {
        let prepared = self.send_options().and_then(|opts| {
            let (route, journal) = self.send_route()?;
            // A dry run tries out the chosen account's sender, if there is one.
            let account = self.chosen_profile().ok();
            let doc = self.doc.as_ref().ok_or_else(|| "Open a campaign first.".to_owned())?;
            let sender = route
                .sender(&doc.composer, account.as_ref())
                .map_err(|e| sentence(&e.to_string()))?;
            if !self.send_ui.dry_run {
                self.send_ui.limits.save(&journal).map_err(|e| e.to_string())?;
                self.send_ui.limits_of = Some(journal.clone());
            }
            Ok((opts, route, journal, sender))
        });
        match prepared {
            Ok(p) => Some(p),
            Err(e) => {
                if self.send_ui.dry_run {
                    self.send_ui.dry_report = Some(Err(e));
                } else {
                    self.send_ui.report = Some(Err(e));
                }
                None
            }
        }
    }

    fn start_send(&mut self, ctx: &egui::Context) {
        let Some((opts, route, journal_path, sender)) = self.prepare_send() else {
            return;
        };
        let Some(doc) = &self.doc else { return };
        let composer = doc.composer.clone();
        let log = self.config.paths.as_ref().map(|paths| session::LogTo {
            file: paths.send_log(),
            campaign: doc
                .file
                .as_ref()
                .map_or_else(|| composer.campaign.title.clone(), |f| f.display().to_string()),
        });
        let ledger = if self.send_ui.dry_run {
            None
        } else {
            self.config
                .paths
                .as_ref()
                .zip(doc.file.as_ref())
                .map(|(paths, file)| session::LedgerTo::new(paths, &composer, file))
        };
        let session = Session {
            route,
            sender,
            options: opts,
            log,
            ledger,
        };
        let meps: Vec<Mep> = self.recipients().into_iter().cloned().collect();
        let today = self.today();
        self.send_ui.control = Arc::new(Control::default());
        self.send_ui.progress = Arc::new(Mutex::new(send::Progress::default()));
        self.send_ui.running_dry = self.send_ui.dry_run;
        if self.send_ui.dry_run {
            self.send_ui.dry_report = None;
        } else {
            self.send_ui.report = None;
        }
        if self.send_ui.journal.as_ref().is_none_or(|(p, _, _)| *p != journal_path) {
            let view = View::read(&journal_path).map_err(|e| e.to_string());
            self.send_ui.journal = Some((journal_path.clone(), self.send_ui.dry_run, view));
        }
        self.send_ui.journal_done = 0;
        let control = self.send_ui.control.clone();
        let progress = self.send_ui.progress.clone();
        let repaint = ctx.clone();
        self.send_ui.job = Some(Job::spawn("hemicycle-send", ctx, move |_| {
            let report = |p: &send::Progress| {
                if let Ok(mut slot) = progress.lock() {
                    *slot = p.clone();
                }
                repaint.request_repaint();
            };
            session
                .send_to(&composer, &meps, today, &journal_path, &control, &report)
                .map_err(|e| e.to_string())
        }));
    }
}

/// The journal: counts, and one row per letter, those that need attention
/// first. Returns the user's decision about an unconfirmed letter, if any.
fn journal_table(
    ui: &mut egui::Ui,
    (_, dry, view): &(PathBuf, bool, Result<View, String>),
    running: bool,
) -> Option<(String, journal::Settle)> {
    let dry = *dry;
    ui.label(RichText::new(if dry { "Journal of the dry run" } else { "Journal" }).strong());
    let view = match view {
        Ok(v) => v,
        Err(e) => {
            preview::problem(ui, e);
            return None;
        }
    };
    for w in &view.warnings {
        preview::notice(ui, w);
    }
    let (sent, failed, unconfirmed) = view.counts();
    ui.label(format!("{sent} sent, {failed} failed, {unconfirmed} unconfirmed."));
    let mut standings: Vec<Standing> = view.standings().into_values().collect();
    standings.sort_by_key(|s| match s {
        Standing::Unconfirmed { .. } => 0,
        Standing::NotSent { .. } => 1,
        Standing::Sent { .. } => 2,
    });
    let mut action = None;
    egui::ScrollArea::vertical()
        .id_salt("journal")
        .max_height(220.0)
        .show(ui, |ui| {
            egui::Grid::new("journal-grid")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for title in ["MEP", "Address", "State", "When and what"] {
                        ui.strong(title);
                    }
                    ui.end_row();
                    for s in &standings {
                        if let Some(decision) = journal_row(ui, s, dry, running) {
                            action = Some((s.record().mep.clone(), decision));
                        }
                        ui.end_row();
                    }
                });
        });
    action
}

/// One letter in the journal; an unconfirmed one has its two buttons.
fn journal_row(ui: &mut egui::Ui, s: &Standing, dry: bool, running: bool) -> Option<journal::Settle> {
    let r = s.record();
    ui.label(&r.name);
    ui.label(&r.to);
    let (state, color) = match s {
        Standing::Sent { record } if record.state == State::MarkedSent => {
            ("sent (marked by you)", ui.visuals().text_color())
        }
        Standing::Sent { .. } if dry => ("written", ui.visuals().text_color()),
        Standing::Sent { .. } => ("sent", ui.visuals().text_color()),
        Standing::NotSent { record } if record.state == State::Failed => ("failed", ui.visuals().error_fg_color),
        Standing::NotSent { .. } => ("not sent yet", ui.visuals().warn_fg_color),
        Standing::Unconfirmed { .. } => ("unconfirmed", ui.visuals().warn_fg_color),
    };
    ui.label(RichText::new(state).color(color));
    let mut decision = None;
    ui.horizontal(|ui| {
        ui.label(format!("{} · {}", local_time(&r.at), r.detail));
        if matches!(s, Standing::Unconfirmed { .. }) && !running && !dry {
            if ui.small_button(format!("Mark {} as sent", r.name)).clicked() {
                decision = Some(journal::Settle::MarkSent);
            }
            if ui.small_button(format!("Allow sending to {} again", r.name)).clicked() {
                decision = Some(journal::Settle::AllowAgain);
            }
        }
    });
    decision
}

/// A journal time (UTC) as the user's local time.
fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map_or_else(
        |_| rfc3339.to_owned(),
        |t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string(),
    )
}

/// The core's messages start in lower case (they follow "error: " on the
/// command line); in the window they stand alone.
pub(super) fn sentence(text: &str) -> String {
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
