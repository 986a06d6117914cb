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
    // Tests of one binary start at the same moment on several threads: each
    // call takes a number of its own, so that two never pick one display
    // (where the second's Xvfb exits while the first's answers for it).
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let seed = std::process::id() as usize;
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as usize);
    for attempt in 0..20 {
        let number = 1000 + ((seed * 31 + clock / 1000) % 50_000 + call * 97 + attempt * 7919) % 50_000;
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
            // (Another server on the number may answer while ours exits.)
            if answers && xvfb.0.try_wait().ok().flatten().is_none() {
                return (xvfb, display);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("Xvfb started twenty times and no client could connect to it");
}

/// The real app started on `display` with all its folders under `home`,
/// its arguments and extra variables, software OpenGL and no Wayland; what
/// it prints on standard error goes to `home/stderr.txt` (read by
/// [`said`]). The one way the tests open the app's window.
pub fn app(display: &str, home: &std::path::Path, args: &[&str], envs: &[(&str, &std::ffi::OsStr)]) -> Killed {
    std::fs::create_dir_all(home).expect("the app's home folder");
    let stderr = std::fs::File::create(home.join("stderr.txt")).expect("a file for the app's standard error");
    let mut command = super::command(home);
    command
        .args(args)
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .stdout(Stdio::null())
        .stderr(stderr);
    for (name, value) in envs {
        command.env(name, value);
    }
    Killed(command.spawn().expect("the hemicycle binary starts"))
}

/// What the app started by [`app`] printed on standard error so far.
pub fn said(home: &std::path::Path) -> String {
    std::fs::read_to_string(home.join("stderr.txt")).unwrap_or_default()
}

/// The whole screen of `display` as a PNG file (`xwd`, then ImageMagick's
/// `convert`); false when either is missing or fails.
pub fn shoot(display: &str, png: &std::path::Path) -> bool {
    let xwd = png.with_extension("xwd");
    let ok = Command::new("xwd")
        .args(["-root", "-silent", "-out"])
        .arg(&xwd)
        .env("DISPLAY", display)
        .status()
        .is_ok_and(|s| s.success())
        && Command::new("convert")
            .arg(format!("xwd:{}", xwd.display()))
            .arg(png)
            .status()
            .is_ok_and(|s| s.success());
    let _ = std::fs::remove_file(xwd);
    ok
}

/// Runs `xdotool` on `display` (mouse and keys as a person uses them);
/// fails the test with xdotool's words when it fails.
pub fn xdotool(display: &str, args: &[&str]) {
    let out = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xdotool is installed (scripts/debian-packages.txt)");
    assert!(
        out.status.success(),
        "xdotool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
