//! The app's state logic, apart from drawing: filters, selection, the
//! campaign being edited, settings and the recovery file. Everything here is
//! tested without a window.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::campaign::Demand;
use crate::compose::Composer;
use crate::directory::query::{Index, Query, SortBy, VoteFilter, fold};
use crate::directory::{Directory, Mep, Role};
use crate::store::{self, Paths};

/// The recipients panel's filter controls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub text: String,
    pub country: Option<String>,
    pub group: Option<String>,
    pub party: Option<String>,
    pub committee: Option<String>,
    pub role: Option<Role>,
    pub sort: SortBy,
    /// Only the MEPs selected as recipients.
    pub only_selected: bool,
    /// How they voted in one of the campaign's votes.
    pub vote: Option<VoteFilter>,
    /// What came back after the campaign's letter (`ui::recipients`
    /// applies it: it reads the campaign's responses, not the directory).
    pub answer: Option<crate::deliver::responses::Answer>,
}

impl Filters {
    /// The directory query these controls stand for.
    pub fn query(&self) -> Query {
        Query {
            countries: self.country.iter().cloned().collect(),
            groups: self.group.iter().cloned().collect(),
            national_parties: self.party.iter().cloned().collect(),
            committees: self.committee.iter().cloned().collect(),
            roles: self.role.iter().copied().collect(),
            text: self.text.clone(),
            sort: self.sort,
            votes: self.vote.iter().cloned().collect(),
        }
    }

    /// True when the controls hide some MEPs (the sort order hides none).
    pub fn is_active(&self) -> bool {
        let Self {
            text,
            country,
            group,
            party,
            committee,
            role,
            sort: _,
            only_selected,
            vote,
            answer,
        } = self;
        !text.trim().is_empty()
            || country.is_some()
            || group.is_some()
            || party.is_some()
            || committee.is_some()
            || role.is_some()
            || vote.is_some()
            || answer.is_some()
            || *only_selected
    }
}

/// The options of a filter's list that match what the user typed: every
/// word must occur in the option's value or text, ignoring case and
/// diacritics ("gru" finds "GroenLinks-PvdA" and "Die Grünen").
pub fn narrow<'o>(options: &'o [(String, String)], typed: &str) -> Vec<&'o (String, String)> {
    let words = fold(typed);
    let words: Vec<&str> = words.split_whitespace().collect();
    options
        .iter()
        .filter(|(value, text)| {
            let hay = fold(&format!("{value} {text}"));
            words.iter().all(|w| hay.contains(w))
        })
        .collect()
}

/// The rows the table shows: indices into `directory.meps`.
pub fn shown(directory: &Directory, filters: &Filters, selection: &Selection) -> Vec<usize> {
    shown_with(
        directory,
        filters,
        selection,
        crate::directory::query::VotePositions::new(),
    )
}

/// The rows shown, with the positions of the campaign's votes for the vote filter.
pub fn shown_with(
    directory: &Directory,
    filters: &Filters,
    selection: &Selection,
    votes: crate::directory::query::VotePositions,
) -> Vec<usize> {
    let hits = Index::new(directory).with_votes(votes).run(&filters.query());
    let positions: std::collections::HashMap<&str, usize> = directory
        .meps
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    hits.into_iter()
        .filter(|m| !filters.only_selected || selection.contains(&m.id))
        .filter_map(|m| positions.get(m.id.as_str()).copied())
        .collect()
}

/// True when the MEP with this id is among the rows shown.
pub fn is_shown(directory: &Directory, shown: &[usize], id: &str) -> bool {
    shown.iter().any(|&i| directory.meps.get(i).is_some_and(|m| m.id == id))
}

/// The MEPs chosen as recipients, by EP id, and what they were before the
/// last "Select all shown" or "Select none" (so that it can be undone).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    ids: BTreeSet<String>,
    /// The selection before the last bulk change, while nothing else
    /// changed it since.
    before_bulk: Option<BTreeSet<String>>,
}

impl Selection {
    pub fn from_ids<I: IntoIterator<Item = String>>(ids: I) -> Self {
        Self {
            ids: ids.into_iter().collect(),
            before_bulk: None,
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Selects or deselects one MEP. A change by hand ends the chance to
    /// undo the last bulk change (which would undo this one too).
    pub fn set(&mut self, id: &str, selected: bool) {
        let changed = if selected {
            self.ids.insert(id.to_owned())
        } else {
            self.ids.remove(id)
        };
        if changed {
            self.before_bulk = None;
        }
    }

    /// Adds every shown MEP ("Select all shown").
    pub fn select_all(&mut self, directory: &Directory, shown: &[usize]) {
        let mut ids = self.ids.clone();
        ids.extend(
            shown
                .iter()
                .filter_map(|&i| directory.meps.get(i))
                .map(|m| m.id.clone()),
        );
        self.bulk_change(ids);
    }

    /// "Select none": with a filter active, deselects the shown MEPs only
    /// (the others stay selected); without one, deselects everyone.
    pub fn select_none(&mut self, directory: &Directory, shown: &[usize], filtered: bool) {
        let mut ids = self.ids.clone();
        if filtered {
            for m in shown.iter().filter_map(|&i| directory.meps.get(i)) {
                ids.remove(&m.id);
            }
        } else {
            ids.clear();
        }
        self.bulk_change(ids);
    }

    /// A bulk change that changes nothing keeps the earlier undo.
    fn bulk_change(&mut self, ids: BTreeSet<String>) {
        if ids != self.ids {
            self.before_bulk = Some(std::mem::replace(&mut self.ids, ids));
        }
    }

    /// How many MEPs undoing the last bulk change would select, if it can
    /// be undone.
    pub fn undo_len(&self) -> Option<usize> {
        self.before_bulk.as_ref().map(BTreeSet::len)
    }

    /// Restores the selection as it was before the last "Select all shown"
    /// or "Select none"; false when there is nothing to undo.
    pub fn undo_bulk(&mut self) -> bool {
        match self.before_bulk.take() {
            Some(ids) => {
                self.ids = ids;
                true
            }
            None => false,
        }
    }

    /// Deselects everyone, with nothing to undo (a new campaign).
    pub fn clear(&mut self) {
        self.ids.clear();
        self.before_bulk = None;
    }

    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.ids.iter()
    }

    /// The selected MEPs, in directory order (by name).
    pub fn meps<'d>(&self, directory: &'d Directory) -> Vec<&'d Mep> {
        let mut list: Vec<&Mep> = self.ids.iter().filter_map(|id| directory.get(id)).collect();
        list.sort_by_key(|m| m.sort_key());
        list
    }
}

/// "43 of 719 shown, 12 selected".
pub fn counts_label(shown: usize, total: usize, selected: usize) -> String {
    format!("{shown} of {total} shown, {selected} selected")
}

/// The campaign's explicit additions and removals that turn its saved
/// query's result into `selection`.
pub fn recipients_delta(query_result: &[&Mep], selection: &Selection) -> (Vec<String>, Vec<String>) {
    let in_query: BTreeSet<&str> = query_result.iter().map(|m| m.id.as_str()).collect();
    let include = selection
        .ids()
        .filter(|id| !in_query.contains(id.as_str()))
        .cloned()
        .collect();
    let exclude = in_query
        .iter()
        .filter(|id| !selection.contains(id))
        .map(|id| (*id).to_owned())
        .collect();
    (include, exclude)
}

/// The campaign open in the editor.
#[derive(Debug)]
pub struct Doc {
    pub composer: Composer,
    /// Where it is saved; `None` until the first "Save as" (and for a
    /// bundled example, which is never written over).
    pub file: Option<PathBuf>,
    /// The file it was read from, whose comments and layout a save keeps.
    pub read_from: Option<PathBuf>,
    /// Changed since it was opened or saved.
    pub dirty: bool,
    /// Counts edits, so the preview knows when to compose again.
    pub generation: u64,
    /// The template being edited, when the user changed it in the app.
    pub custom_template: Option<String>,
    history: History,
}

/// The name under which a template edited in the app is registered.
pub const CUSTOM_TEMPLATE: &str = "campaign-template";

/// What Edit → Undo brings back: the campaign as the user edits it.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    campaign: crate::campaign::Campaign,
    demands: Vec<Demand>,
    origins: Vec<String>,
    custom_template: Option<String>,
}

/// Undo and redo of campaign edits. Edits less than `COALESCE` apart (the
/// letters of one word typed, a slider dragged) are undone together.
#[derive(Debug, Default)]
struct History {
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    /// The campaign after the last edit: what the next edit changes.
    stable: Option<Snapshot>,
    last_edit: Option<std::time::Instant>,
}

const COALESCE: std::time::Duration = std::time::Duration::from_millis(1200);
/// The oldest edits are forgotten beyond this many.
const HISTORY_LIMIT: usize = 200;

/// After an undo or redo: whether the campaign's files (bibliographies,
/// demand sets, template, style) changed too, so that it must be read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restored {
    Edits,
    Files,
}

impl Doc {
    pub fn new(composer: Composer, file: Option<PathBuf>) -> Self {
        let mut doc = Self {
            composer,
            read_from: file.clone(),
            file,
            dirty: false,
            generation: 0,
            custom_template: None,
            history: History::default(),
        };
        doc.history.stable = Some(doc.snapshot());
        doc
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            campaign: self.composer.campaign.clone(),
            demands: self.composer.demands.clone(),
            origins: self.composer.demand_origins.clone(),
            custom_template: self.custom_template.clone(),
        }
    }

    /// After a save: every state undo or redo brings back gets what the
    /// save gave the campaign — its identity, and when it went to another
    /// folder its paths rewritten as the save did (`moved`, the files of an
    /// example or a kit brought along from `read_only_root`) — so that an
    /// undo neither names files of the old folder nor loses the id.
    pub fn saved_as(&mut self, old: &Path, new: &Path, read_only_root: Option<&Path>) {
        let id = self.composer.campaign.id.clone();
        let h = &mut self.history;
        for snap in h.undo.iter_mut().chain(h.redo.iter_mut()) {
            let c = &mut snap.campaign;
            c.moved(old, new);
            if let Some(root) = read_only_root {
                // A file that cannot be copied keeps its absolute path.
                let _ = bring_along(c, root, new);
            }
            c.id.clone_from(&id);
        }
        self.history.stable = Some(self.snapshot());
    }

    pub fn can_undo(&self) -> bool {
        !self.history.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.history.redo.is_empty()
    }

    /// Takes the campaign back to before the last edits.
    pub fn undo(&mut self) -> Option<Restored> {
        let back = self.history.undo.pop()?;
        let now = self.snapshot();
        self.history.redo.push(now);
        Some(self.restore(back))
    }

    /// Does again what the last undo undid.
    pub fn redo(&mut self) -> Option<Restored> {
        let again = self.history.redo.pop()?;
        let now = self.snapshot();
        self.history.undo.push(now);
        Some(self.restore(again))
    }

    fn restore(&mut self, snap: Snapshot) -> Restored {
        let files = |c: &crate::campaign::Campaign| {
            (
                c.bibliography.clone(),
                c.demand_sets.clone(),
                c.citation_style.clone(),
                c.blocks.clone(),
            )
        };
        let restored = if files(&snap.campaign) == files(&self.composer.campaign) {
            Restored::Edits
        } else {
            Restored::Files
        };
        if let Some(source) = &snap.custom_template {
            // It was valid when it was kept.
            let _ = self.composer.templates.add(CUSTOM_TEMPLATE, source);
        }
        self.composer
            .set_addressees(snap.campaign.recipients.addressees.clone());
        self.composer.campaign = snap.campaign.clone();
        // The letter uses the phrases as they were at that point.
        let _ = self.composer.refresh_wording();
        self.composer.demands.clone_from(&snap.demands);
        self.composer.demand_origins.clone_from(&snap.origins);
        self.composer.clear_cache();
        self.custom_template.clone_from(&snap.custom_template);
        self.history.stable = Some(snap);
        self.history.last_edit = None;
        self.dirty = true;
        self.generation += 1;
        restored
    }

    pub fn title(&self) -> String {
        let t = self.composer.campaign.title.trim();
        if t.is_empty() {
            "Untitled campaign".to_owned()
        } else {
            t.to_owned()
        }
    }

    /// Call after every edit: it is marked unsaved, and can be undone.
    pub fn touch(&mut self) {
        self.dirty = true;
        self.generation += 1;
        let now = std::time::Instant::now();
        let current = self.snapshot();
        let before = self.history.stable.replace(current.clone());
        let new_burst = self.history.last_edit.is_none_or(|t| now.duration_since(t) > COALESCE);
        self.history.last_edit = Some(now);
        if let Some(before) = before.filter(|b| new_burst && *b != current) {
            self.history.undo.push(before);
            if self.history.undo.len() > HISTORY_LIMIT {
                self.history.undo.remove(0);
            }
            self.history.redo.clear();
        }
    }

    /// Replaces demand `index` with an edited copy, which the campaign keeps
    /// (a set's demand is adapted for this campaign, not changed in its set).
    pub fn edit_demand(&mut self, index: usize, demand: Demand) {
        let campaign = &mut self.composer.campaign;
        if let Some(own) = campaign.demands.iter_mut().find(|d| d.id == demand.id) {
            *own = demand.clone();
        } else {
            campaign.demands.push(demand.clone());
        }
        if let Some(d) = self.composer.demands.get_mut(index) {
            *d = demand;
        }
        self.touch();
    }

    /// Moves demand `index` by `delta` places, and records the order.
    pub fn move_demand(&mut self, index: usize, delta: isize) {
        let len = self.composer.demands.len();
        let Some(target) = index.checked_add_signed(delta).filter(|t| *t < len) else {
            return;
        };
        self.composer.demands.swap(index, target);
        self.composer.demand_origins.swap(index, target);
        self.composer.campaign.demand_order = self.composer.demands.iter().map(|d| d.id.clone()).collect();
        self.touch();
    }

    /// A new, empty demand with a fresh id, at the end.
    pub fn add_demand(&mut self) -> usize {
        let mut n = self.composer.demands.len() + 1;
        let mut id = format!("demand-{n}");
        while self.composer.demands.iter().any(|d| d.id == id) {
            n += 1;
            id = format!("demand-{n}");
        }
        let demand = Demand {
            id,
            title: "New demand".to_owned(),
            body: "Why this matters, with sources: [@key].".to_owned(),
            ..Demand::default()
        };
        self.composer.campaign.demands.push(demand.clone());
        self.composer.demands.push(demand);
        self.composer
            .demand_origins
            .push("a demand written in this campaign".to_owned());
        if !self.composer.campaign.demand_order.is_empty() {
            self.composer.campaign.demand_order = self.composer.demands.iter().map(|d| d.id.clone()).collect();
        }
        self.touch();
        self.composer.demands.len() - 1
    }

    /// Removes demand `index` from this campaign.
    pub fn remove_demand(&mut self, index: usize) {
        if index >= self.composer.demands.len() {
            return;
        }
        let id = self.composer.demands.remove(index).id;
        self.composer.demand_origins.remove(index);
        let campaign = &mut self.composer.campaign;
        campaign.demands.retain(|d| d.id != id);
        // A set's demand stays out of this campaign (its set is unchanged).
        campaign.demand_order.retain(|d| *d != id);
        if !campaign.omit_demands.contains(&id) {
            campaign.omit_demands.push(id);
        }
        self.touch();
    }
}

/// Settings kept between sessions (`settings.json` in the config folder).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemeChoice,
    /// Campaign files, most recent first.
    pub recent: Vec<PathBuf>,
    /// The welcome has been shown.
    pub welcomed: bool,
    /// A folder of the user's own templates (`*.md.hbs`).
    pub templates_dir: Option<PathBuf>,
    /// Where exports went last.
    pub export_dir: Option<PathBuf>,
    /// The window's inner size in points, as it was last.
    pub window: Option<(u32, u32)>,
    /// The width of the MEP details pane, as the user left it.
    pub detail_width: Option<u32>,
    /// The tab the user was on: the app reopens there.
    pub tab: Option<Tab>,
    /// The user's own letterhead, as the welcome and Settings took it: new
    /// campaigns and the examples start with it, never with an example's.
    pub organisation: Option<crate::campaign::Organisation>,
    /// A volunteer's name, town, country and e-mail, asked once.
    pub about_you: Option<AboutYou>,
    /// The preview showed the pages: it reopens so.
    pub page_view: bool,
}

/// The app's two tabs; the one the user left is where the app reopens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tab {
    Recipients,
    Letter,
}

/// Who the volunteer is, remembered in the settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AboutYou {
    pub name: String,
    pub town: String,
    /// ISO code ("PL").
    pub country: String,
    pub email: String,
}

impl AboutYou {
    /// Whether the volunteer gave a name, a country and an address.
    pub fn complete(&self) -> bool {
        !self.name.trim().is_empty() && !self.country.is_empty() && self.email.contains('@')
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            theme: ThemeChoice::System,
            recent: Vec::new(),
            welcomed: false,
            templates_dir: None,
            export_dir: None,
            window: None,
            detail_width: None,
            tab: None,
            organisation: None,
            about_you: None,
            page_view: false,
        }
    }
}

impl Settings {
    /// The window size to open with: the last one, within sane bounds.
    pub fn window_size(&self) -> [f32; 2] {
        let (w, h) = self.window.unwrap_or((1280, 800));
        #[allow(clippy::cast_precision_loss)]
        [w.clamp(800, 8000) as f32, h.clamp(520, 8000) as f32]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeChoice {
    System,
    Light,
    Dark,
}

const RECENT_MAX: usize = 8;

impl Settings {
    pub fn path(paths: &Paths) -> PathBuf {
        paths.config.join("settings.json")
    }

    /// The saved settings; defaults when there are none or they cannot be
    /// read (the app must open whatever is on disk).
    pub fn load(paths: &Paths) -> Self {
        Self::load_or_explain(paths).0
    }

    /// The settings, and what went wrong if the file could not be read: a
    /// damaged file is set aside as `settings.json.damaged` (never written
    /// over), and the defaults are used.
    pub fn load_or_explain(paths: &Paths) -> (Self, Option<String>) {
        let path = Self::path(paths);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return (Self::default(), None);
        };
        match serde_json::from_str(&text) {
            Ok(s) => (s, None),
            Err(e) => {
                let aside = path.with_extension("json.damaged");
                let kept = std::fs::rename(&path, &aside).is_ok();
                let note = if kept {
                    format!(
                        "Your settings file was damaged ({e}), so the defaults are used; the old file is kept as {}.",
                        aside.display()
                    )
                } else {
                    format!("Your settings file was damaged ({e}), so the defaults are used.")
                };
                (Self::default(), Some(note))
            }
        }
    }

    pub fn save(&self, paths: &Paths) -> Result<(), store::WriteError> {
        let json = serde_json::to_vec_pretty(self).unwrap_or_default();
        store::write_atomic(&Self::path(paths), &json, "the settings")
    }

    /// Puts `file` first in the recent list.
    pub fn add_recent(&mut self, file: &Path) {
        self.recent.retain(|p| p != file);
        self.recent.insert(0, file.to_path_buf());
        self.recent.truncate(RECENT_MAX);
    }
}

/// The recovery copy of unsaved changes: the campaign as TOML, and where it
/// belongs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recovery {
    /// The campaign file it belongs to (`None`: never saved).
    pub file: Option<PathBuf>,
    /// The folder its relative paths refer to.
    pub base: PathBuf,
    pub saved_at: String,
    pub toml: String,
}

impl Recovery {
    pub fn path(paths: &Paths) -> PathBuf {
        paths.data.join("recovery").join("unsaved-campaign.json")
    }

    pub fn write(&self, paths: &Paths) -> Result<(), store::WriteError> {
        let json = serde_json::to_vec_pretty(self).unwrap_or_default();
        store::write_atomic(&Self::path(paths), &json, "the recovery copy of your unsaved changes")
    }

    pub fn load(paths: &Paths) -> Option<Self> {
        let text = std::fs::read_to_string(Self::path(paths)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Forgets the recovery copy (after a save, or when the user discards it).
    pub fn clear(paths: &Paths) {
        let path = Self::path(paths);
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_file(store::backup_path(&path));
    }
}

/// A campaign read from a folder that is never written over (the examples,
/// an unpacked kit), being saved as `file` elsewhere: the files it uses from
/// that folder (`root`) — demand sets with their bibliographies, its own
/// bibliographies, the logo — are copied into a folder beside the file
/// ("<name> files", keeping their layout, so a demand set still finds its
/// bibliography), and the campaign names them by paths relative to the
/// file. So the saved campaign works wherever it is copied with that
/// folder, and never names a path inside the user's data folder. A copy
/// already there is kept (the user may have changed it). The campaign's
/// paths must already be absolute (`Campaign::moved`).
pub fn bring_along(campaign: &mut crate::campaign::Campaign, root: &Path, file: &Path) -> Result<(), String> {
    let stem = file
        .file_stem()
        .map_or_else(|| "campaign".into(), |s| s.to_string_lossy().into_owned());
    let folder = PathBuf::from(format!("{stem} files"));
    let dest = file.parent().unwrap_or_else(|| Path::new(".")).join(&folder);
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = canonical(root);
    // The path of `p` inside `root`, if it lies there.
    let inside = |p: &Path| canonical(p).strip_prefix(&root).ok().map(Path::to_path_buf);
    let copy = |from: &Path, rel: &Path| -> Result<(), String> {
        let to = dest.join(rel);
        if to.exists() {
            return Ok(());
        }
        let bytes = std::fs::read(from).map_err(|e| format!("{} could not be read: {e}", from.display()))?;
        store::write_atomic(&to, &bytes, "a file the campaign uses").map_err(|e| e.to_string())
    };
    for set in &mut campaign.demand_sets {
        let Some(rel) = inside(set) else { continue };
        // The set's bibliographies, where they lie in the same folder.
        if let Ok(demands) = crate::campaign::DemandSet::load(set) {
            for bib in &demands.bibliography {
                let bib = crate::campaign::resolve(set, bib);
                if let Some(bib_rel) = inside(&bib) {
                    copy(&bib, &bib_rel)?;
                }
            }
        }
        copy(set, &rel)?;
        *set = folder.join(rel);
    }
    let logo = campaign.organisation.logo.iter_mut();
    for path in campaign.bibliography.iter_mut().chain(logo) {
        let Some(rel) = inside(path) else { continue };
        copy(path, &rel)?;
        *path = folder.join(rel);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Directory;

    fn directory() -> Directory {
        Directory::bundled().expect("bundled directory")
    }

    #[test]
    fn filters_make_the_query_and_selection_counts() {
        let dir = directory();
        let mut filters = Filters {
            committee: Some("LIBE".into()),
            role: Some(Role::Member),
            country: Some("DE".into()),
            ..Filters::default()
        };
        let mut selection = Selection::default();
        let rows = shown(&dir, &filters, &selection);
        assert!(!rows.is_empty());
        assert!(
            rows.iter()
                .all(|&i| dir.meps[i].country == "DE" && dir.meps[i].committee_role("LIBE") == Some(Role::Member))
        );
        selection.select_all(&dir, &rows);
        assert_eq!(selection.len(), rows.len());
        filters.country = None;
        let wider = shown(&dir, &filters, &selection);
        assert!(wider.len() > rows.len());
        filters.only_selected = true;
        assert_eq!(shown(&dir, &filters, &selection).len(), rows.len());
        assert_eq!(counts_label(43, 719, 12), "43 of 719 shown, 12 selected");
    }

    #[test]
    fn the_delta_turns_the_query_into_the_selection() {
        let dir = directory();
        let query: Vec<&Mep> = dir.meps.iter().take(3).collect();
        let mut selection = Selection::from_ids(query.iter().map(|m| m.id.clone()));
        selection.set(&query[1].id, false);
        selection.set(&dir.meps[10].id, true);
        let (include, exclude) = recipients_delta(&query, &selection);
        assert_eq!(include, vec![dir.meps[10].id.clone()]);
        assert_eq!(exclude, vec![query[1].id.clone()]);
    }

    #[test]
    fn demand_edits_order_and_removals_survive_saving_and_reopening() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let file = crate::campaign::examples::install(tmp.path()).expect("example");
        let mut doc = Doc::new(Composer::open(&file, None).expect("open"), Some(file.clone()));
        let ids: Vec<String> = doc.composer.demands.iter().map(|d| d.id.clone()).collect();
        assert!(ids.len() >= 3);
        let mut edited = doc.composer.demands[0].clone();
        edited.title = "Edited for this campaign".into();
        doc.edit_demand(0, edited);
        doc.move_demand(0, 1);
        doc.remove_demand(2);
        doc.composer.campaign.save(&file, Some(&file)).expect("save");
        let reopened = Composer::open(&file, None).expect("reopen");
        let titles: Vec<&str> = reopened.demands.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(reopened.demands.len(), ids.len() - 1, "{titles:?}");
        assert_eq!(reopened.demands[0].id, ids[1]);
        assert_eq!(reopened.demands[1].title, "Edited for this campaign");
        assert!(!reopened.demands.iter().any(|d| d.id == ids[2]));
        // The shared demand set itself is unchanged.
        let set = std::fs::read_to_string(tmp.path().join("demands/ai-act-migration.toml")).expect("set");
        assert!(!set.contains("Edited for this campaign"));
    }

    #[test]
    fn recent_files_are_unique_newest_first_and_bounded() {
        let mut s = Settings::default();
        for i in 0..12 {
            s.add_recent(Path::new(&format!("/c/{i}.toml")));
        }
        s.add_recent(Path::new("/c/5.toml"));
        assert_eq!(s.recent.len(), RECENT_MAX);
        assert_eq!(s.recent[0], Path::new("/c/5.toml"));
        assert_eq!(s.recent.iter().filter(|p| p.ends_with("5.toml")).count(), 1);
    }

    #[test]
    fn a_damaged_settings_file_is_set_aside_not_written_over() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let paths = Paths::under(tmp.path());
        std::fs::create_dir_all(&paths.config).expect("dir");
        std::fs::write(Settings::path(&paths), "{\"theme\": \"Dark\", \"recent\": [").expect("write");
        let (settings, note) = Settings::load_or_explain(&paths);
        assert_eq!(settings, Settings::default());
        let note = note.expect("the damage is reported");
        assert!(
            note.contains("damaged") && note.contains("settings.json.damaged"),
            "{note}"
        );
        let kept = std::fs::read_to_string(paths.config.join("settings.json.damaged")).expect("kept");
        assert!(kept.contains("\"recent\": ["));
    }

    #[test]
    fn an_example_saved_elsewhere_brings_its_files_and_names_them_relatively() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let examples = tmp.path().join("data/examples");
        crate::campaign::examples::install(&examples).expect("installed");
        let example = examples.join(crate::campaign::examples::CAMPAIGNS[0].0);
        let composer = Composer::open(&example, None).expect("opens");
        let file = tmp.path().join("shared/ours.toml");
        let mut campaign = composer.campaign.clone();
        campaign.moved(&example, &file);
        bring_along(&mut campaign, &examples, &file).expect("copied");
        campaign.save(&file, None).expect("saved");
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(!text.contains("examples"), "{text}");
        assert!(
            campaign.demand_sets.iter().all(|p| p.is_relative()),
            "{:?}",
            campaign.demand_sets
        );
        // The folder alone works: the examples are gone, the copy opens
        // with its demands and their sources.
        std::fs::remove_dir_all(&examples).expect("removed");
        let reopened = Composer::open(&file, None).expect("the saved copy opens on its own");
        assert_eq!(reopened.demands.len(), composer.demands.len());
        assert!(!reopened.demands.is_empty());
    }

    #[test]
    fn settings_and_recovery_round_trip_on_disk() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let paths = Paths::under(tmp.path());
        assert_eq!(Settings::load(&paths), Settings::default());
        let s = Settings {
            theme: ThemeChoice::Dark,
            ..Settings::default()
        };
        s.save(&paths).expect("save");
        assert_eq!(Settings::load(&paths).theme, ThemeChoice::Dark);
        let r = Recovery {
            file: None,
            base: tmp.path().to_path_buf(),
            saved_at: "now".into(),
            toml: "title = \"x\"".into(),
        };
        r.write(&paths).expect("write");
        assert_eq!(Recovery::load(&paths), Some(r));
        Recovery::clear(&paths);
        assert_eq!(Recovery::load(&paths), None);
    }

    #[test]
    fn select_none_with_a_filter_deselects_only_the_shown_mps_and_can_be_undone() {
        let dir = directory();
        let everyone = shown(&dir, &Filters::default(), &Selection::default());
        let german = Filters {
            country: Some("DE".into()),
            ..Filters::default()
        };
        assert!(german.is_active() && !Filters::default().is_active());
        let rows = shown(&dir, &german, &Selection::default());
        let mut selection = Selection::default();
        assert_eq!(selection.undo_len(), None);
        selection.select_all(&dir, &everyone);
        assert_eq!(selection.len(), dir.meps.len());
        assert_eq!(selection.undo_len(), Some(0));
        selection.select_none(&dir, &rows, true);
        assert_eq!(selection.len(), dir.meps.len() - rows.len());
        assert!(rows.iter().all(|&i| !selection.contains(&dir.meps[i].id)));
        assert!(
            dir.meps
                .iter()
                .filter(|m| m.country != "DE")
                .all(|m| selection.contains(&m.id))
        );
        // Undo: the Germans are back, and there is nothing more to undo.
        assert_eq!(selection.undo_len(), Some(dir.meps.len()));
        assert!(selection.undo_bulk());
        assert_eq!(selection.len(), dir.meps.len());
        assert!(!selection.undo_bulk());
        // Without a filter, "Select none" deselects everyone.
        selection.select_none(&dir, &rows, false);
        assert!(selection.is_empty());
        assert!(selection.undo_bulk());
        assert_eq!(selection.len(), dir.meps.len());
    }

    #[test]
    fn undo_restores_the_selection_before_select_all_and_a_change_by_hand_ends_it() {
        let dir = directory();
        let mut selection = Selection::from_ids([dir.meps[0].id.clone(), dir.meps[1].id.clone()]);
        let before = selection.clone();
        let libe = shown(
            &dir,
            &Filters {
                committee: Some("LIBE".into()),
                ..Filters::default()
            },
            &selection,
        );
        selection.select_all(&dir, &libe);
        assert!(selection.len() > 2);
        assert!(selection.undo_bulk());
        assert_eq!(selection, before);
        // A bulk change that changes nothing keeps the undo of the last one.
        selection.select_all(&dir, &libe);
        let with_libe = selection.len();
        selection.select_all(&dir, &libe);
        assert_eq!(selection.len(), with_libe);
        assert_eq!(selection.undo_len(), Some(before.len()));
        // A box ticked by hand: the undo would undo it too, so it is gone.
        selection.set(&dir.meps[5].id, true);
        assert_eq!(selection.undo_len(), None);
        assert!(!selection.undo_bulk());
        assert!(selection.contains(&dir.meps[5].id));
        // clear() leaves nothing to undo.
        selection.select_all(&dir, &libe);
        selection.clear();
        assert!(selection.is_empty() && selection.undo_len().is_none());
    }

    #[test]
    fn typing_narrows_a_filters_options_ignoring_case_and_accents() {
        let options: Vec<(String, String)> = [
            ("GroenLinks-PvdA", "GroenLinks-PvdA"),
            ("Bündnis 90/Die Grünen", "Bündnis 90/Die Grünen"),
            ("Partido Popular", "Partido Popular"),
            ("LIBE", "LIBE — Civil Liberties, Justice and Home Affairs"),
        ]
        .iter()
        .map(|(v, t)| ((*v).to_owned(), (*t).to_owned()))
        .collect();
        let values = |typed: &str| -> Vec<&str> { narrow(&options, typed).iter().map(|(v, _)| v.as_str()).collect() };
        assert_eq!(values("").len(), 4);
        assert_eq!(values("gr"), ["GroenLinks-PvdA", "Bündnis 90/Die Grünen"]);
        assert_eq!(values("GRUNEN"), ["Bündnis 90/Die Grünen"]);
        assert_eq!(values("popular partido"), ["Partido Popular"]);
        assert_eq!(values("civil lib"), ["LIBE"]);
        assert!(values("volt").is_empty());
    }

    #[test]
    fn a_focused_mep_is_shown_only_while_the_filters_keep_it() {
        let dir = directory();
        let dutch = Filters {
            country: Some("NL".into()),
            ..Filters::default()
        };
        let rows = shown(&dir, &dutch, &Selection::default());
        assert!(is_shown(&dir, &rows, "197870"));
        let german = Filters {
            country: Some("DE".into()),
            ..Filters::default()
        };
        assert!(!is_shown(&dir, &shown(&dir, &german, &Selection::default()), "197870"));
        assert!(!is_shown(&dir, &rows, "addressee-teresa-ribera"));
    }

    fn example_doc() -> Doc {
        let file =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/ai-act-people-on-the-move.toml");
        Doc::new(Composer::open(&file, None).expect("the example opens"), Some(file))
    }

    #[test]
    fn campaign_edits_are_undone_in_bursts_and_redone() {
        let mut doc = example_doc();
        let original = doc.composer.campaign.title.clone();
        assert!(!doc.can_undo());
        // One word typed: one undo step.
        for word in ["a", "ab", "abc"] {
            doc.composer.campaign.title = format!("{original} {word}");
            doc.touch();
        }
        // A pause, then another edit: a second step.
        doc.history.last_edit = std::time::Instant::now().checked_sub(COALESCE * 2);
        doc.composer.campaign.organisation.name = "Another organisation".into();
        doc.touch();
        // Selecting MEPs touches the document but is no campaign edit.
        doc.history.last_edit = None;
        doc.touch();

        assert_eq!(doc.undo(), Some(Restored::Edits));
        assert_eq!(doc.composer.campaign.title, format!("{original} abc"));
        assert_ne!(doc.composer.campaign.organisation.name, "Another organisation");
        assert_eq!(doc.undo(), Some(Restored::Edits));
        assert_eq!(doc.composer.campaign.title, original);
        assert_eq!(doc.undo(), None);
        assert_eq!(doc.redo(), Some(Restored::Edits));
        assert_eq!(doc.composer.campaign.title, format!("{original} abc"));
        // A new edit after an undo drops what could be redone.
        doc.undo();
        doc.composer.campaign.title = "New".into();
        doc.touch();
        assert!(!doc.can_redo());
        assert_eq!(doc.undo(), Some(Restored::Edits));
        assert_eq!(doc.composer.campaign.title, original);
    }

    #[test]
    fn undoing_a_changed_file_list_asks_for_the_files_to_be_read_again() {
        let mut doc = example_doc();
        let before = doc.composer.campaign.bibliography.clone();
        doc.composer
            .campaign
            .bibliography
            .push(PathBuf::from("more-sources.json"));
        doc.touch();
        assert_eq!(doc.undo(), Some(Restored::Files));
        assert_eq!(doc.composer.campaign.bibliography, before);
    }
}
