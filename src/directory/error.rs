//! Errors of the directory module. Each message says what is wrong, where
//! (file, record or line, field) and, where it helps, how to fix it. The file
//! or address comes last.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("could not read the file ({source}): {origin}")]
    Read {
        origin: String,
        #[source]
        source: std::io::Error,
    },

    #[error("{expected} expected, but this looks like {found}. Check that you chose the right file: {origin}")]
    WrongKind {
        expected: &'static str,
        found: String,
        origin: String,
    },

    #[error("the file is damaged at {location}: {message}. Fix or re-download it: {origin}")]
    Malformed {
        location: String,
        message: String,
        origin: String,
    },

    #[error("record {record}: {field} {problem}: {origin}")]
    Field {
        record: String,
        field: String,
        problem: String,
        origin: String,
    },

    #[error("the MEP id {id} appears twice; every MEP must be listed once: {origin}")]
    DuplicateId { id: String, origin: String },

    #[error(
        "this directory file was written by a newer Hemicycle (format {found}, this version reads up to {supported}); update Hemicycle to open it: {origin}"
    )]
    NewerVersion { found: u32, supported: u32, origin: String },

    #[error("the European Parliament's data service {problem}. The existing directory was left as it was: {url}")]
    Remote { problem: String, url: String },

    #[error("the refresh was cancelled; the existing directory was left as it was")]
    Cancelled,

    #[error(
        "the European Parliament's data service listed only {fresh} members where your directory has {current}; a list this short was probably cut off, so it was not saved. The existing directory was left as it was; try again later"
    )]
    TooFew { fresh: usize, current: usize },

    #[error(transparent)]
    Write(#[from] crate::store::WriteError),
}

impl DirectoryError {
    pub(crate) fn read(path: &Path, source: std::io::Error) -> Self {
        Self::Read {
            origin: path.display().to_string(),
            source,
        }
    }

    pub(crate) fn missing(origin: &str, record: &str, field: &str) -> Self {
        Self::Field {
            record: record.to_owned(),
            field: field.to_owned(),
            problem: "is missing".to_owned(),
            origin: origin.to_owned(),
        }
    }

    pub(crate) fn field(origin: &str, record: &str, field: &str, problem: impl Into<String>) -> Self {
        Self::Field {
            record: record.to_owned(),
            field: field.to_owned(),
            problem: problem.into(),
            origin: origin.to_owned(),
        }
    }

    pub(crate) fn malformed(origin: &str, location: impl Into<String>, message: impl std::fmt::Display) -> Self {
        Self::Malformed {
            location: location.into(),
            message: message.to_string(),
            origin: origin.to_owned(),
        }
    }

    /// A JSON parse error, with its line and column.
    pub(crate) fn json(origin: &str, err: &serde_json::Error) -> Self {
        if err.is_data() {
            // Valid JSON of the wrong shape.
            return Self::malformed(origin, format!("line {}, column {}", err.line(), err.column()), err);
        }
        Self::malformed(
            origin,
            format!("line {}, column {}", err.line(), err.column()),
            strip_position(err),
        )
    }
}

/// serde_json appends " at line X column Y" to its messages; we say it once.
fn strip_position(err: &serde_json::Error) -> String {
    let msg = err.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg,
    }
}

/// Reads a file to a string, naming the file on failure.
pub(crate) fn read_text(path: &Path) -> Result<String, DirectoryError> {
    let limit = crate::store::limits::DIRECTORY;
    let bytes = crate::store::read_bounded(path, limit, "the file").map_err(|e| DirectoryError::read(path, e))?;
    String::from_utf8(bytes).map_err(|e| DirectoryError::Malformed {
        location: format!("byte {}", e.utf8_error().valid_up_to()),
        message: "the text is not UTF-8; save the file as UTF-8 and try again".to_owned(),
        origin: path.display().to_string(),
    })
}

pub(crate) use crate::util::line_col;
