//! File → Settings…: the theme, the user's templates folder and their
//! organisation's letterhead (the mail accounts below them are the send
//! panel's). Lent the settings and the open campaign; returns what the user
//! changed ([`Asked`]), which the app keeps.

use std::path::PathBuf;

use eframe::egui;

use super::dialogs;
use super::state::{Doc, Settings, ThemeChoice};

/// What the settings ask the app to keep.
#[derive(Debug)]
pub enum Asked {
    Theme(ThemeChoice),
    /// The folder of the user's templates (`None`: none).
    Templates(Option<PathBuf>),
    /// The letterhead, for the open campaign and new ones.
    Organisation(Box<crate::campaign::Organisation>),
}

/// The settings above the mail accounts.
pub fn contents(ui: &mut egui::Ui, settings: &Settings, doc: Option<&mut Doc>) -> Vec<Asked> {
    let mut asked = Vec::new();
    ui.label(egui::RichText::new("Appearance").strong());
    ui.horizontal(|ui| {
        for (choice, label) in [
            (ThemeChoice::System, "System"),
            (ThemeChoice::Light, "Light"),
            (ThemeChoice::Dark, "Dark"),
        ] {
            if ui.radio(settings.theme == choice, label).clicked() {
                asked.push(Asked::Theme(choice));
            }
        }
    });
    ui.separator();
    ui.label(egui::RichText::new("Your templates").strong());
    let mut folder = settings
        .templates_dir
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let l = ui.label("A folder of .md.hbs templates that add to or replace the bundled ones:");
    if ui.text_edit_singleline(&mut folder).labelled_by(l.id).changed() {
        asked.push(Asked::Templates(
            Some(PathBuf::from(folder.trim())).filter(|p| !p.as_os_str().is_empty()),
        ));
    }
    ui.separator();
    ui.label(egui::RichText::new("Your organisation").strong());
    ui.label(
        egui::RichText::new("Signs this campaign's letters; new campaigns start with it.")
            .small()
            .color(ui.visuals().weak_text_color()),
    );
    if let Some(org) = dialogs::organisation_fields(ui, "settings-org", doc, false) {
        asked.push(Asked::Organisation(Box::new(org)));
    }
    asked
}
