//! The campaigner's figures: letters sent, answered (with the median time
//! to answer), automatic replies, bounced, no answer yet — in all, by
//! political group and by country — and the same per MEP as CSV.

use std::collections::BTreeMap;

use super::{Answer, MepState};
use crate::directory::Directory;

/// One line of the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// "all", a group ("EPP") or a country code ("DE").
    pub key: String,
    pub sent: usize,
    pub answered: usize,
    /// The median time from letter to reply, in seconds.
    pub median_secs: Option<i64>,
    pub auto_replies: usize,
    /// Failed (bounced) and delayed letters.
    pub bounced: usize,
    pub delayed: usize,
    pub no_answer: usize,
}

/// The figures in all, by group and by country (each sorted by key).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub all: Row,
    pub by_group: Vec<Row>,
    pub by_country: Vec<Row>,
}

fn median(mut secs: Vec<i64>) -> Option<i64> {
    if secs.is_empty() {
        return None;
    }
    secs.sort_unstable();
    let n = secs.len();
    Some(if n % 2 == 1 {
        secs[n / 2]
    } else {
        i64::midpoint(secs[n / 2 - 1], secs[n / 2])
    })
}

fn row<'a>(key: &str, states: impl Iterator<Item = &'a MepState>) -> Row {
    let mut r = Row {
        key: key.to_owned(),
        ..Row::default()
    };
    let mut times = Vec::new();
    for s in states {
        r.sent += 1;
        match s.answer {
            Answer::Replied => {
                r.answered += 1;
                times.extend(s.answered_after_secs);
            }
            Answer::AutoReplied => r.auto_replies += 1,
            Answer::Failed => r.bounced += 1,
            Answer::Delayed => r.delayed += 1,
            Answer::NoAnswer => {}
        }
        if s.answer.counts_as_no_answer() {
            r.no_answer += 1;
        }
    }
    r.median_secs = median(times);
    r
}

/// The summary of `states`, the MEPs' group and country from `directory`
/// ("?" for an MEP it no longer lists).
pub fn summarize(states: &BTreeMap<String, MepState>, directory: &Directory) -> Summary {
    let mut groups: BTreeMap<String, Vec<&MepState>> = BTreeMap::new();
    let mut countries: BTreeMap<String, Vec<&MepState>> = BTreeMap::new();
    for s in states.values() {
        let mep = directory.get(&s.mep);
        let group = mep.map_or("?", |m| m.group.as_str()).to_owned();
        let country = mep.map_or("?", |m| m.country.as_str()).to_owned();
        groups.entry(group).or_default().push(s);
        countries.entry(country).or_default().push(s);
    }
    Summary {
        all: row("all", states.values()),
        by_group: groups.iter().map(|(k, v)| row(k, v.iter().copied())).collect(),
        by_country: countries.iter().map(|(k, v)| row(k, v.iter().copied())).collect(),
    }
}

/// "3.5 days", "5 hours", "40 minutes".
pub fn duration_words(secs: i64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let days = secs as f64 / 86_400.0;
    if days >= 1.0 {
        format!("{days:.1} days")
    } else if secs >= 3600 {
        format!("{} hours", secs / 3600)
    } else {
        format!("{} minutes", secs / 60)
    }
}

/// A CSV cell: quoted when needed, and a leading `=`, `+`, `-`, `@`, tab
/// or carriage return made harmless with an apostrophe (a spreadsheet
/// would run it as a formula).
pub fn cell(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

fn line(cells: &[String]) -> String {
    let mut l = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    l.push_str("\r\n");
    l
}

fn days(secs: Option<i64>) -> String {
    #[allow(clippy::cast_precision_loss)]
    secs.map(|s| format!("{:.2}", s as f64 / 86_400.0)).unwrap_or_default()
}

/// The summary as CSV: scope, key, sent, answered, median days to answer,
/// automatic replies, bounced, delayed, no answer yet.
pub fn summary_csv(summary: &Summary) -> String {
    let mut out = line(
        &[
            "scope",
            "key",
            "sent",
            "answered",
            "median_days_to_answer",
            "automatic_replies",
            "bounced",
            "delayed",
            "no_answer_yet",
        ]
        .map(str::to_owned),
    );
    let rows = std::iter::once(("all", &summary.all))
        .chain(summary.by_group.iter().map(|r| ("group", r)))
        .chain(summary.by_country.iter().map(|r| ("country", r)));
    for (scope, r) in rows {
        out.push_str(&line(&[
            scope.to_owned(),
            r.key.clone(),
            r.sent.to_string(),
            r.answered.to_string(),
            days(r.median_secs),
            r.auto_replies.to_string(),
            r.bounced.to_string(),
            r.delayed.to_string(),
            r.no_answer.to_string(),
        ]));
    }
    out
}

/// One row per MEP: id, name, group, country, address, sent, state, date,
/// days to answer, status, server's words, back on. No reply text.
pub fn meps_csv(states: &BTreeMap<String, MepState>, directory: &Directory) -> String {
    let mut out = line(
        &[
            "mep_id",
            "name",
            "group",
            "country",
            "address",
            "sent",
            "state",
            "date",
            "days_to_answer",
            "status",
            "server_said",
            "back_on",
        ]
        .map(str::to_owned),
    );
    for s in states.values() {
        let mep = directory.get(&s.mep);
        let latest = s.latest.as_ref();
        out.push_str(&line(&[
            s.mep.clone(),
            s.name.clone(),
            mep.map(|m| m.group.clone()).unwrap_or_default(),
            mep.map(|m| m.country.clone()).unwrap_or_default(),
            s.to.clone(),
            s.sent_at.clone(),
            s.answer.words().to_owned(),
            s.at.clone().unwrap_or_default(),
            days(s.answered_after_secs),
            latest.map(|r| r.status.clone()).unwrap_or_default(),
            latest.map(|r| r.diagnostic.clone()).unwrap_or_default(),
            latest.and_then(|r| r.back_on.clone()).unwrap_or_default(),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_quotes_doubled() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+32 2 284"), "'+32 2 284");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Ana, MEP"), "\"Ana, MEP\"");
        assert_eq!(cell("plain"), "plain");
    }

    #[test]
    fn the_median_of_an_even_count_is_between() {
        assert_eq!(median(vec![10, 2, 4, 8]), Some(6));
        assert_eq!(median(vec![3]), Some(3));
        assert_eq!(median(vec![]), None);
    }
}
