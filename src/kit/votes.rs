//! The roll-call votes a kit carries: the campaign's `votes` (and its saved
//! query's vote filters) name votes by id, which live in the data folder
//! of whoever imported them. A kit carries each as `vote-ID.json` (the
//! stored vote, with its source and ODbL attribution), listed in the
//! manifest like every other file, so a signature covers it too. At open
//! each is checked as any stored vote is (`votes::parse_stored`); once
//! unpacked, the kit's campaign reads its votes from the kit's folder
//! ([`in_kit`]), never into the volunteer's own votes folder.

use std::path::{Path, PathBuf};

use super::{Gathered, Kind, KitError};
use crate::campaign::Campaign;
use crate::votes::{self, Stored, VoteError};

/// The name of vote `id`'s file in a kit.
pub fn entry_name(id: u64) -> String {
    format!("vote-{id}.json")
}

/// The vote id a kit's file name gives, `vote-ID.json`.
fn id_of(name: &str) -> Option<u64> {
    let digits = name.strip_prefix("vote-")?.strip_suffix(".json")?;
    (!digits.is_empty() && digits.len() <= 19 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Every vote id the campaign refers to, each once, in its order.
pub fn ids(campaign: &Campaign) -> Vec<u64> {
    let mut ids: Vec<u64> = Vec::new();
    for id in campaign
        .votes
        .iter()
        .map(|v| v.id)
        .chain(campaign.recipients.query.votes.iter().map(|f| f.vote))
    {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// The vote `id` a campaign in a kit's folder reads: the folder's
/// `vote-ID.json`, checked; `None` when the campaign is not a kit's or its
/// kit does not carry that vote.
pub fn in_kit(kit_folder: &Path, id: u64) -> Option<Result<Stored, VoteError>> {
    let path = kit_folder.join(entry_name(id));
    if !path.is_file() {
        return None;
    }
    // Inside the kit's folder once links are followed, as every file a
    // kit's campaign reads (`confine`).
    let inside = match (std::fs::canonicalize(&path), std::fs::canonicalize(kit_folder)) {
        (Ok(real), Ok(root)) => real.starts_with(root),
        _ => false,
    };
    if !inside {
        return None;
    }
    Some(votes::read_bounded(&path).and_then(|text| votes::parse_stored(&text, &path, id)))
}

/// At build: the stored file of each vote the campaign uses, from the
/// campaign's own kit folder (a kit shared again) or the data folder.
pub(super) fn gather(campaign: &Campaign, file: &Path, gathered: &mut Gathered) -> Result<(), KitError> {
    let kit_folder = super::folder_of(file);
    let paths = crate::store::Paths::discover();
    for id in ids(campaign) {
        let path = kit_folder
            .as_ref()
            .map(|k| k.join(entry_name(id)))
            .filter(|p| p.is_file())
            .or_else(|| paths.as_ref().map(|p| votes::folder(p).join(format!("{id}.json"))))
            .filter(|p| p.is_file())
            .ok_or(KitError::VoteMissing { id })?;
        let text = votes::read_bounded(&path).and_then(|t| votes::parse_stored(&t, &path, id).map(|_| t));
        let text = text.map_err(|e| KitError::Read {
            what: "the imported vote",
            path: path.clone(),
            reason: e.to_string(),
        })?;
        gathered.add_bytes(&PathBuf::from(entry_name(id)), Kind::Vote, text.into_bytes());
    }
    Ok(())
}

/// At open: each vote file the kit holds is named `vote-ID.json` and is a
/// stored vote of that id, checked as an imported vote is.
pub(super) fn check_entries(manifest: &super::Manifest, files: &[(String, Vec<u8>)]) -> Result<(), KitError> {
    for entry in manifest.files.iter().filter(|e| e.kind == Kind::Vote) {
        let refused = |reason: String| KitError::Entry {
            entry: super::names::shown(&entry.path).trim_matches('"').to_owned(),
            reason,
        };
        let Some(id) = id_of(&entry.path) else {
            return Err(refused("a vote's file must be named vote-ID.json".to_owned()));
        };
        let bytes = files
            .iter()
            .find(|(n, _)| *n == entry.path)
            .map(|(_, b)| b.as_slice())
            .unwrap_or_default();
        let text = std::str::from_utf8(bytes).map_err(|_| refused("the vote is not UTF-8 text".to_owned()))?;
        votes::parse_stored(text, Path::new(&entry.path), id)
            .map_err(|e| refused(format!("it is not a usable vote: {e}")))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vote_file_names_give_their_id() {
        assert_eq!(id_of(&entry_name(195_775)), Some(195_775));
        for bad in [
            "vote-.json",
            "vote-12a.json",
            "vote-1.json.exe",
            "x-1.json",
            "vote-99999999999999999999.json",
        ] {
            assert_eq!(id_of(bad), None, "{bad}");
        }
    }
}
