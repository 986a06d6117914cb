//! What came back from each MEP, for the recipients table's Response
//! column and filter: the stored responses of the open campaign, read by
//! the core (`deliver::responses::of_campaign`) on a job whenever the
//! campaign, its journal or the mail account changes, or a reading in the
//! Responses window ends. Nothing here parses mail.

use std::collections::HashMap;

use eframe::egui;

use crate::deliver::responses::{self, Answer, Files};
use crate::directory::Directory;
use crate::ui::jobs::Job;

/// Every answer, in the order the filter lists them.
const ANSWERS: [Answer; 5] = [
    Answer::Replied,
    Answer::AutoReplied,
    Answer::Failed,
    Answer::Delayed,
    Answer::NoAnswer,
];

/// The open campaign's responses as the table shows them.
#[derive(Default)]
pub(super) struct Answers {
    /// Where each MEP the campaign wrote to stands, by MEP id.
    by_mep: HashMap<String, Answer>,
    /// The files `by_mep` was read from (or is being read from).
    read_from: Option<Files>,
    job: Option<Job<Result<HashMap<String, Answer>, String>>>,
    /// Read again on the next frame.
    stale: bool,
}

impl Answers {
    /// Reads the responses again when `files` changed or a reading ended;
    /// takes a finished reading. True when what the table shows changed.
    pub fn keep_current(&mut self, ctx: &egui::Context, files: Option<&Files>) -> bool {
        let mut changed = false;
        if let Some(done) = self.job.as_mut().and_then(Job::poll_result) {
            self.job = None;
            // A campaign that was never sent, or whose files cannot be
            // read, shows no answers; the Responses window says why.
            self.by_mep = done.unwrap_or_default();
            changed = true;
        }
        if self.stale || self.read_from.as_ref() != files {
            self.stale = false;
            self.read_from = files.cloned();
            if let Some(files) = files.cloned() {
                self.job = Some(Job::spawn("hemicycle-answers", ctx, move |_| {
                    responses::of_campaign(&files)
                        .map(|found| found.states.into_iter().map(|(mep, s)| (mep, s.answer)).collect())
                        .map_err(|e| e.to_string())
                }));
            } else {
                self.job = None;
                changed |= !self.by_mep.is_empty();
                self.by_mep.clear();
            }
        }
        changed
    }

    /// Whether the responses are being read.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// A reading of the mailbox ended: read the stored responses again.
    pub fn changed(&mut self) {
        self.stale = true;
    }

    /// Whether the campaign has letters whose outcome is known.
    pub fn any(&self) -> bool {
        !self.by_mep.is_empty()
    }

    /// The MEP's cell: what came back, or nothing when no letter went.
    pub fn cell(&self, mep: &str) -> &'static str {
        self.by_mep.get(mep).map_or("", |a| a.words())
    }

    /// Whether the MEP matches the filter (`None`: every MEP).
    pub fn matches(&self, filter: Option<Answer>, mep: &str) -> bool {
        filter.is_none_or(|f| self.by_mep.get(mep) == Some(&f))
    }

    /// The filter's choices with their counts: ("answered", "answered (3)").
    pub fn choices(&self) -> Vec<(String, String)> {
        ANSWERS
            .iter()
            .map(|a| {
                let count = self.by_mep.values().filter(|b| *b == a).count();
                (a.words().to_owned(), format!("{} ({count})", a.words()))
            })
            .collect()
    }

    /// The answer a filter choice names.
    pub fn parse(words: &str) -> Option<Answer> {
        ANSWERS.into_iter().find(|a| a.words() == words)
    }

    /// The rows of `shown` (indices into the directory) the filter keeps.
    pub fn filter(&self, filter: Option<Answer>, directory: &Directory, shown: &mut Vec<usize>) {
        if filter.is_some() {
            shown.retain(|&i| directory.meps.get(i).is_some_and(|m| self.matches(filter, &m.id)));
        }
    }
}
