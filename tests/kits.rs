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
            "larger than 64 MB",
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
