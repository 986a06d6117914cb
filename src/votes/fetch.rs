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
