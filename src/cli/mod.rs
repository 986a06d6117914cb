//! The command line: `hemicycle <subcommand>`. Parses flags with clap and
//! turns them into calls on the core; the core never sees clap.

mod bench;
mod bench_send;
mod delivery;
mod demands;
mod export;
mod followup;
mod import;
mod kit;
mod letters;
mod meps;
mod out;
mod overrides;
mod paths;
mod responses;
mod send;
mod translate;
mod votes;
mod zotero;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::directory::{self, Directory};
use crate::store::Paths;

#[derive(Debug, Parser)]
#[command(
    name = "hemicycle",
    version,
    about = "Write, cite, export and send campaign letters to Members of the European Parliament.",
    long_about = "Write, cite, export and send campaign letters to Members of the European Parliament.\n\nRun without arguments to open the desktop app."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List and filter the MEP directory.
    Meps(meps::MepsArgs),
    /// Import data: an MEP directory from files or from the European Parliament.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Correct an MEP's record (kept apart from the directory, so a refresh keeps it).
    Override(overrides::OverrideArgs),
    /// Write one letter of a campaign to one MEP, as text, HTML or Markdown.
    Render(letters::RenderArgs),
    /// Export every recipient's letter as PDF, Word, e-mail, HTML, Markdown or text files.
    Export(export::ExportArgs),
    /// Check a campaign for problems: template errors, unknown sources, recipients without e-mail, near-identical letters.
    Check(letters::CheckArgs),
    /// Send every recipient their own e-mail through a mail account: paced, resumable, never twice.
    Send(send::SendArgs),
    /// Who answered: replies, automatic replies and bounces per MEP, read from the account's Inbox (read-only).
    Responses(responses::ResponsesArgs),
    /// Make a follow-up campaign to the MEPs who did not answer, each letter a reply in its thread.
    Followup(followup::FollowupArgs),
    /// Manage mail accounts (SMTP servers); passwords go to the system keyring.
    #[command(subcommand)]
    Account(send::AccountCommand),
    /// The demand-set library: list, search and show the demand sets.
    #[command(subcommand)]
    Demands(demands::DemandsCommand),
    /// Campaign kits: one file with a campaign and all it needs, to hand to volunteers.
    #[command(subcommand)]
    Kit(kit::KitCommand),
    /// Translators' round trip: export a campaign's texts as XLIFF, import the translation.
    #[command(subcommand)]
    Translate(translate::TranslateCommand),
    /// Search the Zotero running on this computer and add sources from it to a campaign.
    #[command(subcommand)]
    Zotero(zotero::ZoteroCommand),
    /// Roll-call votes from HowTheyVote.eu: import, list and show them.
    #[command(subcommand)]
    Votes(votes::VotesCommand),
    /// Show where Hemicycle keeps its files on this computer.
    Paths,
    /// Measure how fast Hemicycle's core is on this machine, and print the figures.
    Bench(bench::BenchArgs),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Meps(args) => meps::run(&args),
        Command::Import(cmd) => import::run(cmd),
        Command::Override(args) => overrides::run(&args),
        Command::Render(args) => letters::render(&args),
        Command::Check(args) => letters::check(&args),
        Command::Export(args) => export::run(&args),
        Command::Send(args) => send::run(&args),
        Command::Responses(args) => responses::run(&args),
        Command::Account(cmd) => send::account(cmd),
        Command::Followup(args) => followup::run(&args),
        Command::Demands(cmd) => demands::run(&cmd),
        Command::Kit(cmd) => kit::run(&cmd),
        Command::Translate(cmd) => translate::run(&cmd),
        Command::Zotero(cmd) => zotero::run(&cmd),
        Command::Votes(cmd) => votes::run(&cmd),
        Command::Paths => paths::run(),
        Command::Bench(args) => bench::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed pipe (`hemicycle meps | head`) is not an error.
            if err
                .chain()
                .filter_map(|c| c.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            let mut stderr = std::io::stderr().lock();
            // An error may quote text from a file or a server (an HTTP
            // error page): never raw to the terminal.
            let _ = writeln!(stderr, "error: {}", terminal_safe(&err.to_string()));
            for cause in err.chain().skip(1) {
                let _ = writeln!(stderr, "  because: {}", terminal_safe(&cause.to_string()));
            }
            ExitCode::FAILURE
        }
    }
}

/// Hemicycle's folders, or an error that says how to fix it.
/// Text from a file, safe to print on a terminal: control characters
/// (an escape sequence in a shared file could move the cursor or retitle
/// the window) are shown as "�"; line breaks and tabs stay.
pub fn terminal_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

fn paths() -> anyhow::Result<Paths> {
    Paths::discover().ok_or_else(|| {
        anyhow::anyhow!(
            "could not find a home folder to keep Hemicycle's files in; set HEMICYCLE_HOME to a folder Hemicycle may use"
        )
    })
}

/// The directory in use, with the user's corrections applied; warnings go to
/// standard error.
fn active_directory(explicit: Option<&PathBuf>) -> anyhow::Result<Directory> {
    let paths = Paths::discover();
    let (dir, _origin, warnings) = directory::load_active(paths.as_ref(), explicit.map(PathBuf::as_path))?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(dir)
}
