//! Zotero's local API (Zotero 7, `http://localhost:23119/api/`), played by a
//! local server answering recorded responses in its shape
//! (`tests/common/zotero.rs`, `tests/fixtures/zotero/`): the search, the
//! local API switched off, no Zotero at all, and `hemicycle zotero add`
//! writing the chosen items into a CSL-JSON file the campaign then cites.

#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use common::zotero::ZoteroServer;
use hemicycle::cite::zotero::Zotero;

#[test]
fn a_search_asks_for_csl_json_and_reads_the_answer() {
    let server = ZoteroServer::start();
    let found = Zotero::new(&server.base_url).search("picum").unwrap();
    let summaries: Vec<String> = found.iter().map(hemicycle::cite::zotero::Found::summary).collect();
    assert_eq!(
        summaries,
        [
            "Platform for International Cooperation on Undocumented Migrants (2023). Digital technology, policing and migration: what does it mean for undocumented migrants?",
            "Özkul (2024). The EU AI Act and migration: a risk-based approach that leaves people on the move behind",
        ]
    );
    let (url, version) = server.requests().pop().unwrap();
    assert_eq!(version, "3");
    for part in ["/api/users/0/items/top?", "q=picum", "format=csljson", "limit=50"] {
        assert!(url.contains(part), "{part}: {url}");
    }
    assert!(
        Zotero::new(&server.base_url)
            .search("no such words")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn zotero_off_or_not_running_is_explained() {
    let server = ZoteroServer::start();
    server.off.store(true, std::sync::atomic::Ordering::SeqCst);
    let err = Zotero::new(&server.base_url).search("picum").unwrap_err().to_string();
    assert!(err.starts_with("Zotero is running but its local API is off"), "{err}");
    assert!(
        err.contains(
            "Settings → Advanced and tick \"Allow other applications on this computer to communicate with Zotero\""
        ),
        "{err}"
    );
    // A port nobody listens on: no Zotero.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = Zotero::new(&format!("http://127.0.0.1:{port}/api/"))
        .search("picum")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("Zotero is not running, or its local API is off"),
        "{err}"
    );
}

#[test]
fn zotero_add_writes_csl_json_that_the_campaign_cites() {
    let server = ZoteroServer::start();
    let work = tempfile::tempdir().unwrap();
    let campaign = common::example_copy(work.path(), |t| t);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_hemicycle"))
            .args(args)
            .env("HEMICYCLE_HOME", work.path().join("home"))
            .env("HEMICYCLE_ZOTERO_URL", &server.base_url)
            .output()
            .unwrap()
    };
    let out = run(&["zotero", "search", "picum"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        common::stdout(&out).contains("  2. Özkul (2024). The EU AI Act"),
        "{}",
        common::stdout(&out)
    );

    let out = run(&["zotero", "add", campaign.to_str().unwrap(), "picum", "--pick", "2"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        common::stdout(&out).contains("added [@ozkul2024]"),
        "{}",
        common::stdout(&out)
    );
    let file = campaign.with_file_name("c-zotero.json");
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written.as_array().unwrap().len(), 1);
    assert_eq!(written[0]["DOI"], "10.1163/15718166-12340171");
    let saved = hemicycle::campaign::Campaign::load(&campaign).unwrap();
    assert_eq!(
        saved.bibliography.last().unwrap(),
        std::path::Path::new("c-zotero.json")
    );
    // The campaign's comments are kept.
    assert!(
        std::fs::read_to_string(&campaign)
            .unwrap()
            .starts_with("# Hemicycle's example campaign")
    );

    // Added again: nothing twice; the rest joins the same file.
    let out = run(&["zotero", "add", campaign.to_str().unwrap(), "picum"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written.as_array().unwrap().len(), 2);

    // A letter cites the new source, formatted with DOI and pages.
    let mut composer = hemicycle::compose::Composer::open(&campaign, None).unwrap();
    composer.demands[0].body.push_str(" [@ozkul2024, p. 4]");
    let dir = hemicycle::directory::Directory::bundled().unwrap();
    let mep = composer.recipients(&dir)[0];
    let letter = composer
        .letter(mep, 0, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .unwrap();
    let notes: Vec<String> = letter
        .notes
        .iter()
        .map(|n| hemicycle::letter::plain_text(&n.inlines))
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("Özkul") && n.contains("European Journal of Migration and Law")),
        "{notes:#?}"
    );
}
