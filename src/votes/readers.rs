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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::path::Path;

    use super::super::{Position, Shape, detect};
    use super::*;

    const JSON: &str = r#"{
  "id": 162214,
  "timestamp": "2023-07-12T12:13:35",
  "display_title": "Nature Restoration Law",
  "reference": "A9-0220/2023",
  "description": "Proposition de la Commission",
  "result": null,
  "procedure": {"title": "Nature restoration", "type": "COD", "reference": "2022/0195(COD)", "stage": "OLP_FIRST_READING"},
  "member_votes": [
    {"member": {"id": 197490, "first_name": "Magdalena", "last_name": "ADAMOWICZ", "country": {"code": "POL"}, "group": {"code": "EPP"}}, "position": "AGAINST"},
    {"member": {"id": 189525, "first_name": "Asim", "last_name": "ADEMOV", "country": {"code": "BGR"}, "group": {"code": "EPP"}}, "position": "DID_NOT_VOTE"}
  ],
  "sources": [{"name": "Results of roll-call votes (XML)", "url": "https://www.europarl.europa.eu/doceo/document/PV-9-2023-07-12-RCV_FR.xml", "accessed_at": "2023-07-12T18:00:00"}]
}"#;

    fn p() -> &'static Path {
        Path::new("vote.json")
    }

    #[test]
    fn api_json_gives_the_vote_and_its_positions() {
        let v = read_api_json(p(), JSON).unwrap();
        assert_eq!(v.id, 162_214);
        assert_eq!(v.date, "2023-07-12");
        assert_eq!(v.reference.as_deref(), Some("A9-0220/2023"));
        let proc = v.procedure.as_ref().unwrap();
        assert_eq!(proc.reference.as_deref(), Some("2022/0195(COD)"));
        assert_eq!(proc.kind.as_deref(), Some("COD"));
        assert_eq!(v.positions[0].mep_id, "197490");
        assert_eq!(v.positions[0].position, Position::Against);
        assert_eq!(v.positions[0].name.as_deref(), Some("Magdalena ADAMOWICZ"));
        assert_eq!(v.positions[1].country, "BGR");
        assert_eq!(v.counts(), [0, 1, 0, 1]);
        assert_eq!(v.sources[0].name, "Results of roll-call votes (XML)");
        assert_eq!(detect(JSON), Some(Shape::ApiJson));
    }

    #[test]
    fn api_json_refuses_an_unknown_position_with_its_line() {
        let bad = JSON.replace("\"DID_NOT_VOTE\"", "\"ABSENT\"");
        let err = read_api_json(p(), &bad).unwrap_err().to_string();
        assert!(
            err.contains("line 11") && err.contains("\"ABSENT\"") && err.contains("189525"),
            "{err}"
        );
    }

    #[test]
    fn api_json_refuses_a_member_twice_and_an_empty_vote() {
        let twice = JSON.replace("189525", "197490");
        let err = read_api_json(p(), &twice).unwrap_err().to_string();
        assert!(err.contains("MEP 197490 has two positions"), "{err}");
        let empty = r#"{"id": 1, "timestamp": "2024-01-01T00:00:00", "member_votes": []}"#;
        let err = read_api_json(p(), empty).unwrap_err().to_string();
        assert!(err.contains("no member positions"), "{err}");
    }

    #[test]
    fn members_csv_reads_the_api_columns() {
        let text = "position,member.id,member.first_name,member.last_name,member.country.code,member.country.label,member.country.iso_alpha_2,member.group.code,member.group.label,member.group.short_label\n\
                    FOR,256810,Mika,AALTOLA,FIN,Finland,FI,EPP,European People's Party,EPP\n\
                    ABSTENTION,257043,\"Maravillas\",ABADÍA JOVER,ESP,Spain,ES,EPP,\"European People's Party, EPP\",EPP\n";
        assert_eq!(detect(text), Some(Shape::MembersCsv));
        let v = read_members_csv(Path::new("m.csv"), text, 195_775).unwrap();
        assert_eq!(v.id, 195_775);
        assert_eq!(v.counts(), [1, 0, 1, 0]);
        assert_eq!(v.positions[1].name.as_deref(), Some("Maravillas ABADÍA JOVER"));
        let bad = text.replace("ABSTENTION", "abstain");
        let err = read_members_csv(Path::new("m.csv"), &bad, 1).unwrap_err().to_string();
        assert!(err.contains("line 3") && err.contains("\"abstain\""), "{err}");
        let err = read_members_csv(Path::new("m.csv"), "position,id\nFOR,1\n", 1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no column \"member.id\""), "{err}");
    }

    #[test]
    fn bulk_keeps_only_the_vote_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let votes = dir.path().join("votes.csv");
        let mv = dir.path().join("member_votes.csv");
        std::fs::write(
            &votes,
            "id,timestamp,display_title,reference,description,is_main,is_featured,procedure_reference,procedure_title\n\
             7,2024-04-10 12:00:00,\"Asylum, migration\",A9-0152/2023,Accord provisoire,True,True,2020/0279(COD),Asylum and migration management\n\
             8,2024-04-10 12:01:00,Other,,,False,False,,\n",
        )
        .unwrap();
        std::fs::write(
            &mv,
            "vote_id,member_id,position,country_code,group_code\n8,1,FOR,DEU,EPP\n7,1,AGAINST,DEU,EPP\n7,2,FOR,FRA,\n8,2,NONSENSE,FRA,\n",
        )
        .unwrap();
        assert_eq!(
            detect(&std::fs::read_to_string(&mv).unwrap()),
            Some(Shape::BulkMemberVotes)
        );
        assert_eq!(
            detect(&std::fs::read_to_string(&votes).unwrap()),
            Some(Shape::BulkVotes)
        );
        let v = read_bulk(&votes, &mv, 7).unwrap();
        assert_eq!(v.display_title, "Asylum, migration");
        assert_eq!(v.date, "2024-04-10");
        assert_eq!(
            v.procedure.as_ref().unwrap().reference.as_deref(),
            Some("2020/0279(COD)")
        );
        assert_eq!(v.counts(), [1, 1, 0, 0]);
        assert_eq!(v.positions[1].group, "");
        // Vote 8's bad row is refused with its line once vote 8 is asked for.
        let err = read_bulk(&votes, &mv, 8).unwrap_err().to_string();
        assert!(err.contains("line 5") && err.contains("NONSENSE"), "{err}");
        let err = read_bulk(&votes, &mv, 9).unwrap_err().to_string();
        assert!(err.contains("there is no vote 9"), "{err}");
    }

    #[test]
    fn bulk_refuses_a_file_without_line_breaks() {
        let dir = tempfile::tempdir().unwrap();
        let votes = dir.path().join("votes.csv");
        let mv = dir.path().join("member_votes.csv");
        std::fs::write(&votes, "id,timestamp,display_title\n7,2024-04-10 12:00:00,T\n").unwrap();
        let mut long = String::from("vote_id,member_id,position,country_code,group_code\n7,1,FOR,DEU,");
        long.push_str(&"x".repeat(super::super::MAX_LINE_BYTES + 10));
        std::fs::write(&mv, long).unwrap();
        let err = read_bulk(&votes, &mv, 7).unwrap_err().to_string();
        assert!(err.contains("a line is longer than 1024 KB"), "{err}");
        std::fs::write(&mv, b"\0\x01binary").unwrap();
        let err = read_bulk(&votes, &mv, 7).unwrap_err().to_string();
        assert!(err.contains("not text"), "{err}");
    }

    #[test]
    fn detect_says_none_for_other_files() {
        assert_eq!(detect("name,email\nx,y\n"), None);
        assert_eq!(detect(""), None);
        assert_eq!(super::super::date_of("Wed, 12 Jul 2023 12:13:35 GMT"), "2023-07-12");
    }
}
