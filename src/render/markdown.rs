//! Markdown: CommonMark with footnotes (`[^1]`), for editing elsewhere.
//! Text is escaped so it reads back as the same text.

use crate::letter::{Block, Inline, Letter};

use super::{dateline, labels};

pub fn render(letter: &Letter) -> String {
    let m = &letter.meta;
    let l = labels(&m.language);
    let mut out = String::new();
    if !m.sender.name.is_empty() {
        out.push_str(&format!("**{}**  \n", escape(&m.sender.name)));
        for line in &m.sender.address {
            out.push_str(&format!("{}  \n", escape(line)));
        }
        for extra in [&m.sender.website, &m.sender.email] {
            if !extra.is_empty() {
                out.push_str(&format!("{}  \n", escape(extra)));
            }
        }
        out.push('\n');
    }
    out.push_str(&escape(&dateline(m)));
    if !m.reference.is_empty() {
        out.push_str(&format!("  \n{} {}", escape(l.reference), escape(&m.reference)));
    }
    out.push_str("\n\n");
    for (label, list) in [(l.to, &m.recipients_to), (l.cc, &m.recipients_cc)] {
        if !list.is_empty() {
            let names: Vec<String> = list.iter().map(|n| escape(n)).collect();
            out.push_str(&format!("{}: {}  \n", escape(label), names.join("; ")));
        }
    }
    if !m.recipients_to.is_empty() || !m.recipients_cc.is_empty() {
        out.push('\n');
    }
    if super::shows_subject(letter) {
        out.push_str(&format!("**{}: {}**\n\n", escape(l.subject), escape(&m.subject)));
    }
    blocks(&letter.blocks, "", &mut out);
    if !letter.notes.is_empty() {
        for note in &letter.notes {
            out.push_str(&format!("[^{}]: {}\n", note.number, inlines(&note.inlines)));
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
            Block::Heading { level, inlines: text } => {
                out.push_str(&format!(
                    "{indent}{} {}\n\n",
                    "#".repeat(usize::from(*level)),
                    inlines(text)
                ));
            }
            Block::Paragraph { inlines: text } => {
                out.push_str(indent);
                out.push_str(&inlines(text).replace('\n', &format!("\n{indent}")));
                out.push_str("\n\n");
            }
            Block::List { ordered, start, items } => {
                for (i, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}. ", start + i as u64)
                    } else {
                        "- ".to_owned()
                    };
                    let pad = format!("{indent}{}", " ".repeat(marker.len()));
                    let mut inner = String::new();
                    blocks(item, &pad, &mut inner);
                    let inner = inner.trim_start().trim_end();
                    out.push_str(&format!("{indent}{marker}{inner}\n\n"));
                }
            }
            Block::Quote { blocks: inner } => blocks(inner, &format!("{indent}> "), out),
            Block::Signature {
                name,
                role,
                organisation,
            } => {
                let lines: Vec<String> = [name, role, organisation]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| format!("{indent}{}", escape(s)))
                    .collect();
                out.push_str(&lines.join("  \n"));
                out.push_str("\n\n");
            }
            Block::SignatoryList { groups } => {
                for g in groups {
                    if !g.heading.is_empty() {
                        out.push_str(&format!("{indent}**{}**\n\n", escape(&g.heading)));
                    }
                    for n in &g.names {
                        out.push_str(&format!("{indent}- {}\n", escape(n)));
                    }
                    out.push('\n');
                }
            }
            Block::Rule => out.push_str(&format!("{indent}---\n\n")),
        }
    }
}

fn inlines(list: &[Inline]) -> String {
    let mut out = String::new();
    for i in list {
        match i {
            Inline::Text { text } => out.push_str(&escape(text)),
            Inline::Code { text } => out.push_str(&format!("`{}`", text.replace('`', "'"))),
            Inline::Emph { children } => out.push_str(&format!("*{}*", inlines(children))),
            Inline::Strong { children } => out.push_str(&format!("**{}**", inlines(children))),
            Inline::Link { url, children } => {
                out.push_str(&format!("[{}](<{}>)", inlines(children), url.replace(['<', '>'], "")));
            }
            Inline::NoteRef { number } => out.push_str(&format!("[^{number}]")),
            Inline::LineBreak => out.push_str("  \n"),
        }
    }
    out
}

/// Backslash-escapes the characters that carry meaning in Markdown.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '@' | '$' | '^' | '{' | '}' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
