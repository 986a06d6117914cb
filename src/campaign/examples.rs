//! The example campaign, built into the program so that the app can open it
//! wherever it is installed: written out once into the user's data folder,
//! with the folder layout its relative paths expect.

use std::path::{Path, PathBuf};

use crate::store;

/// (path under the examples folder, contents)
const FILES: &[(&str, &str)] = &[
    (
        "campaigns/ai-act-people-on-the-move.toml",
        include_str!("../../assets/campaigns/ai-act-people-on-the-move.toml"),
    ),
    (
        "demands/ai-act-migration.toml",
        include_str!("../../assets/demands/ai-act-migration.toml"),
    ),
    (
        "bibliography/ai-act-migration.json",
        include_str!("../../assets/bibliography/ai-act-migration.json"),
    ),
    (
        "campaigns/short-personal-letter.toml",
        include_str!("../../assets/campaigns/short-personal-letter.toml"),
    ),
    (
        "demands/clean-air-green-streets.toml",
        include_str!("../../assets/demands/clean-air-green-streets.toml"),
    ),
    (
        "bibliography/clean-air-green-streets.json",
        include_str!("../../assets/bibliography/clean-air-green-streets.json"),
    ),
    (
        "campaigns/joint-letter-commissioners.toml",
        include_str!("../../assets/campaigns/joint-letter-commissioners.toml"),
    ),
    (
        "demands/csddd-after-omnibus.toml",
        include_str!("../../assets/demands/csddd-after-omnibus.toml"),
    ),
    (
        "bibliography/csddd-after-omnibus.json",
        include_str!("../../assets/bibliography/csddd-after-omnibus.json"),
    ),
    (
        "campaigns/joint-press-release.toml",
        include_str!("../../assets/campaigns/joint-press-release.toml"),
    ),
    (
        "demands/climate-2040-at-home.toml",
        include_str!("../../assets/demands/climate-2040-at-home.toml"),
    ),
    (
        "bibliography/climate-2040-at-home.json",
        include_str!("../../assets/bibliography/climate-2040-at-home.json"),
    ),
    (
        "campaigns/coalition-statement.toml",
        include_str!("../../assets/campaigns/coalition-statement.toml"),
    ),
    (
        "demands/media-freedom-spyware.toml",
        include_str!("../../assets/demands/media-freedom-spyware.toml"),
    ),
    (
        "bibliography/media-freedom-spyware.json",
        include_str!("../../assets/bibliography/media-freedom-spyware.json"),
    ),
];

/// The example campaigns, one per genre: (file under the examples folder,
/// genre). The first is the one the app opens at first start.
pub const CAMPAIGNS: &[(&str, &str)] = &[
    ("campaigns/ai-act-people-on-the-move.toml", "open-letter"),
    ("campaigns/short-personal-letter.toml", "personal-letter"),
    ("campaigns/joint-letter-commissioners.toml", "joint-letter"),
    ("campaigns/joint-press-release.toml", "press-release"),
    ("campaigns/coalition-statement.toml", "coalition-statement"),
];

/// An example campaign, as File → New shows it.
#[derive(Debug, Clone)]
pub struct Example {
    /// The file under the examples folder.
    pub file: &'static str,
    /// The genre's name for people ("Press release").
    pub genre: &'static str,
    pub title: String,
    /// The campaign's one-line description.
    pub description: String,
}

/// The examples, one per genre, read from the copies built into the
/// program (once).
pub fn gallery() -> &'static [Example] {
    static GALLERY: std::sync::OnceLock<Vec<Example>> = std::sync::OnceLock::new();
    GALLERY.get_or_init(|| {
        CAMPAIGNS
            .iter()
            .filter_map(|(file, genre)| {
                let text = FILES.iter().find(|(f, _)| f == file)?.1;
                let campaign = super::Campaign::from_toml(text, file).ok()?;
                let genre = match *genre {
                    "personal-letter" => "Personal letter",
                    "open-letter" => "Open letter",
                    "joint-letter" => "Joint letter",
                    "press-release" => "Press release",
                    "coalition-statement" => "Coalition statement",
                    other => other,
                };
                Some(Example {
                    file,
                    genre,
                    title: campaign.title,
                    description: campaign.description,
                })
            })
            .collect()
    })
}

/// The example campaign file under `root`.
pub fn campaign_path(root: &Path) -> PathBuf {
    root.join(FILES[0].0)
}

/// Writes the example's files under `root` where they are missing (a file
/// the user changed is left as it is) and returns the campaign file.
pub fn install(root: &Path) -> Result<PathBuf, store::WriteError> {
    for (name, text) in FILES {
        let path = root.join(name);
        if !path.exists() {
            store::write_atomic(&path, text.as_bytes(), "the example campaign")?;
        }
    }
    Ok(campaign_path(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gallery_has_one_described_example_per_genre_and_each_opens() {
        let tmp = tempfile::tempdir().expect("tempdir");
        install(tmp.path()).expect("install");
        assert_eq!(gallery().len(), CAMPAIGNS.len());
        for e in gallery() {
            assert!(!e.description.is_empty() && !e.title.is_empty(), "{e:?}");
            crate::compose::Composer::open(&tmp.path().join(e.file), None).expect("the example opens");
        }
    }

    #[test]
    fn the_installed_example_opens_and_edits_are_kept() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let file = install(tmp.path()).expect("install");
        let composer = crate::compose::Composer::open(&file, None).expect("the example opens");
        assert!(composer.library.len() >= 19);
        std::fs::write(&file, "changed").expect("write");
        install(tmp.path()).expect("install again");
        assert_eq!(std::fs::read_to_string(&file).expect("read"), "changed");
    }
}
