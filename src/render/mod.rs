//! Renderers: each a pure function from the letter to bytes. The same
//! letter gives the same bytes.

pub mod docx;
pub mod eml;
pub mod html;
pub mod markdown;
pub mod pages;
pub mod pdf;
pub mod text;

use crate::letter::Meta;

/// Appends `text` with `first` before its first line, `rest` before every
/// other line and `blank` as a blank line: how the text and Markdown
/// renderers nest a list item's or a quote's lines in its parent.
pub(crate) fn push_prefixed(text: &str, first: &str, rest: &str, blank: &str, out: &mut String) {
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        if line.is_empty() {
            out.push_str(if n == 0 { first.trim_end() } else { blank });
        } else {
            out.push_str(if n == 0 { first } else { rest });
        }
        out.push_str(line);
    }
}

/// "Brussels, 26 April 2023" (or just the date).
pub fn dateline(meta: &Meta) -> String {
    if meta.place.is_empty() || meta.date.is_empty() {
        meta.date.clone()
    } else {
        format!("{}, {}", meta.place, meta.date)
    }
}

/// The reference label as it stands before the number: a word takes a
/// colon ("Reference: TF/1", "Kenmerk: TF/1"), an abbreviation or a sign
/// does not ("Ref. TF/1", "Nr TF/1", "Изх. № 12", "Ref.ª 3").
pub fn reference_label(label: &str) -> String {
    let label = label.trim();
    let last = label.rsplit(' ').next().unwrap_or_default();
    if last.chars().count() > 2 && last.chars().all(|c| c.is_alphanumeric() && c != 'ª' && c != 'º') {
        format!("{label}:")
    } else {
        label.to_owned()
    }
}

/// Whether to show the "Subject:" line: not when the letter opens with a
/// heading that says the same (a press statement's headline).
pub fn shows_subject(letter: &crate::letter::Letter) -> bool {
    let m = &letter.meta;
    if m.subject.is_empty() || !m.show_subject {
        return false;
    }
    !matches!(letter.blocks.first(), Some(crate::letter::Block::Heading { inlines, .. })
        if crate::letter::plain_text(inlines).trim() == m.subject.trim())
}

/// Only web and mail links are kept as links; anything else (javascript:,
/// data:, file:) is shown as text.
pub fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}
