//! The volunteer mode: the way through a campaign kit, step by step — about
//! you → your MEPs (suggested by the kit's rule) → your words (the kit's
//! questions, with the letter beside) → send from your own mailbox
//! (`volunteer_send`) → done. It opens by itself when a kit is opened (or
//! a volunteer's own copy of one), and then the app shows nothing of the
//! NGO's screens; File → Write to your MEPs… brings it back, "Full app"
//! leaves it.

use eframe::egui::{self, RichText};
use serde::{Deserialize, Serialize};

use std::path::{Path, PathBuf};

use super::commands::Command;
use super::files::Purpose;
use super::fit::Fit;
use super::volunteer_send::{Asked, Lent, SendStep};
use super::{App, preview};
use crate::deliver::journal::View;
use crate::directory::countries::COUNTRIES;

/// Who the volunteer is, remembered in the settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AboutYou {
    pub name: String,
    pub town: String,
    /// ISO code ("PL").
    pub country: String,
    pub email: String,
}

impl AboutYou {
    fn complete(&self) -> bool {
        !self.name.trim().is_empty() && !self.country.is_empty() && self.email.contains('@')
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Step {
    #[default]
    About,
    Meps,
    Words,
    Send,
    Done,
}

impl Step {
    const ALL: [Step; 5] = [Step::About, Step::Meps, Step::Words, Step::Send, Step::Done];

    fn title(self) -> &'static str {
        match self {
            Step::About => "About you",
            Step::Meps => "Your MEPs",
            Step::Words => "Your words",
            Step::Send => "Send",
            Step::Done => "Done",
        }
    }
}

/// The volunteer mode's state. While it is open the app shows only the
/// guided steps and the letter: none of the NGO's screens (welcome, tabs,
/// send dialog).
#[derive(Default)]
pub struct VolunteerUi {
    pub open: bool,
    step: Step,
    /// The suggested MEPs (ids) and whether each is ticked.
    offered: Vec<(String, bool)>,
    /// Step 4.
    send: SendStep,
    /// The open kit's signature in words, and whether it warns (unsigned).
    pub kit_said: Option<(String, bool)>,
    /// Why the last kit was not opened.
    pub kit_refused: Option<String>,
}

impl VolunteerUi {
    /// Starts the flow from the first step.
    pub fn start(&mut self) {
        self.open = true;
        self.step = Step::About;
        self.offered.clear();
        self.send.reset();
        self.kit_refused = None;
    }

    pub fn busy(&self) -> bool {
        self.send.busy()
    }
}

impl App {
    /// One frame of the volunteer mode: the steps beside their letter.
    pub(super) fn volunteer_frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        // The NGO's dialogs never open here.
        self.dialogs.welcome = false;
        self.send_ui.open = false;
        self.take_letters_folder();
        egui::Panel::top("volunteer-top").show(ui, |ui| {
            let room = Fit::room(ui);
            self.volunteer_header(ui);
            self.fit.panel("volunteer header", room, ui);
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            let room = Fit::room(ui);
            self.status_bar(ui);
            self.fit.panel("status bar", room, ui);
        });
        egui::CentralPanel::default().show(ui, |ui| self.volunteer_body(ui));
        let save = self.commands.contains(&Command::Save);
        self.commands.retain(|c| matches!(c, Command::Undo | Command::Redo));
        if save {
            self.save_letters();
        }
        self.draw_dialogs(&ctx);
        self.run_commands(&ctx);
        self.guard_close(&ctx);
        self.note_layout(&ctx);
        self.fit.end_frame(&ctx);
        self.autosave();
    }

    /// The title, the kit's signature and the steps.
    fn volunteer_header(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.heading("Write to your MEPs");
            if let Some(doc) = &self.doc {
                ui.label(RichText::new(doc.composer.campaign.title.clone()).strong());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .small_button("Full app")
                    .on_hover_text("Leave the guided steps for Hemicycle's full screens (for campaign staff)")
                    .clicked()
                {
                    self.volunteer_ui.open = false;
                }
                if ui.small_button("Open another kit…").clicked() {
                    self.files.ask(Purpose::OpenKit, None);
                }
            });
        });
        if let Some((said, warn)) = &self.volunteer_ui.kit_said {
            let color = if *warn {
                ui.visuals().warn_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(said).color(color));
        }
        ui.horizontal_wrapped(|ui| {
            for (i, step) in Step::ALL.iter().enumerate() {
                let text = format!("{}. {}", i + 1, step.title());
                let current = *step == self.volunteer_ui.step;
                ui.label(if current {
                    RichText::new(text).strong()
                } else {
                    RichText::new(text).weak()
                });
            }
        });
    }

    /// The current step on the left, the letter on the right; or why there
    /// is nothing to show.
    fn volunteer_body(&mut self, ui: &mut egui::Ui) {
        if self.kit_ui.busy() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Checking the kit…");
            });
            return;
        }
        if let Some(why) = self.volunteer_ui.kit_refused.clone() {
            preview::problem(ui, &why);
        }
        if self.doc.is_none() {
            ui.label("Open the campaign kit you were sent: it holds the letter and the questions for you.");
            if ui.button("Open a campaign kit…").clicked() {
                self.files.ask(Purpose::OpenKit, None);
            }
            return;
        }
        let width = ui.available_width();
        egui::Panel::left("volunteer-steps")
            .resizable(true)
            .default_size((width * 0.5).max(380.0))
            .size_range(340.0..=(width * 0.65).max(360.0))
            .show(ui, |ui| {
                egui::ScrollArea::vertical().id_salt("volunteer-step").show(ui, |ui| {
                    let room = Fit::room(ui);
                    match self.volunteer_ui.step {
                        Step::About => self.about_step(ui),
                        Step::Meps => self.meps_step(ui),
                        Step::Words => self.words_step(ui),
                        Step::Send => self.send_step(ui),
                        Step::Done => self.done_step(ui),
                    }
                    self.fit.panel("volunteer steps", room, ui);
                });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            self.update_preview();
            ui.label(RichText::new("Your letter").strong());
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt("volunteer-letter")
                .auto_shrink([false, false])
                .show(ui, |ui| match &self.preview.letter {
                    Some(Ok(letter)) => preview::letter(ui, letter),
                    Some(Err(e)) => {
                        preview::problem(ui, &format!("The letter cannot be shown: {e}"));
                        if let Some(letter) = self.last_good_letter() {
                            preview::letter(ui, letter);
                        }
                    }
                    None => {
                        ui.label("Your letter shows here once you have chosen your MEPs.");
                    }
                });
        });
    }

    /// Keeps the volunteer's letters: where they chose before, else asks
    /// for a folder (the file is named for them).
    fn save_letters(&mut self) {
        if self.campaign_file().is_some() {
            self.save();
            return;
        }
        let start = directories::UserDirs::new().map(|u| u.document_dir().unwrap_or(u.home_dir()).to_path_buf());
        self.files.ask(Purpose::LettersFolder, start);
    }

    /// The folder the volunteer chose: their letters go into a file of
    /// their own there, never over another file.
    fn take_letters_folder(&mut self) {
        let Some(folder) = self.files.take(Purpose::LettersFolder) else {
            return;
        };
        let who = self
            .settings
            .about_you
            .as_ref()
            .map(|a| a.name.trim().to_owned())
            .unwrap_or_default();
        let title = self.campaign().map(|c| c.title.clone()).unwrap_or_default();
        if let Err(e) = std::fs::create_dir_all(&folder) {
            self.set_status(
                format!(
                    "Your letters were not kept: the folder could not be made ({e}): {}",
                    folder.display()
                ),
                true,
            );
            return;
        }
        let file = letters_file(&folder, &who, &title);
        self.save_to(&file);
    }

    fn about_step(&mut self, ui: &mut egui::Ui) {
        ui.label("Your letters are signed with your name and town, and go from your own e-mail address.");
        let mut about = self.settings.about_you.clone().unwrap_or_default();
        egui::Grid::new("about-you").num_columns(2).show(ui, |ui| {
            for (label, value) in [
                ("Your name", &mut about.name),
                ("Town", &mut about.town),
                ("Your e-mail", &mut about.email),
            ] {
                let l = ui.label(label);
                ui.text_edit_singleline(value).labelled_by(l.id);
                ui.end_row();
            }
            let l = ui.label("Your country");
            let shown = crate::directory::countries::by_code(&about.country).map_or("Choose…", |c| c.name);
            egui::ComboBox::from_id_salt("about-country")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for c in COUNTRIES.iter().filter(|c| c.eu_member) {
                        ui.selectable_value(&mut about.country, c.alpha2.to_owned(), c.name);
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
        });
        if self.settings.about_you.as_ref() != Some(&about) {
            self.settings.about_you = Some(about.clone());
            self.settings_changed = true;
        }
        if ui.add_enabled(about.complete(), egui::Button::new("Next")).clicked() {
            self.sign_as_volunteer(&about);
            self.offer_meps(&about.country);
            self.volunteer_ui.step = Step::Meps;
        }
    }

    /// The letters are signed by the volunteer, and dated at their town.
    fn sign_as_volunteer(&mut self, about: &AboutYou) {
        let Some(doc) = self.doc.as_mut() else { return };
        let org = &mut doc.composer.campaign.organisation;
        let (name, town) = (about.name.trim(), about.town.trim());
        if org.signatory.name != name || org.signatory.role != town || org.place != town {
            name.clone_into(&mut org.signatory.name);
            town.clone_into(&mut org.signatory.role);
            town.clone_into(&mut org.place);
            doc.touch();
        }
    }

    /// The MEPs the kit suggests for a volunteer from `country`; without a
    /// rule, the campaign's recipients from that country.
    fn offer_meps(&mut self, country: &str) {
        let Some(doc) = self.doc.as_ref() else { return };
        let ids: Vec<String> = match &doc.composer.campaign.volunteer.suggest {
            Some(rule) => rule
                .meps(&self.directory, country)
                .iter()
                .map(|m| m.id.clone())
                .collect(),
            None => doc
                .composer
                .recipients(&self.directory)
                .iter()
                .filter(|m| m.country == country)
                .map(|m| m.id.clone())
                .collect(),
        };
        self.volunteer_ui.offered = ids.into_iter().map(|id| (id, true)).collect();
    }

    fn meps_step(&mut self, ui: &mut egui::Ui) {
        if self.volunteer_ui.offered.is_empty() {
            ui.label("The campaign suggests no MEP from your country: it writes to other MEPs. Go back and check your country, or ask the people who sent you the kit.");
        } else {
            ui.label("The campaign suggests these MEPs. Untick any you do not want to write to.");
        }
        for (id, ticked) in &mut self.volunteer_ui.offered {
            let Some(mep) = self.directory.get(id) else { continue };
            let address = if mep.email.is_some() {
                ""
            } else {
                " (no e-mail address known)"
            };
            ui.checkbox(ticked, format!("{} — {}{address}", mep.display_name(), mep.group));
        }
        ui.horizontal(|ui| {
            if ui.button("Back").clicked() {
                self.volunteer_ui.step = Step::About;
            }
            let chosen: Vec<String> = self
                .volunteer_ui
                .offered
                .iter()
                .filter(|(_, t)| *t)
                .map(|(id, _)| id.clone())
                .collect();
            if ui.add_enabled(!chosen.is_empty(), egui::Button::new("Next")).clicked() {
                self.recipients.select(chosen.clone());
                self.preview.made_for = None;
                self.volunteer_ui.step = Step::Words;
            }
        });
    }

    fn words_step(&mut self, ui: &mut egui::Ui) {
        let Some(doc) = self.doc.as_mut() else { return };
        let prompts = doc.composer.campaign.volunteer.prompts.clone();
        if prompts.is_empty() {
            ui.label(
                "This campaign asks no questions: your letter goes as the campaign wrote it, signed with your name.",
            );
        } else {
            ui.label("Your own words go into the letter, which the preview shows.");
        }
        let mut changed = false;
        for p in &prompts {
            let l = ui.label(RichText::new(&p.question).strong());
            let answer = doc.composer.campaign.volunteer.answers.entry(p.id.clone()).or_default();
            changed |= ui
                .add(
                    egui::TextEdit::multiline(answer)
                        .hint_text(&p.hint)
                        .desired_rows(4)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id)
                .changed();
            let n = answer.trim().chars().count();
            let range = match (p.min, p.max) {
                (0, 0) => String::new(),
                (min, 0) => format!(" (at least {min})"),
                (min, max) => format!(" ({min} to {max})"),
            };
            ui.label(RichText::new(format!("{n} characters{range}")).small().weak());
        }
        if changed {
            doc.touch();
        }
        // How much of the letter shown is the campaign's text.
        if let Some(max) = doc.composer.campaign.volunteer.max_alike
            && let Some(Ok(letter)) = self.preview.letter.as_ref()
        {
            let share = doc
                .composer
                .campaign
                .volunteer
                .campaign_share(&crate::render::text::render(letter));
            let text = format!(
                "{:.0}% of your letter is the campaign's text (the campaign asks for at most {:.0}%)",
                share * 100.0,
                max * 100.0
            );
            let color = if share > max {
                ui.visuals().warn_fg_color
            } else {
                ui.visuals().weak_text_color()
            };
            // A share from 0 to 1: nothing is lost in f32.
            #[allow(clippy::cast_possible_truncation)]
            ui.add(egui::ProgressBar::new(share as f32).desired_width(240.0));
            ui.label(RichText::new(text).small().color(color));
        }
        let problems = doc.composer.campaign.volunteer.problems();
        for problem in &problems {
            ui.label(
                RichText::new(super::send::sentence(problem))
                    .small()
                    .color(ui.visuals().warn_fg_color),
            );
        }
        ui.horizontal(|ui| {
            if ui.button("Back").clicked() {
                self.volunteer_ui.step = Step::Meps;
            }
            if ui.add_enabled(problems.is_empty(), egui::Button::new("Next")).clicked() {
                self.volunteer_ui.step = Step::Send;
            }
        });
    }

    fn send_step(&mut self, ui: &mut egui::Ui) {
        let secrets = self.secrets();
        let journal = self.journal_path();
        let about = self.settings.about_you.clone().unwrap_or_default();
        let Some(doc) = self.doc.as_ref() else { return };
        let lent = Lent {
            composer: &doc.composer,
            generation: doc.generation,
            meps: self
                .recipients
                .selection
                .meps(&self.directory)
                .into_iter()
                .cloned()
                .collect(),
            about: &about,
            paths: self.config.paths.as_ref(),
            secrets,
            file: doc.file.as_deref(),
            journal,
            today: self.today(),
        };
        let asked = self.volunteer_ui.send.ui(ui, &lent);
        for a in asked {
            match a {
                Asked::SaveLetters => self.save_letters(),
                Asked::Status(text, error) => self.set_status(text, error),
            }
        }
        ui.horizontal(|ui| {
            if ui.button("Back").clicked() {
                self.volunteer_ui.step = Step::Words;
            }
            if ui.button("Next").clicked() {
                self.volunteer_ui.step = Step::Done;
            }
        });
    }

    fn done_step(&mut self, ui: &mut egui::Ui) {
        let view = self.journal_path().and_then(|p| View::read(&p).ok());
        match view {
            Some(view) => {
                let (sent, failed, unconfirmed) = view.counts();
                ui.label(format!(
                    "Your letters: {sent} sent, {failed} failed, {unconfirmed} unconfirmed."
                ));
                if let Some(from) = self.volunteer_ui.send.sender_address() {
                    ui.label(format!(
                        "They went from {from}; your provider keeps them in your Sent folder if you asked for a copy."
                    ));
                }
            }
            None => {
                ui.label("Nothing was sent yet.");
            }
        }
        ui.horizontal(|ui| {
            if ui.button("Back").clicked() {
                self.volunteer_ui.step = Step::Send;
            }
            if ui.button("Close").clicked() {
                self.volunteer_ui.open = false;
            }
        });
    }
}

/// The file a volunteer's letters are kept in, in `folder`: named for them
/// and the campaign, never one that is there already.
fn letters_file(folder: &Path, who: &str, title: &str) -> PathBuf {
    let who = if who.trim().is_empty() { "my" } else { who };
    let mut stem = crate::util::slug(&format!("{who} letters {title}"));
    stem.truncate(60);
    if stem.is_empty() {
        "my-letters".clone_into(&mut stem);
    }
    let mut file = folder.join(format!("{stem}.toml"));
    let mut n = 2;
    while file.exists() {
        file = folder.join(format!("{stem}-{n}.toml"));
        n += 1;
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letters_file_is_named_for_the_volunteer_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let first = letters_file(dir.path(), "Ana Kowalska", "The AI Act");
        let name = first.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("ana-kowalska-letters"), "{name}");
        std::fs::write(&first, "x").unwrap();
        let second = letters_file(dir.path(), "Ana Kowalska", "The AI Act");
        assert_ne!(first, second);
        assert_eq!(letters_file(dir.path(), "", "").file_name().unwrap(), "my-letters.toml");
    }
}
