//! A running Zotero's local API: searching the user's library and adding
//! the chosen items to a campaign's CSL-JSON bibliography.
//!
//! Zotero 7 serves a read-only copy of its Web API v3 at
//! `http://localhost:23119/api/` once "Allow other applications on this
//! computer to communicate with Zotero" is ticked (Settings → Advanced);
//! without it every request is answered 403. A search is
//! `GET users/0/items/top?q=…&format=csljson&limit=…`, answered with
//! `{"items": [CSL-JSON item, …]}`, each item's `id` being
//! `libraryID/itemKey`. Nothing is ever written to Zotero.

use std::path::Path;
use std::time::Duration;

use serde_json::{Map, Value};

use super::Library;

/// Where Zotero 7 listens, on every platform.
pub const LOCAL_API: &str = "http://localhost:23119/api/";

/// The variable that points Hemicycle at another Zotero API (tests).
pub const URL_ENV: &str = "HEMICYCLE_ZOTERO_URL";

/// The API's root: `HEMICYCLE_ZOTERO_URL` when it is set, else Zotero 7's
/// own. The one place the variable is read (the CLI and the app ask here).
pub fn url_from_env() -> String {
    std::env::var(URL_ENV).unwrap_or_else(|_| LOCAL_API.to_owned())
}

/// How to turn the local API on, in Zotero's own words.
const TURN_ON: &str = "in Zotero 7, open Settings → Advanced and tick \"Allow other applications on this computer to communicate with Zotero\"";

/// At most this many items come back from one search.
pub const SEARCH_LIMIT: usize = 50;

#[derive(Debug, thiserror::Error)]
pub enum ZoteroError {
    #[error("Zotero is not running, or its local API is off: start Zotero and, {TURN_ON} ({reason}): {url}")]
    Unreachable { reason: String, url: String },
    #[error("Zotero is running but its local API is off: {TURN_ON}, then search again: {url}")]
    Off { url: String },
    #[error(
        "Zotero refused the search (HTTP {status}: {message}); Hemicycle may need an update for this version of Zotero: {url}"
    )]
    Refused { status: u16, message: String, url: String },
    #[error("Zotero's answer is not the list of items Hemicycle expects ({message}): {url}")]
    Answer { message: String, url: String },
    #[error(
        "the bibliography file to add to is not a CSL-JSON list of items ({message}); choose another file: {origin}"
    )]
    Target { message: String, origin: String },
    #[error("the sources could not be written ({message}): {origin}")]
    Write { message: String, origin: String },
    #[error(
        "Zotero did not answer within {seconds} s; it may be busy (a large library, a sync): wait, then search again: {url}"
    )]
    Timeout { seconds: u64, url: String },
    #[error(
        "Zotero's item \"{title}\" cannot be read by Hemicycle (its field \"{field}\": {problem}); nothing was added to {origin}: correct the item in Zotero, or leave it out with --pick"
    )]
    Unreadable {
        title: String,
        field: String,
        problem: String,
        origin: String,
    },
}

/// How long a search waits for Zotero's answer.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// One item found in Zotero, as CSL-JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub csl: Map<String, Value>,
}

impl Found {
    /// "Author (Year). Title", for the list the user chooses from.
    pub fn summary(&self) -> String {
        let title = self.csl.get("title").and_then(Value::as_str).unwrap_or("(no title)");
        let author = first_name(&self.csl).unwrap_or_default();
        let year = year(&self.csl).map(|y| format!(" ({y})")).unwrap_or_default();
        if author.is_empty() {
            format!("{title}{year}")
        } else {
            format!("{author}{year}. {title}")
        }
    }

    /// Zotero's own id of the item ("1/ABCD2345").
    pub fn zotero_id(&self) -> Option<&str> {
        self.csl.get("id").and_then(Value::as_str)
    }
}

/// The local API of a running Zotero (or a test's server in its shape).
pub struct Zotero {
    base: String,
    agent: ureq::Agent,
    timeout: Duration,
}

impl Zotero {
    /// `base` is the API's root, e.g. [`LOCAL_API`].
    pub fn new(base: &str) -> Self {
        Self::with_timeout(base, TIMEOUT)
    }

    /// Like [`Zotero::new`], waiting at most `timeout` for an answer.
    pub fn with_timeout(base: &str, timeout: Duration) -> Self {
        let agent = crate::util::http_agent(timeout);
        Self {
            base: format!("{}/", base.trim_end_matches('/')),
            agent,
            timeout,
        }
    }

    /// The API's root given by `HEMICYCLE_ZOTERO_URL`, or Zotero's own.
    pub fn from_env() -> Self {
        Self::new(&url_from_env())
    }

    /// The items of the user's library whose title, creators or year match
    /// `query` (Zotero's quick search), as CSL-JSON.
    pub fn search(&self, query: &str) -> Result<Vec<Found>, ZoteroError> {
        let url = format!("{}users/0/items/top", self.base);
        let limit = SEARCH_LIMIT.to_string();
        let outcome = self
            .agent
            .get(&url)
            .header("Zotero-API-Version", "3")
            .query("q", query.trim())
            .query("qmode", "titleCreatorYear")
            .query("itemType", "-attachment")
            .query("format", "csljson")
            .query("limit", &limit)
            .call();
        let mut response = match outcome {
            Ok(r) => r,
            Err(ureq::Error::Timeout(_)) => {
                return Err(ZoteroError::Timeout {
                    seconds: self.timeout.as_secs().max(1),
                    url,
                });
            }
            Err(e) => {
                return Err(ZoteroError::Unreachable {
                    reason: e.to_string(),
                    url,
                });
            }
        };
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(32 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| match e {
                ureq::Error::Timeout(_) => ZoteroError::Timeout {
                    seconds: self.timeout.as_secs().max(1),
                    url: url.clone(),
                },
                e => ZoteroError::Answer {
                    message: format!("it broke off ({e})"),
                    url: url.clone(),
                },
            })?;
        match status {
            200 => parse_items(&body).map_err(|message| ZoteroError::Answer { message, url }),
            403 => Err(ZoteroError::Off { url }),
            _ => Err(ZoteroError::Refused {
                status,
                message: body.lines().next().unwrap_or_default().chars().take(200).collect(),
                url,
            }),
        }
    }
}

/// The items of a `format=csljson` answer: `{"items": […]}` (or a bare list).
pub fn parse_items(body: &str) -> Result<Vec<Found>, String> {
    let value: Value = serde_json::from_str(body).map_err(|e| format!("not JSON: {e}"))?;
    let list = match value {
        Value::Object(mut o) => match o.remove("items") {
            Some(Value::Array(list)) => list,
            _ => return Err("there is no \"items\" list".to_owned()),
        },
        Value::Array(list) => list,
        _ => return Err("neither a list nor an object with \"items\"".to_owned()),
    };
    list.into_iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::Object(csl) if csl.get("type").is_some_and(Value::is_string) => Ok(Found { csl }),
            _ => Err(format!("item {} has no CSL type", i + 1)),
        })
        .collect()
}

/// Adds `items` to the CSL-JSON file `file` (made if it does not exist),
/// each under a citation key of its own: Zotero's "Citation Key" field
/// when it has one and it is free, else the first author's name and the
/// year ("amnesty2023", then "amnesty2023a"). An item whose Zotero id is
/// already in the file is not added twice. `library` is the campaign's
/// bibliography, whose keys are taken too. The file is written atomically.
/// Returns the keys of the items added, in order.
pub fn add_to_file(file: &Path, items: &[Found], library: &Library) -> Result<Vec<String>, ZoteroError> {
    let origin = file.display().to_string();
    let read = crate::store::read_bounded_text(file, crate::store::limits::BIBLIOGRAPHY, "the bibliography");
    let mut list: Vec<Value> = match read {
        Ok(text) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Array(list)) => list,
            Ok(_) => {
                return Err(ZoteroError::Target {
                    message: "it holds JSON, but not a list".to_owned(),
                    origin,
                });
            }
            Err(e) => {
                return Err(ZoteroError::Target {
                    message: e.to_string(),
                    origin,
                });
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            return Err(ZoteroError::Target {
                message: e.to_string(),
                origin,
            });
        }
    };
    let mut taken: std::collections::HashSet<String> = library.keys().collect();
    let mut in_file: std::collections::HashSet<String> = std::collections::HashSet::new();
    for v in &list {
        if let Some(id) = v.get("id").and_then(Value::as_str) {
            taken.insert(id.to_owned());
        }
        if let Some(z) = v.get(ZOTERO_ID).and_then(Value::as_str) {
            in_file.insert(z.to_owned());
        }
    }
    let mut added = Vec::new();
    for found in items {
        let zotero_id = found.zotero_id().unwrap_or_default().to_owned();
        if !zotero_id.is_empty() && !in_file.insert(zotero_id.clone()) {
            continue;
        }
        let key = free_key(&key_for(&found.csl), &taken);
        taken.insert(key.clone());
        let mut csl = found.csl.clone();
        csl.insert("id".to_owned(), Value::String(key.clone()));
        if !zotero_id.is_empty() {
            csl.insert(ZOTERO_ID.to_owned(), Value::String(zotero_id));
        }
        list.push(Value::Object(csl));
        added.push(key);
    }
    let text = serde_json::to_string_pretty(&list).map_err(|e| ZoteroError::Write {
        message: e.to_string(),
        origin: origin.clone(),
    })?;
    // Read back as the campaign will read it, before anything is written.
    let mut check = Library::default();
    if let Err(e) = check.add_text(&text, &origin, super::library::Format::CslJson) {
        let added_items = &list[list.len() - added.len()..];
        return Err(unreadable(added_items, &origin).unwrap_or_else(|| ZoteroError::Target {
            message: e.to_string(),
            origin,
        }));
    }
    crate::store::write_atomic(file, format!("{text}\n").as_bytes(), "the bibliography").map_err(|e| {
        ZoteroError::Write {
            message: e.to_string(),
            origin,
        }
    })?;
    Ok(added)
}

/// Which of `items` Hemicycle cannot read, and which field is why: the
/// first item that does not read alone, and the first field without which
/// it does.
fn unreadable(items: &[Value], origin: &str) -> Option<ZoteroError> {
    let reads = |item: &Value| {
        Library::default()
            .add_text(
                &Value::Array(vec![item.clone()]).to_string(),
                origin,
                super::library::Format::CslJson,
            )
            .err()
    };
    items.iter().find_map(|item| {
        let problem = reads(item)?;
        let Value::Object(fields) = item else { return None };
        let field = fields.keys().find(|k| {
            let mut without = fields.clone();
            without.remove(*k);
            reads(&Value::Object(without)).is_none()
        });
        Some(ZoteroError::Unreadable {
            title: item
                .get("title")
                .and_then(Value::as_str)
                .unwrap_or("(no title)")
                .to_owned(),
            field: field.cloned().unwrap_or_else(|| "(several)".to_owned()),
            problem: problem.to_string(),
            origin: origin.to_owned(),
        })
    })
}

/// Where an added item keeps Zotero's id, so that it is not added twice
/// (CSL processors leave fields they do not know alone).
const ZOTERO_ID: &str = "zotero-id";

/// The key an item asks for: its citation key, or author and year.
fn key_for(csl: &Map<String, Value>) -> String {
    if let Some(key) = csl.get("citation-key").and_then(Value::as_str).map(safe_key)
        && !key.is_empty()
    {
        return key;
    }
    let name = first_name(csl)
        .and_then(|n| n.split_whitespace().next().map(str::to_owned))
        .or_else(|| {
            csl.get("title")
                .and_then(Value::as_str)
                .and_then(|t| t.split_whitespace().next().map(str::to_owned))
        })
        .unwrap_or_else(|| "source".to_owned());
    let word = crate::util::slug(&name).replace('-', "");
    let word = if word.is_empty() { "source".to_owned() } else { word };
    format!("{word}{}", year(csl).unwrap_or_default())
}

/// A citation key as pandoc's syntax reads it whole (`[@key]`): letters,
/// digits and `_`, with `:.#$%&-+?<>~/` only inside; anything else (a
/// space, `]`, `;`, `@`, a control character) becomes `-`, runs of `-` one.
/// A key from Zotero such as `x]; [@y` would otherwise cite something else.
pub fn safe_key(key: &str) -> String {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::new();
    for c in key.chars() {
        let c = if word(c) || ":.#$%&-+?<>~/".contains(c) { c } else { '-' };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_matches(|c: char| !word(c)).to_owned()
}

/// `wanted`, or with the first free letter after it ("2023a", "2023b"…),
/// or a number once the letters run out.
fn free_key(wanted: &str, taken: &std::collections::HashSet<String>) -> String {
    if !taken.contains(wanted) {
        return wanted.to_owned();
    }
    // `taken` is finite, so one of its length + 27 candidates is free.
    ('a'..='z')
        .map(|c| format!("{wanted}{c}"))
        .chain((2..taken.len() + 3).map(|n| format!("{wanted}-{n}")))
        .find(|k| !taken.contains(k))
        .unwrap_or_else(|| wanted.to_owned())
}

/// The first author's (or editor's) family name or literal name.
fn first_name(csl: &Map<String, Value>) -> Option<String> {
    ["author", "editor", "authority"].iter().find_map(|role| {
        let first = csl.get(*role)?.as_array()?.first()?;
        first
            .get("family")
            .or_else(|| first.get("literal"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    })
}

/// The year of `issued`: its first date part, or a raw date's first four digits.
fn year(csl: &Map<String, Value>) -> Option<String> {
    let issued = csl.get("issued")?;
    let part = issued.get("date-parts").and_then(|p| p.get(0)).and_then(|p| p.get(0));
    match part {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) => Some(s.clone()),
        _ => issued
            .get("raw")
            .and_then(Value::as_str)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 4))
            .map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(json: &str) -> Found {
        let Value::Object(csl) = serde_json::from_str(json).unwrap() else {
            panic!("not an object")
        };
        Found { csl }
    }

    #[test]
    fn answers_in_the_web_api_shape_are_read() {
        let items = parse_items(
            r#"{"items": [{"id": "1/ABCD2345", "type": "report", "title": "T", "author": [{"literal": "Amnesty International"}], "issued": {"date-parts": [["2023", 5]]}}]}"#,
        )
        .unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].summary(), "Amnesty International (2023). T");
        assert_eq!(items[0].zotero_id(), Some("1/ABCD2345"));
        assert!(
            parse_items(r#"{"items": [{"id": "1/X"}]}"#)
                .unwrap_err()
                .contains("item 1")
        );
        assert!(parse_items("<html>").unwrap_err().starts_with("not JSON"));
    }

    #[test]
    fn keys_are_citation_keys_or_author_and_year_and_never_clash() {
        let taken: std::collections::HashSet<String> = ["amnesty2023".to_owned()].into();
        let a = found(
            r#"{"type": "report", "author": [{"literal": "Amnesty International"}], "issued": {"date-parts": [[2023]]}}"#,
        );
        assert_eq!(free_key(&key_for(&a.csl), &taken), "amnesty2023a");
        let b = found(
            r#"{"type": "book", "citation-key": "oneil2016", "author": [{"family": "O'Neil", "given": "Cathy"}]}"#,
        );
        assert_eq!(key_for(&b.csl), "oneil2016");
        let c = found(
            r#"{"type": "article", "author": [{"family": "Müller", "given": "A."}], "issued": {"raw": "March 2021"}}"#,
        );
        assert_eq!(key_for(&c.csl), "muller2021");
        let d = found(r#"{"type": "webpage", "title": "Charter of rights"}"#);
        assert_eq!(key_for(&d.csl), "charter");
    }

    #[test]
    fn items_join_a_file_once_with_their_keys() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c-zotero.json");
        let items = parse_items(
            r#"{"items": [
                {"id": "1/AAAA1111", "type": "report", "title": "One", "author": [{"literal": "PICUM"}], "issued": {"date-parts": [["2023"]]}},
                {"id": "1/BBBB2222", "type": "report", "title": "Two", "author": [{"literal": "PICUM"}], "issued": {"date-parts": [["2023"]]}}
            ]}"#,
        )
        .unwrap();
        let keys = add_to_file(&file, &items, &Library::default()).unwrap();
        assert_eq!(keys, ["picum2023", "picum2023a"]);
        // Added again: nothing new.
        assert!(add_to_file(&file, &items, &Library::default()).unwrap().is_empty());
        let lib = Library::load(std::slice::from_ref(&file)).unwrap();
        assert_eq!(lib.title("picum2023a").as_deref(), Some("Two"));
        std::fs::write(&file, "{\"not\": \"a list\"}").unwrap();
        let err = add_to_file(&file, &items, &Library::default()).unwrap_err().to_string();
        assert!(
            err.contains("not a CSL-JSON list") && err.ends_with("c-zotero.json"),
            "{err}"
        );
    }
}
