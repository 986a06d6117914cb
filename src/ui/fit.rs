//! Whether what the app drew fits the room it had: each panel's content
//! against the panel, and each window, popup and modal against the screen.
//!
//! The app notes every frame's misfits here; the layout test reads them at
//! 1024×700, the smallest window the app is made for, so a panel that cuts
//! its content off (a button out of sight, a line cut mid-word) fails a test
//! instead of reaching a user. Also noted: a panel squeezed below the width
//! it needs (`at_least`), a dialog taller than the window (a widget of it
//! past the window's top or bottom edge), and a widget that moved under the
//! pointer in a frame without input (a combo or button that jumps away
//! after a choice, so the next click lands on something else). Cheap: a few
//! rectangle comparisons a frame.

use eframe::egui;

/// One place whose content did not fit, in the last frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Misfit {
    /// The panel ("editor", "preview", …) or, for a window, its title or
    /// the id egui gave it.
    pub place: String,
    /// What was drawn and the room it had, in points.
    pub drawn: egui::Rect,
    pub room: egui::Rect,
}

impl std::fmt::Display for Misfit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: drawn {:.0}×{:.0} at ({:.0}, {:.0}), room {:.0}×{:.0} at ({:.0}, {:.0})",
            self.place,
            self.drawn.width(),
            self.drawn.height(),
            self.drawn.left(),
            self.drawn.top(),
            self.room.width(),
            self.room.height(),
            self.room.left(),
            self.room.top()
        )
    }
}

/// The misfits of the frame being drawn and of the last whole one.
#[derive(Debug, Default)]
pub struct Fit {
    drawing: Vec<Misfit>,
    last: Vec<Misfit>,
    /// The widgets under the pointer at the end of the last frame, and for
    /// how many frames each has stayed where it is.
    under_pointer: Vec<(egui::Id, egui::Rect, u32)>,
    /// Widgets that moved under the pointer: kept (a few), since the move
    /// happens in one frame of many while background work finishes.
    moved: Vec<Misfit>,
    /// The user's last input was a click of the pointer (not a key, text
    /// or an assistive technology's action): the pointer is where their
    /// next click goes.
    clicked_last: bool,
}

/// At most this many moves under the pointer are kept.
const MOVES_KEPT: usize = 16;

/// Half a point of slack: rounding of panel edges is not a misfit.
const SLACK: f32 = 0.5;

/// A window's own frame widgets reach a point past its clip rect.
const FRAME: f32 = 2.0;

/// A window's resize edges reach a few points past the window.
const EDGE: f32 = 4.0;

impl Fit {
    /// The room a panel has, taken before anything is drawn in it.
    pub fn room(ui: &egui::Ui) -> egui::Rect {
        ui.max_rect()
    }

    /// After drawing into `ui`: notes the panel if its content reached past
    /// the sides of the room it had (a panel that scrolls sideways is not
    /// measured; its content may be wider by design).
    pub fn panel(&mut self, place: &str, room: egui::Rect, ui: &egui::Ui) {
        let drawn = ui.min_rect();
        if drawn.right() > room.right() + SLACK || drawn.left() < room.left() - SLACK {
            self.drawing.push(Misfit {
                place: place.to_owned(),
                drawn,
                room,
            });
        }
    }

    /// Notes the panel if the room it has is narrower than `min_width`
    /// (another panel or its content squeezed it).
    pub fn at_least(&mut self, place: &str, room: egui::Rect, min_width: f32) {
        if room.width() < min_width - SLACK {
            self.drawing.push(Misfit {
                place: format!("{place} (narrower than {min_width:.0})"),
                drawn: room,
                room: egui::Rect::from_min_size(room.min, egui::vec2(min_width, room.height())),
            });
        }
    }

    /// Ends the frame: windows, modals and popups that reach past the
    /// screen, or that cut off a widget at their sides, are noted, and the
    /// frame's misfits become the last ones.
    pub fn end_frame(&mut self, ctx: &egui::Context) {
        self.note_cut_off(ctx);
        self.note_past_the_edges(ctx);
        self.note_moved_under_pointer(ctx);
        self.drawing.extend(self.moved.iter().cloned());
        // One misfit a place is enough to find it.
        self.drawing.sort_by(|a, b| a.place.cmp(&b.place));
        self.drawing.dedup_by(|a, b| a.place == b.place);
        self.last = std::mem::take(&mut self.drawing);
    }

    /// A dialog taller (or wider) than the window: a widget of a window,
    /// popup or modal that is shown (not scrolled out of sight) but reaches
    /// past the window's edge, where nobody sees or reaches it.
    fn note_past_the_edges(&mut self, ctx: &egui::Context) {
        let screen = ctx.content_rect();
        let past: Vec<Misfit> = ctx.viewport(|v| {
            v.this_pass
                .widgets
                .layers()
                .filter(|(layer, _)| layer.order != egui::Order::Background)
                .flat_map(|(layer, widgets)| widgets.iter().map(move |w| (layer, w)))
                // Controls (what senses a click), not the window's own
                // resize edges and corners, which reach past it.
                .filter(|(_, w)| {
                    w.sense.senses_click()
                        && w.interact_rect.width() > 0.0
                        && w.interact_rect.height() > 0.0
                        && (w.rect.bottom() > screen.bottom() + EDGE || w.rect.top() < screen.top() - EDGE)
                })
                .map(|(layer, w)| Misfit {
                    place: format!("a widget past the window's edge in {:?}", layer.id),
                    drawn: w.rect,
                    room: screen,
                })
                .collect()
        });
        self.drawing.extend(past);
    }

    /// A widget that was under the pointer, and had stayed where it was for
    /// two frames, is somewhere else in a frame without input after a click:
    /// the layout moved it away from under the pointer (say, after a choice
    /// in a combo), and the next click lands on whatever took its place.
    fn note_moved_under_pointer(&mut self, ctx: &egui::Context) {
        let (pointer, quiet, clicked, other) = ctx.input(|i| {
            let clicked = i.events.iter().any(|e| matches!(e, egui::Event::PointerButton { .. }));
            let other = i.events.iter().any(|e| {
                !matches!(
                    e,
                    egui::Event::PointerButton { .. } | egui::Event::PointerMoved(_) | egui::Event::MouseMoved(_)
                )
            });
            (i.pointer.latest_pos(), i.events.is_empty(), clicked, other)
        });
        if other {
            self.clicked_last = false;
        } else if clicked {
            self.clicked_last = true;
        }
        let quiet = quiet && self.clicked_last;
        let widgets: Vec<(egui::Id, egui::Rect, egui::Rect)> = ctx.viewport(|v| {
            v.this_pass
                .widgets
                .layers()
                .flat_map(|(_, widgets)| widgets.iter())
                .filter(|w| w.sense.interactive())
                .map(|w| (w.id, w.rect, w.interact_rect))
                .collect()
        });
        if quiet {
            for (id, before, frames) in &self.under_pointer {
                let moved = widgets
                    .iter()
                    .find(|(wid, _, _)| wid == id)
                    .filter(|(_, now, _)| *frames >= 2 && (now.min - before.min).length() > SLACK);
                if let Some((_, now, _)) = moved
                    && self.moved.len() < MOVES_KEPT
                {
                    self.moved.push(Misfit {
                        place: format!("a widget moved under the pointer ({id:?})"),
                        drawn: *now,
                        room: *before,
                    });
                }
            }
        }
        let previous = std::mem::take(&mut self.under_pointer);
        let Some(pointer) = pointer else { return };
        self.under_pointer = widgets
            .into_iter()
            .filter(|(_, _, seen)| seen.contains(pointer))
            .map(|(id, rect, _)| {
                let frames = previous
                    .iter()
                    .find(|(pid, prect, _)| *pid == id && *prect == rect)
                    .map_or(1, |(_, _, f)| f + 1);
                (id, rect, frames)
            })
            .collect();
    }

    /// Windows, modals and popups that reach past the screen, or that cut
    /// off a widget at their sides.
    fn note_cut_off(&mut self, ctx: &egui::Context) {
        let screen = ctx.content_rect();
        let outside: Vec<Misfit> = ctx.memory(|m| {
            m.areas()
                .visible_layer_ids()
                .into_iter()
                .filter(|layer| layer.order != egui::Order::Background)
                .filter_map(|layer| Some((layer, m.area_rect(layer.id)?)))
                .filter(|(_, rect)| !screen.expand(SLACK).contains_rect(*rect))
                .map(|(layer, drawn)| Misfit {
                    place: format!("window {:?}", layer.id),
                    drawn,
                    room: screen,
                })
                .collect()
        });
        self.drawing.extend(outside);
        // Inside windows: a widget whose sides the window clips (a window
        // does not scroll sideways; the main panels are measured by
        // `panel`, since the recipients table scrolls sideways by design).
        let cut: Vec<Misfit> = ctx.viewport(|v| {
            v.this_pass
                .widgets
                .layers()
                .filter(|(layer, _)| layer.order != egui::Order::Background)
                .flat_map(|(layer, widgets)| widgets.iter().map(move |w| (layer, w)))
                .filter(|(_, w)| {
                    let seen = w.interact_rect;
                    seen.width() > 0.0
                        && seen.height() > 0.0
                        && (w.rect.right() > seen.right() + FRAME || w.rect.left() < seen.left() - FRAME)
                })
                .map(|(layer, w)| Misfit {
                    place: format!("a widget in window {:?}", layer.id),
                    drawn: w.rect,
                    room: w.interact_rect,
                })
                .collect()
        });
        self.drawing.extend(cut);
    }

    /// The misfits of the last whole frame, and the widgets that moved
    /// under the pointer in any frame so far.
    pub fn misfits(&self) -> &[Misfit] {
        &self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One frame of a 400×300 screen drawn by `draw`; the misfits it left.
    fn misfits_of(draw: impl Fn(&mut egui::Ui, &mut Fit)) -> Vec<Misfit> {
        let ctx = egui::Context::default();
        let mut fit = Fit::default();
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(400.0, 300.0))),
            ..Default::default()
        };
        // Two frames: windows size themselves in the first.
        for _ in 0..2 {
            let mut output = ctx.run_ui(input(), |ui| {
                draw(ui, &mut fit);
                fit.end_frame(ui.ctx());
            });
            output.textures_delta.clear();
        }
        fit.misfits().to_vec()
    }

    fn panel_with(label: impl Fn() -> egui::Label) -> Vec<Misfit> {
        misfits_of(|ui, fit| {
            egui::CentralPanel::default().show(ui, |ui| {
                let room = Fit::room(ui);
                ui.add(label());
                fit.panel("central", room, ui);
            });
        })
    }

    #[test]
    fn a_line_wider_than_its_panel_is_a_misfit_and_a_wrapped_one_is_not() {
        let long = "a long line of words that does not fit ".repeat(10);
        let cut = panel_with(|| egui::Label::new(&long).extend());
        assert_eq!(cut.len(), 1, "{cut:?}");
        assert_eq!(cut[0].place, "central");
        assert!(cut[0].drawn.width() > 1000.0, "{}", cut[0]);
        assert!(panel_with(|| egui::Label::new(&long).wrap()).is_empty());
    }

    #[test]
    fn a_window_wider_than_the_screen_is_a_misfit() {
        // egui keeps a window on the screen while it can; one wider than
        // the screen cannot be.
        let dialog = |text: &'static str| {
            misfits_of(move |ui, _| {
                egui::Window::new("Dialog")
                    .default_pos(egui::pos2(20.0, 20.0))
                    .show(ui.ctx(), |ui| ui.add(egui::Label::new(text).extend()));
            })
        };
        let fits = dialog("Some text in a dialog");
        assert!(fits.is_empty(), "{fits:?}");
        let past = dialog(
            "A line in a dialog that is much, much wider than the small screen of four hundred points it is shown on",
        );
        let places: Vec<&str> = past.iter().map(|m| m.place.as_str()).collect();
        assert_eq!(
            places,
            [
                "a widget in window Id::unique(Some(\"Dialog\"))",
                "window Id::unique(Some(\"Dialog\"))"
            ]
        );
    }

    #[test]
    fn a_panel_squeezed_below_its_minimum_is_a_misfit() {
        let squeezed = |min: f32| {
            misfits_of(move |ui, fit| {
                egui::Panel::left("side")
                    .exact_size(300.0)
                    .resizable(false)
                    .show(ui, |ui| {
                        ui.label("side");
                    });
                egui::CentralPanel::default().show(ui, |ui| {
                    let room = Fit::room(ui);
                    fit.at_least("preview", room, min);
                });
            })
        };
        let cut = squeezed(200.0);
        assert_eq!(cut.len(), 1, "{cut:?}");
        assert_eq!(cut[0].place, "preview (narrower than 200)");
        assert!(squeezed(50.0).is_empty());
    }

    #[test]
    fn a_dialog_taller_than_the_window_is_a_misfit_and_one_that_scrolls_is_not() {
        let dialog = |scroll: bool| {
            misfits_of(move |ui, _| {
                let buttons = |ui: &mut egui::Ui| {
                    for i in 0..40 {
                        let _ = ui.button(format!("Button {i}"));
                    }
                };
                egui::Window::new("Tall")
                    .default_pos(egui::pos2(20.0, 20.0))
                    .show(ui.ctx(), |ui| {
                        if scroll {
                            egui::ScrollArea::vertical().max_height(200.0).show(ui, buttons);
                        } else {
                            buttons(ui);
                        }
                    });
            })
        };
        let tall = dialog(false);
        assert!(
            tall.iter()
                .any(|m| m.place.starts_with("a widget past the window's edge")),
            "{tall:?}"
        );
        let scrolls = dialog(true);
        assert!(scrolls.is_empty(), "{scrolls:?}");
    }

    /// Frames of a 400×300 screen with the pointer on (60, 40); `shifted`
    /// from frame `from` on moves the button down, in a frame with input
    /// (a key) or without.
    fn pointer_frames(from: usize, with_input: bool) -> Vec<Misfit> {
        let ctx = egui::Context::default();
        let mut fit = Fit::default();
        for frame in 0..6 {
            let mut events = Vec::new();
            if frame == 0 {
                // A click on the button: the pointer rests on it.
                events.push(egui::Event::PointerMoved(egui::pos2(60.0, 40.0)));
                for pressed in [true, false] {
                    events.push(egui::Event::PointerButton {
                        pos: egui::pos2(60.0, 40.0),
                        button: egui::PointerButton::Primary,
                        pressed,
                        modifiers: egui::Modifiers::NONE,
                    });
                }
            }
            if frame == from && with_input {
                events.push(egui::Event::Key {
                    key: egui::Key::A,
                    physical_key: None,
                    pressed: true,
                    repeat: false,
                    modifiers: egui::Modifiers::NONE,
                });
            }
            let input = egui::RawInput {
                screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(400.0, 300.0))),
                events,
                ..Default::default()
            };
            let mut output = ctx.run_ui(input, |ui| {
                egui::CentralPanel::default().show(ui, |ui| {
                    if frame >= from {
                        ui.add_space(60.0);
                    }
                    let _ = ui.add_sized([200.0, 60.0], egui::Button::new("Office hours"));
                });
                fit.end_frame(ui.ctx());
            });
            output.textures_delta.clear();
            if frame == from {
                return fit.misfits().to_vec();
            }
        }
        fit.misfits().to_vec()
    }

    #[test]
    fn a_widget_that_moves_under_the_pointer_without_input_is_a_misfit() {
        let moved = pointer_frames(4, false);
        assert_eq!(moved.len(), 1, "{moved:?}");
        assert!(
            moved[0].place.starts_with("a widget moved under the pointer"),
            "{}",
            moved[0]
        );
        // Moved by what the user did in that frame (a key): not noted.
        assert!(pointer_frames(4, true).is_empty());
        // Never moved: nothing.
        assert!(pointer_frames(10, false).is_empty());
    }
}
