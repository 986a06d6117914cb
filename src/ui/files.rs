//! Choosing a file or a folder: the desktop's own dialog where one runs
//! (through its portal, on a named thread), and otherwise a window of
//! Hemicycle's own with a path field that completes what is typed from the
//! folder's contents. Without a dialog service the system dialog returns at
//! once with nothing; that is taken as "no dialog here", not as the user
//! cancelling, and the path field is shown instead, saying why.
//!
//! Panels ask with [`Files::ask`] and take the answer with [`Files::take`],
//! by the [`Purpose`] they asked for.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui::{self, RichText};

use super::jobs::Job;

/// What the chosen path is for; the answer is handed back under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    OpenCampaign,
    SaveCampaign,
    OpenKit,
    ShareKit,
    /// A volunteer's folder for their letters (the app names the file).
    LettersFolder,
    ExportFolder,
    DryRunFolder,
    Bibliography,
    CitationStyle,
    DemandSet,
    Cosigners,
    Logo,
    /// A CSV list of representatives to import as the directory.
    DirectoryCsv,
    /// A HowTheyVote.eu vote file (the API's JSON or a members CSV).
    VoteFile,
}

impl Purpose {
    /// (title of the window, what the files are, their extensions)
    fn facts(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            Self::OpenCampaign => ("Open a campaign", "Hemicycle campaign", &["toml"]),
            Self::SaveCampaign => ("Save the campaign as", "Hemicycle campaign", &["toml"]),
            Self::OpenKit => ("Open a campaign kit", "Campaign kit", &["hemicycle"]),
            Self::ShareKit => ("Share the campaign as a kit", "Campaign kit", &["hemicycle"]),
            Self::ExportFolder => ("Export into a folder", "", &[]),
            Self::LettersFolder => ("Where to keep your letters", "", &[]),
            Self::DryRunFolder => ("Write the dry run into a folder", "", &[]),
            Self::Bibliography => ("Add a bibliography", "Bibliography", &["json", "bib", "yaml", "yml"]),
            Self::CitationStyle => ("Load a citation style", "CSL style", &["csl"]),
            Self::DemandSet => ("Add a demand set", "Demand set", &["toml"]),
            Self::Cosigners => ("Add co-signers", "Co-signers (CSV)", &["csv"]),
            Self::Logo => ("Choose a logo", "Logo image", &["png", "jpg", "jpeg", "svg"]),
            Self::DirectoryCsv => ("Import a CSV list", "CSV list of representatives", &["csv"]),
            Self::VoteFile => ("Open a HowTheyVote.eu vote", "Vote (JSON or CSV)", &["json", "csv"]),
        }
    }

    fn is_folder(self) -> bool {
        matches!(self, Self::ExportFolder | Self::DryRunFolder | Self::LettersFolder)
    }

    fn is_save(self) -> bool {
        matches!(self, Self::SaveCampaign | Self::ShareKit)
    }
}

/// A system dialog that answers faster than this showed nothing.
const NO_DIALOG: Duration = Duration::from_millis(400);
/// Completions shown under the path field.
const MAX_COMPLETIONS: usize = 12;

/// The path field: Hemicycle's own chooser.
#[derive(Debug)]
struct Prompt {
    purpose: Purpose,
    text: String,
    /// Why it is shown instead of the system's dialog, if that failed.
    why: Option<&'static str>,
    error: Option<String>,
}

/// What the path field says after a frame.
enum Answer {
    Open,
    Cancelled,
    Chosen(PathBuf),
}

/// The file choosers of the app.
pub struct Files {
    /// Use the desktop's dialogs (tests and machines without them: no).
    system: bool,
    /// Asked for, not yet started: (purpose, where to start).
    wanted: Option<(Purpose, Option<PathBuf>)>,
    running: Option<(Purpose, Job<Option<PathBuf>>, Instant)>,
    prompt: Option<Prompt>,
    answer: Option<(Purpose, PathBuf)>,
}

impl Files {
    pub fn new(system: bool) -> Self {
        Self {
            system,
            wanted: None,
            running: None,
            prompt: None,
            answer: None,
        }
    }

    /// Asks for a path for `purpose`, starting at `start` (a folder or a
    /// suggested file); the chooser opens with the next frame.
    pub fn ask(&mut self, purpose: Purpose, start: Option<PathBuf>) {
        if self.running.is_none() && self.prompt.is_none() {
            self.wanted = Some((purpose, start));
        }
    }

    fn start(&mut self, ctx: &egui::Context) {
        let Some((purpose, start)) = self.wanted.take() else {
            return;
        };
        if self.system {
            let job = Job::spawn("hemicycle-file-dialog", ctx, move |_| system_dialog(purpose, start));
            self.running = Some((purpose, job, Instant::now()));
        } else {
            self.prompt = Some(Prompt::new(purpose, start.as_deref(), None));
        }
    }

    /// The path chosen for `purpose`, once.
    pub fn take(&mut self, purpose: Purpose) -> Option<PathBuf> {
        if self.answer.as_ref().is_some_and(|(p, _)| *p == purpose) {
            return self.answer.take().map(|(_, path)| path);
        }
        None
    }

    /// A chooser is asked for, open or on its way (the desktop's or the
    /// path field).
    pub fn asking(&self) -> bool {
        self.wanted.is_some() || self.running.is_some() || self.prompt.is_some()
    }

    /// A dialog is open or on its way.
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// Starts what was asked for, takes the system dialog's answer, draws
    /// the path field.
    pub fn ui(&mut self, ctx: &egui::Context) {
        self.start(ctx);
        if let Some((purpose, job, started)) = self.running.as_mut()
            && let Some(answer) = job.poll()
        {
            let (purpose, quick) = (*purpose, started.elapsed() < NO_DIALOG);
            self.running = None;
            match answer {
                Some(path) => self.answer = Some((purpose, path)),
                // Nothing, at once: no dialog was shown.
                None if quick => {
                    self.prompt = Some(Prompt::new(
                        purpose,
                        None,
                        Some("No file dialog is available on this desktop, so type the path here."),
                    ));
                }
                None => {}
            }
        }
        let Some(prompt) = self.prompt.as_mut() else { return };
        match prompt.ui(ctx) {
            Answer::Chosen(path) => {
                self.answer = Some((prompt.purpose, path));
                self.prompt = None;
            }
            Answer::Cancelled => self.prompt = None,
            Answer::Open => {}
        }
    }
}

/// Whether the desktop can show its file dialogs: they come through its
/// portal on the session bus, and without a session bus there is none.
pub fn dialog_service_runs() -> bool {
    cfg!(not(target_os = "linux")) || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
}

fn system_dialog(purpose: Purpose, start: Option<PathBuf>) -> Option<PathBuf> {
    let (title, what, exts) = purpose.facts();
    let mut dialog = rfd::FileDialog::new().set_title(title);
    if !exts.is_empty() {
        dialog = dialog.add_filter(what, exts);
    }
    if let Some(start) = start {
        if start.is_dir() {
            dialog = dialog.set_directory(&start);
        } else {
            if let Some(dir) = start.parent().filter(|d| d.is_dir()) {
                dialog = dialog.set_directory(dir);
            }
            if let Some(name) = start.file_name() {
                dialog = dialog.set_file_name(name.to_string_lossy());
            }
        }
    }
    if purpose.is_folder() {
        dialog.pick_folder()
    } else if purpose.is_save() {
        dialog.save_file()
    } else {
        dialog.pick_file()
    }
}

impl Prompt {
    fn new(purpose: Purpose, start: Option<&Path>, why: Option<&'static str>) -> Self {
        let text = start
            .map(|p| p.display().to_string())
            .or_else(|| directories::UserDirs::new().map(|u| format!("{}/", u.home_dir().display())))
            .unwrap_or_default();
        Self {
            purpose,
            text,
            why,
            error: None,
        }
    }

    fn ui(&mut self, ctx: &egui::Context) -> Answer {
        let (title, what, exts) = self.purpose.facts();
        let mut result = Answer::Open;
        egui::Modal::new(egui::Id::unique("path-prompt")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(title);
            if let Some(why) = self.why {
                ui.label(why);
            }
            let l = ui.label("Path");
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.text).desired_width(f32::INFINITY))
                .labelled_by(l.id);
            if !exts.is_empty() {
                ui.label(RichText::new(format!("{what}: .{}", exts.join(", ."))).small().weak());
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            self.completions(ui, exts);
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.horizontal(|ui| {
                let ok = match self.purpose {
                    Purpose::LettersFolder => "Keep my letters here",
                    p if p.is_save() => "Save",
                    _ => "Choose",
                };
                if ui.button(RichText::new(ok).strong()).clicked() || entered {
                    match self.check() {
                        Ok(path) => result = Answer::Chosen(path),
                        Err(e) => self.error = Some(e),
                    }
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    result = Answer::Cancelled;
                }
            });
        });
        result
    }

    /// The entries of the folder typed so far that begin with what follows
    /// the last slash; a click completes the field with one.
    fn completions(&mut self, ui: &mut egui::Ui, exts: &[&str]) {
        let (dir, stem) = split(&self.text);
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        let folders_only = self.purpose.is_folder();
        let mut found: Vec<(bool, String)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let is_dir = e.path().is_dir();
                let fits = name.to_lowercase().starts_with(&stem.to_lowercase())
                    && !name.starts_with('.')
                    && (is_dir
                        || (!folders_only
                            && (exts.is_empty()
                                || Path::new(&name)
                                    .extension()
                                    .is_some_and(|x| exts.iter().any(|e| x.eq_ignore_ascii_case(e))))));
                fits.then_some((is_dir, name))
            })
            .take(500)
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.to_lowercase().cmp(&b.1.to_lowercase())));
        egui::ScrollArea::vertical().max_height(180.0).show(ui, |ui| {
            for (is_dir, name) in found.iter().take(MAX_COMPLETIONS) {
                let shown = if *is_dir { format!("{name}/") } else { name.clone() };
                if ui.selectable_label(false, shown.as_str()).clicked() {
                    self.text = dir.join(&shown).display().to_string();
                    self.error = None;
                }
            }
            if found.len() > MAX_COMPLETIONS {
                ui.label(
                    RichText::new(format!(
                        "… and {} more: type more of the name",
                        found.len() - MAX_COMPLETIONS
                    ))
                    .weak(),
                );
            }
        });
    }

    /// The path, if it can be used for the purpose; else what is wrong.
    fn check(&self) -> Result<PathBuf, String> {
        let text = self.text.trim();
        if text.is_empty() {
            return Err("Type a path.".to_owned());
        }
        let path = PathBuf::from(text);
        if self.purpose.is_folder() {
            if path.is_file() {
                return Err(format!("{} is a file; choose a folder.", path.display()));
            }
            // A folder that does not exist yet is made by the export.
            return Ok(path);
        }
        if path.is_dir() {
            return Err(format!("{} is a folder; type or choose a file in it.", path.display()));
        }
        if self.purpose.is_save() {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            if !parent.is_dir() {
                return Err(format!("The folder {} does not exist.", parent.display()));
            }
            return Ok(path);
        }
        if !path.is_file() {
            return Err(format!("There is no file {}.", path.display()));
        }
        Ok(path)
    }
}

/// "/home/an/Doc" → ("/home/an", "Doc"); "/home/an/" → ("/home/an/", "").
fn split(text: &str) -> (PathBuf, String) {
    match text.rfind(['/', std::path::MAIN_SEPARATOR]) {
        Some(i) => (PathBuf::from(&text[..=i]), text[i + 1..].to_owned()),
        None => (PathBuf::from("."), text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_splits_into_its_folder_and_the_name_begun() {
        assert_eq!(split("/home/an/Doc"), (PathBuf::from("/home/an/"), "Doc".to_owned()));
        assert_eq!(split("/home/an/"), (PathBuf::from("/home/an/"), String::new()));
        assert_eq!(split("notes"), (PathBuf::from("."), "notes".to_owned()));
    }

    #[test]
    fn a_path_is_checked_for_what_it_is_for() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let file = tmp.path().join("campaign.toml");
        std::fs::write(&file, "").expect("write");
        let check = |purpose, text: &Path| {
            Prompt {
                purpose,
                text: text.display().to_string(),
                why: None,
                error: None,
            }
            .check()
        };
        assert_eq!(check(Purpose::OpenCampaign, &file), Ok(file.clone()));
        assert!(check(Purpose::OpenCampaign, &tmp.path().join("none.toml")).is_err_and(|e| e.contains("no file")));
        assert!(check(Purpose::OpenCampaign, tmp.path()).is_err_and(|e| e.contains("is a folder")));
        assert!(
            check(Purpose::SaveCampaign, &tmp.path().join("gone/c.toml")).is_err_and(|e| e.contains("does not exist"))
        );
        assert_eq!(
            check(Purpose::SaveCampaign, &tmp.path().join("new.toml")),
            Ok(tmp.path().join("new.toml"))
        );
        assert!(check(Purpose::ExportFolder, &file).is_err_and(|e| e.contains("is a file")));
        assert_eq!(
            check(Purpose::ExportFolder, &tmp.path().join("out")),
            Ok(tmp.path().join("out"))
        );
    }
}
