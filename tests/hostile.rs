//! The regression corpus of hostile inputs (issue 14): every file in
//! `tests/hostile/` (but `_support/` and the `.expect` and `.md` files) is
//! opened the way Hemicycle opens it, by its extension, and checked against
//! the expectation beside it (`NAME.expect`, TOML; see
//! `tests/hostile/README.md`). Adding a case is adding two files.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use chrono::NaiveDate;
use hemicycle::campaign::Campaign;
use hemicycle::cite::library::Library;
use hemicycle::cite::style::CitationStyle;
use hemicycle::compose::Composer;
use hemicycle::deliver::journal::{Journal, View};
use hemicycle::directory::Directory;
use hemicycle::directory::import::csv_list;
use hemicycle::render;

/// What a case must come to.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// Which defect of the issue it is (for people reading the corpus).
    #[allow(dead_code)]
    issue: String,
    /// Refused, with a message holding each of these.
    #[serde(default)]
    error: Vec<String>,
    /// Opened (or written), the output holding each of these.
    #[serde(default)]
    output: Vec<String>,
    /// A journal: how many records it keeps and damaged lines it reports.
    records: Option<usize>,
    warnings: Option<usize>,
}

/// A bound only a hung case reaches (a loaded machine included).
const BOUND: Duration = Duration::from_mins(2);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

/// Opens `case` as Hemicycle does: the text it yields (an output to look
/// into) or the error message.
fn open(case: &Path) -> Result<String, String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let dir = case.parent().unwrap();
    let ext = Path::new(&name).extension().unwrap().to_string_lossy().to_lowercase();
    if name.ends_with(".md.hbs") {
        return template(case);
    }
    match ext.as_str() {
        "toml" => Campaign::load(case)
            .map(|c| format!("{c:?}"))
            .map_err(|e| e.to_string()),
        "bib" | "json" | "yaml" | "yml" => Library::load(&[case.to_path_buf()])
            .map(|l| format!("{} sources", l.len()))
            .map_err(|e| e.to_string()),
        "csl" => CitationStyle::load(&name, dir)
            .map(|_| "a style".to_owned())
            .map_err(|e| e.to_string()),
        "csv" => {
            let text = std::fs::read_to_string(case).map_err(|e| e.to_string())?;
            csv_list::parse(&text, &case.display().to_string())
                .map(|l| format!("{} MEPs", l.meps.len()))
                .map_err(|e| e.to_string())
        }
        "jsonl" => {
            let view = View::read(case).map_err(|e| e.to_string())?;
            // It opens for writing too (a copy: the corpus is not written).
            let tmp = tempfile::tempdir().unwrap();
            let copy = tmp.path().join("j.jsonl");
            std::fs::copy(case, &copy).unwrap();
            Journal::open(&copy).map_err(|e| e.to_string())?;
            Ok(format!(
                "records = {}\nwarnings = {}",
                view.records.len(),
                view.warnings.len()
            ))
        }
        other => panic!("{name}: no way to open a .{other} file; see tests/hostile/README.md"),
    }
}

/// The support campaign with `case` as its template, written to one MEP in
/// text, HTML, Markdown and DOCX: the text version, or the error.
fn template(case: &Path) -> Result<String, String> {
    let support = root().join("_support/campaign.toml");
    let mut campaign = Campaign::load(&support).unwrap();
    campaign.template = case.display().to_string();
    let composer = Composer::from_campaign(campaign, &support, None).map_err(|e| e.to_string())?;
    let mep = Directory::bundled().unwrap().get("197870").unwrap().clone();
    let letter = composer
        .letter(&mep, 0, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        .map_err(|e| e.to_string())?;
    let text = render::text::render(&letter);
    render::html::render(&letter);
    render::markdown::render(&letter);
    render::docx::render(&letter).map_err(|e| e.to_string())?;
    Ok(text)
}

fn check(case: &Path) -> Result<(), String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let stem = name.split('.').next().unwrap();
    let expect_file = case.with_file_name(format!("{stem}.expect"));
    let expect: Expect =
        toml::from_str(&std::fs::read_to_string(&expect_file).map_err(|e| format!("{name}: no {stem}.expect ({e})"))?)
            .map_err(|e| format!("{stem}.expect: {e}"))?;
    // On a thread of its own with a big stack, as the app's jobs; a hang
    // is told after the bound.
    let (tx, rx) = mpsc::channel();
    let path = case.to_path_buf();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(open(&path));
        })
        .unwrap();
    let got = rx
        .recv_timeout(BOUND)
        .map_err(|_| format!("{name}: no answer in {BOUND:?} (a hang)"))?;
    match (got, expect.error.is_empty()) {
        (Err(message), false) => {
            for piece in &expect.error {
                if !message.contains(piece.as_str()) {
                    return Err(format!("{name}: the error lacks {piece:?}: {message}"));
                }
            }
            Ok(())
        }
        (Err(message), true) => Err(format!("{name}: refused, expected to open: {message}")),
        (Ok(output), false) => Err(format!(
            "{name}: opened, expected an error: {}",
            common::folded(&output).chars().take(300).collect::<String>()
        )),
        (Ok(output), true) => {
            for piece in &expect.output {
                if !output.contains(piece.as_str()) {
                    return Err(format!("{name}: the output lacks {piece:?}"));
                }
            }
            for (what, want) in [("records", expect.records), ("warnings", expect.warnings)] {
                if let Some(n) = want
                    && !output.contains(&format!("{what} = {n}\n"))
                    && !output.ends_with(&format!("{what} = {n}"))
                {
                    return Err(format!("{name}: expected {what} = {n}, got {output}"));
                }
            }
            Ok(())
        }
    }
}

#[test]
fn every_hostile_input_is_refused_in_words_or_handled() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_file()
                && !p
                    .extension()
                    .is_some_and(|e| e == "expect" || e == "md" && !p.to_string_lossy().ends_with(".md.hbs"))
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 23, "the corpus lost cases: {cases:?}");
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    // Every expectation has its case.
    for e in std::fs::read_dir(root()).unwrap().map(|e| e.unwrap().path()) {
        if e.extension().is_some_and(|x| x == "expect") {
            let stem = e.file_stem().unwrap().to_string_lossy().into_owned();
            assert!(
                cases
                    .iter()
                    .any(|c| c.file_name().unwrap().to_string_lossy().split('.').next() == Some(&stem)),
                "{stem}.expect has no case"
            );
        }
    }
}
