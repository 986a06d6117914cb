//! Scripted journeys in the real window (issue 23): the real binary on a
//! virtual X display of 1024×700 (Xvfb, software OpenGL), driven by mouse
//! and keys through `xdotool` as a person would, with the end state
//! checked — files on disk, letters at a local SMTP server (aiosmtpd),
//! their From headers, their dates and languages. Two journeys: an NGO's
//! staff member (letterhead, three MEPs, a demand rewritten, saved, PDFs
//! exported, three letters sent) and a volunteer (the
//! open-letter kit, the guided steps, sent from their own account). What passes in
//! `tests/app_ui.rs` but fails in a window shows up here.
//!
//! Widgets are found by name, not by guessed coordinates: the app, started
//! with `HEMICYCLE_TEST_LAYOUT_FILE`, writes its accessibility tree (role,
//! name, value, rectangle) after each frame that changed it (see
//! `src/ui/test_layout.rs`); a step waits until the widget it needs is
//! there, clicks its middle, and types with the keyboard. On failure the
//! screen is photographed into the build folder
//! (`target/tmp/journeys/NAME-failed.png`), and each step's picture is left
//! there too, to look at.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use std::time::{Duration, Instant};

use common::xvfb::{self, Killed};

const WIDTH: u32 = 1024;
const HEIGHT: u32 = 700;

/// A bound for a hung app, not a measure of speed: debug builds on a busy
/// machine take long to draw.
const PATIENCE: Duration = Duration::from_mins(3);

/// One widget of the app's accessibility tree, as the layout file has it.
#[derive(Debug, Clone, serde::Deserialize)]
struct Widget {
    role: String,
    name: Option<String>,
    value: Option<String>,
    disabled: bool,
    focused: bool,
    rect: [f64; 4],
}

impl Widget {
    fn named(&self, name: &str) -> bool {
        self.name.as_deref() == Some(name)
    }

    fn middle(&self) -> (i64, i64) {
        #[allow(clippy::cast_possible_truncation)]
        let at = |a: f64, b: f64| f64::midpoint(a, b).round() as i64;
        (at(self.rect[0], self.rect[2]), at(self.rect[1], self.rect[3]))
    }
}

/// The app in its window on its own display.
struct Window {
    name: &'static str,
    display: String,
    layout: PathBuf,
    home: PathBuf,
    _app: Killed,
    _xvfb: Killed,
    step: usize,
}

fn shots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("journeys");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Window {
    /// Starts the app with its files under `home` (settings for a window
    /// filling the screen), with `args` (a kit to open, say).
    fn start(name: &'static str, home: &Path, settings: &serde_json::Value, args: &[&str]) -> Self {
        let _ = std::fs::remove_file(shots_dir().join(format!("{name}-failed.png")));
        let (xvfb, display) = xvfb::start(WIDTH, HEIGHT);
        std::fs::create_dir_all(home.join("config")).unwrap();
        std::fs::write(home.join("config/settings.json"), settings.to_string()).unwrap();
        let layout = home.join("layout.json");
        let app = xvfb::app(
            &display,
            home,
            args,
            &[("HEMICYCLE_TEST_LAYOUT_FILE", layout.as_os_str())],
        );
        Self {
            name,
            display,
            layout,
            home: home.to_path_buf(),
            _app: app,
            _xvfb: xvfb,
            step: 0,
        }
    }

    fn widgets(&self) -> Vec<Widget> {
        std::fs::read_to_string(&self.layout)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// The screen as a PNG in the build folder.
    fn shoot(&self, what: &str) -> PathBuf {
        let png = shots_dir().join(format!("{}-{what}.png", self.name));
        let ok = xvfb::shoot(&self.display, &png);
        assert!(ok || std::thread::panicking(), "no picture of the screen");
        png
    }

    /// A picture of this step, numbered, to look at.
    fn snap(&mut self, what: &str) {
        self.step += 1;
        self.shoot(&format!("{:02}-{what}", self.step));
    }

    /// Waits until a widget matches; fails with what the window shows.
    fn wait_for(&self, what: &str, matches: impl Fn(&Widget) -> bool) -> Widget {
        let start = Instant::now();
        loop {
            if let Some(w) = self.widgets().into_iter().find(|w| matches(w)) {
                return w;
            }
            self.fail_if(start.elapsed() > PATIENCE, &format!("waited {PATIENCE:?} for {what}"));
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_named(&self, name: &str) -> Widget {
        self.wait_for(&format!("\"{name}\""), |w| w.named(name))
    }

    /// Waits until no widget matches.
    fn wait_gone(&self, what: &str, matches: impl Fn(&Widget) -> bool) {
        let start = Instant::now();
        while self.widgets().iter().any(&matches) {
            self.fail_if(start.elapsed() > PATIENCE, &format!("{what} did not go away"));
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn fail_if(&self, failed: bool, why: &str) {
        if !failed {
            return;
        }
        let png = self.shoot("failed");
        // The widgets' names, each cut short: the letter's paragraphs are
        // widgets too.
        let names: Vec<String> = self
            .widgets()
            .iter()
            .filter_map(|w| w.name.as_ref().map(|n| n.chars().take(60).collect()))
            .collect();
        let said = xvfb::said(&self.home);
        panic!(
            "{}: {why}. The screen: {}. The window shows: {names:?}. The app said: {said}",
            self.name,
            png.display()
        );
    }

    fn click_at(&self, (x, y): (i64, i64)) {
        xvfb::xdotool(
            &self.display,
            &[
                "mousemove",
                &x.to_string(),
                &y.to_string(),
                "sleep",
                "0.1",
                "click",
                "1",
            ],
        );
    }

    /// Clicks the enabled widget called `name` once it is there.
    fn click(&self, name: &str) {
        let w = self.wait_for(&format!("\"{name}\", enabled"), |w| w.named(name) && !w.disabled);
        self.click_at(w.middle());
    }

    /// Clicks `name` until the widget `goes` is gone: on a loaded machine a
    /// click is now and then lost on its way to the app, and a person
    /// clicks again. Only for buttons that are safe to press twice (Save
    /// in a dialog that closes).
    fn click_until_gone(&self, name: &str, goes: &str) {
        for _ in 0..3 {
            self.click(name);
            let clicked = Instant::now();
            while clicked.elapsed() < Duration::from_secs(20) {
                if !self.widgets().iter().any(|w| w.named(goes)) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        self.wait_gone(&format!("\"{goes}\" (after clicking \"{name}\")"), |w| w.named(goes));
    }

    /// Clicks the text field called `name`, empties it, types `text`.
    fn type_into(&self, name: &str, text: &str) {
        let w = self.wait_for(&format!("the field \"{name}\""), |w| {
            w.named(name) && w.role == "TextInput" || w.named(name) && w.role == "MultilineTextInput"
        });
        // Without a window manager nobody gives the window the keyboard:
        // the test does.
        xvfb::xdotool(
            &self.display,
            &["search", "--sync", "--name", "^Hemicycle$", "windowfocus", "--sync"],
        );
        // A window that just opened may still be settling where it goes:
        // click again until the field has the keyboard.
        let start = Instant::now();
        let mut at = w.middle();
        loop {
            self.click_at(at);
            let clicked = Instant::now();
            while clicked.elapsed() < Duration::from_secs(1) {
                if self.widgets().iter().any(|w| w.named(name) && w.focused) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if self.widgets().iter().any(|w| w.named(name) && w.focused) {
                break;
            }
            self.fail_if(
                start.elapsed() > PATIENCE,
                &format!("\"{name}\" never took the keyboard"),
            );
            if let Some(now) = self
                .widgets()
                .into_iter()
                .find(|w| w.named(name) && w.role.contains("TextInput"))
            {
                at = now.middle();
            }
        }
        // What the field holds is selected and typed over (emptied first,
        // a field may fill itself again, as the export folder does). On a
        // loaded machine a keystroke is now and then lost between xdotool
        // and the app (seen: the "A" of a name and the select-all before
        // it); then, as a person would, the field is typed over again.
        let holds = |w: &Widget| w.named(name) && w.value.as_deref().unwrap_or_default().trim_end() == text.trim_end();
        for _ in 0..3 {
            if text.is_empty() {
                xvfb::xdotool(&self.display, &["key", "--delay", "50", "ctrl+a", "BackSpace"]);
            } else {
                xvfb::xdotool(&self.display, &["key", "--delay", "50", "ctrl+a"]);
                xvfb::xdotool(&self.display, &["type", "--delay", "15", text]);
            }
            let typed = Instant::now();
            while typed.elapsed() < Duration::from_secs(20) {
                if self.widgets().iter().any(holds) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        self.wait_for(&format!("\"{name}\" holding what was typed"), holds);
    }

    /// Opens the combo box `combo` and picks `option`.
    fn choose(&self, combo: &str, option: &str) {
        self.click(combo);
        self.click(option);
        self.wait_gone(&format!("the list of {combo}"), |w| {
            w.named(option) && w.role == "Button"
        });
    }

    /// No widget has a name containing any of `texts`.
    fn shows_none_of(&self, when: &str, texts: &[&str]) {
        for w in self.widgets() {
            let name = w.name.unwrap_or_default();
            for t in texts {
                self.fail_if(name.contains(t), &format!("{when}: the window shows \"{name}\""));
            }
        }
    }
}

/// A header of a message as Python's e-mail reader decodes it, and its
/// plain text.
fn header_and_body(dir: &Path, raw_hex: &str, header: &str) -> (String, String) {
    let raw = dir.join("raw.hex");
    std::fs::write(&raw, raw_hex).unwrap();
    let out = common::run(
        "python3",
        &[
            "-c",
            "import sys, email; from email import policy; m = email.message_from_bytes(bytes.fromhex(open(sys.argv[1]).read()), policy=policy.default); print(m[sys.argv[2]]); print(m.get_body(('plain',)).get_content())",
            raw.to_str().unwrap(),
            header,
        ],
    );
    let (first, rest) = out.split_once('\n').unwrap();
    (first.trim().to_owned(), rest.to_owned())
}

/// A volunteer opens the open-letter kit their organisation sent
/// (double-clicked: the kit is the app's argument), takes the guided steps
/// and sends from their own account. Nothing of the NGO's screens shows;
/// the letters reach the server From the volunteer, dated at their town,
/// in their MEPs' language (German for Austria), with their own words.
#[test]
fn a_volunteer_opens_the_open_letter_kit_and_sends_as_themselves() {
    let staff = tempfile::tempdir().unwrap();
    // The organisation's campaign: the bundled open letter with its
    // letterhead, made into a kit by the command line.
    let campaign = common::example_copy(staff.path(), |text| text);
    let kit = staff.path().join("open-letter.hemicycle");
    let built = common::hemicycle(
        staff.path(),
        &[
            "kit",
            "build",
            campaign.to_str().unwrap(),
            "--out",
            kit.to_str().unwrap(),
        ],
    );
    assert!(built.status.success(), "{}", common::stderr(&built));

    let server_dir = tempfile::tempdir().unwrap();
    let server = common::smtp::Server::start(server_dir.path(), &["--keep-raw"]);
    let home = tempfile::tempdir().unwrap();
    let settings = serde_json::json!({ "window": [WIDTH, HEIGHT], "theme": "light" });
    let mut win = Window::start("volunteer", home.path(), &settings, &[kit.to_str().unwrap()]);
    let ngo = [
        "Welcome to Hemicycle",
        "An example campaign is open",
        "Send e-mails",
        "Recipients (",
        "Dry run",
        "account add",
    ];

    // 1. About you.
    win.wait_named("Your name");
    win.wait_for("the kit's signature", |w| {
        w.name.as_deref().is_some_and(|n| n.starts_with("Unsigned kit"))
    });
    win.shows_none_of("the kit opened", &ngo);
    win.snap("about-you");
    about_her(&win);

    // 2. The suggested MEPs: two of them.
    win.wait_for("the suggested MEPs", |w| w.role == "CheckBox");
    win.snap("your-meps");
    let checkboxes: Vec<Widget> = win.widgets().into_iter().filter(|w| w.role == "CheckBox").collect();
    assert!(checkboxes.len() >= 2, "{checkboxes:?}");
    for extra in &checkboxes[2..] {
        win.click_at(extra.middle());
    }
    win.click("Next");

    // 3. Their words.
    let words = "I volunteer at a shelter in Graz where people wait months for an answer.";
    win.type_into("Why does this matter to you? (in your own words)", words);
    win.snap("your-words");
    win.click("Next");

    // 4. Kept in a folder, then sent from their account.
    win.click("Save my letters…");
    let folder = home.path().join("My letters");
    win.type_into("Path", folder.to_str().unwrap());
    win.click("Keep my letters here");
    win.wait_named("Your letters go from Ana Berger <ana@berger.example>.");
    win.shows_none_of("the send step", &ngo);
    // The organisation's address is in its letterhead, never in her account.
    for w in win.widgets().iter().filter(|w| w.role == "TextInput") {
        let value = w.value.clone().unwrap_or_default();
        win.fail_if(value.contains("stichting-voorbeeld"), &format!("a field holds {value}"));
    }
    win.choose("Your provider", "Another provider");
    win.type_into("SMTP server", &format!("localhost:{}", server.port));
    win.click("None (this computer only)");
    win.type_into("User name", "");
    win.snap("send");
    let n = with_address(&checkboxes[..2]);
    let letters = if n == 1 {
        "1 letter".to_owned()
    } else {
        format!("{n} letters")
    };
    win.click(&format!("Send {letters}…"));
    win.click("Yes, send them");
    win.wait_named(&format!("{letters} sent."));
    win.snap("sent");

    her_letters_arrived(&server, server_dir.path(), &folder, n, words);
}

/// Step 1: who she is.
fn about_her(win: &Window) {
    win.type_into("Your name", "Ana Berger");
    win.type_into("Town", "Graz");
    win.type_into("Your e-mail", "ana@berger.example");
    win.choose("Your country", "Austria");
    win.click("Next");
}

/// The end state: her letters' file in the folder she chose, and `n`
/// letters at the server, From her, dated at her town, in German, with her
/// words.
fn her_letters_arrived(server: &common::smtp::Server, dir: &Path, folder: &Path, n: usize, words: &str) {
    // Her letters' file, and the folder of the kit's files it names
    // (demand sets, sources) beside it, so that the copy stands alone.
    let kept: Vec<PathBuf> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
    let files: Vec<&PathBuf> = kept.iter().filter(|p| p.is_file()).collect();
    assert_eq!(files.len(), 1, "{kept:?}");
    assert!(
        kept.len() <= 2 && kept.iter().all(|p| p.is_file() || p.is_dir()),
        "{kept:?}"
    );
    let mine = std::fs::read_to_string(files[0]).unwrap();
    assert!(mine.contains("shelter in Graz"), "{mine}");
    let received = server.received();
    assert_eq!(received.len(), n, "{received:?}");
    for r in &received {
        assert_eq!(r["mail_from"], "ana@berger.example");
        let (from, body) = header_and_body(dir, r["raw"].as_str().unwrap(), "From");
        assert_eq!(from, "Ana Berger <ana@berger.example>");
        assert!(body.contains("Graz, "), "not dated at her town: {body}");
        assert!(!body.contains("Brussels, "), "{body}");
        assert!(body.contains("Wir wenden uns an Sie"), "not in German: {body}");
        assert!(common::folded(&body).contains(words), "{body}");
    }
}

/// How many of the MEPs ticked (their boxes' names begin with their names)
/// have an e-mail address in the bundled directory.
fn with_address(ticked: &[Widget]) -> usize {
    let dir = hemicycle::directory::Directory::bundled().unwrap();
    ticked
        .iter()
        .filter(|w| {
            let name = w.name.clone().unwrap_or_default();
            dir.meps
                .iter()
                .any(|m| m.email.is_some() && name.starts_with(&format!("{} — ", m.display_name())))
        })
        .count()
}

/// Three MEPs with an e-mail address and a name found by the search alone.
fn three_meps() -> Vec<hemicycle::directory::Mep> {
    let dir = hemicycle::directory::Directory::bundled().unwrap();
    let unique =
        |m: &hemicycle::directory::Mep| dir.meps.iter().filter(|o| o.family_name == m.family_name).count() == 1;
    dir.meps
        .iter()
        .filter(|m| m.email.is_some() && m.country == "NL" && unique(m))
        .take(3)
        .cloned()
        .collect()
}

/// An NGO's staff member: their letterhead in the welcome, three MEPs
/// found by name, demand 1 rewritten, the campaign saved, PDFs exported,
/// and three letters sent from the organisation's account to a local
/// server.
#[test]
fn a_staff_member_writes_exports_and_sends_three_letters() {
    let server_dir = tempfile::tempdir().unwrap();
    let server = common::smtp::Server::start(server_dir.path(), &["--keep-raw"]);
    let home = tempfile::tempdir().unwrap();
    // The organisation's mail account (its form is tried in app_ui.rs).
    let account = hemicycle::deliver::profile::Profile {
        name: "Office".into(),
        host: "localhost".into(),
        port: server.port,
        security: hemicycle::deliver::profile::Security::None,
        from_name: "Stichting Voorbeeld".into(),
        from_email: "brieven@stichting-voorbeeld.nl".into(),
        ..Default::default()
    };
    let mut accounts = hemicycle::deliver::profile::Profiles::default();
    accounts.upsert(account);
    accounts.save(&home.path().join("config/mail-accounts.toml")).unwrap();
    let settings = serde_json::json!({ "window": [WIDTH, HEIGHT], "theme": "light", "tab": "recipients" });
    let mut win = Window::start("staff", home.path(), &settings, &[]);

    // The welcome takes the letterhead.
    win.type_into("Organisation name", "Stichting Voorbeeld");
    win.type_into("Your name", "An Jansen");
    win.type_into("E-mail", "brieven@stichting-voorbeeld.nl");
    win.snap("welcome");
    win.click("Start");
    win.wait_gone("the welcome", |w| w.named("Start"));

    // Three MEPs, found by name.
    win.click("Select none");
    let meps = three_meps();
    for m in &meps {
        win.type_into("Search", &m.family_name);
        win.click("Select all shown");
    }
    win.wait_for("3 selected", |w| {
        w.name.as_deref().is_some_and(|n| n.starts_with("1  Recipients (3)"))
    });
    win.snap("recipients");

    // Demand 1 in the staff member's words.
    win.click("2  Letter");
    let demand = "We ask you to vote for a full ban on emotion recognition at the borders.";
    win.type_into("Text of demand 1", demand);
    win.snap("letter");

    // Saved, exported, sent.
    let file = home.path().join("ours.toml");
    xvfb::xdotool(&win.display, &["key", "ctrl+s"]);
    win.type_into("Path", file.to_str().unwrap());
    win.click_until_gone("Save", "Path");
    let out = home.path().join("letters");
    win.click("3  Export letters…");
    win.type_into("Folder", out.to_str().unwrap());
    win.click("Export");
    let start = Instant::now();
    while pdfs(&out) < 3 {
        win.fail_if(start.elapsed() > PATIENCE, "three PDFs were not written");
        std::thread::sleep(Duration::from_millis(200));
    }
    win.snap("exported");
    win.click("Close window");
    win.click("4  Send e-mails…");
    // At the dialog's pace (3 a minute: about 40 s for three letters).
    win.wait_for("the pace", |w| w.named("Letters per minute"));
    win.click("Start sending (3 letters)");
    win.click("Send now");
    let start = Instant::now();
    while server.received().len() < 3 {
        win.fail_if(start.elapsed() > PATIENCE, "three letters did not arrive");
        std::thread::sleep(Duration::from_millis(200));
    }
    win.snap("sent");
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("emotion recognition at the borders"), "{saved}");
    for r in server.received() {
        let (from, body) = header_and_body(server_dir.path(), r["raw"].as_str().unwrap(), "From");
        assert_eq!(from, "Stichting Voorbeeld <brieven@stichting-voorbeeld.nl>");
        assert!(common::folded(&body).contains(demand), "{body}");
    }
}

/// How many PDFs `dir` holds.
fn pdfs(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| {
        d.filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
            .count()
    })
}
