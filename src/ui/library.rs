//! The demand-set library window: the demand sets that come with
//! Hemicycle and those in the user's folder, searchable by text and tag,
//! with a preview of the chosen set's demands. The window owns its state
//! and returns the set the user adds; the folders are read on a background
//! job.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::jobs::Job;
use crate::compose::library::{self, Entry};

type Scan = (Vec<Entry>, Vec<String>);

#[derive(Default)]
pub struct LibraryUi {
    open: bool,
    search: String,
    tag: String,
    selected: Option<PathBuf>,
    entries: Vec<Entry>,
    problems: Vec<String>,
    scan: Option<Job<Scan>>,
}

impl LibraryUi {
    /// Opens the window and reads the folders again, on a background job:
    /// the bundled sets (written under `examples` first, where missing) and
    /// the user's `own` folder.
    pub fn show(&mut self, ctx: &egui::Context, examples: PathBuf, own: PathBuf) {
        self.open = true;
        self.scan = Some(Job::spawn("hemicycle-demand-library", ctx, move |_| {
            let installed = crate::campaign::examples::install(&examples);
            let (entries, mut problems) = library::scan(&[(examples.join("demands"), true), (own, false)]);
            if let Err(e) = installed {
                problems.push(e.to_string());
            }
            (entries, problems)
        }));
    }

    /// Whether the folders are being read.
    pub fn busy(&self) -> bool {
        self.scan.is_some()
    }

    /// Draws the window; returns the demand set the user chose to add.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<PathBuf> {
        if let Some(job) = self.scan.as_mut()
            && let Some((entries, problems)) = job.poll()
        {
            self.entries = entries;
            self.problems = problems;
            self.scan = None;
        }
        if !self.open {
            return None;
        }
        let mut open = self.open;
        let mut chosen = None;
        egui::Window::new("Demand-set library")
            .open(&mut open)
            .default_size([640.0, 480.0])
            .collapsible(false)
            .show(ctx, |ui| chosen = self.body(ui));
        self.open = open && chosen.is_none();
        chosen
    }

    fn body(&mut self, ui: &mut egui::Ui) -> Option<PathBuf> {
        ui.horizontal(|ui| {
            let label = ui.label("Search the demand sets");
            ui.add(egui::TextEdit::singleline(&mut self.search).desired_width(220.0))
                .labelled_by(label.id);
            let label = ui.label("Tag");
            ui.add(egui::TextEdit::singleline(&mut self.tag).desired_width(120.0))
                .labelled_by(label.id);
        });
        if self.scan.is_some() {
            ui.label("Reading the demand sets…");
            return None;
        }
        for p in &self.problems {
            ui.label(RichText::new(p).small().color(ui.visuals().warn_fg_color));
        }
        let tag = Some(self.tag.trim()).filter(|t| !t.is_empty());
        let shown: Vec<&Entry> = self.entries.iter().filter(|e| e.matches(&self.search, tag)).collect();
        ui.label(format!("{} of {} demand sets", shown.len(), self.entries.len()));
        let mut chosen = None;
        egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
            for e in &shown {
                let selected = self.selected.as_ref() == Some(&e.path);
                let origin = if e.bundled { "comes with Hemicycle" } else { "yours" };
                let title = format!(
                    "{} — {} demands, {} sources cited ({origin})",
                    e.set.title,
                    e.set.demands.len(),
                    e.sources_cited
                );
                if ui.selectable_label(selected, title).clicked() {
                    self.selected = Some(e.path.clone());
                }
                if !e.set.description.is_empty() {
                    ui.label(RichText::new(&e.set.description).small());
                }
                if !e.tags.is_empty() {
                    ui.label(RichText::new(format!("Tags: {}", e.tags.join(", "))).small().weak());
                }
                if selected {
                    ui.indent(("demands", &e.path), |ui| {
                        for (i, d) in e.set.demands.iter().enumerate() {
                            ui.label(format!("{}. {}", i + 1, d.title));
                        }
                        if ui.button("Add to the campaign").clicked() {
                            chosen = Some(e.path.clone());
                        }
                    });
                }
                ui.separator();
            }
        });
        chosen
    }
}
