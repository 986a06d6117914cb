//! Compose: a campaign, its demands, its sources and one MEP → the letter.
//!
//! Templates are Handlebars in strict mode that produce Markdown with pandoc
//! citations; the result is built into the letter IR ([`crate::letter`]).

pub mod helpers;
pub mod templates;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{Value, json};

pub use templates::{BUNDLED_TEMPLATES, TemplateSet};

use crate::campaign::{self, Campaign, CampaignError, Demand, DemandSet};
use crate::cite::engine::CiteUse;
use crate::cite::{CitationStyle, CiteError, Library, LibraryError, StyleError, syntax};
use crate::directory::query::Index;
use crate::directory::{Directory, Mep};
use crate::letter::build::Signing;
use crate::letter::{self, Letter, Meta, Sender, SignatoryGroup};

/// A letter's citations and their formatted notes.
type FormattedNotes = (Vec<CiteUse>, Vec<Vec<letter::Inline>>);

/// Everything that can go wrong between a campaign file and a letter.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    #[error(transparent)]
    Library(#[from] LibraryError),
    #[error(transparent)]
    Style(#[from] StyleError),
    #[error("template \"{template}\", line {line}, column {column}: {message}\n    {source_line}\n    {caret}")]
    Template {
        template: String,
        line: usize,
        column: usize,
        message: String,
        source_line: String,
        caret: String,
    },
    #[error("there is no template \"{name}\"; use one of {available}, or the path of a .md.hbs file")]
    NoTemplate { name: String, available: String },
    #[error("{location} cites \"{key}\", which is not in the bibliography{hint}")]
    UnknownCitation {
        key: String,
        location: String,
        hint: String,
    },
}

/// A campaign with everything it refers to loaded: demands, sources, style,
/// templates.
#[derive(Debug)]
pub struct Composer {
    pub campaign: Campaign,
    pub path: PathBuf,
    pub demands: Vec<Demand>,
    /// Where each demand came from ("demand set file …"), parallel to `demands`.
    pub demand_origins: Vec<String>,
    pub library: Library,
    pub style: CitationStyle,
    pub templates: TemplateSet,
    /// The last letter's citations and their formatted notes: letters to
    /// different MEPs usually cite the same way, and a keystroke outside a
    /// citation changes none of them.
    notes_cache: std::sync::Mutex<Option<FormattedNotes>>,
}

/// Puts the demands named in `order` first, in that order; the others
/// follow as they were.
fn order_demands(order: &[String], demands: &mut Vec<Demand>, origins: &mut Vec<String>) {
    if order.is_empty() {
        return;
    }
    let rank = |d: &Demand| order.iter().position(|id| *id == d.id).unwrap_or(usize::MAX);
    let mut paired: Vec<(Demand, String)> = demands.drain(..).zip(origins.drain(..)).collect();
    paired.sort_by_key(|(d, _)| rank(d));
    for (d, o) in paired {
        demands.push(d);
        origins.push(o);
    }
}

impl Clone for Composer {
    /// A copy with an empty notes cache: for work on another thread
    /// (export, sending) while the original goes on being edited.
    fn clone(&self) -> Self {
        Self {
            campaign: self.campaign.clone(),
            path: self.path.clone(),
            demands: self.demands.clone(),
            demand_origins: self.demand_origins.clone(),
            library: self.library.clone(),
            style: self.style.clone(),
            templates: self.templates.clone(),
            notes_cache: std::sync::Mutex::default(),
        }
    }
}

impl Composer {
    /// Opens a campaign file and loads what it refers to. `user_templates`
    /// is a folder of `.md.hbs` files that add to or override the bundled ones.
    pub fn open(path: &Path, user_templates: Option<&Path>) -> Result<Self, ComposeError> {
        let campaign = Campaign::load(path)?;
        Self::from_campaign(campaign, path, user_templates)
    }

    /// Loads what an in-memory campaign refers to; relative paths are taken
    /// from `path`'s folder.
    pub fn from_campaign(campaign: Campaign, path: &Path, user_templates: Option<&Path>) -> Result<Self, ComposeError> {
        let mut demands = Vec::new();
        let mut demand_origins = Vec::new();
        let mut bib_files: Vec<PathBuf> = campaign
            .bibliography
            .iter()
            .map(|b| campaign::resolve(path, b))
            .collect();
        for set_path in &campaign.demand_sets {
            let file = campaign::resolve(path, set_path);
            let set = DemandSet::load(&file)?;
            for b in &set.bibliography {
                let bib = campaign::resolve(&file, b);
                if !bib_files.contains(&bib) {
                    bib_files.push(bib);
                }
            }
            for d in set.demands {
                if campaign.omit_demands.contains(&d.id) {
                    continue;
                }
                demand_origins.push(format!("demand \"{}\" in {}", d.id, file.display()));
                demands.push(d);
            }
        }
        for d in &campaign.demands {
            let origin = format!("demand \"{}\" in {}", d.id, path.display());
            // A campaign's demand with the id of a set's demand adapts it for
            // this campaign, in place, without changing the shared set.
            if let Some(i) = demands.iter().position(|e: &Demand| e.id == d.id) {
                demands[i] = d.clone();
                demand_origins[i] = origin;
            } else {
                demand_origins.push(origin);
                demands.push(d.clone());
            }
        }
        order_demands(&campaign.demand_order, &mut demands, &mut demand_origins);
        let library = Library::load(&bib_files)?;
        let base = path.parent().unwrap_or_else(|| Path::new("."));
        let style = CitationStyle::load(&campaign.citation_style, base)?;
        let mut templates = TemplateSet::bundled()?;
        if let Some(dir) = user_templates {
            templates.add_folder(dir)?;
        }
        if campaign::has_extension(&campaign.template, "hbs") {
            templates.add_file(&campaign::resolve(path, Path::new(&campaign.template)))?;
        }
        let composer = Self {
            campaign,
            path: path.to_path_buf(),
            demands,
            demand_origins,
            library,
            style,
            templates,
            notes_cache: std::sync::Mutex::default(),
        };
        composer.template_name()?;
        Ok(composer)
    }

    /// The registered name of the campaign's template.
    pub fn template_name(&self) -> Result<String, ComposeError> {
        let spec = &self.campaign.template;
        let name = if campaign::has_extension(spec, "hbs") {
            templates::name_of(Path::new(spec))
        } else {
            spec.clone()
        };
        if self.templates.has(&name) {
            Ok(name)
        } else {
            Err(ComposeError::NoTemplate {
                name,
                available: self.templates.names().join(", "),
            })
        }
    }

    /// The campaign's recipients in the directory: the saved query, plus
    /// inclusions, minus exclusions, in the query's order.
    pub fn recipients<'d>(&self, directory: &'d Directory) -> Vec<&'d Mep> {
        let r = &self.campaign.recipients;
        let mut list = Index::new(directory).run(&r.query);
        for id in &r.include {
            if let Some(mep) = directory.get(id)
                && !list.iter().any(|m| m.id == *id)
            {
                list.push(mep);
            }
        }
        list.retain(|m| !r.exclude.contains(&m.id));
        list
    }

    /// The saved query's result alone, before inclusions and exclusions.
    pub fn recipients_query_result<'d>(&self, directory: &'d Directory) -> Vec<&'d Mep> {
        Index::new(directory).run(&self.campaign.recipients.query)
    }

    /// The Markdown of one letter (the template filled in).
    pub fn markdown(&self, mep: &Mep, index: usize, today: NaiveDate) -> Result<String, ComposeError> {
        Ok(self.fill(mep, index, today)?.0)
    }

    /// The template filled in, and the subject line: the context is built
    /// once, and the subject (which may use it) is what the template sees as
    /// `campaign.subject`.
    fn fill(&self, mep: &Mep, index: usize, today: NaiveDate) -> Result<(String, String), ComposeError> {
        let name = self.template_name()?;
        let mut context = self.context(mep, index, today);
        let subject = self.subject_from(index, &context)?;
        context["campaign"]["subject"] = Value::String(subject.clone());
        Ok((self.templates.render(&name, &context)?, subject))
    }

    /// The subject line of the `index`-th recipient's letter: the subject
    /// lines rotate, and each may use the letter's data
    /// (`AI Act: a request to {{mep.name}}`).
    pub fn subject(&self, mep: &Mep, index: usize, today: NaiveDate) -> Result<String, ComposeError> {
        self.subject_from(index, &self.context(mep, index, today))
    }

    fn subject_from(&self, index: usize, context: &Value) -> Result<String, ComposeError> {
        let number = if self.campaign.subjects.is_empty() {
            1
        } else {
            index % self.campaign.subjects.len() + 1
        };
        let subject = templates::render_subject(&self.campaign.subject_for(index), number, context)?;
        // One line: a line break (from the campaign file or an MEP's data)
        // must never reach a mail header.
        Ok(subject.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// One finished letter.
    pub fn letter(&self, mep: &Mep, index: usize, today: NaiveDate) -> Result<Letter, ComposeError> {
        let (markdown, subject) = self.fill(mep, index, today)?;
        let mut meta = self.meta(mep, index, today);
        meta.subject = subject;
        let signing = self.signing();
        let format = |uses: &[CiteUse]| self.format_citations(uses);
        letter::build_with(&markdown, meta, &signing, &format).map_err(|e| match e {
            letter::BuildError::Cite(CiteError::UnknownKey { key, closest }) => self.unknown_citation(&key, &closest),
        })
    }

    /// Formats citations, reusing the previous letter's notes when it cited
    /// exactly the same way.
    fn format_citations(&self, uses: &[CiteUse]) -> Result<Vec<Vec<letter::Inline>>, CiteError> {
        if let Ok(cache) = self.notes_cache.lock()
            && let Some((cached_uses, notes)) = cache.as_ref()
            && cached_uses.as_slice() == uses
        {
            return Ok(notes.clone());
        }
        let notes = crate::cite::engine::format(&self.style, &self.library, &self.campaign.language, uses)?;
        if let Ok(mut cache) = self.notes_cache.lock() {
            *cache = Some((uses.to_vec(), notes.clone()));
        }
        Ok(notes)
    }

    /// Forgets formatted notes (after the bibliography, style or language
    /// changed).
    pub fn clear_cache(&self) {
        if let Ok(mut cache) = self.notes_cache.lock() {
            *cache = None;
        }
    }

    fn unknown_citation(&self, key: &str, closest: &[String]) -> ComposeError {
        let location = self.citation_location(key).unwrap_or_else(|| "the letter".to_owned());
        let hint = match closest {
            [] => "; add it to a bibliography file or correct the key".to_owned(),
            keys => format!(
                "; did you mean {}?",
                keys.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(" or ")
            ),
        };
        ComposeError::UnknownCitation {
            key: key.to_owned(),
            location,
            hint,
        }
    }

    /// Where `key` is cited: a demand (with the line of its body) or the
    /// template (with its line).
    fn citation_location(&self, key: &str) -> Option<String> {
        for (d, origin) in self.demands.iter().zip(&self.demand_origins) {
            if let Some((_, line)) = syntax::keys_with_lines(&d.body).into_iter().find(|(k, _)| k == key) {
                return Some(format!("{origin} (line {line} of its body)"));
            }
        }
        let name = self.template_name().ok()?;
        let source = self.templates.source(&name)?;
        let (_, line) = syntax::keys_with_lines(source).into_iter().find(|(k, _)| k == key)?;
        Some(format!("template \"{name}\", line {line}"))
    }

    /// Every citation problem in the campaign's own text (demands and
    /// template), without composing a letter.
    pub fn citation_problems(&self) -> Vec<ComposeError> {
        let mut problems = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let template_source = self
            .template_name()
            .ok()
            .and_then(|n| self.templates.source(&n).map(str::to_owned));
        let texts = self.demands.iter().map(|d| d.body.clone()).chain(template_source);
        for text in texts {
            for (key, _) in syntax::keys_with_lines(&text) {
                if self.library.get(&key).is_none() && seen.insert(key.clone()) {
                    problems.push(self.unknown_citation(&key, &self.library.closest(&key, 3)));
                }
            }
        }
        problems
    }

    /// Sources in the bibliography that nothing cites.
    pub fn unused_sources(&self) -> Vec<String> {
        let mut cited = std::collections::HashSet::new();
        let template_source = self
            .template_name()
            .ok()
            .and_then(|n| self.templates.source(&n).map(str::to_owned));
        for text in self.demands.iter().map(|d| d.body.clone()).chain(template_source) {
            cited.extend(syntax::keys_with_lines(&text).into_iter().map(|(k, _)| k));
        }
        self.library.keys().filter(|k| !cited.contains(k)).collect()
    }

    fn letter_date(&self, today: NaiveDate) -> NaiveDate {
        self.campaign.letter_date(today)
    }

    /// The reference number from the organisation's pattern.
    pub fn reference(&self, mep: &Mep, index: usize, today: NaiveDate) -> String {
        let pattern = &self.campaign.organisation.reference_pattern;
        let date = self.letter_date(today);
        let seq = index + 1;
        pattern
            .replace("{year}", &chrono::Datelike::year(&date).to_string())
            .replace("{seq:03}", &format!("{seq:03}"))
            .replace("{seq:04}", &format!("{seq:04}"))
            .replace("{seq}", &seq.to_string())
            .replace("{id}", &mep.id)
            .replace("{country}", &mep.country)
    }

    fn meta(&self, mep: &Mep, index: usize, today: NaiveDate) -> Meta {
        let c = &self.campaign;
        let date = self.letter_date(today);
        let mut to = Vec::new();
        if c.recipients.address_mep {
            to.push(mep.display_name());
        }
        to.extend(c.recipients.to.iter().cloned());
        let org = &c.organisation;
        Meta {
            subject: c.subject_for(index),
            recipients_to: to,
            recipients_cc: c.recipients.cc.clone(),
            place: org.place.clone(),
            date: helpers::long_date(date, &c.language),
            date_iso: date.to_string(),
            reference: self.reference(mep, index, today),
            language: c.language.clone(),
            sender: Sender {
                name: org.name.clone(),
                address: org.address.clone(),
                website: org.website.clone(),
                email: org.email.clone(),
            },
        }
    }

    fn signing(&self) -> Signing {
        let org = &self.campaign.organisation;
        Signing {
            name: org.signatory.name.clone(),
            role: org.signatory.role.clone(),
            organisation: org.name.clone(),
            cosigners: self.cosigner_groups(),
        }
    }

    /// Co-signers under their headings (in first-seen order), each group
    /// sorted by name, "Name (Country)".
    pub fn cosigner_groups(&self) -> Vec<SignatoryGroup> {
        let mut groups: Vec<SignatoryGroup> = Vec::new();
        for c in &self.campaign.cosigners {
            let name = if c.country.is_empty() {
                c.name.clone()
            } else {
                format!("{} ({})", c.name, c.country)
            };
            match groups.iter_mut().find(|g| g.heading == c.group) {
                Some(g) => g.names.push(name),
                None => groups.push(SignatoryGroup {
                    heading: c.group.clone(),
                    names: vec![name],
                }),
            }
        }
        for g in &mut groups {
            g.names.sort_by_key(|n| crate::directory::query::fold(n));
        }
        groups
    }

    /// The data a template sees.
    pub fn context(&self, mep: &Mep, index: usize, today: NaiveDate) -> Value {
        let c = &self.campaign;
        let date = self.letter_date(today);
        let demands: Vec<Value> = self
            .demands
            .iter()
            .enumerate()
            .map(|(i, d)| json!({"number": i + 1, "id": d.id, "title": d.title, "body": d.body, "tags": d.tags}))
            .collect();
        let cosigners: Vec<Value> = self
            .cosigner_groups()
            .into_iter()
            .map(|g| json!({"heading": g.heading, "names": g.names}))
            .collect();
        let committees: Vec<Value> = mep
            .committees
            .iter()
            .map(|s| json!({"code": s.code, "role": s.role.as_str()}))
            .collect();
        let org = &c.organisation;
        json!({
            "campaign": {
                "title": c.title,
                "language": c.language,
                "subject": c.subject_for(index),
                "date": date.to_string(),
                "reference": self.reference(mep, index, today),
            },
            "org": {
                "name": org.name,
                "address": org.address,
                "place": org.place,
                "website": org.website,
                "email": org.email,
                "signatory": {"name": org.signatory.name, "role": org.signatory.role},
            },
            "mep": {
                "id": mep.id,
                "name": mep.display_name(),
                "full_name": mep.full_name,
                "given_name": mep.given_name,
                "family_name": mep.family_name,
                "country": mep.country,
                "country_name": mep.country_name(),
                "group": mep.group,
                "group_name": mep.group_name(),
                "national_party": mep.national_party.clone().unwrap_or_default(),
                "email": mep.email.clone().unwrap_or_default(),
                "committees": committees,
            },
            "recipients": {"to": c.recipients.to, "cc": c.recipients.cc},
            "demands": demands,
            "cosigners": cosigners,
            "vars": c.vars,
        })
    }
}
