//! One send or export as both front ends run it: the rules that sit between
//! what the user chose (in the window or on the command line) and the
//! engines in [`super::send`] and [`super::export`].
//!
//! The command line and the app call these, so a rule is written once and a
//! problem is told in the same words in both. A message starts in lower
//! case: the command line prints it after "error: ", the app as a sentence.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::check;
use super::export::{Format, eml_settings};
use super::journal::{self, Journal};
use super::ledger::{self, Known, Ledger, Stamp};
use super::profile::Profile;
use super::secrets::{self, Secrets};
use super::send::{self, Control, DryRun, OfficeHours, Plan, Progress, SendOptions, SendReport, Sender};
use super::sent_folder::{SentFolder, WithCopy};
use super::smtp::Smtp;
use crate::compose::Composer;

/// Why a send or an export cannot go ahead.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(
        "e-mail files need a sender: fill in the organisation's e-mail (in the app: the Letter tab, Organisation; in the campaign file: [organisation] email)"
    )]
    NoSender,
    #[error(
        "\"{0}\" is not a valid e-mail address for the sender, which e-mail files need: correct the organisation's e-mail (in the app: the Letter tab, Organisation; in the campaign file: [organisation] email)"
    )]
    BadSender(String),
    #[error(
        "no password is saved for the mail account \"{0}\": save it in the app (Account settings…) or with `hemicycle account password {0}`, or set {env}",
        env = secrets::PASSWORD_ENV
    )]
    NoPassword(String),
    #[error("the password store could not be read: {0}; set {env} instead", env = secrets::PASSWORD_ENV)]
    PasswordStore(String),
    #[error(
        "{start}-{end} are not office hours; the end must come after the start, from 0 to 24 (Brussels time), like 9-17"
    )]
    OfficeHours { start: u32, end: u32 },
    #[error(transparent)]
    Send(#[from] send::SendError),
    #[error(transparent)]
    Journal(#[from] journal::JournalError),
    #[error(transparent)]
    Compose(#[from] crate::compose::ComposeError),
}

/// Hands each letter of `plan` not yet sent or handed over to the system's
/// mail program through `opener` (a link, or a draft file in `drafts`),
/// recording each in the journal at `journal_path` as handed over (and in
/// the sender's ledger in `ledger`, which is consulted first, so that no
/// copy of the campaign hands over what another sent). The sender is the
/// account's, or the organisation's; `options` carry the limit and whether
/// unconfirmed letters go again.
#[allow(clippy::too_many_arguments)]
pub fn hand_over(
    composer: &Composer,
    plan: &Plan,
    account: Option<&Profile>,
    journal_path: &Path,
    drafts: &Path,
    options: &SendOptions,
    opener: &mut dyn super::mail_program::Opener,
    ledger: Option<&LedgerTo>,
) -> Result<super::mail_program::HandoverReport, SessionError> {
    let sender = Route::DryRun(PathBuf::new()).sender(composer, account)?;
    let mut journal = Journal::open(journal_path)?;
    let mut options = options.clone();
    let note = match ledger {
        Some(to) => with_ledger(to, &sender, &mut journal, &mut options)?,
        None => None,
    };
    let result = super::mail_program::hand_over(
        plan,
        &sender,
        &mut journal,
        opener,
        drafts,
        &options,
        super::mail_program::MAILTO_LIMIT,
    );
    journal.detach_ledger();
    let mut report = result?;
    report.notes.extend(note);
    Ok(report)
}

/// Where the sent ledgers are, and the campaign a send is of: a real send
/// records its letters in the sender's ledger and consults it first.
#[derive(Debug, Clone)]
pub struct LedgerTo {
    /// The ledgers' folder (`store::Paths::ledgers`).
    pub dir: PathBuf,
    /// The campaign's id (empty if its file has none yet).
    pub campaign: String,
    pub title: String,
    /// The campaign file.
    pub file: PathBuf,
}

impl LedgerTo {
    /// The ledger of a campaign `composer` about to be sent from `file`,
    /// in `paths`' ledger folder.
    pub fn new(paths: &crate::store::Paths, composer: &Composer, file: &Path) -> Self {
        Self {
            dir: paths.ledgers(),
            campaign: composer.campaign.id.clone(),
            title: composer.campaign.title.clone(),
            file: file.to_path_buf(),
        }
    }

    /// The ledger file of the account that sends as `sender`.
    pub fn path(&self, sender: &str) -> PathBuf {
        ledger::path_for(&self.dir, sender)
    }
}

/// What the account that sends as `sender` sent from campaign files other
/// than the one journaled at `journal_path`: its ledger, and (for letters
/// sent before there was a ledger) the other journals in the journal's
/// folder. Read without a lock, for the pre-send check; a ledger that
/// cannot be read is an empty one here (the send reports it).
pub fn known(to: &LedgerTo, sender: &str, journal_path: &Path) -> Known {
    let history = ledger::History::read(&to.path(sender)).unwrap_or_default();
    let mut known = history.known(journal_path, &to.campaign);
    add_folder(&mut known, journal_path);
    known
}

/// The ledger of the mail account a real send goes from: where the sent
/// ledgers are, the campaign, and the address the letters go from.
#[derive(Debug, Clone)]
pub struct AccountLedger {
    pub ledger: LedgerTo,
    /// The account's From address, which names its ledger file.
    pub sender: String,
}

/// Where the pre-send check looks, besides the letters: the files that
/// [`check::Context`] is read from.
#[derive(Debug, Clone)]
pub struct PresendFor {
    pub account: check::Account,
    /// The sent ledgers and the address the letters go from: with
    /// `journal`, what that account already sent from other campaign files.
    pub ledger: Option<AccountLedger>,
    /// The campaign's journal (none for a dry run).
    pub journal: Option<PathBuf>,
    /// The campaign is not saved, so its journal has no place yet.
    pub unsaved: bool,
}

/// The pre-send check of `plan`, the letters of `composer`: reads what
/// `to` names (a journal or ledger that cannot be read counts as empty;
/// the send reports it) and builds the findings with [`check::report`].
pub fn presend(plan: &Plan, composer: &Composer, to: &PresendFor) -> check::Report {
    let known = to
        .ledger
        .as_ref()
        .zip(to.journal.as_deref())
        .map(|(account, journal)| known(&account.ledger, &account.sender, journal));
    let view = to
        .journal
        .as_deref()
        .map(|j| journal::View::read(j).unwrap_or_default());
    let bounced: Option<std::collections::HashMap<String, String>> = to.ledger.as_ref().map(|account| {
        crate::deliver::responses::bounced(&account.ledger.dir)
            .into_iter()
            .map(|(to, b)| (to, b.words()))
            .collect()
    });
    let delivery = to.ledger.as_ref().and_then(|account| {
        super::deliverability::Saved::read(&super::deliverability::path_for(&account.ledger.dir, &account.sender))
    });
    let context = check::Context {
        account: to.account.clone(),
        known: known.as_ref(),
        journal: view.as_ref(),
        bounced: bounced.as_ref(),
        unsaved: to.unsaved,
        now: chrono::Utc::now(),
        delivery: delivery.as_ref(),
    };
    check::report(plan, &composer.campaign, &context)
}

/// The letters of the other journals in `journal_path`'s folder that the
/// ledger does not name (sent before it existed): held, never sent again.
fn add_folder(known: &mut Known, journal_path: &Path) {
    let folder = journal_path.parent().unwrap_or_else(|| Path::new("."));
    for (key, place) in journal::elsewhere(folder, journal_path).letters {
        known.letters.entry(key).or_insert(place);
    }
}

/// What a run says when the journal had lost letters the ledger records.
pub fn restored_note(letters: usize) -> String {
    let (n, they) = if letters == 1 {
        ("1 letter".to_owned(), "it will not be sent again")
    } else {
        (format!("{letters} letters"), "they will not be sent again")
    };
    format!(
        "The send journal of this campaign was missing letters the mail account's ledger records: {n} restored from the ledger; {they}."
    )
}

/// Opens the sender's ledger (locked), rebuilds from it what the journal
/// lost (a journal deleted or restored from an older backup: the ledger is
/// the authority), learns from it and from the other journals of the
/// folder what must not go again and how many letters the account sent
/// today, and attaches it to `journal` so that every record goes to both.
/// The caller detaches it when the run ends. Returns what to tell the user
/// when the journal was rebuilt.
fn with_ledger(
    to: &LedgerTo,
    sender: &send::Sender,
    journal: &mut Journal,
    options: &mut SendOptions,
) -> Result<Option<String>, SessionError> {
    let path = journal.path().to_path_buf();
    let stamp = Stamp::new(&to.campaign, &to.title, &to.file, &path);
    let (ledger, history) = Ledger::open(&to.path(&sender.from_email), stamp)?;
    let missing = history.missing_from(&path, &journal.view().records);
    let restored = journal.restore(missing)?;
    let note = (restored > 0).then(|| restored_note(restored));
    let mut known = history.known(&path, &to.campaign);
    add_folder(&mut known, &path);
    options.sent_elsewhere = known.letters;
    options.sent_at_elsewhere = known.sent_at;
    options.earlier_elsewhere = known
        .same_campaign
        .into_iter()
        .map(|(to, e)| {
            let file = Path::new(&e.file)
                .file_name()
                .map_or_else(String::new, |f| format!(", from {}", f.to_string_lossy()));
            (to, format!("{}{file}", e.at.get(..10).unwrap_or(&e.at)))
        })
        .collect();
    journal.attach_ledger(ledger);
    Ok(note)
}

/// Where the letters go.
#[derive(Debug, Clone)]
pub enum Route {
    /// Written as .eml files into a folder, with a journal of their own:
    /// nothing leaves the machine.
    DryRun(PathBuf),
    /// Through a mail account, its password from `secrets`.
    Account(Profile, Arc<dyn Secrets>),
}

impl Route {
    pub fn is_dry_run(&self) -> bool {
        matches!(self, Route::DryRun(_))
    }

    /// "Dry run" or "Sending", as the send log and the summary say.
    pub fn verb(&self) -> &'static str {
        if self.is_dry_run() { "Dry run" } else { "Sending" }
    }

    /// Who the letters are from: the account's sender; for a dry run, the
    /// `account` it tries out if there is one, else the campaign's signatory
    /// at the organisation's address.
    pub fn sender(&self, composer: &Composer, account: Option<&Profile>) -> Result<Sender, SessionError> {
        match (self, account) {
            (Route::Account(profile, _), _) | (Route::DryRun(_), Some(profile)) => Ok(Sender::from_profile(profile)),
            (Route::DryRun(_), None) => {
                let eml = eml_settings(composer, false, false);
                if eml.from_email.is_empty() {
                    return Err(SessionError::NoSender);
                }
                Ok(Sender {
                    from_name: eml.from_name,
                    from_email: eml.from_email,
                    reply_to: None,
                    bcc_self: false,
                })
            }
        }
    }

    /// The journal: a dry run's in its folder, else `campaign_journal`.
    pub fn journal_path(&self, campaign_journal: &Path) -> PathBuf {
        match self {
            Route::DryRun(folder) => DryRun::journal_path(folder),
            Route::Account(..) => campaign_journal.to_path_buf(),
        }
    }
}

/// The options of a run: a dry run writes files, so there is nobody to be
/// polite to and it goes at full speed, at any hour.
pub fn options_for(route: &Route, mut options: SendOptions) -> SendOptions {
    if route.is_dry_run() {
        options.per_minute = 0.0;
        options.office_hours = None;
    }
    options
}

/// Office hours from a start and an end hour, checked.
pub fn office_hours(start: u32, end: u32) -> Result<OfficeHours, SessionError> {
    if start < end && end <= 24 {
        Ok(OfficeHours { start, end })
    } else {
        Err(SessionError::OfficeHours { start, end })
    }
}

/// Whether `formats` can be exported from this campaign.
pub fn check_export(composer: &Composer, formats: &[Format]) -> Result<(), SessionError> {
    if formats.contains(&Format::Eml) {
        sender_address(composer)?;
    }
    Ok(())
}

/// The organisation's e-mail, which e-mail files come from: missing, or
/// not an address, it is an error that names the field.
pub fn sender_address(composer: &Composer) -> Result<(), SessionError> {
    let email = eml_settings(composer, false, false).from_email;
    if email.is_empty() {
        return Err(SessionError::NoSender);
    }
    if !super::address::is_address(&email) {
        return Err(SessionError::BadSender(email));
    }
    Ok(())
}

/// The password of a mail account: `HEMICYCLE_SMTP_PASSWORD` when it is
/// set, else the password store. An account without a user name needs none.
/// (Call it on a background thread: a keyring may take its time, or ask the
/// user to unlock it.)
pub fn password_for(secrets: &dyn Secrets, profile: &Profile) -> Result<Option<String>, SessionError> {
    if profile.user.trim().is_empty() {
        return Ok(None);
    }
    if let Some(p) = std::env::var_os(secrets::PASSWORD_ENV).filter(|p| !p.is_empty()) {
        return Ok(Some(p.to_string_lossy().into_owned()));
    }
    match secrets.get(&profile.secret_key()) {
        Ok(Some(p)) => Ok(Some(p)),
        Ok(None) => Err(SessionError::NoPassword(profile.name.clone())),
        Err(e) => Err(SessionError::PasswordStore(e.to_string())),
    }
}

/// Where a run is recorded: the send log and the name the campaign goes by
/// there.
#[derive(Debug, Clone)]
pub struct LogTo {
    pub file: PathBuf,
    pub campaign: String,
}

/// A send as the user set it up: where, from whom, how, and where it is
/// logged.
#[derive(Debug, Clone)]
pub struct Session {
    pub route: Route,
    /// See [`Route::sender`].
    pub sender: Sender,
    pub options: SendOptions,
    pub log: Option<LogTo>,
    /// The sent ledgers and the campaign; `None` sends without one (then
    /// only the other journals of the journal's folder are consulted, and
    /// the daily cap counts their letters).
    pub ledger: Option<LedgerTo>,
}

impl Session {
    /// Plans the letters of `composer` to `meps` (dated `today`) and sends
    /// them with [`Self::send`], recorded in the journal at `journal`: what
    /// the app's send dialog and the volunteer's send step run on their job.
    pub fn send_to(
        &self,
        composer: &Composer,
        meps: &[crate::directory::Mep],
        today: chrono::NaiveDate,
        journal: &Path,
        control: &Control,
        progress: &(dyn Fn(&Progress) + Sync),
    ) -> Result<SendReport, SessionError> {
        let list: Vec<&crate::directory::Mep> = meps.iter().collect();
        let plan = send::plan(composer, &list, today)?;
        let mut journal = Journal::open(journal)?;
        self.send(&plan, &mut journal, control, progress)
    }

    /// Sends `plan`, recorded in `journal`: a real send first learns what
    /// the other campaigns' journals (copies of this campaign) sent, so that
    /// no letter goes twice. The run, or why it could not start, is added to
    /// the send log.
    pub fn send(
        &self,
        plan: &Plan,
        journal: &mut Journal,
        control: &Control,
        progress: &(dyn Fn(&Progress) + Sync),
    ) -> Result<SendReport, SessionError> {
        let result = self.send_unlogged(plan, journal, control, progress);
        if let Some(log) = &self.log {
            let what = self.route.verb();
            let lines = match &result {
                Ok(report) => report.log_lines(&log.campaign, what),
                Err(e) => vec![format!("{what} \"{}\" could not start: {e}", log.campaign)],
            };
            // The send log is a convenience; the journal is the record.
            let _ = crate::store::append_log(&log.file, &lines);
        }
        result
    }

    fn send_unlogged(
        &self,
        plan: &Plan,
        journal: &mut Journal,
        control: &Control,
        progress: &(dyn Fn(&Progress) + Sync),
    ) -> Result<SendReport, SessionError> {
        let mut options = options_for(&self.route, self.options.clone());
        let sender = &self.sender;
        match &self.route {
            Route::DryRun(folder) => {
                let mut dry = DryRun::new(folder)?;
                Ok(send::run(plan, sender, journal, &mut dry, &options, control, progress)?)
            }
            Route::Account(profile, secrets) => {
                let password = password_for(&**secrets, profile)?;
                let mut note = None;
                if let Some(to) = &self.ledger {
                    note = with_ledger(to, sender, journal, &mut options)?;
                } else {
                    let path = journal.path().to_path_buf();
                    let folder = path.parent().unwrap_or_else(|| Path::new("."));
                    let others = journal::elsewhere(folder, &path);
                    options.sent_elsewhere = others.letters;
                    options.sent_at_elsewhere = others.sent_at;
                }
                let smtp = Smtp::new(profile.clone(), password.clone());
                let result = if profile.copy_to_sent {
                    let mut copying = WithCopy {
                        transport: smtp,
                        keeper: Box::new(SentFolder::new(profile.clone(), password)),
                    };
                    send::run(plan, sender, journal, &mut copying, &options, control, progress)
                } else {
                    let mut smtp = smtp;
                    send::run(plan, sender, journal, &mut smtp, &options, control, progress)
                };
                // Flushed, and its lock let go, however the run ended.
                journal.detach_ledger();
                let mut report = result?;
                report.notes.extend(note);
                Ok(report)
            }
        }
    }
}

/// A duration in words for a person waiting: "45 s", "3 min", "1 h 05 min".
pub fn duration_words(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{} h {:02} min", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{} min", s.div_ceil(60))
    } else {
        format!("{s} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deliver::secrets::Memory;

    fn composer(edit: impl FnOnce(&mut crate::campaign::Campaign)) -> Composer {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaigns/ai-act-people-on-the-move.toml");
        let mut campaign = crate::campaign::Campaign::load(&path).expect("the example loads");
        edit(&mut campaign);
        Composer::from_campaign(campaign, &path, None).expect("the example composes")
    }

    #[test]
    fn office_hours_are_checked_not_corrected() {
        assert_eq!(office_hours(9, 17).unwrap(), OfficeHours { start: 9, end: 17 });
        for (start, end) in [(17, 9), (9, 9), (9, 25)] {
            let e = office_hours(start, end).unwrap_err().to_string();
            assert!(e.contains("the end must come after the start"), "{e}");
        }
    }

    #[test]
    fn a_password_comes_from_the_store_and_a_missing_one_is_explained() {
        let store = Memory::default();
        let mut profile = Profile {
            name: "Office".into(),
            user: "me@example.org".into(),
            ..Profile::default()
        };
        if std::env::var_os(secrets::PASSWORD_ENV).is_none() {
            let e = password_for(&store, &profile).unwrap_err().to_string();
            assert!(
                e.contains("no password is saved for the mail account \"Office\"")
                    && e.contains("Account settings")
                    && e.contains("hemicycle account password Office"),
                "{e}"
            );
            store.set(&profile.secret_key(), "s3cret").unwrap();
            assert_eq!(password_for(&store, &profile).unwrap().as_deref(), Some("s3cret"));
        }
        profile.user = "  ".into();
        assert_eq!(password_for(&store, &profile).unwrap(), None);
    }

    #[test]
    fn a_dry_run_is_from_the_organisation_or_the_account_tried() {
        let route = Route::DryRun(PathBuf::from("/tmp/x"));
        let with = composer(|c| c.organisation.email = " office@example.org ".into());
        assert_eq!(route.sender(&with, None).unwrap().from_email, "office@example.org");
        let without = composer(|c| c.organisation.email = "  ".into());
        assert!(matches!(route.sender(&without, None), Err(SessionError::NoSender)));
        assert!(matches!(
            check_export(&without, &[Format::Eml]),
            Err(SessionError::NoSender)
        ));
        check_export(&without, &[Format::Pdf, Format::Docx]).unwrap();
        let account = Profile {
            from_email: "me@example.org".into(),
            ..Profile::default()
        };
        assert_eq!(
            route.sender(&without, Some(&account)).unwrap().from_email,
            "me@example.org"
        );
        // A dry run goes at full speed, whatever the pace asked.
        let fast = options_for(
            &route,
            SendOptions {
                office_hours: Some(OfficeHours { start: 9, end: 10 }),
                ..SendOptions::default()
            },
        );
        assert!(fast.per_minute.abs() < f64::EPSILON);
        assert_eq!(fast.office_hours, None, "a dry run waits for no office hours");
        assert_eq!(
            route.journal_path(Path::new("/j.jsonl")),
            DryRun::journal_path(Path::new("/tmp/x"))
        );
    }

    #[test]
    fn durations_in_words() {
        assert_eq!(duration_words(Duration::from_secs(45)), "45 s");
        assert_eq!(duration_words(Duration::from_secs(121)), "3 min");
        assert_eq!(duration_words(Duration::from_mins(65)), "1 h 05 min");
    }

    #[test]
    fn formats_know_their_names() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.ext()), Some(f));
            assert_eq!(Format::parse(&f.ext().to_uppercase()), Some(f));
            assert!(!f.label().is_empty() && f.mime().contains('/'));
        }
        assert_eq!(Format::parse("word"), Some(Format::Docx));
        assert_eq!(Format::parse("text"), Some(Format::Txt));
        assert_eq!(Format::choices(), "pdf, docx, eml, html, md or txt");
        assert!(Format::from_arg("odt").unwrap_err().contains("use pdf, docx"));
        assert!(Format::Pdf.is_binary() && !Format::Eml.is_binary());
    }

    /// The check reads the campaign's journal and the other journals of its
    /// folder from disk: a letter another campaign file sent counts as sent
    /// and is told, only when the account's ledger is consulted.
    #[test]
    fn presend_reads_the_journal_and_what_other_files_sent() {
        let composer = composer(|_| {});
        let dir = crate::directory::Directory::bundled().unwrap();
        let meps: Vec<crate::directory::Mep> = dir
            .meps
            .iter()
            .take(3)
            .map(|m| {
                let mut m = m.clone();
                m.email = Some(format!("mep-{}@parliament.test", m.id));
                m
            })
            .collect();
        let refs: Vec<&crate::directory::Mep> = meps.iter().collect();
        let plan = send::plan(&composer, &refs, chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let journals = tmp.path().join("journals");
        std::fs::create_dir_all(&journals).unwrap();
        let own = journals.join("spring-1.jsonl");
        let sent = |path: &Path, item: &send::Outgoing| {
            let mut journal = Journal::open(path).unwrap();
            let record = journal::Record::new(
                &item.mep_id,
                &item.name,
                &item.to,
                journal::State::Sent,
                &item.fingerprint,
            );
            journal.record(record).unwrap();
        };
        sent(&own, &plan.items[0]);
        sent(&journals.join("copy-2.jsonl"), &plan.items[1]);
        let ledger = LedgerTo {
            dir: tmp.path().join("ledgers"),
            campaign: composer.campaign.id.clone(),
            title: composer.campaign.title.clone(),
            file: tmp.path().join("spring.toml"),
        };
        let mut to = PresendFor {
            account: check::Account::NotChecked,
            ledger: None,
            journal: Some(own.clone()),
            unsaved: false,
        };
        let alone = presend(&plan, &composer, &to);
        assert_eq!((alone.letters, alone.already_sent), (3, 1));
        assert!(
            !alone
                .findings
                .iter()
                .any(|f| f.text.contains("from another campaign file"))
        );
        to.ledger = Some(AccountLedger {
            ledger,
            sender: "ana@example.org".into(),
        });
        let report = presend(&plan, &composer, &to);
        assert_eq!(report.already_sent, 2);
        let told: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.text.contains("from another campaign file (the campaign \"copy\""))
            .collect();
        assert_eq!(told.len(), 1, "{:?}", report.findings);
        assert!(told[0].text.contains(&plan.items[1].name), "{}", told[0].text);
        to.unsaved = true;
        assert_eq!(presend(&plan, &composer, &to).findings[0].text, check::UNSAVED);
    }
}
