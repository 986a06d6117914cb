//! Campaign kits in the app: File → Share as a kit… writes one file with
//! the campaign and all it needs (on a job); File → Open a campaign kit…
//! checks a kit, unpacks it into a folder of its own and opens its
//! campaign, saying who signed it (the key's fingerprint first, the
//! organisation quoted and escaped) and whom else the kit writes to. A kit
//! whose signature does not match is opened only if the user insists, and
//! then as unsigned; a kit signed with another key than the organisation's
//! earlier kits only if the user accepts the new key.

use std::path::PathBuf;

use eframe::egui;

use super::App;
use super::files::Purpose;
use super::jobs::Job;
use crate::kit::{self, BadSignature, KitError, KnownKeys, Signature};
use crate::store::Paths;

/// The kits' state in the app.
#[derive(Default)]
pub struct KitUi {
    /// A kit being made: what to say when it is done.
    share: Option<Job<Result<String, String>>>,
    /// A kit being checked and unpacked.
    open: Option<Job<Result<Opened, String>>>,
    /// A kit whose signature did not match, or whose key is not the one
    /// its organisation used before: the user may insist.
    insist: Option<Insist>,
}

/// A kit the user may still open: which, why not yet, and what insisting
/// means.
#[derive(Clone)]
struct Insist {
    kit: PathBuf,
    message: String,
    /// The key changed (else the signature did not match).
    new_key: bool,
}

/// What opening a kit came to.
enum Opened {
    /// Its campaign file, who signed it in words, and whether it is
    /// unsigned.
    Campaign(PathBuf, String, bool),
    /// Its signature does not match, or its key changed: the user may
    /// insist.
    Insist(Insist),
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
            let out = if out.extension().is_none() {
                out.with_extension(kit::EXTENSION)
            } else {
                out
            };
            // A kit is for volunteers: without a [volunteer] table they are
            // asked nothing and offered no MEPs.
            let no_steps = self.campaign().is_some_and(|c| c.volunteer.is_empty());
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
            self.replace_campaign(ctx, super::Replacement::Kit(path));
        }
        self.kit_opened();
        self.insist_dialog(ctx);
    }

    /// Takes a kit opening that finished.
    fn kit_opened(&mut self) {
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
                Ok(Opened::Insist(insist)) => self.kit_ui.insist = Some(insist),
                Err(e) => self.kit_refused(format!("The kit was not opened: {e}")),
            }
        }
    }

    /// Checks the kit and unpacks it into a new folder under the kits
    /// folder, on a job.
    pub(super) fn start_open_kit(&mut self, ctx: &egui::Context, path: PathBuf, bad: BadSignature) {
        self.start_open_kit_with(ctx, path, bad, false);
    }

    /// Like [`Self::start_open_kit`]; `accept_new_key`: the user accepted
    /// a new key for the kit's organisation.
    fn start_open_kit_with(&mut self, ctx: &egui::Context, path: PathBuf, bad: BadSignature, accept_new_key: bool) {
        let Some(paths) = self.config.paths.clone() else {
            return;
        };
        self.kit_ui.open = Some(Job::spawn("hemicycle-kit", ctx, move |_| {
            open_kit(&paths, path, bad, accept_new_key)
        }));
    }

    fn insist_dialog(&mut self, ctx: &egui::Context) {
        let Some(insist) = self.kit_ui.insist.clone() else {
            return;
        };
        let (heading, insist_label) = if insist.new_key {
            ("The kit is signed with a new key", "Accept the new key and open it")
        } else {
            ("The kit's signature does not match", "Open it anyway, as unsigned")
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("kit-signature")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading(heading);
            ui.label(format!("{}.", insist.message.trim_end_matches('.')));
            ui.horizontal(|ui| {
                if ui.button("Don't open it").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some(false);
                }
                if ui.button(insist_label).clicked() {
                    answer = Some(true);
                }
            });
        });
        if let Some(open) = answer {
            self.kit_ui.insist = None;
            if open && insist.new_key {
                self.start_open_kit_with(ctx, insist.kit, BadSignature::Refuse, true);
            } else if open {
                self.start_open_kit(ctx, insist.kit, BadSignature::OpenAsUnsigned);
            } else {
                self.kit_refused(format!(
                    "The kit was not opened: {}.",
                    insist.message.trim_end_matches('.')
                ));
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

/// Checks a kit, compares its key with the organisation's earlier kits,
/// unpacks it into a new folder under the kits folder and remembers the
/// key; says who signed it and whom else it writes to.
fn open_kit(paths: &Paths, path: PathBuf, bad: BadSignature, accept_new_key: bool) -> Result<Opened, String> {
    let checked = match kit::check(&path, bad) {
        Ok(c) => c,
        Err(e @ KitError::BadSignature { .. }) => {
            return Ok(Opened::Insist(Insist {
                kit: path,
                message: e.to_string(),
                new_key: false,
            }));
        }
        Err(e) => return Err(e.to_string()),
    };
    let mut known = KnownKeys::load(&paths.kit_keys()).map_err(|e| e.to_string())?;
    if !accept_new_key && let Err(e) = known.check(&checked.signature) {
        return Ok(Opened::Insist(Insist {
            kit: path,
            message: e.to_string(),
            new_key: true,
        }));
    }
    let folder = kit::new_folder(&paths.kits(), &checked.manifest);
    let campaign = checked.unpack(&folder).map_err(|e| e.to_string())?;
    known.remember(&checked.signature).map_err(|e| e.to_string())?;
    let unsigned = matches!(checked.signature, Signature::Unsigned);
    let mut said = match checked.signature {
        Signature::Checked { .. } => format!("Kit opened. {}", checked.signature.line()),
        Signature::Unsigned => {
            "Unsigned kit: anyone could have made it; send its letters only if you trust where it came from.".to_owned()
        }
    };
    if let Some(line) = checked.addressees_line() {
        said = format!("{said} {line}");
    }
    Ok(Opened::Campaign(campaign, said, unsigned))
}
