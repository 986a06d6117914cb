//! The CSL processor test suite (the fixtures every CSL processor runs:
//! citeproc-js, citeproc-rs, Pandoc's citeproc, hayagriva) through the
//! vendored hayagriva, as hayagriva's own runner (`tests/citeproc.rs` of
//! typst/hayagriva) runs it: the same fixtures tested, the same skipped (a
//! feature the runner cannot pass to the processor: CITATIONS sequences,
//! prefixes and suffixes, BIBENTRIES, date ranges, HTML in the input or in a
//! citation's RESULT), the same normalisation of RESULT (`&#38;` → `&`, the
//! bibliography's indentation removed), the same HTML rendering of a
//! bibliography, CSL-JSON items as Hemicycle holds them
//! (`citationberg::json::Item`, see src/cite/library.rs).
//!
//! The fixtures are read from `../shared/csl-test-suite/processor-tests/humans`
//! beside the checkout (or the folder named by HEMICYCLE_CSL_SUITE); they are
//! not copied into the repository. Without them the test says so and passes,
//! except under `CI=true`, where it fails.
//!
//! `tests/csl-suite-pass.txt` lists the fixtures that pass. The test fails
//! when a listed fixture fails (a regression) and when an unlisted one passes
//! (the list is out of date: it prints the names to add). Run it with
//! HEMICYCLE_CSL_SUITE_WRITE=1 to rewrite the list from the run.
//!
//! This file uses only `hayagriva` and `serde_json`, so that the same runner
//! can be compiled against the unpatched crate from crates.io: see
//! `UPSTREAM_PASSED`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use hayagriva::citationberg::json as csl_json;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{Locale, Style};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest, CitePurpose,
    LocatorPayload, SpecificLocator,
};

/// Fixtures passed by hayagriva 0.10.1 as published on crates.io (no
/// Hemicycle patch), measured with this same runner compiled against the
/// registry's crate in a scratch project outside the repository, on the
/// suite of `../shared/csl-test-suite/SOURCE.md` (commit 13724f99).
const UPSTREAM_PASSED: usize = 521;

/// Left out by name, as hayagriva's runner leaves them out: the XML parser
/// cannot read their CSL (quick-xml issue 674), or they need a plugin.
const LEFT_OUT: &[&str] = &[
    "flipflop_ApostropheInsideTag",
    "bugreports_SelfLink",
    "bugreports_SingleQuoteXml",
    "position_NearNoteWithPlugin",
];

/// A line on the test run's standard error that shows when the test passes
/// too (the harness keeps back `println!`, not writes to the handle): the
/// figures and a skip.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

fn suite_dir() -> PathBuf {
    std::env::var_os("HEMICYCLE_CSL_SUITE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/csl-test-suite"),
        PathBuf::from,
    )
}

fn pass_list_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/csl-suite-pass.txt")
}

/// What one fixture gave.
enum Verdict {
    Passed,
    Failed { expected: String, got: String },
    Skipped(&'static str),
}

/// The sections of one fixture, by name (MODE, CSL, INPUT, RESULT, …).
fn sections(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let mut open: Option<(String, String)> = None;
    // Some fixtures start with a byte order mark.
    for (n, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let t = line.trim();
        let name = || t.trim_matches(|c: char| c == '=' || c == '>' || c == '<' || c.is_whitespace());
        match &mut open {
            None if t.starts_with(">>=") => open = Some((name().to_owned(), String::new())),
            None => {}
            Some((section, content)) if t.starts_with("<<=") => {
                if name() != section {
                    return Err(format!("line {}: {} closes {section}", n + 1, name()));
                }
                out.insert(std::mem::take(section), std::mem::take(content));
                open = None;
            }
            Some((_, content)) => {
                content.push_str(line);
                content.push('\n');
            }
        }
    }
    match open {
        Some((section, _)) => Err(format!("section {section} is not closed")),
        None => Ok(out),
    }
}

/// One citation of a fixture: its items and the note it is in (none: in
/// the text).
struct Cite {
    items: Vec<csl_json::CitationItem>,
    note: Option<usize>,
}

/// One fixture, parsed.
struct Fixture {
    mode: String,
    result: String,
    style: Style,
    input: Vec<csl_json::Item>,
    /// None: one citation of every item.
    cites: Option<Vec<Cite>>,
    /// BIBENTRIES or BIBSECTION (a bibliography of chosen entries).
    selected_entries: bool,
    /// CITATIONS whose citations are not added in reading order.
    out_of_order: bool,
}

/// CITATION-ITEMS: one citation per note, as Hemicycle puts each citation
/// in a note of its own.
fn citation_items(text: &str) -> Result<Vec<Cite>, String> {
    let list: Vec<Vec<csl_json::CitationItem>> =
        serde_json::from_str(text).map_err(|e| format!("CITATION-ITEMS: {e}"))?;
    Ok(list
        .into_iter()
        .enumerate()
        .map(|(i, items)| Cite {
            items,
            note: Some(i + 1),
        })
        .collect())
}

/// CITATIONS: `[citation, citations before, citations after]` as given to
/// citeproc-js's processCitationCluster, each citation with its note
/// (`noteIndex`, 0 for the text); and whether each is added after all the
/// ones before it.
fn citations(text: &str) -> Result<(Vec<Cite>, bool), String> {
    let list: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|e| format!("CITATIONS: {e}"))?;
    let mut out = Vec::new();
    let mut in_order = true;
    for (i, entry) in list.iter().enumerate() {
        let citation = &entry[0];
        let items = serde_json::from_value(citation["citationItems"].clone())
            .map_err(|e| format!("CITATIONS, citation {}: {e}", i + 1))?;
        let note = citation["properties"]["noteIndex"].as_u64().unwrap_or(0);
        in_order &=
            entry[1].as_array().is_some_and(|pre| pre.len() == i) && entry[2].as_array().is_none_or(Vec::is_empty);
        out.push(Cite {
            items,
            note: usize::try_from(note).ok().filter(|n| *n > 0),
        });
    }
    Ok((out, !in_order))
}

/// RESULT of a CITATIONS fixture: each citation on a line after `..[n] ` or
/// `>>[n] ` (whether citeproc-js wrote it again at the last step); the
/// citations' final texts are compared.
fn without_markers(result: &str) -> String {
    result
        .lines()
        .map(|l| match l.find("] ") {
            Some(end) if l.starts_with("..[") || l.starts_with(">>[") => &l[end + 2..],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse(text: &str) -> Result<Fixture, String> {
    let s = sections(text)?;
    let get = |name: &str| s.get(name).ok_or_else(|| format!("no {name} section"));
    let (cites, out_of_order) = match (s.get("CITATIONS"), s.get("CITATION-ITEMS")) {
        (Some(text), _) => citations(text).map(|(c, o)| (Some(c), o))?,
        (None, Some(text)) => (Some(citation_items(text)?), false),
        (None, None) => (None, false),
    };
    let mut result = get("RESULT")?
        .replace("&#38;", "&")
        .replace("\r\n", "\n")
        .trim()
        .to_owned();
    if s.contains_key("CITATIONS") {
        result = without_markers(&result);
    }
    Ok(Fixture {
        mode: get("MODE")?.trim().to_owned(),
        result,
        style: Style::from_xml(get("CSL")?).map_err(|e| format!("CSL: {e}"))?,
        input: serde_json::from_str(get("INPUT")?).map_err(|e| format!("INPUT: {e}"))?,
        cites,
        selected_entries: s.contains_key("BIBENTRIES") || s.contains_key("BIBSECTION"),
        out_of_order,
    })
}

/// Why hayagriva's runner does not test this fixture, if it does not.
fn skip_reason(f: &Fixture) -> Option<&'static str> {
    let items = || f.cites.iter().flatten().flat_map(|c| &c.items);
    let affixed = items().any(|i| i.prefix.is_some() || i.suffix.is_some());
    let date_range = f
        .input
        .iter()
        .flat_map(|i| i.0.values())
        .filter_map(|v| match v {
            csl_json::Value::Date(d) => Some(d),
            _ => None,
        })
        .any(|d| csl_json::FixedDateRange::try_from(d.clone()).is_ok_and(|d| d.end.is_some()));
    if f.selected_entries {
        Some("BIBENTRIES or BIBSECTION (a bibliography of chosen entries; Hemicycle prints none)")
    } else if affixed {
        Some("a cite's prefix or suffix (hayagriva takes none; Hemicycle places them itself)")
    } else if items().any(|i| i.near_note.is_some()) {
        Some("near-note given by the fixture (hayagriva decides it from the note numbers)")
    } else if f.out_of_order {
        Some("citations inserted before earlier ones (Hemicycle formats a letter's notes in order)")
    } else if !matches!(f.mode.as_str(), "citation" | "bibliography") {
        Some("an unknown MODE")
    } else if f.mode == "citation" && f.result.contains('<') {
        Some("HTML in a citation's RESULT")
    } else if date_range {
        Some("date ranges")
    } else if f.input.iter().any(|i| i.has_html() || i.may_have_hack()) {
        Some("HTML in the input")
    } else {
        None
    }
}

fn citation_item<'a>(
    f: &'a Fixture,
    cite: &'a csl_json::CitationItem,
) -> Result<CitationItem<'a, csl_json::Item>, String> {
    let entry = f
        .input
        .iter()
        .find(|e| e.id().unwrap_or_default() == cite.id.as_str())
        .ok_or_else(|| format!("cites {} which is not in INPUT", cite.id))?;
    let label = match cite.label.as_deref() {
        Some(l) => Locator::from_str(l).map_err(|()| format!("unknown locator label {l}"))?,
        None => Locator::Page,
    };
    let locator = cite
        .locator
        .as_deref()
        .map(|l| SpecificLocator(label, LocatorPayload::Str(l)));
    let purpose = cite.suppress_author.then_some(CitePurpose::Author);
    Ok(CitationItem::new(entry, locator, None, false, purpose))
}

/// Runs a fixture through hayagriva: what it printed, and RESULT as it is
/// compared.
fn run(f: &Fixture, locales: &[Locale]) -> Result<(String, String), String> {
    let Style::Independent(style) = &f.style else {
        return Err("a dependent style".into());
    };
    let mut driver: BibliographyDriver<'_, csl_json::Item> = BibliographyDriver::new();
    if let Some(cites) = &f.cites {
        for cite in cites {
            let items = cite
                .items
                .iter()
                .map(|c| citation_item(f, c))
                .collect::<Result<_, _>>()?;
            driver.citation(CitationRequest::new(items, style, None, locales, cite.note));
        }
    } else {
        let items = f.input.iter().map(CitationItem::with_entry).collect();
        driver.citation(CitationRequest::new(items, style, None, locales, Some(1)));
    }
    let rendered = driver.finish(BibliographyRequest::new(style, None, locales));
    let mut out = String::new();
    if f.mode == "citation" {
        for c in &rendered.citations {
            c.citation
                .write_buf(&mut out, BufWriteFormat::Plain)
                .map_err(|e| e.to_string())?;
            out.push('\n');
        }
        return Ok((out.trim().to_owned(), f.result.clone()));
    }
    let bib = rendered.bibliography.ok_or("no bibliography was rendered")?;
    html::render(&bib, &mut out);
    // citeproc-js indents its HTML; hayagriva prints none.
    let expected: String = f
        .result
        .lines()
        .enumerate()
        .map(|(i, l)| if i == 0 { l } else { l.trim_start() })
        .collect();
    Ok((out.trim().to_owned(), expected))
}

fn verdict(path: &Path, locales: &[Locale]) -> Verdict {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return failed(format!("cannot read {}: {e}", path.display())),
    };
    let fixture = match parse(&text) {
        Ok(f) => f,
        Err(e) => return failed(format!("{}: {e}", path.display())),
    };
    if let Some(reason) = skip_reason(&fixture) {
        return Verdict::Skipped(reason);
    }
    // A panic inside hayagriva is that fixture's failure, not the run's.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&fixture, locales))) {
        Ok(Ok((got, expected))) if got == expected => Verdict::Passed,
        Ok(Ok((got, expected))) => Verdict::Failed { expected, got },
        Ok(Err(e)) => failed(e),
        Err(_) => failed("hayagriva panicked".into()),
    }
}

fn failed(why: String) -> Verdict {
    Verdict::Failed {
        expected: String::new(),
        got: why,
    }
}

/// The class of a fixture: its name up to the first underscore.
fn class(name: &str) -> &str {
    name.split('_').next().unwrap_or(name)
}

/// Every fixture's name and verdict, by name.
fn run_suite(dir: &Path) -> BTreeMap<String, Verdict> {
    let locales = hayagriva::archive::locales();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = paths
        .iter()
        .filter_map(|p| {
            let name = p.file_stem()?.to_string_lossy().into_owned();
            if LEFT_OUT.contains(&name.as_str()) {
                return Some((name, Verdict::Skipped("left out by name, as by hayagriva's runner")));
            }
            Some((name, verdict(p, &locales)))
        })
        .collect();
    std::panic::set_hook(quiet);
    out
}

fn print_figures(results: &BTreeMap<String, Verdict>) {
    let mut classes: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for (name, v) in results {
        let c = classes.entry(class(name)).or_default();
        match v {
            Verdict::Passed => c[0] += 1,
            Verdict::Failed { .. } => c[1] += 1,
            Verdict::Skipped(_) => c[2] += 1,
        }
    }
    let total: [usize; 3] = classes
        .values()
        .fold([0; 3], |a, c| [a[0] + c[0], a[1] + c[1], a[2] + c[2]]);
    say!(
        "CSL test suite: {} fixtures, {} tested, {} skipped; passed: {} by Hemicycle's hayagriva, {UPSTREAM_PASSED} by hayagriva 0.10.1 from crates.io",
        results.len(),
        total[0] + total[1],
        total[2],
        total[0]
    );
    say!("{:<16} {:>6} {:>6} {:>7}", "class", "passed", "tested", "skipped");
    for (name, [p, f, s]) in &classes {
        say!("{name:<16} {p:>6} {:>6} {s:>7}", p + f);
    }
}

/// With HEMICYCLE_CSL_SUITE_SHOW=<start of a name> (a class such as
/// `flipflop_`, or one fixture), what the failing fixtures gave.
fn show_failures(results: &BTreeMap<String, Verdict>) {
    let Ok(start) = std::env::var("HEMICYCLE_CSL_SUITE_SHOW") else {
        return;
    };
    for (name, v) in results.iter().filter(|(n, _)| n.starts_with(&start)) {
        match v {
            Verdict::Failed { expected, got } => println!("FAILED {name}\n  expected: {expected}\n  got:      {got}"),
            Verdict::Skipped(why) => println!("skipped {name}: {why}"),
            Verdict::Passed => {}
        }
    }
}

fn read_pass_list() -> Vec<String> {
    std::fs::read_to_string(pass_list_path())
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(ToOwned::to_owned)
        .collect()
}

fn write_pass_list(passed: &[&String]) {
    let mut text = String::from(
        "# The CSL test suite's fixtures that pass with Hemicycle's hayagriva\n\
         # (tests/csl_suite.rs). A listed fixture that fails is a regression; an\n\
         # unlisted one that passes must be added. HEMICYCLE_CSL_SUITE_WRITE=1\n\
         # cargo test --test csl_suite rewrites this file.\n",
    );
    for name in passed {
        let _ = writeln!(text, "{name}");
    }
    if let Err(e) = std::fs::write(pass_list_path(), text) {
        panic!("cannot write {}: {e}", pass_list_path().display());
    }
}

#[test]
fn csl_test_suite() {
    let dir = suite_dir().join("processor-tests/humans");
    if !dir.is_dir() {
        let why = format!(
            "the CSL test suite is not at {} (see ../shared/csl-test-suite/SOURCE.md, or set HEMICYCLE_CSL_SUITE)",
            dir.display()
        );
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true: {why}");
        say!("csl_test_suite skipped: {why}");
        return;
    }
    let started = std::time::Instant::now();
    let results = run_suite(&dir);
    print_figures(&results);
    show_failures(&results);
    say!("ran in {} ms", started.elapsed().as_millis());
    let passed: Vec<&String> = results
        .iter()
        .filter(|(_, v)| matches!(v, Verdict::Passed))
        .map(|(n, _)| n)
        .collect();
    if std::env::var_os("HEMICYCLE_CSL_SUITE_WRITE").is_some() {
        write_pass_list(&passed);
        return;
    }
    let listed = read_pass_list();
    let mut problems = Vec::new();
    for name in &listed {
        match results.get(name) {
            Some(Verdict::Passed) => {}
            Some(Verdict::Failed { expected, got }) => {
                problems.push(format!(
                    "regression: {name} fails\n  expected: {expected}\n  got:      {got}"
                ));
            }
            Some(Verdict::Skipped(why)) => problems.push(format!("{name} is listed but skipped: {why}")),
            None => problems.push(format!("{name} is listed but is not in the suite")),
        }
    }
    let new: Vec<&str> = passed
        .iter()
        .filter(|n| !listed.contains(n))
        .map(|n| n.as_str())
        .collect();
    if !new.is_empty() {
        problems.push(format!(
            "{} fixtures pass but are not in tests/csl-suite-pass.txt; add them (or rerun with HEMICYCLE_CSL_SUITE_WRITE=1):\n{}",
            new.len(),
            new.join("\n")
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A bibliography as HTML, the way citeproc-js writes RESULT (ported from
/// hayagriva's runner, `citeproc_bib`).
mod html {
    use hayagriva::citationberg::{Display, FontStyle, FontVariant, FontWeight, TextDecoration, VerticalAlign};
    use hayagriva::{BufWriteFormat, Elem, ElemChild, Formatted, Formatting};

    pub fn render(bib: &hayagriva::RenderedBibliography, out: &mut String) {
        out.push_str(r#"<div class="csl-bib-body">"#);
        for item in &bib.items {
            out.push_str(r#"<div class="csl-entry">"#);
            let mut close = "";
            if let Some(field) = &item.first_field {
                out.push_str(r#"<div class="csl-left-margin">"#);
                child(field, out);
                out.push_str(r#"</div><div class="csl-right-inline">"#);
                close = "</div>";
            }
            for c in &item.content.0 {
                child(c, out);
            }
            out.push_str(close);
            out.push_str("</div>");
        }
        out.push_str("</div>");
    }

    fn child(c: &ElemChild, out: &mut String) {
        match c {
            ElemChild::Text(t) | ElemChild::Link { text: t, .. } => text(t, out),
            ElemChild::Elem(e) => elem(e, out),
            other => {
                let _ = other.write_buf(out, BufWriteFormat::Html);
            }
        }
    }

    fn elem(e: &Elem, out: &mut String) {
        if let Some(display) = e.display {
            let class = match display {
                Display::Block => "csl-block",
                Display::LeftMargin => "csl-left-margin",
                Display::RightInline => "csl-right-inline",
                Display::Indent => "csl-indent",
            };
            out.push_str(&format!("<div class=\"{class}\">"));
        }
        for c in &e.children.0 {
            child(c, out);
        }
        if e.display.is_some() {
            out.push_str("</div>");
        }
    }

    fn text(t: &Formatted, out: &mut String) {
        let f = t.formatting;
        if f == Formatting::default() {
            out.push_str(&t.text);
            return;
        }
        let mut close = String::new();
        let mut css = String::new();
        let mut tag = |open: &str, end: &str| {
            out.push_str(open);
            close.insert_str(0, end);
        };
        match f.vertical_align {
            VerticalAlign::Sub => tag("<sub>", "</sub>"),
            VerticalAlign::Sup => tag("<sup>", "</sup>"),
            VerticalAlign::Baseline => tag(r#"<span style="baseline">"#, "</span>"),
            VerticalAlign::None => {}
        }
        match f.font_weight {
            FontWeight::Bold if t.text.chars().any(|c| !c.is_whitespace()) => tag("<b>", "</b>"),
            FontWeight::Light => css.push_str("font-weight:lighter;"),
            _ => {}
        }
        if f.font_style == FontStyle::Italic {
            tag("<i>", "</i>");
        }
        if f.font_variant == FontVariant::SmallCaps {
            css.push_str("font-variant:small-caps;");
        }
        if f.text_decoration == TextDecoration::Underline {
            tag("<u>", "</u>");
        }
        if !css.is_empty() {
            tag(&format!("<span style=\"{css}\">"), "</span>");
        }
        out.push_str(&t.text);
        out.push_str(&close);
    }
}
