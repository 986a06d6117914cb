//! "Open in my mail program": for people who cannot or will not give
//! Hemicycle a password. Each MEP's letter is handed to the system's mail
//! program as a draft the user sends from there: a `mailto:` link (RFC
//! 6068) when it is short enough, else an .eml draft (`X-Unsent: 1`) opened
//! with the system's handler. Each handover is recorded in the journal
//! (`handed_over`), so a letter is never handed over twice, nor sent over
//! SMTP after it, unless the user asks.
//!
//! The opener is a trait: the app and the command line use the system's
//! (`xdg-open`, `open`, or Windows' URL handler), tests count handovers.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::journal::{Journal, Record, State};
use super::send::{Plan, SendError, SendOptions, SendReport, Sender, SkipReason, to_send};
use crate::render::text;
use crate::store;

/// The longest `mailto:` link handed over; longer letters go as a draft
/// file (Windows' URL handler and several mail programs cut links at about
/// 2,000 characters).
pub const MAILTO_LIMIT: usize = 2000;

/// Percent-encodes everything but RFC 3986's unreserved characters (and
/// the characters in `keep`), byte by byte of the UTF-8.
fn encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `mailto:` link (RFC 6068) to `to` with this subject and body: every
/// character that is not plain is percent-encoded, line ends are CRLF
/// (`%0D%0A`), so no text of the user's can add a header or a recipient.
pub fn mailto(to: &str, subject: &str, body: &str) -> String {
    let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "mailto:{}?subject={}&body={}",
        encode(to.trim(), b"@"),
        encode(subject, b""),
        encode(&body, b"")
    )
}

/// Something that hands a link or a file to the mail program.
pub trait Opener {
    fn open(&mut self, target: &str) -> Result<(), String>;
}

/// The system's handler for links and files.
#[derive(Debug, Default)]
pub struct SystemOpener;

impl Opener for SystemOpener {
    fn open(&mut self, target: &str) -> Result<(), String> {
        let mut command = if cfg!(target_os = "macos") {
            std::process::Command::new("open")
        } else if cfg!(windows) {
            let mut c = std::process::Command::new("rundll32");
            c.arg("url.dll,FileProtocolHandler");
            c
        } else {
            std::process::Command::new("xdg-open")
        };
        let mut child = command
            .arg(target)
            .spawn()
            .map_err(|e| format!("could not start the system's mail program ({e}); is a mail program set up?"))?;
        // Reaped on a thread of its own: some handlers stay until the mail
        // program closes.
        let _ = std::thread::Builder::new()
            .name("hemicycle-opener".to_owned())
            .spawn(move || child.wait());
        Ok(())
    }
}

/// How one letter was handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handover {
    Mailto,
    Draft(PathBuf),
}

/// What a handover run did.
#[derive(Debug, Clone, Default)]
pub struct HandoverReport {
    /// Name, address, how.
    pub handed: Vec<(String, String, Handover)>,
    /// Name, address, why not.
    pub failed: Vec<(String, String, String)>,
    pub skipped: Vec<(String, SkipReason)>,
    /// What the user should know about the run as a whole (see
    /// [`SendReport::notes`]).
    pub notes: Vec<String>,
}

/// Hands each letter of `plan` that was neither sent nor handed over before
/// (unless `opts.resend_unconfirmed`) to the mail program, up to
/// `opts.limit`: as a link of at most `link_limit` characters (callers pass
/// [`MAILTO_LIMIT`]), else as a draft file written into `drafts`.
pub fn hand_over(
    plan: &Plan,
    sender: &Sender,
    journal: &mut Journal,
    opener: &mut dyn Opener,
    drafts: &Path,
    opts: &SendOptions,
    link_limit: usize,
) -> Result<HandoverReport, SendError> {
    let mut skipped = SendReport::default();
    let todo = to_send(plan, journal, opts, &mut skipped);
    let mut report = HandoverReport {
        skipped: skipped.skipped,
        ..HandoverReport::default()
    };
    let mut names = super::names::Unique::default();
    for item in todo {
        let link = mailto(&item.to, &item.letter.meta.subject, &text::render(&item.letter));
        let (target, how) = if link.len() <= link_limit {
            (link, Handover::Mailto)
        } else {
            let path = drafts.join(names.name(&super::names::sanitize(&item.name), "eml"));
            let written = sender
                .draft(item, SystemTime::now())
                .and_then(|bytes| store::write_replacing(&path, &bytes, "the draft").map_err(|e| e.to_string()));
            if let Err(why) = written {
                report.failed.push((item.name.clone(), item.to.clone(), why));
                continue;
            }
            (path.display().to_string(), Handover::Draft(path))
        };
        if let Err(why) = opener.open(&target) {
            report.failed.push((item.name.clone(), item.to.clone(), why));
            continue;
        }
        let mut r = Record::new(&item.mep_id, &item.name, &item.to, State::HandedOver, &item.fingerprint);
        r.detail = match &how {
            Handover::Mailto => "handed to the mail program as a mailto: link".to_owned(),
            Handover::Draft(path) => format!("handed to the mail program as a draft: {}", path.display()),
        };
        journal.record(r)?;
        report.handed.push((item.name.clone(), item.to.clone(), how));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deliver::journal::{Standing, View};

    /// Reads back what [`mailto`] encoded.
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_user_text_is_percent_encoded() {
        let link = mailto(
            " ana+eu@example.org ",
            "Ça & ?=#% Bcc: x",
            "Dear Ms Ñúñez,\nline two &body=evil\r\n%0A",
        );
        assert_eq!(
            link,
            "mailto:ana%2Beu@example.org?subject=%C3%87a%20%26%20%3F%3D%23%25%20Bcc%3A%20x\
             &body=Dear%20Ms%20%C3%91%C3%BA%C3%B1ez%2C%0D%0Aline%20two%20%26body%3Devil%0D%0A%250A"
        );
        let (head, body) = link.split_once("&body=").unwrap();
        assert_eq!(decode(body), "Dear Ms Ñúñez,\r\nline two &body=evil\r\n%0A");
        assert_eq!(decode(head.split_once("?subject=").unwrap().1), "Ça & ?=#% Bcc: x");
        // One ?, one &: nothing the user typed adds a field.
        assert_eq!(link.matches('?').count(), 1);
        assert_eq!(link.matches('&').count(), 1);
    }

    struct Counting {
        opened: Vec<String>,
    }

    impl Opener for Counting {
        fn open(&mut self, target: &str) -> Result<(), String> {
            self.opened.push(target.to_owned());
            Ok(())
        }
    }

    fn plan(n: usize) -> Plan {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/short-personal-letter.toml");
        let composer = crate::compose::Composer::open(&path, None).unwrap();
        let dir = crate::directory::Directory::bundled().unwrap();
        let meps: Vec<crate::directory::Mep> = dir
            .meps
            .iter()
            .take(n)
            .map(|m| {
                let mut m = m.clone();
                m.email = Some(format!("mep-{}@parliament.test", m.id));
                m
            })
            .collect();
        let refs: Vec<&crate::directory::Mep> = meps.iter().collect();
        crate::deliver::send::plan(&composer, &refs, chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap()
    }

    fn sender() -> Sender {
        Sender {
            from_name: "Ana".into(),
            from_email: "ana@example.org".into(),
            reply_to: None,
            bcc_self: false,
        }
    }

    #[test]
    fn each_letter_is_handed_over_once_and_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let journal_path = dir.path().join("journal.jsonl");
        let plan = plan(3);
        let mut opener = Counting { opened: Vec::new() };
        let opts = SendOptions::default();
        {
            let mut journal = Journal::open(&journal_path).unwrap();
            let report = hand_over(
                &plan,
                &sender(),
                &mut journal,
                &mut opener,
                dir.path(),
                &opts,
                MAILTO_LIMIT,
            )
            .unwrap();
            assert_eq!(report.handed.len(), 3, "{report:?}");
            // A second run hands nothing over again.
            let again = hand_over(
                &plan,
                &sender(),
                &mut journal,
                &mut opener,
                dir.path(),
                &opts,
                MAILTO_LIMIT,
            )
            .unwrap();
            assert!(again.handed.is_empty());
            assert_eq!(again.skipped.len(), 3);
            assert!(matches!(again.skipped[0].1, SkipReason::HandedOver { .. }));
        }
        assert_eq!(opener.opened.len(), 3);
        let view = View::read(&journal_path).unwrap();
        for s in view.standings().values() {
            assert!(
                matches!(s, Standing::Unconfirmed { record } if record.state == State::HandedOver),
                "{s:?}"
            );
        }
        // Asked to, it hands them over again.
        let mut journal = Journal::open(&journal_path).unwrap();
        let asked = SendOptions {
            resend_unconfirmed: true,
            ..SendOptions::default()
        };
        let report = hand_over(
            &plan,
            &sender(),
            &mut journal,
            &mut opener,
            dir.path(),
            &asked,
            MAILTO_LIMIT,
        )
        .unwrap();
        assert_eq!(report.handed.len(), 3);
        assert_eq!(opener.opened.len(), 6);
    }

    #[test]
    fn a_short_letter_goes_as_a_link_and_a_long_one_as_a_draft_file() {
        let dir = tempfile::tempdir().unwrap();
        let plan = plan(1);
        let item = &plan.items[0];
        let link = mailto(&item.to, &item.letter.meta.subject, &text::render(&item.letter));
        let run = |limit: usize, journal: &str| {
            let mut opener = Counting { opened: Vec::new() };
            let mut journal = Journal::open(&dir.path().join(journal)).unwrap();
            let opts = SendOptions::default();
            let report = hand_over(&plan, &sender(), &mut journal, &mut opener, dir.path(), &opts, limit).unwrap();
            (report, opener.opened)
        };
        let (report, opened) = run(link.len(), "a.jsonl");
        assert_eq!(report.handed[0].2, Handover::Mailto);
        assert_eq!(opened, vec![link.clone()]);
        let (report, opened) = run(link.len() - 1, "b.jsonl");
        let Handover::Draft(path) = &report.handed[0].2 else {
            panic!("{report:?}")
        };
        let draft = std::fs::read_to_string(path).unwrap();
        assert!(draft.contains("X-Unsent: 1") && draft.contains(&item.to), "{draft}");
        assert_eq!(opened, vec![path.display().to_string()]);
    }
}
