//! The deliverability check (issue 28, item 4) through the real binary,
//! against a DNS server the test starts on 127.0.0.1: a domain whose SPF
//! (through an include and a long record in several strings) allows the
//! relay and whose DMARC rejects; one whose SPF leaves the relay out and
//! that has no DMARC; and the warnings in the pre-send check afterwards.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Output;

use common::dns::Dns;

fn hemicycle(home: &Path, dns: &Dns, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_hemicycle"))
        .args(args)
        .env("HEMICYCLE_HOME", home)
        .env("HEMICYCLE_DNS_SERVER", dns.address())
        .output()
        .unwrap()
}

fn add_account(home: &Path, dns: &Dns, name: &str, from: &str) {
    let out = hemicycle(
        home,
        dns,
        &[
            "account",
            "add",
            name,
            "--host",
            "127.0.0.1",
            "--port",
            "2525",
            "--security",
            "none",
            "--from",
            from,
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
}

#[test]
fn spf_and_dmarc_pass_and_fail_from_a_test_dns_server() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let long_tail = (1..=30)
        .map(|i| format!("ip4:198.51.100.{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let zone = serde_json::json!({
        "good.test": {"TXT": ["google-site-verification=abc", format!("v=spf1 include:_spf.relay.test {long_tail} -all")]},
        "_spf.relay.test": {"TXT": ["v=spf1 ip4:192.0.2.0/24 a:smtp.relay.test ~all"]},
        "smtp.relay.test": {"A": ["127.0.0.1"]},
        "_dmarc.good.test": {"TXT": ["v=DMARC1; p=reject; rua=mailto:d@good.test"]},
        "bad.test": {"TXT": ["v=spf1 ip4:192.0.2.10 mx -all"], "MX": ["mx.bad.test"]},
        "mx.bad.test": {"A": ["192.0.2.25"]},
    });
    let dns = Dns::start(work.path(), &zone);
    add_account(home.path(), &dns, "Good", "letters@good.test");
    add_account(home.path(), &dns, "Bad", "letters@bad.test");

    let out = hemicycle(home.path(), &dns, &["account", "check-delivery", "Good"]);
    let text = common::stdout(&out);
    assert!(out.status.success(), "{text}{}", common::stderr(&out));
    assert!(
        text.contains("good.test's SPF record allows the relay 127.0.0.1 (SPF pass)"),
        "{text}"
    );
    assert!(text.contains("DMARC policy (p=reject)"), "{text}");
    assert!(!text.contains("warning:"), "{text}");
    assert!(text.contains("Nothing stands in the way"), "{text}");

    let out = hemicycle(home.path(), &dns, &["account", "check-delivery", "Bad"]);
    let text = common::stdout(&out);
    assert!(
        out.status.success(),
        "a failed check is no error: {text}{}",
        common::stderr(&out)
    );
    assert!(
        text.contains("warning: bad.test's SPF record does not allow the relay 127.0.0.1 (SPF fail)"),
        "{text}"
    );
    assert!(text.contains("warning: bad.test publishes no DMARC policy"), "{text}");

    // The pre-send check of a campaign sent from that account warns, and
    // does not block.
    let campaign = common::example_copy(&work.path().join("c"), |t| {
        t.replacen("[recipients]\n", "[recipients]\nmeps = [\"256814\"]\n", 1)
    });
    let out = hemicycle(
        home.path(),
        &dns,
        &["check", campaign.to_str().unwrap(), "--profile", "Bad"],
    );
    let all = format!("{}{}", common::stdout(&out), common::stderr(&out));
    assert!(all.contains("deliverability (checked on "), "{all}");
    assert!(all.contains("does not allow the relay 127.0.0.1"), "{all}");
    let dry = work.path().join("dry");
    let out = hemicycle(
        home.path(),
        &dns,
        &[
            "send",
            campaign.to_str().unwrap(),
            "--profile",
            "Bad",
            "--dry-run",
            dry.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
}

#[test]
fn no_records_and_an_unreachable_resolver_are_said_in_words() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let dns = Dns::start(work.path(), &serde_json::json!({"bare.test": {"A": ["192.0.2.1"]}}));
    add_account(home.path(), &dns, "Bare", "x@bare.test");
    let out = hemicycle(home.path(), &dns, &["account", "check-delivery", "Bare"]);
    let text = common::stdout(&out);
    assert!(text.contains("bare.test publishes no SPF record"), "{text}");
    assert!(text.contains("bare.test publishes no DMARC policy"), "{text}");
    drop(dns);
    // Nothing listens: the check says it could not look, in words.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hemicycle"))
        .args(["account", "check-delivery", "Bare"])
        .env("HEMICYCLE_HOME", home.path())
        .env("HEMICYCLE_DNS_SERVER", silent.local_addr().unwrap().to_string())
        .output()
        .unwrap();
    let text = common::stdout(&out);
    assert!(text.contains("Could not look up bare.test's records"), "{text}");
    assert!(text.contains("did not answer"), "{text}");
}

/// `--test-letter`: the letter to oneself goes through the real SMTP
/// server; the test plays the provider's delivery (it puts the letter into
/// Dovecot's Inbox with the `Authentication-Results` a Gmail receiver
/// writes); the check reads it back over IMAP and says it in words.
#[test]
#[allow(clippy::too_many_lines)] // the provider played step by step; the rule is for src/
fn the_test_letter_is_read_back_and_its_results_said_in_words() {
    use common::imap::{Mailboxes, PASSWORD, USER};
    let work = tempfile::tempdir().unwrap();
    let home = work.path().join("home");
    let (smtp, imap, ca) = common::imap::servers(work.path(), Mailboxes::Sent);
    let dns = Dns::start(
        work.path(),
        &serde_json::json!({
            "good.test": {"TXT": ["v=spf1 ip4:127.0.0.1 ip6:::1 -all"]},
            "_dmarc.good.test": {"TXT": ["v=DMARC1; p=quarantine"]},
        }),
    );
    let args = common::imap::account_add("Mine", &smtp, &imap, "ana@good.test", &ca, true);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let add = hemicycle(&home, &dns, &args);
    assert!(add.status.success(), "{}", common::stderr(&add));
    // The provider: each letter the server gets lands in the Inbox, with
    // the receiver's Authentication-Results on top.
    let inbox = work.path().join("mail").join(USER).join("Maildir");
    let deliver = {
        let dir = work.path().to_path_buf();
        let inbox = inbox.clone();
        std::thread::spawn(move || {
            let log = dir.join("received.jsonl");
            let deadline = std::time::Instant::now() + std::time::Duration::from_mins(2);
            while std::time::Instant::now() < deadline {
                if let Some(line) = std::fs::read_to_string(&log)
                    .ok()
                    .and_then(|t| t.lines().next().map(str::to_owned))
                {
                    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
                    let raw = common::smtp::raw_bytes(&v);
                    let mut mail = b"Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@good.test header.s=s1 header.b=Xy;\r\n       spf=pass (google.com: domain of ana@good.test designates 127.0.0.1 as permitted sender) smtp.mailfrom=ana@good.test;\r\n       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=good.test\r\n".to_vec();
                    mail.extend_from_slice(&raw);
                    // Dovecot runs as its own user: the folders it must
                    // write in are open to it, as the helper's `mail` is.
                    for sub in ["", "new", "cur", "tmp"] {
                        std::fs::create_dir_all(inbox.join(sub)).unwrap();
                        std::fs::set_permissions(
                            inbox.join(sub),
                            <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o777),
                        )
                        .unwrap();
                    }
                    std::fs::write(inbox.join("tmp/1.test"), &mail).unwrap();
                    std::fs::set_permissions(
                        inbox.join("tmp/1.test"),
                        <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o666),
                    )
                    .unwrap();
                    std::fs::rename(inbox.join("tmp/1.test"), inbox.join("new/1.test")).unwrap();
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        })
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hemicycle"))
        .args(["account", "check-delivery", "Mine", "--test-letter", "--wait", "60"])
        .env("HEMICYCLE_HOME", &home)
        .env("HEMICYCLE_DNS_SERVER", dns.address())
        .env("HEMICYCLE_SMTP_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    deliver.join().unwrap();
    let text = common::stdout(&out);
    assert!(out.status.success(), "{text}{}", common::stderr(&out));
    assert!(
        text.contains("ok: Your provider signs your letters (DKIM pass for good.test)."),
        "{text}"
    );
    assert!(
        text.contains("ok: Your domain allows this relay (SPF pass for good.test)."),
        "{text}"
    );
    assert!(text.contains("ok: DMARC passes"), "{text}");
    assert!(text.contains("allows the relay localhost (SPF pass)"), "{text}");
    assert!(!text.contains("warning:"), "{text}");
    assert_eq!(smtp.received().len(), 1, "one test letter, to oneself");
    assert_eq!(smtp.received()[0]["rcpt"], "ana@good.test");
}
