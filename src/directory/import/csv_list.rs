//! MEP lists in CSV: an NGO's own list, another parliament's, or a newer
//! roster of sitting MEPs. Documented in `docs/directory-csv.md`.
//!
//! The first line names the columns (any order, any case; unknown columns are
//! ignored). Accepted names, first the preferred one:
//!
//! | column | also accepted | required | content |
//! |---|---|---|---|
//! | `id` | `mep_id`, `identifier` | yes | unique id (the EP id for MEPs) |
//! | `full_name` | `display_name`, `name` | one of `full_name`, `family_name` | "Kim VAN SPARRENTAK" or "Kim van Sparrentak" |
//! | `given_name` | `first_name` | no | |
//! | `family_name` | `last_name` | see `full_name` | |
//! | `country` | `country_code` | yes | ISO alpha-2 or alpha-3 code, or English name |
//! | `group` | `eu_group_short`, `political_group` | no | group code or name |
//! | `national_party` | `party` | no | |
//! | `email` | `e-mail`, `mail` | no | |
//! | `email_is_guess` | | no | `true`/`false` |
//! | `committees` | | no | `LIBE:member; IMCO:substitute` (role defaults to member) |
//! | `languages` | | no | `nl; en` |
//! | `gender` | `hasGender` | no | `female`, `male`, `not-known` (or the portal's `FEMALE`, `MALE`, `NKN`) |
//! | `honorific` | `hasHonorificPrefix` | no | `Ms`, `Mr` |

use csv::StringRecord;

use super::valid_email;
use crate::directory::{CommitteeSeat, DirectoryError, Gender, Honorific, Role, countries, groups};

/// One row. `None` means the file has no such column (or the cell is empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvMep {
    pub id: String,
    pub full_name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub country: String,
    pub group: Option<String>,
    pub national_party: Option<String>,
    pub email: Option<String>,
    pub email_is_guess: bool,
    /// `None` when the file has no `committees` column.
    pub committees: Option<Vec<CommitteeSeat>>,
    pub languages: Vec<String>,
    pub gender: Option<Gender>,
    pub honorific: Option<Honorific>,
}

/// A parsed CSV list.
#[derive(Debug, Clone, Default)]
pub struct CsvList {
    pub meps: Vec<CsvMep>,
    /// The `source_url` column's first value, if the file has one (lists built
    /// from HowTheyVote.eu carry one).
    pub source_url: Option<String>,
    /// The `vote_date` column's first value, if any.
    pub data_date: Option<String>,
}

const COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["id", "mep_id", "identifier"]),
    ("full_name", &["full_name", "display_name", "name", "fullname"]),
    ("given_name", &["given_name", "first_name", "givenname", "firstname"]),
    (
        "family_name",
        &["family_name", "last_name", "familyname", "lastname", "surname"],
    ),
    ("country", &["country_code", "country"]),
    (
        "group",
        &["group", "eu_group_short", "political_group", "eu_group_code"],
    ),
    ("national_party", &["national_party", "party"]),
    ("email", &["email", "e-mail", "mail"]),
    ("email_is_guess", &["email_is_guess"]),
    ("committees", &["committees"]),
    ("languages", &["languages"]),
    ("gender", &["gender", "hasgender"]),
    ("honorific", &["honorific", "hashonorificprefix"]),
    ("source_url", &["source_url"]),
    ("vote_date", &["vote_date"]),
];

struct Columns(Vec<Option<usize>>);

impl Columns {
    fn find(headers: &StringRecord) -> Self {
        let norm: Vec<String> = headers
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        Columns(
            COLUMNS
                .iter()
                .map(|(_, names)| names.iter().find_map(|n| norm.iter().position(|h| h == n)))
                .collect(),
        )
    }

    fn has(&self, key: &str) -> bool {
        COLUMNS
            .iter()
            .position(|(k, _)| *k == key)
            .and_then(|i| self.0[i])
            .is_some()
    }

    fn get<'r>(&self, row: &'r StringRecord, key: &str) -> Option<&'r str> {
        let i = COLUMNS.iter().position(|(k, _)| *k == key)?;
        row.get(self.0[i]?)
            .map(|v| unneutralise(v.trim()))
            .filter(|v| !v.is_empty())
    }
}

/// Parses a CSV list. Errors give the line and the column.
/// A cell that `hemicycle meps --format csv` wrote as `'=…` (so that a
/// spreadsheet shows it instead of running it as a formula) reads back as
/// it was; "'t Hooft" stays as it is.
fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

pub fn parse(text: &str, origin: &str) -> Result<CsvList, DirectoryError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| DirectoryError::malformed(origin, "line 1", e))?
        .clone();
    let cols = Columns::find(&headers);
    if !cols.has("id") || !cols.has("country") || !(cols.has("full_name") || cols.has("family_name")) {
        return Err(DirectoryError::WrongKind {
            expected: "A CSV list of MEPs with at least the columns id, country and full_name (or family_name)",
            found: format!(
                "a file whose first line is \"{}\"",
                headers.iter().collect::<Vec<_>>().join(",")
            ),
            origin: origin.to_owned(),
        });
    }
    let mut list = CsvList::default();
    let mut seen = std::collections::HashSet::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            DirectoryError::malformed(origin, format!("line {line}"), e)
        })?;
        let line = row.position().map_or(0, csv::Position::line);
        check_cells(&headers, &row, line, origin)?;
        let mep = parse_row(&cols, &row, line, origin)?;
        if !seen.insert(mep.id.clone()) {
            return Err(DirectoryError::DuplicateId {
                id: mep.id,
                origin: origin.to_owned(),
            });
        }
        if list.source_url.is_none() {
            list.source_url = cols.get(&row, "source_url").map(str::to_owned);
        }
        if list.data_date.is_none() {
            list.data_date = cols.get(&row, "vote_date").map(str::to_owned);
        }
        list.meps.push(mep);
    }
    Ok(list)
}

/// A cell with a control character (an escape sequence, a line break or a
/// tab inside quotes) is refused, naming the line and the column: names and
/// addresses go into letters, e-mail headers and terminals.
fn check_cells(headers: &StringRecord, row: &StringRecord, line: u64, origin: &str) -> Result<(), DirectoryError> {
    for (i, cell) in row.iter().enumerate() {
        if let Some(c) = cell.chars().find(|c| c.is_control()) {
            let name = headers.get(i).map(str::trim).unwrap_or_default();
            return Err(DirectoryError::field(
                origin,
                &format!("line {line}"),
                &format!("column {} ({name})", i + 1),
                format!(
                    "holds a control character (U+{:04X}), which has no place in a name or an address; remove it",
                    u32::from(c)
                ),
            ));
        }
    }
    Ok(())
}

/// The `languages` cell: codes of the 24 official languages, split by `;`
/// or `,`; anything else is refused.
fn languages_cell(cell: Option<String>, origin: &str, record: &str) -> Result<Vec<String>, DirectoryError> {
    let Some(cell) = cell else { return Ok(Vec::new()) };
    cell.split([';', ','])
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .map(|code| match crate::language::Language::parse(&code) {
            Some(_) => Ok(code),
            None => Err(DirectoryError::field(
                origin,
                record,
                "languages",
                crate::language::unknown_code_problem(&code),
            )),
        })
        .collect()
}

fn parse_row(cols: &Columns, row: &StringRecord, line: u64, origin: &str) -> Result<CsvMep, DirectoryError> {
    let at = format!("on line {line}");
    let text = |key: &str| cols.get(row, key).map(str::to_owned);
    let Some(id) = text("id") else {
        return Err(DirectoryError::missing(origin, &at, "id"));
    };
    let record = format!("{id} (line {line})");
    let Some(country_text) = text("country") else {
        return Err(DirectoryError::missing(origin, &record, "country"));
    };
    let Some(country) = countries::resolve(&country_text) else {
        return Err(DirectoryError::field(
            origin,
            &record,
            "country",
            format!("\"{country_text}\" is not a country code or English country name"),
        ));
    };
    if text("full_name").is_none() && text("family_name").is_none() {
        return Err(DirectoryError::missing(origin, &record, "full_name (or family_name)"));
    }
    let email = text("email");
    if let Some(e) = &email
        && !valid_email(e)
    {
        return Err(DirectoryError::field(
            origin,
            &record,
            "email",
            format!("\"{e}\" is not an e-mail address"),
        ));
    }
    let email_is_guess = match text("email_is_guess").map(|v| v.to_lowercase()).as_deref() {
        None | Some("false" | "no" | "0") => false,
        Some("true" | "yes" | "1") => true,
        Some(other) => {
            return Err(DirectoryError::field(
                origin,
                &record,
                "email_is_guess",
                format!("\"{other}\" is not true or false"),
            ));
        }
    };
    let (gender, honorific) = gender_cells(text("gender"), text("honorific"), origin, &record)?;
    let committees = if cols.has("committees") {
        Some(parse_committees(
            text("committees").as_deref().unwrap_or_default(),
            origin,
            &record,
        )?)
    } else {
        None
    };
    Ok(CsvMep {
        id,
        full_name: text("full_name"),
        given_name: text("given_name"),
        family_name: text("family_name"),
        country,
        group: text("group").map(|g| groups::resolve(&g)),
        national_party: text("national_party"),
        email,
        email_is_guess,
        committees,
        languages: languages_cell(text("languages"), origin, &record)?,
        gender,
        honorific,
    })
}

/// The `gender` and `honorific` cells: empty is unknown, anything else must
/// be a value Hemicycle knows.
fn gender_cells(
    gender: Option<String>,
    honorific: Option<String>,
    origin: &str,
    record: &str,
) -> Result<(Option<Gender>, Option<Honorific>), DirectoryError> {
    let gender = match gender {
        None => None,
        Some(g) => Some(Gender::parse(&g).ok_or_else(|| {
            DirectoryError::field(
                origin,
                record,
                "gender",
                format!("\"{g}\" is not a gender Hemicycle knows; write female, male or not-known, or leave it empty"),
            )
        })?),
    };
    let honorific = match honorific {
        None => None,
        Some(h) => Some(Honorific::parse(&h).ok_or_else(|| {
            DirectoryError::field(
                origin,
                record,
                "honorific",
                format!("\"{h}\" is not an honorific Hemicycle knows; write Ms or Mr, or leave it empty"),
            )
        })?),
    };
    Ok((gender, honorific))
}

/// `LIBE:member; IMCO:substitute`.
fn parse_committees(text: &str, origin: &str, record: &str) -> Result<Vec<CommitteeSeat>, DirectoryError> {
    let mut seats: Vec<CommitteeSeat> = Vec::new();
    for item in text.split([';', ',']).map(str::trim).filter(|s| !s.is_empty()) {
        let (code, role) = match item.split_once(':') {
            Some((code, role)) => {
                let Some(role) = Role::parse(role) else {
                    return Err(DirectoryError::field(
                        origin,
                        record,
                        "committees",
                        format!(
                            "\"{}\" is not a role (chair, vice-chair, member or substitute)",
                            role.trim()
                        ),
                    ));
                };
                (code.trim(), role)
            }
            None => (item, Role::Member),
        };
        let code = code.to_uppercase();
        match seats.iter_mut().find(|s| s.code == code) {
            Some(seat) => seat.role = seat.role.min(role),
            None => seats.push(CommitteeSeat { code, role }),
        }
    }
    Ok(seats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gender_and_honorific_columns_are_read_and_checked() {
        let text = "id,full_name,country,gender,honorific\n1,Kim VAN SPARRENTAK,NL,female,Ms\n2,Elio DI RUPO,BE,MALE,MR\n3,Sibylle BERG,DE,,\n";
        let list = parse(text, "l.csv").unwrap();
        let g: Vec<_> = list.meps.iter().map(|m| (m.gender, m.honorific)).collect();
        assert_eq!(
            g,
            [
                (Some(Gender::Female), Some(Honorific::Ms)),
                (Some(Gender::Male), Some(Honorific::Mr)),
                (None, None)
            ]
        );
        let err = parse(&text.replace("female", "woman"), "l.csv")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("gender \"woman\" is not a gender Hemicycle knows") && err.contains("line 2"),
            "{err}"
        );
    }

    #[test]
    fn reads_documented_columns_and_aliases() {
        let text = "mep_id,display_name,first_name,last_name,country_code,eu_group_short,email,committees,source_url\n\
                    1,Kim VAN SPARRENTAK,Kim,VAN SPARRENTAK,NLD,Greens/EFA,kim@example.org,LIBE:member; IMCO:vice-chair,https://howtheyvote.eu/votes/1\n";
        let list = parse(text, "l.csv").unwrap();
        let m = &list.meps[0];
        assert_eq!(m.country, "NL");
        assert_eq!(m.family_name.as_deref(), Some("VAN SPARRENTAK"));
        assert_eq!(
            m.committees.as_ref().unwrap()[1],
            CommitteeSeat {
                code: "IMCO".into(),
                role: Role::ViceChair
            }
        );
        assert_eq!(list.source_url.as_deref(), Some("https://howtheyvote.eu/votes/1"));
    }

    #[test]
    fn errors_give_line_and_column() {
        let head = "id,full_name,country,email\n";
        let err = parse(&format!("{head}1,A B,NL,a@b.eu\n2,C D,Narnia,\n"), "l.csv")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "record 2 (line 3): country \"Narnia\" is not a country code or English country name: l.csv"
        );
        let err = parse(&format!("{head}1,A B,NL,nope\n"), "l.csv")
            .unwrap_err()
            .to_string();
        assert!(err.contains("email \"nope\" is not an e-mail address"), "{err}");
        let err = parse(&format!("{head}1,A B,NL,\n1,C D,BE,\n"), "l.csv")
            .unwrap_err()
            .to_string();
        assert!(err.contains("MEP id 1 appears twice"), "{err}");
        let err = parse(&format!("{head}1,A B,NL\n"), "l.csv").unwrap_err().to_string();
        assert!(err.starts_with("the file is damaged at line 2"), "{err}");
        let err = parse("name,address\nx,y\n", "l.csv").unwrap_err().to_string();
        assert!(err.contains("at least the columns id, country and full_name"), "{err}");
        let err = parse(&format!("{head},A B,NL,\n"), "l.csv").unwrap_err().to_string();
        assert_eq!(err, "record on line 2: id is missing: l.csv");
    }
}
