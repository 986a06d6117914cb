//! The directory file format (`assets/directory/meps.json` and the user's own
//! copy): a JSON object `{format, version, snapshot_date, sources, meps}`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::{DirectoryError, read_text};
use super::overrides::Overrides;
use super::{Directory, Mep, Source};
use crate::store::{self, Paths};

/// Marks a file as a Hemicycle directory.
pub const FORMAT_NAME: &str = "hemicycle-directory";
/// The newest format version this build reads and the one it writes.
pub const FORMAT_VERSION: u32 = 1;

/// The snapshot that ships with the app, made by `hemicycle import directory`
/// (see `assets/directory/README.md`).
pub const BUNDLED_SNAPSHOT: &str = include_str!("../../assets/directory/meps.json");

#[derive(Serialize, Deserialize)]
struct FileRepr {
    format: String,
    version: u32,
    snapshot_date: String,
    sources: Vec<Source>,
    meps: Vec<Mep>,
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

impl Directory {
    /// Parses a directory file. `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<Self, DirectoryError> {
        let header: Header = serde_json::from_str(text).map_err(|e| DirectoryError::json(origin, &e))?;
        if header.format.as_deref() != Some(FORMAT_NAME) {
            return Err(DirectoryError::WrongKind {
                expected: "A Hemicycle directory file",
                found: "another kind of JSON file".into(),
                origin: origin.to_owned(),
            });
        }
        let version = header.version.unwrap_or(0);
        if version > FORMAT_VERSION {
            return Err(DirectoryError::NewerVersion {
                found: version,
                supported: FORMAT_VERSION,
                origin: origin.to_owned(),
            });
        }
        let repr: FileRepr = serde_json::from_str(text).map_err(|e| DirectoryError::json(origin, &e))?;
        let dir = Directory {
            meps: repr.meps,
            sources: repr.sources,
            snapshot_date: repr.snapshot_date,
        };
        dir.validate(origin)?;
        Ok(dir)
    }

    /// Reads a directory file.
    pub fn load(path: &Path) -> Result<Self, DirectoryError> {
        Self::from_json(&read_text(path)?, &path.display().to_string())
    }

    /// The snapshot bundled with the app.
    pub fn bundled() -> Result<Self, DirectoryError> {
        Self::from_json(BUNDLED_SNAPSHOT, "the bundled directory")
    }

    /// The file's bytes: pretty JSON, one MEP field per line, so that a
    /// refreshed snapshot diffs well.
    pub fn to_json(&self) -> Vec<u8> {
        let repr = FileRepr {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            snapshot_date: self.snapshot_date.clone(),
            sources: self.sources.clone(),
            meps: self.meps.clone(),
        };
        let mut json = serde_json::to_vec_pretty(&repr).unwrap_or_default();
        json.push(b'\n');
        json
    }

    /// Writes the directory atomically (after validating it).
    pub fn save(&self, path: &Path) -> Result<(), DirectoryError> {
        self.validate(&path.display().to_string())?;
        store::write_atomic(path, &self.to_json(), "the MEP directory")?;
        Ok(())
    }
}

/// Which directory is in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Bundled,
    User(PathBuf),
    File(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Bundled => f.write_str("the bundled snapshot"),
            Origin::User(p) => write!(f, "your refreshed directory ({})", p.display()),
            Origin::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// The directory the app and CLI work with: `explicit` if given, else the
/// user's refreshed or imported copy if there is one, else the bundled
/// snapshot; with the user's overrides applied. Overrides for MEPs that are
/// not in the directory are returned as warnings.
pub fn load_active(
    paths: Option<&Paths>,
    explicit: Option<&Path>,
) -> Result<(Directory, Origin, Vec<String>), DirectoryError> {
    let (mut dir, origin) = match (explicit, paths.map(Paths::user_directory)) {
        (Some(p), _) => (Directory::load(p)?, Origin::File(p.to_path_buf())),
        (None, Some(user)) if user.exists() => (Directory::load(&user)?, Origin::User(user)),
        _ => (Directory::bundled()?, Origin::Bundled),
    };
    let mut warnings = Vec::new();
    if let Some(paths) = paths {
        let overrides = Overrides::load(&paths.overrides())?;
        for id in overrides.apply(&mut dir) {
            warnings.push(format!(
                "your correction for MEP {id} was kept, but that MEP is not in the directory any more"
            ));
        }
    }
    Ok((dir, origin, warnings))
}
