//! The app's Responses window (`ui::responses`), driven by its labels with
//! egui_kittest: a saved campaign whose journal records two letters, and
//! the account's responses file with a reply to one and a bounce of the
//! other (as `hemicycle responses` leaves them; the reading itself is
//! tested against Dovecot in `tests/responses.rs`). The window shows each
//! MEP's state, the reply one click away, and "Correct the address…" opens
//! the MEP's details, which say that the address bounced.
#![allow(clippy::unwrap_used)]

mod common;

use common::kittest::wait_idle;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use hemicycle::deliver::journal::{Journal, Record, State};
use hemicycle::deliver::responses::{Action, Kind, Response, Store};
use hemicycle::directory::Directory;
use hemicycle::store::Paths;
use hemicycle::ui::{App, Config};

fn launch(home: &std::path::Path, campaign: &std::path::Path) -> Harness<'static, App> {
    launch_with(home, campaign, |_| {})
}

fn launch_with(
    home: &std::path::Path,
    campaign: &std::path::Path,
    edit: impl FnOnce(&mut Config),
) -> Harness<'static, App> {
    let mut config = Config::under(home);
    edit(&mut config);
    config.today = chrono::NaiveDate::from_ymd_opt(2026, 12, 10);
    config.campaign = Some(campaign.to_path_buf());
    let ctx = eframe::egui::Context::default();
    let app = App::new(&ctx, config);
    let mut harness = Harness::builder()
        .with_size([1024.0, 700.0])
        .build_ui_state(|ui, app: &mut App| app.show(ui), app);
    harness.run_ok();
    if let Some(start) = harness.query_by_label("Start") {
        start.click();
        harness.run_ok();
    }
    harness
}

fn response(kind: Kind, mep: &str, to: &str, letter: &str, uid: u32) -> Response {
    Response {
        read_at: "2026-12-05T10:00:00Z".into(),
        folder: "INBOX".into(),
        uid_validity: 1,
        uid,
        message_id: format!("in-{uid}@example.net"),
        date: "2026-12-03T09:00:00Z".into(),
        from: to.into(),
        subject: "Re: our letter".into(),
        kind,
        letter: letter.into(),
        mep: mep.into(),
        to: to.into(),
        ..Response::default()
    }
}

#[test]
fn the_responses_window_shows_each_state_the_reply_and_the_bounced_address() {
    let home = tempfile::tempdir().unwrap();
    let paths = Paths::under(home.path());
    let campaign = common::example_copy(&home.path().join("work"), |t| t);
    common::save_office_account(&paths);
    // Two letters that went, to MEPs with a published address.
    let dir = Directory::bundled().unwrap();
    let meps: Vec<_> = dir.meps.iter().filter(|m| m.email.is_some()).take(2).collect();
    let journal = hemicycle::deliver::journal::path_for(&paths.journals(), &campaign);
    {
        let mut j = Journal::open(&journal).unwrap();
        for (i, m) in meps.iter().enumerate() {
            let mut r = Record::new(&m.id, &m.display_name(), m.email.as_deref().unwrap(), State::Sent, "fp");
            r.at = "2026-12-01T09:00:00Z".into();
            r.message_id = Some(format!("<letter-{i}@example.org>"));
            j.record(r).unwrap();
        }
    }
    let mut reply = response(
        Kind::Reply,
        &meps[0].id,
        meps[0].email.as_deref().unwrap(),
        "letter-0@example.org",
        1,
    );
    reply.text = "We will table your amendment in committee.".into();
    let mut bounce = response(
        Kind::Bounce,
        &meps[1].id,
        meps[1].email.as_deref().unwrap(),
        "letter-1@example.org",
        2,
    );
    bounce.action = Some(Action::Failed);
    bounce.status = "5.1.1".into();
    bounce.diagnostic = "smtp; 550 5.1.1 user unknown".into();
    let mut store = Store::open(&hemicycle::deliver::responses::path_for(
        &paths.ledgers(),
        "ana@example.org",
    ))
    .unwrap();
    store.append(vec![reply, bounce]).unwrap();
    drop(store);

    let mut harness = launch(home.path(), &campaign);
    harness.get_by_label("File").click();
    harness.run_ok();
    harness.get_by_label("Responses…").click();
    wait_idle(&mut harness);
    harness.get_by_label("answered");
    harness.get_by_label("bounced");
    assert!(harness.query_by_label_contains("550 5.1.1 user unknown").is_some());
    assert!(harness.query_by_label_contains("table your amendment").is_none());
    harness.get_by_label("Read the reply").click();
    harness.run_ok();
    harness.get_by_label_contains("table your amendment");
    harness.get_by_label("Summary").click();
    harness.run_ok();
    harness.get_by_label("no answer yet");
    harness.get_by_label("Per MEP").click();
    harness.run_ok();
    harness.get_by_label("Correct the address…").click();
    harness.run_ok();
    harness.run_ok();
    let said = harness
        .query_all_by_label_contains("A letter to this address bounced on 3 December 2026")
        .count();
    assert_eq!(said, 1, "the MEP's details say the address bounced");
}

/// A folder the mail server refuses to open (Dovecot's untagged `* NO` to
/// EXAMINE, on which the `imap` crate panicked) is said in the window, in
/// words naming the folder; the Inbox read before it is kept.
#[test]
fn a_folder_the_server_refuses_is_said_in_the_window() {
    use common::kittest::Drive;
    use hemicycle::deliver::secrets::Secrets as _;
    let home = tempfile::tempdir().unwrap();
    let paths = Paths::under(home.path());
    let campaign = common::example_copy(&home.path().join("work"), |t| t);
    let imap = common::imap::Refusing::start("Archive", None);
    let profile = hemicycle::deliver::profile::Profile {
        name: "Office".into(),
        host: "smtp.example.org".into(),
        user: "ana".into(),
        from_email: "ana@example.org".into(),
        imap_host: "127.0.0.1".into(),
        imap_port: imap.port,
        imap_security: hemicycle::deliver::profile::Security::None,
        ..Default::default()
    };
    let secrets = std::sync::Arc::new(hemicycle::deliver::secrets::Memory::default());
    secrets.set(&profile.secret_key(), "pw").unwrap();
    let mut accounts = hemicycle::deliver::profile::Profiles::default();
    accounts.upsert(profile);
    accounts.save(&paths.profiles()).unwrap();
    let dir = Directory::bundled().unwrap();
    let mep = dir.meps.iter().find(|m| m.email.is_some()).unwrap();
    {
        let journal = hemicycle::deliver::journal::path_for(&paths.journals(), &campaign);
        let mut j = Journal::open(&journal).unwrap();
        let mut r = Record::new(
            &mep.id,
            &mep.display_name(),
            mep.email.as_deref().unwrap(),
            State::Sent,
            "fp",
        );
        r.at = "2026-12-01T09:00:00Z".into();
        r.message_id = Some("<letter-0@example.org>".into());
        j.record(r).unwrap();
    }
    let mut harness = launch_with(home.path(), &campaign, |c| c.secrets = Some(secrets));
    harness.get_by_label("File").click();
    harness.run_ok();
    harness.get_by_label("Responses…").click();
    wait_idle(&mut harness);
    harness.type_at("Other folders", "Archive");
    harness.click_on("Read new messages");
    wait_idle(&mut harness);
    harness.get_by_label_contains("refused to open the folder \"Archive\": [SERVERBUG] Internal error occurred");
    let stored = Store::load(&hemicycle::deliver::responses::path_for(
        &paths.ledgers(),
        "ana@example.org",
    ))
    .unwrap();
    assert_eq!(stored.responses.len(), 1, "the Inbox, read before, is kept");
}
