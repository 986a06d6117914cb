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

/// `text` as a file-name word: ASCII letters and digits, lower case, runs
/// of anything else one hyphen ("Stéphane Séjourné" → "stephane-sejourne").
/// Empty when nothing is left.
pub fn slug(text: &str) -> String {
    let ascii: String = deunicode::deunicode(text)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    ascii.split('-').filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-")
}

/// Whether `spec` names a file with extension `ext` (any case).
pub fn has_extension(spec: &str, ext: &str) -> bool {
    Path::new(spec).extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_lower_case_words_joined_by_hyphens() {
        assert_eq!(slug("Stéphane Séjourné"), "stephane-sejourne");
        assert_eq!(slug("  AI Act: four bans!  "), "ai-act-four-bans");
        assert_eq!(slug("…"), "");
    }
}
