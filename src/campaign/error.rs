//! Errors of campaign and demand-set files.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    #[error("could not read the file ({source}): {origin}")]
    Read {
        origin: String,
        #[source]
        source: std::io::Error,
    },

    #[error("line {line}, column {column}: {message}: {origin}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
        origin: String,
    },

    #[error("line {line}, field {field}: {problem}: {origin}")]
    Field {
        line: usize,
        field: String,
        problem: String,
        origin: String,
    },

    #[error("this is not a Hemicycle campaign (found {found}); open a campaign file: {origin}")]
    WrongKind { found: String, origin: String },

    #[error(
        "this file was written by a newer Hemicycle (format version {found}); update Hemicycle to open it: {origin}"
    )]
    NewerVersion { found: i64, origin: String },

    #[error(transparent)]
    Write(#[from] crate::store::WriteError),
}

impl CampaignError {
    pub(crate) fn toml(text: &str, origin: &str, err: &toml::de::Error) -> Self {
        let (line, column) = err
            .span()
            .map_or((1, 1), |span| crate::util::line_col(text, span.start));
        Self::Syntax {
            line,
            column,
            message: err.message().trim_end_matches('\n').to_owned(),
            origin: origin.to_owned(),
        }
    }
}

/// Reads a campaign or demand-set file, at most `limit` bytes
/// (`store::limits`).
pub(crate) fn read_text(path: &Path, limit: u64, what: &str) -> Result<String, CampaignError> {
    crate::store::read_bounded_text(path, limit, what).map_err(|source| CampaignError::Read {
        origin: path.display().to_string(),
        source,
    })
}

/// The line (1-based) where `key = …` is first set in a TOML text, or 1.
pub fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

/// The line (1-based) of the table header that names `table`
/// (`[translations.fr]`, `[demands.translations.fr]`), or of the first
/// dotted key that starts with it; 1 when there is none.
pub fn line_of_table(text: &str, table: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches('[').trim_start();
            let names = |rest: &str| {
                rest.strip_prefix(table)
                    .is_some_and(|after| after.is_empty() || after.starts_with([']', '.', ' ', '=']))
            };
            names(l) || l.split_once('.').is_some_and(|(_, rest)| names(rest))
        })
        .map_or(1, |i| i + 1)
}
