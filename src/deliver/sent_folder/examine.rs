//! Opening a folder read-only (EXAMINE), the one way every IMAP reader of
//! Hemicycle opens one: the responses reader and the deliverability
//! check's read-back.
//!
//! The `imap` crate's own `Session::examine` (and `select`) panics on an
//! untagged `* NO …` or `* BAD …` in the answer (its `parse_mailbox` holds
//! that "cannot happen"), and Dovecot sends one for a folder it cannot
//! open, even before a tagged `OK`. So the command goes through
//! `run_command_and_read_response` and its answer is read here with
//! `imap-proto`: a server's `NO` or `BAD`, tagged or not, is the plain
//! error [`SentCopyError::Folder`], naming the folder and what to do.

use imap_proto::{Response, ResponseCode, Status};

use super::{SentCopyError, SentFolder, Stream};

/// The most of a server's words kept in an error.
const MAX_REPLY_CHARS: usize = 300;

impl SentFolder {
    /// EXAMINEs `folder`: its UIDVALIDITY (0 when the server gave none).
    pub(crate) fn examine(&self, session: &mut imap::Session<Stream>, folder: &str) -> Result<u32, SentCopyError> {
        let refused = |reply: &str| SentCopyError::Folder {
            host: self.host(),
            folder: printable(folder),
            reply: printable(reply),
        };
        if folder.contains(['\r', '\n']) {
            return Err(refused("the name has a line break"));
        }
        let answer = match session.run_command_and_read_response(format!("EXAMINE {}", quoted(folder))) {
            Ok(answer) => answer,
            Err(imap::Error::No(r)) => return Err(refused(&r.information)),
            Err(imap::Error::Bad(r)) => return Err(refused(&r.information)),
            Err(e) => return Err(self.broken(&e)),
        };
        match uid_validity(&answer) {
            Ok(v) => Ok(v),
            Err(Refusal::Said(words)) => Err(refused(&words)),
            Err(Refusal::Unreadable) => Err(SentCopyError::Broken {
                host: self.host(),
                reason: format!("its answer to EXAMINE \"{}\" could not be read", printable(folder)),
            }),
        }
    }
}

/// Why an EXAMINE answer opened nothing.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// An untagged `NO`, `BAD` or `BYE`, with the server's words.
    Said(String),
    /// Not IMAP.
    Unreadable,
}

/// The UIDVALIDITY in the untagged lines of an EXAMINE answer (the tagged
/// `OK` already taken off); a `NO`, `BAD` or `BYE` among them refuses.
fn uid_validity(mut lines: &[u8]) -> Result<u32, Refusal> {
    let mut validity = 0;
    while !lines.is_empty() {
        let Ok((rest, response)) = imap_proto::parser::parse_response(lines) else {
            return Err(Refusal::Unreadable);
        };
        lines = rest;
        if let Response::Data {
            status,
            code,
            information,
            ..
        } = response
        {
            match status {
                Status::Ok | Status::PreAuth => {
                    if let Some(ResponseCode::UidValidity(v)) = code {
                        validity = v;
                    }
                }
                Status::No | Status::Bad | Status::Bye => {
                    let words = information.map(std::borrow::Cow::into_owned).unwrap_or_default();
                    return Err(Refusal::Said(if words.trim().is_empty() {
                        format!("it answered {status:?} without saying why")
                    } else {
                        words
                    }));
                }
            }
        }
    }
    Ok(validity)
}

/// A folder name as an IMAP quoted string.
fn quoted(folder: &str) -> String {
    format!("\"{}\"", folder.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A server's words (or a folder name) fit for a message: control
/// characters as spaces, at most [`MAX_REPLY_CHARS`].
fn printable(words: &str) -> String {
    let spaced: String = words.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let spaced = spaced.trim();
    let mut out: String = spaced.chars().take(MAX_REPLY_CHARS).collect();
    if spaced.chars().count() > MAX_REPLY_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untagged_no_refuses_with_the_servers_words() {
        let answer = b"* FLAGS (\\Seen)\r\n* NO [SERVERBUG] Internal error occurred. Refer to server log for more information.\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n";
        assert_eq!(
            uid_validity(answer),
            Err(Refusal::Said(
                "[SERVERBUG] Internal error occurred. Refer to server log for more information.".to_owned()
            ))
        );
        assert_eq!(
            uid_validity(b"* BYE shutting down\r\n"),
            Err(Refusal::Said("shutting down".to_owned()))
        );
    }

    #[test]
    fn a_usual_answer_gives_the_uid_validity() {
        let answer = b"* 9 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1733] ok\r\n* OK [UIDNEXT 10] next\r\n";
        assert_eq!(uid_validity(answer), Ok(1733));
        assert_eq!(uid_validity(b""), Ok(0));
        assert_eq!(uid_validity(b"garbage\r\n"), Err(Refusal::Unreadable));
    }

    #[test]
    fn names_are_quoted_and_words_made_printable() {
        assert_eq!(quoted(r#"Odd "name" \ here"#), r#""Odd \"name\" \\ here""#);
        assert_eq!(printable("a\x1b[31mb\x07"), "a [31mb");
        assert_eq!(printable(&"x".repeat(400)).chars().count(), MAX_REPLY_CHARS + 1);
    }
}
