//! `hemicycle translate`: a campaign's texts out to a translator as XLIFF
//! 1.2, and the translated file back in.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::language::Language;
use crate::translate::{Texts, xliff};

#[derive(Debug, Subcommand)]
pub enum TranslateCommand {
    /// Write the campaign's texts (and its demand sets') as an XLIFF 1.2 file for a translator.
    Export(ExportArgs),
    /// Read a translated XLIFF file back into the campaign and its demand sets.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The campaign file.
    campaign: PathBuf,
    /// The language to translate into: one of the 24 codes (de, fr, pl, …).
    #[arg(long, value_name = "CODE")]
    language: String,
    /// The XLIFF file to write (default: the campaign's name with .CODE.xlf).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The campaign file.
    campaign: PathBuf,
    /// The translated XLIFF file.
    xliff: PathBuf,
}

pub fn run(cmd: &TranslateCommand) -> anyhow::Result<()> {
    match cmd {
        TranslateCommand::Export(args) => export(args),
        TranslateCommand::Import(args) => import(args),
    }
}

fn export(args: &ExportArgs) -> anyhow::Result<()> {
    let Some(language) = Language::parse(&args.language) else {
        anyhow::bail!("--language: {}", crate::language::unknown_code_problem(&args.language));
    };
    let texts = Texts::load(&args.campaign)?;
    let xml = xliff::export(&texts, language)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.campaign.with_extension(format!("{}.xlf", language.code())));
    let inputs = super::out::campaign_inputs(&args.campaign);
    super::out::write(&out, xml.as_bytes(), "the XLIFF file", &inputs, "the campaign's")?;
    let units = texts.units(language);
    let done = units.iter().filter(|u| u.target.is_some()).count();
    println!(
        "Wrote {} texts for translation into {} ({done} already translated): {}",
        units.len(),
        language.english_name(),
        out.display()
    );
    Ok(())
}

fn import(args: &ImportArgs) -> anyhow::Result<()> {
    let xml = crate::store::read_bounded_text(&args.xliff, crate::store::limits::XLIFF, "the XLIFF file")
        .with_context(|| format!("could not read {}", args.xliff.display()))?;
    let mut texts = Texts::load(&args.campaign)?;
    let done = xliff::import(&mut texts, &xml).map_err(|e| anyhow::anyhow!("{e}: {}", args.xliff.display()))?;
    let language = done.language.english_name();
    let translations = if done.translated == 1 {
        "translation"
    } else {
        "translations"
    };
    let texts_left = if done.untranslated == 1 { "text" } else { "texts" };
    println!(
        "Read {} {language} {translations} ({} {texts_left} still untranslated) into {}",
        done.translated,
        done.untranslated,
        if done.files.is_empty() {
            "no file".to_owned()
        } else {
            super::terminal_safe(&done.files.join(", "))
        }
    );
    Ok(())
}
