//! Markdown: CommonMark with footnotes (`[^1]`), for editing elsewhere.
//! Text is escaped so it reads back as the same text.

use crate::letter::{Block, Inline, Letter};

use super::{dateline, push_prefixed};

pub fn render(letter: &Letter) -> String {
    let m = &letter.meta;
    let l = &m.labels;
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
    let mut head: Vec<String> = Vec::new();
    let date = dateline(m);
    if !date.is_empty() {
        head.push(escape(&date));
    }
    if !m.reference.is_empty() {
        head.push(format!(
            "{} {}",
            escape(&super::reference_label(&l.reference)),
            escape(&m.reference)
        ));
    }
    if !head.is_empty() {
        out.push_str(&head.join("  \n"));
        out.push_str("\n\n");
    }
    for (label, list) in [(&l.to, &m.recipients_to), (&l.cc, &m.recipients_cc)] {
        if !list.is_empty() {
            let names: Vec<String> = list.iter().map(|n| escape(n)).collect();
            // One addressee a line (hard line breaks).
            out.push_str(&format!("{}: {}  \n", escape(label), names.join("  \n")));
        }
    }
    if !m.recipients_to.is_empty() || !m.recipients_cc.is_empty() {
        out.push('\n');
    }
    if super::shows_subject(letter) {
        out.push_str(&format!("**{}: {}**\n\n", escape(&l.subject), escape(&m.subject)));
    }
    blocks(&letter.blocks, &mut out);
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

/// Appends `list`, each block followed by a blank line. A list item's or a
/// quote's content is rendered once and its lines prefixed ("- ", "   ",
/// "> "), so nesting of any kind and depth reads back as it was.
fn blocks(list: &[Block], out: &mut String) {
    let mut previous_list: Option<(bool, char)> = None;
    for block in list {
        let mut this_list = None;
        match block {
            Block::Heading { level, inlines: text } => {
                out.push_str(&format!("{} {}\n\n", "#".repeat(usize::from(*level)), inlines(text)));
            }
            Block::Paragraph { inlines: text } => {
                out.push_str(&paragraph(text));
                out.push_str("\n\n");
            }
            Block::List { ordered, start, items } => {
                // Two lists in a row would merge into one: the second uses
                // the other marker, which CommonMark reads as a new list.
                let mark = match previous_list {
                    Some((o, m)) if o == *ordered => {
                        if *ordered {
                            if m == '.' { ')' } else { '.' }
                        } else if m == '-' {
                            '*'
                        } else {
                            '-'
                        }
                    }
                    _ if *ordered => '.',
                    _ => '-',
                };
                this_list = Some((*ordered, mark));
                for (item, i) in items.iter().zip(0u64..) {
                    let marker = if *ordered {
                        format!("{}{mark} ", start.saturating_add(i))
                    } else {
                        format!("{mark} ")
                    };
                    let mut inner = String::new();
                    blocks(item, &mut inner);
                    let pad = " ".repeat(marker.len());
                    push_prefixed(inner.trim_end(), &marker, &pad, "", out);
                    out.push_str("\n\n");
                }
            }
            Block::Quote { blocks: inner_blocks } => {
                let mut inner = String::new();
                blocks(inner_blocks, &mut inner);
                push_prefixed(inner.trim_end(), "> ", "> ", ">", out);
                out.push_str("\n\n");
            }
            Block::Signature {
                name,
                role,
                organisation,
            } => {
                let lines: Vec<String> = [name, role, organisation]
                    .into_iter()
                    .flat_map(|s| s.lines())
                    .filter(|s| !s.trim().is_empty())
                    .map(escape)
                    .collect();
                out.push_str(&lines.join("  \n"));
                out.push_str("\n\n");
            }
            Block::SignatoryList { groups } => {
                for g in groups {
                    if !g.heading.is_empty() {
                        out.push_str(&format!("**{}**\n\n", escape(&g.heading)));
                    }
                    for n in &g.names {
                        out.push_str(&format!("- {}\n", escape(n)));
                    }
                    out.push('\n');
                }
            }
            Block::Rule => out.push_str("---\n\n"),
        }
        previous_list = this_list;
    }
}

/// A paragraph's Markdown; a line that would start a list, a heading
/// underline or a rule ("2026. …", "- …", "==") is escaped.
fn paragraph(text: &[Inline]) -> String {
    inlines(text)
        .split('\n')
        .map(|line| {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) {
                format!("{}\\{}", &line[..digits], &line[digits..])
            } else if line.starts_with(['-', '+', '=']) {
                format!("\\{line}")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn inlines(list: &[Inline]) -> String {
    let mut out = String::new();
    for i in list {
        match i {
            Inline::Text { text } => out.push_str(&escape(text)),
            Inline::Code { text } => out.push_str(&format!("`{}`", text.replace('`', "'"))),
            Inline::Emph { children } => out.push_str(&format!("*{}*", inlines(children))),
            Inline::Strong { children } => out.push_str(&format!("**{}**", inlines(children))),
            // Only web and mail links stay links (never javascript:, data:
            // or file:); the others are their text.
            Inline::Link { url, children } if super::safe_url(url) => {
                out.push_str(&format!(
                    "[{}](<{}>)",
                    inlines(children),
                    url.replace(['<', '>', '\n'], "")
                ));
            }
            Inline::Link { children, .. } => out.push_str(&inlines(children)),
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
