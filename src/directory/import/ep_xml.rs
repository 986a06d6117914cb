//! The EP full list: `https://www.europarl.europa.eu/meps/en/full-list/xml`.
//!
//! `<meps><mep><fullName/><country/><politicalGroup/><id/><nationalPoliticalGroup/></mep>…</meps>`,
//! with the country as an English name and the group as its full name.

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::directory::DirectoryError;
use crate::directory::error::line_col;

/// One `<mep>` record, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlMep {
    pub id: String,
    pub full_name: String,
    pub country: String,
    pub group: String,
    pub national_party: String,
}

/// Parses the whole list. Errors name the record (its position and id) and
/// the field.
pub fn parse(text: &str, origin: &str) -> Result<Vec<XmlMep>, DirectoryError> {
    let mut reader = Reader::from_str(text);
    let mut meps = Vec::new();
    let mut current: Option<XmlMep> = None;
    let mut field: Option<String> = None;
    let mut value = String::new();
    let mut depth = 0usize;
    let mut saw_root = false;
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| {
            let (line, col) = line_col(text, at);
            DirectoryError::malformed(origin, format!("line {line}, column {col}"), e)
        })?;
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_owned();
                depth += 1;
                match (depth, name.as_str()) {
                    (1, "meps") => saw_root = true,
                    (1, other) => return Err(wrong_kind(origin, &format!("an XML file with <{other}> at its root"))),
                    (2, "mep") => current = Some(XmlMep::default()),
                    (3, _) => {
                        field = Some(name);
                        value.clear();
                    }
                    _ => {}
                }
            }
            Event::Text(t) if field.is_some() => value.push_str(&t.xml10_content()),
            Event::CData(t) if field.is_some() => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if field.is_some() => {
                let Some(ch) = resolve_entity(&r) else {
                    let (line, col) = line_col(text, at);
                    return Err(DirectoryError::malformed(
                        origin,
                        format!("line {line}, column {col}"),
                        format!("unknown entity &{};", &*r),
                    ));
                };
                value.push_str(&ch);
            }
            Event::End(_) => {
                if depth == 3
                    && let (Some(mep), Some(name)) = (current.as_mut(), field.take())
                {
                    set_field(mep, &name, value.trim());
                }
                if depth == 2
                    && let Some(mep) = current.take()
                {
                    meps.push(check(mep, meps.len() + 1, origin)?);
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof if depth > 0 => {
                let (line, col) = line_col(text, text.len());
                return Err(DirectoryError::malformed(
                    origin,
                    format!("line {line}, column {col}"),
                    format!(
                        "the file ends after {} records, inside an open element (it may have been cut off)",
                        meps.len()
                    ),
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        let found = if text.trim_start().starts_with('{') || text.trim_start().starts_with('[') {
            "a JSON file"
        } else {
            "a file with no <meps> list"
        };
        return Err(wrong_kind(origin, found));
    }
    Ok(meps)
}

fn wrong_kind(origin: &str, found: &str) -> DirectoryError {
    DirectoryError::WrongKind {
        expected: "The European Parliament's MEP list (XML with <meps> at its root)",
        found: found.to_owned(),
        origin: origin.to_owned(),
    }
}

fn set_field(mep: &mut XmlMep, name: &str, value: &str) {
    let slot = match name {
        "id" => &mut mep.id,
        "fullName" => &mut mep.full_name,
        "country" => &mut mep.country,
        "politicalGroup" => &mut mep.group,
        "nationalPoliticalGroup" => &mut mep.national_party,
        _ => return,
    };
    value.clone_into(slot);
}

fn check(mep: XmlMep, position: usize, origin: &str) -> Result<XmlMep, DirectoryError> {
    let record = if mep.id.is_empty() {
        format!("{position} (<mep> number {position})")
    } else {
        format!("{} (<mep> number {position})", mep.id)
    };
    for (field, value) in [
        ("<id>", &mep.id),
        ("<fullName>", &mep.full_name),
        ("<country>", &mep.country),
    ] {
        if value.is_empty() {
            return Err(DirectoryError::missing(origin, &record, field));
        }
    }
    if !mep.id.chars().all(|c| c.is_ascii_digit()) {
        return Err(DirectoryError::field(
            origin,
            &record,
            "<id>",
            format!("is \"{}\", not a number", mep.id),
        ));
    }
    Ok(mep)
}

/// `amp` → `&`, `#233` → `é`, `#xE9` → `é`.
fn resolve_entity(name: &str) -> Option<String> {
    let ch = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some(ch.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><meps><mep><fullName>Kim VAN SPARRENTAK</fullName><country>Netherlands</country><politicalGroup>Group of the Greens/European Free Alliance</politicalGroup><id>197769</id><nationalPoliticalGroup>GroenLinks</nationalPoliticalGroup></mep><mep><fullName>Elio DI RUPO</fullName><country>Belgium</country><politicalGroup>Group of the Progressive Alliance of Socialists and Democrats in the European Parliament</politicalGroup><id>1294</id><nationalPoliticalGroup>Parti socialiste &amp; co &#233;</nationalPoliticalGroup></mep></meps>"#;

    #[test]
    fn parses_records_and_entities() {
        let meps = parse(TWO, "t.xml").unwrap();
        assert_eq!(meps.len(), 2);
        assert_eq!(meps[0].full_name, "Kim VAN SPARRENTAK");
        assert_eq!(meps[1].id, "1294");
        assert_eq!(meps[1].national_party, "Parti socialiste & co é");
    }

    #[test]
    fn missing_field_names_record_and_field() {
        let bad = TWO.replace("<country>Belgium</country>", "");
        let err = parse(&bad, "t.xml").unwrap_err().to_string();
        assert_eq!(err, "record 1294 (<mep> number 2): <country> is missing: t.xml");
    }

    #[test]
    fn broken_xml_gives_line_and_column() {
        let bad = "<meps>\n<mep><id>1</id><fullName>A B</fullName><country>Malta</country></mep>\n<mep><fullName>X</fullNam></mep></meps>";
        let err = parse(bad, "t.xml").unwrap_err().to_string();
        assert!(err.starts_with("the file is damaged at line 3"), "{err}");
        assert!(err.ends_with(": t.xml"), "{err}");
    }

    #[test]
    fn cut_off_file_is_damaged() {
        let err = parse(&TWO[..TWO.rfind("</mep>").unwrap()], "t.xml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("ends after 1 records, inside an open element"), "{err}");
    }

    #[test]
    fn foreign_files_are_named_as_such() {
        let err = parse("<html><body/></html>", "page.xml").unwrap_err().to_string();
        assert!(err.contains("looks like an XML file with <html> at its root"), "{err}");
        let err = parse("{\"meps\": []}", "x.json").unwrap_err().to_string();
        assert!(err.contains("looks like a JSON file"), "{err}");
    }

    #[test]
    fn non_numeric_id_is_rejected() {
        let bad = TWO.replace("<id>1294</id>", "<id>12a</id>");
        let err = parse(&bad, "t.xml").unwrap_err().to_string();
        assert!(err.contains("<id> is \"12a\", not a number"), "{err}");
    }
}
