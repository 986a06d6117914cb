//! Delivery status notifications (RFC 3464): the `message/delivery-status`
//! part of a `multipart/report; report-type=delivery-status`, which Postfix,
//! Exim, Gmail and Exchange Online all send when a letter bounces or is
//! delayed.
//!
//! The part is header fields in groups separated by blank lines: first the
//! fields about the message (`Reporting-MTA`, `Arrival-Date`), then one
//! group per recipient (`Final-Recipient`, `Original-Recipient`, `Action`,
//! `Status`, `Diagnostic-Code`). A recipient needs `Final-Recipient`,
//! `Action` and `Status`; a report without one such recipient is refused
//! with what it lacks (the message is then listed as not related).

use super::Action;

/// One recipient of a delivery report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The address (the part after `rfc822;`).
    pub final_recipient: String,
    pub original_recipient: Option<String>,
    pub action: Action,
    /// "5.1.1"
    pub status: String,
    /// The server's words ("smtp; 550 5.1.1 <x@y>: User unknown"), on one line.
    pub diagnostic: String,
}

/// The most recipients read from one report.
const MAX_RECIPIENTS: usize = 100;

/// The fields of one group, unfolded, names in lower case.
fn fields(group: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in group.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = out.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            out.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    out
}

/// "rfc822; Ana@EP.eu" → "Ana@EP.eu"; a value without a type as it is.
fn address(value: &str) -> String {
    let bare = value.split_once(';').map_or(value, |(_, a)| a);
    bare.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_owned()
}

/// An RFC 3463 status: class 2, 4 or 5, then two numbers.
fn status_code(value: &str) -> Option<String> {
    let code = value.split_whitespace().next()?;
    let mut parts = code.split('.');
    let class = parts.next()?;
    let ok = matches!(class, "2" | "4" | "5")
        && parts.clone().count() == 2
        && parts.all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| code.to_owned())
}

fn action(value: &str, status: &str) -> Option<Action> {
    match value.split_whitespace().next()?.to_ascii_lowercase().as_str() {
        "failed" => Some(Action::Failed),
        "delayed" => Some(Action::Delayed),
        "delivered" | "relayed" | "expanded" => Some(Action::Delivered),
        // A value outside the RFC: the status class decides.
        _ => match status.as_bytes().first() {
            Some(b'5') => Some(Action::Failed),
            Some(b'4') => Some(Action::Delayed),
            _ => None,
        },
    }
}

/// The recipients of a `message/delivery-status` part, or what is missing.
pub fn parse(part: &str) -> Result<Vec<Recipient>, String> {
    let text = part.replace("\r\n", "\n");
    let mut groups = text.split("\n\n").filter(|g| !g.trim().is_empty());
    // The first group is about the message.
    if groups.next().is_none() {
        return Err("the delivery report is empty".to_owned());
    }
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for group in groups.take(MAX_RECIPIENTS) {
        let f = fields(group);
        let get = |name: &str| f.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let Some(final_recipient) = get("final-recipient").map(address).filter(|a| a.contains('@')) else {
            missing.push("Final-Recipient");
            continue;
        };
        let Some(status) = get("status").and_then(status_code) else {
            missing.push("Status");
            continue;
        };
        let Some(action) = get("action").and_then(|a| action(a, &status)) else {
            missing.push("Action");
            continue;
        };
        out.push(Recipient {
            final_recipient,
            original_recipient: get("original-recipient").map(address),
            action,
            status,
            diagnostic: get("diagnostic-code").unwrap_or_default().to_owned(),
        });
    }
    if out.is_empty() {
        missing.dedup();
        let what = if missing.is_empty() {
            "no recipient".to_owned()
        } else {
            format!("no {}", missing.join(", no "))
        };
        return Err(format!("the delivery report names {what}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POSTFIX: &str = "Reporting-MTA: dns; mail.example.org\r\nX-Postfix-Queue-ID: 4Q1\r\nArrival-Date: Tue,  1 Dec 2026 09:00:01 +0100 (CET)\r\n\r\nFinal-Recipient: rfc822; nobody@europarl.europa.eu\r\nOriginal-Recipient: rfc822;nobody@europarl.europa.eu\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.europarl.europa.eu\r\nDiagnostic-Code: smtp; 550 5.1.1 <nobody@europarl.europa.eu>:\r\n    Recipient address rejected: User unknown\r\n";

    #[test]
    fn postfix_failed() {
        let r = parse(POSTFIX).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].final_recipient, "nobody@europarl.europa.eu");
        assert_eq!(r[0].action, Action::Failed);
        assert_eq!(r[0].status, "5.1.1");
        assert_eq!(
            r[0].diagnostic,
            "smtp; 550 5.1.1 <nobody@europarl.europa.eu>: Recipient address rejected: User unknown"
        );
    }

    #[test]
    fn missing_fields_are_named() {
        let no_status = POSTFIX.replace("Status: 5.1.1\r\n", "");
        assert_eq!(parse(&no_status).unwrap_err(), "the delivery report names no Status");
        let no_recipient = POSTFIX.replace("Final-Recipient: rfc822; nobody@europarl.europa.eu\r\n", "");
        assert!(parse(&no_recipient).unwrap_err().contains("Final-Recipient"));
        assert!(parse("").is_err());
        assert!(parse("Reporting-MTA: dns; x\n").is_err());
        let odd = POSTFIX.replace("Status: 5.1.1", "Status: 9.9");
        assert!(parse(&odd).is_err());
    }

    #[test]
    fn delayed_and_unknown_action_by_class() {
        let delayed = POSTFIX
            .replace("Action: failed", "Action: delayed")
            .replace("5.1.1", "4.4.7");
        assert_eq!(parse(&delayed).unwrap()[0].action, Action::Delayed);
        let odd = POSTFIX.replace("Action: failed", "Action: bounced");
        assert_eq!(parse(&odd).unwrap()[0].action, Action::Failed);
    }
}
