//! Formats citations with hayagriva and a CSL style, once per letter, in
//! reading order, so that "Ibid." and subsequent forms come out right.

use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{FontStyle, FontWeight, Locale, LocaleCode};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild, ElemChildren, ElemMeta,
    Formatting, LocatorPayload, SpecificLocator,
};

use super::syntax::CiteGroup;
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
                let locator = item.locator.as_deref().map(split_locator).and_then(|s| s.locator);
                Some(CitationItem::with_locator(
                    entry,
                    locator.map(|(kind, value)| SpecificLocator(kind, LocatorPayload::Str(value))),
                ))
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
    // A note style's notes need no bibliography: leave it out.
    let bibliography_style = if style.is_note() {
        &*style.citations_only
    } else {
        &style.csl
    };
    let rendered = driver.finish(BibliographyRequest::new(bibliography_style, Some(locale), locales));
    if style.is_note() {
        return Ok(uses
            .iter()
            .zip(&rendered.citations)
            .map(|(u, c)| {
                let layout_suffix = style.csl.citation.layout.suffix.as_deref();
                to_inlines(&with_affixes(&u.group, &c.citation, layout_suffix))
            })
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
        .map(|(u, c)| reference_note(&u.group, &entries, &c.citation))
        .collect())
}

/// One note per bundled style for the source `key`, as its first citation:
/// what the style picker shows beside each style. A style that cannot
/// format the source gives the reason instead.
pub fn samples(library: &Library, key: &str, language: &str) -> Vec<(&'static str, Result<Vec<Inline>, String>)> {
    let uses = [CiteUse {
        group: CiteGroup {
            items: vec![super::syntax::CiteItem {
                key: key.to_owned(),
                locator: None,
                prefix: None,
            }],
        },
        note: 1,
        in_note: false,
    }];
    super::style::BUNDLED
        .iter()
        .map(|b| {
            let note = CitationStyle::bundled(b.name)
                .map_err(|e| e.to_string())
                .and_then(|style| format(&style, library, language, &uses).map_err(|e| e.to_string()))
                .map(|mut notes| notes.pop().unwrap_or_default());
            (b.name, note)
        })
        .collect()
}

/// A note of an author-date or numbered style: each source's entry in the
/// bibliography, the locator as written, separated by semicolons.
fn reference_note(group: &CiteGroup, entries: &[(String, Vec<Inline>)], citation: &ElemChildren) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, item) in group.items.iter().enumerate() {
        if i > 0 {
            out.push(Inline::text("; "));
        }
        if let Some(prefix) = &item.prefix {
            out.push(Inline::text(format!("{prefix} ")));
        }
        match entries.iter().find(|(k, _)| *k == item.key) {
            Some((_, inlines)) => out.extend(strip_final_stop(inlines.clone())),
            None => out.extend(to_inlines(citation)),
        }
        if let Some(loc) = &item.locator {
            out.push(Inline::text(format!(", {loc}")));
        }
    }
    out.push(Inline::text("."));
    merge_text(out)
}

/// The citation with each item's prefix before it and suffix after it, as
/// citeproc-js places them: the style's sorting may have moved the items,
/// and each rendered item knows the index it was cited at.
/// When the last item's rendering already ended with the style's closing
/// punctuation ("Ibid."), hayagriva left that out; after a suffix it is
/// needed again ("Ibid., recital 60.").
fn with_affixes(group: &CiteGroup, citation: &ElemChildren, layout_suffix: Option<&str>) -> ElemChildren {
    let mut out = Vec::with_capacity(citation.0.len() + 2 * group.items.len() + 1);
    for child in &citation.0 {
        let cited = match child {
            ElemChild::Elem(e) => match e.meta {
                Some(ElemMeta::Entry(i)) => group.items.get(i),
                _ => None,
            },
            _ => None,
        };
        let Some(item) = cited else {
            out.push(child.clone());
            continue;
        };
        if let Some(prefix) = item.prefix.as_deref() {
            out.push(plain(format!("{prefix} ")));
        }
        out.push(child.clone());
        if let Some(suffix) = item.locator.as_deref().and_then(|l| split_locator(l).suffix) {
            out.push(plain(suffix));
        }
    }
    if let (Some(closing), Some(ElemChild::Text(last))) = (layout_suffix, out.last())
        && !last.text.ends_with(closing)
        && group
            .items
            .iter()
            .any(|i| i.locator.as_deref().is_some_and(|l| split_locator(l).suffix.is_some()))
    {
        out.push(plain(closing.to_owned()));
    }
    ElemChildren(out)
}

fn plain(text: String) -> ElemChild {
    ElemChild::Text(hayagriva::Formatted {
        text,
        formatting: Formatting::default(),
    })
}

/// The locator labels a writer may type, long and short, each with its CSL
/// locator type; a longer label comes before a shorter one it starts with.
const LOCATOR_LABELS: &[(&str, Locator)] = &[
    ("pages", Locator::Page),
    ("page", Locator::Page),
    ("pp.", Locator::Page),
    ("p.", Locator::Page),
    ("paragraphs", Locator::Paragraph),
    ("paragraph", Locator::Paragraph),
    ("paras.", Locator::Paragraph),
    ("para.", Locator::Paragraph),
    ("¶¶", Locator::Paragraph),
    ("¶", Locator::Paragraph),
    ("articles", Locator::ArticleLocator),
    ("article", Locator::ArticleLocator),
    ("arts.", Locator::ArticleLocator),
    ("art.", Locator::ArticleLocator),
    ("chapters", Locator::Chapter),
    ("chapter", Locator::Chapter),
    ("chaps.", Locator::Chapter),
    ("chap.", Locator::Chapter),
    ("chs.", Locator::Chapter),
    ("ch.", Locator::Chapter),
    ("sections", Locator::Section),
    ("section", Locator::Section),
    ("sects.", Locator::Section),
    ("sect.", Locator::Section),
    ("secs.", Locator::Section),
    ("sec.", Locator::Section),
    ("§§", Locator::Section),
    ("§", Locator::Section),
    ("volumes", Locator::Volume),
    ("volume", Locator::Volume),
    ("vols.", Locator::Volume),
    ("vol.", Locator::Volume),
    ("notes", Locator::Note),
    ("note", Locator::Note),
    ("nn.", Locator::Note),
    ("n.", Locator::Note),
    ("figures", Locator::Figure),
    ("figure", Locator::Figure),
    ("figs.", Locator::Figure),
    ("fig.", Locator::Figure),
    ("parts", Locator::Part),
    ("part", Locator::Part),
    ("pts.", Locator::Part),
    ("pt.", Locator::Part),
    ("lines", Locator::Line),
    ("line", Locator::Line),
    ("ll.", Locator::Line),
    ("l.", Locator::Line),
    ("columns", Locator::Column),
    ("column", Locator::Column),
    ("cols.", Locator::Column),
    ("col.", Locator::Column),
    ("appendix", Locator::Appendix),
    ("app.", Locator::Appendix),
    ("numbers", Locator::Issue),
    ("number", Locator::Issue),
    ("nos.", Locator::Issue),
    ("no.", Locator::Issue),
    ("s.v.", Locator::SubVerbo),
];

/// A citation's text after the key, split the way pandoc and CSL do: a
/// locator (its CSL type and value) and the text after it (the suffix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitLocator<'a> {
    /// None when the text names no locator ("recital 42", "emphasis
    /// added"): all of it is then suffix.
    pub locator: Option<(Locator, &'a str)>,
    /// What follows the locator, with its own comma (", emphasis added").
    pub suffix: Option<String>,
}

/// "art. 21" → article 21; "p. 12, emphasis added" → page 12 and the
/// suffix ", emphasis added"; "12" → page 12 (a number alone is a page);
/// "recital 42" → no locator, suffix ", recital 42".
pub fn split_locator(text: &str) -> SplitLocator<'_> {
    let text = text.trim();
    let (kind, rest) = match locator_label(text) {
        Some((kind, rest)) => (kind, rest),
        None if text.starts_with(|c: char| c.is_ascii_digit()) => (Locator::Page, text),
        None => {
            return SplitLocator {
                locator: None,
                suffix: Some(format!(", {text}")).filter(|_| !text.is_empty()),
            };
        }
    };
    // The value runs to a comma that is not followed by another number
    // ("pp. 3, 5" is one locator; "p. 3, emphasis added" has a suffix).
    let bytes = rest.as_bytes();
    let end = rest
        .match_indices(',')
        .map(|(i, _)| i)
        .find(|&i| !rest[i + 1..].trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(bytes.len());
    let value = rest[..end].trim();
    SplitLocator {
        locator: Some((kind, value)),
        suffix: Some(rest[end..].to_owned()).filter(|s| !s.is_empty()),
    }
}

/// The label at the start of `text` and the value after it: a label must
/// be followed by a space or, for an abbreviation or sign, by the value
/// ("p.4", "§3"). Compared in place: a lowercased copy can differ in length
/// ("ẞ", "İ"), and its offsets would not fit the text.
fn locator_label(text: &str) -> Option<(Locator, &str)> {
    LOCATOR_LABELS.iter().find_map(|&(label, kind)| {
        let head = text.get(..label.len())?;
        if !head.eq_ignore_ascii_case(label) {
            return None;
        }
        let after = &text[label.len()..];
        let glued = label.ends_with(['.', '§', '¶']);
        let spaced = after.starts_with(char::is_whitespace);
        let value = after.trim_start();
        let starts_value = value.starts_with(|c: char| c.is_alphanumeric());
        ((spaced || glued) && starts_value).then_some((kind, value))
    })
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

    fn split(text: &str) -> (Option<(Locator, String)>, Option<String>) {
        let s = split_locator(text);
        (s.locator.map(|(k, v)| (k, v.to_owned())), s.suffix)
    }

    #[test]
    fn locator_labels_are_recognised_in_any_case() {
        assert_eq!(split("p. 4"), (Some((Locator::Page, "4".into())), None));
        assert_eq!(split("P. 4"), (Some((Locator::Page, "4".into())), None));
        assert_eq!(split("pp. 3-4"), (Some((Locator::Page, "3-4".into())), None));
        assert_eq!(split("Para. 12"), (Some((Locator::Paragraph, "12".into())), None));
        assert_eq!(split("§ 3"), (Some((Locator::Section, "3".into())), None));
        assert_eq!(split("§3"), (Some((Locator::Section, "3".into())), None));
        assert_eq!(split("12"), (Some((Locator::Page, "12".into())), None));
    }

    /// Articles are CSL's `article-locator` ("art. 21"), written any way;
    /// what names no locator becomes the suffix, as in pandoc.
    #[test]
    fn articles_suffixes_and_unlabelled_text() {
        let art21 = (Some((Locator::ArticleLocator, "21".into())), None);
        assert_eq!(split("Article 21"), art21);
        assert_eq!(split("art. 21"), art21);
        assert_eq!(split("Art. 21"), art21);
        assert_eq!(
            split("art. 5(1)(a)"),
            (Some((Locator::ArticleLocator, "5(1)(a)".into())), None)
        );
        assert_eq!(
            split("p. 12, emphasis added"),
            (Some((Locator::Page, "12".into())), Some(", emphasis added".into()))
        );
        assert_eq!(split("pp. 3, 5"), (Some((Locator::Page, "3, 5".into())), None));
        assert_eq!(split("recital 42"), (None, Some(", recital 42".into())));
        // A word that starts like a label is not one.
        assert_eq!(split("pages-worth"), (None, Some(", pages-worth".into())));
        assert_eq!(split("particle 4"), (None, Some(", particle 4".into())));
    }

    /// Letters whose lowercase form has another length ("ẞ" → "ß", "İ" →
    /// "i̇") once made the offsets of a lowercased copy cut the text inside
    /// a character.
    #[test]
    fn locators_with_case_changing_letters_do_not_panic() {
        for text in ["p.ẞ", "p.İİİ", "İİİİ 4", "ẞẞ p. 4", "¶", "§", "pİ"] {
            let (locator, _) = split(text);
            assert!(locator.is_none() || text.starts_with("p."), "{text}: {locator:?}");
        }
    }
}
