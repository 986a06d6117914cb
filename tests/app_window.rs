//! README's run command opens the app: the real binary, started with no
//! arguments on a virtual X display (Xvfb, software OpenGL), shows a window
//! named "Hemicycle" and keeps running.

#![allow(clippy::unwrap_used)]

mod common;

use common::xvfb;

use std::process::Command;
use std::time::{Duration, Instant};

fn window_names(display: &str) -> String {
    let out = Command::new("xwininfo")
        .args(["-root", "-tree"])
        .env("DISPLAY", display)
        .output()
        .expect("xwininfo is installed (x11-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_app_opens_a_window() {
    let (_xvfb, display) = xvfb::start(1280, 800);
    let home = tempfile::tempdir().unwrap();
    let mut app = xvfb::app(&display, home.path(), &[], &[]);
    let deadline = Instant::now() + Duration::from_mins(3);
    loop {
        if let Some(status) = app.0.try_wait().unwrap() {
            let err = xvfb::said(home.path());
            panic!("the app exited ({status}) instead of showing its window: {err}");
        }
        if window_names(&display).contains("\"Hemicycle\"") {
            break;
        }
        assert!(Instant::now() < deadline, "no Hemicycle window after 3 minutes");
        std::thread::sleep(Duration::from_millis(200));
    }
    // Still alive a moment after its first frames.
    std::thread::sleep(Duration::from_secs(1));
    assert!(app.0.try_wait().unwrap().is_none(), "the app quit after opening");
}
