//! Driving the app in `egui_kittest` as a person does: click a labelled
//! widget, type into a labelled field, and let the app answer each time.

use std::time::{Duration, Instant};

use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use hemicycle::ui::App;

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
    /// Opens the menu-bar menu `menu` (its button: a tab or a heading may
    /// carry the same word) and clicks its entry `item`.
    fn choose(&mut self, menu: &str, item: &str);
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

    fn choose(&mut self, menu: &str, item: &str) {
        self.get_by_role_and_label(eframe::egui::accesskit::Role::Button, menu)
            .click();
        self.run_ok();
        self.click_on(item);
    }
}

/// Steps the app until its background work is done. The limit is a bound
/// for hung work, not a measure of speed: debug builds on a machine whose
/// cores are busy with other work take many times longer than idle ones.
pub fn wait_idle(harness: &mut Harness<'_, App>) {
    let limit = Duration::from_mins(5);
    let start = Instant::now();
    harness.run_ok();
    while harness.state().probe().busy() {
        assert!(start.elapsed() < limit, "background work did not finish in {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run_ok();
}

/// Steps the app until a label containing `text` shows, for at most two
/// minutes (a bound for a hung watcher, not a measure of speed).
pub fn wait_for_label(harness: &mut Harness<'_, App>, text: &str) {
    let start = Instant::now();
    while harness.query_all_by_label_contains(text).next().is_none() {
        assert!(
            start.elapsed() < Duration::from_mins(2),
            "\"{text}\" did not show in two minutes"
        );
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run_ok();
}
