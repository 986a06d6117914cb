//! Hemicycle: write, cite, export and send campaign letters to Members of the
//! European Parliament.
//!
//! The library holds everything that can be tested without a window; see
//! `ARCHITECTURE.md` for the modules and what each may depend on. Only `ui`
//! imports egui.

pub mod campaign;
pub mod cite;
pub mod cli;
pub mod compose;
pub mod deliver;
pub mod directory;
pub mod inline;
pub mod kit;
pub mod language;
pub mod letter;
pub mod render;
pub mod responses;
pub mod store;
pub mod tomledit;
pub mod translate;
pub mod ui;
pub mod util;
pub mod votes;

/// The application's name as users see it.
pub const APP_NAME: &str = "Hemicycle";
