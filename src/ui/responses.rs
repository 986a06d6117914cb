//! The Responses window: who answered the open campaign's letters. It owns
//! its state (the account and folders to read, the reading job, what was
//! found, the MEP whose reply is open) and returns what it asks of the app
//! as [`Asked`]. Reading the Inbox (IMAP, read-only) and loading the
//! responses file run on a named background thread (`ui::jobs`); nothing
//! leaves the computer.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use eframe::egui::{self, RichText};

use super::jobs::Job;
use crate::deliver::profile::Profile;
use crate::deliver::responses::summary::{self, Summary};
use crate::deliver::responses::{self, Answer, CampaignResponses, Files, MepState};
use crate::deliver::secrets::Secrets;
use crate::deliver::send::Sender;
use crate::directory::Directory;

/// A campaign's responses files: its journal, the ledgers' folder and the
/// sender of the mail account named `account` (none when there is no such
/// account).
pub fn files_for(journal: PathBuf, ledgers: PathBuf, accounts: &[Profile], account: &str) -> Option<Files> {
    let profile = accounts.iter().find(|p| p.name == account)?;
    Some(Files {
        ledgers,
        sender: Sender::from_profile(profile).from_email,
        journal,
    })
}

/// What the window asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// Show this MEP in the recipients tab (to correct a bounced address).
    ShowMep(String),
    /// The addresses letters bounced from, with when and why: for the
    /// MEPs' details.
    Bounced(HashMap<String, String>),
}

/// What the window is lent to draw and read.
pub struct Lent<'a> {
    /// The campaign's journal (none while the campaign is not saved).
    pub journal: Option<PathBuf>,
    /// The sent ledgers' folder.
    pub ledgers: Option<PathBuf>,
    pub accounts: &'a [Profile],
    pub secrets: Arc<dyn Secrets>,
    pub directory: &'a Directory,
}

/// A reading's outcome: what it said (or its error), what is stored, and
/// the addresses letters bounced from (for the MEP's details).
type Outcome = (
    Option<Result<String, String>>,
    Result<CampaignResponses, String>,
    HashMap<String, String>,
);

#[derive(Default)]
pub struct ResponsesUi {
    pub open: bool,
    account: String,
    /// Folders to read besides INBOX, separated by commas.
    folders: String,
    job: Option<Job<Outcome>>,
    said: Option<Result<String, String>>,
    found: Option<Result<CampaignResponses, String>>,
    summary: Option<Summary>,
    /// The MEP whose responses are shown.
    shown: Option<String>,
    by_summary: bool,
}

impl ResponsesUi {
    /// Opens the window with the stored responses (read again on a job).
    pub fn show(&mut self, ctx: &egui::Context, lent: &Lent, account: &str) {
        self.open = true;
        if self.account.is_empty() {
            account.clone_into(&mut self.account);
        }
        self.start(ctx, lent, false);
    }

    fn files(&self, lent: &Lent) -> Result<(Files, Profile), String> {
        let journal = lent.journal.clone().ok_or(
            "Save the campaign and send it first: its replies are matched to the letters its journal records.",
        )?;
        let ledgers = lent
            .ledgers
            .clone()
            .ok_or("Hemicycle has no data folder on this computer.")?;
        let profile = lent
            .accounts
            .iter()
            .find(|p| p.name == self.account)
            .cloned()
            .ok_or("Choose the mail account the letters went from.")?;
        let files = files_for(journal, ledgers, std::slice::from_ref(&profile), &self.account)
            .ok_or("Choose the mail account the letters went from.")?;
        Ok((files, profile))
    }

    /// Starts a job: reads the Inbox first when `read` is set, then loads
    /// what is stored.
    fn start(&mut self, ctx: &egui::Context, lent: &Lent, read: bool) {
        let (files, profile) = match self.files(lent) {
            Ok(f) => f,
            Err(e) => {
                self.found = Some(Err(e));
                return;
            }
        };
        let secrets = lent.secrets.clone();
        let folders = responses::imap::folders(self.folders.split(','));
        self.job = Some(Job::spawn("hemicycle-responses", ctx, move |reporter| {
            let said = read.then(|| {
                let password =
                    crate::deliver::session::password_for(secrets.as_ref(), &profile).map_err(|e| e.to_string())?;
                let request = responses::imap::Request {
                    profile,
                    password,
                    folders,
                    since: chrono::NaiveDate::MIN,
                    timeout: Duration::from_secs(30),
                };
                let mut progress = |done, total| reporter.progress(done, total, "Reading new messages");
                responses::read_new(&files, request, &mut progress, reporter.cancel_flag())
                    .map(|r| r.words())
                    .map_err(|e| e.to_string())
            });
            let bounced = responses::bounced(&files.ledgers)
                .into_iter()
                .map(|(to, b)| (to, b.words()))
                .collect();
            (said, responses::of_campaign(&files).map_err(|e| e.to_string()), bounced)
        }));
    }

    /// Takes a finished job's outcome; returns the bounced addresses it found.
    fn poll(&mut self, directory: &Directory) -> Option<HashMap<String, String>> {
        let (said, found, bounced) = self.job.as_mut()?.poll()?;
        {
            self.job = None;
            if said.is_some() {
                self.said = said;
            }
            self.summary = found.as_ref().ok().map(|f| summary::summarize(&f.states, directory));
            self.found = Some(found);
        }
        Some(bounced)
    }

    /// Draws the window.
    pub fn ui(&mut self, ctx: &egui::Context, lent: &Lent) -> Vec<Asked> {
        let mut asked: Vec<Asked> = self.poll(lent.directory).map(Asked::Bounced).into_iter().collect();
        if !self.open {
            return asked;
        }
        let mut open = self.open;
        let max_height = (ctx.content_rect().height() - 80.0).max(200.0);
        egui::Window::new("Responses")
            .open(&mut open)
            .default_size([720.0, 480.0])
            .max_height(max_height)
            .collapsible(false)
            .show(ctx, |ui| self.body(ui, lent, &mut asked));
        self.open = open;
        asked
    }

    fn body(&mut self, ui: &mut egui::Ui, lent: &Lent, asked: &mut Vec<Asked>) {
        ui.label("Replies, automatic replies and bounces, read from the account's Inbox without changing it. Nothing leaves this computer.");
        self.controls(ui, lent);
        match &self.said {
            Some(Ok(words)) => {
                ui.label(words);
            }
            Some(Err(e)) => super::preview::problem(ui, e),
            None => {}
        }
        let Some(found) = &self.found else { return };
        let found = match found {
            Ok(f) => f.clone(),
            Err(e) => {
                super::preview::problem(ui, e);
                return;
            }
        };
        for w in &found.warnings {
            ui.label(RichText::new(w).weak());
        }
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.by_summary, false, "Per MEP");
            ui.selectable_value(&mut self.by_summary, true, "Summary");
            if ui.button("Copy as CSV").clicked() {
                let csv = if self.by_summary {
                    self.summary.as_ref().map(summary::summary_csv).unwrap_or_default()
                } else {
                    summary::meps_csv(&found.states, lent.directory)
                };
                ui.ctx().copy_text(csv);
            }
        });
        ui.separator();
        if self.by_summary {
            if let Some(s) = &self.summary {
                summary_ui(ui, s);
            }
        } else {
            self.states_ui(ui, &found, asked);
        }
    }

    fn controls(&mut self, ui: &mut egui::Ui, lent: &Lent) {
        ui.horizontal(|ui| {
            let label = ui.label("Mail account");
            egui::ComboBox::from_id_salt("responses-account")
                .selected_text(&self.account)
                .show_ui(ui, |ui| {
                    for p in lent.accounts {
                        ui.selectable_value(&mut self.account, p.name.clone(), &p.name);
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label("Other folders");
            ui.add(
                egui::TextEdit::singleline(&mut self.folders)
                    .desired_width(160.0)
                    .hint_text("MEPs, Archive"),
            )
            .labelled_by(label.id);
            if let Some(job) = &self.job {
                ui.spinner();
                ui.label(format!("{} of {}", job.progress.done, job.progress.total));
                if ui.button("Stop").clicked() {
                    job.cancel();
                }
            } else if ui.button("Read new messages").clicked() {
                self.start(ui.ctx(), lent, true);
            }
        });
    }

    fn states_ui(&mut self, ui: &mut egui::Ui, found: &CampaignResponses, asked: &mut Vec<Asked>) {
        if found.states.is_empty() {
            ui.label("No letter of this campaign went out from a mail account yet.");
            return;
        }
        egui::ScrollArea::vertical()
            .id_salt("responses-states")
            .max_height(240.0)
            .show(ui, |ui| {
                egui::Grid::new("responses-grid").striped(true).show(ui, |ui| {
                    for s in found.states.values() {
                        ui.label(&s.name);
                        ui.label(s.answer.words());
                        ui.label(detail(s));
                        let read = match s.answer {
                            Answer::Replied => "Read the reply",
                            Answer::AutoReplied => "Read the automatic reply",
                            _ => "Read the report",
                        };
                        if !s.responses.is_empty() && ui.button(read).clicked() {
                            self.shown = Some(s.mep.clone());
                        }
                        if s.answer == Answer::Failed && ui.button("Correct the address…").clicked() {
                            asked.push(Asked::ShowMep(s.mep.clone()));
                        }
                        ui.end_row();
                    }
                });
            });
        if !found.unrelated.is_empty() {
            ui.collapsing(format!("Not related ({})", found.unrelated.len()), |ui| {
                for r in &found.unrelated {
                    ui.label(format!("{} · {} · {} — {}", r.day(), r.from, r.subject, r.note));
                }
            });
        }
        let Some(state) = self.shown.as_ref().and_then(|m| found.states.get(m)) else {
            return;
        };
        ui.separator();
        ui.label(RichText::new(format!("{}: {}", state.name, state.answer.words())).strong());
        egui::ScrollArea::vertical()
            .id_salt("responses-text")
            .max_height(220.0)
            .show(ui, |ui| {
                for r in &state.responses {
                    ui.label(RichText::new(format!("{} · {} · {}", r.date, r.from, r.subject)).weak());
                    let body = if r.text.is_empty() { &r.diagnostic } else { &r.text };
                    ui.add(egui::Label::new(body.as_str()).selectable(true));
                }
            });
    }
}

/// The date and details of an MEP's state, in words.
fn detail(s: &MepState) -> String {
    let day = s.at.as_deref().map(|d| d.get(..10).unwrap_or(d)).unwrap_or_default();
    match (s.answer, &s.latest) {
        (Answer::Replied, _) => format!(
            "{day}, after {}",
            s.answered_after_secs.map(summary::duration_words).unwrap_or_default()
        ),
        (Answer::AutoReplied, Some(r)) => match &r.back_on {
            Some(b) => format!("{day}, back on {b}"),
            None => day.to_owned(),
        },
        (Answer::Failed | Answer::Delayed, Some(r)) => format!("{day}: {} {}", r.status, r.diagnostic),
        _ => String::new(),
    }
}

fn summary_ui(ui: &mut egui::Ui, s: &Summary) {
    egui::ScrollArea::vertical()
        .id_salt("responses-summary")
        .max_height(360.0)
        .show(ui, |ui| {
            egui::Grid::new("responses-summary-grid").striped(true).show(ui, |ui| {
                for head in [
                    "",
                    "sent",
                    "answered",
                    "median time",
                    "automatic",
                    "bounced",
                    "delayed",
                    "no answer yet",
                ] {
                    ui.label(RichText::new(head).strong());
                }
                ui.end_row();
                let rows = std::iter::once(&s.all).chain(&s.by_group).chain(&s.by_country);
                for r in rows {
                    ui.label(&r.key);
                    for n in [r.sent, r.answered] {
                        ui.label(n.to_string());
                    }
                    ui.label(r.median_secs.map_or_else(|| "–".to_owned(), summary::duration_words));
                    for n in [r.auto_replies, r.bounced, r.delayed, r.no_answer] {
                        ui.label(n.to_string());
                    }
                    ui.end_row();
                }
            });
        });
}

impl ResponsesUi {
    /// Whether a reading runs.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }
}
