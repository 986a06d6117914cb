//! `hemicycle bench --send`: every MEP's letter of a campaign sent,
//! unthrottled, to a local Postfix `smtp-sink` with the journal on (wall and
//! CPU time), then the same letters sent to the same sink by Python's
//! `mailmerge`, in the same run; prints both and the ratio.
//!
//! The addresses are made up for the benchmark (`mep-<id>@bench.invalid`):
//! the sink accepts anything and delivers nothing.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::deliver::journal::Journal;
use crate::deliver::profile::{Profile, Security};
use crate::deliver::send::{self, Control, SendOptions, Sender};
use crate::deliver::smtp::Smtp;
use crate::directory::Directory;

/// Process CPU time (user + system) of this process, and of its waited-for
/// children, from /proc (Linux).
fn cpu_times() -> Option<(Duration, Duration)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<u64> = rest.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    // rest starts at field 3 (state, not a number, filtered out): utime is
    // field 14, stime 15, cutime 16, cstime 17 → indices 10..14 here.
    let tick = 100u64; // USER_HZ on Linux
    let d = |t: u64| Duration::from_millis(t * 1000 / tick);
    Some((d(f.get(10)? + f.get(11)?), d(f.get(12)? + f.get(13)?)))
}

fn find(program: &str, fallbacks: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .chain(fallbacks.iter().map(PathBuf::from))
        .find(|p| p.is_file())
}

struct Sink(Child);

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_sink() -> anyhow::Result<(Sink, u16)> {
    let Some(sink) = find("smtp-sink", &["/usr/sbin/smtp-sink", "/usr/lib/postfix/sbin/smtp-sink"]) else {
        anyhow::bail!("the send benchmark needs Postfix's smtp-sink: install the Debian package postfix");
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut cmd = Command::new(sink);
    // smtp-sink refuses to run as root without a user to switch to.
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if root {
        cmd.args(["-u", "nobody"]);
    }
    let child = cmd
        .arg(format!("127.0.0.1:{port}"))
        .arg("256")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let sink = Sink(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            anyhow::bail!("smtp-sink did not start on port {port}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok((sink, port))
}

#[allow(clippy::cast_precision_loss)]
pub fn run(campaign: &Path, journal_dir: Option<&Path>) -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        println!("note: this is a debug build; run `cargo run --release -- bench --send` for real figures");
    }
    let mut composer = crate::compose::Composer::open(campaign, None)?;
    composer.campaign.recipients.query = crate::directory::query::Query::default();
    composer.campaign.recipients.include.clear();
    composer.campaign.recipients.exclude.clear();
    let dir = Directory::bundled()?;
    let mut meps: Vec<crate::directory::Mep> = composer.recipients(&dir).into_iter().cloned().collect();
    for m in &mut meps {
        m.email = Some(format!("mep-{}@bench.invalid", m.id));
        m.email_is_guess = false;
    }
    let refs: Vec<&crate::directory::Mep> = meps.iter().collect();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    let start = Instant::now();
    let plan = send::plan(&composer, &refs, today)?;
    let compose = start.elapsed();
    let n = plan.items.len();
    println!("compose {n} letters (one thread): {compose:.2?}");
    let (_sink, port) = start_sink()?;
    let work = tempfile::tempdir()?;

    let (ours, our_cpu) = run_ours(&plan, port, journal_dir, work.path())?;

    // mailmerge: the same letters (their text), the same addresses, the same sink.
    let Some(mailmerge) = find("mailmerge", &[]) else {
        println!("mailmerge: not installed (pip install mailmerge); no ratio");
        return Ok(());
    };
    write_mailmerge_inputs(&plan, port, work.path())?;
    let (sent, theirs, their_cpu) = run_mailmerge(&mailmerge, work.path())?;
    println!(
        "mailmerge {}: {sent} of {n} letters to the same sink: wall {theirs:.2?}, CPU {}, {:.0} letters/s",
        Command::new(&mailmerge)
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default(),
        their_cpu.map_or("n/a".to_owned(), |c| format!("{c:.2?}")),
        sent as f64 / theirs.as_secs_f64()
    );
    println!(
        "ratio: hemicycle is {:.1}× faster by wall time ({:.1}× counting its composing too){} (target: at least 10×)",
        theirs.as_secs_f64() / ours.as_secs_f64(),
        theirs.as_secs_f64() / (ours + compose).as_secs_f64(),
        match (our_cpu, their_cpu) {
            (Some(a), Some(b)) if a.as_nanos() > 0 =>
                format!(", {:.1}× by CPU time", b.as_secs_f64() / a.as_secs_f64()),
            _ => String::new(),
        }
    );
    Ok(())
}

#[allow(clippy::cast_precision_loss)]
/// Hemicycle's send of the composed `plan` to the sink, the journal flushed
/// before and after each message: wall time and CPU time.
fn run_ours(
    plan: &send::Plan,
    port: u16,
    journal_dir: Option<&Path>,
    work: &Path,
) -> anyhow::Result<(Duration, Option<Duration>)> {
    // Hemicycle: compose (done above, as the app does before sending), then
    // send with the journal fsync'd before and after each message.
    let profile = Profile {
        name: "bench".into(),
        host: "127.0.0.1".into(),
        port,
        security: Security::None,
        from_name: "Hemicycle bench".into(),
        from_email: "bench@bench.invalid".into(),
        ..Profile::default()
    };
    let journal_file = journal_dir.map_or_else(
        || work.join("journal.jsonl"),
        |d| d.join(format!("hemicycle-bench-{}.jsonl", std::process::id())),
    );
    let mut journal = Journal::open(&journal_file)?;
    let mut smtp = Smtp::new(profile.clone(), None);
    let opts = SendOptions {
        per_minute: 0.0,
        ..SendOptions::default()
    };
    let cpu0 = cpu_times();
    let start = Instant::now();
    let report = send::run(
        plan,
        &Sender::from_profile(&profile),
        &mut journal,
        &mut smtp,
        &opts,
        &Control::default(),
        &|_| {},
    )?;
    let ours = start.elapsed();
    let cpu1 = cpu_times();
    drop(journal);
    if journal_dir.is_some() {
        let _ = std::fs::remove_file(&journal_file);
    }
    let our_cpu = match (cpu0, cpu1) {
        (Some(a), Some(b)) => Some(b.0.saturating_sub(a.0)),
        _ => None,
    };
    println!(
        "hemicycle send: {} letters to smtp-sink, unthrottled, journal on ({}): wall {ours:.2?}, CPU {}, {:.0} letters/s ({} failed)",
        report.sent.len(),
        journal_file
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        our_cpu.map_or("n/a".to_owned(), |c| format!("{c:.2?}")),
        report.sent.len() as f64 / ours.as_secs_f64(),
        report.failed.len() + report.unconfirmed.len()
    );

    Ok((ours, our_cpu))
}

/// mailmerge's template, database (one body file per letter) and server
/// settings, in `work`.
fn write_mailmerge_inputs(plan: &send::Plan, port: u16, work: &Path) -> anyhow::Result<()> {
    // Each letter's text in a file of its own, included by the template
    // (mailmerge's CSV sniffing cannot read letters with quotes in them).
    let template = work.join("template.txt");
    std::fs::write(
        &template,
        "TO: {{email}}\nSUBJECT: {{subject}}\nFROM: Hemicycle bench <bench@bench.invalid>\n\n{% include body_file %}\n",
    )?;
    let bodies = work.join("bodies");
    std::fs::create_dir_all(&bodies)?;
    let mut csv = csv::Writer::from_path(work.join("database.csv"))?;
    csv.write_record(["email", "subject", "body_file"])?;
    for (i, item) in plan.items.iter().enumerate() {
        let name = format!("{i}.txt");
        std::fs::write(bodies.join(&name), crate::render::text::render(&item.letter))?;
        csv.write_record([
            item.to.as_str(),
            item.letter.meta.subject.as_str(),
            format!("bodies/{name}").as_str(),
        ])?;
    }
    csv.flush()?;
    drop(csv);
    std::fs::write(
        work.join("server.conf"),
        format!("[smtp_server]\nhost = 127.0.0.1\nport = {port}\nsecurity = Never\nratelimit = 0\n"),
    )?;
    Ok(())
}

/// mailmerge's send of the same letters: how many it sent, wall and CPU time.
fn run_mailmerge(mailmerge: &Path, work: &Path) -> anyhow::Result<(usize, Duration, Option<Duration>)> {
    let cpu0 = cpu_times();
    let start = Instant::now();
    let mut child = Command::new(mailmerge)
        .args(["--no-dry-run", "--no-limit", "--output-format", "raw"])
        .arg("--template")
        .arg(work.join("template.txt"))
        .arg("--database")
        .arg(work.join("database.csv"))
        .arg("--config")
        .arg(work.join("server.conf"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut sent = 0usize;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if line.starts_with(">>> message ") && line.ends_with(" sent") {
                sent += 1;
            }
        }
    }
    let status = child.wait()?;
    let theirs = start.elapsed();
    let cpu1 = cpu_times();
    let their_cpu = match (cpu0, cpu1) {
        (Some(a), Some(b)) => Some(b.1.saturating_sub(a.1)),
        _ => None,
    };
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            std::io::Read::read_to_string(&mut e, &mut err)?;
        }
        anyhow::bail!("mailmerge failed: {}", err.trim());
    }
    Ok((sent, theirs, their_cpu))
}
