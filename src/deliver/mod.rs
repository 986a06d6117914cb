//! Deliver: export letters to files. (Sending over SMTP comes here too.)

pub mod export;
pub mod names;

pub use export::{ExportError, ExportOptions, ExportReport, Format, Progress, export};
