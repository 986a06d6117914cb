//! The letter tab: the campaign editor on the left, the live preview on the
//! right, problems shown next to what causes them.

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use super::citations::CitationsUi;
use super::files::Purpose;
use super::jobs::Job;
use super::preview;
use super::state::{CUSTOM_TEMPLATE, Doc};
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
    focus_demand: Option<usize>,
    source_search: String,
    /// A bibliography or demand set being read, for the campaign as it was
    /// at that edit (its generation).
    loading: Option<Loading>,
    /// The citation parts: the style picker, the watched bibliography
    /// files, the Zotero window.
    citations: CitationsUi,
}

/// What the user asked of the rest of the app in the editor.
pub(super) enum Asked {
    /// A message for the status bar; true for a problem.
    Status(String, bool),
    /// Open the file chooser for this, in this folder (the answer comes
    /// back through [`EditorUi::add_file`]).
    Choose(Purpose, Option<PathBuf>),
    /// Open the demand-set library (its set comes back through
    /// [`EditorUi::add_file`]).
    OpenLibrary,
    /// The sources were read again without an edit: compose the preview
    /// again.
    Recompose,
}

/// The files the editor asks the file chooser for.
pub(super) const PURPOSES: [Purpose; 5] = [
    Purpose::Bibliography,
    Purpose::CitationStyle,
    Purpose::DemandSet,
    Purpose::Cosigners,
    Purpose::Logo,
];

/// What the editor is lent besides the campaign: the templates folder of
/// the settings, and the Zotero and watch settings of the configuration.
#[derive(Clone, Copy)]
pub(super) struct Setup<'a> {
    pub templates: Option<&'a Path>,
    pub zotero_url: &'a str,
    pub watch_interval: std::time::Duration,
}

/// Asks for the file chooser next to the campaign's own files.
fn choose(doc: &Doc, purpose: Purpose) -> Asked {
    Asked::Choose(purpose, doc.composer.path.parent().map(Path::to_path_buf))
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
        self.loading.is_some() || self.citations.busy()
    }

    /// For benchmarks and tests: put the keyboard focus into the text of
    /// demand `index` (0-based) next frame.
    pub(super) fn focus_demand(&mut self, index: usize) {
        self.focus_demand = Some(index);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pick {
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
    /// What a file the chooser answered for `purpose` is.
    fn of(purpose: Purpose) -> Option<Self> {
        match purpose {
            Purpose::Bibliography => Some(Self::Bibliography),
            Purpose::CitationStyle => Some(Self::Style),
            Purpose::DemandSet => Some(Self::DemandSet),
            Purpose::Cosigners => Some(Self::Cosigners),
            Purpose::Logo => Some(Self::Logo),
            _ => None,
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
pub(super) const EDITOR_MIN_WIDTH: f32 = 340.0;
pub(super) const PREVIEW_MIN_WIDTH: f32 = 400.0;

impl EditorUi {
    /// Draws the editor: the campaign's problems, its out-of-date
    /// translations and the sections; `letter_error` is why the preview's
    /// letter could not be made, if it could not. Returns what the user
    /// asked of the app.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &mut Doc, letter_error: Option<&str>) -> Vec<Asked> {
        let mut asked = Vec::new();
        self.problems(ui, doc, letter_error);
        translation_notes(ui, doc);
        self.editor(ui, doc, &mut asked);
        asked
    }

    fn problems(&mut self, ui: &mut egui::Ui, doc: &Doc, letter_error: Option<&str>) {
        let fresh = self.problems.as_ref().is_some_and(|(g, _)| *g == doc.generation);
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
            self.problems = Some((doc.generation, list));
        }
        for e in [&self.template_error, &self.wording_error].into_iter().flatten() {
            preview::problem(ui, e);
        }
        if let Some((_, list)) = &self.problems {
            for p in list {
                preview::problem(ui, p);
            }
        }
        if let Some(e) = letter_error {
            let known = self.problems.as_ref().is_some_and(|(_, l)| l.iter().any(|p| p == e));
            if !known {
                preview::problem(ui, e);
            }
        }
    }

    fn editor(&mut self, ui: &mut egui::Ui, doc: &mut Doc, asked: &mut Vec<Asked>) {
        let mut changed = false;
        section(ui, "Campaign", true, |ui| {
            changed |= self.campaign_section(ui, doc, asked);
        });
        let locked = |name: &str| doc.composer.campaign.volunteer.locked.iter().any(|l| l == name);
        let (demands_locked, phrases_locked) = (locked("demands"), locked("opening") || locked("closing"));
        section(ui, "Demands", true, |ui| {
            locked_note(ui, demands_locked);
            ui.add_enabled_ui(!demands_locked, |ui| changed |= self.demands_editor(ui, doc, asked));
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
                        self.wording_error = doc.composer.refresh_wording().err().map(|e| e.to_string());
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
            changed |= organisation_editor(ui, doc, asked);
        });
        section(ui, "Co-signers", false, |ui| {
            changed |= cosigners_editor(ui, doc, asked);
        });
        section(ui, "Sources", false, |ui| {
            changed |= self.sources_editor(ui, doc, asked);
        });
        section(ui, "Template source", false, |ui| {
            changed |= self.template_editor(ui, doc);
        });
        if changed {
            doc.touch();
        }
    }

    fn campaign_section(&mut self, ui: &mut egui::Ui, doc: &mut Doc, asked: &mut Vec<Asked>) -> bool {
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
                            self.template_text = None;
                            self.template_error = None;
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
        changed |= self.citations.style_picker(ui, doc, asked);
        changed
    }

    fn demands_editor(&mut self, ui: &mut egui::Ui, doc: &mut Doc, asked_app: &mut Vec<Asked>) -> bool {
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
                self.last_body = None;
            }
            None => {}
        }
        ui.horizontal(|ui| {
            if ui.button("Add a demand").clicked() {
                doc.add_demand();
            }
            if ui.button("Add a demand set…").clicked() {
                asked_app.push(choose(doc, Purpose::DemandSet));
            }
            if ui.button("Demand-set library…").clicked() {
                asked_app.push(Asked::OpenLibrary);
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
            if self.focus_demand == Some(i) {
                body.request_focus();
                self.focus_demand = None;
            }
            if body.has_focus() || body.changed() {
                self.last_body = Some((i, id));
            }
            if body.changed() {
                asked = Some(DemandAsk::Edit(Box::new(d.clone())));
            }
            ui.label(RichText::new(origin).small().color(ui.visuals().weak_text_color()));
        });
        asked
    }

    fn sources_editor(&mut self, ui: &mut egui::Ui, doc: &mut Doc, asked: &mut Vec<Asked>) -> bool {
        ui.horizontal(|ui| {
            ui.label(format!("{} sources", doc.composer.library.len()));
            if ui
                .button("Import a bibliography…")
                .on_hover_text("CSL-JSON (Zotero), BibTeX or hayagriva YAML")
                .clicked()
            {
                asked.push(choose(doc, Purpose::Bibliography));
            }
            self.citations.zotero_button(ui);
        });
        ui.horizontal(|ui| {
            let l = ui.label("Search sources");
            ui.add(egui::TextEdit::singleline(&mut self.source_search).desired_width(f32::INFINITY))
                .labelled_by(l.id);
        });
        let target = self.last_body;
        if target.is_none() {
            ui.label(
                RichText::new("Click into a demand's text, then pick a source to cite it there.")
                    .small()
                    .color(ui.visuals().weak_text_color()),
            );
        }
        let needle = crate::directory::query::fold(&self.source_search);
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
        self.template_text = Some(text.clone());
        match doc.composer.templates.add(CUSTOM_TEMPLATE, &text) {
            Ok(()) => {
                self.template_error = None;
                doc.custom_template = Some(text);
                CUSTOM_TEMPLATE.clone_into(&mut doc.composer.campaign.template);
                true
            }
            Err(e) => {
                self.template_error = Some(e.to_string());
                false
            }
        }
    }

    /// The jobs that finished, the bibliography files watched for changes
    /// and the Zotero window: the editor's work between frames (while the
    /// letter tab is shown).
    pub fn work(&mut self, ctx: &egui::Context, doc: &mut Doc, setup: Setup<'_>) -> Vec<Asked> {
        let mut asked = Vec::new();
        self.finish_loading(ctx, doc, setup.templates, &mut asked);
        self.citations.watch_bibliography(ctx, doc, setup.watch_interval);
        if self.loading.is_none() && !self.citations.changed_files.is_empty() {
            self.start_loading(ctx, doc, setup.templates, Pick::Refresh, PathBuf::new());
        }
        self.citations.zotero_window(ctx, doc, setup.zotero_url);
        asked
    }

    /// Adds a file the user chose for `purpose` (or a demand set from the
    /// library) to the campaign. A bibliography, a style or a demand set
    /// is read on a background job (it may be large, or on a slow disk),
    /// then joins the campaign.
    pub fn add_file(
        &mut self,
        ctx: &egui::Context,
        doc: &mut Doc,
        templates: Option<&Path>,
        purpose: Purpose,
        path: PathBuf,
    ) -> Option<Asked> {
        let pick = Pick::of(purpose)?;
        let result: Result<(), String> = match pick {
            Pick::Bibliography | Pick::Style | Pick::DemandSet | Pick::Reload | Pick::Refresh => {
                self.start_loading(ctx, doc, templates, pick, path);
                return None;
            }
            Pick::Cosigners => read_cosigners(&path).map(|list| doc.composer.campaign.cosigners.extend(list)),
            Pick::Logo => {
                doc.composer.campaign.organisation.logo = Some(path);
                Ok(())
            }
        };
        match result {
            Ok(()) => {
                doc.touch();
                None
            }
            Err(e) => Some(Asked::Status(e, true)),
        }
    }

    /// Reads the campaign's files again (after an undo changed which).
    pub fn reload(&mut self, ctx: &egui::Context, doc: &Doc, templates: Option<&Path>) {
        self.start_loading(ctx, doc, templates, Pick::Reload, PathBuf::new());
    }

    fn start_loading(&mut self, ctx: &egui::Context, doc: &Doc, templates: Option<&Path>, pick: Pick, path: PathBuf) {
        let generation = doc.generation;
        let base = doc.composer.path.clone();
        let mut campaign = doc.composer.campaign.clone();
        let templates = templates.map(Path::to_path_buf);
        let file = path.clone();
        let library_files = doc.composer.library_files.clone();
        if pick == Pick::Refresh {
            self.citations.changed_files.clear();
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
        self.loading = Some((generation, pick, path, job));
    }

    /// Joins a file read on its job to the campaign; read again if the
    /// campaign changed meanwhile.
    fn finish_loading(&mut self, ctx: &egui::Context, doc: &mut Doc, templates: Option<&Path>, asked: &mut Vec<Asked>) {
        let Some((generation, pick, path, job)) = self.loading.as_mut() else {
            return;
        };
        let Some(result) = job.poll_result() else { return };
        let (generation, pick, path) = (*generation, *pick, path.clone());
        self.loading = None;
        if doc.generation != generation {
            self.start_loading(ctx, doc, templates, pick, path);
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
                asked.push(Asked::Status(format!("Citation style: {spec}"), false));
            }
            Ok(Loaded::Refreshed(lib)) => self.bibliography_reloaded(doc, Ok(lib), asked),
            Err(e) if pick == Pick::Refresh => self.bibliography_reloaded(doc, Err(e), asked),
            Err(e) if pick == Pick::Style => {
                let kept = doc.composer.campaign.citation_style.clone();
                asked.push(Asked::Status(
                    format!("The campaign keeps its citation style \"{kept}\": {e}"),
                    true,
                ));
            }
            Err(e) => asked.push(Asked::Status(e, true)),
        }
    }

    /// The bibliography read again after a file changed on disk.
    fn bibliography_reloaded(&mut self, doc: &mut Doc, result: Result<Library, String>, asked: &mut Vec<Asked>) {
        let names = doc
            .composer
            .library_files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        match result {
            Ok(library) => {
                doc.composer.library = library;
                doc.composer.clear_cache();
                // Check the citations and compose the preview again,
                // without counting an edit.
                self.problems = None;
                asked.push(Asked::Recompose);
                asked.push(Asked::Status(
                    format!("Sources read again after a change on disk: {names}"),
                    false,
                ));
            }
            Err(e) => asked.push(Asked::Status(
                format!(
                    "A bibliography changed on disk but could not be read, so the sources as they were stay in use: {e}"
                ),
                true,
            )),
        }
    }
}

/// The campaign's own translated texts (title, subject lines, phrases,
/// questions) whose original changed since they were translated, each
/// with "Still right"; the demands' are under each demand.
fn translation_notes(ui: &mut egui::Ui, doc: &mut Doc) {
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

fn organisation_editor(ui: &mut egui::Ui, doc: &mut Doc, asked: &mut Vec<Asked>) -> bool {
    let mut pick = false;
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
        pick = ui.button("Choose…").clicked();
    });
    if pick {
        asked.push(choose(doc, Purpose::Logo));
    }
    changed
}

fn cosigners_editor(ui: &mut egui::Ui, doc: &mut Doc, asked: &mut Vec<Asked>) -> bool {
    let mut pick = false;
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
            pick = true;
        }
    });
    if pick {
        asked.push(choose(doc, Purpose::Cosigners));
    }
    changed
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
