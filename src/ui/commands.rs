//! The app's commands: what the menus, the buttons, the keyboard shortcuts
//! and the shortcuts help all read. A command is asked for during a frame
//! (a click, a key) and carried out after it, so nothing a panel is drawing
//! changes under it.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

use super::state::Doc;

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
    Responses,
    FollowUp,
    FindMeps,
    Settings,
    Shortcuts,
    Welcome,
    About,
}

impl Command {
    /// Whether the command can be carried out with `doc` open.
    pub fn enabled(self, doc: Option<&Doc>) -> bool {
        match self {
            Command::Save
            | Command::SaveAs
            | Command::NewFromThis
            | Command::Export
            | Command::Send
            | Command::Responses
            | Command::FollowUp
            | Command::ShareKit
            | Command::Volunteer => doc.is_some(),
            Command::Undo => doc.is_some_and(Doc::can_undo),
            Command::Redo => doc.is_some_and(Doc::can_redo),
            _ => true,
        }
    }

    pub const ALL: [Command; 19] = [
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
        Command::Responses,
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
            Command::Responses => "Responses…",
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
            Command::Responses => "Who answered: replies, automatic replies and bounces",
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
            | Command::Responses
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
