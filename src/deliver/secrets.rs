//! Passwords of mail accounts: in the operating system's keyring (Secret
//! Service on Linux, Keychain on macOS, Credential Manager on Windows)
//! through keyring-core, never in a file or a log.
//!
//! Where no keyring answers (a headless Linux without a Secret Service), the
//! app keeps the password in memory for the session only and says why; the
//! command line reads it from `HEMICYCLE_SMTP_PASSWORD`.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The environment variable the command line reads a password from.
pub const PASSWORD_ENV: &str = "HEMICYCLE_SMTP_PASSWORD";

/// The keyring service under which passwords are filed.
pub const SERVICE: &str = "Hemicycle mail account";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("this computer's keyring cannot be used ({0})")]
    Unavailable(String),
    #[error("the keyring refused to {action} the password ({reason})")]
    Failed { action: &'static str, reason: String },
}

/// Where passwords are kept.
pub trait Secrets: Send + Sync + std::fmt::Debug {
    /// The password for `key` ([`super::profile::Profile::secret_key`]),
    /// or `None` when there is none.
    fn get(&self, key: &str) -> Result<Option<String>, SecretError>;
    fn set(&self, key: &str, password: &str) -> Result<(), SecretError>;
    fn delete(&self, key: &str) -> Result<(), SecretError>;
    /// "the system keyring", "memory (this session only)".
    fn describe(&self) -> &'static str;
    /// Why passwords are not kept where the user would expect, if so.
    fn note(&self) -> Option<String> {
        None
    }
}

/// A password as it is typed or held: its `Debug` output never shows it,
/// so no log, panic message or `{:?}` can leak it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "Password(none)"
        } else {
            "Password(hidden)"
        })
    }
}

impl std::ops::Deref for Password {
    type Target = String;
    fn deref(&self) -> &String {
        &self.0
    }
}

impl std::ops::DerefMut for Password {
    fn deref_mut(&mut self) -> &mut String {
        &mut self.0
    }
}

/// Passwords held in memory only: for tests, and for the session when the
/// keyring is not available. `Debug` names the accounts, not the passwords.
#[derive(Default)]
pub struct Memory {
    map: Mutex<HashMap<String, String>>,
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<String> = self.map.lock().map(|m| m.keys().cloned().collect()).unwrap_or_default();
        f.debug_struct("Memory")
            .field("accounts", &keys)
            .finish_non_exhaustive()
    }
}

impl Secrets for Memory {
    fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
        Ok(self
            .map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(key)
            .cloned())
    }
    fn set(&self, key: &str, password: &str) -> Result<(), SecretError> {
        self.map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key.to_owned(), password.to_owned());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<(), SecretError> {
        self.map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(key);
        Ok(())
    }
    fn describe(&self) -> &'static str {
        "memory (this session only)"
    }
}

/// The operating system's keyring.
#[derive(Debug, Default)]
pub struct Keyring;

/// Sets keyring-core's default store to the platform's, once; the error
/// says why there is none.
fn platform_store() -> Result<(), SecretError> {
    static STORE: OnceLock<Result<(), String>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            #[cfg(target_os = "linux")]
            let store = zbus_secret_service_keyring_store::Store::new();
            #[cfg(target_os = "macos")]
            let store = apple_native_keyring_store::keychain::Store::new();
            #[cfg(windows)]
            let store = windows_native_keyring_store::Store::new();
            #[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
            let store: keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> = Err(
                keyring_core::Error::NotSupportedByStore("no keyring on this system".into()),
            );
            match store {
                Ok(store) => {
                    keyring_core::set_default_store(store);
                    Ok(())
                }
                Err(e) => Err(plain(&e)),
            }
        })
        .clone()
        .map_err(SecretError::Unavailable)
}

fn plain(e: &keyring_core::Error) -> String {
    match e {
        keyring_core::Error::NoStorageAccess(inner) | keyring_core::Error::PlatformFailure(inner) => {
            let text = inner.to_string();
            let lower = text.to_lowercase();
            if ["secrets", "dbus", "zbus", "/bus"].iter().any(|w| lower.contains(w)) {
                "no keyring service (Secret Service) runs on this desktop; to keep passwords between sessions, install and unlock GNOME Keyring or KWallet".to_owned()
            } else {
                text
            }
        }
        other => other.to_string(),
    }
}

fn entry(key: &str) -> Result<keyring_core::Entry, SecretError> {
    platform_store()?;
    keyring_core::Entry::new(SERVICE, key).map_err(|e| SecretError::Unavailable(plain(&e)))
}

fn failure(action: &'static str, e: &keyring_core::Error) -> SecretError {
    match e {
        keyring_core::Error::NoStorageAccess(_) | keyring_core::Error::PlatformFailure(_) => {
            SecretError::Unavailable(plain(e))
        }
        _ => SecretError::Failed {
            action,
            reason: e.to_string(),
        },
    }
}

impl Secrets for Keyring {
    fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
        match entry(key)?.get_password() {
            Ok(p) => Ok(Some(p)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(failure("read", &e)),
        }
    }
    fn set(&self, key: &str, password: &str) -> Result<(), SecretError> {
        entry(key)?.set_password(password).map_err(|e| failure("store", &e))
    }
    fn delete(&self, key: &str) -> Result<(), SecretError> {
        match entry(key)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(failure("delete", &e)),
        }
    }
    fn describe(&self) -> &'static str {
        "the system keyring"
    }
}

/// The system keyring, falling back to memory for the rest of the session
/// the first time the keyring cannot be used (and remembering why). Nothing
/// is asked of the keyring until a password is needed, and callers ask from
/// a background thread: a keyring may take a while, or show an unlock prompt.
#[derive(Debug, Default)]
pub struct SystemOrMemory {
    memory: Memory,
    unavailable: Mutex<Option<String>>,
}

impl SystemOrMemory {
    /// Why passwords are only kept in memory, once the keyring failed.
    pub fn unavailable(&self) -> Option<String> {
        self.unavailable
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn fall_back(&self, e: &SecretError) {
        if let SecretError::Unavailable(_) = e {
            *self
                .unavailable
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(format!(
                "{e}; Hemicycle keeps the password in memory until you close it, and asks again next time"
            ));
        }
    }

    fn use_keyring(&self) -> bool {
        self.unavailable().is_none()
    }
}

impl Secrets for SystemOrMemory {
    fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
        if self.use_keyring() {
            match Keyring.get(key) {
                Err(e @ SecretError::Unavailable(_)) => self.fall_back(&e),
                other => return other,
            }
        }
        self.memory.get(key)
    }
    fn set(&self, key: &str, password: &str) -> Result<(), SecretError> {
        if self.use_keyring() {
            match Keyring.set(key, password) {
                Err(e @ SecretError::Unavailable(_)) => self.fall_back(&e),
                other => return other,
            }
        }
        self.memory.set(key, password)
    }
    fn delete(&self, key: &str) -> Result<(), SecretError> {
        let _ = self.memory.delete(key);
        if self.use_keyring() {
            match Keyring.delete(key) {
                Err(e @ SecretError::Unavailable(_)) => self.fall_back(&e),
                other => return other,
            }
        }
        Ok(())
    }
    fn describe(&self) -> &'static str {
        if self.use_keyring() {
            "the system keyring"
        } else {
            "memory (this session only)"
        }
    }
    fn note(&self) -> Option<String> {
        self.unavailable()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_output_never_shows_a_password() {
        use super::Secrets;
        let memory = super::Memory::default();
        memory.set("Office", "correct horse").unwrap();
        let shown = format!("{memory:?} {:?}", super::Password::new("correct horse"));
        assert!(!shown.contains("correct horse"), "{shown}");
        assert!(shown.contains("Office") && shown.contains("hidden"), "{shown}");
    }

    use super::*;

    #[test]
    fn memory_store_keeps_and_forgets() {
        let m = Memory::default();
        assert_eq!(m.get("a@h:587").unwrap(), None);
        m.set("a@h:587", "s3cret").unwrap();
        assert_eq!(m.get("a@h:587").unwrap().as_deref(), Some("s3cret"));
        m.delete("a@h:587").unwrap();
        assert_eq!(m.get("a@h:587").unwrap(), None);
    }

    #[test]
    fn unavailable_keyring_explains_the_fallback() {
        let store = SystemOrMemory::default();
        store.fall_back(&SecretError::Unavailable("no Secret Service is running".into()));
        let note = store.note().expect("a note");
        assert!(
            note.contains("no Secret Service") && note.contains("in memory") && note.contains("asks again"),
            "{note}"
        );
        // From now on the session's memory keeps the password.
        store.set("a@h:587", "pw").unwrap();
        assert_eq!(store.get("a@h:587").unwrap().as_deref(), Some("pw"));
        assert_eq!(store.describe(), "memory (this session only)");
    }
}
