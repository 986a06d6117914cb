//! E-mail messages (.eml) through lettre: multipart/alternative (the text
//! and HTML renderings), optionally with the PDF attached; non-ASCII names
//! and subjects encoded (RFC 2047; a subject with a word too long for one
//! line, or with text that looks like an encoded word, is encoded and
//! folded here, since lettre writes it as it is); a stable Message-ID and Date, and stable
//! MIME boundaries, so the same letter gives the same bytes.

use std::time::{Duration, SystemTime};

use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

use crate::letter::Letter;

/// Who sends, and how the message is packaged.
#[derive(Debug, Clone, Default)]
pub struct EmlSettings {
    pub from_name: String,
    pub from_email: String,
    pub reply_to: Option<String>,
    /// Mark as an unsent draft (`X-Unsent: 1`): Outlook and Thunderbird open
    /// it for editing instead of as a received message.
    pub draft: bool,
    /// A PDF to attach: file name and bytes.
    pub attachment: Option<(String, Vec<u8>)>,
    /// The Date header: the moment of sending. `None` (files) uses the
    /// letter's date at 09:00 UTC, so an export gives the same bytes twice.
    pub date: Option<SystemTime>,
}

#[derive(Debug, thiserror::Error)]
pub enum EmlError {
    #[error("\"{address}\" is not a valid e-mail address for {whom}; correct it and try again")]
    Address { address: String, whom: String },
    #[error("the e-mail could not be put together: {0}")]
    Build(String),
}

/// FNV-1a: a small, stable hash for identifiers that must not change
/// between runs.
fn stable_hash(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn mailbox(name: &str, email: &str, whom: &str) -> Result<Mailbox, EmlError> {
    let address = email.trim().parse().map_err(|_| EmlError::Address {
        address: email.to_owned(),
        whom: whom.to_owned(),
    })?;
    let name = one_line(name);
    Ok(Mailbox::new(Some(name).filter(|n| !n.is_empty()), address))
}

/// Text for a header: one line, no control characters. A line break in a
/// name or subject (from a campaign file or an MEP's record) must never start
/// a header of its own, and lettre refuses to format one.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether lettre would write `subject` (one line) in a way that breaks: it
/// folds a header only between words, so a word longer than a line stays
/// on one line servers refuse ("500 Line too long"); and printable text
/// that looks like an encoded word (`=?utf-8?q?…?=`) goes out as it is,
/// and a mail program would decode it instead of showing it.
fn needs_own_encoding(subject: &str) -> bool {
    subject.contains("=?") || subject.split(' ').any(|w| w.len() > 60)
}

/// `text` as RFC 2047 encoded words (UTF-8, base64), one per line of a
/// folded header: each word holds at most 39 bytes of whole characters, so
/// with "Subject: " before it no line is longer than 78 characters.
fn encoded_words(text: &str) -> String {
    let mut words = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if i + c.len_utf8() - start > 39 {
            words.push(format!("=?utf-8?b?{}?=", base64(&text.as_bytes()[start..end])));
            start = i;
        }
        end = i + c.len_utf8();
    }
    if end > start {
        words.push(format!("=?utf-8?b?{}?=", base64(&text.as_bytes()[start..end])));
    }
    words.join("\r\n ")
}

/// Standard base64 with padding (RFC 4648).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The letter's date at 09:00 UTC, or the Unix epoch if it has none.
fn letter_time(letter: &Letter) -> SystemTime {
    let seconds = chrono::NaiveDate::parse_from_str(&letter.meta.date_iso, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .map_or(0, |dt| dt.and_utc().timestamp());
    SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).unwrap_or(0))
}

/// Whether `id` is a Message-ID as Hemicycle writes one and mail programs
/// send: `<left@right>`, printable ASCII without spaces or more brackets,
/// at most 250 characters (it goes into a header as it is).
pub fn is_message_id(id: &str) -> bool {
    let Some(inner) = id.strip_prefix('<').and_then(|s| s.strip_suffix('>')) else {
        return false;
    };
    let Some((left, right)) = inner.split_once('@') else {
        return false;
    };
    id.len() <= 250
        && !left.is_empty()
        && !right.is_empty()
        && inner
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"' | b'\\'))
}

/// One message to one MEP.
pub fn render(letter: &Letter, to_name: &str, to_email: &str, settings: &EmlSettings) -> Result<Vec<u8>, EmlError> {
    Ok(message(letter, to_name, to_email, settings)?.formatted())
}

/// The lettre message (the sender uses it as it is).
pub fn message(letter: &Letter, to_name: &str, to_email: &str, settings: &EmlSettings) -> Result<Message, EmlError> {
    let from = mailbox(&settings.from_name, &settings.from_email, "the sender")?;
    let to = mailbox(to_name, to_email, to_name)?;
    let text = super::text::render(letter);
    let html = super::html::render(letter);
    let key = stable_hash(&[
        &letter.meta.reference,
        &letter.meta.date_iso,
        to_email,
        &letter.meta.subject,
        &text,
    ]);
    let domain = settings.from_email.rsplit('@').next().unwrap_or("hemicycle.invalid");
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(one_line(&letter.meta.subject))
        .date(settings.date.unwrap_or_else(|| letter_time(letter)))
        .message_id(Some(format!("<hemicycle.{key:016x}@{domain}>")))
        .user_agent(format!("Hemicycle {}", env!("CARGO_PKG_VERSION")));
    if let Some(reply_to) = &settings.reply_to {
        builder = builder.reply_to(mailbox("", reply_to, "the reply-to address")?);
    }
    if let Some(id) = &letter.meta.replies_to {
        if !is_message_id(id) {
            return Err(EmlError::Build(format!(
                "the letter answers \"{}\", which is not a Message-ID (<…@…>); make the follow-up again",
                one_line(id)
            )));
        }
        builder = builder.in_reply_to(id.clone()).references(id.clone());
    }
    let mut message = {
        let alternative = MultiPart::alternative()
            .boundary(format!("hemicycle-alt-{key:016x}"))
            .singlepart(SinglePart::plain(text))
            .singlepart(SinglePart::html(html));
        match &settings.attachment {
            None => builder.multipart(alternative),
            Some((name, bytes)) => {
                let pdf = ContentType::parse("application/pdf").map_err(|e| EmlError::Build(e.to_string()))?;
                builder.multipart(
                    MultiPart::mixed()
                        .boundary(format!("hemicycle-mix-{key:016x}"))
                        .multipart(alternative)
                        .singlepart(Attachment::new(name.clone()).body(bytes.clone(), pdf)),
                )
            }
        }
    }
    .map_err(|e| EmlError::Build(e.to_string()))?;
    let subject = one_line(&letter.meta.subject);
    if needs_own_encoding(&subject) {
        let encoded = encoded_words(&subject);
        message.headers_mut().insert_raw(HeaderValue::dangerous_new_pre_encoded(
            HeaderName::new_from_ascii_str("Subject"),
            subject,
            encoded,
        ));
    }
    if settings.draft {
        message.headers_mut().insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("X-Unsent"),
            "1".to_owned(),
        ));
    }
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_rfc_4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    /// Every encoded word holds whole characters and fits a 78-character
    /// line after "Subject: ".
    #[test]
    fn encoded_words_fit_a_line_and_split_between_characters() {
        let text = "Ω€𝄞a".repeat(40);
        let words = encoded_words(&text);
        for (i, line) in words.split("\r\n").enumerate() {
            let word = if i == 0 { line } else { line.strip_prefix(' ').unwrap() };
            assert!(word.starts_with("=?utf-8?b?") && word.ends_with("?="), "{word}");
            assert!("Subject: ".len() + word.len() <= 78, "{word}");
        }
        assert!(needs_own_encoding(&"x".repeat(61)) && needs_own_encoding("a =?utf-8?q?x?= b"));
        assert!(!needs_own_encoding("AI Act: four bans to protect people on the move"));
    }

    /// A follow-up names the letter it answers in In-Reply-To and
    /// References; a value that is not a Message-ID (a line break, a second
    /// header) never reaches the message.
    #[test]
    fn a_follow_up_is_threaded_and_a_bad_id_is_refused() {
        let mut letter = Letter {
            meta: crate::letter::Meta {
                subject: "Re: AI Act".into(),
                replies_to: Some("<hemicycle.00ff@org.eu>".into()),
                ..crate::letter::Meta::default()
            },
            blocks: Vec::new(),
            notes: Vec::new(),
        };
        let settings = EmlSettings {
            from_email: "me@org.eu".into(),
            ..EmlSettings::default()
        };
        let bytes = String::from_utf8(render(&letter, "Kim", "kim@ep.eu", &settings).unwrap()).unwrap();
        assert!(bytes.contains("In-Reply-To: <hemicycle.00ff@org.eu>\r\n"), "{bytes}");
        assert!(bytes.contains("References: <hemicycle.00ff@org.eu>\r\n"), "{bytes}");
        for bad in ["<a@b>\r\nBcc: x@y.eu", "a@b", "<a b@c>", "<ab>", "<@b>"] {
            letter.meta.replies_to = Some(bad.into());
            assert!(render(&letter, "Kim", "kim@ep.eu", &settings).is_err(), "{bad}");
        }
    }
}
