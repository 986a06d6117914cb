//! The translators' round trip through a reader Hemicycle did not write:
//! `hemicycle translate export` writes XLIFF 1.2, translate-toolkit's XLIFF
//! store (`tests/readers/xliff_fill.py`) loads and saves it unchanged, fills
//! targets around the inline codes, and `hemicycle translate import` reads
//! the translation back into the campaign and its demand set, keeping their
//! comments. Files for another campaign, unknown ids and lost codes are
//! refused and change nothing.

#![allow(clippy::unwrap_used)]

mod common;

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

use hemicycle::compose::Composer;
use hemicycle::language::Language;

fn python() -> String {
    common::smtp::python()
}

fn reader() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readers/xliff_fill.py")
}

/// Runs the toolkit script: IN → OUT, with `fill` (unit id → text with
/// `{N}` for the N-th inline code) when given. Returns its JSON lines.
fn toolkit(input: &Path, output: &Path, wanted: Option<&serde_json::Value>) -> Vec<serde_json::Value> {
    let mut args = vec![
        reader().to_str().unwrap().to_owned(),
        input.to_str().unwrap().to_owned(),
        output.to_str().unwrap().to_owned(),
    ];
    if let Some(targets) = wanted {
        let file = output.with_extension("fill.json");
        std::fs::write(&file, targets.to_string()).unwrap();
        args.push(file.to_str().unwrap().to_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    common::run(&python(), &args)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn hemicycle(work: &Path, args: &[&str]) -> (bool, String) {
    let out = common::hemicycle(&work.join("home"), args);
    (
        out.status.success(),
        format!("{}{}", common::stdout(&out), common::stderr(&out)),
    )
}

/// The campaign and its demand set as they are on disk.
fn files(campaign: &Path) -> (String, String) {
    let set = campaign.parent().unwrap().join("../demands/ai-act-migration.toml");
    (
        std::fs::read_to_string(campaign).unwrap(),
        std::fs::read_to_string(set).unwrap(),
    )
}

/// A Polish translation of the campaign's texts, as the toolkit is asked to
/// fill them: the subjects, phrases and demand titles in Polish; one demand
/// text as a test paragraph that moves its citations (`{N}`) around.
fn polish() -> serde_json::Value {
    let f = "c.toml\u{4}";
    let s = "../demands/ai-act-migration.toml\u{4}";
    serde_json::json!({
        format!("{f}title"): "ochrona osób w drodze w akcie w sprawie sztucznej inteligencji",
        format!("{f}subjects.1"): "Akt w sprawie AI: cztery zakazy chroniące osoby w drodze",
        format!("{f}wording.demands_intro"): "Wzywamy Pana/Panią do poparcia następujących {1} zakazów:",
        format!("{s}demands.risk-profiling.title"): "Zakaz zautomatyzowanej oceny ryzyka i profilowania w migracji",
        format!("{s}demands.emotion-recognition.title"): "Zakaz rozpoznawania emocji i „wykrywaczy kłamstw” opartych na AI w migracji",
        format!("{s}demands.risk-profiling.body"):
            "Tekst testowy: {2} {1} {3} {4} {5} {6} {7} {8} {9}",
    })
}

#[test]
#[allow(clippy::too_many_lines)] // one step of the round trip after another; the rule is for src/
fn the_round_trip_passes_through_translate_toolkit_and_a_translation_comes_back() {
    let work = tempfile::tempdir().unwrap();
    let campaign = common::example_copy(work.path(), |t| t);
    let c = campaign.to_str().unwrap();
    let exported = work.path().join("pl.xlf");
    let (ok, out) = hemicycle(
        work.path(),
        &[
            "translate",
            "export",
            c,
            "--language",
            "pl",
            "--out",
            exported.to_str().unwrap(),
        ],
    );
    assert!(ok, "{out}");
    assert!(
        out.contains("Wrote 16 texts for translation into Polish (0 already translated)"),
        "{out}"
    );

    // Loaded and saved by translate-toolkit: the same file, byte for byte,
    // and the toolkit sees each code with its original.
    let saved = work.path().join("saved.xlf");
    let units = toolkit(&exported, &saved, None);
    assert_eq!(units.len(), 16);
    assert_eq!(
        std::fs::read_to_string(&saved).unwrap(),
        std::fs::read_to_string(&exported).unwrap()
    );
    let body = units
        .iter()
        .find(|u| u["id"].as_str().unwrap().ends_with("demands.risk-profiling.body"))
        .unwrap();
    let codes = body["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 9, "{body}");
    assert_eq!(
        codes[0],
        serde_json::json!(["x", "1", "[@aiact2024, annex III, point 7(b)]"])
    );
    // Nothing translated: nothing written.
    let before = files(&campaign);
    let (ok, out) = hemicycle(work.path(), &["translate", "import", c, saved.to_str().unwrap()]);
    assert!(
        ok && out.contains("Read 0 Polish translations (16 texts still untranslated) into no file"),
        "{out}"
    );
    assert_eq!(files(&campaign), before);

    // Filled by the toolkit and read back.
    let filled = work.path().join("filled.xlf");
    toolkit(&exported, &filled, Some(&polish()));
    let (ok, out) = hemicycle(work.path(), &["translate", "import", c, filled.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(
        out.contains(
            "Read 6 Polish translations (10 texts still untranslated) into c.toml, ../demands/ai-act-migration.toml"
        ),
        "{out}"
    );
    let (campaign_text, set_text) = files(&campaign);
    // The comments and the other translations stay.
    assert!(campaign_text.starts_with(before.0.lines().next().unwrap()));
    assert!(campaign_text.contains("[translations.de]") && campaign_text.contains("# Each MEP gets the letter"));
    assert!(campaign_text.contains("[translations.pl]"), "{campaign_text}");
    assert!(set_text.contains("[demands.translations.pl]") && set_text.starts_with("# Demand set"));
    let composer = Composer::open(&campaign, None).unwrap();
    let pl = Language::parse("pl").unwrap();
    let t = composer.campaign.translation(pl).unwrap();
    assert_eq!(t.subjects, ["Akt w sprawie AI: cztery zakazy chroniące osoby w drodze"]);
    assert_eq!(
        t.wording.demands_intro.as_deref(),
        Some("Wzywamy Pana/Panią do poparcia następujących {{len demands}} zakazów:")
    );
    let d = &composer.demands[0];
    let body = &d.translation(pl).unwrap().body;
    assert!(
        body.starts_with(
            "Tekst testowy: [@aiact2024, art. 5(1)(d)] [@aiact2024, annex III, point 7(b)] [@aiact2024, recital 42]"
        ),
        "{body}"
    );
    assert!(
        composer.changed_codes(pl).is_empty(),
        "{:?}",
        composer.changed_codes(pl)
    );
    let missing = composer.missing_texts(pl);
    assert!(
        missing.contains(&"demand \"predictive-analytics\" has no Polish title".to_owned()),
        "{missing:?}"
    );
    assert!(!missing.iter().any(|m| m.contains("\"risk-profiling\"")), "{missing:?}");

    // Exported again, the translations are the targets, and the toolkit
    // still passes the file through unchanged.
    let again = work.path().join("again.xlf");
    let (ok, out) = hemicycle(
        work.path(),
        &[
            "translate",
            "export",
            c,
            "--language",
            "pl",
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert!(ok && out.contains("(6 already translated)"), "{out}");
    let resaved = work.path().join("resaved.xlf");
    toolkit(&again, &resaved, None);
    assert_eq!(
        std::fs::read_to_string(&resaved).unwrap(),
        std::fs::read_to_string(&again).unwrap()
    );
    // And reading it back changes nothing.
    let now = files(&campaign);
    let (ok, out) = hemicycle(work.path(), &["translate", "import", c, resaved.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert_eq!(files(&campaign), now);
}

#[test]
fn a_file_for_another_campaign_unknown_ids_and_lost_codes_are_refused() {
    let work = tempfile::tempdir().unwrap();
    let campaign = common::example_copy(work.path(), |t| t);
    let c = campaign.to_str().unwrap();
    let exported = work.path().join("pl.xlf");
    let (ok, out) = hemicycle(
        work.path(),
        &[
            "translate",
            "export",
            c,
            "--language",
            "pl",
            "--out",
            exported.to_str().unwrap(),
        ],
    );
    assert!(ok, "{out}");
    let filled = work.path().join("filled.xlf");
    toolkit(&exported, &filled, Some(&polish()));
    let good = std::fs::read_to_string(&filled).unwrap();
    let before = files(&campaign);
    let refused = |name: &str, xml: String, expect: &str| {
        let file = work.path().join(name);
        std::fs::write(&file, xml).unwrap();
        let (ok, out) = hemicycle(work.path(), &["translate", "import", c, file.to_str().unwrap()]);
        assert!(!ok, "{name}: {out}");
        assert!(
            out.contains(expect) && out.contains("nothing was changed"),
            "{name}: {out}"
        );
        assert_eq!(files(&campaign), before, "{name} changed a file");
    };
    refused(
        "other.xlf",
        good.replace("c.toml: protecting people", "other.toml: protecting people"),
        "this XLIFF file is for the campaign \"other.toml: protecting people on the move in the AI Act\", not for \"c.toml: protecting people on the move in the AI Act\"",
    );
    refused(
        "unknown.xlf",
        good.replace("id=\"subjects.2\"", "id=\"subjects.9\""),
        "the unit \"subjects.9\" in \"c.toml\" is not a text of this campaign",
    );
    // A code taken out of a target.
    let target_start = good.find("Wzywamy").unwrap();
    let lost = good[target_start..]
        .find("<x id=\"1\"")
        .map(|i| i + target_start)
        .unwrap();
    let end = good[lost..].find("/>").unwrap() + lost + 2;
    let mut dropped = good.clone();
    dropped.replace_range(lost..end, "");
    refused(
        "dropped.xlf",
        dropped,
        "in unit \"wording.demands_intro\", the inline code 1 ({{len demands}}) is missing in the translation",
    );
    // Codes put side by side would read as a Markdown link, not citations.
    let mut adjacent = polish();
    adjacent["../demands/ai-act-migration.toml\u{4}demands.risk-profiling.body"] =
        serde_json::json!("Tekst testowy: {2}{1} {3} {4} {5} {6} {7} {8} {9}");
    let adjacent_file = work.path().join("adjacent-filled.xlf");
    toolkit(&exported, &adjacent_file, Some(&adjacent));
    refused(
        "adjacent.xlf",
        std::fs::read_to_string(&adjacent_file).unwrap(),
        "in unit \"demands.risk-profiling.body\", the citation [@aiact2024] is missing",
    );
    refused(
        "not-xliff.xlf",
        "<html><body>no</body></html>".to_owned(),
        "this is not an XLIFF file",
    );
    // A code's equiv-text changed by hand changes nothing: codes come back
    // from the campaign's own text.
    let forged = good.replace("equiv-text=\"[@aiact2024, art. 5(1)(d)]\"", "equiv-text=\"[@forged]\"");
    assert_ne!(forged, good);
    let file = work.path().join("forged.xlf");
    std::fs::write(&file, forged).unwrap();
    let (ok, out) = hemicycle(work.path(), &["translate", "import", c, file.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(!files(&campaign).1.contains("forged"));
}

/// Exports the example's texts for Polish translators into `work/pl.xlf`.
fn export_polish(work: &Path, campaign: &Path) -> PathBuf {
    let exported = work.join("pl.xlf");
    let (ok, out) = hemicycle(
        work,
        &[
            "translate",
            "export",
            campaign.to_str().unwrap(),
            "--language",
            "pl",
            "--out",
            exported.to_str().unwrap(),
        ],
    );
    assert!(ok, "{out}");
    exported
}

/// Issue 30: after a file that brings only a demand's title, the Polish
/// letters keep the demand's original body (they had an empty one), the
/// body is still listed as untranslated, and one translation is "1 Polish
/// translation".
#[test]
fn a_partial_import_keeps_the_original_body_and_counts_in_words() {
    let work = tempfile::tempdir().unwrap();
    let campaign = common::example_copy(work.path(), |t| t);
    let exported = export_polish(work.path(), &campaign);
    let filled = work.path().join("filled.xlf");
    let s = "../demands/ai-act-migration.toml\u{4}";
    let only_title = serde_json::json!({
        format!("{s}demands.emotion-recognition.title"): "Zakaz rozpoznawania emocji w migracji",
    });
    toolkit(&exported, &filled, Some(&only_title));
    let (ok, out) = hemicycle(
        work.path(),
        &[
            "translate",
            "import",
            campaign.to_str().unwrap(),
            filled.to_str().unwrap(),
        ],
    );
    assert!(ok, "{out}");
    assert!(
        out.contains("Read 1 Polish translation (15 texts still untranslated)"),
        "{out}"
    );
    let composer = Composer::open(&campaign, None).unwrap();
    let pl = Language::parse("pl").unwrap();
    let d = composer.demands.iter().find(|d| d.id == "emotion-recognition").unwrap();
    assert_eq!(
        d.translation(pl).unwrap().title,
        "Zakaz rozpoznawania emocji w migracji"
    );
    let in_polish = d.in_language(pl).unwrap();
    assert_eq!(in_polish.title, "Zakaz rozpoznawania emocji w migracji");
    assert!(!d.body.trim().is_empty());
    assert_eq!(in_polish.body, d.body, "the body was lost");
    // The body is still the translators' to do.
    let (ok, out) = hemicycle(
        work.path(),
        &["translate", "export", campaign.to_str().unwrap(), "--language", "pl"],
    );
    assert!(ok && out.contains("(1 already translated)"), "{out}");
}

/// Issue 30, item 4: `translate export --out` and `render --out` never
/// write over the campaign or a file it reads (reached by any path), nor
/// over a folder or a named pipe; a file of the user's they replace is
/// kept as FILE.bak.
#[test]
fn outputs_never_destroy_the_campaign_its_inputs_or_what_is_not_a_file() {
    let work = tempfile::tempdir().unwrap();
    let campaign = common::example_copy(work.path(), |t| t);
    let set = work.path().join("campaigns/../demands/ai-act-migration.toml");
    let bib = work.path().join("bibliography/ai-act-migration.json");
    let before: Vec<Vec<u8>> = [&campaign, &set].iter().map(|p| std::fs::read(p).unwrap()).collect();
    let folder = work.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let fifo = work.path().join("a-pipe");
    common::run("mkfifo", &[fifo.to_str().unwrap()]);
    let c = campaign.to_str().unwrap();
    for (command, first) in [
        (vec!["translate", "export", c, "--language", "pl"], "translate export"),
        (vec!["render", c, "--format", "html"], "render"),
    ] {
        let run = |out: &Path| {
            let mut args = command.clone();
            args.extend(["--out", out.to_str().unwrap()]);
            hemicycle(work.path(), &args)
        };
        for input in [&campaign, &set, &bib] {
            let (ok, out) = run(input);
            assert!(
                !ok && out.contains("is one of the campaign's own files"),
                "{first}: {out}"
            );
        }
        let (ok, out) = run(&folder);
        assert!(!ok && out.contains("is a folder, not a file"), "{first}: {out}");
        let (ok, out) = run(&fifo);
        assert!(!ok && out.contains("is a named pipe, not a file"), "{first}: {out}");
        let mine = work.path().join(format!("{}.out", first.replace(' ', "-")));
        std::fs::write(&mine, "my own notes").unwrap();
        let (ok, out) = run(&mine);
        assert!(ok && out.contains("the old one kept as"), "{first}: {out}");
        assert_eq!(
            std::fs::read_to_string(mine.with_extension("out.bak")).unwrap(),
            "my own notes"
        );
        assert_ne!(std::fs::read_to_string(&mine).unwrap(), "my own notes");
    }
    let after: Vec<Vec<u8>> = [&campaign, &set].iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert_eq!(before, after);
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

/// The value of `key` in the table `[table]` of a TOML file's text.
fn recorded(text: &str, table: &str, key: &str) -> Option<String> {
    let value: toml::Value = toml::from_str(text).unwrap();
    let mut at = &value;
    for part in table.split('.') {
        at = match at {
            toml::Value::Array(list) => list
                .iter()
                .find_map(|d| d.get(part).filter(|t| t.get("pl").is_some()))?,
            _ => at.get(part)?,
        };
    }
    at.get(key)?.as_str().map(str::to_owned)
}

#[test]
fn an_import_records_the_originals_and_an_edit_after_it_shows_as_out_of_date() {
    use hemicycle::campaign::translations::source_hash;
    let work = tempfile::tempdir().unwrap();
    let campaign = common::example_copy(work.path(), |t| t);
    let c = campaign.to_str().unwrap();
    let exported = work.path().join("pl.xlf");
    let (ok, out) = hemicycle(
        work.path(),
        &[
            "translate",
            "export",
            c,
            "--language",
            "pl",
            "--out",
            exported.to_str().unwrap(),
        ],
    );
    assert!(ok, "{out}");
    let filled = work.path().join("filled.xlf");
    toolkit(&exported, &filled, Some(&polish()));
    let (ok, out) = hemicycle(work.path(), &["translate", "import", c, filled.to_str().unwrap()]);
    assert!(ok, "{out}");

    // Each imported text records the original it was made from, beside it.
    let composer = Composer::open(&campaign, None).unwrap();
    let (campaign_text, set_text) = files(&campaign);
    let subject = &composer.campaign.subjects[0];
    assert_eq!(
        recorded(&campaign_text, "translations.pl.source-hash", "subjects.1"),
        Some(source_hash(subject)),
        "{campaign_text}"
    );
    let d = &composer.demands[0];
    assert_eq!(d.id, "risk-profiling");
    assert_eq!(
        recorded(&set_text, "demands.translations.pl.source-hash", "body"),
        Some(source_hash(&d.body)),
        "{set_text}"
    );
    let pl = Language::parse("pl").unwrap();
    assert!(composer.stale_texts(pl).is_empty(), "{:?}", composer.stale_texts(pl));

    // The original of demand 1 edited after the import: out of date.
    let set = campaign.parent().unwrap().join("../demands/ai-act-migration.toml");
    let first = d.body.lines().next().unwrap();
    std::fs::write(
        &set,
        set_text.replacen(first, &format!("{first} One more sentence."), 1),
    )
    .unwrap();
    let composer = Composer::open(&campaign, None).unwrap();
    let stale = composer.stale_texts(pl);
    assert!(
        stale
            .iter()
            .any(|s| s.starts_with("demand 1 changed since it was translated")),
        "{stale:?}"
    );
}
