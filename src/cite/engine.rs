//! Formats citations with hayagriva and a CSL style, once per letter, in
//! reading order, so that "Ibid." and subsequent forms come out right.

use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{FontStyle, FontWeight, Locale, LocaleCode};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild, ElemChildren, Formatting,
    LocatorPayload, SpecificLocator,
};

use super::syntax::{CiteGroup, CiteItem};
use super::{CitationStyle, Library};
use crate::inline::Inline;

/// One citation in the letter and the note it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteUse {
    pub group: CiteGroup,
    pub note: u32,
    /// True for a citation inside the text of a free note (it runs on in
    /// that note's sentence); false for a citation that is a note itself.
    pub in_note: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CiteError {
    #[error("the source \"{key}\" is not in the bibliography{}", did_you_mean(.closest))]
    UnknownKey { key: String, closest: Vec<String> },
}

fn did_you_mean(closest: &[String]) -> String {
    match closest {
        [] => "; check the key, or add the source to a bibliography file".to_owned(),
        keys => format!(
            "; did you mean {}?",
            keys.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(" or ")
        ),
    }
}

/// The CSL locales bundled with Hemicycle (`assets/locales/`).
fn locales() -> &'static [Locale] {
    super::locales::all()
}

/// The CSL locale for a letter language ("en" → "en-GB", "pl" → "pl-PL").
pub fn locale_for(language: &str) -> LocaleCode {
    super::locales::locale_for(language)
}

/// Checks that every cited key exists.
pub fn check_keys(library: &Library, uses: &[CiteUse]) -> Result<(), CiteError> {
    for item in uses.iter().flat_map(|u| &u.group.items) {
        if library.get(&item.key).is_none() {
            return Err(CiteError::UnknownKey {
                key: item.key.clone(),
                closest: library.closest(&item.key, 3),
            });
        }
    }
    Ok(())
}

/// Formats every use; the result is parallel to `uses`.
pub fn format(
    style: &CitationStyle,
    library: &Library,
    language: &str,
    uses: &[CiteUse],
) -> Result<Vec<Vec<Inline>>, CiteError> {
    check_keys(library, uses)?;
    if uses.is_empty() {
        return Ok(Vec::new());
    }
    let locale = locale_for(language);
    let locales = locales();
    let mut driver = BibliographyDriver::new();
    for u in uses {
        let items = u
            .group
            .items
            .iter()
            .filter_map(|item| {
                let entry = library.get(&item.key)?;
                Some(CitationItem::with_locator(entry, item.locator.as_deref().map(locator)))
            })
            .collect();
        driver.citation(CitationRequest::new(
            items,
            &style.csl,
            Some(locale.clone()),
            locales,
            Some(u.note as usize),
        ));
    }
    let rendered = driver.finish(BibliographyRequest::new(&style.csl, Some(locale), locales));
    if style.is_note() {
        return Ok(uses
            .iter()
            .zip(&rendered.citations)
            .map(|(u, c)| with_prefix(u, to_inlines(&c.citation)))
            .collect());
    }
    // Author-date and numbered styles: the note gives the full reference from
    // the style's bibliography, with the locator.
    let entries: Vec<(String, Vec<Inline>)> = rendered
        .bibliography
        .map(|b| {
            b.items
                .iter()
                .map(|i| (i.key.clone(), to_inlines(&i.content)))
                .collect()
        })
        .unwrap_or_default();
    Ok(uses
        .iter()
        .zip(&rendered.citations)
        .map(|(u, c)| {
            let mut out = Vec::new();
            for (i, item) in u.group.items.iter().enumerate() {
                if i > 0 {
                    out.push(Inline::text("; "));
                }
                match entries.iter().find(|(k, _)| *k == item.key) {
                    Some((_, inlines)) => out.extend(strip_final_stop(inlines.clone())),
                    None => out.extend(to_inlines(&c.citation)),
                }
                if let Some(loc) = &item.locator {
                    out.push(Inline::text(format!(", {loc}")));
                }
            }
            out.push(Inline::text("."));
            with_prefix(u, out)
        })
        .collect())
}

/// "p. 4" → a page locator; "para. 12" → a paragraph; anything else
/// ("Article 21", "recital 60") is kept as written.
fn locator(text: &str) -> SpecificLocator<'_> {
    for (labels, kind) in [
        (&["pp.", "p.", "pages", "page"][..], Locator::Page),
        (
            &["paras.", "para.", "paragraphs", "paragraph", "¶"][..],
            Locator::Paragraph,
        ),
        (&["ch.", "chapter"][..], Locator::Chapter),
        (&["sec.", "section", "§"][..], Locator::Section),
    ] {
        for label in labels {
            // Compared in place: a lowercased copy can differ in length
            // ("ẞ", "İ"), and its offsets would not fit the text.
            if let Some(head) = text.get(..label.len())
                && head.eq_ignore_ascii_case(label)
            {
                let value = text[label.len()..].trim();
                if !value.is_empty() && value.starts_with(|c: char| c.is_ascii_digit()) {
                    return SpecificLocator(kind, LocatorPayload::Str(value));
                }
            }
        }
    }
    SpecificLocator(Locator::Custom, LocatorPayload::Str(text))
}

/// "see" before the first key: "See …" when the citation is a note of its
/// own, "see …" inside a sentence.
fn with_prefix(u: &CiteUse, inlines: Vec<Inline>) -> Vec<Inline> {
    let Some(prefix) = u.group.items.first().and_then(|i: &CiteItem| i.prefix.as_deref()) else {
        return inlines;
    };
    let mut chars = prefix.chars();
    let shown: String = if u.in_note {
        prefix.to_owned()
    } else {
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    };
    let mut out = vec![Inline::text(format!("{shown} "))];
    out.extend(inlines);
    out
}

fn strip_final_stop(mut inlines: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text { text }) = inlines.last_mut()
        && text.ends_with('.')
    {
        text.pop();
    }
    inlines
}

/// hayagriva's formatted output → the letter's inlines.
pub fn to_inlines(children: &ElemChildren) -> Vec<Inline> {
    let mut out = Vec::new();
    for child in &children.0 {
        push_child(child, &mut out);
    }
    merge_text(out)
}

fn push_child(child: &ElemChild, out: &mut Vec<Inline>) {
    match child {
        ElemChild::Text(f) => out.push(styled(vec![Inline::text(f.text.clone())], f.formatting)),
        ElemChild::Elem(e) => {
            for c in &e.children.0 {
                push_child(c, out);
            }
        }
        ElemChild::Markup(m) => out.push(Inline::text(m.clone())),
        ElemChild::Link { text, url } => out.push(styled(
            vec![Inline::Link {
                url: url.clone(),
                children: vec![Inline::text(text.text.clone())],
            }],
            text.formatting,
        )),
        ElemChild::Transparent { .. } => {}
    }
}

fn styled(inlines: Vec<Inline>, f: Formatting) -> Inline {
    let mut inner = inlines;
    if f.font_weight == FontWeight::Bold {
        inner = vec![Inline::Strong { children: inner }];
    }
    if f.font_style == FontStyle::Italic {
        inner = vec![Inline::Emph { children: inner }];
    }
    inner.pop().unwrap_or_else(|| Inline::text(""))
}

fn merge_text(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match (out.last_mut(), inline) {
            (Some(Inline::Text { text: prev }), Inline::Text { text }) => prev.push_str(&text),
            (Some(Inline::Emph { children: prev }), Inline::Emph { children }) => {
                prev.extend(children);
                let merged = merge_text(std::mem::take(prev));
                *prev = merged;
            }
            (_, inline) => out.push(inline),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_and_value(text: &str) -> (Locator, String) {
        match locator(text) {
            SpecificLocator(kind, LocatorPayload::Str(v)) => (kind, v.to_owned()),
            SpecificLocator(kind, LocatorPayload::Transparent(_)) => (kind, String::new()),
        }
    }

    #[test]
    fn locator_labels_are_recognised_in_any_case() {
        assert_eq!(kind_and_value("p. 4"), (Locator::Page, "4".into()));
        assert_eq!(kind_and_value("P. 4"), (Locator::Page, "4".into()));
        assert_eq!(kind_and_value("Para. 12"), (Locator::Paragraph, "12".into()));
        assert_eq!(kind_and_value("§ 3"), (Locator::Section, "3".into()));
        assert_eq!(kind_and_value("Article 21"), (Locator::Custom, "Article 21".into()));
    }

    /// Letters whose lowercase form has another length ("ẞ" → "ß", "İ" →
    /// "i̇") once made the offsets of a lowercased copy cut the text inside
    /// a character.
    #[test]
    fn locators_with_case_changing_letters_do_not_panic() {
        for text in ["p.ẞ", "p.İİİ", "İİİİ 4", "ẞẞ p. 4", "¶", "§", "pİ"] {
            let (kind, value) = kind_and_value(text);
            assert_eq!((kind, value.as_str()), (Locator::Custom, text), "{text}");
        }
    }
}
