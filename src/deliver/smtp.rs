//! Talking to the mail server: one SMTP session, kept open between letters,
//! driven command by command (lettre's `SmtpConnection`) so that Hemicycle
//! knows whether a failure happened before the letter was handed over (safe
//! to try again) or after (the outcome is unknown: "unconfirmed").
//!
//! Certificates are always verified (the operating system's trust store,
//! plus an optional extra authority of the profile). Errors say which step
//! failed (finding the server, reaching it, securing the connection,
//! logging in) in plain words.

use std::io::ErrorKind;
use std::net::ToSocketAddrs;
use std::time::Duration;

use lettre::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};

use super::profile::{Profile, Security};

/// Why the server could not be used at all (the run stops).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmtpError {
    #[error(
        "could not find the mail server \"{host}\" ({reason}); check the server name in the mail account and that this computer is online"
    )]
    Dns { host: String, reason: String },
    #[error(
        "could not reach {host} on port {port} ({reason}); check the port (587 for STARTTLS, 465 for TLS) and that no firewall blocks it"
    )]
    Connect { host: String, port: u16, reason: String },
    #[error("{host} did not answer in time ({reason}); try again later, or check the server name and port")]
    Timeout { host: String, reason: String },
    #[error(
        "the secure connection to {host} failed ({reason}); check the server name and security setting. Hemicycle only sends over a connection whose certificate it can verify"
    )]
    Tls { host: String, reason: String },
    #[error(
        "{host} does not offer STARTTLS encryption on port {port}; choose TLS (port 465), or ask your provider for the right settings"
    )]
    NoStartTls { host: String, port: u16 },
    #[error("{host} refused the connection: {reply}")]
    Greeting { host: String, reply: String },
    #[error(
        "{host} refused the user name or password for \"{user}\" ({reply}); check them (some providers need an app password)"
    )]
    Auth { host: String, user: String, reply: String },
    #[error("{host} asks for a login, but the mail account has no user name; enter the user name and password")]
    AuthRequired { host: String },
    #[error(
        "{host} did not ask for a login: it offers none on port {port}. If it needs none, leave the user name and password empty; otherwise check the server, port and security"
    )]
    NoLogin { host: String, port: u16 },
    #[error(
        "the mail account needs a password: enter it in the mail account settings (or set HEMICYCLE_SMTP_PASSWORD for the command line)"
    )]
    NoPassword,
    #[error("the extra certificate authority file cannot be used ({reason}): {path}")]
    Ca { path: String, reason: String },
}

/// How one message went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted; the server's reply ("250 2.0.0 Ok: queued as …").
    Sent(String),
    /// 4xx: not accepted now, may be tried later.
    Deferred(String),
    /// 5xx: refused.
    Refused(String),
    /// The connection broke before the letter was handed over: not
    /// delivered, safe to try again on a new connection.
    Dropped(String),
    /// The connection broke after the letter was handed over: it may or may
    /// not have arrived.
    Unknown(String),
}

/// Something that takes messages: the real server, or a test double in
/// unit tests (integration tests use a real server process).
pub trait Transport: Send {
    /// Makes sure a session is open (connect, encrypt, log in).
    fn connect(&mut self) -> Result<(), SmtpError>;
    /// Sends one message to `to` (the envelope), returns how it went.
    fn send(&mut self, from: &Address, to: &[Address], message: &[u8]) -> Outcome;
    /// Closes the session politely (QUIT), if one is open.
    fn close(&mut self);
    /// Keeps a copy of a message that was sent (in the account's Sent
    /// folder, see `sent_folder::WithCopy`); `None` when this
    /// transport keeps none.
    fn keep_copy(&mut self, _message: &[u8]) -> Option<Result<(), super::sent_copy::SentCopyError>> {
        None
    }
}

/// A session with a real SMTP server.
pub struct Smtp {
    profile: Profile,
    password: Option<String>,
    timeout: Duration,
    conn: Option<SmtpConnection>,
    /// When the server last answered.
    last_reply: Option<std::time::Instant>,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password.
        f.debug_struct("Smtp")
            .field("host", &self.profile.host)
            .field("port", &self.profile.port)
            .field("connected", &self.conn.is_some())
            .finish_non_exhaustive()
    }
}

/// A 421 reply: the server is closing the connection.
fn closes(e: &lettre::transport::smtp::Error) -> bool {
    e.status().is_some_and(|code| code.to_string() == "421")
}

fn reply_text(e: &lettre::transport::smtp::Error) -> String {
    e.to_string()
}

/// The innermost I/O error kind in an error's chain.
fn io_kind(e: &(dyn std::error::Error + 'static)) -> Option<ErrorKind> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut kind = None;
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            kind = Some(io.kind());
        }
        cur = err.source();
    }
    kind
}

fn chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(err) = cur {
        let t = err.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = err.source();
    }
    parts.join(": ")
}

impl Smtp {
    pub fn new(profile: Profile, password: Option<String>) -> Self {
        Self {
            profile,
            password,
            timeout: Duration::from_mins(1),
            conn: None,
            last_reply: None,
        }
    }

    /// How long to wait for the server at each step (default 60 s).
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn tls(&self) -> Result<TlsParameters, SmtpError> {
        let host = self.profile.host.trim().to_owned();
        let mut builder = TlsParameters::builder(host.clone());
        if let Some(ca) = &self.profile.extra_ca {
            let pem = std::fs::read(ca).map_err(|e| SmtpError::Ca {
                path: ca.display().to_string(),
                reason: e.to_string(),
            })?;
            let cert = Certificate::from_pem(&pem).map_err(|e| SmtpError::Ca {
                path: ca.display().to_string(),
                reason: e.to_string(),
            })?;
            builder = builder.add_root_certificate(cert);
        }
        builder.build_rustls().map_err(|e| SmtpError::Tls {
            host,
            reason: chain_text(&e),
        })
    }

    fn classify_connect(&self, e: &lettre::transport::smtp::Error) -> SmtpError {
        let host = self.profile.host.trim().to_owned();
        let reason = chain_text(e);
        if e.is_tls() {
            SmtpError::Tls { host, reason }
        } else if e.is_timeout() || io_kind(e) == Some(ErrorKind::TimedOut) {
            SmtpError::Timeout { host, reason }
        } else if e.is_transient() || e.is_permanent() {
            SmtpError::Greeting { host, reply: reason }
        } else if matches!(
            io_kind(e),
            Some(ErrorKind::InvalidData | ErrorKind::UnexpectedEof | ErrorKind::ConnectionReset)
        ) && self.profile.security != Security::None
        {
            // A TLS handshake against a plain port (or the reverse) ends
            // like this.
            SmtpError::Tls {
                host,
                reason: format!(
                    "{reason}; is the security setting right for port {}?",
                    self.profile.port
                ),
            }
        } else {
            SmtpError::Connect {
                host,
                port: self.profile.port,
                reason,
            }
        }
    }

    /// Opens a session: finds the server, connects, encrypts, logs in.
    /// Returns a line saying what was done ("TLS, logged in as …").
    fn open(&self) -> Result<(SmtpConnection, String), SmtpError> {
        let host = self.profile.host.trim().to_owned();
        let port = self.profile.port;
        let addrs: Vec<_> = (host.as_str(), port)
            .to_socket_addrs()
            .map_err(|e| SmtpError::Dns {
                host: host.clone(),
                reason: e.to_string(),
            })?
            .collect();
        if addrs.is_empty() {
            return Err(SmtpError::Dns {
                host,
                reason: "the name has no address".to_owned(),
            });
        }
        let hello = ClientId::default();
        let implicit = match self.profile.security {
            Security::Tls => Some(self.tls()?),
            _ => None,
        };
        let mut conn = SmtpConnection::connect(&addrs[..], Some(self.timeout), &hello, implicit.as_ref(), None)
            .map_err(|e| self.classify_connect(&e))?;
        let mut how = match self.profile.security {
            Security::Tls => "TLS".to_owned(),
            Security::StartTls => {
                if !conn.server_info().supports_feature(Extension::StartTls) {
                    conn.abort();
                    return Err(SmtpError::NoStartTls { host, port });
                }
                let tls = self.tls()?;
                conn.starttls(&tls, &hello).map_err(|e| self.classify_connect(&e))?;
                "STARTTLS".to_owned()
            }
            Security::None => "no encryption (this computer only)".to_owned(),
        };
        let user = self.profile.user.trim();
        if user.is_empty() {
            how.push_str(", no login");
        } else {
            let Some(password) = self.password.as_deref() else {
                conn.abort();
                return Err(SmtpError::NoPassword);
            };
            // A server that offers no login at all is not refusing the
            // password: say so, not "check the password".
            let offered = [Mechanism::Plain, Mechanism::Login, Mechanism::Xoauth2]
                .into_iter()
                .any(|m| conn.server_info().supports_auth_mechanism(m));
            if !offered {
                conn.abort();
                return Err(SmtpError::NoLogin {
                    host,
                    port: self.profile.port,
                });
            }
            let credentials = Credentials::new(user.to_owned(), password.to_owned());
            if let Err(e) = conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials) {
                conn.abort();
                return Err(if e.is_client() && !e.is_transient() && !e.is_permanent() {
                    SmtpError::Auth {
                        host,
                        user: user.to_owned(),
                        reply: "the server offers no login method Hemicycle knows (PLAIN or LOGIN)".to_owned(),
                    }
                } else if e.is_transient() || e.is_permanent() {
                    SmtpError::Auth {
                        host,
                        user: user.to_owned(),
                        reply: reply_text(&e),
                    }
                } else {
                    self.classify_connect(&e)
                });
            }
            how.push_str(&format!(", logged in as {user}"));
        }
        Ok((conn, how))
    }

    /// Connects, logs in and says goodbye: the "Test connection" button.
    pub fn test_connection(&self) -> Result<String, SmtpError> {
        let (mut conn, how) = self.open()?;
        let _ = conn.quit();
        Ok(format!(
            "Connected to {}:{} with {how}. The account works.",
            self.profile.host.trim(),
            self.profile.port
        ))
    }
}

impl Transport for Smtp {
    fn connect(&mut self) -> Result<(), SmtpError> {
        if let Some(conn) = &mut self.conn {
            // A session that answered a moment ago is used as it is; after a
            // pause (servers close idle sessions) a NOOP asks first.
            let fresh = self.last_reply.is_some_and(|t| t.elapsed() < Duration::from_secs(5));
            if !conn.has_broken() && (fresh || conn.test_connected()) {
                return Ok(());
            }
            conn.abort();
            self.conn = None;
        }
        let (conn, _) = self.open()?;
        self.conn = Some(conn);
        self.last_reply = Some(std::time::Instant::now());
        Ok(())
    }

    fn send(&mut self, from: &Address, to: &[Address], message: &[u8]) -> Outcome {
        if let Err(e) = self.connect() {
            return Outcome::Dropped(e.to_string());
        }
        let Some(conn) = self.conn.as_mut() else {
            return Outcome::Dropped("not connected".to_owned());
        };
        // The transaction up to DATA: nothing is delivered if it fails.
        let mut params = Vec::new();
        if !message.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
            params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let before = || -> Result<(), lettre::transport::smtp::Error> {
            conn.command(Mail::new(Some(from.clone()), params))?;
            for rcpt in to {
                conn.command(Rcpt::new(rcpt.clone(), vec![]))?;
            }
            conn.command(Data)?;
            Ok(())
        };
        if let Err(e) = before() {
            let text = reply_text(&e);
            if closes(&e) {
                conn.abort();
                self.conn = None;
                return Outcome::Deferred(text);
            }
            return if e.is_transient() || e.is_permanent() {
                // The session still works: reset the transaction.
                if conn.command(Rset).is_err() {
                    conn.abort();
                    self.conn = None;
                }
                if e.is_permanent() {
                    Outcome::Refused(text)
                } else {
                    Outcome::Deferred(text)
                }
            } else {
                conn.abort();
                self.conn = None;
                Outcome::Dropped(chain_text(&e))
            };
        }
        // The letter itself: from here on a broken connection leaves the
        // outcome unknown. It goes in one write with its terminating dot
        // (lettre writes the dot apart, and Nagle's algorithm with the
        // server's delayed ACK then holds every letter back by 40 ms).
        let sent = match std::str::from_utf8(message) {
            Ok(text) => conn.command(DataBlock(&data_block(text))),
            Err(_) => conn.message(message),
        };
        if sent.is_ok() {
            self.last_reply = Some(std::time::Instant::now());
        }
        match sent {
            Ok(reply) => Outcome::Sent(format!(
                "{} {}",
                reply.code(),
                reply.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) if e.is_permanent() => Outcome::Refused(reply_text(&e)),
            // 421: the server is closing the connection; the letter was not
            // taken, and the retry needs a connection of its own.
            Err(e) if closes(&e) => {
                conn.abort();
                self.conn = None;
                Outcome::Deferred(reply_text(&e))
            }
            Err(e) if e.is_transient() => Outcome::Deferred(reply_text(&e)),
            Err(e) => {
                conn.abort();
                self.conn = None;
                Outcome::Unknown(chain_text(&e))
            }
        }
    }

    fn close(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            let _ = conn.quit();
        }
    }
}

/// The DATA section of a message: lines starting with a dot get another
/// (RFC 5321, 4.5.2), bare line feeds become CRLF, and the terminating
/// "CRLF . CRLF" is added.
pub fn data_block(message: &str) -> String {
    let mut out = String::with_capacity(message.len() + 64);
    let mut at_line_start = true;
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        if at_line_start && c == '.' {
            out.push('.');
        }
        match c {
            '\r' if chars.peek() == Some(&'\n') => {
                chars.next();
                out.push_str("\r\n");
                at_line_start = true;
            }
            '\n' => {
                out.push_str("\r\n");
                at_line_start = true;
            }
            _ => {
                out.push(c);
                at_line_start = false;
            }
        }
    }
    if !out.ends_with("\r\n") {
        out.push_str("\r\n");
    }
    out.push_str(".\r\n");
    out
}

/// Written as it is by `SmtpConnection::command`, in one write.
struct DataBlock<'a>(&'a str);

impl std::fmt::Display for DataBlock<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_block_stuffs_dots_and_ends_with_one() {
        assert_eq!(data_block("Hi\r\n.hidden\r\nok"), "Hi\r\n..hidden\r\nok\r\n.\r\n");
        assert_eq!(data_block(".\nx\n"), "..\r\nx\r\n.\r\n");
        assert_eq!(data_block("a. b\r\n"), "a. b\r\n.\r\n");
    }
}
