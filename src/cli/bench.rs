//! `hemicycle bench`: figures for the speed targets, printed, not asserted.

use std::time::{Duration, Instant};

use clap::Args;

use crate::directory::Directory;
use crate::directory::Role;
use crate::directory::query::{Index, Query};

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// How many times each measured operation runs.
    #[arg(long, default_value_t = 2000)]
    iterations: usize,
    /// The campaign whose letters are timed.
    #[arg(long, value_name = "FILE")]
    campaign: Option<std::path::PathBuf>,
    /// Leave out the (slower) export of every MEP's letter to PDF, DOCX and .eml.
    #[arg(long)]
    no_export: bool,
    /// Only the send benchmark: every MEP's letter, unthrottled, to a local
    /// Postfix `smtp-sink` with the journal on, against Python's `mailmerge`
    /// on the same sink.
    #[arg(long)]
    send: bool,
    /// With --send: keep the journal in this folder (default: a temporary
    /// folder), to see what the disk's flushes cost (try /dev/shm).
    #[arg(long, value_name = "DIR")]
    journal_dir: Option<std::path::PathBuf>,
    /// Only the app's figures: start to first frame and frame times while
    /// typing in a 36-note letter, without a window.
    #[arg(long)]
    ui: bool,
}

/// The campaign to time: the one given, or the bundled example written to
/// the data folder (so the bench works from an installed package too).
fn campaign_path(args: &BenchArgs) -> anyhow::Result<std::path::PathBuf> {
    if let Some(c) = &args.campaign {
        return Ok(c.clone());
    }
    let paths = super::paths()?;
    Ok(crate::campaign::examples::install(&paths.examples())?)
}

/// Median and 95th percentile of `iterations` runs of `f`.
fn measure(iterations: usize, mut f: impl FnMut() -> usize) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(iterations);
    let mut last = 0;
    for _ in 0..iterations.max(1) {
        let start = Instant::now();
        last = std::hint::black_box(f());
        times.push(start.elapsed());
    }
    times.sort();
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    (times[times.len() / 2], p95, last)
}

pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        println!("note: this is a debug build; run `cargo run --release -- bench` for real figures");
    }
    if args.ui {
        return crate::ui::bench::run();
    }
    if args.send {
        return super::bench_send::run(&campaign_path(args)?, args.journal_dir.as_deref());
    }
    let n = args.iterations;
    let (load, _, meps) = measure(20.min(n), || Directory::bundled().map_or(0, |d| d.meps.len()));
    println!("directory: {meps} MEPs, parse bundled snapshot: median {load:.2?}");
    let dir = Directory::bundled()?;
    let (build, _, _) = measure(20.min(n), || Index::new(&dir).run(&Query::default()).len());
    println!("index build + list all: median {build:.2?}");
    let index = Index::new(&dir);
    let cases = [
        (
            "text \"arlukowicz\"",
            Query {
                text: "arlukowicz".into(),
                ..Query::default()
            },
        ),
        (
            "text \"o riordain\"",
            Query {
                text: "o riordain".into(),
                ..Query::default()
            },
        ),
        (
            "text \"a\" (matches most)",
            Query {
                text: "a".into(),
                ..Query::default()
            },
        ),
        (
            "LIBE members",
            Query {
                committees: vec!["LIBE".into()],
                roles: vec![Role::Member],
                ..Query::default()
            },
        ),
    ];
    for (label, query) in &cases {
        let (median, p95, hits) = measure(n, || index.run(query).len());
        println!("query {label}: {hits} hits, median {median:.2?}, p95 {p95:.2?} (target: median < 100 µs)");
    }
    letters(args, &dir)
}

/// Compose and render: one letter, then every MEP's.
fn letters(args: &BenchArgs, dir: &Directory) -> anyhow::Result<()> {
    use anyhow::Context;
    let campaign = campaign_path(args)?;
    let mut composer = crate::compose::Composer::open(&campaign, None).with_context(|| {
        format!(
            "could not open the campaign to time its letters ({})",
            campaign.display()
        )
    })?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let Some(mep) = composer.recipients(dir).first().copied() else {
        anyhow::bail!("the campaign has no recipients to time");
    };
    let letter = composer.letter(mep, 0, today)?;
    println!(
        "letter: {} demands, {} notes ({})",
        composer.demands.len(),
        letter.notes.len(),
        campaign.display()
    );
    let n = (args.iterations / 10).max(20);
    let (template, _, _) = measure(n, || composer.markdown(mep, 0, today).map_or(0, |m| m.len()));
    println!("fill the template: median {template:.2?}");
    let (cold, p95, _) = measure(n, || {
        composer.clear_cache();
        composer.letter(mep, 0, today).map_or(0, |l| l.notes.len())
    });
    println!(
        "compose one letter, citations formatted anew (its citations changed): median {cold:.2?}, p95 {p95:.2?} (target: median ≤ 2 ms; 2.6–2.9 ms before the final render of an unchanged cite and a note style's bibliography were left out, 2.1–2.2 ms before hayagriva kept the terms it looked up)"
    );
    let (compose, p95, _) = measure(n, || composer.letter(mep, 0, today).map_or(0, |l| l.notes.len()));
    println!(
        "compose one letter, same citations as the last letter (typing outside a citation): median {compose:.2?}, p95 {p95:.2?}"
    );
    let (both, p95, _) = measure(n, || {
        composer.letter(mep, 0, today).map_or(0, |l| {
            crate::render::text::render(&l).len() + crate::render::html::render(&l).len()
        })
    });
    println!(
        "compose + render text and HTML, one letter (same citations): median {both:.2?}, p95 {p95:.2?} (target: median < 2 ms)"
    );

    composer.campaign.recipients.query = Query::default();
    let everyone = composer.recipients(dir);
    let start = Instant::now();
    let mut bytes = 0usize;
    for (i, mep) in everyone.iter().enumerate() {
        let l = composer.letter(mep, i, today)?;
        bytes += crate::render::text::render(&l).len() + crate::render::html::render(&l).len();
    }
    let total = start.elapsed();
    #[allow(clippy::cast_precision_loss)]
    let rate = everyone.len() as f64 / total.as_secs_f64();
    println!(
        "all {} MEPs to text + HTML on one thread: {total:.2?} ({rate:.0} letters/s, {} MB)",
        everyone.len(),
        bytes / 1_000_000
    );
    if !args.no_export {
        export_all(&composer, &everyone, today)?;
    }
    Ok(())
}

/// Every MEP's letter to PDF, DOCX and .eml, one format at a time, on all
/// cores, into a temporary folder.
fn export_all(
    composer: &crate::compose::Composer,
    meps: &[&crate::directory::Mep],
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    use crate::deliver::{self, ExportOptions, Format};
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    for format in [Format::Pdf, Format::Docx, Format::Eml] {
        let dir = tempfile::tempdir()?;
        let options = ExportOptions {
            formats: vec![format],
            out_dir: dir.path().to_path_buf(),
            zip_name: None,
            pattern: deliver::names::DEFAULT_PATTERN.to_owned(),
            combined_pdf: false,
            pdf: crate::render::pdf::PdfSettings::default(),
            eml: crate::deliver::export::eml_settings(composer, false, false),
            today,
        };
        let cpu_before = cpu_time();
        let start = Instant::now();
        let report = deliver::export(
            composer,
            meps,
            &options,
            &|_| {},
            &std::sync::atomic::AtomicBool::new(false),
        )?;
        let total = start.elapsed();
        let cpu = match (cpu_before, cpu_time()) {
            (Some(before), Some(after)) => format!(", {:.2?} of processor time", after.saturating_sub(before)),
            _ => String::new(),
        };
        #[allow(clippy::cast_precision_loss)]
        let rate = report.written.len() as f64 / total.as_secs_f64();
        let target = if format == Format::Pdf {
            " (target: at most 5 s; 24 s before paragraphs reached the layout as data of their own, 8.1 s before plain export threads, mimalloc and faster compression; 18.9 s of processor time before typst's cache outlived the letters in other languages, 6.8-8.2 s before krilla stopped cloning a font per glyph)"
        } else {
            ""
        };
        println!(
            "export {} letters to {} on {threads} threads: {total:.2?}{cpu}, {rate:.0} letters/s, {} failed{target}",
            meps.len(),
            format.ext(),
            report.failed.len()
        );
        if format == Format::Pdf
            && let Some(peak) = peak_memory_mb()
        {
            println!(
                "peak memory after the PDF export: {peak} MB (target: under 500 MB; 1.8 GB when typst's cache was never evicted and letters nested on rayon's threads)"
            );
        }
    }
    Ok(())
}

/// The processor time this process has used so far, user and system, on
/// all its threads (Linux: `/proc/self/stat`, in clock ticks of 10 ms): on a
/// machine shared with other work, the wall time says less.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((user + system) * 10))
}

/// The most memory this process has held (Linux: `VmHWM`), in MB.
fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
