//! Property tests for the parsers of what users open (issue 14): campaign
//! TOML, CSV directories, bibliographies (CSL-JSON, BibLaTeX, YAML) and the
//! send journal after truncation or damage. Any input gives a value or an
//! error that names the file; nothing panics or hangs; a journal always
//! opens after a write cut short and never loses a complete earlier line.
//! Cases per property are set below (more with `PROPTEST_CASES=20000`);
//! the seed is fixed, as in `tests/properties.rs`.

#![allow(clippy::unwrap_used)]

mod common;

use hemicycle::campaign::Campaign;
use hemicycle::cite::library::{Format, Library};
use hemicycle::deliver::journal::{Record, State, View};
use hemicycle::directory::import::csv_list;
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    common::proptest_config(cases)
}

/// Pieces of TOML a campaign file is made of, right and wrong.
const TOML_PIECES: &[&str] = &[
    "format = \"hemicycle-campaign\"\n",
    "version = 1\n",
    "version = 99\n",
    "version = -1\n",
    "id = \"3f2a9c1e-0b7d-4c1e-9a53-2d8e4f7b1c60\"\n",
    "id = \"../../etc\"\n",
    "title = \"Spring\"\n",
    "title = \"\"\n",
    "template = \"personal-letter\"\n",
    "template = \"../x.md.hbs\"\n",
    "language = \"de-AT\"\n",
    "language = \"xx\"\n",
    "date = \"2026-12-01\"\n",
    "date = \"-0001-01-01\"\n",
    "date = 2026-12-01\n",
    "subjects = [\"A\", \"B\"]\n",
    "subjects = \"A\"\n",
    "citation_style = \"oscola\"\n",
    "bibliography = [\"missing.json\"]\n",
    "[organisation]\n",
    "name = \"Stichting \\u001b[31m\"\n",
    "[recipients]\n",
    "query = { committees = [\"LIBE\"] }\n",
    "[[demands]]\n",
    "id = \"d1\"\n",
    "body = \"We ask [@key, p. ẞ]\"\n",
    "[volunteer]\n",
    "max_alike = 2.5\n",
    "locked = [\"nothing\"]\n",
    "[layout]\n",
    "unknown_option = true\n",
    "[[[",
    "= =\n",
    "\"\n",
    "a.b.c.d.e = 1\n",
    "x = [[[[[[[[[[1]]]]]]]]]]\n",
    "\u{0}",
    "\u{feff}",
    "é",
    "\n",
];

fn campaign_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOML_PIECES), 0..40).prop_map(|p| p.concat())
}

/// Pieces of a CSV directory.
const CSV_PIECES: &[&str] = &[
    "id,name,country,group,email\n",
    "id,full_name,email,gender,honorific\n",
    "ep_id;name;email\n",
    "197870,Ana Abadía,ES,EPP,ana@ep.europa.eu\n",
    "1,\"Quoted, name\",FR,S&D,x@y\n",
    "\"unclosed,",
    "=cmd|' /C calc'!A0,",
    ",,,,\n",
    "\r\n",
    "\n",
    "FEMALE",
    "Mrs",
    "\u{0}",
    "😀",
    "\u{1b}[2J",
    ",",
    ";",
    "\"\"",
];

fn csv_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(CSV_PIECES), 0..60).prop_map(|p| p.concat())
}

/// Pieces of bibliographies in the three formats.
const BIB_PIECES: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ",",
    "{\"id\": \"a\", \"type\": \"book\", \"title\": \"T\"}",
    "{\"id\": \"b\", \"author\": [{\"family\": \"Abadía\", \"given\": \"Ñ\"}], \"issued\": {\"date-parts\": [[2019]]}}",
    "{\"id\": 5}",
    "\"issued\": {\"date-parts\": [[\"x\"]]}",
    "@book{key, title = {A {nested} title}, year = 2019}\n",
    "@string{a = a}\n",
    "@string{b = c # b}\n",
    "@article{k2, author = {Doe, J. and Roe, R.}, journal = a}\n",
    "@comment{",
    "key:\n  type: book\n  title: T\n",
    "other:\n  type: article\n  author: [\"Doe, Jane\"]\n  date: 2019-13-45\n",
    "- - - -\n",
    ": :\n",
    "&anchor\n",
    "*anchor\n",
    "\u{0}",
    "😀",
    "\n",
    "  ",
];

fn bib_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(BIB_PIECES), 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(config(512))]

    /// Any text: a campaign, or an error that names the file.
    #[test]
    fn any_toml_loads_as_a_campaign_or_says_why(text in campaign_text()) {
        match Campaign::from_toml(&text, "spring.toml") {
            Ok(c) => prop_assert!(!c.title.trim().is_empty()),
            Err(e) => prop_assert!(e.to_string().contains("spring.toml"), "{e}"),
        }
    }

    /// Any bytes (read as the loader reads them): the same.
    #[test]
    fn any_bytes_load_as_a_campaign_or_say_why(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spring.toml");
        std::fs::write(&path, &bytes).unwrap();
        if let Err(e) = Campaign::load(&path) {
            prop_assert!(e.to_string().contains("spring.toml"), "{e}");
        }
    }

    /// Any CSV: a list, or an error that names the file.
    #[test]
    fn any_csv_imports_or_says_why(text in csv_text()) {
        if let Err(e) = csv_list::parse(&text, "meps.csv") {
            prop_assert!(e.to_string().contains("meps.csv"), "{e}");
        }
    }

    /// Any bibliography in any of the three formats: read, or an error
    /// that names the file.
    #[test]
    fn any_bibliography_reads_or_says_why(text in bib_text(), format in 0..3usize) {
        let format = [Format::CslJson, Format::BibLatex, Format::Yaml][format];
        let mut library = Library::default();
        if let Err(e) = library.add_text(&text, "sources.bib", format) {
            prop_assert!(e.to_string().contains("sources.bib"), "{e}");
        }
    }
}

/// Journal records with names in several scripts.
fn records() -> impl Strategy<Value = Vec<Record>> {
    let names = prop::sample::select(&["Abadía Ñúñez", "Ådne Øyå", "Ελένη", "中文", "😀 Emoji", "Plain"][..]);
    let states = prop::sample::select(&[State::Pending, State::Sent, State::Deferred, State::Unconfirmed][..]);
    prop::collection::vec((0..50u32, names, states), 1..12).prop_map(|v| {
        v.into_iter()
            .map(|(mep, name, state)| Record::new(&mep.to_string(), name, "a@ep.europa.eu", state, "fp"))
            .collect()
    })
}

proptest! {
    #![proptest_config(config(512))]

    /// A journal cut short at any byte and then damaged after the cut
    /// point (bytes changed, or garbage appended): it opens, and every line
    /// that was complete before the damage is there.
    #[test]
    fn a_damaged_journal_opens_and_keeps_its_complete_lines(
        records in records(),
        cut in any::<prop::sample::Index>(),
        damage in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        tail in prop::collection::vec(any::<u8>(), 0..40),
    ) {
        let full: Vec<u8> = records
            .iter()
            .flat_map(|r| {
                let mut line = serde_json::to_vec(r).unwrap();
                line.push(b'\n');
                line
            })
            .collect();
        let first_end = full.iter().position(|b| *b == b'\n').unwrap() + 1;
        // Damage only after the first line, which marks the file as a
        // journal (a first line of something else is a foreign file).
        let cut = first_end + cut.index(full.len() - first_end + 1);
        let mut bytes = full[..cut].to_vec();
        let mut earliest = cut;
        for (at, byte) in damage {
            if bytes.len() > first_end {
                let at = first_end + at.index(bytes.len() - first_end);
                bytes[at] = byte;
                earliest = earliest.min(at);
            }
        }
        if !tail.is_empty() {
            bytes.extend(&tail);
        }
        // The lines whole before the first damaged byte.
        #[allow(clippy::naive_bytecount)]
        let whole = full[..earliest].iter().filter(|b| **b == b'\n').count();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, &bytes).unwrap();
        let view = View::read(&path).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(view.records.len() >= whole, "{} of {whole} lines kept", view.records.len());
        prop_assert_eq!(&view.records[..whole], &records[..whole]);
        // And it opens for writing, and once more after.
        let mut journal = hemicycle::deliver::journal::Journal::open(&path).map_err(|e| TestCaseError::fail(e.to_string()))?;
        journal.record(Record::new("99", "Next", "n@ep.europa.eu", State::Pending, "fp")).unwrap();
        drop(journal);
        let again = View::read(&path).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(again.records.last().map(|r| r.mep.as_str()), Some("99"));
    }
}
