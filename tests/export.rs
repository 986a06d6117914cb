//! Export, checked by programs Hemicycle did not write: poppler and qpdf
//! for PDFs, LibreOffice for Word files, Python's `email` for .eml files.

#![allow(clippy::unwrap_used)]

mod common;

use common::{folded, libreoffice_text, note_starts, run};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use hemicycle::campaign::Campaign;
use hemicycle::compose::Composer;
use hemicycle::deliver::{self, ExportOptions, Format};
use hemicycle::directory::{Directory, Mep};
use hemicycle::letter::Letter;
use hemicycle::render::{docx, eml, pdf};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/ai-act-people-on-the-move.toml")
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn composer_with(edit: impl FnOnce(&mut Campaign)) -> Composer {
    let mut c = Campaign::load(&example()).unwrap();
    edit(&mut c);
    Composer::from_campaign(c, &example(), None).unwrap()
}

/// Zala Černilec Tomašič: a name with diacritics.
fn zala() -> Mep {
    Directory::bundled().unwrap().get("256814").unwrap().clone()
}

fn letter() -> Letter {
    composer_with(|_| {}).letter(&zala(), 0, today()).unwrap()
}

#[test]
fn pdf_is_tagged_titled_and_holds_the_name_and_every_note() {
    let letter = letter();
    let bytes = pdf::render(&letter, &pdf::PdfSettings::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("letter.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let file = file.to_str().unwrap();
    run("qpdf", &["--check", file]);
    let info = run("pdfinfo", &[file]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains(&format!("Title:           {}", letter.meta.subject)),
        "{info}"
    );
    assert!(info.contains("Page size:       595.276 x 841.89 pts (A4)"), "{info}");
    let text = folded(&run("pdftotext", &[file, "-"]));
    assert!(text.contains("Dear Zala Černilec Tomašič,"), "{text}");
    for (i, start) in note_starts(&letter, 6).iter().enumerate() {
        assert!(
            text.contains(start.as_str()),
            "note {} ({start}) missing from the PDF",
            i + 1
        );
    }
    assert!(text.contains("Ibid., art. 5(1)(d)."), "{text}");
    // Page numbers from page 2 on.
    let page2 = folded(&run("pdftotext", &["-f", "2", "-l", "2", file, "-"]));
    assert!(page2.ends_with(" 2"), "{page2}");
    let page1 = folded(&run("pdftotext", &["-f", "1", "-l", "1", file, "-"]));
    assert!(!page1.ends_with(" 1"), "page 1 has a number: {page1}");
}

#[test]
fn pdf_and_docx_are_deterministic() {
    let letter = letter();
    let settings = pdf::PdfSettings::default();
    assert!(pdf::render(&letter, &settings).unwrap() == pdf::render(&letter, &settings).unwrap());
    let first = docx::render(&letter).unwrap();
    // Another letter in between must not shift any id.
    let _ = docx::render(&composer_with(|_| {}).letter(&zala(), 3, today()).unwrap()).unwrap();
    assert!(first == docx::render(&letter).unwrap());
}

#[test]
fn us_letter_and_pdf_a_options() {
    let letter = letter();
    let settings = pdf::PdfSettings {
        paper: pdf::Paper::UsLetter,
        archival: true,
        logo: None,
    };
    let bytes = pdf::render(&letter, &settings).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let info = run("pdfinfo", &[file.to_str().unwrap()]);
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
    let meta = run("pdfinfo", &["-meta", file.to_str().unwrap()]);
    assert!(
        meta.contains("<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>"),
        "{meta}"
    );
    assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{meta}");
}

#[test]
fn user_text_appears_literally_in_pdf_and_docx() {
    let nasty = "Stichting #1 $5 *star* @home <b>[x]\\y";
    let letter = composer_with(|c| c.organisation.name = nasty.into())
        .letter(&zala(), 0, today())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pdf_file = dir.path().join("n.pdf");
    std::fs::write(&pdf_file, pdf::render(&letter, &pdf::PdfSettings::default()).unwrap()).unwrap();
    let text = folded(&run("pdftotext", &[pdf_file.to_str().unwrap(), "-"]));
    assert!(text.contains(nasty), "{text}");
    let docx_file = dir.path().join("n.docx");
    std::fs::write(&docx_file, docx::render(&letter).unwrap()).unwrap();
    let text = folded(&libreoffice_text(&docx_file, dir.path(), false));
    assert!(text.contains(nasty), "{text}");
}

#[test]
fn docx_has_real_footnotes_that_libreoffice_reads() {
    let letter = letter();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("letter.docx");
    let bytes = docx::render(&letter).unwrap();
    std::fs::write(&file, &bytes).unwrap();
    // The package: footnotes part with separators, styles defined.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let footnotes = part("word/footnotes.xml");
    assert!(footnotes.contains("w:type=\"separator\""), "no separator");
    assert!(
        footnotes.contains("w:type=\"continuationSeparator\""),
        "no continuation separator"
    );
    assert_eq!(footnotes.matches("<w:footnote ").count(), letter.notes.len() + 2);
    let styles = part("word/styles.xml");
    assert!(styles.contains("w:styleId=\"FootnoteReference\"") && styles.contains("w:styleId=\"FootnoteText\""));
    let document = part("word/document.xml");
    assert!(document.contains("w:footnoteReference"));
    // Every relationship a part uses is declared (Word refuses the file otherwise).
    let rels = part("word/_rels/document.xml.rels");
    for id in document.split("r:id=\"").skip(1).map(|s| s.split('"').next().unwrap()) {
        assert!(
            rels.contains(&format!("Id=\"{id}\"")),
            "document.xml uses undeclared {id}"
        );
    }
    assert!(
        !footnotes.contains("r:id="),
        "footnotes.xml uses relationships it has no file for"
    );
    let text = folded(&libreoffice_text(&file, dir.path(), false));
    assert!(text.contains("Dear Zala Černilec Tomašič,"), "{text}");
    for (i, start) in note_starts(&letter, 6).iter().enumerate() {
        assert!(
            text.contains(start.as_str()),
            "note {} ({start}) missing from LibreOffice's reading",
            i + 1
        );
    }
}

/// Python's `email` package reads the message: parts, charset, headers.
#[test]
fn eml_reads_back_with_python_email() {
    let letter = composer_with(|c| c.subjects = vec!["Vier verboden — één brief".into()])
        .letter(&zala(), 0, today())
        .unwrap();
    let pdf_bytes = pdf::render(&letter, &pdf::PdfSettings::default()).unwrap();
    let settings = eml::EmlSettings {
        from_name: "Åsa Exämple".into(),
        from_email: "letters@example.org".into(),
        reply_to: Some("replies@example.org".into()),
        draft: true,
        attachment: Some(("letter.pdf".into(), pdf_bytes.clone())),
        date: None,
    };
    let bytes = eml::render(
        &letter,
        "Zala Černilec Tomašič",
        "zala.tomasic@europarl.europa.eu",
        &settings,
    )
    .unwrap();
    assert_eq!(
        bytes,
        eml::render(
            &letter,
            "Zala Černilec Tomašič",
            "zala.tomasic@europarl.europa.eu",
            &settings
        )
        .unwrap()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.eml");
    std::fs::write(&file, &bytes).unwrap();
    let script = r"
import email, email.policy, sys, json
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
plain = m.get_body(('plain',))
html = m.get_body(('html',))
att = [p for p in m.iter_attachments()]
print(json.dumps({
  'from': str(m['From']), 'to': str(m['To']), 'subject': str(m['Subject']),
  'reply_to': str(m['Reply-To']), 'unsent': m['X-Unsent'], 'message_id': m['Message-ID'], 'date': m['Date'],
  'types': [p.get_content_type() for p in m.walk()],
  'plain_charset': plain.get_content_charset(), 'plain': plain.get_content(), 'html': html.get_content(),
  'attachments': [(a.get_filename(), a.get_content_type(), len(a.get_content())) for a in att],
}))
";
    let out = run("python3", &["-c", script, file.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["from"], "Åsa Exämple <letters@example.org>");
    assert_eq!(v["to"], "Zala Černilec Tomašič <zala.tomasic@europarl.europa.eu>");
    assert_eq!(v["subject"], "Vier verboden — één brief");
    assert_eq!(v["reply_to"], "replies@example.org");
    assert_eq!(v["unsent"], "1");
    assert_eq!(v["date"], "Mon, 23 Nov 2026 09:00:00 +0000");
    assert!(v["message_id"].as_str().unwrap().ends_with("@example.org>"));
    assert_eq!(
        v["types"],
        serde_json::json!([
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "application/pdf"
        ])
    );
    assert_eq!(v["plain_charset"], "utf-8");
    assert!(v["plain"].as_str().unwrap().contains("Dear Zala Černilec Tomašič,"));
    assert!(v["plain"].as_str().unwrap().contains("[2] Ibid., art. 5(1)(d)."));
    assert!(v["html"].as_str().unwrap().contains("<li id=\"fn36\">"));
    assert_eq!(
        v["attachments"][0],
        serde_json::json!(["letter.pdf", "application/pdf", pdf_bytes.len()])
    );
}

#[test]
fn an_invalid_address_is_refused_clearly() {
    let err = eml::render(
        &letter(),
        "Zala",
        "not an address",
        &eml::EmlSettings {
            from_name: "A".into(),
            from_email: "a@example.org".into(),
            ..Default::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "\"not an address\" is not a valid e-mail address for Zala; correct it and try again"
    );
}

fn options(out: &Path, formats: Vec<Format>) -> ExportOptions {
    ExportOptions {
        formats,
        out_dir: out.to_path_buf(),
        zip_name: None,
        pattern: deliver::names::DEFAULT_PATTERN.into(),
        combined_pdf: false,
        pdf: pdf::PdfSettings::default(),
        eml: eml::EmlSettings {
            from_name: "Alex Example".into(),
            from_email: "letters@example.org".into(),
            ..Default::default()
        },
        today: today(),
    }
}

fn some_meps(dir: &Directory) -> Vec<&Mep> {
    ["256814", "197870", "1294"]
        .iter()
        .map(|id| dir.get(id).unwrap())
        .collect()
}

#[test]
fn batch_export_writes_every_file_and_a_combined_pdf() {
    let composer = composer_with(|_| {});
    let dir = Directory::bundled().unwrap();
    let mut meps = some_meps(&dir);
    // An MEP without an address: the .eml fails, the rest is written.
    let mut no_mail = dir.get("124806").unwrap().clone();
    no_mail.email = None;
    meps.push(&no_mail);
    let out = tempfile::tempdir().unwrap();
    let mut opts = options(out.path(), vec![Format::Pdf, Format::Docx, Format::Eml, Format::Txt]);
    opts.combined_pdf = true;
    let seen = std::sync::Mutex::new(Vec::new());
    let report = deliver::export(
        &composer,
        &meps,
        &opts,
        &|p| seen.lock().unwrap().push(p.done),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(report.written.len(), 4 * 4 - 1 + 1, "{:?}", report.written);
    assert_eq!(report.failed.len(), 1);
    assert!(
        report.failed[0].2.contains("has no e-mail address"),
        "{:?}",
        report.failed
    );
    assert!(out.path().join("SI-Černilec Tomašič-256814.pdf").exists());
    assert!(out.path().join("NL-van Sparrentak-197870.docx").exists());
    assert_eq!(seen.lock().unwrap().iter().max(), Some(&16));
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    // The combined PDF has every letter; each starts on its own page.
    let combined = report
        .written
        .iter()
        .find(|p| p.to_string_lossy().contains("all-letters"))
        .unwrap();
    let pages: usize = run("pdfinfo", &[combined.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let single: usize = run("pdfinfo", &[out.path().join("BE-Di Rupo-1294.pdf").to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(
        pages >= 4 * single - 4 && pages >= 4,
        "{pages} pages for 4 letters of about {single}"
    );
    // Byte for byte the same when made again, with typst's cache warm and
    // the letters shared out to the threads anew. (Not in another order: a
    // letter's subject variant and reference follow its place in the list.)
    let again = tempfile::tempdir().unwrap();
    deliver::export(
        &composer,
        &meps,
        &options(again.path(), vec![Format::Pdf, Format::Docx]),
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    for name in [
        "SI-Černilec Tomašič-256814.pdf",
        "NL-van Sparrentak-197870.docx",
        "BE-Di Rupo-1294.pdf",
    ] {
        assert!(
            std::fs::read(out.path().join(name)).unwrap() == std::fs::read(again.path().join(name)).unwrap(),
            "{name} differs when made again"
        );
    }
}

#[test]
fn zip_export_and_cancel() {
    let composer = composer_with(|_| {});
    let dir = Directory::bundled().unwrap();
    let meps = some_meps(&dir);
    let out = tempfile::tempdir().unwrap();
    let mut opts = options(out.path(), vec![Format::Html, Format::Md]);
    opts.zip_name = Some("letters.zip".into());
    let report = deliver::export(&composer, &meps, &opts, &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(report.written, [out.path().join("letters.zip")]);
    let zip = zip::ZipArchive::new(std::fs::File::open(out.path().join("letters.zip")).unwrap()).unwrap();
    assert_eq!(zip.len(), 6);

    let cancel = AtomicBool::new(false);
    let out2 = tempfile::tempdir().unwrap();
    let mut opts = options(out2.path(), vec![Format::Html]);
    opts.zip_name = Some("letters.zip".into());
    let report = deliver::export(
        &composer,
        &meps,
        &opts,
        &|_| cancel.store(true, Ordering::Relaxed),
        &cancel,
    )
    .unwrap();
    assert!(report.cancelled);
    assert!(
        !out2.path().join("letters.zip").exists(),
        "a cancelled export left a ZIP"
    );
}

#[test]
fn a_folder_that_cannot_be_written_is_explained() {
    let composer = composer_with(|_| {});
    let dir = Directory::bundled().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let blocker = tmp.path().join("a-file");
    std::fs::write(&blocker, b"x").unwrap();
    let err = deliver::export(
        &composer,
        &some_meps(&dir),
        &options(&blocker.join("out"), vec![Format::Txt]),
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("could not create the export folder"), "{err}");
    assert!(err.contains("choose a folder you can write to"), "{err}");
}

#[test]
fn a_missing_logo_is_reported_and_the_letters_still_exported() {
    let composer = composer_with(|c| c.organisation.logo = Some("missing-logo.png".into()));
    let dir = Directory::bundled().unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = deliver::export(
        &composer,
        &some_meps(&dir)[..1],
        &options(out.path(), vec![Format::Pdf]),
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(report.written.len(), 1);
    assert!(
        report.warnings[0].starts_with("the logo could not be read"),
        "{:?}",
        report.warnings
    );
    assert!(
        report.warnings[0].contains("missing-logo.png") && report.warnings[0].ends_with("(the PDFs have none)"),
        "{:?}",
        report.warnings
    );
}

#[test]
fn cli_export_of_the_example_campaign() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("out");
    let result = common::hemicycle(
        home.path(),
        &[
            "export",
            example().to_str().unwrap(),
            "--format",
            "eml,txt",
            "--out",
            out.to_str().unwrap(),
            "--today",
            "2026-11-23",
        ],
    );
    assert!(result.status.success(), "{}", common::stderr(&result));
    let recipients = common::hemicycle(
        home.path(),
        &[
            "meps",
            "--committee",
            "LIBE,IMCO",
            "--role",
            "member,chair,vice-chair",
            "--count",
        ],
    );
    let n: usize = common::stdout(&recipients).trim().parse().unwrap();
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 2 * n);
    let bad = common::hemicycle(
        home.path(),
        &[
            "export",
            example().to_str().unwrap(),
            "--format",
            "odt",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        common::stderr(&bad).contains("\"odt\" is not a format; use pdf, docx, eml, html, md or txt"),
        "{}",
        common::stderr(&bad)
    );
}

/// `--attach-pdf` attaches each letter as a named PDF (it once attached an
/// empty, unnamed part), read back by Python's `email`.
#[test]
fn cli_export_attaches_each_letter_as_a_named_pdf() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("out");
    let result = common::hemicycle(
        home.path(),
        &[
            "export",
            example().to_str().unwrap(),
            "--format",
            "eml",
            "--attach-pdf",
            "--mep",
            "256814",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(result.status.success(), "{}", common::stderr(&result));
    let file = std::fs::read_dir(&out).unwrap().next().unwrap().unwrap().path();
    let script = r"
import email, email.policy, sys, json
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
print(json.dumps([(a.get_filename(), a.get_content_type(), a.get_content()[:5].decode('latin-1'), len(a.get_content())) for a in m.iter_attachments()]))
";
    let v: serde_json::Value = serde_json::from_str(&run("python3", &["-c", script, file.to_str().unwrap()])).unwrap();
    let att = &v[0];
    let name = std::path::Path::new(att[0].as_str().unwrap());
    assert_eq!(name.extension().and_then(|e| e.to_str()), Some("pdf"), "{v}");
    assert!(att[0].as_str().unwrap().len() > 4, "{v}");
    assert_eq!(att[1], "application/pdf");
    assert_eq!(att[2], "%PDF-");
    assert!(att[3].as_u64().unwrap() > 10_000, "{v}");
}
