//! The campaign file's own texts that may cite a source beyond the demands
//! and the template: its `[wording]` phrases and the press release's lead,
//! the sections it adds (`[blocks.NAME] text`), the intros of its demand
//! groups (`[[demand_groups]] intro`), and the same texts of each
//! translation. Each comes with where it is, as the person writing the
//! file sees it, so that `hemicycle check` and the app name an unknown key
//! there before a letter is made, and a source cited only there counts as
//! used.

use crate::campaign::{BlockSetting, Blocks, Campaign, DemandGroup, Wording, line_of_table};

/// A text of the campaign file and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited {
    /// "the section [blocks.press] text (line 12 of campaign.toml)".
    pub place: String,
    pub text: String,
}

/// Every text of `c` that may cite, outside the demands and templates.
/// `file` is the campaign file's text (for line numbers), `name` its file
/// name.
pub fn texts(c: &Campaign, file: Option<&str>, name: &str) -> Vec<Cited> {
    let mut at = Collect {
        file,
        name,
        out: Vec::new(),
    };
    at.wording("wording", "", &c.wording);
    at.push(&c.press.lead, "the press release's lead [press] lead", "press", "lead");
    at.blocks("blocks", "", &c.blocks);
    at.groups("demand_groups", "", &c.demand_groups);
    for (code, t) in &c.translations {
        let table = format!("translations.{code}");
        let whose = format!(" of the translation [translations.{code}]");
        at.wording(&format!("{table}.wording"), &whose, &t.wording);
        at.push(&t.lead, &format!("the lead{whose}"), &table, "lead");
        at.blocks(&format!("{table}.blocks"), &whose, &t.blocks);
        at.groups(&format!("{table}.demand_groups"), &whose, &t.demand_groups);
    }
    at.out
}

struct Collect<'a> {
    file: Option<&'a str>,
    name: &'a str,
    out: Vec<Cited>,
}

impl Collect<'_> {
    /// The line of `key` in `[table]` (the table's line when the key is not
    /// found below it); `None` when the file is unknown or does not have the
    /// table (yet: a section added in the app and not saved).
    fn line(&self, table: &str, key: &str) -> Option<usize> {
        let file = self.file?;
        let start = line_of_table(file, table);
        let named = file
            .lines()
            .nth(start - 1)
            .is_some_and(|l| l.contains(table.rsplit('.').next().unwrap_or(table)));
        named.then(|| key_below(file, start, key).unwrap_or(start))
    }

    /// "WHAT (line N of FILE)", or "WHAT (FILE)" without a line.
    fn place(&self, what: &str, line: Option<usize>) -> String {
        match line {
            Some(line) => format!("{what} (line {line} of {})", self.name),
            None => format!("{what} ({}, not saved yet)", self.name),
        }
    }

    fn push(&mut self, text: &str, what: &str, table: &str, key: &str) {
        if text.trim().is_empty() {
            return;
        }
        let place = self.place(what, self.line(table, key));
        self.out.push(Cited {
            place,
            text: text.to_owned(),
        });
    }

    fn wording(&mut self, table: &str, whose: &str, w: &Wording) {
        for (key, text) in w.entries() {
            if let Some(text) = text {
                self.push(text, &format!("the phrase [wording] {key}{whose}"), table, key);
            }
        }
    }

    fn blocks(&mut self, table: &str, whose: &str, blocks: &Blocks) {
        for (name, setting) in blocks {
            if let BlockSetting::Insert(i) = setting {
                let what = format!("the section [blocks.{name}] text{whose}");
                self.push(&i.text, &what, &format!("{table}.{name}"), "text");
            }
        }
    }

    fn groups(&mut self, table: &str, whose: &str, groups: &[DemandGroup]) {
        for (n, g) in groups.iter().enumerate() {
            let Some(intro) = &g.intro else { continue };
            let line = self.group_line(table, n);
            if intro.trim().is_empty() {
                continue;
            }
            let place = self.place(&format!("the intro of demand group {}{whose}", n + 1), line);
            self.out.push(Cited {
                place,
                text: intro.clone(),
            });
        }
    }

    /// The line of the `intro` of the `n`th (from 0) `[[table]]`; `None`
    /// when the file has no such group (yet).
    fn group_line(&self, table: &str, n: usize) -> Option<usize> {
        let file = self.file?;
        let header = format!("[[{table}]]");
        let start = file
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with(&header))
            .nth(n)
            .map(|(i, _)| i + 1)?;
        Some(key_below(file, start, "intro").unwrap_or(start))
    }
}

/// The line (1-based) of `key = …` among the lines after line `start`,
/// before the next table header.
fn key_below(file: &str, start: usize, key: &str) -> Option<usize> {
    file.lines()
        .enumerate()
        .skip(start)
        .take_while(|(_, l)| !l.trim_start().starts_with('['))
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"title = "T"
template = "open-letter"

[wording]
opening = "We write [@a]."

[blocks.press]
after = "demands"
heading = "Notes"
text = "See [@b]."

[[demand_groups]]
intro = "We ask [@c]:"

[[demand_groups]]
demands = ["x"]
intro = "We also ask [@d]:"

[translations.fr.blocks.press]
after = "demands"
text = "Voir [@e]."

[[translations.fr.demand_groups]]
intro = "Nous demandons [@f] :"
"#;

    #[test]
    fn every_text_outside_the_demands_is_found_with_its_line() {
        let file = format!("format = \"hemicycle-campaign\"\nversion = 1\n{FILE}");
        let c: Campaign = toml::from_str(&file).expect("campaign");
        let found = texts(&c, Some(&file), "c.toml");
        let places: Vec<&str> = found.iter().map(|c| c.place.as_str()).collect();
        assert_eq!(
            places,
            [
                "the phrase [wording] opening (line 7 of c.toml)",
                "the section [blocks.press] text (line 12 of c.toml)",
                "the intro of demand group 1 (line 15 of c.toml)",
                "the intro of demand group 2 (line 19 of c.toml)",
                "the section [blocks.press] text of the translation [translations.fr] (line 23 of c.toml)",
                "the intro of demand group 1 of the translation [translations.fr] (line 26 of c.toml)",
            ]
        );
        assert_eq!(found[5].text, "Nous demandons [@f] :");
        // A section and a group added in the app, not saved yet: no line.
        let unsaved = texts(&c, Some("title = \"T\"\n"), "c.toml");
        assert_eq!(
            unsaved[1].place,
            "the section [blocks.press] text (c.toml, not saved yet)"
        );
        assert_eq!(unsaved[2].place, "the intro of demand group 1 (c.toml, not saved yet)");
    }
}
