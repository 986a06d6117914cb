//! `hemicycle import directory`: build an MEP directory from files, or
//! refresh it from the European Parliament's Open Data Portal.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::directory::import::{self, FilePlan, ep_api};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Build the MEP directory from files, or refresh it from the European Parliament.
    ///
    /// Without --out, the result becomes your directory (your corrections are kept).
    Directory(DirectoryArgs),
}

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)]
pub struct DirectoryArgs {
    /// The EP's full MEP list (XML from europarl.europa.eu/meps/en/full-list/xml).
    #[arg(long, value_name = "FILE")]
    ep_xml: Option<PathBuf>,
    /// A complete CSV list instead (see docs/directory-csv.md for the columns).
    #[arg(long, value_name = "FILE", conflicts_with = "ep_xml")]
    csv: Option<PathBuf>,
    /// Committee seats: the Parltrack-derived JSON dataset.
    #[arg(long, value_name = "FILE")]
    roles: Option<PathBuf>,
    /// E-mail addresses: a JSON list or a CSV with id and email columns. Repeat; later files win.
    #[arg(long, value_name = "FILE")]
    emails: Vec<PathBuf>,
    /// A newer CSV roster of sitting MEPs: it decides who sits, and its groups and addresses win.
    #[arg(long, value_name = "FILE")]
    roster: Option<PathBuf>,
    /// Gender and honorific: a CSV with the columns id, hasGender and hasHonorificPrefix.
    #[arg(long, value_name = "FILE")]
    genders: Option<PathBuf>,
    /// The date of the newest data (YYYY-MM-DD); today if not given.
    #[arg(long, value_name = "DATE")]
    snapshot_date: Option<String>,
    /// Fetch the current Parliament from the EP Open Data Portal (takes a few minutes).
    #[arg(long, conflicts_with_all = ["ep_xml", "csv", "roles", "emails", "roster", "genders"])]
    from_ep_api: bool,
    /// The portal's address.
    #[arg(long, value_name = "URL", default_value = ep_api::DEFAULT_BASE_URL, hide = true)]
    api_base: String,
    /// Requests per 5 minutes (the portal allows about 500).
    #[arg(long, default_value_t = 480, hide = true)]
    api_requests_per_5min: usize,
    /// Milliseconds before the first retry (doubles each time).
    #[arg(long, default_value_t = 5000, hide = true)]
    api_retry_ms: u64,
    /// Write here instead of making it your directory.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(cmd: ImportCommand) -> anyhow::Result<()> {
    let ImportCommand::Directory(args) = cmd;
    if let Some(out) = &args.out {
        let inputs: Vec<PathBuf> = [&args.ep_xml, &args.csv, &args.roles, &args.roster, &args.genders]
            .into_iter()
            .flatten()
            .chain(&args.emails)
            .cloned()
            .collect();
        super::out::check(out, &inputs, "the import's")?;
    }
    let dir = if args.from_ep_api {
        let fresh = fetch(&args)?;
        // Replacing the directory in use: not with a list cut off somewhere.
        if args.out.is_none() {
            let current = super::active_directory(None).map_or(0, |d| d.meps.len());
            ep_api::check_complete(&fresh, current)?;
        }
        fresh
    } else {
        import::import_files(&FilePlan {
            ep_xml: args.ep_xml.clone(),
            csv: args.csv.clone(),
            roles: args.roles.clone(),
            emails: args.emails.clone(),
            roster: args.roster.clone(),
            genders: args.genders.clone(),
            snapshot_date: args.snapshot_date.clone(),
        })?
    };
    let target = match &args.out {
        Some(out) => out.clone(),
        None => super::paths()?.user_directory(),
    };
    dir.save(&target)?;
    let with_email = dir.meps.iter().filter(|m| m.email.is_some()).count();
    let no_committees = dir.meps.iter().filter(|m| !m.committees_known).count();
    eprintln!(
        "Wrote {} MEPs ({with_email} with an e-mail address, {no_committees} whose committees are not known yet) to {}",
        dir.meps.len(),
        target.display()
    );
    Ok(())
}

fn fetch(args: &DirectoryArgs) -> anyhow::Result<crate::directory::Directory> {
    let opts = ep_api::ApiOptions {
        base_url: args.api_base.clone(),
        requests_per_window: args.api_requests_per_5min,
        retry_base: Duration::from_millis(args.api_retry_ms),
        ..ep_api::ApiOptions::default()
    };
    let today = chrono::Local::now().date_naive().to_string();
    let cancel = AtomicBool::new(false);
    let tty = std::io::stderr().is_terminal();
    let mut last_stage = "";
    let mut report = |p: &ep_api::Progress| {
        let mut err = std::io::stderr().lock();
        if tty {
            let total = if p.total > 0 {
                format!("/{}", p.total)
            } else {
                String::new()
            };
            let _ = write!(err, "\r{}: {}{total}   ", p.stage, p.done);
        } else if p.stage != last_stage {
            let _ = writeln!(err, "{}…", p.stage);
        }
        last_stage = p.stage;
    };
    let result = ep_api::fetch(&opts, &today, &cancel, &mut report);
    if tty {
        eprintln!();
    }
    result.context("the refresh from the European Parliament failed")
}
