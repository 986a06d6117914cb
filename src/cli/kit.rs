//! `hemicycle kit`: campaign kits for volunteers — made, opened, signed.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::kit::{self, BadSignature, KnownKeys};

#[derive(Debug, Subcommand)]
pub enum KitCommand {
    /// Make a kit: one .hemicycle file with the campaign and every file it needs.
    Build(BuildArgs),
    /// Check a kit and unpack it into a new folder of its own.
    Open(OpenArgs),
    /// Make a signing key for your organisation's kits (keep it secret; share its fingerprint).
    Key(KeyArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The campaign file.
    campaign: PathBuf,
    /// The kit to write (default: the campaign's name with .hemicycle).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Sign the kit with this key (made with `hemicycle kit key`).
    #[arg(long, value_name = "KEY-FILE")]
    sign: Option<PathBuf>,
    /// Make the kit even though the campaign asks nothing of volunteers (no `[volunteer]` table).
    #[arg(long)]
    without_volunteer_steps: bool,
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// The kit (.hemicycle).
    kit: PathBuf,
    /// The new folder to unpack into (default: a folder of its own under Hemicycle's data folder).
    #[arg(long, value_name = "FOLDER")]
    into: Option<PathBuf>,
    /// Open a kit whose signature does not match, as unsigned.
    #[arg(long)]
    open_unsigned: bool,
    /// Accept a new signing key for an organisation whose earlier kits had
    /// another (only after asking the organisation).
    #[arg(long)]
    accept_new_key: bool,
}

#[derive(Debug, Args)]
pub struct KeyArgs {
    /// Where to write the new key.
    file: PathBuf,
}

pub fn run(cmd: &KitCommand) -> anyhow::Result<()> {
    match cmd {
        KitCommand::Build(args) => build(args),
        KitCommand::Open(args) => open(args),
        KitCommand::Key(args) => {
            let fingerprint = kit::new_key(&args.file)?;
            say(&format!(
                "Wrote the signing key {} (fingerprint {fingerprint}). Keep the file secret; publish the fingerprint so that volunteers can compare it.",
                args.file.display()
            ));
            Ok(())
        }
    }
}

fn build(args: &BuildArgs) -> anyhow::Result<()> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.campaign.with_extension(kit::EXTENSION));
    // A kit is for volunteers: without questions and suggested MEPs they
    // get no guided steps. (A campaign that does not load is kit::build's
    // to report.)
    if let Ok(campaign) = crate::campaign::Campaign::load(&args.campaign)
        && campaign.volunteer.is_empty()
    {
        if !args.without_volunteer_steps {
            anyhow::bail!("{}", no_volunteer_steps(&args.campaign));
        }
        eprintln!("Warning: {}.", crate::campaign::volunteer::NO_STEPS);
    }
    let manifest = kit::build(&args.campaign, &out, args.sign.as_deref())?;
    let signed = manifest.key_fingerprint();
    say(&format!(
        "Wrote {}: {} files{}.",
        out.display(),
        manifest.files.len(),
        signed.map_or_else(|| ", unsigned".to_owned(), |f| format!(", signed with the key {f}"))
    ));
    Ok(())
}

/// Why a kit without a `[volunteer]` table is refused, and the way out.
fn no_volunteer_steps(campaign: &std::path::Path) -> String {
    format!(
        "{}, or make the kit anyway with --without-volunteer-steps: {}",
        crate::campaign::volunteer::NO_STEPS,
        campaign.display()
    )
}

fn open(args: &OpenArgs) -> anyhow::Result<()> {
    let bad = if args.open_unsigned {
        BadSignature::OpenAsUnsigned
    } else {
        BadSignature::Refuse
    };
    let paths = super::paths()?;
    let checked = kit::check(&args.kit, bad)?;
    let mut known = KnownKeys::load(&paths.kit_keys())?;
    if !args.accept_new_key
        && let Err(e) = known.check(&checked.signature)
    {
        anyhow::bail!(
            "{e}. If they did, open it with: hemicycle kit open --accept-new-key {}",
            super::terminal_safe(&args.kit.display().to_string())
        );
    }
    say(&checked.signature.line());
    if let Some(line) = checked.addressees_line() {
        say(&line);
    }
    let folder = match &args.into {
        Some(f) => f.clone(),
        None => kit::new_folder(&paths.kits(), &checked.manifest),
    };
    let campaign = checked.unpack(&folder)?;
    known.remember(&checked.signature)?;
    say(&format!(
        "Opened {} into {}.",
        kit::names::shown(&checked.manifest.title),
        folder.display()
    ));
    say(&format!("The campaign: {}", campaign.display()));
    Ok(())
}

/// One line to standard output. A reader that went away (`| head -1`)
/// does not stop the kit from opening, nor makes Hemicycle panic.
fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout().lock(), "{}", super::terminal_safe(line));
}
