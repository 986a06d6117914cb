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
    Ok(())
}
