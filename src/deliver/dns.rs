//! A small DNS client: TXT, A, AAAA and MX questions over UDP (TCP when the
//! answer is truncated) to the system's resolver, for the deliverability
//! check's SPF and DMARC records. No cache, no recursion of its own: the
//! resolver named in `/etc/resolv.conf` does that.
//!
//! The resolver is the first `nameserver` of `/etc/resolv.conf` (Windows
//! and systems without the file: the public resolvers are not asked; the
//! check says it could not look). `HEMICYCLE_DNS_SERVER` (`127.0.0.1:5353`)
//! names another, for tests only.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, UdpSocket};
use std::time::Duration;

/// The test resolver's address, `IP:PORT`.
pub const SERVER_ENV: &str = "HEMICYCLE_DNS_SERVER";

/// The largest answer read (over TCP; UDP answers are at most 4096 bytes).
const MAX_ANSWER: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DnsError {
    #[error("no DNS resolver is configured on this computer (no nameserver in /etc/resolv.conf)")]
    NoResolver,
    #[error("the DNS resolver {server} did not answer ({reason})")]
    NoAnswer { server: String, reason: String },
    #[error("the DNS resolver {server} could not look up {name} (error {rcode})")]
    Failed { server: String, name: String, rcode: u8 },
    #[error("the DNS resolver {server} sent an answer that could not be read")]
    Malformed { server: String },
    #[error("\"{0}\" is not a domain name")]
    BadName(String),
}

/// The record types asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    A = 1,
    Mx = 15,
    Txt = 16,
    Aaaa = 28,
}

/// One answer record's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A TXT record's strings joined (an SPF record split into 255-byte
    /// pieces reads as one).
    Txt(String),
    Ip(IpAddr),
    /// An MX record's host.
    Mx(String),
}

/// The resolver to ask: `HEMICYCLE_DNS_SERVER`, or the first nameserver of
/// `/etc/resolv.conf`.
pub fn system_resolver() -> Result<SocketAddr, DnsError> {
    if let Ok(own) = std::env::var(SERVER_ENV)
        && let Ok(addr) = own.trim().parse::<SocketAddr>()
    {
        return Ok(addr);
    }
    let conf = std::fs::read_to_string("/etc/resolv.conf").map_err(|_| DnsError::NoResolver)?;
    nameserver_of(&conf).ok_or(DnsError::NoResolver)
}

/// The first `nameserver` line of a resolv.conf (an IPv6 address may carry
/// a zone, `fe80::1%eth0`, which is dropped).
fn nameserver_of(conf: &str) -> Option<SocketAddr> {
    conf.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some("nameserver"))
            .then(|| words.next())
            .flatten()
            .and_then(|ip| ip.split('%').next()?.parse::<IpAddr>().ok())
            .map(|ip| SocketAddr::new(ip, 53))
    })
}

/// A resolver at one address.
#[derive(Debug, Clone)]
pub struct Resolver {
    pub server: SocketAddr,
    pub timeout: Duration,
}

impl Resolver {
    pub fn system() -> Result<Self, DnsError> {
        Ok(Self {
            server: system_resolver()?,
            timeout: Duration::from_secs(4),
        })
    }

    /// The records of `kind` at `name`; none when the name does not exist.
    pub fn lookup(&self, name: &str, kind: Type) -> Result<Vec<Record>, DnsError> {
        let id = query_id(name);
        let question = encode_query(id, name, kind)?;
        let server = self.server.to_string();
        let mut last = String::new();
        for _ in 0..2 {
            match self.udp(&question) {
                Ok(answer) => match parse_answer(&answer, id, kind, &server, name)? {
                    Parsed::Records(records) => return Ok(records),
                    Parsed::Truncated => {
                        let answer = self.tcp(&question).map_err(|e| DnsError::NoAnswer {
                            server: server.clone(),
                            reason: e.to_string(),
                        })?;
                        return match parse_answer(&answer, id, kind, &server, name)? {
                            Parsed::Records(records) => Ok(records),
                            Parsed::Truncated => Err(DnsError::Malformed { server }),
                        };
                    }
                },
                Err(e) => last = e.to_string(),
            }
        }
        Err(DnsError::NoAnswer { server, reason: last })
    }

    /// The TXT strings at `name`.
    pub fn txt(&self, name: &str) -> Result<Vec<String>, DnsError> {
        Ok(self
            .lookup(name, Type::Txt)?
            .into_iter()
            .filter_map(|r| match r {
                Record::Txt(t) => Some(t),
                _ => None,
            })
            .collect())
    }

    fn udp(&self, question: &[u8]) -> std::io::Result<Vec<u8>> {
        let bind: SocketAddr = if self.server.is_ipv4() {
            (Ipv4Addr::UNSPECIFIED, 0).into()
        } else {
            (Ipv6Addr::UNSPECIFIED, 0).into()
        };
        let socket = UdpSocket::bind(bind)?;
        socket.set_read_timeout(Some(self.timeout))?;
        socket.connect(self.server)?;
        socket.send(question)?;
        let mut buf = vec![0u8; 4096];
        let n = socket.recv(&mut buf)?;
        buf.truncate(n);
        Ok(buf)
    }

    fn tcp(&self, question: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut stream = TcpStream::connect_timeout(&self.server, self.timeout)?;
        stream.set_read_timeout(Some(self.timeout))?;
        stream.set_write_timeout(Some(self.timeout))?;
        let len = u16::try_from(question.len()).map_err(std::io::Error::other)?;
        let mut out = len.to_be_bytes().to_vec();
        out.extend_from_slice(question);
        stream.write_all(&out)?;
        let mut len = [0u8; 2];
        stream.read_exact(&mut len)?;
        let len = usize::from(u16::from_be_bytes(len)).min(MAX_ANSWER);
        let mut buf = vec![0u8; len];
        stream.read_exact(&mut buf)?;
        Ok(buf)
    }
}

/// A query id that differs between questions and runs.
fn query_id(name: &str) -> u16 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    let mut hash: u32 = nanos ^ std::process::id().rotate_left(16);
    for b in name.bytes() {
        hash = hash.wrapping_mul(31).wrapping_add(u32::from(b));
    }
    let [a, b, c, d] = hash.to_be_bytes();
    u16::from_be_bytes([a ^ c, b ^ d])
}

/// A question with recursion desired and an EDNS0 record (4096 bytes).
fn encode_query(id: u16, name: &str, kind: Type) -> Result<Vec<u8>, DnsError> {
    let mut q = Vec::with_capacity(64);
    q.extend_from_slice(&id.to_be_bytes());
    q.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]);
    let name = name.trim().trim_end_matches('.');
    if name.is_empty() || name.len() > 253 {
        return Err(DnsError::BadName(name.to_owned()));
    }
    for label in name.split('.') {
        let len = u8::try_from(label.len()).unwrap_or(0);
        let ok = (1..=63).contains(&len)
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            return Err(DnsError::BadName(name.to_owned()));
        }
        q.push(len);
        q.extend_from_slice(label.as_bytes());
    }
    q.push(0);
    q.extend_from_slice(&(kind as u16).to_be_bytes());
    q.extend_from_slice(&1u16.to_be_bytes());
    // OPT: root name, type 41, payload 4096, no flags, no options.
    q.extend_from_slice(&[0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0]);
    Ok(q)
}

enum Parsed {
    Records(Vec<Record>),
    Truncated,
}

/// Reads an answer to question `id`: its records of `kind`.
fn parse_answer(buf: &[u8], id: u16, kind: Type, server: &str, name: &str) -> Result<Parsed, DnsError> {
    let bad = || DnsError::Malformed {
        server: server.to_owned(),
    };
    let header = buf.get(..12).ok_or_else(bad)?;
    if u16::from_be_bytes([header[0], header[1]]) != id || header[2] & 0x80 == 0 {
        return Err(bad());
    }
    if header[2] & 0x02 != 0 {
        return Ok(Parsed::Truncated);
    }
    match header[3] & 0x0f {
        0 => {}
        3 => return Ok(Parsed::Records(Vec::new())),
        rcode => {
            return Err(DnsError::Failed {
                server: server.to_owned(),
                name: name.to_owned(),
                rcode,
            });
        }
    }
    let questions = u16::from_be_bytes([header[4], header[5]]);
    let answers = u16::from_be_bytes([header[6], header[7]]);
    let mut at = 12;
    for _ in 0..questions {
        at = skip_name(buf, at).ok_or_else(bad)? + 4;
    }
    let mut records = Vec::new();
    for _ in 0..answers {
        at = skip_name(buf, at).ok_or_else(bad)?;
        let fixed = buf.get(at..at + 10).ok_or_else(bad)?;
        let rtype = u16::from_be_bytes([fixed[0], fixed[1]]);
        let len = usize::from(u16::from_be_bytes([fixed[8], fixed[9]]));
        let data_at = at + 10;
        let data = buf.get(data_at..data_at + len).ok_or_else(bad)?;
        at = data_at + len;
        if rtype != kind as u16 {
            continue; // a CNAME on the way
        }
        records.push(read_record(buf, data_at, data, kind).ok_or_else(bad)?);
    }
    Ok(Parsed::Records(records))
}

fn read_record(buf: &[u8], data_at: usize, data: &[u8], kind: Type) -> Option<Record> {
    Some(match kind {
        Type::Txt => {
            let mut text = Vec::new();
            let mut i = 0;
            while i < data.len() {
                let n = usize::from(data[i]);
                text.extend_from_slice(data.get(i + 1..i + 1 + n)?);
                i += 1 + n;
            }
            Record::Txt(String::from_utf8_lossy(&text).into_owned())
        }
        Type::A => Record::Ip(IpAddr::from(<[u8; 4]>::try_from(data).ok()?)),
        Type::Aaaa => Record::Ip(IpAddr::from(<[u8; 16]>::try_from(data).ok()?)),
        Type::Mx => Record::Mx(read_name(buf, data_at + 2)?),
    })
}

/// The offset after the name at `at` (labels or a compression pointer).
fn skip_name(buf: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let len = *buf.get(at)?;
        match len {
            0 => return Some(at + 1),
            l if l & 0xc0 == 0xc0 => return Some(at + 2),
            l => at += 1 + usize::from(l),
        }
    }
}

/// The name at `at`, following compression pointers (at most 32).
fn read_name(buf: &[u8], mut at: usize) -> Option<String> {
    let mut labels: Vec<String> = Vec::new();
    for _ in 0..128 {
        let len = *buf.get(at)?;
        if len == 0 {
            return Some(labels.join("."));
        }
        if len & 0xc0 == 0xc0 {
            at = usize::from(u16::from_be_bytes([len & 0x3f, *buf.get(at + 1)?]));
            continue;
        }
        let label = buf.get(at + 1..at + 1 + usize::from(len))?;
        labels.push(String::from_utf8_lossy(label).into_owned());
        at += 1 + usize::from(len);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_nameserver_of_resolv_conf() {
        let conf = "# generated\nsearch lan\nnameserver fe80::1%eth0\nnameserver 10.0.0.1\n";
        assert_eq!(nameserver_of(conf), Some("[fe80::1]:53".parse().unwrap()));
        assert_eq!(
            nameserver_of("nameserver 127.0.0.53\n"),
            Some("127.0.0.53:53".parse().unwrap())
        );
        assert_eq!(nameserver_of("options edns0\n"), None);
    }

    #[test]
    fn names_are_checked_before_asking() {
        assert!(encode_query(1, "_dmarc.example.org", Type::Txt).is_ok());
        for bad in ["", "a..b", "a b.org", "x\r\n.org", &"a".repeat(64)] {
            assert!(encode_query(1, bad, Type::Txt).is_err(), "{bad}");
        }
    }

    /// An answer with a compressed name, a TXT record in two strings, and
    /// answers cut short anywhere: read, or refused, never a panic.
    #[test]
    fn answers_are_read_and_cut_ones_refused() {
        let q = encode_query(7, "org.eu", Type::Txt).unwrap();
        let mut a = q[..q.len() - 11].to_vec();
        a[2] = 0x81;
        a[3] = 0x80;
        a[7] = 1; // one answer
        a[11] = 0; // no additional
        a.extend_from_slice(&[0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 10, 4]);
        a.extend_from_slice(b"v=sp");
        a.push(4);
        a.extend_from_slice(b"f1 a");
        match parse_answer(&a, 7, Type::Txt, "s", "org.eu") {
            Ok(Parsed::Records(r)) => assert_eq!(r, [Record::Txt("v=spf1 a".into())]),
            _ => panic!("not read"),
        }
        for cut in 0..a.len() {
            assert!(parse_answer(&a[..cut], 7, Type::Txt, "s", "org.eu").is_err(), "{cut}");
        }
        assert!(parse_answer(&a, 8, Type::Txt, "s", "org.eu").is_err());
    }
}
