//! `hemicycle account check-delivery NAME [--test-letter]`: the
//! deliverability check of a mail account (see `deliver::deliverability`),
//! printed in plain words and kept beside the account's ledger, so that the
//! pre-send check of every later send warns about what failed.

use std::time::Duration;

use crate::deliver::deliverability::{self, Saved};
use crate::deliver::dns::Resolver;
use crate::deliver::profile::Profile;
use crate::deliver::secrets::Keyring;
use crate::deliver::sent_folder::SentFolder;
use crate::deliver::session;
use crate::deliver::smtp::{Outcome, Smtp, Transport};

pub fn check(profile: &Profile, test_letter: bool, wait_secs: u64) -> anyhow::Result<()> {
    profile.validate()?;
    let resolver = Resolver::system()?;
    let mut saved = deliverability::check_account(profile, &resolver);
    if test_letter {
        read_back(profile, &mut saved, Duration::from_secs(wait_secs))?;
    }
    for line in &saved.good {
        println!("ok: {}", super::terminal_safe(line));
    }
    for line in &saved.problems {
        println!("warning: {}", super::terminal_safe(line));
    }
    let path = deliverability::path_for(&super::paths()?.ledgers(), &profile.from_email);
    saved.write(&path)?;
    if saved.problems.is_empty() {
        println!("Nothing stands in the way of your letters.");
    } else {
        println!(
            "{} warning(s): the pre-send check repeats them until the next check. Sending is not blocked.",
            saved.problems.len()
        );
    }
    Ok(())
}

/// Sends the test letter to the account itself and reads what the
/// receiving side wrote of it.
fn read_back(profile: &Profile, saved: &mut Saved, wait: Duration) -> anyhow::Result<()> {
    if profile.imap_host.trim().is_empty() {
        anyhow::bail!(
            "--test-letter reads the letter back over IMAP: give the account an IMAP server (hemicycle account add … --copy-to-sent --imap-host HOST)"
        );
    }
    let password = session::password_for(&Keyring, profile)?;
    let (bytes, id) = deliverability::test_letter(profile).map_err(anyhow::Error::msg)?;
    let mut smtp = Smtp::new(profile.clone(), password.clone());
    smtp.connect()?;
    let from: lettre::Address = profile.from_email.trim().parse()?;
    let outcome = smtp.send(&from, std::slice::from_ref(&from), &bytes);
    smtp.close();
    if let Outcome::Refused(r) | Outcome::Deferred(r) | Outcome::Dropped(r) | Outcome::Unknown(r) = outcome {
        anyhow::bail!("the test letter was not sent: {r}");
    }
    println!(
        "Sent a test letter to {}; waiting for it in the Inbox…",
        profile.from_email.trim()
    );
    let account = SentFolder::new(profile.clone(), password);
    match deliverability::results_of(&account, &id, wait)? {
        None => saved.problems.push(format!(
            "the test letter did not arrive in the Inbox within {} seconds; run the check again later",
            wait.as_secs()
        )),
        Some(results) if results.is_empty() => saved.problems.push(
            "the test letter arrived without Authentication-Results: your provider did not say whether SPF, DKIM and DMARC pass (a letter to the same server often is not checked)".to_owned(),
        ),
        Some(results) => {
            let (good, bad) = deliverability::results_in_words(&results);
            saved.good.extend(good);
            saved.problems.extend(bad);
        }
    }
    Ok(())
}
