//! Issue 26: defects 6–9 of the bundled genres and what genres gained
//! (blocks added anywhere, signature lines, co-signers as a paragraph,
//! ordinal dates), each seen as a user sees it: through the real
//! `hemicycle` binary and files read back by tools Hemicycle did not write
//! (poppler's `pdftotext`, Python's zipfile and ElementTree and html.parser).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The letters fixture campaign in `dir`: `edits` applied to its text,
/// `extra` added at its end, its demand set found where it is.
fn campaign(dir: &Path, edits: &[(&str, &str)], extra: &str) -> PathBuf {
    let fixtures = root().join("tests/fixtures/letters");
    let mut text = std::fs::read_to_string(fixtures.join("campaign.toml"))
        .unwrap()
        .replace(
            "demand_sets = [\"demands.toml\"]",
            &format!("demand_sets = [\"{}\"]", fixtures.join("demands.toml").display()),
        );
    for (from, to) in edits {
        assert!(text.contains(from), "the fixture has no {from:?}");
        text = text.replace(from, to);
    }
    let path = dir.join("campaign.toml");
    std::fs::write(&path, format!("{text}\n{extra}\n")).unwrap();
    path
}

/// A word of `pdftotext -bbox`: its page, left edge, top and text.
struct Word {
    page: usize,
    x: f64,
    y: f64,
    text: String,
}

fn attribute(tag: &str, name: &str) -> f64 {
    let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    tag[at..].split('"').next().unwrap().parse().unwrap()
}

fn bbox_words(pdf: &Path) -> (Vec<Word>, f64) {
    let html = common::run("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let mut words = Vec::new();
    let mut page = 0;
    let mut height = 0.0;
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
            height = attribute(line, "height");
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let text = rest.split('>').nth(1).unwrap().trim_end_matches("</word").to_owned();
            words.push(Word {
                page,
                x: attribute(line, "xMin"),
                y: attribute(line, "yMin"),
                text,
            });
        }
    }
    (words, height)
}

/// Defect 6: 70 co-signers with long names fill both columns of every page
/// they are on, within one name, and a name's second line is indented
/// under its first.
#[test]
fn cosigner_columns_are_balanced_and_long_names_hang() {
    let home = tempfile::tempdir().unwrap();
    // No footnotes (no demand text): every line after the signature is a
    // co-signer's.
    let mut extra =
        String::from("[layout]\ndemand_body = \"none\"\n\n[signatories]\norder = \"given\"\nshow_country = false\n");
    for i in 0..70 {
        extra.push_str(&format!(
            "\n[[cosigners]]\nname = \"Org{i:02} Association for the Defence of Fundamental Rights and the Freedoms of People on the Move\"\ngroup = \"Network members\"\n"
        ));
    }
    let fixture = std::fs::read_to_string(root().join("tests/fixtures/letters/campaign.toml")).unwrap();
    // The fixture's own three co-signers out, the 70 in.
    let own = &fixture[fixture.find("[[cosigners]]").unwrap()..fixture.find("[vars]").unwrap()];
    let edits = [
        ("template = \"personal-letter\"", "template = \"joint-letter\""),
        (own, ""),
    ];
    let file = campaign(home.path(), &edits, &extra);
    let pdf = common::render(home.path(), &file, None, "pdf");
    let (words, height) = bbox_words(&pdf);
    let is_name = |w: &Word| w.text.len() == 5 && w.text.starts_with("Org") && w.text[3..].parse::<u32>().is_ok();
    let first = words.iter().position(is_name).unwrap();
    // Words of the co-signer list: from the first name on, above the footer.
    let list: Vec<&Word> = words[first..].iter().filter(|w| w.y < height - 60.0).collect();
    assert_eq!(list.iter().filter(|w| is_name(w)).count(), 70);
    let pages: std::collections::BTreeSet<usize> = list.iter().map(|w| w.page).collect();
    assert!(pages.len() >= 2, "the list should run over a page: {pages:?}");
    let left = list.iter().filter(|w| is_name(w)).map(|w| w.x).fold(f64::MAX, f64::min);
    let right = list.iter().filter(|w| is_name(w)).map(|w| w.x).fold(0.0, f64::max);
    assert!(right > left + 150.0, "one column only: {left} {right}");
    for page in &pages {
        let names: Vec<&&Word> = list.iter().filter(|w| w.page == *page && is_name(w)).collect();
        let in_left = names.iter().filter(|w| w.x < right - 20.0).count();
        let in_right = names.len() - in_left;
        assert!(
            in_left.abs_diff(in_right) <= 1,
            "page {page}: {in_left} names on the left, {in_right} on the right"
        );
    }
    // Each line's first word: a name's first line starts at its column's
    // edge, every further line of the name further in.
    let mut starts: std::collections::BTreeMap<(usize, bool, i64), &Word> = std::collections::BTreeMap::new();
    for w in &list {
        #[allow(clippy::cast_possible_truncation, reason = "a page is a few hundred points high")]
        let key = (w.page, w.x >= right - 20.0, w.y.round() as i64);
        let keep = starts.get(&key).is_none_or(|s| w.x < s.x);
        if keep {
            starts.insert(key, w);
        }
    }
    let mut wrapped = 0;
    for ((page, on_right, _), w) in &starts {
        let edge = if *on_right { right } else { left };
        if is_name(w) {
            assert!(
                (w.x - edge).abs() < 1.0,
                "page {page}: {} at {} not at {edge}",
                w.text,
                w.x
            );
        } else {
            wrapped += 1;
            assert!(
                w.x > edge + 8.0,
                "page {page}: the continued line \"{}…\" at {} is not indented from {edge}",
                w.text,
                w.x
            );
        }
    }
    assert!(wrapped >= 70, "the names should wrap: {wrapped} continued lines");
}

/// Defect 7: the text letterhead never starts a line with "·"; a word
/// label of the reference takes a colon; several addressees stand one a
/// line in text and DOCX; a one-letter export's file name ends on a whole
/// word; the export log calls addressees who are no MEPs addressees.
#[test]
fn small_presentation_details_of_letters_and_exports() {
    let home = tempfile::tempdir().unwrap();
    let long_site = "https://www.example-organisation-for-fundamental-rights.org";
    let file = campaign(
        home.path(),
        &[
            (
                "website = \"https://example.org\"",
                &format!("website = \"{long_site}\""),
            ),
            (
                "email = \"letters@example.org\"",
                "email = \"letters-and-press-enquiries@example-organisation.org\"",
            ),
            (
                "cc = [\"Members of the IMCO Committee\"]",
                "cc = [\"Members of the IMCO Committee\", \"Members of the LIBE Committee\"]",
            ),
        ],
        "[labels]\nreference = \"Reference\"\n",
    );
    let o = common::hemicycle(home.path(), &["render", file.to_str().unwrap()]);
    let text = common::stdout(&o);
    assert!(o.status.success(), "{}", common::stderr(&o));
    for line in text.lines() {
        assert!(!line.trim_start().starts_with('·'), "{line:?} in\n{text}");
    }
    assert!(text.contains("\nReference: TF/2026/001"), "{text}");
    assert!(
        text.contains("Cc: Members of the IMCO Committee\n    Members of the LIBE Committee\n"),
        "{text}"
    );
    assert!(!text.contains("; Members"), "{text}");
    // DOCX: the two in one paragraph, on two lines.
    let docx = common::render(home.path(), &file, None, "docx");
    let script = "import sys, zipfile, xml.etree.ElementTree as E\nW='{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'\nfor p in E.fromstring(zipfile.ZipFile(sys.argv[1]).read('word/document.xml')).iter(W+'p'):\n  out = ''.join('\\n' if e.tag == W+'br' else (e.text or '') if e.tag == W+'t' else '' for e in p.iter())\n  if 'IMCO' in out: print(repr(out))";
    let cc = common::run("python3", &["-c", script, docx.to_str().unwrap()]);
    assert!(
        cc.contains("Members of the IMCO Committee\\nMembers of the LIBE Committee"),
        "{cc}"
    );

    // A one-letter export to Commissioners: the file named after the
    // title cut between words, the log speaking of addressees.
    let example = root().join("assets/campaigns/joint-letter-commissioners.toml");
    let demands = root().join("assets/demands/csddd-after-omnibus.toml");
    let title = "Joint letters of civil society organisations on the Corporate Sustainability Due Diligence Directive and the human rights of migrants";
    let text = std::fs::read_to_string(&example)
        .unwrap()
        .replace("../demands/csddd-after-omnibus.toml", &demands.display().to_string());
    let text = text
        .lines()
        .map(|l| {
            if l.starts_with("title = ") {
                format!("title = \"{title}\"")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let joint = home.path().join("joint.toml");
    std::fs::write(&joint, text).unwrap();
    let out = home.path().join("out");
    let o = common::hemicycle(
        home.path(),
        &[
            "export",
            joint.to_str().unwrap(),
            "--format",
            "txt",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let log = common::stderr(&o);
    assert!(o.status.success(), "{log}");
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].ends_with("Directive and the human.txt"), "{names:?}");
    assert!(log.contains("for 6 addressees"), "{log}");
    assert!(!log.contains("MEPs"), "{log}");
}

/// Defect 8: `[blocks]` refuses a block the genre does not have and
/// `NAME = true`, naming the block and the genre's blocks.
#[test]
fn blocks_the_genre_lacks_and_switched_on_blocks_are_refused() {
    let home = tempfile::tempdir().unwrap();
    for (extra, words) in [
        (
            "[blocks]\nheadline = false",
            &[
                "line ",
                "[blocks]",
                "personal-letter has no block \"headline\"",
                "salutation, opening",
            ][..],
        ),
        (
            "[blocks]\nclosing = true",
            &[
                "`closing = true` changes nothing",
                "salutation, opening",
                "closing = false",
            ][..],
        ),
        (
            "[blocks]\nsubject = true",
            &["`subject = true` changes nothing", "[layout]"][..],
        ),
    ] {
        let file = campaign(home.path(), &[], extra);
        for command in ["render", "check"] {
            let o = common::hemicycle(home.path(), &[command, file.to_str().unwrap()]);
            assert!(!o.status.success(), "{command} accepted {extra:?}");
            let out = format!("{}{}", common::stderr(&o), common::stdout(&o));
            for w in words {
                assert!(out.contains(w), "{command} {extra:?}: {w:?} not in {out}");
            }
        }
    }
}

/// Defect 9: `check` does not ask a press release or a statement, meant to
/// be the same for all, for personal paragraphs (a letter still is).
#[test]
fn check_does_not_ask_a_press_release_for_personal_paragraphs() {
    let home = tempfile::tempdir().unwrap();
    for (template, personal) in [
        ("personal-letter", true),
        ("press-release", false),
        ("coalition-statement", false),
    ] {
        let file = campaign(
            home.path(),
            &[("template = \"personal-letter\"", &format!("template = \"{template}\""))],
            "",
        );
        let report = common::stdout(&common::hemicycle(home.path(), &["check", file.to_str().unwrap()]));
        assert!(report.contains("nearly identical"), "{template}: {report}");
        assert_eq!(
            report.contains("add personal paragraphs"),
            personal,
            "{template}: {report}"
        );
    }
}

/// Defect 9: bullets inside a numbered note to editors, and bullets inside
/// those, are at Word's list levels 1 and 2, not at level 0 with an indent
/// of their own.
#[test]
fn nested_bullets_in_docx_are_at_their_list_level() {
    let home = tempfile::tempdir().unwrap();
    let file = campaign(
        home.path(),
        &[("template = \"personal-letter\"", "template = \"press-release\"")],
        "[press]\nnotes_to_editors = [\"About the campaign:\\n\\n- Outer point\\n    - Inner point\\n- Second outer point\"]\n",
    );
    let docx = common::render(home.path(), &file, None, "docx");
    let script = "import sys, zipfile, xml.etree.ElementTree as E\nW='{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'\nfor p in E.fromstring(zipfile.ZipFile(sys.argv[1]).read('word/document.xml')).iter(W+'p'):\n  t = ''.join(e.text or '' for e in p.iter(W+'t'))\n  l = p.find('.//'+W+'ilvl')\n  if 'point' in t: print(l.get(W+'val') if l is not None else '-', t, sep='\\t')";
    let levels = common::run("python3", &["-c", script, docx.to_str().unwrap()]);
    assert!(levels.contains("1\tOuter point"), "{levels}");
    assert!(levels.contains("2\tInner point"), "{levels}");
    assert!(levels.contains("1\tSecond outer point"), "{levels}");
}

fn render_text(home: &Path, campaign: &Path) -> String {
    let o = common::hemicycle(home, &["render", campaign.to_str().unwrap()]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    common::stdout(&o)
}

/// Signature lines as a list, co-signers as one paragraph, and the ordinal
/// dates of English, in text, HTML, Markdown, DOCX and PDF.
#[test]
fn signature_lines_cosigners_paragraph_and_ordinal_dates_in_every_format() {
    let home = tempfile::tempdir().unwrap();
    let edits = [
        ("template = \"personal-letter\"", "template = \"joint-letter\""),
        (
            "role = \"Policy Officer\"",
            "role = \"Policy Officer\"\nlines = [\"Brussels office\", \"example.org/people\"]",
        ),
    ];
    let extra = "[signatories]\nform = \"paragraph\"\n\n[layout]\ndate_format = \"ordinal\"\n";
    let file = campaign(home.path(), &edits, extra);
    let text = render_text(home.path(), &file);
    assert!(text.contains("Brussels, 23rd November 2026"), "{text}");
    assert!(
        text.contains("Alex Example\nPolicy Officer\nTest Foundation\nBrussels office\nexample.org/people\n"),
        "{text}"
    );
    assert!(
        text.contains("Network members: Alpha Digital (NL), Zeta Rights (BE)"),
        "{text}"
    );
    let md = common::stdout(&common::hemicycle(
        home.path(),
        &["render", file.to_str().unwrap(), "--format", "md"],
    ));
    assert!(
        md.contains("Test Foundation  \nBrussels office  \nexample.org/people"),
        "{md}"
    );
    let html = common::render(home.path(), &file, None, "html");
    let reader = root().join("tests/readers/html_paths.py");
    let paths = common::run("python3", &[reader.to_str().unwrap(), html.to_str().unwrap()]);
    assert!(paths.contains("Brussels office"), "{paths}");
    let docx = common::render(home.path(), &file, None, "docx");
    let script = "import sys, zipfile, xml.etree.ElementTree as E\nW='{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'\nfor p in E.fromstring(zipfile.ZipFile(sys.argv[1]).read('word/document.xml')).iter(W+'p'):\n  out = ''.join('|' if e.tag == W+'br' else (e.text or '') if e.tag == W+'t' else '' for e in p.iter())\n  if 'Alex Example' in out or 'Network members' in out: print(out)";
    let lines = common::run("python3", &["-c", script, docx.to_str().unwrap()]);
    assert!(
        lines.contains("Test Foundation|Brussels office|example.org/people"),
        "{lines}"
    );
    assert!(lines.contains("Alpha Digital (NL), Zeta Rights (BE)"), "{lines}");
    let pdf = common::render(home.path(), &file, None, "pdf");
    let pdf_text = common::run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(
        pdf_text.contains("Test Foundation\nBrussels office\nexample.org/people"),
        "{pdf_text}"
    );
    assert!(pdf_text.contains("23rd November 2026"), "{pdf_text}");

    let file = campaign(
        home.path(),
        &edits,
        &extra.replace("\"ordinal\"", "\"ordinal-month-first\""),
    );
    let text = render_text(home.path(), &file);
    assert!(text.contains("Brussels, November 23rd 2026"), "{text}");
    // A language that writes the day so already keeps its long date.
    let file = campaign(home.path(), &[("language = \"en\"", "language = \"de\"")], extra);
    let text = render_text(home.path(), &file);
    assert!(text.contains("23. November 2026"), "{text}");
}

/// `[blocks.NAME]`: a bundled block moved, a file added before another, a
/// block placed next to one added after it; an unknown place or none named
/// in plain words.
#[test]
fn blocks_are_added_and_moved_where_the_campaign_says() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("ps.md.hbs"),
        "P.S. We write to {{mep.name}} again in spring.\n",
    )
    .unwrap();
    let extra = "[blocks.ps]\nafter = \"thanks\"\nfile = \"ps.md.hbs\"\n\n[blocks.thanks]\nbefore = \"closing-formula\"\ntext = \"Thank you for reading.\"\n\n[blocks.context]\nafter = \"demands\"\n\n[wording]\ncontext = \"Some context.\"\n";
    let file = campaign(home.path(), &[], extra);
    let text = render_text(home.path(), &file);
    let at = |w: &str| text.find(w).unwrap_or_else(|| panic!("{w:?} not in {text}"));
    assert!(
        at("Some context.") > at("Ban emotion") || at("Some context.") > at("We ask you"),
        "{text}"
    );
    assert!(at("Thank you for reading.") < at("P.S. We write to"), "{text}");
    assert!(text.contains("again in spring.\n\nYours sincerely,"), "{text}");
    for (extra, words) in [
        (
            "[blocks.ps]\nafter = \"postscript\"\ntext = \"P.S.\"",
            &[
                "line ",
                "[blocks.ps] is to go next to \"postscript\"",
                "salutation, opening",
            ][..],
        ),
        (
            "[blocks.ps]\ntext = \"P.S.\"",
            &["[blocks.ps] needs one place: after = \"BLOCK\" or before = \"BLOCK\""][..],
        ),
        (
            "[blocks.ps]\nafter = \"signature\"\nfiel = \"ps.md.hbs\"",
            &["unknown field `fiel`"][..],
        ),
        (
            "[blocks.ps]\nafter = \"signature\"",
            &["there is no bundled block \"ps\""][..],
        ),
    ] {
        let file = campaign(home.path(), &[], extra);
        let o = common::hemicycle(home.path(), &["render", file.to_str().unwrap()]);
        assert!(!o.status.success(), "{extra}");
        let err = common::stderr(&o);
        for w in words {
            assert!(err.contains(w), "{extra}: {w:?} not in {err}");
        }
    }
}

/// A translation must give the added sections and the demand groups'
/// intros, or the letter in its language says they are missing.
#[test]
fn a_translation_names_the_sections_and_intros_it_lacks() {
    let home = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/genres/letter-groups.toml");
    let demands = root().join("assets/demands/clean-air-green-streets.toml");
    let text = std::fs::read_to_string(fixture).unwrap().replace(
        "../../../assets/demands/clean-air-green-streets.toml",
        &demands.display().to_string(),
    );
    let base = format!(
        "{text}\n[blocks.background]\nafter = \"demands\"\nheading = \"Background\"\ntext = \"Some background.\"\n\n[languages.meps]\n\"197870\" = \"de\"\n\n[translations.de]\ntitle = \"Saubere Luft\"\n"
    );
    let file = home.path().join("campaign.toml");
    for (extra, lacks) in [
        ("", true),
        (
            "\n[[translations.de.demand_groups]]\nintro = \"Zuerst bitten wir Sie:\"\n\n[[translations.de.demand_groups]]\nintro = \"Wir bitten Sie auch:\"\n\n[translations.de.blocks.background]\nafter = \"demands\"\nheading = \"Hintergrund\"\ntext = \"Etwas Hintergrund.\"\n",
            false,
        ),
    ] {
        std::fs::write(&file, format!("{base}{extra}")).unwrap();
        let o = common::hemicycle(home.path(), &["render", file.to_str().unwrap()]);
        assert!(!o.status.success(), "the German texts are incomplete either way");
        let err = common::stderr(&o);
        assert!(err.contains("German"), "{err}");
        assert_eq!(
            err.contains("the section [blocks.background] has no German text"),
            lacks,
            "{err}"
        );
        assert_eq!(
            err.contains("the intros of [[demand_groups]] have no German translation"),
            lacks,
            "{err}"
        );
    }
}

/// A group's intro counts the group's demands: "the following
/// {{len demands}} demands" before a group of one says 1, not every demand
/// of the letter (found in Campaign → Layout…: the open letter's intro said
/// "4 demands" above a group of 2).
#[test]
fn a_demand_groups_intro_counts_the_demands_of_its_group() {
    let home = tempfile::tempdir().unwrap();
    let file = campaign(
        home.path(),
        &[],
        "[wording]\ndemands_intro = \"We ask for these {{len demands}}:\"\n\n[[demand_groups]]\ndemands = [\"emotion\"]\n\n[[demand_groups]]\nintro = \"And {{len demands}} more:\"\n",
    );
    let md = common::stdout(&common::hemicycle(
        home.path(),
        &["render", file.to_str().unwrap(), "--format", "md"],
    ));
    assert!(md.contains("We ask for these 1:"), "{md}");
    assert!(md.contains("And 1 more:"), "{md}");
}
