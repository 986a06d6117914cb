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
