//! The campaign's layout options as one table (`OPTIONS`): each `[layout]`
//! key (and the co-signers' form of `[signatories]`) with what it is — a
//! switch or a choice of values — and plain words for it and for each
//! value. The app's Campaign → Layout… panel draws one control per row and
//! shows the genre's default for each, so a new option is one row here
//! (and its field in `campaign::genre::Layout`, its default in
//! `genre::resolve`).
//!
//! Values are read and written as TOML through the campaign's own types,
//! so a value the table offers and the campaign refuses cannot be set.

use serde::Serialize;
use toml::Value;

use crate::campaign::{Campaign, Layout, SignatoryOptions};

/// Which table of the campaign file an option is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Layout,
    Signatories,
}

/// A switch (on or off) or one of several values, each with its words.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Switch,
    Choice(&'static [(&'static str, &'static str)]),
}

/// One option: its table and key, its words, its kind.
#[derive(Debug, Clone, Copy)]
pub struct LayoutOption {
    pub table: Table,
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
}

const fn switch(key: &'static str, label: &'static str) -> LayoutOption {
    LayoutOption {
        table: Table::Layout,
        key,
        label,
        kind: Kind::Switch,
    }
}

const fn choice(
    key: &'static str,
    label: &'static str,
    values: &'static [(&'static str, &'static str)],
) -> LayoutOption {
    LayoutOption {
        table: Table::Layout,
        key,
        label,
        kind: Kind::Choice(values),
    }
}

/// Every option the Layout panel offers, in the order it shows them.
pub const OPTIONS: &[LayoutOption] = &[
    switch("letterhead", "The organisation's letterhead"),
    switch("date_line", "Place and date"),
    switch("reference", "Reference number"),
    switch("addressees", "To and Cc block"),
    switch("subject", "Subject line"),
    choice(
        "date_format",
        "Date",
        &[
            ("long", "Long (23 November 2026)"),
            ("numeric", "Numeric (23/11/2026)"),
            ("iso", "ISO (2026-11-23)"),
            ("ordinal", "Ordinal (23rd November 2026)"),
            ("ordinal-month-first", "Ordinal, month first (November 23rd 2026)"),
        ],
    ),
    choice(
        "demands",
        "Demands",
        &[
            ("headings", "Numbered headings"),
            ("unnumbered-headings", "Headings without numbers"),
            ("numbered", "Numbered list"),
            ("bulleted", "Bulleted list"),
        ],
    ),
    choice(
        "demand_body",
        "Text of each demand",
        &[
            ("full", "All of it"),
            ("first-paragraph", "First paragraph only"),
            ("none", "None (titles only)"),
        ],
    ),
    choice(
        "note_markers",
        "Note markers",
        &[
            ("after-punctuation", "After punctuation (Act.¹)"),
            ("before-punctuation", "Before punctuation (Act¹.)"),
            ("as-written", "Where the citation is written"),
        ],
    ),
    switch("mep_honorific", "The MEP's honorific (Mr, Ms)"),
    switch("mep_role", "\"Member of the European Parliament\" after the MEP's name"),
    choice(
        "mep_party",
        "Party after the MEP's name",
        &[
            ("none", "None"),
            ("group", "Political group (Renew)"),
            ("national", "National party"),
        ],
    ),
    choice(
        "addressee_order",
        "Order in the To block",
        &[
            ("meps-first", "MEPs first"),
            ("addressees-first", "Other addressees first"),
        ],
    ),
    LayoutOption {
        table: Table::Signatories,
        key: "form",
        label: "Co-signers",
        kind: Kind::Choice(&[
            ("columns", "Two columns of names"),
            ("paragraph", "One paragraph, comma-separated"),
        ]),
    },
];

/// The demands layouts with their words (a demand group's choice).
pub fn demand_styles() -> &'static [(&'static str, &'static str)] {
    match OPTIONS.iter().find(|o| o.key == "demands").map(|o| o.kind) {
        Some(Kind::Choice(values)) => values,
        _ => &[],
    }
}

fn table_of<T: Serialize>(value: &T) -> toml::Table {
    match Value::try_from(value) {
        Ok(Value::Table(t)) => t,
        _ => toml::Table::new(),
    }
}

impl LayoutOption {
    /// What the campaign sets, `None` when it leaves the option to the
    /// genre (for the co-signers: when it keeps the columns).
    pub fn value(&self, c: &Campaign) -> Option<Value> {
        match self.table {
            Table::Layout => table_of(&c.layout).remove(self.key),
            Table::Signatories => table_of(&c.signatories).remove(self.key),
        }
    }

    /// What the genre gives when the campaign sets nothing.
    pub fn default_value(&self, c: &Campaign) -> Option<Value> {
        match self.table {
            Table::Layout => {
                let genre = super::genre::genre(&c.template);
                table_of(&super::genre::resolve(&Layout::default(), genre, &c.language)).remove(self.key)
            }
            Table::Signatories => table_of(&SignatoryOptions::default())
                .remove(self.key)
                .or_else(|| match self.kind {
                    Kind::Choice(values) => values.first().map(|(v, _)| Value::String((*v).to_owned())),
                    Kind::Switch => None,
                }),
        }
    }

    /// Sets the option (`None`: back to the genre's default). Refused, with
    /// the campaign unchanged, when the campaign does not take the value.
    pub fn set(&self, c: &mut Campaign, value: Option<Value>) -> Result<(), String> {
        fn put<T: Serialize + serde::de::DeserializeOwned>(
            now: &T,
            key: &str,
            value: Option<Value>,
        ) -> Result<T, String> {
            let mut table = table_of(now);
            match value {
                Some(v) => table.insert(key.to_owned(), v),
                None => table.remove(key),
            };
            Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| e.to_string())
        }
        match self.table {
            Table::Layout => c.layout = put(&c.layout, self.key, value)?,
            Table::Signatories => c.signatories = put(&c.signatories, self.key, value)?,
        }
        Ok(())
    }

    /// The words of `value` ("Bulleted list", "on").
    pub fn words(&self, value: &Value) -> String {
        match (self.kind, value) {
            (Kind::Switch, Value::Boolean(on)) => if *on { "shown" } else { "left out" }.to_owned(),
            (Kind::Choice(values), Value::String(s)) => values
                .iter()
                .find(|(v, _)| v == s)
                .map_or_else(|| s.clone(), |(_, words)| (*words).to_owned()),
            (_, other) => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign(template: &str) -> Campaign {
        Campaign::new("T", template)
    }

    #[test]
    fn every_row_names_a_key_the_campaign_takes_with_every_value() {
        for option in OPTIONS {
            let mut c = campaign("open-letter");
            let values: Vec<Value> = match option.kind {
                Kind::Switch => vec![Value::Boolean(true), Value::Boolean(false)],
                Kind::Choice(values) => values.iter().map(|(v, _)| Value::String((*v).to_owned())).collect(),
            };
            for v in values {
                option
                    .set(&mut c, Some(v.clone()))
                    .unwrap_or_else(|e| panic!("{}: {e}", option.key));
                let kept = option.value(&c).or_else(|| option.default_value(&c));
                assert_eq!(kept, Some(v), "{}", option.key);
            }
            option.set(&mut c, None).expect("unset");
            assert!(option.value(&c).is_none(), "{}", option.key);
            assert!(option.default_value(&c).is_some(), "{} has no default", option.key);
        }
    }

    #[test]
    fn the_default_is_the_genres_and_a_refused_value_changes_nothing() {
        let demands = OPTIONS.iter().find(|o| o.key == "demands").expect("row");
        let press = campaign("press-release");
        let letter = campaign("personal-letter");
        let press_default = demands.default_value(&press).expect("default");
        let letter_default = demands.default_value(&letter).expect("default");
        assert_eq!(
            demands.words(&press_default),
            crate::compose::genre::genre("press-release")
                .map(|g| crate::compose::genre::demand_style_name(g.demands))
                .map(|n| demands.words(&Value::String(n.to_owned())))
                .expect("genre")
        );
        assert!(demands.words(&letter_default).len() > 3);
        let mut c = campaign("personal-letter");
        let before = c.layout.clone();
        assert!(demands.set(&mut c, Some(Value::String("sideways".into()))).is_err());
        assert_eq!(c.layout, before);
    }
}
