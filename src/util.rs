//! Small text, path and HTTP-client helpers that every module may use. A leaf: it
//! imports nothing from the crate.

use std::path::Path;
use std::time::Duration;

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

/// A path as a person reads it: `campaigns/../demands/set.toml` as
/// `demands/set.toml`. Only for showing: the file system is not asked, so a
/// `..` after a symbolic link may name another folder than the one shown.
pub fn shown_path(path: &Path) -> String {
    use std::path::Component;
    let mut parts: Vec<Component<'_>> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.iter().collect::<std::path::PathBuf>().display().to_string()
}

/// Hemicycle's HTTP client (the EP portal, Zotero, HowTheyVote): every
/// request ends after `timeout`, an HTTP error status comes back as an
/// answer for the caller to put in words, and the requests name Hemicycle.
pub fn http_agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("Hemicycle/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// The memory this process holds in RAM (resident set), in bytes (Linux).
pub fn resident_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_paths_leave_out_the_steps_back() {
        assert_eq!(
            shown_path(Path::new("/data/examples/campaigns/../demands/set.toml")),
            "/data/examples/demands/set.toml"
        );
        assert_eq!(shown_path(Path::new("./a/./b.toml")), "a/b.toml");
        assert_eq!(shown_path(Path::new("../../up.toml")), "../../up.toml");
    }

    #[test]
    fn slugs_are_plain_lower_case_words_joined_by_hyphens() {
        assert_eq!(slug("Stéphane Séjourné"), "stephane-sejourne");
        assert_eq!(slug("  AI Act: four bans!  "), "ai-act-four-bans");
        assert_eq!(slug("…"), "");
    }
}
