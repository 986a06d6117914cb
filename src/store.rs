//! Where Hemicycle keeps its files, and how it writes them.
//!
//! Every write of a user file is atomic: the bytes go to a temporary file in
//! the same folder, which is flushed to disk and then renamed over the target.
//! The previous version is kept beside it as `NAME.bak`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Environment variable that puts all of Hemicycle's folders (config, data,
/// cache) under one folder: for portable installs, tests and scripts.
pub const HOME_ENV: &str = "HEMICYCLE_HOME";

/// The folder `HEMICYCLE_HOME` names, when it is set and not empty: the one
/// place the variable is read.
pub fn home_from_env() -> Option<PathBuf> {
    std::env::var_os(HOME_ENV).filter(|h| !h.is_empty()).map(PathBuf::from)
}

/// The folders Hemicycle uses on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config: PathBuf,
    pub data: PathBuf,
    pub cache: PathBuf,
}

impl Paths {
    /// The platform folders (`directories::ProjectDirs`), or the folders under
    /// `$HEMICYCLE_HOME` when it is set.
    pub fn discover() -> Option<Self> {
        if let Some(home) = home_from_env() {
            return Some(Self::under(&home));
        }
        let dirs = directories::ProjectDirs::from("eu", "Hemicycle", "Hemicycle")?;
        Some(Self {
            config: dirs.config_dir().to_path_buf(),
            data: dirs.data_dir().to_path_buf(),
            cache: dirs.cache_dir().to_path_buf(),
        })
    }

    /// All folders below one root.
    pub fn under(root: &Path) -> Self {
        Self {
            config: root.join("config"),
            data: root.join("data"),
            cache: root.join("cache"),
        }
    }

    /// The user's own MEP directory (written by an import or a refresh).
    pub fn user_directory(&self) -> PathBuf {
        self.data.join("directory").join("meps.json")
    }

    /// The user's corrections to MEP records, kept apart from any snapshot.
    pub fn overrides(&self) -> PathBuf {
        self.data.join("directory").join("overrides.json")
    }

    /// Where the app writes the bundled example campaign for the user.
    pub fn examples(&self) -> PathBuf {
        self.data.join("examples")
    }

    /// Campaign kits, each opened into a folder of its own (never written
    /// over: saving a campaign from a kit asks where).
    pub fn kits(&self) -> PathBuf {
        self.data.join("kits")
    }

    /// The signing keys of the organisations whose kits were opened, one
    /// per organisation, remembered on first use (`kit::KnownKeys`).
    pub fn kit_keys(&self) -> PathBuf {
        self.data.join("kit-keys.toml")
    }

    /// Roll-call votes imported from HowTheyVote.eu, one JSON file each.
    pub fn votes(&self) -> PathBuf {
        self.data.join("votes")
    }

    /// The user's own demand sets, listed in the demand-set library.
    pub fn demand_sets(&self) -> PathBuf {
        self.data.join("demands")
    }

    /// The send journals: one append-only file per campaign.
    pub fn journals(&self) -> PathBuf {
        self.data.join("journals")
    }

    /// The sent ledgers: one per mail account (sender address), with every
    /// letter it sent from any campaign file (`deliver::ledger`).
    pub fn ledgers(&self) -> PathBuf {
        self.data.join("ledger")
    }

    /// Drafts handed to the user's mail program ("Open in my mail program").
    pub fn drafts(&self) -> PathBuf {
        self.data.join("drafts")
    }

    /// Log files: `send.log` has a line per send run and per letter that
    /// failed (never a password; the journals have every detail).
    pub fn logs(&self) -> PathBuf {
        self.data.join("logs")
    }

    /// The send log.
    pub fn send_log(&self) -> PathBuf {
        self.logs().join("send.log")
    }

    /// The mail accounts (SMTP profiles), without passwords.
    pub fn profiles(&self) -> PathBuf {
        self.config.join("mail-accounts.toml")
    }

    /// Every folder, named for people: shown in the About dialog, the
    /// `hemicycle paths` command and the README.
    pub fn locations(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("Settings and mail accounts", self.config.clone()),
            ("Data (MEP directory, corrections, examples)", self.data.clone()),
            ("Your demand sets", self.demand_sets()),
            ("Send journals", self.journals()),
            ("Sent ledgers (one per mail account)", self.ledgers()),
            ("Imported roll-call votes (HowTheyVote.eu)", self.votes()),
            ("Logs", self.logs()),
            ("Cache", self.cache.clone()),
        ]
    }
}

/// The most Hemicycle reads of each kind of file a person gives it: far
/// above any real file of the kind, low enough that a wrong file (a disk
/// image, `/dev/zero`, a 60 MB bibliography in a kit) is refused at once
/// instead of filling the memory.
pub mod limits {
    /// A campaign file.
    pub const CAMPAIGN: u64 = 4 << 20;
    /// A demand set.
    pub const DEMAND_SET: u64 = 4 << 20;
    /// A block file or a template.
    pub const TEMPLATE: u64 = 1 << 20;
    /// A bibliography (CSL-JSON, BibLaTeX or YAML).
    pub const BIBLIOGRAPHY: u64 = 16 << 20;
    /// A CSL style.
    pub const STYLE: u64 = 2 << 20;
    /// The organisation's logo.
    pub const LOGO: u64 = 8 << 20;
    /// An XLIFF file coming back from translators.
    pub const XLIFF: u64 = 16 << 20;
    /// A file of MEPs to import (EP XML, CSV, JSON) or the MEP directory.
    pub const DIRECTORY: u64 = 256 << 20;
    /// A kit's manifest.
    pub const MANIFEST: u64 = 1 << 20;
}

/// Reads the regular file at `path`, refusing one larger than `limit`
/// bytes (whatever its size says: the read itself stops past the limit)
/// and anything that is not a regular file (a folder, a device such as
/// `/dev/zero`, a pipe). `what` names the file in the error ("a block
/// file"). Every file a person gives Hemicycle is read through here.
pub fn read_bounded(path: &Path, limit: u64, what: &str) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    trace::record(path);
    let file = fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{what} must be a regular file, and this is a folder, a device or a pipe; name a file"),
        ));
    }
    let too_large = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{what} is larger than {}, the most Hemicycle reads for it; use a smaller file",
                shown_size(limit)
            ),
        )
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Like [`read_bounded`], for a text file: refused unless it is UTF-8.
pub fn read_bounded_text(path: &Path, limit: u64, what: &str) -> std::io::Result<String> {
    String::from_utf8(read_bounded(path, limit, what)?).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{what} is not UTF-8 text; save it as UTF-8"),
        )
    })
}

/// "16 MB", "512 KB".
fn shown_size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} KB", (bytes >> 10).max(1))
    }
}

/// For tests: every path read through [`read_bounded`] (and opened by the
/// kit code) on this thread, so that a test can prove nothing outside a
/// kit's folder was read. Recording is off unless a test starts it; then
/// it costs one thread-local check per file.
#[doc(hidden)]
pub mod trace {
    use std::cell::RefCell;
    use std::path::{Path, PathBuf};

    thread_local! {
        static OPENED: RefCell<Option<Vec<PathBuf>>> = const { RefCell::new(None) };
    }

    /// Starts recording the paths opened on this thread.
    pub fn start() {
        OPENED.with(|o| *o.borrow_mut() = Some(Vec::new()));
    }

    /// Stops recording and returns what was opened since [`start`].
    pub fn take() -> Vec<PathBuf> {
        OPENED.with(|o| o.borrow_mut().take().unwrap_or_default())
    }

    /// Notes one path, when recording.
    pub fn record(path: &Path) {
        OPENED.with(|o| {
            if let Some(list) = o.borrow_mut().as_mut() {
                list.push(path.to_path_buf());
            }
        });
    }
}

/// Appends lines, each with the local time, to a log file (creating it and
/// its folder). Logs are for people reading what happened; losing one is not
/// an error worth stopping for, so callers may ignore the result.
pub fn append_log(path: &Path, lines: &[String]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut file = fs::OpenOptions::new().create(true).append(true).open(path)?;
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
    let mut text = String::new();
    for line in lines {
        text.push_str(&format!("{now}  {line}\n"));
    }
    file.write_all(text.as_bytes())
}

/// An error while writing a file.
#[derive(Debug, thiserror::Error)]
#[error("could not write {what} ({source}): {}", path.display())]
pub struct WriteError {
    pub what: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Write `bytes` to `path` atomically, keeping the previous version as
/// `path.bak`. Creates missing parent folders. `what` names the file for
/// error messages ("the MEP directory"). A symbolic link is followed: the
/// file it points to gets the new text, and the link stays a link.
pub fn write_atomic(path: &Path, bytes: &[u8], what: &'static str) -> Result<(), WriteError> {
    write_file(path, bytes, what, true)?;
    sync_dir(parent_of(&resolve_links(path)));
    Ok(())
}

/// Like [`write_atomic`], without a backup: for files Hemicycle makes again
/// on request (exported letters), where a `.bak` beside each would only be
/// clutter.
pub fn write_replacing(path: &Path, bytes: &[u8], what: &'static str) -> Result<(), WriteError> {
    write_file(path, bytes, what, false)?;
    sync_dir(parent_of(&resolve_links(path)));
    Ok(())
}

/// Like [`write_replacing`], for one of many files written into a folder:
/// each file is whole on disk before it takes its name, and the caller
/// makes the names durable once, with [`sync_folder`], after the last.
pub fn write_one_of_many(path: &Path, bytes: &[u8], what: &'static str) -> Result<(), WriteError> {
    write_file(path, bytes, what, false)
}

/// Makes the names of the files just written into `dir` durable.
pub fn sync_folder(dir: &Path) {
    sync_dir(dir);
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Where a write to `path` lands: the file a symbolic link points to
/// (however many links lead there), else `path`.
fn resolve_links(path: &Path) -> PathBuf {
    let mut target = path.to_path_buf();
    // A bounded walk: a loop of links ends here, and the write then fails
    // with the system's own error.
    for _ in 0..40 {
        match fs::symlink_metadata(&target) {
            Ok(meta) if meta.file_type().is_symlink() => match fs::read_link(&target) {
                Ok(next) if next.is_absolute() => target = next,
                Ok(next) => {
                    target = target.parent().map_or_else(|| next.clone(), |p| p.join(&next));
                }
                Err(_) => break,
            },
            _ => break,
        }
    }
    target
}

fn write_file(path: &Path, bytes: &[u8], what: &'static str, backup: bool) -> Result<(), WriteError> {
    let wrap = |source| WriteError {
        what,
        path: path.to_path_buf(),
        source,
    };
    let target = resolve_links(path);
    let path = target.as_path();
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(parent).map_err(wrap)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".hemicycle-")
        .suffix(".tmp")
        .tempfile_in(parent)
        .map_err(wrap)?;
    tmp.write_all(bytes).map_err(wrap)?;
    tmp.as_file().sync_all().map_err(wrap)?;
    keep_permissions(path, tmp.path()).map_err(wrap)?;
    if backup && path.exists() {
        fs::copy(path, backup_path(path)).map_err(wrap)?;
    }
    tmp.persist(path).map_err(|e| wrap(e.error))?;
    Ok(())
}

/// `meps.json` → `meps.json.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// A temporary file is private (0600); the written file gets the target's
/// permissions, or the usual 0644 for a new file.
#[cfg(unix)]
fn keep_permissions(target: &Path, tmp: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let perms = match fs::metadata(target) {
        Ok(meta) => meta.permissions(),
        Err(_) => fs::Permissions::from_mode(0o644),
    };
    fs::set_permissions(tmp, perms)
}

#[cfg(not(unix))]
fn keep_permissions(_target: &Path, _tmp: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    // Makes the rename itself durable; failure here is not worth an error.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_keeps_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("f.json");
        write_atomic(&path, b"one", "a test file").unwrap();
        write_atomic(&path, b"two", "a test file").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"one");
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    /// A campaign kept in a shared folder and linked into the work folder:
    /// the shared file gets the change, and the link stays a link.
    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_followed_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        fs::create_dir_all(&shared).unwrap();
        let real = shared.join("campaign.toml");
        fs::write(&real, b"one").unwrap();
        let link = dir.path().join("campaign.toml");
        std::os::unix::fs::symlink("shared/campaign.toml", &link).unwrap();
        write_atomic(&link, b"two", "the campaign").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"two");
        assert_eq!(fs::read(backup_path(&real)).unwrap(), b"one");
        assert!(!backup_path(&link).exists());
    }

    /// Issue 30: `/dev/zero` as a block would be read without end; a
    /// folder or a pipe is no file; a file past its kind's bound is refused
    /// in words, whatever its size says.
    #[test]
    fn bounded_reads_refuse_devices_folders_and_large_files() {
        let dir = tempfile::tempdir().unwrap();
        #[cfg(unix)]
        {
            let zero = read_bounded(Path::new("/dev/zero"), 1 << 20, "a block file").unwrap_err();
            assert!(
                zero.to_string().contains("a block file must be a regular file"),
                "{zero}"
            );
        }
        let folder = read_bounded(dir.path(), 1 << 20, "the logo").unwrap_err();
        assert!(folder.to_string().contains("must be a regular file"), "{folder}");
        let big = dir.path().join("big.json");
        fs::write(&big, vec![b' '; 3 << 20]).unwrap();
        let refused = read_bounded_text(&big, 2 << 20, "the bibliography").unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the bibliography is larger than 2 MB, the most Hemicycle reads for it; use a smaller file"
        );
        assert_eq!(read_bounded(&big, 3 << 20, "x").unwrap().len(), 3 << 20);
        trace::start();
        let _ = read_bounded(&big, 1, "x");
        assert_eq!(trace::take(), vec![big.clone()]);
        assert!(trace::take().is_empty(), "recording stops");
    }

    #[test]
    fn replacing_keeps_no_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("letter.pdf");
        write_replacing(&path, b"one", "the letter").unwrap();
        write_replacing(&path, b"two", "the letter").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn write_into_a_file_path_fails_with_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("blocker");
        fs::write(&blocker, b"x").unwrap();
        let err = write_atomic(&blocker.join("f.json"), b"x", "the MEP directory").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("could not write the MEP directory"), "{msg}");
        assert!(msg.ends_with("f.json"), "{msg}");
    }
}
