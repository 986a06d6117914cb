//! One message that came back → a [`Response`]: a bounce (a delivery
//! report), an automatic reply, a reply, or not related — in that order.
//!
//! - **Bounce**: `multipart/report; report-type=delivery-status` with a
//!   delivery-status part ([`super::dsn`]); the letter is the one whose
//!   Message-ID the returned message or headers carry, else the last one
//!   sent to the report's `Final-Recipient` (or `Original-Recipient`).
//! - **Automatic reply**: `Auto-Submitted` with any value but `no` (RFC
//!   3834), `X-Autoreply`/`X-Autorespond`, `Precedence: auto_reply`; where
//!   the headers say nothing, a subject such as WriteToThem's ("Automatic
//!   reply", "Out of Office", "Thank you for your email", …).
//!   `X-Auto-Response-Suppress` is a request, not a sign. Matched by the
//!   thread headers, else by its sender being an address a letter went to.
//! - **Reply**: `In-Reply-To`, then `References` from the last entry, name
//!   a letter's Message-ID. Never by guessing: no match, no reply.
//! - A Message-ID recorded for letters to more than one MEP matches none.

use mail_parser::{HeaderValue, Message, MessageParser, MimeHeaders};

use super::dsn;
use super::{Action, Kind, Letter, Letters, MAX_TEXT_CHARS, Response, bare_id};

/// Where a message was read, and what the server says about it.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub folder: String,
    pub uid_validity: u32,
    pub uid: u32,
    /// When the server got it (RFC 3339), for a message without a Date.
    pub internal_date: String,
    /// Only the start of a larger message was read.
    pub truncated: bool,
}

/// Subjects of automatic replies, in lower case (WriteToThem's pattern and
/// its like in the Parliament's languages).
const AUTO_SUBJECTS: [&str; 22] = [
    "auto reply",
    "auto-reply",
    "autoreply",
    "auto response",
    "auto-response",
    "automatic reply",
    "automatic response",
    "automated reply",
    "automated response",
    "out of office",
    "out of the office",
    "thank you for your email",
    "thank you for your e-mail",
    "thank you for your message",
    "thank you for contacting",
    "abwesenheitsnotiz",
    "automatische antwort",
    "réponse automatique",
    "absence du bureau",
    "respuesta automática",
    "risposta automatica",
    "automatisch antwoord",
];

/// Classifies one message.
pub fn classify(raw: &[u8], place: &Place, letters: &Letters) -> Response {
    let mut r = Response {
        read_at: crate::deliver::journal::now_rfc3339(),
        folder: place.folder.clone(),
        uid_validity: place.uid_validity,
        uid: place.uid,
        date: place.internal_date.clone(),
        ..Response::default()
    };
    let Some(message) = MessageParser::default().parse(raw).filter(|m| !m.headers().is_empty()) else {
        "not an e-mail message Hemicycle can read (no header)".clone_into(&mut r.note);
        return r;
    };
    describe(&message, &mut r);
    let outcome = if is_report(&message) {
        bounce(&message, letters, &r.date)
    } else if let Some(why) = auto_reply(&message) {
        matched(&message, letters, &r.date, true).map(|(l, how)| (Kind::AutoReply, l, format!("{why}; {how}")))
    } else {
        matched(&message, letters, &r.date, false).map(|(l, how)| (Kind::Reply, l, how))
    };
    match outcome {
        Ok((kind, letter, note)) => {
            r.kind = kind;
            r.note = note;
            letter.clone_into_response(&mut r);
            if kind == Kind::Bounce {
                report_fields(&message, &letter, &mut r);
            } else {
                r.text = text_of(&message, place.truncated);
                if kind == Kind::AutoReply {
                    r.back_on = super::classify::back_on(&r.text, &r.date);
                }
            }
        }
        Err(note) => r.note = note,
    }
    r
}

impl Letter {
    fn clone_into_response(&self, r: &mut Response) {
        self.message_id.clone_into(&mut r.letter);
        self.mep.clone_into(&mut r.mep);
        self.to.clone_into(&mut r.to);
        self.journal.clone_into(&mut r.journal);
    }
}

/// One line, at most `max` characters, without control characters.
fn one_line(text: &str, max: usize) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect::<String>()
        .trim()
        .to_owned()
}

fn describe(message: &Message, r: &mut Response) {
    r.message_id = message.message_id().map(bare_id).unwrap_or_default();
    if let Some(date) = message.date() {
        let utc = chrono::DateTime::from_timestamp(date.to_timestamp(), 0);
        if let Some(utc) = utc {
            r.date = utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        }
    }
    r.from = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(|a| one_line(a, 320))
        .unwrap_or_default();
    r.subject = one_line(message.subject().unwrap_or_default(), 300);
}

fn is_report(message: &Message) -> bool {
    message.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && ct
                .attribute("report-type")
                .is_some_and(|t| t.eq_ignore_ascii_case("delivery-status"))
    })
}

fn header_text(message: &Message, name: &str) -> Option<String> {
    message.header_raw(name).map(|v| v.trim().to_owned())
}

/// Why the message is an automatic reply, if it is one.
fn auto_reply(message: &Message) -> Option<String> {
    if let Some(value) = header_text(message, "Auto-Submitted") {
        let first = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        if first != "no" {
            return Some(format!("Auto-Submitted: {}", one_line(&first, 40)));
        }
        return None;
    }
    for name in ["X-Autoreply", "X-Autorespond"] {
        if message.header_raw(name).is_some() {
            return Some(format!("{name} header"));
        }
    }
    if header_text(message, "Precedence").is_some_and(|p| p.eq_ignore_ascii_case("auto_reply")) {
        return Some("Precedence: auto_reply".to_owned());
    }
    let subject = message.subject().unwrap_or_default().to_lowercase();
    AUTO_SUBJECTS
        .iter()
        .find(|s| subject.contains(*s))
        .map(|s| format!("its subject says \"{s}\""))
}

/// The Message-IDs of a threading header, in order.
fn ids(value: &HeaderValue) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => vec![bare_id(t)],
        HeaderValue::TextList(list) => list.iter().map(|t| bare_id(t)).collect(),
        _ => Vec::new(),
    }
}

/// The one letter recorded with `id`; a collision is an error.
fn one_letter<'a>(letters: &'a Letters, id: &str) -> Result<Option<&'a Letter>, String> {
    let found = letters.by_id(id);
    let meps: std::collections::BTreeSet<&str> = found.iter().map(|l| l.mep.as_str()).collect();
    match (found.first(), meps.len()) {
        (None, _) => Ok(None),
        (Some(l), 1) => Ok(Some(l)),
        (Some(_), _) => Err(format!(
            "it answers the Message-ID <{}>, which was recorded for letters to {} different MEPs ({}); Hemicycle cannot tell which one, so it counts for none",
            one_line(id, 200),
            meps.len(),
            meps.into_iter().collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The letter a message answers: `In-Reply-To`, then `References` from the
/// last; for an automatic reply, else the last letter to its sender.
fn matched(message: &Message, letters: &Letters, date: &str, by_sender: bool) -> Result<(Letter, String), String> {
    for id in ids(message.in_reply_to()) {
        if let Some(l) = one_letter(letters, &id)? {
            return Ok((l.clone(), "matched by In-Reply-To".to_owned()));
        }
    }
    for id in ids(message.references()).iter().rev() {
        if let Some(l) = one_letter(letters, id)? {
            return Ok((l.clone(), "matched by References".to_owned()));
        }
    }
    if by_sender
        && let Some(from) = message.from().and_then(|a| a.first()).and_then(|a| a.address())
        && let Some(l) = letters.last_to(from, date)
    {
        return Ok((
            l.clone(),
            "matched by its sender, an address a letter went to".to_owned(),
        ));
    }
    let threaded = !ids(message.in_reply_to()).is_empty() || !ids(message.references()).is_empty();
    Err(if threaded {
        "it answers a message Hemicycle did not send from this account".to_owned()
    } else {
        "it does not answer a letter Hemicycle sent".to_owned()
    })
}

/// The delivery-status part's text, the returned message's Message-ID.
fn report_parts(message: &Message) -> (Option<String>, Option<String>) {
    let mut status = None;
    let mut original = None;
    for part in &message.parts {
        let Some(ct) = part.content_type() else { continue };
        let sub = ct.subtype().unwrap_or_default().to_ascii_lowercase();
        match (ct.ctype().to_ascii_lowercase().as_str(), sub.as_str()) {
            ("message", "delivery-status" | "global-delivery-status") if status.is_none() => {
                status = Some(String::from_utf8_lossy(part.contents()).into_owned());
            }
            ("message", "rfc822" | "global") if original.is_none() => {
                original = part.message().and_then(|m| m.message_id().map(bare_id));
            }
            ("text", "rfc822-headers") if original.is_none() => {
                original = MessageParser::default()
                    .parse_headers(part.contents())
                    .and_then(|m| m.message_id().map(bare_id));
            }
            _ => {}
        }
    }
    (status, original)
}

type Found = (Kind, Letter, String);

fn bounce(message: &Message, letters: &Letters, date: &str) -> Result<Found, String> {
    let (status, original) = report_parts(message);
    let Some(status) = status else {
        return Err("a delivery report without its delivery-status part".to_owned());
    };
    let recipients = dsn::parse(&status)?;
    if let Some(id) = &original
        && let Some(l) = one_letter(letters, id)?
    {
        return Ok((
            Kind::Bounce,
            l.clone(),
            "delivery report, matched by Message-ID".to_owned(),
        ));
    }
    for rcpt in &recipients {
        let addresses = std::iter::once(&rcpt.final_recipient).chain(rcpt.original_recipient.as_ref());
        for a in addresses {
            if let Some(l) = letters.last_to(a, date) {
                return Ok((
                    Kind::Bounce,
                    l.clone(),
                    "delivery report, matched by its recipient's address".to_owned(),
                ));
            }
        }
    }
    Err("a delivery report about a message Hemicycle did not send from this account".to_owned())
}

/// Fills a bounce's action, status and diagnostic from the recipient that
/// is the letter's (else the first).
fn report_fields(message: &Message, letter: &Letter, r: &mut Response) {
    let (Some(status), _) = report_parts(message) else {
        return;
    };
    let Ok(recipients) = dsn::parse(&status) else { return };
    let mine = recipients
        .iter()
        .find(|x| {
            x.final_recipient.eq_ignore_ascii_case(&letter.to)
                || x.original_recipient
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case(&letter.to))
        })
        .or_else(|| recipients.first());
    if let Some(x) = mine {
        r.action = Some(x.action);
        r.status.clone_from(&x.status);
        r.diagnostic = one_line(&x.diagnostic, 500);
        if x.action == Action::Delivered {
            r.note.push_str(" (delivered)");
        }
    }
}

/// The readable text of a message, bounded.
fn text_of(message: &Message, truncated: bool) -> String {
    let mut text: String = message
        .body_text(0)
        .map(|t| t.chars().take(MAX_TEXT_CHARS).collect())
        .unwrap_or_default();
    if truncated {
        text.push_str("\n\n[Hemicycle read only the start of this long message.]");
    }
    text
}

/// Words before a return date, in lower case.
const BACK_WORDS: [&str; 14] = [
    "until ",
    "back on ",
    "return on ",
    "returning on ",
    "back in the office on ",
    "till ",
    "bis zum ",
    "bis ",
    "zurück am ",
    "jusqu'au ",
    "retour le ",
    "hasta el ",
    "fino al ",
    "tot en met ",
];

const WEEKDAYS: [&str; 35] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
];

const MONTHS: [[&str; 4]; 12] = [
    ["january", "januar", "janvier", "jan"],
    ["february", "februar", "février", "feb"],
    ["march", "märz", "mars", "mar"],
    ["april", "april", "avril", "apr"],
    ["may", "mai", "mai", "may"],
    ["june", "juni", "juin", "jun"],
    ["july", "juli", "juillet", "jul"],
    ["august", "august", "août", "aug"],
    ["september", "september", "septembre", "sep"],
    ["october", "oktober", "octobre", "oct"],
    ["november", "november", "novembre", "nov"],
    ["december", "dezember", "décembre", "dec"],
];

fn month(word: &str) -> Option<u32> {
    let w = word.trim_matches(|c: char| !c.is_alphabetic());
    MONTHS
        .iter()
        .position(|names| names.contains(&w))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// A date at the start of `text`: 2026-12-08, 8.12.2026, 8/12/2026,
/// 8 December 2026, December 8, 2026 (a missing year: the reply's).
fn date_at(text: &str, year: i32) -> Option<chrono::NaiveDate> {
    let words: Vec<&str> = text.split_whitespace().take(4).collect();
    let first = *words.first()?;
    let digits = |s: &str| s.trim_matches(|c: char| !c.is_ascii_digit()).to_owned();
    let num = first.trim_end_matches([',', '.', ';', ')']);
    if let Ok(d) = chrono::NaiveDate::parse_from_str(num, "%Y-%m-%d") {
        return Some(d);
    }
    let sep: Vec<&str> = num.split(['.', '/']).collect();
    if sep.len() >= 2
        && sep
            .iter()
            .take(2)
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        let y = sep.get(2).and_then(|y| y.parse::<i32>().ok()).unwrap_or(year);
        let y = if y < 100 { 2000 + y } else { y };
        return chrono::NaiveDate::from_ymd_opt(y, sep[1].parse().ok()?, sep[0].parse().ok()?);
    }
    let year_in = |w: Option<&&str>| w.and_then(|w| digits(w).parse::<i32>().ok()).filter(|y| *y > 1999);
    // "8 December 2026", "8. Dezember"
    if let (Ok(day), Some(m)) = (digits(first).parse::<u32>(), words.get(1).and_then(|w| month(w))) {
        return chrono::NaiveDate::from_ymd_opt(year_in(words.get(2)).unwrap_or(year), m, day);
    }
    // "December 8, 2026"
    let m = month(first)?;
    let day = digits(words.get(1)?).parse::<u32>().ok()?;
    chrono::NaiveDate::from_ymd_opt(year_in(words.get(2)).unwrap_or(year), m, day)
}

/// The return date an automatic reply states, if any (YYYY-MM-DD).
pub fn back_on(text: &str, date: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let year = date.get(..4).and_then(|y| y.parse::<i32>().ok()).unwrap_or(2026);
    for word in BACK_WORDS {
        for (i, _) in lower.match_indices(word) {
            let rest = &lower[i + word.len()..];
            // "until Monday, 8 December": skip a weekday.
            let rest = match rest.split_once(char::is_whitespace) {
                Some((first, after)) if WEEKDAYS.contains(&first.trim_end_matches([',', '.'])) => after,
                _ => rest,
            };
            if let Some(d) = date_at(rest, year) {
                return Some(d.format("%Y-%m-%d").to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letters() -> Letters {
        let mut l = Letters::default();
        for (id, mep, to) in [
            ("hemicycle.1@example.org", "101", "ana@europarl.europa.eu"),
            ("hemicycle.2@example.org", "102", "bo@europarl.europa.eu"),
            ("hemicycle.dup@example.org", "103", "cy@europarl.europa.eu"),
            ("hemicycle.dup@example.org", "104", "di@europarl.europa.eu"),
        ] {
            l.add(Letter {
                message_id: id.into(),
                mep: mep.into(),
                name: String::new(),
                to: to.into(),
                at: "2026-12-01T09:00:00Z".into(),
                journal: "/j.jsonl".into(),
            });
        }
        l
    }

    fn run(raw: &str) -> Response {
        classify(raw.as_bytes(), &Place::default(), &letters())
    }

    #[test]
    fn references_are_walked_from_the_last() {
        let r = run(
            "From: ana@europarl.europa.eu\r\nSubject: Re: x\r\nReferences: <other@x> <hemicycle.2@example.org> <hemicycle.1@example.org>\r\nDate: Thu, 3 Dec 2026 10:00:00 +0100\r\n\r\nThanks\r\n",
        );
        assert_eq!((r.kind, r.mep.as_str()), (Kind::Reply, "101"), "{r:?}");
        assert_eq!(r.date, "2026-12-03T09:00:00Z");
        assert_eq!(r.text.trim(), "Thanks");
    }

    #[test]
    fn a_collision_matches_nobody() {
        let r = run("From: x@y\r\nIn-Reply-To: <hemicycle.dup@example.org>\r\n\r\nHi\r\n");
        assert_eq!(r.kind, Kind::Unrelated);
        assert!(r.note.contains("2 different MEPs"), "{}", r.note);
        assert!(r.mep.is_empty());
    }

    #[test]
    fn auto_submitted_no_is_not_automatic() {
        let r = run(
            "From: ana@europarl.europa.eu\r\nAuto-Submitted: no\r\nSubject: Out of office?\r\nIn-Reply-To: <hemicycle.1@example.org>\r\n\r\nNo, I read it.\r\n",
        );
        assert_eq!(r.kind, Kind::Reply);
        let auto = run("From: ana@europarl.europa.eu\r\nX-Auto-Response-Suppress: All\r\nSubject: Re: x\r\n\r\nhi\r\n");
        assert_eq!(auto.kind, Kind::Unrelated, "a request is not a sign");
    }

    #[test]
    fn return_dates() {
        assert_eq!(
            back_on("I am out of the office until 8 December 2026.", "2026-12-01").as_deref(),
            Some("2026-12-08")
        );
        assert_eq!(
            back_on("Back on Monday, December 14, with limited access", "2026-12-01").as_deref(),
            Some("2026-12-14")
        );
        assert_eq!(
            back_on("Ich bin bis zum 07.12.2026 nicht im Büro", "2026-12-01").as_deref(),
            Some("2026-12-07")
        );
        assert_eq!(back_on("I will reply soon.", "2026-12-01"), None);
    }

    #[test]
    fn garbage_is_not_related() {
        assert_eq!(
            classify(b"\x00\x01\x02", &Place::default(), &letters()).kind,
            Kind::Unrelated
        );
        assert_eq!(classify(b"", &Place::default(), &letters()).kind, Kind::Unrelated);
    }
}
