//! File → Follow up…: a window that makes the follow-up of the saved
//! campaign (see `deliver::followup`): the waiting time, whom it goes to
//! and whom it leaves out and why, then "Make the follow-up", which saves
//! `CAMPAIGN-followup.toml` beside the campaign and asks the app to open it
//! (through the replace gate). The journal and responses are read and the
//! letters composed on a background job. The window owns its state and
//! returns what the user asked as [`Asked`].

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::jobs::Job;
use crate::deliver::followup::{self, Sources};
use crate::directory::Mep;

/// What the user asked of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// Open the follow-up just saved.
    Open(PathBuf),
}

/// What the job found: the file to write, the campaign, and the lists.
struct Found {
    out: PathBuf,
    campaign: crate::campaign::Campaign,
    chosen: Vec<String>,
    left_out: Vec<String>,
    warnings: Vec<String>,
}

/// Where the campaign was saved and sent from.
pub struct Source {
    pub file: PathBuf,
    pub journal: PathBuf,
    pub responses: PathBuf,
    /// The campaign's recipients, in the order letters are numbered.
    pub meps: Vec<Mep>,
}

pub struct FollowUpUi {
    pub open: bool,
    after: String,
    found: Option<Result<Found, String>>,
    job: Option<Job<Result<Found, String>>>,
}

impl Default for FollowUpUi {
    fn default() -> Self {
        Self {
            open: false,
            after: "14d".to_owned(),
            found: None,
            job: None,
        }
    }
}

impl FollowUpUi {
    /// Draws the window; `source` (called when the user asks) is `None`
    /// while the campaign is not saved.
    pub fn ui(&mut self, ctx: &egui::Context, source: impl FnOnce() -> Option<Source>) -> Option<Asked> {
        if let Some(job) = self.job.as_mut()
            && let Some(found) = job.poll()
        {
            self.found = Some(found);
            self.job = None;
        }
        if !self.open {
            return None;
        }
        let mut open = self.open;
        let mut asked = None;
        egui::Window::new("Follow up")
            .open(&mut open)
            .default_width(460.0)
            .show(ctx, |ui| asked = self.body(ui, source));
        self.open = open;
        asked
    }

    fn body(&mut self, ui: &mut egui::Ui, source: impl FnOnce() -> Option<Source>) -> Option<Asked> {
        ui.label("A new campaign to the MEPs who did not answer (automatic replies and delays count as no answer), each letter a reply in its thread with the original quoted.");
        ui.horizontal(|ui| {
            let label = ui.label("Letters sent at least this long ago:");
            ui.add(egui::TextEdit::singleline(&mut self.after).desired_width(60.0))
                .labelled_by(label.id);
            let busy = self.job.is_some();
            if ui.add_enabled(!busy, egui::Button::new("Find them")).clicked() {
                match source() {
                    Some(source) => self.start(ui.ctx(), source),
                    None => {
                        self.found = Some(Err(
                            "Save the campaign and send it first: a follow-up answers the letters its journal records."
                                .to_owned(),
                        ));
                    }
                }
            }
            if busy {
                ui.spinner();
            }
        });
        match &self.found {
            None => None,
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                None
            }
            Some(Ok(found)) => Self::found_ui(ui, found),
        }
    }

    fn found_ui(ui: &mut egui::Ui, found: &Found) -> Option<Asked> {
        ui.label(RichText::new(format!("To {} MEP(s):", found.chosen.len())).strong());
        egui::ScrollArea::vertical().max_height(160.0).show(ui, |ui| {
            for name in &found.chosen {
                ui.label(name);
            }
            for line in &found.left_out {
                ui.label(RichText::new(line).weak());
            }
            for w in &found.warnings {
                ui.label(RichText::new(w).color(ui.visuals().warn_fg_color));
            }
        });
        let can = !found.chosen.is_empty() && !found.out.exists();
        if found.out.exists() {
            ui.label(format!("{} already exists; move it away first.", found.out.display()));
        }
        if ui.add_enabled(can, egui::Button::new("Make the follow-up")).clicked() {
            return match found.campaign.save(&found.out, None) {
                Ok(()) => Some(Asked::Open(found.out.clone())),
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                    None
                }
            };
        }
        None
    }

    fn start(&mut self, ctx: &egui::Context, source: Source) {
        let after = self.after.clone();
        self.found = None;
        self.job = Some(Job::spawn("hemicycle-followup", ctx, move |_| find(&source, &after)));
    }
}

/// The job: reads the journal and responses, composes the follow-up.
fn find(source: &Source, after: &str) -> Result<Found, String> {
    let after = followup::parse_after(after)?;
    let composer = crate::compose::Composer::open(&source.file, None).map_err(|e| e.to_string())?;
    let meps: Vec<&Mep> = source.meps.iter().collect();
    let sources = Sources {
        journal: &source.journal,
        responses: &source.responses,
        now: chrono::Utc::now(),
        after,
    };
    let (selection, made) = followup::prepare(&composer, &source.file, &meps, &sources).map_err(|e| e.to_string())?;
    let name_of = |id: &str| selection.chosen.iter().find(|c| c.mep == id).map(|c| c.name.clone());
    let chosen = made
        .campaign
        .followup
        .as_ref()
        .map(|f| f.letters.keys().filter_map(|id| name_of(id)).collect())
        .unwrap_or_default();
    Ok(Found {
        out: followup::file_beside(&source.file),
        chosen,
        left_out: selection
            .left_out
            .iter()
            .map(|(id, name, why)| format!("Left out: {name} ({id}): {why}"))
            .collect(),
        warnings: made.warnings,
        campaign: made.campaign,
    })
}

/// Where the saved campaign of `doc` was sent from: its journal, and the
/// responses file of its organisation's address; `None` while unsaved.
pub fn source(doc: &super::state::Doc, meps: Vec<Mep>, paths: &crate::store::Paths) -> Option<Source> {
    let file = doc.file.clone()?;
    let sender = doc.composer.campaign.organisation.email.trim().to_owned();
    Some(Source {
        journal: crate::deliver::journal::path_for(&paths.journals(), &file),
        responses: crate::deliver::responses::path_for(&paths.ledgers(), &sender),
        file,
        meps,
    })
}
