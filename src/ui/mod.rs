//! The desktop app. The only module that imports egui.

use eframe::egui;

use crate::directory::{self, Directory};
use crate::store::Paths;

/// Opens the main window and runs until it is closed.
pub fn run() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(crate::APP_NAME)
            .with_app_id("eu.hemicycle.Hemicycle")
            .with_inner_size([1100.0, 720.0])
            .with_min_inner_size([640.0, 420.0]),
        ..Default::default()
    };
    eframe::run_native(crate::APP_NAME, options, Box::new(|_cc| Ok(Box::new(App::load()))))
}

/// The app's state.
pub struct App {
    directory: Result<Directory, String>,
}

impl App {
    /// Loads the directory in use (bundled, or the user's refreshed copy).
    pub fn load() -> Self {
        let paths = Paths::discover();
        let directory = directory::load_active(paths.as_ref(), None)
            .map(|(dir, _, _)| dir)
            .map_err(|e| e.to_string());
        Self { directory }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(crate::APP_NAME);
            match &self.directory {
                Ok(dir) => {
                    ui.label(format!(
                        "{} MEPs in the directory (data of {}).",
                        dir.meps.len(),
                        dir.snapshot_date
                    ));
                    ui.add_space(8.0);
                    ui.label("Sources:");
                    for s in &dir.sources {
                        ui.label(format!("• {}: {}", s.provided, s.publisher));
                    }
                }
                Err(e) => {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!("The MEP directory could not be loaded: {e}"),
                    );
                }
            }
        });
    }
}
