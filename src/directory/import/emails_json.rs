//! E-mail addresses from a JSON list of EP records with contact details
//! (`[{"id", "fullName", "contactInformation": {"emails": [...]}}]`), as
//! scraped from the MEPs' EP profile pages.

use std::collections::HashMap;

use serde_json::Value;

use super::{json_id, parse_json, valid_email};
use crate::directory::DirectoryError;

/// The first published address of each MEP, by id.
pub fn parse(text: &str, origin: &str) -> Result<HashMap<String, String>, DirectoryError> {
    let root = parse_json(text, origin)?;
    let Some(list) = root.as_array() else {
        return Err(DirectoryError::WrongKind {
            expected: "A JSON list of MEPs with e-mail addresses",
            found: "a JSON object, not a list (perhaps the committee-roles file?)".into(),
            origin: origin.to_owned(),
        });
    };
    let mut out = HashMap::with_capacity(list.len());
    for (i, mep) in list.iter().enumerate() {
        let position = format!("number {}", i + 1);
        let Some(id) = mep.get("id").and_then(json_id) else {
            return Err(DirectoryError::missing(origin, &position, "id"));
        };
        let record = format!("{id} ({position})");
        let emails = mep.pointer("/contactInformation/emails").and_then(Value::as_array);
        let Some(email) = emails.and_then(|e| e.iter().find_map(Value::as_str)).map(str::trim) else {
            continue;
        };
        if !valid_email(email) {
            return Err(DirectoryError::field(
                origin,
                &record,
                "contactInformation.emails",
                format!("\"{email}\" is not an e-mail address"),
            ));
        }
        if out.insert(id.clone(), email.to_owned()).is_some() {
            return Err(DirectoryError::DuplicateId {
                id,
                origin: origin.to_owned(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_first_address() {
        let text = r#"[{"id":"1","contactInformation":{"emails":["a.b@europarl.europa.eu","x@y.z"]}},{"id":"2","contactInformation":{"emails":[]}}]"#;
        let map = parse(text, "e.json").unwrap();
        assert_eq!(map["1"], "a.b@europarl.europa.eu");
        assert!(!map.contains_key("2"));
    }

    #[test]
    fn bad_address_is_named() {
        let text = r#"[{"id":"9","contactInformation":{"emails":["not-an-address"]}}]"#;
        let err = parse(text, "e.json").unwrap_err().to_string();
        assert_eq!(
            err,
            "record 9 (number 1): contactInformation.emails \"not-an-address\" is not an e-mail address: e.json"
        );
    }
}
