//! The real app, driven by its accessible labels with egui_kittest: choose
//! recipients with the filters, see the preview with the MEP's name cased
//! for letters and numbered notes, see a template error next to the editor,
//! export PDFs.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use hemicycle::directory::query::{Index, Query};
use hemicycle::directory::{Directory, Role};
use hemicycle::ui::{App, Config};

fn app(home: &std::path::Path) -> Harness<'static, App> {
    let mut config = Config::under(home);
    config.today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23);
    let ctx = eframe::egui::Context::default();
    let app = App::new(&ctx, config);
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut App| app.show(ui), app);
    harness.run_ok();
    // The welcome dialog shows on the first start.
    harness.get_by_label("Start").click();
    harness.run_ok();
    harness
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

fn wait_idle(harness: &mut Harness<'_, App>, limit: Duration) {
    let start = Instant::now();
    harness.run_ok();
    while harness.state().busy() {
        assert!(start.elapsed() < limit, "background work did not finish in {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run_ok();
}

#[test]
fn filter_to_libe_members_of_one_country_and_select_them() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    harness.get_by_label_contains("Recipients (").click();
    harness.run_ok();
    harness.get_by_label("Select none").click();
    harness.run_ok();
    choose(&mut harness, "Committee", "LIBE");
    choose(&mut harness, "Role", "member");
    choose(&mut harness, "Country", "Germany");
    harness.get_by_label("Select all shown").click();
    harness.run_ok();

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
    let mut selected = harness.state().selected_ids();
    selected.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(selected, want);
    let n = expected.len();
    harness.get_by_label(&format!("{n} of 719 shown, {n} selected"));
    // One row's checkbox takes its MEP out again.
    let first = dir.get(&expected[0]).unwrap().display_name();
    harness.get_by_label(&format!("Select {first}")).click();
    harness.run_ok();
    assert_eq!(harness.state().selected_ids().len(), n - 1);
}

#[test]
fn the_preview_shows_the_cased_name_and_numbered_notes() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = app(home.path());
    assert_eq!(
        harness.state().campaign().unwrap().title,
        "protecting people on the move in the AI Act"
    );
    // Focus Kim van Sparrentak, whom the EP list calls "Kim VAN SPARRENTAK".
    harness.get_by_label_contains("Recipients (").click();
    harness.run_ok();
    harness.get_by_label("Search").focus();
    harness.run_ok();
    harness.get_by_label("Search").type_text("sparrentak");
    harness.run_ok();
    harness.get_by_label("Kim van Sparrentak").click();
    harness.run_ok();
    assert_eq!(harness.state().preview_for().as_deref(), Some("197870"));
    harness.get_by_label("2  Letter").click();
    harness.run_ok();
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
    harness.get_by_label("Template source").scroll_to_me();
    harness.run_ok();
    harness.get_by_label("Template source").click();
    harness.run_ok();
    let editor = harness.get_by_label_contains("Template text");
    editor.focus();
    editor.type_text("{{#each demands}}");
    harness.run_ok();
    let error = harness.get_by_label_contains("template \"campaign-template\", line");
    let text = format!("{error:?}");
    assert!(text.contains("column"), "{text}");
    // The preview still shows the last good letter.
    harness.get_by_label_contains("Dear ");
}

#[test]
fn export_pdfs_into_a_folder() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("letters");
    let mut harness = app(home.path());
    harness.get_by_label_contains("Recipients (").click();
    harness.run_ok();
    harness.get_by_label("Select none").click();
    harness.run_ok();
    harness.get_by_label("Search").focus();
    harness.run_ok();
    harness.get_by_label("Search").type_text("sparrentak");
    harness.run_ok();
    harness.get_by_label("Select all shown").click();
    harness.run_ok();
    harness.get_by_label("3  Export letters…").click();
    harness.run_ok();
    harness.get_by_label("Folder").focus();
    harness.run_ok();
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::A);
    harness.get_by_label("Folder").type_text(out.to_str().unwrap());
    harness.run_ok();
    harness.get_by_label("Export").click();
    wait_idle(&mut harness, Duration::from_mins(2));
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
