//! `hemicycle votes` through the real binary, on the recorded HowTheyVote.eu
//! vote 195775 (2026-07-09, 719 MEPs) from `../shared/data/meps`: the
//! fixtures in the API's JSON shape, the members CSV shape and the bulk
//! export's shape are built here, at run time, from the shared CSV.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{hemicycle, shared_meps, stderr, stdout};

const VOTE: &str = "195775";

/// One row of the shared CSV: what the vote says of one MEP.
struct Row {
    id: String,
    first: String,
    last: String,
    country: String,
    country_code: String,
    group_code: String,
    group_full: String,
    group_short: String,
    position: String,
    date: String,
    source_url: String,
}

fn shared_rows(dir: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(dir.join("howtheyvote_emails_2026-09.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let cols = [
        "mep_id",
        "first_name",
        "last_name",
        "country",
        "country_code",
        "eu_group_code",
        "eu_group_full",
        "eu_group_short",
        "vote_position_raw",
        "vote_date",
        "source_url",
    ]
    .map(col);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let get = |i: usize| r.get(cols[i]).unwrap().to_string();
            Row {
                id: get(0),
                first: get(1),
                last: get(2),
                country: get(3),
                country_code: get(4),
                group_code: get(5),
                group_full: get(6),
                group_short: get(7),
                position: get(8),
                date: get(9),
                source_url: get(10),
            }
        })
        .collect()
}

/// The vote as `GET /api/votes/195775` returns it (the fields the importer
/// reads, and `stats`, which it does not need).
fn api_json(rows: &[Row]) -> serde_json::Value {
    let member_votes: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "member": {
                    "id": r.id.parse::<u64>().unwrap(),
                    "first_name": r.first,
                    "last_name": r.last,
                    "country": {"code": r.country_code, "label": r.country},
                    "group": {"code": r.group_code, "label": r.group_full, "short_label": r.group_short},
                },
                "position": r.position,
            })
        })
        .collect();
    serde_json::json!({
        "id": VOTE.parse::<u64>().unwrap(),
        "timestamp": format!("{}T12:00:00", rows[0].date),
        "display_title": "ePrivacy: motion to reject",
        "reference": null,
        "description": "Motion to reject",
        "is_featured": false,
        "procedure": null,
        "stats": {"total": {}},
        "member_votes": member_votes,
        "sources": [{"name": "HowTheyVote.eu", "url": rows[0].source_url, "accessed_at": "2026-09-10T00:00:00"}],
    })
}

/// `/api/votes/195775.csv`: one row per MEP, the API's column names.
fn members_csv(rows: &[Row]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "position",
        "member.id",
        "member.first_name",
        "member.last_name",
        "member.country.code",
        "member.country.label",
        "member.country.iso_alpha_2",
        "member.group.code",
        "member.group.label",
        "member.group.short_label",
    ])
    .unwrap();
    for r in rows {
        w.write_record([
            &r.position,
            &r.id,
            &r.first,
            &r.last,
            &r.country_code,
            &r.country,
            "",
            &r.group_code,
            &r.group_full,
            &r.group_short,
        ])
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// The bulk export's `votes.csv` and `member_votes.csv`, with a second vote
/// (every MEP FOR) around ours that the importer must leave out.
fn bulk(rows: &[Row]) -> (String, String) {
    let date = &rows[0].date;
    let votes = format!(
        "id,timestamp,display_title,reference,description,is_main,is_featured,procedure_reference,procedure_title\n\
         195774,{date} 11:59:00,Other vote,,,False,False,,\n\
         {VOTE},{date} 12:00:00,ePrivacy: motion to reject,,Motion to reject,True,False,,\n"
    );
    let mut member_votes = String::from("vote_id,member_id,position,country_code,group_code\n");
    for r in rows {
        member_votes.push_str(&format!("195774,{},FOR,{},{}\n", r.id, r.country_code, r.group_code));
    }
    for r in rows {
        member_votes.push_str(&format!(
            "{VOTE},{},{},{},{}\n",
            r.id, r.position, r.country_code, r.group_code
        ));
    }
    (votes, member_votes)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn run_ok(home: &Path, args: &[&str]) -> (String, String) {
    let out = hemicycle(home, args);
    assert!(out.status.success(), "hemicycle {args:?} failed: {}", stderr(&out));
    (stdout(&out), stderr(&out))
}

fn run_err(home: &Path, args: &[&str]) -> String {
    let out = hemicycle(home, args);
    assert!(
        !out.status.success(),
        "hemicycle {args:?} should have failed: {}",
        stdout(&out)
    );
    stderr(&out)
}

/// Nothing was imported: no votes folder, and `votes list` says so.
fn assert_nothing_imported(home: &Path) {
    assert!(!home.join("data/votes").exists(), "a vote was stored");
    let (list, _) = run_ok(home, &["votes", "list"]);
    assert!(list.starts_with("No votes imported yet"), "{list}");
}

#[test]
fn the_recorded_vote_in_all_three_shapes() {
    let Some(dir) = shared_meps("votes::the_recorded_vote_in_all_three_shapes") else {
        return;
    };
    let rows = shared_rows(&dir);
    assert_eq!(rows.len(), 719);
    let work = tempfile::tempdir().unwrap();
    let json = write(work.path(), "vote.json", &api_json(&rows).to_string());
    let members = write(work.path(), "members.csv", &members_csv(&rows));
    let (votes_csv, member_votes_csv) = bulk(&rows);
    let votes_csv = write(work.path(), "votes.csv", &votes_csv);
    let member_votes_csv = write(work.path(), "member_votes.csv", &member_votes_csv);
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    let imports: [Vec<String>; 3] = [
        vec![s(&json)],
        vec![s(&members), "--id".into(), VOTE.into()],
        vec![
            "--bulk".into(),
            s(&votes_csv),
            s(&member_votes_csv),
            "--id".into(),
            VOTE.into(),
        ],
    ];
    // What the shared CSV says, counted here.
    let expected: BTreeMap<String, String> = rows
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                format!("{}\t{}\t{}", r.position, r.country_code, r.group_code),
            )
        })
        .collect();
    let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        *tally.entry(r.position.as_str()).or_default() += 1;
    }
    assert_eq!(
        tally,
        BTreeMap::from([
            ("ABSTENTION", 17),
            ("AGAINST", 276),
            ("DID_NOT_VOTE", 112),
            ("FOR", 314)
        ])
    );
    for args in &imports {
        let home = tempfile::tempdir().unwrap();
        let mut full = vec!["votes", "import"];
        full.extend(args.iter().map(String::as_str));
        let (out, _) = run_ok(home.path(), &full);
        assert!(out.contains("Imported vote 195775"), "{out}");
        assert!(out.contains("(719 member positions)"), "{out}");
        assert!(out.contains("ODbL"), "{out}");
        let (listing, _) = run_ok(home.path(), &["votes", "show", VOTE, "--members"]);
        let got: BTreeMap<String, String> = listing
            .lines()
            .map(|l| {
                let (id, rest) = l.split_once('\t').unwrap();
                (id.to_string(), rest.to_string())
            })
            .collect();
        assert_eq!(got, expected, "{args:?}");
        let (show, _) = run_ok(home.path(), &["votes", "show", VOTE]);
        assert!(
            show.contains("Positions: FOR 314, AGAINST 276, ABSTENTION 17, DID_NOT_VOTE 112"),
            "{args:?}: {show}"
        );
        // By group: the EPP's 184 members, counted from the shared CSV.
        let epp = count_line(&rows, |r| r.group_code == "EPP");
        assert!(show.contains(&format!("  EPP        {epp}")), "{show}");
        let deu = count_line(&rows, |r| r.country_code == "DEU");
        assert!(show.contains(&format!("  DEU        {deu}")), "{show}");
        assert!(show.contains("HowTheyVote.eu") && show.contains("ODbL"), "{show}");
        let stored = std::fs::read_to_string(home.path().join("data/votes/195775.json")).unwrap();
        assert!(stored.contains("\"licence\": \"ODbL-1.0\""), "{stored}");
        let (list, _) = run_ok(home.path(), &["votes", "list"]);
        assert!(list.starts_with("195775\t"), "{list}");
    }
}

fn count_line(rows: &[Row], keep: impl Fn(&Row) -> bool) -> String {
    let n = |p: &str| rows.iter().filter(|r| keep(r) && r.position == p).count();
    format!(
        "FOR {}, AGAINST {}, ABSTENTION {}, DID_NOT_VOTE {}",
        n("FOR"),
        n("AGAINST"),
        n("ABSTENTION"),
        n("DID_NOT_VOTE")
    )
}

#[test]
fn mep_ids_the_directory_does_not_know_are_listed() {
    let Some(dir) = shared_meps("votes::mep_ids_the_directory_does_not_know_are_listed") else {
        return;
    };
    let mut rows = shared_rows(&dir);
    rows.truncate(5);
    rows[0].id = "999999901".into();
    let home = tempfile::tempdir().unwrap();
    // The directory in use (the bundled one), as the CLI lists it.
    let (meps, _) = run_ok(home.path(), &["meps", "--format", "json"]);
    let known: BTreeSet<String> = serde_json::from_str::<Vec<serde_json::Value>>(&meps)
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    let unknown: Vec<&str> = rows
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !known.contains(*id))
        .collect();
    assert!(unknown.contains(&"999999901"), "{unknown:?}");
    let file = write(home.path(), "vote.json", &api_json(&rows).to_string());
    let (out, err) = run_ok(home.path(), &["votes", "import", file.to_str().unwrap()]);
    assert!(out.contains("(5 member positions)"), "{out}");
    assert!(
        err.contains(&format!(
            "{} MEP ids of this vote are not in your MEP directory",
            unknown.len()
        )),
        "{err}"
    );
    for id in unknown {
        assert!(err.contains(id), "{id} not listed: {err}");
    }
}

#[test]
fn bad_inputs_say_what_is_wrong_and_import_nothing() {
    let Some(dir) = shared_meps("votes::bad_inputs_say_what_is_wrong_and_import_nothing") else {
        return;
    };
    let rows = shared_rows(&dir);
    let home = tempfile::tempdir().unwrap();
    let h = home.path();

    // Not a vote: JSON of another kind, and a text file.
    let other = write(h, "other.json", r#"{"results": [], "page": 1}"#);
    let err = run_err(h, &["votes", "import", other.to_str().unwrap()]);
    assert!(
        err.contains("not a HowTheyVote vote") && err.contains("member_votes"),
        "{err}"
    );
    let text = write(h, "notes.txt", "Dear MEP,\nplease vote for us.\n");
    let err = run_err(h, &["votes", "import", text.to_str().unwrap()]);
    assert!(err.contains("not a HowTheyVote vote"), "{err}");

    // A position outside the four, on data line 10 (file line 11).
    let mut csv = members_csv(&rows);
    let bad_id = &rows[9].id;
    let line = csv.lines().nth(10).unwrap().to_string();
    let (_, rest) = line.split_once(',').unwrap();
    csv = csv.replace(&line, &format!("MAYBE,{rest}"));
    let bad = write(h, "members.csv", &csv);
    let err = run_err(h, &["votes", "import", bad.to_str().unwrap(), "--id", VOTE]);
    assert!(
        err.contains("line 11") && err.contains("\"MAYBE\"") && err.contains(bad_id.as_str()),
        "{err}"
    );
    // The same in the API's JSON: the error names the line of the bad position.
    let mut json = api_json(&rows);
    json["member_votes"][3]["position"] = "YES".into();
    let bad_json = write(h, "bad.json", &serde_json::to_string_pretty(&json).unwrap());
    let err = run_err(h, &["votes", "import", bad_json.to_str().unwrap()]);
    assert!(err.contains("\"YES\"") && err.contains("line "), "{err}");

    // The bulk export without the vote asked for.
    let (votes_csv, member_votes_csv) = bulk(&rows);
    let v = write(h, "votes.csv", &votes_csv);
    let mv = write(h, "member_votes.csv", &member_votes_csv);
    let err = run_err(
        h,
        &[
            "votes",
            "import",
            "--bulk",
            v.to_str().unwrap(),
            mv.to_str().unwrap(),
            "--id",
            "1",
        ],
    );
    assert!(err.contains("there is no vote 1"), "{err}");

    // A bulk export file named alone, and a vote file given the wrong id.
    let err = run_err(h, &["votes", "import", mv.to_str().unwrap(), "--id", VOTE]);
    assert!(err.contains("--bulk VOTES.csv MEMBER_VOTES.csv --id ID"), "{err}");
    let good_json = write(h, "good.json", &api_json(&rows).to_string());
    let err = run_err(h, &["votes", "import", good_json.to_str().unwrap(), "--id", "1"]);
    assert!(err.contains("the file is vote 195775, not vote 1"), "{err}");
    let good_csv = write(h, "good.csv", &members_csv(&rows));
    let err = run_err(h, &["votes", "import", good_csv.to_str().unwrap()]);
    assert!(err.contains("add --id ID"), "{err}");

    // A 100 MB file is refused, in words, without reading it all.
    let huge = h.join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let err = run_err(h, &["votes", "import", huge.to_str().unwrap()]);
    assert!(err.contains("larger than 16 MB"), "{err}");

    assert_nothing_imported(h);
    let err = run_err(h, &["votes", "show", VOTE]);
    assert!(err.contains("no vote 195775 has been imported"), "{err}");
}

/// A local stand-in for HowTheyVote.eu's API: answers `/votes/195775` with
/// the recorded vote's JSON, anything else with 404.
fn serve_api(json: String) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let response = if request.url() == format!("/api/votes/{VOTE}") {
                tiny_http::Response::from_string(json.clone()).with_status_code(200)
            } else {
                tiny_http::Response::from_string("{\"message\": \"Not found\"}").with_status_code(404)
            };
            let _ = request.respond(response);
        }
    });
    format!("http://127.0.0.1:{port}/api")
}

#[test]
fn from_howtheyvote_fetches_the_vote_and_says_what_went_wrong() {
    let Some(dir) = shared_meps("votes::from_howtheyvote_fetches_the_vote_and_says_what_went_wrong") else {
        return;
    };
    let rows = shared_rows(&dir);
    let base = serve_api(api_json(&rows).to_string());
    let home = tempfile::tempdir().unwrap();
    let h = home.path();

    // A vote that does not exist: the 404 in words, nothing stored.
    let err = run_err(h, &["votes", "import", "--from-howtheyvote", "1", "--api-base", &base]);
    assert!(err.contains("HowTheyVote.eu has no vote 1 (HTTP 404)"), "{err}");
    // A server that accepts and never answers: a timeout, in words.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_base = format!("http://{}/api", silent.local_addr().unwrap());
    let started = std::time::Instant::now();
    let err = run_err(
        h,
        &[
            "votes",
            "import",
            "--from-howtheyvote",
            VOTE,
            "--api-base",
            &silent_base,
            "--api-timeout-secs",
            "1",
        ],
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(err.contains("did not answer within 1 seconds"), "{err}");
    assert_nothing_imported(h);

    let (out, _) = run_ok(h, &["votes", "import", "--from-howtheyvote", VOTE, "--api-base", &base]);
    assert!(out.contains("(719 member positions)"), "{out}");
    let (show, _) = run_ok(h, &["votes", "show", VOTE]);
    assert!(
        show.contains("Positions: FOR 314, AGAINST 276, ABSTENTION 17, DID_NOT_VOTE 112"),
        "{show}"
    );
    drop(silent);
}
