//! A small DNS server for the tests (`tests/dns/server.py`): TXT, A, AAAA
//! and MX answers over UDP on 127.0.0.1 from a zone the test writes.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct Dns {
    child: Child,
    pub port: u16,
}

impl Dns {
    /// Serves `zone` (JSON: name → {"TXT": [...], "A": [...], "MX": [...]}).
    pub fn start(dir: &Path, zone: &serde_json::Value) -> Self {
        let file = dir.join("zone.json");
        std::fs::write(&file, zone.to_string()).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dns/server.py");
        let mut child = Command::new(super::smtp::python())
            .arg(&script)
            .arg(&file)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("python3 is needed for the test DNS server ({e})"));
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("the test DNS server did not start: {line:?}"))
            .parse()
            .unwrap();
        Self { child, port }
    }

    /// `127.0.0.1:PORT`, for `HEMICYCLE_DNS_SERVER`.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for Dns {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
