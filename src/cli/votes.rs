//! `hemicycle votes`: import HowTheyVote.eu roll-call votes, list and show them.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};

use super::terminal_safe;
use crate::votes::{self, Position, Stored, Vote};

#[derive(Debug, Subcommand)]
pub enum VotesCommand {
    /// Import a vote from a HowTheyVote.eu file: the API's vote JSON, a vote's members CSV, or the bulk export.
    Import(ImportArgs),
    /// List the imported votes.
    List,
    /// Show an imported vote: title, date, procedure, result, counts by position, group and country.
    Show(ShowArgs),
    /// Write an imported vote for another tool: DearMEP's `id,endorsement` CSV.
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The HowTheyVote vote id.
    id: u64,
    /// DearMEP's endorsement CSV (`id,endorsement`, one row per MEP of the vote).
    #[arg(long, required = true)]
    dearmep: bool,
    /// The endorsement of each position, replacing the defaults
    /// FOR=1,AGAINST=0,ABSTENTION=0.5,DID_NOT_VOTE=0.5 (a number from 0 to 1 each).
    #[arg(long, value_name = "POSITION=NUMBER,…", value_delimiter = ',')]
    map: Vec<String>,
    /// Write to FILE instead of the standard output (an existing file is kept as FILE.bak).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The vote file (the shape is detected); not needed with --bulk.
    #[arg(value_name = "FILE", required_unless_present_any = ["bulk", "from_howtheyvote"])]
    file: Option<PathBuf>,
    /// FILE is a vote's members CSV (`/api/votes/{id}.csv`); needs --id.
    #[arg(long, requires = "id", conflicts_with = "bulk")]
    members_csv: bool,
    /// The bulk export's votes.csv and member_votes.csv; needs --id.
    #[arg(long, num_args = 2, value_names = ["VOTES_CSV", "MEMBER_VOTES_CSV"], requires = "id", conflicts_with = "file")]
    bulk: Vec<PathBuf>,
    /// The HowTheyVote vote id (for the CSV shapes, which do not all carry it).
    #[arg(long, value_name = "ID")]
    id: Option<u64>,
    /// Fetch vote ID from HowTheyVote.eu's API instead of reading a file.
    #[arg(long, value_name = "ID", conflicts_with_all = ["file", "bulk", "members_csv", "id"])]
    from_howtheyvote: Option<u64>,
    /// The API's address.
    #[arg(long, value_name = "URL", default_value = votes::DEFAULT_BASE_URL, hide = true)]
    api_base: String,
    /// Seconds before giving up on the API.
    #[arg(long, default_value_t = 60, hide = true)]
    api_timeout_secs: u64,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The HowTheyVote vote id.
    id: u64,
    /// Also list every member's position: MEP id, position, country, group.
    #[arg(long)]
    members: bool,
}

pub fn run(cmd: &VotesCommand) -> anyhow::Result<()> {
    match cmd {
        VotesCommand::Import(args) => import(args),
        VotesCommand::List => list(),
        VotesCommand::Show(args) => show(args),
        VotesCommand::Export(args) => export(args),
    }
}

fn read(args: &ImportArgs) -> anyhow::Result<(Vote, String)> {
    if let Some(id) = args.from_howtheyvote {
        let timeout = std::time::Duration::from_secs(args.api_timeout_secs);
        let vote = votes::fetch(&args.api_base, id, timeout)?;
        return Ok((
            vote,
            format!("{}/votes/{id} (API)", args.api_base.trim_end_matches('/')),
        ));
    }
    if let [votes_csv, member_votes] = args.bulk.as_slice() {
        let id = args
            .id
            .context("--bulk needs --id ID, the vote to take from the export")?;
        let vote = votes::read_bulk(votes_csv, member_votes, id)?;
        let from = format!("bulk export {} + {}", votes_csv.display(), member_votes.display());
        return Ok((vote, from));
    }
    let path = args.file.as_ref().context("name the vote file to import")?;
    Ok(votes::read_file(path, args.id, args.members_csv)?)
}

fn import(args: &ImportArgs) -> anyhow::Result<()> {
    let (vote, from) = read(args)?;
    let directory = super::active_directory(None)?;
    let known: HashSet<&str> = directory.meps.iter().map(|m| m.id.as_str()).collect();
    let unknown = vote.unknown_meps(&known);
    let paths = super::paths()?;
    let (id, count) = (vote.id, vote.positions.len());
    let title = terminal_safe(&title_of(&vote));
    let path = votes::save(&paths, vote, from)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Imported vote {id}: {title} ({count} member positions)")?;
    writeln!(out, "Kept in {}", path.display())?;
    writeln!(out, "{}", votes::ATTRIBUTION)?;
    if !unknown.is_empty() {
        eprintln!(
            "warning: {} MEP ids of this vote are not in your MEP directory (imported all the same): {}",
            unknown.len(),
            unknown.join(", ")
        );
    }
    Ok(())
}

fn title_of(vote: &Vote) -> String {
    if vote.display_title.is_empty() {
        format!("HowTheyVote.eu vote {}", vote.id)
    } else {
        vote.display_title.clone()
    }
}

fn list() -> anyhow::Result<()> {
    let paths = super::paths()?;
    let (stored, errors) = votes::list(&paths);
    for e in errors {
        eprintln!("warning: {e}");
    }
    let mut out = std::io::stdout().lock();
    if stored.is_empty() {
        writeln!(
            out,
            "No votes imported yet; import one with `hemicycle votes import FILE`."
        )?;
    }
    for s in &stored {
        let v = &s.vote;
        let [f, a, ab, d] = v.counts();
        let date = if v.date.is_empty() {
            "date unknown"
        } else {
            v.date.as_str()
        };
        let line = format!(
            "{}\t{date}\t{}\tfor {f}, against {a}, abstention {ab}, did not vote {d}",
            v.id,
            title_of(v)
        );
        writeln!(out, "{}", terminal_safe(&line))?;
    }
    Ok(())
}

fn show(args: &ShowArgs) -> anyhow::Result<()> {
    let paths = super::paths()?;
    let stored = votes::load(&paths, args.id)?.with_context(|| {
        format!(
            "no vote {} has been imported; `hemicycle votes list` shows the imported votes",
            args.id
        )
    })?;
    let text = if args.members {
        members_text(&stored.vote)
    } else {
        show_text(&stored)
    };
    std::io::stdout().lock().write_all(terminal_safe(&text).as_bytes())?;
    Ok(())
}

fn counts_line(c: [usize; 4]) -> String {
    Position::ALL
        .iter()
        .zip(c)
        .map(|(p, n)| format!("{} {n}", p.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn show_text(stored: &Stored) -> String {
    let v = &stored.vote;
    let mut s = String::new();
    let _ = writeln!(s, "Vote {}: {}", v.id, title_of(v));
    let _ = writeln!(
        s,
        "Date: {}",
        if v.timestamp.is_empty() {
            "not in the imported file"
        } else {
            &v.timestamp
        }
    );
    for (label, value) in [
        ("Reference", &v.reference),
        ("Description", &v.description),
        ("Result", &v.result),
    ] {
        if let Some(value) = value {
            let _ = writeln!(s, "{label}: {value}");
        }
    }
    if let Some(p) = &v.procedure {
        let parts: Vec<&str> = [&p.reference, &p.title, &p.kind, &p.stage]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let _ = writeln!(s, "Procedure: {}", parts.join(" — "));
    }
    let _ = writeln!(s, "Members: {}", v.positions.len());
    let _ = writeln!(s, "Positions: {}", counts_line(v.counts()));
    let _ = writeln!(s, "\nBy group:");
    for (group, c) in v.counts_by(|p| p.group.as_str()) {
        let _ = writeln!(
            s,
            "  {:<10} {}",
            if group.is_empty() { "(none)" } else { &group },
            counts_line(c)
        );
    }
    let _ = writeln!(s, "\nBy country:");
    for (country, c) in v.counts_by(|p| p.country.as_str()) {
        let _ = writeln!(s, "  {country:<10} {}", counts_line(c));
    }
    for src in &v.sources {
        let _ = writeln!(s, "\nSource: {} <{}>", src.name, src.url);
    }
    let _ = writeln!(s, "\n{} — {}", stored.attribution, stored.source_url);
    s
}

fn members_text(v: &Vote) -> String {
    let mut rows: Vec<String> = v
        .positions
        .iter()
        .map(|p| format!("{}\t{}\t{}\t{}\n", p.mep_id, p.position.as_str(), p.country, p.group))
        .collect();
    rows.sort();
    rows.concat()
}

/// The endorsement of each position, in [`Position::ALL`] order: DearMEP's
/// scale from 0 (against the campaign) to 1 (for it), the defaults changed
/// by `FOR=1,AGAINST=0,…`.
pub fn endorsements(map: &[String]) -> anyhow::Result<[f64; 4]> {
    let mut out = [1.0, 0.0, 0.5, 0.5];
    for entry in map.iter().filter(|e| !e.trim().is_empty()) {
        let problem = || {
            format!(
                "--map {entry:?}: write POSITION=NUMBER, POSITION one of FOR, AGAINST, ABSTENTION, DID_NOT_VOTE and NUMBER from 0 to 1 (\"ABSTENTION=0.25\")"
            )
        };
        let (position, value) = entry.split_once('=').with_context(problem)?;
        let position =
            Position::parse(&position.trim().to_ascii_uppercase().replace('-', "_")).with_context(problem)?;
        let value: f64 = value
            .trim()
            .parse()
            .ok()
            .filter(|v| (0.0..=1.0).contains(v))
            .with_context(problem)?;
        out[position as usize] = value;
    }
    Ok(out)
}

/// DearMEP's CSV: `id,endorsement`, one row per MEP, sorted by id.
pub fn dearmep_csv(vote: &Vote, endorsement: [f64; 4]) -> String {
    let mut rows: Vec<(u64, f64)> = vote
        .positions
        .iter()
        .filter_map(|p| {
            p.mep_id
                .parse::<u64>()
                .ok()
                .map(|id| (id, endorsement[p.position as usize]))
        })
        .collect();
    rows.sort_by_key(|(id, _)| *id);
    let mut text = String::from("id,endorsement\n");
    for (id, e) in rows {
        let _ = writeln!(text, "{id},{e}");
    }
    text
}

fn export(args: &ExportArgs) -> anyhow::Result<()> {
    let endorsement = endorsements(&args.map)?;
    let paths = super::paths()?;
    let stored = votes::load(&paths, args.id)?.with_context(|| {
        format!(
            "no vote {} has been imported; import it first (`hemicycle votes import --from-howtheyvote {}`)",
            args.id, args.id
        )
    })?;
    let csv = dearmep_csv(&stored.vote, endorsement);
    match &args.out {
        Some(out) => {
            super::out::write(out, csv.as_bytes(), "the DearMEP endorsement CSV", &[], "the vote")?;
            eprintln!(
                "{} MEPs written to {}. {}",
                stored.vote.positions.len(),
                out.display(),
                votes::ATTRIBUTION
            );
        }
        None => std::io::stdout().lock().write_all(csv.as_bytes())?,
    }
    Ok(())
}
