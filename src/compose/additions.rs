//! What a campaign adds to its genre or changes in it: `[blocks]` (a block
//! switched off, replaced by a file, or added before or after another —
//! the bundled block of that name, a file, or a section of a heading and
//! text) and the demands in several groups (`[[demand_groups]]`), each with
//! its intro and layout.

use std::path::Path;

use serde_json::{Value, json};

use super::genre::{self, Resolved};
use super::{ComposeError, TemplateSet};
use crate::campaign::{self, BlockSetting, Campaign, CampaignError, Demand, InsertedBlock};

/// The registered name of a section's text: errors name it as the
/// campaign does.
pub fn section_name(block: &str) -> String {
    format!("[blocks] {block}")
}

/// The registered name of a demand group's intro (`number` from 1).
pub fn intro_name(number: usize) -> String {
    format!("[demand_groups] {number} intro")
}

/// The blocks a template calls (`{{> blocks/NAME}}`), in order.
pub fn partials(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("{{>") {
        rest = &rest[at + 3..];
        let call = rest.split("}}").next().unwrap_or_default().trim();
        if let Some(name) = call.strip_prefix("blocks/") {
            out.push(name.trim().to_owned());
        }
    }
    out
}

/// Where the campaign's `[blocks]` lines are, for messages.
struct Place<'a> {
    text: Option<String>,
    origin: &'a str,
}

impl Place<'_> {
    fn line(&self, name: &str) -> usize {
        let Some(text) = &self.text else { return 1 };
        match campaign::line_of_key(text, name) {
            1 => campaign::line_of_table(text, &format!("blocks.{name}")),
            n => n,
        }
    }

    fn error(&self, name: &str, message: String) -> ComposeError {
        ComposeError::Blocks {
            line: self.line(name),
            message,
            origin: self.origin.to_owned(),
        }
    }
}

/// `[blocks]` applied to `templates`: blocks switched off or replaced, then
/// the added ones put in place in the template `template` (whose blocks a
/// setting must name).
pub fn apply_blocks(templates: &mut TemplateSet, c: &Campaign, path: &Path) -> Result<(), ComposeError> {
    let template = &if campaign::has_extension(&c.template, "hbs") {
        super::templates::name_of(Path::new(&c.template))
    } else {
        c.template.clone()
    };
    let origin = path.display().to_string();
    let place = Place {
        text: crate::store::read_bounded_text(path, crate::store::limits::CAMPAIGN, "the campaign").ok(),
        origin: &origin,
    };
    let source = templates.source(template).map(str::to_owned);
    let has = partials(source.as_deref().unwrap_or_default());
    let listed = || format!("the blocks of {template} are {}", has.join(", "));
    let mut inserts = Vec::new();
    for (name, setting) in &c.blocks {
        let body = genre::BODY_BLOCKS.iter().any(|(n, _)| n == name);
        let layout = genre::LAYOUT_BLOCKS.contains(&name.as_str());
        match setting {
            BlockSetting::Insert(insert) => {
                inserts.push((place.line(name), name.as_str(), insert));
            }
            _ if !body && !layout => {
                return Err(ComposeError::UnknownBlock {
                    name: name.clone(),
                    line: place.line(name),
                    known: genre::block_names().join(", "),
                    origin,
                });
            }
            BlockSetting::File(_) if layout => {
                return Err(ComposeError::LayoutBlockFile {
                    name: name.clone(),
                    line: place.line(name),
                    origin,
                });
            }
            BlockSetting::On(true) => return Err(place.error(name, switched_on(name, layout, &has, template))),
            _ if body && source.is_some() && !has.contains(name) => {
                let message = format!(
                    "{template} has no block \"{name}\" to switch off or replace ({}); to add it, write [blocks.{name}] with after = \"BLOCK\" or before = \"BLOCK\"",
                    listed()
                );
                return Err(place.error(name, message));
            }
            BlockSetting::On(false) if body => templates.add(&format!("blocks/{name}"), "")?,
            BlockSetting::On(_) => {}
            BlockSetting::File(file) => add_block_file(templates, name, &campaign::resolve(path, file))?,
        }
    }
    if inserts.is_empty() {
        return Ok(());
    }
    let Some(mut source) = source else { return Ok(()) };
    inserts.sort_by_key(|(line, name, _)| (*line, *name));
    for (_, name, insert) in &inserts {
        register_insert(templates, &place, path, name, insert)?;
    }
    place_inserts(&mut source, &inserts, &place, template)?;
    templates.add(template, &source)
}

/// Why `NAME = true` is refused: it would change nothing.
fn switched_on(name: &str, layout: bool, has: &[String], template: &str) -> String {
    if layout {
        let key = name.replace('-', "_");
        format!("`{name} = true` changes nothing; to show the {name} block, write `{key} = true` under [layout]")
    } else if has.iter().any(|h| h == name) {
        format!(
            "`{name} = true` changes nothing: \"{name}\" is one of the blocks of {template} ({}); leave the line out, or write `{name} = false` to leave the block out",
            has.join(", ")
        )
    } else {
        format!(
            "`{name} = true` cannot add a block: {template} has no block \"{name}\" (its blocks are {}); to add it, write [blocks.{name}] with after = \"BLOCK\" or before = \"BLOCK\"",
            has.join(", ")
        )
    }
}

fn add_block_file(templates: &mut TemplateSet, name: &str, file: &Path) -> Result<(), ComposeError> {
    let source =
        crate::store::read_bounded_text(file, crate::store::limits::TEMPLATE, "a block file").map_err(|source| {
            ComposeError::Campaign(CampaignError::Read {
                origin: file.display().to_string(),
                source,
            })
        })?;
    templates.add(&format!("blocks/{name}"), &source)
}

/// Registers what an added block shows: its file, its section (heading and
/// text), or the bundled block of its name.
fn register_insert(
    templates: &mut TemplateSet,
    place: &Place,
    path: &Path,
    name: &str,
    insert: &InsertedBlock,
) -> Result<(), ComposeError> {
    if name.is_empty()
        || !name
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
    {
        return Err(place.error(
            name,
            format!("the block name \"{name}\" may have only small letters a-z, digits and \"-\""),
        ));
    }
    if genre::LAYOUT_BLOCKS.contains(&name) {
        return Err(place.error(
            name,
            format!("\"{name}\" is laid out by each format and stays where it is; it cannot be added or moved"),
        ));
    }
    if let Some(file) = &insert.file {
        return add_block_file(templates, name, &campaign::resolve(path, file));
    }
    if insert.is_section() {
        templates.add(&section_name(name), &insert.text)?;
        // The name is checked above: only a-z, 0-9 and "-" reach the source.
        let source = format!(
            "{{{{#with sections.[{name}]}}}}{{{{#if heading}}}}## {{{{heading}}}}\n\n{{{{/if}}}}{{{{#if text}}}}{{{{{{text}}}}}}\n\n{{{{/if}}}}{{{{/with}}}}"
        );
        return templates.add(&format!("blocks/{name}"), &source);
    }
    if genre::BODY_BLOCKS.iter().any(|(n, _)| *n == name) {
        return Ok(());
    }
    let bundled: Vec<&str> = genre::BODY_BLOCKS.iter().map(|(n, _)| *n).collect();
    Err(place.error(
        name,
        format!(
            "there is no bundled block \"{name}\" to add; name one of {}, or give the block a `file`, or a `heading` and `text`",
            bundled.join(", ")
        ),
    ))
}

/// Puts each added block in `source`, in the campaign file's order: after
/// its anchor (and after the blocks added there before it) or before it.
/// A block already in the template moves. Anchors may be blocks added
/// later in the file.
fn place_inserts(
    source: &mut String,
    inserts: &[(usize, &str, &InsertedBlock)],
    place: &Place,
    template: &str,
) -> Result<(), ComposeError> {
    let call = |n: &str| format!("{{{{> blocks/{n}}}}}");
    let mut waiting: Vec<&(usize, &str, &InsertedBlock)> = inserts.iter().collect();
    // The last block added after each anchor.
    let mut last_after: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    while !waiting.is_empty() {
        let before = waiting.len();
        let mut still = Vec::new();
        for item in waiting {
            let (_, name, insert) = *item;
            let (anchor, after) = match (insert.after.trim(), insert.before.trim()) {
                (a, "") if !a.is_empty() => (a, true),
                ("", b) if !b.is_empty() => (b, false),
                _ => {
                    return Err(place.error(
                        name,
                        format!("[blocks.{name}] needs one place: after = \"BLOCK\" or before = \"BLOCK\""),
                    ));
                }
            };
            if anchor == name {
                return Err(place.error(name, format!("[blocks.{name}] cannot be placed next to itself")));
            }
            let has = partials(source);
            if !has.iter().any(|h| h == anchor) {
                still.push(item);
                continue;
            }
            // A block already in the template moves.
            if has.iter().any(|h| h == name) {
                *source = source
                    .replacen(&format!("{}\n", call(name)), "", 1)
                    .replacen(&call(name), "", 1);
            }
            let target = if after {
                last_after.get(anchor).cloned().unwrap_or_else(|| anchor.to_owned())
            } else {
                anchor.to_owned()
            };
            let at = source.find(&call(&target)).unwrap_or_default();
            // An empty line after the added block: a file that ends
            // without one does not run into the next block's paragraph.
            if after {
                let end = at + call(&target).len();
                source.insert_str(end, &format!("\n{}\n", call(name)));
                last_after.insert(anchor.to_owned(), (*name).to_owned());
            } else {
                source.insert_str(at, &format!("{}\n\n", call(name)));
            }
        }
        if still.len() == before {
            let (_, name, insert) = still[0];
            let anchor = if insert.after.trim().is_empty() {
                &insert.before
            } else {
                &insert.after
            };
            return Err(place.error(
                name,
                format!(
                    "[blocks.{name}] is to go next to \"{}\", which is not a block of {template}; the blocks are {}",
                    anchor.trim(),
                    partials(source).join(", ")
                ),
            ));
        }
        waiting = still;
    }
    Ok(())
}

/// Checks `[[demand_groups]]` against the demands: every id known, none in
/// two groups, at most one group without ids (it takes the rest), and no
/// demand left in no group.
pub fn check_groups(c: &Campaign, demands: &[Demand]) -> Result<(), ComposeError> {
    let groups = &c.demand_groups;
    if groups.is_empty() {
        return Ok(());
    }
    let err = |message: String| ComposeError::DemandGroups { message };
    let ids: Vec<&str> = demands.iter().map(|d| d.id.as_str()).collect();
    let mut seen: Vec<&str> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        for id in &g.demands {
            if !ids.contains(&id.as_str()) {
                return Err(err(format!(
                    "group {} names the demand \"{id}\", which the campaign does not have; its demands are {}",
                    i + 1,
                    ids.join(", ")
                )));
            }
            if seen.contains(&id.as_str()) {
                return Err(err(format!("the demand \"{id}\" is in two groups; keep it in one")));
            }
            seen.push(id);
        }
    }
    let rest = groups.iter().filter(|g| g.demands.is_empty()).count();
    if rest > 1 {
        return Err(err(
            "more than one group lists no demands; only one group may take the demands no other group names".to_owned(),
        ));
    }
    let left: Vec<&str> = ids.iter().copied().filter(|id| !seen.contains(id)).collect();
    if rest == 0 && !left.is_empty() {
        return Err(err(format!(
            "the demands {} are in no group; add their ids to a group's `demands`, or leave one group's `demands` out so that it takes them",
            left.join(", ")
        )));
    }
    Ok(())
}

/// The groups of demands a template sees (`demand_groups`), their intros
/// still empty (filled in per letter): each group's demands in the letter's
/// order, numbered through the letter.
pub fn groups_data(c: &Campaign, demands: &[Value], layout: &Resolved) -> Value {
    let style = |s: campaign::DemandStyle| genre::demand_style_name(s);
    let tight = layout.demand_body != campaign::DemandBody::Full;
    if c.demand_groups.is_empty() {
        return json!([{"intro": "", "layout": style(layout.demands), "tight": tight, "demands": demands}]);
    }
    let named: Vec<&String> = c.demand_groups.iter().flat_map(|g| &g.demands).collect();
    let mut number = 0;
    let groups: Vec<Value> = c
        .demand_groups
        .iter()
        .map(|g| {
            let mine: Vec<Value> = demands
                .iter()
                .filter(|d| {
                    let id = d["id"].as_str().unwrap_or_default();
                    if g.demands.is_empty() {
                        !named.iter().any(|n| *n == id)
                    } else {
                        g.demands.iter().any(|n| n == id)
                    }
                })
                .map(|d| {
                    // Numbered through the letter, group after group.
                    number += 1;
                    let mut d = d.clone();
                    d["number"] = json!(number);
                    d
                })
                .collect();
            json!({"intro": "", "layout": style(g.layout.unwrap_or(layout.demands)), "tight": tight, "demands": mine})
        })
        .collect();
    Value::Array(groups)
}
