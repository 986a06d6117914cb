//! The citation parts of the letter tab: the style picker, with one sample
//! note per bundled style formatted from one of the campaign's own sources
//! (made on a job, kept until the sources or the language change); a
//! user's `.csl` file (a bad one is refused with its line and reason, and
//! the campaign keeps its style); the bibliography files watched for
//! changes on disk (a Zotero or Better BibTeX export kept current), read
//! again on a job; and "Add from Zotero…", which searches the running
//! Zotero's local API and adds the chosen items as CSL-JSON.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use eframe::egui::{self, RichText};

use super::editor::Asked;
use super::files::Purpose;
use super::jobs::Job;
use super::state::Doc;
use crate::cite::CitationStyle;
use crate::cite::zotero::{Found, Zotero};

/// (library revision, language, source key): what samples were made for.
type SampleKey = (u64, String, String);
type Samples = Vec<(&'static str, String)>;

/// What the citation parts keep between frames.
#[derive(Default)]
pub struct CitationsUi {
    samples: Option<(SampleKey, Samples)>,
    samples_job: Option<(SampleKey, Job<Samples>)>,
    /// (generation, library revision) the sample's source was chosen for.
    sample_checked: Option<((u64, u64), Option<SampleKey>)>,
    watcher: Option<Watcher>,
    /// Bibliography files that changed on disk, to be read again as soon
    /// as no other file is being read.
    pub(super) changed_files: Vec<PathBuf>,
    zotero: Option<ZoteroWindow>,
}

impl CitationsUi {
    pub(super) fn busy(&self) -> bool {
        self.samples_job.is_some() || self.zotero.as_ref().is_some_and(ZoteroWindow::busy)
    }

    /// The citation style: the bundled styles, each with its sample note,
    /// the campaign's own `.csl` file if it has one, and a button to load one.
    pub(super) fn style_picker(&mut self, ui: &mut egui::Ui, doc: &mut Doc, asked: &mut Vec<Asked>) -> bool {
        self.update_samples(ui.ctx(), doc);
        let mut changed = false;
        let samples = self.samples.as_ref().map(|(_, s)| s.clone()).unwrap_or_default();
        ui.horizontal(|ui| {
            let l = ui.label("Citation style");
            let style = doc.composer.campaign.citation_style.clone();
            let bundled = crate::cite::style::BUNDLED.iter().any(|b| b.name == style);
            let _ = egui::ComboBox::from_id_salt("Citation style")
                .selected_text(&style)
                .width(260.0)
                .show_ui(ui, |ui| {
                    ui.set_min_width(460.0);
                    if !bundled {
                        let _ = ui.selectable_label(true, format!("This campaign's own style: {style}"));
                    }
                    for b in crate::cite::style::BUNDLED {
                        if ui.selectable_label(style == b.name, b.description).clicked() {
                            match CitationStyle::bundled(b.name) {
                                Ok(s) => {
                                    doc.composer.style = s;
                                    b.name.clone_into(&mut doc.composer.campaign.citation_style);
                                    doc.composer.clear_cache();
                                    changed = true;
                                }
                                Err(e) => asked.push(Asked::Status(e.to_string(), true)),
                            }
                        }
                        if let Some((_, sample)) = samples.iter().find(|(n, _)| *n == b.name) {
                            ui.label(RichText::new(sample).small().weak());
                        }
                        ui.add_space(4.0);
                    }
                })
                .response
                .labelled_by(l.id);
            if ui
                .button("Load a .csl style…")
                .on_hover_text("A CSL 1.0 style file, e.g. from the Zotero style repository")
                .clicked()
            {
                asked.push(Asked::Choose(
                    Purpose::CitationStyle,
                    doc.composer.path.parent().map(Path::to_path_buf),
                ));
            }
        });
        if let Some((_, sample)) = samples.iter().find(|(n, _)| *n == doc.composer.campaign.citation_style) {
            ui.label(RichText::new(format!("A note in this style: {sample}")).small().weak());
        }
        changed
    }

    /// Starts making the samples when the sources or the language changed,
    /// and takes finished ones.
    fn update_samples(&mut self, ctx: &egui::Context, doc: &Doc) {
        let c = self;
        if let Some((key, job)) = c.samples_job.as_mut()
            && let Some(samples) = job.poll()
        {
            c.samples = Some((key.clone(), samples));
            c.samples_job = None;
        }
        let checked = (doc.generation, doc.composer.library.revision());
        let wanted = match &c.sample_checked {
            Some((at, wanted)) if *at == checked => wanted.clone(),
            _ => {
                let wanted = sample_source(doc).map(|key| {
                    (
                        doc.composer.library.revision(),
                        doc.composer.campaign.language.clone(),
                        key,
                    )
                });
                c.sample_checked = Some((checked, wanted.clone()));
                wanted
            }
        };
        let Some(wanted) = wanted else {
            c.samples = None;
            return;
        };
        let made = c.samples.as_ref().map(|(k, _)| k) == Some(&wanted);
        let making = c.samples_job.as_ref().map(|(k, _)| k) == Some(&wanted);
        if made || making {
            return;
        }
        let library = doc.composer.library.clone();
        let (_, language, key) = wanted.clone();
        let job = Job::spawn("hemicycle-style-samples", ctx, move |_| {
            crate::cite::engine::samples(&library, &key, &language)
                .into_iter()
                .map(|(name, note)| {
                    let text = match note {
                        Ok(inlines) => crate::letter::plain_text(&inlines),
                        Err(e) => format!("(this style cannot format the source: {e})"),
                    };
                    (name, text)
                })
                .collect()
        });
        c.samples_job = Some((wanted, job));
    }

    /// Watches the campaign's bibliography files, and asks for them to be
    /// read again when one changed on disk.
    pub(super) fn watch_bibliography(&mut self, ctx: &egui::Context, doc: &Doc, interval: Duration) {
        let watcher = self.watcher.get_or_insert_with(|| Watcher::start(ctx, interval));
        watcher.watch(doc.composer.library_files.clone());
        while let Ok(changed) = watcher.changed.try_recv() {
            for file in changed {
                if !self.changed_files.contains(&file) {
                    self.changed_files.push(file);
                }
            }
        }
    }

    /// "Add from Zotero…" in the Sources section.
    pub(super) fn zotero_button(&mut self, ui: &mut egui::Ui) {
        if ui
            .button("Add from Zotero…")
            .on_hover_text("Search the Zotero running on this computer and add sources from it")
            .clicked()
            && self.zotero.is_none()
        {
            self.zotero = Some(ZoteroWindow::default());
        }
    }

    /// The "Add from Zotero" window, when open.
    pub(super) fn zotero_window(&mut self, ctx: &egui::Context, doc: &mut Doc, zotero_url: &str) {
        let Some(mut window) = self.zotero.take() else {
            return;
        };
        let targets = zotero_targets(doc);
        if let Some(added) = window.poll() {
            self.zotero_added(doc, &added);
        }
        let mut open = true;
        egui::Window::new("Add from Zotero")
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                window.ui(ui, zotero_url, &targets, Some(doc));
            });
        if open || window.busy() {
            self.zotero = Some(window);
        }
    }

    /// Sources were written to `file`: it joins the campaign if it is new
    /// there, and the sources are read again.
    fn zotero_added(&mut self, doc: &mut Doc, file: &Path) {
        if !doc.composer.library_files.iter().any(|f| f == file) {
            let folder = doc.composer.path.parent().unwrap_or_else(|| Path::new(""));
            let entry = file
                .strip_prefix(folder)
                .map_or_else(|_| file.to_path_buf(), Path::to_path_buf);
            doc.composer.campaign.bibliography.push(entry);
            doc.composer.library_files.push(file.to_path_buf());
            doc.touch();
        }
        if !self.changed_files.iter().any(|f| f == file) {
            self.changed_files.push(file.to_path_buf());
        }
    }
}

/// The source a sample note cites: the first the campaign's demands cite,
/// or the bibliography's first.
fn sample_source(doc: &Doc) -> Option<String> {
    let library = &doc.composer.library;
    doc.composer
        .demands
        .iter()
        .flat_map(|d| crate::cite::syntax::keys_with_lines(&d.body))
        .map(|(key, _)| key)
        .find(|key| library.get(key).is_some())
        .or_else(|| library.keys().next())
}

/// The CSL-JSON files sources from Zotero may go into: the campaign's own,
/// and `<campaign>-zotero.json` beside the campaign.
fn zotero_targets(doc: &Doc) -> Vec<PathBuf> {
    let mut targets: Vec<PathBuf> = doc
        .composer
        .library_files
        .iter()
        .filter(|f| crate::util::has_extension(&f.to_string_lossy(), "json"))
        .cloned()
        .collect();
    let path = &doc.composer.path;
    let stem = path
        .file_stem()
        .map_or_else(|| "campaign".into(), |s| s.to_string_lossy());
    let own = path.with_file_name(format!("{stem}-zotero.json"));
    if let Some(i) = targets.iter().position(|t| *t == own) {
        let own = targets.remove(i);
        targets.insert(0, own);
    } else {
        targets.insert(0, own);
    }
    targets
}

/// Looks at the modification time and size of the watched files at an
/// interval, on a thread of its own, and reports those that changed. The
/// thread ends when the watcher is dropped.
struct Watcher {
    files: Arc<Mutex<Vec<PathBuf>>>,
    changed: Receiver<Vec<PathBuf>>,
}

type Stamp = (Option<SystemTime>, u64);

impl Watcher {
    fn start(ctx: &egui::Context, interval: Duration) -> Self {
        let files: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
        let watched = Arc::downgrade(&files);
        let (tx, changed) = channel();
        let ctx = ctx.clone();
        let _ = std::thread::Builder::new()
            .name("hemicycle-watch-bibliography".to_owned())
            .spawn(move || {
                let mut seen: HashMap<PathBuf, Stamp> = HashMap::new();
                loop {
                    std::thread::sleep(interval);
                    let Some(files) = watched.upgrade() else { return };
                    let list = files.lock().map(|l| l.clone()).unwrap_or_default();
                    drop(files);
                    let found = changed_files(&list, &mut seen);
                    if !found.is_empty() {
                        if tx.send(found).is_err() {
                            return;
                        }
                        ctx.request_repaint();
                    }
                }
            });
        Self { files, changed }
    }

    fn watch(&self, list: Vec<PathBuf>) {
        if let Ok(mut files) = self.files.lock()
            && *files != list
        {
            *files = list;
        }
    }
}

/// The files of `list` whose stamp differs from the one `seen` last; a
/// file seen for the first time is remembered, and a missing file (being
/// written over) waits until it is back.
fn changed_files(list: &[PathBuf], seen: &mut HashMap<PathBuf, Stamp>) -> Vec<PathBuf> {
    seen.retain(|p, _| list.contains(p));
    let mut changed = Vec::new();
    for path in list {
        let Ok(meta) = std::fs::metadata(path) else { continue };
        let stamp = (meta.modified().ok(), meta.len());
        if seen.insert(path.clone(), stamp).is_some_and(|before| before != stamp) {
            changed.push(path.clone());
        }
    }
    changed
}

type Added = (PathBuf, Vec<String>);

/// The "Add from Zotero" window's state.
#[derive(Default)]
struct ZoteroWindow {
    query: String,
    /// Items found, each with whether it is chosen.
    found: Vec<(Found, bool)>,
    target: usize,
    searching: Option<Job<Result<Vec<Found>, String>>>,
    /// The file written and the keys added, or why not.
    adding: Option<Job<Result<Added, String>>>,
    /// What happened last, and whether it is an error.
    message: Option<(String, bool)>,
}

impl ZoteroWindow {
    fn busy(&self) -> bool {
        self.searching.is_some() || self.adding.is_some()
    }

    /// Takes finished work; the file sources were added to, if any.
    fn poll(&mut self) -> Option<PathBuf> {
        if let Some(job) = self.searching.as_mut()
            && let Some(result) = job.poll()
        {
            self.searching = None;
            match result {
                Ok(found) => {
                    self.message = Some((
                        match found.len() {
                            0 => "Nothing in Zotero matches these words.".to_owned(),
                            1 => "1 item found: tick it to add it.".to_owned(),
                            n => format!("{n} items found: tick those to add."),
                        },
                        false,
                    ));
                    self.found = found.into_iter().map(|f| (f, false)).collect();
                }
                Err(e) => self.message = Some((e, true)),
            }
        }
        let job = self.adding.as_mut()?;
        let result = job.poll()?;
        self.adding = None;
        match result {
            Ok((file, keys)) => {
                let names = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.message = Some((
                    if keys.is_empty() {
                        format!("These sources are already in {names}.")
                    } else {
                        let cites: Vec<String> = keys.iter().map(|k| format!("[@{k}]")).collect();
                        format!("Added to {names}; cite them as {}.", cites.join(", "))
                    },
                    false,
                ));
                self.found.retain(|(_, chosen)| !chosen);
                Some(file)
            }
            Err(e) => {
                self.message = Some((e, true));
                None
            }
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, url: &str, targets: &[PathBuf], doc: Option<&Doc>) {
        ui.horizontal(|ui| {
            let l = ui.label("Words to find in Zotero");
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.query).desired_width(260.0))
                .labelled_by(l.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let search = ui.add_enabled(self.searching.is_none(), egui::Button::new("Search Zotero"));
            if (search.clicked() || enter) && !self.query.trim().is_empty() {
                let (query, url) = (self.query.clone(), url.to_owned());
                self.message = Some(("Searching Zotero…".to_owned(), false));
                self.searching = Some(Job::spawn("hemicycle-zotero-search", ui.ctx(), move |_| {
                    Zotero::new(&url).search(&query).map_err(|e| e.to_string())
                }));
            }
        });
        if let Some((text, error)) = &self.message {
            let color = if *error {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(text).color(color));
        }
        egui::ScrollArea::vertical().max_height(280.0).show(ui, |ui| {
            for (found, chosen) in &mut self.found {
                ui.checkbox(chosen, found.summary());
            }
        });
        self.add_ui(ui, targets, doc);
    }

    /// Where to add the chosen items, and the button that adds them.
    fn add_ui(&mut self, ui: &mut egui::Ui, targets: &[PathBuf], doc: Option<&Doc>) {
        let Some(doc) = doc else { return };
        self.target = self.target.min(targets.len().saturating_sub(1));
        let name = |p: &PathBuf| {
            let file = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if doc.composer.library_files.contains(p) {
                file
            } else {
                format!("{file} (new, beside the campaign)")
            }
        };
        ui.horizontal(|ui| {
            let l = ui.label("Add them to");
            let current = targets.get(self.target).map(name).unwrap_or_default();
            let _ = egui::ComboBox::from_id_salt("Add them to")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for (i, t) in targets.iter().enumerate() {
                        ui.selectable_value(&mut self.target, i, name(t));
                    }
                })
                .response
                .labelled_by(l.id);
        });
        let chosen: Vec<Found> = self.found.iter().filter(|(_, c)| *c).map(|(f, _)| f.clone()).collect();
        let can = !chosen.is_empty() && self.adding.is_none();
        if ui
            .add_enabled(can, egui::Button::new("Add the chosen sources"))
            .clicked()
            && let Some(file) = targets.get(self.target).cloned()
        {
            let library = doc.composer.library.clone();
            self.adding = Some(Job::spawn("hemicycle-zotero-add", ui.ctx(), move |_| {
                crate::cite::zotero::add_to_file(&file, &chosen, &library)
                    .map(|keys| (file, keys))
                    .map_err(|e| e.to_string())
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_written_again_is_reported_once_and_a_missing_one_waits() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("refs.json");
        std::fs::write(&file, "[]").unwrap();
        let list = vec![file.clone()];
        let mut seen = HashMap::new();
        assert!(changed_files(&list, &mut seen).is_empty(), "first sight");
        assert!(changed_files(&list, &mut seen).is_empty(), "unchanged");
        std::fs::write(&file, "[ ]").unwrap();
        assert_eq!(changed_files(&list, &mut seen), list);
        assert!(changed_files(&list, &mut seen).is_empty());
        std::fs::remove_file(&file).unwrap();
        assert!(changed_files(&list, &mut seen).is_empty(), "missing: wait");
        std::fs::write(&file, "[  ]").unwrap();
        assert_eq!(changed_files(&list, &mut seen), list);
    }
}
