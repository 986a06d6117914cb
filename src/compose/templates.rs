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
        self.registry
            .register_template_string(name, source)
            .map_err(|e| template_error(name, source, e.pos(), &e.reason().to_string()))?;
        self.sources.retain(|(n, _)| n != name);
        self.sources.push((name.to_owned(), source.to_owned()));
        Ok(())
    }

    /// Adds a template file under its name ("my-letter.md.hbs" → "my-letter").
    pub fn add_file(&mut self, path: &Path) -> Result<(), ComposeError> {
        let source = std::fs::read_to_string(path).map_err(|source| {
            ComposeError::Campaign(crate::campaign::CampaignError::Read {
                origin: path.display().to_string(),
                source,
            })
        })?;
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

    pub fn has(&self, name: &str) -> bool {
        self.registry.has_template(name)
    }

    /// The letter templates (genres and the user's), not the blocks or
    /// the old names of genres.
    pub fn names(&self) -> Vec<String> {
        self.sources
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| !n.starts_with("blocks/") && !n.starts_with("wording/"))
            .filter(|n| !super::genre::ALIASES.iter().any(|(old, _)| old == n))
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
