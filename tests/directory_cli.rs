//! The `hemicycle` binary on the bundled directory: counts, filters, search,
//! formats, corrections, and bad input that writes nothing.

#![allow(clippy::unwrap_used)]

mod common;

use common::{hemicycle, stderr, stdout};

fn run_ok(home: &std::path::Path, args: &[&str]) -> String {
    let out = hemicycle(home, args);
    assert!(out.status.success(), "hemicycle {args:?} failed: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn version_and_count() {
    let home = tempfile::tempdir().unwrap();
    assert_eq!(
        run_ok(home.path(), &["--version"]).trim(),
        format!("hemicycle {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(run_ok(home.path(), &["meps", "--count"]).trim(), "719");
}

#[test]
fn libe_full_members_as_json() {
    let home = tempfile::tempdir().unwrap();
    let text = run_ok(
        home.path(),
        &["meps", "--committee", "LIBE", "--role", "member", "--format", "json"],
    );
    let list: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert!(list.len() > 40, "only {} LIBE members", list.len());
    for mep in &list {
        let seats = mep["committees"].as_array().unwrap();
        assert!(
            seats.iter().any(|s| s["code"] == "LIBE" && s["role"] == "member"),
            "{mep}"
        );
        assert!(mep["email"].as_str().is_some_and(|e| e.contains('@')), "{mep}");
        assert!(!mep["group"].as_str().unwrap().is_empty(), "{mep}");
        assert!(!mep["group_name"].as_str().unwrap().is_empty(), "{mep}");
    }
    let names: Vec<&str> = list.iter().map(|m| m["display_name"].as_str().unwrap()).collect();
    // Malik Azmani is a full LIBE member; Thijs Reuten only a substitute.
    assert!(names.contains(&"Malik Azmani"), "{names:?}");
    assert!(!names.contains(&"Thijs Reuten"), "{names:?}");
}

#[test]
fn search_ignores_case_and_diacritics() {
    let home = tempfile::tempdir().unwrap();
    let arl = run_ok(home.path(), &["meps", "--search", "arlukowicz"]);
    assert!(arl.contains("Bartosz Arłukowicz"), "{arl}");
    let dragos = run_ok(home.path(), &["meps", "--search", "dragos"]);
    assert!(dragos.contains("Dragoş Benea"), "{dragos}");
    let irish = run_ok(home.path(), &["meps", "--search", "o riordain", "--format", "csv"]);
    assert!(irish.contains("Aodhán Ó RÍORDÁIN"), "{irish}");
}

#[test]
fn filters_by_country_group_party_and_sorts() {
    let home = tempfile::tempdir().unwrap();
    let csv = run_ok(
        home.path(),
        &[
            "meps",
            "--country",
            "NL",
            "--group",
            "Greens/EFA",
            "--format",
            "csv",
            "--sort",
            "name",
        ],
    );
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(rows.len() >= 4, "{csv}");
    assert!(rows.iter().all(|r| r.contains(",NL,Greens/EFA,")), "{csv}");
    assert!(csv.contains("Kim,van Sparrentak,"), "{csv}");
    let party = run_ok(home.path(), &["meps", "--party", "groenlinks-pvda", "--count"]);
    assert!(party.trim().parse::<usize>().unwrap() >= 5, "{party}");
    let chairs = run_ok(home.path(), &["meps", "--role", "chair", "--count"]);
    let chairs: usize = chairs.trim().parse().unwrap();
    assert!((20..=30).contains(&chairs), "{chairs} committee chairs");
}

#[test]
fn sources_are_credited() {
    let home = tempfile::tempdir().unwrap();
    let text = run_ok(home.path(), &["meps", "--sources"]);
    for needle in [
        "European Parliament",
        "Parltrack",
        "ODbL",
        "HowTheyVote.eu",
        "eucontact",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

#[test]
fn corrections_apply_and_survive_an_import() {
    let home = tempfile::tempdir().unwrap();
    run_ok(
        home.path(),
        &[
            "override",
            "197492",
            "--email",
            "bartosz@example.org",
            "--note",
            "prefers Polish",
        ],
    );
    let json = run_ok(home.path(), &["meps", "--search", "arlukowicz", "--format", "json"]);
    assert!(json.contains("bartosz@example.org"), "{json}");

    // Re-import the directory from the CSV the CLI writes: a refresh.
    let csv = run_ok(home.path(), &["meps", "--format", "csv"]);
    let original = csv.replace("bartosz@example.org", "bartosz.arlukowicz@europarl.europa.eu");
    let file = home.path().join("list.csv");
    std::fs::write(&file, original).unwrap();
    run_ok(home.path(), &["import", "directory", "--csv", file.to_str().unwrap()]);
    assert!(home.path().join("data/directory/meps.json").exists());
    assert_eq!(run_ok(home.path(), &["meps", "--count"]).trim(), "719");
    let json = run_ok(home.path(), &["meps", "--search", "arlukowicz", "--format", "json"]);
    assert!(json.contains("bartosz@example.org"), "{json}");
    // The CSV the CLI writes carries the gender, so the re-import keeps it.
    assert!(json.contains("\"gender\": \"male\""), "{json}");

    run_ok(home.path(), &["override", "197492", "--clear"]);
    let json = run_ok(home.path(), &["meps", "--search", "arlukowicz", "--format", "json"]);
    assert!(json.contains("bartosz.arlukowicz@europarl.europa.eu"), "{json}");
}

/// The gender letters greet an MEP by is the Parliament's record unless the
/// user corrects it; a correction brings the honorific that goes with it.
#[test]
fn gender_is_shown_and_can_be_corrected() {
    let home = tempfile::tempdir().unwrap();
    let json = run_ok(home.path(), &["meps", "--search", "sparrentak", "--format", "json"]);
    assert!(
        json.contains("\"gender\": \"female\"") && json.contains("\"honorific\": \"Ms\""),
        "{json}"
    );
    run_ok(home.path(), &["override", "197870", "--gender", "not-known"]);
    let json = run_ok(home.path(), &["meps", "--search", "sparrentak", "--format", "json"]);
    assert!(
        json.contains("\"gender\": \"not-known\"") && !json.contains("honorific"),
        "{json}"
    );
    let out = hemicycle(home.path(), &["override", "197870", "--gender", "woman"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--gender: \"woman\" is not a gender Hemicycle knows; write female, male or not-known"),
        "{}",
        stderr(&out)
    );
    run_ok(home.path(), &["override", "197870", "--clear"]);
    let json = run_ok(home.path(), &["meps", "--search", "sparrentak", "--format", "json"]);
    assert!(json.contains("\"gender\": \"female\""), "{json}");
}

#[test]
fn unknown_mep_and_bad_address_are_refused() {
    let home = tempfile::tempdir().unwrap();
    let out = hemicycle(home.path(), &["override", "999999999", "--email", "a@b.eu"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("there is no MEP with the id 999999999"),
        "{}",
        stderr(&out)
    );
    let out = hemicycle(home.path(), &["override", "197492", "--email", "not an address"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is not an e-mail address"), "{}", stderr(&out));
    assert!(!home.path().join("data/directory/overrides.json").exists());
}

/// Bad input of every kind: a clear message naming the file, and nothing
/// written over the existing directory.
#[test]
fn bad_input_writes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let out_file = home.path().join("out.json");
    std::fs::write(&out_file, b"previous").unwrap();
    let cases: [(&str, &str, &str, &str); 6] = [
        (
            "--ep-xml",
            "broken.xml",
            "<meps><mep><id>1</id><fullName>A B</fullName>",
            "the file is damaged",
        ),
        (
            "--ep-xml",
            "page.xml",
            "<html><body>Not found</body></html>",
            "looks like an XML file with <html>",
        ),
        (
            "--csv",
            "dup.csv",
            "id,full_name,country\n1,A B,NL\n1,C D,BE\n",
            "MEP id 1 appears twice",
        ),
        (
            "--csv",
            "missing.csv",
            "id,full_name,country\n1,A B,\n",
            "record 1 (line 2): country is missing",
        ),
        ("--ep-xml", "latin1.xml", "<meps>\u{0}", "the file is damaged"),
        (
            "--csv",
            "foreign.csv",
            "{\"not\": \"csv\"}",
            "A CSV list of MEPs with at least the columns",
        ),
    ];
    for (flag, name, content, expected) in cases {
        let path = home.path().join(name);
        std::fs::write(&path, content).unwrap();
        let out = hemicycle(
            home.path(),
            &[
                "import",
                "directory",
                flag,
                path.to_str().unwrap(),
                "--out",
                out_file.to_str().unwrap(),
            ],
        );
        assert!(!out.status.success(), "{name} was accepted");
        let msg = stderr(&out);
        assert!(msg.contains(expected), "{name}: {msg}");
        assert!(msg.contains(name), "{name}: the message does not name the file: {msg}");
        assert_eq!(
            std::fs::read(&out_file).unwrap(),
            b"previous",
            "{name} overwrote the output"
        );
    }
    let not_utf8 = home.path().join("latin1.csv");
    std::fs::write(&not_utf8, b"id,full_name,country\n1,Jos\xe9 A,ES\n").unwrap();
    let out = hemicycle(
        home.path(),
        &["import", "directory", "--csv", not_utf8.to_str().unwrap()],
    );
    assert!(stderr(&out).contains("not UTF-8"), "{}", stderr(&out));
    assert!(!home.path().join("data/directory/meps.json").exists());
}

#[test]
fn a_foreign_or_newer_directory_file_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let foreign = home.path().join("foreign.json");
    std::fs::write(&foreign, r#"{"name": "something else"}"#).unwrap();
    let out = hemicycle(home.path(), &["meps", "--directory", foreign.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("A Hemicycle directory file expected"),
        "{}",
        stderr(&out)
    );
    let newer = home.path().join("newer.json");
    std::fs::write(&newer, r#"{"format": "hemicycle-directory", "version": 99}"#).unwrap();
    let out = hemicycle(home.path(), &["meps", "--directory", newer.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("written by a newer Hemicycle"),
        "{}",
        stderr(&out)
    );
}

/// A list imported from elsewhere may hold a formula or an escape
/// sequence: an escape sequence (any control character) is refused with
/// its line and column (issue 30), and the CSV written back neutralises
/// the formula (and reads back as it was).
#[test]
fn formulas_and_escape_sequences_from_an_imported_list_stay_inert() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("list.csv");
    let list = "id,full_name,country,national_party,email\n\
         1,=HYPERLINK(\"http://evil.example\";\"click\"),NL,\"Party\u{1b}]0;owned\u{7}\",a@example.org\n\
         2,Jan 't Hooft,NL,-Minus,b@example.org\n";
    std::fs::write(&file, list).unwrap();
    let out = hemicycle(home.path(), &["import", "directory", "--csv", file.to_str().unwrap()]);
    let said = stderr(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("record line 2: column 4 (national_party) holds a control character (U+001B)"),
        "{said}"
    );
    assert!(!said.contains('\u{1b}'), "{said:?}");
    assert!(!home.path().join("data/directory/meps.json").exists());
    std::fs::write(&file, list.replace("\u{1b}]0;owned\u{7}", "")).unwrap();
    run_ok(home.path(), &["import", "directory", "--csv", file.to_str().unwrap()]);
    let csv = run_ok(home.path(), &["meps", "--format", "csv"]);
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(csv.contains(",'-Minus,"), "{csv}");
    assert!(csv.contains("'t Hooft"), "{csv}");
    // Written back and read again: the same names.
    let again = home.path().join("again.csv");
    std::fs::write(&again, &csv).unwrap();
    run_ok(home.path(), &["import", "directory", "--csv", again.to_str().unwrap()]);
    let json = run_ok(home.path(), &["meps", "--format", "json"]);
    assert!(json.contains("=HYPERLINK("), "{json}");
    assert!(!json.contains("'=HYPERLINK("), "{json}");
    assert!(json.contains("\"national_party\": \"-Minus\""), "{json}");
}

/// Issue 30: a `languages` cell with a code that is not one of the 24
/// official languages is refused, naming the record and the column.
#[test]
fn unknown_language_codes_in_a_list_are_refused() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("list.csv");
    std::fs::write(
        &file,
        "id,full_name,country,languages\n1,Ana Silva,PT,pt; en\n2,Jan Jansen,NL,nl; klingon\n",
    )
    .unwrap();
    let out = hemicycle(home.path(), &["import", "directory", "--csv", file.to_str().unwrap()]);
    let said = stderr(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("record 2 (line 3): languages \"klingon\" is not one of the 24 official EU languages"),
        "{said}"
    );
    std::fs::write(&file, "id,full_name,country,languages\n1,Ana Silva,PT,pt; EN\n").unwrap();
    run_ok(home.path(), &["import", "directory", "--csv", file.to_str().unwrap()]);
}

/// Issue 30, item 4: `import directory --out` does not write over the list
/// it reads, nor over a named pipe or a folder.
#[test]
fn import_out_refuses_its_input_and_what_is_not_a_file() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("list.csv");
    let list = "id,full_name,country\n1,Ana Silva,PT\n";
    std::fs::write(&file, list).unwrap();
    let fifo = home.path().join("pipe");
    common::run("mkfifo", &[fifo.to_str().unwrap()]);
    let import = |out: &std::path::Path| {
        hemicycle(
            home.path(),
            &[
                "import",
                "directory",
                "--csv",
                file.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        )
    };
    let out = import(&home.path().join("./list.csv"));
    assert!(
        stderr(&out).contains("is one of the import's own files"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), list);
    let out = import(&fifo);
    assert!(stderr(&out).contains("is a named pipe, not a file"), "{}", stderr(&out));
    let out = import(home.path());
    assert!(stderr(&out).contains("is a folder, not a file"), "{}", stderr(&out));
    let out = import(&home.path().join("meps.json"));
    assert!(out.status.success(), "{}", stderr(&out));
}
