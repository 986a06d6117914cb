//! The volunteer mode: the way through a campaign kit, step by step — about
//! you → your MEPs (suggested by the kit's rule) → your words (the kit's
//! questions, with the letter beside) → send from your own mailbox
//! (`volunteer_send`) → done. It opens by itself when a kit is opened (or
//! a volunteer's own copy of one), and then the app shows nothing of the
//! NGO's screens; File → Write to your MEPs… brings it back, "Full app"
//! leaves it.

use eframe::egui::{self, RichText};

use std::path::{Path, PathBuf};

use std::sync::Arc;

use chrono::NaiveDate;

use super::fit::Fit;
use super::state::Doc;
use super::volunteer_send::{self, SendStep};
use crate::deliver::journal::View;
use crate::deliver::secrets::Secrets;
use crate::directory::countries::COUNTRIES;
use crate::directory::{Directory, Mep};
use crate::store::Paths;

pub use super::state::AboutYou;

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

/// What the volunteer asked of the rest of the app.
pub(super) enum Asked {
    /// "Open another kit…": the file chooser for a kit.
    OpenKit,
    /// Keep the volunteer's letters (their own copy of the campaign).
    SaveLetters,
    /// A message for the status bar; true for a problem.
    Status(String, bool),
    /// Who the volunteer is, as typed: remember it in the settings.
    AboutYou(AboutYou),
    /// The MEPs the volunteer chose become the selection.
    Select(Vec<String>),
}

/// What the steps are lent: the campaign, the directory, who the volunteer
/// is, the MEPs selected, and what the send step needs.
pub(super) struct Lent<'a> {
    pub doc: &'a mut Doc,
    pub directory: &'a Directory,
    /// Who the volunteer is, as the settings remember it.
    pub about: Option<AboutYou>,
    pub selected: Vec<&'a Mep>,
    /// The letter shown beside the steps, or why it could not be made.
    pub letter: Option<&'a Result<crate::letter::Letter, String>>,
    pub paths: Option<&'a Paths>,
    pub secrets: Arc<dyn Secrets>,
    pub journal: Option<PathBuf>,
    pub today: NaiveDate,
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

    /// A kit was opened: the flow starts again, showing whose kit it is.
    pub fn kit_opened(&mut self, said: String, unsigned: bool) {
        self.start();
        self.kit_said = Some((said, unsigned));
    }

    /// A kit was refused: said in the volunteer's window while it is open.
    /// Returns whether a kit was open, or the mode is (then the campaign
    /// shown closes, so that nothing looks like the refused kit).
    pub fn kit_refused(&mut self, why: &str) -> bool {
        let was_kit = self.kit_said.take().is_some();
        if self.open {
            self.kit_refused = Some(why.to_owned());
        }
        was_kit || self.open
    }
}

impl VolunteerUi {
    /// The title, the kit's signature and the steps.
    pub fn header(&mut self, ui: &mut egui::Ui, title: Option<&str>) -> Vec<Asked> {
        let mut asked = Vec::new();
        ui.horizontal(|ui| {
            ui.heading("Write to your MEPs");
            if let Some(title) = title {
                ui.label(RichText::new(title).strong());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .small_button("Full app")
                    .on_hover_text("Leave the guided steps for Hemicycle's full screens (for campaign staff)")
                    .clicked()
                {
                    self.open = false;
                }
                if ui.small_button("Open another kit…").clicked() {
                    asked.push(Asked::OpenKit);
                }
            });
        });
        if let Some((said, warn)) = &self.kit_said {
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
                let current = *step == self.step;
                ui.label(if current {
                    RichText::new(text).strong()
                } else {
                    RichText::new(text).weak()
                });
            }
        });
        asked
    }

    /// What shows instead of the steps or above them: a kit being checked,
    /// a kit refused, no campaign yet. `None` when the steps follow, else
    /// what the user asked.
    pub fn notices(&self, ui: &mut egui::Ui, checking_kit: bool, no_campaign: bool) -> Option<Vec<Asked>> {
        if checking_kit {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Checking the kit…");
            });
            return Some(Vec::new());
        }
        if let Some(why) = &self.kit_refused {
            super::preview::problem(ui, why);
        }
        if !no_campaign {
            return None;
        }
        ui.label("Open the campaign kit you were sent: it holds the letter and the questions for you.");
        let open = ui.button("Open a campaign kit…").clicked();
        Some(if open { vec![Asked::OpenKit] } else { Vec::new() })
    }

    /// The current step, on the left of `ui`; the letter goes beside it.
    pub fn ui(&mut self, ui: &mut egui::Ui, mut lent: Lent<'_>, fit: &mut Fit) -> Vec<Asked> {
        let mut asked = Vec::new();
        let width = ui.available_width();
        egui::Panel::left("volunteer-steps")
            .resizable(true)
            .default_size((width * 0.5).max(380.0))
            .size_range(340.0..=(width * 0.65).max(360.0))
            .show(ui, |ui| {
                egui::ScrollArea::vertical().id_salt("volunteer-step").show(ui, |ui| {
                    let room = Fit::room(ui);
                    match self.step {
                        Step::About => self.about_step(ui, &mut lent, &mut asked),
                        Step::Meps => self.meps_step(ui, lent.directory, &mut asked),
                        Step::Words => self.words_step(ui, lent.doc, lent.letter),
                        Step::Send => self.send_step(ui, &lent, &mut asked),
                        Step::Done => self.done_step(ui, lent.journal.as_deref()),
                    }
                    fit.panel("volunteer steps", room, ui);
                });
            });
        asked
    }

    fn about_step(&mut self, ui: &mut egui::Ui, lent: &mut Lent<'_>, asked: &mut Vec<Asked>) {
        ui.label("Your letters are signed with your name and town, and go from your own e-mail address.");
        let mut about = lent.about.clone().unwrap_or_default();
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
        if lent.about.as_ref() != Some(&about) {
            lent.about = Some(about.clone());
            asked.push(Asked::AboutYou(about.clone()));
        }
        if ui.add_enabled(about.complete(), egui::Button::new("Next")).clicked() {
            sign_as_volunteer(lent.doc, &about);
            self.offered = offer_meps(lent.doc, lent.directory, &about.country)
                .into_iter()
                .map(|id| (id, true))
                .collect();
            self.step = Step::Meps;
        }
    }

    fn meps_step(&mut self, ui: &mut egui::Ui, directory: &Directory, asked: &mut Vec<Asked>) {
        if self.offered.is_empty() {
            ui.label("The campaign suggests no MEP from your country: it writes to other MEPs. Go back and check your country, or ask the people who sent you the kit.");
        } else {
            ui.label("The campaign suggests these MEPs. Untick any you do not want to write to.");
        }
        for (id, ticked) in &mut self.offered {
            let Some(mep) = directory.get(id) else { continue };
            let address = if mep.email.is_some() {
                ""
            } else {
                " (no e-mail address known)"
            };
            ui.checkbox(ticked, format!("{} — {}{address}", mep.display_name(), mep.group));
        }
        ui.horizontal(|ui| {
            if ui.button("Back").clicked() {
                self.step = Step::About;
            }
            let chosen: Vec<String> = self
                .offered
                .iter()
                .filter(|(_, t)| *t)
                .map(|(id, _)| id.clone())
                .collect();
            if ui.add_enabled(!chosen.is_empty(), egui::Button::new("Next")).clicked() {
                asked.push(Asked::Select(chosen.clone()));
                self.step = Step::Words;
            }
        });
    }

    fn words_step(&mut self, ui: &mut egui::Ui, doc: &mut Doc, letter: Option<&Result<crate::letter::Letter, String>>) {
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
            && let Some(Ok(letter)) = letter
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
                self.step = Step::Meps;
            }
            if ui.add_enabled(problems.is_empty(), egui::Button::new("Next")).clicked() {
                self.step = Step::Send;
            }
        });
    }

    fn send_step(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>, asked: &mut Vec<Asked>) {
        let about = lent.about.clone().unwrap_or_default();
        let send = volunteer_send::Lent {
            composer: &lent.doc.composer,
            generation: lent.doc.generation,
            meps: lent.selected.iter().map(|m| (*m).clone()).collect(),
            about: &about,
            paths: lent.paths,
            secrets: lent.secrets.clone(),
            file: lent.doc.file.as_deref(),
            journal: lent.journal.clone(),
            today: lent.today,
        };
        for a in self.send.ui(ui, &send) {
            asked.push(match a {
                volunteer_send::Asked::SaveLetters => Asked::SaveLetters,
                volunteer_send::Asked::Status(text, error) => Asked::Status(text, error),
            });
        }
        ui.horizontal(|ui| {
            if ui.button("Back").clicked() {
                self.step = Step::Words;
            }
            if ui.button("Next").clicked() {
                self.step = Step::Done;
            }
        });
    }

    fn done_step(&mut self, ui: &mut egui::Ui, journal: Option<&Path>) {
        let view = journal.and_then(|p| View::read(p).ok());
        match view {
            Some(view) => {
                let (sent, failed, unconfirmed) = view.counts();
                ui.label(format!(
                    "Your letters: {sent} sent, {failed} failed, {unconfirmed} unconfirmed."
                ));
                if let Some(from) = self.send.sender_address() {
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
                self.step = Step::Send;
            }
            if ui.button("Close").clicked() {
                self.open = false;
            }
        });
    }
}

/// The letters are signed by the volunteer, and dated at their town.
fn sign_as_volunteer(doc: &mut Doc, about: &AboutYou) {
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
fn offer_meps(doc: &Doc, directory: &Directory, country: &str) -> Vec<String> {
    match &doc.composer.campaign.volunteer.suggest {
        Some(rule) => rule.meps(directory, country).iter().map(|m| m.id.clone()).collect(),
        None => doc
            .composer
            .recipients(directory)
            .iter()
            .filter(|m| m.country == country)
            .map(|m| m.id.clone())
            .collect(),
    }
}

/// Where a volunteer's letters go when they have not chosen yet: their
/// documents folder, else their home.
pub(super) fn letters_start() -> Option<PathBuf> {
    directories::UserDirs::new().map(|u| u.document_dir().unwrap_or(u.home_dir()).to_path_buf())
}

/// The file a volunteer's letters are kept in, in `folder`: named for them
/// and the campaign, never one that is there already.
pub(super) fn letters_file(folder: &Path, who: &str, title: &str) -> PathBuf {
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
