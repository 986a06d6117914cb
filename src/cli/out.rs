//! `--out FILE` of the commands that write one file (`render`,
//! `translate export`, `import directory`): an output never destroys. It is
//! not written over the campaign or any file the campaign reads, nor over a
//! named pipe, a device or a folder; a user file it replaces is kept as
//! `FILE.bak`.

use std::path::{Path, PathBuf};

use crate::campaign::{BlockSetting, Campaign, has_extension, resolve};

/// Every file the campaign at `file` reads: itself, its demand sets and
/// bibliographies (the demand sets' too), the logo, block files, a template
/// or CSL file, and its translations' block files and templates. Paths as
/// the campaign names them, resolved against its folder.
pub fn campaign_inputs(file: &Path) -> Vec<PathBuf> {
    let mut inputs = vec![file.to_path_buf()];
    let Ok(campaign) = Campaign::load(file) else {
        return inputs;
    };
    inputs.extend(of_campaign(&campaign, file));
    // The bibliographies of the demand sets, as the composer finds them.
    if let Ok(composer) = crate::compose::Composer::open(file, None) {
        inputs.extend(composer.library_files);
    }
    inputs
}

fn of_campaign(campaign: &Campaign, file: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = campaign
        .bibliography
        .iter()
        .chain(&campaign.demand_sets)
        .chain(&campaign.organisation.logo)
        .map(|p| resolve(file, p))
        .collect();
    let blocks = campaign
        .blocks
        .values()
        .chain(campaign.translations.values().flat_map(|t| t.blocks.values()));
    for setting in blocks {
        if let BlockSetting::File(p) = setting {
            paths.push(resolve(file, p));
        }
    }
    let specs = [&campaign.template, &campaign.citation_style]
        .into_iter()
        .chain(campaign.translations.values().filter_map(|t| t.template.as_ref()));
    for spec in specs {
        if has_extension(spec, "hbs") || has_extension(spec, "csl") {
            paths.push(resolve(file, Path::new(spec.as_str())));
        }
    }
    paths
}

/// The same file, whatever the path that reaches it (`..`, links).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// What kind of thing `path` is, in words, when it is not a regular file.
fn not_a_file(path: &Path) -> Option<&'static str> {
    let meta = std::fs::metadata(path).ok()?;
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("a device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Writes `bytes` to `out` (given as `--out`) unless it is one of `inputs`
/// (named by `whose`, "the campaign's") or not a regular file; an existing
/// file is kept as `out.bak`, and the user is told so.
pub fn write(out: &Path, bytes: &[u8], what: &'static str, inputs: &[PathBuf], whose: &str) -> anyhow::Result<()> {
    check(out, inputs, whose)?;
    let shown = super::terminal_safe(&out.display().to_string());
    let backup = crate::store::backup_path(out);
    if out.exists() {
        crate::store::write_atomic(out, bytes, what)?;
        eprintln!(
            "{shown} existed: it was replaced, and the old one kept as {}",
            super::terminal_safe(&backup.display().to_string())
        );
    } else {
        crate::store::write_replacing(out, bytes, what)?;
    }
    Ok(())
}

/// Refuses `out` (given as `--out`) if it is one of `inputs` or not a
/// regular file, or if its backup would be (see [`write`]).
pub fn check(out: &Path, inputs: &[PathBuf], whose: &str) -> anyhow::Result<()> {
    let shown = super::terminal_safe(&out.display().to_string());
    if let Some(kind) = not_a_file(out) {
        anyhow::bail!("--out {shown} is {kind}, not a file; Hemicycle writes only regular files: give a file name");
    }
    let backup = crate::store::backup_path(out);
    for input in inputs {
        if same_file(out, input) || same_file(&backup, input) {
            anyhow::bail!(
                "--out {shown} is one of {whose} own files ({}); Hemicycle does not write over a campaign or the files it reads: choose another name",
                super::terminal_safe(&input.display().to_string())
            );
        }
    }
    if not_a_file(&backup).is_some() {
        anyhow::bail!(
            "{} is not a regular file, so the old {shown} cannot be kept there: choose another name",
            super::terminal_safe(&backup.display().to_string())
        );
    }
    Ok(())
}
