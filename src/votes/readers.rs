//! Readers for the three shapes of a HowTheyVote vote.

use std::path::Path;

use serde::Deserialize;

use super::{
    MAX_POSITIONS, Procedure, Source, Vote, VoteError, check_positions, date_of, invalid, member_position, open_lines,
};

#[derive(Deserialize)]
struct ApiVote {
    id: u64,
    timestamp: Option<String>,
    display_title: Option<String>,
    reference: Option<String>,
    description: Option<String>,
    result: Option<String>,
    procedure: Option<ApiProcedure>,
    member_votes: Vec<ApiMemberVote>,
    #[serde(default)]
    sources: Vec<ApiSource>,
}

#[derive(Deserialize)]
struct ApiProcedure {
    title: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    reference: Option<String>,
    stage: Option<String>,
}

#[derive(Deserialize)]
struct ApiMemberVote {
    member: ApiMember,
    position: String,
}

#[derive(Deserialize)]
struct ApiMember {
    id: serde_json::Value,
    first_name: Option<String>,
    last_name: Option<String>,
    country: Option<ApiCode>,
    group: Option<ApiCode>,
}

#[derive(Deserialize)]
struct ApiCode {
    code: String,
}

#[derive(Deserialize)]
struct ApiSource {
    name: Option<String>,
    url: String,
    accessed_at: Option<String>,
}

/// A vote from the API's JSON (`GET /api/votes/{id}` saved to a file).
pub fn read_api_json(path: &Path, text: &str) -> Result<Vote, VoteError> {
    let api: ApiVote = serde_json::from_str(text).map_err(|e| {
        invalid(
            path,
            format!(
                "this is not a HowTheyVote vote: the API's vote JSON has an id, a timestamp and member_votes ({e})"
            ),
        )
    })?;
    // Where each `"position"` key is, for the line number in an error.
    let offsets: Vec<usize> = text.match_indices("\"position\"").map(|(i, _)| i).collect();
    let mut positions = Vec::with_capacity(api.member_votes.len().min(MAX_POSITIONS));
    for (i, mv) in api.member_votes.iter().enumerate() {
        let id = match &mv.member.id {
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let line = crate::util::line_col(text, offsets.get(i).copied().unwrap_or(0)).0 as u64;
        let country = mv.member.country.as_ref().map_or("", |c| c.code.as_str());
        let group = mv.member.group.as_ref().map_or("", |c| c.code.as_str());
        let mut p = member_position(path, line, &id, &mv.position, country, group)?;
        p.name = name(mv.member.first_name.as_deref(), mv.member.last_name.as_deref());
        positions.push(p);
    }
    check_positions(path, &positions)?;
    let timestamp = api.timestamp.unwrap_or_default();
    Ok(Vote {
        id: api.id,
        date: date_of(&timestamp),
        timestamp,
        display_title: api.display_title.unwrap_or_default(),
        reference: api.reference,
        description: api.description,
        result: api.result,
        procedure: api.procedure.map(|p| Procedure {
            title: p.title,
            kind: p.kind,
            reference: p.reference,
            stage: p.stage,
        }),
        positions,
        sources: api
            .sources
            .into_iter()
            .map(|s| Source {
                name: s.name.unwrap_or_default(),
                url: s.url,
                accessed_at: s.accessed_at,
            })
            .collect(),
    })
}

fn name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let n = format!("{} {}", first.unwrap_or("").trim(), last.unwrap_or("").trim());
    let n = n.trim();
    (!n.is_empty()).then(|| n.to_string())
}

fn columns(path: &Path, headers: &csv::StringRecord, wanted: &[&str]) -> Result<Vec<usize>, VoteError> {
    wanted
        .iter()
        .map(|w| {
            headers
                .iter()
                .position(|h| h.trim().trim_start_matches('\u{feff}') == *w)
                .ok_or_else(|| {
                    invalid(
                        path,
                        format!("the header has no column {w:?}, so this is not the HowTheyVote file it was taken for"),
                    )
                })
        })
        .collect()
}

fn csv_error(path: &Path, e: &csv::Error) -> VoteError {
    let line = e.position().map_or(0, csv::Position::line);
    invalid(path, format!("line {line}: the CSV cannot be read ({e})"))
}

/// A vote from the per-vote CSV of member positions (`/api/votes/{id}.csv`),
/// which has no title or date: those are shown as missing.
pub fn read_members_csv(path: &Path, text: &str, id: u64) -> Result<Vote, VoteError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(path, &e))?.clone();
    let cols = columns(
        path,
        &headers,
        &["position", "member.id", "member.country.code", "member.group.code"],
    )?;
    let names = columns(path, &headers, &["member.first_name", "member.last_name"]).ok();
    let mut positions = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, &e))?;
        let line = record.position().map_or(0, csv::Position::line);
        if positions.len() >= MAX_POSITIONS {
            return Err(invalid(
                path,
                format!("line {line}: more than {MAX_POSITIONS} member positions"),
            ));
        }
        let get = |i: usize| record.get(i).unwrap_or("");
        let mut p = member_position(path, line, get(cols[1]), get(cols[0]), get(cols[2]), get(cols[3]))?;
        p.name = names.as_ref().and_then(|n| name(Some(get(n[0])), Some(get(n[1]))));
        positions.push(p);
    }
    check_positions(path, &positions)?;
    Ok(Vote {
        id,
        timestamp: String::new(),
        date: String::new(),
        display_title: String::new(),
        reference: None,
        description: None,
        result: None,
        procedure: None,
        positions,
        sources: Vec::new(),
    })
}

/// A vote from the bulk export: its row in `votes.csv` and its rows in
/// `member_votes.csv`. Both files are streamed (the export's
/// `member_votes.csv` has millions of rows); only the vote's own rows are kept.
pub fn read_bulk(votes_csv: &Path, member_votes_csv: &Path, id: u64) -> Result<Vote, VoteError> {
    let mut vote = bulk_vote_row(votes_csv, id)?;
    let mut reader = csv::Reader::from_reader(open_lines(member_votes_csv)?);
    let headers = reader.headers().map_err(|e| csv_error(member_votes_csv, &e))?.clone();
    let cols = columns(
        member_votes_csv,
        &headers,
        &["vote_id", "member_id", "position", "country_code", "group_code"],
    )?;
    let wanted = id.to_string();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(member_votes_csv, &e)),
        }
        if record.get(cols[0]).map(str::trim) != Some(wanted.as_str()) {
            continue;
        }
        let line = record.position().map_or(0, csv::Position::line);
        if vote.positions.len() >= MAX_POSITIONS {
            return Err(invalid(
                member_votes_csv,
                format!("line {line}: vote {id} has more than {MAX_POSITIONS} member positions"),
            ));
        }
        let get = |i: usize| record.get(i).unwrap_or("");
        let p = member_position(
            member_votes_csv,
            line,
            get(cols[1]),
            get(cols[2]),
            get(cols[3]),
            get(cols[4]),
        )?;
        vote.positions.push(p);
    }
    if vote.positions.is_empty() {
        return Err(invalid(
            member_votes_csv,
            format!("no member positions for vote {id} (no row with vote_id {id})"),
        ));
    }
    check_positions(member_votes_csv, &vote.positions)?;
    Ok(vote)
}

fn bulk_vote_row(path: &Path, id: u64) -> Result<Vote, VoteError> {
    let mut reader = csv::Reader::from_reader(open_lines(path)?);
    let headers = reader.headers().map_err(|e| csv_error(path, &e))?.clone();
    let cols = columns(path, &headers, &["id", "timestamp", "display_title"])?;
    let optional = |name: &str| headers.iter().position(|h| h == name);
    let extra = [
        "reference",
        "description",
        "result",
        "procedure_reference",
        "procedure_title",
    ]
    .map(optional);
    let wanted = id.to_string();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(|e| csv_error(path, &e))? {
        if record.get(cols[0]).map(str::trim) != Some(wanted.as_str()) {
            continue;
        }
        let get = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let timestamp = get(Some(cols[1])).unwrap_or_default();
        let procedure = (get(extra[3]).is_some() || get(extra[4]).is_some()).then(|| Procedure {
            title: get(extra[4]),
            reference: get(extra[3]),
            ..Procedure::default()
        });
        return Ok(Vote {
            id,
            date: date_of(&timestamp),
            timestamp,
            display_title: get(Some(cols[2])).unwrap_or_default(),
            reference: get(extra[0]),
            description: get(extra[1]),
            result: get(extra[2]),
            procedure,
            positions: Vec::new(),
            sources: Vec::new(),
        });
    }
    Err(invalid(
        path,
        format!("there is no vote {id} in this file (no row with id {id}); check the id on howtheyvote.eu"),
    ))
}
