//! The live preview: the letter IR drawn with egui, as the letter or as the
//! e-mail's text part.

use eframe::egui::{self, Color32, FontId, RichText, TextFormat, text::LayoutJob};

use crate::letter::{Block, Inline, Letter};
use crate::render;

/// Draws the whole letter.
pub fn letter(ui: &mut egui::Ui, letter: &Letter) {
    let meta = &letter.meta;
    let labels = &meta.labels;
    let weak = ui.visuals().weak_text_color();
    if !meta.sender.name.is_empty() {
        ui.label(RichText::new(&meta.sender.name).strong().size(16.0));
        let mut lines = meta.sender.address.clone();
        lines.extend([meta.sender.website.clone(), meta.sender.email.clone()]);
        lines.retain(|l| !l.trim().is_empty());
        if !lines.is_empty() {
            ui.label(RichText::new(lines.join(" · ")).color(weak).small());
        }
        ui.separator();
    }
    if !meta.recipients_to.is_empty() {
        ui.label(format!("{}: {}", labels.to, meta.recipients_to.join("; ")));
    }
    if !meta.recipients_cc.is_empty() {
        ui.label(format!("{}: {}", labels.cc, meta.recipients_cc.join("; ")));
    }
    let dateline = render::dateline(meta);
    if !dateline.is_empty() {
        ui.label(dateline);
    }
    if !meta.reference.is_empty() {
        ui.label(RichText::new(format!("{}: {}", labels.reference, meta.reference)).color(weak));
    }
    if render::shows_subject(letter) {
        ui.label(RichText::new(format!("{}: {}", labels.subject, meta.subject)).strong());
    }
    ui.add_space(8.0);
    blocks(ui, &letter.blocks, 0);
    if !letter.notes.is_empty() {
        ui.add_space(10.0);
        ui.separator();
        ui.label(RichText::new(&labels.notes).strong());
        for note in &letter.notes {
            let mut job = LayoutJob::default();
            append(
                ui,
                &mut job,
                &[Inline::text(format!("{}. ", note.number))],
                Style::small(),
            );
            append(ui, &mut job, &note.inlines, Style::small());
            ui.add(egui::Label::new(job).wrap());
        }
    }
}

fn blocks(ui: &mut egui::Ui, list: &[Block], depth: usize) {
    for block in list {
        match block {
            Block::Heading { level, inlines } => {
                let size = match level {
                    1 => 20.0,
                    2 => 17.0,
                    _ => 15.0,
                };
                let mut job = LayoutJob::default();
                append(
                    ui,
                    &mut job,
                    inlines,
                    Style {
                        size,
                        strong: true,
                        ..Style::default()
                    },
                );
                ui.add_space(4.0);
                ui.add(egui::Label::new(job).wrap());
            }
            Block::Paragraph { inlines } => {
                paragraph(ui, inlines, "");
            }
            Block::List { ordered, start, items } => {
                for (i, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}. ", *start + i as u64)
                    } else {
                        "• ".to_owned()
                    };
                    ui.horizontal_top(|ui| {
                        ui.add_space(12.0 * (f32::from(u16::try_from(depth).unwrap_or(8)) + 1.0));
                        ui.label(marker);
                        ui.vertical(|ui| blocks(ui, item, depth + 1));
                    });
                }
            }
            Block::Quote { blocks: inner } => {
                ui.horizontal_top(|ui| {
                    ui.add_space(16.0);
                    ui.vertical(|ui| blocks(ui, inner, depth));
                });
            }
            Block::Signature {
                name,
                role,
                organisation,
            } => {
                ui.add_space(18.0);
                for line in [name, role, organisation] {
                    if !line.is_empty() {
                        ui.label(line.as_str());
                    }
                }
            }
            Block::SignatoryList { groups } => {
                for g in groups {
                    if !g.heading.is_empty() {
                        ui.label(RichText::new(&g.heading).strong());
                    }
                    for n in &g.names {
                        ui.label(n.as_str());
                    }
                }
            }
            Block::Rule => {
                ui.separator();
            }
        }
    }
}

fn paragraph(ui: &mut egui::Ui, inlines: &[Inline], prefix: &str) {
    let mut job = LayoutJob::default();
    if !prefix.is_empty() {
        append(ui, &mut job, &[Inline::text(prefix)], Style::default());
    }
    append(ui, &mut job, inlines, Style::default());
    let label = ui.add(egui::Label::new(job).wrap());
    let mut urls = Vec::new();
    links(inlines, &mut urls);
    if !urls.is_empty() {
        label.on_hover_text(urls.join("\n"));
    }
    ui.add_space(4.0);
}

/// The web addresses the links of `inlines` lead to, in order.
fn links(inlines: &[Inline], out: &mut Vec<String>) {
    for inline in inlines {
        match inline {
            Inline::Link { url, children } => {
                if render::safe_url(url) && !url.starts_with("mailto:") && !out.contains(url) {
                    out.push(url.clone());
                }
                links(children, out);
            }
            Inline::Emph { children } | Inline::Strong { children } => links(children, out),
            Inline::Text { .. } | Inline::Code { .. } | Inline::NoteRef { .. } | Inline::LineBreak => {}
        }
    }
}

#[derive(Clone, Copy, Default)]
struct Style {
    size: f32,
    strong: bool,
    italics: bool,
    link: bool,
}

impl Style {
    fn small() -> Self {
        Self {
            size: 12.0,
            ..Self::default()
        }
    }
}

fn append(ui: &egui::Ui, job: &mut LayoutJob, inlines: &[Inline], style: Style) {
    let size = if style.size > 0.0 { style.size } else { 14.0 };
    let visuals = ui.visuals();
    let format = |style: Style, raised: bool| {
        let color = if style.link {
            visuals.hyperlink_color
        } else if style.strong {
            visuals.strong_text_color()
        } else {
            visuals.text_color()
        };
        TextFormat {
            font_id: FontId::proportional(if raised { size * 0.7 } else { size }),
            color,
            italics: style.italics,
            underline: if style.link {
                egui::Stroke::new(1.0, color)
            } else {
                egui::Stroke::NONE
            },
            valign: if raised { egui::Align::TOP } else { egui::Align::BOTTOM },
            ..TextFormat::default()
        }
    };
    for inline in inlines {
        match inline {
            Inline::Text { text } => job.append(text, 0.0, format(style, false)),
            Inline::Code { text } => {
                let mut f = format(style, false);
                f.font_id = FontId::monospace(size * 0.9);
                job.append(text, 0.0, f);
            }
            Inline::Emph { children } => append(ui, job, children, Style { italics: true, ..style }),
            Inline::Strong { children } => append(ui, job, children, Style { strong: true, ..style }),
            // On screen a link is its text, underlined; where it leads is
            // said when the pointer rests on the paragraph (`links`). (Print
            // and the e-mail's text part add the address after the text.)
            Inline::Link { url, children } => {
                let safe = render::safe_url(url);
                append(ui, job, children, Style { link: safe, ..style });
            }
            Inline::NoteRef { number } => {
                let mut f = format(style, true);
                f.color = visuals.hyperlink_color;
                job.append(&number.to_string(), 0.0, f);
            }
            Inline::LineBreak => job.append("\n", 0.0, format(style, false)),
        }
    }
}

/// The e-mail's text part, as the recipient's mail program shows it.
pub fn email_text(ui: &mut egui::Ui, text: &str) {
    ui.add(
        egui::Label::new(RichText::new(text).monospace().color(ui.visuals().text_color()))
            .wrap_mode(egui::TextWrapMode::Wrap),
    );
}

/// A problem shown next to the editor.
pub fn problem(ui: &mut egui::Ui, text: &str) {
    egui::Frame::new()
        .fill(ui.visuals().error_fg_color.gamma_multiply(0.12))
        .stroke(egui::Stroke::new(1.0, ui.visuals().error_fg_color))
        .corner_radius(4.0)
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.horizontal_top(|ui| {
                ui.label(RichText::new("⚠").color(ui.visuals().error_fg_color));
                // Template errors quote the line with a caret under the column:
                // keep them aligned.
                let mut rich = RichText::new(text).color(ui.visuals().text_color());
                if text.contains("\n    ") {
                    rich = rich.monospace();
                }
                ui.add(egui::Label::new(rich).wrap());
            });
        });
}

/// A notice that is not an error.
pub fn notice(ui: &mut egui::Ui, text: &str) {
    ui.label(RichText::new(text).color(Color32::from_rgb(0x9a, 0x6a, 0x00)));
}
