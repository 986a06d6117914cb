//! The letter engine: golden renders of every template genre in every
//! format, note numbering and "Ibid.", and every kind of bad input.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use hemicycle::campaign::Campaign;
use hemicycle::compose::Composer;
use hemicycle::directory::{Directory, Mep};
use hemicycle::letter::{self, Block, Letter};
use hemicycle::render;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/letters")
        .join(name)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn composer_with(edit: impl FnOnce(&mut Campaign)) -> Composer {
    let path = fixture("campaign.toml");
    let mut campaign = Campaign::load(&path).unwrap();
    edit(&mut campaign);
    Composer::from_campaign(campaign, &path, None).unwrap()
}

fn composer(template: &str) -> Composer {
    composer_with(|c| {
        c.template = template.into();
        if template == "press-statement" {
            c.recipients.address_mep = false;
            c.recipients.cc.clear();
        }
    })
}

fn kim() -> Mep {
    Directory::bundled().unwrap().get("197870").unwrap().clone()
}

fn letter(template: &str) -> Letter {
    composer(template).letter(&kim(), 0, today()).unwrap()
}

fn note_texts(letter: &Letter) -> Vec<String> {
    letter.notes.iter().map(|n| render::text::inlines(&n.inlines)).collect()
}

/// Compares with `tests/golden/NAME`; `UPDATE_GOLDEN=1` rewrites it.
fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no golden file {}; run with UPDATE_GOLDEN=1", path.display()));
    assert!(
        expected == actual,
        "{name} differs from its golden file; if the change is intended, run with UPDATE_GOLDEN=1 and review the diff\n--- actual ---\n{actual}"
    );
}

#[test]
fn golden_renders_of_every_genre_and_format() {
    for genre in ["personal-letter", "open-letter", "joint-letter", "press-statement"] {
        let letter = letter(genre);
        golden(&format!("{genre}.txt"), &render::text::render(&letter));
        golden(&format!("{genre}.html"), &render::html::render(&letter));
        golden(&format!("{genre}.md"), &render::markdown::render(&letter));
    }
}

#[test]
fn notes_are_numbered_in_reading_order_across_demands_with_ibid() {
    let letter = letter("open-letter");
    let notes = note_texts(&letter);
    assert_eq!(notes.len(), 8, "{notes:#?}");
    // Demand 1: full reference with the locator after the title; "recital"
    // is not a CSL locator, so "recital 44" is a suffix and the citation
    // without a locator after one with a locator is short, not Ibid. (CSL).
    assert!(
        notes[0].starts_with(
            "European Parliament and Council of the European Union (2024) Regulation (EU) 2024/1689 laying down harmonised rules on artificial intelligence (Artificial Intelligence Act), art. 5(1)(f), Official Journal"
        ),
        "{}",
        notes[0]
    );
    assert_eq!(
        notes[1],
        "European Parliament and Council of the European Union (2024), recital 44."
    );
    assert!(
        notes[2].starts_with("Barrett, L.F., Adolphs, R., Marsella, S., Martinez, A.M. and Pollak, S.D. (2019)"),
        "{}",
        notes[2]
    );
    assert!(
        notes[2].contains(", pp. 1–68, https://doi.org/10.1177/1529100619832930"),
        "{}",
        notes[2]
    );
    // Back to the AI Act after another source: short, not Ibid.
    assert_eq!(
        notes[3],
        "European Parliament and Council of the European Union (2024), recital 44."
    );
    // An inline note with a citation inside it.
    assert!(
        notes[4].starts_with("That imbalance is sharper at a border, as the Agency has shown European Union Agency"),
        "{}",
        notes[4]
    );
    assert!(
        notes[4].contains("fundamental rights, p. 12, Luxembourg"),
        "{}",
        notes[4]
    );
    // Demand 2: numbering continues; several sources in one note.
    assert_eq!(
        notes[5],
        "European Parliament and Council of the European Union (2024)."
    );
    // FRA was first cited in note 5, Barrett in note 3: both short now.
    assert_eq!(
        notes[6],
        "European Union Agency for Fundamental Rights (2018); Barrett, L.F., Adolphs, R., Marsella, S., Martinez, A.M. and Pollak, S.D. (2019), p. 5."
    );
    // A [^id] note with a prefixed citation inside it.
    assert_eq!(
        notes[7],
        "Detention centres are closed to the public, so the real-time ban does not reach them see European Parliament and Council of the European Union (2024), recital 19."
    );
    assert_eq!(
        letter.notes.iter().map(|n| n.number).collect::<Vec<_>>(),
        (1..=8).collect::<Vec<_>>()
    );
}

/// Formatted notes are reused between letters that cite the same way, and
/// formatted anew when a citation changes.
#[test]
fn notes_follow_changes_to_citations() {
    let mut composer = composer("open-letter");
    let dir = Directory::bundled().unwrap();
    let first = composer.letter(&kim(), 0, today()).unwrap();
    let other = composer.letter(dir.get("1294").unwrap(), 1, today()).unwrap();
    assert_eq!(first.notes, other.notes);
    composer.demands[0].body = composer.demands[0].body.replace("[@barrett2019]", "[@fra2018, p. 3]");
    let changed = composer.letter(&kim(), 0, today()).unwrap();
    let notes = note_texts(&changed);
    assert!(
        notes[2].starts_with("European Union Agency for Fundamental Rights (2018)"),
        "{}",
        notes[2]
    );
    assert!(
        notes[2].contains("fundamental rights, p. 3, Luxembourg"),
        "{}",
        notes[2]
    );
}

#[test]
fn the_same_notes_appear_in_every_format() {
    let letter = letter("open-letter");
    let text = render::text::render(&letter);
    let html = render::html::render(&letter);
    let md = render::markdown::render(&letter);
    for note in &letter.notes {
        let plain = render::text::inlines(&note.inlines);
        let first_words: String = plain.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        assert!(
            text.contains(&format!("[{}] {first_words}", note.number)),
            "text lacks note {}",
            note.number
        );
        assert!(
            html.contains(&format!("<li id=\"fn{}\">", note.number)),
            "html lacks note {}",
            note.number
        );
        assert!(
            html.contains(&format!("href=\"#fn{}\"", note.number)),
            "html lacks the marker of note {}",
            note.number
        );
        assert!(
            md.contains(&format!("[^{}]: ", note.number)),
            "md lacks note {}",
            note.number
        );
    }
}

#[test]
fn names_dates_and_greetings_follow_the_language() {
    let letter = composer_with(|c| c.language = "nl".into())
        .letter(&kim(), 0, today())
        .unwrap();
    let text = render::text::render(&letter);
    assert!(text.contains("Brussels, 23 november 2026"), "{text}");
    assert!(text.contains("Geachte Kim van Sparrentak,"), "{text}");
    let de = composer_with(|c| c.language = "de".into())
        .letter(&kim(), 0, today())
        .unwrap();
    assert_eq!(de.meta.date, "23. November 2026");
    let en = render::text::render(&letter_for("personal-letter"));
    assert!(en.contains("Dear Kim van Sparrentak,"), "{en}");
    assert!(!en.contains("VAN SPARRENTAK"));
}

fn letter_for(template: &str) -> Letter {
    letter(template)
}

#[test]
fn template_syntax_error_names_template_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.md.hbs"),
        "Dear {{mep.name}},\n\n{{#each demands}}\n- {{title}\n{{/each}}\n",
    )
    .unwrap();
    let err = Composer::from_campaign(
        Campaign::load(&fixture("campaign.toml")).unwrap(),
        &fixture("campaign.toml"),
        Some(dir.path()),
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("template \"broken\", line 4, column"), "{err}");
    assert!(err.contains("- {{title}"), "the message shows the line: {err}");
}

#[test]
fn missing_variable_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("personal-letter.md.hbs"),
        "Dear {{mep.name}},\n\nWe met {{vars.meeting_date}}.\n",
    )
    .unwrap();
    let composer = Composer::from_campaign(
        Campaign::load(&fixture("campaign.toml")).unwrap(),
        &fixture("campaign.toml"),
        Some(dir.path()),
    )
    .unwrap();
    let err = composer.letter(&kim(), 0, today()).unwrap_err().to_string();
    assert!(
        err.starts_with("template \"personal-letter\", line 3, column 8: \"vars.meeting_date\" is not set"),
        "{err}"
    );
}

#[test]
fn user_templates_override_the_bundled_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("personal-letter.md.hbs"),
        "Hello {{mep.name}} from {{org.name}}.\n",
    )
    .unwrap();
    let composer = Composer::from_campaign(
        Campaign::load(&fixture("campaign.toml")).unwrap(),
        &fixture("campaign.toml"),
        Some(dir.path()),
    )
    .unwrap();
    let letter = composer.letter(&kim(), 0, today()).unwrap();
    assert_eq!(
        letter.blocks,
        [Block::Paragraph {
            inlines: vec![letter::Inline::text("Hello Kim van Sparrentak from Test Foundation.")]
        }]
    );
}

#[test]
fn unknown_citation_key_names_key_place_and_closest_keys() {
    let composer = composer_with(|c| {
        c.demands.push(hemicycle::campaign::Demand {
            id: "extra".into(),
            title: "Extra".into(),
            body: "First line.\nSecond line cites [@aiact2023, art. 5].".into(),
            ..Default::default()
        });
    });
    let err = composer.letter(&kim(), 0, today()).unwrap_err().to_string();
    // The demand as the letter numbers it, with its title: not its id,
    // file or line (issue 23).
    let n = composer.demands.len();
    assert!(
        err.starts_with(&format!(
            "Demand {n} (\u{201c}Extra\u{201d}) cites \"aiact2023\", which is not in the bibliography; did you mean \"aiact2024\"?"
        )),
        "{err}"
    );
    let problems = composer.citation_problems();
    assert_eq!(problems.len(), 1);
    assert_eq!(composer.unused_sources(), ["unused2020"]);
}

#[test]
fn malformed_bibliography_names_file_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    let bib = dir.path().join("bad.json");
    std::fs::write(
        &bib,
        r#"[{"id": "ok", "type": "book", "title": "Fine"}, {"id": "broken", "title": "No type"}]"#,
    )
    .unwrap();
    let path = dir.path().join("c.toml");
    let mut campaign = Campaign::load(&fixture("campaign.toml")).unwrap();
    campaign.demand_sets.clear();
    campaign.bibliography = vec!["bad.json".into()];
    let err = Composer::from_campaign(campaign, &path, None).unwrap_err().to_string();
    assert!(err.starts_with("entry broken: has no \"type\""), "{err}");
    assert!(err.ends_with("bad.json"), "{err}");
}

/// User text with Markdown, HTML, template and citation syntax in it comes
/// out literally in every format, and never as markup.
#[test]
fn user_text_appears_literally_and_safely() {
    let nasty = "<script>alert(1)</script> *star* _under_ #hash $5 {{x}} @co [^n] [@aiact2024] \\slash";
    let composer = composer_with(|c| {
        c.template = "joint-letter".into();
        c.organisation.name = nasty.into();
        c.organisation.signatory.name = format!("Line\nbreak {nasty}");
        c.cosigners[0].name = nasty.into();
        // Subjects are templates too: a literal "{{" is written "\{{".
        c.subjects = vec![nasty.replace("{{x}}", "\\{{x}}")];
    });
    let mut mep = kim();
    mep.family_name = "van *Sparrentak* [@fra2018]".into();
    let letter = composer.letter(&mep, 0, today()).unwrap();
    assert_eq!(letter.meta.subject, nasty);
    // Only the demands' citations became notes.
    assert_eq!(letter.notes.len(), 8);
    let Some(Block::Signature { organisation, .. }) =
        letter.blocks.iter().find(|b| matches!(b, Block::Signature { .. }))
    else {
        panic!("no signature");
    };
    assert_eq!(organisation, nasty);
    let first = letter::plain_text(match &letter.blocks[0] {
        Block::Paragraph { inlines } => inlines,
        other => panic!("{other:?}"),
    });
    assert_eq!(first, "Dear Kim van *Sparrentak* [@fra2018],");
    let text = render::text::render(&letter);
    assert!(text.contains(nasty), "{text}");
    let html = render::html::render(&letter);
    assert!(!html.contains("<script>"), "raw script in HTML");
    assert!(
        html.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; *star* _under_ #hash $5 {{x}} @co [^n] [@aiact2024] \\slash"
        )
    );
    // The Markdown reads back as the same text.
    let md = render::markdown::render(&letter);
    let reparsed = reparse_markdown(&md);
    assert!(reparsed.contains(nasty), "{reparsed}");
}

fn reparse_markdown(md: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let mut out = String::new();
    for event in Parser::new_ext(md, Options::ENABLE_FOOTNOTES) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Html(t) | Event::InlineHtml(t) => out.push_str(&format!("<RAW HTML {t}>")),
            _ => {}
        }
    }
    out
}

#[test]
fn the_example_campaign_has_36_notes_and_ibid_in_every_bundled_style() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/ai-act-people-on-the-move.toml");
    for style in hemicycle::cite::style::BUNDLED.iter().map(|b| b.name) {
        let mut campaign = Campaign::load(&path).unwrap();
        campaign.citation_style = style.into();
        let composer = Composer::from_campaign(campaign, &path, None).unwrap();
        let letter = composer.letter(&kim(), 0, today()).unwrap();
        assert_eq!(letter.notes.len(), 36, "{style}");
        assert!(
            letter.notes.iter().all(|n| !n.inlines.is_empty()),
            "{style}: an empty note"
        );
        // hayagriva's own note styles give short forms, never "Ibid."; ours does.
        if style == "hemicycle-notes" {
            let notes = note_texts(&letter);
            assert!(
                notes.iter().any(|n| n.starts_with("Ibid")),
                "{style}: no Ibid.: {notes:#?}"
            );
        }
    }
}

#[test]
fn cli_render_and_check() {
    let home = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/ai-act-people-on-the-move.toml");
    let example = example.to_str().unwrap();
    let out = common::hemicycle(
        home.path(),
        &[
            "render",
            example,
            "--mep",
            "197870",
            "--format",
            "text",
            "--today",
            "2026-11-23",
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let text = common::stdout(&out);
    assert!(text.contains("Dear Kim van Sparrentak,"), "{text}");
    assert!(text.contains("Brussels, 23 November 2026"), "{text}");
    assert!(text.contains("[36] "), "{text}");
    assert!(text.contains("[2] Ibid., art. 5(1)(d)."), "{text}");
    let html_file = home.path().join("letter.html");
    let out = common::hemicycle(
        home.path(),
        &[
            "render",
            example,
            "--mep",
            "197870",
            "--format",
            "html",
            "--out",
            html_file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        std::fs::read_to_string(&html_file)
            .unwrap()
            .contains("<li id=\"fn36\">")
    );

    let out = common::hemicycle(home.path(), &["check", example]);
    assert!(out.status.success(), "{}{}", common::stdout(&out), common::stderr(&out));
    assert!(common::stdout(&out).contains("0 errors"), "{}", common::stdout(&out));

    let broken = home.path().join("broken.toml");
    let text = std::fs::read_to_string(fixture("campaign.toml")).unwrap().replace(
        "demand_sets = [\"demands.toml\"]",
        &format!(
            "demand_sets = [{:?}]\n[[demands]]\nid = \"x\"\ntitle = \"X\"\nbody = \"See [@fra2019].\"",
            fixture("demands.toml")
        ),
    );
    std::fs::write(&broken, text).unwrap();
    let out = common::hemicycle(home.path(), &["check", broken.to_str().unwrap()]);
    assert!(!out.status.success());
    let report = common::stdout(&out);
    assert!(
        report.contains("cites \"fra2019\", which is not in the bibliography; did you mean \"fra2018\"?"),
        "{report}"
    );
    assert!(report.contains("warning: the source \"unused2020\""), "{report}");
}

#[test]
fn subject_lines_rotate_and_may_use_the_recipients_data() {
    let c = composer_with(|c| {
        c.subjects = vec![
            "A request to {{mep.name}} on the AI Act".into(),
            "AI Act: four bans * for _{{mep.country}}_".into(),
        ];
    });
    let first = c.letter(&kim(), 0, today()).unwrap();
    assert_eq!(first.meta.subject, "A request to Kim van Sparrentak on the AI Act");
    // Plain text: nothing escaped, no Markdown.
    let second = c.letter(&kim(), 1, today()).unwrap();
    assert_eq!(second.meta.subject, "AI Act: four bans * for _NL_");
    assert!(render::text::render(&second).contains("AI Act: four bans * for _NL_"));

    // Line breaks never reach the mail header.
    let mut mep = kim();
    mep.family_name = "Sparrentak\r\nBcc: everyone@example.org".into();
    let injected = c.letter(&mep, 0, today()).unwrap();
    assert!(
        !injected.meta.subject.contains(['\r', '\n']),
        "{}",
        injected.meta.subject
    );

    let broken = composer_with(|c| c.subjects = vec!["Fine".into(), "Dear {{mep.nmae}}".into()]);
    let err = broken.letter(&kim(), 1, today()).unwrap_err().to_string();
    assert!(err.starts_with("template \"subject line 2\", line 1, column"), "{err}");
    assert!(err.contains("mep.nmae"), "{err}");
}

/// The fixture campaign in `dir`, with `extra` added at its end (the
/// demand set is the fixture's own).
fn fixture_copy(dir: &Path, extra: &str) -> PathBuf {
    let text = std::fs::read_to_string(fixture("campaign.toml")).unwrap().replace(
        "demand_sets = [\"demands.toml\"]",
        &format!("demand_sets = [\"{}\"]", fixture("demands.toml").display()),
    );
    let path = dir.join("campaign.toml");
    std::fs::write(&path, format!("{text}\n{extra}\n")).unwrap();
    path
}

#[test]
fn check_counts_sources_cited_in_wording_and_block_files() {
    let home = tempfile::tempdir().unwrap();
    // The fixture leaves "unused2020" uncited: check says so.
    let plain = fixture_copy(home.path(), "");
    let report = common::stdout(&common::hemicycle(home.path(), &["check", plain.to_str().unwrap()]));
    assert!(report.contains("warning: the source \"unused2020\""), "{report}");
    // Cited in a `[wording]` phrase, it is used.
    let wording = fixture_copy(home.path(), "[wording]\ncontext = \"As was shown [@unused2020].\"");
    let report = common::stdout(&common::hemicycle(home.path(), &["check", wording.to_str().unwrap()]));
    assert!(!report.contains("unused2020"), "{report}");
    // Cited in a block file of `[blocks]`, too.
    std::fs::write(
        home.path().join("closing.md.hbs"),
        "Thank you. See also [@unused2020].\n",
    )
    .unwrap();
    let block = fixture_copy(home.path(), "[blocks]\nclosing = \"closing.md.hbs\"");
    let report = common::stdout(&common::hemicycle(home.path(), &["check", block.to_str().unwrap()]));
    assert!(report.contains("0 errors"), "{report}");
    assert!(!report.contains("unused2020"), "{report}");
}

#[test]
fn check_names_unknown_citations_in_sections_and_group_intros() {
    let home = tempfile::tempdir().unwrap();
    let check = |extra: &str| {
        let campaign = fixture_copy(home.path(), extra);
        let o = common::hemicycle(home.path(), &["check", campaign.to_str().unwrap()]);
        (o.status.success(), common::stdout(&o))
    };
    // A section added after the demands that cites a key the bibliography
    // lacks: an error of check, with the closest key, the section, its line
    // and the file, before any letter is made.
    let section =
        "[blocks.background]\nafter = \"demands\"\nheading = \"Background\"\ntext = \"As shown [@aiact2023].\"";
    let (ok, report) = check(section);
    assert!(!ok, "{report}");
    assert!(
        report.contains(
            "error: the section [blocks.background] text (line 50 of campaign.toml) cites \"aiact2023\", which is not in the bibliography; did you mean \"aiact2024\"?"
        ),
        "{report}"
    );
    // The intro of a demand group, and a translation's intro.
    let groups = "[[demand_groups]]\nintro = \"We ask you [@unsued2020]:\"\n";
    let (ok, report) = check(groups);
    assert!(!ok, "{report}");
    assert!(
        report.contains("error: the intro of demand group 1 (line 48 of campaign.toml) cites \"unsued2020\""),
        "{report}"
    );
    assert!(report.contains("did you mean \"unused2020\"?"), "{report}");
    let translated = "[translations.de]\ntitle = \"T\"\n\n[[demand_groups]]\nintro = \"We ask you:\"\n\n[[translations.de.demand_groups]]\nintro = \"Wir bitten Sie [@aiact2023]:\"\n";
    let (ok, report) = check(translated);
    assert!(!ok, "{report}");
    assert!(
        report.contains("error: the intro of demand group 1 of the translation [translations.de] (line 54 of campaign.toml) cites \"aiact2023\""),
        "{report}"
    );
    // A source cited only in a section or an intro is used.
    for text in [
        "[blocks.background]\nafter = \"demands\"\ntext = \"As shown [@unused2020].\"",
        "[[demand_groups]]\nintro = \"We ask you [@unused2020]:\"\n",
    ] {
        let (ok, report) = check(text);
        assert!(ok, "{report}");
        assert!(!report.contains("unused2020"), "{report}");
    }
}

#[test]
fn an_empty_or_wrong_sender_address_names_the_field() {
    let home = tempfile::tempdir().unwrap();
    for (email, severity) in [("", "warning"), ("letters at example.org", "error")] {
        let campaign = fixture_copy(home.path(), "");
        let text = std::fs::read_to_string(&campaign)
            .unwrap()
            .replace("email = \"letters@example.org\"", &format!("email = \"{email}\""));
        std::fs::write(&campaign, text).unwrap();
        let campaign = campaign.to_str().unwrap();
        let out_file = home.path().join("letter.eml");
        let args = [
            "render",
            campaign,
            "--format",
            "eml",
            "--out",
            out_file.to_str().unwrap(),
        ];
        let out = common::hemicycle(home.path(), &args);
        assert!(!out.status.success(), "{email:?}");
        assert!(!out_file.exists(), "{email:?}");
        let err = common::stderr(&out);
        assert!(err.contains("[organisation] email"), "{email:?}: {err}");
        let out = common::hemicycle(home.path(), &["check", campaign]);
        let report = common::stdout(&out);
        let line = report
            .lines()
            .find(|l| l.contains("[organisation] email"))
            .unwrap_or_else(|| panic!("{email:?}: {report}"));
        assert!(line.starts_with(&format!("{severity}: ")), "{line}");
        assert_eq!(out.status.success(), severity == "warning", "{report}");
    }
}

#[test]
fn an_unknown_template_lists_only_the_genres_to_choose() {
    let home = tempfile::tempdir().unwrap();
    let campaign = fixture_copy(home.path(), "[wording]\ncontext = \"Some context.\"");
    let text = std::fs::read_to_string(&campaign)
        .unwrap()
        .replace("template = \"personal-letter\"", "template = \"personal-leter\"");
    std::fs::write(&campaign, text).unwrap();
    let out = common::hemicycle(home.path(), &["render", campaign.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(err.contains("there is no template \"personal-leter\""), "{err}");
    assert!(err.contains("personal-letter, "), "{err}");
    assert!(!err.contains("[wording]"), "{err}");
    assert!(!err.contains("blocks/"), "{err}");
}

#[test]
fn render_refuses_an_mep_who_is_not_a_recipient_and_names_addressees() {
    let home = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/joint-letter-commissioners.toml");
    let example = example.to_str().unwrap();
    let eml = home.path().join("letter.eml");
    let eml = eml.to_str().unwrap();
    // The letter goes to six Commissioners (`meps = []`): an MEP is no
    // recipient of it.
    let out = common::hemicycle(
        home.path(),
        &["render", example, "--mep", "197870", "--format", "eml", "--out", eml],
    );
    assert!(
        !out.status.success(),
        "an e-mail was written to an MEP who is no recipient"
    );
    assert!(!Path::new(eml).exists());
    let err = common::stderr(&out);
    assert!(err.contains("Kim van Sparrentak (197870) is not a recipient"), "{err}");
    // The first addressee has no e-mail address: the error names her.
    let out = common::hemicycle(home.path(), &["render", example, "--format", "eml", "--out", eml]);
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(!err.contains("this MEP"), "{err}");
    assert!(err.contains("Teresa Ribera has no e-mail address"), "{err}");
}

#[test]
fn a_one_letter_greeting_names_only_the_to_addressees() {
    let home = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    let text = std::fs::read_to_string(root.join("campaigns/joint-letter-commissioners.toml")).unwrap();
    // Without the campaign's own greeting, and with the last two of the
    // six Commissioners in Cc.
    let demands = root.join("demands/csddd-after-omnibus.toml");
    let original = text
        .replace("../demands/csddd-after-omnibus.toml", &demands.display().to_string())
        .replace(
            "salutation = \"Dear Executive Vice-Presidents, dear Commissioners,\"\n",
            "",
        );
    let text = original
        .replace(
            "name = \"Michael McGrath\"\n",
            "name = \"Michael McGrath\"\ncc = true\n",
        )
        .replace(
            "name = \"Jessika Roswall\"\n",
            "name = \"Jessika Roswall\"\ncc = true\n",
        );
    let campaign = home.path().join("joint.toml");
    std::fs::write(&campaign, text).unwrap();
    let out = common::hemicycle(home.path(), &["render", campaign.to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let letter = common::stdout(&out);
    // The greeting's paragraph, which the text format wraps.
    let greeting: Vec<&str> = letter
        .lines()
        .skip_while(|l| !l.starts_with("Dear "))
        .take_while(|l| !l.trim().is_empty())
        .collect();
    let greeting = greeting.join(" ");
    assert!(greeting.contains("Teresa Ribera"), "{greeting}");
    assert!(greeting.contains("Valdis Dombrovskis"), "{greeting}");
    assert!(!greeting.contains("McGrath"), "{greeting}");
    assert!(!greeting.contains("Roswall"), "{greeting}");
    // They are still in Cc.
    assert!(letter.contains("McGrath") && letter.contains("Roswall"), "{letter}");

    // One addressee in To, the others in Cc: her own salutation greets.
    let text = original
        .replace("role = \"European Commission\"\n", "role = \"European Commission\"\ncc = true\n")
        .replacen(
            "name = \"Teresa Ribera\"\nrole = \"European Commission\"\ncc = true\n",
            "name = \"Teresa Ribera\"\nrole = \"European Commission\"\nsalutation = \"Dear Executive Vice-President,\"\n",
            1,
        );
    std::fs::write(&campaign, text).unwrap();
    let out = common::hemicycle(home.path(), &["render", campaign.to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let letter = common::stdout(&out);
    assert!(letter.contains("\nDear Executive Vice-President,\n"), "{letter}");
}
