//! The app's side of the send dialog: what it lends the panel each frame,
//! and what it does with the panel's [`Asked`] after the frame.

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;

use super::{Asked, Lent};
use crate::deliver::secrets::Secrets;
use crate::ui::App;
use crate::ui::files::Purpose;

impl App {
    /// The password store: the one the app was given, else the system's.
    pub(in crate::ui) fn secrets(&mut self) -> Arc<dyn Secrets> {
        if let Some(s) = &self.secrets {
            return s.clone();
        }
        let store: Arc<dyn Secrets> = Arc::new(crate::deliver::secrets::SystemOrMemory::default());
        self.secrets = Some(store.clone());
        store
    }

    /// The journal file of the open campaign (None until it is saved).
    pub(in crate::ui) fn journal_path(&mut self) -> Option<PathBuf> {
        let file = self.doc.as_ref()?.file.clone()?;
        self.send_ui.journal_path(Some(&file), self.config.paths.as_ref())
    }

    /// What the send panel is lent: the campaign, its recipients, the
    /// folders, the password store and the mail program.
    fn send_lent(&mut self) -> (Lent<'_>, &mut super::SendPanel) {
        let secrets = self.secrets();
        let today = self.today();
        let doc = self.doc.as_ref();
        let mut meps = self.recipients.selection.meps(&self.directory);
        if let Some(doc) = doc {
            meps.extend(doc.composer.addressees.iter());
        }
        let lent = Lent {
            composer: doc.map(|d| &d.composer),
            file: doc.and_then(|d| d.file.as_deref()),
            generation: doc.map_or(0, |d| d.generation),
            meps,
            selected: self.recipients.selection.len(),
            paths: self.config.paths.as_ref(),
            secrets,
            opener: self.config.opener.as_ref().map(|o| o.0.clone()),
            today,
        };
        (lent, &mut self.send_ui)
    }

    pub(in crate::ui) fn send_dialog(&mut self, ctx: &egui::Context) {
        let (lent, panel) = self.send_lent();
        let asked = panel.window(ctx, &lent);
        self.carry_out_send(asked);
    }

    /// Settings → Mail accounts.
    pub(in crate::ui) fn mail_accounts_section(&mut self, ui: &mut egui::Ui) {
        let (lent, panel) = self.send_lent();
        let asked = panel.mail_accounts_ui(ui, &lent);
        self.carry_out_send(asked);
    }

    fn carry_out_send(&mut self, asked: Vec<Asked>) {
        for one in asked {
            match one {
                Asked::Status(text, problem) => self.set_status(text, problem),
                Asked::ChooseDryFolder(start) => self.files.ask(Purpose::DryRunFolder, start),
            }
        }
    }
}
