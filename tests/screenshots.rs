//! The real app in a real window, photographed: both tabs at 1024×700 and
//! 1600×1000, in the light and the dark theme. The real binary runs on a
//! virtual X display (Xvfb, software OpenGL) as large as the window, with
//! its settings saying the size, the theme and the tab; `xwd` takes the
//! screen once the picture has stopped changing.
//!
//! Each picture is compared with the one kept in `docs/screenshots/` (the
//! pictures README.md and the docs show): more than 1 % of its pixels
//! changed by more than a tenth of their colour fails the test, and the new
//! picture is left in the build folder to look at. `UPDATE_SCREENSHOTS=1`
//! writes the new pictures into `docs/screenshots/` instead, to review with
//! `git diff` and commit. Whether nothing is cut off at 1024×700 is tested
//! apart, exactly, in `tests/app_ui.rs` (`nothing_is_cut_off_at_1024_by_700`).

#![allow(clippy::unwrap_used)]

mod common;

use common::xvfb;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn run(command: &mut Command) -> String {
    let out = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The whole screen as a PNG file.
fn shoot(display: &str, png: &Path) {
    assert!(
        xvfb::shoot(display, png),
        "no picture of {display} (xwd and ImageMagick are installed by scripts/check.sh)"
    );
}

/// How many pixels of `a` and `b` differ by more than a tenth of their
/// colour (ImageMagick's `compare`, which exits 1 when any do).
fn differing_pixels(a: &Path, b: &Path) -> u64 {
    let out = Command::new("compare")
        .args(["-metric", "AE", "-fuzz", "10%"])
        .args([a, b])
        .arg("null:")
        .output()
        .expect("ImageMagick's compare is installed (imagemagick)");
    let text = String::from_utf8_lossy(&out.stderr);
    let count = text.split_whitespace().next().unwrap_or_default();
    // A very large count is printed in scientific notation.
    let count: f64 = count
        .parse()
        .unwrap_or_else(|_| panic!("compare {} {}: {text}", a.display(), b.display()));
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let count = count.round() as u64;
    count
}

/// The mean brightness of a picture, 0 (black) to 1 (white).
fn brightness(png: &Path) -> f64 {
    brightness_of(png, "100%x100%+0+0")
}

/// The mean brightness of the part `crop` (ImageMagick's geometry) of a
/// picture.
fn brightness_of(png: &Path, crop: &str) -> f64 {
    run(Command::new("convert").arg(png).args(["-crop", crop, "+repage"]).args([
        "-colorspace",
        "Gray",
        "-format",
        "%[fx:mean]",
        "info:",
    ]))
    .trim()
    .parse()
    .unwrap()
}

/// The app on `tab`, in `theme`, in a window filling a `width`×`height`
/// screen; the picture once two taken a second apart are the same.
fn picture(width: u32, height: u32, theme: &str, tab: &str, out: &Path) {
    let (_xvfb, display) = xvfb::start(width, height);
    // The pointer starts in the middle of the screen, where it would hover
    // over the table and show a tooltip; the top right corner has none.
    xvfb::xdotool(&display, &["mousemove", &(width - 1).to_string(), "0"]);
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    let settings = serde_json::json!({
        "theme": theme,
        "welcomed": true,
        "window": [width, height],
        // "pages": the Letter tab with the preview as pages.
        "tab": if tab == "pages" { "letter" } else { tab },
        "page_view": tab == "pages",
        "organisation": {
            "name": "Stichting Voorbeeld",
            "place": "Utrecht",
            "email": "brieven@stichting-voorbeeld.nl",
            "signatory": { "name": "An Jansen", "role": "Directeur" },
        },
    });
    std::fs::write(home.path().join("config/settings.json"), settings.to_string()).unwrap();
    let mut app = xvfb::app(&display, home.path(), &[], &[]);
    // A bound for a hung app, not a measure of speed: debug builds on a
    // busy machine take long to draw their first frames.
    let deadline = Instant::now() + Duration::from_mins(4);
    let before = out.with_extension("before.png");
    shoot(&display, &before);
    loop {
        std::thread::sleep(Duration::from_secs(1));
        if let Some(status) = app.0.try_wait().unwrap() {
            let said = xvfb::said(home.path());
            panic!("the app quit ({status}) before it was photographed: {said}");
        }
        shoot(&display, out);
        // Still the same after a second, and not the empty screen.
        if differing_pixels(&before, out) == 0 && brightness(out) != 0.0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the {theme} {tab} tab never stopped changing"
        );
        std::fs::rename(out, &before).unwrap();
    }
    std::fs::remove_file(before).unwrap();
}

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots")
}

/// The picture of one size, theme and tab, checked against its copy in
/// `docs/screenshots/`.
fn check(width: u32, height: u32, theme: &str, tab: &str) {
    let name = format!("{tab}-{width}x{height}-{theme}.png");
    let fresh_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&fresh_dir).unwrap();
    let fresh = fresh_dir.join(&name);
    picture(width, height, theme, tab, &fresh);

    // The theme is the one asked for.
    // The page view's pages are white paper in both themes: the theme is
    // told by the editor's half of the window.
    let light = if tab == "pages" {
        brightness_of(&fresh, "50%x100%+0+0")
    } else {
        brightness(&fresh)
    };
    match theme {
        "dark" => assert!(light < 0.35, "{name} is not dark: mean brightness {light:.2}"),
        _ => assert!(light > 0.65, "{name} is not light: mean brightness {light:.2}"),
    }

    let kept = docs().join(&name);
    if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        std::fs::copy(&fresh, &kept).unwrap();
        return;
    }
    assert!(
        kept.exists(),
        "{} is missing: run UPDATE_SCREENSHOTS=1 cargo test --test screenshots, look at the pictures and commit them",
        kept.display()
    );
    let changed = differing_pixels(&kept, &fresh);
    let total = u64::from(width) * u64::from(height);
    assert!(
        changed * 100 <= total,
        "{name}: {changed} of {total} pixels changed; the new picture is {} — if the change is meant, \
         run UPDATE_SCREENSHOTS=1 cargo test --test screenshots and commit docs/screenshots/",
        fresh.display()
    );
}

#[test]
fn letter_tab_at_1024x700() {
    check(1024, 700, "light", "letter");
    check(1024, 700, "dark", "letter");
}

#[test]
fn recipients_tab_at_1024x700() {
    check(1024, 700, "light", "recipients");
    check(1024, 700, "dark", "recipients");
}

#[test]
fn letter_tab_at_1600x1000() {
    check(1600, 1000, "light", "letter");
    check(1600, 1000, "dark", "letter");
}

#[test]
fn recipients_tab_at_1600x1000() {
    check(1600, 1000, "light", "recipients");
    check(1600, 1000, "dark", "recipients");
}

#[test]
fn page_view_at_1024x700() {
    check(1024, 700, "light", "pages");
    check(1024, 700, "dark", "pages");
}

#[test]
fn page_view_at_1600x1000() {
    check(1600, 1000, "light", "pages");
    check(1600, 1000, "dark", "pages");
}
