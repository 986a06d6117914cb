//! The campaign's named addressees — people who are not in the MEP
//! directory (a Commissioner, a permanent representation, a former MEP) —
//! and whether the campaign writes one letter per recipient or one letter
//! to all of them.

use eframe::egui::{self, RichText};

use super::state::Doc;
use crate::campaign::{Addressee, Mode};

/// Above the directory's table: the named addressees of the campaign being
/// edited, each editable, and the letter mode.
pub(super) fn section(ui: &mut egui::Ui, doc: &mut Option<Doc>) {
    let Some(current) = doc.as_ref() else { return };
    let mut list = current.composer.campaign.recipients.addressees.clone();
    let mut mode = current.composer.campaign.recipients.mode;
    let before = (list.clone(), mode);
    let title = format!("People who are not MEPs ({})", list.len());
    egui::CollapsingHeader::new(title)
        .id_salt("addressees")
        .default_open(!list.is_empty())
        .show(ui, |ui| {
            ui.label(
                RichText::new(
                    "Commissioners, ministers, a permanent representation: anyone who is not in the directory. \
                     They receive the letter with the selected MEPs.",
                )
                .small(),
            );
            ui.horizontal(|ui| {
                ui.radio_value(&mut mode, Mode::PerRecipient, "A letter to each recipient");
                ui.radio_value(&mut mode, Mode::OneLetter, "One letter to all, with To and Cc")
                    .on_hover_text("An open letter: one text naming every recipient, sent to each of them");
            });
            let mut remove = None;
            egui::Grid::new("addressee-grid")
                .num_columns(6)
                .spacing([6.0, 4.0])
                .show(ui, |ui| {
                    if !list.is_empty() {
                        for title in ["Title", "Name", "Role", "E-mail", "Cc", ""] {
                            ui.strong(title);
                        }
                        ui.end_row();
                    }
                    for (i, a) in list.iter_mut().enumerate() {
                        if addressee_row(ui, i, a) {
                            remove = Some(i);
                        }
                        ui.end_row();
                    }
                });
            if let Some(i) = remove {
                list.remove(i);
            }
            if ui.button("Add a person who is not an MEP").clicked() {
                list.push(Addressee::default());
            }
        });
    if (list.clone(), mode) != before
        && let Some(doc) = doc.as_mut()
    {
        doc.composer.campaign.recipients.mode = mode;
        doc.composer.set_addressees(list);
        doc.touch();
    }
}

/// One addressee's fields in the grid; true when "Remove" was clicked.
fn addressee_row(ui: &mut egui::Ui, i: usize, a: &mut Addressee) -> bool {
    let n = i + 1;
    field(
        ui,
        &mut a.title,
        "Executive Vice-President",
        150.0,
        &format!("Title {n}"),
    );
    field(ui, &mut a.name, "Name", 150.0, &format!("Name {n}"));
    field(ui, &mut a.role, "European Commission", 150.0, &format!("Role {n}"));
    ui.horizontal(|ui| {
        field(ui, &mut a.email, "name@example.org", 170.0, &format!("E-mail {n}"));
        let email = a.email.trim();
        if email.is_empty() {
            ui.label(RichText::new("no e-mail").color(ui.visuals().warn_fg_color))
                .on_hover_text("Without an address this person gets a PDF or Word letter, not an e-mail");
        } else if !crate::deliver::address::is_address(email) {
            ui.label(RichText::new("not an address").color(ui.visuals().error_fg_color))
                .on_hover_text("An e-mail address looks like name@example.org");
        }
    });
    ui.checkbox(&mut a.cc, "")
        .on_hover_text("In a letter to all: listed under Cc instead of To");
    ui.small_button("Remove").on_hover_text("Remove this person").clicked()
}

/// A one-line text field with a hint, named for screen readers.
fn field(ui: &mut egui::Ui, text: &mut String, hint: &str, width: f32, name: &str) {
    let response = ui.add(egui::TextEdit::singleline(text).hint_text(hint).desired_width(width));
    let name = name.to_owned();
    response.widget_info(move || egui::WidgetInfo::labeled(egui::Role::TextInput, true, &name));
}
