//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used)]

pub mod dns;
pub mod imap;
pub mod kittest;
pub mod smtp;
pub mod xvfb;
pub mod zotero;

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The raw MEP data next to the checkout (`../shared/data/meps`), or `None`
/// after one line saying that `test` was skipped and why, when a plain clone
/// has nothing beside it. CI (`CI=true`) always has it: there a missing
/// folder fails the test.
pub fn shared_meps(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/meps");
    if dir.join("ep_full_list_2025-10.xml").exists() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the raw MEP data is missing: {} (CI clones shared/ beside the checkout)",
        dir.display()
    );
    say(&format!(
        "skipped {test}: the raw MEP data is not beside this checkout ({}); it is there in CI",
        dir.display()
    ));
    None
}

/// One line on the test run's standard error that shows even when the test
/// passes (the test harness keeps back what `println!` and `eprintln!`
/// print, not what is written to the handle): skips and figures.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// `cases` cases, or `PROPTEST_CASES` for a longer run. The cases come
/// from a fixed seed, so that CI never fails by chance on a case it did not
/// try before; `PROPTEST_SEED` explores others (a failure found that way
/// becomes a test of its own). Failures are reported, not written into the
/// source tree. The one proptest configuration of the tests.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    proptest::test_runner::Config {
        cases: env("PROPTEST_CASES")
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(cases),
        rng_seed: proptest::test_runner::RngSeed::Fixed(env("PROPTEST_SEED").unwrap_or(0x4845_4d49)),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

/// The MEPs among `ids` that the directory has an e-mail address for: the
/// ones a letter can be sent to. The one way the tests pick them.
pub fn with_address<S: AsRef<str>>(
    dir: &hemicycle::directory::Directory,
    ids: impl IntoIterator<Item = S>,
) -> Vec<&hemicycle::directory::Mep> {
    ids.into_iter()
        .filter_map(|id| dir.get(id.as_ref()))
        .filter(|m| m.email.is_some())
        .collect()
}

/// Adds the mail account "Local" (the test SMTP server on `port`, no TLS)
/// with the `hemicycle account add` command under `home`, sending from
/// `from` (with `name`, when given).
pub fn add_local_account(home: &Path, port: u16, from: &str, name: Option<&str>) {
    let port = port.to_string();
    let mut args = vec![
        "account",
        "add",
        "Local",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--security",
        "none",
        "--from",
        from,
    ];
    if let Some(name) = name {
        args.extend(["--from-name", name]);
    }
    let add = hemicycle(home, &args);
    assert!(add.status.success(), "{}", stderr(&add));
}

/// Runs one of the readers the tests use (poppler, qpdf, LibreOffice,
/// Python); its standard output. Fails the test, saying what to install,
/// when the program is missing or fails.
pub fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is not installed ({e}); scripts/check.sh installs it"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text with all white space folded, for comparing what a reader extracted.
pub fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first `words` words of each note of a letter, as every reader of
/// every format must find them.
pub fn note_starts(letter: &hemicycle::letter::Letter, words: usize) -> Vec<String> {
    letter
        .notes
        .iter()
        .map(|n| {
            let text = hemicycle::render::text::inlines(&n.inlines);
            text.split_whitespace().take(words).collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// The text LibreOffice reads from a .docx: converted to PDF by LibreOffice
/// (with a profile of its own under `work`), then read by pdftotext;
/// `layout` keeps list markers before their items.
pub fn libreoffice_text(docx: &Path, work: &Path, layout: bool) -> String {
    let profile = work.join("lo-profile");
    let out_dir = work.join("lo-out");
    run(
        "soffice",
        &[
            &format!("-env:UserInstallation=file://{}", profile.display()),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            out_dir.to_str().unwrap(),
            docx.to_str().unwrap(),
        ],
    );
    let pdf = out_dir.join(docx.with_extension("pdf").file_name().unwrap());
    let pdf = pdf.to_str().unwrap();
    if layout {
        run("pdftotext", &["-layout", pdf, "-"])
    } else {
        run("pdftotext", &[pdf, "-"])
    }
}

/// The real `hemicycle` binary built for this test run; for wrappers
/// (`unshare`, `prlimit`, `script`) that start it themselves.
pub const BIN: &str = env!("CARGO_BIN_EXE_hemicycle");

/// The real `hemicycle` binary, not yet started, with all its folders under
/// `home`: the one way the tests start it (add arguments, variables and
/// pipes, then `output()` or `spawn()`).
pub fn command(home: impl AsRef<Path>) -> Command {
    let mut command = Command::new(BIN);
    command.env("HEMICYCLE_HOME", home.as_ref());
    command
}

/// Runs the real `hemicycle` binary with all its folders under `home`.
pub fn hemicycle(home: &Path, args: &[&str]) -> Output {
    command(home).args(args).output().expect("the hemicycle binary runs")
}

/// `hemicycle render CAMPAIGN [--mep MEP] --format FORMAT` into
/// `home/letter[-MEP].FORMAT`, which it returns; fails the test, with the
/// binary's words, when the render fails.
pub fn render(home: &Path, campaign: &Path, mep: Option<&str>, format: &str) -> std::path::PathBuf {
    let out = home.join(mep.map_or_else(|| format!("letter.{format}"), |m| format!("letter-{m}.{format}")));
    let mut args = vec!["render", campaign.to_str().unwrap()];
    if let Some(mep) = mep {
        args.extend(["--mep", mep]);
    }
    args.extend(["--format", format, "--out", out.to_str().unwrap()]);
    let o = hemicycle(home, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// How the fixture server pages a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// By `offset` and `limit`, as the portal does.
    Honest,
    /// The first page, whatever the offset.
    IgnoresOffset,
    /// At most this many items a page, whatever the limit.
    CapsAt(usize),
}

/// A local HTTP server that serves `tests/fixtures/ep-api/{path}.json`, pages
/// lists by `offset`/`limit`, and can answer chosen paths with error statuses
/// first.
pub struct FixtureServer {
    pub base_url: String,
    /// Status codes to answer, per path, before serving the file.
    pub faults: Arc<Mutex<HashMap<String, VecDeque<u16>>>>,
    /// Every path requested, in order.
    pub log: Arc<Mutex<Vec<String>>>,
    /// How lists are paged (a faulty server's ways too).
    pub paging: Arc<Mutex<Paging>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl FixtureServer {
    pub fn start() -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind a local port"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let faults: Arc<Mutex<HashMap<String, VecDeque<u16>>>> = Arc::default();
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let paging = Arc::new(Mutex::new(Paging::Honest));
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ep-api");
        let thread = {
            let (server, faults, log, paging) = (server.clone(), faults.clone(), log.clone(), paging.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let url = request.url().to_owned();
                    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
                    let path = path.trim_start_matches('/').trim_start_matches("api/v2/").to_owned();
                    log.lock().unwrap().push(path.clone());
                    let fault = faults.lock().unwrap().get_mut(&path).and_then(VecDeque::pop_front);
                    let response = match fault {
                        Some(status) => tiny_http::Response::from_string(format!("{{\"error\": {status}}}"))
                            .with_status_code(status)
                            .with_header("Retry-After: 0".parse::<tiny_http::Header>().unwrap()),
                        None => serve(&root, &path, query, *paging.lock().unwrap()),
                    };
                    let _ = request.respond(response);
                }
            })
        };
        Self {
            base_url: format!("http://127.0.0.1:{port}/api/v2"),
            faults,
            log,
            paging,
            server,
            thread: Some(thread),
        }
    }

    /// Answers `path` with these statuses first (e.g. `[429, 429]`).
    pub fn fail(&self, path: &str, statuses: &[u16]) {
        self.faults
            .lock()
            .unwrap()
            .insert(path.to_owned(), statuses.iter().copied().collect());
    }

    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(root: &Path, path: &str, query: &str, paging: Paging) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let file = root.join(format!("{path}.json"));
    let Ok(text) = std::fs::read_to_string(&file) else {
        return tiny_http::Response::from_string("{\"error\": \"not found\"}").with_status_code(404);
    };
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse::<usize>().ok())
    };
    if let (Some(offset), Some(limit)) = (param("offset"), param("limit")) {
        let data = doc["data"].as_array().cloned().unwrap_or_default();
        let (offset, limit) = match paging {
            Paging::Honest => (offset, limit),
            Paging::IgnoresOffset => (0, limit),
            Paging::CapsAt(cap) => (offset, limit.min(cap)),
        };
        let page: Vec<_> = data.into_iter().skip(offset).take(limit).collect();
        doc["data"] = serde_json::Value::Array(page);
    }
    tiny_http::Response::from_string(doc.to_string()).with_header(
        "Content-Type: application/ld+json"
            .parse::<tiny_http::Header>()
            .unwrap(),
    )
}

/// The mail account "Office" (ana@example.org at smtp.example.org, never
/// dialled), saved where the app under `paths` reads its accounts.
pub fn save_office_account(paths: &hemicycle::store::Paths) {
    let mut accounts = hemicycle::deliver::profile::Profiles::default();
    accounts.upsert(hemicycle::deliver::profile::Profile {
        name: "Office".into(),
        host: "smtp.example.org".into(),
        from_email: "ana@example.org".into(),
        ..Default::default()
    });
    accounts.save(&paths.profiles()).unwrap();
}

/// The example campaign written into `work/campaigns/c.toml` (after
/// `edit`), with the demand sets and sources its paths need.
pub fn example_copy(work: &Path, edit: impl FnOnce(String) -> String) -> PathBuf {
    let campaign = work.join("campaigns/c.toml");
    std::fs::create_dir_all(campaign.parent().unwrap()).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    for dir in ["demands", "bibliography"] {
        std::fs::create_dir_all(work.join(dir)).unwrap();
        for f in std::fs::read_dir(root.join(dir)).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, work.join(dir).join(f.file_name().unwrap())).unwrap();
        }
    }
    let text = own_letterhead(&std::fs::read_to_string(root.join("campaigns/ai-act-people-on-the-move.toml")).unwrap());
    std::fs::write(&campaign, edit(text)).unwrap();
    campaign
}

/// The example's text with a letterhead of the sender's own: the pre-send
/// check stops letters that carry the example's.
pub fn own_letterhead(example: &str) -> String {
    let mut text = example.to_owned();
    for (theirs, ours) in [
        ("Example Digital Rights Foundation", "Stichting Voorbeeld"),
        ("Example Street 1", "Oudegracht 1"),
        ("https://example.org", "https://stichting-voorbeeld.nl"),
        ("letters@example.org", "brieven@stichting-voorbeeld.nl"),
        ("EDRF/{year}/AI-{seq:03}", "SV/{year}/{seq:03}"),
        ("Alex Example", "An Jansen"),
    ] {
        assert!(text.contains(theirs), "the example no longer has {theirs}");
        text = text.replace(theirs, ours);
    }
    text
}
