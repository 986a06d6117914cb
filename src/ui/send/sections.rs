//! The parts of the send dialog, top to bottom: how (route and pace), what
//! the check found, the start button (or the progress), how the last run
//! ended. What they say comes from the flow ([`Flow::start_button`],
//! [`Flow::now`]); they draw it and hand the clicks back to it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use eframe::egui::{self, RichText};

use super::super::preview;
use super::{Asked, Lent, SendPanel, sentence};
use crate::deliver::check::{self, Severity};
use crate::deliver::flow::{Confirm, Do, Flow, Now};
use crate::deliver::session;

impl SendPanel {
    /// First: the pre-send check's findings.
    pub(super) fn check_section(&self, ui: &mut egui::Ui, lent: &Lent<'_>) {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Before sending").strong());
            if self.flow.checking() && self.flow.check().is_some() {
                ui.spinner();
                ui.label("checking again…");
            }
        });
        match self.flow.check() {
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Checking every letter…");
                });
            }
            Some(Err(e)) => preview::problem(ui, &format!("The letters cannot be written: {e}")),
            Some(Ok(c)) => {
                let to_send = c.letters.saturating_sub(c.already_sent);
                ui.label(format!(
                    "{} letters with an e-mail address for {} selected MEPs; {} already sent, {to_send} to send.",
                    c.letters, lent.selected, c.already_sent
                ));
                if let Some(s) = c.similarity {
                    ui.label(format!("The letters are {:.0}% alike.", s.median * 100.0));
                }
                if c.findings.is_empty() {
                    ui.label("No problems found.");
                }
                for f in &c.findings {
                    let text = sentence(&f.text);
                    match f.severity {
                        Severity::Error => preview::problem(ui, &text),
                        Severity::Warning => preview::notice(ui, &text),
                    }
                }
            }
        }
    }

    /// Second: where the letters go: a mail account, or a dry run's folder.
    pub(super) fn route_section(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>, asked: &mut Vec<Asked>) {
        ui.checkbox(&mut self.dry_run, "Dry run: write .eml files, send nothing");
        if self.dry_run {
            if self.dry_folder.is_empty()
                && let Some(dir) = directories::UserDirs::new()
                    .map(|u| u.document_dir().unwrap_or(u.home_dir()).join("Hemicycle dry run"))
            {
                self.dry_folder = dir.display().to_string();
            }
            ui.horizontal(|ui| {
                let l = ui.label("Dry-run folder");
                ui.add(egui::TextEdit::singleline(&mut self.dry_folder).desired_width(360.0))
                    .labelled_by(l.id);
                if ui.button("Choose…").clicked() {
                    let start = Some(PathBuf::from(self.dry_folder.trim())).filter(|p| p.is_dir());
                    asked.push(Asked::ChooseDryFolder(start));
                }
            });
            return;
        }
        let names = self.account_names(lent.paths);
        ui.horizontal(|ui| {
            let l = ui.label("Mail account");
            let shown = if self.account.is_empty() {
                "(none yet)".to_owned()
            } else {
                self.account.clone()
            };
            let _ = egui::ComboBox::from_id_salt("Mail account")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for name in &names {
                        ui.selectable_value(&mut self.account, name.clone(), name);
                    }
                })
                .response
                .labelled_by(l.id);
            if ui.button("Account settings…").clicked() {
                let name = self.account.clone();
                self.edit_account(Some(name.as_str()).filter(|n| !n.is_empty()), lent);
            }
            let can_test = !self.account.is_empty() && self.test_job.is_none();
            if ui
                .add_enabled(can_test, egui::Button::new("Send test to myself"))
                .clicked()
            {
                self.start_test_to_self(ui.ctx(), lent);
            }
        });
        if self.form.is_some() {
            self.account_form(ui, lent);
        }
    }

    /// Second: the pace, office hours, daily cap (kept beside the journal
    /// as they change) and what to send again.
    pub(super) fn pace_section(&mut self, ui: &mut egui::Ui, asked: &mut Vec<Asked>) {
        if self.limits.ui(ui)
            && let Some(journal) = self.limits_of.clone()
            && let Err(e) = self.limits.save(&journal)
        {
            asked.push(Asked::Status(e.to_string(), true));
        }
        ui.checkbox(
            &mut self.resend.unconfirmed,
            "Send unconfirmed letters again (only after checking your Sent folder)",
        );
        ui.checkbox(
            &mut self.resend.changed,
            "Send the new version to MEPs who got an earlier version",
        );
    }

    /// Third: the send under way: progress, pause and cancel.
    pub(super) fn progress_section(&mut self, ui: &mut egui::Ui) {
        let p = self.flow.progress();
        #[allow(clippy::cast_precision_loss)]
        let fraction = if p.total == 0 {
            0.0
        } else {
            p.done as f32 / p.total as f32
        };
        let eta = p
            .eta
            .filter(|_| p.done < p.total)
            .map(|e| format!(", about {} left", session::duration_words(e)))
            .unwrap_or_default();
        ui.add(egui::ProgressBar::new(fraction).text(format!(
            "{} of {}{eta} · {}",
            p.done,
            p.total,
            self.limits.short()
        )));
        ui.label(format!(
            "{} sent, {} failed, {} unconfirmed",
            p.sent, p.failed, p.unconfirmed
        ));
        if let Some(notice) = &p.notice {
            preview::notice(ui, notice);
        }
        now_line(ui, &self.flow, &p, self.limits.gap_secs());
        // Keep the journal view up to date as letters go out.
        if p.done != self.journal_done {
            self.journal_done = p.done;
            self.reload_journal();
        }
        ui.horizontal(|ui| {
            if self.flow.now(&p, Instant::now()) == Now::Paused {
                if ui.button("Resume").clicked() {
                    let _ = self.flow.resume();
                }
            } else if ui.button("Pause").clicked() {
                let _ = self.flow.pause();
            }
            if ui.button("Cancel sending").clicked() {
                let _ = self.flow.cancel();
            }
        });
    }

    /// Third: the button that starts (or resumes) the send, unless the check
    /// found an error.
    pub(super) fn start_button(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>) {
        let button = self.flow.start_button(self.dry_run);
        if ui
            .add_enabled(button.enabled, egui::Button::new(RichText::new(&button.label).strong()))
            .clicked()
        {
            let question = self.confirm_question(button.left, lent);
            let todo = self.flow.start(self.dry_run, |_| question);
            self.carry_out(todo, ui.ctx(), lent);
        }
        self.confirm_send(ui.ctx(), lent);
        self.handover_button(ui, button.left, lent);
    }

    /// What the flow asked for.
    fn carry_out(&mut self, todo: Do, ctx: &egui::Context, lent: &Lent<'_>) {
        match todo {
            Do::Send { dry } => self.start_send(ctx, lent, dry),
            Do::ReloadJournal => self.reload_journal(),
            // The check starts each frame it is wanted (`start_check`).
            Do::Check | Do::Nothing => {}
        }
    }

    /// "Open in my mail program…": for those who give Hemicycle no
    /// password. Needs no mail account, and stops at the check's other
    /// errors.
    fn handover_button(&mut self, ui: &mut egui::Ui, to_send: usize, lent: &Lent<'_>) {
        if self.dry_run {
            return;
        }
        let blocked = match self.flow.check() {
            Some(Ok(c)) => c
                .findings
                .iter()
                .any(|f| f.severity == Severity::Error && f.text != check::NO_ACCOUNT),
            _ => true,
        };
        let running = self.handover_job.is_some();
        if ui
            .add_enabled(
                !blocked && to_send > 0 && !running,
                egui::Button::new("Open in my mail program…"),
            )
            .on_hover_text("Each letter opens in your own mail program, ready to send from there; no password needed")
            .clicked()
        {
            self.confirm_handover = Some(to_send);
        }
        let Some(letters) = self.confirm_handover else {
            return;
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("confirm-handover")).show(ui.ctx(), |ui| {
            ui.set_max_width(440.0);
            ui.heading(format!(
                "Open {letters} {} in your mail program?",
                if letters == 1 { "letter" } else { "letters" }
            ));
            ui.label("Each opens in a window of its own, ready to send from there. Hemicycle notes that it handed them over, and does not hand them over again.");
            ui.horizontal(|ui| {
                if ui.button(RichText::new("Open them").strong()).clicked() {
                    answer = Some(true);
                }
                if ui.button("Not yet").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some(false);
                }
            });
        });
        if let Some(yes) = answer {
            self.confirm_handover = None;
            if yes {
                self.start_handover(ui.ctx(), lent);
            }
        }
    }

    /// The question asked before real letters go out: how many, from which
    /// address, to how many people, and the limits that apply.
    fn confirm_question(&mut self, letters: usize, lent: &Lent<'_>) -> Confirm {
        let from = self
            .chosen_profile(lent.paths)
            .map_or_else(|_| self.account.clone(), |p| p.from_email);
        let people = lent.meps.iter().filter(|m| m.email.is_some()).count().min(letters);
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let sent_today = match self.flow.check() {
            Some(Ok(c)) => c.sent_today,
            _ => 0,
        };
        Confirm {
            heading: format!(
                "Send {} from {from} to {} now?",
                plural(letters, "letter", "letters"),
                plural(people, "recipient", "recipients"),
            ),
            limits: self.limits.describe(letters, sent_today),
        }
    }

    /// Asks before a real send; starts it on "Send now".
    fn confirm_send(&mut self, ctx: &egui::Context, lent: &Lent<'_>) {
        let Some(question) = self.flow.confirming().cloned() else {
            return;
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("confirm-send")).show(ctx, |ui| {
            ui.set_max_width(440.0);
            ui.heading(&question.heading);
            ui.label(RichText::new(&question.limits).strong());
            ui.label("Each letter goes out as its own e-mail, at the pace you chose. You can pause or cancel while it runs; a letter sent cannot be taken back.");
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button(RichText::new("Send now").strong()).clicked() {
                    answer = Some(true);
                }
                if ui.button("Not yet").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some(false);
                }
            });
        });
        if let Some(yes) = answer {
            let todo = self.flow.answer(yes);
            self.carry_out(todo, ctx, lent);
        }
    }

    /// How the last run of the kind chosen (real or dry) ended.
    pub(super) fn report_section(&self, ui: &mut egui::Ui) {
        let dry = self.dry_run;
        match self.flow.report(dry) {
            Some(Ok(r)) => {
                if r.sent.is_empty() && r.failed.is_empty() && r.skipped.is_empty() {
                    if let Some(said) = &r.stopped {
                        ui.label(said);
                    }
                    return;
                }
                let said = if dry {
                    format!(
                        "Dry run done: {} written as e-mail files, {} failed, {} skipped. Nothing was sent.",
                        r.sent.len(),
                        r.failed.len(),
                        r.skipped.len()
                    )
                } else {
                    format!("Done: {}.", r.summary())
                };
                ui.label(RichText::new(said).strong());
                for note in &r.notes {
                    preview::notice(ui, note);
                }
                if let Some(copies) = r.copies_line() {
                    ui.label(sentence(&copies));
                }
                if let Some(stopped) = &r.stopped {
                    preview::notice(ui, &format!("Stopped early: {stopped}"));
                }
            }
            Some(Err(e)) => preview::problem(ui, &sentence(e)),
            None => {}
        }
    }
}

/// The line under the progress bar: paused, why the run waits, the letter
/// on its way, or the count-down to the next.
fn now_line(ui: &mut egui::Ui, flow: &Flow, p: &crate::deliver::send::Progress, gap: u32) {
    match flow.now(p, Instant::now()) {
        Now::Paused => {
            ui.label("Paused: the letter being sent (if any) finishes, then nothing more goes out until you resume.");
        }
        Now::Waiting(w) => {
            ui.label(sentence(&w));
        }
        Now::SendingTo(c) => {
            ui.label(format!("Sending to {c}"));
        }
        Now::NextIn(left) => {
            ui.label(format!(
                "Next letter in {} (one every {gap} s).",
                session::duration_words(left)
            ));
            // Count down each second.
            ui.ctx().request_repaint_after(Duration::from_millis(250));
        }
        Now::BeforeNext => {
            ui.label(format!("Waiting before the next letter (one every {gap} s)."));
        }
        Now::Nothing => {}
    }
}
