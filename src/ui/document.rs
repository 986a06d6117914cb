//! The campaign document's lifecycle: a new campaign, opening one (an
//! example, a kit's, the user's own), saving it (where the examples and
//! kits are never written over), and the recovery copy of unsaved changes.
//! [`Document`] works on the app's open campaign, is lent what it reads
//! (the folders, the settings, the directory, the selection) and returns
//! what the app carries out ([`Asked`]): the status line, the selection,
//! the recent campaigns, the preview.

use std::path::{Path, PathBuf};

use crate::compose::Composer;
use crate::directory::Directory;
use crate::store::Paths;

use super::state::{self, Doc, Recovery, Selection, Settings};

/// The open campaign (`None` when none is), with what its lifecycle reads.
pub struct Document<'a> {
    pub doc: &'a mut Option<Doc>,
    pub paths: Option<&'a Paths>,
    pub settings: &'a Settings,
    pub directory: &'a Directory,
    /// The MEPs selected as recipients (a save writes them).
    pub selection: &'a Selection,
    /// What the app is to carry out, in order.
    pub asked: Vec<Asked>,
}

/// What the document asks of the app.
#[derive(Debug, PartialEq)]
pub enum Asked {
    /// A message for the status line; `true` for a problem.
    Status(String, bool),
    /// The campaign opened or restored: these are its recipients.
    Select(Vec<String>),
    /// A new campaign: no one is selected.
    ClearSelection,
    /// `file` was opened or saved: first among the recent campaigns.
    Recent(PathBuf),
    /// Why the campaign could not be opened or made (`None`: it was).
    Problem(Option<String>),
    /// Another campaign is open: the preview forgets the last one's letter.
    Forget,
    /// The campaign changed: its letter is composed again.
    Recompose,
    /// A new campaign starts with choosing its recipients.
    ShowRecipients,
    /// Ask where to save the campaign, suggesting this file.
    ChooseFile(Option<PathBuf>),
}

impl Document<'_> {
    fn say(&mut self, text: impl Into<String>, problem: bool) {
        self.asked.push(Asked::Status(text.into(), problem));
    }
}

/// Opens a campaign file; on failure the current campaign stays open
/// and the reason is shown.
pub fn open(d: &mut Document<'_>, file: &Path) {
    match Composer::open(file, d.settings.templates_dir.as_deref()) {
        Ok(composer) => {
            d.asked.push(Asked::Select(recipient_ids(&composer, d.directory)));
            let paths = d.paths;
            let example = paths.as_ref().is_some_and(|p| is_under(file, &p.examples()));
            let kit = paths.as_ref().is_some_and(|p| is_under(file, &p.kits()));
            let mut composer = composer;
            if example {
                // An example's fictional letterhead never reaches a letter.
                composer.campaign.organisation = own_letterhead(d.settings, d.doc.as_ref());
            }
            let mut doc = Doc::new(composer, Some(file.to_path_buf()));
            if example || kit {
                // Saving asks where to keep the user's copy.
                doc.file = None;
                let what = if kit { "a campaign kit" } else { "an example" };
                d.say(format!("This is {what}: Save asks where to keep your own copy"), false);
            } else {
                d.asked.push(Asked::Recent(file.to_path_buf()));
                d.say(format!("Opened {}", file.display()), false);
            }
            *d.doc = Some(doc);
            d.asked.push(Asked::Problem(None));
            d.asked.push(Asked::Forget);
        }
        Err(e) => {
            d.asked
                .push(Asked::Problem(Some(format!("The campaign could not be opened: {e}"))));
            d.say(format!("Could not open {}", file.display()), true);
        }
    }
}

/// Opens one of the bundled examples (File → New from an example).
pub fn open_example_file(d: &mut Document<'_>, file: &str) {
    let Some(root) = d.paths.map(Paths::examples) else {
        d.asked.push(Asked::Problem(Some(
            "No folder for Hemicycle's files was found (is HOME set?).".to_owned(),
        )));
        return;
    };
    match crate::campaign::examples::install(&root) {
        Ok(_) => open(d, &root.join(file)),
        Err(e) => d.asked.push(Asked::Problem(Some(e.to_string()))),
    }
}

/// A new campaign, with the user's letterhead.
pub fn new_campaign(d: &mut Document<'_>) {
    let mut campaign = crate::campaign::Campaign::new("Untitled campaign", "personal-letter");
    campaign.ensure_id();
    campaign.organisation = own_letterhead(d.settings, d.doc.as_ref());
    let base = d
        .paths
        .map_or_else(|| PathBuf::from("."), |p| p.data.join("campaigns"))
        .join("untitled.toml");
    match Composer::from_campaign(campaign, &base, d.settings.templates_dir.as_deref()) {
        Ok(composer) => {
            let mut doc = Doc::new(composer, None);
            doc.touch();
            *d.doc = Some(doc);
            d.asked.push(Asked::ClearSelection);
            d.asked.push(Asked::Recompose);
            d.asked.push(Asked::ShowRecipients);
        }
        Err(e) => d.asked.push(Asked::Problem(Some(e.to_string()))),
    }
}

/// "New campaign from this…": the campaign open, as a new campaign with
/// an identity of its own and no file yet (Save asks where). Its letters
/// are then other letters than the original's: one that differs from
/// what the original sent an MEP may go to them, where a changed copy of
/// the same campaign would wait for "send changed letters again".
pub fn new_campaign_from_this(d: &mut Document<'_>) {
    let Some(doc) = d.doc.as_mut() else { return };
    doc.composer.campaign.renew_id();
    doc.file = None;
    doc.touch();
    d.say(
        "This is now a new campaign, with an identity of its own: save it under a new name. Letters the original sent are still never sent twice.".to_owned(),
        false,
    );
    ask_save_as(d);
}

/// Saves to the campaign's file, or asks where when it has none.
pub fn save(d: &mut Document<'_>) {
    let file = d.doc.as_ref().and_then(|d| d.file.clone());
    match file {
        Some(file) => save_to(d, &file),
        None => ask_save_as(d),
    }
}

/// Saves the campaign (and a template edited in the app) to `file`.
pub fn save_to(d: &mut Document<'_>, file: &Path) {
    if read_only(d.paths, file) {
        d.say(
            "The examples and the campaign kits you opened are not written over: save your campaign in another folder"
                .to_owned(),
            true,
        );
        ask_save_as(d);
        return;
    }
    let Some(doc) = d.doc.as_mut() else { return };
    let in_query = doc.composer.recipients_query_result(d.directory);
    let (include, exclude) = state::recipients_delta(&in_query, d.selection);
    let campaign = &mut doc.composer.campaign;
    campaign.recipients.include = include;
    campaign.recipients.exclude = exclude;
    if let Some(source) = &doc.custom_template {
        let stem = file
            .file_stem()
            .map_or_else(|| "campaign".into(), |s| s.to_string_lossy().into_owned());
        let template_file = file.with_file_name(format!("{stem}.md.hbs"));
        if let Err(e) = crate::store::write_atomic(&template_file, source.as_bytes(), "the letter template") {
            d.say(e.to_string(), true);
            return;
        }
        campaign.template = format!("{stem}.md.hbs");
        let name = crate::compose::templates::name_of(&template_file);
        let _ = doc.composer.templates.add(&name, source);
        doc.custom_template = None;
    }
    // Relative paths were written for the old location.
    let old = doc.composer.path.clone();
    doc.composer.campaign.moved(&old, file);
    // A copy of an example or a kit takes the files it uses along.
    let read_only_root = d
        .paths
        .and_then(|p| [p.examples(), p.kits()].into_iter().find(|root| is_under(&old, root)));
    if let Some(root) = &read_only_root
        && let Err(e) = state::bring_along(&mut doc.composer.campaign, root, file)
    {
        d.say(format!("Not saved: {e}"), true);
        return;
    }
    // A campaign gets its identity with its first save (an older file,
    // a copy of an example); a copy or "Save as" keeps it.
    doc.composer.campaign.ensure_id();
    match doc.composer.campaign.save(file, doc.read_from.as_deref()) {
        Ok(()) => {
            doc.saved_as(&old, file, read_only_root.as_deref());
            doc.composer.path = file.to_path_buf();
            doc.file = Some(file.to_path_buf());
            doc.read_from = Some(file.to_path_buf());
            doc.dirty = false;
            if let Some(paths) = d.paths {
                Recovery::clear(paths);
            }
            d.asked.push(Asked::Recent(file.to_path_buf()));
            d.say(format!("Saved {}", file.display()), false);
        }
        Err(e) => d.say(format!("Not saved: {e}"), true),
    }
}

/// Writes the unsaved changes, if any, to the recovery file now.
pub fn write_recovery(d: &mut Document<'_>) {
    let (Some(doc), Some(paths)) = (&*d.doc, d.paths) else {
        return;
    };
    if !doc.dirty {
        return;
    }
    let recovery = Recovery {
        file: doc.file.clone(),
        base: doc.composer.path.clone(),
        saved_at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
        toml: doc.composer.campaign.to_toml(),
    };
    if let Err(e) = recovery.write(paths) {
        d.say(e.to_string(), true);
    }
}

/// Restores the unsaved changes of the last session.
pub fn restore(d: &mut Document<'_>, recovery: &Recovery) {
    let result = crate::campaign::Campaign::from_toml(&recovery.toml, "the recovery copy")
        .map_err(crate::compose::ComposeError::from)
        .and_then(|c| Composer::from_campaign(c, &recovery.base, d.settings.templates_dir.as_deref()));
    match result {
        Ok(composer) => {
            d.asked.push(Asked::Select(recipient_ids(&composer, d.directory)));
            let mut doc = Doc::new(composer, recovery.file.clone());
            doc.touch();
            *d.doc = Some(doc);
            d.asked.push(Asked::Recompose);
            d.say("Your unsaved changes were restored; save them to keep them.", false);
        }
        Err(e) => d.say(format!("The unsaved changes could not be restored: {e}"), true),
    }
}

/// The user chose not to keep the unsaved changes: they are forgotten,
/// and so is their recovery copy (no later autosave writes it again).
pub fn discard_changes(d: &mut Document<'_>) {
    if let Some(doc) = d.doc.as_mut() {
        doc.dirty = false;
    }
    if let Some(paths) = d.paths {
        Recovery::clear(paths);
    }
}

/// Asks where to save the campaign, suggesting a file named after it
/// in the campaigns folder.
pub fn ask_save_as(d: &mut Document<'_>) {
    let start = d.paths.map(|p| {
        let title = d
            .doc
            .as_ref()
            .map_or("campaign", |d| d.composer.campaign.title.as_str());
        let mut name = crate::util::slug(title);
        name.truncate(60);
        if name.is_empty() {
            name = "campaign".into();
        }
        let dir = p.data.join("campaigns");
        let _ = std::fs::create_dir_all(&dir);
        dir.join(format!("{name}.toml"))
    });
    d.asked.push(Asked::ChooseFile(start));
}

/// The ids of a campaign's recipients: the selection when it is opened or
/// restored.
fn recipient_ids(composer: &Composer, directory: &Directory) -> Vec<String> {
    composer.recipients(directory).iter().map(|m| m.id.clone()).collect()
}

/// Whether `file` is one of the bundled examples' files or a kit's, which
/// are never written over.
fn read_only(paths: Option<&Paths>, file: &Path) -> bool {
    paths.is_some_and(|p| is_under(file, &p.examples()) || is_under(file, &p.kits()))
}

/// The user's letterhead for a new campaign or an example: the one
/// the welcome or Settings took, else an empty one to fill in (never an
/// example's, which would go out in real letters).
fn own_letterhead(settings: &Settings, doc: Option<&Doc>) -> crate::campaign::Organisation {
    settings
        .organisation
        .clone()
        .or_else(|| {
            // A campaign of the user's own (not an example) is theirs.
            doc.filter(|d| d.file.is_some())
                .map(|d| d.composer.campaign.organisation.clone())
        })
        .unwrap_or_default()
}

/// Whether `file` (which may not exist yet) lies in the folder `root`.
fn is_under(file: &Path, root: &Path) -> bool {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let folder = file.parent().map_or_else(|| file.to_path_buf(), canonical);
    folder.starts_with(canonical(root))
}
