//! Campaign kits: made from a campaign with its demand sets, bibliographies,
//! template and style, opened on another machine into a folder of its own,
//! and the letter it makes is the same letter. Signed kits are told from
//! changed ones. Hostile kits (paths out of the folder, links, a zip bomb,
//! a newer version, unlisted or changed entries) are refused, naming the
//! entry, and nothing is written.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use hemicycle::kit::{self, BadSignature, KitError, Signature};

/// The open-letter example installed under `root`, with a block file and a
/// CSL style of its own beside it, so that the kit carries those too.
fn campaign(root: &Path) -> PathBuf {
    let file = hemicycle::campaign::examples::install(root).unwrap();
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    std::fs::copy(
        assets.join("styles/hemicycle-notes.csl"),
        file.with_file_name("house.csl"),
    )
    .unwrap();
    std::fs::write(
        file.with_file_name("opening.md.hbs"),
        "As a member of {{#each mep.committees}}{{code}}{{#unless @last}} and {{/unless}}{{/each}}, you will vote on {{campaign.title}}.\n\n",
    )
    .unwrap();
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("citation_style = \"hemicycle-notes\"", "citation_style = \"house.csl\"")
        + "\n[blocks]\nopening = \"opening.md.hbs\"\n";
    std::fs::write(&file, text).unwrap();
    file
}

fn letter(home: &Path, campaign: &Path) -> String {
    let out = common::hemicycle(
        home,
        &[
            "render",
            campaign.to_str().unwrap(),
            "--mep",
            "197870",
            "--today",
            "2026-12-01",
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    common::stdout(&out)
}

/// Every file in the folder, with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                all.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    all.sort();
    all
}

#[test]
fn a_kit_carries_the_campaign_and_makes_the_same_letter_elsewhere() {
    let staff = tempfile::tempdir().unwrap();
    let file = campaign(&staff.path().join("examples"));
    let kit_file = staff.path().join("ai-act.hemicycle");
    let built = common::hemicycle(
        staff.path(),
        &[
            "kit",
            "build",
            file.to_str().unwrap(),
            "--out",
            kit_file.to_str().unwrap(),
        ],
    );
    assert!(built.status.success(), "{}", common::stderr(&built));
    assert!(
        common::stdout(&built).contains("unsigned"),
        "{}",
        common::stdout(&built)
    );

    // A reader that Hemicycle did not write lists what is inside.
    let listed = common::run(
        "python3",
        &[
            "-c",
            "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
            kit_file.to_str().unwrap(),
        ],
    );
    for name in [
        "manifest.toml",
        "campaign.toml",
        "ai-act-migration.toml",
        "ai-act-migration.json",
        "opening.md.hbs",
        "house.csl",
    ] {
        assert!(listed.lines().any(|l| l == name), "{name} not in the kit: {listed}");
    }

    // On a volunteer's machine, far from the staff's folders.
    let volunteer = tempfile::tempdir().unwrap();
    let opened = common::hemicycle(volunteer.path(), &["kit", "open", kit_file.to_str().unwrap()]);
    let said = common::stdout(&opened);
    assert!(opened.status.success(), "{}", common::stderr(&opened));
    assert!(said.contains("Unsigned: anyone could have made this kit"), "{said}");
    let unpacked = said
        .lines()
        .find_map(|l| l.strip_prefix("The campaign: "))
        .map(PathBuf::from)
        .unwrap();
    assert!(
        unpacked.starts_with(volunteer.path().join("data/kits")),
        "{}",
        unpacked.display()
    );
    std::fs::remove_dir_all(staff.path().join("examples")).unwrap();
    let original = campaign(&staff.path().join("examples"));
    let theirs = letter(volunteer.path(), &unpacked);
    assert!(theirs.contains("As a member of"), "the block file is used: {theirs}");
    assert_eq!(theirs, letter(staff.path(), &original));

    // Opened twice: a second folder, the first untouched.
    let again = common::hemicycle(volunteer.path(), &["kit", "open", kit_file.to_str().unwrap()]);
    assert!(again.status.success(), "{}", common::stderr(&again));
    assert!(common::stdout(&again).contains("-2"), "{}", common::stdout(&again));
}

#[test]
fn a_signed_kit_is_checked_and_a_changed_one_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = campaign(&tmp.path().join("examples"));
    let key = tmp.path().join("org.key");
    let fingerprint = kit::new_key(&key).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let kit_file = tmp.path().join("signed.hemicycle");
    kit::build(&file, &kit_file, Some(&key)).unwrap();
    let checked = kit::check(&kit_file, BadSignature::Refuse).unwrap();
    assert_eq!(
        checked.signature,
        Signature::Checked {
            organisation: "Example Digital Rights Foundation".into(),
            fingerprint: fingerprint.clone(),
            key: manifest_key(&kit_file),
        }
    );

    // The manifest changed after signing (a forger's own title, hashes
    // and all): the signature no longer matches.
    let forged = tmp.path().join("forged.hemicycle");
    rewrite(&kit_file, &forged, |name, bytes| {
        if name == "manifest.toml" {
            String::from_utf8(bytes.to_vec())
                .unwrap()
                .replace("title = \"", "title = \"Urgent: ")
                .into_bytes()
        } else {
            bytes.to_vec()
        }
    });
    let refused = kit::check(&forged, BadSignature::Refuse).unwrap_err();
    assert!(matches!(refused, KitError::BadSignature { .. }), "{refused}");
    assert!(
        refused.to_string().contains("Example Digital Rights Foundation"),
        "{refused}"
    );
    // The user may insist: it opens as unsigned, never as "checked".
    let insisted = kit::check(&forged, BadSignature::OpenAsUnsigned).unwrap();
    assert_eq!(insisted.signature, Signature::Unsigned);

    // A file changed inside a signed kit: its hash is not the manifest's.
    let changed = tmp.path().join("changed.hemicycle");
    rewrite(&kit_file, &changed, |name, bytes| {
        if name == "campaign.toml" {
            [bytes, b"\n# changed\n"].concat()
        } else {
            bytes.to_vec()
        }
    });
    let refused = kit::check(&changed, BadSignature::OpenAsUnsigned).unwrap_err();
    assert!(refused.to_string().contains("\"campaign.toml\""), "{refused}");
}

/// The signing key a kit's manifest names.
fn manifest_key(kit_file: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(kit_file).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("manifest.toml").unwrap(), &mut text).unwrap();
    let manifest: kit::Manifest = toml::from_str(&text).unwrap();
    manifest.key.unwrap()
}

/// Copies a ZIP, passing each entry's bytes through `edit`.
fn rewrite(from: &Path, to: &Path, edit: impl Fn(&str, &[u8]) -> Vec<u8>) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&edit(&name, &bytes)).unwrap();
    }
    out.finish().unwrap();
}

/// A kit of `entries` (name, bytes), with a manifest that lists each as a
/// campaign file with its true hash, unless the entry is the manifest.
fn hostile(path: &Path, entries: &[(&str, Vec<u8>)], edit: impl FnOnce(&mut zip::ZipWriter<std::fs::File>)) {
    let hash = |b: &[u8]| -> String {
        ring::digest::digest(&ring::digest::SHA256, b)
            .as_ref()
            .iter()
            .fold(String::new(), |s, x| s + &format!("{x:02x}"))
    };
    let mut manifest = String::from(
        "format = \"hemicycle-kit\"\nversion = 1\ntitle = \"t\"\norganisation = \"o\"\ncampaign = \"campaign.toml\"\n",
    );
    for (name, bytes) in entries {
        manifest += &format!(
            "\n[[files]]\npath = \"{}\"\nkind = \"campaign\"\nsize = {}\nsha256 = \"{}\"\n",
            name.replace('\\', "\\\\"),
            bytes.len(),
            hash(bytes)
        );
    }
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("manifest.toml", options).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    edit(&mut zip);
    zip.finish().unwrap();
}

/// A hostile kit: its name, how to make it, what the refusal says.
type Case = (&'static str, Box<dyn Fn(&Path)>, &'static str);

fn hostile_cases() -> Vec<Case> {
    vec![
        (
            "zip-slip",
            Box::new(|p: &Path| hostile(p, &[("../../evil.toml", b"x".to_vec())], |_| {})),
            "leads out of the kit's folder",
        ),
        (
            "absolute",
            Box::new(|p: &Path| hostile(p, &[("/tmp/evil.toml", b"x".to_vec())], |_| {})),
            "is absolute",
        ),
        (
            "sub-folder",
            Box::new(|p: &Path| hostile(p, &[("a/b.toml", b"x".to_vec())], |_| {})),
            "sub-folder",
        ),
        (
            "symlink",
            Box::new(|p: &Path| {
                hostile(p, &[], |z| {
                    z.add_symlink("campaign.toml", "/etc/passwd", zip::write::SimpleFileOptions::default())
                        .unwrap();
                });
            }),
            "is a link",
        ),
        (
            "zip bomb",
            // 100 MB of zeros, about 100 KB packed.
            Box::new(|p: &Path| hostile(p, &[("campaign.toml", vec![0; 100 << 20])], |_| {})),
            "is larger than 4 MB, the most a campaign may hold",
        ),
        (
            "unlisted",
            Box::new(|p: &Path| {
                hostile(p, &[], |z| {
                    z.start_file("extra.sh", zip::write::SimpleFileOptions::default())
                        .unwrap();
                    z.write_all(b"rm -rf ~").unwrap();
                });
            }),
            "does not list it",
        ),
        (
            "newer",
            Box::new(|p: &Path| {
                hostile(p, &[("campaign.toml", b"x".to_vec())], |_| {});
                rewrite(p, &p.with_extension("tmp"), |n, b| {
                    if n == "manifest.toml" {
                        String::from_utf8_lossy(b)
                            .replace("version = 1", "version = 7")
                            .into_bytes()
                    } else {
                        b.to_vec()
                    }
                });
                std::fs::rename(p.with_extension("tmp"), p).unwrap();
            }),
            "newer Hemicycle",
        ),
        (
            "not a zip",
            Box::new(|p: &Path| std::fs::write(p, "just text").unwrap()),
            "is not a campaign kit",
        ),
    ]
}

#[test]
fn hostile_kits_are_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    for (what, make, expected) in hostile_cases() {
        let kit_file = tmp.path().join(format!("{}.hemicycle", what.replace(' ', "-")));
        make(&kit_file);
        let before = snapshot(tmp.path());
        let out = common::hemicycle(&home, &["kit", "open", kit_file.to_str().unwrap()]);
        let said = common::stderr(&out);
        assert!(!out.status.success(), "{what}: opened");
        assert!(said.contains(expected), "{what}: {said}");
        assert!(
            said.contains("Nothing was written") || !said.contains("entry"),
            "{what}: {said}"
        );
        assert_eq!(snapshot(tmp.path()), before, "{what}: something was written");
        assert!(!home.join("data/kits").exists(), "{what}: a kit folder was made");
        assert!(!Path::new("/tmp/evil.toml").exists());
    }
}

/// What the author locked stays locked, and a letter must be enough the
/// volunteer's own: the pre-send check (here `hemicycle check`, which
/// warns where sending stops) says so of a copy that breaks either rule.
#[test]
fn locked_texts_and_the_share_of_own_words_are_checked() {
    let staff = tempfile::tempdir().unwrap();
    let file = hemicycle::campaign::examples::install(&staff.path().join("examples")).unwrap();
    let text = std::fs::read_to_string(&file).unwrap()
        + "\n[volunteer]\nmax_alike = 0.95\nlocked = [\"opening\", \"demands\"]\n\n[[volunteer.prompts]]\nid = \"why\"\nquestion = \"Why does this matter to you?\"\n";
    std::fs::write(&file, text).unwrap();
    let kit_file = staff.path().join("k.hemicycle");
    kit::build(&file, &kit_file, None).unwrap();
    let volunteer = tempfile::tempdir().unwrap();
    let campaign = kit::check(&kit_file, BadSignature::Refuse)
        .unwrap()
        .unpack(&volunteer.path().join("k"))
        .unwrap();
    let check = |campaign: &Path| {
        let out = common::hemicycle(volunteer.path(), &["check", campaign.to_str().unwrap()]);
        common::stderr(&out) + &common::stdout(&out)
    };
    let said = check(&campaign);
    assert!(said.contains("is the campaign's own text"), "no answer yet: {said}");
    assert!(!said.contains("locked"), "{said}");

    // Their words, enough of them: the letter is theirs enough.
    let words = "I grew up in a town where the border guards knew every family by name. ".repeat(12);
    let mine =
        std::fs::read_to_string(&campaign).unwrap() + &format!("\n[volunteer.answers]\nwhy = \"{}\"\n", words.trim());
    std::fs::write(&campaign, &mine).unwrap();
    let said = check(&campaign);
    assert!(!said.contains("is the campaign's own text"), "{said}");

    // The locked opening changed: told.
    let changed = mine.replacen("opening = \"We are writing", "opening = \"We write", 1);
    assert_ne!(changed, mine);
    std::fs::write(&campaign, changed).unwrap();
    let said = check(&campaign);
    assert!(said.contains("locked its opening, demands"), "{said}");
}

/// A translation's block file travels in the kit, and the German letter
/// made from the unpacked kit uses it.
#[test]
fn a_kit_carries_the_files_of_the_translations() {
    let staff = tempfile::tempdir().unwrap();
    let file = campaign(&staff.path().join("examples"));
    std::fs::write(
        file.with_file_name("opening.de.md.hbs"),
        "Als Mitglied des Ausschusses stimmen Sie über {{campaign.title}} ab.\n\n",
    )
    .unwrap();
    let text =
        std::fs::read_to_string(&file).unwrap() + "\n[translations.de.blocks]\nopening = \"opening.de.md.hbs\"\n";
    std::fs::write(&file, text).unwrap();
    let kit_file = staff.path().join("ai-act.hemicycle");
    let manifest = hemicycle::kit::build(&file, &kit_file, None).unwrap();
    assert!(
        manifest.files.iter().any(|f| f.path.ends_with("opening.de.md.hbs")),
        "{:?}",
        manifest.files
    );
    let volunteer = tempfile::tempdir().unwrap();
    let checked = hemicycle::kit::check(&kit_file, hemicycle::kit::BadSignature::Refuse).unwrap();
    let unpacked = checked.unpack(&volunteer.path().join("kit")).unwrap();
    let out = common::hemicycle(
        volunteer.path(),
        &[
            "render",
            unpacked.to_str().unwrap(),
            "--mep",
            "197433",
            "--today",
            "2026-12-01",
        ],
    );
    let letter = common::stdout(&out);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        letter.contains("Als Mitglied des Ausschusses stimmen Sie über"),
        "{letter}"
    );
}

// ---------------------------------------------------------------------
// Issue 30: the hostile-kit corpus (`tests/hostile/kits/`), memory,
// confinement, honest signatures and keys remembered on first use.
// ---------------------------------------------------------------------

/// One case of `tests/hostile/kits/`: how to make the kit from a good one,
/// and what the refusal says.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KitCase {
    about: String,
    expect: String,
    /// Changes to a file's text (the campaign's unless `file` is given):
    /// `from` → `to`, or `append`. `{dir}` is the folder of the secrets.
    #[serde(default)]
    edit: Vec<Edit>,
    /// Files added to the kit.
    #[serde(default)]
    add: Vec<Added>,
    /// Top-level fields of the manifest set after it is made.
    #[serde(default)]
    manifest: toml::Table,
    /// A path the manifest lists a second time.
    list_twice: Option<String>,
    /// An entry the ZIP holds a second time.
    zip_twice: Option<String>,
    /// A link entry: (name, target).
    symlink: Option<(String, String)>,
    /// Bytes of `[[padding]]` tables added to the manifest.
    #[serde(default)]
    manifest_padding: usize,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    #[serde(default = "campaign_toml")]
    file: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    append: String,
}

fn campaign_toml() -> String {
    "campaign.toml".into()
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Added {
    name: String,
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    zeros: usize,
    declared_size: Option<u64>,
}

/// A kit's pieces: its files (name, kind, bytes) and its manifest's head.
#[derive(Clone)]
struct Pieces {
    files: Vec<(String, String, Vec<u8>)>,
    head: toml::Table,
}

/// The pieces of a good kit, made by `kit build` from the example with a
/// letterhead of its own and the addressees `extra` adds.
fn good_pieces(work: &Path, extra: &str) -> Pieces {
    let file = common::example_copy(&work.join("staff"), |t| t + extra);
    let kit_file = work.join("good.hemicycle");
    let manifest = kit::build(&file, &kit_file, None).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&kit_file).unwrap()).unwrap();
    let files = manifest
        .files
        .iter()
        .map(|e| {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut zip.by_name(&e.path).unwrap(), &mut bytes).unwrap();
            let kind = toml::Value::try_from(e.kind).unwrap().as_str().unwrap().to_owned();
            (e.path.clone(), kind, bytes)
        })
        .collect();
    let mut head: toml::Table = toml::from_str(&toml::to_string(&manifest).unwrap()).unwrap();
    head.remove("files");
    Pieces { files, head }
}

fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .fold(String::new(), |s, x| s + &format!("{x:02x}"))
}

/// Applies a case to good pieces and writes the kit to `path`. `dir` is
/// the folder of the secrets.
fn make_kit(path: &Path, good: &Pieces, case: &KitCase, dir: &Path) {
    let mut pieces = good.clone();
    apply_edits(&mut pieces.files, case, dir, true);
    for a in &case.add {
        let bytes = if a.zeros > 0 {
            vec![0; a.zeros]
        } else {
            a.text.clone().into_bytes()
        };
        pieces.files.push((a.name.clone(), a.kind.clone(), bytes));
    }
    let mut manifest = pieces.head.clone();
    let mut listed: Vec<toml::Value> = pieces
        .files
        .iter()
        .map(|(name, kind, bytes)| {
            let size = case
                .add
                .iter()
                .find(|a| a.name == *name)
                .and_then(|a| a.declared_size)
                .unwrap_or(bytes.len() as u64);
            let mut entry = toml::Table::new();
            entry.insert("path".into(), name.clone().into());
            entry.insert("kind".into(), kind.clone().into());
            entry.insert("size".into(), i64::try_from(size).unwrap().into());
            entry.insert("sha256".into(), sha256_hex(bytes).into());
            toml::Value::Table(entry)
        })
        .collect();
    if let Some(twice) = &case.list_twice {
        let again = listed
            .iter()
            .find(|v| v["path"].as_str() == Some(twice))
            .unwrap()
            .clone();
        listed.push(again);
    }
    manifest.insert("files".into(), toml::Value::Array(listed));
    for (k, v) in &case.manifest {
        manifest.insert(k.clone(), v.clone());
    }
    let mut text = toml::to_string(&manifest).unwrap();
    text += &"\n[[padding]]".repeat(case.manifest_padding / 12);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    zip.start_file("manifest.toml", options).unwrap();
    zip.write_all(text.as_bytes()).unwrap();
    for (name, _, bytes) in &pieces.files {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    if let Some((name, target)) = &case.symlink {
        zip.add_symlink(name.as_str(), target.as_str(), options).unwrap();
    }
    let mut out = zip.finish().unwrap();
    if let Some(twice) = &case.zip_twice {
        // The ZIP writer refuses a second entry of one name: rename a
        // same-length name in the bytes instead.
        drop(out);
        let decoy = "X".repeat(twice.len());
        let (_, _, bytes) = pieces.files.iter().find(|(n, _, _)| n == twice).unwrap().clone();
        let mut zip =
            zip::ZipWriter::new_append(std::fs::OpenOptions::new().read(true).write(true).open(path).unwrap()).unwrap();
        zip.start_file(decoy.as_str(), options).unwrap();
        zip.write_all(&bytes).unwrap();
        out = zip.finish().unwrap();
        drop(out);
        let raw = std::fs::read(path).unwrap();
        let patched = replace_all(&raw, decoy.as_bytes(), twice.as_bytes());
        std::fs::write(path, patched).unwrap();
    }
}

/// A case's edits, applied to files (name, kind, bytes); an edit whose
/// text is not there fails the test when `strict`, else is left out.
fn apply_edits(files: &mut [(String, String, Vec<u8>)], case: &KitCase, dir: &Path, strict: bool) {
    let dir = dir.to_str().unwrap();
    for e in &case.edit {
        let (_, _, bytes) = files.iter_mut().find(|(n, _, _)| *n == e.file).unwrap();
        let mut text = String::from_utf8(bytes.clone()).unwrap();
        if !e.from.is_empty() {
            if !strict && !text.contains(&e.from) {
                continue;
            }
            assert!(
                text.contains(&e.from),
                "{}: no {:?} in {}:\n{text}",
                case.about,
                e.from,
                e.file
            );
            text = text.replacen(&e.from, &e.to.replace("{dir}", dir), 1);
        }
        text += &e.append.replace("{dir}", dir);
        *bytes = text.into_bytes();
    }
}

fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// The secrets a hostile kit reaches for, in `dir`: one per kind of file.
const SECRET: &str = "SECRET-4f1c9a: the volunteer's own file";

fn secrets(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for ext in ["md.hbs", "txt", "png", "toml", "json"] {
        std::fs::write(dir.join(format!("secret.{ext}")), SECRET).unwrap();
    }
    let csl = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/styles/hemicycle-notes.csl"))
        .unwrap()
        .replacen("<info>", &format!("<info><summary>{SECRET}</summary>"), 1);
    std::fs::write(dir.join("secret.csl"), csl).unwrap();
}

fn corpus() -> Vec<(String, KitCase)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/kits");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let case: KitCase = toml::from_str(&std::fs::read_to_string(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_stem().unwrap().to_string_lossy().into_owned(), case)
        })
        .collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}

/// Every case of `tests/hostile/kits/`: the real binary refuses the kit,
/// in the words the case expects; nothing is unpacked, no secret is shown.
/// Each kit lies where `../secret.*` from its would-be folder is a secret.
#[test]
fn the_hostile_kit_corpus_is_refused_in_words() {
    let tmp = tempfile::tempdir().unwrap();
    let good = good_pieces(tmp.path(), "");
    let home = tmp.path().join("home");
    // `../secret.*` from the folder a kit would open into.
    secrets(&home.join("data/kits"));
    let cases = corpus();
    assert!(cases.len() >= 20, "the corpus lost cases");
    let mut failures = Vec::new();
    for (name, case) in &cases {
        let kit_file = tmp.path().join(format!("{name}.hemicycle"));
        make_kit(&kit_file, &good, case, &home.join("data/kits"));
        let out = common::hemicycle(&home, &["kit", "open", kit_file.to_str().unwrap()]);
        let said = common::stderr(&out) + &common::stdout(&out);
        let folders = std::fs::read_dir(home.join("data/kits"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_dir())
            .count();
        if out.status.success() || !said.contains(&case.expect) || said.contains(SECRET) || folders > 0 {
            failures.push(format!("{name} ({}): {said}", case.about));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The largest of what a ~100 KB kit can unpack to (a manifest of 60 MB,
/// a 63 MB bibliography, an entry larger than listed): `kit open` stays
/// under 200 MB (issue 30: 5.9 GB before).
#[test]
fn opening_a_100_kb_kit_stays_under_200_mb() {
    let tmp = tempfile::tempdir().unwrap();
    let good = good_pieces(tmp.path(), "");
    let home = tmp.path().join("home");
    for (name, case) in corpus() {
        if !["manifest-bomb", "bibliography-63-mb", "entry-larger-than-listed"].contains(&name.as_str()) {
            continue;
        }
        let kit_file = tmp.path().join(format!("{name}.hemicycle"));
        make_kit(&kit_file, &good, &case, tmp.path());
        let size = std::fs::metadata(&kit_file).unwrap().len();
        assert!(size < 200 << 10, "{name}: the kit is {size} bytes");
        let out = std::process::Command::new("/usr/bin/time")
            .args(["-f", "MAXRSS %M"])
            .arg(common::BIN)
            .args(["kit", "open", kit_file.to_str().unwrap()])
            .env("HEMICYCLE_HOME", &home)
            .output()
            .unwrap();
        let said = common::stderr(&out);
        let kb: u64 = said
            .lines()
            .find_map(|l| l.strip_prefix("MAXRSS "))
            .unwrap_or_else(|| panic!("{said}"))
            .trim()
            .parse()
            .unwrap();
        eprintln!("{name}: {size} bytes, kit open used {} MB", kb >> 10);
        assert!(said.contains(&case.expect), "{name}: {said}");
        assert!(kb < 200 << 10, "{name}: kit open used {} MB", kb >> 10);
    }
}

/// Issue 30: a kit that passes every check but cannot be written (a file
/// name too long for the file system) leaves no folder behind.
#[test]
fn a_kit_that_fails_to_unpack_leaves_no_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let good = good_pieces(tmp.path(), "");
    let case = KitCase {
        add: vec![Added {
            name: format!("{}.md.hbs", "n".repeat(300)),
            kind: "block".into(),
            text: "x".into(),
            zeros: 0,
            declared_size: None,
        }],
        ..KitCase::default()
    };
    let kit_file = tmp.path().join("long.hemicycle");
    make_kit(&kit_file, &good, &case, tmp.path());
    let checked = kit::check(&kit_file, BadSignature::Refuse).unwrap();
    let folder = tmp.path().join("opened");
    let refused = checked.unpack(&folder).unwrap_err();
    assert!(refused.to_string().contains("could not write"), "{refused}");
    assert!(!folder.exists(), "a half-opened folder was left");
}

/// Issue 30: `kit open … | head -1`: the reader goes away, the kit still
/// opens, and nothing panics.
#[test]
fn kit_open_into_a_closed_pipe_does_not_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let file = common::example_copy(&tmp.path().join("staff"), |t| t);
    let kit_file = tmp.path().join("k.hemicycle");
    kit::build(&file, &kit_file, None).unwrap();
    let home = tmp.path().join("home");
    let mut child = common::command(&home)
        .args(["kit", "open", kit_file.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let said = common::stderr(&out);
    assert!(!said.contains("panicked"), "{said}");
    assert!(out.status.success(), "{said}");
    assert_eq!(std::fs::read_dir(home.join("data/kits")).unwrap().count(), 1);
}

/// A kit signed with `key` by `organisation`.
fn signed_kit(work: &Path, name: &str, organisation: &str, key: &Path) -> PathBuf {
    signed_kit_with(work, name, organisation, key, "")
}

/// Like [`signed_kit`], with `extra` added to the campaign's text.
fn signed_kit_with(work: &Path, name: &str, organisation: &str, key: &Path, extra: &str) -> PathBuf {
    let file = common::example_copy(&work.join(name), |t| {
        t.replacen(
            "name = \"Stichting Voorbeeld\"",
            &format!("name = {}", toml::Value::String(organisation.into())),
            1,
        ) + extra
    });
    let kit_file = work.join(format!("{name}.hemicycle"));
    kit::build(&file, &kit_file, Some(key)).unwrap();
    kit_file
}

/// Issue 30, item 3: the line a volunteer reads gives the key's
/// fingerprint first, and the organisation quoted and escaped on one line:
/// a forger's key cannot hide behind a newline, terminal escapes or
/// padding that show the genuine organisation's fingerprint. Sent through a
/// real SMTP server, the kit's letters reach no one the volunteer was not
/// told of before (the MEP, and the kit's own addressee named at open).
#[test]
fn a_forged_organisation_cannot_show_another_keys_fingerprint() {
    let tmp = tempfile::tempdir().unwrap();
    let genuine = kit::new_key(&tmp.path().join("genuine.key")).unwrap();
    let forger_key = tmp.path().join("forger.key");
    let forger = kit::new_key(&forger_key).unwrap();
    let forged_org = format!(
        "Stichting Voorbeeld, signature checked (key {genuine}).{}\n\u{1b}[2K\u{1b}[1A\u{202e}",
        " ".repeat(200)
    );
    let extra = "\n[[recipients.addressees]]\nname = \"Press Office\"\nemail = \"collect@forger.example\"\n";
    let kit_file = signed_kit_with(tmp.path(), "forged", &forged_org, &forger_key, extra);
    let home = tmp.path().join("home");
    let out = common::hemicycle(&home, &["kit", "open", kit_file.to_str().unwrap()]);
    let said = common::stdout(&out);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let first = said.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("Signed with the key {forger} (signature checked)")),
        "{said}"
    );
    assert!(!said.contains('\u{1b}') && !said.contains('\u{202e}'), "{said:?}");
    assert!(
        first.contains("the kit says it is from \"Stichting Voorbeeld, signature checked (key "),
        "{first}"
    );
    assert!(first.contains("\\n") || first.contains('…'), "{first}");
    // The genuine fingerprint appears only inside the quoted claim, after
    // the forger's own.
    assert!(first.find(&forger).unwrap() < first.find(&genuine).unwrap(), "{first}");
    assert!(first.chars().count() < 300, "{first}");
    assert!(
        said.contains("This kit also writes to: \"Press Office\" <collect@forger.example>"),
        "{said}"
    );

    let server_dir = tmp.path().join("server");
    std::fs::create_dir_all(&server_dir).unwrap();
    let server = common::smtp::Server::start(&server_dir, &[]);
    add_local_account(&home, server.port);
    let campaign = PathBuf::from(said.lines().find_map(|l| l.strip_prefix("The campaign: ")).unwrap());
    let sent = send_one(&home, &campaign);
    assert!(sent.status.success(), "{}", common::stderr(&sent));
    let received = server.counts();
    assert!(!received.is_empty());
    for rcpt in received.keys() {
        assert!(
            rcpt.ends_with("@europarl.europa.eu") || said.contains(&format!("<{rcpt}>")),
            "{rcpt} got a letter the volunteer was not told of: {said}"
        );
    }
}

/// Issue 30, item 4, with a real SMTP server: the first kit of an
/// organisation remembers its key (its letter goes out); a later kit
/// claiming the same organisation with another key is refused in words —
/// nothing unpacked, nothing sent — and opens only when the volunteer
/// accepts the new key.
#[test]
fn a_second_key_for_the_same_organisation_is_refused_until_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let first_key = tmp.path().join("first.key");
    let first_fp = kit::new_key(&first_key).unwrap();
    let other_key = tmp.path().join("other.key");
    let other_fp = kit::new_key(&other_key).unwrap();
    let home = tmp.path().join("home");
    let server_dir = tmp.path().join("server");
    std::fs::create_dir_all(&server_dir).unwrap();
    let server = common::smtp::Server::start(&server_dir, &[]);
    add_local_account(&home, server.port);
    let first = signed_kit(tmp.path(), "first", "Stichting Voorbeeld", &first_key);
    let out = common::hemicycle(&home, &["kit", "open", first.to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(home.join("data/kit-keys.toml").is_file());
    let campaign = PathBuf::from(
        common::stdout(&out)
            .lines()
            .find_map(|l| l.strip_prefix("The campaign: "))
            .unwrap(),
    );
    let sent = send_one(&home, &campaign);
    assert!(sent.status.success(), "{}", common::stderr(&sent));
    assert_eq!(server.received().len(), 1);

    let second = signed_kit(tmp.path(), "second", "Stichting Voorbeeld", &other_key);
    let out = common::hemicycle(&home, &["kit", "open", second.to_str().unwrap()]);
    let said = common::stderr(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("This kit says it is from \"Stichting Voorbeeld\" but is signed with a different key than \"Stichting Voorbeeld\"'s earlier kits"),
        "{said}"
    );
    assert!(said.contains(&first_fp) && said.contains(&other_fp), "{said}");
    assert!(said.contains("--accept-new-key"), "{said}");
    assert_eq!(std::fs::read_dir(home.join("data/kits")).unwrap().count(), 1);
    assert_eq!(server.received().len(), 1, "the refused kit sent nothing");

    let out = common::hemicycle(&home, &["kit", "open", "--accept-new-key", second.to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    // From now on the new key is the organisation's, and the old refused.
    let out = common::hemicycle(&home, &["kit", "open", first.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", common::stdout(&out));
}

/// Adds the mail account "Local" (the test server on `port`, no TLS).
fn add_local_account(home: &Path, port: u16) {
    common::add_local_account(home, port, "brieven@stichting-voorbeeld.nl", Some("An Jansen"));
}

/// The cases of the corpus that name a file outside the kit.
const REACHING_OUT: &[&str] = &[
    "block-absolute",
    "block-parent",
    "template-absolute",
    "style-parent",
    "logo-absolute",
    "bibliography-parent",
    "demand-set-absolute",
    "demand-set-bibliography-parent",
    "translation-block-parent",
];

/// Issue 30, item 1, end to end with a real SMTP server: a kit whose
/// campaign names the volunteer's files (a block, the template, the style,
/// the logo, a bibliography, a demand set; absolute or `../`) is refused at
/// open; the same campaign planted in a kit's folder (as an older Hemicycle
/// unpacked it) is refused by `check` and `send`, naming the field; no
/// letter at the server holds the secret. The kit's own addressee is shown
/// before anything is sent, and the good kit's letters do go out.
#[test]
fn nothing_from_outside_the_kit_reaches_a_letter() {
    let work = tempfile::tempdir().unwrap();
    let server_dir = work.path().join("server");
    std::fs::create_dir_all(&server_dir).unwrap();
    let server = common::smtp::Server::start(&server_dir, &[]);
    let home = work.path().join("home");
    add_local_account(&home, server.port);
    let extra = "\n[[recipients.addressees]]\nname = \"Kit Author\"\nemail = \"author@kit.example\"\n";
    let good = good_pieces(work.path(), extra);
    let good_kit = work.path().join("good-kit.hemicycle");
    make_kit(&good_kit, &good, &KitCase::default(), work.path());
    let cases: Vec<_> = corpus()
        .into_iter()
        .filter(|(n, _)| REACHING_OUT.contains(&n.as_str()))
        .collect();
    assert_eq!(cases.len(), REACHING_OUT.len());
    for (name, case) in &cases {
        refused_when_opened_and_when_planted(&home, &good, &good_kit, name, case);
    }
    for r in server.received() {
        assert!(
            !r.to_string().contains("SECRET-4f1c9a"),
            "a secret reached the server: {r}"
        );
    }
    assert!(server.received().is_empty(), "{:?}", server.received());

    // The good kit: its own addressee is named at open and in the check,
    // and its letters go out without any secret.
    let out = common::hemicycle(&home, &["kit", "open", good_kit.to_str().unwrap()]);
    let said = common::stdout(&out);
    assert!(
        said.contains("This kit also writes to: \"Kit Author\" <author@kit.example>"),
        "{said}"
    );
    let campaign = PathBuf::from(said.lines().find_map(|l| l.strip_prefix("The campaign: ")).unwrap());
    let out = common::hemicycle(&home, &["check", campaign.to_str().unwrap()]);
    assert!(
        common::stdout(&out).contains("This kit also writes to: \"Kit Author\" <author@kit.example>"),
        "{}",
        common::stdout(&out)
    );
    let out = send_one(&home, &campaign);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let received = server.received();
    assert!(!received.is_empty());
    assert!(received.iter().all(|r| !r.to_string().contains("SECRET-4f1c9a")));
}

/// `hemicycle send` of one letter through the account "Local".
fn send_one(home: &Path, campaign: &Path) -> std::process::Output {
    common::hemicycle(
        home,
        &[
            "send",
            campaign.to_str().unwrap(),
            "--profile",
            "Local",
            "--yes",
            "--rate",
            "0",
            "--mep",
            "197870",
        ],
    )
}

/// One case reaching outside the kit: refused by `kit open`; planted in an
/// opened kit's folder, refused by `check` and `send`, naming the field.
fn refused_when_opened_and_when_planted(home: &Path, good: &Pieces, good_kit: &Path, name: &str, case: &KitCase) {
    let work = good_kit.parent().unwrap();
    let kit_file = work.join(format!("{name}.hemicycle"));
    make_kit(&kit_file, good, case, &home.join("data/kits"));
    secrets(&home.join("data/kits"));
    let out = common::hemicycle(home, &["kit", "open", kit_file.to_str().unwrap()]);
    assert!(
        !out.status.success() && common::stderr(&out).contains(&case.expect),
        "{name}: {}",
        common::stderr(&out)
    );
    let out = common::hemicycle(home, &["kit", "open", good_kit.to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let campaign = PathBuf::from(
        common::stdout(&out)
            .lines()
            .find_map(|l| l.strip_prefix("The campaign: "))
            .unwrap(),
    );
    let folder = campaign.parent().unwrap().to_path_buf();
    secrets(folder.parent().unwrap());
    let mut files: Vec<(String, String, Vec<u8>)> = good
        .files
        .iter()
        .map(|(n, k, _)| (n.clone(), k.clone(), std::fs::read(folder.join(n)).unwrap()))
        .collect();
    apply_edits(&mut files, case, folder.parent().unwrap(), true);
    for (n, _, bytes) in &files {
        std::fs::write(folder.join(n), bytes).unwrap();
    }
    let field = case.expect.split(": ").nth(1).unwrap().split(" = ").next().unwrap();
    for out in [
        common::hemicycle(home, &["check", campaign.to_str().unwrap()]),
        send_one(home, &campaign),
    ] {
        let said = common::stderr(&out) + &common::stdout(&out);
        assert!(!out.status.success(), "{name}: {said}");
        assert!(
            said.contains("this campaign came from a kit") && said.contains(field),
            "{name}: {said}"
        );
    }
}

/// Pieces of a campaign's edits, right and wrong, for the property below.
fn edit_pieces() -> Vec<KitCase> {
    let mut pieces: Vec<KitCase> = corpus()
        .into_iter()
        .filter(|(n, _)| REACHING_OUT.contains(&n.as_str()) || n.starts_with("name") || n.starts_with("campaign"))
        .map(|(_, c)| c)
        .collect();
    // Right pieces: files inside the kit, named plainly or with `./`.
    let inside = |append: &str, file: &str, text: &str| KitCase {
        edit: vec![Edit {
            file: "campaign.toml".into(),
            from: String::new(),
            to: String::new(),
            append: append.into(),
        }],
        add: vec![Added {
            name: file.into(),
            kind: "block".into(),
            text: text.into(),
            zeros: 0,
            declared_size: None,
        }],
        ..KitCase::default()
    };
    pieces.push(inside(
        "\n[blocks]\ncontext = \"context.md.hbs\"\n",
        "context.md.hbs",
        "Our context.\n\n",
    ));
    pieces.push(inside(
        "\n[blocks]\ncontext = \"./context.md.hbs\"\n",
        "context.md.hbs",
        "Our context.\n\n",
    ));
    pieces.push(KitCase::default());
    pieces
}

/// What an attacker may do to a kit's folder after it was opened.
#[derive(Debug, Clone, Copy)]
enum Plant {
    Nothing,
    /// A link in the folder to the secret outside, named by the campaign.
    Link,
    /// The campaign rewritten to name the secret by `../`.
    Rewrite,
}

/// The path with `.` and `..` taken out, links followed where it exists.
fn real(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

fn trace_kit(pieces: &[usize], plant: Plant) -> Result<(), proptest::test_runner::TestCaseError> {
    use proptest::prop_assert;
    let tmp = tempfile::tempdir().unwrap();
    let good = good_pieces(tmp.path(), "");
    let all = edit_pieces();
    let kits = tmp.path().join("vol");
    secrets(&kits);
    // The pieces, one after the other, as one case.
    let mut files = good.clone();
    let mut case = KitCase::default();
    for &i in pieces {
        let piece = &all[i % all.len()];
        apply_edits(&mut files.files, piece, &kits, false);
        case.add.extend(piece.add.iter().map(|a| Added {
            name: a.name.clone(),
            kind: a.kind.clone(),
            text: a.text.clone(),
            zeros: a.zeros,
            declared_size: a.declared_size,
        }));
        case.manifest.extend(piece.manifest.clone());
        case.list_twice = case.list_twice.or_else(|| piece.list_twice.clone());
        case.zip_twice = case.zip_twice.or_else(|| piece.zip_twice.clone());
    }
    let mut names = std::collections::BTreeSet::new();
    case.add.retain(|a| names.insert(a.name.clone()));
    let kit_file = tmp.path().join("random.hemicycle");
    make_kit(&kit_file, &files, &case, &kits);
    let folder = kits.join("k");
    let outside_before = snapshot(tmp.path());
    hemicycle::store::trace::start();
    let opened = kit::check(&kit_file, BadSignature::Refuse).and_then(|c| c.unpack(&folder));
    let mut seen = hemicycle::store::trace::take();
    if let Ok(campaign) = &opened {
        match plant {
            Plant::Nothing => {}
            Plant::Link => {
                std::os::unix::fs::symlink(kits.join("secret.md.hbs"), folder.join("link.md.hbs")).unwrap();
                let text = std::fs::read_to_string(campaign).unwrap() + "\n[blocks]\nclosing = \"link.md.hbs\"\n";
                std::fs::write(campaign, text).unwrap();
            }
            Plant::Rewrite => {
                let text = std::fs::read_to_string(campaign).unwrap().replacen(
                    "template = \"open-letter\"",
                    "template = \"../secret.md.hbs\"",
                    1,
                );
                std::fs::write(campaign, text).unwrap();
            }
        }
        hemicycle::store::trace::start();
        let _ = hemicycle::compose::Composer::open(campaign, None);
        let _ = hemicycle::translate::Texts::load(campaign);
        seen.extend(hemicycle::store::trace::take());
    }
    let root = real(&folder);
    for path in &seen {
        let p = real(path);
        prop_assert!(
            p.starts_with(&root) || p == real(&kit_file),
            "read or wrote {} (pieces {pieces:?}, {plant:?})",
            p.display()
        );
    }
    let after: Vec<_> = snapshot(tmp.path())
        .into_iter()
        .filter(|(p, _)| !p.starts_with(&folder))
        .collect();
    prop_assert!(
        after
            == outside_before
                .into_iter()
                .filter(|(p, _)| !p.starts_with(&folder))
                .collect::<Vec<_>>(),
        "a file outside the kit's folder changed"
    );
    Ok(())
}

proptest::proptest! {
    #![proptest_config(common::proptest_config(40))]

    /// Random kits of right and wrong pieces, opened, perhaps tampered
    /// with afterwards, then loaded as Hemicycle loads a campaign: every
    /// file read or written lies in the kit's folder (or is the kit), and
    /// nothing outside the folder changes.
    #[test]
    fn nothing_outside_the_kit_folder_is_read_or_written(
        pieces in proptest::collection::vec(0usize..64, 0..4),
        plant in proptest::sample::select(vec![Plant::Nothing, Plant::Link, Plant::Rewrite]),
    ) {
        trace_kit(&pieces, plant)?;
    }
}

/// A kit unpacked by an older Hemicycle has no manifest beside its
/// campaign: a folder of its own under the kits folder is a kit's folder
/// all the same, and its campaign may not reach out of it.
#[test]
fn a_kit_opened_by_an_older_hemicycle_is_confined_too() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let file = common::example_copy(&tmp.path().join("staff"), |t| t);
    let kit_file = tmp.path().join("k.hemicycle");
    kit::build(&file, &kit_file, None).unwrap();
    let folder = home.join("data/kits/old");
    kit::check(&kit_file, BadSignature::Refuse)
        .unwrap()
        .unpack(&folder)
        .unwrap();
    std::fs::remove_file(folder.join("manifest.toml")).unwrap();
    secrets(&home.join("data/kits"));
    let campaign = folder.join("campaign.toml");
    let text = std::fs::read_to_string(&campaign).unwrap() + "\n[blocks]\ncontext = \"../secret.md.hbs\"\n";
    std::fs::write(&campaign, text).unwrap();
    let out = common::hemicycle(&home, &["render", campaign.to_str().unwrap(), "--mep", "197870"]);
    let said = common::stderr(&out) + &common::stdout(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("this campaign came from a kit") && said.contains("[blocks] context"),
        "{said}"
    );
    assert!(!said.contains(SECRET), "{said}");
}

/// Issue 30, item 7, outside kits too: every file a campaign names is read
/// with its kind's bound and only if it is a regular file — `/dev/zero` as
/// a block is refused at once (it was read without end), and a 63 MB
/// bibliography is refused in words instead of taking gigabytes.
#[test]
fn a_campaigns_files_are_read_with_bounds() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let render = |campaign: &Path| {
        let out = common::hemicycle(&home, &["render", campaign.to_str().unwrap(), "--mep", "197870"]);
        assert!(!out.status.success(), "{}", common::stdout(&out));
        common::stderr(&out)
    };
    let zero = common::example_copy(&tmp.path().join("zero"), |t| {
        t + "\n[blocks]\ncontext = \"/dev/zero\"\n"
    });
    let said = render(&zero);
    assert!(said.contains("a block file must be a regular file"), "{said}");
    assert!(said.contains("/dev/zero"), "{said}");

    let big = common::example_copy(&tmp.path().join("big"), |t| {
        t.replacen("demand_sets = ", "bibliography = [\"big.json\"]\ndemand_sets = ", 1)
    });
    let file = std::fs::File::create(big.with_file_name("big.json")).unwrap();
    file.set_len(63 << 20).unwrap();
    let said = render(&big);
    assert!(
        said.contains("the bibliography is larger than 16 MB, the most Hemicycle reads for it; use a smaller file"),
        "{said}"
    );
}
