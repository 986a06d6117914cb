//! A vote from HowTheyVote.eu's API (`GET {base}/votes/{id}`), over ureq.

use std::path::Path;
use std::time::Duration;

use super::{MAX_FILE_BYTES, Vote, VoteError, read_api_json};

/// The API's address.
pub const DEFAULT_BASE_URL: &str = "https://howtheyvote.eu/api";

/// Fetches vote `id` from the API at `base`; the whole request ends after
/// `timeout`. The answer is read up to [`MAX_FILE_BYTES`] and checked like
/// a saved file.
pub fn fetch(base: &str, id: u64, timeout: Duration) -> Result<Vote, VoteError> {
    let url = format!("{}/votes/{id}", base.trim_end_matches('/'));
    let remote = |message: String| VoteError::Invalid {
        path: url.clone(),
        message,
    };
    let agent = crate::util::http_agent(timeout);
    let mut resp = agent.get(&url).header("Accept", "application/json").call().map_err(|e| {
        remote(format!(
            "HowTheyVote.eu could not be reached or did not answer within {} seconds ({e}); check the internet connection and try again",
            timeout.as_secs()
        ))
    })?;
    match resp.status().as_u16() {
        200 => {}
        404 => {
            return Err(remote(format!(
                "HowTheyVote.eu has no vote {id} (HTTP 404); check the number in the vote's address on howtheyvote.eu"
            )));
        }
        status => {
            return Err(remote(format!(
                "HowTheyVote.eu refused the request (HTTP {status}); try again later"
            )));
        }
    }
    let limit = MAX_FILE_BYTES;
    let body = resp
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_string()
        .map_err(|e| {
            remote(format!(
                "the answer could not be read whole ({e}); a vote is well under {} MB",
                limit / (1024 * 1024)
            ))
        })?;
    let vote = read_api_json(Path::new(&url), &body)?;
    if vote.id != id {
        return Err(remote(format!("the answer is vote {}, not vote {id}", vote.id)));
    }
    Ok(vote)
}

/// One vote a search found: its id, date (YYYY-MM-DD), title and document reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub id: u64,
    pub date: String,
    pub title: String,
    pub reference: Option<String>,
}

/// The most results a search keeps.
pub const MAX_FOUND: usize = 50;

/// Searches the API's votes by title and reference (`GET
/// {base}/votes/search?q=…`): at most [`MAX_FOUND`] results, newest
/// first as the API orders them.
pub fn search(base: &str, query: &str, timeout: Duration) -> Result<Vec<Found>, VoteError> {
    let url = format!("{}/votes/search", base.trim_end_matches('/'));
    let remote = |message: String| VoteError::Invalid {
        path: url.clone(),
        message,
    };
    let agent = crate::util::http_agent(timeout);
    let mut resp = agent
        .get(&url)
        .query("q", query.trim())
        .query("page_size", MAX_FOUND.to_string())
        .header("Accept", "application/json")
        .call()
        .map_err(|e| {
            remote(format!(
                "HowTheyVote.eu could not be reached or did not answer within {} seconds ({e}); check the internet connection, or open a downloaded vote file instead",
                timeout.as_secs()
            ))
        })?;
    if resp.status().as_u16() != 200 {
        return Err(remote(format!(
            "HowTheyVote.eu refused the search (HTTP {}); try again later",
            resp.status().as_u16()
        )));
    }
    let body = resp
        .body_mut()
        .with_config()
        .limit(MAX_FILE_BYTES)
        .read_to_string()
        .map_err(|e| remote(format!("the answer could not be read whole ({e})")))?;
    let value: serde_json::Value = serde_json::from_str(&body)
        .map_err(|e| remote(format!("the answer is not HowTheyVote's search result ({e})")))?;
    let results = value
        .get("results")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| remote("the answer has no list of results, so it is not HowTheyVote's search".to_owned()))?;
    Ok(results
        .iter()
        .take(MAX_FOUND)
        .filter_map(|r| {
            Some(Found {
                id: r.get("id")?.as_u64()?,
                date: super::date_of(
                    r.get("timestamp")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or_default(),
                ),
                title: r
                    .get("display_title")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .chars()
                    .take(300)
                    .collect(),
                reference: r
                    .get("reference")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned),
            })
        })
        .collect())
}
