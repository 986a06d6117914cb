//! Campaign → Votes: the roll-call votes a campaign speaks of. Search
//! HowTheyVote.eu (when online) and import a vote, or open a downloaded
//! vote file; the imported votes, each with a short name to use it in the
//! campaign (`votes = [{ name, id }]`); and the paragraph the focused MEP's
//! letter has for each of the campaign's votes. The window owns its state,
//! does its network and file work on jobs, and returns what the user asked
//! of the app as [`Asked`] values.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::files::{Files, Purpose};
use super::jobs::Job;
use crate::campaign::Campaign;
use crate::store::Paths;
use crate::votes::{self, Found};

/// The seconds a search or an import waits for HowTheyVote.eu.
const TIMEOUT_SECS: u64 = 30;

/// What the user asked of the app in the window.
pub(super) enum Asked {
    /// Use the imported vote `id` in the campaign under `name`.
    Use { name: String, id: u64 },
    /// Stop using the campaign's vote of this name.
    Remove(String),
    /// A vote was imported: the campaign's votes are to be read again.
    Imported,
}

/// The focused MEP's name and their letter's vote paragraphs (vote name,
/// position, text), or why there are none.
pub(super) type Preview = (String, Result<Vec<(String, String, String)>, String>);

/// What the window shows beside its own state.
pub(super) struct Around<'a> {
    pub campaign: Option<&'a Campaign>,
    pub files: &'a mut Files,
    pub paths: Option<&'a Paths>,
    pub preview: Option<Preview>,
}

/// An imported vote as the window lists it.
struct Row {
    id: u64,
    date: String,
    title: String,
    counts: [usize; 4],
}

#[derive(Default)]
pub struct VotesUi {
    pub open: bool,
    query: String,
    search: Option<Job<Result<Vec<Found>, String>>>,
    found: Vec<Found>,
    import: Option<Job<Result<String, String>>>,
    /// The imported votes; `None`: read the folder again.
    stored: Option<Vec<Row>>,
    /// The name the next vote is used under.
    name: String,
    /// The vote id of a members CSV to open (the file does not name it).
    csv_id: String,
    /// The last outcome: (text, is a problem).
    message: Option<(String, bool)>,
}

/// The API's address: `HEMICYCLE_HOWTHEYVOTE_API` (a mirror, or a test's
/// local server), else howtheyvote.eu's.
fn api_base() -> String {
    std::env::var("HEMICYCLE_HOWTHEYVOTE_API")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| votes::DEFAULT_BASE_URL.to_owned())
}

impl VotesUi {
    /// Opens the window with the imported votes read again.
    pub fn show(&mut self) {
        self.open = true;
        self.stored = None;
    }

    /// Whether a search or an import is running.
    pub fn busy(&self) -> bool {
        self.search.is_some() || self.import.is_some()
    }

    /// Draws the window; returns what the user asked of the app.
    pub fn ui(&mut self, ctx: &egui::Context, around: Around<'_>) -> Vec<Asked> {
        let mut asked = self.poll(around.paths);
        if let Some(path) = around.files.take(Purpose::VoteFile) {
            self.start_open(ctx, path, around.paths);
        }
        if !self.open {
            return asked;
        }
        if self.stored.is_none() {
            self.stored = Some(read_stored(around.paths));
        }
        let mut open = self.open;
        let mut done = false;
        egui::Window::new("Votes")
            .open(&mut open)
            .default_size([640.0, 520.0])
            .collapsible(false)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    self.body(ui, around, &mut asked);
                    ui.separator();
                    done = ui.button("Done with votes").clicked();
                });
            });
        self.open = open && !done;
        asked
    }

    fn poll(&mut self, paths: Option<&Paths>) -> Vec<Asked> {
        let mut asked = Vec::new();
        if let Some(job) = self.search.as_mut()
            && let Some(result) = job.poll()
        {
            self.search = None;
            match result {
                Ok(found) => {
                    self.message = found
                        .is_empty()
                        .then(|| ("HowTheyVote.eu found no vote for these words".to_owned(), false));
                    self.found = found;
                }
                Err(e) => self.message = Some((e, true)),
            }
        }
        if let Some(job) = self.import.as_mut()
            && let Some(result) = job.poll()
        {
            self.import = None;
            let ok = result.is_ok();
            self.message = Some(result.map_or_else(|e| (e, true), |m| (m, false)));
            if ok && paths.is_some() {
                self.stored = None;
                asked.push(Asked::Imported);
            }
        }
        asked
    }

    fn body(&mut self, ui: &mut egui::Ui, around: Around<'_>, asked: &mut Vec<Asked>) {
        let Around {
            campaign,
            files,
            paths,
            preview,
        } = around;
        ui.label(RichText::new(votes::ATTRIBUTION).small().weak());
        if let Some((text, problem)) = &self.message {
            let color = if *problem {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(text).color(color));
        }
        ui.separator();
        self.search_ui(ui, paths);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(self.import.is_none(), egui::Button::new("Open a downloaded vote file…"))
                .on_hover_text(
                    "The API's vote JSON (howtheyvote.eu/api/votes/ID), or a vote's members CSV with its id below",
                )
                .clicked()
            {
                files.ask(Purpose::VoteFile, None);
            }
            let l = ui.label("Vote id (for a members CSV)");
            ui.add(egui::TextEdit::singleline(&mut self.csv_id).desired_width(90.0))
                .labelled_by(l.id);
        });
        ui.separator();
        self.stored_ui(ui, campaign, asked);
        if let Some(campaign) = campaign {
            ui.separator();
            campaign_votes(ui, campaign, preview, asked);
        }
    }

    fn search_ui(&mut self, ui: &mut egui::Ui, paths: Option<&Paths>) {
        ui.horizontal(|ui| {
            let l = ui.label("Search HowTheyVote.eu");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("title or reference, e.g. A10-0123/2026")
                        .desired_width(260.0),
                )
                .labelled_by(l.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let go = ui.add_enabled(
                self.search.is_none() && !self.query.trim().is_empty(),
                egui::Button::new("Search"),
            );
            if (go.clicked() || enter) && !self.query.trim().is_empty() && self.search.is_none() {
                let (base, query) = (api_base(), self.query.clone());
                self.search = Some(Job::spawn("hemicycle-votes-search", ui.ctx(), move |_| {
                    votes::search(&base, &query, std::time::Duration::from_secs(TIMEOUT_SECS))
                        .map_err(|e| e.to_string())
                }));
            }
            if self.search.is_some() || self.import.is_some() {
                ui.spinner();
            }
        });
        let mut fetch = None;
        for f in &self.found {
            ui.horizontal(|ui| {
                let import = egui::Button::new("Import");
                if ui
                    .add_enabled(self.import.is_none() && paths.is_some(), import)
                    .on_hover_text(format!("Import vote {}", f.id))
                    .clicked()
                {
                    fetch = Some(f.id);
                }
                let reference = f.reference.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
                ui.label(format!("{}  {}{reference}  [{}]", f.date, f.title, f.id));
            });
        }
        if let (Some(id), Some(paths)) = (fetch, paths) {
            let (base, paths) = (api_base(), paths.clone());
            self.import = Some(Job::spawn("hemicycle-votes-import", ui.ctx(), move |_| {
                let vote =
                    votes::fetch(&base, id, std::time::Duration::from_secs(TIMEOUT_SECS)).map_err(|e| e.to_string())?;
                store(&paths, vote, format!("{}/votes/{id} (API)", base.trim_end_matches('/')))
            }));
        }
    }

    fn start_open(&mut self, ctx: &egui::Context, path: PathBuf, paths: Option<&Paths>) {
        let Some(paths) = paths.cloned() else {
            self.message = Some(("Hemicycle has no data folder to keep votes in".to_owned(), true));
            return;
        };
        let id = self.csv_id.trim().parse::<u64>().ok();
        self.open = true;
        self.import = Some(Job::spawn("hemicycle-votes-open", ctx, move |_| {
            let (vote, from) = votes::read_file(&path, id, false).map_err(|e| e.to_string())?;
            store(&paths, vote, from)
        }));
    }

    fn stored_ui(&mut self, ui: &mut egui::Ui, campaign: Option<&Campaign>, asked: &mut Vec<Asked>) {
        ui.heading("Imported votes");
        let rows = self.stored.as_deref().unwrap_or_default();
        if rows.is_empty() {
            ui.label("No vote is imported yet: search HowTheyVote.eu above, or open a downloaded vote file.");
            return;
        }
        ui.horizontal(|ui| {
            let l = ui.label("Name in the campaign");
            ui.add(
                egui::TextEdit::singleline(&mut self.name)
                    .hint_text("e.g. eprivacy")
                    .desired_width(140.0),
            )
            .labelled_by(l.id);
        });
        let name = self.name.trim().to_owned();
        let name_ok = crate::campaign::is_vote_name(&name);
        let taken = campaign.is_some_and(|c| c.votes.iter().any(|v| v.name == name));
        for row in rows {
            ui.horizontal(|ui| {
                let used = campaign.and_then(|c| c.votes.iter().find(|v| v.id == row.id));
                let hint = if campaign.is_none() {
                    "Open or start a campaign first"
                } else if !name_ok {
                    "Type a short name first: letters, digits, _ and -, starting with a letter"
                } else if taken {
                    "The campaign already has a vote of this name"
                } else {
                    "Use this vote in the campaign under the name typed above"
                };
                let enabled = campaign.is_some() && name_ok && !taken && used.is_none();
                if ui
                    .add_enabled(enabled, egui::Button::new(format!("Use vote {}", row.id)))
                    .on_hover_text(hint)
                    .on_disabled_hover_text(hint)
                    .clicked()
                {
                    asked.push(Asked::Use {
                        name: name.clone(),
                        id: row.id,
                    });
                }
                let [f, a, ab, d] = row.counts;
                let used = used.map(|v| format!(" — used as \"{}\"", v.name)).unwrap_or_default();
                ui.label(format!(
                    "{}  {}  (for {f}, against {a}, abstention {ab}, did not vote {d}){used}",
                    row.date, row.title
                ));
            });
        }
    }
}

/// The campaign's votes, each with "Remove", and the focused MEP's paragraphs.
fn campaign_votes(ui: &mut egui::Ui, campaign: &Campaign, preview: Option<Preview>, asked: &mut Vec<Asked>) {
    ui.heading("In this campaign");
    if campaign.votes.is_empty() {
        ui.label("The campaign uses no vote yet.");
        return;
    }
    for v in &campaign.votes {
        ui.horizontal(|ui| {
            ui.label(format!("{} — vote {}", v.name, v.id));
            if ui.button(format!("Remove {}", v.name)).clicked() {
                asked.push(Asked::Remove(v.name.clone()));
            }
        });
    }
    let Some((mep, paragraphs)) = preview else {
        ui.label("Choose an MEP in the recipients to see their paragraph.");
        return;
    };
    ui.label(RichText::new(format!("The letter to {mep}")).strong());
    match paragraphs {
        Ok(list) if list.is_empty() => {
            ui.label("The letter has no vote paragraph (its template has no vote block).");
        }
        Ok(list) => {
            for (name, position, text) in list {
                ui.label(RichText::new(format!("{name}: {position}")).small().weak());
                ui.label(text);
            }
        }
        Err(e) => {
            ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
        }
    }
}

/// Stores `vote` and says so in words.
fn store(paths: &Paths, vote: votes::Vote, from: String) -> Result<String, String> {
    let (id, count) = (vote.id, vote.positions.len());
    let title = vote.display_title.clone();
    votes::save(paths, vote, from).map_err(|e| e.to_string())?;
    Ok(format!("Imported vote {id}: {title} ({count} member positions)"))
}

fn read_stored(paths: Option<&Paths>) -> Vec<Row> {
    let Some(paths) = paths else {
        return Vec::new();
    };
    votes::list(paths)
        .0
        .into_iter()
        .map(|s| Row {
            id: s.vote.id,
            date: s.vote.date.clone(),
            title: s.vote.display_title.clone(),
            counts: s.vote.counts(),
        })
        .collect()
}
