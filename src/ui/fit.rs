//! Whether what the app drew fits the room it had: each panel's content
//! against the panel, and each window, popup and modal against the screen.
//!
//! The app notes every frame's misfits here; the layout test reads them at
//! 1024×700, the smallest window the app is made for, so a panel that cuts
//! its content off (a button out of sight, a line cut mid-word) fails a test
//! instead of reaching a user. Cheap: a few rectangle comparisons a frame.

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
}

/// Half a point of slack: rounding of panel edges is not a misfit.
const SLACK: f32 = 0.5;

/// A window's own frame widgets reach a point past its clip rect.
const FRAME: f32 = 2.0;

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

    /// Ends the frame: windows, modals and popups that reach past the
    /// screen, or that cut off a widget at their sides, are noted, and the
    /// frame's misfits become the last ones.
    pub fn end_frame(&mut self, ctx: &egui::Context) {
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
        // One misfit a place is enough to find it.
        self.drawing.sort_by(|a, b| a.place.cmp(&b.place));
        self.drawing.dedup_by(|a, b| a.place == b.place);
        self.last = std::mem::take(&mut self.drawing);
    }

    /// The misfits of the last whole frame.
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
}
