//! The deliverability check before the first real letter: whether the
//! From address's domain publishes SPF and DMARC, whether its SPF allows
//! the relay the account sends through, and what the receiving side said
//! of the test letter to oneself (`Authentication-Results`: SPF, DKIM,
//! DMARC) — in plain words, with what to ask the IT person when it fails.
//!
//! The DNS records are read through [`super::dns`] (the system's resolver).
//! SPF is evaluated as far as the basics go (RFC 7208: `ip4`, `ip6`, `a`,
//! `mx`, `include`, `redirect`, `all`, with qualifiers), at most 10 lookups
//! deep; `exists`, `ptr` and macros make the answer "not sure". A failure
//! is a warning in the pre-send check (`check::report`), never a block.

use std::net::IpAddr;

use super::dns::{DnsError, Record, Resolver, Type};

/// What SPF says of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spf {
    Pass,
    Fail,
    SoftFail,
    Neutral,
    /// The domain publishes no SPF record.
    NoRecord,
    /// The record uses what this check does not evaluate, or is broken.
    Unsure(String),
}

/// The SPF record of `domain` and what it says of `relay` (when known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainCheck {
    pub domain: String,
    /// The SPF record, if one.
    pub spf_record: Option<String>,
    /// What SPF says of each address of the relay.
    pub relay: Option<(String, Spf)>,
    /// The DMARC policy: none, quarantine, reject; `None` without a record.
    pub dmarc: Option<String>,
    /// Problems looking things up.
    pub errors: Vec<String>,
}

/// At most this many DNS-querying terms (RFC 7208 §4.6.4).
const MAX_LOOKUPS: usize = 10;

/// Looks up `domain`'s SPF and DMARC records and, for `relay_ips` (the
/// addresses of the relay host, `relay_name` in words), what SPF says.
pub fn check_domain(resolver: &Resolver, domain: &str, relay: Option<(&str, &[IpAddr])>) -> DomainCheck {
    let mut check = DomainCheck {
        domain: domain.to_owned(),
        spf_record: None,
        relay: None,
        dmarc: None,
        errors: Vec::new(),
    };
    match spf_record(resolver, domain) {
        Ok(record) => check.spf_record = record,
        Err(e) => check.errors.push(e.to_string()),
    }
    if let Some((name, ips)) = relay
        && !ips.is_empty()
    {
        let verdict = ips
            .iter()
            .map(|ip| evaluate(resolver, domain, *ip, &mut 0))
            .reduce(|a, b| if a == Spf::Pass { b } else { a })
            .unwrap_or(Spf::NoRecord);
        check.relay = Some((name.to_owned(), verdict));
    }
    match dmarc_policy(resolver, domain) {
        Ok(policy) => check.dmarc = policy,
        Err(e) => check.errors.push(e.to_string()),
    }
    check
}

/// The one `v=spf1` record of `domain`.
fn spf_record(resolver: &Resolver, domain: &str) -> Result<Option<String>, DnsError> {
    let records: Vec<String> = resolver.txt(domain)?.into_iter().filter(|t| is_spf(t)).collect();
    Ok(records.into_iter().next())
}

fn is_spf(text: &str) -> bool {
    let t = text.trim_start().to_ascii_lowercase();
    t == "v=spf1" || t.starts_with("v=spf1 ")
}

/// The DMARC policy of `domain`, or of its organisational domain (the last
/// two labels: without the public-suffix list, `example.co.uk` is looked up
/// at `co.uk`, which publishes none).
fn dmarc_policy(resolver: &Resolver, domain: &str) -> Result<Option<String>, DnsError> {
    if let Some(policy) = dmarc_at(resolver, domain, "p")? {
        return Ok(Some(policy));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() > 2 {
        return dmarc_at(resolver, &labels[labels.len() - 2..].join("."), "sp");
    }
    Ok(None)
}

/// The policy `tag` (or `p`) of the DMARC record at `_dmarc.DOMAIN`.
fn dmarc_at(resolver: &Resolver, domain: &str, tag: &str) -> Result<Option<String>, DnsError> {
    Ok(resolver
        .txt(&format!("_dmarc.{domain}"))?
        .iter()
        .find_map(|text| dmarc_tag(text, tag).or_else(|| dmarc_tag(text, "p"))))
}

/// The value of `tag` in a DMARC record (`v=DMARC1; p=reject; …`).
fn dmarc_tag(record: &str, tag: &str) -> Option<String> {
    let mut parts = record.split(';').map(str::trim);
    if !parts.next()?.eq_ignore_ascii_case("v=DMARC1") {
        return None;
    }
    parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(tag)
            .then(|| v.trim().to_ascii_lowercase())
    })
}

/// What `domain`'s SPF says of `ip`; `lookups` counts the DNS terms.
fn evaluate(resolver: &Resolver, domain: &str, ip: IpAddr, lookups: &mut usize) -> Spf {
    let record = match spf_record(resolver, domain) {
        Ok(Some(r)) => r,
        Ok(None) => return Spf::NoRecord,
        Err(e) => return Spf::Unsure(e.to_string()),
    };
    let mut redirect = None;
    for term in record.split_whitespace().skip(1) {
        let lower = term.to_ascii_lowercase();
        if let Some(target) = lower.strip_prefix("redirect=") {
            redirect = Some(target.to_owned());
            continue;
        }
        if lower.contains('=') {
            continue; // exp= and unknown modifiers
        }
        let (qualifier, mechanism) = match lower.chars().next() {
            Some(q @ ('+' | '-' | '~' | '?')) => (q, &lower[1..]),
            _ => ('+', lower.as_str()),
        };
        match matches(resolver, domain, mechanism, ip, lookups) {
            Ok(true) => return qualified(qualifier),
            Ok(false) => {}
            Err(why) => return Spf::Unsure(why),
        }
    }
    match redirect {
        Some(target) => {
            *lookups += 1;
            if *lookups > MAX_LOOKUPS {
                return Spf::Unsure("the SPF record needs more than 10 lookups".into());
            }
            match evaluate(resolver, &target, ip, lookups) {
                Spf::NoRecord => Spf::Unsure(format!("its redirect {target} has no SPF record")),
                other => other,
            }
        }
        None => Spf::Neutral,
    }
}

fn qualified(qualifier: char) -> Spf {
    match qualifier {
        '-' => Spf::Fail,
        '~' => Spf::SoftFail,
        '?' => Spf::Neutral,
        _ => Spf::Pass,
    }
}

/// Whether one mechanism matches `ip`.
fn matches(
    resolver: &Resolver,
    domain: &str,
    mechanism: &str,
    ip: IpAddr,
    lookups: &mut usize,
) -> Result<bool, String> {
    let (name, arg) = mechanism
        .split_once(':')
        .map_or((mechanism, None), |(n, a)| (n, Some(a)));
    let (arg, prefix) = match arg.map(|a| a.split_once('/').map_or((a, None), |(a, p)| (a, Some(p)))) {
        Some((a, p)) => (Some(a), p),
        None => (None, None),
    };
    let (name, prefix) = match (name.split_once('/'), prefix) {
        (Some((n, p)), None) => (n, Some(p)),
        _ => (name, prefix),
    };
    if arg.is_some_and(|a| a.contains('%')) {
        return Err(format!(
            "the SPF term \"{mechanism}\" uses macros, which this check does not follow"
        ));
    }
    let mut count = || {
        *lookups += 1;
        if *lookups > MAX_LOOKUPS {
            Err("the SPF record needs more than 10 lookups".to_owned())
        } else {
            Ok(())
        }
    };
    match name {
        "all" => Ok(true),
        "ip4" | "ip6" => {
            let net: IpAddr = arg
                .and_then(|a| a.parse().ok())
                .ok_or_else(|| format!("the SPF term \"{mechanism}\" is not an address"))?;
            Ok(in_network(ip, net, prefix))
        }
        "a" => {
            count()?;
            let host = arg.unwrap_or(domain);
            Ok(addresses(resolver, host)?.iter().any(|a| in_network(ip, *a, prefix)))
        }
        "mx" => {
            count()?;
            let host = arg.unwrap_or(domain);
            let hosts = resolver.lookup(host, Type::Mx).map_err(|e| e.to_string())?;
            for mx in hosts.into_iter().take(10) {
                if let Record::Mx(mx) = mx
                    && addresses(resolver, &mx)?.iter().any(|a| in_network(ip, *a, prefix))
                {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        "include" => {
            count()?;
            let target = arg.ok_or_else(|| "an SPF include without a domain".to_owned())?;
            match evaluate(resolver, target, ip, lookups) {
                Spf::Pass => Ok(true),
                Spf::Fail | Spf::SoftFail | Spf::Neutral => Ok(false),
                Spf::NoRecord => Err(format!("its include {target} has no SPF record")),
                Spf::Unsure(why) => Err(why),
            }
        }
        other => Err(format!(
            "the SPF record uses \"{other}\", which this check does not evaluate"
        )),
    }
}

fn addresses(resolver: &Resolver, host: &str) -> Result<Vec<IpAddr>, String> {
    let mut all = Vec::new();
    for kind in [Type::A, Type::Aaaa] {
        for r in resolver.lookup(host, kind).map_err(|e| e.to_string())? {
            if let Record::Ip(ip) = r {
                all.push(ip);
            }
        }
    }
    Ok(all)
}

/// Whether `ip` is in `net`/`prefix` (the whole address without a prefix).
fn in_network(ip: IpAddr, net: IpAddr, prefix: Option<&str>) -> bool {
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let bits = prefix.and_then(|p| p.parse::<u32>().ok()).unwrap_or(32).min(32);
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let bits = prefix.and_then(|p| p.parse::<u32>().ok()).unwrap_or(128).min(128);
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

/// One method's result in an `Authentication-Results` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthResult {
    /// spf, dkim, dmarc (lower case).
    pub method: String,
    /// pass, fail, softfail, neutral, none, temperror, permerror…
    pub result: String,
    /// The domain it is about (smtp.mailfrom, header.d or header.i, header.from).
    pub domain: String,
}

/// The results of an `Authentication-Results` header value (RFC 8601):
/// Gmail's (`mx.google.com; dkim=pass header.i=@org.eu …`) and Microsoft
/// 365's (no server id first: `spf=pass (sender IP is …) smtp.mailfrom=…`).
/// Comments in parentheses are dropped; unknown methods are kept.
pub fn parse_authentication_results(value: &str) -> Vec<AuthResult> {
    let text = without_comments(value);
    let mut out = Vec::new();
    for part in text.split(';') {
        let mut words = part.split_whitespace();
        let Some(first) = words.next() else { continue };
        let Some((method, result)) = first.split_once('=') else {
            continue; // the server's id, or "none"
        };
        let method = method.to_ascii_lowercase();
        if method.contains('.') {
            continue;
        }
        let domain = words
            .filter_map(|w| w.split_once('='))
            .find(|(k, _)| {
                matches!(
                    k.to_ascii_lowercase().as_str(),
                    "smtp.mailfrom" | "header.d" | "header.i" | "header.from"
                )
            })
            .map(|(_, v)| {
                let v = v.trim_matches('"');
                v.rsplit('@').next().unwrap_or(v).to_ascii_lowercase()
            })
            .unwrap_or_default();
        out.push(AuthResult {
            method,
            result: result.to_ascii_lowercase(),
            domain,
        });
    }
    out
}

/// `text` without `(comments)` (nested ones too) and quoted strings' contents kept.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0u32;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(if c.is_control() { ' ' } else { c }),
            _ => {}
        }
    }
    out
}

/// The first `Authentication-Results` header of a message's header block
/// (the one the receiving server added last sits on top), unfolded.
pub fn authentication_results_of(headers: &str) -> Option<String> {
    let mut found: Option<String> = None;
    for line in headers.split('\n').map(|l| l.trim_end_matches('\r')) {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(v) = found.as_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if found.is_some() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("Authentication-Results")
        {
            found = Some(value.trim().to_owned());
        }
    }
    found
}

/// What the results say, in plain words; a problem line per failure with
/// what to ask the IT person.
pub fn results_in_words(results: &[AuthResult]) -> (Vec<String>, Vec<String>) {
    let get = |m: &str| results.iter().find(|r| r.method == m);
    let mut good = Vec::new();
    let mut bad = Vec::new();
    match get("dkim") {
        Some(r) if r.result == "pass" => good.push(format!("Your provider signs your letters (DKIM pass{}).", of(r))),
        Some(r) => bad.push(format!(
            "Your letters are not signed in a way the receiver accepts (DKIM {}{}): ask the person who runs your mail to turn on DKIM signing for your domain.",
            r.result,
            of(r)
        )),
        None => bad.push("The receiver did not check a DKIM signature: your letters are probably not signed; ask the person who runs your mail to turn on DKIM signing.".to_owned()),
    }
    match get("spf") {
        Some(r) if r.result == "pass" => good.push(format!("Your domain allows this relay (SPF pass{}).", of(r))),
        Some(r) => bad.push(format!(
            "Your domain's SPF record does not list the server your letters leave from (SPF {}{}): ask the person who runs your domain to add your mail provider to it.",
            r.result,
            of(r)
        )),
        None => {}
    }
    match get("dmarc") {
        Some(r) if r.result == "pass" => good.push(format!("DMARC passes{}.", of(r))),
        Some(r) => bad.push(format!(
            "DMARC {}{}: the receiver may reject or file away your letters; ask the person who runs your domain to align SPF or DKIM with your From address.",
            r.result,
            of(r)
        )),
        None => {}
    }
    (good, bad)
}

fn of(r: &AuthResult) -> String {
    if r.domain.is_empty() {
        String::new()
    } else {
        format!(" for {}", r.domain)
    }
}

impl DomainCheck {
    /// The check in plain words: what is fine, and what to worry about.
    pub fn in_words(&self) -> (Vec<String>, Vec<String>) {
        let d = &self.domain;
        let mut good = Vec::new();
        let mut bad: Vec<String> = self
            .errors
            .iter()
            .map(|e| format!("Could not look up {d}'s records: {e}."))
            .collect();
        match &self.spf_record {
            Some(r) => good.push(format!("{d} publishes an SPF record: {r}")),
            None if self.errors.is_empty() => bad.push(format!(
                "{d} publishes no SPF record: receivers cannot tell which servers may send its mail; ask the person who runs the domain to add one."
            )),
            None => {}
        }
        if let Some((relay, verdict)) = &self.relay {
            match verdict {
                Spf::Pass => good.push(format!("{d}'s SPF record allows the relay {relay} (SPF pass).")),
                Spf::NoRecord => {}
                Spf::Unsure(why) => bad.push(format!("Could not tell whether {d}'s SPF allows the relay {relay}: {why}.")),
                other => bad.push(format!(
                    "{d}'s SPF record does not allow the relay {relay} (SPF {}): letters from it may be filtered or rejected; ask the person who runs the domain to add the relay (or its provider's include) to the SPF record.",
                    spf_word(other)
                )),
            }
        }
        match self.dmarc.as_deref() {
            Some("reject" | "quarantine") => good.push(format!(
                "{d} has a DMARC policy (p={}): letters that fail SPF and DKIM are {}.",
                self.dmarc.as_deref().unwrap_or_default(),
                if self.dmarc.as_deref() == Some("reject") { "rejected" } else { "filed as spam" }
            )),
            Some(p) => good.push(format!("{d} has a DMARC record (p={p}): receivers only report.")),
            None if self.errors.is_empty() => bad.push(format!(
                "{d} publishes no DMARC policy: some receivers (the European Parliament's among them) trust its letters less; ask the person who runs the domain to add one."
            )),
            None => {}
        }
        (good, bad)
    }
}

fn spf_word(spf: &Spf) -> &'static str {
    match spf {
        Spf::Pass => "pass",
        Spf::Fail => "fail",
        Spf::SoftFail => "softfail",
        Spf::Neutral => "neutral",
        Spf::NoRecord => "none",
        Spf::Unsure(_) => "unknown",
    }
}

/// The DNS part of the check for a mail account: its From domain's SPF and
/// DMARC, and whether SPF allows the account's SMTP server (its addresses,
/// looked up through the system).
pub fn check_account(profile: &super::profile::Profile, resolver: &Resolver) -> Saved {
    use std::net::ToSocketAddrs;
    let domain = profile
        .from_email
        .trim()
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').to_ascii_lowercase())
        .unwrap_or_default();
    let host = profile.host.trim();
    let ips: Vec<IpAddr> = (host, profile.port)
        .to_socket_addrs()
        .map(|a| a.map(|s| s.ip()).collect())
        .unwrap_or_default();
    let relay = (!host.is_empty()).then_some((host, ips.as_slice()));
    let check = check_domain(resolver, &domain, relay);
    let (good, problems) = check.in_words();
    Saved {
        checked_at: super::journal::now_rfc3339(),
        domain,
        good,
        problems,
    }
}

/// A short test letter from the account to itself, with its Message-ID.
pub fn test_letter(profile: &super::profile::Profile) -> Result<(Vec<u8>, String), String> {
    let from: lettre::message::Mailbox = profile.from_email.trim().parse().map_err(|_| {
        format!(
            "\"{}\" is not a valid From address; correct the mail account",
            profile.from_email
        )
    })?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let domain = profile
        .from_email
        .trim()
        .rsplit('@')
        .next()
        .unwrap_or("hemicycle.invalid");
    let id = format!("<hemicycle-test.{nanos:x}.{}@{domain}>", std::process::id());
    let message = lettre::Message::builder()
        .message_id(Some(id.clone()))
        .from(from.clone())
        .to(from)
        .subject("Hemicycle deliverability test")
        .user_agent(format!("Hemicycle {}", env!("CARGO_PKG_VERSION")))
        .body("A test letter Hemicycle sent to itself, to read what your provider's checks say of it (SPF, DKIM, DMARC). You may delete it.\n".to_owned())
        .map_err(|e| e.to_string())?;
    Ok((message.formatted(), id))
}

/// Looks for the message `message_id` in the account's Inbox (read-only),
/// for at most `wait`; its `Authentication-Results` when it arrived
/// (empty when the server added none), `None` when it did not arrive.
pub fn results_of(
    account: &super::sent_folder::SentFolder,
    message_id: &str,
    wait: std::time::Duration,
) -> Result<Option<Vec<AuthResult>>, super::sent_folder::SentCopyError> {
    if !crate::render::eml::is_message_id(message_id) {
        return Ok(None);
    }
    let deadline = std::time::Instant::now() + wait;
    loop {
        let look = look_once(account, message_id);
        if let Some(found) = look? {
            return Ok(Some(found));
        }
        if std::time::Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
}

/// One session: the Inbox examined once (the `imap` crate cannot read a
/// second EXAMINE's answer when new mail is announced in it), the letter
/// searched by its Message-ID, its header read.
fn look_once(
    account: &super::sent_folder::SentFolder,
    message_id: &str,
) -> Result<Option<Vec<AuthResult>>, super::sent_folder::SentCopyError> {
    let (mut session, budget) = account.login()?;
    budget.renew(std::time::Duration::from_secs(30));
    let result = (|| {
        account.examine(&mut session, "INBOX")?;
        let uids = session
            .uid_search(format!("HEADER Message-ID \"{message_id}\""))
            .map_err(|e| account.broken(&e))?;
        let Some(uid) = uids.into_iter().max() else {
            return Ok(None);
        };
        // RFC822.HEADER is BODY.PEEK[HEADER] (no \Seen), as the crate reads it.
        let fetches = session
            .uid_fetch(uid.to_string(), "RFC822.HEADER")
            .map_err(|e| account.broken(&e))?;
        Ok(fetches.iter().find_map(|f| {
            let h = f.header()?;
            let h = String::from_utf8_lossy(&h[..h.len().min(256 * 1024)]);
            Some(
                authentication_results_of(&h)
                    .map(|v| parse_authentication_results(&v))
                    .unwrap_or_default(),
            )
        }))
    })();
    let _ = session.logout();
    result
}

/// The last deliverability check of an account, kept beside its sent
/// ledger so that every later pre-send check can warn about what failed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Saved {
    /// UTC, RFC 3339.
    pub checked_at: String,
    pub domain: String,
    /// What is fine, in words.
    pub good: Vec<String>,
    /// What may keep letters from arriving, in words, with what to ask.
    pub problems: Vec<String>,
}

/// The file of the account that sends as `sender`: its ledger's name with
/// `.delivery.json`.
pub fn path_for(ledgers: &std::path::Path, sender: &str) -> std::path::PathBuf {
    super::ledger::path_for(ledgers, sender).with_extension("delivery.json")
}

impl Saved {
    /// Reads the saved check; none when there is none or it cannot be read
    /// (the next check writes it again).
    pub fn read(path: &std::path::Path) -> Option<Self> {
        let bytes = crate::store::read_bounded(path, 1 << 20, "the deliverability check").ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Writes it atomically.
    pub fn write(&self, path: &std::path::Path) -> Result<(), crate::store::WriteError> {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        crate::store::write_atomic(path, &bytes, "the deliverability check")
    }

    /// "6 December 2026", the day it was checked.
    pub fn day(&self) -> &str {
        self.checked_at.get(..10).unwrap_or(&self.checked_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_match_with_and_without_a_prefix() {
        let ip: IpAddr = "192.0.2.77".parse().unwrap();
        assert!(in_network(ip, "192.0.2.0".parse().unwrap(), Some("24")));
        assert!(!in_network(ip, "192.0.3.0".parse().unwrap(), Some("24")));
        assert!(in_network(ip, "192.0.2.77".parse().unwrap(), None));
        assert!(in_network(ip, "10.0.0.0".parse().unwrap(), Some("0")));
        let v6: IpAddr = "2001:db8::5".parse().unwrap();
        assert!(in_network(v6, "2001:db8::".parse().unwrap(), Some("32")));
        assert!(!in_network(v6, "192.0.2.0".parse().unwrap(), Some("24")));
    }

    /// Real-shaped headers: Gmail's (server id first, folded, comments with
    /// semicolons-free text) and Microsoft 365's (no server id, `compauth`).
    #[test]
    fn authentication_results_of_gmail_and_microsoft_365() {
        let gmail = "Delivered-To: me@org.eu\r\nReceived: by 2002:a05:6a10\r\nAuthentication-Results: mx.google.com;\r\n       dkim=pass header.i=@org.eu header.s=s1 header.b=Ab12Cd;\r\n       spf=pass (google.com: domain of me@org.eu designates 209.85.220.41 as permitted sender) smtp.mailfrom=me@org.eu;\r\n       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=org.eu\r\nReturn-Path: <me@org.eu>\r\n\r\nbody";
        let value = authentication_results_of(gmail).unwrap();
        let r = parse_authentication_results(&value);
        let short: Vec<_> = r
            .iter()
            .map(|r| (r.method.as_str(), r.result.as_str(), r.domain.as_str()))
            .collect();
        assert_eq!(
            short,
            [
                ("dkim", "pass", "org.eu"),
                ("spf", "pass", "org.eu"),
                ("dmarc", "pass", "org.eu")
            ]
        );
        let (good, bad) = results_in_words(&r);
        assert!(bad.is_empty(), "{bad:?}");
        assert!(good[0].contains("signs your letters (DKIM pass") && good[1].contains("allows this relay (SPF pass"));

        let m365 = "Received: from AM0PR01 (2603:10a6::1) by AM9PR02\r\nAuthentication-Results: spf=softfail (sender IP is 203.0.113.9)\r\n smtp.mailfrom=ngo.example; dkim=none (message not signed)\r\n header.d=none;dmarc=fail action=quarantine\r\n header.from=ngo.example;compauth=fail reason=001\r\nX-MS-Exchange-Organization-AuthAs: Anonymous\r\n\r\n";
        let r = parse_authentication_results(&authentication_results_of(m365).unwrap());
        let short: Vec<_> = r.iter().map(|r| (r.method.as_str(), r.result.as_str())).collect();
        assert_eq!(
            short,
            [
                ("spf", "softfail"),
                ("dkim", "none"),
                ("dmarc", "fail"),
                ("compauth", "fail")
            ]
        );
        let (good, bad) = results_in_words(&r);
        assert!(good.is_empty(), "{good:?}");
        assert_eq!(bad.len(), 3);
        assert!(bad[0].contains("turn on DKIM") && bad[1].contains("SPF softfail") && bad[2].contains("DMARC fail"));
    }

    #[test]
    fn a_message_without_results_and_hostile_text() {
        assert_eq!(
            authentication_results_of("From: a@b\r\n\r\nAuthentication-Results: x; spf=pass"),
            None
        );
        let r = parse_authentication_results("x; spf=pass ((nested) ; comment) smtp.mailfrom=\"a@b.eu\"; \u{7}");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].domain, "b.eu");
    }

    #[test]
    fn dmarc_tags_are_read() {
        assert_eq!(
            dmarc_tag("v=DMARC1; p=reject; rua=mailto:x@y", "p").as_deref(),
            Some("reject")
        );
        assert_eq!(dmarc_tag("v=DMARC1;p=none", "sp"), None);
        assert_eq!(dmarc_tag("v=spf1 -all", "p"), None);
        assert!(is_spf("v=spf1 -all") && !is_spf("v=spf10") && is_spf("V=SPF1"));
    }
}
