//! `hemicycle export`: every recipient's letter in every chosen format.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::{Args, ValueEnum};

use crate::deliver::{self, ExportOptions, Format, names};
use crate::render::pdf;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)]
pub struct ExportArgs {
    /// The campaign file (.toml).
    campaign: PathBuf,
    /// Formats, separated by commas: pdf, docx, eml, html, md, txt.
    #[arg(long, value_delimiter = ',', default_value = "pdf", value_parser = Format::from_arg)]
    format: Vec<Format>,
    /// The folder to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Put everything in one ZIP file in the folder instead.
    #[arg(long)]
    zip: bool,
    /// File names: {country}, {family_name}, {given_name}, {name}, {id}, {group}, {seq}.
    #[arg(long, default_value = names::DEFAULT_PATTERN)]
    pattern: String,
    /// Also one PDF with every letter, for printing.
    #[arg(long)]
    combined_pdf: bool,
    #[arg(long, value_enum, default_value = "a4")]
    paper: PaperArg,
    /// PDF/A-2 as well, for archiving.
    #[arg(long)]
    pdf_a: bool,
    /// Mark .eml files as unsent drafts (X-Unsent: 1) to edit in Outlook or Thunderbird.
    #[arg(long)]
    draft: bool,
    /// Attach the PDF to each .eml file.
    #[arg(long)]
    attach_pdf: bool,
    #[command(flatten)]
    letters: Letters,
}

/// Which letters: the options `export` and `send` share.
#[derive(Debug, Args)]
pub struct Letters {
    /// Only these MEP ids (default: the campaign's recipients).
    #[arg(long, value_delimiter = ',')]
    mep: Vec<String>,
    /// The letters' date (YYYY-MM-DD) when the campaign sets none.
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
    /// A folder of your own templates (.md.hbs).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// An MEP directory file instead of yours or the bundled one.
    #[arg(long, value_name = "FILE")]
    directory: Option<PathBuf>,
}

impl Letters {
    /// The campaign, the MEPs to write to, the directory they come from
    /// (owned, so the MEPs are cloned) and the letters' date.
    pub fn open(
        &self,
        campaign: &std::path::Path,
    ) -> anyhow::Result<(crate::compose::Composer, Vec<crate::directory::Mep>, chrono::NaiveDate)> {
        let composer = super::letters::open(campaign, self.templates.as_ref())?;
        let dir = super::active_directory(self.directory.as_ref())?;
        let meps = pick_meps(&composer, &dir, &self.mep)?.into_iter().cloned().collect();
        let today = super::letters::today(self.today.as_deref())?;
        Ok((composer, meps, today))
    }
}

pub fn run(args: &ExportArgs) -> anyhow::Result<()> {
    let mut formats = Vec::new();
    for &format in &args.format {
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    let (composer, meps, today) = args.letters.open(&args.campaign)?;
    let meps: Vec<&crate::directory::Mep> = meps.iter().collect();
    crate::deliver::session::check_export(&composer, &formats)?;
    let options = ExportOptions {
        formats,
        out_dir: args.out.clone(),
        zip_name: args
            .zip
            .then(|| format!("{}.zip", names::sanitize(&composer.campaign.title))),
        pattern: args.pattern.clone(),
        combined_pdf: args.combined_pdf,
        pdf: pdf::PdfSettings {
            paper: match args.paper {
                PaperArg::A4 => pdf::Paper::A4,
                PaperArg::Letter => pdf::Paper::UsLetter,
            },
            archival: args.pdf_a,
            logo: None,
        },
        eml: crate::deliver::export::eml_settings(&composer, args.draft, args.attach_pdf),
        today,
    };
    let tty = std::io::stderr().is_terminal();
    let progress = |p: deliver::Progress| {
        if tty {
            eprint!("\rExporting: {}/{}   ", p.done, p.total);
        }
    };
    let cancel = AtomicBool::new(false);
    let started = std::time::Instant::now();
    let report = deliver::export(&composer, &meps, &options, &progress, &cancel)?;
    if tty {
        eprintln!();
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    for (who, format, reason) in &report.failed {
        let what = format.map_or("the letter".to_owned(), |f| format!("the {} file", f.ext()));
        eprintln!("failed: {what} for {who}: {reason}");
    }
    eprintln!(
        "Wrote {} files for {} in {:.1?} to {}{}",
        report.written.len(),
        who(&composer, &meps),
        started.elapsed(),
        args.out.display(),
        if report.failed.is_empty() {
            String::new()
        } else {
            format!("; {} failed (see above)", report.failed.len())
        }
    );
    if !report.failed.is_empty() {
        anyhow::bail!("some letters could not be exported");
    }
    Ok(())
}

/// Whom the letters are for: "8 MEPs", "6 addressees", "3 MEPs and 2
/// other addressees" (the named addressees are no MEPs).
fn who(composer: &crate::compose::Composer, meps: &[&crate::directory::Mep]) -> String {
    let named = meps
        .iter()
        .filter(|m| crate::compose::parts::addressee_of(&composer.campaign, m).is_some())
        .count();
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (meps.len() - named, named) {
        (m, 0) => count(m, "MEP", "MEPs"),
        (0, a) => count(a, "addressee", "addressees"),
        (m, a) => format!(
            "{} and {}",
            count(m, "MEP", "MEPs"),
            count(a, "other addressee", "other addressees")
        ),
    }
}

/// The campaign's recipients, or the MEPs with the given ids.
pub(crate) fn pick_meps<'a>(
    composer: &'a crate::compose::Composer,
    dir: &'a crate::directory::Directory,
    ids: &[String],
) -> anyhow::Result<Vec<&'a crate::directory::Mep>> {
    let meps: Vec<&crate::directory::Mep> = if ids.is_empty() {
        composer.recipients(dir)
    } else {
        let mut list = Vec::new();
        for id in ids {
            let named = composer.addressees.iter().find(|a| a.id == *id);
            let Some(m) = dir.get(id).or(named) else {
                anyhow::bail!(
                    "there is no MEP or addressee with the id {id}; `hemicycle meps --search NAME` shows the MEPs' ids"
                );
            };
            list.push(m);
        }
        list
    };
    if meps.is_empty() {
        anyhow::bail!("the campaign has no recipients; set [recipients] in the campaign or give --mep IDS");
    }
    Ok(meps)
}
