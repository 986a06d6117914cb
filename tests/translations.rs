//! A campaign in English, German and French: each MEP gets the letter in
//! the language the campaign's rule gives (sent through the real binary's
//! dry run and read back with Python's `email`), `hemicycle check` lists
//! what a language is missing, the fallback and the error setting, and the
//! messages for bad input.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use hemicycle::compose::Composer;
use hemicycle::directory::{Directory, Mep};

const SET: &str = r#"# Two demands, in three languages.
id = "test-set"
title = "Test demands"
language = "en"
bibliography = ["BIB"]

[[demands]]
id = "risk-profiling"
title = "Ban risk profiling in migration"
body = "Profiling is classed as high-risk [@aiact2024, annex III, point 7(b)]."

[demands.translations.de]
title = "Verbot von Risikoprofilen in der Migration"
body = "Profiling gilt nur als hochriskant [@aiact2024, annex III, point 7(b)]."

[demands.translations.fr]
title = "Interdire le profilage des risques dans les migrations"
body = "Le profilage est seulement classé à haut risque [@aiact2024, annex III, point 7(b)]."

[[demands]]
id = "emotion-recognition"
title = "Ban emotion recognition at borders"
body = "Emotion recognition is banned only at work [@aiact2024, art. 5(1)(f)]."

[demands.translations.de]
title = "Verbot der Emotionserkennung an den Grenzen"
body = "Emotionserkennung ist nur am Arbeitsplatz verboten [@aiact2024, art. 5(1)(f)]."

[demands.translations.fr]
title = "Interdire la reconnaissance des émotions aux frontières"
body = "La reconnaissance des émotions n'est interdite qu'au travail [@aiact2024, art. 5(1)(f)]."
"#;

const CAMPAIGN: &str = r#"# A campaign in three languages.
format = "hemicycle-campaign"
version = 1
title = "people on the move"
language = "en"
subjects = ["AI Act: two bans for people on the move"]
template = "open-letter"
demand_sets = ["set.toml"]

[organisation]
name = "Stichting Voorbeeld"
address = ["Oudegracht 1", "3511 Utrecht"]
place = "Utrecht"
email = "brieven@stichting-voorbeeld.nl"
reference_pattern = "SV/{year}/{seq:03}"

[organisation.signatory]
name = "An Jansen"
role = "Policy Officer"

[recipients]
meps = [MEPS]

[wording]
opening = "We write to you, {{mep.name}}, about the AI Act."
closing = "We thank you for your attention."

[languages]
MISSING
[languages.meps]
CHOSEN = "fr"

[translations.de]
subjects = ["KI-Verordnung: zwei Verbote zum Schutz von Menschen auf der Flucht"]

[translations.de.wording]
opening = "Wir schreiben Ihnen, {{mep.name}}, zur KI-Verordnung."
closing = "Wir danken Ihnen für Ihre Aufmerksamkeit."
demands_intro = "Wir bitten Sie, sich für die folgenden {{len demands}} Forderungen einzusetzen:"

[translations.fr]
subjects = ["Règlement sur l'IA : deux interdictions pour les personnes en déplacement"]

[translations.fr.wording]
opening = "Nous vous écrivons, {{mep.name}}, au sujet du règlement sur l'IA."
closing = "Nous vous remercions de votre attention."
demands_intro = "Nous vous demandons de soutenir les {{len demands}} demandes suivantes :"
"#;

/// The first MEP of `country` with an address, in the bundled directory.
fn mep_of<'d>(dir: &'d Directory, country: &str, skip: usize) -> &'d Mep {
    dir.meps
        .iter()
        .filter(|m| m.country == country && m.email.is_some() && !m.email_is_guess)
        .nth(skip)
        .unwrap_or_else(|| panic!("an MEP from {country}"))
}

/// The campaign and its set in `work`, for `meps`, with `chosen` getting
/// French by choice; `edit` changes the campaign's text, `edit_set` the set's.
fn write_campaign(
    work: &Path,
    meps: &[&Mep],
    chosen: &Mep,
    edit: impl FnOnce(String) -> String,
    edit_set: impl FnOnce(String) -> String,
) -> PathBuf {
    let bib = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/bibliography/ai-act-migration.json");
    let set = SET.replace("BIB", bib.to_str().unwrap());
    std::fs::write(work.join("set.toml"), edit_set(set)).unwrap();
    let ids: Vec<String> = meps.iter().map(|m| format!("\"{}\"", m.id)).collect();
    let text = CAMPAIGN
        .replace("MEPS", &ids.join(", "))
        .replace("CHOSEN", &format!("\"{}\"", chosen.id))
        .replace("MISSING", "");
    let file = work.join("campaign.toml");
    std::fs::write(&file, edit(text)).unwrap();
    file
}

/// Subject and plain text of each .eml in `dir`, by recipient address.
fn read_emls(dir: &Path) -> Vec<(String, String, String)> {
    let script = "import email, email.policy, sys\nfor f in sys.argv[1:]:\n    m = email.message_from_bytes(open(f, 'rb').read(), policy=email.policy.default)\n    print('\\x1e' + str(m['To'].addresses[0].addr_spec) + '\\x1f' + str(m['Subject']) + '\\x1f' + m.get_body(('plain',)).get_content())";
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| p.to_str().unwrap().to_owned())
        .collect();
    files.sort();
    let mut args = vec!["-c", script];
    args.extend(files.iter().map(String::as_str));
    let out = common::run(&common::smtp::python(), &args);
    out.split('\x1e')
        .skip(1)
        .map(|part| {
            let mut fields = part.splitn(3, '\x1f');
            let (to, subject, body) = (fields.next().unwrap(), fields.next().unwrap(), fields.next().unwrap());
            (to.to_owned(), subject.to_owned(), body.replace("\r\n", "\n"))
        })
        .collect()
}

#[test]
fn each_mep_gets_the_letter_in_the_language_the_rule_gives() {
    let dir = Directory::bundled().unwrap();
    let work = tempfile::tempdir().unwrap();
    let german = mep_of(&dir, "DE", 0);
    let austrian = mep_of(&dir, "AT", 0);
    let french = mep_of(&dir, "FR", 0);
    let belgian = mep_of(&dir, "BE", 0);
    let italian = mep_of(&dir, "IT", 0);
    let chosen = mep_of(&dir, "IT", 1);
    let meps = [german, austrian, french, belgian, italian, chosen];
    let file = write_campaign(work.path(), &meps, chosen, |t| t, |s| s);
    let composer = Composer::open(&file, None).unwrap();
    let codes: Vec<&str> = meps.iter().map(|m| composer.language_of(m).code()).collect();
    // Belgium: Dutch first, which the campaign lacks; then French.
    assert_eq!(codes, ["de", "de", "fr", "fr", "en", "fr"]);

    let out_dir = work.path().join("dry");
    let ids: Vec<&str> = meps.iter().map(|m| m.id.as_str()).collect();
    let home = work.path().join("home");
    let out = common::hemicycle(
        &home,
        &[
            "send",
            file.to_str().unwrap(),
            "--dry-run",
            out_dir.to_str().unwrap(),
            "--mep",
            &ids.join(","),
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let letters = read_emls(&out_dir);
    assert_eq!(letters.len(), 6);
    for (mep, code) in meps.iter().zip(codes) {
        let address = mep.email.as_deref().unwrap();
        let (_, subject, body) = letters
            .iter()
            .find(|(to, _, _)| to == address)
            .unwrap_or_else(|| panic!("a letter to {address}"));
        let (subject_start, words): (&str, &[&str]) = match code {
            "de" => (
                "KI-Verordnung",
                &[
                    "Wir schreiben Ihnen",
                    "Verbot der Emotionserkennung",
                    "Mit freundlichen Grüßen",
                    "Betreff",
                ],
            ),
            "fr" => (
                "Règlement sur l'IA",
                &[
                    "Nous vous écrivons",
                    "Interdire le profilage",
                    "haute considération",
                    "Objet",
                ],
            ),
            _ => (
                "AI Act",
                &[
                    "We write to you",
                    "Ban emotion recognition",
                    "Yours sincerely",
                    "Subject",
                ],
            ),
        };
        assert!(subject.starts_with(subject_start), "{code}: {subject}");
        for w in words {
            assert!(body.contains(w), "{code} letter to {address} lacks {w:?}:\n{body}");
        }
        // Nothing of the other languages.
        for other in ["Wir schreiben", "Nous vous écrivons", "We write to you"] {
            if !words[0].starts_with(other) {
                assert!(!body.contains(other), "{code} letter has {other:?}:\n{body}");
            }
        }
    }
}

#[test]
fn check_lists_a_missing_french_demand_and_the_setting_decides() {
    let dir = Directory::bundled().unwrap();
    let work = tempfile::tempdir().unwrap();
    let french = mep_of(&dir, "FR", 0);
    let german = mep_of(&dir, "DE", 0);
    let italian = mep_of(&dir, "IT", 0);
    let drop_french_title = |s: String| {
        s.replacen(
            "title = \"Interdire la reconnaissance des émotions aux frontières\"\n",
            "",
            1,
        )
    };
    let file = write_campaign(work.path(), &[french, german], italian, |t| t, drop_french_title);
    let home = work.path().join("home");
    let out = common::hemicycle(&home, &["check", file.to_str().unwrap()]);
    let text = common::stdout(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("error: French: demand \"emotion-recognition\" has no French title"),
        "{text}"
    );
    // Composing the French letter fails and says what to do.
    let composer = Composer::open(&file, None).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let err = composer.letter(french, 0, today).unwrap_err().to_string();
    assert!(
        err.contains("French (fr)")
            && err.contains("demand \"emotion-recognition\" has no French title")
            && err.contains("missing = \"fallback\""),
        "{err}"
    );
    // The German letter is unaffected.
    assert_eq!(composer.letter(german, 1, today).unwrap().meta.language, "de");

    // With fallback, the French MEP gets the whole letter in English, and
    // check warns.
    let file = write_campaign(
        work.path(),
        &[french, german],
        italian,
        |t| t.replace("[languages]\n\n", "[languages]\nmissing = \"fallback\"\n"),
        drop_french_title,
    );
    let composer = Composer::open(&file, None).unwrap();
    let letter = composer.letter(french, 0, today).unwrap();
    assert_eq!(letter.meta.language, "en");
    assert!(letter.meta.subject.starts_with("AI Act"), "{}", letter.meta.subject);
    let out = common::hemicycle(&home, &["check", file.to_str().unwrap()]);
    let text = common::stdout(&out);
    assert!(
        text.contains("warning: French: demand \"emotion-recognition\" has no French title (these letters go out in the campaign's own language)"),
        "{text}"
    );
}

#[test]
fn bad_codes_and_changed_citations_are_told_with_language_text_and_change() {
    let dir = Directory::bundled().unwrap();
    let work = tempfile::tempdir().unwrap();
    let french = mep_of(&dir, "FR", 0);
    // An unknown code names the field, the file and the 24 codes.
    let file = write_campaign(
        work.path(),
        &[french],
        french,
        |t| {
            t.replace("[translations.fr]", "[translations.fx]")
                .replace("[translations.fr.wording]", "[translations.fx.wording]")
        },
        |s| s,
    );
    let err = Composer::open(&file, None).unwrap_err().to_string();
    assert!(
        err.contains("field translations.fx: \"fx\" is not one of the 24 official EU languages")
            && err.contains(
                "bg, cs, da, de, el, en, es, et, fi, fr, ga, hr, hu, it, lt, lv, mt, nl, pl, pt, ro, sk, sl, sv"
            )
            && err.ends_with("campaign.toml"),
        "{err}"
    );
    let file = write_campaign(
        work.path(),
        &[french],
        french,
        |t| t,
        |s| s.replacen("[demands.translations.fr]", "[demands.translations.french]", 1),
    );
    let err = Composer::open(&file, None).unwrap_err().to_string();
    assert!(
        err.starts_with(
            "line 16, field demands.translations.french (demand \"risk-profiling\"): \"french\" is not one of the 24"
        ) && err.ends_with("set.toml"),
        "{err}"
    );
    let file = write_campaign(
        work.path(),
        &[french],
        french,
        |t| t.replace("= \"fr\"\n\n[translations.de]", "= \"klingon\"\n\n[translations.de]"),
        |s| s,
    );
    let err = Composer::open(&file, None).unwrap_err().to_string();
    assert!(
        err.contains(&format!(
            "field languages.meps.{}: \"klingon\" is not one of the 24",
            french.id
        )),
        "{err}"
    );

    // A translation that changes a citation key and drops an expression.
    let file = write_campaign(
        work.path(),
        &[french],
        french,
        |t| t.replace("Nous vous écrivons, {{mep.name}}, au", "Nous vous écrivons au"),
        |s| s.replace("haut risque [@aiact2024, annex", "haut risque [@aiact2042, annex"),
    );
    let home = work.path().join("home");
    let out = common::hemicycle(&home, &["check", file.to_str().unwrap()]);
    let text = common::stdout(&out);
    for line in [
        "error: French (fr), [wording] opening: the expression {{mep.name}} is missing",
        "error: French (fr), demand \"risk-profiling\" text: the citation [@aiact2024] is missing",
        "error: French (fr), demand \"risk-profiling\" text: the citation [@aiact2042] is not in the original",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    let composer = Composer::open(&file, None).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    // The French letter goes in English, and says why; never a letter with
    // a broken citation, never one held back.
    let letter = composer.letter(french, 0, today).unwrap();
    assert_eq!(letter.meta.language, "en");
    let note = letter.meta.language_note.unwrap();
    assert!(
        note.starts_with("in English, not French, because the French translation is out of date: ")
            && note.ends_with("demand 1: the citation [@aiact2042] is not in the original"),
        "{note}"
    );
}

/// The set with the German translations recording the originals they were
/// made from (as `translate import` and the app write them); the French
/// ones, as in a file written before Hemicycle recorded them, do not.
fn set_with_german_hashes(set: String) -> String {
    use hemicycle::campaign::translations::source_hash;
    let originals = [
        (
            "Ban risk profiling in migration",
            "Profiling is classed as high-risk [@aiact2024, annex III, point 7(b)].",
            "Verbot von Risikoprofilen in der Migration",
        ),
        (
            "Ban emotion recognition at borders",
            "Emotion recognition is banned only at work [@aiact2024, art. 5(1)(f)].",
            "Verbot der Emotionserkennung an den Grenzen",
        ),
    ];
    let mut set = set;
    for (title, body, german_title) in originals {
        let line = format!("title = \"{german_title}\"\n");
        let recorded = format!(
            "{line}source-hash = {{ title = \"{}\", body = \"{}\" }}\n",
            source_hash(title),
            source_hash(body)
        );
        assert!(set.contains(&line));
        set = set.replacen(&line, &recorded, 1);
    }
    set
}

/// A dry run of `file` to `meps` by the real binary: the letters read back,
/// and what it said on standard error.
fn dry_run(work: &Path, file: &Path, meps: &[&Mep], name: &str) -> (Vec<(String, String, String)>, String) {
    let out_dir = work.join(name);
    let ids: Vec<&str> = meps.iter().map(|m| m.id.as_str()).collect();
    let out = common::hemicycle(
        &work.join("home"),
        &[
            "send",
            file.to_str().unwrap(),
            "--dry-run",
            out_dir.to_str().unwrap(),
            "--mep",
            &ids.join(","),
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    (read_emls(&out_dir), common::stderr(&out))
}

fn letter_to<'l>(letters: &'l [(String, String, String)], mep: &Mep) -> &'l (String, String, String) {
    let address = mep.email.as_deref().unwrap();
    letters
        .iter()
        .find(|(to, _, _)| to == address)
        .unwrap_or_else(|| panic!("a letter to {address}"))
}

#[test]
fn an_edited_original_sends_the_german_letter_in_english_until_translated_again() {
    let dir = Directory::bundled().unwrap();
    let work = tempfile::tempdir().unwrap();
    let german = mep_of(&dir, "DE", 0);
    let french = mep_of(&dir, "FR", 0);
    let italian = mep_of(&dir, "IT", 0);
    let meps = [german, french, italian];
    let chosen = mep_of(&dir, "IT", 1);
    let file = write_campaign(work.path(), &meps, chosen, |t| t, set_with_german_hashes);
    // Current: German for the German MEP, and check says nothing of it.
    let (letters, _) = dry_run(work.path(), &file, &meps, "current");
    assert_eq!(letters.len(), 3);
    assert!(letter_to(&letters, german).1.starts_with("KI-Verordnung"));
    let home = work.path().join("home");
    let text = common::stdout(&common::hemicycle(&home, &["check", file.to_str().unwrap()]));
    assert!(!text.contains("changed since it was translated"), "{text}");
    assert!(
        text.contains("note: French: 8 translated texts do not record the original they were made from, so Hemicycle cannot tell whether they are out of date"),
        "{text}"
    );

    // A sentence added to demand 1 of the English original.
    let sentence = "Risk scores now decide who is stopped at the border.";
    let edit = |s: String| {
        set_with_german_hashes(s).replace(
            "body = \"Profiling is classed as high-risk [@aiact2024, annex III, point 7(b)].\"",
            &format!("body = \"Profiling is classed as high-risk [@aiact2024, annex III, point 7(b)]. {sentence}\""),
        )
    };
    let file = write_campaign(work.path(), &meps, chosen, |t| t, edit);
    let out = common::hemicycle(&home, &["check", file.to_str().unwrap()]);
    let text = common::stdout(&out);
    assert!(
        text.contains("warning: German: demand 1 changed since it was translated (until the German text is brought up to date, letters in German go out in English)"),
        "{text}"
    );
    let (letters, said) = dry_run(work.path(), &file, &meps, "stale");
    assert_eq!(letters.len(), 3, "never fewer letters");
    let (_, subject, body) = letter_to(&letters, german);
    let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(subject.starts_with("AI Act"), "{subject}");
    for w in [
        "We write to you",
        sentence,
        "Ban emotion recognition",
        "Yours sincerely",
    ] {
        assert!(body.contains(w), "the German MEP's letter lacks {w:?}:\n{body}");
    }
    for w in ["Wir schreiben", "Verbot", "Grüßen"] {
        assert!(!body.contains(w), "the German MEP's letter has {w:?}:\n{body}");
    }
    assert!(
        said.contains(&format!(
            "warning: 1 letter is in English, not German, because the German translation is out of date: demand 1 changed since it was translated ({})",
            german.display_name()
        )),
        "{said}"
    );
    // The English letter is as it was; the French translation does not
    // record its original and is taken as current.
    let words = |body: &str| body.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words(&letter_to(&letters, italian).2).contains(sentence));
    let (_, subject, body) = letter_to(&letters, french);
    assert!(
        subject.starts_with("Règlement sur l'IA") && !words(body).contains(sentence),
        "{body}"
    );
}

#[test]
fn a_citation_added_to_the_original_blocks_no_letter() {
    let dir = Directory::bundled().unwrap();
    let work = tempfile::tempdir().unwrap();
    let german = mep_of(&dir, "DE", 0);
    let french = mep_of(&dir, "FR", 0);
    let italian = mep_of(&dir, "IT", 0);
    let meps = [german, french, italian];
    let cite = |s: String| {
        set_with_german_hashes(s).replace(
            "banned only at work [@aiact2024, art. 5(1)(f)].\"",
            "banned only at work [@aiact2024, art. 5(1)(f)] [@aiact2024, recital 44].\"",
        )
    };
    let file = write_campaign(work.path(), &meps, mep_of(&dir, "IT", 1), |t| t, cite);
    let (letters, said) = dry_run(work.path(), &file, &meps, "cited");
    assert_eq!(letters.len(), 3, "every letter goes: {said}");
    for mep in meps {
        let (_, subject, body) = letter_to(&letters, mep);
        assert!(subject.starts_with("AI Act"), "{subject}");
        assert!(body.contains("Emotion recognition is banned only at work"), "{body}");
    }
    let home = work.path().join("home");
    let text = common::stdout(&common::hemicycle(&home, &["check", file.to_str().unwrap()]));
    assert!(
        text.contains("warning: German: demand 2 changed since it was translated; the original now cites [@aiact2024]; add it to the German text"),
        "{text}"
    );
}
