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

/// Whether `text` is one of the built-in example files as shipped (a
/// bundled example is never written over, wherever it is opened from).
pub fn is_bundled_text(text: &str) -> bool {
    FILES.iter().any(|(_, contents)| *contents == text)
}

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

/// The letterheads of the bundled examples (their own and their
/// co-signers'), read once from the copies built into the program.
fn example_organisations() -> &'static [super::Organisation] {
    static ORGS: std::sync::OnceLock<Vec<super::Organisation>> = std::sync::OnceLock::new();
    ORGS.get_or_init(|| {
        CAMPAIGNS
            .iter()
            .filter_map(|(file, _)| {
                let text = FILES.iter().find(|(f, _)| f == file)?.1;
                super::Campaign::from_toml(text, file).ok()
            })
            .flat_map(|c| std::iter::once(c.organisation).chain(c.organisations))
            .collect()
    })
}

/// Where `campaign`'s letterheads (its own and its co-signers') still hold
/// an example's data, in words for the pre-send check: "the postal address
/// \"Example Street 1\"". Empty when none does. Addresses and e-mails at the
/// domains reserved for examples (example.org, .com, .net) count too.
pub fn example_data_in(campaign: &super::Campaign) -> Vec<String> {
    let examples = example_organisations();
    let same = |a: &str, b: &str| !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim());
    let reserved = |s: &str| {
        let s = s.trim().to_ascii_lowercase();
        ["example.org", "example.com", "example.net"]
            .iter()
            .any(|d| s.ends_with(d) || s.contains(&format!("{d}/")) || s.contains(&format!("@{d}")))
    };
    let mut found = Vec::new();
    for org in std::iter::once(&campaign.organisation).chain(&campaign.organisations) {
        let mut note = |what: &str, value: &str| {
            let item = format!("{what} \"{}\"", value.trim());
            if !found.contains(&item) {
                found.push(item);
            }
        };
        for e in examples {
            if same(&org.name, &e.name) {
                note("the organisation's name", &org.name);
            }
            if same(&org.signatory.name, &e.signatory.name) {
                note("the signatory", &org.signatory.name);
            }
            if same(&org.reference_pattern, &e.reference_pattern) {
                note("the reference", &org.reference_pattern);
            }
            // The street line: "1000 Brussels" and "Belgium" are real places.
            for line in org
                .address
                .iter()
                .filter(|l| e.address.first().is_some_and(|f| same(l, f)))
            {
                note("the postal address", line);
            }
        }
        if reserved(&org.website) {
            note("the website", &org.website);
        }
        if reserved(&org.email) {
            note("the e-mail address", &org.email);
        }
    }
    // A press release's people: the example's quotes and contacts are
    // invented, and must not go out under real names' place.
    let people = example_press_people();
    let invented = |name: &str| people.iter().any(|p| same(name, p));
    let names = examples.iter().map(|e| e.name.as_str());
    let mut note = |what: &str, value: &str| {
        let item = format!("{what} \"{}\"", value.trim());
        if !found.contains(&item) {
            found.push(item);
        }
    };
    for q in &campaign.press.quotes {
        if invented(&q.speaker) {
            note("the person quoted", &q.speaker);
        }
        if names.clone().any(|n| same(&q.organisation, n)) {
            note("the quoted person's organisation", &q.organisation);
        }
    }
    for c in &campaign.press.contacts {
        if invented(&c.name) {
            note("the press contact", &c.name);
        }
        if reserved(&c.email) {
            note("the press contact's e-mail address", &c.email);
        }
    }
    found
}

/// The people quoted and the press contacts of the bundled examples.
fn example_press_people() -> &'static [String] {
    static PEOPLE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    PEOPLE.get_or_init(|| {
        CAMPAIGNS
            .iter()
            .filter_map(|(file, _)| {
                let text = FILES.iter().find(|(f, _)| f == file)?.1;
                super::Campaign::from_toml(text, file).ok()
            })
            .flat_map(|c| {
                let quoted = c.press.quotes.into_iter().map(|q| q.speaker);
                quoted
                    .chain(c.press.contacts.into_iter().map(|k| k.name))
                    .collect::<Vec<_>>()
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
    fn every_example_letterhead_is_found_and_a_real_one_is_not() {
        for (file, _) in CAMPAIGNS {
            let text = FILES.iter().find(|(f, _)| f == file).expect("file").1;
            let campaign = crate::campaign::Campaign::from_toml(text, file).expect("example");
            let found = example_data_in(&campaign);
            for what in [
                "organisation's name",
                "signatory",
                "reference",
                "postal address",
                "website",
                "e-mail",
            ] {
                assert!(
                    found.iter().any(|f| f.contains(what)),
                    "{file}: {what} not found in {found:?}"
                );
            }
        }
        let mut own = crate::campaign::Campaign::new("Our campaign", "personal-letter");
        own.organisation = crate::campaign::Organisation {
            name: "Fietsersbond Utrecht".into(),
            address: vec!["Oudegracht 1".into(), "1000 Brussels".into(), "Belgium".into()],
            website: "https://fietsersbond.nl".into(),
            email: "utrecht@fietsersbond.nl".into(),
            reference_pattern: "FBU/{year}/{seq:03}".into(),
            ..Default::default()
        };
        assert_eq!(example_data_in(&own), Vec::<String>::new());
        // A press release's quotes and contacts are checked too.
        let press = FILES
            .iter()
            .find(|(f, _)| *f == "campaigns/joint-press-release.toml")
            .expect("the press release example")
            .1;
        let mut release = crate::campaign::Campaign::from_toml(press, "press").expect("example");
        release.organisation = own.organisation.clone();
        release.organisations.clear();
        let found = example_data_in(&release);
        for what in [
            "the person quoted \"Maria Example\"",
            "the press contact \"Chris Example\"",
            "the press contact's e-mail address \"press@example.org\"",
        ] {
            assert!(found.iter().any(|f| f == what), "{what} not in {found:?}");
        }
        release.press.quotes.clear();
        release.press.contacts.clear();
        assert_eq!(example_data_in(&release), Vec::<String>::new());
        own.organisation.address[0] = "Example Street 1".into();
        own.organisation.website = "https://www.example.org/".into();
        assert_eq!(
            example_data_in(&own),
            [
                "the postal address \"Example Street 1\"",
                "the website \"https://www.example.org/\""
            ]
        );
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
