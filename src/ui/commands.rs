//! The app's commands: what the menus, the buttons, the keyboard shortcuts
//! and the shortcuts help all read. A command is asked for during a frame
//! (a click, a key) and carried out after it, so nothing a panel is drawing
//! changes under it.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

use super::state::{Doc, Restored};
use super::{App, Tab, files};

/// Something the user can ask the app to do from more than one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    New,
    Open,
    Save,
    SaveAs,
    NewFromThis,
    OpenKit,
    ShareKit,
    Volunteer,
    Undo,
    Redo,
    Export,
    Send,
    FollowUp,
    FindMeps,
    Settings,
    Shortcuts,
    Welcome,
    About,
}

impl Command {
    pub const ALL: [Command; 18] = [
        Command::New,
        Command::Open,
        Command::Save,
        Command::SaveAs,
        Command::NewFromThis,
        Command::OpenKit,
        Command::ShareKit,
        Command::Volunteer,
        Command::Undo,
        Command::Redo,
        Command::Export,
        Command::Send,
        Command::FollowUp,
        Command::FindMeps,
        Command::Settings,
        Command::Shortcuts,
        Command::Welcome,
        Command::About,
    ];

    /// The menu item's label.
    pub fn label(self) -> &'static str {
        match self {
            Command::New => "New campaign",
            Command::Open => "Open…",
            Command::Save => "Save",
            Command::SaveAs => "Save as…",
            Command::NewFromThis => "New campaign from this…",
            Command::OpenKit => "Open a campaign kit…",
            Command::ShareKit => "Share as a kit…",
            Command::Volunteer => "Write to your MEPs…",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::Export => "Export letters…",
            Command::Send => "Send e-mails…",
            Command::FollowUp => "Follow up…",
            Command::FindMeps => "Search the MEPs",
            Command::Settings => "Settings…",
            Command::Shortcuts => "Keyboard shortcuts",
            Command::Welcome => "Welcome",
            Command::About => "About Hemicycle",
        }
    }

    /// What it does, in the shortcuts help.
    pub fn description(self) -> &'static str {
        match self {
            Command::New => "Start a new campaign",
            Command::Open => "Open a campaign",
            Command::Save => "Save the campaign",
            Command::SaveAs => "Save the campaign under another name (the same campaign: nothing it sent goes twice)",
            Command::NewFromThis => {
                "Start a new campaign from this one, with an identity of its own, and save it under a new name"
            }
            Command::OpenKit => "Open a campaign kit (.hemicycle) someone sent you",
            Command::ShareKit => "Make one file with the campaign and all it needs, to send to volunteers",
            Command::Volunteer => "Step by step: about you, your MEPs, your words, send",
            Command::Undo => "Undo the last change to the campaign",
            Command::Redo => "Redo the change just undone",
            Command::Export => "Export the letters as files",
            Command::Send => "Send the letters as e-mails",
            Command::FollowUp => "Write again, in the same thread, to the MEPs who did not answer",
            Command::FindMeps => "Search the MEPs",
            Command::Settings => "Change the settings",
            Command::Shortcuts => "Show these shortcuts",
            Command::Welcome => "Show the welcome",
            Command::About => "About Hemicycle and its sources",
        }
    }

    /// Its key (Ctrl on Windows and Linux, ⌘ on macOS).
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let command = |key| Some(KeyboardShortcut::new(Modifiers::COMMAND, key));
        match self {
            Command::New => command(Key::N),
            Command::Open => command(Key::O),
            Command::Save => command(Key::S),
            Command::SaveAs => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::S)),
            Command::Undo => command(Key::Z),
            Command::Redo => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z)),
            Command::Export => command(Key::E),
            Command::FindMeps => command(Key::F),
            Command::Send
            | Command::FollowUp
            | Command::NewFromThis
            | Command::OpenKit
            | Command::ShareKit
            | Command::Volunteer
            | Command::Settings
            | Command::Shortcuts
            | Command::Welcome
            | Command::About => None,
        }
    }

    /// The shortcut as this platform writes it ("Ctrl+S", "⌘S").
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        self.shortcut().map(|s| ctx.format_shortcut(&s))
    }
}

impl App {
    /// Whether `command` can be carried out now.
    pub(super) fn command_enabled(&self, command: Command) -> bool {
        match command {
            Command::Save
            | Command::SaveAs
            | Command::NewFromThis
            | Command::Export
            | Command::Send
            | Command::FollowUp
            | Command::ShareKit
            | Command::Volunteer => self.doc.is_some(),
            Command::Undo => self.doc.as_ref().is_some_and(Doc::can_undo),
            Command::Redo => self.doc.as_ref().is_some_and(Doc::can_redo),
            _ => true,
        }
    }

    /// Asks for `command`; it is carried out after this frame.
    pub(super) fn ask(&mut self, command: Command) {
        if self.command_enabled(command) && !self.commands.contains(&command) {
            self.commands.push(command);
        }
    }

    /// A menu item or button for `command`, with its shortcut, greyed out
    /// when it cannot be carried out.
    pub(super) fn command_button(&mut self, ui: &mut egui::Ui, command: Command) {
        let mut button = egui::Button::new(command.label());
        if let Some(text) = command.shortcut_text(ui.ctx()) {
            button = button.shortcut_text(text);
        }
        if ui.add_enabled(self.command_enabled(command), button).clicked() {
            self.ask(command);
            ui.close();
        }
    }

    /// The commands whose keys were pressed this frame.
    pub(super) fn read_shortcuts(&mut self, ctx: &egui::Context) {
        // In a text field, its own undo applies to what is typed there.
        let typing = ctx.memory(|m| m.focused().is_some());
        for command in Command::ALL {
            if typing && matches!(command, Command::Undo | Command::Redo) {
                continue;
            }
            if let Some(shortcut) = command.shortcut()
                && ctx.input_mut(|i| i.consume_shortcut(&shortcut))
            {
                self.ask(command);
            }
        }
    }

    /// Carries out the commands asked for during the frame.
    pub(super) fn run_commands(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.commands) {
            match command {
                Command::Undo | Command::Redo => self.undo_or_redo(ctx, command == Command::Undo),
                Command::New => self.replace_campaign(ctx, super::Replacement::New),
                Command::Open => self.files.ask(files::Purpose::OpenCampaign, None),
                Command::Save => self.save(),
                Command::SaveAs => self.ask_save_as(),
                Command::NewFromThis => self.replace_campaign(ctx, super::Replacement::NewFromThis),
                Command::OpenKit => self.files.ask(files::Purpose::OpenKit, None),
                Command::ShareKit => self.ask_share_kit(),
                Command::Volunteer => self.volunteer_ui.start(),
                Command::Export => self.dialogs.export.open = true,
                Command::Send => self.send_ui.open = true,
                Command::FollowUp => self.dialogs.followup.open = true,
                Command::FindMeps => {
                    self.tab = Tab::Recipients;
                    self.recipients.focus_search = true;
                }
                Command::Settings => self.dialogs.settings = true,
                Command::Shortcuts => self.dialogs.shortcuts = true,
                Command::Welcome => self.dialogs.welcome = true,
                Command::About => self.dialogs.about = true,
            }
        }
    }
}

impl App {
    fn undo_or_redo(&mut self, ctx: &egui::Context, undo: bool) {
        let Some(doc) = self.doc.as_mut() else { return };
        let restored = if undo { doc.undo() } else { doc.redo() };
        self.editor_ui.forget_template_text();
        match restored {
            // Its bibliographies, demand sets or style changed: read again.
            Some(Restored::Files) => self.reload_campaign(ctx),
            Some(Restored::Edits) => {}
            None => self.set_status(if undo { "Nothing to undo." } else { "Nothing to redo." }, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_words_and_no_two_share_a_key() {
        let mut keys = Vec::new();
        for c in Command::ALL {
            assert!(!c.label().is_empty() && !c.description().is_empty(), "{c:?}");
            if let Some(s) = c.shortcut() {
                assert!(!keys.contains(&s), "{c:?} shares its key");
                keys.push(s);
            }
        }
        // The shortcut is written as the platform writes it.
        let ctx = egui::Context::default();
        let save = Command::Save.shortcut_text(&ctx).unwrap_or_default();
        assert!(save.ends_with('S'), "{save}");
        assert_ne!(save, Command::SaveAs.shortcut_text(&ctx).unwrap_or_default());
    }
}
