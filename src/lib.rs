//! Hemicycle: write, cite, export and send campaign letters to Members of the
//! European Parliament.
//!
//! The library holds everything that can be tested without a window; see
//! `ARCHITECTURE.md` for the modules and what each may depend on. Only `ui`
//! imports egui.

pub mod cli;
pub mod directory;
pub mod store;
pub mod ui;

/// The application's name as users see it.
pub const APP_NAME: &str = "Hemicycle";
