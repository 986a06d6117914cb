//! `hemicycle demands`: the demand-set library on the command line.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::compose::library::{self, Entry};

#[derive(Debug, Subcommand)]
pub enum DemandsCommand {
    /// List the demand sets: those that come with Hemicycle and yours.
    List(ListArgs),
    /// Show one demand set: its demands, tags and sources.
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Words to look for in titles, descriptions and demands (case and accents ignored).
    #[arg(long)]
    search: Option<String>,
    /// Only sets with this tag.
    #[arg(long)]
    tag: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Another folder of demand sets to list as well.
    #[arg(long, value_name = "FOLDER")]
    folder: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The demand set's id (see `hemicycle demands list`) or the path of its file.
    set: String,
    /// Another folder of demand sets to look in as well.
    #[arg(long, value_name = "FOLDER")]
    folder: Option<PathBuf>,
}

fn entries(extra: Option<&PathBuf>) -> anyhow::Result<Vec<Entry>> {
    let paths = super::paths()?;
    let examples = paths.examples();
    crate::campaign::examples::install(&examples)?;
    let mut folders = vec![(examples.join("demands"), true), (paths.demand_sets(), false)];
    if let Some(folder) = extra {
        folders.push((folder.clone(), false));
    }
    let (entries, problems) = library::scan(&folders);
    for p in problems {
        eprintln!("warning: {}", crate::cli::terminal_safe(&p));
    }
    Ok(entries)
}

pub fn run(cmd: &DemandsCommand) -> anyhow::Result<()> {
    match cmd {
        DemandsCommand::List(args) => list(args),
        DemandsCommand::Show(args) => show(args),
    }
}

fn list(args: &ListArgs) -> anyhow::Result<()> {
    let all = entries(args.folder.as_ref())?;
    let found: Vec<&Entry> = all
        .iter()
        .filter(|e| e.matches(args.search.as_deref().unwrap_or_default(), args.tag.as_deref()))
        .collect();
    if args.json {
        let rows: Vec<serde_json::Value> = found
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.set.id, "title": e.set.title, "description": e.set.description,
                    "tags": e.tags, "demands": e.set.demands.len(), "sources_cited": e.sources_cited,
                    "bundled": e.bundled, "path": e.path,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    if found.is_empty() {
        eprintln!("No demand set matches; `hemicycle demands list` shows them all.");
        return Ok(());
    }
    for e in found {
        let origin = if e.bundled { "bundled" } else { "yours" };
        println!(
            "{}  ({}; {} demands, {} sources cited; {origin})",
            crate::cli::terminal_safe(&e.set.title),
            crate::cli::terminal_safe(&e.set.id),
            e.set.demands.len(),
            e.sources_cited
        );
        if !e.set.description.is_empty() {
            println!("    {}", crate::cli::terminal_safe(&e.set.description));
        }
        if !e.tags.is_empty() {
            println!("    tags: {}", crate::cli::terminal_safe(&e.tags.join(", ")));
        }
    }
    Ok(())
}

fn show(args: &ShowArgs) -> anyhow::Result<()> {
    let all = entries(args.folder.as_ref())?;
    let by_path = PathBuf::from(&args.set);
    let entry = all.iter().find(|e| e.set.id == args.set || e.path == by_path);
    let Some(e) = entry else {
        let ids: Vec<&str> = all.iter().map(|e| e.set.id.as_str()).collect();
        anyhow::bail!(
            "there is no demand set \"{}\"; the library has {}",
            args.set,
            if ids.is_empty() {
                "none".to_owned()
            } else {
                ids.join(", ")
            }
        );
    };
    let safe = crate::cli::terminal_safe;
    println!("{}", safe(&e.set.title));
    if !e.set.description.is_empty() {
        println!("{}", safe(&e.set.description));
    }
    println!("id: {}\nfile: {}", safe(&e.set.id), e.path.display());
    if !e.tags.is_empty() {
        println!("tags: {}", safe(&e.tags.join(", ")));
    }
    println!("{} demands, {} sources cited\n", e.set.demands.len(), e.sources_cited);
    for (i, d) in e.set.demands.iter().enumerate() {
        println!("{}. {} ({})", i + 1, safe(&d.title), safe(&d.id));
        let first = crate::compose::parts::first_paragraph(&d.body);
        for line in crate::render::text::wrap(&first, "   ", "   ", 76).lines() {
            println!("{}", safe(line));
        }
        println!();
    }
    Ok(())
}
