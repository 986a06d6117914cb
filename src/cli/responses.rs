//! `hemicycle responses CAMPAIGN`: reads the mail account's Inbox (and the
//! folders named) read-only over IMAP since the campaign's first letter,
//! and prints where each MEP stands: answered, automatic reply, bounced,
//! delayed or no answer yet; `--summary` the figures by group and country,
//! `--csv` the same as a file, `--show` one MEP's reply.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use super::terminal_safe;
use crate::deliver::journal;
use crate::deliver::profile::Profiles;
use crate::deliver::responses::summary::{self, Row};
use crate::deliver::responses::{self, Answer, CampaignResponses, Files, MepState};
use crate::deliver::secrets::Keyring;
use crate::deliver::send::Sender;
use crate::deliver::session;

#[derive(Debug, Args)]
pub struct ResponsesArgs {
    /// The campaign file (.toml).
    campaign: PathBuf,
    /// The mail account the letters went from (see `hemicycle account list`).
    #[arg(long, value_name = "NAME")]
    profile: String,
    /// A folder to read besides INBOX (as your mail program names it); repeat for more.
    #[arg(long, value_name = "NAME")]
    folder: Vec<String>,
    /// Do not connect: show what was read before.
    #[arg(long)]
    offline: bool,
    /// The figures: sent, answered (median time to answer), automatic replies, bounced, no answer yet — by group and country.
    #[arg(long)]
    summary: bool,
    /// Write the table (with --summary: the figures) to this CSV file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Print the reply (or automatic reply, or delivery report) of this MEP (their id).
    #[arg(long, value_name = "MEP_ID")]
    show: Option<String>,
    /// The journal file (default: the campaign's, in Hemicycle's data folder).
    #[arg(long, value_name = "FILE")]
    journal: Option<PathBuf>,
    /// Seconds to wait for the IMAP server at each step.
    #[arg(long, value_name = "SECONDS", default_value = "30")]
    timeout: u64,
}

pub fn run(args: &ResponsesArgs) -> anyhow::Result<()> {
    let paths = super::paths()?;
    let profile = Profiles::load(&paths.profiles())?.get(&args.profile)?.clone();
    let journal = match &args.journal {
        Some(j) => j.clone(),
        None => journal::path_for(&paths.journals(), &args.campaign),
    };
    let files = Files {
        ledgers: paths.ledgers(),
        sender: Sender::from_profile(&profile).from_email,
        journal,
    };
    if !args.offline {
        let password = session::password_for(&Keyring, &profile)?;
        let folders = responses::imap::folders(args.folder.iter().map(String::as_str));
        let request = responses::imap::Request {
            profile,
            password,
            folders,
            since: chrono::NaiveDate::MIN,
            timeout: Duration::from_secs(args.timeout.clamp(1, 600)),
        };
        let mut progress = |done: usize, total: usize| eprint!("\rread {done} of {total} new messages");
        let report = responses::read_new(&files, request, &mut progress, &AtomicBool::new(false));
        eprintln!();
        let report = report.context("the reading stopped; what was read before it stopped is kept")?;
        eprintln!("{}", report.words());
    }
    let found = responses::of_campaign(&files)?;
    for w in &found.warnings {
        eprintln!("warning: {}", terminal_safe(w));
    }
    if let Some(mep) = &args.show {
        return show(&found, mep);
    }
    let directory = super::active_directory(None)?;
    if args.summary {
        let s = summary::summarize(&found.states, &directory);
        print_summary(&s);
        if let Some(file) = &args.csv {
            write(file, &args.campaign, &summary::summary_csv(&s))?;
        }
    } else {
        print_states(&found);
        if let Some(file) = &args.csv {
            write(file, &args.campaign, &summary::meps_csv(&found.states, &directory))?;
        }
    }
    Ok(())
}

/// The CSV file, never over the campaign or a file it reads (`--out`'s rules).
fn write(file: &std::path::Path, campaign: &std::path::Path, text: &str) -> anyhow::Result<()> {
    let inputs = super::out::campaign_inputs(campaign);
    super::out::write(file, text.as_bytes(), "the CSV file", &inputs, "the campaign's")?;
    eprintln!("Wrote {}", terminal_safe(&file.display().to_string()));
    Ok(())
}

/// One line for an MEP: name, id, state, date and the details.
fn state_line(s: &MepState) -> String {
    let day = s.at.as_deref().map(|d| d.get(..10).unwrap_or(d)).unwrap_or_default();
    let detail = match (s.answer, &s.latest) {
        (Answer::Replied, _) => s
            .answered_after_secs
            .map(|t| format!(" on {day}, after {}", summary::duration_words(t)))
            .unwrap_or_default(),
        (Answer::AutoReplied, Some(r)) => format!(
            " on {day}{}",
            r.back_on
                .as_deref()
                .map(|b| format!(", back on {b}"))
                .unwrap_or_default()
        ),
        (Answer::Failed | Answer::Delayed, Some(r)) => format!(" on {day}: {} {}", r.status, r.diagnostic),
        _ => String::new(),
    };
    format!("{} ({}) <{}>: {}{detail}", s.name, s.mep, s.to, s.answer.words())
}

fn print_states(found: &CampaignResponses) {
    for s in found.states.values() {
        println!("{}", terminal_safe(&state_line(s)));
    }
    if !found.unrelated.is_empty() {
        println!("\nNot related ({}):", found.unrelated.len());
        for r in &found.unrelated {
            println!(
                "  {} from {} \"{}\": {}",
                r.day(),
                terminal_safe(&r.from),
                terminal_safe(&r.subject),
                terminal_safe(&r.note)
            );
        }
    }
}

fn row_line(r: &Row) -> String {
    format!(
        "{:<12} {:>5} {:>9} {:>14} {:>6} {:>8} {:>8}",
        r.key,
        r.sent,
        r.answered,
        r.median_secs.map_or_else(|| "-".to_owned(), summary::duration_words),
        r.auto_replies,
        r.bounced + r.delayed,
        r.no_answer
    )
}

fn print_summary(s: &summary::Summary) {
    let head = format!(
        "{:<12} {:>5} {:>9} {:>14} {:>6} {:>8} {:>8}",
        "", "sent", "answered", "median time", "auto", "bounced", "no answer"
    );
    println!("{head}\n{}", row_line(&s.all));
    println!("\nBy group\n{head}");
    for r in &s.by_group {
        println!("{}", terminal_safe(&row_line(r)));
    }
    println!("\nBy country\n{head}");
    for r in &s.by_country {
        println!("{}", terminal_safe(&row_line(r)));
    }
}

fn show(found: &CampaignResponses, mep: &str) -> anyhow::Result<()> {
    let Some(state) = found.states.get(mep) else {
        anyhow::bail!(
            "no letter of this campaign went to the MEP with the id {mep}; see the ids in hemicycle responses without --show"
        );
    };
    println!("{}", terminal_safe(&state_line(state)));
    if state.responses.is_empty() {
        println!("Nothing came back yet.");
    }
    for r in &state.responses {
        println!(
            "\n--- {} from {}: {}",
            r.date,
            terminal_safe(&r.from),
            terminal_safe(&r.subject)
        );
        let body = if r.text.is_empty() { &r.diagnostic } else { &r.text };
        for line in body.lines() {
            println!("{}", terminal_safe(line));
        }
    }
    Ok(())
}
