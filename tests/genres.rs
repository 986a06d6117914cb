//! The example campaigns, one per genre, made with the bundled templates
//! and options only (no template of their own): each in every format, read
//! back by readers Hemicycle did not write, and exported for all its
//! recipients with no failure by the real `hemicycle` binary.

#![allow(clippy::unwrap_used)]

mod common;

use common::{folded, run};

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use hemicycle::campaign::{BlockSetting, Mode, examples};
use hemicycle::compose::Composer;
use hemicycle::directory::{Directory, Mep};
use hemicycle::letter::{Block, Letter};
use hemicycle::render::{self, docx, eml, pdf};

fn asset(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets").join(file)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// The first words of a text, as a reader that folds white space sees them.
fn start(text: &str, words: usize) -> String {
    text.split_whitespace().take(words).collect::<Vec<_>>().join(" ")
}

/// Every paragraph's and heading's plain text, list items included.
fn texts(blocks: &[Block], out: &mut Vec<(bool, Option<bool>, String)>, in_list: Option<bool>) {
    for b in blocks {
        match b {
            Block::Paragraph { inlines } => out.push((false, in_list, hemicycle::letter::plain_text(inlines))),
            Block::Heading { inlines, .. } => out.push((true, in_list, hemicycle::letter::plain_text(inlines))),
            Block::List { ordered, items, .. } => {
                // An item's first paragraph carries its marker; the others
                // continue the item without one.
                for item in items {
                    if let Some((first, rest)) = item.split_first() {
                        texts(std::slice::from_ref(first), out, Some(*ordered));
                        texts(rest, out, None);
                    }
                }
            }
            Block::Quote { blocks } => texts(blocks, out, in_list),
            _ => {}
        }
    }
}

struct Example {
    letter: Letter,
    composer: Composer,
    recipients: Vec<Mep>,
}

fn example(file: &str) -> Example {
    let path = asset(file);
    let composer = Composer::open(&path, None).unwrap_or_else(|e| panic!("{file}: {e}"));
    let dir = Directory::bundled().unwrap();
    let recipients: Vec<Mep> = composer.recipients(&dir).into_iter().cloned().collect();
    assert!(!recipients.is_empty(), "{file} has no recipients");
    let all: Vec<&Mep> = recipients.iter().collect();
    let letter = composer
        .letter_to_all(all[0], 0, today(), &all)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    Example {
        letter,
        composer,
        recipients,
    }
}

#[test]
fn each_example_uses_a_bundled_genre_and_no_template_of_its_own() {
    for (file, genre) in examples::CAMPAIGNS {
        let file = file.trim_start_matches("campaigns/");
        let e = example(&format!("campaigns/{file}"));
        assert_eq!(e.composer.campaign.template, *genre, "{file}");
        assert!(
            !e.composer
                .campaign
                .blocks
                .values()
                .any(|b| matches!(b, BlockSetting::File(_))),
            "{file} replaces a block with a file"
        );
        assert!(!e.composer.campaign.description.is_empty(), "{file} has no description");
        assert!(e.composer.citation_problems().is_empty(), "{file}");
        assert!(
            e.composer.unused_sources().is_empty(),
            "{file}: {:?}",
            e.composer.unused_sources()
        );
        assert!(!e.letter.notes.is_empty(), "{file} has no notes");
    }
}

/// Renders one example in every format and checks that each reader finds
/// every paragraph's start, every list item as a list item, and every note.
#[allow(clippy::too_many_lines)] // one reader after another; the rule is for src/
fn every_format_reads_back(file: &str) -> (Example, String, String) {
    let e = example(file);
    let letter = &e.letter;
    let dir = tempfile::tempdir().unwrap();
    let mut paragraphs = Vec::new();
    texts(&letter.blocks, &mut paragraphs, None);

    // PDF, through poppler.
    let pdf_file = dir.path().join("letter.pdf");
    std::fs::write(&pdf_file, pdf::render(letter, &pdf::PdfSettings::default()).unwrap()).unwrap();
    let pdf_text = run("pdftotext", &[pdf_file.to_str().unwrap(), "-"]);
    let flat = folded(&pdf_text).replace("- ", "-");
    for (_, _, text) in &paragraphs {
        let words = start(text, 3).replace("- ", "-");
        assert!(flat.contains(&words), "{file}: PDF lacks {words:?}");
    }
    for note in &letter.notes {
        let words = start(&render::text::inlines(&note.inlines), 3);
        assert!(
            flat.contains(&words),
            "{file}: PDF lacks note {} ({words})",
            note.number
        );
    }

    // DOCX, through Python's zipfile and ElementTree.
    let docx_file = dir.path().join("letter.docx");
    std::fs::write(&docx_file, docx::render(letter).unwrap()).unwrap();
    let reader = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readers/docx_paragraphs.py");
    let docx_lines = run("python3", &[reader.to_str().unwrap(), docx_file.to_str().unwrap()]);
    for (_, list, text) in &paragraphs {
        let words = start(text, 10);
        let line = docx_lines
            .lines()
            .find(|l| folded(l).contains(&words))
            .unwrap_or_else(|| panic!("{file}: DOCX lacks {words:?}"));
        let format = line.split('\t').next().unwrap();
        match list {
            Some(true) => assert_eq!(format, "decimal", "{file}: {line}"),
            Some(false) => assert_eq!(format, "bullet", "{file}: {line}"),
            None => {}
        }
    }
    assert_eq!(
        docx_lines.lines().filter(|l| l.starts_with("note\t")).count(),
        letter.notes.len(),
        "{file}"
    );

    // HTML, through Python's html.parser (balanced, every text there).
    let html_file = dir.path().join("letter.html");
    std::fs::write(&html_file, render::html::render(letter)).unwrap();
    let reader = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readers/html_paths.py");
    let html_paths = run("python3", &[reader.to_str().unwrap(), html_file.to_str().unwrap()]);
    // Compared without white space: the parser gives "<strong>A</strong>, B"
    // as two pieces of text.
    let bare = |t: &str| t.split_whitespace().collect::<String>();
    let html_flat = bare(
        &html_paths
            .lines()
            .map(|l| l.split('\t').nth(1).unwrap_or(""))
            .collect::<String>(),
    );
    for (_, _, text) in &paragraphs {
        let words = start(text, 3);
        assert!(html_flat.contains(&bare(&words)), "{file}: HTML lacks {words:?}");
    }

    // .eml, through Python's email: its text part is the text rendering.
    let mep = &e.recipients[0];
    let settings = eml::EmlSettings {
        from_name: "Example".into(),
        from_email: "letters@example.org".into(),
        reply_to: None,
        draft: false,
        attachment: None,
        date: None,
    };
    let eml_file = dir.path().join("m.eml");
    let address = mep.email.clone().unwrap_or_else(|| "someone@example.org".into());
    std::fs::write(
        &eml_file,
        eml::render(letter, &mep.display_name(), &address, &settings).unwrap(),
    )
    .unwrap();
    let script = "import email, email.policy, sys\nm = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)\nprint(m.get_body(('plain',)).get_content(), end='')";
    let plain = run("python3", &["-c", script, eml_file.to_str().unwrap()]).replace("\r\n", "\n");
    let text = render::text::render(letter);
    assert_eq!(plain.trim_end(), text.trim_end(), "{file}");

    // Markdown parses back to the same paragraphs.
    let md = render::markdown::render(letter);
    let again = hemicycle::letter::build_with(
        &md,
        letter.meta.clone(),
        &hemicycle::letter::build::Signing::default(),
        &|uses| Ok(vec![Vec::new(); uses.len()]),
    )
    .unwrap();
    let mut reparsed = Vec::new();
    texts(&again.blocks, &mut reparsed, None);
    let reparsed: Vec<String> = reparsed.iter().map(|(_, _, t)| folded(t)).collect();
    for (_, _, t) in &paragraphs {
        assert!(reparsed.contains(&folded(t)), "{file}: Markdown lost {t:?}");
    }
    (e, text, html_paths)
}

#[test]
fn short_personal_letter_to_one_mep_with_bulleted_demands() {
    let (e, text, _) = every_format_reads_back("campaigns/short-personal-letter.toml");
    assert_eq!(e.recipients.len(), 1);
    assert_eq!(e.recipients[0].id, "197870");
    assert!(text.contains("Dear Kim van Sparrentak,"), "{text}");
    let bullets = text.lines().filter(|l| l.starts_with("- ")).count();
    assert_eq!(bullets, e.composer.demands.len(), "{text}");
}

#[test]
fn open_letter_with_headings_and_36_notes() {
    let (e, text, _) = every_format_reads_back("campaigns/ai-act-people-on-the-move.toml");
    assert_eq!(e.letter.notes.len(), 36);
    assert!(text.contains("Subject: "), "{text}");
    assert!(text.contains("Ref. EDRF/2026/AI-001"), "{text}");
}

#[test]
fn joint_letter_to_commissioners_one_letter_many_cosigners_in_given_order() {
    let (e, text, _) = every_format_reads_back("campaigns/joint-letter-commissioners.toml");
    assert_eq!(e.composer.campaign.recipients.mode, Mode::OneLetter);
    // Named addressees, none of them in the MEP directory, all in To.
    assert!(e.recipients.iter().all(|m| m.id.starts_with("addressee-")));
    assert_eq!(e.letter.meta.recipients_to.len(), e.recipients.len());
    for a in &e.composer.campaign.recipients.addressees {
        assert!(folded(&text).contains(&a.name), "{} not addressed", a.name);
    }
    let salutation = e.composer.campaign.wording.salutation.clone().unwrap();
    assert!(text.contains(&salutation), "{text}");
    // Co-signers as written, people apart.
    let names: Vec<&str> = e.composer.campaign.cosigners.iter().map(|c| c.name.as_str()).collect();
    let first = text.find(names[0]).unwrap();
    let second = text.find(names[1]).unwrap();
    assert!(first < second, "co-signers are not in the given order");
    assert!(text.contains("Individuals"), "{text}");
    assert!(e.composer.campaign.cosigners.len() >= 60);
    // The export is one letter, named after the campaign.
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("out");
    let file = asset("campaigns/joint-letter-commissioners.toml");
    let o = common::hemicycle(
        home.path(),
        &[
            "export",
            file.to_str().unwrap(),
            "--format",
            "pdf,docx",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let files: Vec<_> = std::fs::read_dir(&out).unwrap().filter_map(Result::ok).collect();
    assert_eq!(files.len(), 2, "{files:?}");
}

#[test]
fn joint_press_release_with_embargo_quotes_notes_to_editors_and_contacts() {
    let (e, text, html) = every_format_reads_back("campaigns/joint-press-release.toml");
    let press = &e.composer.campaign.press;
    assert!(text.contains(&press.embargo), "{text}");
    assert!(folded(&text).contains(&folded(&press.headline)), "{text}");
    assert!(
        !text.contains("Subject:"),
        "a press release has no subject line:\n{text}"
    );
    assert!(text.lines().any(|l| l.trim() == "ENDS"), "{text}");
    assert!(text.contains("Notes to editors"), "{text}");
    assert!(text.contains("Press contacts"), "{text}");
    for q in &press.quotes {
        assert!(
            folded(&text).contains(&start(&q.text, 6)),
            "quote of {} missing",
            q.speaker
        );
        assert!(
            html.lines()
                .any(|l| l.contains("/blockquote/") && l.contains(&q.speaker)),
            "{html}"
        );
    }
    for c in &press.contacts {
        assert!(text.contains(&c.name) && text.contains(&c.email), "{text}");
    }
    // Both organisations in the letterhead.
    assert!(
        e.letter
            .meta
            .sender
            .name
            .contains(&e.composer.campaign.organisation.name)
    );
    assert!(
        e.letter
            .meta
            .sender
            .name
            .contains(&e.composer.campaign.organisations[0].name)
    );
}

#[test]
fn coalition_statement_with_sorted_signatories_and_many_links() {
    let (e, text, html) = every_format_reads_back("campaigns/coalition-statement.toml");
    let links = html.lines().filter(|l| l.contains("/a[href=http")).count();
    assert!(links >= 10, "{links} links");
    let list = e
        .letter
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::SignatoryList { groups } => Some(groups[0].names.clone()),
            _ => None,
        })
        .unwrap();
    let mut sorted = list.clone();
    sorted.sort_by_key(|n| hemicycle::directory::query::fold(n));
    assert_eq!(list, sorted);
    assert!(list.iter().all(|n| n.ends_with(')')), "countries shown: {list:?}");
    assert!(text.contains("Signatories"), "{text}");
}

/// `hemicycle export` of each example to PDF and DOCX for all its
/// recipients: every file written, nothing failed.
#[test]
fn every_example_exports_for_all_its_recipients_without_failure() {
    let dir = Directory::bundled().unwrap();
    for (file, _) in examples::CAMPAIGNS {
        let path = asset(file);
        let composer = Composer::open(&path, None).unwrap();
        let expected = match composer.campaign.recipients.mode {
            Mode::OneLetter => 2,
            Mode::PerRecipient => composer.recipients(&dir).len() * 2,
        };
        let home = tempfile::tempdir().unwrap();
        let out = home.path().join("out");
        let o = common::hemicycle(
            home.path(),
            &[
                "export",
                path.to_str().unwrap(),
                "--format",
                "pdf,docx",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        let err = common::stderr(&o);
        assert!(o.status.success(), "{file}: {err}");
        assert!(!err.contains("failed:"), "{file}: {err}");
        let written = std::fs::read_dir(&out).unwrap().count();
        assert_eq!(written, expected, "{file}: {err}");
    }
}

/// The open letter's German and French translations: MEPs of Germany and
/// Austria get it in German, of France, Belgium and Luxembourg in French,
/// the others in English — each letter whole in its language (greeting,
/// labels, demands, closing, notes), read back from the PDF by poppler.
#[test]
fn the_open_letter_goes_out_in_german_and_french_by_country() {
    let e = example("campaigns/ai-act-people-on-the-move.toml");
    let c = &e.composer;
    let count = |code: &str| e.recipients.iter().filter(|m| c.language_of(m).code() == code).count();
    let by_country = |countries: &[&str]| {
        e.recipients
            .iter()
            .filter(|m| countries.contains(&m.country.as_str()))
            .count()
    };
    assert_eq!(count("de"), by_country(&["DE", "AT"]));
    assert_eq!(count("fr"), by_country(&["FR", "BE", "LU"]));
    assert!(count("de") > 0 && count("fr") > 0);
    assert_eq!(count("en") + count("de") + count("fr"), e.recipients.len());
    for l in c.campaign.languages() {
        assert!(c.missing_texts(l).is_empty(), "{l}: {:?}", c.missing_texts(l));
        assert!(c.changed_codes(l).is_empty(), "{l}: {:?}", c.changed_codes(l));
    }
    let english_titles: Vec<&str> = c.demands.iter().map(|d| d.title.as_str()).collect();
    for (code, words) in [
        (
            "de",
            &[
                "Betreff:",
                "Wir wenden uns an Sie als Mitglied eines Ausschusses",
                "Wir fordern Sie auf, sich für die folgenden 4 Verbote einzusetzen:",
                "Verbot biometrischer Fernidentifizierung an Grenzen und in Haft",
                "Mit freundlichen Grüßen",
                "Verfügbar unter",
            ][..],
        ),
        (
            "fr",
            &[
                "Objet:",
                "Nous vous écrivons en votre qualité de membre",
                "Nous vous demandons de défendre les 4 interdictions suivantes",
                "Interdire l'identification biométrique à distance aux frontières",
                "haute considération",
                "Consulté le",
            ][..],
        ),
    ] {
        let (index, mep) = e
            .recipients
            .iter()
            .enumerate()
            .find(|(_, m)| c.language_of(m).code() == code)
            .unwrap();
        let letter = c.letter(mep, index, today()).unwrap();
        assert_eq!(letter.meta.language, code);
        assert_eq!(letter.notes.len(), 36, "{code}");
        let dir = tempfile::tempdir().unwrap();
        let pdf_file = dir.path().join("letter.pdf");
        std::fs::write(&pdf_file, pdf::render(&letter, &pdf::PdfSettings::default()).unwrap()).unwrap();
        let flat = folded(&run("pdftotext", &[pdf_file.to_str().unwrap(), "-"])).replace("- ", "-");
        for w in words {
            assert!(flat.contains(&folded(w)), "{code}: the PDF lacks {w:?}");
        }
        for title in &english_titles {
            assert!(
                !flat.contains(&folded(title)),
                "{code}: the PDF has the English {title:?}"
            );
        }
    }
}

fn genre_fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/genres")
        .join(name)
        .display()
        .to_string()
}

/// Where `needle` first starts in `text`, folded; panics if it is not there.
fn at(text: &str, needle: &str) -> usize {
    folded(text)
        .find(&folded(needle))
        .unwrap_or_else(|| panic!("{needle:?} is not in:\n{text}"))
}

/// Issue 26: two sections added after the demands with `[blocks.NAME]
/// after = "demands"`, from the bundled blocks only, in the campaign's
/// order, before the end mark, in every format.
#[test]
fn a_press_release_with_two_sections_after_the_demands_reads_back_in_every_format() {
    let (e, text, html) = every_format_reads_back(&genre_fixture("press-sections.toml"));
    assert!(
        !e.composer.campaign.blocks.values().any(|b| b.file().is_some()),
        "no block file"
    );
    let last_demand = at(&text, &e.composer.demands.last().unwrap().title);
    let background = at(&text, "Background to the vote");
    let next = at(&text, "What the organisations will do next");
    let ends = text.find("\nENDS").unwrap();
    assert!(last_demand < background && background < next && next < ends, "{text}");
    // The section's text is a phrase: it may use the letter's data.
    assert!(
        folded(&text).contains("laws that deliver delivering the 2040"),
        "{text}"
    );
    // A heading in HTML too.
    assert!(
        html.lines()
            .any(|l| l.contains("/article/h") && l.contains("Background to the vote")),
        "{html}"
    );
    let headings: Vec<String> = e
        .letter
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { inlines, .. } => Some(hemicycle::letter::plain_text(inlines)),
            _ => None,
        })
        .collect();
    assert!(
        headings.contains(&"What the organisations will do next".to_owned()),
        "{headings:?}"
    );
}

/// Issue 26: an open letter with two groups of demands (numbered, then
/// headings without numbers, each after its own intro) and the headline
/// after the greeting, in every format.
#[test]
fn a_letter_with_two_demand_groups_reads_back_in_every_format() {
    let (e, text, html) = every_format_reads_back(&genre_fixture("letter-groups.toml"));
    let d = &e.composer.demands;
    assert_eq!(d.len(), 4);
    let first_intro = at(&text, "First, on the air we breathe, we ask you to:");
    let second_intro = at(&text, "We also ask you to:");
    assert!(
        first_intro < at(&text, &d[1].title) && at(&text, &d[1].title) < second_intro,
        "{text}"
    );
    assert!(second_intro < at(&text, &d[2].title), "{text}");
    // The first group is a numbered list, the second has headings without
    // numbers.
    let lists: Vec<(bool, usize)> = e
        .letter
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::List { ordered, items, .. } => Some((*ordered, items.len())),
            _ => None,
        })
        .collect();
    assert!(lists.contains(&(true, 2)), "{lists:?}");
    let headings: Vec<String> = e
        .letter
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { inlines, .. } => Some(hemicycle::letter::plain_text(inlines)),
            _ => None,
        })
        .collect();
    assert!(
        headings.contains(&d[2].title) && headings.contains(&d[3].title),
        "{headings:?}"
    );
    // The headline (the subject) follows the greeting.
    let subject = &e.composer.campaign.subjects[0];
    assert!(headings.contains(subject), "{headings:?}");
    let opening: Vec<String> = e.letter.blocks[..2]
        .iter()
        .map(|b| match b {
            Block::Paragraph { inlines } | Block::Heading { inlines, .. } => hemicycle::letter::plain_text(inlines),
            _ => String::new(),
        })
        .collect();
    assert!(opening[0].starts_with("Dear ") && opening[1] == *subject, "{opening:?}");
    assert!(
        html.lines()
            .any(|l| l.contains("/article/h") && l.contains(subject.as_str())),
        "{html}"
    );
}
