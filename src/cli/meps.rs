//! `hemicycle meps`: list and filter the directory.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::directory::query::{Index, Query, SortBy, VoteFilter};
use crate::directory::{Mep, Role};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Sort {
    Name,
    Country,
    Group,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Chair,
    ViceChair,
    Member,
    Substitute,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Chair => Role::Chair,
            RoleArg::ViceChair => Role::ViceChair,
            RoleArg::Member => Role::Member,
            RoleArg::Substitute => Role::Substitute,
        }
    }
}

#[derive(Debug, Args)]
pub struct MepsArgs {
    /// Country: ISO code (NL) or English name; repeat or separate with commas.
    #[arg(long, value_delimiter = ',')]
    country: Vec<String>,
    /// Political group: EPP, S&D, PfE, ECR, Renew, Greens/EFA, "The Left", ESN, NI.
    #[arg(long, value_delimiter = ',')]
    group: Vec<String>,
    /// National party (case and accents ignored).
    #[arg(long)]
    party: Vec<String>,
    /// Committee acronym: LIBE, IMCO, …
    #[arg(long, value_delimiter = ',')]
    committee: Vec<String>,
    /// Role on the committee (or on any committee, without --committee).
    #[arg(long, value_enum, value_delimiter = ',')]
    role: Vec<RoleArg>,
    /// Free text: every word must match a name, country, group, party, committee or e-mail.
    #[arg(long)]
    search: Option<String>,
    /// How the MEP voted in an imported roll-call vote: ID:POSITION, POSITION one of
    /// for, against, abstention, did-not-vote, none (not in the vote); repeat for several.
    #[arg(long, value_name = "ID:POSITION")]
    vote: Vec<VoteFilter>,
    #[arg(long, value_enum, default_value = "name")]
    sort: Sort,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Print only how many MEPs match.
    #[arg(long)]
    count: bool,
    /// Print where the directory's data comes from, and its licences.
    #[arg(long)]
    sources: bool,
    /// Read this directory file instead of the one in use.
    #[arg(long, value_name = "FILE")]
    directory: Option<PathBuf>,
}

impl MepsArgs {
    fn query(&self) -> Query {
        Query {
            countries: self.country.clone(),
            groups: self.group.clone(),
            national_parties: self.party.clone(),
            committees: self.committee.clone(),
            roles: self.role.iter().map(|&r| r.into()).collect(),
            text: self.search.clone().unwrap_or_default(),
            votes: self.vote.clone(),
            sort: match self.sort {
                Sort::Name => SortBy::Name,
                Sort::Country => SortBy::Country,
                Sort::Group => SortBy::Group,
            },
        }
    }
}

pub fn run(args: &MepsArgs) -> anyhow::Result<()> {
    let dir = super::active_directory(args.directory.as_ref())?;
    let index = Index::new(&dir).with_votes(vote_positions(&args.vote)?);
    let hits = index.run(&args.query());
    let mut out = std::io::stdout().lock();
    if args.sources {
        return write_sources(&mut out, &dir);
    }
    if args.count {
        writeln!(out, "{}", hits.len())?;
        return Ok(());
    }
    match args.format {
        Format::Table => write_table(&mut out, &hits)?,
        Format::Json => write_json(&mut out, &hits)?,
        Format::Csv => write_csv(&mut out, &hits)?,
    }
    out.flush()?;
    if matches!(args.format, Format::Table) {
        eprintln!(
            "{} of {} MEPs (data of {}; `hemicycle meps --sources` says where it comes from)",
            hits.len(),
            dir.meps.len(),
            dir.snapshot_date
        );
    }
    Ok(())
}

/// The positions of the votes `filters` name, each imported, or an error
/// that says how to import it.
fn vote_positions(filters: &[VoteFilter]) -> anyhow::Result<crate::directory::query::VotePositions> {
    if filters.is_empty() {
        return Ok(crate::directory::query::VotePositions::new());
    }
    let paths = crate::store::Paths::discover();
    let mut found = std::collections::BTreeMap::new();
    for f in filters {
        let vote = crate::compose::votes::find(paths.as_ref(), f.vote);
        if let Err(why) = &vote {
            anyhow::bail!("--vote {f}: HowTheyVote.eu vote {} {why}", f.vote);
        }
        found.insert(f.vote, vote);
    }
    Ok(crate::compose::votes::positions(&found))
}

fn write_sources(out: &mut impl Write, dir: &crate::directory::Directory) -> anyhow::Result<()> {
    writeln!(out, "{} MEPs, data of {}. Sources:", dir.meps.len(), dir.snapshot_date)?;
    for s in &dir.sources {
        let safe = super::terminal_safe;
        writeln!(out, "- {}: {}", safe(&s.provided), safe(&s.publisher))?;
        for (label, value) in [("address", &s.url), ("licence", &s.licence), ("file", &s.file)] {
            if let Some(v) = value {
                writeln!(out, "    {label}: {}", safe(v))?;
            }
        }
    }
    Ok(())
}

/// The committees column: "LIBE, IMCO (substitute)".
pub fn committees_text(mep: &Mep) -> String {
    if !mep.committees_known {
        return "(not known yet)".to_owned();
    }
    mep.committees
        .iter()
        .map(|c| match c.role {
            Role::Member => c.code.clone(),
            role => format!("{} ({role})", c.code),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn email_text(mep: &Mep) -> String {
    match (&mep.email, mep.email_is_guess) {
        (Some(e), false) => e.clone(),
        (Some(e), true) => format!("{e} (guessed)"),
        (None, _) => "(no address)".to_owned(),
    }
}

fn write_table(out: &mut impl Write, hits: &[&Mep]) -> std::io::Result<()> {
    let header = ["ID", "Name", "Country", "Group", "Party", "Committees", "E-mail"];
    // Records may come from an imported file: nothing in them may reach the
    // terminal as an escape sequence.
    let rows: Vec<[String; 7]> = hits
        .iter()
        .map(|m| {
            [
                m.id.clone(),
                m.display_name(),
                m.country.clone(),
                m.group.clone(),
                m.national_party.clone().unwrap_or_else(|| "(not known)".to_owned()),
                committees_text(m),
                email_text(m),
            ]
            .map(|cell| super::terminal_safe(&cell).replace(['\n', '\t'], " "))
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count().min(40));
        }
    }
    let line = |out: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let cell: String = if cell.chars().count() > 40 && i < 6 {
                cell.chars().take(39).chain(['…']).collect()
            } else {
                cell.clone()
            };
            if i + 1 == cells.len() {
                text.push_str(&cell);
            } else {
                let pad = w.saturating_sub(cell.chars().count());
                text.push_str(&cell);
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, &header.map(str::to_owned))?;
    for row in &rows {
        line(out, row)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonMep<'a> {
    #[serde(flatten)]
    mep: &'a Mep,
    display_name: String,
    country_name: &'a str,
    group_name: &'a str,
}

fn write_json(out: &mut impl Write, hits: &[&Mep]) -> anyhow::Result<()> {
    let list: Vec<JsonMep> = hits
        .iter()
        .map(|m| JsonMep {
            mep: m,
            display_name: m.display_name(),
            country_name: m.country_name(),
            group_name: m.group_name(),
        })
        .collect();
    let mut json = serde_json::to_string_pretty(&list).context("could not write the list")?;
    json.push('\n');
    out.write_all(json.as_bytes())?;
    Ok(())
}

/// A cell a spreadsheet would run as a formula (starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a leading apostrophe, which
/// spreadsheets show as text; Hemicycle's CSV import takes it off again.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// Writes the documented CSV columns, so the output can be imported again.
fn write_csv(out: &mut impl Write, hits: &[&Mep]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "full_name",
        "given_name",
        "family_name",
        "country",
        "group",
        "national_party",
        "email",
        "email_is_guess",
        "committees",
        "gender",
        "honorific",
    ])?;
    for m in hits {
        let committees: Vec<String> = m.committees.iter().map(|c| format!("{}:{}", c.code, c.role)).collect();
        w.write_record(
            [
                m.id.as_str(),
                &m.full_name,
                &m.given_name,
                &m.family_name,
                &m.country,
                &m.group,
                m.national_party.as_deref().unwrap_or_default(),
                m.email.as_deref().unwrap_or_default(),
                if m.email_is_guess { "true" } else { "false" },
                &committees.join("; "),
                m.gender.map_or("", crate::directory::Gender::as_str),
                m.honorific.map_or("", crate::directory::Honorific::as_str),
            ]
            .map(neutralise),
        )?;
    }
    w.flush()?;
    Ok(())
}
