//! A copy in Sent: each letter that went out over SMTP is also put in the
//! account's Sent folder over IMAP, marked as read, byte for byte as it was
//! sent, so that the sender sees what went out and can answer a reply in
//! context.
//!
//! One IMAP session per run, opened when the first letter has gone and kept
//! open. The folder is the one the server marks `\Sent` (SPECIAL-USE, RFC
//! 6154); only a server without SPECIAL-USE is asked for the usual names
//! ("Sent", "Sent Items", …). Certificates are verified as for SMTP (the
//! operating system's trust store plus the profile's extra authority); the
//! login and password are the SMTP account's.
//!
//! The copy is a courtesy: a failure never makes a letter unsent. When the
//! server cannot be reached, refuses the login or has no Sent folder, the
//! copies are given up for the run (one message, no waiting on every
//! letter); a refused APPEND is told once and the next letter tries again.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod examine;

use imap::types::Flag;
use imap_proto::NameAttribute;
use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject};

use super::profile::{Profile, Security};
pub use super::sent_copy::SentCopyError;
use super::smtp::{Outcome, SmtpError, Transport};

/// Something that keeps copies of sent messages: the Sent folder over IMAP,
/// or a test double.
pub trait Keep: Send {
    /// Keeps a copy of `message`, exactly these bytes, marked as read.
    fn keep(&mut self, message: &[u8]) -> Result<(), SentCopyError>;
    /// Logs out, if a session is open.
    fn close(&mut self);
}

/// A transport whose sent messages are also kept (in the Sent folder).
pub struct WithCopy<T: Transport> {
    pub transport: T,
    pub keeper: Box<dyn Keep>,
}

impl<T: Transport> Transport for WithCopy<T> {
    fn connect(&mut self) -> Result<(), SmtpError> {
        self.transport.connect()
    }

    fn send(&mut self, from: &lettre::Address, to: &[lettre::Address], message: &[u8]) -> Outcome {
        self.transport.send(from, to, message)
    }

    fn close(&mut self) {
        self.transport.close();
        self.keeper.close();
    }

    fn keep_copy(&mut self, message: &[u8]) -> Option<Result<(), SentCopyError>> {
        Some(self.keeper.keep(message))
    }
}

/// The connection under the IMAP session: TLS, or plain for a server on this
/// computer (the profile refuses plain elsewhere).
enum Link {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

/// How long one step (opening the session, or one copy) may take in all,
/// and how much the server may send in it: a server that trickles bytes or
/// never ends a line cannot hold the run.
#[derive(Debug, Clone)]
pub(crate) struct Budget(Arc<Mutex<(Instant, usize)>>);

/// The most a server may send in one step (a LIST of a huge mailbox tree
/// stays well below).
const MAX_BYTES_PER_STEP: usize = 16 * 1024 * 1024;

impl Budget {
    fn new() -> Self {
        Self(Arc::new(Mutex::new((Instant::now(), MAX_BYTES_PER_STEP))))
    }

    /// A new step of at most `time`.
    pub(crate) fn renew(&self, time: Duration) {
        if let Ok(mut b) = self.0.lock() {
            *b = (Instant::now() + time, MAX_BYTES_PER_STEP);
        }
    }

    fn spend(&self, bytes: usize) -> std::io::Result<()> {
        let Ok(mut b) = self.0.lock() else {
            return Err(std::io::Error::other("the time limit is broken"));
        };
        if Instant::now() > b.0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the server took too long",
            ));
        }
        b.1 =
            b.1.checked_sub(bytes)
                .ok_or_else(|| std::io::Error::other("the server sent far too much"))?;
        Ok(())
    }
}

/// The IMAP connection under a session, within its [`Budget`] (also the
/// stream `crate::deliver::responses` reads the Inbox over).
pub(crate) struct Stream {
    link: Link,
    budget: Budget,
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.budget.spend(0)?;
        let n = match &mut self.link {
            Link::Plain(s) => s.read(buf),
            Link::Tls(s) => s.read(buf),
        }?;
        self.budget.spend(n)?;
        Ok(n)
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.budget.spend(0)?;
        match &mut self.link {
            Link::Plain(s) => s.write(buf),
            Link::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.link {
            Link::Plain(s) => s.flush(),
            Link::Tls(s) => s.flush(),
        }
    }
}

/// An open session and the folder the copies go to.
struct Open {
    session: imap::Session<Stream>,
    folder: String,
    budget: Budget,
}

/// The Sent folder of a mail account, over IMAP.
pub struct SentFolder {
    profile: Profile,
    password: Option<String>,
    timeout: Duration,
    open: Option<Open>,
    /// Why the copies were given up for this run.
    given_up: Option<SentCopyError>,
}

impl std::fmt::Debug for SentFolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password.
        f.debug_struct("SentFolder")
            .field("host", &self.profile.imap_host)
            .field("port", &self.profile.imap_port())
            .field("folder", &self.open.as_ref().map(|o| o.folder.as_str()))
            .finish_non_exhaustive()
    }
}

/// Names a server without SPECIAL-USE may give its Sent folder, the most
/// common first (compared without case, with or without an "INBOX." or
/// "INBOX/" in front), as LIST spells them: non-ASCII letters in IMAP's
/// modified UTF-7 ("Envoy&AOk-s" is "Envoyés").
pub const USUAL_NAMES: [&str; 9] = [
    "Sent",
    "Sent Items",
    "Sent Messages",
    "Sent Mail",
    "Sent-Mail",
    "Gesendet",
    "Gesendete Objekte",
    "Envoy&AOk-s",
    "Posta inviata",
];

/// One mailbox of a LIST reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub sent: bool,
    pub selectable: bool,
}

/// The folder for the copies: the one marked `\Sent`; on a server without
/// SPECIAL-USE, the first of [`USUAL_NAMES`] it has.
pub fn choose_folder(listed: &[Listed], special_use: bool) -> Option<&str> {
    let usable = || listed.iter().filter(|l| l.selectable);
    if let Some(marked) = usable().find(|l| l.sent) {
        return Some(&marked.name);
    }
    if special_use {
        return None;
    }
    USUAL_NAMES.iter().find_map(|usual| {
        usable()
            .find(|l| {
                let bare = l
                    .name
                    .strip_prefix("INBOX.")
                    .or_else(|| l.name.strip_prefix("INBOX/"))
                    .unwrap_or(&l.name);
                bare.eq_ignore_ascii_case(usual)
            })
            .map(|l| l.name.as_str())
    })
}

impl SentFolder {
    pub fn new(profile: Profile, password: Option<String>) -> Self {
        Self {
            profile,
            password,
            timeout: Duration::from_secs(30),
            open: None,
            given_up: None,
        }
    }

    /// How long to wait for the server at each step (default 30 s).
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub(crate) fn host(&self) -> String {
        self.profile.imap_host.trim().to_owned()
    }

    pub(crate) fn broken(&self, e: &imap::Error) -> SentCopyError {
        SentCopyError::Broken {
            host: self.host(),
            reason: e.to_string(),
        }
    }

    /// Connects, logs in and finds the Sent folder: the "Test connection"
    /// of the copy. Returns a line saying what it found.
    pub fn test_connection(&self) -> Result<String, SentCopyError> {
        let mut open = self.open()?;
        let _ = open.session.logout();
        Ok(format!(
            "The copy in Sent works: logged in to {}:{} and found the folder \"{}\".",
            self.host(),
            self.profile.imap_port(),
            open.folder
        ))
    }

    fn connect_tcp(&self) -> Result<TcpStream, SentCopyError> {
        let host = self.host();
        let port = self.profile.imap_port();
        if host.is_empty() {
            return Err(SentCopyError::NoHost);
        }
        let addrs: Vec<_> = (host.as_str(), port)
            .to_socket_addrs()
            .map_err(|e| SentCopyError::Dns {
                host: host.clone(),
                reason: e.to_string(),
            })?
            .collect();
        let mut last = "the name has no address".to_owned();
        for addr in &addrs {
            match TcpStream::connect_timeout(addr, self.timeout) {
                Ok(tcp) => {
                    let timeouts = tcp
                        .set_read_timeout(Some(self.timeout))
                        .and_then(|()| tcp.set_write_timeout(Some(self.timeout)));
                    return match timeouts {
                        Ok(()) => Ok(tcp),
                        Err(e) => Err(SentCopyError::Connect {
                            host,
                            port,
                            reason: e.to_string(),
                        }),
                    };
                }
                Err(e) => last = e.to_string(),
            }
        }
        if addrs.is_empty() {
            return Err(SentCopyError::Dns { host, reason: last });
        }
        Err(SentCopyError::Connect {
            host,
            port,
            reason: last,
        })
    }

    /// The TLS settings: the platform's verifier, with the profile's extra
    /// authority if it has one.
    fn tls_config(&self) -> Result<Arc<rustls::ClientConfig>, SentCopyError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut extra = Vec::new();
        if let Some(ca) = &self.profile.extra_ca {
            let ca_error = |reason: String| SentCopyError::Ca {
                path: ca.display().to_string(),
                reason,
            };
            let pem = std::fs::read(ca).map_err(|e| ca_error(e.to_string()))?;
            extra = CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| ca_error(e.to_string()))?;
            if extra.is_empty() {
                return Err(ca_error("it holds no certificate".to_owned()));
            }
        }
        let tls_error = |reason: String| SentCopyError::Tls {
            host: self.host(),
            reason,
        };
        let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider.clone())
            .map_err(|e| tls_error(e.to_string()))?;
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| tls_error(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        Ok(Arc::new(config))
    }

    /// Wraps `tcp` in TLS and finishes the handshake (so that a certificate
    /// problem is told as one, not as a broken connection later).
    fn secure(&self, mut tcp: TcpStream) -> Result<Link, SentCopyError> {
        let host = self.host();
        let name = ServerName::try_from(host.clone()).map_err(|e| SentCopyError::Tls {
            host: host.clone(),
            reason: e.to_string(),
        })?;
        let mut conn = rustls::ClientConnection::new(self.tls_config()?, name).map_err(|e| SentCopyError::Tls {
            host: host.clone(),
            reason: e.to_string(),
        })?;
        while conn.is_handshaking() {
            conn.complete_io(&mut tcp).map_err(|e| SentCopyError::Tls {
                host: host.clone(),
                reason: format!(
                    "{e}; is the security setting right for port {}?",
                    self.profile.imap_port()
                ),
            })?;
        }
        Ok(Link::Tls(Box::new(rustls::StreamOwned::new(conn, tcp))))
    }

    /// STARTTLS on a plain connection, read byte by byte so that nothing the
    /// server sent before the handshake is taken as sent after it.
    fn starttls(&self, mut tcp: TcpStream) -> Result<Link, SentCopyError> {
        let host = self.host();
        let broken = |reason: String| SentCopyError::Broken {
            host: host.clone(),
            reason,
        };
        let greeting = read_line(&mut tcp).map_err(|e| broken(e.to_string()))?;
        if !greeting.starts_with("* OK") {
            return Err(broken(format!("it greeted with \"{}\"", greeting.trim())));
        }
        tcp.write_all(b"h0 STARTTLS\r\n").map_err(|e| broken(e.to_string()))?;
        // The answer, after at most a few lines of something else.
        for _ in 0..32 {
            let line = read_line(&mut tcp).map_err(|e| broken(e.to_string()))?;
            if line.starts_with("h0 OK") {
                return self.secure(tcp);
            }
            if line.starts_with("h0 ") {
                return Err(SentCopyError::NoStartTls {
                    host,
                    port: self.profile.imap_port(),
                });
            }
        }
        Err(broken("it did not answer STARTTLS".to_owned()))
    }

    /// Connects, secures and logs in: a session within its budget (also
    /// how `crate::deliver::responses` reads the Inbox).
    pub(crate) fn login(&self) -> Result<(imap::Session<Stream>, Budget), SentCopyError> {
        let user = self.profile.user.trim();
        if user.is_empty() {
            return Err(SentCopyError::NoUser);
        }
        let budget = Budget::new();
        // Opening: connect, secure, log in, list; each wait has its own
        // timeout, all of it at most four.
        budget.renew(self.timeout * 4);
        let tcp = self.connect_tcp()?;
        let (link, greeted) = match self.profile.imap_security {
            Security::Tls => (self.secure(tcp)?, false),
            Security::StartTls => (self.starttls(tcp)?, true),
            Security::None => (Link::Plain(tcp), false),
        };
        let mut client = imap::Client::new(Stream {
            link,
            budget: budget.clone(),
        });
        if !greeted {
            client.read_greeting().map_err(|e| self.broken(&e))?;
        }
        let password = self.password.as_deref().unwrap_or_default();
        let session = client.login(user, password).map_err(|(e, _)| match e {
            imap::Error::No(_) | imap::Error::Bad(_) | imap::Error::Validate(_) => SentCopyError::Auth {
                host: self.host(),
                user: user.to_owned(),
                reply: e.to_string(),
            },
            other => self.broken(&other),
        })?;
        Ok((session, budget))
    }

    /// Opens a session: connects, secures, logs in, finds the Sent folder.
    fn open(&self) -> Result<Open, SentCopyError> {
        let (mut session, budget) = self.login()?;
        let folder = self.find_sent(&mut session);
        match folder {
            Ok(folder) => Ok(Open {
                session,
                folder,
                budget,
            }),
            Err(e) => {
                let _ = session.logout();
                Err(e)
            }
        }
    }

    fn find_sent(&self, session: &mut imap::Session<Stream>) -> Result<String, SentCopyError> {
        let special_use = session
            .capabilities()
            .map_err(|e| self.broken(&e))?
            .has_str("SPECIAL-USE");
        let names = session.list(Some(""), Some("*")).map_err(|e| self.broken(&e))?;
        let listed: Vec<Listed> = names
            .iter()
            .map(|n| Listed {
                name: n.name().to_owned(),
                sent: n.attributes().contains(&NameAttribute::Sent),
                selectable: !n.attributes().contains(&NameAttribute::NoSelect),
            })
            .collect();
        let Some(folder) = choose_folder(&listed, special_use) else {
            let all: Vec<&str> = listed.iter().map(|l| l.name.as_str()).collect();
            let folders = if all.is_empty() {
                "it lists no folders".to_owned()
            } else {
                format!("its folders: {}", all.join(", "))
            };
            return Err(SentCopyError::NoSentFolder {
                host: self.host(),
                folders,
            });
        };
        // The crate puts the name in quotes as it is.
        if folder.contains(['"', '\\', '\r', '\n']) {
            return Err(SentCopyError::NoSentFolder {
                host: self.host(),
                folders: format!(
                    "its Sent folder \"{folder}\" has a quote or backslash in its name, which Hemicycle cannot use"
                ),
            });
        }
        Ok(folder.to_owned())
    }

    fn append(&mut self, message: &[u8]) -> Result<(), SentCopyError> {
        let host = self.host();
        let Some(open) = self.open.as_mut() else {
            return Err(SentCopyError::Broken {
                host,
                reason: "not connected".to_owned(),
            });
        };
        open.budget.renew(self.timeout * 2);
        let result = open.session.append(&open.folder, message).flag(Flag::Seen).finish();
        match result {
            Ok(_) => Ok(()),
            // The server answered: the session still works.
            Err(e @ (imap::Error::No(_) | imap::Error::Bad(_) | imap::Error::Append)) => {
                let reply = match e {
                    imap::Error::Append => "it did not take the message".to_owned(),
                    other => other.to_string(),
                };
                Err(SentCopyError::Refused {
                    host,
                    folder: open.folder.clone(),
                    reply,
                })
            }
            Err(e) => {
                self.open = None;
                Err(SentCopyError::Broken {
                    host,
                    reason: e.to_string(),
                })
            }
        }
    }
}

/// One line from a plain connection, a byte at a time (at most 8 KiB).
fn read_line(tcp: &mut TcpStream) -> std::io::Result<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while line.len() < 8192 {
        if tcp.read(&mut byte)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        line.push(byte[0]);
        if byte[0] == b'\n' {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&line).into_owned())
}

impl Keep for SentFolder {
    fn keep(&mut self, message: &[u8]) -> Result<(), SentCopyError> {
        if let Some(e) = &self.given_up {
            return Err(e.clone());
        }
        if self.open.is_none() {
            match self.open() {
                Ok(open) => self.open = Some(open),
                Err(e) => {
                    self.given_up = Some(e.clone());
                    return Err(e);
                }
            }
        }
        self.append(message)
    }

    fn close(&mut self) {
        if let Some(mut open) = self.open.take() {
            open.budget.renew(self.timeout);
            let _ = open.session.logout();
        }
    }
}

impl Drop for SentFolder {
    fn drop(&mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(name: &str, sent: bool) -> Listed {
        Listed {
            name: name.to_owned(),
            sent,
            selectable: true,
        }
    }

    #[test]
    fn the_folder_marked_sent_wins() {
        let all = [
            listed("INBOX", false),
            listed("Sent", false),
            listed("[Gmail]/Sent Mail", true),
        ];
        assert_eq!(choose_folder(&all, true), Some("[Gmail]/Sent Mail"));
        assert_eq!(choose_folder(&all, false), Some("[Gmail]/Sent Mail"));
    }

    #[test]
    fn usual_names_only_without_special_use() {
        let all = [listed("INBOX", false), listed("INBOX.Sent Items", false)];
        assert_eq!(choose_folder(&all, true), None);
        assert_eq!(choose_folder(&all, false), Some("INBOX.Sent Items"));
        let german = [listed("INBOX", false), listed("gesendet", false)];
        assert_eq!(choose_folder(&german, false), Some("gesendet"));
        let french = [listed("INBOX/Envoy&AOk-s", false)];
        assert_eq!(choose_folder(&french, false), Some("INBOX/Envoy&AOk-s"));
        assert_eq!(choose_folder(&[listed("INBOX", false)], false), None);
        let mut unusable = listed("Sent", true);
        unusable.selectable = false;
        assert_eq!(choose_folder(&[unusable], false), None);
    }

    /// A server that greets one byte every 100 ms: each read is quick, but
    /// the whole opening may take at most four timeouts.
    #[test]
    fn a_server_that_trickles_bytes_cannot_hold_the_run() {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let Ok((mut conn, _)) = listener.accept() else { return };
            for byte in b"* OK ".iter().cycle() {
                if conn.write_all(&[*byte]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let profile = Profile {
            user: "ana".into(),
            imap_host: "127.0.0.1".into(),
            imap_port: port,
            imap_security: Security::None,
            ..Profile::default()
        };
        let started = Instant::now();
        let mut folder = SentFolder::new(profile, Some("pw".into())).with_timeout(Duration::from_millis(500));
        let err = folder.keep(b"Subject: x\r\n\r\nx\r\n").unwrap_err();
        assert!(matches!(err, SentCopyError::Broken { .. }), "{err}");
        assert!(err.to_string().contains("too long"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
        // Given up for the run: the next letter does not wait again.
        let again = Instant::now();
        assert_eq!(folder.keep(b"x").unwrap_err(), err);
        assert!(again.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn debug_leaves_the_password_out() {
        let folder = SentFolder::new(Profile::default(), Some("s3cret".into()));
        assert!(!format!("{folder:?}").contains("s3cret"));
    }
}
