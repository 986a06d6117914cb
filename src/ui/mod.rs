//! The desktop app. The only module that imports egui.
//!
//! `App` holds the state (`state`), each panel or dialog draws from its own
//! file, and slow work runs as `jobs` on named threads.

mod addressees;
pub mod bench;
mod citations;
mod commands;
mod dialogs;
mod editor;
mod files;
pub mod fit;
mod followup;
pub mod jobs;
mod kits;
mod library;
mod preview;
mod recipients;
mod replace;
mod send;
mod send_limits;
pub mod state;
mod test_layout;
mod volunteer;
mod volunteer_send;

use commands::Command;
use fit::Fit;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use eframe::egui;

use crate::compose::Composer;
use crate::directory::{self, Directory};
use crate::letter::Letter;
use crate::store::Paths;
use replace::Replacement;
use state::{Doc, Recovery, Settings, ThemeChoice};

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
            zotero_url: std::env::var("HEMICYCLE_ZOTERO_URL")
                .unwrap_or_else(|_| crate::cite::zotero::LOCAL_API.to_owned()),
            watch_interval: Duration::from_secs(1),
        }
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

/// The app's two tabs; the one the user left is where the app reopens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tab {
    Recipients,
    Letter,
}

/// The preview's state: the letter for the focused MEP, composed when the
/// campaign or the focus changed.
#[derive(Default)]
struct Preview {
    letter: Option<Result<Letter, String>>,
    /// The last letter that could be composed, for this MEP: shown under
    /// an error while the user types (a citation half typed).
    last_good: Option<(String, Letter)>,
    email_text: String,
    /// (generation, MEP id) the letter was composed for.
    made_for: Option<(u64, String)>,
    as_email: bool,
    compose_time: Duration,
}

/// A message in the status bar.
struct Status {
    text: String,
    error: bool,
}

/// The app's state.
pub struct App {
    config: Config,
    settings: Settings,
    directory: Directory,
    directory_origin: String,
    directory_error: Option<String>,
    doc: Option<Doc>,
    doc_error: Option<String>,
    tab: Tab,
    preview: Preview,
    status: Option<Status>,
    last_autosave: Instant,
    /// The window's size or a pane's width changed since the settings were
    /// written.
    settings_changed: bool,
    recovery_offer: Option<Recovery>,
    /// A replacement of the open campaign held until the user decides
    /// about its unsaved changes.
    replace_gate: replace::Gate,
    dialogs: dialogs::Dialogs,
    files: files::Files,
    kit_ui: kits::KitUi,
    volunteer_ui: volunteer::VolunteerUi,
    recipients: recipients::Recipients,
    editor_ui: editor::EditorUi,
    citations_ui: citations::CitationsUi,
    library_ui: library::LibraryUi,
    /// Commands asked for during this frame, carried out after it.
    commands: Vec<commands::Command>,
    send_ui: send::SendUi,
    secrets: Option<Arc<dyn crate::deliver::secrets::Secrets>>,
    /// Frame times of the last frames (for the performance figures).
    frame_times: Vec<Duration>,
    first_frame: Option<Duration>,
    timings_reported: bool,
    /// The context the fonts and theme were set up on.
    prepared: Option<egui::Context>,
    /// What did not fit its panel or the screen in the last frame.
    fit: Fit,
}

impl App {
    pub fn new(ctx: &egui::Context, config: Config) -> Self {
        let (settings, settings_note) = config.paths.as_ref().map(Settings::load_or_explain).unwrap_or_default();
        let tab = settings.tab.unwrap_or(Tab::Letter);
        let (directory, directory_origin, directory_error) = match directory::load_active(config.paths.as_ref(), None) {
            Ok((dir, origin, _)) => (dir, origin.to_string(), None),
            Err(e) => {
                let bundled = Directory::bundled().unwrap_or(Directory {
                    meps: Vec::new(),
                    sources: Vec::new(),
                    snapshot_date: String::new(),
                });
                (
                    bundled,
                    "the bundled snapshot".to_owned(),
                    Some(format!(
                        "Your directory could not be read, so the bundled one is used: {e}"
                    )),
                )
            }
        };
        let system_file_dialogs = config.system_file_dialogs && files::dialog_service_runs();
        let mut app = Self {
            config,
            settings,
            directory,
            directory_origin,
            directory_error,
            doc: None,
            doc_error: None,
            tab,
            preview: Preview::default(),
            status: None,
            last_autosave: Instant::now(),
            settings_changed: false,
            recovery_offer: None,
            replace_gate: replace::Gate::default(),
            dialogs: dialogs::Dialogs::default(),
            files: files::Files::new(system_file_dialogs),
            kit_ui: kits::KitUi::default(),
            volunteer_ui: volunteer::VolunteerUi::default(),
            recipients: recipients::Recipients::default(),
            editor_ui: editor::EditorUi::default(),
            citations_ui: citations::CitationsUi::default(),
            library_ui: library::LibraryUi::default(),
            commands: Vec::new(),
            send_ui: send::SendUi::default(),
            secrets: None,
            frame_times: Vec::new(),
            first_frame: None,
            timings_reported: false,
            prepared: None,
            fit: Fit::default(),
        };
        app.secrets.clone_from(&app.config.secrets);
        if let Some(note) = settings_note {
            app.set_status(note, true);
        }
        app.prepare(ctx);
        test_layout::install(ctx);
        app.recovery_offer = app.config.paths.as_ref().and_then(Recovery::load);
        let first = app
            .config
            .campaign
            .clone()
            .or_else(|| app.settings.recent.first().cloned().filter(|p| p.exists()));
        match first {
            // A kit double-clicked: the example meanwhile, the kit's
            // campaign once it is checked and unpacked.
            Some(file) if crate::util::has_extension(&file.to_string_lossy(), crate::kit::EXTENSION) => {
                app.open_example();
                app.start_open_kit(ctx, file, crate::kit::BadSignature::Refuse);
                app.volunteer_ui.start();
            }
            Some(file) => app.open(&file),
            None => app.open_example(),
        }
        // A volunteer's own copy of a kit opens in the volunteer mode.
        if app.campaign().is_some_and(|c| !c.volunteer.answers.is_empty()) {
            app.volunteer_ui.open = true;
        }
        if !app.settings.welcomed && !app.volunteer_ui.open {
            app.dialogs.welcome = true;
        }
        app
    }

    /// Fonts and theme, once per context.
    fn prepare(&mut self, ctx: &egui::Context) {
        if self.prepared.as_ref() != Some(ctx) {
            install_fonts(ctx);
            self.apply_theme(ctx);
            self.prepared = Some(ctx.clone());
        }
    }

    /// The letters' date when the campaign sets none.
    fn today(&self) -> NaiveDate {
        self.config.today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    fn templates_dir(&self) -> Option<PathBuf> {
        self.settings.templates_dir.clone()
    }

    fn set_status(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status {
            text: text.into(),
            error,
        });
    }

    fn save_settings(&mut self) {
        if let Some(paths) = &self.config.paths
            && let Err(e) = self.settings.save(paths)
        {
            self.set_status(e.to_string(), true);
        }
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        ctx.set_theme(match self.settings.theme {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
    }

    /// The campaign's recipients become the selection (a campaign opened or
    /// restored).
    fn select_recipients_of(&mut self, composer: &Composer) {
        let ids = composer
            .recipients(&self.directory)
            .iter()
            .map(|m| m.id.clone())
            .collect();
        self.recipients.select(ids);
    }

    /// Opens a campaign file; on failure the current campaign stays open
    /// and the reason is shown.
    pub fn open(&mut self, file: &Path) {
        match Composer::open(file, self.templates_dir().as_deref()) {
            Ok(composer) => {
                self.select_recipients_of(&composer);
                let paths = self.config.paths.clone();
                let example = paths.as_ref().is_some_and(|p| is_under(file, &p.examples()));
                let kit = paths.as_ref().is_some_and(|p| is_under(file, &p.kits()));
                let mut composer = composer;
                if example {
                    // An example's fictional letterhead never reaches a letter.
                    composer.campaign.organisation = self.own_letterhead();
                }
                let mut doc = Doc::new(composer, Some(file.to_path_buf()));
                if example || kit {
                    // Saving asks where to keep the user's copy.
                    doc.file = None;
                    let what = if kit { "a campaign kit" } else { "an example" };
                    self.set_status(format!("This is {what}: Save asks where to keep your own copy"), false);
                } else {
                    self.settings.add_recent(file);
                    self.save_settings();
                    self.set_status(format!("Opened {}", file.display()), false);
                }
                self.doc = Some(doc);
                self.doc_error = None;
                self.preview.made_for = None;
                self.preview.last_good = None;
            }
            Err(e) => {
                self.doc_error = Some(format!("The campaign could not be opened: {e}"));
                self.set_status(format!("Could not open {}", file.display()), true);
            }
        }
    }

    /// Opens the bundled example campaign (written to the data folder).
    pub fn open_example(&mut self) {
        self.open_example_file(crate::campaign::examples::CAMPAIGNS[0].0);
    }

    /// Opens one of the bundled examples (File → New from an example).
    pub fn open_example_file(&mut self, file: &str) {
        let Some(root) = self.config.paths.as_ref().map(Paths::examples) else {
            self.doc_error = Some("No folder for Hemicycle's files was found (is HOME set?).".to_owned());
            return;
        };
        match crate::campaign::examples::install(&root) {
            Ok(_) => self.open(&root.join(file)),
            Err(e) => self.doc_error = Some(e.to_string()),
        }
    }

    /// The user's letterhead for a new campaign or an example: the one
    /// the welcome or Settings took, else an empty one to fill in (never an
    /// example's, which would go out in real letters).
    pub fn own_letterhead(&self) -> crate::campaign::Organisation {
        self.settings
            .organisation
            .clone()
            .or_else(|| {
                // A campaign of the user's own (not an example) is theirs.
                self.doc
                    .as_ref()
                    .filter(|d| d.file.is_some())
                    .map(|d| d.composer.campaign.organisation.clone())
            })
            .unwrap_or_default()
    }

    /// A new campaign, with the user's letterhead.
    pub fn new_campaign(&mut self) {
        let mut campaign = crate::campaign::Campaign::new("Untitled campaign", "personal-letter");
        campaign.ensure_id();
        campaign.organisation = self.own_letterhead();
        let base = self
            .config
            .paths
            .as_ref()
            .map_or_else(|| PathBuf::from("."), |p| p.data.join("campaigns"))
            .join("untitled.toml");
        match Composer::from_campaign(campaign, &base, self.templates_dir().as_deref()) {
            Ok(composer) => {
                let mut doc = Doc::new(composer, None);
                doc.touch();
                self.doc = Some(doc);
                self.recipients.selection.clear();
                self.preview.made_for = None;
                self.tab = Tab::Recipients;
            }
            Err(e) => self.doc_error = Some(e.to_string()),
        }
    }

    /// "New campaign from this…": the campaign open, as a new campaign with
    /// an identity of its own and no file yet (Save asks where). Its letters
    /// are then other letters than the original's: one that differs from
    /// what the original sent an MEP may go to them, where a changed copy of
    /// the same campaign would wait for "send changed letters again".
    pub fn new_campaign_from_this(&mut self) {
        let Some(doc) = self.doc.as_mut() else { return };
        doc.composer.campaign.renew_id();
        doc.file = None;
        doc.touch();
        self.set_status(
            "This is now a new campaign, with an identity of its own: save it under a new name. Letters the original sent are still never sent twice.".to_owned(),
            false,
        );
        self.ask_save_as();
    }

    /// Saves to the campaign's file, or asks where when it has none.
    pub fn save(&mut self) {
        let file = self.doc.as_ref().and_then(|d| d.file.clone());
        match file {
            Some(file) => self.save_to(&file),
            None => self.ask_save_as(),
        }
    }

    /// Whether `file` is one of the bundled examples' files or a kit's,
    /// which are never written over.
    pub fn is_read_only(&self, file: &Path) -> bool {
        self.config
            .paths
            .as_ref()
            .is_some_and(|p| is_under(file, &p.examples()) || is_under(file, &p.kits()))
    }

    /// Saves the campaign (and a template edited in the app) to `file`.
    pub fn save_to(&mut self, file: &Path) {
        if self.is_read_only(file) {
            self.set_status(
                "The examples and the campaign kits you opened are not written over: save your campaign in another folder"
                    .to_owned(),
                true,
            );
            self.ask_save_as();
            return;
        }
        let Some(doc) = self.doc.as_mut() else { return };
        let in_query = doc.composer.recipients_query_result(&self.directory);
        let (include, exclude) = state::recipients_delta(&in_query, &self.recipients.selection);
        let campaign = &mut doc.composer.campaign;
        campaign.recipients.include = include;
        campaign.recipients.exclude = exclude;
        if let Some(source) = &doc.custom_template {
            let stem = file
                .file_stem()
                .map_or_else(|| "campaign".into(), |s| s.to_string_lossy().into_owned());
            let template_file = file.with_file_name(format!("{stem}.md.hbs"));
            if let Err(e) = crate::store::write_atomic(&template_file, source.as_bytes(), "the letter template") {
                self.set_status(e.to_string(), true);
                return;
            }
            campaign.template = format!("{stem}.md.hbs");
            let name = crate::compose::templates::name_of(&template_file);
            let _ = doc.composer.templates.add(&name, source);
            doc.custom_template = None;
        }
        // Relative paths were written for the old location.
        let old = doc.composer.path.clone();
        doc.composer.campaign.moved(&old, file);
        // A copy of an example or a kit takes the files it uses along.
        let read_only_root = self
            .config
            .paths
            .as_ref()
            .and_then(|p| [p.examples(), p.kits()].into_iter().find(|root| is_under(&old, root)));
        if let Some(root) = read_only_root
            && let Err(e) = state::bring_along(&mut doc.composer.campaign, &root, file)
        {
            self.set_status(format!("Not saved: {e}"), true);
            return;
        }
        // A campaign gets its identity with its first save (an older file,
        // a copy of an example); a copy or "Save as" keeps it.
        doc.composer.campaign.ensure_id();
        match doc.composer.campaign.save(file, doc.read_from.as_deref()) {
            Ok(()) => {
                doc.composer.path = file.to_path_buf();
                doc.file = Some(file.to_path_buf());
                doc.read_from = Some(file.to_path_buf());
                doc.dirty = false;
                if let Some(paths) = &self.config.paths {
                    Recovery::clear(paths);
                }
                self.settings.add_recent(file);
                self.save_settings();
                self.set_status(format!("Saved {}", file.display()), false);
            }
            Err(e) => self.set_status(format!("Not saved: {e}"), true),
        }
    }

    /// Notes the window's size (and the panes' widths, noted as they are
    /// drawn) in the settings, written with the next autosave.
    fn note_layout(&mut self, ctx: &egui::Context) {
        // The window's inner size where the platform tells it, else the
        // area egui draws in (the same, less any system bars).
        let rect = ctx.input(|i| i.viewport().inner_rect.unwrap_or_else(|| i.content_rect()));
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let size = (rect.width().round() as u32, rect.height().round() as u32);
        if size.0 > 0 && size.1 > 0 && self.settings.window != Some(size) {
            self.settings.window = Some(size);
            self.settings_changed = true;
        }
        if self.settings.tab != Some(self.tab) {
            self.settings.tab = Some(self.tab);
            self.settings_changed = true;
        }
    }

    /// Writes unsaved changes to the recovery file every few seconds, and
    /// the window's layout when it changed.
    fn autosave(&mut self) {
        if self.last_autosave.elapsed() < Duration::from_secs(5) {
            return;
        }
        self.last_autosave = Instant::now();
        if std::mem::take(&mut self.settings_changed) {
            self.save_settings();
        }
        self.write_recovery();
    }

    /// Writes the unsaved changes, if any, to the recovery file now.
    fn write_recovery(&mut self) {
        let (Some(doc), Some(paths)) = (&self.doc, &self.config.paths) else {
            return;
        };
        if !doc.dirty {
            return;
        }
        let recovery = Recovery {
            file: doc.file.clone(),
            base: doc.composer.path.clone(),
            saved_at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
            toml: doc.composer.campaign.to_toml(),
        };
        if let Err(e) = recovery.write(paths) {
            self.set_status(e.to_string(), true);
        }
    }

    /// Restores the unsaved changes of the last session.
    fn restore(&mut self, recovery: &Recovery) {
        let result = crate::campaign::Campaign::from_toml(&recovery.toml, "the recovery copy")
            .map_err(crate::compose::ComposeError::from)
            .and_then(|c| Composer::from_campaign(c, &recovery.base, self.templates_dir().as_deref()));
        match result {
            Ok(composer) => {
                self.select_recipients_of(&composer);
                let mut doc = Doc::new(composer, recovery.file.clone());
                doc.touch();
                self.doc = Some(doc);
                self.preview.made_for = None;
                self.set_status("Your unsaved changes were restored; save them to keep them.", false);
            }
            Err(e) => self.set_status(format!("The unsaved changes could not be restored: {e}"), true),
        }
    }

    /// The recipient the preview is for: the focused one (an MEP or a named
    /// addressee), else the first recipient.
    fn preview_mep(&self) -> Option<&directory::Mep> {
        let addressees = self.doc.as_ref().map_or(&[][..], |d| d.composer.addressees.as_slice());
        self.recipients
            .focused
            .as_deref()
            .and_then(|id| {
                self.directory
                    .get(id)
                    .or_else(|| addressees.iter().find(|a| a.id == id))
            })
            .or_else(|| self.recipients().first().copied())
    }

    /// Composes the preview again when the campaign or the focus changed.
    fn update_preview(&mut self) {
        let Some(doc) = &self.doc else { return };
        let Some(mep) = self.preview_mep() else {
            self.preview.letter = None;
            return;
        };
        let key = (doc.generation, mep.id.clone());
        if self.preview.made_for.as_ref() == Some(&key) {
            return;
        }
        let all = self.recipients();
        let index = all.iter().position(|m| m.id == mep.id).unwrap_or(0);
        let start = Instant::now();
        let result = doc
            .composer
            .letter_to_all(mep, index, self.today(), &all)
            .map_err(|e| e.to_string());
        self.preview.email_text = match &result {
            Ok(letter) => crate::render::text::render(letter),
            Err(_) => String::new(),
        };
        if let Ok(letter) = &result {
            self.preview.last_good = Some((key.1.clone(), letter.clone()));
        }
        self.preview.letter = Some(result);
        self.preview.compose_time = start.elapsed();
        self.preview.made_for = Some(key);
    }

    /// The recipients in the order letters are numbered: the selected MEPs,
    /// then the campaign's named addressees (who are not in the directory).
    fn recipients(&self) -> Vec<&directory::Mep> {
        let mut list = self.recipients.selection.meps(&self.directory);
        if let Some(doc) = &self.doc {
            list.extend(doc.composer.addressees.iter());
        }
        list
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                self.command_button(ui, Command::New);
                self.command_button(ui, Command::Open);
                ui.menu_button("Open recent", |ui| {
                    if self.settings.recent.is_empty() {
                        ui.label("No recent campaigns");
                    }
                    for file in self.settings.recent.clone() {
                        if ui.button(file.display().to_string()).clicked() {
                            self.replace_campaign(ui.ctx(), Replacement::Open(file));
                            ui.close();
                        }
                    }
                });
                ui.menu_button("New from an example", |ui| {
                    // One example per genre, each with what it is for.
                    for example in crate::campaign::examples::gallery() {
                        let label = format!("{}: {}", example.genre, example.title);
                        if ui.button(label).on_hover_text(&example.description).clicked() {
                            self.replace_campaign(ui.ctx(), Replacement::Example(example.file.to_owned()));
                            ui.close();
                        }
                        ui.label(egui::RichText::new(&example.description).small().weak());
                        ui.add_space(4.0);
                    }
                });
                ui.separator();
                self.command_button(ui, Command::Save);
                self.command_button(ui, Command::SaveAs);
                self.command_button(ui, Command::NewFromThis);
                ui.separator();
                self.command_button(ui, Command::OpenKit);
                self.command_button(ui, Command::ShareKit);
                self.command_button(ui, Command::Volunteer);
                ui.separator();
                self.command_button(ui, Command::Export);
                self.command_button(ui, Command::Send);
                self.command_button(ui, Command::FollowUp);
                ui.separator();
                self.command_button(ui, Command::Settings);
            });
            ui.menu_button("Edit", |ui| {
                self.command_button(ui, Command::Undo);
                self.command_button(ui, Command::Redo);
            });
            ui.menu_button("View", |ui| {
                for (choice, label) in [
                    (ThemeChoice::System, "Follow the system theme"),
                    (ThemeChoice::Light, "Light theme"),
                    (ThemeChoice::Dark, "Dark theme"),
                ] {
                    if ui.radio(self.settings.theme == choice, label).clicked() {
                        self.settings.theme = choice;
                        self.apply_theme(ui.ctx());
                        self.save_settings();
                    }
                }
            });
            ui.menu_button("Help", |ui| {
                self.command_button(ui, Command::Shortcuts);
                self.command_button(ui, Command::Welcome);
                self.command_button(ui, Command::About);
            });
        });
    }

    fn tabs(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let selected = self.recipients.selection.len();
            ui.selectable_value(&mut self.tab, Tab::Recipients, format!("1  Recipients ({selected})"));
            ui.selectable_value(&mut self.tab, Tab::Letter, "2  Letter");
            ui.separator();
            let export = egui::Button::new("3  Export letters…");
            let export = match Command::Export.shortcut_text(ui.ctx()) {
                Some(keys) => ui
                    .add_enabled(self.command_enabled(Command::Export), export)
                    .on_hover_text(keys),
                None => ui.add_enabled(self.command_enabled(Command::Export), export),
            };
            if export.clicked() {
                self.ask(Command::Export);
            }
            if ui.button("4  Send e-mails…").clicked() {
                self.send_ui.open = true;
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(doc) = &self.doc {
                    let mark = if doc.dirty { " •" } else { "" };
                    ui.label(egui::RichText::new(format!("{}{mark}", doc.title())).strong());
                }
            });
        });
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
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
                        self.directory.meps.len(),
                        self.directory.snapshot_date,
                        self.directory_origin
                    ))
                    .small()
                    .color(ui.visuals().weak_text_color()),
                );
            });
        });
    }

    fn recovery_banner(&mut self, ui: &mut egui::Ui) {
        let Some(recovery) = self.recovery_offer.clone() else {
            return;
        };
        egui::Frame::new()
            .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let what = recovery
                        .file
                        .as_ref()
                        .map_or_else(|| "a new campaign".to_owned(), |f| f.display().to_string());
                    ui.label(format!(
                        "Hemicycle closed with unsaved changes to {what} ({}).",
                        recovery.saved_at
                    ));
                    if ui.button("Restore them").clicked() {
                        self.recovery_offer = None;
                        self.replace_campaign(ui.ctx(), Replacement::Restore(recovery.clone()));
                    }
                    if ui.button("Discard them").clicked() {
                        if let Some(paths) = &self.config.paths {
                            Recovery::clear(paths);
                        }
                        self.recovery_offer = None;
                    }
                });
            });
    }

    /// Draws one frame.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let frame_start = Instant::now();
        let ctx = ui.ctx().clone();
        self.prepare(&ctx);
        self.read_shortcuts(&ctx);
        self.dialogs.poll(&ctx);
        self.files.ui(&ctx);
        self.take_dialog_results(&ctx);
        self.take_dropped_file(&ctx);
        self.kit_work(&ctx);
        if self.volunteer_ui.open {
            self.volunteer_frame(ui);
            return;
        }
        egui::Panel::top("menu").show(ui, |ui| {
            let room = Fit::room(ui);
            self.menu_bar(ui);
            self.tabs(ui);
            self.recovery_banner(ui);
            self.fit.panel("menu bar", room, ui);
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            let room = Fit::room(ui);
            self.status_bar(ui);
            self.fit.panel("status bar", room, ui);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(e) = self.directory_error.clone() {
                preview::problem(ui, &e);
            }
            if let Some(e) = self.doc_error.clone() {
                preview::problem(ui, &e);
            }
            match self.tab {
                Tab::Recipients => self.recipients_panel(ui),
                Tab::Letter => self.letter_panel(ui),
            }
        });
        self.draw_dialogs(&ctx);
        if let Some(set) = self.library_ui.ui(&ctx) {
            self.add_demand_set(&ctx, set);
        }
        self.followup_window(&ctx);
        self.run_commands(&ctx);
        self.replace_gate_ui(&ctx);
        self.guard_close(&ctx);
        self.note_layout(&ctx);
        self.fit.end_frame(&ctx);
        self.autosave();
        let elapsed = frame_start.elapsed();
        if self.first_frame.is_none() {
            self.first_frame = Some(self.config.started.map_or(elapsed, |s| s.elapsed()));
        }
        if self.frame_times.len() >= 120 {
            self.frame_times.remove(0);
        }
        self.frame_times.push(elapsed);
        self.report_timings();
    }

    /// `HEMICYCLE_TIMINGS=1`: the figures of issue #6, measured in the real
    /// window.
    fn report_timings(&mut self) {
        if !self.config.report_timings {
            return;
        }
        let since_start = self.config.started.map(|s| s.elapsed()).unwrap_or_default();
        if self.frame_times.len() == 1 {
            eprintln!(
                "timings: first frame drawn {:.0?} after start",
                self.first_frame.unwrap_or_default()
            );
        }
        if since_start >= Duration::from_secs(10) && !self.timings_reported {
            self.timings_reported = true;
            eprintln!(
                "timings: median frame {:.2?} over the last {} frames; memory in use (RSS) {}",
                self.median_frame_time(),
                self.frame_times.len(),
                resident_memory().map_or_else(|| "unknown".to_owned(), |b| format!("{} MB", b / 1_000_000))
            );
        }
        // Keep frames coming while measuring.
        if !self.timings_reported {
            self.prepared
                .as_ref()
                .inspect(|c| c.request_repaint_after(Duration::from_millis(200)));
        }
    }

    /// For benchmarks and tests: puts the keyboard focus into the text of
    /// demand `n` (1-based) in the Letter tab.
    pub fn focus_demand_text(&mut self, n: usize) {
        self.tab = Tab::Letter;
        self.editor_ui.focus_demand = Some(n.saturating_sub(1));
    }

    /// The median time to draw a frame over the last frames.
    /// The panels whose content, and the windows that, did not fit in the
    /// last frame (see [`fit`]).
    pub fn misfits(&self) -> &[fit::Misfit] {
        self.fit.misfits()
    }

    pub fn median_frame_time(&self) -> Duration {
        let mut t = self.frame_times.clone();
        t.sort();
        t.get(t.len() / 2).copied().unwrap_or_default()
    }

    /// Time from start to the end of the first frame.
    pub fn first_frame_time(&self) -> Option<Duration> {
        self.first_frame
    }

    /// For tests: the campaign open in the app.
    /// Where the open campaign is saved: `None` for a new campaign or a
    /// bundled example, which Save asks where to keep.
    pub fn campaign_file(&self) -> Option<&Path> {
        self.doc.as_ref().and_then(|d| d.file.as_deref())
    }

    pub fn campaign(&self) -> Option<&crate::campaign::Campaign> {
        self.doc.as_ref().map(|d| &d.composer.campaign)
    }

    /// Whether the open campaign has changes not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.doc.as_ref().is_some_and(|d| d.dirty)
    }

    /// For benchmarks: the notes of the letter in the preview.
    pub fn preview_note_count(&self) -> usize {
        match &self.preview.letter {
            Some(Ok(l)) => l.notes.len(),
            _ => 0,
        }
    }

    /// For benchmarks and tests: the text of demand `n` (1-based).
    pub fn demand_text(&self, n: usize) -> Option<String> {
        let doc = self.doc.as_ref()?;
        doc.composer.demands.get(n.checked_sub(1)?).map(|d| d.body.clone())
    }

    /// For benchmarks: the MEPs in the directory.
    pub fn directory_len(&self) -> usize {
        self.directory.meps.len()
    }

    /// For tests: the MEP the preview is for.
    pub fn preview_for(&self) -> Option<String> {
        self.preview_mep().map(|m| m.id.clone())
    }

    /// For tests: the settings as they are now, and written out.
    pub fn settings_now(&mut self) -> Settings {
        self.save_settings();
        self.settings_changed = false;
        self.settings.clone()
    }

    /// For tests: the selected MEPs' ids.
    pub fn selected_ids(&self) -> Vec<String> {
        self.recipients.selection.ids().cloned().collect()
    }

    /// File → Follow up…: its window, and the follow-up it saved opened.
    fn followup_window(&mut self, ctx: &egui::Context) {
        if !self.dialogs.followup.open {
            return;
        }
        let mut panel = std::mem::take(&mut self.dialogs.followup);
        let source = || {
            followup::source(
                self.doc.as_ref()?,
                self.recipients().into_iter().cloned().collect(),
                self.config.paths.as_ref()?,
            )
        };
        let asked = panel.ui(ctx, source);
        self.dialogs.followup = panel;
        if let Some(followup::Asked::Open(file)) = asked {
            self.dialogs.followup.open = false;
            self.replace_campaign(ctx, Replacement::Open(file));
        }
    }

    /// Opens the demand-set library on the bundled sets and the user's.
    fn open_library(&mut self, ctx: &egui::Context) {
        let Some(paths) = self.config.paths.clone() else {
            self.set_status(
                "No folder for Hemicycle's files was found (is HOME set?).".to_owned(),
                true,
            );
            return;
        };
        self.library_ui.show(ctx, paths.examples(), paths.demand_sets());
    }

    /// For tests: the ids of the campaign's demands.
    pub fn demand_ids(&self) -> Vec<String> {
        self.doc
            .as_ref()
            .map(|d| d.composer.demands.iter().map(|x| x.id.clone()).collect())
            .unwrap_or_default()
    }

    /// For tests: the title of the campaign being edited.
    pub fn doc_title(&self) -> Option<String> {
        self.doc.as_ref().map(|d| d.composer.campaign.title.clone())
    }

    /// The last good letter to the MEP the preview is for, shown under an
    /// error.
    fn last_good_letter(&self) -> Option<&Letter> {
        let (id, letter) = self.preview.last_good.as_ref()?;
        (self.preview_mep()?.id == *id).then_some(letter)
    }

    /// For tests: background work (export) is running.
    pub fn busy(&self) -> bool {
        self.dialogs.busy()
            || self.files.busy()
            || self.kit_ui.busy()
            || self.volunteer_ui.busy()
            || self.send_ui.busy()
            || self.library_ui.busy()
            || self.editor_ui.busy()
            || self.recipients.busy()
            || self.citations_ui.busy()
    }
}

/// Replacing the open campaign: every way goes through `replace_campaign`.
impl App {
    /// Replaces the open campaign with `replacement`, or, when that would
    /// lose unsaved changes, writes them to the recovery copy at once and
    /// asks first (see [`replace`]).
    fn replace_campaign(&mut self, ctx: &egui::Context, replacement: Replacement) {
        if let Some(r) = self.replace_gate.request(replacement, self.is_dirty()) {
            self.carry_out(ctx, r);
        } else {
            self.write_recovery();
        }
    }

    /// Draws the gate's question; carries out what the user decided.
    fn replace_gate_ui(&mut self, ctx: &egui::Context) {
        if !self.replace_gate.is_holding() {
            return;
        }
        let title = self
            .doc
            .as_ref()
            .map(|d| d.composer.campaign.title.clone())
            .unwrap_or_default();
        let asked = self.replace_gate.ui(ctx, &title, self.is_dirty(), self.files.asking());
        match asked {
            Some(replace::Asked::Save) => self.save(),
            Some(replace::Asked::Discard(r)) => {
                self.discard_changes();
                self.carry_out(ctx, r);
            }
            Some(replace::Asked::Replace(r)) => self.carry_out(ctx, r),
            None => {}
        }
    }

    /// The user chose not to keep the unsaved changes: they are forgotten,
    /// and so is their recovery copy (no later autosave writes it again).
    fn discard_changes(&mut self) {
        if let Some(doc) = self.doc.as_mut() {
            doc.dirty = false;
        }
        if let Some(paths) = &self.config.paths {
            Recovery::clear(paths);
        }
    }

    fn carry_out(&mut self, ctx: &egui::Context, replacement: Replacement) {
        // What the send dialog showed belonged to the campaign replaced.
        self.send_ui.forget_campaign();
        match replacement {
            Replacement::New => self.new_campaign(),
            Replacement::Example(file) => self.open_example_file(&file),
            Replacement::Open(file) => self.open(&file),
            Replacement::Kit(file) => self.start_open_kit(ctx, file, crate::kit::BadSignature::Refuse),
            Replacement::NewFromThis => self.new_campaign_from_this(),
            Replacement::Restore(recovery) => self.restore(&recovery),
        }
    }

    /// A campaign file or a kit dropped on the window opens (through the
    /// gate).
    fn take_dropped_file(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        let Some(file) = dropped else { return };
        let replacement = if crate::util::has_extension(&file.to_string_lossy(), crate::kit::EXTENSION) {
            Replacement::Kit(file)
        } else {
            Replacement::Open(file)
        };
        self.replace_campaign(ctx, replacement);
    }
}

/// Whether `file` (which may not exist yet) lies in the folder `root`.
fn is_under(file: &Path, root: &Path) -> bool {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let folder = file.parent().map_or_else(|| file.to_path_buf(), canonical);
    folder.starts_with(canonical(root))
}

/// The memory this process holds in RAM (resident set), in bytes (Linux).
pub fn resident_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
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

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // The layout of the last few seconds, which no autosave wrote yet.
        if self.settings_changed {
            self.save_settings();
        }
    }
}
