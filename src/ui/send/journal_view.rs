//! The journal under the send dialog: counts, one row per letter (those
//! that need attention first), and the two answers to an unconfirmed
//! letter: it arrived, or send it again.

use eframe::egui::{self, RichText};

use super::super::preview;
use super::{Asked, JournalShown, SendPanel};
use crate::deliver::journal::{self, Standing, State};

/// The user's answer about one unconfirmed letter.
struct Decision {
    mep: String,
    settle: journal::Settle,
}

impl SendPanel {
    pub(super) fn journal_view(&mut self, ui: &mut egui::Ui, running: bool, asked: &mut Vec<Asked>) {
        let Some(shown) = &self.journal else {
            ui.label(RichText::new("Journal").strong());
            ui.label("The journal appears once the campaign is saved.");
            return;
        };
        let Some(decision) = journal_table(ui, shown, running) else {
            return;
        };
        if let Err(e) = journal::settle(&shown.path, &decision.mep, decision.settle) {
            asked.push(Asked::Status(e.to_string(), true));
        }
        self.reload_journal();
        self.flow.check_again();
    }
}

/// The journal: counts, and one row per letter, those that need attention
/// first. Returns the user's decision about an unconfirmed letter, if any.
fn journal_table(ui: &mut egui::Ui, shown: &JournalShown, running: bool) -> Option<Decision> {
    let dry = shown.dry;
    ui.label(RichText::new(if dry { "Journal of the dry run" } else { "Journal" }).strong());
    let view = match &shown.view {
        Ok(v) => v,
        Err(e) => {
            preview::problem(ui, e);
            return None;
        }
    };
    for w in &view.warnings {
        preview::notice(ui, w);
    }
    let (sent, failed, unconfirmed) = view.counts();
    ui.label(format!("{sent} sent, {failed} failed, {unconfirmed} unconfirmed."));
    let mut standings: Vec<Standing> = view.standings().into_values().collect();
    standings.sort_by_key(|s| match s {
        Standing::Unconfirmed { .. } => 0,
        Standing::NotSent { .. } => 1,
        Standing::Sent { .. } => 2,
    });
    let mut action = None;
    egui::ScrollArea::vertical()
        .id_salt("journal")
        .max_height(220.0)
        .show(ui, |ui| {
            egui::Grid::new("journal-grid")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for title in ["MEP", "Address", "State", "When and what"] {
                        ui.strong(title);
                    }
                    ui.end_row();
                    for s in &standings {
                        if let Some(decision) = journal_row(ui, s, dry, running) {
                            action = Some(Decision {
                                mep: s.record().mep.clone(),
                                settle: decision,
                            });
                        }
                        ui.end_row();
                    }
                });
        });
    action
}

/// One letter in the journal; an unconfirmed one has its two buttons.
fn journal_row(ui: &mut egui::Ui, s: &Standing, dry: bool, running: bool) -> Option<journal::Settle> {
    let r = s.record();
    ui.label(&r.name);
    ui.label(&r.to);
    let (state, color) = match s {
        Standing::Sent { record } if record.state == State::MarkedSent => {
            ("sent (marked by you)", ui.visuals().text_color())
        }
        Standing::Sent { .. } if dry => ("written", ui.visuals().text_color()),
        Standing::Sent { .. } => ("sent", ui.visuals().text_color()),
        Standing::NotSent { record } if record.state == State::Failed => ("failed", ui.visuals().error_fg_color),
        Standing::NotSent { .. } => ("not sent yet", ui.visuals().warn_fg_color),
        Standing::Unconfirmed { .. } => ("unconfirmed", ui.visuals().warn_fg_color),
    };
    ui.label(RichText::new(state).color(color));
    let mut decision = None;
    ui.horizontal(|ui| {
        ui.label(format!("{} · {}", local_time(&r.at), r.detail));
        if matches!(s, Standing::Unconfirmed { .. }) && !running && !dry {
            if ui.small_button(format!("Mark {} as sent", r.name)).clicked() {
                decision = Some(journal::Settle::MarkSent);
            }
            if ui.small_button(format!("Allow sending to {} again", r.name)).clicked() {
                decision = Some(journal::Settle::AllowAgain);
            }
        }
    });
    decision
}

/// A journal time (UTC) as the user's local time.
fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map_or_else(
        |_| rfc3339.to_owned(),
        |t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string(),
    )
}
