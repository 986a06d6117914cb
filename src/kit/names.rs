//! The names of a kit's files, and the text of a kit shown to people.
//!
//! A kit's file is one plain name that every file system takes as it is:
//! no folders, no `..`, nothing absolute or hidden, no control characters,
//! none of the names Windows keeps for devices (`CON`, `aux.txt`, `COM1`),
//! none of the characters Windows refuses, and no two names that one file
//! system would take for the same file (`a.toml` and `A.toml` on Windows
//! and macOS; `é` written as one character or as `e` and an accent).
//!
//! Text from a kit (its organisation, its addressees) reaches the volunteer
//! only through [`shown`]: quoted, escaped, on one line, bounded.

use unicode_normalization::UnicodeNormalization;

/// The longest text from a kit shown in a line, in characters.
pub const SHOWN_MAX: usize = 80;

/// Why `name` cannot be a kit's file, or `None` when it can.
pub fn refusal(name: &str) -> Option<&'static str> {
    if name.starts_with('/') || name.starts_with('\\') || name.get(1..2) == Some(":") {
        Some("its path is absolute")
    } else if name.split(['/', '\\']).any(|part| part == "..") {
        Some("its path leads out of the kit's folder (\"..\")")
    } else if name.contains(['/', '\\']) {
        Some("it is in a sub-folder, and a kit's files lie in one folder")
    } else if name.is_empty() || name.starts_with('.') || name.chars().any(|c| c.is_control() || hidden_char(c)) {
        Some("its name is not a plain file name")
    } else if name.contains(['<', '>', ':', '"', '|', '?', '*']) || name.ends_with(['.', ' ']) {
        Some("its name holds characters Windows does not allow in a file name")
    } else if reserved_on_windows(name) {
        Some("its name is one Windows keeps for a device (CON, PRN, AUX, NUL, COM1…, LPT1…)")
    } else {
        None
    }
}

/// `CON`, `aux.txt`, `Com1.json`: Windows opens the device, not a file.
fn reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end().to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$")
        || ["COM", "LPT"].iter().any(|p| {
            stem.strip_prefix(p)
                .is_some_and(|n| matches!(n, "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"))
        })
}

/// The form under which a file system that ignores case and Unicode
/// normalisation (Windows, macOS) knows a name: two names with the same
/// key are one file there.
pub fn collision_key(name: &str) -> String {
    name.nfc().collect::<String>().to_lowercase().nfc().collect()
}

/// Characters that change how text reads without showing: bidi overrides
/// and isolates, zero-width characters, line and paragraph separators.
fn hidden_char(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}'
        | '\u{061C}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// Text from a kit as a volunteer may safely read it: in double quotes,
/// with quotes, backslashes, control characters, bidi controls and other
/// invisible characters written as escapes (`\n`, `\u{202e}`), on one
/// line, and cut at [`SHOWN_MAX`] characters with "…".
pub fn shown(text: &str) -> String {
    let mut out = String::from("\"");
    for (count, c) in text.chars().enumerate() {
        if count == SHOWN_MAX {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || hidden_char(c) || (c.is_whitespace() && c != ' ') => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_folder_hide_or_are_devices_are_refused() {
        for bad in [
            "../x.toml",
            "/etc/passwd",
            "C:/x",
            "a/../../x",
            "sub/x.toml",
            ".hidden",
            "a\\..\\x",
            "x\u{1b}",
            "CON",
            "aux.txt",
            "Com1.json",
            "lpt9",
            "nul.tar.gz",
            "a?.toml",
            "trailing.",
            "x\u{202e}lmth.exe",
            "",
        ] {
            assert!(refusal(bad).is_some(), "{bad:?} was let through");
        }
        for good in [
            "campaign.toml",
            "2-ai-act.json",
            "logo.png",
            "console.toml",
            "com10.txt",
            "résumé.md.hbs",
        ] {
            assert_eq!(refusal(good), None, "{good}");
        }
    }

    #[test]
    fn names_one_file_system_takes_for_one_file_collide() {
        assert_eq!(collision_key("a.toml"), collision_key("A.toml"));
        assert_eq!(collision_key("caf\u{e9}.json"), collision_key("cafe\u{301}.json"));
        assert_ne!(collision_key("a.toml"), collision_key("b.toml"));
    }

    #[test]
    fn shown_text_is_quoted_escaped_one_line_and_bounded() {
        assert_eq!(shown("Amnesty"), "\"Amnesty\"");
        assert_eq!(shown("A\"B\\C"), "\"A\\\"B\\\\C\"");
        let forged = shown("Real Org, signature checked (key 1111-2222)\n\u{1b}[2K\u{202e}x");
        assert!(!forged.contains('\n') && !forged.contains('\u{1b}') && !forged.contains('\u{202e}'));
        assert!(forged.contains("\\n") && forged.contains("\\u{1b}") && forged.contains("\\u{202e}"));
        let padded = shown(&format!("Org{}", " ".repeat(500)));
        assert_eq!(padded.chars().count(), SHOWN_MAX + 3, "{padded}");
        assert!(padded.ends_with("…\""));
        assert!(shown("a\u{2028}b").contains("\\u{2028}"));
    }
}
