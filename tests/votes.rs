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

/// The vote imported (the API's shape) into a fresh home, which this test
/// binary's own composers read too (`HEMICYCLE_HOME`).
fn home_with_vote(rows: &[Row]) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let json = write(home.path(), "vote.json", &api_json(rows).to_string());
    run_ok(home.path(), &["votes", "import", json.to_str().unwrap()]);
    home
}

/// The campaign opened with its votes read from `home` (as the binary
/// does with `HEMICYCLE_HOME`, and the app with its data folder).
fn open_with_votes(campaign: &Path, home: &Path) -> hemicycle::compose::Composer {
    let mut composer = hemicycle::compose::Composer::open(campaign, None).unwrap();
    composer.load_votes(Some(&hemicycle::store::Paths::under(home)));
    composer
}

/// A directory MEP of each position in the vote: (position, MEP).
fn one_of_each(rows: &[Row], dir: &hemicycle::directory::Directory) -> Vec<(&'static str, hemicycle::directory::Mep)> {
    let mut out = Vec::new();
    for (raw, label) in [("FOR", "for"), ("AGAINST", "against"), ("DID_NOT_VOTE", "did-not-vote")] {
        let row = rows
            .iter()
            .find(|r| r.position == raw && dir.get(&r.id).is_some_and(|m| m.email.is_some()))
            .unwrap();
        out.push((label, dir.get(&row.id).unwrap().clone()));
    }
    out
}

/// A campaign of the personal-letter genre that uses vote 195775 as "eprivacy".
fn vote_campaign(work: &Path, language: &str) -> PathBuf {
    let mut c = hemicycle::campaign::Campaign::new("ePrivacy", "personal-letter");
    c.language = language.into();
    c.organisation.name = "Digital Rights Watch".into();
    c.organisation.email = "office@drw.example.org".into();
    c.votes = vec![hemicycle::campaign::CampaignVote {
        name: "eprivacy".into(),
        id: VOTE.parse().unwrap(),
    }];
    let path = work.join(format!("campaign-{language}.toml"));
    c.save(&path, None).unwrap();
    path
}

/// The letter in every format, read back by programs Hemicycle did not
/// write: (PDF text, DOCX paragraphs, HTML texts, the e-mail's text part, Markdown).
fn read_back(letter: &hemicycle::letter::Letter, work: &Path) -> [String; 5] {
    use hemicycle::render::{self, docx, eml, pdf};
    let pdf_file = work.join("letter.pdf");
    std::fs::write(&pdf_file, pdf::render(letter, &pdf::PdfSettings::default()).unwrap()).unwrap();
    let pdf_text = common::run("pdftotext", &[pdf_file.to_str().unwrap(), "-"]);
    let docx_file = work.join("letter.docx");
    std::fs::write(&docx_file, docx::render(letter).unwrap()).unwrap();
    let reader = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readers/docx_paragraphs.py");
    let docx_text = common::run("python3", &[reader.to_str().unwrap(), docx_file.to_str().unwrap()]);
    let html_file = work.join("letter.html");
    std::fs::write(&html_file, render::html::render(letter)).unwrap();
    let reader = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readers/html_paths.py");
    let html_text = common::run("python3", &[reader.to_str().unwrap(), html_file.to_str().unwrap()]);
    let settings = eml::EmlSettings {
        from_name: "Digital Rights Watch".into(),
        from_email: "office@drw.example.org".into(),
        reply_to: None,
        draft: false,
        attachment: None,
        date: None,
    };
    let eml_file = work.join("letter.eml");
    std::fs::write(
        &eml_file,
        eml::render(letter, "MEP", "mep@example.org", &settings).unwrap(),
    )
    .unwrap();
    let script = "import email, email.policy, sys\nm = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)\nprint(m.get_body(('plain',)).get_content(), end='')";
    let mail_text = common::run("python3", &["-c", script, eml_file.to_str().unwrap()]);
    [
        pdf_text,
        docx_text,
        html_text,
        mail_text,
        render::markdown::render(letter),
    ]
}

/// Text as a reader sees it, for comparing: white space (and PDF hyphens at
/// line ends) folded.
fn flat(text: &str) -> String {
    text.replace("-\n", "-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_campaign_speaks_of_each_meps_vote_with_the_roll_call_as_a_note_in_three_languages() {
    let Some(dir) = shared_meps("votes::a_campaign_speaks_of_each_meps_vote") else {
        return;
    };
    let rows = shared_rows(&dir);
    let home = home_with_vote(&rows);
    let work = tempfile::tempdir().unwrap();
    let directory = hemicycle::directory::Directory::bundled().unwrap();
    let meps = one_of_each(&rows, &directory);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 20).unwrap();
    let expected = [
        (
            "en",
            ["you voted in favour of", "you voted against", "you did not take part"],
            "9 July 2026",
        ),
        (
            "de",
            ["haben Sie für", "haben Sie gegen", "nicht teilgenommen"],
            "9. Juli 2026",
        ),
        (
            "fr",
            ["vous avez voté pour", "vous avez voté contre", "pas pris part"],
            "9 juillet 2026",
        ),
    ];
    for (language, phrases, date) in expected {
        let composer = open_with_votes(&vote_campaign(work.path(), language), home.path());
        let mut paragraphs = BTreeSet::new();
        for ((position, mep), phrase) in meps.iter().zip(phrases) {
            let letter = composer.letter(mep, 0, today).unwrap();
            let markdown = composer.markdown(mep, 0, today).unwrap();
            // The vote's data is in the template's context.
            let context = composer.context(mep, 0, today);
            assert_eq!(
                context["vote"]["eprivacy"]["position"], *position,
                "{language} {}",
                mep.id
            );
            let paragraph = markdown
                .split("\n\n")
                .find(|p| p.contains(phrase))
                .unwrap_or_else(|| panic!("{language}, {position}: no paragraph with {phrase:?} in\n{markdown}"))
                // Data reaches the Markdown escaped ("ePrivacy\\: motion").
                .replace('\\', "");
            assert!(
                paragraph.contains(date) && paragraph.contains("ePrivacy: motion to reject"),
                "{paragraph}"
            );
            assert!(paragraph.contains("[@vote-eprivacy]"), "{paragraph}");
            paragraphs.insert(paragraph);
            // The roll-call is the letter's note: its title, date and address.
            assert_eq!(letter.notes.len(), 1, "{language} {position}");
            let note = hemicycle::render::text::inlines(&letter.notes[0].inlines);
            assert!(
                note.contains("ePrivacy: motion to reject")
                    && note.contains("howtheyvote.eu/votes/195775")
                    && note.contains("2026"),
                "{language}: {note}"
            );
            let work = tempfile::tempdir().unwrap();
            for (format, text) in ["PDF", "DOCX", "HTML", "e-mail", "Markdown"]
                .iter()
                .zip(read_back(&letter, work.path()))
            {
                let text = flat(&text);
                assert!(
                    text.contains(phrase),
                    "{language} {position} {format} lacks {phrase:?}: {text}"
                );
                assert!(
                    text.contains("motion to reject"),
                    "{language} {position} {format} lacks the title"
                );
                // A PDF may break the address at its slash.
                assert!(
                    text.replace(' ', "").contains("howtheyvote.eu/votes/195775"),
                    "{language} {position} {format} lacks the note's address: {text}"
                );
            }
        }
        assert_eq!(paragraphs.len(), 3, "{language}: three different paragraphs");
    }
}

#[test]
fn meps_by_vote_position_are_the_shared_csvs() {
    let Some(dir) = shared_meps("votes::meps_by_vote_position_are_the_shared_csvs") else {
        return;
    };
    let rows = shared_rows(&dir);
    let home = home_with_vote(&rows);
    let h = home.path();
    // The directory of 2025-10: 13 of its MEPs had left by the vote.
    let xml = dir.join("ep_full_list_2025-10.xml");
    let emails = dir.join("eucontact_meps_2024-09.json");
    run_ok(
        h,
        &[
            "import",
            "directory",
            "--ep-xml",
            xml.to_str().unwrap(),
            "--emails",
            emails.to_str().unwrap(),
        ],
    );
    let (all, _) = run_ok(h, &["meps", "--format", "csv"]);
    let ids_of = |csv: &str| -> BTreeSet<String> {
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_owned())
            .collect()
    };
    let directory = ids_of(&all);
    for (raw, label) in [
        ("FOR", "for"),
        ("AGAINST", "against"),
        ("ABSTENTION", "abstention"),
        ("DID_NOT_VOTE", "did-not-vote"),
    ] {
        let expected: BTreeSet<String> = rows
            .iter()
            .filter(|r| r.position == raw && directory.contains(&r.id))
            .map(|r| r.id.clone())
            .collect();
        let (out, _) = run_ok(h, &["meps", "--vote", &format!("{VOTE}:{label}"), "--format", "csv"]);
        assert_eq!(ids_of(&out), expected, "{label}");
    }
    // Not in the vote: the directory's MEPs the CSV does not name.
    let in_vote: BTreeSet<String> = rows.iter().map(|r| r.id.clone()).collect();
    let (out, _) = run_ok(h, &["meps", "--vote", &format!("{VOTE}:none"), "--format", "csv"]);
    let none = ids_of(&out);
    assert_eq!(none, directory.difference(&in_vote).cloned().collect::<BTreeSet<_>>());
    assert_eq!(none.len(), 13, "SOURCE.md: 13 MEPs of the XML are not in the vote");
    // Two positions of one vote: either.
    let (out, _) = run_ok(
        h,
        &[
            "meps",
            "--vote",
            &format!("{VOTE}:for"),
            "--vote",
            &format!("{VOTE}:against"),
            "--count",
        ],
    );
    let both = rows
        .iter()
        .filter(|r| (r.position == "FOR" || r.position == "AGAINST") && directory.contains(&r.id))
        .count();
    assert_eq!(out.trim(), both.to_string());
    // Bad filters, in words.
    let err = run_err(h, &["meps", "--vote", "195775:maybe"]);
    assert!(err.contains("\"195775:maybe\" is not a vote filter"), "{err}");
    let err = run_err(h, &["meps", "--vote", "1:for"]);
    assert!(err.contains("vote 1 is not imported"), "{err}");
}

#[test]
fn dearmep_gets_each_meps_endorsement_from_the_vote() {
    let Some(dir) = shared_meps("votes::dearmep_gets_each_meps_endorsement_from_the_vote") else {
        return;
    };
    let rows = shared_rows(&dir);
    let home = home_with_vote(&rows);
    let h = home.path();
    // DearMEP: FOR 1, AGAINST 0, the others 0.5; or the given mapping.
    let (csv, _) = run_ok(h, &["votes", "export", VOTE, "--dearmep"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("id,endorsement"));
    let got: BTreeMap<String, String> = lines
        .map(|l| {
            let (id, e) = l.split_once(',').unwrap();
            (id.to_owned(), e.to_owned())
        })
        .collect();
    assert_eq!(got.len(), 719);
    for r in &rows {
        let want = match r.position.as_str() {
            "FOR" => "1",
            "AGAINST" => "0",
            _ => "0.5",
        };
        assert_eq!(got[&r.id], want, "{} {}", r.id, r.position);
    }
    let out_file = h.join("endorsement.csv");
    run_ok(
        h,
        &[
            "votes",
            "export",
            VOTE,
            "--dearmep",
            "--map",
            "AGAINST=1,FOR=0,did-not-vote=0.25",
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    let written = std::fs::read_to_string(&out_file).unwrap();
    let first_against = rows.iter().find(|r| r.position == "AGAINST").unwrap();
    let first_absent = rows.iter().find(|r| r.position == "DID_NOT_VOTE").unwrap();
    assert!(written.contains(&format!("\n{},1\n", first_against.id)), "{written}");
    assert!(written.contains(&format!("\n{},0.25\n", first_absent.id)));
    // `hemicycle paths` names the folder the votes are kept in.
    let (paths, _) = run_ok(h, &["paths"]);
    let folder = h.join("data").join("votes");
    assert!(
        paths.contains(&format!(
            "Imported roll-call votes (HowTheyVote.eu):\n  {}",
            folder.display()
        )),
        "{paths}"
    );
    let err = run_err(h, &["votes", "export", VOTE, "--dearmep", "--map", "FOR=2"]);
    assert!(err.contains("NUMBER from 0 to 1"), "{err}");
}

/// The pre-send check of letters to an MEP of the vote and to one who was
/// not in the Parliament then.
fn check_findings(
    campaign: &Path,
    home: &Path,
    meps: &[&hemicycle::directory::Mep],
) -> Vec<hemicycle::deliver::check::Finding> {
    use hemicycle::deliver::{check, send};
    let composer = open_with_votes(campaign, home);
    let plan = send::plan(&composer, meps, chrono::NaiveDate::from_ymd_opt(2026, 9, 20).unwrap()).unwrap();
    let context = check::Context {
        account: check::Account::Checked(Ok(())),
        known: None,
        journal: None,
        unsaved: false,
        bounced: None,
        delivery: None,
        now: chrono::Utc::now(),
    };
    check::report(&plan, &composer.campaign, &context).findings
}

#[test]
fn the_check_names_recipients_who_did_not_sit_for_a_vote_and_stops_a_letter_that_reads_their_vote() {
    use hemicycle::deliver::check::Severity;
    let Some(dir) = shared_meps("votes::the_check_names_recipients_who_did_not_sit_for_a_vote") else {
        return;
    };
    let rows = shared_rows(&dir);
    let home = home_with_vote(&rows);
    // The directory of 2025-10, some of whose MEPs had left by the vote.
    let directory = hemicycle::directory::import::import_files(&hemicycle::directory::import::FilePlan {
        ep_xml: Some(dir.join("ep_full_list_2025-10.xml")),
        emails: vec![dir.join("eucontact_meps_2024-09.json")],
        ..hemicycle::directory::import::FilePlan::default()
    })
    .unwrap();
    let in_vote: BTreeSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let absent = directory
        .meps
        .iter()
        .find(|m| !in_vote.contains(m.id.as_str()) && m.email.is_some())
        .unwrap();
    let voter = one_of_each(&rows, &directory).remove(0).1;
    let meps = [&voter, absent];

    // Through the vote block alone: named, and the letters may go.
    let findings = check_findings(&vote_campaign(home.path(), "en"), home.path(), &meps);
    let gap: Vec<_> = findings
        .iter()
        .filter(|f| f.text.contains("not in the Parliament"))
        .collect();
    assert_eq!(gap.len(), 1, "{findings:?}");
    assert_eq!(gap[0].severity, Severity::Warning);
    assert!(
        gap[0].text.contains(&absent.id) && !gap[0].text.contains(&voter.id),
        "{}",
        gap[0].text
    );

    // A template that thanks every recipient for their vote: sending waits.
    let thanks = home.path().join("thanks.md.hbs");
    std::fs::write(
        &thanks,
        "{{salutation}}\n\nThank you for your vote of {{vote.eprivacy.date_long}}.\n",
    )
    .unwrap();
    let campaign = vote_campaign(home.path(), "en");
    let text = std::fs::read_to_string(&campaign).unwrap();
    std::fs::write(
        &campaign,
        text.replace("template = \"personal-letter\"", "template = \"thanks.md.hbs\""),
    )
    .unwrap();
    let findings = check_findings(&campaign, home.path(), &meps);
    let stop = findings
        .iter()
        .find(|f| f.text.contains("not in the Parliament"))
        .unwrap_or_else(|| panic!("{findings:?}"));
    assert_eq!(stop.severity, Severity::Error, "{}", stop.text);
    assert!(
        stop.text.contains("195775:none") && stop.text.contains(&absent.id),
        "{}",
        stop.text
    );

    // The same thanks asked of `voted` first: named only.
    std::fs::write(
        &thanks,
        "{{salutation}}\n\n{{#if (voted \"eprivacy\" \"for\")}}Thank you for your vote of {{vote.eprivacy.date_long}}.{{/if}}\n",
    )
    .unwrap();
    let findings = check_findings(&campaign, home.path(), &meps);
    assert!(
        findings
            .iter()
            .filter(|f| f.text.contains("not in the Parliament"))
            .all(|f| f.severity == Severity::Warning),
        "{findings:?}"
    );
    // Only the MEP who voted for is thanked.
    let composer = open_with_votes(&campaign, home.path());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 20).unwrap();
    assert!(
        composer
            .markdown(&voter, 0, today)
            .unwrap()
            .contains("Thank you for your vote of 9 July 2026")
    );
    assert!(!composer.markdown(absent, 0, today).unwrap().contains("Thank you"));
}

#[test]
fn a_position_or_vote_a_template_gets_wrong_and_a_vote_not_imported_are_errors_in_words() {
    let Some(dir) = shared_meps("votes::a_position_or_vote_a_template_gets_wrong") else {
        return;
    };
    let rows = shared_rows(&dir);
    let home = home_with_vote(&rows);
    let work = tempfile::tempdir().unwrap();
    let directory = hemicycle::directory::Directory::bundled().unwrap();
    let voter = one_of_each(&rows, &directory).remove(0).1;
    let thanks = work.path().join("thanks.md.hbs");
    let campaign = vote_campaign(work.path(), "en");
    let text = std::fs::read_to_string(&campaign).unwrap();
    std::fs::write(
        &campaign,
        text.replace("template = \"personal-letter\"", "template = \"thanks.md.hbs\""),
    )
    .unwrap();
    // A position that is not one, and a vote the campaign does not name: in words.
    for (asked, expected) in [
        ("(voted \"eprivacy\" \"maybe\")", "\"maybe\" is not a position"),
        ("(voted \"chat\" \"for\")", "the campaign has no vote named \"chat\""),
    ] {
        std::fs::write(
            &thanks,
            format!("{{{{salutation}}}}\n\n{{{{#if {asked}}}}}Thanks.{{{{/if}}}}\n"),
        )
        .unwrap();
        let composer = open_with_votes(&campaign, home.path());
        let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 20).unwrap();
        let err = composer.letter(&voter, 0, today).unwrap_err().to_string();
        assert!(err.contains(expected) && err.contains("thanks"), "{err}");
    }
    // A vote that is not imported: the letter says how to import it.
    let empty = tempfile::tempdir().unwrap();
    let composer = open_with_votes(&vote_campaign(empty.path(), "en"), empty.path());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 20).unwrap();
    let err = composer.letter(&voter, 0, today).unwrap_err().to_string();
    assert!(
        err.contains("vote \"eprivacy\" (HowTheyVote.eu vote 195775) is not imported")
            && err.contains("hemicycle votes import --from-howtheyvote 195775"),
        "{err}"
    );
}

#[test]
fn a_search_of_howtheyvote_lists_votes_and_says_what_went_wrong() {
    // HowTheyVote's search answer (`GET /api/votes/search?q=…`): the
    // vote's base fields, as `serialize_base_vote` writes them.
    let answer = serde_json::json!({
        "total": 2, "page": 1, "page_size": 50, "has_prev": false, "has_next": false,
        "results": [
            {"id": 195_775, "timestamp": "2026-07-09T12:00:00", "display_title": "ePrivacy: motion to reject",
             "reference": null, "description": "Motion to reject", "is_featured": false},
            {"id": 166_051, "timestamp": "2024-04-10T12:32:00", "display_title": "Child sexual abuse: interim regulation",
             "reference": "A9-0021/2024", "description": "Provisional agreement", "is_featured": true},
        ],
    })
    .to_string();
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let url = request.url().to_owned();
            let response = if url.starts_with("/api/votes/search?") && url.contains("q=eprivacy") {
                tiny_http::Response::from_string(answer.clone()).with_status_code(200)
            } else if url.starts_with("/api/votes/search?") {
                tiny_http::Response::from_string("<html>maintenance</html>").with_status_code(200)
            } else {
                tiny_http::Response::from_string("").with_status_code(503)
            };
            let _ = request.respond(response);
        }
    });
    let base = format!("http://127.0.0.1:{port}/api");
    let timeout = std::time::Duration::from_secs(10);
    let found = hemicycle::votes::search(&base, "eprivacy", timeout).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!((found[0].id, found[0].date.as_str()), (195_775, "2026-07-09"));
    assert_eq!(found[1].reference.as_deref(), Some("A9-0021/2024"));
    let err = hemicycle::votes::search(&base, "other", timeout)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not HowTheyVote's search result"), "{err}");
    let err = hemicycle::votes::search(&format!("http://127.0.0.1:{port}/elsewhere"), "x", timeout)
        .unwrap_err()
        .to_string();
    assert!(err.contains("refused the search (HTTP 503)"), "{err}");
}
