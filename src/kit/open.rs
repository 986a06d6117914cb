//! Opening a kit: read with bounds, checked whole, then unpacked into a
//! new folder — or, if writing fails halfway, nothing left behind.
//!
//! Order matters for memory: the manifest is read first (at most
//! `limits::MANIFEST`), then each entry no further than the size the
//! manifest gives it, and the manifest's sizes are bounded per kind and in
//! all (`MAX_TOTAL`), so that no header a kit declares is trusted.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use ring::signature::{ED25519, UnparsedPublicKey};

use super::{
    FORMAT, Kind, KitError, MANIFEST, MAX_ENTRIES, MAX_TOTAL, Manifest, SIGNATURE, SIGNATURE_MAX, Signature, VERSION,
    confine, fingerprint, from_hex, names, sha256,
};
use crate::campaign::Campaign;
use crate::store::{self, limits};

/// A kit read and checked, not yet written anywhere.
#[derive(Debug)]
pub struct Checked {
    pub manifest: Manifest,
    pub signature: Signature,
    /// The kit's campaign, as the kit holds it.
    pub campaign: Campaign,
    manifest_bytes: Vec<u8>,
    files: Vec<(String, Vec<u8>)>,
}

/// How to treat a signature that does not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadSignature {
    Refuse,
    /// The user insists: the kit opens as unsigned.
    OpenAsUnsigned,
}

/// The most a file of each kind may hold in a kit.
pub(super) fn kind_limit(kind: Kind) -> (u64, &'static str) {
    match kind {
        Kind::Campaign => (limits::CAMPAIGN, "a campaign"),
        Kind::DemandSet => (limits::DEMAND_SET, "a demand set"),
        Kind::Bibliography => (limits::BIBLIOGRAPHY, "a bibliography"),
        Kind::Template => (limits::TEMPLATE, "a template"),
        Kind::Block => (limits::TEMPLATE, "a block file"),
        Kind::Style => (limits::STYLE, "a citation style"),
        Kind::Logo => (limits::LOGO, "a logo"),
        Kind::Vote => (crate::votes::MAX_FILE_BYTES, "a vote"),
    }
}

fn refused(entry: &str, reason: impl Into<String>) -> KitError {
    KitError::Entry {
        entry: names::shown(entry).trim_matches('"').to_owned(),
        reason: reason.into(),
    }
}

/// Reads and checks the kit at `path`; nothing is written.
pub fn check(path: &Path, bad_signature: BadSignature) -> Result<Checked, KitError> {
    let not_a_kit = |reason: String| KitError::NotAKit {
        path: path.to_path_buf(),
        reason,
    };
    store::trace::record(path);
    let file = std::fs::File::open(path).map_err(|e| KitError::Read {
        what: "the kit",
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(not_a_kit("it is not a regular file".into()));
    }
    let mut zip = zip::ZipArchive::new(file).map_err(|e| not_a_kit(format!("not a ZIP archive: {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(not_a_kit(format!(
            "it has {} entries, more than {MAX_ENTRIES}",
            zip.len()
        )));
    }
    if zip.has_duplicate_names() {
        return Err(not_a_kit(
            "it holds two entries of the same name, so what it holds depends on the program that reads it".into(),
        ));
    }
    let manifest_bytes =
        read_named(&mut zip, MANIFEST, limits::MANIFEST)?.ok_or_else(|| not_a_kit(format!("it has no {MANIFEST}")))?;
    let manifest = parse_manifest(&manifest_bytes).map_err(|e| match e {
        Parsed::Newer(version) => KitError::Newer { version },
        Parsed::Bad(reason) => not_a_kit(reason),
    })?;
    check_listing(&manifest)?;
    let signature_bytes = read_named(&mut zip, SIGNATURE, SIGNATURE_MAX)?;
    let signature = check_signature(&manifest, &manifest_bytes, signature_bytes.as_deref(), bad_signature)?;
    let files = read_listed(&mut zip, &manifest)?;
    let campaign = kit_campaign(&manifest, &files)?;
    super::votes::check_entries(&manifest, &files)?;
    Ok(Checked {
        manifest,
        signature,
        campaign,
        manifest_bytes,
        files,
    })
}

/// The entry `name`'s bytes, at most `limit` of them, if the kit has it.
fn read_named<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>, KitError> {
    let Ok(entry) = zip.by_name(name) else {
        return Ok(None);
    };
    if entry.is_symlink() || entry.is_dir() {
        return Err(refused(name, "it is a link or a folder, which a kit may not hold"));
    }
    read_at_most(entry, name, limit, "the most Hemicycle reads of it").map(Some)
}

/// Reads an entry, refusing it past `limit` bytes whatever its header
/// says; `why` says where the limit comes from.
fn read_at_most(entry: impl Read, name: &str, limit: u64, why: &str) -> Result<Vec<u8>, KitError> {
    let mut bytes = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refused(name, format!("it cannot be unpacked ({e})")))?;
    if bytes.len() as u64 > limit {
        return Err(refused(
            name,
            format!("it holds more than {limit} bytes, {why} (the kit was changed or damaged)"),
        ));
    }
    Ok(bytes)
}

/// The manifest's own rules: plain names, each once and not colliding on
/// any file system, sizes within bounds.
fn check_listing(manifest: &Manifest) -> Result<(), KitError> {
    let mut seen = BTreeMap::new();
    let mut total: u64 = 0;
    for entry in &manifest.files {
        if let Some(reason) = names::refusal(&entry.path) {
            return Err(refused(&entry.path, reason));
        }
        if entry.path == MANIFEST || entry.path == SIGNATURE {
            return Err(refused(&entry.path, "the manifest lists it as a file of the campaign"));
        }
        if let Some(other) = seen.insert(names::collision_key(&entry.path), &entry.path) {
            let reason = if *other == entry.path {
                "the manifest lists it twice".to_owned()
            } else {
                format!("Windows and macOS take it for the same file as {}", names::shown(other))
            };
            return Err(refused(&entry.path, reason));
        }
        let (limit, what) = kind_limit(entry.kind);
        if entry.size > limit {
            return Err(refused(
                &entry.path,
                format!("it is larger than {} MB, the most {what} may hold", limit >> 20),
            ));
        }
        total = total.saturating_add(entry.size);
        if total > MAX_TOTAL {
            return Err(KitError::TooLarge { limit: MAX_TOTAL >> 20 });
        }
    }
    Ok(())
}

/// Every entry but the manifest and the signature, each checked against
/// the manifest (listed, no larger than listed, the same hash).
fn read_listed<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    manifest: &Manifest,
) -> Result<Vec<(String, Vec<u8>)>, KitError> {
    let mut files = Vec::new();
    let mut held = BTreeSet::new();
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .map_err(|e| refused(&format!("number {}", i + 1), format!("it cannot be read ({e})")))?;
        let name = entry
            .name()
            .map(std::borrow::Cow::into_owned)
            .map_err(|e| refused(&format!("number {}", i + 1), format!("its name cannot be read ({e})")))?;
        if entry.is_dir() || name == MANIFEST || name == SIGNATURE {
            continue;
        }
        if let Some(reason) = names::refusal(&name) {
            return Err(refused(&name, reason));
        }
        if entry.is_symlink() {
            return Err(refused(&name, "it is a link, which a kit may not hold"));
        }
        let Some(listed) = manifest.files.iter().find(|e| e.path == name) else {
            return Err(refused(&name, "the manifest does not list it"));
        };
        let bytes = read_at_most(entry, &name, listed.size, "the size the manifest lists")?;
        if listed.sha256 != sha256(&bytes) || listed.size != bytes.len() as u64 {
            return Err(refused(
                &name,
                "its contents are not those the manifest lists (the kit was changed or damaged)",
            ));
        }
        held.insert(name.clone());
        files.push((name, bytes));
    }
    if let Some(missing) = manifest.files.iter().find(|e| !held.contains(&e.path)) {
        return Err(refused(
            &missing.path,
            "the manifest lists it, but the kit does not hold it",
        ));
    }
    Ok(files)
}

/// The kit's campaign — one of its files, of kind campaign — read, with
/// every file it names among the kit's.
fn kit_campaign(manifest: &Manifest, files: &[(String, Vec<u8>)]) -> Result<Campaign, KitError> {
    if !manifest
        .files
        .iter()
        .any(|e| e.path == manifest.campaign && e.kind == Kind::Campaign)
    {
        return Err(refused(
            &manifest.campaign,
            "the manifest names it as the campaign, but it is not one of the kit's campaign files",
        ));
    }
    let entry = |name: &str| files.iter().find(|(n, _)| n == name).map(|(_, b)| b.as_slice());
    let text = entry(&manifest.campaign)
        .and_then(|b| std::str::from_utf8(b).ok())
        .ok_or_else(|| refused(&manifest.campaign, "the campaign is not UTF-8 text"))?;
    let campaign = Campaign::from_toml(text, &manifest.campaign)?;
    confine::check_entries(&campaign, entry)?;
    Ok(campaign)
}

enum Parsed {
    Newer(i64),
    Bad(String),
}

fn parse_manifest(bytes: &[u8]) -> Result<Manifest, Parsed> {
    let text = std::str::from_utf8(bytes).map_err(|_| Parsed::Bad(format!("its {MANIFEST} is not text")))?;
    // The format and version first: a newer kit may have fields this one
    // does not know.
    let head: toml::Table =
        toml::from_str(text).map_err(|e| Parsed::Bad(format!("its {MANIFEST} is not TOML: {}", e.message())))?;
    if head.get("format").and_then(toml::Value::as_str) != Some(FORMAT) {
        return Err(Parsed::Bad(format!(
            "its {MANIFEST} does not say format = \"{FORMAT}\""
        )));
    }
    match head.get("version").and_then(toml::Value::as_integer) {
        Some(v) if v > i64::from(VERSION) => return Err(Parsed::Newer(v)),
        Some(v) if v >= 1 => {}
        _ => return Err(Parsed::Bad(format!("its {MANIFEST} has no valid version"))),
    }
    toml::from_str(text).map_err(|e| Parsed::Bad(format!("its {MANIFEST} is not a kit manifest: {}", e.message())))
}

fn check_signature(
    manifest: &Manifest,
    manifest_bytes: &[u8],
    signature: Option<&[u8]>,
    bad: BadSignature,
) -> Result<Signature, KitError> {
    let (Some(key), Some(signature)) = (manifest.key.as_deref(), signature) else {
        if manifest.key.is_some() || signature.is_some() {
            return refuse_or_unsigned(manifest, bad);
        }
        return Ok(Signature::Unsigned);
    };
    let decoded = (
        from_hex(key),
        std::str::from_utf8(signature).ok().and_then(|s| from_hex(s.trim())),
    );
    let (Some(key_bytes), Some(signature)) = decoded else {
        return refuse_or_unsigned(manifest, bad);
    };
    match UnparsedPublicKey::new(&ED25519, &key_bytes).verify(manifest_bytes, &signature) {
        Ok(()) => Ok(Signature::Checked {
            organisation: manifest.organisation.clone(),
            fingerprint: fingerprint(&key_bytes),
            key: key.to_ascii_lowercase(),
        }),
        Err(_) => refuse_or_unsigned(manifest, bad),
    }
}

fn refuse_or_unsigned(manifest: &Manifest, bad: BadSignature) -> Result<Signature, KitError> {
    match bad {
        BadSignature::Refuse => Err(KitError::BadSignature {
            organisation: if manifest.organisation.is_empty() {
                "the organisation".to_owned()
            } else {
                names::shown(&manifest.organisation)
            },
        }),
        BadSignature::OpenAsUnsigned => Ok(Signature::Unsigned),
    }
}

/// A new folder under `root` for the kit, named after its title.
pub fn new_folder(root: &Path, manifest: &Manifest) -> PathBuf {
    let mut base = crate::util::slug(&manifest.title);
    base.truncate(60);
    if base.is_empty() {
        base = "kit".into();
    }
    let mut folder = root.join(&base);
    let mut n = 2;
    while folder.exists() {
        folder = root.join(format!("{base}-{n}"));
        n += 1;
    }
    folder
}

impl Checked {
    /// The kit's own addressees with an e-mail address, as a volunteer
    /// should read them before anything is sent: "This kit also writes
    /// to: …", or `None` when it writes to MEPs only.
    pub fn addressees_line(&self) -> Option<String> {
        addressees_line(&self.campaign)
    }

    /// Writes the kit's files and its manifest into `folder`, which must
    /// not exist yet, and returns the campaign file. If a write fails, the
    /// folder is removed again: nothing half-opened is left.
    pub fn unpack(&self, folder: &Path) -> Result<PathBuf, KitError> {
        if folder.exists() {
            return Err(KitError::Exists(folder.to_path_buf()));
        }
        let written = self.write_all(folder);
        if written.is_err() {
            let _ = std::fs::remove_dir_all(folder);
        }
        written?;
        store::sync_folder(folder);
        Ok(folder.join(&self.manifest.campaign))
    }

    fn write_all(&self, folder: &Path) -> Result<(), KitError> {
        std::fs::create_dir_all(folder).map_err(|e| store::WriteError {
            what: "the kit's folder",
            path: folder.to_path_buf(),
            source: e,
        })?;
        // The manifest marks the folder as a kit's: its campaign stays
        // confined to it whenever it is loaded.
        let files = std::iter::once((MANIFEST, self.manifest_bytes.as_slice()))
            .chain(self.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
        for (name, bytes) in files {
            let path = folder.join(name);
            store::trace::record(&path);
            store::write_one_of_many(&path, bytes, "a file of the campaign kit")?;
        }
        Ok(())
    }
}

/// "This kit also writes to: \"Jane Doe\" <jane@example.org>, …" for a
/// campaign's own addressees with an e-mail address, each escaped.
pub fn addressees_line(campaign: &Campaign) -> Option<String> {
    let people: Vec<String> = campaign
        .recipients
        .addressees
        .iter()
        .filter(|a| !a.email.trim().is_empty())
        .map(|a| {
            format!(
                "{} <{}>",
                names::shown(&a.display_name()),
                names::shown(&a.email).trim_matches('"')
            )
        })
        .collect();
    (!people.is_empty()).then(|| {
        format!(
            "This kit also writes to: {}. Its letters go to them too, from your account, when you send.",
            people.join(", ")
        )
    })
}
