//! A campaign from a kit uses the kit's files and no others.
//!
//! Every path a campaign names — demand sets, bibliographies (its own and
//! its demand sets'), the logo, block files, the template, the CSL style,
//! the translations' blocks and templates — is listed by [`named_files`].
//! When a kit is opened each must be one of the kit's own files
//! ([`check_entries`]); when a campaign in a kit's folder (the folder holds
//! the kit's `manifest.toml`) is loaded, each must still lie inside that
//! folder once links are followed ([`confine`]). Otherwise the campaign is
//! refused, naming the field and the path.

use std::path::{Component, Path, PathBuf};

use crate::campaign::{BlockSetting, Campaign, DemandSet, resolve};

use super::{FORMAT, KitError, MANIFEST};

/// Every file the campaign names: (the field, in words; the path as
/// written).
pub fn named_files(campaign: &Campaign) -> Vec<(String, PathBuf)> {
    let mut named = Vec::new();
    for set in &campaign.demand_sets {
        named.push(("demand_sets".to_owned(), set.clone()));
    }
    for bib in &campaign.bibliography {
        named.push(("bibliography".to_owned(), bib.clone()));
    }
    if let Some(logo) = &campaign.organisation.logo {
        named.push(("[organisation] logo".to_owned(), logo.clone()));
    }
    blocks(&mut named, "[blocks]", &campaign.blocks);
    if crate::util::has_extension(&campaign.template, "hbs") {
        named.push(("template".to_owned(), PathBuf::from(&campaign.template)));
    }
    if crate::util::has_extension(&campaign.citation_style, "csl") {
        named.push(("citation_style".to_owned(), PathBuf::from(&campaign.citation_style)));
    }
    for (code, t) in &campaign.translations {
        blocks(&mut named, &format!("[translations.{code}.blocks]"), &t.blocks);
        if let Some(spec) = t.template.as_ref().filter(|s| crate::util::has_extension(s, "hbs")) {
            named.push((format!("[translations.{code}] template"), PathBuf::from(spec)));
        }
    }
    named
}

fn blocks(named: &mut Vec<(String, PathBuf)>, table: &str, blocks: &std::collections::BTreeMap<String, BlockSetting>) {
    for (name, setting) in blocks {
        if let Some(p) = setting.file() {
            named.push((format!("{table} {name}"), p.clone()));
        }
    }
}

/// The file name a relative path without `..` names in a flat folder:
/// `x.json`, `./x.json`; `None` for anything else.
fn flat_name(path: &Path) -> Option<String> {
    let mut parts = path.components().filter(|c| !matches!(c, Component::CurDir));
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(name)), None) => name.to_str().map(str::to_owned),
        _ => None,
    }
}

/// At open: every file the kit's campaign (and each of its demand sets)
/// names is one of the kit's files. `entry` gives a file's bytes by name.
pub fn check_entries<'a>(campaign: &Campaign, entry: impl Fn(&str) -> Option<&'a [u8]>) -> Result<(), KitError> {
    for (field, path) in named_files(campaign) {
        let Some(name) = flat_name(&path).filter(|n| entry(n).is_some()) else {
            return Err(outside(&field, &path));
        };
        if field == "demand_sets" {
            let text = entry(&name)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default();
            let set = DemandSet::from_toml(text, &name)?;
            for bib in &set.bibliography {
                if flat_name(bib).is_none_or(|n| entry(&n).is_none()) {
                    return Err(outside(&format!("bibliography of the demand set {name}"), bib));
                }
            }
        }
    }
    Ok(())
}

fn outside(field: &str, path: &Path) -> KitError {
    KitError::Outside {
        field: field.to_owned(),
        path: super::names::shown(&path.display().to_string()),
    }
}

/// The kit's folder, when the campaign file lies in one: beside the kit's
/// `manifest.toml`, or in a folder of its own under the kits folder
/// (`Paths::kits`, where an older Hemicycle unpacked kits without their
/// manifest).
pub fn folder_of(campaign_file: &Path) -> Option<PathBuf> {
    let folder = match campaign_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let manifest = folder.join(MANIFEST);
    if !manifest.is_file() {
        return in_kits_folder(&folder).then_some(folder);
    }
    let text = crate::store::read_bounded_text(&manifest, crate::store::limits::MANIFEST, "the kit's manifest").ok()?;
    let head: toml::Table = toml::from_str(&text).ok()?;
    (head.get("format").and_then(toml::Value::as_str) == Some(FORMAT)).then_some(folder)
}

/// Whether `folder` is one of the folders under Hemicycle's kits folder.
fn in_kits_folder(folder: &Path) -> bool {
    let Some(kits) = crate::store::Paths::discover().map(|p| p.kits()) else {
        return false;
    };
    let real = |p: &Path| std::fs::canonicalize(p).ok();
    match (real(&kits), folder.parent().and_then(real)) {
        (Some(kits), Some(parent)) => kits == parent,
        _ => false,
    }
}

/// At load: a campaign in a kit's folder names only files inside that
/// folder, links followed. A campaign elsewhere is the user's own: nothing
/// to check.
pub fn confine(campaign: &Campaign, file: &Path) -> Result<(), KitError> {
    let Some(folder) = folder_of(file) else {
        return Ok(());
    };
    let root = std::fs::canonicalize(&folder).unwrap_or(folder);
    let inside = |path: &Path, base: &Path| {
        let full = resolve(base, path);
        match std::fs::canonicalize(&full) {
            Ok(real) => real.starts_with(&root),
            // Not there (yet): its loader says so; here only the words count.
            Err(_) => path.is_relative() && !path.components().any(|c| matches!(c, Component::ParentDir)),
        }
    };
    for (field, path) in named_files(campaign) {
        if !inside(&path, file) {
            return Err(KitError::Confined {
                field,
                path: super::names::shown(&path.display().to_string()),
            });
        }
        if field == "demand_sets" {
            let set_file = resolve(file, &path);
            let Ok(set) = DemandSet::load(&set_file) else {
                continue;
            };
            for bib in &set.bibliography {
                if !inside(bib, &set_file) {
                    return Err(KitError::Confined {
                        field: format!("bibliography of the demand set {}", path.display()),
                        path: super::names::shown(&bib.display().to_string()),
                    });
                }
            }
        }
    }
    Ok(())
}
