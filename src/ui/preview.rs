//! The live preview: the letter IR drawn with egui, as the letter or as the
//! e-mail's text part; `Preview`, the panel that owns the letter composed
//! for the recipient shown and the PDF made of it.

use std::path::PathBuf;

use chrono::NaiveDate;
use eframe::egui::{self, Color32, FontId, RichText, TextFormat, text::LayoutJob};

use super::jobs::Job;
use super::state::Doc;
use crate::directory::Mep;
use crate::letter::{Block, Inline, Letter};
use crate::render;

/// The preview's state: the letter for the recipient shown, composed when
/// the campaign or the recipient changed.
#[derive(Default)]
pub struct Preview {
    letter: Option<Result<Letter, String>>,
    /// The last letter that could be composed, for this recipient: shown
    /// under an error while the user types (a citation half typed).
    last_good: Option<(String, Letter)>,
    email_text: String,
    /// (generation, recipient id) the letter was composed for.
    made_for: Option<(u64, String)>,
    as_email: bool,
    /// "Open as PDF": the PDF being made.
    pdf: Option<Job<Result<PathBuf, String>>>,
    /// The page view (`ui::pages`).
    pub(super) pages: super::pages::PagesPanel,
}

/// What the user asked of the rest of the app in the preview.
pub(super) enum Asked {
    /// Show the letter to this recipient (the focused one of the
    /// recipients tab).
    Focus(String),
    /// A message for the status bar; true for a problem.
    Status(String, bool),
    /// The pages were shown (true) or the text: the settings remember it.
    PageView(bool),
}

/// What the preview is lent: the campaign, its recipients in letter order,
/// the one shown, and where the PDF goes.
pub(super) struct Lent<'a> {
    pub doc: &'a Doc,
    pub all: &'a [&'a Mep],
    pub shown: Option<&'a Mep>,
    /// The recipient focused in the recipients tab, if any.
    pub focused: Option<&'a str>,
    pub pdf_folder: PathBuf,
    /// The export's paper is US Letter (the page view lays out on it).
    pub us_letter: bool,
}

impl Preview {
    /// Every frame: the page view as the user left it (`page_view`, from
    /// the settings), and its job's news.
    pub fn pages_frame(&mut self, ctx: &egui::Context, page_view: bool) {
        if !std::mem::replace(&mut self.pages.restored, true) {
            self.pages.on = page_view;
        }
        self.pages.poll(ctx);
    }

    pub fn busy(&self) -> bool {
        self.pdf.is_some() || self.pages.busy()
    }

    /// (generation, recipient id) the letter shown was composed for.
    pub(super) fn made_for(&self) -> Option<&(u64, String)> {
        self.made_for.as_ref()
    }

    /// The letter shown, or why it could not be composed.
    pub fn letter(&self) -> Option<&Result<Letter, String>> {
        self.letter.as_ref()
    }

    /// Compose the letter again with the next frame (the campaign's
    /// sources, the directory or the recipients changed without an edit).
    pub fn recompose(&mut self) {
        self.made_for = None;
    }

    /// Another campaign: nothing of the last one is shown.
    pub fn forget(&mut self, clear: bool) {
        self.made_for = None;
        self.last_good = None;
        if clear {
            self.letter = None;
        }
    }

    /// The last good letter to `shown`, for under an error.
    pub fn last_good(&self, shown: Option<&Mep>) -> Option<&Letter> {
        let (id, letter) = self.last_good.as_ref()?;
        (shown?.id == *id).then_some(letter)
    }

    /// Composes the letter to `shown` again when the campaign or the
    /// recipient changed; `all` numbers the letters.
    pub fn update(&mut self, doc: &Doc, shown: Option<&Mep>, all: &[&Mep], today: NaiveDate) {
        let Some(mep) = shown else {
            self.letter = None;
            return;
        };
        let key = (doc.generation, mep.id.clone());
        if self.made_for.as_ref() == Some(&key) {
            return;
        }
        let index = all.iter().position(|m| m.id == mep.id).unwrap_or(0);
        let result = doc
            .composer
            .letter_to_all(mep, index, today, all)
            .map_err(|e| e.to_string());
        self.email_text = match &result {
            Ok(letter) => crate::render::text::render(letter),
            Err(_) => String::new(),
        };
        if let Ok(letter) = &result {
            self.last_good = Some((key.1.clone(), letter.clone()));
        }
        self.letter = Some(result);
        self.made_for = Some(key);
    }

    /// Draws the preview: whom it is for, the letter or its e-mail text,
    /// "Open as PDF". Returns what the user asked of the app.
    pub fn ui(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>) -> Vec<Asked> {
        let mut asked: Vec<Asked> = self.poll().into_iter().collect();
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("Preview for");
            let current = lent.shown.map(Mep::display_name).unwrap_or_default();
            let _ = egui::ComboBox::from_id_salt("Preview for")
                .selected_text(current)
                .width(220.0)
                .show_ui(ui, |ui| {
                    for m in lent.all {
                        if ui
                            .selectable_label(lent.focused == Some(m.id.as_str()), m.display_name())
                            .clicked()
                        {
                            asked.push(Asked::Focus(m.id.clone()));
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            for (as_email, pages, label) in [
                (false, false, "Letter"),
                (true, false, "E-mail text"),
                (false, true, "Pages"),
            ] {
                let on = self.as_email == as_email && self.pages.on == pages;
                if ui.selectable_label(on, label).clicked() {
                    (self.as_email, self.pages.on) = (as_email, pages);
                    asked.push(Asked::PageView(pages));
                }
            }
            let busy = self.pdf.is_some();
            if ui.add_enabled(!busy, egui::Button::new("Open as PDF")).clicked() {
                asked.extend(self.open_pdf(ui.ctx(), lent));
            }
            if busy {
                ui.spinner();
            }
        });
        ui.separator();
        if lent.all.is_empty() && lent.focused.is_none() {
            super::recipients::no_recipients(ui);
            return asked;
        }
        if self.pages.on {
            self.pages_view(ui, lent);
            return asked;
        }
        egui::ScrollArea::vertical()
            .id_salt("preview-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width().min(720.0));
                if let Some(Ok(letter)) = &self.letter
                    && let Some(note) = &letter.meta.language_note
                {
                    ui.label(RichText::new(format!("This letter is {note}.")).color(ui.visuals().warn_fg_color));
                }
                match &self.letter {
                    Some(Ok(_)) if self.as_email => email_text(ui, &self.email_text),
                    Some(Ok(letter)) => self::letter(ui, letter),
                    Some(Err(e)) => {
                        problem(ui, &format!("The letter cannot be shown: {e}"));
                        if let Some(letter) = self.last_good(lent.shown) {
                            self::letter(ui, letter);
                        }
                    }
                    None => {}
                }
            });
        asked
    }

    /// The page view of the letter shown (the last good one while the
    /// letter cannot be composed, under the reason).
    fn pages_view(&mut self, ui: &mut egui::Ui, lent: &Lent<'_>) {
        if let Some(Err(e)) = &self.letter {
            problem(ui, &format!("The letter cannot be shown: {e}"));
        }
        let letter = match &self.letter {
            Some(Ok(letter)) => self.made_for.clone().map(|key| (letter, key)),
            _ => None,
        };
        let source = letter.map(|(letter, letter_key)| super::pages::PageSource {
            letter,
            letter_key,
            paper: if lent.us_letter {
                crate::render::pdf::Paper::UsLetter
            } else {
                crate::render::pdf::Paper::A4
            },
            logo: crate::deliver::export::logo_path(&lent.doc.composer),
        });
        self.pages.ui(ui, source.as_ref());
    }

    /// The volunteer's letter beside their steps.
    pub fn volunteer_letter(&self, ui: &mut egui::Ui, shown: Option<&Mep>) {
        ui.label(RichText::new("Your letter").strong());
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("volunteer-letter")
            .auto_shrink([false, false])
            .show(ui, |ui| match &self.letter {
                Some(Ok(letter)) => self::letter(ui, letter),
                Some(Err(e)) => {
                    problem(ui, &format!("The letter cannot be shown: {e}"));
                    if let Some(letter) = self.last_good(shown) {
                        self::letter(ui, letter);
                    }
                }
                None => {
                    ui.label("Your letter shows here once you have chosen your MEPs.");
                }
            });
    }

    /// Makes the PDF of the letter shown on a job, opened when done.
    fn open_pdf(&mut self, ctx: &egui::Context, lent: &Lent<'_>) -> Option<Asked> {
        let Some(Ok(letter)) = self.letter.clone() else {
            return Some(Asked::Status(
                "Fix the problems shown first: there is no letter to make a PDF of.".to_owned(),
                true,
            ));
        };
        let logo = crate::deliver::export::logo_path(&lent.doc.composer);
        let out = lent.pdf_folder.clone();
        self.pdf = Some(Job::spawn("hemicycle-pdf-preview", ctx, move |_| {
            let logo = logo.map(|l| crate::deliver::export::read_logo(&l)).transpose()?;
            let settings = crate::render::pdf::PdfSettings {
                logo,
                ..Default::default()
            };
            let bytes = crate::render::pdf::render(&letter, &settings).map_err(|e| e.to_string())?;
            let file = out.join("letter-preview.pdf");
            crate::store::write_atomic(&file, &bytes, "the PDF preview").map_err(|e| e.to_string())?;
            Ok(file)
        }));
        None
    }

    /// The PDF made: opened in the system's viewer.
    fn poll(&mut self) -> Option<Asked> {
        let result = self.pdf.as_mut()?.poll_result()?;
        self.pdf = None;
        match result {
            Ok(path) => super::dialogs::open_in_system(&path).err().map(|e| {
                Asked::Status(
                    format!("The PDF is at {}, but no viewer opened: {e}", path.display()),
                    true,
                )
            }),
            Err(e) => Some(Asked::Status(format!("The PDF could not be made: {e}"), true)),
        }
    }
}

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
