//! Refresh from the EP Open Data Portal, against a local server serving
//! fixture JSON in the portal's documented shape.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use common::{FixtureServer, hemicycle, stderr};
use hemicycle::directory::import::ep_api::{self, ApiOptions};
use hemicycle::directory::{Directory, Gender, Honorific, Role};

fn options(server: &FixtureServer) -> ApiOptions {
    ApiOptions {
        base_url: server.base_url.clone(),
        min_interval: Duration::ZERO,
        retry_base: Duration::from_millis(1),
        page_size: 2,
        ..ApiOptions::default()
    }
}

fn fetch(
    opts: &ApiOptions,
) -> (
    Result<Directory, hemicycle::directory::DirectoryError>,
    Vec<ep_api::Progress>,
) {
    let mut seen = Vec::new();
    let result = ep_api::fetch(opts, "2026-11-23", &AtomicBool::new(false), &mut |p| {
        seen.push(p.clone());
    });
    (result, seen)
}

#[test]
fn fetches_members_details_committees_and_parties() {
    let server = FixtureServer::start();
    let (dir, progress) = fetch(&options(&server));
    let dir = dir.unwrap();
    assert_eq!(dir.meps.len(), 3);

    let di_rupo = dir.get("1294").unwrap();
    assert_eq!(di_rupo.display_name(), "Elio Di Rupo");
    assert_eq!(di_rupo.country, "BE");
    assert_eq!(di_rupo.group, "S&D");
    assert_eq!(di_rupo.email.as_deref(), Some("elio.dirupo@europarl.europa.eu"));
    // The ended LIBE membership is dropped; the current substitute seat stays.
    assert_eq!(di_rupo.committee_role("ECON"), Some(Role::Member));
    assert_eq!(di_rupo.committee_role("LIBE"), Some(Role::Substitute));
    assert_eq!(
        (di_rupo.gender, di_rupo.honorific),
        (Some(Gender::Male), Some(Honorific::Mr))
    );

    // Member and vice-chair of the same committee: one seat, the higher role.
    let kim = dir.get("197870").unwrap();
    assert_eq!(kim.display_name(), "Kim van Sparrentak");
    assert_eq!(kim.group, "Greens/EFA");
    assert_eq!(kim.committees.len(), 1);
    assert_eq!(kim.committee_role("IMCO"), Some(Role::ViceChair));
    assert_eq!((kim.gender, kim.honorific), (Some(Gender::Female), Some(Honorific::Ms)));

    // No givenName/familyName: the casing heuristic applies. The national
    // party's organisation is not in the current-bodies list: fetched alone.
    let bartosz = dir.get("197492").unwrap();
    assert_eq!(bartosz.display_name(), "Bartosz Arłukowicz");
    assert_eq!(bartosz.group, "EPP");
    assert_eq!(bartosz.national_party.as_deref(), Some("Platforma Obywatelska"));
    assert_eq!(bartosz.committee_role("LIBE"), Some(Role::Chair));
    // A record without hasGender: no gender, so a neutral greeting.
    assert_eq!((bartosz.gender, bartosz.honorific), (None, None));

    assert_eq!(dir.sources[0].publisher, "European Parliament Open Data Portal");
    let requests = server.requests();
    // 3 members paged by 2: two pages, and an empty one that ends the list.
    assert_eq!(
        requests.iter().filter(|r| *r == "meps/show-current").count(),
        3,
        "paged by 2: {requests:?}"
    );
    assert!(requests.contains(&"corporate-bodies/8001".to_owned()));
    let last = progress.last().unwrap();
    assert_eq!((last.done, last.total), (3, 3));
}

#[test]
fn retries_429_and_500_then_succeeds() {
    let server = FixtureServer::start();
    server.fail("meps/197870", &[429, 429]);
    server.fail("corporate-bodies/show-current", &[503]);
    let (dir, _) = fetch(&options(&server));
    assert_eq!(dir.unwrap().meps.len(), 3);
    let tries = server.requests().iter().filter(|r| *r == "meps/197870").count();
    assert_eq!(tries, 3);
}

#[test]
fn rate_limit_spaces_requests() {
    let server = FixtureServer::start();
    let opts = ApiOptions {
        requests_per_window: 3,
        window: Duration::from_millis(400),
        ..options(&server)
    };
    let start = std::time::Instant::now();
    let (dir, _) = fetch(&opts);
    assert!(dir.is_ok());
    // 3 list pages + 3 bodies pages + 3 details + 1 party = 10 requests (a
    // list ends with an empty page): at most 3 in any 400 ms, so at least
    // two full windows of waiting.
    assert_eq!(server.requests().len(), 10);
    assert!(start.elapsed() >= Duration::from_millis(800), "{:?}", start.elapsed());
}

#[test]
fn persistent_failure_mid_way_is_reported() {
    let server = FixtureServer::start();
    server.fail("meps/197870", &[500, 500, 500, 500, 500]);
    let (result, _) = fetch(&ApiOptions {
        max_retries: 2,
        ..options(&server)
    });
    let err = result.unwrap_err().to_string();
    assert!(err.contains("HTTP 500"), "{err}");
    assert!(err.contains("The existing directory was left as it was"), "{err}");
    assert!(err.ends_with("/meps/197870?format=application%2Fld%2Bjson"), "{err}");
}

#[test]
fn cancel_stops_before_the_next_request() {
    let server = FixtureServer::start();
    let cancel = AtomicBool::new(true);
    let err = ep_api::fetch(&options(&server), "2026-11-23", &cancel, &mut |_| {}).unwrap_err();
    assert!(matches!(err, hemicycle::directory::DirectoryError::Cancelled));
    assert!(server.requests().is_empty());
}

/// The CLI refresh: a failure mid-way (HTTP 429 that never clears) leaves the
/// user's directory byte for byte as it was; a later good refresh replaces
/// it and keeps the user's corrections.
#[test]
fn cli_refresh_failure_leaves_directory_intact_and_success_keeps_overrides() {
    let home = tempfile::tempdir().unwrap();
    let server = FixtureServer::start();
    let refresh = |server: &FixtureServer| {
        hemicycle(
            home.path(),
            &[
                "import",
                "directory",
                "--from-ep-api",
                "--api-base",
                &server.base_url,
                "--api-requests-per-5min",
                "1000",
                "--api-retry-ms",
                "1",
            ],
        )
    };
    // The three members the fixture server knows, as the directory in use
    // (a refresh that brings far fewer than the directory has is refused).
    let list = home.path().join("three.csv");
    std::fs::write(
        &list,
        "id,full_name,country\n1294,Kim VAN SPARRENTAK,NL\n197870,Kim VAN SPARRENTAK,NL\n197492,Bartosz ARŁUKOWICZ,PL\n",
    )
    .unwrap();
    let seeded = hemicycle(home.path(), &["import", "directory", "--csv", list.to_str().unwrap()]);
    assert!(seeded.status.success(), "{}", stderr(&seeded));
    let ok = refresh(&server);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let user_dir = home.path().join("data/directory/meps.json");
    let before = std::fs::read(&user_dir).unwrap();

    let corrected = hemicycle(
        home.path(),
        &["override", "197492", "--email", "b.arlukowicz@example.org"],
    );
    assert!(corrected.status.success(), "{}", stderr(&corrected));

    server.fail("meps/197492", &[429; 10]);
    let failed = refresh(&server);
    assert!(!failed.status.success());
    let msg = stderr(&failed);
    assert!(msg.contains("HTTP 429"), "{msg}");
    assert!(msg.contains("left as it was"), "{msg}");
    assert_eq!(
        std::fs::read(&user_dir).unwrap(),
        before,
        "the directory changed after a failed refresh"
    );

    let server = FixtureServer::start();
    let again = refresh(&server);
    assert!(again.status.success(), "{}", stderr(&again));
    let listed = hemicycle(home.path(), &["meps", "--search", "arlukowicz", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(json[0]["email"], "b.arlukowicz@example.org");
}

/// A server that ignores the offset sends the first page for ever: the
/// refresh stops and says so. One that caps its pages below the asked size
/// still gives every member. A list far shorter than the directory in use
/// does not replace it.
#[test]
fn faulty_paging_and_short_lists_are_caught() {
    let server = FixtureServer::start();
    *server.paging.lock().unwrap() = common::Paging::IgnoresOffset;
    let (result, _) = fetch(&options(&server));
    let err = result.unwrap_err().to_string();
    assert!(err.contains("ignored the offset"), "{err}");
    assert!(err.contains("left as it was"), "{err}");

    let server = FixtureServer::start();
    *server.paging.lock().unwrap() = common::Paging::CapsAt(1);
    let (result, _) = fetch(&options(&server));
    assert_eq!(result.unwrap().meps.len(), 3, "a capped page is not the last one");

    let home = tempfile::tempdir().unwrap();
    let server = FixtureServer::start();
    let short = hemicycle(
        home.path(),
        &[
            "import",
            "directory",
            "--from-ep-api",
            "--api-base",
            &server.base_url,
            "--api-retry-ms",
            "1",
        ],
    );
    assert!(!short.status.success());
    let msg = stderr(&short);
    assert!(
        msg.contains("listed only 3 members where your directory has 719"),
        "{msg}"
    );
    assert!(!home.path().join("data/directory/meps.json").exists(), "{msg}");
}
