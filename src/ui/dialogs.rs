//! Dialogs: export, settings, welcome, about, shortcuts, and the
//! native file dialogs (run on their own thread, so the window keeps
//! drawing).

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use super::files::Purpose;
use super::jobs::Job;
use super::preview;
use super::state::Doc;
use crate::campaign::Organisation;
use crate::deliver::export::{ExportOptions, ExportReport, Format};
use crate::deliver::names;
use crate::directory::{Directory, Mep};
use crate::render::pdf;
use crate::store::Paths;

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
    /// The Responses window (`ui::responses`).
    pub responses: super::responses::ResponsesUi,
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

/// What the dialogs asked of the rest of the app.
pub(super) enum Asked {
    /// A message for the status bar; true for a problem.
    Status(String, bool),
    /// Open the file chooser for this, starting here.
    Choose(Purpose, Option<PathBuf>),
    /// An export started into this folder: remember it.
    ExportFolder(PathBuf),
    /// "Save your changes?" → Save (the window closes once saved).
    SaveBeforeClosing,
    /// "Close without saving": the changes are forgotten.
    Discard,
    /// "Stop sending and close", after `done` of `total` letters.
    StopSending(usize, usize),
    /// The letterhead typed in the welcome or the settings: the user's own.
    Letterhead(Box<Organisation>),
    /// The welcome was closed.
    Welcomed,
}

/// What the dialogs are lent: the campaign, its recipients in letter order,
/// the directory and where it comes from, the app's folders, the export
/// folder remembered and the letters' date.
pub(super) struct Lent<'a> {
    pub doc: Option<&'a mut Doc>,
    /// The MEPs selected (the campaign's named addressees follow them).
    pub selected: Vec<&'a Mep>,
    pub directory: &'a Directory,
    pub origin: &'a str,
    pub paths: Option<&'a Paths>,
    pub export_dir: Option<PathBuf>,
    pub today: chrono::NaiveDate,
    /// A send that is running: (done, total).
    pub sending: Option<(usize, usize)>,
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
        self.export.job.is_some() || self.responses.busy()
    }

    /// Keeps the window open when it is asked to close with unsaved
    /// changes, and asks; closes once the user has decided (or saved).
    pub fn guard_close(&mut self, ctx: &egui::Context, dirty: bool, sending: bool) {
        if self.closing == Closing::AfterSave && !dirty {
            self.closing = Closing::Confirmed;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        if self.closing == Closing::AfterSend && !sending {
            // The run has ended and is in the send log: close (asking
            // about unsaved changes as ever).
            self.closing = Closing::No;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        if !ctx.input(|i| i.viewport().close_requested()) || self.closing == Closing::Confirmed {
            return;
        }
        if sending {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.closing != Closing::AfterSend {
                self.closing = Closing::Sending;
            }
        } else if dirty {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.closing = Closing::Asking;
        }
    }

    /// Draws the dialogs that are open, but the send dialog and the
    /// settings, which `App` draws between the `first` ones (closing while
    /// sending, closing with unsaved changes, export) and the others
    /// (welcome, about, shortcuts); returns what the user asked.
    pub fn ui(&mut self, ctx: &egui::Context, mut lent: Lent<'_>, first: bool) -> Vec<Asked> {
        let mut asked = Vec::new();
        if first {
            asked.extend(self.stop_send_dialog(ctx, lent.sending));
            let title = lent
                .doc
                .as_ref()
                .map(|d| d.composer.campaign.title.clone())
                .unwrap_or_default();
            asked.extend(self.close_dialog(ctx, &title));
            self.export_dialog(ctx, &lent, &mut asked);
        } else {
            self.welcome_dialog(ctx, &mut lent, &mut asked);
            self.about_window(ctx, &lent, &mut asked);
            self.shortcuts_window(ctx);
        }
        asked
    }

    fn about_window(&mut self, ctx: &egui::Context, lent: &Lent<'_>, asked: &mut Vec<Asked>) {
        let mut about = self.about;
        egui::Window::new("About Hemicycle")
            .open(&mut about)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label(RichText::new(format!("{} {}", crate::APP_NAME, env!("CARGO_PKG_VERSION"))).strong());
                ui.label("Campaign letters to Members of the European Parliament.");
                ui.label(format!("Licence: {}", env!("CARGO_PKG_LICENSE")));
                ui.separator();
                ui.label(RichText::new("Where your files are").strong());
                if let Some(paths) = lent.paths {
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
                            asked.push(Asked::Status(format!("The folder could not be opened: {e}"), true));
                        }
                    }
                }
                ui.separator();
                ui.label(RichText::new("MEP directory").strong());
                ui.label(format!(
                    "{} MEPs, data of {}, from {}.",
                    lent.directory.meps.len(),
                    lent.directory.snapshot_date,
                    lent.origin
                ));
                for s in &lent.directory.sources {
                    let licence = s.licence.as_deref().map(|l| format!(" ({l})")).unwrap_or_default();
                    ui.label(format!("• {}: {}{licence}", s.provided, s.publisher));
                }
            });
        self.about = about;
    }

    fn shortcuts_window(&mut self, ctx: &egui::Context) {
        let mut shortcuts = self.shortcuts;
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
        self.shortcuts = shortcuts;
    }

    /// Closing while letters go out: asks first; on "Stop sending and
    /// close" the run is cancelled, a line in the send log says why, and the
    /// window closes once the run has ended.
    fn stop_send_dialog(&mut self, ctx: &egui::Context, sending: Option<(usize, usize)>) -> Option<Asked> {
        if !matches!(self.closing, Closing::Sending | Closing::AfterSend) {
            return None;
        }
        let (done, total) = sending.unwrap_or_default();
        let stopping = self.closing == Closing::AfterSend;
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
                self.closing = Closing::AfterSend;
                return Some(Asked::StopSending(done, total));
            }
            Some(false) => self.closing = Closing::No,
            None => {}
        }
        None
    }

    fn close_dialog(&mut self, ctx: &egui::Context, title: &str) -> Option<Asked> {
        if self.closing != Closing::Asking {
            return None;
        }
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
                self.closing = Closing::AfterSave;
                return Some(Asked::SaveBeforeClosing);
            }
            Some(Closing::Confirmed) => {
                // Forgotten for good: no autosave in the frames before the
                // window closes writes the recovery copy again.
                self.closing = Closing::Confirmed;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                return Some(Asked::Discard);
            }
            Some(other) => self.closing = other,
            None => {}
        }
        None
    }

    fn welcome_dialog(&mut self, ctx: &egui::Context, lent: &mut Lent<'_>, asked: &mut Vec<Asked>) {
        let mut welcome = self.welcome;
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
                asked.extend(organisation_fields(ui, "welcome-org", lent.doc.as_deref_mut(), true).map(|o| Asked::Letterhead(Box::new(o))));
                if ui.button("Start").clicked() {
                    self.welcome = false;
                    asked.push(Asked::Welcomed);
                }
            });
        if !welcome && self.welcome {
            self.welcome = false;
            asked.push(Asked::Welcomed);
        }
    }

    fn export_dialog(&mut self, ctx: &egui::Context, lent: &Lent<'_>, asked: &mut Vec<Asked>) {
        let mut open = self.export.open;
        let center = ctx.content_rect().center();
        egui::Window::new("Export letters")
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(center)
            .default_width(460.0)
            .show(ctx, |ui| self.export_body(ui, lent, asked));
        self.export.open = open;
    }

    fn export_body(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>, asked: &mut Vec<Asked>) {
        let recipients = recipients(lent).len();
        let running = self.export.job.is_some();
        let d = &mut self.export;
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
            && let Some(dir) = lent.export_dir.clone().or_else(|| {
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
                asked.push(Asked::Choose(Purpose::ExportFolder, start));
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
            asked.extend(self.start_export(ui.ctx(), lent));
        }
        asked.extend(self.export_report(ui));
    }

    /// What the last export wrote, warned about and failed on.
    fn export_report(&mut self, ui: &mut egui::Ui) -> Option<Asked> {
        let report = self.export.report.as_ref();
        match report {
            Some(Ok(r)) => {
                let folder = PathBuf::from(self.export.folder.trim());
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
                    return Some(Asked::Status(format!("The folder could not be opened: {e}"), true));
                }
            }
            Some(Err(e)) => preview::problem(ui, e),
            None => {}
        }
        None
    }

    fn start_export(&mut self, ctx: &egui::Context, lent: &Lent<'_>) -> Option<Asked> {
        let doc = lent.doc.as_deref()?;
        let d = &self.export;
        let formats: Vec<Format> = d.formats.iter().filter(|(_, on)| *on).map(|(f, _)| *f).collect();
        if formats.is_empty() {
            self.export.report = Some(Err("Choose at least one format.".to_owned()));
            return None;
        }
        let folder = PathBuf::from(d.folder.trim());
        if folder.as_os_str().is_empty() {
            self.export.report = Some(Err("Choose a folder to export into.".to_owned()));
            return None;
        }
        if let Err(e) = crate::deliver::session::check_export(&doc.composer, &formats) {
            self.export.report = Some(Err(super::send::sentence(&e.to_string())));
            return None;
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
            today: lent.today,
        };
        let meps: Vec<Mep> = recipients(lent).into_iter().cloned().collect();
        self.export.report = None;
        self.export.job = Some(Job::spawn("hemicycle-export", ctx, move |r| {
            let list: Vec<&Mep> = meps.iter().collect();
            let progress = |p: crate::deliver::Progress| r.progress(p.done, p.total, "");
            crate::deliver::export::export(&composer, &list, &options, &progress, r.cancel_flag())
                .map_err(|e| e.to_string())
        }));
        Some(Asked::ExportFolder(folder))
    }
}

/// The recipients in the order letters are numbered: the MEPs selected,
/// then the campaign's named addressees.
fn recipients<'b>(lent: &'b Lent<'_>) -> Vec<&'b Mep> {
    let mut list = lent.selected.clone();
    if let Some(doc) = lent.doc.as_deref() {
        list.extend(doc.composer.addressees.iter());
    }
    list
}

/// The letterhead and signatory of the open campaign, which become the
/// user's own letterhead for new campaigns and the examples.
///
/// In the welcome (`welcome`), the letterhead goes to the settings and
/// the example shows it, but the example is not counted as changed:
/// opening another example then loses nothing and asks nothing.
pub(super) fn organisation_fields(
    ui: &mut egui::Ui,
    id: &str,
    doc: Option<&mut Doc>,
    welcome: bool,
) -> Option<Organisation> {
    let doc = doc?;
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
    if !changed {
        return None;
    }
    let was_dirty = doc.dirty;
    doc.touch();
    if welcome {
        doc.dirty = was_dirty;
    }
    Some(doc.composer.campaign.organisation.clone())
}
