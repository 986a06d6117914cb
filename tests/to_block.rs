//! Issue 26: the To block names an MEP with the honorific and title the
//! European Parliament records (`[layout] mep_honorific`, `mep_role`), a
//! party (`mep_party`), and lists MEPs and named addressees in the order
//! the campaign asks (`addressee_order`) — seen through the real
//! `hemicycle` binary and read back by tools Hemicycle did not write
//! (poppler's `pdftotext`, Python's zipfile, ElementTree, html.parser and
//! email).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The letters fixture campaign to `meps`, in `language`, with `extra` at
/// its end.
fn campaign(dir: &Path, language: &str, meps: &[&str], extra: &str) -> PathBuf {
    let fixtures = root().join("tests/fixtures/letters");
    let ids: Vec<String> = meps.iter().map(|m| format!("\"{m}\"")).collect();
    let text = std::fs::read_to_string(fixtures.join("campaign.toml"))
        .unwrap()
        .replace(
            "demand_sets = [\"demands.toml\"]",
            &format!("demand_sets = [\"{}\"]", fixtures.join("demands.toml").display()),
        )
        .replace("language = \"en\"", &format!("language = \"{language}\""))
        .replace(
            "query = { committees = [\"LIBE\"], roles = [\"member\"] }",
            &format!("meps = [{}]", ids.join(", ")),
        );
    assert!(text.contains("meps = ["), "the fixture changed");
    let path = dir.join(format!("campaign-{language}.toml"));
    std::fs::write(&path, format!("{text}\n{extra}\n")).unwrap();
    path
}

/// White space folded to single spaces.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The letter to `mep` in every format, each read back by its reader, as
/// (format, the lines of the text the reader found).
fn every_format(home: &Path, campaign: &Path, mep: &str) -> Vec<(&'static str, Vec<String>)> {
    let lines = |text: &str| text.lines().map(flat).collect::<Vec<_>>();
    let mut out = Vec::new();
    let txt = common::render(home, campaign, Some(mep), "txt");
    out.push(("text", lines(&std::fs::read_to_string(txt).unwrap())));
    let md = common::render(home, campaign, Some(mep), "md");
    // Markdown's hard line breaks and escapes read as the text.
    let md = std::fs::read_to_string(md).unwrap().replace('\\', "");
    out.push(("markdown", lines(&md)));
    let pdf = common::render(home, campaign, Some(mep), "pdf");
    out.push(("pdf", lines(&common::run("pdftotext", &[pdf.to_str().unwrap(), "-"]))));
    let docx = common::render(home, campaign, Some(mep), "docx");
    let script = "import sys, zipfile, xml.etree.ElementTree as E\nW='{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'\nfor p in E.fromstring(zipfile.ZipFile(sys.argv[1]).read('word/document.xml')).iter(W+'p'):\n  print(''.join('\\n' if e.tag == W+'br' else (e.text or '') if e.tag == W+'t' else '' for e in p.iter()))";
    out.push((
        "docx",
        lines(&common::run("python3", &["-c", script, docx.to_str().unwrap()])),
    ));
    let html = common::render(home, campaign, Some(mep), "html");
    let reader = root().join("tests/readers/html_paths.py");
    let paths = common::run("python3", &[reader.to_str().unwrap(), html.to_str().unwrap()]);
    out.push((
        "html",
        paths
            .lines()
            .map(|l| flat(l.split('\t').nth(1).unwrap_or_default()))
            .collect(),
    ));
    let eml = common::render(home, campaign, Some(mep), "eml");
    let script = "import email, email.policy, sys\nm = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)\nprint(m.get_body(('plain',)).get_content(), end='')\nprint(m.get_body(('html',)).get_content(), end='')";
    out.push((
        "eml",
        lines(&common::run("python3", &["-c", script, eml.to_str().unwrap()])),
    ));
    out
}

/// Asserts that every format has `line` (a long one may wrap) after its
/// label or on a line of its own.
fn each_has_line(formats: &[(&str, Vec<String>)], line: &str) {
    for (format, lines) in formats {
        let text = format!(" {} ", lines.join(" "));
        assert!(
            text.contains(&format!(": {line} ")) || text.contains(&format!(" {line} ")),
            "{format}: no {line:?} in\n{}",
            lines.join("\n")
        );
    }
}

/// An English, a German, a French and a Polish MEP of the bundled
/// directory, each in a letter in their language, named with the
/// honorific and the title of a Member in every format.
#[test]
fn honorific_and_role_in_four_languages_in_every_format() {
    let home = tempfile::tempdir().unwrap();
    let extra = "[layout]\nmep_honorific = true\nmep_role = true\n";
    for (language, mep, line, without) in [
        (
            "en",
            "204332",
            "Mr Barry Andrews, Member of the European Parliament",
            "Barry Andrews",
        ),
        (
            "de",
            "197448",
            "Herr Rasmus Andresen, Mitglied des Europäischen Parlaments",
            "Rasmus Andresen",
        ),
        (
            "fr",
            "197691",
            "Mme Mathilde Androuët, députée au Parlement européen",
            "Mathilde Androuët",
        ),
        (
            "pl",
            "197490",
            "Pani Magdalena Adamowicz, poseł do Parlamentu Europejskiego",
            "Magdalena Adamowicz",
        ),
    ] {
        let file = campaign(home.path(), language, &[mep], extra);
        each_has_line(&every_format(home.path(), &file, mep), line);
        // Without the options, the name alone, as before.
        let plain = campaign(home.path(), language, &[mep], "");
        let text = common::stdout(&common::hemicycle(
            home.path(),
            &["render", plain.to_str().unwrap(), "--mep", mep],
        ));
        assert!(text.lines().any(|l| l.trim_end().ends_with(without)), "{text}");
        assert!(!text.contains(line), "{text}");
    }
}

/// An MEP the directory records no honorific (nor gender) for: the name
/// alone, then the title in its generic form; never "None" or a stray
/// space.
#[test]
fn an_mep_without_honorific_gets_the_name_and_the_generic_title() {
    let home = tempfile::tempdir().unwrap();
    let extra = "[layout]\nmep_honorific = true\nmep_role = true\n";
    let file = campaign(home.path(), "de", &["256960"], extra);
    let formats = every_format(home.path(), &file, "256960");
    each_has_line(&formats, "Sibylle Berg, Mitglied des Europäischen Parlaments");
    let file = campaign(home.path(), "fr", &["130881"], extra);
    let text = common::stdout(&common::hemicycle(
        home.path(),
        &["render", file.to_str().unwrap(), "--mep", "130881"],
    ));
    assert!(
        text.contains("\nÀ: Mieke Andriese, député au Parlement européen\n"),
        "{text}"
    );
    assert!(!text.contains("None") && !text.contains("  Mieke"), "{text}");
}

/// `mep_party`: the group's short name or the national party after the
/// name; nothing for an MEP the directory gives no national party.
#[test]
fn party_suffixes_in_the_to_block() {
    let home = tempfile::tempdir().unwrap();
    for (extra, mep, line) in [
        ("[layout]\nmep_party = \"group\"\n", "204332", "Barry Andrews (Renew)"),
        (
            "[layout]\nmep_party = \"national\"\nmep_honorific = true\nmep_role = true\n",
            "204332",
            "Mr Barry Andrews (Fianna Fáil Party), Member of the European Parliament",
        ),
        ("[layout]\nmep_party = \"national\"\n", "270719", "Martin Günther"),
        ("[layout]\nmep_party = \"none\"\n", "204332", "Barry Andrews"),
    ] {
        let file = campaign(home.path(), "en", &[mep], extra);
        let formats = every_format(home.path(), &file, mep);
        each_has_line(&formats, line);
        if !line.contains('(') {
            for (format, lines) in &formats {
                assert!(!lines.join(" ").contains(&format!("{line} (")), "{format}: {lines:?}");
            }
        }
    }
}

/// A letter to one MEP and two named addressees: the To block and the
/// greeting list MEPs first unless the campaign says `addressees-first`.
#[test]
fn addressee_order_with_named_addressees_and_meps() {
    let home = tempfile::tempdir().unwrap();
    let addressees = "[[recipients.addressees]]\ntitle = \"Executive Vice-President\"\nname = \"Henna Virkkunen\"\nrole = \"European Commission\"\nemail = \"hv@example.org\"\n\n[[recipients.addressees]]\nname = \"Michael McGrath\"\nrole = \"European Commission\"\nemail = \"mm@example.org\"\n";
    let mep = "Mr Barry Andrews, Member of the European Parliament";
    let virkkunen = "Executive Vice-President Henna Virkkunen, European Commission";
    let mcgrath = "Michael McGrath, European Commission";
    for (order, expected) in [
        ("", [mep, virkkunen, mcgrath]),
        ("addressee_order = \"meps-first\"\n", [mep, virkkunen, mcgrath]),
        ("addressee_order = \"addressees-first\"\n", [virkkunen, mcgrath, mep]),
    ] {
        let extra = format!("[layout]\nmep_honorific = true\nmep_role = true\n{order}\n{addressees}");
        let file = campaign(home.path(), "en", &["204332"], &extra);
        let text = std::fs::read_to_string(&file)
            .unwrap()
            .replace("[recipients]\n", "[recipients]\nmode = \"one-letter\"\n");
        std::fs::write(&file, text).unwrap();
        let formats = every_format(home.path(), &file, "204332");
        for (format, lines) in &formats {
            let text = lines.join(" ");
            let at = |needle: &str| {
                text.find(needle)
                    .unwrap_or_else(|| panic!("{format} {order:?}: no {needle:?} in\n{}", lines.join("\n")))
            };
            let places: Vec<usize> = expected.iter().map(|e| at(e)).collect();
            assert!(
                places.windows(2).all(|w| w[0] < w[1]),
                "{format} {order:?}: {places:?} in\n{}",
                lines.join("\n")
            );
        }
        // The greeting names them in the same order.
        let (_, text) = &formats[0];
        let text = text.join(" ");
        let greeting = &text[text.find("Dear ").unwrap()..];
        let greeting: String = greeting.chars().take(120).collect();
        let (first, last) = if order.contains("addressees-first") {
            ("Henna Virkkunen", "Barry Andrews")
        } else {
            ("Barry Andrews", "Michael McGrath")
        };
        assert!(
            greeting.find(first).unwrap() < greeting.find(last).unwrap(),
            "{greeting}"
        );
    }
}

/// An unknown value is refused by `check` and `render`, with the file, the
/// line and the choices.
#[test]
fn unknown_to_block_values_are_refused_with_line_and_choices() {
    let home = tempfile::tempdir().unwrap();
    for (extra, words) in [
        (
            "[layout]\nmep_party = \"grop\"\n",
            &["grop", "none", "group", "national", "line "][..],
        ),
        (
            "[layout]\naddressee_order = \"alphabetical\"\n",
            &["alphabetical", "meps-first", "addressees-first", "line "][..],
        ),
        (
            "[layout]\nmep_honorific = \"yes\"\n",
            &["line ", "expected a boolean"][..],
        ),
        ("[layout]\nmep_title = true\n", &["mep_title", "mep_role", "line "][..]),
    ] {
        let file = campaign(home.path(), "en", &["204332"], extra);
        for command in ["render", "check"] {
            let o = common::hemicycle(home.path(), &[command, file.to_str().unwrap()]);
            assert!(!o.status.success(), "{command} accepted {extra:?}");
            let out = format!("{}{}", common::stderr(&o), common::stdout(&o));
            assert!(
                out.contains("campaign-en.toml"),
                "{command} {extra:?}: no file in {out}"
            );
            for w in words {
                assert!(out.contains(w), "{command} {extra:?}: {w:?} not in {out}");
            }
        }
    }
}

/// A template (here a `[wording]` phrase) sees the honorific and title in
/// the letter's language, the party and the To block's line.
#[test]
fn templates_see_the_honorific_title_party_and_to_line() {
    let home = tempfile::tempdir().unwrap();
    let extra = "[layout]\nmep_party = \"group\"\nmep_role = true\n\n[wording]\nopening = \"[{{mep.honorific_local}}] [{{mep.role_title}}] [{{mep.party}}] [{{mep.to_line}}]\"\n";
    let file = campaign(home.path(), "de", &["197475"], extra);
    let text = common::stdout(&common::hemicycle(
        home.path(),
        &["render", file.to_str().unwrap(), "--mep", "197475"],
    ));
    assert!(
        flat(&text).contains(
            "[Frau] [Mitglied des Europäischen Parlaments] [ESN] [Christine Anderson (ESN), Mitglied des Europäischen Parlaments]"
        ),
        "{text}"
    );
}
