//! Property tests: letter text made of every kind of markup, citation,
//! script and control character the user can type, put through compose and
//! every renderer. Nothing may panic or hang; DOCX parts must be well-formed
//! XML; a PDF is made or refused with a message. Cases per property are set
//! in `ProptestConfig` (more with `PROPTEST_CASES=100000`).

#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;
use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;
use hemicycle::compose::Composer;
use hemicycle::directory::{Directory, Mep};
use hemicycle::letter::Letter;
use hemicycle::render::{self, docx, eml, pdf};
use proptest::prelude::*;

static COMPOSER: LazyLock<Composer> = LazyLock::new(|| {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs/campaign.toml");
    Composer::open(&file, None).unwrap()
});

static MEP: LazyLock<Mep> = LazyLock::new(|| Directory::bundled().unwrap().get("197870").unwrap().clone());

/// Pieces of what people type: words in several scripts, markup, citations
/// (known, unknown, with odd locators), notes, control characters pasted
/// from Word or a terminal, Handlebars-looking braces, HTML and XML.
const PIECES: &[&str] = &[
    "word",
    "Abadía",
    "Straße",
    "ẞ",
    "İİİ",
    "Ελλάδα",
    "Україна",
    "😀",
    "中文",
    "\u{b}",
    "\u{c}",
    "\u{1b}[31m",
    "\u{0}",
    "\u{200b}",
    "\u{feff}",
    "*",
    "**",
    "_",
    "`",
    "[",
    "]",
    "(",
    ")",
    "> ",
    "- ",
    "1. ",
    "2) ",
    "# ",
    "### ",
    "---",
    "[@barrett2019]",
    "[@aiact2024, art. 5]",
    "[@nosuchkey]",
    "[@barrett2019, p. ẞ]",
    "[see @aiact2024, p. 7; @barrett2019]",
    "^[an inline note]",
    "^[note with [@barrett2019]]",
    "<b>",
    "&amp;",
    "</w:t>",
    "rIdHyperlink42",
    "{{",
    "}}",
    "\\",
    "https://example.org/a_(b)",
    "[link](https://example.org)",
    "[bad](javascript:alert(1))",
    "=cmd|' /C calc'!A0",
    "\n",
    "\n\n",
    "  ",
    "\t",
    "    code",
    "|a|b|",
    "'",
    "\"",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|pieces| pieces.join(" "))
}

fn config(cases: u32) -> ProptestConfig {
    common::proptest_config(cases)
}

/// Cases the property tests found, kept as they were found.
#[test]
fn found_cases_stay_fixed() {
    // A heading with no words: the tagged PDF refused it ("heading title is
    // empty") and the whole letter failed.
    // A byte-order mark in code: refused by PDF/UA as a glyph's text.
    for body in ["# ", "## \n\nSome text.", "#", "` \u{feff} word `", "a\u{feff}b"] {
        let letter = letter_with(body).unwrap();
        assert!(pdf::render(&letter, &pdf::PdfSettings::default()).is_ok(), "{body:?}");
    }
    // A terminal escape in the text version.
    let letter = letter_with("Red \u{1b}[31mtext\u{0}").unwrap();
    assert!(!render::text::render(&letter).contains('\u{1b}'));
}

/// The fixture's letter with `body` as its first demand's text.
fn letter_with(body: &str) -> Result<Letter, String> {
    let mut composer = COMPOSER.clone();
    body.clone_into(&mut composer.demands[0].body);
    composer.clear_cache();
    composer
        .letter(&MEP, 0, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .map_err(|e| e.to_string())
}

/// Every XML part of a DOCX file parses.
fn docx_is_well_formed(bytes: &[u8]) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = part.name().map_err(|e| e.to_string())?.into_owned();
        let ext = Path::new(&name)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !ext.eq_ignore_ascii_case("xml") && !ext.eq_ignore_ascii_case("rels") {
            continue;
        }
        let mut xml = String::new();
        part.read_to_string(&mut xml).map_err(|e| format!("{name}: {e}"))?;
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => return Err(format!("{name} is not well-formed XML: {e}")),
            }
        }
        // XML 1.0 allows no control characters but tab, newline and return.
        if let Some(c) = xml.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            return Err(format!("{name} holds the control character U+{:04X}", u32::from(c)));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    /// Compose and every text format: no panic; an error is a sentence.
    #[test]
    fn any_text_composes_and_renders(body in text()) {
        match letter_with(&body) {
            Err(message) => prop_assert!(!message.trim().is_empty()),
            Ok(letter) => {
                let text = render::text::render(&letter);
                prop_assert!(!text.contains('\u{1b}'), "text output keeps an ESC");
                let html = render::html::render(&letter);
                prop_assert!(!html.contains("href=\"javascript:"), "HTML keeps a javascript: link");
                let markdown = render::markdown::render(&letter);
                // Read back as Markdown: no link but web and mail links.
                for event in pulldown_cmark::Parser::new(&markdown) {
                    if let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) = event {
                        let url = dest_url.to_ascii_lowercase();
                        prop_assert!(
                            ["http:", "https:", "mailto:"].iter().any(|s| url.starts_with(s)) || !url.contains(':'),
                            "Markdown keeps the link {url}"
                        );
                    }
                }
                let bytes = docx::render(&letter).map_err(|e| TestCaseError::fail(e.to_string()))?;
                docx_is_well_formed(&bytes).map_err(TestCaseError::fail)?;
                let settings = eml::EmlSettings {
                    from_name: "Test Foundation".into(),
                    from_email: "letters@example.org".into(),
                    ..eml::EmlSettings::default()
                };
                let message = eml::render(&letter, &MEP.display_name(), "kim@example.org", &settings)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert!(message.is_ascii() || message.windows(2).any(|w| w == b"\r\n"));
            }
        }
    }
}

proptest! {
    // A PDF takes longer: fewer cases.
    #![proptest_config(config(24))]

    /// A PDF is made, or refused with a message that names what cannot be
    /// shown; never a panic.
    #[test]
    fn any_text_makes_a_pdf_or_says_why_not(body in text()) {
        if let Ok(letter) = letter_with(&body) {
            match pdf::render(&letter, &pdf::PdfSettings::default()) {
                Ok(bytes) => prop_assert!(bytes.starts_with(b"%PDF-")),
                Err(e) => prop_assert!(e.to_string().contains("cannot show"), "{e}"),
            }
        }
    }
}
