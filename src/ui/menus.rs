//! What stands above the panels: the menu bar, the tabs with the campaign's
//! title, and the offer to restore the unsaved changes of the last session.
//! Each is lent what it shows and returns what the user asked ([`Asked`]),
//! which the app carries out after it is drawn.

use std::path::PathBuf;

use eframe::egui;

use super::commands::Command;
use super::replace::Replacement;
use super::state::{Doc, Recovery, Tab, ThemeChoice};

/// What the menus, the tabs and the recovery banner ask of the app.
#[derive(Debug)]
pub enum Asked {
    /// A command (carried out after the frame, as a key's).
    Command(Command),
    /// Another campaign in place of the open one (through the gate).
    Replace(Replacement),
    /// Campaign → Votes….
    Votes,
    /// Campaign → Layout….
    Layout,
    Theme(ThemeChoice),
    /// "4  Send e-mails…".
    Send,
    /// The unsaved changes of the last session: restored.
    Restore(Recovery),
    /// … or discarded.
    DiscardRecovery,
}

/// The menu bar: File, Edit, Campaign, View, Help.
pub fn menu_bar(ui: &mut egui::Ui, doc: Option<&Doc>, recent: &[PathBuf], theme: ThemeChoice) -> Vec<Asked> {
    let mut asked = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| file_menu(ui, doc, recent, &mut asked));
        ui.menu_button("Edit", |ui| {
            command_button(ui, doc, Command::Undo, &mut asked);
            command_button(ui, doc, Command::Redo, &mut asked);
        });
        ui.menu_button("Campaign", |ui| {
            if ui.add_enabled(doc.is_some(), egui::Button::new("Votes…")).clicked() {
                asked.push(Asked::Votes);
                ui.close();
            }
            if ui.add_enabled(doc.is_some(), egui::Button::new("Layout…")).clicked() {
                asked.push(Asked::Layout);
                ui.close();
            }
        });
        ui.menu_button("View", |ui| {
            for (choice, label) in [
                (ThemeChoice::System, "Follow the system theme"),
                (ThemeChoice::Light, "Light theme"),
                (ThemeChoice::Dark, "Dark theme"),
            ] {
                if ui.radio(theme == choice, label).clicked() {
                    asked.push(Asked::Theme(choice));
                }
            }
        });
        ui.menu_button("Help", |ui| {
            command_button(ui, doc, Command::Shortcuts, &mut asked);
            command_button(ui, doc, Command::Welcome, &mut asked);
            command_button(ui, doc, Command::About, &mut asked);
        });
    });
    asked
}

fn file_menu(ui: &mut egui::Ui, doc: Option<&Doc>, recent: &[PathBuf], asked: &mut Vec<Asked>) {
    command_button(ui, doc, Command::New, asked);
    command_button(ui, doc, Command::Open, asked);
    ui.menu_button("Open recent", |ui| {
        if recent.is_empty() {
            ui.label("No recent campaigns");
        }
        for file in recent {
            if ui.button(file.display().to_string()).clicked() {
                asked.push(Asked::Replace(Replacement::Open(file.clone())));
                ui.close();
            }
        }
    });
    ui.menu_button("New from an example", |ui| {
        // One example per genre, each with what it is for.
        for example in crate::campaign::examples::gallery() {
            let label = format!("{}: {}", example.genre, example.title);
            if ui.button(label).on_hover_text(&example.description).clicked() {
                asked.push(Asked::Replace(Replacement::Example(example.file.to_owned())));
                ui.close();
            }
            ui.label(egui::RichText::new(&example.description).small().weak());
            ui.add_space(4.0);
        }
    });
    for group in [
        &[Command::Save, Command::SaveAs, Command::NewFromThis][..],
        &[Command::OpenKit, Command::ShareKit, Command::Volunteer],
        &[Command::Export, Command::Send, Command::Responses, Command::FollowUp],
        &[Command::Settings],
    ] {
        ui.separator();
        for &command in group {
            command_button(ui, doc, command, asked);
        }
    }
}

/// A menu item for `command`, with its shortcut, greyed out when it cannot
/// be carried out.
fn command_button(ui: &mut egui::Ui, doc: Option<&Doc>, command: Command, asked: &mut Vec<Asked>) {
    let mut button = egui::Button::new(command.label());
    if let Some(text) = command.shortcut_text(ui.ctx()) {
        button = button.shortcut_text(text);
    }
    if ui.add_enabled(command.enabled(doc), button).clicked() {
        asked.push(Asked::Command(command));
        ui.close();
    }
}

/// The tabs, the export and send buttons, and the campaign's title (with a
/// dot while it has unsaved changes).
pub fn tabs(ui: &mut egui::Ui, tab: &mut Tab, selected: usize, doc: Option<&Doc>) -> Vec<Asked> {
    let mut asked = Vec::new();
    ui.horizontal(|ui| {
        ui.selectable_value(tab, Tab::Recipients, format!("1  Recipients ({selected})"));
        ui.selectable_value(tab, Tab::Letter, "2  Letter");
        ui.separator();
        let export = egui::Button::new("3  Export letters…");
        let export = match Command::Export.shortcut_text(ui.ctx()) {
            Some(keys) => ui.add_enabled(Command::Export.enabled(doc), export).on_hover_text(keys),
            None => ui.add_enabled(Command::Export.enabled(doc), export),
        };
        if export.clicked() {
            asked.push(Asked::Command(Command::Export));
        }
        if ui.button("4  Send e-mails…").clicked() {
            asked.push(Asked::Send);
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if let Some(doc) = doc {
                let mark = if doc.dirty { " •" } else { "" };
                ui.label(egui::RichText::new(format!("{}{mark}", doc.title())).strong());
            }
        });
    });
    asked
}

/// The offer to restore the unsaved changes the last session left.
pub fn recovery_banner(ui: &mut egui::Ui, recovery: Option<&Recovery>) -> Vec<Asked> {
    let mut asked = Vec::new();
    let Some(recovery) = recovery else {
        return asked;
    };
    egui::Frame::new()
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let what = recovery
                    .file
                    .as_ref()
                    .map_or_else(|| "a new campaign".to_owned(), |f| f.display().to_string());
                ui.label(format!(
                    "Hemicycle closed with unsaved changes to {what} ({}).",
                    recovery.saved_at
                ));
                if ui.button("Restore them").clicked() {
                    asked.push(Asked::Restore(recovery.clone()));
                }
                if ui.button("Discard them").clicked() {
                    asked.push(Asked::DiscardRecovery);
                }
            });
        });
    asked
}
