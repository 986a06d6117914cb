//! Refresh from the European Parliament's Open Data Portal (API v2).
//!
//! * `GET {base}/meps/show-current` (paged with `offset`/`limit`): one
//!   record per sitting MEP with `identifier`, `label` ("Elio DI RUPO"),
//!   `givenName`, `familyName`, `api:country-of-representation` ("BE") and
//!   `api:political-group` ("S&D").
//! * `GET {base}/corporate-bodies/show-current`: committees and other bodies,
//!   `{"id": "org/6562", "label": "LIBE", "classification": "def/ep-entities/…"}`.
//! * `GET {base}/meps/{id}`: the details, with `hasEmail` ("mailto:…"),
//!   `hasGender` and `hasHonorificPrefix` (EU authority URIs ending in
//!   `/FEMALE`, `/MALE`, `/NKN` and `/MS`, `/MR`) and `hasMembership` (`organization`, `role` "def/ep-roles/MEMBER",
//!   `membershipClassification`, `memberDuring {startDate, endDate}`).
//!
//! Every answer is JSON-LD with the records under `data`. Requests are spaced
//! to stay under the portal's limit (about 500 requests per 5 minutes); an
//! HTTP 429 or 5xx is retried with back-off (honouring `Retry-After`), then
//! reported. Nothing is written here: a failed refresh leaves whatever the
//! caller had untouched.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::directory::{
    CommitteeSeat, Directory, DirectoryError, Gender, Honorific, Mep, Role, Source, countries, groups, names,
};

/// The portal's address.
pub const DEFAULT_BASE_URL: &str = "https://data.europarl.europa.eu/api/v2";

/// How to talk to the portal.
#[derive(Debug, Clone)]
pub struct ApiOptions {
    pub base_url: String,
    /// At most this many requests in any `window`.
    pub requests_per_window: usize,
    pub window: Duration,
    /// At least this long between two requests.
    pub min_interval: Duration,
    /// Further tries after a 429, a 5xx or a dropped connection.
    pub max_retries: u32,
    /// The first back-off; it doubles with each try.
    pub retry_base: Duration,
    /// The longest `Retry-After` that is honoured.
    pub retry_cap: Duration,
    pub page_size: usize,
    pub timeout: Duration,
}

impl Default for ApiOptions {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            // A margin under the portal's 500 per 5 minutes.
            requests_per_window: 480,
            window: Duration::from_mins(5),
            min_interval: Duration::from_millis(100),
            max_retries: 3,
            retry_base: Duration::from_secs(5),
            retry_cap: Duration::from_mins(2),
            page_size: 100,
            timeout: Duration::from_mins(1),
        }
    }
}

/// What the refresh is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub stage: &'static str,
    pub done: usize,
    /// 0 while unknown.
    pub total: usize,
}

struct Client<'a> {
    agent: ureq::Agent,
    opts: &'a ApiOptions,
    sent: VecDeque<Instant>,
    cancel: &'a AtomicBool,
}

impl Client<'_> {
    fn url(&self, path: &str, query: &str) -> String {
        let sep = if query.is_empty() { "" } else { "&" };
        format!(
            "{}/{path}?format=application%2Fld%2Bjson{sep}{query}",
            self.opts.base_url.trim_end_matches('/')
        )
    }

    /// Waits for a free slot under the rate limit.
    fn pace(&mut self) {
        let now = Instant::now();
        while self
            .sent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.opts.window)
        {
            self.sent.pop_front();
        }
        let mut wait = Duration::ZERO;
        if self.sent.len() >= self.opts.requests_per_window.max(1)
            && let Some(oldest) = self.sent.front()
        {
            wait = (*oldest + self.opts.window).saturating_duration_since(now);
        }
        if let Some(last) = self.sent.back() {
            wait = wait.max((*last + self.opts.min_interval).saturating_duration_since(now));
        }
        self.sleep(wait);
        self.sent.push_back(Instant::now());
    }

    /// Sleeps in short steps so that a cancel is honoured quickly.
    fn sleep(&self, total: Duration) {
        let end = Instant::now() + total;
        while !self.cancel.load(Ordering::Relaxed) {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(Duration::from_millis(100)));
        }
    }

    /// GETs a JSON-LD document and returns its `data` list.
    fn get_data(&mut self, url: &str) -> Result<Vec<Value>, DirectoryError> {
        let mut attempt = 0;
        loop {
            if self.cancel.load(Ordering::Relaxed) {
                return Err(DirectoryError::Cancelled);
            }
            self.pace();
            let outcome = self.agent.get(url).header("Accept", "application/ld+json").call();
            let (problem, retry_after) = match outcome {
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    if status == 200 {
                        let body = resp.body_mut().with_config().limit(64 * 1024 * 1024).read_to_string();
                        return match body {
                            Ok(body) => data_of(&body, url),
                            Err(e) => Err(remote(format!("broke off its answer ({e})"), url)),
                        };
                    }
                    if status == 204 {
                        return Ok(Vec::new());
                    }
                    let retry_after = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    match status {
                        429 => (
                            "is limiting how many requests it accepts (HTTP 429) and still refused after several tries; wait a few minutes and refresh again".to_owned(),
                            retry_after,
                        ),
                        500..=599 => (
                            format!("had a problem of its own (HTTP {status}) and still failed after several tries; try again later"),
                            retry_after,
                        ),
                        _ => {
                            return Err(remote(
                                format!("refused the request (HTTP {status}); Hemicycle may need an update for a change in the portal"),
                                url,
                            ));
                        }
                    }
                }
                Err(e) => (
                    format!("could not be reached ({e}); check the internet connection and try again"),
                    None,
                ),
            };
            if attempt >= self.opts.max_retries {
                return Err(remote(problem, url));
            }
            let backoff = self.opts.retry_base * 2u32.saturating_pow(attempt);
            self.sleep(retry_after.map_or(backoff, |r| r.min(self.opts.retry_cap)));
            attempt += 1;
        }
    }

    /// Every page of a paged list.
    fn get_all(
        &mut self,
        path: &str,
        stage: &'static str,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Vec<Value>, DirectoryError> {
        let mut all: Vec<Value> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..MAX_PAGES {
            let url = self.url(path, &format!("offset={}&limit={}", all.len(), self.opts.page_size));
            let page = self.get_data(&url)?;
            // Until an empty page: a server may send fewer than asked for
            // on every page (a cap of its own), and that is not the end.
            if page.is_empty() {
                return Ok(all);
            }
            let before = all.len();
            for item in page {
                let id = item.get("identifier").or_else(|| item.get("id")).map(Value::to_string);
                if id.is_none_or(|id| seen.insert(id)) {
                    all.push(item);
                }
            }
            // A server that ignores the offset sends the same page for ever.
            if all.len() == before {
                return Err(remote(
                    "sent the same page again instead of the next one (it ignored the offset)".to_owned(),
                    &url,
                ));
            }
            progress(&Progress {
                stage,
                done: all.len(),
                total: 0,
            });
        }
        Err(remote(
            format!("sent more than {MAX_PAGES} pages, more than any list of the Parliament has"),
            &self.url(path, ""),
        ))
    }
}

/// More pages than the Parliament's lists can fill (at 100 a page).
const MAX_PAGES: usize = 200;

/// A refresh that lists far fewer members than the directory in use was
/// cut off somewhere (a server that caps its pages, a partial answer):
/// refused, so that it does not replace a good directory.
pub fn check_complete(fresh: &crate::directory::Directory, current: usize) -> Result<(), DirectoryError> {
    if fresh.meps.len() * 10 < current * 9 {
        return Err(DirectoryError::TooFew {
            fresh: fresh.meps.len(),
            current,
        });
    }
    Ok(())
}

fn remote(problem: String, url: &str) -> DirectoryError {
    DirectoryError::Remote {
        problem,
        url: url.to_owned(),
    }
}

fn data_of(body: &str, url: &str) -> Result<Vec<Value>, DirectoryError> {
    let value: Value =
        serde_json::from_str(body).map_err(|e| remote(format!("sent an answer that is not JSON ({e})"), url))?;
    match value.get("data") {
        Some(Value::Array(list)) => Ok(list.clone()),
        Some(Value::Object(_)) => Ok(vec![value["data"].clone()]),
        _ => Err(remote("sent JSON without the expected \"data\" list".to_owned(), url)),
    }
}

fn text<'v>(v: &'v Value, keys: &[&str]) -> Option<&'v str> {
    keys.iter()
        .find_map(|k| v.get(*k))
        .and_then(|x| match x {
            Value::String(s) => Some(s.as_str()),
            Value::Array(a) => a.iter().find_map(Value::as_str),
            Value::Object(o) => o
                .get("en")
                .and_then(Value::as_str)
                .or_else(|| o.values().find_map(Value::as_str)),
            _ => None,
        })
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// An organisation of the portal: its short label and full English name.
#[derive(Debug, Clone)]
struct Org {
    label: String,
    name: Option<String>,
}

fn org_of(v: &Value) -> Option<(String, Org)> {
    let id = text(v, &["id"])?.to_owned();
    Some((
        id,
        Org {
            label: text(v, &["label"])?.to_owned(),
            name: text(v, &["prefLabel"]).map(str::to_owned),
        },
    ))
}

/// Fetches the current Parliament. `today` (YYYY-MM-DD) decides which
/// memberships are current.
pub fn fetch(
    opts: &ApiOptions,
    today: &str,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Directory, DirectoryError> {
    let agent = crate::util::http_agent(opts.timeout);
    let mut client = Client {
        agent,
        opts,
        sent: VecDeque::new(),
        cancel,
    };
    let list = client.get_all("meps/show-current", "Listing the sitting MEPs", progress)?;
    if list.is_empty() {
        return Err(remote(
            "listed no sitting MEPs".to_owned(),
            &client.url("meps/show-current", ""),
        ));
    }
    let mut orgs: HashMap<String, Org> = client
        .get_all("corporate-bodies/show-current", "Listing committees", progress)?
        .iter()
        .filter_map(org_of)
        .collect();
    let mut meps = Vec::with_capacity(list.len());
    for (i, summary) in list.iter().enumerate() {
        let Some(id) = text(summary, &["identifier"]).map(str::to_owned) else {
            return Err(remote(
                format!("listed an MEP without an identifier (record {})", i + 1),
                &client.url("meps/show-current", ""),
            ));
        };
        progress(&Progress {
            stage: "Fetching MEP details",
            done: i,
            total: list.len(),
        });
        let url = client.url(&format!("meps/{id}"), "");
        let details = client.get_data(&url)?;
        let detail = details.first().unwrap_or(summary);
        meps.push(mep_from_api(&mut client, &mut orgs, summary, detail, &id, today)?);
    }
    progress(&Progress {
        stage: "Fetching MEP details",
        done: list.len(),
        total: list.len(),
    });
    let source = Source {
        provided: "Members: names, countries, groups, national parties, committee seats, e-mail addresses, gender and honorific".into(),
        publisher: "European Parliament Open Data Portal".into(),
        url: Some(opts.base_url.clone()),
        licence: Some("Creative Commons Attribution 4.0 (CC BY 4.0), © European Union".into()),
        file: None,
    };
    let mut builder_meps = meps;
    builder_meps.sort_by_cached_key(|m| (m.sort_key(), m.id.clone()));
    let dir = Directory {
        meps: builder_meps,
        sources: vec![source],
        snapshot_date: today.to_owned(),
    };
    dir.validate(&opts.base_url)?;
    Ok(dir)
}

/// The gender and honorific of a person record (`GET /meps/{id}`): `None`
/// where the record has none or a code Hemicycle does not know.
pub fn gender_of(detail: &Value) -> (Option<Gender>, Option<Honorific>) {
    (
        text(detail, &["hasGender"]).and_then(Gender::parse),
        text(detail, &["hasHonorificPrefix"]).and_then(Honorific::parse),
    )
}

fn mep_from_api(
    client: &mut Client<'_>,
    orgs: &mut HashMap<String, Org>,
    summary: &Value,
    detail: &Value,
    id: &str,
    today: &str,
) -> Result<Mep, DirectoryError> {
    let both = |keys: &[&str]| text(detail, keys).or_else(|| text(summary, keys)).map(str::to_owned);
    let full_name = both(&["label"]).unwrap_or_default();
    let country = both(&["api:country-of-representation", "country-of-representation"])
        .and_then(|c| countries::resolve(&c))
        .or_else(|| text(detail, &["citizenship"]).and_then(countries::resolve))
        .unwrap_or_default();
    let (given_name, family_name) = if let (Some(g), Some(f)) = (both(&["givenName"]), both(&["familyName"])) {
        (g, f)
    } else {
        let (g, f) = names::split_full_name(&full_name);
        (names::case_given_name(&g), names::case_family_name(&f, &country))
    };
    let email = text(detail, &["hasEmail"]).map(|e| e.trim_start_matches("mailto:").to_owned());
    let memberships: Vec<&Value> = detail
        .get("hasMembership")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter(|m| is_current(m, today)).collect())
        .unwrap_or_default();
    let mut committees: Vec<CommitteeSeat> = Vec::new();
    let mut national_party = None;
    let mut group = both(&["api:political-group", "political-group"]).map(|g| groups::resolve(&g));
    for m in memberships {
        let class = text(m, &["membershipClassification"]).unwrap_or_default();
        let Some(org_id) = text(m, &["organization"]) else {
            continue;
        };
        if class.contains("COMMITTEE_PARLIAMENTARY") {
            let Some(role) = text(m, &["role"]).and_then(Role::parse) else {
                continue;
            };
            let Some(org) = org(client, orgs, org_id)? else {
                continue;
            };
            match committees.iter_mut().find(|s| s.code == org.label) {
                Some(seat) => seat.role = seat.role.min(role),
                None => committees.push(CommitteeSeat { code: org.label, role }),
            }
        } else if class.ends_with("NATIONAL_POLITICAL_GROUP") {
            national_party = org(client, orgs, org_id)?.map(|o| o.name.unwrap_or(o.label));
        } else if class.ends_with("EU_POLITICAL_GROUP") && group.is_none() {
            group = org(client, orgs, org_id)?.map(|o| groups::resolve(&o.label));
        }
    }
    committees.sort_by(|a, b| a.code.cmp(&b.code));
    let (gender, honorific) = gender_of(detail);
    Ok(Mep {
        id: id.to_owned(),
        full_name,
        given_name,
        family_name,
        country,
        group: group.unwrap_or_default(),
        national_party,
        email,
        email_is_guess: false,
        committees,
        committees_known: true,
        languages: Vec::new(),
        gender,
        honorific,
    })
}

fn is_current(membership: &Value, today: &str) -> bool {
    let period = membership.get("memberDuring");
    let start = period.and_then(|p| text(p, &["startDate"])).unwrap_or("0000");
    let end = period.and_then(|p| text(p, &["endDate"])).unwrap_or("9999");
    start.get(..10).unwrap_or(start) <= today && end.get(..10).unwrap_or(end) >= today
}

/// Looks an organisation up, fetching it if the current-bodies list did not
/// have it (national parties, mostly).
fn org(client: &mut Client<'_>, orgs: &mut HashMap<String, Org>, id: &str) -> Result<Option<Org>, DirectoryError> {
    if let Some(o) = orgs.get(id) {
        return Ok(Some(o.clone()));
    }
    let Some(number) = id.strip_prefix("org/") else {
        return Ok(None);
    };
    let url = client.url(&format!("corporate-bodies/{number}"), "");
    let found = client.get_data(&url)?.first().and_then(org_of);
    Ok(found.map(|(key, o)| {
        orgs.insert(key, o.clone());
        o
    }))
}
