//! The letter tab: the campaign editor on the left, the live preview on the
//! right, problems shown next to what causes them.

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use super::files::Purpose;
use super::jobs::Job;
use super::state::{CUSTOM_TEMPLATE, Doc};
use super::{App, Fit, preview, recipients};
use crate::campaign::translations::Freshness;
use crate::campaign::{Cosigner, Demand};
use crate::cite::{CitationStyle, Library};
use crate::compose::codes;
use crate::language::Language;

/// What the editor keeps between frames.
#[derive(Default)]
pub struct EditorUi {
    /// Problems of the campaign's own text, for this generation.
    problems: Option<(u64, Vec<String>)>,
    template_error: Option<String>,
    /// An opening or closing paragraph that is not a valid template.
    wording_error: Option<String>,
    /// The template text in the editor (kept while it has an error).
    template_text: Option<String>,
    /// The demand whose body had the focus last: (index, text edit id).
    last_body: Option<(usize, egui::Id)>,
    /// Put the keyboard focus into this demand's text (0-based) next frame.
    pub(super) focus_demand: Option<usize>,
    source_search: String,
    pdf: Option<Job<Result<PathBuf, String>>>,
    /// A bibliography or demand set being read, for the campaign as it was
    /// at that edit (its generation).
    loading: Option<Loading>,
}

/// (the campaign's generation, what, which file, the job)
type Loading = (u64, Pick, PathBuf, Job<Result<Loaded, String>>);

/// A file read on a background job, ready to join the campaign.
enum Loaded {
    Library(Library),
    Composer(Box<crate::compose::Composer>),
    Style(Box<CitationStyle>),
    /// The campaign's bibliography files read again.
    Refreshed(Library),
}

impl EditorUi {
    /// After an undo: the template editor shows the campaign's template
    /// again, not text kept from before.
    pub(super) fn forget_template_text(&mut self) {
        self.template_text = None;
        self.template_error = None;
    }

    pub(super) fn busy(&self) -> bool {
        self.loading.is_some() || self.pdf.is_some()
    }

    /// After the sources changed without an edit: check the citations again.
    pub(super) fn forget_problems(&mut self) {
        self.problems = None;
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Pick {
    Bibliography,
    /// A user's `.csl` file.
    Style,
    /// No file chosen: the campaign's bibliography files read again after
    /// one changed on disk.
    Refresh,
    DemandSet,
    Cosigners,
    Logo,
    /// No file: the campaign's own files read again.
    Reload,
}

impl Pick {
    /// What the file chooser asks for.
    fn purpose(self) -> Option<Purpose> {
        match self {
            Self::Bibliography => Some(Purpose::Bibliography),
            Self::Style => Some(Purpose::CitationStyle),
            Self::DemandSet => Some(Purpose::DemandSet),
            Self::Cosigners => Some(Purpose::Cosigners),
            Self::Logo => Some(Purpose::Logo),
            Self::Reload | Self::Refresh => None,
        }
    }
}

/// Says that the campaign's author locked what follows.
fn locked_note(ui: &mut egui::Ui, locked: bool) {
    if locked {
        ui.label(
            RichText::new("Locked by the campaign's author: your own words go in Write to your MEPs…")
                .small()
                .color(ui.visuals().weak_text_color()),
        );
    }
}

fn section(ui: &mut egui::Ui, title: &str, open: bool, add: impl FnOnce(&mut egui::Ui)) {
    egui::CollapsingHeader::new(RichText::new(title).strong())
        .default_open(open)
        .show(ui, add);
}

/// A labelled single-line field; true when changed.
fn field(ui: &mut egui::Ui, label: &str, value: &mut String) -> bool {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(f32::INFINITY))
        .labelled_by(l.id)
        .changed()
}

/// Lines edited as one text, one entry per line.
fn lines(ui: &mut egui::Ui, label: &str, value: &mut Vec<String>) -> bool {
    let l = ui.label(label);
    let mut text = value.join("\n");
    let changed = ui
        .add(
            egui::TextEdit::multiline(&mut text)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id)
        .changed();
    if changed {
        *value = text
            .lines()
            .map(str::to_owned)
            .filter(|l| !l.trim().is_empty())
            .collect();
    }
    changed
}

/// What the user asked of one demand in the list.
enum DemandAsk {
    Edit(Box<Demand>),
    Move(isize),
    Remove,
}

/// The narrowest the editor and the preview get, in points (the divider
/// stops there; `fit` notes a panel squeezed below, less its margins).
const EDITOR_MIN_WIDTH: f32 = 340.0;
const PREVIEW_MIN_WIDTH: f32 = 400.0;

impl App {
    pub(super) fn letter_panel(&mut self, ui: &mut egui::Ui) {
        self.poll_editor_jobs(ui.ctx());
        if self.doc.is_none() {
            ui.label("Open a campaign (File ▸ Open) or start a new one (File ▸ New campaign).");
            return;
        }
        // Each side keeps its minimum width: the divider moves between them,
        // and no content widens the editor past the preview's share.
        let width = ui.available_width();
        let most = (width - PREVIEW_MIN_WIDTH).max(EDITOR_MIN_WIDTH);
        egui::Panel::left("editor")
            .resizable(true)
            .default_size((width * 0.5).clamp(EDITOR_MIN_WIDTH, most))
            .size_range(EDITOR_MIN_WIDTH..=most)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().id_salt("editor-scroll").show(ui, |ui| {
                    let room = Fit::room(ui);
                    self.fit.at_least("editor", room, EDITOR_MIN_WIDTH - 30.0);
                    self.problems(ui);
                    self.translation_notes(ui);
                    self.editor(ui);
                    self.fit.panel("editor", room, ui);
                });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            let room = Fit::room(ui);
            self.fit.at_least("preview", room, PREVIEW_MIN_WIDTH - 30.0);
            self.preview_panel(ui);
            self.fit.panel("preview", room, ui);
        });
    }

    fn problems(&mut self, ui: &mut egui::Ui) {
        let Some(doc) = &self.doc else { return };
        let fresh = self
            .editor_ui
            .problems
            .as_ref()
            .is_some_and(|(g, _)| *g == doc.generation);
        if !fresh {
            let mut list: Vec<String> = doc
                .composer
                .citation_problems()
                .iter()
                .map(ToString::to_string)
                .collect();
            if let Err(e) = doc.composer.template_name() {
                list.push(e.to_string());
            }
            self.editor_ui.problems = Some((doc.generation, list));
        }
        for e in [&self.editor_ui.template_error, &self.editor_ui.wording_error]
            .into_iter()
            .flatten()
        {
            preview::problem(ui, e);
        }
        if let Some((_, list)) = &self.editor_ui.problems {
            for p in list {
                preview::problem(ui, p);
            }
        }
        if let Some(Some(Err(e))) = Some(&self.preview.letter) {
            let known = self.editor_ui.problems.as_ref().is_some_and(|(_, l)| l.contains(e));
            if !known {
                preview::problem(ui, e);
            }
        }
    }

    /// The campaign's own translated texts (title, subject lines, phrases,
    /// questions) whose original changed since they were translated, each
    /// with "Still right"; the demands' are under each demand.
    fn translation_notes(&mut self, ui: &mut egui::Ui) {
        let Some(doc) = self.doc.as_mut() else { return };
        let warn = ui.visuals().warn_fg_color;
        let mut record = None;
        for language in doc.composer.campaign.languages().into_iter().skip(1) {
            let name = language.english_name();
            for p in doc.composer.pairs(language) {
                if p.id.starts_with("demands.") || p.freshness != Freshness::Changed {
                    continue;
                }
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("{name}: {} changed since it was translated.", p.what)).color(warn));
                    if still_right(ui, name, &p.what).clicked() {
                        record = Some((language, p.id.clone(), p.original.clone()));
                    }
                });
            }
        }
        if let Some((language, id, original)) = record
            && let Some(t) = doc
                .composer
                .campaign
                .translations
                .iter_mut()
                .find(|(k, _)| Language::parse(k) == Some(language))
                .map(|(_, t)| t)
        {
            t.record_source(&id, &original);
            doc.touch();
        }
    }

    fn editor(&mut self, ui: &mut egui::Ui) {
        let Some(mut doc) = self.doc.take() else { return };
        let mut changed = false;
        section(ui, "Campaign", true, |ui| {
            changed |= self.campaign_section(ui, &mut doc);
        });
        let locked = |name: &str| doc.composer.campaign.volunteer.locked.iter().any(|l| l == name);
        let (demands_locked, phrases_locked) = (locked("demands"), locked("opening") || locked("closing"));
        section(ui, "Demands", true, |ui| {
            locked_note(ui, demands_locked);
            ui.add_enabled_ui(!demands_locked, |ui| changed |= self.demands_editor(ui, &mut doc));
        });
        section(ui, "Opening and closing paragraphs", false, |ui| {
            locked_note(ui, phrases_locked);
            ui.add_enabled_ui(!phrases_locked, |ui| {
                for (key, label) in [
                    ("opening", "Opening paragraph (instead of the template's)"),
                    ("closing", "Closing paragraph"),
                ] {
                    let mut text = doc
                        .composer
                        .campaign
                        .vars
                        .get(key)
                        .and_then(toml::Value::as_str)
                        .unwrap_or_default()
                        .to_owned();
                    let l = ui.label(label);
                    if ui
                        .add(
                            egui::TextEdit::multiline(&mut text)
                                .desired_rows(3)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(l.id)
                        .changed()
                    {
                        if text.trim().is_empty() {
                            doc.composer.campaign.vars.remove(key);
                        } else {
                            doc.composer
                                .campaign
                                .vars
                                .insert(key.to_owned(), toml::Value::String(text));
                        }
                        // The letter (and its translations' out-of-date
                        // check) uses the paragraph as it is now.
                        self.editor_ui.wording_error = doc.composer.refresh_wording().err().map(|e| e.to_string());
                        changed = true;
                    }
                }
            });
        });
        section(ui, "Addressees", false, |ui| {
            let r = &mut doc.composer.campaign.recipients;
            changed |= ui
                .checkbox(&mut r.address_mep, "Name each MEP in the To block")
                .changed();
            changed |= lines(ui, "Also to (one per line)", &mut r.to);
            changed |= lines(ui, "Cc (one per line)", &mut r.cc);
        });
        section(ui, "Organisation", false, |ui| {
            changed |= self.organisation_editor(ui, &mut doc);
        });
        section(ui, "Co-signers", false, |ui| {
            changed |= self.cosigners_editor(ui, &mut doc);
        });
        section(ui, "Sources", false, |ui| changed |= self.sources_editor(ui, &mut doc));
        section(ui, "Template source", false, |ui| {
            changed |= self.template_editor(ui, &mut doc);
        });
        if changed {
            doc.touch();
        }
        self.doc = Some(doc);
    }

    fn campaign_section(&mut self, ui: &mut egui::Ui, doc: &mut Doc) -> bool {
        let mut changed = false;
        changed |= field(ui, "Title", &mut doc.composer.campaign.title);
        let subjects_locked = doc.composer.campaign.volunteer.locked.iter().any(|l| l == "subjects");
        ui.add_enabled_ui(!subjects_locked, |ui| {
            changed |= lines(
                ui,
                "Subject lines (one per line, given in turn; may use {{mep.name}})",
                &mut doc.composer.campaign.subjects,
            );
        });
        ui.horizontal(|ui| {
            let l = ui.label("Template");
            let current = doc.composer.campaign.template.clone();
            let _ = egui::ComboBox::from_id_salt("Template")
                .selected_text(&current)
                .show_ui(ui, |ui| {
                    for name in doc.composer.templates.names() {
                        if name != CUSTOM_TEMPLATE && ui.selectable_label(current == name, &name).clicked() {
                            doc.composer.campaign.template = name;
                            doc.custom_template = None;
                            self.editor_ui.template_text = None;
                            self.editor_ui.template_error = None;
                            changed = true;
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("Language");
            let lang = doc.composer.campaign.language.clone();
            let _ = egui::ComboBox::from_id_salt("Language")
                .selected_text(language_label(&lang))
                .show_ui(ui, |ui| {
                    for language in Language::all() {
                        let code = language.code();
                        if ui.selectable_label(lang == code, language_label(code)).clicked() {
                            code.clone_into(&mut doc.composer.campaign.language);
                            doc.composer.clear_cache();
                            changed = true;
                        }
                    }
                })
                .response
                .labelled_by(l.id);
        });
        changed |= self.style_picker(ui, doc);
        changed
    }

    fn demands_editor(&mut self, ui: &mut egui::Ui, doc: &mut Doc) -> bool {
        let mut asked = None;
        let translations: Vec<Language> = doc.composer.campaign.languages().into_iter().skip(1).collect();
        for (i, demand) in doc.composer.demands.iter().enumerate() {
            let origin = doc.composer.demand_origins.get(i).map_or("", String::as_str);
            if let Some(a) = self.demand_card(ui, i, demand, origin) {
                asked = Some((i, a));
            }
            if let Some(d) = translations_card(ui, i, demand, &translations) {
                asked = Some((i, DemandAsk::Edit(Box::new(d))));
            }
        }
        match asked {
            Some((i, DemandAsk::Edit(d))) => doc.edit_demand(i, *d),
            Some((i, DemandAsk::Move(delta))) => doc.move_demand(i, delta),
            Some((i, DemandAsk::Remove)) => {
                doc.remove_demand(i);
                self.editor_ui.last_body = None;
            }
            None => {}
        }
        ui.horizontal(|ui| {
            if ui.button("Add a demand").clicked() {
                doc.add_demand();
            }
            if ui.button("Add a demand set…").clicked() {
                self.pick_file(ui.ctx(), Pick::DemandSet);
            }
            if ui.button("Demand-set library…").clicked() {
                self.open_library(ui.ctx());
            }
        });
        for set in &doc.composer.campaign.demand_sets {
            ui.label(RichText::new(format!("Demand set: {}", set.display())).small());
        }
        // The edits above mark the campaign changed themselves (`Doc`).
        false
    }

    /// One demand: its number, title, buttons, text and where it comes from.
    fn demand_card(&mut self, ui: &mut egui::Ui, i: usize, demand: &Demand, origin: &str) -> Option<DemandAsk> {
        let mut d = demand.clone();
        let mut asked = None;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("{}.", i + 1)).strong());
                let title = ui.add(
                    egui::TextEdit::singleline(&mut d.title)
                        .desired_width(ui.available_width() - 140.0)
                        .hint_text("Demand title"),
                );
                title.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, format!("Title of demand {}", i + 1))
                });
                if title.changed() {
                    asked = Some(DemandAsk::Edit(Box::new(d.clone())));
                }
                if ui.small_button("↑").on_hover_text("Move up").clicked() {
                    asked = Some(DemandAsk::Move(-1));
                }
                if ui.small_button("↓").on_hover_text("Move down").clicked() {
                    asked = Some(DemandAsk::Move(1));
                }
                if ui.small_button("Remove").clicked() {
                    asked = Some(DemandAsk::Remove);
                }
            });
            let id = ui.make_persistent_id(("demand-body", i));
            let body = ui.add(
                egui::TextEdit::multiline(&mut d.body)
                    .id(id)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .hint_text("Why this matters, in Markdown, with sources: [@key, p. 4]"),
            );
            body.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::Role::MultilineTextInput,
                    true,
                    format!("Text of demand {}", i + 1),
                )
            });
            if self.editor_ui.focus_demand == Some(i) {
                body.request_focus();
                self.editor_ui.focus_demand = None;
            }
            if body.has_focus() || body.changed() {
                self.editor_ui.last_body = Some((i, id));
            }
            if body.changed() {
                asked = Some(DemandAsk::Edit(Box::new(d.clone())));
            }
            ui.label(RichText::new(origin).small().color(ui.visuals().weak_text_color()));
        });
        asked
    }

    fn organisation_editor(&mut self, ui: &mut egui::Ui, doc: &mut Doc) -> bool {
        let org = &mut doc.composer.campaign.organisation;
        let mut changed = false;
        changed |= field(ui, "Organisation name", &mut org.name);
        changed |= lines(ui, "Postal address (one line per line)", &mut org.address);
        changed |= field(ui, "Place (as in \"Brussels, 23 November 2026\")", &mut org.place);
        changed |= field(ui, "Website", &mut org.website);
        changed |= field(ui, "E-mail", &mut org.email);
        changed |= field(ui, "Signatory", &mut org.signatory.name);
        changed |= field(ui, "Signatory's role", &mut org.signatory.role);
        changed |= field(
            ui,
            "Reference numbers ({org}, {year}, {seq:03}, {id})",
            &mut org.reference_pattern,
        );
        ui.horizontal(|ui| {
            let logo = org
                .logo
                .as_ref()
                .map_or_else(|| "no logo".to_owned(), |l| l.display().to_string());
            ui.label(format!("Logo: {logo}"));
            if ui.button("Choose…").clicked() {
                self.pick_file(ui.ctx(), Pick::Logo);
            }
        });
        changed
    }

    fn cosigners_editor(&mut self, ui: &mut egui::Ui, doc: &mut Doc) -> bool {
        let list = &mut doc.composer.campaign.cosigners;
        let mut changed = false;
        let mut remove = None;
        egui::Grid::new("cosigners")
            .num_columns(4)
            .striped(true)
            .show(ui, |ui| {
                ui.strong("Organisation");
                ui.strong("Country");
                ui.strong("Heading");
                ui.end_row();
                for (i, c) in list.iter_mut().enumerate() {
                    let n = i + 1;
                    let named = |r: egui::Response, what: &str| {
                        r.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::TextInput, true, format!("{what} of co-signer {n}"))
                        });
                        r.changed()
                    };
                    changed |= named(ui.text_edit_singleline(&mut c.name), "Name");
                    changed |= named(
                        ui.add(egui::TextEdit::singleline(&mut c.country).desired_width(50.0)),
                        "Country",
                    );
                    changed |= named(ui.text_edit_singleline(&mut c.group), "Heading");
                    if ui.small_button("Remove").clicked() {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
        if let Some(i) = remove {
            list.remove(i);
            changed = true;
        }
        ui.horizontal(|ui| {
            if ui.button("Add a co-signer").clicked() {
                list.push(Cosigner::default());
                changed = true;
            }
            if ui
                .button("Import CSV…")
                .on_hover_text("Columns: name, country, group")
                .clicked()
            {
                self.pick_file(ui.ctx(), Pick::Cosigners);
            }
        });
        changed
    }

    fn sources_editor(&mut self, ui: &mut egui::Ui, doc: &mut Doc) -> bool {
        ui.horizontal(|ui| {
            ui.label(format!("{} sources", doc.composer.library.len()));
            if ui
                .button("Import a bibliography…")
                .on_hover_text("CSL-JSON (Zotero), BibTeX or hayagriva YAML")
                .clicked()
            {
                self.pick_file(ui.ctx(), Pick::Bibliography);
            }
            self.zotero_button(ui);
        });
        ui.horizontal(|ui| {
            let l = ui.label("Search sources");
            ui.add(egui::TextEdit::singleline(&mut self.editor_ui.source_search).desired_width(f32::INFINITY))
                .labelled_by(l.id);
        });
        let target = self.editor_ui.last_body;
        if target.is_none() {
            ui.label(
                RichText::new("Click into a demand's text, then pick a source to cite it there.")
                    .small()
                    .color(ui.visuals().weak_text_color()),
            );
        }
        let needle = crate::directory::query::fold(&self.editor_ui.source_search);
        let mut keys: Vec<String> = doc.composer.library.keys().collect();
        keys.sort();
        let mut insert = None;
        // Tall enough for several sources even at the bottom of a small
        // window (a scroll area shrinks to 64 points otherwise).
        egui::ScrollArea::vertical()
            .id_salt("sources")
            .min_scrolled_height(200.0)
            .max_height(260.0)
            .show(ui, |ui| {
                for key in keys {
                    let title = doc.composer.library.title(&key).unwrap_or_default();
                    if !needle.is_empty() && !crate::directory::query::fold(&format!("{key} {title}")).contains(&needle)
                    {
                        continue;
                    }
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(target.is_some(), egui::Button::new("Cite"))
                            .on_hover_text(format!("Insert [@{key}] where the cursor was"))
                            .clicked()
                        {
                            insert = Some(key.clone());
                        }
                        ui.label(RichText::new(&key).monospace());
                        // Cut, not extended: a long title never widens the
                        // editor (and squeezes the preview).
                        ui.add(egui::Label::new(title).truncate());
                    });
                }
            });
        if let (Some(key), Some((index, id))) = (insert, target) {
            let Some(mut d) = doc.composer.demands.get(index).cloned() else {
                return false;
            };
            let at = egui::TextEdit::load_state(ui.ctx(), id)
                .and_then(|s| s.cursor.char_range())
                .map_or(d.body.chars().count(), |r| usize::from(r.primary.index));
            let byte = d.body.char_indices().nth(at).map_or(d.body.len(), |(b, _)| b);
            d.body.insert_str(byte, &format!(" [@{key}]"));
            doc.edit_demand(index, d);
        }
        false
    }

    fn template_editor(&mut self, ui: &mut egui::Ui, doc: &mut Doc) -> bool {
        let name = doc.composer.template_name().unwrap_or_default();
        let mut text = self
            .editor_ui
            .template_text
            .clone()
            .or_else(|| doc.custom_template.clone())
            .or_else(|| doc.composer.templates.source(&name).map(str::to_owned))
            .unwrap_or_default();
        let l = ui.label(
            RichText::new("Template text: Handlebars producing Markdown. Changing it makes a template of this campaign's own, saved beside the campaign file.")
                .small()
                .color(ui.visuals().weak_text_color()),
        );
        let response = ui
            .add(
                egui::TextEdit::multiline(&mut text)
                    .id_salt("template-source")
                    .code_editor()
                    .desired_rows(16)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        if !response.changed() {
            return false;
        }
        self.editor_ui.template_text = Some(text.clone());
        match doc.composer.templates.add(CUSTOM_TEMPLATE, &text) {
            Ok(()) => {
                self.editor_ui.template_error = None;
                doc.custom_template = Some(text);
                CUSTOM_TEMPLATE.clone_into(&mut doc.composer.campaign.template);
                true
            }
            Err(e) => {
                self.editor_ui.template_error = Some(e.to_string());
                false
            }
        }
    }

    pub(super) fn pick_file(&mut self, _ctx: &egui::Context, pick: Pick) {
        if let Some(purpose) = pick.purpose() {
            // Next to the campaign's own files.
            let start = self
                .doc
                .as_ref()
                .and_then(|d| d.composer.path.parent().map(Path::to_path_buf));
            self.files.ask(purpose, start);
        }
    }

    fn poll_editor_jobs(&mut self, ctx: &egui::Context) {
        for pick in [
            Pick::Bibliography,
            Pick::Style,
            Pick::DemandSet,
            Pick::Cosigners,
            Pick::Logo,
        ] {
            if let Some(path) = pick.purpose().and_then(|p| self.files.take(p)) {
                self.add_file(ctx, pick, path);
            }
        }
        if let Some(job) = self.editor_ui.pdf.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.editor_ui.pdf = None;
            match result {
                Ok(path) => {
                    if let Err(e) = super::dialogs::open_in_system(&path) {
                        self.set_status(
                            format!("The PDF is at {}, but no viewer opened: {e}", path.display()),
                            true,
                        );
                    }
                }
                Err(e) => self.set_status(format!("The PDF could not be made: {e}"), true),
            }
        }
        self.finish_loading(ctx);
        self.watch_bibliography(ctx);
        if self.editor_ui.loading.is_none() && !self.citations_ui.changed_files.is_empty() {
            self.start_loading(ctx, Pick::Refresh, PathBuf::new());
        }
        self.zotero_window(ctx);
    }

    /// Adds a demand set chosen in the library to the campaign.
    pub(super) fn add_demand_set(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.add_file(ctx, Pick::DemandSet, path);
    }

    /// Adds a file the user picked to the campaign. A bibliography or a
    /// demand set is read on a background job (it may be large, or on a
    /// slow disk), then joins the campaign.
    fn add_file(&mut self, ctx: &egui::Context, pick: Pick, path: PathBuf) {
        let Some(doc) = self.doc.as_mut() else { return };
        let result: Result<(), String> = match pick {
            Pick::Bibliography | Pick::Style | Pick::DemandSet | Pick::Reload | Pick::Refresh => {
                self.start_loading(ctx, pick, path);
                return;
            }
            Pick::Cosigners => read_cosigners(&path).map(|list| doc.composer.campaign.cosigners.extend(list)),
            Pick::Logo => {
                doc.composer.campaign.organisation.logo = Some(path);
                Ok(())
            }
        };
        match result {
            Ok(()) => doc.touch(),
            Err(e) => self.set_status(e, true),
        }
    }

    /// Reads the campaign's files again (after an undo changed which).
    pub(super) fn reload_campaign(&mut self, ctx: &egui::Context) {
        self.start_loading(ctx, Pick::Reload, PathBuf::new());
    }

    fn start_loading(&mut self, ctx: &egui::Context, pick: Pick, path: PathBuf) {
        let Some(doc) = self.doc.as_ref() else { return };
        let generation = doc.generation;
        let base = doc.composer.path.clone();
        let mut campaign = doc.composer.campaign.clone();
        let templates = self.settings.templates_dir.clone();
        let file = path.clone();
        let library_files = doc.composer.library_files.clone();
        if pick == Pick::Refresh {
            self.citations_ui.changed_files.clear();
        }
        let job = Job::spawn("hemicycle-load-file", ctx, move |_| {
            if pick == Pick::Style {
                return CitationStyle::load(&file.to_string_lossy(), Path::new(""))
                    .map(|s| Loaded::Style(Box::new(s)))
                    .map_err(|e| e.to_string());
            }
            if pick == Pick::Refresh {
                return Library::load(&library_files)
                    .map(Loaded::Refreshed)
                    .map_err(|e| e.to_string());
            }
            if pick == Pick::Bibliography {
                let mut files: Vec<PathBuf> = campaign
                    .bibliography
                    .iter()
                    .map(|b| crate::campaign::resolve(&base, b))
                    .collect();
                files.push(file);
                return Library::load(&files).map(Loaded::Library).map_err(|e| e.to_string());
            }
            if pick == Pick::DemandSet {
                crate::campaign::DemandSet::load(&file).map_err(|e| e.to_string())?;
                campaign.demand_sets.push(file);
            }
            crate::compose::Composer::from_campaign(campaign, &base, templates.as_deref())
                .map(|c| Loaded::Composer(Box::new(c)))
                .map_err(|e| e.to_string())
        });
        self.editor_ui.loading = Some((generation, pick, path, job));
    }

    /// Joins a file read on its job to the campaign; read again if the
    /// campaign changed meanwhile.
    fn finish_loading(&mut self, ctx: &egui::Context) {
        let Some((generation, pick, path, job)) = self.editor_ui.loading.as_mut() else {
            return;
        };
        let Some(result) = job.poll_result() else { return };
        let (generation, pick, path) = (*generation, *pick, path.clone());
        self.editor_ui.loading = None;
        let Some(doc) = self.doc.as_mut() else { return };
        if doc.generation != generation {
            self.start_loading(ctx, pick, path);
            return;
        }
        match result {
            Ok(Loaded::Library(lib)) => {
                doc.composer.library = lib;
                doc.composer.library_files.push(path.clone());
                doc.composer.campaign.bibliography.push(path);
                doc.composer.clear_cache();
                doc.touch();
            }
            Ok(Loaded::Composer(c)) => {
                doc.composer = *c;
                doc.touch();
            }
            Ok(Loaded::Style(style)) => {
                let folder = doc.composer.path.parent().unwrap_or_else(|| Path::new(""));
                let spec = path.strip_prefix(folder).unwrap_or(&path).display().to_string();
                doc.composer.style = *style;
                doc.composer.campaign.citation_style.clone_from(&spec);
                doc.composer.clear_cache();
                doc.touch();
                self.set_status(format!("Citation style: {spec}"), false);
            }
            Ok(Loaded::Refreshed(lib)) => {
                let files = doc.composer.library_files.clone();
                self.bibliography_reloaded(Ok(lib), &files);
            }
            Err(e) if pick == Pick::Refresh => {
                let files = doc.composer.library_files.clone();
                self.bibliography_reloaded(Err(e), &files);
            }
            Err(e) if pick == Pick::Style => {
                let kept = doc.composer.campaign.citation_style.clone();
                self.set_status(format!("The campaign keeps its citation style \"{kept}\": {e}"), true);
            }
            Err(e) => self.set_status(e, true),
        }
    }

    fn preview_panel(&mut self, ui: &mut egui::Ui) {
        self.update_preview();
        let recipients: Vec<(String, String)> = self
            .recipients()
            .iter()
            .map(|m| (m.id.clone(), m.display_name()))
            .collect();
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("Preview for");
            let current = self
                .preview_mep()
                .map(crate::directory::Mep::display_name)
                .unwrap_or_default();
            let _ = egui::ComboBox::from_id_salt("Preview for")
                .selected_text(current)
                .width(220.0)
                .show_ui(ui, |ui| {
                    for (id, name) in &recipients {
                        if ui
                            .selectable_label(self.recipients.focused.as_deref() == Some(id), name)
                            .clicked()
                        {
                            self.recipients.focused = Some(id.clone());
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            for (as_email, pages, label) in [
                (false, false, "Letter"),
                (true, false, "E-mail text"),
                (false, true, "Pages"),
            ] {
                let on = self.preview.as_email == as_email && self.preview.pages.on == pages;
                if ui.selectable_label(on, label).clicked() {
                    (self.preview.as_email, self.preview.pages.on) = (as_email, pages);
                    self.settings.page_view = pages;
                    self.settings_changed = true;
                }
            }
            let busy = self.editor_ui.pdf.is_some();
            if ui.add_enabled(!busy, egui::Button::new("Open as PDF")).clicked() {
                self.open_pdf(ui.ctx());
            }
            if busy {
                ui.spinner();
            }
        });
        ui.separator();
        if recipients.is_empty() && self.recipients.focused.is_none() {
            recipients::no_recipients(ui);
            return;
        }
        if self.preview.pages.on {
            self.pages_view(ui);
            return;
        }
        egui::ScrollArea::vertical()
            .id_salt("preview-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width().min(720.0));
                if let Some(Ok(letter)) = &self.preview.letter
                    && let Some(note) = &letter.meta.language_note
                {
                    ui.label(RichText::new(format!("This letter is {note}.")).color(ui.visuals().warn_fg_color));
                }
                match &self.preview.letter {
                    Some(Ok(_)) if self.preview.as_email => preview::email_text(ui, &self.preview.email_text),
                    Some(Ok(letter)) => preview::letter(ui, letter),
                    Some(Err(e)) => {
                        preview::problem(ui, &format!("The letter cannot be shown: {e}"));
                        if let Some(letter) = self.last_good_letter() {
                            preview::letter(ui, letter);
                        }
                    }
                    None => {}
                }
            });
    }

    /// The page view of the previewed letter (the last good one while the
    /// letter cannot be composed, under the reason).
    fn pages_view(&mut self, ui: &mut egui::Ui) {
        if let Some(Err(e)) = &self.preview.letter {
            preview::problem(ui, &format!("The letter cannot be shown: {e}"));
        }
        let letter = match &self.preview.letter {
            Some(Ok(letter)) => self.preview.made_for.clone().map(|key| (letter, key)),
            _ => None,
        };
        let source = letter.map(|(letter, letter_key)| super::pages::PageSource {
            letter,
            letter_key,
            paper: if self.dialogs.export.us_letter {
                crate::render::pdf::Paper::UsLetter
            } else {
                crate::render::pdf::Paper::A4
            },
            logo: self
                .doc
                .as_ref()
                .and_then(|d| crate::deliver::export::logo_path(&d.composer)),
        });
        self.preview.pages.ui(ui, source.as_ref());
    }

    fn open_pdf(&mut self, ctx: &egui::Context) {
        let Some(Ok(letter)) = self.preview.letter.clone() else {
            self.set_status(
                "Fix the problems shown first: there is no letter to make a PDF of.",
                true,
            );
            return;
        };
        let Some(doc) = &self.doc else { return };
        let logo = crate::deliver::export::logo_path(&doc.composer);
        let out = self
            .config
            .paths
            .as_ref()
            .map_or_else(std::env::temp_dir, |p| p.cache.join("preview"));
        self.editor_ui.pdf = Some(Job::spawn("hemicycle-pdf-preview", ctx, move |_| {
            let logo = logo.map(|l| crate::deliver::export::read_logo(&l)).transpose()?;
            let settings = crate::render::pdf::PdfSettings {
                logo,
                ..Default::default()
            };
            let bytes = crate::render::pdf::render(&letter, &settings).map_err(|e| e.to_string())?;
            let file = out.join("letter-preview.pdf");
            crate::store::write_atomic(&file, &bytes, "the PDF preview").map_err(|e| e.to_string())?;
            Ok(file)
        }));
    }
}

/// Co-signers from a CSV file with the columns name, country, group.
fn read_cosigners(path: &std::path::Path) -> Result<Vec<Cosigner>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("could not read {}: {e}", path.display()))?;
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let Some(name_col) = col("name").or_else(|| col("organisation")) else {
        return Err(format!(
            "{} has no \"name\" column; the co-signers file needs the columns name, country, group",
            path.display()
        ));
    };
    let (country_col, group_col) = (col("country"), col("group").or_else(|| col("heading")));
    let mut list = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("line {} of {}: {e}", i + 2, path.display()))?;
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or_default().trim().to_owned();
        let name = get(Some(name_col));
        if name.is_empty() {
            continue;
        }
        list.push(Cosigner {
            name,
            country: get(country_col),
            group: get(group_col),
            ..Cosigner::default()
        });
    }
    Ok(list)
}

/// "Polish (polski)" for a code; the code itself if Hemicycle does not know it.
fn language_label(code: &str) -> String {
    match Language::parse(code) {
        Some(l) if l.english_name() == l.native_name() => l.english_name().to_owned(),
        Some(l) => format!("{} ({})", l.english_name(), l.native_name()),
        None => code.to_owned(),
    }
}

/// A demand's translations, each beside its original: a section per
/// language of the campaign, marked when its title or text is missing, out
/// of date (the original changed since it was translated) or lost a
/// citation, note or expression of the original, which it offers to add.
/// Returns the demand with an edited translation; typing a translation
/// records the original it was made from.
fn translations_card(ui: &mut egui::Ui, i: usize, demand: &Demand, languages: &[Language]) -> Option<Demand> {
    let mut edited = None;
    for &language in languages {
        let name = language.english_name();
        let own = demand.translation(language);
        let missing = own.is_none_or(|t| t.title.trim().is_empty() || t.body.trim().is_empty());
        let pairs = crate::compose::translations::demand_pairs(demand, i + 1, language);
        let stale = pairs.iter().any(|p| p.freshness == Freshness::Changed);
        let changed = pairs.iter().any(|p| !p.codes().is_empty());
        let mark = if missing {
            " — missing"
        } else if stale {
            " — out of date"
        } else if changed {
            " — check the citations"
        } else {
            ""
        };
        let heading = format!("{name} translation of demand {}{mark}", i + 1);
        let text = if mark.is_empty() {
            RichText::new(&heading)
        } else {
            RichText::new(&heading).color(ui.visuals().warn_fg_color)
        };
        egui::CollapsingHeader::new(text)
            .id_salt(("demand-translation", i, language.code()))
            .show(ui, |ui| {
                let mut d = demand.clone();
                let key = d
                    .translations
                    .keys()
                    .find(|k| Language::parse(k) == Some(language))
                    .cloned()
                    .unwrap_or_else(|| language.code().to_owned());
                let mut t = d.translations.get(&key).cloned().unwrap_or_default();
                let mut edit = side_by_side(ui, i, demand, language, &mut t);
                edit |= translation_marks(ui, &pairs, name, &mut t);
                if edit {
                    d.translations.insert(key, t);
                    edited = Some(d);
                }
            });
    }
    edited
}

/// The original beside its translation into `language`, which the user
/// types; true when typed (the original it was made from is recorded).
fn side_by_side(
    ui: &mut egui::Ui,
    i: usize,
    demand: &Demand,
    language: Language,
    t: &mut crate::campaign::DemandText,
) -> bool {
    let name = language.english_name();
    let mut edit = false;
    ui.columns(2, |cols| {
        cols[0].label(RichText::new("Original").small().strong());
        cols[0].label(RichText::new(&demand.title).strong());
        cols[0].label(&demand.body);
        cols[1].label(RichText::new(name).small().strong());
        let title = cols[1].add(
            egui::TextEdit::singleline(&mut t.title)
                .desired_width(f32::INFINITY)
                .hint_text(format!("The title in {name}")),
        );
        title.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, true, format!("{name} title of demand {}", i + 1))
        });
        let body = cols[1].add(
            egui::TextEdit::multiline(&mut t.body)
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .hint_text(format!("The text in {name}; keep each [@key] citation")),
        );
        body.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::MultilineTextInput,
                true,
                format!("{name} text of demand {}", i + 1),
            )
        });
        if title.changed() {
            t.record_source("title", &demand.title);
            edit = true;
        }
        if body.changed() {
            t.record_source("body", &demand.body);
            edit = true;
        }
    });
    edit
}

/// Under a translation: what changed in its original since it was
/// translated (with "Still right" to record that it did not need a change),
/// and each citation or expression the original has and the translation
/// lacks, with a button that adds it. True when the translation changed.
fn translation_marks(
    ui: &mut egui::Ui,
    pairs: &[crate::compose::translations::Pair],
    name: &str,
    t: &mut crate::campaign::DemandText,
) -> bool {
    let warn = ui.visuals().warn_fg_color;
    let mut edit = false;
    for p in pairs {
        let field = p.id.rsplit('.').next().unwrap_or_default();
        let stale = p.freshness == Freshness::Changed;
        if stale {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{name}: {} changed since it was translated.", p.what)).color(warn));
                if still_right(ui, name, &p.what).clicked() {
                    t.record_source(field, &p.original);
                    edit = true;
                }
            });
        }
        let now = if stale { "now " } else { "" };
        for piece in codes::missing_pieces(&p.original, &p.translation) {
            ui.horizontal_wrapped(|ui| {
                let verb = if piece.starts_with("[@") { "cites" } else { "has" };
                ui.label(
                    RichText::new(format!("The original {now}{verb} {piece}; add it to the {name} text."))
                        .small()
                        .color(warn),
                );
                let add = ui.small_button("Add");
                add.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("Add {piece} to the {name} text of {}", p.what),
                    )
                });
                if add.clicked() {
                    let text = if field == "title" { &mut t.title } else { &mut t.body };
                    *text = format!("{} {piece}", text.trim_end());
                    edit = true;
                }
            });
        }
        let unoffered = |c: &&String| c.ends_with(" is not in the original") || c.starts_with("a note");
        for change in p.codes().iter().filter(unoffered) {
            ui.label(
                RichText::new(format!("{name}, {}: {change}", p.what))
                    .small()
                    .color(warn),
            );
        }
    }
    edit
}

/// "Still right": the translation of `what` into `name` needs no change
/// although its original changed.
fn still_right(ui: &mut egui::Ui, name: &str, what: &str) -> egui::Response {
    let still = ui.small_button("Still right").on_hover_text(format!(
        "The {name} text still says what the original says: mark it up to date"
    ));
    still.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Button,
            true,
            format!("Mark the {name} text of {what} as up to date"),
        )
    });
    still
}
