//! Trust on first use: the key of each organisation whose signed kit the
//! volunteer opened is remembered (`Paths::kit_keys`, written atomically),
//! and a later kit that claims the same organisation with another key is
//! refused until the volunteer accepts the new key in so many words.
//!
//! Organisations are told apart by their name as a file system that
//! ignores case and Unicode form would (`names::collision_key`), with runs
//! of white space made one: "Example  Org" cannot pass for a new
//! organisation beside "example org".

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{KitError, Signature, fingerprint_of_hex, names};

/// One organisation's remembered key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pinned {
    /// The name as the first kit gave it.
    pub organisation: String,
    /// The Ed25519 public key, hex.
    pub key: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct KeysFile {
    #[serde(default)]
    keys: BTreeMap<String, Pinned>,
}

/// The keys remembered so far, and their file.
#[derive(Debug)]
pub struct KnownKeys {
    file: PathBuf,
    keys: BTreeMap<String, Pinned>,
}

/// The name under which an organisation's key is remembered.
fn org_key(organisation: &str) -> String {
    names::collision_key(&organisation.split_whitespace().collect::<Vec<_>>().join(" "))
}

impl KnownKeys {
    /// Reads the remembered keys; a missing file is none yet.
    pub fn load(file: &Path) -> Result<Self, KitError> {
        let damaged = |reason: String| KitError::KnownKeys {
            path: file.to_path_buf(),
            reason,
        };
        let keys = match crate::store::read_bounded_text(file, crate::store::limits::MANIFEST, "the file of kit keys") {
            Ok(text) => {
                toml::from_str::<KeysFile>(&text)
                    .map_err(|e| damaged(e.message().to_owned()))?
                    .keys
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(damaged(e.to_string())),
        };
        Ok(Self {
            file: file.to_path_buf(),
            keys,
        })
    }

    /// The key remembered for `organisation`, if any.
    pub fn pinned(&self, organisation: &str) -> Option<&Pinned> {
        self.keys.get(&org_key(organisation))
    }

    /// Refuses a kit signed with another key than the one remembered for
    /// the organisation it claims. An unsigned kit claims nobody.
    pub fn check(&self, signature: &Signature) -> Result<(), KitError> {
        let Signature::Checked { organisation, key, .. } = signature else {
            return Ok(());
        };
        match self.pinned(organisation) {
            Some(pinned) if pinned.key != *key => Err(KitError::KeyChanged {
                organisation: names::shown(organisation),
                earlier: fingerprint_of_hex(&pinned.key),
                now: fingerprint_of_hex(key),
            }),
            _ => Ok(()),
        }
    }

    /// Remembers the signer's key for its organisation (replacing an
    /// earlier one: the caller asked the volunteer first) and writes the
    /// file. An unsigned kit changes nothing.
    pub fn remember(&mut self, signature: &Signature) -> Result<(), KitError> {
        let Signature::Checked { organisation, key, .. } = signature else {
            return Ok(());
        };
        let pin = Pinned {
            organisation: organisation.clone(),
            key: key.clone(),
        };
        if self.keys.insert(org_key(organisation), pin.clone()) == Some(pin) {
            return Ok(());
        }
        let body = toml::to_string_pretty(&KeysFile {
            keys: self.keys.clone(),
        })
        .map_err(|e| KitError::KnownKeys {
            path: self.file.clone(),
            reason: e.to_string(),
        })?;
        let text = format!(
            "# The signing keys of the organisations whose kits were opened here (trust on first use).\n# A kit that claims one of these organisations with another key is refused until you accept it.\n\n{body}"
        );
        crate::store::write_atomic(&self.file, text.as_bytes(), "the file of kit keys")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(organisation: &str, key: &str) -> Signature {
        Signature::Checked {
            organisation: organisation.to_owned(),
            fingerprint: fingerprint_of_hex(key),
            key: key.to_owned(),
        }
    }

    #[test]
    fn a_second_key_for_a_known_organisation_is_refused_until_accepted() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("kit-keys.toml");
        let mut known = KnownKeys::load(&file).expect("none yet");
        let first = signed("Example Org", &"ab".repeat(32));
        known.check(&first).expect("first use");
        known.remember(&first).expect("remembered");
        let known = KnownKeys::load(&file).expect("read back");
        known.check(&first).expect("same key");
        let other = signed("example  ORG", &"cd".repeat(32));
        let refused = known.check(&other).expect_err("another key");
        let said = refused.to_string();
        assert!(said.contains("says it is from \"example  ORG\""), "{said}");
        assert!(said.contains("different key than"), "{said}");
        assert!(said.contains(&fingerprint_of_hex(&"ab".repeat(32))), "{said}");
        known
            .check(&signed("Another Org", &"cd".repeat(32)))
            .expect("another org");
        known.check(&Signature::Unsigned).expect("unsigned claims nobody");
    }
}
