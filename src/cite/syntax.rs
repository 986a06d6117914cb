//! Pandoc citation syntax in Markdown: `[@key]`, `[@key, p. 4]`,
//! `[see @a; @b, Article 21]`, and inline notes `^[text]`.
//!
//! The scanner respects backslash escapes (`\[@key]` is text) and code spans.

use std::ops::Range;

/// One cited source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    pub key: String,
    /// "p. 4", "Article 21", "recital 60".
    pub locator: Option<String>,
    /// Text before the key ("see").
    pub prefix: Option<String>,
}

/// One `[…]` citation: becomes one footnote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteGroup {
    pub items: Vec<CiteItem>,
}

/// What the scanner found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Cite(CiteGroup),
    /// The Markdown inside `^[…]`.
    InlineNote(String),
}

/// Finds every citation group and inline note, with its byte range.
pub fn scan(text: &str) -> Vec<(Range<usize>, Found)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_fence = false;
    while i < bytes.len() {
        // Fenced code blocks: ``` at the start of a line.
        if (i == 0 || bytes[i - 1] == b'\n') && text[i..].trim_start_matches(' ').starts_with("```") {
            in_fence = !in_fence;
        }
        let b = bytes[i];
        if in_fence {
            i += 1;
            continue;
        }
        match b {
            b'\\' => i += 2,
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&c| c == b'`').count();
                let fence = &text[i..i + run];
                i = text[i + run..].find(fence).map_or(i + run, |end| i + run + end + run);
            }
            b'^' if bytes.get(i + 1) == Some(&b'[') => {
                if let Some(end) = closing_bracket(text, i + 1) {
                    out.push((i..end + 1, Found::InlineNote(text[i + 2..end].to_owned())));
                    i = end + 1;
                } else {
                    i += 1;
                }
            }
            b'[' if bytes.get(i + 1) != Some(&b'^') => {
                let Some(end) = closing_bracket(text, i) else {
                    i += 1;
                    continue;
                };
                let followed_by_link = matches!(bytes.get(end + 1), Some(b'(' | b'['));
                match parse_group(&text[i + 1..end]) {
                    Some(group) if !followed_by_link => {
                        out.push((i..end + 1, Found::Cite(group)));
                        i = end + 1;
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// The index of the `]` matching the `[` at `open`, honouring escapes and
/// nesting.
fn closing_bracket(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `see @a, p. 4; @b` → items, or `None` if this is not a citation.
fn parse_group(inner: &str) -> Option<CiteGroup> {
    let mut items = Vec::new();
    for part in split_unescaped(inner, ';') {
        items.push(parse_item(part)?);
    }
    (!items.is_empty()).then_some(CiteGroup { items })
}

fn split_unescaped(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            parts.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

fn parse_item(part: &str) -> Option<CiteItem> {
    let part = part.trim();
    // The key starts at an `@` at the start or after a space.
    let at = part
        .char_indices()
        .find(|&(i, c)| c == '@' && (i == 0 || part[..i].ends_with([' ', '-'])))
        .map(|(i, _)| i)?;
    let prefix = part[..at].trim_end_matches('-').trim();
    let rest = &part[at + 1..];
    let (key, after) = if let Some(braced) = rest.strip_prefix('{') {
        let end = braced.find('}')?;
        (braced[..end].to_owned(), &braced[end + 1..])
    } else {
        let len = key_length(rest);
        if len == 0 {
            return None;
        }
        (rest[..len].to_owned(), &rest[len..])
    };
    let after = after.trim();
    // `, p. 4` is a locator; text without the comma too (pandoc's suffix),
    // except lone punctuation.
    let locator = after.strip_prefix(',').unwrap_or(after).trim();
    let locator = Some(locator.to_owned()).filter(|l| !l.chars().all(|c| c.is_ascii_punctuation()));
    Some(CiteItem {
        key,
        locator,
        prefix: Some(prefix.to_owned()).filter(|p| !p.is_empty()),
    })
}

/// Pandoc keys: start with a letter, digit or `_`; may contain `:.#$%&-+?<>~/`
/// inside, but not at the end.
fn key_length(text: &str) -> usize {
    let mut end = 0;
    let mut last_word_end = 0;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() || c == '_' {
            end = i + c.len_utf8();
            last_word_end = end;
        } else if i > 0 && ":.#$%&-+?<>~/".contains(c) {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    end.min(last_word_end)
}

/// Every cited key with the line (1-based) it is on, for checks.
pub fn keys_with_lines(text: &str) -> Vec<(String, usize)> {
    keys_at(text, 0)
}

/// How deep inline notes are looked into: a note in a note is real
/// writing, a hundred levels is an attack on the stack.
pub const MAX_NOTE_DEPTH: usize = 8;

fn keys_at(text: &str, depth: usize) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (range, found) in scan(text) {
        let line = text[..range.start].matches('\n').count() + 1;
        match found {
            Found::Cite(group) => out.extend(group.items.into_iter().map(|i| (i.key, line))),
            Found::InlineNote(inner) if depth < MAX_NOTE_DEPTH => {
                let offset = line - 1;
                out.extend(keys_at(&inner, depth + 1).into_iter().map(|(k, l)| (k, l + offset)));
            }
            Found::InlineNote(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cites(text: &str) -> Vec<Vec<(String, Option<String>)>> {
        scan(text)
            .into_iter()
            .filter_map(|(_, f)| match f {
                Found::Cite(g) => Some(g.items.into_iter().map(|i| (i.key, i.locator)).collect()),
                Found::InlineNote(_) => None,
            })
            .collect()
    }

    #[test]
    fn finds_pandoc_citations() {
        assert_eq!(cites("Text [@aiact2024]."), [[("aiact2024".into(), None)]]);
        assert_eq!(
            cites("[@aiact2024, Article 5] and [see @a; @b.c, p. 4]"),
            vec![
                vec![("aiact2024".to_owned(), Some("Article 5".to_owned()))],
                vec![("a".to_owned(), None), ("b.c".to_owned(), Some("p. 4".to_owned()))],
            ]
        );
        assert_eq!(cites("[@{key with space}]"), [[("key with space".into(), None)]]);
        let found = scan("see [see @smith, pp. 3-4]");
        let Found::Cite(g) = &found[0].1 else { panic!() };
        assert_eq!(g.items[0].prefix.as_deref(), Some("see"));
    }

    #[test]
    fn ignores_what_is_not_a_citation() {
        assert!(cites(r"\[@escaped] and `[@code]`").is_empty());
        assert_eq!(
            cites("[mail me](mailto:a@b.eu) [info@example.org] [@trailing.]x").len(),
            1
        );
        assert!(cites("[a link @x](https://x.eu)").is_empty());
        assert!(cites("```\n[@fenced]\n```\n").is_empty());
        assert!(cites("[^note] [plain words]").is_empty());
        assert_eq!(cites("[@trailing.]"), [[("trailing".into(), None)]]);
    }

    #[test]
    fn finds_inline_notes_and_lines() {
        let found = scan("One^[A note with [brackets] and [@k].] two.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, Found::InlineNote("A note with [brackets] and [@k].".into()));
        assert_eq!(
            keys_with_lines("a\n[@x]\n^[see [@y]]"),
            [("x".to_owned(), 2), ("y".to_owned(), 3)]
        );
    }
}
