//! Compose: a campaign, its demands, its sources and one MEP → the letter.
//!
//! Templates are Handlebars in strict mode that produce Markdown with pandoc
//! citations; the result is built into the letter IR ([`crate::letter`]).

pub mod additions;
pub mod cited;
pub mod codes;
pub mod genre;
pub mod helpers;
pub mod library;
pub mod options;
pub mod parts;
pub mod templates;
pub mod translations;
pub mod votes;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{Value, json};

pub use genre::{GENRES, Genre};
pub use templates::TemplateSet;

use crate::campaign::{self, Campaign, CampaignError, Demand, DemandSet};
use crate::cite::engine::CiteUse;
use crate::cite::{CitationStyle, CiteError, Library, LibraryError, StyleError, syntax};
use crate::directory::query::Index;
use crate::directory::{Directory, Gender, Honorific, Mep};
use crate::letter::build::Signing;
use crate::letter::{self, Letter, Meta, Sender, SignatoryGroup};

/// A letter's citations and their formatted notes.
type FormattedNotes = (NotesKey, Vec<Vec<letter::Inline>>);

/// What formatted notes depend on besides the bibliography (whose change
/// clears the cache): the style, the letter's language and the citations.
#[derive(Debug, PartialEq, Eq)]
struct NotesKey {
    style: String,
    language: String,
    uses: Vec<CiteUse>,
}

/// Everything that can go wrong between a campaign file and a letter.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    #[error(transparent)]
    Library(#[from] LibraryError),
    #[error(transparent)]
    Style(#[from] StyleError),
    /// A campaign from a kit names a file outside the kit's folder.
    #[error(transparent)]
    Kit(#[from] Box<crate::kit::KitError>),
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
    #[error("line {line}, [blocks]: there is no block \"{name}\"; the blocks are {known}: {origin}")]
    UnknownBlock {
        name: String,
        line: usize,
        known: String,
        origin: String,
    },
    #[error(
        "line {line}, [blocks]: the block \"{name}\" is laid out by each format from the campaign's data; it can be switched off (`{name} = false`), not replaced by a file: {origin}"
    )]
    LayoutBlockFile { name: String, line: usize, origin: String },
    #[error("line {line}, [blocks]: {message}: {origin}")]
    Blocks {
        line: usize,
        message: String,
        origin: String,
    },
    #[error("[[demand_groups]]: {message}")]
    DemandGroups { message: String },
    #[error(
        "the letter is to be in {language}, but the campaign's {language} texts are incomplete: {missing}; translate them, or write `missing = \"fallback\"` under [languages] to send these letters in {default}"
    )]
    MissingTranslation {
        language: String,
        default: String,
        missing: String,
    },
    #[error("the campaign's vote \"{name}\" (HowTheyVote.eu vote {id}) {problem}")]
    Vote { name: String, id: u64, problem: String },
    #[error(
        "{name} ({id}) is a recipient of this follow-up, but [followup.letters] has no letter to them to follow up; remove them from the recipients, or make the follow-up again from the original campaign"
    )]
    NotFollowedUp { id: String, name: String },
    #[error(
        "the follow-up genre answers letters already sent, and this campaign names none ([followup]); make the follow-up from the sent campaign (`hemicycle followup CAMPAIGN`, or File → Follow up… in the app), or choose another genre"
    )]
    NoFollowUp,
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
    /// The files `library` was read from: the campaign's bibliographies and
    /// its demand sets', as paths that can be opened.
    pub library_files: Vec<PathBuf>,
    pub style: CitationStyle,
    pub templates: TemplateSet,
    /// The campaign's named addressees as recipient records.
    pub addressees: Vec<Mep>,
    /// The roll-call votes the campaign names and filters by.
    pub votes: votes::CampaignVotes,
    /// The last letter's citations and their formatted notes: letters to
    /// different MEPs usually cite the same way, and a keystroke outside a
    /// citation changes none of them.
    notes_cache: std::sync::Mutex<Option<FormattedNotes>>,
    /// A composer for each translation letters were written in.
    localized: std::sync::Mutex<std::collections::BTreeMap<crate::language::Language, translations::Localized>>,
}

/// Adds `file` unless one of `files` is the same file by another path
/// (`a/../bib.json`, a link): one bibliography is read once.
fn push_file_once(files: &mut Vec<PathBuf>, file: PathBuf) {
    let real = std::fs::canonicalize(&file).ok();
    if !files
        .iter()
        .any(|f| *f == file || (real.is_some() && std::fs::canonicalize(f).ok() == real))
    {
        files.push(file);
    }
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
            library_files: self.library_files.clone(),
            style: self.style.clone(),
            templates: self.templates.clone(),
            addressees: self.addressees.clone(),
            votes: self.votes.clone(),
            notes_cache: std::sync::Mutex::default(),
            localized: std::sync::Mutex::default(),
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
        crate::kit::confine(&campaign, path).map_err(Box::new)?;
        let mut demands = Vec::new();
        let mut demand_origins = Vec::new();
        let mut bib_files: Vec<PathBuf> = Vec::new();
        for b in &campaign.bibliography {
            push_file_once(&mut bib_files, campaign::resolve(path, b));
        }
        for set_path in &campaign.demand_sets {
            let file = campaign::resolve(path, set_path);
            let set = DemandSet::load(&file)?;
            for b in &set.bibliography {
                push_file_once(&mut bib_files, campaign::resolve(&file, b));
            }
            for d in set.demands {
                if campaign.omit_demands.contains(&d.id) {
                    continue;
                }
                demand_origins.push(format!("demand \"{}\" in {}", d.id, crate::util::shown_path(&file)));
                demands.push(d);
            }
        }
        for d in &campaign.demands {
            let origin = format!("demand \"{}\" in {}", d.id, crate::util::shown_path(path));
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
        additions::apply_blocks(&mut templates, &campaign, path)?;
        additions::check_groups(&campaign, &demands)?;
        let addressees = campaign
            .recipients
            .addressees
            .iter()
            .map(parts::addressee_record)
            .collect();
        let votes = votes::CampaignVotes::load(
            &campaign,
            crate::kit::folder_of(path).as_deref(),
            crate::store::Paths::discover().as_ref(),
        );
        let mut composer = Self {
            campaign,
            path: path.to_path_buf(),
            demands,
            demand_origins,
            library,
            library_files: bib_files,
            style,
            templates,
            addressees,
            votes,
            notes_cache: std::sync::Mutex::default(),
            localized: std::sync::Mutex::default(),
        };
        composer.add_wording()?;
        composer.templates.check_recursion()?;
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

    /// The campaign's recipients: its list of MEPs (or the saved query's),
    /// plus inclusions, minus exclusions, in that order; then the named
    /// addressees who are not in the directory.
    pub fn recipients<'a>(&'a self, directory: &'a Directory) -> Vec<&'a Mep> {
        let mut list = self.directory_recipients(directory);
        list.extend(self.addressees.iter());
        list
    }

    /// Replaces the campaign's named addressees.
    pub fn set_addressees(&mut self, list: Vec<campaign::Addressee>) {
        self.addressees = list.iter().map(parts::addressee_record).collect();
        self.campaign.recipients.addressees = list;
    }

    /// The recipients who are in the directory.
    pub fn directory_recipients<'d>(&self, directory: &'d Directory) -> Vec<&'d Mep> {
        let r = &self.campaign.recipients;
        let mut list = self.recipients_query_result(directory);
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

    /// The saved query's result (or the campaign's list of MEPs) alone,
    /// before inclusions and exclusions.
    pub fn recipients_query_result<'d>(&self, directory: &'d Directory) -> Vec<&'d Mep> {
        match &self.campaign.recipients.meps {
            Some(ids) => ids.iter().filter_map(|id| directory.get(id.trim())).collect(),
            None => Index::new(directory)
                .with_votes(self.votes.positions())
                .run(&self.campaign.recipients.query),
        }
    }

    /// The bundled genre the campaign's template is, if it is one.
    pub fn genre(&self) -> Option<&'static Genre> {
        genre::genre(&self.campaign.template)
    }

    /// The layout with the genre's defaults filled in.
    pub fn layout(&self) -> genre::Resolved {
        let mut layout = genre::resolve(&self.campaign.layout, self.genre(), &self.campaign.language);
        // `[blocks] letterhead = false` and the like switch layout blocks off.
        let off = |name: &str| matches!(self.campaign.blocks.get(name), Some(campaign::BlockSetting::On(false)));
        for (name, switch) in [
            ("letterhead", &mut layout.letterhead),
            ("date-line", &mut layout.date_line),
            ("reference", &mut layout.reference),
            ("addressees", &mut layout.addressees),
            ("subject", &mut layout.subject),
        ] {
            if off(name) {
                *switch = false;
            }
        }
        layout
    }

    /// Registers each phrase of the letter (`[wording]`, the older `vars`,
    /// or the genre's default) as a small template, so that it may use the
    /// letter's data and its errors name the phrase, line and column.
    fn add_wording(&mut self) -> Result<(), ComposeError> {
        let c = &self.campaign;
        let legacy = |key: &str| c.vars.get(key).and_then(toml::Value::as_str).map(str::to_owned);
        let mut phrases: Vec<(&str, String)> = Vec::new();
        for (key, set) in c.wording.entries() {
            let text = set
                .cloned()
                .or_else(|| {
                    matches!(key, "opening" | "closing" | "context")
                        .then(|| legacy(key))
                        .flatten()
                })
                .or_else(|| default_wording(&c.template, key, &c.language));
            if let Some(text) = text {
                phrases.push((key, text));
            }
        }
        let lead = Some(c.press.lead.clone())
            .filter(|l| !l.trim().is_empty())
            .or_else(|| legacy("lead"))
            .or_else(|| default_wording(&c.template, "lead", &c.language));
        if let Some(lead) = lead {
            phrases.push(("lead", lead));
        }
        for (key, text) in phrases {
            self.templates.add(&wording_name(key), &text)?;
        }
        for (i, group) in self.campaign.demand_groups.iter().enumerate() {
            if let Some(intro) = group.intro.as_ref().filter(|t| !t.trim().is_empty()) {
                self.templates.add(&additions::intro_name(i + 1), intro)?;
            }
        }
        Ok(())
    }

    /// Registers the phrases again after the campaign's were edited in
    /// place (the app's opening and closing paragraphs): a letter uses the
    /// phrases as they are now, not as they were when the campaign opened.
    pub fn refresh_wording(&mut self) -> Result<(), ComposeError> {
        for key in WORDING_KEYS.iter().chain(&votes::PHRASES) {
            self.templates.remove(&wording_name(key));
        }
        // Every intro, also those of groups removed since.
        for name in self.templates.names_starting("[demand_groups] ") {
            self.templates.remove(&name);
        }
        self.add_wording()
    }

    /// The phrases filled in for one letter, as the `wording` data blocks see.
    fn wording(&self, context: &Value) -> Result<Value, ComposeError> {
        let mut out = serde_json::Map::new();
        for key in WORDING_KEYS {
            let name = wording_name(key);
            let text = if self.templates.has(&name) {
                self.templates.render(&name, context)?.trim().to_owned()
            } else {
                String::new()
            };
            out.insert((*key).to_owned(), Value::String(text));
        }
        Ok(Value::Object(out))
    }

    /// The `vote` block's paragraphs: for each of the campaign's votes, the
    /// phrase of the MEP's position filled in, its roll-call cited.
    fn vote_paragraphs(&self, context: &Value) -> Result<Value, ComposeError> {
        if let Some((name, id, problem)) = self.votes.problem() {
            return Err(ComposeError::Vote { name, id, problem });
        }
        let mut out = Vec::new();
        for (name, _) in &self.votes.named {
            let data = &context["vote"][name];
            let position = data["position"].as_str().unwrap_or("none");
            let phrase = wording_name(votes::phrase_of(position));
            if !self.templates.has(&phrase) {
                continue;
            }
            let mut local = context.clone();
            local["roll_call"] = json!({
                "name": name, "position": position, "date": data["date_long"], "title": data["title"],
                "group": data["group"], "id": data["id"], "url": data["url"],
            });
            let text = self.templates.render(&phrase, &local)?;
            let text = votes::with_citation(&text, &votes::citation_key(name));
            if !text.is_empty() {
                out.push(json!({"name": name, "position": position, "text": text}));
            }
        }
        Ok(Value::Array(out))
    }

    /// Reads the campaign's votes again from `paths`' data folder (the app's
    /// folder, or a test's), forgetting notes made with the old ones.
    pub fn load_votes(&mut self, paths: Option<&crate::store::Paths>) {
        self.votes = votes::CampaignVotes::load(&self.campaign, crate::kit::folder_of(&self.path).as_deref(), paths);
        self.clear_cache();
    }

    /// The `vote` block's paragraphs of `mep`'s letter, in its language:
    /// (vote name, position, text with the roll-call's citation removed).
    pub fn vote_paragraphs_for(
        &self,
        mep: &Mep,
        today: NaiveDate,
    ) -> Result<Vec<(String, String, String)>, ComposeError> {
        let language = self.writing_language(mep)?;
        if language != self.campaign.letter_language() {
            return self.in_language(language)?.vote_paragraphs_for(mep, today);
        }
        let context = self.context(mep, 0, today);
        let paragraphs = self.vote_paragraphs(&context)?;
        Ok(paragraphs
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|p| {
                let name = p["name"].as_str().unwrap_or_default();
                let cite = format!(" [@{}]", votes::citation_key(name));
                let text = unescape_markdown(&p["text"].as_str().unwrap_or_default().replace(&cite, ""));
                (
                    name.to_owned(),
                    p["position"].as_str().unwrap_or_default().to_owned(),
                    text,
                )
            })
            .collect())
    }

    /// The Markdown of one letter (the template filled in).
    pub fn markdown(&self, mep: &Mep, index: usize, today: NaiveDate) -> Result<String, ComposeError> {
        let language = self.writing_language(mep)?;
        if language != self.campaign.letter_language() {
            return self.in_language(language)?.markdown(mep, index, today);
        }
        Ok(self.fill(mep, index, today, &[mep])?.0)
    }

    /// The template filled in, and the subject line: the context is built
    /// once, and the subject (which may use it) is what the template sees as
    /// `campaign.subject`.
    fn fill(&self, mep: &Mep, index: usize, today: NaiveDate, all: &[&Mep]) -> Result<(String, String), ComposeError> {
        let name = self.template_name()?;
        let mut context = self.context(mep, index, today);
        let subject = self.subject_from(index, &context)?;
        context["campaign"]["subject"] = Value::String(subject.clone());
        context["press"] = parts::press_data(&self.campaign, &subject);
        context["wording"] = self.wording(&context)?;
        context["votes"] = self.vote_paragraphs(&context)?;
        // The greeting: the campaign's own (filled in like any phrase), or
        // one made from the names, escaped as data.
        let salutation = match context["wording"]["salutation"].as_str() {
            Some(own) if !own.is_empty() => own.to_owned(),
            _ => helpers::escape_markdown(&self.salutation(mep, all)),
        };
        context["letter"]["salutation"] = Value::String(salutation);
        self.fill_additions(&mut context)?;
        Ok((self.templates.render(&name, &context)?, subject))
    }

    /// The demand groups' intros and the added sections, filled in for one
    /// letter like the phrases.
    fn fill_additions(&self, context: &mut Value) -> Result<(), ComposeError> {
        let groups = self.campaign.demand_groups.len().max(1);
        for i in 0..groups {
            let own = self.campaign.demand_groups.get(i).and_then(|g| g.intro.as_ref());
            let name = additions::intro_name(i + 1);
            // In a group's intro, `demands` are the group's ("the
            // following {{len demands}} demands").
            let mut local = None;
            if !self.campaign.demand_groups.is_empty() {
                let mut c = context.clone();
                c["demands"] = context["demand_groups"][i]["demands"].clone();
                local = Some(c);
            }
            let here = local.as_ref().unwrap_or(context);
            let phrase = wording_name("demands_intro");
            let intro = if self.templates.has(&name) {
                self.templates.render(&name, here)?.trim().to_owned()
            } else if i == 0 && own.is_none() && local.is_some() && self.templates.has(&phrase) {
                self.templates.render(&phrase, here)?.trim().to_owned()
            } else if i == 0 && own.is_none() {
                context["wording"]["demands_intro"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            } else {
                String::new()
            };
            context["demand_groups"][i]["intro"] = Value::String(intro);
        }
        let mut sections = serde_json::Map::new();
        for (block, setting) in &self.campaign.blocks {
            if let campaign::BlockSetting::Insert(insert) = setting
                && insert.is_section()
            {
                let name = additions::section_name(block);
                let text = self.templates.render(&name, context)?.trim().to_owned();
                sections.insert(block.clone(), json!({"heading": insert.heading.trim(), "text": text}));
            }
        }
        context["sections"] = Value::Object(sections);
        Ok(())
    }

    /// The subject line of the `index`-th recipient's letter: the subject
    /// lines rotate, and each may use the letter's data
    /// (`AI Act: a request to {{mep.name}}`).
    pub fn subject(&self, mep: &Mep, index: usize, today: NaiveDate) -> Result<String, ComposeError> {
        let language = self.writing_language(mep)?;
        if language != self.campaign.letter_language() {
            return self.in_language(language)?.subject(mep, index, today);
        }
        self.subject_from(index, &self.context(mep, index, today))
    }

    fn subject_from(&self, index: usize, context: &Value) -> Result<String, ComposeError> {
        let number = if self.campaign.subjects.is_empty() {
            1
        } else {
            index % self.campaign.subjects.len() + 1
        };
        // A follow-up answers the original letter: "Re: " and its subject.
        if let Some(reply) = context["followup"]["reply_subject"].as_str() {
            return Ok(reply.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        let subject = templates::render_subject(&self.campaign.subject_for(index), number, context)?;
        // One line: a line break (from the campaign file or an MEP's data)
        // must never reach a mail header.
        Ok(subject.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// One finished letter, to `mep` (in one-letter mode: to `mep` and the
    /// named addressees; [`Composer::letter_to_all`] names everyone).
    pub fn letter(&self, mep: &Mep, index: usize, today: NaiveDate) -> Result<Letter, ComposeError> {
        let mut all = vec![mep];
        all.extend(self.addressees.iter().filter(|a| a.id != mep.id));
        self.letter_in(mep, index, today, &all)
    }

    /// The letter of `mep` among `all` the recipients: in one-letter mode
    /// the same letter for each, its To and Cc naming everyone.
    pub fn letter_to_all(
        &self,
        mep: &Mep,
        index: usize,
        today: NaiveDate,
        all: &[&Mep],
    ) -> Result<Letter, ComposeError> {
        self.letter_in(mep, index, today, all)
    }

    fn letter_in(&self, mep: &Mep, index: usize, today: NaiveDate, all: &[&Mep]) -> Result<Letter, ComposeError> {
        let (language, note) = self.writing(mep)?;
        if language != self.campaign.letter_language() {
            return self.in_language(language)?.letter_in(mep, index, today, all);
        }
        let original = self.followed_up(mep)?;
        let one_letter = self.campaign.recipients.mode == campaign::Mode::OneLetter;
        // One letter to all: the same text, number and subject for each.
        let index = if one_letter { 0 } else { index };
        let (markdown, subject) = self.fill(mep, index, today, all)?;
        let mut meta = self.meta(mep, index, today, all);
        meta.subject = subject;
        meta.replies_to = original.map(|o| o.message_id.clone());
        let signing = self.signing();
        let language = meta.language.clone();
        let format = |uses: &[CiteUse]| self.format_citations(&language, uses);
        let mut letter = letter::build_with(&markdown, meta, &signing, &format).map_err(|e| match e {
            letter::BuildError::Cite(CiteError::UnknownKey { key, closest }) => self.unknown_citation(&key, &closest),
        })?;
        letter.meta.language_note = note;
        Ok(letter)
    }

    /// The letter a follow-up to `mep` answers: `None` for a campaign that
    /// is no follow-up, an error for a recipient it has no letter for.
    fn followed_up(&self, mep: &Mep) -> Result<Option<&campaign::followup::Original>, ComposeError> {
        let Some(followup) = &self.campaign.followup else {
            if genre::genre(&self.campaign.template).is_some_and(|g| g.name == "follow-up") {
                return Err(ComposeError::NoFollowUp);
            }
            return Ok(None);
        };
        match followup.letters.get(&mep.id) {
            Some(original) => Ok(Some(original)),
            None => Err(ComposeError::NotFollowedUp {
                id: mep.id.clone(),
                name: mep.display_name(),
            }),
        }
    }

    /// What the follow-up genre sees of the letter it answers
    /// (`followup.sent_on`, `subject`, `quote_intro`, `quote_lines`), or
    /// null.
    fn followup_data(&self, mep: &Mep) -> Value {
        let Some(original) = self.campaign.followup.as_ref().and_then(|f| f.letters.get(&mep.id)) else {
            return Value::Null;
        };
        let language = crate::language::Language::of(&self.campaign.language);
        let sent_on = chrono::NaiveDate::parse_from_str(&original.sent, "%Y-%m-%d")
            .map_or_else(|_| original.sent.clone(), |d| language.long_date(d));
        let intro = language
            .follow_up()
            .0
            .quote_intro
            .replace("{date}", &sent_on)
            .replace("{org}", self.campaign.organisation.name.trim());
        let lines: Vec<&str> = original.text.lines().map(str::trim_end).collect();
        json!({
            "sent_on": sent_on,
            "subject": original.subject,
            "reply_subject": campaign::followup::FollowUp::reply_subject(original),
            "quote_intro": intro,
            "quote_lines": lines,
        })
    }

    /// Formats citations in `language`, reusing the previous letter's notes
    /// when it cited exactly the same way in the same style and language.
    fn format_citations(&self, language: &str, uses: &[CiteUse]) -> Result<Vec<Vec<letter::Inline>>, CiteError> {
        let key = NotesKey {
            style: self.style.name.clone(),
            language: language.to_owned(),
            uses: uses.to_vec(),
        };
        if let Ok(cache) = self.notes_cache.lock()
            && let Some((cached, notes)) = cache.as_ref()
            && *cached == key
        {
            return Ok(notes.clone());
        }
        let cites_a_vote = uses
            .iter()
            .any(|u| u.group.items.iter().any(|i| self.is_vote_key(&i.key)));
        let mut with_votes = None;
        if cites_a_vote {
            let mut library = self.library.clone();
            let items = self.votes.csl_json(|key| self.library.get(key).is_some());
            // The items are made here from stored votes, their keys unused.
            if library
                .add_text(
                    &items,
                    "the campaign's roll-call votes",
                    crate::cite::library::Format::CslJson,
                )
                .is_ok()
            {
                with_votes = Some(library);
            }
        }
        let library = with_votes.as_ref().unwrap_or(&self.library);
        let notes = crate::cite::engine::format(&self.style, library, language, uses)?;
        if let Ok(mut cache) = self.notes_cache.lock() {
            *cache = Some((key, notes.clone()));
        }
        Ok(notes)
    }

    /// The campaign's votes its letters rely on, each with whether the
    /// letter reads the vote's data itself (`vote.NAME.…` in the template,
    /// a block or a phrase) rather than only through the `vote` block's
    /// paragraph or `voted`, which say the right thing for every position.
    pub fn votes_relied_on(&self) -> Vec<(String, bool)> {
        let Ok(name) = self.template_name() else {
            return Vec::new();
        };
        let template = self.templates.source(&name).unwrap_or_default();
        let block_on = template.contains("blocks/vote")
            && self
                .templates
                .source("blocks/vote")
                .is_some_and(|b| b.contains("votes"));
        let sources: Vec<&str> = std::iter::once(template)
            .chain(
                genre::BODY_BLOCKS
                    .iter()
                    .filter_map(|(b, _)| self.templates.source(&format!("blocks/{b}"))),
            )
            .chain(
                WORDING_KEYS
                    .iter()
                    .filter_map(|k| self.templates.source(&wording_name(k))),
            )
            .collect();
        self.votes
            .named
            .iter()
            .filter_map(|(vote, _)| {
                let direct = sources.iter().any(|s| s.contains(&format!("vote.{vote}")));
                let helper = sources.iter().any(|s| s.contains(&format!("voted \"{vote}\"")));
                // A template that asks `voted` about the vote is trusted to
                // read its data only where the position allows.
                (direct || helper || block_on).then(|| (vote.clone(), direct && !helper))
            })
            .collect()
    }

    /// Whether `key` cites one of the campaign's votes (and the
    /// bibliography has no source of its own by that key).
    fn is_vote_key(&self, key: &str) -> bool {
        self.library.get(key).is_none()
            && key
                .strip_prefix("vote-")
                .is_some_and(|name| self.votes.get(name).is_some())
    }

    /// Forgets formatted notes (after the bibliography, style or language
    /// changed).
    pub fn clear_cache(&self) {
        if let Ok(mut cache) = self.notes_cache.lock() {
            *cache = None;
        }
        if let Ok(mut localized) = self.localized.lock() {
            localized.clear();
        }
    }

    fn unknown_citation(&self, key: &str, closest: &[String]) -> ComposeError {
        let location = self.citation_location(key).unwrap_or_else(|| "the letter".to_owned());
        Self::unknown_citation_at(key, closest, location)
    }

    fn unknown_citation_at(key: &str, closest: &[String], location: String) -> ComposeError {
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

    /// Where `key` is cited: a demand as the person writing sees it
    /// ("Demand 2 (“Ban emotion recognition…”)", numbered as the letter
    /// lists them) or the template (with its line).
    fn citation_location(&self, key: &str) -> Option<String> {
        for (n, d) in self.demands.iter().enumerate() {
            if syntax::keys_with_lines(&d.body).iter().any(|(k, _)| k == key) {
                let mut title: String = d.title.trim().chars().take(48).collect();
                if d.title.trim().chars().count() > 48 {
                    title.push('…');
                }
                return Some(format!("Demand {} (\u{201c}{title}\u{201d})", n + 1));
            }
        }
        let name = self.template_name().ok()?;
        let source = self.templates.source(&name)?;
        let (_, line) = syntax::keys_with_lines(source).into_iter().find(|(k, _)| k == key)?;
        Some(format!("template \"{name}\", line {line}"))
    }

    /// Every citation problem in the campaign's own text (demands,
    /// template, and the file's phrases, sections and group intros with
    /// their translations), without composing a letter.
    pub fn citation_problems(&self) -> Vec<ComposeError> {
        let mut problems = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let template_source = self
            .template_name()
            .ok()
            .and_then(|n| self.templates.source(&n).map(str::to_owned));
        let texts = self.demands.iter().map(|d| d.body.clone()).chain(template_source);
        let unknown = |key: &str| self.library.get(key).is_none() && !self.is_vote_key(key);
        for text in texts {
            for (key, _) in syntax::keys_with_lines(&text) {
                if unknown(&key) && seen.insert(key.clone()) {
                    problems.push(self.unknown_citation(&key, &self.library.closest(&key, 3)));
                }
            }
        }
        for cited in self.file_texts() {
            for (key, _) in syntax::keys_with_lines(&cited.text) {
                if unknown(&key) && seen.insert(key.clone()) {
                    let closest = self.library.closest(&key, 3);
                    problems.push(Self::unknown_citation_at(&key, &closest, cited.place.clone()));
                }
            }
        }
        problems
    }

    /// The campaign file's texts beyond its demands that may cite
    /// ([`cited::texts`]), with their lines in the file.
    fn file_texts(&self) -> Vec<cited::Cited> {
        let file = crate::store::read_bounded_text(&self.path, crate::store::limits::CAMPAIGN, "the campaign").ok();
        let name = self
            .path
            .file_name()
            .map_or_else(|| self.path.display().to_string(), |n| n.to_string_lossy().into_owned());
        cited::texts(&self.campaign, file.as_deref(), &name)
    }

    /// Sources in the bibliography that nothing cites.
    pub fn unused_sources(&self) -> Vec<String> {
        let mut cited = std::collections::HashSet::new();
        let template_source = self
            .template_name()
            .ok()
            .and_then(|n| self.templates.source(&n).map(str::to_owned));
        // The phrases of `[wording]` and the campaign's block files cite too.
        let wording = WORDING_KEYS.iter().map(|key| wording_name(key));
        let blocks = self
            .campaign
            .blocks
            .iter()
            .filter(|(_, setting)| setting.file().is_some())
            .map(|(name, _)| format!("blocks/{name}"));
        let added = self
            .templates
            .names_starting("[blocks] ")
            .into_iter()
            .chain(self.templates.names_starting("[demand_groups] "));
        let phrases = wording
            .chain(blocks)
            .chain(added)
            .filter_map(|name| self.templates.source(&name).map(str::to_owned));
        for text in self
            .demands
            .iter()
            .map(|d| d.body.clone())
            .chain(template_source)
            .chain(phrases)
            .chain(self.file_texts().into_iter().map(|c| c.text))
        {
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

    /// The greeting: `[wording] salutation`, or one made from the names.
    fn salutation(&self, mep: &Mep, all: &[&Mep]) -> String {
        match self.campaign.recipients.mode {
            campaign::Mode::PerRecipient => parts::salutation_for(&self.campaign, mep),
            campaign::Mode::OneLetter => parts::salutation_for_all(&self.campaign, all, self.layout().to.order),
        }
    }

    /// The letter's date as the layout writes it.
    pub fn date_text(&self, today: NaiveDate) -> String {
        let date = self.letter_date(today);
        let language = self.campaign.letter_language();
        match self.layout().date_format {
            campaign::DateFormat::Long => language.long_date(date),
            campaign::DateFormat::Iso => date.to_string(),
            campaign::DateFormat::Numeric => language.numeric_date(date),
            campaign::DateFormat::Ordinal => language.ordinal_date(date, false),
            campaign::DateFormat::OrdinalMonthFirst => language.ordinal_date(date, true),
        }
    }

    /// The labels of the letter's language, with the campaign's own.
    pub fn labels(&self) -> letter::Labels {
        let o = &self.campaign.labels;
        let mut l = letter::Labels::for_language(&self.campaign.language);
        for (field, own) in [
            (&mut l.to, &o.to),
            (&mut l.cc, &o.cc),
            (&mut l.subject, &o.subject),
            (&mut l.reference, &o.reference),
            (&mut l.notes, &o.notes),
        ] {
            if let Some(own) = own {
                own.trim().clone_into(field);
            }
        }
        l
    }

    fn meta(&self, mep: &Mep, index: usize, today: NaiveDate, all: &[&Mep]) -> Meta {
        let c = &self.campaign;
        let layout = self.layout();
        let date = self.letter_date(today);
        let (to, cc) = if layout.addressees {
            parts::to_and_cc(c, mep, all, layout.to)
        } else {
            (Vec::new(), Vec::new())
        };
        let org = &c.organisation;
        // A joint letterhead names every sending organisation.
        let mut names = vec![org.name.trim()];
        names.extend(c.organisations.iter().map(|o| o.name.trim()));
        names.retain(|n| !n.is_empty());
        let sender = if layout.letterhead {
            Sender {
                name: names.join(" · "),
                // Blank lines (an address typed with an empty last line)
                // are not part of it.
                address: org.address.iter().filter(|l| !l.trim().is_empty()).cloned().collect(),
                website: org.website.clone(),
                email: org.email.clone(),
            }
        } else {
            Sender::default()
        };
        Meta {
            subject: c.subject_for(index),
            recipients_to: to,
            recipients_cc: cc,
            place: if layout.date_line {
                org.place.clone()
            } else {
                String::new()
            },
            date: if layout.date_line {
                self.date_text(today)
            } else {
                String::new()
            },
            date_iso: date.to_string(),
            reference: if layout.reference {
                self.reference(mep, index, today)
            } else {
                String::new()
            },
            language: c.language.clone(),
            sender,
            show_subject: layout.subject,
            labels: self.labels(),
            language_note: None,
            replies_to: None,
        }
    }

    fn signing(&self) -> Signing {
        let c = &self.campaign;
        let signers = std::iter::once(&c.organisation)
            .chain(&c.organisations)
            .map(|org| letter::build::Signer {
                name: org.signatory.name.clone(),
                role: org.signatory.role.clone(),
                // The signature's further lines follow the organisation.
                organisation: std::iter::once(org.name.trim())
                    .chain(org.signatory.lines.iter().map(|l| l.trim()))
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n"),
            })
            .collect();
        Signing {
            signers,
            cosigners: self.cosigner_groups(),
            note_markers: match self.layout().note_markers {
                campaign::NoteMarkers::AfterPunctuation => letter::build::NoteMarkers::AfterPunctuation,
                campaign::NoteMarkers::BeforePunctuation => letter::build::NoteMarkers::BeforePunctuation,
                campaign::NoteMarkers::AsWritten => letter::build::NoteMarkers::AsWritten,
            },
        }
    }

    /// Co-signers under their headings (in first-seen order), given or
    /// sorted as the campaign says; people apart from organisations.
    pub fn cosigner_groups(&self) -> Vec<SignatoryGroup> {
        let individuals = self
            .campaign
            .labels
            .individuals
            .clone()
            .unwrap_or_else(|| genre::extra_labels(&self.campaign.language).individuals.to_owned());
        parts::cosigner_groups(&self.campaign, &individuals)
    }

    /// The data a template sees.
    pub fn context(&self, mep: &Mep, index: usize, today: NaiveDate) -> Value {
        let c = &self.campaign;
        let date = self.letter_date(today);
        let layout = self.layout();
        let demands: Vec<Value> = self
            .demands
            .iter()
            .enumerate()
            .map(|(i, d)| {
                json!({
                    "number": i + 1, "id": d.id, "title": d.title, "body": d.body, "tags": d.tags,
                    "text": parts::demand_text(&d.body, layout.demand_body),
                })
            })
            .collect();
        let organisations: Vec<Value> = std::iter::once(&c.organisation)
            .chain(&c.organisations)
            .map(|o| {
                json!({"name": o.name, "address": o.address, "place": o.place, "website": o.website, "email": o.email,
                       "signatory": {"name": o.signatory.name, "role": o.signatory.role}})
            })
            .collect();
        let cosigners: Vec<Value> = self
            .cosigner_groups()
            .into_iter()
            .map(|g| json!({"heading": g.heading, "names": g.names}))
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
            "mep": mep_data(c, mep, &layout),
            "recipients": {"to": c.recipients.to, "cc": c.recipients.cc},
            "addressee": parts::addressee_of(c, mep).map_or(Value::Null, |a| json!({
                "title": a.title, "name": a.name, "role": a.role, "email": a.email,
            })),
            "organisations": organisations,
            "demands": demands,
            "demand_groups": additions::groups_data(c, &demands, &layout),
            "sections": {},
            "cosigners": cosigners,
            "signatories": {"form": match c.signatories.form {
                campaign::CosignerForm::Columns => "columns",
                campaign::CosignerForm::Paragraph => "paragraph",
            }},
            "letter": {"date": self.date_text(today), "salutation": ""},
            "layout": parts::layout_data(&layout),
            "labels": self.label_data(),
            "press": {},
            "wording": {},
            "vars": c.vars,
            "personal": c.volunteer.paragraphs(),
            "vote": self.votes.context(mep, crate::language::Language::of(&c.language)),
            "votes": [],
            "followup": self.followup_data(mep),
        })
    }

    /// The labels a template sees: the layout's and the press release's.
    fn label_data(&self) -> Value {
        let c = &self.campaign;
        let extra = genre::extra_labels(&c.language);
        let labels = self.labels();
        let own = |o: &Option<String>, default: &str| o.clone().unwrap_or_else(|| default.to_owned());
        json!({
            "to": labels.to, "cc": labels.cc, "subject": labels.subject, "reference": labels.reference,
            "notes": labels.notes,
            "embargo": own(&c.labels.embargo, extra.embargo),
            "contacts": own(&c.labels.contacts, extra.contacts),
            "notes_to_editors": own(&c.labels.notes_to_editors, extra.notes_to_editors),
            "individuals": own(&c.labels.individuals, extra.individuals),
        })
    }
}

/// Markdown's backslash escapes undone (`ePrivacy\\: motion` → `ePrivacy: motion`),
/// for text shown as it reads.
fn unescape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && next.is_ascii_punctuation()
        {
            out.push(next);
            chars.next();
        } else {
            out.push(c);
        }
    }
    out
}

/// What a template sees of the recipient: with, for an MEP, the
/// honorific and title in the letter's language and the To block's line.
fn mep_data(c: &Campaign, mep: &Mep, layout: &genre::Resolved) -> Value {
    let language = c.letter_language();
    let is_mep = parts::addressee_of(c, mep).is_none();
    let committees: Vec<Value> = mep
        .committees
        .iter()
        .map(|s| json!({"code": s.code, "role": s.role.as_str()}))
        .collect();
    json!({
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
        "gender": mep.gender.map_or("", Gender::as_str),
        "honorific": mep.honorific.map_or("", Honorific::as_str),
        "honorific_local": language.honorific(parts::honorific_form(mep)).unwrap_or_default(),
        "role_title": if is_mep { language.member_title(parts::form_of(mep)) } else { "" },
        "party": parts::party_of(mep, layout.to.party).unwrap_or_default(),
        "to_line": parts::to_line(c, mep, layout.to),
    })
}

/// The phrases a campaign's `[wording]` (or the genre) gives the blocks.
const WORDING_KEYS: &[&str] = &[
    "salutation",
    "opening",
    "context",
    "demands_intro",
    "closing",
    "closing_formula",
    "signatories_heading",
    "lead",
];

/// The registered name of a phrase: errors name it as the campaign does.
fn wording_name(key: &str) -> String {
    format!("[wording] {key}")
}

/// The genre's phrase, or none; the greeting is made from names instead.
fn default_wording(template: &str, key: &str, language: &str) -> Option<String> {
    if key == "salutation" {
        return None;
    }
    genre::default_wording(template, key, language).map(str::to_owned)
}
