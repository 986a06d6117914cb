//! Kits carry the votes their campaign names (issue 27's last gap): a kit
//! made from a campaign that uses an imported roll-call vote holds the
//! vote, listed in its manifest (so a signature covers it), and a
//! volunteer who opens it on a machine where no vote was ever imported gets
//! the vote paragraph in their letters. A kit whose vote file is malformed,
//! or changed after signing, is refused in words and nothing is unpacked.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::{hemicycle, stderr, stdout};

const VOTE: u64 = 195_775;

/// Three MEPs of the bundled directory with an address: (id, position).
fn voters() -> Vec<(String, &'static str)> {
    let directory = hemicycle::directory::Directory::bundled().unwrap();
    let mut meps: Vec<&hemicycle::directory::Mep> = directory.meps.iter().filter(|m| m.email.is_some()).collect();
    meps.truncate(3);
    meps.iter()
        .zip(["FOR", "AGAINST", "DID_NOT_VOTE"])
        .map(|(m, p)| (m.id.clone(), p))
        .collect()
}

/// A vote in the shape of HowTheyVote's API, imported into `home`.
fn import_vote(home: &Path, voters: &[(String, &str)]) {
    let member_votes: Vec<serde_json::Value> = voters
        .iter()
        .map(|(id, position)| {
            serde_json::json!({
                "member": {
                    "id": id.parse::<u64>().unwrap(), "first_name": "A", "last_name": "B",
                    "country": {"code": "DEU", "label": "Germany"},
                    "group": {"code": "EPP", "label": "European People's Party", "short_label": "EPP"},
                },
                "position": position,
            })
        })
        .collect();
    let vote = serde_json::json!({
        "id": VOTE, "timestamp": "2026-07-09T12:00:00", "display_title": "ePrivacy: motion to reject",
        "reference": null, "description": "Motion to reject", "procedure": null, "stats": {"total": {}},
        "member_votes": member_votes,
        "sources": [{"name": "European Parliament", "url": "https://www.europarl.europa.eu/doceo/document/PV-10-2026-07-09-RCV_EN.xml", "accessed_at": "2026-09-10T00:00:00"}],
    });
    let file = home.join("vote.json");
    std::fs::create_dir_all(home).unwrap();
    std::fs::write(&file, vote.to_string()).unwrap();
    let out = hemicycle(home, &["votes", "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A personal letter to the three voters that uses the vote as "eprivacy".
fn vote_campaign(work: &Path, voters: &[(String, &str)]) -> PathBuf {
    let mut c = hemicycle::campaign::Campaign::new("ePrivacy", "personal-letter");
    c.organisation.name = "Digital Rights Watch".into();
    c.organisation.email = "office@drw.example.org".into();
    c.votes = vec![hemicycle::campaign::CampaignVote {
        name: "eprivacy".into(),
        id: VOTE,
    }];
    c.recipients.meps = Some(voters.iter().map(|(id, _)| id.clone()).collect());
    std::fs::create_dir_all(work).unwrap();
    let path = work.join("eprivacy.toml");
    c.save(&path, None).unwrap();
    path
}

fn build(home: &Path, campaign: &Path, out: &Path, sign: Option<&Path>) -> std::process::Output {
    let mut args = vec![
        "kit",
        "build",
        campaign.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--without-volunteer-steps",
    ];
    if let Some(key) = sign {
        args.extend(["--sign", key.to_str().unwrap()]);
    }
    hemicycle(home, &args)
}

fn render(home: &Path, campaign: &Path, mep: &str) -> std::process::Output {
    hemicycle(
        home,
        &[
            "render",
            campaign.to_str().unwrap(),
            "--mep",
            mep,
            "--today",
            "2026-09-20",
        ],
    )
}

/// The kit with `name`'s bytes replaced, the manifest left as it is or,
/// with `relist`, its size and hash made to match.
fn altered(kit: &Path, out: &Path, name: &str, bytes: &[u8], relist: bool) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(kit).unwrap()).unwrap();
    let mut files = Vec::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut b).unwrap();
        files.push((e.name().unwrap().into_owned(), b));
    }
    let old = files.iter().find(|(n, _)| n == name).unwrap().1.clone();
    let hex = |b: &[u8]| {
        ring::digest::digest(&ring::digest::SHA256, b)
            .as_ref()
            .iter()
            .fold(String::new(), |s, x| s + &format!("{x:02x}"))
    };
    for (n, b) in &mut files {
        if n == name {
            b.clone_from(&bytes.to_vec());
        } else if n == "manifest.toml" && relist {
            *b = String::from_utf8_lossy(b)
                .replace(&hex(&old), &hex(bytes))
                .replace(&format!("size = {}", old.len()), &format!("size = {}", bytes.len()))
                .into_bytes();
        }
    }
    let mut w = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for (n, b) in &files {
        w.start_file(n.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn a_kit_carries_its_votes_to_a_volunteer_who_never_imported_them() {
    let voters = voters();
    let staff = tempfile::tempdir().unwrap();
    import_vote(staff.path(), &voters);
    let campaign = vote_campaign(&staff.path().join("work"), &voters);
    let against = &voters[1].0;
    let staffs = render(staff.path(), &campaign, against);
    assert!(stdout(&staffs).contains("you voted against"), "{}", stderr(&staffs));

    let kit_file = staff.path().join("eprivacy.hemicycle");
    let built = build(staff.path(), &campaign, &kit_file, None);
    assert!(built.status.success(), "{}", stderr(&built));
    let manifest = kit::check(&kit_file).manifest;
    assert!(
        manifest
            .files
            .iter()
            .any(|e| e.path == format!("vote-{VOTE}.json") && e.kind == kit::Kind::Vote),
        "{manifest:?}"
    );

    let volunteer = tempfile::tempdir().unwrap();
    let opened = hemicycle(volunteer.path(), &["kit", "open", kit_file.to_str().unwrap()]);
    assert!(opened.status.success(), "{}", stderr(&opened));
    let unpacked = stdout(&opened)
        .lines()
        .find_map(|l| l.strip_prefix("The campaign: "))
        .map(PathBuf::from)
        .unwrap();
    let theirs = render(volunteer.path(), &unpacked, against);
    assert!(theirs.status.success(), "{}", stderr(&theirs));
    assert!(stdout(&theirs).contains("you voted against"), "{}", stdout(&theirs));
    assert_eq!(stdout(&theirs), stdout(&staffs));
    let thanked = render(volunteer.path(), &unpacked, &voters[0].0);
    assert!(
        stdout(&thanked).contains("you voted in favour of"),
        "{}",
        stdout(&thanked)
    );
    // The kit's vote stays in the kit's folder: the volunteer's own votes
    // folder is untouched.
    let listed = hemicycle(volunteer.path(), &["votes", "list"]);
    assert!(!stdout(&listed).contains(&VOTE.to_string()), "{}", stdout(&listed));

    // Shared again from the volunteer's copy, the kit still carries it.
    let again = volunteer.path().join("again.hemicycle");
    let rebuilt = build(volunteer.path(), &unpacked, &again, None);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
}

#[test]
fn a_vote_that_is_not_imported_stops_the_kit_in_words() {
    let voters = voters();
    let staff = tempfile::tempdir().unwrap();
    let campaign = vote_campaign(&staff.path().join("work"), &voters);
    let kit_file = staff.path().join("k.hemicycle");
    let built = build(staff.path(), &campaign, &kit_file, None);
    assert!(!built.status.success());
    assert!(
        stderr(&built).contains(&format!("uses the vote {VOTE}, which is not imported here")),
        "{}",
        stderr(&built)
    );
    assert!(!kit_file.exists());
}

#[test]
fn a_malformed_or_changed_vote_file_is_refused_and_nothing_is_unpacked() {
    let voters = voters();
    let staff = tempfile::tempdir().unwrap();
    import_vote(staff.path(), &voters);
    let campaign = vote_campaign(&staff.path().join("work"), &voters);
    let key = staff.path().join("org.key");
    assert!(
        hemicycle(staff.path(), &["kit", "key", key.to_str().unwrap()])
            .status
            .success()
    );
    let name = format!("vote-{VOTE}.json");
    for (sign, bytes, expect) in [
        (None, &b"{\"vote\": \"nothing\"}"[..], "is not a usable vote"),
        (None, &b"\xff\xfe"[..], "not UTF-8"),
        // Changed after signing: the signed manifest no longer matches.
        (
            Some(key.as_path()),
            &b"{\"vote\": \"nothing\"}"[..],
            "signature does not match",
        ),
    ] {
        let kit_file = staff.path().join("k.hemicycle");
        let _ = std::fs::remove_file(&kit_file);
        let built = build(staff.path(), &campaign, &kit_file, sign);
        assert!(built.status.success(), "{}", stderr(&built));
        let bad = staff.path().join("bad.hemicycle");
        altered(&kit_file, &bad, &name, bytes, true);
        let volunteer = tempfile::tempdir().unwrap();
        let opened = hemicycle(volunteer.path(), &["kit", "open", bad.to_str().unwrap()]);
        let said = stderr(&opened);
        assert!(!opened.status.success(), "{said}");
        assert!(said.contains(expect), "{expect}: {said}");
        assert!(
            !volunteer.path().join("data/kits").exists()
                || std::fs::read_dir(volunteer.path().join("data/kits"))
                    .unwrap()
                    .next()
                    .is_none()
        );
    }
}

mod kit {
    pub use hemicycle::kit::Kind;

    pub fn check(path: &std::path::Path) -> hemicycle::kit::Checked {
        hemicycle::kit::check(path, hemicycle::kit::BadSignature::Refuse).unwrap()
    }
}
