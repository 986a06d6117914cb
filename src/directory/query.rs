//! Filtering and sorting the directory.
//!
//! Free text ignores case and diacritics, including letters that Unicode
//! does not decompose ("arlukowicz" finds "ARŁUKOWICZ", "dragos" finds
//! "Dragoş"): [`fold`] transliterates with `deunicode` before lower-casing.
//! Every word of the query must occur in the MEP's name, country, group,
//! national party, committees or e-mail.

use serde::{Deserialize, Serialize};

use super::{Directory, Mep, Role, countries, groups};

/// Folds text for searching: transliterated to ASCII, lower case, apostrophes
/// dropped ("O'Sullivan" → "osullivan"), other punctuation turned to spaces.
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut last_space = true;
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
            last_space = false;
        } else if ch == '\'' || ch == '`' {
            // dropped
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// How to order the results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SortBy {
    #[default]
    Name,
    Country,
    Group,
}

/// A saved directory query. Empty lists mean "any". Within one list any value
/// matches; across lists all must match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    /// ISO alpha-2 codes (names and alpha-3 codes are resolved).
    pub countries: Vec<String>,
    /// Group codes (any known spelling is resolved).
    pub groups: Vec<String>,
    /// National parties (case and diacritics ignored).
    pub national_parties: Vec<String>,
    /// Committee acronyms.
    pub committees: Vec<String>,
    /// Committee roles. With committees: the role on one of those committees.
    /// Without: the role on any committee.
    pub roles: Vec<Role>,
    /// Free text.
    pub text: String,
    pub sort: SortBy,
    /// Positions in roll-call votes (`"195775:against"`): within one vote
    /// any of its positions matches; across votes all must match.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub votes: Vec<VoteFilter>,
}

/// The positions an MEP can have in a vote, as filters and templates name them.
pub const VOTE_POSITIONS: [&str; 5] = ["for", "against", "abstention", "did-not-vote", "none"];

/// One vote filter: a HowTheyVote vote id and a position (`none`: the MEP
/// was not in that vote).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VoteFilter {
    pub vote: u64,
    pub position: String,
}

impl std::str::FromStr for VoteFilter {
    type Err = String;

    /// `195775:against`; `for`, `against`, `abstention`, `did-not-vote` or `none`.
    fn from_str(text: &str) -> Result<Self, String> {
        let shown: String = text.chars().take(60).collect();
        let problem = || {
            format!(
                "{shown:?} is not a vote filter; write the vote id and a position, such as \"195775:against\" (positions: {})",
                VOTE_POSITIONS.join(", ")
            )
        };
        let (id, position) = text.trim().split_once(':').ok_or_else(problem)?;
        let vote = id.trim().parse::<u64>().map_err(|_| problem())?;
        let position = position.trim().to_ascii_lowercase().replace('_', "-");
        if !VOTE_POSITIONS.contains(&position.as_str()) {
            return Err(problem());
        }
        Ok(Self { vote, position })
    }
}

impl TryFrom<String> for VoteFilter {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        text.parse()
    }
}

impl From<VoteFilter> for String {
    fn from(f: VoteFilter) -> String {
        f.to_string()
    }
}

impl std::fmt::Display for VoteFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.vote, self.position)
    }
}

/// Each vote's positions by MEP id (`for`, `against`, …; an MEP not in the
/// map was not in the vote: `none`), for the vote filters.
pub type VotePositions = std::collections::HashMap<u64, std::collections::HashMap<String, &'static str>>;

/// A directory prepared for fast queries: the folded search text of every
/// MEP is computed once.
pub struct Index<'a> {
    directory: &'a Directory,
    haystacks: Vec<String>,
    sort_keys: Vec<String>,
    votes: Option<VotePositions>,
}

impl<'a> Index<'a> {
    pub fn new(directory: &'a Directory) -> Self {
        let haystacks = directory.meps.iter().map(haystack).collect();
        let sort_keys = directory.meps.iter().map(Mep::sort_key).collect();
        Self {
            directory,
            haystacks,
            sort_keys,
            votes: None,
        }
    }

    /// The same index with the votes its vote filters read. Without them
    /// (or without the filter's vote among them) a vote filter matches no MEP.
    #[must_use]
    pub fn with_votes(mut self, votes: VotePositions) -> Self {
        self.votes = Some(votes);
        self
    }

    /// The MEPs that match `query`, in its order.
    pub fn run(&self, query: &Query) -> Vec<&'a Mep> {
        let prepared = Prepared::new(query);
        let mut hits: Vec<usize> = (0..self.directory.meps.len())
            .filter(|&i| {
                let mep = &self.directory.meps[i];
                prepared.matches(mep, &self.haystacks[i]) && self.votes_match(query, mep)
            })
            .collect();
        let meps = &self.directory.meps;
        match query.sort {
            SortBy::Name => hits.sort_by(|&a, &b| self.sort_keys[a].cmp(&self.sort_keys[b])),
            SortBy::Country => hits.sort_by(|&a, &b| {
                (meps[a].country_name(), &self.sort_keys[a]).cmp(&(meps[b].country_name(), &self.sort_keys[b]))
            }),
            SortBy::Group => hits.sort_by(|&a, &b| {
                (group_rank(&meps[a].group), &self.sort_keys[a]).cmp(&(group_rank(&meps[b].group), &self.sort_keys[b]))
            }),
        }
        hits.into_iter().map(|i| &meps[i]).collect()
    }
}

impl Index<'_> {
    /// Whether `mep` took one of the filtered positions in each filtered vote.
    fn votes_match(&self, query: &Query, mep: &Mep) -> bool {
        query.votes.iter().all(|f| {
            let Some(positions) = self.votes.as_ref().and_then(|v| v.get(&f.vote)) else {
                return false;
            };
            let own = positions.get(&mep.id).copied().unwrap_or("none");
            query
                .votes
                .iter()
                .filter(|g| g.vote == f.vote)
                .any(|g| g.position == own)
        })
    }
}

/// Groups sort in the EP's seating order, unknown groups last.
fn group_rank(code: &str) -> (usize, &str) {
    let rank = groups::GROUPS.iter().position(|g| g.code == code).unwrap_or(usize::MAX);
    (rank, code)
}

fn haystack(mep: &Mep) -> String {
    let committees: Vec<&str> = mep.committees.iter().map(|c| c.code.as_str()).collect();
    fold(&format!(
        "{} {} {} {} {} {} {} {} {}",
        mep.full_name,
        mep.given_name,
        mep.family_name,
        mep.country_name(),
        mep.group,
        mep.group_name(),
        mep.national_party.as_deref().unwrap_or_default(),
        committees.join(" "),
        mep.email.as_deref().unwrap_or_default(),
    ))
}

/// A query with its values normalised once.
struct Prepared<'q> {
    query: &'q Query,
    countries: Vec<String>,
    groups: Vec<String>,
    parties: Vec<String>,
    words: Vec<String>,
}

impl<'q> Prepared<'q> {
    fn new(query: &'q Query) -> Self {
        Self {
            query,
            countries: query
                .countries
                .iter()
                .map(|c| countries::resolve(c).unwrap_or_else(|| c.clone()))
                .collect(),
            groups: query.groups.iter().map(|g| groups::resolve(g)).collect(),
            parties: query.national_parties.iter().map(|p| fold(p)).collect(),
            words: fold(&query.text)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }

    fn matches(&self, mep: &Mep, haystack: &str) -> bool {
        (self.countries.is_empty() || self.countries.iter().any(|c| c.eq_ignore_ascii_case(&mep.country)))
            && (self.groups.is_empty() || self.groups.iter().any(|g| g.eq_ignore_ascii_case(&mep.group)))
            && (self.parties.is_empty()
                || mep
                    .national_party
                    .as_deref()
                    .is_some_and(|p| self.parties.contains(&fold(p))))
            && self.committee_matches(mep)
            && self.words.iter().all(|w| haystack.contains(w.as_str()))
    }

    fn committee_matches(&self, mep: &Mep) -> bool {
        let q = self.query;
        if q.committees.is_empty() && q.roles.is_empty() {
            return true;
        }
        mep.committees.iter().any(|seat| {
            (q.committees.is_empty() || q.committees.iter().any(|c| c.eq_ignore_ascii_case(&seat.code)))
                && (q.roles.is_empty() || q.roles.contains(&seat.role))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::CommitteeSeat;

    fn mep(id: &str, full: &str, given: &str, family: &str, country: &str, group: &str) -> Mep {
        Mep {
            id: id.into(),
            full_name: full.into(),
            given_name: given.into(),
            family_name: family.into(),
            country: country.into(),
            group: group.into(),
            national_party: None,
            email: None,
            email_is_guess: false,
            committees: vec![],
            committees_known: true,
            languages: vec![],
            gender: None,
            honorific: None,
        }
    }

    fn sample() -> Directory {
        let mut a = mep("1", "Dragoş BENEA", "Dragoş", "Benea", "RO", "S&D");
        a.committees = vec![CommitteeSeat {
            code: "LIBE".into(),
            role: Role::Member,
        }];
        a.national_party = Some("Partidul Social Democrat".into());
        let mut b = mep("2", "Bartosz ARŁUKOWICZ", "Bartosz", "Arłukowicz", "PL", "EPP");
        b.committees = vec![CommitteeSeat {
            code: "LIBE".into(),
            role: Role::Substitute,
        }];
        let c = mep("3", "Aodhán Ó RÍORDÁIN", "Aodhán", "Ó Ríordáin", "IE", "S&D");
        let mut d = mep("4", "Kim VAN SPARRENTAK", "Kim", "van Sparrentak", "NL", "Greens/EFA");
        d.committees = vec![CommitteeSeat {
            code: "IMCO".into(),
            role: Role::Chair,
        }];
        Directory {
            meps: vec![a, b, c, d],
            sources: vec![],
            snapshot_date: "2026-01-01".into(),
        }
    }

    fn ids(hits: &[&Mep]) -> Vec<String> {
        hits.iter().map(|m| m.id.clone()).collect()
    }

    #[test]
    fn folding_handles_letters_that_do_not_decompose() {
        assert_eq!(fold("ARŁUKOWICZ"), "arlukowicz");
        assert_eq!(fold("Dragoş"), "dragos");
        assert_eq!(fold("Aodhán Ó RÍORDÁIN"), "aodhan o riordain");
        assert_eq!(fold("O'Sullivan"), "osullivan");
        assert_eq!(fold("Groß-Øster"), "gross oster");
    }

    #[test]
    fn free_text_ignores_case_and_diacritics() {
        let dir = sample();
        let index = Index::new(&dir);
        let run = |text: &str| {
            ids(&index.run(&Query {
                text: text.into(),
                ..Query::default()
            }))
        };
        assert_eq!(run("dragos"), ["1"]);
        assert_eq!(run("arlukowicz"), ["2"]);
        assert_eq!(run("o riordain"), ["3"]);
        assert_eq!(run("ARŁUKOWICZ bartosz"), ["2"]);
        assert_eq!(run("sparrentak greens"), ["4"]);
        assert!(run("nobody").is_empty());
    }

    #[test]
    fn filters_combine() {
        let dir = sample();
        let index = Index::new(&dir);
        let libe_members = Query {
            committees: vec!["libe".into()],
            roles: vec![Role::Member],
            ..Query::default()
        };
        assert_eq!(ids(&index.run(&libe_members)), ["1"]);
        let libe_any = Query {
            committees: vec!["LIBE".into()],
            ..Query::default()
        };
        assert_eq!(ids(&index.run(&libe_any)), ["2", "1"]);
        let chairs = Query {
            roles: vec![Role::Chair],
            ..Query::default()
        };
        assert_eq!(ids(&index.run(&chairs)), ["4"]);
        let sd_ro = Query {
            countries: vec!["Romania".into()],
            groups: vec!["SD".into()],
            ..Query::default()
        };
        assert_eq!(ids(&index.run(&sd_ro)), ["1"]);
        let party = Query {
            national_parties: vec!["partidul social democrat".into()],
            ..Query::default()
        };
        assert_eq!(ids(&index.run(&party)), ["1"]);
    }

    #[test]
    fn sorts_by_name_country_group() {
        let dir = sample();
        let index = Index::new(&dir);
        // Family names: Arłukowicz, Benea, Ó Ríordáin, (van) Sparrentak.
        assert_eq!(ids(&index.run(&Query::default())), ["2", "1", "3", "4"]);
        let by_country = Query {
            sort: SortBy::Country,
            ..Query::default()
        };
        // Ireland, Netherlands, Poland, Romania.
        assert_eq!(ids(&index.run(&by_country)), ["3", "4", "2", "1"]);
        let by_group = Query {
            sort: SortBy::Group,
            ..Query::default()
        };
        // EPP, S&D (Benea, Ó Ríordáin), Greens/EFA.
        assert_eq!(ids(&index.run(&by_group)), ["2", "1", "3", "4"]);
    }

    #[test]
    fn vote_filters_read_the_positions_lent_and_say_what_is_wrong() {
        let dir = sample();
        let mut positions = VotePositions::new();
        positions.insert(
            7,
            [
                ("1".to_owned(), "for"),
                ("2".to_owned(), "against"),
                ("3".to_owned(), "for"),
            ]
            .into(),
        );
        positions.insert(8, [("1".to_owned(), "against")].into());
        let index = Index::new(&dir).with_votes(positions);
        let q = |filters: &[&str]| Query {
            votes: filters.iter().map(|f| f.parse().unwrap()).collect(),
            ..Query::default()
        };
        assert_eq!(ids(&index.run(&q(&["7:for"]))), ["1", "3"]);
        // Within one vote any position; across votes all.
        assert_eq!(ids(&index.run(&q(&["7:for", "7:against"]))), ["2", "1", "3"]);
        assert_eq!(ids(&index.run(&q(&["7:for", "8:against"]))), ["1"]);
        // Not in the vote: none.
        assert_eq!(ids(&index.run(&q(&["7:none"]))), ["4"]);
        assert_eq!(ids(&index.run(&q(&["8:none"]))), ["2", "3", "4"]);
        // A vote the index was not lent matches nobody.
        assert!(index.run(&q(&["9:none"])).is_empty());
        assert!(Index::new(&dir).run(&q(&["7:for"])).is_empty());
        // Spellings, and what is refused.
        assert_eq!(
            "195775:DID_NOT_VOTE".parse::<VoteFilter>().unwrap().to_string(),
            "195775:did-not-vote"
        );
        for bad in ["195775", "x:for", "195775:maybe", ":for"] {
            let e = bad.parse::<VoteFilter>().unwrap_err();
            assert!(e.contains("is not a vote filter") && e.contains("did-not-vote"), "{e}");
        }
        // A saved query keeps its filters as text.
        let saved = toml::to_string(&q(&["7:against"])).unwrap();
        assert!(saved.contains("votes = [\"7:against\"]"), "{saved}");
        let back: Query = toml::from_str(&saved).unwrap();
        assert_eq!(back, q(&["7:against"]));
        let bad = toml::from_str::<Query>("votes = [\"7:perhaps\"]")
            .unwrap_err()
            .to_string();
        assert!(bad.contains("\"7:perhaps\" is not a vote filter"), "{bad}");
    }
}
