//! `hemicycle zotero`: search the Zotero running on this computer (its local
//! API) and add what it finds to a campaign's bibliography as CSL-JSON.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::cite::zotero::{self, Zotero};

#[derive(Debug, Subcommand)]
pub enum ZoteroCommand {
    /// List the items of your Zotero library that match some words (title, creators, year).
    Search(SearchArgs),
    /// Add items found in Zotero to a campaign's bibliography, as CSL-JSON.
    Add(AddArgs),
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to find in Zotero.
    words: String,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The campaign file whose bibliography gets the items.
    campaign: PathBuf,
    /// Words to find in Zotero.
    words: String,
    /// Which of the items found to add, by their number in `hemicycle zotero search` (e.g. 1,3); all when left out.
    #[arg(long, value_delimiter = ',', value_name = "N,…")]
    pick: Vec<usize>,
    /// The CSL-JSON file to add them to (default: CAMPAIGN-zotero.json beside the campaign, added to its bibliography).
    #[arg(long, value_name = "FILE")]
    into: Option<PathBuf>,
}

pub fn run(cmd: &ZoteroCommand) -> anyhow::Result<()> {
    let client = Zotero::from_env();
    match cmd {
        ZoteroCommand::Search(args) => {
            let found = client.search(&args.words)?;
            // `writeln!`: piped into `head`, a closed pipe ends it quietly.
            let mut out = std::io::stdout().lock();
            if found.is_empty() {
                writeln!(
                    out,
                    "Nothing in Zotero matches \"{}\".",
                    super::terminal_safe(&args.words)
                )?;
            }
            for (i, f) in found.iter().enumerate() {
                writeln!(out, "{:>3}. {}", i + 1, super::terminal_safe(&f.summary()))?;
            }
            Ok(())
        }
        ZoteroCommand::Add(args) => add(&client, args),
    }
}

fn add(client: &Zotero, args: &AddArgs) -> anyhow::Result<()> {
    let composer = crate::compose::Composer::open(&args.campaign, None)?;
    let found = client.search(&args.words)?;
    let chosen: Vec<zotero::Found> = if args.pick.is_empty() {
        found
    } else {
        args.pick
            .iter()
            .map(|&n| {
                n.checked_sub(1).and_then(|i| found.get(i)).cloned().with_context(|| {
                    format!(
                        "there is no item {n} among the {} Zotero found for \"{}\"; see `hemicycle zotero search`",
                        found.len(),
                        args.words
                    )
                })
            })
            .collect::<anyhow::Result<_>>()?
    };
    if chosen.is_empty() {
        anyhow::bail!("nothing in Zotero matches \"{}\", so nothing was added", args.words);
    }
    let folder = args.campaign.parent().unwrap_or_else(|| Path::new(""));
    let file = if let Some(f) = &args.into {
        f.clone()
    } else {
        let stem = args
            .campaign
            .file_stem()
            .map_or_else(|| "campaign".into(), |s| s.to_string_lossy());
        folder.join(format!("{stem}-zotero.json"))
    };
    let keys = zotero::add_to_file(&file, &chosen, &composer.library)?;
    let known = composer
        .library_files
        .iter()
        .any(|f| std::fs::canonicalize(f).ok() == std::fs::canonicalize(&file).ok());
    if !known {
        let mut campaign = composer.campaign.clone();
        let entry = file
            .strip_prefix(folder)
            .map_or_else(|_| file.clone(), Path::to_path_buf);
        campaign.bibliography.push(entry);
        campaign.save(&args.campaign, Some(&args.campaign))?;
        println!(
            "{} is now one of the campaign's bibliographies.",
            super::terminal_safe(&file.display().to_string())
        );
    }
    if keys.is_empty() {
        println!(
            "These items are already in {}.",
            super::terminal_safe(&file.display().to_string())
        );
    }
    let written = crate::cite::Library::load(std::slice::from_ref(&file)).unwrap_or_default();
    for key in keys {
        let title = written.title(&key).unwrap_or_default();
        println!("added [@{key}]  {}", super::terminal_safe(&title));
    }
    Ok(())
}
