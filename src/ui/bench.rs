//! `hemicycle bench --ui`: the app without a window. Builds the real `App`
//! on an egui context, with the 719-MEP directory loaded and the example
//! campaign (36 notes) open, and times whole frames — the app's drawing code
//! plus egui's layout and tessellation, everything but the GPU — while
//! characters are typed into a demand's text, so that the letter is composed
//! and the preview laid out again on every keystroke.

use std::time::{Duration, Instant};

use eframe::egui;

use super::bench_memory::Memory;
use super::{App, Config};

pub(super) fn frame(ctx: &egui::Context, app: &mut App, events: Vec<egui::Event>) -> Duration {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
        events,
        ..Default::default()
    };
    let start = Instant::now();
    let mut output = ctx.run_ui(input, |ui| app.show(ui));
    let _ = ctx.tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
    let elapsed = start.elapsed();
    // No GPU here: the font atlas updates have nowhere to go.
    output.textures_delta.clear();
    elapsed
}

pub fn run() -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        println!("note: this is a debug build; run `cargo run --release -- bench --ui` for real figures");
    }
    let home = tempfile::tempdir()?;
    let started = Instant::now();
    let ctx = egui::Context::default();
    let mut config = Config::under(home.path());
    config.started = Some(started);
    let mut app = App::new(&ctx, config);
    let first = frame(&ctx, &mut app, Vec::new());
    println!(
        "app start to the end of the first frame (no window): {:.0?} (of which the first frame {first:.0?}; target: under 500 ms in the real window)",
        started.elapsed()
    );
    let notes = app.probe().preview_note_count();
    // Settle: fonts, the welcome dialog, the preview.
    for _ in 0..5 {
        frame(&ctx, &mut app, Vec::new());
    }
    app.steer().focus_demand_text(1);
    frame(&ctx, &mut app, Vec::new());
    frame(&ctx, &mut app, Vec::new());
    let mut times = Vec::new();
    let text = "and we ask you to vote for it ";
    for ch in text.chars().cycle().take(300) {
        times.push(frame(&ctx, &mut app, vec![egui::Event::Text(ch.to_string())]));
    }
    let body = app.probe().demand_text(1).unwrap_or_default();
    if !body.contains(text.trim()) {
        anyhow::bail!("the typing did not reach the demand's text; the figures would mean nothing");
    }
    times.sort();
    let median = times[times.len() / 2];
    let p95 = times[times.len() * 95 / 100];
    let max = times[times.len() - 1];
    println!(
        "frame while typing into a demand ({notes} notes in the letter, {} MEPs loaded, 300 keystrokes): median {median:.2?}, p95 {p95:.2?}, max {max:.2?} (target: under 8 ms)",
        app.probe().directory_len()
    );
    let mut idle = Vec::new();
    for _ in 0..100 {
        idle.push(frame(&ctx, &mut app, Vec::new()));
    }
    idle.sort();
    println!("idle frame: median {:.2?}", idle[idle.len() / 2]);
    if let Some(memory) = Memory::now() {
        println!("memory in use (RSS) before the page view: {memory}");
    }
    super::bench_pages::run(&ctx, &mut app)?;
    if let Some(memory) = Memory::now() {
        println!("memory in use (RSS) after these frames: {memory} (target: under 150 MB idle)");
    }
    Ok(())
}
