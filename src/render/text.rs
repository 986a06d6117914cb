//! Plain text: the e-mail's text part. Note markers in the body ("[1]"),
//! notes listed at the end, links readable, lines wrapped at 72 columns
//! without breaking words or addresses.

use crate::letter::{Block, Inline, Letter};

use super::{dateline, push_prefixed};

/// Wrap width.
pub const WIDTH: usize = 72;

pub fn render(letter: &Letter) -> String {
    let m = &letter.meta;
    let l = &m.labels;
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
    let date = dateline(m);
    if !date.is_empty() {
        head.push(date);
    }
    if !m.reference.is_empty() {
        head.push(format!("{} {}", super::reference_label(&l.reference), m.reference));
    }
    if head.last().is_some_and(|l| !l.is_empty()) {
        head.push(String::new());
    }
    // One addressee a line, under the first: "To: A" / "    B".
    for (label, list) in [(&l.to, &m.recipients_to), (&l.cc, &m.recipients_cc)] {
        if !list.is_empty() {
            let first = format!("{label}: ");
            let pad = " ".repeat(first.chars().count());
            head.push(wrap(&list.join("\n"), &first, &pad, WIDTH));
        }
    }
    if !m.recipients_to.is_empty() || !m.recipients_cc.is_empty() {
        head.push(String::new());
    }
    if super::shows_subject(letter) {
        head.push(format!("{}: {}", l.subject, m.subject));
        head.push(String::new());
    }
    for line in head {
        // The To and Cc lines come wrapped already.
        if line.contains('\n') {
            out.push_str(&line);
        } else {
            out.push_str(&wrap(&line, "", "", WIDTH));
        }
        out.push('\n');
    }
    blocks(&letter.blocks, WIDTH, &mut out);
    if !letter.notes.is_empty() {
        out.push_str("\n--\n");
        out.push_str(&l.notes);
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

/// Narrowest column a nested block is wrapped to, however deep it sits.
const MIN_WIDTH: usize = 24;

/// Appends `list` wrapped to `width`, each block followed by a blank line
/// (a tight list: its items on consecutive lines). Each block is rendered
/// once: a list item or a quote renders its content at the narrower width
/// and prefixes the lines, so the work grows linearly with the nesting.
fn blocks(list: &[Block], width: usize, out: &mut String) {
    for block in list {
        match block {
            Block::Heading { inlines: text, .. } | Block::Paragraph { inlines: text } => {
                out.push_str(&wrap(&inlines(text), "", "", width));
                out.push_str("\n\n");
            }
            Block::List { ordered, start, items } => list_items(*ordered, *start, items, width, out),
            Block::Quote { blocks: inner } => {
                let mut body = String::new();
                blocks(inner, width.saturating_sub(2).max(MIN_WIDTH), &mut body);
                push_prefixed(body.trim_end(), "> ", "> ", ">", out);
                out.push_str("\n\n");
            }
            Block::Signature {
                name,
                role,
                organisation,
            } => {
                for line in [name, role, organisation] {
                    if !line.is_empty() {
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
                        out.push_str(&format!("- {n}\n"));
                    }
                    out.push('\n');
                }
            }
            Block::Rule => out.push_str(&format!("{}\n\n", "-".repeat(20))),
        }
    }
}

/// A list: "- " or "3. " before each item's first line, its width of
/// spaces before the others. Short items sit on consecutive lines; when any
/// item takes more than one line, every item gets air.
fn list_items(ordered: bool, start: u64, items: &[Vec<Block>], width: usize, out: &mut String) {
    let rendered: Vec<(String, String)> = items
        .iter()
        .zip(0u64..)
        .map(|(item, i)| {
            let marker = if ordered {
                format!("{}. ", start.saturating_add(i))
            } else {
                "- ".to_owned()
            };
            let mut body = String::new();
            blocks(
                item,
                width.saturating_sub(marker.chars().count()).max(MIN_WIDTH),
                &mut body,
            );
            (marker, body.trim_end().to_owned())
        })
        .collect();
    let spacious = rendered.iter().any(|(_, body)| body.contains('\n'));
    for (marker, body) in &rendered {
        let pad = " ".repeat(marker.chars().count());
        push_prefixed(body, marker, &pad, "", out);
        out.push_str(if spacious { "\n\n" } else { "\n" });
    }
    if !spacious {
        out.push('\n');
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
            // A separator ("·") ends its line rather than start the next.
            if !empty && line_len + 1 + len > width && word != "·" {
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
