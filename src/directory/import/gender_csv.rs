//! Gender and honorific from a CSV export of the EP Open Data Portal's
//! person records (`ep_members_gender_2025-07.csv`): only the columns `id`,
//! `hasGender` (`MALE`, `FEMALE`, `NKN` = not known) and
//! `hasHonorificPrefix` (`MR`, `MS` or empty) are read; every other column
//! (birth dates, places, social media) is ignored and never stored.

use std::collections::HashMap;

use crate::directory::{DirectoryError, Gender, Honorific};

/// What the file says of one MEP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenderRecord {
    pub gender: Gender,
    pub honorific: Option<Honorific>,
}

/// The gender and honorific of each MEP, by id.
pub fn parse(text: &str, origin: &str) -> Result<HashMap<String, GenderRecord>, DirectoryError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| DirectoryError::malformed(origin, "line 1", e))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(id_col), Some(gender_col), Some(honorific_col)) =
        (column("id"), column("hasGender"), column("hasHonorificPrefix"))
    else {
        return Err(DirectoryError::WrongKind {
            expected: "A CSV file with the columns id, hasGender and hasHonorificPrefix",
            found: format!(
                "a file whose first line is \"{}\"",
                headers.iter().collect::<Vec<_>>().join(",")
            ),
            origin: origin.to_owned(),
        });
    };
    let mut out = HashMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            DirectoryError::malformed(origin, format!("line {line}"), e)
        })?;
        let line = row.position().map_or(0, csv::Position::line);
        let record = format!("on line {line}");
        let cell = |i: usize| row.get(i).map_or("", str::trim);
        let id = cell(id_col);
        if id.is_empty() {
            return Err(DirectoryError::missing(origin, &record, "id"));
        }
        let Some(gender) = Gender::parse(cell(gender_col)) else {
            return Err(DirectoryError::field(
                origin,
                &format!("{id} ({record})"),
                "hasGender",
                format!(
                    "\"{}\" is not a gender the portal uses; write MALE, FEMALE or NKN (not known)",
                    cell(gender_col)
                ),
            ));
        };
        let honorific = match cell(honorific_col) {
            "" => None,
            text => Some(Honorific::parse(text).ok_or_else(|| {
                DirectoryError::field(
                    origin,
                    &format!("{id} ({record})"),
                    "hasHonorificPrefix",
                    format!("\"{text}\" is not an honorific the portal uses; write MR, MS or leave it empty"),
                )
            })?),
        };
        if out.insert(id.to_owned(), GenderRecord { gender, honorific }).is_some() {
            return Err(DirectoryError::DuplicateId {
                id: id.to_owned(),
                origin: origin.to_owned(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "id,first_name,last_name,date_of_birth,hasGender,hasHonorificPrefix,placeOfBirth\n";

    #[test]
    fn reads_only_id_gender_and_honorific() {
        let text = format!(
            "{HEAD}197870,Kim,VAN SPARRENTAK,1989-10-16,FEMALE,MS,Vlissingen\n1294,Elio,DI RUPO,1951-07-18,MALE,MR,\"Morlanwelz, BE\"\n256960,A,B,,NKN,,\n"
        );
        let map = parse(&text, "g.csv").unwrap();
        assert_eq!(map.len(), 3);
        assert_eq!(
            map["197870"],
            GenderRecord {
                gender: Gender::Female,
                honorific: Some(Honorific::Ms)
            }
        );
        assert_eq!(map["1294"].gender, Gender::Male);
        assert_eq!(map["1294"].honorific, Some(Honorific::Mr));
        assert_eq!(
            map["256960"],
            GenderRecord {
                gender: Gender::NotKnown,
                honorific: None
            }
        );
    }

    #[test]
    fn bad_values_and_files_are_named() {
        let err = parse(&format!("{HEAD}1,A,B,,WOMAN,MS,\n"), "g.csv")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("hasGender") && err.contains("\"WOMAN\"") && err.contains("line 2") && err.ends_with("g.csv"),
            "{err}"
        );
        let err = parse(&format!("{HEAD}1,A,B,,MALE,DR,\n"), "g.csv")
            .unwrap_err()
            .to_string();
        assert!(err.contains("hasHonorificPrefix") && err.contains("\"DR\""), "{err}");
        let err = parse("id,email\n1,a@b.c\n", "g.csv").unwrap_err().to_string();
        assert!(err.contains("hasGender"), "{err}");
        let err = parse(&format!("{HEAD}1,A,B,,MALE,MR,\n1,A,B,,MALE,MR,\n"), "g.csv")
            .unwrap_err()
            .to_string();
        assert!(err.contains("appears twice"), "{err}");
    }
}
