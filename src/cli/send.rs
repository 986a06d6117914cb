//! `hemicycle send` and `hemicycle account`: send a campaign's letters, one
//! e-mail per MEP, and manage the mail accounts that send them.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::deliver::check::{Account, Severity};
use crate::deliver::journal::{self, Journal};
use crate::deliver::mail_program;
use crate::deliver::presets;
use crate::deliver::profile::{Profile, Profiles, Security};
use crate::deliver::secrets::{self, Keyring, Secrets};
use crate::deliver::send::{self, Control, OfficeHours, SendOptions, Sender};
use crate::deliver::sent_folder::SentFolder;
use crate::deliver::session::{self, Route, Session};
use crate::deliver::smtp::Smtp;

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)]
pub struct SendArgs {
    /// The campaign file (.toml).
    campaign: PathBuf,
    /// The mail account to send from (see `hemicycle account list`).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Write the e-mails as .eml files into this folder instead of sending.
    #[arg(long, value_name = "DIR")]
    dry_run: Option<PathBuf>,
    /// Send at most this many letters in this run.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Letters per minute ("3", "3/min"); 0 for as fast as the server takes them.
    #[arg(long, value_name = "N/min", default_value = "3/min")]
    rate: String,
    /// Only send during office hours in Brussels, Monday to Friday ("9-17").
    #[arg(long, value_name = "FROM-TO")]
    office_hours: Option<String>,
    /// At most this many letters per day (Brussels time), counting earlier runs.
    #[arg(long, value_name = "N")]
    daily_cap: Option<usize>,
    /// Send one letter to your own From address, to see it as an MEP will.
    #[arg(long)]
    test_to_self: bool,
    /// Open each letter in your own mail program instead, to send from there
    /// (a mailto: link, or a draft file for a long letter); each is recorded
    /// and not handed over again. Use --limit to open a few at a time.
    #[arg(long, conflicts_with_all = ["dry_run", "test_to_self"])]
    mail_program: bool,
    /// Do not ask before sending.
    #[arg(long)]
    yes: bool,
    /// Send again letters whose outcome is unknown ("unconfirmed").
    #[arg(long)]
    resend_unconfirmed: bool,
    /// Send again to MEPs who got an earlier version of their letter.
    #[arg(long)]
    resend_changed: bool,
    /// Seconds to wait before the first retry after a 4xx reply or a broken connection.
    #[arg(long, value_name = "SECONDS", default_value = "30")]
    retry_pause: f64,
    /// Tries per letter for 4xx replies and broken connections.
    #[arg(long, value_name = "N", default_value = "5")]
    attempts: u32,
    #[command(flatten)]
    letters: super::export::Letters,
    /// The journal file (default: one per campaign in Hemicycle's data folder).
    #[arg(long, value_name = "FILE")]
    journal: Option<PathBuf>,
}

/// One letter a day, in letters a minute.
const MIN_RATE: f64 = 1.0 / 1440.0;
/// Faster than any mail server accepts from one account.
const MAX_RATE: f64 = 100_000.0;
/// The longest first pause before a retry, in seconds: an hour.
const MAX_RETRY_PAUSE: f64 = 3600.0;

/// "3", "3/min", "0", "unlimited".
fn parse_rate(text: &str) -> anyhow::Result<f64> {
    let t = text.trim().to_ascii_lowercase();
    if t == "unlimited" || t == "max" {
        return Ok(0.0);
    }
    let number = t.trim_end_matches("/min").trim_end_matches("/m").trim();
    match number.parse::<f64>() {
        Ok(n) if n == 0.0 || (MIN_RATE..=MAX_RATE).contains(&n) => Ok(n),
        Ok(n) if n > 0.0 && n < MIN_RATE => {
            anyhow::bail!(
                "\"{text}\" is slower than one letter a day; write at least 0.0007/min (one a day), or 0 for no pause"
            )
        }
        _ => anyhow::bail!(
            "\"{text}\" is not a rate; write letters per minute, like 3/min (at most {MAX_RATE}/min; 0 for no pause)"
        ),
    }
}

/// Turns the terminal's echo off or on with `stty` (no unsafe code): a
/// password typed at `account password` is not shown, nor left on screen.
/// False when it could not (no `stty`, not a terminal, not Unix).
fn set_echo(on: bool) -> bool {
    if !cfg!(unix) {
        return false;
    }
    std::process::Command::new("stty")
        .arg(if on { "echo" } else { "-echo" })
        .stdin(std::process::Stdio::inherit())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `--retry-pause`: seconds from 0 to an hour.
fn retry_pause(seconds: f64) -> anyhow::Result<Duration> {
    if (0.0..=MAX_RETRY_PAUSE).contains(&seconds) {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        anyhow::bail!("--retry-pause {seconds} is not a pause; write seconds from 0 to {MAX_RETRY_PAUSE} (an hour)")
    }
}

/// "9-17" (Brussels time): checked by the rule the app uses too.
fn parse_hours(text: &str) -> anyhow::Result<OfficeHours> {
    let parse = |s: &str| s.trim().trim_end_matches(":00").parse::<u32>().ok();
    if let Some((a, b)) = text.split_once('-')
        && let (Some(start), Some(end)) = (parse(a), parse(b))
    {
        return Ok(session::office_hours(start, end)?);
    }
    anyhow::bail!("\"{text}\" are not office hours; write them like 9-17 (Brussels time)")
}

pub fn load_profile(name: &str) -> anyhow::Result<Profile> {
    let paths = super::paths()?;
    let profiles = Profiles::load(&paths.profiles())?;
    let profile = profiles.get(name)?.clone();
    profile.validate()?;
    Ok(profile)
}

/// Where the letters go, from `--profile` and `--dry-run`.
fn route(args: &SendArgs, profile: Option<&Profile>) -> anyhow::Result<Route> {
    match (&args.dry_run, profile) {
        (Some(dir), _) => Ok(Route::DryRun(dir.clone())),
        (None, Some(p)) => Ok(Route::Account(p.clone(), Arc::new(Keyring))),
        (None, None) => {
            anyhow::bail!("add --profile NAME to send (or --dry-run DIR to write the e-mails to files)")
        }
    }
}

/// The journal of the campaign: `--journal`, or the one for its file.
fn campaign_journal(args: &SendArgs) -> anyhow::Result<PathBuf> {
    Ok(match &args.journal {
        Some(j) => j.clone(),
        None => journal::path_for(&super::paths()?.journals(), &args.campaign),
    })
}

/// The sent ledgers, for a real send or a handover (a dry run has none).
fn ledger_to(args: &SendArgs, composer: &crate::compose::Composer) -> anyhow::Result<Option<session::LedgerTo>> {
    if args.dry_run.is_some() {
        return Ok(None);
    }
    Ok(Some(session::LedgerTo::new(&super::paths()?, composer, &args.campaign)))
}

/// The pre-send check's findings on standard error; an error if any is one.
fn presend_check(
    args: &SendArgs,
    plan: &send::Plan,
    composer: &crate::compose::Composer,
    profile: Option<&Profile>,
) -> anyhow::Result<()> {
    let account = match (profile, &args.dry_run) {
        (Some(p), _) => Account::Checked(p.validate()),
        (None, Some(_)) => Account::NotChecked,
        (None, None) if args.mail_program => Account::NotChecked,
        (None, None) => Account::Missing,
    };
    // What this account already sent from other campaign files.
    let ledger = match ledger_to(args, composer)? {
        Some(ledger) => Route::DryRun(PathBuf::new())
            .sender(composer, profile)
            .ok()
            .map(|sender| session::AccountLedger {
                ledger,
                sender: sender.from_email,
            }),
        None => None,
    };
    let journal = ledger.as_ref().map(|_| campaign_journal(args)).transpose()?;
    let to = session::PresendFor {
        account,
        ledger,
        journal,
        unsaved: false,
    };
    let mut errors = 0;
    for f in &session::presend(plan, composer, &to).findings {
        match f.severity {
            Severity::Error => {
                errors += 1;
                eprintln!("error: {}", f.text);
            }
            Severity::Warning => eprintln!("warning: {}", f.text),
        }
    }
    if errors > 0 {
        anyhow::bail!("nothing was sent; fix the error(s) above and send again");
    }
    Ok(())
}

fn send_options(args: &SendArgs) -> anyhow::Result<SendOptions> {
    Ok(SendOptions {
        per_minute: parse_rate(&args.rate)?,
        office_hours: args.office_hours.as_deref().map(parse_hours).transpose()?,
        daily_cap: args.daily_cap,
        limit: args.limit,
        resend_unconfirmed: args.resend_unconfirmed,
        resend_changed: args.resend_changed,
        attempts: args.attempts.max(1),
        backoff: retry_pause(args.retry_pause)?,
        ..SendOptions::default()
    })
}

/// Asks before a real send; false when the user said no.
fn confirm(letters: usize, sender: &Sender, route: &Route) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("add --yes to send without being asked (standard input is not a terminal)");
    }
    let host = match route {
        Route::Account(p, _) => p.host.as_str(),
        Route::DryRun(_) => "",
    };
    eprint!(
        "Send up to {letters} letters from {} through {host}? [y/N] ",
        sender.from_email
    );
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

/// The progress line on a terminal.
fn progress_line(p: &send::Progress) {
    let width = 24;
    let filled = (p.done * width).checked_div(p.total).unwrap_or(width);
    let mut line = format!(
        "\r[{}{}] {}/{} · {} sent, {} failed, {} unconfirmed",
        "#".repeat(filled),
        ".".repeat(width - filled),
        p.done,
        p.total,
        p.sent,
        p.failed,
        p.unconfirmed
    );
    if let Some(eta) = p.eta.filter(|_| p.done < p.total) {
        line.push_str(&format!(" · {} left", session::duration_words(eta)));
    }
    if let Some(w) = &p.waiting {
        line.push_str(&format!(" · {w}"));
    } else if let Some(c) = &p.current {
        line.push_str(&format!(" · {c}"));
    }
    eprint!("{line:<140.140}");
}

/// The progress on standard error: the bar on a terminal, and a notice (a
/// copy in Sent that could not be kept) once, on a line of its own. Not on
/// a terminal, what the run waits for (office hours) is said once too, so
/// that a log does not show a send that stopped without a word.
fn progress_printer(tty: bool) -> impl Fn(&send::Progress) + Sync {
    let told = std::sync::Mutex::new(None::<String>);
    let waiting = std::sync::Mutex::new(None::<String>);
    move |p: &send::Progress| {
        if !tty
            && let Ok(mut said) = waiting.lock()
            && p.waiting != *said
        {
            if let Some(w) = &p.waiting {
                eprintln!("Waiting: {w}.");
            }
            said.clone_from(&p.waiting);
        }
        if let Some(notice) = &p.notice
            && let Ok(mut told) = told.lock()
            && told.as_ref() != Some(notice)
        {
            if tty {
                eprintln!();
            }
            eprintln!("{notice}");
            *told = Some(notice.clone());
        }
        if tty {
            progress_line(p);
        }
    }
}

/// Before the first real send or handover: a campaign without an id gets
/// one, written into its file (comments kept), so that a copy of it is
/// recognised by the account's ledger as this campaign.
fn ensure_id(args: &SendArgs, composer: &mut crate::compose::Composer) -> anyhow::Result<()> {
    if !composer.campaign.id.is_empty() {
        return Ok(());
    }
    if is_read_only(&args.campaign) {
        eprintln!(
            "warning: this campaign has no id, and it is a bundled example or a kit's file, which Hemicycle does not write over; save your own copy (it gets an id) so that copies of it are recognised"
        );
        return Ok(());
    }
    // The file as it is, so that only the id changes in it.
    let mut campaign = crate::campaign::Campaign::load(&args.campaign)?;
    campaign.ensure_id();
    campaign
        .save(&args.campaign, Some(&args.campaign))
        .with_context(|| "the campaign has no id yet, and one could not be written into its file")?;
    eprintln!(
        "The campaign had no id; it now has one, written into {}, so that a copy of it is recognised and sends nothing twice.",
        super::terminal_safe(&args.campaign.display().to_string())
    );
    composer.campaign.id = campaign.id;
    Ok(())
}

/// A bundled example (in the examples folder, or its text as shipped) or
/// a kit's campaign: not written over, as the app does not.
fn is_read_only(file: &std::path::Path) -> bool {
    let under = |dir: PathBuf| {
        std::fs::canonicalize(file)
            .ok()
            .zip(std::fs::canonicalize(dir).ok())
            .is_some_and(|(f, d)| f.starts_with(d))
    };
    super::paths().is_ok_and(|p| under(p.examples()) || under(p.kits()))
        || std::fs::read_to_string(file).is_ok_and(|t| crate::campaign::examples::is_bundled_text(&t))
}

pub fn run(args: &SendArgs) -> anyhow::Result<()> {
    let (mut composer, meps, today) = args.letters.open(&args.campaign)?;
    let meps: Vec<&crate::directory::Mep> = meps.iter().collect();
    let plan = send::plan(&composer, &meps, today)?;
    let profile = args.profile.as_deref().map(load_profile).transpose()?;
    presend_check(args, &plan, &composer, profile.as_ref())?;
    if args.test_to_self {
        let Some(p) = &profile else {
            anyhow::bail!("--test-to-self sends through a mail account: add --profile NAME");
        };
        let mut smtp = Smtp::new(p.clone(), session::password_for(&Keyring, p)?);
        eprintln!("{}", send::test_to_self(&plan, &Sender::from_profile(p), &mut smtp)?);
        return Ok(());
    }
    if args.mail_program {
        return hand_to_mail_program(args, &mut composer, &plan, profile.as_ref());
    }
    let route = route(args, profile.as_ref())?;
    let sender = route.sender(&composer, profile.as_ref())?;
    let options = send_options(args)?;
    let journal_path = route.journal_path(&campaign_journal(args)?);
    let mut journal = Journal::open(&journal_path)?;
    for w in &journal.view().warnings {
        eprintln!("warning: {w}");
    }
    if !route.is_dry_run() && !args.yes && !confirm(plan.items.len(), &sender, &route)? {
        eprintln!("Nothing was sent.");
        return Ok(());
    }
    if !route.is_dry_run() {
        ensure_id(args, &mut composer)?;
    }
    let tty = std::io::stderr().is_terminal();
    let log = super::paths().ok().map(|paths| session::LogTo {
        file: paths.send_log(),
        campaign: args.campaign.display().to_string(),
    });
    let show = progress_printer(tty);
    let session = Session {
        route,
        sender,
        options,
        log,
        ledger: ledger_to(args, &composer)?,
    };
    let report = session.send(&plan, &mut journal, &Control::default(), &show)?;
    if tty {
        eprintln!();
    }
    print_report(&report);
    eprintln!(
        "{} done: {}. Journal: {}",
        session.route.verb(),
        report.summary(),
        journal_path.display()
    );
    if let Some(stopped) = &report.stopped {
        anyhow::bail!("sending stopped early: {stopped}");
    }
    if !report.failed.is_empty() || !report.unconfirmed.is_empty() {
        anyhow::bail!(
            "{} letter(s) failed and {} are unconfirmed (see above)",
            report.failed.len(),
            report.unconfirmed.len()
        );
    }
    Ok(())
}

/// `send --mail-program`: each letter handed to the system's mail program,
/// from the account's sender if one is given, else the organisation's.
fn hand_to_mail_program(
    args: &SendArgs,
    composer: &mut crate::compose::Composer,
    plan: &send::Plan,
    profile: Option<&Profile>,
) -> anyhow::Result<()> {
    let paths = super::paths()?;
    let journal_path = campaign_journal(args)?;
    let letters = args.limit.map_or(plan.items.len(), |l| l.min(plan.items.len()));
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!("add --yes to open the letters without being asked (standard input is not a terminal)");
        }
        eprint!("Open up to {letters} letters in your mail program, one window each? [y/N] ");
        std::io::stderr().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            eprintln!("Nothing was opened.");
            return Ok(());
        }
    }
    ensure_id(args, composer)?;
    let opts = SendOptions {
        limit: args.limit,
        resend_unconfirmed: args.resend_unconfirmed,
        ..SendOptions::default()
    };
    let report = session::hand_over(
        composer,
        plan,
        profile,
        &journal_path,
        &paths.drafts(),
        &opts,
        &mut mail_program::SystemOpener,
        ledger_to(args, composer)?.as_ref(),
    )?;
    for note in &report.notes {
        eprintln!("{note}");
    }
    for (name, to, why) in &report.failed {
        eprintln!("failed: {name} <{to}>: {why}");
    }
    let mut reasons: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for (_, reason) in &report.skipped {
        *reasons.entry(reason.kind()).or_default() += 1;
    }
    for (reason, n) in &reasons {
        eprintln!("skipped: {n} × {reason}");
    }
    eprintln!(
        "Handed {} letter(s) to your mail program: send them from there. Journal: {}",
        report.handed.len(),
        journal_path.display()
    );
    if !report.failed.is_empty() {
        anyhow::bail!("{} letter(s) could not be handed over (see above)", report.failed.len());
    }
    Ok(())
}

/// What failed, what is unconfirmed, and what was skipped and why (counted).
fn print_report(report: &send::SendReport) {
    for note in &report.notes {
        eprintln!("{note}");
    }
    for (name, to, reason) in &report.failed {
        eprintln!("failed: {name} <{to}>: {reason}");
    }
    for (name, to, reason) in &report.unconfirmed {
        eprintln!("unconfirmed: {name} <{to}>: {reason}");
    }
    let mut reasons: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for (_, reason) in &report.skipped {
        *reasons.entry(reason.kind()).or_default() += 1;
    }
    for (reason, n) in &reasons {
        eprintln!("skipped: {n} × {reason}");
    }
    if let Some(copies) = report.copies_line() {
        eprintln!("{copies}");
    }
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// List the mail accounts.
    List,
    /// Add a mail account, or change the one with that name.
    Add(Box<AddArgs>),
    /// Remove a mail account and its saved password.
    Remove { name: String },
    /// Save the password of a mail account in the system keyring (read from standard input).
    Password { name: String },
    /// Connect and log in, and say what failed if it does.
    Test { name: String },
    /// Check that letters from this account can arrive: the From domain's
    /// SPF and DMARC, whether SPF allows the account's server, and (with
    /// --test-letter) what your provider says of a letter to yourself.
    CheckDelivery {
        name: String,
        /// Send a test letter to yourself and read its Authentication-Results
        /// back over IMAP.
        #[arg(long)]
        test_letter: bool,
        /// How long to wait for the test letter to arrive.
        #[arg(long, value_name = "SECONDS", default_value = "90")]
        wait: u64,
    },
}

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)]
pub struct AddArgs {
    name: String,
    /// Fill the servers from a known provider (gmail, outlook, fastmail,
    /// mailbox-org); --host and the other server options change them.
    #[arg(long, value_name = "ID")]
    provider: Option<String>,
    /// The SMTP server (smtp.example.org); needed unless --provider gives it.
    #[arg(long)]
    host: Option<String>,
    /// Default: 587 for starttls, 465 for tls.
    #[arg(long)]
    port: Option<u16>,
    /// starttls, tls, or none (only for a server on this computer); default starttls.
    #[arg(long)]
    security: Option<String>,
    /// The login name (often the e-mail address); empty for no login.
    #[arg(long, default_value = "")]
    user: String,
    /// The From address.
    #[arg(long = "from", value_name = "EMAIL")]
    from_email: String,
    /// The From name (your name or your organisation's).
    #[arg(long, default_value = "")]
    from_name: String,
    #[arg(long, default_value = "")]
    reply_to: String,
    /// Send a blind copy of every letter to the From address.
    #[arg(long)]
    bcc_self: bool,
    /// An extra certificate authority (PEM file) to trust for this server.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// Keep a copy of each letter in the account's Sent folder (over IMAP,
    /// with the same login).
    #[arg(long)]
    copy_to_sent: bool,
    /// The IMAP server for the copy in Sent (imap.example.org).
    #[arg(long, value_name = "HOST")]
    imap_host: Option<String>,
    /// Default: 993 for tls, 143 for starttls.
    #[arg(long, value_name = "PORT")]
    imap_port: Option<u16>,
    /// tls, starttls, or none (only for a server on this computer); default tls.
    #[arg(long, value_name = "SECURITY")]
    imap_security: Option<String>,
}

fn security_arg(text: Option<&str>, default: Security) -> anyhow::Result<Security> {
    let Some(text) = text else {
        return Ok(default);
    };
    Security::parse(text)
        .ok_or_else(|| anyhow::anyhow!("\"{text}\" is not a security setting; use starttls, tls or none"))
}

/// The account `account add` describes: the provider's servers if one is
/// named, changed by the options given; and the provider's note.
fn profile_from(a: AddArgs) -> anyhow::Result<(Profile, Option<String>)> {
    let mut profile = Profile {
        name: a.name,
        user: a.user,
        from_name: a.from_name,
        from_email: a.from_email,
        reply_to: a.reply_to,
        bcc_self: a.bcc_self,
        extra_ca: a.ca.map(|c| std::fs::canonicalize(&c).unwrap_or(c)),
        copy_to_sent: a.copy_to_sent,
        ..Profile::default()
    };
    let mut note = None;
    if let Some(id) = &a.provider {
        let Some(preset) = presets::find(id) else {
            anyhow::bail!(
                "\"{id}\" is not a provider Hemicycle knows; use {}, or give --host",
                presets::ids()
            );
        };
        preset.apply(&mut profile);
        note = Some(format!("{}: {}", preset.name, preset.note));
    } else if a.host.is_none() {
        anyhow::bail!(
            "give the SMTP server with --host, or a known provider with --provider ({})",
            presets::ids()
        );
    }
    profile.security = security_arg(a.security.as_deref(), profile.security)?;
    // A server or security of one's own: its usual port unless one is given.
    let own_server = a.host.is_some() || a.security.is_some();
    if let Some(host) = a.host {
        profile.host = host;
    }
    profile.port = match a.port {
        Some(port) => port,
        None if own_server => profile.security.default_port(),
        None => profile.port,
    };
    profile.imap_security = security_arg(a.imap_security.as_deref(), profile.imap_security)?;
    if let Some(host) = a.imap_host {
        profile.imap_host = host;
    }
    if let Some(port) = a.imap_port {
        profile.imap_port = port;
    }
    Ok((profile, note))
}

pub fn account(cmd: AccountCommand) -> anyhow::Result<()> {
    let paths = super::paths()?;
    let file = paths.profiles();
    let mut profiles = Profiles::load(&file)?;
    match cmd {
        AccountCommand::List => list_accounts(&profiles),
        AccountCommand::Add(a) => {
            let (profile, note) = profile_from(*a)?;
            profile.validate()?;
            let name = profile.name.clone();
            profiles.upsert(profile);
            profiles.save(&file)?;
            println!("Saved the mail account \"{name}\" in {}", file.display());
            if let Some(note) = note {
                println!("{note}");
            }
        }
        AccountCommand::Remove { name } => {
            let Some(p) = profiles.remove(&name) else {
                return Err(profiles
                    .get(&name)
                    .err()
                    .map_or_else(|| anyhow::anyhow!("no such account"), Into::into));
            };
            profiles.save(&file)?;
            if let Err(e) = Keyring.delete(&p.secret_key()) {
                eprintln!("warning: {e}");
            }
            println!("Removed the mail account \"{}\".", p.name);
        }
        AccountCommand::Password { name } => save_password(profiles.get(&name)?)?,
        AccountCommand::CheckDelivery {
            name,
            test_letter,
            wait,
        } => {
            super::delivery::check(profiles.get(&name)?, test_letter, wait)?;
        }
        AccountCommand::Test { name } => {
            let p = profiles.get(&name)?.clone();
            p.validate()?;
            let password = session::password_for(&Keyring, &p)?;
            let smtp = Smtp::new(p.clone(), password.clone());
            println!("{}", smtp.test_connection()?);
            if p.copy_to_sent {
                println!("{}", SentFolder::new(p, password).test_connection()?);
            }
        }
    }
    Ok(())
}

fn list_accounts(profiles: &Profiles) {
    if profiles.accounts.is_empty() {
        println!("No mail accounts yet; add one with `hemicycle account add`.");
    }
    for p in &profiles.accounts {
        println!(
            "{}\t{}:{} ({})\tfrom {} <{}>{}",
            p.name,
            p.host,
            p.port,
            p.security.label(),
            p.from_name,
            p.from_email,
            if p.user.is_empty() {
                String::new()
            } else {
                format!("\tlogin {}", p.user)
            }
        );
        if p.copy_to_sent {
            println!("\tcopy in Sent through {}:{}", p.imap_host, p.imap_port());
        }
    }
}

/// `account password`: read from standard input, not shown on a terminal,
/// saved in the keyring.
fn save_password(p: &Profile) -> anyhow::Result<()> {
    let terminal = std::io::stdin().is_terminal();
    let hidden = terminal && set_echo(false);
    if terminal {
        let shown = if hidden { "" } else { " (input is shown)" };
        eprint!("Password for {}{shown}; it is saved in the system keyring: ", p.user);
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    if hidden {
        set_echo(true);
        eprintln!();
    }
    read?;
    let password = line.trim_end_matches(['\r', '\n']);
    if password.is_empty() {
        anyhow::bail!("no password was given; nothing was saved");
    }
    Keyring.set(&p.secret_key(), password).map_err(|e| {
        anyhow::anyhow!(
            "{e}; nothing was saved. Without a keyring, give the password to each command in {}",
            secrets::PASSWORD_ENV
        )
    })?;
    println!("Saved the password of \"{}\" in the system keyring.", p.name);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_hours_parse() {
        assert!((parse_rate("3/min").unwrap() - 3.0).abs() < f64::EPSILON);
        assert!((parse_rate("0").unwrap()).abs() < f64::EPSILON);
        assert!(
            parse_rate("fast")
                .unwrap_err()
                .to_string()
                .contains("letters per minute")
        );
        assert_eq!(parse_hours("9-17").unwrap(), OfficeHours { start: 9, end: 17 });
        assert!(parse_hours("17-9").is_err());
    }

    /// These once panicked in `Duration::from_secs_f64`.
    #[test]
    fn rates_and_pauses_out_of_range_are_refused_in_words() {
        let slow = parse_rate("1e-300").unwrap_err().to_string();
        assert!(slow.contains("slower than one letter a day"), "{slow}");
        for text in ["1e300", "NaN", "inf", "-3"] {
            let err = parse_rate(text).unwrap_err().to_string();
            assert!(err.contains("is not a rate"), "{text}: {err}");
        }
        for seconds in [1e300, -1.0, f64::NAN, f64::INFINITY] {
            let err = retry_pause(seconds).unwrap_err().to_string();
            assert!(err.contains("from 0 to 3600"), "{seconds}: {err}");
        }
        assert_eq!(retry_pause(30.0).unwrap(), Duration::from_secs(30));
    }
}
