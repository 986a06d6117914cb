//! File → Follow up… in the app (issue 28, item 3), driven by
//! egui_kittest through its accessible labels: a campaign sent to two MEPs
//! through the real binary and SMTP server, opened in the app; the window
//! finds nobody for a 14-day wait, both MEPs for none, makes the follow-up
//! beside the campaign and opens it.
#![allow(clippy::unwrap_used)]

mod common;

use common::kittest::{Drive, wait_for_label};
use common::smtp::Server;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use hemicycle::ui::{App, Config};

#[test]
fn follow_up_from_the_campaign_menu_makes_and_opens_the_follow_up() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(work.path(), &[]);
    common::add_local_account(home.path(), server.port, "brieven@stichting-voorbeeld.nl", None);
    let campaign = common::example_copy(&work.path().join("c"), |t| {
        t.replacen("[recipients]\n", "[recipients]\nmeps = [\"256814\", \"197870\"]\n", 1)
    });
    let sent = common::hemicycle(
        home.path(),
        &[
            "send",
            campaign.to_str().unwrap(),
            "--profile",
            "Local",
            "--yes",
            "--rate",
            "0",
        ],
    );
    assert!(sent.status.success(), "{}", common::stderr(&sent));
    assert_eq!(server.received().len(), 2);

    let mut config = Config::under(home.path());
    config.campaign = Some(campaign.clone());
    let ctx = eframe::egui::Context::default();
    let app = App::new(&ctx, config);
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut App| app.show(ui), app);
    harness.run_ok();
    if harness.query_by_label("Start").is_some() {
        harness.get_by_label("Start").click();
        harness.run_ok();
    }
    harness.get_by_label("File").click();
    harness.run_ok();
    harness.get_by_label("Follow up…").click();
    harness.run_ok();
    harness.get_by_label("Find them").click();
    wait_for_label(&mut harness, "To 0 MEP(s):");
    assert!(harness.query_all_by_label_contains("not long enough ago").count() == 2);
    harness.type_into("Letters sent at least this long ago:", "0h");
    harness.get_by_label("Find them").click();
    wait_for_label(&mut harness, "To 2 MEP(s):");
    harness.get_by_label("Make the follow-up").click();
    harness.run_ok();
    let followup = campaign.with_file_name("c-followup.toml");
    let text = std::fs::read_to_string(&followup).unwrap();
    assert!(
        text.contains("[followup.letters.256814]") && text.contains("[followup.letters.197870]"),
        "{text}"
    );
    let title = harness.state().probe().doc_title().unwrap_or_default();
    assert!(title.starts_with("Follow-up: "), "the follow-up is open: {title}");
}
