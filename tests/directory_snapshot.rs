//! The bundled snapshot against the raw public data it is made from
//! (`../shared/data/meps`), read by the project's own importer.

#![allow(clippy::unwrap_used)]

mod common;

use hemicycle::directory::import::{self, FilePlan};
use hemicycle::directory::{Directory, Gender, Honorific, Role};

fn plan(test: &str) -> Option<FilePlan> {
    let d = common::shared_meps(test)?;
    Some(FilePlan {
        ep_xml: Some(d.join("ep_full_list_2025-10.xml")),
        roles: Some(d.join("mepscore_term10_dataset_2025-10.json")),
        emails: vec![d.join("eucontact_meps_2024-09.json")],
        roster: Some(d.join("howtheyvote_emails_2026-09.csv")),
        genders: Some(d.join("ep_members_gender_2025-07.csv")),
        snapshot_date: Some("2026-07-09".into()),
        ..FilePlan::default()
    })
}

/// The command in assets/directory/README.md reproduces the bundled file.
#[test]
fn bundled_snapshot_is_what_the_importer_makes() {
    let Some(plan) = plan("bundled_snapshot_is_what_the_importer_makes") else {
        return;
    };
    let imported = import::import_files(&plan).unwrap();
    let bundled = Directory::bundled().unwrap();
    assert_eq!(imported.meps.len(), bundled.meps.len());
    assert!(
        imported == bundled,
        "assets/directory/meps.json is stale: re-run the command in assets/directory/README.md"
    );
}

#[test]
fn snapshot_facts_match_the_sources() {
    let dir = Directory::bundled().unwrap();
    assert_eq!(dir.meps.len(), 719);
    assert_eq!(dir.meps.iter().filter(|m| m.email.is_some()).count(), 719);
    assert!(dir.meps.iter().all(|m| !m.email_is_guess));
    // 13 joined after the committee data: said, not guessed.
    let unknown: Vec<&str> = dir
        .meps
        .iter()
        .filter(|m| !m.committees_known)
        .map(|m| m.id.as_str())
        .collect();
    assert_eq!(unknown.len(), 13, "{unknown:?}");
    assert!(unknown.contains(&"278815"), "Kâhya joined late");
    assert!(dir.get("278815").unwrap().national_party.is_none());
    // Countries and groups are codes with names.
    let countries: std::collections::BTreeSet<&str> = dir.meps.iter().map(|m| m.country.as_str()).collect();
    assert_eq!(countries.len(), 27);
    for mep in &dir.meps {
        assert_ne!(mep.group_name(), mep.group, "unknown group {}", mep.group);
        assert_ne!(mep.country_name(), mep.country);
    }
    // Committees are de-duplicated by acronym (ENVI had two names).
    for mep in &dir.meps {
        let mut codes: Vec<&str> = mep.committees.iter().map(|c| c.code.as_str()).collect();
        codes.dedup();
        assert_eq!(codes.len(), mep.committees.len(), "{}", mep.id);
    }
    let libe_chair: Vec<_> = dir
        .meps
        .iter()
        .filter(|m| m.committee_role("LIBE") == Some(Role::Chair))
        .collect();
    assert_eq!(libe_chair.len(), 1);
}

/// Gender and honorific as the portal records them (SOURCE.md, section 5):
/// one MEP "not known", and the MEPs who joined after July 2025 without any
/// until a refresh. Only the id, gender and honorific columns are kept.
#[test]
fn snapshot_has_the_recorded_gender_and_honorific_and_nothing_else_of_that_file() {
    let dir = Directory::bundled().unwrap();
    let count = |g: Option<Gender>| dir.meps.iter().filter(|m| m.gender == g).count();
    assert_eq!(count(Some(Gender::NotKnown)), 1);
    assert_eq!(dir.get("256960").unwrap().gender, Some(Gender::NotKnown));
    assert_eq!(dir.get("256960").unwrap().honorific, None);
    assert_eq!(count(None), 12, "the MEPs who joined after July 2025");
    assert!(dir.get("278815").unwrap().gender.is_none(), "Kâhya joined late");
    assert_eq!(count(Some(Gender::Female)) + count(Some(Gender::Male)), 706);
    for m in &dir.meps {
        match m.gender {
            Some(Gender::Female) => assert_eq!(m.honorific, Some(Honorific::Ms), "{}", m.id),
            Some(Gender::Male) => assert_eq!(m.honorific, Some(Honorific::Mr), "{}", m.id),
            _ => assert_eq!(m.honorific, None, "{}", m.id),
        }
    }
    assert!(
        dir.sources
            .iter()
            .any(|s| s.file.as_deref() == Some("ep_members_gender_2025-07.csv"))
    );
    let bundled =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/directory/meps.json"))
            .unwrap();
    for column in [
        "date_of_birth",
        "placeOfBirth",
        "bday",
        "facebook",
        "twitter",
        "social_media",
        "1989-10-16",
    ] {
        assert!(!bundled.contains(column), "{column} must not be bundled");
    }
}

/// The EP API importer reads `hasGender` and `hasHonorificPrefix` of the
/// 719 real portal records (SOURCE.md, section 6) as the CSV export has them.
#[test]
fn ep_api_gender_of_the_719_raw_records_matches_the_csv() {
    let Some(d) = common::shared_meps("ep_api_gender_of_the_719_raw_records_matches_the_csv") else {
        return;
    };
    let text = std::fs::read_to_string(d.join("ep_members_gender_2025-07.csv")).unwrap();
    let csv = hemicycle::directory::import::gender_csv::parse(&text, "gender.csv").unwrap();
    let mut seen = 0;
    for entry in std::fs::read_dir(d.join("ep_api_v2_persons_2025-07")).unwrap() {
        let path = entry.unwrap().path();
        let record: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let detail = &record["data"][0];
        let id = detail["identifier"].as_str().unwrap();
        let (gender, honorific) = hemicycle::directory::import::ep_api::gender_of(detail);
        let expected = csv[id];
        assert_eq!(gender, Some(expected.gender), "{id}");
        assert_eq!(honorific, expected.honorific, "{id}");
        seen += 1;
    }
    assert_eq!(seen, 719);
}

/// No letter may greet "Dear Kim VAN SPARRENTAK": no word of a name for
/// letters is written in capitals.
#[test]
fn names_for_letters_are_properly_cased() {
    let dir = Directory::bundled().unwrap();
    for mep in &dir.meps {
        for word in mep.display_name().split([' ', '-', '\'']) {
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            assert!(
                letters < 2 || word.chars().any(char::is_lowercase),
                "{} is written {:?}",
                mep.full_name,
                mep.display_name()
            );
        }
    }
    let name = |id: &str| dir.get(id).unwrap().display_name();
    assert_eq!(name("197870"), "Kim van Sparrentak");
    assert_eq!(name("1294"), "Elio Di Rupo");
    assert_eq!(name("257238"), "Aodhán Ó Ríordáin");
    assert_eq!(name("124806"), "David McAllister");
    assert_eq!(name("256814"), "Zala Černilec Tomašič");
}
