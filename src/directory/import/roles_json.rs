//! Committee seats from the Parltrack-derived MEP dataset
//! (`{"meps": [{"mep_id", "detailed_roles": [{type, acronym, role, start_date, end_date}]}]}`).
//!
//! Only committee roles that are open on the given date count; a committee
//! listed twice (an old name and a new one, as ENVI after SANT was split off)
//! is one seat, with the highest role.

use std::collections::HashMap;

use serde_json::Value;

use super::{json_id, parse_json};
use crate::directory::{CommitteeSeat, DirectoryError, Role};

/// Committee seats by MEP id.
pub fn parse(text: &str, origin: &str, as_of: &str) -> Result<HashMap<String, Vec<CommitteeSeat>>, DirectoryError> {
    let root = parse_json(text, origin)?;
    let Some(meps) = root.get("meps").and_then(Value::as_array) else {
        return Err(DirectoryError::WrongKind {
            expected: "The committee-roles dataset (a JSON object with a \"meps\" list)",
            found: if root.is_array() {
                "a JSON list (perhaps the e-mail file?)".into()
            } else {
                "another kind of JSON file".into()
            },
            origin: origin.to_owned(),
        });
    };
    let mut out = HashMap::with_capacity(meps.len());
    for (i, mep) in meps.iter().enumerate() {
        let position = format!("number {}", i + 1);
        let Some(id) = mep.get("mep_id").and_then(json_id) else {
            return Err(DirectoryError::missing(origin, &position, "mep_id"));
        };
        let record = format!("{id} ({position})");
        let roles = match mep.get("detailed_roles") {
            None | Some(Value::Null) => &Vec::new(),
            Some(Value::Array(list)) => list,
            Some(_) => {
                return Err(DirectoryError::field(
                    origin,
                    &record,
                    "detailed_roles",
                    "is not a list",
                ));
            }
        };
        let seats = committee_seats(roles, as_of, origin, &record)?;
        if out.insert(id.clone(), seats).is_some() {
            return Err(DirectoryError::DuplicateId {
                id,
                origin: origin.to_owned(),
            });
        }
    }
    Ok(out)
}

fn committee_seats(
    roles: &[Value],
    as_of: &str,
    origin: &str,
    record: &str,
) -> Result<Vec<CommitteeSeat>, DirectoryError> {
    let mut seats: Vec<CommitteeSeat> = Vec::new();
    for role in roles {
        if role.get("type").and_then(Value::as_str) != Some("committee") {
            continue;
        }
        let end = role.get("end_date").and_then(Value::as_str).unwrap_or("9999");
        if end.get(..10).unwrap_or(end) < as_of {
            continue;
        }
        let Some(code) = role
            .get("acronym")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|c| !c.is_empty())
        else {
            return Err(DirectoryError::missing(origin, record, "detailed_roles.acronym"));
        };
        let role_text = role.get("role").and_then(Value::as_str).unwrap_or_default();
        let Some(role) = Role::parse(role_text) else {
            return Err(DirectoryError::field(
                origin,
                record,
                "detailed_roles.role",
                format!("\"{role_text}\" is not a committee role (Chair, Vice-Chair, Member or Substitute)"),
            ));
        };
        match seats.iter_mut().find(|s| s.code == code) {
            Some(seat) => seat.role = seat.role.min(role),
            None => seats.push(CommitteeSeat {
                code: code.to_owned(),
                role,
            }),
        }
    }
    seats.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(seats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_open_committee_roles_deduplicated() {
        let text = r#"{"meps":[{"mep_id":1,"detailed_roles":[
            {"type":"committee","acronym":"ENVI","name":"Committee on the Environment, Public Health and Food Safety","role":"Member","end_date":"9999-12-31T00:00:00"},
            {"type":"committee","acronym":"ENVI","name":"Committee on the Environment, Climate and Food Safety","role":"Member","end_date":"9999-12-31T00:00:00"},
            {"type":"committee","acronym":"LIBE","role":"Member","end_date":"9999-12-31T00:00:00"},
            {"type":"committee","acronym":"LIBE","role":"Vice-Chair","end_date":"9999-12-31T00:00:00"},
            {"type":"committee","acronym":"AFET","role":"Member","end_date":"2024-12-31T00:00:00"},
            {"type":"delegation","acronym":"D-US","role":"Member","end_date":"9999-12-31T00:00:00"}
        ]}],"averages":{}}"#;
        let seats = parse(text, "r.json", "2025-10-27").unwrap();
        assert_eq!(
            seats["1"],
            vec![
                CommitteeSeat {
                    code: "ENVI".into(),
                    role: Role::Member
                },
                CommitteeSeat {
                    code: "LIBE".into(),
                    role: Role::ViceChair
                },
            ]
        );
    }

    #[test]
    fn errors_name_record_and_field() {
        let text = r#"{"meps":[{"mep_id":7,"detailed_roles":[{"type":"committee","acronym":"LIBE","role":"Boss"}]}]}"#;
        let err = parse(text, "r.json", "2025-01-01").unwrap_err().to_string();
        assert!(
            err.starts_with("record 7 (number 1): detailed_roles.role \"Boss\" is not a committee role"),
            "{err}"
        );
        let err = parse("[1,2]", "r.json", "2025-01-01").unwrap_err().to_string();
        assert!(err.contains("a JSON list"), "{err}");
        let err = parse(r#"{"meps":[{"mep_id":1},{"mep_id":1}]}"#, "r.json", "2025-01-01")
            .unwrap_err()
            .to_string();
        assert!(err.contains("MEP id 1 appears twice"), "{err}");
        let err = parse("{\"meps\": [", "r.json", "2025-01-01").unwrap_err().to_string();
        assert!(err.starts_with("the file is damaged at line 1, column 10"), "{err}");
    }
}
