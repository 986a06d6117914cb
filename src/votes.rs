//! Roll-call votes of the European Parliament as data: the model, readers for
//! the three shapes HowTheyVote.eu publishes, and the store of imported votes.
//!
//! The shapes: the API's vote JSON (`GET /api/votes/{id}`), the per-vote CSV
//! of member positions (`/api/votes/{id}.csv`, "members.csv"), and the weekly
//! bulk export's `votes.csv` + `member_votes.csv`. Each reader checks the
//! whole input before it returns a vote, so nothing is imported half-way.
//! HowTheyVote.eu publishes its data under the Open Database License 1.0;
//! every stored vote carries that attribution.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::store::{self, Paths};

/// The largest vote file read whole (the API's JSON or a members.csv). A
/// vote of 720 MEPs is about 400 KB as JSON.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// The most member positions one vote may have (the Parliament has 720 seats).
pub const MAX_POSITIONS: usize = 2000;
/// Who publishes the data, and under which licence.
pub const ATTRIBUTION: &str = "Data from HowTheyVote.eu, made available under the Open Database License (ODbL) 1.0";
pub const LICENCE: &str = "ODbL-1.0";
pub const LICENCE_URL: &str = "https://opendatacommons.org/licenses/odbl/1-0/";

/// How a member voted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Position {
    For,
    Against,
    Abstention,
    DidNotVote,
}

impl Position {
    pub const ALL: [Position; 4] = [Self::For, Self::Against, Self::Abstention, Self::DidNotVote];

    /// HowTheyVote's value (`FOR`, `AGAINST`, `ABSTENTION`, `DID_NOT_VOTE`).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "FOR" => Some(Self::For),
            "AGAINST" => Some(Self::Against),
            "ABSTENTION" => Some(Self::Abstention),
            "DID_NOT_VOTE" => Some(Self::DidNotVote),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::For => "FOR",
            Self::Against => "AGAINST",
            Self::Abstention => "ABSTENTION",
            Self::DidNotVote => "DID_NOT_VOTE",
        }
    }

    /// For people and templates: `for`, `against`, `abstention`, `did-not-vote`.
    pub fn label(self) -> &'static str {
        match self {
            Self::For => "for",
            Self::Against => "against",
            Self::Abstention => "abstention",
            Self::DidNotVote => "did-not-vote",
        }
    }
}

/// One member's position, with their country and group on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPosition {
    /// The EP MEP id, as the directory uses it.
    pub mep_id: String,
    pub position: Position,
    /// ISO 3166-1 alpha-3 code, as HowTheyVote writes it ("DEU").
    pub country: String,
    /// HowTheyVote's group code on the day of the vote ("EPP", "SD"); empty when unknown.
    pub group: String,
    /// "First LAST", when the file has names (the bulk export has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The procedure a vote belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    pub title: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// "2022/0195(COD)".
    pub reference: Option<String>,
    pub stage: Option<String>,
}

/// A source HowTheyVote names for the vote (the EP's roll-call XML, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub name: String,
    pub url: String,
    pub accessed_at: Option<String>,
}

/// A roll-call vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    /// HowTheyVote's vote id.
    pub id: u64,
    /// Date and time as the source writes it; empty when the file has none.
    pub timestamp: String,
    /// YYYY-MM-DD; empty when the file has none.
    pub date: String,
    pub display_title: String,
    /// The plenary document, "A9-0220/2023".
    pub reference: Option<String>,
    pub description: Option<String>,
    /// ADOPTED, REJECTED, LAPSED, WITHDRAWN (only from 2024 on).
    pub result: Option<String>,
    pub procedure: Option<Procedure>,
    pub positions: Vec<MemberPosition>,
    pub sources: Vec<Source>,
}

impl Vote {
    /// How many members took each position, in [`Position::ALL`] order.
    pub fn counts(&self) -> [usize; 4] {
        counts(self.positions.iter())
    }

    /// Counts per position for each value of `key` (group or country),
    /// largest first.
    pub fn counts_by(&self, key: impl Fn(&MemberPosition) -> &str) -> Vec<(String, [usize; 4])> {
        let mut map: BTreeMap<String, Vec<&MemberPosition>> = BTreeMap::new();
        for p in &self.positions {
            map.entry(key(p).to_string()).or_default().push(p);
        }
        let mut rows: Vec<(String, [usize; 4])> = map.into_iter().map(|(k, ps)| (k, counts(ps.into_iter()))).collect();
        rows.sort_by_key(|(k, c)| (std::cmp::Reverse(c.iter().sum::<usize>()), k.clone()));
        rows
    }

    /// The HowTheyVote.eu page of the vote.
    pub fn page_url(&self) -> String {
        format!("https://howtheyvote.eu/votes/{}", self.id)
    }

    /// MEP ids of the vote that `known` does not contain.
    pub fn unknown_meps(&self, known: &HashSet<&str>) -> Vec<String> {
        self.positions
            .iter()
            .filter(|p| !known.contains(p.mep_id.as_str()))
            .map(|p| p.mep_id.clone())
            .collect()
    }
}

fn counts<'a>(positions: impl Iterator<Item = &'a MemberPosition>) -> [usize; 4] {
    let mut out = [0; 4];
    for p in positions {
        out[p.position as usize] += 1;
    }
    out
}

/// Why a vote could not be read or stored.
#[derive(Debug, thiserror::Error)]
pub enum VoteError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("could not read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Write(#[from] store::WriteError),
}

fn invalid(path: &Path, message: impl Into<String>) -> VoteError {
    VoteError::Invalid {
        path: path.display().to_string(),
        message: message.into(),
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> VoteError + '_ {
    move |source| VoteError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The whole of a file no larger than [`MAX_FILE_BYTES`], as text.
pub fn read_bounded(path: &Path) -> Result<String, VoteError> {
    let file = File::open(path).map_err(io_err(path))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err(path))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(invalid(
            path,
            format!(
                "the file is larger than {} MB, too large for one vote; a HowTheyVote vote file is well under 1 MB (for the bulk export, use --bulk VOTES.csv MEMBER_VOTES.csv --id ID)",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|_| invalid(path, "the file is not UTF-8 text, so it is not a HowTheyVote vote"))
}

/// The shapes a vote file can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The API's vote JSON.
    ApiJson,
    /// The per-vote CSV of member positions.
    MembersCsv,
    /// The bulk export's `member_votes.csv` (needs `votes.csv` and an id).
    BulkMemberVotes,
    /// The bulk export's `votes.csv` (needs `member_votes.csv` and an id).
    BulkVotes,
}

/// The shape of a vote file from its first bytes, or `None`.
pub fn detect(text: &str) -> Option<Shape> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return Some(Shape::ApiJson);
    }
    let header = trimmed.lines().next().unwrap_or("");
    let cols: Vec<&str> = header.split(',').map(|c| c.trim().trim_matches('"')).collect();
    if cols.contains(&"member.id") && cols.contains(&"position") {
        Some(Shape::MembersCsv)
    } else if cols.contains(&"vote_id") && cols.contains(&"member_id") {
        Some(Shape::BulkMemberVotes)
    } else if cols.contains(&"id") && cols.contains(&"display_title") {
        Some(Shape::BulkVotes)
    } else {
        None
    }
}

/// A member position, checked: a known position value and a plausible id.
fn member_position(
    path: &Path,
    line: u64,
    id: &str,
    position: &str,
    country: &str,
    group: &str,
) -> Result<MemberPosition, VoteError> {
    let position = Position::parse(position).ok_or_else(|| {
        invalid(
            path,
            format!(
                "line {line}: the position {:?} of MEP {id} is not one of FOR, AGAINST, ABSTENTION, DID_NOT_VOTE; correct the file or download it again",
                position.chars().take(40).collect::<String>()
            ),
        )
    })?;
    let id = id.trim();
    if id.is_empty() || id.len() > 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            path,
            format!(
                "line {line}: {:?} is not an EP MEP id (a number)",
                id.chars().take(40).collect::<String>()
            ),
        ));
    }
    Ok(MemberPosition {
        mep_id: id.to_string(),
        position,
        country: country.trim().to_string(),
        group: group.trim().to_string(),
        name: None,
    })
}

fn check_positions(path: &Path, positions: &[MemberPosition]) -> Result<(), VoteError> {
    if positions.is_empty() {
        return Err(invalid(path, "the file has no member positions"));
    }
    if positions.len() > MAX_POSITIONS {
        return Err(invalid(
            path,
            format!("the vote has more than {MAX_POSITIONS} member positions; the Parliament has 720 seats"),
        ));
    }
    let mut seen = HashSet::new();
    for p in positions {
        if !seen.insert(p.mep_id.as_str()) {
            return Err(invalid(
                path,
                format!("MEP {} has two positions in this vote", p.mep_id),
            ));
        }
    }
    Ok(())
}

fn date_of(timestamp: &str) -> String {
    let t = timestamp.trim();
    if t.len() >= 10 && chrono::NaiveDate::parse_from_str(&t[..10], "%Y-%m-%d").is_ok() {
        return t[..10].to_string();
    }
    chrono::DateTime::parse_from_rfc2822(t).map_or_else(|_| String::new(), |d| d.format("%Y-%m-%d").to_string())
}

/// Reads a vote file of either single-file shape (the API's JSON, a
/// members CSV — which needs `id`, as it does not name its vote), checked
/// whole; returns the vote and where it came from, for the store.
/// `members_csv` says the shape outright.
pub fn read_file(path: &Path, id: Option<u64>, members_csv: bool) -> Result<(Vote, String), VoteError> {
    let text = read_bounded(path)?;
    let shape = if members_csv {
        Some(Shape::MembersCsv)
    } else {
        detect(&text)
    };
    let vote = match shape {
        Some(Shape::ApiJson) => {
            let vote = read_api_json(path, &text)?;
            if let Some(id) = id.filter(|id| *id != vote.id) {
                return Err(invalid(path, format!("the file is vote {}, not vote {id}", vote.id)));
            }
            vote
        }
        Some(Shape::MembersCsv) => {
            let Some(id) = id else {
                return Err(invalid(
                    path,
                    "a members CSV does not name its vote: add --id ID (the number in the vote's howtheyvote.eu address; in the app, type it beside the button)",
                ));
            };
            read_members_csv(path, &text, id)?
        }
        Some(Shape::BulkVotes | Shape::BulkMemberVotes) => {
            return Err(invalid(
                path,
                "this is a file of HowTheyVote's bulk export; import with --bulk VOTES.csv MEMBER_VOTES.csv --id ID",
            ));
        }
        None => {
            return Err(invalid(
                path,
                "this is not a HowTheyVote vote: expected the API's vote JSON (from howtheyvote.eu/api/votes/ID), a vote's members CSV, or the bulk export's CSVs",
            ));
        }
    };
    let kind = if shape == Some(Shape::ApiJson) {
        "API JSON"
    } else {
        "members CSV"
    };
    Ok((vote, format!("{} ({kind})", path.display())))
}

mod fetch;
mod readers;
pub use fetch::{DEFAULT_BASE_URL, Found, MAX_FOUND, fetch, search};
pub use readers::{read_api_json, read_bulk, read_members_csv};

/// Where imported votes are kept: one JSON file per vote.
pub fn folder(paths: &Paths) -> PathBuf {
    paths.votes()
}

/// A vote as stored, with its source and licence.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    pub attribution: String,
    pub licence: String,
    pub licence_url: String,
    /// The HowTheyVote.eu page of the vote.
    pub source_url: String,
    /// Which file it came from, and in which shape.
    pub imported_from: String,
    pub imported_at: String,
    pub vote: Vote,
}

/// Stores `vote` in the data folder (atomically; a vote imported again replaces the old).
pub fn save(paths: &Paths, vote: Vote, imported_from: String) -> Result<PathBuf, VoteError> {
    let stored = Stored {
        attribution: ATTRIBUTION.to_string(),
        licence: LICENCE.to_string(),
        licence_url: LICENCE_URL.to_string(),
        source_url: vote.page_url(),
        imported_from,
        imported_at: chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
        vote,
    };
    let path = folder(paths).join(format!("{}.json", stored.vote.id));
    let json = serde_json::to_string_pretty(&stored).map_err(|e| invalid(&path, e.to_string()))?;
    store::write_atomic(&path, json.as_bytes(), "the imported vote")?;
    Ok(path)
}

/// One stored vote.
pub fn load(paths: &Paths, id: u64) -> Result<Option<Stored>, VoteError> {
    let path = folder(paths).join(format!("{id}.json"));
    if !path.exists() {
        return Ok(None);
    }
    let text = read_bounded(&path)?;
    parse_stored(&text, &path, id).map(Some)
}

/// A stored vote's text (a file of the votes folder, or one a kit carries),
/// checked as an imported vote is: the vote `id`, at least one and at most
/// [`MAX_POSITIONS`] member positions, each an EP MEP id (a number) once.
pub fn parse_stored(text: &str, path: &Path, id: u64) -> Result<Stored, VoteError> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(invalid(path, "the file is too large for one vote"));
    }
    let stored: Stored = serde_json::from_str(text)
        .map_err(|e| invalid(path, format!("not a stored vote ({e}); import the vote again")))?;
    if stored.vote.id != id {
        return Err(invalid(
            path,
            format!(
                "the file holds vote {}, not vote {id}; import the vote again",
                stored.vote.id
            ),
        ));
    }
    check_positions(path, &stored.vote.positions)?;
    if let Some(bad) = stored
        .vote
        .positions
        .iter()
        .find(|p| p.mep_id.is_empty() || p.mep_id.len() > 12 || !p.mep_id.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(invalid(
            path,
            format!(
                "{:?} is not an EP MEP id (a number); import the vote again",
                bad.mep_id.chars().take(40).collect::<String>()
            ),
        ));
    }
    Ok(stored)
}

/// Every stored vote, newest first; files that cannot be read are returned as errors beside them.
pub fn list(paths: &Paths) -> (Vec<Stored>, Vec<VoteError>) {
    let mut votes = Vec::new();
    let mut errors = Vec::new();
    let Ok(entries) = std::fs::read_dir(folder(paths)) else {
        return (votes, errors);
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_suffix(".json").and_then(|s| s.parse::<u64>().ok()) else {
            continue;
        };
        match load(paths, id) {
            Ok(Some(v)) => votes.push(v),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    votes.sort_by(|a, b| b.vote.date.cmp(&a.vote.date).then(b.vote.id.cmp(&a.vote.id)));
    (votes, errors)
}

/// The longest line a streamed CSV may have (a row of the bulk export is
/// well under 1 KB; a long vote title a few KB).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// A reader that fails, in words, on a line longer than [`MAX_LINE_BYTES`],
/// so that a file without line breaks cannot fill memory.
pub(crate) struct LineLimit<R> {
    inner: R,
    since_newline: usize,
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            if b == b'\n' {
                self.since_newline = 0;
            } else {
                self.since_newline += 1;
                if self.since_newline > MAX_LINE_BYTES {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "a line is longer than {} KB, so this is not a HowTheyVote CSV",
                            MAX_LINE_BYTES / 1024
                        ),
                    ));
                }
            }
        }
        Ok(n)
    }
}

/// A CSV file to stream (the bulk export), with lines of bounded length.
fn open_lines(path: &Path) -> Result<LineLimit<BufReader<File>>, VoteError> {
    let file = File::open(path).map_err(io_err(path))?;
    let mut reader = BufReader::new(file);
    // Reject a binary file early, in words.
    let head = reader.fill_buf().map_err(io_err(path))?;
    if head.contains(&0) {
        return Err(invalid(path, "the file is not text, so it is not a HowTheyVote CSV"));
    }
    Ok(LineLimit {
        inner: reader,
        since_newline: 0,
    })
}
