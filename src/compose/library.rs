//! The demand-set library: the demand sets that come with Hemicycle and
//! those in the user's demand-set folder, with what each holds (demands,
//! tags, sources cited), searchable by text and tag.

use std::path::{Path, PathBuf};

use crate::campaign::DemandSet;
use crate::cite::{Library, syntax};
use crate::directory::query::fold;

/// One demand set in the library.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    pub set: DemandSet,
    /// Whether it came with Hemicycle (else it is the user's).
    pub bundled: bool,
    /// Distinct sources its demands cite.
    pub sources_cited: usize,
    /// Every tag of the set and of its demands, once each, sorted.
    pub tags: Vec<String>,
}

impl Entry {
    /// Whether the set matches a free-text search (title, description, id,
    /// demands' titles and text; case and accents ignored) and a tag.
    pub fn matches(&self, text: &str, tag: Option<&str>) -> bool {
        if let Some(tag) = tag
            && !self.tags.iter().any(|t| fold(t) == fold(tag))
        {
            return false;
        }
        let words: Vec<String> = text.split_whitespace().map(fold).collect();
        if words.is_empty() {
            return true;
        }
        let s = &self.set;
        let mut haystack = format!("{} {} {} {}", s.id, s.title, s.description, self.tags.join(" "));
        for d in &s.demands {
            haystack.push(' ');
            haystack.push_str(&d.title);
            haystack.push(' ');
            haystack.push_str(&d.body);
        }
        let haystack = fold(&haystack);
        words.iter().all(|w| haystack.contains(w.as_str()))
    }
}

/// Reads every `*.toml` demand set in `folders` (each `(folder, bundled)`),
/// sorted by title. A file that cannot be read is reported, not fatal.
pub fn scan(folders: &[(PathBuf, bool)]) -> (Vec<Entry>, Vec<String>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (folder, bundled) in folders {
        let Ok(dir) = std::fs::read_dir(folder) else {
            continue;
        };
        let mut files: Vec<PathBuf> = dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")))
            .collect();
        files.sort();
        for path in files {
            match entry(&path, *bundled) {
                Ok(e) => entries.push(e),
                Err(e) => problems.push(e),
            }
        }
    }
    entries.sort_by_key(|e| fold(&e.set.title));
    (entries, problems)
}

fn entry(path: &Path, bundled: bool) -> Result<Entry, String> {
    let set = DemandSet::load(path).map_err(|e| e.to_string())?;
    let mut keys: Vec<String> = set
        .demands
        .iter()
        .flat_map(|d| syntax::keys_with_lines(&d.body).into_iter().map(|(k, _)| k))
        .collect();
    keys.sort();
    keys.dedup();
    // Count only keys the set's own bibliography knows, when it loads.
    let files: Vec<PathBuf> = set
        .bibliography
        .iter()
        .map(|b| crate::campaign::resolve(path, b))
        .collect();
    let sources_cited = match Library::load(&files) {
        Ok(library) => keys.iter().filter(|k| library.get(k).is_some()).count(),
        Err(_) => keys.len(),
    };
    let mut tags: Vec<String> = set
        .tags
        .iter()
        .chain(set.demands.iter().flat_map(|d| d.tags.iter()))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort_by_key(|t| fold(t));
    tags.dedup_by(|a, b| fold(a) == fold(b));
    Ok(Entry {
        path: path.to_path_buf(),
        set,
        bundled,
        sources_cited,
        tags,
    })
}
