//! Mail accounts: the list and the form of Settings (also opened from the
//! send dialog), with Save and Test connection.

use std::sync::Arc;

use eframe::egui::{self, RichText};

use super::super::jobs::Job;
use super::super::preview;
use super::{Asked, Lent, SendPanel, sentence};
use crate::deliver::presets;
use crate::deliver::profile::{Profile, Profiles, Security};
use crate::deliver::secrets::Secrets;
use crate::deliver::sent_folder::SentFolder;
use crate::deliver::smtp::Smtp;
use crate::store::Paths;

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

impl SendPanel {
    /// The mail accounts, read once (a file that cannot be read is said,
    /// and no account is offered).
    pub(crate) fn profiles(&mut self, paths: Option<&Paths>) -> &Profiles {
        if self.accounts.profiles.is_none() {
            let loaded = paths.map_or_else(|| Ok(Profiles::default()), |p| Profiles::load(&p.profiles()));
            match loaded {
                Ok(p) => self.accounts.profiles = Some(p),
                Err(e) => {
                    self.accounts.error = Some(e.to_string());
                    self.accounts.profiles = Some(Profiles::default());
                }
            }
            if self.account.is_empty()
                && let Some(first) = self.accounts.profiles.as_ref().and_then(|p| p.accounts.first())
            {
                self.account.clone_from(&first.name);
            }
        }
        self.accounts.profiles.get_or_insert_with(Profiles::default)
    }

    pub(super) fn account_names(&mut self, paths: Option<&Paths>) -> Vec<String> {
        self.profiles(paths).accounts.iter().map(|p| p.name.clone()).collect()
    }

    /// The chosen account, checked.
    pub(super) fn chosen_profile(&mut self, paths: Option<&Paths>) -> Result<Profile, String> {
        let name = self.account.clone();
        let profile = self.profiles(paths).get(&name).map_err(|e| e.to_string())?.clone();
        profile.validate().map_err(|e| e.to_string())?;
        Ok(profile)
    }

    /// Settings → Mail accounts.
    pub fn mail_accounts_ui(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>) -> Vec<Asked> {
        let mut asked = Vec::new();
        ui.label(RichText::new("Mail accounts").strong());
        let names = self.account_names(lent.paths);
        if let Some(e) = &self.accounts.error {
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
                    self.edit_account(Some(name), lent);
                    opened = true;
                }
                if ui.button(format!("Remove {name}")).clicked() {
                    asked.extend(self.remove_account(name, lent));
                }
            });
        }
        if self.form.is_none() && ui.button("Add a mail account").clicked() {
            self.edit_account(None, lent);
            opened = true;
        }
        let form = ui.scope(|ui| self.account_form(ui, lent)).response;
        // The form opens below the list: brought into view (Settings scrolls).
        if opened {
            form.scroll_to_me(Some(egui::Align::TOP));
        }
        asked
    }

    pub(super) fn edit_account(&mut self, name: Option<&str>, lent: &Lent<'_>) {
        let profile = name.and_then(|n| self.profiles(lent.paths).get(n).ok().cloned());
        // The saved password is not read back into the form: the keyring is
        // asked only from background threads, when a password is needed.
        let original = profile.as_ref().map(|p| p.name.clone());
        let profile = profile.unwrap_or_else(|| {
            let org = lent
                .composer
                .map(|c| c.campaign.organisation.clone())
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
        });
        let host = profile.host.trim().to_owned();
        let provider = presets::all()
            .into_iter()
            .find(|pr| !host.is_empty() && pr.smtp_host.eq_ignore_ascii_case(&host))
            .map(|pr| pr.name);
        self.form = Some(AccountForm {
            original,
            profile,
            password: crate::deliver::secrets::Password::new(String::new()),
            message: None,
            provider,
        });
    }

    fn remove_account(&mut self, name: &str, lent: &Lent<'_>) -> Option<Asked> {
        let mut profiles = self.profiles(lent.paths).clone();
        if let Some(p) = profiles.remove(name) {
            let key = p.secret_key();
            let secrets = lent.secrets.clone();
            let _ = std::thread::Builder::new()
                .name("hemicycle-keyring".to_owned())
                .spawn(move || secrets.delete(&key));
        }
        let said = lent.paths.map(|paths| match profiles.save(&paths.profiles()) {
            Ok(()) => Asked::Status(format!("Removed the mail account \"{name}\"."), false),
            Err(e) => Asked::Status(e.to_string(), true),
        });
        if self.account == name {
            self.account.clear();
        }
        self.accounts.profiles = Some(profiles);
        said
    }

    /// The account being edited: fields, Save, Test connection.
    pub(super) fn account_form(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>) {
        if self.form.is_none() {
            return;
        }
        let keyring = lent.secrets.describe();
        if let Some(note) = lent.secrets.note() {
            preview::notice(ui, &sentence(&note));
        }
        let testing = self.test_job.is_some();
        let Some(form) = self.form.as_mut() else { return };
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
            self.save_account(ui.ctx(), lent);
        }
        if test {
            self.test_connection(ui.ctx(), lent.secrets.clone());
        }
        if close {
            self.form = None;
        }
    }

    /// "Test connection": the SMTP server, and the IMAP server when a copy
    /// in Sent is kept.
    fn test_connection(&mut self, ctx: &egui::Context, secrets: Arc<dyn Secrets>) {
        let Some(form) = self.form.clone() else { return };
        if let Err(e) = form.profile.validate() {
            if let Some(f) = self.form.as_mut() {
                f.message = Some(Err(e.to_string()));
            }
            return;
        }
        let typed = Some(form.password.to_string()).filter(|p| !p.is_empty());
        self.test_job = Some(Job::spawn("hemicycle-smtp-test", ctx, move |_| {
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

    fn save_account(&mut self, ctx: &egui::Context, lent: &Lent<'_>) {
        let Some(form) = self.form.clone() else { return };
        let message = (|| -> Result<String, String> {
            form.profile.validate().map_err(|e| e.to_string())?;
            let mut profiles = self.profiles(lent.paths).clone();
            if let Some(old) = &form.original
                && !old.eq_ignore_ascii_case(&form.profile.name)
            {
                profiles.remove(old);
            }
            profiles.upsert(form.profile.clone());
            let Some(paths) = lent.paths else {
                return Err("no folder for Hemicycle's settings was found".to_owned());
            };
            profiles.save(&paths.profiles()).map_err(|e| e.to_string())?;
            self.accounts.profiles = Some(profiles);
            self.account.clone_from(&form.profile.name);
            Ok(format!("Saved the mail account \"{}\".", form.profile.name))
        })();
        // The password goes to the keyring on a thread of its own (a keyring
        // may show an unlock prompt); the answer replaces the message.
        if message.is_ok() && !form.password.is_empty() {
            let said = message.clone().unwrap_or_default();
            let (key, password) = (form.profile.secret_key(), form.password.to_string());
            let secrets = lent.secrets.clone();
            self.test_job = Some(Job::spawn("hemicycle-keyring", ctx, move |_| {
                secrets
                    .set(&key, &password)
                    .map(|()| format!("{said} The password is kept in {}.", secrets.describe()))
                    .map_err(|e| e.to_string())
            }));
        }
        if let Some(f) = self.form.as_mut() {
            if message.is_ok() {
                f.original = Some(f.profile.name.clone());
            }
            f.message = Some(message);
        }
    }
}
