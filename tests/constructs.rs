//! Every construct a letter can hold, in every format, read back by
//! readers Hemicycle did not write: `pdftotext` (poppler) for the PDF,
//! Python's zipfile and ElementTree and LibreOffice for the DOCX, Python's
//! `html.parser` for the HTML, Python's `email` for the .eml, a CommonMark
//! parser for the Markdown. The fixture (`tests/fixtures/constructs/`) uses
//! every block and inline kind of the letter IR, nested lists and lists in
//! demands as real letters have them; a test fails when the IR gains a kind
//! the fixture does not use.

#![allow(clippy::unwrap_used)]

mod common;

use common::{folded, libreoffice_text, note_starts, run};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use hemicycle::compose::Composer;
use hemicycle::directory::{Directory, Mep};
use hemicycle::letter::{self, Block, Inline, Letter};
use hemicycle::render::{self, docx, eml, pdf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs/campaign.toml")
}

fn kim() -> Mep {
    Directory::bundled().unwrap().get("197870").unwrap().clone()
}

fn letter() -> Letter {
    Composer::open(&fixture(), None)
        .unwrap()
        .letter(&kim(), 0, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .unwrap()
}

// ---------------------------------------------------------------------------
// The fixture covers the IR.

/// Every block kind. The match in `block_kind` has no wildcard: a new kind
/// does not compile until it is named here, and the test below then fails
/// until the fixture uses it.
const BLOCK_KINDS: &[&str] = &[
    "heading",
    "paragraph",
    "list",
    "quote",
    "signature",
    "signatory_list",
    "rule",
];
const INLINE_KINDS: &[&str] = &["text", "emph", "strong", "code", "link", "note_ref", "line_break"];

fn block_kind(b: &Block) -> &'static str {
    match b {
        Block::Heading { .. } => "heading",
        Block::Paragraph { .. } => "paragraph",
        Block::List { .. } => "list",
        Block::Quote { .. } => "quote",
        Block::Signature { .. } => "signature",
        Block::SignatoryList { .. } => "signatory_list",
        Block::Rule => "rule",
    }
}

fn inline_kind(i: &Inline) -> &'static str {
    match i {
        Inline::Text { .. } => "text",
        Inline::Emph { .. } => "emph",
        Inline::Strong { .. } => "strong",
        Inline::Code { .. } => "code",
        Inline::Link { .. } => "link",
        Inline::NoteRef { .. } => "note_ref",
        Inline::LineBreak => "line_break",
    }
}

fn walk_inlines(inlines: &[Inline], seen: &mut BTreeSet<&'static str>) {
    for i in inlines {
        seen.insert(inline_kind(i));
        if let Inline::Emph { children } | Inline::Strong { children } | Inline::Link { children, .. } = i {
            walk_inlines(children, seen);
        }
    }
}

fn walk_blocks(blocks: &[Block], seen: &mut BTreeSet<&'static str>, inlines: &mut BTreeSet<&'static str>) {
    for b in blocks {
        seen.insert(block_kind(b));
        match b {
            Block::Heading { inlines: i, .. } | Block::Paragraph { inlines: i } => walk_inlines(i, inlines),
            Block::List { items, .. } => items.iter().for_each(|item| walk_blocks(item, seen, inlines)),
            Block::Quote { blocks } => walk_blocks(blocks, seen, inlines),
            Block::Signature { .. } | Block::SignatoryList { .. } | Block::Rule => {}
        }
    }
}

#[test]
fn the_fixture_uses_every_kind_of_the_letter_ir() {
    let letter = letter();
    let (mut blocks, mut inlines) = (BTreeSet::new(), BTreeSet::new());
    walk_blocks(&letter.blocks, &mut blocks, &mut inlines);
    for note in &letter.notes {
        walk_inlines(&note.inlines, &mut inlines);
    }
    for (kinds, seen, what) in [(BLOCK_KINDS, &blocks, "block"), (INLINE_KINDS, &inlines, "inline")] {
        let known: BTreeSet<&str> = kinds.iter().copied().collect();
        let unnamed: Vec<_> = seen.difference(&known).collect();
        assert!(
            unnamed.is_empty(),
            "{what} kinds {unnamed:?} are new: name them in this test"
        );
        let unused: Vec<_> = known.difference(seen).collect();
        assert!(
            unused.is_empty(),
            "the fixture tests/fixtures/constructs/ has no {what} of kind {unused:?}: add one"
        );
    }
    // The shapes real letters have: a list that starts at 3, lists three
    // deep (bullet, numbered, bullet), a list inside a quote, headings of
    // three levels, lists in the demands.
    let outline = outline(&letter.blocks);
    for shape in [
        "list(ordered from 3)/item/paragraph: Numberedthree item",
        "list(bullets)/item/list(ordered from 1)/item/list(bullets)/item/paragraph: Innermostbullet",
        "quote/list(bullets)/item/paragraph: Quotedbullet item",
        "heading 1: Headingone",
        "heading 3: Headingthree",
        "list(bullets)/item/paragraph: Demandbulletone",
        "list(ordered from 1)/item/paragraph: Demandnumberedtwo",
    ] {
        assert!(
            outline.iter().any(|l| l.starts_with(shape)),
            "no {shape:?} in\n{}",
            outline.join("\n")
        );
    }
    assert_eq!(letter.notes.len(), 6, "{:?}", letter.notes);
}

/// One line per paragraph or heading: the path of containers and the text.
fn outline(blocks: &[Block]) -> Vec<String> {
    fn go(blocks: &[Block], path: &str, out: &mut Vec<String>) {
        for b in blocks {
            match b {
                Block::Heading { level, inlines } => {
                    out.push(format!("{path}heading {level}: {}", render::text::inlines(inlines)));
                }
                Block::Paragraph { inlines } => {
                    out.push(format!("{path}paragraph: {}", render::text::inlines(inlines)));
                }
                Block::List { ordered, start, items } => {
                    let kind = if *ordered {
                        format!("list(ordered from {start})")
                    } else {
                        "list(bullets)".to_owned()
                    };
                    for item in items {
                        go(item, &format!("{path}{kind}/item/"), out);
                    }
                }
                Block::Quote { blocks } => go(blocks, &format!("{path}quote/"), out),
                Block::Signature { name, .. } => out.push(format!("{path}signature: {name}")),
                Block::SignatoryList { groups } => {
                    for g in groups {
                        out.push(format!("{path}signatories {}: {}", g.heading, g.names.join("; ")));
                    }
                }
                Block::Rule => out.push(format!("{path}rule")),
            }
        }
    }
    let mut out = Vec::new();
    go(blocks, "", &mut out);
    out
}

// ---------------------------------------------------------------------------
// Helpers that run the readers.

fn reader(script: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/readers")
        .join(script)
        .to_str()
        .unwrap()
        .to_owned()
}

/// The line of `text` that contains `word`.
fn line_with<'t>(text: &'t str, word: &str) -> &'t str {
    text.lines()
        .find(|l| l.contains(word))
        .unwrap_or_else(|| panic!("no line with {word:?} in\n{text}"))
}

/// That `marker` ("•", "3.") stands before `word` on its line in what a
/// reader (`who`) extracted.
fn assert_marker(text: &str, word: &str, marker: &str, who: &str) {
    let line = line_with(text, word);
    let before = line[..line.find(word).unwrap()].trim();
    assert!(
        before.ends_with(marker),
        "{who}: {word:?}: {line:?} has no {marker:?} before it\n{text}"
    );
}

/// Where `word` starts on its line, in characters.
fn column_of(text: &str, word: &str) -> usize {
    let line = line_with(text, word);
    line[..line.find(word).unwrap()].chars().count()
}

// ---------------------------------------------------------------------------
// Each format.

#[test]
fn plain_text_keeps_markers_nesting_and_indents_when_wrapping() {
    let letter = letter();
    let text = render::text::render(&letter);
    for (word, line_start) in [
        ("Bulletalpha", "- Bulletalpha item"),
        ("Bulletbravo", "- Bulletbravo item"),
        ("Numberedthree", "3. Numberedthree item"),
        ("Numberedfour", "4. Numberedfour item"),
        ("Outerbullet item", "- Outerbullet item"),
        ("Innernumbered item", "  1. Innernumbered item"),
        ("Innermostbullet", "     - Innermostbullet item"),
        ("Innernumberedsecond", "  2. Innernumberedsecond item"),
        ("Loosefirst", "1. Loosefirst paragraph."),
        ("Loosesecond", "   Loosesecond paragraph"),
        ("Quotedparagraph", "> Quotedparagraph text"),
        ("Quotedbullet item", "> - Quotedbullet item"),
        ("Demandbulletone", "- Demandbulletone"),
        ("Demandnumberedtwo", "2. Demandnumberedtwo"),
        ("Headingone", "Headingone level one"),
        ("Linebreakword", "Linebreakword starts a line of its own."),
    ] {
        let line = line_with(&text, word);
        assert!(
            line.starts_with(line_start),
            "{line:?} should start with {line_start:?}\n{text}"
        );
    }
    // A wrapped item goes on under its text, not under its marker.
    let lines: Vec<&str> = text.lines().collect();
    for (word, indent) in [("Innermostbullet", 7), ("Bulletcharlie", 2)] {
        let at = lines.iter().position(|l| l.contains(word)).unwrap();
        let next = lines[at + 1];
        assert!(
            next.len() > indent && next[..indent].trim().is_empty() && !next[indent..].starts_with(' '),
            "the line after {word:?} should be indented by {indent}: {next:?}\n{text}"
        );
    }
    assert!(
        lines
            .iter()
            .all(|l| l.chars().count() <= render::text::WIDTH || !l.trim().contains(' ')),
        "a line is longer than {} characters:\n{text}",
        render::text::WIDTH
    );
    for (i, start) in note_starts(&letter, 4).iter().enumerate() {
        assert!(
            folded(&text).contains(&format!("[{}] {start}", i + 1)),
            "note {} missing:\n{text}",
            i + 1
        );
    }
    assert!(text.contains("(https://example.org/report)") || text.contains("<https://example.org/report>"));
}

#[test]
fn html_reads_back_with_every_list_quote_link_and_note() {
    let letter = letter();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("letter.html");
    std::fs::write(&file, render::html::render(&letter)).unwrap();
    let paths = run("python3", &[&reader("html_paths.py"), file.to_str().unwrap()]);
    let path_of = |word: &str| -> &str {
        paths
            .lines()
            .find(|l| l.split('\t').nth(1).is_some_and(|t| t.contains(word)))
            .unwrap_or_else(|| panic!("no text {word:?} in\n{paths}"))
            .split('\t')
            .next()
            .unwrap()
    };
    for (word, ends) in [
        ("Bulletalpha", "/ul/li"),
        ("Numberedthree", "/ol[start=3]/li"),
        ("Innermostbullet", "/ul/li/ol/li/ul/li"),
        ("Loosesecond", "/ol/li/p"),
        ("Quotedparagraph", "/blockquote/p"),
        ("Quotedbullet item", "/blockquote/ul/li"),
        ("Demandbulletone", "/ul/li"),
        ("Demandnumberedtwo", "/ol/li"),
        ("emphasisword", "/em"),
        ("strongword", "/strong"),
        ("codeword", "/code"),
        ("linkword", "/a[href=https://example.org/report]"),
        ("notelinkword", "/a[href=https://example.org/noted]"),
        ("Headingone", "/h2"),
        ("Headingthree", "/h4"),
    ] {
        let path = path_of(word);
        assert!(path.ends_with(ends), "{word:?} is in {path}, not in …{ends}");
    }
    assert!(paths.contains("<br>"), "the hard line break is lost");
    assert!(
        paths.lines().any(|l| l.contains("/hr")) || render::html::render(&letter).contains("<hr>"),
        "the rule is lost"
    );
    let html = render::html::render(&letter);
    for n in 1..=letter.notes.len() {
        assert!(html.contains(&format!("<li id=\"fn{n}\">")), "note {n} missing");
        assert!(html.contains(&format!("href=\"#fn{n}\"")), "marker {n} missing");
    }
}

#[test]
fn markdown_reads_back_as_the_same_letter() {
    let letter = letter();
    let md = render::markdown::render(&letter);
    let signing = letter::build::Signing::default();
    let again = letter::build_with(&md, letter.meta.clone(), &signing, &|uses| {
        Ok(vec![Vec::new(); uses.len()])
    })
    .unwrap();
    // The body up to the signature, which Markdown writes as plain lines.
    let body = |l: &Letter| -> Vec<String> {
        outline(&l.blocks)
            .into_iter()
            .skip_while(|l| !l.contains("Headingone"))
            .take_while(|l| !l.starts_with("paragraph: Yours sincerely"))
            .map(|l| folded(&l))
            .collect()
    };
    let (want, got) = (body(&letter), body(&again));
    assert!(!want.is_empty());
    assert_eq!(got, want, "Markdown:\n{md}");
    assert_eq!(again.notes.len(), letter.notes.len(), "Markdown:\n{md}");
    for (a, b) in letter.notes.iter().zip(&again.notes) {
        assert_eq!(
            folded(&render::text::inlines(&b.inlines)),
            folded(&render::text::inlines(&a.inlines))
        );
    }
}

#[test]
fn pdf_lays_out_every_list_and_note() {
    let letter = letter();
    let bytes = pdf::render(&letter, &pdf::PdfSettings::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("letter.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let file = file.to_str().unwrap();
    let text = run("pdftotext", &["-layout", file, "-"]);
    for (word, marker) in [
        ("Bulletalpha", "•"),
        ("Bulletbravo", "•"),
        ("Bulletcharlie", "•"),
        ("Numberedthree", "3."),
        ("Numberedfour", "4."),
        ("Outerbullet item", "•"),
        ("Innernumbered item", "1."),
        ("Innermostbullet", "‣"),
        ("Loosefirst", "1."),
        ("Loosethird", "2."),
        ("Quotedbullet item", "•"),
        ("Demandbulletone", "•"),
        ("Demandnumberedtwo", "2."),
    ] {
        assert_marker(&text, word, marker, "PDF");
    }
    // Nesting is shown by the indent.
    let (outer, inner, innermost) = (
        column_of(&text, "Outerbullet item"),
        column_of(&text, "Innernumbered item"),
        column_of(&text, "Innermostbullet"),
    );
    assert!(
        outer < inner && inner < innermost,
        "{outer} {inner} {innermost}\n{text}"
    );
    let flat = folded(&text);
    for word in [
        "Headingone",
        "Headingtwo",
        "Headingthree",
        "emphasisword",
        "strongword",
        "codeword",
        "linkword",
        "Linebreakword",
        "Quotedparagraph",
        "Loosesecond",
        "Alex Example",
        "Zeta Rights",
        "Alpha Digital",
    ] {
        assert!(flat.contains(word), "{word} missing from the PDF\n{text}");
    }
    for (i, start) in note_starts(&letter, 4).iter().enumerate() {
        // The note's number is a superscript that pdftotext may join to the text.
        let n = i + 1;
        assert!(
            flat.contains(&format!("{n} {start}")) || flat.contains(&format!("{n}{start}")),
            "note {n} ({start}) missing\n{text}"
        );
    }
    run("qpdf", &["--check", file]);
}

/// `(list format, start, left indent, text)` for each paragraph of a .docx,
/// as Python's zipfile and ElementTree read it.
fn docx_paragraphs(file: &Path) -> Vec<(String, String, i64, String)> {
    run("python3", &[&reader("docx_paragraphs.py"), file.to_str().unwrap()])
        .lines()
        .map(|l| {
            let mut f = l.splitn(4, '\t');
            let (fmt, start, indent, text) = (
                f.next().unwrap(),
                f.next().unwrap(),
                f.next().unwrap(),
                f.next().unwrap_or(""),
            );
            (
                fmt.to_owned(),
                start.to_owned(),
                indent.parse().unwrap_or(0),
                text.to_owned(),
            )
        })
        .collect()
}

#[test]
fn docx_bullets_are_bullets_and_numbers_are_numbers() {
    let letter = letter();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("letter.docx");
    std::fs::write(&file, docx::render(&letter).unwrap()).unwrap();
    let paragraphs = docx_paragraphs(&file);
    let find = |word: &str| {
        paragraphs
            .iter()
            .find(|p| p.0 != "note" && p.3.contains(word))
            .unwrap_or_else(|| panic!("no paragraph with {word:?}: {paragraphs:#?}"))
    };
    for (word, fmt, start) in [
        ("Bulletalpha", "bullet", None),
        ("Bulletcharlie", "bullet", None),
        ("Numberedthree", "decimal", Some("3")),
        ("Outerbullet item", "bullet", None),
        ("Innernumbered item", "decimal", Some("1")),
        ("Innermostbullet", "bullet", None),
        ("Loosefirst", "decimal", Some("1")),
        ("Quotedbullet item", "bullet", None),
        ("Demandbulletone", "bullet", None),
        ("Demandnumberedone", "decimal", Some("1")),
    ] {
        let p = find(word);
        assert_eq!(p.0, fmt, "{word:?}: {p:?}");
        if let Some(start) = start {
            assert_eq!(p.1, start, "{word:?}: {p:?}");
        }
    }
    let (outer, inner, innermost) = (
        find("Outerbullet item").2,
        find("Innernumbered").2,
        find("Innermostbullet").2,
    );
    assert!(outer < inner && inner < innermost, "{outer} {inner} {innermost}");
    assert!(find("Quotedparagraph").2 > 0, "the quote is not indented");
    assert_eq!(
        find("Loosesecond").0,
        "-",
        "a list item's second paragraph has no marker of its own"
    );
    let notes: Vec<_> = paragraphs.iter().filter(|p| p.0 == "note").collect();
    assert_eq!(notes.len(), letter.notes.len());

    // LibreOffice shows the bullets as bullets.
    let text = libreoffice_text(&file, dir.path(), true);
    for (word, marker) in [
        ("Bulletalpha", "•"),
        ("Numberedthree", "3."),
        ("Innermostbullet", "•"),
        ("Demandbulletone", "•"),
        ("Demandnumberedtwo", "2."),
    ] {
        assert_marker(&text, word, marker, "LibreOffice");
    }
    let flat = folded(&text);
    for start in note_starts(&letter, 4) {
        assert!(flat.contains(&start), "LibreOffice lost the note {start:?}");
    }
}

#[test]
fn eml_parts_carry_the_same_letter() {
    let letter = letter();
    let settings = eml::EmlSettings {
        from_name: "Test Foundation".into(),
        from_email: "letters@example.org".into(),
        reply_to: None,
        draft: false,
        attachment: None,
        date: None,
    };
    let bytes = eml::render(&letter, "Kim van Sparrentak", "kim@parliament.test", &settings).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.eml");
    std::fs::write(&file, &bytes).unwrap();
    let script = r"
import email, email.policy, sys, json
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
print(json.dumps({'plain': m.get_body(('plain',)).get_content(), 'html': m.get_body(('html',)).get_content()}))
";
    let out = run("python3", &["-c", script, file.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let plain = v["plain"].as_str().unwrap().replace("\r\n", "\n");
    assert_eq!(plain.trim_end(), render::text::render(&letter).trim_end());
    let html_file = dir.path().join("part.html");
    std::fs::write(&html_file, v["html"].as_str().unwrap()).unwrap();
    let paths = run("python3", &[&reader("html_paths.py"), html_file.to_str().unwrap()]);
    for (word, ends) in [
        ("Innermostbullet", "/ul/li/ol/li/ul/li"),
        ("Numberedthree", "/ol[start=3]/li"),
        ("Demandbulletone", "/ul/li"),
    ] {
        assert!(
            paths
                .lines()
                .any(|l| l.contains(word) && l.split('\t').next().unwrap().ends_with(ends)),
            "{word} not in …{ends}:\n{paths}"
        );
    }
}

// ---------------------------------------------------------------------------
// The bundled genres, which have lists of their own.

#[test]
fn every_bundled_genre_makes_a_pdf_and_a_docx_with_its_lists() {
    let campaign = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/letters/campaign.toml");
    let dir = tempfile::tempdir().unwrap();
    for genre in ["personal-letter", "open-letter", "joint-letter", "press-statement"] {
        let mut c = hemicycle::campaign::Campaign::load(&campaign).unwrap();
        c.template = genre.into();
        if genre == "press-statement" {
            c.recipients.address_mep = false;
            c.recipients.cc.clear();
        }
        let letter = Composer::from_campaign(c, &campaign, None)
            .unwrap()
            .letter(&kim(), 0, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
            .unwrap();
        let pdf_bytes = pdf::render(&letter, &pdf::PdfSettings::default()).unwrap_or_else(|e| panic!("{genre}: {e}"));
        let pdf_file = dir.path().join(format!("{genre}.pdf"));
        std::fs::write(&pdf_file, pdf_bytes).unwrap();
        let text = folded(&run("pdftotext", &[pdf_file.to_str().unwrap(), "-"]));
        let docx_file = dir.path().join(format!("{genre}.docx"));
        std::fs::write(&docx_file, docx::render(&letter).unwrap()).unwrap();
        let paragraphs = docx_paragraphs(&docx_file);
        let items = list_items(&letter.blocks);
        for (ordered, item) in &items {
            let first: String = item.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
            assert!(text.contains(&first), "{genre}: {first:?} missing from the PDF\n{text}");
            let p = paragraphs
                .iter()
                .find(|p| folded(&p.3).contains(&first))
                .unwrap_or_else(|| panic!("{genre}: {first:?} missing from the DOCX"));
            assert_eq!(p.0, if *ordered { "decimal" } else { "bullet" }, "{genre}: {p:?}");
        }
        if genre == "personal-letter" {
            assert!(items.iter().any(|(o, _)| !o), "{genre} should have a bulleted list");
        }
    }
}

/// Each list item's first paragraph, with whether its list is numbered.
fn list_items(blocks: &[Block]) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::List { ordered, items, .. } => {
                for item in items {
                    if let Some(Block::Paragraph { inlines }) = item.first() {
                        out.push((*ordered, folded(&letter::plain_text(inlines))));
                    }
                    out.extend(list_items(item));
                }
            }
            Block::Quote { blocks } => out.extend(list_items(blocks)),
            _ => {}
        }
    }
    out
}

/// Text pasted from elsewhere: Word's manual line break (U+000B), a form
/// feed, ESC and NUL, and a letter that mentions a relationship id. The
/// DOCX stays well-formed XML (Python's parser reads it), the words stay
/// apart, and the text keeps "rIdHyperlink42" as written while the real
/// link still works.
#[test]
fn docx_with_control_characters_and_relationship_ids_in_the_text() {
    let mut letter = letter();
    letter.blocks.insert(
        0,
        Block::Paragraph {
            inlines: vec![
                Inline::text(
                    "Pastedline\u{B}nextline, form\u{C}feed, esc\u{1b}[31mape, nul\u{0}byte, see rIdHyperlink42 and ",
                ),
                Inline::Link {
                    url: "https://example.org/real".into(),
                    children: vec![Inline::text("a real link")],
                },
            ],
        },
    );
    letter.meta.sender.name = "Test\u{1b} Foundation".into();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("letter.docx");
    std::fs::write(&file, docx::render(&letter).unwrap()).unwrap();
    let paragraphs = docx_paragraphs(&file);
    let text = paragraphs.iter().map(|p| p.3.as_str()).collect::<Vec<_>>().join("\n");
    assert!(text.contains("Pastedline nextline, form feed"), "{text}");
    assert!(text.contains("see rIdHyperlink42 and a real link"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{0}'));
    // The link's relationship is declared and points where it should.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    let mut rels = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/_rels/document.xml.rels").unwrap(), &mut rels).unwrap();
    assert!(rels.contains("https://example.org/real"), "{rels}");
}

/// How deep quotes and lists nest.
fn depth(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .map(|b| match b {
            Block::Quote { blocks } => 1 + depth(blocks),
            Block::List { items, .. } => 1 + items.iter().map(|i| depth(i)).max().unwrap_or(0),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

/// Nesting no letter needs, from a shared campaign file: 700 quotes, a
/// list 27 deep (exponential in the text renderer once), 20,000 inline
/// notes in one another, 5,000 nested emphases. The letter is built with
/// the nesting cut at a sane depth, and every format is made without
/// running out of stack (an abort, which no test could catch, would fail
/// the whole test binary).
#[test]
fn hostile_nesting_is_cut_and_every_format_is_made() {
    let quotes = format!("{}deep quote", "> ".repeat(700));
    let mut list = String::new();
    for i in 0..27 {
        list.push_str(&"  ".repeat(i));
        list.push_str(&format!("- level {i}\n"));
    }
    let notes = format!("Text{}innermost{}", "^[".repeat(20_000), "]".repeat(20_000));
    let emphasis = format!("{}core{}", "*_".repeat(2_500), "_*".repeat(2_500));
    let markdown = format!("{quotes}\n\n{list}\n{notes}\n\n{emphasis}\n");
    let letter = letter::build_with(&markdown, letter().meta, &letter::build::Signing::default(), &|uses| {
        Ok(vec![Vec::new(); uses.len()])
    })
    .unwrap();
    assert!(
        depth(&letter.blocks) <= letter::build::MAX_NESTING,
        "{}",
        depth(&letter.blocks)
    );
    let text = render::text::render(&letter);
    assert!(
        text.contains("deep quote") && text.contains("level 26") && text.contains("core"),
        "{text}"
    );
    assert!(render::html::render(&letter).contains("level 26"));
    assert!(render::markdown::render(&letter).contains("level 26"));
    docx::render(&letter).unwrap();
    pdf::render(&letter, &pdf::PdfSettings::default()).unwrap();
}

/// An emoji or a CJK character, which no bundled font has, is named with
/// where it is instead of failing the PDF with typst's "the text could not
/// be displayed"; control characters pasted into the text are left out and
/// the PDF is made.
#[test]
fn pdf_names_characters_its_fonts_lack_and_drops_control_characters() {
    let mut emoji = letter();
    emoji.blocks.push(Block::Paragraph {
        inlines: vec![Inline::text("We are happy to help 😀 with this, 漢字 too.")],
    });
    let err = pdf::render(&emoji, &pdf::PdfSettings::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("“😀” (U+1F600)") && err.contains("(U+6F22)"), "{err}");
    assert!(err.contains("in the text") && err.contains("happy to help"), "{err}");

    let mut pasted = letter();
    pasted.blocks.push(Block::Paragraph {
        inlines: vec![Inline::text("Pasted\u{1b}[0m text with a nul\u{0} and a tab\u{B}here.")],
    });
    pasted.meta.subject = "Subject\u{7} with a bell".into();
    let bytes = pdf::render(&pasted, &pdf::PdfSettings::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.pdf");
    std::fs::write(&file, bytes).unwrap();
    let text = folded(&run("pdftotext", &[file.to_str().unwrap(), "-"]));
    assert!(text.contains("Pasted[0m text with a nul and a tab here."), "{text}");
    assert!(text.contains("Subject with a bell"), "{text}");
}

// ---------------------------------------------------------------------------
// Page breaks in the PDF.

/// Words of varied lengths, so that line ends fall differently in each
/// paragraph.
const WORDS: &[&str] = &[
    "the",
    "Parliament",
    "should",
    "ensure",
    "that",
    "people",
    "on",
    "the",
    "move",
    "are",
    "protected",
    "from",
    "systems",
    "which",
    "profile",
    "them",
    "by",
    "nationality",
    "or",
    "assess",
    "risk",
    "and",
    "we",
    "ask",
    "you",
    "to",
    "support",
    "amendments",
    "in",
    "committee",
];

const PARAGRAPHS: usize = 16;
/// Letters, each with half a line more in its first paragraph.
const SHIFTS: usize = 24;

/// A letter of `PARAGRAPHS` paragraphs whose first and last words are markers
/// (`Qa01` … `Za01`), with `shift` half-lines more in the first one and two lines more in the
/// last, so that
/// across shifts each page break falls on a different line of a paragraph.
fn paged_letter(base: &Letter, shift: usize) -> Letter {
    let mut letter = base.clone();
    let mut blocks = Vec::new();
    for k in 1..=PARAGRAPHS {
        let length = 40
            + (k * 23) % 70
            + match k {
                1 => shift * 6,
                PARAGRAPHS => shift * 20,
                _ => 0,
            };
        let words: Vec<&str> = (0..length).map(|w| WORDS[(w * 7 + k) % WORDS.len()]).collect();
        let text = format!("Qa{k:02} {} Za{k:02}.", words.join(" "));
        blocks.push(Block::Paragraph {
            inlines: vec![Inline::text(text)],
        });
    }
    blocks.push(Block::Paragraph {
        inlines: vec![Inline::text("Yours sincerely,")],
    });
    blocks.push(Block::Signature {
        name: "Signa Turename".into(),
        role: "Director".into(),
        organisation: String::new(),
    });
    letter.blocks = blocks;
    letter.notes.clear();
    letter
}

/// The PDF of `letter` written to `file`, read back by pdftotext: the lines
/// of each page, without blank lines and the page number in the footer.
fn pdf_pages(letter: &Letter, file: &Path) -> Vec<Vec<String>> {
    std::fs::write(file, pdf::render(letter, &pdf::PdfSettings::default()).unwrap()).unwrap();
    let text = run("pdftotext", &[file.to_str().unwrap(), "-"]);
    text.split('\u{c}')
        .map(|page| {
            page.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.chars().all(|c| c.is_ascii_digit()))
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// The page (from 0) and line of every line holding `needle`.
fn find_line(pages: &[Vec<String>], needle: &str) -> (usize, usize) {
    for (p, lines) in pages.iter().enumerate() {
        if let Some(l) = lines.iter().position(|line| line.contains(needle)) {
            return (p, l);
        }
    }
    panic!("{needle} is not in the PDF's text: {pages:#?}")
}

/// No paragraph leaves one line alone at the foot of a page (an orphan) or
/// at the head of the next (a widow), and the closing formula stays on the
/// page of the signature; over 24 letters whose breaks fall on every line
/// of a paragraph. Read back by pdftotext, page by page.
#[test]
fn pdf_page_breaks_leave_no_widow_or_orphan_and_keep_the_closing_with_the_signature() {
    let dir = tempfile::tempdir().unwrap();
    let base = letter();
    let mut splits = 0;
    for shift in 0..SHIFTS {
        let letter = paged_letter(&base, shift);
        let pages = pdf_pages(&letter, &dir.path().join(format!("paged-{shift}.pdf")));
        for k in 1..=PARAGRAPHS {
            let (start_page, start_line) = find_line(&pages, &format!("Qa{k:02}"));
            let (end_page, end_line) = find_line(&pages, &format!("Za{k:02}"));
            if start_page == end_page {
                continue;
            }
            splits += 1;
            assert_eq!(end_page, start_page + 1, "letter {shift}, paragraph {k}");
            let on_first = pages[start_page].len() - start_line;
            let on_next = end_line + 1;
            assert!(
                on_first >= 2 && on_next >= 2,
                "letter {shift}: paragraph {k} is split {on_first} line(s) / {on_next} line(s) over pages {} and {}",
                start_page + 1,
                end_page + 1
            );
        }
        assert_eq!(
            find_line(&pages, "Yours sincerely,").0,
            find_line(&pages, "Signa Turename").0,
            "letter {shift}: the closing is on another page than the signature"
        );
    }
    // The fixture did split paragraphs over pages: otherwise it checks nothing.
    assert!(splits >= 12, "only {splits} paragraphs were split over pages");
}

/// The closing formula and the signature never stand alone on a last page:
/// over letters whose last paragraph grows line by line past the foot of
/// the page, the closing always has body text above it on its page (a
/// letter that would leave it alone is laid out tighter), and the signature
/// is never the first thing on a page.
#[test]
fn pdf_closing_and_signature_never_stand_alone_on_the_last_page() {
    let dir = tempfile::tempdir().unwrap();
    let base = letter();
    let mut body_ends = BTreeSet::new();
    // Past `SHIFTS`, the last paragraph itself runs onto the next page.
    for shift in 0..SHIFTS + 8 {
        let letter = paged_letter(&base, shift);
        let pages = pdf_pages(&letter, &dir.path().join(format!("closing-{shift}.pdf")));
        let (closing_page, closing_line) = find_line(&pages, "Yours sincerely,");
        let (signature_page, signature_line) = find_line(&pages, "Signa Turename");
        assert!(
            closing_line > 0,
            "letter {shift}: the closing starts page {} alone: {:?}",
            closing_page + 1,
            pages[closing_page]
        );
        assert!(
            signature_line > 0,
            "letter {shift}: the signature starts page {}",
            signature_page + 1
        );
        body_ends.insert(find_line(&pages, &format!("Za{PARAGRAPHS:02}")).0);
    }
    // The body did grow past the foot of a page: otherwise this checks nothing.
    assert!(body_ends.len() >= 2, "every letter's body ends on page {body_ends:?}");
}

/// The page view's pages are the PDF's: as many, of the paper's size; and
/// a second render after a change near the end draws again only the pages
/// that changed, the caller keeping the others.
#[test]
fn the_page_view_draws_the_pdfs_pages_and_only_those_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    let base = letter();
    let letter = paged_letter(&base, 3);
    let in_pdf = pdf_pages(&letter, &dir.path().join("pages.pdf"));
    let settings = pdf::PdfSettings::default();
    let pages = render::pages::draw(&letter, &settings, 1.5, &[]).unwrap();
    // pdftotext ends the last page with a form feed too.
    assert_eq!(pages.images.len(), in_pdf.len() - 1);
    assert_eq!(pages.fingerprints.len(), pages.images.len());
    for (image, (w, h)) in pages.images.iter().zip(&pages.sizes_pt) {
        let image = image.as_ref().expect("every page drawn the first time");
        // A4: 595 × 842 points, drawn at 1.5 pixels a point.
        assert!((w - 595.3).abs() < 0.5 && (h - 841.9).abs() < 0.5, "{w} × {h}");
        assert_eq!((image.width, image.height), (893, 1263));
        // Not a blank page: some pixels are ink.
        assert!(image.rgba.chunks(4).any(|px| px[0] < 128), "a blank page");
    }
    let mut changed = letter.clone();
    let last = changed.blocks.len() - 3;
    changed.blocks[last] = Block::Paragraph {
        inlines: vec![Inline::text("A shorter last paragraph.")],
    };
    let again = render::pages::draw(&changed, &settings, 1.5, &pages.fingerprints).unwrap();
    assert_eq!(again.fingerprints[0], pages.fingerprints[0]);
    assert!(
        again.images[0].is_none(),
        "the first page did not change but was drawn again"
    );
    assert!(
        again.images.iter().any(Option::is_some),
        "the changed page was not drawn again"
    );
    // At another scale every page is drawn again.
    let zoomed = render::pages::draw(&changed, &settings, 2.0, &again.fingerprints).unwrap();
    assert!(zoomed.images.iter().all(Option::is_some));
}

/// A logo that is no picture stops the PDF and the page view with a
/// message that names the logo, not typst's internals.
#[test]
fn a_broken_logo_is_named_in_plain_words() {
    let settings = pdf::PdfSettings {
        logo: Some(b"this is not a picture".to_vec()),
        ..pdf::PdfSettings::default()
    };
    let err = render::pages::draw(&letter(), &settings, 1.0, &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("logo"), "{err}");
    assert!(err.contains("PNG, JPEG, GIF or SVG"), "{err}");
    let err = pdf::render(&letter(), &settings).unwrap_err().to_string();
    assert!(err.contains("logo"), "{err}");
}
