//! `hemicycle followup CAMPAIGN --to no-answer --after 14d`: a follow-up
//! campaign file to the MEPs who did not answer (see
//! `deliver::followup`), saved beside the campaign to be read, edited and
//! sent like any other.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::deliver::followup::{self, Sources};
use crate::deliver::journal;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum To {
    /// The MEPs who did not answer (automatic replies and delays count as
    /// no answer; replies and failed addresses are left out).
    NoAnswer,
}

#[derive(Debug, Args)]
pub struct FollowupArgs {
    /// The campaign file (.toml) that was sent.
    campaign: PathBuf,
    /// Whom to follow up.
    #[arg(long, value_enum, default_value = "no-answer")]
    to: To,
    /// Only letters sent at least this long ago ("14d", "2w", "36h").
    #[arg(long, value_name = "TIME", default_value = "14d")]
    after: String,
    /// The mail account the campaign was sent from (its responses file is
    /// read; default: the campaign's organisation address).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Where to save the follow-up (default: CAMPAIGN-followup.toml beside it).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    letters: super::export::Letters,
    /// The campaign's journal file (default: the one `hemicycle send` keeps).
    #[arg(long, value_name = "FILE")]
    journal: Option<PathBuf>,
}

pub fn run(args: &FollowupArgs) -> anyhow::Result<()> {
    let To::NoAnswer = args.to;
    let after = followup::parse_after(&args.after).map_err(|e| anyhow::anyhow!("--after: {e}"))?;
    let (composer, meps, _today) = args.letters.open(&args.campaign)?;
    let meps: Vec<&crate::directory::Mep> = meps.iter().collect();
    let paths = super::paths()?;
    let sender = match &args.profile {
        Some(name) => super::send::load_profile(name)?.from_email,
        None => composer.campaign.organisation.email.clone(),
    };
    let journal = match &args.journal {
        Some(j) => j.clone(),
        None => journal::path_for(&paths.journals(), &args.campaign),
    };
    let responses = crate::deliver::responses::path_for(&paths.ledgers(), sender.trim());
    let sources = Sources {
        journal: &journal,
        responses: &responses,
        now: chrono::Utc::now(),
        after,
    };
    let (selection, made) = followup::prepare(&composer, &args.campaign, &meps, &sources)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| followup::file_beside(&args.campaign));
    if out.exists() {
        anyhow::bail!(
            "{} already exists; name another file with --out, or move it away",
            out.display()
        );
    }
    for w in &made.warnings {
        eprintln!("warning: {}", super::terminal_safe(w));
    }
    for (id, name, why) in &selection.left_out {
        eprintln!("left out: {} ({id}): {why}", super::terminal_safe(name));
    }
    let chosen = made.campaign.followup.as_ref().map_or(0, |f| f.letters.len());
    if chosen == 0 {
        anyhow::bail!(
            "nobody to follow up: every MEP answered, failed, or was written to less than {} ago",
            args.after
        );
    }
    made.campaign.save(&out, None)?;
    println!(
        "Wrote a follow-up to {chosen} MEP(s) who did not answer: {}\nRead it with `hemicycle render {0} --mep ID`, edit it like any campaign, and send it with `hemicycle send {0} --profile NAME`.",
        out.display()
    );
    Ok(())
}
