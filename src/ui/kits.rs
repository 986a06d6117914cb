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

use super::jobs::Job;
use crate::kit::{self, BadSignature, KitError, KnownKeys, Signature};
use crate::store::Paths;

/// The kits' state in the app.
#[derive(Default)]
pub struct KitUi {
    /// A kit being made: what to say when it is done.
    share: Option<Job<Result<String, String>>>,
    /// A kit being checked and unpacked.
    opening: Option<Job<Result<Opened, String>>>,
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

/// What the kits asked of the app.
pub(super) enum Asked {
    /// A message for the status bar; true for a problem.
    Status(String, bool),
    /// A kit was checked and unpacked: open its campaign, say who signed
    /// it (`said`; a problem when `unsigned`), and walk the volunteer
    /// through it.
    Open {
        campaign: PathBuf,
        said: String,
        unsigned: bool,
    },
    /// A kit was refused: why, in words.
    Refused(String),
}

impl KitUi {
    pub fn busy(&self) -> bool {
        self.share.is_some() || self.opening.is_some()
    }

    /// Writes the kit of the campaign `file` into `out` on a job (the
    /// extension added when the user typed none). `no_steps`: the
    /// campaign has no `[volunteer]` table, which the message warns of.
    pub fn share(&mut self, ctx: &egui::Context, file: PathBuf, out: PathBuf, no_steps: bool) {
        let out = if out.extension().is_none() {
            out.with_extension(kit::EXTENSION)
        } else {
            out
        };
        self.share = Some(Job::spawn("hemicycle-kit", ctx, move |_| {
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

    /// Checks the kit and unpacks it into a new folder under the kits
    /// folder, on a job; `accept_new_key`: the user accepted a new key for
    /// the kit's organisation.
    pub fn open(
        &mut self,
        ctx: &egui::Context,
        paths: Option<&Paths>,
        path: PathBuf,
        bad: BadSignature,
        accept_new_key: bool,
    ) {
        let Some(paths) = paths.cloned() else {
            return;
        };
        self.opening = Some(Job::spawn("hemicycle-kit", ctx, move |_| {
            open_kit(&paths, path, bad, accept_new_key)
        }));
    }

    /// Takes the jobs that finished and draws the question about a kit
    /// whose signature did not match; returns what the app should do.
    pub fn ui(&mut self, ctx: &egui::Context, paths: Option<&Paths>) -> Vec<Asked> {
        let mut asked = Vec::new();
        if let Some(job) = self.share.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.share = None;
            asked.push(match result {
                Ok(said) => {
                    let warns = said.contains("[volunteer]");
                    Asked::Status(said, warns)
                }
                Err(e) => Asked::Status(format!("The kit was not made: {e}"), true),
            });
        }
        if let Some(job) = self.opening.as_mut()
            && let Some(result) = job.poll_result()
        {
            self.opening = None;
            match result {
                Ok(Opened::Campaign(campaign, said, unsigned)) => asked.push(Asked::Open {
                    campaign,
                    said,
                    unsigned,
                }),
                Ok(Opened::Insist(insist)) => self.insist = Some(insist),
                Err(e) => asked.push(Asked::Refused(format!("The kit was not opened: {e}"))),
            }
        }
        asked.extend(self.insist_dialog(ctx, paths));
        asked
    }

    fn insist_dialog(&mut self, ctx: &egui::Context, paths: Option<&Paths>) -> Option<Asked> {
        let insist = self.insist.clone()?;
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
        let open = answer?;
        self.insist = None;
        if open && insist.new_key {
            self.open(ctx, paths, insist.kit, BadSignature::Refuse, true);
        } else if open {
            self.open(ctx, paths, insist.kit, BadSignature::OpenAsUnsigned, false);
        } else {
            return Some(Asked::Refused(format!(
                "The kit was not opened: {}.",
                insist.message.trim_end_matches('.')
            )));
        }
        None
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
