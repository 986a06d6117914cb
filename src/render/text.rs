//! Plain text: the e-mail's text part. Note markers in the body ("[1]"),
//! notes listed at the end, links readable, lines wrapped at 72 columns
//! without breaking words or addresses.

use crate::letter::{Block, Inline, Letter};

use super::{dateline, labels};

/// Wrap width.
pub const WIDTH: usize = 72;

pub fn render(letter: &Letter) -> String {
    let m = &letter.meta;
    let l = labels(&m.language);
    let mut out = String::new();
    let mut head: Vec<String> = Vec::new();
    if !m.sender.name.is_empty() {
        head.push(m.sender.name.clone());
        head.extend(m.sender.address.iter().cloned());
        let contact: Vec<&str> = [m.sender.website.as_str(), m.sender.email.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if !contact.is_empty() {
            head.push(contact.join(" · "));
        }
        head.push(String::new());
    }
    head.push(dateline(m));
    if !m.reference.is_empty() {
        head.push(format!("{} {}", l.reference, m.reference));
    }
    head.push(String::new());
    if !m.recipients_to.is_empty() {
        head.push(format!("{}: {}", l.to, m.recipients_to.join("; ")));
    }
    if !m.recipients_cc.is_empty() {
        head.push(format!("{}: {}", l.cc, m.recipients_cc.join("; ")));
    }
    if !m.recipients_to.is_empty() || !m.recipients_cc.is_empty() {
        head.push(String::new());
    }
    if super::shows_subject(letter) {
        head.push(format!("{}: {}", l.subject, m.subject));
        head.push(String::new());
    }
    for line in head {
        out.push_str(&wrap(&line, "", "", WIDTH));
        out.push('\n');
    }
    blocks(&letter.blocks, "", &mut out);
    if !letter.notes.is_empty() {
        out.push_str("\n--\n");
        out.push_str(l.notes);
        out.push_str("\n\n");
        for note in &letter.notes {
            let marker = format!("[{}] ", note.number);
            let pad = " ".repeat(marker.chars().count());
            out.push_str(&wrap(&inlines(&note.inlines), &marker, &pad, WIDTH));
            out.push('\n');
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn blocks(list: &[Block], indent: &str, out: &mut String) {
    for block in list {
        match block {
            Block::Heading { inlines: text, .. } | Block::Paragraph { inlines: text } => {
                out.push_str(&wrap(&inlines(text), indent, indent, WIDTH));
                out.push_str("\n\n");
            }
            Block::List { ordered, start, items } => {
                // Short items sit on consecutive lines; longer ones get air.
                let spacious = items.iter().any(|item| {
                    let mut inner = String::new();
                    blocks(item, "", &mut inner);
                    let inner = inner.trim_end();
                    inner.contains('\n') || inner.chars().count() > WIDTH - 4
                });
                for (i, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{indent}{}. ", start + i as u64)
                    } else {
                        format!("{indent}- ")
                    };
                    let pad = " ".repeat(marker.chars().count());
                    let mut inner = String::new();
                    blocks(item, "", &mut inner);
                    let mut first = true;
                    for para in inner.trim_end().split("\n\n") {
                        let text = para.replace('\n', " ");
                        let lead = if first { marker.as_str() } else { pad.as_str() };
                        out.push_str(&wrap(&text, lead, &pad, WIDTH));
                        out.push_str(if spacious { "\n\n" } else { "\n" });
                        first = false;
                    }
                }
                if !spacious {
                    out.push('\n');
                }
            }
            Block::Quote { blocks: inner } => blocks(inner, &format!("{indent}> "), out),
            Block::Signature {
                name,
                role,
                organisation,
            } => {
                for line in [name, role, organisation] {
                    if !line.is_empty() {
                        out.push_str(indent);
                        out.push_str(line);
                        out.push('\n');
                    }
                }
                out.push('\n');
            }
            Block::SignatoryList { groups } => {
                for g in groups {
                    if !g.heading.is_empty() {
                        out.push_str(&g.heading);
                        out.push('\n');
                    }
                    for n in &g.names {
                        out.push_str(&format!("{indent}- {n}\n"));
                    }
                    out.push('\n');
                }
            }
            Block::Rule => out.push_str(&format!("{indent}{}\n\n", "-".repeat(20))),
        }
    }
}

/// Inline text with note markers and readable links.
pub fn inlines(list: &[Inline]) -> String {
    let mut out = String::new();
    for i in list {
        match i {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Emph { children } | Inline::Strong { children } => out.push_str(&inlines(children)),
            Inline::Link { url, children } => {
                let text = inlines(children);
                let bare = url.trim_start_matches("mailto:");
                if text == url.as_str() || text == bare {
                    out.push_str(&text);
                } else {
                    out.push_str(&format!("{text} <{bare}>"));
                }
            }
            Inline::NoteRef { number } => out.push_str(&format!("[{number}]")),
            Inline::LineBreak => out.push('\n'),
        }
    }
    out
}

/// Greedy wrap; `first` prefixes the first line, `rest` the others. Hard
/// line breaks in the text are kept.
pub fn wrap(text: &str, first: &str, rest: &str, width: usize) -> String {
    let mut out = String::new();
    let mut lead = first;
    for (n, hard_line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
            lead = rest;
        }
        let mut line = String::from(lead);
        let mut line_len = lead.chars().count();
        let mut empty = true;
        for word in hard_line.split(' ').filter(|w| !w.is_empty()) {
            let len = word.chars().count();
            if !empty && line_len + 1 + len > width {
                out.push_str(line.trim_end());
                out.push('\n');
                line = String::from(rest);
                line_len = rest.chars().count();
                empty = true;
            }
            if !empty {
                line.push(' ');
                line_len += 1;
            }
            line.push_str(word);
            line_len += len;
            empty = false;
        }
        out.push_str(line.trim_end());
        lead = rest;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_without_breaking_words() {
        let text = "one two three four five six seven eight nine ten";
        assert_eq!(
            wrap(text, "- ", "  ", 16),
            "- one two three\n  four five six\n  seven eight\n  nine ten"
        );
        let url = "see https://eur-lex.europa.eu/eli/reg/2024/1689/oj for the text";
        assert!(
            wrap(url, "", "", 20)
                .lines()
                .any(|l| l == "https://eur-lex.europa.eu/eli/reg/2024/1689/oj")
        );
    }
}
