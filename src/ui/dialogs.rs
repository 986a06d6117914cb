//! Dialogs: export, settings, welcome, about, shortcuts, and the
//! native file dialogs (run on their own thread, so the window keeps
//! drawing).

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use super::files::Purpose;
use super::jobs::Job;
use super::state::ThemeChoice;
use super::{App, preview};
use crate::deliver::export::{ExportOptions, ExportReport, Format};
use crate::deliver::names;
use crate::render::pdf;

/// Opens a file or folder with the system's program for it.
pub fn open_in_system(path: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = std::process::Command::new("explorer");
        c.arg(path);
        c
    };
    #[cfg(target_os = "macos")]
    let mut cmd = {
        let mut c = std::process::Command::new("open");
        c.arg(path);
        c
    };
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut cmd = {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(path);
        c
    };
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

/// The export dialog.
#[allow(clippy::struct_excessive_bools)]
pub struct ExportDialog {
    pub open: bool,
    pub formats: Vec<(Format, bool)>,
    pub folder: String,
    pub zip: bool,
    pub pattern: String,
    pub combined_pdf: bool,
    pub us_letter: bool,
    pub draft: bool,
    job: Option<Job<Result<ExportReport, String>>>,
    pub report: Option<Result<ExportReport, String>>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self {
            open: false,
            formats: Format::ALL.into_iter().map(|f| (f, f == Format::Pdf)).collect(),
            folder: String::new(),
            zip: false,
            pattern: names::DEFAULT_PATTERN.to_owned(),
            combined_pdf: false,
            us_letter: false,
            draft: false,
            job: None,
            report: None,
        }
    }
}

/// Which dialogs are open, and the file dialog running.
#[derive(Default)]
#[allow(clippy::struct_excessive_bools)]
pub struct Dialogs {
    pub ctx: Option<egui::Context>,
    /// File → Follow up… (`super::followup`).
    pub followup: super::followup::FollowUpUi,
    pub welcome: bool,
    pub about: bool,
    pub shortcuts: bool,
    pub settings: bool,
    pub export: ExportDialog,
    /// The window was asked to close with unsaved changes.
    pub closing: Closing,
}

/// Closing the window with unsaved changes: asked first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Closing {
    #[default]
    No,
    /// "Save the changes before closing?" is shown.
    Asking,
    /// The user chose Save and picks where: close once it is saved.
    AfterSave,
    /// The user decided: the next close request goes through.
    Confirmed,
    /// "A send is running… Stop it and close?" is shown.
    Sending,
    /// The user chose to stop the send: close once the run has ended (and
    /// is in the send log).
    AfterSend,
}

impl Dialogs {
    /// Takes the export's result.
    pub fn poll(&mut self, ctx: &egui::Context) {
        self.ctx = Some(ctx.clone());
        if let Some(job) = self.export.job.as_mut()
            && let Some(report) = job.poll_result()
        {
            self.export.job = None;
            self.export.report = Some(report);
        }
    }

    /// Background work is running.
    pub fn busy(&self) -> bool {
        self.export.job.is_some()
    }
}

impl App {
    /// Asks where to save the campaign, suggesting a file named after it
    /// in the campaigns folder.
    pub fn ask_save_as(&mut self) {
        let start = self.config.paths.as_ref().map(|p| {
            let title = self
                .doc
                .as_ref()
                .map_or("campaign", |d| d.composer.campaign.title.as_str());
            let mut name = crate::util::slug(title);
            name.truncate(60);
            if name.is_empty() {
                name = "campaign".into();
            }
            let dir = p.data.join("campaigns");
            let _ = std::fs::create_dir_all(&dir);
            dir.join(format!("{name}.toml"))
        });
        self.files.ask(Purpose::SaveCampaign, start);
    }

    /// Acts on what a file chooser answered.
    pub(super) fn take_dialog_results(&mut self, ctx: &egui::Context) {
        if let Some(path) = self.files.take(Purpose::OpenCampaign) {
            self.replace_campaign(ctx, super::Replacement::Open(path));
        }
        if let Some(path) = self.files.take(Purpose::SaveCampaign) {
            let path = if path.extension().is_none() {
                path.with_extension("toml")
            } else {
                path
            };
            self.save_to(&path);
        }
        if let Some(path) = self.files.take(Purpose::ExportFolder) {
            self.dialogs.export.folder = path.display().to_string();
        }
        if let Some(path) = self.files.take(Purpose::DryRunFolder) {
            self.send_ui.dry_folder = path.display().to_string();
        }
    }

    /// Keeps the window open when it is asked to close with unsaved
    /// changes, and asks; closes once the user has decided (or saved).
    pub(super) fn guard_close(&mut self, ctx: &egui::Context) {
        let dirty = self.doc.as_ref().is_some_and(|d| d.dirty);
        if self.dialogs.closing == Closing::AfterSave && !dirty {
            self.dialogs.closing = Closing::Confirmed;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        if self.dialogs.closing == Closing::AfterSend && self.send_ui.sending().is_none() {
            // The run has ended and is in the send log: close (asking
            // about unsaved changes as ever).
            self.dialogs.closing = Closing::No;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        if !ctx.input(|i| i.viewport().close_requested()) || self.dialogs.closing == Closing::Confirmed {
            return;
        }
        if self.send_ui.sending().is_some() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.dialogs.closing != Closing::AfterSend {
                self.dialogs.closing = Closing::Sending;
            }
        } else if dirty {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialogs.closing = Closing::Asking;
        }
    }

    /// Closing while letters go out: asks first; on "Stop sending and
    /// close" the run is cancelled, a line in the send log says why, and the
    /// window closes once the run has ended.
    fn stop_send_dialog(&mut self, ctx: &egui::Context) {
        if !matches!(self.dialogs.closing, Closing::Sending | Closing::AfterSend) {
            return;
        }
        let (done, total) = self.send_ui.sending().unwrap_or_default();
        let stopping = self.dialogs.closing == Closing::AfterSend;
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("close-while-sending")).show(ctx, |ui| {
            ui.set_max_width(440.0);
            if stopping {
                ui.heading("Stopping the send…");
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("The letter being sent, if any, finishes; then the window closes.");
                });
                return;
            }
            ui.heading(format!("A send is running: {done} of {total} sent. Stop it and close?"));
            ui.label("The letters not sent yet stay in the journal: open the campaign again and resume to send them. None is sent twice.");
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("Stop sending and close").clicked() {
                    choice = Some(true);
                }
                if ui.button("Keep sending").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    choice = Some(false);
                }
            });
        });
        match choice {
            Some(true) => {
                self.send_ui.stop_sending();
                self.dialogs.closing = Closing::AfterSend;
                if let Some(paths) = &self.config.paths {
                    let campaign = self.doc.as_ref().map_or_else(String::new, super::state::Doc::title);
                    let line = format!(
                        "send \"{campaign}\" interrupted: the window was closed after {done} of {total} letters; the rest waits in the journal"
                    );
                    // The send log is a convenience; the journal is the record.
                    let _ = crate::store::append_log(&paths.send_log(), &[line]);
                }
            }
            Some(false) => self.dialogs.closing = Closing::No,
            None => {}
        }
    }

    fn close_dialog(&mut self, ctx: &egui::Context) {
        if self.dialogs.closing != Closing::Asking {
            return;
        }
        let title = self
            .doc
            .as_ref()
            .map(|d| d.composer.campaign.title.clone())
            .unwrap_or_default();
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("close-unsaved")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading("Save your changes?");
            ui.label(format!(
                "The campaign \u{201c}{title}\u{201d} has changes that are not saved. If you close without saving, they are lost."
            ));
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    choice = Some(Closing::AfterSave);
                }
                if ui.button("Close without saving").clicked() {
                    choice = Some(Closing::Confirmed);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    choice = Some(Closing::No);
                }
            });
        });
        match choice {
            Some(Closing::AfterSave) => {
                self.dialogs.closing = Closing::AfterSave;
                self.save();
            }
            Some(Closing::Confirmed) => {
                // Forgotten for good: no autosave in the frames before the
                // window closes writes the recovery copy again.
                self.discard_changes();
                self.dialogs.closing = Closing::Confirmed;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(other) => self.dialogs.closing = other,
            None => {}
        }
    }

    pub(super) fn draw_dialogs(&mut self, ctx: &egui::Context) {
        self.stop_send_dialog(ctx);
        self.close_dialog(ctx);
        self.export_dialog(ctx);
        self.send_dialog(ctx);
        self.settings_dialog(ctx);
        self.welcome_dialog(ctx);
        let mut about = self.dialogs.about;
        egui::Window::new("About Hemicycle")
            .open(&mut about)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label(RichText::new(format!("{} {}", crate::APP_NAME, env!("CARGO_PKG_VERSION"))).strong());
                ui.label("Campaign letters to Members of the European Parliament.");
                ui.label(format!("Licence: {}", env!("CARGO_PKG_LICENSE")));
                ui.separator();
                ui.label(RichText::new("Where your files are").strong());
                if let Some(paths) = self.config.paths.clone() {
                    egui::Grid::new("paths").num_columns(2).show(ui, |ui| {
                        for (label, path) in paths.locations() {
                            ui.label(label);
                            ui.label(RichText::new(path.display().to_string()).monospace());
                            ui.end_row();
                        }
                    });
                    if ui.button("Open data folder").clicked() {
                        let _ = std::fs::create_dir_all(&paths.data);
                        if let Err(e) = open_in_system(&paths.data) {
                            self.set_status(format!("The folder could not be opened: {e}"), true);
                        }
                    }
                }
                ui.separator();
                ui.label(RichText::new("MEP directory").strong());
                ui.label(format!(
                    "{} MEPs, data of {}, from {}.",
                    self.directory.meps.len(),
                    self.directory.snapshot_date,
                    self.directory_origin
                ));
                for s in &self.directory.sources {
                    let licence = s.licence.as_deref().map(|l| format!(" ({l})")).unwrap_or_default();
                    ui.label(format!("• {}: {}{licence}", s.provided, s.publisher));
                }
            });
        self.dialogs.about = about;
        let mut shortcuts = self.dialogs.shortcuts;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut shortcuts)
            .collapsible(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts").num_columns(2).show(ui, |ui| {
                    for command in super::commands::Command::ALL {
                        if let Some(keys) = command.shortcut_text(ui.ctx()) {
                            ui.label(RichText::new(keys).monospace());
                            ui.label(command.description());
                            ui.end_row();
                        }
                    }
                });
            });
        self.dialogs.shortcuts = shortcuts;
    }

    /// The letterhead and signatory of the open campaign, which become the
    /// user's own letterhead for new campaigns and the examples.
    ///
    /// In the welcome (`welcome`), the letterhead goes to the settings and
    /// the example shows it, but the example is not counted as changed:
    /// opening another example then loses nothing and asks nothing.
    fn organisation_fields(&mut self, ui: &mut egui::Ui, id: &str, welcome: bool) {
        let Some(doc) = self.doc.as_mut() else { return };
        let org = &mut doc.composer.campaign.organisation;
        let mut changed = false;
        egui::Grid::new(id).num_columns(2).show(ui, |ui| {
            for (label, value, hint) in [
                ("Organisation name", &mut org.name, ""),
                ("Your name", &mut org.signatory.name, ""),
                ("Your role", &mut org.signatory.role, ""),
                ("E-mail", &mut org.email, "letters@your-organisation.org"),
                ("Website", &mut org.website, "https://your-organisation.org"),
                ("Place", &mut org.place, "where you write from: Brussels"),
                (
                    "Reference",
                    &mut org.reference_pattern,
                    "ABC/{year}/{seq:03}, or leave empty",
                ),
            ] {
                let l = ui.label(label);
                changed |= ui
                    .add(egui::TextEdit::singleline(value).hint_text(hint))
                    .labelled_by(l.id)
                    .changed();
                ui.end_row();
            }
            let l = ui.label("Postal address");
            let mut address = org.address.join("\n");
            if ui
                .add(
                    egui::TextEdit::multiline(&mut address)
                        .desired_rows(3)
                        .hint_text("one line per line of the address"),
                )
                .labelled_by(l.id)
                .changed()
            {
                // Split, not lines(): a line break just typed stays.
                org.address = address.split('\n').map(str::to_owned).collect();
                changed = true;
            }
            ui.end_row();
        });
        if changed {
            let was_dirty = doc.dirty;
            doc.touch();
            if welcome {
                doc.dirty = was_dirty;
            }
            self.settings.organisation = Some(doc.composer.campaign.organisation.clone());
            self.settings_changed = true;
        }
    }

    fn welcome_dialog(&mut self, ctx: &egui::Context) {
        let mut welcome = self.dialogs.welcome;
        egui::Window::new("Welcome to Hemicycle")
            .open(&mut welcome)
            .collapsible(false)
            .default_width(480.0)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label("Hemicycle helps your organisation write to Members of the European Parliament:");
                for step in [
                    "1. Choose the MEPs in the Recipients tab (filter by country, group, committee).",
                    "2. Write the letter in the Letter tab: demands, sources, your organisation. The preview shows the letter each MEP gets, with numbered footnotes.",
                    "3. Export the letters as PDF or Word files to print and sign, or as e-mail files to send from your mail program.",
                    "4. Or send each MEP their own e-mail from your mail account: Send e-mails… checks the letters first, goes at a polite pace and never sends a letter twice.",
                ] {
                    ui.label(step);
                }
                ui.add_space(6.0);
                ui.label("An example campaign is open, so you can look around. First, tell Hemicycle who writes: your letterhead goes on every letter, and nothing of the example's does.");
                self.organisation_fields(ui, "welcome-org", true);
                if ui.button("Start").clicked() {
                    self.dialogs.welcome = false;
                    self.settings.welcomed = true;
                    self.save_settings();
                }
            });
        if !welcome && self.dialogs.welcome {
            self.dialogs.welcome = false;
            self.settings.welcomed = true;
            self.save_settings();
        }
    }

    fn settings_dialog(&mut self, ctx: &egui::Context) {
        let mut open = self.dialogs.settings;
        let center = ctx.content_rect().center();
        egui::Window::new("Settings")
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(center)
            .max_height(ctx.content_rect().height() - 60.0)
            .show(ctx, |ui| {
                // Taller than a small window: it scrolls.
                egui::ScrollArea::vertical().show(ui, |ui| self.settings_contents(ui));
            });
        self.dialogs.settings = open;
    }

    fn settings_contents(&mut self, ui: &mut egui::Ui) {
        ui.label(RichText::new("Appearance").strong());
        ui.horizontal(|ui| {
            for (choice, label) in [
                (ThemeChoice::System, "System"),
                (ThemeChoice::Light, "Light"),
                (ThemeChoice::Dark, "Dark"),
            ] {
                if ui.radio(self.settings.theme == choice, label).clicked() {
                    self.settings.theme = choice;
                    self.apply_theme(&ui.ctx().clone());
                    self.save_settings();
                }
            }
        });
        ui.separator();
        ui.label(RichText::new("Your templates").strong());
        let mut folder = self
            .settings
            .templates_dir
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let l = ui.label("A folder of .md.hbs templates that add to or replace the bundled ones:");
        if ui.text_edit_singleline(&mut folder).labelled_by(l.id).changed() {
            self.settings.templates_dir = Some(PathBuf::from(folder.trim())).filter(|p| !p.as_os_str().is_empty());
            self.save_settings();
        }
        ui.separator();
        ui.label(RichText::new("Your organisation").strong());
        ui.label(
            RichText::new("Signs this campaign's letters; new campaigns start with it.")
                .small()
                .color(ui.visuals().weak_text_color()),
        );
        self.organisation_fields(ui, "settings-org", false);
        ui.separator();
        self.mail_accounts_section(ui);
    }

    fn export_dialog(&mut self, ctx: &egui::Context) {
        let mut open = self.dialogs.export.open;
        let center = ctx.content_rect().center();
        egui::Window::new("Export letters")
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(center)
            .default_width(460.0)
            .show(ctx, |ui| self.export_body(ui));
        self.dialogs.export.open = open;
    }

    fn export_body(&mut self, ui: &mut egui::Ui) {
        let recipients = self.recipients().len();
        let running = self.dialogs.export.job.is_some();
        let d = &mut self.dialogs.export;
        ui.label(format!(
            "One file per recipient and format, for the {recipients} recipients."
        ));
        ui.horizontal_wrapped(|ui| {
            ui.label("Formats");
            for (format, on) in &mut d.formats {
                ui.checkbox(on, format.label());
            }
        });
        if d.folder.is_empty()
            && let Some(dir) = self.settings.export_dir.clone().or_else(|| {
                directories::UserDirs::new().map(|u| u.document_dir().unwrap_or(u.home_dir()).join("Hemicycle letters"))
            })
        {
            d.folder = dir.display().to_string();
        }
        ui.horizontal(|ui| {
            let l = ui.label("Folder");
            ui.add(egui::TextEdit::singleline(&mut d.folder).desired_width(280.0))
                .labelled_by(l.id);
            if ui.button("Choose…").clicked() {
                let start = Some(PathBuf::from(d.folder.trim())).filter(|p| p.is_dir());
                self.files.ask(Purpose::ExportFolder, start);
            }
        });
        ui.horizontal(|ui| {
            let l = ui.label("File names");
            ui.add(egui::TextEdit::singleline(&mut d.pattern).desired_width(280.0))
                .labelled_by(l.id)
                .on_hover_text("{country}, {family_name}, {given_name}, {name}, {id}, {group}, {seq}");
        });
        ui.checkbox(&mut d.zip, "Put everything in one ZIP file");
        ui.checkbox(&mut d.combined_pdf, "Also one PDF with every letter, for printing");
        ui.checkbox(&mut d.us_letter, "US Letter paper (instead of A4)");
        ui.checkbox(&mut d.draft, "Open e-mail files as drafts in Outlook and Thunderbird");
        ui.separator();
        if let Some(job) = &d.job {
            ui.add(
                egui::ProgressBar::new(job.fraction())
                    .show_percentage()
                    .text(format!("{} of {} files", job.progress.done, job.progress.total)),
            );
            if ui.button("Cancel export").clicked() {
                job.cancel();
            }
        } else if ui
            .add_enabled(
                !running && recipients > 0,
                egui::Button::new(RichText::new("Export").strong()),
            )
            .clicked()
        {
            self.start_export(ui.ctx());
        }
        self.export_report(ui);
    }

    /// What the last export wrote, warned about and failed on.
    fn export_report(&mut self, ui: &mut egui::Ui) {
        let report = self.dialogs.export.report.as_ref();
        match report {
            Some(Ok(r)) => {
                let folder = PathBuf::from(self.dialogs.export.folder.trim());
                if r.cancelled {
                    preview::notice(
                        ui,
                        &format!(
                            "Cancelled: {} whole files were written before it stopped.",
                            r.written.len()
                        ),
                    );
                } else {
                    let n = r.written.len();
                    let files = if n == 1 { "file" } else { "files" };
                    ui.label(RichText::new(format!("{n} {files} written.")).strong());
                }
                for w in &r.warnings {
                    preview::notice(ui, w);
                }
                for (who, format, why) in &r.failed {
                    let f = format.map_or("letter", Format::ext);
                    preview::problem(ui, &format!("{who} ({f}): {why}"));
                }
                if ui.button("Open folder").clicked()
                    && let Err(e) = open_in_system(&folder)
                {
                    self.set_status(format!("The folder could not be opened: {e}"), true);
                }
            }
            Some(Err(e)) => preview::problem(ui, e),
            None => {}
        }
    }

    fn start_export(&mut self, ctx: &egui::Context) {
        let Some(doc) = &self.doc else { return };
        let d = &self.dialogs.export;
        let formats: Vec<Format> = d.formats.iter().filter(|(_, on)| *on).map(|(f, _)| *f).collect();
        if formats.is_empty() {
            self.dialogs.export.report = Some(Err("Choose at least one format.".to_owned()));
            return;
        }
        let folder = PathBuf::from(d.folder.trim());
        if folder.as_os_str().is_empty() {
            self.dialogs.export.report = Some(Err("Choose a folder to export into.".to_owned()));
            return;
        }
        if let Err(e) = crate::deliver::session::check_export(&doc.composer, &formats) {
            self.dialogs.export.report = Some(Err(super::send::sentence(&e.to_string())));
            return;
        }
        let composer = doc.composer.clone();
        let options = ExportOptions {
            formats,
            out_dir: folder.clone(),
            zip_name: d
                .zip
                .then(|| format!("{}.zip", names::sanitize(&composer.campaign.title))),
            pattern: d.pattern.clone(),
            combined_pdf: d.combined_pdf,
            pdf: pdf::PdfSettings {
                paper: if d.us_letter {
                    pdf::Paper::UsLetter
                } else {
                    pdf::Paper::A4
                },
                ..Default::default()
            },
            eml: crate::deliver::export::eml_settings(&composer, d.draft, false),
            today: self.today(),
        };
        let meps: Vec<crate::directory::Mep> = self.recipients().into_iter().cloned().collect();
        self.settings.export_dir = Some(folder);
        self.save_settings();
        self.dialogs.export.report = None;
        self.dialogs.export.job = Some(Job::spawn("hemicycle-export", ctx, move |r| {
            let list: Vec<&crate::directory::Mep> = meps.iter().collect();
            let progress = |p: crate::deliver::Progress| r.progress(p.done, p.total, "");
            crate::deliver::export::export(&composer, &list, &options, &progress, r.cancel_flag())
                .map_err(|e| e.to_string())
        }));
    }
}
