//! A virtual X display for the tests that open the real app's window.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed (and reaped) when the test ends, passed or not.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Xvfb with one screen of `width`×`height`, and its display name
/// (":4711"), once a client can connect to it.
///
/// The display number is chosen here, high and spread out, so that tests
/// starting servers at the same moment rarely meet; a number already taken
/// makes Xvfb exit, and then another is tried. The server is ready when
/// `xwininfo` gets an answer from it.
pub fn start(width: u32, height: u32) -> (Killed, String) {
    let seed = std::process::id() as usize;
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as usize);
    for attempt in 0..20 {
        let number = 1000 + (seed * 31 + clock / 1000 + attempt * 7919) % 50_000;
        let display = format!(":{number}");
        let xvfb = Command::new("Xvfb")
            // -noreset: by default the server starts afresh whenever its
            // last client leaves, and a client connecting meanwhile (the
            // app, just after a probe or a screenshot) is refused.
            .args([
                &display,
                "-screen",
                "0",
                &format!("{width}x{height}x24"),
                "-nolisten",
                "tcp",
                "-noreset",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is installed (scripts/check.sh installs it)");
        let mut xvfb = Killed(xvfb);
        // A bound for a hung server, not a measure of speed.
        let deadline = Instant::now() + Duration::from_mins(1);
        while Instant::now() < deadline {
            if xvfb.0.try_wait().ok().flatten().is_some() {
                break; // the number was taken: try another
            }
            let answers = Command::new("xwininfo")
                .args(["-root", "-display", &display])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("xwininfo is installed (x11-utils)")
                .success();
            if answers {
                return (xvfb, display);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("Xvfb started twenty times and no client could connect to it");
}
