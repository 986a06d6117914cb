//! ARCHITECTURE.md's module table is the map of the code: each module's
//! row says which modules it may depend on. This test reads the table and
//! every source file, and fails on an edge the code has and the table does
//! not list (outside `#[cfg(test)]` code), and on a module without a row,
//! so that the map cannot drift from the code unnoticed.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The crate's top-level modules: the files and folders under `src/`.
fn modules() -> BTreeSet<String> {
    std::fs::read_dir(root().join("src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_stem()?.to_str()?.to_owned();
            (p.is_dir() || p.extension().is_some_and(|x| x == "rs")).then_some(name)
        })
        .filter(|name| name != "main" && name != "lib")
        .collect()
}

/// Each module's allowed dependencies, from the table's first and third
/// columns: the backticked names (their first path segment), or every
/// module but `cli` and `ui` where the row says "every core module".
fn table(modules: &BTreeSet<String>) -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let ticked = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(|name| name.split("::").next().unwrap().to_owned())
            .collect()
    };
    let mut allowed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        assert!(cells.len() >= 3, "a table row without its columns: {line}");
        let mut deps: BTreeSet<String> = ticked(cells[2]).into_iter().filter(|d| modules.contains(d)).collect();
        if cells[2].contains("every core module") {
            deps.extend(modules.iter().filter(|m| *m != "cli" && *m != "ui").cloned());
        }
        for module in ticked(cells[0]) {
            allowed.entry(module).or_default().extend(deps.iter().cloned());
        }
    }
    allowed
}

/// The files of a module, recursively.
fn files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            files(&e.unwrap().path(), out);
        }
    } else if path.is_file() && path.extension().is_some_and(|x| x == "rs") {
        out.push(path.to_path_buf());
    }
}

/// The modules a module's code (before its `#[cfg(test)]` part, comments
/// left out) names as
/// `crate::NAME`, each with a file that names it.
fn edges(module: &str, modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut paths = Vec::new();
    files(&root().join("src").join(module), &mut paths);
    files(&root().join("src").join(format!("{module}.rs")), &mut paths);
    let mut found = BTreeMap::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap()
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let code = code.as_str();
        let mut names: Vec<&str> = code
            .match_indices("crate::")
            .map(|(at, _)| &code[at + "crate::".len()..])
            .collect();
        // `use crate::{a, b::c}`
        let grouped: Vec<&str> = names
            .iter()
            .filter_map(|rest| rest.strip_prefix('{'))
            .flat_map(|group| group.split('}').next().unwrap().split(','))
            .map(str::trim)
            .collect();
        names.extend(grouped);
        for rest in names {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if name != module && modules.contains(&name) {
                let file = path.strip_prefix(root()).unwrap().display().to_string();
                found.entry(name).or_insert(file);
            }
        }
    }
    found
}

#[test]
fn every_edge_of_the_code_is_in_the_module_table() {
    let modules = modules();
    let allowed = table(&modules);
    let mut missing = Vec::new();
    for module in &modules {
        let Some(may) = allowed.get(module) else {
            missing.push(format!("`{module}` has no row in ARCHITECTURE.md's module table"));
            continue;
        };
        for (dep, file) in edges(module, &modules) {
            if !may.contains(&dep) {
                missing.push(format!(
                    "{module} → {dep} ({file}) is not in its row's \"may depend on\""
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md is out of date:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_table_check_sees_a_missing_edge() {
    // The check itself: `render` may depend on `letter` only, and its
    // code does use `letter`; without `letter` in its row it would fail.
    let modules = modules();
    let allowed = table(&modules);
    assert_eq!(allowed["render"], BTreeSet::from(["letter".to_owned()]));
    assert!(edges("render", &modules).contains_key("letter"));
    assert!(edges("cli", &modules).contains_key("deliver"));
}

#[test]
fn no_file_below_ui_mod_reaches_back_into_the_app() {
    // The panel pattern (ARCHITECTURE.md, Rules): a panel is lent what it
    // draws and returns `Asked`; only `ui/mod.rs` holds `impl App` and
    // routes. The benchmark drives the app from outside, as a test does,
    // and the probe is how tests and the benchmark look into it.
    let mut paths = Vec::new();
    files(&root().join("src/ui"), &mut paths);
    let mut reaching = Vec::new();
    for path in paths {
        let name = path.strip_prefix(root().join("src/ui")).unwrap().display().to_string();
        if ["mod.rs", "bench.rs", "bench_pages.rs", "probe.rs"].contains(&name.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for pattern in ["super::App", "crate::ui::App", "impl App ", "ui::App;"] {
            if code.contains(pattern) {
                reaching.push(format!("src/ui/{name}: {pattern}"));
            }
        }
        if code
            .lines()
            .any(|l| l.starts_with("use super::{") && l.contains(" App"))
        {
            reaching.push(format!("src/ui/{name}: imports App"));
        }
    }
    assert!(
        reaching.is_empty(),
        "these files reach into App instead of returning Asked:\n{}",
        reaching.join("\n")
    );
}

/// `App`'s fields and methods in `text` (a Rust file): the lines of its
/// `pub struct App { … }` that declare a field, and the functions of each
/// `impl App { … }` (not those of a trait it implements), each block read
/// up to the closing brace at the start of a line.
fn app_size(text: &str) -> (usize, usize) {
    let mut fields = 0;
    let mut methods = 0;
    let mut inside: Option<&str> = None;
    for line in text.lines() {
        match inside {
            None if line.starts_with("pub struct App {") => inside = Some("struct"),
            None if line.starts_with("impl App {") => inside = Some("impl"),
            None => {}
            Some(_) if line.starts_with('}') => inside = None,
            Some("struct") => {
                let field = line
                    .trim_start()
                    .trim_start_matches("pub(crate) ")
                    .trim_start_matches("pub ");
                let name: String = field.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if line.starts_with("    ") && !name.is_empty() && field[name.len()..].starts_with(':') {
                    fields += 1;
                }
            }
            Some(_) => {
                let item = line.strip_prefix("    ").unwrap_or("");
                let item = item
                    .strip_prefix("pub ")
                    .or_else(|| {
                        item.split_once(") ")
                            .filter(|(v, _)| v.starts_with("pub("))
                            .map(|(_, rest)| rest)
                    })
                    .unwrap_or(item);
                if item.starts_with("fn ") {
                    methods += 1;
                }
            }
        }
    }
    (fields, methods)
}

#[test]
fn the_app_stays_thin() {
    // Issue #24: `App` keeps what the panels share and routes; each panel
    // owns its state in a file of its own. Its `impl App` blocks are all in
    // ui/mod.rs (see the test above), so counting there counts them all.
    let text = std::fs::read_to_string(root().join("src/ui/mod.rs")).unwrap();
    let (fields, methods) = app_size(&text);
    assert!(fields > 0 && methods > 0, "App was not found in src/ui/mod.rs");
    assert!(
        fields <= 12,
        "App has {fields} fields; at most 12 (give a panel its own state)"
    );
    assert!(
        methods <= 40,
        "App has {methods} methods; at most 40 (move drawing into a panel's file, a test's look into ui::probe)"
    );
}

#[test]
fn the_app_size_counts_fields_and_methods() {
    let text = "pub struct App {\n    /// a doc\n    config: Config,\n    pub files: Files,\n}\n\
                impl App {\n    pub fn new() -> Self {\n        let f = |x| x;\n    }\n\n    fn a(&self) {}\n    pub(super) fn b(&self) {}\n}\n\
                impl eframe::App for App {\n    fn ui(&mut self) {}\n}\n";
    assert_eq!(app_size(text), (2, 3));
}
