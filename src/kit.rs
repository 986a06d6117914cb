//! Campaign kits: one file (`.hemicycle`, a ZIP) that carries a campaign
//! and every file it needs — demand sets, bibliographies, a template, block
//! files, a CSL style, the logo — so that staff can hand a campaign to
//! volunteers. Optionally signed by the organisation (Ed25519), so that a
//! volunteer can tell the organisation's kit from a forged one.
//!
//! Inside, everything lies in one folder: `manifest.toml` lists each file
//! with its kind, size and SHA-256, `manifest.sig` (when signed) holds the
//! signature of the manifest's bytes, and the campaign's paths are rewritten
//! to the files' names in the kit.
//!
//! Opening is careful: a kit is a file from someone else. Every entry is
//! checked before anything is written — names (no absolute paths, no `..`,
//! no links, nothing the manifest does not list), sizes (declared and real,
//! so that a "zip bomb" stops at the limit), hashes, the signature and the
//! manifest's version — and the files are written into a new folder only
//! when all of it holds. The manifest is read first, bounded, and each
//! entry is read no further than the size the manifest gives it, itself
//! bounded per kind of file (`store::limits`).
//!
//! A kit's campaign uses the kit's files and no others (`confine`); its
//! signer is shown by the key's fingerprint first and the organisation as
//! escaped, quoted, bounded text (`names::shown`); an organisation's key is
//! remembered on first use (`keys`).

mod confine;
pub mod keys;
pub mod names;
pub mod votes;

pub use confine::{confine, folder_of, named_files};
pub use keys::KnownKeys;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use ring::signature::{Ed25519KeyPair, KeyPair};
use serde::{Deserialize, Serialize};

use crate::campaign::{Campaign, DemandSet, resolve};
use crate::store;

/// The manifest's `format`.
pub const FORMAT: &str = "hemicycle-kit";
/// The newest manifest version this Hemicycle reads.
pub const VERSION: u32 = 2;
/// The version of a kit that carries votes (an older Hemicycle would not
/// know the files' kind; it says to update instead). A kit without votes
/// stays version 1, which every Hemicycle opens.
pub const VERSION_WITH_VOTES: u32 = 2;
/// The kit's file extension.
pub const EXTENSION: &str = "hemicycle";
/// At most this many bytes in all, unpacked.
pub const MAX_TOTAL: u64 = 64 * 1024 * 1024;
/// At most this many entries.
pub const MAX_ENTRIES: usize = 500;

const MANIFEST: &str = "manifest.toml";
/// A signature is 64 bytes, 128 hex digits; a little room for a newline.
const SIGNATURE_MAX: u64 = 1024;
const SIGNATURE: &str = "manifest.sig";

/// What a file in a kit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Campaign,
    DemandSet,
    Bibliography,
    Template,
    Block,
    Style,
    Logo,
    /// A roll-call vote the campaign names (`vote-ID.json`); only in kits
    /// of [`VERSION_WITH_VOTES`].
    Vote,
}

/// One file in the kit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub kind: Kind,
    pub size: u64,
    pub sha256: String,
}

/// `manifest.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// The campaign's title and the organisation, shown before opening.
    pub title: String,
    pub organisation: String,
    /// The campaign file among `files`.
    pub campaign: String,
    /// The signing key (hex of the Ed25519 public key), when signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default)]
    pub files: Vec<Entry>,
}

impl Manifest {
    /// The signing key's fingerprint, when the kit names one.
    pub fn key_fingerprint(&self) -> Option<String> {
        self.key.as_deref().and_then(from_hex).map(|k| fingerprint(&k))
    }
}

/// Whether the kit was signed, and by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    Unsigned,
    /// The signature matches the key in the kit. `fingerprint` is the key's
    /// short form, to compare with the one the organisation publishes.
    Checked {
        organisation: String,
        fingerprint: String,
        /// The public key, hex: what is remembered for the organisation.
        key: String,
    },
}

impl Signature {
    /// The line a volunteer reads: the key's fingerprint first, then the
    /// organisation the kit claims, quoted and escaped (`names::shown`), so
    /// that no text in the kit can pass for another key.
    pub fn line(&self) -> String {
        match self {
            Self::Checked {
                organisation,
                fingerprint,
                ..
            } => format!(
                "Signed with the key {fingerprint} (signature checked); the kit says it is from {}. Compare the key with the one the organisation publishes.",
                names::shown(organisation)
            ),
            Self::Unsigned => {
                "Unsigned: anyone could have made this kit. Open it only if you got it from people you trust."
                    .to_owned()
            }
        }
    }
}

/// Why a kit could not be made or opened.
#[derive(Debug, thiserror::Error)]
pub enum KitError {
    #[error("{0}")]
    Campaign(#[from] crate::campaign::CampaignError),
    #[error("{what} {path} could not be read ({reason}); check that it is there")]
    Read {
        what: &'static str,
        path: PathBuf,
        reason: String,
    },
    #[error(transparent)]
    Write(#[from] store::WriteError),
    #[error("{path} is not a campaign kit ({reason})")]
    NotAKit { path: PathBuf, reason: String },
    #[error("the kit's entry \"{entry}\" is refused: {reason}. Nothing was written; ask the sender for a new kit")]
    Entry { entry: String, reason: String },
    #[error("the kit is larger than {limit} MB unpacked; Hemicycle opens kits up to that size. Nothing was written")]
    TooLarge { limit: u64 },
    #[error(
        "the kit was made by a newer Hemicycle (kit version {version}; this one reads up to {VERSION}): update Hemicycle to open it"
    )]
    Newer { version: i64 },
    #[error(
        "the kit's campaign names a file outside the kit: {field} = {path}. A kit may use only its own files, so it was not opened. Nothing was written; ask the sender for a new kit"
    )]
    Outside { field: String, path: String },
    #[error(
        "this campaign came from a kit, and a kit's campaign may use only the files in its folder, but {field} names {path}, outside it. Nothing was read from it; put the file in the kit's folder, or save the campaign elsewhere as your own"
    )]
    Confined { field: String, path: String },
    #[error(
        "This kit says it is from {organisation} but is signed with a different key than {organisation}'s earlier kits (earlier key {earlier}, this kit's key {now}). It may be forged. Ask {organisation} whether they changed their key before you accept the new one"
    )]
    KeyChanged {
        organisation: String,
        earlier: String,
        now: String,
    },
    #[error("the file of kit keys could not be read ({reason}); repair or delete it: {path}")]
    KnownKeys { path: PathBuf, reason: String },
    #[error(
        "the kit's signature does not match its contents: it was changed after {organisation} signed it, or it was not signed by them. Ask {organisation} for the kit again; open it anyway only as unsigned"
    )]
    BadSignature { organisation: String },
    #[error(
        "the campaign uses the vote {id}, which is not imported here, so the kit could not carry it; import it first (hemicycle votes import --from-howtheyvote {id}, or Campaign → Votes in the app)"
    )]
    VoteMissing { id: u64 },
    #[error("{0} exists already: a kit opens into a new folder; choose another")]
    Exists(PathBuf),
    #[error("the signing key {path} could not be used ({reason}); make one with: hemicycle kit key NEW-FILE")]
    Key { path: PathBuf, reason: String },
}

/// The key's short form people can compare: 16 hex digits in groups.
pub fn fingerprint(public_key: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, public_key);
    let hex = to_hex(&digest.as_ref()[..8]);
    hex.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The fingerprint of a key given in hex, or the hex itself if it is not.
pub fn fingerprint_of_hex(key: &str) -> String {
    from_hex(key).map_or_else(|| names::shown(key), |k| fingerprint(&k))
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    to_hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// Makes a new signing key and writes it (PKCS#8) to `path`, readable by
/// the owner only. Returns its fingerprint.
pub fn new_key(path: &Path) -> Result<String, KitError> {
    let key_error = |reason: String| KitError::Key {
        path: path.to_path_buf(),
        reason,
    };
    if path.exists() {
        return Err(key_error("a file of that name exists; choose a new name".into()));
    }
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|e| key_error(e.to_string()))?;
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).map_err(|e| key_error(e.to_string()))?;
    store::write_atomic(path, pkcs8.as_ref(), "the signing key")?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| key_error(e.to_string()))?;
    }
    Ok(fingerprint(pair.public_key().as_ref()))
}

fn read_key(path: &Path) -> Result<Ed25519KeyPair, KitError> {
    let bytes = store::read_bounded(path, 64 << 10, "the signing key").map_err(|e| KitError::Key {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ed25519KeyPair::from_pkcs8(&bytes).map_err(|_| KitError::Key {
        path: path.to_path_buf(),
        reason: "it is not an Ed25519 signing key".into(),
    })
}

/// The files of a kit being made: (name in the kit, kind, bytes).
#[derive(Default)]
struct Gathered {
    files: Vec<(String, Kind, Vec<u8>)>,
    /// Source path → name in the kit (a file used twice goes in once).
    names: BTreeMap<PathBuf, String>,
}

impl Gathered {
    /// Adds the file at `path` and returns its name in the kit.
    fn add(&mut self, path: &Path, kind: Kind, what: &'static str) -> Result<String, KitError> {
        if let Some(name) = self.names.get(path) {
            return Ok(name.clone());
        }
        let (limit, _) = open_limit(kind);
        let bytes = store::read_bounded(path, limit, what).map_err(|e| KitError::Read {
            what,
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Ok(self.add_bytes(path, kind, bytes))
    }

    fn add_bytes(&mut self, path: &Path, kind: Kind, bytes: Vec<u8>) -> String {
        let base = path
            .file_name()
            .map_or_else(|| "file".to_owned(), |n| safe_name(&n.to_string_lossy()));
        let mut name = base.clone();
        let mut n = 2;
        let taken = |name: &str| {
            self.files
                .iter()
                .any(|(f, _, _)| names::collision_key(f) == names::collision_key(name))
                || name == MANIFEST
                || name == SIGNATURE
        };
        while taken(&name) {
            name = format!("{n}-{base}");
            n += 1;
        }
        self.names.insert(path.to_path_buf(), name.clone());
        self.files.push((name.clone(), kind, bytes));
        name
    }
}

/// A file name that is one plain component in any file system.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').trim_end_matches('.').to_owned();
    if cleaned.is_empty() {
        "file".to_owned()
    } else if names::refusal(&cleaned).is_some() {
        // `con.json`: a name Windows keeps for a device.
        format!("file-{cleaned}")
    } else {
        cleaned
    }
}

/// Makes a kit of the campaign at `campaign_file` and writes it to `out`,
/// signed with the key file `sign` if given. Returns the manifest.
pub fn build(campaign_file: &Path, out: &Path, sign: Option<&Path>) -> Result<Manifest, KitError> {
    let key = sign.map(read_key).transpose()?;
    let mut campaign = Campaign::load(campaign_file)?;
    let mut gathered = Gathered::default();
    // The votes first: their names (`vote-ID.json`) are the ones a reader
    // takes their id from, so no other file may take one.
    votes::gather(&campaign, campaign_file, &mut gathered)?;
    gather(&mut campaign, campaign_file, &mut gathered)?;
    // What the author locked, as it is now: a volunteer's copy that changes
    // it is stopped by the pre-send check.
    campaign.volunteer.locked_fingerprint = crate::campaign::volunteer::locked_fingerprint(&campaign);
    let campaign_name = gathered.add_bytes(
        &PathBuf::from("campaign.toml"),
        Kind::Campaign,
        campaign.to_toml().into_bytes(),
    );
    let files = gathered
        .files
        .iter()
        .map(|(path, kind, bytes)| Entry {
            path: path.clone(),
            kind: *kind,
            size: bytes.len() as u64,
            sha256: sha256(bytes),
        })
        .collect();
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        version: if gathered.files.iter().any(|(_, k, _)| *k == Kind::Vote) {
            VERSION_WITH_VOTES
        } else {
            1
        },
        title: campaign.title.clone(),
        organisation: campaign.organisation.name.clone(),
        campaign: campaign_name,
        key: key.as_ref().map(|k| to_hex(k.public_key().as_ref())),
        files,
    };
    let manifest_text = toml::to_string_pretty(&manifest).map_err(|e| KitError::NotAKit {
        path: out.to_path_buf(),
        reason: e.to_string(),
    })?;
    let zip = write_zip(&manifest_text, key.as_ref(), &gathered.files).map_err(|e| KitError::NotAKit {
        path: out.to_path_buf(),
        reason: e.to_string(),
    })?;
    store::write_atomic(out, &zip, "the campaign kit")?;
    Ok(manifest)
}

/// The most a file of `kind` may hold, as opening a kit allows it: a kit
/// is not made that could not be opened.
fn open_limit(kind: Kind) -> (u64, &'static str) {
    open::kind_limit(kind)
}

/// Adds every file `campaign` uses to `gathered` and points the campaign's
/// paths at their names in the kit.
fn gather(campaign: &mut Campaign, file: &Path, gathered: &mut Gathered) -> Result<(), KitError> {
    for set in &mut campaign.demand_sets {
        let path = resolve(file, set);
        let name = gather_demand_set(&path, gathered)?;
        *set = PathBuf::from(name);
    }
    for bib in &mut campaign.bibliography {
        *bib = PathBuf::from(gathered.add(&resolve(file, bib), Kind::Bibliography, "the bibliography")?);
    }
    if let Some(logo) = campaign.organisation.logo.as_mut() {
        *logo = PathBuf::from(gathered.add(&resolve(file, logo), Kind::Logo, "the logo")?);
    }
    for setting in campaign.blocks.values_mut() {
        if let Some(p) = setting.file_mut() {
            *p = PathBuf::from(gathered.add(&resolve(file, p), Kind::Block, "a block file")?);
        }
    }
    for (spec, ext, kind, what) in [
        (&mut campaign.template, "hbs", Kind::Template, "the template"),
        (&mut campaign.citation_style, "csl", Kind::Style, "the citation style"),
    ] {
        if crate::util::has_extension(spec, ext) {
            *spec = gathered.add(&resolve(file, Path::new(spec.as_str())), kind, what)?;
        }
    }
    // The files of the translations: their block files and templates.
    for t in campaign.translations.values_mut() {
        for setting in t.blocks.values_mut() {
            if let Some(p) = setting.file_mut() {
                *p = PathBuf::from(gathered.add(&resolve(file, p), Kind::Block, "a translation's block file")?);
            }
        }
        if let Some(spec) = t.template.as_mut().filter(|s| crate::util::has_extension(s, "hbs")) {
            *spec = gathered.add(
                &resolve(file, Path::new(spec.as_str())),
                Kind::Template,
                "a translation's template",
            )?;
        }
    }
    Ok(())
}

/// Adds a demand set and its bibliographies; the set's paths are rewritten
/// in its text, whose comments stay.
fn gather_demand_set(path: &Path, gathered: &mut Gathered) -> Result<String, KitError> {
    if let Some(name) = gathered.names.get(path) {
        return Ok(name.clone());
    }
    let text =
        store::read_bounded_text(path, store::limits::DEMAND_SET, "the demand set").map_err(|e| KitError::Read {
            what: "the demand set",
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    let mut set = DemandSet::from_toml(&text, &path.display().to_string())?;
    for bib in &mut set.bibliography {
        *bib = PathBuf::from(gathered.add(&resolve(path, bib), Kind::Bibliography, "the bibliography")?);
    }
    let fresh = toml::to_string_pretty(&set).unwrap_or_default();
    let written = crate::tomledit::update(&text, &fresh, None, false).unwrap_or(fresh);
    Ok(gathered.add_bytes(path, Kind::DemandSet, written.into_bytes()))
}

fn write_zip(
    manifest: &str,
    key: Option<&Ed25519KeyPair>,
    files: &[(String, Kind, Vec<u8>)],
) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    let mut put = |name: &str, bytes: &[u8]| -> std::io::Result<()> {
        zip.start_file(name, options).map_err(std::io::Error::other)?;
        zip.write_all(bytes)
    };
    put(MANIFEST, manifest.as_bytes())?;
    if let Some(key) = key {
        put(SIGNATURE, to_hex(key.sign(manifest.as_bytes()).as_ref()).as_bytes())?;
    }
    for (name, _, bytes) in files {
        put(name, bytes)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

mod open;
pub use open::{BadSignature, Checked, addressees_line, check, new_folder};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_fingerprints_are_grouped() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(from_hex(&to_hex(&bytes)), Some(bytes.to_vec()));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
        let f = fingerprint(&[7; 32]);
        assert_eq!(f.len(), 19, "{f}");
        assert_eq!(f.matches('-').count(), 3, "{f}");
    }
}
