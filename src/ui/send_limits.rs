//! The send's limits — the pace, office hours and the daily cap — kept with
//! the campaign's send state: a small file beside its journal
//! (`<journal>.send.json`), so that they survive a restart and a "Resume
//! sending" goes on as the send began. Beside the journal, not in the
//! campaign: they belong to one send from one campaign file (like the
//! journal, which a copy of the file does not share), setting them does not
//! make the campaign "changed", and a campaign shared with a colleague does
//! not carry the sender's pace.
//!
//! The limits own their drawing (`ui`) and their words (`describe`, for the
//! confirmation; `short`, for the progress line).

use std::path::{Path, PathBuf};

use eframe::egui;
use serde::{Deserialize, Serialize};

use crate::deliver::send::SendOptions;
use crate::deliver::session;

/// How fast and when the letters go out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    pub per_minute: f32,
    pub office_hours: bool,
    pub hours: (u32, u32),
    pub cap_on: bool,
    pub cap: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_minute: 3.0,
            office_hours: false,
            hours: (9, 17),
            cap_on: false,
            cap: 200,
        }
    }
}

impl Limits {
    /// Where the limits of the send recorded in `journal` are kept.
    pub fn path_for(journal: &Path) -> PathBuf {
        journal.with_extension("send.json")
    }

    /// The limits kept for `journal`, if any (a damaged file counts as
    /// none: the limits are shown before every send, so nothing goes
    /// unseen).
    pub fn load(journal: &Path) -> Option<Self> {
        std::fs::read_to_string(Self::path_for(journal))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
    }

    pub fn save(&self, journal: &Path) -> Result<(), crate::store::WriteError> {
        let json = serde_json::to_vec_pretty(self).unwrap_or_default();
        crate::store::write_atomic(&Self::path_for(journal), &json, "the send's limits")
    }

    /// The options these limits set, checked by the rules the command line
    /// uses too.
    pub fn apply(&self, options: &mut SendOptions) -> Result<(), String> {
        options.per_minute = f64::from(self.per_minute);
        options.office_hours = if self.office_hours {
            let (start, end) = self.hours;
            Some(session::office_hours(start, end).map_err(|e| super::send::sentence(&e.to_string()))?)
        } else {
            None
        };
        options.daily_cap = self.cap_on.then_some(self.cap as usize);
        Ok(())
    }

    /// Seconds between two letters.
    pub fn gap_secs(&self) -> u32 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let gap = (60.0 / self.per_minute.max(0.01)).round() as u32;
        gap
    }

    /// The limits in a few words, for the progress line: "at most 3 a day,
    /// one every 20 s, 9:00–17:00 Brussels time on weekdays".
    pub fn short(&self) -> String {
        let mut parts = Vec::new();
        if self.cap_on {
            parts.push(format!("at most {} a day", self.cap));
        }
        parts.push(format!("one every {} s", self.gap_secs()));
        if self.office_hours {
            parts.push(format!(
                "{}:00–{}:00 Brussels time on weekdays",
                self.hours.0, self.hours.1
            ));
        }
        parts.join(", ")
    }

    /// What the limits mean for `letters` letters when `sent_today` went out
    /// today already, for the confirmation: "At most 3 a day, so 3 today and
    /// the other 10 on the following days; one every 20 s."
    pub fn describe(&self, letters: usize, sent_today: usize) -> String {
        let mut said = if self.cap_on {
            let cap = self.cap as usize;
            let today = cap.saturating_sub(sent_today).min(letters);
            let rest = letters - today;
            let already = if sent_today > 0 {
                format!(" ({sent_today} already sent today)")
            } else {
                String::new()
            };
            let later = match rest {
                0 => String::new(),
                1 => " and the last one on the next day".to_owned(),
                n => format!(" and the other {n} on the following days"),
            };
            format!("At most {cap} a day{already}, so {today} today{later}; ")
        } else {
            "No daily limit; ".to_owned()
        };
        said.push_str(&format!("one every {} s", self.gap_secs()));
        if self.office_hours {
            said.push_str(&format!(
                ", only from {}:00 to {}:00 Brussels time, Monday to Friday",
                self.hours.0, self.hours.1
            ));
        }
        said.push('.');
        said
    }

    /// The pace, office hours and daily cap; true when a change is done:
    /// a box ticked, a number typed, a slider or number let go — not in
    /// each frame of a drag, so that the file beside the journal is written
    /// once per change, not once per frame.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> bool {
        let mut done = false;
        let mut note = |r: &egui::Response| done |= r.drag_stopped() || (r.changed() && !r.dragged());
        ui.horizontal(|ui| {
            let l = ui.label("Letters per minute");
            let r = ui
                .add(egui::Slider::new(&mut self.per_minute, 0.5..=30.0).logarithmic(true))
                .labelled_by(l.id)
                .on_hover_text("Slow is polite: mail systems hold back floods of similar messages.");
            note(&r);
            ui.label(format!("(one every {} s)", self.gap_secs()));
        });
        ui.horizontal(|ui| {
            note(&ui.checkbox(
                &mut self.office_hours,
                "Only during office hours in Brussels, Monday to Friday",
            ));
            // Shown greyed out rather than hidden: nothing moves when the
            // box is ticked.
            ui.add_enabled_ui(self.office_hours, |ui| {
                let l = ui.label("from");
                note(
                    &ui.add(egui::DragValue::new(&mut self.hours.0).range(0..=23).suffix(":00"))
                        .labelled_by(l.id),
                );
                let l = ui.label("to");
                note(
                    &ui.add(egui::DragValue::new(&mut self.hours.1).range(1..=24).suffix(":00"))
                        .labelled_by(l.id),
                );
            });
        });
        ui.horizontal(|ui| {
            note(&ui.checkbox(&mut self.cap_on, "At most"));
            let l = ui.label("letters a day");
            note(
                &ui.add_enabled(self.cap_on, egui::DragValue::new(&mut self.cap).range(1..=10_000))
                    .labelled_by(l.id),
            );
        });
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limits_survive_on_disk_beside_the_journal() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let journal = tmp.path().join("ours-0123abcd.jsonl");
        assert_eq!(Limits::load(&journal), None);
        let limits = Limits {
            cap_on: true,
            cap: 3,
            office_hours: true,
            hours: (10, 16),
            per_minute: 6.0,
        };
        limits.save(&journal).expect("saved");
        assert!(tmp.path().join("ours-0123abcd.send.json").exists());
        assert_eq!(Limits::load(&journal), Some(limits));
        // Not a journal: the other campaigns' journals are *.jsonl.
        assert_ne!(Limits::path_for(&journal).extension(), journal.extension());
    }

    #[test]
    fn the_confirmation_says_what_the_cap_means_today() {
        let capped = Limits {
            cap_on: true,
            cap: 3,
            ..Limits::default()
        };
        assert_eq!(
            capped.describe(13, 0),
            "At most 3 a day, so 3 today and the other 10 on the following days; one every 20 s."
        );
        assert_eq!(
            capped.describe(13, 1),
            "At most 3 a day (1 already sent today), so 2 today and the other 11 on the following days; one every 20 s."
        );
        assert_eq!(capped.describe(2, 0), "At most 3 a day, so 2 today; one every 20 s.");
        let open = Limits {
            office_hours: true,
            ..Limits::default()
        };
        assert_eq!(
            open.describe(5, 0),
            "No daily limit; one every 20 s, only from 9:00 to 17:00 Brussels time, Monday to Friday."
        );
        assert_eq!(capped.short(), "at most 3 a day, one every 20 s");
    }

    #[test]
    fn the_options_follow_the_limits_and_bad_hours_are_refused() {
        let mut options = SendOptions::default();
        let limits = Limits {
            cap_on: true,
            cap: 3,
            ..Limits::default()
        };
        limits.apply(&mut options).expect("applied");
        assert_eq!(options.daily_cap, Some(3));
        assert!(options.office_hours.is_none());
        let bad = Limits {
            office_hours: true,
            hours: (17, 9),
            ..Limits::default()
        };
        assert!(bad.apply(&mut options).is_err());
    }
}
