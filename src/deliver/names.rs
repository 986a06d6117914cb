//! File names for exported letters: from a pattern, safe on Windows, macOS
//! and Linux, and never the same twice in one export.

use std::collections::HashMap;

use crate::directory::Mep;

/// The longest file name stem, in bytes.
const MAX_STEM_BYTES: usize = 120;

/// The default pattern.
pub const DEFAULT_PATTERN: &str = "{country}-{family_name}-{id}";

/// Fills a pattern (`{country}`, `{family_name}`, `{given_name}`, `{name}`,
/// `{id}`, `{group}`, `{seq}`) for one MEP; the extension is added by the
/// caller.
pub fn fill(pattern: &str, mep: &Mep, seq: usize) -> String {
    let raw = pattern
        .replace("{country}", &mep.country)
        .replace("{family_name}", &mep.family_name)
        .replace("{given_name}", &mep.given_name)
        .replace("{name}", &mep.display_name())
        .replace("{id}", &mep.id)
        .replace("{group}", &mep.group)
        .replace("{seq}", &format!("{seq:03}"));
    sanitize(&raw)
}

/// Makes a file name safe everywhere: no path separators or characters
/// Windows forbids, no control characters, no trailing dots or spaces, no
/// reserved device names, at most 120 bytes. Letters with accents are
/// kept ("Černilec").
pub fn sanitize(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    while out.ends_with(['.', ' ']) {
        out.pop();
    }
    while out.starts_with(['.', ' ']) {
        out.remove(0);
    }
    // File systems count bytes (255 on most), not characters: 130 "€" are
    // 390 bytes. The stem stays under 120, cut on a character boundary, so
    // an extension and a "-2" still fit.
    if out.len() > MAX_STEM_BYTES {
        let mut end = MAX_STEM_BYTES;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        // Cut between words ("…rights of migrants", not "…rights of m")
        // unless the last word is longer than half the stem.
        let mid_word = !out[end..].starts_with([' ', '-', '_']);
        if mid_word && let Some(space) = out[..end].rfind([' ', '-', '_']).filter(|at| *at > MAX_STEM_BYTES / 2) {
            end = space;
        }
        out.truncate(end);
        while out.ends_with(['.', ' ', '-', '_', ',']) {
            out.pop();
        }
    }
    let stem = out.split('.').next().unwrap_or_default().to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved || out.is_empty() {
        out = format!("letter-{out}");
    }
    out
}

/// Hands out names, adding "-2", "-3" … when a name (compared without case,
/// as Windows and macOS do) was given before.
#[derive(Debug, Default)]
pub struct Unique {
    seen: HashMap<String, usize>,
}

impl Unique {
    pub fn name(&mut self, stem: &str, ext: &str) -> String {
        let key = format!("{stem}.{ext}").to_lowercase();
        let count = self.seen.entry(key).or_insert(0);
        *count += 1;
        if *count == 1 {
            format!("{stem}.{ext}")
        } else {
            let candidate = format!("{stem}-{count}");
            self.name(&candidate, ext)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_in_bytes_on_a_character_boundary() {
        for name in ["€".repeat(130), "😀".repeat(70), "a".repeat(300)] {
            let out = sanitize(&name);
            assert!(out.len() <= MAX_STEM_BYTES, "{} bytes", out.len());
            assert!(!out.is_empty());
            assert!(name.starts_with(&out));
        }
    }

    #[test]
    fn long_titles_are_cut_between_words() {
        let title = "Joint letters of civil society organisations on the Corporate Sustainability Due Diligence Directive and the human rights of migrants";
        let out = sanitize(title);
        assert!(out.len() <= MAX_STEM_BYTES);
        assert!(out.ends_with("Directive and the human"), "{out}");
        // One long word is still cut where it must be.
        assert_eq!(sanitize(&format!("a {}", "b".repeat(200))).len(), MAX_STEM_BYTES);
    }

    #[test]
    fn names_are_safe_everywhere() {
        assert_eq!(sanitize("NL-van Sparrentak-197870"), "NL-van Sparrentak-197870");
        assert_eq!(sanitize("a/b\\c:d*e?f\"g<h>i|j"), "a_b_c_d_e_f_g_h_i_j");
        assert_eq!(sanitize("..name.. "), "name");
        assert_eq!(sanitize("CON"), "letter-CON");
        assert_eq!(sanitize("com1.txt"), "letter-com1.txt");
        assert_eq!(sanitize("Line\nbreak"), "Line_break");
        assert_eq!(sanitize(&"x".repeat(300)).len(), 120);
    }

    #[test]
    fn collisions_get_numbers() {
        let mut u = Unique::default();
        assert_eq!(u.name("BE-Smith-1", "pdf"), "BE-Smith-1.pdf");
        assert_eq!(u.name("be-smith-1", "pdf"), "be-smith-1-2.pdf");
        assert_eq!(u.name("BE-Smith-1", "pdf"), "BE-Smith-1-3.pdf");
        assert_eq!(u.name("BE-Smith-1", "docx"), "BE-Smith-1.docx");
    }
}
