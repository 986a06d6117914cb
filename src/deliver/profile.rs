//! Mail accounts (SMTP profiles): where and how to send, and as whom.
//!
//! Profiles are kept in `mail-accounts.toml` in the config folder, written
//! atomically. A profile never holds a password: that lives in the operating
//! system's keyring (see [`super::secrets`]).

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::store;

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    #[default]
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a server on this computer (127.0.0.1, ::1,
    /// localhost), such as a local relay or a test server.
    None,
}

impl Security {
    pub const ALL: [Security; 3] = [Security::StartTls, Security::Tls, Security::None];

    pub fn label(self) -> &'static str {
        match self {
            Security::StartTls => "STARTTLS (port 587)",
            Security::Tls => "TLS (port 465)",
            Security::None => "None (this computer only)",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }

    /// The label for the IMAP server of the copy in Sent.
    pub fn imap_label(self) -> &'static str {
        match self {
            Security::StartTls => "STARTTLS (port 143)",
            Security::Tls => "TLS (port 993)",
            Security::None => "None (this computer only)",
        }
    }

    /// The usual IMAP port: 993 for TLS, 143 otherwise.
    pub fn default_imap_port(self) -> u16 {
        match self {
            Security::Tls => 993,
            Security::StartTls | Security::None => 143,
        }
    }

    /// "starttls", "tls", "none".
    pub fn parse(text: &str) -> Option<Security> {
        match text.trim().to_ascii_lowercase().as_str() {
            "starttls" | "start-tls" => Some(Security::StartTls),
            "tls" | "ssl" | "implicit-tls" => Some(Security::Tls),
            "none" | "plain" => Some(Security::None),
            _ => None,
        }
    }
}

/// One mail account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// The name people pick it by ("Office", "My Gmail").
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The user name to log in with; empty for a server without login.
    pub user: String,
    pub from_name: String,
    pub from_email: String,
    /// Replies go here instead of the From address.
    pub reply_to: String,
    /// Send a blind copy of every letter to the From address.
    pub bcc_self: bool,
    /// An extra certificate authority to trust (PEM), for a server with an
    /// in-house certificate. Certificates are always verified.
    pub extra_ca: Option<PathBuf>,
    /// Keep a copy of each letter sent in the account's Sent folder, over
    /// IMAP with the same login (see [`super::sent_folder`]). Off unless
    /// asked for.
    pub copy_to_sent: bool,
    /// The IMAP server for the copy (imap.example.org).
    pub imap_host: String,
    /// 0: the usual port for `imap_security` (993 for TLS, 143 for STARTTLS).
    pub imap_port: u16,
    pub imap_security: Security,
}

impl Default for Profile {
    fn default() -> Self {
        Self {
            name: String::new(),
            host: String::new(),
            port: 0,
            security: Security::StartTls,
            user: String::new(),
            from_name: String::new(),
            from_email: String::new(),
            reply_to: String::new(),
            bcc_self: false,
            extra_ca: None,
            copy_to_sent: false,
            imap_host: String::new(),
            imap_port: 0,
            imap_security: Security::Tls,
        }
    }
}

/// A profile that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("the mail account has no name; give it one (for example \"Office\")")]
    NoName,
    #[error(
        "the mail account \"{0}\" has no server; enter the SMTP server your provider gives (for example smtp.example.org)"
    )]
    NoHost(String),
    #[error("the mail account \"{0}\" has no port; use 587 for STARTTLS or 465 for TLS")]
    NoPort(String),
    #[error(
        "the mail account \"{name}\" sends without encryption to {host}; that is only allowed for a server on this computer. Choose STARTTLS or TLS"
    )]
    Unencrypted { name: String, host: String },
    #[error("\"{address}\" is not a valid e-mail address for the {what} of the mail account \"{name}\"; correct it")]
    Address {
        name: String,
        what: &'static str,
        address: String,
    },
    #[error(
        "the mail account \"{0}\" keeps a copy in Sent but has no IMAP server; enter the IMAP server your provider gives (for example imap.example.org), or switch the copy off"
    )]
    NoImapHost(String),
    #[error("there is no mail account named \"{name}\"; {}", known_list(known))]
    Unknown { name: String, known: Vec<String> },
    #[error("the mail accounts file is damaged ({reason}): {}; fix or delete it and add the accounts again", path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error("{0}")]
    Io(String),
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "add one first (hemicycle account add, or Settings → Mail accounts in the app)".to_owned()
    } else {
        format!("the accounts are: {}", known.join(", "))
    }
}

/// True for 127.0.0.0/8, ::1 and "localhost".
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn valid_address(text: &str) -> bool {
    super::address::is_address(text)
}

impl Profile {
    /// Every reason this profile cannot be used, first one first.
    pub fn validate(&self) -> Result<(), ProfileError> {
        if self.name.trim().is_empty() {
            return Err(ProfileError::NoName);
        }
        if self.host.trim().is_empty() {
            return Err(ProfileError::NoHost(self.name.clone()));
        }
        if self.port == 0 {
            return Err(ProfileError::NoPort(self.name.clone()));
        }
        if self.security == Security::None && !is_loopback(&self.host) {
            return Err(ProfileError::Unencrypted {
                name: self.name.clone(),
                host: self.host.clone(),
            });
        }
        self.validate_imap()?;
        for (what, address, required) in [
            ("From address", &self.from_email, true),
            ("Reply-To address", &self.reply_to, false),
        ] {
            if (required || !address.trim().is_empty()) && !valid_address(address) {
                return Err(ProfileError::Address {
                    name: self.name.clone(),
                    what,
                    address: address.clone(),
                });
            }
        }
        Ok(())
    }

    /// The IMAP settings, when the copy in Sent is on.
    fn validate_imap(&self) -> Result<(), ProfileError> {
        if !self.copy_to_sent {
            return Ok(());
        }
        if self.imap_host.trim().is_empty() {
            return Err(ProfileError::NoImapHost(self.name.clone()));
        }
        if self.imap_security == Security::None && !is_loopback(&self.imap_host) {
            return Err(ProfileError::Unencrypted {
                name: self.name.clone(),
                host: self.imap_host.clone(),
            });
        }
        Ok(())
    }

    /// The IMAP port: the one given, else the usual one for its security.
    pub fn imap_port(&self) -> u16 {
        if self.imap_port == 0 {
            self.imap_security.default_imap_port()
        } else {
            self.imap_port
        }
    }

    /// The keyring entry's user part: one password per account and login.
    pub fn secret_key(&self) -> String {
        format!("{}@{}:{}", self.user, self.host, self.port)
    }
}

/// All mail accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profiles {
    #[serde(default, rename = "account")]
    pub accounts: Vec<Profile>,
}

impl Profiles {
    /// Reads the accounts; a missing file is no accounts.
    pub fn load(path: &Path) -> Result<Self, ProfileError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(ProfileError::Io(format!(
                    "could not read the mail accounts ({e}): {}",
                    path.display()
                )));
            }
        };
        toml::from_str(&text).map_err(|e| ProfileError::Corrupt {
            path: path.to_path_buf(),
            reason: e.message().to_owned(),
        })
    }

    /// Writes the accounts atomically (never a password: profiles hold none).
    pub fn save(&self, path: &Path) -> Result<(), ProfileError> {
        let text = toml::to_string_pretty(self).map_err(|e| ProfileError::Io(e.to_string()))?;
        let text = format!(
            "# Hemicycle's mail accounts. Passwords are not here: they are in the\n# operating system's keyring.\n\n{text}"
        );
        store::write_atomic(path, text.as_bytes(), "the mail accounts").map_err(|e| ProfileError::Io(e.to_string()))
    }

    pub fn get(&self, name: &str) -> Result<&Profile, ProfileError> {
        self.accounts
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| ProfileError::Unknown {
                name: name.to_owned(),
                known: self.accounts.iter().map(|p| p.name.clone()).collect(),
            })
    }

    /// Adds the profile, or replaces the one with the same name.
    pub fn upsert(&mut self, profile: Profile) {
        match self
            .accounts
            .iter_mut()
            .find(|p| p.name.eq_ignore_ascii_case(&profile.name))
        {
            Some(slot) => *slot = profile,
            None => self.accounts.push(profile),
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<Profile> {
        let i = self.accounts.iter().position(|p| p.name.eq_ignore_ascii_case(name))?;
        Some(self.accounts.remove(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> Profile {
        Profile {
            name: "Office".into(),
            host: "smtp.example.org".into(),
            port: 587,
            security: Security::StartTls,
            user: "campaigns@example.org".into(),
            from_name: "Stichting Voorbeeld".into(),
            from_email: "campaigns@example.org".into(),
            ..Profile::default()
        }
    }

    #[test]
    fn unencrypted_only_on_loopback() {
        let mut p = office();
        p.security = Security::None;
        assert!(matches!(p.validate(), Err(ProfileError::Unencrypted { .. })));
        for host in ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"] {
            p.host = host.into();
            assert_eq!(p.validate(), Ok(()), "{host}");
        }
    }

    #[test]
    fn addresses_are_checked() {
        let mut p = office();
        p.from_email = "campaigns at example.org".into();
        let err = p.validate().unwrap_err().to_string();
        assert!(err.contains("From address"), "{err}");
        p.from_email = "campaigns@example.org".into();
        p.reply_to = "nope".into();
        assert!(p.validate().unwrap_err().to_string().contains("Reply-To"));
        p.reply_to = String::new();
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn saved_file_round_trips_and_holds_no_password() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mail-accounts.toml");
        let mut all = Profiles::default();
        all.upsert(office());
        let mut other = office();
        other.name = "Local".into();
        other.host = "127.0.0.1".into();
        other.security = Security::None;
        all.upsert(other);
        all.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.to_lowercase().contains("password ="), "{text}");
        let back = Profiles::load(&path).unwrap();
        assert_eq!(back, all);
        assert_eq!(back.get("office").unwrap().host, "smtp.example.org");
        let err = back.get("Gmail").unwrap_err().to_string();
        assert!(err.contains("Office, Local"), "{err}");
    }

    #[test]
    fn the_copy_in_sent_needs_an_imap_server_and_old_files_still_load() {
        let mut p = office();
        p.copy_to_sent = true;
        assert!(matches!(p.validate(), Err(ProfileError::NoImapHost(_))));
        p.imap_host = "imap.example.org".into();
        assert_eq!(p.validate(), Ok(()));
        assert_eq!(p.imap_port(), 993);
        p.imap_security = Security::None;
        assert!(matches!(p.validate(), Err(ProfileError::Unencrypted { .. })));
        // A file written before the copy existed: off, with the usual port.
        let old = "[[account]]\nname = \"Office\"\nhost = \"smtp.example.org\"\nport = 587\nsecurity = \"starttls\"\nfrom_email = \"a@example.org\"\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mail-accounts.toml");
        std::fs::write(&path, old).unwrap();
        let loaded = Profiles::load(&path).unwrap();
        let p = loaded.get("Office").unwrap();
        assert!(!p.copy_to_sent && p.imap_host.is_empty());
        assert_eq!((p.imap_security, p.imap_port()), (Security::Tls, 993));
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn corrupt_file_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mail-accounts.toml");
        std::fs::write(&path, "[[account]\nname = ").unwrap();
        let err = Profiles::load(&path).unwrap_err().to_string();
        assert!(err.contains("damaged"), "{err}");
    }
}
