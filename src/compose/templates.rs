//! Letter templates: the bundled ones (`templates/*.md.hbs`) and a user's.

use std::path::Path;

use handlebars::Handlebars;
use serde_json::Value;

use super::ComposeError;
use super::helpers;

/// A registry of templates, strict mode on, with Hemicycle's helpers and
/// Markdown escaping of data.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    registry: Handlebars<'static>,
    sources: Vec<(String, String)>,
    /// Counts the changes, so that what was made from this set can tell
    /// whether it is still current.
    revision: u64,
}

/// "letters/my-letter.md.hbs" → "my-letter".
pub fn name_of(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.trim_end_matches(".hbs").trim_end_matches(".md").to_owned()
}

impl TemplateSet {
    pub fn bundled() -> Result<Self, ComposeError> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(helpers::escape_markdown);
        helpers::register(&mut registry);
        let mut set = Self {
            registry,
            sources: Vec::new(),
            revision: 0,
        };
        for (name, source) in super::genre::BODY_BLOCKS {
            set.add(&format!("blocks/{name}"), source)?;
        }
        for g in super::genre::GENRES {
            set.add(g.name, g.source)?;
        }
        for (old, new) in super::genre::ALIASES {
            if let Some(source) = set.source(new).map(str::to_owned) {
                set.add(old, &source)?;
            }
        }
        Ok(set)
    }

    /// Adds (or replaces) a template from its source text.
    pub fn add(&mut self, name: &str, source: &str) -> Result<(), ComposeError> {
        self.registry.register_template_string(name, source).map_err(|e| {
            // The parser's own report points where it gave up (often the end)
            // in its grammar's words; an unbalanced block is told at the
            // line where it opens, in plain words.
            match unbalanced_block(source) {
                Some((pos, message)) => template_error(name, source, Some(pos), &message),
                None => template_error(name, source, e.pos(), &plain_parse_error(&e.reason().to_string())),
            }
        })?;
        self.sources.retain(|(n, _)| n != name);
        self.sources.push((name.to_owned(), source.to_owned()));
        self.revision += 1;
        Ok(())
    }

    /// Takes a template out (nothing when there is none).
    pub fn remove(&mut self, name: &str) {
        self.registry.unregister_template(name);
        self.sources.retain(|(n, _)| n != name);
        self.revision += 1;
    }

    /// Changes with every template added or removed.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Adds a template file under its name ("my-letter.md.hbs" → "my-letter").
    pub fn add_file(&mut self, path: &Path) -> Result<(), ComposeError> {
        let source = crate::store::read_bounded_text(path, crate::store::limits::TEMPLATE, "the template").map_err(
            |source| {
                ComposeError::Campaign(crate::campaign::CampaignError::Read {
                    origin: path.display().to_string(),
                    source,
                })
            },
        )?;
        self.add(&name_of(path), &source)
    }

    /// Adds every `*.md.hbs` in a folder; a missing folder adds nothing.
    pub fn add_folder(&mut self, dir: &Path) -> Result<(), ComposeError> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(());
        };
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".md.hbs"))
            .collect();
        paths.sort();
        for p in paths {
            self.add_file(&p)?;
        }
        Ok(())
    }

    /// Refuses templates whose partials call themselves, directly or
    /// through others (`{{#*inline "x"}}{{> x}}{{/inline}}`): Handlebars
    /// would recurse until the program's stack ran out.
    pub fn check_recursion(&self) -> Result<(), ComposeError> {
        let mut graph: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
        for (name, source) in &self.sources {
            let (outer, inlines) = partial_calls(source);
            let resolve = |called: &str| {
                if inlines.iter().any(|(n, _)| n == called) {
                    format!("{name}#{called}")
                } else {
                    called.to_owned()
                }
            };
            graph.insert(name.clone(), outer.iter().map(|c| resolve(c)).collect());
            for (inline, calls) in &inlines {
                graph.insert(format!("{name}#{inline}"), calls.iter().map(|c| resolve(c)).collect());
            }
        }
        for start in graph.keys() {
            let mut path = vec![start.clone()];
            if let Some(cycle) = find_cycle(&graph, &mut path) {
                let shown: Vec<String> = cycle.iter().map(|n| n.replace('#', ": partial ")).collect();
                return Err(ComposeError::Template {
                    template: start.split('#').next().unwrap_or_default().to_owned(),
                    line: 1,
                    column: 1,
                    message: format!(
                        "a partial calls itself ({}), so the letter would never end; remove the call",
                        shown.join(" → ")
                    ),
                    source_line: String::new(),
                    caret: String::new(),
                });
            }
        }
        Ok(())
    }

    pub fn has(&self, name: &str) -> bool {
        self.registry.has_template(name)
    }

    /// The letter templates (genres and the user's), not the blocks, the
    /// campaign's phrases (`[wording] …`) or the old names of genres.
    pub fn names(&self) -> Vec<String> {
        self.sources
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| !n.starts_with("blocks/") && !n.starts_with("wording/") && !n.starts_with('['))
            .filter(|n| !super::genre::ALIASES.iter().any(|(old, _)| old == n))
            .collect()
    }

    /// The names of the templates whose name starts with `prefix`.
    pub fn names_starting(&self, prefix: &str) -> Vec<String> {
        self.sources
            .iter()
            .filter(|(n, _)| n.starts_with(prefix))
            .map(|(n, _)| n.clone())
            .collect()
    }

    pub fn source(&self, name: &str) -> Option<&str> {
        self.sources.iter().find(|(n, _)| n == name).map(|(_, s)| s.as_str())
    }

    pub fn render(&self, name: &str, data: &Value) -> Result<String, ComposeError> {
        self.registry.render(name, data).map_err(|e| {
            let template = e.template_name.clone().unwrap_or_else(|| name.to_owned());
            let source = self.source(&template).unwrap_or_default();
            template_error(
                &template,
                source,
                e.line_no.zip(e.column_no),
                &render_message(&e, "a template sees"),
            )
        })
    }
}

/// What went wrong while filling in a template or a subject; `data` names
/// whose data docs/templates.md lists ("a template sees").
fn render_message(e: &handlebars::RenderError, data: &str) -> String {
    match e.reason() {
        handlebars::RenderErrorReason::MissingVariable(Some(var)) => {
            format!("\"{var}\" is not set (check the spelling; the data {data} is listed in docs/templates.md)")
        }
        other => other.to_string(),
    }
}

/// A subject line filled in for one recipient: subjects may use the
/// letter's data (`{{mep.family_name}}`, `{{#if (committee_member mep "LIBE")}}`
/// is not available: only plain values and the built-in `if`/`unless`).
/// Plain text: nothing is escaped, and a missing value is an error.
pub fn render_subject(subject: &str, number: usize, data: &Value) -> Result<String, ComposeError> {
    static REGISTRY: std::sync::LazyLock<handlebars::Handlebars<'static>> = std::sync::LazyLock::new(|| {
        let mut h = handlebars::Handlebars::new();
        h.set_strict_mode(true);
        h.register_escape_fn(handlebars::no_escape);
        h
    });
    if !subject.contains("{{") {
        return Ok(subject.to_owned());
    }
    let name = format!("subject line {number}");
    // Partials have no place in a subject, and one that calls itself would
    // never end.
    if let Some(at) = ["{{>", "{{~>", "{{#>", "{{#*inline"]
        .iter()
        .filter_map(|p| subject.find(p))
        .min()
    {
        let line = subject[..at].matches('\n').count() + 1;
        let column = subject[..at].rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        return Err(template_error(
            &name,
            subject,
            Some((line, column)),
            "a subject line cannot use partials; write the text, with {{…}} for the letter's data",
        ));
    }
    REGISTRY
        .render_template(subject, data)
        .map(|s| s.trim().to_owned())
        .map_err(|e| {
            template_error(
                &name,
                subject,
                e.line_no.zip(e.column_no),
                &render_message(&e, "a subject can use"),
            )
        })
}

/// The first block (`{{#each}}`, `{{#if}}`, …) that is never closed, or a
/// closing tag that does not match the block it would close: where, and
/// what to do, in plain words.
fn unbalanced_block(source: &str) -> Option<((usize, usize), String)> {
    let position = |at: usize| crate::util::line_col(source, at);
    let mut open: Vec<(String, usize)> = Vec::new();
    for (at, _) in source.match_indices("{{") {
        let after = &source[at + 2..];
        let closes = after.find("}}");
        if closes.is_none_or(|c| after.find("{{").is_some_and(|next| next < c)) {
            return Some((
                position(at),
                "this {{ has no }}: close it, like {{mep.name}}".to_owned(),
            ));
        }
        let tag = after.trim_start_matches('~');
        let name = |rest: &str| -> String {
            rest.trim_start_matches(['*', '>'])
                .trim_start()
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '}' | '~' | '('))
                .collect()
        };
        if let Some(rest) = tag.strip_prefix('#') {
            open.push((name(rest), at));
        } else if let Some(rest) = tag.strip_prefix('/') {
            let closing = name(rest);
            match open.pop() {
                Some((opened, _)) if opened == closing || opened.is_empty() => {}
                Some((opened, from)) => {
                    let (line, _) = position(from);
                    return Some((
                        position(at),
                        format!(
                            "{{{{/{closing}}}}} closes {{{{#{opened}}}}} from line {line}; close it with {{{{/{opened}}}}} first"
                        ),
                    ));
                }
                None => {
                    return Some((
                        position(at),
                        format!(
                            "{{{{/{closing}}}}} closes a block that was never opened; remove it or add {{{{#{closing} …}}}} before it"
                        ),
                    ));
                }
            }
        }
    }
    open.pop().map(|(opened, from)| {
        (
            position(from),
            format!(
                "{{{{#{opened}}}}} is never closed; add {{{{/{opened}}}}} where the repeated or conditional part ends"
            ),
        )
    })
}

/// The parser's report without its grammar's vocabulary.
fn plain_parse_error(reason: &str) -> String {
    if reason.contains("invalid handlebars syntax") {
        "the {{…}} markup is not complete here: check that every {{ has its }} and every block its closing tag"
            .to_owned()
    } else {
        reason.to_owned()
    }
}

fn template_error(name: &str, source: &str, pos: Option<(usize, usize)>, message: &str) -> ComposeError {
    let (line, column) = pos.unwrap_or((1, 1));
    let source_line = source
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or_default()
        .to_owned();
    let caret = format!("{}^", " ".repeat(column.saturating_sub(1)));
    ComposeError::Template {
        template: name.to_owned(),
        line,
        column,
        message: message.to_owned(),
        source_line,
        caret,
    }
}

/// The partials a template calls (`{{> name}}`, `{{#> name}}`): those
/// outside its inline partials, and each inline partial with its own.
fn partial_calls(source: &str) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let mut outer = Vec::new();
    let mut inlines = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("{{#*inline") {
        outer.extend(calls_in(&rest[..start]));
        let after = &rest[start + "{{#*inline".len()..];
        let name: String = after
            .trim_start()
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| !matches!(c, '"' | '\'' | '}' | ' '))
            .collect();
        let end = after.find("{{/inline}}").unwrap_or(after.len());
        inlines.push((name, calls_in(&after[..end])));
        rest = &after[(end + "{{/inline}}".len()).min(after.len())..];
    }
    outer.extend(calls_in(rest));
    (outer, inlines)
}

fn calls_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("{{") {
        let tag = text[i + 2..].trim_start_matches('~').trim_start_matches('#');
        if let Some(after) = tag.strip_prefix('>') {
            let name: String = after
                .trim_start()
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '}' | '~' | '('))
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// A path in `graph` from the last node of `path` back to a node on it.
fn find_cycle(graph: &std::collections::BTreeMap<String, Vec<String>>, path: &mut Vec<String>) -> Option<Vec<String>> {
    let node = path.last()?.clone();
    for next in graph.get(&node).into_iter().flatten() {
        if let Some(at) = path.iter().position(|p| p == next) {
            let mut cycle = path[at..].to_vec();
            cycle.push(next.clone());
            return Some(cycle);
        }
        // Templates call few partials and the graph is small; the path
        // bounds the depth.
        if path.len() < 64 {
            path.push(next.clone());
            if let Some(c) = find_cycle(graph, path) {
                return Some(c);
            }
            path.pop();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partials_that_call_themselves_are_refused_and_others_pass() {
        let mut set = TemplateSet::bundled().unwrap();
        set.check_recursion().unwrap();
        set.add("mine", "{{#*inline \"x\"}}again {{> x}}{{/inline}}Start {{> x}}")
            .unwrap();
        let err = set.check_recursion().unwrap_err().to_string();
        assert!(
            err.contains("calls itself") && err.contains("template \"mine\""),
            "{err}"
        );
        let mut set = TemplateSet::bundled().unwrap();
        set.add("a", "{{> b}}").unwrap();
        set.add("b", "text {{> a}}").unwrap();
        assert!(set.check_recursion().is_err());
        let mut set = TemplateSet::bundled().unwrap();
        set.add(
            "fine",
            "{{#*inline \"x\"}}once{{/inline}}{{> x}} {{> x}} {{> blocks/opening}}",
        )
        .unwrap();
        set.check_recursion().unwrap();
        let err = render_subject("{{#*inline \"s\"}}{{> s}}{{/inline}}{{> s}}", 1, &serde_json::json!({}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot use partials"), "{err}");
    }

    #[test]
    fn an_unclosed_block_is_told_at_its_own_line_in_plain_words() {
        let mut set = TemplateSet::bundled().unwrap();
        let cases = [
            (
                "Dear {{mep.name}},\n\n{{#each demands}}\n- {{title}}\n\nYours,\n",
                3,
                "{{#each}} is never closed; add {{/each}}",
            ),
            (
                "{{#if org.name}}\n{{#each demands}}\nx\n{{/if}}\n",
                4,
                "{{/if}} closes {{#each}} from line 2",
            ),
            ("Hello {{/each}}\n", 1, "closes a block that was never opened"),
            ("Hello\n{{mep.name\n", 2, "this {{ has no }}"),
        ];
        for (source, line, words) in cases {
            let e = set.add("mine", source).unwrap_err();
            let ComposeError::Template { line: at, message, .. } = &e else {
                panic!("{e}");
            };
            assert_eq!(*at, line, "{source:?}: {e}");
            assert!(message.contains(words), "{source:?}: {message}");
            assert!(!message.contains("expression"), "no grammar words: {message}");
        }
    }
}
