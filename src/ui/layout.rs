//! Campaign → Layout…: the campaign's `[layout]` options (one control per
//! row of `compose::options::OPTIONS`, each showing the genre's default),
//! the sections it adds before or after a block (`[blocks.NAME]` with a
//! heading and text) and its groups of demands (`[[demand_groups]]`).
//!
//! Every change edits the open campaign in memory, as the editor does
//! (`Doc::touch`: unsaved, undoable, the preview composes again); nothing
//! is written until the user saves. A change of which blocks the letter
//! has asks the app to read the campaign's blocks again
//! (`Asked::ReadBlocksAgain`).

use eframe::egui::{self, RichText};
use toml::Value;

use super::state::Doc;
use crate::campaign::{BlockSetting, DemandGroup, DemandStyle, InsertedBlock};
use crate::compose::additions;
use crate::compose::options::{self, Kind, LayoutOption};

/// What the panel asks of the app, carried out after the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// Sections were added, removed or moved: the composer reads the
    /// campaign's blocks again.
    ReadBlocksAgain,
}

/// The Layout window and what it keeps between frames.
#[derive(Default)]
pub struct LayoutPanel {
    pub open: bool,
    /// Why the last change could not be made (a value refused, a section's
    /// text that is no template).
    problem: Option<String>,
    /// The window's place and size and its content's size in the last
    /// frame: while either changes (a window grows to its content a frame
    /// later), another frame is asked for, so that an idle app does not
    /// leave it cut off (found in a real window).
    last_size: Option<(egui::Rect, egui::Vec2)>,
}

/// What a section's controls changed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SectionEdit {
    /// Its heading (data only).
    Heading,
    /// Its text (registered again).
    Text,
    /// Where it goes: the blocks are read again.
    Place,
    /// Taken out: the blocks are read again.
    Remove,
}

impl LayoutPanel {
    pub fn show(&mut self) {
        self.open = true;
    }

    /// Draws the window for the open campaign; returns what it asks.
    pub fn ui(&mut self, ctx: &egui::Context, doc: Option<&mut Doc>) -> Vec<Asked> {
        let mut asked = Vec::new();
        let Some(doc) = doc.filter(|_| self.open) else {
            return asked;
        };
        let mut open = self.open;
        let mut done = false;
        let height = (ctx.content_rect().height() - 120.0).max(200.0);
        let shown = egui::Window::new("Layout")
            .open(&mut open)
            .collapsible(false)
            .default_width(560.0)
            .max_height(height)
            .show(ctx, |ui| {
                let content = egui::ScrollArea::vertical().max_height(height - 60.0).show(ui, |ui| {
                    self.body(ui, doc, &mut asked);
                });
                ui.separator();
                done = ui.button("Done with layout").clicked();
                content.content_size
            });
        let size = shown.and_then(|s| Some((s.response.rect, s.inner?)));
        if size != self.last_size {
            ctx.request_repaint();
        }
        self.last_size = size;
        self.open = open && !done;
        asked
    }

    fn body(&mut self, ui: &mut egui::Ui, doc: &mut Doc, asked: &mut Vec<Asked>) {
        if let Some(p) = &self.problem {
            super::preview::problem(ui, p);
        }
        ui.label(RichText::new("Options").strong());
        self.options(ui, doc);
        ui.separator();
        ui.label(RichText::new("Sections added to the letter").strong());
        self.sections(ui, doc, asked);
        ui.separator();
        ui.label(RichText::new("Groups of demands").strong());
        self.groups(ui, doc);
    }

    /// One combo box per option: the genre's default, then each value.
    fn options(&mut self, ui: &mut egui::Ui, doc: &mut Doc) {
        let mut change = None;
        egui::Grid::new("layout-options").num_columns(2).show(ui, |ui| {
            for option in options::OPTIONS {
                let l = ui.label(option.label);
                if let Some(v) = option_combo(ui, option, doc, l.id) {
                    change = Some((option, v));
                }
                ui.end_row();
            }
        });
        let Some((option, Chosen(value))) = change else { return };
        match option.set(&mut doc.composer.campaign, value) {
            Ok(()) => {
                self.problem = None;
                doc.composer.clear_cache();
                doc.touch();
            }
            Err(e) => self.problem = Some(format!("{} cannot be set: {e}", option.label)),
        }
    }

    fn sections(&mut self, ui: &mut egui::Ui, doc: &mut Doc, asked: &mut Vec<Asked>) {
        let names: Vec<String> = doc
            .composer
            .campaign
            .blocks
            .iter()
            .filter(|(name, setting)| is_section(name, setting))
            .map(|(name, _)| name.clone())
            .collect();
        if names.is_empty() {
            ui.label("None: the letter has the genre's blocks only.");
        }
        let anchors = anchors(doc);
        let mut edits = Vec::new();
        for name in &names {
            let Some(BlockSetting::Insert(insert)) = doc.composer.campaign.blocks.get_mut(name) else {
                continue;
            };
            if let Some(edit) = section_card(ui, name, insert, &anchors) {
                edits.push((name.clone(), edit));
            }
        }
        if ui.button("Add a section").clicked() {
            let blocks = &doc.composer.campaign.blocks;
            let name = (1..=blocks.len() + 1)
                .map(|n| format!("section-{n}"))
                .find(|n| !blocks.contains_key(n))
                .unwrap_or_default();
            let section = InsertedBlock {
                after: "demands".to_owned(),
                heading: "New section".to_owned(),
                ..InsertedBlock::default()
            };
            doc.composer
                .campaign
                .blocks
                .insert(name.clone(), BlockSetting::Insert(section));
            edits.push((name, SectionEdit::Place));
        }
        self.apply_section_edits(doc, &edits, asked);
    }

    fn apply_section_edits(&mut self, doc: &mut Doc, edits: &[(String, SectionEdit)], asked: &mut Vec<Asked>) {
        if edits.is_empty() {
            return;
        }
        for (name, edit) in edits {
            if *edit == SectionEdit::Remove {
                take_out(&mut doc.composer.campaign.blocks, name);
                doc.composer.templates.remove(&additions::section_name(name));
            }
            // Its text is registered at once, so the letter can be made
            // while the blocks are read again.
            if matches!(edit, SectionEdit::Text | SectionEdit::Place)
                && let Some(BlockSetting::Insert(insert)) = doc.composer.campaign.blocks.get(name)
            {
                let text = insert.text.clone();
                self.problem = doc
                    .composer
                    .templates
                    .add(&additions::section_name(name), &text)
                    .err()
                    .map(|e| e.to_string());
            }
        }
        if edits
            .iter()
            .any(|(_, e)| matches!(e, SectionEdit::Place | SectionEdit::Remove))
        {
            asked.push(Asked::ReadBlocksAgain);
        }
        doc.touch();
    }

    fn groups(&mut self, ui: &mut egui::Ui, doc: &mut Doc) {
        let c = &doc.composer.campaign;
        if c.demand_groups.is_empty() {
            ui.label("One group: every demand, after the genre's intro.");
        }
        let demands: Vec<(String, String)> = doc
            .composer
            .demands
            .iter()
            .map(|d| (d.id.clone(), short(&d.title)))
            .collect();
        let mut changed = false;
        let mut remove = None;
        for i in 0..doc.composer.campaign.demand_groups.len() {
            let others: Vec<String> = doc
                .composer
                .campaign
                .demand_groups
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .flat_map(|(_, g)| g.demands.clone())
                .collect();
            let group = &mut doc.composer.campaign.demand_groups[i];
            match group_card(ui, i, group, &demands, &others) {
                Some(GroupEdit::Changed) => changed = true,
                Some(GroupEdit::Remove) => remove = Some(i),
                None => {}
            }
        }
        if let Some(i) = remove {
            doc.composer.campaign.demand_groups.remove(i);
            changed = true;
        }
        if ui.button("Add a group of demands").clicked() {
            doc.composer.campaign.demand_groups.push(DemandGroup::default());
            changed = true;
        }
        if let Err(e) = additions::check_groups(&doc.composer.campaign, &doc.composer.demands) {
            super::preview::problem(ui, &e.to_string());
        }
        if changed {
            self.problem = doc.composer.refresh_wording().err().map(|e| e.to_string());
            doc.touch();
        }
    }
}

/// Takes section `name` out of `blocks`; a section placed next to it
/// takes its place, so that it does not point at a block no longer there.
fn take_out(blocks: &mut crate::campaign::Blocks, name: &str) {
    let Some(BlockSetting::Insert(gone)) = blocks.remove(name) else {
        return;
    };
    for setting in blocks.values_mut() {
        if let BlockSetting::Insert(insert) = setting
            && (insert.after.trim() == name || insert.before.trim() == name)
        {
            insert.after.clone_from(&gone.after);
            insert.before.clone_from(&gone.before);
        }
    }
}

/// Whether `[blocks.NAME]` is a section of the campaign's own (not a
/// bundled block moved or a file).
fn is_section(name: &str, setting: &BlockSetting) -> bool {
    matches!(setting, BlockSetting::Insert(i) if i.file.is_none())
        && !crate::compose::genre::BODY_BLOCKS.iter().any(|(n, _)| *n == name)
}

/// The blocks of the campaign's template a section may go next to.
fn anchors(doc: &Doc) -> Vec<String> {
    doc.composer
        .template_name()
        .ok()
        .and_then(|n| doc.composer.templates.source(&n).map(additions::partials))
        .unwrap_or_default()
}

fn short(title: &str) -> String {
    let t = title.trim();
    if t.chars().count() > 60 {
        format!("{}…", t.chars().take(59).collect::<String>())
    } else {
        t.to_owned()
    }
}

/// What was chosen in an option's combo box: the genre's default (the
/// option unset) or a value.
#[derive(Debug, Clone, PartialEq)]
struct Chosen(Option<Value>);

/// A value's words inside "Default (…)": "Long (23 November 2026)" as
/// "long, 23 November 2026"; a word in capitals ("MEPs", "ISO") keeps them.
fn default_words(words: &str) -> String {
    let mut chars = words.chars();
    let acronym = words.chars().nth(1).is_some_and(char::is_uppercase);
    let first: String = chars
        .next()
        .map(|c| {
            if acronym {
                c.to_string()
            } else {
                c.to_lowercase().collect()
            }
        })
        .unwrap_or_default();
    let rest = chars.as_str();
    match rest.strip_suffix(')').and_then(|r| r.split_once(" (")) {
        Some((head, inner)) => format!("{first}{head}, {inner}"),
        None => format!("{first}{rest}"),
    }
}

/// The combo box of one option; `Some` when another value was chosen.
fn option_combo(ui: &mut egui::Ui, option: &LayoutOption, doc: &Doc, label: egui::Id) -> Option<Chosen> {
    let c = &doc.composer.campaign;
    let now = option.value(c);
    let default = option.default_value(c).map_or_else(String::new, |d| option.words(&d));
    let default_words = format!("Default ({})", default_words(&default));
    let values: Vec<(Value, String)> = match option.kind {
        Kind::Switch => vec![
            (Value::Boolean(true), "Shown".to_owned()),
            (Value::Boolean(false), "Left out".to_owned()),
        ],
        Kind::Choice(values) => values
            .iter()
            .map(|(v, words)| (Value::String((*v).to_owned()), (*words).to_owned()))
            .collect(),
    };
    // A switch's value in the words of its list ("Shown", not "shown").
    let shown = match (&now, option.kind) {
        (None, _) => default_words.clone(),
        (Some(v), Kind::Switch) => values
            .iter()
            .find(|(value, _)| value == v)
            .map_or_else(|| option.words(v), |(_, w)| w.clone()),
        (Some(v), Kind::Choice(_)) => option.words(v),
    };
    let mut chosen = None;
    egui::ComboBox::from_id_salt(("layout", option.key))
        .selected_text(shown)
        .width(300.0)
        .show_ui(ui, |ui| {
            if ui.selectable_label(now.is_none(), &default_words).clicked() {
                chosen = Some(Chosen(None));
            }
            for (value, words) in values {
                let on = now.as_ref() == Some(&value);
                let words = if matches!(option.kind, Kind::Switch) {
                    words
                } else {
                    option.words(&value)
                };
                if ui.selectable_label(on, words).clicked() {
                    chosen = Some(Chosen(Some(value)));
                }
            }
        })
        .response
        .labelled_by(label);
    chosen.filter(|c| c.0 != now)
}

/// One section: its heading, text and place, and a remove button.
fn section_card(ui: &mut egui::Ui, name: &str, insert: &mut InsertedBlock, anchors: &[String]) -> Option<SectionEdit> {
    let mut edit = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            let l = ui.label("Heading");
            let r = ui
                .add(egui::TextEdit::singleline(&mut insert.heading).desired_width(ui.available_width() - 150.0))
                .labelled_by(l.id);
            if r.changed() {
                edit = Some(SectionEdit::Heading);
            }
            if ui
                .button("Remove this section")
                .on_hover_text(format!("[blocks.{name}]"))
                .clicked()
            {
                edit = Some(SectionEdit::Remove);
            }
        });
        if edit == Some(SectionEdit::Remove) {
            return;
        }
        let l = ui.label("Text (Markdown; may cite sources)");
        let r = ui
            .add(
                egui::TextEdit::multiline(&mut insert.text)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        if r.changed() {
            edit = Some(SectionEdit::Text);
        }
        if place_combo(ui, name, insert, anchors) {
            edit = Some(SectionEdit::Place);
        }
    });
    edit
}

/// The section's place: after or before one of the template's blocks.
fn place_combo(ui: &mut egui::Ui, name: &str, insert: &mut InsertedBlock, anchors: &[String]) -> bool {
    let now = if insert.after.trim().is_empty() {
        format!("Before {}", insert.before.trim())
    } else {
        format!("After {}", insert.after.trim())
    };
    let mut changed = false;
    ui.horizontal(|ui| {
        let l = ui.label("Place");
        egui::ComboBox::from_id_salt(("section-place", name))
            .selected_text(now.replace('-', " "))
            .width(240.0)
            .show_ui(ui, |ui| {
                for anchor in anchors.iter().filter(|a| *a != name) {
                    for after in [true, false] {
                        let words = format!("{} {anchor}", if after { "After" } else { "Before" });
                        if ui.selectable_label(words == now, words.replace('-', " ")).clicked() && words != now {
                            (insert.after, insert.before) = if after {
                                (anchor.clone(), String::new())
                            } else {
                                (String::new(), anchor.clone())
                            };
                            changed = true;
                        }
                    }
                }
            })
            .response
            .labelled_by(l.id);
    });
    changed
}

enum GroupEdit {
    Changed,
    Remove,
}

/// One group: its intro, its layout and its demands.
fn group_card(
    ui: &mut egui::Ui,
    i: usize,
    group: &mut DemandGroup,
    demands: &[(String, String)],
    others: &[String],
) -> Option<GroupEdit> {
    let mut edit = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("Group {}", i + 1)).strong());
            if ui.button("Remove this group").clicked() {
                edit = Some(GroupEdit::Remove);
            }
        });
        let l = ui.label(format!("Intro of group {}", i + 1));
        let mut intro = group.intro.clone().unwrap_or_default();
        let r = ui
            .add(
                egui::TextEdit::multiline(&mut intro)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        if r.changed() {
            group.intro = Some(intro).filter(|t| !t.trim().is_empty());
            edit = Some(GroupEdit::Changed);
        }
        if group_layout(ui, i, group) {
            edit = Some(GroupEdit::Changed);
        }
        ui.label(if group.demands.is_empty() {
            "Demands: every demand no other group names (or tick some)"
        } else {
            "Demands"
        });
        for (id, title) in demands {
            let mut on = group.demands.contains(id);
            let taken = others.contains(id);
            if ui.add_enabled(!taken, egui::Checkbox::new(&mut on, title)).changed() {
                if on {
                    group.demands.push(id.clone());
                } else {
                    group.demands.retain(|d| d != id);
                }
                // In the letter's order of the demands.
                group.demands.sort_by_key(|d| demands.iter().position(|(x, _)| x == d));
                edit = Some(GroupEdit::Changed);
            }
        }
    });
    edit
}

/// The group's layout: `[layout] demands`, or one of its own.
fn group_layout(ui: &mut egui::Ui, i: usize, group: &mut DemandGroup) -> bool {
    let styles = options::demand_styles();
    let name_of = |s: DemandStyle| crate::compose::genre::demand_style_name(s);
    let words = |s: DemandStyle| {
        styles
            .iter()
            .find(|(v, _)| *v == name_of(s))
            .map_or(name_of(s), |(_, w)| *w)
    };
    let label = format!("Layout of group {}", i + 1);
    let shown = group.layout.map_or("As the other demands", words);
    let mut changed = false;
    ui.horizontal(|ui| {
        let l = ui.label(&label);
        egui::ComboBox::from_id_salt(("group-layout", i))
            .selected_text(shown)
            .width(240.0)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(group.layout.is_none(), "As the other demands")
                    .clicked()
                {
                    group.layout = None;
                    changed = true;
                }
                for (value, w) in styles {
                    let style: Option<DemandStyle> = Value::String((*value).to_owned()).try_into().ok();
                    if ui
                        .selectable_label(group.layout == style && style.is_some(), *w)
                        .clicked()
                    {
                        group.layout = style;
                        changed = true;
                    }
                }
            })
            .response
            .labelled_by(l.id);
    });
    changed
}

#[cfg(test)]
mod tests {
    use super::default_words;

    #[test]
    fn default_words_lower_the_first_letter_but_not_a_word_in_capitals() {
        assert_eq!(default_words("Long (23 November 2026)"), "long, 23 November 2026");
        assert_eq!(default_words("MEPs first"), "MEPs first");
        assert_eq!(default_words("ISO (2026-11-23)"), "ISO, 2026-11-23");
        assert_eq!(default_words("Shown"), "shown");
    }
}
