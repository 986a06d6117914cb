//! "Open in my mail program" through the real binary: `hemicycle send
//! --mail-program` hands each letter to the system's opener (here a fake
//! `xdg-open` first on the PATH that writes down what it was given), once.
#![allow(clippy::unwrap_used)]
#![cfg(target_os = "linux")]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use hemicycle::compose::Composer;
use hemicycle::directory::Directory;

#[test]
#[allow(clippy::too_many_lines)] // one step after another; the rule is for src/
fn each_letter_is_handed_to_the_mail_program_once() {
    let work = tempfile::tempdir().unwrap();
    let bin = work.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = work.path().join("opened.txt");
    let fake = bin.join("xdg-open");
    std::fs::write(
        &fake,
        format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display()),
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();

    let campaign = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/ai-act-people-on-the-move.toml");
    let composer = Composer::open(&campaign, None).unwrap();
    let dir = Directory::bundled().unwrap();
    let ids: Vec<String> = composer
        .recipients(&dir)
        .into_iter()
        .filter(|m| m.email.is_some() && !m.email_is_guess)
        .take(2)
        .map(|m| m.id.clone())
        .collect();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let run_with = |extra: &[&str]| {
        common::command(work.path().join("home"))
            .args([
                "send",
                campaign.to_str().unwrap(),
                "--mail-program",
                "--yes",
                "--mep",
                &ids.join(","),
            ])
            .args(extra)
            .env("PATH", &path)
            .output()
            .unwrap()
    };
    let run = || run_with(&[]);
    let first = run();
    assert!(first.status.success(), "{}", common::stderr(&first));
    assert!(
        common::stderr(&first).contains("Handed 2 letter(s)"),
        "{}",
        common::stderr(&first)
    );
    // The opener runs on its own; wait for both lines (a bound for a hung
    // opener, not a measure of speed).
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    let opened = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.lines().count() >= 2 || std::time::Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(opened.lines().count(), 2, "{opened}");
    for target in opened.lines() {
        // These letters are long: drafts, marked as unsent, to the MEP alone.
        let is_eml = Path::new(target)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("eml"));
        assert!(is_eml, "{target}");
        let draft = std::fs::read_to_string(target).unwrap();
        assert!(draft.contains("X-Unsent: 1"), "{draft}");
    }

    let again = run();
    let said = common::stderr(&again);
    assert!(again.status.success(), "{said}");
    assert!(
        said.contains("Handed 0 letter(s)") && said.contains("skipped: 2 × handed to the mail program"),
        "{said}"
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 2);

    // A copy with a journal of its own elsewhere (issue 14): the sender's
    // ledger knows the letters were handed over, so none is again.
    let elsewhere = work.path().join("elsewhere/journal.jsonl");
    let copy = run_with(&["--journal", elsewhere.to_str().unwrap()]);
    let said = common::stderr(&copy);
    assert!(copy.status.success(), "{said}");
    assert!(
        said.contains("Handed 0 letter(s)")
            && said.contains("skipped: 2 × may already have gone from another campaign file")
            && said.contains("its outcome unknown"),
        "{said}"
    );
    assert!(
        !said.contains("already sent"),
        "a handed-over letter is not known to be sent: {said}"
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 2);
    // The bundled example got no id written into it.
    assert!(hemicycle::campaign::examples::is_bundled_text(
        &std::fs::read_to_string(&campaign).unwrap()
    ));
}
