//! `hemicycle render` and `hemicycle check`: one letter, or a lint of a
//! whole campaign.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::compose::Composer;
use crate::deliver::Format;
use crate::directory::Directory;

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The campaign file (.toml).
    campaign: PathBuf,
    /// The MEP's id; the campaign's first recipient if not given.
    #[arg(long)]
    mep: Option<String>,
    /// pdf, docx, eml, html, md or txt (or text).
    #[arg(long, default_value = "text", value_parser = Format::from_arg)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The letter's date (YYYY-MM-DD) when the campaign sets none; today otherwise.
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
    /// A folder of your own templates (*.md.hbs).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Read this directory file instead of the one in use.
    #[arg(long, value_name = "FILE")]
    directory: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The campaign file (.toml).
    campaign: PathBuf,
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    directory: Option<PathBuf>,
    /// Also check this mail account, as sending would.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
}

pub(crate) fn today(arg: Option<&str>) -> anyhow::Result<chrono::NaiveDate> {
    match arg {
        None => Ok(chrono::Local::now().date_naive()),
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .with_context(|| format!("\"{d}\" is not a date; write it as YYYY-MM-DD")),
    }
}

fn user_templates(explicit: Option<&PathBuf>) -> Option<PathBuf> {
    explicit
        .cloned()
        .or_else(|| crate::store::Paths::discover().map(|p| p.data.join("templates")))
}

pub(crate) fn open(campaign: &std::path::Path, templates: Option<&PathBuf>) -> anyhow::Result<Composer> {
    Ok(Composer::open(campaign, user_templates(templates).as_deref())?)
}

fn pick<'a>(
    composer: &'a Composer,
    dir: &'a Directory,
    id: Option<&str>,
) -> anyhow::Result<(usize, &'a crate::directory::Mep)> {
    let recipients = composer.recipients(dir);
    match id {
        Some(id) => {
            if let Some(index) = recipients.iter().position(|m| m.id == id) {
                return Ok((index, recipients[index]));
            }
            let Some(mep) = dir.get(id) else {
                anyhow::bail!(
                    "there is no MEP or addressee with the id {id}; `hemicycle meps --search NAME` shows the MEPs' ids"
                );
            };
            // A letter to someone the campaign does not write to would go
            // out unasked: say so instead.
            anyhow::bail!(
                "{} ({id}) is not a recipient of this campaign, which writes to {}; give the id of one of them, or add {id} to the campaign's recipients ([recipients] include)",
                super::terminal_safe(&mep.display_name()),
                recipients_summary(&recipients)
            )
        }
        None => recipients
            .first()
            .map(|m| (0, *m))
            .ok_or_else(|| anyhow::anyhow!("the campaign has no recipients; give one with --mep ID")),
    }
}

/// The recipients in a few words: up to three names, then how many more.
fn recipients_summary(recipients: &[&crate::directory::Mep]) -> String {
    if recipients.is_empty() {
        return "no one yet".to_owned();
    }
    let names: Vec<String> = recipients
        .iter()
        .take(3)
        .map(|m| super::terminal_safe(&m.display_name()))
        .collect();
    match recipients.len() {
        n if n > 3 => format!("{} and {} more", names.join(", "), n - 3),
        _ => names.join(", "),
    }
}

pub fn render(args: &RenderArgs) -> anyhow::Result<()> {
    let composer = open(&args.campaign, args.templates.as_ref())?;
    let dir = super::active_directory(args.directory.as_ref())?;
    let (index, mep) = pick(&composer, &dir, args.mep.as_deref())?;
    let everyone = composer.recipients(&dir);
    let letter = composer.letter_to_all(mep, index, today(args.today.as_deref())?, &everyone)?;
    let format = args.format;
    crate::deliver::session::check_export(&composer, &[format])?;
    let binary = format.is_binary();
    if binary && args.out.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        anyhow::bail!("a {} file cannot be shown in a terminal; give --out FILE", format.ext());
    }
    let pdf_settings = crate::render::pdf::PdfSettings {
        logo: crate::deliver::export::logo_path(&composer)
            .map(|path| crate::deliver::export::read_logo(&path))
            .transpose()
            .map_err(|e| anyhow::anyhow!(e))?,
        ..Default::default()
    };
    let eml = crate::deliver::export::eml_settings(&composer, false, false);
    let bytes = crate::deliver::export::render_one(&letter, mep, format, &pdf_settings, &eml)
        .map_err(|reason| anyhow::anyhow!("the {} file could not be made: {reason}", format.ext()))?;
    if let Some(path) = &args.out {
        let inputs = super::out::campaign_inputs(&args.campaign);
        super::out::write(path, &bytes, "the letter", &inputs, "the campaign's")?;
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)?;
        if !binary && !bytes.ends_with(b"\n") {
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// Lints a campaign: prints every problem, returns an error if any is an
/// error (not a warning).
pub fn check(args: &CheckArgs) -> anyhow::Result<()> {
    let composer = open(&args.campaign, args.templates.as_ref())?;
    let dir = super::active_directory(args.directory.as_ref())?;
    let mut errors = 0usize;
    let mut warnings = 0usize;
    // A kit's campaign may write to people of its own: say so first.
    if crate::kit::folder_of(&args.campaign).is_some()
        && let Some(line) = crate::kit::addressees_line(&composer.campaign)
    {
        println!("note: {line}");
    }
    for problem in composer.citation_problems() {
        println!("error: {problem}");
        errors += 1;
    }
    let (e, w) = print_translation_problems(&composer);
    errors += e;
    warnings += w;
    let (e, w) = print_sender_and_sources(&composer);
    errors += e;
    warnings += w;
    let recipients = composer.recipients(&dir);
    if recipients.is_empty() {
        println!("error: the campaign has no recipients; set [recipients] query, or include MEP ids");
        errors += 1;
    }
    for mep in &recipients {
        if let (Some(e), true) = (&mep.email, mep.email_is_guess) {
            println!(
                "warning: the address of {} ({}) is a guess: {e}",
                mep.display_name(),
                mep.id
            );
            warnings += 1;
        }
    }
    let today = chrono::Local::now().date_naive();
    if errors == 0 {
        // The pre-send check: addresses, duplicates, near-identical letters
        // (and the mail account, when one is named).
        match crate::deliver::send::plan(&composer, &recipients, today) {
            Err(e) => {
                println!("error: a letter cannot be written: {e}");
                errors += 1;
            }
            Ok(plan) => {
                let report = presend(args, &composer, &plan)?;
                for f in report.findings {
                    if f.severity == crate::deliver::check::Severity::Error {
                        println!("error: {}", f.text);
                        errors += 1;
                    } else {
                        println!("warning: {}", f.text);
                        warnings += 1;
                    }
                }
                if let Some(s) = report.similarity {
                    println!(
                        "letters are {:.0}% alike (median of {} neighbouring pairs; most alike {:.0}%)",
                        s.median * 100.0,
                        s.pairs,
                        s.max * 100.0
                    );
                }
            }
        }
    }
    println!(
        "{}: {} recipients, {} demands, {} sources; {errors} errors, {warnings} warnings",
        args.campaign.display(),
        recipients.len(),
        composer.demands.len(),
        composer.library.len()
    );
    if errors > 0 {
        anyhow::bail!("the campaign has {errors} error(s); fix them and check again");
    }
    Ok(())
}

/// The sender's e-mail and the sources no text cites. Returns the numbers
/// of errors and warnings printed.
fn print_sender_and_sources(composer: &Composer) -> (usize, usize) {
    let (mut errors, mut warnings) = (0, 0);
    // E-mail files come from the organisation's address: none is worth
    // knowing (letters may be exported as PDF), a wrong one is an error.
    match crate::deliver::session::sender_address(composer) {
        Err(e @ crate::deliver::session::SessionError::NoSender) => {
            println!("warning: {e}");
            warnings += 1;
        }
        Err(e) => {
            println!("error: {}", super::terminal_safe(&e.to_string()));
            errors += 1;
        }
        Ok(()) => {}
    }
    for key in composer.unused_sources() {
        println!("warning: the source \"{key}\" is in the bibliography but no demand or template cites it");
        warnings += 1;
    }
    (errors, warnings)
}

/// The pre-send check of `plan` (with the mail account, when one is named,
/// and what it already sent from other campaign files).
fn presend(
    args: &CheckArgs,
    composer: &crate::compose::Composer,
    plan: &crate::deliver::send::Plan,
) -> anyhow::Result<crate::deliver::check::Report> {
    use crate::deliver::{check::Account, journal, session};
    let mut to = session::PresendFor {
        account: Account::NotChecked,
        ledger: None,
        journal: None,
        unsaved: false,
    };
    if let Some(name) = &args.profile {
        let paths = super::paths()?;
        let profiles = crate::deliver::profile::Profiles::load(&paths.profiles())?;
        let profile = profiles.get(name);
        to.account = Account::Checked(profile.clone().and_then(crate::deliver::profile::Profile::validate));
        // What this account already sent from other campaign files.
        if let Ok(profile) = profile {
            to.ledger = Some(session::AccountLedger {
                ledger: session::LedgerTo::new(&paths, composer, &args.campaign),
                sender: profile.from_email.clone(),
            });
            to.journal = Some(journal::path_for(&paths.journals(), &args.campaign));
        }
    }
    Ok(session::presend(plan, composer, &to))
}

/// The campaign's translations, language by language: what is missing (an
/// error, or a warning when the campaign falls back to its own language)
/// and what a translation changed that it must keep. Returns the numbers of
/// errors and warnings printed.
fn print_translation_problems(composer: &Composer) -> (usize, usize) {
    let fallback = composer.campaign.languages.missing == crate::campaign::Missing::Fallback;
    let (mut errors, mut warnings) = (0, 0);
    for p in composer.translation_problems() {
        let name = p.language.english_name();
        for m in p.missing {
            let m = super::terminal_safe(&m);
            if fallback {
                println!("warning: {name}: {m} (these letters go out in the campaign's own language)");
                warnings += 1;
            } else {
                println!("error: {name}: {m}");
                errors += 1;
            }
        }
        for m in p.prompts {
            println!("warning: {name}: {}", super::terminal_safe(&m));
            warnings += 1;
        }
        for c in p.changed {
            println!("error: {}", super::terminal_safe(&c));
            errors += 1;
        }
        for s in p.stale {
            println!("warning: {name}: {}", super::terminal_safe(&s));
            warnings += 1;
        }
        if p.unrecorded > 0 {
            println!(
                "note: {name}: {} translated texts do not record the original they were made from, so Hemicycle cannot tell whether they are out of date and takes them as current; import the translation again (hemicycle translate import) or confirm each in the app to record it",
                p.unrecorded
            );
        }
    }
    (errors, warnings)
}
