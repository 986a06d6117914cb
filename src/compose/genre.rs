//! Genres: the bundled letter templates as compositions of named blocks,
//! with their default layout and wording.
//!
//! A genre template (`templates/*.md.hbs`) is a list of `{{> blocks/NAME}}`
//! partials (`templates/blocks/NAME.md.hbs`). A campaign replaces a block
//! with a file of its own or switches it off (`[blocks]`); the layout blocks
//! (letterhead, date line, reference, addressees, subject) are laid out by
//! each output format and can only be switched on or off.

use crate::campaign::{AddresseeOrder, DateFormat, DemandBody, DemandStyle, Layout, NoteMarkers, PartySuffix};
use crate::language::Language;

/// A bundled genre.
pub struct Genre {
    pub name: &'static str,
    /// One line for File → New and `hemicycle check`.
    pub description: &'static str,
    pub source: &'static str,
    pub demands: DemandStyle,
    pub demand_body: DemandBody,
    /// Whether the genre shows a "Subject:" line and a To/Cc block.
    pub letter_head: bool,
}

pub const GENRES: &[Genre] = &[
    Genre {
        name: "personal-letter",
        description: "A short personal letter to one MEP, the demands as a bulleted list",
        source: include_str!("../../templates/personal-letter.md.hbs"),
        demands: DemandStyle::Bulleted,
        demand_body: DemandBody::FirstParagraph,
        letter_head: true,
    },
    Genre {
        name: "open-letter",
        description: "A formal open letter with reference, To and Cc, a heading per demand and footnotes",
        source: include_str!("../../templates/open-letter.md.hbs"),
        demands: DemandStyle::Headings,
        demand_body: DemandBody::Full,
        letter_head: true,
    },
    Genre {
        name: "joint-letter",
        description: "A joint letter with numbered asks and co-signers under headings",
        source: include_str!("../../templates/joint-letter.md.hbs"),
        demands: DemandStyle::Numbered,
        demand_body: DemandBody::Full,
        letter_head: true,
    },
    Genre {
        name: "press-release",
        description: "A press release with headline, embargo, quotes, notes to editors and contacts",
        source: include_str!("../../templates/press-release.md.hbs"),
        demands: DemandStyle::Numbered,
        demand_body: DemandBody::FirstParagraph,
        letter_head: false,
    },
    Genre {
        name: "coalition-statement",
        description: "A coalition statement with numbered demands and its signatories",
        source: include_str!("../../templates/coalition-statement.md.hbs"),
        demands: DemandStyle::Numbered,
        demand_body: DemandBody::Full,
        letter_head: false,
    },
    Genre {
        name: "follow-up",
        description: "A follow-up to a letter that got no answer, in its thread, the letter quoted below",
        source: include_str!("../../templates/follow-up.md.hbs"),
        demands: DemandStyle::Bulleted,
        demand_body: DemandBody::FirstParagraph,
        letter_head: true,
    },
];

/// Earlier names of bundled genres, still understood: (old, new).
pub const ALIASES: &[(&str, &str)] = &[("press-statement", "press-release")];

/// The genre a template name stands for, through the aliases.
pub fn genre(name: &str) -> Option<&'static Genre> {
    let name = ALIASES
        .iter()
        .find(|(old, _)| *old == name)
        .map_or(name, |(_, new)| *new);
    GENRES.iter().find(|g| g.name == name)
}

/// The blocks a genre template is made of: `templates/blocks/NAME.md.hbs`.
pub const BODY_BLOCKS: &[(&str, &str)] = &[
    ("salutation", include_str!("../../templates/blocks/salutation.md.hbs")),
    ("opening", include_str!("../../templates/blocks/opening.md.hbs")),
    ("context", include_str!("../../templates/blocks/context.md.hbs")),
    ("personal", include_str!("../../templates/blocks/personal.md.hbs")),
    ("demands", include_str!("../../templates/blocks/demands.md.hbs")),
    ("closing", include_str!("../../templates/blocks/closing.md.hbs")),
    (
        "closing-formula",
        include_str!("../../templates/blocks/closing-formula.md.hbs"),
    ),
    ("signature", include_str!("../../templates/blocks/signature.md.hbs")),
    ("cosigners", include_str!("../../templates/blocks/cosigners.md.hbs")),
    ("headline", include_str!("../../templates/blocks/headline.md.hbs")),
    ("lead", include_str!("../../templates/blocks/lead.md.hbs")),
    ("quotes", include_str!("../../templates/blocks/quotes.md.hbs")),
    ("ends", include_str!("../../templates/blocks/ends.md.hbs")),
    (
        "notes-to-editors",
        include_str!("../../templates/blocks/notes-to-editors.md.hbs"),
    ),
    ("contacts", include_str!("../../templates/blocks/contacts.md.hbs")),
    ("vote", include_str!("../../templates/blocks/vote.md.hbs")),
    ("original", include_str!("../../templates/blocks/original.md.hbs")),
];

/// Blocks that each format lays out from the letter's data: they can be
/// switched off, not replaced.
pub const LAYOUT_BLOCKS: &[&str] = &["letterhead", "date-line", "reference", "addressees", "subject"];

/// Every block name, for messages.
pub fn block_names() -> Vec<&'static str> {
    BODY_BLOCKS
        .iter()
        .map(|(n, _)| *n)
        .chain(LAYOUT_BLOCKS.iter().copied())
        .collect()
}

/// The layout with every unset option taken from the genre (or, for a
/// template of the user's, from the open letter's defaults).
/// Serialized with the `[layout]` keys, so that `options` reads a
/// genre's default by key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[allow(clippy::struct_excessive_bools, reason = "one independent switch per layout block")]
pub struct Resolved {
    pub letterhead: bool,
    pub date_line: bool,
    pub reference: bool,
    pub addressees: bool,
    pub subject: bool,
    pub date_format: DateFormat,
    pub demands: DemandStyle,
    pub demand_body: DemandBody,
    pub note_markers: NoteMarkers,
    /// How the To block names an MEP (its keys are `[layout]`'s).
    #[serde(flatten)]
    pub to: ToBlock,
}

/// How the To block names an MEP, and who comes first in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ToBlock {
    #[serde(rename = "mep_honorific")]
    pub honorific: bool,
    #[serde(rename = "mep_role")]
    pub role: bool,
    #[serde(rename = "mep_party")]
    pub party: PartySuffix,
    #[serde(rename = "addressee_order")]
    pub order: AddresseeOrder,
}

impl ToBlock {
    pub fn of(layout: &Layout) -> Self {
        Self {
            honorific: layout.mep_honorific.unwrap_or(false),
            role: layout.mep_role.unwrap_or(false),
            party: layout.mep_party.unwrap_or_default(),
            order: layout.addressee_order.unwrap_or_default(),
        }
    }
}

pub fn resolve(layout: &Layout, genre: Option<&Genre>, language: &str) -> Resolved {
    let head = genre.is_none_or(|g| g.letter_head);
    Resolved {
        letterhead: layout.letterhead.unwrap_or(true),
        date_line: layout.date_line.unwrap_or(head),
        reference: layout.reference.unwrap_or(head),
        addressees: layout.addressees.unwrap_or(head),
        subject: layout.subject.unwrap_or(head),
        date_format: layout.date_format.clone().unwrap_or_default(),
        demands: layout
            .demands
            .unwrap_or_else(|| genre.map_or(DemandStyle::Headings, |g| g.demands)),
        demand_body: layout
            .demand_body
            .unwrap_or_else(|| genre.map_or(DemandBody::Full, |g| g.demand_body)),
        note_markers: layout
            .note_markers
            .unwrap_or(if Language::of(language).notes_before_punctuation() {
                NoteMarkers::BeforePunctuation
            } else {
                NoteMarkers::AfterPunctuation
            }),
        to: ToBlock::of(layout),
    }
}

pub fn demand_style_name(style: DemandStyle) -> &'static str {
    match style {
        DemandStyle::Headings => "headings",
        DemandStyle::UnnumberedHeadings => "unnumbered-headings",
        DemandStyle::Numbered => "numbered",
        DemandStyle::Bulleted => "bulleted",
    }
}

/// The genre's wording for `key` in `language`, a Handlebars text like a
/// subject line; `None` when the genre has none (the block stays empty).
/// Languages without their own wording get the English.
pub fn default_wording(genre: &str, key: &str, language: &str) -> Option<&'static str> {
    let genre = self::genre(genre).map_or("open-letter", |g| g.name);
    if key == "closing_formula" {
        return Some(closing_formula(language));
    }
    let votes = Language::of(language).vote_phrases();
    match key {
        "vote_for" => return Some(votes.voted_for),
        "vote_against" => return Some(votes.against),
        "vote_abstention" => return Some(votes.abstention),
        "vote_did_not_vote" => return Some(votes.did_not_vote),
        "vote_none" => return Some(votes.none),
        _ => {}
    }
    if genre == "follow-up" {
        let words = Language::of(language).follow_up().0;
        return match key {
            "opening" => Some(words.opening),
            "closing" => Some(words.closing),
            _ => None,
        };
    }
    let text = match (genre, key) {
        ("personal-letter", "opening") => "I am writing to you on behalf of {{org.name}} about {{campaign.title}}.",
        ("personal-letter", "demands_intro") => "We ask you to support the following:",
        ("personal-letter", "closing") => {
            "We would welcome the chance to discuss these points with you or your office, and we thank you for your attention."
        }
        ("open-letter", "opening") => "We, {{org.name}}, write to you ahead of the decisions on {{campaign.title}}.",
        ("open-letter", "demands_intro") => "We call on you to secure the following {{len demands}} demands:",
        ("open-letter", "closing") => {
            "We remain at your disposal to discuss these demands and look forward to your response."
        }
        ("joint-letter", "opening") => "We, the undersigned organisations, write to you about {{campaign.title}}.",
        ("joint-letter", "demands_intro") => "We urge you to:",
        ("joint-letter", "closing") => "We thank you for your attention and stand ready to discuss these points.",
        ("joint-letter" | "coalition-statement", "signatories_heading") => signatories(language),
        ("press-release", "lead") => {
            "{{org.name}} calls on Members of the European Parliament to act on {{campaign.title}}."
        }
        ("press-release", "demands_intro") => "The demands:",
        ("coalition-statement", "opening") => {
            "We, the undersigned organisations, set out what we expect of the European Union on {{campaign.title}}."
        }
        ("coalition-statement", "demands_intro") => "We call on the European Parliament to:",
        _ => return None,
    };
    Some(text)
}

/// "Yours sincerely," and its equivalents in a formal letter.
fn closing_formula(language: &str) -> &'static str {
    Language::of(language).closing()
}

fn signatories(language: &str) -> &'static str {
    Language::of(language).labels().signatories
}

/// Labels of the press-release and co-signer blocks.
pub struct ExtraLabels {
    pub embargo: &'static str,
    pub contacts: &'static str,
    pub notes_to_editors: &'static str,
    pub individuals: &'static str,
}

pub fn extra_labels(language: &str) -> ExtraLabels {
    let l = Language::of(language).labels();
    ExtraLabels {
        embargo: l.embargo,
        contacts: l.contacts,
        notes_to_editors: l.notes_to_editors,
        individuals: l.individuals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_genre_uses_only_known_blocks_and_old_names_still_work() {
        for g in GENRES {
            for part in g.source.split("{{> blocks/").skip(1) {
                let name = part.split("}}").next().unwrap_or_default();
                assert!(
                    BODY_BLOCKS.iter().any(|(n, _)| *n == name),
                    "{} uses an unknown block {name}",
                    g.name
                );
            }
        }
        assert_eq!(genre("press-statement").map(|g| g.name), Some("press-release"));
    }

    #[test]
    fn layout_defaults_follow_the_genre_and_the_campaign_wins() {
        let press = genre("press-release");
        let r = resolve(&Layout::default(), press, "en");
        assert!(!r.subject && !r.addressees && r.letterhead);
        assert_eq!(r.demands, DemandStyle::Numbered);
        let mine = Layout {
            subject: Some(true),
            demands: Some(DemandStyle::Bulleted),
            ..Layout::default()
        };
        let r = resolve(&mine, press, "fr");
        assert!(r.subject);
        assert_eq!(r.demands, DemandStyle::Bulleted);
        assert_eq!(r.note_markers, NoteMarkers::BeforePunctuation);
        assert_eq!(resolve(&Layout::default(), None, "en").demands, DemandStyle::Headings);
    }
}
