//! `hemicycle bench --ui`, the page view's figures: from a keystroke in a
//! demand to the new pages on screen, and from choosing another MEP to
//! their pages, on the app without a window (as `bench`), the pages drawn
//! by their background job as in the app.

use std::time::{Duration, Instant};

use eframe::egui;

use super::App;
use super::bench::frame;
use super::bench_memory::Memory;

/// Frames, a millisecond apart (an idle UI waiting for its job), until the
/// page view shows the letter in the preview; the time that took and the
/// slowest frame.
fn until_pages(ctx: &egui::Context, app: &mut App, first: Vec<egui::Event>) -> anyhow::Result<(Duration, Duration)> {
    let start = Instant::now();
    let mut slowest = frame(ctx, app, first);
    while !app.probe().pages_ready() {
        if start.elapsed() > Duration::from_mins(1) {
            anyhow::bail!("the page view showed no pages within a minute");
        }
        std::thread::sleep(Duration::from_millis(1));
        slowest = slowest.max(frame(ctx, app, Vec::new()));
    }
    if let Some(e) = app.probe().page_error() {
        anyhow::bail!("the letter could not be typeset: {e}");
    }
    Ok((start.elapsed(), slowest))
}

fn median_p95(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (
        times[times.len() / 2],
        times[(times.len() * 95 / 100).min(times.len() - 1)],
    )
}

/// Runs after the typing figures, with the demand's text still focused.
pub(super) fn run(ctx: &egui::Context, app: &mut App) -> anyhow::Result<()> {
    app.steer().show_page_view(true);
    app.steer().focus_demand_text(1);
    let (cold, _) = until_pages(ctx, app, Vec::new())?;
    let pages = app.probe().page_fingerprints().len();
    println!("page view, first pages ({pages} pages): {cold:.0?}");
    let mut to_pages = Vec::new();
    let mut frames = Vec::new();
    let mut changed = 0;
    for ch in "so that no one is profiled ".chars().cycle().take(40) {
        let before = app.probe().page_fingerprints();
        let (took, slowest) = until_pages(ctx, app, vec![egui::Event::Text(ch.to_string())])?;
        // (A space at the end of a line may change no page.)
        changed += usize::from(app.probe().page_fingerprints() != before);
        to_pages.push(took);
        frames.push(slowest);
    }
    if changed < 30 {
        anyhow::bail!("only {changed} of 40 keystrokes changed the pages; the figures would mean nothing");
    }
    let (median, p95) = median_p95(to_pages);
    println!(
        "keystroke in a demand to new pages on screen (40 keystrokes): median {median:.0?}, p95 {p95:.0?} (target: median under 150 ms, p95 under 300 ms)"
    );
    let (frame_median, frame_p95) = median_p95(frames);
    println!(
        "slowest frame per keystroke while the pages are drawn: median {frame_median:.2?}, p95 {frame_p95:.2?} (target: under 8 ms)"
    );
    long_typing(ctx, app)?;
    let mut switches = Vec::new();
    for id in app.probe().some_mep_ids(21).into_iter().skip(1) {
        app.steer().preview_mep_id(&id);
        switches.push(until_pages(ctx, app, Vec::new())?.0);
        if app.probe().pages_shown_for().as_deref() != Some(id.as_str()) {
            anyhow::bail!("the pages are not those of the MEP chosen; the figures would mean nothing");
        }
    }
    let (median, p95) = median_p95(switches);
    println!(
        "another MEP to their pages on screen (20 MEPs): median {median:.0?}, p95 {p95:.0?} (target: under 150 ms)"
    );
    app.steer().show_page_view(false);
    Ok(())
}

/// Memory stays bounded while the user types for long: 500 keystrokes,
/// each waiting for its pages, a character and then Backspace (so the
/// letter, and what it rightly needs, stays the same size); the resident
/// set after the first 100 and after all.
fn long_typing(ctx: &egui::Context, app: &mut App) -> anyhow::Result<()> {
    let before = app.probe().demand_text(1);
    let backspace = egui::Event::Key {
        key: egui::Key::Backspace,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    };
    let mut after_100 = None;
    for (i, ch) in "and that it is kept short ".chars().cycle().take(250).enumerate() {
        until_pages(ctx, app, vec![egui::Event::Text(ch.to_string())])?;
        until_pages(ctx, app, vec![backspace.clone()])?;
        if i == 49 {
            after_100 = Memory::now();
        }
    }
    if app.probe().demand_text(1) != before {
        anyhow::bail!("typing and Backspace changed the demand's text; the figures would mean nothing");
    }
    if let (Some(first), Some(last)) = (after_100, Memory::now()) {
        println!(
            "memory while typing with the page view open (a character, then Backspace): after 100 keystrokes {first}, after 500 {last} (target: flat)"
        );
    }
    Ok(())
}
