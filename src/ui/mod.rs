//! The desktop app. The only module that imports egui.
//!
//! `App` holds the state (`state`), each panel or dialog draws from its own
//! file, and slow work runs as `jobs` on named threads.

mod addressees;
pub mod bench;
mod bench_memory;
mod bench_pages;
mod citations;
mod commands;
mod dialogs;
mod document;
mod editor;
mod files;
pub mod fit;
mod followup;
pub mod jobs;
mod kits;
mod layout;
mod library;
mod menus;
mod pages;
mod preview;
pub mod probe;
mod recipients;
mod replace;
mod responses;
mod send;
mod send_limits;
mod settings_window;
pub mod state;
mod test_layout;
mod volunteer;
mod volunteer_send;
mod votes;

use commands::Command;
use fit::Fit;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use eframe::egui;

use crate::directory::{self, Directory};
use crate::store::Paths;
use replace::Replacement;
pub use state::Tab;
use state::{Doc, Recovery, Restored, Settings, ThemeChoice};

/// Opens the main window and runs until it is closed.
pub fn run() -> eframe::Result {
    let started = Instant::now();
    // The window opens at the size it had when it was closed.
    let size = Paths::discover().map_or_else(
        || Settings::default().window_size(),
        |p| Settings::load(&p).window_size(),
    );
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(crate::APP_NAME)
            .with_app_id("eu.hemicycle.Hemicycle")
            .with_inner_size(size)
            .with_min_inner_size([800.0, 520.0])
            .with_icon(Arc::new(egui::IconData {
                rgba: include_bytes!("../../assets/hemicycle-64.rgba").to_vec(),
                width: 64,
                height: 64,
            })),
        ..Default::default()
    };
    eframe::run_native(
        crate::APP_NAME,
        options,
        Box::new(move |cc| {
            let mut config = Config::discover();
            config.started = Some(started);
            Ok(Box::new(App::new(&cc.egui_ctx, config)))
        }),
    )
}

/// Where the app keeps its files and what it opens first.
#[derive(Debug, Clone)]
pub struct Config {
    pub paths: Option<Paths>,
    /// A campaign to open instead of the last one or the example.
    pub campaign: Option<PathBuf>,
    /// The letters' date when the campaign sets none (tests fix it).
    pub today: Option<NaiveDate>,
    pub started: Option<Instant>,
    /// Print the time to the first frame, and after ten seconds the median
    /// frame time and the memory in use, to standard error
    /// (`HEMICYCLE_TIMINGS=1`).
    pub report_timings: bool,
    /// Where passwords go; `None` asks the system keyring when first needed
    /// (tests give an in-memory store).
    pub secrets: Option<Arc<dyn crate::deliver::secrets::Secrets>>,
    /// Hands letters to the mail program; `None` uses the system's handler
    /// (tests give one that counts).
    pub opener: Option<MailProgram>,
    /// Choose files with the desktop's own dialogs (else, and where none
    /// runs, with Hemicycle's path field; tests use that).
    pub system_file_dialogs: bool,
    /// The local API of the Zotero that "Add from Zotero…" searches
    /// (`HEMICYCLE_ZOTERO_URL`, else Zotero 7's own; tests give their server).
    pub zotero_url: String,
    /// How often the campaign's bibliography files are checked for changes.
    pub watch_interval: Duration,
}

/// A mail-program opener shared with the app (tests give one that counts).
#[derive(Clone)]
pub struct MailProgram(pub Arc<std::sync::Mutex<dyn crate::deliver::mail_program::Opener + Send>>);

impl std::fmt::Debug for MailProgram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MailProgram")
    }
}

impl crate::deliver::mail_program::Opener for MailProgram {
    fn open(&mut self, target: &str) -> Result<(), String> {
        self.0
            .lock()
            .map_err(|_| "the mail program could not be reached".to_owned())?
            .open(target)
    }
}

impl Config {
    pub fn discover() -> Self {
        Self {
            paths: Paths::discover(),
            campaign: std::env::args_os().nth(1).map(PathBuf::from),
            today: None,
            started: None,
            report_timings: std::env::var_os("HEMICYCLE_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0"),
            secrets: None,
            opener: None,
            system_file_dialogs: true,
            zotero_url: crate::cite::zotero::url_from_env(),
            watch_interval: Duration::from_secs(1),
        }
    }

    /// The letters' date when the campaign sets none.
    fn today(&self) -> NaiveDate {
        self.today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Everything under one folder (tests).
    pub fn under(root: &Path) -> Self {
        Self {
            paths: Some(Paths::under(root)),
            campaign: None,
            today: None,
            started: None,
            report_timings: false,
            secrets: None,
            opener: None,
            system_file_dialogs: false,
            zotero_url: crate::cite::zotero::LOCAL_API.to_owned(),
            watch_interval: Duration::from_secs(1),
        }
    }
}

/// A message in the status bar.
struct Status {
    text: String,
    error: bool,
}

/// The app's state: what the panels share (the configuration, the
/// settings, the directory, the campaign, the passwords, the command
/// queue), the panels, and the window around them. `App` draws the window,
/// lends each panel what it shows and carries out what the panels asked.
pub struct App {
    config: Config,
    settings: Settings,
    directory: Directory,
    doc: Option<Doc>,
    secrets: Option<Arc<dyn crate::deliver::secrets::Secrets>>,
    /// Commands asked for during this frame, carried out after it.
    commands: Vec<commands::Command>,
    files: files::Files,
    recipients: recipients::Recipients,
    send_ui: send::SendPanel,
    /// The other panels and dialogs.
    panels: Panels,
    /// The window around the panels.
    window: Window,
    /// The context the fonts and theme were set up on.
    prepared: Option<egui::Context>,
}

/// The panels and dialogs that only `App` routes between.
#[derive(Default)]
struct Panels {
    editor: editor::EditorUi,
    preview: preview::Preview,
    kits: kits::KitUi,
    volunteer: volunteer::VolunteerUi,
    library: library::LibraryUi,
    votes: votes::VotesUi,
    layout: layout::LayoutPanel,
    dialogs: dialogs::Dialogs,
    /// A replacement of the open campaign held until the user decides
    /// about its unsaved changes.
    replace_gate: replace::Gate,
}

/// The window around the panels: the tab shown, the status line, what could
/// not be read, the autosave's clock, what did not fit, the frame times.
struct Window {
    tab: Tab,
    status: Option<Status>,
    /// Where the directory in use comes from (the status bar says it).
    directory_origin: String,
    directory_error: Option<String>,
    doc_error: Option<String>,
    last_autosave: Instant,
    /// The window's size or a pane's width changed since the settings were
    /// written.
    settings_changed: bool,
    recovery_offer: Option<Recovery>,
    /// What did not fit its panel or the screen in the last frame.
    fit: Fit,
    timings: Timings,
}

/// The performance figures (`HEMICYCLE_TIMINGS=1`, benchmarks).
#[derive(Default)]
struct Timings {
    /// Frame times of the last frames.
    frame_times: Vec<Duration>,
    first_frame: Option<Duration>,
    reported: bool,
}

impl App {
    pub fn new(ctx: &egui::Context, config: Config) -> Self {
        let (settings, settings_note) = config.paths.as_ref().map(Settings::load_or_explain).unwrap_or_default();
        let tab = settings.tab.unwrap_or(Tab::Letter);
        let (directory, directory_origin, directory_error) = match directory::load_active(config.paths.as_ref(), None) {
            Ok((dir, origin, _)) => (dir, origin.to_string(), None),
            Err(e) => (
                Directory::bundled().unwrap_or_default(),
                "the bundled snapshot".to_owned(),
                Some(format!(
                    "Your directory could not be read, so the bundled one is used: {e}"
                )),
            ),
        };
        let system_file_dialogs = config.system_file_dialogs && files::dialog_service_runs();
        let mut app = Self {
            config,
            settings,
            directory,
            doc: None,
            secrets: None,
            commands: Vec::new(),
            files: files::Files::new(system_file_dialogs),
            recipients: recipients::Recipients::default(),
            send_ui: send::SendPanel::default(),
            panels: Panels::default(),
            window: Window {
                tab,
                status: None,
                directory_origin,
                directory_error,
                doc_error: None,
                last_autosave: Instant::now(),
                settings_changed: false,
                recovery_offer: None,
                fit: Fit::default(),
                timings: Timings::default(),
            },
            prepared: None,
        };
        app.secrets.clone_from(&app.config.secrets);
        if let Some(note) = settings_note {
            app.window.set_status(note, true);
        }
        app.prepare(ctx);
        test_layout::install(ctx);
        app.window.recovery_offer = app.config.paths.as_ref().and_then(Recovery::load);
        let first = app
            .config
            .campaign
            .clone()
            .or_else(|| app.settings.recent.first().cloned().filter(|p| p.exists()));
        match first {
            // A kit double-clicked: the example meanwhile, the kit's
            // campaign once it is checked and unpacked.
            Some(file) if crate::util::has_extension(&file.to_string_lossy(), crate::kit::EXTENSION) => {
                app.document(|d| document::open_example_file(d, crate::campaign::examples::CAMPAIGNS[0].0));
                app.panels.kits.open(
                    ctx,
                    app.config.paths.as_ref(),
                    file,
                    crate::kit::BadSignature::Refuse,
                    false,
                );
                app.panels.volunteer.start();
            }
            Some(file) => app.document(|d| document::open(d, &file)),
            None => app.document(|d| document::open_example_file(d, crate::campaign::examples::CAMPAIGNS[0].0)),
        }
        // A volunteer's own copy of a kit opens in the volunteer mode.
        if app.probe().campaign().is_some_and(|c| !c.volunteer.answers.is_empty()) {
            app.panels.volunteer.open = true;
        }
        if !app.settings.welcomed && !app.panels.volunteer.open {
            app.panels.dialogs.welcome = true;
        }
        app
    }

    /// Fonts and theme, once per context.
    fn prepare(&mut self, ctx: &egui::Context) {
        if self.prepared.as_ref() != Some(ctx) {
            install_fonts(ctx);
            apply_theme(ctx, self.settings.theme);
            self.prepared = Some(ctx.clone());
        }
    }

    /// Lends the open campaign's lifecycle what it reads (see
    /// [`document`]) for `work`, and carries out what it asked.
    fn document(&mut self, work: impl FnOnce(&mut document::Document<'_>)) {
        let mut lent = document::Document {
            doc: &mut self.doc,
            paths: self.config.paths.as_ref(),
            settings: &self.settings,
            directory: &self.directory,
            selection: &self.recipients.selection,
            asked: Vec::new(),
        };
        work(&mut lent);
        for asked in lent.asked {
            match asked {
                document::Asked::Status(text, problem) => self.window.set_status(text, problem),
                document::Asked::Select(ids) => self.recipients.select(ids),
                document::Asked::ClearSelection => self.recipients.selection.clear(),
                document::Asked::Recent(file) => {
                    self.settings.add_recent(&file);
                    self.save_settings();
                }
                document::Asked::Problem(why) => self.window.doc_error = why,
                document::Asked::Forget => self.panels.preview.forget(false),
                document::Asked::Recompose => self.panels.preview.recompose(),
                document::Asked::ShowRecipients => self.window.tab = Tab::Recipients,
                document::Asked::ChooseFile(start) => self.files.ask(files::Purpose::SaveCampaign, start),
            }
        }
    }

    fn save_settings(&mut self) {
        if let Some(paths) = &self.config.paths
            && let Err(e) = self.settings.save(paths)
        {
            self.window.set_status(e.to_string(), true);
        }
    }

    /// Writes unsaved changes to the recovery file every few seconds, and
    /// the window's layout when it changed.
    fn autosave(&mut self) {
        if self.window.last_autosave.elapsed() < Duration::from_secs(5) {
            return;
        }
        self.window.last_autosave = Instant::now();
        if std::mem::take(&mut self.window.settings_changed) {
            self.save_settings();
        }
        self.document(document::write_recovery);
    }

    /// The recipient the preview is for: the focused one (an MEP or a named
    /// addressee), else the first recipient.
    fn preview_mep(&self) -> Option<&directory::Mep> {
        shown_of(
            self.recipients.focused.as_deref(),
            &self.directory,
            self.doc.as_ref(),
            &recipients_of(&self.recipients, &self.directory, self.doc.as_ref()),
        )
    }

    /// Composes the preview again when the campaign or the focus changed.
    fn update_preview(&mut self) {
        let today = self.config.today();
        let Some(doc) = &self.doc else { return };
        let all = recipients_of(&self.recipients, &self.directory, Some(doc));
        let shown = shown_of(self.recipients.focused.as_deref(), &self.directory, Some(doc), &all);
        self.panels.preview.update(doc, shown, &all, today);
    }

    /// The letter tab: the editor on the left, the preview on the right,
    /// each side keeping its minimum width (the divider moves between them,
    /// and no content widens the editor past the preview's share).
    fn letter_panel(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let mut asked = Vec::new();
        let setup = editor::Setup {
            templates: self.settings.templates_dir.as_deref(),
            zotero_url: &self.config.zotero_url,
            watch_interval: self.config.watch_interval,
        };
        for purpose in editor::PURPOSES {
            if let Some(path) = self.files.take(purpose)
                && let Some(doc) = self.doc.as_mut()
            {
                asked.extend(self.panels.editor.add_file(&ctx, doc, setup.templates, purpose, path));
            }
        }
        let Some(doc) = self.doc.as_mut() else {
            ui.label("Open a campaign (File ▸ Open) or start a new one (File ▸ New campaign).");
            return;
        };
        asked.extend(self.panels.editor.work(&ctx, doc, setup));
        let width = ui.available_width();
        let most = (width - editor::PREVIEW_MIN_WIDTH).max(editor::EDITOR_MIN_WIDTH);
        let letter_error = match self.panels.preview.letter() {
            Some(Err(e)) => Some(e.clone()),
            _ => None,
        };
        egui::Panel::left("editor")
            .resizable(true)
            .default_size((width * 0.5).clamp(editor::EDITOR_MIN_WIDTH, most))
            .size_range(editor::EDITOR_MIN_WIDTH..=most)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().id_salt("editor-scroll").show(ui, |ui| {
                    let room = Fit::room(ui);
                    self.window
                        .fit
                        .at_least("editor", room, editor::EDITOR_MIN_WIDTH - 30.0);
                    asked.extend(self.panels.editor.ui(ui, doc, letter_error.as_deref()));
                    self.window.fit.panel("editor", room, ui);
                });
            });
        for one in asked {
            match one {
                editor::Asked::Status(text, problem) => self.window.set_status(text, problem),
                editor::Asked::Choose(purpose, start) => self.files.ask(purpose, start),
                editor::Asked::OpenLibrary => match self.config.paths.clone() {
                    Some(paths) => self.panels.library.show(&ctx, paths.examples(), paths.demand_sets()),
                    None => self
                        .window
                        .set_status("No folder for Hemicycle's files was found (is HOME set?).", true),
                },
                editor::Asked::Recompose => self.panels.preview.recompose(),
            }
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let room = Fit::room(ui);
            self.window
                .fit
                .at_least("preview", room, editor::PREVIEW_MIN_WIDTH - 30.0);
            self.preview_panel(ui);
            self.window.fit.panel("preview", room, ui);
        });
    }

    /// The preview beside the editor.
    fn preview_panel(&mut self, ui: &mut egui::Ui) {
        self.update_preview();
        let Some(doc) = &self.doc else { return };
        let all = recipients_of(&self.recipients, &self.directory, Some(doc));
        let lent = preview::Lent {
            doc,
            all: &all,
            shown: shown_of(self.recipients.focused.as_deref(), &self.directory, Some(doc), &all),
            focused: self.recipients.focused.as_deref(),
            pdf_folder: self
                .config
                .paths
                .as_ref()
                .map_or_else(std::env::temp_dir, |p| p.cache.join("preview")),
            us_letter: self.panels.dialogs.export.us_letter,
        };
        let asked = self.panels.preview.ui(ui, &lent);
        if !asked.is_empty() {
            // Another recipient's letter shows in the next frame.
            ui.ctx().request_repaint();
        }
        for one in asked {
            match one {
                preview::Asked::Focus(id) => self.recipients.focused = Some(id),
                preview::Asked::Status(text, problem) => self.window.set_status(text, problem),
                preview::Asked::PageView(on) => {
                    self.settings.page_view = on;
                    self.window.settings_changed = true;
                }
            }
        }
    }

    /// Carries out what the menus, the tabs or the recovery banner asked.
    fn carry_out_menus(&mut self, ctx: &egui::Context, asked: Vec<menus::Asked>) {
        for one in asked {
            match one {
                menus::Asked::Command(command) => self.ask(command),
                menus::Asked::Replace(replacement) => self.replace_campaign(ctx, replacement),
                menus::Asked::Votes => self.panels.votes.show(),
                menus::Asked::Layout => self.panels.layout.show(),
                menus::Asked::Theme(choice) => {
                    self.settings.theme = choice;
                    apply_theme(ctx, choice);
                    self.save_settings();
                }
                menus::Asked::Send => self.send_ui.open = true,
                menus::Asked::Restore(recovery) => {
                    self.window.recovery_offer = None;
                    self.replace_campaign(ctx, Replacement::Restore(recovery));
                }
                menus::Asked::DiscardRecovery => {
                    if let Some(paths) = &self.config.paths {
                        Recovery::clear(paths);
                    }
                    self.window.recovery_offer = None;
                }
            }
        }
    }

    /// Draws one frame.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let frame_start = Instant::now();
        let ctx = ui.ctx().clone();
        self.prepare(&ctx);
        for command in pressed(&ctx) {
            self.ask(command);
        }
        self.panels.dialogs.poll(&ctx);
        self.files.ui(&ctx);
        self.take_dialog_results(&ctx);
        if let Some(replacement) = dropped_file(&ctx) {
            self.replace_campaign(&ctx, replacement);
        }
        self.kit_work(&ctx);
        self.panels.preview.pages_frame(&ctx, self.settings.page_view);
        if self.panels.volunteer.open {
            self.volunteer_frame(ui);
            return;
        }
        egui::Panel::top("menu").show(ui, |ui| {
            let room = Fit::room(ui);
            let doc = self.doc.as_ref();
            let asked = menus::menu_bar(ui, doc, &self.settings.recent, self.settings.theme);
            self.carry_out_menus(ui.ctx(), asked);
            let selected = self.recipients.selection.len();
            let asked = menus::tabs(ui, &mut self.window.tab, selected, self.doc.as_ref());
            self.carry_out_menus(ui.ctx(), asked);
            let asked = menus::recovery_banner(ui, self.window.recovery_offer.as_ref());
            self.carry_out_menus(ui.ctx(), asked);
            self.window.fit.panel("menu bar", room, ui);
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            let room = Fit::room(ui);
            self.window.status_bar(ui, &self.directory);
            self.window.fit.panel("status bar", room, ui);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(e) = self.window.directory_error.clone() {
                preview::problem(ui, &e);
            }
            if let Some(e) = self.window.doc_error.clone() {
                preview::problem(ui, &e);
            }
            match self.window.tab {
                Tab::Recipients => self.recipients_panel(ui),
                Tab::Letter => self.letter_panel(ui),
            }
        });
        self.draw_dialogs(&ctx);
        if let Some(set) = self.panels.library.ui(&ctx)
            && let Some(doc) = self.doc.as_mut()
        {
            let templates = self.settings.templates_dir.as_deref();
            let purpose = files::Purpose::DemandSet;
            if let Some(editor::Asked::Status(text, problem)) =
                self.panels.editor.add_file(&ctx, doc, templates, purpose, set)
            {
                self.window.set_status(text, problem);
            }
        }
        self.responses_window(&ctx, false);
        self.votes_window(&ctx);
        self.layout_window(&ctx);
        self.followup_window(&ctx);
        self.run_commands(&ctx);
        self.replace_gate_ui(&ctx);
        let (dirty, sending) = (self.probe().is_dirty(), self.send_ui.sending().is_some());
        self.panels.dialogs.guard_close(&ctx, dirty, sending);
        self.window.note_layout(&ctx, &mut self.settings);
        self.window.fit.end_frame(&ctx);
        self.autosave();
        let (started, report) = (self.config.started, self.config.report_timings);
        self.window.timings.frame(frame_start.elapsed(), started, report, &ctx);
    }

    /// File → Follow up…: its window, and the follow-up it saved opened.
    fn followup_window(&mut self, ctx: &egui::Context) {
        if !self.panels.dialogs.followup.open {
            return;
        }
        let mut panel = std::mem::take(&mut self.panels.dialogs.followup);
        let source = || {
            followup::source(
                self.doc.as_ref()?,
                recipients_of(&self.recipients, &self.directory, self.doc.as_ref())
                    .into_iter()
                    .cloned()
                    .collect(),
                self.config.paths.as_ref()?,
            )
        };
        let asked = panel.ui(ctx, source);
        self.panels.dialogs.followup = panel;
        if let Some(followup::Asked::Open(file)) = asked {
            self.panels.dialogs.followup.open = false;
            self.replace_campaign(ctx, Replacement::Open(file));
        }
    }
}

/// Replacing the open campaign: every way goes through `replace_campaign`.
impl App {
    /// Replaces the open campaign with `replacement`, or, when that would
    /// lose unsaved changes, writes them to the recovery copy at once and
    /// asks first (see [`replace`]).
    fn replace_campaign(&mut self, ctx: &egui::Context, replacement: Replacement) {
        if let Some(r) = self.panels.replace_gate.request(replacement, self.probe().is_dirty()) {
            self.carry_out(ctx, r);
        } else {
            self.document(document::write_recovery);
        }
    }

    /// Draws the gate's question; carries out what the user decided.
    fn replace_gate_ui(&mut self, ctx: &egui::Context) {
        if !self.panels.replace_gate.is_holding() {
            return;
        }
        let title = self
            .doc
            .as_ref()
            .map(|d| d.composer.campaign.title.clone())
            .unwrap_or_default();
        let asked = self
            .panels
            .replace_gate
            .ui(ctx, &title, self.probe().is_dirty(), self.files.asking());
        match asked {
            Some(replace::Asked::Save) => self.document(document::save),
            Some(replace::Asked::Discard(r)) => {
                self.document(document::discard_changes);
                self.carry_out(ctx, r);
            }
            Some(replace::Asked::Replace(r)) => self.carry_out(ctx, r),
            None => {}
        }
    }

    fn carry_out(&mut self, ctx: &egui::Context, replacement: Replacement) {
        // What the send dialog showed belonged to the campaign replaced.
        self.send_ui.forget_campaign();
        match replacement {
            Replacement::New => self.document(document::new_campaign),
            Replacement::Example(file) => self.document(|d| document::open_example_file(d, &file)),
            Replacement::Open(file) => self.document(|d| document::open(d, &file)),
            Replacement::Kit(file) => {
                self.panels.kits.open(
                    ctx,
                    self.config.paths.as_ref(),
                    file,
                    crate::kit::BadSignature::Refuse,
                    false,
                );
            }
            Replacement::NewFromThis => self.document(document::new_campaign_from_this),
            Replacement::Restore(recovery) => self.document(|d| document::restore(d, &recovery)),
        }
    }
}

/// The recipients tab.
impl App {
    pub(super) fn recipients_panel(&mut self, ui: &mut egui::Ui) {
        if let Some(path) = self.files.take(files::Purpose::DirectoryCsv) {
            self.recipients.import_csv(ui.ctx(), path);
        }
        let overrides = self.config.paths.as_ref().map(crate::store::Paths::overrides);
        let responses = self.responses_files();
        let around = recipients::Around {
            directory: &self.directory,
            doc: &mut self.doc,
            detail_width: self.settings.detail_width,
            overrides: overrides.as_deref(),
            fit: &mut self.window.fit,
            responses,
        };
        let asked = self.recipients.ui(ui, around);
        for one in asked {
            self.do_recipients_asked(one);
        }
    }

    fn do_recipients_asked(&mut self, asked: recipients::Asked) {
        match asked {
            recipients::Asked::SelectionChanged => {
                if let Some(doc) = self.doc.as_mut() {
                    doc.touch();
                }
            }
            recipients::Asked::Preview => self.window.tab = Tab::Letter,
            recipients::Asked::Correct(id, value) => {
                let Some(paths) = self.config.paths.clone() else { return };
                let result = match value.as_ref().and_then(|v| v.email.as_ref()) {
                    Some(email) if !crate::directory::import_valid_email(email) => Err(format!(
                        "\"{email}\" is not an e-mail address; correct it and save again"
                    )),
                    _ => crate::directory::overrides::Overrides::set(&paths.overrides(), &id, value)
                        .map_err(|e| e.to_string()),
                };
                match result {
                    Ok(()) => {
                        self.reload_directory();
                        self.window.set_status("Your correction was saved.", false);
                    }
                    Err(e) => self.window.set_status(e, true),
                }
            }
            recipients::Asked::NewDirectory(dir) => {
                let Some(paths) = self.config.paths.clone() else { return };
                match dir.save(&paths.user_directory()) {
                    Ok(()) => {
                        let n = dir.meps.len();
                        self.reload_directory();
                        self.window
                            .set_status(format!("The directory now has {n} members."), false);
                    }
                    Err(e) => self.window.set_status(e.to_string(), true),
                }
            }
            recipients::Asked::Status(text, problem) => self.window.set_status(text, problem),
            recipients::Asked::ChooseCsv => self.files.ask(files::Purpose::DirectoryCsv, None),
            recipients::Asked::DetailWidth(width) => {
                self.settings.detail_width = Some(width);
                self.window.settings_changed = true;
            }
            recipients::Asked::Language(id, language) => {
                if let Some(doc) = self.doc.as_mut() {
                    let chosen = &mut doc.composer.campaign.languages.meps;
                    match language {
                        Some(l) => chosen.insert(id, l.code().to_owned()),
                        None => chosen.remove(&id),
                    };
                    doc.touch();
                }
            }
        }
    }

    /// Loads the directory in use again (after a correction or a refresh).
    fn reload_directory(&mut self) {
        match crate::directory::load_active(self.config.paths.as_ref(), None) {
            Ok((dir, origin, _)) => {
                self.directory = dir;
                self.window.directory_origin = origin.to_string();
                self.window.directory_error = None;
            }
            Err(e) => self.window.directory_error = Some(e.to_string()),
        }
        self.recipients.directory_changed();
        self.panels.preview.recompose();
    }
}

/// Commands: asked by menus, buttons and keys, carried out after the frame.
impl App {
    /// Asks for `command`; it is carried out after this frame.
    pub(super) fn ask(&mut self, command: Command) {
        if command.enabled(self.doc.as_ref()) && !self.commands.contains(&command) {
            self.commands.push(command);
        }
    }

    /// Carries out the commands asked for during the frame.
    pub(super) fn run_commands(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.commands) {
            match command {
                Command::Undo | Command::Redo => {
                    let undo = command == Command::Undo;
                    let Some(doc) = self.doc.as_mut() else { continue };
                    let restored = if undo { doc.undo() } else { doc.redo() };
                    self.panels.editor.forget_template_text();
                    match restored {
                        // Its bibliographies, demand sets or style changed: read again.
                        Some(Restored::Files) => {
                            let templates = self.settings.templates_dir.as_deref();
                            self.panels.editor.reload(ctx, doc, templates);
                        }
                        Some(Restored::Edits) => {}
                        None => self
                            .window
                            .set_status(if undo { "Nothing to undo." } else { "Nothing to redo." }, false),
                    }
                }
                Command::New => self.replace_campaign(ctx, Replacement::New),
                Command::Open => self.files.ask(files::Purpose::OpenCampaign, None),
                Command::Save => self.document(document::save),
                Command::SaveAs => self.document(document::ask_save_as),
                Command::NewFromThis => self.replace_campaign(ctx, Replacement::NewFromThis),
                Command::OpenKit => self.files.ask(files::Purpose::OpenKit, None),
                Command::ShareKit => self.ask_share_kit(),
                Command::Volunteer => self.panels.volunteer.start(),
                Command::Export => self.panels.dialogs.export.open = true,
                Command::Send => self.send_ui.open = true,
                Command::Responses => self.responses_window(ctx, true),
                Command::FollowUp => self.panels.dialogs.followup.open = true,
                Command::FindMeps => {
                    self.window.tab = Tab::Recipients;
                    self.recipients.focus_search = true;
                }
                Command::Settings => self.panels.dialogs.settings = true,
                Command::Shortcuts => self.panels.dialogs.shortcuts = true,
                Command::Welcome => self.panels.dialogs.welcome = true,
                Command::About => self.panels.dialogs.about = true,
            }
        }
    }
}

/// The dialogs.
impl App {
    /// Acts on what a file chooser answered.
    pub(super) fn take_dialog_results(&mut self, ctx: &egui::Context) {
        if let Some(path) = self.files.take(files::Purpose::OpenCampaign) {
            self.replace_campaign(ctx, Replacement::Open(path));
        }
        if let Some(path) = self.files.take(files::Purpose::SaveCampaign) {
            let path = if path.extension().is_none() {
                path.with_extension("toml")
            } else {
                path
            };
            self.document(|d| document::save_to(d, &path));
        }
        if let Some(path) = self.files.take(files::Purpose::ExportFolder) {
            self.panels.dialogs.export.folder = path.display().to_string();
        }
        if let Some(path) = self.files.take(files::Purpose::DryRunFolder) {
            self.send_ui.dry_folder = path.display().to_string();
        }
    }

    /// Draws the dialogs and carries out what they asked.
    fn draw_dialogs(&mut self, ctx: &egui::Context) {
        self.dialogs_part(ctx, true);
        let (lent, panel) = self.send_lent();
        let asked = panel.window(ctx, &lent);
        self.carry_out_send(asked);
        self.settings_dialog(ctx);
        self.dialogs_part(ctx, false);
    }

    /// Draws the `first` dialogs or the others (see [`dialogs::Dialogs::ui`]).
    fn dialogs_part(&mut self, ctx: &egui::Context, first: bool) {
        let today = self.config.today();
        let lent = dialogs::Lent {
            selected: self.recipients.selection.meps(&self.directory),
            doc: self.doc.as_mut(),
            directory: &self.directory,
            origin: &self.window.directory_origin,
            paths: self.config.paths.as_ref(),
            export_dir: self.settings.export_dir.clone(),
            today,
            sending: self.send_ui.sending(),
        };
        for asked in self.panels.dialogs.ui(ctx, lent, first) {
            match asked {
                dialogs::Asked::Status(text, problem) => self.window.set_status(text, problem),
                dialogs::Asked::Choose(purpose, start) => self.files.ask(purpose, start),
                dialogs::Asked::ExportFolder(folder) => {
                    self.settings.export_dir = Some(folder);
                    self.save_settings();
                }
                dialogs::Asked::SaveBeforeClosing => self.document(document::save),
                dialogs::Asked::Discard => self.document(document::discard_changes),
                dialogs::Asked::StopSending(done, total) => {
                    self.send_ui.stop_sending();
                    log_stopped(self.config.paths.as_ref(), self.doc.as_ref(), done, total);
                }
                dialogs::Asked::Letterhead(org) => {
                    self.settings.organisation = Some(*org);
                    self.window.settings_changed = true;
                }
                dialogs::Asked::Welcomed => {
                    self.settings.welcomed = true;
                    self.save_settings();
                }
            }
        }
    }

    fn settings_dialog(&mut self, ctx: &egui::Context) {
        let mut open = self.panels.dialogs.settings;
        let center = ctx.content_rect().center();
        egui::Window::new("Settings")
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(center)
            .max_height(ctx.content_rect().height() - 60.0)
            .show(ctx, |ui| {
                // Taller than a small window: it scrolls.
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for asked in settings_window::contents(ui, &self.settings, self.doc.as_mut()) {
                        match asked {
                            settings_window::Asked::Theme(choice) => {
                                self.settings.theme = choice;
                                apply_theme(ui.ctx(), choice);
                                self.save_settings();
                            }
                            settings_window::Asked::Templates(folder) => {
                                self.settings.templates_dir = folder;
                                self.save_settings();
                            }
                            settings_window::Asked::Organisation(org) => {
                                self.settings.organisation = Some(*org);
                                self.window.settings_changed = true;
                            }
                        }
                    }
                    ui.separator();
                    // Settings → Mail accounts.
                    let (lent, panel) = self.send_lent();
                    let asked = panel.mail_accounts_ui(ui, &lent);
                    self.carry_out_send(asked);
                });
            });
        self.panels.dialogs.settings = open;
    }
}

/// The volunteer mode.
impl App {
    /// One frame of the volunteer mode: the steps beside their letter.
    fn volunteer_frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        // The NGO's dialogs never open here.
        self.panels.dialogs.welcome = false;
        self.send_ui.open = false;
        self.take_letters_folder();
        let mut asked = Vec::new();
        egui::Panel::top("volunteer-top").show(ui, |ui| {
            let room = Fit::room(ui);
            let title = self.doc.as_ref().map(|d| d.composer.campaign.title.clone());
            asked.extend(self.panels.volunteer.header(ui, title.as_deref()));
            self.window.fit.panel("volunteer header", room, ui);
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            let room = Fit::room(ui);
            self.window.status_bar(ui, &self.directory);
            self.window.fit.panel("status bar", room, ui);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            let (checking, no_campaign) = (self.panels.kits.busy(), self.doc.is_none());
            if let Some(more) = self.panels.volunteer.notices(ui, checking, no_campaign) {
                asked.extend(more);
                return;
            }
            asked.extend(self.volunteer_steps(ui));
            egui::CentralPanel::default().show(ui, |ui| {
                self.update_preview();
                self.panels.preview.volunteer_letter(ui, self.preview_mep());
            });
        });
        if !asked.is_empty() {
            // What the steps asked shows in the next frame (a selection's
            // letter).
            ctx.request_repaint();
        }
        for one in asked {
            match one {
                volunteer::Asked::OpenKit => self.files.ask(files::Purpose::OpenKit, None),
                volunteer::Asked::SaveLetters => self.save_letters(),
                volunteer::Asked::Status(text, problem) => self.window.set_status(text, problem),
                volunteer::Asked::AboutYou(about) => {
                    self.settings.about_you = Some(about);
                    self.window.settings_changed = true;
                }
                volunteer::Asked::Select(ids) => {
                    self.recipients.select(ids);
                    self.panels.preview.recompose();
                }
            }
        }
        let save = self.commands.contains(&Command::Save);
        self.commands.retain(|c| matches!(c, Command::Undo | Command::Redo));
        if save {
            self.save_letters();
        }
        self.draw_dialogs(&ctx);
        self.run_commands(&ctx);
        let (dirty, sending) = (self.probe().is_dirty(), self.send_ui.sending().is_some());
        self.panels.dialogs.guard_close(&ctx, dirty, sending);
        self.window.note_layout(&ctx, &mut self.settings);
        self.window.fit.end_frame(&ctx);
        self.autosave();
    }

    /// The volunteer's current step, lent what it shows.
    fn volunteer_steps(&mut self, ui: &mut egui::Ui) -> Vec<volunteer::Asked> {
        let secrets = self.secrets();
        let journal = self.journal_path();
        let today = self.config.today();
        let Some(doc) = self.doc.as_mut() else {
            return Vec::new();
        };
        let lent = volunteer::Lent {
            doc,
            directory: &self.directory,
            about: self.settings.about_you.clone(),
            selected: self.recipients.selection.meps(&self.directory),
            letter: self.panels.preview.letter(),
            paths: self.config.paths.as_ref(),
            secrets,
            journal,
            today,
        };
        self.panels.volunteer.ui(ui, lent, &mut self.window.fit)
    }

    /// Keeps the volunteer's letters: where they chose before, else asks
    /// for a folder (the file is named for them).
    fn save_letters(&mut self) {
        if self.probe().campaign_file().is_some() {
            self.document(document::save);
            return;
        }
        self.files
            .ask(files::Purpose::LettersFolder, volunteer::letters_start());
    }

    /// The folder the volunteer chose: their letters go into a file of
    /// their own there, never over another file.
    fn take_letters_folder(&mut self) {
        let Some(folder) = self.files.take(files::Purpose::LettersFolder) else {
            return;
        };
        let who = self
            .settings
            .about_you
            .as_ref()
            .map(|a| a.name.trim().to_owned())
            .unwrap_or_default();
        let title = self.probe().campaign().map(|c| c.title.clone()).unwrap_or_default();
        if let Err(e) = std::fs::create_dir_all(&folder) {
            self.window.set_status(
                format!(
                    "Your letters were not kept: the folder could not be made ({e}): {}",
                    folder.display()
                ),
                true,
            );
            return;
        }
        let file = volunteer::letters_file(&folder, &who, &title);
        self.document(|d| document::save_to(d, &file));
    }
}

/// Routing what the panels asked.
impl App {
    /// Asks where to write the kit (the campaign must be saved: the kit is
    /// made from its file).
    fn ask_share_kit(&mut self) {
        let Some(file) = self.probe().campaign_file().map(Path::to_path_buf) else {
            self.window.set_status(
                "Save the campaign first: the kit is made from its file and the files it uses".to_owned(),
                true,
            );
            return;
        };
        if self.probe().is_dirty() {
            self.document(document::save);
        }
        self.files.ask(
            files::Purpose::ShareKit,
            Some(file.with_extension(crate::kit::EXTENSION)),
        );
    }

    /// Starts what the file chooser answered for kits; carries out what
    /// the kits asked.
    fn kit_work(&mut self, ctx: &egui::Context) {
        if let Some(out) = self.files.take(files::Purpose::ShareKit)
            && let Some(file) = self.probe().campaign_file().map(Path::to_path_buf)
        {
            // A kit is for volunteers: without a [volunteer] table they are
            // asked nothing and offered no MEPs.
            let no_steps = self.probe().campaign().is_some_and(|c| c.volunteer.is_empty());
            self.panels.kits.share(ctx, file, out, no_steps);
        }
        if let Some(path) = self.files.take(files::Purpose::OpenKit) {
            self.replace_campaign(ctx, Replacement::Kit(path));
        }
        for asked in self.panels.kits.ui(ctx, self.config.paths.as_ref()) {
            match asked {
                kits::Asked::Status(text, problem) => self.window.set_status(text, problem),
                kits::Asked::Open {
                    campaign,
                    said,
                    unsigned,
                } => {
                    self.document(|d| document::open(d, &campaign));
                    self.window.set_status(said.clone(), unsigned);
                    // A kit walks the volunteer through it, and shows whose it is.
                    self.panels.volunteer.kit_opened(said, unsigned);
                }
                kits::Asked::Refused(why) => {
                    // The kit open before (or the example shown while the
                    // kit was checked) closes, unless it holds unsaved work.
                    self.window.set_status(why.clone(), true);
                    let volunteer = self.panels.volunteer.open;
                    if self.panels.volunteer.kit_refused(&why) && !self.probe().is_dirty() {
                        self.doc = None;
                        self.panels.preview.forget(true);
                    }
                    if !volunteer {
                        self.window.doc_error = Some(why);
                    }
                }
            }
        }
    }
}

/// The focused MEP's vote paragraphs, while the Votes window is `open`.
fn vote_preview(
    open: bool,
    doc: Option<&Doc>,
    mep: Option<&directory::Mep>,
    today: NaiveDate,
) -> Option<votes::Preview> {
    if !open {
        return None;
    }
    let (doc, mep) = (doc?, mep?);
    let paragraphs = doc.composer.vote_paragraphs_for(mep, today).map_err(|e| e.to_string());
    Some((mep.display_name(), paragraphs))
}

/// The recipients in the order letters are numbered: the selected MEPs,
/// then the campaign's named addressees (who are not in the directory).
fn recipients_of<'a>(
    recipients: &recipients::Recipients,
    directory: &'a Directory,
    doc: Option<&'a Doc>,
) -> Vec<&'a directory::Mep> {
    let mut list = recipients.selection.meps(directory);
    if let Some(doc) = doc {
        list.extend(doc.composer.addressees.iter());
    }
    list
}

/// The recipient a letter is shown for: the focused one (an MEP or a named
/// addressee), else the first of `all`.
fn shown_of<'a>(
    focused: Option<&str>,
    directory: &'a Directory,
    doc: Option<&'a Doc>,
    all: &[&'a directory::Mep],
) -> Option<&'a directory::Mep> {
    let addressees = doc.map_or(&[][..], |d| d.composer.addressees.as_slice());
    focused
        .and_then(|id| directory.get(id).or_else(|| addressees.iter().find(|a| a.id == id)))
        .or_else(|| all.first().copied())
}

/// egui's theme for the one chosen in the settings.
fn apply_theme(ctx: &egui::Context, theme: ThemeChoice) {
    ctx.set_theme(match theme {
        ThemeChoice::System => egui::ThemePreference::System,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::Dark => egui::ThemePreference::Dark,
    });
}

/// A campaign file or a kit dropped on the window opens (through the
/// gate).
fn dropped_file(ctx: &egui::Context) -> Option<Replacement> {
    let dropped = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
    let file = dropped?;
    let replacement = if crate::util::has_extension(&file.to_string_lossy(), crate::kit::EXTENSION) {
        Replacement::Kit(file)
    } else {
        Replacement::Open(file)
    };
    Some(replacement)
}

/// The commands whose keys were pressed this frame.
fn pressed(ctx: &egui::Context) -> Vec<Command> {
    let mut pressed = Vec::new();
    // In a text field, its own undo applies to what is typed there.
    let typing = ctx.memory(|m| m.focused().is_some());
    for command in Command::ALL {
        if typing && matches!(command, Command::Undo | Command::Redo) {
            continue;
        }
        if let Some(shortcut) = command.shortcut()
            && ctx.input_mut(|i| i.consume_shortcut(&shortcut))
        {
            pressed.push(command);
        }
    }
    pressed
}

impl Timings {
    /// Notes the time a frame took; with `report` (`HEMICYCLE_TIMINGS=1`),
    /// prints the figures of issue #6, measured in the real window.
    fn frame(&mut self, elapsed: Duration, started: Option<Instant>, report: bool, ctx: &egui::Context) {
        if self.first_frame.is_none() {
            self.first_frame = Some(started.map_or(elapsed, |s| s.elapsed()));
        }
        if self.frame_times.len() >= 120 {
            self.frame_times.remove(0);
        }
        self.frame_times.push(elapsed);
        if !report {
            return;
        }
        let since_start = started.map(|s| s.elapsed()).unwrap_or_default();
        if self.frame_times.len() == 1 {
            eprintln!(
                "timings: first frame drawn {:.0?} after start",
                self.first_frame.unwrap_or_default()
            );
        }
        if since_start >= Duration::from_secs(10) && !self.reported {
            self.reported = true;
            eprintln!(
                "timings: median frame {:.2?} over the last {} frames; memory in use (RSS) {}",
                self.median(),
                self.frame_times.len(),
                crate::util::resident_memory()
                    .map_or_else(|| "unknown".to_owned(), |b| format!("{} MB", b / 1_000_000))
            );
        }
        // Keep frames coming while measuring.
        if !self.reported {
            ctx.request_repaint_after(Duration::from_millis(200));
        }
    }

    /// The median time to draw a frame over the last frames.
    fn median(&self) -> Duration {
        let mut t = self.frame_times.clone();
        t.sort();
        t.get(t.len() / 2).copied().unwrap_or_default()
    }
}

impl Window {
    fn set_status(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status {
            text: text.into(),
            error,
        });
    }

    /// Notes the window's size (and the panes' widths, noted as they are
    /// drawn) in the settings, written with the next autosave.
    fn note_layout(&mut self, ctx: &egui::Context, settings: &mut Settings) {
        // The window's inner size where the platform tells it, else the
        // area egui draws in (the same, less any system bars).
        let rect = ctx.input(|i| i.viewport().inner_rect.unwrap_or_else(|| i.content_rect()));
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let size = (rect.width().round() as u32, rect.height().round() as u32);
        if size.0 > 0 && size.1 > 0 && settings.window != Some(size) {
            settings.window = Some(size);
            self.settings_changed = true;
        }
        if settings.tab != Some(self.tab) {
            settings.tab = Some(self.tab);
            self.settings_changed = true;
        }
    }

    fn status_bar(&self, ui: &mut egui::Ui, directory: &Directory) {
        ui.horizontal(|ui| {
            if let Some(status) = &self.status {
                let color = if status.error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                ui.label(egui::RichText::new(&status.text).color(color));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(
                    egui::RichText::new(format!(
                        "{} MEPs · data of {} · {}",
                        directory.meps.len(),
                        directory.snapshot_date,
                        self.directory_origin
                    ))
                    .small()
                    .color(ui.visuals().weak_text_color()),
                );
            });
        });
    }
}

/// "Stop sending and close": a line in the send log says why the run
/// ended.
fn log_stopped(paths: Option<&Paths>, doc: Option<&Doc>, done: usize, total: usize) {
    if let Some(paths) = paths {
        let campaign = doc.map_or_else(String::new, Doc::title);
        let line = format!(
            "send \"{campaign}\" interrupted: the window was closed after {done} of {total} letters; the rest waits in the journal"
        );
        // The send log is a convenience; the journal is the record.
        let _ = crate::store::append_log(&paths.send_log(), &[line]);
    }
}

/// egui's own font covers Latin; the fonts bundled for PDFs add Greek,
/// Cyrillic, arrows and symbols, so every name and sign in the app shows.
fn install_fonts(ctx: &egui::Context) {
    use egui::epaint::text::{FontData, FontInsert, FontPriority, InsertFontFamily};
    for data in typst_assets::fonts() {
        let Some(font) = typst::text::Font::new(typst::foundations::Bytes::new(data), 0) else {
            continue;
        };
        let info = font.info();
        let name = match (
            info.family.as_str(),
            info.variant == typst::text::FontVariant::default(),
        ) {
            ("DejaVu Sans Mono", true) => "DejaVu Sans Mono",
            ("Libertinus Serif", true) => "Libertinus Serif",
            _ => continue,
        };
        let families = [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
            .into_iter()
            .map(|family| InsertFontFamily {
                family,
                priority: FontPriority::Lowest,
            })
            .collect();
        ctx.add_font(FontInsert::new(name, FontData::from_static(data), families));
    }
}

impl App {
    /// Draws Campaign → Votes and carries out what it asked; keeps the
    /// campaign's votes read from the data folder as the campaign names them.
    pub(super) fn votes_window(&mut self, ctx: &egui::Context) {
        // The campaign's votes read again when they no longer match it.
        let paths = self.config.paths.as_ref();
        if let Some(doc) = self.doc.as_mut()
            && !doc.composer.votes.is_current(&doc.composer.campaign, paths)
        {
            doc.composer.load_votes(paths);
            self.recipients.votes_changed();
            self.panels.preview.recompose();
        }
        let preview = vote_preview(
            self.panels.votes.open,
            self.doc.as_ref(),
            self.preview_mep(),
            self.config.today(),
        );
        let around = votes::Around {
            campaign: self.doc.as_ref().map(|d| &d.composer.campaign),
            files: &mut self.files,
            paths: self.config.paths.as_ref(),
            preview,
        };
        for asked in self.panels.votes.ui(ctx, around) {
            let Some(doc) = self.doc.as_mut() else { continue };
            match asked {
                votes::Asked::Use { name, id } => {
                    doc.composer
                        .campaign
                        .votes
                        .push(crate::campaign::CampaignVote { name, id });
                    doc.touch();
                }
                votes::Asked::Remove(name) => {
                    doc.composer.campaign.votes.retain(|v| v.name != name);
                    doc.touch();
                }
                votes::Asked::Imported => {}
            }
            // Read again on the next frame (an import may bring a vote the
            // campaign already names).
            doc.composer.votes = crate::compose::votes::CampaignVotes::default();
        }
    }
}

impl App {
    /// Draws Campaign → Layout… and carries out what it asked.
    pub(super) fn layout_window(&mut self, ctx: &egui::Context) {
        for asked in self.panels.layout.ui(ctx, self.doc.as_mut()) {
            let Some(doc) = self.doc.as_ref() else { continue };
            match asked {
                layout::Asked::ReadBlocksAgain => {
                    let templates = self.settings.templates_dir.as_deref();
                    self.panels.editor.reload(ctx, doc, templates);
                }
            }
        }
    }
}

impl App {
    /// The open campaign's responses files, for the recipients' Response column.
    fn responses_files(&mut self) -> Option<crate::deliver::responses::Files> {
        let journal = self.journal_path()?;
        let paths = self.config.paths.as_ref()?;
        // Read (once) before the account, which it picks when none is.
        self.send_ui.profiles(Some(paths));
        let account = self.send_ui.account().to_owned();
        let accounts = &self.send_ui.profiles(Some(paths)).accounts;
        responses::files_for(journal, paths.ledgers(), accounts, &account)
    }

    /// Opens the Responses window for the open campaign (`open`), or draws
    /// it and carries out what it asks.
    pub(super) fn responses_window(&mut self, ctx: &egui::Context, open: bool) {
        let responses = &self.panels.dialogs.responses;
        if !open && !responses.open && !responses.busy() {
            return;
        }
        let paths = self.config.paths.clone();
        let accounts = self.send_ui.profiles(paths.as_ref()).accounts.clone();
        let account = self.send_ui.account().to_owned();
        let secrets = self.secrets();
        let lent = responses::Lent {
            journal: self.journal_path(),
            ledgers: paths.as_ref().map(crate::store::Paths::ledgers),
            accounts: &accounts,
            secrets,
            directory: &self.directory,
        };
        if open {
            self.panels.dialogs.responses.show(ctx, &lent, &account);
            return;
        }
        for asked in self.panels.dialogs.responses.ui(ctx, &lent) {
            match asked {
                responses::Asked::ShowMep(id) => {
                    self.recipients.focused = Some(id);
                    self.window.tab = Tab::Recipients;
                }
                responses::Asked::Bounced(bounced) => {
                    self.recipients.bounced = bounced;
                    self.recipients.responses_changed();
                }
            }
        }
    }
}

/// The app seen from outside: for tests and `hemicycle bench --ui`.
impl App {
    /// What the app shows, read without changing it.
    pub fn probe(&self) -> probe::Probe<'_> {
        probe::Probe(self)
    }

    /// What tests and the benchmark do besides clicking.
    pub fn steer(&mut self) -> probe::Steer<'_> {
        probe::Steer(self)
    }
}

impl App {
    /// The password store: the one the app was given, else the system's.
    pub(in crate::ui) fn secrets(&mut self) -> Arc<dyn crate::deliver::secrets::Secrets> {
        if let Some(s) = &self.secrets {
            return s.clone();
        }
        let store: Arc<dyn crate::deliver::secrets::Secrets> =
            Arc::new(crate::deliver::secrets::SystemOrMemory::default());
        self.secrets = Some(store.clone());
        store
    }

    /// The journal file of the open campaign (None until it is saved).
    pub(in crate::ui) fn journal_path(&mut self) -> Option<PathBuf> {
        let file = self.doc.as_ref()?.file.clone()?;
        self.send_ui.journal_path(Some(&file), self.config.paths.as_ref())
    }

    /// What the send panel is lent: the campaign, its recipients, the
    /// folders, the password store and the mail program.
    fn send_lent(&mut self) -> (send::Lent<'_>, &mut send::SendPanel) {
        let secrets = self.secrets();
        let today = self.config.today();
        let doc = self.doc.as_ref();
        let mut meps = self.recipients.selection.meps(&self.directory);
        if let Some(doc) = doc {
            meps.extend(doc.composer.addressees.iter());
        }
        let lent = send::Lent {
            composer: doc.map(|d| &d.composer),
            file: doc.and_then(|d| d.file.as_deref()),
            generation: doc.map_or(0, |d| d.generation),
            meps,
            selected: self.recipients.selection.len(),
            paths: self.config.paths.as_ref(),
            secrets,
            opener: self.config.opener.as_ref().map(|o| o.0.clone()),
            today,
        };
        (lent, &mut self.send_ui)
    }

    fn carry_out_send(&mut self, asked: Vec<send::Asked>) {
        for one in asked {
            match one {
                send::Asked::Status(text, problem) => self.window.set_status(text, problem),
                send::Asked::ChooseDryFolder(start) => self.files.ask(files::Purpose::DryRunFolder, start),
            }
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // The layout of the last few seconds, which no autosave wrote yet.
        if self.window.settings_changed {
            self.save_settings();
        }
    }
}
