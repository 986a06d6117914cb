//! The recipients panel: the directory as a table with filters, selection
//! and one MEP's details, with the user's corrections.

mod answers;

use std::collections::BTreeMap;

use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};

use super::fit::Fit;
use super::jobs::Job;
use super::preview;
use super::state::{self, Doc, Filters, Selection};
use crate::campaign::Campaign;
use crate::directory::overrides::{MepOverride, Overrides};
use crate::directory::query::SortBy;
use crate::directory::{Directory, Gender, Mep, Role, committees};
use crate::language::Language;

/// The filter choices, taken from the directory once: (value, text shown).
#[derive(Default)]
struct Choices {
    countries: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    parties: Vec<(String, String)>,
    /// ("LIBE", "LIBE — Civil Liberties, Justice and Home Affairs").
    committees: Vec<(String, String)>,
    for_size: usize,
}

impl Choices {
    fn of(directory: &Directory) -> Self {
        let mut countries = BTreeMap::new();
        let mut groups = BTreeMap::new();
        let mut parties = std::collections::BTreeSet::new();
        for m in &directory.meps {
            countries.insert(m.country_name().to_owned(), m.country.clone());
            groups.insert(m.group.clone(), m.group_name().to_owned());
            if let Some(p) = &m.national_party {
                parties.insert(p.clone());
            }
        }
        Self {
            countries: countries.into_iter().map(|(name, code)| (code, name)).collect(),
            groups: groups.into_iter().collect(),
            parties: parties.into_iter().map(|p| (p.clone(), p)).collect(),
            committees: directory
                .committee_codes()
                .into_iter()
                .map(|code| {
                    let label = committees::label(&code);
                    (code, label)
                })
                .collect(),
            for_size: directory.meps.len(),
        }
    }
}

/// The recipients tab and all it keeps between frames: the filters, the
/// rows they show, the selection, the focused MEP, the correction being
/// edited and the directory's refresh or import.
#[derive(Default)]
pub struct Recipients {
    pub filters: Filters,
    /// Indices into the directory's MEPs of the rows shown.
    shown: Vec<usize>,
    /// The filters `shown` was made for.
    filters_shown: Option<Filters>,
    pub selection: Selection,
    /// The MEP whose details are shown and whose letter is previewed.
    pub focused: Option<String>,
    choices: Option<Choices>,
    pub focus_search: bool,
    /// The correction being edited for the focused MEP.
    editing: Option<(String, MepOverride)>,
    refresh: Option<Job<Result<Directory, String>>>,
    import: Option<Job<Result<Directory, String>>>,
    /// What the user typed to narrow the Party and Committee lists.
    party_typed: String,
    committee_typed: String,
    country_typed: String,
    /// Addresses an earlier letter bounced from (lower case), with when
    /// and why in words: set from the Responses window (`ui::responses`).
    pub bounced: std::collections::HashMap<String, String>,
    /// The campaign's votes as the table and the vote filter show them.
    votes: VoteColumns,
    /// What came back from each MEP, for the Response column and filter.
    answers: answers::Answers,
}

/// The campaign's votes for the table: (name, id) of each, the positions
/// by vote id, and the filter's choices with their counts over the
/// directory ("eprivacy: against (270)").
#[derive(Default)]
struct VoteColumns {
    named: Vec<(String, u64)>,
    positions: crate::directory::query::VotePositions,
    choices: Vec<(String, String)>,
    /// Made again from the campaign's votes on the next frame.
    stale: bool,
}

impl VoteColumns {
    fn of(votes: &crate::compose::votes::CampaignVotes, directory: &Directory) -> Self {
        let named: Vec<(String, u64)> = votes
            .named
            .iter()
            .filter(|(_, id)| votes.by_id.get(id).is_some_and(Result::is_ok))
            .cloned()
            .collect();
        let positions = votes.positions();
        let mut choices = Vec::new();
        for (name, id) in &named {
            let Some(by_mep) = positions.get(id) else { continue };
            for position in crate::directory::query::VOTE_POSITIONS {
                let count = directory
                    .meps
                    .iter()
                    .filter(|m| by_mep.get(&m.id).copied().unwrap_or("none") == position)
                    .count();
                choices.push((format!("{id}:{position}"), format!("{name}: {position} ({count})")));
            }
        }
        Self {
            named,
            positions,
            choices,
            stale: false,
        }
    }

    /// The MEP's position in vote `id`, as the table shows it.
    fn cell(&self, id: u64, mep: &str) -> &'static str {
        self.positions
            .get(&id)
            .map_or("", |by_mep| by_mep.get(mep).copied().unwrap_or("none"))
    }
}

fn selected_text<'o>(value: Option<&String>, options: &'o [(String, String)]) -> &'o str {
    value
        .and_then(|v| options.iter().find(|(code, _)| code == v))
        .map_or("Any", |(_, name)| name.as_str())
}

/// One option of a combo's list. Choosing it closes the list, also when it
/// is chosen without a pointer (a screen reader, the keyboard).
fn pick<T: PartialEq>(ui: &mut egui::Ui, value: &mut T, option: T, text: &str) {
    if ui.selectable_value(value, option, text).clicked() {
        ui.close();
    }
}

/// The width of a filter's list.
const LIST_WIDTH: f32 = 150.0;

/// Starts a new row of the wrapping filter bar when a label and the
/// `control_width` wide control after it would not both fit on this one, so
/// that the bar never parts a label from its control.
fn keep_together(ui: &mut egui::Ui, label: &str, control_width: f32) {
    let text = egui::WidgetText::from(label).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Body,
    );
    let spacing = ui.spacing().item_spacing.x;
    let needed = text.size().x + spacing + control_width;
    let row_started = ui.cursor().left() > ui.max_rect().left() + 1.0;
    if row_started && ui.available_size_before_wrap().x < needed {
        ui.end_row();
    }
}

fn combo(ui: &mut egui::Ui, label: &str, value: &mut Option<String>, options: &[(String, String)]) {
    keep_together(ui, label, LIST_WIDTH);
    let l = ui.label(label);
    let r = egui::ComboBox::from_id_salt(label)
        .selected_text(selected_text(value.as_ref(), options))
        .width(LIST_WIDTH)
        .show_ui(ui, |ui| {
            pick(ui, value, None, "Any");
            for (code, name) in options {
                pick(ui, value, Some(code.clone()), name);
            }
        });
    let _ = r.response.labelled_by(l.id);
}

/// A combo whose list starts with a field that narrows it as the user
/// types (labelled "Find a {noun}"); the typed text is forgotten when the
/// list closes.
fn combo_with_search(
    ui: &mut egui::Ui,
    label: &str,
    noun: &str,
    value: &mut Option<String>,
    options: &[(String, String)],
    typed: &mut String,
) {
    keep_together(ui, label, LIST_WIDTH);
    let l = ui.label(label);
    let open_id = ui.make_persistent_id(("combo-open", label));
    let was_open = ui.data(|d| d.get_temp::<bool>(open_id)).unwrap_or(false);
    let selected = selected_text(value.as_ref(), options);
    let r = egui::ComboBox::from_id_salt(label)
        .selected_text(selected)
        .width(LIST_WIDTH)
        .truncate()
        .height(f32::INFINITY)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            let field = ui
                .add(
                    egui::TextEdit::singleline(typed)
                        .hint_text("type to narrow the list")
                        .desired_width(f32::INFINITY),
                )
                .accessible_name(format!("Find a {noun}"));
            if !was_open {
                field.request_focus();
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            egui::ScrollArea::vertical().max_height(280.0).show(ui, |ui| {
                pick(ui, value, None, "Any");
                let matching = state::narrow(options, typed);
                // Enter picks the only match.
                if entered && let [(code, _)] = matching.as_slice() {
                    *value = Some(code.clone());
                    ui.close();
                }
                if matching.is_empty() {
                    ui.weak(format!("No {noun} matches \"{}\"", typed.trim()));
                }
                for (code, name) in matching {
                    pick(ui, value, Some(code.clone()), name);
                }
            });
        });
    let open = r.inner.is_some();
    ui.data_mut(|d| d.insert_temp(open_id, open));
    if !open {
        typed.clear();
    }
    let response = r.response.labelled_by(l.id);
    if value.is_some() {
        // The chosen option in full, when the box is too narrow for it.
        let _ = response.on_hover_text(selected);
    }
}

/// The Role and Sort by combos.
fn role_and_sort(ui: &mut egui::Ui, f: &mut Filters) {
    // An unsized list is as wide as egui's default combo box.
    let list = ui.spacing().combo_width;
    keep_together(ui, "Role", list);
    let l = ui.label("Role");
    let _ = egui::ComboBox::from_id_salt("Role")
        .selected_text(f.role.map_or("Any", Role::as_str))
        .show_ui(ui, |ui| {
            pick(ui, &mut f.role, None, "Any");
            for role in Role::ALL {
                pick(ui, &mut f.role, Some(role), role.as_str());
            }
        })
        .response
        .labelled_by(l.id);
    let sorts = [
        (SortBy::Name, "name"),
        (SortBy::Country, "country"),
        (SortBy::Group, "group"),
    ];
    keep_together(ui, "Sort by", list);
    let l = ui.label("Sort by");
    let _ = egui::ComboBox::from_id_salt("Sort by")
        .selected_text(sorts.iter().find(|(s, _)| *s == f.sort).map_or("name", |(_, t)| *t))
        .show_ui(ui, |ui| {
            for (sort, text) in sorts {
                pick(ui, &mut f.sort, sort, text);
            }
        })
        .response
        .labelled_by(l.id);
}

/// What the user asked of the rest of the app in the recipients tab.
pub(super) enum Asked {
    /// The selection changed, and the campaign's recipients with it.
    SelectionChanged,
    /// "Preview the letter to this MEP" (the focused one).
    Preview,
    /// Save a correction of an MEP's record, or remove it (`None`).
    Correct(String, Option<MepOverride>),
    /// A refresh or an import brought a new directory: keep and use it.
    NewDirectory(Directory),
    /// A message for the status bar; true for a problem.
    Status(String, bool),
    /// The user dragged the details pane to this width.
    DetailWidth(u32),
    /// The language of this MEP's letter, chosen in the table (`None`: by
    /// the campaign's rule again).
    Language(String, Option<Language>),
    /// "Import CSV…": open the file chooser for a CSV list; the path chosen
    /// comes back through [`Recipients::import_csv`].
    ChooseCsv,
}

/// What the tab draws beside its own state: the directory, the campaign
/// being edited (its named addressees are edited here), the pane's
/// remembered width, where corrections are kept, and the layout check.
pub(super) struct Around<'a> {
    pub directory: &'a Directory,
    pub doc: &'a mut Option<Doc>,
    pub detail_width: Option<u32>,
    pub overrides: Option<&'a std::path::Path>,
    pub fit: &'a mut Fit,
    /// The open campaign's journal and the mail account's files, whose
    /// responses the Response column shows.
    pub responses: Option<crate::deliver::responses::Files>,
}

impl Recipients {
    /// Draws the tab: the filters and the selection bar, the MEP's details
    /// on the right, and the campaign's named addressees above the table.
    /// Returns what the user asked of the app.
    pub fn ui(&mut self, ui: &mut egui::Ui, around: Around<'_>) -> Vec<Asked> {
        let Around {
            directory,
            doc,
            detail_width,
            overrides,
            fit,
            responses,
        } = around;
        let mut asked = self.poll_jobs();
        if self.answers.keep_current(ui.ctx(), responses.as_ref()) {
            self.filters_shown = None;
        }
        if !self.answers.any() {
            // No Response filter is shown: none may hide rows.
            self.filters.answer = None;
        }
        if self.votes.stale || self.choices.is_none() {
            self.votes = doc
                .as_ref()
                .map(|d| VoteColumns::of(&d.composer.votes, directory))
                .unwrap_or_default();
            self.filters_shown = None;
        }
        self.prepare(directory);
        let room = Fit::room(ui);
        self.filter_bar(ui);
        self.selection_bar(ui, directory, &mut asked);
        fit.panel("filters", room, ui);
        ui.separator();
        #[allow(clippy::cast_precision_loss)]
        let width = detail_width.map_or(320.0, |w| w as f32);
        let detail = egui::Panel::right("mep-detail")
            .resizable(true)
            .default_size(width)
            .size_range(240.0..=480.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let room = Fit::room(ui);
                    self.mep_detail(ui, directory, overrides, &mut asked);
                    fit.panel("MEP details", room, ui);
                });
            });
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let now = detail.response.rect.width().round() as u32;
        if detail_width != Some(now) {
            asked.push(Asked::DetailWidth(now));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let room = Fit::room(ui);
            super::addressees::section(ui, doc);
            let campaign = doc.as_ref().map(|d| &d.composer.campaign);
            self.table(ui, directory, campaign, &mut asked);
            fit.panel("recipients", room, ui);
        });
        asked
    }

    /// The filter choices and the rows shown, made again when the directory
    /// or the filters changed.
    fn prepare(&mut self, directory: &Directory) {
        if self.choices.as_ref().is_none_or(|c| c.for_size != directory.meps.len()) {
            self.choices = Some(Choices::of(directory));
        }
        if self.filters_shown.as_ref() != Some(&self.filters) {
            self.shown = state::shown_with(directory, &self.filters, &self.selection, self.votes.positions.clone());
            self.answers.filter(self.filters.answer, directory, &mut self.shown);
            self.filters_shown = Some(self.filters.clone());
        }
    }

    /// The campaign's votes changed (named, removed, imported): the vote
    /// column, the filter's choices and the rows are made again.
    pub fn votes_changed(&mut self) {
        self.votes.stale = true;
    }

    /// A reading of the mailbox ended (File → Responses…): the Response
    /// column and filter are read again.
    pub fn responses_changed(&mut self) {
        self.answers.changed();
    }

    /// The directory was replaced or corrected: the choices and rows are
    /// made again, and the correction form starts from the saved record.
    pub fn directory_changed(&mut self) {
        self.filters_shown = None;
        self.choices = None;
        self.editing = None;
    }

    /// The campaign's recipients, as a new selection (a campaign opened, a
    /// volunteer's choice): the first of them is focused.
    pub fn select(&mut self, ids: Vec<String>) {
        self.focused = ids.first().cloned();
        self.selection = Selection::from_ids(ids);
        self.filters_shown = None;
    }

    /// Imports the CSV list the user chose (after [`Asked::ChooseCsv`]) on
    /// a job; the new directory comes back as [`Asked::NewDirectory`].
    pub fn import_csv(&mut self, ctx: &egui::Context, path: std::path::PathBuf) {
        self.import = Some(Job::spawn("hemicycle-import", ctx, move |r| {
            r.progress(0, 1, "Reading the CSV list");
            crate::directory::import::import_files(&crate::directory::import::FilePlan {
                csv: Some(path),
                ..Default::default()
            })
            .map_err(|e| e.to_string())
        }));
    }

    /// Whether a refresh or an import is running.
    pub fn busy(&self) -> bool {
        self.refresh.is_some() || self.import.is_some() || self.answers.busy()
    }

    fn filter_bar(&mut self, ui: &mut egui::Ui) {
        let Some(choices) = self.choices.take() else {
            return;
        };
        let mut f = self.filters.clone();
        let keys = super::Command::FindMeps
            .shortcut_text(ui.ctx())
            .map(|k| format!(" ({k})"))
            .unwrap_or_default();
        ui.horizontal_wrapped(|ui| {
            // First, where the wrapping of the bar never moves it: clearing
            // the filters may bring back the focused MEP's details pane,
            // which narrows the bar.
            if ui.button("Clear filters").clicked() {
                f = Filters::default();
            }
            let l = ui.label("Search");
            let search = ui
                .add(
                    egui::TextEdit::singleline(&mut f.text)
                        .hint_text(format!("name, party, country…{keys}"))
                        .desired_width(220.0),
                )
                .labelled_by(l.id);
            if self.focus_search {
                search.request_focus();
                self.focus_search = false;
            }
            combo_with_search(
                ui,
                "Country",
                "country",
                &mut f.country,
                &choices.countries,
                &mut self.country_typed,
            );
            combo(ui, "Group", &mut f.group, &choices.groups);
            combo_with_search(
                ui,
                "Party",
                "party",
                &mut f.party,
                &choices.parties,
                &mut self.party_typed,
            );
            combo_with_search(
                ui,
                "Committee",
                "committee",
                &mut f.committee,
                &choices.committees,
                &mut self.committee_typed,
            );
            role_and_sort(ui, &mut f);
            if !self.votes.choices.is_empty() {
                let mut vote = f.vote.as_ref().map(ToString::to_string);
                combo(ui, "Vote", &mut vote, &self.votes.choices);
                f.vote = vote.and_then(|v| v.parse().ok());
            }
            if self.answers.any() {
                let mut answer = f.answer.map(|a| a.words().to_owned());
                combo(ui, "Response", &mut answer, &self.answers.choices());
                f.answer = answer.as_deref().and_then(answers::Answers::parse);
            }
            ui.checkbox(&mut f.only_selected, "Only selected");
        });
        self.choices = Some(choices);
        if f != self.filters {
            self.filters = f;
        }
    }

    fn selection_bar(&mut self, ui: &mut egui::Ui, directory: &Directory, asked: &mut Vec<Asked>) {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(state::counts_label(
                    self.shown.len(),
                    directory.meps.len(),
                    self.selection.len(),
                ))
                .strong(),
            );
            self.bulk_selection_buttons(ui, directory, asked);
            ui.separator();
            let busy = self.refresh.is_some() || self.import.is_some();
            if ui
                .add_enabled(!busy, egui::Button::new("Refresh from the European Parliament"))
                .on_hover_text("Downloads the current list of MEPs from the EP Open Data Portal (a few minutes)")
                .clicked()
            {
                self.start_refresh(ui.ctx(), directory.meps.len());
            }
            if ui.add_enabled(!busy, egui::Button::new("Import CSV…")).clicked() {
                asked.push(Asked::ChooseCsv);
            }
            for job in [&self.refresh, &self.import].into_iter().flatten() {
                ui.add(
                    egui::ProgressBar::new(job.fraction())
                        .desired_width(160.0)
                        .text(job.progress.detail.clone()),
                );
                if ui.button("Cancel").clicked() {
                    job.cancel();
                }
            }
        });
    }

    /// The selection changed: the campaign's recipients changed with it.
    fn touch(&mut self, asked: &mut Vec<Asked>) {
        if self.filters.only_selected {
            self.filters_shown = None;
        }
        asked.push(Asked::SelectionChanged);
    }

    /// "Select all shown", "Select none" (the shown MEPs only, when a
    /// filter hides some) and "Undo selection".
    fn bulk_selection_buttons(&mut self, ui: &mut egui::Ui, directory: &Directory, asked: &mut Vec<Asked>) {
        let filtered = self.filters.is_active();
        if ui.button("Select all shown").clicked() {
            self.selection.select_all(directory, &self.shown);
            self.touch(asked);
        }
        let none_hint = if filtered {
            "Deselects the MEPs shown; those the filters hide stay selected"
        } else {
            "Deselects every MEP"
        };
        if ui.button("Select none").on_hover_text(none_hint).clicked() {
            self.selection.select_none(directory, &self.shown, filtered);
            self.touch(asked);
        }
        let undo = self.selection.undo_len();
        let undo_hint = undo.map_or_else(
            || "Nothing to undo: this undoes \"Select all shown\" or \"Select none\"".to_owned(),
            |n| format!("Back to the {n} MEPs selected before the last \"Select all shown\" or \"Select none\""),
        );
        if ui
            .add_enabled(undo.is_some(), egui::Button::new("Undo selection"))
            .on_hover_text(undo_hint.clone())
            .on_disabled_hover_text(undo_hint)
            .clicked()
            && self.selection.undo_bulk()
        {
            self.touch(asked);
        }
    }

    /// The MEPs shown, one row each. The table is wider than a narrow
    /// window: it scrolls sideways, so every column stays reachable.
    fn table(&mut self, ui: &mut egui::Ui, directory: &Directory, campaign: Option<&Campaign>, asked: &mut Vec<Asked>) {
        let mut events = RowEvents::default();
        let (rows, selection, focused) = (&self.shown, &self.selection, self.focused.as_deref());
        let (votes, answers) = (&self.votes, &self.answers);
        egui::ScrollArea::horizontal().id_salt("meps-sideways").show(ui, |ui| {
            let mut table = TableBuilder::new(ui)
                .id_salt("meps")
                .striped(true)
                .resizable(true)
                .sense(egui::Sense::click())
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::exact(24.0))
                .column(Column::initial(200.0).at_least(120.0).clip(true))
                .column(Column::initial(110.0).at_least(70.0).clip(true))
                .column(Column::initial(110.0).at_least(80.0).clip(true))
                .column(Column::initial(90.0).at_least(60.0).clip(true))
                .column(Column::initial(150.0).at_least(80.0).clip(true))
                .column(Column::initial(170.0).at_least(90.0).clip(true));
            for _ in &votes.named {
                table = table.column(Column::initial(110.0).at_least(70.0).clip(true));
            }
            let mut vote_titles: Vec<String> = votes.named.iter().map(|(name, _)| format!("Vote: {name}")).collect();
            if answers.any() {
                table = table.column(Column::initial(120.0).at_least(80.0).clip(true));
                vote_titles.push("Response".to_owned());
            }
            table
                .column(Column::remainder().at_least(260.0).clip(true))
                .header(22.0, |mut header| {
                    let fixed = ["", "Name", "Country", "Language", "Group", "Party", "Committees"];
                    let titles = fixed.iter().copied().chain(vote_titles.iter().map(String::as_str));
                    for title in titles.chain(["E-mail"]) {
                        header.col(|ui| {
                            ui.strong(title);
                        });
                    }
                })
                .body(|body| {
                    body.rows(22.0, rows.len(), |mut row| {
                        let mep: &Mep = &directory.meps[rows[row.index()]];
                        row.set_selected(focused == Some(mep.id.as_str()));
                        let columns = Columns { votes, answers };
                        mep_row(
                            &mut row,
                            mep,
                            selection.contains(&mep.id),
                            campaign,
                            &columns,
                            &mut events,
                        );
                    });
                });
        });
        for (id, on) in events.toggled {
            self.selection.set(&id, on);
            self.focused = Some(id);
            self.touch(asked);
        }
        if let Some(id) = events.focus {
            self.focused = Some(id);
        }
        if let Some((id, language)) = events.language {
            asked.push(Asked::Language(id, language));
        }
    }

    fn mep_detail(
        &mut self,
        ui: &mut egui::Ui,
        directory: &Directory,
        overrides: Option<&std::path::Path>,
        asked: &mut Vec<Asked>,
    ) {
        let Some(mep) = self.focused.as_deref().and_then(|id| directory.get(id)) else {
            ui.label("Click a row to see the MEP's details.");
            return;
        };
        if !state::is_shown(directory, &self.shown, &mep.id) {
            self.hidden_notice(ui, mep);
            return;
        }
        mep_summary(ui, mep);
        ui.add_space(6.0);
        let mut selected = self.selection.contains(&mep.id);
        if ui.checkbox(&mut selected, "Send this MEP the letter").changed() {
            self.selection.set(&mep.id, selected);
            self.touch(asked);
        }
        if ui.button("Preview the letter to this MEP").clicked() {
            asked.push(Asked::Preview);
        }
        self.correction_form(ui, mep, overrides, asked);
    }

    /// The focused MEP is not among the rows shown: the pane says so rather
    /// than show a record the table hides.
    fn hidden_notice(&mut self, ui: &mut egui::Ui, mep: &Mep) {
        ui.label(RichText::new(format!("{} is hidden by the filters.", mep.display_name())).strong());
        ui.label(
            RichText::new("Click a row to see another MEP's details, or clear the filters to see this one again.")
                .color(ui.visuals().weak_text_color()),
        );
        if ui.button("Clear the filters").clicked() {
            self.filters = Filters::default();
        }
    }

    /// The correction form for one MEP, starting from the saved correction.
    fn correction_form(
        &mut self,
        ui: &mut egui::Ui,
        mep: &Mep,
        overrides: Option<&std::path::Path>,
        asked: &mut Vec<Asked>,
    ) {
        ui.separator();
        ui.label(RichText::new("Correct this record").strong());
        ui.label(
            RichText::new("Your corrections are kept apart from the directory and survive a refresh.")
                .small()
                .color(ui.visuals().weak_text_color()),
        );
        let editing = match &mut self.editing {
            Some((id, o)) if *id == mep.id => o,
            slot => {
                let current = overrides
                    .and_then(|file| Overrides::load(file).ok())
                    .and_then(|o| o.meps.get(&mep.id).cloned())
                    .unwrap_or_default();
                &mut slot.insert((mep.id.clone(), current)).1
            }
        };
        let field = |ui: &mut egui::Ui, label: &str, value: &mut Option<String>, current: &str| {
            let l = ui.label(label);
            let mut text = value.clone().unwrap_or_default();
            ui.add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text(current)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
            *value = Some(text).filter(|t| !t.trim().is_empty());
        };
        field(ui, "Given name", &mut editing.given_name, &mep.given_name);
        field(ui, "Family name", &mut editing.family_name, &mep.family_name);
        field(ui, "E-mail", &mut editing.email, mep.email.as_deref().unwrap_or(""));
        if let Some(why) = mep
            .email
            .as_ref()
            .and_then(|e| self.bounced.get(&e.trim().to_lowercase()))
        {
            super::preview::problem(
                ui,
                &format!("A letter to this address {why}. Correct the address above."),
            );
        }
        field(
            ui,
            "National party",
            &mut editing.national_party,
            mep.national_party.as_deref().unwrap_or(""),
        );
        gender_combo(ui, &mut editing.gender, mep);
        field(ui, "Note", &mut editing.note, "");
        let edited = editing.clone();
        ui.horizontal(|ui| {
            if ui.button("Save correction").clicked() {
                asked.push(Asked::Correct(mep.id.clone(), Some(edited)));
            }
            if ui.button("Remove my correction").clicked() {
                asked.push(Asked::Correct(mep.id.clone(), None));
            }
        });
    }

    fn start_refresh(&mut self, ctx: &egui::Context, current: usize) {
        use crate::directory::import::ep_api;
        self.refresh = Some(Job::spawn("hemicycle-refresh", ctx, move |r| {
            let today = chrono::Local::now().date_naive().to_string();
            let mut report = |p: &ep_api::Progress| r.progress(p.done, p.total, p.stage);
            let fresh = ep_api::fetch(&ep_api::ApiOptions::default(), &today, r.cancel_flag(), &mut report)
                .map_err(|e| e.to_string())?;
            ep_api::check_complete(&fresh, current).map_err(|e| e.to_string())?;
            Ok(fresh)
        }));
    }

    /// The refresh and the import: a finished one says
    /// what the app should do with its directory.
    fn poll_jobs(&mut self) -> Vec<Asked> {
        let mut asked = Vec::new();
        for job in [&mut self.refresh, &mut self.import] {
            let Some(result) = job.as_mut().and_then(Job::poll) else {
                if job.as_ref().is_some_and(Job::is_finished) {
                    *job = None;
                }
                continue;
            };
            *job = None;
            asked.push(match result {
                Ok(dir) => Asked::NewDirectory(dir),
                Err(e) => Asked::Status(format!("Nothing was changed: {e}"), true),
            });
        }
        asked
    }
}

/// Who the MEP is: name, country and group, party, a link to their page on
/// the Parliament's site, and their committees with the committees' names.
fn mep_summary(ui: &mut egui::Ui, mep: &Mep) {
    ui.heading(mep.display_name());
    ui.label(format!("{} · {}", mep.country_name(), mep.group_name()));
    if let Some(p) = &mep.national_party {
        ui.label(p);
    }
    ui.label(gender_line(mep));
    ui.label(RichText::new(format!("EP id {}", mep.id)).small());
    if let Some(url) = mep.ep_page_url() {
        ui.add(egui::Hyperlink::from_label_and_url(
            "Page on the European Parliament's site",
            &url,
        ))
        .on_hover_text(url);
    }
    ui.add_space(6.0);
    if !mep.committees.is_empty() {
        ui.label(RichText::new("Committees").strong());
        for seat in &mep.committees {
            ui.label(seat.label());
        }
    }
}

/// "Gender: female (Ms)", or that the letters greet neutrally.
fn gender_line(mep: &Mep) -> String {
    match (mep.gender, mep.honorific) {
        (Some(Gender::NotKnown) | None, _) => {
            let why = if mep.gender.is_some() {
                "not known"
            } else {
                "not recorded"
            };
            format!("Gender: {why} (letters use a neutral greeting)")
        }
        (Some(g), Some(h)) => format!("Gender: {} ({})", g.label(), h.as_str()),
        (Some(g), None) => format!("Gender: {}", g.label()),
    }
}

/// The gender a correction sets, or the directory's.
fn gender_combo(ui: &mut egui::Ui, value: &mut Option<Gender>, mep: &Mep) {
    let l = ui.label("Gender (for greetings)");
    let directory_says = format!(
        "As the directory says ({})",
        mep.gender.map_or("not recorded", Gender::label)
    );
    let shown = value.map_or(directory_says.clone(), |g| g.label().to_owned());
    let _ = egui::ComboBox::from_id_salt("Gender (for greetings)")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            if ui.selectable_label(value.is_none(), directory_says).clicked() {
                *value = None;
            }
            for g in Gender::ALL {
                if ui.selectable_label(*value == Some(g), g.label()).clicked() {
                    *value = Some(g);
                }
            }
        })
        .response
        .labelled_by(l.id);
}

/// What the user did in the table this frame.
#[derive(Default)]
struct RowEvents {
    /// Checkboxes ticked or unticked: (MEP id, selected).
    toggled: Vec<(String, bool)>,
    /// The MEP whose row was clicked.
    focus: Option<String>,
    /// A language chosen for an MEP (`None`: the campaign's rule again).
    language: Option<(String, Option<Language>)>,
}

/// The columns a row draws beside the MEP's own: the campaign's votes and
/// what came back after its letter.
struct Columns<'a> {
    votes: &'a VoteColumns,
    answers: &'a answers::Answers,
}

fn mep_row(
    row: &mut egui_extras::TableRow<'_, '_>,
    mep: &Mep,
    mut selected: bool,
    campaign: Option<&Campaign>,
    columns: &Columns<'_>,
    events: &mut RowEvents,
) {
    let Columns { votes, answers } = columns;
    row.col(|ui| {
        let name = mep.display_name();
        let response = ui.checkbox(&mut selected, "").on_hover_text("Send this MEP the letter");
        response
            .widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, selected, format!("Select {name}")));
        if response.changed() {
            events.toggled.push((mep.id.clone(), selected));
        }
    });
    row.col(|ui| {
        let name = ui
            .add(egui::Label::new(mep.display_name()).sense(egui::Sense::click()))
            .on_hover_text("Show the details, and preview the letter to this MEP");
        if name.clicked() {
            events.focus = Some(mep.id.clone());
        }
    });
    row.col(|ui| {
        ui.label(mep.country_name());
    });
    row.col(|ui| {
        if let Some(c) = campaign {
            language_cell(ui, mep, c, events);
        }
    });
    row.col(|ui| {
        ui.label(&mep.group).on_hover_text(mep.group_name());
    });
    row.col(|ui| {
        ui.label(mep.national_party.as_deref().unwrap_or("—"));
    });
    row.col(|ui| committees_cell(ui, mep));
    for (name, id) in &votes.named {
        row.col(|ui| {
            let position = votes.cell(*id, &mep.id);
            ui.label(position).on_hover_text(format!(
                "How {} voted in \"{name}\" (vote {id}); none: not in the Parliament then",
                mep.display_name()
            ));
        });
    }
    if answers.any() {
        row.col(|ui| {
            ui.label(answers.cell(&mep.id))
                .on_hover_text("What came back after the letter (File → Responses… reads the Inbox)");
        });
    }
    row.col(|ui| email_cell(ui, mep));
    if row.response().clicked() {
        events.focus = Some(mep.id.clone());
    }
}

/// The language of the MEP's letter: the campaign's rule, or a choice made
/// for them among the campaign's languages.
fn language_cell(ui: &mut egui::Ui, mep: &Mep, c: &Campaign, events: &mut RowEvents) {
    let languages = c.languages();
    let chosen = c.chosen_language(&mep.id);
    let rule = c.rule_language_for(mep);
    let shown = chosen.unwrap_or(rule);
    let name = mep.display_name();
    if languages.len() < 2 && chosen.is_none() {
        ui.label(shown.english_name())
            .on_hover_text("The campaign is written in one language; add translations to write to each MEP in theirs");
        return;
    }
    let text = if chosen.is_some() {
        format!("{} (chosen)", shown.english_name())
    } else {
        shown.english_name().to_owned()
    };
    let response = egui::ComboBox::from_id_salt(("mep-language", &mep.id))
        .selected_text(text)
        .width(100.0)
        .show_ui(ui, |ui| {
            let by_rule = format!("{} (by the campaign's rule)", rule.english_name());
            if ui.selectable_label(chosen.is_none(), by_rule).clicked() {
                events.language = Some((mep.id.clone(), None));
            }
            for l in &languages {
                if ui.selectable_label(chosen == Some(*l), l.english_name()).clicked() {
                    events.language = Some((mep.id.clone(), Some(*l)));
                }
            }
        })
        .response;
    response
        .on_hover_text("The language of this MEP's letter: by the campaign's rule (their country's language, if the campaign has it), or your choice")
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, format!("Language of {name}")));
}

/// "EMPL (substitute), IMCO": each code with its committee's name on hover.
fn committees_cell(ui: &mut egui::Ui, mep: &Mep) {
    let last = mep.committees.len().saturating_sub(1);
    for (i, seat) in mep.committees.iter().enumerate() {
        let mut text = match seat.role {
            Role::Member => seat.code.clone(),
            role => format!("{} ({role})", seat.code),
        };
        if i < last {
            text.push(',');
        }
        ui.label(text).on_hover_text(seat.label());
    }
}

fn email_cell(ui: &mut egui::Ui, mep: &Mep) {
    match (&mep.email, mep.email_is_guess) {
        (Some(e), false) => {
            ui.label(e.as_str());
        }
        (Some(e), true) => {
            ui.label(RichText::new(format!("{e} (guess)")).color(ui.visuals().warn_fg_color))
                .on_hover_text("This address is a guess from the Parliament's pattern; check it before sending");
        }
        (None, _) => {
            ui.label(RichText::new("no e-mail").color(ui.visuals().error_fg_color))
                .on_hover_text("No address is known: add one in the details, or export a letter to post");
        }
    }
}

/// Shown when the campaign has no recipients yet.
pub(super) fn no_recipients(ui: &mut egui::Ui) {
    preview::notice(ui, "No MEP is selected yet: choose the recipients in the first tab.");
}
