//! "Save your changes first?": the one gate every way of replacing the open
//! campaign goes through (File → New, Ctrl+N, New from an example, Open…,
//! Open recent, New campaign from this…, opening a kit, a dropped file, the
//! recovery banner's Restore).
//!
//! A replacement asked for while the campaign has unsaved changes is held
//! here and the user is asked: Save (the replacement waits for the save,
//! and is dropped if the save does not happen), Discard, or Cancel. The
//! gate owns its state and returns what the user decided as [`Asked`];
//! `App` carries it out.

use std::path::PathBuf;

use eframe::egui;

use super::state::Recovery;

/// What would take the open campaign's place.
#[derive(Debug, Clone, PartialEq)]
pub enum Replacement {
    /// A new, empty campaign.
    New,
    /// One of the bundled examples (its file under the examples folder).
    Example(String),
    /// A campaign file.
    Open(PathBuf),
    /// A campaign kit, checked and unpacked before it opens.
    Kit(PathBuf),
    /// The campaign open, as a new campaign with an identity of its own.
    NewFromThis,
    /// The unsaved changes of the last session.
    Restore(Recovery),
}

/// What the user decided about the held replacement.
#[derive(Debug, Clone, PartialEq)]
pub enum Asked {
    /// Save the open campaign; the replacement waits for it.
    Save,
    /// The unsaved changes are forgotten (with their recovery copy), then
    /// the replacement goes ahead.
    Discard(Replacement),
    /// The campaign was saved: the replacement goes ahead.
    Replace(Replacement),
}

/// The gate's state: the replacement held, and whether it waits for a save.
#[derive(Debug, Default)]
pub struct Gate {
    held: Option<Replacement>,
    saving: bool,
}

impl Gate {
    /// Lets `replacement` through when nothing would be lost; otherwise
    /// holds it and asks (from the next frame on). A replacement asked for
    /// while one is held replaces it.
    pub fn request(&mut self, replacement: Replacement, dirty: bool) -> Option<Replacement> {
        if !dirty {
            return Some(replacement);
        }
        self.held = Some(replacement);
        self.saving = false;
        None
    }

    /// Whether a replacement is held (the question is shown, or a save is
    /// awaited).
    pub fn is_holding(&self) -> bool {
        self.held.is_some()
    }

    /// Draws the question while a replacement is held; after Save, lets the
    /// replacement through once the campaign is saved (`dirty` false), or
    /// drops it when the save did not happen (no file chooser open any more,
    /// `choosing` false, and still dirty).
    pub fn ui(&mut self, ctx: &egui::Context, title: &str, dirty: bool, choosing: bool) -> Option<Asked> {
        if self.saving {
            if !dirty {
                self.saving = false;
                return self.held.take().map(Asked::Replace);
            }
            if !choosing {
                self.saving = false;
                self.held = None;
            }
            return None;
        }
        let held = self.held.as_ref()?;
        let what = match held {
            Replacement::New => "Start a new campaign",
            Replacement::Example(_) => "Open the example",
            Replacement::Open(_) => "Open the other campaign",
            Replacement::Kit(_) => "Open the kit",
            Replacement::NewFromThis => "Make a new campaign from this one",
            Replacement::Restore(_) => "Restore the changes of the last session",
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("replace-unsaved")).show(ctx, |ui| {
            ui.set_max_width(440.0);
            ui.heading("Save your changes first?");
            ui.label(format!(
                "The campaign \u{201c}{title}\u{201d} has changes that are not saved. {what}: if you do not save them, they are lost."
            ));
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button(egui::RichText::new("Save").strong()).clicked() {
                    choice = Some(0);
                }
                if ui.button("Discard the changes").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    choice = Some(2);
                }
            });
        });
        match choice? {
            0 => {
                self.saving = true;
                Some(Asked::Save)
            }
            1 => self.held.take().map(Asked::Discard),
            _ => {
                self.held = None;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_unsaved_goes_through_and_unsaved_changes_are_held() {
        let mut gate = Gate::default();
        assert_eq!(gate.request(Replacement::New, false), Some(Replacement::New));
        assert!(!gate.is_holding());
        assert_eq!(gate.request(Replacement::New, true), None);
        assert!(gate.is_holding());
    }

    #[test]
    fn after_save_the_replacement_waits_for_the_save_and_is_dropped_without_one() {
        let ctx = egui::Context::default();
        let mut gate = Gate::default();
        let _ = gate.request(Replacement::Open(PathBuf::from("b.toml")), true);
        gate.saving = true;
        // The file chooser is open: still waiting.
        assert_eq!(gate.ui(&ctx, "A", true, true), None);
        assert!(gate.is_holding());
        // Saved: through it goes.
        assert_eq!(
            gate.ui(&ctx, "A", false, false),
            Some(Asked::Replace(Replacement::Open(PathBuf::from("b.toml"))))
        );
        assert!(!gate.is_holding());
        // The chooser closed without a save: dropped.
        let _ = gate.request(Replacement::New, true);
        gate.saving = true;
        assert_eq!(gate.ui(&ctx, "A", true, false), None);
        assert!(!gate.is_holding());
    }
}
