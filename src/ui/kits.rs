//! Campaign kits in the app: File → Share as a kit… writes one file with
//! the campaign and all it needs (on a job); File → Open a campaign kit…
//! checks a kit, unpacks it into a folder of its own and opens its
//! campaign, saying who signed it. A kit whose signature does not match is
//! opened only if the user insists, and then as unsigned.

use std::path::PathBuf;

use eframe::egui;

use super::App;
use super::files::Purpose;
use super::jobs::Job;
use crate::kit::{self, BadSignature, KitError, Signature};

/// The kits' state in the app.
#[derive(Default)]
pub struct KitUi {
    /// A kit being made: what to say when it is done.
    share: Option<Job<Result<String, String>>>,
    /// A kit being checked and unpacked.
    open: Option<Job<Result<Opened, String>>>,
    /// A kit whose signature did not match, and the message: the user may
    /// open it as unsigned.
    insist: Option<(PathBuf, String)>,
}

/// What opening a kit came to.
enum Opened {
    /// Its campaign file, who signed it in words, and whether it is
    /// unsigned.
    Campaign(PathBuf, String, bool),
    /// Its signature does not match (the kit, the message): the user may
    /// insist.
    BadSignature(PathBuf, String),
}

impl KitUi {
    pub fn busy(&self) -> bool {
        self.share.is_some() || self.open.is_some()
    }
}

impl App {
    /// Asks where to write the kit (the campaign must be saved: the kit is
    /// made from its file).
    pub(super) fn ask_share_kit(&mut self) {
        let Some(file) = self.campaign_file().map(std::path::Path::to_path_buf) else {
            self.set_status(
                "Save the campaign first: the kit is made from its file and the files it uses".to_owned(),
                true,
            );
            return;
        };
        if self.doc.as_ref().is_some_and(|d| d.dirty) {
            self.save();
        }
        self.files
            .ask(Purpose::ShareKit, Some(file.with_extension(kit::EXTENSION)));
    }

    /// Starts what the file chooser answered; takes finished jobs.
    pub(super) fn kit_work(&mut self, ctx: &egui::Context) {
        if let Some(out) = self.files.take(Purpose::ShareKit)
            && let Some(file) = self.campaign_file().map(std::path::Path::to_path_buf)
        {
            // A kit is for volunteers: without a [volunteer] table they are
            // asked nothing and offered no MEPs.
            let no_steps = self.campaign().is_some_and(|c| c.volunteer.is_empty());
            let out = if out.extension().is_none() {
                out.with_extension(kit::EXTENSION)
            } else {
                out
            };
            self.kit_ui.share = Some(Job::spawn("hemicycle-kit", ctx, move |_| {
                let manifest = kit::build(&file, &out, None).map_err(|e| e.to_string())?;
                let warning = if no_steps {
                    format!(" But {}.", crate::campaign::volunteer::NO_STEPS)
                } else {
                    String::new()
                };
                Ok(format!(
                    "Wrote the kit {} ({} files). Send it to your volunteers; they open it with File → Open a campaign kit…{warning}",
                    out.display(),
                    manifest.files.len()
                ))
            }));
        }
        if let Some(path) = self.files.take(Purpose::OpenKit) {
            self.start_open_kit(ctx, path, BadSignature::Refuse);
        }
        if let Some(job) = self.kit_ui.share.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.kit_ui.share = None;
            match result {
                Ok(said) => {
                    let warns = said.contains("[volunteer]");
                    self.set_status(said, warns);
                }
                Err(e) => self.set_status(format!("The kit was not made: {e}"), true),
            }
        }
        if let Some(job) = self.kit_ui.open.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.kit_ui.open = None;
            match result {
                Ok(Opened::Campaign(campaign, said, unsigned)) => {
                    self.open(&campaign);
                    self.set_status(said.clone(), unsigned);
                    // A kit walks the volunteer through it, and shows whose it is.
                    self.volunteer_ui.start();
                    self.volunteer_ui.kit_said = Some((said, unsigned));
                }
                Ok(Opened::BadSignature(kit, message)) => self.kit_ui.insist = Some((kit, message)),
                Err(e) => self.kit_refused(format!("The kit was not opened: {e}")),
            }
        }
        self.insist_dialog(ctx);
    }

    /// Checks the kit and unpacks it into a new folder under the kits
    /// folder, on a job.
    pub(super) fn start_open_kit(&mut self, ctx: &egui::Context, path: PathBuf, bad: BadSignature) {
        let Some(root) = self.config.paths.as_ref().map(crate::store::Paths::kits) else {
            return;
        };
        self.kit_ui.open = Some(Job::spawn("hemicycle-kit", ctx, move |_| {
            let checked = match kit::check(&path, bad) {
                Ok(c) => c,
                Err(e @ KitError::BadSignature { .. }) => return Ok(Opened::BadSignature(path, e.to_string())),
                Err(e) => return Err(e.to_string()),
            };
            let folder = kit::new_folder(&root, &checked.manifest);
            let campaign = checked.unpack(&folder).map_err(|e| e.to_string())?;
            let unsigned = matches!(checked.signature, Signature::Unsigned);
            let said = match checked.signature {
                Signature::Checked {
                    organisation,
                    fingerprint,
                } => format!("Kit from {organisation}, signature checked (key {fingerprint})."),
                Signature::Unsigned => {
                    "Unsigned kit: anyone could have made it; send its letters only if you trust where it came from."
                        .to_owned()
                }
            };
            Ok(Opened::Campaign(campaign, said, unsigned))
        }));
    }

    fn insist_dialog(&mut self, ctx: &egui::Context) {
        let Some((kit, message)) = self.kit_ui.insist.clone() else {
            return;
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("kit-signature")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading("The kit's signature does not match");
            ui.label(format!("{}.", message.trim_end_matches('.')));
            ui.horizontal(|ui| {
                if ui.button("Don't open it").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some(false);
                }
                if ui.button("Open it anyway, as unsigned").clicked() {
                    answer = Some(true);
                }
            });
        });
        if let Some(open) = answer {
            self.kit_ui.insist = None;
            if open {
                self.start_open_kit(ctx, kit, BadSignature::OpenAsUnsigned);
            } else {
                self.kit_refused(format!("The kit was not opened: {}.", message.trim_end_matches('.')));
            }
        }
    }

    /// A kit refused: said in the status bar and the volunteer's window;
    /// the kit open before (or the example shown while the kit was
    /// checked) closes, so that nothing looks like the refused kit, unless
    /// it holds unsaved work.
    fn kit_refused(&mut self, why: String) {
        self.set_status(why.clone(), true);
        let was_kit = self.volunteer_ui.kit_said.take().is_some();
        if (was_kit || self.volunteer_ui.open) && !self.is_dirty() {
            self.doc = None;
            self.preview.letter = None;
            self.preview.made_for = None;
        }
        if self.volunteer_ui.open {
            self.volunteer_ui.kit_refused = Some(why);
        } else {
            self.doc_error = Some(why);
        }
    }
}
