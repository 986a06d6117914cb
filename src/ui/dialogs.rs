//! Dialogs: export, settings, welcome, about, shortcuts, and the
//! native file dialogs (run on their own thread, so the window keeps
//! drawing).

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

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

#[derive(Clone, Copy, PartialEq, Eq)]
enum FileAsk {
    Open,
    SaveAs,
    ExportFolder,
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
    pub welcome: bool,
    pub about: bool,
    pub shortcuts: bool,
    pub settings: bool,
    pub export: ExportDialog,
    ask: Option<FileAsk>,
    file: Option<(FileAsk, Job<Option<PathBuf>>)>,
    picked: Option<(FileAsk, PathBuf)>,
}

impl Dialogs {
    pub fn ask_open(&mut self) {
        self.ask = Some(FileAsk::Open);
    }

    pub fn ask_save_as(&mut self) {
        self.ask = Some(FileAsk::SaveAs);
    }

    /// Starts the file dialog asked for, takes its answer.
    pub fn poll(&mut self, ctx: &egui::Context) {
        self.ctx = Some(ctx.clone());
        if let Some(ask) = self.ask.take()
            && self.file.is_none()
        {
            let job = Job::spawn("hemicycle-file-dialog", ctx, move |_| match ask {
                FileAsk::Open => rfd::FileDialog::new()
                    .add_filter("Hemicycle campaign", &["toml"])
                    .pick_file(),
                FileAsk::SaveAs => rfd::FileDialog::new()
                    .add_filter("Hemicycle campaign", &["toml"])
                    .set_file_name("campaign.toml")
                    .save_file(),
                FileAsk::ExportFolder => rfd::FileDialog::new().pick_folder(),
            });
            self.file = Some((ask, job));
        }
        if let Some((ask, job)) = self.file.as_mut()
            && let Some(answer) = job.poll()
        {
            let ask = *ask;
            self.file = None;
            if let Some(path) = answer {
                self.picked = Some((ask, path));
            }
        }
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
    /// Acts on what a file dialog answered.
    pub(super) fn take_dialog_results(&mut self) {
        let Some((ask, path)) = self.dialogs.picked.take() else {
            return;
        };
        match ask {
            FileAsk::Open => self.open(&path),
            FileAsk::SaveAs => {
                let path = if path.extension().is_none() {
                    path.with_extension("toml")
                } else {
                    path
                };
                self.save_to(&path);
            }
            FileAsk::ExportFolder => self.dialogs.export.folder = path.display().to_string(),
        }
    }

    pub(super) fn draw_dialogs(&mut self, ctx: &egui::Context) {
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

    /// The organisation and signatory of the open campaign.
    fn organisation_fields(&mut self, ui: &mut egui::Ui, id: &str) {
        let Some(doc) = self.doc.as_mut() else { return };
        let org = &mut doc.composer.campaign.organisation;
        let mut changed = false;
        egui::Grid::new(id).num_columns(2).show(ui, |ui| {
            for (label, value) in [
                ("Organisation name", &mut org.name),
                ("Your name", &mut org.signatory.name),
                ("Your role", &mut org.signatory.role),
                ("E-mail", &mut org.email),
                ("Place", &mut org.place),
            ] {
                let l = ui.label(label);
                changed |= ui.text_edit_singleline(value).labelled_by(l.id).changed();
                ui.end_row();
            }
        });
        if changed {
            doc.touch();
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
                ui.label("The example campaign is open, so you can look around. First, tell Hemicycle who you are:");
                self.organisation_fields(ui, "welcome-org");
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
            .show(ctx, |ui| {
                ui.label(RichText::new("Appearance").strong());
                ui.horizontal(|ui| {
                    for (choice, label) in [
                        (ThemeChoice::System, "System"),
                        (ThemeChoice::Light, "Light"),
                        (ThemeChoice::Dark, "Dark"),
                    ] {
                        if ui.radio(self.settings.theme == choice, label).clicked() {
                            self.settings.theme = choice;
                            self.apply_theme(ctx);
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
                    self.settings.templates_dir =
                        Some(PathBuf::from(folder.trim())).filter(|p| !p.as_os_str().is_empty());
                    self.save_settings();
                }
                ui.separator();
                ui.label(RichText::new("Your organisation").strong());
                ui.label(
                    RichText::new("Signs this campaign's letters; new campaigns start with it.")
                        .small()
                        .color(ui.visuals().weak_text_color()),
                );
                self.organisation_fields(ui, "settings-org");
                ui.separator();
                self.mail_accounts_section(ui);
            });
        self.dialogs.settings = open;
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
                self.dialogs.ask = Some(FileAsk::ExportFolder);
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
