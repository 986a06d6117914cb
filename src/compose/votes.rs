//! The campaign's roll-call votes in its letters (`votes = [{ name =
//! "eprivacy", id = 195775 }]`): each MEP's position in the template's data
//! (`vote.eprivacy.position`), the `vote` block's paragraph worded for that
//! position, the roll-call as a source its notes cite (title, date and the
//! address HowTheyVote names), and the positions the saved query's vote
//! filters read. The votes are those imported with `hemicycle votes import`;
//! a kit's campaign reads the votes its kit carries first
//! (`kit::votes::in_kit`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::campaign::Campaign;
use crate::directory::Mep;
use crate::directory::query::{VOTE_POSITIONS, VotePositions};
use crate::language::Language;
use crate::store::Paths;
use crate::votes::{self, Position, Vote};

/// The positions a template may ask about (`{{#if (voted "eprivacy" "for")}}`).
pub const POSITIONS: [&str; 5] = VOTE_POSITIONS;

/// The `[wording]` phrase of each position, in [`POSITIONS`] order.
pub const PHRASES: [&str; 5] = [
    "vote_for",
    "vote_against",
    "vote_abstention",
    "vote_did_not_vote",
    "vote_none",
];

/// A vote with its positions by MEP id.
#[derive(Debug)]
pub struct Loaded {
    pub vote: Vote,
    by_mep: HashMap<String, Position>,
}

impl Loaded {
    pub fn new(vote: Vote) -> Self {
        let by_mep = vote.positions.iter().map(|p| (p.mep_id.clone(), p.position)).collect();
        Self { vote, by_mep }
    }

    /// The MEP's position: `for`, `against`, `abstention`, `did-not-vote`,
    /// or `none` when they were not in the vote.
    pub fn label_of(&self, mep_id: &str) -> &'static str {
        self.by_mep.get(mep_id).map_or("none", |p| p.label())
    }

    /// The group the MEP voted with, as HowTheyVote writes it ("EPP").
    pub fn group_of(&self, mep_id: &str) -> &str {
        self.vote
            .positions
            .iter()
            .find(|p| p.mep_id == mep_id)
            .map_or("", |p| p.group.as_str())
    }

    /// The address a note gives: the first source HowTheyVote names (the
    /// EP's roll-call record), else the vote's page on howtheyvote.eu.
    pub fn url(&self) -> String {
        self.vote
            .sources
            .iter()
            .map(|s| s.url.trim())
            .find(|u| u.starts_with("https://") || u.starts_with("http://"))
            .map_or_else(|| self.vote.page_url(), str::to_owned)
    }
}

/// A stored vote, or why it cannot be used.
pub type Found = Result<Arc<Loaded>, String>;

/// The votes a campaign uses and the ones its saved query filters by.
#[derive(Debug, Clone, Default)]
pub struct CampaignVotes {
    /// The campaign's `votes`: (name, id), in its order.
    pub named: Vec<(String, u64)>,
    /// Every vote the campaign refers to, by id.
    pub by_id: BTreeMap<u64, Found>,
    /// The data folder they were read from.
    data: Option<std::path::PathBuf>,
}

/// Why a stored vote cannot be used, in words that say how to fix it.
fn not_imported(id: u64) -> String {
    format!(
        "is not imported; import it with `hemicycle votes import --from-howtheyvote {id}` or in the app (Campaign → Votes)"
    )
}

/// The vote `id` a campaign reads: its kit's (when `kit` is the folder of
/// the kit the campaign came from, and the kit carries it), else the one
/// stored in `paths`' data folder.
pub fn find_for(kit: Option<&std::path::Path>, paths: Option<&Paths>, id: u64) -> Found {
    match kit.and_then(|k| crate::kit::votes::in_kit(k, id)) {
        Some(Ok(stored)) => Ok(Arc::new(Loaded::new(stored.vote))),
        Some(Err(e)) => Err(format!(
            "cannot be read from the kit's folder ({e}); open the kit again"
        )),
        None => find(paths, id),
    }
}

/// The stored vote `id` in `paths`' data folder.
pub fn find(paths: Option<&Paths>, id: u64) -> Found {
    let Some(paths) = paths else {
        return Err(not_imported(id));
    };
    match votes::load(paths, id) {
        Ok(Some(stored)) => Ok(Arc::new(Loaded::new(stored.vote))),
        Ok(None) => Err(not_imported(id)),
        Err(e) => Err(format!("cannot be read ({e}); import it again")),
    }
}

/// The positions of each vote in `found`, for the vote filters.
pub fn positions(found: &BTreeMap<u64, Found>) -> VotePositions {
    found
        .iter()
        .filter_map(|(id, f)| f.as_ref().ok().map(|l| (*id, l)))
        .map(|(id, l)| (id, l.by_mep.iter().map(|(m, p)| (m.clone(), p.label())).collect()))
        .collect()
}

impl CampaignVotes {
    /// Loads the campaign's votes and its query's from the kit's folder
    /// (`kit`: the campaign came from a kit) or the data folder.
    pub fn load(campaign: &Campaign, kit: Option<&std::path::Path>, paths: Option<&Paths>) -> Self {
        let named: Vec<(String, u64)> = campaign.votes.iter().map(|v| (v.name.clone(), v.id)).collect();
        let ids = named
            .iter()
            .map(|(_, id)| *id)
            .chain(campaign.recipients.query.votes.iter().map(|f| f.vote));
        let mut by_id = BTreeMap::new();
        for id in ids {
            by_id.entry(id).or_insert_with(|| find_for(kit, paths, id));
        }
        Self {
            named,
            by_id,
            data: paths.map(|p| p.data.clone()),
        }
    }

    /// Whether these are the votes `campaign` names and filters by, read
    /// from `paths` (after an edit, an undo or an import they are read again).
    pub fn is_current(&self, campaign: &Campaign, paths: Option<&Paths>) -> bool {
        let named = campaign.votes.iter().map(|v| (v.name.as_str(), v.id));
        let ids: std::collections::BTreeSet<u64> = campaign
            .votes
            .iter()
            .map(|v| v.id)
            .chain(campaign.recipients.query.votes.iter().map(|f| f.vote))
            .collect();
        self.named.iter().map(|(n, id)| (n.as_str(), *id)).eq(named)
            && self.by_id.keys().copied().eq(ids)
            && self.data.as_deref() == paths.map(|p| p.data.as_path())
    }

    /// The campaign's vote of that name.
    pub fn get(&self, name: &str) -> Option<&Loaded> {
        let (_, id) = self.named.iter().find(|(n, _)| n == name)?;
        self.by_id.get(id)?.as_ref().ok().map(AsRef::as_ref)
    }

    /// The first of the campaign's named votes that cannot be used: (name, id, why).
    pub fn problem(&self) -> Option<(String, u64, String)> {
        self.named.iter().find_map(|(name, id)| match self.by_id.get(id) {
            Some(Err(why)) => Some((name.clone(), *id, why.clone())),
            _ => None,
        })
    }

    /// The positions the saved query's vote filters read.
    pub fn positions(&self) -> VotePositions {
        positions(&self.by_id)
    }

    /// What a template sees of each vote for `mep`: `vote.NAME.position`,
    /// `date` (YYYY-MM-DD), `date_long` (in the letter's language), `title`,
    /// `group` (the group the MEP voted with), `id`, `url`.
    pub fn context(&self, mep: &Mep, language: Language) -> Value {
        let mut out = serde_json::Map::new();
        for (name, _) in &self.named {
            let Some(v) = self.get(name) else { continue };
            out.insert(name.clone(), data(v, mep, language));
        }
        Value::Object(out)
    }

    /// The roll-calls as CSL-JSON items, cited as `vote-NAME`, but for the
    /// keys `taken` (a source of the campaign's own by that key wins).
    pub fn csl_json(&self, taken: impl Fn(&str) -> bool) -> String {
        let items: Vec<Value> = self
            .named
            .iter()
            .map(|(name, _)| (citation_key(name), name))
            .filter(|(key, _)| !taken(key))
            .filter_map(|(key, name)| self.get(name).map(|v| csl_item(&key, v)))
            .collect();
        Value::Array(items).to_string()
    }
}

fn data(v: &Loaded, mep: &Mep, language: Language) -> Value {
    let date = chrono::NaiveDate::parse_from_str(&v.vote.date, "%Y-%m-%d").ok();
    json!({
        "position": v.label_of(&mep.id),
        "date": v.vote.date,
        "date_long": date.map_or_else(|| v.vote.date.clone(), |d| language.long_date(d)),
        "title": v.vote.display_title,
        "group": v.group_of(&mep.id),
        "id": v.vote.id,
        "url": v.url(),
    })
}

/// The key a vote's roll-call is cited by: `vote-eprivacy`.
pub fn citation_key(name: &str) -> String {
    format!("vote-{name}")
}

/// The roll-call record as a source: the European Parliament's roll-call
/// vote, its title, date and address.
fn csl_item(key: &str, v: &Loaded) -> Value {
    let mut item = json!({
        "id": key,
        "type": "dataset",
        "author": [{"literal": "European Parliament"}],
        "title": format!("Roll-call vote: {}", v.vote.display_title),
        "genre": "Roll-call vote",
        "URL": v.url(),
    });
    let parts = |d: &str| -> Option<Value> {
        let d = chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok()?;
        Some(
            json!({"date-parts": [[chrono::Datelike::year(&d), chrono::Datelike::month(&d), chrono::Datelike::day(&d)]]}),
        )
    };
    if let Some(issued) = parts(&v.vote.date) {
        item["issued"] = issued;
    }
    if let Some(accessed) = v
        .vote
        .sources
        .iter()
        .find_map(|s| s.accessed_at.as_deref().and_then(parts))
    {
        item["accessed"] = accessed;
    }
    if let Some(reference) = &v.vote.reference {
        item["number"] = Value::String(reference.clone());
    }
    item
}

/// The phrase of the `vote` block with its roll-call cited, unless the
/// phrase cites it itself: before the final full stop, so that the note
/// marker goes where the language puts it.
pub fn with_citation(text: &str, key: &str) -> String {
    let text = text.trim();
    if text.is_empty() || text.contains(&format!("@{key}")) {
        return text.to_owned();
    }
    match text.strip_suffix('.') {
        Some(head) => format!("{head} [@{key}]."),
        None => format!("{text} [@{key}]"),
    }
}

/// The `[wording]` phrase for a position label.
pub fn phrase_of(position: &str) -> &'static str {
    POSITIONS
        .iter()
        .position(|p| *p == position)
        .map_or("vote_none", |i| PHRASES[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_citation_goes_before_the_full_stop_once() {
        assert_eq!(
            with_citation("You voted for “X”.", "vote-a"),
            "You voted for “X” [@vote-a]."
        );
        assert_eq!(with_citation("You voted", "vote-a"), "You voted [@vote-a]");
        assert_eq!(
            with_citation("As recorded [@vote-a], you voted.", "vote-a"),
            "As recorded [@vote-a], you voted."
        );
        assert_eq!(with_citation("  ", "vote-a"), "");
        assert_eq!(phrase_of("did-not-vote"), "vote_did_not_vote");
        assert_eq!(phrase_of("for"), "vote_for");
    }
}
