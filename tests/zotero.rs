//! Zotero's local API (Zotero 7, `http://localhost:23119/api/`), played by a
//! local server answering recorded responses in its shape
//! (`tests/common/zotero.rs`, `tests/fixtures/zotero/`): the search, the
//! local API switched off, no Zotero at all, and `hemicycle zotero add`
//! writing the chosen items into a CSL-JSON file the campaign then cites.

#![allow(clippy::unwrap_used)]

mod common;

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
        common::command(work.path().join("home"))
            .args(args)
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

/// Runs the real binary against the Zotero at `url`, with its home in
/// `work/home`: success, standard output and standard error.
fn hemicycle_with(work: &std::path::Path, url: &str, args: &[&str]) -> (bool, String, String) {
    let out = common::command(work.join("home"))
        .args(args)
        .env("HEMICYCLE_ZOTERO_URL", url)
        .output()
        .unwrap();
    (out.status.success(), common::stdout(&out), common::stderr(&out))
}

/// Issue 30, item 9 and a low item: a Zotero citation key that would break
/// the citation syntax (`x]; [@y`) is made safe; an item Hemicycle cannot
/// read is refused, naming it and its field, before the file is written,
/// and the campaign still renders.
#[test]
fn zotero_add_makes_keys_safe_and_refuses_what_the_campaign_could_not_read() {
    let server = ZoteroServer::start();
    let work = tempfile::tempdir().unwrap();
    let campaign = common::example_copy(work.path(), |t| t);
    let c = campaign.to_str().unwrap();
    let (ok, out, err) = hemicycle_with(
        work.path(),
        &server.base_url,
        &["zotero", "add", c, "hostile", "--pick", "1"],
    );
    assert!(ok, "{err}");
    assert!(out.contains("added [@x-y]"), "{out}");
    let file = campaign.with_file_name("c-zotero.json");
    let before = std::fs::read(&file).unwrap();
    let (ok, _, err) = hemicycle_with(
        work.path(),
        &server.base_url,
        &["zotero", "add", c, "hostile", "--pick", "2"],
    );
    assert!(!ok, "an item Hemicycle cannot read was added");
    assert!(
        err.contains(
            "Zotero's item \"A field Hemicycle cannot read\" cannot be read by Hemicycle (its field \"volume\""
        ),
        "{err}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), before, "the bibliography changed");
    let (ok, _, err) = hemicycle_with(work.path(), &server.base_url, &["render", c]);
    assert!(ok, "{err}");
    assert_eq!(
        hemicycle::cite::zotero::safe_key("  Smith 2020; [@other]  "),
        "Smith-2020-other"
    );
    assert_eq!(hemicycle::cite::zotero::safe_key("doe:2020.a/b"), "doe:2020.a/b");
}

/// Issue 30, low items: a Zotero that takes a connection and never
/// answers is "did not answer within N s", not "not running"; an error
/// page's text reaches the terminal without its control characters; and
/// `zotero search` piped into a reader that stops early ends quietly.
#[test]
fn a_hanging_zotero_an_error_page_and_a_closed_pipe_are_told_plainly() {
    use std::io::{Read, Write};
    let hanging = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/", hanging.local_addr().unwrap());
    let err = Zotero::with_timeout(&url, std::time::Duration::from_secs(1))
        .search("picum")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("Zotero did not answer within 1 s"), "{err}");
    drop(hanging);

    let page = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/", page.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in page.incoming().take(1) {
            let mut stream = stream.unwrap();
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let body = "\u{1b}]0;owned\u{7}\u{1b}[2J Internal error";
            let _ = write!(
                stream,
                "HTTP/1.1 500 Internal Server Error\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let work = tempfile::tempdir().unwrap();
    let (ok, _, err) = hemicycle_with(work.path(), &url, &["zotero", "search", "picum"]);
    assert!(!ok);
    assert!(err.contains("HTTP 500") && err.contains("Internal error"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");

    // `zotero search … | head -c 1`.
    let server = ZoteroServer::start();
    let mut child = common::command(work.path().join("home"))
        .args(["zotero", "search", "picum"])
        .env("HEMICYCLE_ZOTERO_URL", &server.base_url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = common::stderr(&out);
    assert!(out.status.success() && !err.contains("panicked"), "{err}");
    // And `paths`, whose output is small enough to be written at once:
    // the pipe is closed before it starts.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = common::command(work.path().join("home"))
        .arg("paths")
        .stdout(writer)
        .output()
        .unwrap();
    let err = common::stderr(&out);
    assert!(out.status.success() && !err.contains("panicked"), "{err}");
}

/// Issue 30, low item: one bibliography named by the campaign and by its
/// demand set through two different relative paths is read once, not
/// "defined twice".
#[test]
fn one_bibliography_by_two_paths_is_read_once() {
    let work = tempfile::tempdir().unwrap();
    // The demand set names ../bibliography/ai-act-migration.json; the
    // campaign names the same file from its own folder.
    let campaign = common::example_copy(work.path(), |t| {
        t.replacen(
            "[organisation]\n",
            "bibliography = [\"../bibliography/../bibliography/ai-act-migration.json\"]\n\n[organisation]\n",
            1,
        )
    });
    let composer = hemicycle::compose::Composer::open(&campaign, None);
    assert!(composer.is_ok(), "{}", composer.err().unwrap());
}
