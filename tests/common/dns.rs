//! A small DNS server for the tests (`tests/dns/server.py`): TXT, A, AAAA
//! and MX answers over UDP on 127.0.0.1 from a zone the test writes.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::process::{Child, Command};

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
        let (child, port) = super::smtp::start_ready(
            Command::new(super::smtp::python()).arg(&script).arg(&file),
            "the test DNS server (python3)",
        );
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
