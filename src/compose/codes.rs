//! What a translator must not change in a text: citations (`[@key, p. 4]`),
//! the brackets of inline notes (`^[` … `]`, whose words are translated) and
//! Handlebars expressions (`{{mep.name}}`, `{{#each demands}}`). The XLIFF
//! file carries them as inline codes, and a translation is checked against
//! its original with [`compare`].

use std::ops::Range;

use crate::cite::syntax::{self, Found};

/// One protected piece of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// A whole citation group, as written: `[@aiact2024, art. 5]`.
    Cite(String),
    /// The start of an inline note: `^[`.
    NoteStart,
    /// The end of an inline note: `]`.
    NoteEnd,
    /// A Handlebars expression, as written: `{{mep.name}}`.
    Expression(String),
}

impl Code {
    /// The code's text in the original.
    pub fn text(&self) -> &str {
        match self {
            Code::Cite(t) | Code::Expression(t) => t,
            Code::NoteStart => "^[",
            Code::NoteEnd => "]",
        }
    }
}

/// The protected pieces of `text` with their byte ranges, in order.
pub fn spans(text: &str) -> Vec<(Range<usize>, Code)> {
    let mut out = Vec::new();
    collect(text, 0, &mut out);
    for range in expressions(text) {
        // An expression inside a citation stays part of the citation.
        if !out
            .iter()
            .any(|(r, _): &(Range<usize>, Code)| r.start <= range.start && range.end <= r.end)
        {
            out.push((range.clone(), Code::Expression(text[range].to_owned())));
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    // A citation written inside an expression (`{{x "[@a]"}}`) belongs to
    // it: pieces never overlap.
    let mut end = 0;
    out.retain(|(r, _)| {
        let keep = r.start >= end;
        if keep {
            end = r.end;
        }
        keep
    });
    out
}

/// Citations and notes, notes' insides scanned in turn.
fn collect(text: &str, offset: usize, out: &mut Vec<(Range<usize>, Code)>) {
    for (range, found) in syntax::scan(text) {
        let (start, end) = (offset + range.start, offset + range.end);
        match found {
            Found::Cite(_) => out.push((start..end, Code::Cite(text[range].to_owned()))),
            Found::InlineNote(inner) => {
                out.push((start..start + 2, Code::NoteStart));
                collect(&inner, start + 2, out);
                out.push((end - 1..end, Code::NoteEnd));
            }
        }
    }
}

/// The byte ranges of `{{…}}` (and `{{{…}}}`) in `text`.
fn expressions(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| i + from) {
        let triple = text[open..].starts_with("{{{");
        let close_mark = if triple { "}}}" } else { "}}" };
        let Some(close) = text[open + 2..]
            .find(close_mark)
            .map(|i| i + open + 2 + close_mark.len())
        else {
            break;
        };
        out.push(open..close);
        from = close;
    }
    out
}

/// A citation's keys (`@aiact2024`), an expression without its spacing.
fn essence(code: &Code) -> Vec<String> {
    match code {
        Code::Cite(text) => syntax::keys_with_lines(text)
            .into_iter()
            .map(|(k, _)| format!("[@{k}]"))
            .collect(),
        Code::Expression(e) => {
            let braces = if e.starts_with("{{{") { 3 } else { 2 };
            let inner = e.get(braces..e.len().saturating_sub(braces)).unwrap_or(e);
            let inner = inner.split_whitespace().collect::<Vec<_>>().join(" ");
            let (open, close) = if braces == 3 { ("{{{", "}}}") } else { ("{{", "}}") };
            vec![format!("{open}{inner}{close}")]
        }
        Code::NoteStart => vec!["^[".to_owned()],
        Code::NoteEnd => Vec::new(),
    }
}

/// What a translation changed of the original's protected pieces, in words
/// ("the citation [@aiact2024] is missing"); empty when nothing. Order may
/// change (languages order words differently); a citation's locator may be
/// translated, its keys may not.
pub fn compare(original: &str, translation: &str) -> Vec<String> {
    let count = |text: &str| {
        let mut all: Vec<String> = spans(text).iter().flat_map(|(_, c)| essence(c)).collect();
        all.sort();
        all
    };
    let (mut want, have) = (count(original), count(translation));
    let mut extra = Vec::new();
    for h in have {
        if let Some(i) = want.iter().position(|w| *w == h) {
            want.remove(i);
        } else {
            extra.push(h);
        }
    }
    let what = |piece: &str| {
        if piece == "^[" {
            "a note ^[…]".to_owned()
        } else if piece.starts_with("[@") {
            format!("the citation {piece}")
        } else {
            format!("the expression {piece}")
        }
    };
    let mut out: Vec<String> = want.iter().map(|w| format!("{} is missing", what(w))).collect();
    out.extend(extra.iter().map(|e| format!("{} is not in the original", what(e))));
    out
}

/// The citations and expressions of `original` that `translation` lacks,
/// each as the original writes it (a citation group whole when all its
/// keys are missing, else each missing key as `[@key]`), for offering them
/// to the translation. A note's brackets are not offered.
pub fn missing_pieces(original: &str, translation: &str) -> Vec<String> {
    let mut have: Vec<String> = spans(translation).iter().flat_map(|(_, c)| essence(c)).collect();
    let mut out = Vec::new();
    for (_, code) in spans(original) {
        if matches!(code, Code::NoteStart | Code::NoteEnd) {
            continue;
        }
        let pieces = essence(&code);
        let missing: Vec<String> = pieces
            .iter()
            .filter(|p| {
                let found = have.iter().position(|h| h == *p);
                if let Some(i) = found {
                    have.remove(i);
                }
                found.is_none()
            })
            .cloned()
            .collect();
        if missing.len() == pieces.len() && !missing.is_empty() {
            out.push(code.text().to_owned());
        } else {
            out.extend(missing);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_notes_and_expressions_are_found_in_order() {
        let text = "Dear {{mep.name}}, see [@a, p. 4]^[As [@b] says.] and {{{raw}}}.";
        let codes: Vec<Code> = spans(text).into_iter().map(|(_, c)| c).collect();
        assert_eq!(
            codes,
            [
                Code::Expression("{{mep.name}}".into()),
                Code::Cite("[@a, p. 4]".into()),
                Code::NoteStart,
                Code::Cite("[@b]".into()),
                Code::NoteEnd,
                Code::Expression("{{{raw}}}".into()),
            ]
        );
        for (range, code) in spans(text) {
            assert_eq!(&text[range], code.text());
        }
    }

    #[test]
    fn odd_texts_give_pieces_in_order_that_never_overlap() {
        for text in [
            "{{a \"[@b]\"}}",
            "^[{{x]}}",
            "[@a {{b}}]",
            "{{{{",
            "^[unclosed",
            "}}{{",
            "^[a ^[b [@c]] d]",
            "{{#if x}}[@a]^[n]{{/if}}",
            "é{{ü}}[@ß]^[ø]",
        ] {
            let mut end = 0;
            for (range, code) in spans(text) {
                assert!(range.start >= end && range.end <= text.len(), "{text}");
                assert_eq!(&text[range.clone()], code.text(), "{text}");
                end = range.end;
            }
            assert!(compare(text, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_translation_may_move_and_relabel_but_not_drop_or_change() {
        let original = "A [@a, p. 4] and [@b; @c]^[note] for {{mep.name}}.";
        assert!(compare(original, "Für {{ mep.name }}: [@b; @c]^[Notiz] und [@a, S. 4].").is_empty());
        assert_eq!(
            compare(original, "A [@a] and [@b; @x] for {{mep.nam}}."),
            [
                "the citation [@c] is missing",
                "a note ^[…] is missing",
                "the expression {{mep.name}} is missing",
                "the citation [@x] is not in the original",
                "the expression {{mep.nam}} is not in the original",
            ]
        );
    }

    #[test]
    fn what_the_original_added_is_offered_as_it_is_written() {
        let original = "Profiling [@a, p. 4] is banned [@b; @c] for {{mep.name}}^[See [@d].].";
        assert!(missing_pieces(original, original).is_empty());
        assert_eq!(
            missing_pieces(original, "Profilerstellung [@a, S. 4] [@b] ^[Siehe [@d].]."),
            ["[@c]", "{{mep.name}}"]
        );
        assert_eq!(
            missing_pieces(original, "Nichts."),
            ["[@a, p. 4]", "[@b; @c]", "{{mep.name}}", "[@d]"]
        );
    }
}
