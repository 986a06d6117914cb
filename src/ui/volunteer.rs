//! The volunteer's way through a campaign kit, step by step: about you →
//! your MEPs (suggested by the kit's rule) → your words (the kit's
//! questions, with the preview beside) → send from your mailbox → done.
//! It opens by itself when a kit that asks something of volunteers is
//! opened; the full app stays around it, and File → Write to your MEPs…
//! brings it back.

use eframe::egui::{self, RichText};
use serde::{Deserialize, Serialize};

use super::App;
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

/// The flow's state.
#[derive(Default)]
pub struct VolunteerUi {
    pub open: bool,
    step: Step,
    /// The suggested MEPs (ids) and whether each is ticked.
    offered: Vec<(String, bool)>,
}

impl VolunteerUi {
    /// Starts the flow from the first step.
    pub fn start(&mut self) {
        self.open = true;
        self.step = Step::About;
        self.offered.clear();
    }
}

impl App {
    pub(super) fn volunteer_window(&mut self, ctx: &egui::Context) {
        if !self.volunteer_ui.open {
            return;
        }
        let mut open = true;
        egui::Window::new("Write to your MEPs")
            .open(&mut open)
            .collapsible(false)
            .default_width(440.0)
            .anchor(egui::Align2::LEFT_TOP, [12.0, 64.0])
            .show(ctx, |ui| {
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
                ui.separator();
                egui::ScrollArea::vertical()
                    .max_height(ctx.content_rect().height() - 200.0)
                    .show(ui, |ui| match self.volunteer_ui.step {
                        Step::About => self.about_step(ui),
                        Step::Meps => self.meps_step(ui),
                        Step::Words => self.words_step(ui),
                        Step::Send => self.send_step(ui),
                        Step::Done => self.done_step(ui),
                    });
            });
        self.volunteer_ui.open &= open;
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

    /// The letters are signed by the volunteer.
    fn sign_as_volunteer(&mut self, about: &AboutYou) {
        let Some(doc) = self.doc.as_mut() else { return };
        let signatory = &mut doc.composer.campaign.organisation.signatory;
        if signatory.name != about.name.trim() || signatory.role != about.town.trim() {
            about.name.trim().clone_into(&mut signatory.name);
            about.town.trim().clone_into(&mut signatory.role);
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
            ui.label("The campaign suggests no MEP from your country. Choose yours in the Recipients tab.");
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
            ui.label("Add a few words of your own in the Letter tab: letters in your own words are read, and are not held back as bulk mail.");
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
        let letters = self
            .recipients
            .selection
            .meps(&self.directory)
            .iter()
            .filter(|m| m.email.is_some())
            .count();
        ui.label(format!(
            "{letters} {} go from your own mailbox, each to one MEP alone, at a polite pace.",
            if letters == 1 { "letter" } else { "letters" }
        ));
        if self.campaign_file().is_none() {
            ui.label("First keep your letters: Save asks where (the kit itself is never changed).");
            if ui.button("Save my letters…").clicked() {
                self.save();
            }
        } else {
            ui.label("Add your mail account (choose your provider), check the letters, then send.");
            if ui.button("Send from my mailbox…").clicked() {
                self.send_ui.open = true;
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
                ui.label("Send e-mails… lists each letter, where it went and when.");
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
