//! The citation defects of issue 15, each on CSL-JSON shaped like a Zotero
//! export, through the same path a letter takes (the citation syntax, the
//! bundled style, the engine). Each of these failed before its fix.

#![allow(clippy::unwrap_used)]

use hemicycle::cite::engine::{self, CiteUse};
use hemicycle::cite::library::Format;
use hemicycle::cite::syntax::{self, Found};
use hemicycle::cite::{CitationStyle, Library};
use hemicycle::letter::Inline;

/// Sources as Zotero's "Export Library… → CSL JSON" writes them.
const ZOTERO_EXPORT: &str = r#"[
  {"id": "http://zotero.org/users/1/items/UNSR2020", "type": "report",
   "title": "Racial discrimination and emerging digital technologies: a human rights analysis",
   "author": [{"family": "UN Special Rapporteur on Contemporary Forms of Racism, Racial Discrimination, Xenophobia and Related Intolerance"}],
   "publisher": "United Nations Human Rights Council", "number": "A/HRC/44/57",
   "issued": {"date-parts": [["2020", 6, 18]]}, "URL": "https://undocs.org/A/HRC/44/57",
   "accessed": {"date-parts": [["2023", 4, 17]]}},
  {"id": "fra2020", "type": "report", "title": "Getting the future right",
   "author": [{"literal": "European Union Agency for Fundamental Rights"}],
   "publisher": "Publications Office of the European Union", "publisher-place": "Luxembourg",
   "issued": {"date-parts": [["2020", 12, 14]]}, "DOI": "10.2811/774118"},
  {"id": "icerd", "type": "treaty",
   "title": "International Convention on the Elimination of All Forms of Racial Discrimination",
   "author": [{"literal": "United Nations General Assembly"}], "issued": {"date-parts": [["1965", 12, 21]]}},
  {"id": "charter", "type": "legislation", "title": "Charter of Fundamental Rights of the European Union",
   "container-title": "Official Journal of the European Union", "volume": "C 326", "page": "391",
   "authority": "European Union", "issued": {"date-parts": [["2012", 10, 26]]},
   "URL": "https://eur-lex.europa.eu/eli/treaty/char_2012/oj"},
  {"id": "smith2021", "type": "article-journal", "title": "Algorithmic discrimination in policing",
   "author": [{"family": "Smith", "given": "L.F."}, {"family": "Okafor", "given": "Ngozi"}],
   "container-title": "European Journal of Criminology", "volume": "18", "issue": "4", "page": "512-534",
   "issued": {"date-parts": [["2021", 7]]}, "DOI": "10.1177/14773708211012345"},
  {"id": "guardian2023", "type": "article-newspaper", "title": "EU urged to ban predictive policing",
   "author": [{"family": "Rankin", "given": "Jennifer"}], "container-title": "The Guardian",
   "issued": {"date-parts": [["2023", 3, 14]]}},
  {"id": "hrw2023a", "type": "report", "title": "Automated neglect", "author": [{"literal": "Human Rights Watch"}],
   "publisher": "Human Rights Watch", "issued": {"date-parts": [["2023", 6, 13]]}},
  {"id": "hrw2023b", "type": "report", "title": "EU's AI rules should protect people on the move, and their data",
   "author": [{"literal": "Human Rights Watch"}], "publisher": "Human Rights Watch",
   "issued": {"date-parts": [["2023", 10, 5]]}}
]"#;

fn library() -> Library {
    let mut library = Library::default();
    library.add_text(ZOTERO_EXPORT, "zotero.json", Format::CslJson).unwrap();
    library
}

fn plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Emph { children } | Inline::Strong { children } | Inline::Link { children, .. } => {
                out.push_str(&plain(children));
            }
            Inline::NoteRef { .. } | Inline::LineBreak => {}
        }
    }
    out
}

/// One note per written citation, formatted in order with a bundled style.
fn notes(style: &str, citations: &[&str]) -> Vec<String> {
    let uses: Vec<CiteUse> = citations
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let found = syntax::scan(text);
            let [(_, Found::Cite(group))] = found.as_slice() else {
                panic!("not one citation: {text}");
            };
            CiteUse {
                group: group.clone(),
                note: u32::try_from(i + 1).unwrap(),
                in_note: false,
            }
        })
        .collect();
    let style = CitationStyle::bundled(style).unwrap();
    engine::format(&style, &library(), "en", &uses)
        .unwrap()
        .iter()
        .map(|n| plain(n))
        .collect()
}

/// CSL: "ibid" only when the previous note cites that same single item.
#[test]
fn no_ibid_after_a_note_that_cites_two_sources() {
    // Chicago 17th has no "Ibid." (it gives the short form).
    for style in ["hemicycle-notes", "harvard-notes", "oscola"] {
        let n = notes(style, &["[@icerd; @fra2020]", "[@fra2020]", "[@fra2020]"]);
        assert!(!n[1].to_lowercase().starts_with("ibid"), "{style}: {n:?}");
        assert!(n[2].to_lowercase().starts_with("ibid"), "{style}: {n:?}");
    }
    // A suffix after "Ibid." keeps the note's closing full stop.
    let n = notes("hemicycle-notes", &["[@fra2020]", "[@fra2020, recital 60]"]);
    assert_eq!(n[1], "Ibid., recital 60.");
}

/// Every item keeps its prefix and suffix, and the first prefix is as
/// written ("non-discrimination", not "Non-discrimination").
#[test]
fn prefixes_and_suffixes_of_every_item_are_kept() {
    let n = notes(
        "hemicycle-notes",
        &["[non-discrimination @icerd, art. 1; see also @charter, art. 21, emphasis added]"],
    );
    assert!(
        n[0].starts_with("non-discrimination United Nations General Assembly"),
        "{n:?}"
    );
    assert!(n[0].contains("; see also Charter of Fundamental Rights"), "{n:?}");
    assert!(n[0].ends_with(", emphasis added."), "{n:?}");
}

/// An organisation's long name is not split as a personal name, whether
/// Zotero wrote it as a family name alone, as a `literal`, or BibTeX in
/// double braces.
#[test]
fn institutional_names_stay_whole() {
    let n = notes(
        "hemicycle-notes",
        &["[@{http://zotero.org/users/1/items/UNSR2020}]", "[@fra2020]"],
    );
    assert!(
        n[0].starts_with("UN Special Rapporteur on Contemporary Forms of Racism, Racial Discrimination, Xenophobia and Related Intolerance (2020)"),
        "{n:?}"
    );
    assert!(
        n[1].starts_with("European Union Agency for Fundamental Rights (2020)"),
        "{n:?}"
    );
    let mut bib = Library::default();
    bib.add_text(
        "@report{fra, author = {{European Union Agency for Fundamental Rights}}, title = {Getting the future right}, date = {2020}}",
        "b.bib",
        Format::BibLatex,
    )
    .unwrap();
    let style = CitationStyle::bundled("hemicycle-notes").unwrap();
    let group = match syntax::scan("[@fra]").pop() {
        Some((_, Found::Cite(g))) => g,
        other => panic!("{other:?}"),
    };
    let out = engine::format(
        &style,
        &bib,
        "en",
        &[CiteUse {
            group,
            note: 1,
            in_note: false,
        }],
    )
    .unwrap();
    assert!(
        plain(&out[0]).starts_with("European Union Agency for Fundamental Rights (2020)"),
        "{out:?}"
    );
}

/// "L.F." keeps both initials.
#[test]
fn initials_are_not_cut() {
    let n = notes("hemicycle-notes", &["[@smith2021]"]);
    assert!(n[0].starts_with("Smith, L.F. and Okafor, N. (2021)"), "{n:?}");
    let n = notes("oscola", &["[@smith2021]"]);
    assert!(n[0].starts_with("LF Smith and Ngozi Okafor"), "{n:?}");
}

/// hemicycle-notes gives pages, DOI, authority, a news article's day and
/// month, and tells one author's works of a year apart.
#[test]
fn hemicycle_notes_keeps_every_field() {
    let n = notes(
        "hemicycle-notes",
        &[
            "[@smith2021]",
            "[@charter]",
            "[@guardian2023]",
            "[@hrw2023a]",
            "[@hrw2023b]",
            "[@hrw2023a, p. 4]",
        ],
    );
    assert!(n[0].contains("pp. 512–534"), "{}", n[0]);
    assert!(n[0].contains("https://doi.org/10.1177/14773708211012345"), "{}", n[0]);
    assert!(n[1].contains("European Union"), "authority: {}", n[1]);
    assert!(n[2].contains("The Guardian, 14 March"), "{}", n[2]);
    assert!(n[3].starts_with("Human Rights Watch (2023a)"), "{}", n[3]);
    assert!(n[4].starts_with("Human Rights Watch (2023b)"), "{}", n[4]);
    assert_eq!(n[5], "Human Rights Watch (2023a), p. 4.");
}

/// The locator follows the title, not the URL, with its CSL label.
#[test]
fn the_locator_follows_the_title_with_its_label() {
    let n = notes("hemicycle-notes", &["[@charter, Article 21]"]);
    assert!(
        n[0].starts_with("Charter of Fundamental Rights of the European Union (2012), art. 21, Official Journal"),
        "{n:?}"
    );
    let n = notes("oscola", &["[@charter, art. 21]"]);
    assert!(n[0].contains("art 21"), "{n:?}");
}

/// Title case leaves words with capitals as written and keeps "and" low
/// after a comma.
#[test]
fn title_case_keeps_acronyms() {
    let n = notes("chicago-notes", &["[@hrw2023b]"]);
    assert!(
        n[0].contains("EU’s AI Rules Should Protect People on the Move, and Their Data"),
        "{n:?}"
    );
}

/// Sources of issue 25: a web page with a container title, a year and no
/// place; news titles with quotes and apostrophes, as Zotero exports them.
const ISSUE_25_EXPORT: &str = r#"[
  {"id": "epso", "type": "webpage", "title": "Traineeships",
   "container-title": "European Personnel Selection Office", "publisher-place": "",
   "author": [{"literal": "European Institutions Office"}],
   "issued": {"date-parts": [["2021"]]}, "URL": "https://eu-careers.europa.eu/traineeships",
   "accessed": {"date-parts": [["2024", 2, 1]]}},
  {"id": "visa", "type": "article-newspaper",
   "title": "Home Office to scrap 'racist algorithm' for UK visa applicants",
   "container-title": "The Guardian", "author": [{"family": "Warrell", "given": "Helen"}],
   "issued": {"date-parts": [["2020", 8, 4]]}},
  {"id": "blank", "type": "article-journal", "title": "Who watches the watchers?",
   "author": [{"family": "O'Brien", "given": "Siobhán"}], "container-title": "Common Market Law Review",
   "volume": "14", "issue": "", "page": "", "publisher-place": "", "issued": {"date-parts": [["2019"]]}},
  {"id": "curly", "type": "article-newspaper",
   "title": "MEPs back the “AI Act” in the EU's final vote",
   "container-title": "Euractiv", "issued": {"date-parts": [["2024", 3, 13]]}}
]"#;

fn issue_25_notes(style: &str, keys: &[&str]) -> Vec<String> {
    let mut library = Library::default();
    library
        .add_text(ISSUE_25_EXPORT, "zotero.json", Format::CslJson)
        .unwrap();
    let uses: Vec<CiteUse> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let found = syntax::scan(&format!("[@{key}]"));
            let [(_, Found::Cite(group))] = found.as_slice() else {
                panic!("not one citation: {key}");
            };
            CiteUse {
                group: group.clone(),
                note: u32::try_from(i + 1).unwrap(),
                in_note: false,
            }
        })
        .collect();
    let style = CitationStyle::bundled(style).unwrap();
    engine::format(&style, &library, "en", &uses)
        .unwrap()
        .iter()
        .map(|n| plain(n))
        .collect()
}

/// A date the style prints as day and month, of which only the year is
/// known, is empty: no delimiter is left before it (hayagriva patch 9).
#[test]
fn a_date_without_the_parts_a_style_prints_leaves_no_delimiter() {
    let n = issue_25_notes("hemicycle-notes", &["epso"]);
    assert!(
        n[0].contains("European Personnel Selection Office, [online] Available at:"),
        "{n:?}"
    );
    for style in ["hemicycle-notes", "harvard-notes", "chicago-notes", "oscola"] {
        let n = issue_25_notes(style, &["epso"]);
        assert!(!n[0].contains(", ,") && !n[0].contains(", ."), "{style}: {n:?}");
    }
}

/// Quotation marks in a title alternate with the quotes around it, and
/// apostrophes are typographic (hayagriva patch 8).
#[test]
fn quotes_in_titles_flip_flop_and_apostrophes_are_typographic() {
    let n = issue_25_notes("hemicycle-notes", &["visa", "curly"]);
    assert!(
        n[0].contains("‘Home Office to scrap “racist algorithm” for UK visa applicants’"),
        "{n:?}"
    );
    assert!(
        n[1].contains("‘MEPs back the “AI Act” in the EU’s final vote’"),
        "{n:?}"
    );
    assert!(!n.iter().any(|note| note.contains('\'')), "{n:?}");
}

/// A locator of several pages joined by "and" takes the plural label
/// (hayagriva patch 11).
#[test]
fn pages_joined_by_and_take_the_plural_label() {
    let n = notes("hemicycle-notes", &["[@fra2020, pp. 3 and 5]"]);
    assert!(n[0].contains("pp. 3 and 5"), "{n:?}");
}

/// A field Zotero exports as "" is absent: no label or delimiter before
/// nothing ("p. ."), and no full stop after a quoted title ending in "?".
#[test]
fn blank_fields_of_a_zotero_export_print_nothing() {
    for style in ["hemicycle-notes", "harvard-notes"] {
        let n = issue_25_notes(style, &["blank"]);
        assert!(!n[0].contains("p. .") && !n[0].contains("()"), "{style}: {n:?}");
        assert!(n[0].contains("Common Market Law Review, 14"), "{style}: {n:?}");
    }
    let n = issue_25_notes("harvard-notes", &["blank"]);
    assert!(n[0].contains("watchers?’ Common Market"), "{n:?}");
}
