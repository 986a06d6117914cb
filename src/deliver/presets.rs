//! Mail providers Hemicycle knows: their servers and what to know about
//! their passwords, so that a volunteer who never typed an SMTP server picks
//! "Gmail" and enters an address and a password.
//!
//! The data is `assets/mail-providers.toml`, built into the program; each
//! entry names the provider's own page it comes from. The account editor
//! ("Choose your provider") and `hemicycle account add --provider` both
//! read [`all`].

use serde::Deserialize;

use super::profile::{Profile, Security};

/// One provider's published settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// What `--provider` takes ("gmail").
    pub id: String,
    /// What the account editor shows ("Gmail").
    pub name: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: Security,
    pub imap_host: String,
    pub imap_port: u16,
    pub imap_security: Security,
    /// What a volunteer must know, in plain words (app passwords, IMAP to
    /// switch on).
    pub note: String,
    /// The provider's page these come from.
    pub source: String,
}

#[derive(Deserialize)]
struct File {
    provider: Vec<Preset>,
}

const DATA: &str = include_str!("../../assets/mail-providers.toml");

/// Every provider, in the order of the file. (The file is part of the
/// program and checked by a test; were it ever unreadable, there would be
/// no presets rather than a crash.)
pub fn all() -> Vec<Preset> {
    toml::from_str::<File>(DATA).map(|f| f.provider).unwrap_or_default()
}

/// The provider with this id or name, ignoring case.
pub fn find(id_or_name: &str) -> Option<Preset> {
    let wanted = id_or_name.trim();
    all()
        .into_iter()
        .find(|p| p.id.eq_ignore_ascii_case(wanted) || p.name.eq_ignore_ascii_case(wanted))
}

/// The ids, for messages: "gmail, outlook, fastmail or mailbox-org".
pub fn ids() -> String {
    let ids: Vec<String> = all().into_iter().map(|p| p.id).collect();
    match ids.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

impl Preset {
    /// Puts this provider's servers into `profile`, keeping the rest (name,
    /// addresses, the copy in Sent switched on or off).
    pub fn apply(&self, profile: &mut Profile) {
        profile.host.clone_from(&self.smtp_host);
        profile.port = self.smtp_port;
        profile.security = self.smtp_security;
        profile.imap_host.clone_from(&self.imap_host);
        profile.imap_port = self.imap_port;
        profile.imap_security = self.imap_security;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_file_reads_and_every_preset_fills_an_account_that_validates() {
        let presets: File = toml::from_str(DATA).expect("assets/mail-providers.toml reads");
        assert!(presets.provider.len() >= 4);
        assert_eq!(all().len(), presets.provider.len());
        for preset in all() {
            let mut profile = Profile {
                name: preset.name.clone(),
                user: "ana@example.org".into(),
                from_email: "ana@example.org".into(),
                copy_to_sent: true,
                ..Profile::default()
            };
            preset.apply(&mut profile);
            assert_eq!(profile.validate(), Ok(()), "{}", preset.id);
            assert_ne!(profile.security, Security::None, "{}", preset.id);
            assert_ne!(profile.imap_security, Security::None, "{}", preset.id);
            assert!(preset.source.starts_with("https://"), "{}", preset.id);
            assert!(!preset.note.trim().is_empty(), "{}", preset.id);
            assert_eq!(find(&preset.id.to_uppercase()), Some(preset.clone()));
        }
        assert_eq!(find("Gmail").map(|p| p.smtp_host), Some("smtp.gmail.com".to_owned()));
        assert_eq!(find("nope"), None);
        assert!(ids().contains("gmail, ") && ids().contains(" or "), "{}", ids());
    }
}
