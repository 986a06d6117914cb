//! Driving the app in `egui_kittest` as a person does: click a labelled
//! widget, type into a labelled field, and let the app answer each time.

use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// A click or keystrokes followed by a frame, so that what the app does in
/// answer is on screen before the next step looks.
pub trait Drive {
    /// Clicks the widget labelled exactly `label`.
    fn click_on(&mut self, label: &str);
    /// Clicks the widget whose label contains `part`.
    fn click_containing(&mut self, part: &str);
    /// Focuses the field labelled `label`, selects what it holds and types
    /// `text` over it.
    fn type_into(&mut self, label: &str, text: &str);
    /// Focuses the field labelled `label` and types `text` where the
    /// cursor is.
    fn type_at(&mut self, label: &str, text: &str);
    /// Scrolls until the widget labelled `label` is in view.
    fn scroll_to(&mut self, label: &str);
}

impl<State> Drive for Harness<'_, State> {
    fn click_on(&mut self, label: &str) {
        self.get_by_label(label).click();
        self.run_ok();
    }

    fn click_containing(&mut self, part: &str) {
        self.get_by_label_contains(part).click();
        self.run_ok();
    }

    fn type_into(&mut self, label: &str, text: &str) {
        self.get_by_label(label).focus();
        self.run_ok();
        self.key_press_modifiers(Modifiers::COMMAND, Key::A);
        self.get_by_label(label).type_text(text);
        self.run_ok();
    }

    fn type_at(&mut self, label: &str, text: &str) {
        self.get_by_label(label).focus();
        self.run_ok();
        self.get_by_label(label).type_text(text);
        self.run_ok();
    }

    fn scroll_to(&mut self, label: &str) {
        self.get_by_label(label).scroll_to_me();
        self.run_ok();
    }
}
