//! HTML: a self-contained, printable page (also the e-mail's HTML part).
//! Every piece of text is escaped; footnotes link both ways.

use std::fmt::Write;

use crate::letter::{Block, Inline, Letter};

use super::{dateline, safe_url};

const STYLE: &str = "\
body{margin:0;background:#f4f4f2;color:#1d1d1b;font:11pt/1.5 Georgia,'Times New Roman',serif}\
.letter{max-width:42em;margin:2em auto;padding:3em 3.5em;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.12)}\
.letterhead{border-bottom:2px solid #1d4e89;padding-bottom:.8em;margin-bottom:1.6em}\
.letterhead .org{font:bold 1.3em/1.2 'Helvetica Neue',Arial,sans-serif;color:#1d4e89;margin:0}\
.letterhead p{margin:.2em 0;font-size:.9em}\
.dateline,.reference{margin:0}.recipients{margin:1.2em 0}.recipients p{margin:0}\
.subject{font-weight:bold;margin:1.2em 0}\
h1,h2,h3{font-family:'Helvetica Neue',Arial,sans-serif;color:#1d4e89;line-height:1.25}\
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.4em}h3{font-size:1em}\
blockquote{margin:1em 0;padding-left:1em;border-left:3px solid #c8c8c4;font-style:italic}\
.signature{margin-top:2em}.signature p{margin:0}\
.signatories h3{margin-bottom:.2em}.signatories ul{margin-top:.2em}\
sup a{text-decoration:none}\
.footnotes{margin-top:2.5em;font-size:.85em;border-top:1px solid #c8c8c4}\
.footnotes li{margin:.3em 0}.footnotes a.back{text-decoration:none}\
@media print{body{background:#fff}.letter{margin:0;padding:0;box-shadow:none;max-width:none}\
a{color:inherit}.footnotes a.back{display:none}@page{size:A4;margin:2.2cm 2.4cm}}";

/// A complete HTML document.
pub fn render(letter: &Letter) -> String {
    let m = &letter.meta;
    let mut out = String::with_capacity(8192);
    let lang = if m.language.is_empty() {
        "en"
    } else {
        m.language.as_str()
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(lang),
        escape(&m.subject)
    );
    out.push_str(&fragment(letter));
    out.push_str("</body>\n</html>\n");
    out
}

/// The letter as an `<article>` (for the body of an e-mail).
pub fn fragment(letter: &Letter) -> String {
    let m = &letter.meta;
    let l = &m.labels;
    let mut out = String::from("<article class=\"letter\">\n");
    if !m.sender.name.is_empty() {
        out.push_str("<header class=\"letterhead\">\n");
        let _ = writeln!(out, "<p class=\"org\">{}</p>", escape(&m.sender.name));
        if !m.sender.address.is_empty() {
            let lines: Vec<String> = m.sender.address.iter().map(|a| escape(a)).collect();
            let _ = writeln!(out, "<p>{}</p>", lines.join("<br>"));
        }
        let mut contact = Vec::new();
        if !m.sender.website.is_empty() {
            contact.push(link(&m.sender.website, &m.sender.website));
        }
        if !m.sender.email.is_empty() {
            contact.push(link(&format!("mailto:{}", m.sender.email), &m.sender.email));
        }
        if !contact.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", contact.join(" · "));
        }
        out.push_str("</header>\n");
    }
    let date = dateline(m);
    if !date.is_empty() {
        let _ = writeln!(out, "<p class=\"dateline\">{}</p>", escape(&date));
    }
    if !m.reference.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"reference\">{} {}</p>",
            escape(&super::reference_label(&l.reference)),
            escape(&m.reference)
        );
    }
    if !m.recipients_to.is_empty() || !m.recipients_cc.is_empty() {
        out.push_str("<div class=\"recipients\">\n");
        for (label, list) in [(&l.to, &m.recipients_to), (&l.cc, &m.recipients_cc)] {
            if !list.is_empty() {
                let names: Vec<String> = list.iter().map(|n| escape(n)).collect();
                let _ = writeln!(
                    out,
                    "<p><span class=\"label\">{}:</span> {}</p>",
                    escape(label),
                    names.join("<br>")
                );
            }
        }
        out.push_str("</div>\n");
    }
    if super::shows_subject(letter) {
        let _ = writeln!(
            out,
            "<p class=\"subject\">{}: {}</p>",
            escape(&l.subject),
            escape(&m.subject)
        );
    }
    let mut seen_refs = std::collections::HashSet::new();
    blocks(&letter.blocks, &mut out, &mut seen_refs);
    if !letter.notes.is_empty() {
        let _ = writeln!(
            out,
            "<section class=\"footnotes\" aria-label=\"{}\">\n<ol>",
            escape(&l.notes)
        );
        for note in &letter.notes {
            let _ = writeln!(
                out,
                "<li id=\"fn{n}\">{} <a class=\"back\" href=\"#fnref{n}\" aria-label=\"back to the text\">↩</a></li>",
                inlines(&note.inlines, &mut seen_refs),
                n = note.number
            );
        }
        out.push_str("</ol>\n</section>\n");
    }
    out.push_str("</article>\n");
    out
}

fn blocks(list: &[Block], out: &mut String, refs: &mut std::collections::HashSet<u32>) {
    for block in list {
        match block {
            Block::Heading { level, inlines: text } => {
                let level = (*level + 1).clamp(2, 6);
                let _ = writeln!(out, "<h{level}>{}</h{level}>", inlines(text, refs));
            }
            Block::Paragraph { inlines: text } => {
                let _ = writeln!(out, "<p>{}</p>", inlines(text, refs));
            }
            Block::List { ordered, start, items } => {
                if *ordered {
                    if *start == 1 {
                        out.push_str("<ol>\n");
                    } else {
                        let _ = writeln!(out, "<ol start=\"{start}\">");
                    }
                } else {
                    out.push_str("<ul>\n");
                }
                for item in items {
                    out.push_str("<li>");
                    // A one-paragraph item needs no <p>.
                    if let [Block::Paragraph { inlines: text }] = item.as_slice() {
                        out.push_str(&inlines(text, refs));
                    } else {
                        out.push('\n');
                        blocks(item, out, refs);
                    }
                    out.push_str("</li>\n");
                }
                out.push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
            }
            Block::Quote { blocks: inner } => {
                out.push_str("<blockquote>\n");
                blocks(inner, out, refs);
                out.push_str("</blockquote>\n");
            }
            Block::Signature {
                name,
                role,
                organisation,
            } => {
                out.push_str("<div class=\"signature\">\n");
                for (class, text) in [("name", name), ("role", role), ("organisation", organisation)] {
                    if !text.is_empty() {
                        // A role or organisation of several lines keeps them.
                        let lines: Vec<String> = text.lines().map(escape).collect();
                        let _ = writeln!(out, "<p class=\"{class}\">{}</p>", lines.join("<br>"));
                    }
                }
                out.push_str("</div>\n");
            }
            Block::SignatoryList { groups } => {
                out.push_str("<div class=\"signatories\">\n");
                for g in groups {
                    if !g.heading.is_empty() {
                        let _ = writeln!(out, "<h3>{}</h3>", escape(&g.heading));
                    }
                    out.push_str("<ul>\n");
                    for n in &g.names {
                        let _ = writeln!(out, "<li>{}</li>", escape(n));
                    }
                    out.push_str("</ul>\n");
                }
                out.push_str("</div>\n");
            }
            Block::Rule => out.push_str("<hr>\n"),
        }
    }
}

fn inlines(list: &[Inline], refs: &mut std::collections::HashSet<u32>) -> String {
    let mut out = String::new();
    for i in list {
        match i {
            Inline::Text { text } => out.push_str(&escape(text)),
            Inline::Code { text } => {
                let _ = write!(out, "<code>{}</code>", escape(text));
            }
            Inline::Emph { children } => {
                let _ = write!(out, "<em>{}</em>", inlines(children, refs));
            }
            Inline::Strong { children } => {
                let _ = write!(out, "<strong>{}</strong>", inlines(children, refs));
            }
            Inline::Link { url, children } => {
                let text = inlines(children, refs);
                if safe_url(url) {
                    let _ = write!(out, "<a href=\"{}\">{text}</a>", escape(url.trim()));
                } else {
                    out.push_str(&text);
                }
            }
            Inline::NoteRef { number } => {
                // The first reference to a note is the target of its back link.
                let id = if refs.insert(*number) {
                    format!(" id=\"fnref{number}\"")
                } else {
                    String::new()
                };
                let _ = write!(
                    out,
                    "<sup><a href=\"#fn{number}\"{id} role=\"doc-noteref\" aria-label=\"note {number}\">{number}</a></sup>"
                );
            }
            Inline::LineBreak => out.push_str("<br>"),
        }
    }
    out
}

fn link(url: &str, text: &str) -> String {
    if safe_url(url) {
        format!("<a href=\"{}\">{}</a>", escape(url), escape(text))
    } else {
        escape(text)
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
