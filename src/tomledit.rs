//! Writing a TOML file that a person may have written by hand: the values
//! change, the comments, the order of the keys, the quoting and the blank
//! lines stay. A leaf module (it knows TOML, not campaigns).
//!
//! [`update`] takes the file as it is on disk and the new contents as a
//! serializer wrote them, and changes in the old document only what differs:
//! a value that is equal (by value, not by spelling) is left as the person
//! wrote it, a changed value keeps the comments around it, a removed key goes,
//! a new key is added at the end of its table.

use toml_edit::{ArrayOfTables, DocumentMut, Item, TableLike, Value};

/// The text of `new` written over the layout of `old`; `None` when `old`
/// is not TOML (the caller then writes `new` as it is). A key that `old`
/// does not have is added, unless `defaults` is given (the serializer's
/// output for an empty value of the same type) and has it with the same
/// value, or, where `defaults` cannot tell (in lists of tables), its value
/// is empty: a file that leaves out what is the default keeps leaving it
/// out. With `keep_absent`, a key that `new` leaves out stays as `old` has
/// it (serializers leave out values that are the default). The caller checks
/// that the result reads back as it should, and tries the next way if not.
pub fn update(old: &str, new: &str, defaults: Option<&str>, keep_absent: bool) -> Option<String> {
    let mut doc: DocumentMut = old.parse().ok()?;
    let new: DocumentMut = new.parse().ok()?;
    let defaults: Option<DocumentMut> = defaults.and_then(|d| d.parse().ok());
    let how = How {
        sparse: defaults.is_some(),
        keep_absent,
    };
    merge_tables(
        doc.as_table_mut(),
        new.as_table(),
        defaults.as_ref().map(|d| d.as_table() as &dyn TableLike),
        how,
    );
    Some(doc.to_string())
}

#[derive(Debug, Clone, Copy)]
struct How {
    /// New keys whose value is the default are not added.
    sparse: bool,
    /// Keys that the new text leaves out are kept.
    keep_absent: bool,
}

fn merge_tables(old: &mut dyn TableLike, new: &dyn TableLike, defaults: Option<&dyn TableLike>, how: How) {
    let gone: Vec<String> = old
        .iter()
        .map(|(k, _)| k.to_owned())
        .filter(|k| !how.keep_absent && !new.contains_key(k))
        .collect();
    for key in gone {
        old.remove(&key);
    }
    for (key, item) in new.iter() {
        let default = defaults.and_then(|d| d.get(key));
        let implied = match default {
            Some(d) => same_item(d, item),
            None => defaults.is_none() && is_empty(item),
        };
        match old.get_mut(key) {
            Some(existing) => merge_item(existing, item, default, how),
            None if how.sparse && implied => {}
            None => {
                let mut item = item.clone();
                unplace(&mut item);
                old.insert(key, item);
            }
        }
    }
}

/// A table taken from the new text loses the place it had there: without
/// one, it is written after the table it now follows (a translation added
/// to the second of several `[[demands]]` stays with that demand).
fn unplace(item: &mut Item) {
    match item {
        Item::Table(t) => {
            t.set_position(None);
            for (_, child) in t.iter_mut() {
                unplace(child);
            }
        }
        Item::ArrayOfTables(a) => {
            for t in a.iter_mut() {
                t.set_position(None);
                for (_, child) in t.iter_mut() {
                    unplace(child);
                }
            }
        }
        _ => {}
    }
}

fn merge_item(old: &mut Item, new: &Item, default: Option<&Item>, how: How) {
    match (&mut *old, new) {
        (Item::ArrayOfTables(o), Item::ArrayOfTables(n)) => merge_arrays_of_tables(o, n, how),
        // A table written inline by one side and as a section by the other:
        // the person's spelling stays, the keys are merged.
        (o, n) if o.is_table_like() && n.is_table_like() => {
            if let (Some(o), Some(n)) = (o.as_table_like_mut(), n.as_table_like()) {
                merge_tables(o, n, default.and_then(Item::as_table_like), how);
            }
        }
        (Item::Value(o), Item::Value(n)) => merge_values(o, n),
        (o, n) => *o = n.clone(),
    }
}

fn merge_arrays_of_tables(old: &mut ArrayOfTables, new: &ArrayOfTables, how: How) {
    while old.len() > new.len() {
        old.remove(old.len() - 1);
    }
    for (i, table) in new.iter().enumerate() {
        if let Some(existing) = old.get_mut(i) {
            merge_tables(existing, table, None, how);
        } else {
            let mut table = table.clone();
            table.set_position(None);
            for (_, child) in table.iter_mut() {
                unplace(child);
            }
            old.push(table);
        }
    }
}

fn merge_values(old: &mut Value, new: &Value) {
    if same(old, new) {
        return;
    }
    match (&mut *old, new) {
        (Value::InlineTable(o), Value::InlineTable(n)) => merge_tables(
            o,
            n,
            None,
            How {
                sparse: false,
                keep_absent: false,
            },
        ),
        (Value::Array(o), Value::Array(n)) if o.len() == n.len() => {
            for (i, value) in n.iter().enumerate() {
                if let Some(existing) = o.get_mut(i) {
                    merge_values(existing, value);
                }
            }
        }
        (o, n) => {
            let decor = o.decor().clone();
            *o = n.clone();
            *o.decor_mut() = decor;
        }
    }
}

/// An empty string, list or table, or `false`.
fn is_empty(item: &Item) -> bool {
    match item.as_value() {
        Some(Value::String(s)) => s.value().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::InlineTable(t)) => t.is_empty(),
        Some(Value::Boolean(b)) => !b.value(),
        Some(_) => false,
        None => item.as_table_like().is_some_and(TableLike::is_empty),
    }
}

fn same_item(a: &Item, b: &Item) -> bool {
    match (a.as_value(), b.as_value()) {
        (Some(a), Some(b)) => same(a, b),
        _ => match (a.as_table_like(), b.as_table_like()) {
            (Some(x), Some(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_item(v, w)))
            }
            _ => false,
        },
    }
}

/// Equal by value: `'a'` and `"a"`, `1_000` and `1000` are the same.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Integer(y)) => x.value() == y.value(),
        (Value::Float(x), Value::Float(y)) => x.value().to_bits() == y.value().to_bits(),
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Datetime(x), Value::Datetime(y)) => x.value() == y.value(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same(a, b)),
        (Value::InlineTable(x), Value::InlineTable(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAND_WRITTEN: &str = r#"# The campaign for the AI Act vote.
title = 'People on the move'   # short: it is the e-mail's subject too
date = "2026-03-01"

# Our letterhead.
[organisation]
name = "Stichting Voorbeeld"
address = [
    "Straat 1",   # the office
    "Utrecht",
]
signatory = { name = "An", role = "Chair" }

[[demands]]
id = "ban"   # keep in sync with the set
title = "Ban it"

[[demands]]
id = "audit"
title = "Audit it"
"#;

    fn value(text: &str) -> toml::Value {
        toml::from_str(text).expect("TOML")
    }

    #[test]
    fn a_table_added_to_one_of_several_array_tables_stays_with_it() {
        let mut v = value(HAND_WRITTEN);
        for (i, title) in [(0, "Verbieten"), (1, "Prüfen")] {
            let demand = v["demands"][i].as_table_mut().expect("a demand");
            let mut de = toml::Table::new();
            de.insert("title".into(), toml::Value::String(title.into()));
            let mut translations = toml::Table::new();
            translations.insert("de".into(), toml::Value::Table(de));
            demand.insert("translations".into(), toml::Value::Table(translations));
        }
        let new = toml::to_string_pretty(&v).expect("serialize");
        let merged = update(HAND_WRITTEN, &new, None, false).expect("merged");
        assert_eq!(value(&merged), v, "{merged}");
        assert!(
            merged.contains("id = \"ban\"   # keep in sync with the set"),
            "{merged}"
        );
        let ban = merged.find("Ban it").expect("ban");
        let first = merged.find("Verbieten").expect("first");
        let audit = merged.find("Audit it").expect("audit");
        assert!(ban < first && first < audit, "{merged}");
    }

    #[test]
    fn nothing_changed_writes_the_same_bytes() {
        let serialized = toml::to_string_pretty(&value(HAND_WRITTEN)).expect("serialize");
        assert_eq!(
            update(HAND_WRITTEN, &serialized, None, false).as_deref(),
            Some(HAND_WRITTEN)
        );
    }

    #[test]
    fn a_changed_value_keeps_the_comments_and_layout_around_it() {
        let mut v = value(HAND_WRITTEN);
        v["title"] = toml::Value::String("People on the move, again".into());
        v["organisation"]["signatory"]["role"] = toml::Value::String("Director".into());
        v["demands"][1]["title"] = toml::Value::String("Audit it yearly".into());
        let new = toml::to_string_pretty(&v).expect("serialize");
        let out = update(HAND_WRITTEN, &new, None, false).expect("merged");
        assert_eq!(value(&out), v, "{out}");
        for kept in [
            "# The campaign for the AI Act vote.",
            "# short: it is the e-mail's subject too",
            "# Our letterhead.",
            "\"Straat 1\",   # the office",
            "signatory = { name = \"An\", role = \"Director\" }",
            "id = \"ban\"   # keep in sync with the set",
        ] {
            assert!(out.contains(kept), "lost {kept:?} in\n{out}");
        }
        let changed = HAND_WRITTEN.lines().zip(out.lines()).filter(|(a, b)| a != b).count();
        assert_eq!(changed, 3, "{out}");
    }

    #[test]
    fn removed_keys_go_and_new_ones_come_and_lists_change_length() {
        let mut v = value(HAND_WRITTEN);
        let table = v.as_table_mut().expect("table");
        table.remove("date");
        table.insert("language".into(), toml::Value::String("nl".into()));
        let demands = table
            .get_mut("demands")
            .and_then(toml::Value::as_array_mut)
            .expect("demands");
        demands.pop();
        let new = toml::to_string_pretty(&v).expect("serialize");
        let out = update(HAND_WRITTEN, &new, None, false).expect("merged");
        assert_eq!(value(&out), v, "{out}");
        assert!(!out.contains("date") && !out.contains("audit"), "{out}");
        assert!(out.contains("# keep in sync with the set"), "{out}");
    }

    #[test]
    fn what_is_not_toml_is_left_to_the_caller() {
        assert_eq!(update("title = ", "title = \"x\"", None, false), None);
    }
}
