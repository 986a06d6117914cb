//! The app seen from outside, for tests and `hemicycle bench --ui`:
//! [`Probe`] reads what the app shows without changing it, [`Steer`] does
//! what a test or a benchmark cannot do by clicking (focus a demand's text,
//! show another MEP's pages). So `App` keeps only what it needs to draw
//! and route (it reads a few of the same answers through its probe).

use std::path::Path;
use std::time::Duration;

use super::App;
use super::fit;
use super::state::{Settings, Tab};

/// What the app shows, read without changing it (`app.probe()`).
#[derive(Clone, Copy)]
pub struct Probe<'a>(pub(super) &'a App);

/// What tests and the benchmark do to the app besides clicking
/// (`app.steer()`).
pub struct Steer<'a>(pub(super) &'a mut App);

impl<'a> Probe<'a> {
    /// The panels whose content, and the windows that, did not fit in the
    /// last frame (see [`fit`]).
    pub fn misfits(&self) -> &'a [fit::Misfit] {
        self.0.window.fit.misfits()
    }

    /// The median time to draw a frame over the last frames.
    pub fn median_frame_time(&self) -> Duration {
        self.0.window.timings.median()
    }

    /// Time from start to the end of the first frame.
    pub fn first_frame_time(&self) -> Option<Duration> {
        self.0.window.timings.first_frame
    }

    /// Where the open campaign is saved: `None` for a new campaign or a
    /// bundled example, which Save asks where to keep.
    pub fn campaign_file(&self) -> Option<&'a Path> {
        self.0.doc.as_ref().and_then(|d| d.file.as_deref())
    }

    /// The campaign open in the app.
    pub fn campaign(&self) -> Option<&'a crate::campaign::Campaign> {
        self.0.doc.as_ref().map(|d| &d.composer.campaign)
    }

    /// Whether the open campaign has changes not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.0.doc.as_ref().is_some_and(|d| d.dirty)
    }

    /// The notes of the letter in the preview.
    pub fn preview_note_count(&self) -> usize {
        match self.0.panels.preview.letter() {
            Some(Ok(l)) => l.notes.len(),
            _ => 0,
        }
    }

    /// The text of demand `n` (1-based).
    pub fn demand_text(&self, n: usize) -> Option<String> {
        let doc = self.0.doc.as_ref()?;
        doc.composer.demands.get(n.checked_sub(1)?).map(|d| d.body.clone())
    }

    /// The MEPs in the directory.
    pub fn directory_len(&self) -> usize {
        self.0.directory.meps.len()
    }

    /// The MEP the preview is for.
    pub fn preview_for(&self) -> Option<String> {
        self.0.preview_mep().map(|m| m.id.clone())
    }

    /// The selected MEPs' ids.
    pub fn selected_ids(&self) -> Vec<String> {
        self.0.recipients.selection.ids().cloned().collect()
    }

    /// The ids of the campaign's demands.
    pub fn demand_ids(&self) -> Vec<String> {
        self.0
            .doc
            .as_ref()
            .map(|d| d.composer.demands.iter().map(|x| x.id.clone()).collect())
            .unwrap_or_default()
    }

    /// The title of the campaign being edited.
    pub fn doc_title(&self) -> Option<String> {
        self.0.doc.as_ref().map(|d| d.composer.campaign.title.clone())
    }

    /// Background work (export, a check, a send, …) is running.
    pub fn busy(&self) -> bool {
        let app = self.0;
        app.panels.dialogs.busy()
            || app.files.busy()
            || app.panels.kits.busy()
            || app.panels.volunteer.busy()
            || app.send_ui.busy()
            || app.panels.library.busy()
            || app.panels.votes.busy()
            || app.panels.editor.busy()
            || app.recipients.busy()
            || app.panels.preview.busy()
    }

    /// Whether the pages on screen are those of the letter in the preview
    /// (or the reason it cannot be typeset is), nothing left to draw.
    pub fn pages_ready(&self) -> bool {
        let preview = &self.0.panels.preview;
        preview
            .pages
            .current()
            .is_some_and(|key| Some(&key.letter) == preview.made_for())
    }

    /// The MEP whose pages are on screen.
    pub fn pages_shown_for(&self) -> Option<String> {
        self.0.panels.preview.pages.shown_for().map(|(_, id)| id.clone())
    }

    /// A fingerprint of each page's pixels on screen.
    pub fn page_fingerprints(&self) -> Vec<u128> {
        self.0.panels.preview.pages.page_fingerprints()
    }

    /// Why the letter cannot be typeset, as the page view says it.
    pub fn page_error(&self) -> Option<String> {
        self.0.panels.preview.pages.error().map(str::to_owned)
    }

    /// The ids of the first `n` MEPs of the directory.
    pub fn some_mep_ids(&self, n: usize) -> Vec<String> {
        self.0.directory.meps.iter().take(n).map(|m| m.id.clone()).collect()
    }
}

impl Steer<'_> {
    /// Puts the keyboard focus into the text of demand `n` (1-based) in
    /// the Letter tab.
    pub fn focus_demand_text(&mut self, n: usize) {
        self.0.window.tab = Tab::Letter;
        self.0.panels.editor.focus_demand(n.saturating_sub(1));
    }

    /// The settings as they are now, and written out.
    pub fn settings_now(&mut self) -> Settings {
        self.0.save_settings();
        self.0.window.settings_changed = false;
        self.0.settings.clone()
    }

    /// Shows the Letter tab's preview as pages (or as text).
    pub fn show_page_view(&mut self, on: bool) {
        self.0.window.tab = Tab::Letter;
        self.0.panels.preview.pages.on = on;
    }

    /// Previews the letter to the MEP `id` (as choosing them does).
    pub fn preview_mep_id(&mut self, id: &str) {
        self.0.recipients.focused = Some(id.to_owned());
    }
}
