//! The real app, driven by its accessible labels with egui_kittest: choose
//! recipients with the filters, see the preview with the MEP's name cased
//! for letters and numbered notes, see a template error next to the editor,
//! export PDFs.

#![allow(clippy::unwrap_used)]

mod common;

use common::kittest::{Drive, wait_for_label, wait_idle};

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use hemicycle::directory::query::{Index, Query};
use hemicycle::directory::{Directory, Role};
use hemicycle::ui::{App, Config};

/// The Committee filter's option for LIBE: the code and the committee's name.
const LIBE: &str = "LIBE — Civil Liberties, Justice and Home Affairs";

fn app(home: &std::path::Path) -> Harness<'static, App> {
    app_with(home, |_| {})
}

/// The app with its files under `home`, its configuration edited first.
fn app_with(home: &std::path::Path, edit: impl FnOnce(&mut Config)) -> Harness<'static, App> {
    let mut harness = launch(home, [1400.0, 900.0], edit);
    // The welcome dialog shows on the first start and asks who writes.
    for (field, text) in [
        ("Organisation name", "Stichting Voorbeeld"),
        ("Your name", "An Jansen"),
        ("E-mail", "brieven@stichting-voorbeeld.nl"),
    ] {
        harness.type_at(field, text);
    }
    harness.click_on("Start");
    harness
}

/// The app in a window of `size`, after its first frame.
fn launch(home: &std::path::Path, size: [f32; 2], edit: impl FnOnce(&mut Config)) -> Harness<'static, App> {
    let mut config = Config::under(home);
    config.today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23);
    edit(&mut config);
    let ctx = eframe::egui::Context::default();
    let app = App::new(&ctx, config);
    let mut harness = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut App| app.show(ui), app);
    harness.run_ok();
    harness
}

/// Exports the letters from the Export dialog into the folder `out`.
fn export_into(harness: &mut Harness<'_, App>, out: &std::path::Path) {
    harness.click_on("3  Export letters…");
    harness.type_into("Folder", out.to_str().unwrap());
    harness.get_by_label("Export").click();
    wait_idle(harness);
}

/// Saves the campaign as `file` through the app's own path field (tests
/// have no desktop file dialog): Ctrl+S asks where, since an example is
/// never written over.
fn save_as(harness: &mut Harness<'_, App>, file: &std::path::Path) {
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::S);
    harness.run_ok();
    harness.get_by_label("Save the campaign as");
    harness.type_into("Path", file.to_str().unwrap());
    harness.click_on("Save");
    assert_eq!(harness.state().probe().campaign_file(), Some(file));
}

fn choose(harness: &mut Harness<'_, App>, combo: &str, option: &str) {
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, combo)
        .click();
    harness.run_ok();
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::Button, option)
        .click_accesskit();
    harness.run_ok();
}

/// Selects only the MEPs a search finds.
fn select_by_search(harness: &mut Harness<'_, App>, text: &str) {
    harness.click_containing("Recipients (");
    harness.click_on("Select none");
    harness.type_at("Search", text);
    harness.click_on("Select all shown");
}

#[test]
fn filter_to_libe_members_of_one_country_and_select_them() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_containing("Recipients (");
    harness.click_on("Select none");
    choose(&mut harness, "Committee", LIBE);
    choose(&mut harness, "Role", "member");
    choose(&mut harness, "Country", "Germany");
    harness.click_on("Select all shown");

    let dir = Directory::bundled().unwrap();
    let expected: Vec<String> = Index::new(&dir)
        .run(&Query {
            countries: vec!["DE".into()],
            committees: vec!["LIBE".into()],
            roles: vec![Role::Member],
            ..Query::default()
        })
        .iter()
        .map(|m| m.id.clone())
        .collect();
    assert!(expected.len() >= 3, "{expected:?}");
    let mut selected = harness.state().probe().selected_ids();
    selected.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(selected, want);
    let n = expected.len();
    harness.get_by_label(&format!("{n} of 719 shown, {n} selected"));
    // One row's checkbox takes its MEP out again.
    let first = dir.get(&expected[0]).unwrap().display_name();
    harness.click_on(&format!("Select {first}"));
    assert_eq!(harness.state().probe().selected_ids().len(), n - 1);
}

#[test]
fn the_preview_shows_the_cased_name_and_numbered_notes() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    assert_eq!(
        harness.state().probe().campaign().unwrap().title,
        "protecting people on the move in the AI Act"
    );
    // Focus Kim van Sparrentak, whom the EP list calls "Kim VAN SPARRENTAK".
    harness.click_containing("Recipients (");
    harness.type_at("Search", "sparrentak");
    harness.click_on("Kim van Sparrentak");
    assert_eq!(harness.state().probe().preview_for().as_deref(), Some("197870"));
    harness.click_on("2  Letter");
    harness.get_by_label_contains("Dear Kim van Sparrentak");
    assert!(harness.query_by_label_contains("VAN SPARRENTAK").is_none());
    // The example cites 36 times: notes 1 to 36, with Ibid. among them.
    harness.get_by_label_contains("36. ");
    assert!(harness.query_by_label_contains("37. ").is_none());
    assert!(harness.query_all_by_label_contains("Ibid.").count() >= 5);
    // The e-mail text shows the same notes.
    harness.get_by_label("E-mail text").click_accesskit();
    harness.run_ok();
    harness.get_by_label_contains("[36]");
}

#[test]
fn a_template_error_appears_next_to_the_editor() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.scroll_to("Template source");
    harness.click_on("Template source");
    let editor = harness.get_by_label_contains("Template text");
    editor.focus();
    editor.type_text("{{#each demands}}");
    harness.run_ok();
    let error = harness.get_by_label_contains("template \"campaign-template\", line");
    let text = format!("{error:?}");
    // Where the block opens, in plain words, not the parser's grammar.
    assert!(text.contains("column"), "{text}");
    assert!(text.contains("{{#each}} is never closed; add {{/each}}"), "{text}");
    assert!(!text.contains("expression"), "{text}");
    // The preview still shows the last good letter.
    harness.get_by_label_contains("Dear ");
}

#[test]
fn export_pdfs_into_a_folder() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("letters");
    let mut harness = app(home.path());
    select_by_search(&mut harness, "sparrentak");
    export_into(&mut harness, &out);
    harness.get_by_label("1 file written.");
    let files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].to_string_lossy().into_owned();
    assert!(
        name.starts_with("NL-") && name.to_lowercase().ends_with(".pdf"),
        "{name}"
    );
    assert!(std::fs::read(out.join(&name)).unwrap().starts_with(b"%PDF-"));
}

/// Dutch LIBE members, selected through the filters.
fn select_dutch_libe_members(harness: &mut Harness<'_, App>) {
    harness.click_containing("Recipients (");
    harness.click_on("Select none");
    choose(harness, "Committee", LIBE);
    choose(harness, "Country", "Netherlands");
    harness.click_on("Select all shown");
}

#[test]
fn a_dry_run_send_writes_eml_files_and_the_journal_view_shows_them() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("dry run");
    let mut harness = app(home.path());
    select_dutch_libe_members(&mut harness);
    let dir = Directory::bundled().unwrap();
    let with_address: Vec<String> = common::with_address(&dir, harness.state().probe().selected_ids())
        .into_iter()
        .map(hemicycle::directory::Mep::display_name)
        .collect();
    assert!(with_address.len() >= 2, "{with_address:?}");
    // The names in the journal are then the only ones on screen (but the
    // preview's).
    harness.click_on("2  Letter");
    harness.get_by_label("4  Send e-mails…").click();
    wait_idle(&mut harness);
    harness
        .get_by_label("Dry run: write .eml files, send nothing")
        .click_accesskit();
    wait_idle(&mut harness);
    harness.get_by_label("Dry-run folder").focus();
    harness.run_ok();
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::A);
    harness.get_by_label("Dry-run folder").type_text(out.to_str().unwrap());
    harness.run_ok();
    harness.get_by_label("Start dry run").click();
    wait_idle(&mut harness);

    let emls: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(emls.len(), with_address.len());
    // The journal view lists every letter as written.
    harness.get_by_label("Journal of the dry run");
    harness.get_by_label(&format!("{} sent, 0 failed, 0 unconfirmed.", with_address.len()));
    harness.get_by_label(&format!(
        "Dry run done: {} written as e-mail files, 0 failed, 0 skipped. Nothing was sent.",
        with_address.len()
    ));
    for name in &with_address {
        assert!(
            harness.get_all_by_label(name).count() >= 1,
            "{name} is not in the journal view"
        );
    }
    assert_eq!(harness.get_all_by_label("written").count(), with_address.len());
    // Back to a real send: the dry run's result is not shown under its
    // button, nor its journal (the unsaved example has none yet).
    harness
        .get_by_label("Dry run: write .eml files, send nothing")
        .click_accesskit();
    wait_idle(&mut harness);
    assert!(harness.query_by_label_contains("Dry run done").is_none());
    assert_eq!(harness.query_all_by_label("written").count(), 0);
    harness.get_by_label("The journal appears once the campaign is saved.");
}

#[test]
fn a_mail_account_is_saved_without_its_password() {
    let home = tempfile::tempdir().unwrap();
    let secrets: std::sync::Arc<dyn hemicycle::deliver::secrets::Secrets> =
        std::sync::Arc::new(hemicycle::deliver::secrets::Memory::default());
    let mut harness = app_with(home.path(), |c| c.secrets = Some(secrets.clone()));
    harness.click_on("File");
    harness.click_on("Settings…");
    harness.scroll_to("Add a mail account");
    harness.click_on("Add a mail account");
    for (field, value) in [
        ("Account name", "Office"),
        ("SMTP server", "smtp.example.org"),
        ("Password", "s3cret horse"),
    ] {
        harness.get_by_label(field).focus();
        harness.run_ok();
        harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::A);
        harness.get_by_label(field).type_text(value);
        harness.run_ok();
    }
    harness.get_by_label("Save account").click();
    wait_idle(&mut harness);
    harness.get_by_label("Saved the mail account \"Office\". The password is kept in memory (this session only).");
    let saved = std::fs::read_to_string(home.path().join("config/mail-accounts.toml")).unwrap();
    assert!(saved.contains("smtp.example.org"), "{saved}");
    assert!(!saved.contains("s3cret"), "the password is not in the file: {saved}");
    let profile = hemicycle::deliver::profile::Profiles::load(&home.path().join("config/mail-accounts.toml"))
        .unwrap()
        .get("Office")
        .unwrap()
        .clone();
    assert_eq!(
        secrets.get(&profile.secret_key()).unwrap().as_deref(),
        Some("s3cret horse")
    );
}

#[test]
fn sending_through_a_mail_account_reaches_a_real_server_once() {
    let home = tempfile::tempdir().unwrap();
    let server_dir = tempfile::tempdir().unwrap();
    let server = common::smtp::Server::start(server_dir.path(), &[]);
    let mut accounts = hemicycle::deliver::profile::Profiles::default();
    accounts.upsert(hemicycle::deliver::profile::Profile {
        name: "Local relay".into(),
        host: "127.0.0.1".into(),
        port: server.port,
        security: hemicycle::deliver::profile::Security::None,
        from_name: "Stichting Voorbeeld".into(),
        from_email: "letters@example.org".into(),
        ..Default::default()
    });
    accounts.save(&home.path().join("config/mail-accounts.toml")).unwrap();
    let secrets: std::sync::Arc<dyn hemicycle::deliver::secrets::Secrets> =
        std::sync::Arc::new(hemicycle::deliver::secrets::Memory::default());
    let mut harness = app_with(home.path(), |c| c.secrets = Some(secrets));

    // One MEP: the first letter goes out at once (the pace spaces the next).
    select_by_search(&mut harness, "sparrentak");
    // The journal that keeps letters from going twice is the saved campaign's.
    save_as(&mut harness, &home.path().join("ours.toml"));
    harness.click_on("2  Letter");
    harness.get_by_label("4  Send e-mails…").click();
    wait_idle(&mut harness);
    harness.click_on("Start sending (1 letter)");
    // Nothing goes out before the user says so.
    harness.get_by_label("Send 1 letter from letters@example.org to 1 recipient now?");
    harness.click_on("Not yet");
    assert!(harness.query_by_label("Not yet").is_none());
    harness.click_on("Start sending (1 letter)");
    harness.get_by_label("Send now").click();
    wait_idle(&mut harness);
    assert_eq!(server.received().len(), 1);

    let received = server.received();
    assert_eq!(received.len(), 1, "{received:?}");
    assert!(
        received[0]["to_header"].as_str().unwrap().contains("Sparrentak"),
        "{received:?}"
    );
    harness.get_by_label("Done: 1 sent, 0 failed, 0 unconfirmed, 0 skipped.");
    harness.get_by_label("1 sent, 0 failed, 0 unconfirmed.");
    assert_eq!(harness.get_all_by_label("sent").count(), 1);
    // Checked again: nothing is left to send, and the button says so.
    wait_idle(&mut harness);
    harness.get_by_label("Every letter is sent");
    assert_eq!(server.received().len(), 1);

    // Saved as a copy in another folder (issue 14): another journal, but
    // the account's ledger knows the letter went, and the check says so.
    let elsewhere = home.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    harness.click_on("File");
    harness.click_containing("Save as…");
    harness.type_into("Path", elsewhere.join("copy.toml").to_str().unwrap());
    harness.click_on("Save");
    harness.get_by_label("4  Send e-mails…").click();
    wait_idle(&mut harness);
    harness
        .get_by_label_contains("1 letter(s) already went from this mail account, the same letter to the same address");
    harness.get_by_label("Every letter is sent");
    assert_eq!(server.received().len(), 1);
}

#[test]
fn an_unconfirmed_letter_can_be_marked_sent_from_the_journal_view() {
    use hemicycle::deliver::journal::{self, Journal, Record, Standing, State, View};
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    // The campaign, saved; a run of it stopped while the letter to Kim van
    // Sparrentak was on its way.
    let campaign = home.path().join("ours.toml");
    save_as(&mut harness, &campaign);
    let path = journal::path_for(&home.path().join("data/journals"), &campaign);
    {
        let mut j = Journal::open(&path).unwrap();
        j.record(Record::new(
            "197870",
            "Kim van Sparrentak",
            "kim.vansparrentak@europarl.europa.eu",
            State::Pending,
            "f00",
        ))
        .unwrap();
    }
    harness.get_by_label("4  Send e-mails…").click();
    wait_idle(&mut harness);
    harness.get_by_label("0 sent, 0 failed, 1 unconfirmed.");
    harness.get_by_label("unconfirmed");
    // Below the fold of the dialog, which scrolls.
    harness
        .get_by_label("Mark Kim van Sparrentak as sent")
        .click_accesskit();
    wait_idle(&mut harness);
    harness.get_by_label("1 sent, 0 failed, 0 unconfirmed.");
    harness.get_by_label("sent (marked by you)");
    let standing = View::read(&path).unwrap().standings().remove("197870").unwrap();
    assert!(
        matches!(&standing, Standing::Sent { record } if record.state == State::MarkedSent),
        "{standing:?}"
    );
}

/// File → New from an example lists one example per genre, each with its
/// description, and opens the one chosen.
#[test]
fn new_from_an_example_opens_the_genre_chosen() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_on("File");
    harness.click_on("New from an example");
    let gallery = hemicycle::campaign::examples::gallery();
    assert_eq!(gallery.len(), 5);
    for example in gallery {
        harness.get_by_label(&example.description);
    }
    let press = gallery.iter().find(|e| e.genre == "Press release").unwrap();
    harness
        .get_by_label(&format!("{}: {}", press.genre, press.title))
        .click();
    wait_idle(&mut harness);
    assert_eq!(harness.state().probe().doc_title(), Some(press.title.clone()));
    assert!(home.path().join("data/examples").join(press.file).exists());
}

/// The demand-set library lists the bundled sets, finds one by text, shows
/// its demands and adds it to the campaign.
#[test]
fn a_demand_set_from_the_library_joins_the_campaign() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_on("2  Letter");
    // Below the demands, out of sight at first, as a user would scroll.
    harness.scroll_to("Demand-set library…");
    harness.click_on("Demand-set library…");
    wait_idle(&mut harness);
    harness.get_by_label_contains("of 5 demand sets");
    harness.type_at("Tag", "cycling");
    harness.get_by_label_contains("1 of 5 demand sets");
    harness.type_at("Search the demand sets", "urban trees");
    harness.get_by_label_contains("1 of 5 demand sets");
    harness
        .get_by_label_contains("Clean air and green, safe streets — 4 demands")
        .click();
    harness.run_ok();
    harness.get_by_label("1. Defend the 2030 clean air standards");
    harness.get_by_label("Add to the campaign").click();
    wait_idle(&mut harness);
    let ids = harness.state().probe().demand_ids();
    assert!(ids.contains(&"air-2030-limit-values".to_owned()), "{ids:?}");
    assert!(
        ids.contains(&"risk-profiling".to_owned()),
        "the campaign's own demands stay: {ids:?}"
    );
}

/// People who are not MEPs: the joint letter to six Commissioners has no
/// MEP at all, and the app previews and exports its one letter to all; a
/// seventh person added in the recipients tab joins its To block.
#[test]
fn named_addressees_are_recipients_and_can_be_added_in_the_app() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("letters");
    let mut harness = app(home.path());
    harness.click_on("File");
    harness.click_on("New from an example");
    let joint = hemicycle::campaign::examples::gallery()
        .iter()
        .find(|e| e.file.contains("joint-letter-commissioners"))
        .unwrap();
    harness
        .get_by_label(&format!("{}: {}", joint.genre, joint.title))
        .click();
    wait_idle(&mut harness);
    assert_eq!(harness.state().probe().doc_title(), Some(joint.title.clone()));

    harness.click_containing("Recipients (");
    harness.get_by_label("People who are not MEPs (6)");
    harness.click_on("Add a person who is not an MEP");
    harness.type_at("Name 7", "Ada Lovelace-Byron");
    harness.type_at("E-mail 7", "not an address");
    harness.get_by_label("not an address");
    let campaign = harness.state().probe().campaign().unwrap();
    assert_eq!(campaign.recipients.addressees.len(), 7);
    assert_eq!(campaign.recipients.addressees[6].name, "Ada Lovelace-Byron");
    assert_eq!(campaign.recipients.mode, hemicycle::campaign::Mode::OneLetter);

    // The preview: one letter, the new person in its To block.
    harness.click_on("2  Letter");
    harness.get_by_label_contains("Ada Lovelace-Byron");
    harness.get_by_label_contains("Teresa Ribera");

    // Export: one PDF for all seven.
    export_into(&mut harness, &out);
    harness.get_by_label("1 file written.");
    let files: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = common::folded(&common::run("pdftotext", &[files[0].to_str().unwrap(), "-"]));
    assert!(text.contains("Ada Lovelace-Byron"), "{text}");
    assert!(text.contains("Teresa Ribera"), "{text}");
}

/// One command layer: the menu item, the key and the shortcuts help are the
/// same command, its keys written as this platform writes them.
#[test]
fn commands_are_reached_by_menu_key_and_help_alike() {
    use eframe::egui::{Key, Modifiers};
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    // The key opens the export dialog.
    assert!(harness.query_by_label("Export").is_none());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run_ok();
    harness.get_by_label("Export");
    // The shortcuts help lists what the keys do, as egui formats them.
    harness.click_on("Help");
    harness.click_on("Keyboard shortcuts");
    harness.get_by_label("Save the campaign");
    harness.get_by_label("Export the letters as files");
    let keys = harness
        .ctx
        .format_shortcut(&eframe::egui::KeyboardShortcut::new(Modifiers::COMMAND, Key::S));
    assert!(harness.query_all_by_label(&keys).count() >= 1, "the help shows {keys}");
    // The key that searches the MEPs switches to the recipients tab.
    harness.click_on("2  Letter");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run_ok();
    harness.get_by_label("Search");
}

/// Focuses Kim van Sparrentak (EP id 197870) through the search.
fn focus_sparrentak(harness: &mut Harness<'_, App>) {
    harness.click_containing("Recipients (");
    harness.type_at("Search", "sparrentak");
    harness.click_on("Kim van Sparrentak");
}

/// "Select none" with a filter deselects only the MEPs shown, and "Undo
/// selection" brings back the selection as it was before each bulk click.
#[test]
fn select_none_keeps_the_hidden_selection_and_undo_restores_it() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    let dir = Directory::bundled().unwrap();
    let dutch = |id: &String| dir.get(id).is_some_and(|m| m.country == "NL");
    let mut before = harness.state().probe().selected_ids();
    before.sort();
    assert!(before.iter().any(dutch) && !before.iter().all(dutch), "{before:?}");
    harness.click_containing("Recipients (");
    choose(&mut harness, "Country", "Netherlands");
    harness.click_on("Select none");
    let after = harness.state().probe().selected_ids();
    let others: Vec<String> = before.iter().filter(|id| !dutch(id)).cloned().collect();
    assert_eq!(after, others, "only the Dutch MEPs shown were deselected");
    harness.click_on("Undo selection");
    let mut undone = harness.state().probe().selected_ids();
    undone.sort();
    assert_eq!(undone, before);
    // Without a filter, "Select none" deselects everyone; undone again.
    harness.click_on("Clear filters");
    harness.click_on("Select none");
    assert!(harness.state().probe().selected_ids().is_empty());
    harness.click_on("Undo selection");
    let mut undone = harness.state().probe().selected_ids();
    undone.sort();
    assert_eq!(undone, before);
    // "Select all shown" is undone the same way.
    harness.click_on("Select all shown");
    assert_eq!(harness.state().probe().selected_ids().len(), 719);
    harness.click_on("Undo selection");
    let mut undone = harness.state().probe().selected_ids();
    undone.sort();
    assert_eq!(undone, before);
}

/// At 1024×700 the table is wider than its panel: it scrolls sideways and
/// the Committees and E-mail columns can be reached.
#[test]
fn the_table_keeps_every_column_in_a_narrow_window() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.set_size(eframe::egui::vec2(1024.0, 700.0));
    harness.run_ok();
    focus_sparrentak(&mut harness);
    // The details pane is on the right; the table's visible part ends there.
    let pane_left = harness.get_by_label("Correct this record").rect().min.x;
    let address = "kim.vansparrentak@europarl.europa.eu";
    let in_view = |h: &Harness<'_, App>| {
        let cell = h.get_by_label(address).rect();
        cell.min.x >= 0.0 && cell.min.x + 40.0 < pane_left
    };
    assert!(!in_view(&harness), "the window is narrow enough to need scrolling");
    // Scrolled sideways, 100 points a step, as a user would with the bar.
    // (The table's own vertical scroll area takes both axes of a "scroll to
    // me", so that cannot reach the sideways one. And egui 0.37 turns
    // AccessKit's ScrollLeft into a move of the view to the right, the
    // reverse of ScrollDown and ScrollUp.)
    for _ in 0..6 {
        if in_view(&harness) {
            break;
        }
        harness.get_by_label(address).scroll_left();
        harness.run_ok();
    }
    let cell = harness.get_by_label(address).rect();
    assert!(
        in_view(&harness),
        "the e-mail cell at {cell:?} is not in view left of the pane at {pane_left}"
    );
    for header in ["E-mail", "Committees"] {
        let seen = harness
            .get_all_by_label(header)
            .any(|n| n.rect().min.x >= 0.0 && n.rect().max.x <= pane_left);
        assert!(seen, "the {header} header is not in view");
    }
    harness.get_by_label("IMCO");
}

/// Each committee code shows its committee's name: on hover in the table,
/// in the details pane, and in the Committee filter's options.
#[test]
fn committee_codes_show_their_names() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    focus_sparrentak(&mut harness);
    harness.get_by_label("IMCO — Internal Market and Consumer Protection — member");
    harness.get_by_label("EMPL — Employment and Social Affairs — substitute");
    harness.get_by_label("EUDS — European Democracy Shield — member");
    // The table's cell: the name appears when the pointer rests on the code.
    let named = |h: &Harness<'_, App>| {
        h.query_all_by_label_contains("Internal Market and Consumer Protection")
            .count()
    };
    let before = named(&harness);
    harness.get_by_label("IMCO").hover();
    harness.run_steps(60);
    assert_eq!(named(&harness), before + 1, "no tooltip with the committee's name");
    // The Committee filter lists "LIBE — Civil Liberties, …".
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, "Committee")
        .click();
    harness.run_ok();
    harness.get_by_role_and_label(eframe::egui::accesskit::Role::Button, LIBE);
    harness.get_by_role_and_label(eframe::egui::accesskit::Role::Button, "AFET — Foreign Affairs");
}

/// The Party and Committee lists narrow as the user types.
#[test]
fn typing_in_the_party_list_narrows_it() {
    use eframe::egui::accesskit::Role as A11y;
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_containing("Recipients (");
    harness.get_by_role_and_label(A11y::ComboBox, "Party").click();
    harness.run_ok();
    // The field has the keyboard as soon as the list opens.
    assert!(harness.get_by_label("Find a party").is_focused());
    harness.get_by_label("Find a party").type_text("groenlinks");
    harness.run_ok();
    assert!(
        harness
            .query_by_role_and_label(A11y::Button, "Partido Popular")
            .is_none()
    );
    assert!(
        harness
            .query_by_role_and_label(A11y::Button, "Rassemblement national")
            .is_none()
    );
    harness
        .get_by_role_and_label(A11y::Button, "GroenLinks-PvdA")
        .click_accesskit();
    harness.run_ok();
    let dir = Directory::bundled().unwrap();
    let n = dir
        .meps
        .iter()
        .filter(|m| m.national_party.as_deref() == Some("GroenLinks-PvdA"))
        .count();
    assert!(n >= 2);
    harness.get_by_label_contains(&format!("{n} of 719 shown"));
    // Opened again, the list is whole; the committees narrow the same way.
    harness.get_by_role_and_label(A11y::ComboBox, "Party").click();
    harness.run_ok();
    assert_eq!(harness.get_by_label("Find a party").value().as_deref(), Some(""));
    harness.get_by_role_and_label(A11y::Button, "Partido Popular");
    harness.key_press(eframe::egui::Key::Escape);
    harness.run_ok();
    harness.get_by_role_and_label(A11y::ComboBox, "Committee").click();
    harness.run_ok();
    harness.type_at("Find a committee", "civil lib");
    harness.get_by_role_and_label(A11y::Button, LIBE);
    assert!(
        harness
            .query_by_role_and_label(A11y::Button, "AFET — Foreign Affairs")
            .is_none()
    );
}

/// The details pane never shows an MEP the filters hide, and links to the
/// MEP's page on the Parliament's site.
#[test]
fn the_details_pane_follows_the_filters_and_links_to_the_parliament() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    focus_sparrentak(&mut harness);
    harness.get_by_label("EP id 197870");
    let link = harness.get_by_label("Page on the European Parliament's site");
    link.click_accesskit();
    harness.step();
    let opened: Vec<String> = harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            eframe::egui::OutputCommand::OpenUrl(u) => Some(u.url.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(opened, ["https://www.europarl.europa.eu/meps/en/197870"]);
    harness.run_ok();
    // A filter that hides him: the pane says so, and shows none of his record.
    choose(&mut harness, "Country", "Germany");
    harness.get_by_label("Kim van Sparrentak is hidden by the filters.");
    assert!(harness.query_by_label("EP id 197870").is_none());
    assert!(harness.query_by_label("Correct this record").is_none());
    harness.click_on("Clear the filters");
    harness.get_by_label("EP id 197870");
    assert!(
        harness
            .query_by_label("Kim van Sparrentak is hidden by the filters.")
            .is_none()
    );
}

/// The details pane shows the gender letters greet the MEP by, and a
/// correction there is saved apart from the directory and shown at once.
#[test]
fn the_details_pane_shows_the_gender_and_corrects_it() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    focus_sparrentak(&mut harness);
    harness.get_by_label("Gender: female (Ms)");
    choose(&mut harness, "Gender (for greetings)", "not known");
    // Below the fold of the pane: pressed as a screen reader would.
    harness.get_by_label("Save correction").click_accesskit();
    harness.run_ok();
    for _ in 0..600 {
        if harness
            .query_by_label("Gender: not known (letters use a neutral greeting)")
            .is_some()
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        harness.run_ok();
    }
    harness.get_by_label("Gender: not known (letters use a neutral greeting)");
    let saved = std::fs::read_to_string(home.path().join("data/directory/overrides.json")).unwrap();
    assert!(saved.contains("\"gender\": \"not-known\""), "{saved}");
}

/// The window's size, the details pane's width and the tab are kept
/// between sessions, and reopening does not make the pane creep wider.
/// "Import CSV…" goes through the app's file chooser, so it works where
/// the desktop runs no dialog service (the path field), and the list chosen
/// becomes the directory.
#[test]
fn a_csv_list_is_imported_through_the_path_field() {
    let home = tempfile::tempdir().unwrap();
    let list = home.path().join("list.csv");
    std::fs::write(
        &list,
        "id,full_name,country,group,email\n\
         900001,Ada TESTER,NL,Greens/EFA,ada@example.org\n\
         900002,Bo EXAMPLE,BE,S&D,bo@example.org\n",
    )
    .unwrap();
    let mut harness = app(home.path());
    assert!(harness.state().probe().directory_len() > 700);
    harness.click_containing("Recipients (");
    choose_file(&mut harness, "Import CSV…", &list);
    assert_eq!(harness.state().probe().directory_len(), 2);
    harness.get_by_label("The directory now has 2 members.");
}

#[test]
fn the_window_size_pane_width_and_tab_are_remembered() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_containing("Recipients (");
    let first = harness.state_mut().steer().settings_now();
    assert_eq!(first.window, Some((1400, 900)));
    let width = first.detail_width.expect("the details pane's width is noted");
    assert!((240..=480).contains(&width), "{width}");
    drop(harness);

    // The next session opens with them, on the Recipients tab where the
    // user left, and they stay as they were.
    let mut harness = launch(home.path(), [1400.0, 900.0], |_| {});
    harness.run_ok();
    harness.get_by_label("Select all shown");
    let again = harness.state_mut().steer().settings_now();
    assert_eq!(again.detail_width, Some(width));
    assert_eq!(again.window, Some((1400, 900)));
}

/// The unsaved changes of a session that ended without saving are offered
/// in a banner above the tabs: "Restore them" opens them (unsaved, with
/// their title); "Discard them" removes the copy, which is not offered
/// again.
#[test]
fn the_recovery_banner_restores_or_discards_the_last_sessions_changes() {
    use hemicycle::ui::state::Recovery;
    let banner = "Hemicycle closed with unsaved changes to a new campaign (2026-11-22 18:00).";
    let left = |home: &std::path::Path| {
        let paths = hemicycle::store::Paths::under(home);
        let mut campaign = hemicycle::campaign::Campaign::new("Left unsaved", "personal-letter");
        campaign.ensure_id();
        let recovery = Recovery {
            file: None,
            base: paths.data.join("campaigns").join("untitled.toml"),
            saved_at: "2026-11-22 18:00".to_owned(),
            toml: campaign.to_toml(),
        };
        recovery.write(&paths).unwrap();
        paths
    };

    let home = tempfile::tempdir().unwrap();
    left(home.path());
    let mut harness = app(home.path());
    harness.get_by_label(banner);
    assert_ne!(harness.state().probe().doc_title().as_deref(), Some("Left unsaved"));
    harness.click_on("Restore them");
    assert_eq!(harness.state().probe().doc_title().as_deref(), Some("Left unsaved"));
    assert!(harness.state().probe().is_dirty(), "restored changes are unsaved");
    assert!(harness.query_by_label(banner).is_none());

    let home = tempfile::tempdir().unwrap();
    let paths = left(home.path());
    let mut harness = app(home.path());
    harness.click_on("Discard them");
    assert!(harness.query_by_label(banner).is_none());
    assert!(Recovery::load(&paths).is_none(), "the copy is removed");
    assert_ne!(harness.state().probe().doc_title().as_deref(), Some("Left unsaved"));
    drop(harness);
    let harness = launch(home.path(), [1400.0, 900.0], |_| {});
    assert!(harness.query_by_label(banner).is_none(), "offered again");
}

/// Found in a real window: at 1024 px wide, the recovery banner of a
/// campaign with a long path ran past the window's edge, "Discard them"
/// cut off. It wraps.
#[test]
fn the_recovery_banner_wraps_at_1024_wide() {
    use hemicycle::ui::state::Recovery;
    let home = tempfile::tempdir().unwrap();
    let paths = hemicycle::store::Paths::under(home.path());
    let file = home
        .path()
        .join("Campaigns of the European Civic Forum")
        .join("2026 Artificial Intelligence Act, implementation")
        .join("open-letter-to-the-rapporteurs.toml");
    let mut campaign = hemicycle::campaign::Campaign::new("Left unsaved", "personal-letter");
    campaign.ensure_id();
    Recovery {
        file: Some(file.clone()),
        base: file,
        saved_at: "2026-11-22 18:00".to_owned(),
        toml: campaign.to_toml(),
    }
    .write(&paths)
    .unwrap();
    let mut harness = launch(home.path(), [1024.0, 700.0], |_| {});
    harness.run_ok();
    let discard = harness.get_by_label("Discard them").rect();
    assert!(
        discard.max.x <= 1024.0,
        "\"Discard them\" ends at x = {}",
        discard.max.x
    );
    assert!(
        harness.state().probe().misfits().is_empty(),
        "{:?}",
        harness.state().probe().misfits()
    );
}

/// The theme chosen in View or in Settings is the app's and is kept.
#[test]
fn the_theme_is_chosen_in_the_view_menu_and_in_settings() {
    use hemicycle::ui::state::ThemeChoice;
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_on("View");
    harness.click_on("Dark theme");
    assert_eq!(harness.state_mut().steer().settings_now().theme, ThemeChoice::Dark);
    assert_eq!(harness.ctx.theme(), eframe::egui::Theme::Dark);
    harness.click_on("File");
    harness.click_on("Settings…");
    harness.click_on("Light");
    assert_eq!(harness.state_mut().steer().settings_now().theme, ThemeChoice::Light);
    assert_eq!(harness.ctx.theme(), eframe::egui::Theme::Light);
}

/// Edit → Undo takes the campaign back before the last edits, Redo does
/// them again; Ctrl+Z outside a text field does the same.
#[test]
fn campaign_edits_are_undone_and_redone_from_the_edit_menu() {
    use eframe::egui::{Key, Modifiers};
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    let original = harness.state().probe().campaign().unwrap().title.clone();
    harness.click_on("2  Letter");
    harness.type_at("Title", " — draft");
    let edited = format!("{original} — draft");
    assert_eq!(harness.state().probe().campaign().unwrap().title, edited);
    // A menu item's label ends with its shortcut, as this platform writes it.
    let item = |name: &str, shortcut: eframe::egui::KeyboardShortcut| {
        format!("{name} {}", eframe::egui::Context::default().format_shortcut(&shortcut))
    };
    let undo = item("Undo", eframe::egui::KeyboardShortcut::new(Modifiers::COMMAND, Key::Z));
    let redo = item(
        "Redo",
        eframe::egui::KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z),
    );

    harness.click_on("Edit");
    harness.click_on(&undo);
    assert_eq!(harness.state().probe().campaign().unwrap().title, original);
    harness.click_on("Edit");
    harness.click_on(&redo);
    assert_eq!(harness.state().probe().campaign().unwrap().title, edited);

    // The key, once no text field has the focus.
    harness.key_press(Key::Escape);
    harness.run_ok();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_ok();
    harness.run_ok();
    assert_eq!(harness.state().probe().campaign().unwrap().title, original);
}

/// At 1024×700 the letter preview wraps to the width it has: its buttons
/// stay in the window and its text does not run past the edge.
#[test]
fn the_preview_fits_a_small_window() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = launch(home.path(), [1024.0, 700.0], |_| {});
    harness.click_on("Start");
    harness.click_on("2  Letter");
    harness.run_ok();
    for label in ["Open as PDF", "E-mail text"] {
        let right = harness.get_by_label(label).rect().right();
        assert!(right <= 1024.0, "{label} ends at {right}, past the window's 1024");
    }
    let greeting = harness.get_by_label_contains("Dear ").rect();
    assert!(greeting.right() <= 1024.0, "the letter runs to {}", greeting.right());
}

/// Whether the app asked the window to stay open in its last frame.
fn kept_open(harness: &Harness<'_, App>) -> bool {
    harness
        .output()
        .viewport_output
        .values()
        .any(|v| v.commands.contains(&eframe::egui::ViewportCommand::CancelClose))
}

fn ask_to_close(harness: &mut Harness<'_, App>) {
    harness
        .input_mut()
        .viewports
        .entry(eframe::egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(eframe::egui::ViewportEvent::Close);
    harness.step();
}

#[test]
fn examples_start_with_the_users_letterhead_and_are_never_written_over() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = launch(home.path(), [1400.0, 900.0], |_| {});
    // The welcome asks for the letterhead: the example's is not kept.
    let campaign = harness.state().probe().campaign().unwrap().clone();
    assert_eq!(campaign.organisation.name, "");
    assert!(campaign.organisation.address.is_empty());
    for (field, text) in [
        ("Organisation name", "Fietsersbond Utrecht"),
        ("Website", "https://fietsersbond.nl"),
    ] {
        harness.type_at(field, text);
    }
    harness.click_on("Start");
    assert_eq!(
        harness.state().probe().campaign().unwrap().organisation.name,
        "Fietsersbond Utrecht"
    );
    // Saving asks where: the example has no file to be written over.
    assert_eq!(harness.state().probe().campaign_file(), None);
    let example = home
        .path()
        .join("data/examples/campaigns/ai-act-people-on-the-move.toml");
    let on_disk = std::fs::read_to_string(&example).unwrap();
    assert!(on_disk.contains("Example Digital Rights Foundation"), "{on_disk}");

    // Another example starts with the same letterhead.
    harness.click_on("File");
    harness.click_on("New from an example");
    harness.click_containing("Press release");
    let press = harness.state().probe().campaign().unwrap().clone();
    assert_eq!(press.template, "press-release");
    assert_eq!(press.organisation.name, "Fietsersbond Utrecht");
    assert_eq!(press.organisation.website, "https://fietsersbond.nl");
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = launch(home.path(), [1400.0, 900.0], |_| {});
    harness.click_on("Start");
    // Nothing changed: the window closes without a question.
    ask_to_close(&mut harness);
    assert!(!kept_open(&harness));
    assert!(harness.query_by_label("Save your changes?").is_none());

    harness.click_on("2  Letter");
    harness.type_at("Title", " (draft)");
    ask_to_close(&mut harness);
    assert!(kept_open(&harness));
    harness.run_ok();
    harness.get_by_label("Save your changes?");
    harness.click_on("Cancel");
    assert!(harness.query_by_label("Save your changes?").is_none());
    assert!(harness.state().probe().campaign().unwrap().title.ends_with("(draft)"));

    ask_to_close(&mut harness);
    harness.run_ok();
    harness.get_by_label("Close without saving").click();
    harness.step();
    assert!(
        harness
            .output()
            .viewport_output
            .values()
            .any(|v| v.commands.contains(&eframe::egui::ViewportCommand::Close))
    );
    // The next close request is not held back.
    ask_to_close(&mut harness);
    assert!(!kept_open(&harness));
}

/// File → Share as a kit… writes one file; File → Open a campaign kit…
/// unpacks it into a folder of its own and opens its campaign, which Save
/// does not write over.
#[test]
fn a_campaign_is_shared_as_a_kit_and_opened_from_one() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    let campaign = home.path().join("ours.toml");
    save_as(&mut harness, &campaign);
    harness.click_on("File");
    harness.click_on("Share as a kit…");
    harness.get_by_label("Share the campaign as a kit");
    // The path field suggests the campaign's name with .hemicycle.
    harness.get_by_label("Save").click();
    wait_idle(&mut harness);
    let kit = home.path().join("ours.hemicycle");
    assert!(kit.exists(), "no kit was written");

    open_kit(&mut harness, &kit);
    // Said in the status bar and in the volunteer's steps.
    assert_eq!(
        harness
            .query_all_by_label_contains("Unsigned kit: anyone could have made it")
            .count(),
        2
    );
    let opened = harness.state().probe().campaign().unwrap().clone();
    assert_eq!(opened.organisation.name, "Stichting Voorbeeld");
    assert_eq!(
        harness.state().probe().campaign_file(),
        None,
        "a kit's campaign is saved elsewhere"
    );
    assert!(home.path().join("data/kits").read_dir().unwrap().count() == 1);
}

/// Issue 30: the app says who signed a kit by the key's fingerprint first
/// and whom else the kit writes to; a later kit of the same organisation
/// signed with another key opens only when the user accepts the new key.
#[test]
fn a_kit_with_a_new_key_for_a_known_organisation_opens_only_when_accepted() {
    use hemicycle::kit;
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let make = |name: &str, extra: &str| {
        let key = work.path().join(format!("{name}.key"));
        let fingerprint = kit::new_key(&key).unwrap();
        let campaign = common::example_copy(&work.path().join(name), |t| t + extra);
        let file = work.path().join(format!("{name}.hemicycle"));
        kit::build(&campaign, &file, Some(&key)).unwrap();
        (file, fingerprint)
    };
    let (first, first_fp) = make("first", "");
    let extra = "\n[[recipients.addressees]]\nname = \"Kit Author\"\nemail = \"author@kit.example\"\n";
    let (second, second_fp) = make("second", extra);
    let mut harness = app(home.path());
    open_kit(&mut harness, &first);
    // The status bar and the volunteer's window both show who signed it.
    assert!(
        harness
            .query_all_by_label_contains(&format!(
                "Signed with the key {first_fp} (signature checked); the kit says it is from \"Stichting Voorbeeld\""
            ))
            .count()
            >= 1
    );

    // The volunteer's screen has no menu: the full app opens the next kit.
    harness.click_on("Full app");
    open_kit(&mut harness, &second);
    harness.get_by_label("The kit is signed with a new key");
    harness.get_by_label_contains("but is signed with a different key than \"Stichting Voorbeeld\"'s earlier kits");
    assert_eq!(home.path().join("data/kits").read_dir().unwrap().count(), 1);
    harness.get_by_label("Accept the new key and open it").click();
    wait_idle(&mut harness);
    assert!(
        harness
            .query_all_by_label_contains(&format!("Signed with the key {second_fp}"))
            .count()
            >= 1,
        "not shown (status bar and the volunteer's window both show it)"
    );
    assert!(
        harness
            .query_all_by_label_contains("This kit also writes to: \"Kit Author\" <author@kit.example>")
            .count()
            >= 1
    );
    assert_eq!(home.path().join("data/kits").read_dir().unwrap().count(), 2);
}

#[test]
fn a_provider_fills_the_account_and_the_copy_in_sent_is_saved() {
    let home = tempfile::tempdir().unwrap();
    let secrets: std::sync::Arc<dyn hemicycle::deliver::secrets::Secrets> =
        std::sync::Arc::new(hemicycle::deliver::secrets::Memory::default());
    let mut harness = app_with(home.path(), |c| c.secrets = Some(secrets.clone()));
    harness.click_on("File");
    harness.click_on("Settings…");
    harness.scroll_to("Add a mail account");
    harness.click_on("Add a mail account");
    harness.click_on("Choose your provider");
    harness.click_on("Fastmail");
    // The provider's note on passwords is shown.
    harness.get_by_label_contains("make an app password");
    harness.click_on("Keep a copy in Sent");
    harness.get_by_label("Account name").focus();
    harness.run_ok();
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::A);
    harness.get_by_label("Account name").type_text("Mine");
    harness.run_ok();
    harness.scroll_to("Save account");
    harness.get_by_label("Save account").click();
    wait_idle(&mut harness);
    let profile = hemicycle::deliver::profile::Profiles::load(&home.path().join("config/mail-accounts.toml"))
        .unwrap()
        .get("Mine")
        .unwrap()
        .clone();
    assert_eq!(
        (profile.host.as_str(), profile.port, profile.security),
        ("smtp.fastmail.com", 465, hemicycle::deliver::profile::Security::Tls)
    );
    assert!(profile.copy_to_sent);
    assert_eq!(
        (profile.imap_host.as_str(), profile.imap_port()),
        ("imap.fastmail.com", 993)
    );
}

/// A volunteer opens a kit and is walked through it: about you, the MEPs
/// the kit suggests for their country, their own words for the kit's
/// question, then the letters go from their own mail account to a real
/// local server (STARTTLS, login), each with their words in it, and a copy
/// of each lands in their Sent folder on a real Dovecot.
#[test]
fn a_volunteer_opens_a_kit_and_sends_their_own_letters() {
    let home = tempfile::tempdir().unwrap();
    let staff = tempfile::tempdir().unwrap();
    let kit = volunteer_kit(staff.path());
    let server_dir = tempfile::tempdir().unwrap();
    let (server, imap, secrets) = volunteer_mailbox(home.path(), server_dir.path());
    let mut harness = launch(home.path(), [1400.0, 900.0], |c| c.secrets = Some(secrets));
    harness.click_on("Start");
    open_kit(&mut harness, &kit);
    // The kit's signature is said in the volunteer's window, not only in
    // the status bar.
    assert_eq!(
        harness
            .query_all_by_label_contains("Unsigned kit: anyone could have made it")
            .count(),
        2,
        "the volunteer's window and the status bar"
    );

    // 1. About you.
    about_you(&mut harness, "Kraków", "Poland");
    // 2. The kit's suggestion: Polish members of LIBE, at most two.
    let dir = Directory::bundled().unwrap();
    let rule = harness
        .state()
        .probe()
        .campaign()
        .unwrap()
        .volunteer
        .suggest
        .clone()
        .unwrap();
    let mut suggested: Vec<String> = rule.meps(&dir, "PL").iter().map(|m| m.id.clone()).collect();
    assert_eq!(suggested.len(), 2);
    harness.click_on("Next");
    let mut chosen = harness.state().probe().selected_ids();
    chosen.sort();
    suggested.sort();
    assert_eq!(chosen, suggested);
    // 3. Their words; Next waits until the answer is long enough.
    let words = "Our street in Krakow floods every spring and nobody listens.";
    harness.type_into("Why does this matter to you?", words);
    harness.click_on("Next");
    // 4. Kept in a folder of their choice, then sent from their mailbox.
    keep_my_letters(&mut harness, &home.path().join("letters"));
    wait_idle(&mut harness);
    harness.get_by_label("Your letters go from Ana Kowalska <ana@kowalska.pl>.");
    let with_address = common::with_address(&dir, &suggested).len();
    assert!(with_address >= 1);
    send_them(&mut harness, with_address, "ana@kowalska.pl");
    let received = server.received();
    assert_eq!(received.len(), with_address, "{received:?}");
    assert_eq!(imap.messages("Sent").len(), with_address, "a copy of each in Sent");
    for r in &received {
        let raw = r["raw"].as_str().unwrap();
        let body = plain_body(home.path(), raw);
        assert!(common::folded(&body).contains(words), "{body}");
        assert!(
            body.contains("Ana Kowalska") && body.contains("Kraków, 23 November 2026"),
            "signed by the volunteer, dated at their town: {body}"
        );
        assert!(!body.contains("Brussels,"), "dated at the organisation's place: {body}");
        let from = header(home.path(), raw, "From");
        assert_eq!(from, "Ana Kowalska <ana@kowalska.pl>");
    }
    // 5. Done: what went where.
    harness.click_on("Next");
    harness.get_by_label(&format!("Your letters: {with_address} sent, 0 failed, 0 unconfirmed."));
}

/// Step 1 of the volunteer's way: Ana Kowalska of `town`, `country`.
fn about_you(harness: &mut Harness<'_, App>, town: &str, country: &str) {
    harness.get_by_label("Write to your MEPs");
    for (field, text) in [
        ("Your name", "Ana Kowalska"),
        ("Town", town),
        ("Your e-mail", "ana@kowalska.pl"),
    ] {
        harness.type_into(field, text);
    }
    choose(harness, "Your country", country);
    harness.click_on("Next");
}

/// "Save my letters…": a folder, no file name or format to choose.
fn keep_my_letters(harness: &mut Harness<'_, App>, folder: &std::path::Path) {
    harness.click_on("Save my letters…");
    harness.get_by_label("Where to keep your letters");
    assert!(
        harness.query_by_label_contains(".toml").is_none(),
        "a volunteer is asked for a place, not a file format"
    );
    harness.type_into("Path", folder.to_str().unwrap());
    harness.click_on("Keep my letters here");
    let file = harness.state().probe().campaign_file().unwrap().to_path_buf();
    assert!(file.starts_with(folder), "{}", file.display());
    assert!(
        file.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("ana-kowalska-letters"),
        "named for them: {}",
        file.display()
    );
}

/// Step 4's one confirmation, then the send to its end.
fn send_them(harness: &mut Harness<'_, App>, n: usize, from: &str) {
    let letters = if n == 1 {
        "1 letter".to_owned()
    } else {
        format!("{n} letters")
    };
    harness.click_on(&format!("Send {letters}…"));
    harness.get_by_label(&format!("Send {letters} from {from} now?"));
    harness.get_by_label("Yes, send them").click();
    wait_idle(harness);
}

/// A header of a message as Python's e-mail reader decodes it.
fn header(dir: &std::path::Path, raw_hex: &str, name: &str) -> String {
    let raw = dir.join("raw.hex");
    std::fs::write(&raw, raw_hex).unwrap();
    common::run(
        "python3",
        &[
            "-c",
            "import sys, email; from email import policy; m = email.message_from_bytes(bytes.fromhex(open(sys.argv[1]).read()), policy=policy.default); print(m[sys.argv[2]])",
            raw.to_str().unwrap(),
            name,
        ],
    )
    .trim()
    .to_owned()
}

/// File → Open a campaign kit…, through the path field.
fn open_kit(harness: &mut Harness<'_, App>, kit: &std::path::Path) {
    harness.click_on("File");
    harness.click_on("Open a campaign kit…");
    harness.type_into("Path", kit.to_str().unwrap());
    harness.get_by_label("Choose").click();
    wait_idle(harness);
}

/// A volunteer's mailbox: the SMTP server and Dovecot under `dir`, with
/// certificates from one throw-away authority, and their mail account
/// (with "Keep a copy in Sent") saved under `home`, its password in memory.
fn volunteer_mailbox(
    home: &std::path::Path,
    dir: &std::path::Path,
) -> (
    common::smtp::Server,
    common::imap::Dovecot,
    std::sync::Arc<dyn hemicycle::deliver::secrets::Secrets>,
) {
    use hemicycle::deliver::profile::{Profile, Profiles, Security};
    use hemicycle::deliver::secrets::Secrets;
    let (smtp, imap, ca) = common::imap::servers(dir, common::imap::Mailboxes::Sent);
    let profile = Profile {
        name: "Mine".into(),
        host: "localhost".into(),
        port: smtp.port,
        security: Security::StartTls,
        user: common::imap::USER.into(),
        from_name: "Ana Kowalska".into(),
        from_email: "ana@kowalska.pl".into(),
        extra_ca: Some(ca),
        copy_to_sent: true,
        imap_host: "localhost".into(),
        imap_port: imap.port,
        imap_security: Security::Tls,
        ..Profile::default()
    };
    let secrets = hemicycle::deliver::secrets::Memory::default();
    secrets.set(&profile.secret_key(), common::imap::PASSWORD).unwrap();
    let mut accounts = Profiles::default();
    accounts.upsert(profile);
    accounts.save(&home.join("config/mail-accounts.toml")).unwrap();
    (smtp, imap, std::sync::Arc::new(secrets))
}

/// The text of a message as Python's e-mail reader finds it.
fn plain_body(dir: &std::path::Path, raw_hex: &str) -> String {
    let raw = dir.join("raw.hex");
    std::fs::write(&raw, raw_hex).unwrap();
    common::run(
        "python3",
        &[
            "-c",
            "import sys, email; from email import policy; m = email.message_from_bytes(bytes.fromhex(open(sys.argv[1]).read()), policy=policy.default); print(m.get_body(('plain',)).get_content())",
            raw.to_str().unwrap(),
        ],
    )
}

/// A kit whose campaign asks volunteers why it matters to them and
/// suggests the Polish members of LIBE.
fn volunteer_kit(staff: &std::path::Path) -> std::path::PathBuf {
    let campaign = common::example_copy(staff, |text| {
        // The example's own questions give way to the test's.
        let cut = text.find("[[volunteer.prompts]]").unwrap();
        text[..cut].to_owned()
            + r#"
[[volunteer.prompts]]
id = "why"
question = "Why does this matter to you?"
min = 20
max = 600

[volunteer.suggest]
own_country = true
max = 2
query = { committees = ["LIBE"], roles = ["member", "substitute"] }
"#
    });
    let kit = staff.join("campaign.hemicycle");
    hemicycle::kit::build(&campaign, &kit, None).unwrap();
    kit
}

/// Counts what is handed to the "mail program".
#[derive(Default)]
struct Counting(Vec<String>);

impl hemicycle::deliver::mail_program::Opener for Counting {
    fn open(&mut self, target: &str) -> Result<(), String> {
        self.0.push(target.to_owned());
        Ok(())
    }
}

/// Without a mail account, the letters go to the mail program, each once.
#[test]
fn letters_are_handed_to_the_mail_program_once() {
    let home = tempfile::tempdir().unwrap();
    let opened = std::sync::Arc::new(std::sync::Mutex::new(Counting::default()));
    let shared: std::sync::Arc<std::sync::Mutex<dyn hemicycle::deliver::mail_program::Opener + Send>> = opened.clone();
    let mut harness = app_with(home.path(), |c| c.opener = Some(hemicycle::ui::MailProgram(shared)));
    select_by_search(&mut harness, "sparrentak");
    save_as(&mut harness, &home.path().join("ours.toml"));
    harness.click_on("2  Letter");
    harness.get_by_label("4  Send e-mails…").click();
    wait_idle(&mut harness);
    for _ in 0..2 {
        harness.click_on("Open in my mail program…");
        harness.get_by_label("Open 1 letter in your mail program?");
        harness.get_by_label("Open them").click();
        wait_idle(&mut harness);
    }
    let targets = opened.lock().unwrap().0.clone();
    assert_eq!(targets.len(), 1, "handed over twice: {targets:?}");
    assert!(
        targets[0].starts_with("mailto:")
            || std::path::Path::new(&targets[0])
                .extension()
                .is_some_and(|e| e == "eml"),
        "{targets:?}"
    );
    harness.get_by_label("Handed 0 letters to your mail program: send them from there.");
}

/// Steps a few frames and fails with every place whose content did not fit
/// its panel, or that reached past the window.
fn assert_fits(harness: &mut Harness<'_, App>, what: &str) {
    harness.run_ok();
    harness.run_ok();
    let misfits: Vec<String> = harness
        .state()
        .probe()
        .misfits()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(misfits.is_empty(), "at 1024×700, {what}: {}", misfits.join("; "));
}

/// Opens a window from a menu, checks that it fits, and closes it again.
fn menu_window_fits(harness: &mut Harness<'_, App>, menu: &str, item: &str) {
    // The menu's button (the editor has a "Campaign" section too).
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::Button, menu)
        .click();
    harness.run_ok();
    assert_fits(harness, &format!("the {menu} menu"));
    // A menu item's label ends with its shortcut, if it has one.
    harness
        .query_all_by_label_contains(item)
        .find(|n| n.accesskit_node().label().is_some_and(|l| l.starts_with(item)))
        .unwrap_or_else(|| panic!("{menu} ▸ {item} is not there"))
        .click();
    assert_fits(harness, &format!("{menu} ▸ {item}"));
    // Closed with its title bar's button, so that the next is seen alone.
    for _ in 0..10 {
        let Some(close) = harness.query_all_by_label("Close window").next() else {
            break;
        };
        close.click();
        harness.run_ok();
    }
    assert!(harness.query_by_label("Close window").is_none(), "{item} did not close");
}

/// At 1024×700, the smallest window Hemicycle is made for, nothing is cut
/// off: no panel's content is wider than its panel, and no window, dialog,
/// menu or popup reaches past the window — in the welcome, on both tabs
/// with the example letter, an MEP's details and the demand editor open,
/// and in every dialog the menus open.
#[test]
fn nothing_is_cut_off_at_1024_by_700() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = launch(home.path(), [1024.0, 700.0], |_| {});
    assert_fits(&mut harness, "the welcome");
    harness.get_by_label("Start").click();
    assert_fits(&mut harness, "the first frame");

    harness.get_by_label_contains("Recipients (").click();
    assert_fits(&mut harness, "the recipients tab");
    choose(&mut harness, "Committee", LIBE);
    assert_fits(&mut harness, "the recipients filtered to LIBE");
    harness.click_on("Clear filters");
    focus_sparrentak(&mut harness);
    assert_fits(&mut harness, "an MEP's details");

    harness.get_by_label("2  Letter").click();
    assert_fits(&mut harness, "the letter tab");
    harness.get_by_label("E-mail text").click();
    assert_fits(&mut harness, "the e-mail text");

    for (menu, item) in [
        ("File", "Export letters…"),
        ("File", "Send e-mails…"),
        ("File", "Responses…"),
        ("File", "Settings…"),
        ("Campaign", "Layout…"),
        ("Help", "Keyboard shortcuts"),
        ("Help", "Welcome"),
        ("Help", "About Hemicycle"),
    ] {
        menu_window_fits(&mut harness, menu, item);
    }
    harness.click_on("File");
    harness.get_by_label("New from an example").hover();
    assert_fits(&mut harness, "File ▸ New from an example");
    // The volunteer's steps are a screen of their own, left by "Full app"
    // (each step is checked in a_kit_shows_a_volunteer_only_the_guided_steps…).
    harness.key_press(eframe::egui::Key::Escape);
    harness.run_ok();
    harness.click_on("File");
    harness.get_by_label_contains("Write to your MEPs…").click();
    assert_fits(&mut harness, "File ▸ Write to your MEPs…");
    harness.click_on("Full app");
    harness.get_by_label("File");
}

/// At 1024×700 the filter bar wraps onto a second row, but each label
/// stays on the row of the list it names: no list starts a row (its label
/// left at the end of the row above), and each is on the row of a label
/// with its name.
#[test]
fn filter_labels_stay_beside_their_lists_at_1024_by_700() {
    use eframe::egui::accesskit::Role;
    let home = tempfile::tempdir().unwrap();
    let mut harness = launch(home.path(), [1024.0, 700.0], |_| {});
    harness.click_on("Start");
    harness.click_containing("Recipients (");
    // Where the bar's rows start: the row below it starts with the counts.
    let start = harness.get_by_label_contains(" shown, ").rect().left();
    let mut rows = std::collections::BTreeSet::new();
    for label in ["Country", "Group", "Party", "Committee", "Role", "Sort by"] {
        let list = harness.get_by_role_and_label(Role::ComboBox, label).rect();
        assert!(
            list.left() > start + 30.0,
            "the {label} list starts a row at {list:?}: its label was left on the row above"
        );
        #[allow(clippy::cast_possible_truncation)]
        rows.insert(list.top().round() as i32);
    }
    // The bar did wrap: the test looks at the case that went wrong.
    assert!(rows.len() > 1, "the filter bar fits on one row at 1024: {rows:?}");
}

/// Issue 14: a campaign's identity. The example (no id, never written)
/// saved as the user's own gets one; "Save as…" keeps it, so nothing it
/// sent goes twice from the copy; "New campaign from this…" gives the new
/// campaign one of its own and asks where to save it.
#[test]
fn a_campaign_keeps_its_id_through_save_as_and_new_from_this_gives_another() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    let id_of = |file: &std::path::Path| hemicycle::campaign::Campaign::load(file).unwrap().id;
    let first = work.path().join("first.toml");
    save_as(&mut harness, &first);
    let id = id_of(&first);
    assert_eq!(id.len(), 36, "{id}");
    let example = home
        .path()
        .join("data/examples/campaigns/ai-act-people-on-the-move.toml");
    assert!(!std::fs::read_to_string(&example).unwrap().contains("\nid = "));
    let menu = |harness: &mut Harness<'_, App>, item: &str, file: &std::path::Path| {
        harness.click_on("File");
        // The label may carry the shortcut.
        harness.click_containing(item);
        harness.get_by_label("Save the campaign as");
        harness.type_into("Path", file.to_str().unwrap());
        harness.click_on("Save");
        assert_eq!(harness.state().probe().campaign_file(), Some(file));
    };
    let second = work.path().join("second.toml");
    menu(&mut harness, "Save as…", &second);
    assert_eq!(id_of(&second), id, "Save as is the same campaign");
    let third = work.path().join("third.toml");
    menu(&mut harness, "New campaign from this…", &third);
    let new = id_of(&third);
    assert!(new.len() == 36 && new != id, "{new} after {id}");
    assert_eq!(id_of(&first), id);
    assert_eq!(id_of(&second), id);
}

/// The recipients table shows each MEP's language (the example is in
/// English, German and French: a German MEP gets German by the rule), a
/// language chosen for one MEP is kept in the campaign, and the preview
/// follows it.
#[test]
fn each_mep_has_a_language_that_can_be_chosen_and_the_preview_follows_it() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_containing("Recipients (");
    for (search, name, language) in [
        ("barley", "Katarina Barley", "German"),
        ("sparrentak", "Kim van Sparrentak", "English"),
    ] {
        harness.click_containing("Recipients (");
        harness.type_into("Search", search);
        let label = format!("Language of {name}");
        let cell = format!(
            "{:?}",
            harness.get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, &label)
        );
        assert!(cell.contains(language), "{name}: {cell}");
        // The row's name (the details may name the MEP too).
        harness.get_all_by_label(name).next().unwrap().click();
        harness.run_ok();
        harness.click_on("2  Letter");
        let greeting = if language == "German" {
            "Sehr geehrte Frau Abgeordnete Barley"
        } else {
            "Dear Kim van Sparrentak"
        };
        harness.get_by_label_contains(greeting);
    }
    // French for Kim van Sparrentak, by choice.
    harness.click_containing("Recipients (");
    choose(&mut harness, "Language of Kim van Sparrentak", "French");
    assert_eq!(
        harness
            .state()
            .probe()
            .campaign()
            .unwrap()
            .languages
            .meps
            .get("197870")
            .map(String::as_str),
        Some("fr")
    );
    harness.click_on("2  Letter");
    harness.get_by_label_contains("haute considération");
    assert!(harness.query_by_label_contains("Dear Kim van Sparrentak").is_none());
    // Back to the rule.
    harness.click_containing("Recipients (");
    choose(
        &mut harness,
        "Language of Kim van Sparrentak",
        "English (by the campaign's rule)",
    );
    assert!(harness.state().probe().campaign().unwrap().languages.meps.is_empty());
}

/// The editor shows each demand's translations beside the original and
/// marks the missing ones; a translation typed there is the campaign's.
#[test]
fn the_editor_shows_translations_beside_the_original_and_marks_missing_ones() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_on("2  Letter");
    // The example's demands are translated into German and French.
    harness.get_by_label("German translation of demand 1").scroll_to_me();
    harness.get_by_label("French translation of demand 4");
    harness.scroll_to("Add a demand");
    harness.click_on("Add a demand");
    harness.get_by_label("French translation of demand 5 — missing");
    let header = "German translation of demand 5 — missing";
    harness.scroll_to(header);
    harness.click_on(header);
    harness.scroll_to("German title of demand 5");
    harness.type_into("German title of demand 5", "Neue Forderung");
    harness.type_into("German text of demand 5", "Warum das wichtig ist, mit Quellen: [@key].");
    let campaign = harness.state().probe().campaign().unwrap();
    let own = campaign.demands.last().unwrap();
    let de = &own.translations["de"];
    assert_eq!(de.title, "Neue Forderung");
    assert_eq!(de.body, "Warum das wichtig ist, mit Quellen: [@key].");
    harness.get_by_label("German translation of demand 5");
    assert!(harness.query_by_label(header).is_none());
    // A translation that loses the original's citation is marked.
    harness.type_into("German text of demand 5", "Warum das wichtig ist.");
    harness.get_by_label("German translation of demand 5 — check the citations");
    harness.get_by_label("The original cites [@key]; add it to the German text.");
}

/// Chooses `file` in the chooser a button opened, through the path field.
fn choose_file(harness: &mut Harness<'_, App>, button: &str, file: &std::path::Path) {
    harness.scroll_to(button);
    harness.click_on(button);
    harness.type_into("Path", file.to_str().unwrap());
    harness.get_by_label("Choose").click();
    wait_idle(harness);
}

/// A CSL style that prints "HOUSE FIRST" for a first citation and "HOUSE
/// AGAIN" after, with the position tested on line 8.
fn house_style(position: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<style xmlns=\"http://purl.org/net/xbiblio/csl\" class=\"note\" version=\"1.0\">\n  <info><title>House</title><id>house</id><updated>2024-01-01T00:00:00+00:00</updated></info>\n  <citation>\n    <layout suffix=\".\">\n      <choose>\n        <!-- the first citation of a source -->\n        <if position=\"{position}\">\n          <text value=\"HOUSE FIRST\"/>\n        </if>\n        <else><text value=\"HOUSE AGAIN\"/></else>\n      </choose>\n    </layout>\n  </citation>\n</style>\n"
    )
}

/// A `.csl` file that is not valid CSL is refused with its line and the
/// reason, and the campaign keeps its style and its notes; a valid one is
/// taken.
#[test]
fn a_bad_csl_file_is_refused_with_its_line_and_the_style_stays() {
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("house-style.csl");
    std::fs::write(&bad, house_style("sometimes")).unwrap();
    let good = home.path().join("good-style.csl");
    std::fs::write(&good, house_style("first")).unwrap();
    let mut harness = app(home.path());
    choose_file(&mut harness, "Load a .csl style…", &bad);
    let status = harness.get_by_label_contains("keeps its citation style \"hemicycle-notes\"");
    let text = format!("{status:?}");
    assert!(
        text.contains("at line 8") && text.contains("sometimes") && text.contains("house-style.csl"),
        "{text}"
    );
    assert_eq!(
        harness.state().probe().campaign().unwrap().citation_style,
        "hemicycle-notes"
    );
    assert!(harness.query_all_by_label_contains("Ibid.").count() >= 5);
    assert!(harness.query_by_label_contains("HOUSE").is_none());

    choose_file(&mut harness, "Load a .csl style…", &good);
    let style = harness.state().probe().campaign().unwrap().citation_style.clone();
    assert!(style.ends_with("good-style.csl"), "{style}");
    assert!(harness.query_all_by_label_contains("HOUSE FIRST").count() >= 5);
    assert!(harness.query_all_by_label_contains("HOUSE AGAIN").count() >= 5);
    assert!(harness.query_by_label_contains("Ibid.").is_none());
}

/// The style picker shows, under each bundled style, a note formatted
/// from the campaign's own first-cited source (the AI Act), and the notes
/// differ between styles.
#[test]
fn the_style_picker_shows_a_sample_note_per_style() {
    use egui_kittest::kittest::NodeT;
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    wait_idle(&mut harness);
    harness.get_by_label_contains("A note in this style: ");
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, "Citation style")
        .click();
    harness.run_ok();
    let samples: Vec<String> = harness
        .query_all_by_label_contains("2024/1689")
        .filter_map(|n| n.accesskit_node().value())
        .filter(|l| !l.starts_with("A note in this style"))
        .collect();
    let styles = hemicycle::cite::style::BUNDLED.len();
    assert!(samples.len() >= styles, "{samples:#?}");
    let mut distinct = samples.clone();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() >= 4, "{distinct:#?}");
    // Each style's sample is the note that style gives the source.
    let expected = hemicycle::cite::engine::samples(
        &hemicycle::compose::Composer::open(
            &hemicycle::store::Paths::under(home.path())
                .examples()
                .join("campaigns/ai-act-people-on-the-move.toml"),
            None,
        )
        .unwrap()
        .library,
        "aiact2024",
        "en",
    );
    for (name, note) in expected {
        let text = hemicycle::letter::plain_text(&note.unwrap());
        assert!(samples.contains(&text), "{name}: {text}\n{samples:#?}");
    }
}

/// A bibliography file changed on disk (as Better BibTeX's auto-export
/// does) is read again and the preview shows the new text; a file that no
/// longer parses keeps the sources as they were and says why.
#[test]
fn a_bibliography_changed_on_disk_is_read_again() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app_with(home.path(), |c| c.watch_interval = Duration::from_millis(100));
    let file = hemicycle::store::Paths::under(home.path())
        .examples()
        .join("bibliography/ai-act-migration.json");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Regulation (EU) 2024/1689"));
    assert!(harness.query_all_by_label_contains("Regulation (EU) 2024/1689").count() >= 1);
    let dirty = harness.state().probe().is_dirty();
    // Give the watcher time to see the file as it was.
    wait_for_label(&mut harness, "A note in this style");
    std::thread::sleep(Duration::from_millis(400));
    std::fs::write(
        &file,
        text.replace(
            "Regulation (EU) 2024/1689",
            "The Artificial Intelligence Act as re-exported",
        ),
    )
    .unwrap();
    wait_for_label(&mut harness, "The Artificial Intelligence Act as re-exported");
    wait_idle(&mut harness);
    harness.get_by_label_contains("Sources read again after a change on disk");
    assert_eq!(
        harness.query_all_by_label_contains("Regulation (EU) 2024/1689").count(),
        0
    );
    // Not an edit: nothing more to save.
    assert_eq!(harness.state().probe().is_dirty(), dirty);

    std::fs::write(&file, "[{\"id\": \"aiact2024\", \"type\": \"legislation\",").unwrap();
    wait_for_label(
        &mut harness,
        "could not be read, so the sources as they were stay in use",
    );
    let status = format!(
        "{:?}",
        harness.get_by_label_contains("could not be read, so the sources as they were stay in use")
    );
    assert!(
        status.contains("line 1") && status.contains("ai-act-migration.json"),
        "{status}"
    );
    assert!(
        harness
            .query_all_by_label_contains("The Artificial Intelligence Act as re-exported")
            .count()
            >= 1
    );
}

/// "Add from Zotero…" searches the running Zotero's local API (a local
/// server answering in its shape) and adds the chosen item to a new
/// `<campaign>-zotero.json` beside the campaign, which joins its
/// bibliography; with the local API off, the user is told how to turn it on.
#[test]
fn sources_are_added_from_zotero() {
    let server = common::zotero::ZoteroServer::start();
    let home = tempfile::tempdir().unwrap();
    let url = server.base_url.clone();
    let mut harness = app_with(home.path(), |c| c.zotero_url = url);
    harness.scroll_to("Sources");
    harness.click_on("Sources");
    harness.scroll_to("Add from Zotero…");
    harness.click_on("Add from Zotero…");
    harness.type_into("Words to find in Zotero", "picum");
    harness.get_by_label("Search Zotero").click();
    wait_idle(&mut harness);
    harness.get_by_label("2 items found: tick those to add.");
    let (url, version) = server.requests().last().cloned().unwrap();
    assert!(url.starts_with("/api/users/0/items/top?"), "{url}");
    assert!(url.contains("q=picum") && url.contains("format=csljson"), "{url}");
    assert_eq!(version, "3");
    harness
        .get_by_label_contains("Platform for International Cooperation on Undocumented Migrants (2023)")
        .click();
    harness.run_ok();
    harness.get_by_label("Add the chosen sources").click();
    wait_idle(&mut harness);
    harness.get_by_label("Added to ai-act-people-on-the-move-zotero.json; cite them as [@platform2023].");

    let file = hemicycle::store::Paths::under(home.path())
        .examples()
        .join("campaigns/ai-act-people-on-the-move-zotero.json");
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written[0]["id"], "platform2023");
    assert_eq!(written[0]["zotero-id"], "1/7XQ2KJ4M");
    assert_eq!(written.as_array().unwrap().len(), 1);
    let bibliography = harness.state().probe().campaign().unwrap().bibliography.clone();
    assert!(
        bibliography.contains(&std::path::PathBuf::from("ai-act-people-on-the-move-zotero.json")),
        "{bibliography:?}"
    );
    // The new source is in the campaign's list of sources, to cite.
    harness.get_by_label("platform2023");

    server.off.store(true, std::sync::atomic::Ordering::SeqCst);
    harness.get_by_label("Search Zotero").click();
    wait_idle(&mut harness);
    let error = format!("{:?}", harness.get_by_label_contains("its local API is off"));
    assert!(
        error.contains("Settings → Advanced")
            && error.contains("Allow other applications on this computer to communicate with Zotero"),
        "{error}"
    );
}

// ---- stale translations (issue 23, items 7 and 8) ----

/// An edit to demand 1 of the original marks its German translation out
/// of date in words; the citation the original now has is offered to the
/// German text and added with a click; "Still right" records the
/// translation as made from the original as it is now.
#[test]
fn an_edited_original_marks_its_translation_out_of_date_and_offers_the_citation() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_on("2  Letter");
    harness.scroll_to("German translation of demand 1");
    let original = harness.state().probe().demand_text(1).unwrap();
    let edited = format!(
        "{} Risk scores decide who is stopped [@aiact2024, recital 61].",
        original.trim_end()
    );
    harness.get_by_label("Text of demand 1").scroll_to_me();
    harness.type_into("Text of demand 1", &edited);
    let header = "German translation of demand 1 — out of date";
    harness.get_by_label("French translation of demand 1 — out of date");
    harness.scroll_to(header);
    harness.click_on(header);
    harness.get_by_label("German: demand 1 changed since it was translated.");
    harness.get_by_label("The original now cites [@aiact2024, recital 61]; add it to the German text.");
    let add = "Add [@aiact2024, recital 61] to the German text of demand 1";
    harness.scroll_to(add);
    harness.click_on(add);
    let german = |harness: &Harness<'_, App>| {
        let campaign = harness.state().probe().campaign().unwrap();
        let d = campaign.demands.iter().find(|d| d.id == "risk-profiling").unwrap();
        d.translations["de"].clone()
    };
    assert!(
        german(&harness).body.trim_end().ends_with("[@aiact2024, recital 61]"),
        "{}",
        german(&harness).body
    );
    assert!(harness.query_by_label_contains("The original now cites").is_none());
    // Its new sentence is not translated: still out of date until the user
    // says the German text is right.
    harness.get_by_label(header);
    harness
        .get_by_label("Mark the German text of demand 1 as up to date")
        .click();
    harness.run_ok();
    harness.get_by_label("German translation of demand 1");
    assert!(harness.query_by_label(header).is_none());
    assert_eq!(
        german(&harness).source_hash.get("body"),
        Some(&hemicycle::campaign::translations::source_hash(&edited))
    );
}

/// Words typed into the closing paragraph reach the letter; a German MEP's
/// letter, whose German closing is now out of date, goes in English with
/// those words and says why above the preview.
#[test]
fn words_typed_into_the_closing_reach_a_translated_letter() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    let dir = Directory::bundled().unwrap();
    let ids = harness.state().probe().selected_ids();
    let german = dir
        .meps
        .iter()
        .find(|m| m.country == "DE" && ids.contains(&m.id))
        .unwrap()
        .display_name();
    harness.click_on("2  Letter");
    choose(&mut harness, "Preview for", &german);
    harness.get_by_label_contains("Mit freundlichen Grüßen");
    harness.scroll_to("Opening and closing paragraphs");
    harness.click_on("Opening and closing paragraphs");
    let words = "I will follow your vote on these bans closely.";
    harness.get_by_label("Closing paragraph").scroll_to_me();
    harness.type_into("Closing paragraph", words);
    harness.get_by_label_contains(words);
    harness.get_by_label(
        "This letter is in English, not German, because the German translation is out of date: the phrase [wording] closing changed since it was translated.",
    );
    harness.get_by_label("German: the phrase [wording] closing changed since it was translated.");
    assert!(harness.query_by_label_contains("Mit freundlichen Grüßen").is_none());
}

// ---- end of stale translations ----

// ---------------------------------------------------------------------------
// Issue 23 (branch window): replacing the campaign, the send's limits, the
// send dialog's journal, closing during a send, saved examples, the account
// form, and the layout at 1024×700.
// ---------------------------------------------------------------------------

/// A mail account "Local relay" (no encryption, user name `user` if any)
/// for the test server on `port`, saved under `home`.
fn local_relay(home: &std::path::Path, name: &str, port: u16, user: &str) {
    let file = home.join("config/mail-accounts.toml");
    let mut accounts = hemicycle::deliver::profile::Profiles::load(&file).unwrap_or_default();
    accounts.upsert(hemicycle::deliver::profile::Profile {
        name: name.into(),
        host: "127.0.0.1".into(),
        port,
        security: hemicycle::deliver::profile::Security::None,
        user: user.into(),
        from_name: "Stichting Voorbeeld".into(),
        from_email: "letters@example.org".into(),
        ..Default::default()
    });
    accounts.save(&file).unwrap();
}

fn memory_secrets() -> std::sync::Arc<dyn hemicycle::deliver::secrets::Secrets> {
    std::sync::Arc::new(hemicycle::deliver::secrets::Memory::default())
}

fn recovery_file(home: &std::path::Path) -> std::path::PathBuf {
    home.join("data/recovery/unsaved-campaign.json")
}

fn edit_title(harness: &mut Harness<'_, App>, added: &str) {
    harness.click_on("2  Letter");
    harness.type_at("Title", added);
    // Out of the field: the keys that follow are the app's.
    harness.key_press(eframe::egui::Key::Escape);
    harness.run_ok();
}

/// Every way of replacing the campaign asks first when it has unsaved
/// changes: New from an example (Cancel keeps them), Ctrl+N (Save saves
/// them, then the new campaign opens), Open recent (Discard drops them and
/// their recovery copy). The recovery copy is written when the question is
/// asked, before anything is replaced.
#[test]
fn replacing_a_campaign_with_unsaved_changes_asks_first() {
    let home = tempfile::tempdir().unwrap();
    let ours = home.path().join("ours.toml");
    let mut harness = app(home.path());
    save_as(&mut harness, &ours);
    edit_title(&mut harness, " (draft)");

    harness.click_on("File");
    harness.click_on("New from an example");
    harness.click_containing("Press release");
    harness.get_by_label("Save your changes first?");
    let recovery = std::fs::read_to_string(recovery_file(home.path())).unwrap();
    assert!(recovery.contains("(draft)"), "{recovery}");
    harness.click_on("Cancel");
    assert!(harness.query_by_label("Save your changes first?").is_none());
    let campaign = harness.state().probe().campaign().unwrap().clone();
    assert!(campaign.title.ends_with("(draft)"), "{}", campaign.title);
    assert_ne!(campaign.template, "press-release");

    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::N);
    harness.run_ok();
    harness.get_by_label("Save your changes first?");
    harness.click_on("Save");
    harness.run_ok();
    assert_eq!(
        harness.state().probe().doc_title().as_deref(),
        Some("Untitled campaign")
    );
    assert!(std::fs::read_to_string(&ours).unwrap().contains("(draft)"));

    // The new campaign is unsaved: Open recent asks too.
    harness.click_on("File");
    harness.click_on("Open recent");
    harness.click_on(ours.to_str().unwrap());
    harness.get_by_label("Save your changes first?");
    assert!(recovery_file(home.path()).exists());
    harness.click_on("Discard the changes");
    assert_eq!(harness.state().probe().campaign_file(), Some(ours.as_path()));
    assert!(harness.state().probe().doc_title().unwrap().ends_with("(draft)"));
    assert!(!recovery_file(home.path()).exists());
}

/// "Close without saving" means it: no recovery copy is written in the
/// frames before the window closes, and the next start offers nothing.
#[test]
fn close_without_saving_leaves_nothing_to_restore() {
    let home = tempfile::tempdir().unwrap();
    {
        let mut harness = launch(home.path(), [1400.0, 900.0], |_| {});
        harness.click_on("Start");
        edit_title(&mut harness, " (draft)");
        // The autosave (every five seconds) writes the recovery copy.
        std::thread::sleep(Duration::from_millis(5100));
        harness.step();
        assert!(recovery_file(home.path()).exists());
        ask_to_close(&mut harness);
        harness.run_ok();
        harness.get_by_label("Close without saving").click();
        harness.step();
        // A frame after the next autosave time, before the window is gone.
        std::thread::sleep(Duration::from_millis(5100));
        harness.step();
        assert!(!recovery_file(home.path()).exists());
    }
    let harness = launch(home.path(), [1400.0, 900.0], |_| {});
    assert!(
        harness
            .query_by_label_contains("Hemicycle closed with unsaved changes")
            .is_none()
    );
}

/// An unsaved example has no journal: the send dialog does not show the
/// journal of the campaign open before it.
#[test]
fn the_send_dialog_of_an_unsaved_example_shows_no_other_journal() {
    use hemicycle::deliver::journal::{self, Journal, Record, State};
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    let campaign = home.path().join("ours.toml");
    save_as(&mut harness, &campaign);
    {
        let path = journal::path_for(&home.path().join("data/journals"), &campaign);
        let mut j = Journal::open(&path).unwrap();
        for (id, name) in [("1", "Ann A"), ("2", "Ben B"), ("3", "Cas C")] {
            j.record(Record::new(id, name, "x@example.org", State::Sent, "f00"))
                .unwrap();
        }
    }
    harness.get_by_label("4  Send e-mails…").click();
    wait_idle(&mut harness);
    harness.get_by_label("3 sent, 0 failed, 0 unconfirmed.");
    harness.click_on("Close window");

    harness.click_on("File");
    harness.click_on("New from an example");
    harness.click_containing("Press release");
    assert_eq!(harness.state().probe().campaign_file(), None);
    harness.get_by_label("4  Send e-mails…").click();
    wait_idle(&mut harness);
    assert!(harness.query_by_label("3 sent, 0 failed, 0 unconfirmed.").is_none());
    assert!(harness.query_by_label("Ann A").is_none());
    harness.get_by_label("The journal appears once the campaign is saved.");
}

/// Steps the app until `done` holds (a send under way, so not `wait_idle`).
fn step_until(harness: &mut Harness<'_, App>, what: &str, done: impl Fn(&Harness<'_, App>) -> bool) {
    let start = Instant::now();
    while !done(harness) {
        assert!(start.elapsed() < Duration::from_mins(2), "{what} did not happen");
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run_ok();
}

/// Sets the daily cap to `cap` in the send dialog.
fn set_daily_cap(harness: &mut Harness<'_, App>, cap: &str) {
    harness.click_on("At most");
    harness.get_by_label("letters a day").focus();
    harness.run_ok();
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::A);
    harness.run_ok();
    harness.get_by_label("letters a day").type_text(cap);
    harness.run_ok();
    harness.key_press(eframe::egui::Key::Enter);
    harness.run_ok();
}

/// The daily cap is kept with the campaign's send: after a restart the
/// dialog still has it, and the confirmation says what it means today.
#[test]
fn the_daily_cap_survives_a_restart_and_the_confirmation_names_it() {
    let home = tempfile::tempdir().unwrap();
    let server_dir = tempfile::tempdir().unwrap();
    let server = common::smtp::Server::start(server_dir.path(), &[]);
    local_relay(home.path(), "Local relay", server.port, "");
    let secrets = memory_secrets();
    let campaign = home.path().join("ours.toml");
    let letters;
    {
        let mut harness = app_with(home.path(), |c| c.secrets = Some(secrets.clone()));
        select_dutch_libe_members(&mut harness);
        save_as(&mut harness, &campaign);
        harness.click_on("2  Letter");
        harness.get_by_label("4  Send e-mails…").click();
        wait_idle(&mut harness);
        set_daily_cap(&mut harness, "3");
        wait_idle(&mut harness);
        let start = harness
            .get_by_label_contains("Start sending (")
            .accesskit_node()
            .label()
            .unwrap();
        letters = start
            .trim_start_matches("Start sending (")
            .split(' ')
            .next()
            .unwrap()
            .parse::<usize>()
            .unwrap();
        assert!(letters > 3, "{start}");
        harness.click_containing("Start sending (");
        harness.get_by_label(&format!(
            "At most 3 a day, so 3 today and the other {} on the following days; one every 20 s.",
            letters - 3
        ));
        harness.click_on("Send now");
        step_until(&mut harness, "the first letter", |_| server.received().len() == 1);
        // The progress line names the cap.
        harness.get_by_label_contains("at most 3 a day, one every 20 s");
        harness.get_by_label("Cancel sending").click();
        wait_idle(&mut harness);
    }
    // A new start on the same files: the campaign opens again, and so do
    // its limits.
    let mut harness = launch(home.path(), [1400.0, 900.0], |c| c.secrets = Some(secrets));
    assert_eq!(harness.state().probe().campaign_file(), Some(campaign.as_path()));
    harness.get_by_label("4  Send e-mails…").click();
    wait_idle(&mut harness);
    harness
        .get_by_label(&format!("Resume sending ({} left)", letters - 1))
        .click();
    harness.run_ok();
    harness.get_by_label(&format!(
        "At most 3 a day (1 already sent today), so 2 today and the other {} on the following days; one every 20 s.",
        letters - 3
    ));
    harness.click_on("Not yet");
    assert_eq!(server.received().len(), 1);
}

/// Closing the window while letters go out asks first; stopping writes a
/// line for the interrupted run to the send log, then the window closes.
#[test]
fn closing_during_a_send_asks_and_logs_the_interrupted_run() {
    let home = tempfile::tempdir().unwrap();
    let server_dir = tempfile::tempdir().unwrap();
    let server = common::smtp::Server::start(server_dir.path(), &[]);
    local_relay(home.path(), "Local relay", server.port, "");
    let mut harness = app_with(home.path(), |c| c.secrets = Some(memory_secrets()));
    select_dutch_libe_members(&mut harness);
    save_as(&mut harness, &home.path().join("ours.toml"));
    harness.click_on("2  Letter");
    harness.get_by_label("4  Send e-mails…").click();
    wait_idle(&mut harness);
    harness.click_containing("Start sending (");
    harness.click_on("Send now");
    step_until(&mut harness, "the first letter", |_| server.received().len() == 1);

    ask_to_close(&mut harness);
    assert!(kept_open(&harness));
    harness.run_ok();
    harness.get_by_label_contains("A send is running: 1 of ");
    harness.click_on("Keep sending");
    assert!(harness.query_by_label_contains("A send is running").is_none());
    ask_to_close(&mut harness);
    assert!(kept_open(&harness));
    harness.run_ok();
    harness.get_by_label("Stop sending and close").click();
    step_until(&mut harness, "the window closing", |h| {
        h.output()
            .viewport_output
            .values()
            .any(|v| v.commands.contains(&eframe::egui::ViewportCommand::Close))
    });
    assert_eq!(server.received().len(), 1);
    let log = std::fs::read_to_string(hemicycle::store::Paths::under(home.path()).send_log()).unwrap();
    assert!(log.contains("interrupted: the window was closed after 1 of"), "{log}");
    assert!(log.contains("stopped: you cancelled it"), "{log}");
}

/// A copy of an example saved elsewhere brings its demand sets and sources
/// along and names them relative to itself: it works without the data
/// folder it came from.
#[test]
fn a_saved_example_names_its_files_relative_to_itself() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    let ours = home.path().join("shared/ours.toml");
    std::fs::create_dir_all(ours.parent().unwrap()).unwrap();
    let demands = harness.state().probe().demand_ids();
    save_as(&mut harness, &ours);
    let text = std::fs::read_to_string(&ours).unwrap();
    assert!(!text.contains("examples"), "{text}");
    let saved = hemicycle::campaign::Campaign::from_toml(&text, "ours.toml").unwrap();
    assert!(!saved.demand_sets.is_empty());
    for set in &saved.demand_sets {
        assert!(set.is_relative(), "{}", set.display());
        assert!(ours.parent().unwrap().join(set).exists(), "{}", set.display());
    }
    // Shared: the folder alone, without the data folder it came from.
    std::fs::remove_dir_all(home.path().join("data/examples")).unwrap();
    let opened = hemicycle::compose::Composer::open(&ours, None).unwrap();
    let ids: Vec<String> = opened.demands.iter().map(|d| d.id.clone()).collect();
    assert_eq!(ids, demands);
}

/// Settings → Add a mail account: a provider chosen stays chosen while the
/// server is typed key by key, every key lands in the field, and "Other"
/// stays in the list.
#[test]
fn typing_the_server_after_choosing_a_provider_keeps_both() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app_with(home.path(), |c| c.secrets = Some(memory_secrets()));
    harness.click_on("File");
    harness.click_on("Settings…");
    harness.scroll_to("Add a mail account");
    harness.click_on("Add a mail account");
    choose(&mut harness, "Choose your provider", "Gmail");
    harness.get_by_label_contains("app password");
    harness.get_by_label("SMTP server").focus();
    harness.run_ok();
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::A);
    harness.run_ok();
    for key in "relay.example.org".chars() {
        harness.get_by_label("SMTP server").type_text(&key.to_string());
        harness.run_ok();
    }
    assert_eq!(
        harness.get_by_label("SMTP server").accesskit_node().value().as_deref(),
        Some("relay.example.org")
    );
    harness.get_by_label_contains("app password");
    let combo = harness.get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, "Choose your provider");
    assert_eq!(combo.accesskit_node().value().as_deref(), Some("Gmail"));
    combo.scroll_to_me();
    harness.run_ok();
    harness.key_press(eframe::egui::Key::Escape);
    harness.run_ok();
    // "Other" is still in the list, and choosing it keeps what was typed.
    choose(&mut harness, "Choose your provider", "Other (enter the servers below)");
    let combo = harness.get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, "Choose your provider");
    assert_eq!(
        combo.accesskit_node().value().as_deref(),
        Some("Other (enter the servers below)")
    );
    assert_eq!(
        harness.get_by_label("SMTP server").accesskit_node().value().as_deref(),
        Some("relay.example.org")
    );
}

/// "Test connection" against a server that offers no login, for an account
/// with a user name and password: the message says the server did not ask
/// for a login, and does not blame the password.
#[test]
fn a_server_without_login_is_not_said_to_refuse_the_password() {
    let home = tempfile::tempdir().unwrap();
    let server_dir = tempfile::tempdir().unwrap();
    let server = common::smtp::Server::start(server_dir.path(), &[]);
    local_relay(home.path(), "Local relay", server.port, "me@example.org");
    let mut harness = app_with(home.path(), |c| c.secrets = Some(memory_secrets()));
    harness.get_by_label("4  Send e-mails…").click();
    wait_idle(&mut harness);
    harness.click_on("Account settings…");
    harness.type_into("Password", "not needed");
    harness.scroll_to("Test connection");
    harness.get_by_label("Test connection").click();
    wait_idle(&mut harness);
    harness.get_by_label_contains("127.0.0.1 did not ask for a login");
    assert!(harness.query_by_label_contains("password for").is_none());
    assert!(harness.query_by_label_contains("check them").is_none());
}

/// At 1024×700: Sources open leaves the preview its width and shows more
/// than three sources; the send dialog with the account settings fits;
/// choosing another mail account moves nothing under the pointer.
#[test]
fn sources_and_the_send_dialog_fit_at_1024_by_700() {
    let home = tempfile::tempdir().unwrap();
    local_relay(home.path(), "First relay", 2525, "");
    local_relay(home.path(), "Second relay", 2526, "");
    // The second has no From address: the check finds one more problem
    // when it is chosen, which must not move the choice above it.
    let file = home.path().join("config/mail-accounts.toml");
    let mut accounts = hemicycle::deliver::profile::Profiles::load(&file).unwrap();
    let mut second = accounts.get("Second relay").unwrap().clone();
    second.from_email.clear();
    accounts.upsert(second);
    accounts.save(&file).unwrap();
    let mut harness = launch(home.path(), [1024.0, 700.0], |c| c.secrets = Some(memory_secrets()));
    harness.click_on("Start");
    harness.click_on("2  Letter");
    // The pointer out of the way (on the status bar): scrolling Sources
    // into view moves what it would be on, by the user's wish.
    harness
        .input_mut()
        .events
        .push(eframe::egui::Event::PointerMoved(eframe::egui::pos2(1000.0, 695.0)));
    harness.run_ok();
    harness.scroll_to("Sources");
    harness.get_by_label("Sources").click_accesskit();
    harness.run_ok();
    harness.get_by_label("Search sources").scroll_to_me();
    assert_fits(&mut harness, "the Sources section");
    let list_top = harness.get_by_label("Search sources").rect().bottom();
    let list_bottom = harness.get_by_label("Template source").rect().top();
    assert!(
        list_bottom - list_top > 150.0,
        "the sources list is {} points tall",
        list_bottom - list_top
    );

    harness.get_by_label("4  Send e-mails…").click();
    wait_idle(&mut harness);
    assert_fits(&mut harness, "the send dialog");
    harness.get_by_label("Account settings…").click();
    wait_idle(&mut harness);
    assert_fits(&mut harness, "the send dialog with the account settings");
    harness.get_by_label("Close account settings").click();
    wait_idle(&mut harness);
    choose(&mut harness, "Mail account", "Second relay");
    wait_idle(&mut harness);
    assert_fits(&mut harness, "the send dialog after choosing an account");
}

// ---------------------------------------------------------------------
// The volunteer mode (issue 23, items 3, 9–11, 16): branch `volunteer`.
// ---------------------------------------------------------------------

/// The open-letter example as its organisation shares it (its own
/// letterhead, the example's `[volunteer]` table), made into a kit.
fn open_letter_kit(staff: &std::path::Path) -> std::path::PathBuf {
    let campaign = common::example_copy(staff, |text| text);
    let kit = staff.join("open-letter.hemicycle");
    hemicycle::kit::build(&campaign, &kit, None).unwrap();
    kit
}

/// Someone who opens a kit (here as a double-click would, from the command
/// line) sees only the guided steps, at 1024×700: no welcome, no tabs, no
/// send dialog. Their account is filled from "about you" — From is their
/// own name and address, never the organisation's — and their letter goes
/// to their MEP in the MEP's language, dated at their town.
#[test]
fn a_kit_shows_a_volunteer_only_the_guided_steps_and_sends_as_them() {
    let home = tempfile::tempdir().unwrap();
    let staff = tempfile::tempdir().unwrap();
    let kit = open_letter_kit(staff.path());
    let server_dir = tempfile::tempdir().unwrap();
    let server = common::smtp::Server::start(server_dir.path(), &["--keep-raw"]);
    let secrets: std::sync::Arc<dyn hemicycle::deliver::secrets::Secrets> =
        std::sync::Arc::new(hemicycle::deliver::secrets::Memory::default());
    let mut harness = launch(home.path(), [1024.0, 700.0], |c| {
        c.campaign = Some(kit.clone());
        c.secrets = Some(secrets);
    });
    wait_idle(&mut harness);
    let ngo = [
        "Welcome to Hemicycle",
        "An example campaign is open",
        "4  Send e-mails…",
        "1  Recipients",
        "Dry run",
        "hemicycle account add",
        "Send unconfirmed letters again",
    ];
    let nothing_of_the_ngo = |harness: &Harness<'_, App>, step: &str| {
        for text in ngo {
            assert!(
                harness.query_all_by_label_contains(text).next().is_none(),
                "{step}: a volunteer sees \"{text}\""
            );
        }
    };
    nothing_of_the_ngo(&harness, "the kit opened");
    assert_fits(&mut harness, "the volunteer's first step");
    about_you(&mut harness, "Esch-sur-Alzette", "Luxembourg");
    assert_fits(&mut harness, "the suggested MEPs");
    let dir = Directory::bundled().unwrap();
    let rule = harness
        .state()
        .probe()
        .campaign()
        .unwrap()
        .volunteer
        .suggest
        .clone()
        .unwrap();
    let suggested: Vec<String> = rule.meps(&dir, "LU").iter().map(|m| m.id.clone()).collect();
    assert!(!suggested.is_empty(), "the example suggests Luxembourg's members");
    harness.click_on("Next");
    let words = "I teach at a school in Esch where half the pupils came from elsewhere.";
    harness.type_into("Why does this matter to you? (in your own words)", words);
    assert_fits(&mut harness, "the volunteer's words");
    harness.click_on("Next");
    nothing_of_the_ngo(&harness, "the send step");
    keep_my_letters(&mut harness, &home.path().join("letters"));
    wait_idle(&mut harness);
    assert_fits(&mut harness, "the send step");
    nothing_of_the_ngo(&harness, "the send step, kept");
    // Filled from step 1; the organisation's address is nowhere.
    harness.get_by_label("Your letters go from Ana Kowalska <ana@kowalska.pl>.");
    for field in harness.query_all_by_role(eframe::egui::accesskit::Role::TextInput) {
        let value = field.value().unwrap_or_default();
        assert!(!value.contains("stichting-voorbeeld"), "a field holds {value}");
    }

    local_server_without_login(&mut harness, server.port);
    let with_address = common::with_address(&dir, &suggested).len();
    send_them(&mut harness, with_address, "ana@kowalska.pl");
    let received = server.received();
    assert_eq!(received.len(), with_address, "{received:?}");
    for r in &received {
        let raw = r["raw"].as_str().unwrap();
        assert_eq!(r["mail_from"], "ana@kowalska.pl");
        assert_eq!(header(home.path(), raw, "From"), "Ana Kowalska <ana@kowalska.pl>");
        let body = plain_body(home.path(), raw);
        // Luxembourg's MEPs get the French letter, dated at her town.
        assert!(body.contains("Esch-sur-Alzette, "), "not dated at her town: {body}");
        assert!(body.contains("23 novembre 2026"), "{body}");
        assert!(body.contains("Nous vous écrivons"), "not in French: {body}");
        assert!(common::folded(&body).contains(words), "{body}");
    }
    // The account kept is hers.
    let accounts = std::fs::read_to_string(home.path().join("config/mail-accounts.toml")).unwrap();
    assert!(accounts.contains("from_email = \"ana@kowalska.pl\""), "{accounts}");
    assert!(!accounts.contains("stichting-voorbeeld"), "{accounts}");
}

/// "Another provider": a server on this computer, without login.
fn local_server_without_login(harness: &mut Harness<'_, App>, port: u16) {
    // Chosen with the pointer, as a person does (an accessibility click
    // leaves the list open).
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, "Your provider")
        .click();
    harness.run_ok();
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::Button, "Another provider")
        .click();
    harness.run_ok();
    assert!(harness.query_by_label("mailbox.org").is_none(), "the list stays open");
    harness.type_into("SMTP server", &format!("localhost:{port}"));
    harness
        .get_by_label(hemicycle::deliver::profile::Security::None.label())
        .click();
    harness.run_ok();
    harness.get_by_label("User name").focus();
    harness.run_ok();
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::A);
    harness.key_press(eframe::egui::Key::Backspace);
    harness.run_ok();
    wait_idle(harness);
}

/// A signed kit opens with its signature said in the volunteer's window;
/// a kit changed after signing is refused, and the kit open before does
/// not stay on screen with "signature checked".
#[test]
fn a_tampered_kit_refused_leaves_no_checked_signature_on_screen() {
    let home = tempfile::tempdir().unwrap();
    let staff = tempfile::tempdir().unwrap();
    let campaign = common::example_copy(staff.path(), |text| text);
    let key = staff.path().join("key");
    hemicycle::kit::new_key(&key).unwrap();
    let signed = staff.path().join("signed.hemicycle");
    hemicycle::kit::build(&campaign, &signed, Some(&key)).unwrap();
    // The same kit with its campaign changed after signing.
    let tampered = staff.path().join("tampered.hemicycle");
    common::run(
        "python3",
        &[
            "-c",
            "import sys, zipfile\nsrc = zipfile.ZipFile(sys.argv[1])\nout = zipfile.ZipFile(sys.argv[2], 'w')\nfor i in src.infolist():\n    data = src.read(i.filename)\n    if i.filename == 'campaign.toml':\n        data = data.replace(b'Stichting Voorbeeld', b'Stichting Vervalst')\n    out.writestr(i, data)\nout.close()",
            signed.to_str().unwrap(),
            tampered.to_str().unwrap(),
        ],
    );
    let mut harness = app(home.path());
    open_kit(&mut harness, &signed);
    assert_eq!(
        harness.query_all_by_label_contains("signature checked").count(),
        2,
        "the volunteer's window and the status bar"
    );
    harness.click_on("Open another kit…");
    harness.type_into("Path", tampered.to_str().unwrap());
    harness.get_by_label("Choose").click();
    wait_idle(&mut harness);
    // A bad signature may be insisted on; the volunteer does not.
    if harness.query_by_label("Don't open it").is_some() {
        harness.click_on("Don't open it");
    }
    assert!(
        harness.query_by_label_contains("signature checked").is_none(),
        "the refused kit looks checked"
    );
    assert!(harness.query_all_by_label_contains("The kit was not opened").count() >= 1);
    assert!(
        harness.state().probe().campaign().is_none(),
        "the kit before stays open"
    );
    harness.get_by_label("Open a campaign kit…");
}

/// `hemicycle kit build` refuses a campaign that asks nothing of
/// volunteers unless told, and then warns; the bundled open letter has
/// its questions.
#[test]
fn a_kit_without_volunteer_steps_is_refused_unless_asked_for() {
    let work = tempfile::tempdir().unwrap();
    let with = common::example_copy(work.path(), |text| text);
    let out = work.path().join("with.hemicycle");
    let built = common::hemicycle(
        work.path(),
        &["kit", "build", with.to_str().unwrap(), "--out", out.to_str().unwrap()],
    );
    assert!(built.status.success(), "{}", common::stderr(&built));
    let without = common::example_copy(work.path(), |text| {
        let cut = text.find("[[volunteer.prompts]]").unwrap();
        text[..cut].to_owned()
    });
    let out = work.path().join("without.hemicycle");
    let args = [
        "kit",
        "build",
        without.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let refused = common::hemicycle(work.path(), &args);
    assert!(!refused.status.success());
    let said = common::stderr(&refused);
    assert!(
        said.contains("no [volunteer] table") && said.contains("--without-volunteer-steps"),
        "{said}"
    );
    assert!(!out.exists());
    let mut anyway = args.to_vec();
    anyway.push("--without-volunteer-steps");
    let built = common::hemicycle(work.path(), &anyway);
    assert!(built.status.success(), "{}", common::stderr(&built));
    assert!(common::stderr(&built).contains("Warning"), "{}", common::stderr(&built));
    assert!(out.exists());
}

/// A citation of a key the bibliography lacks, typed into a demand, is
/// named as the person sees the demand ("Demand 1 (“…”)"), not by its id,
/// file and line; the preview keeps the last good letter under the error.
#[test]
fn a_citation_error_names_the_demand_and_keeps_the_letter() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.state_mut().steer().focus_demand_text(1);
    harness.run_ok();
    let letter_lines = |h: &Harness<'_, App>| h.query_all_by_label_contains("Dear ").count();
    let before = letter_lines(&harness);
    assert!(before >= 1);
    let field = harness.get_by_label("Text of demand 1");
    field.focus();
    harness.run_ok();
    harness.key_press(eframe::egui::Key::End);
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::End);
    harness.get_by_label("Text of demand 1").type_text(" [@nosuchkey2099]");
    harness.run_ok();
    harness.run_ok();
    let error = format!("{:?}", harness.get_by_label_contains("The letter cannot be shown"));
    assert!(error.contains("Demand 1 (\u{201c}"), "{error}");
    assert!(error.contains("nosuchkey2099"), "{error}");
    assert!(
        !error.contains("line 1 of its body") && !error.contains(".toml"),
        "{error}"
    );
    assert_eq!(letter_lines(&harness), before, "the letter gave way to the error");
}

/// The coalition statement's preview shows each link once: its text, not
/// "text <url>".
#[test]
fn the_preview_shows_a_link_once() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_on("File");
    harness.click_on("New from an example");
    harness.click_containing("Coalition statement:");
    harness.run_ok();
    harness.get_by_label_contains("Committee on Civil Liberties, Justice and Home Affairs to make");
    assert!(
        harness
            .query_by_label_contains("<https://www.europarl.europa.eu")
            .is_none(),
        "the address repeated after the link's text"
    );
}

/// Enter in the Committee list's search picks its only match; the Country
/// list narrows as the user types, too.
#[test]
fn enter_picks_the_single_match_of_a_list() {
    use eframe::egui::accesskit::Role as A11y;
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_containing("Recipients (");
    harness.get_by_role_and_label(A11y::ComboBox, "Committee").click();
    harness.run_ok();
    harness.get_by_label("Find a committee").type_text("civil lib");
    harness.run_ok();
    harness.key_press(eframe::egui::Key::Enter);
    harness.run_ok();
    harness.run_ok();
    assert!(
        harness.query_by_label("Find a committee").is_none(),
        "the list stays open"
    );
    let combo = format!("{:?}", harness.get_by_role_and_label(A11y::ComboBox, "Committee"));
    assert!(combo.contains("LIBE"), "{combo}");
    harness.get_by_role_and_label(A11y::ComboBox, "Country").click();
    harness.run_ok();
    harness.get_by_label("Find a country").type_text("luxem");
    harness.run_ok();
    assert!(harness.query_by_role_and_label(A11y::Button, "Belgium").is_none());
    harness.key_press(eframe::egui::Key::Enter);
    harness.run_ok();
    harness.run_ok();
    let dir = Directory::bundled().unwrap();
    let query = Query {
        countries: vec!["LU".into()],
        committees: vec!["LIBE".into()],
        ..Query::default()
    };
    let n = Index::new(&dir).run(&query).len();
    harness.get_by_label_contains(&format!("{n} of 719 shown"));
}

/// The recorded vote 195775 from the shared CSV, stored in `home`'s data
/// folder as `hemicycle votes import` stores it; (MEP id, position) of each.
fn store_shared_vote(dir: &std::path::Path, home: &std::path::Path) -> Vec<(String, String)> {
    use hemicycle::votes::{self, MemberPosition, Position, Vote};
    let mut reader = csv::Reader::from_path(dir.join("howtheyvote_emails_2026-09.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, position, country, group) = (
        col("mep_id"),
        col("vote_position_raw"),
        col("country_code"),
        col("eu_group_code"),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let positions = rows
        .iter()
        .map(|r| MemberPosition {
            mep_id: r[id].to_owned(),
            position: Position::parse(&r[position]).unwrap(),
            country: r[country].to_owned(),
            group: r[group].to_owned(),
            name: None,
        })
        .collect();
    let vote = Vote {
        id: 195_775,
        timestamp: "2026-07-09T12:00:00".into(),
        date: "2026-07-09".into(),
        display_title: "ePrivacy: motion to reject".into(),
        reference: None,
        description: None,
        result: None,
        procedure: None,
        positions,
        sources: vec![votes::Source {
            name: "HowTheyVote.eu".into(),
            url: "https://howtheyvote.eu/votes/195775".into(),
            accessed_at: None,
        }],
    };
    votes::save(&hemicycle::store::Paths::under(home), vote, "the shared CSV".into()).unwrap();
    rows.iter()
        .map(|r| (r[id].to_owned(), r[position].to_owned()))
        .collect()
}

#[test]
fn a_campaign_vote_is_a_column_and_a_filter_of_the_recipients() {
    let Some(shared) = common::shared_meps("app_ui::a_campaign_vote_is_a_column_and_a_filter") else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let positions = store_shared_vote(&shared, home.path());
    // The directory of 2025-10: 13 of its MEPs had left by the vote.
    let dir = hemicycle::directory::import::import_files(&hemicycle::directory::import::FilePlan {
        ep_xml: Some(shared.join("ep_full_list_2025-10.xml")),
        emails: vec![shared.join("eucontact_meps_2024-09.json")],
        ..hemicycle::directory::import::FilePlan::default()
    })
    .unwrap();
    dir.save(&hemicycle::store::Paths::under(home.path()).user_directory())
        .unwrap();
    let mut harness = app(home.path());
    // Campaign → Votes: the imported vote, used under a name.
    harness.choose("Campaign", "Votes…");
    harness.type_at("Name in the campaign", "eprivacy");
    harness.click_on("Use vote 195775");
    harness.run_ok();
    let campaign = harness.state().probe().campaign().unwrap().clone();
    assert_eq!(campaign.votes.len(), 1);
    assert_eq!(campaign.votes[0].name, "eprivacy");
    harness.click_on("Done with votes");

    // The filter's choices count the directory's MEPs; choosing one shows
    // exactly the MEPs the CSV says voted so.
    let in_directory = |id: &String| dir.get(id).is_some();
    let against: std::collections::BTreeSet<String> = positions
        .iter()
        .filter(|(id, p)| p == "AGAINST" && in_directory(id))
        .map(|(id, _)| id.clone())
        .collect();
    harness.click_containing("Recipients (");
    harness.get_by_label("Vote: eprivacy");
    // No filter yet: "Select none" empties the selection.
    harness.click_on("Select none");
    choose(&mut harness, "Vote", &format!("eprivacy: against ({})", against.len()));
    harness.get_by_label_contains(&format!("{} of 719 shown", against.len()));
    // The column: the rows drawn all say "against".
    assert!(harness.query_all_by_label("against").count() > 3);
    assert_eq!(harness.query_all_by_label("for").count(), 0);
    harness.click_on("Select all shown");
    let selected: std::collections::BTreeSet<String> = harness.state().probe().selected_ids().into_iter().collect();
    assert_eq!(selected, against);

    // Not in the vote: the directory's MEPs the CSV does not name.
    let in_vote: std::collections::BTreeSet<&String> = positions.iter().map(|(id, _)| id).collect();
    let none = dir.meps.iter().filter(|m| !in_vote.contains(&m.id)).count();
    choose(&mut harness, "Vote", &format!("eprivacy: none ({none})"));
    harness.get_by_label_contains(&format!("{none} of 719 shown"));
    assert_eq!(none, 13);

    // The window shows the focused MEP's paragraph.
    let voter = dir.get(against.iter().next().unwrap()).unwrap();
    choose(&mut harness, "Vote", &format!("eprivacy: against ({})", against.len()));
    harness.type_at("Search", &voter.family_name);
    harness.click_on(&voter.display_name());
    harness.choose("Campaign", "Votes…");
    harness.get_by_label(&format!("The letter to {}", voter.display_name()));
    harness.get_by_label_contains("you voted against “ePrivacy: motion to reject”");
}

/// Steps the app until the page view shows the letter in the preview.
fn wait_for_pages(harness: &mut Harness<'_, App>) {
    let limit = Duration::from_mins(5);
    let start = Instant::now();
    harness.run_ok();
    while !harness.state().probe().pages_ready() {
        assert!(start.elapsed() < limit, "the page view showed no pages in {limit:?}");
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    harness.run_ok();
}

/// The Pages toggle shows the selected MEP's letter as the PDF lays it out,
/// page by page; typing in a demand and choosing another MEP draw new
/// pages, on a background job: no frame waits for typst.
#[test]
fn the_page_view_shows_the_mep_letter_and_follows_typing_and_the_mep() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    focus_sparrentak(&mut harness);
    harness.click_on("2  Letter");
    harness.get_by_label("Pages").click();
    wait_for_pages(&mut harness);
    assert_eq!(harness.state().probe().pages_shown_for().as_deref(), Some("197870"));
    assert_eq!(harness.state().probe().page_error(), None);
    let pages = harness.state().probe().page_fingerprints();
    // The 36-note example does not fit on one page.
    assert!(pages.len() >= 2, "{} page(s)", pages.len());
    harness.get_by_label(&format!("Page 1 of {}", pages.len()));
    harness.get_by_label(&format!("{} pages", pages.len()));
    // The flowing text is not drawn beside the pages.
    assert!(harness.query_by_label_contains("Dear Kim van Sparrentak").is_none());

    // Typing in a demand: every frame stays short while typst works.
    harness.state_mut().steer().focus_demand_text(1);
    harness.run_ok();
    let mut slowest = Duration::ZERO;
    for ch in "urgently ".chars() {
        harness.event(eframe::egui::Event::Text(ch.to_string()));
        let start = Instant::now();
        harness.step();
        slowest = slowest.max(start.elapsed());
    }
    assert!(harness.state().probe().demand_text(1).unwrap().contains("urgently"));
    let typing = Instant::now();
    wait_for_pages(&mut harness);
    let render = typing.elapsed();
    let typed = harness.state().probe().page_fingerprints();
    assert_ne!(typed, pages, "typing in a demand did not change the pages");
    assert!(
        slowest < render,
        "a frame while typing took {slowest:?}, as long as drawing the pages ({render:?}): the UI thread waited"
    );

    // Another MEP: their pages, with their name on the first.
    let other_id = harness
        .state()
        .probe()
        .some_mep_ids(2)
        .into_iter()
        .find(|id| id != "197870")
        .unwrap();
    harness.state_mut().steer().preview_mep_id(&other_id);
    wait_for_pages(&mut harness);
    assert_eq!(harness.state().probe().pages_shown_for(), Some(other_id));
    let other = harness.state().probe().page_fingerprints();
    assert_ne!(other[0], typed[0], "another MEP's first page is the same");

    // Back to the text view: the letter's text again.
    harness.click_on("Letter");
    harness.get_by_label_contains("Dear ");
}

/// Typing with the page view open draws new pages and lets the old ones
/// go: the page view holds one texture per page on screen, and egui's
/// textures do not pile up, however long the user types.
#[test]
fn the_page_view_holds_one_texture_per_page_while_typing() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    focus_sparrentak(&mut harness);
    harness.click_on("2  Letter");
    harness.get_by_label("Pages").click();
    wait_for_pages(&mut harness);
    harness.state_mut().steer().focus_demand_text(1);
    harness.run_ok();
    let textures = harness.ctx.tex_manager().read().num_allocated();
    let first = harness.state().probe().page_fingerprints();
    for ch in "and soon, please ".chars() {
        harness.event(eframe::egui::Event::Text(ch.to_string()));
        wait_for_pages(&mut harness);
    }
    let pages = harness.state().probe().page_fingerprints();
    assert_ne!(pages, first, "typing changed no page: this checks nothing");
    let now = harness.ctx.tex_manager().read().num_allocated();
    assert!(
        now <= textures + pages.len().saturating_sub(first.len()),
        "{textures} textures before typing, {now} after"
    );
}

/// A letter that cannot be typeset (a character none of the PDF's fonts
/// has) says why in the page view, in words, and keeps the last pages on
/// screen; editing and the text view go on working.
#[test]
fn a_letter_that_cannot_be_typeset_says_why_in_the_page_view() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    focus_sparrentak(&mut harness);
    harness.click_on("2  Letter");
    harness.get_by_label("Pages").click();
    wait_for_pages(&mut harness);
    let pages = harness.state().probe().page_fingerprints();
    harness.state_mut().steer().focus_demand_text(1);
    harness.run_ok();
    // The GitHub logo: egui's own icon font has it, the PDF's fonts do not.
    harness.event(eframe::egui::Event::Text("\u{E624}".to_owned()));
    wait_for_pages(&mut harness);
    let err = harness.state().probe().page_error().expect("the page view says why");
    assert!(err.contains("cannot show “\u{E624}” (U+E624) in the text"), "{err}");
    harness.get_by_label_contains("The pages cannot be laid out, so this letter cannot be exported as PDF either");
    assert_eq!(
        harness.state().probe().page_fingerprints(),
        pages,
        "the last pages left the screen"
    );
    // Editing goes on, and taking the character out brings the pages back.
    harness.key_press(eframe::egui::Key::Backspace);
    wait_for_pages(&mut harness);
    assert!(!harness.state().probe().demand_text(1).unwrap().contains('\u{E624}'));
    assert_eq!(harness.state().probe().page_error(), None);
    harness.click_on("Letter");
    harness.get_by_label_contains("Dear Kim van Sparrentak");
}

/// Issue 26: Campaign → Layout… edits the `[layout]` options, the sections
/// added to the letter and the groups of demands of the open campaign in
/// memory; the preview follows at once, and a save writes them into the
/// campaign file, which keeps the user's comments.
#[test]
fn the_layout_panel_changes_the_letter_and_a_save_keeps_the_comments() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    let ours = home.path().join("ours.toml");
    save_as(&mut harness, &ours);
    let comment = "# Hemicycle's example campaign: an open letter";
    assert!(std::fs::read_to_string(&ours).unwrap().contains(comment));
    focus_sparrentak(&mut harness);
    harness.click_on("2  Letter");
    wait_idle(&mut harness);
    let bullets = |h: &Harness<'_, App>| h.query_all_by_label_contains("• ").count();
    let before = bullets(&harness);

    harness.choose("Campaign", "Layout…");
    // The open letter's demands are numbered headings unless it says.
    let combo = harness.get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, "Demands");
    assert_eq!(
        combo.accesskit_node().value().as_deref(),
        Some("Default (numbered headings)")
    );
    choose(&mut harness, "Demands", "Bulleted list");
    wait_idle(&mut harness);
    let demands = harness.state().probe().demand_ids().len();
    assert!(
        bullets(&harness) >= before + demands,
        "{} bullets, {before} before",
        bullets(&harness)
    );
    assert!(harness.state().probe().is_dirty());

    harness.click_on("Add a section");
    wait_idle(&mut harness);
    harness.type_into("Heading", "Why now");
    harness.type_into("Text (Markdown; may cite sources)", "The plenary votes in March.");
    wait_idle(&mut harness);
    harness.get_by_label("Why now");
    harness.get_by_label_contains("The plenary votes in March.");

    // A group of demands with an intro of its own.
    harness.click_on("Add a group of demands");
    harness.type_into("Intro of group 1", "First of all, we ask you:");
    wait_idle(&mut harness);
    harness.get_by_label_contains("First of all, we ask you:");

    // Nothing is on disk until the user saves.
    let on_disk = std::fs::read_to_string(&ours).unwrap();
    assert!(!on_disk.contains("Why now"), "{on_disk}");
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::S);
    wait_idle(&mut harness);
    assert!(!harness.state().probe().is_dirty());
    let saved = std::fs::read_to_string(&ours).unwrap();
    assert!(saved.contains(comment), "{saved}");
    let campaign = hemicycle::campaign::Campaign::from_toml(&saved, "ours.toml").unwrap();
    assert_eq!(
        campaign.layout.demands,
        Some(hemicycle::campaign::DemandStyle::Bulleted)
    );
    let Some(hemicycle::campaign::BlockSetting::Insert(section)) = campaign.blocks.get("section-1") else {
        panic!("no section in {saved}");
    };
    assert_eq!(
        (section.after.as_str(), section.heading.as_str(), section.text.as_str()),
        ("demands", "Why now", "The plenary votes in March.")
    );
    assert_eq!(
        campaign.demand_groups[0].intro.as_deref(),
        Some("First of all, we ask you:")
    );

    // Removed again, the section and the group leave the letter.
    harness.click_on("Remove this group");
    harness.click_on("Remove this section");
    wait_idle(&mut harness);
    assert!(harness.query_by_label("Why now").is_none());
    assert!(harness.query_by_label_contains("First of all, we ask you:").is_none());
    let campaign = harness.state().probe().campaign().unwrap();
    assert!(campaign.blocks.is_empty() && campaign.demand_groups.is_empty());
    assert!(harness.state().probe().is_dirty());
}

/// Issue 26: an unknown citation in a section added in the app is named
/// above the editor, with the closest key, before any letter is made.
#[test]
fn an_unknown_citation_in_a_new_section_is_named_with_the_closest_key() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_on("2  Letter");
    harness.choose("Campaign", "Layout…");
    harness.click_on("Add a section");
    wait_idle(&mut harness);
    harness.type_into("Text (Markdown; may cite sources)", "As the Act says [@aiact2023].");
    wait_idle(&mut harness);
    harness.get_by_label_contains(
        "the section [blocks.section-1] text (ai-act-people-on-the-move.toml, not saved yet) cites \"aiact2023\", which is not in the bibliography; did you mean \"aiact2024\"?",
    );
}

/// What came back to letter `i` (to `meps[i]`), as `hemicycle responses` stores it.
fn came_back(
    meps: &[&hemicycle::directory::Mep],
    i: usize,
    kind: hemicycle::deliver::responses::Kind,
) -> hemicycle::deliver::responses::Response {
    use hemicycle::deliver::responses::{Action, Kind, Response};
    Response {
        read_at: "2026-11-22T10:00:00Z".into(),
        folder: "INBOX".into(),
        uid_validity: 1,
        uid: u32::try_from(i).unwrap() + 1,
        message_id: format!("in-{i}@example.net"),
        date: "2026-11-21T09:00:00Z".into(),
        from: meps[i].email.clone().unwrap(),
        subject: "Re: our letter".into(),
        kind,
        letter: format!("letter-{i}@example.org"),
        mep: meps[i].id.clone(),
        to: meps[i].email.clone().unwrap(),
        action: (kind == Kind::Bounce).then_some(Action::Failed),
        status: if kind == Kind::Bounce {
            "5.1.1".into()
        } else {
            String::new()
        },
        ..Response::default()
    }
}

/// The recipients table shows what came back from each MEP the campaign
/// wrote to — from the journal and the account's responses file, both
/// written by the core as `hemicycle send` and `hemicycle responses` leave
/// them — in a Response column, and filters by it.
#[test]
fn what_came_back_is_a_column_and_a_filter_of_the_recipients() {
    use hemicycle::deliver::journal::{Journal, Record, State};
    use hemicycle::deliver::responses::{Kind, Store};
    let home = tempfile::tempdir().unwrap();
    let paths = hemicycle::store::Paths::under(home.path());
    let campaign = common::example_copy(&home.path().join("work"), |t| t);
    common::save_office_account(&paths);
    let dir = Directory::bundled().unwrap();
    let meps: Vec<_> = dir.meps.iter().filter(|m| m.email.is_some()).take(4).collect();
    {
        let mut j = Journal::open(&hemicycle::deliver::journal::path_for(&paths.journals(), &campaign)).unwrap();
        for (i, m) in meps.iter().enumerate() {
            let mut r = Record::new(&m.id, &m.display_name(), m.email.as_deref().unwrap(), State::Sent, "fp");
            r.at = "2026-11-20T09:00:00Z".into();
            r.message_id = Some(format!("<letter-{i}@example.org>"));
            j.record(r).unwrap();
        }
    }
    let mut store = Store::open(&hemicycle::deliver::responses::path_for(
        &paths.ledgers(),
        "ana@example.org",
    ))
    .unwrap();
    store
        .append(vec![
            came_back(&meps, 0, Kind::Reply),
            came_back(&meps, 1, Kind::Bounce),
            came_back(&meps, 2, Kind::AutoReply),
        ])
        .unwrap();
    drop(store);

    let mut harness = app_with(home.path(), |c| c.campaign = Some(campaign.clone()));
    harness.click_containing("Recipients (");
    wait_idle(&mut harness);
    // The filter, and the column's title.
    harness.get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, "Response");
    assert_eq!(harness.query_all_by_label("Response").count(), 2);
    let total = dir.meps.len();
    for (words, mep) in [
        ("answered", meps[0]),
        ("bounced", meps[1]),
        ("automatic reply", meps[2]),
        ("no answer yet", meps[3]),
    ] {
        choose(&mut harness, "Response", &format!("{words} (1)"));
        harness.get_by_label_contains(&format!("1 of {total} shown"));
        assert!(harness.query_all_by_label(&mep.display_name()).count() >= 1);
        assert_eq!(harness.query_all_by_label(words).count(), 1, "{words}");
    }
    choose(&mut harness, "Response", "delayed (0)");
    harness.get_by_label_contains(&format!("0 of {total} shown"));
    choose(&mut harness, "Response", "Any");
    harness.get_by_label_contains(&format!("{total} of {total} shown"));
}

/// Issue 26, found trying Campaign → Layout… in a real window: a switch set
/// reads "Shown" as in its list (not "shown"), and a default in capitals
/// keeps them ("Default (MEPs first)", not "mEPs").
#[test]
fn the_layout_panel_words_its_values_as_its_lists_do() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_on("2  Letter");
    harness.choose("Campaign", "Layout…");
    let value = |h: &Harness<'_, App>, combo: &str| {
        h.get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, combo)
            .accesskit_node()
            .value()
    };
    assert_eq!(
        value(&harness, "Order in the To block").as_deref(),
        Some("Default (MEPs first)")
    );
    choose(&mut harness, "The MEP's honorific (Mr, Ms)", "Shown");
    wait_idle(&mut harness);
    assert_eq!(
        value(&harness, "The MEP's honorific (Mr, Ms)").as_deref(),
        Some("Shown")
    );
}

/// Found trying Campaign → Layout… in a real window: a layout change, then
/// the example saved as the user's own file (its files brought along), then
/// Ctrl+Z. The state undo brings back named the example's files by paths
/// relative to the example, which from the new file's folder lead nowhere
/// (the recovery copy then could not be read: "could not read the file
/// …/../demands/…"), and it had no identity, so the next save gave the
/// campaign another one.
#[test]
fn an_undo_after_save_as_keeps_the_files_and_the_identity() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_on("2  Letter");
    harness.choose("Campaign", "Layout…");
    choose(&mut harness, "Demands", "Bulleted list");
    wait_idle(&mut harness);
    harness.click_on("Done with layout");
    let ours = home.path().join("mine").join("ours.toml");
    std::fs::create_dir_all(ours.parent().unwrap()).unwrap();
    save_as(&mut harness, &ours);
    wait_idle(&mut harness);
    let id = harness.state().probe().campaign().unwrap().id.clone();
    assert!(!id.is_empty());

    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::Z);
    wait_idle(&mut harness);
    let campaign = harness.state().probe().campaign().unwrap().clone();
    assert_eq!(campaign.layout.demands, None, "the layout change was undone");
    assert!(!campaign.demand_sets.is_empty());
    for set in &campaign.demand_sets {
        let path = hemicycle::campaign::resolve(&ours, set);
        assert!(
            path.is_file(),
            "{} names no file from {}",
            set.display(),
            ours.display()
        );
    }
    for source in &campaign.bibliography {
        let path = hemicycle::campaign::resolve(&ours, source);
        assert!(
            path.is_file(),
            "{} names no file from {}",
            source.display(),
            ours.display()
        );
    }
    assert_eq!(campaign.id, id);
}

/// Found trying Campaign → Layout… in a real window: a section placed after
/// another section, and that one removed. The remaining section named a
/// block no longer there and the letter could not be made; it takes the
/// removed section's place instead.
#[test]
fn removing_a_section_another_is_placed_after_keeps_the_letter() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.click_on("2  Letter");
    harness.choose("Campaign", "Layout…");
    harness.click_on("Add a section");
    wait_idle(&mut harness);
    harness.click_on("Add a section");
    wait_idle(&mut harness);
    harness
        .get_all_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, "Place")
        .nth(1)
        .unwrap()
        .click();
    harness.run_ok();
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::Button, "After section 1")
        .click_accesskit();
    harness.run_ok();
    wait_idle(&mut harness);
    let after = |h: &Harness<'_, App>, name: &str| match h.state().probe().campaign().unwrap().blocks.get(name) {
        Some(hemicycle::campaign::BlockSetting::Insert(i)) => Some(i.after.clone()),
        _ => None,
    };
    assert_eq!(after(&harness, "section-2").as_deref(), Some("section-1"));

    harness.get_all_by_label("Remove this section").next().unwrap().click();
    harness.run_ok();
    wait_idle(&mut harness);
    assert_eq!(after(&harness, "section-1"), None);
    assert_eq!(after(&harness, "section-2").as_deref(), Some("demands"));
    harness.get_by_label("New section");
}
