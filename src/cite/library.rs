//! Bibliographies: CSL-JSON (Zotero's export), BibLaTeX/BibTeX and hayagriva
//! YAML, all held as CSL-JSON items so that one citation engine formats them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hayagriva::citationberg::json::Item;
use serde_json::{Map, Value, json};

/// A problem with a bibliography file.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("could not read the bibliography ({source}): {origin}")]
    Read {
        origin: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the bibliography is damaged at {location}: {message}: {origin}")]
    Malformed {
        location: String,
        message: String,
        origin: String,
    },
    #[error("entry {entry}: {problem}: {origin}")]
    Entry {
        entry: String,
        problem: String,
        origin: String,
    },
    #[error(
        "the source key \"{key}\" is defined twice (in {first} and {origin}); give one of them another key: {origin}"
    )]
    Duplicate { key: String, first: String, origin: String },
}

/// Every source a campaign may cite, by key.
#[derive(Debug, Clone, Default)]
pub struct Library {
    items: Vec<Item>,
    index: HashMap<String, usize>,
    origins: Vec<String>,
    /// Differs between libraries read or changed at different times (0 for
    /// an empty one), so that work derived from a library can tell whether
    /// it is still current.
    revision: u64,
}

/// The last revision given to a library.
static REVISIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Library {
    /// Loads and merges bibliography files; the format is chosen by the file
    /// name (`.json`, `.bib`, `.yaml`/`.yml`).
    pub fn load(paths: &[PathBuf]) -> Result<Self, LibraryError> {
        let mut lib = Library::default();
        for path in paths {
            let origin = path.display().to_string();
            let limit = crate::store::limits::BIBLIOGRAPHY;
            let text = crate::store::read_bounded_text(path, limit, "the bibliography").map_err(|source| {
                LibraryError::Read {
                    origin: origin.clone(),
                    source,
                }
            })?;
            lib.add_text(&text, &origin, format_of(path))?;
        }
        Ok(lib)
    }

    /// Adds the entries of one file's text.
    pub fn add_text(&mut self, text: &str, origin: &str, format: Format) -> Result<(), LibraryError> {
        let items = match format {
            Format::CslJson => parse_csl_json(text, origin)?,
            Format::BibLatex => parse_biblatex(text, origin)?,
            Format::Yaml => parse_yaml(text, origin)?,
        };
        for item in items {
            let key = item.id().map(std::borrow::Cow::into_owned).unwrap_or_default();
            if let Some(&i) = self.index.get(&key) {
                return Err(LibraryError::Duplicate {
                    key,
                    first: self.origins[i].clone(),
                    origin: origin.to_owned(),
                });
            }
            self.index.insert(key, self.items.len());
            self.items.push(item);
            self.origins.push(origin.to_owned());
        }
        self.revision = REVISIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        Ok(())
    }

    /// Which reading of the bibliography this is: a library read again, or
    /// added to, has another revision.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn get(&self, key: &str) -> Option<&Item> {
        self.index.get(key).map(|&i| &self.items[i])
    }

    /// Every key, in file order.
    pub fn keys(&self) -> impl Iterator<Item = String> + '_ {
        self.items
            .iter()
            .filter_map(|i| i.id().map(std::borrow::Cow::into_owned))
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// A source's title, for pickers and messages.
    pub fn title(&self, key: &str) -> Option<String> {
        let item = self.get(key)?;
        item.0
            .get("title")
            .and_then(hayagriva::citationberg::json::Value::to_str)
            .map(std::borrow::Cow::into_owned)
    }

    /// The keys closest to `key` (for "did you mean …?"), best first.
    pub fn closest(&self, key: &str, n: usize) -> Vec<String> {
        let lower = key.to_lowercase();
        let mut scored: Vec<(f64, String)> = self
            .keys()
            .map(|k| (strsim::jaro_winkler(&lower, &k.to_lowercase()), k))
            .filter(|(score, _)| *score > 0.8)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        scored.into_iter().take(n).map(|(_, k)| k).collect()
    }
}

/// A bibliography file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    CslJson,
    BibLatex,
    Yaml,
}

/// The format a file name suggests (CSL-JSON when unsure).
pub fn format_of(path: &Path) -> Format {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("bib" | "bibtex" | "biblatex") => Format::BibLatex,
        Some("yaml" | "yml") => Format::Yaml,
        _ => Format::CslJson,
    }
}

fn parse_csl_json(text: &str, origin: &str) -> Result<Vec<Item>, LibraryError> {
    let value: Value = serde_json::from_str(text).map_err(|e| LibraryError::Malformed {
        location: format!("line {}, column {}", e.line(), e.column()),
        message: e.to_string().split(" at line ").next().unwrap_or_default().to_owned(),
        origin: origin.to_owned(),
    })?;
    let Value::Array(list) = value else {
        return Err(LibraryError::Malformed {
            location: "the top level".into(),
            message: "a CSL-JSON bibliography is a list of entries ([ … ])".into(),
            origin: origin.to_owned(),
        });
    };
    list.into_iter()
        .enumerate()
        .map(|(i, v)| {
            let entry = v.get("id").map_or_else(
                || format!("number {}", i + 1),
                |id| id.to_string().trim_matches('"').to_owned(),
            );
            if !v.get("id").is_some_and(|id| id.is_string() || id.is_number()) {
                return Err(LibraryError::Entry {
                    entry,
                    problem: "has no \"id\" (the key you cite it by)".into(),
                    origin: origin.to_owned(),
                });
            }
            if v.get("type").and_then(Value::as_str).is_none() {
                return Err(LibraryError::Entry {
                    entry,
                    problem: "has no \"type\" (book, report, legislation, webpage, …)".into(),
                    origin: origin.to_owned(),
                });
            }
            let mut v = v;
            if let Some(id) = v.get("id").filter(|id| id.is_number()).map(ToString::to_string) {
                v["id"] = Value::String(id);
            }
            // Zotero writes a field left blank as "" ("page": ""); like
            // citeproc-js, take it as absent, or a style prints its label
            // and delimiter before nothing ("p. .").
            if let Value::Object(fields) = &mut v {
                fields.retain(|_, value| value.as_str().is_none_or(|s| !s.trim().is_empty()));
            }
            serde_json::from_value::<Item>(v).map_err(|e| LibraryError::Entry {
                entry,
                problem: e.to_string(),
                origin: origin.to_owned(),
            })
        })
        .collect()
}

fn parse_biblatex(text: &str, origin: &str) -> Result<Vec<Item>, LibraryError> {
    // The BibLaTeX parser resolves @string abbreviations recursively: one
    // that refers to itself would never end (the stack overflows).
    if let Err((at, message)) = check_strings(text) {
        let (line, col) = crate::util::line_col(text, at);
        return Err(LibraryError::Malformed {
            location: format!("line {line}, column {col}"),
            message,
            origin: origin.to_owned(),
        });
    }
    let lib = hayagriva::io::from_biblatex_str(text).map_err(|errors| {
        let first = errors.first();
        let (location, message) = first.map_or(("the file".to_owned(), "unreadable".to_owned()), |e| {
            let start = match e {
                hayagriva::io::BibLaTeXError::Parse(p) => p.span.start,
                hayagriva::io::BibLaTeXError::Type(t) => t.span.start,
            };
            let (line, col) = crate::util::line_col(text, start);
            (format!("line {line}, column {col}"), e.to_string())
        });
        LibraryError::Malformed {
            location,
            message,
            origin: origin.to_owned(),
        }
    })?;
    lib.iter().map(|e| entry_to_csl(e, origin)).collect()
}

/// How many @string abbreviations may refer one to the next.
const MAX_STRING_CHAIN: usize = 64;

/// The @string abbreviations of a BibLaTeX file: none may refer to itself,
/// directly or through others, and chains stay short. Returns where the
/// first problem is, and what it is.
fn check_strings(text: &str) -> Result<(), (usize, String)> {
    let defs = string_definitions(text);
    let names: HashMap<&str, usize> = defs.iter().enumerate().map(|(i, d)| (d.0.as_str(), i)).collect();
    let mut known = HashMap::new();
    for i in 0..defs.len() {
        string_depth(i, &defs, &names, &mut Vec::new(), &mut known)?;
    }
    Ok(())
}

/// How deep abbreviation `i` refers to others; depth-first, with the
/// chain so far: a name met again is a loop.
fn string_depth(
    i: usize,
    defs: &[(String, usize, Vec<String>)],
    names: &HashMap<&str, usize>,
    chain: &mut Vec<usize>,
    known: &mut HashMap<usize, usize>,
) -> Result<usize, (usize, String)> {
    if let Some(d) = known.get(&i) {
        return Ok(*d);
    }
    if let Some(start) = chain.iter().position(|&c| c == i) {
        let mut names_in_loop: Vec<&str> = chain[start..].iter().map(|&c| defs[c].0.as_str()).collect();
        names_in_loop.push(&defs[i].0);
        return Err((
            defs[chain[start]].1,
            format!(
                "the @string abbreviation \"{}\" refers to itself ({}); give it a text of its own",
                defs[i].0,
                names_in_loop.join(" → ")
            ),
        ));
    }
    if chain.len() >= MAX_STRING_CHAIN {
        return Err((
            defs[i].1,
            format!("more than {MAX_STRING_CHAIN} @string abbreviations refer one to the next; write the text out"),
        ));
    }
    chain.push(i);
    let mut deepest = 0;
    for used in &defs[i].2 {
        if let Some(&j) = names.get(used.as_str()) {
            deepest = deepest.max(string_depth(j, defs, names, chain, known)? + 1);
        }
    }
    chain.pop();
    known.insert(i, deepest);
    Ok(deepest)
}

/// Every `@string{name = value # value …}`: its name (lower case), where it
/// starts, and the abbreviations its value uses.
fn string_definitions(text: &str) -> Vec<(String, usize, Vec<String>)> {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (at, _) in lower.match_indices("@string") {
        let mut i = at + "@string".len();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let close = match bytes.get(i) {
            Some(b'{') => b'}',
            Some(b'(') => b')',
            _ => continue,
        };
        i += 1;
        let mut name = String::new();
        let mut uses = Vec::new();
        let mut in_value = false;
        while i < bytes.len() && bytes[i] != close {
            match bytes[i] {
                b'"' | b'{' => i = skip_literal(bytes, i),
                b'=' => {
                    in_value = true;
                    i += 1;
                }
                b',' => {
                    // Several definitions in one @string.
                    if !name.is_empty() {
                        out.push((std::mem::take(&mut name), at, std::mem::take(&mut uses)));
                    }
                    in_value = false;
                    i += 1;
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let start = i;
                    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || b"_-:.".contains(&bytes[i])) {
                        i += 1;
                    }
                    let word = text[start..i].to_ascii_lowercase();
                    if in_value {
                        uses.push(word);
                    } else {
                        name = word;
                    }
                }
                _ => i += 1,
            }
        }
        if !name.is_empty() {
            out.push((name, at, uses));
        }
    }
    out
}

/// The index just past a quoted or braced literal starting at `i`.
fn skip_literal(bytes: &[u8], mut i: usize) -> usize {
    let quoted = bytes[i] == b'"';
    let mut depth = 0usize;
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' if depth == 0 => return i + 1,
            b'}' => depth -= 1,
            b'"' if quoted && depth == 0 => return i + 1,
            b'\\' => i += 1,
            _ => {}
        }
        i += 1;
    }
    i
}

fn parse_yaml(text: &str, origin: &str) -> Result<Vec<Item>, LibraryError> {
    let lib = hayagriva::io::from_yaml_str(text).map_err(|e| LibraryError::Malformed {
        location: e.location().map_or_else(
            || "the file".to_owned(),
            |l| format!("line {}, column {}", l.line(), l.column()),
        ),
        message: e.to_string(),
        origin: origin.to_owned(),
    })?;
    lib.iter().map(|e| entry_to_csl(e, origin)).collect()
}

/// Converts a hayagriva entry (from BibLaTeX or YAML) to a CSL-JSON item by
/// way of its serialised fields.
fn entry_to_csl(entry: &hayagriva::Entry, origin: &str) -> Result<Item, LibraryError> {
    let fields = serde_json::to_value(entry).map_err(|e| LibraryError::Entry {
        entry: entry.key().to_owned(),
        problem: e.to_string(),
        origin: origin.to_owned(),
    })?;
    let mut out = Map::new();
    out.insert("id".into(), json!(entry.key()));
    let kind = fields
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("misc")
        .to_lowercase();
    let parent = fields.get("parent").map(|p| match p {
        Value::Array(a) => a.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    });
    let parent_kind = parent
        .as_ref()
        .and_then(|p| p.get("type"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_lowercase();
    let csl_type = csl_type(&kind, &parent_kind);
    out.insert("type".into(), json!(csl_type));
    copy_text(&fields, "title", &mut out, "title");
    if let Some(p) = &parent {
        copy_text(p, "title", &mut out, "container-title");
        copy_text(p, "publisher", &mut out, "publisher");
        copy_text(p, "volume", &mut out, "volume");
        copy_text(p, "issue", &mut out, "issue");
    }
    for (from, to) in [
        ("publisher", "publisher"),
        ("organization", "publisher"),
        ("location", "publisher-place"),
        ("volume", "volume"),
        ("issue", "issue"),
        ("edition", "edition"),
        ("page-range", "page"),
        ("note", "note"),
        ("genre", "genre"),
        ("language", "language"),
    ] {
        if !out.contains_key(to) {
            copy_text(&fields, from, &mut out, to);
        }
    }
    for (from, to) in [("author", "author"), ("editor", "editor")] {
        if let Some(names) = fields.get(from) {
            out.insert(to.into(), Value::Array(names_to_csl(names)));
        }
    }
    // A year alone is serialised as a number.
    match fields.get("date") {
        Some(Value::String(date)) => {
            out.insert("issued".into(), date_to_csl(date));
        }
        Some(Value::Number(year)) => {
            out.insert("issued".into(), date_to_csl(&year.to_string()));
        }
        _ => {}
    }
    copy_url_and_serials(&fields, &mut out);
    serde_json::from_value(Value::Object(out)).map_err(|e| LibraryError::Entry {
        entry: entry.key().to_owned(),
        problem: e.to_string(),
        origin: origin.to_owned(),
    })
}

/// The CSL type of a hayagriva entry type (and its parent's, for articles).
fn csl_type(kind: &str, parent_kind: &str) -> &'static str {
    match (kind, parent_kind) {
        ("article", "periodical") => "article-journal",
        ("article", "newspaper") => "article-newspaper",
        ("article", "blog") => "post-weblog",
        ("article", _) => "article",
        ("chapter" | "anthos", _) => "chapter",
        ("book" | "anthology" | "proceedings", _) => "book",
        ("report", _) => "report",
        ("web" | "blog", _) => "webpage",
        ("thesis", _) => "thesis",
        ("legislation", _) => "legislation",
        ("case", _) => "legal_case",
        ("periodical", _) => "periodical",
        _ => "document",
    }
}

/// The URL with its accessed date, and the DOI, ISBN, ISSN or number.
fn copy_url_and_serials(fields: &Value, out: &mut Map<String, Value>) {
    match fields.get("url") {
        Some(Value::String(u)) => {
            out.insert("URL".into(), json!(u));
        }
        Some(Value::Object(u)) => {
            if let Some(v) = u.get("value") {
                out.insert("URL".into(), v.clone());
            }
            if let Some(d) = u.get("date").and_then(Value::as_str) {
                out.insert("accessed".into(), date_to_csl(d));
            }
        }
        _ => {}
    }
    if let Some(serials) = fields.get("serial-number").and_then(Value::as_object) {
        for (k, v) in serials {
            let key = match k.as_str() {
                "doi" => "DOI",
                "isbn" => "ISBN",
                "issn" => "ISSN",
                _ => "number",
            };
            out.insert(key.into(), v.clone());
        }
    }
}

fn copy_text(from: &Value, key: &str, out: &mut Map<String, Value>, to: &str) {
    let text = match from.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Object(o)) => match o.get("value") {
            Some(Value::String(s)) => s.clone(),
            _ => return,
        },
        _ => return,
    };
    out.insert(to.into(), json!(text));
}

/// hayagriva names ("Family, Given" strings or objects) → CSL names.
fn names_to_csl(names: &Value) -> Vec<Value> {
    let list = match names {
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    list.iter()
        .map(|n| match n {
            Value::String(s) => match s.split_once(", ") {
                Some((family, given)) => json!({"family": family, "given": given}),
                None => json!({"literal": s}),
            },
            Value::Object(o) => {
                let family = o.get("name").cloned().unwrap_or(Value::Null);
                match o.get("given-name") {
                    Some(g) => json!({"family": family, "given": g}),
                    None => json!({"literal": family}),
                }
            }
            other => json!({"literal": other.to_string()}),
        })
        .collect()
}

/// "2021-07-01" → {"date-parts": [[2021, 7, 1]]}.
fn date_to_csl(date: &str) -> Value {
    let parts: Vec<i64> = date.split('-').filter_map(|p| p.trim().parse().ok()).collect();
    json!({ "date-parts": [parts] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csl_json_loads_and_suggests_keys() {
        let mut lib = Library::default();
        lib.add_text(
            r#"[{"id": "aiact2024", "type": "legislation", "title": "Artificial Intelligence Act"},
                {"id": "achiume2021", "type": "report", "title": "Racial discrimination"}]"#,
            "b.json",
            Format::CslJson,
        )
        .unwrap();
        assert_eq!(lib.len(), 2);
        assert_eq!(lib.title("aiact2024").as_deref(), Some("Artificial Intelligence Act"));
        assert_eq!(lib.closest("aiact2023", 3), ["aiact2024"]);
        assert_eq!(lib.closest("achiume", 3)[0], "achiume2021");
        let err = lib
            .add_text(r#"[{"id": "aiact2024", "type": "book"}]"#, "c.json", Format::CslJson)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("\"aiact2024\" is defined twice (in b.json and c.json)")
        );
    }

    #[test]
    fn malformed_files_name_file_and_entry() {
        let mut lib = Library::default();
        let err = lib
            .add_text("[{\"id\": ", "b.json", Format::CslJson)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("the bibliography is damaged at line 1, column 8"),
            "{err}"
        );
        let err = lib
            .add_text(r#"[{"id": "x", "title": "no type"}]"#, "b.json", Format::CslJson)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "entry x: has no \"type\" (book, report, legislation, webpage, …): b.json"
        );
        let err = lib
            .add_text("@book{x, title = {A}", "b.bib", Format::BibLatex)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("the bibliography is damaged at line 1"), "{err}");
    }

    #[test]
    fn biblatex_and_yaml_become_csl_items() {
        let mut lib = Library::default();
        lib.add_text(
            "@report{fra2018, author = {{European Union Agency for Fundamental Rights}}, title = {Under watchful eyes}, \
             institution = {Publications Office of the European Union}, date = {2018}, url = {https://fra.europa.eu/}, urldate = {2026-11-01}}",
            "b.bib",
            Format::BibLatex,
        )
        .unwrap();
        lib.add_text(
            "edps2021:\n  type: report\n  title: Joint Opinion 5/2021\n  author: [\"Wiewiórowski, Wojciech\"]\n  date: 2021-06-18\n",
            "b.yaml",
            Format::Yaml,
        )
        .unwrap();
        let fra = &lib.get("fra2018").unwrap().0;
        assert_eq!(fra["type"].to_str().unwrap(), "report");
        assert_eq!(fra["title"].to_str().unwrap(), "Under watchful eyes");
        assert!(fra.contains_key("URL"), "{fra:?}");
        let edps = &lib.get("edps2021").unwrap().0;
        assert!(edps.contains_key("issued"), "{edps:?}");
        assert!(edps.contains_key("author"), "{edps:?}");
    }

    #[test]
    fn a_string_abbreviation_that_refers_to_itself_is_refused_not_a_crash() {
        for (text, words) in [
            (
                "@string{a = a}\n@book{k, title = a, author = {X}, year = 2020}\n",
                "\"a\" refers to itself (a → a)",
            ),
            (
                "@string{a = b}\n@STRING(b = \"x\" # a)\n@book{k, title = a, year = 2020}\n",
                "refers to itself",
            ),
        ] {
            let err = parse_biblatex(text, "loop.bib").unwrap_err().to_string();
            assert!(err.contains(words) && err.contains("line 1"), "{err}");
        }
        let mut chain = String::new();
        for i in 0..100 {
            chain.push_str(&format!("@string{{s{i} = s{}}}\n", i + 1));
        }
        chain.push_str("@string{s100 = \"end\"}\n@book{k, title = s0, year = 2020}\n");
        let err = parse_biblatex(&chain, "chain.bib").unwrap_err().to_string();
        assert!(err.contains("more than 64"), "{err}");
        // Abbreviations used as they should be still work, with braces and
        // quotes holding words that look like names.
        let fine = "@string{jan = \"January\"}\n@string{eu = {European {Union} = a}}\n@book{k, title = eu # \" report\", month = jan, author = {X}, year = 2020}\n";
        let items = parse_biblatex(fine, "fine.bib").unwrap();
        assert_eq!(items.len(), 1);
    }
}
