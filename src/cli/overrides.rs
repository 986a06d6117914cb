//! `hemicycle override ID …`: correct an MEP's record.

use clap::Args;

use anyhow::Context;

use crate::directory::overrides::Overrides;
use crate::directory::{Gender, Honorific};

#[derive(Debug, Args)]
pub struct OverrideArgs {
    /// The MEP's id (as shown by `hemicycle meps`).
    id: String,
    /// A corrected e-mail address ("" removes the address).
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    given_name: Option<String>,
    /// The family name as letters should write it ("van Sparrentak").
    #[arg(long)]
    family_name: Option<String>,
    #[arg(long)]
    national_party: Option<String>,
    #[arg(long)]
    group: Option<String>,
    /// The gender to greet the MEP by in languages that need it: female, male or not-known (a neutral greeting).
    #[arg(long)]
    gender: Option<String>,
    /// The honorific: Ms or Mr.
    #[arg(long)]
    honorific: Option<String>,
    /// Your own note on this MEP.
    #[arg(long)]
    note: Option<String>,
    /// Remove every correction of this MEP.
    #[arg(long, conflicts_with_all = ["email", "given_name", "family_name", "national_party", "group", "gender", "honorific", "note"])]
    clear: bool,
}

pub fn run(args: &OverrideArgs) -> anyhow::Result<()> {
    let paths = super::paths()?;
    let dir = super::active_directory(None)?;
    if dir.get(&args.id).is_none() {
        anyhow::bail!(
            "there is no MEP with the id {} in the directory; `hemicycle meps --search NAME` shows the ids",
            args.id
        );
    }
    if let Some(email) = args.email.as_deref().filter(|e| !e.is_empty())
        && !crate::directory::import_valid_email(email)
    {
        anyhow::bail!("\"{email}\" is not an e-mail address");
    }
    let gender = match args.gender.as_deref() {
        None => None,
        Some(text) => Some(Gender::parse(text).with_context(|| {
            format!("--gender: \"{text}\" is not a gender Hemicycle knows; write female, male or not-known")
        })?),
    };
    let honorific =
        match args.honorific.as_deref() {
            None => None,
            Some(text) => Some(Honorific::parse(text).with_context(|| {
                format!("--honorific: \"{text}\" is not an honorific Hemicycle knows; write Ms or Mr")
            })?),
        };
    let path = paths.overrides();
    let mut overrides = Overrides::load(&path)?;
    if args.clear {
        overrides.meps.remove(&args.id);
    } else {
        let entry = overrides.entry(&args.id);
        for (slot, value) in [
            (&mut entry.email, &args.email),
            (&mut entry.given_name, &args.given_name),
            (&mut entry.family_name, &args.family_name),
            (&mut entry.national_party, &args.national_party),
            (&mut entry.group, &args.group),
            (&mut entry.note, &args.note),
        ] {
            if value.is_some() {
                slot.clone_from(value);
            }
        }
        if gender.is_some() {
            entry.gender = gender;
        }
        if honorific.is_some() {
            entry.honorific = honorific;
        }
    }
    overrides.save(&path)?;
    eprintln!("Saved your correction of MEP {} in {}", args.id, path.display());
    Ok(())
}
