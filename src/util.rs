//! Small text and path helpers that every module may use. A leaf: it
//! imports nothing from the crate.

use std::path::Path;

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.split(|&b| b == b'\n').count();
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, col)
}

/// Whether `spec` names a file with extension `ext` (any case).
pub fn has_extension(spec: &str, ext: &str) -> bool {
    Path::new(spec).extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}
